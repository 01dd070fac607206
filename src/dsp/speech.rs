//! The speech detector behind the silence timers: 10 ms frames, an adaptive noise floor, and onsets that need
//! sustained voice.
//!
//! - Each frame's power (DC removed) is compared with the line's noise floor, tracked as the minimum of the frame
//!   powers over the last two seconds (minimum statistics), so it follows the line's noise up and down. The floor
//!   starts at the first frame's power: a stream that begins in silence or steady noise is not speech (WebRTC's
//!   VAD reports speech there until it has adapted).
//! - A frame is *voiced* when it is `threshold_db` above the floor and above `min_level_dbfs`, and not tonal: not
//!   DTMF (the caller says so through `tonal_until`) and not a steady tone at the beep frequency.
//! - Speech starts when `min_speech_ms` of the last `onset_window_ms` are voiced (a click is one or two frames),
//!   and the onset is placed at the first voiced frame of that stretch.
//! - Speech ends after `hangover_ms` without a voiced frame; the end is placed after the last voiced frame.
//!
//! Real-time safe: all state is sized in `new`; `process` neither allocates nor locks.

use super::kernels::{DotFn, EnergyFn, dot2_kernel, energy_kernel};

/// Power of digital silence (−130 dBFS): keeps logarithms finite.
const SILENT_POWER: f64 = 1e-13;
/// The floor never goes below −90 dBFS.
const QUIETEST_FLOOR: f64 = 1e-9;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpeechSettings {
    /// How far above the noise floor a frame must be to count as voice, dB.
    pub threshold_db: f64,
    /// Silence after the last voiced frame before speech is declared ended, ms.
    pub hangover_ms: f64,
    /// Voiced time needed within `onset_window_ms` for an onset, ms.
    pub min_speech_ms: f64,
    pub onset_window_ms: f64,
    /// Frames quieter than this are never voice (digital silence, dither, a very quiet line), dBFS.
    pub min_level_dbfs: f64,
    /// The beep's frequency: a steady tone there is not speech (the beep leaking back from the line), Hz.
    pub beep_hz: f64,
    /// How far back the noise floor looks for its minimum, ms.
    pub floor_window_ms: f64,
}

impl Default for SpeechSettings {
    fn default() -> Self {
        SpeechSettings {
            threshold_db: 10.0,
            hangover_ms: 200.0,
            min_speech_ms: 60.0,
            onset_window_ms: 100.0,
            min_level_dbfs: -55.0,
            beep_hz: 1000.0,
            floor_window_ms: 2000.0,
        }
    }
}

/// Times are sample indices at the detector's rate, counted from its first sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpeechEvent {
    Started { at: u64, decided: u64 },
    Ended { at: u64, decided: u64 },
}

/// Sub-windows of the noise floor's minimum search (a ring of their minima keeps the search O(1) per frame).
const FLOOR_PARTS: usize = 8;
/// Most frames in the onset window.
const MAX_ONSET_FRAMES: usize = 64;

pub struct SpeechDetector {
    settings: SpeechSettings,
    frame_len: usize,
    energy: EnergyFn,
    beep_cos: Vec<f32>,
    beep_sin: Vec<f32>,
    frame: Vec<f32>,
    filled: usize,
    frames_done: u64,
    // Noise floor: minima of FLOOR_PARTS sub-windows of `part_frames` frames each.
    part_frames: u32,
    part_min: [f64; FLOOR_PARTS],
    part_index: usize,
    part_count: u32,
    floor: Option<f64>,
    threshold_ratio: f64,
    min_power: f64,
    // Onset: which of the last `onset_frames` frames were voiced.
    onset_frames: usize,
    needed_frames: usize,
    voiced_ring: [bool; MAX_ONSET_FRAMES],
    in_speech: bool,
    last_voiced_end: u64,
    hangover_frames: u64,
    frames_since_voice: u64,
    last_power: f64,
    last_voiced: bool,
    dot: DotFn,
}

impl SpeechDetector {
    pub fn new(sample_rate: u32, settings: SpeechSettings) -> Self {
        let frame_len = (sample_rate / 100).max(1) as usize;
        let w = 2.0 * std::f64::consts::PI * settings.beep_hz / f64::from(sample_rate);
        let frames_in = |ms: f64| ((ms / 10.0).round() as usize).max(1);
        let onset_frames = frames_in(settings.onset_window_ms).min(MAX_ONSET_FRAMES);
        SpeechDetector {
            settings,
            frame_len,
            energy: energy_kernel(),
            beep_cos: (0..frame_len).map(|n| (w * n as f64).cos() as f32).collect(),
            beep_sin: (0..frame_len).map(|n| (w * n as f64).sin() as f32).collect(),
            frame: vec![0.0; frame_len],
            filled: 0,
            frames_done: 0,
            part_frames: (frames_in(settings.floor_window_ms) / FLOOR_PARTS).max(1) as u32,
            part_min: [f64::INFINITY; FLOOR_PARTS],
            part_index: 0,
            part_count: 0,
            floor: None,
            threshold_ratio: 10f64.powf(settings.threshold_db / 10.0),
            min_power: 10f64.powf(settings.min_level_dbfs / 10.0),
            onset_frames,
            needed_frames: frames_in(settings.min_speech_ms).min(onset_frames),
            voiced_ring: [false; MAX_ONSET_FRAMES],
            in_speech: false,
            last_voiced_end: 0,
            hangover_frames: frames_in(settings.hangover_ms) as u64,
            frames_since_voice: 0,
            last_power: SILENT_POWER,
            last_voiced: false,
            dot: dot2_kernel(),
        }
    }

