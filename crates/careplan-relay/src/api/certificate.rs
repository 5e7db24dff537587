//! The connection's own certificate as the register knows it: which office it belongs to, and until
//! when. Needs no login, only the certificate (mutual TLS), so that 設定 can show the office's name
//! before a certificate is taken; it says nothing a holder of the certificate could not learn by
//! logging in.

use axum::extract::State;
use axum::{Extension, Json};
use careplan_api::{ApiError, CertificateOffice};

use crate::auth::registered_certificate;
use crate::clock::rfc3339;
use crate::error::RelayError;
use crate::tls::ClientCert;
use crate::AppState;

#[utoipa::path(
    get,
    path = "/v1/certificate",
    operation_id = "certificate_office",
    tag = "home",
    responses(
        (status = 200, description = "接続に使った電子証明書の事業所と有効期限（ログイン不要）", body = CertificateOffice),
        (status = "default", description = "拒否（登録されていない・失効した電子証明書 …）", body = ApiError),
    )
)]
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
