//! 送信した控え: this PC's copy of what the office sent, so that 送信一覧's 内容を見る shows the files
//! after the relay has let them go (at the partner's データ取得). The relay keeps no copy for the
//! sender, and the office's own export folder is emptied by its care software.
//!
//! A copy is kept per office and message, each file under its SHA-256 (as the relay lists it), so
//! a name that arrived normalised reads the same and a changed file is never shown as sent:
//! `<root>/<事業所番号>/<message id>/<sha256>`. Copies older than [`KEEP_FOR`] go.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use careplan_api::{FileEntry, MessageSummary};
use sha2::{Digest, Sha256};

use crate::sending::LocalFile;

/// How long a copy is kept: two years, the record-keeping period of 居宅介護支援 (運営基準 第29条:
/// 完結の日から2年間).
pub const KEEP_FOR: Duration = Duration::from_secs(2 * 366 * 24 * 60 * 60);

/// The copies of one office on this PC.
pub struct SentCopies {
    office_dir: PathBuf,
}

/// Why a sent file cannot be shown from the copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoCopy {
    /// Sent from another PC, before copies were kept, or removed after [`KEEP_FOR`].
    Missing,
    /// The copy's bytes are not the ones sent (changed or damaged on this PC).
    Changed,
}

impl NoCopy {
    /// What 内容を見る says of the file, in Japanese.
    pub fn message(&self, name: &str) -> String {
        match self {
            NoCopy::Missing => format!("「{name}」の控えがこのパソコンにありません。ほかのパソコンから送ったか、控えを残す前（または2年より前）に送ったファイルです。送ったパソコンで開くか、送信元のソフトで確かめてください。"),
            NoCopy::Changed => format!("「{name}」の控えが、送ったときの内容と違っています（このパソコンで書き換えられたか、壊れています）。送信元のソフトで確かめてください。"),
        }
    }
}

/// Whether `text` is `len` characters (or, with `len` 0, 1 to 64) of `allowed`: names that come from
/// the relay are only what it makes (hex ids and digests, 事業所番号), so no answer can reach outside
/// the copies' folder or name a device on Windows.
fn plain(text: &str, len: usize, allowed: fn(u8) -> bool) -> Option<&str> {
    let sized = match len {
        0 => (1..=64).contains(&text.len()),
        n => text.len() == n,
    };
    (sized && text.bytes().all(allowed)).then_some(text)
}

fn lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

/// The files of a send with their SHA-256, hashed once for all the messages they went in.
pub struct SentBytes<'a> {
    files: Vec<(String, &'a LocalFile)>,
}

impl<'a> SentBytes<'a> {
    pub fn of(files: &'a [LocalFile]) -> SentBytes<'a> {
        SentBytes {
            files: files
                .iter()
                .map(|f| (hex::encode(Sha256::digest(&f.bytes)), f))
                .collect(),
        }
    }

    fn find(&self, sha256: &str) -> Option<&'a LocalFile> {
        self.files
            .iter()
            .find(|(d, _)| d == sha256)
            .map(|(_, f)| *f)
    }
}

impl SentCopies {
    /// The copies of `office` under `root`; `None` for an office number that is not one.
    pub fn of_office(root: &Path, office: &str) -> Option<SentCopies> {
        Some(SentCopies {
            office_dir: root.join(plain(office, 10, |b| b.is_ascii_alphanumeric())?),
        })
    }

    fn message_dir(&self, message_id: &str) -> Option<PathBuf> {
        Some(self.office_dir.join(plain(message_id, 0, lower_hex)?))
    }

