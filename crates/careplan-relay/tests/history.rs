//! 送受信履歴: a plan replaced by a newer one shows the chain and who took each, the filters find a
//! 利用者, a kind and a month, and an office never sees another office's rows (guessed partners and
//! filters included). Through the client library, as the desktop app and `careplan history` use it.

mod common;

use careplan_api::{HistoryDirection, HistoryKind, HistoryQuery};
use careplan_client::{no_progress, LocalFile, Mailbox, RelayClient};
use common::*;

const PLAN_SERIAL: &str = "20250401093000";
const NEWER_SERIAL: &str = "20250410100000";

/// A fixture's files with parts of their names replaced (a newer ファイル連番, another receiver).
fn files(case: &str, replace: &[(&str, &str)]) -> Vec<LocalFile> {
    fixture_files(case)
        .into_iter()
        .map(|(name, bytes)| LocalFile {
            name: replace
                .iter()
                .fold(name, |name, (from, to)| name.replace(from, to)),
            bytes: bytes.into(),
        })
        .collect()
}

fn april() -> HistoryQuery {
    HistoryQuery {
        from: "2000-01-01".into(),
        to: "2099-12-31".into(),
        ..HistoryQuery::default()
    }
}

async fn fetch_all(client: &RelayClient) {
    let inbox = client.messages(Mailbox::Inbox, 1, 200).await.unwrap();
    let report = client
        .fetch_messages(&inbox.items, &temp_dir("fetched"), no_progress())
        .await;
    assert!(report.failed.is_empty(), "{:?}", report.failed);
}

