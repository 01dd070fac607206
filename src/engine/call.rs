//! A call: operations run one at a time against the caller's line, on the sample clock.
//!
//! Time is samples at 16 kHz since the call began; an operation's own clock starts when it starts running. The
//! caller is heard from the first sample (the detectors learn the line during the prompt), recorded from the end
//! of the beep. Every decision is made from sample positions only, so a replay gives the same result however its
//! audio arrives, and the same as a real-time run of the same audio.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::graph_result::{OperationIds, notification, record_operation};
use super::line::{CallLine, CallerAudio};
use super::prompt::load_prompt;
use super::take::{TAKE_RATE, TakeWriter, take_file_name};
use super::timeline::{EventKind, TimelineEvent};
use crate::dsp::{Beep, BeepSettings, DtmfEvent, DtmfSettings, Heard, Listener, SpeechEvent, SpeechSettings};
use crate::model::{ApiProfile, CompletionReason, RecordStep};

/// Samples per processing block (10 ms).
const BLOCK: usize = 160;
const RATE: f64 = TAKE_RATE as f64;

/// How far behind the newest sample a silence timer is decided: a speech onset is known at most 100 ms after it
/// began (the detector's onset window), plus one frame. Timer *times* stay exact; only the decision waits.
const SILENCE_LOOKAHEAD: u64 = (TAKE_RATE as u64) * 110 / 1000;

#[derive(Clone, Debug, PartialEq)]
pub struct EngineSettings {
    pub beep: BeepSettings,
    pub dtmf: DtmfSettings,
    pub speech: SpeechSettings,
    /// No audio from the caller's side for this long ends the operation with `mediaReceiveTimeout`.
    pub media_timeout_ms: f64,
    /// A flow that loops stops after this many operations.
    pub max_operations: usize,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            beep: BeepSettings::default(),
            dtmf: DtmfSettings::default(),
            speech: SpeechSettings::default(),
            media_timeout_ms: 3000.0,
            max_operations: 50,
        }
    }
}

/// Where a prompt's audio comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum PromptSource {
    File(PathBuf),
    /// The prompt cannot be played here, and why (no local file, an https URI…).
    Unavailable(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum OperationKind {
    Record { step: Box<RecordStep>, request: Value, prompt: Option<PromptSource> },
    PlayPrompt { prompt: PromptSource },
}

/// An operation to run: the flow step it comes from and what it does.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    pub step: String,
    pub kind: OperationKind,
}

impl Operation {
    fn barge_in(&self) -> bool {
        matches!(&self.kind, OperationKind::Record { step, .. } if step.barge_in())
    }
}

/// An operation submitted at a time on the call's clock.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    pub at_ms: f64,
    pub operation: Operation,
}

/// A finished take.
#[derive(Clone, Debug, PartialEq)]
pub struct Take {
    pub path: PathBuf,
    pub duration_ms: f64,
}

