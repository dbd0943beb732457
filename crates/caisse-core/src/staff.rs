//! Back-office accounts: roles and administration (used by `caisse admin staff …`).

pub use caisse_domain::StaffRole;
use caisse_domain::{CaisseCode, Email, Instant};
use caisse_store::staff::{self, NewStaff, StaffMember};
use caisse_store::{ConnectionTrait, Db};
use uuid::Uuid;

use crate::CoreError;
use crate::passwords::PasswordHasherPool;

/// Why a staff account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateStaffError {
    /// Logins are 3–64 characters of a–z, 0–9, '.', '-', '_'.
    #[error("login must be 3 to 64 characters among a-z, 0-9, '.', '-' and '_'")]
    BadLogin,
    /// The login is taken.
    #[error("login already exists")]
    LoginTaken,
    /// Staff passwords must be at least 12 characters.
    #[error("password must be at least 12 characters")]
    WeakPassword,
    /// The work email is not an email address.
    #[error("the email address is not valid")]
    BadEmail,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// A staff account to create.
#[derive(Clone)]
pub struct StaffDraft {
    /// Login.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// Work email.
    pub email: Option<String>,
    /// Role.
    pub role: StaffRole,
    /// Fund.
    pub caisse: CaisseCode,
    /// Initial password.
    pub password: String,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for StaffDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffDraft")
            .field("login", &self.login)
            .field("role", &self.role)
            .field("caisse", &self.caisse)
            .finish_non_exhaustive()
    }
}

/// Whether `login` is a valid staff login: 3 to 64 lower-case letters, digits, `.`, `_`, `-`.
pub(crate) fn valid_login(login: &str) -> bool {
    (3..=64).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// Creates a staff account inside `db` (a connection or a transaction). `now` may still be
/// an `OffsetDateTime` (the command line passes one).
///
/// # Errors
/// See [`CreateStaffError`].
pub async fn create<C: ConnectionTrait>(
    db: &C,
    hasher: &PasswordHasherPool,
    draft: StaffDraft,
    now: impl Into<Instant>,
) -> Result<Uuid, CreateStaffError> {
    if !valid_login(&draft.login) {
        return Err(CreateStaffError::BadLogin);
    }
    let email = draft
        .email
        .as_deref()
        .map(Email::parse)
        .transpose()
        .map_err(|_| CreateStaffError::BadEmail)?;
    if draft.password.chars().count() < 12 {
        return Err(CreateStaffError::WeakPassword);
    }
    if staff::by_login(db, &draft.login)
        .await
        .map_err(CoreError::from)?
        .is_some()
    {
        return Err(CreateStaffError::LoginTaken);
    }
    let password_hash = hasher.hash(&draft.password).await?;
    let id = staff::insert(
        db,
        NewStaff {
            login: draft.login,
            display_name: draft.display_name,
            email,
            role: draft.role,
            caisse_code: draft.caisse,
            password_hash,
        },
        now.into(),
    )
    .await
    .map_err(CoreError::from)?;
    Ok(id)
}

/// A staff account as the back office shows it.
#[derive(Clone)]
pub struct StaffProfile {
    /// Id.
    pub id: Uuid,
    /// Login.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: StaffRole,
    /// Fund code.
    pub caisse_code: String,
    /// Whether the account may log in.
    pub active: bool,
    /// Whether an authenticator app is configured (a TOTP secret is saved).
    pub totp_enrolled: bool,
}

debug_fields!(StaffProfile {
    id,
    role,
    caisse_code,
    active,
    totp_enrolled
});

/// Loads a staff profile.
///
/// # Errors
/// When the database fails or a stored value (the role, the fund) no longer parses.
pub async fn profile(db: &Db, id: Uuid) -> Result<Option<StaffProfile>, CoreError> {
    Ok(staff::find(db, id).await?.map(to_profile))
}

/// Every staff account.
///
/// # Errors
/// When the database fails.
pub async fn list(db: &Db) -> Result<Vec<StaffProfile>, CoreError> {
    Ok(staff::list(db).await?.into_iter().map(to_profile).collect())
}

fn to_profile(member: StaffMember) -> StaffProfile {
    StaffProfile {
        id: member.id,
        login: member.login,
        display_name: member.display_name,
        role: member.role,
        caisse_code: member.caisse_code.as_str().to_owned(),
        active: member.active,
        totp_enrolled: member.totp_secret.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_restricted() {
        assert!(valid_login("marie.dupont"));
        assert!(!valid_login("Marie"));
        assert!(!valid_login("ab"));
        assert!(!valid_login("a b c"));
    }
}
