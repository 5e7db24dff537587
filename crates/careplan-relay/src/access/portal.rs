//! The office portal (利用状況Webサイト): its logins, sessions and the other ways it proves which
//! office it acts for. A portal session comes from a cookie's token; like an API [`super::Session`],
//! it makes the [`OfficeScope`] of its office, and the [`LoginIdScope`] of its own ID. Two flows act
//! for an office without a session, each after its own proof: the mail recovery of a locked or
//! forgotten ID ([`recovery_scope`]: the code it sends goes only to the ID's confirmed address, and the
//! flow answers the same whether there is one), and a certificate application with the KJ ID and the
//! 証明書発行用パスワード ([`issuance_grant`]).

use axum::http::StatusCode;

use super::OfficeScope;
use crate::auth::{new_token, token_hash, verify_against_nothing, verify_password};
use crate::clock::{minutes, now_ms, to_datetime};
use crate::error::RelayError;
use crate::store::{AuditEntry, FailureRule, PortalSessionRow, StaffRole, UserRow, UserTable};
use crate::AppState;

/// One login ID of one office: what セキュリティメール and a password change act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginIdScope {
    office: OfficeScope,
    kind: UserTable,
    id: String,
}

impl LoginIdScope {
    pub fn office(&self) -> &OfficeScope {
        &self.office
    }

    pub fn kind(&self) -> UserTable {
        self.kind
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn kind_str(&self) -> &'static str {
        kind_str(self.kind)
    }

    /// Replaces this ID's password hash, in its own table: the office's KJ ID or a staff member's
    /// c ID (a password change and a mail recovery both end here).
    pub async fn set_password_hash(
        &self,
        store: &crate::store::Store,
        hash: &str,
    ) -> Result<(), RelayError> {
        match self.kind {
            UserTable::Office => {
                store
                    .offices()
                    .set_office_user_password(&self.id, hash)
                    .await?
            }
            UserTable::Personal => {
                store
                    .staff(&self.office)
                    .set_password(&self.id, hash)
                    .await?;
            }
        }
        Ok(())
    }
}

fn kind_str(kind: UserTable) -> &'static str {
    match kind {
        UserTable::Office => "office",
        UserTable::Personal => "personal",
    }
}

/// What the person logged in may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalRole {
    /// The 事業所ユーザID: the office itself (applies, administers its IDs and certificates).
    Office,
    /// A 個人ユーザID with its role.
    Staff(StaffRole),
}

impl PortalRole {
    /// 管理者の操作 (IDs, certificates, licence, listing): the office's ID and 管理者 staff.
    pub fn is_administrator(self) -> bool {
        matches!(
            self,
            PortalRole::Office | PortalRole::Staff(StaffRole::Admin)
        )
    }
}

/// How long a portal session lasts: idle, and at most.
#[derive(Debug, Clone, Copy)]
pub struct SessionRules {
    pub idle_minutes: i64,
    pub max_minutes: i64,
}

impl Default for SessionRules {
    fn default() -> Self {
        SessionRules {
            idle_minutes: 30,
            max_minutes: 8 * 60,
        }
    }
}

/// A logged-in person of the portal.
#[derive(Debug, Clone)]
pub struct PortalSession {
    pub token_hash: String,
    pub row: PortalSessionRow,
    login: LoginIdScope,
    pub role: PortalRole,
    /// A temporary password (`office-import`): nothing but the change until it is changed.
    pub must_change_password: bool,
}

impl PortalSession {
    pub fn office(&self) -> &OfficeScope {
        &self.login.office
    }

    pub fn login(&self) -> &LoginIdScope {
        &self.login
    }

    pub fn csrf_token(&self) -> &str {
        &self.row.csrf_token
    }

    /// The session of a cookie's token, if it is one, in time and of an ID that may still log in;
    /// its idle time starts again.
    pub async fn resolve(
        state: &AppState,
        token: &str,
        rules: SessionRules,
    ) -> Result<Option<PortalSession>, RelayError> {
        let hash = token_hash(token);
        let sessions = state.store.portal_sessions();
        let Some(row) = sessions.get(&hash).await? else {
            return Ok(None);
        };
        let now = now_ms();
        if row.expires_at < now || row.last_seen_at + minutes(rules.idle_minutes) < now {
            sessions.delete(&hash).await?;
            return Ok(None);
        }
        let Some((kind, role)) = standing(state, &row).await? else {
            sessions.delete(&hash).await?;
            return Ok(None);
        };
        let must_change_password = kind == UserTable::Office
            && state
                .store
                .offices()
                .must_change_password(&row.user_id)
                .await?;
        state.rate.check(&row.office_number)?;
        sessions.touch(&hash, now).await?;
        Ok(Some(PortalSession {
            token_hash: hash,
            login: LoginIdScope {
                office: OfficeScope::new(row.office_number.clone()),
                kind,
                id: row.user_id.clone(),
            },
            role,
            must_change_password,
            row,
        }))
    }

