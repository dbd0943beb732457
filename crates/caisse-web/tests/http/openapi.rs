//! The OpenAPI document describes every route of the JSON API, and Swagger UI shows it at
//! `/api/v1/docs/` under the site's strict Content-Security-Policy.

use axum::http::{StatusCode, header};

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
        (
            "/api/v1/attestations/droits",
            "get",
            &["200", "401", "404", "409"][..],
        ),
        (
            "/api/v1/attestations/verify",
            "post",
            &["200", "422", "429"][..],
        ),
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
        ("/api/v1/debts", "get", &["200", "401"][..]),
        ("/api/v1/debts/{id}", "get", &["200", "401", "404"][..]),
        ("/api/v1/payments", "get", &["200", "401"][..]),
        ("/api/v1/payments/{id}", "get", &["200", "401", "404"][..]),
        (
            "/api/v1/payments/statements/{year}/{month}",
            "get",
            &["200", "400", "401", "404", "422"][..],
        ),
        (
            "/api/v1/payments/ij-attestation",
            "get",
            &["200", "400", "401", "404", "422"][..],
        ),
        (
            "/api/v1/payments/ij-tax-statements/{year}",
            "get",
            &["200", "400", "401", "404", "422"][..],
        ),
        ("/api/v1/caisses", "get", &["200"][..]),
        ("/api/v1/caisses/{code}", "get", &["200", "404"][..]),
        (
            "/api/v1/claims/lots",
            "post",
            &["200", "201", "401", "403", "413", "422"][..],
        ),
        (
            "/api/v1/claims/arrets",
            "post",
            &["201", "401", "413", "422"][..],
        ),
        ("/api/v1/demarches", "get", &["200", "401"][..]),
        ("/api/v1/dossiers", "get", &["200", "401"][..]),
        (
            "/api/v1/dossiers",
            "post",
            &["201", "400", "401", "403", "404"][..],
        ),
        ("/api/v1/dossiers/{id}", "get", &["200", "401", "404"][..]),
        (
            "/api/v1/dossiers/{id}/steps/{step}",
            "put",
            &["204", "400", "401", "404", "409", "422"][..],
        ),
        (
            "/api/v1/dossiers/{id}/fields/{field}/files",
            "post",
            &["204", "400", "401", "404", "409", "413", "422"][..],
        ),
        (
            "/api/v1/dossiers/{id}/files/{piece}",
            "get",
            &["200", "401", "404"][..],
        ),
        (
            "/api/v1/dossiers/{id}/files/{piece}",
            "delete",
            &["204", "401", "404", "409"][..],
        ),
        (
            "/api/v1/dossiers/{id}/submit",
            "post",
            &["204", "401", "403", "404", "409", "422"][..],
        ),
        (
            "/api/v1/dossiers/{id}/complete",
            "post",
            &["204", "401", "404", "409", "422"][..],
        ),
        (
            "/api/v1/dossiers/{id}/cancel",
            "post",
            &["204", "401", "404", "409"][..],
        ),
        (
            "/api/v1/dossiers/{id}/decision",
            "get",
            &["200", "401", "404"][..],
        ),
        (
            "/api/v1/dossiers/{id}/ceam-certificate",
            "get",
            &["200", "401", "404"][..],
        ),
        ("/api/v1/procurations", "get", &["200", "401"][..]),
        ("/api/v1/help/search", "get", &["200", "400", "401"][..]),
        (
            "/api/v1/help/entries/{slug}",
            "get",
            &["200", "401", "404"][..],
        ),
        ("/api/v1/help/assistant", "post", &["200", "400", "401"][..]),
        (
            "/api/v1/help/assistant/feedback",
            "post",
            &["204", "400", "401"][..],
        ),
        ("/api/v1/help/questions", "get", &["200", "400"][..]),
        (
            "/api/v1/help/questions",
            "post",
            &["201", "400", "401", "422", "429"][..],
        ),
        ("/api/v1/help/questions/{id}", "get", &["200", "404"][..]),
        ("/api/v1/help/my-questions", "get", &["200", "401"][..]),
        (
            "/api/v1/procurations/{id}/revoke",
            "post",
            &["204", "401", "404"][..],
        ),
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
        48,
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
        "VerifyRequest",
        "VerifyResponse",
        "ThreadPageDto",
        "PaymentPageDto",
        "PaymentDetailDto",
        "ThreadDto",
        "ThreadDetailDto",
        "MessageDto",
        "NewMessageDto",
        "SentDto",
        "ReplyDto",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema}"
        );
    }
}

/// Every operation of the document, with its method and path.
fn operations(doc: &serde_json::Value) -> Vec<(String, String, &serde_json::Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            all.push((method.clone(), path.clone(), operation));
        }
    }
    all
}

