//! Secure messaging use cases on a real database: SQLite by default, PostgreSQL with
//! `TEST_DATABASE_URL`.

use caisse_core::messaging::{
    MemberError, MemberFile, MemberFilters, MessageAuthor, NewMessageForm, QueueAssignment,
    QueueFilters, StaffError,
};
use caisse_domain::messaging::{ThreadStatus, Warning};
use caisse_store::members;
use caisse_store::outbox;
use caisse_store::{Db, now_utc};
use caisse_test_support::pdf;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use messaging_world::{World, ctx, member, staff_member};

mod messaging_world;

#[path = "messaging/attachments.rs"]
mod attachments;

const SUBJECT: &str = "Douleur dentaire persistante";
const BODY: &str = "Mon traitement contre le diabète n'est pas remboursé.";
const REPLY: &str = "Votre dossier diabète est transmis au service médical.";

async fn world_at(now: OffsetDateTime, page_size: u64) -> World {
    World::with_page_size(now, page_size).await
}

async fn world() -> World {
    world_at(datetime!(2026-03-10 09:00 UTC), 20).await
}

fn form(objet: &str, nature: &str, subject: &str) -> NewMessageForm {
    NewMessageForm {
        recipient: "caisse".to_owned(),
        objet: objet.to_owned(),
        nature: nature.to_owned(),
        subject: subject.to_owned(),
        body: BODY.to_owned(),
    }
}

fn question() -> NewMessageForm {
    form("carte_vitale.commande", "demande_renseignements", SUBJECT)
}

async fn mails(db: &Db, to: &str) -> Vec<(String, String)> {
    outbox::for_recipient(db, to)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.subject, m.body_text))
        .collect()
}

#[tokio::test]
async fn a_member_cannot_read_or_reply_to_another_members_thread() {
    let w = world().await;
    let alice = member(&w.db, "08401", "781").await;
    let bob = member(&w.db, "08402", "781").await;
    let sent = w.svc.member.send(alice, question(), &ctx()).await.unwrap();

    assert!(matches!(
        w.svc.member.member_thread(bob, sent.id).await,
        Err(MemberError::NotFound)
    ));
    assert!(matches!(
        w.svc
            .member
            .member_reply(bob, sent.id, "Coucou", &ctx())
            .await,
        Err(MemberError::NotFound)
    ));
    assert!(matches!(
        w.svc.member.member_thread_viewers(bob, sent.id).await,
        Err(MemberError::NotFound)
    ));
    // The same answer as for a thread that does not exist.
    assert!(matches!(
        w.svc.member.member_thread(bob, Uuid::now_v7()).await,
        Err(MemberError::NotFound)
    ));
    let list = w
        .svc
        .member
        .member_threads(bob, &MemberFilters::default(), 1)
        .await
        .unwrap();
    assert_eq!(list.total, 0);
    // Nothing was added to Alice's thread.
    let detail = w.svc.member.member_thread(alice, sent.id).await.unwrap();
    assert_eq!(detail.messages.len(), 1);
}

