//! Demo data for the README's main command and practice mode: four offices with IDs, certificates,
//! licences and notices, and a few received items made from the standard's sample files. Writes
//! `DATA/demo.json` so the desktop app and the CLI can be configured from it.
//!
//! The demo passwords are written into `demo.json` on purpose: they are sample data for a local,
//! throwaway relay, never real credentials.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde::Serialize;

use crate::delivery::{deliver, Outgoing, Sender, Upload};
use crate::error::RelayError;
use crate::pki::CertSubject;
use crate::store::{OfficeRow, UserTable};
use crate::{Relay, RelayConfig, RunningRelay};

/// One demo office and how to log in as it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct DemoOffice {
    pub number: String,
    pub name: String,
    pub service_kinds: Vec<String>,
    pub personal_user_id: String,
    pub personal_password: String,
    pub office_user_id: String,
    pub office_password: String,
    pub certificate: PathBuf,
    pub private_key: PathBuf,
    /// The same certificate and key as PKCS#12, protected by `pkcs12_password`.
    pub pkcs12: PathBuf,
    pub pkcs12_password: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct DemoInfo {
    /// The CA certificate the clients must trust.
    pub ca_certificate: PathBuf,
    pub offices: Vec<DemoOffice>,
    /// The office registered by the operator that has not joined yet: it tries the portal.
    #[serde(default)]
    pub newcomer: Option<DemoNewcomer>,
}

/// The demo office that joins through the portal: registered (`office-import`), with a temporary
/// password and a 証明書発行用パスワード, but no licence, no 個人ユーザID and no certificate yet.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct DemoNewcomer {
    pub number: String,
    pub name: String,
    pub office_user_id: String,
    /// The 仮パスワード the portal asks to change first.
    pub temporary_password: String,
    /// 証明書発行用パスワード.
    pub issuance_password: String,
}

/// A demo office of the register and its login IDs (the passwords are all [`DEMO_PASSWORD`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOfficeSeed {
    pub number: &'static str,
    pub name: &'static str,
    /// Its one サービス種類コード.
    pub service_kind: &'static str,
    pub personal_user_id: &'static str,
    pub office_user_id: &'static str,
    /// The 氏名 of its 個人ユーザID (a 管理者).
    pub person_name: &'static str,
    /// 事業所名（カナ）, for 利用事業所検索.
    pub name_kana: &'static str,
}

/// The 居宅介護支援事業所 of the sample files: it makes plans and use sheets.
pub const CARE_MANAGER: DemoOfficeSeed = DemoOfficeSeed {
    number: "1370000018",
    name: "ひだまり居宅介護支援事業所",
    service_kind: "43",
    personal_user_id: "c1370000018a",
    office_user_id: "KJ137000001801",
    person_name: "山田　花子",
    name_kana: "ヒダマリキョタクカイゴシエンジギョウショ",
};
/// 訪問介護, the service office of the sample files: it receives them and sends 実績.
pub const HOME_HELP: DemoOfficeSeed = DemoOfficeSeed {
    number: "1370000026",
    name: "ひまわりヘルパーステーション",
    service_kind: "11",
    personal_user_id: "c1370000026a",
    office_user_id: "KJ137000002601",
    person_name: "佐藤　一郎",
    name_kana: "ヒマワリヘルパーステーション",
};
/// 通所介護.
pub const DAY_SERVICE: DemoOfficeSeed = DemoOfficeSeed {
    number: "1370000034",
    name: "あおぞらデイサービス",
    service_kind: "15",
    personal_user_id: "c1370000034a",
    office_user_id: "KJ137000003401",
    person_name: "鈴木　美咲",
    name_kana: "アオゾラデイサービス",
};
/// 福祉用具貸与.
pub const WELFARE_EQUIPMENT: DemoOfficeSeed = DemoOfficeSeed {
    number: "1370000042",
    name: "さくら福祉用具センター",
    service_kind: "17",
    personal_user_id: "c1370000042a",
    office_user_id: "KJ137000004201",
    person_name: "高橋　健",
    name_kana: "サクラフクシヨウグセンター",
};

