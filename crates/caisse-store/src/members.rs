//! Queries on the member file (`members`, `beneficiaries`) and portal accounts (`accounts`).
//!
//! Values arrive parsed into domain types and are stored in their canonical text form; what
//! comes back is parsed again into [`MemberRecord`], [`Beneficiary`] and [`Account`], a stored
//! value that no longer parses being [`StoreError::Corrupt`].

use caisse_domain::{
    AccountStatus, CaisseCode, Email, Iban, Instant, Nir, PhoneNumber, Sex, VitaleSerial,
};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use time::Date;
use uuid::Uuid;

use crate::StoreError;
use crate::entities::{account, beneficiary, member};
use crate::one_time::instant;

/// A member-file record to insert. `Debug` shows only the fund.
#[derive(Clone)]
pub struct NewMember {
    /// The NIR.
    pub nir: Nir,
    /// Birth name.
    pub last_name: String,
    /// Usage name, when different.
    pub usage_name: Option<String>,
    /// First name.
    pub first_name: String,
    /// Birth date.
    pub birth_date: Date,
    /// Sex as registered.
    pub sex: Sex,
    /// Fund.
    pub caisse_code: CaisseCode,
    /// Carte Vitale serial number.
    pub vitale_serial: Option<VitaleSerial>,
    /// Street line.
    pub address_line1: String,
    /// Complement line.
    pub address_line2: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// City.
    pub city: String,
    /// Contact email held by the fund.
    pub email: Option<Email>,
    /// Mobile phone.
    pub phone: Option<PhoneNumber>,
    /// Bank details on file.
    pub iban: Option<Iban>,
}

impl std::fmt::Debug for NewMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMember")
            .field("caisse_code", &self.caisse_code)
            .finish_non_exhaustive()
    }
}

/// A member-file record as stored. `Debug` shows only the id and the fund.
#[derive(Clone, PartialEq, Eq)]
pub struct MemberRecord {
    /// Id.
    pub id: Uuid,
    /// The NIR.
    pub nir: Nir,
    /// Birth name.
    pub last_name: String,
    /// Usage name, when different.
    pub usage_name: Option<String>,
    /// First name.
    pub first_name: String,
    /// Birth date.
    pub birth_date: Date,
    /// Sex as registered.
    pub sex: Sex,
    /// Fund.
    pub caisse_code: CaisseCode,
    /// Carte Vitale serial number.
    pub vitale_serial: Option<VitaleSerial>,
    /// Street line.
    pub address_line1: String,
    /// Complement line.
    pub address_line2: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// City.
    pub city: String,
    /// Contact email held by the fund.
    pub email: Option<Email>,
    /// Mobile phone.
    pub phone: Option<PhoneNumber>,
    /// Bank details on file.
    pub iban: Option<Iban>,
    /// When the record was first stored.
    pub created_at: Instant,
}

impl MemberRecord {
    /// « Sophie WEBER »: the first name and the usage name, or the birth name.
    pub fn display_name(&self) -> String {
        format!(
            "{} {}",
            self.first_name,
            self.usage_name.as_deref().unwrap_or(&self.last_name)
        )
    }
}

impl std::fmt::Debug for MemberRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberRecord")
            .field("id", &self.id)
            .field("caisse_code", &self.caisse_code)
            .finish_non_exhaustive()
    }
}

/// A beneficiary to insert. `Debug` shows only the rank.
#[derive(Clone)]
pub struct NewBeneficiary {
    /// Rank, 2 to 19 (the member is rank 1).
    pub rank: i16,
    /// Last name.
    pub last_name: String,
    /// First name.
    pub first_name: String,
    /// Birth date.
    pub birth_date: Date,
    /// Sex as registered.
    pub sex: Sex,
}

impl std::fmt::Debug for NewBeneficiary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewBeneficiary")
            .field("rank", &self.rank)
            .finish_non_exhaustive()
    }
}

/// A beneficiary as stored. `Debug` shows only the id and the rank.
#[derive(Clone, PartialEq, Eq)]
pub struct Beneficiary {
    /// Id.
    pub id: Uuid,
    /// Rank, 2 to 19.
    pub rank: i16,
    /// Last name.
    pub last_name: String,
    /// First name.
    pub first_name: String,
    /// Birth date.
    pub birth_date: Date,
    /// Sex as registered.
    pub sex: Sex,
}

