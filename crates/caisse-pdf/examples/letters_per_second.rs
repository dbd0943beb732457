//! How many provisional-code letters per second this machine renders.
//!
//! ```text
//! cargo run --release -p caisse-pdf --example letters_per_second -- [N] [--out batch.pdf]
//! ```
//!
//! Renders N letters (default 200) two ways: one print batch of N letters in a single PDF,
//! then N single-letter PDFs (one download each), and prints letters per second and bytes per
//! letter for both. With `--out FILE`, also writes the batch PDF there to look at.

use std::time::Instant;

use caisse_pdf::{CodePurpose, ProvisionalCodeLetter, Sender, render_letters};
use time::macros::date;

fn letter(n: usize) -> ProvisionalCodeLetter {
    let purpose = match n % 3 {
        0 => CodePurpose::Activation,
        1 => CodePurpose::Recovery,
        _ => CodePurpose::Reactivation,
    };
    ProvisionalCodeLetter {
        sender: Sender {
            organisation: "Caisse primaire d’assurance maladie de l’Exemple".to_owned(),
            address_lines: vec![
                "Service des relations avec les assurés".to_owned(),
                "12 rue de la République".to_owned(),
                "67000 STRASBOURG".to_owned(),
            ],
            phone: "03 88 00 00 00".to_owned(),
            website: "portail.example.fr".to_owned(),
        },
        recipient_lines: vec![
            format!("Madame Sophie WEBER-{n}"),
            "4 allée des Tilleuls".to_owned(),
            "67000 STRASBOURG".to_owned(),
        ],
        salutation_name: format!("Sophie WEBER-{n}"),
        issued_on: date!(2026 - 11 - 22),
        code: format!("K7M4-Q{:03}", n % 1000),
        valid_until: date!(2026 - 12 - 06),
        purpose,
        portal_url: "https://portail.example.fr/code-provisoire".to_owned(),
        nir_masked: "2 85 05 67 *** *** **".to_owned(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut count = 200usize;
    let mut out = None;
    while let Some(arg) = args.next() {
        if arg == "--out" {
            out = args.next();
        } else {
            count = arg.parse()?;
        }
    }
    let letters: Vec<ProvisionalCodeLetter> = (0..count).map(letter).collect();

    let start = Instant::now();
    let batch = render_letters(&letters)?;
    let batch_time = start.elapsed().as_secs_f64();
    println!(
        "one batch of {count} letters: {:.2} s, {:.0} letters/s, {} bytes ({} bytes/letter)",
        batch_time,
        count as f64 / batch_time,
        batch.len(),
        batch.len() / count.max(1)
    );

    let start = Instant::now();
    let mut total = 0usize;
    for one in letters.chunks(1) {
        total += render_letters(one)?.len();
    }
    let single_time = start.elapsed().as_secs_f64();
    println!(
        "{count} single-letter PDFs: {:.2} s, {:.0} letters/s, {} bytes/PDF on average",
        single_time,
        count as f64 / single_time,
        total / count.max(1)
    );

    if let Some(path) = out {
        std::fs::write(&path, &batch)?;
        println!("batch written to {path}");
    }
    Ok(())
}
