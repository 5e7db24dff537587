//! Debian's Chromium, headless, driven by chromedriver through the shared [`WebDriver`] client: for
//! the portal's browser tests. Each browser has a fresh profile folder and its own chromedriver in a
//! process group of its own, so that nothing outlives the test. The relay's CA is a throwaway one,
//! so the session accepts its server certificate (`acceptInsecureCerts`); the pages still run as
//! HTTPS, with their Secure cookies.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::processes::Guarded;
use crate::temp_dir;
use crate::webdriver::{free_port, WebDriver};

/// A headless Chromium and its session.
pub struct Chromium {
    driver: Guarded,
    webdriver: WebDriver,
}

impl std::ops::Deref for Chromium {
    type Target = WebDriver;
    fn deref(&self) -> &WebDriver {
        &self.webdriver
    }
}

/// The laptop window of the office PC (1366×768) and a phone's (390×844).
pub const DESKTOP: (u32, u32) = (1366, 768);
pub const PHONE: (u32, u32) = (390, 844);

impl Chromium {
    /// Starts chromedriver and a headless Chromium with a window of `size`.
    pub async fn launch(size: (u32, u32)) -> Chromium {
        let port = free_port();
        let driver = Guarded::spawn(
            Command::new("chromedriver")
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )
        .expect("chromedriver runs (apt-get install chromium chromium-driver)");
        let profile = temp_dir("chromium-profile");
        let capabilities = json!({
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--lang=ja",
                    format!("--window-size={},{}", size.0, size.1),
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        });
        let webdriver = WebDriver::connect(format!("http://127.0.0.1:{port}"), capabilities).await;
        webdriver.set_window_size(size.0, size.1).await;
        Chromium { driver, webdriver }
    }

    /// Runs axe-core (from the repository's node_modules) on the page; answers its violations of
    /// impact `serious` or `critical`, each as `rule: the first nodes' targets`.
    pub async fn serious_accessibility_violations(&self) -> Vec<String> {
        let source = std::fs::read_to_string(axe_core())
            .expect("axe-core is installed (npm ci at the repository's root)");
        // Injected through WebDriver, not by a <script> of the page: the portal's pages allow no
        // script at all.
        self.execute(&format!("{source}\nreturn true;"), json!([]))
            .await;
        let result: Value = self
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact,
                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))
                   .catch(e => done([{ id: 'axe-error', impact: 'critical', nodes: [String(e)] }]));",
                json!([]),
            )
            .await;
        result
            .as_array()
            .unwrap_or_else(|| panic!("axe-core answered {result}"))
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| format!("{}: {}", v["id"], v["nodes"]))
            .collect()
    }

    /// Saves a screenshot of the window as `path` (a file of the repository's docs/images).
    pub async fn save_screenshot(&self, path: &std::path::Path) {
        std::fs::write(path, self.screenshot_png().await).unwrap();
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        self.driver.kill();
    }
}

fn axe_core() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules/axe-core/axe.min.js")
}
