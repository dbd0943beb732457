//! Staff find a member of their own fund by name and birth date, the caller on the phone who
//! has no NIR at hand. Like the search by NIR, every search is audited
//! (`staff.member.searched`): the members listed, never the name or date typed.

use caisse_domain::french::folded_words;
use caisse_domain::{AuditAction, Nir};
use caisse_store::members::{self, MemberRecord};
use serde_json::json;
use time::Date;
use uuid::Uuid;

use super::Accounts;
use super::errors::AccountError;
use crate::audit::{self, Actor, RequestContext};

/// Members listed at most: beyond, the staff member narrows with the first name.
pub const MAX_SEARCH_RESULTS: usize = 20;

/// Members of a fund born on one day read at most (a few dozen in practice).
const CANDIDATES_READ: u64 = 2_000;

/// What staff type to find a member without NIR.
#[derive(Clone)]
pub struct NameSearch {
    /// Birth name or usage name, or their beginning (« MART » finds MARTIN, MARTINEZ).
    pub last_name: String,
    /// The first name or its beginning; empty for any.
    pub first_name: String,
    /// Birth date.
    pub birth_date: Date,
}

/// Masked: no personal data in logs.
impl std::fmt::Debug for NameSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameSearch").finish_non_exhaustive()
    }
}

/// A member found, as the list of results shows them.
#[derive(Clone)]
pub struct MemberHit {
    /// Member id.
    pub member_id: Uuid,
    /// First name and usage (or birth) name.
    pub full_name: String,
    /// Birth name when a usage name is shown.
    pub birth_name: Option<String>,
    /// Birth date.
    pub birth_date: Date,
    /// NIR with its end masked (sex, year and month of birth, department shown).
    pub nir_masked: String,
    /// Postal code and city.
    pub city: String,
}

/// Masked: no personal data in logs.
impl std::fmt::Debug for MemberHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberHit")
            .field("member_id", &self.member_id)
            .finish_non_exhaustive()
    }
}

/// The answer to a search by name and birth date.
#[derive(Debug, Clone)]
pub enum NameSearchResult {
    /// The members found (none, one or a few), by name.
    Found(Vec<MemberHit>),
    /// More than [`MAX_SEARCH_RESULTS`] match: none is shown.
    TooMany(usize),
}

/// Whether `typed` (folded words) starts `name` (folded words), word boundaries kept.
fn starts(name: &str, typed: &str) -> bool {
    let name = folded_words(name);
    name == typed || name.starts_with(typed)
}

fn matches(member: &MemberRecord, last: &str, first: &str) -> bool {
    let last_matches = starts(&member.last_name, last)
        || member
            .usage_name
            .as_deref()
            .is_some_and(|usage| starts(usage, last));
    last_matches && (first.is_empty() || starts(&member.first_name, first))
}

fn hit(member: MemberRecord) -> MemberHit {
    MemberHit {
        member_id: member.id,
        full_name: member.display_name(),
        birth_name: member.usage_name.as_ref().map(|_| member.last_name.clone()),
        birth_date: member.birth_date,
        nir_masked: masked(&member.nir),
        city: format!("{} {}", member.postal_code, member.city),
    }
}

fn masked(nir: &Nir) -> String {
    crate::letterhead::masked_nir(nir)
}

impl Accounts {
    /// The members of the staff member's fund born on `search.birth_date` whose birth or
    /// usage name starts with `search.last_name` (and first name with `search.first_name`),
    /// accents, case, hyphens and apostrophes aside. Audited as `staff.member.searched`
    /// with the members listed (none when there are too many to list).
    ///
    /// # Errors
    /// [`AccountError::NothingToDo`] for an unknown or inactive staff member; the database's.
    #[tracing::instrument(name = "accounts.staff_search_by_name", skip_all, fields(%staff_id))]
    pub async fn staff_search_by_name(
        &self,
        staff_id: Uuid,
        search: &NameSearch,
        context: &RequestContext,
    ) -> Result<NameSearchResult, AccountError> {
        let fund = self.staff_fund(staff_id).await?;
        let last = folded_words(&search.last_name);
        let first = folded_words(&search.first_name);
        let mut found: Vec<MemberRecord> = if last.is_empty() {
            Vec::new()
        } else {
            members::of_fund_born_on(&self.db, &fund, search.birth_date, CANDIDATES_READ)
                .await?
                .into_iter()
                .filter(|m| matches(m, &last, &first))
                .collect()
        };
        let result = if found.len() > MAX_SEARCH_RESULTS {
            NameSearchResult::TooMany(found.len())
        } else {
            found.sort_by_cached_key(|m| {
                (
                    folded_words(m.usage_name.as_deref().unwrap_or(&m.last_name)),
                    folded_words(&m.first_name),
                )
            });
            NameSearchResult::Found(found.into_iter().map(hit).collect())
        };
        let details = match &result {
            NameSearchResult::Found(hits) => json!({
                "by": "name_birth_date",
                "found": hits.len(),
                "members": hits.iter().map(|h| h.member_id).collect::<Vec<_>>(),
            }),
            NameSearchResult::TooMany(count) => json!({
                "by": "name_birth_date",
                "found": count,
                "too_many": true,
            }),
        };
        let subject = match &result {
            NameSearchResult::Found(hits) if hits.len() == 1 => {
                hits.first().map(|h| ("member", h.member_id))
            }
            _ => None,
        };
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffMemberSearched,
            subject,
            details,
            self.clock.instant(),
        )
        .await?;
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::starts;

    #[test]
    fn names_match_from_their_beginning_with_accents_and_case_folded() {
        assert!(starts("MARTIN", "martin"));
        assert!(starts("Martinez", "mart"));
        assert!(starts("LE GOFF-HÉBERT", "le goff hebert"));
        assert!(starts("Lefèvre", "lefevre"));
        assert!(starts("D'ARTAGNAN", "d artagnan"));
        assert!(!starts("MARTIN", "martine"));
        assert!(!starts("DUMARTIN", "martin"));
    }
}
