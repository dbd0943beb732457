//! The assistant: `GET /assistant?q=` answers from the FAQ only (the entries it used always
//! shown), acts on a few intents with a deep link (the member's own latest payment for « où en
//! est mon remboursement »), or says it does not know and offers a message to the fund with
//! the question prefilled. `&fragment=1` returns the answer alone, which `static/js/aide.js`
//! appends to the panel's conversation; `POST /assistant/avis` records « m'a aidé ».

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use caisse_core::help::{AssistantReply, EntrySummary, Intent, Reply};
use caisse_domain::french::{amount, letter_date};
use caisse_domain::help::AnswerBlock;
use serde::Deserialize;
use uuid::Uuid;

use super::{SECTION, reader_of};
use crate::csrf::CsrfForm;
use crate::error::AppError;
use crate::layout::Layout;
use crate::pages::render;
use crate::params::Query;
use crate::state::AppState;
use crate::visitor::{Visitor, urlencode};

/// Longest question read, in characters.
const QUESTION_MAX: usize = 500;
/// Longest subject prefilled in a new message, in characters.
const SUBJECT_MAX: usize = 80;

#[derive(Debug, Default, Deserialize)]
pub struct AskQuery {
    q: Option<String>,
    fragment: Option<String>,
    avis: Option<String>,
}

/// A deep link the assistant offers.
pub struct Action {
    pub label: String,
    pub href: String,
    /// What the member should know first (their latest payment).
    pub facts: Option<String>,
}

/// The answer as the template shows it.
pub struct ReplyView {
    pub question: String,
    pub query_id: Option<Uuid>,
    /// The best entry's question, slug and blocks, when the FAQ answers.
    pub answer: Option<(String, String, Vec<AnswerBlock>)>,
    pub action: Option<Action>,
    /// Set when it does not know: the link to write to the fund.
    pub write_href: Option<String>,
    pub sources: Vec<EntrySummary>,
}

#[derive(Template)]
#[template(path = "help/assistant.html")]
struct AssistantPage {
    layout: Layout,
    reply: Option<ReplyView>,
    thanked: bool,
}

#[derive(Template)]
#[template(path = "help/assistant_reply.html")]
struct ReplyFragment {
    layout: Layout,
    reply: ReplyView,
}

/// `/messagerie/nouveau` prefilled with `question` (and the objet, when known); the member
/// still checks and sends it.
pub fn write_href(question: &str, objet: Option<&str>) -> String {
    let subject: String = question.chars().take(SUBJECT_MAX).collect();
    let mut href = format!(
        "/messagerie/nouveau?sujet={}&message={}",
        urlencode(subject.trim()),
        urlencode(question)
    );
    if let Some(objet) = objet {
        href.push_str("&objet=");
        href.push_str(&urlencode(objet));
    }
    href
}

/// A link that goes through the login page for someone not logged in.
pub(super) fn via_login(href: &str, member: bool) -> String {
    if member {
        href.to_owned()
    } else {
        format!("/connexion?suite={}", urlencode(href))
    }
}

/// Where an intent leads, and what its button says (the pages' and the API's).
pub fn intent_link(intent: Intent) -> (&'static str, &'static str) {
    match intent {
        Intent::DownloadAttestation => ("Télécharger mon attestation", "/attestations"),
        Intent::OrderCarteVitale => ("Commander une carte Vitale", "/demarches#carte-vitale"),
        Intent::BookAppointment => ("Prendre rendez-vous", "/rendez-vous"),
        Intent::WriteToFund => ("Écrire à ma caisse", "/messagerie/nouveau"),
        Intent::LatestPayment => ("Voir mes paiements", "/paiements"),
    }
}

fn action_of(intent: Intent, reply: &Reply, member: bool) -> Action {
    let (label, href) = match reply {
        Reply::Act {
            intent: Intent::LatestPayment,
            payment: Some(p),
        } => (
            "Voir le détail de ce paiement",
            format!("/paiements/{}", p.id),
        ),
        _ => {
            let (label, href) = intent_link(intent);
            (label, href.to_owned())
        }
    };
    let facts = match reply {
        Reply::Act {
            intent: Intent::LatestPayment,
            payment: Some(p),
        } => Some(format!(
            "Votre dernier paiement : {} versés le {} à {}.",
            amount(p.amount),
            letter_date(p.day),
            p.payee_name
        )),
        Reply::Act {
            intent: Intent::LatestPayment,
            payment: None,
        } if member => Some(
            "Nous n'avons encore effectué aucun paiement pour vous : un remboursement apparaît \
             dans « Mes paiements » dès qu'il est versé."
                .to_owned(),
        ),
        Reply::Act {
            intent: Intent::LatestPayment,
            ..
        } => Some("Connectez-vous pour voir votre dernier paiement.".to_owned()),
        _ => None,
    };
    Action {
        label: label.to_owned(),
        href: via_login(&href, member),
        facts,
    }
}

fn view_of(reply: AssistantReply, member: bool) -> ReplyView {
    let mut view = ReplyView {
        question: reply.question.clone(),
        query_id: reply.query_id,
        answer: None,
        action: None,
        write_href: None,
        sources: reply.sources,
    };
    match &reply.reply {
        Reply::Answer(page) => {
            view.answer = Some((
                page.content.question().to_owned(),
                page.slug.clone(),
                page.content.answer_blocks(),
            ));
        }
        Reply::Act { intent, .. } => view.action = Some(action_of(*intent, &reply.reply, member)),
        Reply::DontKnow { objet } => {
            view.write_href = Some(via_login(&write_href(&reply.question, *objet), member));
        }
    }
    view
}

pub async fn ask(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<AskQuery>,
) -> Result<Response, AppError> {
    let question: String = query
        .q
        .as_deref()
        .unwrap_or_default()
        .trim()
        .chars()
        .take(QUESTION_MAX)
        .collect();
    let layout = Layout::new(&visitor, &state.config.brand, "Assistant", SECTION);
    let reader = reader_of(&visitor);
    let reply = if question.is_empty() {
        None
    } else {
        Some(view_of(
            state.help.ask(reader, &question).await?,
            layout.is_member(),
        ))
    };
    if query.fragment.as_deref() == Some("1")
        && let Some(reply) = reply
    {
        let fragment = ReplyFragment { layout, reply };
        return Ok(Html(fragment.render().map_err(AppError::unexpected)?).into_response());
    }
    let page = AssistantPage {
        layout,
        reply,
        thanked: query.avis.is_some(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Debug, Deserialize)]
pub struct FeedbackForm {
    question: Uuid,
    aide: String,
}

pub async fn feedback(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<FeedbackForm>,
) -> Result<Response, AppError> {
    let helped = match form.aide.as_str() {
        "oui" => true,
        "non" => false,
        _ => return Err(AppError::BadAddress),
    };
    state
        .help
        .reply_feedback(reader_of(&visitor), form.question, helped)
        .await?;
    Ok(Redirect::to("/assistant?avis=merci").into_response())
}
