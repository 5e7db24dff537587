//! The desktop app's shell: one [`builder`] for `main` and for the mock-runtime tests, the app
//! state, and thin commands over careplan-client (see `commands/`). The screens are in `ui/`.

pub mod certificates;
pub mod commands;
pub mod error;
#[cfg(test)]
mod form_fixtures;
pub mod logs;
pub mod practice;
pub mod resident;
pub mod saving;
pub mod settings;
pub mod state;
pub mod views;

use tauri::{Manager, Runtime};

pub use state::{AppDirs, AppState};

/// Registers plugins, state and commands on `base`. `dirs` overrides where the app keeps its
/// files (tests, practice mode); `None` uses the platform's folders for the app.
pub fn builder<R: Runtime>(base: tauri::Builder<R>, dirs: Option<AppDirs>) -> tauri::Builder<R> {
    let base = base
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init());
    let base = match dirs {
        // Known now (tests, practice mode): managed at once, so it is there even when the event
        // loop never starts, as on the mock runtime.
        Some(dirs) => base.manage(AppState::new(dirs, &careplan_client::host_name())),
        // The platform's folders for the app are known once the app exists.
        None => base.setup(|app| {
            let dirs = AppDirs {
                config: app.path().app_config_dir()?,
                cache: app.path().app_cache_dir()?,
                logs: app.path().app_log_dir()?,
                // Local, not roaming: copies of care plans stay on this PC (and off synced profiles).
                data: app.path().app_local_data_dir()?,
            };
            app.manage(AppState::new(dirs, &careplan_client::host_name()));
            Ok(())
        }),
    };
    base.invoke_handler(tauri::generate_handler![
        commands::settings::app_info,
        commands::settings::get_settings,
        commands::settings::save_settings,
        commands::settings::import_certificate,
        commands::settings::import_ca_certificate,
        commands::settings::request_certificate,
        commands::portal::open_portal,
        commands::settings::inspect_certificate,
        commands::settings::apply_relay_preset,
        commands::settings::open_folder,
        commands::logs::save_logs,
        commands::practice::start_practice,
        commands::practice::reset_practice,
        commands::practice::stop_practice,
        commands::practice::practice_status,
        commands::session::login_personal,
        commands::session::login_office,
        commands::session::logout,
        commands::session::home,
        commands::session::feed_status,
        commands::session::lookup_office,
        commands::directory::search_directory,
        commands::mailbox::list_messages,
        commands::checking::check_files,
        commands::checking::service_kind_names,
        commands::checking::file_kind_names,
        commands::checking::plan_bulk,
        commands::sending::send_files,
        commands::sending::bulk_send,
        commands::sending::earlier_sends,
        commands::fetching::fetch_files,
        commands::drafts::list_drafts,
        commands::drafts::save_draft,
        commands::drafts::open_draft,
        commands::drafts::check_draft,
        commands::drafts::delete_draft,
        commands::drafts::send_draft,
        commands::reading::open_files,
        commands::reading::reconcile_files,
        commands::reading::save_reconciliation,
        commands::receipts::save_receipt,
        commands::history::history,
        commands::history::history_report,
        commands::history::save_history_csv,
    ])
}

/// Starts the app: the OS keyring for passwords, then the window; `--practice` opens 練習モード. `CAREPLAN_APP_HOME`, when set,
/// keeps the app's settings and files in that folder instead of the user's (the demo of the README's
/// main command, trainers' classroom PCs), so a demo never touches an office's real settings.
pub fn run() {
    let keyring = careplan_client::vault::use_platform_store();
    let practice = std::env::args().skip(1).any(|arg| arg == "--practice");
    if practice {
        practice::request_at_start();
    }
    let dirs = std::env::var_os("CAREPLAN_APP_HOME")
        .filter(|home| !home.is_empty())
        .map(|home| AppDirs::under(std::path::Path::new(&home)));
    let app_home = dirs.is_some();
    let app = builder(tauri::Builder::default(), dirs)
        .build(tauri::generate_context!())
        .expect("the app starts");
    open_main_window(&app).expect("the main window opens");
    resident::notices::open_inbox_on_click(app.handle());
    let mut keyring = Some(keyring);
    app.run(move |app, event| {
        // Ready comes first, after the app's state exists and before any command.
        if let tauri::RunEvent::Ready = event {
            if let Some(keyring) = keyring.take() {
                start_logging(app, practice, app_home, keyring);
            }
        }
        // Closing the window while practising is leaving practice: its relay stops and its
        // data folder goes (the process exits without dropping the app's state).
        let closing = matches!(
            event,
            tauri::RunEvent::Exit
                | tauri::RunEvent::WindowEvent {
                    event: tauri::WindowEvent::Destroyed,
                    ..
                }
        );
        if closing {
            if let Some(state) = app.try_state::<AppState>() {
                tracing::info!("app closing");
                state.leave_practice();
            }
        }
    });
}

/// The log file, and its first lines: what the help desk needs to know about this PC's app.
fn start_logging<R: Runtime>(
    app: &tauri::AppHandle<R>,
    practice: bool,
    app_home: bool,
    keyring: Result<(), careplan_client::ClientError>,
) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    if let Err(e) = logs::start(&state.dirs.logs) {
        // Without a log the app still works; a console (debug builds) shows why.
        eprintln!("log: {e}");
    }
    let config = app.config();
    let settings = state.settings();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        product = config.product_name.as_deref().unwrap_or_default(),
        identifier = %config.identifier,
        os = std::env::consts::OS,
        practice,
        app_home,
        relay_url = %settings.relay_url,
        certificate = settings.certificate.is_some(),
        "app started"
    );
    if let Err(e) = keyring {
        // The app still works; passwords are then asked for every time.
        tracing::warn!(code = e.code(), detail = %e, "no OS keyring");
    }
}

/// Opens the main window as `tauri.conf.json` describes it (`"create": false` there). Its title
/// follows the page's `<title>`, which the theme the screens were built with sets: a vendor's build
/// shows the vendor's product name without repeating the window's definition in its overlay.
fn open_main_window<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == "main") else {
        return Err(tauri::Error::WindowNotFound);
    };
    tauri::WebviewWindowBuilder::from_config(app, config)?
        .on_document_title_changed(|window, title| {
            if let Err(e) = window.set_title(&title) {
                tracing::warn!(error = %e, "the window's title");
            }
        })
        .build()?;
    Ok(())
}
