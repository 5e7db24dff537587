//! Throughput and latency of the relay over mutual TLS on loopback, with the default SQLite store:
//! sends and fetch+ack per second for a typical unit (3 CSV files, about 20 KB) at 1, 8 and 64
//! concurrent clients, p50 and p99 latency, the relay process's peak memory, and 受信一覧 latency with
//! 10^4 and 10^6 stored messages. Prints figures; asserts nothing about speed.
//!
//! `cargo bench -p careplan-relay-cli --bench relay_throughput` (`CAREPLAN_BENCH_LARGE_INBOX` sets the large
//! inbox size, default 1,000,000).

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use careplan_api::{AckRequest, MessagePage};
use careplan_relay::store::{FileRow, NewMessage};
use careplan_relay::{Relay, RelayConfig};
use careplan_spec::samples::use_sheet_unit;
use careplan_test_support::https::{login_with, send_form, Endpoint};
use careplan_test_support::{temp_dir, TestRelay, CARE_MANAGER, DAY_SERVICE, HOME_HELP, PASSWORD};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The relay as its own process, so that its memory is measured alone.
struct RelayProcess {
    child: Child,
    port: u16,
}

impl RelayProcess {
    fn start(dir: &std::path::Path) -> RelayProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_careplan-relay"))
            .args([
                "serve",
                "--data",
                dir.to_str().unwrap(),
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .env_remove("DATABASE_URL")
            // All 64 clients here are one office; the national load comes from many offices,
            // each under its own limit.
            .env("CAREPLAN_RATE_PER_MINUTE", "0")
            // Nor is 64 connections of one certificate what one office does.
            .env("CAREPLAN_CONNECTIONS_PER_CERTIFICATE", "0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            std::thread::sleep(Duration::from_millis(20));
        }
        RelayProcess { child, port }
    }

    /// VmHWM: the peak resident set size, in MB.
    fn peak_memory_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `per_client` operations on each of `clients` concurrent clients; returns (wall time, latencies).
async fn run<F, Fut>(clients: usize, per_client: usize, make: F) -> (Duration, Vec<Duration>)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Vec<Duration>> + Send + 'static,
{
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients).map(|c| tokio::spawn(make(c))).collect();
    let mut latencies = Vec::with_capacity(clients * per_client);
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let wall = started.elapsed();
    latencies.sort();
    (wall, latencies)
}

/// Adds `count` messages to 通所介護's inbox, directly through the store, in batches.
async fn seed_inbox(dir: &std::path::Path, from: usize, count: usize) {
    let relay = Relay::open(RelayConfig::new(dir)).await.unwrap();
    let started = Instant::now();
    let message = |i: usize| {
        let id = format!("seed{i:09}");
        let new = NewMessage {
            id: id.clone(),
            receiver_office: DAY_SERVICE.number.into(),
            message: format!("連絡{i}"),
            sent_at: i as i64,
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
                size: 10,
                sha256: "0".repeat(64),
                blob_key: format!("seed/{i}"),
                fetched_at: None,
                content_purged_at: None,
            }],
        };
        (CARE_MANAGER.number.to_owned(), new)
    };
    let mut i = from;
    while i < from + count {
        let end = (i + 50_000).min(from + count);
        let batch: Vec<(String, NewMessage)> = (i..end).map(message).collect();
        relay.operator().import_messages(&batch).await.unwrap();
        i = end;
    }
    eprintln!(
        "  seeded {count} messages in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    relay.state.store.close().await;
}

