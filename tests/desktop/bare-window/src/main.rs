//! The smallest Tauri app with the desktop app's window: one static page, no commands, no plugins.
//! `scripts/bench-desktop.sh` compares the desktop app's start-up and idle memory against it.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the bare window starts");
}
