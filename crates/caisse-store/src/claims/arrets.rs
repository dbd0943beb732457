//! `arrets`: the accepted arrêts de travail. The unique (fund, employer, reference) is what
//! makes an arrêt sent twice stored once; the importer reads an arrêt already stored to tell
//! a resending from a correction.

use caisse_domain::claims::{ArretDeTravail, ArretKind, Siret, Subrogation};
use caisse_domain::{AmountCents, CaisseCode, Iban, Instant};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use time::Date;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::arret::{ActiveModel, Column, Entity, Model};
use crate::one_time::instant;

/// An arrêt to store.
pub struct NewArret<'a> {
    /// The fund.
    pub caisse: CaisseCode,
    /// The insured member.
    pub member_id: Uuid,
    /// The beneficiary's rank.
    pub rank: u8,
    /// The sender's reference.
    pub reference: &'a str,
    /// The arrêt.
    pub arret: &'a ArretDeTravail,
    /// Where the employer's IJ go under subrogation.
    pub employer_iban: Option<&'a Iban>,
    /// The employer's name, for its transfers.
    pub employer_name: Option<&'a str>,
}

/// An arrêt as stored. `Debug` shows neither the salaries nor the IBAN.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredArret {
    /// Id.
    pub id: Uuid,
    /// The fund.
    pub caisse: CaisseCode,
    /// The insured member.
    pub member_id: Uuid,
    /// The beneficiary's rank.
    pub rank: u8,
    /// The sender's reference.
    pub reference: String,
    /// The arrêt.
    pub arret: ArretDeTravail,
    /// Where the employer's IJ go under subrogation.
    pub employer_iban: Option<Iban>,
    /// The employer's name.
    pub employer_name: Option<String>,
    /// When it was accepted.
    pub received_at: Instant,
}

impl std::fmt::Debug for StoredArret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredArret")
            .field("id", &self.id)
            .field("arret", &self.arret)
            .finish_non_exhaustive()
    }
}

fn stored(row: Model) -> Result<StoredArret, StoreError> {
    let corrupt = |column| StoreError::corrupt("arrets", column, row.id);
    Ok(StoredArret {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        rank: u8::try_from(row.rank).map_err(|_| corrupt("rank"))?,
        arret: ArretDeTravail {
            kind: ArretKind::parse(&row.kind).map_err(|_| corrupt("kind"))?,
            start: row.starts_on,
            end: row.ends_on,
            employer: Siret::parse(&row.employer).map_err(|_| corrupt("employer"))?,
            gross_salaries: [row.salary_1_cents, row.salary_2_cents, row.salary_3_cents]
                .map(AmountCents::new),
            subrogation: row.subrogation_until.map(|until| Subrogation { until }),
            carence_applies: row.carence_applies,
            ald: row.ald,
        },
        employer_iban: row
            .employer_iban
            .as_deref()
            .map(Iban::parse)
            .transpose()
            .map_err(|_| corrupt("employer_iban"))?,
        id: row.id,
        member_id: row.member_id,
        reference: row.reference,
        employer_name: row.employer_name,
        received_at: instant(row.received_at),
    })
}

/// Stores an arrêt: `Some(id)` when it is new, `None` when (fund, employer, reference) is
/// already taken (a concurrent import waits on the unique index, then finds it taken).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: &NewArret<'_>,
    now: Instant,
) -> Result<Option<Uuid>, StoreError> {
    let id = Uuid::now_v7();
    let a = new.arret;
    let inserted = Entity::insert(ActiveModel {
        id: Set(id),
        caisse_code: Set(new.caisse.as_str().to_owned()),
        member_id: Set(new.member_id),
        rank: Set(i16::from(new.rank)),
        employer: Set(a.employer.as_str().to_owned()),
        reference: Set(new.reference.to_owned()),
        kind: Set(a.kind.code().to_owned()),
        starts_on: Set(a.start),
        ends_on: Set(a.end),
        salary_1_cents: Set(a.gross_salaries[0].cents()),
        salary_2_cents: Set(a.gross_salaries[1].cents()),
        salary_3_cents: Set(a.gross_salaries[2].cents()),
        subrogation_until: Set(a.subrogation.map(|s| s.until)),
        employer_iban: Set(new.employer_iban.map(|i| i.as_str().to_owned())),
        employer_name: Set(new.employer_name.map(str::to_owned)),
        carence_applies: Set(a.carence_applies),
        ald: Set(a.ald),
        received_at: Set(now.get()),
    })
    .on_conflict(
        OnConflict::columns([Column::CaisseCode, Column::Employer, Column::Reference])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok((inserted == 1).then_some(id))
}

/// The arrêt (fund, employer, reference), if stored.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    employer: &Siret,
    reference: &str,
) -> Result<Option<StoredArret>, StoreError> {
    Entity::find()
        .filter(Column::CaisseCode.eq(caisse.as_str()))
        .filter(Column::Employer.eq(employer.as_str()))
        .filter(Column::Reference.eq(reference))
        .one(db)
        .await?
        .map(stored)
        .transpose()
}

/// The arrêt of this id, if any.
pub async fn by_id<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<StoredArret>, StoreError> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(stored)
        .transpose()
}

/// Whether the beneficiary (member, rank) has an arrêt with a day in `start..=end`.
pub async fn overlaps<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    rank: u8,
    start: Date,
    end: Date,
) -> Result<bool, StoreError> {
    let n = Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .filter(Column::Rank.eq(i16::from(rank)))
        .filter(Column::StartsOn.lte(end))
        .filter(Column::EndsOn.gte(start))
        .count(db)
        .await?;
    Ok(n > 0)
}

/// A member's arrêts, oldest first.
pub async fn of_member<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<StoredArret>, StoreError> {
    use sea_orm::QueryOrder;
    Entity::find()
        .filter(Column::MemberId.eq(member_id))
        .order_by_asc(Column::StartsOn)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}
