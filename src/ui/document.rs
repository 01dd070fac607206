//! The flow being edited: the flow itself, where it lives, whether it changed, and the edit history.

use std::path::{Path, PathBuf};

use crate::media::{WavFormat, inspect_wav};
use crate::model::{Flow, Report, validate};

/// Most undo steps kept.
const HISTORY: usize = 200;

pub struct Document {
    pub flow: Flow,
    /// The file it was opened from or saved to.
    pub path: Option<PathBuf>,
    /// The flow as last saved (dirty = different).
    saved: Flow,
    undo: Vec<Flow>,
    redo: Vec<Flow>,
    /// Validation of the current flow, redone after every edit.
    pub report: Report,
    /// Each library prompt's local file format (or why it has none), read with the validation, not every frame.
    pub prompt_formats: Vec<Option<Result<WavFormat, String>>>,
}

impl Document {
    pub fn new(flow: Flow, path: Option<PathBuf>) -> Self {
        let mut doc = Document {
            saved: flow.clone(),
            flow,
            path,
            undo: Vec::new(),
            redo: Vec::new(),
            report: Report::default(),
            prompt_formats: Vec::new(),
        };
        doc.revalidate();
        doc
    }

    pub fn is_dirty(&self) -> bool {
        self.flow != self.saved
    }

    /// The folder prompt files are relative to.
    pub fn dir(&self) -> PathBuf {
        dir_of(self.path.as_deref())
    }

    /// Apply an edit, remembering the flow before it for undo.
    pub fn edit(&mut self, change: impl FnOnce(&mut Flow)) {
        let before = self.flow.clone();
        change(&mut self.flow);
        if self.flow != before {
            self.undo.push(before);
            if self.undo.len() > HISTORY {
                self.undo.remove(0);
            }
            self.redo.clear();
            self.revalidate();
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) {
        if let Some(previous) = self.undo.pop() {
            self.redo.push(std::mem::replace(&mut self.flow, previous));
            self.revalidate();
        }
    }

    pub fn redo(&mut self) {
        if let Some(next) = self.redo.pop() {
            self.undo.push(std::mem::replace(&mut self.flow, next));
            self.revalidate();
        }
    }

    pub fn revalidate(&mut self) {
        let dir = self.dir();
        self.report = validate(&self.flow, &dir);
        self.prompt_formats = self
            .flow
            .prompts
            .iter()
            .map(|p| p.local_path(&dir).map(|path| inspect_wav(&path).map_err(|e| e.to_string())))
            .collect();
    }

    /// Remember that the current flow is what is on disk at `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.path = Some(path);
        self.saved = self.flow.clone();
        self.revalidate();
    }

    /// The window title: flow name, file, and a dirty marker.
    pub fn title(&self) -> String {
        let file = self.path.as_deref().and_then(Path::file_name).map(|f| f.to_string_lossy().into_owned());
        let dirty = if self.is_dirty() { "• " } else { "" };
        match file {
            Some(f) => format!("{dirty}{} — {f} — ivr-designer", self.flow.name),
            None => format!("{dirty}{} — ivr-designer", self.flow.name),
        }
    }
}

pub(crate) fn dir_of(path: Option<&Path>) -> PathBuf {
    match path.and_then(Path::parent) {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}
