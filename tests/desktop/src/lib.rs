//! A small W3C WebDriver client for the desktop app's end-to-end tests: tauri-driver (which drives
//! WebKitWebDriver on Linux) started per test in a process group of its own (so the driver, the
//! WebKit driver and the app all end with the test), the app under test launched by it with its
//! own settings folder, against the one test relay of careplan-test-support.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use careplan_test_support::processes::Guarded;
use serde_json::{json, Value};

/// The W3C key under which element references come back.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub use careplan_test_support::fixtures::{files_in, fixture_dir as fixture_folder};
pub use careplan_test_support::{
    temp_dir, DemoOfficeSeed, TestRelay, CARE_MANAGER, DAY_SERVICE, HOME_HELP, PASSWORD,
    WELFARE_EQUIPMENT,
};

/// The XPath of the tab labelled `label` (トップページ, 受信一覧, …).
pub fn tab(label: &str) -> String {
    format!("//button[@role='tab' and normalize-space()='{label}']")
}

/// The app binary built next to this test (target/<profile>/careplan-desktop).
pub fn app_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    let app = profile_dir.join("careplan-desktop");
    assert!(
        app.exists(),
        "build the app first: cargo build -p careplan-desktop ({})",
        app.display()
    );
    app
}

/// The test relay with the demo's received items, as the README's main command seeds it.
pub async fn demo_relay() -> TestRelay {
    TestRelay::builder().demo_messages().start().await
}

/// An app folder set up for a demo office (PEM certificate, IDs filled in), as the README's main
/// command sets it up.
pub fn app_home_for(relay: &TestRelay, seed: DemoOfficeSeed) -> PathBuf {
    let office = relay.office(seed);
    let home = temp_dir("app");
    std::fs::create_dir_all(home.join("config")).unwrap();
    let settings = json!({
        "relay_url": relay.url(),
        "ca_certificate": relay.info.ca_certificate,
        "certificate": office.certificate,
        "terminal_name": "受付PC",
        "save_folder": home,
        "personal_id": office.personal_user_id,
        "office_user_id": office.office_user_id,
    });
    std::fs::write(home.join("config/settings.json"), settings.to_string()).unwrap();
    home
}

/// tauri-driver on a free port, and one session of the app.
pub struct Desktop {
    /// tauri-driver, leader of the group WebKitWebDriver and the app run in.
    driver: Guarded,
    http: reqwest::Client,
    base: String,
    session: String,
    /// When the session (and so the app's launch) was asked for: the start-up benchmark's zero.
    pub launch_requested: Instant,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Desktop {
    /// Starts tauri-driver and the app, whose settings live in `app_home`.
    pub async fn launch(app_home: &Path) -> Desktop {
        Desktop::launch_binary(&app_binary(), app_home).await
    }

    /// Starts tauri-driver and the given Tauri binary with `CAREPLAN_APP_HOME` set to `app_home`.
    pub async fn launch_binary(binary: &Path, app_home: &Path) -> Desktop {
        let (port, native_port) = (free_port(), free_port());
        let driver = Guarded::spawn(
            Command::new(tauri_driver())
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native_port.to_string(),
                ])
                .env("CAREPLAN_APP_HOME", app_home)
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )
        .expect("tauri-driver runs (cargo install tauri-driver --locked)");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let launch_requested = Instant::now();
        let created: Value = http
            .post(format!("{base}/session"))
            .json(&json!({ "capabilities": { "alwaysMatch": { "tauri:options": { "application": binary } } } }))
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
        Desktop {
            driver,
            http,
            base,
            session,
            launch_requested,
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap().json::<Value>().await.unwrap()["value"].clone()
    }

    /// The first element matching the XPath, waiting up to 15 s for it.
    pub async fn find(&self, xpath: &str) -> String {
        self.find_polling(xpath, Duration::from_millis(200)).await
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
        let answer = self
            .call(
                reqwest::Method::POST,
                &format!("/element/{element}/value"),
                Some(json!({ "text": text })),
            )
            .await;
        assert!(
            answer.get("error").is_none(),
            "keys {text:?} on {xpath}: {answer}"
        );
    }

