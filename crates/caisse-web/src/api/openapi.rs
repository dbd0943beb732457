//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the JSON API, generated from the
//! handlers' annotations, so it cannot drift from the code.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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
        license(name = "AGPL-3.0-or-later")
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
    modifiers(&BearerAuth),
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

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
