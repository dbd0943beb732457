//! What members do: write, preview, list, read and reply. Every query is scoped to the
//! member's own threads.

use std::sync::Arc;

use caisse_domain::messaging::{
    Body, Nature, Subject, ThreadEvent, ThreadStatus, Warning, due_date, sensitive_data_warnings,
};
use caisse_domain::{CaisseCode, Fund, HolidayZone, Instant};
use caisse_store::TransactionTrait;
use caisse_store::messaging::{self as store, Author, Thread, ThreadChange};
use time::Date;
use uuid::Uuid;

use super::attachments::{Attachments, Written};
use super::errors::MemberError;
use super::people;
use super::shared::Shared;
use super::transcript::ThreadPdf;
use super::views::{
    MemberFilters, Page, ThreadDetail, ThreadMessage, ThreadSummary, ThreadViewer, page_window,
};
use super::writer::{SendRequest, ThreadWriter};
use super::{ACTION_MEMBER_REPLIED, ACTION_VIEWED, SUBJECT_THREAD};
use crate::accounts::FormProblem;
use crate::audit::{self, Actor, RequestContext};

/// What members do with their threads: write, preview, list, read, reply, and download a
/// thread as a PDF. Every query is scoped to the member's own threads.
#[derive(Clone)]
pub struct MemberMessaging {
    shared: Arc<Shared>,
    /// This node's group-commit writer of new threads.
    writer: Arc<ThreadWriter>,
}

/// A new message as typed in the form: codes and raw text, parsed by [`MemberMessaging::send`].
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

/// Shows the codes chosen; never the subject or the text.
impl std::fmt::Debug for NewMessageForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMessageForm")
            .field("recipient", &self.recipient)
            .field("objet", &self.objet)
            .field("nature", &self.nature)
            .finish_non_exhaustive()
    }
}

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
pub(super) fn new_reference(year: i32) -> Result<String, MemberError> {
    let mut bytes = [0_u8; 8];
    getrandom::fill(&mut bytes).map_err(MemberError::Randomness)?;
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

/// The calendar of a fund.
pub(super) fn zone_of(caisse_code: CaisseCode) -> HolidayZone {
    Fund::by_code(&caisse_code).calendar()
}

/// The fund's name for mails.
pub(super) fn fund_name(caisse_code: CaisseCode) -> String {
    Fund::by_code(&caisse_code).name().to_owned()
}

struct ParsedForm<'a> {
    recipient: &'a str,
    objet: &'a caisse_domain::messaging::Objet,
    nature: Nature,
    subject: Subject,
    body: Body,
}

impl MemberMessaging {
    pub(super) fn new(shared: Arc<Shared>) -> MemberMessaging {
        MemberMessaging {
            writer: Arc::new(ThreadWriter::new(
                shared.db.clone(),
                &shared.settings.base_url,
                shared.settings.quotas,
            )),
            shared,
        }
    }

    /// Every problem of a new message, without sending it (the form's first submission).
    ///
    /// # Errors
    /// The problems, one per field.
    pub fn validate(&self, form: &NewMessageForm) -> Result<(), Vec<FormProblem>> {
        self.parse_form(form).map(|_| ())
    }

