//! Files for attachment tests, made on the spot: good ones (a PDF, a PNG, a JPEG), ones that
//! carry metadata to strip (EXIF with a GPS position, PNG text chunks), and hostile ones (a
//! renamed program, a decompression bomb).

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, ImageFormat, RgbImage};

/// A small, valid PDF.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
      2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n\
      trailer << /Root 1 0 R >>\n%%EOF\n"
        .to_vec()
}

/// A `width`×`height` gradient, so encoders cannot shrink it to nothing.
fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7 % 256) as u8, (y * 13 % 256) as u8, 128])
    })
}

/// A plain 8×6 PNG.
pub fn png() -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    picture(8, 6)
        .write_to(&mut out, ImageFormat::Png)
        .expect("PNG encodes");
    out.into_inner()
}

/// The GPS position written in [`jpeg_with_gps`]: the text of its latitude reference and a
/// marker string that must not survive stripping.
pub const GPS_MARKER: &[u8] = b"CAISSE-GPS-48.8566N";

/// A minimal big-endian EXIF block: orientation `orientation` and a GPS IFD whose
/// `GPSLatitudeRef` is followed by [`GPS_MARKER`] in a user comment.
fn exif(orientation: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0 at 8: two entries (orientation, GPS IFD pointer), then no next IFD.
    let gps_ifd_offset: u32 = 8 + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&[0x88, 0x25, 0x00, 0x04, 0, 0, 0, 1]);
    tiff.extend_from_slice(&gps_ifd_offset.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    // GPS IFD: GPSLatitudeRef "N" inline, GPSAreaInformation (undefined) holding the marker.
    let marker_offset = gps_ifd_offset + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&[0x00, 0x01, 0x00, 0x02, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0x00, 0x1c, 0x00, 0x07]);
    tiff.extend_from_slice(&u32::try_from(GPS_MARKER.len()).unwrap_or(0).to_be_bytes());
    tiff.extend_from_slice(&marker_offset.to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(GPS_MARKER);
    tiff
}

/// A `width`×`height` JPEG photo with EXIF: the given orientation (6 = turn 90° clockwise to
/// view) and a GPS IFD holding [`GPS_MARKER`].
pub fn jpeg_with_gps(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, 90);
    encoder
        .set_exif_metadata(exif(orientation))
        .expect("JPEG takes EXIF");
    encoder
        .write_image(
            picture(width, height).as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("JPEG encodes");
    out
}

/// The text written in [`png_with_text`], which must not survive stripping.
pub const PNG_TEXT: &[u8] = b"Auteur: Julien Martin, 12 rue des Lilas";

/// CRC-32 of PNG chunks (ISO 3309).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One PNG chunk: length, type, data, CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32(&typed).to_be_bytes());
    out
}

/// [`png`] with a `tEXt` chunk holding [`PNG_TEXT`] right after the header.
pub fn png_with_text() -> Vec<u8> {
    let plain = png();
    // Signature (8) + IHDR chunk (4 + 4 + 13 + 4).
    let (head, rest) = plain.split_at(8 + 25);
    let mut text = b"Author\0".to_vec();
    text.extend_from_slice(PNG_TEXT);
    [head, &chunk(b"tEXt", &text), rest].concat()
}

/// A 100-byte PNG whose header declares `width`×`height` pixels: decoding it would need
/// gigabytes.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    png_header_only(width, height, 8, 2)
}

/// A `width`×`height` gradient PNG in 16-bit RGB: 6 bytes a pixel once decoded.
pub fn png16(width: u32, height: u32) -> Vec<u8> {
    let deep = image::ImageBuffer::<image::Rgb<u16>, Vec<u16>>::from_fn(width, height, |x, y| {
        image::Rgb([(x * 1031 % 65536) as u16, (y * 2053 % 65536) as u16, 32768])
    });
    let mut out = Cursor::new(Vec::new());
    deep.write_to(&mut out, ImageFormat::Png)
        .expect("PNG encodes");
    out.into_inner()
}

/// A small PNG whose header declares `width`×`height` pixels of `bit_depth` bits and PNG
/// colour type `color_type` (2 RGB, 6 RGBA), with a few bytes of data: what the pentest's
/// 280 KB PNG of 6000×6000 16-bit pixels declares, at no cost to the test.
pub fn png_header_only(width: u32, height: u32, bit_depth: u8, color_type: u8) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // Deflate, adaptive filtering, no interlace.
    ihdr.extend_from_slice(&[bit_depth, color_type, 0, 0, 0]);
    // An IDAT of a few zero rows: enough to look real, nothing like the declared size.
    let idat = [0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01];
    [
        &b"\x89PNG\r\n\x1a\n"[..],
        &chunk(b"IHDR", &ihdr),
        &chunk(b"IDAT", &idat),
        &chunk(b"IEND", &[]),
    ]
    .concat()
}

