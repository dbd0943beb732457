use std::collections::BTreeMap;

use time::macros::date;

use super::answers::{ParseContext, merge_step, read_step, unanswered};
use super::*;
use crate::HolidayZone;

fn id(raw: &str) -> FieldId {
    FieldId::parse(raw).unwrap()
}

fn field(raw: &str, kind: FieldKind, required: bool) -> Field {
    Field {
        id: id(raw),
        label: format!("Le champ {raw}"),
        hint: None,
        kind,
        required,
        show_if: None,
        required_if: None,
    }
}

fn choice(values: &[&str]) -> FieldKind {
    FieldKind::Choice {
        options: values
            .iter()
            .map(|v| ChoiceOption {
                value: (*v).to_owned(),
                label: v.to_uppercase(),
            })
            .collect(),
    }
}

fn vitale_loss() -> Definition {
    let mut police = field(
        "plainte",
        FieldKind::Files {
            max_count: 2,
            identity_document: false,
        },
        true,
    );
    police.show_if = Some(Condition::Equals {
        field: id("motif"),
        value: "vol".into(),
    });
    let mut when = field("date_perte", FieldKind::Date { past_only: true }, true);
    when.required_if = Some(Condition::Not(Box::new(Condition::Equals {
        field: id("motif"),
        value: "vol".into(),
    })));
    Definition {
        code: ProcedureCode::parse("perte-vol-carte-vitale").unwrap(),
        version: 1,
        title: "Perte ou vol".into(),
        summary: "…".into(),
        category: "Carte Vitale".into(),
        keywords: vec![],
        filing_for: vec![FilingFor::Myself],
        steps: vec![Step {
            id: id("circonstances"),
            title: "Circonstances".into(),
            fields: vec![
                field("motif", choice(&["perte", "vol"]), true),
                when,
                police,
            ],
        }],
        delay: Delay {
            amount: 10,
            unit: DelayUnit::WorkingDays,
        },
        silence: SilenceRule::None,
        team: None,
        effect: Effect::VitaleLoss,
        automatic: true,
        public: false,
        investigation: None,
        refusal_reasons: vec![],
    }
}

fn ctx() -> ParseContext<'static> {
    ParseContext {
        today: date!(2026 - 12 - 05),
        family_ranks: &[1, 2],
    }
}

fn raw(pairs: &[(&str, &str)]) -> RawInput {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn a_valid_definition_has_no_problem() {
    assert_eq!(vitale_loss().check(), vec![]);
}

#[test]
fn a_condition_on_an_unknown_value_or_a_later_field_is_a_problem() {
    let mut definition = vitale_loss();
    definition.steps[0].fields[2].show_if = Some(Condition::Equals {
        field: id("motif"),
        value: "volé".into(),
    });
    definition.steps[0].fields[0].show_if = Some(Condition::Filled {
        field: id("plainte"),
    });
    let problems = definition.check();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(
        problems[0].place,
        "steps.circonstances.fields.motif.show_if"
    );
    assert!(problems[0].problem.contains("not a field asked before"));
    assert_eq!(
        problems[1].place,
        "steps.circonstances.fields.plainte.show_if"
    );
    assert!(problems[1].problem.contains("never has the value \"volé\""));
}

#[test]
fn hidden_fields_are_skipped_and_required_if_applies() {
    let definition = vitale_loss();
    // Vol: the date is not required, the complaint is shown (a file: counted apart).
    let read = read_step(
        &definition,
        "circonstances",
        &raw(&[("motif", "vol")]),
        ctx(),
        &Answers::new(),
    )
    .unwrap();
    assert_eq!(read.len(), 1);
    let files = BTreeMap::new();
    let missing = unanswered(&definition, &read, &files);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].0.id.as_str(), "plainte");
    // Perte: the date is required; the complaint is hidden.
    let errors = read_step(
        &definition,
        "circonstances",
        &raw(&[("motif", "perte")]),
        ctx(),
        &Answers::new(),
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].input, "date_perte");
    assert_eq!(errors[0].message_fr, "Saisissez le champ date_perte.");
}

#[test]
fn each_bad_field_gets_its_own_french_message() {
    let definition = Definition {
        steps: vec![Step {
            id: id("tout"),
            title: "Tout".into(),
            fields: vec![
                field("nir", FieldKind::Nir, true),
                field("iban", FieldKind::Iban, false),
                field("montant", FieldKind::Amount, false),
                field("quand", FieldKind::Date { past_only: true }, false),
                field("adresse", FieldKind::PostalAddress, false),
                field("qui", FieldKind::FamilyMember, false),
            ],
        }],
        ..vitale_loss()
    };
    let errors = read_step(
        &definition,
        "tout",
        &raw(&[
            ("nir", "123"),
            ("iban", "FR76 0000"),
            ("montant", "12,345"),
            ("quand", "2027-01-01"),
            ("adresse.ligne1", "1 rue des Lilas"),
            ("adresse.code_postal", "6700"),
            ("adresse.commune", "Strasbourg"),
            ("qui", "7"),
        ]),
        ctx(),
        &Answers::new(),
    )
    .unwrap_err();
    let inputs: Vec<&str> = errors.iter().map(|e| e.input.as_str()).collect();
    assert_eq!(
        inputs,
        [
            "nir",
            "iban",
            "montant",
            "quand",
            "adresse.code_postal",
            "qui"
        ]
    );
    assert!(errors.iter().all(|e| !e.message_fr.is_empty()));
}