#[tokio::test]
async fn the_openapi_document_is_exact_enough_to_generate_clients_and_test_the_api() {
    let mut app = TestApp::with_demo_data().await;
    let response = app.get("/api/v1/openapi.json").await;
    let doc: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    let schemas = &doc["components"]["schemas"];
    let resolve = |schema: &serde_json::Value| -> serde_json::Value {
        match schema["$ref"].as_str() {
            Some(reference) => {
                schemas[reference.trim_start_matches("#/components/schemas/")].clone()
            }
            None => schema.clone(),
        }
    };
    let mut ids = std::collections::BTreeSet::new();
    for (method, path, operation) in operations(&doc) {
        let name = format!("{method} {path}");
        // A generated client names a function after each id: they must differ.
        let id = operation["operationId"].as_str().unwrap();
        assert!(ids.insert(id.to_owned()), "{name}: operationId {id} twice");
        // Every path parameter is in the path, every other parameter in the query.
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let wanted = if path.contains(&format!("{{{}}}", parameter["name"].as_str().unwrap())) {
                "path"
            } else {
                "query"
            };
            assert_eq!(parameter["in"], wanted, "{name}: {parameter}");
        }
        // The answers of the layers and of the extractors, on every route.
        let responses = &operation["responses"];
        for status in ["429", "503"] {
            assert!(responses[status].is_object(), "{name} documents {status}");
        }
        if operation["security"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
        {
            assert!(responses["401"].is_object(), "{name} documents 401");
        }
        if operation["requestBody"].is_object() || operation["parameters"].is_array() {
            assert!(responses["400"].is_object(), "{name} documents 400");
        }
        for (status, answer) in responses.as_object().unwrap() {
            if status.starts_with('4') || status.starts_with('5') {
                assert!(
                    answer["content"]["application/problem+json"].is_object(),
                    "{name} {status} is a problem document"
                );
            }
            // Files are strings of bytes, never arrays of numbers.
            for (media, content) in answer["content"].as_object().into_iter().flatten() {
                if media == "application/pdf" || media.starts_with("image/") {
                    let schema = resolve(&content["schema"]);
                    assert_eq!(schema["type"], "string", "{name} {status} {media}");
                    assert!(schema["contentMediaType"].is_string(), "{name} {media}");
                }
            }
        }
        // A body refuses members it does not know, and says so.
        for (media, content) in operation["requestBody"]["content"]
            .as_object()
            .into_iter()
            .flatten()
        {
            let schema = resolve(&content["schema"]);
            if media == "application/json" || media == "multipart/form-data" {
                assert_eq!(
                    schema["additionalProperties"], false,
                    "{name} {media}: additionalProperties"
                );
            }
        }
    }
    // Links name operations that exist; none of the table is lost on a renamed route.
    let mut links = 0;
    for (method, path, operation) in operations(&doc) {
        for (status, answer) in operation["responses"].as_object().unwrap() {
            for (link, target) in answer["links"].as_object().into_iter().flatten() {
                links += 1;
                let id = target["operationId"].as_str().unwrap();
                assert!(
                    ids.contains(id),
                    "{method} {path} {status} link {link}: {id}"
                );
            }
        }
    }
    assert_eq!(
        links, 17,
        "every link of api/openapi.rs LINKS is in the document"
    );
    let links = &doc["paths"]["/api/v1/messages"]["post"]["responses"]["201"]["links"];
    assert_eq!(links["thread"]["parameters"]["id"], "$response.body#/id");
    // The multipart form of a message: a JSON `message` and up to five `file` parts.
    let form = resolve(
        &doc["paths"]["/api/v1/messages"]["post"]["requestBody"]["content"]["multipart/form-data"]
            ["schema"],
    );
    assert_eq!(form["required"], serde_json::json!(["message"]));
    assert_eq!(form["properties"]["file"]["maxItems"], 5);
    assert_eq!(
        form["properties"]["file"]["items"]["contentMediaType"],
        "application/octet-stream"
    );
}

#[tokio::test]
async fn swagger_ui_serves_the_document_from_files_under_the_strict_csp() {
    let mut app = TestApp::with_demo_data().await;
    let bare = app.get("/api/v1/docs").await;
    assert_eq!(bare.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(bare.location(), Some("/api/v1/docs/"));

    let page = app.get("/api/v1/docs/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    // No inline script or style: every script is a file, and no `style` attribute or element.
    let scripts: Vec<&str> = page.body.split("<script").skip(1).collect();
    assert_eq!(scripts.len(), 3, "{}", page.body);
    assert!(
        scripts.iter().all(|s| s.starts_with(" src=\"./")),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<style") && !page.body.contains("style="));
    // The same policy as every page: nothing relaxed for the docs.
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    let site = app.get("/").await;
    assert_eq!(csp, site.headers[header::CONTENT_SECURITY_POLICY]);
    assert!(!csp.contains("unsafe"), "{csp}");

    let settings = app.get("/api/v1/docs/swagger-initializer.js").await;
    assert_eq!(settings.status, StatusCode::OK);
    assert!(
        settings.body.contains("\"url\": \"/api/v1/openapi.json\""),
        "{}",
        settings.body
    );
    assert!(
        settings.body.contains("\"validatorUrl\": \"none\""),
        "{}",
        settings.body
    );

    for (file, kind) in [
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui.css", "text/css"),
        ("index.css", "text/css"),
    ] {
        let served = app.get(&format!("/api/v1/docs/{file}")).await;
        assert_eq!(served.status, StatusCode::OK, "{file}");
        let content_type = served.headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(content_type.starts_with(kind), "{file}: {content_type}");
    }
    assert_eq!(
        app.get("/api/v1/docs/absent.js").await.status,
        StatusCode::NOT_FOUND
    );
}
