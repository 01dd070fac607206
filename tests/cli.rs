//! The command line as a user runs it: exit codes, stdout, stderr.

mod common;

use std::process::{Command, Output};

use common::{graph_example, repo};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ivr-designer")).args(args).current_dir(repo()).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn flow_with_max_silence(dir: &std::path::Path, seconds: u32) -> std::path::PathBuf {
    let original = std::fs::read_to_string(repo().join("flows/voicemail.ron")).unwrap();
    let changed = original
        .replace("maxSilenceTimeoutInSeconds: 3", &format!("maxSilenceTimeoutInSeconds: {seconds}"))
        .replace("../assets/", &format!("{}/assets/", repo().display()));
    assert_ne!(original, changed);
    let path = dir.join("flow.ron");
    std::fs::write(&path, changed).unwrap();
    path
}

#[test]
fn export_of_the_seed_flow_prints_the_seed_request() {
    let out = run(&["export", "flows/seed-example.ron"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let seed: Value = serde_json::from_str(&graph_example("seed-request.json")).unwrap();
    assert_eq!(printed, seed);
}

#[test]
fn check_of_200_seconds_fails_in_v1_and_passes_in_beta() {
    let dir = tempfile::tempdir().unwrap();
    let path = flow_with_max_silence(dir.path(), 200);
    let path = path.to_str().unwrap();
    let beta = run(&["check", path]);
    assert_eq!(beta.status.code(), Some(0), "{}", text(&beta.stdout));
    let v1 = run(&["check", path, "--profile", "v1.0-recordResponse"]);
    assert_eq!(v1.status.code(), Some(1));
    let said = text(&v1.stdout);
    assert!(said.contains("maxSilenceTimeoutInSeconds = 200") && said.contains("1–120"), "{said}");

    // The same, written into the file's own profile.
    let as_v1 = std::fs::read_to_string(path).unwrap().replace("\"beta-record\"", "\"v1.0-recordResponse\"");
    std::fs::write(path, as_v1).unwrap();
    assert_eq!(run(&["check", path]).status.code(), Some(1));
    assert_eq!(run(&["check", path, "--profile", "beta-record"]).status.code(), Some(0));
}

#[test]
fn check_reports_warnings_with_exit_zero_and_unreadable_files_with_two() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("warn.ron");
    let flow = std::fs::read_to_string(repo().join("flows/voicemail.ron"))
        .unwrap()
        .replace("../assets/", &format!("{}/assets/", repo().display()))
        .replace("https://cdn.contoso.com/ivr/voicemail-thanks.wav", "http://cdn.contoso.com/thanks.wav");
    std::fs::write(&path, flow).unwrap();
    let out = run(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("warning[prompt-uri-not-https]"), "{}", text(&out.stdout));

    let json = run(&["check", path.to_str().unwrap(), "--json"]);
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["warnings"], 1);
    assert_eq!(doc["diagnostics"][0]["rule"], "prompt-uri-not-https");

    std::fs::write(&path, "(formatVersion: 1,\n name: oops)").unwrap();
    let out = run(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("warn.ron:2:"), "{}", text(&out.stderr));
    assert_eq!(run(&["check", "no/such.ron"]).status.code(), Some(2));
}

#[test]
fn export_refuses_invalid_steps_unless_forced_and_names_the_step_to_pick() {
    let dir = tempfile::tempdir().unwrap();
    let path = flow_with_max_silence(dir.path(), 200);
    let path = path.to_str().unwrap();
    let refused = run(&["export", path, "--profile", "v1.0-recordResponse"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(refused.stdout.is_empty());
    assert!(text(&refused.stderr).contains("--force"));
    let forced = run(&["export", path, "--profile", "v1.0-recordResponse", "--force"]);
    assert_eq!(forced.status.code(), Some(0));
    let body: Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert_eq!(body["maxSilenceTimeoutInSeconds"], 200);

    let many = run(&["export", "flows/survey.ron"]);
    assert_eq!(many.status.code(), Some(1));
    assert!(text(&many.stderr).contains("ask-rating, ask-rating-again, ask-why"), "{}", text(&many.stderr));
    let one = run(&["export", "flows/survey.ron", "--step", "ask-why", "--http"]);
    assert_eq!(one.status.code(), Some(0), "{}", text(&one.stderr));
    let doc: Value = serde_json::from_slice(&one.stdout).unwrap();
    assert!(doc["request"]["url"].as_str().unwrap().ends_with("/recordResponse"));
}

#[test]
fn import_writes_a_flow_that_exports_the_same_request() {
    let dir = tempfile::tempdir().unwrap();
    let request = dir.path().join("req.json");
    std::fs::write(&request, graph_example("seed-request.json")).unwrap();
    let flow = dir.path().join("imported.ron");
    let (request, flow) = (request.to_str().unwrap(), flow.to_str().unwrap());
    let out = run(&["import", request, "-o", flow]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let again = run(&["export", flow, "--force"]);
    let exported: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(exported, serde_json::from_str::<Value>(&graph_example("seed-request.json")).unwrap());

    // An existing file is not replaced without --force.
    let before = std::fs::read(flow).unwrap();
    let refused = run(&["import", request, "-o", flow, "--profile", "v1.0-recordResponse"]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(std::fs::read(flow).unwrap(), before);
    assert_eq!(
        run(&["import", request, "-o", flow, "--profile", "v1.0-recordResponse", "--force"]).status.code(),
        Some(0)
    );
    assert!(std::fs::read_to_string(flow).unwrap().contains("v1.0-recordResponse"));
}

#[test]
fn import_of_something_that_is_not_a_request_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, "{\"playBeep\": tru}").unwrap();
    let out = run(&["import", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not valid JSON at line 1"), "{}", text(&out.stderr));
    std::fs::write(&path, "{\"playBeep\": true, \"bargeIn\": true}").unwrap();
    let out = run(&["import", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("unknown property \"bargeIn\""), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("formatVersion: 1"));
}

#[test]
fn without_a_display_the_window_says_what_to_do() {
    let out = Command::new(env!("CARGO_BIN_EXE_ivr-designer"))
        .current_dir(repo())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("xvfb-run"), "{err}");

    let out = run(&["no/such/flow.ron"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/flow.ron"), "{}", text(&out.stderr));
}
