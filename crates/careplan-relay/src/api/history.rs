//! 送受信履歴: the office's files sent and received over a period, with who sent and who took each,
//! its 受領証 and the later versions of its unit.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use careplan_api::{
    ApiError, HistoryActor, HistoryDirection, HistoryEntry, HistoryKind, HistoryOffice,
    HistoryPage, HistoryQuery, LaterVersion,
};
use careplan_spec::filename::FileKind;

use crate::access::Session;
use crate::clock::{day_start_ms, now_ms, rfc3339};
use crate::delivery::category_from_text;
use crate::error::RelayError;
use crate::store::{Direction, HistoryFilter, HistoryRow, UnitRow};
use crate::AppState;

/// Past any office's history screen, small enough for any integer type a client has.
const MAX_PAGE: u32 = 1_000_000;
const MAX_PER_PAGE: u32 = 200;
/// A 氏名 searched for: longer than any name the standard's 補足 carries.
const MAX_NAME_CHARS: usize = 50;

fn bad_filter(message: impl Into<String>) -> RelayError {
    RelayError::bad_request("history.bad_filter", message)
}

/// The name prefixes of a kind as the history's filter names it (`''` for attachments).
fn prefixes(kind: HistoryKind) -> Vec<&'static str> {
    if kind == HistoryKind::Attachment {
        return vec![""];
    }
    FileKind::ALL
        .iter()
        .filter(|k| kind_of(**k) == kind)
        .map(|k| k.prefix())
        .collect()
}

fn kind_of(kind: FileKind) -> HistoryKind {
    match kind {
        FileKind::Plan1 | FileKind::Plan2 | FileKind::Plan3 | FileKind::Plan1Delete => {
            HistoryKind::Plan
        }
        FileKind::UsePlan | FileKind::UseSupplement | FileKind::UsePlanDelete => {
            HistoryKind::UsePlan
        }
        FileKind::UseActual | FileKind::UseActualDelete => HistoryKind::Actual,
        FileKind::Kihon
        | FileKind::KihonSub1
        | FileKind::KihonSub2
        | FileKind::KihonImage
        | FileKind::KihonDelete => HistoryKind::BasicInfo,
        FileKind::Yobo | FileKind::YoboSub | FileKind::YoboDelete => HistoryKind::PreventionPlan,
        FileKind::Hosoku => HistoryKind::Supplement,
    }
}

fn digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

/// The query checked into the store's filter, with the page's offset and size.
fn filter_of(query: &HistoryQuery) -> Result<(HistoryFilter, u32, u32), RelayError> {
    let date = |text: &str| {
        crate::admin::parse_date(text.trim()).map_err(|_| {
            bad_filter(format!(
                "期間の日付「{text}」は YYYY-MM-DD（例: 2025-04-01）で指定してください。"
            ))
        })
    };
    let from = date(&query.from)?;
    let to = date(&query.to)?;
    if to < from {
        return Err(bad_filter(
            "期間の終わりが始まりより前です。始まりと終わりの日付を確かめてください。",
        ));
    }
    let trimmed = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let partner = trimmed(&query.partner);
    if let Some(partner) = &partner {
        if !digits(partner, 10) {
            return Err(bad_filter(
                "相手先の事業所番号は10桁の数字で指定してください。",
            ));
        }
    }
    let insurer = trimmed(&query.insurer);
    if let Some(insurer) = &insurer {
        if !digits(insurer, 6) {
            return Err(bad_filter("保険者番号は6桁の数字で指定してください。"));
        }
    }
    let insured = trimmed(&query.insured);
    if let Some(insured) = &insured {
        if insured.len() != 10 || !insured.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad_filter(
                "被保険者番号は10桁（英数字）で指定してください。",
            ));
        }
    }
    let name = trimmed(&query.name).map(|n| n.replace([' ', '\u{3000}'], ""));
    if let Some(name) = &name {
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(bad_filter(format!(
                "利用者の氏名は{MAX_NAME_CHARS}文字までで指定してください。"
            )));
        }
    }
    let month = trimmed(&query.month);
    if let Some(month) = &month {
        if careplan_spec::time::YearMonth::parse(month).is_none() {
            return Err(bad_filter(
                "対象年月は YYYYMM（例: 202504）で指定してください。",
            ));
        }
    }
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(100);
    if !(1..=MAX_PAGE).contains(&page) || !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(RelayError::bad_request(
            "list.bad_page",
            "ページは1～1000000、1ページの件数は1～200件で指定してください。",
        ));
    }
    // A day after the last: refused rather than overflowing at the end of the calendar.
    let after = to
        .next_day()
        .filter(|_| (1900..=2999).contains(&from.year()) && (1900..=2999).contains(&to.year()))
        .ok_or_else(|| bad_filter("期間は1900年から2999年までの日付で指定してください。"))?;
    let filter = HistoryFilter {
        from_ms: day_start_ms(from),
        to_ms: day_start_ms(after),
        direction: query.direction.map(|d| match d {
            HistoryDirection::Sent => Direction::Sent,
            HistoryDirection::Received => Direction::Received,
        }),
        partner,
        insurer,
        insured,
        name: name.filter(|n| !n.is_empty()),
        kinds: query.kind.map(prefixes),
        month,
    };
    Ok((filter, page, per_page))
}

