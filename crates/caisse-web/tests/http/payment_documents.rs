//! The payment documents over the demo families' year of care, run through the real engine:
//! the monthly statement holds every line and the totals of the month's payments, the
//! attestation de paiement des IJ and the relevé fiscal hold each IJ payment and the stored
//! taxable amounts; another member's data never appears (their period is a 404 like an empty
//! one), and bad periods are refused in French, on the pages and the API.

use axum::http::{StatusCode, header};
use caisse_core::claims::member_payments::PaymentFilters;
use caisse_domain::AmountCents;
use caisse_domain::claims::{MemberPaymentKind, Payee};
use caisse_domain::french::amount;
use caisse_store::claims::ij_payments;
use time::{Date, OffsetDateTime};

use crate::support::{MEMBER_PASSWORD, TestApp, TestResponse, api_token};

const SOPHIE_NIR: &str = "282126748202355";
const JULIEN_NIR: &str = "185057800608491";

async fn app_with_care() -> TestApp {
    let app = TestApp::with_demo_data().await;
    caisse_core::demo::seed_care(&app.db.db, OffsetDateTime::now_utc())
        .await
        .unwrap();
    app
}

/// The text of a PDF download (checked by qpdf), white space collapsed.
fn pdf_text(response: &TestResponse, file_prefix: &str) -> String {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = response.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{file_prefix}")),
        "{disposition}"
    );
    caisse_test_support::pdf::checked_text(&response.bytes)
}

