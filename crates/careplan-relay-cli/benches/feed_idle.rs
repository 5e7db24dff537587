//! 受信通知 at scale: one relay process holding 10,000 idle change feeds (`GET /v1/events`) opened
//! by a load generator on loopback. Prints the relay's resident memory per idle feed, its CPU while
//! the feeds idle, the delay from a send to its `arrived` event at the receiver with all the feeds
//! open (p50, p99), and, for comparison, what the same offices would cost polling every 5 minutes
//! instead (requests per second, and the relay's CPU per poll on a fresh TLS connection, as a poll
//! 5 minutes after the last finds its connection closed). Asserts nothing about speed.
//!
//! `cargo bench -p careplan-relay-cli --bench feed_idle` (`CAREPLAN_BENCH_FEEDS` sets the number of
//! feeds, default 10,000). As a test (`cargo test --bench feed_idle`) it runs with 200 feeds.
//!
//! The feeds' sessions and tokens are written through the relay's store before it is served (a
//! login costs an argon2 hash on purpose; 10,000 of them would measure that instead). The idle feeds
//! belong to two offices; the receiver whose delay is measured has one feed, as an office has.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use careplan_relay::store::{FeedTokenRow, SessionRow};
use careplan_relay::{Relay, RelayConfig};
use careplan_test_support::https::{login_with, send_form, Endpoint};
use careplan_test_support::{
    temp_dir, DemoOfficeSeed, TestRelay, CARE_MANAGER, DAY_SERVICE, HOME_HELP, PASSWORD,
    WELFARE_EQUIPMENT,
};
use futures::StreamExt;
use sha2::{Digest, Sha256};

