//! ログを保存: the last days' log files as one UTF-8 text file for the help desk. The save dialog is
//! the command's part (`commands::logs`); this is the writing, which tests can run.

use std::path::Path;

use time::{Date, Duration, Month};

use super::{FILE_PREFIX, FILE_SUFFIX};
use crate::error::{CommandError, CommandResult};

/// Days handed over: today and the six before.
pub const EXPORT_DAYS: i64 = 7;

/// The day of a log file, from its name (`careplan.2026-12-01.log`); `None` for any other file.
pub fn log_day(file_name: &str) -> Option<Date> {
    let day = file_name
        .strip_prefix(FILE_PREFIX)?
        .strip_prefix('.')?
        .strip_suffix(FILE_SUFFIX)?
        .strip_suffix('.')?;
    let parts: Vec<&str> = day.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// What the save dialog proposes: `careplan-log-20261201.txt`.
pub fn default_export_name(today: Date) -> String {
    format!(
        "careplan-log-{:04}{:02}{:02}.txt",
        today.year(),
        u8::from(today.month()),
        today.day()
    )
}

/// Writes the log files of `today` and the days before it ([`EXPORT_DAYS`] in all), oldest first,
/// into `target` as one text file, whole or not at all (an existing file is replaced: the dialog
/// asked). Answers the names of the files included; a folder without logs still gives a file that
/// says so, with the app's version, for the help desk.
pub fn write_recent_logs(folder: &Path, target: &Path, today: Date) -> CommandResult<Vec<String>> {
    let first_day = today - Duration::days(EXPORT_DAYS - 1);
    let mut days: Vec<(Date, std::path::PathBuf, String)> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let day = log_day(&name)?;
            (day >= first_day).then(|| (day, entry.path(), name))
        })
        .collect();
    days.sort();

    let mut text = format!(
        "ケアプランデータ連携 デスクトップアプリ {} のログ（{} 〜 {}、時刻は UTC）\n",
        env!("CARGO_PKG_VERSION"),
        first_day,
        today
    );
    if days.is_empty() {
        text.push_str("この期間のログはありません。\n");
    }
    for (_, path, name) in &days {
        // A file cut off mid-character (the app ended abruptly) still reads.
        let bytes = std::fs::read(path).map_err(|e| unreadable(name, &e))?;
        text.push_str(&format!("\n===== {name} =====\n"));
        text.push_str(&String::from_utf8_lossy(&bytes));
    }
    write_whole(target, text.as_bytes())?;
    Ok(days.into_iter().map(|(_, _, name)| name).collect())
}

/// The log written whole (`saving::write_whole`), or what to do in Japanese.
fn write_whole(target: &Path, bytes: &[u8]) -> CommandResult<()> {
    crate::saving::write_whole(target, bytes).map_err(|e| {
        CommandError::new(
            "logs.save_failed",
            format!(
                "ログを {} に保存できませんでした（{e}）。別の保存先を選んでください。",
                target.display()
            ),
        )
    })
}

