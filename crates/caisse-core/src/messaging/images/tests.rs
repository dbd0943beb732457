use caisse_test_support::files::{
    GPS_MARKER, PNG_TEXT, contains, jpeg_with_gps, pdf, png, png_bomb, png_header_only,
    png_with_text, png16,
};
use image::{GenericImageView, ImageFormat};

use super::*;

fn limits() -> AttachmentLimits {
    AttachmentLimits::default()
}

fn dimensions(bytes: &[u8], format: ImageFormat) -> (u32, u32) {
    image::load_from_memory_with_format(bytes, format)
        .unwrap()
        .dimensions()
}

#[test]
fn a_photo_loses_its_exif_and_gps_and_stays_upright() {
    // 8×4 as stored, orientation 6: the phone was held upright, so it is viewed 4×8.
    let photo = jpeg_with_gps(8, 4, 6);
    assert!(contains(&photo, GPS_MARKER) && contains(&photo, b"Exif\0\0"));
    let stored = prepare(AttachmentKind::Jpeg, photo, &limits()).unwrap();
    assert_eq!(AttachmentKind::sniff(&stored), Some(AttachmentKind::Jpeg));
    assert!(!contains(&stored, GPS_MARKER), "the GPS position is gone");
    assert!(!contains(&stored, b"Exif"), "no EXIF block at all");
    assert_eq!(dimensions(&stored, ImageFormat::Jpeg), (4, 8));
}

#[test]
fn a_png_loses_its_text_chunks() {
    let annotated = png_with_text();
    assert!(contains(&annotated, b"tEXt") && contains(&annotated, PNG_TEXT));
    assert_eq!(
        dimensions(&annotated, ImageFormat::Png),
        (8, 6),
        "still a valid PNG"
    );
    let stored = prepare(AttachmentKind::Png, annotated, &limits()).unwrap();
    assert!(!contains(&stored, b"tEXt") && !contains(&stored, PNG_TEXT));
    assert_eq!(dimensions(&stored, ImageFormat::Png), (8, 6));
    assert_eq!(
        image::load_from_memory(&stored).unwrap().to_rgb8(),
        image::load_from_memory(&png()).unwrap().to_rgb8(),
        "the pixels are kept exactly"
    );
}

#[test]
fn a_pdf_is_rewritten_and_a_broken_one_refused() {
    let stored = prepare(AttachmentKind::Pdf, pdf(), &limits()).unwrap();
    assert!(stored.starts_with(b"%PDF-") && stored != pdf());
    assert_eq!(
        prepare(AttachmentKind::Pdf, b"%PDF-1.7\n<html>".to_vec(), &limits()),
        Err(AttachmentError::UnreadablePdf)
    );
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let too_large = Err(AttachmentError::ImageTooLarge {
        max_pixels: 24_000_000,
    });
    for (width, height) in [(100_000, 100_000), (19_000, 19_000), (8_001, 5_000)] {
        let bomb = png_bomb(width, height);
        assert!(bomb.len() < 200, "a tiny file");
        assert_eq!(
            prepare(AttachmentKind::Png, bomb, &limits()),
            too_large,
            "{width}×{height}"
        );
    }
    let tight = AttachmentLimits {
        max_image_pixels: 40,
        ..limits()
    };
    assert_eq!(
        prepare(AttachmentKind::Png, png(), &tight),
        Err(AttachmentError::ImageTooLarge { max_pixels: 40 }),
        "8×6 is over 40 pixels"
    );
}

#[test]
fn an_image_that_does_not_decode_is_refused() {
    let mut broken = png();
    broken.truncate(40);
    assert_eq!(
        prepare(AttachmentKind::Png, broken, &limits()),
        Err(AttachmentError::UnreadableImage)
    );
    let fake_jpeg = [&[0xFF, 0xD8, 0xFF][..], b"not really a photo"].concat();
    assert_eq!(
        prepare(AttachmentKind::Jpeg, fake_jpeg, &limits()),
        Err(AttachmentError::UnreadableImage)
    );
}

#[test]
fn the_pentests_deep_png_is_refused_from_its_header() {
    // 6000×6000 pixels of 16-bit RGB: 216 MB once decoded, over 500 MiB to re-encode.
    for (depth, color) in [(16, 2), (16, 6), (8, 6)] {
        assert_eq!(
            prepare(
                AttachmentKind::Png,
                png_header_only(6000, 6000, depth, color),
                &limits()
            ),
            Err(AttachmentError::ImageTooLarge {
                max_pixels: 24_000_000
            }),
            "{depth} bits, colour type {color}"
        );
    }
}

#[test]
fn sixteen_bits_count_twice_in_the_decoded_budget() {
    // Room for 100×100 pixels of 8-bit RGB, not of 16-bit RGB.
    let tight = AttachmentLimits {
        max_image_bytes: 100 * 100 * 3,
        ..limits()
    };
    let eight_bits = image::RgbImage::from_pixel(100, 100, image::Rgb([10, 20, 30]));
    let mut plain = std::io::Cursor::new(Vec::new());
    eight_bits.write_to(&mut plain, ImageFormat::Png).unwrap();
    assert!(prepare(AttachmentKind::Png, plain.into_inner(), &tight).is_ok());
    assert_eq!(
        prepare(AttachmentKind::Png, png16(100, 100), &tight),
        Err(AttachmentError::ImageTooLarge {
            max_pixels: 24_000_000
        })
    );
    // Within the budget, a 16-bit PNG stays a 16-bit PNG.
    let stored = prepare(AttachmentKind::Png, png16(20, 10), &limits()).unwrap();
    assert_eq!(
        image::load_from_memory(&stored).unwrap().color(),
        image::ColorType::Rgb16
    );
}
