//! The file store port: where the bytes of attachments live, outside the database.
//!
//! Use cases see [`FileStore`] only: put, get and delete by [`FileKey`]. [`ObjectFiles`]
//! adapts any `object_store` backend to it: the binary opens a local directory
//! (`CAISSE_FILES_DIR`), tests use the in-memory store, and a deployment on several nodes can
//! pass an object-storage bucket without touching the use cases.
//!
//! Keys are random (UUIDv4), never derived from a file name or a member: a key read in a
//! log or a directory listing reveals nothing, and a crafted name cannot choose a path.

use std::sync::Arc;

use async_trait::async_trait;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use uuid::Uuid;

/// Where a file lives in the store: `attachments/<2 hex>/<32 hex>`. The two-character
/// directory keeps a local directory's listing small.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileKey(String);

impl FileKey {
    /// A new random key for an attachment.
    pub fn new_attachment() -> FileKey {
        let id = Uuid::new_v4().simple().to_string();
        FileKey(format!("attachments/{}/{id}", &id[..2]))
    }

    /// A key read back from the database.
    pub fn from_stored(key: String) -> FileKey {
        FileKey(key)
    }

    /// The key as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why the file store failed.
#[derive(Debug, thiserror::Error)]
pub enum FileStoreError {
    /// Nothing is stored under this key.
    #[error("no file under this key")]
    NotFound,
    /// The backend failed (disk, network, permissions…).
    #[error("file store: {0}")]
    Backend(String),
}

/// Stores files by key. Implementations must be safe to call from several nodes at once.
#[async_trait]
pub trait FileStore: Send + Sync + 'static {
    /// Stores `bytes` under `key`, replacing anything there. Returns once the file is durable.
    async fn put(&self, key: &FileKey, bytes: Vec<u8>) -> Result<(), FileStoreError>;

    /// Returns the bytes under `key`.
    ///
    /// # Errors
    /// [`FileStoreError::NotFound`] when nothing is stored there.
    async fn get(&self, key: &FileKey) -> Result<Vec<u8>, FileStoreError>;

    /// Deletes the file under `key`; deleting a missing file is not an error.
    async fn delete(&self, key: &FileKey) -> Result<(), FileStoreError>;
}

/// [`FileStore`] over any `object_store` backend.
#[derive(Clone, Debug)]
pub struct ObjectFiles {
    store: Arc<dyn ObjectStore>,
}

impl ObjectFiles {
    /// The file store over `store` (a local directory, a bucket…).
    pub fn new(store: Arc<dyn ObjectStore>) -> ObjectFiles {
        ObjectFiles { store }
    }

    /// A store that keeps files in memory, for tests and throw-away runs.
    pub fn in_memory() -> ObjectFiles {
        ObjectFiles::new(Arc::new(object_store::memory::InMemory::new()))
    }

    /// The backend, for tests that list what was stored.
    pub fn backend(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }
}

fn backend_error(error: object_store::Error) -> FileStoreError {
    match error {
        object_store::Error::NotFound { .. } => FileStoreError::NotFound,
        other => FileStoreError::Backend(other.to_string()),
    }
}

#[async_trait]
impl FileStore for ObjectFiles {
    async fn put(&self, key: &FileKey, bytes: Vec<u8>) -> Result<(), FileStoreError> {
        self.store
            .put(&Path::from(key.as_str()), PutPayload::from(bytes))
            .await
            .map_err(backend_error)?;
        Ok(())
    }

    async fn get(&self, key: &FileKey) -> Result<Vec<u8>, FileStoreError> {
        let found = self
            .store
            .get(&Path::from(key.as_str()))
            .await
            .map_err(backend_error)?;
        Ok(found.bytes().await.map_err(backend_error)?.to_vec())
    }

    async fn delete(&self, key: &FileKey) -> Result<(), FileStoreError> {
        match self.store.delete(&Path::from(key.as_str())).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(other) => Err(backend_error(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_go_in_come_out_and_go_away() {
        let files = ObjectFiles::in_memory();
        let key = FileKey::new_attachment();
        assert!(key.as_str().starts_with("attachments/"));
        assert_ne!(key, FileKey::new_attachment(), "keys are random");
        files.put(&key, b"%PDF-1.7".to_vec()).await.unwrap();
        assert_eq!(files.get(&key).await.unwrap(), b"%PDF-1.7");
        files.delete(&key).await.unwrap();
        assert!(matches!(
            files.get(&key).await,
            Err(FileStoreError::NotFound)
        ));
        files.delete(&key).await.unwrap();
    }
}
