//! 受領証 (signed receipts). When a receiving office acknowledges a file (データ取得 → 済), the relay
//! states who sent which file to whom, its SHA-256 and size, when it was sent and when it was
//! fetched, and signs that statement with its receipt key. The sender keeps the receipt as evidence
//! (運営指導: 「送った」「相手が受け取った」); anyone with the relay's public key checks it offline,
//! and with the file, that it is the file the receipt names.
//!
//! Ed25519 rather than the relay's CA key: the CA key signs certificates and should sign nothing
//! else, so a receipt key can be rotated (or leak) without touching any office's certificate;
//! Ed25519 signatures are deterministic (no nonce to get wrong), 64 bytes, and verified with a
//! 32-byte key that fits in a file beside `ca.pem`.
//!
//! What is signed is not the JSON (whose spacing and key order a tool may change) but the fields in a
//! fixed order, each prefixed by its length, after the format's name: changing, adding or moving
//! any field's text breaks the signature.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

/// The format this crate writes and reads.
pub const FORMAT: &str = "careplan-receipt/1";

pub use careplan_api::{Receipt, ReceiptOffice, SignedReceipt};

/// Why a receipt does not hold. Each says in Japanese what it means and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error(
        "受領証として読めません（{0}）。連携基盤から保存した受領証のファイルを指定してください。"
    )]
    Unreadable(String),
    #[error("受領証の形式（{0}）に対応していません。")]
    UnknownFormat(String),
    #[error("この受領証は鍵ID {signed_by} で署名されていますが、指定した公開鍵は鍵ID {given} です。受領証を発行した連携基盤の公開鍵を指定してください。")]
    OtherKey { signed_by: String, given: String },
    #[error("受領証の署名が正しくありません。受領証の内容が書き換えられています。")]
    BadSignature,
    #[error("ファイルの内容が受領証と一致しません（受領証: {expected_size} バイト・SHA-256 {expected}、ファイル: {actual_size} バイト・SHA-256 {actual}）。受領証のファイルとは別のファイルか、書き換えられたファイルです。")]
    ContentDiffers {
        expected: String,
        expected_size: u64,
        actual: String,
        actual_size: u64,
    },
    #[error("公開鍵として読めません（{0}）。連携基盤の receipt.pub（PEM）を指定してください。")]
    BadKey(String),
}

impl ReceiptError {
    /// A stable code for scripts (`careplan verify-receipt --json`).
    pub fn code(&self) -> &'static str {
        match self {
            ReceiptError::Unreadable(_) => "receipt.unreadable",
            ReceiptError::UnknownFormat(_) => "receipt.unknown_format",
            ReceiptError::OtherKey { .. } => "receipt.other_key",
            ReceiptError::BadSignature => "receipt.bad_signature",
            ReceiptError::ContentDiffers { .. } => "receipt.content_differs",
            ReceiptError::BadKey(_) => "receipt.bad_key",
        }
    }
}

/// The bytes the signature covers: the format's name, then every field of the receipt in order,
/// each as its length (8 bytes, big-endian) and its UTF-8 text.
pub fn signed_bytes(receipt: &Receipt) -> Vec<u8> {
    let r = receipt;
    let size = r.size.to_string();
    let fields: [&str; 12] = [
        &r.format,
        &r.file_id,
        &r.message_id,
        &r.sender.number,
        &r.sender.name,
        &r.receiver.number,
        &r.receiver.name,
        &r.file_name,
        &size,
        &r.sha256,
        &r.sent_at,
        &r.fetched_at,
    ];
    let mut bytes = Vec::with_capacity(256);
    for field in [FORMAT].into_iter().chain(fields) {
        bytes.extend_from_slice(&(field.len() as u64).to_be_bytes());
        bytes.extend_from_slice(field.as_bytes());
    }
    bytes
}

fn key_id_of(key: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))[..16].to_owned()
}

/// The relay's receipt key (private): signs receipts.
pub struct ReceiptSigner {
    key: SigningKey,
}

