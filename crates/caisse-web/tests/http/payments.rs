//! « Mes paiements » over the demo families' year of care, run through the real engine: the
//! list by month with its totals, filters and pages, a payment's detail with « Pourquoi ce
//! montant ? » (the GP consultation at 19 €, the régime local's 90 %, the ALD, a cap reached),
//! tiers payant, indemnités journalières, the empty state, the dashboard, the report link;
//! another member's payment is a 404 like a missing id, on the pages and the API.

use std::io::Cursor;

use axum::http::StatusCode;
use caisse_core::claims::import::{ImportOutcome, Submitter, import_lot};
use caisse_core::claims::liquidation::liquidate_batch;
use caisse_core::claims::member_payments::PaymentFilters;
use caisse_core::claims::payments::make_payments;
use caisse_core::claims::reference_data;
use caisse_domain::nir::compute_key;
use caisse_store::claims::lots::LotSource;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, api_token, without_csrf};

const SOPHIE_NIR: &str = "282126748202355";

fn nir_of(body: &str) -> String {
    format!("{body}{:02}", compute_key(body).unwrap())
}

/// The demo, with its year of care.
async fn app_with_care() -> TestApp {
    let app = TestApp::with_demo_data().await;
    caisse_core::demo::seed_care(&app.db.db, OffsetDateTime::now_utc())
        .await
        .unwrap();
    app
}

