//! The audit log: append-only, one line per login, send, fetch, draft change and admin action.
//! Lines that belong to a change are written in that change's transaction, so a line exists exactly
//! when what it records does.
//!
//! The lines form a hash chain (migration 0013): line `n` carries `seq = n` and the SHA-256 of its
//! fields and line `n - 1`'s hash, and `audit_head` the last seq and hash. Appending takes the
//! head's row (an UPDATE, so concurrent transactions on PostgreSQL queue there, and SQLite has one
//! writer anyway), so there is one order; [`AuditLog::verify`] recomputes the chain and names the
//! first line that was edited, deleted or moved.

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::Store;
use crate::error::RelayError;

/// One line to write.
pub struct AuditEntry<'a> {
    pub at: i64,
    pub office: Option<&'a str>,
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
}

/// One line as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    /// Its place in the chain, from 1.
    pub seq: i64,
    pub at: i64,
    pub office: Option<String>,
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub hash: String,
}

/// The hash before the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of a line: SHA-256 over the previous hash and the line's fields, each prefixed by its
/// length (the office with a presence byte), so no two different lines give one text.
pub fn chain_hash(previous: &str, seq: i64, entry: &AuditEntry<'_>) -> String {
    let mut digest = Sha256::new();
    let mut field = |bytes: &[u8]| {
        digest.update((bytes.len() as u64).to_be_bytes());
        digest.update(bytes);
    };
    field(b"careplan-audit/1");
    field(previous.as_bytes());
    field(&seq.to_be_bytes());
    field(&entry.at.to_be_bytes());
    match entry.office {
        Some(office) => {
            field(&[1]);
            field(office.as_bytes());
        }
        None => field(&[0]),
    }
    field(entry.actor.as_bytes());
    field(entry.action.as_bytes());
    field(entry.detail.as_bytes());
    hex::encode(digest.finalize())
}

/// Takes the head's next place: (seq, the previous line's hash). Holds the head's row until the
/// transaction ends.
async fn next_place(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
) -> Result<(i64, String), RelayError> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    Ok((head.try_get("seq")?, head.try_get("hash")?))
}

async fn advance_head(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    hash: &str,
) -> Result<(), RelayError> {
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes a line inside a transaction of the change it records.
pub(super) async fn write_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    entry: &AuditEntry<'_>,
) -> Result<(), RelayError> {
    let (seq, previous) = next_place(tx).await?;
    let hash = chain_hash(&previous, seq, entry);
    sqlx::query(
        "INSERT INTO audit_log (at, office_number, actor, action, detail, seq, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.at)
    .bind(entry.office)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.detail)
    .bind(seq)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    advance_head(tx, &hash).await
}

/// What [`AuditLog::verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    /// Every line is in place, as written.
    Intact { lines: i64 },
    /// The first line (by seq) where the chain breaks, and how, in Japanese.
    Broken { seq: i64, why: String },
}

/// Which lines to read: an office's, over a period (Unix ms, `to` excluded).
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub office: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

pub struct AuditLog<'a> {
    pub(super) db: &'a Store,
}

fn line_of(r: &sqlx::any::AnyRow) -> Result<AuditLine, sqlx::Error> {
    Ok(AuditLine {
        seq: r.try_get::<Option<i64>, _>("seq")?.unwrap_or(0),
        at: r.try_get("at")?,
        office: r.try_get("office_number")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        detail: r.try_get("detail")?,
        hash: r.try_get::<Option<String>, _>("hash")?.unwrap_or_default(),
    })
}

const LINE_COLUMNS: &str = "seq, at, office_number, actor, action, detail, hash";

