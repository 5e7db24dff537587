//! Administration: the register of offices, IDs, certificates, licences and notices. Used by the
//! `careplan-relay` admin subcommands and by tests.

use std::path::{Path, PathBuf};

use time::{Duration, OffsetDateTime};

use crate::auth::hash_password;
use crate::clock::now_ms;
use crate::error::RelayError;
use crate::pki::{write_secret, CertSubject, IssuedCertificate};
use crate::register::{check_office, check_password, check_user_id};
use crate::store::{AuditEntry, CertificateRow, LicenceRow, NoticeRow, OfficeRow, UserTable};
use crate::Relay;

fn config_error(message: String) -> RelayError {
    RelayError::Config(message)
}

/// A client certificate just issued and where its files are.
#[derive(Debug, Clone)]
pub struct CertificateFiles {
    pub issued: IssuedCertificate,
    pub certificate: PathBuf,
    pub private_key: PathBuf,
    pub pkcs12: PathBuf,
}

/// A date as the register and the command line write it: `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<time::Date, RelayError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format)
        .map_err(|_| config_error(format!("日付「{text}」は YYYY-MM-DD で指定してください。")))
}

impl Relay {
    /// An audit line for an operator's action.
    async fn log(
        &self,
        at: i64,
        office: Option<&str>,
        action: &str,
        detail: &str,
    ) -> Result<(), RelayError> {
        self.state
            .store
            .audit()
            .write(&AuditEntry {
                at,
                office,
                actor: "admin",
                action,
                detail,
            })
            .await
    }

    /// The administered office must be in the register.
    async fn require_office(&self, office_number: &str) -> Result<OfficeRow, RelayError> {
        self.state
            .store
            .offices()
            .get(office_number)
            .await?
            .ok_or_else(|| {
                config_error(format!("事業所番号 {office_number} は登録されていません。"))
            })
    }

    pub async fn add_office(&self, office: &OfficeRow) -> Result<(), RelayError> {
        check_office(office).map_err(config_error)?;
        if self
            .state
            .store
            .offices()
            .get(&office.number)
            .await?
            .is_some()
        {
            return Err(config_error(format!(
                "事業所番号 {} は既に登録されています。",
                office.number
            )));
        }
        let now = now_ms();
        self.state.store.offices().insert(office, now).await?;
        self.state.store.directory().fill_missing().await?;
        self.log(now, Some(&office.number), "office.add", &office.name)
            .await
    }

    /// Registers the offices of a CSV file (see [`crate::office_import`]) with their office user
    /// IDs, all in one transaction: any problem in the file, or a number or ID already registered,
    /// and nothing is registered. Returns how many offices were registered.
    pub async fn import_offices(&self, csv: &[u8]) -> Result<usize, RelayError> {
        let rows = crate::office_import::parse(csv).map_err(|p| config_error(p.join("\n")))?;
        let mut problems = Vec::new();
        for row in &rows {
            if self
                .state
                .store
                .offices()
                .get(&row.office.number)
                .await?
                .is_some()
            {
                problems.push(format!(
                    "{}行目: 事業所番号 {} は既に登録されています。",
                    row.line, row.office.number
                ));
            }
            let id = &row.office_user_id;
            if self
                .state
                .store
                .offices()
                .user(UserTable::Office, id)
                .await?
                .is_some()
            {
                problems.push(format!(
                    "{}行目: ID「{id}」は既に使われています。",
                    row.line
                ));
            }
        }
        if !problems.is_empty() {
            return Err(config_error(problems.join("\n")));
        }
        let mut registered = Vec::with_capacity(rows.len());
        for row in rows {
            let hash = hash_password(&row.password).await?;
            registered.push((row.office, row.office_user_id, hash));
        }
        let now = now_ms();
        self.state
            .store
            .offices()
            .register_many(&registered, now)
            .await?;
        self.state.store.directory().fill_missing().await?;
        for (office, id, _) in &registered {
            // The initial password is a temporary one: the portal asks for a new one first.
            self.state
                .store
                .offices()
                .set_must_change_password(id, true)
                .await?;
            self.log(now, Some(&office.number), "office.import", id)
                .await?;
        }
        Ok(registered.len())
    }

    /// Issues a login ID: `c…` for a person, `KJ` + 12 characters for the office.
    pub async fn add_user(
        &self,
        table: UserTable,
        id: &str,
        office_number: &str,
        password: &str,
    ) -> Result<(), RelayError> {
        check_user_id(table, id).map_err(config_error)?;
        check_password(password).map_err(config_error)?;
        self.require_office(office_number).await?;
        if self.state.store.offices().user(table, id).await?.is_some() {
            return Err(config_error(format!("ID「{id}」は既に使われています。")));
        }
        let hash = hash_password(password).await?;
        self.state
            .store
            .offices()
            .insert_user(table, id, office_number, &hash)
            .await?;
        self.log(now_ms(), Some(office_number), "user.add", id)
            .await
    }

