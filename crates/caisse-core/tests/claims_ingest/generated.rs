//! A lot of 200,000 sheets made on the fly by an `impl Read`: the reader must stream it
//! (the whole file would be about 70 MB; nothing here holds more than one line).

use std::io::{BufReader, Read};

use caisse_core::claims::ingest::{Format, validate_whole};

const SHEETS: u32 = 200_000;

/// Writes the header, then sheet after sheet, one line (or one sheet's rows) at a time.
struct Generator {
    format: Format,
    next_sheet: u32,
    line: Vec<u8>,
    at: usize,
}

impl Generator {
    fn new(format: Format) -> Generator {
        let line = match format {
            Format::JsonLines => {
                br#"{"lot": {"type_emetteur": "finess", "emetteur": "2A0000123", "numero_lot": 7}}"#
                    .to_vec()
            }
            Format::Csv => b"type_emetteur,emetteur,numero_lot,numero_feuille,nir,rang,type_professionnel,professionnel,type_prescripteur,prescripteur,date_soins,tiers_payant,part_complementaire,parcours,code_acte,quantite,coefficient,montant_cents,ald,at_mp".to_vec(),
        };
        let mut line = line;
        line.push(b'\n');
        Generator {
            format,
            next_sheet: 1,
            line,
            at: 0,
        }
    }

    fn refill(&mut self) -> bool {
        if self.next_sheet > SHEETS {
            return false;
        }
        let n = self.next_sheet;
        self.next_sheet += 1;
        let rank = n % 99 + 1;
        self.line = match self.format {
            Format::JsonLines => format!(
                r#"{{"numero_feuille": {n}, "nir": "185057800608491", "rang": {rank}, "type_professionnel": "rpps", "professionnel": "10003456789", "date_soins": "2025-01-02", "tiers_payant": true, "part_complementaire": false, "parcours": "urgence", "actes": [{{"code_acte": "G", "quantite": 1, "coefficient": 1, "montant_cents": 3000, "ald": false, "at_mp": false}}, {{"code_acte": "MU", "quantite": 1, "coefficient": 1, "montant_cents": {n}, "ald": false, "at_mp": true}}]}}"#
            ) + "\n",
            Format::Csv => {
                let row = |code: &str, cents: u32| {
                    format!("finess,2A0000123,7,{n},185057800608491,{rank},rpps,10003456789,,,2025-01-02,oui,non,urgence,{code},1,1,{cents},non,oui\n")
                };
                row("G", 3000) + &row("MU", n)
            }
        }
        .into_bytes();
        self.at = 0;
        true
    }
}

impl Read for Generator {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.line.len() && !self.refill() {
            return Ok(0);
        }
        let n = out.len().min(self.line.len() - self.at);
        out[..n].copy_from_slice(&self.line[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn stream(format: Format) {
    let summary = validate_whole(BufReader::new(Generator::new(format)), None).unwrap();
    assert_eq!(summary.format, format);
    assert_eq!(summary.sheets, u64::from(SHEETS));
    assert_eq!(summary.care_lines, 2 * u64::from(SHEETS));
    let sum_of_numbers = u64::from(SHEETS) * (u64::from(SHEETS) + 1) / 2;
    let charged = 3000 * u64::from(SHEETS) + sum_of_numbers;
    assert_eq!(summary.charged.cents(), i64::try_from(charged).unwrap());
}

#[test]
fn a_json_lot_of_200_000_sheets_streams() {
    stream(Format::JsonLines);
}

#[test]
fn a_csv_lot_of_200_000_sheets_streams() {
    stream(Format::Csv);
}
