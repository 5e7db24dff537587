//! セキュリティメール (seed 001: 「パスワード再発行が即時・Web完結に」): each ID (KJ and c) registers
//! an address, confirmed by a code sent to it. With a confirmed address, an ID locked by wrong
//! passwords is unlocked, and a forgotten password replaced, by a one-time code mailed there: six
//! digits, short-lived, used once, a few a hour per ID and rate limited per client. The answers of
//! the recovery never say whether an ID exists or has an address.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use careplan_relay::access::portal::recovery_scope;
use careplan_relay::access::{LoginIdScope, PortalSession};
use careplan_relay::auth::hash_password;
use careplan_relay::clock::{minutes, now_ms};
use careplan_relay::store::{AuditEntry, CodeCheck, CodePurpose, UserTable};
use maud::{html, Markup};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::layout::{alert, alerts, csrf, datetime, done, page};
use crate::mail::valid_address;
use crate::web::{new_password, CheckedForm, LoggedIn, PortalError, Visitor};
use crate::PortalState;

fn code_hash(login: &LoginIdScope, purpose: CodePurpose, code: &str) -> String {
    let text = format!(
        "{}:{}:{:?}:{}",
        kind_text(login.kind()),
        login.id(),
        purpose,
        code.trim()
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn new_code() -> String {
    format!("{:06}", rand::random_range(0..1_000_000u32))
}

fn kind_text(kind: UserTable) -> &'static str {
    match kind {
        UserTable::Office => "office",
        UserTable::Personal => "personal",
    }
}

fn purpose_text(purpose: CodePurpose) -> &'static str {
    match purpose {
        CodePurpose::Confirm => "セキュリティメールの登録",
        CodePurpose::Unlock => "IDのロック解除",
        CodePurpose::Reset => "パスワードの再設定",
    }
}

fn mail_body(login: &LoginIdScope, purpose: CodePurpose, code: &str, minutes: u64) -> String {
    format!(
        "ケアプランデータ連携システム 利用状況Webサイトからのお知らせです。\n\n\
         ID {} の{}の確認コードは次のとおりです。\n\n\
         確認コード: {code}\n\n\
         このコードの有効期限は{minutes}分で、1回だけ使えます。\n\
         お心当たりがない場合は、このメールを破棄し、事業所の管理者にご相談ください。\n",
        login.id(),
        purpose_text(purpose),
    )
}

const SUBJECT: &str = "【ケアプランデータ連携システム】確認コードのお知らせ";

/// Makes a code for the ID, if its hourly allowance is not used up; answers it (to be mailed).
async fn issue_code(
    state: &PortalState,
    login: &LoginIdScope,
    purpose: CodePurpose,
) -> Result<Option<String>, PortalError> {
    let mail = state.relay.store.security_mail(login);
    let now = now_ms();
    if mail.codes_since(now - minutes(60)).await? >= state.config.codes_per_hour {
        return Ok(None);
    }
    let code = new_code();
    let lifetime = state.config.code_lifetime.as_millis() as i64;
    mail.new_code(
        purpose,
        &code_hash(login, purpose, &code),
        now,
        now + lifetime,
    )
    .await?;
    Ok(Some(code))
}

fn lifetime_minutes(state: &PortalState) -> u64 {
    state.config.code_lifetime.as_secs().div_ceil(60)
}

async fn audit(state: &PortalState, login: &LoginIdScope, action: &str) -> Result<(), PortalError> {
    state
        .relay
        .store
        .audit()
        .write(&AuditEntry {
            at: now_ms(),
            office: Some(login.office().number()),
            actor: login.id(),
            action,
            detail: "",
        })
        .await?;
    Ok(())
}

