//! The rules of one row: each column on its own, then the NIR against sex and birth date.

use caisse_domain::rights::{C2sKind, CodeGestion, Period, RegimeCode};
use caisse_domain::{CaisseCode, Email, Iban, Nir, PhoneNumber, Sex};
use caisse_store::members::{NewBeneficiary, NewMember};
use caisse_store::rights::{C2s, Coverage, Doctor, Exemption, Rights};
use time::Date;

use super::columns::{Column, Header};
use super::values::{
    Kind, domain_message, optional, optional_text, parse_birth_date, parse_date, parse_doctor,
    parse_exemptions, parse_kind, parse_postal_code, parse_rank, parse_sex, parse_vitale_serial,
    parse_yes_no, required_text,
};
use super::{BeneficiaryRecord, InsuredRecord, RowError};

/// A row after its own checks.
pub(super) enum ParsedRow {
    // Boxed: an insured record is three times the size of the other variants.
    Insured(Box<InsuredRecord>),
    Beneficiary(BeneficiaryRecord),
    /// At least one column is wrong (the errors are recorded). For an `assure` row with a
    /// valid NIR, the NIR is kept so that its ayants droit are not reported as unattached.
    Invalid {
        insured_nir: Option<Nir>,
    },
}

/// One record being checked; every problem found is appended to `errors`.
struct Row<'a> {
    header: &'a Header,
    record: &'a csv::ByteRecord,
    line: u64,
    errors: &'a mut Vec<RowError>,
    failed: bool,
}

impl<'a> Row<'a> {
    fn fail(&mut self, column: Column, message: impl Into<String>) {
        self.failed = true;
        self.errors.push(RowError {
            line: self.line,
            column: Some(column.name()),
            message: message.into(),
        });
    }

    /// The trimmed value of a column; empty when the header does not name it. `None` (with
    /// an error) when it is not UTF-8.
    fn raw(&mut self, column: Column) -> Option<&'a str> {
        let Some(bytes) = self
            .header
            .position(column)
            .and_then(|i| self.record.get(i))
        else {
            return Some("");
        };
        match std::str::from_utf8(bytes) {
            Ok(text) => Some(text.trim()),
            Err(_) => {
                self.fail(
                    column,
                    "le texte n'est pas en UTF-8 : enregistrez le fichier au format « CSV UTF-8 »",
                );
                None
            }
        }
    }

    /// Applies a column rule; records its error message.
    fn take<T>(
        &mut self,
        column: Column,
        rule: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let value = rule(self.raw(column)?);
        match value {
            Ok(value) => Some(value),
            Err(message) => {
                self.fail(column, message);
                None
            }
        }
    }
}

