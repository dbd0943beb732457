//! Helpers shared by the integration tests: sample data, and the command-line PDF tools
//! (`pdftotext`, `pdfinfo`, `pdffonts` from poppler-utils, and `qpdf`) that read the files
//! back. `scripts/test-all` installs those tools on a fresh machine.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use caisse_pdf::{
    Attestation, AttestationKind, AttestedExemption, AttestedPerson, CodePurpose, Coverage,
    InsuredIdentity, Mentions, ProvisionalCodeLetter, Sender, ThreadTranscript, TranscriptMessage,
    Verification,
};
use time::macros::{date, datetime};

pub fn sender() -> Sender {
    Sender {
        organisation: "Caisse primaire d’assurance maladie du Bas-Rhin".to_owned(),
        address_lines: vec![
            "Service relations assurés".to_owned(),
            "16 rue de Lausanne".to_owned(),
            "67090 STRASBOURG CEDEX".to_owned(),
        ],
        phone: "36 46".to_owned(),
        website: "portail.example.fr".to_owned(),
    }
}

/// The letter of the golden file: change it only with the golden file.
pub fn sample_letter() -> ProvisionalCodeLetter {
    ProvisionalCodeLetter {
        sender: sender(),
        recipient_lines: vec![
            "Madame Sophie WEBER".to_owned(),
            "12 rue des Juifs".to_owned(),
            "67000 STRASBOURG".to_owned(),
        ],
        salutation_name: "Sophie WEBER".to_owned(),
        issued_on: date!(2026 - 11 - 22),
        code: "K7M4-Q9TX".to_owned(),
        valid_until: date!(2026 - 12 - 06),
        purpose: CodePurpose::Activation,
        portal_url: "https://portail.example.fr/code-provisoire".to_owned(),
        nir_masked: "2 85 05 67 *** *** **".to_owned(),
    }
}

/// A signed statement as long as a family of three's (its content does not matter here).
pub const SAMPLE_QR: &str = "CAISSE-ATT1:AB2QAAIDJUZTGMDFGQ3DGNZUGVQWIZBVGM2DANJRGQ3DCMZSGUZDGNJUGU2DQNBSGEZDONJWGI2DSNZQ\
GUYTQNJYGM3DMOJUGIZDCNJQGA2TMMJQGQZDANJVGQYTANJUGMZDONBWGA3DAOBVGE3DANJQGMZTMNJRGQ3TCNZWGI3DQMJRGQZDCNRWGQ2TONZ\
YGM2TCMBRGQ3TGNBSGAYDIMRVGQ2TQOBSGY4DKMBUGQ4DIMZQGIYTAMZYGUZDOMJXGA4DIOJWGAZDQNRVHAYTQOJUGM3TSNRVG4YDSMBXHAZDMMR\
ZGY2TSNJRGQ4TGNZQGQ3TSMRXGEZDSNRXGY3TANBUGI4DIOBUGE3DSNZWGQ";

/// The attestation of the golden file: the Weber family with every mention. Change it only
/// with the golden file.
pub fn sample_attestation() -> Attestation {
    Attestation {
        kind: AttestationKind::Droits,
        sender: sender(),
        recipient_lines: vec![
            "Madame Sophie WEBER".to_owned(),
            "8 quai des Bateliers".to_owned(),
            "67000 STRASBOURG".to_owned(),
        ],
        issued_on: date!(2026 - 11 - 22),
        insured: InsuredIdentity {
            last_name: "WEBER".to_owned(),
            usage_name: Some("KLEIN".to_owned()),
            first_name: "Sophie".to_owned(),
            birth_date: date!(1982 - 12 - 21),
            nir: "2 82 12 67 482 023 55".to_owned(),
        },
        coverage: Coverage {
            fund_name: "CPAM du Bas-Rhin".to_owned(),
            organisme_code: "01 671".to_owned(),
            regime: "Régime général (01)".to_owned(),
            code_gestion: "10".to_owned(),
            valid_from: date!(2026 - 11 - 22),
            valid_to: date!(2027 - 11 - 21),
        },
        people: vec![
            AttestedPerson {
                name: "Sophie KLEIN".to_owned(),
                birth_date: date!(1982 - 12 - 21),
                rank: 1,
                doctor_declared: true,
            },
            AttestedPerson {
                name: "Emma WEBER".to_owned(),
                birth_date: date!(2012 - 06 - 04),
                rank: 2,
                doctor_declared: false,
            },
        ],
        mentions: Some(Mentions {
            exemptions: vec![AttestedExemption {
                person: "Sophie KLEIN".to_owned(),
                nature: "ALD".to_owned(),
                rate: "100\u{a0}%".to_owned(),
                from: date!(2024 - 03 - 01),
                to: Some(date!(2029 - 02 - 28)),
            }],
            local_regime_rate: Some("90\u{a0}%".to_owned()),
            c2s: Some((
                "sans participation financière".to_owned(),
                date!(2026 - 04 - 01),
                Some(date!(2027 - 03 - 31)),
            )),
        }),
        verification: Verification {
            qr_data: format!("https://portail.example.fr/verifier?a={SAMPLE_QR}"),
            statement: SAMPLE_QR.to_owned(),
            code: "7K3M-Q9TX-2BCF".to_owned(),
            url: "https://portail.example.fr/verifier".to_owned(),
        },
    }
}

