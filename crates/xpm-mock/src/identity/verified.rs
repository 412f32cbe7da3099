//! A bounded cache of access tokens whose RS256 signature has been checked.
//!
//! Checking the signature is most of the work of an API call (about a third of the CPU of a
//! `client.api/get` under load), and its answer depends only on the token's bytes: the key never
//! changes while the emulator runs. So the cache keeps that answer, and nothing that can change:
//! audience, not-before, expiry (on the emulator clock, which tests move) and revocation are
//! checked on every call, cached or not.
//!
//! Architecture invariant: like the rest of identity state, the cache holds no usable credential.
//! Entries are keyed by the SHA-256 of the token.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use sha2::{Digest as _, Sha256};

/// Verified tokens, keyed by the token's SHA-256; `T` is what verification produced.
#[derive(Debug)]
pub(super) struct VerifiedTokens<T> {
    entries: Mutex<HashMap<[u8; 32], Arc<T>>>,
    capacity: usize,
}

impl<T> VerifiedTokens<T> {
    /// A cache of at most `capacity` tokens.
    pub(super) fn new(capacity: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), capacity }
    }

    /// What `verify` produced for `token`, from the cache or by calling it now. Failures are
    /// not cached, so a bad token costs a verification every time, as before.
    pub(super) fn get_or_verify<E>(
        &self,
        token: &str,
        still_useful: impl Fn(&T) -> bool,
        verify: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(found) = self.entries.lock().get(&key) {
            return Ok(Arc::clone(found));
        }
        // Verify outside the lock: other calls go on meanwhile, and two calls racing on a new
        // token both verify it, which is harmless.
        let verified = Arc::new(verify()?);
        let mut entries = self.entries.lock();
        if entries.len() >= self.capacity {
            entries.retain(|_, entry| still_useful(entry));
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, Arc::clone(&verified));
        Ok(verified)
    }

    /// How many tokens are cached.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn verifies_each_token_once_and_never_caches_a_failure() {
        let cache = VerifiedTokens::<u32>::new(8);
        let calls = Cell::new(0);
        let verify = |value: u32| {
            calls.set(calls.get() + 1);
            Ok::<_, ()>(value)
        };
        assert_eq!(cache.get_or_verify("a", |_| true, || verify(1)).map(|value| *value), Ok(1));
        assert_eq!(cache.get_or_verify("a", |_| true, || verify(2)).map(|value| *value), Ok(1));
        assert_eq!(calls.get(), 1);
        assert_eq!(cache.get_or_verify("bad", |_| true, || Err::<u32, _>("invalid")), Err("invalid"));
        assert_eq!(cache.get_or_verify("bad", |_| true, || Err::<u32, _>("invalid")), Err("invalid"));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn stays_within_capacity_dropping_what_is_no_longer_useful_first() {
        let cache = VerifiedTokens::<u32>::new(3);
        for (token, value) in [("a", 1), ("b", 2), ("c", 3)] {
            let _ = cache.get_or_verify(token, |_| true, || Ok::<_, ()>(value));
        }
        // Only `c` (3) is still useful: `a` and `b` go, `c` stays beside `d`.
        let _ = cache.get_or_verify("d", |value| *value >= 3, || Ok::<_, ()>(4));
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get_or_verify("c", |_| true, || Ok::<_, ()>(0)).map(|value| *value), Ok(3));
        // When everything is still useful the cache starts over rather than grow.
        let _ = cache.get_or_verify("e", |_| true, || Ok::<_, ()>(5));
        let _ = cache.get_or_verify("f", |_| true, || Ok::<_, ()>(6));
        assert!(cache.len() <= 3);
    }
}
