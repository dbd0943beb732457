//! SeaORM row models, one module per table. They never leave the store's API as domain truths:
//! callers read them as plain rows; rules live in `caisse-domain` and `caisse-core`.

pub mod account;
pub mod account_link;
pub mod agenda_absence;
pub mod agenda_closure;
pub mod agenda_hour;
pub mod agenda_motif;
pub mod agenda_site;
pub mod agenda_waiting;
pub mod api_token;
pub mod appointment;
pub mod arret;
pub mod attachment_draft;
pub mod attestation;
pub mod audit_event;
pub mod bank_change;
pub mod beneficiary;
pub mod c2s_period;
pub mod canned_answer;
pub mod card_order;
pub mod care_line;
pub mod care_sheet;
pub mod claim_lot;
pub mod claim_sender;
pub mod cluster_job;
pub mod contact_code;
pub mod coverage_period;
pub mod debt_card_order;
pub mod debt_payment;
pub mod debt_recovery;
pub mod declared_doctor;
pub mod deduction_counter;
pub mod dossier;
pub mod dossier_event;
pub mod dossier_piece;
pub mod exemption;
pub mod faq_entry;
pub mod faq_fund;
pub mod faq_version;
pub mod fc_link;
pub mod fc_pending_link;
pub mod forum_answer;
pub mod forum_question;
pub mod help_feedback;
pub mod help_query;
pub mod ij_payment;
pub mod line_correction;
pub mod login_challenge;
pub mod login_throttle;
pub mod mediation_referral;
pub mod member;
pub mod member_debt;
pub mod member_quota;
pub mod message;
pub mod message_attachment;
pub mod message_thread;
pub mod oidc_request;
pub mod oidc_session;
pub mod outbox_message;
pub mod password_reset;
pub mod payment;
pub mod postal_letter;
pub mod procuration;
pub mod provisional_code;
pub mod rate_counter;
pub mod reference_deduction;
pub mod reference_ij;
pub mod reference_ij_at_mp;
pub mod reference_ij_charge;
pub mod reference_ij_maternite;
pub mod reference_load;
pub mod reference_rate;
pub mod reference_regime_local;
pub mod reference_tariff;
pub mod security_alert;
pub mod sender_debt;
pub mod session;
pub mod staff;
pub mod staff_login_challenge;
pub mod team;
pub mod team_member;
pub mod team_objet;
pub mod trusted_device;

#[cfg(test)]
mod tests {
    //! The rows of messaging hold what members and staff wrote: their `Debug` (what a log
    //! line or a panic message prints) names rows, never their text.

    use time::macros::{date, datetime};
    use uuid::Uuid;

    use super::{
        attachment_draft, canned_answer, mediation_referral, message, message_attachment,
        message_thread,
    };

    const SUBJECT: &str = "Mon arrêt maladie pour dépression";
    const BODY: &str = "Je joins l'ordonnance du Dr Dupont, NIR 1 85 05 78 006 084";
    const FILE: &str = "ordonnance_psychiatre.pdf";

    fn thread_row(id: Uuid, team: Option<&str>) -> message_thread::Model {
        let at = datetime!(2026-03-02 09:00 UTC);
        message_thread::Model {
            id,
            reference: "M-2026-K7Q3-9DXA".to_owned(),
            member_id: id,
            caisse_code: "781".to_owned(),
            recipient_code: "caisse".to_owned(),
            objet_code: "remboursement.question".to_owned(),
            nature_code: "reclamation".to_owned(),
            subject: SUBJECT.to_owned(),
            subject_search: SUBJECT.to_lowercase(),
            status: "en_attente".to_owned(),
            due_on: date!(2026 - 03 - 10),
            assigned_staff_id: None,
            team: team.map(str::to_owned),
            version: 1,
            unread_by_member: false,
            created_at: at,
            updated_at: at,
            closed_at: None,
            first_answered_at: None,
            first_answer_seconds: None,
            answered_within_delay: None,
            outcome: None,
        }
    }

    fn shows_none_of(debug: &str, texts: &[&str]) {
        for text in texts {
            assert!(!debug.contains(text), "{text:?} printed in {debug}");
        }
    }

