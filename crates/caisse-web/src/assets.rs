//! Static assets embedded in the binary, and the fund's theme stylesheet.
//!
//! Pages link each file under a name holding the hash of its bytes ([`url`], in templates
//! `layout.asset("css/caisse.css")`), cached for a year: a new build changes the name, never
//! the bytes behind a name. The plain name is still served, briefly cached, for what was
//! rendered or sent before. `/theme.css` depends on the configuration, not the build: short
//! cache.

use std::sync::LazyLock;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

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
    (
        "js/back-office-keys.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/js/back-office-keys.js"),
    ),
    (
        "js/password-strength.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/js/password-strength.js"),
    ),
];

/// How long a hashed URL may be kept: its bytes never change (a new build gets a new hash).
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The plain URL (pages rendered before a deployment, mails): its bytes change with a build.
const SHORT: &str = "public, max-age=300";
/// Hex digits of the SHA-256 of its bytes in a hashed file name: enough to tell builds apart.
const HASH_DIGITS: usize = 12;

/// One static file and the name it is served under with its content hash.
struct Asset {
    name: &'static str,
    /// `css/caisse.<hash>.css`: the hash before the extension, so types still read it.
    hashed: String,
    content_type: &'static str,
    bytes: &'static [u8],
}

/// The files with their hashes, computed once, at the first request or page.
static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|&(name, content_type, bytes)| Asset {
            name,
            hashed: hashed_name(name, bytes),
            content_type,
            bytes,
        })
        .collect()
});

fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest: String = Sha256::digest(bytes)
        .iter()
        .take(HASH_DIGITS / 2)
        .map(|b| format!("{b:02x}"))
        .collect();
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.ends_with('/') => format!("{stem}.{digest}.{extension}"),
        _ => format!("{name}.{digest}"),
    }
}

/// The URL pages use for the static file `path` (`css/caisse.css` →
/// `/static/css/caisse.<hash>.css`), served with a year-long immutable cache. A path that is
/// not a static file keeps its plain URL (a 404, as it would be anyway).
pub(crate) fn url(path: &str) -> String {
    match ASSETS.iter().find(|asset| asset.name == path) {
        Some(asset) => format!("/static/{}", asset.hashed),
        None => format!("/static/{path}"),
    }
}

/// `GET /static/{*path}`: under its hashed name, a file is cached for a year; under its plain
/// name, for five minutes. A wrong or outdated hash is a 404: never an old URL with new bytes.
pub async fn static_file(Path(path): Path<String>) -> Response {
    let found = ASSETS.iter().find_map(|asset| {
        if asset.hashed == path {
            Some((asset, IMMUTABLE))
        } else if asset.name == path {
            Some((asset, SHORT))
        } else {
            None
        }
    });
    match found {
        Some((asset, cache)) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, cache),
            ],
            asset.bytes,
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
    use super::{ASSETS, FILES, css_colour, hashed_name, url};

    #[test]
    fn every_file_has_a_hashed_name_of_its_bytes() {
        assert_eq!(ASSETS.len(), FILES.len());
        let css = url("css/caisse.css");
        assert!(css.starts_with("/static/css/caisse."), "{css}");
        assert!(css.ends_with(".css"), "{css}");
        assert_eq!(css.len(), "/static/css/caisse..css".len() + 12, "{css}");
        assert_ne!(
            hashed_name("a/b.js", b"one"),
            hashed_name("a/b.js", b"two"),
            "other bytes, other name"
        );
        assert_eq!(url("js/absent.js"), "/static/js/absent.js");
    }

    /// Pages must link static files through `layout.asset(…)`, or browsers keep them a year
    /// under a name whose bytes change (or refetch them on every visit).
    #[test]
    fn templates_link_static_files_by_their_hashed_url() {
        fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    visit(&path, found);
                } else if path.extension().is_some_and(|e| e == "html") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (n, line) in text.lines().enumerate() {
                        if line.contains("\"/static/") {
                            found.push(format!("{}:{}: {line}", path.display(), n + 1));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        visit(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
            &mut found,
        );
        assert!(
            found.is_empty(),
            "use {{{{ layout.asset(\"…\") }}}}:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn colours_cannot_inject_css() {
        assert_eq!(css_colour("#1d4e89"), "#1d4e89");
        assert_eq!(css_colour("rgb(10, 20, 30)"), "rgb(10, 20, 30)");
        assert_eq!(css_colour("red; } body { display:none"), "inherit");
    }
}