#[tokio::test]
async fn staff_of_fund_781_cannot_see_a_thread_of_a_fund_671_member() {
    let w = world().await;
    let sophie = member(&w.db, "08403", "671").await;
    let yvelines = staff_member(&w.db, "conseiller781", "conseiller", "781").await;
    let strasbourg = staff_member(&w.db, "conseiller671", "conseiller", "671").await;
    let sent = w.svc.member.send(sophie, question(), &ctx()).await.unwrap();

    assert!(matches!(
        w.svc.staff.staff_thread(yvelines, sent.id, &ctx()).await,
        Err(StaffError::NotFound)
    ));
    assert!(matches!(
        w.svc.staff.claim(yvelines, sent.id, 1, &ctx()).await,
        Err(StaffError::NotFound)
    ));
    assert!(matches!(
        w.svc
            .staff
            .add_note(yvelines, sent.id, "note", &ctx())
            .await,
        Err(StaffError::NotFound)
    ));
    let queue = w
        .svc
        .staff
        .queue(yvelines, &QueueFilters::default(), 1)
        .await
        .unwrap();
    assert_eq!(queue.total, 0);
    let queue = w
        .svc
        .staff
        .queue(strasbourg, &QueueFilters::default(), 1)
        .await
        .unwrap();
    assert_eq!(queue.items[0].id, sent.id);
    // The failed attempt was not recorded as a view.
    assert!(
        w.svc
            .member
            .member_thread_viewers(sophie, sent.id)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn due_for(now: OffsetDateTime, caisse: &str) -> Date {
    let w = world_at(now, 20).await;
    let m = member(&w.db, "08404", caisse).await;
    let preview = w.svc.member.preview(m, &question()).await.unwrap();
    let sent = w.svc.member.send(m, question(), &ctx()).await.unwrap();
    assert_eq!(preview.due_on, Some(sent.due_on));
    sent.due_on
}

#[tokio::test]
async fn due_dates_follow_the_calendar_of_the_members_fund() {
    // Two working days. Thursday 2 April 2026: Good Friday is a holiday in Bas-Rhin only,
    // Easter Monday everywhere.
    let easter = datetime!(2026-04-02 08:00 UTC);
    assert_eq!(due_for(easter, "781").await, date!(2026 - 04 - 07));
    assert_eq!(due_for(easter, "671").await, date!(2026 - 04 - 08));
    // Thursday 30 April 2026: Friday 1 May is a holiday everywhere.
    let may_day = datetime!(2026-04-30 08:00 UTC);
    assert_eq!(due_for(may_day, "781").await, date!(2026 - 05 - 05));
    assert_eq!(due_for(may_day, "671").await, date!(2026 - 05 - 05));
    // Wednesday 24 December 2025: 26 December (a Friday) is a holiday in Alsace-Moselle.
    let christmas = datetime!(2025-12-24 08:00 UTC);
    assert_eq!(due_for(christmas, "781").await, date!(2025 - 12 - 29));
    assert_eq!(due_for(christmas, "671").await, date!(2025 - 12 - 30));
}

#[tokio::test]
async fn internal_notes_never_reach_the_members_view() {
    let w = world().await;
    let m = member(&w.db, "08405", "781").await;
    let conseiller = staff_member(&w.db, "conseiller", "conseiller", "781").await;
    let sent = w.svc.member.send(m, question(), &ctx()).await.unwrap();
    w.svc
        .staff
        .add_note(
            conseiller,
            sent.id,
            "Assuré déjà appelé, note interne",
            &ctx(),
        )
        .await
        .unwrap();

    let member_view = w.svc.member.member_thread(m, sent.id).await.unwrap();
    assert_eq!(member_view.messages.len(), 1);
    assert!(member_view.messages.iter().all(|msg| !msg.internal));
    assert!(
        member_view
            .messages
            .iter()
            .all(|msg| !msg.body.contains("note interne"))
    );
    // A note does not move the thread.
    assert_eq!(member_view.thread.version, 1);

    let staff_view = w
        .svc
        .staff
        .staff_thread(conseiller, sent.id, &ctx())
        .await
        .unwrap();
    assert_eq!(staff_view.messages.len(), 2);
    assert!(staff_view.messages[1].internal);
    assert_eq!(
        staff_view.messages[1].author,
        MessageAuthor::Staff(Some(conseiller))
    );
}

#[tokio::test]
async fn two_conseillers_acting_on_the_same_version_cannot_overwrite_each_other() {
    let w = world().await;
    let m = member(&w.db, "08406", "781").await;
    let marie = staff_member(&w.db, "marie", "conseiller", "781").await;
    let thomas = staff_member(&w.db, "thomas", "superviseur", "781").await;
    let sent = w.svc.member.send(m, question(), &ctx()).await.unwrap();

    let context = ctx();
    let (first, second) = tokio::join!(
        w.svc.staff.claim(marie, sent.id, 1, &context),
        w.svc.staff.claim(thomas, sent.id, 1, &context)
    );
    let outcomes = [first, second];
    assert_eq!(outcomes.iter().filter(|o| matches!(o, Ok(2))).count(), 1);
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, Err(StaffError::Conflict { current_version: 2 })))
            .count(),
        1
    );

    // Both answer from version 2: one answer is kept, the other is refused, not lost.
    let a = w
        .svc
        .staff
        .staff_reply(marie, sent.id, 2, "Réponse A", &ctx())
        .await;
    let b = w
        .svc
        .staff
        .staff_reply(thomas, sent.id, 2, "Réponse B", &ctx())
        .await;
    assert!(matches!(a, Ok(3)));
    assert!(matches!(
        b,
        Err(StaffError::Conflict { current_version: 3 })
    ));
    let view = w
        .svc
        .staff
        .staff_thread(thomas, sent.id, &ctx())
        .await
        .unwrap();
    let bodies: Vec<&str> = view.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, [BODY, "Réponse A"]);

    // The member writes: a conseiller holding version 3 sees the reply before closing.
    w.svc
        .member
        .member_reply(m, sent.id, "Merci, une précision.", &ctx())
        .await
        .unwrap();
    assert!(matches!(
        w.svc.staff.close(marie, sent.id, 3, &ctx()).await,
        Err(StaffError::Conflict { current_version: 4 })
    ));
    assert_eq!(
        w.svc.staff.close(marie, sent.id, 4, &ctx()).await.unwrap(),
        5
    );
    assert!(matches!(
        w.svc.staff.close(marie, sent.id, 5, &ctx()).await,
        Err(StaffError::Refused(_))
    ));

    // A member's reply reopens a « Traité » thread with a fresh due date.
    w.clock.advance(time::Duration::days(30));
    let reopened = w
        .svc
        .member
        .member_reply(m, sent.id, "Je n'ai rien reçu.", &ctx())
        .await
        .unwrap();
    assert_eq!(reopened.status, ThreadStatus::EnAttente);
    assert!(reopened.closed_at.is_none());
    assert!(reopened.due_on > sent.due_on);
}

