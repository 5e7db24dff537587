//! The app as the .deb installs it (scripts/package-deb.sh builds and installs the package, then
//! runs this with `CAREPLAN_INSTALLED_APP=/usr/bin/careplan-desktop`): it starts, shows the login
//! screen under the product's name and reaches a relay.

use std::path::PathBuf;

use careplan_desktop_e2e::{app_home_for, demo_relay, Desktop, CARE_MANAGER};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the installed .deb (scripts/package-deb.sh runs it)"]
async fn the_installed_deb_starts_and_logs_in() {
    let app = std::env::var_os("CAREPLAN_INSTALLED_APP")
        .map(PathBuf::from)
        .expect("CAREPLAN_INSTALLED_APP names the installed binary (scripts/package-deb.sh)");
    assert!(app.is_file(), "{} is not installed", app.display());
    let relay = demo_relay().await;
    let desktop = Desktop::launch_binary(&app, &app_home_for(&relay, CARE_MANAGER)).await;
    desktop
        .find("//h2[normalize-space()='個人ユーザIDでログイン']")
        .await;
    assert_eq!(desktop.title().await, "ケアプランデータ連携");
    desktop.log_in("demo-pass-2025").await;
    desktop
        .find("//section//li[contains(., 'システムメンテナンスのお知らせ')]")
        .await;
}
