//! HTML pages, one module per area. Each page has its template struct beside its handler.

pub mod agenda;
pub mod attachments;
pub mod attestations;
pub mod back_office;
pub mod debts;
pub mod demarches;
pub mod forum;
pub mod franceconnect;
pub mod help;
pub mod home;
pub mod info;
pub mod login_code;
pub mod mediation;
pub mod member_login;
pub mod messaging;
pub mod not_me;
pub mod password_reset;
pub mod payment_documents;
pub mod payments;
pub mod profile;
pub mod provisional_code;
pub mod registration;
pub mod verify;

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use caisse_core::messaging::ThreadPdf;
use caisse_domain::messaging::Catalogue;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::error::AppError;

/// Renders a template into an HTML response.
pub fn render<T: Template>(template: &T) -> Result<Html<String>, AppError> {
    Ok(Html(template.render()?))
}

/// One `<option>` of a select.
pub struct Choice {
    /// The value sent.
    pub code: String,
    /// What the option reads.
    pub label: String,
}

/// An `<optgroup>` of a select.
pub struct ChoiceGroup {
    /// What the group reads.
    pub label: String,
    /// Its options.
    pub choices: Vec<Choice>,
}

/// The objets of `catalogue` by category, for a select.
pub fn objet_groups(catalogue: &Catalogue) -> Vec<ChoiceGroup> {
    catalogue
        .categories()
        .into_iter()
        .map(|category| ChoiceGroup {
            label: category.label.to_owned(),
            choices: category
                .objets
                .into_iter()
                .map(|o| Choice {
                    code: o.code().to_owned(),
                    label: o.label_fr().to_owned(),
                })
                .collect(),
        })
        .collect()
}

/// A thread's PDF as a download named after its reference (`message-M-2026-K7Q3-9DXA.pdf`;
/// references hold only letters, digits and dashes).
pub fn thread_pdf_download(pdf: ThreadPdf) -> Response {
    pdf_download(&format!("message-{}.pdf", pdf.reference), pdf.bytes)
}

/// A PDF as a download (`Content-Disposition: attachment`) named `file_name`, which the
/// caller builds from ASCII letters, digits, dashes and dots only.
pub fn pdf_download(file_name: &str, bytes: Vec<u8>) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// "22/11/2026 à 16 h 04" in Paris legal time, for what members read.
pub fn paris_fr(instant: OffsetDateTime) -> String {
    let t = caisse_domain::paris_time::paris_time(instant);
    caisse_domain::french::numeric_date_time(PrimitiveDateTime::new(t.date(), t.time()))
}

/// "22/11/2026 à 15:04 UTC", for operators' screens.
pub fn instant_utc(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(time::UtcOffset::UTC);
    format!(
        "{:02}/{:02}/{} à {:02}:{:02} UTC",
        utc.day(),
        u8::from(utc.month()),
        utc.year(),
        utc.hour(),
        utc.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn dates_read_as_french() {
        assert_eq!(
            instant_utc(datetime!(2026-11-22 15:04:09 UTC)),
            "22/11/2026 à 15:04 UTC"
        );
        // Winter time is UTC+1, summer time UTC+2.
        assert_eq!(
            paris_fr(datetime!(2026-11-22 15:04:09 UTC)),
            "22/11/2026 à 16 h 04"
        );
        assert_eq!(
            paris_fr(datetime!(2026-07-01 07:30:00 UTC)),
            "01/07/2026 à 9 h 30"
        );
    }
}
