//! The command line: headless subcommands for checking, exporting and importing flows.

pub mod analyze;
mod check;
mod devices;
mod export;
mod import;
mod play;
mod record_prompt;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::ApiProfile;

/// Exit codes shared by the subcommands.
pub const EXIT_OK: u8 = 0;
/// The input was read but has errors (validation errors, a refused export).
pub const EXIT_INVALID: u8 = 1;
/// The input could not be read or understood at all.
pub const EXIT_UNREADABLE: u8 = 2;

#[derive(Parser, Debug)]
#[command(name = "ivr-designer", version, about = "Design, run and export Microsoft Graph record steps for voice bots")]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The flow to open in the designer window (default: flows/voicemail.ron when it exists).
    pub flow: Option<PathBuf>,
    /// Render the window for a few frames, save a PNG of it, and exit.
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// The window's theme (default: as last time).
    #[arg(long, value_parser = ["dark", "light"])]
    pub theme: Option<String>,
    /// Open the run view and run the flow at once, replaying this WAV as the caller (as fast as possible with
    /// --screenshot, which then shows the finished run).
    #[arg(long, value_name = "CALLER.wav")]
    pub run: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate a flow against its Graph profile (exit 0: clean or warnings, 1: errors, 2: unreadable).
    Check {
        /// The flow file (.ron).
        flow: PathBuf,
        /// Check against this profile instead of the flow's own.
        #[arg(long)]
        profile: Option<ProfileArg>,
        /// Print the diagnostics as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a record step's Graph request body as JSON.
    Export {
        /// The flow file (.ron).
        flow: PathBuf,
        /// The record step to export (needed when the flow has several).
        #[arg(long)]
        step: Option<String>,
        /// Print the whole HTTP request and the expected 200 OK response.
        #[arg(long)]
        http: bool,
        /// Export for this profile instead of the flow's own.
        #[arg(long)]
        profile: Option<ProfileArg>,
        /// Export even when the step has validation errors.
        #[arg(long)]
        force: bool,
    },
    /// Run the stop-tone and speech detectors over a WAV file and print what they heard.
    Analyze {
        /// The audio file (.wav, any rate and channels).
        audio: PathBuf,
        /// Print JSON: {"sampleRate", "durationMs", "tones": [...], "speech": [...]}.
        #[arg(long)]
        json: bool,
        /// Also print, on stderr, how fast the analysis ran and the process's peak memory.
        #[arg(long)]
        stats: bool,
    },
    /// Run a flow (or a Graph request body) against a caller recording, as Graph's media platform would.
    Run {
        /// The flow (.ron) or a Graph record request body (.json, run as a one-step flow).
        flow: PathBuf,
        /// The caller: a WAV file (any rate and channels) heard from the first operation's start.
        #[arg(long, required_unless_present = "live", conflicts_with = "live")]
        caller: Option<PathBuf>,
        /// Run live: the caller from the microphone, prompts and beep to the speakers. Ctrl+C cancels.
        #[arg(long)]
        live: bool,
        /// The input device (a name or part of one; default: the system's). See `ivr-designer devices`.
        #[arg(long, requires = "live", value_name = "DEVICE")]
        input: Option<String>,
        /// The output device (a name or part of one; default: the system's).
        #[arg(long, requires = "live", value_name = "DEVICE")]
        output: Option<String>,
        /// Where takes are written (default: a `takes` folder beside the flow).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print one JSON document with every operation's request, result, notification, take and timeline.
        #[arg(long)]
        json: bool,
        /// The caller hangs up at this time (ms on the call's clock).
        #[arg(long, value_name = "MS")]
        hangup_at: Option<f64>,
        /// Run under this profile instead of the flow's own (a request body defaults to beta-record).
        #[arg(long)]
        profile: Option<ProfileArg>,
        /// Replay the caller at real-time pace (as a live call would go) instead of as fast as possible.
        #[arg(long)]
        real_time: bool,
    },
    /// List the audio input and output devices (the system default marked with *).
    Devices,
    /// Record a prompt from a microphone and save it in Graph's format (16 kHz mono 16-bit), the silence around
    /// the voice trimmed and its peak normalised to −1 dBFS.
    RecordPrompt {
        /// Where to save the prompt.
        out: PathBuf,
        /// How long to record.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// Input device (a unique part of its name; see `devices`); the system default if absent.
        #[arg(long, value_name = "DEVICE")]
        input: Option<String>,
        /// Keep the recording as it is (no trimming, no normalising).
        #[arg(long)]
        raw: bool,
    },
    /// Play a prompt as the caller hears it: converted to 16 kHz mono, optionally with the beep after it.
    Play {
        /// The prompt (any PCM WAV).
        audio: PathBuf,
        /// Play the record step's beep straight after the prompt.
        #[arg(long)]
        beep: bool,
        /// Output device (a unique part of its name; see `devices`); the system default if absent.
        #[arg(long, value_name = "DEVICE")]
        output: Option<String>,
    },
    /// Turn a Graph record request body (JSON) into a flow.
    Import {
        /// The request body (.json); `-` reads standard input.
        request: PathBuf,
        /// The flow's API profile.
        #[arg(long, default_value = "beta-record")]
        profile: ProfileArg,
        /// Write the flow here instead of printing it.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Overwrite the output file if it exists.
        #[arg(long)]
        force: bool,
        /// The flow's name (default: the request file's name).
        #[arg(long)]
        name: Option<String>,
    },
}

