//! The relay binary's memory under twelve 200 MB uploads at once (issue 15, item 3): the binary as
//! its own process, so that its peak resident set size is the relay's alone.

use careplan_test_support::relay_process::RelayProcess;
use careplan_test_support::{temp_dir, TestRelay, CARE_MANAGER};

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