    /// Logs out.
    pub async fn end(&self, state: &AppState) -> Result<(), RelayError> {
        state
            .store
            .portal_sessions()
            .delete(&self.token_hash)
            .await?;
        audit(
            state,
            self.office().number(),
            self.login.id(),
            "portal.logout",
            "",
        )
        .await
    }
}

/// The ID of a session row, still able to log in: its kind and what it may do.
async fn standing(
    state: &AppState,
    row: &PortalSessionRow,
) -> Result<Option<(UserTable, PortalRole)>, RelayError> {
    match row.id_kind.as_str() {
        "office" => {
            let user = state
                .store
                .offices()
                .user(UserTable::Office, &row.user_id)
                .await?;
            Ok(user
                .filter(|u| u.office_number == row.office_number)
                .map(|_| (UserTable::Office, PortalRole::Office)))
        }
        "personal" => {
            let scope = OfficeScope::new(row.office_number.clone());
            let staff = state.store.staff(&scope).get(&row.user_id).await?;
            Ok(staff
                .filter(|s| s.disabled_at.is_none())
                .map(|s| (UserTable::Personal, PortalRole::Staff(s.role))))
        }
        _ => Ok(None),
    }
}

async fn audit(
    state: &AppState,
    office: &str,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), RelayError> {
    state
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

fn refused(status: StatusCode, code: &'static str, message: &str) -> RelayError {
    RelayError::api(status, code, message)
}

fn invalid_credentials() -> RelayError {
    refused(
        StatusCode::UNAUTHORIZED,
        "auth.invalid_credentials",
        "ユーザIDまたはパスワードが違います。入力し直してください。続けて間違えると一定時間ログインできなくなります。",
    )
}

fn locked(until: i64) -> RelayError {
    RelayError::api(
        StatusCode::LOCKED,
        "auth.locked",
        format!(
            "パスワードを続けて間違えたため、このIDは {} までロックされています。セキュリティメールを登録していれば、「ロックの解除」からすぐに解除できます。",
            to_datetime(until)
                .time()
                .format(&time::macros::format_description!("[hour]:[minute]"))
                .unwrap_or_default()
        ),
    )
}

/// Which table an ID typed into the portal's login belongs to, or why it cannot log in there.
pub fn portal_id_kind(id: &str) -> Result<UserTable, RelayError> {
    if id.starts_with("HD") {
        return Err(refused(
            StatusCode::FORBIDDEN,
            "auth.proxy_id",
            "「HD」で始まるIDは代理請求用のIDのため、ケアプランデータ連携システムでは使えません。電子請求受付システムの「KJ」で始まる事業所ユーザIDでログインしてください。",
        ));
    }
    if id.starts_with("KJ") {
        if id.len() == 14 && id.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Ok(UserTable::Office);
        }
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "auth.office_id_format",
            "事業所ユーザIDは「KJ」で始まる14文字のIDです（電子請求受付システムと同じID）。入力し直してください。",
        ));
    }
    if id.starts_with('c')
        && (2..=32).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Ok(UserTable::Personal);
    }
    Err(refused(
        StatusCode::BAD_REQUEST,
        "auth.id_format",
        "ユーザIDは「KJ」で始まる事業所ユーザID（14文字）か、「c」で始まる個人ユーザIDです。入力し直してください。",
    ))
}

