//! The back office's view of a member's payments and its corrections of paid lines, over the
//! demo's year of care: the latest payments beside a thread and on the account page, a
//! payment's lines with « Pourquoi ce montant ? », a correction applied at once then the same
//! form sent again (refused, nothing doubled), a correction above the approval amount waiting
//! for a supervisor, then paid by the next run; every reading audited; a line paid in tiers
//! payant corrected downwards, the professional's debt. Another fund's staff meets a 404 on
//! each route (`staff_routes.rs`).

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::claims::complements::pay_complements;
use caisse_core::claims::payment_detail::CareLineView;
use caisse_core::claims::staff_payments::CorrectionSettings;
use caisse_domain::claims::MemberPaymentKind;
use caisse_domain::french::amount;
use caisse_domain::{AmountCents, CaisseCode};
use caisse_store::claims::corrections;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, api_token, config};

/// A paid line of a payment of `kind` of the member's care that `fits`: the payment, the sheet,
/// the line and what it reimburses.
async fn paid_line(
    app: &TestApp,
    staff: Uuid,
    member: Uuid,
    kind: MemberPaymentKind,
    fits: impl Fn(&CareLineView) -> bool,
) -> (Uuid, Uuid, usize, AmountCents) {
    let service = &app.services.staff_payments;
    let context = RequestContext::default();
    let list = service.list(staff, member, 100, &context).await.unwrap();
    for entry in list.payments {
        if entry.kind != kind {
            continue;
        }
        let view = service
            .detail(staff, member, entry.id, &context)
            .await
            .unwrap();
        for line in view.detail.beneficiaries.iter().flat_map(|b| &b.lines) {
            if fits(line) {
                return (entry.id, line.sheet_id, line.line_no, line.reimbursed);
            }
        }
    }
    panic!("no such line in the demo's care");
}

/// A paid line of the member's own reimbursements with room for a 3 € complement.
async fn correctable_line(
    app: &TestApp,
    staff: Uuid,
    member: Uuid,
) -> (Uuid, Uuid, usize, AmountCents) {
    paid_line(app, staff, member, MemberPaymentKind::Soins, |line| {
        line.charged.cents() - line.reimbursed.cents() >= 300
    })
    .await
}

/// Posts the form correcting a line (`sheet`, line number, what the page showed in cents) of
/// the payment page `path` to `montant` euros, for `motif`.
async fn post_correction(
    browser: &mut TestApp,
    path: &str,
    token: &str,
    line: (Uuid, usize, i64),
    montant: &str,
    motif: &str,
) -> TestResponse {
    let (sheet, line_no, shown) = (line.0.to_string(), line.1.to_string(), line.2.to_string());
    browser
        .post_form(
            &format!("{path}/corriger"),
            &[
                ("csrf_token", token),
                ("feuille", sheet.as_str()),
                ("ligne", line_no.as_str()),
                ("affiche", shown.as_str()),
                ("montant", montant),
                ("motif", motif),
            ],
        )
        .await
}

fn euros(cents: i64) -> String {
    amount(AmountCents::new(cents))
        .trim_end_matches('€')
        .trim_end_matches('\u{a0}')
        .to_owned()
}

