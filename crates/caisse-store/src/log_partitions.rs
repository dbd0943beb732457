//! The largest tables partitioned by month on PostgreSQL: the logs `audit_events` by `at`
//! and `outbox` by `created_at` (`m0033_log_partitions`), and `messages` by the month its
//! UUIDv7 id was made in (`m0034_message_partitions`: the id's first 48 bits are its
//! milliseconds, so a range of ids is a range of time, and the primary key stays `id`, which
//! attachments reference). Months are created ahead of need by the housekeeping (and by the
//! migrations); a `…_default` partition catches a row outside every created month, so a
//! write never fails for want of one. Retention drops whole months of the logs (a `DROP
//! TABLE` of the month, instant and without bloat) where SQLite deletes rows; messages are
//! kept with their threads.

use caisse_domain::OutboxStatus;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use time::{Date, Month, OffsetDateTime};

use crate::StoreError;

/// What bounds a table's months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthBound {
    /// A timestamp column: a month is `[first instant, first instant of the next)`.
    Timestamp,
    /// A UUIDv7 key: a month is the ids made from its first millisecond to the next month's.
    Uuid7,
}

/// A table partitioned by month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partitioned {
    /// The table (its months are `<table>_YYYY_MM`, its default `<table>_default`).
    pub table: &'static str,
    /// What bounds its months.
    pub bound: MonthBound,
}

/// The logs, partitioned by `m0033_log_partitions`.
pub const LOGS: [Partitioned; 2] = [
    Partitioned {
        table: "audit_events",
        bound: MonthBound::Timestamp,
    },
    Partitioned {
        table: "outbox",
        bound: MonthBound::Timestamp,
    },
];

/// Every table partitioned by month, as the latest migration leaves them.
pub const PARTITIONED: [Partitioned; 3] = [
    LOGS[0],
    LOGS[1],
    Partitioned {
        table: "messages",
        bound: MonthBound::Uuid7,
    },
];

/// The first day of the month after `day`'s.
pub(crate) fn next_month(day: Date) -> Date {
    let (year, month) = match day.month() {
        Month::December => (day.year() + 1, Month::January),
        m => (day.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(day)
}

fn first_of_month(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

fn month_name(table: &str, month: Date) -> String {
    format!("{table}_{:04}_{:02}", month.year(), u8::from(month.month()))
}

/// The months (partition names) of `table` that exist.
async fn months_of<C: ConnectionTrait>(db: &C, table: &str) -> Result<Vec<String>, StoreError> {
    Ok(db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
             JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1",
            [table.into()],
        ))
        .await?
        .iter()
        .filter_map(|row| row.try_get::<String>("", "relname").ok())
        .collect())
}

/// Makes sure every partitioned table has a partition for every month from `from`'s to
/// `to`'s (both included). Idempotent; returns how many it created. Nothing to do on SQLite.
pub async fn ensure_months<C: ConnectionTrait>(
    db: &C,
    from: Date,
    to: Date,
) -> Result<u32, StoreError> {
    ensure_months_of(db, &PARTITIONED, from, to).await
}

/// [`ensure_months`] for `tables` only (a migration names the tables it partitioned).
pub async fn ensure_months_of<C: ConnectionTrait>(
    db: &C,
    tables: &[Partitioned],
    from: Date,
    to: Date,
) -> Result<u32, StoreError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(0);
    }
    let mut created = 0;
    for Partitioned { table, bound } in tables {
        let existing = months_of(db, table).await?;
        let mut month = first_of_month(from);
        while month <= to {
            let next = next_month(month);
            let name = month_name(table, month);
            if !existing.contains(&name) {
                let (start, end) = match bound {
                    MonthBound::Timestamp => (
                        format!("{month} 00:00:00+00"),
                        format!("{next} 00:00:00+00"),
                    ),
                    MonthBound::Uuid7 => (first_uuid7_of(month), first_uuid7_of(next)),
                };
                db.execute_unprepared(&format!(
                    "CREATE TABLE IF NOT EXISTS {name} PARTITION OF {table} \
                     FOR VALUES FROM ('{start}') TO ('{end}')"
                ))
                .await?;
                created += 1;
            }
            month = next;
        }
    }
    Ok(created)
}

/// The smallest UUIDv7 made at or after `day`'s midnight UTC: its 48-bit millisecond count,
/// then zeros.
pub(crate) fn first_uuid7_of(day: Date) -> String {
    let millis = day.midnight().assume_utc().unix_timestamp().max(0) * 1000;
    let hex = format!("{millis:012x}");
    format!("{}-{}-0000-0000-000000000000", &hex[..8], &hex[8..12])
}

/// What a retention pass removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    /// Audit events (rows on SQLite; on PostgreSQL, rows of the months dropped).
    pub audit_events: u64,
    /// Outbox messages, sent or given up.
    pub outbox: u64,
    /// Months of the outbox kept although past their retention: a message there still waits.
    pub outbox_months_kept: Vec<String>,
}

