//! `careplan-relay`: create a data directory, serve, and administer the register.

use std::path::PathBuf;
use std::process::ExitCode;

use careplan_relay::error::RelayError;
use careplan_relay::pki::CertSubject;
use careplan_relay::store::{AuditQuery, ChainCheck, LicenceRow, OfficeRow, UserTable};
use careplan_relay::{Relay, RelayConfig};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// ケアプランデータ連携基盤（中継サーバ）。
///
/// 設定: DATABASE_URL（既定: データフォルダ内の SQLite、または postgres://…）、
/// BLOB_STORE_URL（既定: データフォルダ内の blobs/）。
#[derive(Parser)]
#[command(name = "careplan-relay", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct DataDir {
    /// データフォルダ。
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// データフォルダを作ります（データベース、ファイル置き場、認証局、サーバ証明書）。
    Init {
        #[command(flatten)]
        data: DataDir,
        /// サーバ証明書に入れるホスト名・IPアドレス。
        #[arg(long = "host", default_values_t = vec!["localhost".to_owned(), "127.0.0.1".to_owned()])]
        hosts: Vec<String>,
    },
    /// HTTPS（クライアント証明書必須）で待ち受けます。--portal-listen を指定すると、利用状況Webサイト
    /// （クライアント証明書不要）も別のアドレスで待ち受けます。
    Serve {
        #[command(flatten)]
        data: DataDir,
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: String,
        /// 利用状況Webサイトの待ち受けアドレス（例: 127.0.0.1:8444）。
        #[arg(long, value_name = "ADDR")]
        portal_listen: Option<String>,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// 保存期間を過ぎたデータを削除します（未取得のまま期限を過ぎたファイルの中身と、保存年数を過ぎた送受信の記録）。
    ///
    /// 削除したものは監査ログに残します。serve も1時間ごとに同じことをします。動いている serve と同時に実行できます。
    Purge {
        #[command(flatten)]
        data: DataDir,
    },
    /// 事業所を登録します。
    OfficeAdd {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        number: String,
        #[arg(long)]
        name: String,
        /// サービス種類コード（カンマ区切り、例: 43 または 11,15）。
        #[arg(long, value_delimiter = ',')]
        kinds: Vec<String>,
        #[arg(long)]
        prefecture: String,
        #[arg(long)]
        city: String,
    },
    /// 事業所を CSV ファイルからまとめて登録します（列: 事業所番号, 事業所名, サービス種類,
    /// 都道府県, 市区町村, 事業所ユーザID, 初期パスワード。UTF-8 または Shift_JIS）。
    /// 1行でも問題があれば何も登録しません。
    OfficeImport {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        file: PathBuf,
    },
    /// ログインIDを発行します（個人ユーザID c… または事業所ユーザID KJ…）。
    UserAdd {
        #[command(flatten)]
        data: DataDir,
        #[arg(long, value_enum)]
        kind: UserKind,
        #[arg(long)]
        id: String,
        #[arg(long)]
        office: String,
        /// 初期パスワード（環境変数 CAREPLAN_NEW_PASSWORD でも指定できます）。
        #[arg(long, env = "CAREPLAN_NEW_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// 事業所のクライアント証明書を発行します（PEM の証明書と秘密鍵を出力）。
    CertIssue {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        office: String,
        #[arg(long, value_enum, default_value = "kaigo-jigyousho")]
        subject: Subject,
        #[arg(long, default_value_t = 365)]
        days: i64,
        /// 出力先フォルダ。
        #[arg(long)]
        out: PathBuf,
        /// .p12 ファイルのパスワード（8文字以上。環境変数 CAREPLAN_P12_PASSWORD でも指定できます）。
        /// 指定しなければ作って一度だけ表示します。
        #[arg(long, env = "CAREPLAN_P12_PASSWORD", hide_env_values = true)]
        p12_password: Option<String>,
    },
    /// 証明書を失効させます。
    CertRevoke {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        serial: String,
    },
    /// ライセンスを付与・更新します（開始日から1年）。
    LicenceGrant {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        office: String,
        /// 開始日 YYYY-MM-DD。
        #[arg(long)]
        starts_on: String,
        /// フリーパスキャンペーン（利用料免除）。
        #[arg(long)]
        free_pass: bool,
        #[arg(long)]
        paid: bool,
    },
    /// ライセンスを更新します（現在の期限の翌日から1年。期限切れなら今日から）。
    LicenceRenew {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        office: String,
        #[arg(long)]
        free_pass: bool,
        #[arg(long)]
        paid: bool,
    },
    /// ライセンスを表示します（期間、利用料、フリーパス、支払い状況）。
    LicenceShow {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        office: String,
    },
    /// デモ用の事業所・ID・証明書・お知らせ・受信データを登録し、DIR/demo.json に書き出します
    /// （データフォルダがなければ作ります）。
    SeedDemo {
        #[command(flatten)]
        data: DataDir,
    },
    /// お知らせを掲載します。
    NoticePublish {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        title: String,
        #[arg(long)]
        body: String,
    },
    /// 掲載中のお知らせを新しい順に表示します。
    NoticeList {
        #[command(flatten)]
        data: DataDir,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// 監査ログを表示します（事業所・期間で絞り込めます。--csv でセキュリティ監査用のCSV）。
    ///
    /// --verify は、各行が前の行のハッシュを含む連鎖を最初から計算し直し、書き換え・削除・並べ替えが
    /// ないかを確かめます（見つかれば、その行を示して終了コード 1）。
    Audit {
        #[command(flatten)]
        data: DataDir,
        /// この事業所番号の行だけ。
        #[arg(long, value_name = "事業所番号")]
        office: Option<String>,
        /// この日から（YYYY-MM-DD、日本時間）。
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// この日まで（YYYY-MM-DD、その日を含む）。
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
        /// CSV（UTF-8、見出し行つき）で出力します。
        #[arg(long)]
        csv: bool,
        /// 連鎖を確かめます（ほかの指定とは併用できません）。
        #[arg(long, conflicts_with_all = ["office", "from", "to", "csv"])]
        verify: bool,
        /// 以前の --verify が表示した「行番号:ハッシュ」。その行が今もそのままかも確かめます（末尾の削除も分かります）。
        #[arg(long, value_name = "SEQ:HASH", requires = "verify")]
        expect: Option<String>,
    },
    /// 事業所の証明書発行用パスワードを発行し、一度だけ表示します（発行し直すと前のものは使えなくなります）。
    CertPasswordIssue {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        office: String,
    },
    /// フリーパス（ライセンス料の免除）を設定します。
    FreePass {
        #[command(flatten)]
        data: DataDir,
        /// on または off。
        #[arg(value_enum)]
        state: OnOff,
        /// 最終日 YYYY-MM-DD（指定しなければ期限なし）。
        #[arg(long)]
        until: Option<String>,
        /// フリーパスで付与したライセンスを期限の翌日から自動更新するか（on または off、既定 on）。
        #[arg(long, value_enum, default_value = "on")]
        auto_renew: OnOff,
    },
    /// 利用規約を差し替えます（UTF-8 のテキスト。段落は空行で区切ります）。
    TermsSet {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        file: PathBuf,
    },
    /// 利用申請の一覧を表示します。
    ApplicationsList {
        #[command(flatten)]
        data: DataDir,
    },
    /// フリーパスで付与したライセンスのうち、期限が過ぎたものを自動更新します（serve も1時間ごとに行います）。
    LicenceRenewDue {
        #[command(flatten)]
        data: DataDir,
    },
}

/// How the portal sends セキュリティメール: an SMTP server, or a folder of .eml files (demos). The
/// SMTP server's user name and password come from CAREPLAN_SMTP_USER and CAREPLAN_SMTP_PASSWORD only.
#[derive(Args)]
struct MailArgs {
    /// SMTP サーバのホスト名。
    #[arg(long, env = "CAREPLAN_SMTP_HOST")]
    smtp_host: Option<String>,
    /// SMTP サーバのポート（既定: none は 25、starttls は 587、tls は 465）。
    #[arg(long, env = "CAREPLAN_SMTP_PORT")]
    smtp_port: Option<u16>,
    /// SMTP の暗号化: none、starttls、tls。
    #[arg(
        long,
        env = "CAREPLAN_SMTP_TLS",
        value_enum,
        default_value = "starttls"
    )]
    smtp_tls: SmtpTls,
    /// 送信元のメールアドレス。
    #[arg(
        long,
        env = "CAREPLAN_MAIL_FROM",
        default_value = "ケアプランデータ連携システム <no-reply@localhost>"
    )]
    mail_from: String,
    /// SMTP の代わりに、メールを .eml ファイルとしてこのフォルダに保存します（デモ用）。
    #[arg(
        long,
        env = "CAREPLAN_MAIL_DIR",
        value_name = "DIR",
        conflicts_with = "smtp_host"
    )]
    mail_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum SmtpTls {
    None,
    Starttls,
    Tls,
}

