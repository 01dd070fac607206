//! The record engine against generated and committed callers: every completion reason, its status and
//! resultInfo, its time (within record-engine.md's tolerances), the take, barge-in and the queue, branches,
//! and the same result however the caller's audio arrives.

mod common;

use std::path::{Path, PathBuf};

use common::{speech_fixture, speech_span_ms, write_wav};
use ivr_designer::dsp::signals::{DtmfTone, Noise, power_db};
use ivr_designer::dsp::{DtmfDetector, DtmfEvent, DtmfSettings};
use ivr_designer::engine::call::RecordResult;
use ivr_designer::engine::{
    Call, CallLine, CallerAudio, EngineSettings, EventKind, Operation, OperationKind, OperationReport, Outcome,
    PlaybackFailed, PromptSource, ReplayLine, ReplayScript, Submission, run_flow,
};
use ivr_designer::model::export::request_body;
use ivr_designer::model::{ApiProfile, CompletionReason, Flow, Prompt, RecordStep, Step, load_flow};
use serde_json::json;

const RATE: usize = 16_000;

fn ms_to_samples(ms: f64) -> usize {
    (ms * RATE as f64 / 1000.0).round() as usize
}

/// A record step with no prompt and no beep: recording starts at t = 0.
fn step(initial: i64, max_silence: i64, max_duration: i64, stop_tones: &[&str]) -> RecordStep {
    let mut s = RecordStep::new("record-1");
    s.play_beep = false;
    s.initial_silence_timeout_in_seconds = Some(initial);
    s.max_silence_timeout_in_seconds = Some(max_silence);
    s.max_record_duration_in_seconds = Some(max_duration);
    s.stop_tones = Some(stop_tones.iter().map(|t| t.to_string()).collect());
    s
}

fn record(step: RecordStep, prompt: Option<PromptSource>) -> Operation {
    let flow = Flow::new("test", ApiProfile::BetaRecord);
    let request = request_body(&flow, &RecordStep { prompts: None, ..step.clone() }).unwrap();
    Operation { step: step.name.clone(), kind: OperationKind::Record { step: Box::new(step), request, prompt } }
}

/// Run one operation against `line`; takes go to `dir`.
fn run_on<L: CallLine>(line: &mut L, dir: &Path, op: Operation, profile: ApiProfile) -> OperationReport {
    let mut call = Call::new(line, EngineSettings::default(), profile, "test flow", dir);
    call.run(op)
}

fn run_caller(dir: &Path, caller: &[f32], script: ReplayScript, op: Operation) -> OperationReport {
    let path = common::caller_wav(dir, "caller.wav", caller);
    let mut line = ReplayLine::open(&path, script).unwrap();
    run_on(&mut line, dir, op, ApiProfile::BetaRecord)
}

fn result(report: &OperationReport) -> &RecordResult {
    match &report.outcome {
        Outcome::Record(r) => r,
        Outcome::PlayPrompt { .. } => panic!("a record operation"),
    }
}

fn completed_at(report: &OperationReport) -> f64 {
    report.events.iter().find(|e| matches!(e.kind, EventKind::Completed { .. })).expect("a completed event").t_ms
}

/// Reason, status, resultInfo code/subcode, all as Graph reports them.
fn assert_outcome(report: &OperationReport, reason: CompletionReason, status: &str, code: u16, subcode: u16) {
    let r = result(report);
    assert_eq!(r.reason, reason, "{report:#?}");
    assert_eq!(r.operation["status"], status);
    assert_eq!(r.operation["completionReason"], reason.name());
    assert_eq!(r.operation["resultInfo"]["code"], code);
    assert_eq!(r.operation["resultInfo"]["subcode"], subcode);
    let data = &r.notification["value"][0]["resourceData"];
    assert_eq!(r.notification["value"][0]["changeType"], "deleted");
    assert_eq!(data["status"], status);
    assert_eq!(data["resultInfo"]["subcode"], subcode);
}

fn take_samples(report: &OperationReport) -> Vec<f32> {
    let take = result(report).take.as_ref().expect("a take");
    let mut r = hound::WavReader::open(&take.path).unwrap();
    let spec = r.spec();
    assert_eq!((spec.sample_rate, spec.channels, spec.bits_per_sample), (16_000, 1, 16), "Graph's format");
    r.samples::<i16>().map(|s| f32::from(s.unwrap()) / 32768.0).collect()
}

