-- 受信通知: feed tokens read an office's change feed and nothing else. Found by the SHA-256 of the
-- token, like sessions; each belongs to the session that asked for it and works only while that
-- session lives (logout, expiry, a staff ID deleted: the join finds no session), on its certificate.
CREATE TABLE feed_tokens (
    token_hash TEXT PRIMARY KEY,
    session_hash TEXT NOT NULL,
    office_number TEXT NOT NULL,
    cert_fingerprint TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX feed_tokens_session ON feed_tokens (session_hash);
CREATE INDEX feed_tokens_office ON feed_tokens (office_number, created_at);
