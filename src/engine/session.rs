//! A run in the background: the engine on its own thread, the window watching it. The window sees each event as
//! it is decided, the call clock, the caller's level and a waveform summary; it can cancel the running operation
//! or hang up; it gets the report (and the caller's audio, for listening) at the end. It never waits on the engine.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

use super::call::EngineSettings;
use super::flow_run::{RunReport, run_flow_observed};
use super::line::{CallLine, CallerAudio, LineStats, PlaybackFailed};
use super::timeline::TimelineEvent;
use crate::dsp::WaveSummary;
use crate::model::Flow;

/// The longest caller audio kept for listening (one hour at 16 kHz); the summary keeps going.
const MAX_KEPT_SAMPLES: usize = 3600 * 16_000;

/// What the window can watch while a run goes on.
#[derive(Debug, Default)]
pub struct RunMonitor {
    clock_samples: AtomicU64,
    /// The loudest caller sample since the window last looked (f32 bits).
    peak: AtomicU32,
    caller: Mutex<WaveSummary>,
}

impl RunMonitor {
    /// The call clock: caller audio heard so far, ms.
    pub fn clock_ms(&self) -> f64 {
        self.clock_samples.load(Ordering::Relaxed) as f64 / 16.0
    }

    /// The caller's peak level since the last call (0–1), for a level meter.
    pub fn take_peak(&self) -> f32 {
        f32::from_bits(self.peak.swap(0, Ordering::Relaxed))
    }

    /// Look at the caller's waveform summary so far.
    pub fn with_caller<R>(&self, f: impl FnOnce(&WaveSummary) -> R) -> R {
        f(&self.caller.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// What happened, in order.
#[derive(Debug)]
pub enum Progress {
    /// An event of `step`'s operation; `clock_ms` is the call clock when it was decided.
    Event {
        step: String,
        event: TimelineEvent,
        clock_ms: f64,
    },
    Finished(Result<Box<FinishedRun>, String>),
}

#[derive(Debug)]
pub struct FinishedRun {
    pub report: RunReport,
    /// Each operation's take, read back from its file as a waveform summary (None: no take).
    pub takes: Vec<Option<WaveSummary>>,
    /// The caller's side of the whole call, 16 kHz mono (what a click on the timeline plays).
    pub caller_audio: Vec<f32>,
    pub caller: WaveSummary,
}

/// A line, watched: counts the clock, measures the level, keeps the caller's audio, and obeys the window's
/// Cancel and Hang up.
struct WatchedLine<L> {
    inner: L,
    cancel: Arc<AtomicBool>,
    hang_up: Arc<AtomicBool>,
    monitor: Arc<RunMonitor>,
    audio: Vec<f32>,
    /// Listening along: what was played to the caller and not yet mixed with what the caller said.
    listen: Option<Listen>,
    played: std::collections::VecDeque<f32>,
    /// Mixed audio not yet sent to the listener.
    listening: Vec<f32>,
    listen_started: bool,
}

/// The listener's head start (200 ms) and the size of each piece sent after it (50 ms), in samples.
const LISTEN_AHEAD: usize = 3200;
const LISTEN_PIECE: usize = 800;

/// Receives the call as a listener hears it (prompts and beep mixed with the caller), block by block.
pub type Listen = Box<dyn FnMut(Vec<f32>) + Send>;

impl<L: CallLine> WatchedLine<L> {
    fn heard(&mut self, samples: &[f32]) {
        let peak = samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let _ = self.monitor.peak.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
            (peak > f32::from_bits(old)).then_some(peak.to_bits())
        });
        self.monitor.caller.lock().unwrap_or_else(|p| p.into_inner()).push(samples);
        if self.audio.len() + samples.len() <= MAX_KEPT_SAMPLES {
            self.audio.extend_from_slice(samples);
        }
        self.monitor.clock_samples.fetch_add(samples.len() as u64, Ordering::Relaxed);
        if let Some(listen) = self.listen.as_mut() {
            let played = &mut self.played;
            self.listening.extend(samples.iter().map(|x| (x + played.pop_front().unwrap_or(0.0)).clamp(-1.0, 1.0)));
            // A head start of LISTEN_AHEAD, then pieces of LISTEN_PIECE: the speaker's queue never runs dry when
            // a block comes a little late.
            self.listen_started |= self.listening.len() >= LISTEN_AHEAD;
            if self.listen_started && self.listening.len() >= LISTEN_PIECE {
                listen(std::mem::take(&mut self.listening));
            }
        }
    }
}

impl<L: CallLine> CallLine for WatchedLine<L> {
    fn begin(&mut self) {
        self.inner.begin();
    }

    fn read_caller(&mut self, buf: &mut [f32]) -> CallerAudio {
        if self.hang_up.load(Ordering::Relaxed) {
            return CallerAudio::HungUp;
        }
        let got = self.inner.read_caller(buf);
        match got {
            CallerAudio::Samples(n) => self.heard(&buf[..n]),
            // Time passes with nothing heard: silence on the waveform.
            CallerAudio::Missing(n) => self.heard(&vec![0.0; n]),
            CallerAudio::HungUp => {}
        }
        got
    }

