//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod pulse;
pub mod talkoff;

use std::path::{Path, PathBuf};

use ivr_designer::model::{ApiProfile, Flow, Prompt, RecordStep, Step};

/// Write a WAV of silence with the given format.
pub fn write_wav(path: &Path, sample_rate: u32, channels: u16, bits: u16, float: bool) {
    let spec = hound::WavSpec {
        channels,
        sample_rate,
        bits_per_sample: bits,
        sample_format: if float { hound::SampleFormat::Float } else { hound::SampleFormat::Int },
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for _ in 0..(sample_rate / 10) * u32::from(channels) {
        match (float, bits) {
            (true, _) => w.write_sample(0.0f32).unwrap(),
            (false, 8) => w.write_sample(0i8).unwrap(),
            (false, 16) => w.write_sample(0i16).unwrap(),
            (false, _) => w.write_sample(0i32).unwrap(),
        }
    }
    w.finalize().unwrap();
}

/// A folder with a Graph-format prompt `ok.wav`, and a valid one-step flow that plays it.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub flow: Flow,
}

impl Fixture {
    pub fn new(profile: ApiProfile) -> Self {
        let dir = tempfile::tempdir().unwrap();
        write_wav(&dir.path().join("ok.wav"), 16_000, 1, 16, false);
        let mut step = RecordStep::new("record-1");
        step.prompts = Some(vec!["hello".into()]);
        step.stop_tones = Some(vec!["#".into()]);
        let flow = Flow {
            prompts: vec![Prompt {
                id: "hello".into(),
                file: Some("ok.wav".into()),
                uri: "https://cdn.contoso.com/hello.wav".into(),
                resource_id: Some("1D6DE2D4-CD51-4309-8DAA-70768651088E".into()),
            }],
            steps: vec![Step::Record(step)],
            ..Flow::new("test", profile)
        };
        Fixture { dir, flow }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn record(&mut self) -> &mut RecordStep {
        match &mut self.flow.steps[0] {
            Step::Record(r) => r,
            Step::PlayPrompt(_) => panic!("the fixture's first step is a record step"),
        }
    }
}

/// The repository root (for shipped flows and shared specs).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A Graph example from `tests/fixtures/graph/` (copied verbatim from shared/spec/examples/).
pub fn graph_example(name: &str) -> String {
    let path = repo().join("tests/fixtures/graph").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A committed 16 kHz mono speech fixture from tests/fixtures/speech/.
pub fn speech_fixture(name: &str) -> Vec<f32> {
    let path = repo().join("tests/fixtures/speech").join(name);
    let mut reader = hound::WavReader::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(reader.spec().sample_rate, 16_000);
    reader.samples::<i16>().map(|s| f32::from(s.unwrap()) / 32768.0).collect()
}

/// Where speech really is in a clean signal: the first and last 10 ms frame above -45 dBFS, in ms.
pub fn speech_span_ms(clean: &[f32], rate: u32) -> (f64, f64) {
    let frame = (rate / 100) as usize;
    let loud: Vec<usize> = clean
        .chunks(frame)
        .enumerate()
        .filter(|(_, f)| ivr_designer::dsp::signals::power_db(f) >= -45.0)
        .map(|(i, _)| i)
        .collect();
    (loud[0] as f64 * 10.0, (loud[loud.len() - 1] + 1) as f64 * 10.0)
}

/// A caller recording: 16 kHz mono 16-bit samples written to `dir/name`.
pub fn caller_wav(dir: &Path, name: &str, samples: &[f32]) -> PathBuf {
    let path = dir.join(name);
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    for &s in samples {
        w.write_sample((s * 32767.0).round().clamp(-32768.0, 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
    path
}

/// The app in a 1280×800 test window, drawn once.
pub fn window(app: ivr_designer::ui::DesignerApp) -> egui_kittest::Harness<'static, ivr_designer::ui::DesignerApp> {
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ivr_designer::ui::DesignerApp| app.ui(ui), app);
    h.run();
    h
}

/// A copy of a shipped flow in `dir` (prompts pointing at the shipped files), for tests that write beside it.
pub fn copy_flow(name: &str, dir: &Path) -> PathBuf {
    let mut flow = ivr_designer::model::load_flow(&repo().join("flows").join(name)).unwrap();
    for p in &mut flow.prompts {
        p.file = p.file.as_ref().map(|f| repo().join("flows").join(f).display().to_string());
    }
    let path = dir.join(name);
    ivr_designer::model::save_flow(&path, &flow).unwrap();
    path
}
