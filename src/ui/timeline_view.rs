//! The operation timeline: the caller's waveform and the take on one time axis, with lanes for the prompt, the
//! beep, the recording, speech, DTMF keys (stop tones marked) and the timers, and the completion marker with its
//! reason. Ctrl+scroll (or the buttons) zooms, dragging pans, hovering shows the time, a click plays from there.
//! Waveforms are drawn from their 10 ms min/max summaries, so minutes of audio cost a few thousand lines a frame.

use egui::{Align2, Color32, FontId, Rect, RichText, Sense, Stroke, Ui, pos2, vec2};

use super::commands::{Command, RunCommand};
use super::run_state::{RunOperation, RunState};
use crate::dsp::WaveSummary;
use crate::engine::EventKind;

/// The visible window of the timeline, in ms on the operation's clock.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineView {
    pub from_ms: f64,
    pub span_ms: f64,
    /// Keep the newest audio in view while recording.
    pub follow: bool,
}

impl Default for TimelineView {
    fn default() -> Self {
        TimelineView { from_ms: 0.0, span_ms: 10_000.0, follow: true }
    }
}

const LANES: [&str; 8] = ["Caller", "Take", "Prompt", "Beep", "Recording", "Speech", "Keys", "Timers"];
const LANE_H: f32 = 22.0;
const WAVE_H: f32 = 56.0;
const LABEL_W: f32 = 82.0;

fn lane_height(i: usize) -> f32 {
    if i < 2 { WAVE_H } else { LANE_H }
}

