//! « Pourquoi ce montant ? »: the plain-French sentences a member reads under a liquidated
//! line, made from the rule the engine recorded for each amount (never a code alone). Every
//! [`RateRule`], [`DeductionLimit`] and [`DeductionExemption`] is matched exhaustively, so a
//! new variant cannot be left without its sentence.

use super::{ActCategory, ActCode, Deduction, DeductionExemption, DeductionLimit, LineLiquidation};
use super::{DeductionKind, RateRule};
use crate::AmountCents;
use crate::french::amount;

/// What the member receives for a line: the AMO part and the régime local's, less the
/// participation or franchise deducted.
pub fn line_reimbursed(line: &LineLiquidation) -> AmountCents {
    let local = line.regime_local.map_or(0, |r| r.amount.cents());
    let deducted = line.deduction.map_or(0, |d| d.applied.cents());
    AmountCents::new(line.amo.cents() + local - deducted)
}

/// The act as the member reads it: its name, then its code (« Consultation de médecin
/// généraliste (G) »); an act without a name of its own is named by its category.
pub fn act_label_fr(code: &ActCode, category: ActCategory) -> String {
    let name = match code.as_str() {
        "G" | "GS2" => "Consultation de médecin généraliste",
        "CS" => "Consultation de médecin spécialiste",
        "APC" => "Avis ponctuel de consultant",
        "COE" => "Consultation de pédiatre",
        "SF" => "Acte de sage-femme",
        "SC" => "Soins dentaires",
        "AMI" => "Soins infirmiers",
        "AMK" => "Séance de kinésithérapie",
        "B" => "Analyses de biologie médicale",
        "FJ" | "FJP" => "Forfait journalier hospitalier",
        "GHS" => "Frais de séjour hospitalier",
        _ => category.label_fr(),
    };
    format!("{name} ({})", code.as_str())
}

/// The sentences of « Pourquoi ce montant ? » for `line`, in reading order: the base, the
/// rate and the rule that chose it, the régime local, the participation or franchise and
/// why it is what it is, then what is reimbursed.
pub fn explain_line(line: &LineLiquidation) -> Vec<String> {
    let mut sentences = Vec::with_capacity(5);
    sentences.push(base_sentence(line));
    sentences.push(rate_sentence(line));
    if let Some(local) = line.regime_local {
        sentences.push(format!(
            "Vous relevez du régime local d'Alsace-Moselle : il porte la prise en charge à {} de la base et ajoute {}.",
            local.rate.label_fr(),
            amount(local.amount)
        ));
    }
    if let Some(deduction) = line.deduction {
        sentences.push(deduction_sentence(&deduction));
    }
    sentences.push(format!(
        "Montant remboursé pour cet acte : {}.",
        amount(line_reimbursed(line))
    ));
    sentences
}

fn base_sentence(line: &LineLiquidation) -> String {
    let base = format!(
        "La base de remboursement de cet acte est de {}.",
        amount(line.base)
    );
    if line.excess.cents() > 0 {
        format!(
            "{base} Le professionnel a facturé {} : le dépassement de {} n'est pas remboursé par l'Assurance Maladie.",
            amount(line.charged),
            amount(line.excess)
        )
    } else {
        base
    }
}

fn rate_sentence(line: &LineLiquidation) -> String {
    let rate = line.rate.label_fr();
    let amo = amount(line.amo);
    match line.rate_rule {
        RateRule::Common => format!(
            "L'Assurance Maladie rembourse {rate} de la base, le taux habituel pour ce type de soins ({}) : {amo}.",
            line.category.label_fr().to_lowercase()
        ),
        RateRule::HorsParcours => format!(
            "L'Assurance Maladie rembourse {rate} de la base seulement : ces soins ont eu lieu hors du parcours de soins coordonnés (pas de médecin traitant déclaré, ni d'orientation par lui) : {amo}."
        ),
        RateRule::Maternite => format!(
            "L'Assurance Maladie rembourse {rate} de la base au titre de la maternité (du 1er jour du 6e mois de grossesse au 12e jour après l'accouchement) : {amo}."
        ),
        RateRule::AtMp => format!(
            "L'Assurance Maladie rembourse {rate} de la base : ces soins sont liés à un accident du travail ou à une maladie professionnelle reconnus : {amo}."
        ),
        RateRule::Ald => format!(
            "L'Assurance Maladie rembourse {rate} de la base : ces soins sont en rapport avec votre affection de longue durée (ALD) : {amo}."
        ),
        RateRule::Invalidite => format!(
            "L'Assurance Maladie rembourse {rate} de la base au titre de votre pension d'invalidité : {amo}."
        ),
        RateRule::C2s => format!(
            "L'Assurance Maladie rembourse {rate} de la base, le taux habituel : {amo} ; la Complémentaire santé solidaire prend en charge le reste de la base, {}.",
            amount(line.c2s)
        ),
    }
}