fn silence(ms: f64) -> Vec<f32> {
    let mut s = vec![0f32; ms_to_samples(ms)];
    Noise::new(3).add_white(&mut s, -65.0);
    s
}

/// The English message fixture, and where its speech ends (ms).
fn speech() -> (Vec<f32>, f64, f64) {
    let s = speech_fixture("message-en.wav");
    let (start, end) = speech_span_ms(&s, 16_000);
    (s, start, end)
}

#[test]
fn initial_silence_timeout_fails_at_exactly_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let report = run_caller(dir.path(), &silence(500.0), ReplayScript::default(), record(step(3, 2, 20, &["#"]), None));
    assert_outcome(&report, CompletionReason::InitialSilenceTimeout, "failed", 400, 8510);
    assert!((completed_at(&report) - 3000.0).abs() <= 1.0, "{}", completed_at(&report));
    assert_eq!(take_samples(&report).len(), 3 * RATE, "the take holds the 3 s recorded");
    let timers = result(&report).timers;
    assert_eq!((timers.initial_silence.used_ms, timers.initial_silence.limit_ms), (3000.0, 3000.0));
}

#[test]
fn max_record_duration_completes_at_exactly_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (s, ..) = speech();
    let report = run_caller(dir.path(), &s, ReplayScript::default(), record(step(5, 5, 3, &["#"]), None));
    assert_outcome(&report, CompletionReason::MaxRecordDurationReached, "completed", 200, 8515);
    assert!((completed_at(&report) - 3000.0).abs() <= 1.0);
    assert_eq!(take_samples(&report).len(), 3 * RATE);
    assert_eq!(result(&report).operation["resultInfo"]["message"], "Action completed, max record duration reached.");
}

#[test]
fn end_of_speech_completes_within_150_ms_of_the_silence_reaching_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let (clean, start, end) = speech();
    for (label, snr) in [("clean", None), ("20 dB SNR", Some(20.0))] {
        let mut caller = clean.clone();
        caller.extend(vec![0.0; 4 * RATE]);
        if let Some(snr) = snr {
            let active: Vec<f32> = clean.chunks(160).filter(|f| power_db(f) >= -45.0).flatten().copied().collect();
            Noise::new(8).add_white(&mut caller, power_db(&active) - snr);
        }
        let report = run_caller(dir.path(), &caller, ReplayScript::default(), record(step(5, 2, 60, &["#"]), None));
        assert_outcome(&report, CompletionReason::MaxSilenceTimeout, "completed", 200, 8509);
        let due = end + 2000.0;
        let at = completed_at(&report);
        assert!((at - due).abs() <= 150.0, "{label}: completed at {at}, silence reached 2 s at {due}");
        let first = report.events.iter().find(|e| e.kind == EventKind::SpeechStarted).unwrap().t_ms;
        assert!((first - start).abs() <= 60.0, "{label}: speech started at {first} vs {start}");
        assert_eq!(take_samples(&report).len(), ms_to_samples(at), "{label}: the take ends at the completion");
        let t = result(&report).timers;
        assert!((t.max_silence.used_ms - 2000.0).abs() < 1.0 && t.initial_silence.used_ms < 1000.0, "{t:?}");
    }
}

#[test]
fn a_stop_tone_ends_the_take_at_its_onset_and_is_not_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut caller, _, end) = speech();
    // A '5' (not a stop tone) during the message, then '#' after it.
    let five = ms_to_samples(1500.0);
    DtmfTone::new('5', -10.0, 0.1).add_to(&mut caller, 16_000, five);
    let hash_ms = end + 700.0;
    caller.resize(ms_to_samples(hash_ms) + RATE, 0.0);
    DtmfTone::new('#', -10.0, 0.15).add_to(&mut caller, 16_000, ms_to_samples(hash_ms));
    let report = run_caller(dir.path(), &caller, ReplayScript::default(), record(step(5, 5, 60, &["#", "*"]), None));
    assert_outcome(&report, CompletionReason::StopToneDetected, "completed", 200, 8514);
    let at = completed_at(&report);
    assert!(at >= hash_ms && at - hash_ms <= 45.0, "decided {:.1} ms after the onset", at - hash_ms);
    let tones: Vec<(char, bool, f64)> = report
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::ToneStarted { tone, stop_tone } => Some((tone, stop_tone, e.t_ms)),
            _ => None,
        })
        .collect();
    assert_eq!(tones.len(), 2, "{tones:?}");
    assert_eq!((tones[0].0, tones[0].1), ('5', false), "a key that is not a stop tone is recorded and shown");
    assert_eq!((tones[1].0, tones[1].1), ('#', true));
    let take = take_samples(&report);
    let cut_ms = take.len() as f64 * 1000.0 / RATE as f64;
    assert!((cut_ms - hash_ms).abs() <= 3.0, "cut at {cut_ms}, the tone began at {hash_ms}");
    // Listen to the take: the '5' is in it, the '#' is not.
    let mut rx = DtmfDetector::new(16_000, DtmfSettings::default()).unwrap();
    let mut keys = Vec::new();
    rx.process(&take, &mut |e| {
        if let DtmfEvent::KeyStarted { key, .. } = e {
            keys.push(key)
        }
    });
    rx.finish(&mut |_| {});
    assert_eq!(keys, vec!['5']);
}

