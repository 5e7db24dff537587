-- The audit log as a hash chain: each line carries its place (seq, 1, 2, …) and the SHA-256 of its
-- own fields together with the previous line's hash, so a line edited, deleted or moved breaks every
-- hash after it (careplan-relay audit --verify). audit_head holds the last seq and hash: lines are
-- appended in the transaction of what they record, and the head's row lock puts them in one order.
-- Lines written before this migration are chained at the relay's next start.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
