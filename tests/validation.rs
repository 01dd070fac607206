//! Every validation rule: one case that trips it and one that passes it.

mod common;

use common::{Fixture, write_wav};
use ivr_designer::model::validate::validate_record_step;
use ivr_designer::model::{
    ApiProfile, Flow, PlayPromptStep, Prompt, RecordStep, Report, Rule, Severity, Step, Target, validate,
};

fn check(fx: &Fixture) -> Report {
    validate(&fx.flow, fx.dir.path())
}

fn has(report: &Report, rule: Rule) -> bool {
    report.with_rule(rule).next().is_some()
}

fn only(report: &Report, rule: Rule) -> ivr_designer::model::Diagnostic {
    let found: Vec<_> = report.with_rule(rule).cloned().collect();
    assert_eq!(found.len(), 1, "expected one {rule:?}, got {found:#?}\nall: {report:#?}");
    found.into_iter().next().unwrap()
}

#[test]
fn the_fixture_is_clean() {
    let fx = Fixture::new(ApiProfile::V1RecordResponse);
    let report = check(&fx);
    assert!(report.diagnostics.is_empty(), "{report:#?}");
}

#[test]
fn timers_follow_the_profile_range() {
    for field in ["initialSilenceTimeoutInSeconds", "maxSilenceTimeoutInSeconds", "maxRecordDurationInSeconds"] {
        let set = |fx: &mut Fixture, v: i64| {
            let r = fx.record();
            match field {
                "initialSilenceTimeoutInSeconds" => r.initial_silence_timeout_in_seconds = Some(v),
                "maxSilenceTimeoutInSeconds" => r.max_silence_timeout_in_seconds = Some(v),
                _ => r.max_record_duration_in_seconds = Some(v),
            }
        };
        let mut fx = Fixture::new(ApiProfile::V1RecordResponse);
        set(&mut fx, 200);
        let d = only(&check(&fx), Rule::TimerRange);
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.field, field);
        assert_eq!(d.value, "200");
        assert!(d.message.contains("1–120") && d.message.contains("v1.0-recordResponse"), "{}", d.message);
        assert_eq!(d.place.to_string(), "step \"record-1\"");

        fx.flow.profile = ApiProfile::BetaRecord;
        assert!(!has(&check(&fx), Rule::TimerRange), "200 s is fine in beta");

        for (profile, bad, good) in [
            (ApiProfile::BetaRecord, 301, 300),
            (ApiProfile::BetaRecord, 0, 1),
            (ApiProfile::V1RecordResponse, 121, 120),
        ] {
            fx.flow.profile = profile;
            set(&mut fx, bad);
            assert!(has(&check(&fx), Rule::TimerRange), "{field} = {bad} in {profile}");
            set(&mut fx, good);
            assert!(!has(&check(&fx), Rule::TimerRange), "{field} = {good} in {profile}");
        }
    }
}

#[test]
fn at_most_one_prompt() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    let mut second = fx.flow.prompts[0].clone();
    second.id = "again".into();
    fx.flow.prompts.push(second);
    fx.record().prompts = Some(vec!["hello".into(), "again".into()]);
    let d = only(&check(&fx), Rule::TooManyPrompts);
    assert_eq!((d.severity, d.field.as_str()), (Severity::Error, "prompts"));
    assert_eq!(d.value, "[\"hello\", \"again\"]");
    fx.record().prompts = Some(vec!["again".into()]);
    assert!(!has(&check(&fx), Rule::TooManyPrompts));
}

#[test]
fn prompts_must_be_in_the_library() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.record().prompts = Some(vec!["nope".into()]);
    fx.flow.steps.push(Step::PlayPrompt(PlayPromptStep {
        name: "bye".into(),
        prompt: "gone".into(),
        next: Target::End,
    }));
    let report = check(&fx);
    let found: Vec<_> = report.with_rule(Rule::UnknownPrompt).map(|d| (d.field.clone(), d.value.clone())).collect();
    assert_eq!(found, vec![("prompts[0]".into(), "\"nope\"".into()), ("prompt".into(), "\"gone\"".into())]);
    fx.record().prompts = Some(vec!["hello".into()]);
    if let Step::PlayPrompt(p) = &mut fx.flow.steps[1] {
        p.prompt = "hello".into();
    }
    assert!(!has(&check(&fx), Rule::UnknownPrompt));
}

