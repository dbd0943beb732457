//! Static assets embedded in the binary, and the fund's theme stylesheet.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::params::Path;
use crate::state::AppState;

/// Every file under `static/`, embedded at compile time: the binary is the whole deployment.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "css/caisse.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/css/caisse.css"),
    ),
    (
        "js/character-count.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/js/character-count.js"),
    ),
    (
        "img/favicon.svg",
        "image/svg+xml",
        include_bytes!("../static/img/favicon.svg"),
    ),
    (
        "img/logo-caisse.svg",
        "image/svg+xml",
        include_bytes!("../static/img/logo-caisse.svg"),
    ),
    (
        "js/aide.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/js/aide.js"),
    ),
    (
        "js/reponses-types.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/js/reponses-types.js"),
    ),
];

/// `GET /static/{*path}`.
pub async fn static_file(Path(path): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == path) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Keeps a configured colour from breaking out of its CSS declaration.
fn css_colour(value: &str) -> &str {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "#(),.% ".contains(c));
    if ok { value } else { "inherit" }
}

/// `GET /theme.css`: the brand colours as CSS custom properties.
pub async fn theme_css(State(state): State<AppState>) -> Response {
    let brand = &state.config.brand;
    let css = format!(
        ":root {{\n  --brand-primary: {};\n  --brand-primary-contrast: {};\n  --brand-accent: {};\n}}\n",
        css_colour(&brand.primary_color),
        css_colour(&brand.primary_contrast_color),
        css_colour(&brand.accent_color),
    );
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        css,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::css_colour;

    #[test]
    fn colours_cannot_inject_css() {
        assert_eq!(css_colour("#1d4e89"), "#1d4e89");
        assert_eq!(css_colour("rgb(10, 20, 30)"), "rgb(10, 20, 30)");
        assert_eq!(css_colour("red; } body { display:none"), "inherit");
    }
}
