//! 送受信履歴 and the purge at scale, over mutual TLS on loopback with the default SQLite store:
//! the history of an office with 10^5 exchanged files (open and each filter, p50 and p99), and a
//! purge of 10^6 expired contents (files per second) with the send throughput while it runs against
//! the send throughput without it, in one run. Prints figures; asserts nothing about speed.
//!
//! `cargo bench -p careplan-relay-cli --bench records_lifecycle` (`CAREPLAN_BENCH_HISTORY_FILES`,
//! `CAREPLAN_BENCH_PURGE_FILES` change the sizes). The purge's rows have no blobs (writing 10^6
//! files first would take longer than the purge): the blob deletions are timed apart, on real blobs.

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use careplan_api::HistoryPage;
use careplan_relay::clock::now_ms;
use careplan_relay::store::{FileRow, NewMessage, UnitPerson, UnitRow};
use careplan_relay::{Relay, RelayConfig};
use careplan_spec::samples::use_sheet_unit;
use careplan_test_support::https::{login_with, send_form, Endpoint};
use careplan_test_support::relay_process::RelayProcess;
use careplan_test_support::{temp_dir, TestRelay, CARE_MANAGER, DAY_SERVICE, HOME_HELP, PASSWORD};

const DAY: i64 = 86_400_000;

fn size(name: &str, quick: bool, small: usize, full: usize) -> usize {
    if quick {
        return small;
    }
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(full)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
}

/// The `i`th of the office's exchanged files: a 利用票 or 実績 of one of 5,000 利用者, to one of two
/// partners, a month of 2025, sent over the past year.
fn exchanged(i: usize, now: i64) -> (String, NewMessage) {
    let id = format!("h{i:09}");
    // The receiver as the name writes it (番号_種類), and its 事業所番号.
    let (receiver_in_name, receiver) = if i.is_multiple_of(2) {
        ("1370000026_11", HOME_HELP.number)
    } else {
        ("1370000034_15", DAY_SERVICE.number)
    };
    let prefix = if i.is_multiple_of(3) {
        "UPSIKYU"
    } else {
        "UPPLAN"
    };
    let month = 1 + i % 12;
    let serial = format!(
        "2025{month:02}{:02}{:02}{:02}{:02}",
        1 + i % 28,
        i % 24,
        i / 24 % 60,
        i / 1440 % 60
    );
    let name = format!("{prefix}_2025{month:02}_1370000018_43_{receiver_in_name}_{serial}.CSV");
    let person = i % 5000;
    let new = NewMessage {
        id: id.clone(),
        receiver_office: receiver.into(),
        message: String::new(),
        sent_at: now - (i as i64 % 360) * DAY - i as i64,
        sender_person: Some(CARE_MANAGER.personal_user_id.into()),
        sender_terminal: "seed".into(),
        idempotency_key: None,
        request_digest: None,
        from_draft: None,
        units: vec![UnitRow {
            serial,
            title: format!("サービス利用票（予定）2025年{month}月分"),
            people: vec![UnitPerson {
                insurer: "131016".into(),
                insured: format!("{person:010}"),
                name: Some(format!("利用者　{person}")),
            }],
        }],
        files: vec![FileRow {
            id: format!("{id}f"),
            message_id: id,
            position: 0,
            name,
            category: "register".into(),
            csv_version: Some("202407".into()),
            size: 1000,
            sha256: "0".repeat(64),
            blob_key: format!("seed/{i}"),
            fetched_at: Some(now),
            content_purged_at: None,
        }],
    };
    (CARE_MANAGER.number.to_owned(), new)
}

