//! Public questions of the help (issue 17, « Questions publiques »): a member asks under a
//! pseudonym; a question holding a NIR, an IBAN or a card number is held and the member edits
//! it; an advisor of the member's fund publishes, refuses (with a reason the member reads) or
//! answers it in the fund's name; anyone reads what was published. `member` is the members'
//! and visitors' side, [`staff`] the back office (fund-scoped, audited), `notify` the mails.

mod member;
mod notify;
pub mod staff;

use std::sync::Arc;

use caisse_domain::forum::{ModerationError, PseudonymError, TextLengthError};
use caisse_domain::{Fund, Instant};
use caisse_store::Db;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::CoreError;
use crate::clock::Clock;
pub use caisse_domain::forum::{DAILY_QUESTION_LIMIT, QuestionStatus};
pub use member::{
    Asked, MyQuestion, PublicAnswer, PublicQuestion, PublishedPage, QuestionDraft, QuestionPage,
};
pub use staff::{FaqMaterial, QueueTab, QueueView, StaffQuestion};

/// Questions on a page of the public list and of the back office's tabs.
pub const PAGE_SIZE: u64 = 20;

/// Why a question was not asked, edited, shown or moderated.
#[derive(Debug, thiserror::Error)]
pub enum ForumError {
    /// No such question for this person (another fund's, or not published).
    #[error("not found")]
    NotFound,
    /// A value out of its rules: which field, and what to correct in French.
    #[error("invalid {field}")]
    Invalid {
        /// The form field: `pseudonyme`, `titre`, `texte`, `reponse`, `motif`.
        field: &'static str,
        /// What to correct.
        message: String,
    },
    /// The member asked five questions in 24 hours.
    #[error("daily limit reached")]
    DailyLimit,
    /// The question's status forbids the move.
    #[error(transparent)]
    Moderation(#[from] ModerationError),
    /// Another advisor or the member changed it since it was read.
    #[error("changed meanwhile")]
    Changed,
    /// Unexpected.
    #[error(transparent)]
    Core(#[from] CoreError),
}

from_store!(ForumError);

impl From<crate::mails::TextError> for ForumError {
    fn from(error: crate::mails::TextError) -> Self {
        ForumError::Core(error.into())
    }
}

impl ForumError {
    pub(crate) fn pseudonym(error: PseudonymError) -> ForumError {
        ForumError::Invalid {
            field: "pseudonyme",
            message: error.message_fr().to_owned(),
        }
    }

    pub(crate) fn length(field: &'static str, error: TextLengthError) -> ForumError {
        ForumError::Invalid {
            field,
            message: error.message_fr(),
        }
    }

    /// What the member or advisor reads.
    pub fn message_fr(&self) -> String {
        match self {
            ForumError::NotFound => "Cette question est introuvable.".to_owned(),
            ForumError::Invalid { message, .. } => message.clone(),
            ForumError::DailyLimit => format!(
                "Vous avez déjà posé {DAILY_QUESTION_LIMIT} questions en 24 heures : \
                 réessayez demain, ou écrivez-nous depuis votre messagerie."
            ),
            ForumError::Moderation(error) => error.message_fr().to_owned(),
            ForumError::Changed => {
                "Cette question vient d'être modifiée ou traitée : rechargez la page.".to_owned()
            }
            ForumError::Core(_) => "Une erreur est survenue. Réessayez plus tard.".to_owned(),
        }
    }
}

/// What the public questions need to know of the deployment.
#[derive(Clone, Debug, Default)]
pub struct ForumSettings {
    /// Public base URL, for the links of mails.
    pub base_url: String,
}

/// The public questions.
#[derive(Clone)]
pub struct Forum {
    db: Db,
    clock: Arc<dyn Clock>,
    settings: Arc<ForumSettings>,
}

impl Forum {
    /// The service over `db`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, settings: ForumSettings) -> Forum {
        Forum {
            db,
            clock,
            settings: Arc::new(settings),
        }
    }

    fn instant(&self) -> Instant {
        Instant::from(self.clock.now())
    }

    fn base_url(&self) -> &str {
        self.settings.base_url.trim_end_matches('/')
    }

    fn page_of(&self, id: Uuid) -> String {
        format!("{}/aide/questions/{id}", self.base_url())
    }
}

/// The day of `at` in metropolitan France, as pages show it.
pub(crate) fn day_of(at: OffsetDateTime) -> Date {
    caisse_domain::paris_time::paris_time(at).date()
}

/// The name of fund `caisse`.
pub(crate) fn fund_name(caisse: &caisse_domain::CaisseCode) -> &'static str {
    Fund::by_code(caisse).name()
}
