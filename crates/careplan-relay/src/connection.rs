//! The accept loop and what one connection may do after its TLS handshake (figures in
//! [`crate::ConnectionLimits`] and docs/relay.md):
//!
//! - the handshake must finish within 10 s;
//! - HTTP/1.1 only (the clients speak nothing else; one protocol is one set of timeouts to get right);
//! - a request's head must arrive within `header_read` of the handshake or of the previous answer,
//!   which bounds a header trickle and an idle keep-alive alike (hyper's header read timeout);
//! - a request body must keep coming: at least `body_min_bytes` in every `body_window`
//!   ([`ProgressBody`]), or the request is refused 408 and the connection closed;
//! - a client that takes nothing of an answer for `write_stall` is disconnected ([`StallGuard`]);
//! - one certificate may hold at most `per_certificate` connections; past it, every request on the
//!   extra connection is answered 429 `connection.too_many` and the connection closed;
//! - after an answer that left a body unread (a refusal before the upload was read), the relay goes
//!   on reading and dropping the body for up to `linger` before it closes, so that the client reads
//!   the answer instead of a connection reset (a closed socket with unread data sends a TCP RST,
//!   which takes the answer with it).

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use bytes::Bytes;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::ServerConfig;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::error::RelayError;
use crate::pki::fingerprint;
use crate::tls::ClientCert;
use crate::ConnectionLimits;

/// A slow or silent client gets this long to finish the handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The request body stopped arriving (see [`ProgressBody`]).
#[derive(Debug)]
pub struct BodyStalled;

impl std::fmt::Display for BodyStalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body stopped arriving")
    }
}

impl std::error::Error for BodyStalled {}

/// The refusal of a request whose body stopped arriving.
pub fn body_stalled() -> RelayError {
    RelayError::api(
        StatusCode::REQUEST_TIMEOUT,
        "request.body_timeout",
        "送信データが途中で届かなくなったため、受け付けを打ち切りました。回線を確認してもう一度送信してください。",
    )
}

/// A request body that must bring at least `min_bytes` in every `window` until it ends; one that
/// does not ends with [`BodyStalled`].
pub struct ProgressBody {
    inner: Incoming,
    window: Duration,
    min_bytes: u64,
    received: u64,
    deadline: Pin<Box<Sleep>>,
}

impl ProgressBody {
    pub fn new(inner: Incoming, limits: &ConnectionLimits) -> ProgressBody {
        ProgressBody {
            inner,
            window: limits.body_window,
            min_bytes: limits.body_min_bytes,
            received: 0,
            deadline: Box::pin(tokio::time::sleep(limits.body_window)),
        }
    }
}

impl Body for ProgressBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                    if this.received >= this.min_bytes {
                        this.received = 0;
                        let next = Instant::now() + this.window;
                        this.deadline.as_mut().reset(next);
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Box::new(e)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                if this.deadline.as_mut().poll(cx).is_ready() {
                    tracing::info!(
                        window_ms = this.window.as_millis() as u64,
                        "request body stalled"
                    );
                    return Poll::Ready(Some(Err(Box::new(BodyStalled))));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A connection whose writes fail once the client has taken nothing for `stall`.
pub struct StallGuard<T> {
    inner: T,
    stall: Duration,
    waiting: Option<Pin<Box<Sleep>>>,
}

impl<T> StallGuard<T> {
    fn new(inner: T, stall: Duration) -> StallGuard<T> {
        StallGuard {
            inner,
            stall,
            waiting: None,
        }
    }

    fn into_inner(self) -> T {
        self.inner
    }

    /// What a write that could not go on answers: not yet, or (past the stall) an error.
    fn pending<R>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        let stall = self.stall;
        let waiting = self
            .waiting
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(stall)));
        if waiting.as_mut().poll(cx).is_ready() {
            tracing::info!(
                stall_ms = stall.as_millis() as u64,
                "client stopped reading the answer"
            );
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            )));
        }
        Poll::Pending
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for StallGuard<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for StallGuard<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Ready(result) => {
                self.waiting = None;
                Poll::Ready(result)
            }
            Poll::Pending => self.pending(cx),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Ready(result) => {
                self.waiting = None;
                Poll::Ready(result)
            }
            Poll::Pending => self.pending(cx),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Open connections per certificate fingerprint.
