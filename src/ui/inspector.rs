//! The step inspector: every parameter of the profile with the right widget, defaults visible, and each
//! validation message next to the field it is about.

use egui::{Color32, RichText, Ui};

use super::commands::{Command, StepEdit};
use super::document::Document;
use super::style::diagnostic_ui;
use crate::dsp::signals::KEYPAD;
use crate::media::WavFormat;
use crate::model::validate::CLIENT_CONTEXT_MAX_CHARS;
use crate::model::{Flow, Outcome, Place, RecordStep, Report, Step, Target};

/// Show the inspector for step `index` of `flow`.
pub fn inspector_ui(ui: &mut Ui, doc: &Document, index: usize, commands: &mut Vec<Command>) {
    let (flow, report, formats) = (&doc.flow, &doc.report, &doc.prompt_formats[..]);
    let Some(step) = flow.steps.get(index) else {
        ui.label("Select a step to edit it.");
        return;
    };
    let place = Place::Step(step.name().to_owned());

    let mut name = step.name().to_owned();
    ui.horizontal(|ui| {
        let label = ui.label("Step name");
        if ui.add(egui::TextEdit::singleline(&mut name).desired_width(200.0)).labelled_by(label.id).changed() {
            commands.push(Command::Edit(index, StepEdit::Rename(name.clone())));
        }
    });
    for d in field_messages(report, &place, "name") {
        diagnostic_ui(ui, d);
    }
    ui.separator();
    match step {
        Step::Record(r) => record_ui(ui, flow, report, formats, index, r, commands),
        Step::PlayPrompt(p) => {
            ui.label(RichText::new("Play prompt").strong());
            prompt_choice_ui(ui, flow, index, Some(&p.prompt), false, formats, commands);
            for d in field_messages(report, &place, "prompt") {
                diagnostic_ui(ui, d);
            }
            target_ui(ui, flow, index, "Afterwards", &p.next, StepEdit::Next, commands);
        }
    }
}

fn record_ui(
    ui: &mut Ui,
    flow: &Flow,
    report: &Report,
    formats: &[Option<Result<WavFormat, String>>],
    index: usize,
    r: &RecordStep,
    commands: &mut Vec<Command>,
) {
    let place = Place::Step(r.name.clone());
    let show = |ui: &mut Ui, field: &str| {
        for d in field_messages(report, &place, field) {
            diagnostic_ui(ui, d);
        }
    };
    let (low, high) = flow.profile.timer_range();
    ui.label(RichText::new("Record (Graph's record request)").strong());

    prompt_choice_ui(ui, flow, index, r.prompt_ids().first(), true, formats, commands);
    show(ui, "prompts");

    egui::Grid::new(("timers", index)).num_columns(3).spacing([8.0, 6.0]).show(ui, |ui| {
        let timers: [(&str, &str, Option<i64>, fn(Option<i64>) -> StepEdit); 3] = [
            (
                "Initial silence timeout (s)",
                "initialSilenceTimeoutInSeconds",
                r.initial_silence_timeout_in_seconds,
                StepEdit::InitialSilence,
            ),
            (
                "Max silence timeout (s)",
                "maxSilenceTimeoutInSeconds",
                r.max_silence_timeout_in_seconds,
                StepEdit::MaxSilence,
            ),
            (
                "Max record duration (s)",
                "maxRecordDurationInSeconds",
                r.max_record_duration_in_seconds,
                StepEdit::MaxDuration,
            ),
        ];
        for (label, field, value, edit) in timers {
            let l = ui.label(label);
            seconds_field(ui, (index, field), value, l.id, |v| commands.push(Command::Edit(index, edit(v))));
            ui.label(RichText::new(format!("{low}–{high} s, default 5")).weak());
            ui.end_row();
        }
    });
    for field in ["initialSilenceTimeoutInSeconds", "maxSilenceTimeoutInSeconds", "maxRecordDurationInSeconds"] {
        show(ui, field);
    }

    let mut beep = r.play_beep;
    if ui.checkbox(&mut beep, "Play beep").changed() {
        commands.push(Command::Edit(index, StepEdit::PlayBeep(beep)));
    }
    let mut barge = r.barge_in();
    if ui.checkbox(&mut barge, "Barge-in allowed").changed() {
        commands.push(Command::Edit(index, StepEdit::BargeIn(barge)));
    }

    ui.label("Stop tones");
    egui::Grid::new(("keypad", index)).spacing([4.0, 4.0]).show(ui, |ui| {
        for row in KEYPAD {
            for key in row {
                let on = r.stop_tone_list().iter().any(|t| t == &key.to_string());
                let text = RichText::new(key.to_string()).monospace().size(16.0);
                let button = egui::Button::selectable(on, text).min_size(egui::vec2(32.0, 28.0));
                let response = ui.add(button).on_hover_text(if "ABCD".contains(key) {
                    "Not documented for Graph: most phones cannot send it"
                } else {
                    "Ends the recording when pressed"
                });
                // The accessible name says which key and whether it is on.
                response.widget_info(|| {
                    egui::WidgetInfo::selected(egui::WidgetType::Button, true, on, format!("Stop tone {key}"))
                });
                if response.clicked() {
                    commands.push(Command::Edit(index, StepEdit::ToggleStopTone(key)));
                }
            }
            ui.end_row();
        }
    });
    show(ui, "stopTones");

    let mut context = r.client_context.clone().unwrap_or_default();
    ui.horizontal(|ui| {
        let label = ui.label("Client context");
        let count = context.chars().count();
        let edit = ui.add(egui::TextEdit::singleline(&mut context).desired_width(220.0)).labelled_by(label.id);
        let colour = if count > CLIENT_CONTEXT_MAX_CHARS {
            Color32::from_rgb(0xd3, 0x2f, 0x2f)
        } else {
            ui.visuals().weak_text_color()
        };
        ui.label(RichText::new(format!("{count}/{CLIENT_CONTEXT_MAX_CHARS}")).color(colour));
        if edit.changed() {
            commands
                .push(Command::Edit(index, StepEdit::ClientContext((!context.is_empty()).then(|| context.clone()))));
        }
    });
    show(ui, "clientContext");
    show(ui, "streamWhileRecording");

    ui.separator();
    ui.label(RichText::new("Where each outcome goes").strong());
    for outcome in Outcome::ALL {
        let target = r.on.target(outcome).clone();
        target_ui(
            ui,
            flow,
            index,
            &format!("On {}", outcome.label()),
            &target,
            move |t| StepEdit::Branch(outcome, t),
            commands,
        );
    }
    for d in report.about(&place).filter(|d| d.field.starts_with("on ")) {
        diagnostic_ui(ui, d);
    }
}

