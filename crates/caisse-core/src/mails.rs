//! The texts of the mails and SMS the portal sends: one askama template each, under
//! `templates/mail/` and `templates/sms/`, and one struct holding exactly the values it needs.
//!
//! A mail's template is its subject line, a blank line, then its body; [`mail`] splits them
//! and ends the body with a newline. An SMS template is its text. Texts are plain (`.txt`:
//! nothing is escaped) and take dates and durations from [`caisse_domain::french`]. Whoever
//! queues a mail does it through the outbox, in the transaction of the change it reports
//! (see [`crate::outbox`]).

pub mod account;
pub mod agenda;
pub mod claims;
pub mod demarches;
pub mod demo;
pub mod forum;
pub mod franceconnect;
pub mod messaging;
pub mod password_reset;
pub mod profile;
pub mod security;
pub mod staff;

use askama::Template;

/// Why a text could not be written: a bug in a template, never a user's doing.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// Rendering the template failed.
    #[error("rendering {template}: {source}")]
    Render {
        /// The template's struct.
        template: &'static str,
        /// Askama's error.
        source: askama::Error,
    },
    /// A mail template does not start with a subject line and a blank line.
    #[error("{template} has no subject line")]
    NoSubject {
        /// The template's struct.
        template: &'static str,
    },
}

/// What a mail carrying a one-time link needs: whom it greets, the link, how long it works.
/// `Debug` hides the token.
pub struct OneTimeLink<'a> {
    /// The member's first name.
    pub first_name: &'a str,
    /// The portal's address, without a final slash.
    pub base_url: &'a str,
    /// The token of the link.
    pub token: &'a str,
    /// How many hours the link works.
    pub hours: i64,
    /// The fund's name, as the signature.
    pub fund: &'a str,
}

debug_fields!(OneTimeLink<'a> { hours });

/// A mail's subject and body, ready for the outbox.
#[derive(Clone, PartialEq, Eq)]
pub struct MailText {
    /// Subject line.
    pub subject: String,
    /// Body, ending with a newline.
    pub body: String,
}

debug_fields!(MailText { subject });

/// The subject and body of a mail template.
///
/// # Errors
/// [`TextError`] when the template does not render or has no subject line.
pub fn mail<T: Template>(template: &T) -> Result<MailText, TextError> {
    let text = render(template)?;
    let (subject, body) = text
        .split_once("\n\n")
        .filter(|(subject, _)| !subject.trim().is_empty() && !subject.contains('\n'))
        .ok_or(TextError::NoSubject {
            template: std::any::type_name::<T>(),
        })?;
    Ok(MailText {
        subject: subject.to_owned(),
        body: format!("{body}\n"),
    })
}

/// The text of a template without a subject line (a part of a mail's body), ending with a
/// newline.
///
/// # Errors
/// [`TextError::Render`] when the template does not render.
pub fn body<T: Template>(template: &T) -> Result<String, TextError> {
    Ok(format!("{}\n", render(template)?))
}

/// The text of an SMS template.
///
/// # Errors
/// [`TextError::Render`] when the template does not render.
pub fn sms<T: Template>(template: &T) -> Result<String, TextError> {
    render(template)
}

/// A template rendered as it is; askama drops the final newline of its file.
fn render<T: Template>(template: &T) -> Result<String, TextError> {
    template.render().map_err(|source| TextError::Render {
        template: std::any::type_name::<T>(),
        source,
    })
}

#[cfg(test)]
mod tests;