/// The demo register: the offices of the sample files, plus two more service offices.
pub const OFFICES: &[DemoOfficeSeed] = &[CARE_MANAGER, HOME_HELP, DAY_SERVICE, WELFARE_EQUIPMENT];

/// Every demo ID's password, and the demo certificates' .p12 password.
pub const DEMO_PASSWORD: &str = "demo-pass-2025";

/// 訪問看護, registered by the operator but not joined: the portal's demo account.
pub const NEWCOMER: DemoNewcomerSeed = DemoNewcomerSeed {
    number: "1370000059",
    name: "つばさ訪問看護ステーション",
    name_kana: "ツバサホウモンカンゴステーション",
    service_kind: "13",
    office_user_id: "KJ137000005901",
    temporary_password: "kari-pass-2025",
    issuance_password: "cert-pass-2025",
};

/// The newcomer as the register and the operator's letter (電子請求登録結果に関するお知らせ) have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoNewcomerSeed {
    pub number: &'static str,
    pub name: &'static str,
    pub name_kana: &'static str,
    pub service_kind: &'static str,
    pub office_user_id: &'static str,
    pub temporary_password: &'static str,
    pub issuance_password: &'static str,
}

macro_rules! fixture {
    ($case:literal, $name:literal) => {
        (
            $name,
            include_bytes!(concat!("../../../fixtures/valid/", $case, "/", $name)).as_slice(),
        )
    };
}

/// A plan unit (with attachments) and a use-sheet unit from the 居宅, and an actual from 訪問介護.
const PLAN: &[(&str, &[u8])] = &[
    fixture!(
        "v41-plan-with-attachments",
        "UP1KYO_1370000018_43_1370000026_11_20250401093000.CSV"
    ),
    fixture!(
        "v41-plan-with-attachments",
        "UP2KYO_1370000018_43_1370000026_11_20250401093000.CSV"
    ),
    fixture!(
        "v41-plan-with-attachments",
        "UP3KYO_1370000018_43_1370000026_11_20250401093000.CSV"
    ),
    fixture!(
        "v41-plan-with-attachments",
        "UPHOSOKU_000000_1370000018_43_1370000026_11_20250401093000.CSV"
    ),
    fixture!("v41-plan-with-attachments", "主治医意見書.pdf"),
];
const USE_SHEET: &[(&str, &[u8])] = &[
    fixture!(
        "v41-use-sheet",
        "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV"
    ),
    fixture!(
        "v41-use-sheet",
        "UPSIKYU_202504_1370000018_43_1370000026_11_20250325120000.CSV"
    ),
    fixture!(
        "v41-use-sheet",
        "UPHOSOKU_202504_1370000018_43_1370000026_11_20250325120000.CSV"
    ),
];
const ACTUAL: &[(&str, &[u8])] = &[fixture!(
    "v41-actual",
    "UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV"
)];

/// The sample files practice mode gives the trainee to send: the use-sheet unit of the 居宅 (the
/// first demo office) to 訪問介護 (the second), as (file name, bytes).
pub fn practice_samples() -> &'static [(&'static str, &'static [u8])] {
    USE_SHEET
}

