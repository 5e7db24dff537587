-- The audit log as a hash chain: each line carries its place (seq, 1, 2, …) and the SHA-256 of its
-- own fields together with the previous line's hash, so a line edited, deleted or moved breaks every
-- hash after it (careplan-relay audit --verify). audit_head holds the last seq and hash: lines are
-- appended in the transaction of what they record, and the head's row lock puts them in one order.
-- Lines written before this migration (id up to legacy_upto) are chained once, at the relay's next
-- start; any other line without a hash was not written by the relay, and --verify says so.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    legacy_upto BIGINT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, legacy_upto)
SELECT 1, 0, '0000000000000000000000000000000000000000000000000000000000000000', COALESCE(MAX(id), 0) FROM audit_log;
