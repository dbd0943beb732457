//! The member's side: open a dossier (for themself, a beneficiary, or under a procuration),
//! fill it step by step, add files, file it, complete what the advisor flagged, cancel it,
//! follow it. Another member's dossier answers as a missing one.

use caisse_domain::ActorKind;
use caisse_domain::demarches::answers::{ParseContext, merge_step, read_step_partly, unanswered};
use caisse_domain::demarches::{
    AnswerValue, Definition, DossierAction, DossierState, FieldError, FieldKind, FiledAs,
    FilingFor, Move, RawInput, dossier_reference,
};
use caisse_domain::messaging::shown_name;
use caisse_store::dossiers::pieces::{self, Piece};
use caisse_store::dossiers::{self as store, Change, NewDossier, StoredDossier, procurations};
use caisse_store::members::{self, MemberRecord};
use caisse_store::{ConnectionTrait, TransactionTrait, teams};
use time::Duration;
use uuid::Uuid;

use super::chain::{self, Event};
use super::errors::DossierError;
use super::reading::{family, file_counts};
use super::service::{Demarches, Shared, folded_name, zone_of};
use super::views::{DossierSummary, DossierView};
use crate::accounts::FormProblem;
use crate::files::FileKey;

/// A file sent by the member: the same as a message's, checked by the same rules.
pub type PieceUpload = crate::messaging::Upload;

/// A procuration another member gave to the one asking.
#[derive(Clone)]
pub struct Mandate {
    /// The procuration.
    pub id: Uuid,
    /// The mandant's name.
    pub mandant: String,
    /// Its last day.
    pub valid_to: time::Date,
}

debug_fields!(Mandate { id, valid_to });

fn member_actor(member_id: Uuid) -> (ActorKind, Option<Uuid>) {
    (ActorKind::Member, Some(member_id))
}

/// Whether member `member_id` may read and act on `dossier`: it concerns them, or they
/// filed it as a mandataire.
fn is_theirs(dossier: &StoredDossier, member_id: Uuid) -> bool {
    dossier.member_id == member_id || dossier.filed_by == Some(member_id)
}

impl Demarches {
    /// Opens a draft of procedure `code` for member `member_id` (the person concerned is
    /// chosen in the form when the procedure allows a beneficiary).
    ///
    /// # Errors
    /// [`DossierError::UnknownProcedure`], [`DossierError::NotFound`] for an unknown member.
    pub async fn open(&self, member_id: Uuid, code: &str) -> Result<Uuid, DossierError> {
        let shared = &self.shared;
        let definition = shared
            .catalogue
            .current(code)
            .ok_or(DossierError::UnknownProcedure)?;
        if !definition.allows(FilingFor::Myself) {
            return Err(DossierError::NotAllowed);
        }
        let member = members::find(&shared.db, member_id)
            .await?
            .ok_or(DossierError::NotFound)?;
        self.open_draft(&definition, &member, FiledAs::Member, None)
            .await
    }

    /// Opens a draft of procedure `code` for the member who gave procuration `procuration_id`
    /// to member `filer_id`.
    ///
    /// # Errors
    /// [`DossierError::NoProcuration`] when the procuration is not in force, does not name
    /// the filer, or the procedure is not one a procuration allows.
    pub async fn open_as_mandataire(
        &self,
        filer_id: Uuid,
        procuration_id: Uuid,
        code: &str,
    ) -> Result<Uuid, DossierError> {
        let shared = &self.shared;
        let definition = shared
            .catalogue
            .current(code)
            .ok_or(DossierError::UnknownProcedure)?;
        if !definition.allows(FilingFor::Mandate) {
            return Err(DossierError::NoProcuration);
        }
        let mandate = self
            .mandates(filer_id)
            .await?
            .into_iter()
            .find(|m| m.id == procuration_id)
            .ok_or(DossierError::NoProcuration)?;
        let procuration = procurations::find(&shared.db, mandate.id)
            .await?
            .ok_or(DossierError::NoProcuration)?;
        let mandant = members::find(&shared.db, procuration.member_id)
            .await?
            .ok_or(DossierError::NoProcuration)?;
        self.open_draft(&definition, &mandant, FiledAs::Mandataire, Some(filer_id))
            .await
    }