impl ReceiptSigner {
    /// A new key from 32 random bytes (the caller's random source).
    pub fn from_seed(seed: [u8; 32]) -> ReceiptSigner {
        ReceiptSigner {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// The key as written by [`ReceiptSigner::to_pem`] (PKCS#8).
    pub fn from_pem(pem: &str) -> Result<ReceiptSigner, ReceiptError> {
        SigningKey::from_pkcs8_pem(pem)
            .map(|key| ReceiptSigner { key })
            .map_err(|e| ReceiptError::BadKey(e.to_string()))
    }

    /// PKCS#8 PEM, to keep readable by the relay's owner only.
    pub fn to_pem(&self) -> String {
        self.key
            .to_pkcs8_pem(LineEnding::LF)
            .expect("an Ed25519 key encodes")
            .to_string()
    }

    pub fn public_key(&self) -> ReceiptKey {
        ReceiptKey {
            key: self.key.verifying_key(),
        }
    }

    pub fn sign(&self, receipt: Receipt) -> SignedReceipt {
        let signature = self.key.sign(&signed_bytes(&receipt));
        SignedReceipt {
            key_id: key_id_of(&self.key.verifying_key()),
            signature: BASE64.encode(signature.to_bytes()),
            receipt,
        }
    }
}

/// The relay's public receipt key: checks receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptKey {
    key: VerifyingKey,
}

impl ReceiptKey {
    /// The key as published (`receipt.pub`, SubjectPublicKeyInfo PEM).
    pub fn from_pem(pem: &str) -> Result<ReceiptKey, ReceiptError> {
        VerifyingKey::from_public_key_pem(pem.trim())
            .map(|key| ReceiptKey { key })
            .map_err(|e| ReceiptError::BadKey(e.to_string()))
    }

    pub fn to_pem(&self) -> String {
        self.key
            .to_public_key_pem(LineEnding::LF)
            .expect("an Ed25519 key encodes")
    }

    /// First 16 hex digits of the SHA-256 of the key.
    pub fn id(&self) -> String {
        key_id_of(&self.key)
    }

