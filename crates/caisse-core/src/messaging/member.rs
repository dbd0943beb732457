//! What members do: write, preview, list, read and reply. Every query is scoped to the
//! member's own threads.

use caisse_domain::messaging::{
    Body, Nature, Subject, ThreadEvent, ThreadStatus, Warning, due_date, sensitive_data_warnings,
};
use caisse_domain::{CaisseCode, Fund, HolidayZone, Nir};
use caisse_store::entities::{member, message_thread};
use caisse_store::messaging::{self as store, Author, ThreadChange};
use caisse_store::{TransactionTrait, members};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::attachments::{Attachments, Written};
use super::views::{
    MemberFilters, Page, ThreadDetail, ThreadMessage, ThreadSummary, ThreadViewer, page_window,
};
use super::writer::SendRequest;
use super::{
    ACTION_MEMBER_REPLIED, ACTION_VIEWED, MessagingError, MessagingService, SUBJECT_THREAD,
};
use crate::CoreError;
use crate::accounts::FormProblem;
use crate::audit::{self, Actor, RequestContext};

/// A new message as typed in the form: codes and raw text, parsed by [`MessagingService::send`].
#[derive(Clone, Default)]
pub struct NewMessageForm {
    /// Recipient code: `caisse` or a service's code.
    pub recipient: String,
    /// Objet code from the catalogue.
    pub objet: String,
    /// Nature code.
    pub nature: String,
    /// Subject line.
    pub subject: String,
    /// Message text.
    pub body: String,
}

debug_fields!(NewMessageForm {
    recipient,
    objet,
    nature
});

/// A thread just created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentThread {
    /// Its id.
    pub id: Uuid,
    /// Its reference, shown to the member.
    pub reference: String,
    /// The answer's due date.
    pub due_on: Date,
}

/// What the member sees before sending: the expected answer date and warnings about
/// sensitive data (never a block).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    /// The due date, once a valid objet and nature are chosen.
    pub due_on: Option<Date>,
    /// Sensitive data found in the subject or the body.
    pub warnings: Vec<Warning>,
}

/// Crockford's base 32: no I, L, O or U, so a reference read on the phone is unambiguous.
const REFERENCE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Returns a random reference `M-<year>-XXXX-XXXX` (40 random bits): not sequential, so it
/// reveals neither the fund's volume nor a neighbour's reference.
pub(super) fn new_reference(year: i32) -> Result<String, CoreError> {
    let mut bytes = [0_u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| CoreError::InvalidData(e.to_string()))?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(REFERENCE_ALPHABET[usize::from(b % 32)]))
        .collect();
    let (left, right) = chars.split_at(4);
    Ok(format!(
        "M-{year}-{}-{}",
        left.iter().collect::<String>(),
        right.iter().collect::<String>()
    ))
}

/// The calendar of the member's fund.
pub(super) fn zone_of(caisse_code: &str) -> Result<HolidayZone, CoreError> {
    let code = CaisseCode::parse(caisse_code)
        .map_err(|_| CoreError::InvalidData("stored caisse code".to_owned()))?;
    Ok(Fund::by_code(&code).calendar())
}

/// The fund's name for mails, or a generic one.
pub(super) fn fund_name(caisse_code: &str) -> String {
    CaisseCode::parse(caisse_code).map_or_else(
        |_| "Votre caisse d'assurance maladie".to_owned(),
        |code| Fund::by_code(&code).name().to_owned(),
    )
}

struct ParsedForm<'a> {
    recipient: &'a str,
    objet: &'a caisse_domain::messaging::Objet,
    nature: Nature,
    subject: Subject,
    body: Body,
}

impl MessagingService {
    /// Every problem of a new message, without sending it (the form's first submission).
    ///
    /// # Errors
    /// The problems, one per field.
    pub fn validate(&self, form: &NewMessageForm) -> Result<(), Vec<FormProblem>> {
        match self.parse_form(form) {
            Ok(_) => Ok(()),
            Err(MessagingError::Invalid(problems)) => Err(problems),
            Err(_) => Ok(()),
        }
    }

