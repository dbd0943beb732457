//! Queries on the rights of the member file: coverage periods, exemptions, declared doctors
//! and C2S periods. Values arrive parsed and are stored in their canonical text form.

use caisse_domain::CaisseCode;
use caisse_domain::rights::{C2sKind, CodeGestion, ExemptionNature, Period, Rate, RegimeCode};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::Date;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{c2s_period, coverage_period, declared_doctor, exemption};
use crate::members::BATCH_ROWS;

/// A coverage period, to store or as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// Régime (`01` for the régime général).
    pub regime: RegimeCode,
    /// Code de gestion.
    pub code_gestion: CodeGestion,
    /// Fund.
    pub caisse: CaisseCode,
    /// When.
    pub period: Period,
    /// The Alsace-Moselle local regime adds its layer.
    pub local_regime: bool,
}

/// An exemption of the ticket modérateur of one person, to store or as stored. `Debug` shows
/// only the rank: the nature is health data.
#[derive(Clone, PartialEq, Eq)]
pub struct Exemption {
    /// 1 for the insured person, 2–19 for ayants droit.
    pub rank: i16,
    /// Why.
    pub nature: ExemptionNature,
    /// Rate of coverage.
    pub rate: Rate,
    /// When.
    pub period: Period,
}

impl std::fmt::Debug for Exemption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exemption")
            .field("rank", &self.rank)
            .finish_non_exhaustive()
    }
}

/// A declared médecin traitant of one person, to store or as stored. `Debug` shows only the
/// rank.
#[derive(Clone, PartialEq, Eq)]
pub struct Doctor {
    /// 1 for the insured person, 2–19 for ayants droit.
    pub rank: i16,
    /// As printed.
    pub name: String,
    /// Declaration date, when known.
    pub declared_on: Option<Date>,
}

impl std::fmt::Debug for Doctor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Doctor")
            .field("rank", &self.rank)
            .finish_non_exhaustive()
    }
}

/// A C2S period of the household, to store or as stored. `Debug` shows only the period.
#[derive(Clone, PartialEq, Eq)]
pub struct C2s {
    /// Free or with a participation.
    pub kind: C2sKind,
    /// When.
    pub period: Period,
}

impl std::fmt::Debug for C2s {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("C2s")
            .field("period", &self.period)
            .finish_non_exhaustive()
    }
}

/// Everything the file says about one family's rights.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rights {
    /// Coverage periods of the insured person (their family follows them), oldest first.
    pub coverages: Vec<Coverage>,
    /// Exemptions, by rank then start.
    pub exemptions: Vec<Exemption>,
    /// Declared doctors, by rank.
    pub doctors: Vec<Doctor>,
    /// C2S periods of the household, oldest first.
    pub c2s: Vec<C2s>,
}

impl Rights {
    /// True when there is nothing to store.
    pub fn is_empty(&self) -> bool {
        self.coverages.is_empty()
            && self.exemptions.is_empty()
            && self.doctors.is_empty()
            && self.c2s.is_empty()
    }
}

/// A stored validity, `Corrupt` (naming `table`'s `row`) when it ends before it starts.
pub(crate) fn period(
    from: Date,
    to: Option<Date>,
    table: &'static str,
    row: impl std::fmt::Display,
) -> Result<Period, StoreError> {
    Period::new(from, to).map_err(|_| StoreError::corrupt(table, "valid_to", row))
}

fn coverage(row: coverage_period::Model) -> Result<Coverage, StoreError> {
    let corrupt = |column| StoreError::corrupt("coverage_periods", column, row.id);
    Ok(Coverage {
        regime: RegimeCode::parse(&row.regime_code).map_err(|_| corrupt("regime_code"))?,
        code_gestion: CodeGestion::parse(&row.code_gestion).map_err(|_| corrupt("code_gestion"))?,
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        period: period(row.valid_from, row.valid_to, "coverage_periods", row.id)?,
        local_regime: row.local_regime,
    })
}

fn exemption_of(row: exemption::Model) -> Result<Exemption, StoreError> {
    let corrupt = |column| StoreError::corrupt("exemptions", column, row.id);
    Ok(Exemption {
        rank: row.rank,
        nature: ExemptionNature::parse(&row.nature).map_err(|_| corrupt("nature"))?,
        rate: u8::try_from(row.rate_percent)
            .ok()
            .and_then(|percent| Rate::from_percent(percent).ok())
            .ok_or_else(|| corrupt("rate_percent"))?,
        period: period(row.valid_from, row.valid_to, "exemptions", row.id)?,
    })
}

