//! 利用事業所検索 (public, no login; seeds 000 and 001 show WAM NET's): by prefecture and
//! municipality, name (part; kana or kanji as typed), service kind and 事業所番号, paged, with each
//! office's name, number, service kinds, municipality and whether its licence runs. The same search
//! answers the desktop client (`GET /v1/directory` on the relay). And 事業所情報の掲載: the office
//! decides whether it is listed (default: listed) and gives its name in kana.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use careplan_api::{DirectoryPage, DirectorySearch};
use careplan_relay::access::PortalSession;
use careplan_relay::clock::now_ms;
use careplan_relay::store::AuditEntry;
use maud::{html, Markup};
use serde::Deserialize;

use crate::layout::{alert, csrf, done, page, table_region};
use crate::web::{field, Admin, CheckedForm, PortalError, Visitor};
use crate::PortalState;

/// The 47 都道府県, in their official order.
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

fn kind_label(code: &str) -> String {
    match careplan_spec::numbers::service_kind(code) {
        Some((_, name)) => format!("{code} {name}"),
        None => code.to_owned(),
    }
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    prefecture: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    page: Option<String>,
    /// Present when the form was sent (a bare `/directory` shows only the form).
    #[serde(default)]
    search: Option<String>,
}

fn query_string(query: &SearchQuery, page: u32) -> String {
    serde_urlencoded::to_string([
        ("prefecture", query.prefecture.as_str()),
        ("city", query.city.as_str()),
        ("name", query.name.as_str()),
        ("kind", query.kind.as_str()),
        ("number", query.number.as_str()),
        ("search", "1"),
        ("page", &page.to_string()),
    ])
    .unwrap_or_default()
}

fn search_form(query: &SearchQuery) -> Markup {
    html! {
        form method="get" action="/directory" class="search-form" role="search" aria-label="利用事業所検索" {
            input type="hidden" name="search" value="1";
            div {
                label for="prefecture" { "都道府県" }
                select id="prefecture" name="prefecture" {
                    option value="" selected[query.prefecture.is_empty()] { "指定しない" }
                    @for p in PREFECTURES { option value=(p) selected[query.prefecture == p] { (p) } }
                }
            }
            div {
                label for="city" { "市区町村" span class="hint" { "一部でも可（例: 新宿）" } }
                input type="text" id="city" name="city" value=(query.city) maxlength="100";
            }
            div {
                label for="name" { "事業所名" span class="hint" { "一部でも可。かな・カナ・漢字" } }
                input type="text" id="name" name="name" value=(query.name) maxlength="100";
            }
            div {
                label for="kind" { "サービス種類" }
                select id="kind" name="kind" {
                    option value="" selected[query.kind.is_empty()] { "指定しない" }
                    @for (code, name) in careplan_spec::numbers::service_kinds() {
                        option value=(code) selected[query.kind == code] { (code) " " (name) }
                    }
                }
            }
            div {
                label for="number" { "事業所番号" span class="hint" { "10桁、または先頭の数桁" } }
                input type="text" id="number" name="number" value=(query.number) maxlength="10" inputmode="numeric";
            }
            div class="actions" { button type="submit" { "検索する" } }
        }
    }
}

fn results(query: &SearchQuery, found: &DirectoryPage) -> Markup {
    let pages = found.total.div_ceil(u64::from(found.per_page)).max(1) as u32;
    html! {
        h2 id="results" { "検索結果" }
        p role="status" { (found.total) "件の事業所が見つかりました" @if found.total > 0 { "（" (found.page) " / " (pages) "ページ）" } "。" }
        @if !found.items.is_empty() {
            (table_region("検索結果の一覧", html! {
                table {
                    caption { "利用事業所（都道府県・市区町村・事業所番号の順）" }
                    thead { tr {
                        th scope="col" { "事業所名" }
                        th scope="col" { "事業所番号" }
                        th scope="col" { "サービス種類" }
                        th scope="col" { "所在地" }
                        th scope="col" { "利用状況" }
                    } }
                    tbody {
                        @for entry in &found.items {
                            tr {
                                th scope="row" {
                                    (entry.office.name)
                                    @if !entry.name_kana.is_empty() { br; span class="hint" { (entry.name_kana) } }
                                }
                                td { (entry.office.number) }
                                td { (entry.office.service_kinds.iter().map(|k| kind_label(k)).collect::<Vec<_>>().join("、")) }
                                td { (entry.office.prefecture) " " (entry.office.city) }
                                td {
                                    @if entry.office.uses_system { span class="status-on" { "利用中" } }
                                    @else { span class="status-off" { "ライセンスなし・期限切れ" } }
                                }
                            }
                        }
                    }
                }
            }))
            nav aria-label="検索結果のページ" {
                ul class="actions" {
                    @if found.page > 1 { li { a href=(format!("/directory?{}#results", query_string(query, found.page - 1))) { "前のページ" } } }
                    @if found.page < pages { li { a href=(format!("/directory?{}#results", query_string(query, found.page + 1))) { "次のページ" } } }
                }
            }
        }
    }
}