pub fn timeline_ui(ui: &mut Ui, run: &RunState, view: &mut TimelineView, commands: &mut Vec<Command>) {
    if run.operations.is_empty() {
        ui.label("Run the flow to see what happened: each operation's timeline appears here.");
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Operation");
        for (i, op) in run.operations.iter().enumerate() {
            let text = format!("{}. {}{}", i + 1, op.step, op.reason().map(|r| format!(" ({r})")).unwrap_or_default());
            if ui.selectable_label(run.selected == Some(i), text).clicked() {
                commands.push(Command::Run(RunCommand::SelectOperation(i)));
            }
        }
    });
    let Some(op) = run.selected.and_then(|i| run.operations.get(i)) else { return };
    let running = run.is_running() && op.report.is_none();
    let now_ms = if running {
        run.session.as_ref().map_or(0.0, |s| s.monitor.clock_ms()) - op.start_ms
    } else {
        op.ended_ms().unwrap_or(0.0)
    };
    let end_ms = op.ended_ms().unwrap_or(now_ms).max(1.0);

    ui.horizontal(|ui| {
        if ui.button("Zoom in").clicked() {
            view.span_ms = (view.span_ms / 2.0).max(100.0);
            view.follow = false;
        }
        if ui.button("Zoom out").clicked() {
            view.span_ms = (view.span_ms * 2.0).min(3_600_000.0);
        }
        if ui.button("Fit").clicked() {
            view.from_ms = 0.0;
            view.span_ms = end_ms * 1.05;
        }
        ui.checkbox(&mut view.follow, "Follow");
        ui.label(RichText::new("Ctrl+scroll zooms, drag pans, click plays from there").weak().small());
    });
    if view.follow {
        if running && now_ms > view.from_ms + view.span_ms * 0.9 {
            view.from_ms = now_ms - view.span_ms * 0.9;
        } else if !running {
            view.from_ms = 0.0;
            view.span_ms = view.span_ms.max(end_ms * 1.05);
        }
    }

    let height: f32 = (0..LANES.len()).map(lane_height).sum::<f32>() + 18.0;
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
    let plot = Rect::from_min_max(pos2(rect.left() + LABEL_W, rect.top()), pos2(rect.right(), rect.bottom() - 18.0));
    // Zoom around the pointer, pan by dragging.
    if response.hovered() {
        let (zoom, pointer) = ui.input(|i| (i.zoom_delta(), i.pointer.hover_pos()));
        if zoom != 1.0
            && let Some(p) = pointer
        {
            let at = view.from_ms + f64::from((p.x - plot.left()) / plot.width()) * view.span_ms;
            view.span_ms = (view.span_ms / f64::from(zoom)).clamp(100.0, 3_600_000.0);
            view.from_ms = at - f64::from((p.x - plot.left()) / plot.width()) * view.span_ms;
            view.follow = false;
        }
    }
    if response.dragged() {
        view.from_ms -= f64::from(response.drag_delta().x / plot.width()) * view.span_ms;
        view.follow = false;
    }
    view.from_ms = view.from_ms.max(-view.span_ms * 0.05);
    let (from_ms, span_ms) = (view.from_ms, view.span_ms);
    let to_x = |t: f64| plot.left() + ((t - from_ms) / span_ms) as f32 * plot.width();
    let to_t = |x: f32| from_ms + f64::from((x - plot.left()) / plot.width()) * span_ms;

    let painter = ui.painter_at(rect);
    let visuals = ui.visuals().clone();
    let dark = visuals.dark_mode;
    let text = visuals.text_color();
    let weak = visuals.weak_text_color();
    painter.rect_filled(plot, 2.0, visuals.extreme_bg_color);

    // Lanes and their names.
    let mut y = plot.top();
    let mut lane_rects = Vec::new();
    for (i, name) in LANES.iter().enumerate() {
        let h = lane_height(i);
        let lane = Rect::from_min_max(pos2(plot.left(), y), pos2(plot.right(), y + h));
        painter.text(
            pos2(rect.left() + 4.0, y + h / 2.0),
            Align2::LEFT_CENTER,
            *name,
            FontId::proportional(12.0),
            weak,
        );
        painter.line_segment(
            [pos2(plot.left(), y + h), pos2(plot.right(), y + h)],
            Stroke::new(1.0, visuals.faint_bg_color),
        );
        lane_rects.push(lane);
        y += h;
    }

    let colour = Palette::new(dark);
    // Waveforms: the caller's side (on the call clock, shifted to this operation) and the take.
    draw_wave(&painter, lane_rects[0], &run.caller_summary, op.start_ms, view, colour.wave);
    if let (Some(take), Some(rec)) = (&op.take, op.event_time(&EventKind::RecordingStarted)) {
        draw_wave(&painter, lane_rects[1], take, -rec, view, colour.take);
    }
    let bar = |lane: usize, from: f64, to: f64, fill: Color32| {
        let r = lane_rects[lane].shrink2(vec2(0.0, 4.0));
        let (x0, x1) = (to_x(from).max(plot.left()), to_x(to).min(plot.right()));
        if x1 > x0 {
            painter.rect_filled(Rect::from_x_y_ranges(x0..=x1.max(x0 + 1.0), r.y_range()), 3.0, fill);
        }
    };
    let span = |start: EventKind, end: EventKind| -> Option<(f64, f64)> {
        let s = op.event_time(&start)?;
        Some((s, op.events.iter().find(|e| e.kind == end && e.t_ms >= s).map_or(end_ms, |e| e.t_ms)))
    };
    if let Some((a, b)) = span(EventKind::PromptStarted, EventKind::PromptEnded) {
        bar(2, a, b, colour.prompt);
    }
    if let Some((a, b)) = span(EventKind::BeepStarted, EventKind::BeepEnded) {
        bar(3, a, b, colour.beep);
    }
    if let Some(a) = op.event_time(&EventKind::RecordingStarted) {
        bar(4, a, end_ms, colour.recording);
    }
    let mut speaking: Option<f64> = None;
    for e in &op.events {
        match e.kind {
            EventKind::SpeechStarted => speaking = Some(e.t_ms),
            EventKind::SpeechEnded => {
                if let Some(s) = speaking.take() {
                    bar(5, s, e.t_ms, colour.speech);
                }
            }
            EventKind::ToneStarted { tone, stop_tone } => {
                let until = op
                    .events
                    .iter()
                    .find(|x| x.t_ms >= e.t_ms && x.kind == EventKind::ToneEnded { tone })
                    .map_or(end_ms, |x| x.t_ms);
                bar(6, e.t_ms, until.max(e.t_ms + 40.0), if stop_tone { colour.stop } else { colour.key });
                let label = if stop_tone { format!("{tone} stop") } else { tone.to_string() };
                painter.text(
                    pos2(to_x(e.t_ms) + 2.0, lane_rects[6].center().y),
                    Align2::LEFT_CENTER,
                    label,
                    FontId::monospace(11.0),
                    text,
                );
            }
            _ => {}
        }
    }
    if let Some(s) = speaking {
        bar(5, s, end_ms, colour.speech);
    }
    // Timers: where each would fire, from the recording's start (initial silence, max duration) and from the last
    // silence's start (max silence), drawn as deadlines.
    if let (Some([initial, silence, duration]), Some(rec)) = (op.limits, op.event_time(&EventKind::RecordingStarted)) {
        let lane = lane_rects[7];
        let first_speech = op.event_time(&EventKind::SpeechStarted);
        let mut deadlines = vec![("max duration", rec + duration)];
        if first_speech.is_none_or(|s| s > rec + initial) {
            deadlines.push(("initial silence", rec + initial));
        }
        if let Some(e) =
            op.events.iter().rev().find(|e| matches!(e.kind, EventKind::SpeechStarted | EventKind::SpeechEnded))
            && e.kind == EventKind::SpeechEnded
        {
            deadlines.push(("max silence", e.t_ms + silence));
        }
        for (name, at) in deadlines {
            let x = to_x(at);
            if (plot.left()..=plot.right()).contains(&x) {
                painter.line_segment(
                    [pos2(x, lane.top() + 2.0), pos2(x, lane.bottom() - 2.0)],
                    Stroke::new(2.0, colour.timer),
                );
                painter.text(
                    pos2(x - 3.0, lane.center().y),
                    Align2::RIGHT_CENTER,
                    name,
                    FontId::proportional(11.0),
                    colour.timer,
                );
            }
        }
    }
    // The completion marker.
    if let Some(e) = op.events.iter().find(|e| matches!(e.kind, EventKind::Completed { .. })) {
        let x = to_x(e.t_ms);
        painter.line_segment([pos2(x, plot.top()), pos2(x, plot.bottom())], Stroke::new(2.0, colour.stop));
        if let EventKind::Completed { reason } = e.kind {
            // Left of the marker, unless that would run off the lane's start.
            let room = x - plot.left() > 8.0 * reason.name().len() as f32;
            let (at, align) = if room { (x - 4.0, Align2::RIGHT_TOP) } else { (x + 4.0, Align2::LEFT_TOP) };
            painter.text(pos2(at, plot.top() + 4.0), align, reason.name(), FontId::proportional(12.0), colour.stop);
        }
    }
    if running {
        let x = to_x(now_ms);
        painter.line_segment([pos2(x, plot.top()), pos2(x, plot.bottom())], Stroke::new(1.0, text));
    }
    // The time axis.
    let step = nice_step(view.span_ms / 8.0);
    let mut t = (view.from_ms / step).ceil() * step;
    while t <= view.from_ms + view.span_ms {
        let x = to_x(t);
        painter.line_segment([pos2(x, plot.bottom()), pos2(x, plot.bottom() + 4.0)], Stroke::new(1.0, weak));
        painter.text(
            pos2(x, plot.bottom() + 5.0),
            Align2::CENTER_TOP,
            format!("{:.1} s", t / 1000.0),
            FontId::proportional(11.0),
            weak,
        );
        t += step;
    }
    // Hover: the time under the pointer; click: listen from there.
    if let Some(p) = response.hover_pos().filter(|p| plot.contains(*p)) {
        painter.line_segment([pos2(p.x, plot.top()), pos2(p.x, plot.bottom())], Stroke::new(1.0, weak));
        let t = to_t(p.x);
        response
            .clone()
            .on_hover_text_at_pointer(format!("{:.3} s into the operation (click to listen from here)", t / 1000.0));
    }
    if response.clicked()
        && let Some(p) = response.interact_pointer_pos().filter(|p| plot.contains(*p))
    {
        commands.push(Command::Run(RunCommand::PlayCallFrom(op.start_ms + to_t(p.x).max(0.0))));
    }
    events_list(ui, op);
}

