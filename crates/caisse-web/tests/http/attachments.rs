//! Attachments end to end: a member sends files through the pages and the API and downloads
//! them; hostile files are refused by name with the draft kept and nothing stored; nobody
//! else reaches the files (another member, another fund's staff), and the fund's staff do,
//! audited.

use axum::http::{StatusCode, header};
use caisse_domain::messaging::{AttachmentKind, MIB};
use caisse_store::entities::{attachment_draft, message_attachment};
use caisse_test_support::files::{
    GPS_MARKER, contains, jpeg_with_gps, pdf, png, png_bomb, stored_files, windows_program,
};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::support::{
    FilePart, MEMBER_NIR, MEMBER_PASSWORD, TestApp, TestResponse, api_token, message_fields,
};

const CAMILLE_NIR: &str = "2 93 12 2A 004 123 17";
const SUBJECT: &str = "Facture de la pharmacie";
const BODY: &str = "Bonjour, voici la facture et l'ordonnance de mars.";

fn fields(action: &'static str) -> Vec<(&'static str, &'static str)> {
    message_fields(SUBJECT, BODY, action).to_vec()
}

fn message_json() -> String {
    json!({
        "recipient": "caisse",
        "objet": "remboursement.feuille_de_soins",
        "nature": "demande_renseignements",
        "subject": SUBJECT,
        "body": BODY,
    })
    .to_string()
}

