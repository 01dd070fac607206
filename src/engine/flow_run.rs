//! Running a whole flow: each step as an operation, each record step's outcome choosing the next step.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::call::{Call, EngineSettings, Operation, OperationKind, OperationReport, Outcome, PromptSource};
use super::line::{CallLine, LineStats};
use super::timeline::{TimelineEvent, round_ms};
use crate::model::export::request_body;
use crate::model::{Flow, Report, Rule, Severity, Step, Target, validate};

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("the flow has errors; fix them before running it:\n{}", errors(.0))]
    Invalid(Report),
    #[error("cannot write takes to {}: {source}", path.display())]
    TakesFolder { path: PathBuf, source: std::io::Error },
}

fn errors(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Problems with a prompt's local file do not stop a run: the operation fails with `playPromptFailed` (or plays a
/// converted copy), as the real service would fail on an unreachable or malformed prompt.
fn blocks_a_run(rule: Rule) -> bool {
    !matches!(
        rule,
        Rule::PromptFileMissing | Rule::PromptFileUnreadable | Rule::PromptFileFormat | Rule::PromptWithoutFile
    )
}

#[derive(Debug)]
pub struct RunReport {
    pub flow: String,
    pub profile: crate::model::ApiProfile,
    pub operations: Vec<OperationReport>,
    /// Why the run stopped before the flow's end, if it did.
    pub stopped: Option<String>,
    /// Live runs: the devices, latencies, and dropped audio.
    pub audio: Option<LineStats>,
    /// The events were already shown as they happened (the summary leaves them out).
    pub events_printed: bool,
}

/// Make sure takes can be written there, before anything runs.
pub fn prepare_takes_folder(dir: &Path) -> Result<(), RunError> {
    let fail = |source| RunError::TakesFolder { path: dir.to_owned(), source };
    std::fs::create_dir_all(dir).map_err(fail)?;
    tempfile::Builder::new().prefix(".ivr-designer-probe").tempfile_in(dir).map_err(fail)?;
    Ok(())
}

/// Run `flow` (whose prompts are relative to `flow_dir`) against `line`, writing takes to `takes_dir`.
pub fn run_flow<L: CallLine>(
    flow: &Flow,
    flow_dir: &Path,
    line: &mut L,
    settings: EngineSettings,
    takes_dir: &Path,
) -> Result<RunReport, RunError> {
    run_flow_observed(flow, flow_dir, line, settings, takes_dir, &mut |_, _| {})
}

/// `run_flow`, telling `observer` about each event (with its step's name) as it is decided.
pub fn run_flow_observed<L: CallLine>(
    flow: &Flow,
    flow_dir: &Path,
    line: &mut L,
    settings: EngineSettings,
    takes_dir: &Path,
    observer: &mut dyn FnMut(&str, &TimelineEvent),
) -> Result<RunReport, RunError> {
    let mut report = validate(flow, flow_dir);
    report.diagnostics.retain(|d| d.severity == Severity::Error && blocks_a_run(d.rule));
    if report.has_errors() {
        return Err(RunError::Invalid(report));
    }
    prepare_takes_folder(takes_dir)?;
    let max_operations = settings.max_operations;
    let mut call = Call::new(line, settings, flow.profile, &flow.name, takes_dir);
    call.observe(observer);
    let mut operations = Vec::new();
    let mut stopped = None;
    let mut at = if flow.steps.is_empty() { None } else { Some(0) };
    while let Some(index) = at {
        if operations.len() >= max_operations {
            stopped = Some(format!("stopped after {max_operations} operations: the flow loops"));
            break;
        }
        let step = &flow.steps[index];
        let report = call.run(operation(flow, flow_dir, step));
        let target = match (step, report.reason()) {
            (Step::Record(r), Some(reason)) => {
                let key = stop_key(&report);
                match key.and_then(|k| r.on.stop_tone_keys.get(&k.to_string())) {
                    Some(t) => t.clone(),
                    None => r.on.target(reason.outcome()).clone(),
                }
            }
            (Step::PlayPrompt(p), _) => p.next.clone(),
            (Step::Record(_), None) => Target::End,
        };
        operations.push(report);
        if call.hung_up() {
            stopped = Some("the caller hung up".into());
            break;
        }
        if call.canceled() {
            stopped = Some("cancelled".into());
            break;
        }
        at = flow.resolve(index, &target).unwrap_or(None);
    }
    drop(call);
    Ok(RunReport {
        flow: flow.name.clone(),
        profile: flow.profile,
        operations,
        stopped,
        audio: line.stats(),
        events_printed: false,
    })
}

/// The stop tone that ended a record operation, if one did.
fn stop_key(report: &OperationReport) -> Option<char> {
    report.events.iter().find_map(|e| match e.kind {
        super::timeline::EventKind::ToneStarted { tone, stop_tone: true } => Some(tone),
        _ => None,
    })
}

fn prompt_source(flow: &Flow, flow_dir: &Path, id: &str) -> PromptSource {
    match flow.prompt(id) {
        None => PromptSource::Unavailable(format!("prompt \"{id}\" is not in the flow's prompt library")),
        Some(p) => match p.local_path(flow_dir) {
            Some(path) => PromptSource::File(path),
            None => PromptSource::Unavailable(format!(
                "prompt \"{id}\" has no local file; the engine cannot fetch {} (give it a local WAV)",
                p.uri
            )),
        },
    }
}

fn operation(flow: &Flow, flow_dir: &Path, step: &Step) -> Operation {
    let kind = match step {
        Step::Record(r) => OperationKind::Record {
            step: Box::new(r.clone()),
            request: request_body(flow, r).unwrap_or(Value::Null),
            prompt: r.prompt_ids().first().map(|id| prompt_source(flow, flow_dir, id)),
        },
        Step::PlayPrompt(p) => OperationKind::PlayPrompt { prompt: prompt_source(flow, flow_dir, &p.prompt) },
    };
    Operation { step: step.name().to_owned(), kind }
}

impl RunReport {
    /// The run as one JSON document: `{"operations": [...]}`.
    pub fn to_json(&self) -> Value {
        let mut doc = Map::new();
        doc.insert("operations".into(), Value::Array(self.operations.iter().map(operation_json).collect()));
        doc.insert("flow".into(), json!(self.flow));
        doc.insert("profile".into(), json!(self.profile.name()));
        if let Some(s) = &self.stopped {
            doc.insert("stopped".into(), json!(s));
        }
        if let Some(a) = &self.audio {
            doc.insert(
                "audio".into(),
                json!({
                    "inputDevice": a.input_device,
                    "outputDevice": a.output_device,
                    "inputConfig": a.input_config,
                    "outputConfig": a.output_config,
                    "inputLatencyMs": round_ms(a.input_latency_ms),
                    "outputLatencyMs": round_ms(a.output_latency_ms),
                    "inputOverruns": a.input_overruns,
                    "outputUnderruns": a.output_underruns,
                    "notes": a.notes,
                }),
            );
        }
        Value::Object(doc)
    }

    /// One line per event, then the outcome, for each operation.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for op in &self.operations {
            let kind = match op.outcome {
                Outcome::Record(_) => "record",
                Outcome::PlayPrompt { .. } => "play prompt",
            };
            out.push_str(&format!("{} ({kind}), started at {:.1} ms on the call's clock\n", op.step, op.started_at_ms));
            if !self.events_printed {
                for e in &op.events {
                    out.push_str(&format!("  {}\n", e.line()));
                }
            }
            match &op.outcome {
                Outcome::Record(r) => {
                    out.push_str(&format!(
                        "  → {} / {} at {:.1} ms (resultInfo {} / {})",
                        r.reason.status().name(),
                        r.reason.name(),
                        op.ended_ms,
                        r.reason.result_info().code,
                        r.reason.result_info().subcode
                    ));
                    if let Some(t) = &r.take {
                        out.push_str(&format!("; take {} ({:.2} s)", t.path.display(), t.duration_ms / 1000.0));
                    }
                    out.push('\n');
                    let t = r.timers;
                    out.push_str(&format!(
                        "    timers: initial silence {:.0}/{:.0} ms, silence {:.0}/{:.0} ms, duration {:.0}/{:.0} ms\n",
                        t.initial_silence.used_ms,
                        t.initial_silence.limit_ms,
                        t.max_silence.used_ms,
                        t.max_silence.limit_ms,
                        t.max_record_duration.used_ms,
                        t.max_record_duration.limit_ms
                    ));
                }
                Outcome::PlayPrompt { played } => {
                    out.push_str(&format!(
                        "  → {} at {:.1} ms\n",
                        if *played { "played" } else { "not played" },
                        op.ended_ms
                    ));
                }
            }
            if let Some(n) = &op.note {
                out.push_str(&format!("  note: {n}\n"));
            }
        }
        if let Some(s) = &self.stopped {
            out.push_str(&format!("stopped: {s}\n"));
        }
        if let Some(a) = &self.audio {
            out.push_str(&format!(
                "audio: {} input overrun(s), {} output underrun(s)\n",
                a.input_overruns, a.output_underruns
            ));
            for n in &a.notes {
                out.push_str(&format!("audio: {n}\n"));
            }
        }
        out
    }
}

