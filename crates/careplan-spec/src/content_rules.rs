//! Rules over the content of a file beyond each item's own format (standard §2.1, §2.4, §3.3):
//! free text in quotes, 福祉用具貸与's item codes, 第7表's 小計 and 全合計 rows, service kinds
//! outside the exchange, the numbering of 第2表 and 介護予防 別表, and whose 実績 a 実績 file holds.
//!
//! The items each rule needs are found once per file; per record the rules cost a few comparisons,
//! so validation keeps its speed.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Code, Diagnostic};
use crate::file_check::CsvFileFindings;
use crate::filename::{describe_kind, FileKind, FileName};
use crate::items::{is_equipment_rental, service_kind_of, SummaryRow};
use crate::layout::{Format, Layout};
use crate::numbers::{is_care_management_kind, service_kind, ServiceKindScope, ALL_NINES_OFFICE};
use crate::reader::Record;
use crate::time::YearMonth;

fn item(no: usize, layout: &Layout) -> (u16, &'static str) {
    (no as u16 + 1, layout.items[no].name)
}

/// 第7表's rows per person: how many 全合計 rows, which 区分支給限度対象 service rows per office and
/// kind, which 種類別小計 rows.
#[derive(Default)]
struct SupplementPerson {
    first_line: u32,
    grand_totals: Vec<u32>,
    /// (office, kind) → lines of service rows that carry 給付管理単位数 (区分支給限度対象).
    limited_rows: HashMap<(String, String), Vec<u32>>,
    subtotals: HashSet<(String, String)>,
}

/// The items the rules look at, resolved for one file.
pub(crate) struct ContentRules<'n> {
    name: &'n FileName,
    free_text: Vec<usize>,
    /// 第6表 and 第7表: サービスコード, TAISコード, 福祉用具届出コード.
    service_code: Option<usize>,
    tais: Option<usize>,
    notified: Option<usize>,
    equipment_rule: bool,
    /// 第7表.
    supplement: Option<SupplementItems>,
    supplement_people: Vec<((String, String, String), SupplementPerson)>,
    /// 第2表 and 介護予防 別表: the three numbers of a row, and the person's document key.
    numbering: Option<([usize; 3], usize)>,
    numbers_seen: HashMap<(String, String, String), HashSet<[String; 3]>>,
    /// 実績 and its deletion: the office and kind items to compare with the sender.
    actual_office: Option<usize>,
    actual_kind: Option<usize>,
    /// 実績: サービスコード, whose kind (its first two characters) is the sender's.
    actual_service_code: Option<usize>,
    /// The last service code looked up, and what its kind is (records repeat codes).
    last_kind: Option<(String, Option<ServiceKindScope>)>,
    /// 第6表: 日割対象日 and 対象年月, whose month decides how many days the flags may mark.
    day_flags: Option<(usize, usize)>,
    /// 第2表 and 介護予防 別表: the texts a continuation row leaves blank, and the row above (person
    /// and plan, 課題ＮＯ, 援助目標ＮＯ).
    plan2_headings: Option<HeadingItems>,
    plan2_above: Option<([String; 3], String, String)>,
    /// 第6表: 更新業者コード, which names the side that wrote the sheet: the 居宅 on 予定, the service
    /// office on 実績, that is the sender (not on the 委託 forward of others' 実績).
    updater: Option<usize>,
    /// 第6表: 明細判別コード and what tells one rented item from another.
    detail: Option<DetailItems>,
    /// 福祉用具貸与 rows by person, month, サービスコード, 単位数 and 明細判別コード: the item first seen.
    detail_seen: HashMap<[String; 6], (String, u32)>,
}

struct HeadingItems {
    /// 課題 (第2表) or 総合的課題 (介護予防 別表).
    issue: usize,
    /// 第2表's 長期目標 and 短期目標, numbered by 援助目標ＮＯ (the 別表's 目標 goes with its 課題).
    goals: Option<[usize; 2]>,
}

struct DetailItems {
    detail: usize,
    month: usize,
    units: usize,
    /// TAISコード and 福祉用具届出コード (v4.1; v3.2 has neither, so its items cannot be told apart).
    item_codes: Option<(usize, usize)>,
}

