//! `ivr-designer analyze AUDIO.wav [--json]`: what the engine's ears hear in a file.

use std::path::Path;

use serde_json::json;

use super::{EXIT_OK, EXIT_UNREADABLE};
use crate::dsp::resample::StreamResampler;
use crate::dsp::{DtmfEvent, DtmfSettings, Heard, Listener, SpeechEvent, SpeechSettings};
use crate::media::WavStream;

/// The rate files at other rates are converted to.
const ANALYSIS_RATE: u32 = 16_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tone {
    pub key: char,
    pub start_ms: f64,
    pub end_ms: f64,
    pub decided_ms: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Speech {
    pub start_ms: f64,
    pub end_ms: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub sample_rate: u32,
    pub duration_ms: f64,
    pub tones: Vec<Tone>,
    pub speech: Vec<Speech>,
}

/// Run the detectors over a WAV file, streaming (memory does not grow with the file).
pub fn analyze(path: &Path) -> Result<Analysis, String> {
    let mut wav = WavStream::open(path).map_err(|e| e.to_string())?;
    let file_rate = wav.sample_rate();
    let rate = if file_rate == 8_000 || file_rate == 16_000 { file_rate } else { ANALYSIS_RATE };
    let mut resampler = StreamResampler::new(file_rate, rate).map_err(|e| e.to_string())?;
    let mut listener =
        Listener::new(rate, DtmfSettings::default(), SpeechSettings::default()).map_err(|e| e.to_string())?;
    let ms = |s: u64| s as f64 * 1000.0 / f64::from(rate);
    let mut tones = Vec::new();
    let mut speech = Vec::new();
    let mut on = |heard: Heard| match heard {
        Heard::Tone(DtmfEvent::KeyStarted { key, onset, decided }) => {
            tones.push(Tone { key, start_ms: ms(onset), end_ms: f64::NAN, decided_ms: ms(decided) })
        }
        Heard::Tone(DtmfEvent::KeyEnded { end, .. }) => {
            if let Some(t) = tones.last_mut() {
                t.end_ms = ms(end);
            }
        }
        Heard::Speech(SpeechEvent::Started { at, .. }) => speech.push(Speech { start_ms: ms(at), end_ms: f64::NAN }),
        Heard::Speech(SpeechEvent::Ended { at, .. }) => {
            if let Some(s) = speech.last_mut() {
                s.end_ms = ms(at);
            }
        }
    };
    let mut block = vec![0f32; 8192];
    let mut frames: u64 = 0;
    loop {
        let n = wav.read(&mut block).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        frames += n as u64;
        resampler.process(&block[..n], &mut |b| listener.process(b, &mut on));
    }
    resampler.finish(&mut |b| listener.process(b, &mut on));
    listener.finish(&mut on);
    Ok(Analysis { sample_rate: file_rate, duration_ms: frames as f64 * 1000.0 / f64::from(file_rate), tones, speech })
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

pub fn run(path: &Path, as_json: bool, stats: bool) -> u8 {
    let started = std::time::Instant::now();
    let analysis = match analyze(path) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_UNREADABLE;
        }
    };
    if as_json {
        let doc = json!({
            "sampleRate": analysis.sample_rate,
            "durationMs": round1(analysis.duration_ms),
            "tones": analysis.tones.iter().map(|t| json!({
                "tone": t.key.to_string(),
                "startMs": round1(t.start_ms),
                "endMs": round1(t.end_ms),
                "decidedMs": round1(t.decided_ms),
            })).collect::<Vec<_>>(),
            "speech": analysis.speech.iter().map(|s| json!({
                "startMs": round1(s.start_ms),
                "endMs": round1(s.end_ms),
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        println!("{}: {} Hz, {:.1} s", path.display(), analysis.sample_rate, analysis.duration_ms / 1000.0);
        for t in &analysis.tones {
            println!(
                "  tone {}    {:>9.1} – {:>9.1} ms  (decided at {:.1} ms)",
                t.key, t.start_ms, t.end_ms, t.decided_ms
            );
        }
        for s in &analysis.speech {
            println!(
                "  speech    {:>9.1} – {:>9.1} ms  ({:.2} s)",
                s.start_ms,
                s.end_ms,
                (s.end_ms - s.start_ms) / 1000.0
            );
        }
        println!("{} tone(s), {} speech segment(s)", analysis.tones.len(), analysis.speech.len());
    }
    if stats {
        let seconds = started.elapsed().as_secs_f64();
        let audio = analysis.duration_ms / 1000.0;
        let peak =
            peak_memory_kib().map(|k| format!("{:.1} MB", k as f64 / 1024.0)).unwrap_or_else(|| "unknown".into());
        eprintln!(
            "analysed {audio:.1} s of audio in {seconds:.3} s ({:.0}× real time); peak memory {peak}",
            audio / seconds.max(1e-9)
        );
    }
    EXIT_OK
}

/// The process's peak resident memory (Linux: VmHWM), KiB.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
