//! A thread as a PDF (issue 4 point 5, « téléchargement d'un échange en PDF »): the member
//! downloads their own, a staff member of the fund prints one for them. Both get the member's
//! view: messages in order with their authors as the member knows them, never the internal
//! notes, which the query itself leaves out.

use std::collections::HashMap;

use caisse_domain::paris_time::paris_time;
use caisse_domain::{CaisseCode, Fund};
use caisse_pdf::{Sender, ThreadTranscript, TranscriptMessage};
use caisse_store::messaging::{self as store, Message, Thread, WrittenBy};
use time::{OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use super::errors::ThreadPdfError;
use super::people;
use super::shared::Shared;
use super::views::ThreadSummary;
use crate::CoreError;
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

/// How the member knows the author of a fund's message: their staff member, or a role of the fund
/// (the same roles the member sees among those who opened the thread). Never a name.
fn staff_author(role: Option<StaffRole>) -> String {
    match role {
        Some(StaffRole::Conseiller) => "Votre conseiller".to_owned(),
        Some(role) => format!("{} de votre caisse", role.label_fr()),
        None => "Votre caisse".to_owned(),
    }
}

impl Shared {
    /// `row` as the member sees it, in a PDF.
    pub(super) async fn thread_pdf<E>(&self, row: Thread) -> Result<ThreadPdf, E>
    where
        E: From<CoreError> + From<ThreadPdfError>,
    {
        // `false`: internal notes are not even read.
        let messages = store::messages(&self.db, row.id, false)
            .await
            .map_err(CoreError::from)?;
        let roles = self.author_roles(&messages).await?;
        let ids: Vec<Uuid> = messages.iter().map(|m| m.id).collect();
        let mut files = self.attachment_names(&ids).await?;
        let transcript = self.transcript(row, &messages, &roles, &mut files);
        let reference = transcript.reference.clone();
        // Rendering is CPU work of tens of milliseconds: off the async workers.
        let bytes = tokio::task::spawn_blocking(move || caisse_pdf::render_thread(&transcript))
            .await
            .map_err(ThreadPdfError::from)?
            .map_err(ThreadPdfError::from)?;
        Ok(ThreadPdf { reference, bytes })
    }

    /// The role of each staff member who wrote in the thread.
    async fn author_roles(
        &self,
        messages: &[Message],
    ) -> Result<HashMap<Uuid, StaffRole>, CoreError> {
        let mut ids: Vec<Uuid> = messages
            .iter()
            .filter_map(|m| match m.author {
                WrittenBy::Staff(id) => id,
                WrittenBy::Member => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        people::roles(&self.db, &ids).await
    }

    fn transcript(
        &self,
        row: Thread,
        messages: &[Message],
        roles: &HashMap<Uuid, StaffRole>,
        files: &mut HashMap<Uuid, Vec<String>>,
    ) -> ThreadTranscript {
        let objet = self
            .settings
            .catalogue
            .get(&row.objet_code)
            .map_or_else(|| row.objet_code.clone(), |o| o.label_fr().to_owned());
        let caisse_code = row.caisse_code;
        let thread = ThreadSummary::from(row);
        let messages = messages
            .iter()
            .filter(|m| !m.internal)
            .map(|m| TranscriptMessage {
                author: match m.author {
                    WrittenBy::Member => "Vous".to_owned(),
                    WrittenBy::Staff(id) => staff_author(id.and_then(|id| roles.get(&id).copied())),
                },
                written_at: local(m.created_at.get()),
                body: m.body.clone(),
                attachments: files.remove(&m.id).unwrap_or_default(),
            })
            .collect();
        ThreadTranscript {
            sender: self.sender(caisse_code),
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
        }
    }

    /// The member's fund as the letterhead: its name and department, the phone number and the
    /// portal's address.
    fn sender(&self, caisse_code: CaisseCode) -> Sender {
        let fund = Fund::by_code(&caisse_code);
        let (organisation, department) =
            (fund.name().to_owned(), fund.department_name().to_owned());
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
