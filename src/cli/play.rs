//! `ivr-designer play FILE.wav [--beep] [--output DEVICE]`: hear a prompt as the caller would — converted to the
//! call's 16 kHz mono, with the record step's beep straight after it.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};
use crate::audio::{Clip, Speaker};
use crate::dsp::BeepSettings;
use crate::engine::prompt::as_heard;

pub fn run(audio: &Path, beep: bool, output: Option<String>) -> u8 {
    let samples = match as_heard(Some(audio), beep.then(BeepSettings::default)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_UNREADABLE;
        }
    };
    let name = audio.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let clip = Clip { label: name, samples: samples.into(), sample_rate: 16_000 };
    let duration = clip.duration_ms();
    let speaker = Speaker::new();
    speaker.use_device(output.clone());
    eprintln!(
        "playing {}{} ({:.2} s) on {}",
        clip.label,
        if beep { " + beep" } else { "" },
        duration / 1000.0,
        output.as_deref().unwrap_or("the default output device")
    );
    speaker.play(clip, 0.0);
    let deadline = Instant::now() + Duration::from_secs_f64(duration / 1000.0 + 5.0);
    let mut started = false;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        let status = speaker.status();
        if let Some(e) = status.error {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
        match (status.playing.is_some(), started) {
            (true, _) => started = true,
            (false, true) => {
                // The player has handed the last samples to the device; let its buffer drain before exiting.
                std::thread::sleep(Duration::from_millis(300));
                return EXIT_OK;
            }
            (false, false) => {}
        }
    }
    eprintln!("error: the output device did not finish playing in time (is it stalled?)");
    EXIT_INVALID
}