fn operation_json(op: &OperationReport) -> Value {
    let mut m = Map::new();
    m.insert("step".into(), json!(op.step));
    let events = Value::Array(op.events.iter().map(|e| e.to_json()).collect());
    match &op.outcome {
        Outcome::Record(r) => {
            m.insert("kind".into(), json!("record"));
            m.insert("request".into(), r.request.clone());
            m.insert("operation".into(), r.operation.clone());
            m.insert("notification".into(), r.notification.clone());
            m.insert(
                "take".into(),
                r.take.as_ref().map_or(
                    Value::Null,
                    |t| json!({"path": t.path.display().to_string(), "durationMs": round_ms(t.duration_ms)}),
                ),
            );
            m.insert("events".into(), events);
            let timer =
                |t: super::call::TimerUse| json!({"limitMs": round_ms(t.limit_ms), "usedMs": round_ms(t.used_ms)});
            m.insert(
                "timers".into(),
                json!({
                    "initialSilence": timer(r.timers.initial_silence),
                    "maxSilence": timer(r.timers.max_silence),
                    "maxRecordDuration": timer(r.timers.max_record_duration),
                }),
            );
        }
        Outcome::PlayPrompt { played } => {
            m.insert("kind".into(), json!("playPrompt"));
            m.insert("played".into(), json!(played));
            m.insert("events".into(), events);
        }
    }
    m.insert("startedAtMs".into(), json!(round_ms(op.started_at_ms)));
    if let Some(l) = op.stop_tone_latency_ms {
        m.insert("stopToneLatencyMs".into(), json!(round_ms(l)));
    }
    if let Some(n) = &op.note {
        m.insert("note".into(), json!(n));
    }
    Value::Object(m)
}
