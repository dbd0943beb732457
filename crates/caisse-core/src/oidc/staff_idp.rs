//! Staff login through the fund's own identity provider (a Keycloak, an ADFS…), replacing
//! password + TOTP when configured: the provider does the authentication (and its own second
//! factor); Caisse maps one claim to the staff member's login, and groups to a role and teams.
//!
//! The provider is the authority: at each login the role and the mapped teams follow the
//! groups it sends (teams no group maps are left alone). A login no group gives a role is
//! refused. Staff unknown to Caisse are created only when the fund allows it; otherwise they
//! must exist already. Local passwords remain only for the break-glass logins the fund lists.

use std::sync::Arc;

use caisse_domain::messaging::TeamCode;
use caisse_domain::{AuditAction, CaisseCode, Email, LoginProvider, StaffRole};
use caisse_store::staff::NewStaff;
use caisse_store::{Db, TransactionTrait, staff, teams};
use serde_json::{Value, json};
use url::Url;
use uuid::Uuid;

use super::{FlowError, OidcProvider, OidcSeal, ProviderAnswer, Relying, VerifiedIdentity};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::clock::Clock;
use crate::one_time::Issued;
use crate::passwords::PasswordHasherPool;

/// Where the staff provider sends the browser back (registered at the provider).
pub const CALLBACK_PATH: &str = "/agent/connexion/oidc/retour";

/// The relying-party settings of a fund's staff provider for a back office at `base_url`:
/// `profile email groups`, the secret in a Basic header, a plain JSON userinfo.
pub fn settings(
    issuer: &str,
    client_id: &str,
    client_secret: &str,
    base_url: &str,
) -> super::OidcSettings {
    super::OidcSettings {
        issuer: issuer.trim_end_matches('/').to_owned(),
        client_id: client_id.to_owned(),
        client_secret: client_secret.to_owned(),
        redirect_url: format!("{base_url}{CALLBACK_PATH}"),
        post_logout_url: Some(format!("{base_url}/agent/connexion")),
        scopes: ["profile", "email", "groups"].map(str::to_owned).to_vec(),
        acr_values: None,
        accepted_acr: Vec::new(),
        signed_userinfo: false,
        secret_in_body: false,
    }
}

/// How the fund's provider maps to staff accounts.
#[derive(Clone, Debug)]
pub struct StaffIdpRules {
    /// The claim that holds the staff member's login (`preferred_username`).
    pub login_claim: String,
    /// The claim that lists the person's groups (`groups`).
    pub groups_claim: String,
    /// Which group gives which role; with several, the highest role wins.
    pub roles: Vec<(String, StaffRole)>,
    /// Which group puts the person in which of the fund's teams.
    pub teams: Vec<(String, TeamCode)>,
    /// The fund whose provider it is.
    pub fund: CaisseCode,
    /// Unknown staff are created at their first login.
    pub create_staff: bool,
    /// Logins that keep a local password and TOTP (break-glass accounts).
    pub break_glass: Vec<String>,
}

/// Why the provider's answer does not log a staff member in.
#[derive(Debug, thiserror::Error)]
pub enum StaffIdpError {
    /// The answer leads nowhere (see [`FlowError`]).
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// The login claim is missing or is not a valid login.
    #[error("no usable login claim")]
    NoLogin,
    /// No group gives a role.
    #[error("no role")]
    NoRole,
    /// Unknown to Caisse, and the fund does not create staff at first login.
    #[error("unknown staff member")]
    Unknown,
    /// Disabled, or working for another fund.
    #[error("staff member not allowed")]
    NotAllowed,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for StaffIdpError {
    fn from(error: caisse_store::StoreError) -> Self {
        StaffIdpError::Core(error.into())
    }
}

impl From<caisse_store::DbErr> for StaffIdpError {
    fn from(error: caisse_store::DbErr) -> Self {
        StaffIdpError::Core(error.into())
    }
}

/// A staff member logged in through the provider. `Debug` hides the token.
pub struct StaffIdpLogin {
    /// The staff member.
    pub staff_id: Uuid,
    /// Where they were going.
    pub next: String,
    id_token: String,
}

impl std::fmt::Debug for StaffIdpLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffIdpLogin")
            .field("staff_id", &self.staff_id)
            .finish_non_exhaustive()
    }
}

/// The fund's staff identity provider, when configured.
#[derive(Clone)]
pub struct StaffIdp {
    relying: Relying,
    hasher: PasswordHasherPool,
    rules: Arc<StaffIdpRules>,
}

impl std::fmt::Debug for StaffIdp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffIdp")
            .field("relying", &self.relying)
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

fn groups_of(identity: &VerifiedIdentity, claim: &str) -> Vec<String> {
    match identity.claims.get(claim) {
        Some(Value::Array(groups)) => groups
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(group)) => vec![group.clone()],
        _ => Vec::new(),
    }
}

fn rank(role: StaffRole) -> u8 {
    match role {
        StaffRole::Conseiller => 1,
        StaffRole::Superviseur => 2,
        StaffRole::Administrateur => 3,
    }
}

impl StaffIdpRules {
    /// The role the groups give: the highest one mapped.
    pub fn role_of(&self, groups: &[String]) -> Option<StaffRole> {
        self.roles
            .iter()
            .filter(|(group, _)| groups.contains(group))
            .map(|(_, role)| *role)
            .max_by_key(|role| rank(*role))
    }

    /// Whether `login` keeps its local password.
    pub fn keeps_password(&self, login: &str) -> bool {
        self.break_glass.iter().any(|l| l == login)
    }
}

