//! `GET /api/v1/docs/`: Swagger UI over [`/api/v1/openapi.json`](super::openapi), to read the
//! API and try it with a token in a browser.
//!
//! The UI's files are compiled into the binary (utoipa-swagger-ui's `vendored` feature: the build
//! downloads nothing) and served here, under the site's Content-Security-Policy as it is. Swagger
//! UI 5 needs no relaxation: its page loads every script and style sheet from files (the
//! settings are `swagger-initializer.js`, a file too), it styles elements through the DOM
//! (which `style-src 'self'` allows) rather than inline `<style>`, its pictures are `data:`
//! URLs (allowed by `img-src`), and its only requests go to this origin (`connect-src 'self'`).
//! The online validator, which would load a badge from another site, is turned off.

use std::sync::{Arc, LazyLock};

use super::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use utoipa_swagger_ui::Config;

/// Where the UI lives; the bare path redirects here so the UI's relative links resolve.
pub const DOCS_PATH: &str = "/api/v1/docs/";

static CONFIG: LazyLock<Arc<Config<'static>>> = LazyLock::new(|| {
    Arc::new(
        Config::from("/api/v1/openapi.json")
            .use_base_layout()
            .validator_url("none"),
    )
});

/// `GET /api/v1/docs`.
pub async fn redirect() -> Redirect {
    Redirect::permanent(DOCS_PATH)
}

/// `GET /api/v1/docs/`: the UI's page.
pub async fn index() -> Response {
    serve("")
}

/// `GET /api/v1/docs/{*file}`: the UI's scripts, style sheets and icons.
pub async fn file(Path(file): Path<String>) -> Response {
    serve(&file)
}

fn serve(file: &str) -> Response {
    match utoipa_swagger_ui::serve(file, CONFIG.clone()) {
        Ok(Some(file)) => (
            [
                (header::CONTENT_TYPE, file.content_type),
                // The files change only with the binary; the page is cheap to fetch again.
                (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
            ],
            file.bytes.into_owned(),
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => super::ApiError::unexpected(error).into_response(),
    }
}
