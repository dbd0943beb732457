//! The beneficiary's situation on the day of care, computed by the caller from the rights.

use std::fmt;

use time::{Date, Duration};

/// Why a maternity window was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a maternity window ends before it starts")]
pub struct MaternityWindowError;

impl MaternityWindowError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> &'static str {
        "La période de maternité se termine avant de commencer."
    }
}

/// The days all care is covered at 100 % with no participation nor franchise: from the first
/// day of the 6th month of pregnancy to the 12th day after birth (domain-2.md §1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaternityWindow {
    first_day: Date,
    last_day: Date,
}

/// Days after birth the maternity cover lasts.
const DAYS_AFTER_BIRTH: i64 = 12;

impl MaternityWindow {
    /// The window from the first day of the 6th month to 12 days after `birth` (the day of
    /// birth + 12, included).
    pub fn from_pregnancy(
        sixth_month_first_day: Date,
        birth: Date,
    ) -> Result<MaternityWindow, MaternityWindowError> {
        let last_day = birth.saturating_add(Duration::days(DAYS_AFTER_BIRTH));
        MaternityWindow::new(sixth_month_first_day, last_day)
    }

    /// A window from `first_day` to `last_day`, both included.
    pub fn new(first_day: Date, last_day: Date) -> Result<MaternityWindow, MaternityWindowError> {
        if last_day < first_day {
            Err(MaternityWindowError)
        } else {
            Ok(MaternityWindow {
                first_day,
                last_day,
            })
        }
    }

    /// True when `day` is in the window.
    pub fn contains(&self, day: Date) -> bool {
        self.first_day <= day && day <= self.last_day
    }
}

/// What the rights say of the beneficiary on the day of care.
#[derive(Clone, PartialEq, Eq)]
pub struct Situation {
    /// Birth date (the age on the day of care decides the minors' exemption and the
    /// parcours).
    pub birth_date: Date,
    /// An ALD is recognised.
    pub ald: bool,
    /// A maternity window, if any.
    pub maternity: Option<MaternityWindow>,
    /// Complémentaire santé solidaire.
    pub c2s: bool,
    /// Aide médicale de l'État.
    pub ame: bool,
    /// An open AT/MP file.
    pub at_mp: bool,
    /// An invalidity pension.
    pub invalidite: bool,
    /// Affiliated to the Alsace-Moselle régime local.
    pub regime_local: bool,
    /// A médecin traitant is declared.
    pub medecin_traitant_declared: bool,
}

impl Situation {
    /// Whole years of age on `day` (someone born on 29 February has their birthday on
    /// 1 March in other years).
    pub fn age_on(&self, day: Date) -> i32 {
        let birthday_passed = (day.month() as u8, day.day())
            >= (self.birth_date.month() as u8, self.birth_date.day());
        day.year() - self.birth_date.year() - i32::from(!birthday_passed)
    }
}

// Birth date and health situation are personal data.
impl fmt::Debug for Situation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Situation { .. }")
    }
}
