//! 利用申請 over real HTTPS: a new office joins by itself (temporary password changed first, the
//! 利用規約 read, a licence for a year), once; ライセンス, its renewal and history; the operator's
//! フリーパス and 利用規約.

mod common;

use careplan_relay::licensing::{expiry_of, today, FreePass};
use common::*;

#[tokio::test]
async fn a_new_office_changes_its_temporary_password_applies_once_and_gets_a_licence() {
    let relay = relay().await;
    let mut portal = PortalClient::new(&relay);
    let (_, page) = portal
        .login(NEWCOMER.office_user_id, NEWCOMER.temporary_password)
        .await;
    assert!(text_of(&page).contains("仮パスワードです"));
    // Nothing but the change until it is changed.
    let (_, page) = portal.get("/home").await;
    assert!(
        text_of(&page).contains("仮パスワードです"),
        "TOP is not shown yet"
    );
    // A weak password, two different ones, and the temporary one again are refused.
    for (new, again, said) in [
        ("abcdefgh", "abcdefgh", "2種類以上"),
        ("Abcdefg1", "Abcdefg2", "一致しません"),
        (
            NEWCOMER.temporary_password,
            NEWCOMER.temporary_password,
            "違うものに",
        ),
    ] {
        let (status, page) = portal
            .post(
                "/password",
                &[
                    ("current", NEWCOMER.temporary_password),
                    ("new", new),
                    ("again", again),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(text_of(&page).contains(said), "{said}: {}", text_of(&page));
    }
    let (status, page) = portal
        .post(
            "/password",
            &[
                ("current", "wrong-pass-1"),
                ("new", NEW_PASSWORD),
                ("again", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(text_of(&page).contains("現在のパスワードが違います"));
    let (status, _) = portal
        .post(
            "/password",
            &[
                ("current", NEWCOMER.temporary_password),
                ("new", NEW_PASSWORD),
                ("again", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The temporary password is gone; the new one logs in.
    let mut again = PortalClient::new(&relay);
    let (status, _) = again
        .login(NEWCOMER.office_user_id, NEWCOMER.temporary_password)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, page) = again.login(NEWCOMER.office_user_id, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text_of(&page).contains("利用申請可能です"),
        "{}",
        text_of(&page)
    );

    // 申請 → the 利用規約, the 同意 button at its very end (inside the scrolled region).
    let (_, page) = portal.get("/apply").await;
    let terms = &page[page.find("class=\"terms\"").unwrap()..];
    let agree = terms.find("id=\"agree\"").unwrap();
    assert!(
        terms[..agree].contains("第12条"),
        "the button comes after the last article"
    );
    assert!(page.find("id=\"agree\"").unwrap() > page.find("附則").unwrap());
    let version = value_of(&page, "terms_version");
    assert_eq!(version, "0");
    // Without 同意, or with an unknown payment method: refused, nothing granted.
    let (status, page) = portal
        .post(
            "/apply",
            &[("payment", "deduction"), ("terms_version", "0")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text_of(&page).contains("「利用規約に同意する」を押してください"));
    let (status, _) = portal
        .post(
            "/apply",
            &[
                ("payment", "cash"),
                ("terms_version", "0"),
                ("agree", "yes"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(relay
        .relay
        .licence(NEWCOMER.number)
        .await
        .unwrap()
        .is_none());

    let (status, page) = portal
        .post(
            "/apply",
            &[
                ("payment", "invoice"),
                ("terms_version", "0"),
                ("agree", "yes"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}", text_of(&page));
    let text = text_of(&page);
    assert!(text.contains("ライセンスが付与され"), "{text}");
    assert!(text.contains("請求書（口座振込）"));
    // The demo's フリーパス is on: ¥0, 通常 21,000円, waived.
    assert!(
        text.contains("0円（フリーパス適用。通常 21,000円）"),
        "{text}"
    );
    let licence = relay.relay.licence(NEWCOMER.number).await.unwrap().unwrap();
    assert_eq!(licence.starts_on, today().to_string());
    assert_eq!(licence.expires_on, expiry_of(today()).to_string());
    assert!(licence.free_pass);
    assert_eq!(licence.payment, "waived");

    // Joining twice is refused with a clear message, not a second licence.
    let (status, page) = portal
        .post(
            "/apply",
            &[
                ("payment", "deduction"),
                ("terms_version", "0"),
                ("agree", "yes"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(text_of(&page).contains("既に利用申請済みです"));
    let (_, page) = portal.get("/licence").await;
    assert_eq!(
        page.matches("<td>利用申請</td>").count(),
        1,
        "one period in the history"
    );
    assert!(
        text_of(&page).contains("請求書（口座振込）"),
        "the payment method did not change"
    );
    let applications = relay.relay.applications().await.unwrap();
    assert_eq!(applications.len(), 1);
    assert_eq!(applications[0].0.payment_method, "invoice");
}

#[tokio::test]
async fn without_the_free_pass_the_licence_costs_21000_yen_and_renews_from_60_days_before_its_end()
{
    let relay = relay().await;
    relay
        .relay
        .set_free_pass(FreePass::default())
        .await
        .unwrap();
    let mut portal = newcomer_joined(&relay, "deduction").await;
    let (_, page) = portal.get("/licence").await;
    let text = text_of(&page);
    assert!(text.contains("21,000円"), "{text}");
    assert!(text.contains("給付費からの差引"));
    assert!(text.contains("未払い"));
    // A year away from its end: no renewal yet.
    assert!(!page.contains("action=\"/licence/renew\""));
    let (status, page) = portal.post("/licence/renew", &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(text_of(&page).contains("60日前から更新できます"));
    // 59 days before its end (the operator moved the licence): renewable, from the day after.
    let starts = today() - time::Duration::days(365 - 59);
    relay
        .relay
        .grant_licence(NEWCOMER.number, starts, false, false)
        .await
        .unwrap();
    let (_, page) = portal.get("/licence").await;
    assert!(
        page.contains("action=\"/licence/renew\""),
        "{}",
        text_of(&page)
    );
    let (status, page) = portal.post("/licence/renew", &[]).await;
    assert_eq!(status, StatusCode::OK, "{}", text_of(&page));
    let renewed = relay.relay.licence(NEWCOMER.number).await.unwrap().unwrap();
    let next = expiry_of(starts) + time::Duration::days(1);
    assert_eq!(renewed.starts_on, next.to_string());
    assert_eq!(renewed.expires_on, expiry_of(next).to_string());
    assert!(text_of(&page).contains("更新"));
    // The payment method can be changed for the periods to come.
    let (status, page) = portal
        .post("/licence/payment", &[("payment", "invoice")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&page).contains("「請求書（口座振込）」に変更しました"));
}

#[tokio::test]
async fn licences_under_the_free_pass_renew_themselves_while_the_operator_has_it_so() {
    let relay = relay().await;
    let portal = newcomer_joined(&relay, "deduction").await;
    drop(portal);
    // A licence granted under the フリーパス that ended yesterday.
    let starts = today() - time::Duration::days(366);
    relay
        .relay
        .grant_licence(NEWCOMER.number, starts, true, false)
        .await
        .unwrap();
    let ended = relay.relay.licence(NEWCOMER.number).await.unwrap().unwrap();
    assert!(ended.expires_on < today().to_string());
    // Automatic renewal off: it stays ended.
    relay
        .relay
        .set_free_pass(FreePass {
            enabled: true,
            until: None,
            auto_renew: false,
        })
        .await
        .unwrap();
    assert!(relay
        .relay
        .renew_due_licences(today())
        .await
        .unwrap()
        .is_empty());
    // On: renewed from the day after its end, under the フリーパス.
    relay
        .relay
        .set_free_pass(FreePass {
            enabled: true,
            until: None,
            auto_renew: true,
        })
        .await
        .unwrap();
    assert_eq!(
        relay.relay.renew_due_licences(today()).await.unwrap(),
        vec![NEWCOMER.number.to_owned()]
    );
    let renewed = relay.relay.licence(NEWCOMER.number).await.unwrap().unwrap();
    let next = expiry_of(starts) + time::Duration::days(1);
    assert_eq!(
        (renewed.starts_on.as_str(), renewed.free_pass),
        (next.to_string().as_str(), true)
    );
    let mut portal = PortalClient::new(&relay);
    portal.login(NEWCOMER.office_user_id, NEW_PASSWORD).await;
    let (_, page) = portal.get("/licence").await;
    assert!(text_of(&page).contains("自動更新"), "the history says so");
    // A フリーパス that ends before the renewal day renews nothing.
    relay
        .relay
        .grant_licence(NEWCOMER.number, starts, true, false)
        .await
        .unwrap();
    relay
        .relay
        .set_free_pass(FreePass {
            enabled: true,
            until: Some(expiry_of(starts)),
            auto_renew: true,
        })
        .await
        .unwrap();
    assert!(relay
        .relay
        .renew_due_licences(today())
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_operator_replaces_the_terms_and_an_application_on_the_old_ones_is_refused() {
    let relay = relay().await;
    let mut portal = newcomer_logged_in(&relay).await;
    let (_, page) = portal.get("/apply").await;
    assert_eq!(value_of(&page, "terms_version"), "0");
    let version = relay
        .relay
        .publish_terms("新しい利用規約\n\n第1条（目的）\n\n改定した本文です。")
        .await
        .unwrap();
    assert_eq!(version, 1);
    // The page read before the change: refused, nothing granted.
    let (status, page) = portal
        .post(
            "/apply",
            &[
                ("payment", "deduction"),
                ("terms_version", "0"),
                ("agree", "yes"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text_of(&page).contains("利用規約が更新されました"));
    assert!(
        text_of(&page).contains("改定した本文です"),
        "the new terms are shown"
    );
    assert!(relay
        .relay
        .licence(NEWCOMER.number)
        .await
        .unwrap()
        .is_none());
    let (status, _) = portal
        .post(
            "/apply",
            &[
                ("payment", "deduction"),
                ("terms_version", "1"),
                ("agree", "yes"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        relay.relay.applications().await.unwrap()[0].0.terms_version,
        1
    );
    // Empty terms are refused by the operator's command.
    assert!(relay.relay.publish_terms("  \n ").await.is_err());
}

#[tokio::test]
async fn the_clients_second_stage_refuses_a_temporary_password_until_the_portal_changed_it() {
    let relay = relay().await;
    // An office as office-import registers it (a temporary password), with a c ID and a
    // certificate from the operator.
    relay
        .relay
        .import_offices(
            "1370000067,みどり訪問入浴,12,東京都,新宿区,KJ137000006701,kari-pass-2026\n".as_bytes(),
        )
        .await
        .unwrap();
    relay
        .relay
        .add_user(
            careplan_relay::store::UserTable::Personal,
            "c1370000067a",
            "1370000067",
            PASSWORD,
        )
        .await
        .unwrap();
    let certs = temp_dir("midori");
    let files = relay
        .relay
        .issue_certificate(
            "1370000067",
            careplan_relay::pki::CertSubject::KaigoJigyousho,
            30,
            &certs,
            PASSWORD,
        )
        .await
        .unwrap();
    let client = careplan_client::RelayClient::new(
        &relay.address(),
        careplan_client::ClientIdentity::load(&files.pkcs12, Some(PASSWORD)).unwrap(),
    )
    .unwrap();
    let credentials = |office_password: &str| careplan_client::LoginCredentials {
        personal_id: "c1370000067a".into(),
        personal_password: PASSWORD.into(),
        office_user_id: "KJ137000006701".into(),
        office_password: office_password.into(),
        terminal_name: "受付PC".into(),
    };
    let refused = client
        .login(&credentials("kari-pass-2026"))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "auth.temporary_password");
    assert!(
        refused.to_string().contains("仮パスワード")
            || format!("{refused:?}").contains("仮パスワード")
    );
    let mut portal = PortalClient::new(&relay);
    portal.login("KJ137000006701", "kari-pass-2026").await;
    portal
        .post(
            "/password",
            &[
                ("current", "kari-pass-2026"),
                ("new", NEW_PASSWORD),
                ("again", NEW_PASSWORD),
            ],
        )
        .await;
    client
        .login(&credentials(NEW_PASSWORD))
        .await
        .expect("changed: the client logs in");
}