fn c2s_of(row: c2s_period::Model) -> Result<C2s, StoreError> {
    Ok(C2s {
        kind: C2sKind::parse(&row.kind)
            .map_err(|_| StoreError::corrupt("c2s_periods", "kind", row.id))?,
        period: period(row.valid_from, row.valid_to, "c2s_periods", row.id)?,
    })
}

/// The rights of a member's family.
pub async fn of_member<C: ConnectionTrait>(db: &C, member_id: Uuid) -> Result<Rights, StoreError> {
    Ok(Rights {
        coverages: coverage_period::Entity::find()
            .filter(coverage_period::Column::MemberId.eq(member_id))
            .order_by_asc(coverage_period::Column::ValidFrom)
            .all(db)
            .await?
            .into_iter()
            .map(coverage)
            .collect::<Result<_, _>>()?,
        exemptions: exemption::Entity::find()
            .filter(exemption::Column::MemberId.eq(member_id))
            .order_by_asc(exemption::Column::Rank)
            .order_by_asc(exemption::Column::ValidFrom)
            .all(db)
            .await?
            .into_iter()
            .map(exemption_of)
            .collect::<Result<_, _>>()?,
        doctors: declared_doctor::Entity::find()
            .filter(declared_doctor::Column::MemberId.eq(member_id))
            .order_by_asc(declared_doctor::Column::Rank)
            .all(db)
            .await?
            .into_iter()
            .map(|row| Doctor {
                rank: row.rank,
                name: row.doctor_name,
                declared_on: row.declared_on,
            })
            .collect(),
        c2s: c2s_period::Entity::find()
            .filter(c2s_period::Column::MemberId.eq(member_id))
            .order_by_asc(c2s_period::Column::ValidFrom)
            .all(db)
            .await?
            .into_iter()
            .map(c2s_of)
            .collect::<Result<_, _>>()?,
    })
}

/// The rights of many members' families at once (a few statements per [`BATCH_ROWS`]
/// members): what the claims engine reads for a batch of sheets. A member without any row
/// has empty rights.
pub async fn of_members<C: ConnectionTrait>(
    db: &C,
    member_ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Rights>, StoreError> {
    let mut all: std::collections::HashMap<Uuid, Rights> = member_ids
        .iter()
        .map(|id| (*id, Rights::default()))
        .collect();
    for chunk in member_ids.chunks(BATCH_ROWS) {
        let ids = || chunk.iter().copied();
        for row in coverage_period::Entity::find()
            .filter(coverage_period::Column::MemberId.is_in(ids()))
            .order_by_asc(coverage_period::Column::ValidFrom)
            .all(db)
            .await?
        {
            let member = row.member_id;
            let c = coverage(row)?;
            all.entry(member).or_default().coverages.push(c);
        }
        for row in exemption::Entity::find()
            .filter(exemption::Column::MemberId.is_in(ids()))
            .order_by_asc(exemption::Column::Rank)
            .order_by_asc(exemption::Column::ValidFrom)
            .all(db)
            .await?
        {
            let member = row.member_id;
            let e = exemption_of(row)?;
            all.entry(member).or_default().exemptions.push(e);
        }
        for row in declared_doctor::Entity::find()
            .filter(declared_doctor::Column::MemberId.is_in(ids()))
            .order_by_asc(declared_doctor::Column::Rank)
            .all(db)
            .await?
        {
            all.entry(row.member_id).or_default().doctors.push(Doctor {
                rank: row.rank,
                name: row.doctor_name,
                declared_on: row.declared_on,
            });
        }
        for row in c2s_period::Entity::find()
            .filter(c2s_period::Column::MemberId.is_in(ids()))
            .order_by_asc(c2s_period::Column::ValidFrom)
            .all(db)
            .await?
        {
            let member = row.member_id;
            let c = c2s_of(row)?;
            all.entry(member).or_default().c2s.push(c);
        }
    }
    Ok(all)
}

fn coverage_row(member_id: Uuid, c: Coverage) -> coverage_period::ActiveModel {
    coverage_period::ActiveModel {
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        regime_code: Set(c.regime.as_str().to_owned()),
        code_gestion: Set(c.code_gestion.as_str().to_owned()),
        caisse_code: Set(c.caisse.as_str().to_owned()),
        valid_from: Set(c.period.from()),
        valid_to: Set(c.period.to()),
        local_regime: Set(c.local_regime),
    }
}

/// Which people's rights a deletion touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The insured persons themselves: their coverage and C2S periods, and the exemptions and
    /// doctor of rank 01.
    Insured,
    /// Their ayants droit: exemptions and doctors of ranks 02–19.
    Beneficiaries,
}