    pub fn settings(&self) -> &SpeechSettings {
        &self.settings
    }

    /// Whether the caller is speaking (an onset was decided and speech has not ended).
    pub fn in_speech(&self) -> bool {
        self.in_speech
    }

    /// Sample just after the last voiced frame: where the current silence began.
    pub fn last_voiced_end(&self) -> u64 {
        self.last_voiced_end
    }

    /// The noise floor, dBFS (power), once a frame has been heard.
    pub fn noise_floor_db(&self) -> Option<f64> {
        self.floor.map(power_to_db)
    }

    /// The last frame's power, dBFS, and whether it was voiced.
    pub fn last_frame(&self) -> (f64, bool) {
        (power_to_db(self.last_power), self.last_voiced)
    }

    /// Samples processed so far.
    pub fn position(&self) -> u64 {
        self.frames_done * self.frame_len as u64 + self.filled as u64
    }

    /// Feed samples (any block size). `tonal_until` is the sample up to which the audio was heard as DTMF (from
    /// the DTMF receiver, run over the same samples first): frames that start before it are not voice. Pass 0
    /// when there is no DTMF receiver.
    pub fn process(&mut self, mut samples: &[f32], tonal_until: u64, on_event: &mut impl FnMut(SpeechEvent)) {
        while !samples.is_empty() {
            let start = self.frames_done * self.frame_len as u64;
            if self.filled == 0 && samples.len() >= self.frame_len {
                // A whole frame in the input: look at it where it is.
                let (frame, rest) = samples.split_at(self.frame_len);
                self.frames_done += 1;
                self.frame_done(frame, start, tonal_until > start, on_event);
                samples = rest;
                continue;
            }
            let take = (self.frame_len - self.filled).min(samples.len());
            self.frame[self.filled..self.filled + take].copy_from_slice(&samples[..take]);
            self.filled += take;
            samples = &samples[take..];
            if self.filled == self.frame_len {
                self.filled = 0;
                self.frames_done += 1;
                // Moved out and back so the frame can be read while the state changes (no allocation).
                let frame = std::mem::take(&mut self.frame);
                self.frame_done(&frame, start, tonal_until > start, on_event);
                self.frame = frame;
            }
        }
    }

    /// Flush at the end of a stream: speech still going ends after its last voiced frame.
    pub fn finish(&mut self, on_event: &mut impl FnMut(SpeechEvent)) {
        if self.in_speech {
            self.in_speech = false;
            on_event(SpeechEvent::Ended { at: self.last_voiced_end, decided: self.position() });
        }
    }

    fn frame_done(&mut self, frame: &[f32], start: u64, dtmf: bool, on_event: &mut impl FnMut(SpeechEvent)) {
        let n = self.frame_len as f64;
        let (sq, sum) = (self.energy)(frame);
        let power = ((f64::from(sq) - f64::from(sum) * f64::from(sum) / n) / n).max(SILENT_POWER);
        let floor = self.update_floor(power);
        let loud = power >= floor * self.threshold_ratio && power >= self.min_power;
        // Only a frame that would be voice is checked for the beep (most frames are not, and this costs).
        let voiced = loud && !dtmf && {
            let (re, im) = (self.dot)(frame, &self.beep_cos, &self.beep_sin);
            let beep_power = 2.0 * (f64::from(re).powi(2) + f64::from(im).powi(2)) / (n * n);
            beep_power < 0.5 * power
        };
        self.last_power = power;
        self.last_voiced = voiced;

        let end = start + self.frame_len as u64;
        let slot = (self.frames_done as usize - 1) % self.onset_frames;
        self.voiced_ring[slot] = voiced;
        if voiced {
            self.frames_since_voice = 0;
            if self.in_speech {
                self.last_voiced_end = end;
            }
        } else {
            self.frames_since_voice += 1;
        }

        if !self.in_speech {
            let count = self.voiced_ring[..self.onset_frames].iter().filter(|&&v| v).count();
            if count >= self.needed_frames {
                // The onset is the earliest voiced frame still in the window.
                let window = (self.onset_frames as u64).min(self.frames_done);
                let first = (0..window)
                    .map(|back| self.frames_done - window + back)
                    .find(|&f| self.voiced_ring[(f as usize) % self.onset_frames])
                    .unwrap_or(self.frames_done - 1);
                self.in_speech = true;
                self.last_voiced_end = end;
                on_event(SpeechEvent::Started { at: first * self.frame_len as u64, decided: end });
            }
        } else if self.frames_since_voice >= self.hangover_frames {
            self.in_speech = false;
            self.voiced_ring = [false; MAX_ONSET_FRAMES];
            on_event(SpeechEvent::Ended { at: self.last_voiced_end, decided: end });
        }
    }

    /// Minimum statistics: the floor is the quietest frame of the last `floor_window_ms` (linear power).
    fn update_floor(&mut self, power: f64) -> f64 {
        let part = &mut self.part_min[self.part_index];
        *part = part.min(power);
        self.part_count += 1;
        if self.part_count >= self.part_frames {
            self.part_count = 0;
            self.part_index = (self.part_index + 1) % FLOOR_PARTS;
            self.part_min[self.part_index] = f64::INFINITY;
        }
        let floor = self.part_min.iter().copied().fold(f64::INFINITY, f64::min);
        // Quieter than any real line: don't let digital silence make every murmur "voice".
        let floor = floor.max(QUIETEST_FLOOR);
        self.floor = Some(floor);
        floor
    }
}

fn power_to_db(power: f64) -> f64 {
    10.0 * power.max(SILENT_POWER).log10()
}
