use caisse_domain::demarches::{FilingFor, SilenceRule};

use super::definitions::{Catalogue, SHIPPED};

fn shipped(name: &str) -> (&'static str, &'static str) {
    *SHIPPED
        .iter()
        .find(|(file, _)| *file == name)
        .unwrap_or_else(|| panic!("{name} is not shipped"))
}

#[test]
fn every_shipped_definition_loads() {
    let catalogue = Catalogue::shipped().unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(catalogue.latest().len(), SHIPPED.len());
}

#[test]
fn a_definition_with_an_error_is_refused_naming_its_file_and_field() {
    let (name, text) = shipped("declaration-naissance.v1.toml");
    let broken = text.replacen("type = \"date\"", "type = \"dat\"", 1);
    let errors = Catalogue::load(&[(name.to_owned(), broken)]).unwrap_err();
    let message = errors.to_string();
    assert!(message.contains(name), "{message}");
    assert!(message.contains("unknown type \"dat\""), "{message}");

    let misnamed = Catalogue::load(&[("autre.v1.toml".to_owned(), text.to_owned())]).unwrap_err();
    assert!(misnamed.to_string().contains("is named"), "{misnamed}");

    let unknown_key = text.replacen("past_only = true", "pastonly = true", 1);
    let errors = Catalogue::load(&[(name.to_owned(), unknown_key)]).unwrap_err();
    assert!(errors.to_string().contains("pastonly"), "{errors}");
}

#[test]
fn shipped_file_names_are_unique_and_sorted() {
    let names: Vec<&str> = SHIPPED.iter().map(|(name, _)| *name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(names, sorted);
}

#[test]
fn only_the_procedures_a_procuration_covers_may_be_filed_under_mandate() {
    // service-public A15734: a procuration serves only for AT/MP, maternité/paternité,
    // IJ/arrêt de travail and the C2S.
    let catalogue = Catalogue::shipped().unwrap_or_else(|errors| panic!("{errors}"));
    let mut with_mandate: Vec<String> = catalogue
        .latest()
        .iter()
        .filter(|d| d.allows(FilingFor::Mandate))
        .map(|d| d.code.to_string())
        .collect();
    with_mandate.sort();
    assert_eq!(
        with_mandate,
        ["accident-travail", "complementaire-sante-solidaire"]
    );
}

#[test]
fn every_rule_on_silence_has_a_delay_and_every_refusable_procedure_has_reasons() {
    let catalogue = Catalogue::shipped().unwrap_or_else(|errors| panic!("{errors}"));
    for definition in catalogue.latest() {
        let code = &definition.code;
        if definition.silence != SilenceRule::None {
            assert!(
                definition.delay.amount > 0,
                "{code}: a rule on silence without a delay"
            );
        }
        if definition.silence != SilenceRule::Accept {
            assert!(
                !definition.refusal_reasons.is_empty(),
                "{code}: may be refused but offers no refusal reason"
            );
        }
        for reason in &definition.refusal_reasons {
            assert!(!reason.trim().is_empty(), "{code}: empty refusal reason");
        }
    }
}

#[test]
fn the_silence_rules_and_delays_of_the_law_are_kept() {
    let catalogue = Catalogue::shipped().unwrap_or_else(|errors| panic!("{errors}"));
    let get = |code: &str| {
        catalogue
            .current(code)
            .unwrap_or_else(|| panic!("{code} missing"))
    };
    // Accident du travail: 30 jours francs, then implicit recognition (décret 2019-356).
    let at = get("accident-travail");
    assert_eq!(at.silence, SilenceRule::ImplicitRecognition);
    assert_eq!(
        (at.delay.amount, at.delay.unit.code()),
        (30, "calendar_days")
    );
    // Pension d'invalidité: 2 months, silence = refusal.
    let invalidite = get("pension-invalidite");
    assert_eq!(invalidite.silence, SilenceRule::Refuse);
    assert_eq!(
        (invalidite.delay.amount, invalidite.delay.unit.code()),
        (2, "months")
    );
    // The carte Vitale order keeps its identity document only until the decision.
    assert!(get("carte-vitale").has_identity_document());
}

#[test]
fn a_fund_version_with_a_wrong_condition_is_refused_as_the_operator_guide_shows() {
    let (_, text) = shipped("carte-vitale.v1.toml");
    let v2 = text.replacen("version = 1", "version = 2", 1).replacen(
        "equals = \"non\"",
        "equals = \"no\"",
        1,
    );
    let errors = Catalogue::shipped_and(vec![("carte-vitale.v2.toml".to_owned(), v2)]).unwrap_err();
    assert_eq!(
        errors.to_string(),
        "procedure definitions refused:\ncarte-vitale.v2.toml: \
         steps.adresse.fields.nouvelle_adresse.show_if: \"adresse_a_jour\" never has the value \"no\""
    );
}

#[test]
fn a_fund_version_is_served_to_new_dossiers_and_the_old_one_kept() {
    let (_, text) = shipped("ceam.v1.toml");
    let v2 = text.replacen("version = 1", "version = 2", 1).replacen(
        "max_chars = 60",
        "max_chars = 80",
        1,
    );
    let catalogue = Catalogue::shipped_and(vec![("ceam.v2.toml".to_owned(), v2)])
        .unwrap_or_else(|errors| panic!("{errors}"));
    let current = catalogue.current("ceam").expect("ceam");
    assert_eq!(current.version, 2);
    assert!(catalogue.version(&current.code, 1).is_some());
    assert_eq!(catalogue.latest().len(), SHIPPED.len());
}

#[test]
fn a_procedure_with_a_group_cannot_be_filed_without_an_account() {
    let (name, text) = SHIPPED
        .iter()
        .find(|(name, _)| name.starts_with("complementaire-sante-solidaire"))
        .expect("the C2S file");
    let public = text.replacen("effect = \"c2s\"", "effect = \"c2s\"\npublic = true", 1);
    let errors = Catalogue::load(&[((*name).to_owned(), public)]).unwrap_err();
    assert!(
        errors
            .to_string()
            .contains("public: a procedure filed without an account has no group field"),
        "{errors}"
    );
}
