//! What a member sees of their own file.

use caisse_domain::{AuditAction, Fund, Nir};
use caisse_store::{Db, members};
use time::Date;
use uuid::Uuid;

use crate::CoreError;

/// A person covered by the member's rights.
#[derive(Clone)]
pub struct BeneficiaryView {
    /// Rank, "01" for the member, then "02"….
    pub rank: i16,
    /// First and last name.
    pub full_name: String,
    /// Birth date.
    pub birth_date: Date,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for BeneficiaryView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BeneficiaryView")
            .field("rank", &self.rank)
            .finish_non_exhaustive()
    }
}

/// The member file as its owner sees it.
#[derive(Clone)]
pub struct MemberOverview {
    /// Id.
    pub id: Uuid,
    /// First name.
    pub first_name: String,
    /// First name and (usage or birth) last name.
    pub full_name: String,
    /// The NIR.
    pub nir: Nir,
    /// Birth date.
    pub birth_date: Date,
    /// "1" or "2".
    pub sex_code: String,
    /// Fund name.
    pub fund_name: String,
    /// Contact email held by the fund.
    pub email: Option<String>,
    /// Mobile phone (E.164).
    pub phone: Option<String>,
    /// Postal address lines.
    pub address_lines: Vec<String>,
    /// Beneficiaries, the member first.
    pub beneficiaries: Vec<BeneficiaryView>,
}

/// Masked: no personal data (names, NIR, contact details, codes) in logs.
impl std::fmt::Debug for MemberOverview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberOverview")
            .field("id", &self.id)
            .field("beneficiaries", &self.beneficiaries)
            .finish_non_exhaustive()
    }
}

/// Loads a member's overview.
///
/// # Errors
/// When the database fails or the stored NIR or fund code no longer parses.
pub async fn overview(db: &Db, member_id: Uuid) -> Result<Option<MemberOverview>, CoreError> {
    let Some(m) = members::find(db, member_id).await? else {
        return Ok(None);
    };
    let fund_name = Fund::by_code(&m.caisse_code).name().to_owned();
    let full_name = m.display_name();
    let mut beneficiaries = vec![BeneficiaryView {
        rank: 1,
        full_name: full_name.clone(),
        birth_date: m.birth_date,
    }];
    beneficiaries.extend(
        members::beneficiaries(db, member_id)
            .await?
            .into_iter()
            .map(|b| BeneficiaryView {
                rank: b.rank,
                full_name: format!("{} {}", b.first_name, b.last_name),
                birth_date: b.birth_date,
            }),
    );
    let mut address_lines = vec![m.address_line1.clone()];
    address_lines.extend(m.address_line2.clone());
    address_lines.push(format!("{} {}", m.postal_code, m.city));
    Ok(Some(MemberOverview {
        id: m.id,
        first_name: m.first_name,
        full_name,
        nir: m.nir,
        birth_date: m.birth_date,
        sex_code: m.sex.code().to_string(),
        fund_name,
        email: m.email.map(|e| e.as_str().to_owned()),
        phone: m.phone.map(|p| p.as_e164().to_owned()),
        address_lines,
        beneficiaries,
    }))
}

/// One line of a member's security history.
#[derive(Clone)]
pub struct SecurityEvent {
    /// When it happened.
    pub at: time::OffsetDateTime,
    /// What happened, in French.
    pub label_fr: &'static str,
    /// The address it came from.
    pub ip: String,
}

debug_fields!(SecurityEvent { at, label_fr });

/// The French wording of the security events a member may see; other events are internal.
fn security_label(action: AuditAction) -> Option<&'static str> {
    Some(match action {
        AuditAction::MemberLoginSucceeded => "Connexion réussie",
        AuditAction::MemberLoginFailed => "Mot de passe erroné",
        AuditAction::MemberAccountLocked => "Compte bloqué temporairement après plusieurs erreurs",
        AuditAction::MemberLoginRefusedLocked => "Tentative de connexion pendant un blocage",
        AuditAction::MemberLoginCodeSent => "Code de connexion envoyé par e-mail",
        AuditAction::MemberLoginCodeRefused => "Code de connexion erroné",
        AuditAction::MemberLoginCodeConfirmed => "Connexion confirmée depuis un nouvel appareil",
        AuditAction::MemberDeviceTrusted => "Appareil enregistré comme appareil de confiance",
        AuditAction::MemberApiTokenIssued => "Connexion depuis l'application",
        AuditAction::MemberPasswordResetRequested => "Demande de réinitialisation du mot de passe",
        AuditAction::MemberPasswordResetCompleted => "Mot de passe modifié",
        AuditAction::MemberPasswordChanged => "Mot de passe modifié depuis « Mon profil »",
        AuditAction::MemberRegistrationRequested => "Demande de création du compte",
        AuditAction::MemberAccountActivated => "Compte activé",
        AuditAction::MemberAccountSuspended => "Compte suspendu par précaution",
        AuditAction::MemberAccountUnlocked => "Compte débloqué par un conseiller",
        AuditAction::MemberAccountClosed => "Compte fermé",
        AuditAction::MemberLoginRefusedSuspended => "Tentative de connexion pendant une suspension",
        AuditAction::MemberProvisionalCodeSent => "Code provisoire envoyé par courrier",
        AuditAction::MemberProvisionalCodeRefused => "Code provisoire erroné",
        AuditAction::MemberProvisionalCodeRedeemed => "Code provisoire utilisé",
        AuditAction::MemberEmailChangeRequested => "Changement d'adresse e-mail demandé",
        AuditAction::MemberEmailChanged => "Adresse e-mail modifiée",
        AuditAction::MemberPhoneChanged => "Numéro de mobile modifié",
        AuditAction::MemberAddressChanged => "Adresse postale modifiée",
        AuditAction::MemberBankDetailsChangeRequested => "Nouvelles coordonnées bancaires saisies",
        AuditAction::MemberBankDetailsChangeCancelled => {
            "Changement de coordonnées bancaires annulé"
        }
        AuditAction::MemberBankDetailsChanged => "Coordonnées bancaires modifiées",
        AuditAction::MemberBankDetailsUnfrozen => {
            "Changements de coordonnées bancaires de nouveau permis"
        }
        AuditAction::MemberSessionRevoked => "Connexion fermée depuis « Mes connexions »",
        AuditAction::MemberDeviceRevoked => "Appareil de confiance retiré",
        AuditAction::MemberApiTokenRevoked => "Accès de l'application retiré",
        AuditAction::MemberSecurityNotMe => "Signalement « Ce n'était pas moi »",
        AuditAction::MemberFranceconnectLinked => "FranceConnect relié au compte",
        AuditAction::MemberFranceconnectLogin => "Connexion avec FranceConnect",
        AuditAction::MemberFranceconnectUnlinked => "Lien avec FranceConnect retiré",
        AuditAction::MemberFranceconnectRefused => "Connexion avec FranceConnect refusée",
        _ => return None,
    })
}

/// The latest security events about a member, newest first: logins, locks, codes, password
/// changes. Staff accesses are a separate history (the messaging issue).
///
/// # Errors
/// When the database fails.
pub async fn security_history(
    db: &Db,
    member_id: Uuid,
    limit: u64,
) -> Result<Vec<SecurityEvent>, CoreError> {
    let events = caisse_store::audit::for_subject(db, "member", member_id, limit * 2).await?;
    Ok(events
        .into_iter()
        .filter_map(|e| {
            security_label(e.action).map(|label_fr| SecurityEvent {
                at: e.at.get(),
                label_fr,
                ip: e.ip,
            })
        })
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect())
}
