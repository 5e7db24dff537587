//! The desktop app's end-to-end tests: tauri-driver (which drives WebKitWebDriver on Linux) started
//! per test in a process group of its own (so the driver, the WebKit driver and the app all end with
//! the test), the app under test launched by it with its own settings folder, against the one test
//! relay of careplan-test-support, driven by the shared WebDriver client of careplan-test-support.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use careplan_test_support::processes::Guarded;
pub use careplan_test_support::webdriver::{element_arg, free_port, WebDriver};
use serde_json::json;

pub use careplan_test_support::fixtures::{files_in, fixture_dir as fixture_folder};
pub mod notifications;

pub use careplan_test_support::{
    temp_dir, DemoOfficeSeed, TestRelay, CARE_MANAGER, DAY_SERVICE, HOME_HELP, PASSWORD,
    WELFARE_EQUIPMENT,
};

/// The XPath of the tab labelled `label` (トップページ, 受信一覧, …), with or without the count
/// 受信一覧 shows after its name.
pub fn tab(label: &str) -> String {
    format!("//button[@role='tab' and normalize-space(text()[1])='{label}']")
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

/// How many messages the 居宅 (CARE_MANAGER) has sent to `to`, as the relay's 送信一覧 holds them.
pub async fn sent_to(relay: &TestRelay, to: &str) -> usize {
    let client = relay.logged_in_on(CARE_MANAGER, "確認用PC").await;
    let outbox = client
        .messages(careplan_client::Mailbox::Outbox, 1, 100)
        .await
        .unwrap();
    outbox
        .items
        .iter()
        .filter(|m| m.counterpart.number == to)
        .count()
}

/// tauri-driver on a free port, and one session of the app. The WebDriver calls are the shared
/// client's ([`WebDriver`], through `Deref`); what is the app's own is here.
pub struct Desktop {
    /// tauri-driver, leader of the group WebKitWebDriver and the app run in.
    driver: Guarded,
    webdriver: WebDriver,
    /// When the session (and so the app's launch) was asked for: the start-up benchmark's zero.
    pub launch_requested: Instant,
}

impl std::ops::Deref for Desktop {
    type Target = WebDriver;
    fn deref(&self) -> &WebDriver {
        &self.webdriver
    }
}

impl Desktop {
    /// Starts tauri-driver and the app, whose settings live in `app_home`.
    pub async fn launch(app_home: &Path) -> Desktop {
        Desktop::launch_binary(&app_binary(), app_home).await
    }

    /// Starts tauri-driver and the given Tauri binary with `CAREPLAN_APP_HOME` set to `app_home`.
    pub async fn launch_binary(binary: &Path, app_home: &Path) -> Desktop {
        Desktop::launch_binary_with(binary, app_home, &[]).await
    }

    /// The app with more of the environment set (a session bus of its own).
    pub async fn launch_with(app_home: &Path, env: &[(&str, &str)]) -> Desktop {
        Desktop::launch_binary_with(&app_binary(), app_home, env).await
    }

    async fn launch_binary_with(binary: &Path, app_home: &Path, env: &[(&str, &str)]) -> Desktop {
        let (port, native_port) = (free_port(), free_port());
        let mut command = Command::new(tauri_driver());
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("CAREPLAN_APP_HOME", app_home)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (name, value) in env {
            command.env(name, value);
        }
        let driver = Guarded::spawn(&mut command)
            .expect("tauri-driver runs (cargo install tauri-driver --locked)");
        let launch_requested = Instant::now();
        let webdriver = WebDriver::connect(
            format!("http://127.0.0.1:{port}"),
            json!({ "tauri:options": { "application": binary } }),
        )
        .await;
        Desktop {
            driver,
            webdriver,
            launch_requested,
        }
    }

    /// Files dropped on the window, as the OS delivers them: Tauri's drag-drop event with their
    /// paths (WebDriver cannot drag files from outside the window), once the open screen takes
    /// drops (its dropzone says so: the subscription to the window's drops is asynchronous).
    pub async fn drop_files(&self, paths: &[PathBuf]) {
        self.find("//*[@data-drop-ready='true']").await;
        let script = "return window.__TAURI_INTERNALS__.invoke('plugin:event|emit', \
            { event: 'tauri://drag-drop', payload: { paths: arguments[0], position: { x: 400, y: 300 } } })";
        self.execute(script, json!([paths])).await;
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

    /// Logs in with the IDs the settings filled in.
    pub async fn log_in(&self, password: &str) {
        self.log_in_stage("個人ユーザIDでログイン", None, password)
            .await;
        self.log_in_stage("事業所ユーザIDでログイン", None, password)
            .await;
        self.find("//button[normalize-space()='ログアウト']").await;
    }

    /// Logs in typing both IDs (a PC that remembers none).
    pub async fn log_in_typing(&self, personal_id: &str, office_user_id: &str, password: &str) {
        self.log_in_stage(
            "個人ユーザIDでログイン",
            Some(("個人ユーザID", personal_id)),
            password,
        )
        .await;
        self.log_in_stage(
            "事業所ユーザIDでログイン",
            Some(("事業所ユーザID", office_user_id)),
            password,
        )
        .await;
        self.find("//button[normalize-space()='ログアウト']").await;
    }

    /// One login stage: its heading, the ID typed when given (its label and value), the password.
    async fn log_in_stage(&self, heading: &str, id: Option<(&str, &str)>, password: &str) {
        self.find(&format!("//h2[normalize-space()='{heading}']"))
            .await;
        if let Some((label, value)) = id {
            self.type_into(&format!("//label[contains(., '{label}')]//input"), value)
                .await;
        }
        self.type_into("//label[contains(., 'パスワード')]//input", password)
            .await;
        self.click("//button[normalize-space()='ログイン']").await;
    }

    /// Keeps the window as `<name>.png` in `CAREPLAN_SCREENSHOTS_DIR` when it is set (docs/images
    /// has them); does nothing otherwise.
    pub async fn keep_screenshot(&self, name: &str) {
        if let Some(dir) = std::env::var_os("CAREPLAN_SCREENSHOTS_DIR").map(PathBuf::from) {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(format!("{name}.png")), self.screenshot_png().await).unwrap();
        }
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
