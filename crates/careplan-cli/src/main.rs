//! `careplan`: the command line of the care plan data exchange system, for vendors, scripts and
//! tests: validate files, and exchange them through the relay (lists, send, bulk send, fetch,
//! drafts). Exit codes: 0 ok, 1 invalid or refused, 2 usage, 3 connection or TLS.

mod drafts_command;
mod fetch_command;
mod history_command;
mod input;
mod mailbox_command;
mod outcome;
mod receipt_command;
mod reconcile_command;
mod relay_args;
mod report_text;
mod send_command;
mod show_command;
mod show_text;
mod validate_command;

use std::path::PathBuf;
use std::process::ExitCode;

use careplan_api::HistoryQuery;
use careplan_client::Mailbox;
use clap::{ArgGroup, Parser, Subcommand};

use drafts_command::DraftsCommand;
use outcome::block_on;
use relay_args::RelayArgs;

const AFTER_HELP: &str = "\
接続の設定は環境変数でも指定できます:
  CAREPLAN_RELAY            連携基盤の接続先（https://…）
  CAREPLAN_CA               連携基盤の認証局の証明書（PEM）
  CAREPLAN_CERT             事業所の電子証明書（.p12/.pfx または .pem）
  CAREPLAN_CERT_PASSWORD    電子証明書（.p12）のパスワード
  CAREPLAN_USER             個人ユーザID（c…）
  CAREPLAN_PASSWORD         個人ユーザIDのパスワード
  CAREPLAN_OFFICE_USER      事業所ユーザID（KJ…）
  CAREPLAN_OFFICE_PASSWORD  事業所ユーザIDのパスワード
  CAREPLAN_TERMINAL         端末名（既定: このPCの名前）

終了コード: 0 = 正常、1 = 不備あり・連携基盤が受け付けず、2 = 使い方・設定の誤り、3 = 接続できない・TLSの失敗。";

