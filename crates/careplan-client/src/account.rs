//! Logging in (two stages), the top page, office lookup, and the two lists.

use careplan_api::{
    CertificateOffice, DirectoryPage, DirectorySearch, Home, MessagePage, Office,
    OfficeLoginRequest, OfficeLoginResponse, PersonalLoginRequest, PersonalLoginResponse,
};
use reqwest::Method;

use crate::connection::{checked, json, send, RelayClient};
use crate::error::ClientError;

/// What a person types to log in, plus the PC's 端末名.
#[derive(Clone)]
pub struct LoginCredentials {
    /// 個人ユーザID (`c…`).
    pub personal_id: String,
    pub personal_password: String,
    /// 事業所ユーザID (`KJ…`).
    pub office_user_id: String,
    pub office_password: String,
    pub terminal_name: String,
}

impl std::fmt::Debug for LoginCredentials {
    // Passwords never reach a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginCredentials")
            .field("personal_id", &self.personal_id)
            .field("office_user_id", &self.office_user_id)
            .field("terminal_name", &self.terminal_name)
            .finish_non_exhaustive()
    }
}

/// 受信一覧 or 送信一覧.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mailbox {
    Inbox,
    Outbox,
}

impl Mailbox {
    fn path(self) -> &'static str {
        match self {
            Mailbox::Inbox => "/v1/inbox",
            Mailbox::Outbox => "/v1/outbox",
        }
    }
}

impl RelayClient {
    /// Stage 1: the 個人ユーザID. Returns the token for stage 2.
    pub async fn login_personal(
        &self,
        personal_id: &str,
        password: &str,
    ) -> Result<PersonalLoginResponse, ClientError> {
        let body = PersonalLoginRequest {
            user_id: personal_id.trim().to_owned(),
            password: password.to_owned(),
        };
        json(self.http.post(self.url("/v1/login/personal")).json(&body)).await
    }

    /// Stage 2: the 事業所ユーザID. On success the client is logged in.
    pub async fn login_office(
        &self,
        stage_token: &str,
        office_user_id: &str,
        password: &str,
        terminal_name: &str,
    ) -> Result<OfficeLoginResponse, ClientError> {
        let body = OfficeLoginRequest {
            stage_token: stage_token.to_owned(),
            office_user_id: office_user_id.trim().to_owned(),
            password: password.to_owned(),
            terminal_name: terminal_name.to_owned(),
        };
        let response: OfficeLoginResponse =
            json(self.http.post(self.url("/v1/login/office")).json(&body)).await?;
        self.set_session(Some(response.session_token.clone()));
        Ok(response)
    }

    /// Both stages.
    pub async fn login(
        &self,
        credentials: &LoginCredentials,
    ) -> Result<OfficeLoginResponse, ClientError> {
        let stage = self
            .login_personal(&credentials.personal_id, &credentials.personal_password)
            .await?;
        self.login_office(
            &stage.stage_token,
            &credentials.office_user_id,
            &credentials.office_password,
            &credentials.terminal_name,
        )
        .await
    }

    /// The office this client's certificate belongs to, as the register knows it; needs no login.
    pub async fn certificate_office(&self) -> Result<CertificateOffice, ClientError> {
        json(self.http.get(self.url("/v1/certificate"))).await
    }

    /// Ends the session at the relay (when it can be reached) and forgets it here in any case.
    pub async fn logout(&self) -> Result<(), ClientError> {
        if !self.is_logged_in() {
            return Ok(());
        }
        let result = send(self.request(Method::POST, "/v1/logout")).await;
        self.set_session(None);
        checked(result?).await.map(|_| ())
    }

    /// トップページ: the office, licence, certificate, notices and unfetched count.
    pub async fn home(&self) -> Result<Home, ClientError> {
        json(self.request(Method::GET, "/v1/home")).await
    }

    /// Looks an office up by its 事業所番号.
    pub async fn office(&self, number: &str) -> Result<Office, ClientError> {
        let number = number.trim();
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ClientError::local(
                "office.number_invalid",
                "事業所番号は10桁の英数字で入力してください。",
            ));
        }
        json(self.request(Method::GET, &format!("/v1/offices/{number}"))).await
    }

    /// 利用事業所検索: offices by place, name (any width or script), service kind and number, the
    /// portal's own search, to find a destination by name.
    pub async fn directory(&self, search: &DirectorySearch) -> Result<DirectoryPage, ClientError> {
        json(self.request(Method::GET, "/v1/directory").query(search)).await
    }

    /// One page of 受信一覧 or 送信一覧, newest first (`page` from 1, up to 200 a page).
    pub async fn messages(
        &self,
        mailbox: Mailbox,
        page: u32,
        per_page: u32,
    ) -> Result<MessagePage, ClientError> {
        json(
            self.request(Method::GET, mailbox.path())
                .query(&[("page", page.max(1)), ("per_page", per_page.clamp(1, 200))]),
        )
        .await
    }
}
