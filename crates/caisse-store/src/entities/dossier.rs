//! `dossiers`: one row per dossier of any procedure (« Mes démarches »).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossiers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub caisse_code: String,
    /// The member whose file the dossier concerns.
    pub member_id: Uuid,
    /// 1 for the member, 2–19 for a beneficiary.
    pub person_rank: i16,
    pub procedure_code: String,
    pub procedure_version: i32,
    /// `member`, `mandataire` or `public`.
    pub filed_as: String,
    /// The mandataire's member id.
    pub filed_by: Option<Uuid>,
    pub state: String,
    /// Tagged JSON of the answers.
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    pub team_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    pub due_on: Option<TimeDate>,
    pub paused_on: Option<TimeDate>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    /// JSON list of the decision's reasons.
    #[sea_orm(column_type = "Text", nullable)]
    pub reasons: Option<String>,
    /// JSON of the last completion request (message and flagged fields).
    #[sea_orm(column_type = "Text", nullable)]
    pub completion_request: Option<String>,
    pub expires_on: Option<TimeDate>,
    pub expiry_notice_sent: bool,
    pub event_count: i32,
    pub event_head: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