    /// Issues a client certificate for an office and registers it; writes into `out_dir` the
    /// certificate (`.pem`), its private key (`.key`, owner-only) and both as one PKCS#12 file
    /// (`.p12`) protected by `p12_password`, the form Windows imports.
    pub async fn issue_certificate(
        &self,
        office_number: &str,
        subject: CertSubject,
        valid_days: i64,
        out_dir: &Path,
        p12_password: &str,
    ) -> Result<CertificateFiles, RelayError> {
        let now = OffsetDateTime::now_utc();
        self.issue_certificate_between(
            office_number,
            subject,
            now - Duration::minutes(5),
            now + Duration::days(valid_days),
            out_dir,
            p12_password,
        )
        .await
    }

    /// As [`Relay::issue_certificate`], with explicit validity (tests use it for expired certificates).
    pub async fn issue_certificate_between(
        &self,
        office_number: &str,
        subject: CertSubject,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
        out_dir: &Path,
        p12_password: &str,
    ) -> Result<CertificateFiles, RelayError> {
        if p12_password.chars().count() < 8 {
            return Err(config_error(
                "証明書のパスワードは8文字以上にしてください。".into(),
            ));
        }
        self.require_office(office_number).await?;
        let issued = self
            .pki
            .issue_client(office_number, subject, not_before, not_after)?;
        let p12_bytes = issued.to_pkcs12(p12_password)?;
        let ms = |t: OffsetDateTime| (t.unix_timestamp_nanos() / 1_000_000) as i64;
        self.state
            .store
            .certificates()
            .insert(&CertificateRow {
                fingerprint: issued.fingerprint.clone(),
                office_number: office_number.to_owned(),
                serial: issued.serial.clone(),
                subject: issued.subject.clone(),
                not_before: ms(not_before),
                not_after: ms(not_after),
                revoked_at: None,
            })
            .await?;
        std::fs::create_dir_all(out_dir)?;
        let base = out_dir.join(format!("{office_number}-{}", &issued.serial[..8]));
        let files = CertificateFiles {
            certificate: base.with_extension("pem"),
            private_key: base.with_extension("key"),
            pkcs12: base.with_extension("p12"),
            issued,
        };
        std::fs::write(&files.certificate, &files.issued.cert_pem)?;
        write_secret(&files.private_key, files.issued.key_pem.as_bytes())?;
        write_secret(&files.pkcs12, &p12_bytes)?;
        self.log(
            now_ms(),
            Some(office_number),
            "certificate.issue",
            &files.issued.serial,
        )
        .await?;
        Ok(files)
    }

    pub async fn revoke_certificate(&self, serial: &str) -> Result<(), RelayError> {
        if self
            .state
            .store
            .certificates()
            .revoke(serial, now_ms())
            .await?
            == 0
        {
            return Err(config_error(format!(
                "シリアル番号 {serial} の有効な証明書はありません。"
            )));
        }
        self.log(now_ms(), None, "certificate.revoke", serial).await
    }

    /// Grants (or renews) a licence: one year from `starts_on` (`YYYY-MM-DD`), ¥21,000 unless waived.
    pub async fn grant_licence(
        &self,
        office_number: &str,
        starts_on: time::Date,
        free_pass: bool,
        paid: bool,
    ) -> Result<LicenceRow, RelayError> {
        self.require_office(office_number).await?;
        let licence = crate::licensing::licence_from(office_number, starts_on, free_pass, paid);
        self.state
            .store
            .licences()
            .grant(&licence, crate::store::GrantReason::Operator, now_ms())
            .await?;
        self.log(
            now_ms(),
            Some(office_number),
            "licence.grant",
            &licence.expires_on,
        )
        .await?;
        Ok(licence)
    }

    /// Renews a licence for the year after the current one ends (an expired licence renews from
    /// today, so the office is not charged for the time it could not send).
    pub async fn renew_licence(
        &self,
        office_number: &str,
        free_pass: bool,
        paid: bool,
    ) -> Result<LicenceRow, RelayError> {
        let current = self.licence(office_number).await?.ok_or_else(|| {
            config_error(format!(
                "事業所 {office_number} にはライセンスがありません。licence-grant で付与してください。"
            ))
        })?;
        let today = OffsetDateTime::now_utc()
            .to_offset(crate::clock::JST)
            .date();
        let next = parse_date(&current.expires_on)? + Duration::days(1);
        self.grant_licence(office_number, next.max(today), free_pass, paid)
            .await
    }

    /// The office's licence, if it has one.
    pub async fn licence(&self, office_number: &str) -> Result<Option<LicenceRow>, RelayError> {
        self.require_office(office_number).await?;
        self.state.store.licences().of_office(office_number).await
    }

    /// Published notices, newest first.
    pub async fn notices(&self, limit: i64) -> Result<Vec<NoticeRow>, RelayError> {
        self.state.store.licences().notices(limit).await
    }

    pub async fn publish_notice(&self, title: &str, body: &str) -> Result<NoticeRow, RelayError> {
        if title.trim().is_empty() {
            return Err(config_error("お知らせの題名を入力してください。".into()));
        }
        let notice = NoticeRow {
            id: hex::encode(rand::random::<[u8; 8]>()),
            published_at: now_ms(),
            title: title.to_owned(),
            body: body.to_owned(),
        };
        self.state.store.licences().publish_notice(&notice).await?;
        self.log(notice.published_at, None, "notice.publish", title)
            .await?;
        Ok(notice)
    }
}
