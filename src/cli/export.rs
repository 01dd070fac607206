//! `ivr-designer export FLOW [--step NAME] [--http]`

use std::path::Path;

use super::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, flow_dir};
use crate::model::export::{http_exchange, request_body, select_record_step};
use crate::model::validate::validate_record_step;
use crate::model::{ApiProfile, Severity, load_flow};

pub fn run(path: &Path, step: Option<&str>, http: bool, profile: Option<ApiProfile>, force: bool) -> u8 {
    let mut flow = match load_flow(path) {
        Ok(flow) => flow,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_UNREADABLE;
        }
    };
    if let Some(profile) = profile {
        flow.profile = profile;
    }
    let record = match select_record_step(&flow, step) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    // Warnings go to stderr so stdout stays pure JSON; errors stop the export (Graph would answer 400).
    let report = validate_record_step(&flow, record, &flow_dir(path));
    for d in &report.diagnostics {
        eprintln!("{}: {d}", path.display());
    }
    if report.has_errors() && !force {
        eprintln!(
            "error: step \"{}\" has {} validation error(s) under {}; fix them or pass --force",
            record.name,
            report.count(Severity::Error),
            flow.profile
        );
        return EXIT_INVALID;
    }
    let value = if http { http_exchange(&flow, record) } else { request_body(&flow, record) };
    match value {
        Ok(v) => {
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    }
}
