//! Attachments in pages: the files of a form across its submissions (drafts carried in
//! hidden `piece` fields, ticked « Retirer » boxes, new uploads), the lists shown under
//! messages, and the downloads `/messagerie/{id}/pieces-jointes/{n}` (the member's own
//! threads) and `/agent/messagerie/{id}/pieces-jointes/{n}` (the staff member's fund, audited).
//! Another member's or another fund's thread, or a number with no file, is a 404.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use caisse_core::messaging::{
    AttachmentFile, AttachmentInfo, AttachmentsError, DraftAttachment, Staged,
};
use caisse_domain::messaging::{AttachmentKind, AttachmentLimits, size_fr};
use uuid::Uuid;

use crate::error::AppError;
use crate::params::{FileNumber, Path};
use crate::state::AppState;
use crate::uploads::UploadForm;
use crate::visitor::{Client, CurrentMember, CurrentStaff};

/// What the file input accepts: the extensions for file pickers, the media types for the
/// others. The server decides by content anyway.
pub const ACCEPT: &str = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";

fn refusal(error: AttachmentsError) -> AppError {
    match error {
        AttachmentsError::NotFound => AppError::NotFound,
        other => AppError::unexpected(other),
    }
}

/// « PDF, 1,2 Mo ».
pub fn kind_and_size(kind: AttachmentKind, size_bytes: u64) -> String {
    format!("{}, {}", kind.label_fr(), size_fr(size_bytes))
}

/// The hint under the file input: kinds, size, count, and what happens to photos.
pub fn hint(limits: &AttachmentLimits) -> String {
    format!(
        "PDF, JPEG ou PNG ; {} au plus par fichier, {} fichiers au plus par message. Les \
         photos sont enregistrées sans leurs métadonnées (lieu de prise de vue, appareil).",
        size_fr(limits.max_file_bytes as u64),
        limits.max_files
    )
}

/// A file of a message, as a download link.
pub struct FileLink {
    pub href: String,
    pub name: String,
    /// « PDF, 1,2 Mo ».
    pub label: String,
}

impl FileLink {
    /// The link to file `info` of thread `thread_id` under `prefix` (`/messagerie` or
    /// `/agent/messagerie`).
    pub fn of(prefix: &str, thread_id: Uuid, info: &AttachmentInfo) -> FileLink {
        FileLink {
            href: format!("{prefix}/{thread_id}/pieces-jointes/{}", info.position),
            name: info.name.clone(),
            label: kind_and_size(info.kind, info.size_bytes),
        }
    }
}

/// A file joined to a form not sent yet, with its « Retirer » box.
pub struct DraftLine {
    pub id: Uuid,
    pub name: String,
    pub label: String,
}

impl DraftLine {
    pub fn of(draft: &DraftAttachment) -> DraftLine {
        DraftLine {
            id: draft.id,
            name: draft.name.clone(),
            label: kind_and_size(draft.kind, draft.size_bytes),
        }
    }
}

/// Applies a submission's files: deletes the drafts ticked « Retirer », then keeps the other
/// drafts of the hidden `piece` fields that are the member's, and stages the new files as
/// drafts (refused ones get a problem each). Returns what the form shows next, and whether
/// something was taken off (the member then sees the form again rather than sending).
pub async fn stage(
    state: &AppState,
    member_id: Uuid,
    form: &mut UploadForm,
) -> Result<(Staged, bool), AppError> {
    let removed: Vec<Uuid> = form.all("retirer").filter_map(|v| v.parse().ok()).collect();
    for id in &removed {
        state
            .messaging
            .attachments
            .remove_draft(member_id, *id)
            .await
            .map_err(refusal)?;
    }
    let kept: Vec<Uuid> = form
        .all("piece")
        .filter_map(|v| v.parse().ok())
        .filter(|id| !removed.contains(id))
        .collect();
    let uploads = std::mem::take(&mut form.files);
    let staged = state
        .messaging
        .attachments
        .stage_attachments(member_id, &kept, uploads)
        .await
        .map_err(refusal)?;
    Ok((staged, !removed.is_empty()))
}

/// `filename="…"` with what ASCII can say, and `filename*` (RFC 5987) with the real name,
/// as RFC 6266 recommends. Sanitised names hold no quote or backslash; any other
/// non-ASCII character becomes `_` in the fallback.
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A file as a download: its media type, always saved rather than shown
/// (`Content-Disposition: attachment`), never sniffed, never kept in a shared cache.
pub fn file_response(file: AttachmentFile) -> Response {
    let disposition = HeaderValue::from_str(&content_disposition(&file.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let mut response = (StatusCode::OK, file.bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.kind.content_type()),
    );
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// `GET /messagerie/{id}/pieces-jointes/{n}`: file `n` of one of the member's threads.
pub async fn member_download(
    State(state): State<AppState>,
    member: CurrentMember,
    Path((thread_id, position)): Path<(Uuid, FileNumber)>,
) -> Result<Response, AppError> {
    let file = state
        .messaging
        .attachments
        .member_attachment(member.id, thread_id, position.as_usize())
        .await
        .map_err(refusal)?;
    Ok(file_response(file))
}

/// `GET /agent/messagerie/{id}/pieces-jointes/{n}`: file `n` of a thread of the staff member's
/// fund; each download is audited.
pub async fn staff_download(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Client(context): Client,
    Path((thread_id, position)): Path<(Uuid, FileNumber)>,
) -> Result<Response, AppError> {
    let file = state
        .messaging
        .attachments
        .staff_attachment(staff.id, thread_id, position.as_usize(), &context)
        .await
        .map_err(refusal)?;
    Ok(file_response(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_goes_in_both_forms_of_content_disposition() {
        assert_eq!(
            content_disposition("facture.pdf"),
            "attachment; filename=\"facture.pdf\"; filename*=UTF-8''facture.pdf"
        );
        assert_eq!(
            content_disposition("Relevé d'août.pdf"),
            "attachment; filename=\"Relev_ d'ao_t.pdf\"; \
             filename*=UTF-8''Relev%C3%A9%20d%27ao%C3%BBt.pdf"
        );
    }

    #[test]
    fn sizes_and_kinds_read_as_french() {
        assert_eq!(kind_and_size(AttachmentKind::Pdf, 1_258_291), "PDF, 1,2 Mo");
        assert!(hint(&AttachmentLimits::default()).starts_with(
            "PDF, JPEG ou PNG ; 5 Mo au plus par fichier, 5 fichiers au plus par message."
        ));
    }
}
