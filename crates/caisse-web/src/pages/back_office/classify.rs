//! « Nature de la demande » on `/agent/messagerie/{id}`: the choices an advisor classifies a
//! thread with (every nature but « non précisée », the member's « Je ne sais pas »). The
//! form posts to `/agent/messagerie/{id}/nature` (`actions::classify`).

use caisse_domain::messaging::Nature;

/// The natures an advisor may set, as (code, label), in the order of the member's form.
pub fn choices() -> Vec<(&'static str, &'static str)> {
    Nature::CLASSIFIED
        .iter()
        .map(|n| (n.code(), n.label_fr()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn non_precisee_is_not_a_choice() {
        let codes: Vec<&str> = super::choices().iter().map(|(code, _)| *code).collect();
        assert_eq!(
            codes,
            ["demande_renseignements", "signalement", "reclamation"]
        );
    }
}
