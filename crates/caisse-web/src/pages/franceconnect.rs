//! « S'identifier avec FranceConnect » (`/connexion/franceconnect…`): the button's start, the
//! return from FranceConnect, the extra proof before a first link, and the page after
//! FranceConnect's logout. Each outcome is a page that says what to do next; the password login
//! always stays available.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::oidc::franceconnect::{FcError, FcLogin, FcOutcome, FranceConnect, ProofError};
use caisse_core::oidc::{FlowError, OidcError, ProviderAnswer};
use caisse_core::sessions::SubjectKind;
use serde::Deserialize;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::member_login::{EmptyForm, SUSPENDED, locked_message, open_session};
use crate::pages::render;
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::{Client, Visitor, safe_next};

/// The page where the member proves a matched file is theirs.
pub const PROOF_PATH: &str = "/connexion/franceconnect/lier";

/// A page that ends a FranceConnect attempt: what happened and what to do now.
#[derive(Template)]
#[template(path = "franceconnect/outcome.html")]
struct OutcomePage {
    layout: Layout,
    heading: &'static str,
    paragraphs: Vec<String>,
    /// Offer « Créer mon compte ».
    register: bool,
}

fn outcome(
    state: &AppState,
    visitor: &Visitor,
    heading: &'static str,
    paragraphs: Vec<String>,
    register: bool,
) -> Result<Response, AppError> {
    let page = OutcomePage {
        layout: Layout::new(visitor, &state.config.brand, heading, "connexion"),
        heading,
        paragraphs,
        register,
    };
    Ok(render(&page)?.into_response())
}

/// The page of an account the fund suspended, or one that is closed.
fn account_unusable(
    state: &AppState,
    visitor: &Visitor,
    suspended: bool,
) -> Result<Response, AppError> {
    if suspended {
        return outcome(
            state,
            visitor,
            "Votre compte est suspendu",
            vec![SUSPENDED.to_owned()],
            false,
        );
    }
    outcome(
        state,
        visitor,
        "Votre compte est fermé",
        vec!["Votre compte en ligne est fermé. Pour le rouvrir, demandez un code provisoire par courrier depuis la page de connexion.".to_owned()],
        false,
    )
}

fn configured(state: &AppState) -> Result<&FranceConnect, AppError> {
    state.franceconnect.as_ref().ok_or(AppError::NotFound)
}

fn unavailable(state: &AppState, visitor: &Visitor) -> Result<Response, AppError> {
    outcome(
        state,
        visitor,
        "FranceConnect est momentanément indisponible",
        vec![
            "Nous n'arrivons pas à joindre FranceConnect. Réessayez dans quelques minutes."
                .to_owned(),
            "Vous pouvez aussi vous connecter tout de suite avec votre numéro de sécurité sociale et votre mot de passe.".to_owned(),
        ],
        false,
    )
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    next: String,
}

