//! The run side of the window: the run going on (engine on its own thread), the operations seen so far, the last
//! finished run (its report, the caller's audio for listening), and the session's takes.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::audio::{LiveDevices, LiveLine, SpeakerFeed};
use crate::dsp::WaveSummary;
use crate::engine::session::{FinishedRun, Listen, OpenedLine, Progress, RunSession, RunSetup};
use crate::engine::takes_log::TakesLog;
use crate::engine::{EngineSettings, EventKind, OperationReport, ReplayLine, ReplayScript, TimelineEvent};
use crate::model::{Flow, Step};

/// Who the caller is.
#[derive(Clone, Debug, PartialEq)]
pub enum CallerChoice {
    /// A WAV file replayed as the caller.
    Wav,
    /// The microphone.
    Microphone,
}

/// The run panel's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSettings {
    pub caller: CallerChoice,
    pub caller_wav: Option<PathBuf>,
    /// The caller hangs up this many seconds into the call (replay only).
    pub hang_up_at_s: Option<f64>,
    /// Replay at the pace of a real call (else as fast as the machine goes).
    pub real_time: bool,
    pub input_device: Option<String>,
    pub output_device: Option<String>,
    /// Takes older than this many days are offered for removal on start (0: kept for ever).
    pub retention_days: u32,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            caller: CallerChoice::Wav,
            caller_wav: None,
            hang_up_at_s: None,
            real_time: true,
            input_device: None,
            output_device: None,
            retention_days: 30,
        }
    }
}

/// One operation of the run, as far as it has got.
#[derive(Clone, Debug)]
pub struct RunOperation {
    pub step: String,
    /// Where it started on the call clock (estimated while running, exact once finished).
    pub start_ms: f64,
    pub events: Vec<TimelineEvent>,
    /// The engine's report, once the run finished.
    pub report: Option<OperationReport>,
    /// The step's timer limits (initial silence, max silence, max duration), ms; record steps only.
    pub limits: Option<[f64; 3]>,
    /// The take's waveform, read once the run finished.
    pub take: Option<WaveSummary>,
}

impl RunOperation {
    pub fn ended_ms(&self) -> Option<f64> {
        self.report
            .as_ref()
            .map(|r| r.ended_ms)
            .or_else(|| self.events.iter().find(|e| matches!(e.kind, EventKind::Completed { .. })).map(|e| e.t_ms))
    }

    pub fn event_time(&self, kind: &EventKind) -> Option<f64> {
        self.events.iter().find(|e| &e.kind == kind).map(|e| e.t_ms)
    }

    /// The completion reason's name, once decided.
    pub fn reason(&self) -> Option<&'static str> {
        self.events.iter().find_map(|e| match e.kind {
            EventKind::Completed { reason } => Some(reason.name()),
            _ => None,
        })
    }
}

/// What the app keeps about running.
#[derive(Default)]
pub struct RunState {
    pub settings: RunSettings,
    pub session: Option<RunSession>,
    pub operations: Vec<RunOperation>,
    /// The operation shown in the timeline.
    pub selected: Option<usize>,
    /// The last finished run's caller audio (16 kHz), for listening from any point.
    pub caller_audio: std::sync::Arc<[f32]>,
    pub caller_summary: WaveSummary,
    /// Why the last run stopped early, or failed to start.
    pub stopped: Option<String>,
    pub error: Option<String>,
    pub takes: TakesLog,
    /// Takes past the retention age, waiting for the user to confirm their removal.
    pub expired_offer: Vec<usize>,
    /// The reason the takes list shows (None: all).
    pub filter: Option<String>,
    /// The level meter's shown value (decays between peaks).
    pub meter: f32,
}

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Where a flow's takes go: `takes/` beside it.
pub fn takes_dir(flow_path: Option<&Path>) -> PathBuf {
    super::document::dir_of(flow_path).join("takes")
}

impl RunState {
    pub fn is_running(&self) -> bool {
        self.session.as_ref().is_some_and(|s| !s.is_finished())
    }

    /// Load the takes list of `dir` (and find the takes past the retention age).
    pub fn open_takes(&mut self, dir: &Path) -> Result<(), String> {
        if self.takes.dir == dir && !self.takes.dir.as_os_str().is_empty() {
            return Ok(());
        }
        self.takes = TakesLog { dir: dir.to_owned(), entries: Vec::new() };
        let log = TakesLog::load(dir).map_err(|e| e.to_string())?;
        self.takes = log;
        if self.settings.retention_days > 0 {
            self.expired_offer = self.takes.older_than(self.settings.retention_days, now_ms());
        }
        Ok(())
    }

