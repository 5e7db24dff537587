//! The relay's multipart intake (what every upload route reads) on arbitrary bodies: never a panic,
//! every refusal one of the API's, the limits held, and the upload budget given back whatever
//! happened.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::Request;
use careplan_relay::api::intake::{read, IntakeRules, UploadBudget};
use careplan_relay::Limits;
use libfuzzer_sys::fuzz_target;

const BUDGET: usize = 1_000_000;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    // Small limits, so that the fuzzer reaches them.
    let limits = Limits {
        max_send_bytes: 4096,
        max_send_files: 3,
        max_bulk_bytes: 8192,
        max_bulk_files: 5,
        ..Limits::default()
    };
    let rules = if selector % 2 == 0 {
        IntakeRules::send(&limits)
    } else {
        IntakeRules::bulk(&limits)
    };
    let budget = UploadBudget::new(BUDGET);
    runtime().block_on(async {
        let request = Request::builder()
            .method("POST")
            .header("content-type", "multipart/form-data; boundary=XBOUNDARYX")
            .body(Body::from(body.to_vec()))
            .unwrap();
        let Ok(multipart) = Multipart::from_request(request, &()).await else {
            return;
        };
        match read(&budget, multipart, &rules).await {
            Ok(intake) => {
                assert!(intake.files.len() <= rules.max_files);
                let total: usize = intake.files.iter().map(|(_, u)| u.bytes.len()).sum();
                assert!(total <= rules.max_bytes);
                for (part, upload) in &intake.files {
                    assert!((rules.is_file_part)(part));
                    assert!(
                        careplan_spec::windows_name::windows_name_problem(&upload.name).is_none()
                    );
                }
            }
            Err(refused) => {
                let code = refused.code();
                assert!(
                    code.starts_with("send.")
                        || code.starts_with("bulk.")
                        || code == "server.busy"
                        || code == "request.body_timeout",
                    "unexpected refusal {code}: {refused}"
                );
            }
        }
    });
    assert_eq!(budget.available(), BUDGET, "the budget is given back");
});