/// An attachment sent 70 days ago and never taken: due for the purge.
fn expired(i: usize, now: i64) -> (String, NewMessage) {
    let id = format!("p{i:09}");
    let new = NewMessage {
        id: id.clone(),
        receiver_office: DAY_SERVICE.number.into(),
        message: String::new(),
        sent_at: now - 70 * DAY - i as i64,
        sender_person: None,
        sender_terminal: "seed".into(),
        idempotency_key: None,
        request_digest: None,
        from_draft: None,
        units: Vec::new(),
        files: vec![FileRow {
            id: format!("{id}f"),
            message_id: id,
            position: 0,
            name: "連絡.txt".into(),
            category: "attachment".into(),
            csv_version: None,
            size: 2,
            sha256: "0".repeat(64),
            blob_key: format!("messages/p{i:09}/p{i:09}f"),
            fetched_at: None,
            content_purged_at: None,
        }],
    };
    (HOME_HELP.number.to_owned(), new)
}

async fn seed(dir: &std::path::Path, count: usize, make: impl Fn(usize) -> (String, NewMessage)) {
    let relay = Relay::open(RelayConfig::new(dir)).await.unwrap();
    let started = Instant::now();
    let mut i = 0;
    while i < count {
        let end = (i + 20_000).min(count);
        let batch: Vec<_> = (i..end).map(&make).collect();
        relay.operator().import_messages(&batch).await.unwrap();
        i = end;
    }
    eprintln!(
        "  seeded {count} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    relay.state.store.close().await;
}

async fn history_latency(
    endpoint: &Endpoint,
    token: &str,
    client: &reqwest::Client,
    query: &str,
) -> (f64, f64, u64) {
    let mut times = Vec::new();
    let mut total = 0;
    for _ in 0..30 {
        let started = Instant::now();
        let page: HistoryPage = client
            .get(endpoint.url(&format!("/v1/history?{query}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        times.push(started.elapsed());
        total = page.total;
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99), total)
}

/// Sends from 8 clients until `stop` is set (or `limit` sends); answers how many and how long.
async fn sends_until(
    endpoint: Arc<Endpoint>,
    stop: Arc<AtomicBool>,
    limit: usize,
) -> (usize, Duration) {
    let unit = Arc::new(use_sheet_unit(0, 4));
    let done = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let client = endpoint.client(CARE_MANAGER);
        let token = login_with(
            &*endpoint,
            &client,
            CARE_MANAGER.personal_user_id,
            CARE_MANAGER.office_user_id,
            PASSWORD,
        )
        .await
        .unwrap();
        let (endpoint, stop, done, unit) =
            (endpoint.clone(), stop.clone(), done.clone(), unit.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) && done.load(Ordering::Relaxed) < limit {
                let response = client
                    .post(endpoint.url("/v1/messages"))
                    .bearer_auth(&token)
                    .multipart(send_form(HOME_HELP.number, "", &unit))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), reqwest::StatusCode::CREATED);
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    (done.load(Ordering::Relaxed), started.elapsed())
}

#[tokio::main]
async fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    if quick {
        println!("quick run (as a test, unoptimised): these figures only show that the benchmark works; use `cargo bench`");
    }
    let history_files = size("CAREPLAN_BENCH_HISTORY_FILES", quick, 2_000, 100_000);
    let purge_files = size("CAREPLAN_BENCH_PURGE_FILES", quick, 5_000, 1_000_000);
    let now = now_ms();

    // 送受信履歴 of an office with `history_files` files.
    let setup = TestRelay::builder()
        .in_dir(temp_dir("bench-history"))
        .local_storage()
        .start()
        .await;
    let dir = setup.shut_down().await;
    seed(&dir, history_files, |i| exchanged(i, now)).await;
    let relay = RelayProcess::serve(
        std::path::Path::new(env!("CARGO_BIN_EXE_careplan-relay")),
        &dir,
        &[("CAREPLAN_RATE_PER_MINUTE", "0")],
    );
    let endpoint = Arc::new(relay.endpoint(&dir));
    let client = endpoint.client(CARE_MANAGER);
    let token = login_with(
        &*endpoint,
        &client,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap();
    let year = "from=2025-01-01&to=2099-12-31";
    println!("送受信履歴 of an office with {history_files} files (100 a page, 30 requests each):");
    println!("query                          p50 ms  p99 ms  rows matched");
    for (label, query) in [
        ("open (the whole period)", year.to_owned()),
        ("partner", format!("{year}&partner={}", HOME_HELP.number)),
        ("kind (use_plan)", format!("{year}&kind=use_plan")),
        ("month (202504)", format!("{year}&month=202504")),
        ("insured number", format!("{year}&insured=0000000042")),
        (
            "part of a name",
            format!("{year}&name=%E5%88%A9%E7%94%A8%E8%80%8542"),
        ),
        ("page 100", format!("{year}&page=100")),
    ] {
        let (p50, p99, total) = history_latency(&endpoint, &token, &client, &query).await;
        println!("{label:<30} {p50:>6.1}  {p99:>6.1}  {total}");
    }
    drop(relay);

    // The purge of `purge_files` expired contents beside sends.
    let setup = TestRelay::builder()
        .in_dir(temp_dir("bench-purge"))
        .local_storage()
        .start()
        .await;
    let dir = setup.shut_down().await;
    seed(&dir, purge_files, |i| expired(i, now)).await;
    let relay = RelayProcess::serve(
        std::path::Path::new(env!("CARGO_BIN_EXE_careplan-relay")),
        &dir,
        &[
            ("CAREPLAN_RATE_PER_MINUTE", "0"),
            ("CAREPLAN_CONNECTIONS_PER_CERTIFICATE", "0"),
        ],
    );
    let endpoint = Arc::new(relay.endpoint(&dir));
    let baseline_sends = if quick { 40 } else { 2_000 };
    let (sent, took) = sends_until(
        endpoint.clone(),
        Arc::new(AtomicBool::new(false)),
        baseline_sends,
    )
    .await;
    let alone = sent as f64 / took.as_secs_f64();
    let stop = Arc::new(AtomicBool::new(false));
    let sending = tokio::spawn(sends_until(endpoint.clone(), stop.clone(), usize::MAX));
    let started = Instant::now();
    let status = tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || {
            Command::new(env!("CARGO_BIN_EXE_careplan-relay"))
                .args(["purge", "--data", dir.to_str().unwrap()])
                .env_remove("DATABASE_URL")
                .env_remove("BLOB_STORE_URL")
                .env("RUST_LOG", "warn")
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let purge_time = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let (sent_during, during_time) = sending.await.unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let during = sent_during as f64 / during_time.as_secs_f64();
    println!(
        "purge of {purge_files} expired contents: {:.1} s, {:.0} files/s, by `careplan-relay purge` and serve's own purge (hourly, the first a minute after its start) together; the command says: {}",
        purge_time.as_secs_f64(),
        purge_files as f64 / purge_time.as_secs_f64(),
        String::from_utf8_lossy(&status.stdout).trim()
    );
    println!(
        "sends/s (8 clients, 3-file unit): {alone:.0} alone, {during:.0} while the purge runs: ratio {:.2}",
        during / alone
    );
    drop(relay);

    // Blob deletions, timed apart on real blobs of the local store.
    let blobs = if quick { 500 } else { 20_000 };
    let store = careplan_relay::blobs::BlobStore::open(&format!(
        "file://{}",
        temp_dir("bench-blobs").display()
    ))
    .unwrap();
    for i in 0..blobs {
        store
            .put_new(&format!("messages/b{i}"), bytes::Bytes::from_static(b"ok"))
            .await
            .unwrap();
    }
    let started = Instant::now();
    for i in 0..blobs {
        store.delete(&format!("messages/b{i}")).await.unwrap();
    }
    let per_second = blobs as f64 / started.elapsed().as_secs_f64();
    println!("blob deletions on the local store, one at a time: {per_second:.0}/s (the purge runs 16 at once)");
}
