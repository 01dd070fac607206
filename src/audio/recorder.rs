//! Recording a prompt from a microphone: the device opened and drained on the recorder's own thread (the window
//! only reads the level and the length), converted to 16 kHz mono, the count-in left out.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use cpal::traits::StreamTrait;

use super::live::open_input;
use crate::dsp::resample::StreamResampler;

/// The longest prompt recorded (then the recording stops by itself).
pub const MAX_SECONDS: f64 = 600.0;

pub struct Recorder {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU32>,
    /// Samples kept so far (16 kHz, after the count-in).
    kept: Arc<AtomicU64>,
    done: Receiver<Result<Vec<f32>, String>>,
}

impl Recorder {
    /// Start recording from `device` (`None`: the default input). The first `count_in_ms` of audio are dropped: the
    /// device opens at once, and the speaker starts when the count-in ends.
    pub fn start(device: Option<String>, count_in_ms: f64) -> Recorder {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU32::new(0));
        let kept = Arc::new(AtomicU64::new(0));
        let (tx, done) = mpsc::channel();
        let (s, p, k) = (stop.clone(), peak.clone(), kept.clone());
        let failed = tx.clone();
        let spawned = std::thread::Builder::new().name("prompt recorder".into()).spawn(move || {
            let _ = tx.send(record(device.as_deref(), count_in_ms, &s, &p, &k));
        });
        if let Err(e) = spawned {
            let _ = failed.send(Err(format!("cannot start recording: {e}")));
        }
        Recorder { stop, peak, kept, done }
    }

    /// The loudest sample since the last look (0–1).
    pub fn take_peak(&self) -> f32 {
        f32::from_bits(self.peak.swap(0, Ordering::Relaxed))
    }

    /// Recorded so far, after the count-in, ms.
    pub fn recorded_ms(&self) -> f64 {
        self.kept.load(Ordering::Relaxed) as f64 / 16.0
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// The recording (16 kHz mono), once it has stopped; or why there is none.
    pub fn poll(&self) -> Option<Result<Vec<f32>, String>> {
        self.done.try_recv().ok()
    }

    /// Wait for the recording after `stop` (headless use).
    pub fn wait(&self) -> Result<Vec<f32>, String> {
        self.done.recv().unwrap_or_else(|_| Err("the recorder stopped unexpectedly".into()))
    }
}

fn record(
    device: Option<&str>,
    count_in_ms: f64,
    stop: &AtomicBool,
    peak: &AtomicU32,
    kept: &AtomicU64,
) -> Result<Vec<f32>, String> {
    let mut input = open_input(device).map_err(|e| e.to_string())?;
    input.stream.play().map_err(|e| format!("cannot start the input device: {e}"))?;
    let mut resampler = StreamResampler::new(input.config.sample_rate, 16_000).map_err(|e| e.to_string())?;
    let skip = (count_in_ms.max(0.0) * 16.0) as usize;
    let limit = skip + (MAX_SECONDS * 16_000.0) as usize;
    let mut out: Vec<f32> = Vec::with_capacity(16_000 * 30);
    let mut raw = vec![0f32; 8192];
    let failed = loop {
        let stopping = stop.load(Ordering::Relaxed) || out.len() >= limit;
        loop {
            let n = input.samples.slots().min(raw.len());
            if n == 0 {
                break;
            }
            let Ok(chunk) = input.samples.read_chunk(n) else { break };
            let (a, b) = chunk.as_slices();
            raw[..a.len()].copy_from_slice(a);
            raw[a.len()..n].copy_from_slice(b);
            chunk.commit_all();
            let loudest = raw[..n].iter().fold(0f32, |m, x| m.max(x.abs()));
            let _ = peak.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                (loudest > f32::from_bits(old)).then_some(loudest.to_bits())
            });
            resampler.process(&raw[..n], &mut |x| out.extend_from_slice(x));
        }
        while input.arrivals.pop().is_ok() {}
        kept.store(out.len().saturating_sub(skip) as u64, Ordering::Relaxed);
        if input.stats.device_failed.load(Ordering::Relaxed) {
            break Some("the input device failed while recording (was it unplugged?); the audio so far is kept");
        }
        if stopping {
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    resampler.finish(&mut |x| out.extend_from_slice(x));
    // cpal's PulseAudio streams can hang when dropped: left to the process's end.
    std::mem::forget(input);
    if let Some(why) = failed
        && out.len() <= skip
    {
        return Err(why.to_owned());
    }
    let end = out.len().min(limit);
    Ok(out.get(skip..end).map(<[f32]>::to_vec).unwrap_or_default())
}