/// Checks one record against every rule that needs no other row.
pub(super) fn parse_row(
    header: &Header,
    record: &csv::ByteRecord,
    line: u64,
    today: Date,
    errors: &mut Vec<RowError>,
) -> ParsedRow {
    let mut row = Row {
        header,
        record,
        line,
        errors,
        failed: false,
    };
    let kind = row.take(Column::Type, parse_kind);
    let nir = row.take(Column::Nir, |s| Nir::parse(s).map_err(domain_message));
    let rank = row.take(Column::Rang, |s| parse_rank(s, kind));
    let last_name = row.take(Column::Nom, required_text);
    let first_name = row.take(Column::Prenom, required_text);
    let birth_date = row.take(Column::DateNaissance, |s| parse_birth_date(s, today));
    let sex = row.take(Column::Sexe, parse_sex);
    if let (Some(nir), Some(sex), Some(birth_date), Some(Kind::Insured)) =
        (&nir, sex, birth_date, kind)
    {
        check_nir_identity(&mut row, nir, sex, birth_date);
    }

    match kind {
        Some(Kind::Insured) => {
            let usage_name = row.take(Column::NomUsage, optional_text);
            let caisse = row.take(Column::Caisse, |s| {
                if s.is_empty() {
                    Err("le code de la caisse est obligatoire pour un assuré".to_owned())
                } else {
                    CaisseCode::parse(s).map_err(domain_message)
                }
            });
            let vitale_serial = row.take(Column::NumeroCarteVitale, parse_vitale_serial);
            let address_line1 = row.take(Column::AdresseLigne1, required_text);
            let address_line2 = row.take(Column::AdresseLigne2, optional_text);
            let postal_code = row.take(Column::CodePostal, parse_postal_code);
            let city = row.take(Column::Ville, required_text);
            let email = row.take(Column::Email, |s| optional(s, Email::parse));
            let phone = row.take(Column::Telephone, |s| optional(s, PhoneNumber::parse));
            let iban = row.take(Column::Iban, |s| optional(s, Iban::parse));
            let person = person_rights(&mut row, 1);
            let coverage = caisse.and_then(|caisse| insured_rights(&mut row, caisse));
            let insured_nir = nir.clone();
            let (Some(person), Some((coverages, c2s))) = (person, coverage) else {
                return ParsedRow::Invalid { insured_nir };
            };
            // A rule that fails records its error and yields None, so with no failure every
            // value is present; the pattern below only restates that for the compiler.
            let (
                false,
                Some(nir),
                Some(_),
                Some(last_name),
                Some(usage_name),
                Some(first_name),
                Some(birth_date),
                Some(sex),
                Some(caisse),
                Some(vitale_serial),
                Some(address_line1),
                Some(address_line2),
                Some(postal_code),
                Some(city),
                Some(email),
                Some(phone),
                Some(iban),
            ) = (
                row.failed,
                nir,
                rank,
                last_name,
                usage_name,
                first_name,
                birth_date,
                sex,
                caisse,
                vitale_serial,
                address_line1,
                address_line2,
                postal_code,
                city,
                email,
                phone,
                iban,
            )
            else {
                return ParsedRow::Invalid { insured_nir };
            };
            ParsedRow::Insured(Box::new(InsuredRecord {
                line,
                rights: Rights {
                    coverages,
                    exemptions: person.0,
                    doctors: person.1.into_iter().collect(),
                    c2s,
                },
                member: NewMember {
                    nir,
                    last_name,
                    usage_name,
                    first_name,
                    birth_date,
                    sex,
                    caisse_code: caisse,
                    vitale_serial,
                    address_line1,
                    address_line2,
                    postal_code,
                    city,
                    email,
                    phone,
                    iban,
                },
            }))
        }
        Some(Kind::Beneficiary) => {
            for column in Column::INSURED_ONLY {
                if row.raw(column).is_some_and(|s| !s.is_empty()) {
                    row.fail(
                        column,
                        "ne s'applique pas à un ayant droit : laissez la colonne vide \
                         (ces informations sont celles de l'assuré)",
                    );
                }
            }
            let person = rank.and_then(|rank| person_rights(&mut row, rank));
            match (nir, rank, last_name, first_name, birth_date, sex, person) {
                (
                    Some(nir),
                    Some(rank),
                    Some(last_name),
                    Some(first_name),
                    Some(birth_date),
                    Some(sex),
                    Some((exemptions, doctor)),
                ) if !row.failed => ParsedRow::Beneficiary(BeneficiaryRecord {
                    line,
                    insured_nir: nir.clone(),
                    rights: Rights {
                        exemptions,
                        doctors: doctor.into_iter().collect(),
                        ..Rights::default()
                    },
                    beneficiary: NewBeneficiary {
                        rank,
                        last_name,
                        first_name,
                        birth_date,
                        sex,
                    },
                }),
                _ => ParsedRow::Invalid { insured_nir: None },
            }
        }
        None => ParsedRow::Invalid { insured_nir: None },
    }
}

/// The NIR of an insured person encodes their sex, birth year and (unless fictitious)
/// month: a disagreement means a typo in one of the columns or a row attached to the wrong
/// person.
fn check_nir_identity(row: &mut Row<'_>, nir: &Nir, sex: Sex, birth_date: Date) {
    if nir.sex() != sex {
        row.fail(
            Column::Sexe,
            "ne correspond pas au sexe inscrit dans le NIR (1er chiffre)",
        );
    }
    let year = birth_date.year().rem_euclid(100);
    if i32::from(nir.birth_year_two_digits()) != year {
        row.fail(
            Column::DateNaissance,
            "l'année de naissance ne correspond pas au NIR (2e et 3e chiffres)",
        );
    }
    if nir
        .birth_month()
        .is_some_and(|month| month != u8::from(birth_date.month()))
    {
        row.fail(
            Column::DateNaissance,
            "le mois de naissance ne correspond pas au NIR (4e et 5e chiffres)",
        );
    }
}

