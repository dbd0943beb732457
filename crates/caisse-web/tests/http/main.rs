//! HTTP integration suite: the real router, a fresh database per test (SQLite by default,
//! PostgreSQL with `TEST_DATABASE_URL`), requests sent in-process.

mod support;

mod account_support;
mod admin_outbox;
mod agenda;
mod agenda_pages;
mod api_auth;
mod api_messages;
mod arrets_api;
mod attachments;
mod attempt_limits;
mod attestations;
mod back_office;
mod claims_api;
mod dashboard;
mod debts;
mod demarches_api;
mod demarches_pages;
mod lockout;
mod mediation;
mod member_login;
mod messaging_counter;
mod messaging_list;
mod messaging_pages;
mod multipart_edge;
mod new_device;
mod numbers;
mod openapi;
mod operations;
mod password_reset;
mod payment_documents;
mod payments;
mod pdf_uploads;
mod profile_changes;
mod provisional_codes;
mod quotas;
mod redirects;
mod registration;
mod security;
mod staff_dossiers;
mod staff_payments;
mod staff_routes;
mod staff_totp;
mod thread_pdf;
