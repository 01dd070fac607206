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
    /// Read the caller's next samples into `buf` (any number up to its length; at least one, or `Missing`).
    fn read_caller(&mut self, buf: &mut [f32]) -> CallerAudio;

    /// Play samples to the caller (a prompt or the beep). A replay only advances its clock.
    fn play(&mut self, samples: &[f32]) -> Result<(), PlaybackFailed>;

    /// Whether the user asked to cancel the running operation (Ctrl+C, the Cancel button). Checked every block.
    fn cancel_requested(&mut self) -> bool {
        false
    }
}
