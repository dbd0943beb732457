//! How many attestations de droits per second this machine renders, and how big they are.
//!
//! ```text
//! cargo run --release -p caisse-pdf --example attestations_per_second -- [N] [--out attestation.pdf]
//! ```
//!
//! Renders N single attestations (default 500), each one PDF as a member downloads it: a family
//! of three with every complementary mention and a QR code of a realistic signed statement.
//! Prints attestations per second (one core) and bytes per PDF. The signature and the database
//! write of a real download cost far less than this (see `docs/perf.md`).

use std::time::Instant;

use caisse_pdf::{
    Attestation, AttestationKind, AttestedExemption, AttestedPerson, Coverage, InsuredIdentity,
    Mentions, Sender, Verification, render_attestation,
};
use time::macros::date;

/// A statement of the length a family of three gets (base 32 of ~200 bytes).
fn qr_data(n: usize) -> String {
    let body: String = (0..320)
        .map(|i| char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(i * 7 + n) % 32]))
        .collect();
    format!("CAISSE-ATT1:{body}")
}

fn attestation(n: usize) -> Attestation {
    let person = |name: &str, birth, rank| AttestedPerson {
        name: name.to_owned(),
        birth_date: birth,
        rank,
        doctor_declared: true,
    };
    Attestation {
        kind: AttestationKind::Droits,
        sender: Sender {
            organisation: "CPAM des Yvelines".to_owned(),
            address_lines: vec![
                "92 avenue de Paris".to_owned(),
                "78000 VERSAILLES".to_owned(),
            ],
            phone: "36 46".to_owned(),
            website: "portail.example.fr".to_owned(),
        },
        recipient_lines: vec![
            format!("Monsieur Julien MARTIN-{n}"),
            "12 rue de la Paroisse".to_owned(),
            "78000 VERSAILLES".to_owned(),
        ],
        issued_on: date!(2026 - 11 - 22),
        insured: InsuredIdentity {
            last_name: format!("MARTIN-{n}"),
            usage_name: None,
            first_name: "Julien".to_owned(),
            birth_date: date!(1985 - 05 - 14),
            nir: "1 85 05 78 006 084 91".to_owned(),
        },
        coverage: Coverage {
            fund_name: "CPAM des Yvelines".to_owned(),
            organisme_code: "01 781".to_owned(),
            regime: "Régime général (01)".to_owned(),
            code_gestion: "10".to_owned(),
            valid_from: date!(2026 - 11 - 22),
            valid_to: date!(2027 - 11 - 21),
        },
        people: vec![
            person("Julien MARTIN", date!(1985 - 05 - 14), 1),
            person("Léa MARTIN", date!(2015 - 03 - 12), 2),
            person("Hugo MARTIN", date!(2018 - 09 - 30), 3),
        ],
        mentions: Some(Mentions {
            exemptions: vec![AttestedExemption {
                person: "Julien MARTIN".to_owned(),
                nature: "ALD".to_owned(),
                rate: "100\u{a0}%".to_owned(),
                from: date!(2024 - 03 - 01),
                to: Some(date!(2029 - 02 - 28)),
            }],
            local_regime_rate: None,
            c2s: None,
        }),
        verification: Verification {
            qr_data: format!("https://portail.example.fr/verifier?a={}", qr_data(n)),
            statement: qr_data(n),
            code: "7K3M-Q9TX-2BCF".to_owned(),
            url: "https://portail.example.fr/verifier".to_owned(),
        },
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut count = 500usize;
    let mut out = None;
    while let Some(arg) = args.next() {
        if arg == "--out" {
            out = args.next();
        } else {
            count = arg.parse()?;
        }
    }
    let attestations: Vec<Attestation> = (0..count).map(attestation).collect();
    let start = Instant::now();
    let mut total = 0usize;
    let mut last = Vec::new();
    for one in &attestations {
        last = render_attestation(one)?;
        total += last.len();
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{count} attestations: {seconds:.2} s, {:.0} attestations/s on one core, {} bytes/PDF on average",
        count as f64 / seconds,
        total / count.max(1)
    );
    if let Some(path) = out {
        std::fs::write(&path, &last)?;
        println!("last attestation written to {path}");
    }
    Ok(())
}
