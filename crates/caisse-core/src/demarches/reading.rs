//! Reading a dossier whole (answers, files, history, family), for the member and the
//! advisor alike; who may read it is decided by the caller.

use std::collections::BTreeMap;

use caisse_domain::ActorKind;
use caisse_domain::demarches::{FieldId, dossier_reference};
use caisse_store::dossiers::{StoredDossier, cards, events, pieces};
use caisse_store::members::{self, MemberRecord};
use caisse_store::{ConnectionTrait, StoreError};

use super::chain;
use super::errors::DossierError;
use super::service::Shared;
use super::views::{DossierView, FamilyPerson, PieceView, TimelineEntry, label_of};

/// The member and their beneficiaries, rank first.
pub(super) async fn family<C: ConnectionTrait>(
    db: &C,
    member: &MemberRecord,
) -> Result<Vec<FamilyPerson>, StoreError> {
    let mut family = vec![FamilyPerson {
        rank: 1,
        name: member.display_name(),
        birth_date: member.birth_date,
    }];
    for beneficiary in members::beneficiaries(db, member.id).await? {
        family.push(FamilyPerson {
            rank: u8::try_from(beneficiary.rank).unwrap_or(u8::MAX),
            name: format!("{} {}", beneficiary.first_name, beneficiary.last_name),
            birth_date: beneficiary.birth_date,
        });
    }
    Ok(family)
}

/// How many files each field holds (erased ones count: they were given).
pub(super) fn file_counts(pieces: &[pieces::Piece]) -> BTreeMap<FieldId, usize> {
    let mut counts = BTreeMap::new();
    for piece in pieces {
        *counts.entry(piece.field.clone()).or_insert(0) += 1;
    }
    counts
}

impl Shared {
    /// `dossier` whole.
    pub(super) async fn view<C: ConnectionTrait>(
        &self,
        db: &C,
        dossier: StoredDossier,
    ) -> Result<DossierView, DossierError> {
        let definition = self.definition_of(&dossier)?;
        let member = members::find(db, dossier.member_id)
            .await?
            .ok_or(DossierError::NotFound)?;
        let family = family(db, &member).await?;
        let person_name = family
            .iter()
            .find(|p| p.rank == dossier.person_rank)
            .map_or_else(|| member.display_name(), |p| p.name.clone());
        let stored_pieces = pieces::of_dossier(db, dossier.id).await?;
        let history = events::of_dossier(db, dossier.id).await?;
        let chain_holds = chain::holds(&history);
        let timeline = history
            .iter()
            .filter(|e| !matches!(e.action, caisse_domain::demarches::DossierAction::Saved))
            .map(|e| TimelineEntry {
                at: e.at,
                label: label_of(e.action, e.to_state),
                note: e.note.clone(),
                by_fund: !matches!(e.actor_kind, ActorKind::Member | ActorKind::Anonymous),
            })
            .collect();
        let order = cards::of_dossier(db, dossier.id).await?;
        Ok(DossierView {
            id: dossier.id,
            reference: dossier_reference(dossier.id.as_u128()),
            state: dossier.state,
            person_rank: dossier.person_rank,
            person_name,
            member_id: dossier.member_id,
            answers: dossier.answers,
            pieces: stored_pieces
                .into_iter()
                .map(|p| PieceView {
                    id: p.id,
                    field: p.field,
                    name: p.file.file_name.as_str().to_owned(),
                    kind: p.file.kind,
                    size_bytes: p.file.size_bytes,
                    erased: p.erased_at.is_some(),
                })
                .collect(),
            timeline,
            due_on: dossier.due_on,
            created_at: dossier.created_at,
            submitted_at: dossier.submitted_at,
            decided_at: dossier.decided_at,
            reasons: dossier.reasons,
            completion: dossier.completion,
            expires_on: dossier.expires_on,
            family,
            filed_as: dossier.filed_as,
            chain_holds,
            has_ceam_certificate: order
                .as_ref()
                .is_some_and(|o| o.card == "ceam" && o.valid_to.is_some()),
            card: order.map(|o| super::effects::card_state_label(&o.state).to_owned()),
            definition,
        })
    }
}
