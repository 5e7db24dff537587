//! かんたんシミュレーション (seed 000): five inputs (職員数, 事業所数, 取引事業所数, その中で本システムの対象
//! となる事業所数, 利用者数) and the yearly costs and hours before and after the exchange, per line.
//! Every unit cost and rate is shown and can be changed.
//!
//! The model, derived from the seed's two worked examples (6/1/10/7/40 and 4/1/60/3/120):
//!
//! - r = 対象事業所数 ÷ 取引事業所数: the share of the partners reached through the system.
//! - 印刷費, 通信費（FAX）, 郵送費, 交通費: 利用者数 × 12 か月 × a unit cost per user and month (4.4,
//!   13.2, 38 and 36.8 円: both examples give exactly these), and after the exchange × (1 − r).
//! - 月額ソフトウェア費: 31,417 円 a month per office, the same before and after (377,004 円 a year).
//! - 利用料: none before; 21,000 円 a year per office after.
//! - 時間: the office's work on 提供票 is 215.5 minutes per user and year (the second example's
//!   431.0 hours for 120 users); 一人当たり is that divided by the staff. After the exchange, the
//!   part of it the exchange removes (65.6 %, which both examples give to four digits) times r goes.
//! - 人件費: those hours × 職員数 × 2,215.58 円 an hour (the second example within 7 yen), after the
//!   exchange reduced as the hours are.
//!
//! Arithmetic is exact (fractions), each figure rounded half away from zero only when shown. Where the
//! results differ from the seed's figures, and why, is in the README.

use std::fmt;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;

use crate::layout::{alerts, page, table_region, yen};
use crate::web::Visitor;
use crate::PortalState;

/// An exact fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    n: i128,
    d: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

impl Fraction {
    pub fn new(n: i128, d: i128) -> Fraction {
        assert!(d != 0, "a fraction's denominator is not zero");
        let g = gcd(n, d).max(1);
        let sign = if d < 0 { -1 } else { 1 };
        Fraction {
            n: sign * n / g,
            d: sign * d / g,
        }
    }

    pub fn int(n: i64) -> Fraction {
        Fraction::new(i128::from(n), 1)
    }

    /// A decimal as typed: digits, at most one point, at most 6 decimals and 12 digits.
    pub fn parse(text: &str) -> Option<Fraction> {
        let text = text.trim();
        let (whole, decimals) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !decimals.bytes().all(|b| b.is_ascii_digit())
            || decimals.len() > 6
            || whole.len() + decimals.len() > 12
        {
            return None;
        }
        let digits: i128 = format!("{whole}{decimals}").parse().ok()?;
        Some(Fraction::new(digits, 10i128.pow(decimals.len() as u32)))
    }

    fn add(self, o: Fraction) -> Fraction {
        Fraction::new(self.n * o.d + o.n * self.d, self.d * o.d)
    }

    fn sub(self, o: Fraction) -> Fraction {
        Fraction::new(self.n * o.d - o.n * self.d, self.d * o.d)
    }

    fn mul(self, o: Fraction) -> Fraction {
        Fraction::new(self.n * o.n, self.d * o.d)
    }

    fn div(self, o: Fraction) -> Fraction {
        Fraction::new(self.n * o.d, self.d * o.n)
    }

    /// Rounded half away from zero to `decimals` places, as an integer of that many places.
    pub fn round(self, decimals: u32) -> i128 {
        let scaled = Fraction::new(self.n * 10i128.pow(decimals), self.d);
        let magnitude = (2 * scaled.n.abs() + scaled.d) / (2 * scaled.d);
        if scaled.n < 0 {
            -magnitude
        } else {
            magnitude
        }
    }

    /// Yen, rounded.
    pub fn yen(self) -> i64 {
        self.round(0) as i64
    }

    /// Tenths (hours to one decimal), rounded.
    pub fn tenths(self) -> i64 {
        self.round(1) as i64
    }
}

