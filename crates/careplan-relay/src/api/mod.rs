//! The HTTP API (design §4). Handlers are thin: parse, call the store and the spec, map errors.
//!
//! Each route is registered once, with its handler's OpenAPI description (`#[utoipa::path]`), so
//! the document the relay serves at `/v1/openapi.json` (and `docs/openapi.json`) is the router's.

mod bulk;
mod certificate;
pub mod directory;
mod drafts;
mod earlier_sends;
mod events;
mod files;
mod framework;
mod history;
mod home;
pub mod intake;
mod login;
pub(crate) mod messages;
pub mod openapi;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use axum::middleware;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::request_log::{request_id_of, with_request_log};
use crate::AppState;

pub use crate::request_log::REQUEST_ID;

/// The span of one request: its id, method and path (ids only, never a header, a body or a query
/// value that could be a secret), and the office once the certificate has said which.
fn request_span(request: &Request<Body>) -> tracing::Span {
    let id = request_id_of(request);
    tracing::info_span!(
        "request",
        id,
        method = %request.method(),
        path = request.uri().path(),
        office = tracing::field::Empty,
    )
}

/// An upload route: a body that says it is too large is refused before it is read, and the body
/// read is capped (files plus framing); the intake enforces the files' own limits as it reads.
fn upload(
    route: utoipa_axum::router::UtoipaMethodRouter<AppState>,
    cap: intake::BodyCap,
) -> utoipa_axum::router::UtoipaMethodRouter<AppState> {
    let (schemas, paths, methods) = route;
    let methods = methods
        .layer(DefaultBodyLimit::max(cap.body_bytes()))
        .route_layer(middleware::from_fn_with_state(cap, intake::refuse_oversize));
    (schemas, paths, methods)
}

/// The routes with their OpenAPI descriptions, before state and layers.
fn routes(state: &AppState) -> OpenApiRouter<AppState> {
    let send = messages::send_cap(&state.limits);
    let bulk = bulk::bulk_cap(&state.limits);
    OpenApiRouter::with_openapi(openapi::document_base())
        .routes(routes!(login::personal))
        .routes(routes!(login::office))
        .routes(routes!(login::logout))
        .routes(routes!(home::home))
        .routes(routes!(home::office))
        .routes(routes!(directory::search))
        .routes(upload(routes!(messages::send), send))
        .routes(upload(routes!(bulk::bulk), bulk))
        .routes(upload(routes!(drafts::list, drafts::create), send))
        .routes(upload(
            routes!(drafts::get, drafts::replace, drafts::delete),
            send,
        ))
        .routes(routes!(drafts::file_content))
        .routes(routes!(drafts::send))
        .routes(routes!(messages::inbox))
        .routes(routes!(messages::outbox))
        .routes(routes!(history::history))
        .routes(routes!(earlier_sends::earlier_sends))
        .routes(routes!(certificate::certificate))
        .routes(routes!(files::content))
        .routes(routes!(files::ack))
        .routes(routes!(files::receipt))
        .routes(routes!(files::receipt_key))
        .routes(routes!(events::token))
        .routes(routes!(events::feed))
        .routes(routes!(events::feed_state))
        .routes(routes!(openapi::serve))
}

/// The OpenAPI document of the API, as the relay serves it.
pub fn openapi_document(state: &AppState) -> serde_json::Value {
    openapi::finished(routes(state).split_for_parts().1)
}

pub fn router(state: AppState) -> Router {
    let (router, document) = routes(&state).split_for_parts();
    let document = std::sync::Arc::new(openapi::finished(document));
    let router = router
        .fallback(framework::not_found)
        .method_not_allowed_fallback(framework::method_not_allowed)
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(axum::Extension(document))
        .with_state(state)
        // Inside the request's span: framework refusals are logged with their code too.
        .layer(middleware::from_fn(framework::as_api_errors));
    with_request_log(router, request_span)
}
