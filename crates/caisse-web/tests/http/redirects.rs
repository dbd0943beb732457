//! Destinations after login (`suite`, `next`) stay on the portal, and a hostile one never
//! costs a 500.

use axum::http::StatusCode;

use crate::support::{MEMBER_NIR, MEMBER_PASSWORD, TestApp};

/// Destinations browsers would follow off the portal, or that cannot be a header.
const HOSTILE: &[&str] = &[
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\\evil.example",
    "//evil.example",
    "https://evil.example/",
    "/\r\n",
    "/\r\nSet-Cookie: planted=1",
];

fn hidden_next(body: &str) -> &str {
    let marker = "name=\"next\" value=\"";
    let start = body.find(marker).expect("a next field") + marker.len();
    let end = body[start..].find('"').expect("closing quote") + start;
    &body[start..end]
}

#[tokio::test]
async fn the_login_page_keeps_only_portal_paths_from_suite() {
    let mut app = TestApp::with_demo_data().await;
    for (query, kept) in [
        ("/%09/evil.example/", "/"),
        ("%2F%0A%2Fevil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("/%0D%0A", "/"),
        ("/profil%3Fx%3D1", "/profil?x=1"),
    ] {
        let page = app.get(&format!("/connexion?suite={query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        assert_eq!(
            hidden_next(&page.body),
            kept.replace('&', "&amp;"),
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_login_with_a_hostile_destination_lands_home_and_never_fails() {
    for next in HOSTILE {
        let mut app = TestApp::with_demo_data().await;
        let response = app
            .submit(
                "/connexion",
                "/connexion",
                &[
                    ("nir", MEMBER_NIR),
                    ("password", MEMBER_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(response.location(), Some("/"), "{next:?}");
        assert_eq!(app.get("/profil").await.status, StatusCode::OK, "logged in");
    }
}

#[tokio::test]
async fn a_wrong_password_page_carries_no_hostile_destination() {
    let mut app = TestApp::with_demo_data().await;
    let page = app
        .submit(
            "/connexion",
            "/connexion",
            &[
                ("nir", MEMBER_NIR),
                ("password", "Mauvais-2026!"),
                ("next", HOSTILE[0]),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(hidden_next(&page.body), "/");
}

#[tokio::test]
async fn the_login_code_keeps_only_portal_paths() {
    for next in HOSTILE {
        let mut app = TestApp::with_device_check().await;
        let challenged = app.login_member(MEMBER_NIR, MEMBER_PASSWORD).await;
        let location = challenged.location().expect("the code page").to_owned();
        let challenge = location
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix("defi="))
            .expect("a challenge")
            .to_owned();
        let page = app
            .get(&format!(
                "/connexion/code?defi={challenge}&suite=/%09/evil.example"
            ))
            .await;
        assert_eq!(hidden_next(&page.body), "/");
        let code = app.last_code("julien.martin@exemple.fr").await;
        let response = app
            .submit(
                &location,
                "/connexion/code",
                &[("defi", &challenge), ("code", &code), ("next", next)],
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(response.location(), Some("/"), "{next:?}");
    }
}
