//! セキュリティメール through a real SMTP server on 127.0.0.1 (aiosmtpd): an address registered and
//! confirmed by the code mailed to it; an ID locked by wrong passwords unlocked, and a forgotten
//! password replaced, by mailed codes; codes that are wrong, expired or used refused; the same
//! answer whether an ID has an address; a limit per hour. Needs the SMTP server's Python
//! (`source scripts/lib.sh; require_smtp_server`), so ignored in a plain run; the test command runs it.

mod common;

use careplan_test_support::smtp::LocalSmtp;
use common::*;

async fn relay_with_mail(
    smtp: &LocalSmtp,
    change: impl FnOnce(&mut careplan_portal::PortalConfig),
) -> TestRelay {
    let mail = smtp.mail_config();
    TestRelay::builder()
        .portal_with(move |c| {
            c.mail = mail;
            change(c);
        })
        .start()
        .await
}

/// Registers and confirms an address for the ID logged in on `portal`; answers the mails so far.
async fn register(portal: &mut PortalClient, smtp: &LocalSmtp, address: &str) {
    let before = smtp.mails().len();
    portal.get("/security-mail").await;
    let (status, page) = portal.post("/security-mail", &[("address", address)]).await;
    assert_eq!(status, StatusCode::OK, "{}", text_of(&page));
    let mail = smtp.wait_for_mail(before + 1).await;
    assert_eq!(mail.to, vec![address.to_owned()]);
    assert!(mail.subject.contains("確認コード"));
    let (status, page) = portal
        .post("/security-mail/confirm", &[("code", &mail.code())])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&page).contains("セキュリティメールを登録しました"));
}

