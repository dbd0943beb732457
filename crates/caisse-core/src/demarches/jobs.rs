//! The timed work of dossiers, run by the worker: decisions by silence at the due date,
//! notices and expiry of drafts left alone, and the erasure of identity documents once a
//! dossier is decided. Each dossier is its own transaction; a dossier another node moved
//! first is skipped (its compare-and-set fails), so running twice changes nothing.

use caisse_domain::demarches::{DossierAction, DossierState, Move, SilenceRule, dossier_reference};
use caisse_domain::{ActorKind, Channel, french};
use caisse_store::dossiers::{self as store, Change, pieces};
use caisse_store::outbox::{self, NewMessage};
use caisse_store::{TransactionTrait, members};
use time::Duration;

use super::chain::{self, Event};
use super::decide::Decision;
use super::errors::DossierError;
use super::service::{Demarches, Shared, fund_name};
use crate::files::FileKey;
use crate::mails::{self, demarches::DraftExpiring};

/// How many rows one run handles per kind of work.
const BATCH: u64 = 500;

/// What one run of the jobs did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobsRun {
    /// Dossiers decided by silence.
    pub decided_by_silence: u64,
    /// Drafts told they will expire.
    pub drafts_noticed: u64,
    /// Drafts expired.
    pub drafts_expired: u64,
    /// Identity documents erased.
    pub identity_erased: u64,
}

impl Demarches {
    /// Runs the timed work once.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "demarches.run_jobs", skip_all)]
    pub async fn run_jobs(&self) -> Result<JobsRun, DossierError> {
        let shared = &self.shared;
        let mut run = JobsRun::default();
        let today = shared.today();
        let silent = shared.catalogue.with_silence_rule();
        for id in store::past_due(&shared.db, &silent, today, BATCH).await? {
            match self.decide_by_silence(id).await {
                Ok(true) => run.decided_by_silence += 1,
                Ok(false) | Err(DossierError::Conflict | DossierError::WrongState) => {}
                Err(error) => tracing::warn!(dossier = %id, %error, "silence rule not applied"),
            }
        }
        let notice_from = today + Duration::days(shared.settings.draft_notice_days);
        for draft in store::drafts_to_notify(&shared.db, notice_from, BATCH).await? {
            let tx = shared.db.begin().await?;
            let mut dossier = Shared::lock(&tx, draft.id).await?;
            if dossier.state != DossierState::Draft || dossier.expiry_notice_sent {
                continue;
            }
            // The member always has the notice's days to come back, even when it goes late.
            let expires_on = dossier
                .expires_on
                .map_or(notice_from, |e| e.max(notice_from));
            store::mark_notice_sent(&tx, dossier.id, expires_on).await?;
            dossier.expires_on = Some(expires_on);
            shared.draft_notice(&tx, &dossier).await?;
            let event = Event::new((ActorKind::System, None), DossierAction::ExpiryNoticeSent);
            chain::append(&tx, &mut dossier, event, shared.now()).await?;
            tx.commit().await?;
            run.drafts_noticed += 1;
        }
        for id in store::expired_drafts(&shared.db, today, BATCH).await? {
            let tx = shared.db.begin().await?;
            let mut dossier = Shared::lock(&tx, id).await?;
            let Ok(next) = Shared::next(&dossier, Move::Expire) else {
                continue;
            };
            let now = shared.now();
            if store::apply(&tx, id, dossier.state, next, Change::default(), now).await? {
                let event = Event::new((ActorKind::System, None), DossierAction::Expired)
                    .moved(dossier.state, next);
                chain::append(&tx, &mut dossier, event, now).await?;
                tx.commit().await?;
                run.drafts_expired += 1;
                // The draft's files go with it.
                let files = pieces::of_dossier(&shared.db, id).await?;
                shared.forget(&files).await;
            }
        }
        for piece in pieces::identity_to_erase(&shared.db, BATCH).await? {
            let key = FileKey::from_stored(piece.file.storage_key.clone());
            if let Err(error) = shared.files.delete(&key).await {
                tracing::warn!(piece = %piece.id, %error, "an identity document was not erased");
                continue;
            }
            let tx = shared.db.begin().await?;
            pieces::mark_erased(&tx, piece.id, shared.now()).await?;
            let mut dossier = Shared::lock(&tx, piece.dossier_id).await?;
            let event = Event::new((ActorKind::System, None), DossierAction::IdentityErased)
                .details(serde_json::json!({ "field": piece.field.as_str() }));
            chain::append(&tx, &mut dossier, event, shared.now()).await?;
            tx.commit().await?;
            run.identity_erased += 1;
        }
        Ok(run)
    }

    async fn decide_by_silence(&self, id: uuid::Uuid) -> Result<bool, DossierError> {
        let shared = &self.shared;
        let tx = shared.db.begin().await?;
        let mut dossier = Shared::lock(&tx, id).await?;
        let definition = shared.definition_of(&dossier)?;
        let decision = match definition.silence {
            SilenceRule::None => return Ok(false),
            SilenceRule::Accept | SilenceRule::ImplicitRecognition => Decision::AcceptBySilence,
            SilenceRule::Refuse => Decision::RefuseBySilence,
        };
        let still_due = dossier.due_on.is_some_and(|due| due < shared.today());
        if !still_due {
            return Ok(false);
        }
        let reasons = vec![match definition.silence {
            SilenceRule::ImplicitRecognition => {
                "Faute de décision dans le délai légal, le caractère professionnel est reconnu (reconnaissance implicite).".to_owned()
            }
            SilenceRule::Refuse => {
                "Faute de décision dans le délai, la demande est rejetée (rejet implicite).".to_owned()
            }
            _ => "Faute de décision dans le délai, la demande est acceptée (accord implicite).".to_owned(),
        }];
        shared
            .decide_in(
                &tx,
                &mut dossier,
                &definition,
                decision,
                reasons,
                (ActorKind::System, None),
                shared.now(),
            )
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}

impl Shared {
    async fn draft_notice<C: caisse_store::ConnectionTrait>(
        &self,
        tx: &C,
        dossier: &store::StoredDossier,
    ) -> Result<(), DossierError> {
        let member_id = dossier.filed_by.unwrap_or(dossier.member_id);
        let Some(member) = members::find(tx, member_id).await? else {
            return Ok(());
        };
        let Some(email) = member.email.as_ref() else {
            return Ok(());
        };
        let Some(expires_on) = dossier.expires_on else {
            return Ok(());
        };
        let text = mails::mail(&DraftExpiring {
            reference: &dossier_reference(dossier.id.as_u128()),
            expires_on: &french::letter_date(expires_on),
            link: &format!("{}/demarches/dossiers/{}", self.base_url(), dossier.id),
            fund: &fund_name(member.caisse_code),
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
            self.now(),
        )
        .await?;
        Ok(())
    }
}