#[tokio::test]
async fn a_plan_replaced_by_a_newer_one_shows_the_chain_and_who_took_each() {
    let relay = TestRelay::start().await;
    let care = relay.logged_in_on(CARE_MANAGER, "居宅の受付PC").await;
    let helper = relay.logged_in_on(HOME_HELP, "ヘルパー事務所PC").await;
    care.send(
        HOME_HELP.number,
        "4月の計画です",
        &files("valid/v41-plan", &[]),
        no_progress(),
    )
    .await
    .unwrap();
    care.send(
        HOME_HELP.number,
        "計画を変更しました",
        &files("valid/v41-plan", &[(PLAN_SERIAL, NEWER_SERIAL)]),
        no_progress(),
    )
    .await
    .unwrap();
    // Only the first is taken so far: the second is 未 in the chain.
    let inbox = helper.messages(Mailbox::Inbox, 1, 10).await.unwrap();
    let first = inbox
        .items
        .iter()
        .find(|m| m.message == "4月の計画です")
        .unwrap();
    let report = helper
        .fetch_messages(
            std::slice::from_ref(first),
            &temp_dir("fetched"),
            no_progress(),
        )
        .await;
    assert!(report.failed.is_empty());

    let sent = care.history(&april()).await.unwrap();
    assert_eq!(sent.total, 8, "two units of four files");
    assert_eq!(sent.items.len(), 8);
    assert!(sent
        .items
        .iter()
        .all(|e| e.direction == HistoryDirection::Sent));
    let old_plan = sent
        .items
        .iter()
        .find(|e| e.kind.as_deref() == Some("UP1KYO") && e.serial.as_deref() == Some(PLAN_SERIAL))
        .unwrap();
    assert_eq!(old_plan.partner.number, HOME_HELP.number);
    assert_eq!(old_plan.partner.name, HOME_HELP.name);
    assert_eq!(
        old_plan.unit_title.as_deref(),
        Some("居宅サービス計画書 第1〜3表")
    );
    assert!(!old_plan.people.is_empty(), "the unit's 利用者");
    assert_eq!(
        old_plan.sent_by.person_id.as_deref(),
        Some(CARE_MANAGER.personal_user_id)
    );
    assert_eq!(
        old_plan.sent_by.person_name.as_deref(),
        Some(CARE_MANAGER.person_name)
    );
    assert_eq!(old_plan.sent_by.terminal.as_deref(), Some("居宅の受付PC"));
    assert!(old_plan.fetched_at.is_some());
    let taker = old_plan.fetched_by.as_ref().unwrap();
    assert_eq!(taker.person_id.as_deref(), Some(HOME_HELP.personal_user_id));
    assert_eq!(
        taker.person_name, None,
        "another office's staff are not named"
    );
    assert_eq!(taker.terminal, None, "nor its terminals");
    assert!(
        old_plan.receipt_signature.is_some(),
        "the 受領証 is there once taken"
    );
    assert_eq!(
        old_plan.later_versions.len(),
        1,
        "{:?}",
        old_plan.later_versions
    );
    let newer = &old_plan.later_versions[0];
    assert_eq!(newer.serial, NEWER_SERIAL);
    assert!(newer.name.starts_with("UP1KYO_"));
    assert_eq!(
        newer.fetched_at, None,
        "the partner has not taken the newer plan yet"
    );
    let new_plan = sent
        .items
        .iter()
        .find(|e| e.kind.as_deref() == Some("UP1KYO") && e.serial.as_deref() == Some(NEWER_SERIAL))
        .unwrap();
    assert!(new_plan.later_versions.is_empty(), "the newest has none");
    assert_eq!(new_plan.receipt_signature, None);
    assert_eq!(new_plan.fetched_by, None);

    // Now the partner takes the newer one too: both offices see that.
    fetch_all(&helper).await;
    let sent = care.history(&april()).await.unwrap();
    let old_plan = sent
        .items
        .iter()
        .find(|e| e.kind.as_deref() == Some("UP1KYO") && e.serial.as_deref() == Some(PLAN_SERIAL))
        .unwrap();
    assert!(old_plan.later_versions[0].fetched_at.is_some());
    let received = helper.history(&april()).await.unwrap();
    assert_eq!(received.total, 8);
    let taken = &received.items[0];
    assert_eq!(taken.direction, HistoryDirection::Received);
    assert_eq!(taken.partner.number, CARE_MANAGER.number);
    assert_eq!(
        taken.sent_by.person_name, None,
        "the sender's staff are not named to the receiver"
    );
    let by = taken.fetched_by.as_ref().unwrap();
    assert_eq!(
        by.person_name.as_deref(),
        Some(HOME_HELP.person_name),
        "its own staff are"
    );
    assert_eq!(
        by.terminal.as_deref(),
        Some("ヘルパー事務所PC"),
        "with their terminal"
    );
    assert_eq!(taken.sent_by.terminal, None, "not the sender's terminal");
    assert_eq!(
        taken.sent_by.person_id.as_deref(),
        Some(CARE_MANAGER.personal_user_id)
    );
    assert_eq!(received.receipt_key_id, sent.receipt_key_id);
    assert_eq!(received.receipt_key_id.len(), 16);
}

