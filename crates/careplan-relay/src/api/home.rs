//! トップページ and office lookup.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use careplan_api::{ApiError, CertificateInfo, Home, Licence, Notice, Office};

use crate::access::Session;
use crate::clock::{now_ms, rfc3339};
use crate::error::RelayError;
use crate::store::OfficeRow;
use crate::AppState;

/// An office as the API shows it; it "uses the system" while its licence runs.
pub async fn office_dto(state: &AppState, row: OfficeRow) -> Result<Office, RelayError> {
    let today = crate::clock::to_datetime(now_ms()).date().to_string();
    let uses_system = state
        .store
        .licences()
        .of_office(&row.number)
        .await?
        .is_some_and(|l| l.expires_on >= today);
    Ok(Office {
        number: row.number,
        name: row.name,
        service_kinds: row.service_kinds,
        prefecture: row.prefecture,
        city: row.city,
        uses_system,
    })
}

#[utoipa::path(
    get,
    path = "/v1/home",
    operation_id = "home",
    tag = "home",
    security(("session" = [])),
    responses(
        (status = 200, description = "トップページ", body = Home),
        (status = "default", description = "拒否", body = ApiError),
    )
)]
pub async fn home(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Home>, RelayError> {
    let office = state
        .store
        .offices()
        .get(session.office_number())
        .await?
        .ok_or_else(|| RelayError::Internal("unknown office".into()))?;
    let licence = state
        .store
        .licences()
        .of_office(session.office_number())
        .await?
        .map(|l| Licence {
            starts_on: l.starts_on,
            expires_on: l.expires_on,
            fee_yen: l.fee_yen as u32,
            free_pass: l.free_pass,
            payment: l.payment,
        });
    let notices = state
        .store
        .licences()
        .notices(20)
        .await?
        .into_iter()
        .map(|n| Notice {
            id: n.id,
            published_at: rfc3339(n.published_at),
            title: n.title,
            body: n.body,
        })
        .collect();
    Ok(Json(Home {
        office: office_dto(&state, office).await?,
        licence,
        certificate: CertificateInfo {
            subject: session.certificate.subject.clone(),
            serial: session.certificate.serial.clone(),
            not_before: rfc3339(session.certificate.not_before),
            not_after: rfc3339(session.certificate.not_after),
        },
        notices,
        unfetched: state
            .store
            .mailbox(session.office())
            .unfetched_count()
            .await? as u64,
        expiring_sent: state
            .store
            .mailbox(session.office())
            .sent_unfetched_before(state.limits.retention.warning_cutoff(now_ms()))
            .await? as u64,
    }))
}

#[utoipa::path(
    get,
    path = "/v1/offices/{number}",
    operation_id = "office_lookup",
    tag = "home",
    security(("session" = [])),
    params(("number" = String, Path, description = "事業所番号（10桁）")),
    responses(
        (status = 200, description = "事業所", body = Office),
        (status = "default", description = "拒否（登録されていない番号 …）", body = ApiError),
    )
)]
pub async fn office(
    State(state): State<AppState>,
    _session: Session,
    Path(number): Path<String>,
) -> Result<Json<Office>, RelayError> {
    match state.store.offices().get(&number).await? {
        Some(row) => Ok(Json(office_dto(&state, row).await?)),
        None => Err(RelayError::api(
            StatusCode::NOT_FOUND,
            "office.not_found",
            format!("事業所番号 {number} の事業所は、ケアプランデータ連携システムに登録されていません。番号を確認してください。"),
        )),
    }
}
