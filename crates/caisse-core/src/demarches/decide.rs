//! Deciding a dossier (an advisor, the silence rule at the due date, or at once for a
//! procedure decided without an advisor), and telling the member of every change.

use caisse_domain::demarches::{Definition, DossierAction, DossierState, Move, dossier_reference};
use caisse_domain::{ActorKind, Channel, Instant};
use caisse_store::dossiers::{self as store, Change, StoredDossier};
use caisse_store::outbox::{self, NewMessage};
use caisse_store::{ConnectionTrait, members};
use uuid::Uuid;

use super::chain::{self, Event};
use super::effects;
use super::errors::DossierError;
use super::service::{Shared, fund_name};
use crate::mails::{
    self,
    demarches::{DossierUpdate, DossierWaitingSms},
};

/// How a dossier is decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Accepted: the effect applies.
    Accept,
    /// Refused, with reasons.
    Refuse,
    /// Closed without a decision on the merits.
    Close,
    /// Accepted by silence at the due date.
    AcceptBySilence,
    /// Refused by silence at the due date.
    RefuseBySilence,
}

impl Decision {
    fn step(self) -> (Move, DossierAction) {
        match self {
            Decision::Accept => (Move::Accept, DossierAction::Accepted),
            Decision::Refuse => (Move::Refuse, DossierAction::Refused),
            Decision::Close => (Move::CloseWithoutFollowUp, DossierAction::Closed),
            Decision::AcceptBySilence => (Move::AcceptBySilence, DossierAction::AcceptedBySilence),
            Decision::RefuseBySilence => (Move::RefuseBySilence, DossierAction::RefusedBySilence),
        }
    }
}

impl Shared {
    /// Decides `dossier` in the caller's transaction: the move, the effect when accepted,
    /// the events, the member's mail.
    #[expect(clippy::too_many_arguments, reason = "one decision's whole input")]
    pub(super) async fn decide_in<C: ConnectionTrait>(
        &self,
        tx: &C,
        dossier: &mut StoredDossier,
        definition: &Definition,
        decision: Decision,
        reasons: Vec<String>,
        actor: (ActorKind, Option<Uuid>),
        now: Instant,
    ) -> Result<(), DossierError> {
        let (step, action) = decision.step();
        let next = Shared::next(dossier, step)?;
        let told = if next.is_accepted() {
            effects::apply(tx, dossier, definition, &self.c2s, self.today(), now).await?
        } else {
            Vec::new()
        };
        let change = Change {
            decided_at: Some(now),
            reasons: Some(reasons.clone()),
            completion: Some(None),
            paused_on: Some(None),
            ..Change::default()
        };
        if !store::apply(tx, dossier.id, dossier.state, next, change, now).await? {
            return Err(DossierError::Conflict);
        }
        let mut event = Event::new(actor, action).moved(dossier.state, next);
        if !reasons.is_empty() {
            event = event.note(reasons.join("\n"));
        }
        chain::append(tx, dossier, event, now).await?;
        dossier.state = next;
        dossier.decided_at = Some(now);
        dossier.reasons = reasons;
        if !told.is_empty() {
            let event = Event::new((ActorKind::System, None), DossierAction::EffectApplied)
                .note(told.join("\n"))
                .details(serde_json::json!({ "effect": definition.effect.code() }));
            chain::append(tx, dossier, event, now).await?;
        }
        self.notify(tx, dossier, now).await
    }

    /// Tells the member of dossier `dossier`'s state by mail (and SMS when they chose it),
    /// through the outbox, in the caller's transaction.
    pub(super) async fn notify<C: ConnectionTrait>(
        &self,
        tx: &C,
        dossier: &StoredDossier,
        now: Instant,
    ) -> Result<(), DossierError> {
        // The mandataire who filed it is told, and the member it concerns.
        let mut recipients = vec![dossier.member_id];
        recipients.extend(dossier.filed_by);
        for member_id in recipients {
            let Some((member, account)) = members::with_account(tx, member_id).await? else {
                continue;
            };
            let by_email = account.as_ref().is_none_or(|a| a.notify_email);
            let by_sms = account.as_ref().is_some_and(|a| a.notify_sms);
            let reference = dossier_reference(dossier.id.as_u128());
            let link = format!("{}/demarches/dossiers/{}", self.base_url(), dossier.id);
            let fund = fund_name(member.caisse_code);
            let state = dossier.state.label_fr().to_lowercase();
            let waiting = dossier.state == DossierState::AwaitingCompletion;
            if let Some(email) = member.email.as_ref().filter(|_| by_email) {
                let text = mails::mail(&DossierUpdate {
                    reference: &reference,
                    state: &state,
                    waiting,
                    link: &link,
                    fund: &fund,
                })
                .map_err(crate::CoreError::from)?;
                outbox::enqueue(
                    tx,
                    NewMessage {
                        channel: Channel::Email,
                        recipient: email.as_str().to_owned(),
                        subject: text.subject,
                        body_text: text.body,
                        caisse_code: Some(member.caisse_code.as_str().to_owned()),
                    },
                    now,
                )
                .await?;
            }
            if let Some(phone) = member.phone.as_ref().filter(|_| by_sms && waiting) {
                outbox::enqueue(
                    tx,
                    NewMessage {
                        channel: Channel::Sms,
                        recipient: phone.as_str().to_owned(),
                        subject: String::new(),
                        body_text: mails::sms(&DossierWaitingSms {
                            fund: &fund,
                            reference: &reference,
                            link: &link,
                        })
                        .map_err(crate::CoreError::from)?,
                        caisse_code: Some(member.caisse_code.as_str().to_owned()),
                    },
                    now,
                )
                .await?;
            }
        }
        Ok(())
    }
}
