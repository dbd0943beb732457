//! `deduction_counters`: the participations and franchises taken per beneficiary, per civil
//! year and per day, read into and written from the domain's [`Counters`].

use std::collections::HashMap;

use caisse_domain::AmountCents;
use caisse_domain::claims::{AnnualCapGroup, Counters, DailyKey, DeductionKind, ProfessionalId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Value};
use time::Date;
use uuid::Uuid;

use super::{ROWS_PER_STATEMENT, statement};
use crate::StoreError;
use crate::entities::deduction_counter::{Column, Entity};

/// A beneficiary: the insured member and the rank.
pub type Beneficiary = (Uuid, u8);

fn daily_key(key: &DailyKey) -> String {
    match key {
        DailyKey::Beneficiary(kind) => kind.code().to_owned(),
        DailyKey::Professional(kind, who) => format!("{}@{}", kind.code(), who.code()),
    }
}

fn daily_key_of(text: &str) -> Option<DailyKey> {
    match text.split_once('@') {
        Some((kind, who)) => Some(DailyKey::Professional(
            DeductionKind::parse(kind).ok()?,
            ProfessionalId::from_code(who)?,
        )),
        None => Some(DailyKey::Beneficiary(DeductionKind::parse(text).ok()?)),
    }
}

fn day_of(period: &str) -> Option<Date> {
    Date::parse(
        period,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// The counters of `beneficiaries` from `first_year` on (older years cannot cap new care).
pub async fn load<C: ConnectionTrait>(
    db: &C,
    beneficiaries: &[Beneficiary],
    first_year: i32,
) -> Result<HashMap<Beneficiary, Counters>, StoreError> {
    let mut all: HashMap<Beneficiary, Counters> = HashMap::new();
    let mut members: Vec<Uuid> = beneficiaries.iter().map(|(m, _)| *m).collect();
    members.sort_unstable();
    members.dedup();
    for chunk in members.chunks(ROWS_PER_STATEMENT) {
        let rows = Entity::find()
            .filter(Column::MemberId.is_in(chunk.iter().copied()))
            .filter(Column::Period.gte(first_year.to_string()))
            .all(db)
            .await?;
        for row in rows {
            let corrupt =
                || StoreError::corrupt("deduction_counters", "counter_key", row.member_id);
            let rank = u8::try_from(row.rank).map_err(|_| corrupt())?;
            let counters = all.remove(&(row.member_id, rank)).unwrap_or_default();
            let amount = AmountCents::new(row.cents);
            let counters = if row.period.len() == 4 {
                let year: i32 = row.period.parse().map_err(|_| corrupt())?;
                let group = AnnualCapGroup::parse(&row.counter_key).map_err(|_| corrupt())?;
                counters.with_annual(year, group, amount)
            } else {
                let day = day_of(&row.period).ok_or_else(corrupt)?;
                let key = daily_key_of(&row.counter_key).ok_or_else(corrupt)?;
                counters.with_daily(day, key, amount)
            };
            all.insert((row.member_id, rank), counters);
        }
    }
    Ok(all)
}

/// Writes what changed between `before` and `after` for each beneficiary (absolute values:
/// the caller holds the beneficiaries' lock, see the core's liquidation).
pub async fn save<C: ConnectionTrait>(
    db: &C,
    changes: &[(Beneficiary, &Counters, &Counters)],
) -> Result<(), StoreError> {
    let mut rows: Vec<(Uuid, i16, String, String, i64)> = Vec::new();
    for ((member, rank), before, after) in changes {
        let rank = i16::from(*rank);
        for (year, group, amount) in after.annual_totals() {
            if before.annual(year, group) != amount {
                rows.push((
                    *member,
                    rank,
                    year.to_string(),
                    group.code().to_owned(),
                    amount.cents(),
                ));
            }
        }
        for (day, key, amount) in after.daily_totals() {
            if before.daily(day, key) != amount {
                rows.push((
                    *member,
                    rank,
                    day.to_string(),
                    daily_key(key),
                    amount.cents(),
                ));
            }
        }
    }
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
        let mut tuples = Vec::with_capacity(chunk.len());
        for (i, (member, rank, period, key, cents)) in chunk.iter().enumerate() {
            values.extend([
                (*member).into(),
                (*rank).into(),
                period.as_str().into(),
                key.as_str().into(),
                (*cents).into(),
            ]);
            let n = i * 5;
            tuples.push(format!(
                "(${}, ${}, ${}, ${}, ${})",
                n + 1,
                n + 2,
                n + 3,
                n + 4,
                n + 5
            ));
        }
        let sql = format!(
            "INSERT INTO deduction_counters (member_id, rank, period, counter_key, cents) \
             VALUES {} ON CONFLICT (member_id, rank, period, counter_key) \
             DO UPDATE SET cents = excluded.cents",
            tuples.join(", ")
        );
        db.execute_raw(statement(db, &sql, values)).await?;
    }
    Ok(())
}
