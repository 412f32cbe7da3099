//! `xpmkit`: one command line over the xpmkit toolkit for Xero Practice Manager.
//!
//! The binary stays thin: it parses arguments, calls the library crates, and turns their errors
//! into messages and documented exit codes (see [`exit`]).

mod cli;
mod commands;
mod exit;
mod terminal;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => exit::report(&error),
    }
}
