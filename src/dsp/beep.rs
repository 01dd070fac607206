//! The beep before recording: a clean sine with raised-cosine fades, so it starts and stops without a click.

use std::f64::consts::PI;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BeepSettings {
    pub frequency_hz: f64,
    pub duration_ms: f64,
    /// Peak level of the sine, dBFS.
    pub level_dbfs: f64,
    /// Length of each fade, ms.
    pub fade_ms: f64,
}

impl Default for BeepSettings {
    fn default() -> Self {
        BeepSettings { frequency_hz: 1000.0, duration_ms: 300.0, level_dbfs: -12.0, fade_ms: 10.0 }
    }
}

/// Generates one beep, in blocks of any size. Allocation-free.
#[derive(Clone, Debug)]
pub struct Beep {
    amplitude: f64,
    step: f64,
    total: usize,
    fade: usize,
    done: usize,
}

impl Beep {
    pub fn new(settings: BeepSettings, sample_rate: u32) -> Self {
        let fs = f64::from(sample_rate);
        let total = (settings.duration_ms / 1000.0 * fs).round().max(0.0) as usize;
        let fade = ((settings.fade_ms / 1000.0 * fs).round() as usize).min(total / 2);
        Beep {
            amplitude: super::signals::db_to_amplitude(settings.level_dbfs),
            step: 2.0 * PI * settings.frequency_hz / fs,
            total,
            fade,
            done: 0,
        }
    }

    /// Samples in the whole beep.
    pub fn len(&self) -> usize {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub fn is_finished(&self) -> bool {
        self.done >= self.total
    }

    /// Write the next samples into `out`; returns how many were written (fewer than `out.len()` at the end).
    pub fn fill(&mut self, out: &mut [f32]) -> usize {
        let n = out.len().min(self.total - self.done);
        for (i, slot) in out[..n].iter_mut().enumerate() {
            let k = self.done + i;
            // Raised-cosine fade in and out: the sine's slope stays continuous at both ends.
            let edge = k.min(self.total - 1 - k);
            let gain = if edge < self.fade { 0.5 - 0.5 * (PI * edge as f64 / self.fade as f64).cos() } else { 1.0 };
            *slot = (self.amplitude * gain * (self.step * k as f64).sin()) as f32;
        }
        self.done += n;
        n
    }
}
