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
//!
//! An attempt is counted *before* its password or code is checked ([`LockoutPolicy::reserve`]):
//! it counts as a failure at once, and may start the lock. So however many attempts run at the
//! same time, at most `threshold` of them are checked before the lock. An attempt that turns
//! out right is then given back ([`LockoutPolicy::after_release`]), but only if no lock was set
//! since it was counted: a success never clears a lock that other attempts started.

use time::Duration;

use crate::Instant;

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
    pub locked_until: Option<Instant>,
    /// Start of the latest lock.
    pub last_locked_at: Option<Instant>,
}

/// Whether a login may be attempted now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The password may be checked.
    Open,
    /// Locked until this instant.
    Locked {
        /// End of the lock.
        until: Instant,
    },
}

/// An attempt counted before it is checked: the state just before and just after counting it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reservation {
    /// The state the attempt was counted on.
    pub before: ThrottleState,
    /// The state with the attempt counted as a failure.
    pub after: ThrottleState,
    /// The end of the lock this very attempt started, if it reached the threshold.
    pub lock: Option<Instant>,
}

/// How an attempt that was counted in advance ends, when it did not fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// The attempt does not count (a staff user's right password: only the code clears the
    /// failures before it).
    Undo,
    /// A success: the failures counted before it are cleared too (not the lock history).
    Success,
    /// The member proved control of the account another way (a provisional code by post): no
    /// failure, no lock history, the schedule restarts.
    Unlock,
}

impl LockoutPolicy {
    /// Counts an attempt at `now` before it is checked: refused while locked; otherwise the
    /// attempt counts as a failure now, and starts the lock when it reaches the threshold.
    ///
    /// # Errors
    /// The end of the running lock.
    pub fn reserve(&self, state: &ThrottleState, now: Instant) -> Result<Reservation, Instant> {
        if let Verdict::Locked { until } = self.verdict(state, now) {
            return Err(until);
        }
        let (after, lock) = self.after_failure(state, now);
        Ok(Reservation {
            before: *state,
            after,
            lock,
        })
    }

    /// The state once `reservation`, counted as a failure, is given back as `release`, from
    /// the `current` state; `None` when it must stay as it is. When a lock was set since the
    /// reservation (by another attempt, or an earlier lock forgotten and started again),
    /// nothing changes: a success never clears a lock it did not start. Failures counted after
    /// the reservation are kept.
    pub fn after_release(
        &self,
        current: &ThrottleState,
        reservation: &Reservation,
        release: Release,
    ) -> Option<ThrottleState> {
        let generation = |s: &ThrottleState| (s.lock_count, s.last_locked_at);
        if generation(current) != generation(&reservation.after) {
            return None;
        }
        let since = current
            .consecutive_failures
            .saturating_sub(reservation.after.consecutive_failures);
        // The lock fields as they were before the reservation when it started the lock (it is
        // undone), else as they are.
        let unlocked = if reservation.lock.is_some() {
            ThrottleState {
                consecutive_failures: 0,
                ..reservation.before
            }
        } else {
            ThrottleState {
                consecutive_failures: 0,
                locked_until: None,
                ..*current
            }
        };
        let next = match release {
            Release::Undo => ThrottleState {
                consecutive_failures: reservation
                    .before
                    .consecutive_failures
                    .saturating_add(since),
                ..unlocked
            },
            Release::Success => ThrottleState {
                consecutive_failures: since,
                ..unlocked
            },
            Release::Unlock => ThrottleState {
                consecutive_failures: since,
                ..ThrottleState::default()
            },
        };
        (next != *current).then_some(next)
    }

    /// Whether `state` allows an attempt at `now`.
    pub fn verdict(&self, state: &ThrottleState, now: Instant) -> Verdict {
        match state.locked_until {
            Some(until) if until > now => Verdict::Locked { until },
            _ => Verdict::Open,
        }
    }

