//! A fund's FAQ entries and every saved version of each. Members read the published version;
//! the back office edits a draft version beside it. Each publication, withdrawal or return
//! bumps the fund's generation (`faq_funds`), which tells every node to rebuild its index.

use std::collections::HashMap;

use caisse_domain::help::{Category, EntryStatus, FaqContent, FaqLink, FaqSlug};
use caisse_domain::{CaisseCode, Instant};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{faq_entry, faq_fund, faq_version};

/// One saved version of an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// Its number, from 1.
    pub number: i32,
    /// What it says.
    pub content: FaqContent,
    /// Who saved it; `None`: shipped with Caisse.
    pub saved_by: Option<Uuid>,
    /// When.
    pub saved_at: OffsetDateTime,
    /// When it was published, and by whom (`None` for the shipped ones).
    pub published: Option<(OffsetDateTime, Option<Uuid>)>,
}

/// An entry with every version, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Id.
    pub id: Uuid,
    /// Its fund.
    pub caisse: CaisseCode,
    /// Its key in URLs.
    pub slug: FaqSlug,
    /// The version members read.
    pub published_version: Option<i32>,
    /// The version saved since, not yet published.
    pub draft_version: Option<i32>,
    /// When it was withdrawn.
    pub archived_at: Option<OffsetDateTime>,
    /// Every version, newest first.
    pub versions: Vec<Version>,
}

impl Entry {
    /// Where it stands: archived, published (perhaps with a draft beside), or a draft only.
    #[must_use]
    pub fn status(&self) -> EntryStatus {
        if self.archived_at.is_some() {
            EntryStatus::Archived
        } else if self.published_version.is_some() {
            EntryStatus::Published
        } else {
            EntryStatus::Draft
        }
    }

    /// The version the back office edits: the draft, else the published one.
    #[must_use]
    pub fn current(&self) -> Option<&Version> {
        let number = self.draft_version.or(self.published_version)?;
        self.versions.iter().find(|v| v.number == number)
    }

    /// The version members read.
    #[must_use]
    pub fn published(&self) -> Option<&Version> {
        let number = self.published_version?;
        self.versions.iter().find(|v| v.number == number)
    }
}

/// A published entry, as members read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// Id.
    pub id: Uuid,
    /// Its key in URLs.
    pub slug: FaqSlug,
    /// What it says.
    pub content: FaqContent,
    /// When this version was published (or loaded, for the shipped ones).
    pub published_at: OffsetDateTime,
}

fn content_of(row: &faq_version::Model) -> Result<FaqContent, StoreError> {
    let corrupt = |column| StoreError::corrupt("faq_versions", column, row.id);
    let category = Category::parse(&row.category).ok_or_else(|| corrupt("category"))?;
    let link = match (&row.link_label, &row.link_href) {
        (Some(label), Some(href)) => Some(FaqLink::new(label, href).map_err(|_| corrupt("link"))?),
        _ => None,
    };
    let alternatives: Vec<String> = row.alternatives.lines().map(str::to_owned).collect();
    FaqContent::new(
        category,
        &row.question,
        &alternatives,
        &row.answer,
        link,
        row.review_on,
    )
    .map_err(|_| corrupt("content"))
}

fn version_of(row: &faq_version::Model) -> Result<Version, StoreError> {
    Ok(Version {
        number: row.version,
        content: content_of(row)?,
        saved_by: row.saved_by,
        saved_at: row.saved_at,
        published: row.published_at.map(|at| (at, row.published_by)),
    })
}

fn entry_of(row: faq_entry::Model, versions: Vec<Version>) -> Result<Entry, StoreError> {
    let corrupt = |column| StoreError::corrupt("faq_entries", column, row.id);
    Ok(Entry {
        caisse: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        slug: FaqSlug::parse(&row.slug).map_err(|_| corrupt("slug"))?,
        id: row.id,
        published_version: row.published_version,
        draft_version: row.draft_version,
        archived_at: row.archived_at,
        versions,
    })
}

