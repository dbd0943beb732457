//! Queries on the member file (`members`, `beneficiaries`) and portal accounts (`accounts`).

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::entities::{account, beneficiary, member};
use crate::{StoreError, normalize_instant};

/// A member-file record to insert. Values arrive already parsed into valid domain values and
/// are stored in their canonical text form.
#[derive(Clone, Debug)]
pub struct NewMember {
    /// The 15-character NIR.
    pub nir: String,
    /// Birth name.
    pub last_name: String,
    /// Usage name, when different.
    pub usage_name: Option<String>,
    /// First name.
    pub first_name: String,
    /// Birth date.
    pub birth_date: Date,
    /// "1" or "2".
    pub sex: String,
    /// Fund code.
    pub caisse_code: String,
    /// Carte Vitale serial number.
    pub vitale_serial: Option<String>,
    /// Street line.
    pub address_line1: String,
    /// Complement line.
    pub address_line2: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// City.
    pub city: String,
    /// Contact email held by the fund.
    pub email: Option<String>,
    /// Mobile phone, E.164.
    pub phone: Option<String>,
    /// Bank details on file, canonical IBAN.
    pub iban: Option<String>,
}

/// A beneficiary to insert.
#[derive(Clone, Debug)]
pub struct NewBeneficiary {
    /// Rank, 2 to 19 (the member is rank 1).
    pub rank: i16,
    /// Last name.
    pub last_name: String,
    /// First name.
    pub first_name: String,
    /// Birth date.
    pub birth_date: Date,
    /// "1" or "2".
    pub sex: String,
}

/// The row of a member-file record; `now` must already be normalised.
fn member_row(id: Uuid, new: NewMember, now: OffsetDateTime) -> member::ActiveModel {
    member::ActiveModel {
        id: Set(id),
        nir: Set(new.nir),
        last_name: Set(new.last_name),
        usage_name: Set(new.usage_name),
        first_name: Set(new.first_name),
        birth_date: Set(new.birth_date),
        sex: Set(new.sex),
        caisse_code: Set(new.caisse_code),
        vitale_serial: Set(new.vitale_serial),
        address_line1: Set(new.address_line1),
        address_line2: Set(new.address_line2),
        postal_code: Set(new.postal_code),
        city: Set(new.city),
        email: Set(new.email),
        phone: Set(new.phone),
        iban: Set(new.iban),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Inserts a member and their beneficiaries; returns the new member id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewMember,
    beneficiaries: Vec<NewBeneficiary>,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let now = normalize_instant(now);
    let id = Uuid::now_v7();
    member_row(id, new, now).insert(db).await?;
    for b in beneficiaries {
        beneficiary::ActiveModel {
            id: Set(Uuid::now_v7()),
            member_id: Set(id),
            rank: Set(b.rank),
            last_name: Set(b.last_name),
            first_name: Set(b.first_name),
            birth_date: Set(b.birth_date),
            sex: Set(b.sex),
        }
        .insert(db)
        .await?;
    }
    Ok(id)
}

/// The member with this NIR (15 characters).
pub async fn find_by_nir<C: ConnectionTrait>(
    db: &C,
    nir: &str,
) -> Result<Option<member::Model>, StoreError> {
    Ok(member::Entity::find()
        .filter(member::Column::Nir.eq(nir))
        .one(db)
        .await?)
}

/// The member with this id.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<member::Model>, StoreError> {
    Ok(member::Entity::find_by_id(id).one(db).await?)
}

/// A member with their portal account, if they have one, in one query.
pub async fn with_account<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<(member::Model, Option<account::Model>)>, StoreError> {
    Ok(member::Entity::find_by_id(id)
        .find_also_related(account::Entity)
        .one(db)
        .await?)
}

/// The members of `ids` that exist, each with their portal account if they have one, in one
/// query.
pub async fn with_accounts<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<Vec<(member::Model, Option<account::Model>)>, StoreError> {
    Ok(member::Entity::find()
        .filter(member::Column::Id.is_in(ids.iter().copied()))
        .find_also_related(account::Entity)
        .all(db)
        .await?)
}

/// A member's beneficiaries, by rank.
pub async fn beneficiaries<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<beneficiary::Model>, StoreError> {
    Ok(beneficiary::Entity::find()
        .filter(beneficiary::Column::MemberId.eq(member_id))
        .order_by_asc(beneficiary::Column::Rank)
        .all(db)
        .await?)
}

/// How many members the file holds.
pub async fn count<C: ConnectionTrait>(db: &C) -> Result<u64, StoreError> {
    Ok(member::Entity::find().count(db).await?)
}

/// Account states.
pub mod account_status {
    /// Registered online; waits for the activation link.
    pub const PENDING: &str = "pending";
    /// The member can log in.
    pub const ACTIVE: &str = "active";
    /// Locked by the fund after suspicious activity; an advisor lifts it.
    pub const SUSPENDED: &str = "suspended";
    /// Closed by the member; a provisional code reopens it.
    pub const CLOSED: &str = "closed";
}

