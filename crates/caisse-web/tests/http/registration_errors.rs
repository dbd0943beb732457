//! What a refused form tells, on « Créer mon compte » and « Mot de passe oublié »: one
//! message per field, « Saisissez … » for an empty one, in the words of the field's hint, the
//! passwords typed given back (escaped), and the live strength meter's hooks.

use axum::http::StatusCode;

use crate::support::{MEMBER_NIR, TestApp, TestResponse};

const PASSWORD: &str = "Girafe-Parapluie-Violon-47";
const FIELDS: [&str; 8] = [
    "nir",
    "birth_date",
    "vitale_serial",
    "iban",
    "email",
    "phone",
    "password",
    "confirmation",
];

/// How many error messages field `name` shows.
fn errors_of(page: &TestResponse, name: &str) -> usize {
    page.body
        .matches(&format!("class=\"field__error\" id=\"{name}-erreur-"))
        .count()
}

async fn register(app: &mut TestApp, fields: &[(&str, &str)]) -> TestResponse {
    app.submit("/inscription", "/inscription", fields).await
}

#[tokio::test]
async fn an_empty_form_says_saisissez_once_per_field() {
    let mut app = TestApp::with_demo_data().await;
    let form = app.get("/inscription").await;
    assert!(
        form.body
            .contains(" required data-password-meter=\"password-force\""),
        "an attribute of its own"
    );
    assert!(form.body.contains("data-min=\"12\" data-max=\"128\""));
    assert!(form.body.contains("/static/js/password-strength."));

    let page = register(&mut app, &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Saisissez votre numéro de sécurité sociale.",
        "Saisissez votre date de naissance.",
        "Saisissez le numéro de série de votre carte Vitale.",
        "Saisissez l&#39;IBAN du compte de vos remboursements.",
        "Saisissez votre adresse e-mail.",
        "Saisissez votre numéro de téléphone mobile.",
        "Saisissez un mot de passe.",
        "acceptez les conditions générales",
    ] {
        assert!(page.body.contains(message), "{message}: {}", page.body);
    }
    for field in &FIELDS[..7] {
        assert_eq!(errors_of(&page, field), 1, "{field}");
    }
    assert_eq!(
        errors_of(&page, "confirmation"),
        0,
        "an empty password is asked once"
    );
    assert!(page.body.contains("Le formulaire contient 8 erreurs"));
}

#[tokio::test]
async fn each_field_shows_one_error_in_the_words_of_its_hint_and_passwords_stay() {
    let mut app = TestApp::with_demo_data().await;
    let typed = "Girafe<Parapluie>&47";
    let page = register(
        &mut app,
        &[
            ("nir", "1 85 05"),
            ("birth_date", "31/02/1985"),
            ("vitale_serial", "12345678"),
            ("iban", "FR76 3000 4008 2300 0123 4567 819"),
            ("email", "pas-une-adresse"),
            ("phone", "06 98 76 54 32"),
            ("password", "court"),
            ("confirmation", typed),
            ("terms", "oui"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in FIELDS {
        assert!(errors_of(&page, field) <= 1, "{field}: {}", page.body);
    }
    assert!(page.body.contains(
        "Saisissez les 13 ou 15 caractères de votre numéro de sécurité sociale, tels qu&#39;ils \
         figurent sur votre carte Vitale."
    ));
    assert!(
        page.body
            .contains("13 ou 15 caractères, tels qu&#39;ils figurent sur votre carte Vitale")
    );
    assert!(page.body.contains(
        "Saisissez une date de naissance valide au format JJ/MM/AAAA, par exemple 14/05/1985."
    ));
    assert!(
        page.body
            .contains("Votre mot de passe doit contenir entre 12 et 128 caractères.")
    );
    assert!(
        page.body.contains("contenir entre 12 et 128 caractères ;"),
        "the rule above"
    );
    assert_eq!(errors_of(&page, "password"), 1, "not one per broken rule");
    // Given back, escaped.
    assert!(page.body.contains("name=\"password\" value=\"court\""));
    assert!(
        page.body
            .contains("name=\"confirmation\" value=\"Girafe&#60;Parapluie&#62;&#38;47\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains(typed));
}

#[tokio::test]
async fn a_refusal_elsewhere_keeps_a_good_password() {
    let mut app = TestApp::with_demo_data().await;
    let page = register(
        &mut app,
        &[
            ("nir", MEMBER_NIR),
            ("birth_date", "14/05/1985"),
            ("vitale_serial", "12345678"),
            ("iban", "FR76 3000 4008 2300 0123 4567 819"),
            ("email", ""),
            ("phone", "06 98 76 54 32"),
            ("password", PASSWORD),
            ("confirmation", PASSWORD),
            ("terms", "oui"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Saisissez votre adresse e-mail."));
    assert_eq!(
        page.body.matches(&format!("value=\"{PASSWORD}\"")).count(),
        2
    );
    assert_eq!(errors_of(&page, "password"), 0);
}

#[tokio::test]
async fn mot_de_passe_oublie_says_saisissez_and_points_to_the_inbox() {
    let mut app = TestApp::with_demo_data().await;
    let refused = app
        .submit("/mot-de-passe-oublie", "/mot-de-passe-oublie", &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Saisissez votre numéro de sécurité sociale.",
        "Saisissez votre date de naissance.",
        "Saisissez votre adresse e-mail.",
    ] {
        assert!(refused.body.contains(message), "{message}");
    }
    assert!(refused.body.contains("Adresse e-mail</label>"));
    assert!(!refused.body.contains("électronique"));
    let invalid = app
        .submit(
            "/mot-de-passe-oublie",
            "/mot-de-passe-oublie",
            &[
                ("nir", MEMBER_NIR),
                ("birth_date", "14/05/1985"),
                ("email", "pas-une-adresse"),
            ],
        )
        .await;
    assert!(
        invalid
            .body
            .contains("Saisissez une adresse e-mail valide, de la forme nom@exemple.fr.")
    );
    let sent = app
        .submit(
            "/mot-de-passe-oublie",
            "/mot-de-passe-oublie",
            &[
                ("nir", MEMBER_NIR),
                ("birth_date", "14/05/1985"),
                ("email", "julien.martin@exemple.fr"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(
        sent.body
            .contains("<h1>Consultez votre boîte de réception</h1>")
    );
    assert!(!sent.body.contains("messagerie</h1>"));
    assert!(!sent.body.contains("courriel"));
}
