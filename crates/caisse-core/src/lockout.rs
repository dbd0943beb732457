//! Lockout of login identifiers, stored per identifier *typed*, known or not.
//!
//! Keys are SHA-256 digests of the normalised identifier with a prefix per kind of account, so
//! the table never holds a NIR in clear; anyone with the database has the member file anyway,
//! so a keyed hash would add a secret to manage for no gain.

use caisse_domain::{LockoutPolicy, Nir, Verdict};
use caisse_store::{ConnectionTrait, login_throttles};
use time::OffsetDateTime;

use crate::CoreError;
use crate::tokens::token_digest;

/// The throttle key of a member identifier: the NIR when it parses, else the raw input.
pub fn member_key(nir: Option<&Nir>, raw_input: &str) -> String {
    match nir {
        Some(nir) => token_digest(&format!("member:{}", nir.as_str())),
        None => {
            let compact: String = raw_input
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_uppercase)
                .collect();
            token_digest(&format!("member-raw:{compact}"))
        }
    }
}

/// The throttle key of a staff login.
pub fn staff_key(login: &str) -> String {
    token_digest(&format!("staff:{}", login.trim().to_lowercase()))
}

/// Whether a login may be attempted for `key` now.
///
/// # Errors
/// When the database fails.
pub async fn verdict<C: ConnectionTrait>(
    db: &C,
    policy: &LockoutPolicy,
    key: &str,
    now: OffsetDateTime,
) -> Result<Verdict, CoreError> {
    Ok(policy.verdict(&login_throttles::get(db, key).await?, now))
}

/// Counts a failure; returns the end of the lock it starts, if it starts one. Call inside the
/// transaction that also records the attempt, so the count and the audit log agree.
///
/// # Errors
/// When the database fails.
pub async fn record_failure<C: ConnectionTrait>(
    db: &C,
    policy: &LockoutPolicy,
    key: &str,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, CoreError> {
    let state = login_throttles::lock_row(db, key, now).await?;
    let (next, lock) = policy.after_failure(&state, now);
    login_throttles::save(db, key, &next, now).await?;
    Ok(lock)
}

/// Clears the consecutive failures after a successful login (the lock history stays).
///
/// # Errors
/// When the database fails.
pub async fn record_success<C: ConnectionTrait>(
    db: &C,
    policy: &LockoutPolicy,
    key: &str,
    now: OffsetDateTime,
) -> Result<(), CoreError> {
    // Most logins follow no failure: a plain read spares them a write.
    if login_throttles::get(db, key).await?.consecutive_failures > 0 {
        let state = login_throttles::lock_row(db, key, now).await?;
        login_throttles::save(db, key, &policy.after_success(&state), now).await?;
    }
    Ok(())
}

/// Unlocks a member completely (password reset, advisor's unlock): no lock, no failures, the
/// schedule restarts.
///
/// # Errors
/// When the database fails.
pub async fn clear_member<C: ConnectionTrait>(db: &C, nir: &Nir) -> Result<(), CoreError> {
    login_throttles::delete(db, &member_key(Some(nir), "")).await?;
    Ok(())
}

/// Deletes throttles idle for a week that hold no running lock; returns how many.
///
/// # Errors
/// When the database fails.
pub async fn purge_idle<C: ConnectionTrait>(db: &C, now: OffsetDateTime) -> Result<u64, CoreError> {
    Ok(login_throttles::purge_idle(db, now - time::Duration::days(7)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_do_not_hold_the_identifier_and_spellings_agree() {
        let nir = Nir::parse("185057800608491").unwrap();
        let key = member_key(Some(&nir), "");
        assert_eq!(key.len(), 64);
        assert!(!key.contains("1850578"));
        assert_eq!(member_key(None, "abc def"), member_key(None, "ABCDEF"));
        assert_ne!(
            member_key(None, "185057800608491"),
            key,
            "raw and parsed inputs live apart"
        );
        assert_eq!(staff_key(" Admin "), staff_key("admin"));
    }
}
