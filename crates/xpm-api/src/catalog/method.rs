//! The HTTP methods XPM 3.1 uses.

use std::fmt;
use std::str::FromStr;

/// An HTTP method used by at least one XPM 3.1 operation.
///
/// XPM deletes most things with `POST .../delete` and a body; HTTP `DELETE` appears on two
/// endpoints only (contact delete and time delete).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`: reads, never changes state.
    Get,
    /// `POST`: creates, and also the body-carrying deletes and staff actions.
    Post,
    /// `PUT`: updates and state changes (archive, job state, assign, complete).
    Put,
    /// `DELETE`: contact delete and time entry delete.
    Delete,
}

impl Method {
    /// Every method, in the order above.
    pub const ALL: [Method; 4] = [Method::Get, Method::Post, Method::Put, Method::Delete];

    /// The upper-case name as sent on the wire, e.g. `"GET"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a string is not one of the four methods XPM uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported http method `{input}`; xpm 3.1 uses GET, POST, PUT and DELETE")]
pub struct ParseMethodError {
    /// The rejected input.
    pub input: String,
}

impl FromStr for Method {
    type Err = ParseMethodError;

    /// Parses a method name case-insensitively (`get`, `GET` and `Get` are all [`Method::Get`]).
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Method::ALL
            .into_iter()
            .find(|method| method.as_str().eq_ignore_ascii_case(input.trim()))
            .ok_or_else(|| ParseMethodError { input: input.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively_and_round_trips() {
        for method in Method::ALL {
            assert_eq!(method.as_str().parse::<Method>(), Ok(method));
            assert_eq!(method.to_string().to_lowercase().parse::<Method>(), Ok(method));
        }
    }

    #[test]
    fn rejects_methods_xpm_does_not_use() {
        let error = "PATCH".parse::<Method>().expect_err("xpm does not use PATCH");
        assert_eq!(error.to_string(), "unsupported http method `PATCH`; xpm 3.1 uses GET, POST, PUT and DELETE");
    }
}
