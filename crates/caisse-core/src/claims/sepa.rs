//! The SEPA credit-transfer file by which the fund pays a day's reimbursements: ISO 20022
//! `pain.001.001.09` (customer credit transfer initiation), as the fund's bank receives it.
//! `docs/payments.md` describes the file field by field.
//!
//! Pure: values in, bytes out to any [`std::io::Write`]. [`write_pain_001_001_09`] writes a
//! [`TransferFile`] held in memory after checking all of it; [`Pain001Writer`] writes one
//! transfer at a time, for a day of a million payments read from the database as a stream
//! (its count and sum are declared first, since the file's header carries them).
//!
//! Free text (names, remittance information) is reduced to the SEPA basic Latin character
//! set (`text`); identifiers must already be in it and are refused otherwise. Amounts are
//! written from integer cents (`amount`). Every refusal is a [`SepaError`] with its French
//! sentence; none quotes a name or an account number.

mod amount;
mod error;
#[cfg(test)]
mod tests;
mod text;
mod writer;

use caisse_domain::{AmountCents, Bic, Iban};

pub use error::{IdProblem, SepaError, TransferProblem};
pub use writer::Pain001Writer;

/// The longest identifier (`Max35Text`): message id and end-to-end id.
pub const MAX_ID_CHARS: usize = 35;

/// The longest name written: names longer than this, once transliterated, are cut (the EPC
/// rules allow 70 characters where the schema allows 140).
pub const MAX_NAME_CHARS: usize = 70;

/// The longest unstructured remittance information (`Max140Text`).
pub const MAX_REMITTANCE_CHARS: usize = 140;

/// The largest amount of one SEPA credit transfer, 999,999,999.99 EUR (EPC rulebook).
pub const MAX_TRANSFER: AmountCents = AmountCents::new(99_999_999_999);

/// The largest control sum the schema's `DecimalNumber` (18 digits) can carry, in cents.
pub const MAX_CONTROL_SUM: AmountCents = AmountCents::new(999_999_999_999_999_999);

/// The fund that pays: the ordering party and owner of the debited account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Debtor {
    /// The fund's name, written transliterated and cut to [`MAX_NAME_CHARS`].
    pub name: String,
    /// The account debited.
    pub iban: Iban,
    /// The bank holding that account.
    pub bic: Bic,
}

/// One payment to one payee.
#[derive(Clone, PartialEq, Eq)]
pub struct CreditTransfer {
    /// The payment's reference, returned with any reject or return: 1 to 35 characters of
    /// the SEPA set, not starting or ending with `/` and without `//`.
    pub end_to_end_id: String,
    /// The payee's name, written transliterated and cut to [`MAX_NAME_CHARS`].
    pub creditor_name: String,
    /// The payee's account.
    pub creditor_iban: Iban,
    /// Positive, at most [`MAX_TRANSFER`].
    pub amount: AmountCents,
    /// What the payee reads on their statement, written transliterated; at most
    /// [`MAX_REMITTANCE_CHARS`] once transliterated, left out when empty.
    pub remittance: String,
}

impl std::fmt::Debug for CreditTransfer {
    /// The payee's name and remittance text are personal: only the id, the masked IBAN and
    /// the amount show.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreditTransfer")
            .field("end_to_end_id", &self.end_to_end_id)
            .field("creditor_iban", &self.creditor_iban)
            .field("amount", &self.amount)
            .finish_non_exhaustive()
    }
}

/// What a file says once, before its transfers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileHeader {
    /// The file's unique reference for the bank (also used as the payment information id):
    /// same rules as [`CreditTransfer::end_to_end_id`].
    pub message_id: String,
    /// When the file was made; written in UTC, to the second.
    pub created_at: time::OffsetDateTime,
    /// The day the fund's account is to be debited.
    pub execution_date: time::Date,
    /// The fund that pays.
    pub debtor: Debtor,
}

/// A whole file held in memory: its header and its transfers, in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferFile {
    /// Message id, dates and debtor.
    pub header: FileHeader,
    /// At least one.
    pub transfers: Vec<CreditTransfer>,
}

/// The number of transfers of a file and the sum of their amounts, which its header
/// declares (`NbOfTxs`, `CtrlSum`) and the bank checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// How many transfers.
    pub count: u64,
    /// The sum of their amounts.
    pub sum: AmountCents,
}

impl Totals {
    /// Counts one more transfer of `amount`.
    ///
    /// Returns [`SepaError::ControlSumTooLarge`] past [`MAX_CONTROL_SUM`].
    pub fn add(&mut self, amount: AmountCents) -> Result<(), SepaError> {
        let sum = self
            .sum
            .cents()
            .checked_add(amount.cents())
            .filter(|sum| *sum <= MAX_CONTROL_SUM.cents())
            .ok_or(SepaError::ControlSumTooLarge)?;
        self.sum = AmountCents::new(sum);
        self.count += 1;
        Ok(())
    }

    /// The totals of `transfers`.
    ///
    /// Returns [`SepaError::ControlSumTooLarge`] past [`MAX_CONTROL_SUM`].
    pub fn of(transfers: &[CreditTransfer]) -> Result<Totals, SepaError> {
        let mut totals = Totals::default();
        for transfer in transfers {
            totals.add(transfer.amount)?;
        }
        Ok(totals)
    }
}

/// Writes `file` as a `pain.001.001.09` document to `out`.
///
/// Every transfer is checked before the first byte is written, so a refused file leaves
/// `out` untouched; only an input/output failure ([`SepaError::Io`]) can leave it half
/// written. Returns [`SepaError::Empty`] for a file without transfers, the header's errors
/// of [`Pain001Writer::start`], and [`SepaError::Transfer`] naming the first transfer
/// refused (from 0) and why.
pub fn write_pain_001_001_09(
    file: &TransferFile,
    out: impl std::io::Write,
) -> Result<(), SepaError> {
    for (index, transfer) in file.transfers.iter().enumerate() {
        writer::check_transfer(transfer).map_err(|problem| SepaError::Transfer {
            index: index as u64,
            problem,
        })?;
    }
    let totals = Totals::of(&file.transfers)?;
    let mut writer = Pain001Writer::start(out, &file.header, totals)?;
    for transfer in &file.transfers {
        writer.write_transfer(transfer)?;
    }
    writer.finish()?;
    Ok(())
}