    /// Start running `flow` with the current settings.
    /// `feed`: where to listen along to a replay at real-time pace (the speaker).
    pub fn start(
        &mut self,
        flow: &Flow,
        flow_dir: &Path,
        takes_dir: &Path,
        feed: Option<SpeakerFeed>,
        wake: impl Fn() + Send + 'static,
    ) {
        if self.is_running() {
            return;
        }
        self.error = None;
        self.stopped = None;
        self.operations.clear();
        self.selected = None;
        self.caller_audio = Vec::new().into();
        self.caller_summary = WaveSummary::new();
        let listening = self.settings.caller == CallerChoice::Wav && self.settings.real_time;
        let listen: Option<Listen> = match feed {
            Some(feed) if listening => Some(Box::new(move |samples| feed.send(samples))),
            _ => None,
        };
        let setup = RunSetup {
            flow: flow.clone(),
            flow_dir: flow_dir.to_owned(),
            takes_dir: takes_dir.to_owned(),
            settings: EngineSettings::default(),
            listen,
        };
        let s = &self.settings;
        self.session = Some(match s.caller {
            CallerChoice::Wav => {
                let Some(path) = s.caller_wav.clone() else {
                    self.error = Some("Choose a caller WAV file first (or use the microphone).".into());
                    return;
                };
                let script = ReplayScript {
                    hang_up_at_ms: s.hang_up_at_s.map(|v| v * 1000.0),
                    real_time: s.real_time,
                    ..ReplayScript::default()
                };
                RunSession::start(
                    setup,
                    move |_| {
                        ReplayLine::open(&path, script)
                            .map(|line| OpenedLine { line, leak_when_done: false })
                            .map_err(|e| format!("The caller file cannot be replayed: {e}"))
                    },
                    wake,
                )
            }
            CallerChoice::Microphone => {
                let devices = LiveDevices { input: s.input_device.clone(), output: s.output_device.clone() };
                RunSession::start(
                    setup,
                    move |cancel| {
                        LiveLine::open(&devices, cancel)
                            .map(|line| OpenedLine { line, leak_when_done: true })
                            .map_err(|e| format!("The audio devices cannot be opened: {e}"))
                    },
                    wake,
                )
            }
        });
    }

    /// Take in what the engine reported since the last frame.
    pub fn update(&mut self, flow: &Flow) -> Vec<String> {
        let mut messages = Vec::new();
        let Some(session) = self.session.as_mut() else { return messages };
        self.meter = if session.is_finished() { 0.0 } else { (self.meter * 0.85).max(session.monitor.take_peak()) };
        for progress in session.poll() {
            match progress {
                Progress::Event { step, event, clock_ms } => {
                    let new = match self.operations.last() {
                        None => true,
                        Some(op) => op.step != step || op.ended_ms().is_some(),
                    };
                    if new {
                        self.operations.push(RunOperation {
                            start_ms: (clock_ms - event.t_ms).max(0.0),
                            step: step.clone(),
                            events: Vec::new(),
                            report: None,
                            limits: limits_of(flow, &step),
                            take: None,
                        });
                        self.selected = Some(self.operations.len() - 1);
                    }
                    if let Some(op) = self.operations.last_mut() {
                        op.events.push(event);
                    }
                }
                Progress::Finished(Ok(run)) => messages.extend(self.finish(flow, *run)),
                Progress::Finished(Err(e)) => self.error = Some(e),
            }
        }
        messages
    }

    fn finish(&mut self, flow: &Flow, run: FinishedRun) -> Option<String> {
        let FinishedRun { report, takes, caller_audio, caller } = run;
        self.operations = report
            .operations
            .iter()
            .zip(takes)
            .map(|(op, take)| RunOperation {
                step: op.step.clone(),
                start_ms: op.started_at_ms,
                events: op.events.clone(),
                limits: limits_of(flow, &op.step),
                take,
                report: Some(op.clone()),
            })
            .collect();
        // Show the last record operation (what a person most wants to see), else the last one.
        self.selected =
            self.operations.iter().rposition(|o| o.limits.is_some()).or(self.operations.len().checked_sub(1));
        self.caller_audio = caller_audio.into();
        self.caller_summary = caller;
        self.stopped = report.stopped.clone();
        self.takes.add_run(&report, now_ms());
        self.takes.save().err().map(|e| format!("The takes list could not be saved: {e}"))
    }

    /// Indexes of the takes the filter shows.
    pub fn shown_takes(&self) -> Vec<usize> {
        (0..self.takes.entries.len())
            .filter(|&i| self.filter.as_ref().is_none_or(|r| self.takes.entries[i].reason == *r))
            .collect()
    }
}

fn limits_of(flow: &Flow, step: &str) -> Option<[f64; 3]> {
    match flow.step(step)? {
        Step::Record(r) => Some([
            r.initial_silence_timeout() as f64 * 1000.0,
            r.max_silence_timeout() as f64 * 1000.0,
            r.max_record_duration() as f64 * 1000.0,
        ]),
        Step::PlayPrompt(_) => None,
    }
}
