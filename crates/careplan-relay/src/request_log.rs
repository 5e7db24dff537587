//! What every HTTP service of the relay (the API and the office portal) puts around its routes:
//! a request id of its own making, one span per request, one "answered" line with the status and
//! the time taken, and the id on the answer, so that the number a user reads to the help desk
//! finds the request in the logs.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderName, Request, Response};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Every request gets an id (a UUID), answered in this header and written on every log line of
/// the request.
pub const REQUEST_ID: &str = "x-request-id";

/// The id the request was given (`-` before it has one).
pub fn request_id_of<B>(request: &Request<B>) -> &str {
    request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
}

/// `router` with the request id and the request log around it; `span` makes each request's span
/// (ids, method and path only: never a header, a body or a query value that could be a secret).
pub fn with_request_log(router: Router, span: fn(&Request<Body>) -> tracing::Span) -> Router {
    router.layer(
        ServiceBuilder::new()
            // The id is the relay's own: one a client sent is dropped, so that no text of a
            // client's choosing lands in the log as an id.
            .map_request(|mut request: Request<Body>| {
                request.headers_mut().remove(REQUEST_ID);
                request
            })
            .layer(SetRequestIdLayer::new(
                HeaderName::from_static(REQUEST_ID),
                MakeRequestUuid,
            ))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(span)
                    .on_request(())
                    .on_response(
                        |response: &Response<_>, latency: Duration, _: &tracing::Span| {
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