#[tokio::test]
async fn notifications_hold_a_link_and_no_subject_or_text() {
    let w = world().await;
    let m = member(&w.db, "08407", "781").await;
    members::set_notifications(&w.db, m, true, true, now_utc())
        .await
        .unwrap();
    let conseiller = staff_member(&w.db, "conseiller", "conseiller", "781").await;
    let sent = w.svc.member.send(m, question(), &ctx()).await.unwrap();
    w.svc
        .staff
        .staff_reply(conseiller, sent.id, 1, REPLY, &ctx())
        .await
        .unwrap();

    let mails = mails(&w.db, "membre08407@exemple.fr").await;
    assert_eq!(mails.len(), 2, "confirmation and reply notice");
    let sms = outbox::for_recipient(&w.db, "+33612308407").await.unwrap();
    assert_eq!(sms.len(), 1);
    let link = format!("https://portail.example.fr/messagerie/{}", sent.id);
    for text in mails
        .iter()
        .flat_map(|(s, b)| [s.as_str(), b.as_str()])
        .chain([sms[0].body_text.as_str()])
    {
        for secret in ["dentaire", "diabète", "Douleur", "médical"] {
            assert!(!text.contains(secret), "{secret} leaked into {text}");
        }
    }
    assert!(mails[0].1.contains(&sent.reference));
    let due = sent.due_on;
    let due = format!(
        "{:02}/{:02}/{}",
        due.day(),
        u8::from(due.month()),
        due.year()
    );
    assert!(mails[0].1.contains(&due), "the due date {due}");
    assert!(mails[0].1.contains(&link), "the link");
    assert!(mails[1].1.contains(&link));
    assert!(sms[0].body_text.contains(&link));

    let view = w
        .svc
        .member
        .member_threads(m, &MemberFilters::default(), 1)
        .await;
    assert!(view.unwrap().items[0].unread_by_member);
    w.svc.member.member_thread(m, sent.id).await.unwrap();
    let view = w
        .svc
        .member
        .member_threads(m, &MemberFilters::default(), 1)
        .await;
    assert!(!view.unwrap().items[0].unread_by_member);
}

