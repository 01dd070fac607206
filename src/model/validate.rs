//! Checks a flow against Graph's rules for its profile (see `shared/spec/graph-record.md`).
//!
//! Every diagnostic names where it is (flow, step or prompt), the field (Graph's name), the value and the rule.
//! Errors are what Graph would reject or what breaks the flow; warnings are what works but is probably a mistake.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::path::Path;

use super::flow::{Flow, RecordStep, Step};
use crate::media::{WavFileError, inspect_wav};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// The rule a diagnostic is about: stable names for tests, filters and the designer's inspector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    TimerRange,
    TooManyPrompts,
    UnknownPrompt,
    ClientContextTooLong,
    StopToneInvalid,
    StopToneUndocumented,
    StopToneDuplicate,
    StopToneBranchUnlisted,
    BetaOnlyField,
    DeprecatedField,
    PromptFileMissing,
    PromptFileUnreadable,
    PromptFileFormat,
    PromptWithoutFile,
    PromptUriEmpty,
    PromptUriNotHttps,
    ResourceIdNotGuid,
    DuplicatePromptId,
    EmptyStepName,
    DuplicateStepName,
    BranchToMissingStep,
    UnreachableStep,
    NoSteps,
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::TimerRange => "timer-range",
            Rule::TooManyPrompts => "too-many-prompts",
            Rule::UnknownPrompt => "unknown-prompt",
            Rule::ClientContextTooLong => "client-context-too-long",
            Rule::StopToneInvalid => "stop-tone-invalid",
            Rule::StopToneUndocumented => "stop-tone-undocumented",
            Rule::StopToneDuplicate => "stop-tone-duplicate",
            Rule::StopToneBranchUnlisted => "stop-tone-branch-unlisted",
            Rule::BetaOnlyField => "beta-only-field",
            Rule::DeprecatedField => "deprecated-field",
            Rule::PromptFileMissing => "prompt-file-missing",
            Rule::PromptFileUnreadable => "prompt-file-unreadable",
            Rule::PromptFileFormat => "prompt-file-format",
            Rule::PromptWithoutFile => "prompt-without-file",
            Rule::PromptUriEmpty => "prompt-uri-empty",
            Rule::PromptUriNotHttps => "prompt-uri-not-https",
            Rule::ResourceIdNotGuid => "resource-id-not-guid",
            Rule::DuplicatePromptId => "duplicate-prompt-id",
            Rule::EmptyStepName => "empty-step-name",
            Rule::DuplicateStepName => "duplicate-step-name",
            Rule::BranchToMissingStep => "branch-to-missing-step",
            Rule::UnreachableStep => "unreachable-step",
            Rule::NoSteps => "no-steps",
        }
    }
}

/// What a diagnostic is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    Flow,
    Step(String),
    Prompt(String),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Flow => f.write_str("flow"),
            Place::Step(name) => write!(f, "step \"{name}\""),
            Place::Prompt(id) => write!(f, "prompt \"{id}\""),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub rule: Rule,
    pub place: Place,
    /// Graph's property name (or the flow file's field name for flow-only fields).
    pub field: String,
    /// The offending value as written.
    pub value: String,
    /// The rule in words, with what to do.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}, {} = {}: {}",
            self.severity,
            self.rule.id(),
            self.place,
            self.field,
            self.value,
            self.message
        )
    }
}

/// All diagnostics of a flow, in step order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// Diagnostics about one place (a step's inspector shows these next to their fields).
    pub fn about<'a>(&'a self, place: &'a Place) -> impl Iterator<Item = &'a Diagnostic> {
        self.diagnostics.iter().filter(move |d| &d.place == place)
    }

    pub fn with_rule(&self, rule: Rule) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(move |d| d.rule == rule)
    }

    fn push(
        &mut self,
        severity: Severity,
        rule: Rule,
        place: &Place,
        field: &str,
        value: impl fmt::Display,
        message: String,
    ) {
        self.diagnostics.push(Diagnostic {
            severity,
            rule,
            place: place.clone(),
            field: field.to_owned(),
            value: value.to_string(),
            message,
        });
    }
}

pub const CLIENT_CONTEXT_MAX_CHARS: usize = 256;

/// Validate a flow. `flow_dir` is the folder holding the flow file; prompt files are resolved against it.
pub fn validate(flow: &Flow, flow_dir: &Path) -> Report {
    let mut report = Report::default();
    check_prompt_library(flow, flow_dir, &mut report);
    check_step_names(flow, &mut report);
    for step in &flow.steps {
        let place = Place::Step(step.name().to_owned());
        match step {
            Step::Record(record) => check_record_step(flow, record, &place, &mut report),
            Step::PlayPrompt(play) => {
                if flow.prompt(&play.prompt).is_none() {
                    report.push(
                        Severity::Error,
                        Rule::UnknownPrompt,
                        &place,
                        "prompt",
                        quoted(&play.prompt),
                        "no prompt with this id in the flow's prompt library".to_owned(),
                    );
                }
            }
        }
    }
    check_branches(flow, &mut report);
    report
}