impl StaffIdp {
    /// The provider and its rules.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        provider: OidcProvider,
        seal: OidcSeal,
        hasher: PasswordHasherPool,
        rules: StaffIdpRules,
    ) -> StaffIdp {
        StaffIdp {
            relying: Relying {
                db,
                clock,
                provider,
                seal,
                kind: LoginProvider::StaffIdp,
            },
            hasher,
            rules: Arc::new(rules),
        }
    }

    /// The mapping rules.
    pub fn rules(&self) -> &StaffIdpRules {
        &self.rules
    }

    /// The provider's origin, which pages allow as a form target.
    pub fn origin(&self) -> Option<&str> {
        self.relying.provider.origin()
    }

    /// Starts a login for this browser; returns the provider's URL.
    ///
    /// # Errors
    /// [`FlowError::Provider`] when the provider cannot be reached.
    #[tracing::instrument(name = "staff_idp.start", skip_all)]
    pub async fn start(&self, browser: &str, next: &str) -> Result<Url, FlowError> {
        self.relying.begin(browser, next).await
    }

    /// Audits a refusal: nobody is logged in, so it names no staff member.
    async fn refused(&self, context: &RequestContext, reason: &str) {
        self.relying
            .refused(context, AuditAction::StaffOidcRefused, None, reason)
            .await;
    }

    /// Handles the provider's answer for this browser.
    ///
    /// # Errors
    /// See [`StaffIdpError`]; each refusal is audited.
    #[tracing::instrument(name = "staff_idp.callback", skip_all)]
    pub async fn callback(
        &self,
        browser: &str,
        answer: ProviderAnswer<'_>,
        context: &RequestContext,
    ) -> Result<StaffIdpLogin, StaffIdpError> {
        let (identity, next) = self
            .relying
            .answer(browser, answer, context, AuditAction::StaffOidcRefused)
            .await?;
        match self.accept(&identity, context).await {
            Ok(staff_id) => Ok(StaffIdpLogin {
                staff_id,
                next,
                id_token: identity.id_token,
            }),
            Err(error) => {
                let reason = match &error {
                    StaffIdpError::NoLogin => "no_login",
                    StaffIdpError::NoRole => "no_role",
                    StaffIdpError::Unknown => "unknown",
                    StaffIdpError::NotAllowed => "not_allowed",
                    _ => "error",
                };
                self.refused(context, reason).await;
                Err(error)
            }
        }
    }

    async fn accept(
        &self,
        identity: &VerifiedIdentity,
        context: &RequestContext,
    ) -> Result<Uuid, StaffIdpError> {
        let rules = &self.rules;
        let login = identity
            .claim(&rules.login_claim)
            .map(str::to_ascii_lowercase)
            .filter(|login| crate::staff::valid_login(login))
            .ok_or(StaffIdpError::NoLogin)?;
        let groups = groups_of(identity, &rules.groups_claim);
        let role = rules.role_of(&groups).ok_or(StaffIdpError::NoRole)?;
        let display_name = identity
            .claim("name")
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&login)
            .chars()
            .take(100)
            .collect::<String>();
        let now = self.relying.clock.instant();
        let existing = staff::by_login(&self.relying.db, &login).await?;
        let unusable_hash = match existing {
            Some(_) => None,
            None if rules.create_staff => Some(self.hasher.hash(&Issued::new()?.token).await?),
            None => return Err(StaffIdpError::Unknown),
        };
        let txn = self.relying.db.begin().await?;
        let staff_id = match (existing, unusable_hash) {
            (Some(member), _) => {
                if !member.active || member.caisse_code != rules.fund {
                    return Err(StaffIdpError::NotAllowed);
                }
                staff::set_role_and_name(&txn, member.id, role, &display_name).await?;
                member.id
            }
            (None, Some(password_hash)) => {
                let id = staff::insert(
                    &txn,
                    NewStaff {
                        login: login.clone(),
                        display_name,
                        email: identity.claim("email").and_then(|e| Email::parse(e).ok()),
                        role,
                        caisse_code: rules.fund,
                        password_hash,
                    },
                    now,
                )
                .await?;
                audit::record(
                    &txn,
                    context,
                    Actor::Staff(id),
                    AuditAction::StaffOidcCreated,
                    Some(("staff", id)),
                    json!({ "role": role.code() }),
                    now,
                )
                .await?;
                id
            }
            (None, None) => return Err(StaffIdpError::Unknown),
        };
        for (group, code) in &rules.teams {
            let Some(team) = teams::by_code(&txn, rules.fund, code).await? else {
                tracing::warn!(team = %code.as_str(), "a mapped team does not exist in the fund");
                continue;
            };
            if groups.contains(group) {
                teams::add_member(&txn, team.id, staff_id, now).await?;
            } else {
                teams::remove_member(&txn, team.id, staff_id).await?;
            }
        }
        audit::record(
            &txn,
            context,
            Actor::Staff(staff_id),
            AuditAction::StaffOidcLogin,
            Some(("staff", staff_id)),
            json!({ "role": role.code() }),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(staff_id)
    }

    /// Keeps the ID token of the session just opened with `session_token`, for its logout.
    ///
    /// # Errors
    /// When sealing or the database fails.
    pub async fn attach_session(
        &self,
        session_token: &str,
        login: &StaffIdpLogin,
    ) -> Result<(), CoreError> {
        self.relying
            .attach_session(session_token, &login.id_token)
            .await
    }

    /// The provider's logout URL for a session opened through it, if any.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn logout(&self, session_hash: &str) -> Result<Option<Url>, CoreError> {
        self.relying.logout(session_hash).await
    }
}
