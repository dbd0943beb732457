//! Messaging storage on SQLite by default and on PostgreSQL with `TEST_DATABASE_URL`.

use caisse_domain::CaisseCode;
use caisse_domain::messaging::{Nature, ThreadStatus};
use caisse_store::audit::{self, NewEvent};
use caisse_store::members;
use caisse_store::messaging::{
    self, Assignment, Author, MemberFilters, NewThread, QueueFilters, ThreadChange,
};
use caisse_store::new_threads::{self, ThreadRow};
use caisse_store::now_utc;
use caisse_store::outbox::{self, Channel, NewMessage};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::new_member;
use sea_orm::DatabaseConnection;
use time::macros::date;
use uuid::Uuid;

async fn member(db: &DatabaseConnection, nir: &str, caisse: &str) -> Uuid {
    members::insert(db, new_member(nir, caisse, None), Vec::new(), now_utc())
        .await
        .unwrap()
}

async fn thread(
    db: &DatabaseConnection,
    member_id: Uuid,
    caisse: &str,
    subject: &str,
    due_on: time::Date,
) -> Uuid {
    messaging::insert_thread(
        db,
        NewThread {
            reference: format!("T-{}", &Uuid::now_v7().simple().to_string()[16..]),
            member_id,
            caisse_code: fund(caisse),
            recipient_code: "caisse".to_owned(),
            objet_code: "remboursements".to_owned(),
            nature: Nature::DemandeRenseignements,
            subject: subject.to_owned(),
            status: ThreadStatus::EnAttente,
            due_on,
            team: messaging::TeamRouting::Fixed(None),
            body: "Bonjour".to_owned(),
        },
        now_utc().into(),
    )
    .await
    .unwrap()
    .id
}

fn fund(code: &str) -> CaisseCode {
    CaisseCode::parse(code).unwrap()
}

#[tokio::test]
async fn a_versioned_update_applies_once_for_two_writers_with_the_same_version() {
    let t = TestDb::new().await;
    let m = member(&t.db, "185057800608491", "781").await;
    let id = thread(&t.db, m, "781", "Question", date!(2026 - 04 - 10)).await;
    let change = || ThreadChange {
        status: Some(ThreadStatus::EnCours),
        assigned_staff_id: Some(Some(Uuid::now_v7())),
        ..ThreadChange::default()
    };
    let first = messaging::update_if_version(&t.db, id, 1, change(), now_utc().into()).await;
    let second = messaging::update_if_version(&t.db, id, 1, change(), now_utc().into()).await;
    assert!(first.unwrap());
    assert!(!second.unwrap(), "the stale writer must not overwrite");
    let row = messaging::member_thread(&t.db, m, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.version, row.status), (2, ThreadStatus::EnCours));
}

