//! Queries on the rights of the member file: coverage periods, exemptions, declared doctors
//! and C2S periods. Values arrive parsed and are stored in their canonical text form.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::Date;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{c2s_period, coverage_period, declared_doctor, exemption};
use crate::members::BATCH_ROWS;

/// A coverage period to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCoverage {
    /// Two digits, `01` for the régime général.
    pub regime_code: String,
    /// Two digits, e.g. `10`.
    pub code_gestion: String,
    /// Fund code.
    pub caisse_code: String,
    /// First day.
    pub valid_from: Date,
    /// Last day, when known.
    pub valid_to: Option<Date>,
    /// The Alsace-Moselle local regime adds its layer.
    pub local_regime: bool,
}

/// An exemption of the ticket modérateur to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewExemption {
    /// 1 for the insured person, 2–19 for ayants droit.
    pub rank: i16,
    /// `ald`, `maternite`, `invalidite` or `at_mp`.
    pub nature: String,
    /// Whole percent.
    pub rate_percent: i16,
    /// First day.
    pub valid_from: Date,
    /// Last day, when known.
    pub valid_to: Option<Date>,
}

/// A declared médecin traitant to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDoctor {
    /// 1 for the insured person, 2–19 for ayants droit.
    pub rank: i16,
    /// As printed.
    pub doctor_name: String,
    /// Declaration date, when known.
    pub declared_on: Option<Date>,
}

/// A C2S period to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewC2s {
    /// `gratuite` or `participation`.
    pub kind: String,
    /// First day.
    pub valid_from: Date,
    /// Last day, when known.
    pub valid_to: Option<Date>,
}

/// Everything the file says about one family's rights.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewRights {
    /// Coverage periods of the insured person (their family follows them).
    pub coverages: Vec<NewCoverage>,
    /// Exemptions, per person.
    pub exemptions: Vec<NewExemption>,
    /// Declared doctors, per person.
    pub doctors: Vec<NewDoctor>,
    /// C2S periods of the household.
    pub c2s: Vec<NewC2s>,
}

impl NewRights {
    /// True when there is nothing to store.
    pub fn is_empty(&self) -> bool {
        self.coverages.is_empty()
            && self.exemptions.is_empty()
            && self.doctors.is_empty()
            && self.c2s.is_empty()
    }
}

/// The stored rights of one family.
#[derive(Clone, Debug, Default)]
pub struct MemberRights {
    /// Coverage periods, oldest first.
    pub coverages: Vec<coverage_period::Model>,
    /// Exemptions, by rank then start.
    pub exemptions: Vec<exemption::Model>,
    /// Declared doctors, by rank.
    pub doctors: Vec<declared_doctor::Model>,
    /// C2S periods, oldest first.
    pub c2s: Vec<c2s_period::Model>,
}

/// The rights of a member's family.
pub async fn of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<MemberRights, StoreError> {
    Ok(MemberRights {
        coverages: coverage_period::Entity::find()
            .filter(coverage_period::Column::MemberId.eq(member_id))
            .order_by_asc(coverage_period::Column::ValidFrom)
            .all(db)
            .await?,
        exemptions: exemption::Entity::find()
            .filter(exemption::Column::MemberId.eq(member_id))
            .order_by_asc(exemption::Column::Rank)
            .order_by_asc(exemption::Column::ValidFrom)
            .all(db)
            .await?,
        doctors: declared_doctor::Entity::find()
            .filter(declared_doctor::Column::MemberId.eq(member_id))
            .order_by_asc(declared_doctor::Column::Rank)
            .all(db)
            .await?,
        c2s: c2s_period::Entity::find()
            .filter(c2s_period::Column::MemberId.eq(member_id))
            .order_by_asc(c2s_period::Column::ValidFrom)
            .all(db)
            .await?,
    })
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
    families: Vec<(Uuid, NewRights)>,
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
                .map(|c| coverage_period::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    member_id: Set(member_id),
                    regime_code: Set(c.regime_code),
                    code_gestion: Set(c.code_gestion),
                    caisse_code: Set(c.caisse_code),
                    valid_from: Set(c.valid_from),
                    valid_to: Set(c.valid_to),
                    local_regime: Set(c.local_regime),
                }),
        );
        exemptions.extend(
            rights
                .exemptions
                .into_iter()
                .map(|e| exemption::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    member_id: Set(member_id),
                    rank: Set(e.rank),
                    nature: Set(e.nature),
                    rate_percent: Set(e.rate_percent),
                    valid_from: Set(e.valid_from),
                    valid_to: Set(e.valid_to),
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
                    doctor_name: Set(d.doctor_name),
                    declared_on: Set(d.declared_on),
                }),
        );
        c2s.extend(rights.c2s.into_iter().map(|p| c2s_period::ActiveModel {
            id: Set(Uuid::now_v7()),
            member_id: Set(member_id),
            kind: Set(p.kind),
            valid_from: Set(p.valid_from),
            valid_to: Set(p.valid_to),
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
    rights: NewRights,
) -> Result<(), StoreError> {
    insert_many(db, vec![(member_id, rights)]).await
}

/// Adds one coverage period (tests and tools).
pub async fn add_coverage<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    coverage: NewCoverage,
) -> Result<(), StoreError> {
    coverage_period::ActiveModel {
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        regime_code: Set(coverage.regime_code),
        code_gestion: Set(coverage.code_gestion),
        caisse_code: Set(coverage.caisse_code),
        valid_from: Set(coverage.valid_from),
        valid_to: Set(coverage.valid_to),
        local_regime: Set(coverage.local_regime),
    }
    .insert(db)
    .await?;
    Ok(())
}
