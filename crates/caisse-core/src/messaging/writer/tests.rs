use caisse_store::messaging::{self as store, MemberFilters};
use caisse_store::now_utc;
use caisse_store::{members, outbox};
use caisse_test_support::TestDb;
use caisse_test_support::fixtures::new_member;

use super::*;
use crate::messaging::people;
use crate::messaging::quotas::QuotaExceeded;

async fn member(db: &Db, nir: &str) -> Uuid {
    members::insert(
        db,
        new_member(nir, "781", Some("alex@exemple.fr")),
        Vec::new(),
        now_utc(),
    )
    .await
    .unwrap()
}

fn request(member_id: Uuid, subject: &str) -> SendRequest {
    SendRequest {
        member_id,
        recipient_code: "caisse".to_owned(),
        objet_code: "carte_vitale.commande".to_owned(),
        nature: Nature::DemandeRenseignements,
        delay_days: 2,
        subject: subject.to_owned(),
        body: "Bonjour".to_owned(),
        written: Written::default(),
        context: RequestContext::default(),
        at: now_utc().into(),
    }
}

fn writer(db: &Db) -> ThreadWriter {
    ThreadWriter::new(
        db.clone(),
        "https://portail.exemple.fr/",
        MessagingQuotas::default(),
    )
}

async fn subjects(db: &Db, member_id: Uuid) -> Vec<String> {
    let mut subjects: Vec<String> =
        store::member_threads(db, member_id, &MemberFilters::default(), 0, 50)
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|t| t.subject)
            .collect();
    subjects.sort();
    subjects
}

#[tokio::test]
async fn sends_that_fail_in_a_batch_do_not_fail_the_others() {
    let t = TestDb::new().await;
    let alex = member(&t.db, "185057800608491").await;
    let writer = writer(&t.db);
    // Queued together, so handled as one batch: an unknown member is refused while the batch
    // is composed; a draft that is gone fails the batch's transaction, and then each send is
    // written alone.
    let gone_draft = SendRequest {
        written: Written::from_drafts(vec![Uuid::now_v7()]),
        ..request(alex, "Pièce expirée")
    };
    let (fine, unknown, expired, other) = tokio::join!(
        writer.write(request(alex, "Premier")),
        writer.write(request(Uuid::now_v7(), "Inconnu")),
        writer.write(gone_draft),
        writer.write(request(alex, "Second")),
    );
    let fine = fine.unwrap();
    assert!(matches!(unknown, Err(MemberError::NotFound)));
    assert!(matches!(expired, Err(MemberError::Invalid(_))));
    other.unwrap();
    assert_eq!(subjects(&t.db, alex).await, ["Premier", "Second"]);
    // The composed thread: the due date in the fund's calendar, a link in the mail.
    let row = store::member_thread(&t.db, alex, fine.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.reference, fine.reference);
    assert_eq!(row.due_on, fine.due_on);
    let mails = outbox::for_recipient(&t.db, "alex@exemple.fr")
        .await
        .unwrap();
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().any(|m| m.body_text.contains(&format!(
        "https://portail.exemple.fr/messagerie/{}",
        fine.id
    ))));
}

#[tokio::test]
async fn a_taken_reference_is_recognised_as_a_unique_violation() {
    let t = TestDb::new().await;
    let alex = member(&t.db, "185057800608491").await;
    let task = Task {
        db: t.db.clone(),
        base_url: Arc::from("https://portail.exemple.fr"),
        quotas: MessagingQuotas::default(),
    };
    let first = task
        .compose(
            &request(alex, "Un"),
            people::with_notices(&t.db, alex).await.unwrap().as_ref(),
        )
        .unwrap();
    write_batch(&t.db, std::slice::from_ref(&first))
        .await
        .unwrap();
    let mut again = task
        .compose(
            &request(alex, "Deux"),
            people::with_notices(&t.db, alex).await.unwrap().as_ref(),
        )
        .unwrap();
    again.row.new.reference = first.row.new.reference.clone();
    let error = write_batch(&t.db, std::slice::from_ref(&again))
        .await
        .unwrap_err();
    assert!(is_unique_violation(&error), "{error:?}");
    assert!(!is_unique_violation(&MemberError::NotFound));
    assert_eq!(subjects(&t.db, alex).await, ["Un"]);
}

#[tokio::test]
async fn the_writer_starts_again_after_its_task_stopped() {
    let t = TestDb::new().await;
    let alex = member(&t.db, "185057800608491").await;
    let writer = writer(&t.db);
    writer.write(request(alex, "Avant")).await.unwrap();
    // A queue whose task is gone, as after the runtime that ran it stopped.
    let (closed, receiver) = mpsc::channel(1);
    drop(receiver);
    *writer.queue.lock().unwrap() = Some(closed);
    writer.write(request(alex, "Après")).await.unwrap();
    assert_eq!(subjects(&t.db, alex).await, ["Après", "Avant"]);
}

#[tokio::test]
async fn a_batch_counts_the_sends_of_the_day_and_refuses_those_past_the_number() {
    let t = TestDb::new().await;
    let alex = member(&t.db, "185057800608491").await;
    let sam = member(&t.db, &caisse_test_support::fixtures::next_nir()).await;
    let writer = ThreadWriter::new(
        t.db.clone(),
        "https://portail.exemple.fr/",
        MessagingQuotas {
            sends_per_day: 3,
            ..MessagingQuotas::default()
        },
    );
    let gone_draft = SendRequest {
        written: Written::from_drafts(vec![Uuid::now_v7()]),
        ..request(alex, "Pièce expirée")
    };
    // One batch, counted in one statement: Alex's first three fit (one of them then fails),
    // the fourth does not; Sam's send is counted apart from Alex's.
    let (one, gone, two, three, other) = tokio::join!(
        writer.write(request(alex, "Un")),
        writer.write(gone_draft),
        writer.write(request(alex, "Deux")),
        writer.write(request(alex, "Trois")),
        writer.write(request(sam, "Autre")),
    );
    one.unwrap();
    assert!(matches!(gone, Err(MemberError::Invalid(_))), "{gone:?}");
    two.unwrap();
    assert!(
        matches!(
            three,
            Err(MemberError::Quota(QuotaExceeded::Sends { per_day: 3 }))
        ),
        "{three:?}"
    );
    other.unwrap();
    // The send that failed and the one refused were given back: one send is left today.
    writer.write(request(alex, "Quatre")).await.unwrap();
    let refused = writer.write(request(alex, "Cinq")).await;
    assert!(matches!(refused, Err(MemberError::Quota(_))), "{refused:?}");
    assert_eq!(subjects(&t.db, alex).await, ["Deux", "Quatre", "Un"]);
    assert_eq!(subjects(&t.db, sam).await, ["Autre"]);
}
