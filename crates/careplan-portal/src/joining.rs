//! 利用申請 (seed 002 §3-1, seed 004 step 5): 「利用申請可能です」 → 申請 → the 利用規約, whose 同意
//! button sits at its very end (it comes into view only once the terms are scrolled through), with
//! the payment method (給付費からの差引 by default, or 請求書) → a licence for one year from today,
//! ¥21,000 or ¥0 under the operator's フリーパス. An office applies once: a second application is
//! refused and changes nothing.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use careplan_relay::access::{OfficeScope, PortalSession};
use careplan_relay::clock::now_ms;
use careplan_relay::licensing::{licence_from, today, FreePass, YEARLY_FEE_YEN};
use careplan_relay::store::{PaymentMethod, Store};
use maud::{html, Markup};
use serde::Deserialize;

use crate::layout::{alert, csrf, page, paragraphs, yen};
use crate::web::{Admin, CheckedForm, PortalError};
use crate::PortalState;

/// The built-in 利用規約 (version 0), until the operator publishes one (`careplan-relay terms-set`).
pub const BUILT_IN_TERMS: &str = include_str!("../assets/terms.txt");

/// The 利用規約 in force: (version, text).
pub async fn terms(store: &Store) -> Result<(i64, String), PortalError> {
    Ok(match store.portal_settings().terms().await? {
        Some(terms) => (terms.version, terms.body),
        None => (0, BUILT_IN_TERMS.to_owned()),
    })
}

/// Whether the office has joined: it applied here, or the operator granted it a licence.
pub async fn joined(store: &Store, office: &OfficeScope) -> Result<bool, PortalError> {
    Ok(store.applications(office).get().await?.is_some()
        || store.licences().of_office(office.number()).await?.is_some())
}

fn already_joined() -> &'static str {
    "この事業所は既に利用申請済みです（ライセンスは1事業所番号に1つです）。有効期限や更新は「ライセンス」の画面でご確認ください。"
}

async fn apply_form(
    state: &PortalState,
    session: &PortalSession,
    error: Option<&str>,
) -> Result<Markup, PortalError> {
    let (version, text) = terms(&state.relay.store).await?;
    let free_pass = FreePass::read(&state.relay.store).await?;
    let free = free_pass.applies_on(today());
    Ok(page(
        "利用申請",
        "/home",
        Some(session),
        html! {
            @if let Some(error) = error { (alert(error)) }
            p class="big" { "利用申請可能です。" }
            dl class="facts" {
                dt { "ライセンスの有効期間" } dd { "申請日から1年間" }
                dt { "ライセンス料（年額・税込）" }
                dd {
                    @if free {
                        (yen(0)) "（フリーパス適用。通常 " (yen(YEARLY_FEE_YEN)) "）"
                    } @else {
                        (yen(YEARLY_FEE_YEN))
                    }
                }
            }
            form method="post" action="/apply" {
                (csrf(session.csrf_token()))
                input type="hidden" name="terms_version" value=(version);
                fieldset {
                    legend { "ライセンス料の支払方法" }
                    label { input type="radio" name="payment" value="deduction" checked; "給付費からの差引（国保連が支払う介護給付費から差し引きます）" }
                    label { input type="radio" name="payment" value="invoice"; "請求書（口座振込。振込手数料は事業所の負担です）" }
                }
                h2 id="terms-heading" { "利用規約" }
                p { "利用規約を最後までお読みください。最後に「利用規約に同意する」ボタンがあります。" }
                div class="terms" id="terms" role="region" aria-labelledby="terms-heading" tabindex="0" {
                    (paragraphs(&text))
                    div class="agree" {
                        p { "以上の利用規約に同意し、ケアプランデータ連携システムの利用を申請します。" }
                        button type="submit" name="agree" value="yes" id="agree" { "利用規約に同意する" }
                    }
                }
            }
        },
    ))
}

async fn refused(
    state: &PortalState,
    session: &PortalSession,
    message: &str,
) -> Result<Response, PortalError> {
    Ok((
        StatusCode::BAD_REQUEST,
        apply_form(state, session, Some(message)).await?,
    )
        .into_response())
}

pub async fn apply_page(
    State(state): State<PortalState>,
    Admin(session): Admin,
) -> Result<Response, PortalError> {
    if joined(&state.relay.store, session.office()).await? {
        return Ok(
            crate::licence::licence_view(&state, &session, Some(alert(already_joined())))
                .await?
                .into_response(),
        );
    }
    Ok(apply_form(&state, &session, None).await?.into_response())
}

#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    payment: String,
    #[serde(default)]
    terms_version: String,
    #[serde(default)]
    agree: String,
}

pub async fn apply(
    State(state): State<PortalState>,
    Admin(session): Admin,
    CheckedForm(form): CheckedForm<ApplyForm>,
) -> Result<Response, PortalError> {
    let store = &state.relay.store;
    if joined(store, session.office()).await? {
        return Ok((
            StatusCode::CONFLICT,
            crate::licence::licence_view(&state, &session, Some(alert(already_joined()))).await?,
        )
            .into_response());
    }
    if form.agree != "yes" {
        return refused(
            &state,
            &session,
            "利用規約を最後までお読みになり、「利用規約に同意する」を押してください。",
        )
        .await;
    }
    let Some(method) = PaymentMethod::parse(&form.payment) else {
        return refused(&state, &session, "ライセンス料の支払方法を選んでください。").await;
    };
    let (version, _) = terms(store).await?;
    if form.terms_version.trim() != version.to_string() {
        return refused(&state, &session, "利用規約が更新されました。新しい利用規約を最後までお読みになり、もう一度同意してください。").await;
    }
    let starts = today();
    let free_pass = FreePass::read(store).await?.applies_on(starts);
    let licence = licence_from(session.office().number(), starts, free_pass, false);
    let applied = store
        .applications(session.office())
        .apply(session.login().id(), version, method, &licence, now_ms())
        .await?;
    if !applied {
        return Ok((
            StatusCode::CONFLICT,
            crate::licence::licence_view(&state, &session, Some(alert(already_joined()))).await?,
        )
            .into_response());
    }
    let result = crate::layout::done(
        "利用申請を受け付けました。ライセンスが付与され、ケアプランデータ連携システムを利用できるようになりました。続けて利用状況TOPで個人ユーザIDを発行してください。",
    );
    Ok((
        StatusCode::CREATED,
        crate::licence::licence_view(&state, &session, Some(result)).await?,
    )
        .into_response())
}
