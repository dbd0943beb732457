//! The members' and visitors' side: asking (at most five questions in 24 hours, held when it
//! contains sensitive data), editing a held question, « Mes questions », and the published
//! questions anyone reads.

use caisse_domain::forum::{
    DAILY_QUESTION_LIMIT, Pseudonym, QuestionStatus, TextField, checked_text, held_message_fr,
    warning_of_code,
};
use caisse_domain::messaging::{Warning, sensitive_data_warnings};
use caisse_store::TransactionTrait;
use caisse_store::forum::{self as store, Question, QuestionText};
use caisse_store::members;
use time::{Date, Duration};
use uuid::Uuid;

use super::{Forum, ForumError, PAGE_SIZE, day_of, fund_name};

/// What a member typed: pseudonym, title, text.
#[derive(Clone, Default)]
pub struct QuestionDraft {
    /// The pseudonym.
    pub pseudonym: String,
    /// The title.
    pub title: String,
    /// The text.
    pub text: String,
}

debug_fields!(QuestionDraft {});

/// A question asked or edited: where it stands.
#[derive(Clone, Debug)]
pub struct Asked {
    /// The question.
    pub id: Uuid,
    /// Pending, or held when it contains sensitive data.
    pub status: QuestionStatus,
    /// What was found, for a held question.
    pub warnings: Vec<Warning>,
}

impl Asked {
    /// For a held question, what the member reads.
    pub fn held_message_fr(&self) -> Option<String> {
        (self.status == QuestionStatus::Held).then(|| held_message_fr(&self.warnings))
    }
}

/// A question as anyone reads it.
#[derive(Clone)]
pub struct PublicQuestion {
    /// Id.
    pub id: Uuid,
    /// Asked under.
    pub pseudonym: String,
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
    /// The day it was asked (Paris).
    pub asked_on: Date,
    /// The day it was published (Paris).
    pub published_on: Option<Date>,
    /// The fund that answers.
    pub fund: &'static str,
    /// It has an answer.
    pub answered: bool,
    /// Where it stands.
    pub status: QuestionStatus,
}

debug_fields!(PublicQuestion { id, status });

/// An answer as anyone reads it: the fund's.
#[derive(Clone, Debug)]
pub struct PublicAnswer {
    /// The fund's name.
    pub fund: &'static str,
    /// Text.
    pub text: String,
    /// The day (Paris).
    pub on: Date,
}

/// A question's page.
#[derive(Clone, Debug)]
pub struct QuestionPage {
    /// The question.
    pub question: PublicQuestion,
    /// The fund's answers, oldest first (only for a published question).
    pub answers: Vec<PublicAnswer>,
    /// The reader asked it (and may read it unpublished).
    pub own: bool,
    /// For its author: why it was refused.
    pub rejection_reason: Option<String>,
    /// For its author: why it is held.
    pub held_message: Option<String>,
}

/// One line of « Mes questions ».
#[derive(Clone)]
pub struct MyQuestion {
    /// The question as anyone would read it.
    pub question: PublicQuestion,
    /// Why it was refused.
    pub rejection_reason: Option<String>,
    /// Why it is held (the member edits it).
    pub held_message: Option<String>,
}

debug_fields!(MyQuestion { question });

/// One page of published questions.
#[derive(Clone, Debug)]
pub struct PublishedPage {
    /// The questions, newest first.
    pub questions: Vec<PublicQuestion>,
    /// How many match in all.
    pub total: u64,
    /// This page (from 1).
    pub page: u64,
    /// How many pages.
    pub pages: u64,
}

pub(super) fn public_of(question: &Question) -> PublicQuestion {
    PublicQuestion {
        id: question.id,
        pseudonym: question.pseudonym.as_str().to_owned(),
        title: question.title.clone(),
        text: question.body.clone(),
        asked_on: day_of(question.created_at),
        published_on: question.published_at.map(day_of),
        fund: fund_name(&question.caisse),
        answered: question.answered,
        status: question.status,
    }
}

