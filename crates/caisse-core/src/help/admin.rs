//! The FAQ as a fund's supervisors edit it: a draft beside the published version, every saved
//! version kept with who saved and who published it, withdrawal and return, and the questions
//! the help did not answer or whose answer did not help, grouped. Reserved to supervisors and
//! administrators of the fund; each change audited (`StaffHelpEdited`) in its transaction,
//! each reading of members' questions audited (`StaffHelpQuestionsRead`).

use std::collections::HashMap;

use caisse_domain::help::{Category, EntryStatus, FaqContent, FaqError, FaqLink, FaqSlug};
use caisse_domain::{AuditAction, CaisseCode, StaffRole};
use caisse_store::TransactionTrait;
use caisse_store::help::entries::{self, Entry, Version};
use caisse_store::help::queries::{self, QueryGroup};
use caisse_store::staff::{self, StaffMember};
use serde_json::json;
use time::{Date, Duration};
use uuid::Uuid;

use super::Help;
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};

/// Why an edit of the FAQ was refused.
#[derive(Debug, thiserror::Error)]
pub enum HelpAdminError {
    /// No such entry in the staff member's fund (or no such active staff member).
    #[error("not found")]
    NotFound,
    /// Reserved to supervisors and administrators.
    #[error("not allowed")]
    NotAllowed,
    /// A value the form sent, with its French reason.
    #[error(transparent)]
    Invalid(#[from] FaqError),
    /// Another entry of the fund has this slug.
    #[error("slug taken")]
    SlugTaken,
    /// Nothing to publish: no draft (or another supervisor just published it).
    #[error("nothing to publish")]
    NothingToPublish,
    /// Storage failed.
    #[error(transparent)]
    Core(#[from] CoreError),
}

from_store!(HelpAdminError);

/// An entry as the form sends it (every field as typed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryForm {
    /// The key in URLs; empty: made from the question (new entries only).
    pub slug: String,
    /// The category's code.
    pub category: String,
    /// The question.
    pub question: String,
    /// Other phrasings, one per line.
    pub alternatives: String,
    /// The answer.
    pub answer: String,
    /// The link's label (both empty: no link).
    pub link_label: String,
    /// The link's path.
    pub link_href: String,
    /// The review date, `AAAA-MM-JJ` (a date field) or `JJ/MM/AAAA`.
    pub review_on: String,
}

impl EntryForm {
    /// The form of an existing version.
    #[must_use]
    pub fn of(slug: &FaqSlug, content: &FaqContent) -> EntryForm {
        EntryForm {
            slug: slug.as_str().to_owned(),
            category: content.category.code().to_owned(),
            question: content.question().to_owned(),
            alternatives: content.alternatives().join("\n"),
            answer: content.answer().to_owned(),
            link_label: content
                .link
                .as_ref()
                .map(|l| l.label().to_owned())
                .unwrap_or_default(),
            link_href: content
                .link
                .as_ref()
                .map(|l| l.href().to_owned())
                .unwrap_or_default(),
            review_on: content.review_on.to_string(),
        }
    }

    /// The content it says.
    ///
    /// # Errors
    /// The first field that does not read, with its French reason.
    pub fn content(&self) -> Result<FaqContent, FaqError> {
        let category = Category::parse(self.category.trim()).ok_or(FaqError::Category)?;
        let link = match (self.link_label.trim(), self.link_href.trim()) {
            ("", "") => None,
            (label, href) => Some(FaqLink::new(label, href)?),
        };
        let review_on = parse_day(self.review_on.trim()).ok_or(FaqError::ReviewDate)?;
        let alternatives: Vec<String> = self.alternatives.lines().map(str::to_owned).collect();
        FaqContent::new(
            category,
            &self.question,
            &alternatives,
            &self.answer,
            link,
            review_on,
        )
    }
}

fn parse_day(raw: &str) -> Option<Date> {
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let french = time::macros::format_description!("[day]/[month]/[year]");
    Date::parse(raw, iso)
        .or_else(|_| Date::parse(raw, french))
        .ok()
}

/// What the list shows of the entries.
#[derive(Clone, Debug, Default)]
pub struct AdminFilter {
    /// Only this status.
    pub status: Option<EntryStatus>,
    /// Only this category.
    pub category: Option<Category>,
    /// Only the entries whose question or slug contains these words (case and accents
    /// ignored).
    pub text: String,
    /// Only the entries whose review date has passed.
    pub review_due: bool,
}

/// A line of the back office's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminRow {
    /// Id.
    pub id: Uuid,
    /// Its key in URLs.
    pub slug: FaqSlug,
    /// The question of the version edited.
    pub question: String,
    /// Its category.
    pub category: Category,
    /// Where it stands.
    pub status: EntryStatus,
    /// A draft waits beside the published version.
    pub has_draft: bool,
    /// When it should be read again.
    pub review_on: Date,
    /// That day has passed.
    pub review_due: bool,
}

