//! The back office of the public questions: a fund's moderation queue by tab, a question beside
//! the member who asked it, publishing, refusing with a reason, answering in the fund's name,
//! and the material of a FAQ entry. Every query is scoped to the staff member's fund (another
//! fund's question is a missing one); every reading of an unpublished question or of the
//! member behind one is audited, and so is every move.

use caisse_domain::forum::{QuestionStatus, TextField, checked_text, held_message_fr};
use caisse_domain::{AuditAction, Instant};
use caisse_store::forum::{self as store, Answer, Question};
use caisse_store::staff::{self, StaffMember};
use caisse_store::{ConnectionTrait, TransactionTrait, members};
use serde_json::json;
use time::Date;
use uuid::Uuid;

pub use caisse_store::forum::QueueTab;

use super::member::PublicQuestion;
use super::{Forum, ForumError, PAGE_SIZE, day_of};
use crate::audit::{self, Actor, RequestContext};

/// A tab of the queue, its page and what each tab holds.
#[derive(Clone)]
pub struct QueueView {
    /// The tab shown.
    pub tab: QueueTab,
    /// How many questions each tab holds, in the page's order.
    pub counts: Vec<(QueueTab, u64)>,
    /// The tab's questions, oldest first.
    pub questions: Vec<PublicQuestion>,
    /// This page (from 1).
    pub page: u64,
    /// How many pages.
    pub pages: u64,
}

debug_fields!(QueueView { tab, page, pages });

/// An answer as the advisor reads it.
#[derive(Clone)]
pub struct StaffAnswer {
    /// The advisor who wrote it.
    pub advisor: String,
    /// Text.
    pub text: String,
    /// The day (Paris).
    pub on: Date,
}

debug_fields!(StaffAnswer { on });

/// A question beside the member who asked it, with what the advisor may do.
#[derive(Clone)]
pub struct StaffQuestion {
    /// The question.
    pub question: PublicQuestion,
    /// Why it is held, when it is.
    pub held_message: Option<String>,
    /// Why it was refused, when it was.
    pub rejection_reason: Option<String>,
    /// The member (their file's id).
    pub member_id: Uuid,
    /// The member's name.
    pub member_name: String,
    /// The answers, oldest first.
    pub answers: Vec<StaffAnswer>,
    /// « Publier » is offered (pending).
    pub may_publish: bool,
    /// « Répondre » is offered (pending or published).
    pub may_answer: bool,
    /// « Refuser » is offered (not refused yet).
    pub may_reject: bool,
    /// « Faire une entrée de FAQ » is offered (published and answered).
    pub may_make_faq: bool,
}

debug_fields!(StaffQuestion { member_id });

/// What a FAQ entry is made from: a published, answered question.
#[derive(Clone)]
pub struct FaqMaterial {
    /// The question's title.
    pub title: String,
    /// The question's text.
    pub text: String,
    /// The latest answer's text.
    pub answer: String,
}

debug_fields!(FaqMaterial {});

/// An advisor's move of a question from the status it was read in, audited.
struct Move<'a> {
    id: Uuid,
    from: QuestionStatus,
    to: QuestionStatus,
    reason: Option<&'a str>,
    action: AuditAction,
}

impl Move<'_> {
    /// Applies it in `tx` with its audit row; [`ForumError::Changed`] when the question is
    /// not in `from` any more.
    async fn record<C: ConnectionTrait>(
        &self,
        tx: &C,
        staff_id: Uuid,
        context: &RequestContext,
        now: Instant,
    ) -> Result<(), ForumError> {
        let moved =
            store::moderate(tx, self.id, self.from, self.to, staff_id, self.reason, now).await?;
        if !moved {
            return Err(ForumError::Changed);
        }
        audit::record(
            tx,
            context,
            Actor::Staff(staff_id),
            self.action,
            Some(("forum_question", self.id)),
            json!({}),
            now,
        )
        .await
        .map_err(ForumError::from)
    }
}

fn unpublished(tab: QueueTab) -> bool {
    matches!(tab, QueueTab::Pending | QueueTab::Held | QueueTab::Rejected)
}

impl Forum {
    async fn me(&self, staff_id: Uuid) -> Result<StaffMember, ForumError> {
        staff::find(&self.db, staff_id)
            .await?
            .filter(|s| s.active)
            .ok_or(ForumError::NotFound)
    }

