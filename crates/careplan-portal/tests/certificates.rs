//! 電子証明書 over real HTTPS: applied for with the 証明書発行用パスワード (tried too often: locked),
//! downloaded once as a .p12 that OpenSSL opens and the relay accepts, revoked and then refused; and
//! issued for a CSR (the desktop app's 設定), the key never leaving the test.

mod common;

use careplan_api::{ApiError, CertificateIssued};
use careplan_client::{ClientIdentity, LoginCredentials, RelayClient};
use common::*;

const P12_PASSWORD: &str = "Uketsuke-PC-1";

async fn apply(
    portal: &mut PortalClient,
    issuance: &str,
    pc: &str,
    p12: &str,
    again: &str,
) -> (StatusCode, String) {
    portal.get("/certificates").await;
    portal
        .post(
            "/certificates",
            &[
                ("pc_name", pc),
                ("issuance_password", issuance),
                ("p12_password", p12),
                ("p12_again", again),
            ],
        )
        .await
}

/// How many certificates the newcomer has.
async fn certificates_of(relay: &TestRelay) -> usize {
    let scope = relay
        .relay
        .operator()
        .office(NEWCOMER.number)
        .await
        .unwrap();
    relay
        .relay
        .state
        .store
        .office_certificates(&scope)
        .list()
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_p12_downloaded_once_opens_with_openssl_is_accepted_by_the_relay_and_refused_once_revoked(
) {
    let relay = relay().await;
    let mut portal = newcomer_joined(&relay, "deduction").await;
    let (staff_id, staff_password) = issue_staff(&mut portal, "佐々木 花子", "admin").await;
    // Bad input first: nothing is issued.
    for (pc, p12, again, said) in [
        ("", P12_PASSWORD, P12_PASSWORD, "「PC名」を入力してください"),
        (
            &"P".repeat(51)[..],
            P12_PASSWORD,
            P12_PASSWORD,
            "50文字以内",
        ),
        ("受付PC", "short1", "short1", "8文字以上"),
        ("受付PC", P12_PASSWORD, "Uketsuke-PC-2", "一致しません"),
    ] {
        let (status, page) = apply(&mut portal, NEWCOMER.issuance_password, pc, p12, again).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{said}");
        assert!(text_of(&page).contains(said), "{said}: {}", text_of(&page));
    }
    assert_eq!(certificates_of(&relay).await, 0);

    let (status, page) = apply(
        &mut portal,
        NEWCOMER.issuance_password,
        "受付PC",
        P12_PASSWORD,
        P12_PASSWORD,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{}", text_of(&page));
    assert!(text_of(&page).contains("一度だけ"));
    let id = value_of(&page, "id");
    let response = portal
        .post_response("/certificates/download", &[("id", &id)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/x-pkcs12");
    let p12 = response.bytes().await.unwrap();
    // Once only.
    let again = portal
        .post_response("/certificates/download", &[("id", &id)])
        .await;
    assert_eq!(again.status(), StatusCode::GONE);
    assert!(text_of(&again.text().await.unwrap()).contains("一度だけダウンロードできます"));

    let path = temp_dir("p12").join("uketsuke.p12");
    std::fs::write(&path, &p12).unwrap();
    let opened = std::process::Command::new("openssl")
        .args([
            "pkcs12",
            "-in",
            path.to_str().unwrap(),
            "-passin",
            &format!("pass:{P12_PASSWORD}"),
            "-nokeys",
            "-clcerts",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&opened.stdout);
    assert!(
        opened.status.success(),
        "{}",
        String::from_utf8_lossy(&opened.stderr)
    );
    assert!(
        text.contains("CarePlanJigyousho") && text.contains(NEWCOMER.number),
        "{text}"
    );
    let wrong = std::process::Command::new("openssl")
        .args([
            "pkcs12",
            "-in",
            path.to_str().unwrap(),
            "-passin",
            "pass:wrong-password",
            "-nokeys",
        ])
        .output()
        .unwrap();
    assert!(
        !wrong.status.success(),
        "the .p12 is protected by its password"
    );

    // The relay accepts it for the office's IDs.
    let client = RelayClient::new(
        &relay.address(),
        ClientIdentity::load(&path, Some(P12_PASSWORD)).unwrap(),
    )
    .unwrap();
    let credentials = LoginCredentials {
        personal_id: staff_id.clone(),
        personal_password: staff_password.clone(),
        office_user_id: NEWCOMER.office_user_id.into(),
        office_password: NEW_PASSWORD.into(),
        terminal_name: "受付PC".into(),
    };
    client
        .login(&credentials)
        .await
        .expect("the downloaded certificate is accepted");
    let home = client.home().await.unwrap();
    assert_eq!(home.office.number, NEWCOMER.number);
    // Listed with its PC; revoked, and refused at the next request.
    let (_, page) = portal.get("/certificates").await;
    assert!(text_of(&page).contains("受付PC") && text_of(&page).contains("有効"));
    let serial = home.certificate.serial.clone();
    let (status, _) = portal
        .post("/certificates/revoke", &[("serial", "00ff")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = portal
        .post("/certificates/revoke", &[("serial", &serial)])
        .await;
    assert_eq!(status, StatusCode::OK, "{}", text_of(&page));
    assert!(text_of(&page).contains("失効"));
    let refused = client.home().await.unwrap_err();
    assert_eq!(refused.code(), "auth.certificate_revoked");
    // Another office cannot revoke this office's certificates.
    let mut other = PortalClient::new(&relay);
    other
        .login(&relay.office(HOME_HELP).office_user_id, PASSWORD)
        .await;
    other.get("/certificates").await;
    let home_help_serial = relay
        .logged_in(HOME_HELP)
        .await
        .home()
        .await
        .unwrap()
        .certificate
        .serial;
    let (status, _) = portal
        .post("/certificates/revoke", &[("serial", &home_help_serial)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    relay
        .logged_in(HOME_HELP)
        .await
        .home()
        .await
        .expect("still valid");
}

#[tokio::test]
async fn a_wrong_issuance_password_is_refused_and_five_lock_the_applications() {
    let relay = relay().await;
    let mut portal = newcomer_joined(&relay, "deduction").await;
    for _ in 0..5 {
        let (status, page) = apply(
            &mut portal,
            "wrong-issuance",
            "受付PC",
            P12_PASSWORD,
            P12_PASSWORD,
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(text_of(&page).contains("証明書発行用パスワードが違います"));
    }
    let (status, page) = apply(
        &mut portal,
        NEWCOMER.issuance_password,
        "受付PC",
        P12_PASSWORD,
        P12_PASSWORD,
    )
    .await;
    assert_eq!(status, StatusCode::LOCKED);
    assert!(text_of(&page).contains("続けて間違えたため"));
    assert_eq!(certificates_of(&relay).await, 0);
    // The desktop app's route is locked too.
    let response = PortalClient::new(&relay)
        .post_json("/api/v1/certificates", &serde_json::json!({
            "office_user_id": NEWCOMER.office_user_id, "issuance_password": NEWCOMER.issuance_password,
            "pc_name": "受付PC", "csr_pem": csr().1,
        }))
        .await;
    assert_eq!(response.status(), StatusCode::LOCKED);
}

#[tokio::test]
async fn a_download_not_taken_in_time_is_gone() {
    let relay = TestRelay::builder()
        .portal_with(|c| c.download_lifetime = std::time::Duration::from_millis(500))
        .start()
        .await;
    let mut portal = newcomer_joined(&relay, "deduction").await;
    let (_, page) = apply(
        &mut portal,
        NEWCOMER.issuance_password,
        "受付PC",
        P12_PASSWORD,
        P12_PASSWORD,
    )
    .await;
    let id = value_of(&page, "id");
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let response = portal
        .post_response("/certificates/download", &[("id", &id)])
        .await;
    assert_eq!(response.status(), StatusCode::GONE);
}

/// A key made here and its certificate signing request (the key never leaves the test).
fn csr() -> (rcgen::KeyPair, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let request = rcgen::CertificateParams::new(Vec::<String>::new())
        .unwrap()
        .serialize_request(&key)
        .unwrap();
    (key, request.pem().unwrap())
}

#[tokio::test]
async fn a_certificate_for_a_csr_is_issued_to_the_office_and_logs_in() {
    let relay = relay().await;
    let mut portal = newcomer_joined(&relay, "deduction").await;
    let (staff_id, staff_password) = issue_staff(&mut portal, "佐々木 花子", "admin").await;
    let (key, request) = csr();
    let api = PortalClient::new(&relay);
    let body = |password: &str, csr_pem: &str| {
        serde_json::json!({
            "office_user_id": NEWCOMER.office_user_id, "issuance_password": password,
            "pc_name": "事務室PC", "csr_pem": csr_pem,
        })
    };
    // Refusals in Japanese: a wrong password, a request that is not one, a tampered one.
    let response = api
        .post_json("/api/v1/certificates", &body("wrong-issuance", &request))
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.code, "certificate.issuance_password");
    assert!(error.message.contains("証明書発行用パスワード"));
    let response = api
        .post_json(
            "/api/v1/certificates",
            &body(NEWCOMER.issuance_password, "not a request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json::<ApiError>().await.unwrap().code,
        "certificate.bad_request"
    );
    let (_, other_request) = csr();
    // One character of the signature changed: the request no longer proves its key.
    let mut lines: Vec<String> = other_request.lines().map(str::to_owned).collect();
    let last = lines.len() - 2;
    let flipped: String = lines[last]
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 4 {
                if c == 'A' {
                    'B'
                } else {
                    'A'
                }
            } else {
                c
            }
        })
        .collect();
    lines[last] = flipped;
    let tampered = lines.join("\n");
    let response = api
        .post_json(
            "/api/v1/certificates",
            &body(NEWCOMER.issuance_password, &tampered),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = api.post_body("/api/v1/certificates", "{".into()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(certificates_of(&relay).await, 0);

    let response = api
        .post_json(
            "/api/v1/certificates",
            &body(NEWCOMER.issuance_password, &request),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let issued: CertificateIssued = response.json().await.unwrap();
    assert_eq!(issued.office_number, NEWCOMER.number);
    assert_eq!(issued.ca_pem.as_bytes(), relay.ca_pem().as_slice());
    // The certificate and the key made here log in.
    let mut pem = issued.certificate_pem.clone().into_bytes();
    pem.extend(key.serialize_pem().as_bytes());
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(issued.ca_pem.as_bytes()).unwrap())
        .identity(reqwest::Identity::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    let stage =
        careplan_test_support::https::personal_stage(&relay, &http, &staff_id, &staff_password)
            .await
            .expect("the CSR's certificate is accepted");
    assert!(!stage.stage_token.is_empty());
    let (_, page) = portal.get("/certificates").await;
    assert!(text_of(&page).contains("事務室PC"));
}
