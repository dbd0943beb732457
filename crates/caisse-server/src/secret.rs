//! The key that signs CSRF tokens: configured (required with several nodes), or generated once
//! and kept in the data directory for a single node.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use secrecy::SecretSlice;

use crate::settings::SecretKey;

/// Returns the configured key, or the one stored in `data_dir/secret.key` (created when missing,
/// readable by the owner only).
pub fn load_or_create(
    configured: Option<&SecretKey>,
    data_dir: &Path,
) -> anyhow::Result<SecretSlice<u8>> {
    if let Some(key) = configured {
        return Ok(key.expose().as_bytes().to_vec().into());
    }
    let path = data_dir.join("secret.key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim();
        if existing.len() >= 32 {
            return Ok(existing.as_bytes().to_vec().into());
        }
    }
    let key = caisse_core::tokens::random_token().context("generating the secret key")?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(key.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(key.into_bytes().into())
}
