-- 受領証: one per file, signed when its receiver's acknowledgement won and stored in that same
-- transaction (so a file is 済 exactly when its receipt exists), kept as issued (the signed JSON)
-- for the sender and the receiver to fetch.
CREATE TABLE receipts (
    file_id TEXT PRIMARY KEY REFERENCES message_files(id),
    message_id TEXT NOT NULL REFERENCES messages(id),
    issued_at INTEGER NOT NULL,
    signed TEXT NOT NULL
);
