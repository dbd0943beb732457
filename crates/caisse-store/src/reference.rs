//! The claims reference data: eight dated tables replaced whole by each load, read back as
//! [`ReferenceTables`], and the record of each load. A row's id is its position in its file,
//! so the tables read back in the order they were loaded.

use caisse_domain::claims::{
    ActCategory, ActCode, AnnualCapGroup, BasisPoints, CategoryRule, DailyCap, DailyCapScope,
    DeductionKind, DeductionRule, IjAtMpParameters, IjChargesParameters, IjMaterniteParameters,
    IjParameters, ReferenceTables, RegimeLocalRule, Tariff, TariffBase,
};
use caisse_domain::{AmountCents, Instant};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, Iterable, PrimaryKeyToColumn, QueryOrder, Set,
};
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{
    reference_deduction, reference_ij, reference_ij_at_mp, reference_ij_charge,
    reference_ij_maternite, reference_load, reference_rate, reference_regime_local,
    reference_tariff,
};
use crate::members::BATCH_ROWS;
use crate::rights::period;

/// One load of the reference data, to record or as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceLoad {
    /// When.
    pub loaded_at: Instant,
    /// SHA-256 of the files, in hex.
    pub digest: String,
    /// Rows per table, in the order of `Table::ALL`: tariffs, rates, régime local,
    /// deductions, IJ, IJ maternité, IJ AT/MP, IJ charges.
    pub rows: [usize; 8],
}

