//! Hashed one-time secrets as the use cases see them: session and API tokens, trusted devices,
//! links mailed to members (activation, email confirmation, « Ce n'était pas moi », password
//! reset) and codes typed back (SMS, post, new device). The rules, once:
//!
//! - **Create**: a secret is drawn from the operating system; only its digest is stored
//!   (`Issued`, `issue_link`). Short codes are stored as Argon2id hashes by their use case
//!   (they would fall to brute force as a plain digest), or as a digest bound to the member.
//! - **Find usable**: a link is found by its token's digest and refused as unknown, used or
//!   expired (`live_link`); sessions and tokens are found usable by the store, with their
//!   owner's state, in one query.
//! - **Consume once**: by one conditional update that only an unused, unexpired secret passes,
//!   so of two concurrent uses exactly one wins (`consume_link`, `consume_code`).
//! - **Count before check**: an attempt on a code is counted before the code is compared, and
//!   none is compared once the limit is reached (`attempt_code`).
//!
//! The storage side of the same rules is `caisse_store::one_time`.

use caisse_domain::Instant;
use caisse_store::ConnectionTrait;
use caisse_store::one_time::{self as store, NewLink};
pub use caisse_store::one_time::{CodeRef, Link, LinkKind};
use time::Duration;
use uuid::Uuid;

use crate::CoreError;
use crate::tokens::{random_token, token_digest};

/// A fresh random token and its digest: the token goes to the person (a cookie, a mail, an
/// app), the digest to the database. `Debug` shows neither.
pub(crate) struct Issued {
    /// The secret, handed out once.
    pub(crate) token: String,
    /// Its SHA-256, hex: what is stored.
    pub(crate) digest: String,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Issued(***)")
    }
}

impl Issued {
    /// Draws a new token (32 bytes from the operating system).
    ///
    /// # Errors
    /// [`CoreError::Randomness`].
    pub(crate) fn new() -> Result<Issued, CoreError> {
        let token = random_token()?;
        Ok(Issued {
            digest: token_digest(&token),
            token,
        })
    }
}

/// A uniformly random 6-digit code.
///
/// # Errors
/// [`CoreError::Randomness`].
pub(crate) fn six_digits() -> Result<String, CoreError> {
    loop {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes)?;
        let n = u32::from_le_bytes(bytes);
        // 4,294,000,000 is a multiple of 10⁶: rejecting above it keeps every code equally likely.
        if n < 4_294_000_000 {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

/// Stores a new link of `kind` for a member, valid `ttl`, and returns its token (to mail).
/// With `replace`, the member's unused links of the same kind stop working first: one live
/// link at a time.
///
/// # Errors
/// When randomness or the database fails.
pub(crate) async fn issue_link<C: ConnectionTrait>(
    db: &C,
    kind: LinkKind,
    member_id: Uuid,
    payload: Option<String>,
    ttl: Duration,
    replace: bool,
    now: Instant,
) -> Result<String, CoreError> {
    let issued = Issued::new()?;
    if replace {
        store::spend_unused_links(db, kind, member_id, now).await?;
    }
    store::insert_link(
        db,
        kind,
        NewLink {
            digest: issued.digest,
            member_id,
            payload,
            expires_at: now + ttl,
        },
        now,
    )
    .await?;
    Ok(issued.token)
}

/// Why a presented link cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LinkRefusal {
    /// No such link (of this kind).
    Unknown,
    /// It has served, or a newer one replaced it.
    Used,
    /// Its validity ended.
    Expired,
}

/// The link of `kind` behind `token` if it can be used at `now`, else why not.
///
/// # Errors
/// When the database fails.
pub(crate) async fn live_link<C: ConnectionTrait>(
    db: &C,
    kind: LinkKind,
    token: &str,
    now: Instant,
) -> Result<Result<Link, LinkRefusal>, CoreError> {
    let Some(link) = store::find_link(db, kind, &token_digest(token)).await? else {
        return Ok(Err(LinkRefusal::Unknown));
    };
    Ok(if link.used_at.is_some() {
        Err(LinkRefusal::Used)
    } else if link.expires_at <= now {
        Err(LinkRefusal::Expired)
    } else {
        Ok(link)
    })
}

/// Uses `link` up if it is still unused and unexpired; returns whether this call did (of two
/// concurrent uses, exactly one).
///
/// # Errors
/// When the database fails.
pub(crate) async fn consume_link<C: ConnectionTrait>(
    db: &C,
    kind: LinkKind,
    link: &Link,
    now: Instant,
) -> Result<bool, CoreError> {
    Ok(store::consume_link(db, kind, &link.digest, now).await?)
}

/// What a typed code was worth, its attempt counted first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CodeAttempt {
    /// The right code: consume it with `consume_code`.
    Right,
    /// A wrong code; `last` when it was the last attempt allowed.
    Wrong {
        /// No attempt is left after this one.
        last: bool,
    },
    /// No attempt was left (or the code is used or expired): nothing was compared.
    Exhausted,
}

/// Counts an attempt on `code` (at most `max_attempts`), then, only if it was counted, runs
/// `check` to compare what was typed. However many attempts run at once, at most
/// `max_attempts` comparisons ever happen.
///
/// # Errors
/// When the database or `check` fails.
pub(crate) async fn attempt_code<C: ConnectionTrait>(
    db: &C,
    code: CodeRef,
    max_attempts: u32,
    now: Instant,
    check: impl AsyncFnOnce() -> Result<bool, CoreError>,
) -> Result<CodeAttempt, CoreError> {
    let Some(attempts) = store::reserve_code_attempt(db, code, max_attempts, now).await? else {
        return Ok(CodeAttempt::Exhausted);
    };
    Ok(if check().await? {
        CodeAttempt::Right
    } else {
        CodeAttempt::Wrong {
            last: attempts >= max_attempts,
        }
    })
}

/// Gives back the attempt counted on a right `code` whose use was refused for another reason
/// (the password that came with it breaks the rules).
///
/// # Errors
/// When the database fails.
pub(crate) async fn give_back_attempt<C: ConnectionTrait>(
    db: &C,
    code: CodeRef,
) -> Result<(), CoreError> {
    Ok(store::give_back_code_attempt(db, code).await?)
}

/// Uses `code` up if it is still usable; returns false when a concurrent use won.
///
/// # Errors
/// When the database fails.
pub(crate) async fn consume_code<C: ConnectionTrait>(
    db: &C,
    code: CodeRef,
    now: Instant,
) -> Result<bool, CoreError> {
    Ok(store::consume_code(db, code, now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_six_digits() {
        for _ in 0..100 {
            let code = six_digits().unwrap();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn an_issued_token_comes_with_its_digest_and_hides_both() {
        let issued = Issued::new().unwrap();
        assert_eq!(issued.digest, token_digest(&issued.token));
        assert_ne!(issued.token, Issued::new().unwrap().token);
        assert_eq!(format!("{issued:?}"), "Issued(***)");
    }
}
