//! When an access token expires, from the token response's `expires_in`.
//!
//! `expires_in` is whatever the server sent (RFC 6749 §5.1 gives it no upper bound), so the
//! expiry is computed with checked arithmetic: a lifetime that lands beyond the last date a
//! timestamp can hold is an error, never a panic.

use chrono::{DateTime, Duration, Utc};

use super::error::OAuthError;

/// Xero's access-token lifetime, assumed when a server does not say (RFC 6749 §5.1 makes
/// `expires_in` optional).
const DEFAULT_LIFETIME: Duration = Duration::minutes(30);

/// The token's lifetime and the time it expires, counted from `now`.
pub(super) fn expiry(
    now: DateTime<Utc>,
    expires_in: Option<std::time::Duration>,
) -> Result<(Duration, DateTime<Utc>), OAuthError> {
    let Some(expires_in) = expires_in else {
        return Ok((DEFAULT_LIFETIME, now + DEFAULT_LIFETIME));
    };
    let out_of_range = || OAuthError::TokenLifetime { seconds: expires_in.as_secs() };
    let lifetime = Duration::from_std(expires_in).map_err(|_| out_of_range())?;
    let expires_at = now.checked_add_signed(lifetime).ok_or_else(out_of_range)?;
    Ok((lifetime, expires_at))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn xero_lifetime_is_assumed_when_none_is_given() {
        let now = Utc::now();
        let (lifetime, expires_at) = expiry(now, None).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!((lifetime, expires_at), (Duration::minutes(30), now + Duration::minutes(30)));
    }

    proptest! {
        /// Any `expires_in` gives an expiry after now or a `TokenLifetime` error naming it
        /// (9,000,000,000,000 seconds once panicked `xpmkit call`).
        #[test]
        fn any_expires_in_gives_an_expiry_or_an_error(seconds in any::<u64>(), nanos in 0..1_000_000_000_u32) {
            let now = Utc::now();
            let expires_in = std::time::Duration::new(seconds, nanos);
            match expiry(now, Some(expires_in)) {
                Ok((lifetime, expires_at)) => {
                    prop_assert_eq!(lifetime.to_std().ok(), Some(expires_in));
                    prop_assert!(expires_at >= now);
                }
                Err(OAuthError::TokenLifetime { seconds: named }) => {
                    prop_assert_eq!(named, seconds);
                    prop_assert!(seconds > 8_000_000_000_000, "only lifetimes beyond year 262,000 are refused");
                }
                Err(other) => prop_assert!(false, "unexpected error {other}"),
            }
        }
    }
}
