//! 設定 of the resident app: staying in the notification area, starting at sign-in, notifications
//! and quiet hours, 自動取得. Per PC, in settings.json with the rest; locked in 練習モード.

use std::path::Path;

use careplan_client::auto_fetch::Subfolders;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CommandError, CommandResult};

/// Where 自動取得 puts files under its folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AutoFetchSubfolders {
    #[default]
    None,
    /// A folder per sending office.
    PerSender,
    /// A folder per month received (`2026-04`).
    PerMonth,
}

impl From<AutoFetchSubfolders> for Subfolders {
    fn from(value: AutoFetchSubfolders) -> Self {
        match value {
            AutoFetchSubfolders::None => Subfolders::None,
            AutoFetchSubfolders::PerSender => Subfolders::PerSender,
            AutoFetchSubfolders::PerMonth => Subfolders::PerMonth,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct ResidentSettings {
    /// Closing the window keeps the app running in the notification area, watching for arrivals.
    pub keep_running: bool,
    /// The one-time explanation of that has been shown.
    pub keep_running_explained: bool,
    /// Starts with Windows sign-in (in the notification area).
    pub start_at_sign_in: bool,
    /// A notification when data arrives.
    pub notify_arrivals: bool,
    /// A notification when a partner takes what this office sent (送信一覧's 済).
    pub notify_taken: bool,
    /// 通知しない時間帯, `HH:MM` to `HH:MM` (both empty: none); may run past midnight.
    pub quiet_from: String,
    pub quiet_until: String,
    /// 自動取得's folder; none: 自動取得 is off.
    pub auto_fetch_folder: Option<String>,
    pub auto_fetch_subfolders: AutoFetchSubfolders,
}

impl Default for ResidentSettings {
    fn default() -> Self {
        ResidentSettings {
            keep_running: true,
            keep_running_explained: false,
            start_at_sign_in: false,
            notify_arrivals: true,
            notify_taken: false,
            quiet_from: String::new(),
            quiet_until: String::new(),
            auto_fetch_folder: None,
            auto_fetch_subfolders: AutoFetchSubfolders::None,
        }
    }
}

/// `22:00` (or `7:00`, or as a Japanese IME writes it, `２２：００`) as minutes after midnight.
fn minutes_of(text: &str) -> Option<u16> {
    let half: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '：' => ':',
            c => c,
        })
        .collect();
    let (h, m) = half.split_once(':')?;
    if !(1..=2).contains(&h.len())
        || m.len() != 2
        || !(h.chars().chain(m.chars())).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn hh_mm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl ResidentSettings {
    pub fn check(&self) -> CommandResult<()> {
        let (from, until) = (self.quiet_from.trim(), self.quiet_until.trim());
        if !(from.is_empty() && until.is_empty()) {
            match minutes_of(from).zip(minutes_of(until)) {
                None => {
                    return Err(CommandError::new(
                        "settings.quiet_hours",
                        "通知しない時間帯は、始まりと終わりの両方を「22:00」「07:00」のように時刻で入力してください（使わないときは両方とも空欄）。",
                    ))
                }
                Some((f, u)) if f == u => {
                    return Err(CommandError::new(
                        "settings.quiet_hours",
                        "通知しない時間帯の始まりと終わりが同じ時刻です。違う時刻にしてください。",
                    ))
                }
                Some(_) => {}
            }
        }
        if let Some(folder) = &self.auto_fetch_folder {
            if !Path::new(folder).is_dir() {
                return Err(CommandError::new(
                    "settings.auto_fetch_folder",
                    format!("自動取得の保存先フォルダ {folder} がありません。フォルダを選び直してください。"),
                ));
            }
        }
        Ok(())
    }

    /// As kept: the quiet hours written `HH:MM` (call after [`ResidentSettings::check`]).
    pub fn normalized(self) -> ResidentSettings {
        let written = |text: &str| minutes_of(text).map(hh_mm).unwrap_or_default();
        ResidentSettings {
            quiet_from: written(&self.quiet_from),
            quiet_until: written(&self.quiet_until),
            ..self
        }
    }

    /// Whether `minute` (after midnight, local time) is in the quiet hours.
    pub fn is_quiet_at(&self, minute: u16) -> bool {
        match (minutes_of(&self.quiet_from), minutes_of(&self.quiet_until)) {
            (Some(from), Some(until)) if from < until => (from..until).contains(&minute),
            // Past midnight: 22:00 to 07:00.
            (Some(from), Some(until)) if from > until => minute >= from || minute < until,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet(from: &str, until: &str) -> ResidentSettings {
        ResidentSettings {
            quiet_from: from.into(),
            quiet_until: until.into(),
            ..ResidentSettings::default()
        }
    }

    #[test]
    fn quiet_hours_may_run_past_midnight_and_end_before_their_last_minute() {
        let night = quiet("22:00", "07:00");
        assert!(night.is_quiet_at(22 * 60));
        assert!(night.is_quiet_at(3 * 60));
        assert!(night.is_quiet_at(7 * 60 - 1));
        assert!(!night.is_quiet_at(7 * 60));
        assert!(!night.is_quiet_at(22 * 60 - 1));
        let lunch = quiet("12:00", "13:00");
        assert!(lunch.is_quiet_at(12 * 60 + 30));
        assert!(!lunch.is_quiet_at(13 * 60));
        assert!(!quiet("", "").is_quiet_at(0));
    }

    #[test]
    fn quiet_hours_are_two_different_times_or_none() {
        assert!(quiet("22:00", "07:00").check().is_ok());
        assert!(quiet("", "").check().is_ok());
        // As an IME writes it, and an hour of one digit.
        let typed = quiet("２２：００", "7:00");
        assert!(typed.check().is_ok());
        let kept = typed.normalized();
        assert_eq!(
            (kept.quiet_from.as_str(), kept.quiet_until.as_str()),
            ("22:00", "07:00")
        );
        for (from, until) in [
            ("22:00", ""),
            ("", "07:00"),
            ("25:00", "07:00"),
            ("22:60", "07:00"),
            ("2200", "0700"),
            ("+7:00", "22:00"),
            ("22:00", "22:00"),
        ] {
            let refused = quiet(from, until).check().unwrap_err();
            assert_eq!(refused.code(), "settings.quiet_hours", "{from}–{until}");
        }
    }

    #[test]
    fn the_auto_fetch_folder_must_exist() {
        let settings = ResidentSettings {
            auto_fetch_folder: Some("/no/such/folder".into()),
            ..ResidentSettings::default()
        };
        let refused = settings.check().unwrap_err();
        assert_eq!(refused.code(), "settings.auto_fetch_folder");
        assert!(refused.0.message.contains("選び直して"));
    }
}