    /// The procurations in force that name member `member_id` as mandataire (their names and
    /// birth date match the member file).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn mandates(&self, member_id: Uuid) -> Result<Vec<Mandate>, DossierError> {
        let db = &self.shared.db;
        let Some(me) = members::find(db, member_id).await? else {
            return Ok(Vec::new());
        };
        let names = [
            folded_name(&me.last_name),
            me.usage_name
                .as_deref()
                .map(folded_name)
                .unwrap_or_default(),
        ];
        let mut mandates = Vec::new();
        for procuration in
            procurations::naming_born_on(db, me.birth_date, self.shared.today()).await?
        {
            let same = folded_name(&procuration.first_name) == folded_name(&me.first_name)
                && names.contains(&folded_name(&procuration.last_name))
                && procuration.member_id != member_id;
            if !same {
                continue;
            }
            if let Some(mandant) = members::find(db, procuration.member_id).await? {
                mandates.push(Mandate {
                    id: procuration.id,
                    mandant: mandant.display_name(),
                    valid_to: procuration.valid_to,
                });
            }
        }
        Ok(mandates)
    }

    async fn open_draft(
        &self,
        definition: &Definition,
        member: &MemberRecord,
        filed_as: FiledAs,
        filed_by: Option<Uuid>,
    ) -> Result<Uuid, DossierError> {
        let shared = &self.shared;
        let now = shared.now();
        let id = Uuid::new_v4();
        let tx = shared.db.begin().await?;
        store::insert(
            &tx,
            NewDossier {
                id,
                caisse: member.caisse_code,
                member_id: member.id,
                person_rank: 1,
                procedure: definition.code.clone(),
                version: definition.version,
                filed_as,
                filed_by,
                answers: Default::default(),
                expires_on: shared.today() + Duration::days(shared.settings.draft_days),
            },
            now,
        )
        .await?;
        let mut dossier = Shared::lock(&tx, id).await?;
        let actor = member_actor(filed_by.unwrap_or(member.id));
        chain::append(
            &tx,
            &mut dossier,
            Event::new(actor, DossierAction::Opened),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// How many of [`Demarches::dossiers`] wait for the member (drafts to finish, dossiers to
    /// complete), in one count: the menu's badge and the home page.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "demarches.waiting_count", skip_all, fields(%member_id))]
    pub async fn waiting_count(&self, member_id: Uuid) -> Result<u64, DossierError> {
        Ok(store::waiting_for_member(&self.shared.db, member_id).await?)
    }

    /// The dossiers concerning member `member_id` or filed by them for someone else, newest
    /// first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn dossiers(&self, member_id: Uuid) -> Result<Vec<DossierSummary>, DossierError> {
        let shared = &self.shared;
        let stored = store::of_member(&shared.db, member_id, 200).await?;
        let mut out = Vec::with_capacity(stored.len());
        let mut names = std::collections::HashMap::new();
        for dossier in stored {
            let Ok(definition) = shared.definition_of(&dossier) else {
                continue;
            };
            let key = (dossier.member_id, dossier.person_rank);
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(key) {
                let name = match members::find(&shared.db, dossier.member_id).await? {
                    Some(member) => family(&shared.db, &member)
                        .await?
                        .into_iter()
                        .find(|p| p.rank == dossier.person_rank)
                        .map_or_else(|| member.display_name(), |p| p.name),
                    None => String::new(),
                };
                slot.insert(name);
            }
            out.push(DossierSummary {
                id: dossier.id,
                reference: dossier_reference(dossier.id.as_u128()),
                procedure: dossier.procedure.clone(),
                title: definition.title.clone(),
                state: dossier.state,
                due_on: dossier.due_on,
                expires_on: dossier.expires_on,
                updated_at: dossier.updated_at,
                person: names.get(&key).cloned().unwrap_or_default(),
                for_mandant: dossier.filed_by == Some(member_id),
            });
        }
        Ok(out)
    }

    /// Dossier `id` as member `member_id` reads it.
    ///
    /// # Errors
    /// [`DossierError::NotFound`] for a missing dossier or someone else's.
    pub async fn dossier(&self, member_id: Uuid, id: Uuid) -> Result<DossierView, DossierError> {
        let shared = &self.shared;
        let dossier = store::find(&shared.db, id)
            .await?
            .filter(|d| is_theirs(d, member_id) && d.state != DossierState::Expired)
            .ok_or(DossierError::NotFound)?;
        shared.view(&shared.db, dossier).await
    }

    /// Saves step `step_id` of dossier `id` from the form's `raw` input: every field of a
    /// draft, only the flagged ones of a dossier to complete.
    ///
    /// # Errors
    /// [`DossierError::Invalid`] with one message per refused input (nothing saved),
    /// [`DossierError::WrongState`] for a filed dossier.
    pub async fn save_step(
        &self,
        member_id: Uuid,
        id: Uuid,
        step_id: &str,
        raw: &RawInput,
    ) -> Result<(), DossierError> {
        let shared = &self.shared;
        let now = shared.now();
        let tx = shared.db.begin().await?;
        let mut dossier = mine_locked(&tx, id, member_id).await?;
        let definition = shared.definition_of(&dossier)?;
        let flagged = match dossier.state {
            DossierState::Draft => None,
            DossierState::AwaitingCompletion => Some(
                dossier
                    .completion
                    .as_ref()
                    .map(|c| c.fields.clone())
                    .unwrap_or_default(),
            ),
            _ => return Err(DossierError::WrongState),
        };
        let member = members::find(&tx, dossier.member_id)
            .await?
            .ok_or(DossierError::NotFound)?;
        let ranks: Vec<u8> = family(&tx, &member).await?.iter().map(|p| p.rank).collect();
        let ranks = allowed_ranks(&definition, &ranks);
        let context = ParseContext {
            today: shared.today(),
            family_ranks: &ranks,
        };
        let (mut read, mut errors) =
            read_step_partly(&definition, step_id, raw, context, &dossier.answers);
        if let Some(fields) = &flagged {
            // Completing: only the flagged fields change; the others keep their answers.
            errors.retain(|e| fields.iter().any(|f| input_of(&e.input) == f.as_str()));
            let step = definition.step(step_id).ok_or(DossierError::NotFound)?;
            for field in &step.fields {
                if !fields.contains(&field.id) {
                    match dossier.answers.get(&field.id) {
                        Some(value) => read.insert(field.id.clone(), value.clone()),
                        None => read.remove(&field.id),
                    };
                }
            }
        }
        if !errors.is_empty() {
            return Err(DossierError::Invalid(errors));
        }
        let mut answers = dossier.answers.clone();
        merge_step(&definition, step_id, &mut answers, read);
        let state = dossier.state;
        let expires = (state == DossierState::Draft)
            .then(|| Some(shared.today() + Duration::days(shared.settings.draft_days)));
        let change = Change {
            answers: Some(answers),
            expires_on: expires,
            ..Change::default()
        };
        if !store::apply(&tx, id, state, state, change, now).await? {
            return Err(DossierError::Conflict);
        }
        let event = Event::new(member_actor(member_id), DossierAction::Saved)
            .details(serde_json::json!({ "step": step_id }));
        chain::append(&tx, &mut dossier, event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds `uploads` to files field `field_id` of dossier `id`, each checked as a message
    /// attachment is (kind by content, size, count, metadata stripped).
    ///
    /// # Errors
    /// [`DossierError::Files`] with one message per refused file (none stored),
    /// [`DossierError::WrongState`] when the field cannot change now.
    pub async fn add_pieces(
        &self,
        member_id: Uuid,
        id: Uuid,
        field_id: &str,
        uploads: Vec<PieceUpload>,
    ) -> Result<(), DossierError> {
        let shared = &self.shared;
        let view = self.dossier(member_id, id).await?;
        let field = view
            .definition
            .field(field_id)
            .filter(|f| f.kind.is_files())
            .ok_or(DossierError::NotFound)?
            .clone();
        if !view.editable(&field.id) {
            return Err(DossierError::WrongState);
        }
        let FieldKind::Files {
            max_count,
            identity_document,
        } = field.kind
        else {
            return Err(DossierError::NotFound);
        };
        let already = view.pieces.iter().filter(|p| p.field == field.id).count();
        if uploads.is_empty() {
            return Err(DossierError::Files(vec![FormProblem::new(
                "files",
                "Choisissez un fichier à joindre.",
            )]));
        }
        if already + uploads.len() > max_count {
            return Err(DossierError::Files(vec![FormProblem::new(
                "files",
                format!("Joignez au plus {max_count} fichiers pour ce justificatif."),
            )]));
        }
        let limits = shared.settings.attachments;
        let checked = shared
            .file_pool
            .run(move || {
                uploads
                    .into_iter()
                    .map(|upload| {
                        crate::messaging::check_one_file(&limits, &upload.name, upload.bytes)
                            .map_err(|e| {
                                FormProblem::new("files", e.message_fr(&shown_name(&upload.name)))
                            })
                    })
                    .collect::<Vec<_>>()
            })
            .await
            .map_err(|e| crate::CoreError::Task(e.to_string()))?;
        let problems: Vec<FormProblem> = checked
            .iter()
            .filter_map(|r| r.as_ref().err().cloned())
            .collect();
        if !problems.is_empty() {
            return Err(DossierError::Files(problems));
        }
        let now = shared.now();
        let files = checked
            .into_iter()
            .flatten()
            .map(|file| (field.id.clone(), identity_document, file))
            .collect();
        let written = shared
            .write_pieces((id, view.member_id), files, now)
            .await?;
        let recorded = async {
            let tx = shared.db.begin().await?;
            let mut dossier = mine_locked(&tx, id, member_id).await?;
            if dossier.state != view.state {
                return Err(DossierError::Conflict);
            }
            for piece in &written {
                pieces::insert(&tx, piece).await?;
            }
            let event = Event::new(member_actor(member_id), DossierAction::PieceAdded)
                .details(serde_json::json!({ "field": field.id.as_str(), "count": written.len() }));
            chain::append(&tx, &mut dossier, event, now).await?;
            tx.commit().await?;
            Ok::<(), DossierError>(())
        }
        .await;
        if recorded.is_err() {
            shared.forget(&written).await;
        }
        recorded
    }

    /// Removes file `piece_id` from dossier `id` while the member may still change its field.
    ///
    /// # Errors
    /// [`DossierError::NotFound`], [`DossierError::WrongState`].
    pub async fn remove_piece(
        &self,
        member_id: Uuid,
        id: Uuid,
        piece_id: Uuid,
    ) -> Result<(), DossierError> {
        let shared = &self.shared;
        let view = self.dossier(member_id, id).await?;
        let piece = view
            .pieces
            .iter()
            .find(|p| p.id == piece_id)
            .ok_or(DossierError::NotFound)?;
        if !view.editable(&piece.field) {
            return Err(DossierError::WrongState);
        }
        let now = shared.now();
        let tx = shared.db.begin().await?;
        let mut dossier = mine_locked(&tx, id, member_id).await?;
        let removed = pieces::remove(&tx, id, piece_id)
            .await?
            .ok_or(DossierError::NotFound)?;
        let event = Event::new(member_actor(member_id), DossierAction::PieceRemoved)
            .details(serde_json::json!({ "field": removed.field.as_str() }));
        chain::append(&tx, &mut dossier, event, now).await?;
        tx.commit().await?;
        shared.forget(&[removed]).await;
        Ok(())
    }

    /// The bytes of file `piece_id` of dossier `id`: (name, kind, bytes).
    ///
    /// # Errors
    /// [`DossierError::NotFound`] for a missing or erased file.
    pub async fn piece_file(
        &self,
        member_id: Uuid,
        id: Uuid,
        piece_id: Uuid,
    ) -> Result<(String, caisse_domain::messaging::AttachmentKind, Vec<u8>), DossierError> {
        let shared = &self.shared;
        store::find(&shared.db, id)
            .await?
            .filter(|d| is_theirs(d, member_id))
            .ok_or(DossierError::NotFound)?;
        shared.piece_bytes(id, piece_id).await
    }

    /// Files dossier `id`: every required answer and file given, it is routed to its team
    /// with its due date, and the member is told. A procedure decided without an advisor
    /// (carte Vitale lost, CEAM, procuration) is accepted at once and its effect applied.
    ///
    /// # Errors
    /// [`DossierError::Incomplete`] with one message per missing answer or file,
    /// [`DossierError::NotAllowed`] for a person the procedure may not be filed for.
    pub async fn submit(&self, member_id: Uuid, id: Uuid) -> Result<(), DossierError> {
        let shared = &self.shared;
        let now = shared.now();
        let tx = shared.db.begin().await?;
        let mut dossier = mine_locked(&tx, id, member_id).await?;
        Shared::next(&dossier, Move::Submit)?;
        let definition = shared.definition_of(&dossier)?;
        let stored_pieces = pieces::of_dossier(&tx, id).await?;
        complete_enough(&definition, &dossier.answers, &file_counts(&stored_pieces))?;
        let person_rank = person_of(&definition, &dossier)?;
        let actor = member_actor(member_id);
        shared
            .file_in(
                &tx,
                &mut dossier,
                &definition,
                actor,
                Some(person_rank),
                now,
            )
            .await?;
        if definition.automatic {
            shared
                .decide_in(
                    &tx,
                    &mut dossier,
                    &definition,
                    super::Decision::Accept,
                    Vec::new(),
                    (ActorKind::System, None),
                    now,
                )
                .await?;
        } else {
            shared.notify(&tx, &dossier, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sends back dossier `id` once the member completed what was flagged: instruction
    /// resumes and the due date moves by the time it waited.
    ///
    /// # Errors
    /// [`DossierError::WrongState`] when nothing was asked, [`DossierError::Incomplete`]
    /// when a flagged file is still missing or a required answer empty.
    pub async fn complete(&self, member_id: Uuid, id: Uuid) -> Result<(), DossierError> {
        let shared = &self.shared;
        let now = shared.now();
        let tx = shared.db.begin().await?;
        let mut dossier = mine_locked(&tx, id, member_id).await?;
        let next = Shared::next(&dossier, Move::Complete)?;
        let definition = shared.definition_of(&dossier)?;
        let stored_pieces = pieces::of_dossier(&tx, id).await?;
        complete_enough(&definition, &dossier.answers, &file_counts(&stored_pieces))?;
        let due_on = match (dossier.due_on, dossier.paused_on) {
            (Some(due), Some(paused)) => Some(caisse_domain::demarches::delay::resume(
                definition.delay.unit,
                zone_of(dossier.caisse),
                due,
                paused,
                shared.today(),
            )),
            (due, _) => due,
        };
        let change = Change {
            due_on: Some(due_on),
            paused_on: Some(None),
            completion: Some(None),
            ..Change::default()
        };
        if !store::apply(&tx, id, dossier.state, next, change, now).await? {
            return Err(DossierError::Conflict);
        }
        let event = Event::new(member_actor(member_id), DossierAction::Completed)
            .moved(dossier.state, next);
        chain::append(&tx, &mut dossier, event, now).await?;
        dossier.state = next;
        shared.notify(&tx, &dossier, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Cancels dossier `id`: a draft, or a filed dossier no advisor took yet.
    ///
    /// # Errors
    /// [`DossierError::WrongState`] once instruction started.
    pub async fn cancel(&self, member_id: Uuid, id: Uuid) -> Result<(), DossierError> {
        let shared = &self.shared;
        let now = shared.now();
        let tx = shared.db.begin().await?;
        let mut dossier = mine_locked(&tx, id, member_id).await?;
        let next = Shared::next(&dossier, Move::Cancel)?;
        if !store::apply(&tx, id, dossier.state, next, Change::default(), now).await? {
            return Err(DossierError::Conflict);
        }
        let event = Event::new(member_actor(member_id), DossierAction::Cancelled)
            .moved(dossier.state, next);
        chain::append(&tx, &mut dossier, event, now).await?;
        dossier.state = next;
        shared.notify(&tx, &dossier, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Dossier `id`, locked, if member `member_id` may act on it.
async fn mine_locked<C: ConnectionTrait>(
    tx: &C,
    id: Uuid,
    member_id: Uuid,
) -> Result<StoredDossier, DossierError> {
    let dossier = Shared::lock(tx, id)
        .await
        .map_err(|_| DossierError::NotFound)?;
    if is_theirs(&dossier, member_id) && dossier.state != DossierState::Expired {
        Ok(dossier)
    } else {
        Err(DossierError::NotFound)
    }
}

/// The field an input belongs to: `adresse.code_postal` → `adresse`.
fn input_of(input: &str) -> &str {
    input.split('.').next().unwrap_or(input)
}

/// The ranks a « person of the family » may take: everyone when the procedure allows a
/// beneficiary, the member alone otherwise.
fn allowed_ranks(definition: &Definition, family: &[u8]) -> Vec<u8> {
    if definition.allows(FilingFor::Beneficiary) {
        family.to_vec()
    } else {
        vec![1]
    }
}

/// The person concerned: the first « person of the family » answer, else the member.
fn person_of(definition: &Definition, dossier: &StoredDossier) -> Result<u8, DossierError> {
    let rank = definition
        .fields()
        .filter(|f| f.kind == FieldKind::FamilyMember)
        .find_map(|f| match dossier.answers.get(&f.id) {
            Some(AnswerValue::FamilyMember(rank)) => Some(*rank),
            _ => None,
        })
        .unwrap_or(1);
    if rank != 1 && !definition.allows(FilingFor::Beneficiary) {
        return Err(DossierError::NotAllowed);
    }
    Ok(rank)
}

/// [`DossierError::Incomplete`] with one message per required answer or file missing.
pub(super) fn complete_enough(
    definition: &Definition,
    answers: &caisse_domain::demarches::Answers,
    files: &std::collections::BTreeMap<caisse_domain::demarches::FieldId, usize>,
) -> Result<(), DossierError> {
    let missing = unanswered(definition, answers, files);
    if missing.is_empty() {
        return Ok(());
    }
    Err(DossierError::Incomplete(
        missing
            .into_iter()
            .map(|(field, message)| FieldError {
                input: field.id.as_str().to_owned(),
                message_fr: message,
            })
            .collect(),
    ))
}

/// A file checked and rewritten, for a field: (kind, sanitised name, bytes).
pub(super) type CheckedFile = (
    caisse_domain::messaging::AttachmentKind,
    caisse_domain::messaging::FileName,
    Vec<u8>,
);

impl Shared {
    /// Files draft `dossier` in the caller's transaction: routed to its procedure's team of
    /// the fund, its due date from today on the fund's calendar, the event in its history.
    pub(super) async fn file_in<C: ConnectionTrait>(
        &self,
        tx: &C,
        dossier: &mut StoredDossier,
        definition: &Definition,
        actor: (ActorKind, Option<Uuid>),
        person_rank: Option<u8>,
        now: caisse_domain::Instant,
    ) -> Result<(), DossierError> {
        let next = Shared::next(dossier, Move::Submit)?;
        let due_on = definition
            .delay
            .due_on(zone_of(dossier.caisse), self.today());
        let team_id = match definition
            .team
            .as_deref()
            .and_then(|c| caisse_domain::messaging::TeamCode::parse(c).ok())
        {
            Some(code) => teams::by_code(tx, dossier.caisse, &code)
                .await?
                .map(|t| t.id),
            None => None,
        };
        let change = Change {
            submitted_at: Some(now),
            due_on: Some(Some(due_on)),
            team_id: Some(team_id),
            expires_on: Some(None),
            person_rank,
            ..Change::default()
        };
        if !store::apply(tx, dossier.id, dossier.state, next, change, now).await? {
            return Err(DossierError::Conflict);
        }
        let event = Event::new(actor, DossierAction::Submitted)
            .moved(dossier.state, next)
            .details(serde_json::json!({ "due_on": due_on.to_string() }));
        chain::append(tx, dossier, event, now).await?;
        dossier.state = next;
        dossier.due_on = Some(due_on);
        if let Some(rank) = person_rank {
            dossier.person_rank = rank;
        }
        Ok(())
    }

    /// Writes `files` to the file store as pieces of dossier `dossier_id`; if one write
    /// fails, those written before it are deleted and nothing is left behind.
    pub(super) async fn write_pieces(
        &self,
        (dossier_id, member_id): (Uuid, Uuid),
        files: Vec<(caisse_domain::demarches::FieldId, bool, CheckedFile)>,
        now: caisse_domain::Instant,
    ) -> Result<Vec<Piece>, DossierError> {
        let mut written = Vec::new();
        for (field, identity_document, (kind, file_name, bytes)) in files {
            let key = FileKey::new_attachment();
            let size_bytes = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
            if let Err(error) = self.files.put(&key, bytes).await {
                self.forget(&written).await;
                return Err(crate::CoreError::from(error).into());
            }
            written.push(Piece {
                id: Uuid::new_v4(),
                dossier_id,
                member_id,
                field,
                file: caisse_store::attachments::NewAttachment {
                    file_name,
                    kind,
                    size_bytes,
                    storage_key: key.as_str().to_owned(),
                },
                identity_document,
                uploaded_at: now,
                erased_at: None,
            });
        }
        Ok(written)
    }

    /// Deletes files written for pieces that were not recorded (or were removed).
    pub(super) async fn forget(&self, written: &[Piece]) {
        for piece in written {
            let key = FileKey::from_stored(piece.file.storage_key.clone());
            if let Err(error) = self.files.delete(&key).await {
                tracing::warn!(piece = %piece.id, %error, "a dossier's file could not be deleted");
            }
        }
    }

    /// The bytes of piece `piece_id` of dossier `dossier_id`, unless erased.
    pub(super) async fn piece_bytes(
        &self,
        dossier_id: Uuid,
        piece_id: Uuid,
    ) -> Result<(String, caisse_domain::messaging::AttachmentKind, Vec<u8>), DossierError> {
        let piece = pieces::of_dossier(&self.db, dossier_id)
            .await?
            .into_iter()
            .find(|p| p.id == piece_id && p.erased_at.is_none())
            .ok_or(DossierError::NotFound)?;
        let bytes = self
            .files
            .get(&FileKey::from_stored(piece.file.storage_key.clone()))
            .await
            .map_err(crate::CoreError::from)?;
        Ok((
            piece.file.file_name.as_str().to_owned(),
            piece.file.kind,
            bytes,
        ))
    }
}

/// A procuration the member gave, as listed.
#[derive(Clone)]
pub struct GivenProcuration {
    /// Id.
    pub id: Uuid,
    /// The mandataire's name.
    pub mandataire: String,
    /// First day.
    pub valid_from: time::Date,
    /// Last day.
    pub valid_to: time::Date,
    /// Revoked, or past its last day.
    pub ended: bool,
}

debug_fields!(GivenProcuration {
    id,
    valid_to,
    ended
});

impl Demarches {
    /// The procurations member `member_id` gave, newest first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn procurations(
        &self,
        member_id: Uuid,
    ) -> Result<Vec<GivenProcuration>, DossierError> {
        let today = self.shared.today();
        Ok(procurations::given_by(&self.shared.db, member_id)
            .await?
            .into_iter()
            .map(|p| GivenProcuration {
                id: p.id,
                mandataire: format!("{} {}", p.first_name, p.last_name),
                valid_from: p.valid_from,
                valid_to: p.valid_to,
                ended: p.revoked_at.is_some() || p.valid_to < today,
            })
            .collect())
    }

    /// Revokes procuration `id` of member `member_id` at once; audited.
    ///
    /// # Errors
    /// [`DossierError::NotFound`] for someone else's or one revoked already.
    pub async fn revoke_procuration(
        &self,
        member_id: Uuid,
        id: Uuid,
        context: &crate::audit::RequestContext,
    ) -> Result<(), DossierError> {
        let shared = &self.shared;
        let now = shared.now();
        let tx = shared.db.begin().await?;
        if !procurations::revoke(&tx, member_id, id, now).await? {
            return Err(DossierError::NotFound);
        }
        crate::audit::record(
            &tx,
            context,
            crate::audit::Actor::Member(member_id),
            caisse_domain::AuditAction::MemberProcurationRevoked,
            Some(("procuration", id)),
            serde_json::json!({}),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
