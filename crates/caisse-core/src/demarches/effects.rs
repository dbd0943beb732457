//! The part of each procedure that is code: what an accepted dossier changes in the member
//! file, in the decision's transaction. Each effect reads fixed field ids (its contract,
//! [`contract`]), checked when the definitions load, so a definition cannot name them wrong.
//! Returns the sentences the decision letter and the timeline show.

use caisse_domain::c2s::{
    C2sDecision, C2sOutcome, C2sTable, HouseholdMember, HouseholdRole, Territory, eligibility,
};
use caisse_domain::demarches::{AnswerValue, Answers, Definition, Effect, delay::add_months};
use caisse_domain::rights::{C2sKind, Period};
use caisse_domain::{AmountCents, Fund, Instant, Sex, french};
use caisse_store::ConnectionTrait;
use caisse_store::dossiers::StoredDossier;
use caisse_store::dossiers::cards::{self, CardOrder};
use caisse_store::dossiers::procurations::{self, Procuration};
use caisse_store::members::{self, ContactChange, NewBeneficiary};
use caisse_store::rights::{self, C2s, Doctor, Rights};
use time::Date;
use uuid::Uuid;

use super::errors::DossierError;

/// The fields an effect reads: (id, kind code), at the top level of the definition.
pub fn contract(effect: Effect) -> &'static [(&'static str, &'static str)] {
    match effect {
        Effect::None | Effect::VitaleOrder | Effect::Ceam | Effect::SituationChange => &[],
        Effect::VitaleLoss => &[("motif", "choice")],
        Effect::AddressChange => &[("nouvelle_adresse", "postal_address")],
        Effect::Birth => &[
            ("nom", "text"),
            ("prenoms", "text"),
            ("date_naissance", "date"),
            ("sexe", "choice"),
        ],
        Effect::DoctorDeclaration => &[("nom_medecin", "text")],
        Effect::C2s => &[("membres", "group")],
        Effect::Procuration => &[
            ("nom", "text"),
            ("prenom", "text"),
            ("date_naissance", "date"),
        ],
    }
}

/// The problems of `definition` against its effect's contract.
pub fn contract_problems(definition: &Definition) -> Vec<(String, String)> {
    contract(definition.effect)
        .iter()
        .filter_map(|(id, kind)| match definition.field(id) {
            Some(field) if field.kind.code() == *kind => None,
            Some(field) => Some((
                format!("fields.{id}"),
                format!(
                    "the effect \"{}\" reads \"{id}\" as {kind}, not {}",
                    definition.effect.code(),
                    field.kind.code()
                ),
            )),
            None => Some((
                "effect".to_owned(),
                format!(
                    "the effect \"{}\" needs a field \"{id}\" of type {kind}",
                    definition.effect.code()
                ),
            )),
        })
        .collect()
}

/// « Commandée », « En fabrication », « Envoyée », « Opposée ».
pub fn card_state_label(state: &str) -> &'static str {
    match state {
        "en_fabrication" => "En fabrication",
        "envoyee" => "Envoyée",
        _ => "Commandée",
    }
}

fn text<'a>(answers: &'a Answers, id: &str) -> Option<&'a str> {
    answers
        .iter()
        .find(|(k, _)| k.as_str() == id)
        .and_then(|(_, v)| match v {
            AnswerValue::Text(text) | AnswerValue::Choice(text) => Some(text.as_str()),
            _ => None,
        })
}

fn date(answers: &Answers, id: &str) -> Option<Date> {
    answers
        .iter()
        .find(|(k, _)| k.as_str() == id)
        .and_then(|(_, v)| match v {
            AnswerValue::Date(date) => Some(*date),
            _ => None,
        })
}

fn missing(id: &str) -> DossierError {
    DossierError::Effect(format!("La réponse « {id} » manque au dossier."))
}

/// The territory of the C2S ceilings for fund `caisse`'s department.
pub fn territory_of(caisse: caisse_domain::CaisseCode) -> Territory {
    match Fund::by_code(&caisse).department() {
        "971" => Territory::Guadeloupe,
        "972" => Territory::Martinique,
        "973" => Territory::Guyane,
        "974" => Territory::LaReunion,
        "976" => Territory::Mayotte,
        _ => Territory::Metropole,
    }
}