impl std::fmt::Debug for Beneficiary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Beneficiary")
            .field("id", &self.id)
            .field("rank", &self.rank)
            .finish_non_exhaustive()
    }
}

/// A member's portal account. `Debug` never shows the password hash.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// The member.
    pub member_id: Uuid,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Where it stands.
    pub status: AccountStatus,
    /// Replies and news told by email.
    pub notify_email: bool,
    /// Replies and news told by SMS.
    pub notify_sms: bool,
    /// Bank-detail changes refused until a staff member lifts the freeze.
    pub bank_frozen: bool,
    /// Opened at.
    pub created_at: Instant,
    /// When the member closed it.
    pub closed_at: Option<Instant>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("member_id", &self.member_id)
            .field("status", &self.status)
            .field("notify_email", &self.notify_email)
            .field("notify_sms", &self.notify_sms)
            .field("bank_frozen", &self.bank_frozen)
            .field("created_at", &self.created_at)
            .field("closed_at", &self.closed_at)
            .finish_non_exhaustive()
    }
}

/// Parses an optional stored value, naming the column when it does not parse.
fn optional<T, E>(
    value: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, E>,
    table: &'static str,
    column: &'static str,
    row: Uuid,
) -> Result<Option<T>, StoreError> {
    value
        .map(|value| parse(value).map_err(|_| StoreError::corrupt(table, column, row)))
        .transpose()
}

fn sex(code: &str, table: &'static str, row: Uuid) -> Result<Sex, StoreError> {
    Sex::from_code(code).ok_or_else(|| StoreError::corrupt(table, "sex", row))
}

/// The record of a stored row.
pub(crate) fn record(row: member::Model) -> Result<MemberRecord, StoreError> {
    let id = row.id;
    let corrupt = |column| StoreError::corrupt("members", column, id);
    Ok(MemberRecord {
        nir: Nir::parse(&row.nir).map_err(|_| corrupt("nir"))?,
        caisse_code: CaisseCode::parse(&row.caisse_code).map_err(|_| corrupt("caisse_code"))?,
        sex: sex(&row.sex, "members", id)?,
        vitale_serial: optional(
            row.vitale_serial.as_deref(),
            VitaleSerial::parse,
            "members",
            "vitale_serial",
            id,
        )?,
        email: optional(row.email.as_deref(), Email::parse, "members", "email", id)?,
        phone: optional(
            row.phone.as_deref(),
            PhoneNumber::parse,
            "members",
            "phone",
            id,
        )?,
        iban: optional(row.iban.as_deref(), Iban::parse, "members", "iban", id)?,
        id,
        last_name: row.last_name,
        usage_name: row.usage_name,
        first_name: row.first_name,
        birth_date: row.birth_date,
        address_line1: row.address_line1,
        address_line2: row.address_line2,
        postal_code: row.postal_code,
        city: row.city,
        created_at: instant(row.created_at),
    })
}

fn beneficiary_of(row: beneficiary::Model) -> Result<Beneficiary, StoreError> {
    Ok(Beneficiary {
        sex: sex(&row.sex, "beneficiaries", row.id)?,
        id: row.id,
        rank: row.rank,
        last_name: row.last_name,
        first_name: row.first_name,
        birth_date: row.birth_date,
    })
}

fn account_of(row: account::Model) -> Result<Account, StoreError> {
    Ok(Account {
        status: AccountStatus::from_code(&row.status)
            .ok_or_else(|| StoreError::corrupt("accounts", "status", row.member_id))?,
        member_id: row.member_id,
        password_hash: row.password_hash,
        notify_email: row.notify_email,
        notify_sms: row.notify_sms,
        bank_frozen: row.bank_frozen,
        created_at: instant(row.created_at),
        closed_at: row.closed_at.map(instant),
    })
}

