//! The advisors' side: the fund's queue (due date first, filters), a dossier beside the
//! member file (every reading audited), taking it, asking for pieces or corrections,
//! deciding with reasons, sending it to another team; and the supervisors' counts. Every
//! query is scoped to the staff member's fund: another fund's dossier is a missing one.

use caisse_domain::demarches::{
    DossierAction, DossierState, FieldId, Move, ProcedureCode, dossier_reference,
};
use caisse_domain::{ActorKind, AuditAction};
use caisse_store::dossiers::{
    self as store, Change, CompletionRequest, QueueFilter, StateCount, cards,
};
use caisse_store::staff::{self, StaffMember};
use caisse_store::{TransactionTrait, members, teams};
use serde_json::json;
use time::Date;
use uuid::Uuid;

use super::chain::{self, Event};
use super::decide::Decision;
use super::errors::DossierError;
use super::service::{Demarches, Shared};
use super::views::DossierView;
use crate::audit::{self, Actor, RequestContext};

/// Rows of the queue a page shows.
pub const QUEUE_PAGE: u64 = 50;

/// What the advisor filters the queue by.
#[derive(Clone, Debug, Default)]
pub struct QueueQuery {
    /// One team (`Some(None)`: dossiers routed to no team).
    pub team: Option<Option<Uuid>>,
    /// One state; `None`: every open one.
    pub state: Option<DossierState>,
    /// One procedure.
    pub procedure: Option<String>,
    /// Only the advisor's own.
    pub mine: bool,
    /// Only one member's (the account page's link).
    pub member: Option<Uuid>,
    /// Only the late ones (past their decision date, « À compléter » aside).
    pub late: bool,
    /// The page, from 0.
    pub page: u64,
}

/// One line of the queue.
#[derive(Clone)]
pub struct QueueLine {
    /// The dossier.
    pub id: Uuid,
    /// « D-3F9A-12BC ».
    pub reference: String,
    /// The procedure's title.
    pub title: String,
    /// Where it stands.
    pub state: DossierState,
    /// The member's name.
    pub member: String,
    /// Filed.
    pub submitted_on: Option<Date>,
    /// Due.
    pub due_on: Option<Date>,
    /// Past due.
    pub late: bool,
    /// The team's name.
    pub team: Option<String>,
    /// Taken by the asking advisor.
    pub mine: bool,
}

debug_fields!(QueueLine { id, state });

/// A page of the queue.
#[derive(Clone, Debug)]
pub struct QueuePage {
    /// The lines.
    pub lines: Vec<QueueLine>,
    /// Whether another page follows.
    pub has_next: bool,
    /// The page shown, from 0.
    pub page: u64,
    /// The fund's teams, for the filter and the transfer: (id, name).
    pub teams: Vec<(Uuid, String)>,
    /// The procedures, for the filter: (code, title).
    pub procedures: Vec<(String, String)>,
}

/// A dossier as the advisor reads it, with what they may do.
#[derive(Clone)]
pub struct StaffDossier {
    /// The dossier.
    pub view: DossierView,
    /// The member's NIR, formatted.
    pub member_nir: String,
    /// The member's name.
    pub member_name: String,
    /// The member's birth date.
    pub member_birth_date: Date,
    /// The member's postal address lines.
    pub member_address: Vec<String>,
    /// The team's name.
    pub team: Option<String>,
    /// The advisor instructing it.
    pub assignee: Option<String>,
    /// The fund's teams, for the transfer.
    pub teams: Vec<(Uuid, String)>,
    /// What a C2S dossier's answers lead to, when it is one (« C2S sans participation… »).
    pub c2s_preview: Option<String>,
    /// The due date an investigation would bring, when the procedure has one and it is later
    /// than the current due date.
    pub investigation_due_on: Option<Date>,
    /// The next production step of the card the dossier ordered (« En fabrication »…).
    pub card_next: Option<&'static str>,
}

debug_fields!(StaffDossier { view });

impl Demarches {
    async fn active_staff(&self, staff_id: Uuid) -> Result<StaffMember, DossierError> {
        staff::find(&self.shared.db, staff_id)
            .await?
            .filter(|s| s.active)
            .ok_or(DossierError::NotFound)
    }

