//! How long one frame of the designer takes with a 50-step flow, and of the run view with a 2-minute take in the
//! timeline (CPU, release build, no GPU: egui's layout and tessellation, which is what the app controls), and
//! whether the window goes quiet when idle.
//! Run with `cargo bench --bench ui_frame`.

use std::time::Instant;

use egui_kittest::Harness;
use ivr_designer::model::{ApiProfile, Flow, RecordStep, Step, Target};
use ivr_designer::ui::DesignerApp;

fn fifty_steps() -> Flow {
    let steps = (0..50)
        .map(|i| {
            let mut r = RecordStep::new(format!("step-{i:02}"));
            r.stop_tones = Some(vec!["#".into()]);
            r.max_silence_timeout_in_seconds = Some(3);
            r.on.no_speech = Target::Step(format!("step-{:02}", (i + 7) % 50));
            Step::Record(r)
        })
        .collect();
    Flow { steps, ..Flow::new("Fifty steps", ApiProfile::BetaRecord) }
}

/// One frame as the window runs it: egui's pass over the app and the tessellation of what it drew (no GPU, and no
/// accessibility tree: that is built only while a screen reader listens, whereas a test harness builds it always).
struct Frames {
    ctx: egui::Context,
    time: f64,
}

impl Frames {
    fn new() -> Self {
        Frames { ctx: egui::Context::default(), time: 0.0 }
    }

    fn step(&mut self, app: &mut DesignerApp) {
        self.time += 1.0 / 60.0;
        let raw = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            time: Some(self.time),
            ..Default::default()
        };
        let out = self.ctx.run_ui(raw, |ui| app.ui(ui));
        std::hint::black_box(self.ctx.tessellate(out.shapes, out.pixels_per_point));
    }
}

/// Time `n` frames in 5 batches; (median of the quietest batch, median of all, 99th percentile of all) in ms.
/// The quietest batch is the figure to compare: this VM's neighbours add noise that is not the app's.
fn frame_times(frames: &mut Frames, app: &mut DesignerApp, n: usize) -> (f64, f64, f64) {
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut all = Vec::new();
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let mut batch: Vec<f64> = (0..n / 5)
            .map(|_| {
                let t = Instant::now();
                frames.step(app);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        all.extend_from_slice(&batch);
        best = best.min(median(&mut batch));
    }
    let m = median(&mut all);
    (best, m, all[all.len() * 99 / 100])
}

/// The run view after a 2-minute recording: the timeline fitted to the whole take (every pixel column summarises
/// ~170 ms of caller audio and of the take).
fn two_minute_take() {
    let dir = tempfile::tempdir().unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The committed English message, over and over for 2 minutes without a pause long enough to end the take.
    let message =
        ivr_designer::engine::prompt::load_prompt(&repo.join("tests/fixtures/speech/message-en.wav")).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let caller = dir.path().join("caller.wav");
    let mut w = hound::WavWriter::create(&caller, spec).unwrap();
    for x in message.iter().cycle().take(16_000 * 125) {
        w.write_sample((x * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
    let mut step = RecordStep::new("long-message");
    step.play_beep = false;
    step.max_record_duration_in_seconds = Some(120);
    step.max_silence_timeout_in_seconds = Some(60);
    let flow = Flow { steps: vec![Step::Record(step)], ..Flow::new("Two minutes", ApiProfile::BetaRecord) };
    let path = dir.path().join("two-minutes.ron");
    ivr_designer::model::save_flow(&path, &flow).unwrap();
    let mut app = DesignerApp::open(&path).unwrap();
    app.start_run_with(caller, false);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut DesignerApp| app.ui(ui), app);
    h.step();
    while h.state().run.is_running() {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run();
    let take = h.state().run.takes.entries.first().map_or(0.0, |t| t.duration_ms / 1000.0);
    let reason = h.state().run.takes.entries.first().map_or(String::new(), |t| t.reason.clone());
    // The timeline is on screen, showing the whole take.
    use egui_kittest::kittest::Queryable;
    h.get_by_label_contains("Completed: maxRecordDurationReached at 120");
    let steps = h.run();
    let mut app = h.into_state();
    let mut frames = Frames::new();
    // The new context lays the view out again: let it settle (the timeline fits the take), then measure.
    for _ in 0..5 {
        frames.step(&mut app);
    }
    let (best, median, p99) = frame_times(&mut frames, &mut app, 500);
    println!(
        "frame of the run view with a {take:.1} s take ({reason}) in the timeline: median {best:.2} ms in the quietest batch, {median:.2} ms over all, 99th percentile {p99:.2} ms (goal: under 4 ms)"
    );
    println!("frames the run view asks for when nothing happens: {steps}");
}

fn main() {
    let mut app = DesignerApp::new(fifty_steps(), None);
    let mut frames = Frames::new();
    for _ in 0..5 {
        frames.step(&mut app); // fonts and the first layout
    }
    let (best, median, p99) = frame_times(&mut frames, &mut app, 500);
    println!(
        "frame with 50 steps (1280x800): median {best:.2} ms in the quietest batch, {median:.2} ms over all, 99th percentile {p99:.2} ms (goal: under 4 ms)"
    );
    // Idle: once settled, nothing asks for another frame.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut DesignerApp| app.ui(ui), app);
    let steps = h.run();
    println!("frames egui asks for when nothing happens: {steps} (0 or 1 means no continuous repaint)");
    two_minute_take();
}
