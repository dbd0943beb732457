//! Reading `multipart/form-data` bodies: text fields and files, streamed.
//!
//! A file is kept up to one byte past the size limit and the rest of it is skipped as it
//! arrives, so an oversized file costs memory for the limit only and still gets its own
//! French refusal (`caisse_domain::messaging::AttachmentError::TooLarge`). The whole body is
//! bounded by the route's `DefaultBodyLimit` ([`body_limit`]). Only the routes made with
//! [`post_with_files`] take such bodies at length: room for the files and the upload time
//! limit. A form's CSRF token is its first part ([`first_field`]), checked before any file is
//! read.

use axum::extract::multipart::MultipartError;
use axum::extract::{DefaultBodyLimit, Multipart};
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::middleware::from_fn;
use axum::routing::{MethodRouter, post};
use caisse_core::messaging::Upload;
use caisse_domain::messaging::{AttachmentLimits, MIB};

use crate::state::AppState;
use crate::timeouts;

/// Longest text field kept, in bytes: a message body is 4,000 characters at most.
const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Most parts read from one body: a form has a dozen fields and a few files.
const MAX_PARTS: usize = 100;

/// The body limit of a route that takes attachments: every file at its largest, plus a
/// mebibyte for the text fields and the multipart framing.
pub fn body_limit(limits: &AttachmentLimits) -> usize {
    limits
        .max_files
        .saturating_mul(limits.max_file_bytes)
        .saturating_add(MIB)
}

/// A `POST` route that takes files: bodies up to `body_limit` bytes, and the upload time
/// limit (`timeouts::UPLOAD_TIMEOUT`). No other route gets either.
pub fn post_with_files<H, T>(handler: H, body_limit: usize) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    post(handler)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(from_fn(timeouts::allow_uploads))
}

/// A multipart body once read.
#[derive(Debug, Default)]
pub struct UploadForm {
    fields: Vec<(String, String)>,
    /// The files, in the order they came.
    pub files: Vec<Upload>,
    /// Files of a form with one file input per field (`piece.<field>`), with the field.
    pub named_files: Vec<(String, Upload)>,
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadError {
    /// Larger than the route's limit.
    TooLarge,
    /// Not multipart, or broken.
    Malformed,
}

impl From<MultipartError> for UploadError {
    fn from(error: MultipartError) -> Self {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            UploadError::TooLarge
        } else {
            UploadError::Malformed
        }
    }
}

impl UploadForm {
    /// A form of text fields only (a URL-encoded body).
    pub fn from_fields(fields: Vec<(String, String)>) -> UploadForm {
        UploadForm {
            fields,
            ..UploadForm::default()
        }
    }

    /// Every text field, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.fields
    }

    /// The first value of field `name`, or `""`.
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// Every value of field `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The names of the text fields, in order (the API refuses parts it does not read).
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(key, _)| key.as_str())
    }
}

/// Reads the first part of `multipart` when it is the text field `name` (cut at `max_bytes`),
/// and nothing else: `None` when the body starts with another part, or is empty.
///
/// # Errors
/// [`UploadError::TooLarge`] past the route's body limit, [`UploadError::Malformed`] for a
/// broken body.
pub async fn first_field(
    multipart: &mut Multipart,
    name: &str,
    max_bytes: usize,
) -> Result<Option<String>, UploadError> {
    let Some(field) = multipart.next_field().await? else {
        return Ok(None);
    };
    if field.name() != Some(name) || field.file_name().is_some() {
        return Ok(None);
    }
    let bytes = read_bytes(field, max_bytes).await?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// The bytes of `field`, kept up to `keep` bytes, the rest skipped as it arrives.
async fn read_bytes(
    mut field: axum::extract::multipart::Field<'_>,
    keep: usize,
) -> Result<Vec<u8>, UploadError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        let room = keep.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(bytes)
}

/// Reads every part of `multipart`: parts named `file_field` are files (each cut at
/// `max_file_bytes + 1`); others are text fields (cut at 64 KiB), even with a file name (a
/// client may send its JSON part as a file). A file input left empty (no name, no content)
/// is skipped.
///
/// # Errors
/// [`UploadError::TooLarge`] past the route's body limit, [`UploadError::Malformed`] for a
/// broken body or more than 100 parts.
pub async fn read(
    multipart: Multipart,
    max_file_bytes: usize,
    file_field: &str,
) -> Result<UploadForm, UploadError> {
    let (mut form, files) =
        read_parts(multipart, max_file_bytes, |name| name == file_field).await?;
    form.files = files.into_iter().map(|(_, upload)| upload).collect();
    Ok(form)
}

/// Like [`read`], for a form with several file inputs: parts whose name `is_file` accepts
/// are files, returned with their input's name.
///
/// # Errors
/// As [`read`].
pub async fn read_parts(
    mut multipart: Multipart,
    max_file_bytes: usize,
    is_file: impl Fn(&str) -> bool,
) -> Result<(UploadForm, Vec<(String, Upload)>), UploadError> {
    let mut form = UploadForm::default();
    let mut files = Vec::new();
    let mut parts = 0;
    while let Some(field) = multipart.next_field().await? {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(UploadError::Malformed);
        }
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let file = is_file(&name);
        let keep = if file {
            max_file_bytes.saturating_add(1)
        } else {
            MAX_TEXT_BYTES
        };
        let bytes = read_bytes(field, keep).await?;
        if file {
            let file_name = file_name.unwrap_or_default();
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            files.push((
                name,
                Upload {
                    name: file_name,
                    bytes,
                },
            ));
        } else {
            form.fields
                .push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok((form, files))
}
