//! The columns of the member file and the header row that names them.

use super::RowError;

/// A column of the member file. The header may list them in any order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Column {
    Type,
    Nir,
    Rang,
    Nom,
    NomUsage,
    Prenom,
    DateNaissance,
    Sexe,
    Caisse,
    NumeroCarteVitale,
    AdresseLigne1,
    AdresseLigne2,
    CodePostal,
    Ville,
    Email,
    Telephone,
    Iban,
    Regime,
    CodeGestion,
    DroitsDebut,
    DroitsFin,
    RegimeLocal,
    C2s,
    C2sDebut,
    C2sFin,
    MedecinTraitant,
    Exonerations,
}

impl Column {
    /// Every column, in the order of the documentation and the sample file.
    pub(super) const ALL: [Column; 27] = [
        Column::Type,
        Column::Nir,
        Column::Rang,
        Column::Nom,
        Column::NomUsage,
        Column::Prenom,
        Column::DateNaissance,
        Column::Sexe,
        Column::Caisse,
        Column::NumeroCarteVitale,
        Column::AdresseLigne1,
        Column::AdresseLigne2,
        Column::CodePostal,
        Column::Ville,
        Column::Email,
        Column::Telephone,
        Column::Iban,
        Column::Regime,
        Column::CodeGestion,
        Column::DroitsDebut,
        Column::DroitsFin,
        Column::RegimeLocal,
        Column::C2s,
        Column::C2sDebut,
        Column::C2sFin,
        Column::MedecinTraitant,
        Column::Exonerations,
    ];

    /// The columns of rights (issue 5). A file that names none of them leaves the stored
    /// rights as they are; one that names any replaces the rights of the people it lists.
    pub(super) const RIGHTS: [Column; 10] = [
        Column::Regime,
        Column::CodeGestion,
        Column::DroitsDebut,
        Column::DroitsFin,
        Column::RegimeLocal,
        Column::C2s,
        Column::C2sDebut,
        Column::C2sFin,
        Column::MedecinTraitant,
        Column::Exonerations,
    ];

    /// Columns that only describe an insured person: the beneficiaries table has no place
    /// for them, so an ayant-droit row must leave them empty rather than see them dropped.
    pub(super) const INSURED_ONLY: [Column; 18] = [
        Column::NomUsage,
        Column::Caisse,
        Column::NumeroCarteVitale,
        Column::AdresseLigne1,
        Column::AdresseLigne2,
        Column::CodePostal,
        Column::Ville,
        Column::Email,
        Column::Telephone,
        Column::Iban,
        Column::Regime,
        Column::CodeGestion,
        Column::DroitsDebut,
        Column::DroitsFin,
        Column::RegimeLocal,
        Column::C2s,
        Column::C2sDebut,
        Column::C2sFin,
    ];

    /// The header name.
    pub(super) fn name(self) -> &'static str {
        match self {
            Column::Type => "type",
            Column::Nir => "nir",
            Column::Rang => "rang",
            Column::Nom => "nom",
            Column::NomUsage => "nom_usage",
            Column::Prenom => "prenom",
            Column::DateNaissance => "date_naissance",
            Column::Sexe => "sexe",
            Column::Caisse => "caisse",
            Column::NumeroCarteVitale => "numero_carte_vitale",
            Column::AdresseLigne1 => "adresse_ligne1",
            Column::AdresseLigne2 => "adresse_ligne2",
            Column::CodePostal => "code_postal",
            Column::Ville => "ville",
            Column::Email => "email",
            Column::Telephone => "telephone",
            Column::Iban => "iban",
            Column::Regime => "regime",
            Column::CodeGestion => "code_gestion",
            Column::DroitsDebut => "droits_debut",
            Column::DroitsFin => "droits_fin",
            Column::RegimeLocal => "regime_local",
            Column::C2s => "c2s",
            Column::C2sDebut => "c2s_debut",
            Column::C2sFin => "c2s_fin",
            Column::MedecinTraitant => "medecin_traitant",
            Column::Exonerations => "exonerations",
        }
    }

    /// True if the header must name this column. Optional columns hold optional values, so
    /// a file without them simply has none.
    fn required(self) -> bool {
        !matches!(
            self,
            Column::NomUsage
                | Column::NumeroCarteVitale
                | Column::AdresseLigne2
                | Column::Email
                | Column::Telephone
                | Column::Iban
        ) && !Column::RIGHTS.contains(&self)
    }

    fn index(self) -> usize {
        Column::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }
}

/// Where each column sits in a record.
#[derive(Clone, Debug)]
pub(super) struct Header {
    positions: [Option<usize>; Column::ALL.len()],
    /// Number of fields a record must have.
    pub(super) width: usize,
}

impl Header {
    /// Reads the header row (line 1). Every problem is reported at once: unknown names,
    /// repeated names and missing required columns.
    pub(super) fn parse(names: &[&str]) -> Result<Header, Vec<RowError>> {
        let mut positions = [None; Column::ALL.len()];
        let mut errors = Vec::new();
        let header_error = |message: String| RowError {
            line: 1,
            column: None,
            message,
        };
        for (position, raw) in names.iter().enumerate() {
            // Spreadsheets are inconsistent about case and stray spaces in titles; neither
            // changes which column is meant.
            let name = raw.trim().to_lowercase();
            match Column::ALL.iter().find(|c| c.name() == name) {
                Some(column) => {
                    let slot = &mut positions[column.index()];
                    if slot.is_some() {
                        errors.push(header_error(format!(
                            "la colonne « {} » apparaît deux fois",
                            column.name()
                        )));
                    } else {
                        *slot = Some(position);
                    }
                }
                None if name.is_empty() => errors.push(header_error(format!(
                    "la colonne n° {} n'a pas de nom",
                    position + 1
                ))),
                None => errors.push(header_error(format!(
                    "colonne inconnue « {} » (colonnes possibles : {})",
                    // A header name is a title, not personal data; it is cut short so
                    // that a data row pasted as header cannot end up whole in a report.
                    name.chars().take(40).collect::<String>(),
                    Column::ALL.map(Column::name).join(", ")
                ))),
            }
        }
        for column in Column::ALL {
            if column.required() && positions[column.index()].is_none() {
                errors.push(header_error(format!(
                    "colonne obligatoire absente : « {} »",
                    column.name()
                )));
            }
        }
        if errors.is_empty() {
            Ok(Header {
                positions,
                width: names.len(),
            })
        } else {
            Err(errors)
        }
    }

    /// True when the header names at least one column of rights.
    pub(super) fn has_rights(&self) -> bool {
        Column::RIGHTS
            .iter()
            .any(|column| self.position(*column).is_some())
    }

    /// Position of a column in a record, if the header names it.
    pub(super) fn position(&self, column: Column) -> Option<usize> {
        self.positions[column.index()]
    }
}