/// Checks a password for a login ID of the register, as the API's login does: the same counter of
/// wrong passwords and the same lock (a lock from the desktop client holds here too, and the other
/// way round), an unknown or deleted ID answered like a wrong password after the same work, and
/// every attempt in the audit log.
pub async fn check_login_password(
    state: &AppState,
    kind: UserTable,
    id: &str,
    password: &str,
    action: &str,
) -> Result<UserRow, RelayError> {
    let now = now_ms();
    let rule = FailureRule {
        now,
        window_start: now - minutes(state.limits.lockout_minutes),
        max_failures: state.limits.max_login_failures,
        lock_until: now + minutes(state.limits.lockout_minutes),
    };
    let user = state.store.offices().user(kind, id).await?;
    let deleted = match (kind, &user) {
        (UserTable::Personal, Some(_)) => state
            .store
            .offices()
            .personal_standing(id)
            .await?
            .is_some_and(|s| s.deleted),
        _ => false,
    };
    let Some(user) = user.filter(|_| !deleted) else {
        // Counted and locked like a real ID (in the API's login_probes, under the portal's own
        // name: a portal login has no certificate, so no asking office), so neither the answers
        // nor the lock tell which IDs exist.
        let probes = state.store.login_probes();
        if let Some(until) = probes
            .locked_until(kind, PORTAL_PROBES, id)
            .await?
            .filter(|&until| until > now)
        {
            return Err(locked(until));
        }
        verify_against_nothing(password).await?;
        probes.record_failure(kind, PORTAL_PROBES, id, rule).await?;
        return Err(invalid_credentials());
    };
    state.rate.check(&user.office_number)?;
    if let Some(until) = user.locked_until.filter(|&until| until > now) {
        audit(
            state,
            &user.office_number,
            &user.id,
            &format!("{action}.locked"),
            "",
        )
        .await?;
        return Err(locked(until));
    }
    if !verify_password(password, &user.password_hash).await {
        state
            .store
            .offices()
            .record_failure(kind, &user.id, rule)
            .await?;
        audit(
            state,
            &user.office_number,
            &user.id,
            &format!("{action}.failed"),
            "wrong password",
        )
        .await?;
        return Err(invalid_credentials());
    }
    if user.failed_attempts > 0 || user.last_failed_at.is_some() {
        state.store.offices().reset_failures(kind, &user.id).await?;
    }
    Ok(user)
}

/// The asking office under which the portal's wrong logins with unknown IDs are counted (no
/// office number has this shape).
const PORTAL_PROBES: &str = "portal";

/// Logs in to the portal with a KJ or c ID; answers the cookie's token and the session.
pub async fn portal_login(
    state: &AppState,
    id: &str,
    password: &str,
    rules: SessionRules,
) -> Result<(String, PortalSession), RelayError> {
    let kind = portal_id_kind(id)?;
    let user = check_login_password(state, kind, id, password, "portal.login").await?;
    let role = match kind {
        UserTable::Office => PortalRole::Office,
        UserTable::Personal => {
            let scope = OfficeScope::new(user.office_number.clone());
            let staff = state
                .store
                .staff(&scope)
                .get(&user.id)
                .await?
                .ok_or_else(invalid_credentials)?;
            if staff.disabled_at.is_some() {
                audit(
                    state,
                    &user.office_number,
                    &user.id,
                    "portal.login.failed",
                    "disabled",
                )
                .await?;
                return Err(id_disabled());
            }
            PortalRole::Staff(staff.role)
        }
    };
    let (token, hash) = new_token();
    let now = now_ms();
    let row = PortalSessionRow {
        office_number: user.office_number.clone(),
        id_kind: kind_str(kind).to_owned(),
        user_id: user.id.clone(),
        csrf_token: new_token().0,
        created_at: now,
        last_seen_at: now,
        expires_at: now + minutes(rules.max_minutes),
    };
    state.store.portal_sessions().insert(&hash, &row).await?;
    audit(state, &user.office_number, &user.id, "portal.login", "").await?;
    let must_change_password =
        kind == UserTable::Office && state.store.offices().must_change_password(&user.id).await?;
    Ok((
        token,
        PortalSession {
            token_hash: hash,
            login: LoginIdScope {
                office: OfficeScope::new(user.office_number.clone()),
                kind,
                id: user.id,
            },
            role,
            must_change_password,
            row,
        },
    ))
}

/// An ID its office's administrator stopped.
pub fn id_disabled() -> RelayError {
    refused(
        StatusCode::FORBIDDEN,
        "auth.id_disabled",
        "このIDは事業所の管理者によって利用停止されています。事業所の管理者に確認してください。",
    )
}

