//! The result of the run's selected operation as the bot receives it: the final `recordOperation` and the
//! `commsNotifications` body, each copyable.

use egui::{RichText, Ui};

use super::run_state::RunState;
use super::style::json_view;
use crate::engine::Outcome;

pub fn result_ui(ui: &mut Ui, run: &RunState) {
    let Some(op) = run.selected.and_then(|i| run.operations.get(i)) else {
        ui.label("The result appears here after a run.");
        return;
    };
    let Some(report) = &op.report else {
        ui.label("Running…");
        return;
    };
    let Outcome::Record(result) = &report.outcome else {
        ui.label(format!("{} played a prompt: no record result.", op.step));
        return;
    };
    if let Some(note) = &report.note {
        ui.label(RichText::new(note).italics());
    }
    let documents = [("recordOperation", &result.operation), ("commsNotifications body", &result.notification)];
    egui::ScrollArea::vertical().id_salt("result").show(ui, |ui| {
        for (title, value) in documents {
            let text = serde_json::to_string_pretty(value).unwrap_or_default();
            let title_label = ui
                .horizontal(|ui| {
                    let l = ui.label(RichText::new(title).strong());
                    if ui.button(format!("Copy {title}")).clicked() {
                        ui.ctx().copy_text(text.clone());
                    }
                    l
                })
                .inner;
            json_view(ui, &text, title_label.id);
        }
    });
}
