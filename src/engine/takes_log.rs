//! The takes of a listening session: every take recorded into a takes folder, with the flow, step and reason it
//! came from, its length and speech time, and the listener's rating and note. Kept in `takes.json` beside the
//! takes (written atomically), exported as CSV or JSON, and pruned by age like Graph's "recordings are discarded".

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::call::{OperationReport, Outcome};
use super::flow_run::RunReport;
use super::timeline::EventKind;
use crate::model::write_atomically;

pub const LOG_FILE: &str = "takes.json";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TakeEntry {
    /// The take's file name inside the takes folder.
    pub file: String,
    pub flow: String,
    pub step: String,
    /// Graph's completionReason.
    pub reason: String,
    pub duration_ms: f64,
    /// How long the caller spoke during the recording.
    pub speech_ms: f64,
    /// When it was recorded (ms since 1970, UTC).
    pub recorded_at: u64,
    /// 1–5 stars, when rated.
    #[serde(default)]
    pub rating: Option<u8>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TakesLogError {
    #[error("{} is damaged at line {line}, column {column}: {message}; it was kept as {} and a new list started", path.display(), kept.display())]
    Damaged { path: PathBuf, kept: PathBuf, line: usize, column: usize, message: String },
    #[error("cannot read or write {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TakesLog {
    pub dir: PathBuf,
    pub entries: Vec<TakeEntry>,
}

impl TakesLog {
    /// The list kept in `dir` (empty if there is none yet). A damaged list is set aside (renamed), never
    /// overwritten, and the error says where it went.
    pub fn load(dir: &Path) -> Result<TakesLog, TakesLogError> {
        let path = dir.join(LOG_FILE);
        let empty = TakesLog { dir: dir.to_owned(), entries: Vec::new() };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(empty),
            Err(source) => return Err(TakesLogError::Io { path, source }),
        };
        match serde_json::from_str::<Vec<TakeEntry>>(&text) {
            Ok(entries) => Ok(TakesLog { dir: dir.to_owned(), entries }),
            Err(e) => {
                let kept = dir.join(format!("{LOG_FILE}.damaged"));
                std::fs::rename(&path, &kept).map_err(|source| TakesLogError::Io { path: path.clone(), source })?;
                let message = e.to_string();
                let message = message.rsplit_once(" at line ").map_or(message.clone(), |(m, _)| m.to_owned());
                Err(TakesLogError::Damaged { path, kept, line: e.line(), column: e.column(), message })
            }
        }
    }

    pub fn save(&self) -> Result<(), TakesLogError> {
        let path = self.dir.join(LOG_FILE);
        let text = serde_json::to_string_pretty(&self.entries).expect("takes serialise");
        write_atomically(&path, |f| std::io::Write::write_all(f, text.as_bytes()))
            .map_err(|source| TakesLogError::Io { path, source })
    }

    /// Add the takes a run recorded (those in this folder).
    pub fn add_run(&mut self, run: &RunReport, now_ms: u64) {
        for op in &run.operations {
            if let Some(entry) = entry_of(&run.flow, op, now_ms)
                && !self.entries.iter().any(|e| e.file == entry.file)
            {
                self.entries.push(entry);
            }
        }
    }

    pub fn path_of(&self, entry: &TakeEntry) -> PathBuf {
        self.dir.join(&entry.file)
    }

    /// Delete a take: its file and its entry.
    pub fn delete(&mut self, index: usize) -> Result<(), TakesLogError> {
        let Some(entry) = self.entries.get(index) else { return Ok(()) };
        let path = self.path_of(entry);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(TakesLogError::Io { path, source }),
        }
        self.entries.remove(index);
        Ok(())
    }

    /// Takes recorded more than `days` days before `now_ms`.
    pub fn older_than(&self, days: u32, now_ms: u64) -> Vec<usize> {
        let limit = u64::from(days) * 86_400_000;
        (0..self.entries.len()).filter(|&i| now_ms.saturating_sub(self.entries[i].recorded_at) > limit).collect()
    }

    /// The listed entries as CSV (a header row, then one row per take).
    pub fn to_csv(&self, which: &[usize]) -> String {
        let mut out = String::from("file,flow,step,reason,duration_s,speech_s,recorded_utc,rating,note\n");
        for &i in which {
            let e = &self.entries[i];
            let fields = [
                e.file.clone(),
                e.flow.clone(),
                e.step.clone(),
                e.reason.clone(),
                format!("{:.2}", e.duration_ms / 1000.0),
                format!("{:.2}", e.speech_ms / 1000.0),
                super::take::utc_time(u128::from(e.recorded_at)),
                e.rating.map(|r| r.to_string()).unwrap_or_default(),
                e.note.clone(),
            ];
            out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
            out.push('\n');
        }
        out
    }

    pub fn to_json(&self, which: &[usize]) -> String {
        let chosen: Vec<&TakeEntry> = which.iter().map(|&i| &self.entries[i]).collect();
        serde_json::to_string_pretty(&chosen).expect("takes serialise")
    }
}

/// Quoted when it holds a comma, quote or line break (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

fn entry_of(flow: &str, op: &OperationReport, now_ms: u64) -> Option<TakeEntry> {
    let Outcome::Record(result) = &op.outcome else { return None };
    let take = result.take.as_ref()?;
    let file = take.path.file_name()?.to_string_lossy().into_owned();
    Some(TakeEntry {
        file,
        flow: flow.to_owned(),
        step: op.step.clone(),
        reason: result.reason.name().to_owned(),
        duration_ms: take.duration_ms,
        speech_ms: speech_during_recording(op),
        recorded_at: now_ms,
        rating: None,
        note: String::new(),
    })
}

/// Total speech between the recording's start and the operation's end, ms.
pub fn speech_during_recording(op: &OperationReport) -> f64 {
    let Some(start) = op.events.iter().find(|e| e.kind == EventKind::RecordingStarted).map(|e| e.t_ms) else {
        return 0.0;
    };
    let end = op.ended_ms;
    let mut total = 0.0;
    let mut speaking_since: Option<f64> = None;
    for e in &op.events {
        match e.kind {
            EventKind::SpeechStarted => speaking_since = Some(e.t_ms),
            EventKind::SpeechEnded => {
                if let Some(s) = speaking_since.take() {
                    total += (e.t_ms.min(end) - s.max(start)).max(0.0);
                }
            }
            _ => {}
        }
    }
    if let Some(s) = speaking_since {
        total += (end - s.max(start)).max(0.0);
    }
    total
}
