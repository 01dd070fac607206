//! A live call: the caller from an input device, prompts and the beep to an output device, through cpal.
//!
//! The device callbacks only move samples through rtrb queues and update atomics (see `realtime.rs`); rate
//! conversion, detection, decisions and writing the take all happen on the engine's thread, here.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, StreamTrait};
use cpal::{BufferSize, SampleFormat, StreamConfig, SupportedBufferSize};

use super::devices::{DeviceError, find_input, find_output};
use super::realtime::{Arrival, InputSide, OutputSide, SharedStats};
use crate::dsp::resample::StreamResampler;
use crate::engine::line::{CallLine, CallerAudio, LineStats, PlaybackFailed};

const ENGINE_RATE: u32 = 16_000;
/// Nothing from the input for this long counts as missing audio (the engine's media timeout adds it up).
const STALL: Duration = Duration::from_millis(100);
/// Frames per device block we ask for (20 ms at 16 kHz).
const DEVICE_BLOCK: u32 = 320;
/// The output queue holds this much audio ahead of the device.
const OUTPUT_LEAD_MS: u32 = 60;
/// The input queue can hold this much before the engine must have read it.
const INPUT_QUEUE_S: u32 = 10;

/// Which devices to use: by name (or part of it), or the system default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveDevices {
    pub input: Option<String>,
    pub output: Option<String>,
}

pub struct LiveLine {
    _input_stream: cpal::Stream,
    _output_stream: cpal::Stream,
    input: rtrb::Consumer<f32>,
    arrivals: rtrb::Consumer<Arrival>,
    output: rtrb::Producer<f32>,
    output_capacity: usize,
    input_rate: u32,
    to_engine: StreamResampler,
    to_device: StreamResampler,
    raw: Vec<f32>,
    pending: VecDeque<f32>,
    converted: Vec<f32>,
    recent: VecDeque<Arrival>,
    /// Time without input (in 16 kHz samples) not yet reported to the engine as missing.
    missing_owed: usize,
    /// Device frames delivered before the call began (dropped by `begin`).
    consumed_before_start: u64,
    stats: Arc<SharedStats>,
    cancel: Arc<AtomicBool>,
    info: LineStats,
}

/// A stream config the device accepts, preferring 16 kHz mono, and what was chosen instead if not.
fn choose(
    ranges: Vec<cpal::SupportedStreamConfigRange>,
    default: Result<cpal::SupportedStreamConfig, cpal::Error>,
    kind: &str,
) -> Result<(StreamConfig, SampleFormat, Option<String>), DeviceError> {
    let usable =
        |f: SampleFormat| matches!(f, SampleFormat::F32 | SampleFormat::I16 | SampleFormat::I32 | SampleFormat::U8);
    // 20 ms blocks when the device allows them: a stop tone must be decided within 100 ms of reaching the
    // device, and PulseAudio's default record fragment is 2 s. (cpal's PulseAudio backend stops delivering input
    // after the first callback with 10 ms blocks.)
    let buffer = |b: &SupportedBufferSize| match b {
        SupportedBufferSize::Range { min, max } if (*min..=*max).contains(&DEVICE_BLOCK) => {
            BufferSize::Fixed(DEVICE_BLOCK)
        }
        _ => BufferSize::Default,
    };
    let mut best: Option<&cpal::SupportedStreamConfigRange> = None;
    for r in &ranges {
        if !usable(r.sample_format()) || !(r.min_sample_rate()..=r.max_sample_rate()).contains(&ENGINE_RATE) {
            continue;
        }
        let better = match best {
            None => true,
            Some(b) => {
                (r.channels() == 1 && b.channels() != 1)
                    || (r.sample_format() == SampleFormat::F32
                        && b.sample_format() != SampleFormat::F32
                        && r.channels() == b.channels())
            }
        };
        if better {
            best = Some(r);
        }
    }
    if let Some(r) = best {
        let config =
            StreamConfig { channels: r.channels(), sample_rate: ENGINE_RATE, buffer_size: buffer(r.buffer_size()) };
        return Ok((config, r.sample_format(), None));
    }
    let d = default.map_err(|e| DeviceError::Audio(format!("the {kind} device offers no usable format: {e}")))?;
    if !usable(d.sample_format()) {
        return Err(DeviceError::Audio(format!("the {kind} device only offers {:?} samples", d.sample_format())));
    }
    let note = format!(
        "the {kind} device does not offer 16 kHz; using {} Hz, {} ch, {:?} and converting",
        d.sample_rate(),
        d.channels(),
        d.sample_format()
    );
    let config =
        StreamConfig { channels: d.channels(), sample_rate: d.sample_rate(), buffer_size: BufferSize::Default };
    Ok((config, d.sample_format(), Some(note)))
}

