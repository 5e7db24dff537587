//! Administration: the register of offices, IDs, certificates, licences and notices. Used by the
//! `careplan-relay` admin subcommands and by tests.

use std::path::{Path, PathBuf};

use time::{Duration, OffsetDateTime};

use crate::auth::hash_password;
use crate::clock::now_ms;
use crate::error::RelayError;
use crate::pki::{write_secret, CertSubject, IssuedCertificate};
use crate::store::{CertificateRow, LicenceRow, NoticeRow, OfficeRow, UserTable};
use crate::Relay;

fn config_error(message: String) -> RelayError {
    RelayError::Config(message)
}

/// What an office must have before it is registered.
pub fn check_office(office: &OfficeRow) -> Result<(), String> {
    careplan_spec::OfficeNumber::parse(&office.number).map_err(|e| e.to_string())?;
    if office.name.trim().is_empty() {
        return Err("事業所名を入力してください。".into());
    }
    if office.service_kinds.is_empty() {
        return Err("サービス種類コードを1つ以上指定してください。".into());
    }
    for kind in &office.service_kinds {
        if careplan_spec::numbers::service_kind(kind).is_none() {
            return Err(format!("サービス種類コード「{kind}」は存在しません。"));
        }
    }
    Ok(())
}

/// Login IDs: `c…` for a person, `KJ` + 12 characters for the office.
pub fn check_user_id(table: UserTable, id: &str) -> Result<(), String> {
    let alphanumeric = id.chars().all(|c| c.is_ascii_alphanumeric());
    match table {
        UserTable::Personal
            if !(id.starts_with('c') && (2..=32).contains(&id.len()) && alphanumeric) =>
        {
            Err(format!(
                "個人ユーザID「{id}」は「c」で始まる英数字にしてください。"
            ))
        }
        UserTable::Office if !(id.starts_with("KJ") && id.len() == 14 && alphanumeric) => Err(
            format!("事業所ユーザID「{id}」は「KJ」で始まる英数字14文字にしてください。"),
        ),
        _ => Ok(()),
    }
}

pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < 8 {
        return Err("パスワードは8文字以上にしてください。".into());
    }
    Ok(())
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
    /// The administered office must be in the register.
    async fn require_office(&self, office_number: &str) -> Result<OfficeRow, RelayError> {
        self.state
            .store
            .office(office_number)
            .await?
            .ok_or_else(|| {
                config_error(format!("事業所番号 {office_number} は登録されていません。"))
            })
    }

    pub async fn add_office(&self, office: &OfficeRow) -> Result<(), RelayError> {
        check_office(office).map_err(config_error)?;
        if self.state.store.office(&office.number).await?.is_some() {
            return Err(config_error(format!(
                "事業所番号 {} は既に登録されています。",
                office.number
            )));
        }
        let now = now_ms();
        self.state.store.insert_office(office, now).await?;
        self.state
            .store
            .audit(
                now,
                Some(&office.number),
                "admin",
                "office.add",
                &office.name,
            )
            .await
    }

    /// Registers the offices of a CSV file (see [`crate::office_import`]) with their office user
    /// IDs, all in one transaction: any problem in the file, or a number or ID already registered,
    /// and nothing is registered. Returns how many offices were registered.
    pub async fn import_offices(&self, csv: &[u8]) -> Result<usize, RelayError> {
        let rows = crate::office_import::parse(csv).map_err(|p| config_error(p.join("\n")))?;
        let mut problems = Vec::new();
        for row in &rows {
            if self.state.store.office(&row.office.number).await?.is_some() {
                problems.push(format!(
                    "{}行目: 事業所番号 {} は既に登録されています。",
                    row.line, row.office.number
                ));
            }
            let id = &row.office_user_id;
            if self
                .state
                .store
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
        self.state.store.register_offices(&registered, now).await?;
        for (office, id, _) in &registered {
            self.state
                .store
                .audit(now, Some(&office.number), "admin", "office.import", id)
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
        if self.state.store.user(table, id).await?.is_some() {
            return Err(config_error(format!("ID「{id}」は既に使われています。")));
        }
        let hash = hash_password(password).await?;
        self.state
            .store
            .insert_user(table, id, office_number, &hash)
            .await?;
        self.state
            .store
            .audit(now_ms(), Some(office_number), "admin", "user.add", id)
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
            .insert_certificate(&CertificateRow {
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
        self.state
            .store
            .audit(
                now_ms(),
                Some(office_number),
                "admin",
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
            .revoke_certificate(serial, now_ms())
            .await?
            == 0
        {
            return Err(config_error(format!(
                "シリアル番号 {serial} の有効な証明書はありません。"
            )));
        }
        self.state
            .store
            .audit(now_ms(), None, "admin", "certificate.revoke", serial)
            .await
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
        let expires_on = starts_on
            .replace_year(starts_on.year() + 1)
            .unwrap_or(starts_on + Duration::days(365))
            - Duration::days(1);
        let licence = LicenceRow {
            office_number: office_number.to_owned(),
            starts_on: starts_on.to_string(),
            expires_on: expires_on.to_string(),
            fee_yen: 21_000,
            free_pass,
            payment: if free_pass {
                "waived"
            } else if paid {
                "paid"
            } else {
                "unpaid"
            }
            .to_owned(),
        };
        self.state.store.upsert_licence(&licence).await?;
        self.state
            .store
            .audit(
                now_ms(),
                Some(office_number),
                "admin",
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
        self.state.store.licence(office_number).await
    }

    /// Published notices, newest first.
    pub async fn notices(&self, limit: i64) -> Result<Vec<NoticeRow>, RelayError> {
        self.state.store.notices(limit).await
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
        self.state.store.insert_notice(&notice).await?;
        self.state
            .store
            .audit(notice.published_at, None, "admin", "notice.publish", title)
            .await?;
        Ok(notice)
    }
}
