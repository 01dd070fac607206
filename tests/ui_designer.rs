//! The designer window, driven through its accessible labels as a person (or a screen reader) would.

mod common;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ivr_designer::model::export::request_body;
use ivr_designer::model::{ApiProfile, Step};
use ivr_designer::ui::DesignerApp;
use ivr_designer::ui::export_panel::{ExportTab, export_text};

/// The designer on a copy of a shipped flow: edits autosave beside the file, so never beside the real one.
fn harness(flow: &str) -> Harness<'static, DesignerApp> {
    let (dir, path) = scratch_flow(flow);
    let app = DesignerApp::open(&path).unwrap();
    // The copy must outlive this function (the harness does): leave it to the system's temporary folder.
    let _ = dir.keep();
    common::window(app)
}

fn record(app: &DesignerApp, i: usize) -> &ivr_designer::model::RecordStep {
    match &app.doc.flow.steps[i] {
        Step::Record(r) => r,
        Step::PlayPrompt(_) => panic!("step {i} is a record step"),
    }
}

#[test]
fn every_input_has_an_accessible_name() {
    let h = harness("voicemail.ron");
    for label in [
        "Step name",
        "Prompt",
        "Initial silence timeout (s)",
        "Max silence timeout (s)",
        "Max record duration (s)",
        "Play beep",
        "Barge-in allowed",
        "Client context",
        "API profile",
        "On no speech",
        "On end of speech",
        "On max duration",
        "On stop tone",
        "On failure",
        "+ Record step",
        "Copy JSON",
    ] {
        h.get_by_label(label);
    }
    for key in "0123456789*#ABCD".chars() {
        h.get_by_label(&format!("Stop tone {key}"));
    }
}

#[test]
fn a_timeout_past_the_v1_limit_is_an_error_until_the_profile_is_beta() {
    let mut h = harness("voicemail.ron");
    h.get_by_label("API profile").click();
    h.run();
    h.get_by_label("v1.0-recordResponse").click();
    h.run();
    assert_eq!(h.state().doc.flow.profile, ApiProfile::V1RecordResponse);

    // A new record step has Graph's defaults: its fields are empty.
    h.get_by_label("+ Record step").click();
    h.run();
    let step = h.state().selected.unwrap();
    h.get_by_label("Max silence timeout (s)").focus();
    h.run();
    h.get_by_label("Max silence timeout (s)").type_text("200");
    h.run();
    assert_eq!(record(h.state(), step).max_silence_timeout_in_seconds, Some(200));
    h.get_by_label_contains("must be 1–120 seconds in v1.0-recordResponse");
    h.get_by_label("⛔ Error:");

    h.get_by_label("API profile").click();
    h.run();
    h.get_by_label("beta-record").click();
    h.run();
    assert!(h.query_by_label_contains("must be 1–").is_none(), "200 s is fine in beta");
    assert!(!h.state().doc.report.has_errors());
}

#[test]
fn stop_tones_are_picked_on_the_keypad_and_undo_takes_them_back() {
    let mut h = harness("voicemail.ron");
    assert_eq!(record(h.state(), 0).stop_tone_list(), ["#"]);
    h.get_by_label("Stop tone 1").click();
    h.run();
    h.get_by_label("Stop tone *").click();
    h.run();
    assert_eq!(record(h.state(), 0).stop_tone_list(), ["#", "1", "*"]);
    assert!(h.state().doc.is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(record(h.state(), 0).stop_tone_list(), ["#", "1"]);
    h.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
    h.run();
    assert_eq!(record(h.state(), 0).stop_tone_list(), ["#", "1", "*"]);
    // Undo everything: back to the file as it was.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(!h.state().doc.is_dirty());
}

#[test]
fn the_export_panel_shows_the_models_export() {
    let mut h = harness("seed-example.ron");
    let shown = h.get_by_label_contains("Request body —").value().expect("the JSON is readable");
    let flow = &h.state().doc.flow;
    let Step::Record(step) = &flow.steps[0] else { unreachable!() };
    let expected = serde_json::to_string_pretty(&request_body(flow, step).unwrap()).unwrap();
    assert_eq!(shown, expected);
    let seed: serde_json::Value = serde_json::from_str(&common::graph_example("seed-request.json")).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&shown).unwrap(), seed);

    h.get_by_label("HTTP request and response").click();
    h.run();
    let http = h.get_by_label_contains("HTTP request and response —").value().unwrap();
    assert_eq!(http, export_text(&h.state().doc.flow, 0, ExportTab::Http).unwrap());
    assert!(http.contains("/communications/calls/{callId}/record"));
}

