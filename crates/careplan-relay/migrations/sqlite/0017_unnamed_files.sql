-- The files still without their names' facts (kind NULL, stored before 0014): the check at every
-- start finds them through this index instead of reading every file's row.
CREATE INDEX message_files_unnamed ON message_files (id) WHERE kind IS NULL;
