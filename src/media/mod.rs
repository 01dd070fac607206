//! Audio files: what a WAV file is, and reading one as a stream of mono samples.

pub mod wav_file;
pub mod wav_stream;

pub use wav_file::{WavFileError, WavFormat, inspect_wav};
pub use wav_stream::WavStream;
