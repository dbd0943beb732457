//! The OpenAPI document describes every route of the JSON API.

use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn the_openapi_document_lists_every_api_route_with_its_answers() {
    let mut app = TestApp::with_demo_data().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method, statuses) in [
        ("/api/v1/accounts", "post", &["202", "422", "429"][..]),
        (
            "/api/v1/auth/login",
            "post",
            &["200", "202", "401", "403", "423"][..],
        ),
        (
            "/api/v1/auth/login/confirm",
            "post",
            &["200", "401", "410"][..],
        ),
        ("/api/v1/auth/logout", "post", &["204", "401"][..]),
        ("/api/v1/me", "get", &["200", "401"][..]),
        ("/api/v1/messages", "get", &["200", "401"][..]),
        (
            "/api/v1/messages",
            "post",
            &["201", "401", "413", "422"][..],
        ),
        ("/api/v1/messages/{id}", "get", &["200", "401", "404"][..]),
        (
            "/api/v1/messages/{id}/replies",
            "post",
            &["201", "404", "409", "413", "422"][..],
        ),
        (
            "/api/v1/messages/{id}/attachments/{n}",
            "get",
            &["200", "401", "404"][..],
        ),
        ("/api/v1/caisses", "get", &["200"][..]),
        ("/api/v1/caisses/{code}", "get", &["200", "404"][..]),
    ] {
        let operation = &paths[path][method];
        assert!(operation.is_object(), "{method} {path} is documented");
        for status in statuses {
            assert!(
                operation["responses"][*status].is_object(),
                "{method} {path} documents {status}"
            );
        }
    }
    assert_eq!(
        paths.len(),
        11,
        "a new route must be documented: {:?}",
        paths.keys()
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let send = &paths["/api/v1/messages"]["post"]["requestBody"]["content"];
    assert!(send["application/json"].is_object() && send["multipart/form-data"].is_object());
    for schema in [
        "LoginRequest",
        "TokenResponse",
        "AccountRequest",
        "Me",
        "Fund",
        "ApiError",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema}"
        );
    }
}
