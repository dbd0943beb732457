//! SEPA credit-transfer files validated against the official ISO 20022 schema
//! (`tests/data/pain.001.001.09.xsd`, see `tests/data/README.md`) by a real validator,
//! `xmllint` from Debian's libxml2-utils: files the writer makes pass, and documents broken
//! on purpose fail, so that the check can fail.

use std::path::{Path, PathBuf};
use std::process::Command;

use caisse_core::claims::sepa::{
    CreditTransfer, Debtor, FileHeader, Pain001Writer, Totals, TransferFile, write_pain_001_001_09,
};
use caisse_domain::{AmountCents, Bic, Iban};
use time::macros::{date, datetime};

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/pain.001.001.09.xsd"
);

/// Writes `xml` to `caisse-sepa-{name}.xml` under cargo's temporary directory.
fn scratch(name: &str, xml: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("caisse-sepa-{name}.xml"));
    std::fs::write(&path, xml).unwrap();
    path
}

/// Runs `xmllint --noout --schema` on `file`: whether it validates, and what it said.
fn xmllint(file: &Path) -> (bool, String) {
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(SCHEMA)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `xmllint` ({e}): install it with `apt-get install -y libxml2-utils` \
                 (scripts/test-all does when run as root)"
            )
        });
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}

fn assert_valid(name: &str, xml: &[u8]) {
    let path = scratch(name, xml);
    let (valid, said) = xmllint(&path);
    assert!(
        valid && said.contains("validates"),
        "{} does not validate: {said}",
        path.display()
    );
}

/// Asserts that the schema refuses `xml`, saying something about `element`.
fn assert_invalid(name: &str, xml: &str, element: &str) {
    let path = scratch(name, xml.as_bytes());
    let (valid, said) = xmllint(&path);
    assert!(
        !valid,
        "{} validates but should not: {said}",
        path.display()
    );
    assert!(
        said.contains(element),
        "{}: xmllint does not name {element}: {said}",
        path.display()
    );
}

fn header() -> FileHeader {
    FileHeader {
        message_id: "CPAM-751-2026-12-07-01".to_owned(),
        created_at: datetime!(2026-12-05 18:30:00 +01:00),
        execution_date: date!(2026 - 12 - 07),
        debtor: Debtor {
            name: "Caisse primaire d'assurance maladie de Paris".to_owned(),
            iban: Iban::parse("FR76 3000 6000 0112 3456 7890 189").unwrap(),
            bic: Bic::parse("BDFEFRPPCCT").unwrap(),
        },
    }
}

fn transfer(id: &str, name: &str, iban: &str, cents: i64, remittance: &str) -> CreditTransfer {
    CreditTransfer {
        end_to_end_id: id.to_owned(),
        creditor_name: name.to_owned(),
        creditor_iban: Iban::parse(iban).unwrap(),
        amount: AmountCents::new(cents),
        remittance: remittance.to_owned(),
    }
}

fn several() -> TransferFile {
    TransferFile {
        header: header(),
        transfers: vec![
            transfer(
                "RBT-2026-000001",
                "Hélène Lefèvre-Ça Œuvre",
                "FR7630006000011234567890189",
                1,
                "Remboursement soins du 02/12/2026",
            ),
            transfer(
                "RBT-2026-000002",
                "Dupont & Fils <SARL> \"pharmacie\"",
                "DE89 3704 0044 0532 0130 00",
                1_900,
                "Tiers payant & franchises <décembre>",
            ),
            transfer(
                "RBT-2026-000003",
                &format!("Jürgen Weiß {}", "très long nom ".repeat(10)),
                "BE68 5390 0754 7034",
                123_456_789,
                "",
            ),
            transfer(
                "RBT/2026:(4)?+,.'",
                "李 Wei  \t D’Aubigné",
                "MC58 1122 2000 0101 2345 6789 030",
                99_999_999_999,
                &"é".repeat(140),
            ),
        ],
    }
}

fn several_written() -> String {
    let mut xml = Vec::new();
    write_pain_001_001_09(&several(), &mut xml).unwrap();
    String::from_utf8(xml).unwrap()
}

