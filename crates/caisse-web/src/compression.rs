//! Response compression (gzip, brotli) with tower-http's maintained middleware, for the types
//! that gain from it: HTML, JSON, CSS, JavaScript, SVG and plain text. PDFs, images and other
//! already compressed formats pass through as they are; so do bodies too small to gain.
//!
//! Compressed pages and a secret beside chosen text invite BREACH: the CSRF token of every
//! page is masked afresh for each response (`csrf::masked`); docs/security.md says why that
//! suffices.

use axum::body::HttpBody;
use axum::http::{Response, header};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Below this, the headers and the framing cost more than compression saves.
const MIN_BYTES: u64 = 256;

/// The media types worth compressing (the part before any `;`).
const COMPRESSIBLE: &[&str] = &[
    "text/html",
    "text/css",
    "text/javascript",
    "text/plain",
    "text/calendar",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "image/svg+xml",
];

/// Compresses the media types of [`COMPRESSIBLE`] only.
#[derive(Clone, Copy)]
pub struct TextTypes;

impl Predicate for TextTypes {
    fn should_compress<B>(&self, response: &Response<B>) -> bool
    where
        B: HttpBody,
    {
        response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|media| {
                let media = media.trim();
                COMPRESSIBLE
                    .iter()
                    .any(|known| media.eq_ignore_ascii_case(known))
            })
    }
}

/// The layer: brotli or gzip as the browser asks (`Accept-Encoding`), at the codecs' default
/// levels (tower-http lowers brotli's to a fast one).
pub fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        .quality(CompressionLevel::Default)
        .compress_when(TextTypes.and(SizeAbove::new(MIN_BYTES)))
}
