//! 利用事業所検索 (seeds 000, 001: WAM NET's search of the offices that use the system): public, by
//! prefecture and municipality, name (part; kana or kanji as typed), service kind and 事業所番号,
//! with whether each office's licence runs. An office is listed unless it said otherwise in the
//! portal (through its [`OfficeScope`]).

use sqlx::Row;
use unicode_normalization::UnicodeNormalization;

use super::{OfficeRow, Store};
use crate::access::OfficeScope;
use crate::error::RelayError;

/// Text as it is searched: NFKC (full-width letters and half-width kana folded), katakana as
/// hiragana, lower case, no spaces. An office's name and its kana are stored so; a query is
/// brought to the same form, so that "ひだまり", "ヒダマリ" and "ﾋﾀﾞﾏﾘ" find the same office.
pub fn normalise(text: &str) -> String {
    text.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // カタカナ ァ..ヶ → ひらがな ぁ..ゖ
            '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn search_text(name: &str, kana: &str) -> String {
    format!("{}\u{1F}{}", normalise(name), normalise(kana))
}

/// `%text%` for LIKE, with LIKE's own characters escaped.
fn contains(text: &str) -> String {
    format!("%{}%", escape_like(text))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A search; empty fields do not narrow it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryQuery {
    pub prefecture: String,
    /// Part of the municipality's name.
    pub city: String,
    /// Part of the name, in kana or kanji.
    pub name: String,
    /// One サービス種類コード.
    pub service_kind: String,
    /// The 事業所番号 or its first digits.
    pub number: String,
}

#[derive(Debug, Clone)]
pub struct DirectoryEntry {
    pub office: OfficeRow,
    pub name_kana: String,
    pub licence_active: bool,
}

/// The public directory.
pub struct Directory<'a> {
    pub(super) db: &'a Store,
}

const FILTER: &str = "FROM offices o LEFT JOIN office_directory d ON d.office_number = o.number \
     WHERE COALESCE(d.listed, 1) = 1 \
     AND ($1 = '' OR o.prefecture = $1) \
     AND ($2 = '%%' OR o.city LIKE $2 ESCAPE '\\') \
     AND ($3 = '' OR (',' || o.service_kinds || ',') LIKE $3) \
     AND ($4 = '%' OR o.number LIKE $4 ESCAPE '\\') \
     AND ($5 = '%%' OR d.search_text LIKE $5 ESCAPE '\\' OR o.name LIKE $6 ESCAPE '\\')";

