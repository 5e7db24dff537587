//! HTTP/1.1 by hand over mutual TLS, for what a well-behaved client never does: trickle a header,
//! stall a body, hold a connection idle, announce a body and not send it. The relay's hardening
//! tests use it; everything else uses [`crate::https`].

use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use crate::https::{CertFiles, Endpoint};

/// One TLS connection to the relay with an office's certificate.
pub struct RawConnection {
    pub stream: TlsStream<TcpStream>,
}

/// An answer read off the wire.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as the API's error.
    pub fn api_error(&self) -> careplan_api::ApiError {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not {{code, message}} ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

impl RawConnection {
    /// Connects to the relay at `endpoint` and completes the handshake with `cert`.
    pub async fn open(endpoint: &Endpoint, cert: &CertFiles) -> RawConnection {
        let mut roots = rustls::RootCertStore::empty();
        for ca in CertificateDer::pem_file_iter(&endpoint.info.ca_certificate).unwrap() {
            roots.add(ca.unwrap()).unwrap();
        }
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert.cert)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let key = PrivateKeyDer::from_pem_file(&cert.key).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_client_auth_cert(chain, key)
            .unwrap();
        let tcp = TcpStream::connect(("127.0.0.1", endpoint.port))
            .await
            .unwrap();
        let stream = TlsConnector::from(Arc::new(config))
            .connect(ServerName::try_from("localhost").unwrap(), tcp)
            .await
            .expect("the TLS handshake succeeds");
        RawConnection { stream }
    }

    /// Writes bytes; false once the relay has closed the connection.
    pub async fn send(&mut self, bytes: &[u8]) -> bool {
        self.stream.write_all(bytes).await.is_ok() && self.stream.flush().await.is_ok()
    }

    /// Reads one answer (head, then a body of `Content-Length` or chunked), waiting at most
    /// `within`; `None` if the connection closed or nothing complete came in time.
    pub async fn response(&mut self, within: Duration) -> Option<RawResponse> {
        tokio::time::timeout(within, read_response(&mut self.stream))
            .await
            .ok()
            .flatten()
    }

    /// Waits until the relay closes the connection, at most `within`; answers whether it did
    /// (whatever it sent before is read and dropped).
    pub async fn closed_within(&mut self, within: Duration) -> bool {
        let mut sink = [0u8; 4096];
        tokio::time::timeout(within, async {
            loop {
                match self.stream.read(&mut sink).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        })
        .await
        .is_ok()
    }
}

async fn read_response(stream: &mut TlsStream<TcpStream>) -> Option<RawResponse> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = buffer[head_end..].to_vec();
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    if let Some(length) = find("content-length").and_then(|v| v.parse::<usize>().ok()) {
        while body.len() < length {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            body.extend_from_slice(&chunk[..n]);
        }
        body.truncate(length);
    } else if find("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        // Enough for the relay's small answers: read to the last chunk, then strip the framing.
        while !body.windows(5).any(|w| w == b"0\r\n\r\n") {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            body.extend_from_slice(&chunk[..n]);
        }
        body = dechunk(&body);
    }
    Some(RawResponse {
        status,
        headers,
        body,
    })
}

fn dechunk(mut framed: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = framed.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&framed[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        out.extend_from_slice(&framed[start..start + size]);
        framed = &framed[start + size + 2..];
    }
    out
}

/// The head of a request: method, path, the given headers, `Host` added.
pub fn request_head(method: &str, path: &str, headers: &[(&str, String)]) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: localhost\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}