#[utoipa::path(
    get,
    path = "/v1/history",
    operation_id = "history",
    tag = "exchange",
    security(("session" = [])),
    params(HistoryQuery),
    responses(
        (status = 200, description = "送受信履歴（送信日時の新しい順、ファイルごと）", body = HistoryPage),
        (status = "default", description = "拒否（期間や条件の誤り …）", body = ApiError),
    )
)]
pub async fn history(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<HistoryPage>, RelayError> {
    let (filter, page, per_page) = filter_of(&query)?;
    let office = session.office();
    let history = state.store.history(office);
    let offset = i64::from(page - 1) * i64::from(per_page);
    let (rows, total) = history.page(&filter, offset, i64::from(per_page)).await?;
    let mut message_ids: Vec<String> = rows.iter().map(|r| r.message_id.clone()).collect();
    message_ids.dedup();
    let mut units: HashMap<(String, String), UnitRow> = HashMap::new();
    for (message_id, unit) in state.store.mailbox(office).units_of(&message_ids).await? {
        units.insert((message_id, unit.serial.clone()), unit);
    }
    let names = state.store.staff(office).names().await?;
    let own = office.number();
    let unit_of = |row: &HistoryRow| {
        row.serial
            .as_ref()
            .and_then(|serial| units.get(&(row.message_id.clone(), serial.clone())))
    };
    let with_people: Vec<(&HistoryRow, Vec<(String, String)>)> = rows
        .iter()
        .map(|row| {
            let people = unit_of(row)
                .map(|u| {
                    u.people
                        .iter()
                        .map(|p| (p.insurer.clone(), p.insured.clone()))
                        .collect()
                })
                .unwrap_or_default();
            (row, people)
        })
        .collect();
    let later = history.later_versions(&with_people).await?;
    let items = rows
        .iter()
        .zip(later)
        .map(|(row, later)| entry(own, &names, row.clone(), unit_of(row), later))
        .collect();
    Ok(Json(HistoryPage {
        items,
        total: total as u64,
        page,
        per_page,
        from: query.from.trim().to_owned(),
        to: query.to.trim().to_owned(),
        receipt_key_id: state.receipts.public_key().id(),
        generated_at: rfc3339(now_ms()),
    }))
}

/// Who did it. Of this office: the ID, its name and the terminal. Of the partner: the ID alone,
/// which says that one of its staff did it and lets the partner find who; its names and its
/// terminals' names (free text, often a person's) stay with it, as 受信一覧 keeps them.
fn actor(
    names: &HashMap<String, String>,
    ours: bool,
    person: Option<String>,
    terminal: Option<String>,
) -> HistoryActor {
    HistoryActor {
        person_name: person
            .as_ref()
            .filter(|_| ours)
            .and_then(|id| names.get(id).cloned())
            .filter(|n| !n.is_empty()),
        person_id: person,
        terminal: terminal.filter(|_| ours),
    }
}

fn entry(
    own: &str,
    names: &HashMap<String, String>,
    row: HistoryRow,
    unit: Option<&UnitRow>,
    later: Vec<crate::store::LaterFile>,
) -> HistoryEntry {
    let sent = row.sender_office == own;
    let partner = if sent {
        HistoryOffice {
            number: row.receiver_office,
            name: row.receiver_name,
        }
    } else {
        HistoryOffice {
            number: row.sender_office,
            name: row.sender_name,
        }
    };
    let fetched_by = row.fetched_at.and(
        (row.fetched_by.is_some() || row.fetched_terminal.is_some())
            .then(|| actor(names, !sent, row.fetched_by, row.fetched_terminal)),
    );
    HistoryEntry {
        direction: if sent {
            HistoryDirection::Sent
        } else {
            HistoryDirection::Received
        },
        partner,
        message_id: row.message_id,
        file_id: row.file_id,
        name: row.name,
        category: category_from_text(&row.category),
        kind: row.kind,
        target_month: row.target_month,
        serial: row.serial,
        unit_title: unit.map(|u| u.title.clone()),
        people: unit
            .map(|u| {
                u.people
                    .iter()
                    .map(|p| {
                        careplan_records::Person::new(&p.insurer, &p.insured, p.name.as_deref())
                            .label
                    })
                    .collect()
            })
            .unwrap_or_default(),
        size: row.size as u64,
        sha256: row.sha256,
        sent_at: rfc3339(row.sent_at),
        sent_by: actor(
            names,
            sent,
            row.sender_person,
            Some(row.sender_terminal).filter(|t| !t.is_empty()),
        ),
        fetched_at: row.fetched_at.map(rfc3339),
        fetched_by,
        expired_at: row.content_purged_at.map(rfc3339),
        receipt_signature: row
            .receipt
            .as_deref()
            .and_then(|signed| careplan_receipts::parse(signed).ok())
            .map(|signed| signed.signature),
        later_versions: later
            .into_iter()
            .map(|f| LaterVersion {
                file_id: f.file_id,
                name: f.name,
                serial: f.serial,
                sent_at: rfc3339(f.sent_at),
                fetched_at: f.fetched_at.map(rfc3339),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_standard_kind_is_in_one_filter_and_attachments_in_their_own() {
        let all: Vec<&str> = [
            HistoryKind::Plan,
            HistoryKind::UsePlan,
            HistoryKind::Actual,
            HistoryKind::BasicInfo,
            HistoryKind::PreventionPlan,
            HistoryKind::Supplement,
        ]
        .into_iter()
        .flat_map(prefixes)
        .collect();
        assert_eq!(all.len(), FileKind::ALL.len());
        assert_eq!(prefixes(HistoryKind::Attachment), vec![""]);
        assert_eq!(
            prefixes(HistoryKind::Actual),
            vec!["UPJSK", "DLTJSK"],
            "実績 and its deletion"
        );
    }

    fn query(from: &str, to: &str) -> HistoryQuery {
        HistoryQuery {
            from: from.into(),
            to: to.into(),
            ..HistoryQuery::default()
        }
    }

    fn refused(q: HistoryQuery) -> &'static str {
        match filter_of(&q) {
            Err(e) => e.code(),
            Ok((filter, ..)) => panic!("accepted: {filter:?}"),
        }
    }

    #[test]
    fn the_period_is_whole_days_in_japan_time_with_the_last_day_included() {
        let (filter, page, per_page) = filter_of(&query("2025-04-01", "2025-04-30")).unwrap();
        assert_eq!(rfc3339(filter.from_ms), "2025-04-01T00:00:00+09:00");
        assert_eq!(rfc3339(filter.to_ms), "2025-05-01T00:00:00+09:00");
        assert_eq!((page, per_page), (1, 100));
        let (one_day, ..) = filter_of(&query("2025-04-01", "2025-04-01")).unwrap();
        let (last, ..) = filter_of(&query("2999-12-31", "2999-12-31")).unwrap();
        assert_eq!(
            rfc3339(last.to_ms),
            "3000-01-01T00:00:00+09:00",
            "the last day taken"
        );
        assert_eq!(one_day.to_ms - one_day.from_ms, 86_400_000);
    }

    #[test]
    fn bad_periods_and_filters_are_refused_with_what_to_write() {
        assert_eq!(
            refused(query("2025-04-31", "2025-05-01")),
            "history.bad_filter"
        );
        assert_eq!(
            refused(query("2025/04/01", "2025-05-01")),
            "history.bad_filter"
        );
        assert_eq!(
            refused(query("2025-05-02", "2025-05-01")),
            "history.bad_filter"
        );
        let with = |f: fn(&mut HistoryQuery)| {
            let mut q = query("2025-04-01", "2025-04-30");
            f(&mut q);
            q
        };
        assert_eq!(
            refused(with(|q| q.partner = Some("131000001".into()))),
            "history.bad_filter"
        );
        assert_eq!(
            refused(with(|q| q.insurer = Some("13101".into()))),
            "history.bad_filter"
        );
        assert_eq!(
            refused(with(|q| q.insured = Some("H0000-0001".into()))),
            "history.bad_filter"
        );
        assert_eq!(
            refused(with(|q| q.month = Some("202513".into()))),
            "history.bad_filter"
        );
        assert_eq!(refused(with(|q| q.per_page = Some(201))), "list.bad_page");
        assert_eq!(refused(with(|q| q.page = Some(0))), "list.bad_page");
        assert_eq!(
            refused(with(|q| q.name = Some("あ".repeat(MAX_NAME_CHARS + 1)))),
            "history.bad_filter"
        );
    }

    #[test]
    fn filters_at_their_limits_are_taken() {
        let mut q = query("2025-04-01", "2025-04-30");
        q.partner = Some(" 1310000001 ".into());
        q.insurer = Some("131016".into());
        q.insured = Some("H000000001".into());
        q.name = Some(format!(
            "{}　{}",
            "山".repeat(25),
            "花".repeat(MAX_NAME_CHARS - 25)
        ));
        q.month = Some("202504".into());
        q.per_page = Some(MAX_PER_PAGE);
        q.page = Some(MAX_PAGE);
        let (filter, page, per_page) = filter_of(&q).unwrap();
        assert_eq!(filter.partner.as_deref(), Some("1310000001"));
        assert_eq!(
            filter.name.unwrap().chars().count(),
            MAX_NAME_CHARS,
            "spaces do not count"
        );
        assert_eq!((page, per_page), (MAX_PAGE, MAX_PER_PAGE));
    }
}
