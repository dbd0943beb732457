//! The funds (*caisses*) a member can belong to, and the code that names each one.
//!
//! [`FUNDS`] is the seed directory of domain.md §7: the 101 CPAM, the CCSS of Lozère, the
//! four overseas CGSS and the CSS of Mayotte. [`CaisseCode`] is the 3-character code used
//! across the portal ("751" for Paris). Its numbering (department + index digit, the
//! overseas department alone) comes from third-party seed data, not from an official
//! table, so it is opaque: never derive anything from its characters, use [`Fund`].
//! This module holds reference data only; which fund a member belongs to lives elsewhere.

use std::fmt;
use std::str::FromStr;

use crate::HolidayZone::{
    self, AlsaceMoselle, Guadeloupe, Guyane, Martinique, Mayotte, Metropole, Reunion,
};

/// The code of one fund of [`FUNDS`], e.g. `"751"` for Paris or `"2A1"` for Corse-du-Sud.
///
/// Only [`CaisseCode::parse`] builds one from outside, and it accepts only codes of the
/// directory, so every `CaisseCode` has a [`Fund`] ([`Fund::by_code`] cannot fail).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaisseCode(
    // Index into FUNDS: it makes the code-to-fund lookup infallible by construction.
    u8,
);

/// Why a string is not the code of a known fund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum CaisseCodeError {
    /// Not three letters or digits.
    #[error("a fund code has 3 characters")]
    BadFormat,
    /// Well formed, but no fund of the directory has this code.
    #[error("no fund has this code")]
    Unknown,
}

impl CaisseCodeError {
    /// Returns the sentence shown to the user, in French.
    pub fn message_fr(&self) -> &'static str {
        match self {
            CaisseCodeError::BadFormat => {
                "Le code de la caisse doit comporter 3 caractères, par exemple 751 pour Paris."
            }
            CaisseCodeError::Unknown => {
                "Aucune caisse d'assurance maladie ne correspond à ce code : vérifiez votre saisie."
            }
        }
    }
}

impl CaisseCode {
    /// Parses a fund code, ignoring surrounding spaces and the case of `2a`/`2b`.
    ///
    /// Returns [`CaisseCodeError::BadFormat`] if it is not 3 ASCII letters or digits, and
    /// [`CaisseCodeError::Unknown`] if no fund of [`FUNDS`] has it.
    pub fn parse(raw: &str) -> Result<CaisseCode, CaisseCodeError> {
        let code = raw.trim().to_ascii_uppercase();
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(CaisseCodeError::BadFormat);
        }
        FUNDS
            .iter()
            .find(|fund| fund.code_str == code)
            .map(|fund| fund.code)
            .ok_or(CaisseCodeError::Unknown)
    }

    /// Returns the code as written in the directory, e.g. `"751"`.
    pub fn as_str(&self) -> &'static str {
        Fund::by_code(self).code_str
    }
}

impl FromStr for CaisseCode {
    type Err = CaisseCodeError;

    /// Same as [`CaisseCode::parse`].
    fn from_str(s: &str) -> Result<CaisseCode, CaisseCodeError> {
        CaisseCode::parse(s)
    }
}

impl fmt::Debug for CaisseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaisseCode({:?})", self.as_str())
    }
}

impl fmt::Display for CaisseCode {
    /// Writes the code, e.g. `751`: a fund code is public, not personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The legal form of a fund, which tells which branches it runs besides health insurance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FundKind {
    /// *Caisse primaire d'assurance maladie*: health insurance only.
    Cpam,
    /// *Caisse commune de sécurité sociale* (Lozère): health, family and collection.
    Ccss,
    /// *Caisse générale de sécurité sociale* (Guadeloupe, Martinique, Guyane, La Réunion):
    /// all branches.
    Cgss,
    /// *Caisse de sécurité sociale* (Mayotte).
    Css,
}

impl FundKind {
    /// Returns the full French name of the kind, e.g. « Caisse primaire d'assurance maladie ».
    pub fn label_fr(self) -> &'static str {
        match self {
            FundKind::Cpam => "Caisse primaire d'assurance maladie",
            FundKind::Ccss => "Caisse commune de sécurité sociale",
            FundKind::Cgss => "Caisse générale de sécurité sociale",
            FundKind::Css => "Caisse de sécurité sociale",
        }
    }
}

/// One fund of the directory. Only [`FUNDS`] holds them, so fields are read through
/// accessors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fund {
    code: CaisseCode,
    code_str: &'static str,
    department: &'static str,
    department_name: &'static str,
    name: &'static str,
    kind: FundKind,
    calendar: HolidayZone,
}

