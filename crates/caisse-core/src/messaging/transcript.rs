//! A thread as a PDF (issue 4 point 5, « téléchargement d'un échange en PDF »): the member
//! downloads their own, an advisor of the fund prints one for them. Both get the member's
//! view: messages in order with their authors as the member knows them, never the internal
//! notes, which the query itself leaves out.

use std::collections::HashMap;

use caisse_domain::paris_time::paris_time;
use caisse_domain::{CaisseCode, Fund};
use caisse_pdf::{Sender, ThreadTranscript, TranscriptMessage};
use caisse_store::entities::{message, message_thread};
use caisse_store::messaging::{self as store, Author};
use time::{OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use super::views::ThreadSummary;
use super::{MessagingError, MessagingService};
use crate::CoreError;
use crate::audit::RequestContext;
use crate::staff::StaffRole;

/// A thread as a PDF file.
#[derive(Clone, PartialEq, Eq)]
pub struct ThreadPdf {
    /// The thread's reference, to name the file.
    pub reference: String,
    /// The PDF.
    pub bytes: Vec<u8>,
}

/// Shows the reference and the size only.
impl std::fmt::Debug for ThreadPdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadPdf")
            .field("reference", &self.reference)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// The instant as the member reads it: Paris legal time.
fn local(instant: OffsetDateTime) -> PrimitiveDateTime {
    let paris = paris_time(instant);
    PrimitiveDateTime::new(paris.date(), paris.time())
}

/// How the member knows the author of a fund's message: their advisor, or a role of the fund
/// (the same roles the member sees among those who opened the thread). Never a name.
fn staff_author(role: Option<StaffRole>) -> String {
    match role {
        Some(StaffRole::Conseiller) => "Votre conseiller".to_owned(),
        Some(role) => format!("{} de votre caisse", role.label_fr()),
        None => "Votre caisse".to_owned(),
    }
}

impl MessagingService {
    /// One of the member's threads as a PDF. `NotFound` for a thread that is not theirs, exactly
    /// like a missing one. Reading the PDF changes nothing (not even the unread marker).
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database fails or the PDF cannot be made.
    pub async fn member_thread_pdf(
        &self,
        member_id: Uuid,
        thread_id: Uuid,
    ) -> Result<ThreadPdf, MessagingError> {
        let row = self.own_thread(&self.db, member_id, thread_id).await?;
        self.thread_pdf(row).await
    }

    /// A thread of the advisor's fund as the member sees it, to print or send them; audited as
    /// a view (`staff.thread.viewed`, with `"pdf": true`), so the member sees it among those
    /// who opened the thread. `NotFound` for another fund's thread.
    ///
    /// # Errors
    /// `NotFound`, or `Core` when the database fails or the PDF cannot be made.
    pub async fn staff_thread_pdf(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        context: &RequestContext,
    ) -> Result<ThreadPdf, MessagingError> {
        let row = self
            .open_as_staff(
                staff_id,
                thread_id,
                context,
                serde_json::json!({ "pdf": true }),
            )
            .await?;
        self.thread_pdf(row).await
    }

    async fn thread_pdf(&self, row: message_thread::Model) -> Result<ThreadPdf, MessagingError> {
        // `false`: internal notes are not even read.
        let messages = store::messages(&self.db, row.id, false).await?;
        let roles = self.author_roles(&messages).await?;
        let ids: Vec<Uuid> = messages.iter().map(|m| m.id).collect();
        let mut files = self.attachment_names(&ids).await?;
        let transcript = self.transcript(row, &messages, &roles, &mut files)?;
        let reference = transcript.reference.clone();
        // Rendering is CPU work of tens of milliseconds: off the async workers.
        let bytes = tokio::task::spawn_blocking(move || caisse_pdf::render_thread(&transcript))
            .await
            .map_err(|e| CoreError::InvalidData(format!("PDF task: {e}")))?
            .map_err(|e| CoreError::InvalidData(e.to_string()))?;
        Ok(ThreadPdf { reference, bytes })
    }

    /// The role of each advisor who wrote in the thread.
    async fn author_roles(
        &self,
        messages: &[message::Model],
    ) -> Result<HashMap<Uuid, StaffRole>, MessagingError> {
        let mut ids: Vec<Uuid> = messages.iter().filter_map(|m| m.author_staff_id).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(caisse_store::staff::by_ids(&self.db, &ids)
            .await?
            .into_iter()
            .filter_map(|s| StaffRole::from_code(&s.role).map(|role| (s.id, role)))
            .collect())
    }

    fn transcript(
        &self,
        row: message_thread::Model,
        messages: &[message::Model],
        roles: &HashMap<Uuid, StaffRole>,
        files: &mut HashMap<Uuid, Vec<String>>,
    ) -> Result<ThreadTranscript, CoreError> {
        let objet = self
            .settings
            .catalogue
            .get(&row.objet_code)
            .map_or_else(|| row.objet_code.clone(), |o| o.label_fr().to_owned());
        let caisse_code = row.caisse_code.clone();
        let thread = ThreadSummary::from_row(row)?;
        let messages = messages
            .iter()
            .filter(|m| !m.internal)
            .map(|m| TranscriptMessage {
                author: if m.author_kind == Author::Member.kind() {
                    "Vous".to_owned()
                } else {
                    staff_author(m.author_staff_id.and_then(|id| roles.get(&id).copied()))
                },
                written_at: local(m.created_at),
                body: m.body.clone(),
                attachments: files.remove(&m.id).unwrap_or_default(),
            })
            .collect();
        Ok(ThreadTranscript {
            sender: self.sender(&caisse_code),
            reference: thread.reference,
            subject: thread.subject,
            objet,
            nature: thread.nature.label_fr().to_owned(),
            status: thread.status.label_fr().to_owned(),
            opened_at: local(thread.created_at),
            updated_at: local(thread.updated_at),
            due_on: thread.due_on,
            closed_at: thread.closed_at.map(local),
            printed_at: local(self.clock.now()),
            messages,
        })
    }

    /// The member's fund as the letterhead: its name and department, the phone number and the
    /// portal's address.
    fn sender(&self, caisse_code: &str) -> Sender {
        let (organisation, department) = CaisseCode::parse(caisse_code).map_or_else(
            |_| (super::member::fund_name(caisse_code), String::new()),
            |code| {
                let fund = Fund::by_code(&code);
                (fund.name().to_owned(), fund.department_name().to_owned())
            },
        );
        Sender {
            organisation,
            address_lines: Some(department)
                .filter(|d| !d.is_empty())
                .into_iter()
                .collect(),
            phone: self.settings.phone.clone(),
            website: self
                .base_url()
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_know_the_fund_s_authors_by_role_never_by_name() {
        assert_eq!(
            staff_author(Some(StaffRole::Conseiller)),
            "Votre conseiller"
        );
        assert_eq!(
            staff_author(Some(StaffRole::Superviseur)),
            "Superviseur de votre caisse"
        );
        assert_eq!(staff_author(None), "Votre caisse");
    }

    #[test]
    fn instants_are_printed_in_paris_time() {
        use time::macros::datetime;
        assert_eq!(
            local(datetime!(2026-11-22 15:04 UTC)),
            datetime!(2026-11-22 16:04)
        );
        assert_eq!(
            local(datetime!(2026-07-01 07:30 UTC)),
            datetime!(2026-07-01 09:30)
        );
    }
}
