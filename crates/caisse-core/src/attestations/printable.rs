//! A family's rights turned into the printed attestation: what `caisse-pdf` draws.

use caisse_domain::Fund;
use caisse_domain::rights::ALSACE_MOSELLE_RATE;
use time::Date;

use super::statement::{AttestationKind, Statement};
use crate::rights::{CoveredPerson, FamilyRights};

/// Everything the printed attestation needs besides the rights.
pub(super) struct Print<'a> {
    pub(super) family: &'a FamilyRights,
    pub(super) people: &'a [&'a CoveredPerson],
    pub(super) statement: &'a Statement,
    pub(super) sealed: String,
    pub(super) mentions: bool,
    pub(super) sender: caisse_pdf::Sender,
    pub(super) verify_url: String,
    /// The fund's public base URL: the QR code opens its verification page.
    pub(super) base_url: &'a str,
    pub(super) issued_on: Date,
}

impl Print<'_> {
    pub(super) fn attestation(self) -> caisse_pdf::Attestation {
        let family = self.family;
        let statement = self.statement;
        let insured = family.insured();
        let coverage = family.coverage_on(self.issued_on);
        let mentions = self.mentions.then(|| caisse_pdf::Mentions {
            exemptions: self
                .people
                .iter()
                .flat_map(|person| {
                    person
                        .exemptions_on(self.issued_on)
                        .map(|e| caisse_pdf::AttestedExemption {
                            person: person.printed_name(),
                            nature: e.nature.short_label_fr().to_owned(),
                            rate: e.rate.label_fr(),
                            from: e.period.from(),
                            to: e.period.to(),
                        })
                })
                .collect(),
            local_regime_rate: coverage
                .filter(|c| c.local_regime)
                .map(|_| format!("{ALSACE_MOSELLE_RATE}\u{a0}%")),
            c2s: family
                .c2s_on(self.issued_on)
                .map(|c| (c.kind.form_fr().to_owned(), c.period.from(), c.period.to())),
        });
        caisse_pdf::Attestation {
            kind: match statement.kind {
                AttestationKind::Droits => caisse_pdf::AttestationKind::Droits,
                AttestationKind::CarteVitale => caisse_pdf::AttestationKind::CarteVitale {
                    serial: family.vitale_serial.clone(),
                },
            },
            sender: self.sender,
            recipient_lines: family.recipient_lines.clone(),
            issued_on: self.issued_on,
            insured: caisse_pdf::InsuredIdentity {
                last_name: insured.last_name.clone(),
                usage_name: insured.usage_name.clone(),
                first_name: insured.first_name.clone(),
                birth_date: insured.birth_date,
                nir: family.nir.formatted(),
            },
            coverage: caisse_pdf::Coverage {
                fund_name: Fund::by_code(&statement.caisse).name().to_owned(),
                organisme_code: format!(
                    "{} {}",
                    statement.regime.as_str(),
                    statement.caisse.as_str()
                ),
                regime: format!(
                    "{} ({})",
                    statement.regime.label_fr(),
                    statement.regime.as_str()
                ),
                code_gestion: statement.code_gestion.as_str().to_owned(),
                valid_from: statement.valid_from,
                valid_to: statement.valid_to,
            },
            people: self
                .people
                .iter()
                .map(|p| caisse_pdf::AttestedPerson {
                    name: p.printed_name(),
                    birth_date: p.birth_date,
                    rank: u8::try_from(p.rank).unwrap_or(0),
                    doctor_declared: p.doctor.is_some(),
                })
                .collect(),
            mentions,
            verification: caisse_pdf::Verification {
                qr_data: super::seal::verification_url(self.base_url, &self.sealed),
                statement: self.sealed,
                code: statement.code.formatted(),
                url: self.verify_url,
            },
        }
    }
}
