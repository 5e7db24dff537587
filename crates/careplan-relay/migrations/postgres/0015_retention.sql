-- Retention: the content of a file not taken within the relay's limit is deleted and the time noted
-- here (the row, its units and its 受領証 stay, so the history still says what was sent and that it
-- expired); whole messages (files, units, people, receipts) go once the records period is over.
-- Both are found by the time of sending.
ALTER TABLE message_files ADD COLUMN content_purged_at BIGINT;
CREATE INDEX messages_age ON messages (sent_at);
