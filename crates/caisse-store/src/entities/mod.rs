//! SeaORM row models, one module per table. They never leave the store's API as domain truths:
//! callers read them as plain rows; rules live in `caisse-domain` and `caisse-core`.

pub mod account;
pub mod account_link;
pub mod api_token;
pub mod attachment_draft;
pub mod attestation;
pub mod audit_event;
pub mod bank_change;
pub mod beneficiary;
pub mod c2s_period;
pub mod canned_answer;
pub mod contact_code;
pub mod coverage_period;
pub mod declared_doctor;
pub mod exemption;
pub mod login_challenge;
pub mod login_throttle;
pub mod mediation_referral;
pub mod member;
pub mod member_quota;
pub mod message;
pub mod message_attachment;
pub mod message_thread;
pub mod outbox_message;
pub mod password_reset;
pub mod postal_letter;
pub mod provisional_code;
pub mod security_alert;
pub mod session;
pub mod staff;
pub mod staff_login_challenge;
pub mod team;
pub mod team_member;
pub mod team_objet;
pub mod trusted_device;