#[derive(Clone, Default)]
struct OpenConnections(Arc<Mutex<HashMap<String, usize>>>);

/// One connection counted against its certificate; uncounted when dropped.
struct Slot {
    open: OpenConnections,
    fingerprint: String,
}

impl OpenConnections {
    /// A slot for one more connection of this certificate, unless it has `cap` already.
    fn take(&self, fingerprint: &str, cap: usize) -> Option<Slot> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(fingerprint.to_owned()).or_default();
        if cap > 0 && *count >= cap {
            return None;
        }
        *count += 1;
        Some(Slot {
            open: self.clone(),
            fingerprint: fingerprint.to_owned(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.fingerprint) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.fingerprint);
            }
        }
    }
}

/// The answer to every request on a connection past its certificate's cap.
fn too_many_connections(cap: usize) -> axum::response::Response {
    tracing::info!(cap, code = "connection.too_many", "refused: connections");
    let body = careplan_api::ApiError {
        code: "connection.too_many".into(),
        message: format!("この電子証明書からの同時接続が上限（{cap}）を超えています。ほかの端末やソフトの接続が終わるのを待ってから、もう一度お試しください。"),
        diagnostics: Vec::new(),
        request_id: None,
    };
    let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Serves `router` over mutual TLS on `listener` until the task is dropped.
pub async fn serve(
    listener: TcpListener,
    config: Arc<ServerConfig>,
    router: Router,
    limits: ConnectionLimits,
) {
    let acceptor = TlsAcceptor::from(config);
    let open = OpenConnections::default();
    let limits = Arc::new(limits);
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let (acceptor, router, limits, open) = (
            acceptor.clone(),
            router.clone(),
            limits.clone(),
            open.clone(),
        );
        tokio::spawn(async move {
            handle_connection(acceptor, stream, peer, router, &limits, open).await
        });
    }
}

async fn handle_connection(
    acceptor: TlsAcceptor,
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: &ConnectionLimits,
    open: OpenConnections,
) {
    let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(e)) => {
            tracing::info!(%peer, error = %e, "TLS handshake refused");
            return;
        }
        Err(_) => {
            tracing::info!(%peer, "TLS handshake timed out");
            return;
        }
    };
    let Some(leaf) = tls.get_ref().1.peer_certificates().and_then(|c| c.first()) else {
        return; // the verifier requires one; unreachable in practice
    };
    let client = ClientCert {
        fingerprint: fingerprint(leaf.as_ref()),
    };
    let slot = open.take(&client.fingerprint, limits.per_certificate);
    let admitted = slot.is_some();
    let cap = limits.per_certificate;
    let body_limits = limits.clone();
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let router = router.clone();
        let client = client.clone();
        let body_limits = body_limits.clone();
        async move {
            if !admitted {
                return Ok(too_many_connections(cap));
            }
            let (mut parts, body) = request.into_parts();
            parts.extensions.insert(client);
            let body = axum::body::Body::new(ProgressBody::new(body, &body_limits));
            router
                .oneshot(hyper::Request::from_parts(parts, body))
                .await
        }
    });
    let io = StallGuard::new(tls, limits.write_stall);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    if !admitted {
        http.keep_alive(false);
    }
    match http
        .serve_connection(TokioIo::new(io), service)
        .without_shutdown()
        .await
    {
        Ok(parts) => linger(parts.io.into_inner().into_inner(), limits.linger).await,
        Err(e) => tracing::debug!(%peer, error = %e, "connection ended with an error"),
    }
    drop(slot);
}

/// Closes a connection the HTTP layer is done with: the write side first (the answer is out), then
/// reads and drops what the client still sends, for up to `linger`, so that it reads the answer
/// rather than a reset.
async fn linger(mut tls: tokio_rustls::server::TlsStream<TcpStream>, linger: Duration) {
    let deadline = Instant::now() + linger;
    if tokio::time::timeout_at(deadline, tls.shutdown())
        .await
        .is_err()
    {
        return;
    }
    let mut sink = vec![0u8; 16 * 1024];
    let mut dropped = 0u64;
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, tls.read(&mut sink)).await {
        if n == 0 {
            break;
        }
        dropped += n as u64;
    }
    if dropped > 0 {
        tracing::debug!(dropped, "dropped the unread rest of a request");
    }
}
