//! Demo data for the README's main command and practice mode: four offices with IDs, certificates,
//! licences and notices, and a few received items made from the standard's sample files. Writes
//! `DATA/demo.json` so the desktop app and the CLI can be configured from it.
//!
//! The demo passwords are written into `demo.json` on purpose: they are sample data for a local,
//! throwaway relay, never real credentials.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde::Serialize;

use crate::delivery::{deliver, Sender, Upload};
use crate::error::RelayError;
use crate::pki::CertSubject;
use crate::store::{OfficeRow, UserTable};
use crate::Relay;

/// One demo office and how to log in as it.
#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct DemoInfo {
    /// The CA certificate the clients must trust.
    pub ca_certificate: PathBuf,
    pub offices: Vec<DemoOffice>,
}

struct Seed {
    number: &'static str,
    name: &'static str,
    kind: &'static str,
    personal: &'static str,
    office: &'static str,
}

/// The offices of the sample files (fixtures), plus one more service office.
const OFFICES: &[Seed] = &[
    Seed {
        number: "1370000018",
        name: "ひだまり居宅介護支援事業所",
        kind: "43",
        personal: "c1370000018a",
        office: "KJ137000001801",
    },
    Seed {
        number: "1370000026",
        name: "ひまわりヘルパーステーション",
        kind: "11",
        personal: "c1370000026a",
        office: "KJ137000002601",
    },
    Seed {
        number: "1370000034",
        name: "あおぞらデイサービス",
        kind: "15",
        personal: "c1370000034a",
        office: "KJ137000003401",
    },
    Seed {
        number: "1370000042",
        name: "さくら福祉用具センター",
        kind: "17",
        personal: "c1370000042a",
        office: "KJ137000004201",
    },
];

const DEMO_PASSWORD: &str = "demo-pass-2025";

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
    /// Seeds the demo data into an empty relay and writes `demo.json` into the data directory.
    pub async fn seed_demo(&self) -> Result<DemoInfo, RelayError> {
        let certs_dir = self.config.data_dir.join("demo-certs");
        let mut offices = Vec::new();
        for seed in OFFICES {
            self.add_office(&OfficeRow {
                number: seed.number.into(),
                name: seed.name.into(),
                service_kinds: vec![seed.kind.into()],
                prefecture: "東京都".into(),
                city: "新宿区".into(),
            })
            .await?;
            self.add_user(
                UserTable::Personal,
                seed.personal,
                seed.number,
                DEMO_PASSWORD,
            )
            .await?;
            self.add_user(UserTable::Office, seed.office, seed.number, DEMO_PASSWORD)
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
                service_kinds: vec![seed.kind.into()],
                personal_user_id: seed.personal.into(),
                personal_password: DEMO_PASSWORD.into(),
                office_user_id: seed.office.into(),
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

        let care_manager = Sender {
            office: OFFICES[0].number.into(),
            person: OFFICES[0].personal.into(),
            terminal: "デモ端末".into(),
        };
        let home_help = Sender {
            office: OFFICES[1].number.into(),
            person: OFFICES[1].personal.into(),
            terminal: "デモ端末".into(),
        };
        deliver(
            &self.state,
            &care_manager,
            OFFICES[1].number,
            "4月のケアプランです。ご確認ください。",
            uploads(PLAN),
            None,
        )
        .await?;
        deliver(
            &self.state,
            &care_manager,
            OFFICES[1].number,
            "4月分のサービス利用票です。",
            uploads(USE_SHEET),
            None,
        )
        .await?;
        deliver(
            &self.state,
            &home_help,
            OFFICES[0].number,
            "4月分の実績をお送りします。",
            uploads(ACTUAL),
            None,
        )
        .await?;

        let info = DemoInfo {
            ca_certificate: self.ca_pem_path(),
            offices,
        };
        let json =
            serde_json::to_string_pretty(&info).map_err(|e| RelayError::Internal(e.to_string()))?;
        std::fs::write(demo_json_path(&self.config.data_dir), json)?;
        Ok(info)
    }
}

pub fn demo_json_path(data_dir: &Path) -> PathBuf {
    data_dir.join("demo.json")
}