fn describe(config: &StreamConfig, format: SampleFormat) -> String {
    format!("{} Hz, {} ch, {format:?}", config.sample_rate, config.channels)
}

fn error_callback(stats: Arc<SharedStats>) -> impl FnMut(cpal::Error) + Send + 'static {
    move |e| {
        // Only a flag here: the engine thread reports it.
        if !matches!(e.kind(), cpal::ErrorKind::Xrun | cpal::ErrorKind::DeviceChanged) {
            stats.device_failed.store(true, Ordering::Relaxed);
        }
    }
}

/// The input stream, with the queues its callback fills (samples, and when they arrived).
type InputParts = (cpal::Stream, rtrb::Consumer<f32>, rtrb::Consumer<Arrival>);

fn build_input(
    device: &cpal::Device,
    config: &StreamConfig,
    format: SampleFormat,
    stats: Arc<SharedStats>,
) -> Result<InputParts, cpal::Error> {
    let (producer, input) = rtrb::RingBuffer::new((config.sample_rate * INPUT_QUEUE_S) as usize);
    let (arrival_producer, arrivals) = rtrb::RingBuffer::new(4096);
    let mut side = InputSide {
        samples: producer,
        arrivals: arrival_producer,
        channels: config.channels as usize,
        stats: stats.clone(),
    };
    let err = error_callback(stats);
    let stream = match format {
        SampleFormat::F32 => device.build_input_stream(*config, move |d: &[f32], _: &_| side.on_input(d), err, None),
        SampleFormat::I16 => device.build_input_stream(*config, move |d: &[i16], _: &_| side.on_input(d), err, None),
        SampleFormat::I32 => device.build_input_stream(*config, move |d: &[i32], _: &_| side.on_input(d), err, None),
        _ => device.build_input_stream(*config, move |d: &[u8], _: &_| side.on_input(d), err, None),
    }?;
    Ok((stream, input, arrivals))
}

fn build_output(
    device: &cpal::Device,
    config: &StreamConfig,
    format: SampleFormat,
    mut side: OutputSide,
    stats: Arc<SharedStats>,
) -> Result<cpal::Stream, cpal::Error> {
    let err = error_callback(stats);
    match format {
        SampleFormat::F32 => {
            device.build_output_stream(*config, move |d: &mut [f32], _: &_| side.on_output(d), err, None)
        }
        SampleFormat::I16 => {
            device.build_output_stream(*config, move |d: &mut [i16], _: &_| side.on_output(d), err, None)
        }
        SampleFormat::I32 => {
            device.build_output_stream(*config, move |d: &mut [i32], _: &_| side.on_output(d), err, None)
        }
        _ => device.build_output_stream(*config, move |d: &mut [u8], _: &_| side.on_output(d), err, None),
    }
}

/// An input device's stream (not started), the queues its callback fills, and how it was opened.
pub(crate) struct OpenedInput {
    pub stream: cpal::Stream,
    pub samples: rtrb::Consumer<f32>,
    pub arrivals: rtrb::Consumer<Arrival>,
    pub config: StreamConfig,
    pub format: SampleFormat,
    pub device: cpal::Device,
    pub stats: Arc<SharedStats>,
    /// Fallbacks, in words.
    pub notes: Vec<String>,
}

/// Open the input device named `name` (or the default): 16 kHz mono when it takes it, else its own format.
pub(crate) fn open_input(name: Option<&str>) -> Result<OpenedInput, DeviceError> {
    let device = find_input(name)?;
    let device_name = device.description().map(|x| x.name().to_owned()).unwrap_or_else(|_| "?".into());
    let stats = Arc::new(SharedStats::default());
    let mut notes = Vec::new();
    let ranges = device.supported_input_configs().map(|r| r.collect()).unwrap_or_default();
    let (mut config, mut format, note) = choose(ranges, device.default_input_config(), "input")?;
    notes.extend(note);
    let (stream, samples, arrivals) = match build_input(&device, &config, format, stats.clone()) {
        Ok(parts) => parts,
        Err(first) => {
            // The device refused what it advertised: fall back to its own default, and say so.
            let d = device.default_input_config().map_err(|e| DeviceError::Audio(e.to_string()))?;
            config =
                StreamConfig { channels: d.channels(), sample_rate: d.sample_rate(), buffer_size: BufferSize::Default };
            format = d.sample_format();
            notes.push(format!(
                "the input device refused 16 kHz ({first}); using its default {}",
                describe(&config, format)
            ));
            build_input(&device, &config, format, stats.clone())
                .map_err(|e| DeviceError::Audio(format!("cannot open the input device \"{device_name}\": {e}")))?
        }
    };
    Ok(OpenedInput { stream, samples, arrivals, config, format, device, stats, notes })
}