    /// Question `id` if it is of `me`'s fund.
    async fn of_fund(&self, me: &StaffMember, id: Uuid) -> Result<Question, ForumError> {
        store::find(&self.db, id)
            .await?
            .filter(|q| q.caisse == me.caisse_code)
            .ok_or(ForumError::NotFound)
    }

    /// Staff member `staff_id`'s fund's questions of `tab`, page `page` (from 1); audited
    /// for the tabs of unpublished questions.
    ///
    /// # Errors
    /// [`ForumError::NotFound`] for an inactive staff member.
    #[tracing::instrument(name = "forum.queue", skip_all, fields(staff_id = %staff_id))]
    pub async fn queue(
        &self,
        staff_id: Uuid,
        tab: QueueTab,
        page: u64,
        context: &RequestContext,
    ) -> Result<QueueView, ForumError> {
        let me = self.me(staff_id).await?;
        let page = page.max(1);
        let counts = store::queue_counts(&self.db, &me.caisse_code).await?;
        let found = store::queue(
            &self.db,
            &me.caisse_code,
            tab,
            (page - 1) * PAGE_SIZE,
            PAGE_SIZE,
        )
        .await?;
        if unpublished(tab) && !found.rows.is_empty() {
            audit::record(
                &self.db,
                context,
                Actor::Staff(staff_id),
                AuditAction::StaffForumQuestionViewed,
                None,
                json!({ "questions": found.rows.iter().map(|q| q.id).collect::<Vec<_>>() }),
                self.instant(),
            )
            .await?;
        }
        Ok(QueueView {
            tab,
            counts,
            questions: found.rows.iter().map(super::member::public_of).collect(),
            pages: found.total.div_ceil(PAGE_SIZE).max(1),
            page,
        })
    }

    /// Question `id` beside the member who asked it; the reading is audited.
    ///
    /// # Errors
    /// [`ForumError::NotFound`] for another fund's question.
    #[tracing::instrument(name = "forum.staff_question", skip_all, fields(staff_id = %staff_id, id = %id))]
    pub async fn staff_question(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<StaffQuestion, ForumError> {
        let me = self.me(staff_id).await?;
        let question = self.of_fund(&me, id).await?;
        let member_name = members::find(&self.db, question.account_id)
            .await?
            .map(|m| m.display_name())
            .unwrap_or_default();
        let answers = store::answers(&self.db, id).await?;
        let writers: Vec<Uuid> = answers.iter().map(|a| a.staff_id).collect();
        let writers = staff::by_ids(&self.db, &writers).await?;
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffForumQuestionViewed,
            Some(("forum_question", id)),
            json!({ "member_id": question.account_id }),
            self.instant(),
        )
        .await?;
        let status = question.status;
        let mut view = super::member::public_of(&question);
        view.answered = !answers.is_empty();
        Ok(StaffQuestion {
            held_message: (status == QuestionStatus::Held)
                .then(|| held_message_fr(&super::member::warnings_of(&question))),
            rejection_reason: question.rejection_reason.clone(),
            member_id: question.account_id,
            member_name,
            may_publish: status.may_publish().is_ok(),
            may_answer: status.may_answer().is_ok(),
            may_reject: status.may_reject().is_ok(),
            may_make_faq: status == QuestionStatus::Published && !answers.is_empty(),
            answers: answers
                .into_iter()
                .map(|a| StaffAnswer {
                    advisor: writers
                        .iter()
                        .find(|w| w.id == a.staff_id)
                        .map(|w| w.display_name.clone())
                        .unwrap_or_default(),
                    text: a.body,
                    on: day_of(a.created_at),
                })
                .collect(),
            question: view,
        })
    }

