//! The claims engine against the repository's `reference/` files: the files parse with no
//! overlap, a broken file is reported with its file, line and column in French, the worked
//! cases of `claims/cases.txt` hold, on the pure liquidation and through the engine on the
//! database, those of `claims/ij_cases.txt` on the IJ schedules, properties hold over random
//! sheets, the day's SEPA file is exported, paid lines are corrected by the back office
//! (`claims/corrections*.rs`), and arrêts de travail are imported, scheduled and paid
//! (`claims/arrets_db.rs`).

#[path = "claims/arrets_db.rs"]
mod arrets_db;
#[path = "claims/cases.rs"]
mod cases;
#[path = "claims/corrections.rs"]
mod corrections;
#[path = "claims/corrections_tiers_payant.rs"]
mod corrections_tiers_payant;
#[path = "claims/db_cases.rs"]
mod db_cases;
#[path = "claims/debts_online.rs"]
mod debts_online;
#[path = "claims/engine.rs"]
mod engine;
#[path = "claims/export.rs"]
mod export;
#[path = "claims/ij_cases.rs"]
mod ij_cases;
#[path = "claims/ij_properties.rs"]
mod ij_properties;
#[path = "claims/properties.rs"]
mod properties;

use caisse_core::claims::{ReferenceFileError, ReferenceFiles, parse_reference_files};
use caisse_domain::claims::{ActCategory, DeductionKind, ReferenceTables, Table};
use time::macros::date;

struct Texts([String; 8]);

fn read_reference() -> Texts {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../reference/");
    let read = |t: Table| std::fs::read_to_string(format!("{dir}{}", t.file_name())).unwrap();
    Texts(Table::ALL.map(read))
}

impl Texts {
    fn files(&self) -> ReferenceFiles<'_> {
        ReferenceFiles::from_texts(std::array::from_fn(|i| self.0[i].as_str()))
    }
}

pub fn reference_tables() -> ReferenceTables {
    parse_reference_files(&read_reference().files()).unwrap()
}

#[test]
fn the_repository_reference_files_parse_with_no_overlap() {
    let tables = reference_tables();
    let [
        tariffs,
        rates,
        regime_local,
        deductions,
        ij,
        ij_maternite,
        ij_at_mp,
        ij_charges,
    ] = tables.row_counts();
    assert!(tariffs >= 20, "{tariffs} tariffs");
    assert_eq!(rates, ActCategory::ALL.len());
    assert_eq!(regime_local, ActCategory::ALL.len());
    assert_eq!(deductions, 8);
    assert_eq!(ij, 4);
    assert_eq!((ij_maternite, ij_at_mp, ij_charges), (2, 2, 1));
}

#[test]
fn every_category_and_deduction_has_a_row_on_every_day_since_2024() {
    let tables = reference_tables();
    let mut day = date!(2024 - 02 - 01);
    while day <= date!(2026 - 12 - 31) {
        for category in ActCategory::ALL {
            tables.rate(category, day).unwrap();
            tables.regime_local(category, day).unwrap();
        }
        for kind in DeductionKind::ALL {
            tables.deduction(kind, day).unwrap();
        }
        tables.ij(day).unwrap();
        tables.ij_charges(day).unwrap();
        if day >= date!(2025 - 02 - 01) {
            tables.ij_maternite(day).unwrap();
            tables.ij_at_mp(day).unwrap();
        }
        day = day.next_day().unwrap();
    }
}

#[test]
fn the_worked_cases_hold() {
    let tables = reference_tables();
    let (count, failures) = cases::run(include_str!("claims/cases.txt"), &tables);
    assert_eq!(count, 71);
    assert!(count >= 40, "only {count} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_worked_ij_cases_hold() {
    let tables = reference_tables();
    let (count, failures) = ij_cases::run(include_str!("claims/ij_cases.txt"), &tables);
    assert!(count >= 12, "only {count} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn with_rates(rates: &str) -> Result<ReferenceTables, ReferenceFileError> {
    let texts = read_reference();
    let mut files = texts.files();
    files.rates = rates;
    parse_reference_files(&files)
}

#[test]
fn a_bad_cell_names_the_file_the_line_and_the_column() {
    let rates = "# a comment\ncategory,rate_bp,hors_parcours_rate_bp,deduction,valid_from,valid_to\n\
                 medecin_generaliste,7000,3000,participation_forfaitaire,2024-01-01,\n\
                 infirmier,12000,,franchise_paramedical,2024-01-01,\n";
    let e = with_rates(rates).unwrap_err();
    assert_eq!(
        e.message_fr(),
        "rates.csv, ligne 4, colonne « rate_bp » : taux en points de base attendu (de 0 à 10000, 7000 pour 70 %), trouvé « 12000 »."
    );
}

#[test]
fn a_missing_column_an_unknown_category_a_bad_date_and_a_short_line_are_reported() {
    let e = with_rates("category,rate_bp\n").unwrap_err();
    assert_eq!(
        e.message_fr(),
        "rates.csv : la colonne « hors_parcours_rate_bp » manque dans la ligne d'en-tête."
    );
    let header = "category,rate_bp,hors_parcours_rate_bp,deduction,valid_from,valid_to\n";
    let e = with_rates(&format!("{header}veterinaire,7000,,,2024-01-01,\n")).unwrap_err();
    assert!(
        e.message_fr()
            .starts_with("rates.csv, ligne 2, colonne « category » : Catégorie d'acte inconnue"),
        "{}",
        e.message_fr()
    );
    let e = with_rates(&format!("{header}sage_femme,7000,,,01/01/2024,\n")).unwrap_err();
    assert!(
        e.message_fr()
            .starts_with("rates.csv, ligne 2, colonne « valid_from » : date attendue"),
        "{}",
        e.message_fr()
    );
    let e = with_rates(&format!("{header}sage_femme,7000,,2024-01-01,\n")).unwrap_err();
    assert!(
        e.message_fr()
            .starts_with("rates.csv, ligne 2 : 5 champs au lieu de 6"),
        "{}",
        e.message_fr()
    );
}

#[test]
fn overlapping_rows_are_refused() {
    let rates = "category,rate_bp,hors_parcours_rate_bp,deduction,valid_from,valid_to\n\
                 sage_femme,7000,,,2024-01-01,2025-01-01\n\
                 sage_femme,6500,,,2025-01-01,\n";
    let e = with_rates(rates).unwrap_err();
    assert_eq!(
        e.message_fr(),
        "rates.csv : deux lignes pour « sage_femme » se chevauchent (à partir du 01/01/2024 et à partir du 01/01/2025)."
    );
}
