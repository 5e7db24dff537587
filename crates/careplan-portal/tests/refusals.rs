//! What the portal refuses, each in Japanese, each changing nothing: HD IDs, wrong and locked
//! passwords (an unknown ID answered like a wrong password), forms without their CSRF token or with
//! another one, oversized and malformed bodies, the rate limit per client.

mod common;

use careplan_test_support::https::personal_stage;
use common::*;

#[tokio::test]
async fn hd_ids_wrong_and_locked_passwords_and_unknown_ids() {
    let relay = relay().await;
    let office = relay.office(CARE_MANAGER).clone();
    let mut portal = PortalClient::new(&relay);
    let (status, page) = portal.login("HD137000001801", PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(text_of(&page).contains("代理請求用のIDのため"));
    let (status, page) = portal.login("KJ1370", PASSWORD).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text_of(&page).contains("14文字"));
    // A wrong password and an unknown ID: the same answer.
    let (wrong_status, wrong) = portal.login(&office.office_user_id, "wrong-password").await;
    let (unknown_status, unknown) = portal.login("KJ999999999901", "wrong-password").await;
    assert_eq!(
        (wrong_status, unknown_status),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    let message = |page: &str| {
        let at = page.find("role=\"alert\"").unwrap();
        text_of(&page[at..at + page[at..].find("</div>").unwrap()])
    };
    assert_eq!(message(&wrong), message(&unknown));
    assert!(message(&wrong).contains("ユーザIDまたはパスワードが違います"));
    // The typed ID stays in the form, never the password.
    assert!(wrong.contains(&format!("value=\"{}\"", office.office_user_id)));
    assert!(!wrong.contains("wrong-password"));

    // Five wrong passwords in a row lock the ID, for the client too (the same counter).
    let personal = office.personal_user_id.clone();
    for _ in 0..5 {
        let (status, _) = portal.login(&personal, "wrong-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, page) = portal.login(&personal, PASSWORD).await;
    assert_eq!(status, StatusCode::LOCKED);
    assert!(text_of(&page).contains("ロックされています"));
    assert!(text_of(&page).contains("セキュリティメール"));
    let (status, refused) = personal_stage(&relay, &relay.https(CARE_MANAGER), &personal, PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(
        (status, refused.code.as_str()),
        (StatusCode::LOCKED, "auth.locked")
    );
    assert!(
        portal.cookie("__Host-portal-session").is_none(),
        "no session was opened"
    );
    let failures = relay
        .relay
        .state
        .store
        .audit()
        .lines()
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.action == "portal.login.failed" && l.actor == personal)
        .count();
    assert_eq!(failures, 5, "every wrong password is in the audit log");
}

#[tokio::test]
async fn forms_without_their_token_or_with_another_or_malformed_or_oversized_change_nothing() {
    let relay = relay().await;
    let office = relay.office(CARE_MANAGER).clone();
    let mut portal = PortalClient::new(&relay);
    portal.login(&office.office_user_id, PASSWORD).await;
    let (_, page) = portal.get("/home").await;
    let token = csrf_of(&page).unwrap();
    let staff_before = relay
        .relay
        .state
        .store
        .staff(
            &relay
                .relay
                .operator()
                .office(CARE_MANAGER.number)
                .await
                .unwrap(),
        )
        .list()
        .await
        .unwrap()
        .len();
    let other_token = "0".repeat(64);
    for body in [
        "name=%E5%B1%B1%E7%94%B0&role=admin".to_owned(),
        format!("csrf={other_token}&name=%E5%B1%B1%E7%94%B0&role=admin"),
        "csrf=&name=x&role=admin".to_owned(),
    ] {
        let response = portal.post_body("/staff", body).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let text = text_of(&response.text().await.unwrap());
        assert!(
            text.contains("画面の有効期限が切れたか、別の画面から送信されました"),
            "{text}"
        );
    }
    // Another visitor's token (the one its login page had) is not this session's.
    let mut stranger = PortalClient::new(&relay);
    let (_, login_page) = stranger.get("/login").await;
    let their_token = csrf_of(&login_page).unwrap();
    assert_ne!(their_token, token);
    let response = portal
        .post_body("/staff", format!("csrf={their_token}&name=x&role=admin"))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // The login form itself needs the visitor's token.
    let response = stranger
        .post_body(
            "/login",
            format!("user_id={}&password={PASSWORD}", office.office_user_id),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(stranger.cookie("__Host-portal-session").is_none());
    // Malformed (a field twice) and oversized bodies.
    let response = portal
        .post_body("/staff", format!("csrf={token}&name=a&name=b&role=admin"))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(text_of(&response.text().await.unwrap()).contains("形が正しくありません"));
    let response = portal
        .post_body(
            "/staff",
            format!("csrf={token}&name={}&role=admin", "a".repeat(20_000)),
        )
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text_of(&response.text().await.unwrap()).contains("大きすぎます"));
    // A name one character past its limit, and at it.
    let (status, page) = portal
        .post("/staff", &[("name", &"山".repeat(51)), ("role", "admin")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text_of(&page).contains("50文字以内"));
    let after = relay
        .relay
        .state
        .store
        .staff(
            &relay
                .relay
                .operator()
                .office(CARE_MANAGER.number)
                .await
                .unwrap(),
        )
        .list()
        .await
        .unwrap()
        .len();
    assert_eq!(after, staff_before, "nothing was issued");
    let (status, _) = portal
        .post("/staff", &[("name", &"山".repeat(50)), ("role", "admin")])
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // Cookies are HttpOnly, Secure, SameSite=Strict and __Host-.
    let fresh = PortalClient::new(&relay);
    let response = fresh.get_response("/login").await;
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.starts_with("__Host-portal-csrf="));
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
}

#[tokio::test]
async fn pages_unknown_and_without_login() {
    let relay = relay().await;
    let mut portal = PortalClient::new(&relay);
    let (status, page) = portal.get("/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(text_of(&page).contains("お探しのページはありません"));
    // A page of the logged-in sends a visitor to the login.
    let (status, page) = portal.get("/home").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("action=\"/login\""));
}

#[tokio::test]
async fn too_many_requests_from_one_client_are_slowed_down_with_retry_after() {
    let relay = TestRelay::builder()
        .portal_with(|config| {
            config.requests_per_minute_per_client = 60;
            config.request_burst_per_client = 5;
        })
        .start()
        .await;
    let mut portal = PortalClient::new(&relay);
    for _ in 0..5 {
        assert_eq!(portal.get("/directory").await.0, StatusCode::OK);
    }
    let response = portal.get_response("/directory").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    assert!(text_of(&response.text().await.unwrap()).contains("秒ほど待ってから"));
}

#[tokio::test]
async fn every_answer_carries_a_request_id_of_the_portals_making_for_the_help_desk() {
    let relay = relay().await;
    let portal = PortalClient::new(&relay);
    let mut ids = Vec::new();
    for path in ["/", "/no-such-page"] {
        // An id the client chose is not taken: no text of a client's choosing lands in the log.
        let response = portal
            .get_response_with(path, "x-request-id", "client-chosen id")
            .await;
        let id = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(id.len(), 36, "a UUID on {path}: {id}");
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1], "one id per request");
}
