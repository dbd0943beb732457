//! The writer's refusals and the text it writes; `tests/sepa.rs` validates whole files
//! against the ISO 20022 schema.

use caisse_domain::{AmountCents, Bic, Iban};
use time::macros::{date, datetime};

use super::*;

fn header() -> FileHeader {
    FileHeader {
        message_id: "CPAM-751-2026-12-07".to_owned(),
        created_at: datetime!(2026-12-05 10:21:28 +01:00),
        execution_date: date!(2026 - 12 - 07),
        debtor: Debtor {
            name: "CPAM de Paris".to_owned(),
            iban: Iban::parse("FR7630006000011234567890189").unwrap(),
            bic: Bic::parse("BDFEFRPPCCT").unwrap(),
        },
    }
}

fn transfer(id: &str, cents: i64) -> CreditTransfer {
    CreditTransfer {
        end_to_end_id: id.to_owned(),
        creditor_name: "Hélène Lefèvre".to_owned(),
        creditor_iban: Iban::parse("DE89 3704 0044 0532 0130 00").unwrap(),
        amount: AmountCents::new(cents),
        remittance: "Remboursement soins du 02/12/2026".to_owned(),
    }
}

fn file(transfers: Vec<CreditTransfer>) -> TransferFile {
    TransferFile {
        header: header(),
        transfers,
    }
}

fn written(file: &TransferFile) -> Result<String, SepaError> {
    let mut out = Vec::new();
    write_pain_001_001_09(file, &mut out)?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn the_header_carries_count_sum_and_dates() {
    let xml = written(&file(vec![
        transfer("E2E-1", 1),
        transfer("E2E-2", 123_456_789),
    ]))
    .unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">"));
    assert_eq!(xml.matches("<NbOfTxs>2</NbOfTxs>").count(), 2);
    assert_eq!(xml.matches("<CtrlSum>1234567.90</CtrlSum>").count(), 2);
    assert!(xml.contains("<CreDtTm>2026-12-05T09:21:28Z</CreDtTm>"));
    assert!(xml.contains("<Dt>2026-12-07</Dt>"));
    assert!(xml.contains("<PmtInfId>CPAM-751-2026-12-07</PmtInfId>"));
    assert!(xml.contains("<IBAN>FR7630006000011234567890189</IBAN>"));
    assert!(xml.contains("<BICFI>BDFEFRPPCCT</BICFI>"));
    assert!(xml.contains("<InstdAmt Ccy=\"EUR\">0.01</InstdAmt>"));
    assert!(xml.contains("<InstdAmt Ccy=\"EUR\">1234567.89</InstdAmt>"));
    assert!(xml.contains("<Nm>Helene Lefevre</Nm>"));
    assert!(xml.contains("<Ustrd>Remboursement soins du 02/12/2026</Ustrd>"));
    assert!(xml.ends_with("</CdtTrfTxInf>\n    </PmtInf>\n  </CstmrCdtTrfInitn>\n</Document>\n"));
}

#[test]
fn names_are_transliterated_and_cut() {
    let mut long = transfer("E2E-1", 100);
    long.creditor_name = format!("Société & fils <{}>", "é".repeat(100));
    long.remittance = "  ".to_owned();
    let mut header_file = file(vec![long]);
    header_file.header.debtor.name = "Caisse primaire d'assurance maladie de l'Hérault".to_owned();
    let xml = written(&header_file).unwrap();
    let name = format!("Societe + fils .{}", "e".repeat(54));
    assert_eq!(name.len(), MAX_NAME_CHARS);
    assert!(xml.contains(&format!("<Nm>{name}</Nm>")), "{xml}");
    assert!(xml.contains("<Nm>Caisse primaire d'assurance maladie de l'Herault</Nm>"));
    // An empty remittance is left out, as the schema wants at least one character.
    assert!(!xml.contains("RmtInf"));
}

#[test]
fn a_file_without_transfers_is_refused() {
    assert!(matches!(written(&file(Vec::new())), Err(SepaError::Empty)));
    assert_eq!(
        SepaError::Empty.message_fr(),
        "Le fichier de virements ne compte aucun virement."
    );
}

