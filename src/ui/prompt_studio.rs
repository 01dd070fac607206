//! The prompt studio: record a prompt from the microphone (a count-in, a level meter), trim the silence around the
//! voice and normalise its peak, listen to it with the beep after it as the caller would, and save it in Graph's
//! format into the flow's prompt library.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::commands::Command;
use crate::audio::recorder::Recorder;
use crate::dsp::prompt_edit::{normalise_peak, trim_silence};

/// How long the count-in lasts before the voice is kept, ms.
pub const COUNT_IN_MS: f64 = 3000.0;

#[derive(Clone, Debug, PartialEq)]
pub enum StudioCommand {
    Open,
    Close,
    Name(String),
    Device(Option<String>),
    Record,
    Stop,
    Trim(bool),
    Normalise(bool),
    /// Listen to the prompt as it will be saved, with the beep after it (true) or alone.
    Play(bool),
    Save,
}

pub struct PromptStudio {
    pub open: bool,
    pub name: String,
    pub device: Option<String>,
    pub trim: bool,
    pub normalise: bool,
    recorder: Option<Recorder>,
    /// When the recording started (ui time, s), for the count-in.
    started_at: f64,
    /// The last recording, 16 kHz mono, as recorded.
    pub recorded: Option<Vec<f32>>,
    pub error: Option<String>,
    meter: f32,
}

impl Default for PromptStudio {
    fn default() -> Self {
        PromptStudio {
            open: false,
            name: "new-prompt".into(),
            device: None,
            trim: true,
            normalise: true,
            recorder: None,
            started_at: 0.0,
            recorded: None,
            error: None,
            meter: 0.0,
        }
    }
}

impl PromptStudio {
    pub fn is_recording(&self) -> bool {
        self.recorder.is_some()
    }

    pub fn start(&mut self, now_s: f64) {
        self.error = None;
        self.recorded = None;
        self.started_at = now_s;
        self.recorder = Some(Recorder::start(self.device.clone(), COUNT_IN_MS));
    }

    pub fn stop(&mut self) {
        if let Some(r) = &self.recorder {
            r.stop();
        }
    }

    /// The recording as it will be saved (trimmed and normalised as chosen).
    pub fn processed(&self) -> Option<Vec<f32>> {
        let recorded = self.recorded.as_ref()?;
        let mut out = if self.trim { trim_silence(recorded).to_vec() } else { recorded.clone() };
        if self.normalise {
            normalise_peak(&mut out);
        }
        Some(out)
    }

    /// Take in the recorder's progress.
    pub fn update(&mut self) {
        let Some(r) = &self.recorder else { return };
        self.meter = (self.meter * 0.85).max(r.take_peak());
        if let Some(done) = r.poll() {
            self.recorder = None;
            match done {
                Ok(samples) => self.recorded = Some(samples),
                Err(e) => self.error = Some(e),
            }
        }
    }

    /// Where the prompt is saved: `prompts/NAME.wav` beside the flow (never over an existing file).
    pub fn save(&self, flow_dir: &Path) -> Result<PathBuf, String> {
        let samples = self.processed().ok_or("Record a prompt first")?;
        if samples.is_empty() {
            return Err("Only silence was recorded (nothing above −45 dBFS): nothing to save".into());
        }
        let name: String = self
            .name
            .trim()
            .chars()
            .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
            .collect();
        if name.is_empty() {
            return Err("Give the prompt a name".into());
        }
        let folder = flow_dir.join("prompts");
        std::fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        let path = folder.join(format!("{name}.wav"));
        if path.exists() {
            return Err(format!("{} already exists: choose another name", path.display()));
        }
        crate::media::write_graph_wav(&path, &samples).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(path)
    }
}

pub fn studio_ui(ui: &mut Ui, studio: &PromptStudio, inputs: &[String], commands: &mut Vec<Command>) {
    let mut open = studio.open;
    let mut name = studio.name.clone();
    egui::Window::new("Prompt studio").open(&mut open).default_width(380.0).show(ui.ctx(), |ui| {
        let recording = studio.is_recording();
        ui.add_enabled_ui(!recording, |ui| {
            ui.horizontal(|ui| {
                let l = ui.label("Prompt name");
                if ui.text_edit_singleline(&mut name).labelled_by(l.id).changed() {
                    commands.push(Command::Studio(StudioCommand::Name(name.clone())));
                }
            });
            let shown = studio.device.clone().unwrap_or_else(|| "system default".into());
            egui::ComboBox::from_label("Microphone").selected_text(shown).show_ui(ui, |ui| {
                if ui.selectable_label(studio.device.is_none(), "system default").clicked() {
                    commands.push(Command::Studio(StudioCommand::Device(None)));
                }
                for n in inputs {
                    if ui.selectable_label(studio.device.as_ref() == Some(n), n).clicked() {
                        commands.push(Command::Studio(StudioCommand::Device(Some(n.clone()))));
                    }
                }
            });
        });
        ui.horizontal(|ui| {
            if ui.add_enabled(!recording, egui::Button::new("⏺ Record")).clicked() {
                commands.push(Command::Studio(StudioCommand::Record));
            }
            if ui.add_enabled(recording, egui::Button::new("⏹ Stop")).clicked() {
                commands.push(Command::Studio(StudioCommand::Stop));
            }
        });
        if let Some(r) = &studio.recorder {
            let elapsed_ms = (ui.input(|i| i.time) - studio.started_at) * 1000.0;
            let count = ((COUNT_IN_MS - elapsed_ms) / 1000.0).ceil();
            let text = if count > 0.0 {
                format!("Speak in {count:.0}…")
            } else {
                format!("Recording — speak now ({:.1} s)", r.recorded_ms() / 1000.0)
            };
            ui.label(RichText::new(text).strong());
            let db = if studio.meter > 0.0 { 20.0 * studio.meter.log10() } else { -120.0 };
            ui.add(egui::ProgressBar::new(((db + 60.0) / 60.0).clamp(0.0, 1.0)).text(format!("Level {db:.0} dBFS")));
        }
        if let (Some(recorded), Some(processed)) = (&studio.recorded, studio.processed()) {
            ui.label(format!(
                "Recorded {:.2} s; the prompt is {:.2} s",
                recorded.len() as f64 / 16_000.0,
                processed.len() as f64 / 16_000.0
            ));
            let mut trim = studio.trim;
            if ui.checkbox(&mut trim, "Trim the silence before and after the voice").changed() {
                commands.push(Command::Studio(StudioCommand::Trim(trim)));
            }
            let mut normalise = studio.normalise;
            if ui.checkbox(&mut normalise, "Normalise the peak to −1 dBFS").changed() {
                commands.push(Command::Studio(StudioCommand::Normalise(normalise)));
            }
            ui.horizontal(|ui| {
                if ui.button("▶ Play with the beep").clicked() {
                    commands.push(Command::Studio(StudioCommand::Play(true)));
                }
                if ui.button("▶ Play").clicked() {
                    commands.push(Command::Studio(StudioCommand::Play(false)));
                }
                if ui
                    .button("💾 Save to the prompt library")
                    .on_hover_text("16 kHz mono 16-bit, in prompts/ beside the flow")
                    .clicked()
                {
                    commands.push(Command::Studio(StudioCommand::Save));
                }
            });
        }
        if let Some(e) = &studio.error {
            ui.label(RichText::new(format!("⛔ {e}")).color(super::style::error_colour(ui.visuals().dark_mode)));
        }
    });
    if !open {
        commands.push(Command::Studio(StudioCommand::Close));
    }
}
