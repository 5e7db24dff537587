//! What the relay's log tells a help desk: every answer carries a request id, and the log line of a
//! refusal names that id, the office and the reason, never the password that was tried.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use careplan_test_support::https::Endpoint;
use careplan_test_support::processes::Guarded;
use careplan_test_support::{temp_dir, TestRelay, CARE_MANAGER, PASSWORD};
use reqwest::StatusCode;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn a_refused_login_is_found_in_the_log_by_the_request_id_its_answer_carries() {
    let setup = TestRelay::builder()
        .in_dir(temp_dir("logs"))
        .local_storage()
        .start()
        .await;
    let dir = setup.shut_down().await;
    let port = free_port();
    let log = dir.join("relay.log");
    let _server = Guarded::spawn(
        Command::new(env!("CARGO_BIN_EXE_careplan-relay"))
            .args(["serve", "--data", dir.to_str().unwrap(), "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .env_remove("DATABASE_URL")
            .env_remove("BLOB_STORE_URL")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap()),
    )
    .unwrap();
    let endpoint = Endpoint::of_data_dir(&dir, port);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the relay did not start");
        std::thread::sleep(Duration::from_millis(20));
    }

    let client = endpoint.client(CARE_MANAGER);
    let wrong = "wrong-password-7Q";
    let response = client
        .post(endpoint.url("/v1/login/personal"))
        // A client's own id is not taken: the relay makes its own.
        .header("x-request-id", "client-chosen id")
        .json(&serde_json::json!({ "user_id": CARE_MANAGER.personal_user_id, "password": wrong }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_ne!(id, "client-chosen id");

    // A success carries one too, a different one.
    let (client, token) = endpoint.login(CARE_MANAGER).await;
    let home = client
        .get(endpoint.url("/v1/home"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    assert_ne!(home.headers()["x-request-id"], id.as_str());

    // The log line of the refusal: its id, the office the certificate names, the code.
    let deadline = Instant::now() + Duration::from_secs(10);
    let text = loop {
        let text = std::fs::read_to_string(&log).unwrap();
        if text.contains(&id) && text.contains("refused") {
            break text;
        }
        assert!(Instant::now() < deadline, "no log line for {id}:\n{text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let line = text
        .lines()
        .find(|l| l.contains(&id) && l.contains("refused"))
        .unwrap();
    assert!(line.contains(CARE_MANAGER.number), "{line}");
    assert!(line.contains("auth.invalid_credentials"), "{line}");
    assert!(!text.contains(wrong), "a password in the log:\n{text}");
    assert!(!text.contains(PASSWORD), "a password in the log:\n{text}");
    assert!(
        !text.contains(&token),
        "a session token in the log:\n{text}"
    );
    assert!(!text.contains("client-chosen"), "{text}");
}
