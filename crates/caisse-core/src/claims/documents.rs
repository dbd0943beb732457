//! The payment documents a member downloads (`PaymentDocuments`): the monthly statement of
//! reimbursements (`documents_monthly`), the attestation de paiement des indemnités
//! journalières for a period and the yearly relevé fiscal of the IJ (`documents_ij`), as
//! tagged PDFs from `caisse-pdf` with the letterhead of the attestations.
//!
//! Every reading is the signed-in member's: a month, a period or a year with nothing of
//! theirs is [`DocumentError::Nothing`], the same answer whether another member has payments
//! then or nobody has. A period is checked here (the web only parses dates), so the pages and
//! the API refuse the same ones with the same French message.

use std::sync::Arc;

use caisse_domain::paris_time::paris_time;
use caisse_store::members::{self, MemberRecord};
use caisse_store::{Db, claims::ij_payments};
use time::{Date, Month};
use uuid::Uuid;

use super::documents_ij;
use super::documents_monthly;
use crate::CoreError;
use crate::attestations::AttestationSettings;
use crate::clock::Clock;

/// Why a period asked for cannot make a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodProblem {
    /// No such calendar month (month 13).
    NoSuchMonth,
    /// The start is after the end.
    FromAfterTo,
    /// The period, month or year has not begun, or ends after today.
    Future,
    /// A year before the first one kept.
    TooOld,
}

impl PeriodProblem {
    /// What the member reads.
    pub fn message_fr(self) -> &'static str {
        match self {
            PeriodProblem::NoSuchMonth => {
                "Ce mois n’existe pas\u{a0}: choisissez un mois de 1 à 12."
            }
            PeriodProblem::FromAfterTo => {
                "La date de début doit être avant la date de fin (ou le même jour)."
            }
            PeriodProblem::Future => {
                "Cette période n’est pas encore passée\u{a0}: choisissez une période qui se \
                 termine au plus tard aujourd’hui."
            }
            PeriodProblem::TooOld => "Choisissez une année à partir de 2000.",
        }
    }
}

/// Why a document was not made.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The period asked for does not read as one.
    #[error("invalid period: {0:?}")]
    Period(PeriodProblem),
    /// Nothing of the member's in the period: no document to make.
    #[error("nothing paid to the member in the period")]
    Nothing,
    /// Unexpected.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for DocumentError {
    fn from(error: caisse_store::StoreError) -> Self {
        DocumentError::Core(error.into())
    }
}

/// A document ready to download.
pub struct PaymentDocument {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// A file name for the download: `releve-mensuel-2026-03.pdf`.
    pub file_name: String,
}

impl std::fmt::Debug for PaymentDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentDocument")
            .field("file_name", &self.file_name)
            .field("bytes", &self.pdf.len())
            .finish()
    }
}

/// The first year a document may be asked for.
const FIRST_YEAR: i32 = 2000;

/// The member's payment documents.
#[derive(Clone)]
pub struct PaymentDocuments {
    db: Db,
    clock: Arc<dyn Clock>,
    /// The letterhead's phone, website and fallback name: the attestations'.
    settings: Arc<AttestationSettings>,
}

/// The member the document is addressed to, and the fund it is sent in the name of.
pub(super) struct Letter {
    pub(super) sender: caisse_pdf::Sender,
    pub(super) addressee: caisse_pdf::Addressee,
    pub(super) today: Date,
}

