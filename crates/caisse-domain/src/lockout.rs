//! Account lockout after repeated wrong passwords: a pure policy over a small state.
//!
//! After `threshold` consecutive failures the identifier is locked for a time that grows with
//! each lock: by default 15 minutes, then 1 hour, 4 hours, and 24 hours for every later lock.
//! The lock count decays: a lock more than `forget_locks_after` (7 days) after the previous one
//! starts the schedule again. A successful login clears the consecutive failures, not the lock
//! count, so an attacker who also knows the password of nobody gains nothing by alternating.
//!
//! The policy applies to the identifier typed, whether or not an account exists behind it, so
//! that locking cannot reveal which numbers are known.

use time::{Duration, OffsetDateTime};

/// The rules of lockout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Consecutive failures that trigger a lock.
    pub threshold: u32,
    /// Duration of the first, second, … lock; the last one repeats.
    pub schedule: Vec<Duration>,
    /// A lock this long after the previous one restarts the schedule.
    pub forget_locks_after: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            threshold: 5,
            schedule: vec![
                Duration::minutes(15),
                Duration::hours(1),
                Duration::hours(4),
                Duration::hours(24),
            ],
            forget_locks_after: Duration::days(7),
        }
    }
}

/// What is remembered about one identifier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThrottleState {
    /// Failures since the last success or lock.
    pub consecutive_failures: u32,
    /// Locks so far (decaying, see the module documentation).
    pub lock_count: u32,
    /// End of the current lock.
    pub locked_until: Option<OffsetDateTime>,
    /// Start of the latest lock.
    pub last_locked_at: Option<OffsetDateTime>,
}

/// Whether a login may be attempted now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The password may be checked.
    Open,
    /// Locked until this instant.
    Locked {
        /// End of the lock.
        until: OffsetDateTime,
    },
}

impl LockoutPolicy {
    /// Whether `state` allows an attempt at `now`.
    pub fn verdict(&self, state: &ThrottleState, now: OffsetDateTime) -> Verdict {
        match state.locked_until {
            Some(until) if until > now => Verdict::Locked { until },
            _ => Verdict::Open,
        }
    }

    /// The state after a wrong password at `now`, and the end of the lock it starts, if any.
    pub fn after_failure(
        &self,
        state: &ThrottleState,
        now: OffsetDateTime,
    ) -> (ThrottleState, Option<OffsetDateTime>) {
        let mut next = *state;
        next.consecutive_failures = state.consecutive_failures.saturating_add(1);
        if next.consecutive_failures < self.threshold.max(1) {
            return (next, None);
        }
        let forgotten = state
            .last_locked_at
            .is_none_or(|at| now - at >= self.forget_locks_after);
        let previous_locks = if forgotten { 0 } else { state.lock_count };
        let index = usize::try_from(previous_locks).unwrap_or(usize::MAX);
        let duration = self
            .schedule
            .get(index)
            .or(self.schedule.last())
            .copied()
            .unwrap_or(Duration::minutes(15));
        let until = now + duration;
        next.consecutive_failures = 0;
        next.lock_count = previous_locks.saturating_add(1);
        next.locked_until = Some(until);
        next.last_locked_at = Some(now);
        (next, Some(until))
    }

    /// The state after a successful login.
    pub fn after_success(&self, state: &ThrottleState) -> ThrottleState {
        ThrottleState {
            consecutive_failures: 0,
            locked_until: None,
            ..*state
        }
    }

    /// The state after the member proved control of the account another way (password reset,
    /// advisor unlock): no lock, no failures, the schedule restarts.
    pub fn after_unlock(&self) -> ThrottleState {
        ThrottleState::default()
    }
}

/// "15 minutes", "1 heure", "4 heures", "24 heures": a lock duration as members read it.
pub fn duration_fr(duration: Duration) -> String {
    let minutes = duration.whole_minutes().max(1);
    if minutes % 60 == 0 {
        let hours = minutes / 60;
        if hours == 1 {
            "1 heure".to_owned()
        } else {
            format!("{hours} heures")
        }
    } else if minutes == 1 {
        "1 minute".to_owned()
    } else {
        format!("{minutes} minutes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-22 10:00 UTC);

    fn fail_times(
        policy: &LockoutPolicy,
        state: ThrottleState,
        n: u32,
        now: OffsetDateTime,
    ) -> (ThrottleState, Option<OffsetDateTime>) {
        let mut state = state;
        let mut lock = None;
        for _ in 0..n {
            let (next, l) = policy.after_failure(&state, now);
            state = next;
            lock = l.or(lock);
        }
        (state, lock)
    }

    #[test]
    fn four_failures_do_not_lock_the_fifth_does() {
        let p = LockoutPolicy::default();
        let (state, lock) = fail_times(&p, ThrottleState::default(), 4, T0);
        assert_eq!((state.consecutive_failures, lock), (4, None));
        assert_eq!(p.verdict(&state, T0), Verdict::Open);
        let (state, lock) = p.after_failure(&state, T0);
        assert_eq!(lock, Some(T0 + Duration::minutes(15)));
        assert_eq!(
            p.verdict(&state, T0 + Duration::minutes(14)),
            Verdict::Locked {
                until: T0 + Duration::minutes(15)
            }
        );
        assert_eq!(p.verdict(&state, T0 + Duration::minutes(15)), Verdict::Open);
    }

    #[test]
    fn each_lock_lasts_longer_then_the_last_duration_repeats() {
        let p = LockoutPolicy::default();
        let mut state = ThrottleState::default();
        let mut now = T0;
        let mut durations = Vec::new();
        for _ in 0..6 {
            let (next, lock) = fail_times(&p, state, 5, now);
            let until = lock.unwrap();
            durations.push(until - now);
            state = next;
            now = until;
        }
        assert_eq!(
            durations,
            vec![
                Duration::minutes(15),
                Duration::hours(1),
                Duration::hours(4),
                Duration::hours(24),
                Duration::hours(24),
                Duration::hours(24)
            ]
        );
    }

    #[test]
    fn a_success_clears_failures_but_not_the_lock_history() {
        let p = LockoutPolicy::default();
        let (locked, _) = fail_times(&p, ThrottleState::default(), 5, T0);
        let after = p.after_success(&locked);
        assert_eq!(
            (
                after.consecutive_failures,
                after.locked_until,
                after.lock_count
            ),
            (0, None, 1)
        );
        let (_, lock) = fail_times(&p, after, 5, T0 + Duration::hours(1));
        assert_eq!(lock, Some(T0 + Duration::hours(2)), "second lock: one hour");
    }

    #[test]
    fn the_schedule_restarts_after_a_quiet_week() {
        let p = LockoutPolicy::default();
        let (locked, _) = fail_times(&p, ThrottleState::default(), 5, T0);
        let later = T0 + Duration::days(8);
        let (_, lock) = fail_times(&p, locked, 5, later);
        assert_eq!(lock, Some(later + Duration::minutes(15)));
    }

    #[test]
    fn an_unlock_forgets_everything() {
        let p = LockoutPolicy::default();
        let (locked, _) = fail_times(&p, ThrottleState::default(), 5, T0);
        assert_eq!(p.after_unlock(), ThrottleState::default());
        assert_ne!(locked, ThrottleState::default());
    }

    #[test]
    fn durations_read_as_french() {
        assert_eq!(duration_fr(Duration::minutes(15)), "15 minutes");
        assert_eq!(duration_fr(Duration::hours(1)), "1 heure");
        assert_eq!(duration_fr(Duration::hours(24)), "24 heures");
    }
}