#[test]
fn a_file_of_several_transfers_validates() {
    let xml = several_written();
    assert!(xml.contains("<Nm>Helene Lefevre-Ca OEuvre</Nm>"), "{xml}");
    assert!(
        xml.contains("<Nm>Dupont + Fils .SARL. .pharmacie.</Nm>"),
        "{xml}"
    );
    assert!(
        xml.contains("<Ustrd>Tiers payant + franchises .decembre.</Ustrd>"),
        "{xml}"
    );
    assert!(xml.contains("<Nm>. Wei D'Aubigne</Nm>"), "{xml}");
    assert!(xml.contains("<CtrlSum>1001234586.89</CtrlSum>"), "{xml}");
    assert_valid("several", xml.as_bytes());
}

#[test]
fn a_streamed_file_validates() {
    let count = 2_000u64;
    let transfers = (0..count).map(|i| {
        transfer(
            &format!("RBT-{i:010}"),
            "Zoë Noël",
            "FR7630006000011234567890189",
            i64::try_from(i % 50_000).unwrap() + 1,
            &format!("Décompte n° {i}"),
        )
    });
    let mut totals = Totals::default();
    for t in transfers.clone() {
        totals.add(t.amount).unwrap();
    }
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("caisse-sepa-streamed.xml");
    let file = std::fs::File::create(&path).unwrap();
    let mut writer = Pain001Writer::start(file, &header(), totals).unwrap();
    for t in transfers {
        writer.write_transfer(&t).unwrap();
    }
    writer.finish().unwrap();
    let (valid, said) = xmllint(&path);
    assert!(valid, "{said}");
}

#[test]
fn broken_documents_are_refused_by_the_schema() {
    let xml = several_written();
    let start = xml.find("<GrpHdr>").unwrap();
    let end = xml.find("</GrpHdr>").unwrap() + "</GrpHdr>".len();
    let without_header = format!("{}{}", &xml[..start], &xml[end..]);
    assert_invalid("no-group-header", &without_header, "PmtInf");

    let negative = xml.replacen(">0.01</InstdAmt>", ">-0.01</InstdAmt>", 1);
    assert_ne!(negative, xml);
    assert_invalid("negative-amount", &negative, "InstdAmt");

    let long_id = xml.replacen("RBT-2026-000001", &"R".repeat(36), 1);
    assert_invalid("long-end-to-end-id", &long_id, "EndToEndId");

    let bad_bic = xml.replacen("BDFEFRPPCCT", "BDFE12PP", 1);
    assert_invalid("bad-bic", &bad_bic, "BICFI");

    let no_currency = xml.replacen(" Ccy=\"EUR\"", "", 1);
    assert_invalid("no-currency", &no_currency, "Ccy");
}

/// The schema admits up to five decimals (`fractionDigits` 5): two decimals, as the EPC rules
/// require, are the writer's own doing (integer cents), checked by its unit tests.
#[test]
fn the_schema_alone_admits_three_decimals() {
    let xml = several_written().replacen(">19.00</InstdAmt>", ">19.005</InstdAmt>", 1);
    assert!(xml.contains("19.005"));
    assert_valid("three-decimals", xml.as_bytes());
}

/// Counts the bytes written and keeps none of them.
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A big day goes through the streaming writer, transfers made one at a time and bytes
/// counted, never held (a million take 10 s here unoptimised, in under 3 MB of memory).
#[test]
fn a_hundred_thousand_transfers_stream_through() {
    let count = 100_000u64;
    let iban = Iban::parse("FR7630006000011234567890189").unwrap();
    let make = |i: u64| CreditTransfer {
        end_to_end_id: format!("RBT-{i:010}"),
        creditor_name: "Zoë Noël".to_owned(),
        creditor_iban: iban.clone(),
        amount: AmountCents::new(2_650),
        remittance: "Remboursement de soins".to_owned(),
    };
    let totals = Totals {
        count,
        sum: AmountCents::new(2_650 * 100_000),
    };
    let mut writer = Pain001Writer::start(Counter(0), &header(), totals).unwrap();
    for i in 0..count {
        writer.write_transfer(&make(i)).unwrap();
    }
    let Counter(bytes) = writer.finish().unwrap();
    assert!(bytes > count * 400, "{bytes} bytes");
}