/// Removes audit events older than `audit_before` and outbox messages older than
/// `outbox_before` (both cut at a month's start on PostgreSQL, where whole months go). A month
/// of the outbox that still holds a message waiting for delivery is kept (and said).
pub async fn apply_retention<C: ConnectionTrait>(
    db: &C,
    audit_before: OffsetDateTime,
    outbox_before: OffsetDateTime,
) -> Result<Removed, StoreError> {
    if db.get_database_backend() != DbBackend::Postgres {
        let audit = db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "DELETE FROM audit_events WHERE at < ?",
                [audit_before.into()],
            ))
            .await?;
        let outbox = db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "DELETE FROM outbox WHERE created_at < ? AND status <> ?",
                [outbox_before.into(), OutboxStatus::Pending.code().into()],
            ))
            .await?;
        return Ok(Removed {
            audit_events: audit.rows_affected(),
            outbox: outbox.rows_affected(),
            outbox_months_kept: Vec::new(),
        });
    }
    let mut removed = Removed::default();
    for (table, before) in [("audit_events", audit_before), ("outbox", outbox_before)] {
        let cutoff = first_of_month(before.date());
        // Rows that fell outside every created month wait in the default partition.
        let column = if table == "outbox" {
            "created_at"
        } else {
            "at"
        };
        let pending_kept = if table == "outbox" {
            " AND status <> $2"
        } else {
            ""
        };
        let mut values: Vec<sea_orm::Value> = vec![before.into()];
        if table == "outbox" {
            values.push(OutboxStatus::Pending.code().into());
        }
        let stray = db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!("DELETE FROM {table}_default WHERE {column} < $1{pending_kept}"),
                values,
            ))
            .await?
            .rows_affected();
        if table == "outbox" {
            removed.outbox += stray;
        } else {
            removed.audit_events += stray;
        }
        for name in months_of(db, table).await? {
            let Some(month) = month_of(table, &name) else {
                continue; // the default partition
            };
            if next_month(month) > cutoff {
                continue;
            }
            if table == "outbox" && holds_pending(db, &name).await? {
                removed.outbox_months_kept.push(name);
                continue;
            }
            let rows = count(db, &name).await?;
            db.execute_unprepared(&format!("ALTER TABLE {table} DETACH PARTITION {name}"))
                .await?;
            db.execute_unprepared(&format!("DROP TABLE {name}")).await?;
            if table == "outbox" {
                removed.outbox += rows;
            } else {
                removed.audit_events += rows;
            }
        }
    }
    Ok(removed)
}

/// The month a partition `<table>_YYYY_MM` holds.
fn month_of(table: &str, name: &str) -> Option<Date> {
    let rest = name.strip_prefix(table)?.strip_prefix('_')?;
    let (year, month) = rest.split_once('_')?;
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, 1).ok()
}

async fn holds_pending<C: ConnectionTrait>(db: &C, name: &str) -> Result<bool, StoreError> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("SELECT EXISTS (SELECT 1 FROM {name} WHERE status = $1) AS pending"),
            [OutboxStatus::Pending.code().into()],
        ))
        .await?;
    Ok(row.is_some_and(|row| row.try_get::<bool>("", "pending").unwrap_or(true)))
}

async fn count<C: ConnectionTrait>(db: &C, name: &str) -> Result<u64, StoreError> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT count(*) AS n FROM {name}"),
        ))
        .await?;
    Ok(row
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_partition_name_gives_its_month() {
        assert_eq!(
            month_of("audit_events", "audit_events_2026_12"),
            Some(date!(2026 - 12 - 01))
        );
        assert_eq!(month_of("audit_events", "audit_events_default"), None);
        assert_eq!(
            month_of("outbox", "outbox_2027_01"),
            Some(date!(2027 - 01 - 01))
        );
        assert_eq!(
            month_name("outbox", date!(2027 - 01 - 15)),
            "outbox_2027_01"
        );
    }

    #[test]
    fn a_month_of_uuid7_ids_starts_at_its_first_millisecond() {
        // 2026-12-01T00:00:00Z is 1,796,083,200,000 ms: 0x01a2_2ee6_b000.
        assert_eq!(
            first_uuid7_of(date!(2026 - 12 - 01)),
            "01a22ee6-b000-0000-0000-000000000000"
        );
        // An id made during the month sorts between its bounds (PostgreSQL compares the
        // bytes in order, as Uuid's Ord does).
        let at = date!(2026 - 12 - 15).midnight().assume_utc();
        let millis = u64::try_from(at.unix_timestamp() * 1000).unwrap();
        let id = uuid::Builder::from_unix_timestamp_millis(millis, &[0xff; 10]).into_uuid();
        let low: uuid::Uuid = first_uuid7_of(date!(2026 - 12 - 01)).parse().unwrap();
        let high: uuid::Uuid = first_uuid7_of(date!(2027 - 01 - 01)).parse().unwrap();
        assert!(low <= id && id < high);
    }
}
