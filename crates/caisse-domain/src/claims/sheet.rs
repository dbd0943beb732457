//! A care sheet (*feuille de soins*) as the engine reads it: who, by whom, when, and its lines.

use time::Date;

use super::{ActCode, Coefficient, ProfessionalId, Quantity};
use crate::{AmountCents, Nir};

/// Where the care stands in the *parcours de soins coordonnés*, as the professional declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Parcours {
    /// By the médecin traitant (or their replacement).
    MedecinTraitant,
    /// Referred by the médecin traitant.
    Oriente,
    /// A specialty the patient may see directly (gynécologie, ophtalmologie, psychiatrie of
    /// the 16–25, stomatologie).
    AccesDirect,
    /// An emergency.
    Urgence,
    /// Outside the parcours: the patient chose to see this médecin without referral.
    HorsParcours,
}

/// One act billed on a sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CareLine {
    /// The act.
    pub code: ActCode,
    /// How many (boxes, legs, sessions).
    pub quantity: Quantity,
    /// The NGAP coefficient (`AMI 1,5`).
    pub coefficient: Coefficient,
    /// What the professional charged for the line, never negative.
    pub charged: AmountCents,
    /// Care in relation to the beneficiary's ALD (ordonnancier bizone).
    pub ald: bool,
    /// Care for the beneficiary's work accident or occupational disease.
    pub at_mp: bool,
}

/// A care sheet: one beneficiary, one professional, one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CareSheet {
    /// The insured member's NIR.
    pub nir: Nir,
    /// The beneficiary's rank under that NIR (1 for the insured member).
    pub rank: u8,
    /// Who billed the care.
    pub professional: ProfessionalId,
    /// Who prescribed it, for prescribed care.
    pub prescriber: Option<ProfessionalId>,
    /// The day of care.
    pub date_of_care: Date,
    /// The professional is paid by the fund (the member advanced nothing).
    pub tiers_payant: bool,
    /// Where the care stands in the parcours de soins.
    pub parcours: Parcours,
    /// The acts, in order.
    pub lines: Vec<CareLine>,
}
