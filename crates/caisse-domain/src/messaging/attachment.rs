//! Attachments of a message (issue 4 point 2): which files a member may join, how they are
//! recognised, within which limits, and under which name they are shown again.
//!
//! - Only PDF, JPEG and PNG are accepted, and the kind comes from the first bytes
//!   ([`AttachmentKind::sniff`]), never from the name or the browser's content type: a
//!   program renamed `facture.pdf` starts with `MZ`, not `%PDF-`.
//! - Limits are configuration ([`AttachmentLimits`]) with the defaults: 5 Mio per
//!   file (« 5 Mo », as French sites write it), 5 files per message, and images of at most
//!   24 megapixels and 72 Mio once decoded (bytes per pixel counted: a 16-bit or transparent
//!   image gets fewer pixels), checked on what their header declares, before any decoding.
//! - A name holding a path (`/`, `\`, `..`), a NUL or another control character is hostile
//!   and refused; any other is tidied into a [`FileName`] whose extension matches the kind.
//!
//! Every refusal is an [`AttachmentError`], which carries no user input; its French sentence
//! names the file it is given. Decoding and re-encoding images is `caisse-core`'s job.

use std::fmt;

/// One mebibyte: what French interfaces call « 1 Mo ».
pub const MIB: usize = 1024 * 1024;

/// The configurable limits of attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    /// Largest file, in bytes. Default 5 Mio.
    pub max_file_bytes: usize,
    /// Most files in one message. Default 5.
    pub max_files: usize,
    /// Longest file name kept, in characters, extension included. Default 100.
    pub max_name_chars: usize,
    /// Widest or tallest image, in pixels. Default 20,000.
    pub max_image_side: u32,
    /// Most pixels in an image. Default 24 million: a phone's photo is 12 (its 48 or 50
    /// megapixel mode is for prints, not for a scan of a document).
    pub max_image_pixels: u64,
    /// Most bytes an image may take once decoded, pixels × bytes per pixel (3 for 8-bit RGB,
    /// 4 with transparency, 6 or 8 in 16 bits). Default 72 Mio: 24 megapixels of 8-bit RGB,
    /// 9.4 of 16-bit RGBA. What a node spends re-encoding an image is a small multiple of
    /// it (docs/operations.md).
    pub max_image_bytes: u64,
}

impl Default for AttachmentLimits {
    fn default() -> AttachmentLimits {
        AttachmentLimits {
            max_file_bytes: 5 * MIB,
            max_files: 5,
            max_name_chars: 100,
            max_image_side: 20_000,
            max_image_pixels: 24_000_000,
            max_image_bytes: 72 * MIB as u64,
        }
    }
}

/// The kinds of file a message may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttachmentKind {
    /// A PDF document, rewritten without its active content.
    Pdf,
    /// A JPEG photo, re-encoded without its metadata.
    Jpeg,
    /// A PNG image, re-encoded without its metadata.
    Png,
}

const PDF_MAGIC: &[u8] = b"%PDF-";
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const PNG_MAGIC: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

impl AttachmentKind {
    /// Every kind, in the order the hints list them.
    pub const ALL: [AttachmentKind; 3] = [
        AttachmentKind::Pdf,
        AttachmentKind::Jpeg,
        AttachmentKind::Png,
    ];

    /// Returns the kind whose signature `bytes` start with, or `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<AttachmentKind> {
        if bytes.starts_with(PDF_MAGIC) {
            Some(AttachmentKind::Pdf)
        } else if bytes.starts_with(JPEG_MAGIC) {
            Some(AttachmentKind::Jpeg)
        } else if bytes.starts_with(PNG_MAGIC) {
            Some(AttachmentKind::Png)
        } else {
            None
        }
    }

    /// The media type sent with the file.
    pub fn content_type(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "application/pdf",
            AttachmentKind::Jpeg => "image/jpeg",
            AttachmentKind::Png => "image/png",
        }
    }

    /// The kind of a stored media type, if it is one of ours.
    pub fn from_content_type(content_type: &str) -> Option<AttachmentKind> {
        AttachmentKind::ALL
            .into_iter()
            .find(|kind| kind.content_type() == content_type)
    }

    /// The usual extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "pdf",
            AttachmentKind::Jpeg => "jpg",
            AttachmentKind::Png => "png",
        }
    }

    /// The name members know the kind by: « PDF », « JPEG », « PNG ».
    pub fn label_fr(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "PDF",
            AttachmentKind::Jpeg => "JPEG",
            AttachmentKind::Png => "PNG",
        }
    }

    /// True for the kinds that are decoded and re-encoded before they are stored.
    pub fn is_image(self) -> bool {
        matches!(self, AttachmentKind::Jpeg | AttachmentKind::Png)
    }
}

