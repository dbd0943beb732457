//! The letter notifying the decision on a dossier of « Mes démarches », read back with the PDF
//! tools: accepted and refused letters against their golden files, a valid tagged A4 file, and
//! the optional parts (person concerned, details, recourse) printed only when given.
//!
//! Regenerate the golden files after a deliberate change of wording or layout with
//! `UPDATE_GOLDEN=1 cargo test -p caisse-pdf --test dossier_decision`, then review the diff.

mod support;

use caisse_domain::AmountCents;
use caisse_domain::french::amount;
use caisse_pdf::{
    DecisionOutcome, DossierDecisionLetter, PdfError, default_recourse_text,
    render_dossier_decision,
};
use support::{
    assert_golden, checked_info, collapse, layout_text, page_count, path_str, run, sender,
    tagged_text, tagged_words, write_pdf,
};
use time::macros::date;

/// A birth declaration accepted for a child: the first golden file. Change it only with it.
fn accepted_birth() -> DossierDecisionLetter {
    DossierDecisionLetter {
        sender: sender(),
        recipient_lines: vec![
            "Madame Sophie WEBER".to_owned(),
            "8 quai des Bateliers".to_owned(),
            "67000 STRASBOURG".to_owned(),
        ],
        salutation_name: "Sophie WEBER".to_owned(),
        issued_on: date!(2026 - 12 - 05),
        procedure_title: "Déclaration de naissance".to_owned(),
        dossier_reference: "D-2026-000123".to_owned(),
        filed_on: date!(2026 - 11 - 03),
        person_concerned: Some("Léa WEBER".to_owned()),
        decision: DecisionOutcome::Accepted,
        reasons: Vec::new(),
        details: Vec::new(),
        effects: vec![
            "Votre enfant figure désormais sur votre attestation de droits.".to_owned(),
            "Ses soins sont remboursés sur votre compte à partir de sa date de naissance."
                .to_owned(),
        ],
        recourse: None,
        signatory: "Le service des prestations".to_owned(),
    }
}

/// A C2S application refused: the second golden file. Change it only with it.
fn refused_c2s() -> DossierDecisionLetter {
    DossierDecisionLetter {
        procedure_title: "Complémentaire santé solidaire".to_owned(),
        dossier_reference: "D-2026-000187".to_owned(),
        filed_on: date!(2026 - 10 - 14),
        person_concerned: None,
        decision: DecisionOutcome::Refused,
        reasons: vec![
            "Les ressources de votre foyer sur les douze derniers mois s’élèvent à 21 480,00 €. \
             Elles dépassent le plafond de la Complémentaire santé solidaire avec participation \
             financière applicable à un foyer de deux personnes."
                .to_owned(),
        ],
        effects: vec![
            "Vos droits à l’assurance maladie ne changent pas.".to_owned(),
            "Vous pourrez déposer une nouvelle demande si vos ressources diminuent.".to_owned(),
        ],
        recourse: Some(default_recourse_text(&sender().organisation)),
        ..accepted_birth()
    }
}

/// A C2S granted with a participation, for the member themself: the third golden file, with
/// the details table. Change it only with it.
fn accepted_c2s() -> DossierDecisionLetter {
    DossierDecisionLetter {
        procedure_title: "Complémentaire santé solidaire".to_owned(),
        dossier_reference: "D-2026-000188".to_owned(),
        person_concerned: None,
        details: vec![
            (
                "Période de droits".to_owned(),
                "du 1er janvier 2027 au 31 décembre 2027".to_owned(),
            ),
            (
                "Participation mensuelle".to_owned(),
                amount(AmountCents::new(1_400)),
            ),
        ],
        effects: vec![
            "Votre attestation de droits mentionne désormais la Complémentaire santé solidaire."
                .to_owned(),
        ],
        ..accepted_birth()
    }
}

fn text_of(name: &str, letter: &DossierDecisionLetter) -> String {
    let pdf = render_dossier_decision(letter).unwrap();
    layout_text(&write_pdf(name, &pdf))
}

#[test]
fn the_accepted_letter_text_matches_the_golden_file() {
    assert_golden(
        "dossier_decision_accepted.txt",
        &text_of("dossier_accepted", &accepted_birth()),
    );
}

#[test]
fn the_refused_letter_text_matches_the_golden_file() {
    assert_golden(
        "dossier_decision_refused.txt",
        &text_of("dossier_refused", &refused_c2s()),
    );
}

#[test]
fn the_letter_with_details_matches_the_golden_file() {
    assert_golden(
        "dossier_decision_details.txt",
        &text_of("dossier_details_golden", &accepted_c2s()),
    );
}

