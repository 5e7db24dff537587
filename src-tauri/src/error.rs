//! The one error every command returns: `{code, message[, diagnostics]}` with a Japanese message,
//! the same shape as the relay's errors, so the UI shows every failure the same way.

use careplan_api::ApiError;
use careplan_client::ClientError;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct CommandError(pub ApiError);

pub type CommandResult<T> = Result<T, CommandError>;

impl CommandError {
    pub fn new(code: &str, message: impl Into<String>) -> CommandError {
        CommandError(ApiError {
            code: code.to_owned(),
            message: message.into(),
            diagnostics: Vec::new(),
            request_id: None,
        })
    }

    pub fn not_logged_in() -> CommandError {
        CommandError::new(
            "session.required",
            "ログインしていません。ログインしてからもう一度操作してください。",
        )
    }

    pub fn code(&self) -> &str {
        &self.0.code
    }

    /// The relay's id of the refused request, for its log.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

impl From<ClientError> for CommandError {
    fn from(e: ClientError) -> Self {
        CommandError(e.to_api_error())
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.code, self.0.message)
    }
}
