//! 下書き: a send saved at the relay (with this PC's 端末名) to finish later, from any PC of the office.

use careplan_api::{Draft, SendManifest, SendResponse};
use reqwest::multipart::{Form, Part};
use reqwest::Method;

use crate::connection::{checked, json, send, RelayClient};
use crate::error::ClientError;
use crate::sending::LocalFile;

fn draft_form(to: &str, message: &str, files: &[LocalFile]) -> Form {
    let manifest = serde_json::to_string(&SendManifest {
        to: to.trim().to_owned(),
        message: message.to_owned(),
        from_draft: None,
    })
    .expect("manifest serialises");
    files
        .iter()
        .fold(Form::new().text("manifest", manifest), |form, file| {
            form.part(
                "file",
                Part::stream(file.bytes.clone()).file_name(file.name.clone()),
            )
        })
}

fn draft_path(id: &str) -> Result<String, ClientError> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(ClientError::local(
            "draft.id_invalid",
            format!("下書きの番号「{id}」が正しくありません。"),
        ));
    }
    Ok(format!("/v1/drafts/{id}"))
}

impl RelayClient {
    /// 下書き一覧, newest first.
    pub async fn drafts(&self) -> Result<Vec<Draft>, ClientError> {
        json(self.request(Method::GET, "/v1/drafts")).await
    }

    /// 一時保存: a new draft.
    pub async fn save_draft(
        &self,
        to: &str,
        message: &str,
        files: &[LocalFile],
    ) -> Result<Draft, ClientError> {
        json(
            self.request(Method::POST, "/v1/drafts")
                .multipart(draft_form(to, message, files)),
        )
        .await
    }

    /// Saves a draft again with what the form holds now.
    pub async fn replace_draft(
        &self,
        id: &str,
        to: &str,
        message: &str,
        files: &[LocalFile],
    ) -> Result<Draft, ClientError> {
        json(
            self.request(Method::PUT, &draft_path(id)?)
                .multipart(draft_form(to, message, files)),
        )
        .await
    }

    pub async fn draft(&self, id: &str) -> Result<Draft, ClientError> {
        json(self.request(Method::GET, &draft_path(id)?)).await
    }

    /// A draft's files, to reopen it in 新規作成.
    pub async fn draft_files(&self, draft: &Draft) -> Result<Vec<LocalFile>, ClientError> {
        let mut files = Vec::with_capacity(draft.files.len());
        for file in &draft.files {
            let path = format!("{}/files/{}/content", draft_path(&draft.id)?, file.id);
            let response = checked(send(self.request(Method::GET, &path)).await?).await?;
            let bytes = response
                .bytes()
                .await
                .map_err(|e| ClientError::from_transport(&e))?;
            files.push(LocalFile {
                name: file.name.clone(),
                bytes,
            });
        }
        Ok(files)
    }

    pub async fn delete_draft(&self, id: &str) -> Result<(), ClientError> {
        checked(send(self.request(Method::DELETE, &draft_path(id)?)).await?).await?;
        Ok(())
    }

    /// Sends a draft as saved; the relay removes it once sent. Not retried automatically: the relay
    /// keys the send by the draft, and after a broken connection 送信一覧 tells whether it went.
    pub async fn send_draft(&self, id: &str) -> Result<SendResponse, ClientError> {
        json(self.request(Method::POST, &format!("{}/send", draft_path(id)?))).await
    }
}
