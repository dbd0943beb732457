//! Issuing and verifying attestations.

use caisse_domain::AuditAction;
use std::sync::Arc;

use caisse_domain::paris_time::paris_time;
use caisse_domain::rights::attestation_validity;
use caisse_domain::{AttestationCode, AttestationCodeError, Fund, Instant, attestation_code};
use caisse_store::attestations::{self, Attestation, NewAttestation};
use caisse_store::{Db, TransactionTrait};
use serde_json::json;
use time::Date;
use uuid::Uuid;

use super::printable::Print;
use super::seal::{self, AttestationKeys};
use super::statement::{AttestationKind, Statement, StatementPerson};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::blocking::BlockingPool;
use crate::clock::Clock;
use crate::rights::{self, CoveredPerson, FamilyRights};

/// Audit action of an issued attestation.
pub const AUDIT_ISSUED: AuditAction = AuditAction::MemberAttestationIssued;
/// Children under this age are on a parent's carte Vitale (domain.md §2.1).
const OWN_CARD_AGE: i32 = 16;

/// What the service needs to know about the deployment.
#[derive(Clone, Debug)]
pub struct AttestationSettings {
    /// Public base URL: the verification page is `{base_url}/verifier`.
    pub base_url: String,
    /// The fund's phone number, printed in the letterhead.
    pub phone: String,
    /// The letterhead's name when a member's fund code does not resolve.
    pub fallback_fund_name: String,
}

impl Default for AttestationSettings {
    fn default() -> Self {
        AttestationSettings {
            base_url: "http://127.0.0.1:8080".to_owned(),
            phone: "36 46".to_owned(),
            fallback_fund_name: "Votre caisse d'assurance maladie".to_owned(),
        }
    }
}

/// Whom an attestation covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Beneficiary {
    /// The insured person and every ayant droit.
    Family,
    /// One person: the member's id for the insured person, a beneficiary's id otherwise.
    Person(Uuid),
}

/// What the member asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttestationRequest {
    /// Droits or carte Vitale.
    pub kind: AttestationKind,
    /// Whom it covers (a carte Vitale attestation is the insured person's card).
    pub who: Beneficiary,
    /// With the complementary mentions (exemptions, régime local, C2S); a carte Vitale
    /// attestation always has them: the card carries them.
    pub mentions: bool,
}

/// An issued attestation, ready to download.
pub struct IssuedAttestation {
    /// Its short code.
    pub code: AttestationCode,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// A file name for the download: `attestation-droits-2026-11-22.pdf`.
    pub file_name: String,
}

impl std::fmt::Debug for IssuedAttestation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedAttestation")
            .field("code", &self.code)
            .field("bytes", &self.pdf.len())
            .finish()
    }
}

