//! Loading the member file into a real database: SQLite by default, PostgreSQL with
//! `TEST_DATABASE_URL`. The 100,000-row measurement is `#[ignore]`d; run it in release:
//! `cargo test --release -p caisse-core --test member_import -- --ignored --nocapture`.

use std::fmt::Write as _;
use std::time::Instant;

use caisse_core::member_import::{ImportOutcome, ImportSummary, load, parse};
use caisse_domain::{Fund, compute_key};
use caisse_store::{Db, members, now_utc};
use caisse_test_support::TestDb;
use time::macros::date;

const SAMPLE: &str = include_str!("../../../docs/examples/membres.csv");
const HEADER: &str = "type;nir;rang;nom;nom_usage;prenom;date_naissance;sexe;caisse;\
numero_carte_vitale;adresse_ligne1;adresse_ligne2;code_postal;ville;email;telephone";
/// Nathalie DUBOIS (née LEROY) in the sample file, with two children.
const NATHALIE: &str = "278047511504234";
/// Pierre MULLER in the sample file, with three children.
const PIERRE: &str = "183026822403135";

async fn import(db: &Db, text: &str) -> ImportOutcome {
    let parsed = parse(text.as_bytes(), date!(2026 - 01 - 15)).unwrap();
    load(db, parsed, now_utc()).await.unwrap()
}

async fn loaded(db: &Db, text: &str) -> ImportSummary {
    match import(db, text).await {
        ImportOutcome::Loaded(summary) => summary,
        ImportOutcome::Rejected(errors) => panic!("rejected: {errors:?}"),
    }
}

async fn first_names_of_beneficiaries(db: &Db, nir: &str) -> Vec<(i16, String)> {
    let member = members::find_by_nir(db, &caisse_domain::Nir::parse(nir).unwrap())
        .await
        .unwrap()
        .unwrap();
    members::beneficiaries(db, member.id)
        .await
        .unwrap()
        .into_iter()
        .map(|b| (b.rank, b.first_name))
        .collect()
}

#[tokio::test]
async fn a_good_file_loads_members_and_their_beneficiaries() {
    let t = TestDb::new().await;
    let summary = loaded(&t.db, SAMPLE).await;
    assert_eq!(
        summary,
        ImportSummary {
            created: 10,
            updated: 0,
            beneficiaries: 8
        }
    );
    assert_eq!(members::count(&t.db).await.unwrap(), 10);

    let nathalie = members::find_by_nir(&t.db, &caisse_domain::Nir::parse(NATHALIE).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (nathalie.last_name.as_str(), nathalie.usage_name.as_deref()),
        ("LEROY", Some("DUBOIS"))
    );
    assert_eq!(nathalie.birth_date, date!(1978 - 04 - 23));
    assert_eq!(
        (nathalie.sex.code(), nathalie.caisse_code.as_str()),
        (2, "751")
    );
    assert_eq!(
        nathalie.phone.as_ref().map(|p| p.as_str()),
        Some("+33623456789")
    );
    assert_eq!(nathalie.address_line2.as_deref(), Some("Appartement 32"));
    assert_eq!(
        first_names_of_beneficiaries(&t.db, NATHALIE).await,
        [(2, "Lucas".to_owned()), (3, "Chloé".to_owned())]
    );
    // The provisional number is in the member file (the account will be refused later).
    assert!(
        members::find_by_nir(
            &t.db,
            &caisse_domain::Nir::parse("795109935010417").unwrap()
        )
        .await
        .unwrap()
        .is_some()
    );
}

#[tokio::test]
async fn a_file_with_one_bad_row_loads_nothing_and_names_the_line() {
    let t = TestDb::new().await;
    let bad_key = format!("{}99", &PIERRE[..13]);
    let text = format!(
        "{SAMPLE}ayant_droit;{bad_key};05;MULLER;;Léon;01/01/2020;1;;;;;;;;;\n\
         ayant_droit;{};02;INCONNU;;Paul;01/01/2020;1;;;;;;;;;\n",
        nir("1990175001001")
    );
    let ImportOutcome::Rejected(errors) = import(&t.db, &text).await else {
        panic!("a bad file must be rejected");
    };
    let lines: Vec<_> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("ligne 20, colonne nir : la clé (les 2 derniers chiffres)"),
        "{lines:?}"
    );
    // Only the database can tell that this insured person exists nowhere.
    assert!(
        lines[1].starts_with("ligne 21, colonne nir : aucun assuré n'a ce NIR"),
        "{lines:?}"
    );
    assert_eq!(members::count(&t.db).await.unwrap(), 0, "nothing loaded");
}