/// Why a file was refused. Carries no user input: [`AttachmentError::message_fr`] is given
/// the name to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum AttachmentError {
    /// The name holds a path (`/`, `\`, `..`), a NUL, a control or a bidirectional character.
    #[error("the file name is hostile")]
    HostileName,
    /// The file has no content.
    #[error("the file is empty")]
    Empty,
    /// The file is larger than the limit.
    #[error("the file is larger than {max_bytes} bytes")]
    TooLarge {
        /// The limit in force, in bytes.
        max_bytes: usize,
    },
    /// The content is not a PDF, a JPEG or a PNG, whatever the name says.
    #[error("the file is not a PDF, a JPEG or a PNG")]
    UnsupportedKind,
    /// The message already holds as many files as allowed.
    #[error("more than {max_files} files")]
    TooMany {
        /// The limit in force.
        max_files: usize,
    },
    /// The file starts like an image but does not decode.
    #[error("the image cannot be read")]
    UnreadableImage,
    /// The file starts like a PDF but does not parse, so it cannot be rewritten without its
    /// active content.
    #[error("the PDF cannot be read")]
    UnreadablePdf,
    /// The PDF needs a password to be read, so it cannot be rewritten.
    #[error("the PDF is protected by a password")]
    ProtectedPdf,
    /// The image declares more pixels, or a longer side, than allowed.
    #[error("the image declares too many pixels")]
    ImageTooLarge {
        /// The pixel limit in force.
        max_pixels: u64,
    },
}

impl AttachmentError {
    /// Returns the sentence shown to the member, in French, naming the file `name` (pass it
    /// through [`shown_name`]).
    pub fn message_fr(&self, name: &str) -> String {
        match self {
            AttachmentError::HostileName => format!(
                "Le nom du fichier « {name} » n'est pas accepté : il ne doit contenir ni « / », \
                 ni « \\ », ni « .. », ni caractère invisible. Renommez-le puis joignez-le de \
                 nouveau."
            ),
            AttachmentError::Empty => format!("« {name} » est vide."),
            AttachmentError::TooLarge { max_bytes } => format!(
                "« {name} » dépasse {} : réduisez sa taille (une numérisation en noir et blanc \
                 ou en 150 ppp suffit) ou découpez-le.",
                size_fr(*max_bytes as u64)
            ),
            AttachmentError::UnsupportedKind => {
                format!("« {name} » n'est pas un PDF, un JPEG ou un PNG.")
            }
            AttachmentError::TooMany { max_files } => {
                format!("« {name} » n'a pas été joint : {max_files} fichiers au plus par message.")
            }
            AttachmentError::UnreadableImage => {
                format!("« {name} » est une image endommagée ou illisible.")
            }
            AttachmentError::UnreadablePdf => format!(
                "« {name} » est un PDF endommagé ou illisible : ouvrez-le puis enregistrez-le de \
                 nouveau (« Imprimer » puis « Enregistrer au format PDF »), et joignez-le."
            ),
            AttachmentError::ProtectedPdf => format!(
                "« {name} » est protégé par un mot de passe : enregistrez-le sans protection \
                 (« Imprimer » puis « Enregistrer au format PDF »), et joignez-le."
            ),
            AttachmentError::ImageTooLarge { max_pixels } => format!(
                "« {name} » est une image trop grande ({} mégapixels au plus, moins pour une \
                 image en 16 bits ou avec transparence) : réduisez sa définition ou \
                 enregistrez-la en JPEG.",
                max_pixels / 1_000_000
            ),
        }
    }
}

