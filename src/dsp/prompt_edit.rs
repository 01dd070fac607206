//! Tidying a recorded prompt: trim the silence before and after the voice, and normalise its peak.

/// Below this peak (in a 10 ms frame) a frame counts as silence, dBFS.
pub const SILENCE_DBFS: f64 = -45.0;
/// Silence kept before and after the voice, so it does not start or end abruptly, ms.
pub const KEEP_MS: f64 = 100.0;
/// The peak a normalised prompt reaches, dBFS (a little headroom below full scale).
pub const PEAK_DBFS: f64 = -1.0;

/// The part of `samples` (16 kHz) from just before the first sound to just after the last; empty when it is all
/// silence.
pub fn trim_silence(samples: &[f32]) -> &[f32] {
    let frame = 160;
    let threshold = 10f32.powf((SILENCE_DBFS / 20.0) as f32);
    let loud = |c: &[f32]| c.iter().any(|x| x.abs() >= threshold);
    let frames: Vec<&[f32]> = samples.chunks(frame).collect();
    let Some(first) = frames.iter().position(|c| loud(c)) else { return &[] };
    let last = frames.iter().rposition(|c| loud(c)).unwrap_or(first);
    let keep = (KEEP_MS * 16.0) as usize;
    let start = (first * frame).saturating_sub(keep);
    let end = ((last + 1) * frame + keep).min(samples.len());
    &samples[start..end]
}

/// Scale `samples` so the loudest reaches `PEAK_DBFS` (silence is left alone).
pub fn normalise_peak(samples: &mut [f32]) {
    let peak = samples.iter().fold(0f32, |m, x| m.max(x.abs()));
    if peak <= 1e-6 {
        return;
    }
    let gain = 10f32.powf((PEAK_DBFS / 20.0) as f32) / peak;
    for x in samples {
        *x *= gain;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(ms: usize, amplitude: f32) -> Vec<f32> {
        (0..ms * 16).map(|i| amplitude * (i as f32 * 0.2).sin()).collect()
    }

    #[test]
    fn trimming_keeps_the_voice_and_100_ms_either_side() {
        let mut s = vec![0.0; 16 * 1500];
        s.extend(tone(800, 0.3));
        s.extend(vec![0.001; 16 * 2000]); // hiss below −45 dBFS
        let trimmed = trim_silence(&s);
        let expected_ms = 800.0 + 2.0 * KEEP_MS;
        assert!((trimmed.len() as f64 / 16.0 - expected_ms).abs() <= 10.0, "{} ms", trimmed.len() / 16);
        assert!(trim_silence(&vec![0.0; 16_000]).is_empty());
    }

    #[test]
    fn normalising_brings_the_peak_to_minus_1_dbfs() {
        let mut s = tone(500, 0.1);
        normalise_peak(&mut s);
        let peak = s.iter().fold(0f32, |m, x| m.max(x.abs()));
        assert!((20.0 * peak.log10() - PEAK_DBFS as f32).abs() < 0.01);
        let mut silent = vec![0.0f32; 100];
        normalise_peak(&mut silent);
        assert!(silent.iter().all(|x| *x == 0.0));
    }
}
