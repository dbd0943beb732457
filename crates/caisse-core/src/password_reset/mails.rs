//! The two mails of a reset. Plain French text with no health data: a mailbox is not a safe
//! place, and the link itself is the only secret they carry.

use caisse_store::members::MemberRecord;

/// The mail carrying the reset link: its subject and body.
pub(super) fn link(member: &MemberRecord, link: &str, fund: &str) -> (&'static str, String) {
    (
        "Réinitialisation de votre mot de passe",
        format!(
            "Bonjour {first_name},\n\n\
             Vous avez demandé à choisir un nouveau mot de passe pour votre compte en ligne.\n\n\
             Pour le choisir, ouvrez ce lien :\n\
             {link}\n\n\
             Ce lien est valable une heure et ne sert qu'une seule fois. Passé ce délai, \
             refaites une demande depuis la page de connexion, rubrique « Mot de passe oublié ? ».\n\n\
             Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de \
             passe reste inchangé.\n\n\
             {fund}\n",
            first_name = member.first_name,
        ),
    )
}

/// The confirmation sent once the new password is set: its subject and body.
pub(super) fn changed(member: &MemberRecord, fund: &str, phone: &str) -> (&'static str, String) {
    (
        "Votre mot de passe a été modifié",
        format!(
            "Bonjour {first_name},\n\n\
             Votre mot de passe a été modifié. Vous pouvez désormais vous connecter à votre \
             compte en ligne avec ce nouveau mot de passe. Par sécurité, toutes les connexions \
             ouvertes sur votre compte ont été fermées.\n\n\
             Si vous n'êtes pas à l'origine de ce changement, appelez sans attendre votre caisse \
             au {phone} : un conseiller bloquera l'accès à votre compte.\n\n\
             {fund}\n",
            first_name = member.first_name,
        ),
    )
}
