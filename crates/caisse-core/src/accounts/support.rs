//! What staff do about accounts: look a member up by NIR (only in their own fund; every
//! search is audited, `staff.member.searched`), see the account's state (audited,
//! `staff.member.viewed`), lift a suspension or a lock, lift a bank-details freeze, send a
//! provisional code by post, and work through the fund's security alerts (the list is
//! audited, `staff.alerts.listed`).

use caisse_domain::{AccountStatus, AlertKind, AuditAction, CaisseCode, StaffRole, Verdict};
use caisse_store::members::{self, MemberRecord};
use caisse_store::{TransactionTrait, security_alerts, staff};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::Accounts;
use super::ending::Ending;
use super::errors::AccountError;
use crate::audit::{self, Actor, RequestContext};
use crate::auth::parse_login_nir;
use crate::lockout;
use crate::members::{SecurityEvent, security_history};

/// An account as a staff member sees it.
#[derive(Clone)]
pub struct MemberSecurityView {
    /// Member id.
    pub member_id: Uuid,
    /// First and last name.
    pub full_name: String,
    /// NIR, formatted.
    pub nir: String,
    /// Birth name when the member uses another name (`full_name` shows the usage name).
    pub birth_name: Option<String>,
    /// Birth date, one of the facts checked before anything is told on the phone.
    pub birth_date: time::Date,
    /// Postal address lines (street, complement, postal code and city).
    pub address_lines: Vec<String>,
    /// Email on file.
    pub email: Option<String>,
    /// Mobile number on file.
    pub phone: Option<String>,
    /// Account state: `None` without account.
    pub status: Option<AccountStatus>,
    /// End of a lockout in progress.
    pub locked_until: Option<OffsetDateTime>,
    /// Bank-detail changes frozen.
    pub bank_frozen: bool,
    /// Open alerts.
    pub open_alerts: Vec<AlertKind>,
    /// Latest security events.
    pub history: Vec<SecurityEvent>,
    /// The family's rights (coverage, C2S, doctors, exemptions), read in the same audited
    /// view.
    pub rights: Option<crate::rights::FamilyRights>,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for MemberSecurityView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberSecurityView")
            .field("member_id", &self.member_id)
            .field("status", &self.status)
            .field("locked_until", &self.locked_until)
            .field("bank_frozen", &self.bank_frozen)
            .field("open_alerts", &self.open_alerts)
            .finish_non_exhaustive()
    }
}

/// An open alert in the fund's list.
#[derive(Clone)]
pub struct OpenAlert {
    /// Member concerned.
    pub member_id: Uuid,
    /// Their name.
    pub full_name: String,
    /// Why.
    pub kind: AlertKind,
    /// Raised at.
    pub created_at: OffsetDateTime,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for OpenAlert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAlert")
            .field("member_id", &self.member_id)
            .field("kind", &self.kind)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

impl Accounts {
    /// A member of the staff member's own fund; anyone else is "nothing to act on" (a 404).
    async fn member_of_staff_fund(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
    ) -> Result<MemberRecord, AccountError> {
        let fund = self.staff_fund(staff_id).await?;
        members::find(&self.db, member_id)
            .await?
            .filter(|m| m.caisse_code == fund)
            .ok_or(AccountError::NothingToDo)
    }

    pub(super) async fn staff_fund(&self, staff_id: Uuid) -> Result<CaisseCode, AccountError> {
        Ok(staff::find(&self.db, staff_id)
            .await?
            .filter(|s| s.active)
            .ok_or(AccountError::NothingToDo)?
            .caisse_code)
    }

    /// The fund of an active supervisor or administrator, the roles that print letters.
    pub(super) async fn printer_fund(&self, staff_id: Uuid) -> Result<CaisseCode, AccountError> {
        let staff = staff::find(&self.db, staff_id)
            .await?
            .filter(|s| s.active)
            .ok_or(AccountError::NothingToDo)?;
        match staff.role {
            StaffRole::Superviseur | StaffRole::Administrateur => Ok(staff.caisse_code),
            StaffRole::Conseiller => Err(AccountError::NothingToDo),
        }
    }

    /// Finds a member of the staff member's fund by NIR; `None` for anyone else. Every search is
    /// audited (`staff.member.searched`): on the member found, or with no subject when none
    /// is (the NIR typed is never recorded).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "accounts.staff_find_member", skip_all, fields(%staff_id))]
    pub async fn staff_find_member(
        &self,
        staff_id: Uuid,
        nir: &str,
        context: &RequestContext,
    ) -> Result<Option<Uuid>, AccountError> {
        let fund = self.staff_fund(staff_id).await?;
        let found = match parse_login_nir(nir) {
            Some(nir) => members::find_by_nir(&self.db, &nir)
                .await?
                .filter(|m| m.caisse_code == fund)
                .map(|m| m.id),
            None => None,
        };
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffMemberSearched,
            found.map(|id| ("member", id)),
            json!({ "found": found.is_some() }),
            self.clock.instant(),
        )
        .await?;
        Ok(found)
    }

