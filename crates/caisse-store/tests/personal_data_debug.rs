//! No personal data in `Debug`: every record the store returns for the accounts and every row
//! model of their tables is formatted with `{:?}` (as a log line or a panic message would),
//! and none shows the member's NIR, email, mobile number or IBAN, in any of their spellings.
//! SQLite, or PostgreSQL with `TEST_DATABASE_URL`. (`caisse-core`'s suite of the same name
//! checks the use cases' views of the demo member.)

use caisse_domain::rights::{C2sKind, CodeGestion, ExemptionNature, Period, Rate, RegimeCode};
use caisse_domain::{
    AccountStatus, ActorKind, AlertKind, AttestationCode, AttestationKind, AuditAction, Email,
    Iban, Instant, LetterKind, LinkPurpose, Nir, PhoneNumber, Sex, StaffRole, SubjectKind,
    VitaleSerial,
};
use caisse_store::entities::{
    account, account_link, api_token, attestation, audit_event, bank_change, beneficiary,
    c2s_period, contact_code, coverage_period, declared_doctor, exemption, login_challenge, member,
    outbox_message, password_reset, postal_letter, provisional_code, session, staff,
    staff_login_challenge, trusted_device,
};
use caisse_store::members::{ContactChange, NewBeneficiary, NewMember};
use caisse_store::one_time::{self, LinkKind, NewLink};
use caisse_store::outbox::{NewMessage, Recipient};
use caisse_store::{
    Db, api_tokens, attestations, audit, bank_changes, contact_codes, devices, members, now_utc,
    outbox, postal_letters, provisional_codes, rights, security_alerts, sessions, staff_challenges,
};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::assert_no_personal_data;
use caisse_test_support::fixtures::julien::{EMAIL, IBAN, NIR, PHONE};
use sea_orm::EntityTrait;
use time::Duration;
use time::macros::date;

/// The `Debug` of every row of an entity's table.
async fn rows<E>(db: &Db) -> Vec<String>
where
    E: EntityTrait,
{
    let rows = E::find().all(db).await.unwrap();
    assert!(
        !rows.is_empty(),
        "a row of {} to format",
        E::default().table_name()
    );
    rows.iter().map(|row| format!("{row:?}")).collect()
}

