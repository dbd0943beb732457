//! Who messaging deals with: the members who write and the staff who answer. Their rows belong
//! to the accounts side of the store (`caisse_store::members`, `caisse_store::staff`); every
//! read of them by messaging is here, turned at once into what messaging needs, so a change of
//! those rows is one edit of this module.

use std::collections::HashMap;
use std::fmt;

use caisse_domain::{CaisseCode, Email, Nir, PhoneNumber};
use caisse_store::members::{Account, MemberRecord};
use caisse_store::staff::StaffMember;
use caisse_store::{ConnectionTrait, members};
use time::Date;
use uuid::Uuid;

use super::directory::Colleague;
use crate::CoreError;
use crate::staff::StaffRole;

/// An active staff member, as messaging scopes their work: their fund and their role.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct ActingStaff {
    /// Id.
    pub(super) id: Uuid,
    /// The fund whose threads they reach.
    pub(super) caisse_code: CaisseCode,
    /// Their role.
    pub(super) role: StaffRole,
    /// The name canned answers sign with (`{conseiller}`).
    pub(super) display_name: String,
}

/// Shows the id, fund and role; never the name.
impl fmt::Debug for ActingStaff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActingStaff")
            .field("id", &self.id)
            .field("caisse_code", &self.caisse_code)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl ActingStaff {
    /// Whether they may edit canned answers and work the médiateur's queue.
    pub(super) fn supervises(&self) -> bool {
        matches!(
            self.role,
            StaffRole::Superviseur | StaffRole::Administrateur
        )
    }
}

fn acting(staff: StaffMember) -> ActingStaff {
    ActingStaff {
        caisse_code: staff.caisse_code,
        role: staff.role,
        id: staff.id,
        display_name: staff.display_name,
    }
}

/// The staff member `staff_id` if their account is active.
pub(super) async fn active_staff<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
) -> Result<Option<ActingStaff>, CoreError> {
    Ok(caisse_store::staff::find(db, staff_id)
        .await?
        .filter(|s| s.active)
        .map(acting))
}

/// The active staff of fund `caisse_code`, by name (those with a known role).
pub(super) async fn colleagues<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
) -> Result<Vec<Colleague>, CoreError> {
    Ok(caisse_store::staff::active_of_fund(db, &caisse_code)
        .await?
        .into_iter()
        .map(|s| Colleague {
            id: s.id,
            role: s.role,
            display_name: s.display_name,
        })
        .collect())
}

/// Which name of a staff member to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum StaffName {
    /// The name shown in the back office.
    Display,
    /// The login (the command line lists teams by login).
    Login,
}

/// The names (as `which` says) of the staff with these ids, any fund.
pub(super) async fn names<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
    which: StaffName,
) -> Result<Vec<(Uuid, String)>, CoreError> {
    Ok(caisse_store::staff::by_ids(db, ids)
        .await?
        .into_iter()
        .map(|s| match which {
            StaffName::Display => (s.id, s.display_name),
            StaffName::Login => (s.id, s.login),
        })
        .collect())
}

/// The roles of the staff with these ids.
pub(super) async fn roles<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, StaffRole>, CoreError> {
    Ok(caisse_store::staff::by_ids(db, ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.role))
        .collect())
}

/// The staff member with this login and their fund, active or not.
pub(super) async fn by_login<C: ConnectionTrait>(
    db: &C,
    login: &str,
) -> Result<Option<(Uuid, CaisseCode)>, CoreError> {
    Ok(caisse_store::staff::by_login(db, login)
        .await?
        .map(|s| (s.id, s.caisse_code)))
}

/// A member as messaging needs them: to route, to address, to fill canned answers, and the
/// file staff read beside a thread.
#[derive(Clone)]
pub(super) struct Member {
    /// Id.
    pub(super) id: Uuid,
    /// Their fund.
    pub(super) caisse_code: CaisseCode,
    /// First name.
    pub(super) first_name: String,
    /// Last name in use (usage name if any, else birth name).
    pub(super) last_name: String,
    /// Their NIR.
    pub(super) nir: Nir,
    /// Birth date.
    pub(super) birth_date: Date,
    /// Postal address lines.
    pub(super) address_lines: Vec<String>,
    /// Email on file.
    pub(super) email: Option<Email>,
    /// Mobile number on file.
    pub(super) phone: Option<PhoneNumber>,
}

/// Shows the id and the fund only.
impl fmt::Debug for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Member")
            .field("id", &self.id)
            .field("caisse_code", &self.caisse_code)
            .finish_non_exhaustive()
    }
}

/// How a member wants to hear of their messages, as their online account chose; without an
/// account, by email only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Notices {
    /// By email.
    pub(super) by_email: bool,
    /// By SMS.
    pub(super) by_sms: bool,
    /// Whether the member has an online account (the preferences are theirs).
    pub(super) chosen: bool,
}

fn notices(account: Option<&Account>) -> Notices {
    account.map_or(
        Notices {
            by_email: true,
            by_sms: false,
            chosen: false,
        },
        |a| Notices {
            by_email: a.notify_email,
            by_sms: a.notify_sms,
            chosen: true,
        },
    )
}

fn member(record: MemberRecord) -> Member {
    let mut address_lines = vec![record.address_line1];
    address_lines.extend(record.address_line2);
    address_lines.push(format!("{} {}", record.postal_code, record.city));
    Member {
        caisse_code: record.caisse_code,
        nir: record.nir,
        id: record.id,
        first_name: record.first_name,
        last_name: record.usage_name.unwrap_or(record.last_name),
        birth_date: record.birth_date,
        address_lines,
        email: record.email,
        phone: record.phone,
    }
}

/// The member `member_id`.
pub(super) async fn get<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Option<Member>, CoreError> {
    Ok(members::find(db, member_id).await?.map(member))
}

/// The member `member_id` with how they want to hear of their messages.
pub(super) async fn with_notices<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Option<(Member, Notices)>, CoreError> {
    Ok(members::with_account(db, member_id)
        .await?
        .map(|(record, account)| (member(record), notices(account.as_ref()))))
}

/// The members among `ids` with their notices, by id, in one query.
pub(super) async fn many_with_notices<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, (Member, Notices)>, CoreError> {
    let mut found = HashMap::with_capacity(ids.len());
    for (row, account) in members::with_accounts(db, ids).await? {
        let notices = notices(account.as_ref());
        let member = member(row);
        found.insert(member.id, (member, notices));
    }
    Ok(found)
}

/// How member `member_id` wants to hear of their messages.
pub(super) async fn notices_of<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Notices, CoreError> {
    Ok(notices(
        members::find_account(db, member_id).await?.as_ref(),
    ))
}