#[test]
fn a_prompt_that_cannot_be_read_fails_the_operation() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("prompt.wav"), b"not audio").unwrap();
    for source in [
        PromptSource::File(dir.path().join("missing.wav")),
        PromptSource::File(dir.path().join("prompt.wav")),
        PromptSource::Unavailable("no local file for https://cdn.contoso.com/x.wav".into()),
    ] {
        let report =
            run_caller(dir.path(), &silence(100.0), ReplayScript::default(), record(step(5, 5, 10, &[]), Some(source)));
        assert_outcome(&report, CompletionReason::PlayPromptFailed, "failed", 400, 8511);
        assert_eq!(completed_at(&report), 0.0);
        assert!(result(&report).take.is_none(), "nothing was recorded");
        assert!(report.note.as_deref().is_some_and(|n| !n.is_empty()), "says why");
    }
}

#[test]
fn a_prompt_in_another_format_still_plays_converted_then_the_beep_then_recording() {
    let dir = tempfile::tempdir().unwrap();
    let prompt = dir.path().join("cd.wav");
    write_wav(&prompt, 44_100, 2, 16, false); // 100 ms of stereo 44.1 kHz
    let mut s = step(2, 2, 10, &[]);
    s.play_beep = true;
    let path = common::caller_wav(dir.path(), "caller.wav", &silence(100.0));
    let mut line = ReplayLine::open(&path, ReplayScript::default()).unwrap().keep_playback();
    let report = run_on(&mut line, dir.path(), record(s, Some(PromptSource::File(prompt))), ApiProfile::BetaRecord);
    let kinds: Vec<(&str, f64)> = report.events.iter().map(|e| (e.kind.name(), e.t_ms)).collect();
    assert_eq!(
        kinds,
        vec![
            ("promptStarted", 0.0),
            ("promptEnded", 100.0),
            ("beepStarted", 100.0),
            ("beepEnded", 400.0),
            ("recordingStarted", 400.0),
            ("completed", 2400.0)
        ]
    );
    assert_outcome(&report, CompletionReason::InitialSilenceTimeout, "failed", 400, 8510);
    let played = line.played.unwrap();
    assert_eq!(played.len(), ms_to_samples(400.0), "the converted prompt and the beep were played");
    assert!(power_db(&played[ms_to_samples(150.0)..ms_to_samples(350.0)]) > -20.0, "the beep is heard");
}

#[test]
fn a_beep_that_cannot_be_played_fails_the_operation() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = step(5, 5, 10, &[]);
    s.play_beep = true;
    let script = ReplayScript { playback_fails: true, ..ReplayScript::default() };
    let report = run_caller(dir.path(), &silence(100.0), script, record(s, None));
    assert_outcome(&report, CompletionReason::PlayBeepFailed, "failed", 400, 8512);
    assert!(result(&report).take.is_none());
}

#[test]
fn no_audio_for_3_s_is_a_media_receive_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let script = ReplayScript { audio_stops_at_ms: Some(1000.0), ..ReplayScript::default() };
    let report = run_caller(dir.path(), &silence(5000.0), script, record(step(10, 5, 60, &[]), None));
    assert_outcome(&report, CompletionReason::MediaReceiveTimeout, "failed", 400, 8513);
    assert!((completed_at(&report) - 4000.0).abs() <= 1.0);
    assert_eq!(take_samples(&report).len(), 4 * RATE, "the take so far is kept");
}