    /// Checks that `signed` was signed by this key and reads as signed.
    pub fn verify(&self, signed: &SignedReceipt) -> Result<(), ReceiptError> {
        if signed.receipt.format != FORMAT {
            return Err(ReceiptError::UnknownFormat(signed.receipt.format.clone()));
        }
        if signed.key_id != self.id() {
            return Err(ReceiptError::OtherKey {
                signed_by: signed.key_id.clone(),
                given: self.id(),
            });
        }
        let bytes = BASE64
            .decode(signed.signature.trim())
            .map_err(|_| ReceiptError::BadSignature)?;
        let signature = Signature::from_slice(&bytes).map_err(|_| ReceiptError::BadSignature)?;
        self.key
            .verify(&signed_bytes(&signed.receipt), &signature)
            .map_err(|_| ReceiptError::BadSignature)
    }
}

/// A receipt file's text (JSON).
pub fn parse(text: &str) -> Result<SignedReceipt, ReceiptError> {
    serde_json::from_str(text).map_err(|e| ReceiptError::Unreadable(e.to_string()))
}

/// Pretty JSON, as the receipt file is saved.
pub fn to_json(signed: &SignedReceipt) -> String {
    serde_json::to_string_pretty(signed).expect("a receipt serialises")
}

/// Checks that `bytes` are the file the receipt names (size and SHA-256).
pub fn matches_content(signed: &SignedReceipt, bytes: &[u8]) -> Result<(), ReceiptError> {
    let actual = hex::encode(Sha256::digest(bytes));
    if actual.eq_ignore_ascii_case(&signed.receipt.sha256)
        && bytes.len() as u64 == signed.receipt.size
    {
        return Ok(());
    }
    Err(ReceiptError::ContentDiffers {
        expected: signed.receipt.sha256.clone(),
        expected_size: signed.receipt.size,
        actual,
        actual_size: bytes.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn receipt() -> Receipt {
        Receipt {
            format: FORMAT.into(),
            file_id: "f0123456789abcdef".into(),
            message_id: "m0123456789abcdef".into(),
            sender: ReceiptOffice {
                number: "1370000018".into(),
                name: "ひだまり居宅介護支援事業所".into(),
            },
            receiver: ReceiptOffice {
                number: "1370000026".into(),
                name: "ひまわりヘルパーステーション".into(),
            },
            file_name: "UPPLAN_202504_1370000018_43_1370000026_11_20250325120000.CSV".into(),
            size: 3,
            sha256: hex::encode(Sha256::digest(b"abc")),
            sent_at: "2025-03-25T12:00:00+09:00".into(),
            fetched_at: "2025-03-26T09:30:00+09:00".into(),
        }
    }

    fn signer(seed: u8) -> ReceiptSigner {
        ReceiptSigner::from_seed([seed; 32])
    }

    #[test]
    fn a_receipt_verifies_with_the_key_that_signed_it_after_a_round_trip_through_its_file() {
        let signer = signer(7);
        let signed = signer.sign(receipt());
        let read = parse(&to_json(&signed)).unwrap();
        let key = ReceiptKey::from_pem(&signer.public_key().to_pem()).unwrap();
        assert_eq!(key.verify(&read), Ok(()));
        assert_eq!(matches_content(&read, b"abc"), Ok(()));
        // The private key survives its PEM.
        let again = ReceiptSigner::from_pem(&signer.to_pem()).unwrap();
        assert_eq!(again.public_key(), signer.public_key());
    }

    #[test]
    fn every_field_changed_breaks_the_signature() {
        let signer = signer(7);
        let key = signer.public_key();
        let signed = signer.sign(receipt());
        let edits: Vec<fn(&mut Receipt)> = vec![
            |r| r.file_id.push('0'),
            |r| r.message_id.push('0'),
            |r| r.sender.number = "1370000034".into(),
            |r| r.sender.name.push('様'),
            |r| r.receiver.number = "1370000034".into(),
            |r| r.receiver.name = "あおぞらデイサービス".into(),
            |r| r.file_name = r.file_name.replace("UPPLAN", "UPJSK"),
            |r| r.size += 1,
            |r| r.sha256 = hex::encode(Sha256::digest(b"abd")),
            |r| r.sent_at = "2025-03-24T12:00:00+09:00".into(),
            |r| r.fetched_at = "2025-03-27T09:30:00+09:00".into(),
        ];
        for (n, edit) in edits.into_iter().enumerate() {
            let mut tampered = signed.clone();
            edit(&mut tampered.receipt);
            assert_eq!(
                key.verify(&tampered),
                Err(ReceiptError::BadSignature),
                "edit {n}"
            );
        }
        // Moving text from one field to the next changes the lengths: also caught.
        let mut shifted = signed.clone();
        shifted.receipt.sender.name = "ひだまり居宅介護支援".into();
        shifted.receipt.receiver.number = format!("事業所{}", shifted.receipt.receiver.number);
        assert_eq!(key.verify(&shifted), Err(ReceiptError::BadSignature));
        let mut signature = signed.clone();
        signature.signature = BASE64.encode([0u8; 64]);
        assert_eq!(key.verify(&signature), Err(ReceiptError::BadSignature));
        signature.signature = "not base64".into();
        assert_eq!(key.verify(&signature), Err(ReceiptError::BadSignature));
    }

    #[test]
    fn another_relays_key_and_another_format_are_refused() {
        let signed = signer(7).sign(receipt());
        let other = signer(8).public_key();
        assert!(matches!(
            other.verify(&signed),
            Err(ReceiptError::OtherKey { .. })
        ));
        // A key id forged to match does not make the signature hold.
        let mut forged = signed.clone();
        forged.key_id = other.id();
        assert_eq!(other.verify(&forged), Err(ReceiptError::BadSignature));
        let mut future = signed;
        future.receipt.format = "careplan-receipt/2".into();
        assert!(matches!(
            signer(7).public_key().verify(&future),
            Err(ReceiptError::UnknownFormat(_))
        ));
    }

    #[test]
    fn a_file_other_than_the_one_received_is_told_apart() {
        let signed = signer(7).sign(receipt());
        let error = matches_content(&signed, b"abd").unwrap_err();
        assert!(error.to_string().contains("一致しません"), "{error}");
        assert!(matches_content(&signed, b"abcd").is_err());
    }

    #[test]
    fn what_is_not_a_receipt_or_a_key_says_so_in_japanese() {
        // A field added to a receipt file is refused, not ignored.
        let mut added: serde_json::Value =
            serde_json::from_str(&to_json(&signer(7).sign(receipt()))).unwrap();
        added["receipt"]["note"] = serde_json::Value::from("受領済み");
        let error = parse(&added.to_string()).unwrap_err();
        assert!(
            error.to_string().starts_with("受領証として読めません"),
            "{error}"
        );
        let error = parse("{\"receipt\": 1}").unwrap_err();
        assert!(
            error.to_string().starts_with("受領証として読めません"),
            "{error}"
        );
        let error =
            ReceiptKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
                .unwrap_err();
        assert!(
            error.to_string().starts_with("公開鍵として読めません"),
            "{error}"
        );
    }

    proptest! {
        #[test]
        fn any_receipt_signed_verifies(file_name in "\\PC{0,80}", size in any::<u64>(), name in "\\PC{0,40}") {
            let signer = signer(3);
            let mut r = receipt();
            r.file_name = file_name;
            r.size = size;
            r.sender.name = name;
            let signed = signer.sign(r);
            prop_assert_eq!(signer.public_key().verify(&parse(&to_json(&signed)).unwrap()), Ok(()));
        }
    }
}
