//! A « Ma messagerie » thread as a PDF, read back with the PDF tools: its text against the
//! golden file, the file itself (valid, tagged, titled), and text people typed that the fonts
//! cannot draw.
//!
//! Regenerate the golden file after a deliberate change of wording or layout with
//! `UPDATE_GOLDEN=1 cargo test -p caisse-pdf --test thread`, then review the diff.

mod support;

use caisse_pdf::{ThreadTranscript, TranscriptMessage, render_thread};
use support::{
    assert_golden, checked_info, layout_text, path_str, run, sample_transcript, tagged_text,
    write_pdf,
};
use time::macros::datetime;

#[test]
fn the_thread_text_matches_the_golden_file() {
    let pdf = render_thread(&sample_transcript()).unwrap();
    let text = layout_text(&write_pdf("thread-golden", &pdf));

    assert_golden("thread.txt", &text);
}

#[test]
fn the_thread_is_a_valid_tagged_pdf_titled_with_its_reference() {
    let pdf = render_thread(&sample_transcript()).unwrap();
    let path = write_pdf("thread-check", &pdf);
    let (info, field) = checked_info(&path);
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert_eq!(field("Title:"), "Message M-2026-K7Q3-9DXA", "{info}");

    let tree = run("pdfinfo", &["-struct", path_str(&path)]);
    for tag in ["H1", "H2", "H3", "Table", "TH", "L", "LI"] {
        assert!(
            tree.lines()
                .any(|l| l.trim_start().starts_with(&format!("{tag} "))
                    || l.trim() == tag
                    || l.trim_start().starts_with(&format!("{tag}:"))),
            "no {tag} in:\n{tree}"
        );
    }
}

#[test]
fn messages_read_in_order_with_their_authors_and_attachments() {
    let pdf = render_thread(&sample_transcript()).unwrap();
    let text = tagged_text(&write_pdf("thread-order", &pdf));
    let positions: Vec<usize> = [
        "Vous, le 3 novembre 2026 à 10 h 12",
        "Je n’ai pas été remboursée",
        "Pièces jointes :",
        "feuille-de-soins.pdf",
        "ordonnance.jpg",
        "Votre conseiller, le 5 novembre 2026 à 14 h 30",
        "le remboursement sera versé sous 5 jours.",
    ]
    .iter()
    .map(|expected| {
        text.find(expected)
            .unwrap_or_else(|| panic!("missing « {expected} » in:\n{text}"))
    })
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn what_the_fonts_cannot_draw_prints_as_a_replacement_mark() {
    let transcript = ThreadTranscript {
        subject: "Merci 🙏".to_owned(),
        messages: vec![TranscriptMessage {
            author: "Vous".to_owned(),
            written_at: datetime!(2026-11-03 10:12),
            body: "Mon nom s’écrit 王 en chinois 🦀".to_owned(),
            attachments: vec!["scan-王.pdf".to_owned()],
        }],
        ..sample_transcript()
    };
    let pdf = render_thread(&transcript).unwrap();
    let text = tagged_text(&write_pdf("thread-unsupported", &pdf));
    assert!(text.contains("Merci \u{FFFD}"), "{text}");
    assert!(
        text.contains("Mon nom s’écrit \u{FFFD} en chinois \u{FFFD}"),
        "{text}"
    );
    assert!(text.contains("scan-\u{FFFD}.pdf"), "{text}");
}