/// The row of a member-file record.
fn member_row(id: Uuid, new: NewMember, now: Instant) -> member::ActiveModel {
    member::ActiveModel {
        id: Set(id),
        nir: Set(new.nir.as_str().to_owned()),
        last_name: Set(new.last_name),
        usage_name: Set(new.usage_name),
        first_name: Set(new.first_name),
        birth_date: Set(new.birth_date),
        sex: Set(new.sex.code().to_string()),
        caisse_code: Set(new.caisse_code.as_str().to_owned()),
        vitale_serial: Set(new.vitale_serial.map(|v| v.as_str().to_owned())),
        address_line1: Set(new.address_line1),
        address_line2: Set(new.address_line2),
        postal_code: Set(new.postal_code),
        city: Set(new.city),
        email: Set(new.email.map(|e| e.as_str().to_owned())),
        phone: Set(new.phone.map(|p| p.as_e164().to_owned())),
        iban: Set(new.iban.map(|i| i.as_str().to_owned())),
        created_at: Set(now.get()),
        updated_at: Set(now.get()),
    }
}

fn beneficiary_row(member_id: Uuid, b: NewBeneficiary) -> beneficiary::ActiveModel {
    beneficiary::ActiveModel {
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id),
        rank: Set(b.rank),
        last_name: Set(b.last_name),
        first_name: Set(b.first_name),
        birth_date: Set(b.birth_date),
        sex: Set(b.sex.code().to_string()),
    }
}

/// Inserts a member and their beneficiaries; returns the new member id. `now` may still be an
/// `OffsetDateTime` (the messaging suites' helpers pass one).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewMember,
    beneficiaries: Vec<NewBeneficiary>,
    now: impl Into<Instant>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    member_row(id, new, now.into()).insert(db).await?;
    for b in beneficiaries {
        beneficiary_row(id, b).insert(db).await?;
    }
    Ok(id)
}

