//! A small W3C WebDriver client, shared by the desktop app's end-to-end tests (tauri-driver in front
//! of WebKitWebDriver) and the portal's browser tests (chromedriver in front of Debian's Chromium):
//! one session, elements found by XPath (waiting for them), typing, clicks, scripts, screenshots.
//! The driver process is the caller's, started through [`crate::processes::Guarded`] so that it and
//! its browser end with the test.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::temp_dir;

/// The W3C key under which element references come back.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// An element found by [`WebDriver::find`], as a script's argument (`arguments[i]` is the element).
pub fn element_arg(id: &str) -> Value {
    json!({ ELEMENT: id })
}

/// One WebDriver session.
pub struct WebDriver {
    http: reqwest::Client,
    base: String,
    session: String,
}

/// A free port of 127.0.0.1, for a driver to listen on.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl WebDriver {
    /// Waits for the driver at `base` (`http://127.0.0.1:PORT`) to answer, then opens a session
    /// with these capabilities.
    pub async fn connect(base: String, capabilities: Value) -> WebDriver {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(
                Instant::now() < deadline,
                "the WebDriver server did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let created: Value = http
            .post(format!("{base}/session"))
            .json(&json!({ "capabilities": { "alwaysMatch": capabilities } }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_owned();
        WebDriver {
            http,
            base,
            session,
        }
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap().json::<Value>().await.unwrap()["value"].clone()
    }

    /// Opens a URL.
    pub async fn navigate(&self, url: &str) {
        let answer = self
            .call(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
        assert!(answer.get("error").is_none(), "open {url}: {answer}");
    }

    /// The URL shown now.
    pub async fn current_url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Sets the window's size in CSS pixels.
    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .await;
    }

    /// The first element matching the XPath, waiting up to 15 s for it.
    pub async fn find(&self, xpath: &str) -> String {
        self.find_polling(xpath, Duration::from_millis(200)).await
    }

    /// Whether an element matches the XPath now (no waiting).
    pub async fn exists(&self, xpath: &str) -> bool {
        let found = self
            .call(
                reqwest::Method::POST,
                "/elements",
                Some(json!({ "using": "xpath", "value": xpath })),
            )
            .await;
        found.as_array().is_some_and(|all| !all.is_empty())
    }

    /// `find`, asking again every `interval` until the element is there.
    pub async fn find_polling(&self, xpath: &str, interval: Duration) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let found = self
                .call(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({ "using": "xpath", "value": xpath })),
                )
                .await;
            if let Some(id) = found[ELEMENT].as_str() {
                return id.to_owned();
            }
            if Instant::now() >= deadline {
                let shot = self.screenshot("not-found").await;
                panic!("not found: {xpath} (the window then: {})", shot.display());
            }
            tokio::time::sleep(interval).await;
        }
    }

    /// Sends keys to the element (WebDriver focuses it first), as typing does.
    pub async fn type_into(&self, xpath: &str, text: &str) {
        let element = self.find(xpath).await;
        self.send_keys(&element, text).await;
    }

    /// Sends keys to an element found before (by [`WebDriver::find`] or
    /// [`WebDriver::active_element`]).
    pub async fn send_keys(&self, element: &str, text: &str) {
        let answer = self
            .call(
                reqwest::Method::POST,
                &format!("/element/{element}/value"),
                Some(json!({ "text": text })),
            )
            .await;
        assert!(
            answer.get("error").is_none(),
            "keys {text:?} on {element}: {answer}"
        );
    }

    /// The element that has the keyboard focus now.
    pub async fn active_element(&self) -> String {
        let focused = self
            .call(reqwest::Method::GET, "/element/active", None)
            .await;
        focused[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no focused element: {focused}"))
            .to_owned()
    }

    /// Empties a text field.
    pub async fn clear(&self, xpath: &str) {
        let element = self.find(xpath).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/clear"),
            Some(json!({})),
        )
        .await;
    }

    pub async fn click(&self, xpath: &str) {
        let element = self.find(xpath).await;
        // WebDriver scrolls an element only just into the window, where a sticky bar (the screens'
        // button bar) may cover it; a person scrolls it clear first.
        self.execute(
            "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' })",
            json!([element_arg(&element)]),
        )
        .await;
        let answer = self
            .call(
                reqwest::Method::POST,
                &format!("/element/{element}/click"),
                Some(json!({})),
            )
            .await;
        assert!(answer.get("error").is_none(), "click on {xpath}: {answer}");
    }

    /// Closes the window (WebDriver's Close Window).
    pub async fn close_window(&self) {
        self.call(reqwest::Method::DELETE, "/window", None).await;
    }

    /// Ticks a checkbox or a radio button from the keyboard (focus, then Space).
    pub async fn press_space(&self, xpath: &str) {
        self.type_into(xpath, " ").await;
    }

    /// Activates a button or link from the keyboard (focus, then Enter), as a keyboard user does.
    pub async fn press(&self, xpath: &str) {
        // WebDriver's key code for Enter.
        self.type_into(xpath, "\u{E007}").await;
    }

    pub async fn text(&self, xpath: &str) -> String {
        let element = self.find(xpath).await;
        self.call(
            reqwest::Method::GET,
            &format!("/element/{element}/text"),
            None,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    pub async fn css(&self, xpath: &str, property: &str) -> String {
        let element = self.find(xpath).await;
        self.call(
            reqwest::Method::GET,
            &format!("/element/{element}/css/{property}"),
            None,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Whether the element is enabled.
    pub async fn enabled(&self, xpath: &str) -> bool {
        let element = self.find(xpath).await;
        self.call(
            reqwest::Method::GET,
            &format!("/element/{element}/enabled"),
            None,
        )
        .await
        .as_bool()
        .unwrap_or(false)
    }

    /// Saves what the window shows as a PNG in the temporary folder; answers its path.
    pub async fn screenshot(&self, label: &str) -> PathBuf {
        let path = temp_dir(label).join("window.png");
        std::fs::write(&path, self.screenshot_png().await).unwrap();
        path
    }

    /// What the window shows, as PNG bytes (empty when WebDriver gave nothing).
    pub async fn screenshot_png(&self) -> Vec<u8> {
        let encoded = self.call(reqwest::Method::GET, "/screenshot", None).await;
        base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            encoded.as_str().unwrap_or_default(),
        )
        .unwrap_or_default()
    }

    /// Runs `script` in the page (WebDriver's Execute Script) and answers what it returns.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Runs an asynchronous script: it calls its last argument with the result.
    pub async fn execute_async(&self, script: &str, args: Value) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// The page's title.
    pub async fn title(&self) -> String {
        self.call(reqwest::Method::GET, "/title", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits until the button can be pressed.
    pub async fn until_enabled(&self, xpath: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.enabled(xpath).await {
            if Instant::now() >= deadline {
                let shot = self.screenshot("never-enabled").await;
                panic!(
                    "{xpath} never became enabled (the window then: {})",
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
