//! The same screens of the default build and of a vendor's build (the sample theme `aozora`, built
//! with `tauri build --config ui/themes/aozora/tauri.conf.json`), side by side: they differ where
//! the vendor's theme says (colours, font, product name, logo, support desk) and nowhere else (the
//! same elements in the same places, every other colour unchanged).
//!
//! `CAREPLAN_VENDOR_APP` names the vendor's binary and `CAREPLAN_VENDOR_THEME` its theme (`aozora`
//! when unset); scripts/run-tests.sh builds it and runs this with `-- --ignored`. With
//! `CAREPLAN_SCREENSHOTS_DIR` set, the screenshots are kept there (docs/vendors.md).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use careplan_desktop_e2e::{
    app_binary, app_home_for, demo_relay, tab, Desktop, TestRelay, HOME_HELP, PASSWORD,
};
use serde_json::{json, Value};

/// The first choice of the default theme's fonts (ui/themes/theme.ts).
const FONT: &str = "Noto Sans CJK JP";

/// A theme as the build read it: ui/themes/<id>/theme.json.
struct Theme {
    product_name: String,
    phone: String,
    font: Option<String>,
    colours: BTreeMap<String, [u8; 3]>,
}

impl Theme {
    /// A colour as WebKit's computed style reports it.
    fn computed(&self, key: &str) -> String {
        let [r, g, b] = self.colours[key];
        format!("rgb({r}, {g}, {b})")
    }

    /// The colour keys whose value is `computed` (white is several of them).
    fn keys_of(&self, computed: &str) -> Vec<&str> {
        self.colours
            .keys()
            .filter(|key| self.computed(key) == computed)
            .map(String::as_str)
            .collect()
    }
}

fn theme(id: &str) -> Theme {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../ui/themes/{id}/theme.json"));
    let json: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let colours = json["colors"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, hex)| (key.clone(), rgb(hex.as_str().unwrap())))
        .collect();
    Theme {
        product_name: json["productName"].as_str().unwrap().to_owned(),
        phone: json["support"]["phone"].as_str().unwrap().to_owned(),
        font: json["font"].as_str().map(str::to_owned),
        colours,
    }
}

fn rgb(hex: &str) -> [u8; 3] {
    let digits: String = match hex.len() {
        4 => hex[1..].chars().flat_map(|c| [c, c]).collect(),
        _ => hex[1..].to_owned(),
    };
    let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).unwrap();
    [channel(0), channel(2), channel(4)]
}

fn vendor_binary() -> PathBuf {
    let path = std::env::var_os("CAREPLAN_VENDOR_APP")
        .map(PathBuf::from)
        .expect(
            "CAREPLAN_VENDOR_APP names the vendor build: npx tauri build --debug --no-bundle \
         --config ui/themes/aozora/tauri.conf.json (scripts/run-tests.sh does it)",
        );
    assert!(path.exists(), "{} is not there", path.display());
    path
}

/// Every visible element of the page: where it is in the tree, where it is drawn, its colours and
/// font, and whether it shows branding (the header, お問い合わせ) or contains something that does,
/// whose size may then follow the vendor's wording.
const PAGE_SIGNATURE: &str = r#"
const branding = '.app-header, .support-contact';
return Array.from(document.querySelectorAll('body *')).flatMap((el) => {
  const r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) return [];
  const path = [];
  for (let e = el; e !== document.body; e = e.parentElement) {
    path.unshift(e.tagName.toLowerCase() + Array.prototype.indexOf.call(e.parentElement.children, e));
  }
  const s = getComputedStyle(el);
  return [{
    path: path.join('/'),
    branded: !!(el.closest(branding) || el.querySelector(branding)),
    rect: [r.x, r.y, r.width, r.height].map(Math.round),
    color: s.color,
    background: s.backgroundColor,
    border: s.borderTopColor,
    font: s.fontFamily,
  }];
});
"#;

/// One screen as a build draws it.
struct Screen {
    elements: Vec<Value>,
    png: Vec<u8>,
}

/// The login screen, the top page and 受信一覧 of one build, against `relay`.
async fn screens_of(
    binary: &Path,
    relay: &TestRelay,
    theme: &Theme,
) -> Vec<(&'static str, Screen)> {
    let app = Desktop::launch_binary(binary, &app_home_for(relay, HOME_HELP)).await;
    let mut screens = Vec::new();

    app.find("//h2[normalize-space()='個人ユーザIDでログイン']")
        .await;
    // Branding: the page's title (the window's, too), the header, the support desk, the logo.
    assert_eq!(app.title().await, theme.product_name);
    app.find(&format!(
        "//header/h1[normalize-space()='{}']",
        theme.product_name
    ))
    .await;
    app.find(&format!(
        "//span[@class='support-phone' and .='{}']",
        theme.phone
    ))
    .await;
    let logo_width = app
        .execute(
            "return document.querySelector('header img.app-logo').naturalWidth",
            json!([]),
        )
        .await;
    assert!(
        logo_width.as_u64().unwrap_or(0) > 0,
        "the logo did not load: {logo_width}"
    );
    assert!(
        window_titles().contains(&theme.product_name),
        "no window titled {} in {:?}",
        theme.product_name,
        window_titles()
    );
    screens.push(("login", capture(&app).await));

    app.log_in(PASSWORD).await;
    app.find("//section//li[contains(., 'システムメンテナンスのお知らせ')]")
        .await;
    screens.push(("top", capture(&app).await));

    app.click(&tab("受信一覧")).await;
    app.find("//tr[contains(@class, 'unfetched')]").await;
    screens.push(("inbox", capture(&app).await));
    screens
}

