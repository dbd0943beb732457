//! The médiateur on a real database (SQLite by default, PostgreSQL with
//! `TEST_DATABASE_URL`): who may refer which thread and when, the acknowledgement, and the
//! supervisors' queue with versioned changes.

mod messaging_world;

use caisse_core::messaging::{MediationError, MemberMediation};
use caisse_domain::messaging::{Outcome, ReferralReason, ReferralRefused, ReferralStatus};
use caisse_store::outbox;
use time::Duration;
use time::macros::{date, datetime};
use uuid::Uuid;

use messaging_world::{World, ctx, question, reclamation};

const TEXT: &str = "Je conteste ce refus : mon traitement contre le diabète est prescrit.";

#[tokio::test]
async fn an_unanswered_reclamation_can_be_referred_once_the_day_after_its_due_date() {
    // Thursday 2 April 2026 in Bas-Rhin: 15 working days, Good Friday and Easter Monday
    // off, due Monday 27 April.
    let w = World::at(datetime!(2026-04-02 08:00 UTC)).await;
    let m = w.member("08601", "671").await;
    let other = w.member("08602", "671").await;
    let sent = w
        .svc
        .member
        .send(m, reclamation("Refus de remboursement"), &ctx())
        .await
        .unwrap();
    assert_eq!(sent.due_on, date!(2026 - 04 - 27));

    w.set_clock(datetime!(2026-04-27 21:59 UTC)); // 23:59 in Strasbourg
    assert_eq!(
        w.svc.mediation.member_mediation(m, sent.id).await.unwrap(),
        MemberMediation::Unavailable
    );
    assert!(matches!(
        w.svc
            .mediation
            .refer_to_mediateur(m, sent.id, TEXT, &ctx())
            .await,
        Err(MediationError::Ineligible)
    ));
    w.clock.advance(Duration::minutes(1));
    assert_eq!(
        w.svc.mediation.member_mediation(m, sent.id).await.unwrap(),
        MemberMediation::Eligible(ReferralReason::NoAnswer)
    );

    // Another member, an empty text: refused before anything is written.
    assert!(matches!(
        w.svc
            .mediation
            .refer_to_mediateur(other, sent.id, TEXT, &ctx())
            .await,
        Err(MediationError::NotFound)
    ));
    assert!(matches!(
        w.svc.mediation.member_mediation(other, sent.id).await,
        Err(MediationError::NotFound)
    ));
    let Err(MediationError::Invalid(problems)) = w
        .svc
        .mediation
        .refer_to_mediateur(m, sent.id, "  ", &ctx())
        .await
    else {
        panic!("an empty text is refused");
    };
    assert_eq!(problems[0].field, "body");

    let referral = w
        .svc
        .mediation
        .refer_to_mediateur(m, sent.id, TEXT, &ctx())
        .await
        .unwrap();
    assert_eq!(referral.reference, sent.reference.replacen("M-", "MD-", 1));
    assert_eq!(referral.status, ReferralStatus::ATraiter);
    assert_eq!(referral.reason, ReferralReason::NoAnswer);
    assert!(matches!(
        w.svc
            .mediation
            .refer_to_mediateur(m, sent.id, TEXT, &ctx())
            .await,
        Err(MediationError::AlreadyReferred)
    ));
    let MemberMediation::Referred(shown) =
        w.svc.mediation.member_mediation(m, sent.id).await.unwrap()
    else {
        panic!("the thread shows its referral");
    };
    assert_eq!(shown.id, referral.id);

    // The acknowledgement: the reference and a link, never the text.
    let mails = outbox::for_recipient(&w.db, "membre08601@exemple.fr")
        .await
        .unwrap();
    let ack = mails
        .iter()
        .find(|mail| mail.subject.contains("médiateur"))
        .expect("an acknowledgement");
    assert!(ack.subject.contains(&referral.reference));
    assert!(ack.body_text.contains(&format!(
        "https://portail.example.fr/messagerie/{}",
        sent.id
    )));
    assert!(!ack.body_text.contains("diabète"));
}