fn collapse(text: &str) -> String {
    text.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn euros(value: AmountCents) -> String {
    collapse(&amount(value))
}

fn statement_path(month: Date) -> String {
    format!(
        "/paiements/releves/{}/{:02}",
        month.year(),
        u8::from(month.month())
    )
}

#[tokio::test]
async fn the_monthly_statement_holds_every_line_and_the_totals_of_the_month() {
    let mut app = app_with_care().await;
    let sophie = app.member(SOPHIE_NIR).await;
    let page = app
        .services
        .payments
        .list(sophie.id, &PaymentFilters::default(), None)
        .await
        .unwrap();
    // The month with the most kinds of payment: care, tiers payant, IJ when there are.
    let month = page
        .months
        .iter()
        .max_by_key(|m| {
            let mut kinds: Vec<_> = m.payments.iter().map(|p| p.kind).collect();
            kinds.sort_by_key(|k| k.code());
            kinds.dedup();
            (kinds.len(), m.payments.len())
        })
        .unwrap();
    assert!(
        month
            .payments
            .iter()
            .any(|p| p.kind == MemberPaymentKind::Professionnel),
        "the demo pays a professional for Sophie in that month"
    );

    app.login_member(SOPHIE_NIR, MEMBER_PASSWORD).await;
    let list = app.get("/paiements").await;
    assert!(list.body.contains(&format!(
        "<a href=\"{}\">Télécharger le relevé de ",
        statement_path(month.first_day)
    )));
    let text = pdf_text(
        &app.get(&statement_path(month.first_day)).await,
        "releve-mensuel-",
    );
    assert!(text.contains("Relevé mensuel de remboursements"), "{text}");
    assert!(text.contains("Sophie"), "{text}");

    let mut tiers_payant = 0;
    for entry in &month.payments {
        assert!(text.contains(&euros(entry.amount)), "{text}");
        let detail = app
            .services
            .payments
            .detail(sophie.id, entry.id)
            .await
            .unwrap()
            .unwrap();
        for line in detail.beneficiaries.iter().flat_map(|b| &b.lines) {
            for value in [line.charged, line.base, line.reimbursed] {
                assert!(text.contains(&euros(value)), "{}", euros(value));
            }
            tiers_payant += usize::from(line.tiers_payant);
        }
        for d in &detail.deductions {
            assert!(text.contains(&euros(d.applied)), "{text}");
        }
    }
    assert!(tiers_payant > 0);
    let total = |payee: Payee| {
        AmountCents::new(
            month
                .payments
                .iter()
                .filter(|p| p.payee == payee)
                .map(|p| p.amount.cents())
                .sum(),
        )
    };
    assert!(
        text.contains(&format!(
            "Versé sur votre compte {}",
            euros(total(Payee::Member))
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Payé directement aux professionnels de santé {}",
            euros(total(Payee::Professional))
        )),
        "{text}"
    );
    assert!(text.contains("payé directement au professionnel"), "{text}");

    // The same file through the API.
    let token = api_token(&mut app, SOPHIE_NIR).await;
    let api = app
        .get_with_bearer(
            &format!(
                "/api/v1/payments/statements/{}/{}",
                month.first_day.year(),
                u8::from(month.first_day.month())
            ),
            &token,
        )
        .await;
    let api_text = pdf_text(&api, "releve-mensuel-");
    assert!(api_text.contains(&format!(
        "Versé sur votre compte {}",
        euros(total(Payee::Member))
    )));
}

#[tokio::test]
async fn another_members_statement_shows_none_of_sophies_data() {
    let mut app = app_with_care().await;
    let sophie = app.member(SOPHIE_NIR).await;
    let julien = app.member(JULIEN_NIR).await;
    let sophie_months: Vec<Date> = app
        .services
        .payments
        .list(sophie.id, &PaymentFilters::default(), None)
        .await
        .unwrap()
        .months
        .iter()
        .map(|m| m.first_day)
        .collect();
    let julien_months: Vec<Date> = app
        .services
        .payments
        .list(julien.id, &PaymentFilters::default(), None)
        .await
        .unwrap()
        .months
        .iter()
        .map(|m| m.first_day)
        .collect();

    app.login_member(JULIEN_NIR, MEMBER_PASSWORD).await;
    for month in &sophie_months {
        let response = app.get(&statement_path(*month)).await;
        if julien_months.contains(month) {
            let text = pdf_text(&response, "releve-mensuel-");
            assert!(!text.contains("WEBER"), "{text}");
            assert!(!text.contains("Sophie"), "{text}");
        } else {
            assert_eq!(response.status, StatusCode::NOT_FOUND);
        }
    }
    // Sophie's IJ are hers: Julien has none, so no attestation nor relevé fiscal.
    assert!(
        app.services
            .payment_documents
            .ij_years(julien.id)
            .await
            .unwrap()
            .is_empty()
    );
    let years = app
        .services
        .payment_documents
        .ij_years(sophie.id)
        .await
        .unwrap();
    let year = years[0];
    let token = api_token(&mut app, JULIEN_NIR).await;
    let tax = app
        .get_with_bearer(
            &format!("/api/v1/payments/ij-tax-statements/{year}"),
            &token,
        )
        .await;
    assert_eq!(tax.status, StatusCode::NOT_FOUND, "{}", tax.body);
    let attestation = app
        .get_with_bearer(
            &format!("/api/v1/payments/ij-attestation?from={year}-01-01&to={year}-01-01"),
            &token,
        )
        .await;
    assert_eq!(attestation.status, StatusCode::NOT_FOUND);
    let documents = app.get("/paiements/documents").await;
    assert_eq!(documents.status, StatusCode::OK);
    assert!(
        documents
            .body
            .contains("Vous n'avez reçu aucune indemnité journalière"),
        "{}",
        documents.body
    );

    // A member with no payment at all: every month is a 404, like a missing one.
    let empty = TestApp::with_demo_data().await;
    let mut empty = empty;
    empty.login_member(SOPHIE_NIR, MEMBER_PASSWORD).await;
    for month in sophie_months.iter().take(2) {
        assert_eq!(
            empty.get(&statement_path(*month)).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn the_ij_documents_hold_each_payment_and_the_stored_taxable_amounts() {
    let mut app = app_with_care().await;
    let sophie = app.member(SOPHIE_NIR).await;
    let paid = ij_payments::paid_of_member(&app.db.db, sophie.id, None, None)
        .await
        .unwrap();
    assert!(
        !paid.is_empty(),
        "the demo pays Sophie indemnités journalières"
    );
    let first = paid
        .iter()
        .filter_map(|p| p.paid_by)
        .map(|(_, d)| d)
        .min()
        .unwrap();
    let last = paid
        .iter()
        .filter_map(|p| p.paid_by)
        .map(|(_, d)| d)
        .max()
        .unwrap();

    app.login_member(SOPHIE_NIR, MEMBER_PASSWORD).await;
    let documents = app.get("/paiements/documents").await;
    assert_eq!(documents.status, StatusCode::OK);
    assert!(documents.body.contains(
        "<form class=\"form\" method=\"get\" action=\"/paiements/documents/attestation-ij\""
    ));
    assert!(
        documents
            .body
            .contains(&format!("<option value=\"{}\"", last.year()))
    );

    let text = pdf_text(
        &app.get(&format!(
            "/paiements/documents/attestation-ij?du={first}&au={last}"
        ))
        .await,
        "attestation-ij-",
    );
    assert!(
        text.contains("Attestation de paiement des indemnités journalières"),
        "{text}"
    );
    let sum =
        |f: fn(&ij_payments::StoredIjPayment) -> i64| AmountCents::new(paid.iter().map(f).sum());
    for p in &paid {
        assert!(text.contains(&euros(p.payment.amounts.net)), "{text}");
    }
    assert!(
        text.contains(&format!(
            "Total {} {}",
            paid.iter().map(|p| p.payment.days).sum::<u32>(),
            euros(sum(|p| p.payment.amounts.gross.cents()))
        )),
        "{text}"
    );
    assert!(text.contains(&euros(sum(|p| p.payment.amounts.net.cents()))));

    let year = last.year();
    let of_year: Vec<_> = paid
        .iter()
        .filter(|p| p.paid_by.is_some_and(|(_, d)| d.year() == year))
        .collect();
    let taxable = AmountCents::new(
        of_year
            .iter()
            .map(|p| p.payment.amounts.taxable.cents())
            .sum(),
    );
    let text = pdf_text(
        &app.get(&format!("/paiements/documents/releve-fiscal?annee={year}"))
            .await,
        "releve-fiscal-ij-",
    );
    assert!(
        text.contains(&format!("Montant net imposable {year} {}", euros(taxable))),
        "{text}"
    );
    let token = api_token(&mut app, SOPHIE_NIR).await;
    let api = app
        .get_with_bearer(
            &format!("/api/v1/payments/ij-tax-statements/{year}"),
            &token,
        )
        .await;
    assert!(pdf_text(&api, "releve-fiscal-ij-").contains(&euros(taxable)));
    let api = app
        .get_with_bearer(
            &format!("/api/v1/payments/ij-attestation?from={first}&to={last}"),
            &token,
        )
        .await;
    assert!(pdf_text(&api, "attestation-ij-").contains(&euros(paid[0].payment.amounts.net)));
}

#[tokio::test]
async fn bad_periods_are_refused_in_french_on_the_pages_and_the_api() {
    let mut app = app_with_care().await;
    app.login_member(SOPHIE_NIR, MEMBER_PASSWORD).await;
    let today = OffsetDateTime::now_utc().date();
    let next_year = today.year() + 1;

    let reversed = app
        .get("/paiements/documents/attestation-ij?du=2026-03-10&au=2026-03-01")
        .await;
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reversed
            .body
            .contains("La date de début doit être avant la date de fin")
    );
    assert!(reversed.body.contains("aria-invalid=\"true\""));
    let future = app
        .get(&format!(
            "/paiements/documents/attestation-ij?du=2026-01-01&au={next_year}-01-01"
        ))
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        future
            .body
            .contains("Cette période n’est pas encore passée")
    );
    let unreadable = app
        .get("/paiements/documents/attestation-ij?du=hier&au=2026-03-01")
        .await;
    assert_eq!(unreadable.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unreadable
            .body
            .contains("Indiquez la date de début au format JJ/MM/AAAA")
    );
    let year = app
        .get(&format!(
            "/paiements/documents/releve-fiscal?annee={next_year}"
        ))
        .await;
    assert_eq!(year.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(year.body.contains("Cette période n’est pas encore passée"));
    let no_month = app.get("/paiements/releves/2026/13").await;
    assert_eq!(no_month.status, StatusCode::BAD_REQUEST);
    assert!(no_month.body.contains("Adresse incorrecte"));
    let not_begun = app.get(&format!("/paiements/releves/{next_year}/01")).await;
    assert_eq!(not_begun.status, StatusCode::BAD_REQUEST);

    let token = api_token(&mut app, SOPHIE_NIR).await;
    for (path, status, code) in [
        (
            "/api/v1/payments/statements/2026/13".to_owned(),
            422,
            "invalid_period",
        ),
        (
            format!("/api/v1/payments/statements/{next_year}/01"),
            422,
            "invalid_period",
        ),
        (
            "/api/v1/payments/statements/deux/01".to_owned(),
            400,
            "bad_request",
        ),
        (
            "/api/v1/payments/ij-attestation?from=2026-03-10&to=2026-03-01".to_owned(),
            422,
            "invalid_period",
        ),
        (
            "/api/v1/payments/ij-attestation?from=2026-03-10".to_owned(),
            400,
            "bad_request",
        ),
        (
            format!("/api/v1/payments/ij-tax-statements/{next_year}"),
            422,
            "invalid_period",
        ),
        (
            "/api/v1/payments/ij-tax-statements/1999".to_owned(),
            422,
            "invalid_period",
        ),
    ] {
        let response = app.get_with_bearer(&path, &token).await;
        assert_eq!(
            response.status.as_u16(),
            status,
            "{path}: {}",
            response.body
        );
        let problem: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        assert_eq!(problem["code"], code, "{path}");
        assert!(!problem["detail"].as_str().unwrap().is_empty());
    }
}