pub(super) fn warnings_of(question: &Question) -> Vec<Warning> {
    question
        .warnings
        .iter()
        .filter_map(|c| warning_of_code(c))
        .collect()
}

fn held_of(question: &Question) -> Option<String> {
    (question.status == QuestionStatus::Held).then(|| held_message_fr(&warnings_of(question)))
}

/// The draft checked: pseudonym, title, text, and the sensitive data found in them.
struct Checked {
    pseudonym: Pseudonym,
    title: String,
    text: String,
    warnings: Vec<Warning>,
    codes: Vec<&'static str>,
}

impl Checked {
    fn of(draft: &QuestionDraft) -> Result<Checked, ForumError> {
        let pseudonym = Pseudonym::parse(&draft.pseudonym).map_err(ForumError::pseudonym)?;
        let title = checked_text(TextField::Title, &draft.title)
            .map_err(|e| ForumError::length("titre", e))?;
        let text = checked_text(TextField::Text, &draft.text)
            .map_err(|e| ForumError::length("texte", e))?;
        // Public text: even the member's own NIR is held.
        let mut warnings =
            sensitive_data_warnings(&format!("{}\n{title}\n{text}", pseudonym.as_str()), None);
        warnings.sort_unstable();
        warnings.dedup();
        Ok(Checked {
            codes: warnings.iter().map(|w| w.code()).collect(),
            pseudonym,
            title,
            text,
            warnings,
        })
    }

    /// What the store records.
    fn stored(&self) -> QuestionText<'_> {
        QuestionText {
            pseudonym: &self.pseudonym,
            title: &self.title,
            body: &self.text,
            status: self.status(),
            warnings: &self.codes,
        }
    }

    fn asked(self, id: Uuid) -> Asked {
        Asked {
            id,
            status: self.status(),
            warnings: self.warnings,
        }
    }

    fn status(&self) -> QuestionStatus {
        if self.warnings.is_empty() {
            QuestionStatus::Pending
        } else {
            QuestionStatus::Held
        }
    }
}

impl Forum {
    /// Member `member_id` asks a question: pending, or held when it contains a NIR, an IBAN
    /// or a card number.
    ///
    /// # Errors
    /// [`ForumError::Invalid`] for a value out of its rules, [`ForumError::DailyLimit`] after
    /// five questions in 24 hours, [`ForumError::NotFound`] for a member gone.
    #[tracing::instrument(name = "forum.ask", skip_all, fields(member_id = %member_id))]
    pub async fn ask(&self, member_id: Uuid, draft: &QuestionDraft) -> Result<Asked, ForumError> {
        let checked = Checked::of(draft)?;
        let now = self.instant();
        let id = Uuid::now_v7();
        let member = members::find(&self.db, member_id)
            .await?
            .ok_or(ForumError::NotFound)?;
        // The limit's lock is the transaction's first statement: on SQLite a read before it
        // would hold a snapshot that cannot become the writer.
        let tx = self.db.begin().await?;
        let asked = store::ask_within_limit(
            &tx,
            id,
            &member.caisse_code,
            member_id,
            &checked.stored(),
            DAILY_QUESTION_LIMIT,
            now.get() - Duration::hours(24),
            day_of(now.get()),
            now,
        )
        .await?;
        if !asked {
            return Err(ForumError::DailyLimit);
        }
        tx.commit().await?;
        Ok(checked.asked(id))
    }

