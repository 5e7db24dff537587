//! The register's rules: what an office, a login ID and an initial password must be before they are
//! registered. Used by the admin commands one at a time and by the bulk import of a CSV file.

use crate::store::{OfficeRow, UserTable};

/// What an office must have before it is registered.
pub fn check_office(office: &OfficeRow) -> Result<(), String> {
    careplan_spec::OfficeNumber::parse(&office.number).map_err(|e| e.to_string())?;
    if office.name.trim().is_empty() {
        return Err("事業所名を入力してください。".into());
    }
    if office.service_kinds.is_empty() {
        return Err("サービス種類コードを1つ以上指定してください。".into());
    }
    for kind in &office.service_kinds {
        if careplan_spec::numbers::service_kind(kind).is_none() {
            return Err(format!("サービス種類コード「{kind}」は存在しません。"));
        }
    }
    Ok(())
}

/// Login IDs: `c…` for a person, `KJ` + 12 characters for the office.
pub fn check_user_id(table: UserTable, id: &str) -> Result<(), String> {
    let alphanumeric = id.chars().all(|c| c.is_ascii_alphanumeric());
    match table {
        UserTable::Personal
            if !(id.starts_with('c') && (2..=32).contains(&id.len()) && alphanumeric) =>
        {
            Err(format!(
                "個人ユーザID「{id}」は「c」で始まる英数字にしてください。"
            ))
        }
        UserTable::Office if !(id.starts_with("KJ") && id.len() == 14 && alphanumeric) => Err(
            format!("事業所ユーザID「{id}」は「KJ」で始まる英数字14文字にしてください。"),
        ),
        _ => Ok(()),
    }
}

pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < 8 {
        return Err("パスワードは8文字以上にしてください。".into());
    }
    Ok(())
}
