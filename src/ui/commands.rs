//! Everything a panel can ask for. Panels push commands; the app applies them once per frame, so no panel changes
//! state another panel is drawing from.

use std::path::PathBuf;

use crate::model::{ApiProfile, Outcome, Target};

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Select(Option<usize>),
    SetProfile(ApiProfile),
    Edit(usize, StepEdit),
    AddRecordStep,
    AddPlayPromptStep,
    Duplicate(usize),
    Delete(usize),
    /// Move a step up (−1) or down (+1) in the list.
    Move(usize, isize),
    Undo,
    Redo,
    New,
    Open(PathBuf),
    Save,
    SaveAs(PathBuf),
    SetDarkMode(bool),
    EditPrompt(usize, super::prompts_panel::PromptEdit),
    /// Convert a prompt's local file to Graph's format and use the converted copy.
    ConvertPrompt(usize),
}

/// One change to one step.
#[derive(Clone, Debug, PartialEq)]
pub enum StepEdit {
    Rename(String),
    InitialSilence(Option<i64>),
    MaxSilence(Option<i64>),
    MaxDuration(Option<i64>),
    PlayBeep(bool),
    BargeIn(bool),
    ToggleStopTone(char),
    ClientContext(Option<String>),
    Prompt(Option<String>),
    Branch(Outcome, Target),
    /// A branch for one stop tone (overrides the stop-tone branch for that key).
    KeyBranch(String, Target),
    /// The next step of a play-prompt step.
    Next(Target),
}