impl Fund {
    /// Returns the fund of a code. Never fails: a [`CaisseCode`] only exists for a fund.
    pub fn by_code(code: &CaisseCode) -> &'static Fund {
        &FUND_ARRAY[usize::from(code.0)]
    }

    /// Returns the funds of a department code (`"59"` has four, most have one, and an
    /// unknown code none), in code order.
    pub fn in_department(department: &str) -> impl Iterator<Item = &'static Fund> + '_ {
        FUNDS
            .iter()
            .filter(move |fund| fund.department == department)
    }

    /// Returns the fund's code.
    pub fn code(&self) -> CaisseCode {
        self.code
    }

    /// Returns the usual French name, e.g. « CPAM de Paris ». Article forms follow usual
    /// usage and may differ slightly from each fund's official name (domain.md §7).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Returns the department code served: `"75"`, `"2A"`, or `"971"` overseas.
    pub fn department(&self) -> &'static str {
        self.department
    }

    /// Returns the French name of the department, e.g. « Seine-Saint-Denis ».
    pub fn department_name(&self) -> &'static str {
        self.department_name
    }

    /// Returns the legal form of the fund.
    pub fn kind(&self) -> FundKind {
        self.kind
    }

    /// Returns the holiday calendar used for this fund's due dates.
    pub fn calendar(&self) -> HolidayZone {
        self.calendar
    }
}

/// Every fund of domain.md §7, ordered by department then code.
pub static FUNDS: &[Fund] = &FUND_ARRAY;

static FUND_ARRAY: [Fund; ROWS.len()] = build_funds();

// CaisseCode stores an index as u8.
const _: () = assert!(ROWS.len() <= u8::MAX as usize);

/// Turns the rows into funds, giving each code its index, at compile time.
const fn build_funds() -> [Fund; ROWS.len()] {
    const EMPTY: Fund = Fund {
        code: CaisseCode(0),
        code_str: "",
        department: "",
        department_name: "",
        name: "",
        kind: FundKind::Cpam,
        calendar: Metropole,
    };
    let mut funds = [EMPTY; ROWS.len()];
    let mut i = 0;
    while i < ROWS.len() {
        let (code_str, department, department_name, name, kind, calendar) = ROWS[i];
        funds[i] = Fund {
            // Cannot truncate: asserted above.
            code: CaisseCode(i as u8),
            code_str,
            department,
            department_name,
            name,
            kind,
            calendar,
        };
        i += 1;
    }
    funds
}

use FundKind::{Ccss, Cgss, Cpam, Css};