#[test]
fn renaming_a_step_keeps_the_branches_that_lead_to_it() {
    let mut h = harness("survey.ron");
    // Select "sorry" and rename it.
    h.get_by_label("🔊 sorry").click();
    h.run();
    h.get_by_label("Step name").focus();
    h.run();
    h.get_by_label("Step name").type_text("-please");
    h.run();
    let flow = &h.state().doc.flow;
    assert!(flow.step("sorry-please").is_some());
    assert_eq!(record(h.state(), 1).on.no_speech, ivr_designer::model::Target::Step("sorry-please".into()));
    assert!(!h.state().doc.report.has_errors(), "{:#?}", h.state().doc.report);
}

#[test]
fn the_canvas_shows_every_step_and_selects_one_on_click() {
    let mut h = harness("survey.ron");
    for name in ["welcome", "ask-rating", "sorry", "ask-rating-again", "ask-why", "thanks", "End"] {
        h.get_by_label(&format!("Node {name}"));
    }
    // Through accessibility, as a screen reader would (the canvas is zoomed, so pointer positions are its own).
    h.get_by_label("Node ask-why").click_accesskit();
    h.run();
    assert_eq!(h.state().selected, Some(4));
    assert_eq!(h.get_by_label("Step name").value().as_deref(), Some("ask-why"));
}

#[test]
fn a_prompt_in_the_wrong_format_is_converted_with_one_click() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("audio")).unwrap();
    common::write_wav(&dir.path().join("audio/hello.wav"), 44_100, 2, 16, false);
    let flow = ivr_designer::model::Flow {
        prompts: vec![ivr_designer::model::Prompt {
            id: "hello".into(),
            file: Some("audio/hello.wav".into()),
            uri: "https://cdn.contoso.com/hello.wav".into(),
            resource_id: None,
        }],
        ..ivr_designer::model::Flow::new("convert", ApiProfile::BetaRecord)
    };
    let path = dir.path().join("flow.ron");
    ivr_designer::model::save_flow(&path, &flow).unwrap();
    let app = DesignerApp::open(&path).unwrap();
    assert!(app.doc.report.with_rule(ivr_designer::model::Rule::PromptFileFormat).next().is_some());
    let mut h = common::window(app);
    h.get_by_label("Prompt library").click();
    h.run();
    h.get_by_label("44100 Hz, stereo, 16-bit PCM WAV, 0.10 s");
    h.get_by_label("Convert to 16 kHz mono 16-bit").click();
    h.run();
    assert_eq!(h.state().doc.flow.prompts[0].file.as_deref(), Some("audio/hello-16k.wav"));
    assert!(h.state().doc.report.with_rule(ivr_designer::model::Rule::PromptFileFormat).next().is_none());
    let f = ivr_designer::media::inspect_wav(&dir.path().join("audio/hello-16k.wav")).unwrap();
    assert!(f.is_graph_format());
    assert!((f.duration_seconds() - 0.1).abs() < 0.002, "{f}");
    // The original is left as it was.
    assert_eq!(ivr_designer::media::inspect_wav(&dir.path().join("audio/hello.wav")).unwrap().sample_rate, 44_100);
}

/// A copy of a shipped flow in a temporary folder (prompts pointing at the shipped files), for tests that write.
fn scratch_flow(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_flow(name, dir.path());
    (dir, path)
}

