//! `careplan history`: 送受信履歴 of a period, every page, as text, JSON or CSV for Excel (CP932):
//! what an office shows an inspector at a 運営指導.

use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

use careplan_api::{HistoryDirection, HistoryEntry, HistoryKind, HistoryQuery};
use careplan_client::history::{
    direction_japanese, history_csv, kind_japanese, HistoryExport, EXPORT_MAX_ROWS,
};

use crate::outcome::{fail, print_json, EXIT_USAGE};
use crate::relay_args::RelayArgs;

/// The kinds as the command line names them.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    /// 居宅サービス計画書 第1〜3表
    Plan,
    /// サービス利用票（予定）と別表
    UsePlan,
    /// 実績
    Actual,
    /// 利用者基本情報
    BasicInfo,
    /// 介護予防サービス・支援計画書
    PreventionPlan,
    /// 利用者補足情報
    Supplement,
    /// PDF等
    Attachment,
}

impl From<KindArg> for HistoryKind {
    fn from(kind: KindArg) -> HistoryKind {
        match kind {
            KindArg::Plan => HistoryKind::Plan,
            KindArg::UsePlan => HistoryKind::UsePlan,
            KindArg::Actual => HistoryKind::Actual,
            KindArg::BasicInfo => HistoryKind::BasicInfo,
            KindArg::PreventionPlan => HistoryKind::PreventionPlan,
            KindArg::Supplement => HistoryKind::Supplement,
            KindArg::Attachment => HistoryKind::Attachment,
        }
    }
}

/// 送信 or 受信 only.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DirectionArg {
    Sent,
    Received,
}

impl From<DirectionArg> for HistoryDirection {
    fn from(direction: DirectionArg) -> HistoryDirection {
        match direction {
            DirectionArg::Sent => HistoryDirection::Sent,
            DirectionArg::Received => HistoryDirection::Received,
        }
    }
}

pub async fn run(
    relay: &RelayArgs,
    query: &HistoryQuery,
    json: bool,
    csv: Option<&Path>,
) -> ExitCode {
    let result = async {
        let client = relay.login().await?;
        let export = client.history_all(query, EXPORT_MAX_ROWS).await;
        let _ = client.logout().await;
        export
    }
    .await;
    let export = match result {
        Ok(export) => export,
        Err(e) => return fail("history", &e, json),
    };
    if let Some(out) = csv {
        if let Err(e) = std::fs::write(out, history_csv(&export.items)) {
            eprintln!(
                "careplan history: CSVを {} に保存できません（{e}）。保存先のフォルダを確かめてください。",
                out.display()
            );
            return ExitCode::from(EXIT_USAGE);
        }
        if !json {
            println!(
                "送受信履歴（{} 件）をCSVに保存しました: {}",
                export.items.len(),
                out.display()
            );
            return ExitCode::SUCCESS;
        }
    }
    if json {
        print_json(&serde_json::json!({
            "from": export.from,
            "to": export.to,
            "receipt_key_id": export.receipt_key_id,
            "generated_at": export.generated_at,
            "items": export.items,
        }));
    } else {
        print!("{}", render(&export));
    }
    ExitCode::SUCCESS
}

fn line(out: &mut String, e: &HistoryEntry) {
    let arrow = match e.direction {
        HistoryDirection::Sent => "→",
        HistoryDirection::Received => "←",
    };
    let _ = writeln!(
        out,
        "{} {} {arrow} {}（{}） {}",
        e.sent_at,
        direction_japanese(e.direction),
        e.partner.name,
        e.partner.number,
        e.name
    );
    let mut about = kind_japanese(e);
    if let Some(title) = &e.unit_title {
        let _ = write!(about, "／{title}");
    }
    if !e.people.is_empty() {
        let _ = write!(about, "（利用者: {}）", e.people.join("、"));
    }
    let _ = writeln!(out, "    内容: {about}");
    let who = |a: &careplan_api::HistoryActor| {
        let mut text = a.person_id.clone().unwrap_or_else(|| "（記録なし）".into());
        if let Some(name) = &a.person_name {
            let _ = write!(text, " {name}");
        }
        if let Some(terminal) = &a.terminal {
            let _ = write!(text, "、端末 {terminal}");
        }
        text
    };
    let _ = writeln!(out, "    送信者: {}", who(&e.sent_by));
    match (&e.fetched_at, &e.fetched_by) {
        (Some(at), Some(by)) => {
            let _ = writeln!(out, "    取得: {at}（{}）", who(by));
        }
        (Some(at), None) => {
            let _ = writeln!(out, "    取得: {at}");
        }
        (None, _) => {
            let _ = writeln!(out, "    取得: 未取得");
        }
    }
    let _ = writeln!(
        out,
        "    SHA-256: {}  受領証: {}",
        e.sha256,
        if e.receipt_signature.is_some() {
            "あり"
        } else {
            "なし"
        }
    );
    for later in &e.later_versions {
        let taken = later.fetched_at.as_deref().unwrap_or("未取得");
        let _ = writeln!(
            out,
            "    後の版: {}（ファイル連番 {}、取得 {taken}）",
            later.name, later.serial
        );
    }
}

fn render(export: &HistoryExport) -> String {
    let mut out = format!(
        "送受信履歴 {} ～ {}（{} 件）\n",
        export.from,
        export.to,
        export.items.len()
    );
    if export.items.is_empty() {
        out.push_str("この期間・条件の送受信はありません。\n");
        return out;
    }
    for e in &export.items {
        line(&mut out, e);
    }
    let _ = writeln!(
        out,
        "受領証は連携基盤の鍵（鍵ID {}）で署名されています。careplan verify-receipt で確かめられます。",
        export.receipt_key_id
    );
    out
}
