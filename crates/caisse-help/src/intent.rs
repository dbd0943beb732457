//! The questions the assistant answers by acting: a deep link into a feature.

use crate::text::words;

/// Something the member wants done rather than explained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// « télécharger mon attestation » → the attestations page.
    DownloadAttestation,
    /// « commander une carte Vitale » → the démarche `carte-vitale`.
    OrderCarteVitale,
    /// « où en est mon remboursement » → the member's latest payment.
    LatestPayment,
    /// « prendre rendez-vous » → booking.
    BookAppointment,
    /// « écrire à ma caisse » → a new message.
    WriteToFund,
}

/// An intent is asked when the question holds one of its actions and one of its objects, and
/// none of the words that make it a question for the FAQ instead. Phrases are normalised
/// words; a word ending in `*` matches any word it starts.
struct Rule {
    intent: Intent,
    actions: &'static [&'static str],
    objects: &'static [&'static str],
    unless: &'static [&'static str],
}

/// In order: the first rule that holds wins.
const RULES: &[Rule] = &[
    Rule {
        intent: Intent::DownloadAttestation,
        actions: &[
            "telecharg*",
            "imprim*",
            "obten*",
            "obtien*",
            "avoir",
            "recuper*",
            "edit*",
            "sortir",
            "besoin",
            "ou trouver",
            "generer",
        ],
        objects: &["attestation*", "atestation*", "attest"],
        // Checking someone's attestation, or the attestations of payments of the IJ: the FAQ.
        unless: &[
            "verif*",
            "control*",
            "authenti*",
            "faux",
            "fausse*",
            "vraie",
            "ij",
            "indemnit*",
            "paiement*",
            "salaire*",
            "fiscal*",
            "impot*",
        ],
    },
    Rule {
        intent: Intent::OrderCarteVitale,
        // « demande » alone is as often the noun (« ma demande de carte ») as the verb.
        actions: &[
            "command*",
            "demander",
            "demande une",
            "demande la",
            "demande ma",
            "refaire",
            "nouvelle",
            "nouveau",
            "obtenir",
            "renouvel*",
            "remplac*",
        ],
        objects: &["carte vitale", "carte vital", "cv"],
        // A lost or stolen card has its own démarche and entry; the attestation, the European
        // card and a card already received are questions for the FAQ.
        unless: &[
            "perdu*",
            "perte",
            "vol",
            "vole",
            "volee*",
            "egare*",
            "attestation*",
            "europeenne",
            "ceam",
            "recu",
            "recue",
            "ancienne",
        ],
    },
    Rule {
        intent: Intent::BookAppointment,
        actions: &[
            "prendre", "avoir", "fixer", "obtenir", "reserver", "demander", "besoin",
        ],
        objects: &["rendez vous", "rdv", "rendezvous"],
        // Moving or cancelling one is explained; a doctor's appointment is not the fund's.
        unless: &[
            "annul*",
            "deplac*",
            "modif*",
            "report*",
            "decal*",
            "medecin*",
            "docteur",
            "dentiste",
            "specialiste",
            "generaliste",
            "kine*",
            "ophtalmo*",
            "dermato*",
            "gyneco*",
            "psy*",
        ],
    },
    Rule {
        intent: Intent::WriteToFund,
        actions: &[
            "ecrire",
            "ecris",
            "contacter",
            "joindre",
            "envoyer un message",
            "envoyer un mail",
            "envoyer un courriel",
            "poser une question",
        ],
        objects: &[
            "caisse",
            "conseiller*",
            "cpam",
            "secu",
            "assurance maladie",
            "ameli",
        ],
        // Answers, delays, attachments and the médiateur are explained.
        unless: &[
            "reponse*",
            "repond*",
            "mediateur",
            "delai*",
            "piece* jointe*",
            "format*",
        ],
    },
    Rule {
        intent: Intent::LatestPayment,
        actions: &[
            "ou en est",
            "ou en sont",
            "suivre",
            "suivi",
            "quand",
            "pas recu",
            "toujours pas",
            "pas encore",
            "dernier",
            "derniers",
        ],
        objects: &["rembours*", "paiement*", "virement*"],
        // The top-up cover's payments and the member's debts are not the member's latest
        // payment.
        unless: &[
            "mutuelle",
            "complementaire",
            "dette*",
            "trop percu",
            "sommes a payer",
            "delai*",
        ],
    },
];

