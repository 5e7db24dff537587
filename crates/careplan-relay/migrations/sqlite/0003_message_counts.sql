-- Per-office totals for 受信一覧 / 送信一覧, kept in the transaction that stores a message, so that a
-- page of a large inbox does not count every row.
CREATE TABLE office_message_counts (
    office_number TEXT PRIMARY KEY,
    inbox INTEGER NOT NULL DEFAULT 0,
    outbox INTEGER NOT NULL DEFAULT 0
);
INSERT INTO office_message_counts (office_number, inbox, outbox)
SELECT number,
       (SELECT COUNT(*) FROM messages WHERE receiver_office = offices.number),
       (SELECT COUNT(*) FROM messages WHERE sender_office = offices.number)
FROM offices;
