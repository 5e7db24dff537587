//! 受信通知's OS notification in the built app, through a real D-Bus session bus and notification
//! server: a partner's send is shown as 「…から N件のデータが届きました」, nothing is shown for what
//! waited at the login, and a click on the notification opens 受信一覧.

use careplan_client::{no_progress, LocalFile};
use careplan_desktop_e2e::notifications::NotificationServer;
use careplan_desktop_e2e::{
    app_home_for, demo_relay, tab, Desktop, CARE_MANAGER, HOME_HELP, PASSWORD,
};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and WebKitWebDriver (scripts/run-tests.sh runs it)"]
async fn an_arrival_is_notified_and_a_click_on_it_opens_the_inbox() {
    let relay = demo_relay().await;
    let server = NotificationServer::start();
    let app = Desktop::launch_with(
        &app_home_for(&relay, HOME_HELP),
        &[("DBUS_SESSION_BUS_ADDRESS", server.bus.as_str())],
    )
    .await;
    app.log_in(PASSWORD).await;
    app.find(&format!("{}[@aria-selected='true']", tab("トップページ")))
        .await;

    let sender = relay.logged_in(CARE_MANAGER).await;
    let files: Vec<LocalFile> = careplan_test_support::fixtures::fixture_files("valid/v41-plan")
        .into_iter()
        .map(|(name, bytes)| LocalFile {
            name,
            bytes: bytes.into(),
        })
        .collect();
    sender
        .send(HOME_HELP.number, "", &files, no_progress())
        .await
        .unwrap();
    let body = format!(
        "{}から {}件のデータが届きました",
        CARE_MANAGER.name,
        files.len()
    );
    let shown = server.wait_for(|s| s.body == body).await;
    assert_eq!(shown.summary, "データが届きました");
    // The demo's items were there at the login: not news.
    assert_eq!(server.shown().len(), 1, "{:?}", server.shown());

    // A person reads it before clicking; the app keeps the id once the server has answered.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    server.click(shown.id);
    app.find(&format!("{}[@aria-selected='true']", tab("受信一覧")))
        .await;
}
