//! What runs inside the device callbacks, and nothing else: samples move through lock-free queues (rtrb) and
//! counters are atomics. No allocation, lock, log or file I/O happens here (tests/audio_realtime.rs checks it).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::Instant;

use cpal::{FromSample, Sample};

/// Counters the callbacks keep and the engine and UI read.
#[derive(Debug, Default)]
pub struct SharedStats {
    /// Input frames the device delivered.
    pub input_frames: AtomicU64,
    /// Input samples dropped because the engine fell behind (the queue was full).
    pub input_overruns: AtomicU64,
    /// Output callbacks that found no audio while a prompt or beep was playing.
    pub output_underruns: AtomicU64,
    /// Peak of the last input callback, as f32 bits (for a level meter).
    pub input_peak: AtomicU32,
    /// Set when a device reported an error (disconnected, say).
    pub device_failed: AtomicBool,
    /// Set by the engine while it has audio queued to play.
    pub playing: AtomicBool,
}

impl SharedStats {
    pub fn peak(&self) -> f32 {
        f32::from_bits(self.input_peak.load(Ordering::Relaxed))
    }
}

/// When input frames arrived: (total frames delivered after a callback, when that callback ran).
pub type Arrival = (u64, Instant);

/// The input callback's state, built outside and moved in.
pub struct InputSide {
    pub samples: rtrb::Producer<f32>,
    pub arrivals: rtrb::Producer<Arrival>,
    pub channels: usize,
    pub stats: Arc<SharedStats>,
}

impl InputSide {
    /// Downmix interleaved frames to mono and queue them for the engine.
    pub fn on_input<T>(&mut self, data: &[T])
    where
        T: Sample,
        f32: FromSample<T>,
    {
        let channels = self.channels.max(1);
        let scale = 1.0 / channels as f32;
        let mut peak = 0f32;
        let mut frames = 0u64;
        for frame in data.chunks_exact(channels) {
            let v: f32 = frame.iter().map(|s| s.to_sample::<f32>()).sum::<f32>() * scale;
            peak = peak.max(v.abs());
            frames += 1;
            if self.samples.push(v).is_err() {
                self.stats.input_overruns.fetch_add(1, Ordering::Relaxed);
            }
        }
        let total = self.stats.input_frames.fetch_add(frames, Ordering::Relaxed) + frames;
        // If the engine has not taken the arrival marks, the oldest are simply not added: they only serve to
        // measure latency.
        let _ = self.arrivals.push((total, Instant::now()));
        self.stats.input_peak.store(peak.to_bits(), Ordering::Relaxed);
    }
}

/// The output callback's state.
pub struct OutputSide {
    pub samples: rtrb::Consumer<f32>,
    pub channels: usize,
    pub stats: Arc<SharedStats>,
}

impl OutputSide {
    /// Fill interleaved frames from the queue (the same sample on every channel); silence when it is empty.
    pub fn on_output<T>(&mut self, data: &mut [T])
    where
        T: Sample + FromSample<f32>,
    {
        let channels = self.channels.max(1);
        let mut starved = false;
        for frame in data.chunks_exact_mut(channels) {
            let v = match self.samples.pop() {
                Ok(v) => v,
                Err(_) => {
                    starved = true;
                    0.0
                }
            };
            let s = T::from_sample(v);
            frame.iter_mut().for_each(|slot| *slot = s);
        }
        if starved && self.stats.playing.load(Ordering::Relaxed) {
            self.stats.output_underruns.fetch_add(1, Ordering::Relaxed);
        }
    }
}