fn uploads(files: &[(&str, &'static [u8])]) -> Vec<Upload> {
    files
        .iter()
        .map(|(name, bytes)| Upload {
            name: (*name).to_owned(),
            bytes: Bytes::from_static(bytes),
        })
        .collect()
}

impl Relay {
    /// Seeds the demo data into an empty relay (the register and a few received items) and writes
    /// `demo.json` into the data directory.
    pub async fn seed_demo(&self) -> Result<DemoInfo, RelayError> {
        let info = self.seed_demo_register(OFFICES).await?;
        self.seed_demo_messages().await?;
        Ok(info)
    }

    /// Seeds demo offices (with their IDs, licences and certificates) and the notices, without any
    /// message, and writes `demo.json`.
    pub async fn seed_demo_register(
        &self,
        seeds: &[DemoOfficeSeed],
    ) -> Result<DemoInfo, RelayError> {
        let certs_dir = self.config.data_dir.join("demo-certs");
        let mut offices = Vec::new();
        for seed in seeds {
            self.add_office(&OfficeRow {
                number: seed.number.into(),
                name: seed.name.into(),
                service_kinds: vec![seed.service_kind.into()],
                prefecture: "東京都".into(),
                city: "新宿区".into(),
            })
            .await?;
            for (table, id) in [
                (UserTable::Personal, seed.personal_user_id),
                (UserTable::Office, seed.office_user_id),
            ] {
                self.add_user(table, id, seed.number, DEMO_PASSWORD).await?;
            }
            let scope = self.operator().office(seed.number).await?;
            self.state
                .store
                .staff(&scope)
                .set_name(seed.personal_user_id, seed.person_name)
                .await?;
            self.state
                .store
                .listing(&scope)
                .set(true, seed.name_kana)
                .await?;
            // The licence runs out in about 20 days, so that the top page shows its warning.
            let starts = time::OffsetDateTime::now_utc().date() - time::Duration::days(345);
            self.grant_licence(seed.number, starts, true, false).await?;
            let files = self
                .issue_certificate(
                    seed.number,
                    CertSubject::KaigoJigyousho,
                    365,
                    &certs_dir,
                    DEMO_PASSWORD,
                )
                .await?;
            offices.push(DemoOffice {
                number: seed.number.into(),
                name: seed.name.into(),
                service_kinds: vec![seed.service_kind.into()],
                personal_user_id: seed.personal_user_id.into(),
                personal_password: DEMO_PASSWORD.into(),
                office_user_id: seed.office_user_id.into(),
                office_password: DEMO_PASSWORD.into(),
                certificate: files.certificate,
                private_key: files.private_key,
                pkcs12: files.pkcs12,
                pkcs12_password: DEMO_PASSWORD.into(),
            });
        }
        self.publish_notice(
            "ケアプランデータ連携システムへようこそ",
            "これはデモ環境です。送受信したデータは練習用です。",
        )
        .await?;
        self.publish_notice(
            "システムメンテナンスのお知らせ",
            "毎月第3日曜日 2:00～4:00 はメンテナンスのため利用できません。",
        )
        .await?;
        let newcomer = self.seed_demo_newcomer().await?;
        let info = DemoInfo {
            ca_certificate: self.ca_pem_path(),
            offices,
            newcomer: Some(newcomer),
        };
        let json =
            serde_json::to_string_pretty(&info).map_err(|e| RelayError::Internal(e.to_string()))?;
        std::fs::write(demo_json_path(&self.config.data_dir), json)?;
        Ok(info)
    }

    /// The portal's demo account ([`NEWCOMER`]): imported as `office-import` does (a temporary
    /// password), with a 証明書発行用パスワード; and the フリーパス on until 2027-03-31 with automatic
    /// renewal, as the real campaign runs.
    pub async fn seed_demo_newcomer(&self) -> Result<DemoNewcomer, RelayError> {
        let seed = NEWCOMER;
        let csv = format!(
            "{},{},{},東京都,新宿区,{},{}\n",
            seed.number, seed.name, seed.service_kind, seed.office_user_id, seed.temporary_password
        );
        self.import_offices(csv.as_bytes()).await?;
        self.set_issuance_password(seed.number, seed.issuance_password)
            .await?;
        let scope = self.operator().office(seed.number).await?;
        self.state
            .store
            .listing(&scope)
            .set(true, seed.name_kana)
            .await?;
        self.set_free_pass(crate::licensing::FreePass {
            enabled: true,
            until: Some(time::macros::date!(2027 - 03 - 31)),
            auto_renew: true,
        })
        .await?;
        Ok(DemoNewcomer {
            number: seed.number.into(),
            name: seed.name.into(),
            office_user_id: seed.office_user_id.into(),
            temporary_password: seed.temporary_password.into(),
            issuance_password: seed.issuance_password.into(),
        })
    }

    /// 練習モード's arrival after the login: 訪問介護 sends the 居宅 its 実績 again, so that the 受信通知
    /// (the badge, the notification) shows in a classroom. Needs [`CARE_MANAGER`] and
    /// [`HOME_HELP`] in the register.
    pub async fn deliver_practice_arrival(&self) -> Result<(), RelayError> {
        let from = Sender {
            office: self.operator().office(HOME_HELP.number).await?,
            person: HOME_HELP.personal_user_id.into(),
            terminal: "デモ端末".into(),
        };
        let outgoing = Outgoing {
            to: CARE_MANAGER.number,
            message: "【練習】4月分の実績を修正して送り直します。",
            uploads: uploads(ACTUAL),
            idempotency: None,
            from_draft: None,
        };
        deliver(&self.state, &from, outgoing).await?;
        Ok(())
    }

    /// The demo's received items: a plan unit and a use-sheet unit from the 居宅 to 訪問介護, and an
    /// 実績 back. Needs [`CARE_MANAGER`] and [`HOME_HELP`] in the register.
    pub async fn seed_demo_messages(&self) -> Result<(), RelayError> {
        let sender = |seed: &DemoOfficeSeed| {
            let seed = *seed;
            async move {
                Ok::<_, RelayError>(Sender {
                    office: self.operator().office(seed.number).await?,
                    person: seed.personal_user_id.into(),
                    terminal: "デモ端末".into(),
                })
            }
        };
        let (care_manager, home_help) = (sender(&CARE_MANAGER).await?, sender(&HOME_HELP).await?);
        for (from, to, message, files) in [
            (
                &care_manager,
                HOME_HELP.number,
                "4月のケアプランです。ご確認ください。",
                PLAN,
            ),
            (
                &care_manager,
                HOME_HELP.number,
                "4月分のサービス利用票です。",
                USE_SHEET,
            ),
            (
                &home_help,
                CARE_MANAGER.number,
                "4月分の実績をお送りします。",
                ACTUAL,
            ),
        ] {
            let outgoing = Outgoing {
                to,
                message,
                uploads: uploads(files),
                idempotency: None,
                from_draft: None,
            };
            deliver(&self.state, from, outgoing).await?;
        }
        Ok(())
    }
}

pub fn demo_json_path(data_dir: &Path) -> PathBuf {
    data_dir.join("demo.json")
}

/// A seeded relay serving on a free port of 127.0.0.1: what practice mode runs inside the desktop
/// app, and what the tests start.
pub struct LocalDemo {
    pub relay: Relay,
    pub info: DemoInfo,
    pub running: RunningRelay,
}

impl LocalDemo {
    /// Creates the relay's data in `config.data_dir` (certificates for `hosts`), seeds the demo
    /// register (and the demo's received items when `with_messages`), and serves.
    pub async fn start(
        config: RelayConfig,
        hosts: &[&str],
        seeds: &[DemoOfficeSeed],
        with_messages: bool,
    ) -> Result<LocalDemo, RelayError> {
        let hosts: Vec<String> = hosts.iter().map(|h| (*h).to_owned()).collect();
        let relay = Relay::init(config, &hosts).await?;
        let info = relay.seed_demo_register(seeds).await?;
        if with_messages {
            relay.seed_demo_messages().await?;
        }
        let running = relay.serve("127.0.0.1:0").await?;
        Ok(LocalDemo {
            relay,
            info,
            running,
        })
    }

    /// `https://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.running.addr.port())
    }

    /// The seeded office with this number.
    pub fn office(&self, number: &str) -> Option<&DemoOffice> {
        self.info.offices.iter().find(|o| o.number == number)
    }
}