/// Validate only what a single record step's request depends on (its parameters and its prompts).
pub fn validate_record_step(flow: &Flow, step: &RecordStep, flow_dir: &Path) -> Report {
    let mut report = Report::default();
    let place = Place::Step(step.name.clone());
    check_record_step(flow, step, &place, &mut report);
    let mut library = Report::default();
    check_prompt_library(flow, flow_dir, &mut library);
    library.diagnostics.retain(|d| matches!(&d.place, Place::Prompt(id) if step.prompt_ids().contains(id)));
    report.diagnostics.extend(library.diagnostics);
    report
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

fn check_record_step(flow: &Flow, step: &RecordStep, place: &Place, report: &mut Report) {
    let profile = flow.profile;
    let (low, high) = profile.timer_range();
    let timers = [
        ("initialSilenceTimeoutInSeconds", step.initial_silence_timeout_in_seconds),
        ("maxSilenceTimeoutInSeconds", step.max_silence_timeout_in_seconds),
        ("maxRecordDurationInSeconds", step.max_record_duration_in_seconds),
    ];
    for (field, value) in timers {
        if let Some(v) = value
            && !(low..=high).contains(&v)
        {
            report.push(
                Severity::Error,
                Rule::TimerRange,
                place,
                field,
                v,
                format!("must be {low}–{high} seconds in {profile}"),
            );
        }
    }

    let prompts = step.prompt_ids();
    if prompts.len() > 1 {
        report.push(
            Severity::Error,
            Rule::TooManyPrompts,
            place,
            "prompts",
            format!("[{}]", prompts.iter().map(|p| quoted(p)).collect::<Vec<_>>().join(", ")),
            format!("Graph plays at most 1 prompt before recording; this step has {}", prompts.len()),
        );
    }
    for (i, id) in prompts.iter().enumerate() {
        if flow.prompt(id).is_none() {
            report.push(
                Severity::Error,
                Rule::UnknownPrompt,
                place,
                &format!("prompts[{i}]"),
                quoted(id),
                "no prompt with this id in the flow's prompt library".to_owned(),
            );
        }
    }

    if let Some(context) = &step.client_context {
        let chars = context.chars().count();
        if chars > CLIENT_CONTEXT_MAX_CHARS {
            let shown: String = context.chars().take(40).collect();
            report.push(
                Severity::Error,
                Rule::ClientContextTooLong,
                place,
                "clientContext",
                format!("\"{shown}…\""),
                format!("is {chars} characters; Graph allows at most {CLIENT_CONTEXT_MAX_CHARS}"),
            );
        }
    }

    check_stop_tones(step, place, report);

    if let Some(value) = step.stream_while_recording {
        if profile.has_stream_while_recording() {
            report.push(
                Severity::Warning,
                Rule::DeprecatedField,
                place,
                "streamWhileRecording",
                value,
                "exists only in beta and is announced for removal".to_owned(),
            );
        } else {
            report.push(
                Severity::Error,
                Rule::BetaOnlyField,
                place,
                "streamWhileRecording",
                value,
                format!(
                    "is a beta-only parameter; {profile} has no such property (remove it or switch to beta-record)"
                ),
            );
        }
    }
}

/// The keys Graph documents as stop tones, and the DTMF keys it does not mention.
const DOCUMENTED_TONES: &str = "0123456789*#";
const UNDOCUMENTED_TONES: &str = "ABCD";

fn check_stop_tones(step: &RecordStep, place: &Place, report: &mut Report) {
    let mut seen = HashSet::new();
    for (i, tone) in step.stop_tone_list().iter().enumerate() {
        let field = format!("stopTones[{i}]");
        let single = {
            let mut chars = tone.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        };
        match single {
            Some(c) if DOCUMENTED_TONES.contains(c) => {}
            Some(c) if UNDOCUMENTED_TONES.contains(c) => report.push(
                Severity::Warning,
                Rule::StopToneUndocumented,
                place,
                &field,
                quoted(tone),
                "DTMF key not documented for Graph (it documents 0-9, * and #); most phones cannot send it".to_owned(),
            ),
            _ => report.push(
                Severity::Error,
                Rule::StopToneInvalid,
                place,
                &field,
                quoted(tone),
                "a stop tone is one DTMF key: 0-9, * or # (A-D with a warning)".to_owned(),
            ),
        }
        if !seen.insert(tone.as_str()) {
            report.push(
                Severity::Warning,
                Rule::StopToneDuplicate,
                place,
                &field,
                quoted(tone),
                "this stop tone is listed more than once".to_owned(),
            );
        }
    }
    for key in step.on.stop_tone_keys.keys() {
        if !step.stop_tone_list().contains(key) {
            report.push(
                Severity::Warning,
                Rule::StopToneBranchUnlisted,
                place,
                "on.stopToneKeys",
                quoted(key),
                "has a branch but is not in stopTones, so it never ends the recording".to_owned(),
            );
        }
    }
}

fn check_prompt_library(flow: &Flow, flow_dir: &Path, report: &mut Report) {
    let mut seen = HashSet::new();
    for prompt in &flow.prompts {
        let place = Place::Prompt(prompt.id.clone());
        if !seen.insert(prompt.id.as_str()) {
            report.push(
                Severity::Error,
                Rule::DuplicatePromptId,
                &place,
                "id",
                quoted(&prompt.id),
                "another prompt in the library has the same id".to_owned(),
            );
        }
        match &prompt.file {
            None => report.push(
                Severity::Warning,
                Rule::PromptWithoutFile,
                &place,
                "file",
                "none",
                "no local WAV file: the prompt cannot be played or checked here".to_owned(),
            ),
            Some(file) => check_prompt_file(&place, file, &flow_dir.join(file), report),
        }
        let uri = prompt.uri.trim();
        if uri.is_empty() {
            report.push(
                Severity::Error,
                Rule::PromptUriEmpty,
                &place,
                "uri",
                quoted(&prompt.uri),
                "the export URI is empty; Graph needs a URI it can fetch".to_owned(),
            );
        } else if !uri.to_ascii_lowercase().starts_with("https://") {
            report.push(
                Severity::Warning,
                Rule::PromptUriNotHttps,
                &place,
                "uri",
                quoted(&prompt.uri),
                "is not an https URI; the Graph service fetches prompts over https".to_owned(),
            );
        }
        if let Some(id) = &prompt.resource_id
            && uuid::Uuid::parse_str(id).is_err()
        {
            report.push(
                Severity::Warning,
                Rule::ResourceIdNotGuid,
                &place,
                "resourceId",
                quoted(id),
                "is not a GUID (the conventional form of Graph's cache key)".to_owned(),
            );
        }
    }
}

fn check_prompt_file(place: &Place, file: &str, path: &Path, report: &mut Report) {
    match inspect_wav(path) {
        Ok(format) if format.is_graph_format() => {}
        Ok(format) => report.push(
            Severity::Error,
            Rule::PromptFileFormat,
            place,
            "file",
            quoted(file),
            format!("is {format}; Graph plays only 16000 Hz, mono, 16-bit PCM WAV (convert it)"),
        ),
        Err(WavFileError::Missing { .. }) => report.push(
            Severity::Error,
            Rule::PromptFileMissing,
            place,
            "file",
            quoted(file),
            format!("the file does not exist (looked for {})", path.display()),
        ),
        Err(e @ WavFileError::Unreadable { .. }) => {
            report.push(Severity::Error, Rule::PromptFileUnreadable, place, "file", quoted(file), e.to_string())
        }
        Err(e @ (WavFileError::NotWav { .. } | WavFileError::Damaged { .. })) => report.push(
            Severity::Error,
            Rule::PromptFileFormat,
            place,
            "file",
            quoted(file),
            format!("{e}; Graph plays only 16000 Hz, mono, 16-bit PCM WAV"),
        ),
    }
}

fn check_step_names(flow: &Flow, report: &mut Report) {
    if flow.steps.is_empty() {
        report.push(Severity::Warning, Rule::NoSteps, &Place::Flow, "steps", "[]", "the flow has no steps".to_owned());
    }
    let mut seen = HashSet::new();
    for step in &flow.steps {
        let place = Place::Step(step.name().to_owned());
        if step.name().trim().is_empty() {
            report.push(
                Severity::Error,
                Rule::EmptyStepName,
                &place,
                "name",
                quoted(step.name()),
                "every step needs a name (branches refer to steps by name)".to_owned(),
            );
        } else if !seen.insert(step.name()) {
            report.push(
                Severity::Error,
                Rule::DuplicateStepName,
                &place,
                "name",
                quoted(step.name()),
                "another step has the same name, so branches to it are ambiguous".to_owned(),
            );
        }
    }
}

fn check_branches(flow: &Flow, report: &mut Report) {
    // Branches that name missing steps.
    let mut edges: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, step) in flow.steps.iter().enumerate() {
        let place = Place::Step(step.name().to_owned());
        for (label, target) in step.branches() {
            match flow.resolve(i, target) {
                Ok(Some(to)) => edges.entry(i).or_default().push(to),
                Ok(None) => {}
                Err(name) => report.push(
                    Severity::Error,
                    Rule::BranchToMissingStep,
                    &place,
                    &format!("on {label}"),
                    quoted(name),
                    "branches to a step that does not exist".to_owned(),
                ),
            }
        }
    }
    // Steps the first step can never lead to.
    if flow.steps.is_empty() {
        return;
    }
    let mut reached = vec![false; flow.steps.len()];
    let mut queue = VecDeque::from([0usize]);
    reached[0] = true;
    while let Some(i) = queue.pop_front() {
        for &to in edges.get(&i).map(Vec::as_slice).unwrap_or(&[]) {
            if !reached[to] {
                reached[to] = true;
                queue.push_back(to);
            }
        }
    }
    for (step, reached) in flow.steps.iter().zip(reached) {
        if !reached {
            report.push(
                Severity::Warning,
                Rule::UnreachableStep,
                &Place::Step(step.name().to_owned()),
                "name",
                quoted(step.name()),
                "no branch leads to this step from the first step; it never runs".to_owned(),
            );
        }
    }
}
