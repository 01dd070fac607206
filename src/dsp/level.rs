//! Peak and RMS level of a block, in dBFS (a full-scale sine peaks at 0 dBFS and has an RMS of −3 dBFS).

use super::kernels::{EnergyFn, energy_kernel};

/// Levels of one block.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Levels {
    pub peak_dbfs: f64,
    pub rms_dbfs: f64,
}

/// The quietest level reported (digital silence), dBFS.
pub const SILENCE_DBFS: f64 = -120.0;

fn to_db(amplitude: f64) -> f64 {
    if amplitude > 0.0 { (20.0 * amplitude.log10()).max(SILENCE_DBFS) } else { SILENCE_DBFS }
}

/// Measures blocks as they pass. Allocation-free.
#[derive(Clone, Copy, Debug)]
pub struct LevelMeter {
    energy: EnergyFn,
    last: Option<Levels>,
}

impl Default for LevelMeter {
    fn default() -> Self {
        LevelMeter { energy: energy_kernel(), last: None }
    }
}

impl LevelMeter {
    pub fn new() -> Self {
        LevelMeter::default()
    }

    /// Levels of this block (also kept as `last`).
    pub fn process(&mut self, block: &[f32]) -> Levels {
        let levels = measure_with(self.energy, block);
        self.last = Some(levels);
        levels
    }

    pub fn last(&self) -> Option<Levels> {
        self.last
    }
}

/// Peak and RMS of a block.
pub fn measure(block: &[f32]) -> Levels {
    measure_with(energy_kernel(), block)
}

fn measure_with(energy: EnergyFn, block: &[f32]) -> Levels {
    if block.is_empty() {
        return Levels { peak_dbfs: SILENCE_DBFS, rms_dbfs: SILENCE_DBFS };
    }
    let peak = block.iter().fold(0f32, |m, &s| m.max(s.abs()));
    let (sq, _) = energy(block);
    let rms = (f64::from(sq) / block.len() as f64).sqrt();
    Levels { peak_dbfs: to_db(f64::from(peak)), rms_dbfs: to_db(rms) }
}
