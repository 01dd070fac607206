//! Flow files: the RON round trip, errors with line and column, version checks and atomic saves.

mod common;

use std::collections::BTreeMap;
use std::io::Write;

use common::repo;
use ivr_designer::model::{
    ApiProfile, Branches, Flow, FlowFileError, PlayPromptStep, Prompt, RecordStep, Step, Target, flow_to_ron,
    load_flow, parse_flow, save_flow, validate, write_atomically,
};

fn shipped() -> Vec<std::path::PathBuf> {
    ["voicemail.ron", "seed-example.ron", "survey.ron"].iter().map(|f| repo().join("flows").join(f)).collect()
}

#[test]
fn shipped_flows_load_validate_clean_and_round_trip() {
    for path in shipped() {
        let flow = load_flow(&path).unwrap_or_else(|e| panic!("{e}"));
        let report = validate(&flow, path.parent().unwrap());
        assert!(report.diagnostics.is_empty(), "{}: {report:#?}", path.display());
        let again = parse_flow(&flow_to_ron(&flow)).unwrap();
        assert_eq!(again, flow, "{}", path.display());
    }
}

#[test]
fn shipped_flows_have_the_promised_shape() {
    let voicemail = load_flow(&repo().join("flows/voicemail.ron")).unwrap();
    let kinds: Vec<_> = voicemail.steps.iter().map(|s| matches!(s, Step::Record(_))).collect();
    assert_eq!(kinds, [true, false], "record then thank-you");
    let Step::Record(record) = &voicemail.steps[0] else { unreachable!() };
    assert_eq!(record.prompt_ids().len(), 1);
    assert!(record.play_beep);

    let survey = load_flow(&repo().join("flows/survey.ron")).unwrap();
    assert!(survey.record_steps().count() >= 3);
    let branching =
        survey.steps.iter().flat_map(|s| s.branches()).filter(|(_, t)| matches!(t, Target::Step(_))).count();
    assert!(branching >= 5, "the survey branches: {branching}");
}

fn every_field_flow() -> Flow {
    let mut record = RecordStep::new("record \"quoted\" ✓");
    record.prompts = Some(vec!["p1".into()]);
    record.barge_in_allowed = Some(false);
    record.initial_silence_timeout_in_seconds = Some(-3);
    record.max_silence_timeout_in_seconds = Some(300);
    record.max_record_duration_in_seconds = Some(0);
    record.play_beep = false;
    record.stop_tones = Some(vec![]);
    record.client_context = Some("line one\nline two \\ \" ' ) ]".into());
    record.stream_while_recording = Some(true);
    record.on = Branches {
        no_speech: Target::Step("again".into()),
        end_of_speech: Target::End,
        max_duration: Target::Next,
        stop_tone: Target::Step("again".into()),
        stop_tone_keys: BTreeMap::from([("#".into(), Target::End), ("1".into(), Target::Step("again".into()))]),
        failure: Target::End,
    };
    Flow {
        prompts: vec![
            Prompt {
                id: "p1".into(),
                file: Some("a b/c.wav".into()),
                uri: "https://x/y.wav".into(),
                resource_id: None,
            },
            Prompt { id: "p2".into(), file: None, uri: String::new(), resource_id: Some("r".into()) },
        ],
        steps: vec![
            Step::Record(record),
            Step::PlayPrompt(PlayPromptStep { name: "again".into(), prompt: "p2".into(), next: Target::Next }),
        ],
        ..Flow::new("Every field", ApiProfile::V1RecordResponse)
    }
}

#[test]
fn every_field_survives_save_and_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("every.ron");
    let flow = every_field_flow();
    save_flow(&path, &flow).unwrap();
    assert_eq!(load_flow(&path).unwrap(), flow);
    // Absent parameters stay absent (they mean "Graph's default"), distinct from set ones.
    let bare = Flow { steps: vec![Step::Record(RecordStep::new("bare"))], ..Flow::new("bare", ApiProfile::BetaRecord) };
    save_flow(&path, &bare).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("maxSilenceTimeoutInSeconds"), "{text}");
    assert_eq!(load_flow(&path).unwrap(), bare);
}

