//! An ID the asking office does not have costs the relay the same work as one it has: one password
//! hash per attempt (issue 15, item 4). Alone in its test binary, so that no other test's logins
//! run while the relay's count of password checks is read.

mod common;

use careplan_relay::auth::verifications;
use common::*;

#[tokio::test]
async fn unknown_and_other_offices_ids_cost_one_password_hash_like_a_known_id() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    for id in [
        CARE_MANAGER.personal_user_id, // known, wrong password
        "c1370000018z",                // unknown
        HOME_HELP.personal_user_id,    // another office's
    ] {
        let before = verifications();
        let (status, _) = personal_stage(&relay, &client, id, "x-wrong-x")
            .await
            .unwrap_err();
        assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED, "{id}");
        assert_eq!(verifications() - before, 1, "{id}: one password hash");
    }
}
