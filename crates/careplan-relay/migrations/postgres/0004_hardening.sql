-- Wrong passwords count within a window: a failure longer ago than the lockout starts counting again
-- (the same rule for a real ID and for an ID the asking office does not have, see login_probes).
ALTER TABLE personal_users ADD COLUMN last_failed_at BIGINT;
ALTER TABLE office_users ADD COLUMN last_failed_at BIGINT;

-- Wrong logins with an ID the asking office (the certificate's) does not have: unknown, or another
-- office's. Counted per asking office and ID, so that such an ID locks like a real one (the answers
-- cannot tell them apart) and another office's ID is never touched.
CREATE TABLE login_probes (
    id_kind TEXT NOT NULL,                -- personal or office
    asking_office TEXT NOT NULL,
    user_id TEXT NOT NULL,
    failed_attempts BIGINT NOT NULL,
    last_failed_at BIGINT NOT NULL,
    locked_until BIGINT,
    PRIMARY KEY (id_kind, asking_office, user_id)
);
CREATE INDEX login_probes_age ON login_probes (last_failed_at);

-- What a send with an Idempotency-Key asked for (destination, message, draft, files and their
-- SHA-256), so that the same key with another request is refused instead of answered with the first.
ALTER TABLE messages ADD COLUMN request_digest TEXT;

-- Caps per office: live sessions, and stage tokens swept when they expire.
CREATE INDEX sessions_office ON sessions (office_number, expires_at);
CREATE INDEX login_stages_office ON login_stages (office_number, expires_at);
