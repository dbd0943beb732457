//! Use cases of the Caisse portal and back office.
//!
//! This crate decides what happens and in which transaction; it knows nothing about HTTP, HTML
//! or JSON. It reaches the outside world only through small traits ([`mail::Transport`],
//! [`files::FileStore`], [`clock::Clock`]) so that tests and deployments plug in their own adapters.

/// `Debug` that shows only the listed fields (ids, codes, dates, counts), for a type holding
/// personal data or a secret: `debug_fields!(MemberOverview { id });` prints
/// `MemberOverview { id: …, .. }`.
macro_rules! debug_fields {
    ($name:ident $(<$lt:lifetime>)? { $($field:ident),* $(,)? }) => {
        impl$(<$lt>)? ::std::fmt::Debug for $name$(<$lt>)? {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }
    };
}

/// A storage failure is unexpected: `Core`, for each listed error enum of a use case (each has
/// a `Core(CoreError)` variant): `from_store!(MemberError, StaffError);`.
macro_rules! from_store {
    ($($error:ident),*) => {$(
        impl From<caisse_store::StoreError> for $error {
            fn from(error: caisse_store::StoreError) -> Self {
                $error::Core(error.into())
            }
        }

        impl From<caisse_store::DbErr> for $error {
            fn from(error: caisse_store::DbErr) -> Self {
                $error::Core(error.into())
            }
        }
    )*};
}

pub mod accounts;
pub mod agenda;
pub mod api_tokens;
pub mod attestations;
pub mod audit;
pub mod auth;
pub mod blocking;
pub mod claims;
pub mod clock;
pub mod debts;
pub mod demarches;
pub mod demo;
mod error;
pub mod files;
pub mod forum;
pub mod health;
pub mod help;
mod letterhead;
pub mod lockout;
pub mod log_retention;
pub mod mail;
pub mod mails;
pub mod member_import;
pub mod members;
pub mod messaging;
pub mod new_device;
pub mod oidc;
pub mod one_time;
pub mod outbox;
pub mod outbox_worker;
pub mod password_reset;
pub mod password_strength;
pub mod passwords;
pub mod pdf_files;
pub mod people;
pub mod reads;
pub mod rights;
mod sealing;
pub mod security_mail;
mod services;
pub mod sessions;
pub mod shared_limits;
pub mod staff;
pub mod staff_login;
pub mod staff_totp;
pub mod suspicion;
pub mod tokens;

pub use caisse_store::availability;
pub use error::CoreError;
pub use services::{ServiceKeys, ServiceSettings, Services};

#[cfg(test)]
mod debug_masks {
    use caisse_domain::{CaisseCode, Nir};
    use time::macros::{date, datetime};
    use uuid::Uuid;

    use crate::accounts::{CodePurpose, ContactDetails, LetterContent};
    use crate::api_tokens::IssuedToken;
    use crate::audit::RequestContext;
    use crate::members::{BeneficiaryView, MemberOverview};
    use crate::messaging::NewMessageForm;
    use crate::staff::{StaffDraft, StaffRole};

    /// What personal data and secrets look like in these values: none may show in `Debug`.
    const HIDDEN: [&str; 9] = [
        "Alexandra",
        "DUPONT",
        "alexandra@example.fr",
        "+33612345678",
        "Rue des Lilas",
        "Un-Mot-De-Passe-Long",
        "opaque-token-0123",
        "203.0.113.7",
        "ma lettre de réclamation",
    ];

    fn assert_masked(what: &str, shown: &str) {
        for hidden in HIDDEN {
            assert!(!shown.contains(hidden), "{what} shows {hidden:?}: {shown}");
        }
    }

    #[test]
    fn values_holding_personal_data_or_secrets_show_ids_and_codes_only() {
        let id = Uuid::nil();
        let overview = MemberOverview {
            id,
            first_name: "Alexandra".into(),
            full_name: "Alexandra DUPONT".into(),
            nir: Nir::parse("185057800608491").unwrap(),
            birth_date: date!(1985 - 05 - 14),
            sex_code: "1".into(),
            fund_name: "CPAM des Yvelines".into(),
            email: Some("alexandra@example.fr".into()),
            phone: Some("+33612345678".into()),
            address_lines: vec!["12 Rue des Lilas".into()],
            beneficiaries: vec![BeneficiaryView {
                rank: 2,
                full_name: "Léo DUPONT".into(),
                birth_date: date!(2015 - 01 - 02),
            }],
        };
        let shown = format!("{overview:?}");
        assert_masked("MemberOverview", &shown);
        assert!(
            shown.contains(&id.to_string()) && shown.contains("rank: 2"),
            "{shown}"
        );

        let draft = StaffDraft {
            login: "alexandra.dupont".into(),
            display_name: "Alexandra DUPONT".into(),
            email: Some("alexandra@example.fr".into()),
            role: StaffRole::Conseiller,
            caisse: CaisseCode::parse("781").unwrap(),
            password: "Un-Mot-De-Passe-Long".into(),
        };
        let token = IssuedToken {
            token: "opaque-token-0123".into(),
            expires_at: datetime!(2026-12-31 00:00 UTC),
        };
        let context = RequestContext {
            ip: "203.0.113.7".into(),
            user_agent: "Firefox".into(),
        };
        let details = ContactDetails {
            email: Some("alexandra@example.fr".into()),
            phone: Some("+33612345678".into()),
            line1: "12 Rue des Lilas".into(),
            line2: String::new(),
            postal_code: "78000".into(),
            city: "VERSAILLES".into(),
            iban_masked: None,
            notify_email: true,
            notify_sms: false,
            bank_frozen: false,
        };
        let letter = LetterContent {
            purpose: CodePurpose::Activation,
            code: "opaque-token-0123".into(),
            caisse_code: "781".into(),
            recipient_lines: vec!["Alexandra DUPONT".into(), "12 Rue des Lilas".into()],
            salutation_name: "Alexandra DUPONT".into(),
            nir_masked: "1 85 05 ** *** *** **".into(),
            issued_on: date!(2026 - 01 - 02),
            valid_until: date!(2026 - 02 - 01),
        };
        let form = NewMessageForm {
            recipient: "caisse".into(),
            objet: "remboursement.question".into(),
            nature: "reclamation".into(),
            subject: "ma lettre de réclamation".into(),
            body: "ma lettre de réclamation, Alexandra DUPONT".into(),
        };
        for (what, shown) in [
            ("StaffDraft", format!("{draft:?}")),
            ("IssuedToken", format!("{token:?}")),
            ("RequestContext", format!("{context:?}")),
            ("ContactDetails", format!("{details:?}")),
            ("LetterContent", format!("{letter:?}")),
            ("NewMessageForm", format!("{form:?}")),
        ] {
            assert_masked(what, &shown);
            assert!(
                shown.starts_with(what) && shown.ends_with(".. }"),
                "{shown}"
            );
        }
    }
}