#[test]
fn cancel_ends_the_operation_as_cancelled_and_keeps_the_take() {
    let dir = tempfile::tempdir().unwrap();
    let (s, ..) = speech();
    let script = ReplayScript { cancel_at_ms: Some(1500.0), ..ReplayScript::default() };
    let report = run_caller(dir.path(), &s, script, record(step(5, 5, 60, &[]), None));
    assert_outcome(&report, CompletionReason::OperationCanceled, "failed", 400, 8508);
    assert!((completed_at(&report) - 1500.0).abs() <= 1.0);
    assert_eq!(take_samples(&report).len(), ms_to_samples(1500.0));
    assert_eq!(result(&report).operation["resultInfo"]["message"], "Action failed, the operation was cancelled.");
}

#[test]
fn a_hang_up_is_reported_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let (s, ..) = speech();
    let script = ReplayScript { hang_up_at_ms: Some(2500.0), ..ReplayScript::default() };
    let report = run_caller(dir.path(), &s, script, record(step(5, 5, 60, &[]), None));
    assert_outcome(&report, CompletionReason::UnspecifiedError, "failed", 500, 0);
    assert!(report.hung_up);
    let hang_up = report.events.iter().find(|e| e.kind == EventKind::HangUp).unwrap();
    assert_eq!(hang_up.t_ms, 2500.0);
    assert!(hang_up.note.as_deref().unwrap().contains("sends no completion notification"));
    assert_eq!(take_samples(&report).len(), ms_to_samples(2500.0), "kept locally, though Graph would lose it");
}

#[test]
fn v1_operations_carry_the_reason_only_in_result_info() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::caller_wav(dir.path(), "caller.wav", &silence(100.0));
    let mut line = ReplayLine::open(&path, ReplayScript::default()).unwrap();
    let report = run_on(&mut line, dir.path(), record(step(1, 1, 5, &[]), None), ApiProfile::V1RecordResponse);
    let r = result(&report);
    assert!(r.operation.get("completionReason").is_none());
    assert!(r.notification["value"][0]["resourceData"].get("completionReason").is_none());
    assert_eq!(r.operation["resultInfo"]["subcode"], 8510);
    let location = r.operation["recordingLocation"].as_str().unwrap();
    assert!(location.starts_with("file:///") && location.ends_with(".wav"), "{location}");
}

#[test]
fn barge_in_cancels_the_running_and_queued_operations_and_starts_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (s, ..) = speech();
    let path = common::caller_wav(dir.path(), "caller.wav", &s);
    let mut line = ReplayLine::open(&path, ReplayScript::default()).unwrap();
    let mut call = Call::new(&mut line, EngineSettings::default(), ApiProfile::BetaRecord, "barge", dir.path());
    let named = |name: &str, barge: bool, initial: i64| {
        let mut st = step(initial, 5, 60, &[]);
        st.name = name.into();
        st.barge_in_allowed = Some(barge);
        record(st, None)
    };
    let reports = call.run_script(vec![
        Submission { at_ms: 0.0, operation: named("first", false, 5) },
        Submission { at_ms: 500.0, operation: named("queued", false, 5) },
        Submission { at_ms: 2000.0, operation: named("barging", true, 1) },
    ]);
    let summary: Vec<(&str, CompletionReason, f64)> =
        reports.iter().map(|r| (r.step.as_str(), result(r).reason, r.started_at_ms)).collect();
    assert_eq!(summary[0], ("first", CompletionReason::OperationCanceled, 0.0));
    assert_eq!(summary[1], ("queued", CompletionReason::OperationCanceled, 2000.0));
    assert_eq!(summary[2].0, "barging");
    assert_eq!(summary[2].2, 2000.0, "starts at once");
    assert!((completed_at(&reports[0]) - 2000.0).abs() <= 1.0);
    assert!(result(&reports[1]).take.is_none(), "a queued operation never recorded");
}

