//! Import of a file of arrêts de travail (`docs/claims-format.md`, § Arrêts de travail):
//! pass 1 reads the whole file ([`validate_arrets`]) and refuses it whole if malformed; pass
//! 2 reads it again and checks each arrêt against the member file and the arrêts already
//! stored, in one transaction that stores every accepted arrêt with its whole schedule of
//! indemnités journalières (`ij_schedule`, planned payments in `ij_payments`) and the audit
//! event. `ij_payments::pay_ij` pays them once their period is over.
//!
//! Who sends: the fund's own operators (`caisse admin import-arrets --caisse`), or a partner
//! of the fund through `POST /api/v1/claims/arrets` with a claim-sender key (the fund is the
//! key's). Employers' DSN flows reach the fund through such a partner.

use std::collections::HashMap;
use std::io::BufRead;

use caisse_domain::claims::{ReferenceTables, ij_schedule};
use caisse_domain::{AuditAction, CaisseCode, Instant, Nir};
use caisse_store::claims::arrets::{self, NewArret, StoredArret};
use caisse_store::claims::context::{self, Family};
use caisse_store::claims::senders::ClaimSender;
use caisse_store::claims::{ij_payments, lock_members};
use caisse_store::{Db, TransactionTrait, Tx};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ingest::arrets::{ArretsReader, IncomingArret, validate_arrets};
use super::ingest::{Format, Refusal};
use super::situation::{NotCovered, situation_on};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};

/// Arrêts checked together (one read of the member file per chunk).
const CHUNK: usize = 500;

/// Rejected arrêts kept in detail; beyond, they are counted.
pub const MAX_DETAILED: usize = 10_000;

/// Who submits a file of arrêts.
#[derive(Clone, Copy, Debug)]
pub enum ArretsSubmitter<'a> {
    /// A partner of the fund, by its claim-sender key: the fund is the key's.
    Key(&'a ClaimSender),
    /// An operator of the fund, by `caisse admin import-arrets --caisse`.
    Operator(CaisseCode),
}

impl ArretsSubmitter<'_> {
    fn caisse(&self) -> CaisseCode {
        match self {
            ArretsSubmitter::Key(key) => key.caisse,
            ArretsSubmitter::Operator(caisse) => *caisse,
        }
    }
}

/// Why an arrêt of a well-formed file was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ArretRejection {
    /// No member of the fund has the NIR.
    #[error("no member of the fund has this NIR")]
    UnknownBeneficiary,
    /// The member has no beneficiary of that rank.
    #[error("no beneficiary of this rank")]
    UnknownRank,
    /// No coverage period holds the first day of the arrêt.
    #[error("no rights on the first day")]
    NoRights,
    /// The same employer and reference were stored with other values.
    #[error("already received with other values")]
    AlreadyReceivedDifferent,
    /// Another arrêt of the same beneficiary has a day in common.
    #[error("overlaps another arrêt")]
    Overlap,
    /// The reference data has no figures for a date the schedule needs.
    #[error("no reference figures for the schedule")]
    NoSchedule,
}

impl ArretRejection {
    /// Every reason.
    pub const ALL: [ArretRejection; 6] = [
        ArretRejection::UnknownBeneficiary,
        ArretRejection::UnknownRank,
        ArretRejection::NoRights,
        ArretRejection::AlreadyReceivedDifferent,
        ArretRejection::Overlap,
        ArretRejection::NoSchedule,
    ];

    /// The reason, in French, for the sender.
    pub fn message_fr(self) -> &'static str {
        match self {
            ArretRejection::UnknownBeneficiary => "Assuré inconnu de la caisse : vérifiez le NIR.",
            ArretRejection::UnknownRank => "Aucun bénéficiaire n'a ce rang sous ce NIR.",
            ArretRejection::NoRights => {
                "L'assuré n'avait pas de droits ouverts le premier jour de l'arrêt."
            }
            ArretRejection::AlreadyReceivedDifferent => {
                "Arrêt déjà reçu avec d'autres valeurs (même SIRET d'employeur et même reference_arret) : une correction se fait auprès de la caisse."
            }
            ArretRejection::Overlap => {
                "Cet arrêt chevauche un autre arrêt de travail du même bénéficiaire."
            }
            ArretRejection::NoSchedule => {
                "Les barèmes des indemnités journalières ne couvrent pas les dates de cet arrêt."
            }
        }
    }
}