/// Why an attestation was not issued.
#[derive(Debug, thiserror::Error)]
pub enum AttestationError {
    /// No such member, or no such person in the member's family (another member's
    /// beneficiary reads the same as a missing one).
    #[error("not found")]
    NotFound,
    /// The member file holds no coverage in force today.
    #[error("no open rights today")]
    NoOpenRights,
    /// Unexpected.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// A person the member may ask an attestation for.
#[derive(Clone)]
pub struct ChoicePerson {
    /// What to ask with ([`Beneficiary::Person`]).
    pub id: Uuid,
    /// 1 for the insured person.
    pub rank: i16,
    /// As printed.
    pub name: String,
    /// Birth date.
    pub birth_date: Date,
}

debug_fields!(ChoicePerson { id, rank });

/// What the member can ask for.
#[derive(Clone, Debug)]
pub struct AttestationChoices {
    /// The insured person first, then the ayants droit.
    pub people: Vec<ChoicePerson>,
    /// Rights are open today: an attestation can be issued.
    pub open_today: bool,
}

/// What a verification found: only what the attestation itself shows.
#[derive(Clone, Debug)]
pub struct VerifiedAttestation {
    /// The signed statement.
    pub statement: Statement,
    /// The name of its fund.
    pub fund_name: String,
    /// Today falls within the attested period and the member file still covers the family.
    pub open_today: bool,
}

/// The answer of a verification.
#[derive(Clone, Debug)]
pub enum VerificationOutcome {
    /// Signed by one of our keys, unchanged.
    Authentic(Box<VerifiedAttestation>),
    /// Changed, signed by another key, or not issued by us.
    NotAuthentic,
}

/// The answer of the verification of a file.
#[derive(Clone, Debug)]
pub enum FileVerification {
    /// Not a PDF that parses: nothing was verified.
    NotPdf,
    /// A PDF whose keywords hold no signed statement (a scan, another document).
    NoStatement,
    /// The signed statement of the PDF's keywords, verified. Only that statement: the rest
    /// of the file (its text, its layout) may have been changed.
    Statement(VerificationOutcome),
}

impl FileVerification {
    /// The outcome, when a statement was found.
    pub fn outcome(self) -> Option<VerificationOutcome> {
        match self {
            FileVerification::Statement(outcome) => Some(outcome),
            FileVerification::NotPdf | FileVerification::NoStatement => None,
        }
    }
}

/// Issues and verifies attestations.
#[derive(Clone)]
pub struct AttestationService {
    db: Db,
    clock: Arc<dyn Clock>,
    keys: Arc<AttestationKeys>,
    settings: Arc<AttestationSettings>,
    file_pool: BlockingPool,
}

fn random_code() -> Result<AttestationCode, CoreError> {
    let mut bytes = [0u8; attestation_code::RANDOM_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(AttestationCode::from_random(bytes))
}

fn age_on(birth: Date, day: Date) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

impl AttestationService {
    /// The service, signing with the first of `keys`.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        keys: Arc<AttestationKeys>,
        settings: AttestationSettings,
    ) -> AttestationService {
        AttestationService {
            db,
            clock,
            keys,
            settings: Arc::new(settings),
            file_pool: BlockingPool::new(1),
        }
    }

    /// The service parsing uploaded PDFs on `pool` (shared with the messaging's files, so one
    /// bound holds for the node).
    #[must_use]
    pub fn with_file_pool(mut self, pool: BlockingPool) -> AttestationService {
        self.file_pool = pool;
        self
    }

    /// The keys (their public halves are published).
    pub fn keys(&self) -> &AttestationKeys {
        &self.keys
    }

    fn today(&self) -> Date {
        paris_time(self.clock.now()).date()
    }

    fn base_url(&self) -> &str {
        self.settings.base_url.trim_end_matches('/')
    }

    /// Whom the member may ask an attestation for, and whether their rights are open today.
    ///
    /// # Errors
    /// [`AttestationError::NotFound`] for an unknown member.
    #[tracing::instrument(name = "attestations.choices", skip_all, fields(%member_id))]
    pub async fn choices(&self, member_id: Uuid) -> Result<AttestationChoices, AttestationError> {
        let family = rights::load(&self.db, member_id)
            .await?
            .ok_or(AttestationError::NotFound)?;
        Ok(AttestationChoices {
            open_today: family.coverage_on(self.today()).is_some(),
            people: family
                .people
                .iter()
                .map(|p| ChoicePerson {
                    id: p.id,
                    rank: p.rank,
                    name: p.printed_name(),
                    birth_date: p.birth_date,
                })
                .collect(),
        })
    }

    /// Issues an attestation: reads the member's rights, signs the statement, renders the PDF,
    /// then records it with its audit event in one transaction.
    ///
    /// # Errors
    /// [`AttestationError::NotFound`] for a person outside the member's family,
    /// [`AttestationError::NoOpenRights`] when no coverage is in force today.
    #[tracing::instrument(
        name = "attestations.issue",
        skip_all,
        fields(%member_id, kind = ?request.kind)
    )]
    pub async fn issue(
        &self,
        member_id: Uuid,
        request: AttestationRequest,
        context: &RequestContext,
    ) -> Result<IssuedAttestation, AttestationError> {
        let now = self.clock.now();
        let today = paris_time(now).date();
        let family = rights::load(&self.db, member_id)
            .await?
            .ok_or(AttestationError::NotFound)?;
        let people = people_of(&family, request, today)?;
        let coverage = family
            .coverage_on(today)
            .ok_or(AttestationError::NoOpenRights)?;
        let validity =
            attestation_validity(today, &coverage.period).ok_or(AttestationError::NoOpenRights)?;
        let statement = Statement {
            kind: request.kind,
            code: random_code()?,
            issued_at: now,
            caisse: coverage.caisse,
            regime: coverage.regime,
            code_gestion: coverage.code_gestion,
            valid_from: validity.from(),
            valid_to: validity.to().unwrap_or(validity.from()),
            nir: family.nir.clone(),
            insured_name: family.insured().printed_name(),
            people: people
                .iter()
                .map(|p| StatementPerson {
                    rank: u8::try_from(p.rank).unwrap_or(0),
                    name: p.printed_name(),
                    birth_date: p.birth_date,
                })
                .collect(),
        };
        let sealed = self.keys.seal(&statement).map_err(CoreError::from)?;
        let printable = Print {
            family: &family,
            people: &people,
            statement: &statement,
            sealed: sealed.clone(),
            mentions: request.mentions || request.kind == AttestationKind::CarteVitale,
            sender: crate::letterhead::sender(
                coverage.caisse.as_str(),
                &self.settings.fallback_fund_name,
                &self.settings.phone,
                self.base_url(),
            ),
            verify_url: format!("{}/verifier", self.base_url()),
            base_url: self.base_url(),
            issued_on: today,
        }
        .attestation();
        // Rendering is CPU work (a few milliseconds): off the async workers.
        let pdf = tokio::task::spawn_blocking(move || caisse_pdf::render_attestation(&printable))
            .await
            .map_err(|e| CoreError::Task(e.to_string()))?
            .map_err(CoreError::from)?;

        let txn = self.db.begin().await.map_err(CoreError::from)?;
        attestations::insert(
            &txn,
            NewAttestation {
                code: statement.code.clone(),
                member_id,
                kind: statement.kind,
                key_id: self.keys.signing_key_id().to_owned(),
                sealed,
                issued_at: Instant::from(now),
                valid_from: statement.valid_from,
                valid_to: statement.valid_to,
            },
        )
        .await
        .map_err(CoreError::from)?;
        audit::record(
            &txn,
            context,
            Actor::Member(member_id),
            AUDIT_ISSUED,
            Some(("member", member_id)),
            json!({
                "code": statement.code.as_str(),
                "kind": statement.kind.code(),
                "people": statement.people.len(),
                "mentions": printable_mentions(request),
            }),
            now,
        )
        .await?;
        txn.commit().await.map_err(CoreError::from)?;
        metrics::counter!("caisse_attestations_issued_total", "kind" => statement.kind.code())
            .increment(1);
        Ok(IssuedAttestation {
            file_name: format!(
                "attestation-{}-{}.pdf",
                statement.kind.code().replace('_', "-"),
                today
            ),
            code: statement.code,
            pdf,
        })
    }

    /// Verifies the short code typed from an attestation.
    ///
    /// # Errors
    /// The typing mistake, when the code is malformed (the form says which).
    #[tracing::instrument(name = "attestations.verify_code", skip_all)]
    pub async fn verify_code(
        &self,
        typed: &str,
    ) -> Result<Result<VerificationOutcome, CoreError>, AttestationCodeError> {
        let code = AttestationCode::parse(typed)?;
        Ok(self.verify_recorded(&code).await)
    }

    async fn verify_recorded(
        &self,
        code: &AttestationCode,
    ) -> Result<VerificationOutcome, CoreError> {
        let Some(record) = attestations::find_by_code(&self.db, code).await? else {
            return Ok(self.count(VerificationOutcome::NotAuthentic));
        };
        // The stored text is checked like a pasted one: a row changed in the database without
        // the key is refused too. The row is already read: no second lookup by code.
        self.verify_text(&record.sealed, Some(&record)).await
    }

    /// Verifies the text of a QR code (`CAISSE-ATT1:…`), pasted or scanned.
    ///
    /// # Errors
    /// When the database fails.
    #[tracing::instrument(name = "attestations.verify_sealed", skip_all)]
    pub async fn verify_sealed(&self, text: &str) -> Result<VerificationOutcome, CoreError> {
        self.verify_text(text, None).await
    }

    /// [`Self::verify_sealed`], given the recorded row when the caller has already read it.
    async fn verify_text(
        &self,
        text: &str,
        known: Option<&Attestation>,
    ) -> Result<VerificationOutcome, CoreError> {
        let Ok(statement) = self.keys.verify(text) else {
            return Ok(self.count(VerificationOutcome::NotAuthentic));
        };
        let today = self.today();
        let mut open_today = statement.valid_from <= today && today <= statement.valid_to;
        let member_id = match known {
            Some(record) if record.code == statement.code => Some(record.member_id),
            _ if open_today => attestations::find_by_code(&self.db, &statement.code)
                .await?
                .map(|record| record.member_id),
            _ => None,
        };
        if open_today && let Some(member_id) = member_id {
            // Rights may have ended since the attestation was issued.
            open_today = rights::load(&self.db, member_id)
                .await?
                .is_some_and(|family| family.coverage_on(today).is_some());
        }
        let fund_name = Fund::by_code(&statement.caisse).name().to_owned();
        Ok(self.count(VerificationOutcome::Authentic(Box::new(
            VerifiedAttestation {
                statement,
                fund_name,
                open_today,
            },
        ))))
    }

    /// Verifies an uploaded file: it must parse as a PDF, and its signed statement is read
    /// where the portal writes it, the keywords of the document information; a statement
    /// anywhere else in the file is not looked for. Only that statement is verified.
    ///
    /// # Errors
    /// When the database fails or the parsing task stops.
    #[tracing::instrument(name = "attestations.verify_pdf", skip_all)]
    pub async fn verify_pdf(&self, bytes: &[u8]) -> Result<FileVerification, CoreError> {
        let owned = bytes.to_vec();
        let keywords = self
            .file_pool
            .run(move || crate::pdf_files::keywords(&owned))
            .await
            .map_err(|error| CoreError::Task(error.to_string()))?;
        let Ok(keywords) = keywords else {
            return Ok(FileVerification::NotPdf);
        };
        match keywords.and_then(|k| seal::find_in_pdf(k.as_bytes())) {
            Some(text) => Ok(FileVerification::Statement(
                self.verify_sealed(&text).await?,
            )),
            None => Ok(FileVerification::NoStatement),
        }
    }

    fn count(&self, outcome: VerificationOutcome) -> VerificationOutcome {
        let label = match outcome {
            VerificationOutcome::Authentic(_) => "authentic",
            VerificationOutcome::NotAuthentic => "not_authentic",
        };
        metrics::counter!("caisse_attestation_verifications_total", "outcome" => label)
            .increment(1);
        outcome
    }
}