impl MailArgs {
    fn config(&self) -> careplan_portal::MailConfig {
        use careplan_portal::{MailConfig, MailTls};
        if let Some(dir) = &self.mail_dir {
            return MailConfig::Folder {
                dir: dir.clone(),
                from: self.mail_from.clone(),
            };
        }
        let Some(host) = &self.smtp_host else {
            return MailConfig::Disabled;
        };
        let (tls, default_port) = match self.smtp_tls {
            SmtpTls::None => (MailTls::None, 25),
            SmtpTls::Starttls => (MailTls::StartTls, 587),
            SmtpTls::Tls => (MailTls::Tls, 465),
        };
        let credentials = match (
            std::env::var("CAREPLAN_SMTP_USER"),
            std::env::var("CAREPLAN_SMTP_PASSWORD"),
        ) {
            (Ok(user), Ok(password)) if !user.is_empty() => Some((user, password)),
            _ => None,
        };
        MailConfig::Smtp {
            host: host.clone(),
            port: self.smtp_port.unwrap_or(default_port),
            tls,
            from: self.mail_from.clone(),
            credentials,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum UserKind {
    Personal,
    Office,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
enum Subject {
    KaigoJigyousho,
    CarePlanJigyousho,
}

async fn open(data: &DataDir) -> Result<Relay, RelayError> {
    Relay::open(RelayConfig::new(&data.data).with_environment()).await
}

async fn run(command: Command) -> Result<(), RelayError> {
    match command {
        Command::Init { data, hosts } => {
            let relay =
                Relay::init(RelayConfig::new(&data.data).with_environment(), &hosts).await?;
            println!("データフォルダを作りました: {}", data.data.display());
            println!(
                "認証局の証明書（クライアントに設定）: {}",
                relay.ca_pem_path().display()
            );
        }
        Command::Serve {
            data,
            listen,
            portal_listen,
            mail,
        } => {
            let relay = open(&data).await?;
            let running = relay.serve(&listen).await?;
            println!("待ち受け中: https://{}（終了は Ctrl+C）", running.addr);
            let purge = careplan_relay::retention::schedule(
                relay.state.clone(),
                std::time::Duration::from_secs(3600),
            );
            let portal = match portal_listen {
                Some(addr) => {
                    let config = careplan_portal::PortalConfig {
                        mail: mail.config(),
                        ..careplan_portal::PortalConfig::default()
                    };
                    let portal = careplan_portal::serve(&relay, &addr, config).await?;
                    println!("利用状況Webサイト: https://{}/", portal.addr);
                    Some(portal)
                }
                None => None,
            };
            tokio::signal::ctrl_c().await?;
            purge.abort();
            drop(portal);
            running.stop();
            relay.state.store.close().await;
        }
        Command::Purge { data } => {
            let relay =
                Relay::open_beside_serve(RelayConfig::new(&data.data).with_environment()).await?;
            let report = relay.purge(careplan_relay::clock::now_ms()).await?;
            println!(
                "未取得のまま保存期間を過ぎたファイル {} 件の中身と、保存年数を過ぎた送受信の記録 {} 件を削除しました。",
                report.contents, report.messages
            );
            if report.blobs_left > 0 {
                println!(
                    "うち {} 件の中身はいま削除できませんでした（次に serve を起動したときに削除されます）。",
                    report.blobs_left
                );
            }
        }
        Command::OfficeAdd {
            data,
            number,
            name,
            kinds,
            prefecture,
            city,
        } => {
            open(&data)
                .await?
                .add_office(&OfficeRow {
                    number: number.clone(),
                    name,
                    service_kinds: kinds,
                    prefecture,
                    city,
                })
                .await?;
            println!("事業所 {number} を登録しました。");
        }
        Command::OfficeImport { data, file } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| RelayError::Config(format!("{} を読めません: {e}", file.display())))?;
            let count = open(&data).await?.import_offices(&bytes).await?;
            println!("{count}件の事業所を登録しました。");
        }
        Command::UserAdd {
            data,
            kind,
            id,
            office,
            password,
        } => {
            let table = match kind {
                UserKind::Personal => UserTable::Personal,
                UserKind::Office => UserTable::Office,
            };
            open(&data)
                .await?
                .add_user(table, &id, &office, &password)
                .await?;
            println!("ID {id} を発行しました。");
        }
        Command::CertIssue {
            data,
            office,
            subject,
            days,
            out,
            p12_password,
        } => {
            let subject = match subject {
                Subject::KaigoJigyousho => CertSubject::KaigoJigyousho,
                Subject::CarePlanJigyousho => CertSubject::CarePlanJigyousho,
            };
            let generated = p12_password.is_none();
            let password = p12_password.unwrap_or_else(careplan_relay::pki::random_password);
            let files = open(&data)
                .await?
                .issue_certificate(&office, subject, days, &out, &password)
                .await?;
            println!(
                "証明書を発行しました（シリアル {}、{} まで有効）",
                files.issued.serial,
                files.issued.not_after.date()
            );
            println!("証明書: {}", files.certificate.display());
            println!("秘密鍵: {}", files.private_key.display());
            println!("PKCS#12（Windows 用）: {}", files.pkcs12.display());
            if generated {
                println!(
                    "PKCS#12 のパスワード: {password}（事業所には証明書とは別の方法で伝えてください）"
                );
            }
        }
        Command::CertRevoke { data, serial } => {
            open(&data).await?.revoke_certificate(&serial).await?;
            println!("証明書 {serial} を失効させました。");
        }
        Command::LicenceGrant {
            data,
            office,
            starts_on,
            free_pass,
            paid,
        } => {
            let starts = careplan_relay::admin::parse_date(&starts_on)?;
            let licence = open(&data)
                .await?
                .grant_licence(&office, starts, free_pass, paid)
                .await?;
            println!(
                "ライセンスを付与しました: {} ～ {}",
                licence.starts_on, licence.expires_on
            );
        }
        Command::LicenceRenew {
            data,
            office,
            free_pass,
            paid,
        } => {
            let licence = open(&data)
                .await?
                .renew_licence(&office, free_pass, paid)
                .await?;
            println!(
                "ライセンスを更新しました: {} ～ {}",
                licence.starts_on, licence.expires_on
            );
        }
        Command::LicenceShow { data, office } => match open(&data).await?.licence(&office).await? {
            Some(licence) => print!("{}", describe_licence(&licence)),
            None => println!("事業所 {office} にはライセンスがありません。"),
        },
        Command::SeedDemo { data } => {
            let config = RelayConfig::new(&data.data).with_environment();
            let relay = if config.pki_dir().join("ca.key").exists() {
                Relay::open(config).await?
            } else {
                Relay::init(config, &["localhost".to_owned(), "127.0.0.1".to_owned()]).await?
            };
            let info = relay.seed_demo().await?;
            println!(
                "デモデータを登録しました: {}",
                careplan_relay::demo::demo_json_path(&data.data).display()
            );
            for office in &info.offices {
                println!(
                    "  {} {}  個人ユーザID {} / 事業所ユーザID {}",
                    office.number, office.name, office.personal_user_id, office.office_user_id
                );
            }
        }
        Command::NoticePublish { data, title, body } => {
            open(&data).await?.publish_notice(&title, &body).await?;
            println!("お知らせを掲載しました。");
        }
        Command::Audit {
            data,
            office,
            from,
            to,
            csv,
            verify,
            expect,
        } => {
            let expect = match expect.as_deref().map(|e| e.split_once(':')) {
                None => None,
                Some(Some((seq, hash))) if seq.parse::<i64>().is_ok() && !hash.is_empty() => {
                    Some((seq.parse::<i64>().unwrap_or_default(), hash.to_owned()))
                }
                Some(_) => return Err(RelayError::Config(
                    "--expect は「行番号:ハッシュ」（--verify が表示したもの）で指定してください。"
                        .into(),
                )),
            };
            let relay = open(&data).await?;
            let audit = relay.state.store.audit();
            if verify {
                let expected = expect.as_ref().map(|(seq, hash)| (*seq, hash.as_str()));
                match audit.verify(expected).await? {
                    ChainCheck::Intact { lines } => {
                        let (seq, hash) = audit.head().await?;
                        println!("監査ログの連鎖は、{lines} 行すべて書かれたときのままです。");
                        println!("最後の行: {seq}:{hash}（この値を控えておくと、次の --verify --expect で末尾の削除も確かめられます）");
                    }
                    ChainCheck::Broken { seq, why } => {
                        eprintln!(
                            "careplan-relay: 監査ログの連鎖が {seq} 行目で切れています。{why}"
                        );
                        std::process::exit(1);
                    }
                }
                return Ok(());
            }
            let day_start = |text: &str, days: i64| -> Result<i64, RelayError> {
                let date = careplan_relay::admin::parse_date(text)? + time::Duration::days(days);
                Ok(careplan_relay::clock::day_start_ms(date))
            };
            let query = AuditQuery {
                office,
                from: from.as_deref().map(|d| day_start(d, 0)).transpose()?,
                to: to.as_deref().map(|d| day_start(d, 1)).transpose()?,
            };
            let lines = audit.query(&query).await?;
            print!("{}", audit_text(&lines, csv));
        }
        Command::NoticeList { data, limit } => {
            let notices = open(&data).await?.notices(limit).await?;
            if notices.is_empty() {
                println!("掲載中のお知らせはありません。");
            }
            for notice in notices {
                println!(
                    "{}  {}  {}",
                    &careplan_relay::clock::rfc3339(notice.published_at)[..16].replace('T', " "),
                    notice.id,
                    notice.title
                );
            }
        }
        Command::CertPasswordIssue { data, office } => {
            let password = open(&data).await?.issue_issuance_password(&office).await?;
            println!("事業所 {office} の証明書発行用パスワード: {password}");
            println!("（この表示は一度だけです。事業所には安全な方法で伝えてください。）");
        }
        Command::FreePass {
            data,
            state,
            until,
            auto_renew,
        } => {
            let until = until
                .as_deref()
                .map(careplan_relay::admin::parse_date)
                .transpose()?;
            let free_pass = careplan_relay::licensing::FreePass {
                enabled: state == OnOff::On,
                until,
                auto_renew: auto_renew == OnOff::On,
            };
            open(&data).await?.set_free_pass(free_pass).await?;
            match (free_pass.enabled, free_pass.until) {
                (false, _) => println!("フリーパスを終了しました。"),
                (true, Some(until)) => println!(
                    "フリーパスを {until} まで適用します（自動更新: {}）。",
                    if free_pass.auto_renew {
                        "あり"
                    } else {
                        "なし"
                    }
                ),
                (true, None) => println!(
                    "フリーパスを期限なしで適用します（自動更新: {}）。",
                    if free_pass.auto_renew {
                        "あり"
                    } else {
                        "なし"
                    }
                ),
            }
        }
        Command::TermsSet { data, file } => {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                RelayError::Config(format!(
                    "{} を UTF-8 のテキストとして読めません: {e}",
                    file.display()
                ))
            })?;
            let version = open(&data).await?.publish_terms(&text).await?;
            println!("利用規約（第{version}版）を掲載しました。これからの利用申請は、この利用規約への同意になります。");
        }
        Command::ApplicationsList { data } => {
            let applications = open(&data).await?.applications().await?;
            if applications.is_empty() {
                println!("利用申請はまだありません。");
            }
            for (application, name) in applications {
                let method =
                    careplan_relay::store::PaymentMethod::parse(&application.payment_method)
                        .map(|m| m.label())
                        .unwrap_or("不明");
                println!(
                    "{}  {}  {}  申請者 {}  利用規約 第{}版  支払方法 {method}",
                    &careplan_relay::clock::rfc3339(application.applied_at)[..16].replace('T', " "),
                    application.office_number,
                    name,
                    application.applied_by,
                    application.terms_version,
                );
            }
        }
        Command::LicenceRenewDue { data } => {
            let renewed = open(&data)
                .await?
                .renew_due_licences(careplan_relay::licensing::today())
                .await?;
            println!("{}件のライセンスを自動更新しました。", renewed.len());
        }
    }
    Ok(())
}

