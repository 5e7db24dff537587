//! File contents, outside the database: the local disk by default (`file://`), or memory for tests.
//! Writes are create-only and synced before they return, so a message row never points at a blob
//! that a crash could still lose.

use std::sync::Arc;

use bytes::Bytes;
use futures::TryStreamExt;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};

use crate::error::RelayError;

#[derive(Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
}

impl BlobStore {
    /// `file:///var/lib/careplan/blobs` or `memory://`.
    pub fn open(url: &str) -> Result<BlobStore, RelayError> {
        let inner: Arc<dyn ObjectStore> = if let Some(path) = url.strip_prefix("file://") {
            std::fs::create_dir_all(path)?;
            Arc::new(LocalFileSystem::new_with_prefix(path)?.with_fsync(true))
        } else if url == "memory://" {
            Arc::new(InMemory::new())
        } else {
            return Err(RelayError::Config(format!(
                "BLOB_STORE_URL は file:// か memory:// で指定してください（今は「{url}」）。"
            )));
        };
        Ok(BlobStore { inner })
    }

    /// Writes a new blob; refuses to overwrite one.
    pub async fn put_new(&self, key: &str, bytes: Bytes) -> Result<(), RelayError> {
        let options = PutOptions {
            mode: PutMode::Create,
            ..PutOptions::default()
        };
        self.inner
            .put_opts(&Path::from(key), PutPayload::from(bytes), options)
            .await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, RelayError> {
        match self.inner.get(&Path::from(key)).await {
            Ok(result) => Ok(Some(result.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// A blob a database row points at: missing means the data is damaged, an internal error.
    pub async fn read(&self, key: &str) -> Result<Bytes, RelayError> {
        self.get(key)
            .await?
            .ok_or_else(|| RelayError::Internal(format!("blob missing: {key}")))
    }

    pub async fn delete(&self, key: &str) -> Result<(), RelayError> {
        match self.inner.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Every key under a prefix.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, RelayError> {
        let prefix = Path::from(prefix);
        let metas: Vec<_> = self.inner.list(Some(&prefix)).try_collect().await?;
        Ok(metas.into_iter().map(|m| m.location.to_string()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn create_only_and_synced_on_disk() {
        let dir = std::env::temp_dir().join(format!("careplan-blobs-{}", std::process::id()));
        let store = BlobStore::open(&format!("file://{}", dir.display())).unwrap();
        store
            .put_new("messages/m1/f1", Bytes::from_static(b"abc"))
            .await
            .unwrap();
        assert!(
            store
                .put_new("messages/m1/f1", Bytes::from_static(b"xyz"))
                .await
                .is_err(),
            "never overwrites"
        );
        assert_eq!(
            store.get("messages/m1/f1").await.unwrap().unwrap(),
            Bytes::from_static(b"abc")
        );
        assert_eq!(
            store.list("messages").await.unwrap(),
            vec!["messages/m1/f1".to_owned()]
        );
        store.delete("messages/m1/f1").await.unwrap();
        store.delete("messages/m1/f1").await.unwrap();
        assert_eq!(store.get("messages/m1/f1").await.unwrap(), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn unknown_urls_are_refused_in_japanese() {
        let err = BlobStore::open("ftp://x").err().unwrap();
        assert!(err.to_string().contains("BLOB_STORE_URL"));
    }
}
