//! The advisors' search by name and birth date (issue 20): posted like the NIR search, scoped
//! to the advisor's fund, accents and case aside, audited with the members listed (never what
//! was typed), and a French answer for no result, too many, or a form with problems.

use axum::http::StatusCode;
use caisse_store::members::{self, NewMember};
use caisse_test_support::fixtures::{new_member, next_nir};
use time::macros::date;

use crate::support::{TestApp, TestResponse};

async fn by_name(app: &mut TestApp, last: &str, first: &str, birth: &str) -> TestResponse {
    app.submit(
        "/agent/comptes",
        "/agent/comptes",
        &[("nom", last), ("prenom", first), ("naissance", birth)],
    )
    .await
}

#[tokio::test]
async fn a_name_and_a_birth_date_find_the_funds_member_and_the_search_is_audited() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("conseiller").await;
    let form = app.get("/agent/comptes").await;
    assert!(form.body.contains("Par nom et date de naissance"));
    assert!(form.body.contains("Rechercher par nom"));
    let julien = app.member("185057800608491").await.id;
    // Accents, case and the beginning of the name only.
    let found = by_name(&mut app, "martín", "", "14/05/1985").await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(
        found
            .body
            .contains(&format!("href=\"/agent/comptes/{julien}\"")),
        "{}",
        found.body
    );
    assert!(found.body.contains("Julien MARTIN"));
    assert!(found.body.contains("14 mai 1985"));
    assert!(
        found.body.contains("1 85 05 78 *** *** **"),
        "the NIR masked"
    );
    assert!(!found.body.contains("006 084"), "never the whole NIR");
    assert!(found.body.contains("Un assuré de votre caisse correspond"));
    let prefix = by_name(&mut app, "MAR", "jul", "14.05.1985").await;
    assert!(
        prefix
            .body
            .contains(&format!("href=\"/agent/comptes/{julien}\""))
    );
    // Sophie WEBER is of the Bas-Rhin fund: not found from the Yvelines.
    let other = by_name(&mut app, "WEBER", "", "21/12/1982").await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(!other.body.contains("/agent/comptes/0"), "no result link");
    assert!(
        other
            .body
            .contains("Aucun assuré de votre caisse ne porte ce nom")
    );
    // The wrong day: nobody either.
    let wrong_day = by_name(&mut app, "MARTIN", "", "15/05/1985").await;
    assert!(
        wrong_day
            .body
            .contains("Aucun assuré de votre caisse ne porte ce nom")
    );
    let searches = app
        .staff_events("conseiller", "staff.member.searched")
        .await;
    assert_eq!(searches.len(), 4, "one event per search");
    assert!(
        searches
            .iter()
            .any(|e| e.subject_id == Some(julien) && e.details.contains(&julien.to_string())),
        "the member listed"
    );
    assert!(
        searches
            .iter()
            .all(|e| !e.details.to_lowercase().contains("martin")
                && !e.details.contains("1985")
                && !e.details.contains("weber")),
        "what was typed is never recorded"
    );
    assert!(
        searches
            .iter()
            .any(|e| e.subject_id.is_none() && e.details.contains("\"found\":0"))
    );
}

#[tokio::test]
async fn the_search_by_name_says_what_is_missing_and_when_there_are_too_many() {
    let mut app = TestApp::with_demo_data().await;
    app.login_staff("conseiller").await;
    let missing = by_name(&mut app, "", "", "31/02/1985").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("class=\"error-summary\""));
    assert!(
        missing.body.contains("Indiquez le nom de l&#39;assuré")
            || missing.body.contains("Indiquez le nom de l'assuré")
    );
    assert!(missing.body.contains("sous la forme JJ/MM/AAAA"));
    assert!(
        app.staff_events("conseiller", "staff.member.searched")
            .await
            .is_empty(),
        "no search ran"
    );
    // 21 DUPONT born the same day in the fund: too many to list; the first name narrows.
    let now = app.clock.instant();
    for n in 0..21 {
        let first_name = if n == 0 { "Zoé" } else { "Alex" };
        members::insert(
            &app.db.db,
            NewMember {
                last_name: "DUPONT".to_owned(),
                first_name: first_name.to_owned(),
                birth_date: date!(1970 - 03 - 01),
                ..new_member(&next_nir(), "781", None)
            },
            vec![],
            now,
        )
        .await
        .unwrap();
    }
    let many = by_name(&mut app, "Dupont", "", "01/03/1970").await;
    assert_eq!(many.status, StatusCode::OK);
    assert!(
        many.body.contains(
            "21 assurés de votre caisse correspondent à cette recherche : c&#39;est trop"
        ) || many
            .body
            .contains("21 assurés de votre caisse correspondent à cette recherche : c'est trop"),
        "{}",
        many.body
    );
    assert!(!many.body.contains("href=\"/agent/comptes/0"));
    let narrowed = by_name(&mut app, "Dupont", "zoe", "01/03/1970").await;
    assert!(narrowed.body.contains("Zoé DUPONT"));
    assert!(
        narrowed
            .body
            .contains("Un assuré de votre caisse correspond")
    );
    let searches = app
        .staff_events("conseiller", "staff.member.searched")
        .await;
    assert!(
        searches
            .iter()
            .any(|e| e.details.contains("\"too_many\":true"))
    );
    // The NIR search is still there, on the same page.
    let nir = app
        .submit(
            "/agent/comptes",
            "/agent/comptes",
            &[("nir", "185057800608491")],
        )
        .await;
    assert_eq!(nir.status, StatusCode::SEE_OTHER);
}
