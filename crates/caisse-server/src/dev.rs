//! `caisse dev …`: tools for development and tests, never for production.

use anyhow::{Context, anyhow};

use crate::settings::Settings;

/// Serves the card payment provider's emulator (`caisse_web::payment_emulator`) with the
/// configured merchant id and secret, until Ctrl+C.
pub async fn payment_emulator(
    settings: Settings,
    listen: std::net::SocketAddr,
) -> anyhow::Result<()> {
    let (Some(merchant_id), Some(secret)) = (
        settings.payment_provider_merchant_id.clone(),
        settings.payment_provider_secret.clone(),
    ) else {
        return Err(anyhow!(
            "set CAISSE_PAYMENT_PROVIDER_URL, …_MERCHANT_ID and …_SECRET as for the portal"
        ));
    };
    let provider = caisse_core::debts::SignedRedirectProvider {
        url: String::new(),
        merchant_id,
        return_url: String::new(),
        secret: caisse_core::debts::ProviderSecret::new(secret.expose().as_bytes().to_vec()),
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let address = listener.local_addr().context("reading the bound address")?;
    println!("Émulateur de paiement prêt : http://{address}/payer");
    axum::serve(listener, caisse_web::payment_emulator(provider))
        .with_graceful_shutdown(async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await
        .context("serving the payment emulator")
}
