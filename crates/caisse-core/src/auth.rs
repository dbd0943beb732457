//! Logging in: members with their NIR and password, staff with their login and password.
//!
//! Every failure answers the same [`LoginError::InvalidCredentials`], after the same work: an
//! unknown identifier is checked against a dummy hash, so neither the answer nor its timing
//! tells whether an account exists.

use std::sync::Arc;

use caisse_domain::Nir;
use caisse_domain::nir::compute_key;
use caisse_store::{Db, members, staff};
use serde_json::json;
use uuid::Uuid;

use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::clock::Clock;
use crate::passwords::{PasswordHasherPool, Verification};

/// Why a login was refused.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown identifier, wrong password or disabled account: one answer for all.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// Reads the identifier a member types: the 13-character body (what ameli asks for) or the
/// full 15 characters, with or without spaces.
pub fn parse_login_nir(raw: &str) -> Option<Nir> {
    let compact: String = raw
        .chars()
        .filter(|c| !(c.is_whitespace() || *c == '.' || *c == '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if compact.len() == 13 {
        let key = compute_key(&compact)?;
        Nir::parse(&format!("{compact}{key:02}")).ok()
    } else {
        Nir::parse(&compact).ok()
    }
}

/// Checks credentials and records the attempt in the audit log.
#[derive(Clone)]
pub struct Authenticator {
    db: Db,
    hasher: PasswordHasherPool,
    clock: Arc<dyn Clock>,
}

impl Authenticator {
    /// An authenticator over this database.
    pub fn new(db: Db, hasher: PasswordHasherPool, clock: Arc<dyn Clock>) -> Authenticator {
        Authenticator { db, hasher, clock }
    }

    /// The hashing pool (shared with account creation).
    pub fn hasher(&self) -> &PasswordHasherPool {
        &self.hasher
    }

    /// Logs a member in; returns their id.
    ///
    /// # Errors
    /// [`LoginError::InvalidCredentials`] for any refusal.
    pub async fn member_login(
        &self,
        nir_input: &str,
        password: &str,
        context: &RequestContext,
    ) -> Result<Uuid, LoginError> {
        let member = match parse_login_nir(nir_input) {
            Some(nir) => members::find_by_nir(&self.db, nir.as_str())
                .await
                .map_err(CoreError::from)?,
            None => None,
        };
        let account = match &member {
            Some(m) => members::account(&self.db, m.id)
                .await
                .map_err(CoreError::from)?,
            None => None,
        };
        let usable = account
            .filter(|a| a.status == members::account_status::ACTIVE)
            .map(|a| (a.member_id, a.password_hash));
        self.conclude(
            Principal::Member,
            member.map(|m| m.id),
            usable,
            password,
            context,
        )
        .await
    }

    /// Logs a staff user in; returns their id.
    ///
    /// # Errors
    /// [`LoginError::InvalidCredentials`] for any refusal.
    pub async fn staff_login(
        &self,
        login: &str,
        password: &str,
        context: &RequestContext,
    ) -> Result<Uuid, LoginError> {
        let row = staff::find_by_login(&self.db, login.trim())
            .await
            .map_err(CoreError::from)?;
        let known = row.as_ref().map(|s| s.id);
        let usable = row.filter(|s| s.active).map(|s| (s.id, s.password_hash));
        self.conclude(Principal::Staff, known, usable, password, context)
            .await
    }

    /// Verifies the password against the usable account (or the dummy hash), upgrades an old
    /// hash, and records the attempt. `known` is the person the identifier designates, even
    /// when their account cannot log in, so the audit log shows attempts against them.
    async fn conclude(
        &self,
        principal: Principal,
        known: Option<Uuid>,
        usable: Option<(Uuid, String)>,
        password: &str,
        context: &RequestContext,
    ) -> Result<Uuid, LoginError> {
        let verification = self
            .hasher
            .verify(password, usable.as_ref().map(|(_, hash)| hash.as_str()))
            .await?;
        let now = self.clock.now();
        let (kind, succeeded, failed) = principal.codes();
        match (verification, usable) {
            (Verification::Match { needs_rehash }, Some((id, _))) => {
                if needs_rehash {
                    let fresh = self.hasher.hash(password).await?;
                    match principal {
                        Principal::Member => {
                            members::set_password_hash(&self.db, id, fresh, now).await
                        }
                        Principal::Staff => staff::set_password_hash(&self.db, id, fresh).await,
                    }
                    .map_err(CoreError::from)?;
                }
                audit::record(
                    &self.db,
                    context,
                    principal.actor(id),
                    succeeded,
                    Some((kind, id)),
                    json!({}),
                    now,
                )
                .await?;
                Ok(id)
            }
            _ => {
                let subject = known.map(|id| (kind, id));
                audit::record(
                    &self.db,
                    context,
                    Actor::Anonymous,
                    failed,
                    subject,
                    json!({}),
                    now,
                )
                .await?;
                Err(LoginError::InvalidCredentials)
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Principal {
    Member,
    Staff,
}

impl Principal {
    /// Audit subject kind, success action, failure action.
    fn codes(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Principal::Member => ("member", "member.login.succeeded", "member.login.failed"),
            Principal::Staff => ("staff", "staff.login.succeeded", "staff.login.failed"),
        }
    }

    fn actor(self, id: Uuid) -> Actor {
        match self {
            Principal::Member => Actor::Member(id),
            Principal::Staff => Actor::Staff(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_login_nir;

    #[test]
    fn members_may_type_the_thirteen_character_identifier_or_the_full_number() {
        let full = parse_login_nir("1 85 05 78 006 084 91").unwrap();
        let body = parse_login_nir("1850578006084").unwrap();
        assert_eq!(full, body);
        assert_eq!(
            parse_login_nir("2 93 12 2a 004 123").unwrap().as_str(),
            "293122A00412317"
        );
        assert!(parse_login_nir("185057800608492").is_none(), "wrong key");
        assert!(parse_login_nir("").is_none());
    }
}
