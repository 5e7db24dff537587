//! The HTTP API (design §4). Handlers are thin: parse, call the store and the spec, map errors.

mod bulk;
mod certificate;
mod drafts;
mod earlier_sends;
mod files;
mod home;
mod login;
pub(crate) mod messages;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, Response};
use axum::routing::{get, post};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::AppState;

/// Every request gets an id (a UUID), answered in this header and written on every log line of the
/// request, so that the number a user reads to the help desk finds the request in the logs.
pub const REQUEST_ID: &str = "x-request-id";

/// The span of one request: its id, method and path (ids only, never a header, a body or a query
/// value that could be a secret), and the office once the certificate has said which.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id,
        method = %request.method(),
        path = request.uri().path(),
        office = tracing::field::Empty,
    )
}

pub fn router(state: AppState) -> Router {
    // Multipart framing adds a little to the files' own bytes; the handlers enforce the real limits
    // with Japanese messages, these only stop absurd bodies early.
    let framing = 1024 * 1024;
    let send_limit = DefaultBodyLimit::max(state.limits.max_send_bytes + framing);
    let bulk_limit = DefaultBodyLimit::max(state.limits.max_bulk_bytes + framing);
    Router::new()
        .route("/v1/login/personal", post(login::personal))
        .route("/v1/login/office", post(login::office))
        .route("/v1/logout", post(login::logout))
        .route("/v1/home", get(home::home))
        .route("/v1/offices/{number}", get(home::office))
        .route("/v1/messages", post(messages::send).layer(send_limit))
        .route("/v1/bulk", post(bulk::bulk).layer(bulk_limit))
        .route(
            "/v1/drafts",
            get(drafts::list).post(drafts::create).layer(send_limit),
        )
        .route(
            "/v1/drafts/{id}",
            get(drafts::get)
                .put(drafts::replace)
                .delete(drafts::delete)
                .layer(send_limit),
        )
        .route(
            "/v1/drafts/{id}/files/{file_id}/content",
            get(drafts::file_content),
        )
        .route("/v1/drafts/{id}/send", post(drafts::send))
        .route("/v1/inbox", get(messages::inbox))
        .route("/v1/outbox", get(messages::outbox))
        .route(
            "/v1/outbox/earlier-sends",
            post(earlier_sends::earlier_sends),
        )
        .route("/v1/certificate", get(certificate::certificate))
        .route("/v1/files/{id}/content", get(files::content))
        .route("/v1/files/{id}/ack", post(files::ack))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                // The id is the relay's own: one a client sent is dropped, so that no text of a
                // client's choosing lands in the log as an id.
                .map_request(|mut request: Request<axum::body::Body>| {
                    request.headers_mut().remove(REQUEST_ID);
                    request
                })
                .layer(SetRequestIdLayer::new(
                    HeaderName::from_static(REQUEST_ID),
                    MakeRequestUuid,
                ))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_span)
                        .on_request(())
                        .on_response(
                            |response: &Response<_>,
                             latency: std::time::Duration,
                             _: &tracing::Span| {
                                tracing::info!(
                                    status = response.status().as_u16(),
                                    ms = latency.as_millis() as u64,
                                    "answered"
                                );
                            },
                        ),
                )
                .layer(PropagateRequestIdLayer::new(HeaderName::from_static(
                    REQUEST_ID,
                ))),
        )
}
