//! Attachments (添付ファイル) that may travel with standard files: pdf, jpeg/jpg, png, gif and txt,
//! recognised by their bytes as well as their extension (seed 001 and 003).

use crate::diagnostic::{Code, Diagnostic};

/// The kinds of attachment the system carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentType {
    Pdf,
    Jpeg,
    Png,
    Gif,
    Text,
}

impl AttachmentType {
    /// The type an extension promises, or `None` for an extension that is not allowed.
    pub fn from_extension(extension: &str) -> Option<AttachmentType> {
        Some(match extension.to_ascii_lowercase().as_str() {
            "pdf" => AttachmentType::Pdf,
            "jpg" | "jpeg" => AttachmentType::Jpeg,
            "png" => AttachmentType::Png,
            "gif" => AttachmentType::Gif,
            "txt" => AttachmentType::Text,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            AttachmentType::Pdf => "PDF",
            AttachmentType::Jpeg => "JPEG画像",
            AttachmentType::Png => "PNG画像",
            AttachmentType::Gif => "GIF画像",
            AttachmentType::Text => "テキスト",
        }
    }

    /// Recognises an allowed type from the bytes alone.
    pub fn sniff(bytes: &[u8]) -> Option<AttachmentType> {
        if infer::archive::is_pdf(bytes) {
            Some(AttachmentType::Pdf)
        } else if infer::image::is_jpeg(bytes) {
            Some(AttachmentType::Jpeg)
        } else if infer::image::is_png(bytes) {
            Some(AttachmentType::Png)
        } else if infer::image::is_gif(bytes) {
            Some(AttachmentType::Gif)
        } else if is_plain_text(bytes) {
            Some(AttachmentType::Text)
        } else {
            None
        }
    }
}

/// Text: no control characters but tab, CR, LF and form feed; readable as UTF-8 or as Shift-JIS.
fn is_plain_text(bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return false;
    }
    let no_controls = bytes
        .iter()
        .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\r' | b'\n' | 0x0C))
        && !bytes.contains(&0x7F);
    no_controls
        && (std::str::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)).is_ok()
            || encoding_rs::SHIFT_JIS
                .decode_without_bom_handling_and_without_replacement(bytes)
                .is_some())
}

/// The extension of a file name, if it has one.
pub fn extension_of(name: &str) -> Option<&str> {
    name.rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|ext| !ext.is_empty())
}

/// Checks an attachment: an allowed extension, and bytes that really are of that type.
pub fn check_attachment(name: &str, bytes: &[u8]) -> Vec<Diagnostic> {
    let allowed =
        "送れる添付ファイルは PDF（.pdf）・画像（.jpg .jpeg .png .gif）・テキスト（.txt）です。";
    let Some(promised) = extension_of(name).and_then(AttachmentType::from_extension) else {
        let shown = extension_of(name)
            .map(|e| format!("拡張子「.{e}」"))
            .unwrap_or_else(|| "拡張子のない".to_owned());
        return vec![Diagnostic::new(
            Code::AttachmentTypeNotAllowed,
            format!("「{name}」（{shown}ファイル）は送れません。{allowed}PDFに変換するなどしてから添付してください。"),
        )];
    };
    match AttachmentType::sniff(bytes) {
        Some(actual) if actual == promised => Vec::new(),
        Some(actual) => vec![Diagnostic::new(
            Code::AttachmentContentMismatch,
            format!("「{name}」は拡張子が{}ですが、中身は{}です。拡張子を書き換えたファイルは相手が開けないことがあります。元のファイルを正しい拡張子で添付してください。", promised.label(), actual.label()),
        )],
        None => {
            let detected = infer::get(bytes).map(|t| format!("（中身は {} 形式）", t.mime_type())).unwrap_or_default();
            vec![Diagnostic::new(
                Code::AttachmentContentMismatch,
                format!("「{name}」は拡張子が{}ですが、中身が{}ではありません{detected}。壊れたファイルか、拡張子だけを書き換えたファイルです。{allowed}", promised.label(), promised.label()),
            )]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
    ];
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
    const ZIP: &[u8] = &[b'P', b'K', 0x03, 0x04, 0x14, 0, 0x06, 0, 0, 0, 0, 0];

    fn codes(name: &str, bytes: &[u8]) -> Vec<Code> {
        check_attachment(name, bytes)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn allowed_types_pass_when_the_bytes_agree() {
        assert!(codes("計画書.pdf", b"%PDF-1.7\n...").is_empty());
        assert!(codes("写真.JPG", JPEG).is_empty());
        assert!(codes("写真.jpeg", JPEG).is_empty());
        assert!(codes("図.png", PNG).is_empty());
        assert!(codes("図.gif", b"GIF89a\x01\x00\x01\x00").is_empty());
        assert!(codes("連絡.txt", "よろしくお願いします".as_bytes()).is_empty());
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("よろしくお願いします\r\n");
        assert!(codes("連絡.txt", &sjis).is_empty(), "Shift-JIS text");
    }

    #[test]
    fn other_extensions_are_refused() {
        assert_eq!(codes("一覧.xlsx", ZIP), [Code::AttachmentTypeNotAllowed]);
        assert_eq!(
            codes("setup.exe", b"MZ\x90\x00"),
            [Code::AttachmentTypeNotAllowed]
        );
        assert_eq!(codes("README", b"text"), [Code::AttachmentTypeNotAllowed]);
    }

    #[test]
    fn renamed_files_are_caught_by_their_bytes() {
        assert_eq!(codes("計画書.pdf", PNG), [Code::AttachmentContentMismatch]);
        let zip = check_attachment("計画書.pdf", ZIP);
        assert_eq!(zip[0].code, Code::AttachmentContentMismatch);
        assert!(
            zip[0].message.contains("application/zip"),
            "{}",
            zip[0].message
        );
        assert_eq!(
            codes("メモ.txt", b"\x00\x01binary"),
            [Code::AttachmentContentMismatch]
        );
        assert_eq!(codes("空.pdf", b""), [Code::AttachmentContentMismatch]);
    }
}