/// The licence as an administrator reads it, one fact per line.
fn describe_licence(licence: &LicenceRow) -> String {
    let fee = if licence.free_pass {
        format!("{}円（フリーパスにより免除）", licence.fee_yen)
    } else {
        format!("{}円", licence.fee_yen)
    };
    let payment = match licence.payment.as_str() {
        "paid" => "支払済",
        "waived" => "免除",
        _ => "未払い",
    };
    let today = time::OffsetDateTime::now_utc()
        .to_offset(careplan_relay::clock::JST)
        .date();
    let state = match careplan_relay::admin::parse_date(&licence.expires_on) {
        Ok(expires) if expires < today => "期限切れ".to_owned(),
        Ok(expires) => format!("有効（残り{}日）", (expires - today).whole_days() + 1),
        Err(_) => "不明".to_owned(),
    };
    format!(
        "事業所番号: {}\n利用期間: {} ～ {}\n状態: {state}\n利用料: {fee}\nフリーパス: {}\n支払い状況: {payment}\n",
        licence.office_number,
        licence.starts_on,
        licence.expires_on,
        if licence.free_pass { "あり" } else { "なし" },
    )
}

/// Audit lines for the operator: a line each, or CSV (UTF-8, a header row) for a security review.
fn audit_text(lines: &[careplan_relay::store::AuditLine], csv: bool) -> String {
    let when = |at: i64| careplan_relay::clock::rfc3339(at);
    if csv {
        let mut writer = ::csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record([
            "seq",
            "日時",
            "事業所番号",
            "実行者",
            "操作",
            "内容",
            "ハッシュ",
        ]);
        // Text a visitor could have typed (a login ID) must not run as a formula in a spreadsheet.
        let cell = |text: &str| match text.starts_with(['=', '+', '-', '@']) {
            true => format!("'{text}"),
            false => text.to_owned(),
        };
        for line in lines {
            let _ = writer.write_record([
                line.seq.to_string(),
                when(line.at),
                line.office.clone().unwrap_or_default(),
                cell(&line.actor),
                cell(&line.action),
                cell(&line.detail),
                line.hash.clone(),
            ]);
        }
        return String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default();
    }
    if lines.is_empty() {
        return "該当する監査ログはありません。\n".to_owned();
    }
    lines
        .iter()
        .map(|line| {
            format!(
                "{:>6}  {}  {}  {}  {}  {}\n",
                line.seq,
                when(line.at),
                line.office.as_deref().unwrap_or("-"),
                line.actor,
                line.action,
                line.detail
            )
        })
        .collect()
}

fn main() -> ExitCode {
    careplan_relay::tune_allocator();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(RelayError::Config(message)) => {
            eprintln!("careplan-relay: {message}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("careplan-relay: {e}");
            ExitCode::FAILURE
        }
    }
}
