//! Images are re-encoded before they are stored, so nothing but pixels leaves the member's
//! phone: EXIF (with the GPS position and the phone's serial), XMP, IPTC, PNG text chunks and
//! colour profiles are all dropped. The EXIF orientation is applied first, so a photo taken
//! sideways stays upright once its EXIF is gone.
//!
//! Decompression bombs (a small file declaring a huge image) are refused before any pixel
//! is decoded: the header's dimensions and colour type go through
//! [`AttachmentLimits::check_decoded_size`] (bytes per pixel counted: 16 bits and alpha), and
//! the decoder runs under the same memory limit.
//!
//! Memory: one image costs at most about three times its decoded size (decoder buffers,
//! a rotated copy, the encoded output), so 3 × `max_image_bytes` (216 Mio by default) plus
//! the file itself. CPU-bound and synchronous: the messaging service runs it on its bounded
//! file pool ([`crate::blocking::BlockingPool`]), which bounds what a node spends at once.

use std::io::Cursor;

use caisse_domain::messaging::{AttachmentError, AttachmentKind, AttachmentLimits};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::pdf_files::{PdfError, sanitise};

/// Quality of re-encoded JPEG photos: documents stay legible, files stay near their size.
const JPEG_QUALITY: u8 = 90;

/// Returns the bytes to store for a file of kind `kind`: PDFs rewritten without active or
/// hidden content and metadata ([`crate::pdf_files::sanitise`]), images decoded and
/// re-encoded in the same format without any metadata.
///
/// # Errors
/// [`AttachmentError::ImageTooLarge`] for dimensions over the limits (read from the header,
/// before decoding) or a decoder going over its memory limit, and
/// [`AttachmentError::UnreadableImage`] for an image that does not decode,
/// [`AttachmentError::UnreadablePdf`] and [`AttachmentError::ProtectedPdf`] for a PDF that
/// cannot be rewritten.
pub(super) fn prepare(
    kind: AttachmentKind,
    bytes: Vec<u8>,
    limits: &AttachmentLimits,
) -> Result<Vec<u8>, AttachmentError> {
    let format = match kind {
        AttachmentKind::Pdf => {
            return sanitise(&bytes).map_err(|error| match error {
                PdfError::Unreadable => AttachmentError::UnreadablePdf,
                PdfError::Protected => AttachmentError::ProtectedPdf,
            });
        }
        AttachmentKind::Jpeg => ImageFormat::Jpeg,
        AttachmentKind::Png => ImageFormat::Png,
    };
    let image = decode(&bytes, format, limits)?;
    let mut out = Vec::new();
    let written = match kind {
        AttachmentKind::Jpeg => {
            // JPEG has no alpha and 8 bits per channel: grey stays grey, the rest is RGB.
            // `into_` keeps the buffer when it already has that form: no copy.
            let flat = if image.color().has_color() {
                DynamicImage::ImageRgb8(image.into_rgb8())
            } else {
                DynamicImage::ImageLuma8(image.into_luma8())
            };
            flat.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        }
        _ => image.write_with_encoder(PngEncoder::new(&mut out)),
    };
    written.map_err(|_| AttachmentError::UnreadableImage)?;
    Ok(out)
}

fn decode(
    bytes: &[u8],
    format: ImageFormat,
    limits: &AttachmentLimits,
) -> Result<DynamicImage, AttachmentError> {
    let mut decoder_limits = Limits::default();
    decoder_limits.max_image_width = Some(limits.max_image_side);
    decoder_limits.max_image_height = Some(limits.max_image_side);
    decoder_limits.max_alloc = Some(limits.max_image_bytes);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(decoder_limits);
    // Reads the header only; a side over the limit already fails here.
    let mut decoder = reader.into_decoder().map_err(|e| refusal(e, limits))?;
    let (width, height) = decoder.dimensions();
    let bytes_per_pixel = u64::from(decoder.color_type().bytes_per_pixel());
    limits.check_decoded_size(width, height, bytes_per_pixel)?;
    // A malformed EXIF block is no reason to refuse a photo: it is dropped anyway.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| refusal(e, limits))?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn refusal(error: ImageError, limits: &AttachmentLimits) -> AttachmentError {
    match error {
        ImageError::Limits(_) => AttachmentError::ImageTooLarge {
            max_pixels: limits.max_image_pixels,
        },
        _ => AttachmentError::UnreadableImage,
    }
}

#[cfg(test)]
mod tests;
