//! The connection's own certificate as the register knows it: which office it belongs to, and until
//! when. Needs no login, only the certificate (mutual TLS), so that 設定 can show the office's name
//! before a certificate is taken; it says nothing a holder of the certificate could not learn by
//! logging in.

use axum::extract::State;
use axum::{Extension, Json};
use careplan_api::CertificateOffice;

use crate::auth::registered_certificate;
use crate::clock::rfc3339;
use crate::error::RelayError;
use crate::tls::ClientCert;
use crate::AppState;

pub async fn certificate(
    State(state): State<AppState>,
    Extension(client): Extension<ClientCert>,
) -> Result<Json<CertificateOffice>, RelayError> {
    let cert = registered_certificate(&state, &client).await?;
    let office = state
        .store
        .offices()
        .get(&cert.office_number)
        .await?
        .ok_or_else(|| RelayError::Internal("certificate of an unknown office".into()))?;
    Ok(Json(CertificateOffice {
        office: crate::api::home::office_dto(&state, office).await?,
        not_after: rfc3339(cert.not_after),
    }))
}
