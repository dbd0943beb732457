//! The acknowledgement of a lot (*accusé de réception*): sheets accepted, and each rejected
//! sheet with its reason. It is stored with the lot, so a lot sent again gets the same answer.

use serde::{Deserialize, Serialize};

/// Why a sheet of an accepted lot was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionReason {
    /// No member of the fund has the NIR.
    UnknownBeneficiary,
    /// The member has no beneficiary of that rank.
    UnknownRank,
    /// No coverage period holds the day of care.
    NoRights,
    /// A line's act has no tariff on the day of care.
    UnknownAct,
    /// A line charges more than its act's prix limite de vente (100 % Santé).
    AbovePriceLimit,
    /// The day of care is after the day the lot was received.
    FutureDate,
    /// The day of care is more than two years before the lot.
    TooOld,
    /// The same care (beneficiary, professional, day, acts) was already received.
    Duplicate,
}

impl RejectionReason {
    /// Every reason.
    pub const ALL: [RejectionReason; 8] = [
        RejectionReason::UnknownBeneficiary,
        RejectionReason::UnknownRank,
        RejectionReason::NoRights,
        RejectionReason::UnknownAct,
        RejectionReason::AbovePriceLimit,
        RejectionReason::FutureDate,
        RejectionReason::TooOld,
        RejectionReason::Duplicate,
    ];

    /// The reason, in French, for the sender.
    pub fn message_fr(self) -> &'static str {
        match self {
            RejectionReason::UnknownBeneficiary => "Assuré inconnu de la caisse : vérifiez le NIR.",
            RejectionReason::UnknownRank => "Aucun bénéficiaire n'a ce rang sous ce NIR.",
            RejectionReason::NoRights => {
                "Le bénéficiaire n'avait pas de droits ouverts à la date des soins."
            }
            RejectionReason::UnknownAct => "Acte inconnu ou sans tarif à la date des soins.",
            RejectionReason::AbovePriceLimit => {
                "Montant facturé supérieur au prix limite de vente de l'acte (100 % Santé)."
            }
            RejectionReason::FutureDate => "La date des soins est dans le futur.",
            RejectionReason::TooOld => {
                "La date des soins remonte à plus de deux ans : le délai de transmission est dépassé."
            }
            RejectionReason::Duplicate => {
                "Feuille déjà reçue : mêmes bénéficiaire, professionnel, date et actes."
            }
        }
    }
}

/// One rejected sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedSheet {
    /// The sender's number for the sheet.
    pub sheet: u32,
    /// The line of the file it starts on.
    pub line: u64,
    /// Why.
    pub reason: RejectionReason,
    /// The care line concerned (from 1), for an unknown act or a price above its limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_line: Option<usize>,
    /// The reason in French.
    pub message: String,
}

/// Rejected sheets kept in detail; beyond, they are counted.
pub const MAX_DETAILED: usize = 10_000;

/// What a lot became.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    /// The lot's id at the fund.
    pub lot_id: uuid::Uuid,
    /// The sender (`rpps:…`, `adeli:…`, `finess:…`).
    pub sender: String,
    /// The sender's lot number.
    pub lot_number: u32,
    /// When it was accepted (RFC 3339).
    pub received_at: String,
    /// Sheets accepted, to be liquidated.
    pub sheets_accepted: u64,
    /// Sheets rejected.
    pub sheets_rejected: u64,
    /// The first [`MAX_DETAILED`] rejected sheets, in file order.
    pub rejected: Vec<RejectedSheet>,
}
