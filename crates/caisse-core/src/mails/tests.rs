use super::*;
use time::Duration;
use time::macros::{date, datetime};

const BASE: &str = "https://portail.example";
const FUND: &str = "CPAM de Paris";

#[test]
fn a_mail_is_its_subject_line_then_its_body_ending_with_a_newline() -> Result<(), TextError> {
    let text = mail(&profile::PhoneChanged {
        first_name: "Julien",
    })?;
    assert_eq!(text.subject, "Votre numéro de mobile a été modifié");
    assert_eq!(
        text.body,
        "Bonjour Julien,\n\nLe numéro de mobile de votre compte en ligne vient d'être modifié.\n"
    );
    Ok(())
}

#[test]
fn an_sms_has_no_final_newline() -> Result<(), TextError> {
    let login = sms(&security::CodeSms {
        purpose: security::CodePurpose::Login,
        code: "123456",
        minutes: 10,
    })?;
    assert_eq!(
        login,
        "Votre code de connexion : 123456. Valable 10 minutes. Ne le communiquez a personne."
    );
    let phone = sms(&security::CodeSms {
        purpose: security::CodePurpose::PhoneConfirmation,
        code: "654321",
        minutes: 15,
    })?;
    assert_eq!(
        phone,
        "Votre code de confirmation : 654321. Valable 15 minutes. Ne le communiquez a personne."
    );
    Ok(())
}

#[test]
fn a_security_mail_ends_with_its_not_me_link() -> Result<(), TextError> {
    let text = body(&security::WithNotMeLink {
        body: "Bonjour Julien,",
        base_url: BASE,
        token: "abc",
    })?;
    assert_eq!(
        text,
        "Bonjour Julien,\n\nCe n'était pas vous ? Ouvrez ce lien pour le signaler :\n\
         https://portail.example/ce-n-etait-pas-moi/abc\nToutes les connexions à votre compte \
         seront fermées, les changements de coordonnées bancaires bloqués et votre caisse \
         prévenue.\n"
    );
    Ok(())
}

#[test]
fn staff_mails_end_with_what_to_do_if_it_was_not_them() -> Result<(), TextError> {
    let text = mail(&staff::CodeLock {
        name: "Alice Martin",
        login: "amartin",
        duration: Duration::hours(1),
    })?;
    assert!(
        text.body.ends_with(
            "(identifiant « amartin ») est bloqué pour une durée de 1 heure.\n\nSi ce \
                        n'est pas vous, votre mot de passe est connu d'un tiers : prévenez tout \
                        de suite un administrateur de votre caisse.\n"
        ),
        "{}",
        text.body
    );
    Ok(())
}

#[test]
fn dates_come_from_the_french_module() -> Result<(), TextError> {
    let sent = mail(&messaging::MessageSent {
        reference: "MSG-1",
        due_on: date!(2026 - 03 - 12),
        link: BASE,
        fund: FUND,
    })?;
    assert!(sent.body.contains("au plus tard le 12/03/2026.\n"));
    let bank = mail(&profile::BankDetailsChanged {
        first_name: "Julien",
        iban_masked: "FR76 •••• 1234",
        effective_at: datetime!(2026-03-05 10:07),
    })?;
    assert!(bank.body.contains("le 05/03/2026 à 10 h 07 ;"));
    Ok(())
}

fn link() -> OneTimeLink<'static> {
    OneTimeLink {
        first_name: "Julien",
        base_url: BASE,
        token: "abc",
        hours: 48,
        fund: FUND,
    }
}

#[test]
fn link_mails_carry_their_link_and_its_lifetime() -> Result<(), TextError> {
    let text = mail(&account::ActivationLink { link: link() })?;
    assert_eq!(text.subject, "Activez votre compte");
    assert!(text.body.contains(
        "ouvrez ce lien :\nhttps://portail.example/inscription/activer/abc\n\nCe lien est \
         valable 48 heures"
    ));
    Ok(())
}

/// Every mail template starts with a one-line subject.
#[test]
fn every_mail_has_a_subject() -> Result<(), TextError> {
    let (first_name, token, fund) = ("Julien", "abc", FUND);
    let subjects = [
        mail(&security::LoginCode {
            first_name,
            code: "123456",
            minutes: 10,
            base_url: BASE,
        })?,
        mail(&security::AccountLocked {
            name: first_name,
            duration: Duration::minutes(15),
            base_url: BASE,
        })?,
        mail(&security::AccountSuspended {
            first_name,
            phone: "36 46",
        })?,
        mail(&password_reset::ResetLink {
            first_name,
            base_url: BASE,
            token,
            fund,
        })?,
        mail(&password_reset::ResetDone {
            first_name,
            fund,
            phone: "36 46",
        })?,
        mail(&account::ActivationLink { link: link() })?,
        mail(&account::AlreadyRegistered {
            first_name,
            base_url: BASE,
            fund,
        })?,
        mail(&account::Activated {
            first_name,
            base_url: BASE,
            fund,
        })?,
        mail(&account::Closed {
            first_name,
            base_url: BASE,
        })?,
        mail(&account::ProvisionalCodeSent { first_name, fund })?,
        mail(&account::ProvisionalCodeUsed { first_name, fund })?,
        mail(&profile::PasswordChanged { first_name })?,
        mail(&profile::EmailChangeLink { link: link() })?,
        mail(&profile::EmailChangeRequested { first_name })?,
        mail(&profile::EmailTaken { first_name, fund })?,
        mail(&profile::AddressChanged { first_name })?,
        mail(&staff::TotpEnrolled {
            name: first_name,
            login: "jdupont",
        })?,
        mail(&messaging::ReplyReceived {
            reference: "MSG-1",
            link: BASE,
            fund,
        })?,
        mail(&messaging::MediationReceived {
            reference: "MED-1",
            link: BASE,
            fund,
        })?,
        mail(&demo::AccountOpened { first_name, fund })?,
    ]
    .map(|text| text.subject);
    assert!(subjects.iter().all(|s| !s.is_empty() && !s.contains('\n')));
    Ok(())
}
