-- 送受信履歴: each file's kind (its name's prefix, '' for an attachment), 対象年月 and ファイル連番, so
-- that the history filters and pages in the database; and who took a file (the 個人ユーザID and the
-- terminal of the acknowledgement), for "fetched at and by whom". Files stored before this migration
-- get kind, month and serial from their names at the relay's next start (kind NULL: not done yet);
-- who fetched them was not recorded and stays NULL.
ALTER TABLE message_files ADD COLUMN kind TEXT;
ALTER TABLE message_files ADD COLUMN target_month TEXT;
ALTER TABLE message_files ADD COLUMN serial TEXT;
ALTER TABLE message_files ADD COLUMN fetched_by TEXT;
ALTER TABLE message_files ADD COLUMN fetched_terminal TEXT;
-- A 利用者's units, for the later versions of a plan (same 利用者, newer ファイル連番).
CREATE INDEX message_unit_people_person ON message_unit_people (insured, insurer);
