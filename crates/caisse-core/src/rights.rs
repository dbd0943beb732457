//! A family's rights as the member file holds them, read into domain values: who is covered
//! (the insured person and their ayants droit, by rank), when and under which régime, *code de
//! gestion* and fund, with which exemptions of the ticket modérateur, declared doctor,
//! Alsace-Moselle local regime and C2S. Attestations are printed from this view.

use caisse_domain::rights::{C2sKind, CodeGestion, ExemptionNature, Period, Rate, RegimeCode};
use caisse_domain::{CaisseCode, Nir};
use caisse_store::members::{Beneficiary, MemberRecord};
use caisse_store::{ConnectionTrait, members, rights};
use time::Date;
use uuid::Uuid;

use crate::CoreError;

/// A coverage period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// Régime.
    pub regime: RegimeCode,
    /// Code de gestion.
    pub code_gestion: CodeGestion,
    /// Fund.
    pub caisse: CaisseCode,
    /// When.
    pub period: Period,
    /// The Alsace-Moselle local regime adds its layer.
    pub local_regime: bool,
}

/// An exemption of the ticket modérateur.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exemption {
    /// Why.
    pub nature: ExemptionNature,
    /// Rate of coverage.
    pub rate: Rate,
    /// When.
    pub period: Period,
}

/// A C2S period of the household.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct C2s {
    /// Free or with a participation.
    pub kind: C2sKind,
    /// When.
    pub period: Period,
}

/// A declared médecin traitant.
#[derive(Clone, PartialEq, Eq)]
pub struct Doctor {
    /// As printed.
    pub name: String,
    /// Declaration date, when known.
    pub declared_on: Option<Date>,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for Doctor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Doctor").finish_non_exhaustive()
    }
}

/// One person covered: the insured person (rank 1) or an ayant droit.
#[derive(Clone, PartialEq, Eq)]
pub struct CoveredPerson {
    /// The member's id for the insured person, the beneficiary's id otherwise: what a member
    /// names to get one person's attestation.
    pub id: Uuid,
    /// 1 to 19.
    pub rank: i16,
    /// First name.
    pub first_name: String,
    /// Birth name.
    pub last_name: String,
    /// Usage name, when different (insured persons only).
    pub usage_name: Option<String>,
    /// Birth date.
    pub birth_date: Date,
    /// Declared doctor.
    pub doctor: Option<Doctor>,
    /// Exemptions, oldest first.
    pub exemptions: Vec<Exemption>,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for CoveredPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoveredPerson")
            .field("id", &self.id)
            .field("rank", &self.rank)
            .finish_non_exhaustive()
    }
}

impl CoveredPerson {
    /// « Sophie WEBER »: the first name and the usage name, or the birth name.
    pub fn printed_name(&self) -> String {
        format!(
            "{} {}",
            self.first_name,
            self.usage_name.as_deref().unwrap_or(&self.last_name)
        )
    }

    /// The exemptions in force on `day`.
    pub fn exemptions_on(&self, day: Date) -> impl Iterator<Item = &Exemption> {
        self.exemptions.iter().filter(move |e| e.period.covers(day))
    }
}

/// A family's rights.
#[derive(Clone)]
pub struct FamilyRights {
    /// The insured person's NIR (ayants droit are covered under it).
    pub nir: Nir,
    /// The fund of the member file.
    pub caisse: CaisseCode,
    /// Carte Vitale serial number, when known.
    pub vitale_serial: Option<String>,
    /// The insured person's postal lines: « Madame Sophie WEBER », street, complement,
    /// « 67000 STRASBOURG ».
    pub recipient_lines: Vec<String>,
    /// The insured person first, then the ayants droit by rank.
    pub people: Vec<CoveredPerson>,
    /// Coverage periods, oldest first.
    pub coverages: Vec<Coverage>,
    /// C2S periods, oldest first.
    pub c2s: Vec<C2s>,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for FamilyRights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FamilyRights")
            .field("caisse", &self.caisse)
            .finish_non_exhaustive()
    }
}

impl FamilyRights {
    /// The insured person.
    pub fn insured(&self) -> &CoveredPerson {
        // `load` always puts the insured person first.
        &self.people[0]
    }

    /// The coverage in force on `day`, the latest started when several overlap.
    pub fn coverage_on(&self, day: Date) -> Option<&Coverage> {
        self.coverages
            .iter()
            .filter(|c| c.period.covers(day))
            .max_by_key(|c| c.period.from())
    }

    /// The C2S in force on `day`.
    pub fn c2s_on(&self, day: Date) -> Option<&C2s> {
        self.c2s.iter().rev().find(|c| c.period.covers(day))
    }

    /// The person with this id (the member's or a beneficiary's).
    pub fn person(&self, id: Uuid) -> Option<&CoveredPerson> {
        self.people.iter().find(|p| p.id == id)
    }
}

/// Loads a member's family and rights; `None` for an unknown member.
///
/// # Errors
/// When the database fails or a stored value no longer parses.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    member_id: Uuid,
) -> Result<Option<FamilyRights>, CoreError> {
    let Some(member) = members::find(db, member_id).await? else {
        return Ok(None);
    };
    let beneficiaries = members::beneficiaries(db, member_id).await?;
    let stored = rights::of_member(db, member_id).await?;
    Ok(Some(assemble(member, beneficiaries, stored)))
}

fn assemble(
    member: MemberRecord,
    beneficiaries: Vec<Beneficiary>,
    stored: rights::Rights,
) -> FamilyRights {
    let doctor_of = |rank: i16| {
        stored
            .doctors
            .iter()
            .find(|d| d.rank == rank)
            .map(|d| Doctor {
                name: d.name.clone(),
                declared_on: d.declared_on,
            })
    };
    let exemptions_of = |rank: i16| -> Vec<Exemption> {
        stored
            .exemptions
            .iter()
            .filter(|e| e.rank == rank)
            .map(|e| Exemption {
                nature: e.nature,
                rate: e.rate,
                period: e.period,
            })
            .collect()
    };
    let mut people = vec![CoveredPerson {
        id: member.id,
        rank: 1,
        first_name: member.first_name.clone(),
        last_name: member.last_name.clone(),
        usage_name: member.usage_name.clone(),
        birth_date: member.birth_date,
        doctor: doctor_of(1),
        exemptions: exemptions_of(1),
    }];
    for b in beneficiaries {
        people.push(CoveredPerson {
            id: b.id,
            rank: b.rank,
            doctor: doctor_of(b.rank),
            exemptions: exemptions_of(b.rank),
            first_name: b.first_name,
            last_name: b.last_name,
            usage_name: None,
            birth_date: b.birth_date,
        });
    }
    let coverages = stored
        .coverages
        .iter()
        .map(|c| Coverage {
            regime: c.regime,
            code_gestion: c.code_gestion,
            caisse: c.caisse,
            period: c.period,
            local_regime: c.local_regime,
        })
        .collect();
    let c2s = stored
        .c2s
        .iter()
        .map(|c| C2s {
            kind: c.kind,
            period: c.period,
        })
        .collect();
    FamilyRights {
        recipient_lines: crate::letterhead::postal_lines(&member),
        nir: member.nir,
        caisse: member.caisse_code,
        vitale_serial: member.vitale_serial.map(|v| v.as_str().to_owned()),
        people,
        coverages,
        c2s,
    }
}
