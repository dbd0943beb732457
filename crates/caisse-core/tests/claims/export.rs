//! The day's SEPA file through the engine on the database: sheets imported and liquidated,
//! payments made (to members, to the professional in tiers payant, and one of 0 wholly
//! withheld for a debt), the day exported, validated against the official schema, its totals
//! equal to the payments', the payments marked exported; a second export writes the same
//! transfers again, and a day without transfers writes nothing.

use std::path::PathBuf;
use std::process::Command;

use caisse_core::claims::export::export_day;
use caisse_core::claims::import::ImportOutcome;
use caisse_core::claims::liquidation::liquidate_batch;
use caisse_core::claims::payments::make_payments;
use caisse_core::claims::sepa::Debtor;
use caisse_domain::{Bic, CaisseCode, Iban};
use caisse_store::claims::payments;
use time::macros::{date, datetime};

use super::engine::{FUND, NOW, covered_member, g, header, import, sheet_line, world};

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/pain.001.001.09.xsd"
);

fn debtor() -> Debtor {
    Debtor {
        name: "CPAM des Yvelines".to_owned(),
        iban: Iban::parse("FR7630006000011234567890189").unwrap(),
        bic: Bic::parse("BDFEFRPPCCT").unwrap(),
    }
}

/// Runs `xmllint --noout --schema` on `file` (see `tests/sepa.rs`).
fn assert_valid(file: &std::path::Path) {
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(SCHEMA)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `xmllint` ({e}): install it with `apt-get install -y libxml2-utils`")
        });
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && said.contains("validates"),
        "{} does not validate: {said}",
        file.display()
    );
}

/// The text of every `<tag>…</tag>` of `xml`, in order.
fn all<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    xml.split(open.as_str())
        .skip(1)
        .map(|rest| rest.split(close.as_str()).next().unwrap())
        .collect()
}

