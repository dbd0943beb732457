//! The outbox's secrets on a real database (SQLite, or PostgreSQL with `TEST_DATABASE_URL`):
//! sealed when queued, in clear only in the hands of the transport, erased once delivered; a
//! body the server cannot open is never sent; bodies an upgrade left in clear are sealed.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use caisse_core::clock::{Clock, ManualClock};
use caisse_core::mail::{DeliveryError, OutgoingMessage, Transport};
use caisse_core::outbox::{OutboxSeal, Secret, enqueue_with_secrets, seal_legacy_bodies};
use caisse_core::outbox_worker::{OutboxWorker, Transports, WorkerSettings};
use caisse_domain::Instant;
use caisse_store::outbox::{self, Channel, LEGACY_BODY_PREFIX, NewMessage, Status};
use caisse_test_support::TestDb;
use time::macros::datetime;
use uuid::Uuid;

const BODY: &str = "Bonjour,\n\nPour le choisir, ouvrez ce lien :\n\
                    https://portail.exemple.fr/mot-de-passe-oublie/TOKEN-0123456789\n\n\
                    Ou saisissez ce code : 482913\n";

/// Keeps what it is handed.
#[derive(Default)]
struct Recorder(Mutex<Vec<OutgoingMessage>>);

#[async_trait]
impl Transport for Recorder {
    async fn deliver(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        self.0.lock().expect("recorder").push(message.clone());
        Ok(())
    }
}

fn mail() -> NewMessage {
    NewMessage {
        channel: Channel::Email,
        recipient: "julien.martin@exemple.fr".to_owned(),
        subject: "Réinitialisation de votre mot de passe".to_owned(),
        body_text: BODY.to_owned(),
        caisse_code: Some("781".to_owned()),
    }
}

fn worker(t: &TestDb, seal: &OutboxSeal, recorder: &Arc<Recorder>) -> OutboxWorker {
    worker_at(t, seal, recorder, datetime!(2026-03-02 09:00 UTC))
}

fn worker_at(
    t: &TestDb,
    seal: &OutboxSeal,
    recorder: &Arc<Recorder>,
    now: time::OffsetDateTime,
) -> OutboxWorker {
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now));
    OutboxWorker::new(
        t.db.clone(),
        Transports {
            email: recorder.clone(),
            sms: recorder.clone(),
        },
        clock,
        WorkerSettings::default(),
        seal.clone(),
    )
}

fn key(label: &str) -> OutboxSeal {
    OutboxSeal::derive(format!("{label}-0123456789abcdef0123456789").as_bytes()).unwrap()
}

#[tokio::test]
async fn a_secret_is_sealed_until_delivered_then_erased() {
    let t = TestDb::new().await;
    let seal = key("server");
    let now = Instant::new(datetime!(2026-03-02 08:59 UTC));
    let id = enqueue_with_secrets(
        &t.db,
        &seal,
        mail(),
        &[Secret::Link("TOKEN-0123456789"), Secret::Code("482913")],
        now,
    )
    .await
    .unwrap();
    let queued = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!(
        queued.body_text,
        "Bonjour,\n\nPour le choisir, ouvrez ce lien :\n[lien masqué]\n\n\
         Ou saisissez ce code : [code masqué]\n"
    );
    let sealed = queued.sealed_body.clone().unwrap();
    assert!(sealed.starts_with("v1."));
    assert!(!sealed.contains("TOKEN") && !sealed.contains("482913"));

    let recorder = Arc::new(Recorder::default());
    assert_eq!(
        worker(&t, &seal, &recorder)
            .deliver_due_batch()
            .await
            .unwrap(),
        1
    );
    let handed = recorder.0.lock().unwrap().clone();
    assert_eq!(handed.len(), 1);
    assert_eq!(handed[0].body_text, BODY, "the transport gets the secrets");
    let sent = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!(sent.status, Status::Sent);
    assert_eq!(sent.sealed_body, None, "erased with the delivery");
    assert_eq!(sent.body_text, queued.body_text, "the masked body stays");
}