fn version_row(
    entry_id: Uuid,
    number: i32,
    content: &FaqContent,
    saved_by: Option<Uuid>,
    now: Instant,
) -> faq_version::ActiveModel {
    faq_version::ActiveModel {
        id: Set(Uuid::new_v4()),
        entry_id: Set(entry_id),
        version: Set(number),
        category: Set(content.category.code().to_owned()),
        question: Set(content.question().to_owned()),
        alternatives: Set(content.alternatives().join("\n")),
        answer: Set(content.answer().to_owned()),
        link_label: Set(content.link.as_ref().map(|l| l.label().to_owned())),
        link_href: Set(content.link.as_ref().map(|l| l.href().to_owned())),
        review_on: Set(content.review_on),
        saved_by: Set(saved_by),
        saved_at: Set(now.get()),
        published_at: Set(saved_by.is_none().then(|| now.get())),
        published_by: Set(None),
    }
}

/// The generation of fund `caisse`'s published entries; `None` if its FAQ was never loaded.
pub async fn generation<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
) -> Result<Option<i64>, StoreError> {
    Ok(faq_fund::Entity::find_by_id(caisse.as_str().to_owned())
        .one(db)
        .await?
        .map(|row| row.generation))
}

/// The funds whose FAQ is in the database.
pub async fn funds<C: ConnectionTrait>(db: &C) -> Result<Vec<CaisseCode>, StoreError> {
    faq_fund::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            CaisseCode::parse(&row.caisse_code)
                .map_err(|_| StoreError::corrupt("faq_funds", "caisse_code", &row.caisse_code))
        })
        .collect()
}

