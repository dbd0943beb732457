//! The `pain.001.001.09` document, written as a stream: the header and the payment
//! information's head, then one `CdtTrfTxInf` per transfer, then the closing tags. Only
//! the buffer of the output is held, whatever the number of transfers.
//!
//! The XML is written by hand rather than with `quick-xml`'s writer (in the lock file only
//! through `phonenumber`): the document has one fixed shape, every text in it is first
//! reduced to the SEPA set or checked against it, and [`escape`] is all the XML writing
//! needs; a direct dependency would bring an API that changes with each minor version for
//! no gain.

use std::io::{BufWriter, Write};

use caisse_domain::AmountCents;
use time::{Date, OffsetDateTime, UtcOffset};

use super::amount::Decimal;
use super::text::{check_id, escape, transliterate};
use super::{
    CreditTransfer, FileHeader, MAX_CONTROL_SUM, MAX_NAME_CHARS, MAX_REMITTANCE_CHARS,
    MAX_TRANSFER, SepaError, Totals, TransferProblem,
};

/// The schema's namespace, which names the message and its version.
const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

/// The most transfers `NbOfTxs` (`Max15NumericText`) can count.
const MAX_COUNT: u64 = 999_999_999_999_999;

/// Writes a `pain.001.001.09` document one transfer at a time.
///
/// [`Pain001Writer::start`] takes the totals the header declares; the transfers written must
/// add up to them, which [`Pain001Writer::finish`] checks (and each write, for the count).
/// A writer dropped before `finish`, or any error, leaves an incomplete document: throw the
/// output away.
///
/// ```
/// # use caisse_core::claims::sepa::{Pain001Writer, FileHeader, Totals, CreditTransfer, SepaError};
/// # fn run(header: &FileHeader, transfers: &[CreditTransfer]) -> Result<Vec<u8>, SepaError> {
/// let mut writer = Pain001Writer::start(Vec::new(), header, Totals::of(transfers)?)?;
/// for transfer in transfers {
///     writer.write_transfer(transfer)?;
/// }
/// let bytes = writer.finish()?;
/// # Ok(bytes) }
/// ```
pub struct Pain001Writer<W: Write> {
    out: BufWriter<W>,
    declared: Totals,
    written: Totals,
}

impl<W: Write> std::fmt::Debug for Pain001Writer<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pain001Writer")
            .field("declared", &self.declared)
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

