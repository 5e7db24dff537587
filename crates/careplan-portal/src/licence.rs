//! ライセンス (seed 004 Q3: the licence, its state and payment are seen here after joining): the
//! period, state, fee, フリーパス, payment method and status, renewal (automatic for licences granted
//! under the フリーパス while the operator has it so; otherwise from 60 days before the end), and the
//! history of every period.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use careplan_relay::access::PortalSession;
use careplan_relay::clock::now_ms;
use careplan_relay::licensing::{charged_yen, licence_from, next_start, today, FreePass};
use careplan_relay::store::{AuditEntry, GrantReason, LicenceRow, PaymentMethod};
use maud::{html, Markup};
use serde::Deserialize;
use time::Duration;

use crate::layout::{alert, csrf, date_text, datetime, done, page, table_region, yen};
use crate::web::{Admin, CheckedForm, LoggedIn, PortalError};
use crate::PortalState;

/// How long before its end a licence can be renewed.
pub const RENEWAL_DAYS_BEFORE: i64 = 60;

fn payment_status(text: &str) -> &'static str {
    match text {
        "paid" => "支払済",
        "waived" => "免除（フリーパス）",
        _ => "未払い",
    }
}

/// Whether the licence can be renewed today by the office (not one the フリーパス renews by itself).
fn renewable(licence: &LicenceRow, free_pass: &FreePass) -> bool {
    if licence.free_pass && free_pass.auto_renew {
        return false;
    }
    match careplan_relay::admin::parse_date(&licence.expires_on) {
        Ok(expires) => today() >= expires - Duration::days(RENEWAL_DAYS_BEFORE),
        Err(_) => false,
    }
}

pub async fn licence_page(
    State(state): State<PortalState>,
    LoggedIn(session): LoggedIn,
) -> Result<Response, PortalError> {
    Ok(licence_view(&state, &session, None).await?.into_response())
}

