//! The system's file dialogs (rfd), each on its own thread so the window keeps drawing while one is open. The
//! chosen file comes back as a command, like any other panel's request.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};

use super::commands::Command;

#[derive(Clone, Debug, PartialEq)]
pub enum DialogKind {
    OpenFlow,
    SaveFlowAs,
    AddPrompts,
    ImportJsonFile,
    /// Save text (the exported JSON, the takes list) to a file, offered as `file_name`.
    SaveText {
        text: String,
        file_name: String,
    },
    /// Pick a WAV file to replay as the caller.
    CallerWav,
}

pub struct Dialogs {
    answers: Sender<Command>,
    inbox: Receiver<Command>,
    /// Where the flow lives: dialogs start there.
    pub folder: Option<PathBuf>,
}

impl Default for Dialogs {
    fn default() -> Self {
        let (answers, inbox) = mpsc::channel();
        Dialogs { answers, inbox, folder: None }
    }
}

impl Dialogs {
    /// Open a dialog; its answer arrives through `answers` a later frame.
    pub fn ask(&self, kind: DialogKind, ctx: &egui::Context) {
        let tx = self.answers.clone();
        let ctx = ctx.clone();
        let folder = self.folder.clone();
        let spawned = std::thread::Builder::new().name("file dialog".into()).spawn(move || {
            let mut dialog = rfd::FileDialog::new();
            if let Some(folder) = folder {
                dialog = dialog.set_directory(folder);
            }
            let command = match kind {
                DialogKind::OpenFlow => dialog.add_filter("ivr-designer flow", &["ron"]).pick_file().map(Command::Open),
                DialogKind::SaveFlowAs => dialog
                    .add_filter("ivr-designer flow", &["ron"])
                    .save_file()
                    .map(|p| Command::SaveAs(with_ext(p, "ron"))),
                DialogKind::AddPrompts => {
                    dialog.add_filter("WAV audio", &["wav"]).pick_files().map(Command::AddPrompts)
                }
                DialogKind::ImportJsonFile => {
                    dialog.add_filter("JSON", &["json"]).pick_file().map(|p| match std::fs::read_to_string(&p) {
                        Ok(text) => Command::ImportJson(text),
                        Err(e) => Command::Report(false, format!("Cannot read {}: {e}", p.display())),
                    })
                }
                DialogKind::SaveText { text, file_name } => {
                    let ext = file_name.rsplit_once('.').map_or("txt", |(_, e)| e).to_owned();
                    dialog
                        .add_filter(ext.to_uppercase(), &[ext.as_str()])
                        .set_file_name(&file_name)
                        .save_file()
                        .map(|p| Command::WriteText(with_ext(p, &ext), text))
                }
                DialogKind::CallerWav => {
                    dialog.add_filter("WAV audio", &["wav"]).pick_file().map(Command::SetCallerWav)
                }
            };
            if let Some(command) = command {
                let _ = tx.send(command);
                ctx.request_repaint();
            }
        });
        if let Err(e) = spawned {
            let _ = self.answers.send(Command::Report(false, format!("Cannot open a file dialog: {e}")));
        }
    }

    /// The answers that arrived since the last frame.
    pub fn answers(&self) -> Vec<Command> {
        self.inbox.try_iter().collect()
    }
}

fn with_ext(path: PathBuf, ext: &str) -> PathBuf {
    if path.extension().is_some() { path } else { path.with_extension(ext) }
}