fn unreadable(name: &str, e: &std::io::Error) -> CommandError {
    CommandError::new(
        "logs.unreadable",
        format!("ログのファイル {name} を読めませんでした（{e}）。もう一度お試しください。"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        log_day(&format!("careplan.{text}.log")).unwrap()
    }

    #[test]
    fn log_files_are_known_by_their_names() {
        assert_eq!(
            log_day("careplan.2026-12-01.log"),
            Date::from_calendar_date(2026, Month::December, 1).ok()
        );
        for other in [
            "careplan.2026-12-01.log.tmp",
            "careplan.2026-13-01.log",
            "careplan.2026-12-1.log",
            "careplan.log",
            "other.2026-12-01.log",
            "careplan-log-20261201.txt",
        ] {
            assert_eq!(log_day(other), None, "{other}");
        }
        assert_eq!(
            default_export_name(day("2026-12-01")),
            "careplan-log-20261201.txt"
        );
    }

    /// A log folder with one file per day from `first` for `count` days, each naming its day.
    fn folder_with_days(first: Date, count: i64) -> std::path::PathBuf {
        let folder = careplan_test_support::temp_dir("logs");
        for n in 0..count {
            let date = first + Duration::days(n);
            std::fs::write(
                folder.join(format!("careplan.{date}.log")),
                format!("{date}T09:00:00Z  INFO the line of {date}\n"),
            )
            .unwrap();
        }
        folder
    }

    #[test]
    fn the_last_seven_days_oldest_first_and_nothing_else() {
        let folder = folder_with_days(day("2026-11-20"), 12); // 11-20 … 12-01
        std::fs::write(folder.join("notes.txt"), "not a log").unwrap();
        std::fs::write(
            folder.join("careplan.2026-11-30.log.old"),
            "not a log either",
        )
        .unwrap();
        let target = careplan_test_support::temp_dir("export").join("careplan-log-20261201.txt");

        let included = write_recent_logs(&folder, &target, day("2026-12-01")).unwrap();
        let expected: Vec<String> = (25..=30)
            .map(|d| format!("careplan.2026-11-{d}.log"))
            .chain(["careplan.2026-12-01.log".to_owned()])
            .collect();
        assert_eq!(included, expected, "today and the six days before");

        let text = std::fs::read_to_string(&target).unwrap();
        assert!(text.starts_with("ケアプランデータ連携"), "{text}");
        assert!(text.contains("2026-11-25 〜 2026-12-01"), "{text}");
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("the line of")).collect();
        assert_eq!(lines.len(), 7, "{text}");
        assert!(lines[0].ends_with("the line of 2026-11-25"));
        assert!(lines[6].ends_with("the line of 2026-12-01"));
        assert!(
            !text.contains("2026-11-24"),
            "the eighth day back is left out"
        );
        assert!(!text.contains("not a log"));
    }

    #[test]
    fn an_empty_or_missing_log_folder_still_gives_a_file_that_says_so() {
        let empty = careplan_test_support::temp_dir("logs-empty");
        let missing = empty.join("never-written");
        for folder in [&empty, &missing] {
            let target = careplan_test_support::temp_dir("export").join("log.txt");
            let included = write_recent_logs(folder, &target, day("2026-12-01")).unwrap();
            assert!(included.is_empty());
            let text = std::fs::read_to_string(&target).unwrap();
            assert!(text.contains(env!("CARGO_PKG_VERSION")), "{text}");
            assert!(text.contains("この期間のログはありません。"), "{text}");
        }
    }

    #[test]
    fn a_file_cut_off_mid_character_still_reads() {
        let folder = careplan_test_support::temp_dir("logs-cut");
        let mut bytes = "送信しました".as_bytes().to_vec();
        bytes.truncate(bytes.len() - 1);
        std::fs::write(folder.join("careplan.2026-12-01.log"), bytes).unwrap();
        let target = folder.join("out.txt");
        write_recent_logs(&folder, &target, day("2026-12-01")).unwrap();
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(text.contains("送信しまし\u{FFFD}"), "{text}");
    }

    #[test]
    fn an_unwritable_target_is_a_japanese_error_and_leaves_nothing() {
        let folder = folder_with_days(day("2026-11-30"), 2);
        let elsewhere = careplan_test_support::temp_dir("export");
        let missing_folder = elsewhere.join("no-such-folder").join("log.txt");
        let error = write_recent_logs(&folder, &missing_folder, day("2026-12-01")).unwrap_err();
        assert_eq!(error.code(), "logs.save_failed");
        assert!(error.0.message.contains("ログを"), "{}", error.0.message);
        assert!(error.0.message.contains("別の保存先を選んでください"));

        // A folder where the file should go: not replaced, and no temporary file left beside it.
        let a_folder = elsewhere.join("a-folder.txt");
        std::fs::create_dir(&a_folder).unwrap();
        let error = write_recent_logs(&folder, &a_folder, day("2026-12-01")).unwrap_err();
        assert_eq!(error.code(), "logs.save_failed");
        assert!(a_folder.is_dir());
        let left: Vec<_> = std::fs::read_dir(&elsewhere).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }
}
