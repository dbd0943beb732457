//! Writing a checked member file, in one transaction.

use std::collections::{HashMap, HashSet};

use caisse_domain::{AuditAction, Instant, Nir};

use caisse_store::rights::{self, Scope};
use caisse_store::{Db, TransactionTrait, members};
use time::OffsetDateTime;
use uuid::Uuid;

use super::columns::Column;
use super::{ImportOutcome, ImportSummary, ParsedFile, RowError};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};

/// Audit action of a member-file import.
pub const AUDIT_ACTION: AuditAction = AuditAction::MemberImport;

/// Loads a parsed member file: everything or nothing.
///
/// Inside one transaction it first finishes the checks: an ayant droit whose insured
/// person is not declared in the file must be attached to one already in the database. If
/// the file has any error (from [`super::parse`] or from this check) the transaction is
/// rolled back and every error is returned, in line order. Otherwise:
/// - an insured person already stored (same NIR) has their record replaced and keeps their
///   id, hence their portal account; a new NIR is inserted;
/// - every insured person the file mentions (on their own row or through an ayant droit) has
///   their ayants droit replaced by the file's, so the file is the truth for each family it
///   names; members it does not mention are left as they are;
/// - rights follow the people: the exemptions and doctors of the replaced ayants droit go;
///   when the file has columns of rights, every insured row also replaces its person's
///   coverage, C2S, exemptions and doctor, and the file's values are stored;
/// - one audit event records the counts.
///
/// # Errors
/// When the database fails; nothing is written then either.
pub async fn load(
    db: &Db,
    file: ParsedFile,
    now: OffsetDateTime,
) -> Result<ImportOutcome, CoreError> {
    let ParsedFile {
        insured,
        beneficiaries,
        mut errors,
        declared_insured,
        carries_rights,
    } = file;
    let txn = db.begin().await?;

    let mut mentioned: Vec<Nir> = insured.iter().map(|r| r.member.nir.clone()).collect();
    let mut unique: HashSet<Nir> = mentioned.iter().cloned().collect();
    for b in &beneficiaries {
        if unique.insert(b.insured_nir.clone()) {
            mentioned.push(b.insured_nir.clone());
        }
    }
    let stored: HashMap<Nir, Uuid> = members::ids_by_nir(&txn, &mentioned)
        .await?
        .into_iter()
        .collect();

    for b in &beneficiaries {
        if !declared_insured.contains(&b.insured_nir) && !stored.contains_key(&b.insured_nir) {
            errors.push(RowError {
                line: b.line,
                column: Some(Column::Nir.name()),
                message: "aucun assuré n'a ce NIR, ni dans le fichier ni dans la base : \
                          ajoutez la ligne de l'assuré (type assure, rang 01)"
                    .to_owned(),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        txn.rollback().await?;
        return Ok(ImportOutcome::Rejected(errors));
    }

    let mut summary = ImportSummary::default();
    let mut ids: HashMap<Nir, Uuid> = stored.clone();
    let mut records = Vec::with_capacity(insured.len());
    let mut family_rights = Vec::new();
    let mut replaced_insured = Vec::new();
    for record in insured {
        let nir = record.member.nir.clone();
        let id = match stored.get(&nir) {
            Some(id) => {
                summary.updated += 1;
                *id
            }
            None => {
                summary.created += 1;
                let id = Uuid::now_v7();
                ids.insert(nir.clone(), id);
                id
            }
        };
        if stored.contains_key(&nir) {
            replaced_insured.push(id);
        }
        if !record.rights.is_empty() {
            family_rights.push((id, record.rights));
        }
        records.push((id, record.member));
    }
    members::upsert_many(&txn, records, Instant::from(now)).await?;

    // Only members stored before this import can have beneficiaries to replace.
    let families: Vec<Uuid> = stored.values().copied().collect();
    members::delete_beneficiaries_of(&txn, &families).await?;
    // The ranks of the new ayants droit may name other people: their old rights go with them.
    rights::delete_of(&txn, &families, Scope::Beneficiaries).await?;
    if carries_rights {
        rights::delete_of(&txn, &replaced_insured, Scope::Insured).await?;
    }
    let mut rows = Vec::with_capacity(beneficiaries.len());
    for b in beneficiaries {
        let Some(member_id) = ids.get(&b.insured_nir) else {
            // Every NIR was resolved above; reaching here is a bug, not a bad file.
            return Err(CoreError::ImportUnresolved { line: b.line });
        };
        if !b.rights.is_empty() {
            family_rights.push((*member_id, b.rights));
        }
        rows.push((*member_id, b.beneficiary));
    }
    summary.beneficiaries = rows.len();
    members::insert_beneficiaries(&txn, rows).await?;
    rights::insert_many(&txn, family_rights).await?;

    audit::record(
        &txn,
        &RequestContext::default(),
        Actor::System,
        AUDIT_ACTION,
        None,
        serde_json::json!({
            "created": summary.created,
            "updated": summary.updated,
            "beneficiaries": summary.beneficiaries,
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ImportOutcome::Loaded(summary))
}
