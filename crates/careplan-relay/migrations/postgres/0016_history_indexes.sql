-- 送受信履歴 at 10^5 files an office: a partner's messages through an index of the pair (also the
-- later versions and the earlier sends of 新規作成), and the file filters (kind, 対象年月) answered
-- from an index beside each message, without reading the files' rows.
CREATE INDEX messages_pair ON messages (sender_office, receiver_office, sent_at, id);
CREATE INDEX message_files_facts ON message_files (message_id, kind, target_month);
