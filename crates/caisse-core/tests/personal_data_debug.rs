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
use caisse_domain::{CaisseCode, Email, Nir};
use caisse_store::{members, now_utc};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::assert_no_personal_data;
use caisse_test_support::fixtures::julien::{EMAIL, IBAN, NIR, PHONE};
use time::macros::date;

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
    assert_no_personal_data(&shown);
}