#[tokio::test]
async fn questions_answers_in_time_and_favorable_outcomes_do_not_open_the_mediateur() {
    let w = World::at(datetime!(2026-03-02 09:00 UTC)).await;
    let m = w.member("08603", "781").await;
    let conseiller = w.staff("conseiller", "conseiller", "781").await;
    let asked = w
        .svc
        .member
        .send(m, question("Carte"), &ctx())
        .await
        .unwrap();
    let favorable = w
        .svc
        .member
        .send(m, reclamation("Un"), &ctx())
        .await
        .unwrap();
    let refused = w
        .svc
        .member
        .send(m, reclamation("Deux"), &ctx())
        .await
        .unwrap();
    let partial = w
        .svc
        .member
        .send(m, reclamation("Trois"), &ctx())
        .await
        .unwrap();
    for thread in [favorable.id, refused.id, partial.id] {
        w.svc
            .staff
            .staff_reply(conseiller, thread, 1, "Réponse", &ctx())
            .await
            .unwrap();
    }
    for (thread, outcome) in [
        (favorable.id, Outcome::Favorable),
        (refused.id, Outcome::Defavorable),
        (partial.id, Outcome::PartiellementFavorable),
    ] {
        w.svc
            .staff
            .record_outcome(conseiller, thread, 2, outcome, &ctx())
            .await
            .unwrap();
    }
    // Months later, the question is overdue and unanswered: still no médiateur.
    w.clock.advance(Duration::days(120));
    let status = |id: Uuid| w.svc.mediation.member_mediation(m, id);
    assert_eq!(
        status(asked.id).await.unwrap(),
        MemberMediation::Unavailable
    );
    assert!(matches!(
        w.svc
            .mediation
            .refer_to_mediateur(m, asked.id, TEXT, &ctx())
            .await,
        Err(MediationError::Ineligible)
    ));
    assert_eq!(
        status(favorable.id).await.unwrap(),
        MemberMediation::Unavailable
    );
    assert_eq!(
        status(refused.id).await.unwrap(),
        MemberMediation::Eligible(ReferralReason::Defavorable)
    );
    assert_eq!(
        status(partial.id).await.unwrap(),
        MemberMediation::Eligible(ReferralReason::PartiellementFavorable)
    );
}

