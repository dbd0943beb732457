//! « S'identifier avec FranceConnect » for members.
//!
//! A known identity (`issuer`, `sub`) logs its member in. An unknown one is matched on its pivot
//! identity (birth name, given names, birth date, sex, birthplace or country) against the member
//! file, with the NIR consistency check of `caisse_domain::franceconnect`, never on the email:
//! exactly one candidate waits in `fc_pending_links` until the member proves the file is theirs
//! with their password or a code sent to the email or mobile on file; none or several leads to
//! a page that says what to do. Every login, link and unlink is audited and mailed with « Ce
//! n'était pas moi ».

use std::sync::Arc;

use caisse_domain::franceconnect::{MemberIdentity, PivotClaims, PivotError, PivotIdentity};
use caisse_domain::paris_time::paris_time;
use caisse_domain::{AccountStatus, AuditAction, Instant, LoginProvider};
use caisse_store::members::MemberRecord;
use caisse_store::{Db, TransactionTrait, members, oidc as store};
use serde_json::json;
use time::PrimitiveDateTime;
use url::Url;
use uuid::Uuid;

use super::{
    FlowError, OidcProvider, OidcSeal, ProviderAnswer, Relying, VerifiedIdentity, seal_id_token,
};
use crate::CoreError;
use crate::audit::{self, Actor, RequestContext};
use crate::auth::Authenticator;
use crate::clock::Clock;
use crate::mails::{self, franceconnect as fc_mails};
use crate::security_mail::{self, SecurityMail, Undo};
use crate::tokens::token_digest;

mod links;
mod proof;

pub use links::FcLinkView;
pub use proof::{PendingProof, ProofError};

/// Where FranceConnect sends the browser back (registered in the partner space).
pub const CALLBACK_PATH: &str = "/connexion/franceconnect/retour";

/// Where FranceConnect sends the browser after its logout (registered too).
pub const LOGGED_OUT_PATH: &str = "/deconnexion/franceconnect";

/// The eIDAS levels an ID token may carry when `asked` is asked: that one and the higher ones
/// (`eidas1` accepts `eidas1`, `eidas2`, `eidas3`).
pub fn levels_from(asked: &str) -> Vec<String> {
    const LEVELS: [&str; 3] = ["eidas1", "eidas2", "eidas3"];
    match LEVELS.iter().position(|level| *level == asked) {
        Some(from) => LEVELS[from..].iter().map(|l| (*l).to_owned()).collect(),
        None => vec![asked.to_owned()],
    }
}

/// The relying-party settings of FranceConnect for a portal at `base_url`: the pivot identity
/// and the email asked for (FranceConnect names each scope after its claim), `acr` asked for
/// and required, the secret sent in the body (`client_secret_post`).
pub fn settings(
    issuer: &str,
    client_id: &str,
    client_secret: &str,
    base_url: &str,
    acr: &str,
    signed_userinfo: bool,
) -> super::OidcSettings {
    super::OidcSettings {
        issuer: issuer.trim_end_matches('/').to_owned(),
        client_id: client_id.to_owned(),
        client_secret: client_secret.to_owned(),
        redirect_url: format!("{base_url}{CALLBACK_PATH}"),
        post_logout_url: Some(format!("{base_url}{LOGGED_OUT_PATH}")),
        scopes: [
            "given_name",
            "family_name",
            "birthdate",
            "gender",
            "birthplace",
            "birthcountry",
            "email",
            "preferred_username",
        ]
        .map(str::to_owned)
        .to_vec(),
        acr_values: Some(acr.to_owned()),
        accepted_acr: levels_from(acr),
        signed_userinfo,
        secret_in_body: true,
    }
}

/// How long a matched identity waits for the member's proof.
const PROOF_TTL: time::Duration = time::Duration::minutes(15);

/// Candidates read for one pivot identity: far more than one birth date ever holds in a fund's
/// file; a partial date (year only) beyond it is answered « appelez ».
const MAX_CANDIDATES: u64 = 5_000;

/// FranceConnect, when the fund configured it.
#[derive(Clone)]
pub struct FranceConnect {
    relying: Relying,
    auth: Authenticator,
}

impl std::fmt::Debug for FranceConnect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FranceConnect")
            .field("relying", &self.relying)
            .finish_non_exhaustive()
    }
}