    /// A page of the fund's queue.
    ///
    /// # Errors
    /// [`DossierError::NotFound`] for an inactive staff account.
    pub async fn queue(
        &self,
        staff_id: Uuid,
        query: &QueueQuery,
        context: &RequestContext,
    ) -> Result<QueuePage, DossierError> {
        let shared = &self.shared;
        let me = self.active_staff(staff_id).await?;
        let filter = QueueFilter {
            caisse: me.caisse_code,
            team: query.team,
            states: query.state.into_iter().collect(),
            procedure: query.procedure.as_deref().and_then(ProcedureCode::parse),
            assignee: query.mine.then_some(staff_id),
            member: query.member,
            due_before: query.late.then(|| shared.today()),
        };
        // One row past the page says whether another follows: counting a fund's backlog on
        // every request would cost more than the page itself (docs/perf.md).
        let mut rows =
            store::queue(&shared.db, &filter, QUEUE_PAGE + 1, query.page * QUEUE_PAGE).await?;
        let has_next = rows.len() > usize::try_from(QUEUE_PAGE).unwrap_or(usize::MAX);
        rows.truncate(usize::try_from(QUEUE_PAGE).unwrap_or(usize::MAX));
        let teams: Vec<(Uuid, String)> = teams::of_fund(&shared.db, me.caisse_code)
            .await?
            .into_iter()
            .map(|t| (t.id, t.team.name.as_str().to_owned()))
            .collect();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.member_id).collect();
        let names: std::collections::HashMap<Uuid, String> =
            members::with_accounts(&shared.db, &ids)
                .await?
                .into_iter()
                .map(|(m, _)| (m.id, m.display_name()))
                .collect();
        let today = shared.today();
        let lines = rows
            .into_iter()
            .map(|row| QueueLine {
                reference: dossier_reference(row.id.as_u128()),
                title: shared
                    .catalogue
                    .current(row.procedure.as_str())
                    .map_or_else(|| row.procedure.to_string(), |d| d.title.clone()),
                state: row.state,
                member: names.get(&row.member_id).cloned().unwrap_or_default(),
                submitted_on: row.submitted_at.map(|at| at.get().date()),
                late: row.due_on.is_some_and(|due| due < today)
                    && row.state != DossierState::AwaitingCompletion,
                due_on: row.due_on,
                team: row
                    .team_id
                    .and_then(|id| teams.iter().find(|(t, _)| *t == id).map(|(_, n)| n.clone())),
                mine: row.assignee_id == Some(staff_id),
                id: row.id,
            })
            .collect::<Vec<QueueLine>>();
        // The page names members: the reading is audited, as the alerts' list is.
        audit::record(
            &shared.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffDossiersListed,
            None,
            json!({ "lines": lines.len(), "member_id": query.member, "page": query.page }),
            shared.now(),
        )
        .await?;
        Ok(QueuePage {
            lines,
            has_next,
            page: query.page,
            teams,
            procedures: shared
                .catalogue
                .latest()
                .iter()
                .map(|d| (d.code.to_string(), d.title.clone()))
                .collect(),
        })
    }

    /// Dossier `id` beside the member file, for advisor `staff_id`; the reading is audited.
    ///
    /// # Errors
    /// [`DossierError::NotFound`] for a missing dossier, a draft, or another fund's.
    pub async fn staff_dossier(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<StaffDossier, DossierError> {
        let shared = &self.shared;
        let me = self.active_staff(staff_id).await?;
        let dossier = store::find(&shared.db, id)
            .await?
            .filter(|d| d.caisse == me.caisse_code)
            .filter(|d| !matches!(d.state, DossierState::Draft | DossierState::Expired))
            .ok_or(DossierError::NotFound)?;
        let member = members::find(&shared.db, dossier.member_id)
            .await?
            .ok_or(DossierError::NotFound)?;
        let teams: Vec<(Uuid, String)> = teams::of_fund(&shared.db, me.caisse_code)
            .await?
            .into_iter()
            .map(|t| (t.id, t.team.name.as_str().to_owned()))
            .collect();
        let team = dossier
            .team_id
            .and_then(|id| teams.iter().find(|(t, _)| *t == id).map(|(_, n)| n.clone()));
        let assignee = match dossier.assignee_id {
            Some(id) => staff::find(&shared.db, id).await?.map(|s| s.display_name),
            None => None,
        };
        let definition = shared.definition_of(&dossier)?;
        let c2s_preview = (definition.effect == caisse_domain::demarches::Effect::C2s).then(|| {
            match super::effects::c2s_decision(
                &shared.c2s,
                &dossier,
                member.birth_date,
                shared.today(),
            ) {
                Ok(decision) => super::letters::c2s_summary(&decision),
                Err(error) => error.message_fr(),
            }
        });
        audit::record(
            &shared.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffDossierViewed,
            Some(("dossier", id)),
            json!({ "member_id": dossier.member_id }),
            shared.now(),
        )
        .await?;
        let open = matches!(
            dossier.state,
            DossierState::Submitted | DossierState::InInstruction
        );
        let investigation_due_on = investigation_due(shared, &dossier, &definition)
            .filter(|due| open && dossier.due_on.is_none_or(|current| current < *due));
        let card_next = match cards::of_dossier(&shared.db, dossier.id).await? {
            Some(order) if order.state == "commandee" => Some("En fabrication"),
            Some(order) if order.state == "en_fabrication" => Some("Envoyée"),
            _ => None,
        };
        let mut address = vec![member.address_line1.clone()];
        address.extend(member.address_line2.clone());
        address.push(format!("{} {}", member.postal_code, member.city));
        let view = shared.view(&shared.db, dossier).await?;
        Ok(StaffDossier {
            view,
            member_nir: member.nir.formatted(),
            member_name: member.display_name(),
            member_birth_date: member.birth_date,
            member_address: address,
            team,
            assignee,
            teams,
            c2s_preview,
            investigation_due_on,
            card_next,
        })
    }

    /// The bytes of a piece, for advisor `staff_id` (audited).
    ///
    /// # Errors
    /// [`DossierError::NotFound`] for another fund's dossier or an erased file.
    pub async fn staff_piece(
        &self,
        staff_id: Uuid,
        id: Uuid,
        piece_id: Uuid,
        context: &RequestContext,
    ) -> Result<(String, caisse_domain::messaging::AttachmentKind, Vec<u8>), DossierError> {
        let shared = &self.shared;
        let me = self.active_staff(staff_id).await?;
        store::find(&shared.db, id)
            .await?
            .filter(|d| d.caisse == me.caisse_code && d.state != DossierState::Draft)
            .ok_or(DossierError::NotFound)?;
        let file = shared.piece_bytes(id, piece_id).await?;
        audit::record(
            &shared.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffDossierPieceDownloaded,
            Some(("dossier", id)),
            json!({ "piece_id": piece_id }),
            shared.now(),
        )
        .await?;
        Ok(file)
    }

    /// One move by advisor `staff_id` on dossier `id`, in one transaction with its event and
    /// its audit row.
    async fn staff_move(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
        action: StaffAction,
    ) -> Result<(), DossierError> {
        let shared = &self.shared;
        let me = self.active_staff(staff_id).await?;
        let now = shared.now();
        let actor = (ActorKind::Staff, Some(staff_id));
        let tx = shared.db.begin().await?;
        let mut dossier = Shared::lock(&tx, id).await?;
        if dossier.caisse != me.caisse_code || dossier.state == DossierState::Draft {
            return Err(DossierError::NotFound);
        }
        let definition = shared.definition_of(&dossier)?;
        let audit_action = match action {
            StaffAction::Take => {
                let next = Shared::next(&dossier, Move::StartInstruction)?;
                let change = Change {
                    assignee_id: Some(Some(staff_id)),
                    ..Change::default()
                };
                if !store::apply(&tx, id, dossier.state, next, change, now).await? {
                    return Err(DossierError::Conflict);
                }
                let event =
                    Event::new(actor, DossierAction::InstructionStarted).moved(dossier.state, next);
                chain::append(&tx, &mut dossier, event, now).await?;
                dossier.state = next;
                shared.notify(&tx, &dossier, now).await?;
                AuditAction::StaffDossierInstructed
            }
            StaffAction::AskCompletion { message, fields } => {
                let message = message.trim().to_owned();
                if message.is_empty() {
                    return Err(DossierError::BadDecision(
                        "Écrivez ce que l'assuré doit compléter.",
                    ));
                }
                if fields.is_empty()
                    || fields
                        .iter()
                        .any(|f| definition.field(f.as_str()).is_none())
                {
                    return Err(DossierError::BadDecision(
                        "Cochez au moins une réponse ou un justificatif à compléter.",
                    ));
                }
                let next = Shared::next(&dossier, Move::AskCompletion)?;
                let change = Change {
                    paused_on: Some(Some(shared.today())),
                    completion: Some(Some(CompletionRequest {
                        message: message.clone(),
                        fields: fields.clone(),
                    })),
                    assignee_id: Some(Some(staff_id)),
                    ..Change::default()
                };
                if !store::apply(&tx, id, dossier.state, next, change, now).await? {
                    return Err(DossierError::Conflict);
                }
                let event = Event::new(actor, DossierAction::CompletionAsked)
                    .moved(dossier.state, next)
                    .note(message)
                    .details(
                        json!({ "fields": fields.iter().map(FieldId::as_str).collect::<Vec<_>>() }),
                    );
                chain::append(&tx, &mut dossier, event, now).await?;
                dossier.state = next;
                shared.notify(&tx, &dossier, now).await?;
                AuditAction::StaffDossierCompletionAsked
            }
            StaffAction::Decide { decision, reasons } => {
                let reasons: Vec<String> = reasons
                    .into_iter()
                    .map(|r| r.trim().to_owned())
                    .filter(|r| !r.is_empty())
                    .collect();
                if decision == Decision::Refuse && reasons.is_empty() {
                    return Err(DossierError::BadDecision(
                        "Un refus doit être motivé : choisissez ou écrivez au moins un motif.",
                    ));
                }
                shared
                    .decide_in(
                        &tx,
                        &mut dossier,
                        &definition,
                        decision,
                        reasons,
                        actor,
                        now,
                    )
                    .await?;
                AuditAction::StaffDossierDecided
            }
            StaffAction::OpenInvestigation => {
                let Some(due_on) = investigation_due(shared, &dossier, &definition) else {
                    return Err(DossierError::BadDecision(
                        "Cette démarche ne prévoit pas d'enquête.",
                    ));
                };
                if !matches!(
                    dossier.state,
                    DossierState::Submitted | DossierState::InInstruction
                ) {
                    return Err(DossierError::WrongState);
                }
                if dossier.due_on.is_some_and(|current| current >= due_on) {
                    return Err(DossierError::BadDecision(
                        "Une enquête est déjà ouverte sur ce dossier.",
                    ));
                }
                let state = dossier.state;
                let change = Change {
                    due_on: Some(Some(due_on)),
                    assignee_id: Some(Some(staff_id)),
                    ..Change::default()
                };
                if !store::apply(&tx, id, state, state, change, now).await? {
                    return Err(DossierError::Conflict);
                }
                let note = format!(
                    "Votre caisse mène une enquête : elle décidera au plus tard le {}.",
                    caisse_domain::french::letter_date(due_on)
                );
                let event = Event::new(actor, DossierAction::InvestigationOpened)
                    .note(note)
                    .details(json!({ "due_on": due_on.to_string() }));
                chain::append(&tx, &mut dossier, event, now).await?;
                dossier.due_on = Some(due_on);
                shared.notify(&tx, &dossier, now).await?;
                AuditAction::StaffDossierInvestigationOpened
            }
            StaffAction::AdvanceCard => {
                let order = cards::of_dossier(&tx, id)
                    .await?
                    .ok_or(DossierError::NotFound)?;
                let (next, note) = match order.state.as_str() {
                    "commandee" => ("en_fabrication", "Votre carte est en fabrication."),
                    "en_fabrication" => ("envoyee", "Votre carte vous a été envoyée par courrier."),
                    _ => return Err(DossierError::WrongState),
                };
                if !cards::advance(&tx, order.id, &order.state, next, now).await? {
                    return Err(DossierError::Conflict);
                }
                let event = Event::new(actor, DossierAction::CardAdvanced)
                    .note(note)
                    .details(json!({ "card": order.card, "state": next }));
                chain::append(&tx, &mut dossier, event, now).await?;
                AuditAction::StaffDossierCardAdvanced
            }
            StaffAction::Transfer { team_id } => {
                let known = teams::of_fund(&tx, me.caisse_code)
                    .await?
                    .iter()
                    .any(|t| t.id == team_id);
                if !known || !dossier.state.is_open() {
                    return Err(DossierError::BadDecision(
                        "Choisissez une équipe de votre caisse.",
                    ));
                }
                let state = dossier.state;
                let change = Change {
                    team_id: Some(Some(team_id)),
                    assignee_id: Some(None),
                    ..Change::default()
                };
                if !store::apply(&tx, id, state, state, change, now).await? {
                    return Err(DossierError::Conflict);
                }
                let event = Event::new(actor, DossierAction::Transferred)
                    .details(json!({ "team_id": team_id }));
                chain::append(&tx, &mut dossier, event, now).await?;
                AuditAction::StaffDossierTransferred
            }
        };
        audit::record(
            &tx,
            context,
            Actor::Staff(staff_id),
            audit_action,
            Some(("dossier", id)),
            json!({ "state": dossier.state.code() }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Advisor `staff_id` takes dossier `id` for instruction.
    ///
    /// # Errors
    /// [`DossierError::WrongState`], [`DossierError::NotFound`].
    pub async fn take(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<(), DossierError> {
        self.staff_move(staff_id, id, context, StaffAction::Take)
            .await
    }

    /// Advisor `staff_id` asks the member to complete `fields` of dossier `id`, with
    /// `message`; the delay pauses.
    ///
    /// # Errors
    /// [`DossierError::BadDecision`] without a message or a field.
    pub async fn ask_completion(
        &self,
        staff_id: Uuid,
        id: Uuid,
        message: &str,
        fields: Vec<FieldId>,
        context: &RequestContext,
    ) -> Result<(), DossierError> {
        let action = StaffAction::AskCompletion {
            message: message.to_owned(),
            fields,
        };
        self.staff_move(staff_id, id, context, action).await
    }

    /// Advisor `staff_id` decides dossier `id` (`Accept`, `Refuse` or `Close`) with `reasons`.
    ///
    /// # Errors
    /// [`DossierError::BadDecision`] for a refusal without reason, [`DossierError::Effect`]
    /// when the effect refuses (C2S resources over the ceiling).
    pub async fn decide(
        &self,
        staff_id: Uuid,
        id: Uuid,
        decision: Decision,
        reasons: Vec<String>,
        context: &RequestContext,
    ) -> Result<(), DossierError> {
        if matches!(
            decision,
            Decision::AcceptBySilence | Decision::RefuseBySilence
        ) {
            return Err(DossierError::BadDecision(
                "Seule l'échéance décide par silence.",
            ));
        }
        self.staff_move(
            staff_id,
            id,
            context,
            StaffAction::Decide { decision, reasons },
        )
        .await
    }

    /// Advisor `staff_id` sends dossier `id` to team `team_id` of the fund.
    ///
    /// # Errors
    /// [`DossierError::BadDecision`] for a team of another fund, or a decided dossier.
    pub async fn transfer(
        &self,
        staff_id: Uuid,
        id: Uuid,
        team_id: Uuid,
        context: &RequestContext,
    ) -> Result<(), DossierError> {
        self.staff_move(staff_id, id, context, StaffAction::Transfer { team_id })
            .await
    }

    /// Advisor `staff_id` opens an investigation on dossier `id`: its due date becomes the
    /// procedure's longer one, counted from the filing (accident du travail: 90 jours francs).
    ///
    /// # Errors
    /// [`DossierError::BadDecision`] when the procedure has none or one is open already.
    pub async fn open_investigation(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<(), DossierError> {
        self.staff_move(staff_id, id, context, StaffAction::OpenInvestigation)
            .await
    }

    /// Advisor `staff_id` records the next production step of the card dossier `id` ordered
    /// (commandée → en fabrication → envoyée), as the card producer reports it.
    ///
    /// # Errors
    /// [`DossierError::NotFound`] when the dossier ordered no card, [`DossierError::WrongState`]
    /// once the card was sent.
    pub async fn advance_card(
        &self,
        staff_id: Uuid,
        id: Uuid,
        context: &RequestContext,
    ) -> Result<(), DossierError> {
        self.staff_move(staff_id, id, context, StaffAction::AdvanceCard)
            .await
    }

    /// The supervisors' counts of the fund's open dossiers, by state, with the late ones.
    ///
    /// # Errors
    /// [`DossierError::NotFound`] for an inactive staff account.
    pub async fn delay_counts(&self, staff_id: Uuid) -> Result<Vec<StateCount>, DossierError> {
        let me = self.active_staff(staff_id).await?;
        Ok(store::count_by_state(&self.shared.db, &me.caisse_code, self.shared.today()).await?)
    }
}

/// The due date an investigation would bring `dossier`: the procedure's longer delay from
/// the filing day; `None` when the procedure has none.
fn investigation_due(
    shared: &Shared,
    dossier: &caisse_store::dossiers::StoredDossier,
    definition: &caisse_domain::demarches::Definition,
) -> Option<Date> {
    let longer = definition.investigation?;
    let filed_on = dossier.submitted_at.map_or(shared.today(), |at| {
        caisse_domain::paris_time::paris_time(at.get()).date()
    });
    Some(longer.due_on(super::service::zone_of(dossier.caisse), filed_on))
}

enum StaffAction {
    Take,
    OpenInvestigation,
    AdvanceCard,
    AskCompletion {
        message: String,
        fields: Vec<FieldId>,
    },
    Decide {
        decision: Decision,
        reasons: Vec<String>,
    },
    Transfer {
        team_id: Uuid,
    },
}
