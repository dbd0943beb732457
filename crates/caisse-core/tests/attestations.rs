//! Attestations on a real database (SQLite, or PostgreSQL with `TEST_DATABASE_URL`), over the
//! demo families: issue for the family or one person, verify by code, by text and by PDF, and
//! what happens when rights end.

use std::sync::Arc;

use caisse_core::attestations::{
    AttestationError, AttestationKeys, AttestationKind, AttestationRequest, AttestationService,
    AttestationSettings, Beneficiary, FileVerification, VerificationOutcome,
};
use caisse_core::audit::RequestContext;
use caisse_core::clock::ManualClock;
use caisse_core::passwords::{HashParams, PasswordHasherPool};
use caisse_core::staff_totp::SealingKey;
use caisse_store::{Db, members};
use caisse_test_support::TestDb;
use time::macros::datetime;
use uuid::Uuid;

/// Julien MARTIN (Yvelines) and his two children.
const JULIEN: &str = "185057800608491";
/// Sophie WEBER (Bas-Rhin, régime local) and Emma, 14.
const SOPHIE: &str = "282126748202355";

struct World {
    _t: TestDb,
    db: Db,
    clock: ManualClock,
    svc: AttestationService,
}

async fn world() -> World {
    let t = TestDb::new().await;
    let db = t.db.clone();
    let clock = ManualClock::new(datetime!(2026-11-22 15:04:09 UTC));
    let hasher = PasswordHasherPool::new(
        HashParams {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        },
        1,
    )
    .unwrap();
    let sealing = SealingKey::derive(b"0123456789abcdef0123456789abcdef").unwrap();
    caisse_core::demo::seed(&db, &hasher, &sealing, datetime!(2026-11-01 08:00:00 UTC))
        .await
        .unwrap();
    let keys = AttestationKeys::derive(b"0123456789abcdef0123456789abcdef");
    let svc = AttestationService::new(
        db.clone(),
        Arc::new(clock.clone()),
        Arc::new(keys),
        AttestationSettings {
            base_url: "https://portail.example.fr".to_owned(),
            ..AttestationSettings::default()
        },
    );
    World {
        _t: t,
        db,
        clock,
        svc,
    }
}

async fn member_id(db: &Db, nir: &str) -> Uuid {
    members::find_by_nir(db, &caisse_domain::Nir::parse(nir).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

fn family(kind: AttestationKind) -> AttestationRequest {
    AttestationRequest {
        kind,
        who: Beneficiary::Family,
        mentions: true,
    }
}

async fn issue_family(
    w: &World,
    member: Uuid,
    kind: AttestationKind,
) -> caisse_core::attestations::IssuedAttestation {
    w.svc
        .issue(member, family(kind), &RequestContext::default())
        .await
        .unwrap()
}

fn authentic(outcome: VerificationOutcome) -> caisse_core::attestations::VerifiedAttestation {
    match outcome {
        VerificationOutcome::Authentic(verified) => *verified,
        VerificationOutcome::NotAuthentic => panic!("expected an authentic attestation"),
    }
}

/// The attestation a PDF's signed statement proves, which must be authentic.
async fn authentic_pdf(
    svc: &AttestationService,
    pdf: &[u8],
) -> caisse_core::attestations::VerifiedAttestation {
    let outcome = svc.verify_pdf(pdf).await.unwrap().outcome();
    authentic(outcome.expect("a PDF carrying a statement"))
}

#[tokio::test]
async fn a_family_attestation_is_issued_recorded_and_verified_three_ways() {
    let w = world().await;
    let julien = member_id(&w.db, JULIEN).await;
    let issued = issue_family(&w, julien, AttestationKind::Droits).await;
    assert!(issued.pdf.starts_with(b"%PDF-"));
    assert_eq!(issued.file_name, "attestation-droits-2026-11-22.pdf");

    let by_code = authentic(
        w.svc
            .verify_code(&issued.code.formatted().to_lowercase())
            .await
            .unwrap()
            .unwrap(),
    );
    let statement = &by_code.statement;
    assert_eq!(statement.code, issued.code);
    assert_eq!(by_code.fund_name, "CPAM des Yvelines");
    assert!(by_code.open_today);
    let names: Vec<&str> = statement.people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Julien MARTIN", "Léa MARTIN", "Hugo MARTIN"]);
    assert_eq!(statement.nir.as_str(), JULIEN);
    assert_eq!(statement.valid_from.to_string(), "2026-11-22");
    assert_eq!(statement.valid_to.to_string(), "2027-11-21");

    let by_pdf = authentic_pdf(&w.svc, &issued.pdf).await;
    assert_eq!(by_pdf.statement, by_code.statement);
    let text = caisse_core::attestations::find_in_pdf(&issued.pdf).unwrap();
    let by_text = authentic(w.svc.verify_sealed(&text).await.unwrap());
    assert_eq!(by_text.statement, by_code.statement);
    // What the QR code holds since issue 20: the fund's verification address with the text.
    let url = caisse_core::attestations::verification_url("https://portail.example.fr", &text);
    assert!(url.starts_with("https://portail.example.fr/verifier?a=CAISSE-ATT1:"));
    let by_url = authentic(w.svc.verify_sealed(&url).await.unwrap());
    assert_eq!(by_url.statement, by_code.statement);

    let audit = caisse_store::audit::for_subject(&w.db, "member", julien, 10)
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action.code() == "member.attestation.issued")
    );
}

