//! The relay's own certificate authority: the server certificate and the client certificates that
//! bind a PC to one office (subject `KaigoJigyousho` or `CarePlanJigyousho`, office number in OU).
//!
//! Files under `DATA/pki/`: `ca.pem`, `ca.key`, `server.pem`, `server.key` (keys readable by the owner
//! only).

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SerialNumber,
};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::error::RelayError;

/// The subject a client certificate carries (as in the official system).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertSubject {
    /// 介護保険証明書.
    KaigoJigyousho,
    /// 請求委任事業所用ケアプラン証明書.
    CarePlanJigyousho,
}

impl CertSubject {
    pub fn as_str(self) -> &'static str {
        match self {
            CertSubject::KaigoJigyousho => "KaigoJigyousho",
            CertSubject::CarePlanJigyousho => "CarePlanJigyousho",
        }
    }
}

/// A client certificate just issued.
#[derive(Clone)]
pub struct IssuedCertificate {
    pub cert_pem: String,
    pub key_pem: String,
    cert_der: Vec<u8>,
    /// PKCS#8.
    key_der: Vec<u8>,
    /// Hex SHA-256 of the DER certificate: how the relay recognises it on every connection.
    pub fingerprint: String,
    pub serial: String,
    pub subject: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

impl std::fmt::Debug for IssuedCertificate {
    // The private key never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCertificate")
            .field("serial", &self.serial)
            .field("subject", &self.subject)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

impl IssuedCertificate {
    /// The certificate and its key as one PKCS#12 (.p12/.pfx) file protected by `password`
    /// (PBES2 with AES-256 and an HMAC-SHA256 MAC, which Windows and OpenSSL 3 import).
    pub fn to_pkcs12(&self, password: &str) -> Result<Vec<u8>, RelayError> {
        let p12 = |e: p12_keystore::error::Error| RelayError::Internal(format!("PKCS#12: {e}"));
        let cert = p12_keystore::Certificate::from_der(&self.cert_der).map_err(p12)?;
        let chain = p12_keystore::PrivateKeyChain::new(
            &self.key_der,
            hex::decode(&self.fingerprint).unwrap_or_default(),
            [cert],
        );
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry(
            &self.subject,
            p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
        );
        store.writer(password).write().map_err(p12)
    }
}

pub struct Pki {
    dir: PathBuf,
    ca_key: KeyPair,
}

fn rc(e: rcgen::Error) -> RelayError {
    RelayError::Internal(format!("certificate: {e}"))
}

pub fn fingerprint(der: &[u8]) -> String {
    hex::encode(Sha256::digest(der))
}

/// A password for a certificate file: 16 characters without look-alikes (0/O, 1/l/I), read aloud
/// or typed from paper without mistakes.
pub fn random_password() -> String {
    use rand::seq::IndexedRandom;
    const ALPHABET: &[u8] = b"23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| char::from(*ALPHABET.choose(&mut rng).expect("non-empty alphabet")))
        .collect()
}

fn random_serial() -> (SerialNumber, String) {
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] &= 0x7F; // positive
    (SerialNumber::from_slice(&bytes), hex::encode(bytes))
}

/// The CA's parameters. Rebuilt identically whenever the CA signs: signing needs only its name and key.
fn ca_params() -> Result<CertificateParams, RelayError> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(rc)?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, "careplan-relay CA");
    name.push(DnType::OrganizationName, "careplan-relay");
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    Ok(params)
}