/// The intent of a question, if it asks for one of them.
#[must_use]
pub fn detect_intent(query: &str) -> Option<Intent> {
    let words = words(query);
    RULES
        .iter()
        .find(|rule| {
            holds_any(&words, rule.actions)
                && holds_any(&words, rule.objects)
                && !holds_any(&words, rule.unless)
        })
        .map(|rule| rule.intent)
}

/// Whether `words` hold one of `phrases`.
fn holds_any(words: &[String], phrases: &[&str]) -> bool {
    phrases.iter().any(|phrase| holds(words, phrase))
}

/// Whether `words` hold `phrase`, its words in a row.
fn holds(words: &[String], phrase: &str) -> bool {
    let pattern: Vec<&str> = phrase.split(' ').collect();
    words.windows(pattern.len()).any(|window| {
        window
            .iter()
            .zip(&pattern)
            .all(|(word, wanted)| match wanted.strip_suffix('*') {
                Some(start) => word.starts_with(start),
                None => word == wanted,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(intent: Option<Intent>, questions: &[&str]) {
        for question in questions {
            assert_eq!(detect_intent(question), intent, "« {question} »");
        }
    }

    #[test]
    fn download_attestation() {
        all(
            Some(Intent::DownloadAttestation),
            &[
                "Télécharger mon attestation de droits",
                "je voudrais imprimer une attestation d'assurance maladie",
                "comment obtenir l'attestation pour mon employeur",
                "besoin d une atestation secu",
            ],
        );
        all(
            None,
            &[
                "comment vérifier une attestation qu'on m'a remise",
                "télécharger l'attestation de paiement des indemnités journalières",
                "mon attestation est elle valable",
            ],
        );
    }

    #[test]
    fn order_carte_vitale() {
        all(
            Some(Intent::OrderCarteVitale),
            &[
                "commander une carte Vitale",
                "refaire ma CV svp",
                "demander une nouvelle carte vitale pour mon fils",
            ],
        );
        all(
            None,
            &[
                "j'ai perdu ma carte vitale",
                "carte vitale volée que faire",
                "demander la carte européenne",
                "mettre à jour ma carte vitale",
                "ma demande de carte vitale a été refusée",
                "quel format de photo pour ma demande de CV",
            ],
        );
    }

    #[test]
    fn latest_payment() {
        all(
            Some(Intent::LatestPayment),
            &[
                "Où en est mon remboursement ?",
                "quand vais je etre rembourse",
                "suivre mes paiements",
                "toujours pas reçu le virement",
            ],
        );
        all(
            None,
            &[
                "combien est remboursée une consultation",
                "ma mutuelle ne m'a pas remboursé",
            ],
        );
    }

    #[test]
    fn book_appointment() {
        all(
            Some(Intent::BookAppointment),
            &[
                "prendre rendez-vous avec un conseiller",
                "avoir un rdv a l accueil",
                "fixer un RDV",
            ],
        );
        all(
            None,
            &[
                "annuler mon rendez-vous",
                "prendre rdv chez le médecin",
                "rendez-vous",
            ],
        );
    }

    #[test]
    fn write_to_fund() {
        all(
            Some(Intent::WriteToFund),
            &[
                "écrire à ma caisse",
                "contacter un conseiller",
                "envoyer un message à la CPAM",
            ],
        );
        all(
            None,
            &[
                "ma caisse ne répond pas à mon message",
                "écrire une lettre de motivation",
                "contacter la CAF",
            ],
        );
    }

    #[test]
    fn other_questions_have_no_intent() {
        all(
            None,
            &[
                "",
                "arrêt de travail",
                "quel temps fera-t-il demain",
                "attestation",
            ],
        );
    }
}
