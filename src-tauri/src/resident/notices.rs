//! OS notifications of the feed: one per sending office for a batch of arrivals
//! (「ひまわりヘルパーステーションから 3件のデータが届きました」), and, when the office turned it on,
//! one when partners took what it sent. None in the quiet hours. A click opens 受信一覧 (see
//! [`open_inbox_on_click`]).

use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use super::settings::ResidentSettings;
use super::FeedView;

/// A notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// The app's title on each notification (the vendor's product name comes from the build's config).
const ARRIVED: &str = "データが届きました";
const TAKEN: &str = "送信したデータが取得されました";

/// What `view` is worth telling the office at `minute` (after midnight, this PC's time).
pub fn notices_of(settings: &ResidentSettings, view: &FeedView, minute: u16) -> Vec<Notice> {
    if settings.is_quiet_at(minute) {
        return Vec::new();
    }
    let mut notices = Vec::new();
    if settings.notify_arrivals {
        // One per sending office (by its number: two offices may share a name), files together.
        let senders = by_office(
            view.arrived
                .iter()
                .map(|a| (a.sender_office.as_str(), a.sender_name.as_str(), a.files)),
        );
        notices.extend(senders.into_iter().map(|(number, name, files)| Notice {
            title: ARRIVED.into(),
            body: format!(
                "{}から {files}件のデータが届きました",
                office_name(name, number)
            ),
        }));
    }
    if settings.notify_taken {
        let receivers = by_office(
            view.taken
                .iter()
                .map(|t| (t.receiver_office.as_str(), t.receiver_name.as_str(), 1)),
        );
        notices.extend(receivers.into_iter().map(|(number, name, files)| Notice {
            title: TAKEN.into(),
            body: format!(
                "{}が {files}件のデータを取得しました",
                office_name(name, number)
            ),
        }));
    }
    notices
}

/// The event that opens 受信一覧 on the screens.
pub const OPEN_INBOX_EVENT: &str = "open-inbox";

/// A click on one of the app's notifications brings the window forward on 受信一覧. (The plugin
/// reports clicks only once a handler exists: registered at start, before the first notification.)
pub fn open_inbox_on_click<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    let registered = app.notification().on_action(move |_| {
        tracing::info!("a notification was clicked");
        if let Some(window) = handle.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
        if let Err(e) = handle.emit(OPEN_INBOX_EVENT, ()) {
            tracing::warn!(error = %e, "a notification's click did not reach the window");
        }
    });
    if let Err(e) = registered {
        tracing::warn!(error = %e, "notifications' clicks will not open 受信一覧");
    }
}

/// (office number, name, files) summed per office, in the order the offices first come.
fn by_office<'a>(
    items: impl Iterator<Item = (&'a str, &'a str, u32)>,
) -> Vec<(&'a str, &'a str, u32)> {
    let mut offices: Vec<(&str, &str, u32)> = Vec::new();
    for (number, name, files) in items {
        match offices.iter_mut().find(|(n, _, _)| *n == number) {
            Some((_, _, total)) => *total += files,
            None => offices.push((number, name, files)),
        }
    }
    offices
}

/// An office as a notification names it: by name, or by 事業所番号 when the register has none.
fn office_name(name: &str, number: &str) -> String {
    match name.trim() {
        "" => format!("事業所番号 {number} の事業所"),
        name => name.to_owned(),
    }
}

/// This PC's time of day in minutes (Japan's when the local offset cannot be read).
fn minute_now() -> u16 {
    let now = time::OffsetDateTime::now_local()
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+9)));
    u16::from(now.hour()) * 60 + u16::from(now.minute())
}

