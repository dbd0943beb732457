//! What the claims engine needs of many members at once: who a NIR is, the birth dates of
//! the family by rank, the rights. A few statements per batch of sheets, never one per sheet.

use std::collections::HashMap;

use caisse_domain::{CaisseCode, Nir};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use time::Date;
use uuid::Uuid;

use super::ROWS_PER_STATEMENT;
use crate::StoreError;
use crate::entities::{beneficiary, member};
use crate::rights::{self, Rights};

/// One member's family as the engine sees it. `Debug` shows the id only.
#[derive(Clone)]
pub struct Family {
    /// The member's id.
    pub member_id: Uuid,
    /// The member's NIR.
    pub nir: Nir,
    /// The member's fund.
    pub caisse: CaisseCode,
    /// Birth date by rank (1 is the member).
    pub birth_dates: HashMap<u8, Date>,
    /// The family's rights.
    pub rights: Rights,
}

impl std::fmt::Debug for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Family")
            .field("member_id", &self.member_id)
            .finish_non_exhaustive()
    }
}

type MemberRow = (Uuid, String, String, Date);

/// Id, NIR, fund and birth date of the members `column` matches among `keys`, by chunks.
async fn member_rows<C, V>(
    db: &C,
    column: member::Column,
    keys: impl Iterator<Item = V>,
) -> Result<Vec<MemberRow>, StoreError>
where
    C: ConnectionTrait,
    V: Into<sea_orm::Value>,
{
    let keys: Vec<sea_orm::Value> = keys.map(Into::into).collect();
    let mut rows = Vec::new();
    for chunk in keys.chunks(ROWS_PER_STATEMENT) {
        rows.extend(
            member::Entity::find()
                .select_only()
                .columns([
                    member::Column::Id,
                    member::Column::Nir,
                    member::Column::CaisseCode,
                    member::Column::BirthDate,
                ])
                .filter(column.is_in(chunk.iter().cloned()))
                .into_tuple::<MemberRow>()
                .all(db)
                .await?,
        );
    }
    Ok(rows)
}

/// The families of the members with these NIRs; unknown NIRs are absent.
pub async fn by_nir<C: ConnectionTrait>(
    db: &C,
    nirs: &[Nir],
) -> Result<HashMap<Nir, Family>, StoreError> {
    let rows = member_rows(
        db,
        member::Column::Nir,
        nirs.iter().map(|n| n.as_str().to_owned()),
    )
    .await?;
    let families = families(db, rows).await?;
    Ok(families.into_values().map(|f| (f.nir.clone(), f)).collect())
}

/// The families of these members; unknown ids are absent.
pub async fn by_id<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Family>, StoreError> {
    let rows = member_rows(db, member::Column::Id, ids.iter().copied()).await?;
    families(db, rows).await
}

async fn families<C: ConnectionTrait>(
    db: &C,
    rows: Vec<MemberRow>,
) -> Result<HashMap<Uuid, Family>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|(id, ..)| *id).collect();
    let mut rights = rights::of_members(db, &ids).await?;
    let mut families = HashMap::with_capacity(rows.len());
    for (id, nir, caisse, birth) in rows {
        let corrupt = |column| StoreError::corrupt("members", column, id);
        families.insert(
            id,
            Family {
                member_id: id,
                nir: Nir::parse(&nir).map_err(|_| corrupt("nir"))?,
                caisse: CaisseCode::parse(&caisse).map_err(|_| corrupt("caisse_code"))?,
                birth_dates: HashMap::from([(1, birth)]),
                rights: rights.remove(&id).unwrap_or_default(),
            },
        );
    }
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let ranks: Vec<(Uuid, i16, Date)> = beneficiary::Entity::find()
            .select_only()
            .columns([
                beneficiary::Column::MemberId,
                beneficiary::Column::Rank,
                beneficiary::Column::BirthDate,
            ])
            .filter(beneficiary::Column::MemberId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (member, rank, birth) in ranks {
            if let (Some(family), Ok(rank)) = (families.get_mut(&member), u8::try_from(rank)) {
                family.birth_dates.insert(rank, birth);
            }
        }
    }
    Ok(families)
}
