//! The call's audio as the engine sees it: the caller's side coming in, prompts and the beep going out.
//! A replay implements it from a WAV file on a virtual clock; live devices implement it on real time.

/// What reading the caller's side gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallerAudio {
    /// This many samples (16 kHz mono) were written into the buffer.
    Samples(usize),
    /// This much time (in samples) passed with no audio from the caller's side (a device that stopped).
    Missing(usize),
    /// The caller hung up.
    HungUp,
}

/// Why audio could not be played to the caller.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot play to the caller: {0}")]
pub struct PlaybackFailed(pub String);

/// The engine's audio, at 16 kHz mono.
pub trait CallLine {
    /// The call starts now (t = 0). A live line forgets audio that arrived before, so the caller's first sample
    /// is the one heard when the first operation starts.
    fn begin(&mut self) {}

    /// Read the caller's next samples into `buf` (any number up to its length; at least one, or `Missing`).
    fn read_caller(&mut self, buf: &mut [f32]) -> CallerAudio;

    /// Play samples to the caller (a prompt or the beep). A replay only advances its clock.
    fn play(&mut self, samples: &[f32]) -> Result<(), PlaybackFailed>;

    /// Whether the user asked to cancel the running operation (Ctrl+C, the Cancel button). Checked every block.
    fn cancel_requested(&mut self) -> bool {
        false
    }

    /// Live lines: how long ago (wall time, ms) the caller's sample number `sample` arrived from the device.
    fn ms_since_arrival(&mut self, _sample: u64) -> Option<f64> {
        None
    }

    /// Live lines: the devices, their latencies and any trouble so far (never silent about dropped audio).
    fn stats(&self) -> Option<LineStats> {
        None
    }
}

/// How a live line is doing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineStats {
    pub input_device: String,
    pub output_device: String,
    /// What the devices were opened with, e.g. "16000 Hz, 1 ch, i16".
    pub input_config: String,
    pub output_config: String,
    pub input_latency_ms: f64,
    pub output_latency_ms: f64,
    pub input_overruns: u64,
    pub output_underruns: u64,
    /// Fallbacks and faults, in words.
    pub notes: Vec<String>,
}
