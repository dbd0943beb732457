//! A family's rights as staff read them, beside a member's account or a thread
//! (`templates/back_office/rights.html`).

use caisse_domain::french::{numeric_date, numeric_period};

/// A family's rights as staff read them: every period, not only today's.
pub struct RightsView {
    /// Régime, code de gestion, fund, period, régime local.
    pub coverages: Vec<[String; 4]>,
    /// Each C2S period, worded.
    pub c2s: Vec<String>,
    /// Name, birth date, rank, doctor, exemptions.
    pub people: Vec<[String; 5]>,
}

fn period_fr(period: &caisse_domain::rights::Period) -> String {
    numeric_period(period.from(), period.to())
}

impl RightsView {
    /// The view of a family's rights.
    pub fn of(family: &caisse_core::rights::FamilyRights) -> RightsView {
        RightsView {
            coverages: family
                .coverages
                .iter()
                .map(|c| {
                    [
                        format!(
                            "{} ({}), code de gestion {}",
                            c.regime.label_fr(),
                            c.regime.as_str(),
                            c.code_gestion.as_str()
                        ),
                        caisse_domain::Fund::by_code(&c.caisse).name().to_owned(),
                        period_fr(&c.period),
                        if c.local_regime { "oui" } else { "non" }.to_owned(),
                    ]
                })
                .collect(),
            c2s: family
                .c2s
                .iter()
                .map(|c| format!("{}, {}", c.kind.label_fr(), period_fr(&c.period)))
                .collect(),
            people: family
                .people
                .iter()
                .map(|p| {
                    let exemptions: Vec<String> = p
                        .exemptions
                        .iter()
                        .map(|e| {
                            format!(
                                "{} à {}, {}",
                                e.nature.label_fr(),
                                e.rate.label_fr(),
                                period_fr(&e.period)
                            )
                        })
                        .collect();
                    [
                        p.printed_name(),
                        numeric_date(p.birth_date),
                        format!("{:02}", p.rank),
                        p.doctor
                            .as_ref()
                            .map_or_else(|| "non déclaré".to_owned(), |d| d.name.clone()),
                        if exemptions.is_empty() {
                            "aucune".to_owned()
                        } else {
                            exemptions.join(" ; ")
                        },
                    ]
                })
                .collect(),
        }
    }
}
