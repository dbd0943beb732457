//! The months of the partitioned claims tables on PostgreSQL (`care_sheets`, `care_lines`
//! by day of care, `payments` by payment day). The importer and the liquidation worker
//! create the months they may write ahead of need; on SQLite there is nothing to do.

use sea_orm::{ConnectionTrait, DbBackend};
use time::{Date, Month};

use crate::StoreError;

/// The partitioned tables and the column they are partitioned by.
pub const PARTITIONED: [&str; 3] = ["care_sheets", "care_lines", "payments"];

/// The first day of the month after `day`'s.
fn next_month(day: Date) -> Date {
    let (year, month) = match day.month() {
        Month::December => (day.year() + 1, Month::January),
        m => (day.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(day)
}

fn first_of_month(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

/// Makes sure every table of [`PARTITIONED`] has a partition for each month from `from`'s to
/// `to`'s (both included). Idempotent; returns how many partitions it created.
pub async fn ensure_months<C: ConnectionTrait>(
    db: &C,
    from: Date,
    to: Date,
) -> Result<u32, StoreError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(0);
    }
    let existing: Vec<String> = db
        .query_all_raw(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
             JOIN pg_class p ON p.oid = i.inhparent \
             WHERE p.relname IN ('care_sheets', 'care_lines', 'payments')",
        ))
        .await?
        .iter()
        .filter_map(|row| row.try_get::<String>("", "relname").ok())
        .collect();
    let mut created = 0;
    let mut month = first_of_month(from);
    while month <= to {
        let next = next_month(month);
        for table in PARTITIONED {
            let name = format!("{table}_{:04}_{:02}", month.year(), u8::from(month.month()));
            if existing.contains(&name) {
                continue;
            }
            db.execute_unprepared(&format!(
                "CREATE TABLE IF NOT EXISTS {name} PARTITION OF {table} \
                 FOR VALUES FROM ('{month}') TO ('{next}')"
            ))
            .await?;
            created += 1;
        }
        month = next;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn months_roll_over_the_year() {
        assert_eq!(next_month(date!(2026 - 12 - 31)), date!(2027 - 01 - 01));
        assert_eq!(next_month(date!(2026 - 02 - 10)), date!(2026 - 03 - 01));
        assert_eq!(first_of_month(date!(2026 - 02 - 10)), date!(2026 - 02 - 01));
    }
}