struct SupplementItems {
    month: usize,
    office: usize,
    units: usize,
    discounted: usize,
    benefit: usize,
    /// 回数／日数: required on service rows (the layout cannot say so, as 小計 and 全合計 rows may
    /// leave it empty).
    count: usize,
}

impl<'n> ContentRules<'n> {
    pub(crate) fn new(name: &'n FileName, layout: &Layout) -> ContentRules<'n> {
        let kind = name.kind;
        let use_sheet = matches!(kind, FileKind::UsePlan | FileKind::UseActual);
        let with_services = use_sheet || kind == FileKind::UseSupplement;
        let index = |name: &str| layout.index_of(name);
        let supplement = (kind == FileKind::UseSupplement).then(|| SupplementItems {
            month: index("対象年月").expect("第7表 has 対象年月"),
            office: index("サービス事業所コード").expect("第7表 has サービス事業所コード"),
            units: index("単位数").expect("第7表 has 単位数"),
            discounted: index("割引後単位数").expect("第7表 has 割引後単位数"),
            benefit: index("給付管理単位数").expect("第7表 has 給付管理単位数"),
            count: index("回数／日数").expect("第7表 has 回数／日数"),
        });
        let numbering = match kind {
            FileKind::Plan2 => Some((
                [
                    index("課題ＮＯ"),
                    index("援助目標ＮＯ"),
                    index("援助内容ＮＯ"),
                ],
                index("居宅サービス計画作成（変更）日"),
            )),
            FileKind::YoboSub => Some((
                [
                    index("課題ＮＯ"),
                    index("支援計画ＮＯ"),
                    index("利用サービスＮＯ"),
                ],
                index("計画作成(変更)日"),
            )),
            _ => None,
        }
        .map(|(numbers, key)| {
            (
                numbers.map(|n| n.expect("the numbering items exist")),
                key.expect("the document key exists"),
            )
        });
        // A 居宅 that forwards the service offices' 実績 to the 地域包括支援センター (委託) sends
        // other offices' records by design.
        let own_actual = matches!(kind, FileKind::UseActual | FileKind::UseActualDelete)
            && !name
                .sender
                .service_kind
                .as_deref()
                .is_some_and(is_care_management_kind);
        ContentRules {
            name,
            free_text: layout
                .items
                .iter()
                .enumerate()
                .filter(|(_, i)| matches!(i.format, Format::FreeText))
                .map(|(n, _)| n)
                .collect(),
            service_code: with_services.then(|| index("サービスコード")).flatten(),
            tais: use_sheet.then(|| index("TAISコード")).flatten(),
            notified: use_sheet.then(|| index("福祉用具届出コード")).flatten(),
            equipment_rule: use_sheet && index("TAISコード").is_some(),
            supplement,
            supplement_people: Vec::new(),
            numbering,
            numbers_seen: HashMap::new(),
            actual_office: own_actual.then(|| index("サービス事業者コード")).flatten(),
            actual_service_code: (own_actual && kind == FileKind::UseActual)
                .then(|| index("サービスコード"))
                .flatten(),
            actual_kind: (own_actual && kind == FileKind::UseActualDelete)
                .then(|| index("サービス種類コード"))
                .flatten(),
            last_kind: None,
            plan2_headings: match kind {
                FileKind::Plan2 => Some(HeadingItems {
                    issue: index("課題").expect("第2表 has 課題"),
                    goals: index("長期目標")
                        .zip(index("短期目標"))
                        .map(|(l, s)| [l, s]),
                }),
                FileKind::YoboSub => Some(HeadingItems {
                    issue: index("総合的課題").expect("別表 has 総合的課題"),
                    goals: None,
                }),
                _ => None,
            },
            plan2_above: None,
            updater: (kind == FileKind::UsePlan || (kind == FileKind::UseActual && own_actual))
                .then(|| index("更新業者コード"))
                .flatten(),
            detail: use_sheet
                .then(|| {
                    Some(DetailItems {
                        detail: index("明細判別コード")?,
                        month: index("対象年月")?,
                        units: index("単位数")?,
                        item_codes: index("TAISコード").zip(index("福祉用具届出コード")),
                    })
                })
                .flatten(),
            detail_seen: HashMap::new(),
            day_flags: use_sheet
                .then(|| index("日割対象日").zip(index("対象年月")))
                .flatten(),
        }
    }

    /// The rules over one record whose items have the layout's count.
    pub(crate) fn check_record(
        &mut self,
        layout: &Layout,
        record: &Record<'_>,
        out: &mut CsvFileFindings,
    ) {
        let line = record.line();
        for &index in &self.free_text {
            if !record.is_quoted(index) && !record.get(index).unwrap_or_default().is_empty() {
                let (no, name) = item(index, layout);
                out.push(
                    Diagnostic::new(
                        Code::CsvQuoteFreeTextBare,
                        format!("フリーテキストの「{name}」がダブルクォート（\"）で囲まれていません。標準仕様ではフリーテキストは必ず「\"」で囲みます。囲みを前提に読む介護ソフトがあるため、介護ソフトの出力設定を確認してください。"),
                    )
                    .at_line(line)
                    .at_item(no, name),
                );
            }
        }
        if let Some(index) = self.service_code {
            self.check_service_code(layout, record, index, out);
        }
        if self.supplement.is_some() {
            self.check_supplement_row(layout, record, out);
        }
        if let Some((numbers, key)) = self.numbering {
            let values = numbers.map(|n| record.get(n).unwrap_or_default().into_owned());
            if values.iter().all(|v| !v.is_empty()) {
                let person = (
                    record.get(1).unwrap_or_default().into_owned(),
                    record.get(2).unwrap_or_default().into_owned(),
                    record.get(key).unwrap_or_default().into_owned(),
                );
                if !self
                    .numbers_seen
                    .entry(person)
                    .or_default()
                    .insert(values.clone())
                {
                    let names = numbers.map(|n| layout.items[n].name);
                    out.push(
                        Diagnostic::new(
                            Code::FileRowNumbersDuplicate,
                            format!("同じ利用者・同じ計画の中で、{}・{}・{} の組（{}・{}・{}）が前の行と同じです。取り込む側ではこの組で行を区別するため、重複すると取り込めません。番号を振り直して出力し直してください。", names[0], names[1], names[2], values[0], values[1], values[2]),
                        )
                        .at_line(line)
                        .at_item(numbers[2] as u16 + 1, names[2]),
                    );
                }
            }
        }
        if self.detail.is_some() {
            self.check_detail_code(layout, record, out);
        }
        if self.plan2_headings.is_some() {
            self.check_plan2_headings(layout, record, out);
        }
        if let Some(index) = self.updater {
            let updater = record.get(index).unwrap_or_default();
            let sender = self.name.sender.office.as_str();
            if !updater.is_empty() && updater != sender {
                let (no, name) = item(index, layout);
                let side = if self.name.kind == FileKind::UsePlan {
                    "予定では居宅介護支援事業所"
                } else {
                    "実績ではサービス事業所"
                };
                out.push(
                    Diagnostic::new(
                        Code::RecordUpdaterDiffers,
                        format!("「{name}」が {updater} ですが、このファイルの送信元は {sender} です。「{name}」には、{side}（送信元）の事業所番号を書きます。"),
                    )
                    .at_line(line)
                    .at_item(no, name),
                );
            }
        }
        if let Some((flags, month)) = self.day_flags {
            self.check_day_flags(layout, record, flags, month, out);
        }
        if let Some(index) = self.actual_office {
            let office = record.get(index).unwrap_or_default();
            let sender = self.name.sender.office.as_str();
            if !office.is_empty() && office != sender {
                let (no, name) = item(index, layout);
                out.push(
                    Diagnostic::new(
                        Code::FileActualOfficeDiffers,
                        format!("「{name}」が {office} ですが、このファイルの送信元は {sender} です。実績はサービス事業所ごとに、自分の事業所の分だけを送ります（サテライトの分はまとめて）。"),
                    )
                    .at_line(line)
                    .at_item(no, name),
                );
            }
        }
        if let (Some(index), Some(sender_kind)) = (
            self.actual_service_code,
            self.name.sender.service_kind.as_deref(),
        ) {
            let code = record.get(index).unwrap_or_default();
            let kind = service_kind_of(&code).filter(|_| SummaryRow::of(&code).is_none());
            if let Some(kind) = kind.filter(|&kind| kind != sender_kind) {
                let (no, name) = item(index, layout);
                out.push(
                    Diagnostic::new(
                        Code::FileActualOfficeDiffers,
                        format!("「{name}」の「{code}」はサービス種類{}のコードですが、ファイル名の送信元のサービス種類は{}です。実績はサービス種類ごとに、その種類のファイルで送ります。", describe_kind(kind), describe_kind(sender_kind)),
                    )
                    .at_line(line)
                    .at_item(no, name),
                );
            }
        }
        if let (Some(index), Some(sender_kind)) =
            (self.actual_kind, self.name.sender.service_kind.as_deref())
        {
            let kind = record.get(index).unwrap_or_default();
            if !kind.is_empty() && kind != sender_kind {
                let (no, name) = item(index, layout);
                out.push(
                    Diagnostic::new(
                        Code::FileActualOfficeDiffers,
                        format!("「{name}」が {kind} ですが、ファイル名の送信元のサービス種類は {sender_kind} です。実績とその削除はサービス種類ごとに送ります。"),
                    )
                    .at_line(line)
                    .at_item(no, name),
                );
            }
        }
    }

    /// 明細判別コード (第6表 No.19) tells apart 福祉用具貸与 rows of the same サービスコード and 単位数 that
    /// rent different items, numbered 1, 2, 3…; on other rows it is Null.
    fn check_detail_code(
        &mut self,
        layout: &Layout,
        record: &Record<'_>,
        out: &mut CsvFileFindings,
    ) {
        let items = self.detail.as_ref().expect("called for 第6表");
        let code_index = self.service_code.expect("第6表 has サービスコード");
        let code = record.get(code_index).unwrap_or_default();
        let detail = record.get(items.detail).unwrap_or_default();
        let (no, name) = item(items.detail, layout);
        let kind = service_kind_of(&code);
        if !kind.is_some_and(is_equipment_rental) {
            if !detail.is_empty() && kind.is_some() {
                out.push(
                    Diagnostic::new(
                        Code::RecordDetailCodeUnexpected,
                        format!("サービスコード「{code}」の行に「{name}」（{detail}）があります。「{name}」は福祉用具貸与（17・67）で同じサービスコード・単位数の別の用具を分けるときだけ使い、ほかの行では空にします。"),
                    )
                    .at_line(record.line())
                    .at_item(no, name),
                );
            }
            return;
        }
        let Some((tais, notified)) = items.item_codes else {
            return;
        };
        let rented = format!(
            "{}{}",
            record.get(tais).unwrap_or_default(),
            record.get(notified).unwrap_or_default()
        );
        if rented.is_empty() {
            return; // record.equipment_code.missing says so
        }
        let key = [
            record.get(1).unwrap_or_default().into_owned(),
            record.get(2).unwrap_or_default().into_owned(),
            record.get(items.month).unwrap_or_default().into_owned(),
            code.into_owned(),
            record.get(items.units).unwrap_or_default().into_owned(),
            detail.clone().into_owned(),
        ];
        match self.detail_seen.get(&key) {
            None => {
                self.detail_seen.insert(key, (rented, record.line()));
            }
            Some((first, first_line)) if *first != rented => {
                let shown = if detail.is_empty() {
                    "空".to_owned()
                } else {
                    format!("「{detail}」")
                };
                out.push(
                    Diagnostic::new(
                        Code::FileDetailCodeDuplicate,
                        format!("{first_line}行目と同じ利用者・サービスコード「{}」・単位数の別の用具ですが、「{name}」がどちらも{shown}です。同じサービスコード・単位数の別の用具には「{name}」を 1、2、3… と振り分けます。取り込む側ではこの番号で行を区別します。", key[3]),
                    )
                    .at_line(record.line())
                    .at_item(no, name),
                );
            }
            Some(_) => {}
        }
    }

    /// A continuation row leaves 課題 (or 長期目標 and 短期目標) blank to repeat the row above, which
    /// only makes sense under the same 課題ＮＯ (援助目標ＮＯ); the 介護予防 別表 likewise. On the first row of a new number the
    /// blank is a 課題 without words, and a receiver that carries blanks forward by position files
    /// the previous 課題's words under it.
    fn check_plan2_headings(
        &mut self,
        layout: &Layout,
        record: &Record<'_>,
        out: &mut CsvFileFindings,
    ) {
        let headings = self
            .plan2_headings
            .as_ref()
            .expect("called for 第2表 and 別表");
        let (issue, goals) = (headings.issue, headings.goals);
        let Some(([issue_no, goal_no, _], key)) = self.numbering else {
            return;
        };
        let get = |n: usize| record.get(n).unwrap_or_default().into_owned();
        let person = [get(1), get(2), get(key)];
        let (this_issue, this_goal) = (get(issue_no), get(goal_no));
        let above =
            self.plan2_above
                .replace((person.clone(), this_issue.clone(), this_goal.clone()));
        let Some((above_person, above_issue, above_goal)) = above else {
            return;
        };
        if above_person != person || this_issue.is_empty() {
            return;
        }
        let new_issue = this_issue != above_issue;
        let blank = |n: usize| record.get(n).unwrap_or_default().is_empty();
        let new_goal = new_issue || (!this_goal.is_empty() && this_goal != above_goal);
        let (what, at) = match goals {
            _ if new_issue && blank(issue) => (
                format!(
                    "課題ＮＯ {this_issue} の最初の行ですが「{}」が空です",
                    layout.items[issue].name
                ),
                issue,
            ),
            Some([long_goal, short_goal]) if new_goal && blank(long_goal) && blank(short_goal) => (
                format!("援助目標ＮＯ {this_goal} の最初の行ですが「長期目標」「短期目標」がどちらも空です"),
                long_goal,
            ),
            _ => return,
        };
        let (no, name) = item(at, layout);
        out.push(
            Diagnostic::new(
                Code::RecordPlan2HeadingBlank,
                format!("{what}。空にしてよいのは、前の行と同じ課題・目標が続く行だけです。空のままだと、前の行の文を引き継いで読む介護ソフトでは前の課題・目標の文がこの行に入ります。介護ソフトで文を入力して出力し直してください。"),
            )
            .at_line(record.line())
            .at_item(no, name),
        );
    }

    /// A 日割 flag on a day the 対象年月 does not have (the 31st of April) marks no real day.
    fn check_day_flags(
        &self,
        layout: &Layout,
        record: &Record<'_>,
        flags: usize,
        month: usize,
        out: &mut CsvFileFindings,
    ) {
        let value = record.get(flags).unwrap_or_default();
        // A malformed value or month is item.flags.invalid / item.month.invalid already.
        let Some(month) = YearMonth::parse(&record.get(month).unwrap_or_default()) else {
            return;
        };
        let days = month.days() as usize;
        let beyond: Vec<String> = value
            .bytes()
            .enumerate()
            .skip(days)
            .filter(|&(_, b)| b == b'1')
            .map(|(at, _)| format!("{}日", at + 1))
            .collect();
        if beyond.is_empty() || !value.bytes().all(|b| b == b'0' || b == b'1') {
            return;
        }
        let (no, name) = item(flags, layout);
        out.push(
            Diagnostic::new(
                Code::ItemFlagsInvalid,
                format!(
                    "「{name}」が{}に「1」を立てていますが、{}年{}月は{days}日までです。日割りの日は対象年月にある日だけに「1」を書きます。介護ソフトで日割りの期間を確認して出力し直してください。",
                    beyond.join("・"),
                    month.year,
                    month.month
                ),
            )
            .at_line(record.line())
            .at_item(no, name),
        );
    }

    fn check_service_code(
        &mut self,
        layout: &Layout,
        record: &Record<'_>,
        index: usize,
        out: &mut CsvFileFindings,
    ) {
        let line = record.line();
        let code = record.get(index).unwrap_or_default();
        // Only a code of the right shape has a kind (item.service_code.invalid says the rest).
        let Some(kind) = service_kind_of(&code).filter(|_| code != "999999") else {
            return;
        };
        let scope = match &self.last_kind {
            Some((last, scope)) if last == kind => *scope,
            _ => {
                let scope = service_kind(kind).map(|(scope, _)| scope);
                self.last_kind = Some((kind.to_owned(), scope));
                scope
            }
        };
        let (no, name) = item(index, layout);
        match scope {
            None => out.push(
                Diagnostic::new(
                    Code::RecordServiceKindUnknown,
                    format!("サービスコード「{code}」の先頭2桁「{kind}」は、知られているサービス種類コードではありません。サービスコード表の最新版で確認してください（市町村独自のサービス種類であればこのまま送れます）。"),
                )
                .at_line(line)
                .at_item(no, name),
            ),
            Some(ServiceKindScope::OutOfScope) => {
                let kind_name = service_kind(kind).map(|(_, n)| n).unwrap_or_default();
                out.push(
                    Diagnostic::new(
                        Code::RecordServiceKindOutOfScope,
                        format!("サービスコード「{code}」は{kind_name}（{kind}）で、ケアプランデータ連携の対象外のサービスです。標準仕様では対象外のサービスのレコードは作りません。介護ソフトの出力対象を確認してください。"),
                    )
                    .at_line(line)
                    .at_item(no, name),
                )
            }
            Some(ServiceKindScope::InScope) => {}
        }
        if self.equipment_rule && is_equipment_rental(kind) {
            let (tais, notified) = (
                self.tais.and_then(|i| record.get(i)).unwrap_or_default(),
                self.notified
                    .and_then(|i| record.get(i))
                    .unwrap_or_default(),
            );
            if tais.is_empty() && notified.is_empty() {
                let tais_index = self
                    .tais
                    .expect("the rule applies only where the item exists");
                let (no, name) = item(tais_index, layout);
                out.push(
                    Diagnostic::new(
                        Code::RecordEquipmentCodeMissing,
                        format!("福祉用具貸与のサービスコード「{code}」の行に、TAISコードも福祉用具届出コードもありません。福祉用具貸与ではどちらか一方が必須です。介護ソフトで貸与する用具のコードを入力して出力し直してください。"),
                    )
                    .at_line(line)
                    .at_item(no, name),
                );
            }
        }
    }

    fn check_supplement_row(
        &mut self,
        layout: &Layout,
        record: &Record<'_>,
        out: &mut CsvFileFindings,
    ) {
        let items = self.supplement.as_ref().expect("called for 第7表");
        let line = record.line();
        let code_index = self.service_code.expect("第7表 has サービスコード");
        let code = record.get(code_index).unwrap_or_default();
        let office = record.get(items.office).unwrap_or_default();
        let summary = SummaryRow::of(&code);
        let grand_total = summary == Some(SummaryRow::GrandTotal);
        let subtotal = summary == Some(SummaryRow::Subtotal);
        let (code_no, code_name) = item(code_index, layout);
        let (office_no, office_name) = item(items.office, layout);
        if grand_total && office != ALL_NINES_OFFICE {
            out.push(
                Diagnostic::new(
                    Code::RecordSupplementTotalOffice,
                    format!("全合計（サービスコード 999999）の行の「{office_name}」は 9999999999 にします（今は「{office}」）。"),
                )
                .at_line(line)
                .at_item(office_no, office_name),
            );
        } else if !grand_total && office == ALL_NINES_OFFICE {
            out.push(
                Diagnostic::new(
                    Code::RecordSupplementTotalOffice,
                    format!("「{office_name}」の 9999999999 は全合計（サービスコード 999999）の行だけに使います。この行（サービスコード「{code}」）には、サービスを提供する事業所の番号を書きます。"),
                )
                .at_line(line)
                .at_item(code_no, code_name),
            );
        }
        if summary.is_none() && record.get(items.count).unwrap_or_default().is_empty() {
            let (no, name) = item(items.count, layout);
            out.push(
                Diagnostic::new(
                    Code::ItemRequired,
                    format!("サービスの行（サービスコード {code}）の「{name}」が空です。サービスの行では必須の項目です（空にできるのは小計・全合計の行だけです）。介護ソフトで回数・日数を確かめて出力し直してください。"),
                )
                .at_line(line)
                .at_item(no, name),
            );
        }
        if grand_total || subtotal {
            let units = record.get(items.units).unwrap_or_default();
            let discounted = record.get(items.discounted).unwrap_or_default();
            let what = summary.map(SummaryRow::label).unwrap_or_default();
            if units.parse::<i64>().ok() != Some(0) {
                let (no, name) = item(items.units, layout);
                out.push(
                    Diagnostic::new(
                        Code::RecordSupplementSummaryValues,
                        format!("{what}の行（サービスコード {code}）の「{name}」は 0 にします（今は「{units}」）。合計は給付管理単位数などの項目に書きます。"),
                    )
                    .at_line(line)
                    .at_item(no, name),
                );
            }
            if !discounted.is_empty() {
                let (no, name) = item(items.discounted, layout);
                out.push(
                    Diagnostic::new(
                        Code::RecordSupplementSummaryValues,
                        format!("{what}の行（サービスコード {code}）の「{name}」は空にします（今は「{discounted}」）。"),
                    )
                    .at_line(line)
                    .at_item(no, name),
                );
            }
        }
        let person = (
            record.get(1).unwrap_or_default().into_owned(),
            record.get(2).unwrap_or_default().into_owned(),
            record.get(items.month).unwrap_or_default().into_owned(),
        );
        let at = match self.supplement_people.last() {
            Some((last, _)) if *last == person => self.supplement_people.len() - 1,
            _ => match self
                .supplement_people
                .iter()
                .position(|(p, _)| *p == person)
            {
                Some(at) => at,
                None => {
                    self.supplement_people.push((
                        person,
                        SupplementPerson {
                            first_line: line,
                            ..SupplementPerson::default()
                        },
                    ));
                    self.supplement_people.len() - 1
                }
            },
        };
        let entry = &mut self.supplement_people[at].1;
        if grand_total {
            entry.grand_totals.push(line);
        } else if let Some(kind) = service_kind_of(&code) {
            let key = (office.into_owned(), kind.to_owned());
            if &code[2..] == "AAAA" {
                entry.subtotals.insert(key);
            } else if !subtotal && !record.get(items.benefit).unwrap_or_default().is_empty() {
                entry.limited_rows.entry(key).or_default().push(line);
            }
        }
    }

    /// The rules over the whole file, after its last record.
    pub(crate) fn finish(self, layout: &Layout, out: &mut CsvFileFindings) {
        if self.supplement.is_none() {
            return;
        }
        let code_index = self.service_code.expect("第7表 has サービスコード");
        let (code_no, code_name) = item(code_index, layout);
        for ((insurer, insured, month), person) in &self.supplement_people {
            let who = format!("保険者番号 {insurer}・被保険者番号 {insured}・対象年月 {month}");
            match person.grand_totals.as_slice() {
                [_] => {}
                [] => out.push(
                    Diagnostic::new(
                        Code::FileSupplementTotalRow,
                        format!("第7表に、利用者（{who}）の全合計の行（サービスコード 999999、事業所コード 9999999999）がありません。全合計の行は利用者ごとに必須です。介護ソフトで別表を作り直して出力し直してください。"),
                    )
                    .at_line(person.first_line)
                    .at_item(code_no, code_name),
                ),
                [_, second, ..] => out.push(
                    Diagnostic::new(
                        Code::FileSupplementTotalRow,
                        format!("第7表に、利用者（{who}）の全合計の行（サービスコード 999999）が{}行あります。全合計は利用者ごとに1行だけです。", person.grand_totals.len()),
                    )
                    .at_line(*second)
                    .at_item(code_no, code_name),
                ),
            }
            let mut missing: Vec<(&(String, String), &Vec<u32>)> = person
                .limited_rows
                .iter()
                .filter(|(key, lines)| lines.len() > 1 && !person.subtotals.contains(*key))
                .collect();
            missing.sort();
            for ((office, kind), lines) in missing {
                let kind_name = service_kind(kind).map(|(_, n)| n).unwrap_or("種類不明");
                out.push(
                    Diagnostic::new(
                        Code::FileSupplementSubtotalMissing,
                        format!("第7表で、事業所 {office} の{kind_name}（{kind}）には区分支給限度の対象になる行が{}行ありますが、種類別小計の行（サービスコード {kind}AAAA）がありません。同じ種類のサービスが複数行あるときは種類別小計が必須です（利用者: {who}）。", lines.len()),
                    )
                    .at_line(lines[0])
                    .at_item(code_no, code_name),
                );
            }
        }
    }
}