#[test]
fn unsaved_edits_are_autosaved_within_seconds_and_offered_back_next_time() {
    let (_dir, path) = scratch_flow("voicemail.ron");
    let app = DesignerApp::open(&path).unwrap();
    assert!(app.restore_offer.is_none());
    let mut h = common::window(app);
    h.get_by_label("Stop tone 5").click();
    h.run();
    let autosave = ivr_designer::ui::autosave::autosave_path(Some(&path));
    assert!(!autosave.exists(), "not written at once");
    for _ in 0..16 {
        h.step(); // 4 s of the harness's own clock
    }
    assert!(autosave.exists(), "written a few seconds after the edit");
    drop(h); // the "crash": nothing saved

    let app = DesignerApp::open(&path).unwrap();
    let offered = app.restore_offer.clone().expect("the unsaved work is offered");
    assert!(offered.record_steps().next().unwrap().stop_tone_list().contains(&"5".to_string()));
    let mut h = common::window(app);
    h.get_by_label("Restore them").click();
    h.run();
    assert!(h.state().doc.is_dirty());
    assert_eq!(record(h.state(), 0).stop_tone_list(), ["#", "5"]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(!h.state().doc.is_dirty());
    assert!(!autosave.exists(), "saving removes the autosave");
    assert_eq!(ivr_designer::model::load_flow(&path).unwrap(), h.state().doc.flow);
}

#[test]
fn discarding_the_offer_removes_the_autosave() {
    let (_dir, path) = scratch_flow("voicemail.ron");
    let mut changed = ivr_designer::model::load_flow(&path).unwrap();
    changed.name = "Changed".into();
    ivr_designer::ui::autosave::write(Some(&path), &changed).unwrap();
    let app = DesignerApp::open(&path).unwrap();
    let mut h = common::window(app);
    h.get_by_label("Discard them").click();
    h.run();
    assert!(h.state().restore_offer.is_none());
    assert_eq!(h.state().doc.flow.name, "Voicemail");
    assert!(!ivr_designer::ui::autosave::autosave_path(Some(&path)).exists());
}

/// A file dropped onto the window, as the windowing system hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_files(h: &mut Harness<'static, DesignerApp>, files: &[std::path::PathBuf]) {
    for f in files {
        h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(f.clone())));
    }
    h.run();
}

#[test]
fn wav_files_dropped_onto_the_window_join_the_prompt_library() {
    let (dir, path) = scratch_flow("voicemail.ron");
    common::write_wav(&dir.path().join("menu.wav"), 16_000, 1, 16, false);
    common::write_wav(&dir.path().join("menu 2.wav"), 8_000, 1, 16, false);
    std::fs::write(dir.path().join("notes.txt"), "not audio").unwrap();
    let app = DesignerApp::open(&path).unwrap();
    let before = app.doc.flow.prompts.len();
    let mut h = common::window(app);
    drop_files(&mut h, &[dir.path().join("menu.wav"), dir.path().join("menu 2.wav")]);
    let prompts = &h.state().doc.flow.prompts;
    assert_eq!(prompts.len(), before + 2);
    let added = &prompts[before];
    assert_eq!((added.id.as_str(), added.file.as_deref()), ("menu", Some("menu.wav")));
    // Beside the library's other prompts, ready to be edited.
    assert_eq!(added.uri, "https://cdn.contoso.com/ivr/menu.wav");
    assert_eq!(prompts[before + 1].id, "menu-2");
    // The library opens and shows the new prompts' formats; the 8 kHz one can be converted.
    h.get_by_label("16000 Hz, mono, 16-bit PCM WAV, 0.10 s");
    h.get_by_label("8000 Hz, mono, 16-bit PCM WAV, 0.10 s");
    h.get_by_label("Convert to 16 kHz mono 16-bit");
    assert!(h.state().doc.is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.flow.prompts.len(), before + 1, "undo takes back one added prompt");

    drop_files(&mut h, &[dir.path().join("notes.txt")]);
    let (ok, message) = h.state().status.clone().unwrap();
    assert!(!ok && message.contains("notes.txt") && message.contains("not a WAV"), "{message}");
}

#[test]
fn a_broken_wav_dropped_onto_the_window_is_refused_with_the_reason() {
    let (dir, path) = scratch_flow("voicemail.ron");
    std::fs::write(dir.path().join("broken.wav"), b"RIFF\x10\0\0\0WAVEjunk").unwrap();
    let app = DesignerApp::open(&path).unwrap();
    let before = app.doc.flow.clone();
    let mut h = common::window(app);
    drop_files(&mut h, &[dir.path().join("broken.wav")]);
    assert_eq!(h.state().doc.flow, before);
    let (ok, message) = h.state().status.clone().unwrap();
    assert!(!ok && message.contains("broken.wav cannot be a prompt"), "{message}");
}

#[test]
fn a_pasted_request_becomes_a_step_that_exports_the_same_json() {
    let mut h = harness("voicemail.ron");
    let steps = h.state().doc.flow.steps.len();
    let seed = common::graph_example("seed-request.json");
    h.get_by_label("Import JSON…").click();
    h.run();
    // Broken JSON first: the window says where, and keeps the text.
    h.get_by_label("Request JSON").click();
    h.run();
    h.get_by_label("Request JSON").type_text("{ \"playBeep\": tru }");
    h.run();
    h.get_by_label("Import").click();
    h.run();
    h.get_by_label_contains("line 1, column");
    assert_eq!(h.state().doc.flow.steps.len(), steps, "nothing imported");

    h.get_by_label("Cancel").click();
    h.run();
    h.get_by_label("Import JSON…").click();
    h.run();
    h.get_by_label("Request JSON").click();
    h.run();
    h.get_by_label("Request JSON").type_text(&seed);
    h.run();
    h.get_by_label("Import").click();
    h.run();
    let app = h.state();
    assert_eq!(app.doc.flow.steps.len(), steps + 1);
    assert_eq!(app.selected, Some(steps));
    let Step::Record(r) = &app.doc.flow.steps[steps] else { panic!("a record step") };
    let exported = request_body(&app.doc.flow, r).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&seed).unwrap();
    assert_eq!(exported, expected);
    assert!(h.query_by_label("Request JSON").is_none(), "the import window closed");
}