async fn capture(app: &Desktop) -> Screen {
    // Focus rings are not part of the comparison: nothing focused.
    app.execute(
        "document.activeElement && document.activeElement.blur()",
        json!([]),
    )
    .await;
    let elements = app.execute(PAGE_SIGNATURE, json!([])).await;
    Screen {
        elements: elements.as_array().cloned().unwrap_or_default(),
        png: app.screenshot_png().await,
    }
}

/// The titles of the X display's windows (xwininfo from x11-utils).
fn window_titles() -> String {
    let out = std::process::Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .expect("xwininfo runs (Debian package x11-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The colour of one pixel of a PNG screenshot.
fn pixel(png_bytes: &[u8], x: usize, y: usize) -> [u8; 3] {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    let channels = frame.color_type.samples();
    let at = y * frame.line_size + x * channels;
    [buffer[at], buffer[at + 1], buffer[at + 2]]
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver, WebKitWebDriver and the vendor build (scripts/run-tests.sh runs it)"]
async fn a_vendor_build_differs_from_the_default_where_its_theme_says_and_nowhere_else() {
    let vendor_id = std::env::var("CAREPLAN_VENDOR_THEME").unwrap_or_else(|_| "aozora".to_owned());
    let (default_theme, vendor_theme) = (theme("default"), theme(&vendor_id));
    // One relay for both, so both show the same data down to the minute of each notice.
    let relay = demo_relay().await;
    let default = screens_of(&app_binary(), &relay, &default_theme).await;
    let vendor = screens_of(&vendor_binary(), &relay, &vendor_theme).await;

    // For a vendor checking a theme by eye: the screenshots side by side in a folder.
    if let Some(dir) = std::env::var_os("CAREPLAN_SCREENSHOTS_DIR").map(PathBuf::from) {
        std::fs::create_dir_all(&dir).unwrap();
        for ((name, base), (_, branded)) in default.iter().zip(&vendor) {
            std::fs::write(dir.join(format!("default-{name}.png")), &base.png).unwrap();
            std::fs::write(dir.join(format!("{vendor_id}-{name}.png")), &branded.png).unwrap();
        }
    }

    let mut themed_differences = 0;
    for ((name, base), (_, branded)) in default.iter().zip(&vendor) {
        // The header is drawn in each theme's primary colour.
        assert_eq!(
            pixel(&base.png, 3, 3),
            default_theme.colours["primary"],
            "{name}: default header"
        );
        assert_eq!(
            pixel(&branded.png, 3, 3),
            vendor_theme.colours["primary"],
            "{name}: vendor header"
        );
        assert_ne!(
            base.png, branded.png,
            "{name}: the screenshots are the same"
        );

        // The same elements, in the same order.
        let paths = |screen: &Screen| -> Vec<String> {
            screen
                .elements
                .iter()
                .map(|e| e["path"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            paths(base),
            paths(branded),
            "{name}: the screens are built differently"
        );
        assert!(
            base.elements.len() > 20,
            "{name}: only {} elements",
            base.elements.len()
        );

        let default_font = &base.elements[0]["font"];
        for (a, b) in base.elements.iter().zip(&branded.elements) {
            let path = a["path"].as_str().unwrap();
            // Where nothing branded is inside or around, the element is drawn in the same place.
            if !a["branded"].as_bool().unwrap() {
                assert_eq!(a["rect"], b["rect"], "{name}: {path} moved");
            }
            // Each colour is the vendor's value of the same theme colour, or unchanged.
            for property in ["color", "background", "border"] {
                let (was, now) = (a[property].as_str().unwrap(), b[property].as_str().unwrap());
                let keys = default_theme.keys_of(was);
                if keys.is_empty() {
                    assert_eq!(
                        was, now,
                        "{name}: {path} {property} is not a theme colour, yet changed"
                    );
                } else {
                    let allowed: Vec<String> =
                        keys.iter().map(|key| vendor_theme.computed(key)).collect();
                    assert!(
                        allowed.iter().any(|colour| colour == now),
                        "{name}: {path} {property} is {now}; the theme says {allowed:?} ({keys:?})"
                    );
                    themed_differences += usize::from(was != now);
                }
            }
            // The vendor's font wherever the default font was; code stays monospace.
            if &a["font"] == default_font {
                let font = b["font"].as_str().unwrap();
                let wanted = vendor_theme
                    .font
                    .as_deref()
                    .unwrap_or(FONT)
                    .split(',')
                    .next()
                    .unwrap();
                assert!(
                    font.contains(wanted.trim_matches('"')),
                    "{name}: {path} font {font}"
                );
            } else {
                assert_eq!(a["font"], b["font"], "{name}: {path} font");
            }
        }
    }
    assert!(
        themed_differences > 50,
        "only {themed_differences} colours differ"
    );
}
