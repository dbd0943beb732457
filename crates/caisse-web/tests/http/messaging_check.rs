//! « Nouveau message » in two steps: the check step reads the message back without a field to
//! edit, « Modifier » gives the form back as it was (files included), « Masquer » masks an
//! IBAN or a card number on the server, and « Je ne sais pas » leaves the nature to the fund,
//! whose advisor classifies it.

use axum::http::StatusCode;
use caisse_test_support::files::pdf;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, message_fields};

const SUBJECT: &str = "Feuille de soins du 3 novembre";
const IBAN_BODY: &str =
    "Bonjour, mon IBAN est FR76 3000 6000 0112 3456 7890 189 et ma carte 5555 5555 5555 4444.";

/// The values of the hidden inputs named `name`, in page order.
fn hidden_values(page: &TestResponse, name: &str) -> Vec<String> {
    page.body
        .split(&format!("type=\"hidden\" name=\"{name}\" value=\""))
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default().to_owned())
        .collect()
}

/// The one hidden value of `name`.
fn hidden(page: &TestResponse, name: &str) -> String {
    hidden_values(page, name).pop().expect("the hidden field")
}

async fn logged_in() -> TestApp {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    app
}

#[tokio::test]
async fn the_check_step_reads_the_message_back_and_modifier_keeps_everything() {
    let mut app = logged_in().await;
    let form = app.get("/messagerie/nouveau").await;
    assert!(form.body.contains("Étape 1 sur 2"));
    assert!(form.body.contains("Thème de votre demande"));
    assert!(form.body.contains("Choisissez un thème"));
    assert!(form.body.contains("Je ne sais pas"));

    let file = pdf();
    let body = "Bonjour,\nje n'ai pas été remboursé.";
    let checked = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &message_fields(SUBJECT, body, "verifier"),
            &[("files", "facture.pdf", &file)],
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    for text in [
        "<h1>Vérifiez votre message</h1>",
        "Étape 2 sur 2",
        "Réponse attendue au plus tard le",
        "<dt>Destinataire</dt>",
        "Suivi d&#39;une feuille de soins",
        "Demande de renseignements",
        SUBJECT,
        "facture.pdf",
        "value=\"modifier\">Modifier</button>",
        "value=\"envoyer\">Envoyer le message</button>",
    ] {
        assert!(checked.body.contains(text), "{text}: {}", checked.body);
    }
    // Read-only: no field to type in, no « Masquer » without a number to mask.
    assert!(!checked.body.contains("<textarea"));
    assert!(!checked.body.contains("id=\"subject\""));
    assert!(!checked.body.contains("value=\"masquer\""));
    assert_eq!(
        checked.body.matches("Envoyer le message</button>").count(),
        2,
        "at the top and at the bottom"
    );
    let draft = hidden(&checked, "piece");

    // « Modifier »: the form as it was, with the file.
    let mut back = message_fields(SUBJECT, body, "modifier").to_vec();
    back.push(("piece", &draft));
    let edit = app
        .submit_with_files("/messagerie/nouveau", "/messagerie/nouveau", &back, &[])
        .await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);
    assert!(edit.body.contains("Étape 1 sur 2"));
    assert!(edit.body.contains(&format!("value=\"{SUBJECT}\"")));
    assert!(
        edit.body
            .contains("je n&#39;ai pas été remboursé.</textarea>")
    );
    assert!(
        edit.body
            .contains("value=\"remboursement.feuille_de_soins\" selected")
    );
    assert!(
        edit.body
            .contains("value=\"demande_renseignements\" checked")
    );
    assert!(edit.body.contains("facture.pdf") && edit.body.contains("Retirer"));
    assert_eq!(
        hidden(&edit, "piece"),
        draft,
        "the same draft, not a new upload"
    );
    assert!(!edit.body.contains("field__error"), "no problem shown");

    // Sent from the check step, the file goes with it.
    let mut send = message_fields(SUBJECT, body, "envoyer").to_vec();
    send.push(("piece", &draft));
    let sent = app
        .submit_with_files("/messagerie/nouveau", "/messagerie/nouveau", &send, &[])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let thread = app.get(sent.location().unwrap()).await;
    assert!(thread.body.contains("facture.pdf"));
    assert!(thread.body.contains("message--member"));
}

#[tokio::test]
async fn a_form_with_problems_stays_on_step_one_with_saisissez() {
    let mut app = logged_in().await;
    let refused = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &[("recipient", "caisse"), ("action", "verifier")],
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Étape 1 sur 2"));
    assert!(!refused.body.contains("Vérifiez votre message"));
    for message in [
        "Choisissez le thème de votre message.",
        "Choisissez la nature de votre demande.",
        "Saisissez le sujet de votre message.",
        "Saisissez votre message.",
    ] {
        assert!(refused.body.contains(message), "{message}");
    }
    assert!(!refused.body.contains("objet de votre message"));
}

