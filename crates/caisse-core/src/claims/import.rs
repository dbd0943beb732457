//! Pass 2 of a lot (`docs/claims-format.md`): a file pass 1 accepted is read again and its
//! sheets are checked against the member file, the reference data and the sheets already
//! received, by chunks, in one transaction with the lot's record and its acknowledgement.
//! A lot already accepted is not read again: its stored acknowledgement is the answer.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use caisse_domain::claims::{ProfessionalId, ReferenceTables};
use caisse_domain::paris_time::paris_time;
use caisse_domain::{AuditAction, CaisseCode, Instant, Nir};
use caisse_store::claims::context::{self, Family};
use caisse_store::claims::lots::{self, LotSource};
use caisse_store::claims::sheets::{self, NewSheet};
use caisse_store::claims::{partitions, senders::ClaimSender};
use caisse_store::{Db, TransactionTrait, Tx};
use sha2::{Digest, Sha256};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::acknowledgement::{Acknowledgement, MAX_DETAILED, RejectedSheet, RejectionReason};
use super::ingest::{Format, IncomingSheet, LotReader, Refusal, validate_whole};
use super::situation::{NotCovered, situation_on};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};

/// Sheets checked and written together.
const CHUNK: usize = 5_000;

/// Who submits a lot.
#[derive(Clone, Copy, Debug)]
pub enum Submitter<'a> {
    /// Professionals' software, by its key: the lot's sender must be the key's.
    Key(&'a ClaimSender),
    /// An operator, by `caisse admin import-claims --fund`: the lot's sender must hold a live
    /// key of that fund (it is who tiers-payant payments go to).
    Operator(CaisseCode),
}

/// What became of a lot.
#[derive(Debug)]
pub enum ImportOutcome {
    /// Accepted now.
    Accepted(Acknowledgement),
    /// Accepted before: the same acknowledgement.
    AlreadyAccepted(Acknowledgement),
    /// Malformed: refused whole, nothing imported.
    Refused(Refusal),
    /// The lot's sender is not the key's, or has no live key in the fund.
    UnknownSender(ProfessionalId),
}

