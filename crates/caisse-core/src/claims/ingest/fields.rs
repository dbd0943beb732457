//! The fields of a lot, shared by both formats: a JSON value or a CSV cell comes in as a
//! [`Raw`], goes out as a domain value or a located error. The field names are the same in
//! JSON and CSV (`docs/claims-format.md`).

use caisse_domain::claims::{
    ActCode, CareLine, Coefficient, Parcours, ProfessionalId, ProfessionalIdError, Quantity,
};
use caisse_domain::{AmountCents, Nir};
use time::Date;

use super::LotHeader;
use super::error::{IngestError, IngestErrorKind};

/// The lot header's fields.
pub(super) const LOT_FIELDS: [&str; 3] = ["type_emetteur", "emetteur", "numero_lot"];
/// A sheet's own fields (a JSON sheet also has `actes`).
pub(super) const SHEET_FIELDS: [&str; 11] = [
    "numero_feuille",
    "nir",
    "rang",
    "type_professionnel",
    "professionnel",
    "type_prescripteur",
    "prescripteur",
    "date_soins",
    "tiers_payant",
    "part_complementaire",
    "parcours",
];
/// A care line's fields.
pub(super) const LINE_FIELDS: [&str; 6] = [
    "code_acte",
    "quantite",
    "coefficient",
    "montant_cents",
    "ald",
    "at_mp",
];