#[test]
fn the_letter_is_a_valid_tagged_a4_pdf_titled_with_its_reference() {
    let pdf = render_dossier_decision(&refused_c2s()).unwrap();
    let path = write_pdf("dossier_check", &pdf);

    let (info, field) = checked_info(&path);
    assert_eq!(field("Page size:"), "595.276 x 841.89 pts (A4)", "{info}");
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert_eq!(
        field("Title:"),
        "Décision sur votre dossier D-2026-000187",
        "{info}"
    );
    assert_eq!(page_count(&path), 1, "{info}");

    let tree = run("pdfinfo", &["-struct", path_str(&path)]);
    let tags: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(|t| t.trim_end_matches(':'))
        .collect();
    for tag in [
        "Document", "Art", "H1", "H2", "P", "Table", "TR", "TH", "TD",
    ] {
        assert!(
            tags.contains(&tag),
            "no {tag} in the structure tree:\n{tree}"
        );
    }
    // The footer is an artifact: printed, not part of the tagged text.
    assert!(!tagged_text(&path).contains("Page 1 sur 1"));
}

#[test]
fn the_refusal_states_its_reasons_and_the_recourse_before_the_cra() {
    let pdf = render_dossier_decision(&refused_c2s()).unwrap();
    let text = tagged_text(&write_pdf("dossier_refused_words", &pdf));
    for expected in [
        "Votre demande est refusée",
        "Votre demande « Complémentaire santé solidaire », déposée le 14 octobre \
         2026, a été examinée : nous ne pouvons pas y donner une suite favorable. Elle est \
         refusée, pour les motifs indiqués ci-dessous.",
        "Les motifs de la décision",
        "21 480,00 €",
        "Vos voies de recours",
        "commission de recours amiable (CRA) de votre caisse, Caisse primaire d’assurance \
         maladie du Bas-Rhin, dans un délai de deux mois à compter de la réception de ce \
         courrier.",
        "pôle social du tribunal judiciaire",
        "appelez-nous au 36 46 en rappelant la référence D-2026-000187.",
        "Le service des prestations",
    ] {
        let expected = collapse(expected);
        assert!(
            text.contains(&expected),
            "missing « {expected} » in:\n{text}"
        );
    }
    // No person concerned: no such row, no « pour … » in the announcement.
    assert!(!text.contains("Personne concernée"), "{text}");
    assert!(!text.contains("Léa WEBER"), "{text}");
}

#[test]
fn the_accepted_letter_names_the_person_concerned_and_no_recourse() {
    let pdf = render_dossier_decision(&accepted_birth()).unwrap();
    let path = write_pdf("dossier_accepted_words", &pdf);
    let words = tagged_words(&path);
    assert!(words.contains("Personne concernée Léa WEBER"), "{words}");
    let text = tagged_text(&path);
    assert!(
        text.contains(
            "Votre demande « Déclaration de naissance » pour Léa WEBER, déposée le 3 novembre \
             2026, a été examinée : elle est acceptée."
        ),
        "{text}"
    );
    assert!(text.contains("Les suites de cette décision"), "{text}");
    assert!(!text.contains("Vos voies de recours"), "{text}");
    assert!(!text.contains("Les motifs de la décision"), "{text}");
    assert!(!text.contains("Le détail de la décision"), "{text}");
}

#[test]
fn the_details_are_a_table_of_labels_and_values() {
    let pdf = render_dossier_decision(&accepted_c2s()).unwrap();
    let path = write_pdf("dossier_details", &pdf);
    let (info, field) = checked_info(&path);
    assert_eq!(field("Tagged:"), "yes", "{info}");
    let words = tagged_words(&path);
    for expected in [
        "Le détail de la décision",
        "Période de droits du 1er janvier 2027 au 31 décembre 2027",
        "Participation mensuelle 14,00 €",
    ] {
        assert!(
            words.contains(expected),
            "missing « {expected} » in:\n{words}"
        );
    }
    assert!(!words.contains("Personne concernée"), "{words}");
}

#[test]
fn implicit_decisions_say_so() {
    for (decision, expected) in [
        (
            DecisionOutcome::AcceptedBySilence,
            "est acceptée : c’est un accord implicite.",
        ),
        (
            DecisionOutcome::RefusedBySilence,
            "Vous pouvez nous demander les motifs de ce rejet implicite",
        ),
        (
            DecisionOutcome::ClosedWithoutFollowUp,
            "est classée sans suite.",
        ),
    ] {
        let letter = DossierDecisionLetter {
            decision,
            ..accepted_birth()
        };
        let pdf = render_dossier_decision(&letter).unwrap();
        let text = tagged_text(&write_pdf("dossier_implicit", &pdf));
        assert!(text.contains(expected), "{decision:?}: {text}");
    }
}

#[test]
fn a_refusal_without_reasons_is_an_error() {
    let letter = DossierDecisionLetter {
        reasons: Vec::new(),
        ..refused_c2s()
    };
    assert_eq!(
        render_dossier_decision(&letter),
        Err(PdfError::MissingReasons)
    );
}

#[test]
fn debug_hides_the_addressee_the_reference_and_the_reasons() {
    let shown = format!("{:?}", refused_c2s());
    for hidden in ["WEBER", "Bateliers", "D-2026", "21 480", "Complémentaire"] {
        assert!(!shown.contains(hidden), "{hidden} in {shown}");
    }
}
