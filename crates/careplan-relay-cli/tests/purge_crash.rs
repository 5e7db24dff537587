//! The purge under `kill -9`: `careplan-relay purge` killed at random moments over a relay holding
//! thousands of due contents and records, then run again until it finishes. After every kill no
//! message is half deleted and every content still needed is there; after the next start nothing
//! is left that no row needs. On SQLite, and on PostgreSQL when the test command sets DATABASE_URL.

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use careplan_relay::clock::now_ms;
use careplan_relay::store::{ChainCheck, FileRow, NewMessage};
use careplan_relay::{Relay, RelayConfig};
use careplan_test_support::{temp_dir, TestRelay, CARE_MANAGER, HOME_HELP};
use sqlx::{AnyPool, Row};

const DAY: i64 = 86_400_000;
/// Messages of each kind: content due, records due, recent.
const EACH: usize = 2000;

fn message(id: String, sent_at: i64) -> (String, NewMessage) {
    let file = FileRow {
        id: format!("{id}f"),
        message_id: id.clone(),
        position: 0,
        name: "連絡.txt".into(),
        category: "attachment".into(),
        csv_version: None,
        size: 2,
        sha256: "0".repeat(64),
        blob_key: format!("messages/{id}/{id}f"),
        fetched_at: None,
        content_purged_at: None,
    };
    let new = NewMessage {
        id,
        receiver_office: HOME_HELP.number.into(),
        message: String::new(),
        sent_at,
        sender_person: None,
        sender_terminal: "seed".into(),
        idempotency_key: None,
        request_digest: None,
        from_draft: None,
        units: Vec::new(),
        files: vec![file],
    };
    (CARE_MANAGER.number.to_owned(), new)
}

async fn count(pool: &AnyPool, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(pool)
        .await
        .unwrap()
        .get("n")
}

/// What must hold whenever the purge stops, however it stops.
async fn check_nothing_half_done(relay: &Relay) {
    let pool = AnyPool::connect(&relay.config.database_url())
        .await
        .unwrap();
    let orphan_files = count(
        &pool,
        "SELECT COUNT(*) AS n FROM message_files f WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = f.message_id)",
    )
    .await;
    assert_eq!(orphan_files, 0, "a file row without its message");
    let empty_messages = count(
        &pool,
        "SELECT COUNT(*) AS n FROM messages m WHERE NOT EXISTS (SELECT 1 FROM message_files f WHERE f.message_id = m.id)",
    )
    .await;
    assert_eq!(empty_messages, 0, "a message without its file");
    let counted = count(
        &pool,
        "SELECT inbox AS n FROM office_message_counts WHERE office_number = '1370000026'",
    )
    .await;
    let messages = count(
        &pool,
        "SELECT COUNT(*) AS n FROM messages WHERE receiver_office = '1370000026'",
    )
    .await;
    assert_eq!(counted, messages, "the office's count is its messages'");
    let waiting: Vec<String> = sqlx::query(
        "SELECT blob_key FROM message_files WHERE fetched_at IS NULL AND content_purged_at IS NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get("blob_key"))
    .collect();
    pool.close().await;
    let held: HashSet<String> = relay
        .state
        .blobs
        .list("messages")
        .await
        .unwrap()
        .into_iter()
        .collect();
    for key in &waiting {
        assert!(held.contains(key), "a content still needed is gone: {key}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purge_killed_at_any_moment_leaves_nothing_half_done() {
    sqlx::any::install_default_drivers();
    let setup = TestRelay::builder()
        .in_dir(temp_dir("purge-crash"))
        .start()
        .await;
    let mut config = RelayConfig::new(setup.relay.config.data_dir.clone());
    config.database_url = setup.relay.config.database_url.clone();
    config.blob_store_url = setup.relay.config.blob_store_url.clone();
    let dir = setup.shut_down().await;

    let now = now_ms();
    let relay = Relay::open(config.clone()).await.unwrap();
    let mut batch = Vec::new();
    for i in 0..EACH {
        batch.push(message(format!("content{i:06}"), now - 70 * DAY));
        batch.push(message(format!("records{i:06}"), now - 6 * 366 * DAY));
        batch.push(message(format!("recent{i:06}"), now - DAY));
    }
    relay.operator().import_messages(&batch).await.unwrap();
    for (_, new) in &batch {
        relay
            .state
            .blobs
            .put_new(&new.files[0].blob_key, bytes::Bytes::from_static(b"ok"))
            .await
            .unwrap();
    }
    relay.state.store.close().await;

    let purge = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_careplan-relay"));
        command
            .args(["purge", "--data", dir.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .env_remove("DATABASE_URL")
            .env_remove("BLOB_STORE_URL");
        if let Some(url) = &config.database_url {
            command.env("DATABASE_URL", url);
        }
        if let Some(url) = &config.blob_store_url {
            command.env("BLOB_STORE_URL", url);
        }
        command.spawn().unwrap()
    };
    let mut kills = 0;
    let started = Instant::now();
    loop {
        let mut child = purge();
        let kill_after = Duration::from_millis(50 + u64::from(rand::random::<u16>() % 400));
        std::thread::sleep(kill_after);
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        let relay = Relay::open_beside_serve(config.clone()).await.unwrap();
        check_nothing_half_done(&relay).await;
        let pool = AnyPool::connect(&config.database_url()).await.unwrap();
        let marked = count(
            &pool,
            "SELECT COUNT(*) AS n FROM message_files WHERE content_purged_at IS NOT NULL",
        )
        .await;
        let records = count(
            &pool,
            "SELECT COUNT(*) AS n FROM messages WHERE id LIKE 'records%'",
        )
        .await;
        pool.close().await;
        eprintln!("after {kill_after:?}: {marked} contents marked, {records} old messages left (finished: {finished})");
        relay.state.store.close().await;
        if finished || kills >= 6 {
            break;
        }
    }
    // To the end, then the next start.
    let status = purge().wait().unwrap();
    assert!(status.success());
    let relay = Relay::open(config.clone()).await.unwrap();
    check_nothing_half_done(&relay).await;
    eprintln!(
        "purge killed {kills} times in {:.1} s before it was let finish",
        started.elapsed().as_secs_f64()
    );

    let pool = AnyPool::connect(&config.database_url()).await.unwrap();
    let sql = |s: &str| s.to_owned();
    assert_eq!(
        count(
            &pool,
            &sql("SELECT COUNT(*) AS n FROM messages WHERE id LIKE 'records%'")
        )
        .await,
        0
    );
    assert_eq!(
        count(&pool, &sql("SELECT COUNT(*) AS n FROM message_files WHERE message_id LIKE 'content%' AND content_purged_at IS NOT NULL")).await,
        EACH as i64,
        "every due content marked, its row kept"
    );
    assert_eq!(
        count(&pool, &sql("SELECT COUNT(*) AS n FROM message_files WHERE message_id LIKE 'recent%' AND content_purged_at IS NULL")).await,
        EACH as i64,
        "nothing recent touched"
    );
    pool.close().await;
    // No orphan: after the start's sweep the store holds the recent contents and nothing else.
    let held: HashSet<String> = relay
        .state
        .blobs
        .list("messages")
        .await
        .unwrap()
        .into_iter()
        .collect();
    let recent: HashSet<String> = (0..EACH)
        .map(|i| format!("messages/recent{i:06}/recent{i:06}f"))
        .collect();
    assert_eq!(held, recent);
    assert!(matches!(
        relay.state.store.audit().verify(None).await.unwrap(),
        ChainCheck::Intact { .. }
    ));
}