/// How close the caller came to each timeout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimerUse {
    pub limit_ms: f64,
    pub used_ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timers {
    /// Used: from the start of recording to the first speech (or to the end, if none).
    pub initial_silence: TimerUse,
    /// Used: the longest silence after the caller first spoke.
    pub max_silence: TimerUse,
    /// Used: the recording's length.
    pub max_record_duration: TimerUse,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecordResult {
    pub reason: CompletionReason,
    pub request: Value,
    pub ids: OperationIds,
    /// The final `recordOperation` for the flow's profile.
    pub operation: Value,
    /// The `commsNotifications` body the bot would receive.
    pub notification: Value,
    pub take: Option<Take>,
    pub timers: Timers,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Record(Box<RecordResult>),
    /// A play-prompt step: whether the prompt played to its end.
    PlayPrompt {
        played: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct OperationReport {
    pub step: String,
    /// When the operation started, on the call's clock.
    pub started_at_ms: f64,
    /// When it ended, on its own clock.
    pub ended_ms: f64,
    pub events: Vec<TimelineEvent>,
    pub outcome: Outcome,
    pub hung_up: bool,
    pub canceled: bool,
    /// Something a person should know about the run of this operation.
    pub note: Option<String>,
    /// Live runs: wall time from the stop tone's first sample arriving at the input device to the decision, ms.
    pub stop_tone_latency_ms: Option<f64>,
}

impl OperationReport {
    pub fn reason(&self) -> Option<CompletionReason> {
        match &self.outcome {
            Outcome::Record(r) => Some(r.reason),
            Outcome::PlayPrompt { .. } => None,
        }
    }
}

enum Phase {
    Prompt,
    Beep,
    Recording,
}

/// How an operation ends.
struct Ending {
    at: u64,
    /// `None`: a play-prompt step played to its end.
    reason: Option<CompletionReason>,
    /// Where the take stops (a stop tone's onset, or `at`).
    cut: u64,
    note: Option<String>,
}

impl Ending {
    fn at(at: u64, reason: CompletionReason) -> Self {
        Ending { at, reason: Some(reason), cut: at, note: None }
    }

    fn played(at: u64) -> Self {
        Ending { at, reason: None, cut: at, note: None }
    }

    fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

struct Running {
    op: Operation,
    start: u64,
    events: Vec<TimelineEvent>,
    phase: Phase,
    prompt: Vec<f32>,
    prompt_at: usize,
    /// A prompt that cannot be played: the operation fails as soon as it runs.
    prompt_failure: Option<String>,
    beep: Option<Beep>,
    recording_from: Option<u64>,
    take: Option<TakeWriter>,
    take_note: Option<String>,
    speech_from: Option<u64>,
    silence_from: Option<u64>,
    longest_silence: u64,
    stop_tone: Option<(u64, u64)>,
}

/// Told about each timeline event as it is decided (a live run prints them as they happen).
pub type Observer<'o> = &'o mut dyn FnMut(&str, &TimelineEvent);

pub struct Call<'l, L: CallLine> {
    line: &'l mut L,
    observer: Option<Observer<'l>>,
    settings: EngineSettings,
    listener: Listener,
    clock: u64,
    profile: ApiProfile,
    flow_name: String,
    takes_dir: PathBuf,
    call_id: String,
    missing_since: Option<u64>,
    hung_up: bool,
    canceled: bool,
    caller: Vec<f32>,
    out: Vec<f32>,
    heard: Vec<Heard>,
}

fn ms(samples: u64) -> f64 {
    samples as f64 * 1000.0 / RATE
}

fn samples(ms: f64) -> u64 {
    (ms.max(0.0) * RATE / 1000.0).round() as u64
}

impl<'l, L: CallLine> Call<'l, L> {
    pub fn new(
        line: &'l mut L,
        settings: EngineSettings,
        profile: ApiProfile,
        flow_name: &str,
        takes_dir: &Path,
    ) -> Self {
        let listener =
            Listener::new(TAKE_RATE, settings.dtmf, settings.speech).expect("16 kHz is a supported detector rate");
        line.begin();
        Call {
            line,
            observer: None,
            settings,
            listener,
            clock: 0,
            profile,
            flow_name: flow_name.to_owned(),
            takes_dir: takes_dir.to_owned(),
            call_id: uuid::Uuid::new_v4().simple().to_string().to_uppercase(),
            missing_since: None,
            hung_up: false,
            canceled: false,
            caller: vec![0.0; BLOCK],
            out: vec![0.0; BLOCK],
            heard: Vec::with_capacity(16),
        }
    }

    /// Tell `observer` about every timeline event as it is decided.
    pub fn observe(&mut self, observer: Observer<'l>) {
        self.observer = Some(observer);
    }

    fn note(&mut self, run: &mut Running, event: TimelineEvent) {
        if let Some(o) = self.observer.as_mut() {
            o(&run.op.step, &event);
        }
        run.events.push(event);
    }

    /// The call's clock, ms.
    pub fn now_ms(&self) -> f64 {
        ms(self.clock)
    }

    pub fn hung_up(&self) -> bool {
        self.hung_up
    }

    pub fn canceled(&self) -> bool {
        self.canceled
    }

    /// Run one operation, starting now.
    pub fn run(&mut self, operation: Operation) -> OperationReport {
        let now = self.now_ms();
        let mut reports = self.run_script(vec![Submission { at_ms: now, operation }]);
        reports.pop().expect("a submitted operation always reports")
    }

    /// Run operations submitted at given times, one at a time in submit order. A record operation with
    /// `bargeInAllowed` first ends the running one and every queued one as `operationCanceled`, then starts.
    pub fn run_script(&mut self, mut submissions: Vec<Submission>) -> Vec<OperationReport> {
        submissions.sort_by(|a, b| a.at_ms.total_cmp(&b.at_ms));
        let mut pending: VecDeque<(u64, Operation)> =
            submissions.into_iter().map(|s| (samples(s.at_ms), s.operation)).collect();
        let mut queue: VecDeque<Operation> = VecDeque::new();
        let mut current: Option<Running> = None;
        let mut reports = Vec::new();
        loop {
            while pending.front().is_some_and(|(t, _)| *t <= self.clock) {
                let Some((_, op)) = pending.pop_front() else { break };
                if op.barge_in() {
                    if let Some(run) = current.take() {
                        let ending = Ending::at(self.clock, CompletionReason::OperationCanceled)
                            .with_note(format!("barged in by \"{}\"", op.step));
                        reports.push(self.finish(run, ending));
                    }
                    while let Some(queued) = queue.pop_front() {
                        // Never started: no prompt, no beep, no take.
                        let run = self.new_running(queued);
                        let ending = Ending::at(self.clock, CompletionReason::OperationCanceled)
                            .with_note(format!("cancelled in the queue: \"{}\" barged in", op.step));
                        reports.push(self.finish(run, ending));
                    }
                    current = Some(self.start(op));
                } else {
                    queue.push_back(op);
                }
            }
            if current.is_none() {
                current = queue.pop_front().map(|op| self.start(op));
            }
            let until_next = pending.front().map(|(t, _)| t.saturating_sub(self.clock).max(1));
            match current.as_mut() {
                Some(run) => {
                    if let Some(ending) = self.advance(run, until_next) {
                        let Some(run) = current.take() else { break };
                        reports.push(self.finish(run, ending));
                        if self.hung_up || self.canceled {
                            break;
                        }
                    }
                }
                None if until_next.is_some() => {
                    self.idle(until_next.unwrap_or(BLOCK as u64));
                    if self.hung_up {
                        break;
                    }
                }
                None => break,
            }
        }
        reports
    }

    fn new_running(&self, op: Operation) -> Running {
        Running {
            op,
            start: self.clock,
            events: Vec::new(),
            phase: Phase::Prompt,
            prompt: Vec::new(),
            prompt_at: 0,
            prompt_failure: None,
            beep: None,
            recording_from: None,
            take: None,
            take_note: None,
            speech_from: None,
            silence_from: None,
            longest_silence: 0,
            stop_tone: None,
        }
    }

    /// Start an operation now: load its prompt, or go straight to the beep or the recording.
    fn start(&mut self, op: Operation) -> Running {
        let mut run = self.new_running(op);
        let (source, beep) = match &run.op.kind {
            OperationKind::Record { step, prompt, .. } => (prompt.clone(), step.play_beep),
            OperationKind::PlayPrompt { prompt } => (Some(prompt.clone()), false),
        };
        match source {
            Some(PromptSource::File(path)) => match load_prompt(&path) {
                Ok(audio) => {
                    run.prompt = audio;
                    self.note(&mut run, TimelineEvent::new(0.0, EventKind::PromptStarted));
                }
                Err(why) => run.prompt_failure = Some(why),
            },
            Some(PromptSource::Unavailable(why)) => run.prompt_failure = Some(why),
            None => {}
        }
        if beep {
            run.beep = Some(Beep::new(self.settings.beep, TAKE_RATE));
        }
        if run.prompt.is_empty() && run.prompt_failure.is_none() {
            self.after_prompt(&mut run);
        }
        run
    }

    /// The prompt is over (or there was none): the beep, or the recording, begins.
    fn after_prompt(&mut self, run: &mut Running) {
        let t = ms(self.clock - run.start);
        if matches!(run.op.kind, OperationKind::PlayPrompt { .. }) {
            return;
        }
        if run.beep.is_some() {
            run.phase = Phase::Beep;
            self.note(run, TimelineEvent::new(t, EventKind::BeepStarted));
        } else {
            self.start_recording(run);
        }
    }

    fn start_recording(&mut self, run: &mut Running) {
        run.phase = Phase::Recording;
        run.recording_from = Some(self.clock);
        let t = ms(self.clock - run.start);
        self.note(run, TimelineEvent::new(t, EventKind::RecordingStarted));
        // A caller already speaking when the recording starts has started speaking.
        if self.listener.speech().in_speech() {
            run.speech_from = Some(self.clock);
        }
        let millis =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
        let mut path = self.takes_dir.join(take_file_name(millis, &self.flow_name, &run.op.step));
        // Two takes in the same millisecond (a fast replay): never overwrite, add a counter.
        let mut n = 2;
        while path.exists() {
            path = self.takes_dir.join(take_file_name(millis, &self.flow_name, &format!("{}-{n}", run.op.step)));
            n += 1;
        }
        match TakeWriter::create(&path) {
            Ok(w) => run.take = Some(w),
            Err(e) => run.take_note = Some(format!("the take could not be written to {}: {e}", path.display())),
        }
    }

    /// Time passes with no operation running: the caller is still heard.
    fn idle(&mut self, max: u64) {
        let n = (BLOCK as u64).min(max) as usize;
        let mut got = 0;
        while got < n {
            match self.line.read_caller(&mut self.caller[got..n]) {
                CallerAudio::Samples(k) | CallerAudio::Missing(k) if k > 0 => {
                    let k = k.min(n - got);
                    let chunk = std::mem::take(&mut self.caller);
                    self.heard.clear();
                    let heard = &mut self.heard;
                    self.listener.process(&chunk[got..got + k], &mut |h| heard.push(h));
                    self.caller = chunk;
                    self.clock += k as u64;
                    got += k;
                }
                CallerAudio::HungUp => {
                    self.hung_up = true;
                    return;
                }
                _ => return,
            }
        }
    }

    /// Run one block of the operation; returns how it ended, if it did.
    fn advance(&mut self, run: &mut Running, until_next: Option<u64>) -> Option<Ending> {
        if let Some(why) = run.prompt_failure.take() {
            return Some(Ending::at(self.clock, CompletionReason::PlayPromptFailed).with_note(why));
        }
        let mut n = BLOCK.min(until_next.unwrap_or(BLOCK as u64) as usize);
        match run.phase {
            Phase::Prompt => {
                n = n.min(run.prompt.len() - run.prompt_at);
                let block = &run.prompt[run.prompt_at..run.prompt_at + n];
                if let Err(e) = self.line.play(block) {
                    return Some(Ending::at(self.clock, CompletionReason::PlayPromptFailed).with_note(e.to_string()));
                }
                run.prompt_at += n;
            }
            Phase::Beep => {
                let beep = run.beep.as_mut().expect("the beep phase has a beep");
                n = beep.fill(&mut self.out[..n]);
                if let Err(e) = self.line.play(&self.out[..n]) {
                    return Some(Ending::at(self.clock, CompletionReason::PlayBeepFailed).with_note(e.to_string()));
                }
            }
            Phase::Recording => {}
        }
        if let Some(ending) = self.listen(run, n) {
            return Some(ending);
        }
        match run.phase {
            Phase::Prompt if run.prompt_at >= run.prompt.len() => {
                self.note(run, TimelineEvent::new(ms(self.clock - run.start), EventKind::PromptEnded));
                if matches!(run.op.kind, OperationKind::PlayPrompt { .. }) {
                    return Some(Ending::played(self.clock));
                }
                self.after_prompt(run);
            }
            Phase::Beep if run.beep.as_ref().is_some_and(Beep::is_finished) => {
                self.note(run, TimelineEvent::new(ms(self.clock - run.start), EventKind::BeepEnded));
                self.start_recording(run);
            }
            _ => {}
        }
        None
    }

    /// Hear `n` samples of the caller (the block's length), then see whether the operation ends.
    fn listen(&mut self, run: &mut Running, n: usize) -> Option<Ending> {
        let mut got = 0;
        while got < n {
            if self.line.cancel_requested() {
                self.canceled = true;
                return Some(
                    Ending::at(self.clock, CompletionReason::OperationCanceled).with_note("cancelled by the user"),
                );
            }
            let k = match self.line.read_caller(&mut self.caller[got..n]) {
                CallerAudio::Samples(k) => {
                    self.missing_since = None;
                    k.min(n - got)
                }
                CallerAudio::Missing(k) => {
                    let k = k.min(n - got);
                    self.caller[got..got + k].fill(0.0);
                    self.missing_since.get_or_insert(self.clock);
                    k
                }
                CallerAudio::HungUp => {
                    self.hung_up = true;
                    let t = ms(self.clock - run.start);
                    self.note(run, TimelineEvent::new(t, EventKind::HangUp).with_note(
                        "the caller hung up: the real service sends no completion notification and the recording is lost",
                    ));
                    return Some(Ending::at(self.clock, CompletionReason::UnspecifiedError).with_note(
                        "hang-up: shown as failed / unspecifiedError; Graph itself would send nothing for this operation",
                    ));
                }
            };
            if k == 0 {
                break;
            }
            let chunk = std::mem::take(&mut self.caller);
            self.hear(run, &chunk[got..got + k]);
            self.caller = chunk;
            got += k;
            if let Some(since) = self.missing_since {
                let limit = samples(self.settings.media_timeout_ms);
                if self.clock - since >= limit {
                    return Some(
                        Ending::at(since + limit, CompletionReason::MediaReceiveTimeout)
                            .with_note("no audio arrived from the caller's side for 3 s"),
                    );
                }
            }
            if let Some(ending) = self.decide(run) {
                return Some(ending);
            }
        }
        None
    }

    /// Feed caller audio to the detectors and the take, and note what was heard.
    fn hear(&mut self, run: &mut Running, audio: &[f32]) {
        self.heard.clear();
        let heard = &mut self.heard;
        self.listener.process(audio, &mut |h| heard.push(h));
        if let Some(take) = run.take.as_mut()
            && let Err(e) = take.write(audio)
        {
            run.take_note = Some(format!("writing the take failed ({e}); it holds what was written before"));
            if let Some(t) = run.take.take() {
                let kept = t.samples();
                let _ = t.finish(kept);
            }
        }
        self.clock += audio.len() as u64;
        let start = run.start;
        let op_ms = |s: u64| ms(s.saturating_sub(start));
        // Taken out and put back, so the list keeps its capacity (no allocation per block).
        let heard = std::mem::take(&mut self.heard);
        for &h in &heard {
            match h {
                Heard::Tone(DtmfEvent::KeyStarted { key, onset, decided }) => {
                    let stop = run.recording_from.is_some_and(|r| decided >= r)
                        && match &run.op.kind {
                            OperationKind::Record { step, .. } => {
                                step.stop_tone_list().iter().any(|t| t.len() == key.len_utf8() && t.starts_with(key))
                            }
                            OperationKind::PlayPrompt { .. } => false,
                        };
                    self.note(
                        run,
                        TimelineEvent::new(op_ms(onset), EventKind::ToneStarted { tone: key, stop_tone: stop }),
                    );
                    if stop && run.stop_tone.is_none() {
                        run.stop_tone = Some((decided, onset));
                    }
                }
                Heard::Tone(DtmfEvent::KeyEnded { key, end, .. }) => {
                    self.note(run, TimelineEvent::new(op_ms(end), EventKind::ToneEnded { tone: key }));
                }
                Heard::Speech(SpeechEvent::Started { at, .. }) => {
                    self.note(run, TimelineEvent::new(op_ms(at), EventKind::SpeechStarted));
                    if let Some(r) = run.recording_from {
                        let at = at.max(r);
                        if run.speech_from.is_none() {
                            run.speech_from = Some(at);
                        }
                        if let Some(s) = run.silence_from.take() {
                            run.longest_silence = run.longest_silence.max(at.saturating_sub(s));
                        }
                    }
                }
                Heard::Speech(SpeechEvent::Ended { at, .. }) => {
                    self.note(run, TimelineEvent::new(op_ms(at), EventKind::SpeechEnded));
                    if let (Some(r), Some(_)) = (run.recording_from, run.speech_from) {
                        run.silence_from = Some(at.max(r));
                    }
                }
            }
        }
        self.heard = heard;
    }

    /// Whichever ending comes first, once nothing earlier can still happen (see `SILENCE_LOOKAHEAD`).
    fn decide(&self, run: &Running) -> Option<Ending> {
        let (Some(r), OperationKind::Record { step, .. }) = (run.recording_from, &run.op.kind) else { return None };
        let certain = self.clock.saturating_sub(SILENCE_LOOKAHEAD);
        let mut known: Option<Ending> = None;
        let mut unresolved = u64::MAX;
        let mut consider = |e: Ending| {
            if known.as_ref().is_none_or(|k| e.at < k.at) {
                known = Some(e);
            }
        };
        let max_duration = r + samples(step.max_record_duration() as f64 * 1000.0);
        if self.clock >= max_duration {
            consider(Ending::at(max_duration, CompletionReason::MaxRecordDurationReached));
        }
        if let Some((decided, onset)) = run.stop_tone {
            consider(Ending { cut: onset.max(r), ..Ending::at(decided, CompletionReason::StopToneDetected) });
        }
        if run.speech_from.is_none() {
            let t = r + samples(step.initial_silence_timeout() as f64 * 1000.0);
            if certain >= t {
                consider(Ending::at(t, CompletionReason::InitialSilenceTimeout));
            } else {
                unresolved = unresolved.min(t);
            }
        } else if let Some(s) = run.silence_from {
            let t = s + samples(step.max_silence_timeout() as f64 * 1000.0);
            if certain >= t {
                consider(Ending::at(t, CompletionReason::MaxSilenceTimeout));
            } else {
                unresolved = unresolved.min(t);
            }
        }
        known.filter(|k| k.at <= unresolved)
    }

    fn finish(&mut self, mut run: Running, ending: Ending) -> OperationReport {
        let stop_tone_latency_ms = match (ending.reason, run.stop_tone) {
            (Some(CompletionReason::StopToneDetected), Some((_, onset))) => self.line.ms_since_arrival(onset),
            _ => None,
        };
        let end_ms = ms(ending.at.saturating_sub(run.start));
        let hung_up = self.hung_up && ending.reason == Some(CompletionReason::UnspecifiedError);
        let canceled = ending.reason == Some(CompletionReason::OperationCanceled);
        let mut note = ending.note.clone();
        if let Some(why) = run.take_note.take() {
            note = Some(note.map_or(why.clone(), |n| format!("{n}; {why}")));
        }
        let kind = run.op.kind.clone();
        let outcome = match &kind {
            OperationKind::PlayPrompt { .. } => {
                if let Some(reason) = ending.reason {
                    self.note(&mut run, TimelineEvent::new(end_ms, EventKind::Completed { reason }));
                }
                Outcome::PlayPrompt { played: ending.reason.is_none() }
            }
            OperationKind::Record { step, request, .. } => {
                let reason = ending.reason.unwrap_or(CompletionReason::UnspecifiedError);
                let recorded = run.recording_from.map_or(0, |r| ending.cut.saturating_sub(r));
                let take = run.take.take().and_then(|w| {
                    let path = w.path().to_owned();
                    w.finish(recorded).ok().map(|kept| Take { path, duration_ms: ms(kept) })
                });
                let ids = OperationIds {
                    call_id: self.call_id.clone(),
                    operation_id: uuid::Uuid::new_v4().to_string(),
                    client_context: step.client_context.clone(),
                    recording_location: take.as_ref().map(|t| file_uri(&t.path)),
                    recording_access_token: take.as_ref().map(|_| uuid::Uuid::new_v4().simple().to_string()),
                };
                let r = run.recording_from.unwrap_or(ending.at);
                let end_of_recording = ending.at.max(r);
                let timers = Timers {
                    initial_silence: TimerUse {
                        limit_ms: step.initial_silence_timeout() as f64 * 1000.0,
                        used_ms: ms(run.speech_from.unwrap_or(end_of_recording).saturating_sub(r)),
                    },
                    max_silence: TimerUse {
                        limit_ms: step.max_silence_timeout() as f64 * 1000.0,
                        used_ms: ms(run
                            .longest_silence
                            .max(run.silence_from.map_or(0, |s| end_of_recording.saturating_sub(s)))),
                    },
                    max_record_duration: TimerUse {
                        limit_ms: step.max_record_duration() as f64 * 1000.0,
                        used_ms: ms(end_of_recording - r),
                    },
                };
                self.note(&mut run, TimelineEvent::new(end_ms, EventKind::Completed { reason }));
                Outcome::Record(Box::new(RecordResult {
                    reason,
                    request: request.clone(),
                    operation: record_operation(self.profile, &ids, reason),
                    notification: notification(self.profile, &ids, reason),
                    ids,
                    take,
                    timers,
                }))
            }
        };
        let mut events = run.events;
        // Events are noted when decided; the timeline is in the order they happened.
        events.sort_by(|a, b| a.t_ms.total_cmp(&b.t_ms));
        OperationReport {
            step: run.op.step,
            started_at_ms: ms(run.start),
            ended_ms: end_ms,
            events,
            outcome,
            hung_up,
            canceled,
            note,
            stop_tone_latency_ms,
        }
    }
}

/// A `file://` URI for a path (absolute, with unsafe characters percent-encoded).
pub fn file_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut uri = String::from("file://");
    for b in absolute.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}