/// Key material is readable by its owner only.
pub(crate) fn write_secret(path: &Path, bytes: &[u8]) -> Result<(), RelayError> {
    std::fs::write(path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

impl Pki {
    pub fn ca_pem_path(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    pub fn server_pem_path(&self) -> PathBuf {
        self.dir.join("server.pem")
    }

    pub fn server_key_path(&self) -> PathBuf {
        self.dir.join("server.key")
    }

    /// Creates the CA and a server certificate for `hosts` (names or IP addresses) in `dir`.
    pub fn create(dir: &Path, hosts: &[String]) -> Result<Pki, RelayError> {
        std::fs::create_dir_all(dir)?;
        if dir.join("ca.key").exists() {
            return Err(RelayError::Config(format!(
                "{} には既に認証局があります。上書きはしません。",
                dir.display()
            )));
        }
        let ca_key = KeyPair::generate().map_err(rc)?;
        let mut params = ca_params()?;
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::days(1);
        params.not_after = now + Duration::days(365 * 20);
        let ca_cert = params.self_signed(&ca_key).map_err(rc)?;
        std::fs::write(dir.join("ca.pem"), ca_cert.pem())?;
        write_secret(&dir.join("ca.key"), ca_key.serialize_pem().as_bytes())?;
        let pki = Pki {
            dir: dir.to_owned(),
            ca_key,
        };
        pki.issue_server(hosts)?;
        Ok(pki)
    }

    pub fn load(dir: &Path) -> Result<Pki, RelayError> {
        let key = std::fs::read_to_string(dir.join("ca.key")).map_err(|e| {
            RelayError::Config(format!(
                "認証局の鍵 {} を読めません（先に init を実行してください）: {e}",
                dir.join("ca.key").display()
            ))
        })?;
        Ok(Pki {
            dir: dir.to_owned(),
            ca_key: KeyPair::from_pem(&key).map_err(rc)?,
        })
    }

    fn issuer(&self) -> Result<Issuer<'static, &KeyPair>, RelayError> {
        Ok(Issuer::new(ca_params()?, &self.ca_key))
    }

    fn issue_server(&self, hosts: &[String]) -> Result<(), RelayError> {
        let key = KeyPair::generate().map_err(rc)?;
        let mut params = CertificateParams::new(hosts.to_vec()).map_err(rc)?;
        params
            .distinguished_name
            .push(DnType::CommonName, "careplan-relay");
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::days(1);
        params.not_after = now + Duration::days(825);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.serial_number = Some(random_serial().0);
        let cert = params.signed_by(&key, &self.issuer()?).map_err(rc)?;
        std::fs::write(self.server_pem_path(), cert.pem())?;
        write_secret(&self.server_key_path(), key.serialize_pem().as_bytes())?;
        Ok(())
    }

    /// The parameters of a client certificate for an office, and its serial in hex.
    fn client_params(
        office_number: &str,
        subject: CertSubject,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    ) -> Result<(CertificateParams, String), RelayError> {
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(rc)?;
        params
            .distinguished_name
            .push(DnType::CommonName, subject.as_str());
        params
            .distinguished_name
            .push(DnType::OrganizationalUnitName, office_number);
        params
            .distinguished_name
            .push(DnType::OrganizationName, "careplan-relay");
        params.not_before = not_before;
        params.not_after = not_after;
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let (serial, serial_hex) = random_serial();
        params.serial_number = Some(serial);
        Ok((params, serial_hex))
    }

    /// Issues a client certificate for an office, valid from `not_before` to `not_after`.
    pub fn issue_client(
        &self,
        office_number: &str,
        subject: CertSubject,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    ) -> Result<IssuedCertificate, RelayError> {
        let key = KeyPair::generate().map_err(rc)?;
        let (params, serial_hex) =
            Pki::client_params(office_number, subject, not_before, not_after)?;
        let cert = params.signed_by(&key, &self.issuer()?).map_err(rc)?;
        Ok(IssuedCertificate {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            cert_der: cert.der().to_vec(),
            key_der: key.serialize_der(),
            fingerprint: fingerprint(cert.der()),
            serial: serial_hex,
            subject: format!("CN={},OU={office_number}", subject.as_str()),
            not_before,
            not_after,
        })
    }

    /// Issues a client certificate for the key of a certificate signing request (PEM) made on the
    /// office's PC, so that the private key never leaves it. The request's signature proves the key;
    /// what it asks for (subject, extensions) is ignored: the certificate says what the relay says.
    pub fn issue_for_request(
        &self,
        office_number: &str,
        subject: CertSubject,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
        request_pem: &str,
    ) -> Result<RequestedCertificate, RelayError> {
        let mut request =
            rcgen::CertificateSigningRequestParams::from_pem(request_pem).map_err(|_| {
                RelayError::bad_request(
                    "certificate.bad_request",
                    "証明書の申請データ（CSR）を読めません。アプリでもう一度申請してください。",
                )
            })?;
        let (params, serial_hex) =
            Pki::client_params(office_number, subject, not_before, not_after)?;
        request.params = params;
        let cert = request.signed_by(&self.issuer()?).map_err(rc)?;
        Ok(RequestedCertificate {
            cert_pem: cert.pem(),
            fingerprint: fingerprint(cert.der()),
            serial: serial_hex,
            subject: format!("CN={},OU={office_number}", subject.as_str()),
            not_before,
            not_after,
        })
    }
}

/// A client certificate issued for a request: the key stays where the request was made.
#[derive(Debug, Clone)]
pub struct RequestedCertificate {
    pub cert_pem: String,
    pub fingerprint: String,
    pub serial: String,
    pub subject: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}