/// `17.00` → 1700.
fn cents(decimal: &str) -> i64 {
    let (euros, cents) = decimal.split_once('.').unwrap();
    assert_eq!(cents.len(), 2, "{decimal}");
    euros.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

fn act(code: &str, charged: i64) -> String {
    format!(
        r#"{{"code_acte": "{code}", "quantite": 1, "coefficient": 1, "montant_cents": {charged}, "ald": false, "at_mp": false}}"#
    )
}

#[tokio::test]
async fn the_days_payments_are_exported_as_a_valid_sepa_file_and_marked() {
    let w = world().await;
    let (a, _) = covered_member(&w, true).await;
    let (b, _) = covered_member(&w, true).await;
    let (c, _) = covered_member(&w, true).await;
    let (a, b, c) = (a.as_str(), b.as_str(), c.as_str());
    let lot = [
        header(20),
        // A: tiers payant (21.00 € to the professional, a 2.00 € debt), then 19.00 € less
        // the debt: 17.00 €.
        sheet_line(1, a, 1, "2025-05-19", true, &g(3000)),
        sheet_line(2, a, 1, "2025-05-20", false, &g(3000)),
        // B: two consultations, 19.00 € each, one payment of 38.00 €.
        sheet_line(3, b, 1, "2025-05-19", false, &g(3000)),
        sheet_line(4, b, 1, "2025-05-21", false, &g(3000)),
        // C: tiers payant (a 2.00 € debt), then a box of medicine paying 0.50 €, wholly
        // withheld: a payment of 0, which is not a transfer.
        sheet_line(5, c, 1, "2025-05-19", true, &g(3000)),
        sheet_line(6, c, 1, "2025-05-20", false, &act("PH4", 500)),
    ]
    .join("\n");
    let ImportOutcome::Accepted(ack) = import(&w, &lot).await else {
        panic!("the lot was not accepted");
    };
    assert_eq!(ack.sheets_accepted, 6);
    while liquidate_batch(&w.t.db, &w.tables, 100, NOW)
        .await
        .unwrap()
        .sheets()
        > 0
    {}
    let day = date!(2025 - 06 - 02);
    make_payments(&w.t.db, day, NOW).await.unwrap();
    let caisse = CaisseCode::parse(FUND).unwrap();
    let made = payments::of_day(&w.t.db, caisse, day).await.unwrap();
    let mut amounts: Vec<i64> = made.iter().map(|p| p.amount.cents()).collect();
    amounts.sort_unstable();
    // A's, the professional's (A's and C's tiers payant), B's, and C's of 0.
    assert_eq!(amounts, vec![0, 1700, 3800, 4200]);
    let transfers: Vec<_> = made.iter().filter(|p| p.amount.cents() > 0).collect();
    let sum: i64 = transfers.iter().map(|p| p.amount.cents()).sum();

    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("caisse-export-day.xml");
    let file = std::fs::File::create(&path).unwrap();
    let at = datetime!(2025-06-02 18:00 UTC);
    let summary = export_day(&w.t.db, caisse, day, &debtor(), file, at)
        .await
        .unwrap();
    assert_eq!(summary.transfers, 3);
    assert_eq!(summary.sum.cents(), sum);
    assert_eq!(summary.already_exported, 0);
    assert_eq!(
        summary.message_id.as_deref(),
        Some("781-20250602-20250602180000")
    );
    assert_valid(&path);

    let xml = std::fs::read_to_string(&path).unwrap();
    assert_eq!(all(&xml, "NbOfTxs"), vec!["3", "3"]);
    for control in all(&xml, "CtrlSum") {
        assert_eq!(cents(control), sum);
    }
    let mut written: Vec<i64> = all(&xml, "CdtTrfTxInf")
        .iter()
        .map(|t| {
            cents(
                t.split("<InstdAmt Ccy=\"EUR\">")
                    .nth(1)
                    .unwrap()
                    .split('<')
                    .next()
                    .unwrap(),
            )
        })
        .collect();
    written.sort_unstable();
    assert_eq!(written, vec![1700, 3800, 4200]);
    let mut ids: Vec<String> = all(&xml, "EndToEndId")
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    ids.sort();
    let mut expected: Vec<String> = transfers
        .iter()
        .map(|p| p.id.simple().to_string())
        .collect();
    expected.sort();
    assert_eq!(ids, expected);
    let remittances = all(&xml, "Ustrd");
    assert_eq!(
        remittances
            .iter()
            .filter(|r| **r == "Remboursement Assurance Maladie du 02/06/2025")
            .count(),
        2
    );
    assert_eq!(
        remittances
            .iter()
            .filter(|r| **r == "Tiers payant Assurance Maladie du 02/06/2025")
            .count(),
        1
    );
    assert!(xml.contains("<Nm>Dr Anne MARTIN</Nm>"), "{xml}");

    let after = payments::of_day(&w.t.db, caisse, day).await.unwrap();
    for p in &after {
        assert_eq!(
            p.exported_at.is_some(),
            p.amount.cents() > 0,
            "{p:?}: only transfers are marked exported"
        );
    }

    // Again: the same transfers, under a message id of its own; nothing newly marked.
    let mut again = Vec::new();
    let later = datetime!(2025-06-02 18:05 UTC);
    let second = export_day(&w.t.db, caisse, day, &debtor(), &mut again, later)
        .await
        .unwrap();
    assert_eq!((second.transfers, second.already_exported), (3, 3));
    assert_eq!(second.sum, summary.sum);
    let again = String::from_utf8(again).unwrap();
    assert_eq!(all(&again, "CdtTrfTxInf"), all(&xml, "CdtTrfTxInf"));
    assert_ne!(all(&again, "MsgId"), all(&xml, "MsgId"));
    let marked: Vec<_> = payments::of_day(&w.t.db, caisse, day)
        .await
        .unwrap()
        .iter()
        .map(|p| p.exported_at)
        .collect();
    assert_eq!(
        marked,
        after.iter().map(|p| p.exported_at).collect::<Vec<_>>()
    );

    // A day without transfers: nothing written.
    let mut nothing = Vec::new();
    let empty = export_day(
        &w.t.db,
        caisse,
        date!(2025 - 06 - 03),
        &debtor(),
        &mut nothing,
        later,
    )
    .await
    .unwrap();
    assert_eq!(empty.transfers, 0);
    assert_eq!(empty.message_id, None);
    assert!(nothing.is_empty());
}
