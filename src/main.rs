use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ivr_designer::cli::run(ivr_designer::cli::Cli::parse())
}