/// The ids of the payments the list links to, in page order.
fn payment_links(body: &str) -> Vec<String> {
    body.match_indices("href=\"/paiements/")
        .map(|(at, _)| {
            let rest = &body[at + "href=\"/paiements/".len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        // The payments only, not « Mes sommes à payer ».
        .filter(|id| Uuid::parse_str(id).is_ok())
        .collect()
}

/// The first payment of the member's list whose detail contains `needle`, with its page.
async fn detail_containing(app: &mut TestApp, list: &str, needle: &str) -> (String, String) {
    let page = app.get(list).await;
    assert_eq!(page.status, StatusCode::OK);
    for id in payment_links(&page.body) {
        let detail = app.get(&format!("/paiements/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK);
        if detail.body.contains(needle) {
            return (id, detail.body);
        }
    }
    panic!("no payment of {list} shows {needle:?}");
}

#[tokio::test]
async fn sophie_sees_her_payments_by_month_and_why_the_regime_local_pays_90_percent() {
    let mut app = app_with_care().await;
    app.login_member(SOPHIE_NIR, MEMBER_PASSWORD).await;
    let list = app.get("/paiements").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Total du mois"));
    assert!(list.body.contains("Vous"));
    assert!(list.body.contains("Paiement au professionnel"));
    assert!(list.body.contains("indemnités journalières"));

    // Each month's total is the sum of what it shows.
    let sophie = app.member(SOPHIE_NIR).await;
    let page = app
        .services
        .payments
        .list(sophie.id, &PaymentFilters::default(), None)
        .await
        .unwrap();
    assert!(!page.months.is_empty());
    for month in &page.months {
        let sum: i64 = month.payments.iter().map(|p| p.amount.cents()).sum();
        assert_eq!(month.total.cents(), sum);
        assert!(
            list.body
                .contains(&caisse_domain::french::amount(month.total)),
            "the page shows the month's total"
        );
    }
    let days: Vec<_> = page
        .months
        .iter()
        .flat_map(|m| m.payments.iter().map(|p| p.day))
        .collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let (_, detail) = detail_containing(
        &mut app,
        "/paiements?nature=soins",
        "Consultation de médecin généraliste (G)",
    )
    .await;
    assert!(detail.contains("<details class=\"explanation\">"));
    assert!(detail.contains("<summary>Pourquoi ce montant ?</summary>"));
    assert!(detail.contains(
        "Vous relevez du régime local d&#39;Alsace-Moselle : il porte la prise en charge à 90\u{a0}% de la base et ajoute 6,00\u{a0}€."
    ), "{detail}");
    assert!(detail.contains("Montant remboursé pour cet acte : 25,00\u{a0}€."));
    assert!(detail.contains("sur le plafond annuel de 50,00\u{a0}€"));

    // Her daughter is under 18: no participation, and no counter to follow for it.
    let (_, minor) = detail_containing(
        &mut app,
        "/paiements?nature=soins&beneficiaire=2",
        "n&#39;est pas déduite : le patient avait moins de 18 ans le jour des soins.",
    )
    .await;
    assert!(minor.contains("Bénéficiaire : Emma WEBER"));
    assert!(!minor.contains("Emma WEBER : "), "{minor}");
}

#[tokio::test]
async fn a_gp_consultation_of_30_euros_is_19_euros_and_the_pharmacy_is_paid_directly() {
    let mut app = app_with_care().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let (_, detail) = detail_containing(
        &mut app,
        "/paiements?nature=soins&beneficiaire=1",
        "Consultation de médecin généraliste (G)",
    )
    .await;
    assert!(detail.contains("La participation forfaitaire est déduite : 2,00\u{a0}€."));
    assert!(detail.contains("Montant remboursé pour cet acte : 19,00\u{a0}€."));

    let (_, pharmacy) = detail_containing(
        &mut app,
        "/paiements?nature=professionnel",
        "payé directement au professionnel",
    )
    .await;
    assert!(pharmacy.contains("tiers payant"));
    assert!(pharmacy.contains("Il vous reste à payer"));
    assert!(pharmacy.contains("Franchise médicale sur les médicaments"));
}

#[tokio::test]
async fn care_linked_to_an_ald_is_explained_as_such() {
    let mut app = app_with_care().await;
    app.login_member(&nir_of("1900397411056"), MEMBER_PASSWORD)
        .await;
    let (_, detail) = detail_containing(
        &mut app,
        "/paiements",
        "en rapport avec votre affection de longue durée (ALD)",
    )
    .await;
    assert!(detail.contains("rembourse 100\u{a0}% de la base"));
}

#[tokio::test]
async fn indemnites_journalieres_show_their_period_and_daily_amount() {
    let mut app = app_with_care().await;
    app.login_member(SOPHIE_NIR, MEMBER_PASSWORD).await;
    let list = app.get("/paiements?nature=indemnites_journalieres").await;
    assert!(!payment_links(&list.body).is_empty());
    let (_, detail) = detail_containing(
        &mut app,
        "/paiements?nature=indemnites_journalieres",
        "<h2 id=\"ij\">Indemnités journalières</h2>",
    )
    .await;
    assert!(detail.contains("Montant par jour (brut)"));
    assert!(detail.contains("Versées sur votre compte"));
    assert!(detail.contains("jours)"));
}

#[tokio::test]
async fn filters_keep_what_they_name() {
    let mut app = app_with_care().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let all = app.get("/paiements").await;
    let professional = app.get("/paiements?nature=professionnel").await;
    assert!(professional.body.contains("Paiement au professionnel"));
    assert!(
        !professional
            .body
            .contains("<td data-label=\"Payé à\" class=\"cell-wrap\">Vous</td>")
    );
    let soins = app.get("/paiements?nature=soins").await;
    assert!(
        !soins
            .body
            .contains("<td data-label=\"Type\">Paiement au professionnel</td>")
    );
    assert!(payment_links(&professional.body).len() < payment_links(&all.body).len() + 20);

    // A child's care only: fewer payments than the family's.
    let julien = app.member("185057800608491").await;
    let services = app.services.payments.clone();
    let family = services
        .list(julien.id, &PaymentFilters::parse("", "", "tout"), None)
        .await
        .unwrap();
    let child = services
        .list(julien.id, &PaymentFilters::parse("2", "", "tout"), None)
        .await
        .unwrap();
    let count = |p: &caisse_core::claims::member_payments::PaymentsPage| {
        p.months.iter().map(|m| m.payments.len()).sum::<usize>()
    };
    assert!(count(&child) > 0 && count(&child) < count(&family));

    // The last 3 months: at most 3 months shown, all within them.
    let recent = app.get("/paiements?periode=3m").await;
    assert_eq!(recent.status, StatusCode::OK);
    let three = services
        .list(julien.id, &PaymentFilters::parse("", "", "3m"), None)
        .await
        .unwrap();
    assert!(three.months.len() <= 3);
    let oldest = OffsetDateTime::now_utc().date() - Duration::days(93);
    assert!(
        three
            .months
            .iter()
            .all(|m| m.first_day >= oldest.replace_day(1).unwrap())
    );
    // An unknown value filters nothing.
    let unknown = app
        .get("/paiements?nature=inconnue&periode=99&beneficiaire=x")
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(payment_links(&unknown.body), payment_links(&all.body));
}

#[tokio::test]
async fn pages_hold_whole_months_and_lead_to_older_payments() {
    let mut app = app_with_care().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let first = app.get("/paiements").await;
    let marker = "<a href=\"/paiements?beneficiaire=&#38;nature=&#38;periode=tout&#38;avant=";
    let at = first.body.find(marker).expect("a link to older payments");
    let rest = &first.body[at + "<a href=\"".len()..];
    let next = rest[..rest.find('"').unwrap()].replace("&#38;", "&");
    let second = app.get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    let first_ids = payment_links(&first.body);
    let second_ids = payment_links(&second.body);
    assert!(!second_ids.is_empty());
    assert!(first_ids.iter().all(|id| !second_ids.contains(id)));
    // No month on both pages.
    let julien = app.member("185057800608491").await;
    let filters = PaymentFilters::default();
    let one = app
        .services
        .payments
        .list(julien.id, &filters, None)
        .await
        .unwrap();
    let two = app
        .services
        .payments
        .list(julien.id, &filters, one.older)
        .await
        .unwrap();
    let last_of_one = one.months.last().unwrap().first_day;
    assert!(two.months.iter().all(|m| m.first_day < last_of_one));
}

#[tokio::test]
async fn another_members_payment_is_a_404_like_a_missing_one_and_anonymous_visitors_log_in() {
    let mut app = app_with_care().await;
    let julien = app.member("185057800608491").await;
    let julien_payment = app
        .services
        .payments
        .latest(julien.id)
        .await
        .unwrap()
        .unwrap()
        .id;

    let anonymous = app.get(&format!("/paiements/{julien_payment}")).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(
        anonymous
            .location()
            .unwrap()
            .starts_with("/connexion?suite=/paiements/")
    );
    let api_anonymous = app.get(&format!("/api/v1/payments/{julien_payment}")).await;
    assert_eq!(api_anonymous.status, StatusCode::UNAUTHORIZED);

    app.login_member(SOPHIE_NIR, MEMBER_PASSWORD).await;
    let other = app.get(&format!("/paiements/{julien_payment}")).await;
    let missing = app.get(&format!("/paiements/{}", Uuid::now_v7())).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(without_csrf(&other.body), without_csrf(&missing.body));

    let token = api_token(&mut app, SOPHIE_NIR).await;
    let other = app
        .get_with_bearer(&format!("/api/v1/payments/{julien_payment}"), &token)
        .await;
    let missing = app
        .get_with_bearer(&format!("/api/v1/payments/{}", Uuid::now_v7()), &token)
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(other.body, missing.body);
}

#[tokio::test]
async fn the_api_lists_by_month_and_explains_each_line() {
    let mut app = app_with_care().await;
    let token = api_token(&mut app, SOPHIE_NIR).await;
    let list = app.get_with_bearer("/api/v1/payments", &token).await;
    assert_eq!(list.status, StatusCode::OK);
    let page: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let months = page["months"].as_array().unwrap();
    assert!(!months.is_empty());
    for month in months {
        let sum: i64 = month["payments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["amount_cents"].as_i64().unwrap())
            .sum();
        assert_eq!(month["total_cents"].as_i64().unwrap(), sum);
    }
    let only_ij = app
        .get_with_bearer("/api/v1/payments?kind=indemnites_journalieres", &token)
        .await;
    let only_ij: serde_json::Value = serde_json::from_str(&only_ij.body).unwrap();
    let ij_payments: Vec<&serde_json::Value> = only_ij["months"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["payments"].as_array().unwrap())
        .collect();
    assert!(!ij_payments.is_empty());
    assert!(ij_payments.iter().all(|p| p["includes_ij"] == true));

    let soins = app
        .get_with_bearer("/api/v1/payments?kind=soins", &token)
        .await;
    let soins: serde_json::Value = serde_json::from_str(&soins.body).unwrap();
    let id = soins["months"][0]["payments"][0]["id"].as_str().unwrap();
    let detail = app
        .get_with_bearer(&format!("/api/v1/payments/{id}"), &token)
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    let detail: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    let line = &detail["beneficiaries"][0]["lines"][0];
    let explanation = line["explanation"].as_array().unwrap();
    assert!(explanation.len() >= 3);
    assert!(explanation.iter().any(|s| {
        s.as_str()
            .unwrap()
            .contains("régime local d'Alsace-Moselle")
    }));
}

#[tokio::test]
async fn the_empty_state_says_what_will_appear_and_the_dashboard_too() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let list = app.get("/paiements").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Vos paiements apparaîtront ici."));
    assert!(!list.body.contains("Aucun paiement"));
    let home = app.get("/").await;
    assert!(home.body.contains("Mon dernier paiement"));
    assert!(
        home.body
            .contains("s'afficheront ici dès le premier paiement")
    );
}

#[tokio::test]
async fn the_dashboard_shows_the_latest_payment() {
    let mut app = app_with_care().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let julien = app.member("185057800608491").await;
    let latest = app
        .services
        .payments
        .latest(julien.id)
        .await
        .unwrap()
        .unwrap();
    let home = app.get("/").await;
    assert!(
        home.body
            .contains(&format!("href=\"/paiements/{}\"", latest.id))
    );
    assert!(
        home.body
            .contains(&caisse_domain::french::amount(latest.amount))
    );
}

#[tokio::test]
async fn signaler_un_remboursement_opens_a_prefilled_message() {
    let mut app = app_with_care().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let (_, detail) = detail_containing(&mut app, "/paiements", "Signaler un remboursement").await;
    let at = detail.find("href=\"/messagerie/nouveau?").unwrap();
    let rest = &detail[at + "href=\"".len()..];
    let link = rest[..rest.find('"').unwrap()].replace("&#38;", "&");
    assert!(link.contains("objet=remboursement.question"));
    let form = app.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains("value=\"remboursement.question\" selected")
    );
    assert!(form.body.contains("value=\"signalement\" checked"));
    assert!(form.body.contains("Signalement d&#39;un remboursement du "));
    assert!(form.body.contains("Je signale le remboursement suivant"));

    // An objet outside the catalogue and an unknown nature prefill nothing.
    let odd = app
        .get("/messagerie/nouveau?objet=inconnu&nature=plainte")
        .await;
    assert_eq!(odd.status, StatusCode::OK);
    let plain = app.get("/messagerie/nouveau").await;
    for mark in [" selected", " checked"] {
        assert_eq!(
            odd.body.matches(mark).count(),
            plain.body.matches(mark).count()
        );
    }
}

#[tokio::test]
async fn a_franchise_past_the_annual_cap_is_not_deducted_and_says_why() {
    let mut app = app_with_care().await;
    let db = &app.db.db;
    let julien = app.member("185057800608491").await;
    let tables = reference_data::current(db).await.unwrap();
    let now = OffsetDateTime::now_utc();
    // Sixty boxes on one sheet: 60 € of franchises, past the 50 € of the year.
    let day = now.date() - Duration::days(1);
    let lot = [
        serde_json::json!({"lot": {"type_emetteur": "finess", "emetteur": "780000011", "numero_lot": 900}}),
        serde_json::json!({
            "numero_feuille": 1, "nir": julien.nir.as_str(), "rang": 1,
            "type_professionnel": "finess", "professionnel": "780000011",
            "date_soins": day.to_string(), "tiers_payant": false,
            "part_complementaire": false, "parcours": "medecin_traitant",
            "actes": [{"code_acte": "PH7", "quantite": 60, "coefficient": "1",
                       "montant_cents": 60_000, "ald": false, "at_mp": false}],
        }),
    ]
    .map(|v| v.to_string())
    .join("\n");
    let outcome = import_lot(
        db,
        &tables,
        || Ok(Cursor::new(lot.as_bytes())),
        None,
        Submitter::Operator(julien.caisse_code),
        LotSource::File,
        now,
    )
    .await
    .unwrap();
    assert!(matches!(outcome, ImportOutcome::Accepted(_)), "{outcome:?}");
    while liquidate_batch(db, &tables, 1_000, now)
        .await
        .unwrap()
        .sheets()
        > 0
    {}
    while make_payments(db, now.date(), now).await.unwrap().sheets > 0 {}

    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let (_, detail) = detail_containing(&mut app, "/paiements", "au lieu de 60,00\u{a0}€").await;
    assert!(
        detail.contains("le plafond annuel de l&#39;année civile est atteint"),
        "{detail}"
    );
    assert!(detail.contains("50,00\u{a0}€ sur le plafond annuel de 50,00\u{a0}€"));
}

#[tokio::test]
async fn each_payment_run_mails_an_information_de_paiement_without_amount_nor_care() {
    let app = TestApp::with_demo_data().await;
    // Sophie asked for no mail.
    let sophie = app.member(SOPHIE_NIR).await;
    let now = OffsetDateTime::now_utc();
    caisse_store::members::set_notifications(&app.db.db, sophie.id, false, false, now)
        .await
        .unwrap();
    caisse_core::demo::seed_care(&app.db.db, now).await.unwrap();
    let julien = app.member("185057800608491").await;
    let email = julien.email.unwrap();
    let mails = app.delivered(email.as_str()).await;
    let notices: Vec<&(String, String, String)> = mails
        .iter()
        .filter(|(subject, ..)| subject == "Information de paiement")
        .collect();
    assert!(!notices.is_empty());
    for (_, _, body) in notices {
        assert!(body.contains("« Mes paiements »"));
        assert!(!body.contains('€'), "no amount: {body}");
        for care in ["consultation", "médicament", "pharmacie", "G "] {
            assert!(!body.to_lowercase().contains(care), "no care: {body}");
        }
    }

    let sophie_mails = app.delivered(sophie.email.unwrap().as_str()).await;
    assert!(
        !sophie_mails
            .iter()
            .any(|(subject, ..)| subject == "Information de paiement")
    );
}
