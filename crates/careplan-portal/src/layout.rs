//! The page every screen of the portal is drawn in: Japanese, a skip link, the menu (the
//! logged-in person's, or the public one), the page's heading, and the portal's one stylesheet;
//! messages as the desktop screens have them (errors as alerts, results as status).

use axum::http::StatusCode;
use axum::response::IntoResponse;
use careplan_relay::access::PortalSession;
use maud::{html, Markup, DOCTYPE};

pub const SITE_NAME: &str = "ケアプランデータ連携システム 利用状況Webサイト";

/// The stylesheet (served from the portal itself: the pages allow no other style source).
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../assets/portal.css"),
    )
}

/// The menu's entries: (path, label, for administrators only).
const MENU: &[(&str, &str, bool)] = &[
    ("/home", "利用状況TOP", false),
    ("/licence", "ライセンス", false),
    ("/certificates", "電子証明書", true),
    ("/security-mail", "セキュリティメール", false),
    ("/listing", "事業所情報の掲載", true),
    ("/password", "パスワード変更", false),
];

const PUBLIC_MENU: &[(&str, &str)] = &[
    ("/directory", "利用事業所検索"),
    ("/simulation", "かんたんシミュレーション"),
];

/// A whole page: `current` is the menu entry it belongs to.
pub fn page(title: &str, current: &str, session: Option<&PortalSession>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="ja" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " | " (SITE_NAME) }
                link rel="stylesheet" href="/assets/portal.css";
            }
            body {
                a class="skip" href="#main" { "本文へ移動" }
                header class="site" {
                    p class="site-name" { a href="/" { (SITE_NAME) } }
                    @if let Some(session) = session {
                        p class="who" {
                            "ログイン中: " (session.login().id())
                            " （事業所番号 " (session.office().number()) "）"
                        }
                    }
                    nav aria-label="メインメニュー" {
                        ul {
                            @if let Some(session) = session {
                                @if !session.must_change_password {
                                    @for (path, label, admin) in MENU {
                                        @if !admin || session.role.is_administrator() {
                                            li { (menu_link(path, label, current)) }
                                        }
                                    }
                                }
                            } @else {
                                li { (menu_link("/login", "ログイン", current)) }
                            }
                            @for (path, label) in PUBLIC_MENU {
                                li { (menu_link(path, label, current)) }
                            }
                            @if let Some(session) = session {
                                li {
                                    form method="post" action="/logout" class="inline" {
                                        (csrf(session.csrf_token()))
                                        button type="submit" class="link" { "ログアウト" }
                                    }
                                }
                            }
                        }
                    }
                }
                main id="main" tabindex="-1" {
                    h1 { (title) }
                    (body)
                }
                footer class="site" {
                    p { "お問い合わせは、ケアプランデータ連携システムのヘルプデスクまで。" }
                }
            }
        }
    }
}

fn menu_link(path: &str, label: &str, current: &str) -> Markup {
    html! {
        @if path == current {
            a href=(path) aria-current="page" { (label) }
        } @else {
            a href=(path) { (label) }
        }
    }
}

/// A refusal or failure on a page of its own.
pub fn error_page(status: StatusCode, message: &str) -> Markup {
    let title = match status {
        StatusCode::NOT_FOUND => "ページが見つかりません",
        StatusCode::TOO_MANY_REQUESTS => "しばらくお待ちください",
        s if s.is_server_error() => "問題が発生しました",
        _ => "操作を受け付けられませんでした",
    };
    page(
        title,
        "",
        None,
        html! {
            (alert(message))
            p { a href="/" { "トップへ戻る" } }
        },
    )
}

/// An error the person must read (read out at once).
pub fn alert(message: &str) -> Markup {
    html! { div class="message error" role="alert" { p { (message) } } }
}

/// Errors of a form, if any.
pub fn alerts(messages: &[String]) -> Markup {
    html! {
        @if !messages.is_empty() {
            div class="message error" role="alert" {
                @for m in messages { p { (m) } }
            }
        }
    }
}

/// What an action did.
pub fn done(message: &str) -> Markup {
    html! { div class="message done" role="status" { p { (message) } } }
}

/// The form's CSRF token.
pub fn csrf(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// A date and time in Japan, as the desktop screens write it: `2025/04/01 09:30`.
pub fn datetime(ms: i64) -> String {
    if ms <= 0 {
        return "―".into();
    }
    careplan_relay::clock::to_datetime(ms)
        .format(&time::macros::format_description!(
            "[year]/[month]/[day] [hour]:[minute]"
        ))
        .unwrap_or_default()
}

/// `YYYY-MM-DD` as `2025年4月1日`.
pub fn date_text(text: &str) -> String {
    match careplan_relay::admin::parse_date(text) {
        Ok(d) => format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day()),
        Err(_) => text.to_owned(),
    }
}

/// Yen with thousands separators: `21,000円`.
pub fn yen(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}{out}円", if amount < 0 { "-" } else { "" })
}

/// A table that may be wider than a phone: it scrolls on its own, and the keyboard reaches it.
pub fn table_region(label: &str, table: Markup) -> Markup {
    html! {
        div class="table-scroll" role="region" aria-label=(label) tabindex="0" { (table) }
    }
}

/// Text with line breaks kept (the 利用規約's paragraphs).
pub fn paragraphs(text: &str) -> Markup {
    html! {
        @for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
            @if is_heading(block) {
                h3 { (block) }
            } @else {
                p {
                    @for (i, line) in block.lines().enumerate() {
                        @if i > 0 { br; }
                        (line)
                    }
                }
            }
        }
    }
}

/// A one-line paragraph that names an article (`第1条（目的）`) or a title (`…規約`).
fn is_heading(block: &str) -> bool {
    !block.contains('\n')
        && block.chars().count() <= 40
        && (block.starts_with('第') && block.contains('条') || block.ends_with("規約"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_has_separators() {
        assert_eq!(yen(21_000), "21,000円");
        assert_eq!(yen(-5_272_000), "-5,272,000円");
        assert_eq!(yen(0), "0円");
        assert_eq!(yen(999), "999円");
    }

    #[test]
    fn pages_escape_what_they_show() {
        let html = page("<script>", "", None, html! { (alert("<b>")) }).into_string();
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
        assert!(html.contains("lang=\"ja\""));
    }
}
