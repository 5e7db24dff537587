//! Retention: a content not taken in time is deleted and said so (the sender warned the week
//! before), its records and 受領証 kept; records past their years go whole; and a purge running
//! beside sends loses nothing that should stay. On SQLite and local blobs, and again on PostgreSQL
//! and S3 when the test command sets DATABASE_URL and BLOB_STORE_URL.

mod common;

use std::time::Duration;

use careplan_api::{HistoryQuery, Home};
use careplan_client::{no_progress, LocalFile, Mailbox, RelayClient};
use careplan_relay::clock::now_ms;
use common::*;
use sqlx::AnyPool;

const DAY: i64 = 86_400_000;

fn plan() -> Vec<LocalFile> {
    fixture_files("valid/v41-plan")
        .into_iter()
        .map(|(name, bytes)| LocalFile {
            name,
            bytes: bytes.into(),
        })
        .collect()
}

/// The relay's own database, as its operator (not through the relay) reaches it.
async fn database(relay: &TestRelay) -> AnyPool {
    sqlx::any::install_default_drivers();
    AnyPool::connect(&relay.relay.config.database_url())
        .await
        .unwrap()
}

/// Moves every message sent so far `days` into the past.
async fn age_everything(relay: &TestRelay, days: i64) {
    let pool = database(relay).await;
    sqlx::query("UPDATE messages SET sent_at = sent_at - $1")
        .bind(days * DAY)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

async fn blobs_of_messages(relay: &TestRelay) -> Vec<String> {
    relay.relay.state.blobs.list("messages").await.unwrap()
}

fn everything() -> HistoryQuery {
    HistoryQuery {
        from: "2000-01-01".into(),
        to: "2099-12-31".into(),
        ..HistoryQuery::default()
    }
}

async fn home(client: &RelayClient) -> Home {
    client.home().await.unwrap()
}

#[tokio::test]
async fn a_content_not_taken_in_time_is_deleted_its_sender_warned_before_and_its_records_kept() {
    let relay = TestRelay::start().await;
    let care = relay.logged_in(CARE_MANAGER).await;
    let helper = relay.logged_in(HOME_HELP).await;
    care.send(HOME_HELP.number, "計画です", &plan(), no_progress())
        .await
        .unwrap();
    // One file of it is taken: its 受領証 must outlive the purge of the others' contents.
    let inbox = helper.messages(Mailbox::Inbox, 1, 10).await.unwrap();
    let taken = inbox.items[0].files[0].clone();
    helper
        .fetch_file(&taken, &temp_dir("fetched"), no_progress())
        .await
        .unwrap();
    let retention = relay.relay.state.limits.retention;

    // Day 52 of 60: nothing to warn of yet, and the list says until when the content waits.
    age_everything(&relay, retention.unfetched_days - retention.warn_days - 1).await;
    assert_eq!(home(&care).await.expiring_sent, 0);
    let sent = care.messages(Mailbox::Outbox, 1, 10).await.unwrap();
    let waiting = &sent.items[0].files[1];
    assert!(waiting.expires_at.is_some(), "{waiting:?}");
    assert_eq!(
        sent.items[0].files[0].expires_at, None,
        "a file taken waits no more"
    );
    // Day 53: the sender is told of the three files still waiting (not of the one taken), and the
    // receiver not at all.
    age_everything(&relay, 1).await;
    assert_eq!(home(&care).await.expiring_sent, 3);
    assert_eq!(home(&helper).await.expiring_sent, 0);
    assert_eq!(
        relay.relay.purge(now_ms()).await.unwrap().contents,
        0,
        "not due yet"
    );
    assert_eq!(blobs_of_messages(&relay).await.len(), 3);

    // Day 60: due.
    age_everything(&relay, retention.warn_days).await;
    let report = relay.relay.purge(now_ms()).await.unwrap();
    assert_eq!(
        (report.contents, report.messages, report.blobs_left),
        (3, 0, 0)
    );
    assert!(
        blobs_of_messages(&relay).await.is_empty(),
        "the contents are gone"
    );
    assert_eq!(home(&care).await.expiring_sent, 0);
    assert_eq!(home(&helper).await.unfetched, 0, "nothing left to fetch");

    // The receiver sees them as 期限切れ and cannot fetch them; it is told why, in Japanese.
    let inbox = helper.messages(Mailbox::Inbox, 1, 10).await.unwrap();
    let expired: Vec<_> = inbox.items[0]
        .files
        .iter()
        .filter(|f| f.expired_at.is_some())
        .collect();
    assert_eq!(expired.len(), 3);
    assert!(expired
        .iter()
        .all(|f| !f.is_waiting() && f.expires_at.is_none()));
    let e = helper
        .fetch_file(expired[0], &temp_dir("late"), no_progress())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "file.expired");
    assert!(e.to_string().contains("再送を依頼"), "{e}");
    assert!(helper.unfetched_messages().await.unwrap().is_empty());

    // The records stay: both offices' history, the 受領証 of the file taken, the audit line.
    let history = care.history(&everything()).await.unwrap();
    assert_eq!(history.total, 4);
    assert_eq!(
        history
            .items
            .iter()
            .filter(|e| e.expired_at.is_some())
            .count(),
        3
    );
    assert!(care.receipt(&taken.id).await.is_ok());
    let lines = relay.audit_lines("purge_content").await;
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].detail.starts_with("files 3: "),
        "{}",
        lines[0].detail
    );
    assert!(expired.iter().all(|f| lines[0].detail.contains(&f.id)));
}

