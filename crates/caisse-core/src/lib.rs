//! Use cases of the Caisse portal and back office.
//!
//! This crate decides what happens and in which transaction; it knows nothing about HTTP, HTML
//! or JSON. It reaches the outside world only through small traits ([`mail::Transport`],
//! [`files::FileStore`], [`clock::Clock`]) so that tests and deployments plug in their own adapters.

pub mod accounts;
pub mod api_tokens;
pub mod attestations;
pub mod audit;
pub mod auth;
pub mod blocking;
pub mod clock;
pub mod demo;
mod error;
pub mod files;
mod letterhead;
pub mod lockout;
pub mod mail;
pub mod member_import;
pub mod members;
pub mod messaging;
pub mod new_device;
pub mod one_time;
pub mod outbox;
pub mod outbox_worker;
pub mod password_reset;
pub mod password_strength;
pub mod passwords;
pub mod pdf_files;
pub mod rights;
mod sealing;
pub mod security_mail;
pub mod sessions;
pub mod staff;
pub mod staff_login;
pub mod staff_totp;
pub mod suspicion;
pub mod tokens;

pub use error::CoreError;
