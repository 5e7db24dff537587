//! The relay's tests use the one test relay of careplan-test-support.
#![allow(unused_imports)]

pub use careplan_test_support::fixtures::fixture_files;
pub use careplan_test_support::https::{
    login_on_terminal, login_with, manifest_form, ok_json, personal_stage, send_form, ApiUrl,
    CertFiles, Endpoint,
};
pub use careplan_test_support::{
    temp_dir, DemoOfficeSeed, TestRelay, CARE_MANAGER, DAY_SERVICE, HOME_HELP, PASSWORD,
    WELFARE_EQUIPMENT,
};

/// データ取得's acknowledgement of a received file by its digest, as the client sends it.
#[allow(dead_code)]
pub async fn ack(
    relay: &TestRelay,
    client: &reqwest::Client,
    token: &str,
    file_id: &str,
    sha256: &str,
) -> reqwest::Response {
    client
        .post(relay.api_url(&format!("/v1/files/{file_id}/ack")))
        .bearer_auth(token)
        .json(&careplan_api::AckRequest {
            sha256: sha256.into(),
        })
        .send()
        .await
        .unwrap()
}
