//! The office's client certificate and its private key, from the files an office is given: a
//! PKCS#12 file (`.p12`/`.pfx`, protected by a password) or PEM (`.pem` with the key inside or in a
//! `.key` file beside it).

use std::path::{Path, PathBuf};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::error::ClientError;

/// A certificate chain (the office's certificate first) and its private key.
pub struct ClientIdentity {
    pub(crate) chain: Vec<CertificateDer<'static>>,
    pub(crate) key: PrivateKeyDer<'static>,
}

impl std::fmt::Debug for ClientIdentity {
    // The key never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("certificates", &self.chain.len())
            .finish_non_exhaustive()
    }
}

fn unreadable(path: &Path, e: std::io::Error) -> ClientError {
    ClientError::local(
        "certificate.unreadable",
        format!(
            "電子証明書のファイル {} を読めません（{e}）。ファイルの場所を確認してください。",
            path.display()
        ),
    )
}

fn not_a_certificate() -> ClientError {
    ClientError::local(
        "certificate.invalid",
        "電子証明書のファイルとして読めません。連携基盤から発行された .p12（.pfx）か .pem のファイルを選んでください。",
    )
}

impl ClientIdentity {
    /// Reads the certificate file the settings point at; `password` is needed for `.p12`/`.pfx`.
    pub fn load(path: &Path, password: Option<&str>) -> Result<ClientIdentity, ClientError> {
        let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
        if is_pkcs12(path) {
            let password = password.ok_or_else(|| {
                ClientError::local(
                    "certificate.password_missing",
                    "電子証明書（.p12）のパスワードを入力してください。",
                )
            })?;
            return ClientIdentity::from_pkcs12(&bytes, password);
        }
        if CertificateDer::pem_slice_iter(&bytes).next().is_none() {
            return Err(not_a_certificate());
        }
        if PrivateKeyDer::from_pem_slice(&bytes).is_ok() {
            return ClientIdentity::from_pem(&bytes, &bytes);
        }
        let key_path = sibling_key(path);
        let key = std::fs::read(&key_path).map_err(|e| unreadable(&key_path, e))?;
        ClientIdentity::from_pem(&bytes, &key)
    }

    /// A PEM certificate chain and a PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub fn from_pem(certificates: &[u8], key: &[u8]) -> Result<ClientIdentity, ClientError> {
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(certificates)
            .collect::<Result<_, _>>()
            .map_err(|_| not_a_certificate())?;
        if chain.is_empty() {
            return Err(not_a_certificate());
        }
        let key = PrivateKeyDer::from_pem_slice(key).map_err(|_| {
            ClientError::local(
                "certificate.key_missing",
                "電子証明書の秘密鍵が見つかりません。証明書と一緒に発行された .key ファイルを同じフォルダに置くか、.p12 ファイルを選んでください。",
            )
        })?;
        Ok(ClientIdentity { chain, key })
    }

    /// A PKCS#12 file and its password.
    pub fn from_pkcs12(bytes: &[u8], password: &str) -> Result<ClientIdentity, ClientError> {
        let store = p12_keystore::KeyStore::from_pkcs12(bytes, password).map_err(|e| {
            match e {
                p12_keystore::error::Error::MacError(_) => ClientError::local(
                    "certificate.password_wrong",
                    "電子証明書（.p12）のパスワードが違います。発行されたときのパスワードを入力してください。",
                ),
                _ => not_a_certificate(),
            }
        })?;
        let (_, chain) = store.private_key_chain().ok_or_else(not_a_certificate)?;
        Ok(ClientIdentity {
            chain: chain
                .chain()
                .iter()
                .map(|c| CertificateDer::from(c.as_der().to_vec()))
                .collect(),
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(chain.key().to_vec())),
        })
    }

    /// What the office's certificate says: the 事業所番号 the relay puts in its subject's `OU`, and
    /// until when it is valid. Shown in 設定 before the certificate is taken.
    pub fn summary(&self) -> Result<CertificateSummary, ClientError> {
        let (_, cert) = x509_parser::parse_x509_certificate(self.chain[0].as_ref())
            .map_err(|_| not_a_certificate())?;
        let office_number = cert
            .subject()
            .iter_organizational_unit()
            .find_map(|unit| unit.as_str().ok())
            .map(|number| number.trim().to_owned())
            .filter(|number| !number.is_empty());
        let validity = cert.validity();
        Ok(CertificateSummary {
            subject: cert.subject().to_string(),
            office_number,
            not_before: japan_date(validity.not_before.timestamp())?,
            not_after: japan_date(validity.not_after.timestamp())?,
            expired: !validity.is_valid(),
        })
    }

    /// Hex SHA-256 of the office's certificate: how the relay and the keyring know it.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(self.chain[0].as_ref()))
    }
}

/// An office certificate as 設定 shows it before taking it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSummary {
    /// `CN=KaigoJigyousho, OU=1370000018`.
    pub subject: String,
    /// 事業所番号, from the subject's `OU`; `None` when the certificate carries none (not one the relay
    /// issued to an office).
    pub office_number: Option<String>,
    /// Dates in Japan, `YYYY-MM-DD`.
    pub not_before: String,
    pub not_after: String,
    /// Not valid today (expired, or not yet valid).
    pub expired: bool,
}

/// A certificate's time as the date it is in Japan (the relay's and the offices' time zone).
fn japan_date(unix_seconds: i64) -> Result<String, ClientError> {
    let japan = time::UtcOffset::from_hms(9, 0, 0).expect("+09:00 is an offset");
    let date = time::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .map_err(|_| not_a_certificate())?
        .to_offset(japan)
        .date();
    Ok(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

pub fn is_pkcs12(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("p12") || e.eq_ignore_ascii_case("pfx"))
}

fn sibling_key(path: &Path) -> PathBuf {
    path.with_extension("key")
}
