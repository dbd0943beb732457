//! Who messaging deals with: the members who write and the staff who answer. Their rows belong
//! to the accounts side of the store (`caisse_store::members`, `caisse_store::staff`); every
//! read of them by messaging is here, turned at once into what messaging needs, so a change of
//! those rows is one edit of this module.

use std::collections::HashMap;
use std::fmt;

use caisse_domain::{CaisseCode, Nir};
use caisse_store::entities::{account, member, staff};
use caisse_store::{ConnectionTrait, StoreError, members};
use time::Date;
use uuid::Uuid;

use super::directory::Colleague;
use crate::CoreError;
use crate::staff::StaffRole;

/// An active staff member, as messaging scopes their work: their fund and their role.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Advisor {
    /// Id.
    pub(super) id: Uuid,
    /// The fund whose threads they reach.
    pub(super) caisse_code: CaisseCode,
    /// Their role; `None` for a role code this version does not know.
    pub(super) role: Option<StaffRole>,
    /// The name canned answers sign with (`{conseiller}`).
    pub(super) display_name: String,
}

/// Shows the id, fund and role; never the name.
impl fmt::Debug for Advisor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Advisor")
            .field("id", &self.id)
            .field("caisse_code", &self.caisse_code)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl Advisor {
    /// Whether they may edit canned answers and work the médiateur's queue.
    pub(super) fn supervises(&self) -> bool {
        matches!(
            self.role,
            Some(StaffRole::Superviseur | StaffRole::Administrateur)
        )
    }
}

fn advisor(row: staff::Model) -> Result<Advisor, StoreError> {
    Ok(Advisor {
        caisse_code: CaisseCode::parse(&row.caisse_code)
            .map_err(|_| StoreError::corrupt("staff", "caisse_code", row.id))?,
        role: StaffRole::from_code(&row.role),
        id: row.id,
        display_name: row.display_name,
    })
}

/// The staff member `staff_id` if their account is active.
pub(super) async fn active_advisor<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
) -> Result<Option<Advisor>, CoreError> {
    Ok(caisse_store::staff::get(db, staff_id)
        .await?
        .filter(|s| s.active)
        .map(advisor)
        .transpose()?)
}

/// The active staff of fund `caisse_code`, by name (those with a known role).
pub(super) async fn colleagues<C: ConnectionTrait>(
    db: &C,
    caisse_code: CaisseCode,
) -> Result<Vec<Colleague>, CoreError> {
    Ok(
        caisse_store::staff::active_of_fund(db, caisse_code.as_str())
            .await?
            .into_iter()
            .filter_map(|s| {
                Some(Colleague {
                    id: s.id,
                    role: StaffRole::from_code(&s.role)?,
                    display_name: s.display_name,
                })
            })
            .collect(),
    )
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

/// The roles of the staff with these ids (a role this version does not know is left out).
pub(super) async fn roles<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, StaffRole>, CoreError> {
    Ok(caisse_store::staff::by_ids(db, ids)
        .await?
        .into_iter()
        .filter_map(|s| StaffRole::from_code(&s.role).map(|role| (s.id, role)))
        .collect())
}

/// The staff member with this login and their fund, active or not.
pub(super) async fn by_login<C: ConnectionTrait>(
    db: &C,
    login: &str,
) -> Result<Option<(Uuid, CaisseCode)>, CoreError> {
    Ok(caisse_store::staff::find_by_login(db, login)
        .await?
        .map(advisor)
        .transpose()?
        .map(|a| (a.id, a.caisse_code)))
}

/// A member as messaging needs them: to route, to address, to fill canned answers, and the
/// file advisors read beside a thread.
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
    /// Their NIR; `None` if the stored one no longer parses.
    pub(super) nir: Option<Nir>,
    /// Birth date.
    pub(super) birth_date: Date,
    /// Postal address lines.
    pub(super) address_lines: Vec<String>,
    /// Email on file.
    pub(super) email: Option<String>,
    /// Mobile number on file.
    pub(super) phone: Option<String>,
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

fn notices(account: Option<&account::Model>) -> Notices {
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

fn member(row: member::Model) -> Result<Member, StoreError> {
    let mut address_lines = vec![row.address_line1];
    address_lines.extend(row.address_line2);
    address_lines.push(format!("{} {}", row.postal_code, row.city));
    Ok(Member {
        caisse_code: CaisseCode::parse(&row.caisse_code)
            .map_err(|_| StoreError::corrupt("members", "caisse_code", row.id))?,
        nir: Nir::parse(&row.nir).ok(),
        id: row.id,
        first_name: row.first_name,
        last_name: row.usage_name.unwrap_or(row.last_name),
        birth_date: row.birth_date,
        address_lines,
        email: row.email,
        phone: row.phone,
    })
}

/// The member `member_id`.
pub(super) async fn get<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Option<Member>, CoreError> {
    Ok(members::get(db, member_id).await?.map(member).transpose()?)
}

/// The member `member_id` with how they want to hear of their messages.
pub(super) async fn with_notices<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Option<(Member, Notices)>, CoreError> {
    Ok(members::with_account(db, member_id)
        .await?
        .map(|(row, account)| Ok::<_, StoreError>((member(row)?, notices(account.as_ref()))))
        .transpose()?)
}

/// The members among `ids` with their notices, by id, in one query.
pub(super) async fn many_with_notices<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, (Member, Notices)>, CoreError> {
    let mut found = HashMap::with_capacity(ids.len());
    for (row, account) in members::with_accounts(db, ids).await? {
        let notices = notices(account.as_ref());
        let member = member(row)?;
        found.insert(member.id, (member, notices));
    }
    Ok(found)
}

/// How member `member_id` wants to hear of their messages.
pub(super) async fn notices_of<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Notices, CoreError> {
    Ok(notices(members::account(db, member_id).await?.as_ref()))
}