impl AttachmentLimits {
    /// Checks one file as received: its name, then its size, then its kind by content, in
    /// that order; returns the kind and the tidied name. An image's pixels are checked later,
    /// by whoever reads its header ([`AttachmentLimits::check_dimensions`]).
    ///
    /// # Errors
    /// [`AttachmentError::HostileName`], [`AttachmentError::Empty`],
    /// [`AttachmentError::TooLarge`] or [`AttachmentError::UnsupportedKind`], the first that
    /// applies.
    pub fn check_file(
        &self,
        raw_name: &str,
        bytes: &[u8],
    ) -> Result<(AttachmentKind, FileName), AttachmentError> {
        if is_hostile(raw_name) {
            return Err(AttachmentError::HostileName);
        }
        if bytes.is_empty() {
            return Err(AttachmentError::Empty);
        }
        if bytes.len() > self.max_file_bytes {
            return Err(AttachmentError::TooLarge {
                max_bytes: self.max_file_bytes,
            });
        }
        let kind = AttachmentKind::sniff(bytes).ok_or(AttachmentError::UnsupportedKind)?;
        let name = FileName::parse(raw_name, kind, self)?;
        Ok((kind, name))
    }

    /// Checks that one more file fits in a message already holding `count` files.
    ///
    /// # Errors
    /// [`AttachmentError::TooMany`] when `count` is already the limit.
    pub fn check_count(&self, count: usize) -> Result<(), AttachmentError> {
        if count >= self.max_files {
            return Err(AttachmentError::TooMany {
                max_files: self.max_files,
            });
        }
        Ok(())
    }

    /// Checks the dimensions an image's header declares, before anything is decoded, so a
    /// small file declaring a huge image (a decompression bomb) is refused at no cost.
    ///
    /// # Errors
    /// [`AttachmentError::ImageTooLarge`] for a side over the limit, too many pixels, or a
    /// zero dimension (no real image has one).
    pub fn check_dimensions(&self, width: u32, height: u32) -> Result<(), AttachmentError> {
        let pixels = u64::from(width) * u64::from(height);
        if width > self.max_image_side || height > self.max_image_side {
            return Err(self.image_too_large());
        }
        if pixels == 0 {
            return Err(AttachmentError::UnreadableImage);
        }
        if pixels > self.max_image_pixels {
            return Err(self.image_too_large());
        }
        Ok(())
    }

    /// Checks what an image will take once decoded, `width` × `height` pixels of
    /// `bytes_per_pixel` bytes each (its colour type's: 16 bits and alpha count), against
    /// [`AttachmentLimits::max_image_bytes`], after [`AttachmentLimits::check_dimensions`].
    ///
    /// # Errors
    /// [`AttachmentError::ImageTooLarge`] when it takes more, and the refusals of
    /// [`AttachmentLimits::check_dimensions`].
    pub fn check_decoded_size(
        &self,
        width: u32,
        height: u32,
        bytes_per_pixel: u64,
    ) -> Result<(), AttachmentError> {
        self.check_dimensions(width, height)?;
        let bytes = (u64::from(width) * u64::from(height)).saturating_mul(bytes_per_pixel);
        if bytes > self.max_image_bytes {
            return Err(self.image_too_large());
        }
        Ok(())
    }

    fn image_too_large(&self) -> AttachmentError {
        AttachmentError::ImageTooLarge {
            max_pixels: self.max_image_pixels,
        }
    }
}

/// Returns true if and only if `raw` names more than a file: a path separator, a `..`, a
/// NUL or other control character, or a bidirectional control (which can disguise
/// `photo\u{202E}gpj.exe` as `photoexe.jpg`).
fn is_hostile(raw: &str) -> bool {
    raw.contains(['/', '\\'])
        || raw.contains("..")
        || raw.chars().any(|c| c.is_control() || is_bidi_control(c))
}

fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters kept in a name besides letters and digits; anything else becomes `_`.
fn is_safe_punctuation(c: char) -> bool {
    matches!(c, ' ' | '-' | '_' | '.' | ',' | '(' | ')' | '\'' | '’')
}