async fn mail_page(
    state: &PortalState,
    session: &PortalSession,
    result: Option<Markup>,
) -> Result<Markup, PortalError> {
    let row = state
        .relay
        .store
        .security_mail(session.login())
        .get()
        .await?;
    let confirmed = row.as_ref().and_then(|r| r.address.clone());
    let pending = row.as_ref().and_then(|r| r.pending_address.clone());
    let enabled = state.mailer.enabled();
    Ok(page(
        "セキュリティメール",
        "/security-mail",
        Some(session),
        html! {
            @if let Some(result) = result { (result) }
            p { "メールアドレスを登録しておくと、パスワードを続けて間違えてIDがロックされたときや、パスワードを忘れたときに、そのアドレスに届く確認コードですぐに解除・再設定できます。登録はIDごと（" (session.login().id()) "）です。" }
            @if !enabled {
                (alert("この利用状況Webサイトではメールを送信できないため、セキュリティメールを登録できません。運営者にお問い合わせください。"))
            }
            dl class="facts" {
                dt { "登録済みのアドレス" }
                dd {
                    @match (&confirmed, row.as_ref().and_then(|r| r.confirmed_at)) {
                        (Some(address), Some(at)) => { (address) "（" (datetime(at)) " 確認）" }
                        _ => { "未登録" }
                    }
                }
            }
            @if let Some(pending) = &pending {
                h2 { "確認コードの入力" }
                p { (pending) " に確認コードを送りました。メールに書かれた6桁のコードを入力してください。" }
                form class="stack" method="post" action="/security-mail/confirm" {
                    (csrf(session.csrf_token()))
                    div {
                        label for="code" { "確認コード（6桁）" }
                        input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="6" pattern="[0-9]{6}";
                    }
                    div class="actions" { button type="submit" { "確認する" } }
                }
            }
            @if enabled {
                h2 { @if confirmed.is_some() { "アドレスを変更する" } @else { "アドレスを登録する" } }
                form class="stack" method="post" action="/security-mail" {
                    (csrf(session.csrf_token()))
                    div {
                        label for="address" { "メールアドレス" }
                        input type="email" id="address" name="address" autocomplete="email" required maxlength="254";
                    }
                    div class="actions" { button type="submit" { "確認コードを送る" } }
                }
            }
            @if confirmed.is_some() {
                form method="post" action="/security-mail/remove" class="stack" {
                    (csrf(session.csrf_token()))
                    div class="actions" { button type="submit" class="danger" { "登録を解除する" } }
                }
            }
        },
    ))
}

async fn refused(
    state: &PortalState,
    session: &PortalSession,
    status: StatusCode,
    message: &str,
) -> Result<Response, PortalError> {
    Ok((
        status,
        mail_page(state, session, Some(alert(message))).await?,
    )
        .into_response())
}

pub async fn page_handler(
    State(state): State<PortalState>,
    LoggedIn(session): LoggedIn,
) -> Result<Markup, PortalError> {
    mail_page(&state, &session, None).await
}

#[derive(Deserialize)]
pub struct AddressForm {
    #[serde(default)]
    address: String,
}

