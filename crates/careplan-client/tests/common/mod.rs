//! The client's tests: the one test relay of careplan-test-support (real mutual TLS on 127.0.0.1),
//! and a TCP proxy that breaks connections on cue, which only these tests need.
#![allow(dead_code, unused_imports)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub use careplan_test_support::fixtures::{fixture_dir, fixture_paths};
pub use careplan_test_support::{
    temp_dir, TestRelay, CARE_MANAGER, DAY_SERVICE, HOME_HELP, WELFARE_EQUIPMENT,
};

/// What the proxy does to the next connection that carries traffic after it is armed.
#[derive(Clone, Copy, Debug)]
enum Fault {
    None,
    /// Forward this many bytes from the relay, then close: a download broken mid-way.
    CutAfterServerBytes(u64),
    /// Once the client has sent this many bytes, drop the relay's answer and close: a send that
    /// arrived but whose answer was lost.
    DropAnswerAfterClientBytes(u64),
    /// Keep the connection open but pass nothing more from the relay: a proxy that buffers an
    /// answer that never ends (a change feed).
    HoldAnswer,
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

    pub fn hold_next_answer(&self) {
        *self.fault.lock().unwrap() = Fault::HoldAnswer;
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
        let mut holding = false;
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
                (Fault::HoldAnswer, Some(_)) => {
                    // This connection only: the next ones pass.
                    *fault.lock().unwrap() = Fault::None;
                    holding = true;
                }
                _ => {}
            }
            if holding {
                continue;
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

/// A folder nobody may write to, even the administrator: the immutable flag where the tests run as
/// root (permission bits do not stop root), read-only permissions otherwise.
pub struct ReadOnlyFolder(pub std::path::PathBuf);

impl ReadOnlyFolder {
    pub fn new() -> ReadOnlyFolder {
        let folder = temp_dir("read-only");
        let status = if is_root() {
            std::process::Command::new("chattr")
                .arg("+i")
                .arg(&folder)
                .status()
                .expect("chattr (e2fsprogs) is installed")
        } else {
            std::process::Command::new("chmod")
                .arg("555")
                .arg(&folder)
                .status()
                .unwrap()
        };
        assert!(status.success());
        ReadOnlyFolder(folder)
    }
}

impl Drop for ReadOnlyFolder {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
        let _ = std::process::Command::new("chmod")
            .arg("755")
            .arg(&self.0)
            .status();
    }
}

pub fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A folder on a full disk: a 64 KiB tmpfs filled to the last byte, unmounted when dropped. Needs
/// root to mount (the test machines run as root); `None` elsewhere.
pub struct FullFolder(pub std::path::PathBuf);

impl FullFolder {
    pub fn new() -> Option<FullFolder> {
        if !is_root() {
            return None;
        }
        let folder = temp_dir("full-disk");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(&folder)
            .status()
            .expect("mount runs");
        assert!(mounted.success(), "a tmpfs mounts");
        // dd ends with "No space left on device": the disk is full, which is the point.
        let _ = std::process::Command::new("dd")
            .arg("if=/dev/zero")
            .arg(format!("of={}", folder.join("filler").display()))
            .args(["bs=4k", "count=64"])
            .stderr(std::process::Stdio::null())
            .status();
        Some(FullFolder(folder))
    }
}

impl Drop for FullFolder {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}
