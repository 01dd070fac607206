//! The talk-off corpus: committed espeak-ng speech (8 kHz mu-law), expanded to over an hour with pitch/tempo
//! variants and a 16 kHz copy, plus synthetic music. See tests/fixtures/talkoff/make-corpus.sh.
#![allow(dead_code)]

use ivr_designer::dsp::resample::StreamResampler;
use ivr_designer::dsp::signals::{Noise, add_chord, note_hz};

/// G.711 mu-law byte to a linear sample in [-1, 1).
pub fn mulaw_to_f32(byte: u8) -> f32 {
    let u = !byte;
    let sign = u & 0x80;
    let exponent = (u >> 4) & 0x07;
    let mantissa = u & 0x0F;
    let magnitude = ((i32::from(mantissa) << 3) + 0x84) << exponent;
    let linear = magnitude - 0x84;
    (if sign != 0 { -linear } else { linear }) as f32 / 32768.0
}

pub fn speech_8k() -> Vec<f32> {
    let path = super::repo().join("tests/fixtures/talkoff/speech-8k.ul");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).into_iter().map(mulaw_to_f32).collect()
}

pub fn resample(input: &[f32], from: u32, to: u32) -> Vec<f32> {
    let mut r = StreamResampler::new(from, to).unwrap();
    let mut out = Vec::with_capacity(input.len() * to as usize / from as usize + 1024);
    r.process(input, &mut |b| out.extend_from_slice(b));
    r.finish(&mut |b| out.extend_from_slice(b));
    out
}

/// A named stretch of speech at a sample rate.
pub struct Clip {
    pub name: String,
    pub rate: u32,
    pub samples: Vec<f32>,
}

impl Clip {
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.rate)
    }
}

/// The corpus at 8 kHz, its 16 kHz copy, and four pitch/tempo variants (played as if recorded at another rate,
/// which moves pitch and formants together: other voices, not the same voice louder).
pub fn speech_clips() -> Vec<Clip> {
    let base = speech_8k();
    let mut clips = vec![Clip { name: "speech 16 kHz".into(), rate: 16_000, samples: resample(&base, 8_000, 16_000) }];
    for from in [6_800, 7_400, 8_700, 9_400] {
        clips.push(Clip {
            name: format!("speech ×{:.2} pitch", 8_000.0 / from as f64),
            rate: 8_000,
            samples: resample(&base, from, 8_000),
        });
    }
    clips.insert(0, Clip { name: "speech 8 kHz".into(), rate: 8_000, samples: base });
    clips
}

/// Chords of three or four pure tones, some of them holding an exact DTMF pair plus other notes.
pub fn music(rate: u32, seconds: f64, seed: u64) -> Clip {
    let mut samples = vec![0f32; (seconds * f64::from(rate)) as usize];
    let mut rng = Noise::new(seed);
    let mut at = 0usize;
    while at < samples.len() {
        // Three or four distinct notes (two pure tones alone at a key's frequencies *are* that key).
        let count = 3 + (rng.uniform() * 2.0) as usize;
        let mut notes: Vec<i32> = Vec::new();
        if rng.uniform() < 0.25 {
            // F5 and F#6 are within 0.2 % of 697 and 1477 Hz: a chord around them is the hardest music there is.
            notes.extend([77, 90]);
        }
        while notes.len() < count {
            let n = 55 + (rng.uniform() * 42.0) as i32;
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
        let freqs: Vec<f64> = notes.into_iter().map(note_hz).collect();
        let duration = 0.15 + rng.uniform() * 0.45;
        let level = -12.0 - rng.uniform() * 15.0;
        add_chord(&mut samples, rate, at, &freqs, level, duration);
        at += ((duration + rng.uniform() * 0.05) * f64::from(rate)) as usize;
    }
    Clip { name: format!("music {} kHz", rate / 1000), rate, samples }
}
