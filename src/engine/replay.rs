//! A replayed caller: a WAV file (any rate and channels, converted to 16 kHz mono) heard from the operation's
//! first sample, then silence, with an optional scripted hang-up; prompts "play" by advancing the clock.

use std::path::Path;

use super::line::{CallLine, CallerAudio, PlaybackFailed};
use crate::dsp::resample::StreamResampler;
use crate::media::{WavFileError, WavStream};

const RATE: u32 = 16_000;

/// Things a replay can be told to do, for scripted runs and tests.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplayScript {
    /// The caller hangs up at this time (ms on the call's clock).
    pub hang_up_at_ms: Option<f64>,
    /// The user cancels at this time (ms).
    pub cancel_at_ms: Option<f64>,
    /// The caller's audio stops arriving at this time (ms), as from a device that disappeared.
    pub audio_stops_at_ms: Option<f64>,
    /// Playing to the caller fails (as an output device that refuses to play would).
    pub playback_fails: bool,
    /// Deliver the caller's audio at real-time pace instead of as fast as possible (to watch or listen along).
    pub real_time: bool,
}

pub struct ReplayLine {
    wav: Option<WavStream>,
    resampler: StreamResampler,
    /// Converted audio not yet handed out.
    pending: Vec<f32>,
    pending_at: usize,
    raw: Vec<f32>,
    /// Samples handed to the engine (the call clock).
    position: u64,
    script: ReplayScript,
    /// Everything "played" to the caller, when asked to keep it (tests and listening).
    pub played: Option<Vec<f32>>,
    started: std::time::Instant,
}

impl ReplayLine {
    pub fn open(caller: &Path, script: ReplayScript) -> Result<Self, WavFileError> {
        let wav = WavStream::open(caller)?;
        let resampler = StreamResampler::new(wav.sample_rate(), RATE)
            .map_err(|e| WavFileError::Damaged { path: caller.to_owned(), reason: e.to_string() })?;
        Ok(ReplayLine {
            wav: Some(wav),
            resampler,
            pending: Vec::with_capacity(16_384),
            pending_at: 0,
            raw: vec![0.0; 4096],
            position: 0,
            script,
            played: None,
            started: std::time::Instant::now(),
        })
    }

    /// A caller who says nothing (silence throughout).
    pub fn silent(script: ReplayScript) -> Self {
        ReplayLine {
            wav: None,
            resampler: StreamResampler::new(RATE, RATE).expect("equal rates always work"),
            pending: Vec::new(),
            pending_at: 0,
            raw: Vec::new(),
            position: 0,
            script,
            played: None,
            started: std::time::Instant::now(),
        }
    }

    /// Keep a copy of everything played to the caller in `played`.
    pub fn keep_playback(mut self) -> Self {
        self.played = Some(Vec::new());
        self
    }

    fn at(ms: Option<f64>) -> Option<u64> {
        ms.map(|m| (m.max(0.0) * f64::from(RATE) / 1000.0).round() as u64)
    }

    /// Refill `pending` from the file; false at the end of the file.
    fn refill(&mut self) -> bool {
        let Some(wav) = self.wav.as_mut() else { return false };
        self.pending.clear();
        self.pending_at = 0;
        let pending = &mut self.pending;
        match wav.read(&mut self.raw) {
            Ok(n) if n > 0 => {
                self.resampler.process(&self.raw[..n], &mut |b| pending.extend_from_slice(b));
                true
            }
            // The end (or a read error on a file that opened: keep what was heard, then the line goes quiet).
            _ => {
                self.resampler.finish(&mut |b| pending.extend_from_slice(b));
                self.wav = None;
                !pending.is_empty()
            }
        }
    }
}

impl CallLine for ReplayLine {
    fn read_caller(&mut self, buf: &mut [f32]) -> CallerAudio {
        if Self::at(self.script.hang_up_at_ms).is_some_and(|t| self.position >= t) {
            return CallerAudio::HungUp;
        }
        // Stop exactly at scripted times, so they land on their sample.
        let mut limit = buf.len() as u64;
        for t in [
            Self::at(self.script.hang_up_at_ms),
            Self::at(self.script.audio_stops_at_ms),
            Self::at(self.script.cancel_at_ms),
        ]
        .into_iter()
        .flatten()
        {
            if t > self.position {
                limit = limit.min(t - self.position);
            }
        }
        let n = limit as usize;
        if self.script.real_time {
            // Never run ahead of the wall clock: the audio "arrives" as it would from a phone line.
            let due = std::time::Duration::from_secs_f64((self.position + n as u64) as f64 / f64::from(RATE));
            if let Some(wait) = due.checked_sub(self.started.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        if Self::at(self.script.audio_stops_at_ms).is_some_and(|t| self.position >= t) {
            self.position += n as u64;
            return CallerAudio::Missing(n);
        }
        let mut filled = 0;
        while filled < n {
            if self.pending_at >= self.pending.len() && !self.refill() {
                // The caller's line stays open with silence after the file ends.
                buf[filled..n].fill(0.0);
                filled = n;
                break;
            }
            let take = (self.pending.len() - self.pending_at).min(n - filled);
            buf[filled..filled + take].copy_from_slice(&self.pending[self.pending_at..self.pending_at + take]);
            self.pending_at += take;
            filled += take;
        }
        self.position += filled as u64;
        CallerAudio::Samples(filled)
    }

    fn play(&mut self, samples: &[f32]) -> Result<(), PlaybackFailed> {
        if self.script.playback_fails {
            return Err(PlaybackFailed("the replay was told that playback fails".into()));
        }
        if let Some(played) = self.played.as_mut() {
            played.extend_from_slice(samples);
        }
        Ok(())
    }

    fn cancel_requested(&mut self) -> bool {
        Self::at(self.script.cancel_at_ms).is_some_and(|t| self.position >= t)
    }
}