#[tokio::test]
async fn a_reimport_updates_known_members_and_replaces_their_beneficiaries() {
    let t = TestDb::new().await;
    loaded(&t.db, SAMPLE).await;
    let before = members::find_by_nir(&t.db, &caisse_domain::Nir::parse(NATHALIE).unwrap())
        .await
        .unwrap()
        .unwrap();
    members::create_account(
        &t.db,
        before.id,
        "hash".into(),
        caisse_domain::AccountStatus::Active,
        now_utc(),
    )
    .await
    .unwrap();

    // Nathalie moved and Lucas is no longer covered through her; a new member arrives.
    let newcomer = nir("1010613055123");
    let text = format!(
        "{HEADER}\n\
         assure;{NATHALIE};01;LEROY;DUBOIS;Nathalie;23/04/1978;2;131;;3 rue Paradis;;13001;MARSEILLE;;\n\
         ayant_droit;{NATHALIE};02;DUBOIS;;Chloé;17/06/2011;2;;;;;;;;\n\
         assure;{newcomer};01;GIRAUD;;Paul;1901-06-30;H;131;;8 rue Sainte;;13001;MARSEILLE;;\n"
    );
    let summary = loaded(&t.db, &text).await;
    assert_eq!(
        summary,
        ImportSummary {
            created: 1,
            updated: 1,
            beneficiaries: 1
        }
    );
    let after = members::find_by_nir(&t.db, &caisse_domain::Nir::parse(NATHALIE).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.id, before.id, "the id, hence the account, is kept");
    assert_eq!(after.created_at, before.created_at);
    assert_eq!(
        (after.caisse_code.as_str(), after.city.as_str()),
        ("131", "MARSEILLE")
    );
    assert_eq!(
        (after.email, after.phone, after.vitale_serial),
        (None, None, None)
    );
    assert!(
        members::find_account(&t.db, after.id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        first_names_of_beneficiaries(&t.db, NATHALIE).await,
        [(2, "Chloé".to_owned())]
    );
    // A family the file does not mention keeps its beneficiaries.
    assert_eq!(first_names_of_beneficiaries(&t.db, PIERRE).await.len(), 3);
    assert_eq!(members::count(&t.db).await.unwrap(), 11);

    // Ayant-droit rows alone may refer to an insured person loaded earlier; they replace
    // that family's beneficiaries.
    let text = format!("{HEADER}\nayant_droit;{PIERRE};05;MULLER;;Léon;01/01/2020;1;;;;;;;;\n");
    let summary = loaded(&t.db, &text).await;
    assert_eq!(
        (summary.created, summary.updated, summary.beneficiaries),
        (0, 0, 1)
    );
    assert_eq!(
        first_names_of_beneficiaries(&t.db, PIERRE).await,
        [(5, "Léon".to_owned())]
    );
}

fn nir(body: &str) -> String {
    format!("{body}{:02}", compute_key(body).unwrap())
}

/// A deterministic member file of `rows` rows: insured persons with 0 to 3 ayants droit,
/// valid NIRs in several departments, most with an email and a mobile.
fn generate(rows: usize) -> String {
    const DEPARTMENTS: [&str; 8] = ["75", "13", "69", "33", "59", "67", "2A", "44"];
    const FIRST: [&str; 8] = [
        "Camille", "Louis", "Emma", "Gabriel", "Jade", "Raphaël", "Louise", "Arthur",
    ];
    const LAST: [&str; 8] = [
        "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut text = format!("{HEADER}\n");
    let (mut written, mut person) = (0, 0u64);
    while written < rows {
        let department = DEPARTMENTS[person as usize % DEPARTMENTS.len()];
        let fund = Fund::in_department(department).next().unwrap().code();
        let sex = 1 + next(2);
        let year = 1940 + next(66);
        let month = 1 + next(12);
        // Commune and order number derive from the person's index: NIRs never collide.
        let body = format!(
            "{sex}{:02}{month:02}{department}{:03}{:03}",
            year % 100,
            1 + (person / 999) % 990,
            1 + person % 999
        );
        let nir = nir(&body);
        let last = LAST[next(8) as usize];
        let first = FIRST[next(8) as usize];
        let email = if next(10) < 6 {
            format!(
                "{}.{}{person}@exemple.fr",
                first.to_lowercase(),
                last.to_lowercase()
            )
        } else {
            String::new()
        };
        let phone = if next(10) < 7 {
            format!(
                "06 1{} {:02} {:02} {:02}",
                next(10),
                next(100),
                next(100),
                next(100)
            )
        } else {
            String::new()
        };
        writeln!(
            text,
            "assure;{nir};01;{last};;{first};{:02}/{month:02}/{year};{sex};{fund};;\
             {} rue de la République;;{}000;VILLE;{email};{phone}",
            1 + next(28),
            1 + next(90),
            10 + next(80),
        )
        .unwrap();
        written += 1;
        for rank in 2..2 + next(4) {
            if written == rows {
                break;
            }
            writeln!(
                text,
                "ayant_droit;{nir};{rank:02};{last};;{};{:02}/{:02}/{};{};;;;;;;;",
                FIRST[next(8) as usize],
                1 + next(28),
                1 + next(12),
                2000 + next(25),
                1 + next(2)
            )
            .unwrap();
            written += 1;
        }
        person += 1;
    }
    text
}

/// Generates 100,000 rows, then times a first import and a re-import of the same file (every
/// member updated, every beneficiary replaced). `MEMBER_IMPORT_FILE=PATH` also writes the
/// file there, to time the `caisse admin import-members` command itself.
#[tokio::test]
#[ignore = "measurement: run in release with --ignored --nocapture"]
async fn measure_a_100_000_row_import() {
    let text = generate(100_000);
    if let Ok(path) = std::env::var("MEMBER_IMPORT_FILE") {
        std::fs::write(path, &text).unwrap();
    }
    let t = TestDb::new().await;
    let engine = if t.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    for run in ["first import", "re-import"] {
        let start = Instant::now();
        let parsed = parse(text.as_bytes(), date!(2026 - 01 - 15)).unwrap();
        let parsed_in = start.elapsed();
        assert!(parsed.errors.is_empty(), "{:?}", &parsed.errors[..1]);
        let ImportOutcome::Loaded(summary) = load(&t.db, parsed, now_utc()).await.unwrap() else {
            panic!("the generated file must load");
        };
        let total = start.elapsed();
        println!(
            "{engine}, {run}: {} bytes, {summary}; parse {:.2} s, load {:.2} s, total {:.2} s",
            text.len(),
            parsed_in.as_secs_f64(),
            (total - parsed_in).as_secs_f64(),
            total.as_secs_f64()
        );
    }
}

const RIGHTS_SAMPLE: &str = include_str!("../../../docs/examples/membres-droits.csv");

#[tokio::test]
async fn rights_are_loaded_replaced_and_kept_when_a_file_has_no_rights_columns() {
    let t = TestDb::new().await;
    loaded(&t.db, SAMPLE).await;
    loaded(&t.db, RIGHTS_SAMPLE).await;
    let pierre = members::find_by_nir(&t.db, &caisse_domain::Nir::parse(PIERRE).unwrap())
        .await
        .unwrap()
        .unwrap();
    let family = caisse_core::rights::load(&t.db, pierre.id)
        .await
        .unwrap()
        .unwrap();
    let coverage = family.coverage_on(date!(2026 - 11 - 22)).unwrap();
    assert!(coverage.local_regime, "Haut-Rhin: régime local");
    assert_eq!(coverage.code_gestion.as_str(), "10");
    let zoe = family.people.iter().find(|p| p.rank == 3).unwrap();
    assert_eq!(zoe.exemptions.len(), 1);
    assert_eq!(zoe.doctor.as_ref().unwrap().name, "Dr Anne MEYER");
    assert_eq!(family.people.len(), 4);

    // The first sample has no rights columns: the rights of Pierre (insured) stay, those of
    // his replaced ayants droit go with them.
    loaded(&t.db, SAMPLE).await;
    let family = caisse_core::rights::load(&t.db, pierre.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(family.coverages.len(), 1);
    assert!(family.insured().doctor.is_some());
    assert!(family.people.iter().skip(1).all(|p| p.doctor.is_none()));

    // A file with rights columns replaces Pierre's own: his coverage now ends.
    let text = format!(
        "type;nir;rang;nom;prenom;date_naissance;sexe;caisse;adresse_ligne1;code_postal;ville;droits_debut;droits_fin\n\
         assure;{PIERRE};01;MULLER;Pierre;07/02/1983;1;681;15 rue du Sauvage;68100;MULHOUSE;01/09/2005;31/10/2026\n"
    );
    loaded(&t.db, &text).await;
    let family = caisse_core::rights::load(&t.db, pierre.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(family.coverages.len(), 1);
    assert!(!family.coverages[0].local_regime);
    assert!(family.coverage_on(date!(2026 - 11 - 22)).is_none());
    assert!(family.insured().doctor.is_none());
}