/// A file name fit to show and to send back in `Content-Disposition`: trimmed, letters,
/// digits, spaces and a little punctuation only, spaces collapsed, at most
/// [`AttachmentLimits::max_name_chars`] characters, ending in the extension of its kind.
///
/// Never used as a path: files are stored under random keys. `Debug` shows only the length
/// (names say things like « ordonnance_cardiologue.pdf »).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct FileName(String);

impl FileName {
    /// Tidies `raw` into the name of a file of kind `kind`: the last extension is replaced
    /// by the kind's (`.jpeg` stays for a JPEG so named), other characters than letters,
    /// digits, spaces and `- _ . , ( ) '` become `_`, runs of spaces or `_` become one,
    /// leading and trailing dots, spaces, dashes and underscores go, and the stem is cut to
    /// fit the length limit. An empty stem becomes `piece-jointe`.
    ///
    /// # Errors
    /// [`AttachmentError::HostileName`] for a name with a path, a `..`, or a control or
    /// bidirectional character.
    pub fn parse(
        raw: &str,
        kind: AttachmentKind,
        limits: &AttachmentLimits,
    ) -> Result<FileName, AttachmentError> {
        if is_hostile(raw) {
            return Err(AttachmentError::HostileName);
        }
        let trimmed = raw.trim();
        let (stem, given_extension) = match trimmed.rsplit_once('.') {
            Some((stem, extension))
                if (1..=5).contains(&extension.len())
                    && extension.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                (stem, Some(extension.to_ascii_lowercase()))
            }
            _ => (trimmed, None),
        };
        let extension = match (kind, given_extension.as_deref()) {
            (AttachmentKind::Jpeg, Some("jpeg")) => "jpeg",
            _ => kind.extension(),
        };
        let mut tidy = String::with_capacity(stem.len());
        for c in stem.chars() {
            let c = if c.is_whitespace() {
                ' '
            } else if c.is_alphanumeric() || is_safe_punctuation(c) {
                c
            } else {
                '_'
            };
            let repeated = (c == ' ' || c == '_') && tidy.ends_with(c);
            if !repeated {
                tidy.push(c);
            }
        }
        let trim = |s: &str| s.trim_matches([' ', '.', '-', '_']).to_owned();
        let room = limits
            .max_name_chars
            .saturating_sub(extension.len() + 1)
            .max(1);
        let mut stem = trim(&tidy);
        if stem.chars().count() > room {
            stem = trim(&stem.chars().take(room).collect::<String>());
        }
        if stem.is_empty() {
            stem = "piece-jointe".to_owned();
        }
        Ok(FileName(format!("{stem}.{extension}")))
    }

    /// Returns the name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for FileName {
    /// Shows the length only, e.g. `FileName(12 chars)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileName({} chars)", self.0.chars().count())
    }
}

/// Returns `raw` as a refusal may quote it: invisible characters replaced by `�`, trimmed,
/// cut to 60 characters, « sans nom » when nothing is left. For messages only: a refused
/// name is never stored.
pub fn shown_name(raw: &str) -> String {
    let visible: String = raw
        .chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    let visible = visible.trim();
    if visible.is_empty() {
        return "sans nom".to_owned();
    }
    if visible.chars().count() > 60 {
        let cut: String = visible.chars().take(59).collect();
        return format!("{cut}…");
    }
    visible.to_owned()
}

/// Writes a size the French way, with 1 Mo = 1,024 ko = 1,048,576 bytes: `512 octets`,
/// `340 ko`, `1,2 Mo`, `5 Mo`.
pub fn size_fr(bytes: u64) -> String {
    const KIB: u64 = 1024;
    let mib = MIB as u64;
    if bytes < KIB {
        return if bytes == 1 {
            "1 octet".to_owned()
        } else {
            format!("{bytes} octets")
        };
    }
    if bytes < mib {
        return format!("{} ko", (bytes + KIB / 2) / KIB);
    }
    let tenths = (bytes * 10 + mib / 2) / mib;
    if tenths.is_multiple_of(10) {
        format!("{} Mo", tenths / 10)
    } else {
        format!("{},{} Mo", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests;