/// Draw a waveform whose sample 0 is at `offset_ms` before the operation's t = 0 (the call clock's start).
fn draw_wave(
    painter: &egui::Painter,
    lane: Rect,
    wave: &WaveSummary,
    offset_ms: f64,
    view: &TimelineView,
    colour: Color32,
) {
    let mid = lane.center().y;
    let half = lane.height() / 2.0 - 2.0;
    let columns = lane.width().max(1.0) as usize;
    let ms_per_px = view.span_ms / columns as f64;
    for c in 0..columns {
        let t = view.from_ms + c as f64 * ms_per_px + offset_ms;
        if let Some((lo, hi)) = wave.range(t, t + ms_per_px) {
            let x = lane.left() + c as f32 + 0.5;
            let (top, bottom) = (mid - hi.clamp(-1.0, 1.0) * half, mid - lo.clamp(-1.0, 1.0) * half + 0.5);
            painter.line_segment([pos2(x, top), pos2(x, bottom)], Stroke::new(1.0, colour));
        }
    }
}

/// The events as text under the timeline (also what a screen reader reads).
fn events_list(ui: &mut Ui, op: &RunOperation) {
    // Something went wrong that the bot would not see (a take that could not be written, a hang-up).
    if let Some(note) = op.report.as_ref().and_then(|r| r.note.as_ref()) {
        ui.label(RichText::new(format!("⚠ {note}")).color(super::style::warning_colour(ui.visuals().dark_mode)));
    }
    if let Some(reason) = op.reason() {
        let at = op.ended_ms().unwrap_or(0.0);
        ui.label(RichText::new(format!("Completed: {reason} at {:.2} s", at / 1000.0)).strong());
    }
    egui::CollapsingHeader::new(format!("Events of {} ({})", op.step, op.events.len())).id_salt("events").show(
        ui,
        |ui| {
            for e in &op.events {
                ui.label(RichText::new(e.line()).monospace());
            }
        },
    );
}

fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.max(1.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|s| *s >= raw).unwrap_or(10.0 * p)
}

struct Palette {
    wave: Color32,
    take: Color32,
    prompt: Color32,
    beep: Color32,
    recording: Color32,
    speech: Color32,
    key: Color32,
    stop: Color32,
    timer: Color32,
}

impl Palette {
    /// Colours that stay apart for colour-blind viewers (Okabe–Ito), each lane also named in words.
    fn new(dark: bool) -> Self {
        let a = |c: Color32| if dark { c } else { c.gamma_multiply(0.9) };
        Palette {
            wave: a(Color32::from_rgb(86, 180, 233)),
            take: a(Color32::from_rgb(0, 158, 115)),
            prompt: a(Color32::from_rgb(230, 159, 0)),
            beep: a(Color32::from_rgb(240, 228, 66)),
            recording: a(Color32::from_rgb(0, 114, 178)),
            speech: a(Color32::from_rgb(0, 158, 115)),
            key: a(Color32::from_rgb(204, 121, 167)),
            stop: a(Color32::from_rgb(213, 94, 0)),
            timer: a(Color32::from_rgb(204, 121, 167)),
        }
    }
}
