//! The booking's choices so far (motif, channel, branch, and the thread or dossier it is booked
//! from), as the steps' addresses and hidden fields carry them, and the stepper they make.

use caisse_domain::agenda::Channel;
use serde::Deserialize;
use uuid::Uuid;

use super::link::LinkFields;
use crate::state::AppState;

/// The choices made so far, as the steps' addresses and hidden fields carry them.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Choices {
    #[serde(default)]
    pub motif: String,
    #[serde(default)]
    pub canal: String,
    #[serde(default)]
    pub accueil: String,
    #[serde(default)]
    pub fil: String,
    #[serde(default)]
    pub dossier: String,
}

impl Choices {
    pub(super) fn link(&self) -> LinkFields {
        LinkFields {
            fil: self.fil.clone(),
            dossier: self.dossier.clone(),
        }
    }

    /// The same choices with only the member's own thread or dossier.
    pub(super) async fn checked(mut self, state: &AppState, member_id: Uuid) -> Choices {
        let link = self.link().checked(state, member_id).await;
        self.fil = link.fil;
        self.dossier = link.dossier;
        self
    }

    /// The channel chosen, if it is one.
    pub(super) fn channel(&self) -> Option<Channel> {
        Channel::from_code(self.canal.trim())
    }

    /// The branch chosen: only for a branch appointment (other channels have none).
    pub(super) fn site(&self, channel: Channel) -> Option<Uuid> {
        (channel == Channel::Agence)
            .then(|| Uuid::parse_str(self.accueil.trim()).ok())
            .flatten()
    }

    /// The address of the booking with the choices up to `step` (1: none, 2: the motif, 3:
    /// the motif and the channel).
    pub(super) fn href(&self, step: usize) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if step >= 2 {
            pairs.push(("motif", &self.motif));
        }
        if step >= 3 {
            pairs.push(("canal", &self.canal));
            if !self.accueil.is_empty() {
                pairs.push(("accueil", &self.accueil));
            }
        }
        if !self.fil.is_empty() {
            pairs.push(("fil", &self.fil));
        }
        if !self.dossier.is_empty() {
            pairs.push(("dossier", &self.dossier));
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if query.is_empty() {
            "/rendez-vous/nouveau".to_owned()
        } else {
            format!("/rendez-vous/nouveau?{query}")
        }
    }
}

/// One step of the stepper.
pub(super) struct StepLink {
    pub title: &'static str,
    pub href: String,
    pub current: bool,
    pub done: bool,
}

const STEP_TITLES: [&str; 4] = ["Motif", "Type de rendez-vous", "Créneau", "Confirmation"];

/// The stepper at step `current` (1 to 4).
pub(super) fn stepper(choices: &Choices, current: usize) -> Vec<StepLink> {
    STEP_TITLES
        .iter()
        .enumerate()
        .map(|(index, title)| StepLink {
            title,
            href: choices.href(index + 1),
            current: index + 1 == current,
            done: index + 1 < current,
        })
        .collect()
}
