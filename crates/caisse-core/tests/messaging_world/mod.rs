//! A messaging service over a fresh database with a clock the test moves, and helpers to
//! create members and staff: shared by the messaging, delay and médiateur suites.

#![allow(dead_code, reason = "each suite uses part of the helpers")]

use std::sync::Arc;

use caisse_core::audit::RequestContext;
use caisse_core::clock::{Clock, ManualClock};
use caisse_core::files::ObjectFiles;
use caisse_core::messaging::{Messaging, MessagingSettings, NewMessageForm};
use caisse_domain::{AccountStatus, CaisseCode, PhoneNumber, StaffRole};
use caisse_store::members::{self, NewMember};
use caisse_store::staff::{self, NewStaff};
use caisse_store::{ConnectionTrait, Db, now_utc};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::new_member;
use time::OffsetDateTime;
use uuid::Uuid;

pub struct World {
    _t: TestDb,
    pub db: Db,
    pub clock: ManualClock,
    pub svc: Messaging,
    /// The files of attachments, in memory.
    pub files: Arc<ObjectFiles>,
}

impl World {
    pub async fn at(now: OffsetDateTime) -> World {
        World::with_page_size(now, 20).await
    }

    /// A world whose lists hold `page_size` threads a page. The base URL ends with a slash,
    /// which links must not double.
    pub async fn with_page_size(now: OffsetDateTime, page_size: u64) -> World {
        let t = TestDb::new().await;
        let db = t.db.clone();
        let clock = ManualClock::new(now);
        let files = Arc::new(ObjectFiles::in_memory());
        let svc = Messaging::new(
            db.clone(),
            Arc::new(clock.clone()),
            MessagingSettings {
                base_url: "https://portail.example.fr/".to_owned(),
                page_size,
                ..MessagingSettings::default()
            },
            files.clone(),
        );
        World {
            _t: t,
            db,
            clock,
            svc,
            files,
        }
    }

    /// Moves the clock forward to `instant`.
    pub fn set_clock(&self, instant: OffsetDateTime) {
        let now = self.clock.now();
        assert!(instant >= now, "the clock only moves forward");
        self.clock.advance(instant - now);
    }

    /// A member of fund `caisse` (see [`member`]).
    pub async fn member(&self, tag: &str, caisse: &str) -> Uuid {
        member(&self.db, tag, caisse).await
    }

    /// A staff account (see [`conseiller`]).
    pub async fn staff(&self, login: &str, role: &str, caisse: &str) -> Uuid {
        staff_member(&self.db, login, role, caisse).await
    }

    /// Routes the thread `reference` to `team` (the teams' routing is not this suite's).
    pub async fn set_team(&self, reference: &str, team: &str) {
        self.db
            .execute_unprepared(&format!(
                "UPDATE message_threads SET team = '{team}' WHERE reference = '{reference}'"
            ))
            .await
            .unwrap();
    }
}

/// The NIR of a 13-character body: the body and its key.
fn nir_of(body: &str) -> String {
    format!("{body}{:02}", caisse_domain::compute_key(body).unwrap())
}

/// A member of fund `caisse` with an active account, email `membre{tag}@exemple.fr` and
/// mobile `+336123{tag}`.
pub async fn member(db: &Db, tag: &str, caisse: &str) -> Uuid {
    let id = members::insert(
        db,
        NewMember {
            phone: Some(PhoneNumber::parse(&format!("+336123{tag}")).unwrap()),
            ..new_member(
                &nir_of(&format!("18505780{tag}")),
                caisse,
                Some(&format!("membre{tag}@exemple.fr")),
            )
        },
        Vec::new(),
        now_utc(),
    )
    .await
    .unwrap();
    members::create_account(db, id, "x".to_owned(), AccountStatus::Active, now_utc())
        .await
        .unwrap();
    id
}

/// A staff account of fund `caisse` with role code `role`.
pub async fn staff_member(db: &Db, login: &str, role: &str, caisse: &str) -> Uuid {
    staff::insert(
        db,
        NewStaff {
            login: login.to_owned(),
            display_name: login.to_owned(),
            email: None,
            role: StaffRole::from_code(role).unwrap(),
            caisse_code: CaisseCode::parse(caisse).unwrap(),
            password_hash: "x".to_owned(),
        },
        now_utc(),
    )
    .await
    .unwrap()
}

pub fn ctx() -> RequestContext {
    RequestContext {
        ip: "192.0.2.1".to_owned(),
        user_agent: "test".to_owned(),
    }
}

/// A question about a carte Vitale: answered within 2 working days.
pub fn question(subject: &str) -> NewMessageForm {
    NewMessageForm {
        recipient: "caisse".to_owned(),
        objet: "carte_vitale.commande".to_owned(),
        nature: "demande_renseignements".to_owned(),
        subject: subject.to_owned(),
        body: "Ma carte Vitale ne fonctionne plus.".to_owned(),
    }
}

/// A réclamation about a reimbursement: answered within 15 working days.
pub fn reclamation(subject: &str) -> NewMessageForm {
    NewMessageForm {
        recipient: "caisse".to_owned(),
        objet: "remboursement.question".to_owned(),
        nature: "reclamation".to_owned(),
        subject: subject.to_owned(),
        body: "Mon traitement contre le diabète n'est pas remboursé.".to_owned(),
    }
}
