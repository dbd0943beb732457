//! What the public questions tell members, through the outbox in the transaction of the
//! advisor's move: an answer published, a question refused with its reason. A member who
//! turned mails off, or has no address, gets nothing (they see it in « Mes questions »).

use caisse_domain::Instant;
use caisse_store::ConnectionTrait;
use caisse_store::forum::Question;
use caisse_store::members;
use caisse_store::outbox::{self, NewMessage};

use super::{Forum, ForumError, fund_name};
use crate::mails::{self, MailText, forum as texts};

impl Forum {
    async fn tell<C: ConnectionTrait>(
        tx: &C,
        question: &Question,
        text: MailText,
        now: Instant,
    ) -> Result<(), ForumError> {
        let Some((member, account)) = members::with_account(tx, question.account_id).await? else {
            return Ok(());
        };
        let Some(email) = member
            .email
            .as_ref()
            .filter(|_| account.as_ref().is_none_or(|a| a.notify_email))
        else {
            return Ok(());
        };
        outbox::enqueue(
            tx,
            NewMessage::email(email, text.subject, text.body, Some(&question.caisse)),
            now,
        )
        .await?;
        Ok(())
    }

    /// « Votre question a reçu une réponse », with the question's link.
    pub(super) async fn tell_answered<C: ConnectionTrait>(
        &self,
        tx: &C,
        question: &Question,
        now: Instant,
    ) -> Result<(), ForumError> {
        let text = mails::mail(&texts::QuestionAnswered {
            title: &question.title,
            link: &self.page_of(question.id),
            fund: fund_name(&question.caisse),
        })?;
        Self::tell(tx, question, text, now).await
    }

    /// The refusal, with its reason.
    pub(super) async fn tell_rejected<C: ConnectionTrait>(
        &self,
        tx: &C,
        question: &Question,
        reason: &str,
        now: Instant,
    ) -> Result<(), ForumError> {
        let text = mails::mail(&texts::QuestionRejected {
            title: &question.title,
            reason,
            link: &format!("{}/aide/mes-questions", self.base_url()),
            fund: fund_name(&question.caisse),
        })?;
        Self::tell(tx, question, text, now).await
    }
}
