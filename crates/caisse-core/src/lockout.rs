//! Lockout of login identifiers, stored per identifier *typed*, known or not.
//!
//! Keys are SHA-256 digests of the normalised identifier with a prefix per kind of account, so
//! the table never holds a NIR in clear; anyone with the database has the member file anyway,
//! so a keyed hash would add a secret to manage for no gain.
//!
//! Every attempt is counted before its password or code is checked ([`reserve`]), and given
//! back when it succeeds ([`release`]), so the limit holds whatever the concurrency.

use caisse_domain::{Instant, LockoutPolicy, Nir, Release, Reservation, Verdict};
use caisse_store::{ConnectionTrait, Db, TransactionTrait, login_throttles};

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
    now: Instant,
) -> Result<Verdict, CoreError> {
    Ok(policy.verdict(&login_throttles::get(db, key).await?, now))
}

/// An attempt counted in advance on a key: check the password or code only when holding one.
#[derive(Clone, Debug)]
pub struct Reserved {
    key: String,
    reservation: Reservation,
}

impl Reserved {
    /// The end of the lock this attempt started (it was the last one allowed), if it did.
    pub fn lock_started(&self) -> Option<Instant> {
        self.reservation.lock
    }
}

/// Counts an attempt on `key` as a failure *before* its password or code is checked, in one
/// short transaction that holds the key's row: refused while locked, otherwise counted, and
/// the lock starts when it reaches the threshold. Whatever the concurrency, at most
/// `threshold` attempts are let through before the lock, on every node.
///
/// # Errors
/// [`Refusal::Locked`] while locked; [`Refusal::Core`] when the database fails.
pub async fn reserve(
    db: &Db,
    policy: &LockoutPolicy,
    key: &str,
    now: Instant,
) -> Result<Reserved, Refusal> {
    let txn = db.begin().await.map_err(CoreError::from)?;
    // On SQLite the row's insert takes the write lock before the read; on PostgreSQL the read
    // is `FOR UPDATE` (see `login_throttles`).
    let state = login_throttles::lock_row(&txn, key, now)
        .await
        .map_err(CoreError::from)?;
    let reservation = match policy.reserve(&state, now) {
        Ok(reservation) => reservation,
        Err(until) => {
            txn.commit().await.map_err(CoreError::from)?;
            return Err(Refusal::Locked { until });
        }
    };
    login_throttles::save(&txn, key, &reservation.after, now)
        .await
        .map_err(CoreError::from)?;
    txn.commit().await.map_err(CoreError::from)?;
    Ok(Reserved {
        key: key.to_owned(),
        reservation,
    })
}

/// Gives back an attempt that did not fail (see [`Release`]), unless a lock was set since it
/// was counted. Call inside the transaction that records the success.
///
/// # Errors
/// When the database fails.
pub async fn release<C: ConnectionTrait>(
    db: &C,
    policy: &LockoutPolicy,
    reserved: &Reserved,
    release: Release,
    now: Instant,
) -> Result<(), CoreError> {
    let current = login_throttles::lock_row(db, &reserved.key, now).await?;
    if let Some(next) = policy.after_release(&current, &reserved.reservation, release) {
        login_throttles::save(db, &reserved.key, &next, now).await?;
    }
    Ok(())
}

/// Why an attempt was not counted.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// Locked until `until`: the attempt is not checked.
    #[error("locked until {}", until.get())]
    Locked {
        /// End of the lock.
        until: Instant,
    },
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// Unlocks a member completely (password reset, staff member's unlock): no lock, no failures, the
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
pub async fn purge_idle<C: ConnectionTrait>(
    db: &C,
    now: impl Into<Instant>,
) -> Result<u64, CoreError> {
    Ok(login_throttles::purge_idle(db, now.into() - time::Duration::days(7)).await?)
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
