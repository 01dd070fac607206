//! The designer window: menus and profile on top, steps on the left, the inspector on the right, and the exported
//! JSON below. Panels push commands; `apply` carries them out once per frame.

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

use super::autosave;
use super::canvas::FlowCanvas;
use super::commands::{Command, StepEdit};
use super::dialogs::{DialogKind, Dialogs};
use super::document::Document;
use super::export_panel::{ExportTab, export_ui};
use super::inspector::inspector_ui;
use super::prompt_studio::{PromptStudio, StudioCommand, studio_ui};
use super::prompts_panel::{PromptEdit, convert_to_graph_format, new_prompt, prompts_ui};
use super::run_panel::DeviceNames;
use super::run_state::{RunState, takes_dir};
use super::steps_panel::steps_ui;
use super::timeline_view::TimelineView;
use crate::audio::{Clip, Speaker};
use crate::engine::prompt::as_heard;
use crate::model::import::import_request;
use crate::model::{ApiProfile, Flow, PlayPromptStep, RecordStep, Severity, Step, Target, load_flow, save_flow};

pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SAVE_AS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
/// Flows listed under File ▸ Open recent.
const RECENT: usize = 8;

pub struct DesignerApp {
    pub doc: Document,
    pub selected: Option<usize>,
    pub dark: bool,
    export_tab: ExportTab,
    canvas: FlowCanvas,
    /// The last thing that went wrong or right, shown in the status bar.
    pub status: Option<(bool, String)>,
    pending: Vec<Command>,
    /// Unsaved work from an earlier session, offered for restoring.
    pub restore_offer: Option<Flow>,
    /// When (ui time, s) the current unsaved changes were first seen, until they are autosaved.
    unsaved_since: Option<f64>,
    /// Flows opened or saved lately, newest first.
    pub recent: Vec<PathBuf>,
    pub speaker: Speaker,
    dialogs: Dialogs,
    /// The import window's pasted text, while it is open, and its last error.
    import: Option<(String, Option<String>)>,
    pub(super) ctx: Option<egui::Context>,
    /// What the last import changed or could not carry over.
    pub import_notes: Vec<String>,
    /// The prompt library section is open (it opens when prompts are added).
    prompts_open: bool,
    /// Showing the run-and-listen view (else the designer).
    pub run_mode: bool,
    pub run: RunState,
    pub(super) timeline: TimelineView,
    pub(super) devices: DeviceNames,
    pub(super) devices_inbox: Option<std::sync::mpsc::Receiver<DeviceNames>>,
    pub studio: PromptStudio,
}

impl DesignerApp {
    pub fn new(flow: Flow, path: Option<PathBuf>) -> Self {
        let selected = (!flow.steps.is_empty()).then_some(0);
        DesignerApp {
            doc: Document::new(flow, path),
            selected,
            dark: true,
            export_tab: ExportTab::default(),
            canvas: FlowCanvas::default(),
            status: None,
            pending: Vec::new(),
            restore_offer: None,
            unsaved_since: None,
            recent: Vec::new(),
            speaker: Speaker::new(),
            dialogs: Dialogs::default(),
            import: None,
            ctx: None,
            import_notes: Vec::new(),
            prompts_open: false,
            run_mode: false,
            run: RunState::default(),
            timeline: TimelineView::default(),
            devices: DeviceNames::default(),
            devices_inbox: None,
            studio: PromptStudio::default(),
        }
    }

    /// Show the run view and start a run with this caller, in real time or as fast as possible.
    pub fn start_run_with(&mut self, caller: PathBuf, real_time: bool) {
        self.apply(Command::ShowRun(true));
        self.run.settings.caller_wav = Some(caller);
        self.run.settings.real_time = real_time;
        self.pending.push(Command::Run(super::commands::RunCommand::Start));
    }

    /// A run was asked for and has not started yet.
    pub fn run_pending(&self) -> bool {
        self.pending.iter().any(|c| matches!(c, Command::Run(super::commands::RunCommand::Start)))
    }