/// Julien, his son and his rights, through the store.
async fn insert_julien(db: &Db, now: Instant) {
    let period = |from, to| Period::new(from, to).unwrap();
    let id = members::insert(
        db,
        NewMember {
            nir: Nir::parse(NIR).unwrap(),
            last_name: "MARTIN".to_owned(),
            usage_name: None,
            first_name: "Julien".to_owned(),
            birth_date: date!(1985 - 05 - 14),
            sex: Sex::Male,
            caisse_code: caisse_domain::CaisseCode::parse("781").unwrap(),
            vitale_serial: Some(VitaleSerial::parse("780060042").unwrap()),
            address_line1: "12 rue de la Paroisse".to_owned(),
            address_line2: None,
            postal_code: "78000".to_owned(),
            city: "VERSAILLES".to_owned(),
            email: Some(Email::parse(EMAIL).unwrap()),
            phone: Some(PhoneNumber::parse(PHONE).unwrap()),
            iban: Some(Iban::parse(IBAN).unwrap()),
        },
        vec![NewBeneficiary {
            rank: 2,
            last_name: "MARTIN".to_owned(),
            first_name: "Léo".to_owned(),
            birth_date: date!(2015 - 03 - 02),
            sex: Sex::Male,
        }],
        now,
    )
    .await
    .unwrap();
    members::create_account(db, id, "$argon2id$…".to_owned(), AccountStatus::Active, now)
        .await
        .unwrap();
    rights::insert(
        db,
        id,
        rights::Rights {
            coverages: vec![rights::Coverage {
                regime: RegimeCode::GENERAL,
                code_gestion: CodeGestion::GENERAL,
                caisse: caisse_domain::CaisseCode::parse("781").unwrap(),
                period: period(date!(2007 - 09 - 01), None),
                local_regime: false,
            }],
            exemptions: vec![rights::Exemption {
                rank: 1,
                nature: ExemptionNature::Ald,
                rate: Rate::from_percent(100).unwrap(),
                period: period(date!(2024 - 01 - 01), None),
            }],
            doctors: vec![rights::Doctor {
                rank: 1,
                name: "Dr Anne MEYER".to_owned(),
                declared_on: None,
            }],
            c2s: vec![rights::C2s {
                kind: C2sKind::SansParticipation,
                period: period(date!(2026 - 01 - 01), None),
            }],
        },
    )
    .await
    .unwrap();
    caisse_store::staff::insert(
        db,
        caisse_store::staff::NewStaff {
            login: "conseiller".to_owned(),
            display_name: "Marie Lefebvre".to_owned(),
            email: Some(Email::parse("marie.lefebvre@caisse.fr").unwrap()),
            role: StaffRole::Conseiller,
            caisse_code: caisse_domain::CaisseCode::parse("781").unwrap(),
            password_hash: "$argon2id$…".to_owned(),
        },
        now,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn no_record_or_row_of_a_member_shows_their_personal_data_in_debug() {
    let t = TestDb::new().await;
    let db = &t.db;
    let now = Instant::from(now_utc());
    insert_julien(db, now).await;
    let nir = Nir::parse(NIR).unwrap();
    let email = Email::parse(EMAIL).unwrap();
    let phone = PhoneNumber::parse(PHONE).unwrap();
    let iban = Iban::parse(IBAN).unwrap();

    let julien = members::find_by_nir(db, &nir).await.unwrap().unwrap();
    // The records do hold his data: the test can fail.
    assert_eq!(julien.email.as_ref(), Some(&email));
    assert_eq!(julien.phone.as_ref(), Some(&phone));
    assert_eq!(julien.iban.as_ref(), Some(&iban));
    let id = julien.id;
    let conseiller = caisse_store::staff::by_login(db, "conseiller")
        .await
        .unwrap()
        .unwrap();

    // Every one-time secret and record of the accounts, for Julien, holding his data where the
    // table can.
    sessions::insert(
        db,
        sessions::NewSession {
            token_hash: "s".repeat(64),
            subject_kind: SubjectKind::Member,
            subject_id: id,
            expires_at: now + Duration::minutes(30),
            ip: "192.0.2.7".to_owned(),
            user_agent: EMAIL.to_owned(),
        },
        now,
    )
    .await
    .unwrap();
    api_tokens::insert(db, "a".repeat(64), id, EMAIL, now + Duration::days(1), now)
        .await
        .unwrap();
    devices::trust(db, "d".repeat(64), id, EMAIL, now)
        .await
        .unwrap();
    let challenge = devices::insert_challenge(
        db,
        devices::NewChallenge {
            member_id: id,
            code_hash: "c".repeat(64),
            binding: Some("b".repeat(64)),
            expires_at: now + Duration::minutes(10),
        },
        now,
    )
    .await
    .unwrap();
    staff_challenges::replace(
        db,
        staff_challenges::NewStaffChallenge {
            staff_id: conseiller.id,
            binding: "b".repeat(64),
            pending_secret: Some("v1.sealed".to_owned()),
            expires_at: now + Duration::minutes(5),
        },
        now,
    )
    .await
    .unwrap();
    contact_codes::replace(
        db,
        id,
        &phone,
        "x".repeat(64),
        now + Duration::minutes(10),
        now,
    )
    .await
    .unwrap();
    provisional_codes::replace(
        db,
        id,
        "$argon2id$…".to_owned(),
        now + Duration::days(30),
        now,
    )
    .await
    .unwrap();
    for (kind, digest) in [
        (LinkKind::Account(LinkPurpose::EmailChange), "e"),
        (LinkKind::PasswordReset, "r"),
    ] {
        one_time::insert_link(
            db,
            kind,
            NewLink {
                digest: digest.repeat(64),
                member_id: id,
                payload: Some(format!(r#"{{"email":"{EMAIL}","phone":"{PHONE}"}}"#)),
                expires_at: now + Duration::hours(1),
            },
            now,
        )
        .await
        .unwrap();
    }
    bank_changes::insert(db, id, &iban, now + Duration::days(3), now)
        .await
        .unwrap();
    security_alerts::raise(db, id, &julien.caisse_code, AlertKind::NotMe, now)
        .await
        .unwrap();
    postal_letters::enqueue(
        db,
        id,
        LetterKind::ProvisionalCode,
        format!(r#"{{"nir":"{NIR}","email":"{EMAIL}"}}"#),
        now,
    )
    .await
    .unwrap();
    let code = AttestationCode::from_random([7; caisse_domain::attestation_code::RANDOM_BYTES]);
    attestations::insert(
        db,
        attestations::NewAttestation {
            code: code.clone(),
            member_id: id,
            kind: AttestationKind::Droits,
            key_id: "k1".to_owned(),
            sealed: format!("CAISSE-ATT1:{NIR}"),
            issued_at: now,
            valid_from: date!(2026 - 01 - 01),
            valid_to: date!(2026 - 12 - 31),
        },
    )
    .await
    .unwrap();
    outbox::enqueue(
        db,
        NewMessage::sms(
            &phone,
            format!("Code pour {NIR}"),
            Some(&julien.caisse_code),
        ),
        now,
    )
    .await
    .unwrap();
    audit::record(
        db,
        audit::NewEvent {
            actor_kind: ActorKind::Member,
            actor_id: Some(id),
            action: AuditAction::MemberLoginSucceeded,
            subject_kind: Some("member"),
            subject_id: Some(id),
            ip: "192.0.2.7".to_owned(),
            user_agent: EMAIL.to_owned(),
            details: serde_json::json!({ "email": EMAIL }),
        },
        now,
    )
    .await
    .unwrap();

    let mut shown: Vec<String> = Vec::new();
    let mut show = |what: &dyn std::fmt::Debug| shown.push(format!("{what:?}"));

    // What the store returns.
    show(&julien);
    show(&members::find(db, id).await.unwrap());
    show(&members::find_account(db, id).await.unwrap());
    show(&members::beneficiaries(db, id).await.unwrap());
    show(
        &members::ids_by_nir(db, std::slice::from_ref(&nir))
            .await
            .unwrap(),
    );
    show(&rights::of_member(db, id).await.unwrap());
    show(&outbox::for_recipient(db, EMAIL).await.unwrap());
    show(&outbox::for_recipient(db, PHONE).await.unwrap());
    show(&Recipient::Email(email.clone()));
    show(&NewMessage::email(&email, "Objet", NIR.to_owned(), None));
    show(&audit::for_subject(db, "member", id, 100).await.unwrap());
    show(
        &sessions::live_of(db, SubjectKind::Member, id, now)
            .await
            .unwrap(),
    );
    show(&api_tokens::live_of(db, id, now).await.unwrap());
    show(&devices::trusted_of(db, id).await.unwrap());
    show(&devices::challenge(db, challenge).await.unwrap());
    show(
        &staff_challenges::live_for_binding(db, &"b".repeat(64), now)
            .await
            .unwrap(),
    );
    show(&contact_codes::live(db, id, now).await.unwrap());
    show(&provisional_codes::live(db, id, now).await.unwrap());
    for (kind, digest) in [
        (LinkKind::Account(LinkPurpose::EmailChange), "e"),
        (LinkKind::PasswordReset, "r"),
    ] {
        show(
            &one_time::find_link(db, kind, &digest.repeat(64))
                .await
                .unwrap(),
        );
    }
    show(&bank_changes::pending_of(db, id).await.unwrap());
    show(&security_alerts::of_member(db, id).await.unwrap());
    let batch = uuid::Uuid::now_v7();
    show(
        &postal_letters::take_batch(db, &julien.caisse_code, batch, 10, now)
            .await
            .unwrap(),
    );
    show(&attestations::find_by_code(db, &code).await.unwrap());
    show(&caisse_store::staff::list(db).await.unwrap());
    for change in [
        ContactChange::Email(email.clone()),
        ContactChange::Phone(phone.clone()),
        ContactChange::Iban(iban.clone()),
    ] {
        show(&change);
    }
    show(&caisse_test_support::fixtures::new_member(
        NIR,
        "781",
        Some(EMAIL),
    ));

    // The row models of the accounts' tables.
    shown.extend(rows::<member::Entity>(db).await);
    shown.extend(rows::<account::Entity>(db).await);
    shown.extend(rows::<beneficiary::Entity>(db).await);
    shown.extend(rows::<staff::Entity>(db).await);
    shown.extend(rows::<session::Entity>(db).await);
    shown.extend(rows::<api_token::Entity>(db).await);
    shown.extend(rows::<trusted_device::Entity>(db).await);
    shown.extend(rows::<login_challenge::Entity>(db).await);
    shown.extend(rows::<staff_login_challenge::Entity>(db).await);
    shown.extend(rows::<contact_code::Entity>(db).await);
    shown.extend(rows::<provisional_code::Entity>(db).await);
    shown.extend(rows::<account_link::Entity>(db).await);
    shown.extend(rows::<password_reset::Entity>(db).await);
    shown.extend(rows::<bank_change::Entity>(db).await);
    shown.extend(rows::<postal_letter::Entity>(db).await);
    shown.extend(rows::<attestation::Entity>(db).await);
    shown.extend(rows::<outbox_message::Entity>(db).await);
    shown.extend(rows::<audit_event::Entity>(db).await);
    shown.extend(rows::<coverage_period::Entity>(db).await);
    shown.extend(rows::<exemption::Entity>(db).await);
    shown.extend(rows::<declared_doctor::Entity>(db).await);
    shown.extend(rows::<c2s_period::Entity>(db).await);

    assert_no_personal_data(&shown);
    assert!(shown.len() > 50, "{} values formatted", shown.len());
}