/// The exemptions and declared doctor of the person of a row (any type), for rank `rank`.
fn person_rights(row: &mut Row<'_>, rank: i16) -> Option<(Vec<Exemption>, Option<Doctor>)> {
    let doctor = row.take(Column::MedecinTraitant, parse_doctor);
    let exemptions = row.take(Column::Exonerations, parse_exemptions);
    let exemptions = exemptions?
        .into_iter()
        .map(|e| Exemption {
            rank,
            nature: e.nature,
            rate: e.rate,
            period: e.period,
        })
        .collect();
    let doctor = doctor?.map(|name| Doctor {
        rank,
        name,
        declared_on: None,
    });
    Some((exemptions, doctor))
}

/// The coverage and C2S of an insured person's row. Régime, code de gestion and régime local
/// describe a coverage, so they need its start date; a C2S needs both its kind and its start.
fn insured_rights(row: &mut Row<'_>, caisse: CaisseCode) -> Option<(Vec<Coverage>, Vec<C2s>)> {
    let regime = row.take(Column::Regime, |s| optional(s, RegimeCode::parse));
    let code_gestion = row.take(Column::CodeGestion, |s| optional(s, CodeGestion::parse));
    let from = row.take(Column::DroitsDebut, |s| optional(s, parse_date));
    let to = row.take(Column::DroitsFin, |s| optional(s, parse_date));
    let local_regime = row.take(Column::RegimeLocal, parse_yes_no);
    let c2s_kind = row.take(Column::C2s, |s| optional(s, C2sKind::parse));
    let c2s_from = row.take(Column::C2sDebut, |s| optional(s, parse_date));
    let c2s_to = row.take(Column::C2sFin, |s| optional(s, parse_date));
    let (regime, code_gestion, from, to, local_regime, c2s_kind, c2s_from, c2s_to) = (
        regime?,
        code_gestion?,
        from?,
        to?,
        local_regime?,
        c2s_kind?,
        c2s_from?,
        c2s_to?,
    );

    let mut coverages = Vec::new();
    match from {
        Some(from) => {
            let Ok(period) = Period::new(from, to) else {
                row.fail(Column::DroitsFin, "la fin des droits précède leur début");
                return None;
            };
            coverages.push(Coverage {
                regime: regime.unwrap_or(RegimeCode::GENERAL),
                code_gestion: code_gestion.unwrap_or(CodeGestion::GENERAL),
                caisse,
                period,
                local_regime,
            });
        }
        None => {
            let dangling = [
                (Column::Regime, regime.is_some()),
                (Column::CodeGestion, code_gestion.is_some()),
                (Column::DroitsFin, to.is_some()),
                (Column::RegimeLocal, local_regime),
            ];
            for (column, filled) in dangling {
                if filled {
                    row.fail(
                        column,
                        "renseignez aussi droits_debut, le début de la période de droits",
                    );
                }
            }
        }
    }

    let mut c2s = Vec::new();
    match (c2s_kind, c2s_from) {
        (Some(kind), Some(from)) => {
            let Ok(period) = Period::new(from, c2s_to) else {
                row.fail(Column::C2sFin, "la fin de la C2S précède son début");
                return None;
            };
            c2s.push(C2s { kind, period });
        }
        (Some(_), None) => row.fail(
            Column::C2sDebut,
            "obligatoire quand la colonne c2s est remplie",
        ),
        (None, Some(_)) => row.fail(
            Column::C2s,
            "précisez la forme de la C2S : gratuite ou participation",
        ),
        (None, None) => {
            if c2s_to.is_some() {
                row.fail(Column::C2sFin, "renseignez aussi c2s et c2s_debut");
            }
        }
    }
    (!row.failed).then_some((coverages, c2s))
}
