//! The HTTP face of Caisse: HTML pages for members and staff, the JSON API under `/api/v1`,
//! operational endpoints, and the middleware every request crosses (sessions, CSRF, security
//! headers, rate limits, metrics).
//!
//! This is the only crate that knows HTTP, HTML and JSON. Handlers parse input into domain
//! types, call a use case of `caisse-core`, and render the result; they never name a table.

mod api;
mod assets;
mod availability;
mod compression;
mod config;
mod consistency;
mod csrf;
mod error;
mod forms;
mod layout;
mod ops;
mod pages;
mod params;
mod payment_emulator;
mod rate_limit;
mod router;
mod security;
mod state;
mod telemetry;
mod timeouts;
pub mod uploads;
mod visitor;
mod well_known;

pub use config::{Brand, WebConfig};
pub use payment_emulator::payment_emulator;
pub use router::router;
pub use state::AppState;
pub use telemetry::install_metrics_recorder;