#[tokio::test]
async fn filters_find_a_partner_a_person_a_kind_and_a_month() {
    let relay = TestRelay::start().await;
    let care = relay.logged_in(CARE_MANAGER).await;
    care.send(
        HOME_HELP.number,
        "",
        &files("valid/v41-plan", &[]),
        no_progress(),
    )
    .await
    .unwrap();
    care.send(
        HOME_HELP.number,
        "",
        &files("valid/v41-use-sheet", &[]),
        no_progress(),
    )
    .await
    .unwrap();
    let all = care.history(&april()).await.unwrap();
    assert_eq!(all.total, 7);

    let with = |change: fn(&mut HistoryQuery)| {
        let mut q = april();
        change(&mut q);
        q
    };
    let plans = care
        .history(&with(|q| q.kind = Some(HistoryKind::Plan)))
        .await
        .unwrap();
    assert_eq!(plans.total, 3, "第1〜3表, not the 補足");
    assert!(plans
        .items
        .iter()
        .all(|e| e.kind.as_deref().unwrap().ends_with("KYO")));
    let april_sheets = care
        .history(&with(|q| q.month = Some("202504".into())))
        .await
        .unwrap();
    assert_eq!(
        april_sheets.total, 3,
        "UPPLAN, UPSIKYU and its UPHOSOKU carry 202504"
    );
    let may = care
        .history(&with(|q| q.month = Some("202505".into())))
        .await
        .unwrap();
    assert_eq!(may.total, 0);
    let to_partner = care
        .history(&with(|q| q.partner = Some(HOME_HELP.number.into())))
        .await
        .unwrap();
    assert_eq!(to_partner.total, 7);
    let received_only = care
        .history(&with(|q| q.direction = Some(HistoryDirection::Received)))
        .await
        .unwrap();
    assert_eq!(received_only.total, 0);
    // A page at its smallest.
    let one = care.history(&with(|q| q.per_page = Some(1))).await.unwrap();
    assert_eq!((one.items.len(), one.total), (1, 7));

    // A 利用者 by 被保険者番号 (both units are about her), with the 保険者番号 too, and by name
    // typed without the space the file has.
    let mut by_number = april();
    by_number.insured = Some("0000012345".into());
    assert_eq!(care.history(&by_number).await.unwrap().total, 7);
    by_number.insurer = Some("131016".into());
    assert_eq!(care.history(&by_number).await.unwrap().total, 7);
    by_number.insurer = Some("999999".into());
    assert_eq!(
        care.history(&by_number).await.unwrap().total,
        0,
        "another 保険者's"
    );
    let mut by_name = april();
    by_name.name = Some("山田花子".into());
    assert_eq!(care.history(&by_name).await.unwrap().total, 7);
    by_name.kind = Some(HistoryKind::UsePlan);
    assert_eq!(
        care.history(&by_name).await.unwrap().total,
        2,
        "filters combine"
    );
    let mut nobody = april();
    nobody.name = Some("存在しない利用者".into());
    assert_eq!(care.history(&nobody).await.unwrap().total, 0);
    for literal in ["%", "_", "!"] {
        let mut wildcard = april();
        wildcard.name = Some(literal.into());
        assert_eq!(
            care.history(&wildcard).await.unwrap().total,
            0,
            "{literal} is a character"
        );
    }
    let mut wildcard = april();
    wildcard.name = Some("山田%".into());
    assert_eq!(
        care.history(&wildcard).await.unwrap().total,
        0,
        "a % is a character, not a wildcard"
    );

    // A period that ends before the sends.
    let mut before = april();
    before.to = "2001-01-01".into();
    assert_eq!(care.history(&before).await.unwrap().total, 0);
}

#[tokio::test]
async fn an_office_never_sees_another_offices_rows() {
    let relay = TestRelay::start().await;
    let care = relay.logged_in(CARE_MANAGER).await;
    care.send(
        HOME_HELP.number,
        "",
        &files("valid/v41-plan", &[]),
        no_progress(),
    )
    .await
    .unwrap();
    // The same 利用者's newer plan to a third office: a later version for the care office, never
    // for the helper, which did not receive it.
    care.send(
        DAY_SERVICE.number,
        "",
        &files(
            "valid/v41-plan",
            &[
                (PLAN_SERIAL, NEWER_SERIAL),
                ("1370000026_11", "1370000034_15"),
            ],
        ),
        no_progress(),
    )
    .await
    .unwrap();
    let helper = relay.logged_in(HOME_HELP).await;
    let seen = helper.history(&april()).await.unwrap();
    assert_eq!(seen.total, 4);
    assert!(seen
        .items
        .iter()
        .all(|e| e.partner.number == CARE_MANAGER.number));
    assert!(
        seen.items.iter().all(|e| e.later_versions.is_empty()),
        "the plan sent to another office is not the helper's"
    );
    // A guessed partner, and filters naming the others' 利用者, find nothing.
    let mut guessed = april();
    guessed.partner = Some(DAY_SERVICE.number.into());
    assert_eq!(helper.history(&guessed).await.unwrap().total, 0);
    let welfare = relay.logged_in(WELFARE_EQUIPMENT).await;
    for query in [
        april(),
        HistoryQuery {
            partner: Some(CARE_MANAGER.number.into()),
            ..april()
        },
        HistoryQuery {
            insured: Some("0000012345".into()),
            ..april()
        },
    ] {
        let page = welfare.history(&query).await.unwrap();
        assert_eq!((page.total, page.items.len()), (0, 0), "{query:?}");
    }
    // The sender sees both, to their own partners.
    let sent = care.history(&april()).await.unwrap();
    assert_eq!(sent.total, 8);
}