    /// Publishes pending question `id`.
    ///
    /// # Errors
    /// [`ForumError::Moderation`] for a held, published or refused question,
    /// [`ForumError::NotFound`] for another fund's, [`ForumError::Changed`] when it moved since.
    #[tracing::instrument(name = "forum.publish", skip_all, fields(staff_id = %staff_id, id = %id))]
    pub async fn publish(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<(), ForumError> {
        let me = self.me(staff_id).await?;
        let question = self.of_fund(&me, id).await?;
        question.status.may_publish()?;
        let now = self.instant();
        let tx = self.db.begin().await?;
        let publish = Move {
            id,
            from: question.status,
            to: QuestionStatus::Published,
            reason: None,
            action: AuditAction::StaffForumQuestionPublished,
        };
        publish.record(&tx, staff_id, context, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Refuses question `id` for `reason`, which the member reads (and gets by mail).
    ///
    /// # Errors
    /// [`ForumError::Invalid`] without a reason, [`ForumError::Moderation`] for a question
    /// already refused, [`ForumError::NotFound`] for another fund's.
    #[tracing::instrument(name = "forum.reject", skip_all, fields(staff_id = %staff_id, id = %id))]
    pub async fn reject(
        &self,
        staff_id: Uuid,
        id: Uuid,
        reason: &str,
        context: &RequestContext,
    ) -> Result<(), ForumError> {
        let me = self.me(staff_id).await?;
        let question = self.of_fund(&me, id).await?;
        let reason =
            checked_text(TextField::Reason, reason).map_err(|e| ForumError::length("motif", e))?;
        question.status.may_reject()?;
        let now = self.instant();
        let tx = self.db.begin().await?;
        let reject = Move {
            id,
            from: question.status,
            to: QuestionStatus::Rejected,
            reason: Some(&reason),
            action: AuditAction::StaffForumQuestionRejected,
        };
        reject.record(&tx, staff_id, context, now).await?;
        self.tell_rejected(&tx, &question, &reason, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Answers question `id` in the fund's name, publishing it first when it was pending;
    /// the member gets a mail.
    ///
    /// # Errors
    /// [`ForumError::Invalid`] for an answer out of its limits, [`ForumError::Moderation`]
    /// for a held or refused question, [`ForumError::NotFound`] for another fund's.
    #[tracing::instrument(name = "forum.answer", skip_all, fields(staff_id = %staff_id, id = %id))]
    pub async fn answer(
        &self,
        staff_id: Uuid,
        id: Uuid,
        text: &str,
        context: &RequestContext,
    ) -> Result<(), ForumError> {
        let me = self.me(staff_id).await?;
        let question = self.of_fund(&me, id).await?;
        let text =
            checked_text(TextField::Answer, text).map_err(|e| ForumError::length("reponse", e))?;
        question.status.may_answer()?;
        let now = self.instant();
        let tx = self.db.begin().await?;
        if question.status == QuestionStatus::Pending {
            let publish = Move {
                id,
                from: QuestionStatus::Pending,
                to: QuestionStatus::Published,
                reason: None,
                action: AuditAction::StaffForumQuestionPublished,
            };
            publish.record(&tx, staff_id, context, now).await?;
        }
        let answer_id = Uuid::now_v7();
        store::add_answer(
            &tx,
            &Answer {
                id: answer_id,
                question_id: id,
                staff_id,
                body: text,
                created_at: now.get(),
            },
        )
        .await?;
        audit::record(
            &tx,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffForumQuestionAnswered,
            Some(("forum_question", id)),
            json!({ "answer_id": answer_id }),
            now,
        )
        .await?;
        self.tell_answered(&tx, &question, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The title, the text and the latest answer of published, answered question `id` of
    /// staff member `staff_id`'s fund, to make a FAQ entry of; audited like a reading.
    ///
    /// # Errors
    /// [`ForumError::NotFound`] for another fund's question, or one not published or not
    /// answered.
    #[tracing::instrument(name = "forum.faq_material", skip_all, fields(staff_id = %staff_id, id = %question_id))]
    pub async fn faq_material(
        &self,
        staff_id: Uuid,
        question_id: Uuid,
        context: &RequestContext,
    ) -> Result<FaqMaterial, ForumError> {
        let me = self.me(staff_id).await?;
        let question = self.of_fund(&me, question_id).await?;
        if question.status != QuestionStatus::Published {
            return Err(ForumError::NotFound);
        }
        let latest = store::answers(&self.db, question_id)
            .await?
            .pop()
            .ok_or(ForumError::NotFound)?;
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffForumQuestionViewed,
            Some(("forum_question", question_id)),
            json!({ "faq": true }),
            self.instant(),
        )
        .await?;
        Ok(FaqMaterial {
            title: question.title,
            text: question.body,
            answer: latest.body,
        })
    }
}
