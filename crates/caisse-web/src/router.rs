//! The route table and the middleware stack.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::pages::back_office::{
    accounts as staff_accounts, agenda as staff_agenda, corrections as staff_corrections,
    dashboard, dossiers as staff_dossiers, help as staff_help, home as staff_home,
    login as staff_login, login_code as staff_code, mediation as staff_mediation, outbox_admin,
    payments as staff_payments, print_queue, reclamation_outcome, staff_idp,
    thread_pdf as staff_thread_pdf,
};
use crate::pages::{
    attachments, attestations, back_office, debts, franceconnect, home, info, login_code,
    mediation, member_login, messaging, not_me, password_reset, payment_documents, payments,
    profile, provisional_code, registration, verify,
};
use crate::state::AppState;
use crate::{
    api, assets, availability, consistency, csrf, error, ops, rate_limit, security, telemetry,
    timeouts, uploads, visitor, well_known,
};

/// Builds the whole application: pages, API, operational endpoints and middleware.
pub fn router(state: AppState) -> Router {
    // Forms with files get room for every file at its largest and the upload time limit; the
    // rest keep the small body and the short time.
    let attachments = uploads::body_limit(&state.messaging.settings().attachments);
    let max_body = state.config.max_body_bytes;
    let pages = Router::new()
        .route("/", get(home::home))
        .route(
            "/connexion",
            get(member_login::login_form).post(member_login::login),
        )
        .route(
            "/connexion/code",
            get(login_code::code_form).post(login_code::confirm),
        )
        .route("/deconnexion", post(member_login::logout))
        .route("/connexion/franceconnect", post(franceconnect::start))
        // The paths FranceConnect and the staff provider send browsers back to are registered
        // at the providers: `caisse_core::oidc::{franceconnect, staff_idp}::CALLBACK_PATH`.
        .route(
            "/connexion/franceconnect/retour",
            get(franceconnect::callback),
        )
        .route(
            "/connexion/franceconnect/lier",
            get(franceconnect::proof_form),
        )
        .route(
            "/connexion/franceconnect/lier/mot-de-passe",
            post(franceconnect::prove_with_password),
        )
        .route(
            "/connexion/franceconnect/lier/code",
            post(franceconnect::send_code),
        )
        .route(
            "/connexion/franceconnect/lier/code/verifier",
            post(franceconnect::prove_with_code),
        )
        .route("/deconnexion/franceconnect", get(franceconnect::logged_out))
        .route("/agent/connexion/oidc", post(staff_idp::start))
        .route("/agent/connexion/oidc/retour", get(staff_idp::callback))
        .route(
            "/mot-de-passe-oublie",
            get(password_reset::request_form).post(password_reset::request),
        )
        .route(
            "/mot-de-passe-oublie/{token}",
            get(password_reset::choose_form).post(password_reset::choose),
        )
        .route(
            "/inscription",
            get(registration::form).post(registration::register),
        )
        .route("/inscription/envoyee", get(registration::sent))
        .route(
            "/inscription/activer/{token}",
            get(registration::activation_page).post(registration::activate),
        )
        .route(
            "/code-provisoire",
            get(provisional_code::redeem_form).post(provisional_code::redeem),
        )
        .route(
            "/code-provisoire/demande",
            get(provisional_code::request_form).post(provisional_code::request),
        )
        .route(
            "/ce-n-etait-pas-moi/{token}",
            get(not_me::confirm_page).post(not_me::report),
        )
        .route("/paiements/sommes-a-payer", get(debts::list))
        .route("/paiements/sommes-a-payer/retour", get(debts::card_return))
        .route("/paiements/sommes-a-payer/{id}", get(debts::detail))
        .route(
            "/paiements/sommes-a-payer/{id}/carte",
            post(debts::pay_by_card),
        )
        .route(
            "/paiements/sommes-a-payer/{id}/contester",
            post(debts::contest),
        )
        .route("/paiements/documents", get(payment_documents::show))
        .route(
            "/paiements/documents/attestation-ij",
            get(payment_documents::ij_attestation),
        )
        .route(
            "/paiements/documents/releve-fiscal",
            get(payment_documents::ij_tax_statement),
        )
        .route(
            "/paiements/releves/{year}/{month}",
            get(payment_documents::statement),
        )
        .route("/paiements", get(payments::list))
        .route("/paiements/{id}", get(payments::show))
        .route("/messagerie", get(messaging::list))
        .route(
            "/messagerie/nouveau",
            get(messaging::new_form).merge(uploads::post_with_files(messaging::send, attachments)),
        )
        .route("/messagerie/{id}", get(messaging::show))
        .route(
            "/messagerie/{id}/repondre",
            uploads::post_with_files(messaging::reply, attachments),
        )
        .route("/messagerie/{id}/pdf", get(messaging::pdf))
        .route(
            "/messagerie/{id}/pieces-jointes/{n}",
            get(attachments::member_download),
        )
        .route(
            "/messagerie/{id}/mediateur",
            get(mediation::form).post(mediation::refer),
        )
        .route(
            "/attestations",
            get(attestations::show).post(attestations::download),
        )
        .route("/verifier", get(verify::form).post(verify::check))
        .route(
            "/verifier/fichier",
            uploads::post_with_files(verify::check_file, max_body),
        )
        .route("/profil", get(profile::overview::show))
        .route(
            "/profil/mot-de-passe",
            get(profile::password::form).post(profile::password::change),
        )
        .route(
            "/profil/email",
            get(profile::email::form).post(profile::email::request),
        )
        .route("/profil/email/lien-envoye", get(profile::email::sent))
        .route(
            "/profil/email/confirmer/{token}",
            get(profile::email::confirm_form).post(profile::email::confirm),
        )
        .route("/profil/email/confirmee", get(profile::email::confirmed))
        .route(
            "/profil/mobile",
            get(profile::phone::form).post(profile::phone::request),
        )
        .route(
            "/profil/mobile/code",
            get(profile::phone::code_form).post(profile::phone::confirm),
        )
        .route(
            "/profil/adresse",
            get(profile::address::form).post(profile::address::change),
        )
        .route(
            "/profil/coordonnees-bancaires",
            get(profile::bank::form).post(profile::bank::request),
        )
        .route(
            "/profil/coordonnees-bancaires/annuler",
            post(profile::bank::cancel),
        )
        .route(
            "/profil/notifications",
            get(profile::notifications::form).post(profile::notifications::save),
        )
        .route("/profil/connexions", get(profile::connections::list))
        .route(
            "/profil/connexions/fermer",
            post(profile::connections::revoke),
        )
        .route(
            "/profil/connexions/franceconnect/retirer",
            post(profile::connections::unlink_franceconnect),
        )
        .route(
            "/profil/cloture",
            get(profile::closure::form).post(profile::closure::close),
        )
        .route("/profil/cloture/effectuee", get(profile::closure::closed))
        .route("/accessibilite", get(info::accessibility))
        .route("/mentions-legales", get(info::legal_notice))
        .route("/donnees-personnelles", get(info::personal_data))
        .route("/agent", get(staff_home::home))
        .route(
            "/agent/connexion",
            get(staff_login::login_form).post(staff_login::login),
        )
        .route(
            staff_code::CODE_PATH,
            get(staff_code::code_form).post(staff_code::confirm),
        )
        .route(
            staff_code::ENROLMENT_PATH,
            get(staff_code::enrolment_form).post(staff_code::confirm),
        )
        .route(
            "/agent/connexion/enrolement/qr.svg",
            get(staff_code::enrolment_qr),
        )
        .route("/agent/deconnexion", post(staff_login::logout))
        .route(
            "/agent/comptes",
            get(staff_accounts::search_form).post(staff_accounts::search),
        )
        .route("/agent/comptes/{id}", get(staff_accounts::show))
        .route("/agent/comptes/{id}/paiements", get(staff_payments::list))
        .route(
            "/agent/comptes/{id}/paiements/{payment}",
            get(staff_payments::show),
        )
        .route(
            "/agent/comptes/{id}/paiements/{payment}/corriger",
            post(staff_corrections::correct),
        )
        .route("/agent/corrections", get(staff_corrections::waiting))
        .route(
            "/agent/corrections/{id}/valider",
            post(staff_corrections::approve),
        )
        .route(
            "/agent/corrections/{id}/refuser",
            post(staff_corrections::refuse),
        )
        .route("/agent/dossiers", get(staff_dossiers::queue))
        .route("/agent/dossiers/{id}", get(staff_dossiers::show))
        .route(
            "/agent/dossiers/{id}/pieces/{piece}",
            get(staff_dossiers::piece),
        )
        .route("/agent/dossiers/{id}/prendre", post(staff_dossiers::take))
        .route(
            "/agent/dossiers/{id}/enquete",
            post(staff_dossiers::open_investigation),
        )
        .route(
            "/agent/dossiers/{id}/carte",
            post(staff_dossiers::advance_card),
        )
        .route(
            "/agent/dossiers/{id}/completer",
            post(staff_dossiers::ask_completion),
        )
        .route("/agent/dossiers/{id}/decider", post(staff_dossiers::decide))
        .route(
            "/agent/dossiers/{id}/transmettre",
            post(staff_dossiers::transfer),
        )
        .route(
            "/agent/comptes/{id}/debloquer",
            post(staff_accounts::unlock),
        )
        .route(
            "/agent/comptes/{id}/lever-gel",
            post(staff_accounts::lift_freeze),
        )
        .route(
            "/agent/comptes/{id}/code-provisoire",
            post(staff_accounts::send_code),
        )
        .route("/agent/alertes", get(staff_accounts::alerts))
        .route("/agent/messagerie", get(back_office::queue::queue))
        .route("/agent/messagerie/{id}", get(back_office::thread::show))
        .route(
            "/agent/messagerie/{id}/prendre",
            post(back_office::actions::claim),
        )
        .route(
            "/agent/messagerie/{id}/attribuer",
            post(back_office::actions::assign),
        )
        .route(
            "/agent/messagerie/{id}/repondre",
            post(back_office::actions::reply),
        )
        .route(
            "/agent/messagerie/{id}/note",
            post(back_office::actions::note),
        )
        .route(
            "/agent/messagerie/{id}/statut",
            post(back_office::actions::change_status),
        )
        .route(
            "/agent/messagerie/{id}/nature",
            post(back_office::actions::classify),
        )
        .route(
            "/agent/messagerie/{id}/transferer-equipe",
            post(back_office::actions::transfer_team),
        )
        .route(
            "/agent/messagerie/{id}/transferer-caisse",
            post(back_office::actions::transfer_fund),
        )
        .route(
            "/agent/messagerie/{id}/cloturer",
            post(back_office::actions::close),
        )
        .route(
            "/agent/reponses-types",
            get(back_office::canned::list).post(back_office::canned::create),
        )
        .route(
            "/agent/reponses-types/{id}",
            get(back_office::canned::edit).post(back_office::canned::update),
        )
        .route(
            "/agent/reponses-types/{id}/desactiver",
            post(back_office::canned::deactivate),
        )
        .route(
            "/agent/reponses-types/{id}/activer",
            post(back_office::canned::activate),
        )
        .route(
            "/agent/messagerie/{id}/pdf",
            get(staff_thread_pdf::download),
        )
        .route(
            "/agent/messagerie/{id}/pieces-jointes/{n}",
            get(attachments::staff_download),
        )
        .route("/agent/courriers", get(print_queue::overview))
        .route("/agent/courriers/lot", post(print_queue::make_batch))
        .route("/agent/courriers/lots/{batch}", get(print_queue::download))
        .route("/agent/tableau-de-bord", get(dashboard::show))
        .route("/agent/mediation", get(staff_mediation::list))
        .route("/agent/mediation/{id}", get(staff_mediation::show))
        .route("/agent/mediation/{id}/prendre", post(staff_mediation::take))
        .route(
            "/agent/mediation/{id}/repondre",
            post(staff_mediation::answer),
        )
        .route("/agent/mediation/{id}/clore", post(staff_mediation::close))
        .route(
            "/agent/messagerie/{id}/issue",
            post(reclamation_outcome::record),
        )
        .route("/agent/agenda", get(staff_agenda::day::show))
        .route("/agent/agenda/accueil/{id}", get(staff_agenda::day::branch))
        .route(
            "/agent/agenda/reserver",
            get(staff_agenda::booking::form).post(staff_agenda::booking::book),
        )
        .route("/agent/agenda/pilotage", get(staff_agenda::figures::show))
        .route(
            "/agent/agenda/configuration",
            get(staff_agenda::settings::show),
        )
        .route(
            "/agent/agenda/configuration/motifs",
            post(staff_agenda::settings_forms::create_motif),
        )
        .route(
            "/agent/agenda/configuration/motifs/{id}",
            post(staff_agenda::settings_forms::edit_motif),
        )
        .route(
            "/agent/agenda/configuration/accueils",
            post(staff_agenda::settings_forms::create_site),
        )
        .route(
            "/agent/agenda/configuration/accueils/{id}",
            post(staff_agenda::settings_forms::edit_site),
        )
        .route(
            "/agent/agenda/configuration/accueils/{id}/fermetures",
            post(staff_agenda::settings_forms::add_closure),
        )
        .route(
            "/agent/agenda/configuration/fermetures/{id}/supprimer",
            post(staff_agenda::settings_forms::remove_closure),
        )
        .route(
            "/agent/agenda/configuration/conseillers/{id}/horaires",
            post(staff_agenda::settings_forms::add_hours),
        )
        .route(
            "/agent/agenda/configuration/conseillers/{id}/horaires/{hours}/supprimer",
            post(staff_agenda::settings_forms::remove_hours),
        )
        .route(
            "/agent/agenda/configuration/conseillers/{id}/absences",
            post(staff_agenda::settings_forms::add_absence),
        )
        .route(
            "/agent/agenda/configuration/conseillers/{id}/absences/{absence}/supprimer",
            post(staff_agenda::settings_forms::remove_absence),
        )
        .route(
            "/agent/rendez-vous/{id}",
            get(staff_agenda::appointment::show),
        )
        .route(
            "/agent/rendez-vous/{id}/statut",
            post(staff_agenda::appointment::record),
        )
        .route(
            "/agent/rendez-vous/{id}/annuler",
            post(staff_agenda::appointment::cancel),
        )
        .route("/agent/aide", get(staff_help::list::show))
        .route(
            "/agent/aide/nouvelle",
            get(staff_help::form::new_form).post(staff_help::form::create),
        )
        .route("/agent/aide/questions", get(staff_help::insights::show))
        .route("/agent/aide/{id}", get(staff_help::entry::show))
        .route(
            "/agent/aide/{id}/modifier",
            get(staff_help::form::edit_form).post(staff_help::form::save),
        )
        .route("/agent/aide/{id}/publier", post(staff_help::entry::publish))
        .route(
            "/agent/aide/{id}/retirer",
            post(staff_help::entry::withdraw),
        )
        .route(
            "/agent/aide/{id}/remettre",
            post(staff_help::entry::restore),
        )
        .route("/agent/questions", get(back_office::forum::queue))
        .route("/agent/questions/{id}", get(back_office::forum::show))
        .route(
            "/agent/questions/{id}/publier",
            post(back_office::forum::publish),
        )
        .route(
            "/agent/questions/{id}/refuser",
            post(back_office::forum::reject),
        )
        .route(
            "/agent/questions/{id}/repondre",
            post(back_office::forum::answer),
        )
        .route(
            "/agent/questions/{id}/faq",
            post(staff_help::from_question::create),
        )
        .route("/admin/outbox", get(outbox_admin::list))
        .route("/admin/outbox/{id}", get(outbox_admin::show))
        .route("/admin/outbox/{id}/relancer", post(outbox_admin::retry))
        .merge(crate::pages::demarches::routes(attachments))
        .merge(crate::pages::agenda::routes())
        .merge(crate::pages::help::routes())
        .merge(crate::pages::forum::routes())
        .fallback(error::not_found)
        .layer(
            ServiceBuilder::new()
                .layer(from_fn_with_state(state.clone(), visitor::resolve_visitor))
                .layer(from_fn_with_state(state.clone(), error::render_error_pages))
                .layer(from_fn(csrf::reject_cross_site_writes)),
        );

    let unauthenticated = Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(telemetry::metrics_endpoint))
        .route("/theme.css", get(assets::theme_css))
        .route("/static/{*path}", get(assets::static_file))
        .route(
            "/.well-known/caisse-attestation-keys.json",
            get(well_known::attestation_keys),
        )
        .nest("/api/v1", api::routes(attachments));

    Router::new()
        .merge(unauthenticated)
        .merge(pages)
        .layer(
            ServiceBuilder::new()
                // Outside the trace layer, so the request's span carries its id.
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(telemetry::RequestSpan)
                        .on_response(telemetry::RequestSpan),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                // Pages, JSON, CSS, JS and SVG in gzip or brotli; PDFs and images as they are.
                .layer(crate::compression::layer())
                .layer(CatchPanicLayer::custom(panic_page))
                .layer(from_fn(telemetry::record_metrics))
                .layer(from_fn_with_state(
                    state.clone(),
                    security::security_headers,
                ))
                // Renders refusals of the outer layers (rate limit, visitor lookup) that the
                // pages' own renderer, which knows the visitor, never sees.
                .layer(from_fn_with_state(state.clone(), error::render_error_pages))
                .layer(from_fn_with_state(state.clone(), rate_limit::limit_rate))
                .layer(from_fn(timeouts::limit_duration))
                // Inside the time limit, so a read waiting for the database stays bounded.
                .layer(from_fn(availability::retry_when_unreachable))
                .layer(from_fn_with_state(
                    state.clone(),
                    consistency::read_own_writes,
                ))
                .layer(DefaultBodyLimit::max(max_body)),
        )
        .with_state(state)
}

fn panic_page(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(
            "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Erreur</title></head>\
             <body><main><h1>Une erreur est survenue</h1><p>Réessayez dans quelques instants.</p>\
             <p><a href=\"/\">Revenir à l'accueil</a></p></main></body></html>",
        ),
    )
        .into_response()
}