/// One rejected arrêt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedArret {
    /// The line of the file.
    pub line: u64,
    /// The sender's reference.
    pub reference: String,
    /// Why.
    pub reason: ArretRejection,
    /// The reason in French.
    pub message: String,
}

/// The acknowledgement of a file of arrêts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArretsAck {
    /// Arrêts stored now, with their schedule.
    pub accepted: u64,
    /// Arrêts stored before with the same values (a file sent again): nothing changed.
    pub already_received: u64,
    /// Arrêts rejected.
    pub rejected_count: u64,
    /// The first [`MAX_DETAILED`] rejected arrêts, in file order.
    pub rejected: Vec<RejectedArret>,
}

/// What became of a file of arrêts.
#[derive(Debug)]
pub enum ArretsOutcome {
    /// Read and imported: the acknowledgement.
    Accepted(ArretsAck),
    /// Malformed: refused whole, nothing imported.
    Refused(Refusal),
}

/// Imports a file of arrêts: pass 1 over `open()`, then pass 2 over a second `open()`.
///
/// # Errors
/// When the database fails (nothing is written then).
#[tracing::instrument(name = "claims.import_arrets", skip_all)]
pub async fn import_arrets<R, F>(
    db: &Db,
    tables: &ReferenceTables,
    mut open: F,
    format: Option<Format>,
    submitter: ArretsSubmitter<'_>,
    now: OffsetDateTime,
) -> Result<ArretsOutcome, CoreError>
where
    R: BufRead,
    F: FnMut() -> std::io::Result<R>,
{
    let unreadable = |e: std::io::Error| ArretsOutcome::Refused(Refusal::unreadable(&e));
    let summary = match open() {
        Ok(reader) => match validate_arrets(reader, format) {
            Ok(summary) => summary,
            Err(refusal) => return Ok(ArretsOutcome::Refused(refusal)),
        },
        Err(e) => return Ok(unreadable(e)),
    };
    let reader = match open() {
        Ok(reader) => reader,
        Err(e) => return Ok(unreadable(e)),
    };
    let reader = match ArretsReader::open(reader, Some(summary.format)) {
        Ok(reader) => reader,
        Err(errors) => return Ok(ArretsOutcome::Refused(Refusal { errors, more: 0 })),
    };
    let caisse = submitter.caisse();
    let at = Instant::from(now);
    let txn = db.begin().await?;
    let mut import = Import {
        caisse,
        at,
        ack: ArretsAck {
            accepted: 0,
            already_received: 0,
            rejected_count: 0,
            rejected: Vec::new(),
        },
    };
    let mut chunk = Vec::with_capacity(CHUNK);
    for item in reader {
        match item {
            Ok(arret) => chunk.push(arret),
            // The file changed between the passes: refused, the transaction rolls back.
            Err(errors) => return Ok(ArretsOutcome::Refused(Refusal { errors, more: 0 })),
        }
        if chunk.len() == CHUNK {
            import
                .take(&txn, tables, std::mem::take(&mut chunk))
                .await?;
        }
    }
    import.take(&txn, tables, chunk).await?;
    let ack = import.ack;
    let sender = match submitter {
        ArretsSubmitter::Key(key) => Some(key.sender.code()),
        ArretsSubmitter::Operator(_) => None,
    };
    audit::record(
        &txn,
        &RequestContext::default(),
        Actor::System,
        AuditAction::ClaimArretsImported,
        None,
        serde_json::json!({
            "caisse": caisse.as_str(),
            "sender": sender,
            "accepted": ack.accepted,
            "already_received": ack.already_received,
            "rejected": ack.rejected_count,
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ArretsOutcome::Accepted(ack))
}

/// A file being imported.
struct Import {
    caisse: CaisseCode,
    at: Instant,
    ack: ArretsAck,
}

impl Import {
    fn reject(&mut self, incoming: &IncomingArret, reason: ArretRejection) {
        self.ack.rejected_count += 1;
        if self.ack.rejected.len() < MAX_DETAILED {
            self.ack.rejected.push(RejectedArret {
                line: incoming.line,
                reference: incoming.reference.clone(),
                reason,
                message: reason.message_fr().to_owned(),
            });
        }
    }

    /// The checks of a chunk, in file order, each accepted arrêt written before the next is
    /// checked (two arrêts of a file may overlap).
    async fn take(
        &mut self,
        txn: &Tx,
        tables: &ReferenceTables,
        chunk: Vec<IncomingArret>,
    ) -> Result<(), CoreError> {
        if chunk.is_empty() {
            return Ok(());
        }
        let mut nirs: Vec<Nir> = chunk.iter().map(|a| a.nir.clone()).collect();
        nirs.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        nirs.dedup();
        let families: HashMap<Nir, Family> = context::by_nir(txn, &nirs)
            .await?
            .into_iter()
            .filter(|(_, f)| f.caisse == self.caisse)
            .collect();
        // One import at a time per member: the overlap check holds against a concurrent one.
        let mut members: Vec<uuid::Uuid> = families.values().map(|f| f.member_id).collect();
        members.sort_unstable();
        lock_members(txn, &members).await?;
        for incoming in chunk {
            match self.one(txn, tables, &incoming, &families).await? {
                Ok(Stored::New) => self.ack.accepted += 1,
                Ok(Stored::Before) => self.ack.already_received += 1,
                Err(reason) => self.reject(&incoming, reason),
            }
        }
        Ok(())
    }

    async fn one(
        &self,
        txn: &Tx,
        tables: &ReferenceTables,
        incoming: &IncomingArret,
        families: &HashMap<Nir, Family>,
    ) -> Result<Result<Stored, ArretRejection>, CoreError> {
        let arret = &incoming.arret;
        let Some(family) = families.get(&incoming.nir) else {
            return Ok(Err(ArretRejection::UnknownBeneficiary));
        };
        if let Err(e) = situation_on(family, incoming.rank, arret.start) {
            return Ok(Err(match e {
                NotCovered::UnknownRank => ArretRejection::UnknownRank,
                NotCovered::NoRights => ArretRejection::NoRights,
            }));
        }
        let member_id = family.member_id;
        if let Some(stored) =
            arrets::find(txn, self.caisse, &arret.employer, &incoming.reference).await?
        {
            return Ok(same_or_not(&stored, member_id, incoming));
        }
        if arrets::overlaps(txn, member_id, incoming.rank, arret.start, arret.end).await? {
            return Ok(Err(ArretRejection::Overlap));
        }
        let Ok(schedule) = ij_schedule(arret, tables) else {
            return Ok(Err(ArretRejection::NoSchedule));
        };
        let new = NewArret {
            caisse: self.caisse,
            member_id,
            rank: incoming.rank,
            reference: &incoming.reference,
            arret,
            employer_iban: incoming.employer_iban.as_ref(),
            employer_name: incoming.employer_name.as_deref(),
        };
        let Some(id) = arrets::insert(txn, &new, self.at).await? else {
            // Stored by a concurrent import between the check and the insert.
            let stored = arrets::find(txn, self.caisse, &arret.employer, &incoming.reference)
                .await?
                .ok_or(CoreError::UnreadablePayload { what: "arrêt" })?;
            return Ok(same_or_not(&stored, member_id, incoming));
        };
        ij_payments::insert_schedule(txn, id, self.caisse, member_id, &schedule.payments).await?;
        Ok(Ok(Stored::New))
    }
}

enum Stored {
    New,
    Before,
}

/// An arrêt already stored: the same (a resending) or another (a correction, rejected).
fn same_or_not(
    stored: &StoredArret,
    member_id: uuid::Uuid,
    incoming: &IncomingArret,
) -> Result<Stored, ArretRejection> {
    let same = stored.member_id == member_id
        && stored.rank == incoming.rank
        && stored.arret == incoming.arret
        && stored.employer_iban == incoming.employer_iban
        && stored.employer_name == incoming.employer_name;
    if same {
        Ok(Stored::Before)
    } else {
        Err(ArretRejection::AlreadyReceivedDifferent)
    }
}
