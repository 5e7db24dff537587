//! Two-stage login: 個人ユーザID (`c…`) first, then 事業所ユーザID (`KJ…`); both of the office the
//! connection's certificate belongs to.
//!
//! What the answers must not tell, and what one office must not be able to do to another:
//! - An ID the asking office does not have (unknown, or another office's) gets the answers a real ID
//!   with a wrong password gets, after the same work (one password hash), and locks after as many
//!   failures (counted in `login_probes` for the asking office, see [`crate::store::LoginProbes`]).
//! - Another office's ID is never checked against its password nor counted against it: one office
//!   cannot lock another out, nor guess its passwords.
//! - Every refusal is in the audit log under the asking office, with the ID as typed and the
//!   certificate (serial and SHA-256) that made it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use careplan_api::{
    ApiError, OfficeLoginRequest, OfficeLoginResponse, PersonalLoginRequest, PersonalLoginResponse,
};

use crate::access::Session;
use crate::auth::{
    new_token, registered_certificate, token_hash, verify_against_nothing, verify_password,
};
use crate::clock::{minutes, now_ms, to_datetime};
use crate::error::RelayError;
use crate::store::{AuditEntry, CertificateRow, FailureRule, SessionRow, StageRow, UserTable};
use crate::tls::ClientCert;
use crate::AppState;

const STAGE_MINUTES: i64 = 5;

fn proxy_id_refused() -> RelayError {
    RelayError::api(
        StatusCode::FORBIDDEN,
        "auth.proxy_id",
        "「HD」で始まるIDは代理請求用のIDのため、ケアプランデータ連携システムでは使えません。事業所に発行されたIDを入力してください。",
    )
}

/// Says how long a lock lasts, so that nobody waits longer than needed or tries on and locks the ID.
fn invalid_credentials(state: &AppState, what: &str) -> RelayError {
    RelayError::api(
        StatusCode::UNAUTHORIZED,
        "auth.invalid_credentials",
        format!(
            "{what}またはパスワードが違います。この端末に設定した電子証明書の事業所のIDか確かめて、入力し直してください。{}回続けて間違えると、{}分間ログインできなくなります。",
            state.limits.max_login_failures, state.limits.lockout_minutes
        ),
    )
}

fn locked(until: i64) -> RelayError {
    RelayError::api(
        StatusCode::LOCKED,
        "auth.locked",
        format!(
            "パスワードを続けて間違えたため、このIDは {} までロックされています。時間をおいてからログインしてください。",
            to_datetime(until)
                .time()
                .format(&time::macros::format_description!("[hour]:[minute]"))
                .unwrap_or_default()
        ),
    )
}

/// The codes [`check_password`] audits itself, with the reason; the handlers audit every other
/// refusal by its code.
const AUDITED_BY_CHECK: &[&str] = &["auth.invalid_credentials", "auth.locked"];

/// Who is trying: the certificate of the connection and, once looked up, its register entry.
struct Attempt<'a> {
    client: &'a ClientCert,
    cert: Option<&'a CertificateRow>,
    /// The certificate's office: the one the attempt is logged under.
    office: Option<&'a str>,
}

impl Attempt<'_> {
    /// `certificate serial 1A2B… sha256 0f3c…`: what the operator needs to find and revoke it.
    fn certificate(&self) -> String {
        match self.cert {
            Some(cert) => format!(
                "certificate serial {} sha256 {}",
                cert.serial, self.client.fingerprint
            ),
            None => format!("certificate sha256 {}", self.client.fingerprint),
        }
    }

    async fn audit(
        &self,
        state: &AppState,
        action: &str,
        actor: &str,
        reason: &str,
    ) -> Result<(), RelayError> {
        // The ID as typed, shortened and with hidden characters shown, never a password.
        let actor: String = careplan_spec::windows_name::visible(actor)
            .chars()
            .take(64)
            .collect();
        let detail = format!("{reason}; {}", self.certificate());
        state
            .store
            .audit()
            .write(&AuditEntry {
                at: now_ms(),
                office: self.office,
                actor: &actor,
                action,
                detail: &detail,
            })
            .await
    }
}