pub async fn register(
    State(state): State<PortalState>,
    LoggedIn(session): LoggedIn,
    CheckedForm(form): CheckedForm<AddressForm>,
) -> Result<Response, PortalError> {
    let address = form.address.trim();
    if !state.mailer.enabled() {
        return refused(
            &state,
            &session,
            StatusCode::SERVICE_UNAVAILABLE,
            "メールを送信できないため、登録できません。",
        )
        .await;
    }
    if !valid_address(address) {
        return refused(&state, &session, StatusCode::BAD_REQUEST, "メールアドレスの形が正しくありません（半角英数字、254文字以内）。入力し直してください。").await;
    }
    let login = session.login();
    let Some(code) = issue_code(&state, login, CodePurpose::Confirm).await? else {
        return refused(&state, &session, StatusCode::TOO_MANY_REQUESTS, "確認コードを短い時間に何度も送ったため、しばらく送れません。1時間ほど待ってからお試しください。").await;
    };
    state
        .relay
        .store
        .security_mail(login)
        .set_pending(address)
        .await?;
    let body = mail_body(login, CodePurpose::Confirm, &code, lifetime_minutes(&state));
    if let Err(e) = state.mailer.send(address, SUBJECT, &body).await {
        tracing::warn!(error = %e.0, "security mail not sent");
        return refused(&state, &session, StatusCode::BAD_GATEWAY, "メールを送信できませんでした。アドレスを確かめて、しばらくしてからもう一度お試しください。").await;
    }
    audit(&state, login, "security_mail.code_sent").await?;
    Ok(mail_page(
        &state,
        &session,
        Some(done(
            "確認コードをメールで送りました。届いたコードを入力してください。",
        )),
    )
    .await?
    .into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

fn code_shaped(code: &str) -> bool {
    let code = code.trim();
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

const CODE_REFUSED: &str = "確認コードが正しくないか、有効期限が切れているか、既に使われています。新しいコードを送り直してください。";

pub async fn confirm(
    State(state): State<PortalState>,
    LoggedIn(session): LoggedIn,
    CheckedForm(form): CheckedForm<CodeForm>,
) -> Result<Response, PortalError> {
    let login = session.login();
    let check = if code_shaped(&form.code) {
        state
            .relay
            .store
            .security_mail(login)
            .take_code(
                CodePurpose::Confirm,
                &code_hash(login, CodePurpose::Confirm, &form.code),
                now_ms(),
                state.config.code_max_failures,
            )
            .await?
    } else {
        CodeCheck::Refused
    };
    if check == CodeCheck::Refused
        || !state
            .relay
            .store
            .security_mail(login)
            .confirm_pending(now_ms())
            .await?
    {
        return Ok((
            StatusCode::BAD_REQUEST,
            mail_page(&state, &session, Some(alert(CODE_REFUSED))).await?,
        )
            .into_response());
    }
    audit(&state, login, "security_mail.confirm").await?;
    Ok(mail_page(
        &state,
        &session,
        Some(done("セキュリティメールを登録しました。")),
    )
    .await?
    .into_response())
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn remove(
    State(state): State<PortalState>,
    LoggedIn(session): LoggedIn,
    CheckedForm(_): CheckedForm<Empty>,
) -> Result<Response, PortalError> {
    state
        .relay
        .store
        .security_mail(session.login())
        .remove()
        .await?;
    audit(&state, session.login(), "security_mail.remove").await?;
    Ok(mail_page(
        &state,
        &session,
        Some(done("セキュリティメールの登録を解除しました。")),
    )
    .await?
    .into_response())
}

/// What the recovery is for.
fn recovery_purpose(text: &str) -> Option<CodePurpose> {
    match text {
        "unlock" => Some(CodePurpose::Unlock),
        "reset" => Some(CodePurpose::Reset),
        _ => None,
    }
}

fn recovery_title(purpose: CodePurpose) -> &'static str {
    match purpose {
        CodePurpose::Reset => "パスワードの再設定",
        _ => "IDのロック解除",
    }
}

fn recovery_step1(csrf_token: &str, purpose: CodePurpose, errors: &[String]) -> Markup {
    page(
        recovery_title(purpose),
        "/login",
        None,
        html! {
            (alerts(errors))
            p { "ユーザID（KJ… または c…）を入力してください。そのIDにセキュリティメールが登録されていれば、確認コードを送ります。" }
            form class="stack" method="post" action="/recovery/request" {
                (csrf(csrf_token))
                input type="hidden" name="purpose" value=(purpose_value(purpose));
                div {
                    label for="user_id" { "ユーザID" }
                    input type="text" id="user_id" name="user_id" autocomplete="username" required maxlength="64" spellcheck="false" autocapitalize="none";
                }
                div class="actions" { button type="submit" { "確認コードを送る" } }
            }
            p { "セキュリティメールを登録していないときは、ロックは時間がたつと解除されます。パスワードが分からないときは、事業所の管理者（個人ユーザID）または国保連合会（事業所ユーザID）にお問い合わせください。" }
        },
    )
}

fn purpose_value(purpose: CodePurpose) -> &'static str {
    match purpose {
        CodePurpose::Reset => "reset",
        _ => "unlock",
    }
}

fn recovery_step2(
    csrf_token: &str,
    purpose: CodePurpose,
    id: &str,
    notice: Option<Markup>,
    errors: &[String],
) -> Markup {
    page(
        recovery_title(purpose),
        "/login",
        None,
        html! {
            @if let Some(notice) = notice { (notice) }
            (alerts(errors))
            form class="stack" method="post" action="/recovery/redeem" {
                (csrf(csrf_token))
                input type="hidden" name="purpose" value=(purpose_value(purpose));
                div {
                    label for="user_id" { "ユーザID" }
                    input type="text" id="user_id" name="user_id" value=(id) autocomplete="username" required maxlength="64" spellcheck="false" autocapitalize="none";
                }
                div {
                    label for="code" { "確認コード（6桁）" }
                    input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="6" pattern="[0-9]{6}";
                }
                @if purpose == CodePurpose::Reset {
                    div {
                        label for="new" { "新しいパスワード" span class="hint" { "8文字以上64文字以内。英小文字・英大文字・数字・記号のうち2種類以上" } }
                        input type="password" id="new" name="new" autocomplete="new-password" required maxlength="64";
                    }
                    div {
                        label for="again" { "新しいパスワード（確認）" }
                        input type="password" id="again" name="again" autocomplete="new-password" required maxlength="64";
                    }
                }
                div class="actions" {
                    button type="submit" { @if purpose == CodePurpose::Reset { "パスワードを再設定する" } @else { "ロックを解除する" } }
                }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct PurposeQuery {
    #[serde(default)]
    purpose: String,
}

pub async fn recovery_page(visitor: Visitor, Query(query): Query<PurposeQuery>) -> Markup {
    let purpose = recovery_purpose(&query.purpose).unwrap_or(CodePurpose::Unlock);
    recovery_step1(&visitor.csrf, purpose, &[])
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    user_id: String,
}

pub async fn recovery_request(
    State(state): State<PortalState>,
    visitor: Visitor,
    CheckedForm(form): CheckedForm<RequestForm>,
) -> Result<Response, PortalError> {
    let Some(purpose) = recovery_purpose(&form.purpose) else {
        return Err(PortalError::bad_request(
            "手続きの種類が正しくありません。ログイン画面からやり直してください。",
        ));
    };
    let id: String = form.user_id.trim().chars().take(64).collect();
    if id.is_empty() {
        return Ok((
            StatusCode::BAD_REQUEST,
            recovery_step1(
                &visitor.csrf,
                purpose,
                &["ユーザIDを入力してください。".into()],
            ),
        )
            .into_response());
    }
    if let Err(refused) = careplan_relay::access::portal::portal_id_kind(&id) {
        // The shape of an ID is no secret (HD… is refused with its reason, as at the login).
        let message = match PortalError::from(refused) {
            PortalError::Refused { message, .. } => message,
            _ => "ユーザIDの形が正しくありません。".into(),
        };
        return Ok((
            StatusCode::BAD_REQUEST,
            recovery_step1(&visitor.csrf, purpose, &[message]),
        )
            .into_response());
    }
    if let Some(login) = recovery_scope(&state.relay, &id).await? {
        let address = state
            .relay
            .store
            .security_mail(&login)
            .get()
            .await?
            .and_then(|row| row.confirmed_at.and(row.address));
        if let Some(address) = address {
            if let Some(code) = issue_code(&state, &login, purpose).await? {
                let body = mail_body(&login, purpose, &code, lifetime_minutes(&state));
                let mailer = state.mailer.clone();
                // Sent in the background: the answer takes as long whether or not an address is
                // registered, and says the same.
                tokio::spawn(async move {
                    if let Err(e) = mailer.send(&address, SUBJECT, &body).await {
                        tracing::warn!(error = %e.0, "recovery mail not sent");
                    }
                });
                audit(&state, &login, "recovery.code_sent").await?;
            }
        }
    }
    let notice = html! {
        div class="message info" role="status" {
            p { "入力されたIDにセキュリティメールが登録されていれば、確認コードを送りました。メールに書かれた6桁のコードを入力してください（有効期限は" (lifetime_minutes(&state)) "分です）。" }
        }
    };
    Ok(recovery_step2(&visitor.csrf, purpose, &id, Some(notice), &[]).into_response())
}

#[derive(Deserialize)]
pub struct RedeemForm {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

pub async fn recovery_redeem(
    State(state): State<PortalState>,
    visitor: Visitor,
    CheckedForm(form): CheckedForm<RedeemForm>,
) -> Result<Response, PortalError> {
    let Some(purpose) = recovery_purpose(&form.purpose) else {
        return Err(PortalError::bad_request(
            "手続きの種類が正しくありません。ログイン画面からやり直してください。",
        ));
    };
    let id: String = form.user_id.trim().chars().take(64).collect();
    let refuse = |message: String| {
        Ok::<_, PortalError>(
            (
                StatusCode::BAD_REQUEST,
                recovery_step2(&visitor.csrf, purpose, &id, None, &[message]),
            )
                .into_response(),
        )
    };
    // The new password is checked first: a typing mistake must not use the code up.
    let new = if purpose == CodePurpose::Reset {
        match new_password(&form.new, &form.again) {
            Ok(new) => Some(new),
            Err(message) => return refuse(message),
        }
    } else {
        None
    };
    let login = match recovery_scope(&state.relay, &id).await? {
        Some(login) if code_shaped(&form.code) => login,
        _ => return refuse(CODE_REFUSED.into()),
    };
    let check = state
        .relay
        .store
        .security_mail(&login)
        .take_code(
            purpose,
            &code_hash(&login, purpose, &form.code),
            now_ms(),
            state.config.code_max_failures,
        )
        .await?;
    if check == CodeCheck::Refused {
        return refuse(CODE_REFUSED.into());
    }
    let store = &state.relay.store;
    store
        .offices()
        .reset_failures(login.kind(), login.id())
        .await?;
    let message = match new {
        Some(new) => {
            let hash = hash_password(&new).await?;
            login.set_password_hash(store, &hash).await?;
            store
                .portal_sessions()
                .delete_for_user(kind_text(login.kind()), login.id())
                .await?;
            audit(&state, &login, "recovery.password_reset").await?;
            "パスワードを再設定しました。新しいパスワードでログインしてください。"
        }
        None => {
            audit(&state, &login, "recovery.unlock").await?;
            "IDのロックを解除しました。正しいパスワードでログインしてください。"
        }
    };
    Ok(page(
        recovery_title(purpose),
        "/login",
        None,
        html! {
            (done(message))
            p { a class="button" href="/login" { "ログインへ" } }
        },
    )
    .into_response())
}
