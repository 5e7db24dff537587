//! `careplan`: the command line of the care plan data exchange system, for vendors, scripts and
//! tests. Exit codes: 0 everything valid, 1 something invalid or refused, 2 usage error.

mod input;
mod report_text;
mod validate_command;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// ケアプランデータ連携システムのコマンドライン。
///
/// 終了コード: 0 = すべて正常、1 = 不備あり（送信できません）、2 = 使い方の誤り。
#[derive(Parser)]
#[command(name = "careplan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 標準仕様（v4.1 / v3.2）のCSVファイルと添付ファイルを、送信前に検証します。
    ///
    /// ファイルまたはフォルダ（中のファイルをすべて、サブフォルダも含めて）を指定します。
    /// 同じ連番のファイルは1つの送信単位として組み合わせも確認します。
    Validate {
        /// 結果をJSONで出力します（ok, files, units）。
        #[arg(long)]
        json: bool,
        /// 検証するファイルまたはフォルダ。
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

/// Exit code for refused or invalid input.
pub const EXIT_INVALID: u8 = 1;
/// Exit code for usage errors (bad options, missing paths).
pub const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { json, paths } => validate_command::run(&paths, json),
    }
}
