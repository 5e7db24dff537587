//! The portal's front page (public) and 利用状況TOP: the office, whether it has applied
//! (「利用申請可能です」), its licence, and its 個人ユーザID.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use careplan_relay::access::PortalSession;
use careplan_relay::store::StaffRow;
use maud::{html, Markup};

use crate::layout::{date_text, datetime, page, table_region};
use crate::web::{LoggedIn, PortalError, Visitor};
use crate::PortalState;

pub async fn landing(visitor: Visitor) -> Markup {
    page(
        "ようこそ",
        "/",
        visitor.session.as_ref(),
        html! {
            p { "ケアプランデータ連携システムの利用申請と、ライセンス・個人ユーザID・電子証明書・セキュリティメールの管理ができます。" }
            div class="cards" {
                section class="card" aria-labelledby="card-login" {
                    h2 id="card-login" { "利用申請・利用状況" }
                    p { "事業所ユーザID（KJ…）でログインして、利用申請や個人ユーザIDの発行をします。" }
                    @if visitor.session.is_some() {
                        a class="button" href="/home" { "利用状況TOPへ" }
                    } @else {
                        a class="button" href="/login" { "ログイン" }
                    }
                }
                section class="card" aria-labelledby="card-directory" {
                    h2 id="card-directory" { "利用事業所検索" }
                    p { "このシステムを使っている事業所を、地域・名前・サービス種類で探せます。ログインは不要です。" }
                    a class="button" href="/directory" { "事業所を探す" }
                }
                section class="card" aria-labelledby="card-simulation" {
                    h2 id="card-simulation" { "かんたんシミュレーション" }
                    p { "5つの数値を入れるだけで、導入による費用と時間の削減を試算します。" }
                    a class="button" href="/simulation" { "試算する" }
                }
            }
            h2 { "利用開始までの流れ" }
            ol class="steps" {
                li { "電子請求受付システムの「KJ」で始まる事業所ユーザIDとパスワード、証明書発行用パスワードを確認します（「電子請求登録結果に関するお知らせ」に記載があります）。" }
                li { "このサイトにログインし、仮パスワードなら新しいパスワードに変更します。" }
                li { "「利用申請可能です」から申請し、利用規約を最後まで読んで同意すると、ライセンスが付与されます。" }
                li { "利用状況TOPで、職員ごとに「c」で始まる個人ユーザIDを発行します。" }
                li { "電子証明書を申請してPCに取り込み（またはクライアントアプリの設定画面から申請し）、クライアントアプリに個人ユーザIDと事業所ユーザIDでログインします。" }
            }
        },
    )
}

/// 利用状況TOP.
pub async fn top(
    State(state): State<PortalState>,
    LoggedIn(session): LoggedIn,
) -> Result<Response, PortalError> {
    Ok(top_page(&state, &session, None).await?.into_response())
}

/// 利用状況TOP with the result of an action above its contents.
pub async fn top_page(
    state: &PortalState,
    session: &PortalSession,
    result: Option<Markup>,
) -> Result<Markup, PortalError> {
    let store = &state.relay.store;
    let office = store
        .offices()
        .get(session.office().number())
        .await?
        .ok_or_else(|| PortalError::Internal("session of an unknown office".into()))?;
    careplan_relay::licensing::renew_due(store, careplan_relay::licensing::today()).await?;
    let joined = crate::joining::joined(store, session.office()).await?;
    let licence = store.licences().of_office(&office.number).await?;
    let staff = store.staff(session.office()).list().await?;
    let first_is_admin = store.staff(session.office()).active_admins().await? == 0;
    let admin = session.role.is_administrator();
    let kinds: Vec<String> = office
        .service_kinds
        .iter()
        .map(|k| match careplan_spec::numbers::service_kind(k) {
            Some((_, name)) => format!("{k} {name}"),
            None => k.clone(),
        })
        .collect();
    Ok(page(
        "利用状況TOP",
        "/home",
        Some(session),
        html! {
            @if let Some(result) = result { (result) }
            h2 { "事業所" }
            dl class="facts" {
                dt { "事業所番号" } dd { (office.number) }
                dt { "事業所名" } dd { (office.name) }
                dt { "サービス種類" } dd { (kinds.join("、")) }
                dt { "所在地" } dd { (office.prefecture) " " (office.city) }
            }
            @if !joined {
                div class="message info" role="status" {
                    p class="big" { "利用申請可能です。" }
                    @if admin {
                        p { "「申請」を押して利用規約をお読みください。同意するとライセンスが付与され、個人ユーザIDを発行できるようになります。" }
                        p { a class="button" href="/apply" { "申請" } }
                    } @else {
                        p { "利用申請は、事業所の管理者（事業所ユーザID）が行います。" }
                    }
                }
            } @else if let Some(licence) = &licence {
                h2 { "ライセンス" }
                dl class="facts" {
                    dt { "有効期間" }
                    dd { (date_text(&licence.starts_on)) " ～ " (date_text(&licence.expires_on)) }
                    dt { "状態" }
                    dd {
                        @if licence.expires_on >= careplan_relay::licensing::today().to_string() {
                            span class="status-on" { "有効" }
                        } @else {
                            span class="status-off" { "期限切れ" }
                        }
                    }
                }
                p { a href="/licence" { "ライセンスの詳細・支払い状況・更新" } }
            }
            @if joined {
                h2 { "個人ユーザID" }
                p { "クライアントアプリの1段階目のログインに使う、「c」で始まる職員ごとのIDです。パスワードは発行・再発行のときに一度だけ表示されます（このサイトには保存されません）。" }
                (staff_table(session, &staff))
                @if admin {
                    h3 { "個人ユーザIDを発行する" }
                    form class="stack" method="post" action="/staff" {
                        (crate::layout::csrf(session.csrf_token()))
                        div {
                            label for="staff-name" { "氏名" span class="hint" { "50文字以内" } }
                            input type="text" id="staff-name" name="name" required maxlength="50" autocomplete="off";
                        }
                        fieldset {
                            legend { "権限" }
                            label { input type="radio" name="role" value="general" checked[!first_is_admin]; "一般（自分のIDのみ管理）" }
                            label { input type="radio" name="role" value="admin" checked[first_is_admin]; "管理者（IDの発行・停止・削除ができる）" }
                        }
                        div class="actions" { button type="submit" { "発行する" } }
                    }
                }
            }
        },
    ))
}

