//! Audio files: what a WAV file is, and reading one as a stream of mono samples.

pub mod wav_file;
pub mod wav_stream;

pub use wav_file::{WavFileError, WavFormat, inspect_wav};
pub use wav_stream::WavStream;

/// Write 16 kHz mono samples as a Graph-format WAV (16 kHz, mono, 16-bit PCM), through a temporary file and a
/// rename, so a failure never leaves half a file.
pub fn write_graph_wav(path: &std::path::Path, samples: &[f32]) -> std::io::Result<()> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    crate::model::write_atomically(path, |file| {
        let mut w = hound::WavWriter::new(std::io::BufWriter::new(file), spec).map_err(std::io::Error::other)?;
        for s in samples {
            w.write_sample((s * 32768.0).round().clamp(-32768.0, 32767.0) as i16).map_err(std::io::Error::other)?;
        }
        w.finalize().map_err(std::io::Error::other)
    })
}
