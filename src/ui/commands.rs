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
    /// Play a step's prompt (and the beep after it, if the step plays one) as the caller would hear it.
    PlayStep(usize),
    /// Play one prompt of the library.
    PlayPrompt(usize),
    StopPlaying,
    /// Add WAV files to the prompt library (from the Add dialog or dropped onto the window).
    AddPrompts(Vec<PathBuf>),
    /// Import a Graph request body (pasted or from a file) as a new record step.
    ImportJson(String),
    /// Open the import window (paste a request or open a file).
    ShowImport,
    /// Ask for a file with the system's dialog; its answer comes back as another command.
    Dialog(super::dialogs::DialogKind),
    /// Write text to a file (atomically), e.g. the exported JSON.
    WriteText(PathBuf, String),
    /// Show a message in the status bar (ok, text).
    Report(bool, String),
    /// The caller WAV for the next run.
    SetCallerWav(PathBuf),
    /// Show the designer (false) or the run-and-listen view (true).
    ShowRun(bool),
    Run(RunCommand),
    Studio(super::prompt_studio::StudioCommand),
}

/// Running, listening and the takes list.
#[derive(Clone, Debug, PartialEq)]
pub enum RunCommand {
    Settings(super::run_state::RunSettings),
    Start,
    Cancel,
    HangUp,
    SelectOperation(usize),
    /// Play the caller's side of the last run from this point of the call (ms on the call clock).
    PlayCallFrom(f64),
    /// Play a take of the list (by index) from this point (ms into the take).
    PlayTake(usize, f64),
    RateTake(usize, Option<u8>),
    NoteTake(usize, String),
    DeleteTake(usize),
    Filter(Option<String>),
    /// Remove (true) or keep (false) the takes past the retention age.
    RemoveExpired(bool),
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
