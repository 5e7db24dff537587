//! 電子証明書の申請 from the PC itself: a key pair made here, a certificate signing request (CSR)
//! sent to the office portal with the KJ ID and the 証明書発行用パスワード, and the certificate it
//! issues. The private key never leaves the PC: the portal sees only the public half. The portal is
//! reached over HTTPS with no client certificate (the office has none yet), trusting the relay's CA.

use careplan_api::{CertificateApplication, CertificateIssued};

use crate::connection::{checked, http_client, send, trusting};
use crate::error::ClientError;
use crate::identity::ClientIdentity;

/// A certificate issued for a key made here: both as PEM, ready to be saved side by side.
pub struct EnrolledCertificate {
    pub certificate_pem: String,
    /// PKCS#8, PEM: keep it owner-only.
    pub private_key_pem: String,
    pub issued: CertificateIssued,
}

impl std::fmt::Debug for EnrolledCertificate {
    // The private key never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrolledCertificate")
            .field("serial", &self.issued.serial)
            .field("office", &self.issued.office_number)
            .finish_non_exhaustive()
    }
}

/// What the application needs from the person.
pub struct Enrolment<'a> {
    /// The portal, `https://host:port`.
    pub portal_url: &'a str,
    /// The relay's CA (PEM), which the portal's server certificate chains to.
    pub ca_pem: &'a [u8],
    pub office_user_id: &'a str,
    pub issuance_password: &'a str,
    /// The PC's name in the portal's list of certificates.
    pub pc_name: &'a str,
}

/// The portal's route for an application with a CSR.
const CERTIFICATES_PATH: &str = "/api/v1/certificates";

/// Makes a key, applies for its certificate and answers both. Nothing is kept on a refusal.
pub async fn request_certificate(
    enrolment: &Enrolment<'_>,
) -> Result<EnrolledCertificate, ClientError> {
    let url = enrolment.portal_url.trim().trim_end_matches('/');
    if !url.starts_with("https://") {
        return Err(ClientError::local(
            "settings.portal_url",
            "利用状況WebサイトのURLは https:// で始めてください。",
        ));
    }
    if enrolment.issuance_password.is_empty() {
        return Err(ClientError::local(
            "certificate.issuance_password",
            "証明書発行用パスワードを入力してください（電子請求登録結果に関するお知らせに記載されています）。",
        ));
    }
    let http = http_client(trusting(enrolment.ca_pem)?.with_no_client_auth())?;
    let key = rcgen::KeyPair::generate().map_err(key_failed)?;
    let csr_pem = rcgen::CertificateParams::new(Vec::<String>::new())
        .and_then(|params| params.serialize_request(&key))
        .and_then(|csr| csr.pem())
        .map_err(key_failed)?;
    let application = CertificateApplication {
        office_user_id: enrolment.office_user_id.trim().to_owned(),
        issuance_password: enrolment.issuance_password.to_owned(),
        pc_name: enrolment.pc_name.trim().to_owned(),
        csr_pem,
    };
    let response = checked(
        send(
            http.post(format!("{url}{CERTIFICATES_PATH}"))
                .json(&application),
        )
        .await?,
    )
    .await?;
    let issued: CertificateIssued = response
        .json()
        .await
        .map_err(|e| ClientError::from_transport(&e))?;
    let private_key_pem = key.serialize_pem();
    // The answer must be a certificate for this key, or it is of no use.
    let identity = ClientIdentity::from_pem(
        issued.certificate_pem.as_bytes(),
        private_key_pem.as_bytes(),
    )?;
    rustls::sign::CertifiedKey::from_der(
        identity.chain,
        identity.key,
        &rustls::crypto::ring::default_provider(),
    )
    .map_err(|_| {
        ClientError::local(
            "certificate.mismatch",
            "利用状況Webサイトから届いた電子証明書が、この端末で作った鍵のものではありません。もう一度申請してください。",
        )
    })?;
    Ok(EnrolledCertificate {
        certificate_pem: issued.certificate_pem.clone(),
        private_key_pem,
        issued,
    })
}

fn key_failed(e: rcgen::Error) -> ClientError {
    ClientError::local(
        "certificate.key",
        format!("この端末で鍵を作れませんでした（{e}）。"),
    )
}
