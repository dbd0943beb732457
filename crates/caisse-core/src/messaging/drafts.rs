//! What the staff member writes in the back office: a reply whose variables (`{prenom}`…) are
//! filled in for the thread before it is sent, the canned answer inserted into a draft, and
//! an internal note checked against the version the staff member read.

use caisse_domain::messaging::{Template, TemplateValues};
use caisse_store::messaging::Thread;
use uuid::Uuid;

use super::errors::StaffError;
use super::member::fund_name;
use super::people::{self, ActingStaff};
use super::staff::StaffMessaging;
use crate::accounts::FormProblem;
use crate::audit::RequestContext;
use caisse_domain::french::numeric_date;

impl StaffMessaging {
    /// What the variables stand for in `thread`, answered by `staff`.
    pub(super) async fn template_values(
        &self,
        staff: &ActingStaff,
        thread: &Thread,
    ) -> Result<TemplateValues, StaffError> {
        let member = people::get(&self.shared.db, thread.member_id)
            .await?
            .ok_or(StaffError::NotFound)?;
        Ok(TemplateValues {
            prenom: member.first_name,
            nom: member.last_name,
            reference: thread.reference.clone(),
            date_echeance: numeric_date(thread.due_on),
            conseiller: staff.display_name.clone(),
            caisse: fund_name(thread.caisse_code),
        })
    }

    /// Answers the member with `draft`, its variables filled in for the thread; the rest is
    /// [`StaffMessaging::staff_reply`]. A draft naming an unknown variable is refused whole,
    /// so `{prénom}` never reaches a member as typed. Returns the new version.
    ///
    /// # Errors
    /// `Invalid` (field `body`: an unknown variable or a bad body), `NotFound`, `Conflict`,
    /// `Refused`, or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.staff_reply_draft",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version)
    )]
    pub async fn staff_reply_draft(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        draft: &str,
        context: &RequestContext,
    ) -> Result<i32, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let thread = Self::fund_thread(&self.shared.db, &staff, thread_id).await?;
        let template = Template::parse(draft)
            .map_err(|e| StaffError::Invalid(vec![FormProblem::new("body", e.message_fr())]))?;
        let body = if template.has_variables() {
            template.render(&self.template_values(&staff, &thread).await?)
        } else {
            draft.to_owned()
        };
        self.staff_reply(staff_id, thread_id, expected_version, &body, context)
            .await
    }

    /// Returns `draft` with canned answer `canned_id` (active, of the staff member's fund) appended,
    /// its variables filled in for thread `thread_id`: the « Insérer » button without
    /// JavaScript. What the staff member had typed is kept, first.
    ///
    /// # Errors
    /// `NotFound` for another fund's thread or answer, or an inactive answer; `Core`.
    #[tracing::instrument(
        name = "messaging.staff.insert_canned_answer",
        skip_all,
        fields(%staff_id, %thread_id, %canned_id)
    )]
    pub async fn insert_canned_answer(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        canned_id: Uuid,
        draft: &str,
    ) -> Result<String, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let db = &self.shared.db;
        let thread = Self::fund_thread(db, &staff, thread_id).await?;
        let canned = caisse_store::canned_answers::get(db, staff.caisse_code, canned_id)
            .await?
            .filter(|c| c.active)
            .ok_or(StaffError::NotFound)?;
        let values = self.template_values(&staff, &thread).await?;
        let rendered = render_canned(&canned.text.body, &values);
        let kept = draft.trim_end();
        Ok(if kept.is_empty() {
            rendered
        } else {
            format!("{kept}\n\n{rendered}")
        })
    }

    /// Adds an internal note, as [`StaffMessaging::add_note`], if the thread is still at
    /// `expected_version`: a staff member who writes a note on what they read is told when the
    /// thread moved meanwhile (their note is not lost: they send it again). The note itself
    /// moves no version.
    ///
    /// # Errors
    /// `Invalid`, `NotFound`, `Conflict`, or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.add_note_at",
        skip_all,
        fields(%staff_id, %thread_id, expected_version = expected_version)
    )]
    pub async fn add_note_at(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
        expected_version: i32,
        body: &str,
        context: &RequestContext,
    ) -> Result<(), StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        self.versioned(&staff, thread_id, expected_version).await?;
        self.add_note(staff_id, thread_id, body, context).await
    }
}

/// `body` of a canned answer rendered with `values`. Saved answers were checked; one that no
/// longer parses (a variable since removed) is inserted as is, and the check of
/// [`StaffMessaging::staff_reply_draft`] stops it before sending.
pub(super) fn render_canned(body: &str, values: &TemplateValues) -> String {
    Template::parse(body).map_or_else(|_| body.to_owned(), |t| t.render(values))
}
