//! `careplan receipt` (the 受領証 of a sent file, saved as the relay signed it) and `careplan
//! verify-receipt` (checks a receipt offline against the relay's public key, and a file against
//! the receipt): the evidence an office shows at a 運営指導 that a partner took what it sent.

use std::path::Path;
use std::process::ExitCode;

use careplan_api::SignedReceipt;
use careplan_receipts::{matches_content, parse, to_json, ReceiptError, ReceiptKey};
use serde_json::json;

use crate::outcome::{fail, print_json, EXIT_INVALID, EXIT_USAGE};
use crate::relay_args::RelayArgs;

pub async fn fetch(relay: &RelayArgs, file_id: &str, out: Option<&Path>, json: bool) -> ExitCode {
    let result = async {
        let client = relay.login().await?;
        let receipt = client.receipt(file_id).await;
        let _ = client.logout().await;
        receipt
    }
    .await;
    let signed = match result {
        Ok(signed) => signed,
        Err(e) => return fail("receipt", &e, json),
    };
    let Some(out) = out else {
        println!("{}", to_json(&signed));
        return ExitCode::SUCCESS;
    };
    if let Err(e) = std::fs::write(out, to_json(&signed)) {
        eprintln!(
            "careplan receipt: 受領証を {} に保存できません（{e}）。保存先のフォルダを確かめてください。",
            out.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    if json {
        print_json(&json!({ "saved": out.display().to_string(), "receipt": signed }));
    } else {
        println!("受領証を保存しました: {}", out.display());
        print!("{}", describe(&signed));
    }
    ExitCode::SUCCESS
}

/// What a receipt says, in Japanese.
fn describe(signed: &SignedReceipt) -> String {
    let r = &signed.receipt;
    format!(
        "  送信元: {}（{}）\n  送信先: {}（{}）\n  ファイル: {}（{} バイト）\n  SHA-256: {}\n  送信日時: {}\n  取得日時: {}\n  鍵ID: {}\n",
        r.sender.name,
        r.sender.number,
        r.receiver.name,
        r.receiver.number,
        r.file_name,
        r.size,
        r.sha256,
        r.sent_at,
        r.fetched_at,
        signed.key_id
    )
}

fn read_text(path: &Path, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{what} {} を読めません（{e}）。ファイルの場所を確かめてください。",
            path.display()
        )
    })
}

pub fn verify(receipt: &Path, key: &Path, file: Option<&Path>, json: bool) -> ExitCode {
    let usage = |message: String| {
        if json {
            print_json(
                &json!({ "ok": false, "error": { "code": "receipt.usage", "message": message } }),
            );
        } else {
            eprintln!("careplan verify-receipt: {message}");
        }
        ExitCode::from(EXIT_USAGE)
    };
    let text = match read_text(receipt, "受領証") {
        Ok(text) => text,
        Err(message) => return usage(message),
    };
    let key = match read_text(key, "公開鍵").map(|pem| ReceiptKey::from_pem(&pem)) {
        Ok(Ok(key)) => key,
        Ok(Err(e)) => return usage(e.to_string()),
        Err(message) => return usage(message),
    };
    let content = match file.map(std::fs::read).transpose() {
        Ok(content) => content,
        Err(e) => {
            return usage(format!(
                "ファイル {} を読めません（{e}）。ファイルの場所を確かめてください。",
                file.map(|f| f.display().to_string()).unwrap_or_default()
            ))
        }
    };
    let checked = parse(&text).and_then(|signed| {
        key.verify(&signed)?;
        if let Some(bytes) = &content {
            matches_content(&signed, bytes)?;
        }
        Ok(signed)
    });
    report(checked, content.is_some(), json)
}

fn report(checked: Result<SignedReceipt, ReceiptError>, with_file: bool, json: bool) -> ExitCode {
    match (checked, json) {
        (Ok(signed), true) => {
            print_json(
                &json!({ "ok": true, "content_checked": with_file, "key_id": signed.key_id, "receipt": signed.receipt }),
            );
            ExitCode::SUCCESS
        }
        (Ok(signed), false) => {
            println!("受領証は、この公開鍵で正しく署名されています。");
            if with_file {
                println!("ファイルの内容も受領証と一致します。");
            }
            print!("{}", describe(&signed));
            ExitCode::SUCCESS
        }
        (Err(e), true) => {
            print_json(
                &json!({ "ok": false, "error": { "code": e.code(), "message": e.to_string() } }),
            );
            ExitCode::from(EXIT_INVALID)
        }
        (Err(e), false) => {
            eprintln!("careplan verify-receipt: {e}");
            ExitCode::from(EXIT_INVALID)
        }
    }
}
