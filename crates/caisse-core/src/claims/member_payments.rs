//! « Mes paiements » for the member: their payments by month, newest first, filtered by
//! beneficiary, kind and period, a page of whole months at a time (each month's total is
//! then the sum of what the page shows); the latest payment for the dashboard; and one
//! payment's detail ([`super::payment_detail`]). Every reading is scoped to the signed-in
//! member: another member's payment reads as a missing one.

use caisse_domain::AmountCents;
use caisse_domain::claims::MemberPaymentKind;
use caisse_domain::paris_time::paris_time;
use caisse_store::Db;
use caisse_store::claims::member_payments::{self, MemberPaymentEntry, MemberPaymentFilter};
use std::sync::Arc;
use time::Date;
use uuid::Uuid;

use super::payment_detail::{self, PaymentDetail};
use crate::CoreError;
use crate::clock::Clock;
use crate::reads::Reads;

/// Payments on a page, about: a page ends with a whole month, so it may show more.
pub const PAYMENTS_PER_PAGE: u64 = 20;

/// How far back the list goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PaymentPeriod {
    /// The last 3 months.
    ThreeMonths,
    /// The last 6 months.
    SixMonths,
    /// The last 12 months.
    TwelveMonths,
    /// The last 24 months.
    TwentyFourMonths,
    /// Everything kept.
    #[default]
    All,
}

impl PaymentPeriod {
    /// Every period, in the order the filter lists them.
    pub const ALL: [PaymentPeriod; 5] = [
        PaymentPeriod::All,
        PaymentPeriod::ThreeMonths,
        PaymentPeriod::SixMonths,
        PaymentPeriod::TwelveMonths,
        PaymentPeriod::TwentyFourMonths,
    ];

    /// The code of links and of the API.
    pub fn code(self) -> &'static str {
        match self {
            PaymentPeriod::ThreeMonths => "3m",
            PaymentPeriod::SixMonths => "6m",
            PaymentPeriod::TwelveMonths => "12m",
            PaymentPeriod::TwentyFourMonths => "24m",
            PaymentPeriod::All => "tout",
        }
    }

    /// The period a code names.
    pub fn from_code(code: &str) -> Option<PaymentPeriod> {
        PaymentPeriod::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The period, for the member.
    pub fn label_fr(self) -> &'static str {
        match self {
            PaymentPeriod::ThreeMonths => "Les 3 derniers mois",
            PaymentPeriod::SixMonths => "Les 6 derniers mois",
            PaymentPeriod::TwelveMonths => "Les 12 derniers mois",
            PaymentPeriod::TwentyFourMonths => "Les 24 derniers mois",
            PaymentPeriod::All => "Toute la période",
        }
    }

    /// The first day of the period ending `today`: the first day of the month, so that a
    /// month shown is shown whole.
    pub fn first_day(self, today: Date) -> Option<Date> {
        let months = match self {
            PaymentPeriod::ThreeMonths => 3,
            PaymentPeriod::SixMonths => 6,
            PaymentPeriod::TwelveMonths => 12,
            PaymentPeriod::TwentyFourMonths => 24,
            PaymentPeriod::All => return None,
        };
        let mut start = month_start(today);
        for _ in 1..months {
            start = previous_month(start);
        }
        Some(start)
    }
}

/// What the member asked to see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PaymentFilters {
    /// One beneficiary (rank, 1 for the insured member).
    pub rank: Option<u8>,
    /// One kind.
    pub kind: Option<MemberPaymentKind>,
    /// How far back.
    pub period: PaymentPeriod,
}

impl PaymentFilters {
    /// The filters of a page's or the API's address: a beneficiary's rank, a kind's and a
    /// period's code; a value that does not read filters nothing (an old link, a typo).
    pub fn parse(rank: &str, kind: &str, period: &str) -> PaymentFilters {
        PaymentFilters {
            rank: rank.trim().parse::<u8>().ok(),
            kind: MemberPaymentKind::from_code(kind.trim()),
            period: PaymentPeriod::from_code(period.trim()).unwrap_or_default(),
        }
    }
}

/// The `before` of a next page's address (`2026-03-01`), if it reads.
pub fn parse_before(value: &str) -> Option<Date> {
    Date::parse(
        value.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// The payments of one month, newest first, and their total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentMonth {
    /// The month's first day.
    pub first_day: Date,
    /// What the month's payments total.
    pub total: AmountCents,
    /// Its payments.
    pub payments: Vec<MemberPaymentEntry>,
}

/// A page of the list: whole months, and where the next page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentsPage {
    /// The months, newest first.
    pub months: Vec<PaymentMonth>,
    /// The month the older payments end before (the next page's `before`), if any.
    pub older: Option<Date>,
}