/// A value as read, before its rule: JSON keeps its types, a CSV cell is text.
#[derive(Clone, Copy, Debug)]
pub(super) enum Raw<'a> {
    /// Absent, `null` or an empty cell.
    Missing,
    /// A string or a CSV cell (trimmed).
    Text(&'a str),
    /// A JSON boolean.
    Bool(bool),
    /// A JSON number, as written.
    Number(&'a serde_json::Number),
    /// A JSON array or object where a plain value is expected.
    Other,
}

impl<'a> Raw<'a> {
    /// A CSV cell: empty is missing.
    pub(super) fn cell(text: &'a str) -> Raw<'a> {
        match text.trim() {
            "" => Raw::Missing,
            text => Raw::Text(text),
        }
    }

    /// A JSON value.
    pub(super) fn json(value: Option<&'a serde_json::Value>) -> Raw<'a> {
        match value {
            None | Some(serde_json::Value::Null) => Raw::Missing,
            Some(serde_json::Value::String(s)) => Raw::cell(s),
            Some(serde_json::Value::Bool(b)) => Raw::Bool(*b),
            Some(serde_json::Value::Number(n)) => Raw::Number(n),
            Some(_) => Raw::Other,
        }
    }
}

/// Collects the errors of one record (a JSON line, a CSV sheet) as its fields are read.
pub(super) struct Fields<'e, F> {
    pub(super) line: u64,
    /// Prefix of field names in errors (`actes[2].`), empty for plain names.
    pub(super) prefix: String,
    pub(super) get: F,
    pub(super) errors: &'e mut Vec<IngestError>,
}

type Rule<T> = fn(Raw<'_>) -> Result<T, &'static str>;

impl<'a, F: Fn(&str) -> Raw<'a>> Fields<'_, F> {
    fn fail(&mut self, name: &str, kind: IngestErrorKind) {
        let field = format!("{}{name}", self.prefix);
        self.errors.push(IngestError::field(self.line, field, kind));
    }

    /// The optional field `name` through `rule`.
    fn optional<T>(&mut self, name: &str, rule: Rule<T>) -> Result<Option<T>, ()> {
        match (self.get)(name) {
            Raw::Missing => Ok(None),
            raw => rule(raw).map(Some).map_err(|reason| {
                self.fail(name, IngestErrorKind::Invalid(reason));
            }),
        }
    }

    /// The required field `name` through `rule`.
    fn required<T>(&mut self, name: &str, rule: Rule<T>) -> Result<T, ()> {
        self.optional(name, rule)?.ok_or_else(|| {
            self.fail(name, IngestErrorKind::Missing);
        })
    }

    /// A professional: its type in `kind_field`, its number in `id_field`.
    fn professional(
        &mut self,
        kind_field: &str,
        id_field: &str,
    ) -> Result<Option<ProfessionalId>, ()> {
        let kind = self.optional(kind_field, professional_kind)?;
        let id = (self.get)(id_field);
        match (kind, id) {
            (None, Raw::Missing) => Ok(None),
            (None, _) => {
                self.fail(kind_field, IngestErrorKind::Missing);
                Err(())
            }
            (Some(_), Raw::Missing) => {
                self.fail(id_field, IngestErrorKind::Missing);
                Err(())
            }
            (Some(parse), raw) => match text(raw).map(parse) {
                Ok(Ok(id)) => Ok(Some(id)),
                Ok(Err(e)) => {
                    self.fail(id_field, IngestErrorKind::Invalid(professional_reason(e)));
                    Err(())
                }
                Err(reason) => {
                    self.fail(id_field, IngestErrorKind::Invalid(reason));
                    Err(())
                }
            },
        }
    }

    /// A required professional.
    fn required_professional(
        &mut self,
        kind_field: &str,
        id_field: &str,
    ) -> Result<ProfessionalId, ()> {
        self.professional(kind_field, id_field)?.ok_or_else(|| {
            self.fail(kind_field, IngestErrorKind::Missing);
        })
    }

    /// The lot header.
    pub(super) fn lot(&mut self) -> Option<LotHeader> {
        let sender = self.required_professional("type_emetteur", "emetteur");
        let number = self.required("numero_lot", sheet_or_lot_number);
        Some(LotHeader {
            sender: sender.ok()?,
            number: number.ok()?,
        })
    }

    /// The sheet number alone (a CSV groups rows by it).
    pub(super) fn sheet_number(&mut self) -> Option<u32> {
        self.required("numero_feuille", sheet_or_lot_number).ok()
    }

    /// A sheet's own fields, every error recorded.
    pub(super) fn head(&mut self) -> Option<SheetHead> {
        let nir = self.required("nir", nir);
        let rank = self.required("rang", rank);
        let professional = self.required_professional("type_professionnel", "professionnel");
        let prescriber = self.professional("type_prescripteur", "prescripteur");
        let date_of_care = self.required("date_soins", date);
        let tiers_payant = self.required("tiers_payant", boolean);
        let complementary = self.required("part_complementaire", boolean);
        let parcours = self.required("parcours", parcours);
        Some(SheetHead {
            nir: nir.ok()?,
            rank: rank.ok()?,
            professional: professional.ok()?,
            prescriber: prescriber.ok()?,
            date_of_care: date_of_care.ok()?,
            tiers_payant: tiers_payant.ok()?,
            complementary: complementary.ok()?,
            parcours: parcours.ok()?,
        })
    }

    /// One care line, every error recorded.
    pub(super) fn care_line(&mut self) -> Option<CareLine> {
        let code = self.required("code_acte", act_code);
        let quantity = self.required("quantite", quantity);
        let coefficient = self.required("coefficient", coefficient);
        let charged = self.required("montant_cents", cents);
        let ald = self.required("ald", boolean);
        let at_mp = self.required("at_mp", boolean);
        Some(CareLine {
            code: code.ok()?,
            quantity: quantity.ok()?,
            coefficient: coefficient.ok()?,
            charged: charged.ok()?,
            ald: ald.ok()?,
            at_mp: at_mp.ok()?,
        })
    }
}

/// A sheet's fields but its number and lines.
#[derive(Clone, Debug)]
pub(super) struct SheetHead {
    pub(super) nir: Nir,
    pub(super) rank: u8,
    pub(super) professional: ProfessionalId,
    pub(super) prescriber: Option<ProfessionalId>,
    pub(super) date_of_care: Date,
    pub(super) tiers_payant: bool,
    pub(super) complementary: bool,
    pub(super) parcours: Parcours,
}

pub(super) fn text(raw: Raw<'_>) -> Result<&str, &'static str> {
    match raw {
        Raw::Text(text) => Ok(text),
        _ => Err("texte attendu (entre guillemets en JSON)"),
    }
}

/// A whole number: a JSON integer or digits.
pub(super) fn whole(
    raw: Raw<'_>,
    negative: &'static str,
    other: &'static str,
) -> Result<u64, &'static str> {
    match raw {
        Raw::Number(n) if n.as_i64().is_some_and(|n| n < 0) => Err(negative),
        Raw::Number(n) => n.as_u64().ok_or(other),
        Raw::Text(t) if t.starts_with('-') => Err(negative),
        Raw::Text(t) if !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit()) => {
            t.parse().map_err(|_| other)
        }
        _ => Err(other),
    }
}

const NUMBER: &str = "nombre entier de 1 à 999999999 attendu";

fn sheet_or_lot_number(raw: Raw<'_>) -> Result<u32, &'static str> {
    let n = whole(raw, NUMBER, NUMBER)?;
    u32::try_from(n)
        .ok()
        .filter(|n| (1..=999_999_999).contains(n))
        .ok_or(NUMBER)
}

pub(super) fn rank(raw: Raw<'_>) -> Result<u8, &'static str> {
    const RANK: &str = "rang de 1 à 99 attendu";
    let n = whole(raw, RANK, RANK)?;
    u8::try_from(n)
        .ok()
        .filter(|n| (1..=99).contains(n))
        .ok_or(RANK)
}

fn quantity(raw: Raw<'_>) -> Result<Quantity, &'static str> {
    const QUANTITY: &str = "quantité entière de 1 à 999 attendue";
    let n = whole(raw, QUANTITY, QUANTITY)?;
    u16::try_from(n)
        .ok()
        .and_then(|n| Quantity::new(n).ok())
        .ok_or(QUANTITY)
}

/// Largest amount of a line: 99,999,999.99 euros.
const MAX_CENTS: u64 = 9_999_999_999;

pub(super) fn cents(raw: Raw<'_>) -> Result<AmountCents, &'static str> {
    const CENTS: &str =
        "montant en centimes attendu, entier (3000 pour 30,00 €), au plus 9999999999";
    let n = whole(
        raw,
        "montant négatif : un montant facturé est positif ou nul",
        CENTS,
    )?;
    if n > MAX_CENTS {
        return Err(CENTS);
    }
    i64::try_from(n).map(AmountCents::new).map_err(|_| CENTS)
}

fn coefficient(raw: Raw<'_>) -> Result<Coefficient, &'static str> {
    const COEFFICIENT: &str =
        "coefficient attendu : nombre de 0,01 à 1000 d'au plus deux décimales (1.5 ou \"1,5\")";
    let parsed = match raw {
        Raw::Number(n) => Coefficient::parse(&n.to_string()),
        Raw::Text(t) => Coefficient::parse(t),
        _ => return Err(COEFFICIENT),
    };
    parsed.map_err(|_| COEFFICIENT)
}

pub(super) fn boolean(raw: Raw<'_>) -> Result<bool, &'static str> {
    match raw {
        Raw::Bool(b) => Ok(b),
        Raw::Text("oui") => Ok(true),
        Raw::Text("non") => Ok(false),
        _ => Err("oui ou non attendu (true ou false en JSON)"),
    }
}

pub(super) fn nir(raw: Raw<'_>) -> Result<Nir, &'static str> {
    Nir::parse(text(raw)?).map_err(|e| match e {
        caisse_domain::NirError::KeyMismatch => {
            "la clé du NIR ne correspond pas aux 13 premiers caractères"
        }
        caisse_domain::NirError::BadLength => "un NIR compte 15 caractères, clé comprise",
        _ => "NIR mal formé (sexe, mois, département, commune ou numéro d'ordre impossible)",
    })
}

pub(super) fn date(raw: Raw<'_>) -> Result<Date, &'static str> {
    crate::claims::iso_date(text(raw)?).ok_or("date invalide (attendu AAAA-MM-JJ)")
}

fn act_code(raw: Raw<'_>) -> Result<ActCode, &'static str> {
    ActCode::parse(text(raw)?).map_err(|_| "code acte : 1 à 13 lettres majuscules ou chiffres")
}

type ProfessionalParse = fn(&str) -> Result<ProfessionalId, ProfessionalIdError>;

fn professional_kind(raw: Raw<'_>) -> Result<ProfessionalParse, &'static str> {
    match raw {
        Raw::Text("rpps") => Ok(ProfessionalId::rpps),
        Raw::Text("adeli") => Ok(ProfessionalId::adeli),
        Raw::Text("finess") => Ok(ProfessionalId::finess),
        _ => Err("type attendu : rpps, adeli ou finess"),
    }
}

fn professional_reason(e: ProfessionalIdError) -> &'static str {
    match e {
        ProfessionalIdError::Rpps => "un numéro RPPS compte 11 chiffres",
        ProfessionalIdError::Adeli => "un numéro ADELI compte 9 chiffres",
        ProfessionalIdError::Finess => {
            "un numéro FINESS compte 9 caractères : des chiffres, ou 2A ou 2B puis 7 chiffres"
        }
    }
}

fn parcours(raw: Raw<'_>) -> Result<Parcours, &'static str> {
    match raw {
        Raw::Text(code) => Parcours::from_code(code),
        _ => None,
    }
    .ok_or("parcours attendu : medecin_traitant, oriente, acces_direct, urgence ou hors_parcours")
}
