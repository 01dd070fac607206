//! Running a flow from the window: the engine on its own thread, the timeline of what happened, the takes list.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ivr_designer::ui::DesignerApp;
use ivr_designer::ui::commands::{Command, RunCommand};

/// The voicemail flow copied to a temporary folder (its takes land there), in the run view.
fn run_view(dir: &Path) -> Harness<'static, DesignerApp> {
    let app = DesignerApp::open(&common::copy_flow("voicemail.ron", dir)).unwrap();
    let mut h = common::window(app);
    h.get_by_label("▶ Run & listen").click();
    h.run();
    h
}

/// Let the engine (its own thread) finish; the window keeps drawing meanwhile.
fn until_finished(h: &mut Harness<'static, DesignerApp>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    h.step(); // the click on Run
    while h.state().run.is_running() {
        assert!(Instant::now() < deadline, "the run did not finish");
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run();
}

fn caller() -> std::path::PathBuf {
    common::repo().join("flows/callers/leaves-a-message.wav")
}

#[test]
fn every_input_of_the_run_view_has_an_accessible_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = run_view(dir.path());
    h.get_by_label("Speak into the microphone").click();
    h.run();
    for label in [
        "Replay a WAV file as the caller",
        "Speak into the microphone",
        "Microphone",
        "Speaker (prompts, beep, listening)",
        "▶ Run",
        "⏹ Cancel",
        "☎ Hang up",
        "Remove takes older than (days, 0 = never)",
        "Filter by reason",
        "Export CSV…",
        "Export JSON…",
    ] {
        h.get_by_label(label);
    }
    h.get_by_label("Replay a WAV file as the caller").click();
    h.run();
    for label in ["Choose…", "Caller hangs up at", "At the pace of a real call"] {
        h.get_by_label(label);
    }
}

#[test]
fn a_replayed_caller_runs_the_voicemail_flow_and_the_timeline_shows_why_it_ended() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = run_view(dir.path());
    h.state_mut().apply(Command::SetCallerWav(caller()));
    h.get_by_label("At the pace of a real call").click();
    h.run();
    assert!(!h.state().run.settings.real_time);
    h.get_by_label("▶ Run").click();
    until_finished(&mut h);

    let run = &h.state().run;
    assert_eq!(run.error, None);
    let steps: Vec<&str> = run.operations.iter().map(|o| o.step.as_str()).collect();
    assert_eq!(steps, ["record-message", "thank-you"]);
    // The timeline shows the record operation: its events and why it ended.
    h.get_by_label("1. record-message (maxSilenceTimeout)").click();
    h.run();
    h.get_by_label_contains("Completed: maxSilenceTimeout at");
    h.get_by_label_contains("Events of record-message").click();
    h.run();
    for kind in ["promptStarted", "beepEnded", "recordingStarted", "speechStarted", "speechEnded", "completed"] {
        assert!(h.query_all_by_label_contains(kind).next().is_some(), "{kind} on the timeline");
    }
    // The timers as the caller used them: 3 s of silence reached its 3 s limit.
    h.get_by_label("Max silence: 3.0 of 3 s");
    // The result the bot gets.
    h.get_by_label("Copy recordOperation");
    let shown: Vec<String> = h.get_all_by_label("commsNotifications body").filter_map(|n| n.value()).collect();
    assert!(shown.iter().any(|v| v.contains("\"completionReason\": \"maxSilenceTimeout\"")), "{shown:?}");

    // The take is in the list and on disk, with its speech time.
    let takes = &h.state().run.takes;
    assert_eq!(takes.entries.len(), 1);
    let take = &takes.entries[0];
    assert_eq!((take.step.as_str(), take.reason.as_str()), ("record-message", "maxSilenceTimeout"));
    assert!(take.speech_ms > 5_000.0 && take.speech_ms < take.duration_ms, "{take:?}");
    assert!(dir.path().join("takes").join(&take.file).exists());
    assert!(dir.path().join("takes/takes.json").exists());
}