#[tokio::test]
async fn an_advisor_reads_the_payments_and_corrects_a_line_a_supervisor_approves_above_the_amount()
{
    let mut settings = config();
    settings.services.corrections = CorrectionSettings {
        approval_above: AmountCents::new(150),
    };
    let app = TestApp::build(settings, true).await;
    caisse_core::demo::seed_care(&app.db.db, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let julien = app.member(MEMBER_NIR).await;
    let db = &app.db.db;
    let conseiller_id = caisse_store::staff::by_login(db, "conseiller")
        .await
        .unwrap()
        .unwrap()
        .id;

    // A thread of Julien's, through the API: its page shows his latest payments.
    let mut member = app.another_browser();
    let token = api_token(&mut member, MEMBER_NIR).await;
    let message = json!({
        "recipient": "caisse",
        "objet": "remboursement.contestation",
        "nature": "reclamation",
        "subject": "Remboursement de ma consultation",
        "body": "Le montant remboursé me semble faux.",
    })
    .to_string();
    let sent = member
        .post_multipart(
            "/api/v1/messages",
            &[("message", &message)],
            &[],
            Some(&token),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let sent: serde_json::Value = serde_json::from_str(&sent.body).unwrap();
    let thread = sent["id"].as_str().unwrap();

    let mut conseiller = app.another_browser();
    conseiller.login_staff("conseiller").await;
    let page = conseiller.get(&format!("/agent/messagerie/{thread}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Derniers paiements"), "{}", page.body);
    assert!(
        page.body
            .contains(&format!("/agent/comptes/{}/paiements/", julien.id))
    );
    let account = conseiller
        .get(&format!("/agent/comptes/{}", julien.id))
        .await;
    assert!(account.body.contains("Derniers paiements"));
    assert!(account.body.contains("Tous les paiements de l'assuré"));
    let all = conseiller
        .get(&format!("/agent/comptes/{}/paiements", julien.id))
        .await;
    assert_eq!(all.status, StatusCode::OK);

    let (payment, sheet, line_no, paid) = correctable_line(&app, conseiller_id, julien.id).await;
    let path = format!("/agent/comptes/{}/paiements/{payment}", julien.id);
    let detail = conseiller.get(&path).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(
        detail
            .body
            .contains("<summary>Pourquoi ce montant ?</summary>")
    );
    assert!(detail.body.contains("Corriger ou annuler cette ligne"));
    let viewed = app.staff_events("conseiller", "staff.member.viewed").await;
    assert!(
        viewed
            .iter()
            .any(|e| e.subject_id == Some(julien.id) && e.details.contains(&payment.to_string())),
        "the payment's reading is audited"
    );
    assert!(
        viewed
            .iter()
            .any(|e| e.subject_id == Some(julien.id) && e.details.contains("\"payments\"")),
        "the list's reading is audited"
    );

    // +1 €: applied at once; the same form again corrects nothing more.
    let token = detail.csrf_token();
    let plus_one = euros(paid.cents() + 100);
    let line = (sheet, line_no, paid.cents());
    let motif = "Cotation corrigée par le cabinet";
    let done = post_correction(&mut conseiller, &path, &token, line, &plus_one, motif).await;
    assert_eq!(
        done.location(),
        Some(format!("{path}?fait=corrigee").as_str())
    );
    let again = post_correction(&mut conseiller, &path, &token, line, &plus_one, motif).await;
    assert_eq!(
        again.location(),
        Some(format!("{path}?refus=modifiee").as_str())
    );
    let page = conseiller.get(&format!("{path}?fait=corrigee")).await;
    assert!(page.body.contains("La correction est appliquée."));
    assert!(page.body.contains("Remboursé après correction"));
    assert!(page.body.contains("Cotation corrigée par le cabinet"));
    let stored = corrections::of_sheets(db, &[sheet]).await.unwrap();
    assert_eq!(stored.len(), 1, "sent twice, recorded once");

    // +2 € more: above 1,50 €, it waits for a supervisor (not the advisor).
    let plus_three = euros(paid.cents() + 300);
    let waiting = post_correction(
        &mut conseiller,
        &path,
        &token,
        (sheet, line_no, paid.cents() + 100),
        &plus_three,
        "Dépassement mal appliqué",
    )
    .await;
    assert_eq!(
        waiting.location(),
        Some(format!("{path}?fait=a-valider").as_str())
    );
    assert_eq!(
        conseiller.get("/agent/corrections").await.status,
        StatusCode::FORBIDDEN
    );
    let mut superviseur = app.another_browser();
    superviseur.login_staff("superviseur").await;
    let list = superviseur.get("/agent/corrections").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Julien MARTIN"));
    assert!(list.body.contains("Dépassement mal appliqué"));
    let id = corrections::waiting_of_fund(db, CaisseCode::parse("781").unwrap(), 10)
        .await
        .unwrap()[0]
        .id;
    let token = list.csrf_token();
    let approved = superviseur
        .post_form(
            &format!("/agent/corrections/{id}/valider"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(approved.location(), Some("/agent/corrections?fait=validee"));
    let twice = superviseur
        .post_form(
            &format!("/agent/corrections/{id}/valider"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(
        twice.location(),
        Some("/agent/corrections?refus=deja-decidee")
    );
    assert_eq!(
        app.staff_events("conseiller", "staff.line_correction.requested")
            .await
            .len(),
        2
    );
    assert_eq!(
        app.staff_events("superviseur", "staff.line_correction.approved")
            .await
            .len(),
        1
    );

    // The next run pays the 3 € of complements, in Julien's « Mes paiements ».
    let today = caisse_domain::paris_time::paris_time(OffsetDateTime::now_utc()).date();
    let run = pay_complements(db, today, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!((run.sheets, run.transferred.cents()), (2, 300));
    let paid_by = corrections::of_sheets(db, &[sheet]).await.unwrap()[0]
        .complement_payment_id
        .expect("paid");
    let page = app
        .services
        .payments
        .list(julien.id, &Default::default(), None)
        .await
        .unwrap();
    assert!(
        page.months
            .iter()
            .flat_map(|m| &m.payments)
            .any(|p| p.id == paid_by)
    );

    // 1 € back down: paid too much, a debt whose page tells Julien why.
    let detail = conseiller.get(&path).await;
    let token = detail.csrf_token();
    let plus_two = euros(paid.cents() + 200);
    let down = post_correction(
        &mut conseiller,
        &path,
        &token,
        (sheet, line_no, paid.cents() + 300),
        &plus_two,
        "Dépassement compté deux fois",
    )
    .await;
    assert_eq!(
        down.location(),
        Some(format!("{path}?fait=corrigee").as_str())
    );
    let debt = corrections::of_sheets(db, &[sheet]).await.unwrap()[2]
        .debt_id
        .expect("a debt");
    member.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let page = member
        .get(&format!("/paiements/sommes-a-payer/{debt}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Votre caisse a corrigé le remboursement d'un acte"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&amount(AmountCents::new(paid.cents() + 300)))
    );

    // Julien's own pages: the corrected line says what it reimburses now and how the
    // difference is settled; the complement's payment says what it completes.
    let original = member.get(&format!("/paiements/{payment}")).await;
    assert_eq!(original.status, StatusCode::OK);
    let corrected = format!(
        "{} au lieu de {}\u{a0}; le trop-perçu de {} est déduit de vos prochains remboursements",
        amount(AmountCents::new(paid.cents() + 200)),
        amount(AmountCents::new(paid.cents() + 300)),
        amount(AmountCents::new(100))
    );
    assert!(
        original
            .body
            .contains("Remboursement corrigé par votre caisse le")
            && original.body.contains(&corrected),
        "{corrected} not in:\n{}",
        original.body
    );
    let complement = member.get(&format!("/paiements/{paid_by}")).await;
    assert_eq!(complement.status, StatusCode::OK);
    assert!(
        complement.body.contains("Compléments de remboursement")
            // Two corrections, 1 € then 2 €, paid together.
            && complement.body.contains(&format!(
                "le remboursement ayant été corrigé de {} à {}",
                amount(paid),
                amount(AmountCents::new(paid.cents() + 100))
            ))
            && complement.body.contains(&format!(
                "à {}.",
                amount(AmountCents::new(paid.cents() + 300))
            )),
        "{}",
        complement.body
    );
}

#[tokio::test]
async fn a_tiers_payant_line_corrected_downwards_is_the_professionals_debt() {
    let app = TestApp::build(config(), true).await;
    caisse_core::demo::seed_care(&app.db.db, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let julien = app.member(MEMBER_NIR).await;
    let conseiller_id = caisse_store::staff::by_login(&app.db.db, "conseiller")
        .await
        .unwrap()
        .unwrap()
        .id;
    let (payment, sheet, line_no, paid) = paid_line(
        &app,
        conseiller_id,
        julien.id,
        MemberPaymentKind::Professionnel,
        |line| line.reimbursed.cents() >= 100,
    )
    .await;
    let mut conseiller = app.another_browser();
    conseiller.login_staff("conseiller").await;
    let path = format!("/agent/comptes/{}/paiements/{payment}", julien.id);
    let detail = conseiller.get(&path).await;
    assert!(
        detail
            .body
            .contains("Un trop-versé devient une dette du professionnel"),
        "{}",
        detail.body
    );
    let token = detail.csrf_token();
    let minus_one = euros(paid.cents() - 100);
    let done = post_correction(
        &mut conseiller,
        &path,
        &token,
        (sheet, line_no, paid.cents()),
        &minus_one,
        "Acte non réalisé",
    )
    .await;
    assert_eq!(
        done.location(),
        Some(format!("{path}?fait=corrigee").as_str())
    );
    let page = conseiller.get(&path).await;
    let owed = format!(
        "Indu du professionnel\u{a0}: {} à récupérer sur ses prochains paiements.",
        amount(AmountCents::new(100))
    );
    assert!(page.body.contains(&owed), "{owed} not in:\n{}", page.body);
    let stored = corrections::of_sheets(&app.db.db, &[sheet]).await.unwrap();
    assert_eq!(stored[0].debt_id, None, "not Julien's debt");

    // Julien reads that the fund settles it with the professional.
    let mut member = app.another_browser();
    member.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let own = member.get(&format!("/paiements/{payment}")).await;
    assert_eq!(own.status, StatusCode::OK);
    let settled = format!(
        "le trop-versé de {} est récupéré auprès du professionnel de santé",
        amount(AmountCents::new(100))
    );
    assert!(
        own.body.contains(&settled),
        "{settled} not in:\n{}",
        own.body
    );
}
