//! The office's staff IDs (個人ユーザID, `c…`), as its administrator manages them on 利用状況TOP:
//! issued with a name and a role, the password shown once (never stored in clear), reset, locked
//! (利用停止) or deleted when someone leaves. From its first 個人ユーザID on (which must be a 管理者),
//! an office always keeps at least one active 管理者 among them: the last one cannot be stopped,
//! deleted or made 一般.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use careplan_relay::access::PortalSession;
use careplan_relay::auth::hash_password;
use careplan_relay::clock::now_ms;
use careplan_relay::store::{AuditEntry, StaffChange, StaffRole};
use maud::{html, Markup};
use serde::Deserialize;

use crate::home::top_page;
use crate::layout::{alert, csrf, done, page};
use crate::web::{required, Admin, CheckedForm, PortalError};
use crate::PortalState;

/// The longest 氏名.
pub const MAX_NAME_CHARS: usize = 50;

/// A new ID of the office: `c`, the 事業所番号 and four letters or digits without look-alikes.
fn new_staff_id(office: &str) -> String {
    use rand::seq::IndexedRandom;
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut rng = rand::rng();
    let tail: String = (0..4)
        .map(|_| char::from(*ALPHABET.choose(&mut rng).expect("non-empty")))
        .collect();
    format!("c{office}{tail}")
}

/// The box that shows an ID and its password, once.
fn credentials_box(id: &str, password: &str, what: &str) -> Markup {
    html! {
        div class="message done" role="status" {
            p { (what) }
            dl class="facts" {
                dt { "個人ユーザID" } dd { span class="secret" { (id) } }
                dt { "パスワード" } dd { span class="secret" { (password) } }
            }
            p { "このパスワードはこの画面でしか表示されません。本人に確実に伝えてください（このサイトには保存されません）。" }
        }
    }
}

async fn audit(
    state: &PortalState,
    session: &PortalSession,
    action: &str,
    detail: &str,
) -> Result<(), PortalError> {
    state
        .relay
        .store
        .audit()
        .write(&AuditEntry {
            at: now_ms(),
            office: Some(session.office().number()),
            actor: session.login().id(),
            action,
            detail,
        })
        .await?;
    Ok(())
}

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

async fn refused_on_top(
    state: &PortalState,
    session: &PortalSession,
    status: StatusCode,
    message: &str,
) -> Result<Response, PortalError> {
    Ok((
        status,
        top_page(state, session, Some(alert(message))).await?,
    )
        .into_response())
}

pub async fn issue(
    State(state): State<PortalState>,
    Admin(session): Admin,
    CheckedForm(form): CheckedForm<IssueForm>,
) -> Result<Response, PortalError> {
    let store = &state.relay.store;
    if !crate::joining::joined(store, session.office()).await? {
        return refused_on_top(
            &state,
            &session,
            StatusCode::CONFLICT,
            "個人ユーザIDは、利用申請をしてから発行できます。",
        )
        .await;
    }
    let name = match required(&form.name, "氏名", MAX_NAME_CHARS) {
        Ok(name) => name,
        Err(message) => {
            return refused_on_top(&state, &session, StatusCode::BAD_REQUEST, &message).await
        }
    };
    let Some(role) = StaffRole::parse(&form.role) else {
        return refused_on_top(
            &state,
            &session,
            StatusCode::BAD_REQUEST,
            "権限は「管理者」か「一般」を選んでください。",
        )
        .await;
    };
    let staff = store.staff(session.office());
    if role == StaffRole::General && staff.active_admins().await? == 0 {
        return refused_on_top(
            &state,
            &session,
            StatusCode::CONFLICT,
            "事業所には「管理者」の個人ユーザIDが最低1つ必要です。最初に発行するIDは「管理者」にしてください。",
        )
        .await;
    }
    let password = careplan_relay::pki::random_password();
    let hash = hash_password(&password).await?;
    let mut id = new_staff_id(session.office().number());
    let mut tries = 0;
    while !staff.issue(&id, &name, role, &hash, now_ms()).await? {
        tries += 1;
        if tries > 10 {
            return Err(PortalError::Internal("no free personal ID".into()));
        }
        id = new_staff_id(session.office().number());
    }
    audit(&state, &session, "staff.issue", &id).await?;
    let shown = credentials_box(
        &id,
        &password,
        &format!(
            "{name}さんの個人ユーザID（{}）を発行しました。",
            role.label()
        ),
    );
    Ok((
        StatusCode::CREATED,
        top_page(&state, &session, Some(shown)).await?,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    action: String,
}

fn not_found() -> &'static str {
    "指定された個人ユーザIDは、この事業所にありません。一覧を開き直してください。"
}

fn last_admin() -> &'static str {
    "事業所には、利用中の「管理者」の個人ユーザIDが最低1つ必要です。先にほかのIDを管理者にしてください。"
}