#[tokio::test]
async fn one_person_only_from_the_members_own_family() {
    let w = world().await;
    let julien = member_id(&w.db, JULIEN).await;
    let sophie = member_id(&w.db, SOPHIE).await;
    let lea = members::beneficiaries(&w.db, julien).await.unwrap()[0].id;
    let emma = members::beneficiaries(&w.db, sophie).await.unwrap()[0].id;
    let request = |id| AttestationRequest {
        kind: AttestationKind::Droits,
        who: Beneficiary::Person(id),
        mentions: false,
    };
    let issued = w
        .svc
        .issue(julien, request(lea), &RequestContext::default())
        .await
        .unwrap();
    let verified = authentic_pdf(&w.svc, &issued.pdf).await;
    assert_eq!(verified.statement.people.len(), 1);
    assert_eq!(verified.statement.people[0].name, "Léa MARTIN");
    assert_eq!(verified.statement.insured_name, "Julien MARTIN");

    for other in [emma, sophie, Uuid::now_v7()] {
        assert!(matches!(
            w.svc
                .issue(julien, request(other), &RequestContext::default())
                .await,
            Err(AttestationError::NotFound)
        ));
    }
}

#[tokio::test]
async fn the_carte_vitale_attestation_lists_the_children_on_the_card() {
    let w = world().await;
    let sophie = member_id(&w.db, SOPHIE).await;
    let issued = issue_family(&w, sophie, AttestationKind::CarteVitale).await;
    assert_eq!(issued.file_name, "attestation-carte-vitale-2026-11-22.pdf");
    let verified = authentic_pdf(&w.svc, &issued.pdf).await;
    assert_eq!(verified.statement.kind, AttestationKind::CarteVitale);
    let names: Vec<&str> = verified
        .statement
        .people
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["Sophie WEBER", "Emma WEBER"], "Emma is 14");
}

#[tokio::test]
async fn rights_that_end_stop_new_attestations_and_show_as_closed() {
    let w = world().await;
    let julien = member_id(&w.db, JULIEN).await;
    let issued = issue_family(&w, julien, AttestationKind::Droits).await;
    // Julien's rights end on 31 December 2026 (a reimport from the fund's file).
    caisse_store::rights::delete_of(&w.db, &[julien], caisse_store::rights::Scope::Insured)
        .await
        .unwrap();
    caisse_store::rights::add_coverage(
        &w.db,
        julien,
        caisse_store::rights::Coverage {
            regime: caisse_domain::rights::RegimeCode::GENERAL,
            code_gestion: caisse_domain::rights::CodeGestion::GENERAL,
            caisse: caisse_domain::CaisseCode::parse("781").unwrap(),
            period: caisse_domain::rights::Period::new(
                time::macros::date!(2007 - 09 - 01),
                Some(time::macros::date!(2026 - 12 - 31)),
            )
            .unwrap(),
            local_regime: false,
        },
    )
    .await
    .unwrap();
    let still = authentic_pdf(&w.svc, &issued.pdf).await;
    assert!(still.open_today, "rights run until the end of December");
    let shorter = issue_family(&w, julien, AttestationKind::Droits).await;
    let shorter = authentic_pdf(&w.svc, &shorter.pdf).await;
    assert_eq!(shorter.statement.valid_to.to_string(), "2026-12-31");

    w.clock.advance(time::Duration::days(45));
    let later = authentic_pdf(&w.svc, &issued.pdf).await;
    assert!(
        !later.open_today,
        "the member file no longer covers the family"
    );
    assert!(matches!(
        w.svc
            .issue(
                julien,
                family(AttestationKind::Droits),
                &RequestContext::default()
            )
            .await,
        Err(AttestationError::NoOpenRights)
    ));
    let choices = w.svc.choices(julien).await.unwrap();
    assert!(!choices.open_today);
    assert_eq!(choices.people.len(), 3);
}

