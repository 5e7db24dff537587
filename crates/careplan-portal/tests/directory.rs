//! 利用事業所検索: public, by prefecture, municipality, name in any width or script, service kind
//! and number, paged; an office that chose not to be listed is not found; the desktop client's
//! search (GET /v1/directory) answers the same.

mod common;

use careplan_api::DirectoryPage;
use common::*;

async fn found(portal: &mut PortalClient, query: &str) -> (StatusCode, String) {
    portal.get(&format!("/directory?search=1&{query}")).await
}

fn numbers(page: &str) -> Vec<String> {
    let mut numbers: Vec<String> = [
        "1370000018",
        "1370000026",
        "1370000034",
        "1370000042",
        "1370000059",
    ]
    .iter()
    .filter(|n| page.contains(&format!("<td>{n}</td>")))
    .map(|n| (*n).to_owned())
    .collect();
    numbers.sort();
    numbers
}

#[tokio::test]
async fn offices_are_found_by_name_in_any_width_or_script_place_kind_and_number() {
    let relay = relay().await;
    let mut portal = PortalClient::new(&relay);
    for (query, expected) in [
        ("name=ひだまり", vec!["1370000018"]),
        (
            "name=%EF%BE%8B%EF%BE%8F%EF%BE%9C%EF%BE%98",
            vec!["1370000026"],
        ), // ﾋﾏﾜﾘ, half-width
        ("name=ヒマワリ", vec!["1370000026"]),
        ("name=サクラ", vec!["1370000042"]),
        ("name=福祉用具", vec!["1370000042"]),
        ("name=ツバサ", vec!["1370000059"]),
        ("name=デイ", vec!["1370000034"]),
        ("kind=13", vec!["1370000059"]),
        ("number=137000003", vec!["1370000034"]),
        (
            "prefecture=東京都&city=新宿",
            vec![
                "1370000018",
                "1370000026",
                "1370000034",
                "1370000042",
                "1370000059",
            ],
        ),
        ("prefecture=大阪府", vec![]),
        ("name=存在しない事業所", vec![]),
        ("name=50%25", vec![]),
    ] {
        let (status, page) = found(&mut portal, query).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(numbers(&page), expected, "{query}");
    }
    // The licence's state: the newcomer has none yet.
    let (_, page) = found(&mut portal, "kind=13").await;
    assert!(text_of(&page).contains("ライセンスなし・期限切れ"));
    let (_, page) = found(&mut portal, "kind=43").await;
    assert!(text_of(&page).contains("利用中") && text_of(&page).contains("43 居宅介護支援"));
}

#[tokio::test]
async fn results_are_paged_and_bad_input_is_refused() {
    let relay = relay().await;
    let csv: String = (0..25)
        .map(|i| {
            let nine = format!("27000{i:04}");
            let number = format!(
                "{nine}{}",
                careplan_spec::numbers::compute_check_digit(nine.as_bytes())
            );
            format!(
                "{number},大阪事業所{i:02},11,大阪府,大阪市北区,KJ{number}01,kari-pass-{i:04}\n"
            )
        })
        .collect();
    assert_eq!(
        relay.relay.import_offices(csv.as_bytes()).await.unwrap(),
        25
    );
    let mut portal = PortalClient::new(&relay);
    let (_, page) = found(&mut portal, "prefecture=大阪府").await;
    assert!(text_of(&page).contains("25件の事業所が見つかりました（1 / 2ページ）"));
    assert_eq!(page.matches("大阪事業所").count(), 20);
    assert!(page.contains("次のページ") && !page.contains("前のページ"));
    let (_, page) = found(&mut portal, "prefecture=大阪府&page=2").await;
    assert_eq!(page.matches("大阪事業所").count(), 5);
    assert!(page.contains("前のページ") && !page.contains("次のページ"));
    for (query, said) in [
        (format!("name={}", "あ".repeat(101)), "100文字まで"),
        ("prefecture=大坂府".to_owned(), "一覧から選んで"),
        ("page=0".to_owned(), "ページの指定"),
        ("page=abc".to_owned(), "ページの指定"),
        ("page=10001".to_owned(), "ページの指定"),
    ] {
        let (status, page) = found(&mut portal, &query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(text_of(&page).contains(said), "{query}: {}", text_of(&page));
    }
    let (status, _) = found(&mut portal, &format!("name={}", "あ".repeat(100))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = found(&mut portal, "page=10000").await;
    assert_eq!(status, StatusCode::OK);
    // The client's search keeps the same last page, as its document says.
    let (http, token) = relay.https_login(CARE_MANAGER).await;
    for (page, expected) in [(10_000, StatusCode::OK), (10_001, StatusCode::BAD_REQUEST)] {
        let answer = http
            .get(relay.api_url(&format!("/v1/directory?page={page}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), expected, "page {page}");
        if expected == StatusCode::BAD_REQUEST {
            let error: careplan_api::ApiError = answer.json().await.unwrap();
            assert_eq!(error.code, "directory.bad_page");
        }
    }
}

#[tokio::test]
async fn an_office_that_chose_not_to_be_listed_is_not_found_and_the_client_searches_the_same() {
    let relay = relay().await;
    let mut admin = PortalClient::new(&relay);
    admin
        .login(&relay.office(HOME_HELP).office_user_id, PASSWORD)
        .await;
    admin.get("/listing").await;
    let (status, page) = admin
        .post("/listing", &[("listed", "no"), ("name_kana", "ヒマワリ")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&page).contains("掲載しません"));
    let mut visitor = PortalClient::new(&relay);
    assert!(numbers(&found(&mut visitor, "name=ひまわり").await.1).is_empty());
    // The client's search (with a session) answers the same.
    let (http, token) = relay.https_login(CARE_MANAGER).await;
    let page: DirectoryPage = http
        .get(relay.api_url("/v1/directory?name=%E3%81%82%E3%81%8A%E3%81%9E%E3%82%89"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].office.number, "1370000034");
    assert_eq!(page.items[0].name_kana, "アオゾラデイサービス");
    let hidden: DirectoryPage = http
        .get(relay.api_url("/v1/directory?name=%E3%81%B2%E3%81%BE%E3%82%8F%E3%82%8A"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(hidden.total, 0);
    // Listed again.
    admin
        .post("/listing", &[("listed", "yes"), ("name_kana", "ヒマワリ")])
        .await;
    assert_eq!(
        numbers(&found(&mut visitor, "name=ﾋﾏﾜﾘ").await.1),
        vec!["1370000026"]
    );
    // Without a session the API refuses.
    let response = relay
        .https(CARE_MANAGER)
        .get(relay.api_url("/v1/directory?name=a"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