#[tokio::test]
async fn member_lists_page_and_filter() {
    let w = world_at(datetime!(2026-03-10 09:00 UTC), 2).await;
    let m = member(&w.db, "08408", "781").await;
    let conseiller = staff_member(&w.db, "conseiller", "conseiller", "781").await;
    let mut ids = Vec::new();
    for (objet, subject) in [
        ("carte_vitale.commande", "Carte Vitale perdue"),
        ("attestation.droits", "Attestation pour l'école"),
        ("attestation.droits", "Attestation de droits"),
        ("remboursement.question", "Remboursement de lunettes"),
        ("remboursement.question", "Réclamation sur un remboursement"),
    ] {
        let sent = w
            .svc
            .member
            .send(m, form(objet, "demande_renseignements", subject), &ctx())
            .await
            .unwrap();
        ids.push(sent.id);
        w.clock.advance(time::Duration::minutes(1));
    }
    let all = MemberFilters::default();
    let first = w.svc.member.member_threads(m, &all, 1).await.unwrap();
    assert_eq!((first.total, first.page_count()), (5, 3));
    assert_eq!(
        first.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [ids[4], ids[3]],
        "newest first"
    );
    let last = w.svc.member.member_threads(m, &all, 3).await.unwrap();
    assert_eq!(
        last.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [ids[0]]
    );

    let by_objet = MemberFilters {
        objet: Some("attestation.droits".to_owned()),
        ..MemberFilters::default()
    };
    assert_eq!(
        w.svc
            .member
            .member_threads(m, &by_objet, 1)
            .await
            .unwrap()
            .total,
        2
    );
    let by_text = MemberFilters {
        search: Some("REMBOURSEMENT".to_owned()),
        ..MemberFilters::default()
    };
    assert_eq!(
        w.svc
            .member
            .member_threads(m, &by_text, 1)
            .await
            .unwrap()
            .total,
        2
    );
    let by_accent = MemberFilters {
        search: Some("ecole".to_owned()),
        ..MemberFilters::default()
    };
    assert_eq!(
        w.svc
            .member
            .member_threads(m, &by_accent, 1)
            .await
            .unwrap()
            .total,
        1
    );

    w.svc
        .staff
        .claim(conseiller, ids[1], 1, &ctx())
        .await
        .unwrap();
    let in_progress = MemberFilters {
        status: Some(ThreadStatus::EnCours),
        ..MemberFilters::default()
    };
    let found = w
        .svc
        .member
        .member_threads(m, &in_progress, 1)
        .await
        .unwrap();
    assert_eq!(
        found.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        [ids[1]]
    );
    assert_eq!(
        found.items[0].assigned_staff_id, None,
        "the member does not see who"
    );

    // The queue: earliest due first, then filters.
    let queue = w
        .svc
        .staff
        .queue(conseiller, &QueueFilters::default(), 1)
        .await
        .unwrap();
    assert_eq!(queue.total, 5);
    assert!(queue.items[0].due_on <= queue.items[1].due_on);
    let mine = QueueFilters {
        assignment: Some(QueueAssignment::To(conseiller)),
        ..QueueFilters::default()
    };
    assert_eq!(
        w.svc.staff.queue(conseiller, &mine, 1).await.unwrap().total,
        1
    );
    let unassigned = QueueFilters {
        assignment: Some(QueueAssignment::Unassigned),
        statuses: vec![ThreadStatus::EnAttente],
        ..QueueFilters::default()
    };
    assert_eq!(
        w.svc
            .staff
            .queue(conseiller, &unassigned, 1)
            .await
            .unwrap()
            .total,
        4
    );
    let overdue = QueueFilters {
        overdue_on: Some(date!(2026 - 03 - 16)),
        ..QueueFilters::default()
    };
    // Due 12 March (2 days) and 13 March (3 days) are late on the 16th; 19 March (7) not.
    assert_eq!(
        w.svc
            .staff
            .queue(conseiller, &overdue, 1)
            .await
            .unwrap()
            .total,
        3
    );
}

#[tokio::test]
async fn the_member_sees_the_role_and_date_of_staff_who_opened_their_thread() {
    let w = world().await;
    let m = member(&w.db, "08409", "781").await;
    let thomas = staff_member(&w.db, "thomas", "superviseur", "781").await;
    let sent = w.svc.member.send(m, question(), &ctx()).await.unwrap();
    assert!(
        w.svc
            .member
            .member_thread_viewers(m, sent.id)
            .await
            .unwrap()
            .is_empty()
    );
    w.svc
        .staff
        .staff_thread(thomas, sent.id, &ctx())
        .await
        .unwrap();
    let viewers = w
        .svc
        .member
        .member_thread_viewers(m, sent.id)
        .await
        .unwrap();
    assert_eq!(viewers.len(), 1);
    assert_eq!(viewers[0].role_label, "Superviseur");
    assert_eq!(viewers[0].at, datetime!(2026-03-10 09:00 UTC));
}