/// « la participation forfaitaire », « la franchise médicale sur les médicaments ».
fn deduction_name(kind: DeductionKind) -> String {
    let label = kind.label_fr();
    let mut chars = label.chars();
    let lowered = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect::<String>(),
        None => String::new(),
    };
    format!("la {lowered}")
}

fn deduction_sentence(deduction: &Deduction) -> String {
    let name = deduction_name(deduction.kind);
    let applied = amount(deduction.applied);
    let due = amount(deduction.due);
    match deduction.limit {
        DeductionLimit::None => format!("{} est déduite : {applied}.", capitalized(&name)),
        DeductionLimit::DailyCap if deduction.applied.cents() == 0 => format!(
            "Rien n'est déduit au titre de {name} ({due} d'habitude) : le plafond journalier est déjà atteint."
        ),
        DeductionLimit::DailyCap => format!(
            "{} est réduite à {applied} au lieu de {due} : le plafond journalier est atteint.",
            capitalized(&name)
        ),
        DeductionLimit::AnnualCap if deduction.applied.cents() == 0 => format!(
            "Rien n'est déduit au titre de {name} ({due} d'habitude) : le plafond annuel de l'année civile est déjà atteint."
        ),
        DeductionLimit::AnnualCap => format!(
            "{} est réduite à {applied} au lieu de {due} : le plafond annuel de l'année civile est atteint.",
            capitalized(&name)
        ),
        DeductionLimit::Exempt(exemption) => format!(
            "{} ({due}) n'est pas déduite : {}",
            capitalized(&name),
            exemption_reason(exemption)
        ),
    }
}

