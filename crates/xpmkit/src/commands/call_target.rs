//! Which stored connection and practice `xpmkit call` sends to: pure, so every choice and every
//! refusal is tested without a token store or a network.

use std::path::Path;

use super::connections_file::{SavedConnection, SavedTenant};
use crate::cli::Profile;
use crate::exit::{CliError, CliResult};

/// A practice, and the connection that reaches it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) connection: &'a SavedConnection,
    pub(crate) tenant: &'a SavedTenant,
}

/// Picks the practice to call among the practices the stored connections reach, narrowed by
/// `--connection`, `--profile` and `--tenant` (an id, or a name ignoring case). One practice
/// left is the answer; when several connections reach it, the newest one is used. Anything else
/// is an error that lists the choices.
pub(crate) fn choose<'a>(
    connections: &'a [SavedConnection],
    connection: Option<uuid::Uuid>,
    profile: Option<Profile>,
    tenant: Option<&str>,
    data_dir: &Path,
) -> CliResult<Target<'a>> {
    if connections.is_empty() {
        return Err(CliError::NotConnected {
            message: format!(
                "no connections in {}; run `xpmkit connect` first (`xpmkit connect --profile mock` for the emulator)",
                data_dir.display()
            ),
        });
    }
    let mut candidates: Vec<&SavedConnection> = connections.iter().collect();
    if let Some(id) = connection {
        candidates.retain(|saved| saved.connection_id == id);
        if candidates.is_empty() {
            return Err(CliError::Usage { message: format!("no stored connection {id}; `xpmkit tenants` lists them") });
        }
    }
    if let Some(profile) = profile {
        let name = profile_name(profile);
        candidates.retain(|saved| saved.profile == name);
        if candidates.is_empty() {
            let connect = if profile == Profile::Mock { "xpmkit connect --profile mock" } else { "xpmkit connect" };
            return Err(CliError::NotConnected {
                message: format!("no {name} connection is stored in {}; run `{connect}`", data_dir.display()),
            });
        }
    }
    let reachable: Vec<Target<'a>> = candidates
        .iter()
        .flat_map(|saved| saved.tenants.iter().map(move |tenant| Target { connection: saved, tenant }))
        .collect();
    if reachable.is_empty() {
        return Err(CliError::NotConnected {
            message: "the stored connection reaches no Practice Manager practice; run `xpmkit connect` again and \
                      choose a practice on the consent page"
                .to_owned(),
        });
    }
    let matching: Vec<Target<'a>> = match tenant {
        None => reachable.clone(),
        Some(wanted) => reachable.iter().copied().filter(|target| is_called(target.tenant, wanted)).collect(),
    };
    let Some(first) = matching.first() else {
        let wanted = tenant.unwrap_or_default();
        return Err(CliError::Usage {
            message: format!(
                "no connected practice has the id or name `{wanted}`; choose one of:\n{}",
                list(&reachable)
            ),
        });
    };
    if matching.iter().any(|target| target.tenant.tenant_id != first.tenant.tenant_id) {
        let message = match tenant {
            None => "the stored connections reach several practices; choose one with --tenant ID or NAME:\n".to_owned(),
            Some(wanted) => format!("several practices match `{wanted}`; choose one by id with --tenant:\n"),
        };
        return Err(CliError::Usage { message: message + &list(&matching) });
    }
    let newest = matching.iter().copied().max_by_key(|target| target.connection.connected_at).unwrap_or(*first);
    Ok(newest)
}

fn profile_name(profile: Profile) -> &'static str {
    match profile {
        Profile::Xero => "xero",
        Profile::Mock => "mock",
    }
}

/// Whether `wanted` is the tenant's id (any case) or its name (ignoring case and outer spaces).
fn is_called(tenant: &SavedTenant, wanted: &str) -> bool {
    let wanted = wanted.trim();
    wanted.parse::<uuid::Uuid>().is_ok_and(|id| id == tenant.tenant_id)
        || tenant.name.trim().eq_ignore_ascii_case(wanted)
}

