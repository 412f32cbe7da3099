//! `xpmkit`: one command line over the xpmkit toolkit for Xero Practice Manager.
//!
//! The binary stays thin: it parses arguments, calls the library crates, and turns their errors
//! into messages and documented exit codes (see [`exit`]).

mod cli;
mod commands;
mod exit;
mod logging;
mod terminal;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let mut verbosity = logging::Verbosity::from_flags(cli.verbose);
    if cli.command.is_service() {
        verbosity = logging::Verbosity::for_service(cli.verbose);
    } else if cli.command.may_wait() {
        verbosity = verbosity.with_progress_on_terminal();
    }
    if let Some(warning) = logging::install(verbosity, std::io::stderr) {
        eprintln!("warning: {warning}");
    }
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => exit::report(&error),
    }
}