#[tokio::test]
async fn supervisors_of_the_fund_take_answer_and_close_a_referral_at_its_version() {
    let w = World::at(datetime!(2026-03-02 09:00 UTC)).await;
    let m = w.member("08604", "781").await;
    let conseiller = w.staff("conseiller", "conseiller", "781").await;
    let thomas = w.staff("thomas", "superviseur", "781").await;
    let nadia = w.staff("nadia", "administrateur", "781").await;
    let strasbourg = w.staff("superviseur671", "superviseur", "671").await;
    let sent = w
        .svc
        .member
        .send(m, reclamation("Refus"), &ctx())
        .await
        .unwrap();
    w.svc
        .staff
        .staff_reply(conseiller, sent.id, 1, "Refus maintenu", &ctx())
        .await
        .unwrap();
    w.svc
        .staff
        .record_outcome(conseiller, sent.id, 2, Outcome::Defavorable, &ctx())
        .await
        .unwrap();
    let referral = w
        .svc
        .mediation
        .refer_to_mediateur(m, sent.id, TEXT, &ctx())
        .await
        .unwrap();

    // Conseillers are refused; another fund does not see it.
    assert!(matches!(
        w.svc.mediation.mediation_queue(conseiller, &[], 1).await,
        Err(MediationError::Forbidden)
    ));
    assert!(matches!(
        w.svc
            .mediation
            .mediation_referral(conseiller, referral.id, &ctx())
            .await,
        Err(MediationError::Forbidden)
    ));
    assert_eq!(
        w.svc
            .mediation
            .mediation_queue(strasbourg, &[], 1)
            .await
            .unwrap()
            .total,
        0
    );
    assert!(matches!(
        w.svc
            .mediation
            .mediation_referral(strasbourg, referral.id, &ctx())
            .await,
        Err(MediationError::NotFound)
    ));
    assert!(matches!(
        w.svc
            .mediation
            .take_referral(strasbourg, referral.id, 1, &ctx())
            .await,
        Err(MediationError::NotFound)
    ));

    let open = [ReferralStatus::ATraiter, ReferralStatus::EnCours];
    let queue = w
        .svc
        .mediation
        .mediation_queue(thomas, &open, 1)
        .await
        .unwrap();
    assert_eq!(queue.items.len(), 1);
    assert_eq!(queue.items[0].id, referral.id);
    let detail = w
        .svc
        .mediation
        .mediation_referral(thomas, referral.id, &ctx())
        .await
        .unwrap();
    assert_eq!(detail.thread.thread.id, sent.id);
    assert_eq!(detail.thread.messages.len(), 2);
    assert_eq!(detail.referral.member_text, TEXT);
    // The member sees that a supervisor opened their thread.
    let viewers = w
        .svc
        .member
        .member_thread_viewers(m, sent.id)
        .await
        .unwrap();
    assert_eq!(viewers[0].role_label, "Superviseur");

    // Closing needs an answer; two supervisors taking at once: one wins.
    assert!(matches!(
        w.svc
            .mediation
            .close_referral(thomas, referral.id, 1, &ctx())
            .await,
        Err(MediationError::Refused(ReferralRefused::NotAnswered))
    ));
    assert_eq!(
        w.svc
            .mediation
            .take_referral(thomas, referral.id, 1, &ctx())
            .await
            .unwrap(),
        2
    );
    assert!(matches!(
        w.svc
            .mediation
            .take_referral(nadia, referral.id, 1, &ctx())
            .await,
        Err(MediationError::Conflict { current_version: 2 })
    ));
    assert!(matches!(
        w.svc
            .mediation
            .take_referral(nadia, referral.id, 2, &ctx())
            .await,
        Err(MediationError::Refused(ReferralRefused::AlreadyTaken))
    ));

    w.svc
        .mediation
        .answer_referral(
            thomas,
            referral.id,
            2,
            "Après examen, je propose un remboursement partiel.",
            &ctx(),
        )
        .await
        .unwrap();
    let MemberMediation::Referred(seen) =
        w.svc.mediation.member_mediation(m, sent.id).await.unwrap()
    else {
        panic!("referred");
    };
    assert_eq!(
        seen.answer.as_deref(),
        Some("Après examen, je propose un remboursement partiel.")
    );
    assert_eq!(seen.status, ReferralStatus::EnCours);
    assert_eq!(seen.assigned_staff_id, None, "the member does not see who");
    let notices = outbox::for_recipient(&w.db, "membre08604@exemple.fr")
        .await
        .unwrap();
    let notice = notices.last().unwrap();
    assert_eq!(notice.subject, "Vous avez un nouveau message");
    assert!(!notice.body_text.contains("remboursement partiel"));
    assert!(matches!(
        w.svc
            .mediation
            .answer_referral(thomas, referral.id, 3, "Encore", &ctx())
            .await,
        Err(MediationError::Refused(ReferralRefused::AlreadyAnswered))
    ));

    assert_eq!(
        w.svc
            .mediation
            .close_referral(nadia, referral.id, 3, &ctx())
            .await
            .unwrap(),
        4
    );
    assert_eq!(
        w.svc
            .mediation
            .mediation_queue(thomas, &open, 1)
            .await
            .unwrap()
            .total,
        0
    );
    let closed = w
        .svc
        .mediation
        .mediation_queue(thomas, &[ReferralStatus::Clos], 1)
        .await
        .unwrap();
    assert_eq!(closed.items[0].status, ReferralStatus::Clos);
    assert!(closed.items[0].closed_at.is_some());
    // The thread itself did not move: the médiateur's answer is not one of its messages.
    let thread = w.svc.member.member_thread(m, sent.id).await.unwrap();
    assert_eq!(thread.thread.version, 3);
    assert_eq!(thread.messages.len(), 2);
}