/// The C2S decision the answers of `dossier` lead to, decided on `today`.
///
/// # Errors
/// [`DossierError::Effect`] when the household or the table does not allow a decision.
pub fn c2s_decision(
    table: &C2sTable,
    dossier: &StoredDossier,
    applicant_birth: Date,
    today: Date,
) -> Result<C2sDecision, DossierError> {
    let applied_on = dossier.submitted_at.map_or(today, |at| {
        caisse_domain::paris_time::paris_time(at.get()).date()
    });
    let mut household = vec![HouseholdMember::new(
        HouseholdRole::Applicant,
        applicant_birth,
    )];
    let mut resources = 0_i64;
    for (_, value) in dossier.answers.iter() {
        match value {
            AnswerValue::Amount(amount) => resources += amount.cents(),
            AnswerValue::Rows(rows) => {
                for row in rows {
                    let born =
                        date(row, "date_naissance").ok_or_else(|| missing("date_naissance"))?;
                    let role = match text(row, "lien") {
                        Some("conjoint") => HouseholdRole::Spouse,
                        Some("enfant") => HouseholdRole::Child,
                        _ => HouseholdRole::OtherDependant,
                    };
                    household.push(HouseholdMember::new(role, born));
                }
            }
            _ => {}
        }
    }
    eligibility(
        table,
        applied_on,
        today,
        territory_of(dossier.caisse),
        &household,
        AmountCents::new(resources),
    )
    .map_err(|e| DossierError::Effect(e.message_fr().to_owned()))
}

