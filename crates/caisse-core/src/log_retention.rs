//! How long the audit log and the sent mail are kept, and the housekeeping that keeps them so:
//! months created three months ahead (PostgreSQL), and months past their retention dropped
//! (whole partitions on PostgreSQL, rows on SQLite). The defaults are a proposal (no rule in
//! `docs/` fixes them): a fund sets its own with `CAISSE_AUDIT_RETENTION_MONTHS` and
//! `CAISSE_OUTBOX_RETENTION_MONTHS`.

use caisse_store::Db;
use caisse_store::log_partitions::{self, Removed};
use time::OffsetDateTime;

use crate::CoreError;

/// The retention of each log, in months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogRetention {
    /// Audit events: who did what, and every staff reading of personal data.
    pub audit_months: u32,
    /// Mail and SMS, sent or given up (their bodies are erased once sent).
    pub outbox_months: u32,
}

impl Default for LogRetention {
    fn default() -> Self {
        LogRetention {
            audit_months: 24,
            outbox_months: 12,
        }
    }
}

/// `now` moved back by `months` whole months (the day clamped to the month's length).
fn months_before(now: OffsetDateTime, months: u32) -> OffsetDateTime {
    let total =
        i64::from(now.year()) * 12 + i64::from(u8::from(now.month())) - 1 - i64::from(months);
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(i32::MIN);
    let month = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1);
    let Ok(month) = time::Month::try_from(month) else {
        return now;
    };
    let day = now.day().min(month.length(year));
    time::Date::from_calendar_date(year, month, day)
        .map(|date| now.replace_date(date))
        .unwrap_or(now)
}

/// Creates the months up to three months ahead and removes what is past its retention at `now`.
///
/// # Errors
/// When the database fails.
pub async fn run(
    db: &Db,
    retention: LogRetention,
    now: OffsetDateTime,
) -> Result<Removed, CoreError> {
    let today = now.date();
    log_partitions::ensure_months(db, today, today.saturating_add(time::Duration::days(93)))
        .await?;
    Ok(log_partitions::apply_retention(
        db,
        months_before(now, retention.audit_months),
        months_before(now, retention.outbox_months),
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn months_back_clamp_the_day_and_cross_years() {
        assert_eq!(
            months_before(datetime!(2026-12-31 10:00 UTC), 10),
            datetime!(2026-02-28 10:00 UTC)
        );
        assert_eq!(
            months_before(datetime!(2026-01-15 10:00 UTC), 24),
            datetime!(2024-01-15 10:00 UTC)
        );
        assert_eq!(
            months_before(datetime!(2026-03-15 10:00 UTC), 3),
            datetime!(2025-12-15 10:00 UTC)
        );
    }
}