fn status_of(row: &StaffRow) -> &'static str {
    let now = careplan_relay::clock::now_ms();
    if row.disabled_at.is_some() {
        "利用停止"
    } else if row.locked_until.is_some_and(|until| until > now) {
        "ロック中"
    } else {
        "利用中"
    }
}

fn staff_table(session: &PortalSession, staff: &[StaffRow]) -> Markup {
    let admin = session.role.is_administrator();
    let now = careplan_relay::clock::now_ms();
    table_region(
        "個人ユーザIDの一覧",
        html! {
            table {
                caption { "個人ユーザID（" (staff.len()) "件）" }
                thead {
                    tr {
                        th scope="col" { "個人ユーザID" }
                        th scope="col" { "氏名" }
                        th scope="col" { "権限" }
                        th scope="col" { "状態" }
                        th scope="col" { "最終ログイン（端末）" }
                        @if admin { th scope="col" { "操作" } }
                    }
                }
                tbody {
                    @if staff.is_empty() {
                        tr { td colspan=(if admin { 6 } else { 5 }) { "まだ発行されていません。" } }
                    }
                    @for row in staff {
                        tr {
                            th scope="row" { (row.id) }
                            td { @if row.name.is_empty() { "（未設定）" } @else { (row.name) } }
                            td { (row.role.label()) }
                            td { (status_of(row)) }
                            td {
                                @match (row.last_login_at, &row.last_login_terminal) {
                                    (Some(at), Some(terminal)) => { (datetime(at)) "（" (terminal) "）" }
                                    (Some(at), None) => { (datetime(at)) }
                                    _ => { "―" }
                                }
                            }
                            @if admin {
                                td {
                                    div class="actions" {
                                        (action_button(session, &row.id, "reset", "パスワード再発行", "secondary"))
                                        @if row.disabled_at.is_some() {
                                            (action_button(session, &row.id, "enable", "利用再開", "secondary"))
                                        } @else {
                                            (action_button(session, &row.id, "disable", "利用停止", "secondary"))
                                        }
                                        @if row.locked_until.is_some_and(|until| until > now) {
                                            (action_button(session, &row.id, "unlock", "ロック解除", "secondary"))
                                        }
                                        @match row.role {
                                            careplan_relay::store::StaffRole::Admin => (action_button(session, &row.id, "general", "一般にする", "secondary")),
                                            careplan_relay::store::StaffRole::General => (action_button(session, &row.id, "admin", "管理者にする", "secondary")),
                                        }
                                        (action_button(session, &row.id, "delete", "削除", "danger"))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn action_button(
    session: &PortalSession,
    id: &str,
    action: &str,
    label: &str,
    class: &str,
) -> Markup {
    html! {
        form method="post" action="/staff/action" class="inline" {
            (crate::layout::csrf(session.csrf_token()))
            input type="hidden" name="id" value=(id);
            input type="hidden" name="action" value=(action);
            button type="submit" class=(class) aria-label=(format!("{id} を{label}")) { (label) }
        }
    }
}