/// A Windows program's first bytes: what a renamed `.exe` looks like.
pub fn windows_program() -> Vec<u8> {
    let mut bytes = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    bytes.extend_from_slice(b"This program cannot be run in DOS mode.\r\r\n$");
    bytes
}

/// Returns true if and only if `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// How many files `store` holds, in any directory: walks the listing level by level (keys
/// are `attachments/<2 hex>/<32 hex>`).
pub async fn stored_files(store: &dyn object_store::ObjectStore) -> usize {
    let mut count = 0;
    let mut pending = vec![None];
    while let Some(prefix) = pending.pop() {
        let listing = store
            .list_with_delimiter(prefix.as_ref())
            .await
            .expect("the store lists");
        count += listing.objects.len();
        pending.extend(listing.common_prefixes.into_iter().map(Some));
    }
    count
}

/// A PDF of these objects (`n 0 obj … endobj`, numbered from 1 in order; object 1 is the
/// catalogue, 9 the document information), with a correct cross-reference table, the
/// comment line `head` after its header and `tail` after its `%%EOF`.
fn pdf_of(head: &str, objects: &[&str], tail: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    out.extend_from_slice(head.as_bytes());
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", index + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 9 0 R >>\nstartxref\n{xref}\n%%EOF\n{tail}",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Texts in [`hostile_pdf`] that must not survive sanitising, one per kind of active or
/// hidden content.
pub const HOSTILE_PDF_MARKERS: &[&str] = &[
    "CAISSE-OPENACTION-JS",
    "CAISSE-NAMES-JS",
    "CAISSE-PAGE-AA",
    "CAISSE-LAUNCH",
    "CAISSE-URI-ACTION",
    "CAISSE-EMBEDDED-FILE",
    "CAISSE-XFA-FORM",
    "CAISSE-BEFORE-HTML",
    "CAISSE-AFTER-EOF",
];

/// The text of the page of [`hostile_pdf`], which sanitising keeps.
pub const HOSTILE_PDF_TEXT: &str = "Facture pharmacie";

/// A one-page PDF carrying every kind of active content a reader may run: JavaScript on
/// opening and in the name tree, page actions, a launch and a URI action on links, an
/// embedded file, an XFA form; with an HTML comment after the header and HTML after `%%EOF`
/// (a PDF/HTML polyglot). Each hides one of [`HOSTILE_PDF_MARKERS`].
pub fn hostile_pdf() -> Vec<u8> {
    let content = format!("BT /F1 18 Tf 72 720 Td ({HOSTILE_PDF_TEXT}) Tj ET");
    let content_object = format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    );
    let embedded = "CAISSE-EMBEDDED-FILE";
    let embedded_object = format!(
        "<< /Type /EmbeddedFile /Length {} >>\nstream\n{embedded}\nendstream",
        embedded.len()
    );
    let xfa = "<xdp:xdp>CAISSE-XFA-FORM</xdp:xdp>";
    let xfa_object = format!("<< /Length {} >>\nstream\n{xfa}\nendstream", xfa.len());
    let objects = [
        // 1: catalogue
        "<< /Type /Catalog /Pages 2 0 R \
           /OpenAction << /S /JavaScript /JS (app.alert('CAISSE-OPENACTION-JS')) >> \
           /AA << /WC << /S /JavaScript /JS (CAISSE-OPENACTION-JS) >> >> \
           /Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (CAISSE-NAMES-JS) >>] >> \
                     /EmbeddedFiles << /Names [(facture.exe) 7 0 R] >> >> \
           /AcroForm << /Fields [] /XFA 8 0 R >> >>",
        // 2: pages
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        // 3: the page, with actions and links
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
           /Resources << /Font << /F1 5 0 R >> >> \
           /AA << /O << /S /JavaScript /JS (CAISSE-PAGE-AA) >> >> \
           /Annots [6 0 R 10 0 R 11 0 R] >>",
        &content_object,
        // 5: font
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        // 6: a link launching a program
        "<< /Type /Annot /Subtype /Link /Rect [72 600 200 620] \
           /A << /S /Launch /F (CAISSE-LAUNCH.exe) >> >>",
        // 7: file specification of the embedded file
        "<< /Type /Filespec /F (facture.exe) /EF << /F 12 0 R >> >>",
        &xfa_object,
        // 9: document information
        "<< /Title (Facture) /Author (Julien Martin) >>",
        // 10: a link to a web address
        "<< /Type /Annot /Subtype /Link /Rect [72 560 200 580] \
           /A << /S /URI /URI (https://evil.example/CAISSE-URI-ACTION) >> >>",
        // 11: a file attachment annotation
        "<< /Type /Annot /Subtype /FileAttachment /Rect [72 520 90 540] /FS 7 0 R >>",
        &embedded_object,
    ];
    // An HTML comment line after the header and HTML after the end: a PDF/HTML polyglot.
    pdf_of(
        "%<html><script>CAISSE-BEFORE-HTML</script>\n",
        &objects,
        "<html><script>CAISSE-AFTER-EOF</script></html>\n",
    )
}