    /// The state after a wrong password at `now`, and the end of the lock it starts, if any.
    pub fn after_failure(
        &self,
        state: &ThrottleState,
        now: Instant,
    ) -> (ThrottleState, Option<Instant>) {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: Instant = Instant::new(datetime!(2026-11-22 10:00 UTC));

    fn fail_times(
        policy: &LockoutPolicy,
        state: ThrottleState,
        n: u32,
        now: Instant,
    ) -> (ThrottleState, Option<Instant>) {
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

    fn reserve(p: &LockoutPolicy, state: &mut ThrottleState, now: Instant) -> Reservation {
        let reservation = p.reserve(state, now).expect("open");
        *state = reservation.after;
        reservation
    }

    #[test]
    fn attempts_count_before_they_are_checked_and_only_threshold_are_let_through() {
        let p = LockoutPolicy::default();
        let mut state = ThrottleState::default();
        let granted: Vec<Reservation> = (0..20)
            .map_while(|_| {
                let reservation = p.reserve(&state, T0).ok()?;
                state = reservation.after;
                Some(reservation)
            })
            .collect();
        assert_eq!(granted.len(), 5);
        assert_eq!(granted[4].lock, Some(T0 + Duration::minutes(15)));
        assert!(granted[..4].iter().all(|r| r.lock.is_none()));
        assert_eq!(p.reserve(&state, T0), Err(T0 + Duration::minutes(15)));
    }

    #[test]
    fn a_success_clears_failures_but_not_the_lock_history() {
        let p = LockoutPolicy::default();
        let (locked, _) = fail_times(&p, ThrottleState::default(), 5, T0);
        let later = T0 + Duration::minutes(20);
        let mut state = locked;
        let reservation = reserve(&p, &mut state, later);
        let after = p
            .after_release(&state, &reservation, Release::Success)
            .unwrap();
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
    fn a_right_attempt_that_reached_the_threshold_undoes_its_own_lock() {
        let p = LockoutPolicy::default();
        let (mut state, _) = fail_times(&p, ThrottleState::default(), 4, T0);
        let reservation = reserve(&p, &mut state, T0);
        assert!(reservation.lock.is_some());
        let after = p
            .after_release(&state, &reservation, Release::Success)
            .unwrap();
        assert_eq!(after, ThrottleState::default());
        assert_eq!(p.verdict(&after, T0), Verdict::Open);
    }

    #[test]
    fn a_success_never_clears_a_lock_set_after_it_was_counted() {
        let p = LockoutPolicy::default();
        let mut state = ThrottleState::default();
        let right = reserve(&p, &mut state, T0);
        for _ in 0..4 {
            reserve(&p, &mut state, T0);
        }
        assert!(matches!(p.verdict(&state, T0), Verdict::Locked { .. }));
        for release in [Release::Success, Release::Undo, Release::Unlock] {
            assert_eq!(p.after_release(&state, &right, release), None);
        }
    }

    #[test]
    fn failures_counted_after_a_success_still_count() {
        let p = LockoutPolicy::default();
        let mut state = ThrottleState::default();
        reserve(&p, &mut state, T0);
        let right = reserve(&p, &mut state, T0);
        reserve(&p, &mut state, T0);
        reserve(&p, &mut state, T0);
        let success = p.after_release(&state, &right, Release::Success).unwrap();
        assert_eq!(success.consecutive_failures, 2, "the two after it");
        let undo = p.after_release(&state, &right, Release::Undo).unwrap();
        assert_eq!(undo.consecutive_failures, 3, "all but itself");
    }

    #[test]
    fn an_unlock_forgets_the_history() {
        let p = LockoutPolicy::default();
        let (mut state, _) = fail_times(&p, ThrottleState::default(), 5, T0);
        let later = T0 + Duration::hours(1);
        let proof = reserve(&p, &mut state, later);
        assert_eq!(
            p.after_release(&state, &proof, Release::Unlock),
            Some(ThrottleState::default())
        );
    }

    #[test]
    fn a_row_deleted_meanwhile_is_left_alone() {
        let p = LockoutPolicy::default();
        let mut state = ThrottleState::default();
        let reservation = reserve(&p, &mut state, T0);
        assert_eq!(
            p.after_release(&ThrottleState::default(), &reservation, Release::Success),
            None
        );
    }

    #[test]
    fn the_schedule_restarts_after_a_quiet_week() {
        let p = LockoutPolicy::default();
        let (locked, _) = fail_times(&p, ThrottleState::default(), 5, T0);
        let later = T0 + Duration::days(8);
        let (_, lock) = fail_times(&p, locked, 5, later);
        assert_eq!(lock, Some(later + Duration::minutes(15)));
    }
}
