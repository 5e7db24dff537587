//! Two-stage login: 個人ユーザID (`c…`) first, then 事業所ユーザID (`KJ…`); both of the office the
//! connection's certificate belongs to.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use careplan_api::{
    OfficeLoginRequest, OfficeLoginResponse, PersonalLoginRequest, PersonalLoginResponse,
};

use crate::access::Session;
use crate::auth::{new_token, registered_certificate, token_hash, verify_password};
use crate::clock::{minutes, now_ms, to_datetime};
use crate::error::RelayError;
use crate::store::{AuditEntry, SessionRow, StageRow, UserRow, UserTable};
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
            "{what}またはパスワードが違います。入力し直してください。{}回続けて間違えると、{}分間ログインできなくなります。",
            state.limits.max_login_failures, state.limits.lockout_minutes
        ),
    )
}

/// Checks a password against a user row, counting failures and honouring the lock.
async fn check_password(
    state: &AppState,
    table: UserTable,
    user: Option<UserRow>,
    password: &str,
    what: &str,
) -> Result<UserRow, RelayError> {
    let now = now_ms();
    let Some(user) = user else {
        // Same answer as a wrong password: IDs cannot be probed.
        return Err(invalid_credentials(state, what));
    };
    if let Some(until) = user.locked_until.filter(|&until| until > now) {
        return Err(RelayError::api(
            StatusCode::LOCKED,
            "auth.locked",
            format!(
                "パスワードを続けて間違えたため、このIDは {} までロックされています。時間をおいてからログインしてください。",
                to_datetime(until).time().format(&time::macros::format_description!("[hour]:[minute]")).unwrap_or_default()
            ),
        ));
    }
    if !verify_password(password, &user.password_hash).await {
        state
            .store
            .offices()
            .record_failure(
                table,
                &user.id,
                state.limits.max_login_failures,
                now + minutes(state.limits.lockout_minutes),
            )
            .await?;
        state
            .store
            .audit()
            .write(&AuditEntry {
                at: now,
                office: Some(&user.office_number),
                actor: &user.id,
                action: "login.failed",
                detail: "wrong password",
            })
            .await?;
        return Err(invalid_credentials(state, what));
    }
    if user.failed_attempts > 0 {
        state
            .store
            .offices()
            .reset_failures(table, &user.id)
            .await?;
    }
    Ok(user)
}

pub async fn personal(
    State(state): State<AppState>,
    Extension(client): Extension<ClientCert>,
    Json(request): Json<PersonalLoginRequest>,
) -> Result<Json<PersonalLoginResponse>, RelayError> {
    let cert = registered_certificate(&state, &client).await?;
    let id = request.user_id.trim();
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
    if !id.starts_with('c') {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "auth.personal_id_format",
            "個人ユーザIDは「c」で始まるIDです。利用状況Webサイトで発行された個人ユーザIDを入力してください。",
        ));
    }
    let user = state.store.offices().user(UserTable::Personal, id).await?;
    let user = check_password(
        &state,
        UserTable::Personal,
        user,
        &request.password,
        "個人ユーザID",
    )
    .await?;
    if user.office_number != cert.office_number {
        return Err(RelayError::api(
            StatusCode::FORBIDDEN,
            "auth.office_mismatch",
            "この個人ユーザIDは、この端末に設定された電子証明書の事業所のIDではありません。事業所のIDでログインしてください。",
        ));
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
                cert_fingerprint: client.fingerprint,
                expires_at,
            },
        )
        .await?;
    Ok(Json(PersonalLoginResponse {
        stage_token: token,
        expires_in_seconds: (STAGE_MINUTES * 60) as u32,
    }))
}

pub async fn office(
    State(state): State<AppState>,
    Extension(client): Extension<ClientCert>,
    Json(request): Json<OfficeLoginRequest>,
) -> Result<Json<OfficeLoginResponse>, RelayError> {
    registered_certificate(&state, &client).await?;
    let now = now_ms();
    let stage = state
        .store
        .sessions()
        .take_stage(&token_hash(&request.stage_token))
        .await?;
    let Some(stage) =
        stage.filter(|s| s.expires_at >= now && s.cert_fingerprint == client.fingerprint)
    else {
        return Err(RelayError::api(
            StatusCode::UNAUTHORIZED,
            "auth.stage_required",
            "先に個人ユーザIDでログインしてください（1段階目のログインから時間がたった場合も、最初からやり直してください）。",
        ));
    };
    let id = request.office_user_id.trim();
    if id.starts_with("HD") {
        return Err(proxy_id_refused());
    }
    if !(id.starts_with("KJ") && id.chars().count() == 14) {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "auth.office_id_format",
            "事業所ユーザIDは「KJ」で始まる14文字のIDです（電子請求受付システムと同じID）。入力し直してください。",
        ));
    }
    let terminal_name = request.terminal_name.trim();
    if terminal_name.is_empty() || terminal_name.chars().count() > 50 {
        return Err(RelayError::api(
            StatusCode::BAD_REQUEST,
            "auth.terminal_name",
            "端末名を1～50文字で設定してください（設定画面で変更できます）。",
        ));
    }
    let user = state.store.offices().user(UserTable::Office, id).await?;
    let user = check_password(
        &state,
        UserTable::Office,
        user,
        &request.password,
        "事業所ユーザID",
    )
    .await?;
    if user.office_number != stage.office_number {
        return Err(RelayError::api(
            StatusCode::FORBIDDEN,
            "auth.office_mismatch",
            "個人ユーザIDと事業所ユーザIDの事業所が違います。同じ事業所のIDでログインしてください。",
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
        cert_fingerprint: client.fingerprint,
        expires_at,
    };
    state.store.sessions().insert(&hash, &session, now).await?;
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
        office: crate::api::home::office_dto(&state, office).await?,
    }))
}

pub async fn logout(
    State(state): State<AppState>,
    session: Session,
) -> Result<StatusCode, RelayError> {
    state.store.sessions().delete(&session.token_hash).await?;
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
