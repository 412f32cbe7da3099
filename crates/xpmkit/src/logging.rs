//! The CLI's log on standard error: what the libraries and the emulator report through `tracing`.
//!
//! `RUST_LOG` decides what is shown, as in every program built on `tracing-subscriber`'s
//! `EnvFilter` (<https://docs.rs/tracing-subscriber/latest/tracing_subscriber/filter/struct.EnvFilter.html>).
//! Without it the log is off, except that `-v` shows the client's progress (each attempt's
//! status and the `X-*-Remaining` counts, waits for rate limits, refreshes) and `-vv` everything
//! the client and the emulator report at debug level. Commands that may wait ask for
//! [`Verbosity::Progress`] when standard error is a terminal, so a wait is never silent.
//!
//! Secrets never reach it: the libraries record no token, secret or key in any event or span
//! (the no-secrets tests run them under this subscriber at TRACE).

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// How much to show when `RUST_LOG` is not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Verbosity {
    /// Nothing.
    Off,
    /// Waits, 429s and refreshes: what a person at a terminal would otherwise wonder about.
    Progress,
    /// Also every attempt: status, attempt number, latency and the remaining rate limits.
    Attempts,
    /// A long-running service (`xpmkit worker`): its own claims, syncs and releases, the sync
    /// runs, and the client's waits and refreshes, with timestamps.
    Service,
    /// [`Service`](Self::Service) and every attempt.
    ServiceAttempts,
    /// Everything the libraries and the emulator say at debug level.
    Debug,
}

impl Verbosity {
    /// The verbosity `-v` flags ask for: none, `-v` or `-vv` and more.
    pub(crate) fn from_flags(count: u8) -> Self {
        match count {
            0 => Self::Off,
            1 => Self::Attempts,
            _ => Self::Debug,
        }
    }

    /// The verbosity of a service: at least [`Service`](Self::Service), with attempts at `-v`.
    pub(crate) fn for_service(count: u8) -> Self {
        match count {
            0 => Self::Service,
            1 => Self::ServiceAttempts,
            _ => Self::Debug,
        }
    }

    /// At least [`Progress`](Self::Progress) when standard error is a terminal.
    pub(crate) fn with_progress_on_terminal(self) -> Self {
        if std::io::stderr().is_terminal() { self.max(Self::Progress) } else { self }
    }

    fn directives(self) -> &'static str {
        match self {
            Self::Off => "off",
            // Only the waits, refreshes and 429s: a failure is reported once, as the command's
            // error, not also as the event an `#[instrument(err)]` span emits.
            Self::Progress => "off,xpm_client::governor=info,xpm_client::session=info,xpm_client::client=warn",
            Self::Attempts => {
                "off,xpm_client::governor=info,xpm_client::session=info,xpm_client::client=warn,\
                 xpm_client::call=debug,xpm_client::take=debug"
            }
            Self::Service => {
                "off,xpmkit=info,xpm_sync=info,xpm_client::governor=info,xpm_client::session=info,\
                 xpm_client::client=warn"
            }
            Self::ServiceAttempts => {
                "off,xpmkit=info,xpm_sync=info,xpm_client::governor=info,xpm_client::session=info,\
                 xpm_client::client=warn,xpm_client::call=debug,xpm_client::take=debug"
            }
            Self::Debug => "off,xpm_client=debug,xpm_mock=debug,xpmkit=debug",
        }
    }
}

/// The filter: `RUST_LOG` when set (a malformed one is reported, not ignored), else `verbosity`.
fn filter(rust_log: Option<&str>, verbosity: Verbosity) -> Result<EnvFilter, String> {
    match rust_log.map(str::trim).filter(|value| !value.is_empty()) {
        Some(directives) => EnvFilter::builder()
            .parse(directives)
            .map_err(|error| format!("RUST_LOG=`{directives}` is not a tracing filter: {error}")),
        None => Ok(EnvFilter::new(verbosity.directives())),
    }
}

/// Installs the subscriber writing to `writer`, filtered by `RUST_LOG` or else `verbosity`.
/// Returns a warning to print when `RUST_LOG` could not be used.
pub(crate) fn install<W>(verbosity: Verbosity, writer: W) -> Option<String>
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let rust_log = std::env::var(EnvFilter::DEFAULT_ENV).ok();
    let (filter, warning) = match filter(rust_log.as_deref(), verbosity) {
        Ok(filter) => (filter, None),
        Err(warning) => (EnvFilter::new(verbosity.directives()), Some(warning)),
    };
    let detailed = rust_log.is_some() || verbosity >= Verbosity::Service;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(false);
    // A person asking with -v reads messages, not timestamps and module paths; a service's log
    // is read later, so it has both.
    let installed = if detailed {
        builder.try_init()
    } else {
        builder.without_time().with_target(false).with_level(false).try_init()
    };
    match (installed, warning) {
        (Err(error), _) => Some(format!("cannot install the log: {error}")),
        (Ok(()), warning) => warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_log_wins_and_a_malformed_one_is_reported() {
        assert!(
            filter(Some("xpm_client=trace"), Verbosity::Off).is_ok_and(|filter| filter.to_string().contains("trace"))
        );
        assert!(filter(Some("  "), Verbosity::Attempts).is_ok_and(|filter| filter.to_string().contains("call=debug")));
        let error = filter(Some("xpm_client=loud"), Verbosity::Off).map(|_| ());
        assert!(error.is_err_and(|message| message.contains("RUST_LOG=`xpm_client=loud`")));
    }

    #[test]
    fn flags_count_up_to_debug() {
        assert_eq!(Verbosity::from_flags(0), Verbosity::Off);
        assert_eq!(Verbosity::from_flags(1), Verbosity::Attempts);
        assert_eq!(Verbosity::from_flags(4), Verbosity::Debug);
        assert_eq!(Verbosity::Off.directives(), "off");
    }
}
