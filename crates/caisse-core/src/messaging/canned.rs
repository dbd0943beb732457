//! A fund's canned answers (*réponses types*): every staff member of the fund reads them;
//! superviseurs and administrateurs create, change, deactivate and reactivate them. A text is
//! checked on save: an unknown variable is refused with a French message, so a saved answer
//! always renders.

use caisse_domain::Instant;
use caisse_domain::messaging::{Body, MessageLimits, Template};
use caisse_store::TransactionTrait;
use caisse_store::canned_answers::{self, CannedAnswerText};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::ACTION_CANNED_SAVED;
use super::drafts::render_canned;
use super::errors::StaffError;
use super::people::ActingStaff;
use super::staff::StaffMessaging;
use super::teams::{self, FundTeam};
use crate::accounts::FormProblem;
use crate::audit::{self, Actor, RequestContext};

/// Longest title, in characters.
const TITLE_MAX_CHARS: usize = 100;

/// Audit subject kind of a canned answer.
const SUBJECT_CANNED: &str = "canned_answer";

/// A canned answer as the back office shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct CannedAnswer {
    /// Id.
    pub id: Uuid,
    /// Title, as staff pick it.
    pub title: String,
    /// Text with variables (not rendered).
    pub body: String,
    /// The team it is meant for, if any: (id, name).
    pub team: Option<(Uuid, String)>,
    /// Whether staff may insert it.
    pub active: bool,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// Shows the id, the team and the state; never the title or the text.
impl std::fmt::Debug for CannedAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CannedAnswer")
            .field("id", &self.id)
            .field("team", &self.team.as_ref().map(|(id, _)| id))
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

/// A canned answer as typed in the form.
#[derive(Clone, Default)]
pub struct CannedAnswerForm {
    /// Title.
    pub title: String,
    /// Text with variables.
    pub body: String,
    /// Id of a team of the fund, or empty for every team.
    pub team: String,
}

/// Shows the team chosen; never the title or the text.
impl std::fmt::Debug for CannedAnswerForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CannedAnswerForm")
            .field("team", &self.team)
            .finish_non_exhaustive()
    }
}

fn to_view(row: canned_answers::CannedAnswer, teams: &[FundTeam]) -> CannedAnswer {
    let team = row.text.team_id.and_then(|id| {
        teams
            .iter()
            .find(|t| t.id == id)
            .map(|t| (t.id, t.name.clone()))
    });
    CannedAnswer {
        id: row.id,
        title: row.text.title,
        body: row.text.body,
        team,
        active: row.active,
        updated_at: row.updated_at.get(),
    }
}

/// Checks a canned answer's form: every problem at once.
fn parse_form(
    form: &CannedAnswerForm,
    limits: &MessageLimits,
    fund_teams: &[FundTeam],
) -> Result<CannedAnswerText, Vec<FormProblem>> {
    let mut problems = Vec::new();
    let title = form.title.trim();
    if title.is_empty() {
        problems.push(FormProblem::new(
            "title",
            "Donnez un titre à la réponse type.",
        ));
    } else if title.chars().count() > TITLE_MAX_CHARS || title.chars().any(char::is_control) {
        problems.push(FormProblem::new(
            "title",
            "Le titre doit tenir sur une ligne de 100 caractères au plus.",
        ));
    }
    let body = match Body::parse(&form.body, limits) {
        Ok(body) => match Template::parse(body.as_str()) {
            Ok(_) => Some(body.as_str().to_owned()),
            Err(error) => {
                problems.push(FormProblem::new("body", error.message_fr()));
                None
            }
        },
        Err(caisse_domain::messaging::BodyError::Empty) => {
            problems.push(FormProblem::new(
                "body",
                "Écrivez le texte de la réponse type.",
            ));
            None
        }
        Err(error) => {
            problems.push(FormProblem::new("body", error.message_fr()));
            None
        }
    };
    let team_id = match form.team.trim() {
        "" => None,
        raw => {
            let found = Uuid::parse_str(raw)
                .ok()
                .filter(|id| fund_teams.iter().any(|t| t.id == *id));
            if found.is_none() {
                problems.push(FormProblem::new(
                    "team",
                    "Choisissez une équipe de votre caisse.",
                ));
            }
            found
        }
    };
    match body {
        Some(body) if problems.is_empty() => Ok(CannedAnswerText {
            team_id,
            title: title.to_owned(),
            body,
        }),
        _ => Err(problems),
    }
}

