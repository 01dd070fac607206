//! The run-and-listen view: the run panel on the left, the result on the right, the takes below and the
//! timeline in the middle; and what the app does with the run's commands.

use std::time::Duration;

use egui::Ui;

use super::app::DesignerApp;
use super::commands::{Command, RunCommand};
use super::result_panel::result_ui;
use super::run_panel::{DeviceNames, run_panel_ui};
use super::run_state::takes_dir;
use super::takes_panel::takes_ui;
use super::timeline_view::timeline_ui;
use crate::audio::Clip;

impl DesignerApp {
    pub(super) fn run_view_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        // The takes first: they span the window's width (their table has many columns).
        let playing = self.speaker.status().playing;
        egui::Panel::bottom("takes").resizable(true).default_size(230.0).min_size(150.0).show(ui, |ui| {
            ui.heading("Takes");
            takes_ui(ui, &self.run, playing.as_deref(), commands);
        });
        egui::Panel::left("run").resizable(true).default_size(300.0).show(ui, |ui| {
            ui.heading("Run");
            egui::ScrollArea::vertical().id_salt("run-panel").show(ui, |ui| {
                run_panel_ui(ui, &self.run, &self.devices, commands);
                ui.add_space(8.0);
                let mut days = self.run.settings.retention_days;
                ui.horizontal(|ui| {
                    let l = ui.label("Remove takes older than (days, 0 = never)");
                    if ui.add(egui::DragValue::new(&mut days).range(0..=3650)).labelled_by(l.id).changed() {
                        let mut s = self.run.settings.clone();
                        s.retention_days = days;
                        commands.push(Command::Run(RunCommand::Settings(s)));
                    }
                });
            });
        });
        egui::Panel::right("result").resizable(true).default_size(360.0).show(ui, |ui| {
            ui.heading("Result");
            result_ui(ui, &self.run);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Timeline");
            egui::ScrollArea::vertical().id_salt("timeline").show(ui, |ui| {
                timeline_ui(ui, &self.run, &mut self.timeline, commands);
            });
        });
        self.retention_ui(ui, commands);
    }

    /// Take in the engine's progress; keep repainting while a run goes on (the meter and the timers move).
    pub(super) fn watch_run(&mut self, ui: &Ui) {
        if let Some(rx) = &self.devices_inbox
            && let Ok(names) = rx.try_recv()
        {
            self.devices = names;
            self.devices_inbox = None;
        }
        if self.run.session.is_none() {
            return;
        }
        let was_running = self.run.is_running();
        for message in self.run.update(&self.doc.flow) {
            self.status = Some((false, message));
        }
        if self.run.is_running() {
            ui.ctx().request_repaint_after(Duration::from_millis(50));
        } else if was_running {
            self.status = Some(match (&self.run.error, &self.run.stopped) {
                (Some(e), _) => (false, e.clone()),
                (None, Some(why)) => (true, format!("Run finished: {why}")),
                (None, None) => (true, "Run finished".to_owned()),
            });
        }
    }

    /// List the audio devices on a worker thread (the audio system can take a moment to answer).
    pub(super) fn list_devices(&mut self) {
        if self.devices_inbox.is_some() {
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new().name("devices".into()).spawn(move || {
            let names = crate::audio::list_devices()
                .map(|l| DeviceNames {
                    inputs: l.inputs.into_iter().map(|d| d.name).collect(),
                    outputs: l.outputs.into_iter().map(|d| d.name).collect(),
                })
                .unwrap_or_default();
            let _ = tx.send(names);
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        });
        if spawned.is_ok() {
            self.devices_inbox = Some(rx);
        }
    }

    fn retention_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        if self.run.expired_offer.is_empty() {
            return;
        }
        egui::Modal::new(egui::Id::new("retention")).show(ui.ctx(), |ui| {
            ui.heading("Remove old takes?");
            ui.label(format!(
                "{} take(s) in {} are older than {} days (like Graph, which discards recordings).",
                self.run.expired_offer.len(),
                self.run.takes.dir.display(),
                self.run.settings.retention_days
            ));
            ui.horizontal(|ui| {
                if ui.button("Remove them").clicked() {
                    commands.push(Command::Run(RunCommand::RemoveExpired(true)));
                }
                if ui.button("Keep them").clicked() {
                    commands.push(Command::Run(RunCommand::RemoveExpired(false)));
                }
            });
        });
    }

    pub(super) fn apply_run(&mut self, command: RunCommand) {
        match command {
            RunCommand::Settings(s) => {
                if s.output_device != self.run.settings.output_device {
                    self.speaker.use_device(s.output_device.clone());
                }
                self.run.settings = s;
            }
            RunCommand::Start => {
                let wake = self.ctx.clone();
                let dir = self.doc.dir();
                self.speaker.stop();
                let feed = Some(self.speaker.feed());
                self.run.start(&self.doc.flow, &dir, &takes_dir(self.doc.path.as_deref()), feed, move || {
                    if let Some(ctx) = &wake {
                        ctx.request_repaint();
                    }
                });
                self.timeline = Default::default();
            }
            RunCommand::Cancel => {
                self.speaker.stop();
                if let Some(s) = &self.run.session {
                    s.cancel();
                }
            }
            RunCommand::HangUp => {
                if let Some(s) = &self.run.session {
                    s.hang_up();
                }
            }
            RunCommand::SelectOperation(i) => {
                self.run.selected = Some(i);
                self.timeline = Default::default();
            }
            RunCommand::PlayCallFrom(ms) => {
                if self.run.caller_audio.is_empty() {
                    return;
                }
                let clip =
                    Clip { label: "the call".into(), samples: self.run.caller_audio.clone(), sample_rate: 16_000 };
                self.speaker.play(clip, ms);
            }
            RunCommand::PlayTake(i, from_ms) => {
                let Some(entry) = self.run.takes.entries.get(i) else { return };
                let path = self.run.takes.path_of(entry);
                match crate::engine::prompt::load_prompt(&path) {
                    Ok(samples) => {
                        let clip = Clip { label: entry.file.clone(), samples: samples.into(), sample_rate: 16_000 };
                        self.speaker.play(clip, from_ms);
                    }
                    Err(e) => self.status = Some((false, format!("Cannot play {}: {e}", path.display()))),
                }
            }
            RunCommand::RateTake(i, rating) => self.change_take(i, |e| e.rating = rating),
            RunCommand::NoteTake(i, note) => self.change_take(i, |e| e.note = note),
            RunCommand::DeleteTake(i) => {
                let result = self.run.takes.delete(i).and_then(|()| self.run.takes.save());
                if let Err(e) = result {
                    self.status = Some((false, e.to_string()));
                }
            }
            RunCommand::Filter(f) => self.run.filter = f,
            RunCommand::RemoveExpired(remove) => {
                let mut expired = std::mem::take(&mut self.run.expired_offer);
                if remove {
                    expired.sort_unstable();
                    for i in expired.into_iter().rev() {
                        if let Err(e) = self.run.takes.delete(i) {
                            self.status = Some((false, e.to_string()));
                        }
                    }
                    if let Err(e) = self.run.takes.save() {
                        self.status = Some((false, e.to_string()));
                    }
                }
            }
        }
    }

    fn change_take(&mut self, i: usize, change: impl FnOnce(&mut crate::engine::takes_log::TakeEntry)) {
        if let Some(e) = self.run.takes.entries.get_mut(i) {
            change(e);
            if let Err(e) = self.run.takes.save() {
                self.status = Some((false, e.to_string()));
            }
        }
    }
}
