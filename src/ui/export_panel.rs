//! The export panel: the selected record step's Graph JSON (syntax-coloured, read-only), a Copy button, and the
//! whole HTTP exchange and the callback the bot will get, as tabs.

use egui::Ui;

use super::commands::Command;
use super::dialogs::DialogKind;
use super::style::json_view;
use crate::engine::graph_result::{OperationIds, notification};
use crate::model::export::{OPERATION_ID, http_exchange, request_body};
use crate::model::{CompletionReason, Flow, Step};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportTab {
    #[default]
    Request,
    Http,
    Notification,
}

impl ExportTab {
    const ALL: [ExportTab; 3] = [ExportTab::Request, ExportTab::Http, ExportTab::Notification];

    fn label(self) -> &'static str {
        match self {
            ExportTab::Request => "Request body",
            ExportTab::Http => "HTTP request and response",
            ExportTab::Notification => "Callback (stop tone)",
        }
    }
}

/// The JSON the tab shows for step `index`, or why there is none.
pub fn export_text(flow: &Flow, index: usize, tab: ExportTab) -> Result<String, String> {
    let Some(Step::Record(step)) = flow.steps.get(index) else {
        return Err("Select a record step to see the request it exports.".into());
    };
    let value = match tab {
        ExportTab::Request => request_body(flow, step).map_err(|e| e.to_string())?,
        ExportTab::Http => http_exchange(flow, step).map_err(|e| e.to_string())?,
        ExportTab::Notification => {
            let ids = OperationIds {
                call_id: crate::model::export::CALL_ID.into(),
                operation_id: OPERATION_ID.into(),
                client_context: step.client_context.clone(),
                recording_location: Some("https://…/{recording}".into()),
                recording_access_token: Some("{recordingAccessToken}".into()),
            };
            notification(flow.profile, &ids, CompletionReason::StopToneDetected)
        }
    };
    Ok(serde_json::to_string_pretty(&value).unwrap_or_default())
}

pub fn export_ui(ui: &mut Ui, flow: &Flow, index: Option<usize>, tab: &mut ExportTab, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        for t in ExportTab::ALL {
            ui.selectable_value(tab, t, t.label());
        }
        ui.separator();
        if ui.button("Import JSON…").on_hover_text("Paste or open a Graph record request").clicked() {
            commands.push(Command::ShowImport);
        }
    });
    let text = match index {
        Some(i) => export_text(flow, i, *tab),
        None => Err("Select a record step to see the request it exports.".into()),
    };
    match text {
        Ok(json) => {
            let label = ui
                .horizontal(|ui| {
                    if ui.button("Copy JSON").on_hover_text("Copy this JSON to the clipboard").clicked() {
                        ui.ctx().copy_text(json.clone());
                    }
                    if ui.button("Save as…").on_hover_text("Save this JSON to a file").clicked() {
                        let file_name = "record-request.json".to_owned();
                        commands.push(Command::Dialog(DialogKind::SaveText { text: json.clone(), file_name }));
                    }
                    ui.label(egui::RichText::new(format!("{} — {} profile", tab.label(), flow.profile)).weak())
                })
                .inner;
            egui::ScrollArea::vertical().auto_shrink([false; 2]).show(ui, |ui| json_view(ui, &json, label.id));
        }
        Err(why) => {
            ui.label(why);
        }
    }
}