impl StaffMessaging {
    /// A staff member who may edit canned answers: a superviseur or an administrateur.
    async fn editor(&self, staff_id: Uuid) -> Result<ActingStaff, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        if staff.supervises() {
            Ok(staff)
        } else {
            Err(StaffError::NotAllowed)
        }
    }

    /// The canned answers of the staff member's fund (only active ones if `active_only`), active
    /// first, then by title.
    ///
    /// # Errors
    /// `NotFound` for an unknown staff member, `Core` otherwise.
    #[tracing::instrument(
        name = "messaging.staff.canned_answers",
        skip_all,
        fields(%staff_id, active_only = active_only)
    )]
    pub async fn canned_answers(
        &self,
        staff_id: Uuid,
        active_only: bool,
    ) -> Result<Vec<CannedAnswer>, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let db = &self.shared.db;
        let fund_teams = teams::of_fund(db, staff.caisse_code).await?;
        Ok(canned_answers::of_fund(db, staff.caisse_code, active_only)
            .await?
            .into_iter()
            .map(|row| to_view(row, &fund_teams))
            .collect())
    }

    /// One canned answer of the staff member's fund.
    ///
    /// # Errors
    /// `NotFound` for another fund's answer or a missing one, `Core` otherwise.
    #[tracing::instrument(name = "messaging.staff.canned_answer", skip_all, fields(%staff_id, %id))]
    pub async fn canned_answer(
        &self,
        staff_id: Uuid,
        id: Uuid,
    ) -> Result<CannedAnswer, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let db = &self.shared.db;
        let row = canned_answers::get(db, staff.caisse_code, id)
            .await?
            .ok_or(StaffError::NotFound)?;
        let fund_teams = teams::of_fund(db, staff.caisse_code).await?;
        Ok(to_view(row, &fund_teams))
    }

    /// Creates a canned answer of the editor's fund, audited; returns its id.
    ///
    /// # Errors
    /// `NotAllowed` for a conseiller, `Invalid` with every problem of the form (an unknown
    /// variable among them), or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.create_canned_answer",
        skip_all,
        fields(%staff_id)
    )]
    pub async fn create_canned_answer(
        &self,
        staff_id: Uuid,
        form: &CannedAnswerForm,
        context: &RequestContext,
    ) -> Result<Uuid, StaffError> {
        let staff = self.editor(staff_id).await?;
        let db = &self.shared.db;
        let fund_teams = teams::of_fund(db, staff.caisse_code).await?;
        let text = parse_form(form, &self.shared.settings.limits, &fund_teams)
            .map_err(StaffError::Invalid)?;
        let now = self.shared.now();
        let tx = db.begin().await?;
        let id = canned_answers::insert(&tx, staff.caisse_code, text, now).await?;
        Self::audit_canned(&tx, context, staff_id, id, "created", now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces a canned answer of the editor's fund, audited.
    ///
    /// # Errors
    /// `NotAllowed`, `NotFound` (another fund's answer), `Invalid`, or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.update_canned_answer",
        skip_all,
        fields(%staff_id, %id)
    )]
    pub async fn update_canned_answer(
        &self,
        staff_id: Uuid,
        id: Uuid,
        form: &CannedAnswerForm,
        context: &RequestContext,
    ) -> Result<(), StaffError> {
        let staff = self.editor(staff_id).await?;
        let db = &self.shared.db;
        canned_answers::get(db, staff.caisse_code, id)
            .await?
            .ok_or(StaffError::NotFound)?;
        let fund_teams = teams::of_fund(db, staff.caisse_code).await?;
        let text = parse_form(form, &self.shared.settings.limits, &fund_teams)
            .map_err(StaffError::Invalid)?;
        let now = self.shared.now();
        let tx = db.begin().await?;
        canned_answers::update(&tx, staff.caisse_code, id, text, now).await?;
        Self::audit_canned(&tx, context, staff_id, id, "updated", now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deactivates (`active` false: staff no longer see it in replies) or reactivates a
    /// canned answer of the editor's fund, audited.
    ///
    /// # Errors
    /// `NotAllowed`, `NotFound`, or `Core`.
    #[tracing::instrument(
        name = "messaging.staff.set_canned_answer_active",
        skip_all,
        fields(%staff_id, %id, active = active)
    )]
    pub async fn set_canned_answer_active(
        &self,
        staff_id: Uuid,
        id: Uuid,
        active: bool,
        context: &RequestContext,
    ) -> Result<(), StaffError> {
        let staff = self.editor(staff_id).await?;
        let now = self.shared.now();
        let tx = self.shared.db.begin().await?;
        if !canned_answers::set_active(&tx, staff.caisse_code, id, active, now).await? {
            return Err(StaffError::NotFound);
        }
        let change = if active { "activated" } else { "deactivated" };
        Self::audit_canned(&tx, context, staff_id, id, change, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_canned(
        tx: &caisse_store::Tx,
        context: &RequestContext,
        staff_id: Uuid,
        id: Uuid,
        change: &str,
        now: Instant,
    ) -> Result<(), StaffError> {
        audit::record(
            tx,
            context,
            Actor::Staff(staff_id),
            ACTION_CANNED_SAVED,
            Some((SUBJECT_CANNED, id)),
            json!({ "change": change }),
            now.get(),
        )
        .await?;
        Ok(())
    }

    /// The active canned answers a staff member may insert into a reply to thread `thread_id`:
    /// those for every team and those for the thread's team, each with its text rendered for
    /// the thread (what the « Insérer » script puts in the reply).
    ///
    /// # Errors
    /// `NotFound` for another fund's thread, `Core` otherwise.
    #[tracing::instrument(
        name = "messaging.staff.canned_answers_for_thread",
        skip_all,
        fields(%staff_id, %thread_id)
    )]
    pub async fn canned_answers_for_thread(
        &self,
        staff_id: Uuid,
        thread_id: Uuid,
    ) -> Result<Vec<(CannedAnswer, String)>, StaffError> {
        let staff = self.acting_staff(staff_id).await?;
        let db = &self.shared.db;
        let thread = Self::fund_thread(db, &staff, thread_id).await?;
        let fund_teams = teams::of_fund(db, staff.caisse_code).await?;
        let thread_team = fund_teams
            .iter()
            .find(|t| Some(&t.code) == thread.team.as_ref())
            .map(|t| t.id);
        let values = self.template_values(&staff, &thread).await?;
        Ok(canned_answers::of_fund(db, staff.caisse_code, true)
            .await?
            .into_iter()
            .filter(|row| row.text.team_id.is_none() || row.text.team_id == thread_team)
            .map(|row| {
                let rendered = render_canned(&row.text.body, &values);
                (to_view(row, &fund_teams), rendered)
            })
            .collect())
    }
}
