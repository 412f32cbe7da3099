//! `xpmkit security`: the security settings and admin users the admin app honours, which
//! `xpmkit evidence` and `readiness` read. Each change is appended to the audit log with it.

use xpm_store::{AdminRole, SecuritySetting, normalise_email};

use super::approval_facts;
use crate::cli::{ApprovalStoreArgs, SecurityCommand};
use crate::exit::{CliError, CliResult};
use crate::terminal::escape_controls;

pub(crate) fn run(command: SecurityCommand) -> CliResult<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async move {
        match command {
            SecurityCommand::Show { store } => show(&store).await,
            SecurityCommand::Set { name, value, store } => {
                let setting = parse_setting(&name)?;
                let value = setting.normalise(&value).map_err(usage)?;
                change(&store, |write, actor| {
                    Box::pin(async move {
                        write.set_security_setting(setting, &value, &actor).await?;
                        Ok(format!("{setting} = {value}"))
                    })
                })
                .await
            }
            SecurityCommand::Unset { name, store } => {
                let setting = parse_setting(&name)?;
                change(&store, |write, actor| {
                    Box::pin(async move {
                        let removed = write.unset_security_setting(setting, &actor).await?;
                        Ok(if removed {
                            format!("{setting} is no longer set")
                        } else {
                            format!("{setting} was not set")
                        })
                    })
                })
                .await
            }
            SecurityCommand::AddUser { email, role, totp_enrolled, store } => {
                let email = normalise_email(&email).map_err(usage)?;
                let role = role.parse::<AdminRole>().map_err(usage)?;
                change(&store, |write, actor| {
                    Box::pin(async move {
                        write.put_admin_user(&email, role, totp_enrolled, &actor).await?;
                        let totp = if totp_enrolled { "TOTP enrolled" } else { "no TOTP enrolled" };
                        Ok(format!("admin user {email}: {role}, {totp}"))
                    })
                })
                .await
            }
            SecurityCommand::RemoveUser { email, store } => {
                let email = normalise_email(&email).map_err(usage)?;
                change(&store, |write, actor| {
                    Box::pin(async move {
                        let removed = write.remove_admin_user(&email, &actor).await?;
                        Ok(if removed {
                            format!("removed admin user {email}")
                        } else {
                            format!("no admin user {email}")
                        })
                    })
                })
                .await
            }
        }
    })
}

fn usage(error: xpm_store::SecurityInputError) -> CliError {
    CliError::Usage { message: error.to_string() }
}

fn parse_setting(name: &str) -> CliResult<SecuritySetting> {
    name.parse::<SecuritySetting>().map_err(usage)
}

type Change<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, xpm_store::StoreError>> + 'a>>;

/// Runs `apply` in one write transaction (with the audit entry it appends), commits, and prints
/// what it says.
async fn change<F>(args: &ApprovalStoreArgs, apply: F) -> CliResult<()>
where
    F: for<'a> FnOnce(&'a mut xpm_store::WriteTx, String) -> Change<'a>,
{
    let (store, _) = approval_facts::open(args).await?;
    let outcome = async {
        let mut write = store.write().await?;
        let said = apply(&mut write, approval_facts::actor()).await?;
        write.commit().await?;
        Ok::<_, xpm_store::StoreError>(said)
    }
    .await;
    store.close().await;
    say!("{}", escape_controls(&outcome.map_err(CliError::Store)?))?;
    Ok(())
}

async fn show(args: &ApprovalStoreArgs) -> CliResult<()> {
    let (store, _) = approval_facts::open(args).await?;
    let settings = store.security_settings().await;
    let users = store.admin_users().await;
    store.close().await;
    let (settings, users) = (settings.map_err(CliError::Store)?, users.map_err(CliError::Store)?);
    let shown = |value: Option<String>| value.unwrap_or_else(|| "(not set)".to_owned());
    let path = |value: &Option<std::path::PathBuf>| value.as_ref().map(|path| path.display().to_string());
    for (setting, value) in [
        (SecuritySetting::MfaRequired, settings.mfa_required.map(|flag| flag.to_string())),
        (SecuritySetting::SessionIdleMinutes, settings.session_idle_minutes.map(|number| number.to_string())),
        (SecuritySetting::SessionAbsoluteHours, settings.session_absolute_hours.map(|number| number.to_string())),
        (SecuritySetting::RetentionDays, settings.retention_days.map(|number| number.to_string())),
        (SecuritySetting::TlsCertPath, path(&settings.tls_cert_path)),
        (SecuritySetting::TlsKeyPath, path(&settings.tls_key_path)),
        (SecuritySetting::BehindTlsProxy, settings.behind_tls_proxy.map(|flag| flag.to_string())),
    ] {
        say!("{:<24} {}", setting.as_str(), escape_controls(&shown(value)))?;
    }
    say!("admin users: {}", users.len())?;
    for user in &users {
        let totp = if user.totp_enrolled { "TOTP enrolled" } else { "no TOTP" };
        say!("  {:<32} {:<8} {totp}", escape_controls(&user.email), user.role)?;
    }
    Ok(())
}
