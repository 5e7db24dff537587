//! 個人ユーザID over real HTTPS: the office's administrator issues them (the first a 管理者), one logs
//! in to the client and sends, and 送信一覧 / 下書き一覧 say who; reset, 利用停止, deletion with the
//! client's stage 1 following each; the last 管理者 kept; a 一般 ID and another office's session
//! refused, changing nothing.

mod common;

use careplan_client::{
    no_progress, ClientIdentity, LocalFile, LoginCredentials, Mailbox, RelayClient,
};
use careplan_test_support::fixtures::fixture_dir;
use careplan_test_support::https::personal_stage;
use common::*;

const P12_PASSWORD: &str = "Uketsuke-PC-1";

/// The newcomer's certificate for 受付PC, applied for and downloaded in the portal.
async fn newcomer_certificate(portal: &mut PortalClient) -> std::path::PathBuf {
    portal.get("/certificates").await;
    let (status, page) = portal
        .post(
            "/certificates",
            &[
                ("pc_name", "受付PC"),
                ("issuance_password", NEWCOMER.issuance_password),
                ("p12_password", P12_PASSWORD),
                ("p12_again", P12_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}", text_of(&page));
    let id = value_of(&page, "id");
    let response = portal
        .post_response("/certificates/download", &[("id", &id)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let path = temp_dir("p12").join("newcomer.p12");
    std::fs::write(&path, response.bytes().await.unwrap()).unwrap();
    path
}

#[tokio::test]
async fn a_new_office_issues_two_ids_and_one_of_them_sends_from_the_client_with_its_name_on_the_lists(
) {
    let relay = relay().await;
    let mut portal = newcomer_joined(&relay, "deduction").await;
    // The first ID must be a 管理者.
    let (status, page) = portal
        .post("/staff", &[("name", "田中 太郎"), ("role", "general")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(text_of(&page).contains("最初に発行するIDは「管理者」"));
    let (admin_id, _) = issue_staff(&mut portal, "佐々木 花子", "admin").await;
    let (staff_id, staff_password) = issue_staff(&mut portal, "田中 太郎", "general").await;
    assert!(admin_id.starts_with(&format!("c{}", NEWCOMER.number)) && staff_id != admin_id);
    let (_, page) = portal.get("/home").await;
    let text = text_of(&page);
    assert!(text.contains(&admin_id) && text.contains("佐々木 花子") && text.contains("管理者"));
    assert!(text.contains(&staff_id) && text.contains("田中 太郎") && text.contains("一般"));
    assert!(
        !page.contains(&staff_password),
        "a password is shown once, on issue only"
    );

    let p12 = newcomer_certificate(&mut portal).await;
    let client = RelayClient::new(
        &relay.address(),
        ClientIdentity::load(&p12, Some(P12_PASSWORD)).unwrap(),
    )
    .unwrap();
    client
        .login(&LoginCredentials {
            personal_id: staff_id.clone(),
            personal_password: staff_password.clone(),
            office_user_id: NEWCOMER.office_user_id.into(),
            office_password: NEW_PASSWORD.into(),
            terminal_name: "受付PC".into(),
        })
        .await
        .expect("a staff ID issued in the portal logs in to the client");
    let attachment =
        LocalFile::read(&fixture_dir("valid/v41-plan-with-attachments").join("主治医意見書.pdf"))
            .unwrap();
    let sent = client
        .send(
            HOME_HELP.number,
            "はじめての送信です。",
            std::slice::from_ref(&attachment),
            no_progress(),
        )
        .await
        .expect("the new office's first send");
    let by = sent.message.sent_by.clone().expect("who sent it");
    assert_eq!(
        (by.id.as_str(), by.name.as_str()),
        (staff_id.as_str(), "田中 太郎")
    );
    let outbox = client.messages(Mailbox::Outbox, 1, 50).await.unwrap();
    assert_eq!(outbox.items[0].sent_by.as_ref().unwrap().name, "田中 太郎");
    let draft = client
        .save_draft(HOME_HELP.number, "下書きです", &[attachment])
        .await
        .unwrap();
    assert_eq!(draft.saved_by.as_ref().unwrap().id, staff_id);
    assert_eq!(
        client.drafts().await.unwrap()[0]
            .saved_by
            .as_ref()
            .unwrap()
            .name,
        "田中 太郎"
    );
    // The receiving office does not see the sender's staff.
    let home_help = relay.logged_in(HOME_HELP).await;
    let inbox = home_help.messages(Mailbox::Inbox, 1, 50).await.unwrap();
    assert!(inbox.items.iter().all(|m| m.sent_by.is_none()));
    // 利用状況TOP shows the last login and its terminal.
    let (_, page) = portal.get("/home").await;
    assert!(text_of(&page).contains("（受付PC）"), "{}", text_of(&page));
}

#[tokio::test]
async fn reset_stopped_and_deleted_ids_follow_at_the_clients_first_stage_and_one_administrator_stays(
) {
    let relay = relay().await;
    let office = relay.office(CARE_MANAGER).clone();
    let mut portal = PortalClient::new(&relay);
    portal.login(&office.office_user_id, PASSWORD).await;
    let (admin_id, _) = issue_staff(&mut portal, "管理 一郎", "admin").await;
    let (staff_id, first_password) = issue_staff(&mut portal, "職員 二郎", "general").await;
    let http = relay.https(CARE_MANAGER);
    personal_stage(&relay, &http, &staff_id, &first_password)
        .await
        .expect("issued: logs in");

    // Reset: the new password is shown once; the old one no longer works.
    let (status, page) = portal
        .post("/staff/action", &[("id", &staff_id), ("action", "reset")])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (shown_id, new_password) = shown_credentials(&page);
    assert_eq!(shown_id, staff_id);
    let (status, refused) = personal_stage(&relay, &http, &staff_id, &first_password)
        .await
        .unwrap_err();
    assert_eq!(
        (status, refused.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.invalid_credentials")
    );
    personal_stage(&relay, &http, &staff_id, &new_password)
        .await
        .expect("the new password");

    // 利用停止: refused with the reason; 利用再開: back.
    portal.get("/home").await;
    let (status, _) = portal
        .post("/staff/action", &[("id", &staff_id), ("action", "disable")])
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, refused) = personal_stage(&relay, &http, &staff_id, &new_password)
        .await
        .unwrap_err();
    assert_eq!(
        (status, refused.code.as_str()),
        (StatusCode::FORBIDDEN, "auth.id_disabled")
    );
    assert!(refused.message.contains("利用停止"));
    portal
        .post("/staff/action", &[("id", &staff_id), ("action", "enable")])
        .await;
    personal_stage(&relay, &http, &staff_id, &new_password)
        .await
        .expect("enabled again");

    // Deleted: asked first, then gone; answered like an unknown ID.
    let (_, page) = portal
        .post("/staff/action", &[("id", &staff_id), ("action", "delete")])
        .await;
    assert!(text_of(&page).contains("元に戻せません"));
    personal_stage(&relay, &http, &staff_id, &new_password)
        .await
        .expect("not deleted before the confirmation");
    let (status, page) = portal
        .post(
            "/staff/action",
            &[("id", &staff_id), ("action", "delete-confirmed")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!text_of(&page).contains("職員 二郎"), "no longer listed");
    let (status, refused) = personal_stage(&relay, &http, &staff_id, &new_password)
        .await
        .unwrap_err();
    assert_eq!(
        (status, refused.code.as_str()),
        (StatusCode::UNAUTHORIZED, "auth.invalid_credentials")
    );

    // Two active 管理者 (the demo's and the new one): one can go, the last one cannot.
    let demo_admin = office.personal_user_id.clone();
    portal.get("/home").await;
    let (status, _) = portal
        .post(
            "/staff/action",
            &[("id", &demo_admin), ("action", "general")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for action in ["delete-confirmed", "disable", "general"] {
        let (status, page) = portal
            .post("/staff/action", &[("id", &admin_id), ("action", action)])
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{action}");
        assert!(text_of(&page).contains("最低1つ必要"), "{action}");
    }
    personal_stage(&relay, &http, &admin_id, "x")
        .await
        .unwrap_err();
    let (_, page) = portal.get("/home").await;
    assert!(text_of(&page).contains("管理 一郎"));
}

#[tokio::test]
async fn a_general_id_and_another_offices_session_are_refused_and_change_nothing() {
    let relay = relay().await;
    let office = relay.office(CARE_MANAGER).clone();
    let mut admin = PortalClient::new(&relay);
    admin.login(&office.office_user_id, PASSWORD).await;
    let (general_id, general_password) = issue_staff(&mut admin, "一般 三郎", "general").await;
    let before = relay.relay.state.store.audit().lines().await.unwrap().len();

    let mut general = PortalClient::new(&relay);
    let (status, page) = general.login(&general_id, &general_password).await;
    assert_eq!(status, StatusCode::OK, "{}", text_of(&page));
    assert!(
        !page.contains("action=\"/staff\""),
        "no issue form for a 一般 ID"
    );
    for (path, fields) in [
        ("/staff", vec![("name", "勝手 四郎"), ("role", "admin")]),
        (
            "/staff/action",
            vec![
                ("id", office.personal_user_id.as_str()),
                ("action", "reset"),
            ],
        ),
        ("/listing", vec![("listed", "no"), ("name_kana", "")]),
        ("/licence/payment", vec![("payment", "invoice")]),
    ] {
        general.get("/security-mail").await;
        let (status, page) = general.post(path, &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {}", text_of(&page));
        assert!(
            text_of(&page).contains("の個人ユーザID）だけができます"),
            "{path}"
        );
    }
    for path in ["/certificates", "/listing", "/apply"] {
        assert_eq!(general.get(path).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    // Its own things it may do.
    assert_eq!(general.get("/security-mail").await.0, StatusCode::OK);
    assert_eq!(general.get("/password").await.0, StatusCode::OK);
    let changes: Vec<String> = relay.relay.state.store.audit().lines().await.unwrap()[before..]
        .iter()
        .map(|l| l.action.clone())
        .filter(|a| {
            a.starts_with("staff.")
                || a.starts_with("portal.listing")
                || a.starts_with("portal.licence")
        })
        .collect();
    assert!(
        changes.is_empty(),
        "refused actions changed nothing: {changes:?}"
    );
    let (_, page) = admin.get("/home").await;
    assert!(!text_of(&page).contains("勝手 四郎"));
    personal_stage(
        &relay,
        &relay.https(CARE_MANAGER),
        &office.personal_user_id,
        PASSWORD,
    )
    .await
    .expect("the 管理者's password was not reset");

    // Another office's session cookie: its scope is its own office; this office's IDs are not
    // found there, and nothing changes.
    let mut other = PortalClient::new(&relay);
    other
        .login(&relay.office(HOME_HELP).office_user_id, PASSWORD)
        .await;
    let (status, page) = other
        .post(
            "/staff/action",
            &[("id", &general_id), ("action", "delete-confirmed")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(text_of(&page).contains("この事業所にありません"));
    let (status, _) = other
        .post(
            "/staff/action",
            &[("id", &general_id), ("action", "disable")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    personal_stage(
        &relay,
        &relay.https(CARE_MANAGER),
        &general_id,
        &general_password,
    )
    .await
    .expect("the ID is untouched");
}
