//! The list of steps with add, duplicate, delete and reorder; the selected step goes to the inspector.

use egui::{RichText, Ui};

use super::commands::Command;
use crate::model::{Flow, Place, Severity, Step};

pub fn steps_ui(
    ui: &mut Ui,
    flow: &Flow,
    report: &crate::model::Report,
    selected: Option<usize>,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        if ui.button("+ Record step").clicked() {
            commands.push(Command::AddRecordStep);
        }
        if ui.button("+ Play-prompt step").clicked() {
            commands.push(Command::AddPlayPromptStep);
        }
    });
    ui.separator();
    for (i, step) in flow.steps.iter().enumerate() {
        let place = Place::Step(step.name().to_owned());
        let worst = report.about(&place).map(|d| d.severity).max();
        let badge = match worst {
            Some(Severity::Error) => " ⛔",
            Some(Severity::Warning) => " ⚠",
            None => "",
        };
        let kind = match step {
            Step::Record(_) => "🎤",
            Step::PlayPrompt(_) => "🔊",
        };
        ui.horizontal(|ui| {
            let text = RichText::new(format!("{kind} {}{badge}", step.name()));
            if ui.selectable_label(selected == Some(i), text).clicked() {
                commands.push(Command::Select(Some(i)));
            }
        });
    }
    if let Some(i) = selected.filter(|&i| i < flow.steps.len()) {
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            if ui.add_enabled(i > 0, egui::Button::new("Move up")).clicked() {
                commands.push(Command::Move(i, -1));
            }
            if ui.add_enabled(i + 1 < flow.steps.len(), egui::Button::new("Move down")).clicked() {
                commands.push(Command::Move(i, 1));
            }
            if ui.button("Duplicate").clicked() {
                commands.push(Command::Duplicate(i));
            }
            if ui.button("Delete").clicked() {
                commands.push(Command::Delete(i));
            }
        });
    }
}