/// One line per practice: id, name, and the connection that reaches it.
fn list(targets: &[Target<'_>]) -> String {
    let lines: Vec<String> = targets
        .iter()
        .map(|target| {
            format!(
                "  {}  {}  (connection {}, {})",
                target.tenant.tenant_id, target.tenant.name, target.connection.connection_id, target.connection.profile
            )
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(id: u128, name: &str) -> SavedTenant {
        SavedTenant { tenant_id: uuid::Uuid::from_u128(id), name: name.into(), xero_connection_id: uuid::Uuid::nil() }
    }

    fn connection(id: u128, profile: &str, age_minutes: i64, tenants: Vec<SavedTenant>) -> SavedConnection {
        SavedConnection {
            connection_id: uuid::Uuid::from_u128(id),
            profile: profile.into(),
            issuer: "http://127.0.0.1:8700".into(),
            client_id: "app".into(),
            user: None,
            scope: "practicemanager".into(),
            connected_at: chrono::Utc::now() - chrono::Duration::minutes(age_minutes),
            tenants,
        }
    }

    /// Chooses with `flags` (connection, profile, tenant) and expects `(connection, tenant)` ids
    /// or an error containing the text.
    fn check(
        connections: &[SavedConnection],
        flags: (Option<u128>, Option<Profile>, Option<&str>),
        expect: Result<(u128, u128), &str>,
    ) {
        let (connection, profile, tenant) = flags;
        let chosen = choose(connections, connection.map(uuid::Uuid::from_u128), profile, tenant, Path::new("/data"));
        let chosen = chosen
            .map(|target| (target.connection.connection_id.as_u128(), target.tenant.tenant_id.as_u128()))
            .map_err(|error| error.to_string());
        match (&chosen, expect) {
            (Ok(actual), Ok(expect)) => assert_eq!(*actual, expect, "{flags:?}"),
            (Err(message), Err(fragment)) => assert!(message.contains(fragment), "{flags:?}: {message}"),
            _ => panic!("{flags:?}: got {chosen:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn one_practice_needs_no_flag_and_several_need_one() {
        let one = [connection(1, "mock", 0, vec![tenant(10, "Demo Practice (AU)")])];
        check(&one, (None, None, None), Ok((1, 10)));
        check(&one, (None, None, Some("demo practice (au)")), Ok((1, 10)));
        check(&one, (None, None, Some("Other")), Err("no connected practice has the id or name `Other`"));
        check(&one, (None, Some(Profile::Xero), None), Err("no xero connection is stored in /data"));
        check(&one, (Some(2), None, None), Err("no stored connection 00000000-0000-0000-0000-000000000002"));
        check(&[], (None, None, None), Err("run `xpmkit connect` first"));
        check(&[connection(1, "mock", 0, vec![])], (None, None, None), Err("reaches no Practice Manager practice"));

        let two = [connection(1, "mock", 0, vec![tenant(10, "A"), tenant(11, "B")])];
        check(
            &two,
            (None, None, None),
            Err("choose one with --tenant ID or NAME:\n  00000000-0000-0000-0000-00000000000a  A"),
        );
        check(&two, (None, None, Some("00000000-0000-0000-0000-00000000000B")), Ok((1, 11)));
    }

    #[test]
    fn the_newest_connection_to_a_practice_wins_and_flags_narrow_the_choice() {
        let connections = [
            connection(1, "mock", 60, vec![tenant(10, "A")]),
            connection(2, "mock", 5, vec![tenant(10, "A")]),
            connection(3, "xero", 1, vec![tenant(20, "Real"), tenant(21, "real")]),
        ];
        check(&connections, (None, Some(Profile::Mock), None), Ok((2, 10)));
        check(&connections, (Some(1), None, None), Ok((1, 10)));
        check(&connections, (None, None, Some("a")), Ok((2, 10)));
        check(&connections, (None, None, None), Err("reach several practices"));
        check(&connections, (None, None, Some("REAL")), Err("several practices match `REAL`; choose one by id"));
    }
}