#[tokio::test]
async fn records_past_their_years_go_whole_and_newer_ones_stay() {
    let relay = TestRelay::start().await;
    let care = relay.logged_in(CARE_MANAGER).await;
    let helper = relay.logged_in(HOME_HELP).await;
    care.send(HOME_HELP.number, "古い計画", &plan(), no_progress())
        .await
        .unwrap();
    let inbox = helper.messages(Mailbox::Inbox, 1, 10).await.unwrap();
    helper
        .fetch_messages(&inbox.items, &temp_dir("fetched"), no_progress())
        .await;
    let years = relay.relay.state.limits.retention.record_years;
    age_everything(&relay, years * 366).await;
    care.send(HOME_HELP.number, "新しい計画", &plan(), no_progress())
        .await
        .unwrap();

    let report = relay.relay.purge(now_ms()).await.unwrap();
    assert_eq!(report.messages, 1);
    for client in [&care, &helper] {
        let history = client.history(&everything()).await.unwrap();
        assert_eq!(history.total, 4, "the new message's files only");
    }
    let outbox = care.messages(Mailbox::Outbox, 1, 10).await.unwrap();
    assert_eq!(outbox.total, 1, "the office's count follows");
    assert_eq!(outbox.items[0].message, "新しい計画");
    let inbox = helper.messages(Mailbox::Inbox, 1, 10).await.unwrap();
    assert_eq!(inbox.total, 1);
    assert_eq!(
        blobs_of_messages(&relay).await.len(),
        4,
        "the new send's contents stay"
    );
    // Nothing of the old message is left in any table.
    let pool = database(&relay).await;
    for table in [
        "message_files",
        "message_units",
        "message_unit_people",
        "receipts",
    ] {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = t.message_id)"
        );
        let left: i64 = sqlx::Row::get(
            &sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_one(&pool)
                .await
                .unwrap(),
            "n",
        );
        assert_eq!(left, 0, "{table}");
    }
    pool.close().await;
    let lines = relay.audit_lines("purge_records").await;
    assert_eq!(lines.len(), 1);
    assert!(lines[0].detail.starts_with("messages 1: "));
    assert!(matches!(
        relay.relay.state.store.audit().verify(None).await.unwrap(),
        careplan_relay::store::ChainCheck::Intact { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purge_beside_sends_loses_nothing_that_should_stay() {
    let relay = TestRelay::start().await;
    let care = relay.logged_in(CARE_MANAGER).await;
    // Forty old sends, due for their contents.
    for n in 0..40 {
        care.send(
            HOME_HELP.number,
            &format!("古い{n}"),
            &plan(),
            no_progress(),
        )
        .await
        .unwrap();
    }
    age_everything(&relay, 61).await;
    // New sends go on while purges run.
    let sender = {
        let care = care.clone();
        tokio::spawn(async move {
            let mut sent = Vec::new();
            for n in 0..30 {
                let answer = care
                    .send(
                        HOME_HELP.number,
                        &format!("新しい{n}"),
                        &plan(),
                        no_progress(),
                    )
                    .await
                    .unwrap();
                sent.push(answer.message.id);
            }
            sent
        })
    };
    let mut purged = 0;
    while !sender.is_finished() {
        purged += relay.relay.purge(now_ms()).await.unwrap().contents;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    purged += relay.relay.purge(now_ms()).await.unwrap().contents;
    let sent = sender.await.unwrap();
    assert_eq!(purged, 160, "every old content, once");
    // Every new send is whole: listed, and its contents fetchable byte for byte.
    let helper = relay.logged_in(HOME_HELP).await;
    let waiting = helper.unfetched_messages().await.unwrap();
    assert_eq!(waiting.len(), 30);
    assert!(waiting.iter().all(|m| sent.contains(&m.id)));
    let report = helper
        .fetch_messages(&waiting, &temp_dir("fetched"), no_progress())
        .await;
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.fetched.len(), 120);
    assert!(blobs_of_messages(&relay).await.is_empty());
}
