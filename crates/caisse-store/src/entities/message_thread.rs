//! `message_threads`: one exchange (*échange*) between a member and their fund. The member
//! and the fund are fixed at creation; `version` grows on every change a staff member could
//! otherwise overwrite (optimistic concurrency).

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "message_threads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub reference: String,
    pub member_id: Uuid,
    pub caisse_code: String,
    pub recipient_code: String,
    pub objet_code: String,
    pub nature_code: String,
    pub subject: String,
    /// The subject lower-cased without accents, for the member's search.
    pub subject_search: String,
    pub status: String,
    pub due_on: TimeDate,
    pub assigned_staff_id: Option<Uuid>,
    pub team: Option<String>,
    pub version: i32,
    pub unread_by_member: bool,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub closed_at: Option<TimeDateTimeWithTimeZone>,
    /// When the fund first answered (m0009); `None` until then.
    pub first_answered_at: Option<TimeDateTimeWithTimeZone>,
    /// Seconds from the thread's creation to its first answer.
    pub first_answer_seconds: Option<i64>,
    /// Whether the first answer came by the due date, in the fund's legal time.
    pub answered_within_delay: Option<bool>,
    /// A réclamation's outcome code, recorded by the staff member.
    pub outcome: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// Shows ids, codes, states and dates; never the subject (nor its search form).
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("message_thread::Model")
            .field("id", &self.id)
            .field("reference", &self.reference)
            .field("member_id", &self.member_id)
            .field("caisse_code", &self.caisse_code)
            .field("objet_code", &self.objet_code)
            .field("nature_code", &self.nature_code)
            .field("status", &self.status)
            .field("due_on", &self.due_on)
            .field("team", &self.team)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl ActiveModelBehavior for ActiveModel {}
