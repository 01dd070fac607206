//! A flow: a prompt library and steps (record or play prompt), each record step branching on its outcomes.
//!
//! Record-step fields carry Graph's property names (camelCase) so a flow file reads like the request it exports.
//! A Graph parameter that is `None` is absent from the request, so Graph's documented default applies; keeping
//! absence distinct from the default is what lets an imported request export back unchanged.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::outcome::Outcome;
use super::profile::ApiProfile;

/// The flow file format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Graph's documented default for each timer, in seconds.
pub const DEFAULT_TIMER_SECONDS: i64 = 5;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Flow {
    pub format_version: u32,
    pub name: String,
    pub profile: ApiProfile,
    /// The prompt library: every prompt a step can play.
    #[serde(default)]
    pub prompts: Vec<Prompt>,
    pub steps: Vec<Step>,
}

/// A prompt in the library: the local WAV a person hears, and the URI the bot's request will name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Prompt {
    /// The name steps use to refer to this prompt.
    pub id: String,
    /// Local WAV file, relative to the flow file (forward slashes work everywhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Where the Graph service will fetch the prompt (exported as `mediaInfo.uri`).
    pub uri: String,
    /// Graph's cache key (`mediaInfo.resourceId`). When absent, export derives a stable GUID from the URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
}

impl Prompt {
    /// The local file's path, resolved against the folder that holds the flow file.
    pub fn local_path(&self, flow_dir: &Path) -> Option<PathBuf> {
        self.file.as_ref().map(|f| flow_dir.join(f))
    }

