//! Back-office accounts: roles and administration (used by `caisse admin staff …`).

use std::fmt;

use caisse_domain::CaisseCode;
use caisse_store::staff::{self, NewStaff};
use caisse_store::{ConnectionTrait, Db};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::CoreError;
use crate::passwords::PasswordHasherPool;

/// What a staff member may do. Each role includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StaffRole {
    /// Answers and processes members' requests.
    Conseiller,
    /// Oversees teams, delays and dashboards.
    Superviseur,
    /// Operates the platform (staff accounts, outbox).
    Administrateur,
}

impl StaffRole {
    /// Every role, lowest first.
    pub const ALL: [StaffRole; 3] = [
        StaffRole::Conseiller,
        StaffRole::Superviseur,
        StaffRole::Administrateur,
    ];

    /// Stored and command-line code.
    pub fn code(self) -> &'static str {
        match self {
            StaffRole::Conseiller => "conseiller",
            StaffRole::Superviseur => "superviseur",
            StaffRole::Administrateur => "administrateur",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<StaffRole> {
        StaffRole::ALL.into_iter().find(|r| r.code() == code)
    }

    /// French label.
    pub fn label_fr(self) -> &'static str {
        match self {
            StaffRole::Conseiller => "Conseiller",
            StaffRole::Superviseur => "Superviseur",
            StaffRole::Administrateur => "Administrateur",
        }
    }
}

impl fmt::Display for StaffRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

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

debug_fields!(StaffDraft { role, caisse });

fn valid_login(login: &str) -> bool {
    (3..=64).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// Creates a staff account inside `db` (a connection or a transaction).
///
/// # Errors
/// See [`CreateStaffError`].
pub async fn create<C: ConnectionTrait>(
    db: &C,
    hasher: &PasswordHasherPool,
    draft: StaffDraft,
    now: OffsetDateTime,
) -> Result<Uuid, CreateStaffError> {
    if !valid_login(&draft.login) {
        return Err(CreateStaffError::BadLogin);
    }
    if draft.password.chars().count() < 12 {
        return Err(CreateStaffError::WeakPassword);
    }
    if staff::find_by_login(db, &draft.login)
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
            email: draft.email,
            role: draft.role.code().to_owned(),
            caisse_code: draft.caisse.as_str().to_owned(),
            password_hash,
        },
        now,
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
/// When the database fails or the stored role is unknown.
pub async fn profile(db: &Db, id: Uuid) -> Result<Option<StaffProfile>, CoreError> {
    let Some(row) = staff::get(db, id).await? else {
        return Ok(None);
    };
    to_profile(row).map(Some)
}

/// Every staff account.
///
/// # Errors
/// When the database fails.
pub async fn list(db: &Db) -> Result<Vec<StaffProfile>, CoreError> {
    staff::list(db).await?.into_iter().map(to_profile).collect()
}

fn to_profile(row: caisse_store::entities::staff::Model) -> Result<StaffProfile, CoreError> {
    let role = StaffRole::from_code(&row.role)
        .ok_or_else(|| CoreError::InvalidData(format!("unknown staff role {}", row.role)))?;
    Ok(StaffProfile {
        id: row.id,
        login: row.login,
        display_name: row.display_name,
        role,
        caisse_code: row.caisse_code,
        active: row.active,
        totp_enrolled: row.totp_secret.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_round_trip() {
        assert!(StaffRole::Administrateur > StaffRole::Superviseur);
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::from_code(role.code()), Some(role));
        }
        assert_eq!(StaffRole::from_code("root"), None);
    }

    #[test]
    fn logins_are_restricted() {
        assert!(valid_login("marie.dupont"));
        assert!(!valid_login("Marie"));
        assert!(!valid_login("ab"));
        assert!(!valid_login("a b c"));
    }
}
