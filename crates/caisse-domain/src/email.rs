//! The member's email address, where validation links and notifications are sent.
//!
//! RFC syntax is checked by the `email_address` crate; on top of it we apply a stricter
//! policy, because the RFC allows forms that real mailboxes of members never use and that
//! other systems (SMTP relays, CRM exports) often mishandle: quoted local parts, IP
//! literals, single-label domains. Parsing proves the syntax only, not that the mailbox
//! exists: that is what the confirmation link is for.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use email_address::{EmailAddress, Options};

/// Longest accepted address, in bytes: the limit of an SMTP forward path (RFC 5321).
const MAX_LEN: usize = 254;

/// An email address that passed our policy: trimmed, at most 254 bytes, plain local part,
/// a domain name with at least one dot, domain in lower case.
///
/// The local part keeps its case: RFC 5321 lets a server distinguish `Jean` from `jean`.
/// Two addresses differing only in local-part case are therefore different values;
/// callers that look accounts up should compare [`Email::as_str`] case-insensitively.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why a string is not an acceptable email address. Variants carry no input, so logging
/// an error never logs the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum EmailError {
    /// Nothing but spaces.
    #[error("the email address is empty")]
    Empty,
    /// Longer than 254 bytes.
    #[error("the email address is longer than 254 bytes")]
    TooLong,
    /// Not an address by RFC syntax (no `@`, forbidden character, empty label…).
    #[error("the email address is not syntactically valid")]
    Invalid,
    /// A local part in double quotes (`"jean dupont"@example.fr`).
    #[error("quoted local parts are not accepted")]
    QuotedLocalPart,
    /// An IP address instead of a domain name (`jean@[192.0.2.1]`).
    #[error("IP-address domains are not accepted")]
    IpLiteralDomain,
    /// A domain without a dot (`jean@localhost`).
    #[error("the domain has no dot")]
    DomainWithoutDot,
}

impl EmailError {
    /// Returns the sentence shown to the member, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            EmailError::Empty => "Veuillez saisir votre adresse e-mail.",
            EmailError::TooLong => "Cette adresse e-mail est trop longue.",
            EmailError::Invalid => {
                "Cette adresse e-mail n'est pas valide : vérifiez qu'elle est de la forme \
                 nom@exemple.fr, sans espace ni caractère spécial."
            }
            EmailError::QuotedLocalPart => {
                "Les adresses e-mail contenant des guillemets ne sont pas acceptées."
            }
            EmailError::IpLiteralDomain => {
                "L'adresse e-mail doit se terminer par un nom de domaine (par exemple \
                 @exemple.fr), pas par une adresse IP."
            }
            EmailError::DomainWithoutDot => {
                "Le nom de domaine de l'adresse e-mail est incomplet : il doit contenir un \
                 point, par exemple @exemple.fr."
            }
        }
    }
}

impl Email {
    /// Parses an address typed by a member.
    ///
    /// Surrounding whitespace is removed and the domain is lower-cased (domains are
    /// case-insensitive; storing one form avoids duplicate accounts). Errors, checked in
    /// this order: [`EmailError::Empty`], [`EmailError::TooLong`],
    /// [`EmailError::QuotedLocalPart`], [`EmailError::IpLiteralDomain`],
    /// [`EmailError::DomainWithoutDot`], then [`EmailError::Invalid`] for anything the RFC
    /// parser refuses (display names such as `Jean <jean@example.fr>` and comments
    /// included).
    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        // Split at the last '@': a quoted local part may itself contain one.
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::Invalid)?;
        if local.is_empty() || domain.is_empty() {
            return Err(EmailError::Invalid);
        }
        if local.contains('"') {
            return Err(EmailError::QuotedLocalPart);
        }
        if domain.starts_with('[') || domain.parse::<Ipv4Addr>().is_ok() {
            return Err(EmailError::IpLiteralDomain);
        }
        if !domain.contains('.') {
            return Err(EmailError::DomainWithoutDot);
        }
        // Comments are legal RFC 5322 but no member types them; refusing '(' also keeps
        // the local part a plain string for the password checks.
        if local.contains(['(', ')']) {
            return Err(EmailError::Invalid);
        }
        let options = Options {
            minimum_sub_domains: 2,
            allow_domain_literal: false,
            allow_display_text: false,
        };
        let parsed =
            EmailAddress::parse_with_options(trimmed, options).map_err(|_| EmailError::Invalid)?;
        if parsed.local_part() != local || parsed.domain() != domain {
            return Err(EmailError::Invalid);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    /// Returns the address, e.g. `"Jean.Dupont@example.fr"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the part before the `@`, with its case as typed.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(local, _)| local)
    }

    /// Returns the domain, in lower case.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

impl FromStr for Email {
    type Err = EmailError;

    /// Same as [`Email::parse`].
    fn from_str(s: &str) -> Result<Email, EmailError> {
        Email::parse(s)
    }
}

impl fmt::Debug for Email {
    /// Hides the local part, which identifies the person, and keeps the domain, which
    /// helps to diagnose delivery problems: `Email(***@example.fr)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email(***@{})", self.domain())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted_and_domains_lower_cased() {
        let email = Email::parse("  Jean.Dupont+ameli@Example.FR ").unwrap();
        assert_eq!(email.as_str(), "Jean.Dupont+ameli@example.fr");
        assert_eq!(email.local_part(), "Jean.Dupont+ameli");
        assert_eq!(email.domain(), "example.fr");
        for ok in [
            "a@b.co",
            "marie-claire.o'neil@sous.domaine.example.org",
            "x_y@exemple-assurance.fr",
            "prénom@exemple.fr",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!("a@b.co".parse::<Email>().unwrap().as_str(), "a@b.co");
    }

    #[test]
    fn policy_violations_get_their_own_error() {
        let cases = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("\"jean dupont\"@example.fr", EmailError::QuotedLocalPart),
            ("\"a@b\"@example.fr", EmailError::QuotedLocalPart),
            ("jean@[192.0.2.1]", EmailError::IpLiteralDomain),
            ("jean@[IPv6:2001:db8::1]", EmailError::IpLiteralDomain),
            ("jean@192.0.2.1", EmailError::IpLiteralDomain),
            ("jean@localhost", EmailError::DomainWithoutDot),
        ];
        for (raw, expected) in cases {
            assert_eq!(Email::parse(raw), Err(expected), "{raw}");
        }
    }

    #[test]
    fn syntax_errors_are_invalid() {
        for raw in [
            "jean",
            "jean@",
            "@example.fr",
            "jean dupont@example.fr",
            "jean@exa mple.fr",
            "jean@@example.fr",
            "jean@example..fr",
            "jean@-example.fr",
            "jean(commentaire)@example.fr",
            "Jean <jean@example.fr>",
            ".jean@example.fr",
            "jean@example.fr.",
        ] {
            assert_eq!(Email::parse(raw), Err(EmailError::Invalid), "{raw}");
        }
    }

    #[test]
    fn length_is_limited_to_254_bytes() {
        let domain = format!(
            "{}.{}.{}.fr",
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(58)
        );
        let fits = format!("{}@{domain}", "j".repeat(64));
        assert_eq!(fits.len(), 254);
        assert!(Email::parse(&fits).is_ok());
        let too_long = format!("j{fits}");
        assert_eq!(Email::parse(&too_long), Err(EmailError::TooLong));
    }

    #[test]
    fn debug_hides_the_local_part() {
        let email = Email::parse("jean.dupont@example.fr").unwrap();
        assert_eq!(format!("{email:?}"), "Email(***@example.fr)");
    }
}