/// Sends the test message with `files` through the API as the member of `token`; returns the
/// thread's id.
async fn send_through_api(app: &mut TestApp, token: &str, files: &[FilePart<'_>]) -> String {
    let message = message_json();
    let sent = app
        .post_multipart(
            "/api/v1/messages",
            &[("message", &message)],
            files,
            Some(token),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    serde_json::from_str::<Value>(&sent.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Rows of sent files, rows of drafts, files in the store.
async fn stored(app: &TestApp) -> (u64, u64, usize) {
    let db = &app.db.db;
    (
        message_attachment::Entity::find().count(db).await.unwrap(),
        attachment_draft::Entity::find().count(db).await.unwrap(),
        stored_files(app.files.backend().as_ref()).await,
    )
}

/// A PDF as the portal stores it: rewritten without active content.
fn rewritten(pdf: &[u8]) -> Vec<u8> {
    caisse_core::pdf_files::sanitise(pdf).expect("a PDF that rewrites")
}

/// The values of the hidden `piece` fields of a page: the drafts it carries.
fn drafts_in(page: &TestResponse) -> Vec<String> {
    page.body
        .split("name=\"piece\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

/// Six files `f1.<ext>`…`f6.<ext>` of `bytes`, to post as parts named `field`.
struct SixFiles(Vec<(String, Vec<u8>)>);

impl SixFiles {
    fn new(extension: &str, bytes: &[u8]) -> SixFiles {
        SixFiles(
            (1..=6)
                .map(|i| (format!("f{i}.{extension}"), bytes.to_vec()))
                .collect(),
        )
    }

    fn parts<'a>(&'a self, field: &'a str) -> Vec<FilePart<'a>> {
        self.0
            .iter()
            .map(|(name, bytes)| (field, name.as_str(), bytes.as_slice()))
            .collect()
    }
}

fn assert_download(response: &TestResponse, content_type: &str, file_name: &str) {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let header = |name| {
        response
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    assert_eq!(header(header::CONTENT_TYPE), content_type);
    assert_eq!(
        header(header::CONTENT_DISPOSITION),
        format!("attachment; filename=\"{file_name}\"; filename*=UTF-8''{file_name}")
    );
    assert_eq!(header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(header(header::CACHE_CONTROL), "private, no-store");
}

#[tokio::test]
async fn a_member_joins_a_pdf_and_a_png_through_the_pages_and_downloads_them() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let form = app.get("/messagerie/nouveau").await;
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(
        form.body
            .contains("type=\"file\" id=\"files\" name=\"files\" multiple")
    );
    assert!(
        form.body
            .contains("5 Mo au plus par fichier, 5 fichiers au plus")
    );

    let (pdf, png) = (pdf(), png());
    let checked = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &fields("verifier"),
            &[
                ("files", "facture.pdf", &pdf),
                ("files", "ordonnance.png", &png),
            ],
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(checked.body.contains("Réponse attendue au plus tard le"));
    assert!(checked.body.contains("facture.pdf") && checked.body.contains("ordonnance.png"));
    assert!(
        checked.body.contains("Vérifiez votre message"),
        "the check step"
    );
    let drafts = drafts_in(&checked);
    assert_eq!(drafts.len(), 2);
    assert_eq!(stored(&app).await, (0, 2, 2), "staged as drafts");

    let mut send = fields("envoyer");
    send.extend(drafts.iter().map(|id| ("piece", id.as_str())));
    let sent = app
        .submit_with_files("/messagerie/nouveau", "/messagerie/nouveau", &send, &[])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(
        stored(&app).await,
        (2, 0, 2),
        "the drafts became the message's files"
    );
    let location = sent.location().unwrap().to_owned();
    let thread = location.split('?').next().unwrap().to_owned();
    let page = app.get(&location).await;
    assert!(
        page.body
            .contains(&format!("href=\"{thread}/pieces-jointes/1\""))
    );
    assert!(
        page.body
            .contains(&format!("href=\"{thread}/pieces-jointes/2\""))
    );
    assert!(page.body.contains("(PDF, "), "{}", page.body);

    let first = app.get(&format!("{thread}/pieces-jointes/1")).await;
    assert_download(&first, "application/pdf", "facture.pdf");
    assert_eq!(first.bytes, rewritten(&pdf), "a PDF is kept rewritten");
    let second = app.get(&format!("{thread}/pieces-jointes/2")).await;
    assert_download(&second, "image/png", "ordonnance.png");
    assert_eq!(
        AttachmentKind::sniff(&second.bytes),
        Some(AttachmentKind::Png)
    );
    // The thread's PDF names the files under their message.
    let transcript = app.get(&format!("{thread}/pdf")).await;
    let text = caisse_test_support::pdf::checked_text(&transcript.bytes);
    assert!(
        text.contains("facture.pdf") && text.contains("ordonnance.png"),
        "{text}"
    );

    // A reply with a photo: its EXIF (and GPS position) does not reach the fund.
    let photo = jpeg_with_gps(16, 8, 1);
    let replied = app
        .submit_with_files(
            &thread,
            &format!("{thread}/repondre"),
            &[("body", "Et la photo du reçu.")],
            &[("files", "reçu.jpeg", &photo)],
        )
        .await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
    let third = app.get(&format!("{thread}/pieces-jointes/3")).await;
    assert_eq!(third.status, StatusCode::OK);
    assert!(
        third
            .headers
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap()
            .ends_with("filename*=UTF-8''re%C3%A7u.jpeg")
    );
    assert!(!contains(&third.bytes, GPS_MARKER) && !contains(&third.bytes, b"Exif"));
    assert_eq!(
        app.get(&format!("{thread}/pieces-jointes/4")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_draft_file_can_be_taken_off_before_sending() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let pdf = pdf();
    let checked = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &fields("verifier"),
            &[("files", "facture.pdf", &pdf)],
        )
        .await;
    let drafts = drafts_in(&checked);
    let mut remove = fields("envoyer");
    remove.push(("piece", &drafts[0]));
    remove.push(("retirer", &drafts[0]));
    let page = app
        .submit_with_files("/messagerie/nouveau", "/messagerie/nouveau", &remove, &[])
        .await;
    assert_eq!(page.status, StatusCode::OK, "shown again, not sent");
    assert!(drafts_in(&page).is_empty());
    assert!(page.body.contains(SUBJECT), "the text is kept");
    assert_eq!(stored(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn a_member_sends_files_through_the_api_and_downloads_them() {
    let mut app = TestApp::with_demo_data().await;
    let julien = api_token(&mut app, MEMBER_NIR).await;
    let (pdf, png) = (pdf(), png());
    let id = send_through_api(
        &mut app,
        &julien,
        &[
            ("file", "facture.pdf", &pdf),
            ("file", "ordonnance.png", &png),
        ],
    )
    .await;
    let thread = app
        .get_with_bearer(&format!("/api/v1/messages/{id}"), &julien)
        .await;
    let thread: Value = serde_json::from_str(&thread.body).unwrap();
    let files = &thread["messages"][0]["attachments"];
    assert_eq!(files[0]["name"], "facture.pdf");
    assert_eq!(files[0]["content_type"], "application/pdf");
    assert_eq!(files[1]["position"], 2);
    let url = files[0]["url"].as_str().unwrap();
    assert_eq!(url, format!("/api/v1/messages/{id}/attachments/1"));
    let download = app.get_with_bearer(url, &julien).await;
    assert_download(&download, "application/pdf", "facture.pdf");
    assert_eq!(download.bytes, rewritten(&pdf));

    let reply = json!({ "body": "Le verso." }).to_string();
    let replied = app
        .post_multipart(
            &format!("/api/v1/messages/{id}/replies"),
            &[("message", &reply)],
            &[("file", "verso.pdf", &pdf)],
            Some(&julien),
        )
        .await;
    assert_eq!(replied.status, StatusCode::CREATED, "{}", replied.body);
    let third = app
        .get_with_bearer(&format!("/api/v1/messages/{id}/attachments/3"), &julien)
        .await;
    assert_download(&third, "application/pdf", "verso.pdf");
    assert_eq!(stored(&app).await, (3, 0, 3));
}

/// The hostile set: (file name, content, what the refusal must say).
fn hostile() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        (
            "photo.png",
            b"GIF89a\x01\x00\x01\x00".to_vec(),
            "« photo.png » n'est pas un PDF, un JPEG ou un PNG.",
        ),
        (
            "facture.pdf",
            windows_program(),
            "« facture.pdf » n'est pas un PDF, un JPEG ou un PNG.",
        ),
        (
            "scan.pdf",
            [pdf(), vec![b' '; 5 * MIB + 1 - pdf().len()]].concat(),
            "« scan.pdf » dépasse 5 Mo",
        ),
        (
            "../../etc/passwd.pdf",
            pdf(),
            "Le nom du fichier « ../../etc/passwd.pdf » n'est pas accepté",
        ),
        (
            "bombe.png",
            png_bomb(100_000, 100_000),
            "« bombe.png » est une image trop grande",
        ),
    ]
}

#[tokio::test]
async fn each_hostile_file_is_refused_by_name_through_the_page_the_text_kept_nothing_stored() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    for (name, bytes, refusal) in hostile() {
        for action in ["verifier", "envoyer"] {
            let refused = app
                .submit_with_files(
                    "/messagerie/nouveau",
                    "/messagerie/nouveau",
                    &fields(action),
                    &[("files", name, &bytes)],
                )
                .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
            let escaped = refusal.replace('\'', "&#39;");
            assert!(
                refused.body.contains(&escaped),
                "{name}: {refusal} in {}",
                refused.body
            );
            assert!(refused.body.contains("Le formulaire contient une erreur"));
            assert!(
                refused.body.contains("href=\"#files\""),
                "summary links to the input"
            );
            assert!(refused.body.contains(SUBJECT) && refused.body.contains("voici la facture"));
            assert_eq!(stored(&app).await, (0, 0, 0), "{name}: nothing stored");
        }
    }
    let list = app.get("/messagerie").await;
    assert!(!list.body.contains(SUBJECT), "nothing was sent");
}

#[tokio::test]
async fn each_hostile_file_is_refused_by_name_through_the_api_and_nothing_is_stored() {
    let mut app = TestApp::with_demo_data().await;
    let julien = api_token(&mut app, MEMBER_NIR).await;
    let message = message_json();
    let good = pdf();
    for (name, bytes, refusal) in hostile() {
        let refused = app
            .post_multipart(
                "/api/v1/messages",
                &[("message", &message)],
                &[("file", "bon.pdf", &good), ("file", name, &bytes)],
                Some(&julien),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let problem: Value = serde_json::from_str(&refused.body).unwrap();
        assert_eq!(problem["errors"][0]["field"], "files");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(refusal),
            "{name}: {problem}"
        );
        assert_eq!(
            stored(&app).await,
            (0, 0, 0),
            "{name}: not even the good file"
        );
    }
    let six = SixFiles::new("pdf", &good);
    let refused = app
        .post_multipart(
            "/api/v1/messages",
            &[("message", &message)],
            &six.parts("file"),
            Some(&julien),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("« f6.pdf » n'a pas été joint : 5 fichiers au plus par message.")
    );
    assert_eq!(stored(&app).await, (0, 0, 0));
    let list = app.get_with_bearer("/api/v1/messages", &julien).await;
    assert!(list.body.contains("\"total\":0"), "{}", list.body);
}

#[tokio::test]
async fn a_sixth_file_is_refused_by_name_and_the_first_five_are_kept() {
    let mut app = TestApp::with_demo_data().await;
    app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
    let six = SixFiles::new("png", &png());
    let refused = app
        .submit_with_files(
            "/messagerie/nouveau",
            "/messagerie/nouveau",
            &fields("envoyer"),
            &six.parts("files"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("« f6.png » n&#39;a pas été joint : 5 fichiers au plus par message."),
        "{}",
        refused.body
    );
    assert_eq!(drafts_in(&refused).len(), 5);
    assert_eq!(
        stored(&app).await,
        (0, 5, 5),
        "the five accepted files wait as drafts"
    );
}

#[tokio::test]
async fn nobody_else_reaches_a_members_files_and_the_funds_staff_do_audited() {
    let mut app = TestApp::with_demo_data().await;
    let julien = api_token(&mut app, MEMBER_NIR).await;
    let camille = api_token(&mut app, CAMILLE_NIR).await;
    let pdf = pdf();
    let mut threads = Vec::new();
    for owner in [&julien, &camille] {
        threads.push(send_through_api(&mut app, owner, &[("file", "facture.pdf", &pdf)]).await);
    }
    let (julien_thread, camille_thread) = (&threads[0], &threads[1]);

    // Camille guesses Julien's thread id and the file number: through the API…
    for n in [1, 2] {
        let path = format!("/api/v1/messages/{julien_thread}/attachments/{n}");
        assert_eq!(
            app.get_with_bearer(&path, &camille).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // … and through the pages.
    let mut browser = app.another_browser();
    browser.login_member(CAMILLE_NIR, MEMBER_PASSWORD).await;
    let guessed = browser
        .get(&format!("/messagerie/{julien_thread}/pieces-jointes/1"))
        .await;
    assert_eq!(guessed.status, StatusCode::NOT_FOUND);
    assert!(!guessed.bytes.starts_with(b"%PDF"));

    // The conseiller of the Yvelines (78) reaches Julien's file, audited, but not Camille's
    // (Corse-du-Sud).
    let mut conseiller = app.another_browser();
    conseiller.login_staff("conseiller").await;
    let other_fund = conseiller
        .get(&format!(
            "/agent/messagerie/{camille_thread}/pieces-jointes/1"
        ))
        .await;
    assert_eq!(other_fund.status, StatusCode::NOT_FOUND);
    let own_fund = conseiller
        .get(&format!(
            "/agent/messagerie/{julien_thread}/pieces-jointes/1"
        ))
        .await;
    assert_download(&own_fund, "application/pdf", "facture.pdf");
    assert_eq!(own_fund.bytes, rewritten(&pdf));
    let events = caisse_store::audit::for_subject(
        &app.db.db,
        "message_thread",
        julien_thread.parse().unwrap(),
        50,
    )
    .await
    .unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.action.code() == "staff.attachment.downloaded"
                && e.actor_kind.code() == "staff")
            .count(),
        1
    );
    // A member's session never opens the staff route.
    assert_eq!(
        browser
            .get(&format!(
                "/agent/messagerie/{julien_thread}/pieces-jointes/1"
            ))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