#[test]
fn without_barge_in_a_second_request_waits_its_turn() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::caller_wav(dir.path(), "caller.wav", &silence(100.0));
    let mut line = ReplayLine::open(&path, ReplayScript::default()).unwrap();
    let mut call = Call::new(&mut line, EngineSettings::default(), ApiProfile::BetaRecord, "queue", dir.path());
    let reports = call.run_script(vec![
        Submission { at_ms: 0.0, operation: record(step(2, 5, 60, &[]), None) },
        Submission { at_ms: 500.0, operation: record(step(1, 5, 60, &[]), None) },
    ]);
    assert_eq!(reports.len(), 2);
    assert_eq!(result(&reports[0]).reason, CompletionReason::InitialSilenceTimeout);
    assert!(reports[1].started_at_ms >= 2000.0, "the second ran after the first: {}", reports[1].started_at_ms);
    assert_eq!(result(&reports[1]).reason, CompletionReason::InitialSilenceTimeout);
}

/// A line that hands out the replay's audio in small irregular blocks, as a sound card might.
struct Irregular {
    inner: ReplayLine,
    n: usize,
}

impl CallLine for Irregular {
    fn read_caller(&mut self, buf: &mut [f32]) -> CallerAudio {
        self.n = (self.n * 7 + 3) % 97;
        let k = (self.n + 1).min(buf.len());
        self.inner.read_caller(&mut buf[..k])
    }
    fn play(&mut self, samples: &[f32]) -> Result<(), PlaybackFailed> {
        self.inner.play(samples)
    }
}

#[test]
fn the_same_events_however_the_audio_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let (mut caller, _, end) = speech();
    caller.resize(ms_to_samples(end + 600.0), 0.0);
    DtmfTone::new('7', -12.0, 0.08).add_to(&mut caller, 16_000, ms_to_samples(900.0));
    caller.extend(vec![0.0; 3 * RATE]);
    let path = common::caller_wav(dir.path(), "caller.wav", &caller);
    for st in [step(5, 2, 60, &["#"]), step(5, 5, 4, &[]), step(1, 1, 60, &["7"])] {
        let mut plain = ReplayLine::open(&path, ReplayScript::default()).unwrap();
        let a = run_on(&mut plain, dir.path(), record(st.clone(), None), ApiProfile::BetaRecord);
        let mut irregular = Irregular { inner: ReplayLine::open(&path, ReplayScript::default()).unwrap(), n: 5 };
        let b = run_on(&mut irregular, dir.path(), record(st, None), ApiProfile::BetaRecord);
        assert_eq!(a.events, b.events);
        assert_eq!(result(&a).reason, result(&b).reason);
        assert_eq!(take_samples(&a), take_samples(&b));
    }
}

fn shipped(name: &str) -> (Flow, PathBuf) {
    let path = common::repo().join("flows").join(name);
    (load_flow(&path).unwrap(), path.parent().unwrap().to_owned())
}

#[test]
fn the_voicemail_flow_records_a_message_then_thanks_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let (flow, flow_dir) = shipped("voicemail.ron");
    // The caller waits for the greeting and the beep (5.3 s + 0.3 s), then speaks.
    let (s, _, end) = speech();
    let mut caller = silence(6000.0);
    caller.extend_from_slice(&s);
    let path = common::caller_wav(dir.path(), "caller.wav", &caller);
    let mut line = ReplayLine::open(&path, ReplayScript::default()).unwrap();
    let run = run_flow(&flow, &flow_dir, &mut line, EngineSettings::default(), dir.path()).unwrap();
    let steps: Vec<&str> = run.operations.iter().map(|o| o.step.as_str()).collect();
    assert_eq!(steps, ["record-message", "thank-you"]);
    let first = &run.operations[0];
    assert_eq!(result(first).reason, CompletionReason::MaxSilenceTimeout);
    let recording = first.events.iter().find(|e| e.kind == EventKind::RecordingStarted).unwrap().t_ms;
    let prompt =
        ivr_designer::engine::prompt::load_prompt(&flow_dir.join("../assets/prompts/voicemail-greeting.wav")).unwrap();
    assert!((recording - (prompt.len() as f64 / 16.0 + 300.0)).abs() < 0.1, "recording starts after prompt and beep");
    let due = 6000.0 + end + 3000.0;
    assert!((completed_at(first) - due).abs() <= 150.0, "{} vs {due}", completed_at(first));
    assert_eq!(run.operations[1].outcome, Outcome::PlayPrompt { played: true });
    let doc = run.to_json();
    assert_eq!(doc["operations"][0]["request"]["clientContext"], json!("voicemail/record-message"));
    assert_eq!(doc["operations"][0]["events"][0], json!({"tMs": 0.0, "kind": "promptStarted"}));
}

