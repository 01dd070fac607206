//! `ivr-designer check FLOW`

use std::path::Path;

use serde_json::json;

use super::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, flow_dir};
use crate::model::{ApiProfile, Severity, load_flow, validate};

pub fn run(path: &Path, profile: Option<ApiProfile>, as_json: bool) -> u8 {
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
    let report = validate(&flow, &flow_dir(path));
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if as_json {
        let diagnostics: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| {
                json!({
                    "severity": d.severity.to_string(),
                    "rule": d.rule.id(),
                    "place": d.place.to_string(),
                    "field": d.field,
                    "value": d.value,
                    "message": d.message,
                })
            })
            .collect();
        let doc = json!({
            "flow": path.display().to_string(),
            "profile": flow.profile.name(),
            "errors": errors,
            "warnings": warnings,
            "diagnostics": diagnostics,
        });
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        for d in &report.diagnostics {
            println!("{}: {d}", path.display());
        }
        let steps = flow.steps.len();
        println!(
            "{}: {errors} error{}, {warnings} warning{} ({}, {steps} step{})",
            path.display(),
            plural(errors),
            plural(warnings),
            flow.profile,
            plural(steps)
        );
    }
    if errors > 0 { EXIT_INVALID } else { EXIT_OK }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
