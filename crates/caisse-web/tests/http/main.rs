//! HTTP integration suite: the real router, a fresh database per test (SQLite by default,
//! PostgreSQL with `TEST_DATABASE_URL`), requests sent in-process.

mod support;

mod admin_outbox;
mod lockout;
mod member_login;
mod operations;
mod security;
