//! Unsaved work survives a crash: while the flow has unsaved changes it is written, every few seconds, to a
//! hidden file beside it (`.NAME.autosave`), atomically. Saving removes it; opening a flow whose autosave holds
//! something else offers to restore it.

use std::path::{Path, PathBuf};

use crate::model::{Flow, flow_to_ron, parse_flow, write_atomically};

/// How long unsaved edits wait before they are written to the autosave file.
pub const AUTOSAVE_AFTER_S: f64 = 3.0;

/// Where the autosave of the flow at `path` lives (untitled flows: in the temporary folder).
pub fn autosave_path(path: Option<&Path>) -> PathBuf {
    match path {
        Some(p) => {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "flow".into());
            p.with_file_name(format!(".{name}.autosave"))
        }
        None => std::env::temp_dir().join("ivr-designer-untitled.autosave"),
    }
}

pub fn write(path: Option<&Path>, flow: &Flow) -> std::io::Result<()> {
    let text = flow_to_ron(flow);
    write_atomically(&autosave_path(path), |f| std::io::Write::write_all(f, text.as_bytes()))
}

pub fn remove(path: Option<&Path>) {
    let _ = std::fs::remove_file(autosave_path(path));
}

/// An autosave that holds something other than `flow` (what is on disk), if there is one.
pub fn pending(path: Option<&Path>, flow: &Flow) -> Option<Flow> {
    let text = std::fs::read_to_string(autosave_path(path)).ok()?;
    parse_flow(&text).ok().filter(|saved| saved != flow)
}