impl LiveLine {
    /// Open the devices and start both streams. `cancel` is set by whoever may cancel (Ctrl+C, the UI).
    pub fn open(devices: &LiveDevices, cancel: Arc<AtomicBool>) -> Result<Self, DeviceError> {
        let input = open_input(devices.input.as_deref())?;
        let output_device = find_output(devices.output.as_deref())?;
        Self::finish_open(
            input.stream,
            input.samples,
            input.arrivals,
            input.config,
            input.format,
            &input.device,
            &output_device,
            input.stats,
            cancel,
            input.notes,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn finish_open(
        input_stream: cpal::Stream,
        input: rtrb::Consumer<f32>,
        arrivals: rtrb::Consumer<Arrival>,
        in_config: StreamConfig,
        in_format: SampleFormat,
        input_device: &cpal::Device,
        output_device: &cpal::Device,
        stats: Arc<SharedStats>,
        cancel: Arc<AtomicBool>,
        mut notes: Vec<String>,
    ) -> Result<Self, DeviceError> {
        let name = |d: &cpal::Device| d.description().map(|x| x.name().to_owned()).unwrap_or_else(|_| "?".into());
        let ranges = output_device.supported_output_configs().map(|r| r.collect()).unwrap_or_default();
        let (out_config, out_format, note) = choose(ranges, output_device.default_output_config(), "output")?;
        notes.extend(note);
        let output_capacity = (out_config.sample_rate * OUTPUT_LEAD_MS / 1000) as usize;
        let (output, consumer) = rtrb::RingBuffer::new(output_capacity);
        let side = OutputSide { samples: consumer, channels: out_config.channels as usize, stats: stats.clone() };
        let output_stream = build_output(output_device, &out_config, out_format, side, stats.clone()).map_err(|e| {
            DeviceError::Audio(format!("cannot open the output device \"{}\": {e}", name(output_device)))
        })?;
        input_stream.play().map_err(|e| DeviceError::Audio(format!("cannot start the input device: {e}")))?;
        output_stream.play().map_err(|e| DeviceError::Audio(format!("cannot start the output device: {e}")))?;
        let frames_ms = |s: &cpal::Stream, rate: u32| {
            s.buffer_size().map(|f| f64::from(f) * 1000.0 / f64::from(rate)).unwrap_or(0.0)
        };
        let info = LineStats {
            input_device: name(input_device),
            output_device: name(output_device),
            input_config: describe(&in_config, in_format),
            output_config: describe(&out_config, out_format),
            input_latency_ms: frames_ms(&input_stream, in_config.sample_rate),
            output_latency_ms: frames_ms(&output_stream, out_config.sample_rate) + f64::from(OUTPUT_LEAD_MS),
            notes,
            ..LineStats::default()
        };
        let to_engine =
            StreamResampler::new(in_config.sample_rate, ENGINE_RATE).map_err(|e| DeviceError::Audio(e.to_string()))?;
        let to_device =
            StreamResampler::new(ENGINE_RATE, out_config.sample_rate).map_err(|e| DeviceError::Audio(e.to_string()))?;
        Ok(LiveLine {
            _input_stream: input_stream,
            _output_stream: output_stream,
            input,
            arrivals,
            output,
            output_capacity,
            input_rate: in_config.sample_rate,
            to_engine,
            to_device,
            raw: vec![0.0; 4096],
            pending: VecDeque::with_capacity(16_384),
            converted: Vec::with_capacity(16_384),
            recent: VecDeque::with_capacity(4096),
            missing_owed: 0,
            consumed_before_start: 0,
            stats,
            cancel,
            info,
        })
    }

    /// What was opened, and how it is going.
    pub fn info(&self) -> LineStats {
        self.stats().unwrap_or_default()
    }

    /// The input level right now (peak of the last device block, 0..1).
    pub fn input_peak(&self) -> f32 {
        self.stats.peak()
    }

    /// Move what the device delivered into `pending`, converted to 16 kHz.
    fn drain_input(&mut self) {
        while let Ok(a) = self.arrivals.pop() {
            if self.recent.len() == self.recent.capacity() {
                self.recent.pop_front();
            }
            self.recent.push_back(a);
        }
        loop {
            let available = self.input.slots().min(self.raw.len());
            if available == 0 {
                break;
            }
            let Ok(chunk) = self.input.read_chunk(available) else { break };
            let (a, b) = chunk.as_slices();
            self.raw[..a.len()].copy_from_slice(a);
            self.raw[a.len()..a.len() + b.len()].copy_from_slice(b);
            chunk.commit_all();
            self.converted.clear();
            let converted = &mut self.converted;
            self.to_engine.process(&self.raw[..available], &mut |x| converted.extend_from_slice(x));
            self.pending.extend(self.converted.iter().copied());
        }
        if self.output.slots() == self.output_capacity {
            self.stats.playing.store(false, Ordering::Relaxed);
        }
    }
}

impl CallLine for LiveLine {
    fn begin(&mut self) {
        // Whatever the microphone delivered while the devices were being set up is not part of the call.
        self.consumed_before_start = self.stats.input_frames.load(Ordering::Relaxed);
        let waiting = self.input.slots();
        if let Ok(chunk) = self.input.read_chunk(waiting) {
            chunk.commit_all();
        }
        while self.arrivals.pop().is_ok() {}
        self.pending.clear();
        self.missing_owed = 0;
    }

    fn read_caller(&mut self, buf: &mut [f32]) -> CallerAudio {
        let waited = Instant::now();
        loop {
            self.drain_input();
            if !self.pending.is_empty() {
                self.missing_owed = 0;
                let n = buf.len().min(self.pending.len());
                for (slot, v) in buf[..n].iter_mut().zip(self.pending.drain(..n)) {
                    *slot = v;
                }
                return CallerAudio::Samples(n);
            }
            if self.missing_owed == 0 && waited.elapsed() >= STALL {
                self.missing_owed = (ENGINE_RATE as u128 * STALL.as_millis() / 1000) as usize;
            }
            if self.missing_owed > 0 {
                let n = buf.len().min(self.missing_owed);
                self.missing_owed -= n;
                return CallerAudio::Missing(n);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn play(&mut self, samples: &[f32]) -> Result<(), PlaybackFailed> {
        if self.stats.device_failed.load(Ordering::Relaxed) {
            return Err(PlaybackFailed("an audio device stopped working".into()));
        }
        self.converted.clear();
        let converted = &mut self.converted;
        self.to_device.process(samples, &mut |x| converted.extend_from_slice(x));
        self.stats.playing.store(true, Ordering::Relaxed);
        let mut at = 0;
        let started = Instant::now();
        while at < self.converted.len() {
            let n = self.output.slots().min(self.converted.len() - at);
            if n > 0 {
                if let Ok(mut chunk) = self.output.write_chunk_uninit(n) {
                    let (a, b) = chunk.as_mut_slices();
                    let (x, y) = self.converted[at..at + n].split_at(a.len());
                    for (slot, v) in a.iter_mut().zip(x) {
                        slot.write(*v);
                    }
                    for (slot, v) in b.iter_mut().zip(y) {
                        slot.write(*v);
                    }
                    // SAFETY: every slot of both halves was written just above.
                    unsafe { chunk.commit_all() };
                    at += n;
                }
            } else {
                if started.elapsed() > Duration::from_secs(2) {
                    return Err(PlaybackFailed("the output device stopped taking audio".into()));
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        Ok(())
    }

    fn cancel_requested(&mut self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    fn ms_since_arrival(&mut self, sample: u64) -> Option<f64> {
        self.drain_input();
        let frame = self.consumed_before_start + sample * u64::from(self.input_rate) / u64::from(ENGINE_RATE);
        // The callback that delivered the frame ran when its block was complete; the frame itself reached the
        // device that many frames earlier.
        self.recent.iter().find(|(total, _)| *total > frame).map(|(total, at)| {
            let earlier = (total - frame) as f64 * 1000.0 / f64::from(self.input_rate);
            at.elapsed().as_secs_f64() * 1000.0 + earlier
        })
    }

    fn stats(&self) -> Option<LineStats> {
        let mut s = self.info.clone();
        s.input_overruns = self.stats.input_overruns.load(Ordering::Relaxed);
        s.output_underruns = self.stats.output_underruns.load(Ordering::Relaxed);
        if self.stats.device_failed.load(Ordering::Relaxed) {
            s.notes.push("an audio device reported an error (disconnected?)".into());
        }
        Some(s)
    }
}
