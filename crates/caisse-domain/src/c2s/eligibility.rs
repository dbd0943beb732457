//! The decision on a C2S application.

use std::fmt;

use time::Date;

use super::calendar::{age_on, first_of_january, rights_after};
use super::{C2sTable, Territory};
use crate::AmountCents;

/// Children count in the household up to this age, excluded.
const CHILD_AGE_LIMIT: u32 = 25;

/// A member's place in the household.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HouseholdRole {
    /// The person who applies.
    Applicant,
    /// The spouse, civil partner or cohabitant.
    Spouse,
    /// A child under 25 in the applicant's or the spouse's charge.
    Child,
    /// Another dependant.
    OtherDependant,
}

/// One person of the household. The birth date is personal: `Debug` hides it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HouseholdMember {
    /// The member's place in the household.
    pub role: HouseholdRole,
    /// The member's birth date.
    pub birth_date: Date,
}

impl HouseholdMember {
    /// A member.
    pub fn new(role: HouseholdRole, birth_date: Date) -> HouseholdMember {
        HouseholdMember { role, birth_date }
    }
}

impl fmt::Debug for HouseholdMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HouseholdMember({:?}, born **)", self.role)
    }
}

/// The rights a decision opens, both days included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct C2sRights {
    /// The first day: the first of the month after the decision.
    pub valid_from: Date,
    /// The last day, twelve months later.
    pub valid_to: Date,
}

/// The ceilings a decision used, so that its letter can quote them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppliedCeilings {
    /// The household's territory.
    pub territory: Territory,
    /// The number of persons of the household.
    pub household_size: usize,
    /// The annual ceiling of the C2S without participation for that household.
    pub free: AmountCents,
    /// The annual ceiling of the C2S with participation for that household.
    pub with_participation: AmountCents,
    /// The first day of the reference row the ceilings come from.
    pub in_force_from: Date,
}

/// What one member pays each month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberParticipation {
    /// The member's index in the household given to [`eligibility`].
    pub member: usize,
    /// The monthly participation of that member.
    pub monthly: AmountCents,
}

/// The three decisions, as a decision letter names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum C2sDecisionKind {
    /// C2S without participation.
    Free,
    /// C2S with a monthly participation.
    WithParticipation,
    /// Resources above the higher ceiling.
    Refused,
}

impl C2sDecisionKind {
    /// The decision's name shown to members.
    pub fn label_fr(self) -> &'static str {
        match self {
            C2sDecisionKind::Free => "C2S sans participation financière",
            C2sDecisionKind::WithParticipation => "C2S avec participation financière",
            C2sDecisionKind::Refused => "Refus",
        }
    }
}

/// The outcome of an application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum C2sOutcome {
    /// Resources at most the lower ceiling: the C2S costs nothing.
    Free,
    /// Resources above the lower ceiling and at most the higher one.
    WithParticipation {
        /// What each member pays a month, in the household's order.
        per_member: Vec<MemberParticipation>,
        /// What the household pays a month.
        monthly_total: AmountCents,
    },
    /// Resources above the higher ceiling.
    Refused {
        /// The ceiling exceeded (with participation).
        ceiling: AmountCents,
        /// By how much the resources exceed it.
        exceeded_by: AmountCents,
    },
}

impl C2sOutcome {
    /// The kind of decision.
    pub fn kind(&self) -> C2sDecisionKind {
        match self {
            C2sOutcome::Free => C2sDecisionKind::Free,
            C2sOutcome::WithParticipation { .. } => C2sDecisionKind::WithParticipation,
            C2sOutcome::Refused { .. } => C2sDecisionKind::Refused,
        }
    }
}

/// The decision on an application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct C2sDecision {
    /// Free, with participation or refused.
    pub outcome: C2sOutcome,
    /// The ceilings compared with the resources.
    pub ceilings: AppliedCeilings,
    /// The rights opened; `None` when refused.
    pub rights: Option<C2sRights>,
}

/// Why no decision can be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum C2sError {
    /// The household has nobody.
    #[error("the household is empty")]
    EmptyHousehold,
    /// Nobody in the household is the applicant.
    #[error("the household has no applicant")]
    NoApplicant,
    /// More than one member is the applicant.
    #[error("the household has several applicants")]
    SeveralApplicants,
    /// More than one member is the spouse.
    #[error("the household has several spouses")]
    SeveralSpouses,
    /// A member is born after the application.
    #[error("member {member} is born after the application")]
    BornAfterApplication {
        /// The member's index.
        member: usize,
    },
    /// A child is 25 or older on the application date.
    #[error("child {member} is 25 or older")]
    ChildTooOld {
        /// The member's index.
        member: usize,
    },
    /// The resources are negative.
    #[error("negative resources")]
    NegativeResources,
    /// The decision is dated before the application.
    #[error("the decision comes before the application")]
    DecisionBeforeApplication,
    /// No ceilings row of the territory is in force on the application date.
    #[error("no C2S ceilings for {} on {on}", territory.code())]
    NoCeilingsInForce {
        /// The territory.
        territory: Territory,
        /// The application date.
        on: Date,
    },
    /// No participation band covers a member's age on the application date.
    #[error("no C2S participation band for member {member} on {on}")]
    NoParticipationBand {
        /// The member's index.
        member: usize,
        /// The application date.
        on: Date,
    },
}

