//! 利用事業所検索 for the desktop client: 新規作成 and 一括送信 find a destination by name, with the
//! same search as the portal's public page.

use axum::extract::{Query, State};
use axum::Json;
use careplan_api::{ApiError, DirectoryEntry, DirectoryPage, DirectorySearch};

use crate::access::Session;
use crate::error::RelayError;
use crate::store::DirectoryQuery;
use crate::AppState;

/// Offices a page of the search shows.
pub const PER_PAGE: u32 = 20;

/// The last page a search may ask for (the documented maximum).
pub const MAX_PAGE: u32 = 10_000;

/// The longest text a search field takes (characters).
pub const MAX_FIELD_CHARS: usize = 100;

/// The store's query for a search, or a refusal for a field that is too long.
pub fn query_of(search: &DirectorySearch) -> Result<DirectoryQuery, RelayError> {
    let fields = [
        &search.prefecture,
        &search.city,
        &search.name,
        &search.service_kind,
        &search.number,
    ];
    if fields.iter().any(|f| f.chars().count() > MAX_FIELD_CHARS) {
        return Err(RelayError::bad_request(
            "directory.field_too_long",
            format!("検索の条件は各{MAX_FIELD_CHARS}文字までにしてください。"),
        ));
    }
    Ok(DirectoryQuery {
        prefecture: search.prefecture.trim().to_owned(),
        city: search.city.trim().to_owned(),
        name: search.name.trim().to_owned(),
        service_kind: search.service_kind.trim().to_owned(),
        number: search.number.trim().to_owned(),
    })
}

/// One page of the search, as the API and the portal show it.
pub async fn search_page(
    state: &AppState,
    search: &DirectorySearch,
) -> Result<DirectoryPage, RelayError> {
    let query = query_of(search)?;
    let page = search.page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(RelayError::bad_request(
            "directory.bad_page",
            format!("ページは1～{MAX_PAGE}で指定してください。"),
        ));
    }
    let today = crate::licensing::today().to_string();
    let (rows, total) = state
        .store
        .directory()
        .search(
            &query,
            &today,
            i64::from(page - 1) * i64::from(PER_PAGE),
            i64::from(PER_PAGE),
        )
        .await?;
    Ok(DirectoryPage {
        items: rows
            .into_iter()
            .map(|entry| DirectoryEntry {
                office: careplan_api::Office {
                    number: entry.office.number,
                    name: entry.office.name,
                    service_kinds: entry.office.service_kinds,
                    prefecture: entry.office.prefecture,
                    city: entry.office.city,
                    uses_system: entry.licence_active,
                },
                name_kana: entry.name_kana,
            })
            .collect(),
        total: total as u64,
        page,
        per_page: PER_PAGE,
    })
}

#[utoipa::path(
    get,
    path = "/v1/directory",
    operation_id = "directory",
    tag = "home",
    security(("session" = [])),
    params(DirectorySearch),
    responses(
        (status = 200, description = "利用事業所検索（1ページ20件）", body = DirectoryPage),
        (status = "default", description = "拒否（長すぎる条件 …）", body = ApiError),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    _session: Session,
    Query(search): Query<DirectorySearch>,
) -> Result<Json<DirectoryPage>, RelayError> {
    Ok(Json(search_page(&state, &search).await?))
}