impl AuditLog<'_> {
    /// Writes a line on its own (for actions that change nothing else, such as a failed login).
    pub async fn write(&self, entry: &AuditEntry<'_>) -> Result<(), RelayError> {
        let mut tx = self.db.writer.begin().await?;
        write_in(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every line, in the chain's order (for the operator and tests).
    pub async fn lines(&self) -> Result<Vec<AuditLine>, RelayError> {
        self.query(&AuditQuery::default()).await
    }

    /// The lines of an office (or all) over a period, in the chain's order.
    pub async fn query(&self, query: &AuditQuery) -> Result<Vec<AuditLine>, RelayError> {
        // Only the conditions asked for, each with its own placeholder.
        let mut conditions = Vec::new();
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        if query.office.is_some() {
            conditions.push(format!("office_number = ${}", next()));
        }
        if query.from.is_some() {
            conditions.push(format!("at >= ${}", next()));
        }
        if query.to.is_some() {
            conditions.push(format!("at < ${}", next()));
        }
        let filter = match conditions.is_empty() {
            true => String::new(),
            false => format!("WHERE {}", conditions.join(" AND ")),
        };
        let sql = format!("SELECT {LINE_COLUMNS} FROM audit_log {filter} ORDER BY seq, id");
        let mut statement = sqlx::query(super::constant_sql(sql));
        if let Some(office) = &query.office {
            statement = statement.bind(office.clone());
        }
        if let Some(from) = query.from {
            statement = statement.bind(from);
        }
        if let Some(to) = query.to {
            statement = statement.bind(to);
        }
        let rows = statement.fetch_all(&self.db.pool).await?;
        rows.iter()
            .map(line_of)
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Chains the lines written before the log was a chain (a relay upgraded to migration 0013: ids
    /// up to the head's `legacy_upto`), in the order they were written; answers how many. Run at the
    /// relay's start. The head is taken first, so two starts at once chain each line once.
    pub async fn chain_earlier_lines(&self) -> Result<u64, RelayError> {
        let mut tx = self.db.writer.begin().await?;
        let head =
            sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING legacy_upto")
                .fetch_one(&mut *tx)
                .await?;
        let upto: i64 = head.try_get("legacy_upto")?;
        let rows = sqlx::query(
            "SELECT id, at, office_number, actor, action, detail FROM audit_log \
             WHERE hash IS NULL AND id <= $1 ORDER BY id",
        )
        .bind(upto)
        .fetch_all(&mut *tx)
        .await?;
        for row in &rows {
            let (id, at): (i64, i64) = (row.try_get("id")?, row.try_get("at")?);
            let (office, actor, action, detail): (Option<String>, String, String, String) = (
                row.try_get("office_number")?,
                row.try_get("actor")?,
                row.try_get("action")?,
                row.try_get("detail")?,
            );
            let entry = AuditEntry {
                at,
                office: office.as_deref(),
                actor: &actor,
                action: &action,
                detail: &detail,
            };
            let (seq, previous) = next_place(&mut tx).await?;
            let hash = chain_hash(&previous, seq, &entry);
            sqlx::query("UPDATE audit_log SET seq = $1, hash = $2 WHERE id = $3 AND hash IS NULL")
                .bind(seq)
                .bind(&hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            advance_head(&mut tx, &hash).await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }

    /// The last line's place and hash, as the head holds them: what an operator records to check
    /// later that no line was removed from the end ([`AuditLog::verify`] with `expect`).
    pub async fn head(&self) -> Result<(i64, String), RelayError> {
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.db.pool)
            .await?;
        Ok((head.try_get("seq")?, head.try_get("hash")?))
    }

    /// Recomputes the chain from its first line up to the head read first (lines written meanwhile
    /// are after it): an edited line, a deleted one (a gap in seq, or lines missing at the end
    /// against the head), lines moved, or a line the relay did not write (no hash) are found at the
    /// first place they break. `expect` is a (seq, hash) recorded earlier: that line must still be
    /// there, as it was, which also catches lines removed from the end with the head rewound.
    pub async fn verify(&self, expect: Option<(i64, &str)>) -> Result<ChainCheck, RelayError> {
        let (head_seq, head_hash) = self.head().await?;
        let stray: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE hash IS NULL")
            .fetch_one(&self.db.pool)
            .await?
            .try_get("n")?;
        if stray > 0 {
            return Ok(ChainCheck::Broken {
                seq: 0,
                why: format!("連鎖に入っていない行が {stray} 行あります。連携基盤を通さずに書き加えられています。"),
            });
        }
        let rows = sqlx::query(super::constant_sql(format!(
            "SELECT {LINE_COLUMNS} FROM audit_log WHERE seq <= $1 ORDER BY seq"
        )))
        .bind(head_seq)
        .fetch_all(&self.db.pool)
        .await?;
        let mut previous = GENESIS.to_owned();
        let mut count = 0;
        for row in &rows {
            let line = line_of(row)?;
            let expected = count + 1;
            if line.seq != expected {
                return Ok(ChainCheck::Broken {
                    seq: expected,
                    why: format!(
                        "{expected} 行目がありません（次は {} 行目です）。行が削除されています。",
                        line.seq
                    ),
                });
            }
            let entry = AuditEntry {
                at: line.at,
                office: line.office.as_deref(),
                actor: &line.actor,
                action: &line.action,
                detail: &line.detail,
            };
            let hash = chain_hash(&previous, line.seq, &entry);
            if hash != line.hash {
                return Ok(ChainCheck::Broken {
                    seq: line.seq,
                    why: format!("{} 行目の内容が書かれたときと違います。書き換えられたか、並べ替えられています。", line.seq),
                });
            }
            if let Some((seq, recorded)) = expect {
                if seq == line.seq && recorded != hash {
                    return Ok(ChainCheck::Broken {
                        seq,
                        why: format!("{seq} 行目のハッシュが、記録されたもの（{recorded}）と違います。この行までの記録が作り直されています。"),
                    });
                }
            }
            previous = hash;
            count = expected;
        }
        if count != head_seq || previous != head_hash {
            return Ok(ChainCheck::Broken {
                seq: count + 1,
                why: format!("{} 行目までしかありませんが、{head_seq} 行目まで書かれていました。行が削除されているか、記録の最後（audit_head）が書き換えられています。", count),
            });
        }
        if let Some((seq, _)) = expect {
            if seq > count {
                return Ok(ChainCheck::Broken {
                    seq,
                    why: format!("記録された {seq} 行目がありません（今は {count} 行目までです）。最後の行が削除され、記録の最後も戻されています。"),
                });
            }
        }
        Ok(ChainCheck::Intact { lines: count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(detail: &'a str, office: Option<&'a str>) -> AuditEntry<'a> {
        AuditEntry {
            at: 1_700_000_000_000,
            office,
            actor: "c1370000018a",
            action: "send",
            detail,
        }
    }

    #[test]
    fn every_field_and_the_previous_hash_change_the_hash() {
        let base = chain_hash(
            GENESIS,
            1,
            &entry("m1 → 1370000026: 3 files", Some("1370000018")),
        );
        assert_ne!(
            base,
            chain_hash(
                GENESIS,
                2,
                &entry("m1 → 1370000026: 3 files", Some("1370000018"))
            )
        );
        assert_ne!(
            base,
            chain_hash(
                &base,
                1,
                &entry("m1 → 1370000026: 3 files", Some("1370000018"))
            )
        );
        assert_ne!(
            base,
            chain_hash(
                GENESIS,
                1,
                &entry("m1 → 1370000026: 2 files", Some("1370000018"))
            )
        );
        assert_ne!(
            base,
            chain_hash(GENESIS, 1, &entry("m1 → 1370000026: 3 files", None))
        );
        // Text moved between fields is not the same line.
        let moved = AuditEntry {
            actor: "c1370000018",
            action: "asend",
            ..entry("m1 → 1370000026: 3 files", Some("1370000018"))
        };
        assert_ne!(base, chain_hash(GENESIS, 1, &moved));
    }
}
