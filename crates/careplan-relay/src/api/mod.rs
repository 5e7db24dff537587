//! The HTTP API (design §4). Handlers are thin: parse, call the store and the spec, map errors.

mod files;
mod home;
mod login;
mod messages;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn router(state: AppState) -> Router {
    // Multipart framing adds a little to the files' own bytes; the send handler enforces the real
    // limit on the files with a Japanese message, this only stops absurd bodies early.
    let body_limit = state.limits.max_send_bytes + 1024 * 1024;
    Router::new()
        .route("/v1/login/personal", post(login::personal))
        .route("/v1/login/office", post(login::office))
        .route("/v1/logout", post(login::logout))
        .route("/v1/home", get(home::home))
        .route("/v1/offices/{number}", get(home::office))
        .route("/v1/messages", post(messages::send))
        .route("/v1/inbox", get(messages::inbox))
        .route("/v1/outbox", get(messages::outbox))
        .route("/v1/files/{id}/content", get(files::content))
        .route("/v1/files/{id}/ack", post(files::ack))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}
