//! Procedures a person may file without an account (« Mes remboursements simplifiés » for
//! transport costs): one form holding the filer's identity, every step's answers and the
//! files, checked against the member file. Nothing is written unless the identity matches;
//! the answer costs the same work either way (everything is parsed and checked, the member
//! file read once), and attempts are counted per NIR before the check, as logins are.

use std::collections::BTreeMap;

use caisse_domain::demarches::answers::parse_date;
use caisse_domain::demarches::answers::{ParseContext, merge_step, read_step_partly};
use caisse_domain::demarches::{
    DossierAction, FieldError, FieldId, FieldKind, FiledAs, RawInput, dossier_reference,
};
use caisse_domain::messaging::shown_name;
use caisse_domain::{ActorKind, LockoutPolicy, Nir, Release};
use caisse_store::dossiers::pieces;
use caisse_store::dossiers::{self as store, NewDossier};
use caisse_store::{TransactionTrait, members};
use uuid::Uuid;

use super::chain::{self, Event};
use super::errors::DossierError;
use super::member::PieceUpload;
use super::service::{Demarches, Shared, folded_name};
use crate::lockout;
use crate::tokens::token_digest;

/// The identity a public form asks for, as typed.
pub struct PublicIdentity {
    /// The NIR.
    pub nir: String,
    /// The last name (birth or usage).
    pub last_name: String,
    /// The birth date.
    pub birth_date: String,
}

impl std::fmt::Debug for PublicIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicIdentity")
    }
}

/// The inputs of the identity, as named in forms and errors.
pub const IDENTITY_NIR: &str = "identite.nir";
/// See [`IDENTITY_NIR`].
pub const IDENTITY_LAST_NAME: &str = "identite.nom";
/// See [`IDENTITY_NIR`].
pub const IDENTITY_BIRTH_DATE: &str = "identite.date_naissance";

