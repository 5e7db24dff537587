//! 電子証明書 (seed 004 step 4, seed 000 「証明書発行用パスワードの確認」): the office applies for a
//! client certificate for a PC with its 証明書発行用パスワード. The portal issues it bound to the
//! office and offers it once as a .p12 protected by a password the person chooses (never stored);
//! or, from the desktop app's 設定, issues one for a key made on the PC (a CSR: the private key never
//! leaves it). The office's certificates are listed (PC name, validity) and can be revoked: a revoked
//! certificate is refused at its next request to the relay.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use careplan_api::{ApiError, CertificateApplication, CertificateIssued};
use careplan_relay::access::portal::{issuance_check, issuance_grant};
use careplan_relay::access::{OfficeScope, PortalSession};
use careplan_relay::clock::{now_ms, rfc3339};
use careplan_relay::error::RelayError;
use careplan_relay::pki::CertSubject;
use careplan_relay::store::{AuditEntry, CertificateRow, PendingDownload};
use maud::{html, Markup};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use crate::layout::{alerts, csrf, datetime, done, page, table_region};
use crate::web::{field, new_password, required, Admin, CheckedForm, PortalError, MAX_FORM_BYTES};
use crate::PortalState;

/// The longest PC name.
pub const MAX_PC_NAME_CHARS: usize = 50;

/// The subject of certificates issued here (請求委任事業所用ケアプラン証明書).
const SUBJECT: CertSubject = CertSubject::CarePlanJigyousho;

fn ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

fn validity(state: &PortalState) -> (OffsetDateTime, OffsetDateTime) {
    let now = OffsetDateTime::now_utc();
    (
        now - Duration::minutes(5),
        now + Duration::days(state.config.certificate_days),
    )
}

async fn audit(
    state: &PortalState,
    office: &str,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), RelayError> {
    state
        .relay
        .store
        .audit()
        .write(&AuditEntry {
            at: now_ms(),
            office: Some(office),
            actor,
            action,
            detail,
        })
        .await
}