    #[test]
    fn the_debug_of_messaging_rows_prints_no_text_no_subject_no_file_name() {
        let at = datetime!(2026-03-02 09:00 UTC);
        let id = Uuid::now_v7();
        let thread = thread_row(id, None);
        let debug = format!("{thread:?}");
        assert!(debug.contains("M-2026-K7Q3-9DXA"), "{debug}");
        shows_none_of(&debug, &[SUBJECT, &SUBJECT.to_lowercase()]);
        let message = message::Model {
            id,
            thread_id: id,
            member_id: id,
            author_kind: "member".to_owned(),
            author_staff_id: None,
            body: BODY.to_owned(),
            internal: false,
            created_at: at,
        };
        shows_none_of(&format!("{message:?}"), &[BODY]);
        let file = message_attachment::Model {
            id,
            message_id: id,
            member_id: id,
            file_name: FILE.to_owned(),
            content_type: "application/pdf".to_owned(),
            size_bytes: 1024,
            storage_key: "a/b".to_owned(),
            created_at: at,
        };
        shows_none_of(&format!("{file:?}"), &[FILE]);
        let draft = attachment_draft::Model {
            id,
            member_id: id,
            file_name: FILE.to_owned(),
            content_type: "application/pdf".to_owned(),
            size_bytes: 1024,
            storage_key: "a/b".to_owned(),
            created_at: at,
            expires_at: at,
        };
        shows_none_of(&format!("{draft:?}"), &[FILE]);
        let canned = canned_answer::Model {
            id,
            caisse_code: "781".to_owned(),
            team_id: None,
            title: SUBJECT.to_owned(),
            body: BODY.to_owned(),
            active: true,
            created_at: at,
            updated_at: at,
        };
        shows_none_of(&format!("{canned:?}"), &[SUBJECT, BODY]);
        let referral = mediation_referral::Model {
            id,
            reference: "MD-2026-K7Q3-9DXA".to_owned(),
            thread_id: id,
            member_id: id,
            caisse_code: "781".to_owned(),
            reason: "no_answer".to_owned(),
            member_text: BODY.to_owned(),
            status: "a_traiter".to_owned(),
            assigned_staff_id: None,
            answer: Some(SUBJECT.to_owned()),
            answered_at: Some(at),
            answered_staff_id: None,
            version: 1,
            created_at: at,
            updated_at: at,
            closed_at: None,
        };
        shows_none_of(&format!("{referral:?}"), &[SUBJECT, BODY]);
    }

    #[test]
    fn the_debug_of_what_the_store_returns_prints_no_text_either() {
        let thread = thread_row(Uuid::now_v7(), Some("prestations"));
        let read = crate::messaging::Thread::try_from(thread).unwrap();
        assert_eq!(read.subject, SUBJECT);
        shows_none_of(&format!("{read:?}"), &[SUBJECT]);
        let message = crate::messaging::Message::try_from(message::Model {
            id: Uuid::now_v7(),
            thread_id: read.id,
            member_id: read.member_id,
            author_kind: "staff".to_owned(),
            author_staff_id: Some(Uuid::now_v7()),
            body: BODY.to_owned(),
            internal: true,
            created_at: datetime!(2026-03-02 09:00 UTC),
        })
        .unwrap();
        assert_eq!(message.body, BODY);
        shows_none_of(&format!("{message:?}"), &[BODY]);
    }

    #[test]
    fn a_stored_code_that_no_longer_parses_is_a_corrupt_row_not_a_panic() {
        let id = Uuid::now_v7();
        let row = message::Model {
            id,
            thread_id: id,
            member_id: id,
            author_kind: "robot".to_owned(),
            author_staff_id: None,
            body: BODY.to_owned(),
            internal: false,
            created_at: datetime!(2026-03-02 09:00 UTC),
        };
        match crate::messaging::Message::try_from(row) {
            Err(crate::StoreError::Corrupt { table, column, row }) => {
                assert_eq!((table, column), ("messages", "author_kind"));
                assert_eq!(row, id.to_string());
            }
            other => panic!("a corrupt row expected, got {other:?}"),
        }
    }
}