#[test]
fn opened_and_saved_flows_are_listed_under_open_recent() {
    let (dir, path) = scratch_flow("voicemail.ron");
    let mut h = harness("survey.ron");
    h.state_mut().apply(ivr_designer::ui::commands::Command::Open(path.clone()));
    h.run();
    assert_eq!(h.state().doc.flow.name, "Voicemail");
    let copy = dir.path().join("copy.ron");
    h.state_mut().apply(ivr_designer::ui::commands::Command::SaveAs(copy.clone()));
    h.run();
    assert_eq!(h.state().doc.path.as_deref(), Some(copy.as_path()));
    assert_eq!(ivr_designer::model::load_flow(&copy).unwrap(), h.state().doc.flow);
    assert_eq!(h.state().recent, [copy.clone(), path.clone()]);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open… Ctrl+O");
    h.get_by_label("Save as… Ctrl+Shift+S");
    h.get_by_label("Open recent ⏵").hover();
    h.run();
    h.get_by_label(&path.display().to_string()).click();
    h.run();
    assert_eq!(h.state().doc.path.as_deref(), Some(path.as_path()));
    assert_eq!(h.state().recent, [path.clone(), copy.clone()]);
    // A file that cannot be opened says why and changes nothing.
    h.state_mut().apply(ivr_designer::ui::commands::Command::Open(dir.path().join("missing.ron")));
    h.run();
    assert_eq!(h.state().doc.path.as_deref(), Some(path.as_path()));
    assert!(!h.state().status.clone().unwrap().0);
}

#[test]
fn a_recorded_prompt_is_trimmed_normalised_and_saved_into_the_library() {
    let (dir, path) = scratch_flow("voicemail.ron");
    let app = DesignerApp::open(&path).unwrap();
    let before = app.doc.flow.prompts.len();
    let mut h = common::window(app);
    h.get_by_label("Prompt library").click();
    h.run();
    h.get_by_label("🎙 Record a prompt…").click();
    h.run();
    h.get_by_label("⏺ Record");
    h.get_by_label("Prompt name").click();
    h.run();
    h.get_by_label("Prompt name").type_text("-menu");
    h.run();
    assert_eq!(h.state().studio.name, "new-prompt-menu");
    // What the microphone gave (the recorder itself is tested live): a second of room noise, a quiet voice, more room.
    let mut recorded = vec![0.0005f32; 16_000];
    recorded.extend(common::speech_fixture("short-yes.wav").iter().map(|x| x * 0.2));
    recorded.extend(vec![0.0005f32; 16_000]);
    h.state_mut().studio.recorded = Some(recorded.clone());
    h.run();
    h.get_by_label_contains("Recorded 4.65 s; the prompt is");
    h.get_by_label("💾 Save to the prompt library").click();
    h.run();

    let saved = dir.path().join("prompts/new-prompt-menu.wav");
    let f = ivr_designer::media::inspect_wav(&saved).unwrap();
    assert!(f.is_graph_format(), "{f}");
    let samples = ivr_designer::engine::prompt::load_prompt(&saved).unwrap();
    let peak = samples.iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!((20.0 * peak.log10() + 1.0).abs() < 0.05, "normalised to −1 dBFS");
    assert!(samples.len() < recorded.len() - 16_000, "the room noise around the voice is trimmed");
    let prompts = &h.state().doc.flow.prompts;
    assert_eq!(prompts.len(), before + 1);
    assert_eq!(prompts[before].file.as_deref(), Some("prompts/new-prompt-menu.wav"));

    // The same name again is refused; nothing is overwritten.
    h.state_mut().studio.recorded = Some(recorded);
    h.run();
    h.get_by_label("💾 Save to the prompt library").click();
    h.run();
    h.get_by_label_contains("already exists: choose another name");
    assert_eq!(h.state().doc.flow.prompts.len(), before + 1);
}