impl<W: Write> Pain001Writer<W> {
    /// Checks the header and the totals, then writes everything before the first transfer.
    /// `out` is buffered here.
    ///
    /// Returns [`SepaError::Empty`] for a count of 0, [`SepaError::TooManyTransfers`],
    /// [`SepaError::NonPositiveControlSum`], [`SepaError::ControlSumTooLarge`],
    /// [`SepaError::MessageId`], [`SepaError::EmptyDebtorName`],
    /// [`SepaError::DateOutOfRange`] or [`SepaError::Io`].
    pub fn start(out: W, header: &FileHeader, totals: Totals) -> Result<Self, SepaError> {
        if totals.count == 0 {
            return Err(SepaError::Empty);
        }
        if totals.count > MAX_COUNT {
            return Err(SepaError::TooManyTransfers);
        }
        if totals.sum.cents() <= 0 {
            return Err(SepaError::NonPositiveControlSum);
        }
        if totals.sum > MAX_CONTROL_SUM {
            return Err(SepaError::ControlSumTooLarge);
        }
        check_id(&header.message_id).map_err(SepaError::MessageId)?;
        let debtor_name = transliterate(&header.debtor.name, MAX_NAME_CHARS);
        if debtor_name.is_empty() {
            return Err(SepaError::EmptyDebtorName);
        }
        let created_at = date_time(header.created_at).ok_or(SepaError::DateOutOfRange)?;
        let execution_date = date(header.execution_date).ok_or(SepaError::DateOutOfRange)?;

        let mut out = BufWriter::new(out);
        let message_id = escape(&header.message_id);
        let debtor_name = escape(&debtor_name);
        let count = totals.count;
        let sum = Decimal(totals.sum);
        write!(
            out,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NAMESPACE}">
  <CstmrCdtTrfInitn>
    <GrpHdr>
      <MsgId>{message_id}</MsgId>
      <CreDtTm>{created_at}</CreDtTm>
      <NbOfTxs>{count}</NbOfTxs>
      <CtrlSum>{sum}</CtrlSum>
      <InitgPty>
        <Nm>{debtor_name}</Nm>
      </InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>{message_id}</PmtInfId>
      <PmtMtd>TRF</PmtMtd>
      <BtchBookg>true</BtchBookg>
      <NbOfTxs>{count}</NbOfTxs>
      <CtrlSum>{sum}</CtrlSum>
      <PmtTpInf>
        <SvcLvl>
          <Cd>SEPA</Cd>
        </SvcLvl>
      </PmtTpInf>
      <ReqdExctnDt>
        <Dt>{execution_date}</Dt>
      </ReqdExctnDt>
      <Dbtr>
        <Nm>{debtor_name}</Nm>
      </Dbtr>
      <DbtrAcct>
        <Id>
          <IBAN>{debtor_iban}</IBAN>
        </Id>
      </DbtrAcct>
      <DbtrAgt>
        <FinInstnId>
          <BICFI>{debtor_bic}</BICFI>
        </FinInstnId>
      </DbtrAgt>
      <ChrgBr>SLEV</ChrgBr>
"#,
            debtor_iban = escape(header.debtor.iban.as_str()),
            debtor_bic = escape(header.debtor.bic.as_str()),
        )?;
        Ok(Pain001Writer {
            out,
            declared: totals,
            written: Totals::default(),
        })
    }

    /// Checks `transfer` and writes it.
    ///
    /// Returns [`SepaError::Transfer`] with its position (from 0) and why it is refused,
    /// [`SepaError::TotalsMismatch`] when it is one more than declared, or
    /// [`SepaError::Io`].
    pub fn write_transfer(&mut self, transfer: &CreditTransfer) -> Result<(), SepaError> {
        let index = self.written.count;
        let texts =
            check_transfer(transfer).map_err(|problem| SepaError::Transfer { index, problem })?;
        let mut written = self.written;
        written.add(transfer.amount)?;
        if written.count > self.declared.count {
            return Err(SepaError::TotalsMismatch {
                declared: self.declared,
                written,
            });
        }
        self.written = written;
        write!(
            self.out,
            r#"      <CdtTrfTxInf>
        <PmtId>
          <EndToEndId>{end_to_end_id}</EndToEndId>
        </PmtId>
        <Amt>
          <InstdAmt Ccy="EUR">{amount}</InstdAmt>
        </Amt>
        <Cdtr>
          <Nm>{name}</Nm>
        </Cdtr>
        <CdtrAcct>
          <Id>
            <IBAN>{iban}</IBAN>
          </Id>
        </CdtrAcct>
"#,
            end_to_end_id = escape(&transfer.end_to_end_id),
            amount = Decimal(transfer.amount),
            name = escape(&texts.creditor_name),
            iban = escape(transfer.creditor_iban.as_str()),
        )?;
        if let Some(remittance) = &texts.remittance {
            write!(
                self.out,
                "        <RmtInf>\n          <Ustrd>{}</Ustrd>\n        </RmtInf>\n",
                escape(remittance)
            )?;
        }
        self.out.write_all(b"      </CdtTrfTxInf>\n")?;
        Ok(())
    }

    /// Checks that the transfers written match the declared totals, closes the document,
    /// flushes it and returns the output.
    ///
    /// Returns [`SepaError::TotalsMismatch`] (the closing tags are then not written) or
    /// [`SepaError::Io`].
    pub fn finish(mut self) -> Result<W, SepaError> {
        if self.written != self.declared {
            return Err(SepaError::TotalsMismatch {
                declared: self.declared,
                written: self.written,
            });
        }
        self.out
            .write_all(b"    </PmtInf>\n  </CstmrCdtTrfInitn>\n</Document>\n")?;
        self.out
            .into_inner()
            .map_err(|error| SepaError::Io(error.into_error()))
    }
}

/// The texts of a transfer as written.
pub(super) struct TransferTexts {
    creditor_name: String,
    remittance: Option<String>,
}

/// Checks a transfer against the SEPA rules and returns its texts reduced to the SEPA set.
pub(super) fn check_transfer(transfer: &CreditTransfer) -> Result<TransferTexts, TransferProblem> {
    check_id(&transfer.end_to_end_id).map_err(TransferProblem::EndToEndId)?;
    if transfer.amount <= AmountCents::new(0) {
        return Err(TransferProblem::NonPositiveAmount);
    }
    if transfer.amount > MAX_TRANSFER {
        return Err(TransferProblem::AmountTooLarge);
    }
    let creditor_name = transliterate(&transfer.creditor_name, MAX_NAME_CHARS);
    if creditor_name.is_empty() {
        return Err(TransferProblem::EmptyCreditorName);
    }
    // Uncut, to tell a text that is too long from one that fits.
    let remittance = transliterate(&transfer.remittance, usize::MAX);
    if remittance.len() > MAX_REMITTANCE_CHARS {
        return Err(TransferProblem::RemittanceTooLong);
    }
    Ok(TransferTexts {
        creditor_name,
        remittance: (!remittance.is_empty()).then_some(remittance),
    })
}

/// `2026-12-05T09:21:28Z`: the instant in UTC, to the second (`xs:dateTime`), or `None`
/// outside the years 1 to 9999.
fn date_time(at: OffsetDateTime) -> Option<String> {
    let utc = at.checked_to_offset(UtcOffset::UTC)?;
    let day = date(utc.date())?;
    Some(format!(
        "{day}T{:02}:{:02}:{:02}Z",
        utc.hour(),
        utc.minute(),
        utc.second()
    ))
}

/// `2026-12-07` (`xs:date`), or `None` outside the years 1 to 9999.
fn date(day: Date) -> Option<String> {
    (1..=9999).contains(&day.year()).then(|| {
        format!(
            "{:04}-{:02}-{:02}",
            day.year(),
            u8::from(day.month()),
            day.day()
        )
    })
}