#[tokio::test]
async fn a_bad_period_or_filter_is_refused_in_japanese_and_the_page_size_has_its_limit() {
    let relay = TestRelay::start().await;
    let care = relay.logged_in(CARE_MANAGER).await;
    let refused = |query: HistoryQuery| {
        let care = &care;
        async move { care.history(&query).await.unwrap_err() }
    };
    let e = refused(HistoryQuery {
        from: "2025-13-01".into(),
        to: "2025-12-31".into(),
        ..HistoryQuery::default()
    })
    .await;
    assert_eq!(e.code(), "history.bad_filter");
    assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
    let e = refused(HistoryQuery {
        from: "2025-05-01".into(),
        to: "2025-04-30".into(),
        ..HistoryQuery::default()
    })
    .await;
    assert!(e.to_string().contains("終わりが始まりより前"), "{e}");
    let e = refused(HistoryQuery {
        partner: Some("13700000".into()),
        ..april()
    })
    .await;
    assert!(e.to_string().contains("10桁"), "{e}");
    let e = refused(HistoryQuery {
        per_page: Some(201),
        ..april()
    })
    .await;
    assert_eq!(e.code(), "list.bad_page");
    let at_limit = care
        .history(&HistoryQuery {
            per_page: Some(200),
            ..april()
        })
        .await
        .unwrap();
    assert_eq!(at_limit.per_page, 200);
}

#[tokio::test]
async fn an_export_reads_every_page_and_stops_past_its_limit() {
    let relay = TestRelay::start().await;
    let care = relay.logged_in(CARE_MANAGER).await;
    care.send(
        HOME_HELP.number,
        "",
        &files("valid/v41-plan", &[]),
        no_progress(),
    )
    .await
    .unwrap();
    let export = care.history_all(&april(), 4).await.unwrap();
    assert_eq!(export.items.len(), 4, "at the limit");
    let e = care.history_all(&april(), 3).await.unwrap_err();
    assert_eq!(e.code(), "history.too_many");
    assert!(e.to_string().contains("期間を短く"), "{e}");
    let csv = careplan_client::history::history_csv(&export.items);
    let (text, _, errors) = encoding_rs::SHIFT_JIS.decode(&csv);
    assert!(!errors);
    assert_eq!(text.lines().count(), 5, "header and four files");
}

#[tokio::test]
async fn files_stored_before_the_history_get_their_kind_month_and_serial_at_the_next_start() {
    let relay = TestRelay::start().await;
    let care = relay.logged_in(CARE_MANAGER).await;
    care.send(
        HOME_HELP.number,
        "",
        &files("valid/v41-use-sheet", &[]),
        no_progress(),
    )
    .await
    .unwrap();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&relay.relay.config.database_url())
        .await
        .unwrap();
    sqlx::query("UPDATE message_files SET kind = NULL, target_month = NULL, serial = NULL")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let mut sheets = april();
    sheets.kind = Some(HistoryKind::UsePlan);
    assert_eq!(
        care.history(&sheets).await.unwrap().total,
        0,
        "not known yet"
    );
    let filled = careplan_relay::store::history::fill_name_facts(&relay.relay.state.store)
        .await
        .unwrap();
    assert_eq!(filled, 3);
    let page = care.history(&sheets).await.unwrap();
    assert_eq!(page.total, 2, "UPPLAN and UPSIKYU");
    assert!(page
        .items
        .iter()
        .all(|e| e.target_month.as_deref() == Some("202504")));
    assert!(page
        .items
        .iter()
        .all(|e| e.serial.as_deref() == Some("20250325120000")));
}
