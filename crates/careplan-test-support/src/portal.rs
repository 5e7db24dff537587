//! The office portal over real HTTPS, as a browser without scripts uses it: a cookie jar, pages read
//! as HTML, and forms posted with the CSRF token of the page they were on.

use std::sync::Arc;

use reqwest::cookie::CookieStore;
use reqwest::StatusCode;

use crate::TestRelay;

pub struct PortalClient {
    http: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
    base: String,
    /// The last page this client was shown.
    pub page: String,
}

/// The value of the first `name="csrf"` field of a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")?;
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// The text of a page without its tags (for assertions on what it says).
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

impl PortalClient {
    pub fn new(relay: &TestRelay) -> PortalClient {
        PortalClient::at(&relay.portal_url(), &relay.ca_pem())
    }

    /// A client of the portal at `base`, trusting the CA `ca_pem`.
    pub fn at(base: &str, ca_pem: &[u8]) -> PortalClient {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(ca_pem).unwrap())
            .cookie_provider(jar.clone())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap();
        PortalClient {
            http,
            jar,
            base: base.replace("127.0.0.1", "localhost"),
            page: String::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A cookie this client holds, by name.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let header = self.jar.cookies(&self.base.parse().unwrap())?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_owned())
    }

    /// Sets a cookie, as another browser that copied it would.
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar.add_cookie_str(
            &format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=Strict"),
            &self.base.parse().unwrap(),
        );
    }

    async fn read(&mut self, response: reqwest::Response) -> (StatusCode, String) {
        let status = response.status();
        let body = response.text().await.unwrap();
        self.page = body.clone();
        (status, body)
    }

    /// Opens a page (following redirects, as a browser does).
    pub async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let response = self.http.get(self.url(path)).send().await.unwrap();
        self.read(response).await
    }

    /// The raw response of a GET (a download, its headers).
    pub async fn get_response(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    /// The raw response of a GET sent with a header of the client's choosing.
    pub async fn get_response_with(
        &self,
        path: &str,
        name: &str,
        value: &str,
    ) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .header(name, value)
            .send()
            .await
            .unwrap()
    }

    /// Posts a form with the CSRF token of the page shown last.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let token = csrf_of(&self.page).unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf", &token)];
        all.extend_from_slice(fields);
        let response = self
            .post_body(path, serde_urlencoded::to_string(&all).unwrap())
            .await;
        self.read(response).await
    }

    /// Posts a form body as given (no token added): for refusals of missing or wrong tokens and of
    /// malformed or oversized bodies.
    pub async fn post_body(&self, path: &str, body: String) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Posts a form and answers the raw response (a download).
    pub async fn post_response(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = csrf_of(&self.page).unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf", &token)];
        all.extend_from_slice(fields);
        self.post_body(path, serde_urlencoded::to_string(&all).unwrap())
            .await
    }

    /// Opens the login page and logs in.
    pub async fn login(&mut self, id: &str, password: &str) -> (StatusCode, String) {
        self.get("/login").await;
        self.post("/login", &[("user_id", id), ("password", password)])
            .await
    }

    /// Posts JSON (the certificate API).
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }
}