/// Checks a password for `id` on behalf of the asking office: counting failures and honouring the
/// lock, the same way whether the ID is the office's own, unknown, or another office's.
async fn check_password(
    state: &AppState,
    attempt: &Attempt<'_>,
    asking_office: &str,
    table: UserTable,
    id: &str,
    password: &str,
    what: &str,
) -> Result<crate::store::UserRow, RelayError> {
    let now = now_ms();
    let rule = FailureRule {
        now,
        window_start: now - minutes(state.limits.lockout_minutes),
        max_failures: state.limits.max_login_failures,
        lock_until: now + minutes(state.limits.lockout_minutes),
    };
    let mut found = state.store.offices().user(table, id).await?;
    // A deleted personal ID (a leaver's, deleted in the portal) logs in nowhere: it is answered,
    // counted and locked like an unknown one.
    let deleted = table == UserTable::Personal
        && found.is_some()
        && state
            .store
            .offices()
            .personal_standing(id)
            .await?
            .is_some_and(|standing| standing.deleted);
    if deleted {
        found = None;
    }
    let Some(user) = found.as_ref().filter(|u| u.office_number == asking_office) else {
        // Not this office's ID. The reason goes to the audit log only; the answer is a wrong
        // password's, after a password hash's work.
        let reason = match &found {
            Some(other) => format!("id of office {}", other.office_number),
            None if deleted => "deleted id".to_owned(),
            None => "unknown id".to_owned(),
        };
        let probes = state.store.login_probes();
        if let Some(until) = probes
            .locked_until(table, asking_office, id)
            .await?
            .filter(|&until| until > now)
        {
            attempt
                .audit(state, "login.locked", id, &format!("locked; {reason}"))
                .await?;
            return Err(locked(until));
        }
        verify_against_nothing(password).await?;
        probes
            .record_failure(table, asking_office, id, rule)
            .await?;
        attempt.audit(state, "login.failed", id, &reason).await?;
        return Err(invalid_credentials(state, what));
    };
    if let Some(until) = user.locked_until.filter(|&until| until > now) {
        attempt.audit(state, "login.locked", id, "locked").await?;
        return Err(locked(until));
    }
    if !verify_password(password, &user.password_hash).await {
        state
            .store
            .offices()
            .record_failure(table, &user.id, rule)
            .await?;
        attempt
            .audit(state, "login.failed", id, "wrong password")
            .await?;
        return Err(invalid_credentials(state, what));
    }
    if user.failed_attempts > 0 || user.last_failed_at.is_some() {
        state
            .store
            .offices()
            .reset_failures(table, &user.id)
            .await?;
    }
    Ok(user.clone())
}

/// Writes the audit line of a refusal the stage did not audit itself (a format error, an expired
/// stage, a revoked certificate …), then answers it.
async fn audited<T>(
    state: &AppState,
    client: &ClientCert,
    actor: &str,
    result: Result<T, RelayError>,
) -> Result<T, RelayError> {
    let Err(RelayError::Api { code, .. }) = &result else {
        return result;
    };
    if !AUDITED_BY_CHECK.contains(code) {
        // Refused before or without the register entry: look it up for the office and the serial.
        let cert = state
            .store
            .certificates()
            .by_fingerprint(&client.fingerprint)
            .await?;
        let attempt = Attempt {
            client,
            cert: cert.as_ref(),
            office: cert.as_ref().map(|c| c.office_number.as_str()),
        };
        attempt.audit(state, "login.failed", actor, code).await?;
    }
    result
}

/// `c` and up to 31 letters and digits: the shape the register gives personal IDs.
fn personal_id_shape(id: &str) -> bool {
    id.starts_with('c')
        && (2..=32).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `KJ` and 12 letters and digits.
fn office_id_shape(id: &str) -> bool {
    id.starts_with("KJ") && id.len() == 14 && id.chars().all(|c| c.is_ascii_alphanumeric())
}

#[utoipa::path(
    post,
    path = "/v1/login/personal",
    operation_id = "login_personal",
    tag = "login",
    request_body = PersonalLoginRequest,
    responses(
        (status = 200, description = "1段階目に成功: 2段階目に使う stage_token", body = PersonalLoginResponse),
        (status = "default", description = "拒否（IDまたはパスワード違い、ロック、IDの形 …）", body = ApiError),
    )
)]
pub async fn personal(
    State(state): State<AppState>,
    Extension(client): Extension<ClientCert>,
    Json(request): Json<PersonalLoginRequest>,
) -> Result<Json<PersonalLoginResponse>, RelayError> {
    let id = request.user_id.trim();
    let result = personal_stage(&state, &client, id, &request.password).await;
    audited(&state, &client, id, result).await
}