/// The idle feeds' offices: not the sender, whose login must stay under its office's session cap.
const IDLE_OFFICES: [DemoOfficeSeed; 2] = [DAY_SERVICE, WELFARE_EQUIPMENT];

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
            .env_remove("BLOB_STORE_URL")
            // Thousands of feeds of one office and one certificate stand for thousands of offices.
            .env("CAREPLAN_RATE_PER_MINUTE", "0")
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

    fn status_kb(&self, field: &str) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse().ok())
            .unwrap_or(0.0)
    }

    /// The relay's CPU time so far (user + system).
    fn cpu(&self) -> Duration {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // After the command name's closing parenthesis: state is field 3, utime 14, stime 15.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0)
            + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
        let per_second = ticks_per_second();
        Duration::from_secs_f64(ticks as f64 / per_second)
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(100.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The SHA-256 of a PEM certificate's DER: how the relay knows it.
fn fingerprint_of(pem: &std::path::Path) -> String {
    let text = std::fs::read_to_string(pem).unwrap();
    let body: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    hex::encode(Sha256::digest(der))
}

/// Writes a session and a feed token for each feed; answers (office, token) per feed.
async fn seed_feeds(
    dir: &std::path::Path,
    info: &careplan_relay::demo::DemoInfo,
    feeds: usize,
) -> Vec<(DemoOfficeSeed, String)> {
    let relay = Relay::open(RelayConfig::new(dir)).await.unwrap();
    let started = Instant::now();
    let now = careplan_relay::clock::now_ms();
    let expires_at = now + 8 * 3_600_000;
    let mut tokens = Vec::with_capacity(feeds);
    for i in 0..feeds {
        // The last feed is the receiver's, the only one of its office.
        let seed = if i == feeds - 1 {
            HOME_HELP
        } else {
            IDLE_OFFICES[i % IDLE_OFFICES.len()]
        };
        let office = info
            .offices
            .iter()
            .find(|o| o.number == seed.number)
            .unwrap();
        let fingerprint = fingerprint_of(&office.certificate);
        let session = hex::encode(Sha256::digest(format!("session{i}")));
        let token = format!("feed-token-{i}");
        relay
            .state
            .store
            .sessions()
            .insert(
                &session,
                &SessionRow {
                    office_number: seed.number.into(),
                    personal_user_id: seed.personal_user_id.into(),
                    office_user_id: seed.office_user_id.into(),
                    terminal_name: format!("PC{i}"),
                    cert_fingerprint: fingerprint.clone(),
                    expires_at,
                },
                now,
            )
            .await
            .unwrap();
        relay
            .state
            .store
            .feed_tokens()
            .issue(
                &hex::encode(Sha256::digest(token.as_bytes())),
                &session,
                &FeedTokenRow {
                    office_number: seed.number.into(),
                    cert_fingerprint: fingerprint,
                    expires_at,
                },
                now,
            )
            .await
            .unwrap();
        tokens.push((seed, token));
    }
    eprintln!(
        "  seeded {feeds} sessions and feed tokens in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    relay.state.store.close().await;
    tokens
}

type Feed = futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>;

/// Opens a feed and reads its first event (the office's state).
async fn open_feed(client: reqwest::Client, url: String, token: String) -> Feed {
    let response = client
        .get(url)
        .bearer_auth(token)
        .timeout(Duration::from_secs(3600))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut stream = response.bytes_stream().boxed();
    let first = stream.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: state"));
    stream
}

/// Reads the feed until an `arrived` event naming `message_id`.
async fn until_arrived(feed: &mut Feed, message_id: &str) {
    let mut seen = String::new();
    while !seen.contains(message_id) {
        let chunk = feed.next().await.unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let feeds: usize = if quick {
        200
    } else {
        std::env::var("CAREPLAN_BENCH_FEEDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000)
    };
    // A full minute of idling: each feed checks its token and its office once a minute.
    let (idle_seconds, sends, polls) = if quick { (2, 10, 20) } else { (60, 200, 1000) };
    if quick {
        println!("quick run (as a test, unoptimised): these figures only show that the benchmark works; use `cargo bench`");
    }

    let setup = TestRelay::builder()
        .in_dir(temp_dir("feed-bench"))
        .local_storage()
        .start()
        .await;
    let info = setup.info.clone();
    let dir = setup.shut_down().await;
    let tokens = seed_feeds(&dir, &info, feeds).await;
    let process = RelayProcess::start(&dir);
    let endpoint = std::sync::Arc::new(Endpoint::of_data_dir(&dir, process.port));
    let url = endpoint.url("/v1/events");
    let clients: std::collections::HashMap<&str, reqwest::Client> = IDLE_OFFICES
        .iter()
        .chain([&HOME_HELP, &CARE_MANAGER])
        .map(|seed| (seed.number, endpoint.client(*seed)))
        .collect();
    // Settled after start (migrations, the first connections' pool).
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = process.status_kb("VmRSS:");

    // Opening: 64 at a time, as offices do not all connect in the same millisecond.
    let opening = Instant::now();
    let mut open = Vec::with_capacity(feeds);
    let mut pending = futures::stream::iter(
        tokens
            .into_iter()
            .map(|(seed, token)| open_feed(clients[seed.number].clone(), url.clone(), token)),
    )
    .buffered(64);
    while let Some(feed) = pending.next().await {
        open.push(feed);
    }
    drop(pending);
    let opened_in = opening.elapsed();
    let mut receiver = open.pop().unwrap();

    // Idle.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (cpu_idle_start, idle_start) = (process.cpu(), Instant::now());
    tokio::time::sleep(Duration::from_secs(idle_seconds)).await;
    let idle_cpu = process.cpu() - cpu_idle_start;
    let idle_wall = idle_start.elapsed();
    let rss_open = process.status_kb("VmRSS:");
    let per_feed_kb = (rss_open - rss_before) / feeds as f64;

    // Sends to the receiver while every feed is open: from the send's request to its event.
    let sender = endpoint.client(CARE_MANAGER);
    let token = login_with(
        &*endpoint,
        &sender,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap();
    let files = careplan_test_support::fixtures::fixture_files("valid/v41-use-sheet");
    let mut delays = Vec::with_capacity(sends);
    let mut answered = Vec::with_capacity(sends);
    for _ in 0..sends {
        let started = Instant::now();
        let response = sender
            .post(endpoint.url("/v1/messages"))
            .bearer_auth(&token)
            .multipart(send_form(HOME_HELP.number, "", &files))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let sent: careplan_api::SendResponse = response.json().await.unwrap();
        answered.push(started.elapsed());
        until_arrived(&mut receiver, &sent.message.id).await;
        delays.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    delays.sort();
    answered.sort();
    let rss_peak = process.status_kb("VmHWM:");

    // The same offices polling instead: every 5 minutes each, on a fresh connection each time.
    drop(open);
    drop(receiver);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let poller = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(
            reqwest::Certificate::from_pem(&std::fs::read(&info.ca_certificate).unwrap()).unwrap(),
        )
        .identity({
            let office = info
                .offices
                .iter()
                .find(|o| o.number == HOME_HELP.number)
                .unwrap();
            let mut pem = std::fs::read(&office.certificate).unwrap();
            pem.extend(std::fs::read(&office.private_key).unwrap());
            reqwest::Identity::from_pem(&pem).unwrap()
        })
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let poll_token = format!("feed-token-{}", feeds - 1);
    let cpu_polls_start = process.cpu();
    let polling = Instant::now();
    for _ in 0..polls {
        let response = poller
            .get(endpoint.url("/v1/events/state"))
            .bearer_auth(&poll_token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let _ = response.bytes().await.unwrap();
    }
    let poll_cpu = (process.cpu() - cpu_polls_start) / polls as u32;
    let poll_wall = polling.elapsed() / polls as u32;
    let polls_per_second = feeds as f64 / 300.0;

    println!(
        "feeds open: {feeds} (opened in {:.1} s, 64 at a time)",
        opened_in.as_secs_f64()
    );
    println!(
        "relay memory: {:.1} MB before, {:.1} MB with the feeds open: {per_feed_kb:.1} KB per idle feed; peak {:.1} MB",
        rss_before / 1024.0,
        rss_open / 1024.0,
        rss_peak / 1024.0
    );
    println!(
        "relay CPU while {feeds} feeds idle: {:.2} % of one core ({:.1} ms CPU over {:.0} s; {:.2} µs per feed per second)",
        idle_cpu.as_secs_f64() / idle_wall.as_secs_f64() * 100.0,
        ms(idle_cpu),
        idle_wall.as_secs_f64(),
        idle_cpu.as_secs_f64() * 1e6 / idle_wall.as_secs_f64() / feeds as f64
    );
    println!(
        "send → arrived event with {feeds} feeds open: p50 {:.1} ms, p99 {:.1} ms (the send's own answer: p50 {:.1} ms, p99 {:.1} ms; {sends} sends)",
        ms(percentile(&delays, 0.5)),
        ms(percentile(&delays, 0.99)),
        ms(percentile(&answered, 0.5)),
        ms(percentile(&answered, 0.99)),
    );
    println!(
        "polling instead, every 5 min: {polls_per_second:.1} requests/s for {feeds} offices; each poll on a fresh TLS connection costs the relay {:.0} µs CPU ({:.1} ms wall), so {:.2} % of one core, against {:.2} % for the open feeds",
        poll_cpu.as_secs_f64() * 1e6,
        ms(poll_wall),
        polls_per_second * poll_cpu.as_secs_f64() * 100.0,
        idle_cpu.as_secs_f64() / idle_wall.as_secs_f64() * 100.0,
    );
    println!(
        "latency of news: the feed {:.1} ms at p50; polling every 5 min: 150 s on average, 300 s at worst",
        ms(percentile(&delays, 0.5))
    );
}
