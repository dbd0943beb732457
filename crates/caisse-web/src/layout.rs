//! The data every page template receives as `layout`.

use crate::config::Brand;
use crate::pages::profile::Done;
use crate::visitor::{Viewer, Visitor};

/// A one-time notice shown at the top of a page.
#[derive(Clone, Debug)]
pub struct Flash {
    /// "succes", "info" or "erreur".
    pub kind: &'static str,
    /// The French message.
    pub message: String,
}

/// Notices that a page shows because of a fixed code in its address, left by a redirect
/// (path, query pair, kind, message). Only these messages exist, so no address can make a
/// page display text of its choosing.
const ADDRESS_NOTICES: &[(&str, &str, &str, &str)] = &[
    (
        "/connexion",
        "motdepasse=modifie",
        "succes",
        "Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe.",
    ),
    (
        "/connexion",
        "compte=active",
        "succes",
        "Votre compte est activé. Connectez-vous avec votre numéro de sécurité sociale et votre mot de passe.",
    ),
    (
        "/profil",
        Done::Password.query(),
        "succes",
        "Votre mot de passe a été modifié. Vos autres connexions ont été fermées.",
    ),
    (
        "/profil",
        Done::Phone.query(),
        "succes",
        "Votre nouveau numéro de mobile est enregistré.",
    ),
    (
        "/profil",
        Done::Address.query(),
        "succes",
        "Votre nouvelle adresse postale est enregistrée.",
    ),
    (
        "/profil",
        Done::BankRequested.query(),
        "succes",
        "Vos nouvelles coordonnées bancaires sont enregistrées. Elles remplaceront les \
         précédentes à la date indiquée ci-dessous ; d'ici là, vous pouvez annuler ce changement.",
    ),
    (
        "/profil",
        Done::BankCancelled.query(),
        "succes",
        "Le changement de coordonnées bancaires est annulé : vos coordonnées actuelles restent \
         en place.",
    ),
    (
        "/profil",
        Done::Notifications.query(),
        "succes",
        "Vos préférences de notification sont enregistrées.",
    ),
    (
        "/profil/connexions",
        "fait=fermeture",
        "succes",
        "La connexion est fermée.",
    ),
    (
        "/profil/connexions",
        "fait=franceconnect",
        "succes",
        "FranceConnect n'est plus relié à votre compte.",
    ),
];

/// The notice the address of a request asks for, if it is one of [`ADDRESS_NOTICES`].
pub fn address_notice(path: &str, query: Option<&str>) -> Option<Flash> {
    let pairs: Vec<&str> = query.map(|q| q.split('&').collect()).unwrap_or_default();
    ADDRESS_NOTICES
        .iter()
        .find(|(p, pair, _, _)| *p == path && pairs.contains(pair))
        .map(|(_, _, kind, message)| Flash {
            kind,
            message: (*message).to_owned(),
        })
}

/// Page frame: title, brand, who is looking, CSRF token, current section.
#[derive(Clone)]
pub struct Layout {
    /// Page title, without the brand suffix.
    pub title: String,
    /// Branding.
    pub brand: Brand,
    /// Token every POST form must echo.
    pub csrf_token: String,
    /// Notice to show.
    pub flash: Option<Flash>,
    section: &'static str,
    viewer: Viewer,
}

impl std::fmt::Debug for Layout {
    /// Neither the CSRF token nor the viewer's name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layout")
            .field("title", &self.title)
            .field("section", &self.section)
            .field("viewer", &self.viewer)
            .finish_non_exhaustive()
    }
}

impl Layout {
    /// A layout for this visitor.
    pub fn new(
        visitor: &Visitor,
        brand: &Brand,
        title: impl Into<String>,
        section: &'static str,
    ) -> Layout {
        Layout {
            title: title.into(),
            brand: brand.clone(),
            csrf_token: visitor.csrf_token.clone(),
            flash: visitor.notice.clone(),
            section,
            viewer: visitor.viewer.clone(),
        }
    }

    /// Whether `section` is the page's section (for `aria-current`).
    pub fn is_current(&self, section: &str) -> bool {
        self.section == section
    }

    /// The logged-in person's display name.
    pub fn viewer_name(&self) -> Option<&str> {
        match &self.viewer {
            Viewer::Anonymous => None,
            Viewer::Member { display_name, .. } | Viewer::Staff { display_name, .. } => {
                Some(display_name)
            }
        }
    }

    /// A member is logged in.
    pub fn is_member(&self) -> bool {
        matches!(self.viewer, Viewer::Member { .. })
    }

    /// A staff user is logged in.
    pub fn is_staff(&self) -> bool {
        matches!(self.viewer, Viewer::Staff { .. })
    }

    /// An administrator is logged in.
    pub fn is_admin(&self) -> bool {
        matches!(
            self.viewer,
            Viewer::Staff {
                role: caisse_core::staff::StaffRole::Administrateur,
                ..
            }
        )
    }

    /// A supervisor or an administrator is logged in (they handle the print queue).
    pub fn may_print(&self) -> bool {
        self.supervises()
    }

    /// A supervisor or an administrator is logged in (dashboard, médiateur's queue).
    pub fn supervises(&self) -> bool {
        matches!(
            self.viewer,
            Viewer::Staff {
                role: caisse_core::staff::StaffRole::Superviseur
                    | caisse_core::staff::StaffRole::Administrateur,
                ..
            }
        )
    }
}