/// The messages about one field (or one of its items, like `stopTones[1]`).
fn field_messages<'a>(report: &'a Report, place: &Place, field: &str) -> Vec<&'a crate::model::Diagnostic> {
    let item = format!("{field}[");
    report
        .diagnostics
        .iter()
        .filter(|d| &d.place == place && (d.field == field || d.field.starts_with(&item)))
        .collect()
}

/// A whole-seconds text field. Empty means "Graph's default". Text that is not a number is shown, not sent.
fn seconds_field(
    ui: &mut Ui,
    key: (usize, &str),
    value: Option<i64>,
    label: egui::Id,
    mut send: impl FnMut(Option<i64>),
) {
    let id = ui.make_persistent_id(key);
    let model_text = value.map(|v| v.to_string()).unwrap_or_default();
    let mut text = ui.data_mut(|d| d.get_temp::<String>(id)).unwrap_or_else(|| model_text.clone());
    let focused = ui.memory(|m| m.has_focus(id));
    if !focused && text.trim().parse::<i64>().ok() != value {
        text = model_text;
    }
    let response =
        ui.add(egui::TextEdit::singleline(&mut text).id(id).desired_width(60.0).hint_text("5")).labelled_by(label);
    if response.changed() {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            send(None);
        } else if let Ok(v) = trimmed.parse::<i64>() {
            send(Some(v));
        }
    }
    if !text.trim().is_empty() && text.trim().parse::<i64>().is_err() {
        response.on_hover_text("Whole seconds only");
    }
    ui.data_mut(|d| d.insert_temp(id, text));
}

fn prompt_choice_ui(
    ui: &mut Ui,
    flow: &Flow,
    index: usize,
    current: Option<&String>,
    optional: bool,
    formats: &[Option<Result<WavFormat, String>>],
    commands: &mut Vec<Command>,
) {
    let shown = current.cloned().unwrap_or_else(|| "(no prompt)".into());
    ui.horizontal(|ui| {
        egui::ComboBox::from_label("Prompt").selected_text(shown).show_ui(ui, |ui| {
            if optional && ui.selectable_label(current.is_none(), "(no prompt)").clicked() {
                commands.push(Command::Edit(index, StepEdit::Prompt(None)));
            }
            for p in &flow.prompts {
                if ui.selectable_label(current == Some(&p.id), &p.id).clicked() {
                    commands.push(Command::Edit(index, StepEdit::Prompt(Some(p.id.clone()))));
                }
            }
        });
        if ui.button("▶ Play as heard").on_hover_text("The prompt, then the beep if this step plays one").clicked() {
            commands.push(Command::PlayStep(index));
        }
    });
    let format = current.and_then(|id| flow.prompts.iter().position(|p| &p.id == id)).and_then(|i| formats.get(i));
    if let Some(Some(Ok(f))) = format {
        ui.label(RichText::new(format!("Prompt file: {f}")).weak());
    }
}

fn target_ui(
    ui: &mut Ui,
    flow: &Flow,
    index: usize,
    label: &str,
    target: &Target,
    edit: impl Fn(Target) -> StepEdit,
    commands: &mut Vec<Command>,
) {
    let text = |t: &Target| match t {
        Target::Next => match flow.steps.get(index + 1) {
            Some(s) => format!("next step ({})", s.name()),
            None => "next step (the end)".to_owned(),
        },
        Target::End => "end of the flow".to_owned(),
        Target::Step(n) => n.clone(),
    };
    egui::ComboBox::from_label(label).selected_text(text(target)).width(220.0).show_ui(ui, |ui| {
        let mut options = vec![Target::Next, Target::End];
        options.extend(flow.steps.iter().map(|s| Target::Step(s.name().to_owned())));
        for option in options {
            if ui.selectable_label(&option == target, text(&option)).clicked() {
                commands.push(Command::Edit(index, edit(option.clone())));
            }
        }
    });
}