/// Loads `shipped` as fund `caisse`'s FAQ, published, unless the fund already has one (another
/// node may have done it first: the fund's row is the one insert that can collide). Returns
/// whether it loaded them. Run it in a transaction.
pub async fn seed<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    shipped: &[(FaqSlug, FaqContent)],
    now: Instant,
) -> Result<bool, StoreError> {
    let inserted = faq_fund::Entity::insert(faq_fund::ActiveModel {
        caisse_code: Set(caisse.as_str().to_owned()),
        generation: Set(1),
        seeded_at: Set(now.get()),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    if matches!(inserted, sea_orm::TryInsertResult::Conflicted) {
        return Ok(false);
    }
    let mut entries = Vec::with_capacity(shipped.len());
    let mut versions = Vec::with_capacity(shipped.len());
    for (slug, content) in shipped {
        let id = Uuid::new_v4();
        entries.push(faq_entry::ActiveModel {
            id: Set(id),
            caisse_code: Set(caisse.as_str().to_owned()),
            slug: Set(slug.as_str().to_owned()),
            created_at: Set(now.get()),
            published_version: Set(Some(1)),
            draft_version: Set(None),
            archived_at: Set(None),
        });
        versions.push(version_row(id, 1, content, None, now));
    }
    // Bounded batches: SQLite takes at most 32,766 bound values per statement.
    for chunk in entries.chunks(500) {
        faq_entry::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    for chunk in versions.chunks(200) {
        faq_version::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(true)
}

/// Fund `caisse`'s published entries (not withdrawn), in slug order.
pub async fn published<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
) -> Result<Vec<Published>, StoreError> {
    let entries = faq_entry::Entity::find()
        .filter(faq_entry::Column::CaisseCode.eq(caisse.as_str()))
        .filter(faq_entry::Column::PublishedVersion.is_not_null())
        .filter(faq_entry::Column::ArchivedAt.is_null())
        .order_by_asc(faq_entry::Column::Slug)
        .all(db)
        .await?;
    let mut wanted: HashMap<Uuid, i32> = HashMap::with_capacity(entries.len());
    for entry in &entries {
        if let Some(number) = entry.published_version {
            wanted.insert(entry.id, number);
        }
    }
    let mut versions: HashMap<Uuid, faq_version::Model> = HashMap::with_capacity(entries.len());
    for row in faq_version::Entity::find()
        .filter(
            faq_version::Column::EntryId.in_subquery(
                Query::select()
                    .column(faq_entry::Column::Id)
                    .from(faq_entry::Entity)
                    .and_where(Expr::col(faq_entry::Column::CaisseCode).eq(caisse.as_str()))
                    .to_owned(),
            ),
        )
        .filter(faq_version::Column::PublishedAt.is_not_null())
        .all(db)
        .await?
    {
        if wanted.get(&row.entry_id) == Some(&row.version) {
            versions.insert(row.entry_id, row);
        }
    }
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let Some(version) = versions.get(&entry.id) else {
            return Err(StoreError::corrupt(
                "faq_entries",
                "published_version",
                entry.id,
            ));
        };
        out.push(Published {
            slug: FaqSlug::parse(&entry.slug)
                .map_err(|_| StoreError::corrupt("faq_entries", "slug", entry.id))?,
            content: content_of(version)?,
            published_at: version.published_at.unwrap_or(version.saved_at),
            id: entry.id,
        });
    }
    Ok(out)
}

/// Every entry of fund `caisse` with every version (the back office's list and page).
pub async fn all_of_fund<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
) -> Result<Vec<Entry>, StoreError> {
    let rows = faq_entry::Entity::find()
        .filter(faq_entry::Column::CaisseCode.eq(caisse.as_str()))
        .order_by_asc(faq_entry::Column::Slug)
        .all(db)
        .await?;
    let mut versions: HashMap<Uuid, Vec<Version>> = HashMap::new();
    for row in faq_version::Entity::find()
        .filter(
            faq_version::Column::EntryId.in_subquery(
                Query::select()
                    .column(faq_entry::Column::Id)
                    .from(faq_entry::Entity)
                    .and_where(Expr::col(faq_entry::Column::CaisseCode).eq(caisse.as_str()))
                    .to_owned(),
            ),
        )
        .order_by_desc(faq_version::Column::Version)
        .all(db)
        .await?
    {
        versions
            .entry(row.entry_id)
            .or_default()
            .push(version_of(&row)?);
    }
    rows.into_iter()
        .map(|row| {
            let of_row = versions.remove(&row.id).unwrap_or_default();
            entry_of(row, of_row)
        })
        .collect()
}

/// Entry `id` of fund `caisse` with every version; `None` if it is not that fund's.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    id: Uuid,
) -> Result<Option<Entry>, StoreError> {
    let Some(row) = faq_entry::Entity::find_by_id(id)
        .filter(faq_entry::Column::CaisseCode.eq(caisse.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let versions = faq_version::Entity::find()
        .filter(faq_version::Column::EntryId.eq(id))
        .order_by_desc(faq_version::Column::Version)
        .all(db)
        .await?
        .iter()
        .map(version_of)
        .collect::<Result<Vec<_>, _>>()?;
    entry_of(row, versions).map(Some)
}

/// Whether fund `caisse` has an entry at `slug`.
pub async fn slug_taken<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    slug: &FaqSlug,
) -> Result<bool, StoreError> {
    Ok(faq_entry::Entity::find()
        .select_only()
        .column(faq_entry::Column::Id)
        .filter(faq_entry::Column::CaisseCode.eq(caisse.as_str()))
        .filter(faq_entry::Column::Slug.eq(slug.as_str()))
        .into_tuple::<Uuid>()
        .one(db)
        .await?
        .is_some())
}

/// A new entry of fund `caisse`, its version 1 a draft saved by `staff_id`.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    caisse: CaisseCode,
    slug: &FaqSlug,
    content: &FaqContent,
    staff_id: Uuid,
    now: Instant,
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    faq_entry::ActiveModel {
        id: Set(id),
        caisse_code: Set(caisse.as_str().to_owned()),
        slug: Set(slug.as_str().to_owned()),
        created_at: Set(now.get()),
        published_version: Set(None),
        draft_version: Set(Some(1)),
        archived_at: Set(None),
    }
    .insert(db)
    .await?;
    version_row(id, 1, content, Some(staff_id), now)
        .insert(db)
        .await?;
    Ok(id)
}

