//! Digital signal processing: the stop-tone (DTMF) receiver, the speech detector, the beep and levels.
//! Real-time safe: detectors size their state in `new` and never allocate while processing.

pub mod dtmf;
pub mod kernels;
pub mod resample;
pub mod signals;

pub use dtmf::{DtmfDetector, DtmfEvent, DtmfSettings};