#[test]
fn client_context_is_at_most_256_characters() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    // Characters, not bytes: 256 two-byte characters are allowed.
    fx.record().client_context = Some("é".repeat(256));
    assert!(!has(&check(&fx), Rule::ClientContextTooLong));
    fx.record().client_context = Some("x".repeat(257));
    let d = only(&check(&fx), Rule::ClientContextTooLong);
    assert_eq!((d.severity, d.field.as_str()), (Severity::Error, "clientContext"));
    assert!(d.message.contains("257") && d.message.contains("256"), "{}", d.message);
}

#[test]
fn stop_tones_are_single_dtmf_keys() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.record().stop_tones =
        Some(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"].map(String::from).into());
    assert!(check(&fx).diagnostics.is_empty());
    for bad in ["x", "##", "", "10", " #", "a"] {
        fx.record().stop_tones = Some(vec![bad.into()]);
        let d = only(&check(&fx), Rule::StopToneInvalid);
        assert_eq!((d.severity, d.field.as_str()), (Severity::Error, "stopTones[0]"), "{bad:?}");
        assert_eq!(d.value, format!("\"{bad}\""));
    }
}

#[test]
fn keys_a_to_d_are_allowed_with_a_warning() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.record().stop_tones = Some(vec!["#".into(), "D".into()]);
    let report = check(&fx);
    let d = only(&report, Rule::StopToneUndocumented);
    assert_eq!((d.severity, d.field.as_str(), d.value.as_str()), (Severity::Warning, "stopTones[1]", "\"D\""));
    assert!(!report.has_errors());
    fx.record().stop_tones = Some(vec!["#".into()]);
    assert!(!has(&check(&fx), Rule::StopToneUndocumented));
}

#[test]
fn duplicate_stop_tones_are_flagged() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.record().stop_tones = Some(vec!["#".into(), "1".into(), "#".into()]);
    let d = only(&check(&fx), Rule::StopToneDuplicate);
    assert_eq!((d.severity, d.field.as_str()), (Severity::Warning, "stopTones[2]"));
    fx.record().stop_tones = Some(vec!["#".into(), "1".into()]);
    assert!(!has(&check(&fx), Rule::StopToneDuplicate));
}

#[test]
fn a_key_branch_needs_the_key_in_stop_tones() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.record().on.stop_tone_keys.insert("2".into(), Target::End);
    assert_eq!(only(&check(&fx), Rule::StopToneBranchUnlisted).value, "\"2\"");
    fx.record().stop_tones = Some(vec!["#".into(), "2".into()]);
    assert!(!has(&check(&fx), Rule::StopToneBranchUnlisted));
}

#[test]
fn stream_while_recording_is_beta_only() {
    let mut fx = Fixture::new(ApiProfile::V1RecordResponse);
    fx.record().stream_while_recording = Some(true);
    let d = only(&check(&fx), Rule::BetaOnlyField);
    assert_eq!((d.severity, d.field.as_str()), (Severity::Error, "streamWhileRecording"));
    fx.flow.profile = ApiProfile::BetaRecord;
    let report = check(&fx);
    assert!(!has(&report, Rule::BetaOnlyField));
    assert_eq!(only(&report, Rule::DeprecatedField).severity, Severity::Warning);
}

#[test]
fn prompt_files_must_exist() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.flow.prompts[0].file = Some("missing.wav".into());
    let d = only(&check(&fx), Rule::PromptFileMissing);
    assert_eq!((d.severity, d.place.to_string().as_str()), (Severity::Error, "prompt \"hello\""));
    assert_eq!(d.value, "\"missing.wav\"");
    fx.flow.prompts[0].file = Some("ok.wav".into());
    assert!(!has(&check(&fx), Rule::PromptFileMissing));
}

