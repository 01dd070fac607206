//! `ivr-designer run`: the JSON document, the take on disk, bad input, and a take that survives a killed run.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{repo, speech_fixture};
use serde_json::Value;

fn exe() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ivr-designer"))
}

fn run(args: &[&str]) -> Output {
    exe().args(args).current_dir(repo()).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The caller waits for the greeting and beep, then leaves the English message.
fn voicemail_caller(dir: &Path) -> PathBuf {
    let mut samples = vec![0f32; 16_000 * 6];
    samples.extend(speech_fixture("message-en.wav"));
    common::caller_wav(dir, "caller.wav", &samples)
}

fn takes_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "wav")).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn the_voicemail_run_prints_the_document_and_leaves_a_graph_format_take() {
    let dir = tempfile::tempdir().unwrap();
    let caller = voicemail_caller(dir.path());
    let takes = dir.path().join("takes");
    let out = run(&[
        "run",
        "flows/voicemail.ron",
        "--caller",
        caller.to_str().unwrap(),
        "--out",
        takes.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let op = &doc["operations"][0];
    assert_eq!(op["step"], "record-message");
    for key in ["request", "operation", "notification", "take", "events"] {
        assert!(!op[key].is_null(), "{key} in {op}");
    }
    assert_eq!(op["operation"]["completionReason"], "maxSilenceTimeout");
    let kinds: Vec<&str> = op["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    for k in
        ["promptStarted", "promptEnded", "beepStarted", "beepEnded", "recordingStarted", "speechStarted", "speechEnded"]
    {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    assert_eq!(kinds.last(), Some(&"completed"));
    let last = op["events"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (last["status"].as_str(), last["completionReason"].as_str()),
        (Some("completed"), Some("maxSilenceTimeout"))
    );
    let path = PathBuf::from(op["take"]["path"].as_str().unwrap());
    assert!(path.starts_with(&takes));
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(name.ends_with("-voicemail-record-message.wav"), "{name}");
    let r = hound::WavReader::open(&path).unwrap();
    assert_eq!((r.spec().sample_rate, r.spec().channels, r.spec().bits_per_sample), (16_000, 1, 16));
    let ms = r.duration() as f64 / 16.0;
    assert!((ms - op["take"]["durationMs"].as_f64().unwrap()).abs() < 0.1);
    assert_eq!(op["operation"]["recordingLocation"], Value::from(ivr_designer::engine::call::file_uri(&path)));
    assert_eq!(doc["operations"][1]["step"], "thank-you");
    // Without --json: a readable summary.
    let out =
        run(&["run", "flows/voicemail.ron", "--caller", caller.to_str().unwrap(), "--out", takes.to_str().unwrap()]);
    let said = text(&out.stdout);
    assert!(said.contains("recordingStarted") && said.contains("→ completed / maxSilenceTimeout"), "{said}");
}

#[test]
fn a_request_body_runs_as_a_one_step_flow() {
    let dir = tempfile::tempdir().unwrap();
    let caller = common::caller_wav(dir.path(), "quiet.wav", &vec![0.0; 1600]);
    let prompt = repo().join("assets/prompts/seed-prompt.wav");
    let request = dir.path().join("req.json");
    let uri = ivr_designer::engine::call::file_uri(&prompt);
    std::fs::write(
        &request,
        format!(r##"{{"prompts": [{{"@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": {{"uri": "{uri}", "resourceId": "1D6DE2D4-CD51-4309-8DAA-70768651088E"}}}}], "initialSilenceTimeoutInSeconds": 1, "playBeep": true}}"##),
    )
    .unwrap();
    let out = run(&["run", request.to_str().unwrap(), "--caller", caller.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["profile"], "beta-record");
    assert_eq!(doc["operations"][0]["operation"]["completionReason"], "initialSilenceTimeout");
    assert!(takes_in(&dir.path().join("takes")).len() == 1, "takes beside the request by default");

    // The docs' example names an https prompt the engine cannot fetch: it fails as Graph would on an unreachable one.
    let seed = dir.path().join("seed.json");
    std::fs::write(&seed, common::graph_example("seed-request.json")).unwrap();
    let out = run(&[
        "run",
        seed.to_str().unwrap(),
        "--caller",
        caller.to_str().unwrap(),
        "--json",
        "--profile",
        "v1.0-recordResponse",
    ]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["operations"][0]["operation"]["resultInfo"]["subcode"], 8511);
    assert!(doc["operations"][0]["note"].as_str().unwrap().contains("https://cdn.contoso.com/beep.wav"));
}

#[test]
fn a_scripted_hang_up_shows_on_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let caller = voicemail_caller(dir.path());
    let out = run(&[
        "run",
        "flows/voicemail.ron",
        "--caller",
        caller.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
        "--json",
        "--hangup-at",
        "7000",
    ]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ops = doc["operations"].as_array().unwrap();
    assert_eq!(ops.len(), 1, "the flow stops when the caller hangs up");
    let events = ops[0]["events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["kind"] == "hangUp" && e["tMs"] == 7000.0), "{events:?}");
    assert_eq!(doc["stopped"], "the caller hung up");
}

#[test]
fn bad_input_is_refused_with_a_reason_and_leaves_no_take() {
    let dir = tempfile::tempdir().unwrap();
    let takes = dir.path().join("takes");
    let not_audio = dir.path().join("caller.wav");
    std::fs::write(&not_audio, "hello").unwrap();
    let out =
        run(&["run", "flows/voicemail.ron", "--caller", not_audio.to_str().unwrap(), "--out", takes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not a WAV file: it is a text file"), "{}", text(&out.stderr));

    let caller = voicemail_caller(dir.path());
    let blocked = dir.path().join("a-file");
    std::fs::write(&blocked, "x").unwrap();
    let out = run(&[
        "run",
        "flows/voicemail.ron",
        "--caller",
        caller.to_str().unwrap(),
        "--out",
        blocked.join("takes").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot write takes to"), "{}", text(&out.stderr));

    let request = dir.path().join("bad.json");
    std::fs::write(&request, r#"{"maxSilenceTimeoutInSeconds": 500, "playBeep": false}"#).unwrap();
    let out = run(&[
        "run",
        request.to_str().unwrap(),
        "--caller",
        caller.to_str().unwrap(),
        "--out",
        takes.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("maxSilenceTimeoutInSeconds = 500: must be 1–300 seconds"),
        "{}",
        text(&out.stderr)
    );
    assert!(takes_in(&takes).is_empty(), "no run, no take");
}

#[test]
fn a_run_killed_mid_take_leaves_a_playable_file_with_the_audio_so_far() {
    let dir = tempfile::tempdir().unwrap();
    // A long message, replayed at real-time pace so the run is still recording when it is killed.
    let message = speech_fixture("message-en.wav");
    let caller: Vec<f32> = message.iter().copied().cycle().take(16_000 * 30).collect();
    let caller_path = common::caller_wav(dir.path(), "long.wav", &caller);
    let request = dir.path().join("record.json");
    std::fs::write(
        &request,
        r#"{"playBeep": false, "maxRecordDurationInSeconds": 60, "maxSilenceTimeoutInSeconds": 30}"#,
    )
    .unwrap();
    let takes = dir.path().join("takes");
    let mut child = exe()
        .args([
            "run",
            request.to_str().unwrap(),
            "--caller",
            caller_path.to_str().unwrap(),
            "--out",
            takes.to_str().unwrap(),
            "--real-time",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the take's header says it holds at least 1.5 s, then kill the process without warning.
    let deadline = Instant::now() + Duration::from_secs(20);
    let take = loop {
        assert!(Instant::now() < deadline, "no take appeared");
        if let Some(t) = takes_in(&takes).first()
            && hound::WavReader::open(t).is_ok_and(|r| r.duration() >= 24_000)
        {
            break t.clone();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let mut r = hound::WavReader::open(&take).expect("the take opens after the kill");
    assert_eq!((r.spec().sample_rate, r.spec().channels, r.spec().bits_per_sample), (16_000, 1, 16));
    let held: Vec<i16> = r.samples::<i16>().map(|s| s.unwrap()).collect();
    assert!(held.len() >= 24_000, "{} samples", held.len());
    // It is the caller's audio, from the start of the recording.
    // (as `caller_wav` wrote it)
    let expected: Vec<i16> =
        caller[..held.len()].iter().map(|&s| (s * 32767.0).round().clamp(-32768.0, 32767.0) as i16).collect();
    assert_eq!(held, expected);
}