#[tokio::test]
async fn unknown_codes_and_foreign_keys_are_not_authentic() {
    let w = world().await;
    let julien = member_id(&w.db, JULIEN).await;
    let issued = issue_family(&w, julien, AttestationKind::Droits).await;
    let unknown = caisse_domain::AttestationCode::from_random([9; 7]);
    assert!(matches!(
        w.svc.verify_code(unknown.as_str()).await.unwrap().unwrap(),
        VerificationOutcome::NotAuthentic
    ));
    assert!(
        w.svc.verify_code("7K3M-Q9TX").await.is_err(),
        "a typing mistake"
    );

    let other = AttestationKeys::derive(b"another secret key of 32 bytes!!");
    let text = caisse_core::attestations::find_in_pdf(&issued.pdf).unwrap();
    let statement = w.svc.keys().verify(&text).unwrap();
    let forged = other.seal(&statement).unwrap();
    assert!(matches!(
        w.svc.verify_sealed(&forged).await.unwrap(),
        VerificationOutcome::NotAuthentic
    ));
    assert!(matches!(
        w.svc.verify_pdf(b"%PDF-1.7 scan").await.unwrap(),
        FileVerification::NotPdf
    ));

    // A genuine statement copied into another file proves nothing about that file: not a
    // PDF, or a PDF that does not carry it where the portal writes it.
    let genuine = caisse_core::attestations::find_in_pdf(&issued.pdf).unwrap();
    assert!(matches!(
        w.svc
            .verify_pdf(format!("Attestation falsifiée {genuine}").as_bytes())
            .await
            .unwrap(),
        FileVerification::NotPdf
    ));
    let mut other_pdf = caisse_test_support::files::pdf();
    other_pdf.extend_from_slice(format!("% {genuine}\n").as_bytes());
    assert!(matches!(
        w.svc.verify_pdf(&other_pdf).await.unwrap(),
        FileVerification::NoStatement
    ));
}

/// How many attestations per second the whole download path gives (rights read, statement
/// signed, PDF rendered, attestation recorded and audited), 8 at a time, and their size.
/// Run in release:
/// `cargo test --release -p caisse-core --test attestations -- --ignored --nocapture`
/// (add `TEST_DATABASE_URL=postgres://…` for PostgreSQL).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement, not a check: run it in release"]
async fn attestations_per_second() {
    const COUNT: usize = 400;
    const CONCURRENCY: usize = 8;
    let w = world().await;
    let julien = member_id(&w.db, JULIEN).await;
    let start = std::time::Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let svc = w.svc.clone();
        tasks.push(tokio::spawn(async move {
            let mut bytes = 0;
            for _ in 0..COUNT / CONCURRENCY {
                let issued = svc
                    .issue(
                        julien,
                        family(AttestationKind::Droits),
                        &RequestContext::default(),
                    )
                    .await
                    .unwrap();
                bytes += issued.pdf.len();
            }
            bytes
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{COUNT} attestations ({CONCURRENCY} at a time, {} database): {seconds:.2} s, {:.0} \
         attestations/s, {} bytes per PDF on average",
        if std::env::var_os("TEST_DATABASE_URL").is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        COUNT as f64 / seconds,
        total / COUNT
    );
    let code = {
        let issued = issue_family(&w, julien, AttestationKind::Droits).await;
        issued.code.formatted()
    };
    let start = std::time::Instant::now();
    for _ in 0..COUNT {
        assert!(matches!(
            w.svc.verify_code(&code).await.unwrap().unwrap(),
            VerificationOutcome::Authentic(_)
        ));
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{COUNT} verifications by code, one at a time: {seconds:.2} s, {:.0} verifications/s",
        COUNT as f64 / seconds
    );
}
