//! Health endpoints for load balancers and orchestrators.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use caisse_core::health::Readiness;

use crate::state::AppState;

/// `GET /healthz`: the process is up.
pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok")
}

/// `GET /readyz`: the database answers and its schema is current; 503 otherwise, so a load
/// balancer keeps traffic away from a node that cannot serve.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.health.readiness().await {
        Readiness::Ready => (StatusCode::OK, "ok".to_owned()),
        Readiness::Unreachable(error) => {
            tracing::warn!(%error, "readiness: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "database unreachable".to_owned(),
            )
        }
        Readiness::PendingMigrations(pending) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("pending migrations: {}", pending.join(", ")),
        ),
        Readiness::MigrationStatusUnknown(error) => {
            tracing::warn!(%error, "readiness: migration status unknown");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "migration status unknown".to_owned(),
            )
        }
    }
}