    fn parse_form<'a>(&'a self, form: &NewMessageForm) -> Result<ParsedForm<'a>, MessagingError> {
        let settings = &*self.settings;
        let mut problems = Vec::new();
        let recipient = settings.services.recipient(form.recipient.trim());
        if recipient.is_none() {
            problems.push(FormProblem::new(
                "recipient",
                "Choisissez le destinataire de votre message.",
            ));
        }
        let objet = settings.catalogue.get(form.objet.trim());
        if objet.is_none() {
            problems.push(FormProblem::new(
                "objet",
                "Choisissez l'objet de votre message.",
            ));
        }
        let nature = Nature::from_code(form.nature.trim());
        if nature.is_none() {
            problems.push(FormProblem::new(
                "nature",
                "Choisissez la nature de votre demande.",
            ));
        }
        let subject = Subject::parse(&form.subject, &settings.limits)
            .map_err(|e| problems.push(FormProblem::new("subject", e.message_fr())))
            .ok();
        let body = Body::parse(&form.body, &settings.limits)
            .map_err(|e| problems.push(FormProblem::new("body", e.message_fr())))
            .ok();
        match (recipient, objet, nature, subject, body) {
            (Some(recipient), Some(objet), Some(nature), Some(subject), Some(body)) => {
                Ok(ParsedForm {
                    recipient: recipient.code(),
                    objet,
                    nature,
                    subject,
                    body,
                })
            }
            _ => Err(MessagingError::Invalid(problems)),
        }
    }

    async fn member_row(&self, member_id: Uuid) -> Result<member::Model, MessagingError> {
        members::get(&self.db, member_id)
            .await?
            .ok_or(MessagingError::NotFound)
    }

    /// Sends a new message without files: [`MessagingService::send_with_attachments`].
    ///
    /// # Errors
    /// `Invalid` for a bad form, `NotFound` for an unknown member, `Core` otherwise.
    pub async fn send(
        &self,
        member_id: Uuid,
        form: NewMessageForm,
        context: &RequestContext,
    ) -> Result<SentThread, MessagingError> {
        self.send_with_attachments(member_id, form, Attachments::none(), context)
            .await
    }

    /// Sends a new message: validates every field and every file (all problems at once in
    /// [`MessagingError::Invalid`], and then nothing is stored), computes the answer's due
    /// date in the fund's calendar, writes the new files, and in one transaction creates the
    /// thread with its files (using up the member's drafts), audits `member.message.sent` and
    /// queues a confirmation mail that holds the reference, the due date and a link, never
    /// the subject or the text. If the transaction fails, the files written are deleted. The
    /// thread goes to the team of the fund that handles its objet (none: the fund's reception).
    ///
    /// # Errors
    /// `Invalid` for a bad form or file, `NotFound` for an unknown member, `Core` otherwise.
    pub async fn send_with_attachments(
        &self,
        member_id: Uuid,
        form: NewMessageForm,
        attachments: Attachments,
        context: &RequestContext,
    ) -> Result<SentThread, MessagingError> {
        let parsed = self.parse_form(&form);
        let mut prepared = self
            .prepare_attachments(Some(member_id), attachments)
            .await?;
        let parsed = match parsed {
            Ok(parsed) if prepared.problems.is_empty() => parsed,
            Ok(_) => return Err(MessagingError::Invalid(prepared.problems)),
            Err(MessagingError::Invalid(mut problems)) => {
                problems.append(&mut prepared.problems);
                return Err(MessagingError::Invalid(problems));
            }
            Err(other) => return Err(other),
        };
        self.within_sends(
            member_id,
            self.write_and_send(member_id, parsed, prepared, context),
        )
        .await
    }

    /// Writes the files of a checked new message, then the thread (group-committed).
    async fn write_and_send(
        &self,
        member_id: Uuid,
        parsed: ParsedForm<'_>,
        prepared: super::attachments::Prepared,
        context: &RequestContext,
    ) -> Result<SentThread, MessagingError> {
        let written = self.write_attachments(prepared).await?;
        let request = SendRequest {
            member_id,
            recipient_code: parsed.recipient.to_owned(),
            objet_code: parsed.objet.code().to_owned(),
            nature_code: parsed.nature.code().to_owned(),
            delay_days: parsed.objet.delay_days(parsed.nature),
            subject: parsed.subject.as_str().to_owned(),
            body: parsed.body.as_str().to_owned(),
            written: written.clone(),
            context: context.clone(),
            at: self.clock.now(),
        };
        let sent = self.writer.write(request).await;
        self.settle(&written, sent).await
    }

    /// Returns what the member should know before sending: the due date if the objet and
    /// nature are valid, and the sensitive-data warnings of the subject and body (their
    /// own NIR is not one). Validates nothing else and never refuses.
    ///
    /// # Errors
    /// `NotFound` for an unknown member, `Core` otherwise.
    pub async fn preview(
        &self,
        member_id: Uuid,
        form: &NewMessageForm,
    ) -> Result<Preview, MessagingError> {
        let member = self.member_row(member_id).await?;
        let objet = self.settings.catalogue.get(form.objet.trim());
        let nature = Nature::from_code(form.nature.trim());
        let due_on = match (objet, nature) {
            (Some(objet), Some(nature)) => Some(due_date(
                self.clock.now(),
                objet.delay_days(nature),
                zone_of(&member.caisse_code)?,
            )),
            _ => None,
        };
        let own_nir = Nir::parse(&member.nir).ok();
        let text = format!("{}\n{}", form.subject, form.body);
        Ok(Preview {
            due_on,
            warnings: sensitive_data_warnings(&text, own_nir.as_ref()),
        })
    }

    /// The member's threads matching `filters`, most recently active first; page `page`
    /// (from 1) of [`super::MessagingSettings::page_size`].
    ///
    /// Offset pagination: a member has tens of threads, not millions, and a numbered
    /// « page 2 sur 5 » navigation is what an accessible list needs.
    ///
    /// # Errors
    /// `Core` when the database fails.
    pub async fn member_threads(
        &self,
        member_id: Uuid,
        filters: &MemberFilters,
        page: u64,
    ) -> Result<Page<ThreadSummary>, MessagingError> {
        let size = self.page_size();
        let (number, offset) = page_window(page, size);
        let found = store::member_threads(
            &self.db,
            member_id,
            &store::MemberFilters {
                status: filters.status.map(|s| s.code().to_owned()),
                objet: filters.objet.clone(),
                search: filters.search.clone(),
            },
            offset,
            size,
        )
        .await?;
        Ok(Page::from_rows(found, number, size, member_summary)?)
    }

    pub(super) async fn own_thread<C: caisse_store::ConnectionTrait>(
        &self,
        db: &C,
        member_id: Uuid,
        thread_id: Uuid,
    ) -> Result<message_thread::Model, MessagingError> {
        store::member_thread(db, member_id, thread_id)
            .await?
            .ok_or(MessagingError::NotFound)
    }

    /// One of the member's threads with its messages (never the internal notes), marked
    /// read. `NotFound` for a missing thread and for another member's alike.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database fails.
    pub async fn member_thread(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
    ) -> Result<ThreadDetail, MessagingError> {
        let row = self.own_thread(&self.db, member_id, thread_id).await?;
        if row.unread_by_member {
            store::set_unread_by_member(&self.db, member_id, thread_id, false).await?;
        }
        let mut messages: Vec<ThreadMessage> = store::messages(&self.db, thread_id, false)
            .await?
            .into_iter()
            .map(|m| ThreadMessage::from_row(m, false))
            .collect();
        self.list_attachments(&mut messages).await?;
        let mut thread = member_summary(row)?;
        thread.unread_by_member = false;
        Ok(ThreadDetail { thread, messages })
    }

    /// The member writes again in their thread, without files:
    /// [`MessagingService::member_reply_with_attachments`].
    ///
    /// # Errors
    /// `Invalid` for a bad body, `NotFound` for a thread not the member's, `Conflict` if the
    /// thread keeps changing under the reply, `Core` otherwise.
    pub async fn member_reply(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
        body: &str,
        context: &RequestContext,
    ) -> Result<ThreadSummary, MessagingError> {
        self.member_reply_with_attachments(member_id, thread_id, body, Attachments::none(), context)
            .await
    }

    /// The member writes again in their thread, with files checked, written and recorded
    /// like a new message's. The status follows [`ThreadEvent::MemberWrote`]: a « Traité »
    /// thread reopens « En attente de traitement » with a due date counted afresh from now.
    /// The version moves, so an advisor acting on what they read before this reply gets a
    /// conflict and sees it.
    ///
    /// # Errors
    /// `Invalid` for a bad body or file (nothing stored), `NotFound` for a thread not the
    /// member's, `Conflict` if the thread keeps changing under the reply, `Core` otherwise.
    pub async fn member_reply_with_attachments(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
        body: &str,
        attachments: Attachments,
        context: &RequestContext,
    ) -> Result<ThreadSummary, MessagingError> {
        let body = Body::parse(body, &self.settings.limits)
            .map_err(|e| FormProblem::new("body", e.message_fr()));
        let prepared = self
            .prepare_attachments(Some(member_id), attachments)
            .await?;
        let mut problems: Vec<FormProblem> = body.as_ref().err().cloned().into_iter().collect();
        problems.extend(prepared.problems.iter().cloned());
        let body = match body {
            Ok(body) if problems.is_empty() => body,
            _ => return Err(MessagingError::Invalid(problems)),
        };
        self.own_thread(&self.db, member_id, thread_id).await?;
        self.within_sends(member_id, async {
            let written = self.write_attachments(prepared).await?;
            let replied = self
                .record_member_reply(member_id, thread_id, &body, &written, context)
                .await;
            self.settle(&written, replied).await
        })
        .await
    }

    /// The transactions of [`MessagingService::member_reply_with_attachments`].
    async fn record_member_reply(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
        body: &Body,
        written: &Written,
        context: &RequestContext,
    ) -> Result<ThreadSummary, MessagingError> {
        // The member does not hold a version: retry a few times if an advisor acts at the
        // same moment, re-reading the status each time.
        for _ in 0..3 {
            let now = self.clock.now();
            // Read before the transaction, whose first statement is the versioned write
            // (see `staff::versioned` on SQLite's lock upgrade).
            let row = self.own_thread(&self.db, member_id, thread_id).await?;
            let status = ThreadSummary::from_row(row.clone())?.status;
            let next = status.after(ThreadEvent::MemberWrote)?;
            let mut change = ThreadChange {
                status: Some(next.code().to_owned()),
                ..ThreadChange::default()
            };
            if status == ThreadStatus::Traite {
                change.closed_at = Some(None);
                change.due_on = Some(self.due_on_for(&row, now)?);
            }
            let tx = self.db.begin().await?;
            if !store::update_if_version(&tx, thread_id, row.version, change, now).await? {
                tx.rollback().await?;
                continue;
            }
            let message_id =
                store::add_message(&tx, thread_id, Author::Member, body.as_str(), false, now)
                    .await?;
            Self::record_attachments(&tx, Some(member_id), message_id, written, now).await?;
            audit::record(
                &tx,
                context,
                Actor::Member(member_id),
                ACTION_MEMBER_REPLIED,
                Some((SUBJECT_THREAD, thread_id)),
                serde_json::json!({}),
                now,
            )
            .await?;
            let updated = self.own_thread(&tx, member_id, thread_id).await?;
            tx.commit().await?;
            return member_summary(updated).map_err(MessagingError::from);
        }
        let current = self.own_thread(&self.db, member_id, thread_id).await?;
        Err(MessagingError::Conflict {
            current_version: current.version,
        })
    }

    /// Who of the fund opened the member's thread: role and date, newest first (issue 4
    /// point 10). `NotFound` for a thread not the member's.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database fails.
    pub async fn member_thread_viewers(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
    ) -> Result<Vec<ThreadViewer>, MessagingError> {
        self.own_thread(&self.db, member_id, thread_id).await?;
        Ok(
            store::staff_views(&self.db, SUBJECT_THREAD, thread_id, ACTION_VIEWED, 200)
                .await?
                .into_iter()
                .map(ThreadViewer::from_view)
                .collect(),
        )
    }

    /// The due date of an answer to a thread's objet and nature, counted from `now`.
    pub(super) fn due_on_for(
        &self,
        row: &message_thread::Model,
        now: OffsetDateTime,
    ) -> Result<Date, CoreError> {
        let nature = Nature::from_code(&row.nature_code)
            .ok_or_else(|| CoreError::InvalidData("stored thread nature".to_owned()))?;
        // An objet since removed from the catalogue keeps the default delays.
        let days = self.settings.catalogue.get(&row.objet_code).map_or_else(
            || {
                caisse_domain::messaging::Delays::questions_in(
                    caisse_domain::messaging::DEFAULT_DELAY_DAYS,
                )
                .for_nature(nature)
            },
            |objet| objet.delay_days(nature),
        );
        Ok(due_date(now, days, zone_of(&row.caisse_code)?))
    }
}

/// A summary for the member: the advisor's id is the fund's business.
fn member_summary(row: message_thread::Model) -> Result<ThreadSummary, CoreError> {
    let mut summary = ThreadSummary::from_row(row)?;
    summary.assigned_staff_id = None;
    summary.team = None;
    Ok(summary)
}
