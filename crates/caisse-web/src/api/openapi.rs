//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the JSON API, generated from the
//! handlers' annotations, so it cannot drift from the code.

use axum::Json;
use utoipa::openapi::content::Content;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{Modify, OpenApi};

use super::{
    accounts, agenda, arrets, attestations, auth, claims, debts, demarches, forum, funds, help, me,
    messages, payment_documents, payments,
};

/// The API document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Caisse — API",
        description = "API of the member portal, for the mobile app. Errors are RFC 9457 problem documents with a stable `code` and a French `detail`.",
        license(name = "AGPL-3.0-or-later"),
        // The major version of the path; within it the API only grows (docs/api.md).
        version = "1"
    ),
    paths(
        accounts::register,
        auth::login,
        auth::confirm,
        auth::logout,
        me::me,
        attestations::droits,
        attestations::verify,
        messages::list,
        messages::send,
        messages::show,
        messages::reply,
        messages::download,
        debts::list,
        debts::show,
        payments::list,
        payments::show,
        payment_documents::statement,
        payment_documents::ij_attestation,
        payment_documents::ij_tax_statement,
        agenda::motifs,
        agenda::slots,
        agenda::book,
        agenda::list,
        agenda::cancel,
        agenda::move_to,
        agenda::sites,
        help::search,
        help::entry,
        help::ask,
        help::feedback,
        forum::list,
        forum::show,
        forum::ask,
        forum::mine,
        demarches::procedures,
        demarches::list,
        demarches::create,
        demarches::show,
        demarches::save_step,
        demarches::add_pieces,
        demarches::remove_piece,
        demarches::piece,
        demarches::submit,
        demarches::complete,
        demarches::cancel,
        demarches::decision,
        demarches::ceam_certificate,
        demarches::procurations,
        demarches::revoke_procuration,
        funds::list_funds,
        funds::get_fund,
        claims::submit,
        arrets::submit,
    ),
    modifiers(&BearerAuth, &CommonAnswers, &Links),
    tags(
        (name = "compte", description = "Registration and the member's file"),
        (name = "authentification", description = "Login with NIR and password, new-device codes, tokens"),
        (name = "messagerie", description = "« Ma messagerie »: the member's threads with the fund"),
        (name = "attestations", description = "The attestation de droits as a PDF, and the public verification of any attestation"),
        (name = "sommes à payer", description = "The member's debts (participations and franchises not recovered under tiers payant): why, what was withheld, how to pay"),
        (name = "paiements", description = "« Mes paiements »: the member's payments by month, each payment's lines with why each amount, and the payment documents as PDFs (monthly statement, attestation de paiement des IJ, relevé fiscal of the IJ)"),
        (name = "démarches", description = "« Mes démarches »: the procedures with their forms, the member's dossiers (fill by step, files, file, complete, cancel, follow), the decision letters and the procurations"),
        (name = "agenda", description = "« Mon agenda »: the fund's motifs, the free slots of a motif on a channel, booking (a slot taken meanwhile answers 409 with the next ones), the member's appointments, cancelling until four hours before"),
        (name = "aide", description = "The help: search the fund's FAQ, read an entry, ask the assistant (an answer from the FAQ with its sources, a deep link, or a prefilled message to the fund); the public questions: the published questions and the fund's answers (anyone reads them), asking one and the member's own questions (a question holding a NIR, an IBAN or a card number is held)"),
        (name = "caisses", description = "Directory of funds"),
        (name = "feuilles de soins", description = "Lots of care sheets from professionals' software, authenticated by a sender key (`caisse admin claim-sender add`)"),
        (name = "arrêts de travail", description = "Arrêts de travail with their attestations de salaire from the fund's partners, authenticated by a sender key; their indemnités journalières are scheduled and paid"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "Opaque token from POST /api/v1/auth/login (valid 30 days, revocable)",
                        ))
                        .build(),
                ),
            );
            components.add_security_scheme(
                "sender_key",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "A sender's key (`cs_…`) from `caisse admin claim-sender add`, shown once",
                        ))
                        .build(),
                ),
            );
        }
    }
}

/// The answers every route can give besides its own, added to each operation that does not
/// describe them itself: the layers' refusals (rate limit, database out of reach), the token
/// check, and the 400 of a body or an address value that does not parse. Listed here once so
/// a new route cannot forget them.
struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                complete(operation);
            }
        }
    }
}