impl C2sError {
    /// The sentence shown to the member or the agent, in French.
    pub fn message_fr(&self) -> String {
        match self {
            C2sError::EmptyHousehold => "Le foyer doit compter au moins une personne.".to_owned(),
            C2sError::NoApplicant => "Le foyer doit compter le demandeur.".to_owned(),
            C2sError::SeveralApplicants => "Le foyer ne peut compter qu'un demandeur.".to_owned(),
            C2sError::SeveralSpouses => {
                "Le foyer ne peut compter qu'un conjoint, concubin ou partenaire.".to_owned()
            }
            C2sError::BornAfterApplication { member } => format!(
                "La personne n° {} du foyer est née après la date de la demande.",
                member + 1
            ),
            C2sError::ChildTooOld { member } => format!(
                "La personne n° {} du foyer a 25 ans ou plus : elle ne peut être comptée comme enfant.",
                member + 1
            ),
            C2sError::NegativeResources => "Les ressources ne peuvent être négatives.".to_owned(),
            C2sError::DecisionBeforeApplication => {
                "La décision ne peut précéder la demande.".to_owned()
            }
            C2sError::NoCeilingsInForce { territory, on } => format!(
                "Aucun plafond de ressources C2S n'est connu pour {} au {}.",
                territory.label_fr(),
                crate::french::numeric_date(*on)
            ),
            C2sError::NoParticipationBand { member, on } => format!(
                "Aucun montant de participation C2S n'est connu au {} pour l'âge de la personne n° {} du foyer.",
                crate::french::numeric_date(*on),
                member + 1
            ),
        }
    }
}

/// The decision on the application of `household`, living in `territory`, made on
/// `application_date` and decided on `decision_date`, with `annual_resources` for the
/// reference months (see [`super::reference_months`] and [`super::DeclaredResources`]).
///
/// The ceilings are those in force on the application date; resources equal to a ceiling
/// stay under it. Each member's participation follows their age on 1 January of the
/// application's year.
pub fn eligibility(
    table: &C2sTable,
    application_date: Date,
    decision_date: Date,
    territory: Territory,
    household: &[HouseholdMember],
    annual_resources: AmountCents,
) -> Result<C2sDecision, C2sError> {
    check_household(household, application_date)?;
    if annual_resources.cents() < 0 {
        return Err(C2sError::NegativeResources);
    }
    if decision_date < application_date {
        return Err(C2sError::DecisionBeforeApplication);
    }
    let row = table
        .ceilings(territory, application_date)
        .ok_or(C2sError::NoCeilingsInForce {
            territory,
            on: application_date,
        })?;
    let household_size = household.len();
    let ceilings = AppliedCeilings {
        territory,
        household_size,
        free: row.free.for_household(household_size),
        with_participation: row.with_participation.for_household(household_size),
        in_force_from: row.validity.from(),
    };
    let outcome = if annual_resources <= ceilings.free {
        C2sOutcome::Free
    } else if annual_resources <= ceilings.with_participation {
        participation(table, household, application_date)?
    } else {
        C2sOutcome::Refused {
            ceiling: ceilings.with_participation,
            exceeded_by: AmountCents::new(
                annual_resources.cents() - ceilings.with_participation.cents(),
            ),
        }
    };
    let rights = match outcome {
        C2sOutcome::Refused { .. } => None,
        _ => Some(rights_after(decision_date)),
    };
    Ok(C2sDecision {
        outcome,
        ceilings,
        rights,
    })
}

fn check_household(household: &[HouseholdMember], application_date: Date) -> Result<(), C2sError> {
    if household.is_empty() {
        return Err(C2sError::EmptyHousehold);
    }
    let count = |role| household.iter().filter(|m| m.role == role).count();
    match count(HouseholdRole::Applicant) {
        0 => return Err(C2sError::NoApplicant),
        1 => {}
        _ => return Err(C2sError::SeveralApplicants),
    }
    if count(HouseholdRole::Spouse) > 1 {
        return Err(C2sError::SeveralSpouses);
    }
    for (member, m) in household.iter().enumerate() {
        if m.birth_date > application_date {
            return Err(C2sError::BornAfterApplication { member });
        }
        if m.role == HouseholdRole::Child
            && age_on(m.birth_date, application_date) >= CHILD_AGE_LIMIT
        {
            return Err(C2sError::ChildTooOld { member });
        }
    }
    Ok(())
}

fn participation(
    table: &C2sTable,
    household: &[HouseholdMember],
    application_date: Date,
) -> Result<C2sOutcome, C2sError> {
    let age_date = first_of_january(application_date);
    let mut per_member = Vec::with_capacity(household.len());
    let mut total = 0_i64;
    for (member, m) in household.iter().enumerate() {
        let age = u8::try_from(age_on(m.birth_date, age_date)).unwrap_or(u8::MAX);
        let band =
            table
                .participation(age, application_date)
                .ok_or(C2sError::NoParticipationBand {
                    member,
                    on: application_date,
                })?;
        total = total.saturating_add(band.monthly.cents());
        per_member.push(MemberParticipation {
            member,
            monthly: band.monthly,
        });
    }
    Ok(C2sOutcome::WithParticipation {
        per_member,
        monthly_total: AmountCents::new(total),
    })
}