async fn personal_stage(
    state: &AppState,
    client: &ClientCert,
    id: &str,
    password: &str,
) -> Result<Json<PersonalLoginResponse>, RelayError> {
    let cert = registered_certificate(state, client).await?;
    if id.starts_with("HD") {
        return Err(proxy_id_refused());
    }
    if id.starts_with("KJ") {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "auth.wrong_stage",
            "「KJ」で始まる事業所ユーザIDは2段階目で入力します。先に「c」で始まる個人ユーザIDでログインしてください。",
        ));
    }
    if !personal_id_shape(id) {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "auth.personal_id_format",
            "個人ユーザIDは「c」で始まる英数字（32文字まで）のIDです。利用状況Webサイトで発行された個人ユーザIDを入力してください。",
        ));
    }
    let attempt = Attempt {
        client,
        cert: Some(&cert),
        office: Some(&cert.office_number),
    };
    let user = check_password(
        state,
        &attempt,
        &cert.office_number,
        UserTable::Personal,
        id,
        password,
        "個人ユーザID",
    )
    .await?;
    if state
        .store
        .offices()
        .personal_standing(&user.id)
        .await?
        .is_some_and(|s| s.disabled)
    {
        return Err(crate::access::portal::id_disabled());
    }
    let (token, hash) = new_token();
    let expires_at = now_ms() + minutes(STAGE_MINUTES);
    state
        .store
        .sessions()
        .insert_stage(
            &hash,
            &StageRow {
                personal_user_id: user.id.clone(),
                office_number: user.office_number.clone(),
                cert_fingerprint: client.fingerprint.clone(),
                expires_at,
            },
        )
        .await?;
    Ok(Json(PersonalLoginResponse {
        stage_token: token,
        expires_in_seconds: (STAGE_MINUTES * 60) as u32,
    }))
}

/// A 端末名 people can read: 1 to 50 characters, none of them control, invisible or
/// direction-changing characters (a name that shows something else than it is would mislead the
/// 下書き一覧 of the other terminals).
fn terminal_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 50
        && !name
            .chars()
            .any(|c| c.is_control() || careplan_spec::windows_name::is_invisible(c))
}

#[utoipa::path(
    post,
    path = "/v1/login/office",
    operation_id = "login_office",
    tag = "login",
    request_body = OfficeLoginRequest,
    responses(
        (status = 200, description = "ログイン完了: session_token と事業所", body = OfficeLoginResponse),
        (status = "default", description = "拒否（1段階目が必要、IDまたはパスワード違い、ロック、端末名 …）", body = ApiError),
    )
)]
pub async fn office(
    State(state): State<AppState>,
    Extension(client): Extension<ClientCert>,
    Json(request): Json<OfficeLoginRequest>,
) -> Result<Json<OfficeLoginResponse>, RelayError> {
    let id = request.office_user_id.trim();
    let result = office_stage(&state, &client, &request, id).await;
    audited(&state, &client, id, result).await
}