impl fmt::Display for Fraction {
    /// The shortest decimal that is exactly this value (the units as typed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for places in 0..=6u32 {
            let scale = 10i128.pow(places);
            if (self.n * scale) % self.d == 0 {
                let v = self.n * scale / self.d;
                let (whole, frac) = (v / scale, v % scale);
                return if places == 0 {
                    write!(f, "{whole}")
                } else {
                    write!(f, "{whole}.{:0width$}", frac, width = places as usize)
                };
            }
        }
        write!(f, "{}", self.round(6) as f64 / 1e6)
    }
}

/// The five questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    /// 提供票作成・共有業務を行う職員数 (per office).
    pub staff: i64,
    /// 事業所数 (事業所番号の数).
    pub offices: i64,
    /// 取引事業所数.
    pub partners: i64,
    /// 取引事業所のうち、本システムの対象となる事業所数.
    pub targets: i64,
    /// 利用者数 (all offices).
    pub users: i64,
}

/// Every unit cost and rate the model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Units {
    /// 印刷費, per user and month.
    pub printing: Fraction,
    /// 通信費（FAX）, per user and month.
    pub fax: Fraction,
    /// 郵送費, per user and month.
    pub postage: Fraction,
    /// 交通費, per user and month.
    pub travel: Fraction,
    /// 月額ソフトウェア費, per office and month.
    pub software: Fraction,
    /// 利用料, per office and year.
    pub licence: Fraction,
    /// 作業時間, minutes per user and year.
    pub minutes_per_user: Fraction,
    /// 時給, yen per hour.
    pub hourly_wage: Fraction,
    /// The share of the work the exchange removes, in percent.
    pub reducible_percent: Fraction,
}

impl Default for Units {
    fn default() -> Units {
        let q = |text: &str| Fraction::parse(text).expect("a default unit parses");
        Units {
            printing: q("4.4"),
            fax: q("13.2"),
            postage: q("38"),
            travel: q("36.8"),
            software: q("31417"),
            licence: q("21000"),
            minutes_per_user: q("215.5"),
            hourly_wage: q("2215.58"),
            reducible_percent: q("65.6"),
        }
    }
}

/// One line of the result: yearly, before and after the exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub before: Fraction,
    pub after: Fraction,
}