#[tokio::test]
async fn a_body_the_server_key_cannot_open_is_never_sent() {
    let t = TestDb::new().await;
    let now = Instant::new(datetime!(2026-03-02 08:59 UTC));
    /// The test mail, its code sealed under `seal`.
    async fn queue_code(t: &TestDb, seal: &OutboxSeal) -> Uuid {
        let now = Instant::new(datetime!(2026-03-02 08:59 UTC));
        enqueue_with_secrets(&t.db, seal, mail(), &[Secret::Code("482913")], now)
            .await
            .unwrap()
    }
    let id = queue_code(&t, &key("old-key")).await;
    // A body sealed for another message does not open either.
    let other = Uuid::now_v7();
    let stolen = outbox::get(&t.db, id).await.unwrap().unwrap().sealed_body;
    outbox::enqueue_sealed(&t.db, other, mail(), stolen.unwrap(), now)
        .await
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    worker(&t, &key("old-key"), &recorder)
        .deliver_due_batch()
        .await
        .unwrap();
    let delivered: Vec<Uuid> = recorder.0.lock().unwrap().iter().map(|m| m.id).collect();
    assert_eq!(
        delivered,
        [id],
        "the copied seal does not open for another id"
    );
    let refused = outbox::get(&t.db, other).await.unwrap().unwrap();
    assert_eq!(refused.status, Status::Failed, "given up at once");
    assert!(refused.last_error.unwrap().contains("does not open"));

    let id = queue_code(&t, &key("old-key")).await;
    let recorder = Arc::new(Recorder::default());
    worker(&t, &key("new-key"), &recorder)
        .deliver_due_batch()
        .await
        .unwrap();
    assert!(
        recorder.0.lock().unwrap().is_empty(),
        "nothing masked is sent"
    );
    let row = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!(row.status, Status::Failed);
    assert!(
        row.sealed_body.is_some(),
        "kept, for a retry once the key is back"
    );
}

#[tokio::test]
async fn bodies_an_upgrade_left_in_clear_are_sealed_at_startup_and_delivered() {
    let t = TestDb::new().await;
    let seal = key("server");
    let now = Instant::new(datetime!(2026-03-02 08:59 UTC));
    let id = Uuid::now_v7();
    outbox::enqueue_sealed(
        &t.db,
        id,
        NewMessage {
            body_text: "[Contenu masqué]".to_owned(),
            ..mail()
        },
        format!("{LEGACY_BODY_PREFIX}{BODY}"),
        now,
    )
    .await
    .unwrap();
    let recorder = Arc::new(Recorder::default());
    // Not sealed yet (another node is starting): the worker sends nothing and tries later.
    worker(&t, &seal, &recorder)
        .deliver_due_batch()
        .await
        .unwrap();
    assert!(recorder.0.lock().unwrap().is_empty());
    let later = outbox::get(&t.db, id).await.unwrap().unwrap();
    assert_eq!((later.status, later.attempts), (Status::Pending, 1));

    assert_eq!(seal_legacy_bodies(&t.db, &seal).await.unwrap(), 1);
    assert_eq!(seal_legacy_bodies(&t.db, &seal).await.unwrap(), 0, "once");
    let row = outbox::get(&t.db, id).await.unwrap().unwrap();
    let sealed = row.sealed_body.unwrap();
    assert!(sealed.starts_with("v1.") && !sealed.contains("TOKEN"));
    worker_at(&t, &seal, &recorder, datetime!(2026-03-02 09:05 UTC))
        .deliver_due_batch()
        .await
        .unwrap();
    assert_eq!(recorder.0.lock().unwrap()[0].body_text, BODY);
    assert_eq!(
        outbox::get(&t.db, id).await.unwrap().unwrap().sealed_body,
        None
    );
}