#[test]
fn the_survey_follows_its_branches() {
    let dir = tempfile::tempdir().unwrap();
    let (flow, flow_dir) = shipped("survey.ron");
    // A caller who says nothing at all: ask, sorry, ask again, give up politely.
    let path = common::caller_wav(dir.path(), "silent.wav", &silence(200.0));
    let mut line = ReplayLine::open(&path, ReplayScript::default()).unwrap();
    let run = run_flow(&flow, &flow_dir, &mut line, EngineSettings::default(), dir.path()).unwrap();
    let steps: Vec<&str> = run.operations.iter().map(|o| o.step.as_str()).collect();
    assert_eq!(steps, ["welcome", "ask-rating", "sorry", "ask-rating-again", "thanks"]);
    assert_eq!(run.operations[1].reason(), Some(CompletionReason::InitialSilenceTimeout));

    // A caller who presses 2 after the question: asked why, says nothing, thanked.
    let welcome = 3_895.9 + 7_775.8 + 300.0;
    let mut caller = silence(welcome + 500.0);
    DtmfTone::new('2', -10.0, 0.1).add_to(&mut caller, 16_000, ms_to_samples(welcome + 300.0));
    let path = common::caller_wav(dir.path(), "two.wav", &caller);
    let mut line = ReplayLine::open(&path, ReplayScript::default()).unwrap();
    let run = run_flow(&flow, &flow_dir, &mut line, EngineSettings::default(), dir.path()).unwrap();
    let steps: Vec<&str> = run.operations.iter().map(|o| o.step.as_str()).collect();
    assert_eq!(steps, ["welcome", "ask-rating", "ask-why", "thanks"]);
    assert_eq!(run.operations[1].reason(), Some(CompletionReason::StopToneDetected));
    // v1.0 profile: the reason is only in resultInfo.
    assert!(result(&run.operations[1]).operation.get("completionReason").is_none());
}

#[test]
fn a_flow_that_loops_stops_after_the_operation_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = step(1, 1, 5, &[]);
    s.on.no_speech = ivr_designer::model::Target::Step("record-1".into());
    let flow = Flow { steps: vec![Step::Record(s)], ..Flow::new("loop", ApiProfile::BetaRecord) };
    let mut line = ReplayLine::silent(ReplayScript::default());
    let settings = EngineSettings { max_operations: 5, ..EngineSettings::default() };
    let run = run_flow(&flow, dir.path(), &mut line, settings, dir.path()).unwrap();
    assert_eq!(run.operations.len(), 5);
    assert!(run.stopped.as_deref().unwrap().contains("loops"));
}

#[test]
fn invalid_flows_and_unwritable_take_folders_are_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = step(500, 1, 5, &[]);
    s.client_context = Some("x".into());
    let flow = Flow { steps: vec![Step::Record(s)], ..Flow::new("bad", ApiProfile::V1RecordResponse) };
    let mut line = ReplayLine::silent(ReplayScript::default());
    let e = run_flow(&flow, dir.path(), &mut line, EngineSettings::default(), dir.path()).unwrap_err();
    assert!(e.to_string().contains("initialSilenceTimeoutInSeconds = 500"), "{e}");

    let good = Flow { steps: vec![Step::Record(step(1, 1, 5, &[]))], ..Flow::new("ok", ApiProfile::BetaRecord) };
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let e = run_flow(&good, dir.path(), &mut line, EngineSettings::default(), &file.join("takes")).unwrap_err();
    assert!(e.to_string().starts_with("cannot write takes to"), "{e}");

    // A missing prompt file does not stop a run: the operation fails as Graph's would.
    let mut with_prompt = step(1, 1, 5, &[]);
    with_prompt.prompts = Some(vec!["p".into()]);
    let flow = Flow {
        prompts: vec![Prompt {
            id: "p".into(),
            file: Some("gone.wav".into()),
            uri: "https://x/p.wav".into(),
            resource_id: None,
        }],
        steps: vec![Step::Record(with_prompt)],
        ..Flow::new("prompt", ApiProfile::BetaRecord)
    };
    let run = run_flow(&flow, dir.path(), &mut line, EngineSettings::default(), dir.path()).unwrap();
    assert_eq!(run.operations[0].reason(), Some(CompletionReason::PlayPromptFailed));
}