/// Replaces the whole reference data with `tables`: run it inside the caller's transaction,
/// so that readers see the old tables or the new ones, never a mix.
pub async fn replace<C: ConnectionTrait>(
    db: &C,
    tables: &ReferenceTables,
) -> Result<(), StoreError> {
    reference_tariff::Entity::delete_many().exec(db).await?;
    reference_rate::Entity::delete_many().exec(db).await?;
    reference_regime_local::Entity::delete_many()
        .exec(db)
        .await?;
    reference_deduction::Entity::delete_many().exec(db).await?;
    reference_ij::Entity::delete_many().exec(db).await?;
    reference_ij_maternite::Entity::delete_many()
        .exec(db)
        .await?;
    reference_ij_at_mp::Entity::delete_many().exec(db).await?;
    reference_ij_charge::Entity::delete_many().exec(db).await?;

    let tariffs = numbered(tables.tariffs(), |id, r| reference_tariff::ActiveModel {
        id: Set(id),
        code: Set(r.code.as_str().to_owned()),
        category: Set(r.category.code().to_owned()),
        base_cents: Set(match r.base {
            TariffBase::Fixed(amount) => Some(amount.cents()),
            TariffBase::AsCharged => None,
        }),
        price_limit_cents: Set(r.price_limit.map(AmountCents::cents)),
        valid_from: Set(r.validity.from()),
        valid_to: Set(r.validity.to()),
    });
    insert_batches::<reference_tariff::Entity, _>(db, tariffs).await?;
    let rates = numbered(tables.rates(), |id, r| reference_rate::ActiveModel {
        id: Set(id),
        category: Set(r.category.code().to_owned()),
        rate_bp: Set(i32::from(r.rate.get())),
        hors_parcours_rate_bp: Set(r.hors_parcours_rate.map(|bp| i32::from(bp.get()))),
        deduction: Set(r.deduction.map(|k| k.code().to_owned())),
        valid_from: Set(r.validity.from()),
        valid_to: Set(r.validity.to()),
    });
    insert_batches::<reference_rate::Entity, _>(db, rates).await?;
    let regime_local = numbered(tables.regime_local_rules(), |id, r| {
        reference_regime_local::ActiveModel {
            id: Set(id),
            category: Set(r.category.code().to_owned()),
            rate_bp: Set(i32::from(r.rate.get())),
            valid_from: Set(r.validity.from()),
            valid_to: Set(r.validity.to()),
        }
    });
    insert_batches::<reference_regime_local::Entity, _>(db, regime_local).await?;
    let deductions = numbered(tables.deductions(), |id, r| {
        reference_deduction::ActiveModel {
            id: Set(id),
            kind: Set(r.kind.code().to_owned()),
            unit_cents: Set(r.unit.cents()),
            daily_cap_cents: Set(r.daily_cap.map(|c| c.amount.cents())),
            daily_scope: Set(r.daily_cap.map(|c| c.scope.code().to_owned())),
            annual_group: Set(r.annual_group.code().to_owned()),
            annual_cap_cents: Set(r.annual_cap.cents()),
            valid_from: Set(r.validity.from()),
            valid_to: Set(r.validity.to()),
        }
    });
    insert_batches::<reference_deduction::Entity, _>(db, deductions).await?;
    let ij = numbered(tables.ij_parameters(), |id, r| reference_ij::ActiveModel {
        id: Set(id),
        smic_mensuel_cents: Set(r.smic_mensuel.cents()),
        ceiling_smic_hundredths: Set(i32::try_from(r.ceiling_smic_hundredths).unwrap_or(i32::MAX)),
        rate_bp: Set(i32::from(r.rate.get())),
        divisor_hundredths: Set(i32::try_from(r.divisor_hundredths).unwrap_or(i32::MAX)),
        waiting_days: Set(i16::from(r.waiting_days)),
        valid_from: Set(r.validity.from()),
        valid_to: Set(r.validity.to()),
    });
    insert_batches::<reference_ij::Entity, _>(db, ij).await?;
    let maternite = numbered(tables.ij_maternite_parameters(), |id, r| {
        reference_ij_maternite::ActiveModel {
            id: Set(id),
            pmss_cents: Set(r.pmss.cents()),
            divisor_hundredths: Set(int(r.divisor_hundredths)),
            flat_deduction_bp: Set(i32::from(r.flat_deduction.get())),
            min_daily_cents: Set(r.min_daily.cents()),
            max_daily_cents: Set(r.max_daily.cents()),
            valid_from: Set(r.validity.from()),
            valid_to: Set(r.validity.to()),
        }
    });
    insert_batches::<reference_ij_maternite::Entity, _>(db, maternite).await?;
    let at_mp = numbered(tables.ij_at_mp_parameters(), |id, r| {
        reference_ij_at_mp::ActiveModel {
            id: Set(id),
            pass_cents: Set(r.pass.cents()),
            sjb_cap_pass_100000ths: Set(int(r.sjb_cap_pass_100000ths)),
            divisor_hundredths: Set(int(r.divisor_hundredths)),
            rate_bp: Set(i32::from(r.rate.get())),
            increased_rate_bp: Set(i32::from(r.increased_rate.get())),
            increased_from_day: Set(int(r.increased_from_day)),
            valid_from: Set(r.validity.from()),
            valid_to: Set(r.validity.to()),
        }
    });
    insert_batches::<reference_ij_at_mp::Entity, _>(db, at_mp).await?;
    let charges = numbered(tables.ij_charges_parameters(), |id, r| {
        reference_ij_charge::ActiveModel {
            id: Set(id),
            csg_bp: Set(i32::from(r.csg.get())),
            csg_deductible_bp: Set(i32::from(r.csg_deductible.get())),
            crds_bp: Set(i32::from(r.crds.get())),
            payment_period_days: Set(int(r.payment_period_days)),
            taxable_maladie_bp: Set(i32::from(r.taxable_maladie.get())),
            taxable_maternite_bp: Set(i32::from(r.taxable_maternite.get())),
            taxable_at_mp_bp: Set(i32::from(r.taxable_at_mp.get())),
            taxable_ald_bp: Set(i32::from(r.taxable_ald.get())),
            valid_from: Set(r.validity.from()),
            valid_to: Set(r.validity.to()),
        }
    });
    insert_batches::<reference_ij_charge::Entity, _>(db, charges).await?;
    Ok(())
}

