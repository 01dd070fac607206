//! How fast a replay runs: a 2-minute caller through a record step, as fast as the CPU allows.
//! Run with `cargo bench --bench replay`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use ivr_designer::engine::{EngineSettings, ReplayLine, ReplayScript, run_flow};
use ivr_designer::model::{ApiProfile, Flow, RecordStep, Step};

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // Two minutes of the caller talking (the message fixture, looped), with a 16 kHz file as Graph records.
    let message = common::speech_fixture("message-en.wav");
    let seconds = 120usize;
    let caller: Vec<f32> = message.iter().copied().cycle().take(16_000 * seconds).collect();
    let path = dir.path().join("caller.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&path, spec).expect("write the caller");
    for &s in &caller {
        w.write_sample((s * 32767.0) as i16).expect("write the caller");
    }
    w.finalize().expect("write the caller");

    let mut step = RecordStep::new("record");
    step.play_beep = false;
    step.max_record_duration_in_seconds = Some(300);
    step.max_silence_timeout_in_seconds = Some(60);
    let flow = Flow { steps: vec![Step::Record(step)], ..Flow::new("bench", ApiProfile::BetaRecord) };

    let mut best = f64::INFINITY;
    let mut recorded = 0.0;
    for _ in 0..5 {
        let mut line = ReplayLine::open(
            &path,
            ReplayScript { hang_up_at_ms: Some(seconds as f64 * 1000.0), ..ReplayScript::default() },
        )
        .expect("open the caller");
        let t = Instant::now();
        let run =
            run_flow(&flow, dir.path(), &mut line, EngineSettings::default(), &dir.path().join("takes")).expect("run");
        best = best.min(t.elapsed().as_secs_f64());
        if let ivr_designer::engine::Outcome::Record(r) = &run.operations[0].outcome {
            recorded = r.take.as_ref().map_or(0.0, |t| t.duration_ms / 1000.0);
        }
    }
    println!(
        "replay of a {seconds} s caller (recorded {recorded:.1} s to a take): {:.3} s, {:.0}× real time (best of 5)",
        best,
        seconds as f64 / best
    );
}