/// The licence page, with the result of an action above it.
pub async fn licence_view(
    state: &PortalState,
    session: &PortalSession,
    result: Option<Markup>,
) -> Result<Markup, PortalError> {
    let store = &state.relay.store;
    let today = today();
    careplan_relay::licensing::renew_due(store, today).await?;
    let licence = store
        .licences()
        .of_office(session.office().number())
        .await?;
    let application = store.applications(session.office()).get().await?;
    let history = store.applications(session.office()).history().await?;
    let free_pass = FreePass::read(store).await?;
    let method = application
        .as_ref()
        .and_then(|a| PaymentMethod::parse(&a.payment_method))
        .unwrap_or(PaymentMethod::Deduction);
    let admin = session.role.is_administrator();
    Ok(page(
        "ライセンス",
        "/licence",
        Some(session),
        html! {
            @if let Some(result) = result { (result) }
            @match &licence {
                None => {
                    p { "この事業所にはまだライセンスがありません。" }
                    @if admin { p { a class="button" href="/apply" { "利用申請へ" } } }
                }
                Some(licence) => {
                    @let expires = careplan_relay::admin::parse_date(&licence.expires_on).ok();
                    @let active = expires.is_some_and(|e| e >= today);
                    dl class="facts" {
                        dt { "有効期間" }
                        dd { (date_text(&licence.starts_on)) " ～ " (date_text(&licence.expires_on)) }
                        dt { "状態" }
                        dd {
                            @if active {
                                span class="status-on" { "有効" }
                                @if let Some(e) = expires { "（残り" ((e - today).whole_days() + 1) "日）" }
                            } @else {
                                span class="status-off" { "期限切れ" }
                            }
                        }
                        dt { "ライセンス料（年額・税込）" }
                        dd {
                            (yen(charged_yen(licence)))
                            @if licence.free_pass { "（フリーパス適用。通常 " (yen(licence.fee_yen)) "）" }
                        }
                        dt { "フリーパス" } dd { @if licence.free_pass { "適用" } @else { "なし" } }
                        dt { "支払方法" } dd { (method.label()) }
                        dt { "支払い状況" } dd { (payment_status(&licence.payment)) }
                        dt { "更新" }
                        dd {
                            @if licence.free_pass && free_pass.auto_renew {
                                "フリーパスの期間中は、有効期限の翌日から1年間、自動で更新されます。"
                            } @else {
                                "有効期限の" (RENEWAL_DAYS_BEFORE) "日前から、この画面で更新できます。"
                            }
                        }
                    }
                    @if admin && renewable(licence, &free_pass) {
                        form method="post" action="/licence/renew" class="stack" {
                            (csrf(session.csrf_token()))
                            p { "次の1年間（" (date_text(&next_start(licence, today).map(|d| d.to_string()).unwrap_or_default())) "から）のライセンスに更新します。" }
                            div class="actions" { button type="submit" { "ライセンスを更新する" } }
                        }
                    }
                    @if admin && application.is_some() {
                        h2 { "支払方法の変更" }
                        form method="post" action="/licence/payment" class="stack" {
                            (csrf(session.csrf_token()))
                            fieldset {
                                legend { "次回からの支払方法" }
                                label { input type="radio" name="payment" value="deduction" checked[method == PaymentMethod::Deduction]; (PaymentMethod::Deduction.label()) }
                                label { input type="radio" name="payment" value="invoice" checked[method == PaymentMethod::Invoice]; (PaymentMethod::Invoice.label()) }
                            }
                            p class="hint" { "請求書での支払いを選んだときは、事業所の所在地の国保連合会にも連絡してください。" }
                            div class="actions" { button type="submit" class="secondary" { "支払方法を変更する" } }
                        }
                    }
                }
            }
            h2 { "履歴" }
            (table_region("ライセンスの履歴", html! {
                table {
                    caption { "ライセンスの履歴（新しい順）" }
                    thead { tr {
                        th scope="col" { "有効期間" }
                        th scope="col" { "理由" }
                        th scope="col" class="number" { "ライセンス料" }
                        th scope="col" { "支払い状況" }
                        th scope="col" { "付与日時" }
                    } }
                    tbody {
                        @if history.is_empty() { tr { td colspan="5" { "まだありません。" } } }
                        @for period in &history {
                            tr {
                                td { (date_text(&period.starts_on)) " ～ " (date_text(&period.expires_on)) }
                                td { (GrantReason::label_of(&period.reason)) }
                                td class="number" { (yen(if period.free_pass != 0 { 0 } else { period.fee_yen })) }
                                td { (payment_status(&period.payment)) }
                                td { (datetime(period.granted_at)) }
                            }
                        }
                    }
                }
            }))
        },
    ))
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn renew(
    State(state): State<PortalState>,
    Admin(session): Admin,
    CheckedForm(_): CheckedForm<Empty>,
) -> Result<Response, PortalError> {
    let store = &state.relay.store;
    let free_pass = FreePass::read(store).await?;
    let Some(current) = store
        .licences()
        .of_office(session.office().number())
        .await?
    else {
        return Ok((
            StatusCode::CONFLICT,
            licence_view(
                &state,
                &session,
                Some(alert(
                    "更新するライセンスがありません。先に利用申請をしてください。",
                )),
            )
            .await?,
        )
            .into_response());
    };
    if !renewable(&current, &free_pass) {
        let message = if current.free_pass && free_pass.auto_renew {
            "このライセンスはフリーパスにより自動で更新されるため、更新の手続きは不要です。"
                .to_owned()
        } else {
            format!("ライセンスは有効期限の{RENEWAL_DAYS_BEFORE}日前から更新できます。")
        };
        return Ok((
            StatusCode::CONFLICT,
            licence_view(&state, &session, Some(alert(&message))).await?,
        )
            .into_response());
    }
    let starts = next_start(&current, today())?;
    let licence = licence_from(
        session.office().number(),
        starts,
        free_pass.applies_on(starts),
        false,
    );
    store
        .licences()
        .grant(&licence, GrantReason::Renewal, now_ms())
        .await?;
    store
        .audit()
        .write(&AuditEntry {
            at: now_ms(),
            office: Some(session.office().number()),
            actor: session.login().id(),
            action: "portal.licence.renew",
            detail: &licence.expires_on,
        })
        .await?;
    let message = format!(
        "ライセンスを更新しました（{} ～ {}）。",
        date_text(&licence.starts_on),
        date_text(&licence.expires_on)
    );
    Ok(licence_view(&state, &session, Some(done(&message)))
        .await?
        .into_response())
}

#[derive(Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    payment: String,
}

pub async fn payment_method(
    State(state): State<PortalState>,
    Admin(session): Admin,
    CheckedForm(form): CheckedForm<PaymentForm>,
) -> Result<Response, PortalError> {
    let Some(method) = PaymentMethod::parse(&form.payment) else {
        return Ok((
            StatusCode::BAD_REQUEST,
            licence_view(&state, &session, Some(alert("支払方法を選んでください。"))).await?,
        )
            .into_response());
    };
    let store = &state.relay.store;
    if !store
        .applications(session.office())
        .set_payment_method(method)
        .await?
    {
        return Ok((
            StatusCode::CONFLICT,
            licence_view(
                &state,
                &session,
                Some(alert("利用申請をした事業所だけが支払方法を変更できます。")),
            )
            .await?,
        )
            .into_response());
    }
    store
        .audit()
        .write(&AuditEntry {
            at: now_ms(),
            office: Some(session.office().number()),
            actor: session.login().id(),
            action: "portal.licence.payment",
            detail: method.as_str(),
        })
        .await?;
    Ok(licence_view(
        &state,
        &session,
        Some(done(&format!(
            "支払方法を「{}」に変更しました。",
            method.label()
        ))),
    )
    .await?
    .into_response())
}