#[tokio::test]
async fn a_bad_form_lists_every_problem_and_the_preview_warns_without_blocking() {
    let w = world().await;
    let m = member(&w.db, "08410", "781").await;
    let bad = NewMessageForm {
        recipient: "inconnu".to_owned(),
        objet: "nope".to_owned(),
        nature: String::new(),
        subject: "   ".to_owned(),
        body: String::new(),
    };
    let Err(MemberError::Invalid(problems)) = w.svc.member.send(m, bad, &ctx()).await else {
        panic!("a bad form must be refused");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
    assert_eq!(fields, ["recipient", "objet", "nature", "subject", "body"]);

    let mut with_iban = question();
    with_iban.body = "Mon RIB : FR76 3000 6000 0112 3456 7890 189".to_owned();
    let preview = w.svc.member.preview(m, &with_iban).await.unwrap();
    assert_eq!(preview.warnings, [Warning::BankAccount]);
    assert!(w.svc.member.send(m, with_iban, &ctx()).await.is_ok());
}

#[tokio::test]
async fn a_thread_pdf_is_the_members_view_for_the_member_and_for_the_fund() {
    let w = world().await;
    let m = member(&w.db, "08407", "781").await;
    let other = member(&w.db, "08408", "781").await;
    let conseiller = staff_member(&w.db, "marie.dupont", "conseiller", "781").await;
    let elsewhere = staff_member(&w.db, "conseiller671", "conseiller", "671").await;
    let sent = w.svc.member.send(m, question(), &ctx()).await.unwrap();
    w.svc
        .staff
        .claim(conseiller, sent.id, 1, &ctx())
        .await
        .unwrap();
    w.svc
        .staff
        .add_note(
            conseiller,
            sent.id,
            "Assuré déjà appelé, note interne",
            &ctx(),
        )
        .await
        .unwrap();
    w.svc
        .staff
        .staff_reply(conseiller, sent.id, 2, REPLY, &ctx())
        .await
        .unwrap();

    let member_pdf = w.svc.member.member_thread_pdf(m, sent.id).await.unwrap();
    let text = pdf::checked_text(&member_pdf.bytes);
    assert_eq!(member_pdf.reference, sent.reference);
    for expected in [
        SUBJECT,
        sent.reference.as_str(),
        "Commande d'une carte Vitale",
        "Demande de renseignements",
        "En cours d'instruction",
        "Vous, le 10 mars 2026 à 10 h 00",
        BODY,
        "Votre conseiller, le 10 mars 2026 à 10 h 00",
        REPLY,
    ] {
        assert!(text.contains(expected), "« {expected} » in {text}");
    }
    assert!(!text.contains("note interne"), "{text}");
    assert!(
        !text.contains("marie.dupont"),
        "no conseiller's name: {text}"
    );
    // Downloading is no view by the fund, and changes nothing.
    assert!(
        w.svc
            .member
            .member_thread_viewers(m, sent.id)
            .await
            .unwrap()
            .is_empty()
    );

    let staff_pdf = w
        .svc
        .staff
        .staff_thread_pdf(conseiller, sent.id, &ctx())
        .await
        .unwrap();
    let staff_text = pdf::checked_text(&staff_pdf.bytes);
    assert!(staff_text.contains(REPLY), "{staff_text}");
    assert!(!staff_text.contains("note interne"), "{staff_text}");
    // Audited as a view: the member sees the role and the date.
    let viewers = w
        .svc
        .member
        .member_thread_viewers(m, sent.id)
        .await
        .unwrap();
    assert_eq!(viewers.len(), 1);
    assert_eq!(viewers[0].role_label, "Conseiller");

    // Another member, another fund's conseiller: the answer for a thread that does not exist.
    assert!(matches!(
        w.svc.member.member_thread_pdf(other, sent.id).await,
        Err(MemberError::NotFound)
    ));
    assert!(matches!(
        w.svc.member.member_thread_pdf(m, Uuid::now_v7()).await,
        Err(MemberError::NotFound)
    ));
    assert!(matches!(
        w.svc
            .staff
            .staff_thread_pdf(elsewhere, sent.id, &ctx())
            .await,
        Err(StaffError::NotFound)
    ));
    assert_eq!(
        w.svc
            .member
            .member_thread_viewers(m, sent.id)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sends_each_get_their_thread_confirmation_and_audit_event() {
    let w = world().await;
    let tags = ["08431", "08432", "08433", "08434"];
    let mut members = Vec::new();
    for tag in tags {
        members.push(member(&w.db, tag, "781").await);
    }
    let mut sends = tokio::task::JoinSet::new();
    for n in 0..40 {
        let svc = w.svc.clone();
        let member_id = members[n % members.len()];
        sends.spawn(async move {
            let form = form(
                "carte_vitale.commande",
                "demande_renseignements",
                &format!("Envoi simultané {n}"),
            );
            svc.member.send(member_id, form, &ctx()).await
        });
    }
    let mut references = std::collections::HashSet::new();
    while let Some(sent) = sends.join_next().await {
        let sent = sent.unwrap().unwrap();
        assert!(references.insert(sent.reference));
    }
    assert_eq!(references.len(), 40);
    for (tag, member_id) in tags.iter().zip(&members) {
        let list = w
            .svc
            .member
            .member_threads(*member_id, &MemberFilters::default(), 1)
            .await
            .unwrap();
        assert_eq!(list.total, 10);
        let confirmations = mails(&w.db, &format!("membre{tag}@exemple.fr")).await;
        assert_eq!(confirmations.len(), 10);
        for item in &list.items {
            let detail = w
                .svc
                .member
                .member_thread(*member_id, item.id)
                .await
                .unwrap();
            assert_eq!(detail.messages.len(), 1, "one first message per thread");
            let reference = &detail.thread.reference;
            assert!(
                confirmations
                    .iter()
                    .any(|(subject, _)| subject.contains(reference.as_str())),
                "a confirmation names {reference}"
            );
            let events = caisse_store::audit::for_subject(
                &w.db,
                caisse_core::messaging::SUBJECT_THREAD,
                item.id,
                10,
            )
            .await
            .unwrap();
            assert!(events.iter().any(|e| e.action.code()
                == caisse_core::messaging::ACTION_SENT.code()
                && e.actor_id == Some(*member_id)));
        }
    }
}

#[tokio::test]
async fn what_the_services_return_prints_no_subject_text_or_member_in_debug() {
    let w = world().await;
    let m = member(&w.db, "08435", "781").await;
    let staff = staff_member(&w.db, "conseiller", "conseiller", "781").await;
    let form = question();
    assert!(!format!("{form:?}").contains(SUBJECT));
    let sent = w.svc.member.send(m, form, &ctx()).await.unwrap();
    let detail = w
        .svc
        .staff
        .staff_thread(staff, sent.id, &ctx())
        .await
        .unwrap();
    assert_eq!(detail.thread.subject, SUBJECT);
    assert_eq!(detail.messages[0].body, BODY);
    let file = MemberFile {
        member_id: m,
        first_name: "Sophie".to_owned(),
        last_name: "MULLER".to_owned(),
        nir: "2 82 12 67 482 012 34".to_owned(),
        birth_date: date!(1982 - 12 - 21),
        fund_name: "CPAM des Yvelines".to_owned(),
        address_lines: vec!["8 quai des Bateliers".to_owned()],
        email: Some("sophie@exemple.fr".to_owned()),
        phone: Some("+33612345678".to_owned()),
        notifications: Some((true, false)),
        other_threads: vec![detail.thread.clone()],
        rights: None,
    };
    let printed = format!("{detail:?} {file:?}");
    for personal in [
        SUBJECT,
        BODY,
        "Sophie",
        "MULLER",
        "2 82 12 67 482",
        "quai des Bateliers",
        "sophie@exemple.fr",
        "+33612345678",
    ] {
        assert!(!printed.contains(personal), "{personal:?} in {printed}");
    }
    assert!(printed.contains(&sent.reference), "{printed}");
}
