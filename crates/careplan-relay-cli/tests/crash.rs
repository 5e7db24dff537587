//! Durability: `kill -9` the relay at random moments during many sends, restart it on the same data,
//! and check that every send that was answered with success is there, byte-identical, that no
//! partial message is visible, and that no blob is left without its message.

use std::collections::{BTreeMap, HashSet};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use careplan_api::{MessagePage, SendResponse};
use careplan_relay::blobs::BlobStore;
use careplan_relay::store::Store;
use careplan_relay::{Relay, RelayConfig};
use careplan_test_support::fixtures::fixture_files;
use careplan_test_support::https::{login_with, ok_json, send_form, Endpoint};
use careplan_test_support::{
    temp_dir, DemoOfficeSeed, TestRelay, CARE_MANAGER, HOME_HELP, PASSWORD,
};
use sha2::{Digest, Sha256};

struct Server {
    child: Child,
}

fn start_server(dir: &std::path::Path, port: u16, database_url: &Option<String>) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_careplan-relay"));
    command
        .args([
            "serve",
            "--data",
            dir.to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
        .env_remove("DATABASE_URL")
        .env_remove("BLOB_STORE_URL");
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    let child = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the relay did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Server { child }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_survive_kill_minus_nine() {
    // Set up the register through the library, then hand the data directory to the binary.
    let setup = TestRelay::builder().in_dir(temp_dir("crash")).start().await;
    let database_url = setup.relay.config.database_url.clone();
    let blob_store_url = setup.relay.config.blob_store_url();
    let dir = setup.shut_down().await;
    let port = free_port();
    let endpoint = Endpoint::of_data_dir(&dir, port);
    let plan = fixture_files("valid/v41-plan");
    let expected: BTreeMap<String, String> = plan
        .iter()
        .map(|(n, b)| (n.clone(), hex::encode(Sha256::digest(b))))
        .collect();
    let sender = endpoint.client(CARE_MANAGER);
    let login = |client: reqwest::Client, office: DemoOfficeSeed| {
        let endpoint = endpoint.clone();
        async move {
            login_with(
                &endpoint,
                &client,
                office.personal_user_id,
                office.office_user_id,
                PASSWORD,
            )
            .await
            .expect("login after restart")
        }
    };

    let mut answered: BTreeMap<String, String> = BTreeMap::new(); // idempotency key → message id
    let mut server = start_server(&dir, port, &database_url);
    let mut token = login(sender.clone(), CARE_MANAGER).await;
    let mut attempt = 0u32;
    let mut kills = 0;
    let started = Instant::now();
    while kills < 5 {
        // Kill at a random moment while sends are in flight.
        let kill_after = Duration::from_millis(50 + u64::from(rand::random::<u16>() % 400));
        let kill_at = Instant::now() + kill_after;
        let mut in_flight = Vec::new();
        while Instant::now() < kill_at {
            attempt += 1;
            let key = format!("crash-{attempt}");
            let form = send_form(HOME_HELP.number, &key, &plan);
            let request = sender
                .post(endpoint.url("/v1/messages"))
                .bearer_auth(&token)
                .header("Idempotency-Key", &key)
                .multipart(form);
            in_flight.push((key, tokio::spawn(request.send())));
            if in_flight.len() >= 4 {
                let (key, task) = in_flight.remove(0);
                if let Ok(Ok(response)) = task.await {
                    if response.status().is_success() {
                        let body: SendResponse = response.json().await.unwrap();
                        answered.insert(key, body.message.id);
                    }
                }
            }
        }
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        kills += 1;
        for (key, task) in in_flight {
            if let Ok(Ok(response)) = task.await {
                if response.status().is_success() {
                    if let Ok(body) = response.json::<SendResponse>().await {
                        answered.insert(key, body.message.id);
                    }
                }
            }
        }
        server = start_server(&dir, port, &database_url);
        token = login(sender.clone(), CARE_MANAGER).await;
    }
    assert!(
        !answered.is_empty(),
        "some sends succeeded between the kills"
    );

    // Everything answered is there, whole and byte-identical; nothing partial is visible.
    let receiver = endpoint.client(HOME_HELP);
    let receiver_token = login(receiver.clone(), HOME_HELP).await;
    let mut messages = Vec::new();
    for page in 1.. {
        let url = endpoint.url(&format!("/v1/inbox?page={page}&per_page=200"));
        let batch: MessagePage = ok_json(
            receiver
                .get(url)
                .bearer_auth(&receiver_token)
                .send()
                .await
                .unwrap(),
        )
        .await
        .unwrap();
        let done = batch.items.len() < 200;
        messages.extend(batch.items);
        if done {
            break;
        }
    }
    let ids: std::collections::HashSet<&str> = messages.iter().map(|m| m.id.as_str()).collect();
    for (key, id) in &answered {
        assert!(
            ids.contains(id.as_str()),
            "the answered send {key} is stored"
        );
    }
    for message in &messages {
        assert_eq!(
            message.files.len(),
            plan.len(),
            "no partial message: {}",
            message.id
        );
    }
    let mut keys = std::collections::HashSet::new();
    for message in &messages {
        assert!(
            keys.insert(message.message.clone()),
            "one message per idempotency key: {}",
            message.message
        );
    }
    // Byte-identical content for a sample of the answered sends.
    for message in messages
        .iter()
        .filter(|m| answered.contains_key(&m.message))
        .take(5)
    {
        for file in &message.files {
            let url = endpoint.url(&format!("/v1/files/{}/content", file.id));
            let bytes = receiver
                .get(url)
                .bearer_auth(&receiver_token)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            assert_eq!(
                hex::encode(Sha256::digest(&bytes)),
                expected[&file.name],
                "{}",
                file.name
            );
        }
    }
    drop(server);

    // Blobs, counted in the blob store itself right after the last kill, before anything sweeps:
    // every file of every visible message has its blob (durable before visible), and what else is
    // there belongs to sends that were killed before their commit.
    let store = Store::connect(&setup_database_url(&dir, &database_url))
        .await
        .unwrap();
    let referenced = store.referenced_blob_keys().await.unwrap();
    store.close().await;
    let blobs = BlobStore::open(&blob_store_url).unwrap();
    let before: HashSet<String> = blobs.list("messages").await.unwrap().into_iter().collect();
    assert_eq!(referenced.len(), messages.len() * plan.len());
    let missing: Vec<&String> = referenced.difference(&before).collect();
    assert!(
        missing.is_empty(),
        "blobs of visible messages lost: {missing:?}"
    );
    let orphans = before.len() - referenced.len();

    // Opening the relay sweeps exactly the orphans: the store then holds the referenced blobs only.
    let mut config = RelayConfig::new(&dir);
    config.database_url = database_url;
    let relay = Relay::open(config).await.unwrap();
    let after: HashSet<String> = blobs.list("messages").await.unwrap().into_iter().collect();
    assert_eq!(
        after, referenced,
        "after the sweep only referenced blobs remain"
    );
    assert_eq!(
        relay.sweep_orphans().await.unwrap(),
        0,
        "nothing left to sweep"
    );
    eprintln!(
        "crash test: {attempt} sends attempted, {} answered, {} stored, {orphans} orphan blobs swept, {kills} kills, {:.1} s",
        answered.len(),
        messages.len(),
        started.elapsed().as_secs_f64()
    );
}

/// The database the binary used: the test relay's PostgreSQL database, or SQLite in the folder.
fn setup_database_url(dir: &std::path::Path, database_url: &Option<String>) -> String {
    let mut config = RelayConfig::new(dir);
    config.database_url = database_url.clone();
    config.database_url()
}