/// A figure the parser bounds well below `i32::MAX`.
fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Each row with its position, from 1.
fn numbered<R, A>(rows: &[R], to_row: impl Fn(i64, &R) -> A) -> Vec<A> {
    (1_i64..).zip(rows).map(|(id, r)| to_row(id, r)).collect()
}

async fn insert_batches<E, C>(db: &C, rows: Vec<E::ActiveModel>) -> Result<(), StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<E::ActiveModel> = rows.by_ref().take(BATCH_ROWS).collect();
        E::insert_many(batch).exec_without_returning(db).await?;
    }
    Ok(())
}

/// The reference data in force, as loaded last (empty tables before the first load).
pub async fn current<C: ConnectionTrait>(db: &C) -> Result<ReferenceTables, StoreError> {
    let tariffs = read::<reference_tariff::Entity, _, _>(db, tariff).await?;
    let rates = read::<reference_rate::Entity, _, _>(db, category_rule).await?;
    let regime_local = read::<reference_regime_local::Entity, _, _>(db, regime_local_rule).await?;
    let deductions = read::<reference_deduction::Entity, _, _>(db, deduction_rule).await?;
    let ij = read::<reference_ij::Entity, _, _>(db, ij_parameters).await?;
    let maternite = read::<reference_ij_maternite::Entity, _, _>(db, ij_maternite).await?;
    let at_mp = read::<reference_ij_at_mp::Entity, _, _>(db, ij_at_mp).await?;
    let charges = read::<reference_ij_charge::Entity, _, _>(db, ij_charges).await?;
    // Overlaps were refused before the load; finding one means the tables were edited.
    ReferenceTables::new(tariffs, rates, regime_local, deductions, ij)
        .and_then(|tables| tables.with_ij_schedule_rows(maternite, at_mp, charges))
        .map_err(|e| StoreError::corrupt("reference data", "valid_from", e))
}

/// Every row of a table in file order (by id, the position), each parsed by `parse`.
async fn read<E, C, T>(
    db: &C,
    parse: impl Fn(E::Model) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut query = E::find();
    for key in E::PrimaryKey::iter() {
        query = query.order_by_asc(key.into_column());
    }
    query.all(db).await?.into_iter().map(parse).collect()
}

fn rate(
    bp: i32,
    table: &'static str,
    column: &'static str,
    id: i64,
) -> Result<BasisPoints, StoreError> {
    u16::try_from(bp)
        .ok()
        .and_then(|bp| BasisPoints::new(bp).ok())
        .ok_or_else(|| StoreError::corrupt(table, column, id))
}

fn category(code: &str, table: &'static str, id: i64) -> Result<ActCategory, StoreError> {
    ActCategory::parse(code).map_err(|_| StoreError::corrupt(table, "category", id))
}

fn tariff(row: reference_tariff::Model) -> Result<Tariff, StoreError> {
    const TABLE: &str = "reference_tariffs";
    Ok(Tariff {
        code: ActCode::parse(&row.code).map_err(|_| StoreError::corrupt(TABLE, "code", row.id))?,
        category: category(&row.category, TABLE, row.id)?,
        base: row.base_cents.map_or(TariffBase::AsCharged, |c| {
            TariffBase::Fixed(AmountCents::new(c))
        }),
        price_limit: row.price_limit_cents.map(AmountCents::new),
        validity: period(row.valid_from, row.valid_to, TABLE, row.id)?,
    })
}

