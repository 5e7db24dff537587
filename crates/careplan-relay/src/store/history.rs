//! 送受信履歴: one office's files, sent and received, over a period, filtered in the database and a
//! page at a time; and the later versions of a unit. Every query names the office of the scope.

use std::collections::HashSet;

use careplan_spec::filename::FileName;
use sqlx::Row;

use super::{constant_sql, placeholders, Store};
use crate::access::OfficeScope;
use crate::error::RelayError;

/// What a file's name says, kept on its row so that the history filters in the database: the
/// prefix (`''` for an attachment), 対象年月 and ファイル連番.
pub struct NameFacts {
    pub kind: String,
    pub target_month: Option<String>,
    pub serial: Option<String>,
}

impl NameFacts {
    pub fn of(name: &str) -> NameFacts {
        match FileName::parse(name) {
            Ok(parsed) => NameFacts {
                kind: parsed.kind.prefix().to_owned(),
                target_month: parsed.year_month().map(|m| m.to_string()),
                serial: Some(parsed.serial.to_string()),
            },
            Err(_) => NameFacts {
                kind: String::new(),
                target_month: None,
                serial: None,
            },
        }
    }
}

/// Which way, seen from the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}

/// The filters, already checked; `to_ms` is excluded.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub from_ms: i64,
    pub to_ms: i64,
    pub direction: Option<Direction>,
    pub partner: Option<String>,
    pub insurer: Option<String>,
    pub insured: Option<String>,
    /// Part of a 氏名, spaces removed.
    pub name: Option<String>,
    /// Name prefixes; `''` stands for attachments.
    pub kinds: Option<Vec<&'static str>>,
    pub month: Option<String>,
}

/// One file of the history with its message.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub message_id: String,
    pub sender_office: String,
    pub sender_name: String,
    pub receiver_office: String,
    pub receiver_name: String,
    pub sent_at: i64,
    pub sender_person: Option<String>,
    pub sender_terminal: String,
    pub file_id: String,
    pub name: String,
    pub category: String,
    pub kind: Option<String>,
    pub target_month: Option<String>,
    pub serial: Option<String>,
    pub size: i64,
    pub sha256: String,
    pub fetched_at: Option<i64>,
    pub fetched_by: Option<String>,
    pub fetched_terminal: Option<String>,
    pub content_purged_at: Option<i64>,
    /// The 受領証 as signed (JSON).
    pub receipt: Option<String>,
}

/// A later version of a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaterFile {
    pub file_id: String,
    pub name: String,
    pub serial: String,
    pub sent_at: i64,
    pub fetched_at: Option<i64>,
}

enum Bind {
    Text(String),
    Int(i64),
}

/// `LIKE` text with `%`, `_` and the escape itself taken literally (`!`: a backslash means
/// different things to PostgreSQL's string settings).
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '!') {
            out.push('!');
        }
        out.push(c);
    }
    out.push('%');
    out
}

pub struct History<'a> {
    pub(super) db: &'a Store,
    pub(super) office: &'a OfficeScope,
}

