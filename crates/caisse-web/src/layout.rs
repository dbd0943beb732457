//! The data every page template receives as `layout`.

use crate::config::Brand;
use crate::pages::profile::Done;
use crate::state::AppState;
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

/// The counts the member's menu shows beside « Ma messagerie » and « Mes démarches ».
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MenuBadges {
    /// Threads with an answer the member has not read.
    pub unread_messages: u64,
    /// Dossiers waiting for the member (drafts to finish, dossiers to complete).
    pub waiting_dossiers: u64,
}

impl MenuBadges {
    /// The member's counts: two indexed counts, once per request. A failed count shows as
    /// none rather than failing the page: the badge is a hint, the pages themselves tell.
    pub async fn of(state: &AppState, member_id: uuid::Uuid) -> MenuBadges {
        let (messages, dossiers) = tokio::join!(
            state.messaging.member.unread_count(member_id),
            state.demarches.waiting_count(member_id),
        );
        MenuBadges {
            unread_messages: messages.unwrap_or_else(|error| {
                tracing::warn!(%error, "unread threads not counted for the menu");
                0
            }),
            waiting_dossiers: dossiers.unwrap_or_else(|error| {
                tracing::warn!(%error, "waiting dossiers not counted for the menu");
                0
            }),
        }
    }

    /// « 1 non lu », « 2 non lus »: what a screen reader hears after the messaging badge.
    pub fn unread_label(&self) -> &'static str {
        if self.unread_messages > 1 {
            "non lus"
        } else {
            "non lu"
        }
    }

    /// « 1 attend votre action », « 2 attendent votre action ».
    pub fn waiting_label(&self) -> &'static str {
        if self.waiting_dossiers > 1 {
            "attendent votre action"
        } else {
            "attend votre action"
        }
    }
}

/// `tel:` link target for a phone number as people write it (« 36 46 » → `tel:3646`): only
/// digits and a leading `+` are kept.
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect();
    format!("tel:{digits}")
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
    /// The member menu's counts (zero for anyone else).
    pub badges: MenuBadges,
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
            badges: visitor.badges,
            section,
            viewer: visitor.viewer.clone(),
        }
    }

    /// The URL of the static file `path` (`"css/caisse.css"`), with the hash of its bytes:
    /// every template links static files through it (`crate::assets`).
    pub fn asset(&self, path: &str) -> String {
        crate::assets::url(path)
    }

    /// Whether `section` is the page's section (for `aria-current`).
    pub fn is_current(&self, section: &str) -> bool {
        self.section == section
    }

    /// A page of the staff's space (`/agent/…`, `/admin/…`), whoever looks at it: it never
    /// shows the members' or the visitors' menu.
    pub fn is_staff_area(&self) -> bool {
        self.section.starts_with("agent") || self.section == "admin"
    }

    /// The `tel:` link of the fund's phone number.
    pub fn phone_href(&self) -> String {
        tel_href(&self.brand.phone)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_links_keep_only_digits_and_a_leading_plus() {
        assert_eq!(tel_href("36 46"), "tel:3646");
        assert_eq!(tel_href("+33 1 23 45 67 89"), "tel:+33123456789");
        assert_eq!(tel_href("01.23.45.67.89"), "tel:0123456789");
        assert_eq!(tel_href("36+46"), "tel:3646");
    }

    #[test]
    fn badge_labels_agree_with_the_count() {
        let one = MenuBadges {
            unread_messages: 1,
            waiting_dossiers: 1,
        };
        let two = MenuBadges {
            unread_messages: 2,
            waiting_dossiers: 3,
        };
        assert_eq!(one.unread_label(), "non lu");
        assert_eq!(two.unread_label(), "non lus");
        assert_eq!(one.waiting_label(), "attend votre action");
        assert_eq!(two.waiting_label(), "attendent votre action");
    }
}
