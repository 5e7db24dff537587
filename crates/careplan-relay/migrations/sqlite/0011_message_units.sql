-- What each message is, in words, and whom it is about: derived by the relay from the files' content
-- when they are sent, so that 受信一覧 can say it before データ取得 and after the content is gone.
-- Kept as long as the message's other metadata.
CREATE TABLE message_units (
    message_id TEXT NOT NULL REFERENCES messages(id),
    position INTEGER NOT NULL,
    serial TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (message_id, position)
);

-- The 利用者 of each unit, in order of appearance; the name only where the unit carries it.
CREATE TABLE message_unit_people (
    message_id TEXT NOT NULL REFERENCES messages(id),
    unit_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    insurer TEXT NOT NULL,
    insured TEXT NOT NULL,
    name TEXT,
    PRIMARY KEY (message_id, unit_position, position)
);