impl Directory<'_> {
    /// One page of the listed offices matching `query`, by prefecture, municipality and number;
    /// and how many match in all. `today` (`YYYY-MM-DD`) says which licences run.
    pub async fn search(
        &self,
        query: &DirectoryQuery,
        today: &str,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<DirectoryEntry>, i64), RelayError> {
        let kind = if query.service_kind.is_empty() {
            String::new()
        } else {
            format!("%,{},%", escape_like(&query.service_kind))
        };
        let number = format!("{}%", escape_like(&query.number));
        let name = contains(&normalise(&query.name));
        let raw_name = contains(query.name.trim());
        let city = contains(query.city.trim());
        let bind = |sql: sqlx::AssertSqlSafe<String>| {
            sqlx::query(sql)
                .bind(query.prefecture.clone())
                .bind(city.clone())
                .bind(kind.clone())
                .bind(number.clone())
                .bind(name.clone())
                .bind(raw_name.clone())
        };
        let total: i64 = bind(super::constant_sql(format!(
            "SELECT COUNT(*) AS n {FILTER}"
        )))
        .fetch_one(&self.db.pool)
        .await?
        .try_get("n")?;
        let rows = bind(super::constant_sql(format!(
            "SELECT o.number, o.name, o.service_kinds, o.prefecture, o.city, COALESCE(d.name_kana, '') AS name_kana, \
             (SELECT COUNT(*) FROM licences l WHERE l.office_number = o.number AND l.expires_on >= $7) AS active \
             {FILTER} ORDER BY o.prefecture, o.city, o.number LIMIT $8 OFFSET $9"
        )))
        .bind(today)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.db.pool)
        .await?;
        let entries = rows
            .iter()
            .map(|r| -> Result<DirectoryEntry, sqlx::Error> {
                let kinds: String = r.try_get("service_kinds")?;
                Ok(DirectoryEntry {
                    office: OfficeRow {
                        number: r.try_get("number")?,
                        name: r.try_get("name")?,
                        service_kinds: kinds
                            .split(',')
                            .filter(|k| !k.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        prefecture: r.try_get("prefecture")?,
                        city: r.try_get("city")?,
                    },
                    name_kana: r.try_get("name_kana")?,
                    licence_active: r.try_get::<i64, _>("active")? > 0,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok((entries, total))
    }

    /// Gives every office without a directory row one (listed, its name normalised), so that a
    /// name typed in another width or script finds it; answers how many.
    pub async fn fill_missing(&self) -> Result<u64, RelayError> {
        let rows = sqlx::query(
            "SELECT o.number, o.name FROM offices o LEFT JOIN office_directory d ON d.office_number = o.number \
             WHERE d.office_number IS NULL",
        )
        .fetch_all(&self.db.pool)
        .await?;
        let mut filled = 0;
        for row in rows {
            let number: String = row.try_get("number")?;
            let name: String = row.try_get("name")?;
            filled += sqlx::query(
                "INSERT INTO office_directory (office_number, listed, name_kana, search_text) VALUES ($1, 1, '', $2) \
                 ON CONFLICT (office_number) DO NOTHING",
            )
            .bind(&number)
            .bind(search_text(&name, ""))
            .execute(&self.db.writer)
            .await?
            .rows_affected();
        }
        Ok(filled)
    }
}

/// How the office appears in the directory: its own choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingRow {
    pub listed: bool,
    pub name_kana: String,
}

pub struct Listing<'a> {
    pub(super) db: &'a Store,
    pub(super) office: &'a OfficeScope,
}

impl Listing<'_> {
    pub async fn get(&self) -> Result<ListingRow, RelayError> {
        let row =
            sqlx::query("SELECT listed, name_kana FROM office_directory WHERE office_number = $1")
                .bind(self.office.number())
                .fetch_optional(&self.db.pool)
                .await?;
        Ok(match row {
            Some(r) => ListingRow {
                listed: r.try_get::<i64, _>("listed")? != 0,
                name_kana: r.try_get("name_kana")?,
            },
            None => ListingRow {
                listed: true,
                name_kana: String::new(),
            },
        })
    }

    /// Sets whether the office is listed and its name in kana.
    pub async fn set(&self, listed: bool, name_kana: &str) -> Result<(), RelayError> {
        let name = sqlx::query("SELECT name FROM offices WHERE number = $1")
            .bind(self.office.number())
            .fetch_one(&self.db.pool)
            .await?
            .try_get::<String, _>("name")?;
        sqlx::query(
            "INSERT INTO office_directory (office_number, listed, name_kana, search_text) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (office_number) DO UPDATE SET listed = excluded.listed, name_kana = excluded.name_kana, \
             search_text = excluded.search_text",
        )
        .bind(self.office.number())
        .bind(i64::from(listed))
        .bind(name_kana)
        .bind(search_text(&name, name_kana))
        .execute(&self.db.writer)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana_width_and_script_fold_to_one_form() {
        assert_eq!(normalise("ヒダマリ"), "ひだまり");
        assert_eq!(normalise("ﾋﾀﾞﾏﾘ"), "ひだまり");
        assert_eq!(normalise("ひだまり 居宅"), "ひだまり居宅");
        assert_eq!(normalise("ＡＢＣ介護"), "abc介護");
    }

    #[test]
    fn like_characters_are_escaped() {
        assert_eq!(contains("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