#[tokio::test]
async fn member_queries_never_return_another_members_thread() {
    let t = TestDb::new().await;
    let alice = member(&t.db, "185057800608491", "781").await;
    let bob = member(&t.db, "293122A00412317", "2A1").await;
    let id = thread(&t.db, alice, "781", "Question", date!(2026 - 04 - 10)).await;
    assert!(
        messaging::member_thread(&t.db, bob, id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        messaging::fund_thread(&t.db, fund("2A1"), id)
            .await
            .unwrap()
            .is_none()
    );
    let page = messaging::member_threads(&t.db, bob, &MemberFilters::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(page.total, 0);
}

#[tokio::test]
async fn subject_search_ignores_case_and_accents_and_treats_wildcards_literally() {
    let t = TestDb::new().await;
    let m = member(&t.db, "185057800608491", "781").await;
    thread(
        &t.db,
        m,
        "781",
        "Réclamation dentaire",
        date!(2026 - 04 - 10),
    )
    .await;
    thread(
        &t.db,
        m,
        "781",
        "Remboursement à 100_%",
        date!(2026 - 04 - 10),
    )
    .await;
    let search = |text: &str| MemberFilters {
        search: Some(text.to_owned()),
        ..MemberFilters::default()
    };
    let count = async |text: &str| {
        messaging::member_threads(&t.db, m, &search(text), 0, 10)
            .await
            .unwrap()
            .total
    };
    assert_eq!(count("RECLAMATION").await, 1);
    assert_eq!(count("réclamation").await, 1);
    assert_eq!(count("100_%").await, 1);
    assert_eq!(count("%").await, 1, "a % is a character, not a wildcard");
    assert_eq!(count("_").await, 1);
}

#[tokio::test]
async fn the_queue_is_sorted_by_due_date_and_filtered_by_assignment_and_lateness() {
    let t = TestDb::new().await;
    let m = member(&t.db, "185057800608491", "781").await;
    let late = thread(&t.db, m, "781", "Late", date!(2026 - 04 - 01)).await;
    let soon = thread(&t.db, m, "781", "Soon", date!(2026 - 04 - 20)).await;
    let staff = Uuid::now_v7();
    assert!(
        messaging::update_if_version(
            &t.db,
            soon,
            1,
            ThreadChange {
                assigned_staff_id: Some(Some(staff)),
                ..ThreadChange::default()
            },
            now_utc().into(),
        )
        .await
        .unwrap()
    );
    let ids = async |filters: QueueFilters| {
        messaging::fund_queue(&t.db, fund("781"), &filters, 0, 10)
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(QueueFilters::default()).await, vec![late, soon]);
    let overdue = QueueFilters {
        overdue_on: Some(date!(2026 - 04 - 10)),
        ..QueueFilters::default()
    };
    assert_eq!(ids(overdue).await, vec![late]);
    let mine = QueueFilters {
        assignment: Some(Assignment::To(staff)),
        ..QueueFilters::default()
    };
    assert_eq!(ids(mine).await, vec![soon]);
    let nobody = QueueFilters {
        assignment: Some(Assignment::Unassigned),
        ..QueueFilters::default()
    };
    assert_eq!(ids(nobody).await, vec![late]);
    assert!(ids_empty(&t.db).await);
    // Internal notes are filtered out on request.
    messaging::add_message(
        &t.db,
        (late, m),
        Author::Staff(staff),
        "note",
        true,
        now_utc().into(),
    )
    .await
    .unwrap();
    assert_eq!(
        messaging::messages(&t.db, late, false).await.unwrap().len(),
        1
    );
    assert_eq!(
        messaging::messages(&t.db, late, true).await.unwrap().len(),
        2
    );
}

async fn ids_empty(db: &DatabaseConnection) -> bool {
    messaging::fund_queue(db, fund("671"), &QueueFilters::default(), 0, 10)
        .await
        .unwrap()
        .rows
        .is_empty()
}

fn new_thread(member_id: Uuid, reference: &str, subject: &str) -> NewThread {
    NewThread {
        reference: reference.to_owned(),
        member_id,
        caisse_code: fund("781"),
        recipient_code: "caisse".to_owned(),
        objet_code: "remboursements".to_owned(),
        nature: Nature::DemandeRenseignements,
        subject: subject.to_owned(),
        status: ThreadStatus::EnAttente,
        due_on: date!(2026 - 04 - 10),
        team: messaging::TeamRouting::Fixed(None),
        body: format!("Texte de « {subject} »"),
    }
}

#[tokio::test]
async fn a_batch_of_new_threads_is_written_whole_with_first_messages_or_not_at_all() {
    let t = TestDb::new().await;
    let alice = member(&t.db, "185057800608491", "781").await;
    let rows: Vec<ThreadRow> = (1..=3)
        .map(|n| {
            ThreadRow::new(
                new_thread(alice, &format!("M-B-{n}"), &format!("Lot {n}")),
                now_utc().into(),
            )
        })
        .collect();
    new_threads::insert_with_events_and_mails(
        &t.db,
        &rows.iter().collect::<Vec<_>>(),
        Vec::new(),
        Vec::new(),
    )
    .await
    .unwrap();
    for row in &rows {
        let messages = messaging::messages(&t.db, row.id, false).await.unwrap();
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].id, row.first_message_id);
        assert_eq!(messages[0].body, row.new.body);
    }
    // A batch holding a taken reference writes nothing, not even its other threads.
    let fresh = ThreadRow::new(new_thread(alice, "M-B-4", "Lot 4"), now_utc().into());
    let clash = ThreadRow::new(new_thread(alice, "M-B-2", "Doublon"), now_utc().into());
    assert!(
        new_threads::insert_with_events_and_mails(&t.db, &[&fresh, &clash], Vec::new(), Vec::new())
            .await
            .is_err()
    );
    let page = messaging::member_threads(&t.db, alice, &MemberFilters::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(page.total, 3);
}

#[tokio::test]
async fn threads_their_audit_events_and_mails_are_written_together_or_not_at_all() {
    let t = TestDb::new().await;
    let alice = member(&t.db, "185057800608491", "781").await;
    let event = |id| NewEvent {
        actor_kind: caisse_domain::ActorKind::Member,
        actor_id: Some(alice),
        action: caisse_domain::AuditAction::MemberMessageSent,
        subject_kind: Some("message_thread"),
        subject_id: Some(id),
        ip: "192.0.2.1".to_owned(),
        user_agent: "test".to_owned(),
        details: serde_json::json!({}),
    };
    let mail = |to: &str| NewMessage {
        channel: Channel::Email,
        recipient: to.to_owned(),
        subject: "Votre message a bien été envoyé".to_owned(),
        body_text: "Bonjour".to_owned(),
        caisse_code: Some("781".to_owned()),
    };
    let now = now_utc();
    let first = ThreadRow::new(new_thread(alice, "M-W-1", "Un"), now.into());
    let second = ThreadRow::new(new_thread(alice, "M-W-2", "Deux"), now.into());
    new_threads::insert_with_events_and_mails(
        &t.db,
        &[&first, &second],
        vec![(event(first.id), now), (event(second.id), now)],
        vec![(mail("alice@exemple.fr"), now)],
    )
    .await
    .unwrap();
    for row in [&first, &second] {
        assert_eq!(
            messaging::messages(&t.db, row.id, false)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            audit::for_subject(&t.db, "message_thread", row.id, 5)
                .await
                .unwrap()
                .len(),
            1
        );
    }
    assert_eq!(
        outbox::for_recipient(&t.db, "alice@exemple.fr")
            .await
            .unwrap()
            .len(),
        1
    );

    // A taken reference: neither the other thread, nor an event, nor a mail.
    let fresh = ThreadRow::new(new_thread(alice, "M-W-3", "Trois"), now.into());
    let clash = ThreadRow::new(new_thread(alice, "M-W-1", "Doublon"), now.into());
    let result = new_threads::insert_with_events_and_mails(
        &t.db,
        &[&fresh, &clash],
        vec![(event(fresh.id), now)],
        vec![(mail("bob@exemple.fr"), now)],
    )
    .await;
    // PostgreSQL: one statement, failed whole; SQLite: the threads' insert fails first.
    assert!(result.is_err());
    assert!(
        audit::for_subject(&t.db, "message_thread", fresh.id, 5)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        outbox::for_recipient(&t.db, "bob@exemple.fr")
            .await
            .unwrap()
            .is_empty()
    );
    let page = messaging::member_threads(&t.db, alice, &MemberFilters::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(page.total, 2);
}

#[tokio::test]
async fn the_member_key_migration_fills_messages_of_existing_threads() {
    use caisse_store::{ConnectionTrait, Migrator, run_migrations};
    use sea_orm::Statement;
    use sea_orm_migration::MigratorTrait;

    let t = TestDb::new().await;
    let m = member(&t.db, "185057800608491", "781").await;
    let other = member(&t.db, "285057800608441", "781").await;
    thread(&t.db, m, "781", "Mine", date!(2026 - 04 - 01)).await;
    thread(&t.db, other, "781", "Theirs", date!(2026 - 04 - 01)).await;
    // Back to before m0032 (the column goes), then up again: the column is filled.
    Migrator::down(&t.db, Some(1)).await.unwrap();
    run_migrations(&t.db).await.unwrap();
    let backend = t.db.get_database_backend();
    let rows =
        t.db.query_all_raw(Statement::from_string(
            backend,
            "SELECT m.member_id AS filled, t.member_id AS owner FROM messages m \
             JOIN message_threads t ON t.id = m.thread_id",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        let filled: Uuid = row.try_get("", "filled").unwrap();
        let owner: Uuid = row.try_get("", "owner").unwrap();
        assert_eq!(filled, owner);
    }
}

/// On PostgreSQL, messages live in the month of their UUIDv7 id (`m0034`): a message sent now
/// is in this month's partition, the housekeeping makes months ahead, and the files still
/// reference their message.
#[tokio::test]
async fn a_message_lands_in_the_month_of_its_id_and_keeps_its_files() {
    use caisse_store::log_partitions;
    use sea_orm::{ConnectionTrait, Statement};

    let t = TestDb::new().await;
    if !t.is_postgres() {
        return; // SQLite does not partition.
    }
    let today = now_utc().date();
    let ahead = today + time::Duration::days(62);
    log_partitions::ensure_months(&t.db, today, ahead)
        .await
        .unwrap();
    let member_id = members::insert(
        &t.db,
        new_member("185057800608491", "781", None),
        Vec::new(),
        now_utc(),
    )
    .await
    .unwrap();
    let inserted = messaging::insert_thread(
        &t.db,
        new_thread(member_id, "M-2026-PART-0001", "Partition"),
        now_utc().into(),
    )
    .await
    .unwrap();
    let partition_of = |sql: &str| {
        let db = t.db.clone();
        let sql = sql.to_owned();
        async move {
            db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .unwrap()
                .unwrap()
                .try_get::<String>("", "name")
                .unwrap()
        }
    };
    let month = format!(
        "messages_{:04}_{:02}",
        today.year(),
        u8::from(today.month())
    );
    assert_eq!(
        partition_of(&format!(
            "SELECT tableoid::regclass::text AS name FROM messages WHERE id = '{}'",
            inserted.first_message_id
        ))
        .await,
        month
    );
    let ahead_month = format!(
        "messages_{:04}_{:02}",
        ahead.year(),
        u8::from(ahead.month())
    );
    assert_eq!(
        partition_of(&format!(
            "SELECT relname::text AS name FROM pg_class WHERE relname = '{ahead_month}'"
        ))
        .await,
        ahead_month
    );
    // The files' foreign key points at the partitioned table, and deleting the thread still
    // takes its messages and files along.
    use caisse_domain::messaging::{AttachmentKind, AttachmentLimits, FileName};
    let file = |key: &str| caisse_store::attachments::NewAttachment {
        file_name: FileName::parse(
            "scan.pdf",
            AttachmentKind::Pdf,
            &AttachmentLimits::default(),
        )
        .unwrap(),
        kind: AttachmentKind::Pdf,
        size_bytes: 1_000,
        storage_key: key.to_owned(),
    };
    caisse_store::attachments::insert(
        &t.db,
        (inserted.first_message_id, member_id),
        &file("a/scan.pdf"),
        now_utc().into(),
    )
    .await
    .unwrap();
    let orphan = caisse_store::attachments::insert(
        &t.db,
        (uuid::Uuid::now_v7(), member_id),
        &file("b/scan.pdf"),
        now_utc().into(),
    )
    .await;
    assert!(orphan.is_err(), "a file of no message is refused");
    t.db.execute_unprepared(&format!(
        "DELETE FROM message_threads WHERE id = '{}'",
        inserted.id
    ))
    .await
    .unwrap();
    assert_eq!(
        partition_of("SELECT count(*)::text AS name FROM message_attachments").await,
        "0"
    );
}