async fn certificates_page(
    state: &PortalState,
    session: &PortalSession,
    result: Option<Markup>,
    errors: &[String],
) -> Result<Markup, PortalError> {
    let rows = state
        .relay
        .store
        .office_certificates(session.office())
        .list()
        .await?;
    let now = now_ms();
    Ok(page(
        "電子証明書",
        "/certificates",
        Some(session),
        html! {
            @if let Some(result) = result { (result) }
            (alerts(errors))
            p { "クライアントアプリを使うPCごとに、この事業所の電子証明書が必要です。クライアントアプリの「設定」から申請することもできます（秘密鍵がPCの外に出ないため、おすすめです）。" }
            (table_region("この事業所の電子証明書", html! {
                table {
                    caption { "この事業所の電子証明書（" (rows.len()) "件）" }
                    thead { tr {
                        th scope="col" { "PC名" }
                        th scope="col" { "シリアル番号" }
                        th scope="col" { "有効期間" }
                        th scope="col" { "状態" }
                        th scope="col" { "操作" }
                    } }
                    tbody {
                        @if rows.is_empty() { tr { td colspan="5" { "まだありません。" } } }
                        @for row in &rows {
                            @let c = &row.certificate;
                            tr {
                                td { (row.pc_name.clone().unwrap_or_else(|| "（運営者が発行）".into())) }
                                td { span title=(c.serial) { (&c.serial[..16.min(c.serial.len())]) "…" } }
                                td { (datetime(c.not_before)) " ～ " (datetime(c.not_after)) }
                                td {
                                    @if let Some(at) = c.revoked_at { span class="status-off" { "失効（" (datetime(at)) "）" } }
                                    @else if c.not_after < now { span class="status-off" { "期限切れ" } }
                                    @else { span class="status-on" { "有効" } }
                                }
                                td {
                                    @if c.revoked_at.is_none() {
                                        form method="post" action="/certificates/revoke" class="inline" {
                                            (csrf(session.csrf_token()))
                                            input type="hidden" name="serial" value=(c.serial);
                                            button type="submit" class="danger" aria-label=(format!("{} の証明書を失効させる", row.pc_name.clone().unwrap_or_default())) { "失効させる" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
            h2 { "電子証明書を申請する（.p12 ファイルで受け取る）" }
            form class="stack" method="post" action="/certificates" {
                (csrf(session.csrf_token()))
                div {
                    label for="pc_name" { "PC名" span class="hint" { "どのPCの証明書か分かる名前。50文字以内（例: 受付PC）" } }
                    input type="text" id="pc_name" name="pc_name" required maxlength="50";
                }
                div {
                    label for="issuance_password" { "証明書発行用パスワード" span class="hint" { "「電子請求登録結果に関するお知らせ」に書かれたパスワード" } }
                    input type="password" id="issuance_password" name="issuance_password" required maxlength="128" autocomplete="off";
                }
                div {
                    label for="p12_password" { "証明書ファイル（.p12）のパスワード" span class="hint" { "PCに取り込むときに入力します。8文字以上64文字以内。このサイトには保存されません" } }
                    input type="password" id="p12_password" name="p12_password" required maxlength="64" autocomplete="new-password";
                }
                div {
                    label for="p12_again" { "証明書ファイルのパスワード（確認）" }
                    input type="password" id="p12_again" name="p12_again" required maxlength="64" autocomplete="new-password";
                }
                div class="actions" { button type="submit" { "申請する" } }
            }
            p { a href="/certificates/ca.pem" { "連携基盤の認証局の証明書（ca.pem）をダウンロード" } "（クライアントアプリの設定で使います）" }
        },
    ))
}

async fn refused(
    state: &PortalState,
    session: &PortalSession,
    status: StatusCode,
    message: String,
) -> Result<Response, PortalError> {
    Ok((
        status,
        certificates_page(state, session, None, &[message]).await?,
    )
        .into_response())
}

pub async fn page_handler(
    State(state): State<PortalState>,
    Admin(session): Admin,
) -> Result<Markup, PortalError> {
    certificates_page(&state, &session, None, &[]).await
}

/// The relay's CA certificate (public).
pub async fn ca_pem(State(state): State<PortalState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/x-pem-file"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"careplan-ca.pem\"",
            ),
        ],
        state.ca_pem.as_str().to_owned(),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    pc_name: String,
    #[serde(default)]
    issuance_password: String,
    #[serde(default)]
    p12_password: String,
    #[serde(default)]
    p12_again: String,
}

/// Registers a certificate just issued to the office for a PC.
async fn register(
    state: &PortalState,
    office: &OfficeScope,
    fingerprint: &str,
    serial: &str,
    subject: &str,
    (not_before, not_after): (OffsetDateTime, OffsetDateTime),
    pc_name: &str,
) -> Result<(), RelayError> {
    state
        .relay
        .store
        .office_certificates(office)
        .insert(
            &CertificateRow {
                fingerprint: fingerprint.to_owned(),
                office_number: office.number().to_owned(),
                serial: serial.to_owned(),
                subject: subject.to_owned(),
                not_before: ms(not_before),
                not_after: ms(not_after),
                revoked_at: None,
            },
            pc_name,
            now_ms(),
        )
        .await
}

pub async fn apply(
    State(state): State<PortalState>,
    Admin(session): Admin,
    CheckedForm(form): CheckedForm<ApplyForm>,
) -> Result<Response, PortalError> {
    let pc_name = match required(&form.pc_name, "PC名", MAX_PC_NAME_CHARS) {
        Ok(name) => name,
        Err(message) => return refused(&state, &session, StatusCode::BAD_REQUEST, message).await,
    };
    let p12_password = match new_password(&form.p12_password, &form.p12_again) {
        Ok(password) => password,
        Err(message) => {
            return refused(
                &state,
                &session,
                StatusCode::BAD_REQUEST,
                message.replace("新しいパスワード", "証明書ファイルのパスワード"),
            )
            .await
        }
    };
    if form.issuance_password.is_empty() || form.issuance_password.chars().count() > 128 {
        return refused(
            &state,
            &session,
            StatusCode::BAD_REQUEST,
            "証明書発行用パスワードを入力してください。".into(),
        )
        .await;
    }
    if let Err(e) = issuance_check(
        &state.relay,
        &session,
        &form.issuance_password,
        state.config.issuance,
    )
    .await
    {
        return match PortalError::from(e) {
            PortalError::Refused { status, message } => {
                refused(&state, &session, status, message).await
            }
            other => Err(other),
        };
    }
    let (not_before, not_after) = validity(&state);
    let issued =
        state
            .pki
            .issue_client(session.office().number(), SUBJECT, not_before, not_after)?;
    let pkcs12 = issued.to_pkcs12(&p12_password)?;
    register(
        &state,
        session.office(),
        &issued.fingerprint,
        &issued.serial,
        &issued.subject,
        (not_before, not_after),
        &pc_name,
    )
    .await?;
    let download_id = careplan_relay::auth::new_token().0;
    let file_name = format!(
        "careplan-{}-{}.p12",
        session.office().number(),
        &issued.serial[..8]
    );
    state
        .relay
        .store
        .office_certificates(session.office())
        .hold_download(
            &download_id,
            &PendingDownload {
                serial: issued.serial.clone(),
                file_name: file_name.clone(),
                pkcs12,
            },
            now_ms() + state.config.download_lifetime.as_millis() as i64,
        )
        .await?;
    audit(
        &state,
        session.office().number(),
        session.login().id(),
        "certificate.issue",
        &issued.serial,
    )
    .await?;
    let minutes = state.config.download_lifetime.as_secs() / 60;
    let result = html! {
        (done(&format!("「{pc_name}」の電子証明書を発行しました（{} まで有効）。", datetime(ms(not_after)))))
        div class="message info" {
            p { "証明書ファイルは" strong { "一度だけ" } "ダウンロードできます（" (minutes) "分以内）。ダウンロードしたら、そのPCに取り込み、クライアントアプリの設定で指定してください。" }
            form method="post" action="/certificates/download" class="stack" {
                (csrf(session.csrf_token()))
                input type="hidden" name="id" value=(download_id);
                div class="actions" { button type="submit" { "証明書ファイル（" (file_name) "）をダウンロード" } }
            }
        }
    };
    Ok((
        StatusCode::CREATED,
        certificates_page(&state, &session, Some(result), &[]).await?,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct DownloadForm {
    #[serde(default)]
    id: String,
}

pub async fn download(
    State(state): State<PortalState>,
    Admin(session): Admin,
    CheckedForm(form): CheckedForm<DownloadForm>,
) -> Result<Response, PortalError> {
    let taken = state
        .relay
        .store
        .office_certificates(session.office())
        .take_download(form.id.trim(), now_ms())
        .await?;
    let Some(download) = taken else {
        let message = "この証明書ファイルは既にダウンロードされたか、期限が切れました。証明書ファイルは一度だけダウンロードできます。必要なら、その証明書を失効させてから申請し直してください。".to_owned();
        return Ok((
            StatusCode::GONE,
            certificates_page(&state, &session, None, &[message]).await?,
        )
            .into_response());
    };
    audit(
        &state,
        session.office().number(),
        session.login().id(),
        "certificate.download",
        &download.serial,
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-pkcs12".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", download.file_name),
            ),
        ],
        download.pkcs12,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    serial: String,
}

pub async fn revoke(
    State(state): State<PortalState>,
    Admin(session): Admin,
    CheckedForm(form): CheckedForm<RevokeForm>,
) -> Result<Response, PortalError> {
    let serial = field(&form.serial, "シリアル番号", 64).unwrap_or_default();
    let revoked = state
        .relay
        .store
        .office_certificates(session.office())
        .revoke(&serial, now_ms())
        .await?;
    if !revoked {
        let message =
            "指定された証明書は、この事業所の有効な証明書にありません。一覧を開き直してください。"
                .to_owned();
        return Ok((
            StatusCode::NOT_FOUND,
            certificates_page(&state, &session, None, &[message]).await?,
        )
            .into_response());
    }
    audit(
        &state,
        session.office().number(),
        session.login().id(),
        "certificate.revoke",
        &serial,
    )
    .await?;
    Ok(certificates_page(
        &state,
        &session,
        Some(done(
            "証明書を失効させました。この証明書での接続は、次の操作から拒否されます。",
        )),
        &[],
    )
    .await?
    .into_response())
}

fn api_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(ApiError {
            code: code.to_owned(),
            message: message.to_owned(),
            diagnostics: Vec::new(),
            request_id: None,
        }),
    )
        .into_response()
}

/// `POST /api/v1/certificates`: the desktop app's application with a CSR (JSON).
pub async fn request_api(State(state): State<PortalState>, body: axum::body::Bytes) -> Response {
    match issue_for_request(&state, &body).await {
        Ok(issued) => (StatusCode::CREATED, Json(issued)).into_response(),
        Err(RelayError::Api {
            status,
            code,
            message,
            ..
        }) => api_error(status, code, &message),
        Err(RelayError::RateLimited { seconds }) => {
            let mut response = api_error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate.limited",
                &format!("短い時間に多くの操作が行われたため、一時的に受け付けを止めています。{seconds}秒ほど待ってからもう一度お試しください。"),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
            response
        }
        Err(other) => {
            tracing::error!(error = %other, "certificate request failed");
            api_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server.internal",
                "問題が発生しました。しばらく待ってからもう一度お試しください。続く場合はヘルプデスクにご連絡ください。",
            )
        }
    }
}

async fn issue_for_request(
    state: &PortalState,
    body: &[u8],
) -> Result<CertificateIssued, RelayError> {
    if body.len() > MAX_FORM_BYTES {
        return Err(RelayError::api(
            StatusCode::PAYLOAD_TOO_LARGE,
            "certificate.too_large",
            "申請データが大きすぎます。",
        ));
    }
    let application: CertificateApplication = serde_json::from_slice(body).map_err(|_| {
        RelayError::bad_request(
            "certificate.malformed",
            "申請データの形が正しくありません。アプリを最新にしてもう一度申請してください。",
        )
    })?;
    let pc_name = required(&application.pc_name, "PC名", MAX_PC_NAME_CHARS)
        .map_err(|m| RelayError::bad_request("certificate.pc_name", m))?;
    if application.issuance_password.chars().count() > 128 {
        return Err(RelayError::bad_request(
            "certificate.issuance_password",
            "証明書発行用パスワードが長すぎます。",
        ));
    }
    let office = issuance_grant(
        &state.relay,
        &application.office_user_id,
        &application.issuance_password,
        state.config.issuance,
    )
    .await?;
    let (not_before, not_after) = validity(state);
    let issued = state.pki.issue_for_request(
        office.number(),
        SUBJECT,
        not_before,
        not_after,
        &application.csr_pem,
    )?;
    register(
        state,
        &office,
        &issued.fingerprint,
        &issued.serial,
        &issued.subject,
        (not_before, not_after),
        &pc_name,
    )
    .await?;
    audit(
        state,
        office.number(),
        application.office_user_id.trim(),
        "certificate.issue_csr",
        &issued.serial,
    )
    .await?;
    Ok(CertificateIssued {
        office_number: office.number().to_owned(),
        serial: issued.serial,
        certificate_pem: issued.cert_pem,
        ca_pem: state.ca_pem.as_str().to_owned(),
        not_after: rfc3339(ms(not_after)),
    })
}