/// Saves `content` as a new draft version of `entry` (the last saved plus one); returns its
/// number.
pub async fn save_draft<C: ConnectionTrait>(
    db: &C,
    entry: &Entry,
    content: &FaqContent,
    staff_id: Uuid,
    now: Instant,
) -> Result<i32, StoreError> {
    let number = entry.versions.iter().map(|v| v.number).max().unwrap_or(0) + 1;
    version_row(entry.id, number, content, Some(staff_id), now)
        .insert(db)
        .await?;
    faq_entry::Entity::update_many()
        .col_expr(faq_entry::Column::DraftVersion, Expr::value(number))
        .filter(faq_entry::Column::Id.eq(entry.id))
        .exec(db)
        .await?;
    Ok(number)
}

/// Publishes `entry`'s draft, if it is still `draft` (two supervisors publishing at once:
/// one does it); returns whether this call did.
pub async fn publish<C: ConnectionTrait>(
    db: &C,
    entry: &Entry,
    draft: i32,
    staff_id: Uuid,
    now: Instant,
) -> Result<bool, StoreError> {
    let moved = faq_entry::Entity::update_many()
        .col_expr(faq_entry::Column::PublishedVersion, Expr::value(draft))
        .col_expr(
            faq_entry::Column::DraftVersion,
            Expr::value(Option::<i32>::None),
        )
        .col_expr(
            faq_entry::Column::ArchivedAt,
            Expr::value(Option::<OffsetDateTime>::None),
        )
        .filter(faq_entry::Column::Id.eq(entry.id))
        .filter(faq_entry::Column::DraftVersion.eq(draft))
        .exec(db)
        .await?;
    if moved.rows_affected == 0 {
        return Ok(false);
    }
    faq_version::Entity::update_many()
        .col_expr(faq_version::Column::PublishedAt, Expr::value(now.get()))
        .col_expr(faq_version::Column::PublishedBy, Expr::value(staff_id))
        .filter(faq_version::Column::EntryId.eq(entry.id))
        .filter(faq_version::Column::Version.eq(draft))
        .exec(db)
        .await?;
    bump(db, entry.caisse).await?;
    Ok(true)
}

/// Withdraws `entry` (`archived`) or brings it back; returns whether it changed.
pub async fn set_archived<C: ConnectionTrait>(
    db: &C,
    entry: &Entry,
    archived: bool,
    now: Instant,
) -> Result<bool, StoreError> {
    let mut update = faq_entry::Entity::update_many().filter(faq_entry::Column::Id.eq(entry.id));
    update = if archived {
        update
            .col_expr(faq_entry::Column::ArchivedAt, Expr::value(now.get()))
            .filter(faq_entry::Column::ArchivedAt.is_null())
    } else {
        update
            .col_expr(
                faq_entry::Column::ArchivedAt,
                Expr::value(Option::<OffsetDateTime>::None),
            )
            .filter(faq_entry::Column::ArchivedAt.is_not_null())
    };
    let changed = update.exec(db).await?.rows_affected > 0;
    if changed {
        bump(db, entry.caisse).await?;
    }
    Ok(changed)
}

/// Tells every node that fund `caisse`'s published entries changed.
async fn bump<C: ConnectionTrait>(db: &C, caisse: CaisseCode) -> Result<(), StoreError> {
    faq_fund::Entity::update_many()
        .col_expr(
            faq_fund::Column::Generation,
            Expr::col(faq_fund::Column::Generation).add(1),
        )
        .filter(faq_fund::Column::CaisseCode.eq(caisse.as_str()))
        .exec(db)
        .await?;
    Ok(())
}
