//! The arguments of `xpmkit worker`, and the durations they take (`90s`, `15m`, `1h`).

use std::path::PathBuf;
use std::time::Duration;

use super::{DatabaseArgs, Profile};

#[derive(Debug, clap::Args)]
pub(crate) struct WorkerArgs {
    /// Only this practice, by tenant id or name; repeat for several (default: every practice the
    /// stored connections reach).
    #[arg(long = "tenant", value_name = "TENANT")]
    pub(crate) tenants: Vec<String>,
    /// How often each practice is synced: a practice is due again this long after its last sync
    /// ended (e.g. 90s, 15m, 1h).
    #[arg(long, default_value = "15m", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) interval: Duration,
    /// How long a claim holds a practice unless renewed (it is renewed while the sync runs). A
    /// worker that dies loses its practices to the others once this passes. At least 1s.
    #[arg(long, default_value = "60s", value_parser = parse_lease, value_name = "DURATION")]
    pub(crate) lease: Duration,
    /// Practices this worker syncs at the same time.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(crate) concurrency: u16,
    /// Sync the practices that are due now, then exit, instead of running until stopped.
    #[arg(long)]
    pub(crate) once: bool,
    /// After SIGTERM or Ctrl-C, how long running syncs may go on before they are abandoned (a
    /// second signal abandons them at once). An abandoned sync keeps what it committed.
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) grace: Duration,
    /// This worker's name in the lease table (default: host name, process id and a random suffix).
    #[arg(long, value_name = "NAME")]
    pub(crate) worker_id: Option<String>,
    /// Only consider connections made with this profile.
    #[arg(long, value_enum)]
    pub(crate) profile: Option<Profile>,
    /// The NAME of an environment variable holding the app's client secret, if it has one.
    #[arg(long, value_name = "VAR")]
    pub(crate) client_secret_env: Option<String>,
    #[command(flatten)]
    pub(crate) what: super::SyncOptionArgs,
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// Where connections (and the default database) are kept.
    #[arg(long, env = "XPMKIT_DATA_DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}

/// A duration as a whole number and a unit: `ms`, `s`, `m`, `h` or `d` (`250ms`, `90s`, `15m`).
/// Hand-written: two flags do not justify a dependency, and the accepted forms are listed in
/// the error.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|character: char| !character.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let refuse =
        || format!("`{text}` is not a duration; write a whole number and a unit, e.g. 500ms, 90s, 15m, 1h, 1d");
    let number: u64 = number.parse().map_err(|_| refuse())?;
    let millis_per_unit: u64 = match unit.trim() {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(refuse()),
    };
    number.checked_mul(millis_per_unit).map(Duration::from_millis).ok_or_else(refuse)
}

/// A lease: a duration of at least a second, so that renewing it (a third of it apart) is not a
/// busy loop.
fn parse_lease(text: &str) -> Result<Duration, String> {
    let lease = parse_duration(text)?;
    if lease < Duration::from_secs(1) {
        return Err(format!("a lease of `{text}` is too short; give at least 1s (60s is usual)"));
    }
    Ok(lease)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: Result<u64, &str>) {
        match (parse_duration(text), expect) {
            (Ok(duration), Ok(millis)) => assert_eq!(duration, Duration::from_millis(millis), "{text}"),
            (Err(message), Err(fragment)) => assert!(message.contains(fragment), "{text}: {message}"),
            (got, expect) => panic!("{text}: got {got:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn durations_take_a_number_and_a_unit() {
        check("250ms", Ok(250));
        check("90s", Ok(90_000));
        check(" 15m ", Ok(900_000));
        check("2h", Ok(7_200_000));
        check("1d", Ok(86_400_000));
        check("15", Err("`15` is not a duration; write a whole number and a unit"));
        check("1.5h", Err("is not a duration"));
        check("m", Err("is not a duration"));
        check("99999999999999999999d", Err("is not a duration"));
        assert!(parse_lease("500ms").is_err_and(|message| message.contains("at least 1s")));
        assert_eq!(parse_lease("2s"), Ok(Duration::from_secs(2)));
    }
}