/// The scope of a login ID for the mail recovery flow (ロック解除, パスワード再設定), which acts for
/// the ID's office before anyone has logged in: the flow only sends a code to the ID's confirmed
/// address and takes the code back, and answers the same whether the ID or an address exists.
/// Deleted IDs have none.
pub async fn recovery_scope(
    state: &AppState,
    id: &str,
) -> Result<Option<LoginIdScope>, RelayError> {
    let Ok(kind) = portal_id_kind(id) else {
        return Ok(None);
    };
    let Some(user) = state.store.offices().user(kind, id).await? else {
        return Ok(None);
    };
    if kind == UserTable::Personal
        && state
            .store
            .offices()
            .personal_standing(id)
            .await?
            .is_some_and(|s| s.deleted)
    {
        return Ok(None);
    }
    Ok(Some(LoginIdScope {
        office: OfficeScope::new(user.office_number),
        kind,
        id: user.id,
    }))
}

/// How many wrong 証明書発行用パスワード lock the applications of an office, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct IssuanceRules {
    pub max_failures: i64,
    pub lockout_minutes: i64,
}

impl Default for IssuanceRules {
    fn default() -> Self {
        IssuanceRules {
            max_failures: 5,
            lockout_minutes: 30,
        }
    }
}

fn issuance_refused() -> RelayError {
    refused(
        StatusCode::UNAUTHORIZED,
        "certificate.issuance_password",
        "事業所ユーザIDまたは証明書発行用パスワードが違います。「電子請求登録結果に関するお知らせ」の証明書発行用パスワードを確かめて入力し直してください。続けて間違えると一定時間申請できなくなります。",
    )
}

/// The office a certificate application is for: its KJ ID and the 証明書発行用パスワード the
/// operator issued to it (the desktop app's request, before the office has any certificate).
pub async fn issuance_grant(
    state: &AppState,
    office_user_id: &str,
    issuance_password: &str,
    rules: IssuanceRules,
) -> Result<OfficeScope, RelayError> {
    let id = office_user_id.trim();
    if portal_id_kind(id)? != UserTable::Office {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "auth.office_id_format",
            "電子証明書の申請には「KJ」で始まる事業所ユーザIDを入力してください。",
        ));
    }
    let Some(user) = state.store.offices().user(UserTable::Office, id).await? else {
        verify_against_nothing(issuance_password).await?;
        return Err(issuance_refused());
    };
    check_issuance_password(
        state,
        &user.office_number,
        &user.id,
        issuance_password,
        rules,
    )
    .await?;
    Ok(OfficeScope::new(user.office_number))
}

/// Checks the 証明書発行用パスワード of a logged-in portal session's office.
pub async fn issuance_check(
    state: &AppState,
    session: &PortalSession,
    issuance_password: &str,
    rules: IssuanceRules,
) -> Result<(), RelayError> {
    check_issuance_password(
        state,
        session.office().number(),
        session.login().id(),
        issuance_password,
        rules,
    )
    .await
}

/// Wrong passwords count per office and lock its applications for a while.
async fn check_issuance_password(
    state: &AppState,
    office: &str,
    actor: &str,
    issuance_password: &str,
    rules: IssuanceRules,
) -> Result<(), RelayError> {
    state.rate.check(office)?;
    let now = now_ms();
    let Some(issued) = state.store.issuance_passwords().get(office).await? else {
        verify_against_nothing(issuance_password).await?;
        audit(
            state,
            office,
            actor,
            "certificate.apply.failed",
            "no issuance password",
        )
        .await?;
        return Err(issuance_refused());
    };
    if let Some(until) = issued.locked_until.filter(|&until| until > now) {
        audit(state, office, actor, "certificate.apply.locked", "").await?;
        return Err(RelayError::api(
            StatusCode::LOCKED,
            "certificate.issuance_locked",
            format!(
                "証明書発行用パスワードを続けて間違えたため、{} まで申請できません。時間をおいてからお試しください。",
                to_datetime(until)
                    .time()
                    .format(&time::macros::format_description!("[hour]:[minute]"))
                    .unwrap_or_default()
            ),
        ));
    }
    if !verify_password(issuance_password, &issued.password_hash).await {
        state
            .store
            .issuance_passwords()
            .record_failure(
                office,
                rules.max_failures,
                now + minutes(rules.lockout_minutes),
            )
            .await?;
        audit(
            state,
            office,
            actor,
            "certificate.apply.failed",
            "wrong issuance password",
        )
        .await?;
        return Err(issuance_refused());
    }
    if issued.failed_attempts > 0 {
        state
            .store
            .issuance_passwords()
            .reset_failures(office)
            .await?;
    }
    Ok(())
}
