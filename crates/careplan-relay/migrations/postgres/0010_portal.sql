-- The office portal (利用申請・利用状況Webサイト): staff IDs, who sent and saved, portal sessions, 利用申請 and
-- licence history, the operator's settings and 利用規約, セキュリティメール, certificate applications, and
-- what the public 利用事業所検索 shows. Times are Unix milliseconds; booleans 0/1.

-- 個人ユーザID as the office's staff: issued, locked and deleted by the office's own administrator.
ALTER TABLE personal_users ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE personal_users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';       -- admin (管理者) or general (一般)
ALTER TABLE personal_users ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE personal_users ADD COLUMN disabled_at BIGINT;                        -- 利用停止 by the administrator
ALTER TABLE personal_users ADD COLUMN deleted_at BIGINT;                         -- kept: never issued again
ALTER TABLE personal_users ADD COLUMN last_login_at BIGINT;                      -- the desktop client's
ALTER TABLE personal_users ADD COLUMN last_login_terminal TEXT;
-- A temporary password (office-import) must be changed in the portal before anything else.
ALTER TABLE office_users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;

-- Who sent a message and who saved a draft (the 個人ユーザID; NULL for rows older than this).
ALTER TABLE messages ADD COLUMN sender_person TEXT;
ALTER TABLE drafts ADD COLUMN saved_by TEXT;

CREATE TABLE portal_sessions (
    token_hash TEXT PRIMARY KEY,          -- SHA-256 of the cookie's token
    office_number TEXT NOT NULL REFERENCES offices(number),
    id_kind TEXT NOT NULL,                -- office (KJ…) or personal (c…)
    user_id TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX portal_sessions_user ON portal_sessions (id_kind, user_id);

-- 利用申請: at most one per office (joining twice is refused).
CREATE TABLE licence_applications (
    office_number TEXT PRIMARY KEY REFERENCES offices(number),
    applied_at BIGINT NOT NULL,
    applied_by TEXT NOT NULL,
    terms_version BIGINT NOT NULL,
    payment_method TEXT NOT NULL          -- deduction (給付費からの差引) or invoice (請求書)
);

-- Every period a licence was granted for, newest last.
CREATE TABLE licence_history (
    id BIGSERIAL PRIMARY KEY,
    office_number TEXT NOT NULL REFERENCES offices(number),
    starts_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    fee_yen BIGINT NOT NULL,
    free_pass BIGINT NOT NULL,
    payment TEXT NOT NULL,
    reason TEXT NOT NULL,                 -- application, renewal, automatic, operator
    granted_at BIGINT NOT NULL
);
CREATE INDEX licence_history_office ON licence_history (office_number, id);

-- The operator's settings (フリーパス and its end, automatic renewal), one row per key.
CREATE TABLE portal_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- 利用規約 as the operator replaced it; the newest version is in force (none: the built-in text).
CREATE TABLE terms_versions (
    version BIGINT PRIMARY KEY,
    published_at BIGINT NOT NULL,
    body TEXT NOT NULL
);

-- セキュリティメール: one address per ID, confirmed by a code sent to it.
CREATE TABLE security_mail (
    id_kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    office_number TEXT NOT NULL REFERENCES offices(number),
    address TEXT,                         -- the confirmed address
    confirmed_at BIGINT,
    pending_address TEXT,                 -- waiting for its code
    PRIMARY KEY (id_kind, user_id)
);

-- One-time codes sent by mail: stored hashed, short-lived, used once.
CREATE TABLE mail_codes (
    id BIGSERIAL PRIMARY KEY,
    id_kind TEXT NOT NULL,
    user_id TEXT NOT NULL,
    office_number TEXT NOT NULL,
    purpose TEXT NOT NULL,                -- confirm, unlock, reset
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    used_at BIGINT
);
CREATE INDEX mail_codes_user ON mail_codes (id_kind, user_id, created_at);

-- 証明書発行用パスワード, issued by the operator, one per office.
CREATE TABLE certificate_issuance (
    office_number TEXT PRIMARY KEY REFERENCES offices(number),
    password_hash TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT
);
ALTER TABLE certificates ADD COLUMN pc_name TEXT;
ALTER TABLE certificates ADD COLUMN issued_at BIGINT;
CREATE INDEX certificates_office ON certificates (office_number);

-- A .p12 issued in the portal, waiting for its one download (protected by a password never stored).
CREATE TABLE certificate_downloads (
    id TEXT PRIMARY KEY,
    office_number TEXT NOT NULL REFERENCES offices(number),
    serial TEXT NOT NULL,
    file_name TEXT NOT NULL,
    pkcs12_base64 TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- 利用事業所検索: whether the office is listed (default: listed), its name in kana, and the text searched
-- (name and kana, normalised: NFKC, katakana as hiragana, lower case).
CREATE TABLE office_directory (
    office_number TEXT PRIMARY KEY REFERENCES offices(number),
    listed BIGINT NOT NULL DEFAULT 1,
    name_kana TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL
);
