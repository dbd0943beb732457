//! The pure rules of secure messaging (« Ma messagerie », domain.md §4): what a member
//! may write about, to whom, within which limits, when the answer is due, how a thread's
//! status moves, which sensitive data deserves a warning before sending, and when a
//! réclamation may go to the médiateur.
//!
//! Lists that are product decisions rather than facts (objets, services, delays, length
//! limits) are configuration with French defaults: the application may replace them.
//! Nothing here stores, sends or routes a message; that is `caisse-core`'s job.

pub mod acknowledgement;
pub mod attachment;
pub mod catalogue;
pub mod delay;
pub mod mediation;
pub mod nature;
pub mod outcome;
pub mod recipient;
pub mod sensitive;
pub mod status;
pub mod team;
pub mod template;
pub mod text;

pub use acknowledgement::is_acknowledgement;
pub use attachment::{
    AttachmentError, AttachmentKind, AttachmentLimits, FileName, MIB, shown_name, size_fr,
};
pub use catalogue::{Catalogue, CatalogueError, Category, Objet};
pub use delay::{
    ATTESTATION_DELAY_DAYS, DEFAULT_DELAY_DAYS, Delays, MAX_DELAY_DAYS, RECLAMATION_DELAY_DAYS,
    REMBOURSEMENT_DELAY_DAYS, answered_in_time, day_start, due_date, local_date, received_on,
};
pub use mediation::{
    ReclamationFacts, ReferralEvent, ReferralReason, ReferralRefused, ReferralState,
    ReferralStatus, referral_reason,
};
pub use nature::Nature;
pub use outcome::Outcome;
pub use recipient::{FUND_CODE, Recipient, Service, Services};
pub use sensitive::{Warning, mask_bank_data, sensitive_data_warnings};
pub use status::{ThreadEvent, ThreadStatus, TransitionRefused};
pub use team::{TeamCode, TeamError, TeamName, UNROUTED_LABEL_FR};
pub use template::{Template, TemplateError, TemplateValues, Variable};
pub use text::{Body, BodyError, MessageLimits, Subject, SubjectError};
