//! The médiateur for members: the « Médiateur » block of `/messagerie/{id}` (« Saisir le
//! médiateur » when the thread may be referred, then the referral's status and the
//! médiateur's answer), and `/messagerie/{id}/mediateur` (what the médiateur does and the
//! effect on delays, the member's text, then the confirmation with its reference). Another
//! member's thread, or one that may not be referred, is a 404.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use caisse_core::messaging::{MediationError, MemberMediation, Referral};
use caisse_domain::messaging::{Body, ReferralReason, ReferralStatus};
use serde::Deserialize;
use uuid::Uuid;

use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{CharLimit, Problems};
use crate::layout::Layout;
use crate::pages::{paris_fr, render};
use crate::params::{Path, Query};
use crate::state::AppState;
use crate::visitor::{Client, CurrentMember};

fn refusal(error: MediationError) -> AppError {
    match error {
        MediationError::NotFound | MediationError::Ineligible => AppError::NotFound,
        MediationError::Forbidden => AppError::Forbidden,
        other => AppError::unexpected(other),
    }
}

/// The limit of a text to the médiateur or from them, with the count of a refused one.
pub fn body_limit(state: &AppState, problems: &Problems, body: &str) -> CharLimit {
    let limit = CharLimit::new(state.messaging.settings().limits.body_max_chars);
    if problems.is_empty() {
        limit
    } else {
        limit.counted(Body::counted_chars(body))
    }
}

/// The CSS modifier of a referral's status badge: the thread badges' colours.
pub fn status_class(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::ATraiter => "en-attente",
        ReferralStatus::EnCours => "en-cours",
        ReferralStatus::Clos => "traite",
    }
}

/// A referral as the member reads it.
pub struct ReferralView {
    pub(crate) reference: String,
    pub(crate) status: &'static str,
    /// CSS modifier of the status badge.
    pub(crate) status_class: &'static str,
    pub(crate) sent_at: String,
    pub(crate) answer: Option<String>,
    pub(crate) answered_at: Option<String>,
}

impl ReferralView {
    fn of(referral: Referral) -> ReferralView {
        ReferralView {
            status: referral.status.label_fr(),
            status_class: status_class(referral.status),
            reference: referral.reference,
            sent_at: paris_fr(referral.created_at),
            answer: referral.answer,
            answered_at: referral.answered_at.map(paris_fr),
        }
    }
}

/// The « Médiateur » block of a member's thread page (`mediation/thread_block.html`).
pub struct ThreadBlock {
    pub(crate) thread_id: Uuid,
    /// Why the member may refer, when they may.
    pub(crate) eligible: Option<&'static str>,
    pub(crate) referral: Option<ReferralView>,
}

/// The médiateur block of thread `thread_id` for `member`.
///
/// # Errors
/// 404 for a thread not the member's.
pub async fn thread_block(
    state: &AppState,
    member: &CurrentMember,
    thread_id: Uuid,
) -> Result<ThreadBlock, AppError> {
    let mediation = state
        .messaging
        .mediation
        .member_mediation(member.id, thread_id)
        .await
        .map_err(refusal)?;
    let (eligible, referral) = match mediation {
        MemberMediation::Unavailable => (None, None),
        MemberMediation::Eligible(reason) => (Some(reason.explanation_fr()), None),
        MemberMediation::Referred(referral) => (None, Some(ReferralView::of(referral))),
    };
    Ok(ThreadBlock {
        thread_id,
        eligible,
        referral,
    })
}

#[derive(Template)]
#[template(path = "mediation/refer.html")]
struct ReferPage {
    layout: Layout,
    thread_id: Uuid,
    /// Set until the member referred.
    reason: Option<&'static str>,
    referral: Option<ReferralView>,
    just_sent: bool,
    problems: Problems,
    /// The refused text, given back to correct.
    body: String,
    body_limit: CharLimit,
}

#[derive(Deserialize)]
pub struct ReferQuery {
    envoye: Option<String>,
}

async fn refer_page(
    state: &AppState,
    member: &CurrentMember,
    thread_id: Uuid,
    just_sent: bool,
    problems: Problems,
    body: String,
) -> Result<Response, AppError> {
    let mediation = state
        .messaging
        .mediation
        .member_mediation(member.id, thread_id)
        .await
        .map_err(refusal)?;
    let (reason, referral) = match mediation {
        MemberMediation::Unavailable => return Err(AppError::NotFound),
        MemberMediation::Eligible(reason) => (Some(reason), None),
        MemberMediation::Referred(referral) => (None, Some(ReferralView::of(referral))),
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ReferPage {
        layout: Layout::new(
            &member.visitor,
            &state.config.brand,
            "Saisir le médiateur",
            "messagerie",
        ),
        thread_id,
        reason: reason.map(ReferralReason::explanation_fr),
        referral,
        just_sent,
        body_limit: body_limit(state, &problems, &body),
        problems,
        body,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<Uuid>,
    Query(query): Query<ReferQuery>,
) -> Result<Response, AppError> {
    refer_page(
        &state,
        &member,
        id,
        query.envoye.is_some(),
        Problems::none(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct ReferForm {
    #[serde(default)]
    body: String,
}

pub async fn refer(
    State(state): State<AppState>,
    member: CurrentMember,
    Client(context): Client,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<ReferForm>,
) -> Result<Response, AppError> {
    match state
        .messaging
        .mediation
        .refer_to_mediateur(member.id, id, &form.body, &context)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/messagerie/{id}/mediateur?envoye=1")).into_response()),
        // A second submission shows the referral the first one made.
        Err(MediationError::AlreadyReferred) => {
            Ok(Redirect::to(&format!("/messagerie/{id}/mediateur")).into_response())
        }
        Err(MediationError::Invalid(problems)) => {
            refer_page(
                &state,
                &member,
                id,
                false,
                Problems::from(problems),
                form.body,
            )
            .await
        }
        Err(error) => Err(refusal(error)),
    }
}
