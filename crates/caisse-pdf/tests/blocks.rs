//! The building blocks, read back with the PDF tools: long content breaks into pages instead of
//! running off them, and nothing is lost on the way.

mod support;

use caisse_pdf::{
    Align, Block, Document, HeadingLevel, ListStyle, PdfError, Span, render_documents,
};
use support::{collapse, page_count, path_str, run, sender, tagged_text, write_pdf};

const PAGE_WIDTH: f32 = 595.276;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.7;

fn sentence(n: usize) -> String {
    format!(
        "Paragraphe numéro {n} : les remboursements de soins sont versés sur le compte bancaire \
         enregistré dans votre dossier, dans un délai moyen de sept jours après réception de la \
         feuille de soins électronique, et le détail apparaît dans votre espace en ligne."
    )
}

/// A document of many blocks of every kind, far longer than a page.
fn long_document() -> Document {
    let mut blocks = vec![
        Block::AddressWindow {
            lines: vec![
                "Madame Sophie WEBER".to_owned(),
                "67000 STRASBOURG".to_owned(),
            ],
        },
        Block::right("Le 22 novembre 2026"),
        Block::heading(HeadingLevel::Title, "Relevé de vos démarches"),
    ];
    for n in 1..=30 {
        if n % 10 == 1 {
            blocks.push(Block::heading(
                HeadingLevel::Section,
                format!("Partie {}", n / 10 + 1),
            ));
        }
        blocks.push(Block::rich(vec![
            Span::bold(format!("Point {n}. ")),
            Span::plain(sentence(n)),
        ]));
        if n % 7 == 0 {
            blocks.push(Block::KeyValueTable {
                rows: vec![
                    (format!("Référence {n}"), format!("DOSSIER-{n:04}")),
                    ("Montant".to_owned(), "23,00 €".to_owned()),
                ],
            });
        }
        if n % 9 == 0 {
            blocks.push(Block::List {
                style: ListStyle::Bulleted,
                items: vec![
                    vec![Span::plain(format!("Élément de liste {n}-a"))],
                    vec![Span::plain(sentence(n + 1000))],
                ],
            });
        }
        if n % 13 == 0 {
            blocks.push(Block::Highlight {
                label: "Montant remboursé".to_owned(),
                value: format!("{n},00 €"),
                note: None,
            });
        }
    }
    blocks.push(Block::SmallPrint("Fin du document.".to_owned()));
    Document {
        title: "Relevé de vos démarches".to_owned(),
        sender: sender(),
        blocks,
    }
}

#[test]
fn a_long_document_breaks_into_pages_and_keeps_all_its_text() {
    let pdf = render_documents("Relevé", &[long_document()]).unwrap();
    let path = write_pdf("long", &pdf);
    let pages = page_count(&path);
    assert!(pages > 1, "{pages} page(s)");
    run("qpdf", &["--check", path_str(&path)]);

    let text = tagged_text(&path);
    for n in 1..=30 {
        let expected = collapse(&format!("Point {n}. {}", sentence(n)));
        assert!(
            text.contains(&expected),
            "paragraph {n} incomplete in:\n{text}"
        );
    }
    assert!(text.contains(&collapse(&sentence(1027))));
    assert!(text.contains("DOSSIER-0028"));
    assert!(text.contains("26,00 €"));
    assert!(text.ends_with("Fin du document."), "{text}");

    // Continuation pages say so; every page is numbered.
    let plain = run("pdftotext", &["-layout", path_str(&path), "-"]);
    assert!(plain.contains("Relevé de vos démarches – suite"));
    assert!(plain.contains(&format!("Page {pages} sur {pages}")));
}

#[test]
fn no_word_runs_off_the_page_or_into_the_margins() {
    let pdf = render_documents("Relevé", &[long_document()]).unwrap();
    let path = write_pdf("bbox", &pdf);
    let html = run("pdftotext", &["-bbox", path_str(&path), "-"]);
    let mut words = 0;
    for line in html.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let attr = |name: &str| -> f32 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            let end = start + line[start..].find('"').unwrap();
            line[start..end].parse().unwrap()
        };
        let (x_min, x_max, y_max) = (attr("xMin"), attr("xMax"), attr("yMax"));
        assert!(x_min >= MARGIN - 13.0, "{line}");
        assert!(x_max <= PAGE_WIDTH - MARGIN + 1.0, "{line}");
        assert!(y_max <= PAGE_HEIGHT - 20.0, "{line}");
        words += 1;
    }
    assert!(words > 1000, "only {words} words found");
}

#[test]
fn every_document_of_a_file_starts_on_its_own_page() {
    let short = Document {
        title: "Attestation".to_owned(),
        sender: sender(),
        blocks: vec![Block::paragraph("Une seule ligne.")],
    };
    let pdf = render_documents("Deux documents", &[short.clone(), short]).unwrap();
    let path = write_pdf("two", &pdf);
    assert_eq!(page_count(&path), 2);
}

#[test]
fn right_aligned_text_ends_at_the_right_margin() {
    let document = Document {
        title: "Date".to_owned(),
        sender: sender(),
        blocks: vec![Block::Paragraph {
            spans: vec![Span::plain("Le 22 novembre 2026")],
            align: Align::Right,
        }],
    };
    let pdf = render_documents("Date", &[document]).unwrap();
    let html = run(
        "pdftotext",
        &["-bbox", path_str(&write_pdf("right", &pdf)), "-"],
    );
    let line = html.lines().find(|l| l.contains(">2026<")).unwrap();
    let start = line.find("xMax=\"").unwrap() + 6;
    let x_max: f32 = line[start..start + line[start..].find('"').unwrap()]
        .parse()
        .unwrap();
    assert!((x_max - (PAGE_WIDTH - MARGIN)).abs() < 2.0, "{line}");
}

#[test]
fn no_document_or_no_title_is_an_error() {
    assert_eq!(render_documents("Vide", &[]), Err(PdfError::NoDocuments));
    let untitled = Document {
        title: " ".to_owned(),
        sender: sender(),
        blocks: vec![],
    };
    assert_eq!(
        render_documents("Titre", std::slice::from_ref(&untitled)),
        Err(PdfError::MissingTitle)
    );
    let titled = Document {
        title: "Titre".to_owned(),
        ..untitled
    };
    assert_eq!(render_documents("", &[titled]), Err(PdfError::MissingTitle));
}

#[test]
fn a_long_table_breaks_between_rows_and_tags_its_column_headers() {
    let rows: Vec<Vec<String>> = (1..=80)
        .map(|n| {
            vec![
                format!("Personne numéro {n}"),
                format!("{:02}/01/2000", n % 28 + 1),
                format!("{n:02}"),
            ]
        })
        .collect();
    let document = Document {
        title: "Tableau".to_owned(),
        sender: sender(),
        blocks: vec![Block::Table {
            headers: vec!["Nom".to_owned(), "Naissance".to_owned(), "Rang".to_owned()],
            weights: vec![3, 2, 1],
            rows,
        }],
    };
    let pdf = render_documents("Tableau", &[document]).unwrap();
    let path = write_pdf("table", &pdf);
    assert!(page_count(&path) > 1);
    run("qpdf", &["--check", path_str(&path)]);
    let text = tagged_text(&path);
    for n in [1, 40, 80] {
        assert!(text.contains(&format!("Personne numéro {n}")), "{text}");
    }
    let structure = run("pdfinfo", &["-struct", path_str(&path)]);
    assert!(structure.contains("TH"), "{structure}");
    assert_eq!(
        structure.matches("TR").count(),
        81,
        "a header row and 80 rows"
    );
}