#[test]
fn group_rows_are_read_and_a_changed_answer_drops_what_it_hides() {
    let mut definition = vitale_loss();
    definition.steps.push(Step {
        id: id("foyer"),
        title: "Foyer".into(),
        fields: vec![field(
            "personnes",
            FieldKind::Group {
                fields: vec![
                    field("prenom", FieldKind::Text { max_chars: 40 }, true),
                    field("naissance", FieldKind::Date { past_only: true }, true),
                ],
                min: 1,
                max: 5,
            },
            true,
        )],
    });
    assert_eq!(definition.check(), vec![]);
    let read = read_step(
        &definition,
        "foyer",
        &raw(&[
            ("personnes.0.prenom", "Léa"),
            ("personnes.0.naissance", "02/03/2020"),
            ("personnes.1.prenom", ""),
            ("personnes.1.naissance", ""),
            ("personnes.2.prenom", "Tom"),
        ]),
        ctx(),
        &Answers::new(),
    )
    .unwrap_err();
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].input, "personnes.2.naissance");

    let mut answers = Answers::new();
    let first = read_step(
        &definition,
        "circonstances",
        &raw(&[("motif", "perte"), ("date_perte", "2026-12-01")]),
        ctx(),
        &answers,
    )
    .unwrap();
    merge_step(&definition, "circonstances", &mut answers, first);
    assert_eq!(answers.len(), 2);
    let second = read_step(
        &definition,
        "circonstances",
        &raw(&[("motif", "vol")]),
        ctx(),
        &answers,
    )
    .unwrap();
    merge_step(&definition, "circonstances", &mut answers, second);
    assert_eq!(answers.len(), 1, "the date of a loss is gone with the loss");
}

#[test]
fn moves_follow_the_state_machine() {
    use DossierState as S;
    assert_eq!(S::Draft.after(Move::Submit), Some(S::Submitted));
    assert_eq!(S::Submitted.after(Move::Cancel), Some(S::Cancelled));
    assert_eq!(S::InInstruction.after(Move::Cancel), None);
    assert_eq!(
        S::AwaitingCompletion.after(Move::Complete),
        Some(S::InInstruction)
    );
    assert_eq!(S::AwaitingCompletion.after(Move::Accept), None);
    assert_eq!(S::Accepted.after(Move::Refuse), None);
    assert_eq!(
        S::Submitted.after(Move::RefuseBySilence),
        Some(S::RefusedBySilence)
    );
    for state in S::ALL {
        assert_eq!(S::from_code(state.code()), Some(state));
    }
}

#[test]
fn due_dates_count_working_days_calendar_days_and_months() {
    let zone = HolidayZone::Metropole;
    let ten = Delay {
        amount: 10,
        unit: DelayUnit::WorkingDays,
    };
    // Filed Friday 18 December 2026: 25 December and the weekends do not count.
    assert_eq!(
        ten.due_on(zone, date!(2026 - 12 - 18)),
        date!(2027 - 01 - 05)
    );
    let thirty = Delay {
        amount: 30,
        unit: DelayUnit::CalendarDays,
    };
    assert_eq!(
        thirty.due_on(zone, date!(2026 - 12 - 18)),
        date!(2027 - 01 - 17)
    );
    let two_months = Delay {
        amount: 2,
        unit: DelayUnit::Months,
    };
    assert_eq!(
        two_months.due_on(zone, date!(2026 - 12 - 31)),
        date!(2027 - 02 - 28)
    );
    // Paused Monday 7 December, resumed Monday 14: five working days more.
    assert_eq!(
        delay::resume(
            DelayUnit::WorkingDays,
            zone,
            date!(2026 - 12 - 21),
            date!(2026 - 12 - 07),
            date!(2026 - 12 - 14)
        ),
        date!(2026 - 12 - 29)
    );
}

#[test]
fn references_are_short_and_stable() {
    assert_eq!(
        dossier_reference(0x3f9a_12bc_0000_0000_0000_0000_0000_0000),
        "D-3F9A-12BC"
    );
}

#[test]
fn answers_read_back_from_their_inputs() {
    let mut definition = vitale_loss();
    definition.steps[0]
        .fields
        .push(field("montant", FieldKind::Amount, false));
    let read = read_step(
        &definition,
        "circonstances",
        &raw(&[
            ("motif", "perte"),
            ("date_perte", "01/12/2026"),
            ("montant", "12,5"),
        ]),
        ctx(),
        &Answers::new(),
    )
    .unwrap();
    let inputs = answers::to_inputs(&read);
    assert_eq!(inputs.get("montant").map(String::as_str), Some("12,50"));
    let again = read_step(
        &definition,
        "circonstances",
        &inputs,
        ctx(),
        &Answers::new(),
    )
    .unwrap();
    assert_eq!(again, read);
}