fn confirm_delete(session: &PortalSession, id: &str) -> Markup {
    page(
        "個人ユーザIDの削除",
        "/home",
        Some(session),
        html! {
            p { "個人ユーザID " strong { (id) } " を削除します。削除したIDではログインできなくなり、元に戻せません（送信一覧の送信者の記録は残ります）。" }
            div class="actions" {
                form method="post" action="/staff/action" class="inline" {
                    (csrf(session.csrf_token()))
                    input type="hidden" name="id" value=(id);
                    input type="hidden" name="action" value="delete-confirmed";
                    button type="submit" class="danger" { "削除する" }
                }
                a href="/home" { "やめる" }
            }
        },
    )
}

pub async fn action(
    State(state): State<PortalState>,
    Admin(session): Admin,
    CheckedForm(form): CheckedForm<ActionForm>,
) -> Result<Response, PortalError> {
    let store = &state.relay.store;
    let staff = store.staff(session.office());
    let id = form.id.trim();
    if id.chars().count() > 64 || staff.get(id).await?.is_none() {
        return refused_on_top(&state, &session, StatusCode::NOT_FOUND, not_found()).await;
    }
    let change = match form.action.as_str() {
        "reset" => {
            let password = careplan_relay::pki::random_password();
            let hash = hash_password(&password).await?;
            if !staff.set_password(id, &hash).await? {
                return refused_on_top(&state, &session, StatusCode::NOT_FOUND, not_found()).await;
            }
            store
                .portal_sessions()
                .delete_for_user("personal", id)
                .await?;
            audit(&state, &session, "staff.reset", id).await?;
            let shown = credentials_box(id, &password, "パスワードを再発行しました。");
            return Ok(top_page(&state, &session, Some(shown))
                .await?
                .into_response());
        }
        "unlock" => {
            staff.clear_lock(id).await?;
            audit(&state, &session, "staff.unlock", id).await?;
            return Ok(top_page(
                &state,
                &session,
                Some(done(&format!("{id} のロックを解除しました。"))),
            )
            .await?
            .into_response());
        }
        "delete" => return Ok(confirm_delete(&session, id).into_response()),
        "disable" => (
            staff.set_disabled(id, Some(now_ms())).await?,
            "staff.disable",
            "を利用停止にしました。",
        ),
        "enable" => (
            staff.set_disabled(id, None).await?,
            "staff.enable",
            "の利用を再開しました。",
        ),
        "admin" => (
            staff.set_role(id, StaffRole::Admin).await?,
            "staff.role",
            "を管理者にしました。",
        ),
        "general" => (
            staff.set_role(id, StaffRole::General).await?,
            "staff.role",
            "を一般にしました。",
        ),
        "delete-confirmed" => (
            staff.delete(id, now_ms()).await?,
            "staff.delete",
            "を削除しました。",
        ),
        _ => {
            return refused_on_top(
                &state,
                &session,
                StatusCode::BAD_REQUEST,
                "この操作はできません。画面を開き直してください。",
            )
            .await
        }
    };
    match change {
        (StaffChange::Done, action, said) => {
            if matches!(action, "staff.disable" | "staff.delete") {
                // A stopped or deleted ID's sessions end now, in the portal and in the client.
                store
                    .portal_sessions()
                    .delete_for_user("personal", id)
                    .await?;
                store.sessions().delete_for_person(id).await?;
            }
            audit(&state, &session, action, id).await?;
            Ok(
                top_page(&state, &session, Some(done(&format!("{id} {said}"))))
                    .await?
                    .into_response(),
            )
        }
        (StaffChange::NotFound, ..) => {
            refused_on_top(&state, &session, StatusCode::NOT_FOUND, not_found()).await
        }
        (StaffChange::LastAdmin, ..) => {
            refused_on_top(&state, &session, StatusCode::CONFLICT, last_admin()).await
        }
    }
}
