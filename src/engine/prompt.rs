//! Prompts as the caller hears them: any WAV, converted to 16 kHz mono (Graph itself would refuse a file that is
//! not already in its format; validation and export say so, but a person designing a flow still hears it).

use std::path::Path;

use crate::dsp::resample::StreamResampler;
use crate::media::WavStream;

/// The longest prompt played, in seconds (a longer file is most likely the wrong file).
const MAX_PROMPT_SECONDS: u64 = 600;

/// Load a prompt; the error says why it cannot be played (the operation then fails with `playPromptFailed`).
pub fn load_prompt(path: &Path) -> Result<Vec<f32>, String> {
    let mut wav = WavStream::open(path).map_err(|e| format!("the prompt cannot be played: {e}"))?;
    let mut resampler = StreamResampler::new(wav.sample_rate(), 16_000).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut block = vec![0f32; 8192];
    loop {
        let n = wav.read(&mut block).map_err(|e| format!("the prompt cannot be played: {e}"))?;
        if n == 0 {
            break;
        }
        resampler.process(&block[..n], &mut |b| out.extend_from_slice(b));
        if out.len() as u64 > MAX_PROMPT_SECONDS * 16_000 {
            return Err(format!("the prompt {} is longer than {MAX_PROMPT_SECONDS} s", path.display()));
        }
    }
    resampler.finish(&mut |b| out.extend_from_slice(b));
    Ok(out)
}

/// What the caller hears for a record step: the prompt (if any), then the beep straight after it (if it plays), at
/// 16 kHz mono — exactly as the engine plays them.
pub fn as_heard(prompt: Option<&Path>, beep: Option<crate::dsp::BeepSettings>) -> Result<Vec<f32>, String> {
    let mut samples = match prompt {
        Some(path) => load_prompt(path)?,
        None => Vec::new(),
    };
    if let Some(settings) = beep {
        append_beep(&mut samples, settings);
    }
    Ok(samples)
}

/// Add the record step's beep after `samples` (16 kHz).
pub fn append_beep(samples: &mut Vec<f32>, settings: crate::dsp::BeepSettings) {
    let mut beep = crate::dsp::Beep::new(settings, 16_000);
    let start = samples.len();
    samples.resize(start + beep.len(), 0.0);
    beep.fill(&mut samples[start..]);
}