impl Demarches {
    /// Files procedure `code`, which must allow filing without an account, for the member
    /// `identity` names: answers of every step in `raw`, files by field. Returns the
    /// dossier's reference.
    ///
    /// # Errors
    /// [`DossierError::Invalid`] / [`DossierError::Files`] / [`DossierError::Incomplete`]
    /// for the form; [`DossierError::IdentityNotFound`] when no member file matches (nothing
    /// written); [`DossierError::Locked`] after too many attempts on one NIR;
    /// [`DossierError::UnknownProcedure`] for a procedure not offered without an account.
    pub async fn file_public(
        &self,
        code: &str,
        identity: &PublicIdentity,
        raw: &RawInput,
        files: Vec<(String, PieceUpload)>,
    ) -> Result<String, DossierError> {
        let shared = &self.shared;
        let definition = shared
            .catalogue
            .current(code)
            .filter(|d| d.public)
            .ok_or(DossierError::UnknownProcedure)?;
        let today = shared.today();
        let mut errors = Vec::new();
        let nir = Nir::parse(&identity.nir)
            .map_err(|e| {
                errors.push(FieldError {
                    input: IDENTITY_NIR.into(),
                    message_fr: e.message_fr().into(),
                })
            })
            .ok();
        let last_name = identity.last_name.trim();
        if last_name.is_empty() {
            errors.push(FieldError {
                input: IDENTITY_LAST_NAME.into(),
                message_fr: "Saisissez votre nom.".into(),
            });
        }
        let birth_date = parse_date(&identity.birth_date).filter(|d| *d <= today);
        if birth_date.is_none() {
            errors.push(FieldError {
                input: IDENTITY_BIRTH_DATE.into(),
                message_fr: "Saisissez votre date de naissance, par exemple 14/03/1980.".into(),
            });
        }
        // Every step's answers, as one form: the person concerned is the filer.
        let context = ParseContext {
            today,
            family_ranks: &[1],
        };
        let mut answers = caisse_domain::demarches::Answers::new();
        for step in &definition.steps {
            let (read, step_errors) =
                read_step_partly(&definition, step.id.as_str(), raw, context, &answers);
            errors.extend(step_errors);
            merge_step(&definition, step.id.as_str(), &mut answers, read);
        }
        // The files, checked as attachments are.
        let limits = shared.settings.attachments;
        let mut counts: BTreeMap<FieldId, usize> = BTreeMap::new();
        let mut accepted = Vec::new();
        let mut file_problems = Vec::new();
        for (field, upload) in files {
            let Some(target) = definition.field(&field).filter(|f| f.kind.is_files()) else {
                continue;
            };
            let FieldKind::Files {
                max_count,
                identity_document,
            } = target.kind
            else {
                continue;
            };
            let count = counts.entry(target.id.clone()).or_insert(0);
            *count += 1;
            if *count > max_count {
                file_problems.push(crate::accounts::FormProblem::new(
                    "files",
                    format!("Joignez au plus {max_count} fichiers pour ce justificatif."),
                ));
                continue;
            }
            let name = upload.name.clone();
            let id = target.id.clone();
            let checked = shared
                .file_pool
                .run(move || crate::messaging::check_one_file(&limits, &upload.name, upload.bytes))
                .await
                .map_err(|e| crate::CoreError::Task(e.to_string()))?;
            match checked {
                Ok(file) => accepted.push((id, identity_document, file)),
                Err(error) => file_problems.push(crate::accounts::FormProblem::new(
                    "files",
                    error.message_fr(&shown_name(&name)),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(DossierError::Invalid(errors));
        }
        if !file_problems.is_empty() {
            return Err(DossierError::Files(file_problems));
        }
        super::member::complete_enough(&definition, &answers, &counts)?;
        let (Some(nir), Some(birth_date)) = (nir, birth_date) else {
            return Err(DossierError::Invalid(Vec::new()));
        };
        // Counted before the check, on every node, as a login is.
        let policy = LockoutPolicy::default();
        let key = token_digest(&format!("public-filing:{}", nir.as_str()));
        let reserved = lockout::reserve(&shared.db, &policy, &key, shared.now())
            .await
            .map_err(|refusal| match refusal {
                lockout::Refusal::Locked { .. } => DossierError::Locked,
                lockout::Refusal::Core(error) => DossierError::Core(error),
            })?;
        let member = members::find_by_nir(&shared.db, &nir).await?;
        let matches = member.as_ref().is_some_and(|m| {
            m.birth_date == birth_date
                && (folded_name(&m.last_name) == folded_name(last_name)
                    || m.usage_name
                        .as_deref()
                        .is_some_and(|u| folded_name(u) == folded_name(last_name)))
        });
        let Some(member) = member.filter(|_| matches) else {
            return Err(DossierError::IdentityNotFound);
        };
        let now = shared.now();
        let id = Uuid::new_v4();
        let written = shared.write_pieces((id, member.id), accepted, now).await?;
        let recorded = async {
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
                    filed_as: FiledAs::Public,
                    filed_by: None,
                    answers: answers.clone(),
                    expires_on: today,
                },
                now,
            )
            .await?;
            let mut dossier = Shared::lock(&tx, id).await?;
            let actor = (ActorKind::Anonymous, None);
            chain::append(
                &tx,
                &mut dossier,
                Event::new(actor, DossierAction::Opened),
                now,
            )
            .await?;
            for piece in &written {
                pieces::insert(&tx, piece).await?;
            }
            shared
                .file_in(&tx, &mut dossier, &definition, actor, None, now)
                .await?;
            lockout::release(&tx, &policy, &reserved, Release::Success, now).await?;
            shared.notify(&tx, &dossier, now).await?;
            tx.commit().await?;
            Ok::<(), DossierError>(())
        }
        .await;
        if let Err(error) = recorded {
            shared.forget(&written).await;
            return Err(error);
        }
        Ok(dossier_reference(id.as_u128()))
    }
}