fn category_rule(row: reference_rate::Model) -> Result<CategoryRule, StoreError> {
    const TABLE: &str = "reference_rates";
    Ok(CategoryRule {
        category: category(&row.category, TABLE, row.id)?,
        rate: rate(row.rate_bp, TABLE, "rate_bp", row.id)?,
        hors_parcours_rate: row
            .hors_parcours_rate_bp
            .map(|bp| rate(bp, TABLE, "hors_parcours_rate_bp", row.id))
            .transpose()?,
        deduction: row
            .deduction
            .as_deref()
            .map(|k| {
                DeductionKind::parse(k).map_err(|_| StoreError::corrupt(TABLE, "deduction", row.id))
            })
            .transpose()?,
        validity: period(row.valid_from, row.valid_to, TABLE, row.id)?,
    })
}

fn regime_local_rule(row: reference_regime_local::Model) -> Result<RegimeLocalRule, StoreError> {
    const TABLE: &str = "reference_regime_local";
    Ok(RegimeLocalRule {
        category: category(&row.category, TABLE, row.id)?,
        rate: rate(row.rate_bp, TABLE, "rate_bp", row.id)?,
        validity: period(row.valid_from, row.valid_to, TABLE, row.id)?,
    })
}

fn deduction_rule(row: reference_deduction::Model) -> Result<DeductionRule, StoreError> {
    const TABLE: &str = "reference_deductions";
    let corrupt = |column| StoreError::corrupt(TABLE, column, row.id);
    let daily_cap = match (row.daily_cap_cents, row.daily_scope.as_deref()) {
        (Some(cents), Some(scope)) => Some(DailyCap {
            amount: AmountCents::new(cents),
            scope: DailyCapScope::parse(scope).map_err(|_| corrupt("daily_scope"))?,
        }),
        (None, None) => None,
        _ => return Err(corrupt("daily_scope")),
    };
    Ok(DeductionRule {
        kind: DeductionKind::parse(&row.kind).map_err(|_| corrupt("kind"))?,
        unit: AmountCents::new(row.unit_cents),
        daily_cap,
        annual_group: AnnualCapGroup::parse(&row.annual_group)
            .map_err(|_| corrupt("annual_group"))?,
        annual_cap: AmountCents::new(row.annual_cap_cents),
        validity: period(row.valid_from, row.valid_to, TABLE, row.id)?,
    })
}

fn ij_parameters(row: reference_ij::Model) -> Result<IjParameters, StoreError> {
    const TABLE: &str = "reference_ij";
    let corrupt = |column| StoreError::corrupt(TABLE, column, row.id);
    Ok(IjParameters {
        smic_mensuel: AmountCents::new(row.smic_mensuel_cents),
        ceiling_smic_hundredths: u32::try_from(row.ceiling_smic_hundredths)
            .map_err(|_| corrupt("ceiling_smic_hundredths"))?,
        rate: rate(row.rate_bp, TABLE, "rate_bp", row.id)?,
        divisor_hundredths: u32::try_from(row.divisor_hundredths)
            .map_err(|_| corrupt("divisor_hundredths"))?,
        waiting_days: u8::try_from(row.waiting_days).map_err(|_| corrupt("waiting_days"))?,
        validity: period(row.valid_from, row.valid_to, TABLE, row.id)?,
    })
}

fn ij_maternite(row: reference_ij_maternite::Model) -> Result<IjMaterniteParameters, StoreError> {
    const TABLE: &str = "reference_ij_maternite";
    let corrupt = |column| StoreError::corrupt(TABLE, column, row.id);
    Ok(IjMaterniteParameters {
        pmss: AmountCents::new(row.pmss_cents),
        divisor_hundredths: u32::try_from(row.divisor_hundredths)
            .map_err(|_| corrupt("divisor_hundredths"))?,
        flat_deduction: rate(row.flat_deduction_bp, TABLE, "flat_deduction_bp", row.id)?,
        min_daily: AmountCents::new(row.min_daily_cents),
        max_daily: AmountCents::new(row.max_daily_cents),
        validity: period(row.valid_from, row.valid_to, TABLE, row.id)?,
    })
}

