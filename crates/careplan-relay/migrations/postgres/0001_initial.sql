-- The relay's schema (PostgreSQL). Integers are BIGINT-compatible; times are Unix milliseconds; booleans 0/1.
CREATE TABLE offices (
    number TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    service_kinds TEXT NOT NULL,          -- comma separated サービス種類コード
    prefecture TEXT NOT NULL,
    city TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE personal_users (           -- 個人ユーザID (c…)
    id TEXT PRIMARY KEY,
    office_number TEXT NOT NULL REFERENCES offices(number),
    password_hash TEXT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT
);

CREATE TABLE office_users (             -- 事業所ユーザID (KJ…)
    id TEXT PRIMARY KEY,
    office_number TEXT NOT NULL REFERENCES offices(number),
    password_hash TEXT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT
);

CREATE TABLE certificates (             -- client certificates issued by the relay's CA
    fingerprint TEXT PRIMARY KEY,         -- hex SHA-256 of the DER certificate
    office_number TEXT NOT NULL REFERENCES offices(number),
    serial TEXT NOT NULL,
    subject TEXT NOT NULL,
    not_before BIGINT NOT NULL,
    not_after BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE licences (
    office_number TEXT PRIMARY KEY REFERENCES offices(number),
    starts_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    fee_yen BIGINT NOT NULL,
    free_pass BIGINT NOT NULL,
    payment TEXT NOT NULL
);

CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    published_at BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL
);

CREATE TABLE login_stages (             -- stage 1 passed, stage 2 pending
    token_hash TEXT PRIMARY KEY,
    personal_user_id TEXT NOT NULL,
    office_number TEXT NOT NULL,
    cert_fingerprint TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    office_number TEXT NOT NULL,
    personal_user_id TEXT NOT NULL,
    office_user_id TEXT NOT NULL,
    terminal_name TEXT NOT NULL,
    cert_fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    sender_office TEXT NOT NULL REFERENCES offices(number),
    receiver_office TEXT NOT NULL REFERENCES offices(number),
    message TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    sender_terminal TEXT NOT NULL,
    idempotency_key TEXT,
    UNIQUE (sender_office, idempotency_key)
);
CREATE INDEX messages_inbox ON messages (receiver_office, sent_at DESC, id DESC);
CREATE INDEX messages_outbox ON messages (sender_office, sent_at DESC, id DESC);

CREATE TABLE message_files (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    csv_version TEXT,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    fetched_at BIGINT
);
CREATE INDEX message_files_message ON message_files (message_id, position);

CREATE TABLE audit_log (                -- append-only
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    office_number TEXT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