/// Shows the notifications `view` is worth. A PC without a notification service shows none; the
/// badge and 受信一覧 still tell.
pub fn tell<R: Runtime>(app: &AppHandle<R>, settings: &ResidentSettings, view: &FeedView) {
    for notice in notices_of(settings, view, minute_now()) {
        let shown = app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show();
        match shown {
            Ok(()) => tracing::info!(kind = %notice.title, "notification shown"),
            Err(e) => tracing::warn!(error = %e, "no notification could be shown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use careplan_api::{FeedArrival, FeedTaken};

    fn arrival(id: &str, sender: &str, files: u32) -> FeedArrival {
        FeedArrival {
            message_id: id.into(),
            sender_office: "1370000026".into(),
            sender_name: sender.into(),
            files,
            sent_at: String::new(),
        }
    }

    fn view(arrived: Vec<FeedArrival>, taken: Vec<FeedTaken>) -> FeedView {
        FeedView {
            arrived,
            taken,
            ..FeedView::connecting()
        }
    }

    #[test]
    fn a_batch_is_one_notice_per_sending_office_with_its_files_together() {
        let settings = ResidentSettings::default();
        let mut care_manager = arrival("m2", "あおぞら居宅介護支援事業所", 4);
        care_manager.sender_office = "1370000018".into();
        let notices = notices_of(
            &settings,
            &view(
                vec![
                    arrival("m1", "ひまわりヘルパーステーション", 2),
                    care_manager,
                    arrival("m3", "ひまわりヘルパーステーション", 1),
                ],
                Vec::new(),
            ),
            10 * 60,
        );
        let bodies: Vec<&str> = notices.iter().map(|n| n.body.as_str()).collect();
        assert_eq!(
            bodies,
            [
                "ひまわりヘルパーステーションから 3件のデータが届きました",
                "あおぞら居宅介護支援事業所から 4件のデータが届きました",
            ]
        );
        assert!(notices_of(&settings, &view(Vec::new(), Vec::new()), 600).is_empty());
    }

    #[test]
    fn two_offices_of_one_name_are_two_notices_and_a_nameless_one_is_named_by_its_number() {
        let mut same_name = arrival("m2", "ひまわり", 1);
        same_name.sender_office = "1370000042".into();
        let mut nameless = arrival("m3", "", 2);
        nameless.sender_office = "1370000059".into();
        let notices = notices_of(
            &ResidentSettings::default(),
            &view(
                vec![arrival("m1", "ひまわり", 1), same_name, nameless],
                Vec::new(),
            ),
            600,
        );
        let bodies: Vec<&str> = notices.iter().map(|n| n.body.as_str()).collect();
        assert_eq!(
            bodies,
            [
                "ひまわりから 1件のデータが届きました",
                "ひまわりから 1件のデータが届きました",
                "事業所番号 1370000059 の事業所から 2件のデータが届きました",
            ]
        );
    }

    #[test]
    fn quiet_hours_and_each_kinds_choice_are_kept() {
        let taken = vec![FeedTaken {
            file_id: "f1".into(),
            message_id: "m1".into(),
            receiver_office: "1370000026".into(),
            receiver_name: "ひまわりヘルパーステーション".into(),
            fetched_at: String::new(),
        }];
        let both = view(vec![arrival("m1", "ひまわり", 1)], taken);
        let defaults = ResidentSettings::default();
        assert_eq!(
            notices_of(&defaults, &both, 600).len(),
            1,
            "taken is off by default"
        );
        let all = ResidentSettings {
            notify_taken: true,
            ..defaults.clone()
        };
        let notices = notices_of(&all, &both, 600);
        assert_eq!(
            notices[1].body,
            "ひまわりヘルパーステーションが 1件のデータを取得しました"
        );
        let none = ResidentSettings {
            notify_arrivals: false,
            ..defaults.clone()
        };
        assert!(notices_of(&none, &both, 600).is_empty());
        let night = ResidentSettings {
            notify_taken: true,
            quiet_from: "22:00".into(),
            quiet_until: "07:00".into(),
            ..defaults
        };
        assert!(notices_of(&night, &both, 23 * 60).is_empty());
        assert_eq!(notices_of(&night, &both, 8 * 60).len(), 2);
    }
}
