//! A demo relay in the test process (the relay crate as a library, real mutual TLS on 127.0.0.1),
//! clients for its offices, and a TCP proxy that breaks connections on cue.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use careplan_client::{ClientIdentity, LoginCredentials, RelayAddress, RelayClient};
use careplan_relay::demo::{DemoInfo, DemoOffice};
use careplan_relay::{Relay, RelayConfig, RunningRelay};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Temporary folders that the next test run removes.
pub use careplan_test_support::temp_dir;

pub struct DemoRelay {
    pub relay: Relay,
    pub running: Option<RunningRelay>,
    pub info: DemoInfo,
    pub dir: PathBuf,
    pub port: u16,
}

/// Offices of the demo data, by role.
pub const CARE_MANAGER: usize = 0;
pub const HOME_HELP: usize = 1;

impl DemoRelay {
    pub async fn start() -> DemoRelay {
        let dir = temp_dir("relay");
        let relay = Relay::init(
            RelayConfig::new(&dir),
            &["localhost".to_owned(), "127.0.0.1".to_owned()],
        )
        .await
        .unwrap();
        let info = relay.seed_demo().await.unwrap();
        let running = relay.serve("127.0.0.1:0").await.unwrap();
        let port = running.addr.port();
        DemoRelay {
            relay,
            running: Some(running),
            info,
            dir,
            port,
        }
    }

    pub fn office(&self, index: usize) -> &DemoOffice {
        &self.info.offices[index]
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    pub fn address(&self, url: String) -> RelayAddress {
        RelayAddress {
            url,
            ca_pem: std::fs::read(&self.info.ca_certificate).unwrap(),
        }
    }

    /// The office's client: the care manager's from its .p12, the others' from PEM, so that both
    /// forms are used on every run.
    pub fn client(&self, index: usize) -> RelayClient {
        self.client_at(index, self.url())
    }

    pub fn client_at(&self, index: usize, url: String) -> RelayClient {
        let office = self.office(index);
        let identity = if index == CARE_MANAGER {
            ClientIdentity::load(&office.pkcs12, Some(&office.pkcs12_password)).unwrap()
        } else {
            ClientIdentity::load(&office.certificate, None).unwrap()
        };
        RelayClient::new(&self.address(url), identity).unwrap()
    }

    pub fn credentials(&self, index: usize) -> LoginCredentials {
        let office = self.office(index);
        LoginCredentials {
            personal_id: office.personal_user_id.clone(),
            personal_password: office.personal_password.clone(),
            office_user_id: office.office_user_id.clone(),
            office_password: office.office_password.clone(),
            terminal_name: "テスト端末".into(),
        }
    }

    pub async fn logged_in(&self, index: usize) -> RelayClient {
        let client = self.client(index);
        client.login(&self.credentials(index)).await.unwrap();
        client
    }
}

pub fn fixture_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/valid")
        .join(case)
}

pub fn fixture_paths(case: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture_dir(case))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
}

/// What the proxy does to the next connection that carries traffic after it is armed.
#[derive(Clone, Copy, Debug)]
enum Fault {
    None,
    /// Forward this many bytes from the relay, then close: a download broken mid-way.
    CutAfterServerBytes(u64),
    /// Once the client has sent this many bytes, drop the relay's answer and close: a send that
    /// arrived but whose answer was lost.
    DropAnswerAfterClientBytes(u64),
}

/// A TCP proxy in front of the relay (TLS passes through it untouched).
pub struct FaultyProxy {
    pub port: u16,
    fault: Arc<Mutex<Fault>>,
    pub cuts: Arc<AtomicU64>,
}

impl FaultyProxy {
    pub async fn start(target_port: u16) -> FaultyProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let fault = Arc::new(Mutex::new(Fault::None));
        let cuts = Arc::new(AtomicU64::new(0));
        let (accept_fault, accept_cuts) = (fault.clone(), cuts.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = TcpStream::connect(("127.0.0.1", target_port))
                    .await
                    .unwrap();
                tokio::spawn(pipe(
                    client,
                    server,
                    accept_fault.clone(),
                    accept_cuts.clone(),
                ));
            }
        });
        FaultyProxy { port, fault, cuts }
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    pub fn cut_download_after(&self, bytes: u64) {
        *self.fault.lock().unwrap() = Fault::CutAfterServerBytes(bytes);
    }

    pub fn drop_answer_after_upload_of(&self, bytes: u64) {
        *self.fault.lock().unwrap() = Fault::DropAnswerAfterClientBytes(bytes);
    }
}

/// Copies both ways; counts bytes from the moment a fault is armed, and applies it once.
async fn pipe(
    client: TcpStream,
    server: TcpStream,
    fault: Arc<Mutex<Fault>>,
    cuts: Arc<AtomicU64>,
) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let client_sent = Arc::new(AtomicU64::new(0));
    let armed_at = Arc::new(Mutex::new(None::<u64>));
    let upstream = {
        let (client_sent, fault, armed_at) = (client_sent.clone(), fault.clone(), armed_at.clone());
        async move {
            let mut buffer = vec![0u8; 16 * 1024];
            loop {
                let n = match client_read.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let total = client_sent.fetch_add(n as u64, Ordering::SeqCst) + n as u64;
                if !matches!(*fault.lock().unwrap(), Fault::None) {
                    armed_at.lock().unwrap().get_or_insert(total - n as u64);
                }
                if server_write.write_all(&buffer[..n]).await.is_err() {
                    break;
                }
            }
            let _ = server_write.shutdown().await;
        }
    };
    let downstream = async move {
        let mut buffer = vec![0u8; 16 * 1024];
        let mut server_sent_since_armed = 0u64;
        loop {
            let n = match server_read.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let armed = *armed_at.lock().unwrap();
            let current = *fault.lock().unwrap();
            match (current, armed) {
                (Fault::CutAfterServerBytes(limit), Some(_)) => {
                    let room = limit.saturating_sub(server_sent_since_armed) as usize;
                    if n >= room {
                        let _ = client_write.write_all(&buffer[..room]).await;
                        *fault.lock().unwrap() = Fault::None;
                        cuts.fetch_add(1, Ordering::SeqCst);
                        break;
                    }
                    server_sent_since_armed += n as u64;
                }
                (Fault::DropAnswerAfterClientBytes(limit), Some(start))
                    if client_sent.load(Ordering::SeqCst) - start >= limit =>
                {
                    *fault.lock().unwrap() = Fault::None;
                    cuts.fetch_add(1, Ordering::SeqCst);
                    break;
                }
                _ => {}
            }
            if client_write.write_all(&buffer[..n]).await.is_err() {
                break;
            }
        }
        let _ = client_write.shutdown().await;
    };
    // When either side ends (or a fault cuts), the whole connection goes.
    tokio::select! {
        _ = upstream => {},
        _ = downstream => {},
    }
}
