//! An in-memory token store.

use std::collections::BTreeMap;

use parking_lot::Mutex;

use super::{ConnectionId, StoredTokens, TokenStore, TokenStoreError};

/// Tokens kept in memory only: nothing survives the process.
#[derive(Debug, Default)]
pub struct MemoryStore {
    records: Mutex<BTreeMap<ConnectionId, StoredTokens>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl TokenStore for MemoryStore {
    fn load(&self, connection: ConnectionId) -> Result<Option<StoredTokens>, TokenStoreError> {
        Ok(self.records.lock().get(&connection).cloned())
    }

    fn save(&self, connection: ConnectionId, tokens: &StoredTokens) -> Result<(), TokenStoreError> {
        self.records.lock().insert(connection, tokens.clone());
        Ok(())
    }

    fn delete(&self, connection: ConnectionId) -> Result<(), TokenStoreError> {
        self.records.lock().remove(&connection);
        Ok(())
    }

    fn connections(&self) -> Result<Vec<ConnectionId>, TokenStoreError> {
        Ok(self.records.lock().keys().copied().collect())
    }
}