impl PaymentDocuments {
    /// The service over `db`, with the letterhead of `settings`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, settings: AttestationSettings) -> PaymentDocuments {
        PaymentDocuments {
            db,
            clock,
            settings: Arc::new(settings),
        }
    }

    fn today(&self) -> Date {
        paris_time(self.clock.now()).date()
    }

    /// The years in which the member was paid indemnités journalières (to them or to their
    /// employer), newest first: the years a relevé fiscal exists for.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "payments.ij_years", skip_all, fields(%member_id))]
    pub async fn ij_years(&self, member_id: Uuid) -> Result<Vec<i32>, CoreError> {
        let mut years: Vec<i32> = ij_payments::paid_of_member(&self.db, member_id, None, None)
            .await?
            .iter()
            .filter_map(|p| p.paid_by.map(|(_, day)| day.year()))
            .collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        Ok(years)
    }

    /// The statement of the member's payments of one calendar month.
    ///
    /// # Errors
    /// [`DocumentError::Period`] for no such month or one not begun,
    /// [`DocumentError::Nothing`] when nothing was paid for the member that month.
    #[tracing::instrument(name = "payments.monthly_statement", skip_all, fields(%member_id, year, month))]
    pub async fn monthly_statement(
        &self,
        member_id: Uuid,
        year: i32,
        month: u8,
    ) -> Result<PaymentDocument, DocumentError> {
        let first_day = Month::try_from(month)
            .ok()
            .and_then(|m| Date::from_calendar_date(year, m, 1).ok())
            .ok_or(DocumentError::Period(PeriodProblem::NoSuchMonth))?;
        check_year(year)?;
        if first_day > self.today() {
            return Err(DocumentError::Period(PeriodProblem::Future));
        }
        let letter = self.letter(member_id).await?;
        let statement =
            documents_monthly::statement(&self.db, member_id, first_day, letter).await?;
        let pdf = render("monthly_statement", move || {
            caisse_pdf::render_monthly_statement(&statement)
        })
        .await?;
        Ok(PaymentDocument {
            pdf,
            file_name: format!("releve-mensuel-{year:04}-{month:02}.pdf"),
        })
    }

    /// The attestation de paiement of the IJ paid from `from` to `to`, both included.
    ///
    /// # Errors
    /// [`DocumentError::Period`] when `from` is after `to` or `to` after today,
    /// [`DocumentError::Nothing`] when no IJ was paid in the period.
    #[tracing::instrument(name = "payments.ij_attestation", skip_all, fields(%member_id))]
    pub async fn ij_attestation(
        &self,
        member_id: Uuid,
        from: Date,
        to: Date,
    ) -> Result<PaymentDocument, DocumentError> {
        check_period(from, to, self.today())?;
        check_year(from.year())?;
        let letter = self.letter(member_id).await?;
        let attestation = documents_ij::attestation(&self.db, member_id, from, to, letter).await?;
        let pdf = render("ij_attestation", move || {
            caisse_pdf::render_ij_attestation(&attestation)
        })
        .await?;
        Ok(PaymentDocument {
            pdf,
            file_name: format!("attestation-ij-{from}-{to}.pdf"),
        })
    }

    /// The relevé fiscal of the IJ paid in the civil year `year`.
    ///
    /// # Errors
    /// [`DocumentError::Period`] for a year not begun or before 2000,
    /// [`DocumentError::Nothing`] when no IJ was paid that year.
    #[tracing::instrument(name = "payments.ij_tax_statement", skip_all, fields(%member_id, year))]
    pub async fn ij_tax_statement(
        &self,
        member_id: Uuid,
        year: i32,
    ) -> Result<PaymentDocument, DocumentError> {
        check_year(year)?;
        if year > self.today().year() {
            return Err(DocumentError::Period(PeriodProblem::Future));
        }
        let letter = self.letter(member_id).await?;
        let statement = documents_ij::tax_statement(&self.db, member_id, year, letter).await?;
        let pdf = render("ij_tax_statement", move || {
            caisse_pdf::render_ij_tax_statement(&statement)
        })
        .await?;
        Ok(PaymentDocument {
            pdf,
            file_name: format!("releve-fiscal-ij-{year:04}.pdf"),
        })
    }

    async fn letter(&self, member_id: Uuid) -> Result<Letter, DocumentError> {
        let member: MemberRecord = members::find(&self.db, member_id)
            .await?
            .ok_or(DocumentError::Nothing)?;
        let settings = &self.settings;
        Ok(Letter {
            sender: crate::letterhead::sender(
                member.caisse_code.as_str(),
                &settings.fallback_fund_name,
                &settings.phone,
                settings.base_url.trim_end_matches('/'),
            ),
            addressee: caisse_pdf::Addressee {
                recipient_lines: crate::letterhead::postal_lines(&member),
                name: member.display_name(),
                nir: member.nir.formatted(),
            },
            today: self.today(),
        })
    }
}

/// A day typed in a form or an address: `2026-03-01` (what a date field sends) or
/// `01/03/2026` (what a member types where the browser has no date field).
pub fn parse_day(value: &str) -> Option<Date> {
    let value = value.trim();
    super::iso_date(value).or_else(|| {
        Date::parse(
            value,
            time::macros::format_description!("[day]/[month]/[year]"),
        )
        .ok()
    })
}

/// A period of days the member chose: `from` not after `to`, `to` not after `today`.
pub fn check_period(from: Date, to: Date, today: Date) -> Result<(), DocumentError> {
    if from > to {
        return Err(DocumentError::Period(PeriodProblem::FromAfterTo));
    }
    if to > today {
        return Err(DocumentError::Period(PeriodProblem::Future));
    }
    Ok(())
}

fn check_year(year: i32) -> Result<(), DocumentError> {
    if year < FIRST_YEAR {
        return Err(DocumentError::Period(PeriodProblem::TooOld));
    }
    Ok(())
}

/// Renders the document `kind` off the async workers (a PDF is CPU work: a few
/// milliseconds) and counts it.
async fn render(
    kind: &'static str,
    job: impl FnOnce() -> Result<Vec<u8>, caisse_pdf::PdfError> + Send + 'static,
) -> Result<Vec<u8>, DocumentError> {
    let pdf = tokio::task::spawn_blocking(job)
        .await
        .map_err(|e| CoreError::Task(e.to_string()))?
        .map_err(CoreError::from)?;
    metrics::counter!("caisse_payment_documents_total", "kind" => kind).increment(1);
    Ok(pdf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_day_reads_in_iso_or_french_form() {
        assert_eq!(parse_day(" 2026-03-01 "), Some(date!(2026 - 03 - 01)));
        assert_eq!(parse_day("01/03/2026"), Some(date!(2026 - 03 - 01)));
        assert_eq!(parse_day("31/02/2026"), None);
        assert_eq!(parse_day("hier"), None);
    }

    #[test]
    fn a_period_ends_today_at_the_latest_and_never_before_it_starts() {
        let today = date!(2026 - 11 - 22);
        assert!(check_period(date!(2026 - 01 - 01), today, today).is_ok());
        assert!(check_period(today, today, today).is_ok());
        assert!(matches!(
            check_period(date!(2026 - 03 - 02), date!(2026 - 03 - 01), today),
            Err(DocumentError::Period(PeriodProblem::FromAfterTo))
        ));
        assert!(matches!(
            check_period(date!(2026 - 11 - 01), date!(2026 - 11 - 23), today),
            Err(DocumentError::Period(PeriodProblem::Future))
        ));
    }
}
