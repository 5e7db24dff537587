//! The audit log as a hash chain: intact after concurrent work, and an edited, deleted or reordered
//! line found at its place by `verify`; lines from before the chain are chained at the next start.

mod common;

use careplan_relay::store::ChainCheck;
use common::*;
use sqlx::AnyPool;

/// The relay's own database, as someone with access to it (not through the relay) would reach it.
async fn database(relay: &TestRelay) -> AnyPool {
    sqlx::any::install_default_drivers();
    AnyPool::connect(&relay.relay.config.database_url())
        .await
        .unwrap()
}

async fn execute(pool: &AnyPool, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(pool)
        .await
        .unwrap();
}

/// A relay whose log holds logins and sixteen sends made at once.
async fn busy_relay() -> TestRelay {
    let relay = TestRelay::start().await;
    let (a, a_token) = relay.https_login(CARE_MANAGER).await;
    let sends = (0..16).map(|n| {
        let (a, token, url) = (a.clone(), a_token.clone(), relay.api_url("/v1/messages"));
        tokio::spawn(async move {
            let files = vec![(format!("連絡{n}.txt"), format!("連絡 {n}").into_bytes())];
            a.post(url)
                .bearer_auth(token)
                .multipart(send_form(HOME_HELP.number, "", &files))
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    for status in futures::future::join_all(sends).await {
        assert!(status.unwrap().is_success());
    }
    relay
}

async fn verify(relay: &TestRelay) -> ChainCheck {
    relay.relay.state.store.audit().verify(None).await.unwrap()
}

#[tokio::test]
async fn the_chain_holds_after_concurrent_sends_and_numbers_every_line() {
    let relay = busy_relay().await;
    let lines = relay.relay.state.store.audit().lines().await.unwrap();
    assert!(lines.iter().filter(|l| l.action == "send").count() == 16);
    let seqs: Vec<i64> = lines.iter().map(|l| l.seq).collect();
    assert_eq!(seqs, (1..=lines.len() as i64).collect::<Vec<_>>());
    assert_eq!(
        verify(&relay).await,
        ChainCheck::Intact {
            lines: lines.len() as i64
        }
    );
}

#[tokio::test]
async fn an_edited_line_is_found_at_its_place() {
    let relay = busy_relay().await;
    let pool = database(&relay).await;
    execute(
        &pool,
        "UPDATE audit_log SET detail = detail || ' ' WHERE seq = 5",
    )
    .await;
    match verify(&relay).await {
        ChainCheck::Broken { seq, why } => {
            assert_eq!(seq, 5);
            assert!(why.contains("書き換えられた"), "{why}");
        }
        intact => panic!("{intact:?}"),
    }
}

#[tokio::test]
async fn a_deleted_line_in_the_middle_or_at_the_end_is_found() {
    let relay = busy_relay().await;
    let pool = database(&relay).await;
    let last = relay.relay.state.store.audit().lines().await.unwrap().len() as i64;
    execute(&pool, &format!("DELETE FROM audit_log WHERE seq = {last}")).await;
    match verify(&relay).await {
        ChainCheck::Broken { seq, why } => {
            assert_eq!(seq, last, "{why}");
            assert!(why.contains("削除"), "{why}");
        }
        intact => panic!("the last line deleted: {intact:?}"),
    }
    execute(&pool, "DELETE FROM audit_log WHERE seq = 3").await;
    match verify(&relay).await {
        ChainCheck::Broken { seq, why } => {
            assert_eq!(seq, 3);
            assert!(why.contains("3 行目がありません"), "{why}");
        }
        intact => panic!("{intact:?}"),
    }
}

#[tokio::test]
async fn lines_swapped_are_found_even_with_their_numbers_kept() {
    let relay = busy_relay().await;
    let pool = database(&relay).await;
    // Lines 6 and 7 trade their contents (and hashes), keeping their numbers.
    execute(&pool, "UPDATE audit_log SET seq = -1 WHERE seq = 6").await;
    execute(&pool, "UPDATE audit_log SET seq = 6 WHERE seq = 7").await;
    execute(&pool, "UPDATE audit_log SET seq = 7 WHERE seq = -1").await;
    match verify(&relay).await {
        ChainCheck::Broken { seq, .. } => assert_eq!(seq, 6),
        intact => panic!("{intact:?}"),
    }
}

#[tokio::test]
async fn lines_from_before_the_chain_are_chained_at_the_next_start() {
    let relay = busy_relay().await;
    let count = relay.relay.state.store.audit().lines().await.unwrap().len() as i64;
    let pool = database(&relay).await;
    // As a relay before the chain left them: no seq, no hash, the head at its start.
    execute(&pool, "UPDATE audit_log SET seq = NULL, hash = NULL").await;
    execute(
        &pool,
        &format!(
            "UPDATE audit_head SET seq = 0, hash = '{}', legacy_upto = (SELECT MAX(id) FROM audit_log) WHERE id = 1",
            careplan_relay::store::audit::GENESIS
        ),
    )
    .await;
    pool.close().await;
    let chained = relay
        .relay
        .state
        .store
        .audit()
        .chain_earlier_lines()
        .await
        .unwrap();
    assert_eq!(chained as i64, count);
    assert_eq!(verify(&relay).await, ChainCheck::Intact { lines: count });
    // And the next line goes on from there.
    relay
        .relay
        .state
        .store
        .audit()
        .write(&careplan_relay::store::AuditEntry {
            at: 1,
            office: None,
            actor: "operator",
            action: "test",
            detail: "after the upgrade",
        })
        .await
        .unwrap();
    assert_eq!(
        verify(&relay).await,
        ChainCheck::Intact { lines: count + 1 }
    );
}

#[tokio::test]
async fn a_line_added_behind_the_relays_back_is_not_chained_and_verify_says_so() {
    let relay = busy_relay().await;
    let pool = database(&relay).await;
    execute(
        &pool,
        "INSERT INTO audit_log (at, office_number, actor, action, detail) VALUES (1, NULL, 'someone', 'login', 'ok')",
    )
    .await;
    // A start does not take it into the chain: only lines from before the chain existed are.
    assert_eq!(
        relay
            .relay
            .state
            .store
            .audit()
            .chain_earlier_lines()
            .await
            .unwrap(),
        0
    );
    match verify(&relay).await {
        ChainCheck::Broken { why, .. } => {
            assert!(why.contains("連鎖に入っていない行が 1 行"), "{why}")
        }
        intact => panic!("{intact:?}"),
    }
}

#[tokio::test]
async fn lines_cut_from_the_end_with_the_head_rewound_are_caught_by_a_recorded_head() {
    let relay = busy_relay().await;
    let audit = relay.relay.state.store.audit();
    let (seq, hash) = audit.head().await.unwrap();
    assert_eq!(
        audit.verify(Some((seq, &hash))).await.unwrap(),
        ChainCheck::Intact { lines: seq }
    );
    // The last two lines removed and the head set back to the line before: the chain alone holds…
    let pool = database(&relay).await;
    execute(
        &pool,
        &format!("DELETE FROM audit_log WHERE seq > {}", seq - 2),
    )
    .await;
    execute(
        &pool,
        &format!(
            "UPDATE audit_head SET seq = {}, hash = (SELECT hash FROM audit_log WHERE seq = {}) WHERE id = 1",
            seq - 2,
            seq - 2
        ),
    )
    .await;
    assert_eq!(verify(&relay).await, ChainCheck::Intact { lines: seq - 2 });
    // …but not against the head recorded before.
    match audit.verify(Some((seq, &hash))).await.unwrap() {
        ChainCheck::Broken { seq: at, why } => {
            assert_eq!(at, seq);
            assert!(why.contains("記録された"), "{why}");
        }
        intact => panic!("{intact:?}"),
    }
}
