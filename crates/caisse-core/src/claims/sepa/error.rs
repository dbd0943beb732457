//! Why a SEPA credit-transfer file is refused. Variants carry positions and counts, never a
//! name, an account number or a remittance text, so an error can go into a log or a ticket.

use super::Totals;

/// Why an identifier (message id, end-to-end id) is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdProblem {
    /// The identifier is empty.
    #[error("empty")]
    Empty,
    /// Longer than [`super::MAX_ID_CHARS`] characters.
    #[error("longer than 35 characters")]
    TooLong,
    /// A character outside the SEPA basic Latin set (letters, digits, `/-?:().,'+` and
    /// space).
    #[error("a character outside the SEPA set")]
    Character,
    /// Starts or ends with `/`, or holds `//`, which the EPC rules forbid.
    #[error("starts or ends with '/' or holds '//'")]
    Slash,
}

impl IdProblem {
    /// What is wrong, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            IdProblem::Empty => "il est vide",
            IdProblem::TooLong => "il dépasse 35 caractères",
            IdProblem::Character => {
                "il contient un caractère interdit (seuls sont admis les lettres non \
                 accentuées, les chiffres, l'espace et / - ? : ( ) . , ' +)"
            }
            IdProblem::Slash => "il commence ou finit par « / », ou contient « // »",
        }
    }
}

/// Why one transfer is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransferProblem {
    /// The end-to-end id is refused.
    #[error("end-to-end id: {0}")]
    EndToEndId(IdProblem),
    /// The amount is zero or negative.
    #[error("the amount is not positive")]
    NonPositiveAmount,
    /// The amount is above [`super::MAX_TRANSFER`].
    #[error("the amount is above 999,999,999.99 EUR")]
    AmountTooLarge,
    /// Nothing is left of the payee's name once reduced to the SEPA set.
    #[error("the creditor's name is empty")]
    EmptyCreditorName,
    /// The remittance information is longer than [`super::MAX_REMITTANCE_CHARS`] once
    /// transliterated.
    #[error("the remittance information is longer than 140 characters")]
    RemittanceTooLong,
}

impl TransferProblem {
    /// What is wrong, in French.
    pub fn message_fr(&self) -> String {
        match self {
            TransferProblem::EndToEndId(problem) => {
                format!(
                    "sa référence de bout en bout est refusée : {}",
                    problem.message_fr()
                )
            }
            TransferProblem::NonPositiveAmount => {
                "son montant est nul ou négatif : un virement est toujours positif".to_owned()
            }
            TransferProblem::AmountTooLarge => {
                "son montant dépasse 999 999 999,99 €, le plafond d'un virement SEPA".to_owned()
            }
            TransferProblem::EmptyCreditorName => {
                "le nom du bénéficiaire est vide une fois réduit aux caractères SEPA".to_owned()
            }
            TransferProblem::RemittanceTooLong => {
                "son libellé dépasse 140 caractères une fois réduit aux caractères SEPA".to_owned()
            }
        }
    }
}

/// Why a SEPA credit-transfer file cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum SepaError {
    /// The file has no transfer.
    #[error("a file without any transfer")]
    Empty,
    /// More transfers than `NbOfTxs` (15 digits) can count.
    #[error("too many transfers for one file")]
    TooManyTransfers,
    /// The message id is refused.
    #[error("message id: {0}")]
    MessageId(IdProblem),
    /// Nothing is left of the debtor's name once reduced to the SEPA set.
    #[error("the debtor's name is empty")]
    EmptyDebtorName,
    /// A date outside the years 1 to 9999.
    #[error("a date outside the years 1 to 9999")]
    DateOutOfRange,
    /// The declared sum is not positive.
    #[error("the control sum is not positive")]
    NonPositiveControlSum,
    /// The sum of the amounts is above [`super::MAX_CONTROL_SUM`].
    #[error("the control sum is above what the file can carry")]
    ControlSumTooLarge,
    /// One transfer is refused; `index` counts from 0 in the order written.
    #[error("transfer {index}: {problem}")]
    Transfer {
        /// Its position, from 0.
        index: u64,
        /// Why.
        problem: TransferProblem,
    },
    /// The transfers written do not add up to the totals declared in the header (or
    /// outnumber them): the output must be thrown away.
    #[error(
        "{} transfers of {} cents declared, {} of {} cents written",
        declared.count,
        declared.sum.cents(),
        written.count,
        written.sum.cents()
    )]
    TotalsMismatch {
        /// The totals given to [`super::Pain001Writer::start`].
        declared: Totals,
        /// The totals of the transfers written so far.
        written: Totals,
    },
    /// Writing failed; the output is incomplete.
    #[error("writing the file: {0}")]
    Io(#[from] std::io::Error),
}

impl SepaError {
    /// What is wrong, in French, for the administrator who asked for the file.
    pub fn message_fr(&self) -> String {
        match self {
            SepaError::Empty => "Le fichier de virements ne compte aucun virement.".to_owned(),
            SepaError::TooManyTransfers => {
                "Le fichier compte trop de virements pour un seul fichier SEPA.".to_owned()
            }
            SepaError::MessageId(problem) => format!(
                "La référence du fichier de virements est refusée : {}.",
                problem.message_fr()
            ),
            SepaError::EmptyDebtorName => {
                "Le nom de la caisse (donneur d'ordre) est vide une fois réduit aux \
                 caractères SEPA."
                    .to_owned()
            }
            SepaError::DateOutOfRange => {
                "La date de création ou d'exécution du fichier est hors des années 1 à 9999."
                    .to_owned()
            }
            SepaError::NonPositiveControlSum => {
                "Le total déclaré des virements est nul ou négatif.".to_owned()
            }
            SepaError::ControlSumTooLarge => {
                "Le total des virements dépasse ce qu'un fichier SEPA peut porter.".to_owned()
            }
            SepaError::Transfer { index, problem } => format!(
                "Virement n° {} du fichier : {}.",
                index + 1,
                problem.message_fr()
            ),
            SepaError::TotalsMismatch { declared, written } => format!(
                "Les virements écrits ({} pour {} centimes) ne correspondent pas au total \
                 annoncé ({} pour {} centimes) : le fichier est inutilisable.",
                written.count,
                written.sum.cents(),
                declared.count,
                declared.sum.cents()
            ),
            SepaError::Io(error) => {
                format!("Le fichier de virements n'a pas pu être écrit ({error}).")
            }
        }
    }
}
