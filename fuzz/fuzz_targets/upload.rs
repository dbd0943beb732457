//! A form with files as the server reads it: the multipart body (multer, through axum), the
//! CSRF token that must come first, every part, then each file's checks (name, size, kind by
//! its first bytes) and a PDF's rewriting. Never panics, and never keeps more than the limits.
#![no_main]

use std::sync::LazyLock;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::Request;
use caisse_core::messaging::FILES_FIELD;
use caisse_core::pdf_files::sanitise;
use caisse_domain::messaging::attachment::{AttachmentKind, AttachmentLimits};
use caisse_web::uploads::{first_field, read};
use libfuzzer_sys::fuzz_target;

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
});

fuzz_target!(|body: &[u8]| {
    let limits = AttachmentLimits::default();
    let request = Request::builder()
        .method("POST")
        .header("content-type", "multipart/form-data; boundary=X")
        .body(Body::from(body.to_vec()))
        .expect("a request");
    RUNTIME.block_on(async {
        let Ok(mut multipart) = Multipart::from_request(request, &()).await else {
            return;
        };
        match first_field(&mut multipart, "csrf_token", 256).await {
            Ok(Some(token)) => assert!(token.len() <= 256 * 3, "the token is cut at its limit"),
            Ok(None) | Err(_) => return,
        }
        let Ok(form) = read(multipart, limits.max_file_bytes, FILES_FIELD).await else {
            return;
        };
        for upload in &form.files {
            assert!(upload.bytes.len() <= limits.max_file_bytes + 1);
            if let Ok((kind, name)) = limits.check_file(&upload.name, &upload.bytes) {
                assert!(!name.as_str().is_empty());
                if kind == AttachmentKind::Pdf {
                    let _ = sanitise(&upload.bytes);
                }
            }
        }
    });
});
