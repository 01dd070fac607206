//! Digital signal processing: the stop-tone (DTMF) receiver, the speech detector, the beep and levels.
//! Real-time safe: detectors size their state in `new` and never allocate while processing.

pub mod beep;
pub mod dtmf;
pub mod kernels;
pub mod level;
pub mod listener;
pub mod prompt_edit;
pub mod resample;
pub mod signals;
pub mod speech;
pub mod summary;

pub use beep::{Beep, BeepSettings};
pub use dtmf::{DtmfDetector, DtmfEvent, DtmfSettings};
pub use level::{LevelMeter, Levels};
pub use listener::{Heard, Listener};
pub use speech::{SpeechDetector, SpeechEvent, SpeechSettings};
pub use summary::WaveSummary;