    /// The account of a member of the staff member's fund; the access is audited.
    ///
    /// # Errors
    /// [`AccountError::NothingToDo`] for a member of another fund or an unknown id.
    #[tracing::instrument(
        name = "accounts.staff_member_view",
        skip_all,
        fields(%staff_id, %member_id)
    )]
    pub async fn staff_member_view(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
        context: &RequestContext,
    ) -> Result<MemberSecurityView, AccountError> {
        let member = self.member_of_staff_fund(staff_id, member_id).await?;
        let now = self.clock.instant();
        let account = members::find_account(&self.db, member_id).await?;
        let locked_until = match lockout::verdict(
            &self.db,
            &self.settings.lockout,
            &lockout::member_key(Some(&member.nir), ""),
            now,
        )
        .await?
        {
            Verdict::Locked { until } => Some(until.get()),
            Verdict::Open => None,
        };
        let open_alerts = security_alerts::of_member(&self.db, member_id)
            .await?
            .into_iter()
            .filter(|a| a.resolved_at.is_none())
            .map(|a| a.kind)
            .collect();
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffMemberViewed,
            Some(("member", member_id)),
            json!({ "view": "account" }),
            now,
        )
        .await?;
        let mut address_lines = vec![member.address_line1.clone()];
        address_lines.extend(member.address_line2.clone());
        address_lines.push(format!("{} {}", member.postal_code, member.city));
        Ok(MemberSecurityView {
            member_id,
            full_name: member.display_name(),
            nir: member.nir.formatted(),
            birth_name: member.usage_name.as_ref().map(|_| member.last_name.clone()),
            birth_date: member.birth_date,
            address_lines,
            email: member.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: member
                .phone
                .as_ref()
                .map(|p| p.formatted_national().to_owned()),
            status: account.as_ref().map(|a| a.status),
            locked_until,
            bank_frozen: account.is_some_and(|a| a.bank_frozen),
            open_alerts,
            history: security_history(&self.db, member_id, 20).await?,
            rights: crate::rights::load(&self.db, member_id).await?,
        })
    }

    /// Lifts a suspension and a lockout, and resolves the member's open alerts.
    ///
    /// # Errors
    /// [`AccountError::NothingToDo`] for a member of another fund.
    #[tracing::instrument(name = "accounts.staff_unlock", skip_all, fields(%staff_id, %member_id))]
    pub async fn staff_unlock(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        let member = self.member_of_staff_fund(staff_id, member_id).await?;
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        security_alerts::resolve_for_member(&txn, member_id, staff_id, now).await?;
        lockout::clear_member(&txn, &member.nir).await?;
        let suspended = members::find_account(&txn, member_id)
            .await?
            .is_some_and(|a| a.status == AccountStatus::Suspended);
        if suspended {
            members::set_account_status(&txn, member_id, AccountStatus::Active, now).await?;
        }
        let ending = Ending::about(
            Actor::Staff(staff_id),
            AuditAction::MemberAccountUnlocked,
            Some(member_id),
        )
        .details(json!({ "was_suspended": suspended }));
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }

    /// Allows bank-detail changes again after a « Ce n'était pas moi ».
    ///
    /// # Errors
    /// [`AccountError::NothingToDo`] for a member of another fund or without account.
    #[tracing::instrument(
        name = "accounts.staff_lift_bank_freeze",
        skip_all,
        fields(%staff_id, %member_id)
    )]
    pub async fn staff_lift_bank_freeze(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        self.member_of_staff_fund(staff_id, member_id).await?;
        members::find_account(&self.db, member_id)
            .await?
            .ok_or(AccountError::NothingToDo)?;
        let now = self.clock.instant();
        let txn = self.db.begin().await?;
        members::set_bank_frozen(&txn, member_id, false, now).await?;
        let ending = Ending::about(
            Actor::Staff(staff_id),
            AuditAction::MemberBankDetailsUnfrozen,
            Some(member_id),
        );
        self.finish(txn, context, ending, now).await?;
        Ok(())
    }

    /// A provisional code by post, sent by a staff member of the member's fund.
    ///
    /// # Errors
    /// [`AccountError::NothingToDo`] for a member of another fund.
    #[tracing::instrument(
        name = "accounts.staff_send_code",
        skip_all,
        fields(%staff_id, %member_id)
    )]
    pub async fn staff_send_code(
        &self,
        staff_id: Uuid,
        member_id: Uuid,
        context: &RequestContext,
    ) -> Result<(), AccountError> {
        self.member_of_staff_fund(staff_id, member_id).await?;
        self.send_provisional_code_for(member_id, staff_id, context)
            .await
    }

    /// The open alerts of the staff member's fund, oldest first; the reading is audited
    /// (`staff.alerts.listed`, with the members listed).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "accounts.staff_open_alerts", skip_all, fields(%staff_id))]
    pub async fn staff_open_alerts(
        &self,
        staff_id: Uuid,
        context: &RequestContext,
    ) -> Result<Vec<OpenAlert>, AccountError> {
        let fund = self.staff_fund(staff_id).await?;
        let mut alerts = Vec::new();
        for alert in security_alerts::open_for_fund(&self.db, &fund, 200).await? {
            let full_name = members::find(&self.db, alert.member_id)
                .await?
                .map(|m| m.display_name())
                .unwrap_or_default();
            alerts.push(OpenAlert {
                member_id: alert.member_id,
                full_name,
                kind: alert.kind,
                created_at: alert.created_at.get(),
            });
        }
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffAlertsListed,
            None,
            json!({ "members": alerts.iter().map(|a| a.member_id).collect::<Vec<_>>() }),
            self.clock.instant(),
        )
        .await?;
        Ok(alerts)
    }
}
