//! The dated reference table of the C2S: resource ceilings per territory and household size,
//! and the monthly participation per age band.

use time::Date;

use crate::AmountCents;
use crate::rights::Period;

/// Where the household lives: the overseas departments have their own, higher ceilings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Territory {
    /// France métropolitaine (Corsica included).
    Metropole,
    /// Guadeloupe (971).
    Guadeloupe,
    /// Martinique (972).
    Martinique,
    /// Guyane (973).
    Guyane,
    /// La Réunion (974).
    LaReunion,
    /// Mayotte (976), where the C2S exists since 1 January 2024.
    Mayotte,
}

impl Territory {
    /// Every territory, in the order of the reference file.
    pub const ALL: [Territory; 6] = [
        Territory::Metropole,
        Territory::Guadeloupe,
        Territory::Martinique,
        Territory::Guyane,
        Territory::LaReunion,
        Territory::Mayotte,
    ];

    /// The code of the reference file's `territory` column.
    pub fn code(self) -> &'static str {
        match self {
            Territory::Metropole => "metropole",
            Territory::Guadeloupe => "guadeloupe",
            Territory::Martinique => "martinique",
            Territory::Guyane => "guyane",
            Territory::LaReunion => "la_reunion",
            Territory::Mayotte => "mayotte",
        }
    }

    /// The territory of a code of the reference file.
    pub fn from_code(code: &str) -> Option<Territory> {
        Territory::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The name shown to members.
    pub fn label_fr(self) -> &'static str {
        match self {
            Territory::Metropole => "France métropolitaine",
            Territory::Guadeloupe => "Guadeloupe",
            Territory::Martinique => "Martinique",
            Territory::Guyane => "Guyane",
            Territory::LaReunion => "La Réunion",
            Territory::Mayotte => "Mayotte",
        }
    }
}

/// The annual ceilings of one tier as the official tables publish them: one amount for each
/// household of 1 to 4 persons, and what each person beyond the fourth adds.
///
/// The published amounts are stored rather than computed from the one-person ceiling and
/// the legal coefficients (1, 1.5, 1.8, 2.1, + 0.4 a person), because no single rounding
/// of base × coefficient reproduces every published figure (`docs/claims-rules.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TierCeilings {
    /// The ceilings of households of 1, 2, 3 and 4 persons.
    pub up_to_four: [AmountCents; 4],
    /// What each person beyond the fourth adds.
    pub per_extra_person: AmountCents,
}

impl TierCeilings {
    /// The annual ceiling of a household of `persons` (at least one).
    pub fn for_household(&self, persons: usize) -> AmountCents {
        match persons {
            0 | 1 => self.up_to_four[0],
            2..=4 => self.up_to_four[persons - 1],
            _ => {
                let extra = i64::try_from(persons - 4).unwrap_or(i64::MAX);
                AmountCents::new(
                    self.up_to_four[3]
                        .cents()
                        .saturating_add(self.per_extra_person.cents().saturating_mul(extra)),
                )
            }
        }
    }

    /// True when the amounts grow with the household.
    fn is_increasing(&self) -> bool {
        self.up_to_four.windows(2).all(|w| w[0] <= w[1]) && self.per_extra_person.cents() >= 0
    }

    /// True when every amount of `self` is at most the matching one of `other`.
    fn at_most(&self, other: &TierCeilings) -> bool {
        self.up_to_four
            .iter()
            .zip(other.up_to_four.iter())
            .all(|(a, b)| a <= b)
            && self.per_extra_person <= other.per_extra_person
    }
}

/// The ceilings of one territory over one period: up to the first, the C2S is free; up to
/// the second, it is granted with a monthly participation; above, refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CeilingsRow {
    /// The territory.
    pub territory: Territory,
    /// The ceilings of the C2S without participation.
    pub free: TierCeilings,
    /// The ceilings of the C2S with participation (the free ones + 35 %, published rounded).
    pub with_participation: TierCeilings,
    /// When the row applies.
    pub validity: Period,
}

/// The monthly participation of each member whose age falls in `min_age..=max_age`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParticipationBand {
    /// The youngest age of the band.
    pub min_age: u8,
    /// The oldest age of the band; `None` for the last band.
    pub max_age: Option<u8>,
    /// The amount per person and per month.
    pub monthly: AmountCents,
    /// When the row applies.
    pub validity: Period,
}

impl ParticipationBand {
    fn covers_age(&self, age: u8) -> bool {
        age >= self.min_age && self.max_age.is_none_or(|max| age <= max)
    }

    fn ages_overlap(&self, other: &ParticipationBand) -> bool {
        let self_below = self.max_age.is_some_and(|max| max < other.min_age);
        let other_below = other.max_age.is_some_and(|max| max < self.min_age);
        !self_below && !other_below
    }
}

