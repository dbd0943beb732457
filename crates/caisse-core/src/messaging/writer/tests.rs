use caisse_store::members::{self, NewMember};
use caisse_store::messaging::{self as store, MemberFilters, NewThread, TeamRouting};
use caisse_store::now_utc;
use caisse_test_support::TestDb;
use time::macros::date;
use uuid::Uuid;

use super::*;
use crate::audit::{self, Actor, RequestContext};

async fn member(db: &Db) -> Uuid {
    members::insert(
        db,
        NewMember {
            nir: "185057800608484".to_owned(),
            last_name: "TEST".to_owned(),
            usage_name: None,
            first_name: "Alex".to_owned(),
            birth_date: date!(1985 - 05 - 14),
            sex: "1".to_owned(),
            caisse_code: "781".to_owned(),
            vitale_serial: None,
            address_line1: "1 rue Haute".to_owned(),
            address_line2: None,
            postal_code: "78000".to_owned(),
            city: "VERSAILLES".to_owned(),
            email: None,
            phone: None,
            iban: None,
        },
        Vec::new(),
        now_utc(),
    )
    .await
    .unwrap()
}

fn pending(member_id: Uuid, reference: &str) -> PendingThread {
    let row = ThreadRow::new(
        NewThread {
            reference: reference.to_owned(),
            member_id,
            caisse_code: "781".to_owned(),
            recipient_code: "caisse".to_owned(),
            objet_code: "carte_vitale.commande".to_owned(),
            nature_code: "demande_renseignements".to_owned(),
            subject: format!("Sujet {reference}"),
            status: "en_attente".to_owned(),
            due_on: date!(2026 - 04 - 10),
            team: TeamRouting::ByObjet,
            body: "Bonjour".to_owned(),
        },
        now_utc(),
    );
    PendingThread {
        audit: audit::event(
            &RequestContext::default(),
            Actor::Member(member_id),
            "member.message.sent",
            Some(("message_thread", row.id)),
            serde_json::json!({ "reference": reference }),
        ),
        mail: None,
        row,
        written: Written::default(),
    }
}

#[tokio::test]
async fn a_send_that_fails_in_a_batch_does_not_fail_the_others() {
    let t = TestDb::new().await;
    let member_id = member(&t.db).await;
    let writer = ThreadWriter::new(t.db.clone());
    writer.write(pending(member_id, "M-2026-TAKE-N000")).await.unwrap();

    // Queued together, so written in one batch first: the clash fails it, then each send is
    // written alone.
    let (clash, fine, other) = tokio::join!(
        writer.write(pending(member_id, "M-2026-TAKE-N000")),
        writer.write(pending(member_id, "M-2026-FINE-0001")),
        writer.write(pending(member_id, "M-2026-FINE-0002")),
    );
    let clash = clash.unwrap_err();
    assert!(is_unique_violation(&clash), "{clash:?}");
    fine.unwrap();
    other.unwrap();
    let page = store::member_threads(&t.db, member_id, &MemberFilters::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(page.total, 3);
}

#[tokio::test]
async fn the_writer_starts_again_after_its_task_stopped() {
    let t = TestDb::new().await;
    let member_id = member(&t.db).await;
    let writer = ThreadWriter::new(t.db.clone());
    writer.write(pending(member_id, "M-2026-AAAA-0001")).await.unwrap();
    // A queue whose task is gone, as after the runtime that ran it stopped.
    let (closed, receiver) = mpsc::channel(1);
    drop(receiver);
    *writer.queue.lock().unwrap() = Some(closed);
    writer.write(pending(member_id, "M-2026-AAAA-0002")).await.unwrap();
}