#[test]
fn syntax_errors_name_line_and_column() {
    let text = "(\n    formatVersion: 1,\n    name: \"x\"\n    profile: \"beta-record\",\n    steps: [],\n)";
    let e = parse_flow(text).unwrap_err();
    assert_eq!((e.line, e.column), (4, 5), "{e}");
    assert!(e.message.to_lowercase().contains("comma"), "{e}");
}

#[test]
fn unknown_fields_are_errors_that_name_the_field() {
    let original = std::fs::read_to_string(repo().join("flows/voicemail.ron")).unwrap();
    let text = original.replace("bargeInAllowed: true", "bargeInAlowed: true");
    let e = parse_flow(&text).unwrap_err();
    assert!(e.message.contains("bargeInAlowed") && e.message.contains("bargeInAllowed"), "{e}");
    let line = original.lines().position(|l| l.contains("bargeInAllowed")).unwrap() + 1;
    assert_eq!(e.line, line, "{e}");

    let e = parse_flow("(formatVersion: 1, name: \"x\", profile: \"beta-record\", steps: [], colour: 3)").unwrap_err();
    assert!(e.message.contains("`colour`"), "{e}");
}

#[test]
fn wrong_values_say_what_was_expected() {
    let e = parse_flow("(formatVersion: 1, name: \"x\", profile: \"beta\", steps: [])").unwrap_err();
    assert!(e.message.contains("beta-record") && e.message.contains("v1.0-recordResponse"), "{e}");
    let e = parse_flow(
        "(formatVersion: 1, name: \"x\", profile: \"beta-record\", steps: [Record(name: \"r\", maxSilenceTimeoutInSeconds: 2.5)])",
    )
    .unwrap_err();
    assert!(e.message.contains("`.5") && e.message.contains("whole number"), "{e}");
    let e = parse_flow("(formatVersion: 1, name: \"x\", steps: [])").unwrap_err();
    assert!(e.message.contains("profile"), "{e}");
}

#[test]
fn a_newer_format_is_reported_as_newer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.ron");
    std::fs::write(&path, "(formatVersion: 2, name: \"x\", profile: \"beta-record\", steps: [], shinyNewThing: 1)")
        .unwrap();
    match load_flow(&path) {
        Err(FlowFileError::NewerVersion { found: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
    // The current version with the same unknown field is a plain syntax error naming the field.
    std::fs::write(&path, "(formatVersion: 1, name: \"x\", profile: \"beta-record\", steps: [], shinyNewThing: 1)")
        .unwrap();
    let e = load_flow(&path).unwrap_err();
    assert!(matches!(&e, FlowFileError::Syntax { message, .. } if message.contains("shinyNewThing")), "{e}");
    assert!(e.to_string().starts_with(&format!("{}:1:", path.display())), "{e}");
}

#[test]
fn a_missing_file_says_which() {
    let e = load_flow(std::path::Path::new("/no/such/flow.ron")).unwrap_err();
    assert!(e.to_string().contains("/no/such/flow.ron"), "{e}");
}

#[test]
fn a_failed_save_leaves_the_old_file_intact_and_no_debris() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flow.ron");
    save_flow(&path, &every_field_flow()).unwrap();
    let before = std::fs::read(&path).unwrap();
    let result = write_atomically(&path, |f| {
        f.write_all(b"(formatVersion: 1, name: \"half")?;
        Err(std::io::Error::other("disk full"))
    });
    assert_eq!(result.unwrap_err().to_string(), "disk full");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("flow.ron")]);
}

#[test]
fn saving_into_a_missing_folder_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let e = save_flow(&dir.path().join("nope/flow.ron"), &every_field_flow()).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
}
