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
    /// The WHERE clause of the filter for one side (this office as sender or as receiver), with the
    /// binds, from `$1`. The binds do not depend on the side, so both sides' clauses share them.
    fn conditions(&self, filter: &HistoryFilter, side: Direction) -> (String, Vec<Bind>) {
        let mut binds = vec![
            Bind::Text(self.office.number().to_owned()),
            Bind::Int(filter.from_ms),
            Bind::Int(filter.to_ms),
        ];
        let next = |binds: &mut Vec<Bind>, value: Bind| {
            binds.push(value);
            format!("${}", binds.len())
        };
        let (own, other) = match side {
            Direction::Sent => ("m.sender_office", "m.receiver_office"),
            Direction::Received => ("m.receiver_office", "m.sender_office"),
        };
        let mut clauses = vec![
            format!("{own} = $1"),
            "m.sent_at >= $2 AND m.sent_at < $3".to_owned(),
        ];
        if let Some(partner) = &filter.partner {
            let p = next(&mut binds, Bind::Text(partner.clone()));
            clauses.push(format!("{other} = {p}"));
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
        if let Some(insured) = &filter.insured {
            // A 被保険者番号 is rare across the relay: its few messages are found through the
            // people's index first, not by testing each of the office's files.
            let p = next(&mut binds, Bind::Text(insured.clone()));
            clauses.push(format!(
                "m.id IN (SELECT p.message_id FROM message_unit_people p WHERE p.insured = {p})"
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
    /// files the filter matches. Each side (sent, received) is read through its own index on
    /// (office, sent_at) and stops at the rows the page needs; the page is the merge of the two.
    pub async fn page(
        &self,
        filter: &HistoryFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<HistoryRow>, i64), RelayError> {
        let sides: Vec<Direction> = match filter.direction {
            Some(side) => vec![side],
            None => vec![Direction::Sent, Direction::Received],
        };
        let from = "FROM message_files f JOIN messages m ON m.id = f.message_id";
        let mut binds = Vec::new();
        let mut counts = Vec::new();
        let mut arms = Vec::new();
        for side in &sides {
            let (conditions, side_binds) = self.conditions(filter, *side);
            binds = side_binds;
            counts.push(format!("(SELECT COUNT(*) {from} WHERE {conditions})"));
            arms.push(format!(
                "SELECT * FROM (SELECT m.id AS message_id, m.sender_office AS sender_office, \
                 m.receiver_office AS receiver_office, m.sent_at AS sent_at, \
                 m.sender_person AS sender_person, m.sender_terminal AS sender_terminal, f.id AS file_id, \
                 f.position AS position, f.name AS name, f.category AS category, f.kind AS kind, \
                 f.target_month AS target_month, f.serial AS serial, f.size AS size, f.sha256 AS sha256, \
                 f.fetched_at AS fetched_at, f.fetched_by AS fetched_by, \
                 f.fetched_terminal AS fetched_terminal, f.content_purged_at AS content_purged_at \
                 {from} WHERE {conditions} \
                 ORDER BY m.sent_at DESC, m.id DESC, f.position LIMIT $LIMIT) AS side_{}",
                arms.len()
            ));
        }
        let bind_all = |sql: String, extra: &[i64]| {
            let mut query = sqlx::query(constant_sql(sql));
            for bind in &binds {
                query = match bind {
                    Bind::Text(text) => query.bind(text.clone()),
                    Bind::Int(n) => query.bind(*n),
                };
            }
            for n in extra {
                query = query.bind(*n);
            }
            query
        };
        let total: i64 = bind_all(format!("SELECT {} AS n", counts.join(" + ")), &[])
            .fetch_one(&self.db.pool)
            .await?
            .try_get("n")?;
        let n = binds.len();
        // Each side needs at most the rows up to the page's end.
        let arms = arms
            .join(" UNION ALL ")
            .replace("$LIMIT", &format!("${}", n + 1));
        let sql = format!(
            "SELECT r.*, so.name AS sender_name, ro.name AS receiver_name, rc.signed AS receipt \
             FROM ({arms}) AS r JOIN offices so ON so.number = r.sender_office \
             JOIN offices ro ON ro.number = r.receiver_office \
             LEFT JOIN receipts rc ON rc.file_id = r.file_id \
             ORDER BY r.sent_at DESC, r.message_id DESC, r.position LIMIT ${} OFFSET ${}",
            n + 2,
            n + 3
        );
        let rows = bind_all(sql, &[offset + limit, limit, offset])
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

    /// The later versions of each row's unit: files of the same kind and 対象年月 between the same
    /// two offices (one of them this office), with a newer ファイル連番, whose unit names one of the
    /// row's people (保険者番号, 被保険者番号). Oldest first. One query for a whole page: the
    /// candidates are found through the people's index, then matched to each row here.
    pub async fn later_versions(
        &self,
        rows: &[(&HistoryRow, Vec<(String, String)>)],
    ) -> Result<Vec<Vec<LaterFile>>, RelayError> {
        let mut insured: Vec<&str> = rows
            .iter()
            .filter(|(row, _)| row.kind.is_some() && row.serial.is_some())
            .flat_map(|(_, people)| people.iter().map(|(_, insured)| insured.as_str()))
            .collect();
        insured.sort_unstable();
        insured.dedup();
        struct Candidate {
            file: LaterFile,
            sender: String,
            receiver: String,
            kind: String,
            month: String,
            person: (String, String),
        }
        let mut candidates: Vec<Candidate> = Vec::new();
        for chunk in insured.chunks(500) {
            let sql = format!(
                "SELECT f.id AS file_id, f.name AS name, f.serial AS serial, f.kind AS kind, \
                 COALESCE(f.target_month, '') AS month, m.sender_office AS sender_office, \
                 m.receiver_office AS receiver_office, m.sent_at AS sent_at, \
                 f.fetched_at AS fetched_at, p.insurer AS insurer, p.insured AS insured \
                 FROM message_unit_people p \
                 JOIN message_units u ON u.message_id = p.message_id AND u.position = p.unit_position \
                 JOIN messages m ON m.id = p.message_id \
                 JOIN message_files f ON f.message_id = m.id AND f.serial = u.serial \
                 WHERE (m.sender_office = $1 OR m.receiver_office = $1) AND p.insured IN ({})",
                placeholders(2, chunk.len())
            );
            let mut query = sqlx::query(constant_sql(sql)).bind(self.office.number());
            for insured in chunk {
                query = query.bind(*insured);
            }
            for r in &query.fetch_all(&self.db.pool).await? {
                candidates.push(Candidate {
                    file: LaterFile {
                        file_id: r.try_get("file_id")?,
                        name: r.try_get("name")?,
                        serial: r.try_get("serial")?,
                        sent_at: r.try_get("sent_at")?,
                        fetched_at: r.try_get("fetched_at")?,
                    },
                    sender: r.try_get("sender_office")?,
                    receiver: r.try_get("receiver_office")?,
                    kind: r.try_get("kind")?,
                    month: r.try_get("month")?,
                    person: (r.try_get("insurer")?, r.try_get("insured")?),
                });
            }
        }
        Ok(rows
            .iter()
            .map(|(row, people)| {
                let (Some(kind), Some(serial)) = (&row.kind, &row.serial) else {
                    return Vec::new();
                };
                let month = row.target_month.clone().unwrap_or_default();
                let wanted: HashSet<&(String, String)> = people.iter().collect();
                let mut found: Vec<LaterFile> = Vec::new();
                for c in &candidates {
                    if c.sender == row.sender_office
                        && c.receiver == row.receiver_office
                        && &c.kind == kind
                        && c.month == month
                        && c.file.serial.as_str() > serial.as_str()
                        && wanted.contains(&c.person)
                        && !found.iter().any(|f| f.file_id == c.file.file_id)
                    {
                        found.push(c.file.clone());
                    }
                }
                found.sort_by(|a, b| (&a.serial, a.sent_at).cmp(&(&b.serial, b.sent_at)));
                found
            })
            .collect())
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