pub async fn search_page(
    State(state): State<PortalState>,
    visitor: Visitor,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PortalError> {
    let Ok(Query(query)) = query else {
        return Ok((
            StatusCode::BAD_REQUEST,
            directory_page(
                &visitor,
                &SearchQuery::default(),
                html! { (alert("検索の条件の形が正しくありません。条件を入力し直してください。")) },
            ),
        )
            .into_response());
    };
    if query.search.is_none() {
        return Ok(directory_page(&visitor, &query, html! {}).into_response());
    }
    let page_number = match query.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(text) => match text.parse::<u32>() {
            Ok(n) if (1..=10_000).contains(&n) => n,
            _ => {
                return Ok((
                    StatusCode::BAD_REQUEST,
                    directory_page(
                        &visitor,
                        &query,
                        html! { (alert("ページの指定が正しくありません。")) },
                    ),
                )
                    .into_response())
            }
        },
    };
    if !query.prefecture.is_empty() && !PREFECTURES.contains(&query.prefecture.as_str()) {
        return Ok((
            StatusCode::BAD_REQUEST,
            directory_page(
                &visitor,
                &query,
                html! { (alert("都道府県は一覧から選んでください。")) },
            ),
        )
            .into_response());
    }
    let search = DirectorySearch {
        prefecture: query.prefecture.clone(),
        city: query.city.clone(),
        name: query.name.clone(),
        service_kind: query.kind.clone(),
        number: query.number.clone(),
        page: Some(page_number),
    };
    match careplan_relay::api::directory::search_page(&state.relay, &search).await {
        Ok(found) => Ok(directory_page(&visitor, &query, results(&query, &found)).into_response()),
        Err(careplan_relay::error::RelayError::Api {
            status, message, ..
        }) => Ok((
            status,
            directory_page(&visitor, &query, html! { (alert(&message)) }),
        )
            .into_response()),
        Err(other) => Err(other.into()),
    }
}

fn directory_page(visitor: &Visitor, query: &SearchQuery, below: Markup) -> Markup {
    page(
        "利用事業所検索",
        "/directory",
        visitor.session.as_ref(),
        html! {
            p { "ケアプランデータ連携システムに登録している事業所を探せます。条件は組み合わせられます（空欄は指定なし）。" }
            (search_form(query))
            (below)
        },
    )
}

async fn listing_view(
    state: &PortalState,
    session: &PortalSession,
    result: Option<Markup>,
) -> Result<Markup, PortalError> {
    let listing = state.relay.store.listing(session.office()).get().await?;
    Ok(page(
        "事業所情報の掲載",
        "/listing",
        Some(session),
        html! {
            @if let Some(result) = result { (result) }
            p { "利用事業所検索に、この事業所を載せるかどうかを選べます（初めは「掲載する」です）。事業所名のフリガナを入れると、カナでも見つかるようになります。" }
            form class="stack" method="post" action="/listing" {
                (csrf(session.csrf_token()))
                fieldset {
                    legend { "利用事業所検索への掲載" }
                    label { input type="radio" name="listed" value="yes" checked[listing.listed]; "掲載する" }
                    label { input type="radio" name="listed" value="no" checked[!listing.listed]; "掲載しない" }
                }
                div {
                    label for="name_kana" { "事業所名（フリガナ）" span class="hint" { "100文字以内" } }
                    input type="text" id="name_kana" name="name_kana" value=(listing.name_kana) maxlength="100";
                }
                div class="actions" { button type="submit" { "保存する" } }
            }
        },
    ))
}

pub async fn listing_page(
    State(state): State<PortalState>,
    Admin(session): Admin,
) -> Result<Markup, PortalError> {
    listing_view(&state, &session, None).await
}

#[derive(Deserialize)]
pub struct ListingForm {
    #[serde(default)]
    listed: String,
    #[serde(default)]
    name_kana: String,
}

pub async fn set_listing(
    State(state): State<PortalState>,
    Admin(session): Admin,
    CheckedForm(form): CheckedForm<ListingForm>,
) -> Result<Response, PortalError> {
    let listed = match form.listed.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Ok((
                StatusCode::BAD_REQUEST,
                listing_view(
                    &state,
                    &session,
                    Some(alert("掲載するかどうかを選んでください。")),
                )
                .await?,
            )
                .into_response())
        }
    };
    let kana = match field(&form.name_kana, "事業所名（フリガナ）", 100) {
        Ok(kana) => kana,
        Err(message) => {
            return Ok((
                StatusCode::BAD_REQUEST,
                listing_view(&state, &session, Some(alert(&message))).await?,
            )
                .into_response())
        }
    };
    state
        .relay
        .store
        .listing(session.office())
        .set(listed, &kana)
        .await?;
    state
        .relay
        .store
        .audit()
        .write(&AuditEntry {
            at: now_ms(),
            office: Some(session.office().number()),
            actor: session.login().id(),
            action: "portal.listing",
            detail: if listed { "listed" } else { "unlisted" },
        })
        .await?;
    Ok(listing_view(
        &state,
        &session,
        Some(done(if listed {
            "利用事業所検索に掲載します。"
        } else {
            "利用事業所検索に掲載しません。"
        })),
    )
    .await?
    .into_response())
}
