//! The takes of the listening session: each take with its flow, step, reason, length and speech time; play it,
//! rate it, note it, delete it; filter by reason; export the list as CSV or JSON.

use egui::{RichText, Ui};

use super::commands::{Command, RunCommand};
use super::dialogs::DialogKind;
use super::run_state::RunState;

pub fn takes_ui(ui: &mut Ui, run: &RunState, playing: Option<&str>, commands: &mut Vec<Command>) {
    let shown = run.shown_takes();
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Takes in {}", run.takes.dir.display())).strong());
        let mut reasons: Vec<String> = run.takes.entries.iter().map(|e| e.reason.clone()).collect();
        reasons.sort();
        reasons.dedup();
        let shown_filter = run.filter.clone().unwrap_or_else(|| "every reason".into());
        egui::ComboBox::from_label("Filter by reason").selected_text(shown_filter).show_ui(ui, |ui| {
            if ui.selectable_label(run.filter.is_none(), "every reason").clicked() {
                commands.push(Command::Run(RunCommand::Filter(None)));
            }
            for r in reasons {
                if ui.selectable_label(run.filter.as_ref() == Some(&r), &r).clicked() {
                    commands.push(Command::Run(RunCommand::Filter(Some(r.clone()))));
                }
            }
        });
        if ui.button("Export CSV…").clicked() {
            let (text, file_name) = (run.takes.to_csv(&shown), "takes.csv".to_owned());
            commands.push(Command::Dialog(DialogKind::SaveText { text, file_name }));
        }
        if ui.button("Export JSON…").clicked() {
            let (text, file_name) = (run.takes.to_json(&shown), "takes.json".to_owned());
            commands.push(Command::Dialog(DialogKind::SaveText { text, file_name }));
        }
        ui.label(format!("{} of {} shown", shown.len(), run.takes.entries.len()));
    });
    if run.takes.entries.is_empty() {
        ui.label("No takes yet: each run's recordings are listed here.");
        return;
    }
    egui::ScrollArea::vertical().id_salt("takes").auto_shrink([false, true]).show(ui, |ui| {
        egui::Grid::new("takes-grid").striped(true).num_columns(9).spacing([10.0, 4.0]).show(ui, |ui| {
            for h in ["", "Recorded (UTC)", "Flow", "Step", "Reason", "Length", "Speech", "Rating", "Note"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for &i in &shown {
                let e = &run.takes.entries[i];
                ui.push_id(("take", i), |ui| {
                    let is_playing = playing == Some(e.file.as_str());
                    let (icon, label) = if is_playing { ("■", "Stop") } else { ("▶", "Play") };
                    let b = ui.button(icon).on_hover_text(format!("{label} {}", e.file));
                    let file = e.file.clone();
                    b.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::WidgetType::Button, true, format!("{label} take {file}"))
                    });
                    if b.clicked() {
                        commands.push(if is_playing {
                            Command::StopPlaying
                        } else {
                            Command::Run(RunCommand::PlayTake(i, 0.0))
                        });
                    }
                });
                ui.label(crate::engine::take::utc_time(u128::from(e.recorded_at)));
                ui.label(&e.flow);
                ui.label(&e.step);
                ui.label(&e.reason);
                ui.label(format!("{:.1} s", e.duration_ms / 1000.0));
                ui.label(format!("{:.1} s", e.speech_ms / 1000.0));
                ui.horizontal(|ui| {
                    for stars in 1..=5u8 {
                        let on = e.rating.is_some_and(|r| r >= stars);
                        let star = ui.selectable_label(on, if on { "★" } else { "☆" });
                        let file = e.file.clone();
                        star.widget_info(|| {
                            egui::WidgetInfo::selected(
                                egui::WidgetType::Button,
                                true,
                                on,
                                format!("Rate {file} {stars} of 5"),
                            )
                        });
                        if star.clicked() {
                            let rating = if e.rating == Some(stars) { None } else { Some(stars) };
                            commands.push(Command::Run(RunCommand::RateTake(i, rating)));
                        }
                    }
                });
                ui.horizontal(|ui| {
                    let mut note = e.note.clone();
                    let label = ui.label(RichText::new("✏").weak());
                    let file = e.file.clone();
                    label.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::WidgetType::Label, true, format!("Note for {file}"))
                    });
                    let edit = ui
                        .add(egui::TextEdit::singleline(&mut note).desired_width(220.0).hint_text("note"))
                        .labelled_by(label.id);
                    if edit.changed() {
                        commands.push(Command::Run(RunCommand::NoteTake(i, note.clone())));
                    }
                    let del = ui.small_button("🗑").on_hover_text("Delete this take (its file too)");
                    let file = e.file.clone();
                    del.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::WidgetType::Button, true, format!("Delete take {file}"))
                    });
                    if del.clicked() {
                        commands.push(Command::Run(RunCommand::DeleteTake(i)));
                    }
                });
                ui.end_row();
            }
        });
    });
}