#[test]
fn prompt_files_must_be_readable() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    // A folder opens on Linux but cannot be read: the closest thing to an unreadable file when tests run as root.
    std::fs::create_dir(fx.path("folder.wav")).unwrap();
    fx.flow.prompts[0].file = Some("folder.wav".into());
    let d = only(&check(&fx), Rule::PromptFileUnreadable);
    assert!(d.message.contains("cannot read"), "{}", d.message);
    fx.flow.prompts[0].file = Some("ok.wav".into());
    assert!(!has(&check(&fx), Rule::PromptFileUnreadable));
}

#[test]
fn prompt_files_must_be_graph_format_and_the_message_says_what_they_are() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    write_wav(&fx.path("cd.wav"), 44_100, 2, 16, false);
    write_wav(&fx.path("eight.wav"), 16_000, 1, 8, false);
    write_wav(&fx.path("float.wav"), 16_000, 1, 32, true);
    write_wav(&fx.path("narrow.wav"), 8_000, 1, 16, false);
    std::fs::write(fx.path("song.wav"), b"ID3\x04\x00\x00\x00\x00\x00\x00 rest of an mp3").unwrap();
    std::fs::write(fx.path("notes.wav"), b"this is not audio at all").unwrap();
    std::fs::write(fx.path("empty.wav"), b"").unwrap();
    std::fs::write(fx.path("cut.wav"), b"RIFF\x24\x00\x00\x00WAVEfmt ").unwrap();
    let cases = [
        ("cd.wav", "44100 Hz, stereo, 16-bit PCM WAV"),
        ("eight.wav", "16000 Hz, mono, 8-bit PCM WAV"),
        ("float.wav", "16000 Hz, mono, 32-bit float WAV"),
        ("narrow.wav", "8000 Hz, mono, 16-bit PCM WAV"),
        ("song.wav", "an MP3 file"),
        ("notes.wav", "a text file"),
        ("empty.wav", "an empty file"),
        ("cut.wav", "damaged or unsupported WAV"),
    ];
    for (file, says) in cases {
        fx.flow.prompts[0].file = Some(file.into());
        let d = only(&check(&fx), Rule::PromptFileFormat);
        assert_eq!(d.severity, Severity::Error);
        assert!(d.message.contains(says), "{file}: {}", d.message);
        assert!(d.message.contains("16000 Hz, mono, 16-bit PCM"), "{file}: says what Graph needs: {}", d.message);
    }
    fx.flow.prompts[0].file = Some("ok.wav".into());
    assert!(!has(&check(&fx), Rule::PromptFileFormat));
}

#[test]
fn a_prompt_without_a_local_file_is_a_warning() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.flow.prompts[0].file = None;
    assert_eq!(only(&check(&fx), Rule::PromptWithoutFile).severity, Severity::Warning);
    fx.flow.prompts[0].file = Some("ok.wav".into());
    assert!(!has(&check(&fx), Rule::PromptWithoutFile));
}

#[test]
fn export_uris_should_be_https() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.flow.prompts[0].uri = "http://cdn.contoso.com/hello.wav".into();
    let d = only(&check(&fx), Rule::PromptUriNotHttps);
    assert_eq!((d.severity, d.field.as_str()), (Severity::Warning, "uri"));
    fx.flow.prompts[0].uri = "file:///tmp/hello.wav".into();
    assert!(has(&check(&fx), Rule::PromptUriNotHttps));
    fx.flow.prompts[0].uri = "   ".into();
    assert_eq!(only(&check(&fx), Rule::PromptUriEmpty).severity, Severity::Error);
    fx.flow.prompts[0].uri = "HTTPS://cdn.contoso.com/hello.wav".into();
    let report = check(&fx);
    assert!(!has(&report, Rule::PromptUriNotHttps) && !has(&report, Rule::PromptUriEmpty));
}

#[test]
fn resource_ids_should_be_guids() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.flow.prompts[0].resource_id = Some("my-prompt".into());
    assert_eq!(only(&check(&fx), Rule::ResourceIdNotGuid).severity, Severity::Warning);
    fx.flow.prompts[0].resource_id = None;
    assert!(!has(&check(&fx), Rule::ResourceIdNotGuid));
}