/// A member logged in through FranceConnect; the session to open. `Debug` hides the token.
pub struct FcLogin {
    /// The member.
    pub member_id: Uuid,
    /// Where they were going.
    pub next: String,
    id_token: String,
}

impl std::fmt::Debug for FcLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FcLogin")
            .field("member_id", &self.member_id)
            .finish_non_exhaustive()
    }
}

/// Where FranceConnect's answer leads.
#[derive(Debug)]
pub enum FcOutcome {
    /// A linked identity: open the session.
    LoggedIn(FcLogin),
    /// One member file matches: the member proves it is theirs before the link is made.
    ProofNeeded,
    /// No member file matches.
    NotFound,
    /// Several files match: nothing is linked automatically.
    Ambiguous,
}

/// Why FranceConnect does not log the person in.
#[derive(Debug, thiserror::Error)]
pub enum FcError {
    /// The answer leads nowhere (see [`FlowError`]).
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// The identity sent lacks a pivot claim or has one that does not parse.
    #[error(transparent)]
    Pivot(#[from] PivotError),
    /// The account is suspended by the fund.
    #[error("account suspended")]
    Suspended,
    /// The account is closed.
    #[error("account closed")]
    Closed,
    /// Unexpected failure.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<caisse_store::StoreError> for FcError {
    fn from(error: caisse_store::StoreError) -> Self {
        FcError::Core(error.into())
    }
}

impl From<crate::mails::TextError> for FcError {
    fn from(error: crate::mails::TextError) -> Self {
        FcError::Core(error.into())
    }
}

impl From<caisse_store::DbErr> for FcError {
    fn from(error: caisse_store::DbErr) -> Self {
        FcError::Core(error.into())
    }
}

fn pivot_of(identity: &VerifiedIdentity) -> Result<PivotIdentity, PivotError> {
    PivotIdentity::parse(&PivotClaims {
        family_name: identity.claim("family_name"),
        given_name: identity.claim("given_name"),
        birthdate: identity.claim("birthdate"),
        gender: identity.claim("gender"),
        birthplace: identity.claim("birthplace"),
        birthcountry: identity.claim("birthcountry"),
    })
}

fn local_now(now: Instant) -> String {
    let paris = paris_time(now.get());
    caisse_domain::french::letter_date_time(PrimitiveDateTime::new(paris.date(), paris.time()))
}

impl FranceConnect {
    /// FranceConnect through `provider`.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        provider: OidcProvider,
        seal: OidcSeal,
        auth: Authenticator,
    ) -> FranceConnect {
        FranceConnect {
            relying: Relying {
                db,
                clock,
                provider,
                seal,
                kind: LoginProvider::FranceConnect,
            },
            auth,
        }
    }

    /// The provider's origin, which pages allow as a form target.
    pub fn origin(&self) -> Option<&str> {
        self.relying.provider.origin()
    }

    /// Starts a login for this browser; returns FranceConnect's URL.
    ///
    /// # Errors
    /// [`FlowError::Provider`] when FranceConnect cannot be reached.
    #[tracing::instrument(name = "franceconnect.start", skip_all)]
    pub async fn start(&self, browser: &str, next: &str) -> Result<Url, FlowError> {
        self.relying.begin(browser, next).await
    }

    async fn refused(&self, context: &RequestContext, reason: &str, member: Option<Uuid>) {
        self.relying
            .refused(
                context,
                AuditAction::MemberFranceconnectRefused,
                member.map(|id| ("member", id)),
                reason,
            )
            .await;
    }