    /// Replace the document, keeping what belongs to the window (theme, recent files, the speaker, dialogs).
    fn replace_with(&mut self, other: DesignerApp) {
        let DesignerApp { doc, selected, restore_offer, .. } = other;
        self.doc = doc;
        self.selected = selected;
        self.restore_offer = restore_offer;
        self.unsaved_since = None;
        self.canvas = FlowCanvas::default();
        self.dialogs.folder = self.doc.path.as_ref().map(|_| self.doc.dir());
        self.run.takes = Default::default();
        self.open_takes();
    }

    /// The takes list of the flow's takes folder (and the offer to remove old takes).
    pub(super) fn open_takes(&mut self) {
        if let Err(e) = self.run.open_takes(&takes_dir(self.doc.path.as_deref())) {
            self.status = Some((false, e));
        }
        // A caller ready to replay: the first WAV in `callers/` beside the flow (the shipped flows have one).
        if self.run.settings.caller_wav.is_none() {
            let callers = self.doc.dir().join("callers");
            let mut wavs: Vec<PathBuf> = std::fs::read_dir(&callers)
                .map(|d| {
                    d.filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
                        .collect()
                })
                .unwrap_or_default();
            wavs.sort();
            self.run.settings.caller_wav = wavs.into_iter().next();
        }
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT);
    }

    /// Open a flow file, or say why not.
    pub fn open(path: &Path) -> Result<Self, String> {
        let flow = load_flow(path).map_err(|e| e.to_string())?;
        let offer = autosave::pending(Some(path), &flow);
        let mut app = DesignerApp::new(flow, Some(path.to_owned()));
        app.restore_offer = offer;
        app.open_takes();
        Ok(app)
    }

    /// Write unsaved changes to the autosave file a few seconds after they were made.
    fn autosave(&mut self, ui: &Ui) {
        if !self.doc.is_dirty() {
            self.unsaved_since = None;
            return;
        }
        let now = ui.input(|i| i.time);
        let since = *self.unsaved_since.get_or_insert(now);
        if now - since >= autosave::AUTOSAVE_AFTER_S {
            if let Err(e) = autosave::write(self.doc.path.as_deref(), &self.doc.flow) {
                self.status = Some((false, format!("Autosave failed: {e}")));
            }
            self.unsaved_since = Some(now);
        }
        // Come back when the autosave is due, even if nothing else happens (no continuous repaint).
        ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(autosave::AUTOSAVE_AFTER_S));
    }

    fn restore_ui(&mut self, ui: &mut Ui) {
        if self.restore_offer.is_none() {
            return;
        }
        let mut choice = None;
        egui::Modal::new(egui::Id::new("restore")).show(ui.ctx(), |ui| {
            ui.heading("Unsaved changes were found");
            ui.label("The last session ended with changes to this flow that were never saved.");
            ui.horizontal(|ui| {
                if ui.button("Restore them").clicked() {
                    choice = Some(true);
                }
                if ui.button("Discard them").clicked() {
                    choice = Some(false);
                }
            });
        });
        match choice {
            Some(true) => {
                if let Some(flow) = self.restore_offer.take() {
                    self.doc.edit(|f| *f = flow);
                    self.status = Some((true, "Restored the unsaved changes (not saved yet)".into()));
                }
            }
            Some(false) => {
                self.restore_offer = None;
                autosave::remove(self.doc.path.as_deref());
            }
            None => {}
        }
    }

    /// Draw the whole window into `ui` and apply what the panels asked for.
    pub fn ui(&mut self, ui: &mut Ui) {
        self.ctx = Some(ui.ctx().clone());
        let mut commands = std::mem::take(&mut self.pending);
        commands.extend(self.dialogs.answers());
        self.shortcuts(ui, &mut commands);
        self.dropped_files(ui, &mut commands);

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, &mut commands));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        self.watch_run(ui);
        self.studio.update();
        if self.studio.is_recording() {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(50));
        }
        if self.studio.open {
            studio_ui(ui, &self.studio, &self.devices.inputs, &mut commands);
        }
        if self.run_mode {
            self.run_view_ui(ui, &mut commands);
            self.restore_ui(ui);
            self.import_ui(ui, &mut commands);
            for command in commands {
                self.apply(command);
            }
            self.autosave(ui);
            return;
        }
        egui::Panel::left("steps").resizable(true).default_size(220.0).show(ui, |ui| {
            ui.heading("Steps");
            steps_ui(ui, &self.doc.flow, &self.doc.report, self.selected, &mut commands);
            ui.add_space(12.0);
            let mut library = egui::CollapsingHeader::new("Prompt library").default_open(false);
            if std::mem::take(&mut self.prompts_open) {
                library = library.open(Some(true));
            }
            library.show(ui, |ui| {
                egui::ScrollArea::vertical().id_salt("prompts").show(ui, |ui| {
                    prompts_ui(ui, &self.doc, &mut commands);
                });
            });
        });
        egui::Panel::right("inspector").resizable(true).default_size(430.0).show(ui, |ui| {
            ui.heading("Step");
            egui::ScrollArea::vertical().show(ui, |ui| match self.selected {
                Some(i) => inspector_ui(ui, &self.doc, i, &mut commands),
                None => {
                    ui.label("Select a step to edit it.");
                }
            });
        });
        egui::Panel::bottom("export").resizable(true).default_size(300.0).min_size(220.0).show(ui, |ui| {
            ui.heading("Export");
            export_ui(ui, &self.doc.flow, self.selected, &mut self.export_tab, &mut commands);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            self.canvas.ui(ui, &self.doc.flow, self.selected, &mut commands);
        });

        self.restore_ui(ui);
        self.import_ui(ui, &mut commands);
        if self.speaker.status().playing.is_some() {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
        }
        for command in commands {
            self.apply(command);
        }
        self.autosave(ui);
    }

    fn shortcuts(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        ui.input_mut(|i| {
            // Redo first: Ctrl+Shift+Z also matches Ctrl+Z with extra modifiers.
            if i.consume_shortcut(&REDO) {
                commands.push(Command::Redo);
            } else if i.consume_shortcut(&UNDO) {
                commands.push(Command::Undo);
            }
            if i.consume_shortcut(&SAVE_AS) {
                commands.push(Command::Dialog(DialogKind::SaveFlowAs));
            }
            if i.consume_shortcut(&OPEN) {
                commands.push(Command::Dialog(DialogKind::OpenFlow));
            }
            if i.consume_shortcut(&SAVE) {
                commands.push(Command::Save);
            }
            if i.consume_shortcut(&NEW) {
                commands.push(Command::New);
            }
        });
    }

    fn menu_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.add(egui::Button::new("New").shortcut_text(ui.ctx().format_shortcut(&NEW))).clicked() {
                    commands.push(Command::New);
                }
                if ui.add(egui::Button::new("Open…").shortcut_text(ui.ctx().format_shortcut(&OPEN))).clicked() {
                    commands.push(Command::Dialog(DialogKind::OpenFlow));
                }
                ui.add_enabled_ui(!self.recent.is_empty(), |ui| {
                    ui.menu_button("Open recent", |ui| {
                        for path in &self.recent {
                            if ui.button(path.display().to_string()).clicked() {
                                commands.push(Command::Open(path.clone()));
                            }
                        }
                    });
                });
                ui.separator();
                let can_save = self.doc.path.is_some();
                if ui
                    .add_enabled(can_save, egui::Button::new("Save").shortcut_text(ui.ctx().format_shortcut(&SAVE)))
                    .clicked()
                {
                    commands.push(Command::Save);
                }
                if ui.add(egui::Button::new("Save as…").shortcut_text(ui.ctx().format_shortcut(&SAVE_AS))).clicked() {
                    commands.push(Command::Dialog(DialogKind::SaveFlowAs));
                }
                ui.separator();
                if ui.button("Import request JSON…").clicked() {
                    commands.push(Command::ShowImport);
                }
                if ui.button("Add prompt WAVs…").clicked() {
                    commands.push(Command::Dialog(DialogKind::AddPrompts));
                }
                if ui.button("Record a prompt…").clicked() {
                    commands.push(Command::Studio(StudioCommand::Open));
                }
            });
            ui.menu_button("Edit", |ui| {
                if ui
                    .add_enabled(
                        self.doc.can_undo(),
                        egui::Button::new("Undo").shortcut_text(ui.ctx().format_shortcut(&UNDO)),
                    )
                    .clicked()
                {
                    commands.push(Command::Undo);
                }
                if ui
                    .add_enabled(
                        self.doc.can_redo(),
                        egui::Button::new("Redo").shortcut_text(ui.ctx().format_shortcut(&REDO)),
                    )
                    .clicked()
                {
                    commands.push(Command::Redo);
                }
            });
            ui.menu_button("View", |ui| {
                if ui.radio(self.dark, "Dark theme").clicked() {
                    commands.push(Command::SetDarkMode(true));
                }
                if ui.radio(!self.dark, "Light theme").clicked() {
                    commands.push(Command::SetDarkMode(false));
                }
            });
            ui.separator();
            if ui.selectable_label(!self.run_mode, "✏ Design").clicked() {
                commands.push(Command::ShowRun(false));
            }
            if ui.selectable_label(self.run_mode, "▶ Run & listen").clicked() {
                commands.push(Command::ShowRun(true));
            }
            ui.separator();
            ui.label(RichText::new(self.doc.title().trim_end_matches(" — ivr-designer")).strong());
            ui.separator();
            let profile = self.doc.flow.profile;
            egui::ComboBox::from_label("API profile").selected_text(profile.name()).show_ui(ui, |ui| {
                for p in ApiProfile::ALL {
                    if ui.selectable_label(p == profile, p.name()).clicked() {
                        commands.push(Command::SetProfile(p));
                    }
                }
            });
        });
    }

    fn status_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let errors = self.doc.report.count(Severity::Error);
            let warnings = self.doc.report.count(Severity::Warning);
            let dark = ui.visuals().dark_mode;
            if errors == 0 && warnings == 0 {
                ui.label(format!("✔ Graph accepts this flow ({})", self.doc.flow.profile));
            } else {
                ui.label(RichText::new(format!("⛔ {errors} error(s)")).color(super::style::error_colour(dark)));
                ui.label(RichText::new(format!("⚠ {warnings} warning(s)")).color(super::style::warning_colour(dark)));
            }
            if let Some((ok, text)) = &self.status {
                ui.separator();
                let colour = if *ok { ui.visuals().text_color() } else { super::style::error_colour(dark) };
                let shown = ui.label(RichText::new(text).color(colour));
                if text.starts_with("Imported") && !self.import_notes.is_empty() {
                    shown.on_hover_text(self.import_notes.join("\n"));
                }
            }
            if let Some(playing) = self.speaker.status().playing {
                ui.separator();
                ui.label(format!("🔊 {playing}"));
                if ui.small_button("■ Stop").clicked() {
                    self.pending.push(Command::StopPlaying);
                }
            }
        });
    }

    /// Carry out one command.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Select(i) => self.selected = i,
            Command::SetProfile(p) => self.doc.edit(|f| f.profile = p),
            Command::Edit(i, edit) => self.edit_step(i, edit),
            Command::AddRecordStep => {
                let name = self.unique_name("record");
                self.doc.edit(|f| f.steps.push(Step::Record(RecordStep::new(name))));
                self.selected = Some(self.doc.flow.steps.len() - 1);
            }
            Command::AddPlayPromptStep => {
                let name = self.unique_name("play");
                let prompt = self.doc.flow.prompts.first().map(|p| p.id.clone()).unwrap_or_default();
                self.doc.edit(|f| f.steps.push(Step::PlayPrompt(PlayPromptStep { name, prompt, next: Target::Next })));
                self.selected = Some(self.doc.flow.steps.len() - 1);
            }
            Command::Duplicate(i) => {
                if let Some(step) = self.doc.flow.steps.get(i).cloned() {
                    let name = self.unique_name(step.name());
                    let mut copy = step;
                    match &mut copy {
                        Step::Record(r) => r.name = name,
                        Step::PlayPrompt(p) => p.name = name,
                    }
                    self.doc.edit(|f| f.steps.insert(i + 1, copy));
                    self.selected = Some(i + 1);
                }
            }
            Command::Delete(i) => {
                if i < self.doc.flow.steps.len() {
                    self.doc.edit(|f| {
                        f.steps.remove(i);
                    });
                    self.selected =
                        if self.doc.flow.steps.is_empty() { None } else { Some(i.min(self.doc.flow.steps.len() - 1)) };
                }
            }
            Command::Move(i, by) => {
                let j = i as isize + by;
                if j >= 0 && (j as usize) < self.doc.flow.steps.len() && i < self.doc.flow.steps.len() {
                    self.doc.edit(|f| f.steps.swap(i, j as usize));
                    self.selected = Some(j as usize);
                }
            }
            Command::Undo => self.doc.undo(),
            Command::Redo => self.doc.redo(),
            Command::New => {
                self.replace_with(DesignerApp::new(Flow::new("Untitled", ApiProfile::BetaRecord), None));
                self.status = None;
            }
            Command::Open(path) => match DesignerApp::open(&path) {
                Ok(app) => {
                    self.replace_with(app);
                    self.remember_recent(&path);
                    self.status = Some((true, format!("Opened {}", path.display())));
                }
                Err(e) => self.status = Some((false, e)),
            },
            Command::Save => match self.doc.path.clone() {
                Some(path) => self.save_to(path),
                None => self.ask(DialogKind::SaveFlowAs),
            },
            Command::SaveAs(path) => {
                self.save_to(path.clone());
                if !self.doc.is_dirty() {
                    self.remember_recent(&path);
                    self.dialogs.folder = Some(self.doc.dir());
                }
            }
            Command::SetDarkMode(dark) => self.dark = dark,
            Command::EditPrompt(i, edit) => self.doc.edit(|f| {
                if let Some(p) = f.prompts.get_mut(i) {
                    match edit {
                        PromptEdit::Uri(u) => p.uri = u,
                        PromptEdit::ResourceId(r) => p.resource_id = r,
                        PromptEdit::File(file) => p.file = file,
                    }
                }
            }),
            Command::ConvertPrompt(i) => {
                let dir = self.doc.dir();
                let Some(prompt) = self.doc.flow.prompts.get(i) else { return };
                let (Some(file), Some(path)) = (prompt.file.clone(), prompt.local_path(&dir)) else { return };
                match convert_to_graph_format(&path) {
                    Ok(converted) => {
                        let name = converted.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                        // Keep the flow's path style: the converted file sits beside the original.
                        let relative = match file.rsplit_once('/') {
                            Some((folder, _)) => format!("{folder}/{name}"),
                            None => name,
                        };
                        self.status = Some((true, format!("Converted to {}", converted.display())));
                        self.apply(Command::EditPrompt(i, PromptEdit::File(Some(relative))));
                    }
                    Err(e) => self.status = Some((false, e)),
                }
            }
            Command::PlayStep(i) => self.play_step(i),
            Command::PlayPrompt(i) => {
                let Some(prompt) = self.doc.flow.prompts.get(i) else { return };
                let label = format!("prompt {}", prompt.id);
                match prompt.local_path(&self.doc.dir()) {
                    Some(path) => self.play(label, as_heard(Some(&path), None)),
                    None => self.status = Some((false, format!("Prompt {} has no local file to play", prompt.id))),
                }
            }
            Command::StopPlaying => self.speaker.stop(),
            Command::AddPrompts(paths) => self.add_prompts(&paths),
            Command::ImportJson(text) => self.import_json(&text),
            Command::ShowImport => self.import = Some((String::new(), None)),
            Command::Dialog(kind) => self.ask(kind),
            Command::WriteText(path, text) => {
                let written = crate::model::write_atomically(&path, |f| std::io::Write::write_all(f, text.as_bytes()));
                self.status = Some(match written {
                    Ok(()) => (true, format!("Saved {}", path.display())),
                    Err(e) => (false, format!("Could not save {}: {e}", path.display())),
                });
            }
            Command::Report(ok, text) => self.status = Some((ok, text)),
            Command::SetCallerWav(path) => self.run.settings.caller_wav = Some(path),
            Command::ShowRun(on) => {
                self.run_mode = on;
                if on {
                    self.list_devices();
                }
            }
            Command::Run(c) => self.apply_run(c),
            Command::Studio(c) => self.apply_studio(c),
        }
        if self.selected.is_some_and(|i| i >= self.doc.flow.steps.len()) {
            self.selected = None;
        }
    }

    fn apply_studio(&mut self, command: StudioCommand) {
        match command {
            StudioCommand::Open => {
                self.studio.open = true;
                self.list_devices();
            }
            StudioCommand::Close => {
                self.studio.stop();
                self.studio.open = false;
            }
            StudioCommand::Name(n) => self.studio.name = n,
            StudioCommand::Device(d) => self.studio.device = d,
            StudioCommand::Record => {
                let now = self.ctx.as_ref().map_or(0.0, |c| c.input(|i| i.time));
                self.speaker.stop();
                self.studio.start(now);
            }
            StudioCommand::Stop => self.studio.stop(),
            StudioCommand::Trim(t) => self.studio.trim = t,
            StudioCommand::Normalise(n) => self.studio.normalise = n,
            StudioCommand::Play(beep) => {
                if let Some(mut samples) = self.studio.processed() {
                    if beep {
                        crate::engine::prompt::append_beep(&mut samples, crate::dsp::BeepSettings::default());
                    }
                    let label = format!("recorded prompt{}", if beep { " + beep" } else { "" });
                    self.play(label, Ok(samples));
                }
            }
            StudioCommand::Save => match self.studio.save(&self.doc.dir()) {
                Ok(path) => {
                    self.studio.error = None;
                    self.studio.recorded = None;
                    self.add_prompts(&[path]);
                }
                Err(e) => self.studio.error = Some(e),
            },
        }
    }

    fn ask(&mut self, kind: DialogKind) {
        match &self.ctx {
            Some(ctx) => self.dialogs.ask(kind, ctx),
            None => self.pending.push(Command::Dialog(kind)),
        }
    }

    fn play(&mut self, label: String, samples: Result<Vec<f32>, String>) {
        match samples {
            Ok(samples) => self.speaker.play(Clip { label, samples: samples.into(), sample_rate: 16_000 }, 0.0),
            Err(e) => self.status = Some((false, e)),
        }
    }

    /// A step's prompt and beep, as the caller hears them.
    fn play_step(&mut self, i: usize) {
        let dir = self.doc.dir();
        let flow = &self.doc.flow;
        let Some(step) = flow.steps.get(i) else { return };
        let (prompt_id, beep) = match step {
            Step::Record(r) => (r.prompt_ids().first().cloned(), r.play_beep),
            Step::PlayPrompt(p) => (Some(p.prompt.clone()), false),
        };
        let path = match prompt_id.as_deref().map(|id| flow.prompt(id).map(|p| (id, p.local_path(&dir)))) {
            None => None,
            Some(Some((_, Some(path)))) => Some(path),
            Some(Some((id, None))) => {
                self.status = Some((false, format!("Prompt {id} has no local file to play")));
                return;
            }
            Some(None) => {
                self.status = Some((false, "The step's prompt is not in the prompt library".into()));
                return;
            }
        };
        let label = format!("step {}{}", step.name(), if beep { " (prompt + beep)" } else { "" });
        let beep = beep.then(crate::dsp::BeepSettings::default);
        self.play(label, as_heard(path.as_deref(), beep));
    }

    fn add_prompts(&mut self, paths: &[PathBuf]) {
        let dir = self.doc.dir();
        let mut added = Vec::new();
        for path in paths {
            match new_prompt(&self.doc.flow, &dir, path) {
                Ok(prompt) => {
                    added.push(prompt.id.clone());
                    self.doc.edit(|f| f.prompts.push(prompt));
                }
                Err(e) => {
                    self.status = Some((false, e));
                    return;
                }
            }
        }
        if !added.is_empty() {
            self.prompts_open = true;
            self.status = Some((true, format!("Added prompt(s) {} — set each export URI", added.join(", "))));
        }
    }

    fn import_json(&mut self, text: &str) {
        let name = self.unique_name("imported");
        let ids: Vec<String> = self.doc.flow.prompts.iter().map(|p| p.id.clone()).collect();
        match import_request(text, &name, &ids) {
            Ok(imported) => {
                let notes = imported.notes.len();
                self.doc.edit(|f| {
                    f.prompts.extend(imported.prompts);
                    f.steps.push(Step::Record(imported.step));
                });
                self.selected = Some(self.doc.flow.steps.len() - 1);
                self.import = None;
                self.status = Some((true, format!("Imported step {name} ({notes} note(s); see the import notes)")));
                self.import_notes = imported.notes.iter().map(|n| n.to_string()).collect();
            }
            Err(e) => {
                let message = format!("Cannot import: {e}");
                match &mut self.import {
                    Some((_, error)) => *error = Some(message),
                    None => self.status = Some((false, message)),
                }
            }
        }
    }

    /// Files dropped onto the window: WAVs join the prompt library, a flow opens, a JSON request is imported.
    fn dropped_files(&mut self, ui: &Ui, commands: &mut Vec<Command>) {
        let dropped: Vec<PathBuf> = ui.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_owned()).collect());
        let ext = |p: &PathBuf| p.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let wavs: Vec<PathBuf> = dropped.iter().filter(|p| ext(p) == "wav").cloned().collect();
        if !wavs.is_empty() {
            commands.push(Command::AddPrompts(wavs));
        }
        for path in dropped.iter().filter(|p| ext(p) != "wav") {
            commands.push(match ext(path).as_str() {
                "ron" => Command::Open(path.clone()),
                "json" => match std::fs::read_to_string(path) {
                    Ok(text) => Command::ImportJson(text),
                    Err(e) => Command::Report(false, format!("Cannot read {}: {e}", path.display())),
                },
                _ => Command::Report(
                    false,
                    format!("{} is not a WAV prompt, a .ron flow or a .json request", path.display()),
                ),
            });
        }
        if ui.input(|i| !i.raw.hovered_files.is_empty()) {
            let painter = ui.ctx().layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::new("drop")));
            let rect = ui.ctx().content_rect();
            painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "Drop WAV files to add them as prompts (or a .ron flow to open it)",
                egui::FontId::proportional(22.0),
                egui::Color32::WHITE,
            );
        }
    }

    fn import_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let Some((text, error)) = &mut self.import else { return };
        let mut close = false;
        egui::Modal::new(egui::Id::new("import")).show(ui.ctx(), |ui| {
            ui.heading("Import a Graph record request");
            ui.label("Paste a request body (or an exported HTTP exchange); it becomes a new record step.");
            let label = ui.label("Request JSON");
            ui.add(
                egui::TextEdit::multiline(text)
                    .code_editor()
                    .desired_rows(12)
                    .desired_width(560.0)
                    .hint_text("{ \"prompts\": [...], \"maxRecordDurationInSeconds\": 10, ... }"),
            )
            .labelled_by(label.id);
            if let Some(error) = error {
                ui.label(
                    RichText::new(format!("⛔ {error}")).color(super::style::error_colour(ui.visuals().dark_mode)),
                );
            }
            ui.horizontal(|ui| {
                if ui.add_enabled(!text.trim().is_empty(), egui::Button::new("Import")).clicked() {
                    commands.push(Command::ImportJson(text.clone()));
                }
                if ui.button("Open a JSON file…").clicked() {
                    commands.push(Command::Dialog(DialogKind::ImportJsonFile));
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.import = None;
        }
    }

    fn save_to(&mut self, path: PathBuf) {
        match save_flow(&path, &self.doc.flow) {
            Ok(()) => {
                self.status = Some((true, format!("Saved {}", path.display())));
                autosave::remove(self.doc.path.as_deref());
                self.doc.mark_saved(path);
            }
            Err(e) => self.status = Some((false, format!("Could not save {}: {e} (nothing was lost)", path.display()))),
        }
    }

    fn unique_name(&self, base: &str) -> String {
        let taken = |n: &str| self.doc.flow.steps.iter().any(|s| s.name() == n);
        if !taken(base) {
            return base.to_owned();
        }
        (2..).map(|k| format!("{base}-{k}")).find(|n| !taken(n)).expect("an unused name exists")
    }

    fn edit_step(&mut self, i: usize, edit: StepEdit) {
        let Some(step) = self.doc.flow.steps.get(i) else { return };
        let old_name = step.name().to_owned();
        self.doc.edit(|f| {
            let step = &mut f.steps[i];
            match (step, edit) {
                (Step::Record(r), StepEdit::Rename(n)) => r.name = n,
                (Step::PlayPrompt(p), StepEdit::Rename(n)) => p.name = n,
                (Step::Record(r), StepEdit::InitialSilence(v)) => r.initial_silence_timeout_in_seconds = v,
                (Step::Record(r), StepEdit::MaxSilence(v)) => r.max_silence_timeout_in_seconds = v,
                (Step::Record(r), StepEdit::MaxDuration(v)) => r.max_record_duration_in_seconds = v,
                (Step::Record(r), StepEdit::PlayBeep(v)) => r.play_beep = v,
                (Step::Record(r), StepEdit::BargeIn(v)) => r.barge_in_allowed = Some(v),
                (Step::Record(r), StepEdit::ToggleStopTone(key)) => {
                    let tones = r.stop_tones.get_or_insert_with(Vec::new);
                    let key = key.to_string();
                    match tones.iter().position(|t| *t == key) {
                        Some(p) => {
                            tones.remove(p);
                        }
                        None => tones.push(key),
                    }
                }
                (Step::Record(r), StepEdit::ClientContext(v)) => r.client_context = v,
                (Step::Record(r), StepEdit::Prompt(v)) => r.prompts = v.map(|p| vec![p]),
                (Step::PlayPrompt(p), StepEdit::Prompt(Some(v))) => p.prompt = v,
                (Step::Record(r), StepEdit::Branch(o, t)) => *r.on.target_mut(o) = t,
                (Step::Record(r), StepEdit::KeyBranch(k, t)) => {
                    r.on.stop_tone_keys.insert(k, t);
                }
                (Step::PlayPrompt(p), StepEdit::Next(t)) => p.next = t,
                _ => {}
            }
            // A renamed step keeps the branches that lead to it.
            let new_name = f.steps[i].name().to_owned();
            if new_name != old_name {
                for s in &mut f.steps {
                    let targets: Vec<&mut Target> = match s {
                        Step::Record(r) => {
                            let mut v: Vec<&mut Target> = vec![
                                &mut r.on.no_speech,
                                &mut r.on.end_of_speech,
                                &mut r.on.max_duration,
                                &mut r.on.stop_tone,
                                &mut r.on.failure,
                            ];
                            v.extend(r.on.stop_tone_keys.values_mut());
                            v
                        }
                        Step::PlayPrompt(p) => vec![&mut p.next],
                    };
                    for t in targets {
                        if *t == Target::Step(old_name.clone()) {
                            *t = Target::Step(new_name.clone());
                        }
                    }
                }
            }
        });
    }
}
