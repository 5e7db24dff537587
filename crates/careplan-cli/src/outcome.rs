//! Exit codes and how failures are printed, the same for every networked subcommand.

use std::process::ExitCode;

use careplan_client::ClientError;

// 0: everything worked.
/// Refused or invalid: by the relay, by the standard, or a file that could not be fetched.
pub const EXIT_INVALID: u8 = 1;
/// Usage: options, settings, files named on the command line.
pub const EXIT_USAGE: u8 = 2;
/// The relay could not be reached, or the secure connection failed.
pub const EXIT_CONNECTION: u8 = 3;

pub fn exit_code(error: &ClientError) -> u8 {
    match error {
        ClientError::Connection { .. } | ClientError::Tls { .. } => EXIT_CONNECTION,
        ClientError::Refused { .. } => EXIT_INVALID,
        ClientError::Local { code, .. } if code.starts_with("fetch.") => EXIT_INVALID,
        ClientError::Local { .. } => EXIT_USAGE,
    }
}

/// Prints a failure (as `{"error": {code, message, diagnostics}}` on stdout with `--json`, as
/// Japanese text on stderr otherwise) and returns its exit code.
pub fn fail(command: &str, error: &ClientError, json: bool) -> ExitCode {
    if json {
        let body = serde_json::json!({ "error": error.to_api_error() });
        println!(
            "{}",
            serde_json::to_string_pretty(&body).expect("errors serialise")
        );
    } else {
        eprintln!("careplan {command}: {error}");
        for d in error.diagnostics() {
            let file = d.file.as_deref().unwrap_or("");
            let line = d.line.map(|l| format!(" {l}行目")).unwrap_or_default();
            eprintln!("  {file}{line}: {}", d.message);
        }
    }
    ExitCode::from(exit_code(error))
}

/// Prints a value as pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("answers serialise")
    );
}

/// Runs a networked command on a small runtime.
pub fn block_on<F: std::future::Future<Output = ExitCode>>(future: F) -> ExitCode {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(future)
}