async fn office_stage(
    state: &AppState,
    client: &ClientCert,
    request: &OfficeLoginRequest,
    id: &str,
) -> Result<Json<OfficeLoginResponse>, RelayError> {
    let cert = registered_certificate(state, client).await?;
    let now = now_ms();
    let stage = state
        .store
        .sessions()
        .take_stage(&token_hash(&request.stage_token))
        .await?;
    let Some(stage) = stage.filter(|s| {
        s.expires_at >= now
            && s.cert_fingerprint == client.fingerprint
            && s.office_number == cert.office_number
    }) else {
        return Err(RelayError::api(
            StatusCode::UNAUTHORIZED,
            "auth.stage_required",
            "先に個人ユーザIDでログインしてください（1段階目のログインから時間がたった場合も、最初からやり直してください）。",
        ));
    };
    if id.starts_with("HD") {
        return Err(proxy_id_refused());
    }
    if !office_id_shape(id) {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "auth.office_id_format",
            "事業所ユーザIDは「KJ」で始まる14文字の英数字のIDです（電子請求受付システムと同じID）。入力し直してください。",
        ));
    }
    let terminal_name = request.terminal_name.trim();
    if !terminal_name_ok(terminal_name) {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "auth.terminal_name",
            "端末名を1～50文字で設定してください。制御文字や目に見えない文字は使えません（設定画面で変更できます）。",
        ));
    }
    let attempt = Attempt {
        client,
        cert: Some(&cert),
        office: Some(&cert.office_number),
    };
    let user = check_password(
        state,
        &attempt,
        &stage.office_number,
        UserTable::Office,
        id,
        &request.password,
        "事業所ユーザID",
    )
    .await?;
    let open = state
        .store
        .sessions()
        .live_count(&user.office_number, now)
        .await?;
    if open >= state.limits.max_sessions_per_office {
        return Err(RelayError::api(
            StatusCode::CONFLICT,
            "auth.too_many_sessions",
            format!(
                "この事業所でログイン中の端末が上限（{}台）に達しています。使っていない端末でログアウトしてから、もう一度ログインしてください。",
                state.limits.max_sessions_per_office
            ),
        ));
    }
    if state.store.offices().must_change_password(&user.id).await? {
        return Err(RelayError::api(
            StatusCode::FORBIDDEN,
            "auth.temporary_password",
            "事業所ユーザIDのパスワードが仮パスワードのままです。利用状況Webサイトにログインしてパスワードを変更してから、もう一度ログインしてください。",
        ));
    }
    let office = state
        .store
        .offices()
        .get(&user.office_number)
        .await?
        .ok_or_else(|| RelayError::Internal("session for an unknown office".into()))?;
    let (token, hash) = new_token();
    let expires_at = now + minutes(state.limits.session_minutes);
    let session = SessionRow {
        office_number: user.office_number.clone(),
        personal_user_id: stage.personal_user_id.clone(),
        office_user_id: user.id.clone(),
        terminal_name: terminal_name.to_owned(),
        cert_fingerprint: client.fingerprint.clone(),
        expires_at,
    };
    state.store.sessions().insert(&hash, &session, now).await?;
    state
        .store
        .offices()
        .record_personal_login(&stage.personal_user_id, terminal_name, now)
        .await?;
    state
        .store
        .audit()
        .write(&AuditEntry {
            at: now,
            office: Some(&user.office_number),
            actor: &stage.personal_user_id,
            action: "login",
            detail: terminal_name,
        })
        .await?;
    Ok(Json(OfficeLoginResponse {
        session_token: token,
        expires_in_seconds: (state.limits.session_minutes * 60) as u32,
        office: crate::api::home::office_dto(state, office).await?,
    }))
}

#[utoipa::path(
    post,
    path = "/v1/logout",
    operation_id = "logout",
    tag = "login",
    security(("session" = [])),
    responses(
        (status = 204, description = "ログアウトしました"),
        (status = "default", description = "拒否（ログインしていない …）", body = ApiError),
    )
)]
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
) -> Result<StatusCode, RelayError> {
    state.store.sessions().delete(&session.token_hash).await?;
    state
        .store
        .feed_tokens()
        .revoke_of_session(&session.token_hash)
        .await?;
    state
        .store
        .audit()
        .write(&AuditEntry {
            at: now_ms(),
            office: Some(session.office_number()),
            actor: &session.row.personal_user_id,
            action: "logout",
            detail: &session.row.terminal_name,
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_names_are_readable_text() {
        assert!(terminal_name_ok("受付PC"));
        assert!(terminal_name_ok(&"あ".repeat(50)));
        assert!(!terminal_name_ok(&"あ".repeat(51)));
        assert!(!terminal_name_ok(""));
        for bad in [
            "受付\nPC",
            "受付\u{7}",
            "受付\u{202E}CP",
            "\u{200B}",
            "a\u{2028}b",
        ] {
            assert!(!terminal_name_ok(bad), "{bad:?}");
        }
    }

    #[test]
    fn id_shapes() {
        assert!(personal_id_shape("c1370000018a"));
        assert!(!personal_id_shape("c"));
        assert!(!personal_id_shape(&format!("c{}", "1".repeat(32))));
        assert!(!personal_id_shape("c13700 0018"));
        assert!(office_id_shape("KJ137000001801"));
        assert!(!office_id_shape("KJ13700000180"));
        assert!(!office_id_shape("KJ1370000018０1"));
    }
}