async fn request_reset(visitor: &mut PortalClient, id: &str) {
    visitor.get("/recovery?purpose=reset").await;
    let (status, _) = visitor
        .post(
            "/recovery/request",
            &[("purpose", "reset"), ("user_id", id)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn lock(relay: &TestRelay, id: &str) {
    let mut portal = PortalClient::new(relay);
    for _ in 0..5 {
        portal.login(id, "wrong-password").await;
    }
    assert_eq!(portal.login(id, PASSWORD).await.0, StatusCode::LOCKED);
}

#[tokio::test]
#[ignore = "needs the SMTP server (scripts/lib.sh require_smtp_server); run by scripts/run-tests.sh"]
async fn an_address_is_confirmed_by_its_code_and_a_locked_id_is_unlocked_by_a_mailed_one() {
    let smtp = LocalSmtp::start();
    let relay = relay_with_mail(&smtp, |_| {}).await;
    let office = relay.office(CARE_MANAGER).clone();
    let mut portal = PortalClient::new(&relay);
    portal.login(&office.personal_user_id, PASSWORD).await;
    // A wrong code first, and a malformed address: refused.
    let (status, page) = portal
        .post("/security-mail", &[("address", "not an address")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text_of(&page).contains("メールアドレスの形が正しくありません"));
    portal
        .post(
            "/security-mail",
            &[("address", "yamada@hidamari.example.jp")],
        )
        .await;
    let mail = smtp.wait_for_mail(1).await;
    let wrong = if mail.code() == "000000" {
        "111111"
    } else {
        "000000"
    };
    let (status, page) = portal
        .post("/security-mail/confirm", &[("code", wrong)])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text_of(&page).contains("確認コードが正しくないか"));
    assert!(text_of(&page).contains("未登録"));
    let (status, page) = portal
        .post("/security-mail/confirm", &[("code", &mail.code())])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&page).contains("yamada@hidamari.example.jp"));

    // Locked by wrong passwords; unlocked by the code mailed to the confirmed address.
    lock(&relay, &office.personal_user_id).await;
    let mut visitor = PortalClient::new(&relay);
    visitor.get("/recovery?purpose=unlock").await;
    let (status, page) = visitor
        .post(
            "/recovery/request",
            &[("purpose", "unlock"), ("user_id", &office.personal_user_id)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let said = text_of(&page);
    assert!(said.contains("登録されていれば、確認コードを送りました"));
    let mail = smtp.wait_for_mail(2).await;
    assert_eq!(mail.to, vec!["yamada@hidamari.example.jp".to_owned()]);
    assert!(mail.body.contains("ロック解除"));
    let (status, page) = visitor
        .post(
            "/recovery/redeem",
            &[
                ("purpose", "unlock"),
                ("user_id", &office.personal_user_id),
                ("code", &mail.code()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{}", text_of(&page));
    assert!(text_of(&page).contains("ロックを解除しました"));
    assert_eq!(
        PortalClient::new(&relay)
            .login(&office.personal_user_id, PASSWORD)
            .await
            .0,
        StatusCode::OK
    );
    // Used once: the same code again is refused.
    visitor.get("/recovery?purpose=unlock").await;
    let (status, page) = visitor
        .post(
            "/recovery/redeem",
            &[
                ("purpose", "unlock"),
                ("user_id", &office.personal_user_id),
                ("code", &mail.code()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text_of(&page).contains("既に使われています"));

    // An ID without an address, and an unknown one: the same answer, and no mail.
    for id in [
        relay.office(HOME_HELP).personal_user_id.as_str(),
        "c9999999999zz",
    ] {
        visitor.get("/recovery?purpose=unlock").await;
        let (status, page) = visitor
            .post(
                "/recovery/request",
                &[("purpose", "unlock"), ("user_id", id)],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let text = text_of(&page);
        let notice = |t: &str| {
            t[t.find("入力されたIDに").unwrap()..t.find("有効期限は").unwrap()].to_owned()
        };
        assert_eq!(notice(&text), notice(&said), "{id}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.mails().len(), 2, "no mail for IDs without an address");
}

#[tokio::test]
#[ignore = "needs the SMTP server (scripts/lib.sh require_smtp_server); run by scripts/run-tests.sh"]
async fn a_forgotten_password_is_replaced_by_a_mailed_code_and_expired_codes_are_refused() {
    let smtp = LocalSmtp::start();
    let relay = relay_with_mail(&smtp, |c| {
        c.code_lifetime = std::time::Duration::from_secs(1)
    })
    .await;
    let office = relay.office(CARE_MANAGER).clone();
    let mut portal = PortalClient::new(&relay);
    portal.login(&office.office_user_id, PASSWORD).await;
    register(&mut portal, &smtp, "jimu@hidamari.example.jp").await;

    let mut visitor = PortalClient::new(&relay);
    request_reset(&mut visitor, &office.office_user_id).await;
    let expired = smtp.wait_for_mail(2).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (status, page) = visitor
        .post(
            "/recovery/redeem",
            &[
                ("purpose", "reset"),
                ("user_id", &office.office_user_id),
                ("code", &expired.code()),
                ("new", "Hidamari-2027"),
                ("again", "Hidamari-2027"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text_of(&page).contains("有効期限が切れているか"));
    assert_eq!(
        PortalClient::new(&relay)
            .login(&office.office_user_id, PASSWORD)
            .await
            .0,
        StatusCode::OK,
        "unchanged"
    );

    request_reset(&mut visitor, &office.office_user_id).await;
    let fresh = smtp.wait_for_mail(3).await;
    // A weak new password is refused before the code is used.
    let (status, _) = visitor
        .post(
            "/recovery/redeem",
            &[
                ("purpose", "reset"),
                ("user_id", &office.office_user_id),
                ("code", &fresh.code()),
                ("new", "weakweak"),
                ("again", "weakweak"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, page) = visitor
        .post(
            "/recovery/redeem",
            &[
                ("purpose", "reset"),
                ("user_id", &office.office_user_id),
                ("code", &fresh.code()),
                ("new", "Hidamari-2027"),
                ("again", "Hidamari-2027"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{}", text_of(&page));
    assert_eq!(
        PortalClient::new(&relay)
            .login(&office.office_user_id, PASSWORD)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        PortalClient::new(&relay)
            .login(&office.office_user_id, "Hidamari-2027")
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
#[ignore = "needs the SMTP server (scripts/lib.sh require_smtp_server); run by scripts/run-tests.sh"]
async fn codes_are_limited_per_hour_and_the_answer_stays_the_same() {
    let smtp = LocalSmtp::start();
    let relay = relay_with_mail(&smtp, |c| c.codes_per_hour = 2).await;
    let office = relay.office(CARE_MANAGER).clone();
    let mut portal = PortalClient::new(&relay);
    portal.login(&office.personal_user_id, PASSWORD).await;
    register(&mut portal, &smtp, "yamada@hidamari.example.jp").await;
    let mut visitor = PortalClient::new(&relay);
    let mut answers = Vec::new();
    for _ in 0..2 {
        visitor.get("/recovery?purpose=unlock").await;
        let (status, page) = visitor
            .post(
                "/recovery/request",
                &[("purpose", "unlock"), ("user_id", &office.personal_user_id)],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        answers.push(text_of(&page));
    }
    smtp.wait_for_mail(2).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        smtp.mails().len(),
        2,
        "the registration's code and one more: the hour's two"
    );
    assert_eq!(answers[0], answers[1]);
}
