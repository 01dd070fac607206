//! How long one frame of the designer takes with a 50-step flow (CPU, release build, no GPU: egui's layout and
//! tessellation, which is what the app controls), and whether the window goes quiet when idle.
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

fn main() {
    let app = DesignerApp::new(fifty_steps(), None);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut DesignerApp| app.ui(ui), app);
    h.run();
    let mut frames: Vec<f64> = (0..300)
        .map(|_| {
            let t = Instant::now();
            h.step();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    frames.sort_by(f64::total_cmp);
    let mean = frames.iter().sum::<f64>() / frames.len() as f64;
    println!(
        "frame with 50 steps (1280x800): mean {mean:.2} ms, median {:.2} ms, 99th percentile {:.2} ms (goal: under 4 ms)",
        frames[frames.len() / 2],
        frames[frames.len() * 99 / 100]
    );
    // Idle: once settled, nothing asks for another frame.
    let steps = h.run();
    println!("frames egui asks for when nothing happens: {steps} (0 or 1 means no continuous repaint)");
}