#[tokio::test]
async fn masquer_hides_the_iban_and_the_card_before_sending() {
    let mut app = logged_in().await;
    let checked = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &message_fields(SUBJECT, IBAN_BODY, "verifier"),
            &[],
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(checked.body.contains("coordonnées bancaires (IBAN)"));
    assert!(
        checked
            .body
            .contains("name=\"action\" value=\"masquer\">Masquer")
    );

    let masked = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &message_fields(SUBJECT, IBAN_BODY, "masquer"),
            &[],
        )
        .await;
    assert_eq!(masked.status, StatusCode::OK, "{}", masked.body);
    assert!(masked.body.contains("Vérifiez votre message"));
    assert!(masked.body.contains("Les numéros sont masqués"));
    let body = hidden(&masked, "body");
    assert!(body.contains("•••• •••• •••• •••• •••• •••0 189"), "{body}");
    assert!(body.contains("•••• •••• •••• 4444"), "{body}");
    assert!(!masked.body.contains("3000 6000"), "nowhere on the page");
    assert!(
        !masked.body.contains("value=\"masquer\""),
        "nothing left to mask"
    );
    assert!(!masked.body.contains("coordonnées bancaires (IBAN)"));

    let sent = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &message_fields(SUBJECT, &body, "envoyer"),
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let thread = app.get(sent.location().unwrap()).await;
    assert!(thread.body.contains("•••0 189"));
    assert!(!thread.body.contains("3000 6000"));
}

#[tokio::test]
async fn je_ne_sais_pas_is_sent_and_an_advisor_classifies_it() {
    let mut app = logged_in().await;
    let mut fields = message_fields(SUBJECT, "Je ne sais pas comment classer ceci.", "verifier");
    fields[2] = ("nature", "non_precisee");
    let checked = app
        .submit_with_files("/messagerie/nouveau", "/messagerie/nouveau", &fields, &[])
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(
        checked
            .body
            .contains("<dt>Nature</dt><dd>Je ne sais pas</dd>")
    );
    assert!(checked.body.contains("Réponse attendue au plus tard le"));
    fields[5] = ("action", "envoyer");
    let sent = app
        .submit_with_files("/messagerie/nouveau", "/messagerie/nouveau", &fields, &[])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let location = sent.location().unwrap().to_owned();
    let thread_path = location.split('?').next().unwrap().to_owned();
    let id = thread_path.trim_start_matches("/messagerie/").to_owned();
    let page = app.get(&thread_path).await;
    assert!(page.body.contains("À préciser par votre caisse"));

    // The back office finds it under « Non précisée » and classifies it.
    let mut staff = app.another_browser();
    staff.login_staff("conseiller").await;
    let queue = staff.get("/agent/messagerie?nature=non_precisee").await;
    assert!(
        queue.body.contains("Non précisée (à classer)"),
        "{}",
        queue.body
    );
    assert!(queue.body.contains(&id));
    let view = staff.get(&format!("/agent/messagerie/{id}")).await;
    assert!(view.body.contains("Enregistrer la nature"), "{}", view.body);
    let token = view.csrf_token();
    let version = hidden(&view, "version");
    let seen = hidden(&view, "vus");
    let refused = staff
        .post_form(
            &format!("/agent/messagerie/{id}/nature"),
            &[
                ("csrf_token", token.as_str()),
                ("version", version.as_str()),
                ("vus", seen.as_str()),
                ("nature", "non_precisee"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Choisissez la nature de la demande."));
    let done = staff
        .post_form(
            &format!("/agent/messagerie/{id}/nature"),
            &[
                ("csrf_token", token.as_str()),
                ("version", version.as_str()),
                ("vus", seen.as_str()),
                ("nature", "reclamation"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let after = staff.get(done.location().unwrap()).await;
    assert!(after.body.contains("La nature du message est enregistrée."));
    assert!(after.body.contains("<dt>Nature</dt><dd>Réclamation</dd>"));
    assert!(
        !staff
            .get("/agent/messagerie?nature=non_precisee")
            .await
            .body
            .contains(&id)
    );
    let events = app
        .staff_events("conseiller", "staff.thread.classified")
        .await;
    assert_eq!(events.len(), 1, "audited");
    assert!(app.get(&thread_path).await.body.contains("Réclamation"));
}