    fn play(&mut self, samples: &[f32]) -> Result<(), PlaybackFailed> {
        if self.listen.is_some() {
            self.played.extend(samples);
        }
        self.inner.play(samples)
    }

    fn cancel_requested(&mut self) -> bool {
        self.cancel.load(Ordering::Relaxed) || self.inner.cancel_requested()
    }

    fn ms_since_arrival(&mut self, sample: u64) -> Option<f64> {
        self.inner.ms_since_arrival(sample)
    }

    fn stats(&self) -> Option<LineStats> {
        self.inner.stats()
    }
}

/// A line for a run: the line, and whether to leave it to the process's end instead of dropping it (cpal's
/// PulseAudio streams can hang when dropped).
pub struct OpenedLine<L> {
    pub line: L,
    pub leak_when_done: bool,
}

/// What a run needs besides its line.
pub struct RunSetup {
    pub flow: Flow,
    pub flow_dir: PathBuf,
    pub takes_dir: PathBuf,
    pub settings: EngineSettings,
    /// Listen along as the call happens (a replay at real-time pace; a live call plays on its own devices).
    pub listen: Option<Listen>,
}

pub struct RunSession {
    pub cancel: Arc<AtomicBool>,
    pub hang_up: Arc<AtomicBool>,
    pub monitor: Arc<RunMonitor>,
    progress: Receiver<Progress>,
    finished: bool,
}

impl RunSession {
    /// Start a run on its own thread. `open_line` runs on that thread (devices are opened where they are used) and
    /// gets the cancel flag; `wake` is called after each piece of progress (the window repaints).
    pub fn start<L, F>(setup: RunSetup, open_line: F, wake: impl Fn() + Send + 'static) -> Self
    where
        L: CallLine,
        F: FnOnce(Arc<AtomicBool>) -> Result<OpenedLine<L>, String> + Send + 'static,
    {
        let cancel = Arc::new(AtomicBool::new(false));
        let hang_up = Arc::new(AtomicBool::new(false));
        let monitor = Arc::new(RunMonitor::default());
        let (tx, progress) = mpsc::channel();
        let (c, h, m) = (cancel.clone(), hang_up.clone(), monitor.clone());
        let failed = tx.clone();
        let spawned = std::thread::Builder::new().name("engine".into()).spawn(move || {
            let finished = match open_line(c.clone()) {
                Err(e) => Err(e),
                Ok(OpenedLine { line, leak_when_done }) => {
                    let mut watched = WatchedLine {
                        inner: line,
                        cancel: c,
                        hang_up: h,
                        monitor: m.clone(),
                        audio: Vec::new(),
                        listen: setup.listen,
                        played: Default::default(),
                        listening: Vec::new(),
                        listen_started: false,
                    };
                    let result = run_flow_observed(
                        &setup.flow,
                        &setup.flow_dir,
                        &mut watched,
                        setup.settings,
                        &setup.takes_dir,
                        &mut |step, event| {
                            let clock_ms = m.clock_ms();
                            let _ = tx.send(Progress::Event { step: step.to_owned(), event: event.clone(), clock_ms });
                            wake();
                        },
                    );
                    let WatchedLine { inner, audio, .. } = watched;
                    if leak_when_done {
                        std::mem::forget(inner);
                    }
                    let caller = m.with_caller(Clone::clone);
                    // Read here, not on the window's thread: a long take is megabytes.
                    let takes = |report: &RunReport| report.operations.iter().map(take_summary).collect();
                    result
                        .map(|report| {
                            Box::new(FinishedRun { takes: takes(&report), report, caller_audio: audio, caller })
                        })
                        .map_err(|e| e.to_string())
                }
            };
            let _ = tx.send(Progress::Finished(finished));
            wake();
        });
        if let Err(e) = spawned {
            let _ = failed.send(Progress::Finished(Err(format!("cannot start the engine: {e}"))));
        }
        RunSession { cancel, hang_up, monitor, progress, finished: false }
    }

    /// What happened since the last look.
    pub fn poll(&mut self) -> Vec<Progress> {
        let got: Vec<Progress> = self.progress.try_iter().collect();
        if got.iter().any(|p| matches!(p, Progress::Finished(_))) {
            self.finished = true;
        }
        got
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Cancel the running operation (Graph's `operationCanceled`); the flow stops.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The caller hangs up now.
    pub fn hang_up(&self) {
        self.hang_up.store(true, Ordering::Relaxed);
    }
}

/// A take's waveform, read back from the file the engine wrote.
fn take_summary(op: &super::call::OperationReport) -> Option<WaveSummary> {
    let super::call::Outcome::Record(result) = &op.outcome else { return None };
    let samples = super::prompt::load_prompt(&result.take.as_ref()?.path).ok()?;
    Some(WaveSummary::of(&samples))
}
