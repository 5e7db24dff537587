//! Two-stage login over mutual TLS: the right way, and every way a user gets it wrong.

mod common;

use careplan_api::{Home, OfficeLoginRequest};
use careplan_relay::pki::CertSubject;
use common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn two_stage_login_opens_the_top_page() {
    let relay = TestRelay::start().await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let home: Home = ok_json(
        client
            .get(relay.api_url("/v1/home"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(home.office.number, CARE_MANAGER.number);
    assert_eq!(home.office.name, CARE_MANAGER.name);
    assert!(home.office.uses_system);
    let licence = home.licence.expect("a licence is shown");
    assert!(licence.free_pass);
    assert_eq!(licence.fee_yen, 21_000);
    assert!(licence.expires_on > licence.starts_on);
    assert_eq!(
        home.certificate.subject,
        format!("CN=KaigoJigyousho,OU={}", CARE_MANAGER.number)
    );
    // The demo register's two notices, newest first.
    assert_eq!(home.notices.len(), 2);
    assert_eq!(home.notices[0].title, "システムメンテナンスのお知らせ");
    assert_eq!(home.unfetched, 0);
    // Logging out ends the session.
    let out = client
        .post(relay.api_url("/v1/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after = client
        .get(relay.api_url("/v1/home"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    let entries = relay.relay.state.store.audit().lines().await.unwrap();
    assert!(entries
        .iter()
        .any(|line| line.action == "login" && line.office.as_deref() == Some(CARE_MANAGER.number)));
    assert!(entries.iter().any(|line| line.action == "logout"));
}

#[tokio::test]
async fn wrong_password_and_unknown_id_get_the_same_answer() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    let (status, error) = login_with(
        &relay,
        &client,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        "wrong-password",
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.invalid_credentials")
    );
    assert!(error.message.contains("パスワードが違います"));
    let (status, unknown) = login_with(
        &relay.endpoint(),
        &client,
        "c9999",
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap_err();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        unknown.message, error.message,
        "an unknown ID cannot be told from a wrong password"
    );
    // Second stage, wrong password.
    let stage = personal_stage(
        &relay.endpoint(),
        &client,
        CARE_MANAGER.personal_user_id,
        PASSWORD,
    )
    .await
    .unwrap();
    let response = client
        .post(relay.api_url("/v1/login/office"))
        .json(&OfficeLoginRequest {
            stage_token: stage.stage_token,
            office_user_id: CARE_MANAGER.office_user_id.into(),
            password: "nope-nope".into(),
            terminal_name: "PC".into(),
        })
        .send()
        .await
        .unwrap();
    let (status, error) = ok_json::<serde_json::Value>(response).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.invalid_credentials")
    );
}

#[tokio::test]
async fn stages_must_come_in_order() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    // The office ID first, in stage 1.
    let (status, error) = login_with(
        &relay,
        &client,
        CARE_MANAGER.office_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::BAD_REQUEST, "auth.wrong_stage")
    );
    // Stage 2 without stage 1.
    let response = client
        .post(relay.api_url("/v1/login/office"))
        .json(&OfficeLoginRequest {
            stage_token: "0".repeat(64),
            office_user_id: CARE_MANAGER.office_user_id.into(),
            password: PASSWORD.into(),
            terminal_name: "PC".into(),
        })
        .send()
        .await
        .unwrap();
    let (status, error) = ok_json::<serde_json::Value>(response).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.stage_required")
    );
    // A stage token works once.
    let stage = personal_stage(
        &relay.endpoint(),
        &client,
        CARE_MANAGER.personal_user_id,
        PASSWORD,
    )
    .await
    .unwrap();
    let request = OfficeLoginRequest {
        stage_token: stage.stage_token,
        office_user_id: CARE_MANAGER.office_user_id.into(),
        password: PASSWORD.into(),
        terminal_name: "PC".into(),
    };
    assert!(client
        .post(relay.api_url("/v1/login/office"))
        .json(&request)
        .send()
        .await
        .unwrap()
        .status()
        .is_success());
    let replay = client
        .post(relay.api_url("/v1/login/office"))
        .json(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn proxy_billing_ids_are_refused_with_the_reason() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    let (status, error) = login_with(
        &relay,
        &client,
        "HD1234567890",
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::FORBIDDEN, "auth.proxy_id")
    );
    assert!(error.message.contains("代理請求用"), "{}", error.message);
    let (status, error) = login_with(
        &relay,
        &client,
        CARE_MANAGER.personal_user_id,
        "HD123456789012",
        PASSWORD,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::FORBIDDEN, "auth.proxy_id")
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_id() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    let limit = relay.relay.state.limits.max_login_failures;
    for _ in 0..limit {
        let (status, _) = login_with(
            &relay,
            &client,
            CARE_MANAGER.personal_user_id,
            CARE_MANAGER.office_user_id,
            "wrong-password",
        )
        .await
        .unwrap_err();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Now even the right password is refused, with the reason.
    let (status, error) = login_with(
        &relay,
        &client,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::LOCKED, "auth.locked")
    );
    assert!(error.message.contains("ロック"));
    // Another office is not affected.
    relay.https_login(HOME_HELP).await;
}

#[tokio::test]
async fn one_failure_short_of_the_limit_does_not_lock() {
    let relay = TestRelay::start().await;
    let client = relay.https(CARE_MANAGER);
    for _ in 0..relay.relay.state.limits.max_login_failures - 1 {
        login_with(
            &relay,
            &client,
            CARE_MANAGER.personal_user_id,
            CARE_MANAGER.office_user_id,
            "wrong-password",
        )
        .await
        .unwrap_err();
    }
    login_with(
        &relay,
        &client,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .expect("not locked yet");
}

#[tokio::test]
async fn a_connection_without_a_certificate_is_refused() {
    let relay = TestRelay::start().await;
    let client = relay.endpoint().client_with(None);
    let result = client.get(relay.api_url("/v1/home")).send().await;
    assert!(
        result.is_err(),
        "the TLS handshake fails without a client certificate"
    );
}

#[tokio::test]
async fn a_certificate_of_another_office_cannot_log_in_with_these_ids() {
    let relay = TestRelay::start().await;
    let client = relay.https(HOME_HELP);
    let (status, error) = login_with(
        &relay,
        &client,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap_err();
    // Not even the right password of another office's ID is checked: the answer is an unknown
    // ID's (see tests/hardening.rs).
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.invalid_credentials")
    );
    assert!(
        error.message.contains("電子証明書の事業所のID"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn a_session_only_works_with_its_own_certificate() {
    let relay = TestRelay::start().await;
    let (_, token) = relay.https_login(CARE_MANAGER).await;
    let other = relay.https(HOME_HELP);
    let response = other
        .get(relay.api_url("/v1/home"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, error) = ok_json::<Home>(response).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.certificate_mismatch")
    );
}

#[tokio::test]
async fn expired_and_revoked_certificates_are_refused_in_japanese() {
    let relay = TestRelay::start().await;
    let now = time::OffsetDateTime::now_utc();
    let folder = relay.dir.join("expired");
    let expired = relay
        .relay
        .issue_certificate_between(
            CARE_MANAGER.number,
            CertSubject::KaigoJigyousho,
            now - time::Duration::days(400),
            now - time::Duration::days(35),
            &folder,
            PASSWORD,
        )
        .await
        .unwrap();
    let client = relay.endpoint().client_with(Some(&CertFiles {
        cert: expired.certificate,
        key: expired.private_key,
    }));
    let (status, error) = login_with(
        &relay,
        &client,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.certificate_expired")
    );
    assert!(error.message.contains("有効期限"), "{}", error.message);

    let revoked = relay
        .relay
        .issue_certificate(
            CARE_MANAGER.number,
            CertSubject::CarePlanJigyousho,
            30,
            &relay.dir.join("revoked"),
            PASSWORD,
        )
        .await
        .unwrap();
    let client = relay.endpoint().client_with(Some(&CertFiles {
        cert: revoked.certificate,
        key: revoked.private_key,
    }));
    let token = login_with(
        &relay,
        &client,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap();
    relay
        .relay
        .revoke_certificate(&revoked.issued.serial)
        .await
        .unwrap();
    let (status, error) = ok_json::<Home>(
        client
            .get(relay.api_url("/v1/home"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.certificate_revoked")
    );
}

#[tokio::test]
async fn office_lookup_finds_registered_offices_only() {
    let relay = TestRelay::start().await;
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let office: careplan_api::Office = ok_json(
        client
            .get(relay.api_url(&format!("/v1/offices/{}", HOME_HELP.number)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(office.name, HOME_HELP.name);
    assert_eq!(office.service_kinds, vec!["11"]);
    let (status, error) = ok_json::<careplan_api::Office>(
        client
            .get(relay.api_url("/v1/offices/1399999999"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::NOT_FOUND, "office.not_found")
    );
    // Without a session: refused.
    let anonymous = client
        .get(relay.api_url(&format!("/v1/offices/{}", HOME_HELP.number)))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_store_runs_on_the_database_the_environment_names() {
    let relay = TestRelay::start().await;
    let expected = if std::env::var("DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        careplan_relay::store::Backend::Postgres
    } else {
        careplan_relay::store::Backend::Sqlite
    };
    assert_eq!(relay.relay.state.store.backend, expected);
}

#[tokio::test]
async fn an_office_over_its_rate_limit_waits_and_other_offices_do_not() {
    let relay = TestRelay::builder()
        .limits(|limits| {
            limits.requests_per_minute_per_office = 60;
            limits.request_burst_per_office = 5;
        })
        .start()
        .await;
    // Two requests to log in, then three more within the burst.
    let (client, token) = relay.https_login(CARE_MANAGER).await;
    let home = |client: reqwest::Client, token: String| {
        let url = relay.api_url("/v1/home");
        async move { client.get(url).bearer_auth(token).send().await.unwrap() }
    };
    for _ in 0..3 {
        ok_json::<Home>(home(client.clone(), token.clone()).await)
            .await
            .unwrap();
    }
    let refused = home(client.clone(), token.clone()).await;
    // Scripts can wait exactly as long as they must: Retry-After in seconds, 1 at 60 a minute.
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    let (status, error) = ok_json::<Home>(refused).await.unwrap_err();
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate.limited")
    );
    assert!(error.message.contains("秒ほど待って"), "{}", error.message);
    // Logging in again does not reset the budget: it is the office's, not the session's.
    let again = relay.https(CARE_MANAGER);
    let (status, _) = login_with(
        &relay,
        &again,
        CARE_MANAGER.personal_user_id,
        CARE_MANAGER.office_user_id,
        PASSWORD,
    )
    .await
    .unwrap_err();
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Another office is not affected.
    let (other, other_token) = relay.https_login(HOME_HELP).await;
    ok_json::<Home>(home(other, other_token).await)
        .await
        .unwrap();
    // A second later the office has one request again (60 a minute).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    ok_json::<Home>(home(client, token).await).await.unwrap();
}