#[test]
fn prompt_ids_are_unique() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.flow.prompts.push(fx.flow.prompts[0].clone());
    assert_eq!(only(&check(&fx), Rule::DuplicatePromptId).severity, Severity::Error);
    fx.flow.prompts[1].id = "other".into();
    assert!(!has(&check(&fx), Rule::DuplicatePromptId));
}

#[test]
fn step_names_are_present_and_unique() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.flow.steps.push(Step::PlayPrompt(PlayPromptStep {
        name: "record-1".into(),
        prompt: "hello".into(),
        next: Target::End,
    }));
    assert_eq!(only(&check(&fx), Rule::DuplicateStepName).severity, Severity::Error);
    if let Step::PlayPrompt(p) = &mut fx.flow.steps[1] {
        p.name = " ".into();
    }
    let report = check(&fx);
    assert!(!has(&report, Rule::DuplicateStepName));
    assert_eq!(only(&report, Rule::EmptyStepName).severity, Severity::Error);
    if let Step::PlayPrompt(p) = &mut fx.flow.steps[1] {
        p.name = "bye".into();
    }
    assert!(!has(&check(&fx), Rule::EmptyStepName));
}

#[test]
fn branches_must_name_existing_steps() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.record().on.no_speech = Target::Step("retry".into());
    let d = only(&check(&fx), Rule::BranchToMissingStep);
    assert_eq!((d.severity, d.field.as_str(), d.value.as_str()), (Severity::Error, "on no speech", "\"retry\""));
    fx.flow.steps.push(Step::Record(RecordStep::new("retry")));
    assert!(!has(&check(&fx), Rule::BranchToMissingStep));
}

#[test]
fn unreachable_steps_are_flagged() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    for outcome in ivr_designer::model::Outcome::ALL {
        *fx.record().on.target_mut(outcome) = Target::End;
    }
    fx.flow.steps.push(Step::PlayPrompt(PlayPromptStep {
        name: "orphan".into(),
        prompt: "hello".into(),
        next: Target::End,
    }));
    let d = only(&check(&fx), Rule::UnreachableStep);
    assert_eq!((d.severity, d.place.to_string().as_str()), (Severity::Warning, "step \"orphan\""));
    // A per-key branch is enough to reach it.
    fx.record().on.stop_tone_keys.insert("#".into(), Target::Step("orphan".into()));
    assert!(!has(&check(&fx), Rule::UnreachableStep));
}

#[test]
fn an_empty_flow_is_a_warning() {
    let flow = Flow::new("empty", ApiProfile::BetaRecord);
    let report = validate(&flow, std::path::Path::new("."));
    assert_eq!(only(&report, Rule::NoSteps).severity, Severity::Warning);
    let fx = Fixture::new(ApiProfile::BetaRecord);
    assert!(!has(&check(&fx), Rule::NoSteps));
}

#[test]
fn diagnostics_read_as_one_line_naming_step_field_value_and_rule() {
    let mut fx = Fixture::new(ApiProfile::V1RecordResponse);
    fx.record().max_silence_timeout_in_seconds = Some(200);
    let line = check(&fx).diagnostics[0].to_string();
    assert_eq!(
        line,
        "error[timer-range]: step \"record-1\", maxSilenceTimeoutInSeconds = 200: must be 1–120 seconds in v1.0-recordResponse"
    );
}

#[test]
fn a_single_step_report_covers_its_prompts_only() {
    let mut fx = Fixture::new(ApiProfile::BetaRecord);
    fx.flow.prompts.push(Prompt {
        id: "unused".into(),
        file: Some("missing.wav".into()),
        uri: "x".into(),
        resource_id: None,
    });
    let Step::Record(step) = &fx.flow.steps[0] else { unreachable!() };
    assert!(validate_record_step(&fx.flow, step, fx.dir.path()).diagnostics.is_empty());
    fx.flow.prompts[0].file = Some("missing.wav".into());
    let Step::Record(step) = &fx.flow.steps[0] else { unreachable!() };
    let report = validate_record_step(&fx.flow, step, fx.dir.path());
    assert_eq!(report.with_rule(Rule::PromptFileMissing).count(), 1, "{report:#?}");
}
