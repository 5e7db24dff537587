//! A hostile client at the socket (issue 15, items 3, 5 and 8): answers that come before an oversize
//! body is read, header trickles, idle keep-alives and stalled bodies that are cut off, a cap on
//! connections per certificate, a refusal of a large upload that the client reads instead of a reset
//! connection, and the relay's memory under twelve 200 MB uploads at once (the binary as its own
//! process).

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use careplan_test_support::raw::{request_head, RawConnection};
use careplan_test_support::relay_process::RelayProcess;
use common::*;
use reqwest::StatusCode;

/// A relay whose connection timeouts are short enough for a test.
async fn impatient_relay() -> TestRelay {
    TestRelay::builder()
        .limits(|limits| {
            limits.connections.header_read = Duration::from_secs(1);
            limits.connections.body_window = Duration::from_secs(1);
            limits.connections.body_min_bytes = 1024;
            limits.connections.per_certificate = 3;
        })
        .start()
        .await
}

async fn raw(relay: &TestRelay, seed: DemoOfficeSeed) -> RawConnection {
    let endpoint = relay.endpoint();
    RawConnection::open(&endpoint, &endpoint.cert_of(seed)).await
}

/// The head of a multipart upload announcing `length` bytes.
fn upload_head(path: &str, token: &str, length: u64) -> Vec<u8> {
    request_head(
        "POST",
        path,
        &[
            ("authorization", format!("Bearer {token}")),
            (
                "content-type",
                "multipart/form-data; boundary=b0undary".into(),
            ),
            ("content-length", length.to_string()),
        ],
    )
}

#[tokio::test]
async fn an_upload_that_announces_too_many_bytes_is_refused_before_its_body_is_sent() {
    let relay = TestRelay::start().await;
    let (_, token) = relay.https_login(CARE_MANAGER).await;
    for (path, code, limit) in [
        ("/v1/messages", "send.too_large", "10 MB"),
        ("/v1/bulk", "bulk.too_large", "100 MB"),
        ("/v1/drafts", "send.too_large", "10 MB"),
    ] {
        let mut connection = raw(&relay, CARE_MANAGER).await;
        // 200 MB announced, not a byte of it sent: the answer comes anyway.
        assert!(
            connection
                .send(&upload_head(path, &token, 200_000_000))
                .await
        );
        let response = connection
            .response(Duration::from_secs(10))
            .await
            .unwrap_or_else(|| panic!("{path}: no answer before the body"));
        assert_eq!(response.status, 413, "{path}");
        let error = response.api_error();
        assert_eq!(error.code, code);
        assert!(error.message.contains(limit), "{}", error.message);
    }
}

#[tokio::test]
async fn a_chunked_upload_is_refused_as_soon_as_it_passes_the_limit() {
    let relay = TestRelay::builder()
        .limits(|limits| limits.max_bulk_bytes = 1_000_000)
        .start()
        .await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    // A bulk body without a length (chunked), far longer than the limit: the relay answers 413
    // naming the limit once the limit is passed, while the client still has most of it to send.
    let produced = Arc::new(AtomicU64::new(0));
    let counter = produced.clone();
    let chunk = bytes::Bytes::from(vec![b'a'; 64 * 1024]);
    let head = bytes::Bytes::from(
        "--b0undary\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n",
    );
    let body = futures::stream::iter(
        std::iter::once(head).chain(std::iter::repeat_n(chunk, 3_200)),
    )
    .map(move |piece| {
        counter.fetch_add(piece.len() as u64, Ordering::Relaxed);
        Ok::<_, std::io::Error>(piece)
    });
    let response = client
        .post(relay.api_url("/v1/bulk"))
        .bearer_auth(&token)
        .header("content-type", "multipart/form-data; boundary=b0undary")
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await
        .expect("the refusal is read, not a reset connection");
    let (status, error) = ok_json::<serde_json::Value>(response).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "bulk.too_large")
    );
    assert!(
        error.message.contains("合計 1 MB まで"),
        "{}",
        error.message
    );
    let sent = produced.load(Ordering::Relaxed);
    assert!(sent < 100_000_000, "the client sent {sent} bytes of 200 MB");
}

use futures::StreamExt;

#[tokio::test]
async fn a_refusal_of_a_large_upload_reaches_the_client_as_the_japanese_error() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    // 8 MB with a session that does not exist: refused before the body is read.
    let files = vec![("意見書.pdf".to_owned(), vec![b'%'; 8_000_000])];
    let response = client
        .post(relay.api_url("/v1/messages"))
        .bearer_auth("0".repeat(64))
        .multipart(send_form(HOME_HELP.number, "", &files))
        .send()
        .await
        .expect("the answer, not a broken connection");
    let (status, error) = ok_json::<serde_json::Value>(response).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.session_required")
    );
    // The client library says the same.
    let library = relay.client(CARE_MANAGER);
    let file = careplan_client::LocalFile {
        name: "意見書.pdf".into(),
        bytes: files[0].1.clone().into(),
    };
    let refused = library
        .send(
            HOME_HELP.number,
            "",
            &[file],
            careplan_client::no_progress(),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "auth.session_required", "{refused:?}");
}

