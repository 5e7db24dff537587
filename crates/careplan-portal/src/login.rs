//! ログイン (事業所ユーザID `KJ…` or 個人ユーザID `c…`), ログアウト and パスワード変更; a temporary
//! password (office-import) must be changed before anything else.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use careplan_relay::access::portal::{check_login_password, portal_login};
use careplan_relay::access::PortalSession;
use careplan_relay::auth::hash_password;
use careplan_relay::clock::now_ms;
use careplan_relay::store::AuditEntry;
use maud::{html, Markup};
use serde::Deserialize;

use crate::layout::{alert, alerts, csrf, page};
use crate::web::{
    new_password, with_cookie, AnyLoggedIn, CheckedForm, PortalError, Visitor, SESSION_COOKIE,
};
use crate::PortalState;

fn login_form(csrf_token: &str, id: &str, error: Option<&str>) -> Markup {
    page(
        "ログイン",
        "/login",
        None,
        html! {
            @if let Some(error) = error { (alert(error)) }
            p { "電子請求受付システムの「KJ」で始まる事業所ユーザID（14文字）と、そのパスワードでログインします。事業所で発行された「c」で始まる個人ユーザIDでもログインできます。" }
            form class="stack" method="post" action="/login" {
                (csrf(csrf_token))
                div {
                    label for="user_id" { "ユーザID" span class="hint" { "例: KJ137000001801" } }
                    input type="text" id="user_id" name="user_id" value=(id) autocomplete="username" required maxlength="64" spellcheck="false" autocapitalize="none";
                }
                div {
                    label for="password" { "パスワード" }
                    input type="password" id="password" name="password" autocomplete="current-password" required maxlength="128";
                }
                div class="actions" { button type="submit" { "ログイン" } }
            }
            h2 { "ログインできないとき" }
            ul {
                li { a href="/recovery?purpose=unlock" { "IDのロックを解除する（セキュリティメールに確認コードを送ります）" } }
                li { a href="/recovery?purpose=reset" { "パスワードを忘れた（セキュリティメールに確認コードを送ります）" } }
            }
            p { "「HD」で始まるIDは代理請求用のため使えません。IDやパスワードが分からないときは、事業所の所在地の国保連合会にお問い合わせください。" }
        },
    )
}

pub async fn login_page(visitor: Visitor) -> Response {
    if visitor.session.is_some() {
        return Redirect::to("/home").into_response();
    }
    login_form(&visitor.csrf, "", None).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(state): State<PortalState>,
    visitor: Visitor,
    CheckedForm(form): CheckedForm<LoginForm>,
) -> Result<Response, PortalError> {
    let id: String = form.user_id.trim().chars().take(64).collect();
    if id.is_empty() || form.password.is_empty() || form.password.chars().count() > 128 {
        return Ok((
            StatusCode::BAD_REQUEST,
            login_form(
                &visitor.csrf,
                &id,
                Some("ユーザIDとパスワードを入力してください（パスワードは128文字まで）。"),
            ),
        )
            .into_response());
    }
    match portal_login(&state.relay, &id, &form.password, state.config.sessions).await {
        Ok((token, session)) => {
            let next = if session.must_change_password {
                "/password"
            } else {
                "/home"
            };
            Ok(with_cookie(
                Redirect::to(next),
                SESSION_COOKIE,
                Some(&token),
            ))
        }
        Err(careplan_relay::error::RelayError::Api {
            status, message, ..
        }) => Ok((status, login_form(&visitor.csrf, &id, Some(&message))).into_response()),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<PortalState>,
    AnyLoggedIn(session): AnyLoggedIn,
    CheckedForm(_): CheckedForm<Empty>,
) -> Result<Response, PortalError> {
    session.end(&state.relay).await?;
    Ok(with_cookie(Redirect::to("/login"), SESSION_COOKIE, None))
}

fn password_form(session: &PortalSession, errors: &[String]) -> Markup {
    page(
        "パスワード変更",
        "/password",
        Some(session),
        html! {
            @if session.must_change_password {
                div class="message info" role="status" {
                    p { "お使いのパスワードは仮パスワードです。利用を始める前に、新しいパスワードに変更してください。" }
                }
            }
            (alerts(errors))
            form class="stack" method="post" action="/password" {
                (csrf(session.csrf_token()))
                input type="text" name="username" value=(session.login().id()) autocomplete="username" hidden;
                div {
                    label for="current" { "現在のパスワード" }
                    input type="password" id="current" name="current" autocomplete="current-password" required maxlength="128";
                }
                div {
                    label for="new" { "新しいパスワード" span class="hint" { "8文字以上64文字以内。英小文字・英大文字・数字・記号のうち2種類以上" } }
                    input type="password" id="new" name="new" autocomplete="new-password" required maxlength="64";
                }
                div {
                    label for="again" { "新しいパスワード（確認）" }
                    input type="password" id="again" name="again" autocomplete="new-password" required maxlength="64";
                }
                div class="actions" { button type="submit" { "パスワードを変更する" } }
            }
        },
    )
}

pub async fn password_page(AnyLoggedIn(session): AnyLoggedIn) -> Markup {
    password_form(&session, &[])
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

pub async fn change_password(
    State(state): State<PortalState>,
    AnyLoggedIn(session): AnyLoggedIn,
    CheckedForm(form): CheckedForm<PasswordForm>,
) -> Result<Response, PortalError> {
    let refuse = |status: StatusCode, message: String| {
        Ok((status, password_form(&session, &[message])).into_response())
    };
    let new = match new_password(&form.new, &form.again) {
        Ok(new) => new,
        Err(message) => return refuse(StatusCode::BAD_REQUEST, message),
    };
    if new == form.current {
        return refuse(
            StatusCode::BAD_REQUEST,
            "新しいパスワードは、現在のパスワードと違うものにしてください。".into(),
        );
    }
    let login = session.login();
    if let Err(e) = check_login_password(
        &state.relay,
        login.kind(),
        login.id(),
        &form.current,
        "portal.password",
    )
    .await
    {
        return match PortalError::from(e) {
            PortalError::Refused { status, .. } if status == StatusCode::UNAUTHORIZED => refuse(
                status,
                "現在のパスワードが違います。入力し直してください。".into(),
            ),
            PortalError::Refused { status, message } => refuse(status, message),
            other => Err(other),
        };
    }
    let hash = hash_password(&new).await?;
    let store = &state.relay.store;
    login.set_password_hash(store, &hash).await?;
    store
        .audit()
        .write(&AuditEntry {
            at: now_ms(),
            office: Some(session.office().number()),
            actor: login.id(),
            action: "portal.password.change",
            detail: "",
        })
        .await?;
    // Every session of the ID ends with its old password; this one goes on as a new session.
    store
        .portal_sessions()
        .delete_for_user(&session.row.id_kind, login.id())
        .await?;
    let (token, _) = portal_login(&state.relay, login.id(), &new, state.config.sessions).await?;
    Ok(with_cookie(
        (
            StatusCode::OK,
            page(
                "パスワードを変更しました",
                "/password",
                None,
                html! {
                    (crate::layout::done("パスワードを変更しました。次回から新しいパスワードでログインしてください。"))
                    p { a class="button" href="/home" { "利用状況TOPへ" } }
                },
            ),
        ),
        SESSION_COOKIE,
        Some(&token),
    ))
}