fn exemption_reason(exemption: DeductionExemption) -> &'static str {
    match exemption {
        DeductionExemption::Mineur => "le patient avait moins de 18 ans le jour des soins.",
        DeductionExemption::Maternite => {
            "les soins ont eu lieu pendant la période de maternité (du 1er jour du 6e mois de grossesse au 12e jour après l'accouchement)."
        }
        DeductionExemption::C2s => {
            "les bénéficiaires de la Complémentaire santé solidaire n'en paient pas."
        }
        DeductionExemption::Ame => {
            "les bénéficiaires de l'aide médicale de l'État n'en paient pas."
        }
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::{BasisPoints, RegimeLocalPart};

    fn consultation(rate_rule: RateRule, rate_bp: u16) -> LineLiquidation {
        let rate = BasisPoints::new(rate_bp).unwrap();
        let amo = AmountCents::new(rate.apply(3000));
        LineLiquidation {
            line_no: 1,
            code: ActCode::parse("G").unwrap(),
            category: ActCategory::MedecinGeneraliste,
            charged: AmountCents::new(3000),
            tariff_amount: AmountCents::new(3000),
            base: AmountCents::new(3000),
            rate,
            rate_rule,
            amo,
            regime_local: None,
            c2s: AmountCents::new(0),
            excess: AmountCents::new(0),
            deduction: Some(Deduction {
                kind: DeductionKind::ParticipationForfaitaire,
                due: AmountCents::new(200),
                applied: AmountCents::new(200),
                limit: DeductionLimit::None,
            }),
        }
    }

    fn text(line: &LineLiquidation) -> String {
        explain_line(line).join(" ")
    }

    #[test]
    fn a_gp_consultation_of_30_euros_is_19_euros_after_the_participation() {
        let line = consultation(RateRule::Common, 7000);
        assert_eq!(line_reimbursed(&line), AmountCents::new(1900));
        assert_eq!(
            explain_line(&line),
            [
                "La base de remboursement de cet acte est de 30,00\u{a0}€.",
                "L'Assurance Maladie rembourse 70\u{a0}% de la base, le taux habituel pour ce type de soins (médecin généraliste) : 21,00\u{a0}€.",
                "La participation forfaitaire est déduite : 2,00\u{a0}€.",
                "Montant remboursé pour cet acte : 19,00\u{a0}€.",
            ]
        );
    }

    #[test]
    fn the_regime_local_brings_the_line_to_90_percent() {
        let mut line = consultation(RateRule::Common, 7000);
        line.regime_local = Some(RegimeLocalPart {
            rate: BasisPoints::new(9000).unwrap(),
            amount: AmountCents::new(600),
        });
        assert_eq!(line_reimbursed(&line), AmountCents::new(2500));
        let text = text(&line);
        assert!(text.contains("régime local d'Alsace-Moselle : il porte la prise en charge à 90\u{a0}% de la base et ajoute 6,00\u{a0}€."), "{text}");
        assert!(text.contains("Montant remboursé pour cet acte : 25,00\u{a0}€."));
    }

    #[test]
    fn every_rate_rule_says_why_in_its_own_words() {
        let mut seen = std::collections::HashSet::new();
        for rule in RateRule::ALL {
            let sentence = rate_sentence(&consultation(rule, 7000));
            assert!(sentence.contains("70\u{a0}%"), "{sentence}");
            assert!(
                seen.insert(sentence),
                "{rule:?} repeats another rule's sentence"
            );
        }
        let ald = text(&consultation(RateRule::Ald, 10_000));
        assert!(ald.contains("rembourse 100\u{a0}% de la base : ces soins sont en rapport avec votre affection de longue durée (ALD) : 30,00\u{a0}€."), "{ald}");
        assert!(ald.contains("Montant remboursé pour cet acte : 28,00\u{a0}€."));
        let mut c2s = consultation(RateRule::C2s, 7000);
        c2s.c2s = AmountCents::new(900);
        assert!(text(&c2s).contains(
            "Complémentaire santé solidaire prend en charge le reste de la base, 9,00\u{a0}€."
        ));
    }

    #[test]
    fn every_deduction_limit_and_exemption_says_why() {
        let exemptions = [
            DeductionExemption::Mineur,
            DeductionExemption::Maternite,
            DeductionExemption::C2s,
            DeductionExemption::Ame,
        ];
        let limits = [
            DeductionLimit::None,
            DeductionLimit::DailyCap,
            DeductionLimit::AnnualCap,
        ]
        .into_iter()
        .chain(exemptions.map(DeductionLimit::Exempt));
        let mut seen = std::collections::HashSet::new();
        for limit in limits {
            let applied = match limit {
                DeductionLimit::None => 200,
                DeductionLimit::DailyCap | DeductionLimit::AnnualCap => 100,
                DeductionLimit::Exempt(_) => 0,
            };
            let sentence = deduction_sentence(&Deduction {
                kind: DeductionKind::ParticipationForfaitaire,
                due: AmountCents::new(200),
                applied: AmountCents::new(applied),
                limit,
            });
            assert!(
                sentence.starts_with("La participation forfaitaire"),
                "{sentence}"
            );
            assert!(seen.insert(sentence), "{limit:?} repeats another sentence");
        }
    }

    #[test]
    fn a_cap_reached_leaves_nothing_to_deduct_and_says_so() {
        let capped = deduction_sentence(&Deduction {
            kind: DeductionKind::FranchiseBoite,
            due: AmountCents::new(100),
            applied: AmountCents::new(0),
            limit: DeductionLimit::AnnualCap,
        });
        assert_eq!(
            capped,
            "Rien n'est déduit au titre de la franchise médicale sur les médicaments (1,00\u{a0}€ d'habitude) : le plafond annuel de l'année civile est déjà atteint."
        );
        let minor = deduction_sentence(&Deduction {
            kind: DeductionKind::ParticipationForfaitaire,
            due: AmountCents::new(200),
            applied: AmountCents::new(0),
            limit: DeductionLimit::Exempt(DeductionExemption::Mineur),
        });
        assert_eq!(
            minor,
            "La participation forfaitaire (2,00\u{a0}€) n'est pas déduite : le patient avait moins de 18 ans le jour des soins."
        );
    }

    #[test]
    fn an_excess_is_named_and_not_reimbursed() {
        let mut line = consultation(RateRule::Common, 7000);
        line.charged = AmountCents::new(3500);
        line.excess = AmountCents::new(500);
        assert!(text(&line).contains("Le professionnel a facturé 35,00\u{a0}€ : le dépassement de 5,00\u{a0}€ n'est pas remboursé"));
    }

    #[test]
    fn acts_are_named_not_only_coded() {
        let g = ActCode::parse("G").unwrap();
        assert_eq!(
            act_label_fr(&g, ActCategory::MedecinGeneraliste),
            "Consultation de médecin généraliste (G)"
        );
        let box65 = ActCode::parse("PH7").unwrap();
        assert_eq!(
            act_label_fr(&box65, ActCategory::Pharmacie65),
            "Médicament remboursable à 65 % (PH7)"
        );
    }
}
