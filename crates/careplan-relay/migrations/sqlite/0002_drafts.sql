-- 下書き: saved from 新規作成 on one terminal, visible from every terminal of the office.
CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    office_number TEXT NOT NULL REFERENCES offices(number),
    terminal_name TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    receiver_office TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX drafts_office ON drafts (office_number, saved_at DESC, id DESC);

CREATE TABLE draft_files (
    id TEXT PRIMARY KEY,
    draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    blob_key TEXT NOT NULL
);
CREATE INDEX draft_files_draft ON draft_files (draft_id, position);