    /// The resourceId to export: the one set, or a GUID derived from the URI (UUID v5), so that exports of
    /// the same flow are identical run after run. Give the prompt a new resourceId when its audio changes.
    pub fn effective_resource_id(&self) -> String {
        match &self.resource_id {
            Some(id) => id.clone(),
            None => uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, self.uri.as_bytes()).to_string().to_uppercase(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Step {
    /// Play a prompt, beep, record the caller: Graph's `record` / `recordResponse`.
    Record(RecordStep),
    /// Play a prompt and go on (e.g. "Sorry, I didn't hear you").
    PlayPrompt(PlayPromptStep),
}

impl Step {
    pub fn name(&self) -> &str {
        match self {
            Step::Record(r) => &r.name,
            Step::PlayPrompt(p) => &p.name,
        }
    }

    /// Every branch leaving this step, with the label a person reads on it.
    pub fn branches(&self) -> Vec<(String, &Target)> {
        match self {
            Step::Record(r) => {
                let mut out: Vec<(String, &Target)> =
                    Outcome::ALL.iter().map(|o| (o.label().to_owned(), r.on.target(*o))).collect();
                for (key, target) in &r.on.stop_tone_keys {
                    out.push((format!("stop tone {key}"), target));
                }
                out
            }
            Step::PlayPrompt(p) => vec![("next".to_owned(), &p.next)],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordStep {
    pub name: String,
    /// Prompt ids from the library; Graph allows at most one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompts: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barge_in_allowed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_silence_timeout_in_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_silence_timeout_in_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_record_duration_in_seconds: Option<i64>,
    /// Docs default true; the generated OpenAPI says false, so export always writes it out.
    #[serde(default = "yes")]
    pub play_beep: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_tones: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_context: Option<String>,
    /// Beta only, announced for removal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_while_recording: Option<bool>,
    /// Where each outcome goes next.
    #[serde(default, skip_serializing_if = "Branches::all_next")]
    pub on: Branches,
}

fn yes() -> bool {
    true
}

impl RecordStep {
    /// A record step with Graph's defaults and no parameters set.
    pub fn new(name: impl Into<String>) -> Self {
        RecordStep {
            name: name.into(),
            prompts: None,
            barge_in_allowed: None,
            initial_silence_timeout_in_seconds: None,
            max_silence_timeout_in_seconds: None,
            max_record_duration_in_seconds: None,
            play_beep: true,
            stop_tones: None,
            client_context: None,
            stream_while_recording: None,
            on: Branches::default(),
        }
    }

    pub fn prompt_ids(&self) -> &[String] {
        self.prompts.as_deref().unwrap_or(&[])
    }

    pub fn stop_tone_list(&self) -> &[String] {
        self.stop_tones.as_deref().unwrap_or(&[])
    }

    pub fn initial_silence_timeout(&self) -> i64 {
        self.initial_silence_timeout_in_seconds.unwrap_or(DEFAULT_TIMER_SECONDS)
    }

    pub fn max_silence_timeout(&self) -> i64 {
        self.max_silence_timeout_in_seconds.unwrap_or(DEFAULT_TIMER_SECONDS)
    }

    pub fn max_record_duration(&self) -> i64 {
        self.max_record_duration_in_seconds.unwrap_or(DEFAULT_TIMER_SECONDS)
    }

    pub fn barge_in(&self) -> bool {
        self.barge_in_allowed.unwrap_or(false)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlayPromptStep {
    pub name: String,
    /// A prompt id from the library.
    pub prompt: String,
    #[serde(default, skip_serializing_if = "Target::is_next")]
    pub next: Target,
}

/// Where a branch goes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// The step after this one in the list (the end after the last step).
    #[default]
    Next,
    /// The flow ends.
    End,
    /// The step with this name.
    Step(String),
}

impl Target {
    pub fn is_next(&self) -> bool {
        matches!(self, Target::Next)
    }
}

/// A record step's branches, one per outcome group, plus optional per-key branches for stop tones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Branches {
    #[serde(skip_serializing_if = "Target::is_next")]
    pub no_speech: Target,
    #[serde(skip_serializing_if = "Target::is_next")]
    pub end_of_speech: Target,
    #[serde(skip_serializing_if = "Target::is_next")]
    pub max_duration: Target,
    #[serde(skip_serializing_if = "Target::is_next")]
    pub stop_tone: Target,
    /// A stop tone listed here goes to its own target instead of `stopTone` ("1 → yes, 2 → no").
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub stop_tone_keys: BTreeMap<String, Target>,
    #[serde(skip_serializing_if = "Target::is_next")]
    pub failure: Target,
}

impl Branches {
    pub fn target(&self, outcome: Outcome) -> &Target {
        match outcome {
            Outcome::NoSpeech => &self.no_speech,
            Outcome::EndOfSpeech => &self.end_of_speech,
            Outcome::MaxDuration => &self.max_duration,
            Outcome::StopTone => &self.stop_tone,
            Outcome::Failure => &self.failure,
        }
    }

    pub fn target_mut(&mut self, outcome: Outcome) -> &mut Target {
        match outcome {
            Outcome::NoSpeech => &mut self.no_speech,
            Outcome::EndOfSpeech => &mut self.end_of_speech,
            Outcome::MaxDuration => &mut self.max_duration,
            Outcome::StopTone => &mut self.stop_tone,
            Outcome::Failure => &mut self.failure,
        }
    }

    fn all_next(&self) -> bool {
        *self == Branches::default()
    }
}

impl Flow {
    /// An empty flow for the given profile.
    pub fn new(name: impl Into<String>, profile: ApiProfile) -> Self {
        Flow { format_version: FORMAT_VERSION, name: name.into(), profile, prompts: Vec::new(), steps: Vec::new() }
    }

    pub fn step_index(&self, name: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.name() == name)
    }

    pub fn step(&self, name: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.name() == name)
    }

    pub fn prompt(&self, id: &str) -> Option<&Prompt> {
        self.prompts.iter().find(|p| p.id == id)
    }

    pub fn record_steps(&self) -> impl Iterator<Item = &RecordStep> {
        self.steps.iter().filter_map(|s| match s {
            Step::Record(r) => Some(r),
            Step::PlayPrompt(_) => None,
        })
    }

    /// Where a branch of the step at `from` leads: `Ok(Some(index))`, `Ok(None)` for the end of the flow, or
    /// `Err(name)` when it names a step that does not exist.
    pub fn resolve<'a>(&self, from: usize, target: &'a Target) -> Result<Option<usize>, &'a str> {
        match target {
            Target::Next => Ok((from + 1 < self.steps.len()).then_some(from + 1)),
            Target::End => Ok(None),
            Target::Step(name) => self.step_index(name).map(Some).ok_or(name.as_str()),
        }
    }
}
