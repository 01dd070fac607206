//! What happened during an operation, in ms on the operation's clock (t = 0 when it started running).

use serde_json::{Map, Value, json};

use crate::model::CompletionReason;

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    PromptStarted,
    PromptEnded,
    BeepStarted,
    BeepEnded,
    RecordingStarted,
    SpeechStarted,
    SpeechEnded,
    ToneStarted { tone: char, stop_tone: bool },
    ToneEnded { tone: char },
    HangUp,
    Completed { reason: CompletionReason },
}

impl EventKind {
    /// The name used in JSON and on the timeline.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::PromptStarted => "promptStarted",
            EventKind::PromptEnded => "promptEnded",
            EventKind::BeepStarted => "beepStarted",
            EventKind::BeepEnded => "beepEnded",
            EventKind::RecordingStarted => "recordingStarted",
            EventKind::SpeechStarted => "speechStarted",
            EventKind::SpeechEnded => "speechEnded",
            EventKind::ToneStarted { .. } => "toneStarted",
            EventKind::ToneEnded { .. } => "toneEnded",
            EventKind::HangUp => "hangUp",
            EventKind::Completed { .. } => "completed",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEvent {
    pub t_ms: f64,
    pub kind: EventKind,
    /// Something a person should know about this event (why a prompt failed, what a hang-up means on Graph).
    pub note: Option<String>,
}

impl TimelineEvent {
    pub fn new(t_ms: f64, kind: EventKind) -> Self {
        TimelineEvent { t_ms, kind, note: None }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("tMs".into(), json!(round_ms(self.t_ms)));
        m.insert("kind".into(), json!(self.kind.name()));
        match &self.kind {
            EventKind::ToneStarted { tone, stop_tone } => {
                m.insert("tone".into(), json!(tone.to_string()));
                m.insert("stopTone".into(), json!(stop_tone));
            }
            EventKind::ToneEnded { tone } => {
                m.insert("tone".into(), json!(tone.to_string()));
            }
            EventKind::Completed { reason } => {
                m.insert("status".into(), json!(reason.status().name()));
                m.insert("completionReason".into(), json!(reason.name()));
            }
            _ => {}
        }
        if let Some(note) = &self.note {
            m.insert("note".into(), json!(note));
        }
        Value::Object(m)
    }

    /// One line for the readable summary.
    pub fn line(&self) -> String {
        let detail = match &self.kind {
            EventKind::ToneStarted { tone, stop_tone: true } => format!(" {tone} (stop tone)"),
            EventKind::ToneStarted { tone, stop_tone: false } | EventKind::ToneEnded { tone } => format!(" {tone}"),
            EventKind::Completed { reason } => format!(" {} / {}", reason.status().name(), reason.name()),
            _ => String::new(),
        };
        let note = self.note.as_deref().map(|n| format!("  — {n}")).unwrap_or_default();
        format!("{:>10.1} ms  {}{detail}{note}", self.t_ms, self.kind.name())
    }
}

/// Milliseconds to a tenth, as reported.
pub fn round_ms(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}
