//! HTTPS with client certificates required: the server's TLS configuration (the accept loop and
//! what a connection may do are in [`crate::connection`]).
//!
//! Every connection must present a certificate chaining to the relay's CA. The request handlers see
//! the certificate's fingerprint ([`ClientCert`]) and look it up in the register, which binds it to
//! one office; a certificate the relay did not issue never gets past that lookup.

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::WebPkiClientVerifier;
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName, RootCertStore, ServerConfig,
    SignatureScheme,
};

use crate::error::RelayError;

/// The client certificate of the connection a request came on.
#[derive(Debug, Clone)]
pub struct ClientCert {
    pub fingerprint: String,
}

fn tls_error(e: impl std::fmt::Display) -> RelayError {
    RelayError::Config(format!("TLS: {e}"))
}

/// Accepts certificates outside their validity period at the TLS layer, so that the user gets a
/// Japanese "証明書の有効期限が切れています" from the API instead of a bare TLS alert. Everything else
/// (chain to the CA, signatures, possession of the key) is verified as usual, and the API refuses
/// the expired certificate on every request.
#[derive(Debug)]
struct ExpiryTolerantVerifier(Arc<dyn ClientCertVerifier>);

impl ClientCertVerifier for ExpiryTolerantVerifier {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.0.root_hint_subjects()
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        match self.0.verify_client_cert(end_entity, intermediates, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. },
            )) => Ok(ClientCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// The server configuration: TLS 1.3 and 1.2, client certificates from `ca_pem` required.
pub fn server_config(
    ca_pem: &Path,
    cert_pem: &Path,
    key_pem: &Path,
) -> Result<Arc<ServerConfig>, RelayError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca_pem).map_err(tls_error)? {
        roots.add(cert.map_err(tls_error)?).map_err(tls_error)?;
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(tls_error)?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert_pem)
        .map_err(tls_error)?
        .collect::<Result<_, _>>()
        .map_err(tls_error)?;
    let key = PrivateKeyDer::from_pem_file(key_pem).map_err(tls_error)?;
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_client_cert_verifier(Arc::new(ExpiryTolerantVerifier(verifier)))
        .with_single_cert(chain, key)
        .map_err(tls_error)?;
    Ok(Arc::new(config))
}