/// An entry with every version and the names of those who saved and published them.
#[derive(Clone, Debug)]
pub struct AdminEntry {
    /// The entry.
    pub entry: Entry,
    /// Names of staff members by id.
    pub names: HashMap<Uuid, String>,
}

impl AdminEntry {
    /// The name of who saved or published, or « Caisse (contenu livré) » for the shipped.
    #[must_use]
    pub fn name_of(&self, id: Option<Uuid>) -> String {
        id.and_then(|id| self.names.get(&id).cloned())
            .unwrap_or_else(|| "Contenu livré avec Caisse".to_owned())
    }
}

/// The questions the help did not answer well, for writing new entries.
#[derive(Clone, Debug)]
pub struct Insights {
    /// Over how many days.
    pub days: i64,
    /// Questions nothing answered, grouped, most asked first.
    pub unanswered: Vec<QueryGroup>,
    /// Assistant answers marked « ne m'a pas aidé », grouped.
    pub not_helped: Vec<QueryGroup>,
    /// Entries marked « Non » on their page: the row and how many times.
    pub not_helped_entries: Vec<(AdminRow, u64)>,
}

/// Audits a change of entry `id` by `staff_id` (`StaffHelpEdited`), in the change's
/// transaction.
async fn edited(
    tx: &caisse_store::Tx,
    context: &RequestContext,
    staff_id: Uuid,
    id: Uuid,
    change: serde_json::Value,
    now: caisse_domain::Instant,
) -> Result<(), HelpAdminError> {
    audit::record(
        tx,
        context,
        Actor::Staff(staff_id),
        AuditAction::StaffHelpEdited,
        Some(("faq_entry", id)),
        change,
        now,
    )
    .await?;
    Ok(())
}

fn folded(text: &str) -> String {
    caisse_domain::help::normalized_question(text)
}

fn row_of(entry: &Entry, today: Date) -> Option<AdminRow> {
    let current = entry.current()?;
    Some(AdminRow {
        id: entry.id,
        slug: entry.slug.clone(),
        question: current.content.question().to_owned(),
        category: current.content.category,
        status: entry.status(),
        has_draft: entry.draft_version.is_some() && entry.published_version.is_some(),
        review_on: current.content.review_on,
        review_due: current.content.review_on <= today,
    })
}

impl Help {
    /// Active staff member `staff_id`, a supervisor or an administrator.
    async fn editor(&self, staff_id: Uuid) -> Result<StaffMember, HelpAdminError> {
        let me = staff::find(&self.db, staff_id)
            .await?
            .filter(|s| s.active)
            .ok_or(HelpAdminError::NotFound)?;
        if !matches!(me.role, StaffRole::Superviseur | StaffRole::Administrateur) {
            return Err(HelpAdminError::NotAllowed);
        }
        Ok(me)
    }

    fn today(&self) -> Date {
        caisse_domain::paris_time::paris_time(self.clock.now()).date()
    }

    /// Makes sure fund `caisse`'s FAQ is in the database (the shipped entries, on its first
    /// edit), so that its generation exists and every node sees the edits.
    async fn ensure_fund(&self, caisse: CaisseCode) -> Result<(), HelpAdminError> {
        if entries::generation(&self.db, caisse).await?.is_none() {
            self.seed_fund(caisse).await?;
        }
        Ok(())
    }

    /// The fund's entries, filtered.
    ///
    /// # Errors
    /// [`HelpAdminError::NotAllowed`] below supervisor; storage.
    #[tracing::instrument(name = "help.admin_list", skip_all, fields(staff_id = %staff_id))]
    pub async fn admin_list(
        &self,
        staff_id: Uuid,
        filter: &AdminFilter,
    ) -> Result<Vec<AdminRow>, HelpAdminError> {
        let me = self.editor(staff_id).await?;
        self.ensure_fund(me.caisse_code).await?;
        let today = self.today();
        let words = folded(&filter.text);
        Ok(entries::all_of_fund(&self.db, me.caisse_code)
            .await?
            .iter()
            .filter_map(|e| row_of(e, today))
            .filter(|r| filter.status.is_none_or(|s| s == r.status))
            .filter(|r| filter.category.is_none_or(|c| c == r.category))
            .filter(|r| !filter.review_due || r.review_due)
            .filter(|r| {
                words.is_empty() || {
                    let haystack = format!("{} {}", folded(&r.question), r.slug);
                    words.split(' ').all(|w| haystack.contains(w))
                }
            })
            .collect())
    }