/// Creates the portal account of a member.
pub async fn create_account<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    password_hash: String,
    status: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let now = normalize_instant(now);
    account::ActiveModel {
        member_id: Set(member_id),
        password_hash: Set(password_hash),
        status: Set(status.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        notify_email: Set(true),
        notify_sms: Set(false),
        bank_frozen: Set(false),
        closed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A member's portal account, if they opened one.
pub async fn account<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Option<account::Model>, StoreError> {
    Ok(account::Entity::find_by_id(member_id).one(db).await?)
}

/// A subquery: the ids of the members whose account is active.
pub(crate) fn active_account_ids() -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(account::Column::MemberId)
        .from(account::Entity)
        .and_where(account::Column::Status.eq(account_status::ACTIVE))
        .to_owned()
}

/// Holds the member's account row until the end of the transaction, so counts read next (codes
/// sent lately) cannot be raced by another request for the same member: a write that changes
/// nothing, which takes SQLite's write lock and PostgreSQL's row lock. Returns whether the
/// account exists. Call inside a transaction.
pub async fn hold_account<C: ConnectionTrait>(db: &C, member_id: Uuid) -> Result<bool, StoreError> {
    let result = account::Entity::update_many()
        .col_expr(
            account::Column::MemberId,
            Expr::col(account::Column::MemberId),
        )
        .filter(account::Column::MemberId.eq(member_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Replaces the stored password hash (e.g. a rehash after the Argon2 parameters changed).
pub async fn set_password_hash<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    password_hash: String,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    account::ActiveModel {
        member_id: Set(member_id),
        password_hash: Set(password_hash),
        updated_at: Set(normalize_instant(now)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Rows per statement in the batched functions below. 500 members × 17 columns stay far
/// below the bind-parameter limits (32,766 in SQLite, 65,535 in PostgreSQL) while making a
/// 100,000-row import a few hundred statements instead of 100,000.
pub const BATCH_ROWS: usize = 500;

/// The members with these NIRs (15 characters), in no particular order; unknown NIRs are
/// simply absent. Queried by batches of [`BATCH_ROWS`].
pub async fn find_by_nirs<C: ConnectionTrait>(
    db: &C,
    nirs: &[String],
) -> Result<Vec<member::Model>, StoreError> {
    let mut found = Vec::new();
    for chunk in nirs.chunks(BATCH_ROWS) {
        found.extend(
            member::Entity::find()
                .filter(member::Column::Nir.is_in(chunk.iter().map(String::as_str)))
                .all(db)
                .await?,
        );
    }
    Ok(found)
}

/// Writes member-file records by batches of [`BATCH_ROWS`]: a NIR already stored has its
/// record replaced (identity, fund, carte Vitale, address, contact) and keeps its id and
/// creation date; a new NIR is inserted under the id given with it.
///
/// The caller passes the stored id of a known NIR (from [`find_by_nirs`]) so that it can
/// attach beneficiaries without reading the rows back.
pub async fn upsert_many<C: ConnectionTrait>(
    db: &C,
    records: Vec<(Uuid, NewMember)>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let now = normalize_instant(now);
    // One `INSERT … ON CONFLICT (nir) DO UPDATE` per batch, the same on SQLite and
    // PostgreSQL: an update per known member would cost one round trip each.
    let on_conflict = OnConflict::column(member::Column::Nir)
        .update_columns([
            member::Column::LastName,
            member::Column::UsageName,
            member::Column::FirstName,
            member::Column::BirthDate,
            member::Column::Sex,
            member::Column::CaisseCode,
            member::Column::VitaleSerial,
            member::Column::AddressLine1,
            member::Column::AddressLine2,
            member::Column::PostalCode,
            member::Column::City,
            member::Column::Email,
            member::Column::Phone,
            member::Column::Iban,
            member::Column::UpdatedAt,
        ])
        .to_owned();
    let mut records = records.into_iter().peekable();
    while records.peek().is_some() {
        let batch = records
            .by_ref()
            .take(BATCH_ROWS)
            .map(|(id, new)| member_row(id, new, now));
        member::Entity::insert_many(batch)
            .on_conflict(on_conflict.clone())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Deletes every beneficiary of these members, by batches of [`BATCH_ROWS`]; returns how
/// many were deleted.
pub async fn delete_beneficiaries_of<C: ConnectionTrait>(
    db: &C,
    member_ids: &[Uuid],
) -> Result<u64, StoreError> {
    let mut deleted = 0;
    for chunk in member_ids.chunks(BATCH_ROWS) {
        deleted += beneficiary::Entity::delete_many()
            .filter(beneficiary::Column::MemberId.is_in(chunk.iter().copied()))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(deleted)
}

/// Inserts beneficiaries of several members, by batches of [`BATCH_ROWS`].
pub async fn insert_beneficiaries<C: ConnectionTrait>(
    db: &C,
    beneficiaries: Vec<(Uuid, NewBeneficiary)>,
) -> Result<(), StoreError> {
    let mut rows = beneficiaries.into_iter().peekable();
    while rows.peek().is_some() {
        let batch = rows
            .by_ref()
            .take(BATCH_ROWS)
            .map(|(member_id, b)| beneficiary::ActiveModel {
                id: Set(Uuid::now_v7()),
                member_id: Set(member_id),
                rank: Set(b.rank),
                last_name: Set(b.last_name),
                first_name: Set(b.first_name),
                birth_date: Set(b.birth_date),
                sex: Set(b.sex),
            });
        beneficiary::Entity::insert_many(batch)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Replaces a pending registration (new password) or opens a pending account; `exists` says
/// which (the caller has read the account already, and a transaction that reads before it
/// writes risks SQLite's busy-snapshot refusal).
pub async fn put_pending_account<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    password_hash: String,
    exists: bool,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    if !exists {
        return create_account(db, member_id, password_hash, account_status::PENDING, now).await;
    }
    account::ActiveModel {
        member_id: Set(member_id),
        password_hash: Set(password_hash),
        status: Set(account_status::PENDING.to_owned()),
        updated_at: Set(normalize_instant(now)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Changes an account's state; `closed_at` is set when closing and cleared otherwise.
pub async fn set_account_status<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    status: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let now = normalize_instant(now);
    account::ActiveModel {
        member_id: Set(member_id),
        status: Set(status.to_owned()),
        closed_at: Set((status == account_status::CLOSED).then_some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Sets the notification preferences.
pub async fn set_notifications<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    by_email: bool,
    by_sms: bool,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    account::ActiveModel {
        member_id: Set(member_id),
        notify_email: Set(by_email),
        notify_sms: Set(by_sms),
        updated_at: Set(normalize_instant(now)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Freezes or unfreezes bank-detail changes.
pub async fn set_bank_frozen<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    frozen: bool,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    account::ActiveModel {
        member_id: Set(member_id),
        bank_frozen: Set(frozen),
        updated_at: Set(normalize_instant(now)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// A change of the contact data or bank details in the member file.
#[derive(Clone, Debug)]
pub enum ContactChange {
    /// New email address.
    Email(String),
    /// New mobile number (E.164).
    Phone(String),
    /// New bank details (canonical IBAN).
    Iban(String),
    /// New postal address.
    Address {
        /// Street line.
        line1: String,
        /// Complement line.
        line2: Option<String>,
        /// Postal code.
        postal_code: String,
        /// City.
        city: String,
    },
}

/// Writes a change of contact data into the member file.
pub async fn change_contact<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    change: ContactChange,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut row = member::ActiveModel {
        id: Set(member_id),
        updated_at: Set(normalize_instant(now)),
        ..Default::default()
    };
    match change {
        ContactChange::Email(email) => row.email = Set(Some(email)),
        ContactChange::Phone(phone) => row.phone = Set(Some(phone)),
        ContactChange::Iban(iban) => row.iban = Set(Some(iban)),
        ContactChange::Address {
            line1,
            line2,
            postal_code,
            city,
        } => {
            row.address_line1 = Set(line1);
            row.address_line2 = Set(line2);
            row.postal_code = Set(postal_code);
            row.city = Set(city);
        }
    }
    row.update(db).await?;
    Ok(())
}

/// True when another member whose account is open (pending, active or suspended) uses this
/// email address, compared case-insensitively: an address belongs to one person.
pub async fn email_taken_by_other<C: ConnectionTrait>(
    db: &C,
    email: &str,
    member_id: Uuid,
) -> Result<bool, StoreError> {
    Ok(other_holder_of_email(db, email, member_id).await?.is_some())
}

/// The other member whose account is open (pending, active or suspended) and who uses this
/// email address, compared case-insensitively, if any.
pub async fn other_holder_of_email<C: ConnectionTrait>(
    db: &C,
    email: &str,
    member_id: Uuid,
) -> Result<Option<member::Model>, StoreError> {
    use sea_orm::sea_query::{ExprTrait, Func, Query};
    let open_accounts = Query::select()
        .column(account::Column::MemberId)
        .from(account::Entity)
        .and_where(account::Column::Status.ne(account_status::CLOSED))
        .to_owned();
    Ok(member::Entity::find()
        .filter(Expr::expr(Func::lower(Expr::col(member::Column::Email))).eq(email.to_lowercase()))
        .filter(member::Column::Id.ne(member_id))
        .filter(member::Column::Id.in_subquery(open_accounts))
        .one(db)
        .await?)
}
