//! What the server writes is its service user's only: files 0600, directories 0700.
//!
//! Two means. [`restrict_new_files`] sets the process's umask to `077` before anything is
//! written, so every file and directory this process creates (the SQLite database and the
//! WAL and SHM files SQLite gives the database's mode, the attachments and the folders
//! `object_store` makes for them, `secret.key`) has no bit for the group or others. Then
//! [`tighten`] takes those bits off the roots an older version or an operator created
//! wider: the data directory, the attachments directory, the SQLite files. Folders and
//! files inside an older attachments directory keep their modes: `chmod -R go= DIR` once
//! (docs/operations.md).

use std::path::Path;

use anyhow::Context;

/// Directories: the user reads, writes and enters.
pub const DIRECTORY_MODE: u32 = 0o700;
/// Files: the user reads and writes.
pub const FILE_MODE: u32 = 0o600;

/// Makes every file and directory this process creates from now on private to its user.
pub fn restrict_new_files() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// Takes the group's and others' bits off `path` (a directory or a file), if it exists.
///
/// # Errors
/// When the path exists but its mode cannot be read or changed.
pub fn tighten(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(error) => {
                return Err(error).with_context(|| format!("reading {}", path.display()));
            }
        };
        let mode = if metadata.is_dir() {
            DIRECTORY_MODE
        } else {
            FILE_MODE
        };
        if metadata.permissions().mode() & 0o777 != mode {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .with_context(|| format!("making {} private", path.display()))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The SQLite database file of `url` (`sqlite://PATH?…`) and its WAL and SHM files; nothing
/// for another database.
pub fn sqlite_files(url: &str) -> Vec<std::path::PathBuf> {
    let Some(rest) = url.strip_prefix("sqlite://") else {
        return Vec::new();
    };
    let file = rest.split('?').next().unwrap_or_default();
    if file.is_empty() || file == ":memory:" {
        return Vec::new();
    }
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| std::path::PathBuf::from(format!("{file}{suffix}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sqlite_files_of_a_url_are_the_database_and_its_companions() {
        assert_eq!(
            sqlite_files("sqlite://./data/caisse.sqlite?mode=rwc"),
            [
                "./data/caisse.sqlite",
                "./data/caisse.sqlite-wal",
                "./data/caisse.sqlite-shm",
                "./data/caisse.sqlite-journal"
            ]
            .map(std::path::PathBuf::from)
        );
        assert!(sqlite_files("postgres://db/caisse").is_empty());
        assert!(sqlite_files("sqlite://:memory:").is_empty());
    }
}