    /// Keeps a copy of each file of `message` found among `files` (by its SHA-256), each written
    /// whole through a temporary file; a copy already there with the right bytes is left as it is,
    /// a damaged one replaced. Answers how many files have their copy. A file that cannot be
    /// written does not stop the others; the first such error is answered once all were tried.
    pub fn keep(&self, message: &MessageSummary, files: &SentBytes<'_>) -> std::io::Result<usize> {
        let Some(dir) = self.message_dir(&message.id) else {
            return Err(std::io::Error::other("message id is not a plain name"));
        };
        std::fs::create_dir_all(&dir)?;
        let mut kept = 0;
        let mut first_error = None;
        for entry in &message.files {
            let Some(name) = plain(&entry.sha256, 64, lower_hex) else {
                continue;
            };
            let Some(file) = files.find(name) else {
                continue;
            };
            let target = dir.join(name);
            let intact = std::fs::read(&target)
                .map(|bytes| hex::encode(Sha256::digest(&bytes)) == name)
                .unwrap_or(false);
            let written = match intact {
                true => Ok(()),
                false => write_whole(&dir, &target, &file.bytes),
            };
            match written {
                Ok(()) => kept += 1,
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(kept),
        }
    }

    /// The copy of one file of a message this office sent, checked against its SHA-256.
    pub fn read(&self, message_id: &str, entry: &FileEntry) -> Result<LocalFile, NoCopy> {
        let path = self
            .message_dir(message_id)
            .zip(plain(&entry.sha256, 64, lower_hex))
            .map(|(dir, name)| dir.join(name))
            .ok_or(NoCopy::Missing)?;
        let bytes = std::fs::read(path).map_err(|_| NoCopy::Missing)?;
        if hex::encode(Sha256::digest(&bytes)) != entry.sha256 {
            return Err(NoCopy::Changed);
        }
        Ok(LocalFile {
            name: entry.name.clone(),
            bytes: bytes.into(),
        })
    }

    /// Removes the copies of messages kept longer than `keep_for` (by when their folder was
    /// written). Answers how many messages' copies went; what cannot be removed stays for the next
    /// time.
    pub fn prune(&self, keep_for: Duration) -> usize {
        let Ok(entries) = std::fs::read_dir(&self.office_dir) else {
            return 0;
        };
        let now = SystemTime::now();
        let mut removed = 0;
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|at| now.duration_since(at).ok())
                .is_some_and(|age| age > keep_for);
            if old && std::fs::remove_dir_all(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

fn write_whole(dir: &Path, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temp, bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use careplan_api::{FileCategory, Office};

    fn entry(name: &str, bytes: &[u8]) -> FileEntry {
        FileEntry {
            id: format!("id-{name}"),
            name: name.into(),
            category: FileCategory::Register,
            csv_version: None,
            size: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(bytes)),
            fetched_at: None,
            expires_at: None,
            expired_at: None,
        }
    }

    fn sent(id: &str, files: Vec<FileEntry>) -> MessageSummary {
        MessageSummary {
            id: id.into(),
            sent_at: "2025-04-30T18:00:00+09:00".into(),
            message: String::new(),
            counterpart: Office {
                number: "1370000026".into(),
                name: "ひまわりヘルパーステーション".into(),
                service_kinds: vec!["11".into()],
                prefecture: "東京都".into(),
                city: "新宿区".into(),
                uses_system: true,
            },
            files,
            sent_by: None,
            units: Vec::new(),
        }
    }

    fn local(name: &str, bytes: &[u8]) -> LocalFile {
        LocalFile {
            name: name.into(),
            bytes: bytes.to_vec().into(),
        }
    }

    #[test]
    fn a_sent_file_reads_back_by_its_digest_and_a_changed_one_does_not() {
        let root = tempfile::tempdir().unwrap();
        let copies = SentCopies::of_office(root.path(), "1370000018").unwrap();
        let plan = entry("UPPLAN_a.CSV", b"plan");
        let note = entry("note.txt", b"note");
        let message = sent("a1", vec![plan.clone(), note.clone()]);
        // The relay's name may be normalised: the copy is found by content, and shown by the
        // relay's name.
        let kept = copies
            .keep(&message, &SentBytes::of(&[local("UPPLAN_a.csv", b"plan")]))
            .unwrap();
        assert_eq!(kept, 1, "only the file this PC had");
        let read = copies.read("a1", &plan).unwrap();
        assert_eq!(
            (read.name.as_str(), &read.bytes[..]),
            ("UPPLAN_a.CSV", &b"plan"[..])
        );
        assert_eq!(copies.read("a1", &note).unwrap_err(), NoCopy::Missing);
        assert_eq!(copies.read("a2", &plan).unwrap_err(), NoCopy::Missing);

        std::fs::write(
            root.path().join("1370000018").join("a1").join(&plan.sha256),
            b"changed",
        )
        .unwrap();
        assert_eq!(copies.read("a1", &plan).unwrap_err(), NoCopy::Changed);
        assert!(NoCopy::Changed
            .message("UPPLAN_a.CSV")
            .contains("違っています"));
        // Kept again (a retried send): the damaged copy is replaced by the bytes sent.
        copies
            .keep(&message, &SentBytes::of(&[local("UPPLAN_a.csv", b"plan")]))
            .unwrap();
        assert_eq!(&copies.read("a1", &plan).unwrap().bytes[..], b"plan");
    }

    #[test]
    fn an_office_reads_only_its_own_copies() {
        let root = tempfile::tempdir().unwrap();
        let plan = entry("UPPLAN_a.CSV", b"plan");
        let ours = SentCopies::of_office(root.path(), "1370000018").unwrap();
        ours.keep(
            &sent("a1", vec![plan.clone()]),
            &SentBytes::of(&[local("a", b"plan")]),
        )
        .unwrap();
        let theirs = SentCopies::of_office(root.path(), "1370000026").unwrap();
        assert_eq!(theirs.read("a1", &plan).unwrap_err(), NoCopy::Missing);
    }

    #[test]
    fn names_from_the_relay_cannot_leave_the_folder() {
        let root = tempfile::tempdir().unwrap();
        assert!(SentCopies::of_office(root.path(), "../1370000018").is_none());
        assert!(SentCopies::of_office(root.path(), "").is_none());
        assert!(
            SentCopies::of_office(root.path(), "CON").is_none(),
            "a Windows device name"
        );
        let copies = SentCopies::of_office(root.path(), "1370000018").unwrap();
        let mut plan = entry("UPPLAN_a.CSV", b"plan");
        assert!(copies
            .keep(
                &sent("../a1", vec![plan.clone()]),
                &SentBytes::of(&[local("a", b"plan")])
            )
            .is_err());
        assert_eq!(copies.read("..", &plan).unwrap_err(), NoCopy::Missing);
        assert_eq!(
            copies.read("A1", &plan).unwrap_err(),
            NoCopy::Missing,
            "ids are lower-case hex"
        );
        plan.sha256 = "../../settings.json".into();
        assert_eq!(copies.read("a1", &plan).unwrap_err(), NoCopy::Missing);
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    }

    #[test]
    fn copies_older_than_the_keeping_period_go_and_newer_ones_stay() {
        let root = tempfile::tempdir().unwrap();
        let copies = SentCopies::of_office(root.path(), "1370000018").unwrap();
        let plan = entry("UPPLAN_a.CSV", b"plan");
        for id in ["dead", "beef"] {
            copies
                .keep(
                    &sent(id, vec![plan.clone()]),
                    &SentBytes::of(&[local("a", b"plan")]),
                )
                .unwrap();
        }
        let old = root.path().join("1370000018").join("dead");
        let written = SystemTime::now() - KEEP_FOR - Duration::from_secs(60);
        std::fs::File::open(&old)
            .unwrap()
            .set_modified(written)
            .unwrap();
        assert_eq!(copies.prune(KEEP_FOR), 1);
        assert_eq!(copies.read("dead", &plan).unwrap_err(), NoCopy::Missing);
        assert!(copies.read("beef", &plan).is_ok());
        // Just inside the period: kept.
        let new = root.path().join("1370000018").join("beef");
        let written = SystemTime::now() - KEEP_FOR + Duration::from_secs(60);
        std::fs::File::open(&new)
            .unwrap()
            .set_modified(written)
            .unwrap();
        assert_eq!(copies.prune(KEEP_FOR), 0);
    }
}
