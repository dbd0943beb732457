//! Schemas of the OpenAPI document that no Rust type describes by itself: files in answers
//! and in multipart bodies, and the patterns of values the handlers parse from strings.

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// A PDF file, the body of an `application/pdf` answer.
pub struct PdfFile;

impl PartialSchema for PdfFile {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .content_media_type("application/pdf")
            .description(Some("A PDF file"))
            .into()
    }
}

impl ToSchema for PdfFile {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PdfFile")
    }
}

/// A file a member sent (PDF, JPEG or PNG), the body of its download.
pub struct StoredFile;

impl PartialSchema for StoredFile {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .content_media_type("application/octet-stream")
            .description(Some(
                "The file's bytes, of the type its `Content-Type` says",
            ))
            .into()
    }
}

impl ToSchema for StoredFile {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("StoredFile")
    }
}

/// The `file` parts of a multipart body: `min` to five non-empty files.
pub(super) fn file_parts(min: usize) -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .content_media_type("application/octet-stream")
                .min_length(Some(1)),
        )
        .min_items(Some(min))
        .max_items(Some(5))
        .description(Some(
            "The files, one `file` part each (with a file name): PDF, JPEG or PNG, recognised \
             by their content, 5 Mo each, 5 at most; one refused file refuses them all (422)",
        ))
        .build()
}

/// The `file` parts of a message: none to five.
pub(super) fn message_files() -> utoipa::openapi::schema::Array {
    file_parts(0)
}

/// The `file` parts of a dossier's files field: one to five.
pub(super) fn dossier_files() -> utoipa::openapi::schema::Array {
    file_parts(1)
}

/// An appointment's channel, as `channel` values are written.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(
    dead_code,
    reason = "describes a string value in the OpenAPI document only"
)]
pub enum Channel {
    Telephone,
    Visio,
    Agence,
}

/// A message's nature, as `nature` values are written.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(
    dead_code,
    reason = "describes a string value in the OpenAPI document only"
)]
pub enum Nature {
    DemandeRenseignements,
    Signalement,
    Reclamation,
}
