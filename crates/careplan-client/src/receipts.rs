//! 受領証 from the relay: the signed receipt of a file this office sent (or received) once its
//! receiver took it, and the relay's public key to check receipts with.

use careplan_api::SignedReceipt;
use reqwest::Method;

use crate::connection::{checked, json, send, RelayClient};
use crate::error::ClientError;

impl RelayClient {
    /// The 受領証 of a file of 送信一覧 or 受信一覧 (`receipt.not_issued` before its receiver took it).
    pub async fn receipt(&self, file_id: &str) -> Result<SignedReceipt, ClientError> {
        if file_id.is_empty() || !file_id.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ClientError::local(
                "receipt.id_invalid",
                format!("ファイルの ID「{file_id}」が正しくありません。careplan outbox で表示される ID を指定してください。"),
            ));
        }
        json(self.request(Method::GET, &format!("/v1/files/{file_id}/receipt"))).await
    }

    /// The relay's public receipt key (PEM), as it serves it; needs no login.
    pub async fn receipt_key(&self) -> Result<String, ClientError> {
        let response = checked(send(self.request(Method::GET, "/v1/receipt-key")).await?).await?;
        response
            .text()
            .await
            .map_err(|e| ClientError::from_transport(&e))
    }
}