/// Deletes the rights of these members in `scope`, by batches of [`BATCH_ROWS`]; returns how
/// many rows went.
pub async fn delete_of<C: ConnectionTrait>(
    db: &C,
    member_ids: &[Uuid],
    scope: Scope,
) -> Result<u64, StoreError> {
    let mut deleted = 0;
    for chunk in member_ids.chunks(BATCH_ROWS) {
        let ids = || chunk.iter().copied();
        let (exemption_ranks, doctor_ranks) = match scope {
            Scope::Insured => (
                exemption::Column::Rank.eq(1),
                declared_doctor::Column::Rank.eq(1),
            ),
            Scope::Beneficiaries => (
                exemption::Column::Rank.gt(1),
                declared_doctor::Column::Rank.gt(1),
            ),
        };
        deleted += exemption::Entity::delete_many()
            .filter(exemption::Column::MemberId.is_in(ids()))
            .filter(exemption_ranks)
            .exec(db)
            .await?
            .rows_affected;
        deleted += declared_doctor::Entity::delete_many()
            .filter(declared_doctor::Column::MemberId.is_in(ids()))
            .filter(doctor_ranks)
            .exec(db)
            .await?
            .rows_affected;
        if scope == Scope::Insured {
            deleted += coverage_period::Entity::delete_many()
                .filter(coverage_period::Column::MemberId.is_in(ids()))
                .exec(db)
                .await?
                .rows_affected;
            deleted += c2s_period::Entity::delete_many()
                .filter(c2s_period::Column::MemberId.is_in(ids()))
                .exec(db)
                .await?
                .rows_affected;
        }
    }
    Ok(deleted)
}

/// Inserts the rights of several families, by batches of [`BATCH_ROWS`] per table.
pub async fn insert_many<C: ConnectionTrait>(
    db: &C,
    families: Vec<(Uuid, Rights)>,
) -> Result<(), StoreError> {
    let mut coverages = Vec::new();
    let mut exemptions = Vec::new();
    let mut doctors = Vec::new();
    let mut c2s = Vec::new();
    for (member_id, rights) in families {
        coverages.extend(
            rights
                .coverages
                .into_iter()
                .map(|c| coverage_row(member_id, c)),
        );
        exemptions.extend(
            rights
                .exemptions
                .into_iter()
                .map(|e| exemption::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    member_id: Set(member_id),
                    rank: Set(e.rank),
                    nature: Set(e.nature.code().to_owned()),
                    rate_percent: Set(i16::from(e.rate.percent())),
                    valid_from: Set(e.period.from()),
                    valid_to: Set(e.period.to()),
                }),
        );
        doctors.extend(
            rights
                .doctors
                .into_iter()
                .map(|d| declared_doctor::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    member_id: Set(member_id),
                    rank: Set(d.rank),
                    doctor_name: Set(d.name),
                    declared_on: Set(d.declared_on),
                }),
        );
        c2s.extend(rights.c2s.into_iter().map(|p| c2s_period::ActiveModel {
            id: Set(Uuid::now_v7()),
            member_id: Set(member_id),
            kind: Set(p.kind.code().to_owned()),
            valid_from: Set(p.period.from()),
            valid_to: Set(p.period.to()),
        }));
    }
    for batch in coverages.chunks(BATCH_ROWS) {
        coverage_period::Entity::insert_many(batch.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for batch in exemptions.chunks(BATCH_ROWS) {
        exemption::Entity::insert_many(batch.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for batch in doctors.chunks(BATCH_ROWS) {
        declared_doctor::Entity::insert_many(batch.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for batch in c2s.chunks(BATCH_ROWS) {
        c2s_period::Entity::insert_many(batch.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Stores one family's rights (the demo data).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    rights: Rights,
) -> Result<(), StoreError> {
    insert_many(db, vec![(member_id, rights)]).await
}

/// Adds one coverage period (tests and tools).
pub async fn add_coverage<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    coverage: Coverage,
) -> Result<(), StoreError> {
    coverage_row(member_id, coverage).insert(db).await?;
    Ok(())
}

/// Records `doctor` as the médecin traitant of person `doctor.rank` of member `member_id`,
/// replacing the one declared before.
pub async fn replace_doctor<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    doctor: Doctor,
) -> Result<(), StoreError> {
    declared_doctor::Entity::delete_many()
        .filter(declared_doctor::Column::MemberId.eq(member_id))
        .filter(declared_doctor::Column::Rank.eq(doctor.rank))
        .exec(db)
        .await?;
    insert(
        db,
        member_id,
        Rights {
            doctors: vec![doctor],
            ..Rights::default()
        },
    )
    .await
}