/// « S'identifier avec FranceConnect »: sends the browser to FranceConnect.
pub async fn start(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<StartForm>,
) -> Result<Response, AppError> {
    let franceconnect = configured(&state)?;
    match franceconnect
        .start(&visitor.cookie_value, safe_next(&form.next))
        .await
    {
        Ok(url) => Ok(Redirect::to(url.as_str()).into_response()),
        Err(FlowError::Provider(error)) => {
            tracing::warn!(%error, "FranceConnect cannot be reached");
            unavailable(&state, &visitor)
        }
        Err(error) => Err(AppError::unexpected(error)),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

impl CallbackQuery {
    /// What the provider sent back (FranceConnect's, or the staff provider's).
    pub(crate) fn answer(&self) -> ProviderAnswer<'_> {
        ProviderAnswer {
            state: self.state.as_deref(),
            code: self.code.as_deref(),
            error: self.error.as_deref(),
        }
    }
}

async fn logged_in(
    state: &AppState,
    visitor: &Visitor,
    franceconnect: &FranceConnect,
    login: FcLogin,
    context: &caisse_core::audit::RequestContext,
) -> Result<Response, AppError> {
    let (response, token) = open_session(
        state,
        visitor,
        SubjectKind::Member,
        login.member_id,
        context,
        safe_next(&login.next),
    )
    .await?;
    franceconnect.attach_session(&token, &login).await?;
    Ok(response)
}

/// FranceConnect sends the browser back here.
pub async fn callback(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let franceconnect = configured(&state)?;
    let answer = query.answer();
    match franceconnect
        .callback(&visitor.cookie_value, answer, &context)
        .await
    {
        Ok(FcOutcome::LoggedIn(login)) => {
            logged_in(&state, &visitor, franceconnect, login, &context).await
        }
        Ok(FcOutcome::ProofNeeded) => Ok(Redirect::to(PROOF_PATH).into_response()),
        Ok(FcOutcome::NotFound) => outcome(
            &state,
            &visitor,
            "Nous n'avons pas trouvé votre dossier",
            vec![
                "FranceConnect nous a bien transmis votre identité, mais elle ne correspond à aucun dossier d'assuré de notre caisse.".to_owned(),
                "Si vous êtes assuré chez nous, créez votre compte avec votre numéro de sécurité sociale, ou appelez-nous : un conseiller vérifiera votre identité.".to_owned(),
            ],
            true,
        ),
        Ok(FcOutcome::Ambiguous) => outcome(
            &state,
            &visitor,
            "Nous ne pouvons pas vous identifier automatiquement",
            vec![
                "Plusieurs dossiers correspondent à l'identité transmise par FranceConnect : par précaution, nous ne relions aucun d'eux automatiquement.".to_owned(),
                "Connectez-vous avec votre numéro de sécurité sociale et votre mot de passe, ou appelez-nous : un conseiller vérifiera votre identité.".to_owned(),
            ],
            false,
        ),
        Err(FcError::Flow(FlowError::Cancelled(_))) => outcome(
            &state,
            &visitor,
            "Connexion avec FranceConnect annulée",
            vec!["Vous n'avez pas terminé la connexion sur FranceConnect. Vous pouvez réessayer, ou vous connecter avec votre numéro de sécurité sociale et votre mot de passe.".to_owned()],
            false,
        ),
        Err(FcError::Flow(FlowError::UnknownState)) => outcome(
            &state,
            &visitor,
            "Cette connexion a expiré",
            vec!["La réponse de FranceConnect ne correspond à aucune connexion en cours dans ce navigateur (délai dépassé, ou page ouverte deux fois). Recommencez depuis la page de connexion.".to_owned()],
            false,
        ),
        Err(FcError::Flow(FlowError::Provider(OidcError::Unavailable(error)))) => {
            tracing::warn!(%error, "FranceConnect cannot be reached");
            unavailable(&state, &visitor)
        }
        Err(FcError::Flow(FlowError::Provider(error))) => {
            tracing::warn!(%error, "FranceConnect's answer refused");
            outcome(
                &state,
                &visitor,
                "La connexion avec FranceConnect n'a pas abouti",
                vec![
                    "La réponse reçue de FranceConnect n'a pas passé nos contrôles de sécurité : par précaution, nous ne vous connectons pas.".to_owned(),
                    "Réessayez dans quelques minutes, ou connectez-vous avec votre numéro de sécurité sociale et votre mot de passe.".to_owned(),
                ],
                false,
            )
        }
        Err(FcError::Pivot(error)) => outcome(
            &state,
            &visitor,
            "Votre identité est incomplète",
            vec![error.message_fr().to_owned()],
            false,
        ),
        Err(FcError::Suspended) => account_unusable(&state, &visitor, true),
        Err(FcError::Closed) => account_unusable(&state, &visitor, false),
        Err(FcError::Flow(FlowError::Core(error)) | FcError::Core(error)) => Err(error.into()),
    }
}

/// The extra proof's page.
#[derive(Template)]
#[template(path = "franceconnect/proof.html")]
struct ProofPage {
    layout: Layout,
    has_account: bool,
    code_contact: Option<String>,
    code_sent: bool,
    error: Option<String>,
    /// Which field the error is about: `password` or `code`.
    error_field: &'static str,
}

async fn proof_page(
    state: &AppState,
    visitor: &Visitor,
    error: Option<(String, &'static str)>,
) -> Result<Response, AppError> {
    let franceconnect = configured(state)?;
    let Some(pending) = franceconnect.pending(&visitor.cookie_value).await? else {
        return expired(state, visitor);
    };
    let (error, error_field) = match error {
        Some((message, field)) => (Some(message), field),
        None => (None, ""),
    };
    let page = ProofPage {
        layout: Layout::new(
            visitor,
            &state.config.brand,
            "Confirmez que ce dossier est le vôtre",
            "connexion",
        ),
        has_account: pending.has_account,
        code_contact: pending.code_contact,
        code_sent: pending.code_sent,
        error,
        error_field,
    };
    Ok(render(&page)?.into_response())
}

fn expired(state: &AppState, visitor: &Visitor) -> Result<Response, AppError> {
    outcome(
        state,
        visitor,
        "Cette connexion a expiré",
        vec!["Le délai pour confirmer votre identité est dépassé. Recommencez la connexion avec FranceConnect.".to_owned()],
        false,
    )
}

pub async fn proof_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    proof_page(&state, &visitor, None).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

async fn after_proof(
    state: &AppState,
    visitor: &Visitor,
    context: &caisse_core::audit::RequestContext,
    proved: Result<FcLogin, ProofError>,
) -> Result<Response, AppError> {
    let franceconnect = configured(state)?;
    let field_error = |message: String, field| proof_page(state, visitor, Some((message, field)));
    match proved {
        Ok(login) => logged_in(state, visitor, franceconnect, login, context).await,
        Err(ProofError::NothingPending) => expired(state, visitor),
        Err(ProofError::WrongPassword) => {
            field_error(
                "Ce mot de passe n'est pas celui de votre compte. Vérifiez votre saisie."
                    .to_owned(),
                "password",
            )
            .await
        }
        Err(ProofError::Locked(until)) => {
            field_error(locked_message(until - state.clock.now()), "password").await
        }
        Err(ProofError::WrongCode) => {
            field_error(
                "Ce code n'est pas le bon. Vérifiez-le dans le message reçu.".to_owned(),
                "code",
            )
            .await
        }
        Err(ProofError::CodeExpired) => outcome(
            state,
            visitor,
            "Ce code ne peut plus être utilisé",
            vec!["Le code a expiré ou trop d'essais ont été faits. Recommencez la connexion avec FranceConnect pour en recevoir un nouveau.".to_owned()],
            false,
        ),
        Err(ProofError::NoContact) => outcome(
            state,
            visitor,
            "Nous ne pouvons pas vous envoyer de code",
            vec!["Votre dossier ne contient ni adresse e-mail ni numéro de mobile. Appelez-nous : un conseiller vérifiera votre identité.".to_owned()],
            false,
        ),
        Err(ProofError::Account(FcError::Suspended)) => account_unusable(state, visitor, true),
        Err(ProofError::Account(_)) => account_unusable(state, visitor, false),
        Err(ProofError::Core(error)) => Err(error.into()),
    }
}

/// The proof by the account's password.
pub async fn prove_with_password(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let franceconnect = configured(&state)?;
    if form.password.is_empty() {
        return proof_page(
            &state,
            &visitor,
            Some(("Saisissez votre mot de passe.".to_owned(), "password")),
        )
        .await;
    }
    let proved = franceconnect
        .prove_with_password(&visitor.cookie_value, &form.password, &context)
        .await;
    after_proof(&state, &visitor, &context, proved).await
}

/// Sends the code of the proof.
pub async fn send_code(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, AppError> {
    let franceconnect = configured(&state)?;
    match franceconnect
        .send_code(&visitor.cookie_value, &context)
        .await
    {
        Ok(()) => Ok(Redirect::to(PROOF_PATH).into_response()),
        Err(error) => after_proof(&state, &visitor, &context, Err(error)).await,
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The proof by the code sent.
pub async fn prove_with_code(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(context): Client,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    let franceconnect = configured(&state)?;
    let code = form.code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return proof_page(
            &state,
            &visitor,
            Some(("Saisissez le code à 6 chiffres reçu.".to_owned(), "code")),
        )
        .await;
    }
    let proved = franceconnect
        .prove_with_code(&visitor.cookie_value, code, &context)
        .await;
    after_proof(&state, &visitor, &context, proved).await
}

/// Where FranceConnect sends the browser after its logout.
pub async fn logged_out(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    outcome(
        &state,
        &visitor,
        "Vous êtes déconnecté",
        vec!["Vous êtes déconnecté de votre compte et de FranceConnect. Pensez à fermer votre navigateur si l'ordinateur est partagé.".to_owned()],
        false,
    )
}