/// Applies `definition`'s effect for accepted `dossier`; returns what to tell the member.
pub(super) async fn apply<C: ConnectionTrait>(
    db: &C,
    dossier: &StoredDossier,
    definition: &Definition,
    c2s: &C2sTable,
    today: Date,
    now: Instant,
) -> Result<Vec<String>, DossierError> {
    let answers = &dossier.answers;
    let member = members::find(db, dossier.member_id)
        .await?
        .ok_or(DossierError::NotFound)?;
    let order = |card: &str, reason: &str, valid_to: Option<Date>| CardOrder {
        id: Uuid::new_v4(),
        member_id: member.id,
        person_rank: dossier.person_rank,
        card: card.to_owned(),
        reason: reason.to_owned(),
        state: "commandee".to_owned(),
        dossier_id: Some(dossier.id),
        ordered_at: now,
        updated_at: now,
        valid_to,
    };
    Ok(match definition.effect {
        Effect::None => Vec::new(),
        Effect::VitaleOrder => {
            cards::insert(
                db,
                &order("vitale", text(answers, "motif").unwrap_or("premiere"), None),
            )
            .await?;
            vec!["Votre carte Vitale est commandée : vous la recevrez par courrier dans deux à trois semaines.".into()]
        }
        Effect::VitaleLoss => {
            let reason = text(answers, "motif").ok_or_else(|| missing("motif"))?;
            // The opposition: the lost or stolen card's serial number leaves the file, so
            // the card can no longer be used.
            if dossier.person_rank == 1 {
                members::clear_vitale_serial(db, member.id, now).await?;
            }
            cards::insert(db, &order("vitale", reason, None)).await?;
            vec![
                "Votre ancienne carte Vitale est mise en opposition : elle ne peut plus être utilisée.".into(),
                "Une nouvelle carte est commandée : vous la recevrez par courrier dans deux à trois semaines.".into(),
            ]
        }
        Effect::Ceam => {
            let valid_to = add_months(today, 3);
            cards::insert(db, &order("ceam", "ceam", Some(valid_to))).await?;
            vec![
                "Votre carte européenne d'assurance maladie est commandée : vous la recevrez sous une dizaine de jours.".into(),
                format!(
                    "En attendant, votre certificat provisoire de remplacement est valable jusqu'au {} : téléchargez-le depuis ce dossier.",
                    french::letter_date(valid_to)
                ),
            ]
        }
        Effect::AddressChange => {
            let Some(AnswerValue::Address(address)) = answers
                .iter()
                .find(|(k, _)| k.as_str() == "nouvelle_adresse")
                .map(|(_, v)| v)
            else {
                return Err(missing("nouvelle_adresse"));
            };
            members::change_contact(
                db,
                member.id,
                ContactChange::Address {
                    line1: address.line1.clone(),
                    line2: address.line2.clone(),
                    postal_code: address.postal_code.clone(),
                    city: address.city.clone(),
                },
                now,
            )
            .await?;
            let mut told = vec!["Votre nouvelle adresse est enregistrée.".to_owned()];
            // A move to another department transfers the file to that department's fund.
            let department = address.department();
            if Fund::by_code(&member.caisse_code).department() != department
                && let Some(fund) = Fund::in_department(&department).next()
            {
                members::move_to_fund(db, member.id, fund.code(), now).await?;
                // Its other open dossiers follow it, into the new fund's general queue.
                caisse_store::dossiers::move_to_fund(db, member.id, fund.code(), dossier.id, now)
                    .await?;
                told.push(format!(
                    "Votre dossier est transféré à la {} : elle est désormais votre caisse.",
                    fund.name()
                ));
            }
            told
        }
        Effect::SituationChange => {
            if let Some(name) = text(answers, "nom_usage").filter(|n| !n.is_empty()) {
                members::set_usage_name(db, member.id, Some(name), now).await?;
                vec![format!("Votre nom d'usage est désormais {name}.")]
            } else {
                vec!["Votre situation est mise à jour.".into()]
            }
        }
        Effect::Birth => {
            let last_name = text(answers, "nom")
                .ok_or_else(|| missing("nom"))?
                .to_uppercase();
            let first_name = text(answers, "prenoms")
                .ok_or_else(|| missing("prenoms"))?
                .to_owned();
            let birth_date =
                date(answers, "date_naissance").ok_or_else(|| missing("date_naissance"))?;
            let sex = match text(answers, "sexe") {
                Some("F") => Sex::Female,
                _ => Sex::Male,
            };
            let mut parents = vec![member.id];
            if let Some((_, AnswerValue::Nir(nir))) = answers
                .iter()
                .find(|(k, _)| k.as_str() == "nir_autre_parent")
                && let Some(other) = members::find_by_nir(db, nir).await?
                && other.id != member.id
            {
                parents.push(other.id);
            }
            for parent in &parents {
                let rank = next_rank(db, *parent).await?;
                members::insert_beneficiaries(
                    db,
                    vec![(
                        *parent,
                        NewBeneficiary {
                            rank,
                            last_name: last_name.clone(),
                            first_name: first_name.clone(),
                            birth_date,
                            sex,
                        },
                    )],
                )
                .await?;
            }
            let mut told = vec![format!(
                "{first_name} figure désormais sur votre dossier et sur votre attestation de droits."
            )];
            if parents.len() > 1 {
                told.push("L'enfant est aussi rattaché à l'autre parent.".into());
            }
            told
        }
        Effect::DoctorDeclaration => {
            let name = text(answers, "nom_medecin").ok_or_else(|| missing("nom_medecin"))?;
            rights::replace_doctor(
                db,
                member.id,
                Doctor {
                    rank: i16::from(dossier.person_rank),
                    name: name.to_owned(),
                    declared_on: Some(today),
                },
            )
            .await?;
            vec![format!(
                "Votre médecin traitant est le {name} : il figure sur votre attestation de droits."
            )]
        }
        Effect::C2s => {
            let decision = c2s_decision(c2s, dossier, member.birth_date, today)?;
            let (kind, told) = match &decision.outcome {
                C2sOutcome::Free => (
                    C2sKind::SansParticipation,
                    "Vous bénéficiez de la Complémentaire santé solidaire sans participation financière.".to_owned(),
                ),
                C2sOutcome::WithParticipation { monthly_total, .. } => (
                    C2sKind::AvecParticipation,
                    format!(
                        "Vous bénéficiez de la Complémentaire santé solidaire avec une participation de {} par mois pour votre foyer.",
                        french::amount(*monthly_total)
                    ),
                ),
                C2sOutcome::Refused { .. } => {
                    return Err(DossierError::Effect(
                        "Les ressources du foyer dépassent le plafond : refusez le dossier avec ce motif.".into(),
                    ));
                }
            };
            let rights_period = decision
                .rights
                .ok_or_else(|| DossierError::Effect("Aucune période de droits.".into()))?;
            let period = Period::new(rights_period.valid_from, Some(rights_period.valid_to))
                .map_err(|_| DossierError::Effect("Période de droits invalide.".into()))?;
            rights::insert(
                db,
                member.id,
                Rights {
                    c2s: vec![C2s { kind, period }],
                    ..Rights::default()
                },
            )
            .await?;
            vec![
                told,
                format!(
                    "Vos droits sont ouverts du {} au {} : ils figurent sur votre attestation de droits à partir du {}.",
                    french::letter_date(rights_period.valid_from),
                    french::letter_date(rights_period.valid_to),
                    french::letter_date(rights_period.valid_from)
                ),
            ]
        }
        Effect::Procuration => {
            let last_name = text(answers, "nom").ok_or_else(|| missing("nom"))?;
            let first_name = text(answers, "prenom").ok_or_else(|| missing("prenom"))?;
            let birth_date =
                date(answers, "date_naissance").ok_or_else(|| missing("date_naissance"))?;
            if add_months(birth_date, 18 * 12) > today {
                return Err(DossierError::Effect(
                    "Le mandataire doit être majeur.".into(),
                ));
            }
            let valid_to = add_months(today, 1);
            procurations::insert(
                db,
                &Procuration {
                    id: Uuid::new_v4(),
                    member_id: member.id,
                    last_name: last_name.to_owned(),
                    first_name: first_name.to_owned(),
                    birth_date,
                    valid_from: today,
                    valid_to,
                    revoked_at: None,
                    dossier_id: Some(dossier.id),
                },
                now,
            )
            .await?;
            vec![format!(
                "Votre procuration à {first_name} {last_name} est valable jusqu'au {}. Vous pouvez la révoquer à tout moment.",
                french::letter_date(valid_to)
            )]
        }
    })
}

/// The next free rank of a beneficiary of member `member_id` (2 to 19).
async fn next_rank<C: ConnectionTrait>(db: &C, member_id: Uuid) -> Result<i16, DossierError> {
    let taken = members::beneficiaries(db, member_id).await?;
    let rank = taken.iter().map(|b| b.rank).max().unwrap_or(1) + 1;
    if rank > 19 {
        return Err(DossierError::Effect(
            "Le dossier compte déjà 19 personnes : contactez votre caisse.".into(),
        ));
    }
    Ok(rank)
}