/// (code, department, department name, fund name, kind, calendar). Names are copied from
/// domain.md §7; those of 59, 62 and 64 are unconfirmed there. The index digits of the
/// multi-fund departments follow the table's order and are our own choice.
#[rustfmt::skip]
const ROWS: [(&str, &str, &str, &str, FundKind, HolidayZone); 107] = [
    ("011", "01", "Ain", "CPAM de l'Ain", Cpam, Metropole),
    ("021", "02", "Aisne", "CPAM de l'Aisne", Cpam, Metropole),
    ("031", "03", "Allier", "CPAM de l'Allier", Cpam, Metropole),
    ("041", "04", "Alpes-de-Haute-Provence", "CPAM des Alpes-de-Haute-Provence", Cpam, Metropole),
    ("051", "05", "Hautes-Alpes", "CPAM des Hautes-Alpes", Cpam, Metropole),
    ("061", "06", "Alpes-Maritimes", "CPAM des Alpes-Maritimes", Cpam, Metropole),
    ("071", "07", "Ardèche", "CPAM de l'Ardèche", Cpam, Metropole),
    ("081", "08", "Ardennes", "CPAM des Ardennes", Cpam, Metropole),
    ("091", "09", "Ariège", "CPAM de l'Ariège", Cpam, Metropole),
    ("101", "10", "Aube", "CPAM de l'Aube", Cpam, Metropole),
    ("111", "11", "Aude", "CPAM de l'Aude", Cpam, Metropole),
    ("121", "12", "Aveyron", "CPAM de l'Aveyron", Cpam, Metropole),
    ("131", "13", "Bouches-du-Rhône", "CPAM des Bouches-du-Rhône", Cpam, Metropole),
    ("141", "14", "Calvados", "CPAM du Calvados", Cpam, Metropole),
    ("151", "15", "Cantal", "CPAM du Cantal", Cpam, Metropole),
    ("161", "16", "Charente", "CPAM de la Charente", Cpam, Metropole),
    ("171", "17", "Charente-Maritime", "CPAM de la Charente-Maritime", Cpam, Metropole),
    ("181", "18", "Cher", "CPAM du Cher", Cpam, Metropole),
    ("191", "19", "Corrèze", "CPAM de la Corrèze", Cpam, Metropole),
    ("2A1", "2A", "Corse-du-Sud", "CPAM de la Corse-du-Sud", Cpam, Metropole),
    ("2B1", "2B", "Haute-Corse", "CPAM de la Haute-Corse", Cpam, Metropole),
    ("211", "21", "Côte-d'Or", "CPAM de la Côte-d'Or", Cpam, Metropole),
    ("221", "22", "Côtes-d'Armor", "CPAM des Côtes-d'Armor", Cpam, Metropole),
    ("231", "23", "Creuse", "CPAM de la Creuse", Cpam, Metropole),
    ("241", "24", "Dordogne", "CPAM de la Dordogne", Cpam, Metropole),
    ("251", "25", "Doubs", "CPAM du Doubs", Cpam, Metropole),
    ("261", "26", "Drôme", "CPAM de la Drôme", Cpam, Metropole),
    ("271", "27", "Eure", "CPAM de l'Eure", Cpam, Metropole),
    ("281", "28", "Eure-et-Loir", "CPAM d'Eure-et-Loir", Cpam, Metropole),
    ("291", "29", "Finistère", "CPAM du Finistère", Cpam, Metropole),
    ("301", "30", "Gard", "CPAM du Gard", Cpam, Metropole),
    ("311", "31", "Haute-Garonne", "CPAM de la Haute-Garonne", Cpam, Metropole),
    ("321", "32", "Gers", "CPAM du Gers", Cpam, Metropole),
    ("331", "33", "Gironde", "CPAM de la Gironde", Cpam, Metropole),
    ("341", "34", "Hérault", "CPAM de l'Hérault", Cpam, Metropole),
    ("351", "35", "Ille-et-Vilaine", "CPAM d'Ille-et-Vilaine", Cpam, Metropole),
    ("361", "36", "Indre", "CPAM de l'Indre", Cpam, Metropole),
    ("371", "37", "Indre-et-Loire", "CPAM d'Indre-et-Loire", Cpam, Metropole),
    ("381", "38", "Isère", "CPAM de l'Isère", Cpam, Metropole),
    ("391", "39", "Jura", "CPAM du Jura", Cpam, Metropole),
    ("401", "40", "Landes", "CPAM des Landes", Cpam, Metropole),
    ("411", "41", "Loir-et-Cher", "CPAM de Loir-et-Cher", Cpam, Metropole),
    ("421", "42", "Loire", "CPAM de la Loire", Cpam, Metropole),
    ("431", "43", "Haute-Loire", "CPAM de la Haute-Loire", Cpam, Metropole),
    ("441", "44", "Loire-Atlantique", "CPAM de Loire-Atlantique", Cpam, Metropole),
    ("451", "45", "Loiret", "CPAM du Loiret", Cpam, Metropole),
    ("461", "46", "Lot", "CPAM du Lot", Cpam, Metropole),
    ("471", "47", "Lot-et-Garonne", "CPAM de Lot-et-Garonne", Cpam, Metropole),
    ("481", "48", "Lozère", "CCSS de la Lozère", Ccss, Metropole),
    ("491", "49", "Maine-et-Loire", "CPAM de Maine-et-Loire", Cpam, Metropole),
    ("501", "50", "Manche", "CPAM de la Manche", Cpam, Metropole),
    ("511", "51", "Marne", "CPAM de la Marne", Cpam, Metropole),
    ("521", "52", "Haute-Marne", "CPAM de la Haute-Marne", Cpam, Metropole),
    ("531", "53", "Mayenne", "CPAM de la Mayenne", Cpam, Metropole),
    ("541", "54", "Meurthe-et-Moselle", "CPAM de Meurthe-et-Moselle", Cpam, Metropole),
    ("551", "55", "Meuse", "CPAM de la Meuse", Cpam, Metropole),
    ("561", "56", "Morbihan", "CPAM du Morbihan", Cpam, Metropole),
    ("571", "57", "Moselle", "CPAM de la Moselle", Cpam, AlsaceMoselle),
    ("581", "58", "Nièvre", "CPAM de la Nièvre", Cpam, Metropole),
    ("591", "59", "Nord", "CPAM de Lille-Douai", Cpam, Metropole),
    ("592", "59", "Nord", "CPAM de Roubaix-Tourcoing", Cpam, Metropole),
    ("593", "59", "Nord", "CPAM du Hainaut", Cpam, Metropole),
    ("594", "59", "Nord", "CPAM des Flandres", Cpam, Metropole),
    ("601", "60", "Oise", "CPAM de l'Oise", Cpam, Metropole),
    ("611", "61", "Orne", "CPAM de l'Orne", Cpam, Metropole),
    ("621", "62", "Pas-de-Calais", "CPAM de l'Artois", Cpam, Metropole),
    ("622", "62", "Pas-de-Calais", "CPAM de la Côte d'Opale", Cpam, Metropole),
    ("631", "63", "Puy-de-Dôme", "CPAM du Puy-de-Dôme", Cpam, Metropole),
    ("641", "64", "Pyrénées-Atlantiques", "CPAM de Bayonne", Cpam, Metropole),
    ("642", "64", "Pyrénées-Atlantiques", "CPAM de Pau-Pyrénées", Cpam, Metropole),
    ("651", "65", "Hautes-Pyrénées", "CPAM des Hautes-Pyrénées", Cpam, Metropole),
    ("661", "66", "Pyrénées-Orientales", "CPAM des Pyrénées-Orientales", Cpam, Metropole),
    ("671", "67", "Bas-Rhin", "CPAM du Bas-Rhin", Cpam, AlsaceMoselle),
    ("681", "68", "Haut-Rhin", "CPAM du Haut-Rhin", Cpam, AlsaceMoselle),
    ("691", "69", "Rhône", "CPAM du Rhône", Cpam, Metropole),
    ("701", "70", "Haute-Saône", "CPAM de la Haute-Saône", Cpam, Metropole),
    ("711", "71", "Saône-et-Loire", "CPAM de Saône-et-Loire", Cpam, Metropole),
    ("721", "72", "Sarthe", "CPAM de la Sarthe", Cpam, Metropole),
    ("731", "73", "Savoie", "CPAM de la Savoie", Cpam, Metropole),
    ("741", "74", "Haute-Savoie", "CPAM de la Haute-Savoie", Cpam, Metropole),
    ("751", "75", "Paris", "CPAM de Paris", Cpam, Metropole),
    ("761", "76", "Seine-Maritime", "CPAM de Rouen-Elbeuf-Dieppe-Seine-Maritime", Cpam, Metropole),
    ("762", "76", "Seine-Maritime", "CPAM du Havre", Cpam, Metropole),
    ("771", "77", "Seine-et-Marne", "CPAM de Seine-et-Marne", Cpam, Metropole),
    ("781", "78", "Yvelines", "CPAM des Yvelines", Cpam, Metropole),
    ("791", "79", "Deux-Sèvres", "CPAM des Deux-Sèvres", Cpam, Metropole),
    ("801", "80", "Somme", "CPAM de la Somme", Cpam, Metropole),
    ("811", "81", "Tarn", "CPAM du Tarn", Cpam, Metropole),
    ("821", "82", "Tarn-et-Garonne", "CPAM de Tarn-et-Garonne", Cpam, Metropole),
    ("831", "83", "Var", "CPAM du Var", Cpam, Metropole),
    ("841", "84", "Vaucluse", "CPAM de Vaucluse", Cpam, Metropole),
    ("851", "85", "Vendée", "CPAM de la Vendée", Cpam, Metropole),
    ("861", "86", "Vienne", "CPAM de la Vienne", Cpam, Metropole),
    ("871", "87", "Haute-Vienne", "CPAM de la Haute-Vienne", Cpam, Metropole),
    ("881", "88", "Vosges", "CPAM des Vosges", Cpam, Metropole),
    ("891", "89", "Yonne", "CPAM de l'Yonne", Cpam, Metropole),
    ("901", "90", "Territoire de Belfort", "CPAM du Territoire de Belfort", Cpam, Metropole),
    ("911", "91", "Essonne", "CPAM de l'Essonne", Cpam, Metropole),
    ("921", "92", "Hauts-de-Seine", "CPAM des Hauts-de-Seine", Cpam, Metropole),
    ("931", "93", "Seine-Saint-Denis", "CPAM de la Seine-Saint-Denis", Cpam, Metropole),
    ("941", "94", "Val-de-Marne", "CPAM du Val-de-Marne", Cpam, Metropole),
    ("951", "95", "Val-d'Oise", "CPAM du Val-d'Oise", Cpam, Metropole),
    ("971", "971", "Guadeloupe", "CGSS de la Guadeloupe", Cgss, Guadeloupe),
    ("972", "972", "Martinique", "CGSS de la Martinique", Cgss, Martinique),
    ("973", "973", "Guyane", "CGSS de la Guyane", Cgss, Guyane),
    ("974", "974", "La Réunion", "CGSS de La Réunion", Cgss, Reunion),
    ("976", "976", "Mayotte", "CSS de Mayotte", Css, Mayotte),
];

#[cfg(test)]
mod tests;
