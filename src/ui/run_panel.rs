//! The run panel: who the caller is (a WAV file or the microphone), the devices, Run / Cancel / Hang up, the
//! caller's level, the phase the operation is in, and each timer counting toward its limit.

use egui::{RichText, Ui};

use super::commands::{Command, RunCommand};
use super::dialogs::DialogKind;
use super::run_state::{CallerChoice, RunOperation, RunState};
use crate::engine::EventKind;

pub fn run_panel_ui(ui: &mut Ui, run: &RunState, devices: &DeviceNames, commands: &mut Vec<Command>) {
    let mut s = run.settings.clone();
    let running = run.is_running();
    ui.add_enabled_ui(!running, |ui| {
        ui.label(RichText::new("Caller").strong());
        ui.radio_value(&mut s.caller, CallerChoice::Wav, "Replay a WAV file as the caller");
        ui.radio_value(&mut s.caller, CallerChoice::Microphone, "Speak into the microphone");
        match s.caller {
            CallerChoice::Wav => {
                ui.horizontal(|ui| {
                    let name = s.caller_wav.as_ref().map_or("(none chosen)".to_owned(), |p| p.display().to_string());
                    ui.label(RichText::new(name).monospace());
                    if ui.button("Choose…").on_hover_text("Pick the caller's WAV file").clicked() {
                        commands.push(Command::Dialog(DialogKind::CallerWav));
                    }
                });
                ui.horizontal(|ui| {
                    let mut hang_up = s.hang_up_at_s.is_some();
                    let l = ui.checkbox(&mut hang_up, "Caller hangs up at");
                    let mut at = s.hang_up_at_s.unwrap_or(5.0);
                    ui.add_enabled(hang_up, egui::DragValue::new(&mut at).range(0.0..=3600.0).speed(0.1).suffix(" s"))
                        .labelled_by(l.id);
                    s.hang_up_at_s = hang_up.then_some(at);
                });
                ui.checkbox(&mut s.real_time, "At the pace of a real call");
            }
            CallerChoice::Microphone => {
                device_choice(ui, "Microphone", &devices.inputs, &mut s.input_device);
            }
        }
        device_choice(ui, "Speaker (prompts, beep, listening)", &devices.outputs, &mut s.output_device);
    });
    if s != run.settings {
        commands.push(Command::Run(RunCommand::Settings(s)));
    }
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!running, egui::Button::new("▶ Run"))
            .on_hover_text("Run the flow from its first step")
            .clicked()
        {
            commands.push(Command::Run(RunCommand::Start));
        }
        if ui.add_enabled(running, egui::Button::new("⏹ Cancel")).on_hover_text("operationCanceled").clicked() {
            commands.push(Command::Run(RunCommand::Cancel));
        }
        if ui.add_enabled(running, egui::Button::new("☎ Hang up")).on_hover_text("The caller hangs up").clicked() {
            commands.push(Command::Run(RunCommand::HangUp));
        }
    });
    level_meter(ui, run.meter, running);
    if let Some(op) = run.selected.and_then(|i| run.operations.get(i)) {
        let now = if running {
            run.session.as_ref().map_or(0.0, |s| s.monitor.clock_ms()) - op.start_ms
        } else {
            op.ended_ms().unwrap_or(0.0)
        };
        phase_ui(ui, op, now);
    }
    if let Some(e) = &run.error {
        ui.label(RichText::new(format!("⛔ {e}")).color(super::style::error_colour(ui.visuals().dark_mode)));
    }
    if let Some(why) = &run.stopped {
        ui.label(format!("The run stopped: {why}"));
    }
}

/// Device names for the choosers (listed when the run view opens, and on Refresh).
#[derive(Clone, Debug, Default)]
pub struct DeviceNames {
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
}

fn device_choice(ui: &mut Ui, label: &str, names: &[String], chosen: &mut Option<String>) {
    let shown = chosen.clone().unwrap_or_else(|| "system default".into());
    egui::ComboBox::from_label(label).selected_text(shown).width(220.0).show_ui(ui, |ui| {
        ui.selectable_value(chosen, None, "system default");
        for n in names {
            ui.selectable_value(chosen, Some(n.clone()), n);
        }
    });
}

fn level_meter(ui: &mut Ui, peak: f32, running: bool) {
    let db = if peak > 0.0 { 20.0 * peak.log10() } else { -120.0 };
    let fill = ((db + 60.0) / 60.0).clamp(0.0, 1.0);
    let text = if running { format!("Caller level {db:.0} dBFS") } else { "Caller level".to_owned() };
    ui.add(egui::ProgressBar::new(fill).text(text).desired_width(260.0));
}

/// The phase of the operation and each timer against its limit.
fn phase_ui(ui: &mut Ui, op: &RunOperation, now_ms: f64) {
    let has = |k: &EventKind| op.event_time(k).is_some();
    let phase = if let Some(reason) = op.reason() {
        format!("Ended: {reason}")
    } else if has(&EventKind::RecordingStarted) {
        "Recording".to_owned()
    } else if has(&EventKind::BeepStarted) {
        "Beep".to_owned()
    } else if has(&EventKind::PromptStarted) {
        "Prompt".to_owned()
    } else {
        "Starting".to_owned()
    };
    ui.label(RichText::new(format!("{} — {phase}", op.step)).strong());
    let Some([initial, silence, duration]) = op.limits else { return };
    let timers = match op.report.as_ref().map(|r| &r.outcome) {
        Some(crate::engine::Outcome::Record(r)) => [
            (r.timers.initial_silence.used_ms, r.timers.initial_silence.limit_ms),
            (r.timers.max_silence.used_ms, r.timers.max_silence.limit_ms),
            (r.timers.max_record_duration.used_ms, r.timers.max_record_duration.limit_ms),
        ],
        _ => {
            let Some(start) = op.event_time(&EventKind::RecordingStarted) else { return };
            let end = op.ended_ms().unwrap_or(now_ms).max(start);
            let first_speech = op.events.iter().find(|e| e.kind == EventKind::SpeechStarted).map(|e| e.t_ms);
            let last =
                op.events.iter().rev().find(|e| matches!(e.kind, EventKind::SpeechStarted | EventKind::SpeechEnded));
            let silence_used = match last {
                Some(e) if e.kind == EventKind::SpeechEnded => end - e.t_ms,
                _ => 0.0,
            };
            [(first_speech.unwrap_or(end) - start, initial), (silence_used, silence), (end - start, duration)]
        }
    };
    for ((used, limit), name) in timers.iter().zip(["Initial silence", "Max silence", "Max record duration"]) {
        let fraction = if *limit > 0.0 { (used / limit).clamp(0.0, 1.0) as f32 } else { 0.0 };
        let text = format!("{name}: {:.1} of {:.0} s", used / 1000.0, limit / 1000.0);
        ui.add(egui::ProgressBar::new(fraction).text(text).desired_width(260.0));
    }
}
