//! The beneficiary's situation on the day of care, read from the rights of the member file:
//! what the liquidation needs (`caisse_domain::claims::Situation`) and whether the person was
//! covered at all.

use caisse_domain::claims::{MaternityWindow, Situation};
use caisse_domain::rights::ExemptionNature;
use caisse_store::claims::context::Family;
use time::Date;

/// Why no situation could be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotCovered {
    /// No beneficiary has this rank under the NIR.
    UnknownRank,
    /// No coverage period holds the day of care.
    NoRights,
}

/// The situation of the beneficiary of `rank` in `family` on `day`.
///
/// # Errors
/// [`NotCovered`] when the rank is unknown or the family has no coverage that day.
pub fn situation_on(family: &Family, rank: u8, day: Date) -> Result<Situation, NotCovered> {
    let birth_date = *family
        .birth_dates
        .get(&rank)
        .ok_or(NotCovered::UnknownRank)?;
    let rights = &family.rights;
    let coverage = rights
        .coverages
        .iter()
        .find(|c| c.period.covers(day))
        .ok_or(NotCovered::NoRights)?;
    let exemption = |nature: ExemptionNature| {
        rights
            .exemptions
            .iter()
            .find(|e| i16::from(rank) == e.rank && e.nature == nature && e.period.covers(day))
    };
    let maternity = exemption(ExemptionNature::Maternite).and_then(|e| {
        // An open-ended maternity exemption covers the day only: the window is what the file
        // says, never longer.
        MaternityWindow::new(e.period.from(), e.period.to().unwrap_or(day)).ok()
    });
    Ok(Situation {
        birth_date,
        ald: exemption(ExemptionNature::Ald).is_some(),
        maternity,
        c2s: rights.c2s.iter().any(|c| c.period.covers(day)),
        // AME beneficiaries are not insured members: the member file holds none.
        ame: false,
        at_mp: exemption(ExemptionNature::AtMp).is_some(),
        invalidite: exemption(ExemptionNature::Invalidite).is_some(),
        regime_local: coverage.local_regime,
        medecin_traitant_declared: rights.doctors.iter().any(|d| {
            i16::from(rank) == d.rank && d.declared_on.is_none_or(|declared| declared <= day)
        }),
    })
}
