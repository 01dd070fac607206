//! `ivr-designer record-prompt OUT.wav [--seconds N] [--input DEVICE] [--raw]`: record a prompt from a
//! microphone and save it in Graph's format, with the silence around the voice trimmed and the peak normalised.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};
use crate::audio::recorder::Recorder;
use crate::dsp::prompt_edit::{normalise_peak, trim_silence};

pub fn run(out: &Path, seconds: f64, input: Option<String>, raw: bool) -> u8 {
    if !(seconds > 0.0 && seconds <= crate::audio::recorder::MAX_SECONDS) {
        eprintln!("error: --seconds must be more than 0 and at most {}", crate::audio::recorder::MAX_SECONDS);
        return EXIT_UNREADABLE;
    }
    eprintln!("recording {seconds:.1} s from {}…", input.as_deref().unwrap_or("the default microphone"));
    let recorder = Recorder::start(input, 0.0);
    let deadline = Instant::now() + Duration::from_secs_f64(seconds + 10.0);
    while recorder.recorded_ms() < seconds * 1000.0 {
        if let Some(Err(e)) = recorder.poll() {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
        if Instant::now() > deadline {
            eprintln!("error: the microphone delivers no audio (is it muted or held by another program?)");
            return EXIT_INVALID;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    recorder.stop();
    let recorded = match recorder.wait() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    let recorded = &recorded[..recorded.len().min((seconds * 16_000.0) as usize)];
    let mut prompt = if raw { recorded.to_vec() } else { trim_silence(recorded).to_vec() };
    if prompt.is_empty() {
        eprintln!("error: only silence was recorded (nothing above −45 dBFS); nothing saved");
        return EXIT_INVALID;
    }
    if !raw {
        normalise_peak(&mut prompt);
    }
    if let Err(e) = crate::media::write_graph_wav(out, &prompt) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return EXIT_INVALID;
    }
    eprintln!(
        "saved {} ({:.2} s of {:.2} s recorded, 16 kHz mono 16-bit{})",
        out.display(),
        prompt.len() as f64 / 16_000.0,
        recorded.len() as f64 / 16_000.0,
        if raw { "" } else { ", silence trimmed, peak −1 dBFS" }
    );
    EXIT_OK
}
