//! What « Mon profil » reads of the member's own data to show it and to prefill the forms:
//! contact data as stored, the bank details masked, the notification preferences and whether
//! bank-detail changes are frozen.

use caisse_store::members;
use uuid::Uuid;

use super::Accounts;
use crate::CoreError;

/// The member's contact data and preferences, as their own profile shows them.
#[derive(Clone)]
pub struct ContactDetails {
    /// Email address on file.
    pub email: Option<String>,
    /// Mobile number on file, in the national format (« 06 12 34 56 78 »).
    pub phone: Option<String>,
    /// Street line of the postal address.
    pub line1: String,
    /// Complement of the address (empty when none).
    pub line2: String,
    /// Postal code.
    pub postal_code: String,
    /// City.
    pub city: String,
    /// Bank details on file, masked; never the full IBAN.
    pub iban_masked: Option<String>,
    /// Replies and news told by email.
    pub notify_email: bool,
    /// Replies and news told by SMS.
    pub notify_sms: bool,
    /// Bank-detail changes are frozen until the fund lifts it (after « Ce n'était pas moi »).
    pub bank_frozen: bool,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for ContactDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactDetails")
            .field("notify_email", &self.notify_email)
            .field("notify_sms", &self.notify_sms)
            .field("bank_frozen", &self.bank_frozen)
            .finish_non_exhaustive()
    }
}

impl Accounts {
    /// The member's contact data and preferences; `None` when the member file is gone.
    /// A member without portal account reads the default preferences (email only).
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "accounts.contact_details", skip_all, fields(%member_id))]
    pub async fn contact_details(
        &self,
        member_id: Uuid,
    ) -> Result<Option<ContactDetails>, CoreError> {
        let Some(member) = members::find(&self.db, member_id).await? else {
            return Ok(None);
        };
        let account = members::find_account(&self.db, member_id).await?;
        Ok(Some(ContactDetails {
            phone: member.phone.map(|p| p.formatted_national().to_owned()),
            email: member.email.map(|e| e.as_str().to_owned()),
            line1: member.address_line1,
            line2: member.address_line2.unwrap_or_default(),
            postal_code: member.postal_code,
            city: member.city,
            iban_masked: member.iban.map(|iban| iban.masked()),
            notify_email: account.as_ref().is_none_or(|a| a.notify_email),
            notify_sms: account.as_ref().is_some_and(|a| a.notify_sms),
            bank_frozen: account.as_ref().is_some_and(|a| a.bank_frozen),
        }))
    }
}
