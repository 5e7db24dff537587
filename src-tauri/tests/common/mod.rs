//! The desktop app on Tauri's mock runtime, driven through its IPC like the UI drives it, against a
//! demo relay started in the same test (real mutual TLS on 127.0.0.1).
#![allow(dead_code)]

use std::sync::{Arc, Mutex, Once};

use careplan_api::{ApiError, MessagePage};
use careplan_desktop::{builder, AppDirs};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, WebviewWindow, WebviewWindowBuilder};

#[allow(unused_imports)]
pub use careplan_test_support::{
    temp_dir, DemoOfficeSeed, TestRelay, CARE_MANAGER, DAY_SERVICE, HOME_HELP,
};

/// The keyring is process-wide: one mock store for every test of this binary.
fn mock_keyring() {
    static ONCE: Once = Once::new();
    ONCE.call_once(careplan_client::vault::use_mock_store);
}

/// The one test relay with the demo's received items, on a runtime of its own (the app's commands
/// run on Tauri's).
pub type DemoRelay = careplan_test_support::OwnRuntime;

pub fn demo_relay() -> DemoRelay {
    TestRelay::builder().demo_messages().start_on_own_runtime()
}

/// One PC's app, with its own settings folder.
pub struct DesktopApp {
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub dirs: AppDirs,
    pub events: Arc<Mutex<Vec<Value>>>,
}

impl DesktopApp {
    pub fn start() -> DesktopApp {
        mock_keyring();
        let dirs = AppDirs::under(&temp_dir("app"));
        let app = builder(mock_builder(), Some(dirs.clone()))
            .build(mock_context(noop_assets()))
            .unwrap();
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        app.listen("transfer-progress", move |event| {
            sink.lock()
                .unwrap()
                .push(serde_json::from_str(event.payload()).unwrap());
        });
        DesktopApp {
            app,
            window,
            dirs,
            events,
        }
    }

    /// What the app tells the window under `event` from now on (payloads as JSON).
    pub fn listen_to(&self, event: &str) -> Arc<Mutex<Vec<Value>>> {
        let heard = Arc::new(Mutex::new(Vec::new()));
        let sink = heard.clone();
        self.app.listen(event, move |event| {
            sink.lock()
                .unwrap()
                .push(serde_json::from_str(event.payload()).unwrap());
        });
        heard
    }

    /// Invokes a command as the UI does (arguments in camelCase), returning its answer or error.
    pub fn invoke<T: DeserializeOwned>(&self, command: &str, args: Value) -> Result<T, ApiError> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        match tauri::test::get_ipc_response(&self.window, request) {
            Ok(body) => Ok(body.deserialize::<T>().unwrap()),
            Err(error) => Err(serde_json::from_value(error.clone())
                .unwrap_or_else(|e| panic!("{command}: not an ApiError ({e}): {error}"))),
        }
    }

    /// The first page (50 rows) of `mailbox`: "inbox" (受信一覧) or "outbox" (送信一覧).
    pub fn mailbox(&self, mailbox: &str) -> MessagePage {
        self.invoke(
            "list_messages",
            json!({ "mailbox": mailbox, "page": 1, "perPage": 50 }),
        )
        .unwrap()
    }

    /// The error code of a command that must fail.
    pub fn refusal(&self, command: &str, args: Value) -> ApiError {
        match self.invoke::<Value>(command, args) {
            Ok(value) => panic!("{command} should have failed, answered {value}"),
            Err(error) => error,
        }
    }

    /// 設定 as a new office would fill it in: relay, CA, the office's certificate.
    pub fn configure(&self, demo: &TestRelay, seed: DemoOfficeSeed) {
        let office = demo.office(seed);
        self.invoke::<Value>(
            "save_settings",
            json!({ "settings": { "relay_url": demo.url(), "terminal_name": "受付PC" } }),
        )
        .unwrap();
        self.invoke::<Value>(
            "import_ca_certificate",
            json!({ "path": demo.info.ca_certificate }),
        )
        .unwrap();
        self.invoke::<Value>(
            "import_certificate",
            json!({ "path": office.pkcs12, "password": office.pkcs12_password }),
        )
        .unwrap();
    }

    pub fn log_in(&self, demo: &TestRelay, seed: DemoOfficeSeed) -> Value {
        let office = demo.office(seed);
        self.invoke::<Value>(
            "login_personal",
            json!({ "personalId": office.personal_user_id, "password": office.personal_password, "rememberId": true }),
        )
        .unwrap();
        self.invoke::<Value>(
            "login_office",
            json!({ "officeUserId": office.office_user_id, "password": office.office_password, "rememberId": false }),
        )
        .unwrap()
    }
}

/// Waits up to `within` for a payload of `heard` that `wanted` accepts, and answers it.
pub fn heard_within(
    heard: &Arc<Mutex<Vec<Value>>>,
    within: std::time::Duration,
    wanted: impl Fn(&Value) -> bool,
) -> Option<Value> {
    let deadline = std::time::Instant::now() + within;
    loop {
        if let Some(found) = heard.lock().unwrap().iter().find(|v| wanted(v)) {
            return Some(found.clone());
        }
        if std::time::Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A fixture folder's files (`valid/<case>`) as the paths the UI passes.
pub fn fixture_paths(case: &str) -> Vec<String> {
    careplan_test_support::fixtures::fixture_paths(&format!("valid/{case}"))
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}
