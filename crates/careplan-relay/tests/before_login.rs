//! What the relay tells a PC before anyone logs in there: `GET /v1/certificate` names the office of
//! the connection's certificate (設定 shows it before the certificate is taken), and a wrong password
//! says how long the lock that follows would last.

mod common;

use careplan_api::CertificateOffice;
use careplan_relay::pki::CertSubject;
use common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_certificate_names_its_office_without_a_login() {
    let relay = TestRelay::start().await;
    let answer: CertificateOffice = ok_json(
        relay
            .https(HOME_HELP)
            .get(relay.api_url("/v1/certificate"))
            .send()
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(answer.office.number, HOME_HELP.number);
    assert_eq!(answer.office.name, HOME_HELP.name);
    assert_eq!(answer.office.service_kinds, vec![HOME_HELP.service_kind]);
    assert!(answer.not_after.ends_with("+09:00"), "{}", answer.not_after);

    // A certificate the relay revoked is named as such, in Japanese.
    let revoked = relay
        .relay
        .issue_certificate(
            CARE_MANAGER.number,
            CertSubject::KaigoJigyousho,
            30,
            &relay.dir.join("revoked"),
            PASSWORD,
        )
        .await
        .unwrap();
    relay
        .relay
        .revoke_certificate(&revoked.issued.serial)
        .await
        .unwrap();
    let client = relay.endpoint().client_with(Some(&CertFiles {
        cert: revoked.certificate,
        key: revoked.private_key,
    }));
    let (status, error) = ok_json::<CertificateOffice>(
        client
            .get(relay.api_url("/v1/certificate"))
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
    assert!(error.message.contains("失効"), "{}", error.message);
}

#[tokio::test]
async fn a_wrong_password_says_how_long_the_lock_lasts() {
    let relay = TestRelay::builder()
        .limits(|limits| {
            limits.max_login_failures = 3;
            limits.lockout_minutes = 10;
        })
        .start()
        .await;
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
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        error
            .message
            .contains("3回続けて間違えると、10分間ログインできなくなります"),
        "{}",
        error.message
    );
}
