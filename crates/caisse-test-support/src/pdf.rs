//! Reading a PDF back in a test, with the command-line tools of poppler-utils and qpdf
//! (`scripts/test-all` installs them).

use std::path::Path;
use std::process::Command;

fn run(tool: &str, args: &[&str], file: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(file)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[] })
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{tool}` ({e}): install poppler-utils and qpdf"));
    assert!(
        output.status.success(),
        "`{tool}` refused the PDF: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Checks `pdf` with `qpdf --check` and returns its text as `pdftotext` reads it, each run of
/// white space (no-break spaces included) made one space.
///
/// # Panics
/// When a tool is missing, or the file is not a valid PDF: the test fails.
pub fn checked_text(pdf: &[u8]) -> String {
    let file = std::env::temp_dir().join(format!("caisse-test-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&file, pdf).expect("write the PDF to the temporary directory");
    let check = run("qpdf", &["--check"], &file);
    let text = run("pdftotext", &["-enc", "UTF-8"], &file);
    let _ = std::fs::remove_file(&file);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    text.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