impl History<'_> {
    /// The WHERE clause of the filter and its binds, from `$1`.
    fn conditions(&self, filter: &HistoryFilter) -> (String, Vec<Bind>) {
        let mut binds = vec![
            Bind::Text(self.office.number().to_owned()),
            Bind::Int(filter.from_ms),
            Bind::Int(filter.to_ms),
        ];
        let next = |binds: &mut Vec<Bind>, value: Bind| {
            binds.push(value);
            format!("${}", binds.len())
        };
        let mut clauses = vec![
            match filter.direction {
                Some(Direction::Sent) => "m.sender_office = $1".to_owned(),
                Some(Direction::Received) => "m.receiver_office = $1".to_owned(),
                None => "(m.sender_office = $1 OR m.receiver_office = $1)".to_owned(),
            },
            "m.sent_at >= $2 AND m.sent_at < $3".to_owned(),
        ];
        if let Some(partner) = &filter.partner {
            let p = next(&mut binds, Bind::Text(partner.clone()));
            clauses.push(format!(
                "((m.sender_office = $1 AND m.receiver_office = {p}) OR (m.receiver_office = $1 AND m.sender_office = {p}))"
            ));
        }
        if let Some(kinds) = &filter.kinds {
            let first = binds.len() + 1;
            for kind in kinds {
                binds.push(Bind::Text((*kind).to_owned()));
            }
            clauses.push(format!("f.kind IN ({})", placeholders(first, kinds.len())));
        }
        if let Some(month) = &filter.month {
            let p = next(&mut binds, Bind::Text(month.clone()));
            clauses.push(format!("f.target_month = {p}"));
        }
        let mut person = Vec::new();
        if let Some(insurer) = &filter.insurer {
            person.push(format!(
                "p.insurer = {}",
                next(&mut binds, Bind::Text(insurer.clone()))
            ));
        }
        if let Some(insured) = &filter.insured {
            person.push(format!(
                "p.insured = {}",
                next(&mut binds, Bind::Text(insured.clone()))
            ));
        }
        if let Some(name) = &filter.name {
            // Names are stored as the file wrote them, often with a full-width space between
            // family and given name: compared without spaces of either width.
            person.push(format!(
                "REPLACE(REPLACE(p.name, ' ', ''), '\u{3000}', '') LIKE {} ESCAPE '!'",
                next(&mut binds, Bind::Text(like_escaped(name)))
            ));
        }
        if !person.is_empty() {
            clauses.push(format!(
                "EXISTS (SELECT 1 FROM message_units u JOIN message_unit_people p \
                 ON p.message_id = u.message_id AND p.unit_position = u.position \
                 WHERE u.message_id = m.id AND u.serial = f.serial AND {})",
                person.join(" AND ")
            ));
        }
        (clauses.join(" AND "), binds)
    }

    /// A page of the history, newest send first (a message's files in their order), and how many
    /// files the filter matches.
    pub async fn page(
        &self,
        filter: &HistoryFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<HistoryRow>, i64), RelayError> {
        let (conditions, binds) = self.conditions(filter);
        let from = "FROM message_files f JOIN messages m ON m.id = f.message_id";
        let bind_all = |sql: String| {
            let mut query = sqlx::query(constant_sql(sql));
            for bind in &binds {
                query = match bind {
                    Bind::Text(text) => query.bind(text.clone()),
                    Bind::Int(n) => query.bind(*n),
                };
            }
            query
        };
        let total: i64 = bind_all(format!("SELECT COUNT(*) AS n {from} WHERE {conditions}"))
            .fetch_one(&self.db.pool)
            .await?
            .try_get("n")?;
        let n = binds.len();
        let sql = format!(
            "SELECT m.id AS message_id, m.sender_office AS sender_office, so.name AS sender_name, \
             m.receiver_office AS receiver_office, ro.name AS receiver_name, m.sent_at AS sent_at, \
             m.sender_person AS sender_person, m.sender_terminal AS sender_terminal, f.id AS file_id, \
             f.name AS name, f.category AS category, f.kind AS kind, f.target_month AS target_month, \
             f.serial AS serial, f.size AS size, f.sha256 AS sha256, f.fetched_at AS fetched_at, \
             f.fetched_by AS fetched_by, f.fetched_terminal AS fetched_terminal, \
             f.content_purged_at AS content_purged_at, r.signed AS receipt \
             {from} JOIN offices so ON so.number = m.sender_office JOIN offices ro ON ro.number = m.receiver_office \
             LEFT JOIN receipts r ON r.file_id = f.id WHERE {conditions} \
             ORDER BY m.sent_at DESC, m.id DESC, f.position LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let rows = bind_all(sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.db.pool)
            .await?;
        let rows = rows
            .iter()
            .map(|r| {
                Ok(HistoryRow {
                    message_id: r.try_get("message_id")?,
                    sender_office: r.try_get("sender_office")?,
                    sender_name: r.try_get("sender_name")?,
                    receiver_office: r.try_get("receiver_office")?,
                    receiver_name: r.try_get("receiver_name")?,
                    sent_at: r.try_get("sent_at")?,
                    sender_person: r.try_get("sender_person")?,
                    sender_terminal: r.try_get("sender_terminal")?,
                    file_id: r.try_get("file_id")?,
                    name: r.try_get("name")?,
                    category: r.try_get("category")?,
                    kind: r
                        .try_get::<Option<String>, _>("kind")?
                        .filter(|k| !k.is_empty()),
                    target_month: r.try_get("target_month")?,
                    serial: r.try_get("serial")?,
                    size: r.try_get("size")?,
                    sha256: r.try_get("sha256")?,
                    fetched_at: r.try_get("fetched_at")?,
                    fetched_by: r.try_get("fetched_by")?,
                    fetched_terminal: r.try_get("fetched_terminal")?,
                    content_purged_at: r.try_get("content_purged_at")?,
                    receipt: r.try_get("receipt")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok((rows, total))
    }

    /// The later versions of a file's unit: files of the same kind and 対象年月 between the same two
    /// offices (one of them this office), with a newer ファイル連番, whose unit names one of
    /// `people` (保険者番号, 被保険者番号). Oldest first.
    pub async fn later_versions(
        &self,
        row: &HistoryRow,
        people: &[(String, String)],
    ) -> Result<Vec<LaterFile>, RelayError> {
        let (Some(kind), Some(serial)) = (&row.kind, &row.serial) else {
            return Ok(Vec::new());
        };
        let wanted: HashSet<&(String, String)> = people.iter().collect();
        let mut found: Vec<LaterFile> = Vec::new();
        let insured: Vec<&str> = {
            let mut seen = HashSet::new();
            people
                .iter()
                .map(|(_, insured)| insured.as_str())
                .filter(|i| seen.insert(*i))
                .collect()
        };
        for chunk in insured.chunks(500) {
            let sql = format!(
                "SELECT f.id AS file_id, f.name AS name, f.serial AS serial, m.sent_at AS sent_at, \
                 f.fetched_at AS fetched_at, p.insurer AS insurer, p.insured AS insured \
                 FROM message_unit_people p \
                 JOIN message_units u ON u.message_id = p.message_id AND u.position = p.unit_position \
                 JOIN messages m ON m.id = p.message_id \
                 JOIN message_files f ON f.message_id = m.id AND f.serial = u.serial \
                 WHERE (m.sender_office = $1 OR m.receiver_office = $1) \
                 AND m.sender_office = $2 AND m.receiver_office = $3 AND f.kind = $4 \
                 AND COALESCE(f.target_month, '') = $5 AND f.serial > $6 AND p.insured IN ({})",
                placeholders(7, chunk.len())
            );
            let mut query = sqlx::query(constant_sql(sql))
                .bind(self.office.number())
                .bind(&row.sender_office)
                .bind(&row.receiver_office)
                .bind(kind)
                .bind(row.target_month.clone().unwrap_or_default())
                .bind(serial);
            for insured in chunk {
                query = query.bind(*insured);
            }
            for r in &query.fetch_all(&self.db.pool).await? {
                let person: (String, String) = (r.try_get("insurer")?, r.try_get("insured")?);
                let file_id: String = r.try_get("file_id")?;
                if !wanted.contains(&person) || found.iter().any(|f| f.file_id == file_id) {
                    continue;
                }
                found.push(LaterFile {
                    file_id,
                    name: r.try_get("name")?,
                    serial: r.try_get("serial")?,
                    sent_at: r.try_get("sent_at")?,
                    fetched_at: r.try_get("fetched_at")?,
                });
            }
        }
        found.sort_by(|a, b| (&a.serial, a.sent_at).cmp(&(&b.serial, b.sent_at)));
        Ok(found)
    }
}

/// Gives files stored before their names' facts were kept (kind NULL) their kind, 対象年月 and
/// ファイル連番, a thousand rows a transaction; answers how many.
pub async fn fill_name_facts(db: &Store) -> Result<u64, RelayError> {
    let mut filled = 0;
    // By key, so each batch starts where the last ended instead of scanning past filled rows.
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT id, name FROM message_files WHERE kind IS NULL AND id > $1 ORDER BY id LIMIT 1000",
        )
        .bind(&after)
        .fetch_all(&db.pool)
        .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        let mut tx = db.writer.begin().await?;
        for r in &rows {
            let id: String = r.try_get("id")?;
            after.clone_from(&id);
            let name: String = r.try_get("name")?;
            let facts = NameFacts::of(&name);
            sqlx::query(
                "UPDATE message_files SET kind = $1, target_month = $2, serial = $3 WHERE id = $4 AND kind IS NULL",
            )
            .bind(&facts.kind)
            .bind(&facts.target_month)
            .bind(&facts.serial)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
            filled += 1;
        }
        tx.commit().await?;
    }
}
