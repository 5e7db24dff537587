//! 受領証 at the relay: the Ed25519 key that signs them, kept beside the CA (`pki/receipt.key`, the
//! owner's only; `pki/receipt.pub` is published), and the receipt of a file its receiver took,
//! signed when that receiver's acknowledgement wins (so exactly once per file).

use std::io::Write;
use std::path::Path;

use careplan_api::{Receipt, ReceiptOffice, SignedReceipt};
use careplan_receipts::{ReceiptSigner, FORMAT};

use crate::clock::rfc3339;
use crate::error::RelayError;
use crate::store::{FileRow, MessageRow, OfficeRow};

pub const KEY_FILE: &str = "receipt.key";
pub const PUBLIC_FILE: &str = "receipt.pub";

/// The receipt key of the data directory, made on first use: a data directory from before 受領証
/// gets one at its next start. Relays sharing the directory agree on one key: it is written to a
/// temporary file and linked into place only if no key is there yet; whoever loses reads the
/// winner's.
pub fn load_or_create(pki_dir: &Path) -> Result<ReceiptSigner, RelayError> {
    let path = pki_dir.join(KEY_FILE);
    let signer = match std::fs::read_to_string(&path) {
        Ok(pem) => read_key(&path, &pem)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let made = ReceiptSigner::from_seed(rand::random());
            let mut temp = tempfile::NamedTempFile::new_in(pki_dir)?;
            temp.write_all(made.to_pem().as_bytes())?;
            temp.as_file().sync_all()?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o600))?;
            }
            match temp.persist_noclobber(&path) {
                Ok(_) => {
                    // The key's name is durable before any receipt it signs is.
                    #[cfg(unix)]
                    std::fs::File::open(pki_dir)?.sync_all()?;
                    made
                }
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                    read_key(&path, &std::fs::read_to_string(&path)?)?
                }
                Err(e) => return Err(e.error.into()),
            }
        }
        Err(e) => return Err(e.into()),
    };
    let public = signer.public_key().to_pem();
    let public_path = pki_dir.join(PUBLIC_FILE);
    if std::fs::read_to_string(&public_path).ok().as_deref() != Some(public.as_str()) {
        std::fs::write(&public_path, public)?;
    }
    Ok(signer)
}

fn read_key(path: &Path, pem: &str) -> Result<ReceiptSigner, RelayError> {
    ReceiptSigner::from_pem(pem).map_err(|e| {
        RelayError::Config(format!(
            "受領証の署名鍵 {} を読めません: {e}",
            path.display()
        ))
    })
}

/// The receipt of `file` of `message`, fetched at `fetched_at` (Unix ms).
pub fn receipt_of(
    signer: &ReceiptSigner,
    message: &MessageRow,
    file: &FileRow,
    sender: &OfficeRow,
    receiver: &OfficeRow,
    fetched_at: i64,
) -> SignedReceipt {
    let office = |row: &OfficeRow| ReceiptOffice {
        number: row.number.clone(),
        name: row.name.clone(),
    };
    signer.sign(Receipt {
        format: FORMAT.to_owned(),
        file_id: file.id.clone(),
        message_id: message.id.clone(),
        sender: office(sender),
        receiver: office(receiver),
        file_name: file.name.clone(),
        size: file.size as u64,
        sha256: file.sha256.clone(),
        sent_at: rfc3339(message.sent_at),
        fetched_at: rfc3339(fetched_at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_and_read_back_by_every_later_start() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path()).unwrap();
        let second = load_or_create(dir.path()).unwrap();
        assert_eq!(first.public_key(), second.public_key());
        let published = std::fs::read_to_string(dir.path().join(PUBLIC_FILE)).unwrap();
        assert_eq!(published, first.public_key().to_pem());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the key is the owner's only");
        }
    }

    #[test]
    fn a_damaged_key_stops_the_start_with_a_japanese_message() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(KEY_FILE), "not a key").unwrap();
        let error = load_or_create(dir.path()).err().unwrap();
        assert!(error.to_string().contains("受領証の署名鍵"), "{error}");
    }
}
