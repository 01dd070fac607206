//! `ivr-designer run FLOW.ron|REQUEST.json (--caller CALLER.wav | --live [--input D] [--output D]) [--out DIR] [--json]`

use std::path::{Path, PathBuf};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, flow_dir};
use crate::audio::LiveLine;
use crate::engine::{EngineSettings, ReplayLine, ReplayScript, TimelineEvent, run_flow, run_flow_observed};
use crate::model::import::import_request_as_flow;
use crate::model::{ApiProfile, Flow, load_flow};

/// Who the caller is.
pub enum Caller<'a> {
    /// A WAV file replayed as the caller.
    Replay(&'a Path),
    /// The microphone, with prompts to the speakers.
    Live(crate::audio::LiveDevices),
}

pub struct RunArgs<'a> {
    pub flow: &'a Path,
    pub caller: Caller<'a>,
    pub out: Option<&'a Path>,
    pub json: bool,
    pub hang_up_at_ms: Option<f64>,
    pub profile: Option<ApiProfile>,
    pub real_time: bool,
}

pub fn run(args: RunArgs) -> u8 {
    let dir = flow_dir(args.flow);
    let is_request = args.flow.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let flow = if is_request { request_flow(args.flow, &dir, args.profile) } else { ron_flow(args.flow, args.profile) };
    let flow = match flow {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_UNREADABLE;
        }
    };
    let takes = args.out.map(Path::to_owned).unwrap_or_else(|| dir.join("takes"));
    let result = match &args.caller {
        Caller::Replay(caller) => {
            let script = ReplayScript {
                hang_up_at_ms: args.hang_up_at_ms,
                real_time: args.real_time,
                ..ReplayScript::default()
            };
            let mut line = match ReplayLine::open(caller, script) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("error: the caller file: {e}");
                    return EXIT_UNREADABLE;
                }
            };
            run_flow(&flow, &dir, &mut line, EngineSettings::default(), &takes)
        }
        Caller::Live(devices) => {
            let cancel = Arc::new(AtomicBool::new(false));
            let flag = cancel.clone();
            if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)) {
                eprintln!("warning: Ctrl+C will not cancel cleanly: {e}");
            }
            let mut line = match LiveLine::open(devices, cancel) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_INVALID;
                }
            };
            let info = line.info();
            eprintln!(
                "live: input \"{}\" ({}, {:.1} ms buffer); output \"{}\" ({}, {:.1} ms latency). Ctrl+C cancels.",
                info.input_device,
                info.input_config,
                info.input_latency_ms,
                info.output_device,
                info.output_config,
                info.output_latency_ms
            );
            for n in &info.notes {
                eprintln!("live: {n}");
            }
            let json = args.json;
            let mut print = |step: &str, e: &TimelineEvent| {
                let line = format!("{step}: {}", e.line().trim_start());
                if json { eprintln!("{line}") } else { println!("{line}") }
            };
            let result = run_flow_observed(&flow, &dir, &mut line, EngineSettings::default(), &takes, &mut print);
            // The process ends right after the report: leave the streams to the operating system, because cpal's
            // PulseAudio backend can hang joining its threads when a stream is dropped.
            std::mem::forget(line);
            result.map(|mut r| {
                r.events_printed = true;
                r
            })
        }
    };
    match result {
        Ok(report) => {
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report.to_json()).unwrap_or_default());
            } else {
                print!("{}", report.summary());
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    }
}

fn ron_flow(path: &Path, profile: Option<ApiProfile>) -> Result<Flow, String> {
    let mut flow = load_flow(path).map_err(|e| e.to_string())?;
    if let Some(p) = profile {
        flow.profile = p;
    }
    Ok(flow)
}

/// A Graph request body runs as a one-step flow; its prompt URI may be a local path or a `file://` URI.
fn request_flow(path: &Path, dir: &Path, profile: Option<ApiProfile>) -> Result<Flow, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("request");
    let (mut flow, notes) = import_request_as_flow(&text, name, profile.unwrap_or(ApiProfile::BetaRecord))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    for note in notes {
        eprintln!("note: {note}");
    }
    for prompt in &mut flow.prompts {
        if let Some(local) = local_path(&prompt.uri, dir) {
            prompt.file = Some(local.to_string_lossy().into_owned());
        }
    }
    Ok(flow)
}

/// A prompt URI that names a local file: `file:///abs/path.wav`, `/abs/path.wav` or `relative/path.wav`.
fn local_path(uri: &str, dir: &Path) -> Option<PathBuf> {
    if let Some(rest) = uri.strip_prefix("file://") {
        return Some(PathBuf::from(percent_decode(rest)));
    }
    if uri.contains("://") || uri.is_empty() {
        return None;
    }
    let p = PathBuf::from(uri);
    Some(if p.is_absolute() { p } else { dir.join(p) })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