/// Why rows cannot make a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum C2sTableError {
    /// Two rows of the same territory share a day.
    #[error("two C2S ceiling rows of {} overlap from {from}", territory.code())]
    OverlappingCeilings {
        /// The territory.
        territory: Territory,
        /// The first day of the later row.
        from: Date,
    },
    /// A row's ceilings shrink as the household grows, or the free ceiling is above the
    /// ceiling with participation.
    #[error("C2S ceilings of {} from {from} are inconsistent", territory.code())]
    InconsistentCeilings {
        /// The territory.
        territory: Territory,
        /// The first day of the row.
        from: Date,
    },
    /// Two participation bands cover the same age on the same day.
    #[error("two C2S participation bands cover age {min_age} from {from}")]
    OverlappingBands {
        /// The youngest age of the later band.
        min_age: u8,
        /// The first day of the later band.
        from: Date,
    },
    /// A band ends below its start.
    #[error("C2S participation band from age {min_age} ends before it starts")]
    EmptyBand {
        /// The youngest age of the band.
        min_age: u8,
    },
}

impl C2sTableError {
    /// The sentence shown to an operator, in French.
    pub fn message_fr(&self) -> String {
        match self {
            C2sTableError::OverlappingCeilings { territory, from } => format!(
                "Deux lignes de plafonds C2S pour « {} » se chevauchent à partir du {}.",
                territory.code(),
                crate::french::numeric_date(*from)
            ),
            C2sTableError::InconsistentCeilings { territory, from } => format!(
                "Les plafonds C2S pour « {} » à partir du {} doivent croître avec le foyer, \
                 et le plafond sans participation ne peut dépasser celui avec participation.",
                territory.code(),
                crate::french::numeric_date(*from)
            ),
            C2sTableError::OverlappingBands { min_age, from } => format!(
                "Deux tranches de participation C2S couvrent l'âge de {min_age} ans à partir du {}.",
                crate::french::numeric_date(*from)
            ),
            C2sTableError::EmptyBand { min_age } => format!(
                "La tranche de participation C2S qui commence à {min_age} ans finit avant de commencer."
            ),
        }
    }
}

/// The whole dated C2S table: every territory's ceilings and the participation bands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct C2sTable {
    ceilings: Vec<CeilingsRow>,
    bands: Vec<ParticipationBand>,
}

impl C2sTable {
    /// A table with no row: every decision is refused for want of ceilings in force.
    pub fn empty() -> C2sTable {
        C2sTable {
            ceilings: Vec::new(),
            bands: Vec::new(),
        }
    }

    /// The table of these rows; refused when two rows overlap or a row is inconsistent.
    pub fn new(
        ceilings: Vec<CeilingsRow>,
        bands: Vec<ParticipationBand>,
    ) -> Result<C2sTable, C2sTableError> {
        for (i, row) in ceilings.iter().enumerate() {
            if !row.free.is_increasing()
                || !row.with_participation.is_increasing()
                || !row.free.at_most(&row.with_participation)
            {
                return Err(C2sTableError::InconsistentCeilings {
                    territory: row.territory,
                    from: row.validity.from(),
                });
            }
            if let Some(later) = ceilings[..i]
                .iter()
                .find(|o| o.territory == row.territory && o.validity.overlaps(&row.validity))
            {
                return Err(C2sTableError::OverlappingCeilings {
                    territory: row.territory,
                    from: later.validity.from().max(row.validity.from()),
                });
            }
        }
        for (i, band) in bands.iter().enumerate() {
            if band.max_age.is_some_and(|max| max < band.min_age) {
                return Err(C2sTableError::EmptyBand {
                    min_age: band.min_age,
                });
            }
            if let Some(other) = bands[..i]
                .iter()
                .find(|o| o.validity.overlaps(&band.validity) && o.ages_overlap(band))
            {
                return Err(C2sTableError::OverlappingBands {
                    min_age: band.min_age.max(other.min_age),
                    from: other.validity.from().max(band.validity.from()),
                });
            }
        }
        Ok(C2sTable { ceilings, bands })
    }

    /// The ceilings of `territory` in force on `on`.
    pub fn ceilings(&self, territory: Territory, on: Date) -> Option<&CeilingsRow> {
        self.ceilings
            .iter()
            .find(|r| r.territory == territory && r.validity.covers(on))
    }

    /// The participation band of `age` in force on `on`.
    pub fn participation(&self, age: u8, on: Date) -> Option<&ParticipationBand> {
        self.bands
            .iter()
            .find(|b| b.validity.covers(on) && b.covers_age(age))
    }

    /// Every ceilings row.
    pub fn ceilings_rows(&self) -> &[CeilingsRow] {
        &self.ceilings
    }

    /// Every participation band.
    pub fn participation_bands(&self) -> &[ParticipationBand] {
        &self.bands
    }
}
