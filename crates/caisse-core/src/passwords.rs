//! Argon2id password hashing on a bounded pool.
//!
//! Hashing is deliberately slow and CPU-bound. It runs on Tokio's blocking threads, but at most
//! `workers` at once (a [`BlockingPool`]), so a burst of logins queues here instead of
//! starving the request threads that serve everything else.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::CoreError;
use crate::blocking::BlockingPool;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

/// Argon2id cost parameters (memory in KiB, iterations, lanes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashParams {
    /// Memory cost in KiB.
    pub memory_kib: u32,
    /// Number of passes.
    pub iterations: u32,
    /// Degree of parallelism.
    pub parallelism: u32,
}

impl Default for HashParams {
    /// OWASP's Argon2id baseline: 19 MiB, 2 passes, 1 lane.
    fn default() -> Self {
        HashParams {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// The result of checking a password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verification {
    /// Wrong password (or no account: the dummy hash never matches).
    Mismatch,
    /// Right password.
    Match {
        /// The stored hash used other parameters: store a fresh hash now.
        needs_rehash: bool,
    },
}

/// How much Argon2 work a pool did since it was made: what the same-work guarantees are
/// checked against (an answer that hashes only when an identity matched shows here).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HashingWork {
    /// Passwords or codes hashed.
    pub hashes: u64,
    /// Passwords or codes verified against a stored (or the dummy) hash.
    pub verifications: u64,
}

/// Hashes and verifies passwords with fixed parameters on a bounded pool.
#[derive(Clone)]
pub struct PasswordHasherPool {
    params: Params,
    pool: BlockingPool,
    dummy_hash: Arc<str>,
    hashes: Arc<AtomicU64>,
    verifications: Arc<AtomicU64>,
}

impl PasswordHasherPool {
    /// A pool running at most `workers` hashes at once.
    ///
    /// # Errors
    /// When the parameters are out of Argon2's ranges.
    pub fn new(params: HashParams, workers: usize) -> Result<PasswordHasherPool, CoreError> {
        let params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            None,
        )
        .map_err(|e| CoreError::Hashing(e.to_string()))?;
        // Verifying against this hash costs the same as a real one, so an unknown identifier
        // takes as long to refuse as a wrong password.
        let dummy_hash = hash_sync(&params, "caisse-dummy-password")?;
        Ok(PasswordHasherPool {
            params,
            pool: BlockingPool::new(workers),
            dummy_hash: dummy_hash.into(),
            hashes: Arc::default(),
            verifications: Arc::default(),
        })
    }

    /// The work done so far (by every clone of this pool).
    pub fn work_done(&self) -> HashingWork {
        HashingWork {
            hashes: self.hashes.load(Ordering::Relaxed),
            verifications: self.verifications.load(Ordering::Relaxed),
        }
    }

    /// Holds every worker of the pool until the returned guard is dropped: hashes and checks
    /// wait meanwhile (tests use it to hold attempts at their check).
    ///
    /// # Errors
    /// When the pool is closed.
    pub async fn hold(&self) -> Result<tokio::sync::OwnedSemaphorePermit, CoreError> {
        self.pool
            .hold()
            .await
            .map_err(|_| CoreError::Hashing("hashing pool closed".into()))
    }

    /// Hashes a password into a PHC string.
    ///
    /// # Errors
    /// When hashing fails or the pool is closed.
    pub async fn hash(&self, password: &str) -> Result<String, CoreError> {
        let params = self.params.clone();
        let password = password.to_owned();
        self.hashes.fetch_add(1, Ordering::Relaxed);
        self.run(move || hash_sync(&params, &password)).await?
    }

    /// Verifies a password against a stored PHC string, or against the dummy hash when there is
    /// no stored hash (unknown account), so both cases cost the same.
    ///
    /// # Errors
    /// When the pool is closed.
    pub async fn verify(
        &self,
        password: &str,
        stored: Option<&str>,
    ) -> Result<Verification, CoreError> {
        let known = stored.is_some();
        let stored = stored
            .map(str::to_owned)
            .unwrap_or_else(|| self.dummy_hash.to_string());
        let password = password.to_owned();
        let params = self.params.clone();
        self.verifications.fetch_add(1, Ordering::Relaxed);
        self.run(move || {
            let Ok(parsed) = PasswordHash::new(&stored) else {
                return Verification::Mismatch;
            };
            let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
            if argon.verify_password(password.as_bytes(), &parsed).is_err() || !known {
                return Verification::Mismatch;
            }
            let needs_rehash = Params::try_from(&parsed).map_or(true, |p| {
                (p.m_cost(), p.t_cost(), p.p_cost())
                    != (params.m_cost(), params.t_cost(), params.p_cost())
            }) || parsed.algorithm.as_str() != "argon2id";
            Verification::Match { needs_rehash }
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, CoreError> {
        self.pool
            .run(job)
            .await
            .map_err(|e| CoreError::Hashing(e.to_string()))
    }
}

fn hash_sync(params: &Params, password: &str) -> Result<String, CoreError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| CoreError::Hashing(e.to_string()))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Hashing(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> HashParams {
        HashParams {
            memory_kib: 256,
            iterations: 1,
            parallelism: 1,
        }
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let pool = PasswordHasherPool::new(cheap(), 2).unwrap();
        let hash = pool.hash("Bonjour-Caisse-2026").await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert_eq!(
            pool.verify("Bonjour-Caisse-2026", Some(&hash))
                .await
                .unwrap(),
            Verification::Match {
                needs_rehash: false
            }
        );
        assert_eq!(
            pool.verify("bonjour-caisse-2026", Some(&hash))
                .await
                .unwrap(),
            Verification::Mismatch
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_matches_even_with_the_dummy_password() {
        let pool = PasswordHasherPool::new(cheap(), 1).unwrap();
        assert_eq!(
            pool.verify("caisse-dummy-password", None).await.unwrap(),
            Verification::Mismatch
        );
    }

    #[tokio::test]
    async fn a_hash_made_with_other_parameters_asks_for_a_rehash() {
        let old = PasswordHasherPool::new(cheap(), 1).unwrap();
        let hash = old.hash("Bonjour-Caisse-2026").await.unwrap();
        let new = PasswordHasherPool::new(
            HashParams {
                memory_kib: 512,
                ..cheap()
            },
            1,
        )
        .unwrap();
        assert_eq!(
            new.verify("Bonjour-Caisse-2026", Some(&hash))
                .await
                .unwrap(),
            Verification::Match { needs_rehash: true }
        );
    }
}