/// The profile names as the docs spell them.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ProfileArg {
    #[value(name = "beta-record")]
    BetaRecord,
    #[value(name = "v1.0-recordResponse")]
    V1RecordResponse,
}

impl From<ProfileArg> for ApiProfile {
    fn from(p: ProfileArg) -> Self {
        match p {
            ProfileArg::BetaRecord => ApiProfile::BetaRecord,
            ProfileArg::V1RecordResponse => ApiProfile::V1RecordResponse,
        }
    }
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let code = match cli.command {
        None => window(cli.flow, cli.screenshot, cli.theme.map(|t| t == "dark"), cli.run),
        Some(Command::Check { flow, profile, json }) => check::run(&flow, profile.map(Into::into), json),
        Some(Command::Export { flow, step, http, profile, force }) => {
            export::run(&flow, step.as_deref(), http, profile.map(Into::into), force)
        }
        Some(Command::Analyze { audio, json, stats }) => analyze::run(&audio, json, stats),
        Some(Command::Devices) => devices::run(),
        Some(Command::Play { audio, beep, output }) => play::run(&audio, beep, output),
        Some(Command::RecordPrompt { out, seconds, input, raw }) => record_prompt::run(&out, seconds, input, raw),
        Some(Command::Run { flow, caller, live, input, output, out, json, hangup_at, profile, real_time }) => {
            run::run(run::RunArgs {
                flow: &flow,
                caller: match (&caller, live) {
                    (_, true) => run::Caller::Live(crate::audio::LiveDevices { input, output }),
                    (Some(c), false) => run::Caller::Replay(c),
                    (None, false) => unreachable!("clap requires --caller unless --live"),
                },
                out: out.as_deref(),
                json,
                hang_up_at_ms: hangup_at,
                profile: profile.map(Into::into),
                real_time,
            })
        }
        Some(Command::Import { request, profile, output, force, name }) => {
            import::run(&request, profile.into(), output.as_deref(), force, name.as_deref())
        }
    };
    ExitCode::from(code)
}

/// The designer window, on `flow` or the one open last time.
fn window(flow: Option<PathBuf>, screenshot: Option<PathBuf>, dark: Option<bool>, run: Option<PathBuf>) -> u8 {
    let app = match flow {
        Some(path) => match crate::ui::DesignerApp::open(&path) {
            Ok(app) => Some(app),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_UNREADABLE;
            }
        },
        None => None,
    };
    if let Some(caller) = &run
        && let Err(e) = crate::media::inspect_wav(caller)
    {
        eprintln!("error: {e}");
        return EXIT_UNREADABLE;
    }
    match crate::ui::run_window(crate::ui::WindowOptions { app, screenshot, dark, run }) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    }
}

/// The folder a flow's relative paths are resolved against.
fn flow_dir(flow: &std::path::Path) -> PathBuf {
    match flow.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}
