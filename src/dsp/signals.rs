//! Test signals: DTMF keys, pure-tone chords and noise, generated exactly and deterministically.
//!
//! The conformance suite, the benchmark and the engine's golden tests all build their callers from these, so a
//! row of the standard's matrix means the same audio everywhere.

use std::f64::consts::PI;

/// The DTMF keypad: rows are the low group, columns the high group.
pub const LOW_GROUP_HZ: [f64; 4] = [697.0, 770.0, 852.0, 941.0];
pub const HIGH_GROUP_HZ: [f64; 4] = [1209.0, 1336.0, 1477.0, 1633.0];
pub const KEYPAD: [[char; 4]; 4] =
    [['1', '2', '3', 'A'], ['4', '5', '6', 'B'], ['7', '8', '9', 'C'], ['*', '0', '#', 'D']];

/// All sixteen keys in keypad order.
pub const ALL_KEYS: [char; 16] = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];

/// The (low, high) frequencies of a key, or `None` for a character that is not a DTMF key.
pub fn key_frequencies(key: char) -> Option<(f64, f64)> {
    let key = key.to_ascii_uppercase();
    for (row, keys) in KEYPAD.iter().enumerate() {
        if let Some(col) = keys.iter().position(|&k| k == key) {
            return Some((LOW_GROUP_HZ[row], HIGH_GROUP_HZ[col]));
        }
    }
    None
}

/// dBFS (of a sine's peak, so a full-scale sine is 0 dBFS) to linear amplitude.
pub fn db_to_amplitude(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// One DTMF key as a signal description.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DtmfTone {
    pub key: char,
    /// Per-tone level of the low-group tone, dBFS.
    pub low_db: f64,
    /// Per-tone level of the high-group tone, dBFS.
    pub high_db: f64,
    /// Relative frequency deviation of each tone, e.g. 0.015 for +1.5 %.
    pub low_deviation: f64,
    pub high_deviation: f64,
    pub duration_s: f64,
}

impl DtmfTone {
    /// A nominal key: both tones at `level_db`, no deviation.
    pub fn new(key: char, level_db: f64, duration_s: f64) -> Self {
        DtmfTone { key, low_db: level_db, high_db: level_db, low_deviation: 0.0, high_deviation: 0.0, duration_s }
    }

    /// Add this key into `out` (at `sample_rate`), starting at sample `start`. Samples past the end are dropped.
    pub fn add_to(&self, out: &mut [f32], sample_rate: u32, start: usize) {
        let Some((low, high)) = key_frequencies(self.key) else { return };
        let fs = f64::from(sample_rate);
        let n = (self.duration_s * fs).round() as usize;
        let (fl, fh) = (low * (1.0 + self.low_deviation), high * (1.0 + self.high_deviation));
        let (al, ah) = (db_to_amplitude(self.low_db), db_to_amplitude(self.high_db));
        // Fixed start phases that are not a multiple of anything, so no test passes by a lucky alignment.
        for i in 0..n {
            let Some(slot) = out.get_mut(start + i) else { break };
            let t = i as f64 / fs;
            *slot += (al * (2.0 * PI * fl * t + 0.3).sin() + ah * (2.0 * PI * fh * t + 1.1).sin()) as f32;
        }
    }
}

/// A deterministic pseudo-random generator (xorshift64*), so generated noise is the same on every machine.
#[derive(Clone, Debug)]
pub struct Noise {
    state: u64,
    spare: Option<f64>,
}

impl Noise {
    pub fn new(seed: u64) -> Self {
        Noise { state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1, spare: None }
    }

    fn next_u64(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub fn gaussian(&mut self) -> f64 {
        if let Some(s) = self.spare.take() {
            return s;
        }
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        let r = (-2.0 * u1.ln()).sqrt();
        self.spare = Some(r * (2.0 * PI * u2).sin());
        r * (2.0 * PI * u2).cos()
    }

    /// Add white Gaussian noise of the given RMS level (dBFS of RMS) to `out`.
    pub fn add_white(&mut self, out: &mut [f32], rms_db: f64) {
        let sigma = db_to_amplitude(rms_db);
        for s in out {
            *s += (sigma * self.gaussian()) as f32;
        }
    }
}

/// Mean power of a signal (mean of squares).
pub fn power(samples: &[f32]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / samples.len() as f64
}

/// Power in dB (10·log10 of the mean square; a full-scale sine is −3 dB).
pub fn power_db(samples: &[f32]) -> f64 {
    10.0 * power(samples).max(1e-20).log10()
}

/// Add a chord of pure tones (equal level each, short fades) into `out` from `start`.
pub fn add_chord(out: &mut [f32], sample_rate: u32, start: usize, freqs: &[f64], level_db: f64, duration_s: f64) {
    let fs = f64::from(sample_rate);
    let n = (duration_s * fs).round() as usize;
    let fade = ((0.005 * fs) as usize).max(1);
    let amp = db_to_amplitude(level_db);
    for i in 0..n {
        let Some(slot) = out.get_mut(start + i) else { break };
        let t = i as f64 / fs;
        let env = (i.min(n - 1 - i) as f64 / fade as f64).min(1.0);
        let v: f64 = freqs.iter().enumerate().map(|(j, f)| (2.0 * PI * f * t + j as f64).sin()).sum();
        *slot += (amp * env * v) as f32;
    }
}

/// The frequency of an equal-tempered note (MIDI number; 69 = A4 = 440 Hz).
pub fn note_hz(midi: i32) -> f64 {
    440.0 * 2f64.powf(f64::from(midi - 69) / 12.0)
}