fn ij_at_mp(row: reference_ij_at_mp::Model) -> Result<IjAtMpParameters, StoreError> {
    const TABLE: &str = "reference_ij_at_mp";
    let corrupt = |column| StoreError::corrupt(TABLE, column, row.id);
    Ok(IjAtMpParameters {
        pass: AmountCents::new(row.pass_cents),
        sjb_cap_pass_100000ths: u32::try_from(row.sjb_cap_pass_100000ths)
            .map_err(|_| corrupt("sjb_cap_pass_100000ths"))?,
        divisor_hundredths: u32::try_from(row.divisor_hundredths)
            .map_err(|_| corrupt("divisor_hundredths"))?,
        rate: rate(row.rate_bp, TABLE, "rate_bp", row.id)?,
        increased_rate: rate(row.increased_rate_bp, TABLE, "increased_rate_bp", row.id)?,
        increased_from_day: u32::try_from(row.increased_from_day)
            .map_err(|_| corrupt("increased_from_day"))?,
        validity: period(row.valid_from, row.valid_to, TABLE, row.id)?,
    })
}

fn ij_charges(row: reference_ij_charge::Model) -> Result<IjChargesParameters, StoreError> {
    const TABLE: &str = "reference_ij_charges";
    let bp = |value, column| rate(value, TABLE, column, row.id);
    Ok(IjChargesParameters {
        csg: bp(row.csg_bp, "csg_bp")?,
        csg_deductible: bp(row.csg_deductible_bp, "csg_deductible_bp")?,
        crds: bp(row.crds_bp, "crds_bp")?,
        payment_period_days: u32::try_from(row.payment_period_days)
            .ok()
            .filter(|&d| d > 0)
            .ok_or_else(|| StoreError::corrupt(TABLE, "payment_period_days", row.id))?,
        taxable_maladie: bp(row.taxable_maladie_bp, "taxable_maladie_bp")?,
        taxable_maternite: bp(row.taxable_maternite_bp, "taxable_maternite_bp")?,
        taxable_at_mp: bp(row.taxable_at_mp_bp, "taxable_at_mp_bp")?,
        taxable_ald: bp(row.taxable_ald_bp, "taxable_ald_bp")?,
        validity: period(row.valid_from, row.valid_to, TABLE, row.id)?,
    })
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Records a load; returns its id.
pub async fn record_load<C: ConnectionTrait>(
    db: &C,
    load: &ReferenceLoad,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let [
        tariffs,
        rates,
        regime_local,
        deductions,
        ij,
        ij_maternite,
        ij_at_mp,
        ij_charges,
    ] = load.rows;
    reference_load::ActiveModel {
        id: Set(id),
        loaded_at: Set(load.loaded_at.get()),
        digest: Set(load.digest.clone()),
        tariffs: Set(count(tariffs)),
        rates: Set(count(rates)),
        regime_local: Set(count(regime_local)),
        deductions: Set(count(deductions)),
        ij: Set(count(ij)),
        ij_maternite: Set(count(ij_maternite)),
        ij_at_mp: Set(count(ij_at_mp)),
        ij_charges: Set(count(ij_charges)),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The last load, if any.
pub async fn latest_load<C: ConnectionTrait>(db: &C) -> Result<Option<ReferenceLoad>, StoreError> {
    let Some(row) = reference_load::Entity::find()
        .order_by_desc(reference_load::Column::LoadedAt)
        .order_by_desc(reference_load::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let rows = [
        row.tariffs,
        row.rates,
        row.regime_local,
        row.deductions,
        row.ij,
        row.ij_maternite,
        row.ij_at_mp,
        row.ij_charges,
    ]
    .map(|n| {
        usize::try_from(n).map_err(|_| StoreError::corrupt("reference_loads", "rows", row.id))
    });
    let [a, b, c, d, e, f, g, h] = rows;
    Ok(Some(ReferenceLoad {
        loaded_at: Instant::new(row.loaded_at),
        digest: row.digest,
        rows: [a?, b?, c?, d?, e?, f?, g?, h?],
    }))
}