#[tokio::test]
async fn a_header_trickle_is_cut_off() {
    let relay = impatient_relay().await;
    let mut connection = raw(&relay, CARE_MANAGER).await;
    let started = Instant::now();
    assert!(
        connection
            .send(b"GET /v1/home HTTP/1.1\r\nhost: localhost\r\n")
            .await
    );
    // One header byte every 200 ms: the head never completes within the second it is given.
    let mut still_open = true;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if !connection.send(b"x").await {
            still_open = false;
            break;
        }
    }
    assert!(
        !still_open || connection.closed_within(Duration::from_secs(2)).await,
        "the connection is still open after {:?}",
        started.elapsed()
    );
    assert!(started.elapsed() < Duration::from_secs(6));
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let relay = impatient_relay().await;
    let mut connection = raw(&relay, CARE_MANAGER).await;
    assert!(connection.send(&request_head("GET", "/v1/home", &[])).await);
    let response = connection.response(Duration::from_secs(5)).await.unwrap();
    assert_eq!(response.status, 401);
    // Kept alive, then nothing: closed within the header timeout.
    assert!(connection.closed_within(Duration::from_secs(4)).await);
}

#[tokio::test]
async fn a_stalled_body_is_cut_off() {
    let relay = impatient_relay().await;
    let (_, token) = relay.https_login(CARE_MANAGER).await;
    let mut connection = raw(&relay, CARE_MANAGER).await;
    assert!(
        connection
            .send(&upload_head("/v1/messages", &token, 100_000))
            .await
    );
    assert!(connection.send(b"--b0undary\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n").await);
    let started = Instant::now();
    // 10 bytes a second against 1 KiB a second required.
    let trickle = async {
        for _ in 0..60 {
            if !connection.send(b"aaaaaaaaaa").await {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1000)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(4), trickle).await;
    let response = connection.response(Duration::from_secs(3)).await;
    let response = response.expect("a 408 before the connection closes");
    assert_eq!(response.status, 408);
    assert_eq!(response.api_error().code, "request.body_timeout");
    assert!(started.elapsed() < Duration::from_secs(8));
}

#[tokio::test]
async fn one_certificate_holds_a_limited_number_of_connections() {
    let relay = impatient_relay().await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(raw(&relay, CARE_MANAGER).await);
    }
    let mut fourth = raw(&relay, CARE_MANAGER).await;
    assert!(fourth.send(&request_head("GET", "/v1/home", &[])).await);
    let response = fourth.response(Duration::from_secs(5)).await.unwrap();
    assert_eq!(response.status, 429);
    assert_eq!(response.header("retry-after"), Some("5"));
    assert_eq!(response.api_error().code, "connection.too_many");
    // Another office's certificate is not affected; a closed connection makes room.
    let mut other = raw(&relay, HOME_HELP).await;
    assert!(other.send(&request_head("GET", "/v1/home", &[])).await);
    assert_eq!(
        other.response(Duration::from_secs(5)).await.unwrap().status,
        401
    );
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut again = raw(&relay, CARE_MANAGER).await;
    assert!(again.send(&request_head("GET", "/v1/home", &[])).await);
    assert_eq!(
        again.response(Duration::from_secs(5)).await.unwrap().status,
        401
    );
}

/// Twelve uploads of 200 MB at once to the relay binary: six that say their length (refused from
/// the header), six chunked (refused once past the limit, to the bulk route whose limit is 100 MB);
/// the relay's peak memory stays under its 200 MB target.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twelve_refused_200_mb_uploads_keep_the_relay_under_200_mb() {
    let seeded = TestRelay::builder()
        .in_dir(temp_dir("memory"))
        .local_storage()
        .start()
        .await;
    let dir = seeded.shut_down().await;
    let process = RelayProcess::serve(
        std::path::Path::new(env!("CARGO_BIN_EXE_careplan-relay")),
        &dir,
        &[("CAREPLAN_RATE_PER_MINUTE", "0")],
    );
    let endpoint = process.endpoint(&dir);
    let (client, token) = endpoint.login(CARE_MANAGER).await;
    let uploads = (0..12).map(|i| {
        let (client, token, url) = (client.clone(), token.clone(), endpoint.url("/v1/bulk"));
        async move {
            let chunk = bytes::Bytes::from(vec![b'a'; 256 * 1024]);
            let head = bytes::Bytes::from(
                "--b0undary\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n",
            );
            let pieces = std::iter::once(head).chain(std::iter::repeat_n(chunk, 763));
            let body = reqwest::Body::wrap_stream(futures::stream::iter(
                pieces.map(Ok::<_, std::io::Error>),
            ));
            let mut request = client
                .post(url)
                .bearer_auth(token)
                .header("content-type", "multipart/form-data; boundary=b0undary");
            if i % 2 == 0 {
                request = request.header("content-length", "200016000");
            }
            match request.body(body).send().await {
                Ok(response) => response.status().as_u16(),
                Err(_) => 0,
            }
        }
    });
    let statuses = futures::future::join_all(uploads).await;
    let peak = process.peak_memory_mb();
    eprintln!(
        "twelve refused 200 MB uploads: statuses {statuses:?}, relay peak memory {peak:.1} MB"
    );
    assert!(
        statuses.iter().all(|&s| s == 413 || s == 503),
        "every upload is refused: {statuses:?}"
    );
    assert!(peak > 0.0 && peak < 200.0, "peak {peak:.1} MB");
}