    /// Entry `id` of the staff member's fund with every version.
    ///
    /// # Errors
    /// [`HelpAdminError::NotFound`] for another fund's entry; `NotAllowed`; storage.
    #[tracing::instrument(name = "help.admin_entry", skip_all, fields(staff_id = %staff_id, entry_id = %id))]
    pub async fn admin_entry(
        &self,
        staff_id: Uuid,
        id: Uuid,
    ) -> Result<AdminEntry, HelpAdminError> {
        let me = self.editor(staff_id).await?;
        let entry = entries::find(&self.db, me.caisse_code, id)
            .await?
            .ok_or(HelpAdminError::NotFound)?;
        let ids: Vec<Uuid> = entry
            .versions
            .iter()
            .flat_map(|v| [v.saved_by, v.published.and_then(|(_, by)| by)])
            .flatten()
            .collect();
        let names = staff::by_ids(&self.db, &ids)
            .await?
            .into_iter()
            .map(|s| (s.id, s.display_name))
            .collect();
        Ok(AdminEntry { entry, names })
    }

    /// A new entry, saved as a draft; returns its id.
    ///
    /// # Errors
    /// [`HelpAdminError::Invalid`], [`HelpAdminError::SlugTaken`], `NotAllowed`; storage.
    #[tracing::instrument(name = "help.admin_create", skip_all, fields(staff_id = %staff_id))]
    pub async fn admin_create(
        &self,
        staff_id: Uuid,
        context: &RequestContext,
        form: &EntryForm,
    ) -> Result<Uuid, HelpAdminError> {
        let me = self.editor(staff_id).await?;
        let content = form.content()?;
        let slug = if form.slug.trim().is_empty() {
            FaqSlug::from_title(content.question()).ok_or(FaqError::Slug)?
        } else {
            FaqSlug::parse(form.slug.trim())?
        };
        self.ensure_fund(me.caisse_code).await?;
        let now = self.now();
        let tx = self.db.begin().await?;
        if entries::slug_taken(&tx, me.caisse_code, &slug).await? {
            return Err(HelpAdminError::SlugTaken);
        }
        let id = entries::create(&tx, me.caisse_code, &slug, &content, staff_id, now).await?;
        edited(
            &tx,
            context,
            staff_id,
            id,
            json!({ "change": "created", "slug": slug.as_str() }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves a new draft version of entry `id`; returns its number.
    ///
    /// # Errors
    /// [`HelpAdminError::Invalid`], `NotFound`, `NotAllowed`; storage.
    #[tracing::instrument(name = "help.admin_save", skip_all, fields(staff_id = %staff_id, entry_id = %id))]
    pub async fn admin_save(
        &self,
        staff_id: Uuid,
        context: &RequestContext,
        id: Uuid,
        form: &EntryForm,
    ) -> Result<i32, HelpAdminError> {
        let me = self.editor(staff_id).await?;
        let content = form.content()?;
        let now = self.now();
        let tx = self.db.begin().await?;
        let entry = entries::find(&tx, me.caisse_code, id)
            .await?
            .ok_or(HelpAdminError::NotFound)?;
        let number = entries::save_draft(&tx, &entry, &content, staff_id, now).await?;
        edited(
            &tx,
            context,
            staff_id,
            id,
            json!({ "change": "saved", "version": number }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(number)
    }

    /// Publishes entry `id`'s draft: members read it from the next request, on every node.
    ///
    /// # Errors
    /// [`HelpAdminError::NothingToPublish`], `NotFound`, `NotAllowed`; storage.
    #[tracing::instrument(name = "help.admin_publish", skip_all, fields(staff_id = %staff_id, entry_id = %id))]
    pub async fn admin_publish(
        &self,
        staff_id: Uuid,
        context: &RequestContext,
        id: Uuid,
    ) -> Result<(), HelpAdminError> {
        let me = self.editor(staff_id).await?;
        let now = self.now();
        let tx = self.db.begin().await?;
        let entry = entries::find(&tx, me.caisse_code, id)
            .await?
            .ok_or(HelpAdminError::NotFound)?;
        let draft = entry
            .draft_version
            .ok_or(HelpAdminError::NothingToPublish)?;
        if !entries::publish(&tx, &entry, draft, staff_id, now).await? {
            return Err(HelpAdminError::NothingToPublish);
        }
        edited(
            &tx,
            context,
            staff_id,
            id,
            json!({ "change": "published", "version": draft }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Withdraws entry `id` from members (`archived`) or brings it back.
    ///
    /// # Errors
    /// `NotFound`, `NotAllowed`; storage.
    #[tracing::instrument(name = "help.admin_archive", skip_all, fields(staff_id = %staff_id, entry_id = %id))]
    pub async fn admin_archive(
        &self,
        staff_id: Uuid,
        context: &RequestContext,
        id: Uuid,
        archived: bool,
    ) -> Result<(), HelpAdminError> {
        let me = self.editor(staff_id).await?;
        let now = self.now();
        let tx = self.db.begin().await?;
        let entry = entries::find(&tx, me.caisse_code, id)
            .await?
            .ok_or(HelpAdminError::NotFound)?;
        if entries::set_archived(&tx, &entry, archived, now).await? {
            edited(
                &tx,
                context,
                staff_id,
                id,
                json!({ "change": if archived { "archived" } else { "restored" } }),
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The questions of the last `days` days that nothing answered or whose answer did not
    /// help, grouped; audited (members' own words).
    ///
    /// # Errors
    /// `NotAllowed`; storage.
    #[tracing::instrument(name = "help.insights", skip_all, fields(staff_id = %staff_id))]
    pub async fn insights(
        &self,
        staff_id: Uuid,
        context: &RequestContext,
        days: i64,
    ) -> Result<Insights, HelpAdminError> {
        let me = self.editor(staff_id).await?;
        let days = days.clamp(1, super::QUESTIONS_KEPT_DAYS);
        let since = self.clock.now() - Duration::days(days);
        let unanswered = queries::groups(&self.db, me.caisse_code, since, false, 100).await?;
        let not_helped = queries::groups(&self.db, me.caisse_code, since, true, 100).await?;
        let today = self.today();
        let all = entries::all_of_fund(&self.db, me.caisse_code).await?;
        let not_helped_entries = queries::not_helped_entries(&self.db, me.caisse_code, since)
            .await?
            .into_iter()
            .filter_map(|(id, n)| {
                all.iter()
                    .find(|e| e.id == id)
                    .and_then(|e| row_of(e, today))
                    .map(|r| (r, n))
            })
            .collect();
        audit::record(
            &self.db,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffHelpQuestionsRead,
            None,
            json!({ "days": days }),
            self.now(),
        )
        .await?;
        Ok(Insights {
            days,
            unanswered,
            not_helped,
            not_helped_entries,
        })
    }

    /// A draft entry made from a public question the fund answered (« Faire une entrée de
    /// FAQ »): the question's title as the question, its text as the only other phrasing, the
    /// fund's answer as the answer, the category of the nearest entry, reviewed in a year; a
    /// slug made from the title (numbered when taken). The supervisor reads it before
    /// publishing. Returns its id.
    ///
    /// # Errors
    /// [`HelpAdminError::Invalid`] when the answer is too short for an entry; `NotAllowed`;
    /// storage.
    #[tracing::instrument(name = "help.admin_from_question", skip_all, fields(staff_id = %staff_id))]
    pub async fn admin_create_from_question(
        &self,
        staff_id: Uuid,
        context: &RequestContext,
        title: &str,
        text: &str,
        answer: &str,
    ) -> Result<Uuid, HelpAdminError> {
        let me = self.editor(staff_id).await?;
        self.ensure_fund(me.caisse_code).await?;
        let loaded = self.loaded_fund(me.caisse_code).await?;
        let category = loaded
            .index
            .search(&format!("{title} {text}"), 1)
            .first()
            .map_or(Category::Demarches, |hit| hit.category);
        let base = FaqSlug::from_title(title).ok_or(FaqError::Slug)?;
        let mut slug = base.clone();
        let mut n = 2;
        while entries::slug_taken(&self.db, me.caisse_code, &slug).await? {
            let stem: String = base.as_str().chars().take(55).collect();
            slug = FaqSlug::parse(&format!("{}-{n}", stem.trim_end_matches('-')))?;
            n += 1;
        }
        let alternative: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let form = EntryForm {
            slug: slug.as_str().to_owned(),
            category: category.code().to_owned(),
            question: title
                .chars()
                .take(caisse_domain::help::QUESTION_MAX)
                .collect(),
            alternatives: alternative
                .chars()
                .take(caisse_domain::help::QUESTION_MAX)
                .collect(),
            answer: answer.to_owned(),
            link_label: String::new(),
            link_href: String::new(),
            review_on: (self.today() + Duration::days(365)).to_string(),
        };
        self.admin_create(staff_id, context, &form).await
    }

    /// The draft form of a new entry: the category's first, reviewed in a year.
    #[must_use]
    pub fn new_entry_form(&self) -> EntryForm {
        EntryForm {
            category: Category::ALL[0].code().to_owned(),
            review_on: (self.today() + Duration::days(365)).to_string(),
            ..EntryForm::default()
        }
    }
}

/// The version a form edits: the draft, else the published one.
#[must_use]
pub fn current_form(entry: &Entry) -> Option<EntryForm> {
    entry
        .current()
        .map(|v: &Version| EntryForm::of(&entry.slug, &v.content))
}