impl Line {
    /// 差分: what the exchange saves (negative: what it costs).
    pub fn saved(&self) -> Fraction {
        self.before.sub(self.after)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub personnel: Line,
    pub printing: Line,
    pub fax: Line,
    pub postage: Line,
    pub travel: Line,
    pub software: Line,
    pub licence: Line,
    /// Hours a year: per person and per office.
    pub hours_per_person: Line,
    pub hours_per_office: Line,
}

impl Outcome {
    pub fn cost_lines(&self) -> [(&'static str, Line); 7] {
        [
            ("人件費", self.personnel),
            ("印刷費", self.printing),
            ("通信費（FAX）", self.fax),
            ("郵送費", self.postage),
            ("交通費", self.travel),
            ("月額ソフトウェア費", self.software),
            ("ケアプランデータ連携システム利用料", self.licence),
        ]
    }

    pub fn total(&self) -> Line {
        self.cost_lines().iter().fold(
            Line {
                before: Fraction::int(0),
                after: Fraction::int(0),
            },
            |sum, (_, line)| Line {
                before: sum.before.add(line.before),
                after: sum.after.add(line.after),
            },
        )
    }

    /// 削減時間: the hours of every office.
    pub fn hours_saved(&self, inputs: &Inputs) -> Fraction {
        self.hours_per_office
            .saved()
            .mul(Fraction::int(inputs.offices))
    }
}

/// The model (see the module's documentation).
pub fn simulate(inputs: &Inputs, units: &Units) -> Outcome {
    let reach = if inputs.partners == 0 {
        Fraction::int(0)
    } else {
        Fraction::new(i128::from(inputs.targets), i128::from(inputs.partners))
    };
    let one = Fraction::int(1);
    let remaining = one.sub(reach);
    let user_months = Fraction::int(inputs.users * 12);
    let per_user = |unit: Fraction| {
        let before = user_months.mul(unit);
        Line {
            before,
            after: before.mul(remaining),
        }
    };
    let work_remaining = one.sub(units.reducible_percent.div(Fraction::int(100)).mul(reach));
    let hours = Fraction::int(inputs.users)
        .mul(units.minutes_per_user)
        .div(Fraction::int(60));
    let per_office = hours.div(Fraction::int(inputs.offices));
    let personnel = hours
        .mul(Fraction::int(inputs.staff))
        .mul(units.hourly_wage);
    let offices = Fraction::int(inputs.offices);
    Outcome {
        personnel: Line {
            before: personnel,
            after: personnel.mul(work_remaining),
        },
        printing: per_user(units.printing),
        fax: per_user(units.fax),
        postage: per_user(units.postage),
        travel: per_user(units.travel),
        software: Line {
            before: units.software.mul(Fraction::int(12)).mul(offices),
            after: units.software.mul(Fraction::int(12)).mul(offices),
        },
        licence: Line {
            before: Fraction::int(0),
            after: units.licence.mul(offices),
        },
        hours_per_person: Line {
            before: per_office.div(Fraction::int(inputs.staff)),
            after: per_office
                .mul(work_remaining)
                .div(Fraction::int(inputs.staff)),
        },
        hours_per_office: Line {
            before: per_office,
            after: per_office.mul(work_remaining),
        },
    }
}

/// The form as sent: every field text.
#[derive(Debug, Default, Deserialize)]
pub struct SimulationQuery {
    #[serde(default)]
    staff: Option<String>,
    #[serde(default)]
    offices: Option<String>,
    #[serde(default)]
    partners: Option<String>,
    #[serde(default)]
    targets: Option<String>,
    #[serde(default)]
    users: Option<String>,
    #[serde(default)]
    printing: Option<String>,
    #[serde(default)]
    fax: Option<String>,
    #[serde(default)]
    postage: Option<String>,
    #[serde(default)]
    travel: Option<String>,
    #[serde(default)]
    software: Option<String>,
    #[serde(default)]
    licence: Option<String>,
    #[serde(default)]
    minutes_per_user: Option<String>,
    #[serde(default)]
    hourly_wage: Option<String>,
    #[serde(default)]
    reducible_percent: Option<String>,
}

fn count(text: &Option<String>, label: &str, min: i64, max: i64, errors: &mut Vec<String>) -> i64 {
    let text = text.as_deref().unwrap_or("").trim();
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => n,
        _ => {
            errors.push(format!(
                "「{label}」は{min}から{max}までの整数で入力してください。"
            ));
            min
        }
    }
}

fn unit(
    text: &Option<String>,
    default: Fraction,
    label: &str,
    errors: &mut Vec<String>,
) -> Fraction {
    match text.as_deref().map(str::trim) {
        None | Some("") => default,
        Some(text) => Fraction::parse(text).unwrap_or_else(|| {
            errors.push(format!(
                "「{label}」は0以上の数（小数は6桁まで）で入力してください。"
            ));
            default
        }),
    }
}

/// Reads the form; answers the inputs and units, or the problems (in Japanese).
pub fn read(query: &SimulationQuery) -> Result<(Inputs, Units), Vec<String>> {
    let mut errors = Vec::new();
    let inputs = Inputs {
        staff: count(&query.staff, "職員数", 1, 10_000, &mut errors),
        offices: count(&query.offices, "事業所数", 1, 1_000, &mut errors),
        partners: count(&query.partners, "取引事業所数", 0, 100_000, &mut errors),
        targets: count(
            &query.targets,
            "対象となる事業所数",
            0,
            100_000,
            &mut errors,
        ),
        users: count(&query.users, "利用者の人数", 0, 1_000_000, &mut errors),
    };
    if errors.is_empty() && inputs.targets > inputs.partners {
        errors.push("「対象となる事業所数」は「取引事業所数」以下にしてください。".into());
    }
    let d = Units::default();
    let units = Units {
        printing: unit(&query.printing, d.printing, "印刷費", &mut errors),
        fax: unit(&query.fax, d.fax, "通信費（FAX）", &mut errors),
        postage: unit(&query.postage, d.postage, "郵送費", &mut errors),
        travel: unit(&query.travel, d.travel, "交通費", &mut errors),
        software: unit(
            &query.software,
            d.software,
            "月額ソフトウェア費",
            &mut errors,
        ),
        licence: unit(&query.licence, d.licence, "利用料", &mut errors),
        minutes_per_user: unit(
            &query.minutes_per_user,
            d.minutes_per_user,
            "作業時間",
            &mut errors,
        ),
        hourly_wage: unit(&query.hourly_wage, d.hourly_wage, "時給", &mut errors),
        reducible_percent: unit(
            &query.reducible_percent,
            d.reducible_percent,
            "削減できる作業の割合",
            &mut errors,
        ),
    };
    if units.reducible_percent.round(6) > 100_000_000 {
        errors.push("「削減できる作業の割合」は100%以下にしてください。".into());
    }
    if errors.is_empty() {
        Ok((inputs, units))
    } else {
        Err(errors)
    }
}

fn hours_text(tenths: i64) -> String {
    format!("{}.{}時間", tenths / 10, (tenths % 10).abs())
}

fn number_field(id: &str, label: &str, hint: &str, value: &str, min: i64) -> Markup {
    html! {
        div {
            label for=(id) { (label) span class="hint" { (hint) } }
            input type="number" id=(id) name=(id) value=(value) min=(min) step="1" required inputmode="numeric";
        }
    }
}

fn unit_field(id: &str, label: &str, value: Fraction) -> Markup {
    html! {
        div {
            label for=(id) { (label) }
            input type="text" id=(id) name=(id) value=(value.to_string()) inputmode="decimal" maxlength="14";
        }
    }
}

fn result_view(inputs: &Inputs, outcome: &Outcome) -> Markup {
    let total = outcome.total();
    html! {
        h2 id="result" { "シミュレーション結果" }
        div class="message done" role="status" {
            p { "削減額 " span class="big" { (yen(total.saved().yen())) } " / 年間" }
            p { "削減時間 " span class="big" { (hours_text(outcome.hours_saved(inputs).tenths())) } " / 年間" }
        }
        h3 { "詳細な内訳（金額）" }
        (table_region("金額の内訳", html! {
            table {
                caption { "年間の費用（円）" }
                thead { tr {
                    th scope="col" { "項目" }
                    th scope="col" class="number" { "導入前" }
                    th scope="col" class="number" { "導入後" }
                    th scope="col" class="number" { "差分" }
                } }
                tbody {
                    @for (label, line) in outcome.cost_lines() {
                        tr {
                            th scope="row" { (label) }
                            td class="number" { (yen(line.before.yen())) }
                            td class="number" { (yen(line.after.yen())) }
                            td class="number" { (yen(line.saved().yen())) }
                        }
                    }
                    tr {
                        th scope="row" { "合計" }
                        td class="number" { (yen(total.before.yen())) }
                        td class="number" { (yen(total.after.yen())) }
                        td class="number" { (yen(total.saved().yen())) }
                    }
                }
            }
        }))
        h3 { "詳細な内訳（時間）" }
        (table_region("時間の内訳", html! {
            table {
                caption { "年間の作業時間" }
                thead { tr {
                    th scope="col" { "項目" }
                    th scope="col" class="number" { "導入前" }
                    th scope="col" class="number" { "導入後" }
                    th scope="col" class="number" { "差分" }
                } }
                tbody {
                    @for (label, line) in [("一人当たり", outcome.hours_per_person), ("事業所当たり", outcome.hours_per_office)] {
                        tr {
                            th scope="row" { (label) }
                            td class="number" { (hours_text(line.before.tenths())) }
                            td class="number" { (hours_text(line.after.tenths())) }
                            td class="number" { (hours_text(line.saved().tenths())) }
                        }
                    }
                }
            }
        }))
        p class="hint" { "シミュレーション結果は概算値です。令和2年度老人保健健康増進等事業「介護分野の生産性向上に向けたICTの更なる活用に関する調査研究」の試算ツールの数値をもとにしています。" }
    }
}

pub async fn page_handler(
    State(_): State<PortalState>,
    visitor: Visitor,
    query: Result<Query<SimulationQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let asked = query.users.is_some() || query.staff.is_some();
    let (status, units, inputs, below) = if asked {
        match read(&query) {
            Ok((inputs, units)) => {
                let outcome = simulate(&inputs, &units);
                (
                    StatusCode::OK,
                    units,
                    Some(inputs),
                    result_view(&inputs, &outcome),
                )
            }
            Err(errors) => (
                StatusCode::BAD_REQUEST,
                Units::default(),
                None,
                alerts(&errors),
            ),
        }
    } else {
        (StatusCode::OK, Units::default(), None, html! {})
    };
    let value = |field: &Option<String>, fallback: Option<i64>| {
        field
            .clone()
            .or_else(|| fallback.map(|n| n.to_string()))
            .unwrap_or_default()
    };
    let body = html! {
        p { "5つの数値を入力するだけで、ケアプランデータ連携システムを導入したときの年間の費用と時間の削減を試算します。" }
        form method="get" action="/simulation#result" class="stack" {
            fieldset {
                legend { "あなたの事業所について教えてください" }
                (number_field("staff", "1. 提供票作成・共有業務を行う職員の人数（人）", "1事業所当たりの職員数", &value(&query.staff, inputs.map(|i| i.staff)), 1))
                (number_field("offices", "2. 事業所数", "事業所番号が複数あるときはその数", &value(&query.offices, inputs.map(|i| i.offices)), 1))
                (number_field("partners", "3. 取引事業所数", "提供票の共有先の事業所数", &value(&query.partners, inputs.map(|i| i.partners)), 0))
                (number_field("targets", "4. 取引事業所のうち、ケアプランデータ連携システムの対象となる事業所数", "導入している（見込みの）事業所数", &value(&query.targets, inputs.map(|i| i.targets)), 0))
                (number_field("users", "5. ご利用者の人数（人）", "「事業所数」の事業所全体の利用者数", &value(&query.users, inputs.map(|i| i.users)), 0))
            }
            details {
                summary { "単価と率（変更できます）" }
                div class="stack" {
                    (unit_field("printing", "印刷費（円／利用者1人・1か月）", units.printing))
                    (unit_field("fax", "通信費・FAX（円／利用者1人・1か月）", units.fax))
                    (unit_field("postage", "郵送費（円／利用者1人・1か月）", units.postage))
                    (unit_field("travel", "交通費（円／利用者1人・1か月）", units.travel))
                    (unit_field("software", "月額ソフトウェア費（円／1事業所・1か月）", units.software))
                    (unit_field("licence", "ケアプランデータ連携システム利用料（円／1事業所・1年）", units.licence))
                    (unit_field("minutes_per_user", "提供票の作成・共有にかかる時間（分／利用者1人・1年）", units.minutes_per_user))
                    (unit_field("hourly_wage", "時給（円／1時間）", units.hourly_wage))
                    (unit_field("reducible_percent", "連携で削減できる作業の割合（%）", units.reducible_percent))
                }
            }
            div class="actions" { button type="submit" { "試算する" } }
        }
        (below)
    };
    (
        status,
        page(
            "かんたんシミュレーション",
            "/simulation",
            visitor.session.as_ref(),
            body,
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yen_line(line: Line) -> (i64, i64, i64) {
        (line.before.yen(), line.after.yen(), line.saved().yen())
    }

    #[test]
    fn fractions_round_half_away_from_zero() {
        assert_eq!(Fraction::new(5, 2).yen(), 3);
        assert_eq!(Fraction::new(-5, 2).yen(), -3);
        assert_eq!(Fraction::new(10775, 100).tenths(), 1078);
        assert_eq!(Fraction::parse("4.4"), Some(Fraction::new(44, 10)));
        assert_eq!(Fraction::parse("4.4").unwrap().to_string(), "4.4");
        assert_eq!(Fraction::parse("-1"), None);
        assert_eq!(Fraction::parse("1.2345678"), None);
        assert_eq!(Fraction::parse("1e3"), None);
    }

    #[test]
    fn the_seeds_second_example() {
        let inputs = Inputs {
            staff: 4,
            offices: 1,
            partners: 60,
            targets: 3,
            users: 120,
        };
        let o = simulate(&inputs, &Units::default());
        // The seed: 6,336 / 6,019 / 317; 19,008 / 18,058 / 950; 54,720 / 51,984 / 2,736;
        // 52,992 / 50,342 / 2,650; 377,004 / 377,004 / 0; 0 / 21,000 / -21,000.
        assert_eq!(yen_line(o.printing), (6_336, 6_019, 317));
        assert_eq!(yen_line(o.fax), (19_008, 18_058, 950));
        assert_eq!(yen_line(o.postage), (54_720, 51_984, 2_736));
        assert_eq!(yen_line(o.travel), (52_992, 50_342, 2_650));
        assert_eq!(yen_line(o.software), (377_004, 377_004, 0));
        assert_eq!(yen_line(o.licence), (0, 21_000, -21_000));
        // 時間: the seed's 107.8 / 104.2 / 3.5 and 431.0 / 416.9 / 14.1, exactly.
        assert_eq!(
            (
                o.hours_per_person.before.tenths(),
                o.hours_per_person.after.tenths(),
                o.hours_per_person.saved().tenths()
            ),
            (1078, 1042, 35)
        );
        assert_eq!(
            (
                o.hours_per_office.before.tenths(),
                o.hours_per_office.after.tenths(),
                o.hours_per_office.saved().tenths()
            ),
            (4310, 4169, 141)
        );
        // 人件費: the seed's 3,819,653 / 3,694,369 / 125,285, within 7 yen.
        let (before, after, saved) = yen_line(o.personnel);
        assert!(
            (before - 3_819_653).abs() <= 7
                && (after - 3_694_369).abs() <= 7
                && (saved - 125_285).abs() <= 1,
            "{before} {after} {saved}"
        );
    }

    #[test]
    fn the_seeds_first_example() {
        let inputs = Inputs {
            staff: 6,
            offices: 1,
            partners: 10,
            targets: 7,
            users: 40,
        };
        let o = simulate(&inputs, &Units::default());
        // The seed writes differences as 導入後 − 導入前 here (negative: saved).
        assert_eq!(yen_line(o.printing), (2_112, 634, 1_478));
        assert_eq!(yen_line(o.fax), (6_336, 1_901, 4_435));
        assert_eq!(yen_line(o.postage), (18_240, 5_472, 12_768));
        // The seed's row says 17,664 / 5,299 / -12,364, which do not add up (17,664 − 5,299 =
        // 12,365): the exact 12,364.8 rounds to 12,365 (see the README).
        assert_eq!(yen_line(o.travel), (17_664, 5_299, 12_365));
        assert_eq!(yen_line(o.software), (377_004, 377_004, 0));
        assert_eq!(yen_line(o.licence), (0, 21_000, -21_000));
    }
}
