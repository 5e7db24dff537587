//! What the portal's suites share: the one test relay with its portal, and the newcomer's joining.
#![allow(dead_code, unused_imports)]

pub use careplan_relay::demo::NEWCOMER;
pub use careplan_test_support::portal::{csrf_of, text_of, PortalClient};
pub use careplan_test_support::{temp_dir, TestRelay, CARE_MANAGER, HOME_HELP, PASSWORD};
pub use reqwest::StatusCode;

/// The newcomer's own password, once the temporary one is changed.
pub const NEW_PASSWORD: &str = "Tsubasa-2026";

/// A relay with the demo register and its portal.
pub async fn relay() -> TestRelay {
    TestRelay::builder().portal().start().await
}

/// The newcomer logged in with its new password (the temporary one changed).
pub async fn newcomer_logged_in(relay: &TestRelay) -> PortalClient {
    let mut portal = PortalClient::new(relay);
    let (status, page) = portal
        .login(NEWCOMER.office_user_id, NEWCOMER.temporary_password)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&page).contains("仮パスワードです"), "{page}");
    let (status, page) = portal
        .post(
            "/password",
            &[
                ("current", NEWCOMER.temporary_password),
                ("new", NEW_PASSWORD),
                ("again", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    portal.get("/home").await;
    portal
}

/// The newcomer joined: logged in, applied with the payment method given.
pub async fn newcomer_joined(relay: &TestRelay, payment: &str) -> PortalClient {
    let mut portal = newcomer_logged_in(relay).await;
    let (_, page) = portal.get("/apply").await;
    let version = value_of(&page, "terms_version");
    let (status, page) = portal
        .post(
            "/apply",
            &[
                ("payment", payment),
                ("terms_version", &version),
                ("agree", "yes"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{page}");
    portal.get("/home").await;
    portal
}

/// The value of the first input named `name`.
pub fn value_of(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in the page"));
    let rest = &html[at + marker.len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// The 個人ユーザID and password a page shows once (after issue or reset).
pub fn shown_credentials(html: &str) -> (String, String) {
    let secrets: Vec<String> = html
        .match_indices("<span class=\"secret\">")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest[..rest.find('<').unwrap()].to_owned()
        })
        .collect();
    assert_eq!(secrets.len(), 2, "the ID and its password once: {html}");
    (secrets[0].clone(), secrets[1].clone())
}

/// Issues a 個人ユーザID on 利用状況TOP; answers (id, password).
pub async fn issue_staff(portal: &mut PortalClient, name: &str, role: &str) -> (String, String) {
    portal.get("/home").await;
    let (status, page) = portal
        .post("/staff", &[("name", name), ("role", role)])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}", text_of(&page));
    shown_credentials(&page)
}
