//! A waveform's min/max summary: one (min, max) pair per 10 ms bin, so a view draws minutes of audio from a few
//! thousand numbers instead of millions of samples.

/// Samples per bin at 16 kHz (10 ms).
pub const BIN: usize = 160;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WaveSummary {
    mins: Vec<f32>,
    maxs: Vec<f32>,
    /// The bin being filled: its samples so far, min and max.
    partial: (usize, f32, f32),
}

impl WaveSummary {
    pub fn new() -> Self {
        WaveSummary::default()
    }

    /// Summarise a whole signal (16 kHz).
    pub fn of(samples: &[f32]) -> Self {
        let mut s = WaveSummary::new();
        s.push(samples);
        s
    }

    /// Add the next samples.
    pub fn push(&mut self, samples: &[f32]) {
        let (mut n, mut lo, mut hi) = self.partial;
        for &x in samples {
            if n == 0 {
                (lo, hi) = (x, x);
            } else {
                lo = lo.min(x);
                hi = hi.max(x);
            }
            n += 1;
            if n == BIN {
                self.mins.push(lo);
                self.maxs.push(hi);
                n = 0;
            }
        }
        self.partial = (n, lo, hi);
    }

    /// Complete bins (each 10 ms).
    pub fn bins(&self) -> usize {
        self.mins.len()
    }

    pub fn duration_ms(&self) -> f64 {
        (self.mins.len() * BIN + self.partial.0) as f64 * 1000.0 / 16_000.0
    }

    /// The lowest and highest sample between `from_ms` and `to_ms` (None when no whole bin lies there). A range
    /// narrower than a bin gives the bin it falls in.
    pub fn range(&self, from_ms: f64, to_ms: f64) -> Option<(f32, f32)> {
        let bin_ms = BIN as f64 * 1000.0 / 16_000.0;
        let first = (from_ms / bin_ms).floor().max(0.0) as usize;
        let last = ((to_ms / bin_ms).ceil() as usize).max(first + 1).min(self.mins.len());
        if first >= last {
            return None;
        }
        let lo = self.mins[first..last].iter().copied().fold(f32::INFINITY, f32::min);
        let hi = self.maxs[first..last].iter().copied().fold(f32::NEG_INFINITY, f32::max);
        Some((lo, hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_hold_each_10_ms_extremes() {
        let mut signal = vec![0.0f32; 16_000];
        signal[5] = 0.5; // bin 0
        signal[170] = -0.25; // bin 1
        signal[15_999] = 0.9; // the last bin
        let mut s = WaveSummary::new();
        for chunk in signal.chunks(37) {
            s.push(chunk); // any block size gives the same bins
        }
        assert_eq!(s, WaveSummary::of(&signal));
        assert_eq!(s.bins(), 100);
        assert_eq!(s.range(0.0, 10.0), Some((0.0, 0.5)));
        assert_eq!(s.range(10.0, 20.0), Some((-0.25, 0.0)));
        assert_eq!(s.range(0.0, 1000.0), Some((-0.25, 0.9)));
        assert_eq!(s.range(3.0, 4.0), Some((0.0, 0.5)), "narrower than a bin: the bin it is in");
        assert_eq!(s.range(1000.0, 1100.0), None);
        assert!((s.duration_ms() - 1000.0).abs() < 1e-9);
    }
}