    /// Handles FranceConnect's answer for this browser.
    ///
    /// # Errors
    /// See [`FcError`]; each refusal is audited.
    #[tracing::instrument(name = "franceconnect.callback", skip_all)]
    pub async fn callback(
        &self,
        browser: &str,
        answer: ProviderAnswer<'_>,
        context: &RequestContext,
    ) -> Result<FcOutcome, FcError> {
        let (identity, next) = self
            .relying
            .answer(
                browser,
                answer,
                context,
                AuditAction::MemberFranceconnectRefused,
            )
            .await?;
        if let Some(link) =
            store::find_link(&self.relying.db, &identity.issuer, &identity.subject).await?
        {
            return self.log_in(link, identity, next, context).await;
        }
        let pivot = match pivot_of(&identity) {
            Ok(pivot) => pivot,
            Err(error) => {
                self.refused(context, "pivot_identity", None).await;
                return Err(error.into());
            }
        };
        let (_, first, last) = pivot.lookup_key();
        let candidates =
            members::born_between(&self.relying.db, first, last, MAX_CANDIDATES).await?;
        let matching: Vec<&MemberRecord> = candidates
            .iter()
            .filter(|member| {
                pivot
                    .matches(&MemberIdentity {
                        nir: &member.nir,
                        birth_name: &member.last_name,
                        first_name: &member.first_name,
                        birth_date: member.birth_date,
                        sex: member.sex,
                    })
                    .is_ok()
            })
            .collect();
        match matching.as_slice() {
            [] => {
                self.refused(context, "no_member_file", None).await;
                Ok(FcOutcome::NotFound)
            }
            [member] => {
                let now = self.relying.clock.instant();
                let binding = token_digest(browser);
                store::insert_pending(
                    &self.relying.db,
                    store::NewPendingLink {
                        sealed_id_token: seal_id_token(
                            &self.relying.seal,
                            &identity.id_token,
                            &binding,
                        )?,
                        binding,
                        member_id: member.id,
                        issuer: identity.issuer,
                        subject: identity.subject,
                        acr: identity.acr,
                        expires_at: now + PROOF_TTL,
                    },
                    now,
                )
                .await?;
                Ok(FcOutcome::ProofNeeded)
            }
            _ => {
                self.refused(context, "several_member_files", None).await;
                Ok(FcOutcome::Ambiguous)
            }
        }
    }

    async fn log_in(
        &self,
        link: store::FcLink,
        identity: VerifiedIdentity,
        next: String,
        context: &RequestContext,
    ) -> Result<FcOutcome, FcError> {
        let member_id = link.member_id;
        let (member, account) = members::with_account(&self.relying.db, member_id)
            .await?
            .ok_or(caisse_store::StoreError::NotFound("member"))?;
        match account.map(|a| a.status) {
            Some(AccountStatus::Active) => {}
            Some(AccountStatus::Suspended) => {
                self.refused(context, "suspended", Some(member_id)).await;
                return Err(FcError::Suspended);
            }
            _ => {
                self.refused(context, "closed", Some(member_id)).await;
                return Err(FcError::Closed);
            }
        }
        let now = self.relying.clock.instant();
        let txn = self.relying.db.begin().await?;
        store::touch_link(&txn, link.id, now).await?;
        audit::record(
            &txn,
            context,
            Actor::Member(member_id),
            AuditAction::MemberFranceconnectLogin,
            Some(("member", member_id)),
            json!({ "acr": identity.acr }),
            now,
        )
        .await?;
        if let Some(email) = &member.email {
            self.security_mail(
                &txn,
                &member,
                email,
                mails::mail(&fc_mails::FranceConnectLogin {
                    first_name: &member.first_name,
                    when: &local_now(now),
                })?,
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(FcOutcome::LoggedIn(FcLogin {
            member_id,
            next,
            id_token: identity.id_token,
        }))
    }

    async fn security_mail<C: caisse_store::ConnectionTrait>(
        &self,
        db: &C,
        member: &MemberRecord,
        email: &caisse_domain::Email,
        text: crate::mails::MailText,
        now: Instant,
    ) -> Result<(), CoreError> {
        security_mail::enqueue(
            db,
            &self.auth.outbox_seal,
            &self.auth.settings.base_url,
            SecurityMail {
                member_id: member.id,
                caisse: Some(&member.caisse_code),
                recipient: email,
                text,
                undo: Undo::default(),
            },
            now,
        )
        .await
    }

    /// Keeps the ID token of the session just opened with `session_token`, for its logout.
    ///
    /// # Errors
    /// When sealing or the database fails.
    pub async fn attach_session(
        &self,
        session_token: &str,
        login: &FcLogin,
    ) -> Result<(), CoreError> {
        self.relying
            .attach_session(session_token, &login.id_token)
            .await
    }

    /// Ends the FranceConnect side of a session being closed: returns FranceConnect's logout
    /// URL when the session was opened through it (`None` otherwise, or when FranceConnect
    /// cannot be reached: the portal's session ends anyway).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn logout(&self, session_hash: &str) -> Result<Option<Url>, CoreError> {
        self.relying.logout(session_hash).await
    }
}
