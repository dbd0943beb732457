//! The development transport: without an SMTP relay, each mail and SMS the outbox delivers
//! becomes a file in a private directory (mode 0700, files 0600), so a developer reads their
//! mail there while the outbox keeps only masked bodies. A mail is `ID.eml` (the message as it
//! would go over SMTP, readable by any mail client), an SMS `ID.sms.txt` (the number, a blank
//! line, the text). A file is written under a temporary name and renamed, so a reader never
//! sees half of it; a message delivered twice (at-least-once) is the same file again.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use caisse_core::mail::{Channel, DeliveryError, OutgoingMessage, Transport};

use crate::smtp::Composer;

/// Writes each message into a directory.
pub struct MailDirectory {
    dir: PathBuf,
    composer: Composer,
}

impl MailDirectory {
    /// Opens (creating it) the directory `dir`, private to the server's user; mails are sent
    /// as `from`.
    ///
    /// # Errors
    /// When the directory cannot be created or made private, or the sender is malformed.
    pub fn open(dir: &Path, from: &str) -> Result<MailDirectory, String> {
        let cannot = |e: std::io::Error| format!("mail directory {}: {e}", dir.display());
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(cannot)?;
        // An existing directory keeps its mode otherwise.
        #[cfg(unix)]
        std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .map_err(cannot)?;
        Ok(MailDirectory {
            dir: dir.to_owned(),
            composer: Composer::new(from)?,
        })
    }
}

fn failure(error: &std::io::Error) -> DeliveryError {
    DeliveryError {
        message: format!("cannot write to the mail directory: {error}"),
        permanent: false,
    }
}

/// Writes `bytes` as `dir/name`, readable by its owner only, through a temporary file.
async fn write_private(dir: &Path, name: &str, bytes: Vec<u8>) -> Result<(), DeliveryError> {
    let target = dir.join(name);
    let temporary = dir.join(format!(".{name}.tmp"));
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &target)
    })
    .await
    .map_err(|e| DeliveryError {
        message: format!("mail directory writer stopped: {e}"),
        permanent: false,
    })?
    .map_err(|e| failure(&e))
}

#[async_trait]
impl Transport for MailDirectory {
    async fn deliver(&self, message: &OutgoingMessage) -> Result<(), DeliveryError> {
        let (name, bytes) = match message.channel {
            Channel::Email => (
                format!("{}.eml", message.id),
                self.composer.compose(message)?.formatted(),
            ),
            Channel::Sms => (
                format!("{}.sms.txt", message.id),
                format!("{}\n\n{}\n", message.recipient, message.body_text).into_bytes(),
            ),
        };
        write_private(&self.dir, &name, bytes).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(channel: Channel, recipient: &str) -> OutgoingMessage {
        OutgoingMessage {
            id: uuid::Uuid::now_v7(),
            channel,
            recipient: recipient.to_owned(),
            subject: "Réinitialisation de votre mot de passe".to_owned(),
            body_text: "Ouvrez ce lien : http://127.0.0.1/mot-de-passe-oublie/SECRET\n".to_owned(),
            attachment: None,
        }
    }

    #[tokio::test]
    async fn mails_and_sms_are_private_files_in_a_private_directory() {
        let root = std::env::temp_dir().join(format!("caisse-mail-dir-{}", uuid::Uuid::now_v7()));
        let dir = root.join("courriels");
        let transport = MailDirectory::open(&dir, "Caisse <noreply@exemple.fr>").unwrap();
        let mail = message(Channel::Email, "julien.martin@exemple.fr");
        transport.deliver(&mail).await.unwrap();
        // Delivered twice (at-least-once): the same file.
        transport.deliver(&mail).await.unwrap();
        let sms = message(Channel::Sms, "+33612345678");
        transport.deliver(&sms).await.unwrap();

        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [format!("{}.eml", mail.id), format!("{}.sms.txt", sms.id)]
        );
        let eml = std::fs::read_to_string(dir.join(format!("{}.eml", mail.id))).unwrap();
        assert!(eml.contains("To: julien.martin@exemple.fr"), "{eml}");
        assert!(eml.contains(&format!("Message-ID: <{}@exemple.fr>", mail.id)));
        assert!(eml.contains("/mot-de-passe-oublie/SECRET"), "{eml}");
        let text = std::fs::read_to_string(dir.join(format!("{}.sms.txt", sms.id))).unwrap();
        assert!(text.starts_with("+33612345678\n\nOuvrez ce lien"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&dir.join(format!("{}.eml", mail.id))), 0o600);
            assert_eq!(mode(&dir.join(format!("{}.sms.txt", sms.id))), 0o600);
        }
        std::fs::remove_dir_all(root).unwrap();
    }
}
