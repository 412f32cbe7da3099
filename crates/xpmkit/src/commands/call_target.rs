//! Which stored connection and practice `xpmkit call` sends to: pure, so every choice and every
//! refusal is tested without a token store or a network.

use std::path::Path;

use xpm_api::catalog::{Operation, Scope};

use super::connections_file::{SavedConnection, SavedTenant};
use crate::cli::{ConnectionArgs, Profile};
use crate::exit::{CliError, CliResult};

/// A practice, and the connection that reaches it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) connection: &'a SavedConnection,
    pub(crate) tenant: &'a SavedTenant,
}

/// Picks the practice to call among the practices the stored connections reach, narrowed by
/// `--connection` (an id or a unique prefix of one), `--profile` and `--tenant` (an id, or a name
/// ignoring case). One practice must be left. When several connections reach it, the ones whose
/// scopes grant `operation` are preferred, the newest of them first; when none does, the choice
/// is left to the user. Every refusal lists the choices.
pub(crate) fn choose<'a>(
    connections: &'a [SavedConnection],
    operation: &Operation,
    connection: Option<&str>,
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
    let mut candidates: Vec<&SavedConnection> = match connection {
        Some(id) => vec![find_connection(connections, id)?],
        None => connections.iter().collect(),
    };
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
    if matching.len() == 1 {
        return Ok(*first);
    }
    let newest = |targets: &[Target<'a>]| targets.iter().copied().max_by_key(|target| target.connection.connected_at);
    let granting: Vec<Target<'a>> =
        matching.iter().copied().filter(|target| grants(target.connection, operation)).collect();
    match newest(&granting) {
        Some(target) => Ok(target),
        None => Err(CliError::Usage {
            message: format!(
                "{} connections reach practice {}, and none was granted a scope {} accepts ({}); choose one with \
                 --connection ID, or connect again asking for one of those scopes:\n{}",
                matching.len(),
                first.tenant.name,
                operation.id,
                operation.scopes.iter().map(|scope| scope.as_str()).collect::<Vec<_>>().join(", "),
                list(&matching)
            ),
        }),
    }
}

/// [`choose`] with the flags of `--tenant`, `--profile` and `--connection`.
pub(crate) fn choose_with<'a>(
    connections: &'a [SavedConnection],
    operation: &Operation,
    args: &ConnectionArgs,
    data_dir: &Path,
) -> CliResult<Target<'a>> {
    choose(connections, operation, args.connection.as_deref(), args.profile, args.tenant.as_deref(), data_dir)
}

/// Whether the scopes `connection` was granted include one that `operation` accepts.
pub(crate) fn grants(connection: &SavedConnection, operation: &Operation) -> bool {
    connection
        .scope
        .split_whitespace()
        .filter_map(|scope| scope.parse::<Scope>().ok())
        .any(|scope| operation.accepts(scope))
}

/// The stored connection whose id is `wanted` or starts with it (ignoring case): ids are long,
/// and the first few characters `xpmkit tenants` shows are usually enough.
pub(crate) fn find_connection<'a>(connections: &'a [SavedConnection], wanted: &str) -> CliResult<&'a SavedConnection> {
    let wanted = wanted.trim().to_ascii_lowercase();
    let matching: Vec<&SavedConnection> = connections
        .iter()
        .filter(|saved| !wanted.is_empty() && saved.connection_id.to_string().starts_with(&wanted))
        .collect();
    match matching.as_slice() {
        [only] => Ok(only),
        [] => Err(CliError::Usage { message: format!("no stored connection {wanted}; `xpmkit tenants` lists them") }),
        several => {
            let ids: Vec<String> =
                several.iter().map(|saved| format!("  {} ({})", saved.connection_id, saved.profile)).collect();
            Err(CliError::Usage {
                message: format!("`{wanted}` begins several connection ids; give more of it:\n{}", ids.join("\n")),
            })
        }
    }
}

pub(crate) fn profile_name(profile: Profile) -> &'static str {
    match profile {
        Profile::Xero => "xero",
        Profile::Mock => "mock",
    }
}

/// Whether `wanted` is the tenant's id (any case) or its name (ignoring case and outer spaces).
pub(crate) fn is_called(tenant: &SavedTenant, wanted: &str) -> bool {
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
        granted(id, profile, age_minutes, tenants, "practicemanager")
    }

    fn granted(id: u128, profile: &str, age_minutes: i64, tenants: Vec<SavedTenant>, scope: &str) -> SavedConnection {
        SavedConnection {
            connection_id: uuid::Uuid::from_u128(id),
            profile: profile.into(),
            issuer: "http://127.0.0.1:8700".into(),
            client_id: "app".into(),
            user: None,
            scope: scope.into(),
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
        check_operation(connections, "ClientV31_List", flags, expect);
    }

    /// As [`check`], for `operation`.
    fn check_operation(
        connections: &[SavedConnection],
        operation: &str,
        flags: (Option<u128>, Option<Profile>, Option<&str>),
        expect: Result<(u128, u128), &str>,
    ) {
        let (connection, profile, tenant) = flags;
        let operation = xpm_api::catalog::lookup(operation).expect("a known operation");
        let id = connection.map(|id| uuid::Uuid::from_u128(id).to_string());
        let chosen = choose(connections, operation, id.as_deref(), profile, tenant, Path::new("/data"));
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

    #[test]
    fn a_connection_granted_the_operation_wins_over_a_newer_one_that_is_not() {
        let connections = [
            granted(1, "mock", 60, vec![tenant(10, "A")], "openid practicemanager.client.read"),
            granted(2, "mock", 5, vec![tenant(10, "A")], "openid practicemanager.staff.read"),
        ];
        check_operation(&connections, "ClientV31_List", (None, None, None), Ok((1, 10)));
        check_operation(&connections, "StaffV31_List", (None, None, None), Ok((2, 10)));
        check_operation(
            &connections,
            "JobV31_Current",
            (None, None, None),
            Err("2 connections reach practice A, and none was granted a scope JobV31_Current accepts"),
        );
        // Told which, it is used even without the scope (the call then says what is missing).
        check_operation(&connections, "JobV31_Current", (Some(2), None, None), Ok((2, 10)));
    }

    #[test]
    fn connection_ids_may_be_shortened_to_a_unique_prefix() {
        let mut first = connection(0, "mock", 5, vec![tenant(10, "A")]);
        first.connection_id = "a082c4ca-1af2-4822-b83c-6dd2f2925a41".parse().expect("a uuid");
        let mut second = connection(0, "mock", 5, vec![tenant(11, "B")]);
        second.connection_id = "a0f1e2d3-0000-4000-8000-000000000001".parse().expect("a uuid");
        let connections = [first, second];
        let found = |wanted: &str| find_connection(&connections, wanted).map(|saved| saved.connection_id.as_u128());
        assert!(found("A082").is_ok_and(|id| id == connections[0].connection_id.as_u128()));
        assert!(found("a0f1e2d3-0000").is_ok_and(|id| id == connections[1].connection_id.as_u128()));
        assert!(found("a0").is_err_and(|error| error.to_string().contains("begins several connection ids")));
        assert!(found("ff").is_err_and(|error| error.to_string().contains("no stored connection ff")));
    }
}
