//! The back office's view of a member's payments and its corrections of paid lines, over the
//! demo's year of care: the latest payments beside a thread and on the account page, a
//! payment's lines with « Pourquoi ce montant ? », a correction applied at once then the same
//! form sent again (refused, nothing doubled), a correction above the approval amount waiting
//! for a supervisor, then paid by the next run; every reading audited. Another fund's staff
//! meets a 404 on each route (`staff_routes.rs`).

use axum::http::StatusCode;
use caisse_core::audit::RequestContext;
use caisse_core::claims::complements::pay_complements;
use caisse_core::claims::staff_payments::CorrectionSettings;
use caisse_domain::claims::{MemberPaymentKind, Payee};
use caisse_domain::french::amount;
use caisse_domain::{AmountCents, CaisseCode};
use caisse_store::claims::corrections;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, api_token, config};

/// A paid line of the member's own reimbursements with room for a 3 € complement: the
/// payment, the sheet, the line and what it reimburses.
async fn correctable_line(
    app: &TestApp,
    staff: Uuid,
    member: Uuid,
) -> (Uuid, Uuid, usize, AmountCents) {
    let service = &app.services.staff_payments;
    let context = RequestContext::default();
    let list = service.list(staff, member, 100, &context).await.unwrap();
    for entry in list.payments {
        if entry.kind != MemberPaymentKind::Soins || entry.payee != Payee::Member {
            continue;
        }
        let view = service
            .detail(staff, member, entry.id, &context)
            .await
            .unwrap();
        for line in view.detail.beneficiaries.iter().flat_map(|b| &b.lines) {
            if line.charged.cents() - line.reimbursed.cents() >= 300 {
                return (entry.id, line.sheet_id, line.line_no, line.reimbursed);
            }
        }
    }
    panic!("no correctable line in the demo's care");
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
    let sheet_text = sheet.to_string();
    let line_text = line_no.to_string();
    let shown = paid.cents().to_string();
    let plus_one = euros(paid.cents() + 100);
    let form = [
        ("csrf_token", token.as_str()),
        ("feuille", sheet_text.as_str()),
        ("ligne", line_text.as_str()),
        ("affiche", shown.as_str()),
        ("montant", plus_one.as_str()),
        ("motif", "Cotation corrigée par le cabinet"),
    ];
    let done = conseiller
        .post_form(&format!("{path}/corriger"), &form)
        .await;
    assert_eq!(
        done.location(),
        Some(format!("{path}?fait=corrigee").as_str())
    );
    let again = conseiller
        .post_form(&format!("{path}/corriger"), &form)
        .await;
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
    let shown = (paid.cents() + 100).to_string();
    let plus_three = euros(paid.cents() + 300);
    let waiting = conseiller
        .post_form(
            &format!("{path}/corriger"),
            &[
                ("csrf_token", token.as_str()),
                ("feuille", sheet_text.as_str()),
                ("ligne", line_text.as_str()),
                ("affiche", shown.as_str()),
                ("montant", plus_three.as_str()),
                ("motif", "Dépassement mal appliqué"),
            ],
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
    let shown = (paid.cents() + 300).to_string();
    let plus_two = euros(paid.cents() + 200);
    let down = conseiller
        .post_form(
            &format!("{path}/corriger"),
            &[
                ("csrf_token", token.as_str()),
                ("feuille", sheet_text.as_str()),
                ("ligne", line_text.as_str()),
                ("affiche", shown.as_str()),
                ("montant", plus_two.as_str()),
                ("motif", "Dépassement compté deux fois"),
            ],
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