/// ケアプランデータ連携システムのコマンドライン。
#[derive(Parser)]
#[command(
    name = "careplan",
    version,
    about = "ケアプランデータ連携システムのコマンドライン（検証・表示・予実突合と送受信）",
    after_help = AFTER_HELP
)]
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
    /// 標準仕様のファイルや送信単位の内容を、読める形（日本語）またはJSONで表示します。
    ///
    /// ファイルまたはフォルダを指定します。送信単位（同じ連番のファイル）ごとに、何のファイルか・
    /// 誰のものかを示し、各レコードを項目名と値（コードは意味つき）で表示します。
    Show {
        /// 型つきのレコードをJSONで出力します（docs/records-json.md）。
        #[arg(long)]
        json: bool,
        /// 表示するファイルまたはフォルダ。
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// 予定（第6表 UPPLAN）と実績（UPJSK）を突き合わせます（予実突合）。
    ///
    /// 同じ保険者番号・被保険者番号・対象年月の予定と実績を、サービス・事業所・日ごとに比べます。
    /// フォルダを指定すると、複数の利用者をまとめて突き合わせます。
    Reconcile {
        /// 予定のファイルまたはフォルダ（居宅介護支援事業所の UPPLAN、補足があれば利用者名も表示）。
        #[arg(value_name = "PLAN")]
        plan: PathBuf,
        /// 実績のファイルまたはフォルダ（サービス事業所の UPJSK）。
        #[arg(value_name = "ACTUAL")]
        actual: PathBuf,
        /// 結果をJSONで出力します。
        #[arg(long)]
        json: bool,
        /// 結果をCSV（Shift-JIS、見出し行つき。Excelで開けます）に書き出します。
        #[arg(long, value_name = "OUT")]
        csv: Option<PathBuf>,
    },
    /// 受信一覧を表示します（新しい順）。
    Inbox {
        #[command(flatten)]
        relay: RelayArgs,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 50)]
        per_page: u32,
        /// JSON で出力します（MessagePage）。
        #[arg(long)]
        json: bool,
    },
    /// 送信一覧を表示します（新しい順、ダウンロード状況つき）。
    Outbox {
        #[command(flatten)]
        relay: RelayArgs,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 50)]
        per_page: u32,
        #[arg(long)]
        json: bool,
    },
    /// ファイルを1つの事業所へ送信します（先に標準仕様で検証します）。
    Send {
        #[command(flatten)]
        relay: RelayArgs,
        /// 送信先の事業所番号。
        #[arg(long)]
        to: String,
        /// メッセージ。
        #[arg(long, default_value = "")]
        message: String,
        #[arg(long)]
        json: bool,
        /// 送信するファイルまたはフォルダ。
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// ファイル名の送信先ごとに振り分けて一括送信します（送信先ごとに結果を表示）。
    BulkSend {
        #[command(flatten)]
        relay: RelayArgs,
        /// すべての送信先に付けるメッセージ。
        #[arg(long, default_value = "")]
        message: String,
        #[arg(long)]
        json: bool,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// 受信データを取得してフォルダに保存します（同じ名前のファイルは上書きしません）。
    #[command(group(ArgGroup::new("which").required(true).args(["all", "ids"])))]
    Fetch {
        #[command(flatten)]
        relay: RelayArgs,
        /// 未取得のデータをすべて取得します。
        #[arg(long)]
        all: bool,
        /// 取得する受信データの ID またはファイルの ID（careplan inbox で表示されます）。
        #[arg(value_name = "ID")]
        ids: Vec<String>,
        /// 保存先フォルダ。
        #[arg(long = "to", value_name = "DIR")]
        folder: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 送信したファイルの受領証（相手先がデータ取得したことの、連携基盤の署名付きの証明）を取得します。
    ///
    /// ファイルの ID は careplan outbox で表示されます。相手先がデータ取得すると発行されます。
    Receipt {
        #[command(flatten)]
        relay: RelayArgs,
        /// 送信一覧のファイルの ID。
        #[arg(value_name = "FILE_ID")]
        file_id: String,
        /// 受領証を保存するファイル（指定しなければ画面に表示します）。
        #[arg(long, value_name = "OUT")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// 受領証を、連携基盤の公開鍵で確かめます（ネットワークは使いません）。
    ///
    /// --file を指定すると、そのファイルが受領証の示すファイル（SHA-256 と大きさ）かも確かめます。
    VerifyReceipt {
        /// 受領証のファイル（careplan receipt で保存したもの）。
        #[arg(value_name = "RECEIPT")]
        receipt: PathBuf,
        /// 連携基盤の公開鍵（receipt.pub、PEM）。
        #[arg(long, value_name = "KEY")]
        key: PathBuf,
        /// 受領証と照らし合わせるファイル。
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// 送受信履歴: 期間内に送信・受信したファイルを、送信者・取得者・受領証・後の版とともに表示します。
    ///
    /// 運営指導で示す記録として、--csv でExcelで開けるCSV（Shift-JIS）に書き出せます。
    History {
        #[command(flatten)]
        relay: RelayArgs,
        /// 期間の初日（YYYY-MM-DD、送信日）。
        #[arg(long, value_name = "DATE")]
        from: String,
        /// 期間の末日（この日を含みます）。
        #[arg(long, value_name = "DATE")]
        to: String,
        /// 送信だけ、または受信だけ。
        #[arg(long, value_enum)]
        direction: Option<history_command::DirectionArg>,
        /// 相手先の事業所番号。
        #[arg(long, value_name = "NUMBER")]
        partner: Option<String>,
        /// 利用者の保険者番号。
        #[arg(long)]
        insurer: Option<String>,
        /// 利用者の被保険者番号。
        #[arg(long)]
        insured: Option<String>,
        /// 利用者の氏名（一部でも。空白は無視します）。
        #[arg(long)]
        name: Option<String>,
        /// ファイルの種類。
        #[arg(long, value_enum)]
        kind: Option<history_command::KindArg>,
        /// 対象年月（YYYYMM）。
        #[arg(long, value_name = "YYYYMM")]
        month: Option<String>,
        #[arg(long)]
        json: bool,
        /// CSV（Shift-JIS、見出し行つき。Excelで開けます）に書き出します。
        #[arg(long, value_name = "OUT")]
        csv: Option<PathBuf>,
    },
    /// 下書きを扱います（一覧、一時保存、送信、削除）。
    Drafts {
        #[command(flatten)]
        relay: RelayArgs,
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        command: DraftsCommand,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Validate { json, paths } => validate_command::run(&paths, json),
        Command::Show { json, paths } => show_command::run(&paths, json),
        Command::Reconcile {
            plan,
            actual,
            json,
            csv,
        } => reconcile_command::run(&plan, &actual, json, csv.as_ref()),
        Command::Inbox {
            relay,
            page,
            per_page,
            json,
        } => block_on(mailbox_command::run(
            &relay,
            Mailbox::Inbox,
            page,
            per_page,
            json,
        )),
        Command::Outbox {
            relay,
            page,
            per_page,
            json,
        } => block_on(mailbox_command::run(
            &relay,
            Mailbox::Outbox,
            page,
            per_page,
            json,
        )),
        Command::Send {
            relay,
            to,
            message,
            json,
            files,
        } => block_on(send_command::send(&relay, &to, &message, &files, json)),
        Command::BulkSend {
            relay,
            message,
            json,
            files,
        } => block_on(send_command::bulk_send(&relay, &message, &files, json)),
        Command::Fetch {
            relay,
            all,
            ids,
            folder,
            json,
        } => block_on(fetch_command::run(&relay, all, &ids, &folder, json)),
        Command::Drafts {
            relay,
            json,
            command,
        } => block_on(drafts_command::run(&relay, &command, json)),
        Command::Receipt {
            relay,
            file_id,
            out,
            json,
        } => block_on(receipt_command::fetch(
            &relay,
            &file_id,
            out.as_deref(),
            json,
        )),
        Command::History {
            relay,
            from,
            to,
            direction,
            partner,
            insurer,
            insured,
            name,
            kind,
            month,
            json,
            csv,
        } => {
            let query = HistoryQuery {
                from,
                to,
                direction: direction.map(Into::into),
                partner,
                insurer,
                insured,
                name,
                kind: kind.map(Into::into),
                month,
                page: None,
                per_page: None,
            };
            block_on(history_command::run(&relay, &query, json, csv.as_deref()))
        }
        Command::VerifyReceipt {
            receipt,
            key,
            file,
            json,
        } => receipt_command::verify(&receipt, &key, file.as_deref(), json),
    }
}