async fn inbox_latency(endpoint: &Endpoint) -> (Duration, Duration) {
    let client = endpoint.client(DAY_SERVICE);
    let token = login_with(
        endpoint,
        &client,
        DAY_SERVICE.personal_user_id,
        DAY_SERVICE.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap();
    let mut times = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        let page: MessagePage = client
            .get(endpoint.url("/v1/inbox?per_page=50"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        times.push(started.elapsed());
        assert_eq!(page.items.len(), 50);
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

/// Stage 1 with a wrong password: an office's own ID against IDs it does not have (unknown, another
/// office's). The answers are the same; the times should be too (one password hash each). Four
/// attempts per known ID, under the lockout.
async fn login_timing(endpoint: &Endpoint) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    let mut others = Vec::new();
    let offices = [CARE_MANAGER, HOME_HELP, DAY_SERVICE];
    for (i, office) in offices.iter().enumerate() {
        let client = endpoint.client(*office);
        let other = offices[(i + 1) % offices.len()];
        for n in 0..4 {
            for (ids, id) in [
                (&mut known, office.personal_user_id.to_owned()),
                (&mut unknown, format!("c9{i}{n}000000z")),
                (&mut others, other.personal_user_id.to_owned()),
            ] {
                let started = Instant::now();
                let refused = careplan_test_support::https::personal_stage(
                    endpoint,
                    &client,
                    &id,
                    "x-wrong-x",
                )
                .await;
                ids.push(started.elapsed());
                assert!(refused.is_err());
            }
        }
    }
    for list in [&mut known, &mut unknown, &mut others] {
        list.sort();
    }
    println!(
        "wrong-password logins, p50 ms: own ID {:.1}, unknown ID {:.1}, another office's ID {:.1} (12 each)",
        ms(percentile(&known, 0.5)),
        ms(percentile(&unknown, 0.5)),
        ms(percentile(&others, 0.5)),
    );
}

#[tokio::main]
async fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let large_inbox: usize = if quick {
        20_000
    } else {
        std::env::var("CAREPLAN_BENCH_LARGE_INBOX")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1_000_000)
    };
    if quick {
        println!("quick run (as a test, unoptimised): these figures only show that the benchmark works; use `cargo bench`");
    }
    // A typical unit: 3 CSV files, about 20 KB.
    let unit: Vec<(String, Vec<u8>)> = use_sheet_unit(0, 4);
    let unit_kb = unit.iter().map(|f| f.1.len()).sum::<usize>() as f64 / 1000.0;
    println!("unit: {} files, {unit_kb:.1} KB", unit.len());

    // The relay's data, seeded through the library; served by the binary.
    let setup = TestRelay::builder()
        .in_dir(temp_dir("bench"))
        .local_storage()
        .start()
        .await;
    let dir = setup.shut_down().await;
    let process = RelayProcess::start(&dir);
    let endpoint = std::sync::Arc::new(Endpoint::of_data_dir(&dir, process.port));

    println!("clients  sends/s  p50 ms  p99 ms  |  fetch+ack units/s  p50 ms  p99 ms");
    for &clients in &[1usize, 8, 64] {
        let per_client = if quick { 3 } else { (2000 / clients).max(20) };
        let mut sessions = Vec::new();
        for _ in 0..clients {
            let sender = endpoint.client(CARE_MANAGER);
            let sender_token = login_with(
                &*endpoint,
                &sender,
                CARE_MANAGER.personal_user_id,
                CARE_MANAGER.office_user_id,
                PASSWORD,
            )
            .await
            .unwrap();
            sessions.push((sender, sender_token));
        }
        let unit = std::sync::Arc::new(unit.clone());
        let (send_wall, send_lat) = run(clients, per_client, |c| {
            let (client, token) = sessions[c].clone();
            let (endpoint, unit) = (endpoint.clone(), unit.clone());
            async move {
                let mut latencies = Vec::new();
                for _ in 0..per_client {
                    let started = Instant::now();
                    let response = client
                        .post(endpoint.url("/v1/messages"))
                        .bearer_auth(&token)
                        .multipart(send_form(HOME_HELP.number, "", &unit))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
                    latencies.push(started.elapsed());
                }
                latencies
            }
        })
        .await;
        let sends = clients * per_client;

        // Fetch + ack every file of those units, spread over the same number of clients.
        let receiver = endpoint.client(HOME_HELP);
        let receiver_token = login_with(
            &*endpoint,
            &receiver,
            HOME_HELP.personal_user_id,
            HOME_HELP.office_user_id,
            PASSWORD,
        )
        .await
        .unwrap();
        let mut file_ids = Vec::new();
        for page in 1.. {
            let batch: MessagePage = receiver
                .get(endpoint.url(&format!("/v1/inbox?page={page}&per_page=200")))
                .bearer_auth(&receiver_token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let done = batch.items.len() < 200;
            for m in batch.items {
                for f in m.files.into_iter().filter(|f| f.fetched_at.is_none()) {
                    file_ids.push((f.id, f.sha256));
                }
            }
            if done {
                break;
            }
        }
        let chunks: Vec<Vec<(String, String)>> = file_ids
            .chunks(file_ids.len().div_ceil(clients))
            .map(|c| c.to_vec())
            .collect();
        let mut receivers = Vec::new();
        for _ in 0..chunks.len() {
            let client = endpoint.client(HOME_HELP);
            let token = login_with(
                &*endpoint,
                &client,
                HOME_HELP.personal_user_id,
                HOME_HELP.office_user_id,
                PASSWORD,
            )
            .await
            .unwrap();
            receivers.push((client, token));
        }
        let chunks = std::sync::Arc::new(chunks);
        let (fetch_wall, fetch_lat) = run(receivers.len(), 0, |c| {
            let (client, token) = receivers[c].clone();
            let (endpoint, chunks) = (endpoint.clone(), chunks.clone());
            async move {
                let mut latencies = Vec::new();
                for (id, sha) in &chunks[c] {
                    let started = Instant::now();
                    let bytes = client
                        .get(endpoint.url(&format!("/v1/files/{id}/content")))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap()
                        .bytes()
                        .await
                        .unwrap();
                    assert!(!bytes.is_empty());
                    let ack = client
                        .post(endpoint.url(&format!("/v1/files/{id}/ack")))
                        .bearer_auth(&token)
                        .json(&AckRequest {
                            sha256: sha.clone(),
                        })
                        .send()
                        .await
                        .unwrap();
                    assert!(ack.status().is_success());
                    latencies.push(started.elapsed());
                }
                latencies
            }
        })
        .await;
        println!(
            "{clients:>7}  {:>7.0}  {:>6.1}  {:>6.1}  |  {:>17.0}  {:>6.1}  {:>6.1}",
            sends as f64 / send_wall.as_secs_f64(),
            ms(percentile(&send_lat, 0.5)),
            ms(percentile(&send_lat, 0.99)),
            (file_ids.len() as f64 / unit.len() as f64) / fetch_wall.as_secs_f64(),
            ms(percentile(&fetch_lat, 0.5)),
            ms(percentile(&fetch_lat, 0.99)),
        );
    }
    println!(
        "relay peak memory (VmHWM): {:.1} MB",
        process.peak_memory_mb()
    );
    login_timing(&endpoint).await;
    drop(process);

    // 受信一覧 latency with a small and a large inbox.
    seed_inbox(&dir, 0, 10_000).await;
    let process = RelayProcess::start(&dir);
    let small = inbox_latency(&Endpoint::of_data_dir(&dir, process.port)).await;
    drop(process);
    seed_inbox(&dir, 10_000, large_inbox - 10_000).await;
    let process = RelayProcess::start(&dir);
    let large = inbox_latency(&Endpoint::of_data_dir(&dir, process.port)).await;
    drop(process);
    println!("受信一覧 page of 50: 10^4 messages p50 {:.1} ms p99 {:.1} ms; {large_inbox} messages p50 {:.1} ms p99 {:.1} ms; ratio of p50 {:.2}× (target ≤ 1.5×)", ms(small.0), ms(small.1), ms(large.0), ms(large.1), large.0.as_secs_f64() / small.0.as_secs_f64());
    let _ = std::fs::remove_dir_all(&dir);
}
