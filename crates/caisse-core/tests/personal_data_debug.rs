//! No personal data in `Debug`: the use cases' views of the demo member and the forms that
//! carry their data are formatted with `{:?}` (as a log line or a panic message would), and
//! none shows the member's NIR, email, mobile number or IBAN, in any of their spellings.
//! SQLite, or PostgreSQL with `TEST_DATABASE_URL`. (`caisse-store`'s suite of the same name
//! checks the records and rows of the store.)

use caisse_core::accounts::{AddressForm, Registration};
use caisse_core::demo::seed;
use caisse_core::password_reset::ResetRequest;
use caisse_core::passwords::{HashParams, PasswordHasherPool};
use caisse_core::staff::{StaffDraft, StaffRole};
use caisse_core::staff_totp::SealingKey;
use caisse_domain::{CaisseCode, Email, Iban, Nir, PhoneNumber};
use caisse_store::{members, now_utc};
use caisse_test_support::TestDb;
use time::macros::date;

/// The demo member Julien MARTIN, as the demo data holds him.
const NIR: &str = "185057800608491";
const EMAIL: &str = "julien.martin@exemple.fr";
const PHONE: &str = "+33612345678";
const IBAN: &str = "FR7630006000011234567890189";

/// Every spelling of his data a `Debug` could show.
fn needles() -> Vec<String> {
    let nir = Nir::parse(NIR).unwrap();
    vec![
        NIR.to_owned(),
        nir.formatted(),
        nir.body().to_owned(),
        EMAIL.to_owned(),
        "julien.martin".to_owned(),
        PHONE.to_owned(),
        PhoneNumber::parse(PHONE)
            .unwrap()
            .formatted_national()
            .to_owned(),
        "612345678".to_owned(),
        IBAN.to_owned(),
        Iban::parse(IBAN).unwrap().formatted(),
        "1234567890189".to_owned(),
    ]
}

fn hasher() -> PasswordHasherPool {
    let params = HashParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };
    PasswordHasherPool::new(params, 1).unwrap()
}

#[tokio::test]
async fn no_view_or_form_of_a_member_shows_their_personal_data_in_debug() {
    let t = TestDb::new().await;
    let db = &t.db;
    let key = SealingKey::derive(b"a server key of 32 characters!!!").unwrap();
    seed(db, &hasher(), &key, now_utc()).await.unwrap();
    let julien = members::find_by_nir(db, &Nir::parse(NIR).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(julien.email, Some(Email::parse(EMAIL).unwrap()));

    let overview = caisse_core::members::overview(db, julien.id)
        .await
        .unwrap()
        .unwrap();
    // The view does hold his data: the test can fail.
    assert_eq!(overview.email.as_deref(), Some(EMAIL));
    let family = caisse_core::rights::load(db, julien.id)
        .await
        .unwrap()
        .unwrap();
    let shown = [
        format!("{overview:?}"),
        format!("{family:?}"),
        format!(
            "{:?}",
            Registration {
                nir: NIR,
                birth_date: Some(date!(1985 - 05 - 14)),
                vitale_serial: "780060042",
                iban: IBAN,
                email: EMAIL,
                phone: PHONE,
                password: NIR,
                confirmation: NIR,
                accepts_terms: true,
            }
        ),
        format!(
            "{:?}",
            ResetRequest {
                nir: NIR,
                birth_date: None,
                email: EMAIL,
            }
        ),
        format!(
            "{:?}",
            AddressForm {
                line1: EMAIL,
                line2: PHONE,
                postal_code: "78000",
                city: IBAN,
            }
        ),
        format!(
            "{:?}",
            StaffDraft {
                login: "agent".to_owned(),
                display_name: NIR.to_owned(),
                email: Some(EMAIL.to_owned()),
                role: StaffRole::Conseiller,
                caisse: CaisseCode::parse("781").unwrap(),
                password: IBAN.to_owned(),
            }
        ),
    ];
    let needles = needles();
    for text in &shown {
        for needle in &needles {
            assert!(
                !text.contains(needle.as_str()),
                "personal data in a Debug: {text}"
            );
        }
    }
}

/// The check itself catches a leak: a plain `Debug` of the same data fails it.
#[test]
fn the_needles_catch_a_plain_debug() {
    #[derive(Debug)]
    #[allow(dead_code)]
    struct Leaky {
        email: &'static str,
    }
    let text = format!("{:?}", Leaky { email: EMAIL });
    assert!(needles().iter().any(|n| text.contains(n.as_str())));
}
