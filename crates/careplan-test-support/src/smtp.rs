//! A real SMTP server on 127.0.0.1 for the portal's mail tests: aiosmtpd from PyPI (in the virtual
//! environment `scripts/lib.sh` keeps under /var/tmp, found through `CAREPLAN_SMTP_PYTHON`), run by
//! `scripts/smtp_capture.py`, which writes every message it accepts as JSON into a folder the test
//! reads. The server ends with the test.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use careplan_portal::{MailConfig, MailTls};

use crate::processes::Guarded;
use crate::temp_dir;
use crate::webdriver::free_port;

/// A message the server accepted.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Mail {
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
}

impl Mail {
    /// The six-digit code the portal's mail carries (after 「確認コード: 」).
    pub fn code(&self) -> String {
        let (_, after) = self
            .body
            .split_once("確認コード: ")
            .unwrap_or_else(|| panic!("no code in {:?}", self.body));
        after.chars().take_while(char::is_ascii_digit).collect()
    }
}

pub struct LocalSmtp {
    _server: Guarded,
    pub port: u16,
    pub folder: PathBuf,
}

fn python() -> PathBuf {
    std::env::var_os("CAREPLAN_SMTP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/tmp/careplan-aiosmtpd/bin/python"))
}

impl LocalSmtp {
    /// Starts the server on a free port and waits until it listens.
    pub fn start() -> LocalSmtp {
        let port = free_port();
        let folder = temp_dir("smtp");
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtp_capture.py");
        let mut server = Command::new(python());
        server
            .arg(script)
            .arg(port.to_string())
            .arg(&folder)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut guarded = Guarded::spawn(&mut server).unwrap_or_else(|e| {
            panic!("the SMTP server's Python ({}) runs: {e}; source scripts/lib.sh and run require_smtp_server", python().display())
        });
        let stdout = guarded.take_stdout().expect("piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the SMTP server says it is ready");
        assert_eq!(
            line.trim(),
            "ready",
            "the SMTP server did not start (aiosmtpd installed?)"
        );
        LocalSmtp {
            _server: guarded,
            port,
            folder,
        }
    }

    /// The portal's mail configuration for this server (plain SMTP on loopback).
    pub fn mail_config(&self) -> MailConfig {
        MailConfig::Smtp {
            host: "127.0.0.1".into(),
            port: self.port,
            tls: MailTls::None,
            from: "ケアプランデータ連携システム <no-reply@careplan.test>".into(),
            credentials: None,
        }
    }

    /// Every message delivered so far, oldest first.
    pub fn mails(&self) -> Vec<Mail> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits (up to 15 s) for the `n`-th message (1-based) to arrive, and answers it.
    pub async fn wait_for_mail(&self, n: usize) -> Mail {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let mails = self.mails();
            if mails.len() >= n {
                return mails[n - 1].clone();
            }
            assert!(
                Instant::now() < deadline,
                "mail {n} never arrived ({} did)",
                mails.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