/// The member with this NIR.
pub async fn find_by_nir<C: ConnectionTrait>(
    db: &C,
    nir: &Nir,
) -> Result<Option<MemberRecord>, StoreError> {
    member::Entity::find()
        .filter(member::Column::Nir.eq(nir.as_str()))
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// The member with this id.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<MemberRecord>, StoreError> {
    member::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// The member files of people born between `first` and `last` (inclusive), at most `limit`:
/// the candidates of a FranceConnect identity, which `caisse-core` compares field by field
/// (`ix_members_birth_date`).
pub async fn born_between<C: ConnectionTrait>(
    db: &C,
    first: Date,
    last: Date,
    limit: u64,
) -> Result<Vec<MemberRecord>, StoreError> {
    member::Entity::find()
        .filter(member::Column::BirthDate.between(first, last))
        .order_by_asc(member::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// The members of fund `caisse_code` born on `birth_date`, at most `limit`, by id: the
/// candidates of a staff member's search by name and birth date, which `caisse-core` narrows
/// to the name typed (accents and case folded, usage name too). One fund's members born on
/// one day are a few dozen: a range of `ix_members_fund_birth_date` (m0036).
pub async fn of_fund_born_on<C: ConnectionTrait>(
    db: &C,
    caisse_code: &CaisseCode,
    birth_date: Date,
    limit: u64,
) -> Result<Vec<MemberRecord>, StoreError> {
    member::Entity::find()
        .filter(member::Column::CaisseCode.eq(caisse_code.as_str()))
        .filter(member::Column::BirthDate.eq(birth_date))
        .order_by_asc(member::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// A member with their account, if they have one, in one query.
pub async fn with_account<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<(MemberRecord, Option<Account>)>, StoreError> {
    member::Entity::find_by_id(id)
        .find_also_related(account::Entity)
        .one(db)
        .await?
        .map(|(row, account)| Ok((record(row)?, account.map(account_of).transpose()?)))
        .transpose()
}

/// The members of `ids` that exist, each with their account if they have one, in one query.
pub async fn with_accounts<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<Vec<(MemberRecord, Option<Account>)>, StoreError> {
    member::Entity::find()
        .filter(member::Column::Id.is_in(ids.iter().copied()))
        .find_also_related(account::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(row, account)| Ok((record(row)?, account.map(account_of).transpose()?)))
        .collect()
}

/// A member's beneficiaries, by rank.
pub async fn beneficiaries<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Vec<Beneficiary>, StoreError> {
    beneficiary::Entity::find()
        .filter(beneficiary::Column::MemberId.eq(member_id))
        .order_by_asc(beneficiary::Column::Rank)
        .all(db)
        .await?
        .into_iter()
        .map(beneficiary_of)
        .collect()
}

/// How many members the file holds.
pub async fn count<C: ConnectionTrait>(db: &C) -> Result<u64, StoreError> {
    Ok(member::Entity::find().count(db).await?)
}

/// Creates the portal account of a member. `now` may still be an `OffsetDateTime` (see
/// [`insert`]).
pub async fn create_account<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    password_hash: String,
    status: AccountStatus,
    now: impl Into<Instant>,
) -> Result<(), StoreError> {
    let now = now.into().get();
    account::ActiveModel {
        member_id: Set(member_id),
        password_hash: Set(password_hash),
        status: Set(status.code().to_owned()),
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
pub async fn find_account<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Option<Account>, StoreError> {
    account::Entity::find_by_id(member_id)
        .one(db)
        .await?
        .map(account_of)
        .transpose()
}

/// A condition: the member whose id is in `member` (a column of the outer query) has an active
/// account. A correlated `EXISTS`, one probe of the account's key: an `IN (SELECT …)` under an
/// `OR` made PostgreSQL hash every active account for each row it checked (40 ms a page with
/// 10⁵ accounts, docs/perf.md).
pub(crate) fn has_active_account(
    member: impl sea_orm::sea_query::IntoColumnRef,
) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(account::Entity)
            .and_where(Expr::col((account::Entity, account::Column::MemberId)).equals(member))
            .and_where(
                Expr::col((account::Entity, account::Column::Status))
                    .eq(AccountStatus::Active.code()),
            )
            .to_owned(),
    )
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
    now: Instant,
) -> Result<(), StoreError> {
    account::ActiveModel {
        member_id: Set(member_id),
        password_hash: Set(password_hash),
        updated_at: Set(now.get()),
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

/// The ids of the members with these NIRs, in no particular order; unknown NIRs are simply
/// absent. Queried by batches of [`BATCH_ROWS`].
pub async fn ids_by_nir<C: ConnectionTrait>(
    db: &C,
    nirs: &[Nir],
) -> Result<Vec<(Nir, Uuid)>, StoreError> {
    let mut found = Vec::new();
    for chunk in nirs.chunks(BATCH_ROWS) {
        let rows: Vec<(Uuid, String)> = member::Entity::find()
            .select_only()
            .column(member::Column::Id)
            .column(member::Column::Nir)
            .filter(member::Column::Nir.is_in(chunk.iter().map(Nir::as_str)))
            .into_tuple()
            .all(db)
            .await?;
        for (id, nir) in rows {
            let nir = Nir::parse(&nir).map_err(|_| StoreError::corrupt("members", "nir", id))?;
            found.push((nir, id));
        }
    }
    Ok(found)
}

/// Writes member-file records by batches of [`BATCH_ROWS`]: a NIR already stored has its
/// record replaced (identity, fund, carte Vitale, address, contact) and keeps its id and
/// creation date; a new NIR is inserted under the id given with it.
///
/// The caller passes the stored id of a known NIR (from [`ids_by_nir`]) so that it can
/// attach beneficiaries without reading the rows back.
pub async fn upsert_many<C: ConnectionTrait>(
    db: &C,
    records: Vec<(Uuid, NewMember)>,
    now: Instant,
) -> Result<(), StoreError> {
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
            .map(|(member_id, b)| beneficiary_row(member_id, b));
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
    now: Instant,
) -> Result<(), StoreError> {
    if !exists {
        return create_account(db, member_id, password_hash, AccountStatus::Pending, now).await;
    }
    account::ActiveModel {
        member_id: Set(member_id),
        password_hash: Set(password_hash),
        status: Set(AccountStatus::Pending.code().to_owned()),
        updated_at: Set(now.get()),
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
    status: AccountStatus,
    now: Instant,
) -> Result<(), StoreError> {
    account::ActiveModel {
        member_id: Set(member_id),
        status: Set(status.code().to_owned()),
        closed_at: Set((status == AccountStatus::Closed).then_some(now.get())),
        updated_at: Set(now.get()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Sets the notification preferences. `now` may still be an `OffsetDateTime` (see
/// [`insert`]).
pub async fn set_notifications<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    by_email: bool,
    by_sms: bool,
    now: impl Into<Instant>,
) -> Result<(), StoreError> {
    account::ActiveModel {
        member_id: Set(member_id),
        notify_email: Set(by_email),
        notify_sms: Set(by_sms),
        updated_at: Set(now.into().get()),
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
    now: Instant,
) -> Result<(), StoreError> {
    account::ActiveModel {
        member_id: Set(member_id),
        bank_frozen: Set(frozen),
        updated_at: Set(now.get()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// A change of the contact data or bank details in the member file. `Debug` shows only which.
#[derive(Clone)]
pub enum ContactChange {
    /// New email address.
    Email(Email),
    /// New mobile number.
    Phone(PhoneNumber),
    /// New bank details.
    Iban(Iban),
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

impl std::fmt::Debug for ContactChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ContactChange::Email(_) => "ContactChange::Email",
            ContactChange::Phone(_) => "ContactChange::Phone",
            ContactChange::Iban(_) => "ContactChange::Iban",
            ContactChange::Address { .. } => "ContactChange::Address",
        })
    }
}

/// Writes a change of contact data into the member file.
pub async fn change_contact<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    change: ContactChange,
    now: Instant,
) -> Result<(), StoreError> {
    let mut row = member::ActiveModel {
        id: Set(member_id),
        updated_at: Set(now.get()),
        ..Default::default()
    };
    match change {
        ContactChange::Email(email) => row.email = Set(Some(email.as_str().to_owned())),
        ContactChange::Phone(phone) => row.phone = Set(Some(phone.as_e164().to_owned())),
        ContactChange::Iban(iban) => row.iban = Set(Some(iban.as_str().to_owned())),
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
    email: &Email,
    member_id: Uuid,
) -> Result<bool, StoreError> {
    Ok(holders_of_email(email, member_id)
        .select_only()
        .column(member::Column::Id)
        .into_tuple::<Uuid>()
        .one(db)
        .await?
        .is_some())
}

fn holders_of_email(email: &Email, member_id: Uuid) -> sea_orm::Select<member::Entity> {
    use sea_orm::sea_query::{ExprTrait, Func, Query};
    let open_accounts = Query::select()
        .column(account::Column::MemberId)
        .from(account::Entity)
        .and_where(account::Column::Status.ne(AccountStatus::Closed.code()))
        .to_owned();
    member::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(member::Column::Email)))
                .eq(email.as_str().to_lowercase()),
        )
        .filter(member::Column::Id.ne(member_id))
        .filter(member::Column::Id.in_subquery(open_accounts))
}

/// The other member whose account is open (pending, active or suspended) and who uses this
/// email address, compared case-insensitively, if any.
pub async fn other_holder_of_email<C: ConnectionTrait>(
    db: &C,
    email: &Email,
    member_id: Uuid,
) -> Result<Option<MemberRecord>, StoreError> {
    holders_of_email(email, member_id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// Removes the carte Vitale serial number from the member file: the opposition of a lost or
/// stolen card.
pub async fn clear_vitale_serial<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    now: Instant,
) -> Result<(), StoreError> {
    member::ActiveModel {
        id: Set(member_id),
        vitale_serial: Set(None),
        updated_at: Set(now.get()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Moves the member file to fund `caisse` (a move to another department).
pub async fn move_to_fund<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    caisse: CaisseCode,
    now: Instant,
) -> Result<(), StoreError> {
    member::ActiveModel {
        id: Set(member_id),
        caisse_code: Set(caisse.as_str().to_owned()),
        updated_at: Set(now.get()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Sets (or clears) the member's usage name.
pub async fn set_usage_name<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
    usage_name: Option<&str>,
    now: Instant,
) -> Result<(), StoreError> {
    member::ActiveModel {
        id: Set(member_id),
        usage_name: Set(usage_name.map(str::to_owned)),
        updated_at: Set(now.get()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}
