//! The HTTP API (design §4). Handlers are thin: parse, call the store and the spec, map errors.

mod bulk;
mod drafts;
mod files;
mod home;
mod login;
pub(crate) mod messages;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

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
        .route("/v1/files/{id}/content", get(files::content))
        .route("/v1/files/{id}/ack", post(files::ack))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(state)
}