/// The thread of the golden file: change it only with the golden file.
pub fn sample_transcript() -> ThreadTranscript {
    ThreadTranscript {
        sender: sender(),
        reference: "M-2026-K7Q3-9DXA".to_owned(),
        subject: "Feuille de soins du 3 novembre".to_owned(),
        objet: "Question sur un remboursement".to_owned(),
        nature: "Demande de renseignements".to_owned(),
        status: "En cours d’instruction".to_owned(),
        opened_at: datetime!(2026-11-03 10:12),
        updated_at: datetime!(2026-11-05 14:30),
        due_on: date!(2026 - 11 - 10),
        closed_at: None,
        printed_at: datetime!(2026-11-22 16:04),
        messages: vec![
            TranscriptMessage {
                author: "Vous".to_owned(),
                written_at: datetime!(2026-11-03 10:12),
                body: "Bonjour,\n\nJe n’ai pas été remboursée de la consultation du 3 novembre \
                       chez le Dr Martin.\nMerci de votre aide."
                    .to_owned(),
                attachments: vec![
                    "feuille-de-soins.pdf".to_owned(),
                    "ordonnance.jpg".to_owned(),
                ],
            },
            TranscriptMessage {
                author: "Votre conseiller".to_owned(),
                written_at: datetime!(2026-11-05 14:30),
                body: "Bonjour Madame,\nVotre feuille de soins est bien arrivée : le \
                       remboursement sera versé sous 5 jours."
                    .to_owned(),
                attachments: Vec::new(),
            },
        ],
    }
}

/// Writes `bytes` to `caisse-pdf-{name}.pdf` under cargo's temporary directory for integration
/// tests, where it stays to be looked at. Each test passes its own `name`.
pub fn write_pdf(name: &str, bytes: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("caisse-pdf-{name}.pdf"));
    std::fs::write(&path, bytes).expect("write the PDF to the temporary directory");
    path
}

/// Compares `text` with the golden file `tests/golden/{file}`; with `UPDATE_GOLDEN=1` in the
/// environment, writes it there instead (then review the diff).
pub fn assert_golden(file: &str, text: &str) {
    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&golden, text).expect("write the golden file");
        return;
    }
    let expected = std::fs::read_to_string(&golden)
        .unwrap_or_else(|_| panic!("tests/golden/{file} exists (UPDATE_GOLDEN=1 writes it)"));
    assert!(
        text == expected,
        "the text of {file} changed; if on purpose, rerun with UPDATE_GOLDEN=1 and review the \
         diff.\n--- expected\n{expected}\n--- got\n{text}"
    );
}

/// Runs `tool` and returns its standard output; fails the test if it is missing or fails.
pub fn run(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): install poppler-utils and qpdf (scripts/test-all does)")
    });
    assert!(
        output.status.success(),
        "`{tool} {}` failed: {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // Lossy: poppler 22 prints UTF-16 heading titles of `pdfinfo -struct` as raw bytes.
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn path_str(path: &std::path::Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// Text of the PDF as `pdftotext -layout` sees it, with trailing spaces removed and each page
/// break written as a visible line.
pub fn layout_text(path: &std::path::Path) -> String {
    let raw = run(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", path_str(path), "-"],
    );
    let mut out = String::new();
    for line in raw.trim_end_matches('\u{c}').split('\n') {
        for (i, part) in line.split('\u{c}').enumerate() {
            if i > 0 {
                out.push_str("<<< saut de page >>>\n");
            }
            out.push_str(part.trim_end());
            out.push('\n');
        }
    }
    format!("{}\n", out.trim_end())
}

/// Checks the file with `qpdf --check` (non-zero on any structural error), then returns what
/// `pdfinfo` says of it: its whole report, and each field by name (`"Tagged:"` → `"yes"`),
/// white space collapsed.
pub fn checked_info(path: &std::path::Path) -> (String, impl Fn(&str) -> String) {
    let check = run("qpdf", &["--check", path_str(path)]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    let info = run("pdfinfo", &[path_str(path)]);
    let report = info.clone();
    let field = move |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(collapse)
            .unwrap_or_default()
    };
    (report, field)
}

/// Number of pages, from `pdfinfo`.
pub fn page_count(path: &std::path::Path) -> usize {
    let info = run("pdfinfo", &[path_str(path)]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo reports the page count")
}

/// The tagged text in reading order (`pdfinfo -struct-text`): artifacts such as headers and
/// footers are left out, so a paragraph split by a page break reads in one piece.
pub fn tagged_text(path: &std::path::Path) -> String {
    let tree = run("pdfinfo", &["-struct-text", path_str(path)]);
    let mut text = String::new();
    for line in tree.lines() {
        let line = line.trim();
        if let Some(quoted) = line.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
            text.push_str(quoted);
        }
    }
    collapse(&text)
}

/// Like [`tagged_text`], with a space between marked runs, so that table cells read apart
/// (« Rang 01 » rather than « Rang01 »); runs split inside a word get a space too.
pub fn tagged_words(path: &std::path::Path) -> String {
    let tree = run("pdfinfo", &["-struct-text", path_str(path)]);
    let runs: Vec<&str> = tree
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            line.strip_prefix('"').and_then(|l| l.strip_suffix('"'))
        })
        .collect();
    collapse(&runs.join(" "))
}

/// Collapses every run of white space (no-break spaces included) into one space.
pub fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