fn complete(operation: &mut Operation) {
    let secured = operation
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());
    let reads_input = operation.request_body.is_some()
        || operation
            .parameters
            .as_ref()
            .is_some_and(|parameters| !parameters.is_empty());
    let mut common = Vec::new();
    if reads_input {
        common.push((
            "400",
            "`bad_request`: the body is not the JSON (or multipart) expected, or a value of the \
             path or query does not parse or is out of its range",
            false,
        ));
    }
    if secured {
        common.push((
            "401",
            "`unauthenticated`: no valid token (missing, malformed, expired or revoked)",
            false,
        ));
    }
    common.push((
        "429",
        "`rate_limited`: too many requests from this address (or, where the route says so, a \
         daily quota reached)",
        false,
    ));
    common.push((
        "503",
        "`unavailable`: the database is out of reach for a moment; see `Retry-After`",
        true,
    ));
    for (status, description, retry_after) in common {
        if !operation.responses.responses.contains_key(status) {
            operation
                .responses
                .responses
                .insert(status.to_owned(), problem(description, retry_after).into());
        }
    }
}

/// An OpenAPI link: which answer (`"METHOD path status"`) gives the value of a parameter of
/// another operation, so a client (and the stateful contract tests) can follow a thread, a
/// dossier or an appointment from its creation or its list.
struct LinkSpec {
    answer: &'static str,
    name: &'static str,
    to: &'static str,
    parameter: &'static str,
    value: &'static str,
}

const fn link(
    answer: &'static str,
    name: &'static str,
    to: &'static str,
    (parameter, value): (&'static str, &'static str),
) -> LinkSpec {
    LinkSpec {
        answer,
        name,
        to,
        parameter,
        value,
    }
}

/// The id of what the answer created.
const CREATED: (&str, &str) = ("id", "$response.body#/id");

const LINKS: &[LinkSpec] = &[
    link(
        "post /api/v1/messages 201",
        "thread",
        "show_thread",
        CREATED,
    ),
    link("post /api/v1/messages 201", "reply", "reply", CREATED),
    link(
        "get /api/v1/messages 200",
        "thread",
        "show_thread",
        ("id", "$response.body#/items/0/id"),
    ),
    link(
        "post /api/v1/messages/{id}/replies 201",
        "thread",
        "show_thread",
        CREATED,
    ),
    link(
        "post /api/v1/dossiers 201",
        "dossier",
        "show_dossier",
        CREATED,
    ),
    link(
        "post /api/v1/dossiers 201",
        "submit",
        "submit_dossier",
        CREATED,
    ),
    link(
        "post /api/v1/dossiers 201",
        "cancel",
        "cancel_dossier",
        CREATED,
    ),
    link(
        "get /api/v1/dossiers 200",
        "dossier",
        "show_dossier",
        ("id", "$response.body#/dossiers/0/id"),
    ),
    link(
        "post /api/v1/appointments 201",
        "cancel",
        "cancel_appointment",
        CREATED,
    ),
    link("post /api/v1/appointments 201", "move", "move_to", CREATED),
    link(
        "get /api/v1/appointments 200",
        "cancel",
        "cancel_appointment",
        ("id", "$response.body#/appointments/0/id"),
    ),
    link(
        "post /api/v1/help/questions 201",
        "question",
        "show_question",
        CREATED,
    ),
    link(
        "get /api/v1/help/questions 200",
        "question",
        "show_question",
        ("id", "$response.body#/questions/0/id"),
    ),
    link(
        "get /api/v1/procurations 200",
        "revoke",
        "revoke_procuration",
        ("id", "$response.body#/procurations/0/id"),
    ),
    link(
        "get /api/v1/debts 200",
        "debt",
        "show_debt",
        ("id", "$response.body#/debts/0/id"),
    ),
    link(
        "get /api/v1/payments 200",
        "payment",
        "show_payment",
        ("id", "$response.body#/months/0/payments/0/id"),
    ),
    link(
        "get /api/v1/caisses 200",
        "fund",
        "get_fund",
        ("code", "$response.body#/0/code"),
    ),
];

struct Links;

impl Modify for Links {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for spec in LINKS {
            let mut words = spec.answer.split(' ');
            let (Some(method), Some(path), Some(status)) =
                (words.next(), words.next(), words.next())
            else {
                continue;
            };
            let Some(item) = openapi.paths.paths.get_mut(path) else {
                continue;
            };
            let operation = match method {
                "get" => item.get.as_mut(),
                "post" => item.post.as_mut(),
                _ => None,
            };
            let Some(RefOr::T(response)) =
                operation.and_then(|o| o.responses.responses.get_mut(status))
            else {
                continue;
            };
            let link = LinkBuilder::new()
                .operation_id(spec.to)
                .parameter(spec.parameter, spec.value)
                .build();
            response.links.insert(spec.name.to_owned(), RefOr::T(link));
        }
    }
}

/// A problem document answer (`application/problem+json`, schema `ApiError`).
fn problem(description: &str, retry_after: bool) -> Response {
    let content = Content::new(Some(Ref::from_schema_name("ApiError")));
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", content);
    if retry_after {
        let seconds = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0));
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(seconds))
                .description(Some("Seconds to wait before trying again"))
                .build(),
        );
    }
    response.build()
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
