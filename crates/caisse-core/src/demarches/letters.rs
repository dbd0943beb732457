//! The printed documents of dossiers: the decision letter (every decided dossier) and the
//! CEAM's *certificat provisoire de remplacement*.

use caisse_domain::c2s::{C2sDecision, C2sOutcome};
use caisse_domain::demarches::{DossierAction, DossierState, dossier_reference};
use caisse_domain::{Fund, french};
use caisse_pdf::{
    DecisionOutcome, DossierDecisionLetter, ProvisionalReplacementCertificate,
    default_recourse_text, render_ceam_certificate, render_dossier_decision,
};
use caisse_store::dossiers::{self as store, StoredDossier, cards, events};
use caisse_store::members::{self, MemberRecord};
use uuid::Uuid;

use super::errors::DossierError;
use super::reading::family;
use super::service::{Demarches, Shared};
use crate::letterhead::{postal_lines, sender};

/// One line saying what a C2S decision would be, for the advisor.
pub fn c2s_summary(decision: &C2sDecision) -> String {
    let ceilings = format!(
        "plafonds pour {} personne{} : {} et {}",
        decision.ceilings.household_size,
        if decision.ceilings.household_size > 1 {
            "s"
        } else {
            ""
        },
        french::amount(decision.ceilings.free),
        french::amount(decision.ceilings.with_participation)
    );
    match &decision.outcome {
        C2sOutcome::Free => format!("C2S sans participation financière ({ceilings})."),
        C2sOutcome::WithParticipation { monthly_total, .. } => format!(
            "C2S avec participation de {} par mois ({ceilings}).",
            french::amount(*monthly_total)
        ),
        C2sOutcome::Refused { .. } => {
            format!("Ressources au-dessus du plafond : refus ({ceilings}).")
        }
    }
}

impl Shared {
    fn sender_of(&self, member: &MemberRecord) -> caisse_pdf::Sender {
        sender(
            member.caisse_code.as_str(),
            "Caisse d'assurance maladie",
            &self.settings.phone,
            self.base_url(),
        )
    }

    async fn letter(&self, dossier: StoredDossier) -> Result<Vec<u8>, DossierError> {
        let decision = match dossier.state {
            DossierState::Accepted => DecisionOutcome::Accepted,
            DossierState::Refused => DecisionOutcome::Refused,
            DossierState::ClosedWithoutFollowUp => DecisionOutcome::ClosedWithoutFollowUp,
            DossierState::AcceptedBySilence => DecisionOutcome::AcceptedBySilence,
            DossierState::RefusedBySilence => DecisionOutcome::RefusedBySilence,
            _ => return Err(DossierError::NotFound),
        };
        let definition = self.definition_of(&dossier)?;
        let member = members::find(&self.db, dossier.member_id)
            .await?
            .ok_or(DossierError::NotFound)?;
        let person_concerned = if dossier.person_rank == 1 {
            None
        } else {
            family(&self.db, &member)
                .await?
                .into_iter()
                .find(|p| p.rank == dossier.person_rank)
                .map(|p| p.name)
        };
        let effects: Vec<String> = events::of_dossier(&self.db, dossier.id)
            .await?
            .into_iter()
            .filter(|e| e.action == DossierAction::EffectApplied)
            .filter_map(|e| e.note)
            .flat_map(|note| note.lines().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        let fund = Fund::by_code(&member.caisse_code).name();
        let refused = matches!(
            decision,
            DecisionOutcome::Refused | DecisionOutcome::RefusedBySilence
        );
        let decided = dossier.decided_at.unwrap_or(dossier.updated_at);
        let letter = DossierDecisionLetter {
            sender: self.sender_of(&member),
            recipient_lines: postal_lines(&member),
            salutation_name: member.display_name(),
            issued_on: caisse_domain::paris_time::paris_time(decided.get()).date(),
            procedure_title: definition.title.clone(),
            dossier_reference: dossier_reference(dossier.id.as_u128()),
            filed_on: caisse_domain::paris_time::paris_time(
                dossier.submitted_at.unwrap_or(dossier.created_at).get(),
            )
            .date(),
            person_concerned,
            decision,
            reasons: dossier.reasons.clone(),
            details: Vec::new(),
            effects,
            recourse: refused.then(|| default_recourse_text(fund)),
            signatory: "Le service des prestations".to_owned(),
        };
        Ok(render_dossier_decision(&letter).map_err(crate::CoreError::from)?)
    }

    async fn certificate(&self, dossier: &StoredDossier) -> Result<Vec<u8>, DossierError> {
        let order = cards::of_dossier(&self.db, dossier.id)
            .await?
            .filter(|o| o.card == "ceam")
            .ok_or(DossierError::NotFound)?;
        let valid_to = order.valid_to.ok_or(DossierError::NotFound)?;
        let member = members::find(&self.db, dossier.member_id)
            .await?
            .ok_or(DossierError::NotFound)?;
        let person = family(&self.db, &member)
            .await?
            .into_iter()
            .find(|p| p.rank == dossier.person_rank)
            .ok_or(DossierError::NotFound)?;
        let (given_names, last_name) = if person.rank == 1 {
            (
                member.first_name.clone(),
                member
                    .usage_name
                    .clone()
                    .unwrap_or(member.last_name.clone()),
            )
        } else {
            let mut parts = person.name.splitn(2, ' ');
            (
                parts.next().unwrap_or_default().to_owned(),
                parts.next().unwrap_or_default().to_owned(),
            )
        };
        let fund = Fund::by_code(&member.caisse_code);
        let issued = caisse_domain::paris_time::paris_time(order.ordered_at.get()).date();
        let certificate = ProvisionalReplacementCertificate {
            sender: self.sender_of(&member),
            last_name,
            given_names,
            birth_date: person.birth_date,
            personal_identification_number: member.nir.formatted(),
            institution_name: fund.name().to_owned(),
            institution_code: fund.code().as_str().to_owned(),
            card_identification: format!(
                "CPR-{}",
                &order.id.simple().to_string()[..12].to_uppercase()
            ),
            valid_from: issued,
            valid_to,
            issued_on: issued,
        };
        Ok(render_ceam_certificate(&certificate).map_err(crate::CoreError::from)?)
    }
}

impl Demarches {
    /// The decision letter of dossier `id`, for member `member_id`.
    ///
    /// # Errors
    /// [`DossierError::NotFound`] before the decision, or for someone else's dossier.
    pub async fn decision_letter(
        &self,
        member_id: Uuid,
        id: Uuid,
    ) -> Result<Vec<u8>, DossierError> {
        let dossier = store::find(&self.shared.db, id)
            .await?
            .filter(|d| d.member_id == member_id || d.filed_by == Some(member_id))
            .ok_or(DossierError::NotFound)?;
        self.shared.letter(dossier).await
    }

    /// The CEAM's provisional certificate of dossier `id`, for member `member_id`.
    ///
    /// # Errors
    /// [`DossierError::NotFound`] when the dossier ordered no CEAM, or is someone else's.
    pub async fn ceam_certificate(
        &self,
        member_id: Uuid,
        id: Uuid,
    ) -> Result<Vec<u8>, DossierError> {
        let dossier = store::find(&self.shared.db, id)
            .await?
            .filter(|d| d.member_id == member_id || d.filed_by == Some(member_id))
            .ok_or(DossierError::NotFound)?;
        self.shared.certificate(&dossier).await
    }
}