#[test]
fn a_bad_transfer_is_named_and_nothing_is_written() {
    let cases = [
        (transfer("E2E-2", 0), TransferProblem::NonPositiveAmount),
        (
            transfer("E2E-2", -1_500),
            TransferProblem::NonPositiveAmount,
        ),
        (
            transfer("E2E-2", MAX_TRANSFER.cents() + 1),
            TransferProblem::AmountTooLarge,
        ),
        (
            transfer(&"X".repeat(36), 100),
            TransferProblem::EndToEndId(IdProblem::TooLong),
        ),
        (
            transfer("", 100),
            TransferProblem::EndToEndId(IdProblem::Empty),
        ),
        (
            transfer("Réf 2", 100),
            TransferProblem::EndToEndId(IdProblem::Character),
        ),
        (
            transfer("E2E//2", 100),
            TransferProblem::EndToEndId(IdProblem::Slash),
        ),
        (
            CreditTransfer {
                creditor_name: " \t ".to_owned(),
                ..transfer("E2E-2", 100)
            },
            TransferProblem::EmptyCreditorName,
        ),
        (
            CreditTransfer {
                remittance: "é".repeat(141),
                ..transfer("E2E-2", 100)
            },
            TransferProblem::RemittanceTooLong,
        ),
        (
            CreditTransfer {
                remittance: format!("{} x", "a".repeat(140)),
                ..transfer("E2E-2", 100)
            },
            TransferProblem::RemittanceTooLong,
        ),
    ];
    for (bad, expected) in cases {
        let mut out = Vec::new();
        let result = write_pain_001_001_09(&file(vec![transfer("E2E-1", 100), bad]), &mut out);
        match result {
            Err(SepaError::Transfer { index: 1, problem }) => {
                assert_eq!(problem, expected);
            }
            other => panic!("{expected:?}: {other:?}"),
        }
        assert!(out.is_empty(), "{expected:?}: nothing written");
    }
    let error = SepaError::Transfer {
        index: 1,
        problem: TransferProblem::EndToEndId(IdProblem::TooLong),
    };
    assert_eq!(
        error.message_fr(),
        "Virement n° 2 du fichier : sa référence de bout en bout est refusée : il dépasse 35 \
         caractères."
    );
    let remittance = CreditTransfer {
        remittance: "a".repeat(140),
        ..transfer("E2E-1", 100)
    };
    assert!(written(&file(vec![remittance])).is_ok());
}

#[test]
fn a_bad_header_is_refused() {
    let mut long_id = file(vec![transfer("E2E-1", 100)]);
    long_id.header.message_id = "M".repeat(36);
    assert!(matches!(
        written(&long_id),
        Err(SepaError::MessageId(IdProblem::TooLong))
    ));
    let mut accented = file(vec![transfer("E2E-1", 100)]);
    accented.header.message_id = "Fichier-été".to_owned();
    let error = written(&accented).unwrap_err();
    assert!(matches!(error, SepaError::MessageId(IdProblem::Character)));
    assert!(error.message_fr().starts_with(
        "La référence du fichier de virements est refusée : il contient un caractère interdit"
    ));
    let mut nameless = file(vec![transfer("E2E-1", 100)]);
    nameless.header.debtor.name = String::new();
    assert!(matches!(
        written(&nameless),
        Err(SepaError::EmptyDebtorName)
    ));
}

#[test]
fn the_streaming_writer_checks_the_declared_totals() {
    let declared = Totals {
        count: 2,
        sum: AmountCents::new(300),
    };
    // Fewer transfers than declared.
    let mut writer = Pain001Writer::start(Vec::new(), &header(), declared).unwrap();
    writer.write_transfer(&transfer("E2E-1", 100)).unwrap();
    assert!(matches!(
        writer.finish(),
        Err(SepaError::TotalsMismatch { written, .. }) if written.count == 1
    ));
    // The right count, the wrong sum.
    let mut writer = Pain001Writer::start(Vec::new(), &header(), declared).unwrap();
    writer.write_transfer(&transfer("E2E-1", 100)).unwrap();
    writer.write_transfer(&transfer("E2E-2", 100)).unwrap();
    let error = writer.finish().unwrap_err();
    assert_eq!(
        error.message_fr(),
        "Les virements écrits (2 pour 200 centimes) ne correspondent pas au total annoncé \
         (2 pour 300 centimes) : le fichier est inutilisable."
    );
    // One more than declared is refused at once.
    let mut writer = Pain001Writer::start(Vec::new(), &header(), declared).unwrap();
    writer.write_transfer(&transfer("E2E-1", 100)).unwrap();
    writer.write_transfer(&transfer("E2E-2", 200)).unwrap();
    assert!(matches!(
        writer.write_transfer(&transfer("E2E-3", 100)),
        Err(SepaError::TotalsMismatch { .. })
    ));
    // Totals that no file may declare.
    for (totals, expected) in [
        (Totals::default(), "Empty"),
        (
            Totals {
                count: 1,
                sum: AmountCents::new(0),
            },
            "NonPositiveControlSum",
        ),
        (
            Totals {
                count: 1,
                sum: AmountCents::new(i64::MAX),
            },
            "ControlSumTooLarge",
        ),
        (
            Totals {
                count: 1_000_000_000_000_000,
                sum: AmountCents::new(100),
            },
            "TooManyTransfers",
        ),
    ] {
        let error = Pain001Writer::start(Vec::new(), &header(), totals).unwrap_err();
        assert!(format!("{error:?}").starts_with(expected), "{error:?}");
    }
}

#[test]
fn totals_refuse_an_overflowing_sum() {
    let mut totals = Totals::default();
    totals.add(MAX_CONTROL_SUM).unwrap();
    assert!(matches!(
        totals.add(AmountCents::new(1)),
        Err(SepaError::ControlSumTooLarge)
    ));
    assert_eq!(totals.count, 1);
}

#[test]
fn the_debug_of_a_transfer_hides_the_payee() {
    let shown = format!("{:?}", transfer("E2E-1", 100));
    assert!(!shown.contains("Lef"), "{shown}");
    assert!(!shown.contains("Remboursement"), "{shown}");
    assert!(shown.contains("E2E-1"), "{shown}");
}