fn printable_mentions(request: AttestationRequest) -> bool {
    request.mentions || request.kind == AttestationKind::CarteVitale
}

/// The people an attestation lists. A carte Vitale attestation is the insured person's card,
/// which also carries the children under 16.
fn people_of(
    family: &FamilyRights,
    request: AttestationRequest,
    today: Date,
) -> Result<Vec<&CoveredPerson>, AttestationError> {
    match (request.kind, request.who) {
        (AttestationKind::Droits, Beneficiary::Family) => Ok(family.people.iter().collect()),
        (AttestationKind::Droits, Beneficiary::Person(id)) => family
            .person(id)
            .map(|p| vec![p])
            .ok_or(AttestationError::NotFound),
        (AttestationKind::CarteVitale, who) => {
            let insured = family.insured();
            if let Beneficiary::Person(id) = who
                && id != insured.id
            {
                return Err(AttestationError::NotFound);
            }
            Ok(std::iter::once(insured)
                .chain(
                    family
                        .people
                        .iter()
                        .skip(1)
                        .filter(|p| age_on(p.birth_date, today) < OWN_CARD_AGE),
                )
                .collect())
        }
    }
}

/// Keeps the period arithmetic in one place for the tests.
#[cfg(test)]
pub(super) fn age(birth: Date, day: Date) -> i32 {
    age_on(birth, day)
}