#[test]
fn a_rated_take_shows_in_the_exported_list_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = run_view(dir.path());
    h.state_mut().apply(Command::Run(RunCommand::Settings(ivr_designer::ui::run_state::RunSettings {
        caller_wav: Some(caller()),
        real_time: false,
        hang_up_at_s: Some(9.0),
        ..Default::default()
    })));
    h.get_by_label("▶ Run").click();
    until_finished(&mut h);
    let file = h.state().run.takes.entries[0].file.clone();
    // Hung up: Graph reports the failure and loses the recording; the designer keeps the take.
    assert_eq!(h.state().run.stopped.as_deref(), Some("the caller hung up"));
    h.get_by_label(&format!("Rate {file} 4 of 5")).click();
    h.run();
    h.get_by_label(&format!("Note for {file}")).click();
    h.run();
    h.get_by_label(&format!("Note for {file}")).type_text("clipped at the end, \"hello\"");
    h.run();
    let run = &h.state().run;
    let csv = run.takes.to_csv(&run.shown_takes());
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with(&format!("{file},Voicemail,record-message,")), "{row}");
    assert!(row.ends_with(",4,\"clipped at the end, \"\"hello\"\"\""), "{row}");
    let json: serde_json::Value = serde_json::from_str(&run.takes.to_json(&run.shown_takes())).unwrap();
    assert_eq!(json[0]["rating"], 4);

    // Export through the dialog's answer: the file holds the list.
    let exported = dir.path().join("session.csv");
    h.state_mut().apply(Command::WriteText(exported.clone(), csv.clone()));
    assert_eq!(std::fs::read_to_string(&exported).unwrap(), csv);

    // Filtering by another reason hides it.
    h.state_mut().apply(Command::Run(RunCommand::Filter(Some("maxRecordDurationTimeout".into()))));
    h.run();
    assert!(h.query_by_label(&format!("Rate {file} 4 of 5")).is_none());

    // The rating and note are kept with the takes.
    drop(h);
    let h = run_view(dir.path());
    let entry = &h.state().run.takes.entries[0];
    assert_eq!((entry.rating, entry.note.as_str()), (Some(4), "clipped at the end, \"hello\""));
}

#[test]
fn deleting_a_take_removes_its_file_and_old_takes_are_offered_for_removal() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = run_view(dir.path());
    h.state_mut().apply(Command::SetCallerWav(caller()));
    h.get_by_label("At the pace of a real call").click();
    h.run();
    for _ in 0..2 {
        h.get_by_label("▶ Run").click();
        until_finished(&mut h);
    }
    let takes = h.state().run.takes.entries.clone();
    assert_eq!(takes.len(), 2, "each run adds its take");
    let first = dir.path().join("takes").join(&takes[0].file);
    h.get_by_label(&format!("Delete take {}", takes[0].file)).click();
    h.run();
    assert!(!first.exists());
    assert_eq!(h.state().run.takes.entries.len(), 1);

    // Age the remaining take by 40 days: opening the flow again offers to remove it.
    let mut log = ivr_designer::engine::takes_log::TakesLog::load(&dir.path().join("takes")).unwrap();
    log.entries[0].recorded_at -= 40 * 86_400_000;
    log.save().unwrap();
    drop(h);
    let mut h = run_view(dir.path());
    h.get_by_label_contains("take(s) in");
    h.get_by_label("Remove them").click();
    h.run();
    assert!(h.state().run.takes.entries.is_empty());
    assert!(!dir.path().join("takes").join(&takes[1].file).exists());
}

#[test]
fn a_missing_caller_file_is_said_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = run_view(dir.path());
    h.state_mut().apply(Command::SetCallerWav(dir.path().join("nobody.wav")));
    h.get_by_label("▶ Run").click();
    until_finished(&mut h);
    let error = h.state().run.error.clone().expect("an error");
    assert!(error.contains("nobody.wav"), "{error}");
    assert!(h.query_all_by_label_contains("The caller file cannot be replayed").next().is_some());
}

#[test]
fn a_takes_folder_that_cannot_be_written_is_said_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("takes"), "a file where the takes folder should be").unwrap();
    let mut h = run_view(dir.path());
    h.state_mut().apply(Command::SetCallerWav(caller()));
    h.get_by_label("▶ Run").click();
    until_finished(&mut h);
    let error = h.state().run.error.clone().expect("an error");
    assert!(error.contains("cannot write takes to") && error.contains("takes"), "{error}");
    assert!(h.query_all_by_label_contains("cannot write takes to").next().is_some());
    assert!(h.state().run.operations.is_empty(), "nothing ran");
}