/// Imports a lot: pass 1 over `open()`, then pass 2 over a second `open()`.
///
/// # Errors
/// When the database fails (nothing is written then).
#[tracing::instrument(name = "claims.import_lot", skip_all)]
pub async fn import_lot<R, F>(
    db: &Db,
    tables: &ReferenceTables,
    mut open: F,
    format: Option<Format>,
    submitter: Submitter<'_>,
    source: LotSource,
    now: OffsetDateTime,
) -> Result<ImportOutcome, CoreError>
where
    R: BufRead,
    F: FnMut() -> std::io::Result<R>,
{
    let unreadable = |e: std::io::Error| ImportOutcome::Refused(Refusal::unreadable(&e));
    let summary = match open() {
        Ok(reader) => match validate_whole(reader, format) {
            Ok(summary) => summary,
            Err(refusal) => return Ok(ImportOutcome::Refused(refusal)),
        },
        Err(e) => return Ok(unreadable(e)),
    };
    let header = summary.header;
    let caisse = match submitter {
        Submitter::Key(key) if key.sender == header.sender => key.caisse,
        Submitter::Key(_) => return Ok(ImportOutcome::UnknownSender(header.sender)),
        Submitter::Operator(caisse) => {
            match super::senders::registered(db, caisse, &header.sender).await? {
                Some(_) => caisse,
                None => return Ok(ImportOutcome::UnknownSender(header.sender)),
            }
        }
    };
    if let Some(stored) = lots::find(db, caisse, &header.sender, header.number).await? {
        return Ok(ImportOutcome::AlreadyAccepted(stored_acknowledgement(
            &stored,
        )?));
    }
    let today = paris_time(now).date();
    let oldest = two_years_before(today);
    // Partitions are created outside the import's transaction: creating one locks its table.
    let (from, to) = super::worker::partition_span(today);
    partitions::ensure_months(db, from, to).await?;

    let txn = db.begin().await?;
    let at = Instant::from(now);
    let Some(lot_id) = lots::claim(&txn, caisse, &header.sender, header.number, source, at).await?
    else {
        // Accepted by a concurrent import between the check and the claim.
        drop(txn);
        let stored = lots::find(db, caisse, &header.sender, header.number)
            .await?
            .ok_or(CoreError::UnreadablePayload { what: "lot" })?;
        return Ok(ImportOutcome::AlreadyAccepted(stored_acknowledgement(
            &stored,
        )?));
    };
    let mut lot = Lot {
        caisse,
        lot_id,
        sender: header.sender.clone(),
        today,
        oldest,
        accepted: 0,
        rejected_count: 0,
        rejected: Vec::new(),
    };
    let reader = match open() {
        Ok(reader) => reader,
        Err(e) => return Ok(unreadable(e)),
    };
    let reader = match LotReader::open(reader, Some(summary.format)) {
        Ok(reader) => reader,
        Err(errors) => return Ok(ImportOutcome::Refused(Refusal { errors, more: 0 })),
    };
    let mut chunk = Vec::with_capacity(CHUNK);
    for item in reader {
        match item {
            Ok(sheet) => chunk.push(sheet),
            // The file changed between the passes: refused, the transaction rolls back.
            Err(errors) => return Ok(ImportOutcome::Refused(Refusal { errors, more: 0 })),
        }
        if chunk.len() == CHUNK {
            lot.take(&txn, tables, std::mem::take(&mut chunk), at)
                .await?;
        }
    }
    lot.take(&txn, tables, chunk, at).await?;
    // A chunk's duplicates are found after its other checks: back to file order.
    lot.rejected.sort_by_key(|r| r.line);

    let acknowledgement = Acknowledgement {
        lot_id,
        sender: header.sender.code(),
        lot_number: header.number,
        received_at: at
            .get()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        sheets_accepted: lot.accepted,
        sheets_rejected: lot.rejected_count,
        rejected: lot.rejected,
    };
    let json = serde_json::to_string(&acknowledgement)?;
    lots::settle(&txn, lot_id, lot.accepted, lot.rejected_count, &json).await?;
    audit::record(
        &txn,
        &RequestContext::default(),
        Actor::System,
        AuditAction::ClaimLotImported,
        Some(("claim_lot", lot_id)),
        serde_json::json!({
            "caisse": caisse.as_str(),
            "sender": header.sender.code(),
            "lot": header.number,
            "accepted": lot.accepted,
            "rejected": lot.rejected_count,
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ImportOutcome::Accepted(acknowledgement))
}

fn stored_acknowledgement(stored: &lots::StoredLot) -> Result<Acknowledgement, CoreError> {
    serde_json::from_str(&stored.acknowledgement).map_err(|_| CoreError::UnreadablePayload {
        what: "lot acknowledgement",
    })
}

/// The same day two years before (28 February for a 29 February).
fn two_years_before(day: Date) -> Date {
    day.replace_year(day.year() - 2)
        .unwrap_or_else(|_| day.saturating_sub(Duration::days(731)))
}

/// A lot being imported.
struct Lot {
    caisse: CaisseCode,
    lot_id: Uuid,
    sender: ProfessionalId,
    today: Date,
    oldest: Date,
    accepted: u64,
    rejected_count: u64,
    rejected: Vec<RejectedSheet>,
}

impl Lot {
    fn reject(&mut self, sheet: &IncomingSheet, reason: RejectionReason, care_line: Option<usize>) {
        self.rejected_count += 1;
        if self.rejected.len() < MAX_DETAILED {
            self.rejected.push(RejectedSheet {
                sheet: sheet.number,
                line: sheet.line,
                reason,
                care_line,
                message: match care_line {
                    Some(n) => format!("Ligne de soins {n} : {}", reason.message_fr()),
                    None => reason.message_fr().to_owned(),
                },
            });
        }
    }

    /// The business checks of a chunk, then its accepted sheets written.
    async fn take(
        &mut self,
        txn: &Tx,
        tables: &ReferenceTables,
        chunk: Vec<IncomingSheet>,
        at: Instant,
    ) -> Result<(), CoreError> {
        if chunk.is_empty() {
            return Ok(());
        }
        let mut nirs: Vec<Nir> = chunk.iter().map(|s| s.sheet.nir.clone()).collect();
        nirs.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        nirs.dedup();
        let families: HashMap<Nir, Family> = context::by_nir(txn, &nirs)
            .await?
            .into_iter()
            .filter(|(_, f)| f.caisse == self.caisse)
            .collect();
        let mut candidates: Vec<(IncomingSheet, Uuid, String)> = Vec::with_capacity(chunk.len());
        for incoming in chunk {
            match self.check(&incoming, &families, tables) {
                Ok((member_id, fingerprint)) => candidates.push((incoming, member_id, fingerprint)),
                Err((reason, line)) => self.reject(&incoming, reason, line),
            }
        }
        let keys: Vec<(String, Date)> = candidates
            .iter()
            .map(|(s, _, f)| (f.clone(), s.sheet.date_of_care))
            .collect();
        let known = sheets::existing_fingerprints(txn, &keys).await?;
        let mut seen: HashSet<&str> = HashSet::with_capacity(candidates.len());
        let mut ids = Vec::with_capacity(candidates.len());
        let mut duplicates = Vec::new();
        for (i, (_, _, fingerprint)) in candidates.iter().enumerate() {
            if known.contains(fingerprint) || !seen.insert(fingerprint.as_str()) {
                duplicates.push(i);
            } else {
                ids.push(i);
            }
        }
        for &i in &duplicates {
            let sheet = candidates[i].0.clone();
            self.reject(&sheet, RejectionReason::Duplicate, None);
        }
        let new: Vec<NewSheet<'_>> = ids
            .iter()
            .map(|&i| {
                let (incoming, member_id, fingerprint) = &candidates[i];
                NewSheet {
                    id: Uuid::now_v7(),
                    caisse: self.caisse,
                    lot_id: self.lot_id,
                    number: incoming.number,
                    member_id: *member_id,
                    sender: &self.sender,
                    complementary_requested: incoming.complementary_requested,
                    fingerprint,
                    sheet: &incoming.sheet,
                }
            })
            .collect();
        sheets::insert_many(txn, &new, at).await?;
        self.accepted += u64::try_from(new.len()).unwrap_or(0);
        Ok(())
    }

    /// The member and fingerprint of an acceptable sheet, or why it is rejected.
    fn check(
        &self,
        incoming: &IncomingSheet,
        families: &HashMap<Nir, Family>,
        tables: &ReferenceTables,
    ) -> Result<(Uuid, String), (RejectionReason, Option<usize>)> {
        let sheet = &incoming.sheet;
        let day = sheet.date_of_care;
        if day > self.today {
            return Err((RejectionReason::FutureDate, None));
        }
        if day < self.oldest {
            return Err((RejectionReason::TooOld, None));
        }
        let family = families
            .get(&sheet.nir)
            .ok_or((RejectionReason::UnknownBeneficiary, None))?;
        situation_on(family, sheet.rank, day).map_err(|e| match e {
            NotCovered::UnknownRank => (RejectionReason::UnknownRank, None),
            NotCovered::NoRights => (RejectionReason::NoRights, None),
        })?;
        for (i, line) in sheet.lines.iter().enumerate() {
            let tariff = tables
                .tariff(&line.code, day)
                .map_err(|_| (RejectionReason::UnknownAct, Some(i + 1)))?;
            if let Some(limit) = tariff.price_limit {
                let most = limit.cents().saturating_mul(i64::from(line.quantity.get()));
                if line.charged.cents() > most {
                    return Err((RejectionReason::AbovePriceLimit, Some(i + 1)));
                }
            }
        }
        Ok((family.member_id, fingerprint(incoming)))
    }
}

/// SHA-256 of what makes two sheets the same care: beneficiary, professional, day and acts
/// (not the sender, lot or number, which a resent sheet changes).
fn fingerprint(incoming: &IncomingSheet) -> String {
    let s = &incoming.sheet;
    let mut hasher = Sha256::new();
    hasher.update(s.nir.as_str().as_bytes());
    hasher.update([0, s.rank]);
    hasher.update(s.professional.code().as_bytes());
    hasher.update([0]);
    hasher.update(s.date_of_care.to_string().as_bytes());
    for line in &s.lines {
        hasher.update([0]);
        hasher.update(line.code.as_str().as_bytes());
        hasher.update(line.quantity.get().to_be_bytes());
        hasher.update(line.coefficient.hundredths().to_be_bytes());
        hasher.update(line.charged.cents().to_be_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