    pub async fn click(&self, xpath: &str) {
        let element = self.find(xpath).await;
        let answer = self
            .call(
                reqwest::Method::POST,
                &format!("/element/{element}/click"),
                Some(json!({})),
            )
            .await;
        assert!(answer.get("error").is_none(), "click on {xpath}: {answer}");
    }

    /// Closes the app's window (WebDriver's Close Window; WebKitWebDriver then ends the process
    /// without the app's own exit, as a crash or a forced shutdown would).
    pub async fn close_window(&self) {
        self.call(reqwest::Method::DELETE, "/window", None).await;
    }

    /// Ticks a checkbox from the keyboard (focus, then Space).
    pub async fn press_space(&self, xpath: &str) {
        self.type_into(xpath, " ").await;
    }

    /// Activates a button or link from the keyboard (focus, then Enter), as a keyboard user does.
    /// Under the tutorial's overlay WebKitWebDriver refuses mouse clicks ("element click
    /// intercepted") even on the highlighted element that a person can click.
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

    /// Files dropped on the window, as the OS delivers them: Tauri's drag-drop event with their
    /// paths (WebDriver cannot drag files from outside the window).
    pub async fn drop_files(&self, paths: &[PathBuf]) {
        let script = "return window.__TAURI_INTERNALS__.invoke('plugin:event|emit', \
            { event: 'tauri://drag-drop', payload: { paths: arguments[0], position: { x: 400, y: 300 } } })";
        self.execute(script, json!([paths])).await;
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

    /// The page's title.
    pub async fn title(&self) -> String {
        self.call(reqwest::Method::GET, "/title", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits until the button can be pressed (files are checked asynchronously).
    pub async fn until_enabled(&self, xpath: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.enabled(xpath).await {
            assert!(Instant::now() < deadline, "{xpath} never became enabled");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// 新規作成: types the 事業所番号 and confirms it, waiting for the office's name.
    pub async fn confirm_destination(&self, number: &str, name: &str) {
        self.type_into("//label[contains(., '事業所番号')]//input", number)
            .await;
        self.click("//button[normalize-space()='送信先を確認']")
            .await;
        self.find(&format!("//div[@role='status' and contains(., '{name}')]"))
            .await;
    }

    /// 新規作成: presses 送信 once the files are checked, and returns the confirmation's text
    /// (destination, file count, warnings of earlier sends), leaving it open.
    pub async fn ask_to_send(&self) -> String {
        self.until_enabled("//button[normalize-space()='送信']")
            .await;
        self.click("//button[normalize-space()='送信']").await;
        let dialog = "//div[@role='alertdialog' and contains(., 'この内容で送信しますか？')]";
        self.until_enabled(&format!("{dialog}//button[normalize-space()='送信する']"))
            .await;
        self.text(dialog).await
    }

    /// 新規作成: presses 送信 once the files are checked, confirms, and waits for 送信成功しました.
    pub async fn send_and_wait(&self) {
        self.ask_to_send().await;
        self.click("//div[@role='alertdialog']//button[normalize-space()='送信する']")
            .await;
        self.find("//div[@role='status' and contains(., '送信成功しました')]")
            .await;
    }

    /// Empties a text field (WebDriver's Element Clear).
    pub async fn clear(&self, xpath: &str) {
        let element = self.find(xpath).await;
        let answer = self
            .call(
                reqwest::Method::POST,
                &format!("/element/{element}/clear"),
                Some(json!({})),
            )
            .await;
        assert!(answer.get("error").is_none(), "clear {xpath}: {answer}");
    }

    /// Whether an element matching the XPath is there now (no waiting).
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

    /// Logs in with the IDs the settings filled in.
    pub async fn log_in(&self, password: &str) {
        self.find("//h2[normalize-space()='個人ユーザIDでログイン']")
            .await;
        self.type_into("//label[contains(., 'パスワード')]//input", password)
            .await;
        self.click("//button[normalize-space()='ログイン']").await;
        self.find("//h2[normalize-space()='事業所ユーザIDでログイン']")
            .await;
        self.type_into("//label[contains(., 'パスワード')]//input", password)
            .await;
        self.click("//button[normalize-space()='ログイン']").await;
        self.find("//button[normalize-space()='ログアウト']").await;
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // The driver, WebKitWebDriver and the app are one process group: all end here, also when
        // the test failed.
        self.driver.kill();
    }
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    let installed = home.join("bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}