    fn parse_form<'a>(&'a self, form: &NewMessageForm) -> Result<ParsedForm<'a>, Vec<FormProblem>> {
        let settings = &self.shared.settings;
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
                "Choisissez le thème de votre message.",
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
            _ => Err(problems),
        }
    }

    /// Sends a new message without files: [`MemberMessaging::send_with_attachments`].
    ///
    /// # Errors
    /// `Invalid` for a bad form, `NotFound` for an unknown member, `Core` otherwise.
    #[tracing::instrument(name = "messaging.member.send", skip_all, fields(%member_id))]
    pub async fn send(
        &self,
        member_id: Uuid,
        form: NewMessageForm,
        context: &RequestContext,
    ) -> Result<SentThread, MemberError> {
        self.send_with_attachments(member_id, form, Attachments::none(), context)
            .await
    }

    /// Sends a new message: validates every field and every file (all problems at once in
    /// [`MemberError::Invalid`], and then nothing is stored), computes the answer's due
    /// date in the fund's calendar, writes the new files, and in one transaction creates the
    /// thread with its files (using up the member's drafts), audits `member.message.sent` and
    /// queues a confirmation mail that holds the reference, the due date and a link, never
    /// the subject or the text. If the transaction fails, the files written are deleted. The
    /// thread goes to the team of the fund that handles its objet (none: the fund's reception).
    ///
    /// # Errors
    /// `Invalid` for a bad form or file, `NotFound` for an unknown member, `Core` otherwise.
    #[tracing::instrument(
        name = "messaging.member.send_with_attachments",
        skip_all,
        fields(%member_id)
    )]
    pub async fn send_with_attachments(
        &self,
        member_id: Uuid,
        form: NewMessageForm,
        attachments: Attachments,
        context: &RequestContext,
    ) -> Result<SentThread, MemberError> {
        let parsed = self.parse_form(&form);
        let mut prepared = self
            .shared
            .prepare_attachments(Some(member_id), attachments)
            .await?;
        let parsed = match parsed {
            Ok(parsed) if prepared.problems.is_empty() => parsed,
            Ok(_) => return Err(MemberError::Invalid(prepared.problems)),
            Err(mut problems) => {
                problems.append(&mut prepared.problems);
                return Err(MemberError::Invalid(problems));
            }
        };
        // The writer counts the send in the member's sends of the day.
        self.write_and_send(member_id, parsed, prepared, context)
            .await
    }

    /// Writes the files of a checked new message, then the thread (group-committed).
    async fn write_and_send(
        &self,
        member_id: Uuid,
        parsed: ParsedForm<'_>,
        prepared: super::attachments::Prepared,
        context: &RequestContext,
    ) -> Result<SentThread, MemberError> {
        let written = self.shared.write_attachments(prepared).await?;
        let request = SendRequest {
            member_id,
            recipient_code: parsed.recipient.to_owned(),
            objet_code: parsed.objet.code().to_owned(),
            nature: parsed.nature,
            delay_days: parsed.objet.delay_days(parsed.nature),
            subject: parsed.subject.as_str().to_owned(),
            body: parsed.body.as_str().to_owned(),
            written: written.clone(),
            context: context.clone(),
            at: self.shared.now(),
        };
        let sent = self.writer.write(request).await;
        self.shared.settle(&written, sent).await
    }

    /// Returns what the member should know before sending: the due date if the objet and
    /// nature are valid, and the sensitive-data warnings of the subject and body (their
    /// own NIR is not one). Validates nothing else and never refuses.
    ///
    /// # Errors
    /// `NotFound` for an unknown member, `Core` otherwise.
    #[tracing::instrument(name = "messaging.member.preview", skip_all, fields(%member_id))]
    pub async fn preview(
        &self,
        member_id: Uuid,
        form: &NewMessageForm,
    ) -> Result<Preview, MemberError> {
        let member = people::get(&self.shared.db, member_id)
            .await?
            .ok_or(MemberError::NotFound)?;
        let objet = self.shared.settings.catalogue.get(form.objet.trim());
        let nature = Nature::from_code(form.nature.trim());
        let due_on = match (objet, nature) {
            (Some(objet), Some(nature)) => Some(due_date(
                self.shared.clock.now(),
                objet.delay_days(nature),
                zone_of(member.caisse_code),
            )),
            _ => None,
        };
        let text = format!("{}\n{}", form.subject, form.body);
        Ok(Preview {
            due_on,
            warnings: sensitive_data_warnings(&text, Some(&member.nir)),
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
    #[tracing::instrument(
        name = "messaging.member.member_threads",
        skip_all,
        fields(%member_id, page = page)
    )]
    pub async fn member_threads(
        &self,
        member_id: Uuid,
        filters: &MemberFilters,
        page: u64,
    ) -> Result<Page<ThreadSummary>, MemberError> {
        let size = self.shared.page_size();
        let (number, offset) = page_window(page, size);
        let found = store::member_threads(
            self.shared.reads.lagging(),
            member_id,
            &store::MemberFilters {
                status: filters.status,
                objet: filters.objet.clone(),
                search: filters.search.clone(),
            },
            offset,
            size,
        )
        .await?;
        Ok(Page::from_rows(found, number, size, member_summary))
    }

    /// How many of the member's threads hold an answer they have not read. Read on the
    /// primary: the count must drop as soon as the member has opened the thread.
    ///
    /// # Errors
    /// `Core` when the database fails.
    #[tracing::instrument(name = "messaging.member.unread_count", skip_all, fields(%member_id))]
    pub async fn unread_count(&self, member_id: Uuid) -> Result<u64, MemberError> {
        Ok(store::member_unread_count(&self.shared.db, member_id).await?)
    }

    /// The member's most recently active thread they have not read, if any.
    ///
    /// # Errors
    /// `Core` when the database fails.
    #[tracing::instrument(name = "messaging.member.newest_unread", skip_all, fields(%member_id))]
    pub async fn newest_unread(&self, member_id: Uuid) -> Result<Option<Uuid>, MemberError> {
        Ok(store::member_newest_unread(&self.shared.db, member_id).await?)
    }

    async fn own_thread<C: caisse_store::ConnectionTrait>(
        &self,
        db: &C,
        member_id: Uuid,
        thread_id: Uuid,
    ) -> Result<Thread, MemberError> {
        store::member_thread(db, member_id, thread_id)
            .await?
            .ok_or(MemberError::NotFound)
    }

    /// One of the member's threads with its messages (never the internal notes), marked
    /// read. `NotFound` for a missing thread and for another member's alike.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database fails.
    #[tracing::instrument(
        name = "messaging.member.member_thread",
        skip_all,
        fields(%member_id, %thread_id)
    )]
    pub async fn member_thread(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
    ) -> Result<ThreadDetail, MemberError> {
        let db = &self.shared.db;
        let row = self.own_thread(db, member_id, thread_id).await?;
        if row.unread_by_member {
            store::set_unread_by_member(db, member_id, thread_id, false).await?;
        }
        let mut messages: Vec<ThreadMessage> = store::messages(db, thread_id, false)
            .await?
            .into_iter()
            .map(|m| ThreadMessage::from_row(m, false))
            .collect();
        self.shared.list_attachments(&mut messages).await?;
        let mut thread = member_summary(row);
        thread.unread_by_member = false;
        Ok(ThreadDetail { thread, messages })
    }

    /// The member writes again in their thread, without files:
    /// [`MemberMessaging::member_reply_with_attachments`].
    ///
    /// # Errors
    /// `Invalid` for a bad body, `NotFound` for a thread not the member's, `Conflict` if the
    /// thread keeps changing under the reply, `Core` otherwise.
    #[tracing::instrument(
        name = "messaging.member.member_reply",
        skip_all,
        fields(%member_id, %thread_id)
    )]
    pub async fn member_reply(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
        body: &str,
        context: &RequestContext,
    ) -> Result<ThreadSummary, MemberError> {
        self.member_reply_with_attachments(member_id, thread_id, body, Attachments::none(), context)
            .await
    }

    /// The member writes again in their thread, with files checked, written and recorded
    /// like a new message's. The status follows [`ThreadEvent::MemberWrote`]: a « Traité »
    /// thread reopens « En attente de traitement » with a due date counted afresh from now.
    /// The version moves, so a staff member acting on what they read before this reply gets a
    /// conflict and sees it.
    ///
    /// # Errors
    /// `Invalid` for a bad body or file (nothing stored), `NotFound` for a thread not the
    /// member's, `Conflict` if the thread keeps changing under the reply, `Core` otherwise.
    #[tracing::instrument(
        name = "messaging.member.member_reply_with_attachments",
        skip_all,
        fields(%member_id, %thread_id)
    )]
    pub async fn member_reply_with_attachments(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
        body: &str,
        attachments: Attachments,
        context: &RequestContext,
    ) -> Result<ThreadSummary, MemberError> {
        let body = Body::parse(body, &self.shared.settings.limits)
            .map_err(|e| FormProblem::new("body", e.message_fr()));
        let prepared = self
            .shared
            .prepare_attachments(Some(member_id), attachments)
            .await?;
        let mut problems: Vec<FormProblem> = body.as_ref().err().cloned().into_iter().collect();
        problems.extend(prepared.problems.iter().cloned());
        let body = match body {
            Ok(body) if problems.is_empty() => body,
            _ => return Err(MemberError::Invalid(problems)),
        };
        self.own_thread(&self.shared.db, member_id, thread_id)
            .await?;
        self.shared
            .within_sends(member_id, async {
                let written = self.shared.write_attachments(prepared).await?;
                let replied = self
                    .record_member_reply(member_id, thread_id, &body, &written, context)
                    .await;
                self.shared.settle(&written, replied).await
            })
            .await
    }

    /// The transactions of [`MemberMessaging::member_reply_with_attachments`].
    async fn record_member_reply(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
        body: &Body,
        written: &Written,
        context: &RequestContext,
    ) -> Result<ThreadSummary, MemberError> {
        // The member does not hold a version: retry a few times if a staff member acts at the
        // same moment, re-reading the status each time.
        let db = &self.shared.db;
        for _ in 0..3 {
            let now = self.shared.now();
            // Read before the transaction, whose first statement is the versioned write
            // (see `staff::versioned` on SQLite's lock upgrade).
            let row = self.own_thread(db, member_id, thread_id).await?;
            let status = row.status;
            let next = status.after(ThreadEvent::MemberWrote)?;
            let mut change = ThreadChange {
                status: Some(next),
                ..ThreadChange::default()
            };
            if status == ThreadStatus::Traite {
                change.closed_at = Some(None);
                change.due_on = Some(self.due_on_for(&row, now));
            }
            let tx = db.begin().await?;
            if !store::update_if_version(&tx, thread_id, row.version, change, now).await? {
                tx.rollback().await?;
                continue;
            }
            let message_id = store::add_message(
                &tx,
                (thread_id, member_id),
                Author::Member,
                body.as_str(),
                false,
                now,
            )
            .await?;
            Shared::record_attachments(&tx, Some(member_id), (message_id, member_id), written, now)
                .await?;
            audit::record(
                &tx,
                context,
                Actor::Member(member_id),
                ACTION_MEMBER_REPLIED,
                Some((SUBJECT_THREAD, thread_id)),
                serde_json::json!({}),
                now.get(),
            )
            .await?;
            let updated = self.own_thread(&tx, member_id, thread_id).await?;
            tx.commit().await?;
            return Ok(member_summary(updated));
        }
        let current = self.own_thread(db, member_id, thread_id).await?;
        Err(MemberError::Conflict {
            current_version: current.version,
        })
    }

    /// Who of the fund opened the member's thread: role and date, newest first (issue 4
    /// point 10). `NotFound` for a thread not the member's.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database fails.
    #[tracing::instrument(
        name = "messaging.member.member_thread_viewers",
        skip_all,
        fields(%member_id, %thread_id)
    )]
    pub async fn member_thread_viewers(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
    ) -> Result<Vec<ThreadViewer>, MemberError> {
        let db = &self.shared.db;
        self.own_thread(db, member_id, thread_id).await?;
        Ok(
            store::staff_views(db, SUBJECT_THREAD, thread_id, ACTION_VIEWED, 200)
                .await?
                .into_iter()
                .map(ThreadViewer::from_view)
                .collect(),
        )
    }

    /// One of the member's threads as a PDF. `NotFound` for a thread that is not theirs,
    /// exactly like a missing one. Reading the PDF changes nothing (not even the unread
    /// marker).
    ///
    /// # Errors
    /// `NotFound`, `Pdf` when the PDF cannot be made, or `Core` when the database fails.
    #[tracing::instrument(
        name = "messaging.member.member_thread_pdf",
        skip_all,
        fields(%member_id, %thread_id)
    )]
    pub async fn member_thread_pdf(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
    ) -> Result<ThreadPdf, MemberError> {
        let row = self
            .own_thread(&self.shared.db, member_id, thread_id)
            .await?;
        self.shared.thread_pdf(row).await
    }

    /// The due date of an answer to a thread's objet and nature, counted from `now`.
    fn due_on_for(&self, row: &Thread, now: Instant) -> Date {
        let days = self.shared.delay_days(&row.objet_code, row.nature);
        due_date(now.get(), days, zone_of(row.caisse_code))
    }
}

/// A summary for the member: the staff member's id is the fund's business.
fn member_summary(row: Thread) -> ThreadSummary {
    let mut summary = ThreadSummary::from(row);
    summary.assigned_staff_id = None;
    summary.team = None;
    summary
}
