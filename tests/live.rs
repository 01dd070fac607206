//! Live runs through real (virtual) devices: a private PulseAudio server whose microphone is a FIFO fed at
//! real-time pace. A live run must end the same way as a replay of the same audio, at about the same time.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::pulse::{PulseServer, share_at};
use common::{repo, speech_fixture};
use ivr_designer::dsp::signals::DtmfTone;
use serde_json::Value;

fn exe(server: &PulseServer) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ivr-designer"));
    cmd.current_dir(repo());
    for (k, v) in server.env() {
        cmd.env(k, v);
    }
    cmd
}

fn silence(seconds: f64) -> Vec<f32> {
    vec![0.0; (seconds * 16_000.0) as usize]
}

struct Live {
    doc: Value,
    stderr: Vec<String>,
    code: Option<i32>,
}

/// Run `flow` live while the caller speaks into the microphone from the moment the devices are open. `act` is
/// called with the process and each stderr line as it comes (to interrupt the run, say).
fn run_live(server: &PulseServer, flow: &str, caller: &[f32], takes: &Path, mut act: impl FnMut(&Child, &str)) -> Live {
    let mut child = exe(server)
        .args(["run", flow, "--live", "--json", "--out", takes.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let go = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let speaker = {
        let audio = caller.to_vec();
        let fifo = server.fifo();
        let (go, stop) = (go.clone(), stop.clone());
        std::thread::spawn(move || common::pulse::speak_until(&fifo, &audio, &go, &stop))
    };
    let mut lines = Vec::new();
    for line in stderr.lines() {
        let line = line.unwrap();
        // The devices are open and the call begins: the caller starts talking.
        if line.starts_with("live:") {
            go.store(true, Ordering::Relaxed);
        }
        act(&child, &line);
        lines.push(line);
    }
    let out = child.wait_with_output().unwrap();
    stop.store(true, Ordering::Relaxed);
    speaker.join().unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    Live { doc, stderr: lines, code: out.status.code() }
}

fn replay(flow: &str, caller: &Path, takes: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_ivr-designer"))
        .current_dir(repo())
        .args(["run", flow, "--caller", caller.to_str().unwrap(), "--json", "--out", takes.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (step, completion reason, completion time on the operation's clock) for every record operation.
fn outcomes(doc: &Value) -> Vec<(String, String, f64)> {
    doc["operations"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .filter(|o| o["kind"] == "record")
        .map(|o| {
            let done = o["events"].as_array().unwrap().iter().find(|e| e["kind"] == "completed").unwrap();
            (
                o["step"].as_str().unwrap().to_owned(),
                done["completionReason"].as_str().unwrap().to_owned(),
                done["tMs"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn steps(doc: &Value) -> Vec<String> {
    doc["operations"].as_array().unwrap().iter().map(|o| o["step"].as_str().unwrap().to_owned()).collect()
}

/// The live run and the replay of the same audio end the same way, within 150 ms of each other.
fn assert_agree(flow: &str, caller: Vec<f32>) -> Value {
    let server = PulseServer::start();
    let dir = tempfile::tempdir().unwrap();
    let path = common::caller_wav(dir.path(), "caller.wav", &caller);
    let replayed = replay(flow, &path, &dir.path().join("replay"));
    let live = run_live(&server, flow, &caller, &dir.path().join("live"), |_, _| {});
    assert_eq!(live.code, Some(0), "{:?}", live.stderr);
    assert_eq!(steps(&live.doc), steps(&replayed), "{flow}");
    let (a, b) = (outcomes(&replayed), outcomes(&live.doc));
    assert_eq!(a.len(), b.len());
    for (r, l) in a.iter().zip(&b) {
        assert_eq!((&r.0, &r.1), (&l.0, &l.1), "{flow}");
        assert!((r.2 - l.2).abs() <= 150.0, "{flow}: {} completed at {} live vs {} replayed", r.0, l.2, r.2);
    }
    let audio = &live.doc["audio"];
    assert_eq!(audio["inputOverruns"], 0, "{audio}");
    assert!(audio["inputLatencyMs"].as_f64().unwrap() > 0.0 && audio["outputLatencyMs"].as_f64().unwrap() > 0.0);
    live.doc
}

#[test]
fn voicemail_live_agrees_with_the_replay() {
    let mut caller = silence(6.0);
    caller.extend(speech_fixture("message-en.wav"));
    caller.extend(silence(8.0));
    assert_agree("flows/voicemail.ron", caller);
}

#[test]
fn a_stop_tone_into_the_microphone_ends_the_take_within_100_ms() {
    // The seed example: a 2.5 s prompt, the beep, then the caller says "yes" and presses 1.
    let mut caller = silence(3.2);
    caller.extend(speech_fixture("short-yes.wav"));
    let at = caller.len();
    caller.extend(silence(3.0));
    DtmfTone::new('1', -10.0, 0.12).add_to(&mut caller, 16_000, at);
    let doc = assert_agree("flows/seed-example.ron", caller);
    let op = &doc["operations"][0];
    assert_eq!(op["operation"]["completionReason"], "stopToneDetected");
    let latency = op["stopToneLatencyMs"].as_f64().expect("live runs measure the stop tone's latency");
    assert!(latency <= 100.0, "the stop tone ended the take {latency} ms after it reached the input device");
}

#[test]
fn the_survey_live_agrees_with_the_replay() {
    // A caller who says nothing: every branch of the no-speech path.
    assert_agree("flows/survey.ron", silence(45.0));
}

#[test]
fn ctrl_c_cancels_the_running_operation_and_keeps_the_take() {
    let server = PulseServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut caller = silence(6.0);
    caller.extend(speech_fixture("message-en.wav"));
    caller.extend(silence(5.0));
    let mut sent = false;
    let live = run_live(&server, "flows/voicemail.ron", &caller, dir.path(), |child, line| {
        if !sent && line.contains("speechStarted") {
            sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success();
        }
    });
    assert!(sent);
    assert_eq!(live.code, Some(0), "exits cleanly: {:?}", live.stderr);
    let op = &live.doc["operations"][0];
    assert_eq!(op["operation"]["completionReason"], "operationCanceled");
    assert_eq!(live.doc["stopped"], "cancelled");
    let take = op["take"]["path"].as_str().unwrap();
    let r = hound::WavReader::open(take).expect("the take is kept and playable");
    assert!(r.duration() > 0);
}

#[test]
fn a_microphone_that_disappears_ends_in_a_media_receive_timeout() {
    let server = PulseServer::start();
    let dir = tempfile::tempdir().unwrap();
    let request = dir.path().join("record.json");
    std::fs::write(
        &request,
        r#"{"playBeep": false, "initialSilenceTimeoutInSeconds": 20, "maxRecordDurationInSeconds": 60}"#,
    )
    .unwrap();
    let mut pulled = false;
    let live = run_live(&server, request.to_str().unwrap(), &silence(30.0), dir.path(), |_, line| {
        if !pulled && line.contains("recordingStarted") {
            std::thread::sleep(Duration::from_millis(500));
            // Without the null sink's monitor to fall back on, the recording stream has nowhere to go.
            pulled = server.pactl(&["unload-module", "module-pipe-source"])
                && server.pactl(&["unload-module", "module-null-sink"]);
        }
    });
    assert!(pulled, "the microphone was removed");
    assert_eq!(live.code, Some(0), "{:?}", live.stderr);
    let op = &live.doc["operations"][0];
    assert_eq!(op["operation"]["completionReason"], "mediaReceiveTimeout", "{op}");
    assert!(op["take"]["durationMs"].as_f64().unwrap() >= 3000.0, "the take so far is kept");
}

#[test]
fn devices_are_listed_and_an_unknown_one_is_named() {
    let server = PulseServer::start();
    let out = exe(&server).arg("devices").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("* Unix FIFO source") && text.contains("* Null Output"), "{text}");
    let out = exe(&server).args(["run", "flows/voicemail.ron", "--live", "--input", "no-such-mic"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no input device matches \"no-such-mic\"") && err.contains("Unix FIFO source"), "{err}");
}

#[test]
fn play_sends_the_prompt_then_the_beep_to_the_output_device() {
    let server = PulseServer::start();
    let dir = tempfile::tempdir().unwrap();
    // A 0.5 s 440 Hz "prompt" at 8 kHz: the caller hears it converted to 16 kHz.
    let prompt = dir.path().join("prompt.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&prompt, spec).unwrap();
    for i in 0..4_000 {
        let x = 0.25 * (2.0 * std::f64::consts::PI * 440.0 * f64::from(i) / 8_000.0).sin();
        w.write_sample((x * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();

    let recording = server.record_speaker();
    std::thread::sleep(Duration::from_millis(300));
    let out = exe(&server).args(["play"]).arg(&prompt).args(["--beep", "--output", "ivr_sink"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::thread::sleep(Duration::from_millis(300));
    let heard = recording.finish();

    // 20 ms frames: which are the prompt's tone, which the beep's.
    let frames: Vec<&[f32]> = heard.chunks_exact(320).collect();
    let tone =
        |f: f64| frames.iter().enumerate().filter(|(_, fr)| share_at(fr, f) > 0.8).map(|(i, _)| i).collect::<Vec<_>>();
    let (prompt_frames, beep_frames) = (tone(440.0), tone(1000.0));
    assert!((23..=26).contains(&prompt_frames.len()), "0.5 s of prompt heard: {} frames", prompt_frames.len());
    assert!((13..=16).contains(&beep_frames.len()), "0.3 s of beep heard: {} frames", beep_frames.len());
    let (last_prompt, first_beep) = (*prompt_frames.last().unwrap(), beep_frames[0]);
    assert!(first_beep > last_prompt && first_beep - last_prompt <= 2, "the beep follows the prompt at once");
}

#[test]
fn record_prompt_saves_the_voice_from_the_microphone_trimmed_and_normalised() {
    let server = PulseServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut voice = silence(1.0);
    let yes = speech_fixture("short-yes.wav");
    voice.extend(yes.iter().map(|x| x * 0.3)); // a quiet speaker: normalising brings the peak up
    let (go, stop) = (Arc::new(AtomicBool::new(true)), Arc::new(AtomicBool::new(false)));
    let fifo = server.fifo();
    let speaker = {
        let (go, stop) = (go.clone(), stop.clone());
        std::thread::spawn(move || common::pulse::speak_until(&fifo, &voice, &go, &stop))
    };
    let out = dir.path().join("yes.wav");
    let run =
        exe(&server).args(["record-prompt"]).arg(&out).args(["--seconds", "5", "--input", "ivr_mic"]).output().unwrap();
    stop.store(true, Ordering::Relaxed);
    speaker.join().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    let f = ivr_designer::media::inspect_wav(&out).unwrap();
    assert!(f.is_graph_format(), "{f}");
    let saved = ivr_designer::engine::prompt::load_prompt(&out).unwrap();
    let peak = saved.iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!((20.0 * peak.log10() + 1.0).abs() < 0.1, "peak {:.2} dBFS", 20.0 * peak.log10());
    // The fixture's voice and 100 ms either side, not the second of silence before it nor the silence after.
    let voiced = ivr_designer::dsp::prompt_edit::trim_silence(&yes).len() as f64 / 16.0;
    let length = saved.len() as f64 / 16.0;
    assert!((length - voiced).abs() < 120.0, "saved {length:.0} ms, the voice (with margins) is {voiced:.0} ms");
}

#[test]
fn record_prompt_names_a_missing_microphone() {
    let server = PulseServer::start();
    let dir = tempfile::tempdir().unwrap();
    let run = exe(&server)
        .args(["record-prompt"])
        .arg(dir.path().join("x.wav"))
        .args(["--input", "no-such-mic"])
        .output()
        .unwrap();
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("no-such-mic") && err.contains("input devices"), "{err}");
    assert!(!dir.path().join("x.wav").exists(), "nothing written");
}