fn month_start(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

fn previous_month(first_day: Date) -> Date {
    let before = first_day.previous_day().unwrap_or(first_day);
    month_start(before)
}

/// The entries (newest first) as months.
fn by_month(entries: Vec<MemberPaymentEntry>) -> Vec<PaymentMonth> {
    let mut months: Vec<PaymentMonth> = Vec::new();
    for entry in entries {
        let first_day = month_start(entry.day);
        match months.last_mut() {
            Some(month) if month.first_day == first_day => {
                month.total = AmountCents::new(month.total.cents() + entry.amount.cents());
                month.payments.push(entry);
            }
            _ => months.push(PaymentMonth {
                first_day,
                total: entry.amount,
                payments: vec![entry],
            }),
        }
    }
    months
}

/// The « Mes paiements » use cases.
#[derive(Clone)]
pub struct MemberPayments {
    db: Db,
    /// Where the list reads (a replica when one is set).
    reads: Reads,
    clock: Arc<dyn Clock>,
}

impl MemberPayments {
    /// The service over `db`.
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> MemberPayments {
        MemberPayments {
            reads: Reads::primary(db.clone()),
            db,
            clock,
        }
    }

    fn today(&self) -> Date {
        paris_time(self.clock.now()).date()
    }

    /// The same service, its list read where `reads` says.
    pub fn reading_from(mut self, reads: Reads) -> MemberPayments {
        self.reads = reads;
        self
    }

    /// A page of the member's payments that `filters` keeps, paid before `before` (a
    /// month's first day; the newest when `None`).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "payments.list", skip_all, fields(member_id = %member_id))]
    pub async fn list(
        &self,
        member_id: Uuid,
        filters: &PaymentFilters,
        before: Option<Date>,
    ) -> Result<PaymentsPage, CoreError> {
        let mut filter = MemberPaymentFilter {
            rank: filters.rank,
            kind: filters.kind,
            from: filters.period.first_day(self.today()),
            before: before.map(month_start),
        };
        let db = self.reads.lagging();
        let mut entries =
            member_payments::entries(db, member_id, &filter, Some(PAYMENTS_PER_PAGE + 1)).await?;
        let cut = usize::try_from(PAYMENTS_PER_PAGE).unwrap_or(usize::MAX);
        let older = match entries.get(cut.saturating_sub(1)) {
            Some(last_kept) if entries.len() > cut => {
                // More than a page: show whole months, down to the month of the last kept.
                let oldest_month = month_start(last_kept.day);
                filter.from = Some(filter.from.map_or(oldest_month, |f| f.max(oldest_month)));
                entries = member_payments::entries(db, member_id, &filter, None).await?;
                Some(oldest_month)
            }
            _ => None,
        };
        Ok(PaymentsPage {
            months: by_month(entries),
            older,
        })
    }

    /// The member's latest payment, if any (the dashboard's).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "payments.latest", skip_all, fields(member_id = %member_id))]
    pub async fn latest(&self, member_id: Uuid) -> Result<Option<MemberPaymentEntry>, CoreError> {
        let filter = MemberPaymentFilter::default();
        Ok(
            member_payments::entries(&self.db, member_id, &filter, Some(1))
                .await?
                .into_iter()
                .next(),
        )
    }

    /// The payment `payment_id` as the member sees it; `None` when it does not exist or is
    /// not theirs (the same answer).
    ///
    /// # Errors
    /// When the database fails or a stored value no longer reads.
    #[tracing::instrument(name = "payments.detail", skip_all, fields(member_id = %member_id, payment_id = %payment_id))]
    pub async fn detail(
        &self,
        member_id: Uuid,
        payment_id: Uuid,
    ) -> Result<Option<PaymentDetail>, CoreError> {
        payment_detail::read(&self.db, member_id, payment_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_period_starts_on_the_first_day_of_a_month() {
        let today = date!(2026 - 03 - 15);
        assert_eq!(
            PaymentPeriod::ThreeMonths.first_day(today),
            Some(date!(2026 - 01 - 01))
        );
        assert_eq!(
            PaymentPeriod::TwelveMonths.first_day(today),
            Some(date!(2025 - 04 - 01))
        );
        assert_eq!(PaymentPeriod::All.first_day(today), None);
        for period in PaymentPeriod::ALL {
            assert_eq!(PaymentPeriod::from_code(period.code()), Some(period));
        }
    }
}