    /// Member `member_id` edits their held question `id`: pending when nothing sensitive is
    /// left, still held otherwise.
    ///
    /// # Errors
    /// [`ForumError::NotFound`] for another's question, [`ForumError::Changed`] when it is not
    /// held any more, [`ForumError::Invalid`] for a value out of its rules.
    #[tracing::instrument(name = "forum.edit", skip_all, fields(member_id = %member_id, id = %id))]
    pub async fn edit(
        &self,
        member_id: Uuid,
        id: Uuid,
        draft: &QuestionDraft,
    ) -> Result<Asked, ForumError> {
        self.own_question(member_id, id).await?;
        let checked = Checked::of(draft)?;
        let edited = store::edit_held(&self.db, id, member_id, &checked.stored()).await?;
        if !edited {
            return Err(ForumError::Changed);
        }
        Ok(checked.asked(id))
    }

    /// Member `member_id`'s question `id`, to edit it.
    ///
    /// # Errors
    /// [`ForumError::NotFound`] for another's question.
    pub async fn own_draft(
        &self,
        member_id: Uuid,
        id: Uuid,
    ) -> Result<(MyQuestion, QuestionDraft), ForumError> {
        let question = self.own_question(member_id, id).await?;
        let draft = QuestionDraft {
            pseudonym: question.pseudonym.as_str().to_owned(),
            title: question.title.clone(),
            text: question.body.clone(),
        };
        Ok((mine(&question), draft))
    }

    async fn own_question(&self, member_id: Uuid, id: Uuid) -> Result<Question, ForumError> {
        store::find(&self.db, id)
            .await?
            .filter(|q| q.account_id == member_id)
            .ok_or(ForumError::NotFound)
    }

    /// The pseudonym member `member_id` asked under last, to prefill the form.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn last_pseudonym(&self, member_id: Uuid) -> Result<Option<String>, ForumError> {
        Ok(store::last_pseudonym(&self.db, member_id).await?)
    }

    /// « Mes questions »: member `member_id`'s questions, newest first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn my_questions(&self, member_id: Uuid) -> Result<Vec<MyQuestion>, ForumError> {
        Ok(store::of_account(&self.db, member_id)
            .await?
            .iter()
            .map(mine)
            .collect())
    }

    /// Published questions of every fund, newest first, page `page` (from 1), those whose
    /// title or text contains `search` when given.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "forum.published", skip_all)]
    pub async fn published(
        &self,
        search: Option<&str>,
        page: u64,
    ) -> Result<PublishedPage, ForumError> {
        let page = page.max(1);
        let found = store::published(&self.db, search, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
        Ok(PublishedPage {
            questions: found.rows.iter().map(public_of).collect(),
            pages: found.total.div_ceil(PAGE_SIZE).max(1),
            total: found.total,
            page,
        })
    }

    /// Question `id`'s page for `reader` (a member, or `None` for a visitor): a published
    /// question with its answers; an unpublished one for its author only.
    ///
    /// # Errors
    /// [`ForumError::NotFound`] for an unpublished question of someone else.
    #[tracing::instrument(name = "forum.question", skip_all, fields(id = %id))]
    pub async fn question(
        &self,
        reader: Option<Uuid>,
        id: Uuid,
    ) -> Result<QuestionPage, ForumError> {
        let question = store::find(&self.db, id)
            .await?
            .ok_or(ForumError::NotFound)?;
        let own = reader == Some(question.account_id);
        let published = question.status == QuestionStatus::Published;
        if !published && !own {
            return Err(ForumError::NotFound);
        }
        let answers = if published {
            store::answers(&self.db, id)
                .await?
                .into_iter()
                .map(|a| PublicAnswer {
                    fund: fund_name(&question.caisse),
                    text: a.body,
                    on: day_of(a.created_at),
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut view = public_of(&question);
        view.answered = !answers.is_empty();
        Ok(QuestionPage {
            question: view,
            answers,
            own,
            rejection_reason: own.then(|| question.rejection_reason.clone()).flatten(),
            held_message: own.then(|| held_of(&question)).flatten(),
        })
    }
}

fn mine(question: &Question) -> MyQuestion {
    MyQuestion {
        question: public_of(question),
        rejection_reason: question.rejection_reason.clone(),
        held_message: held_of(question),
    }
}
