//! Reading a WAV file as a stream of mono `f32` samples at the file's rate, in fixed memory.
//!
//! 16-bit files (the common case, and Graph's format) are decoded straight from large byte blocks, which is
//! several times faster than a per-sample iterator; other formats go through hound's sample iterator. Channels are
//! averaged. A file cut short (a take from a crashed run) reads up to where its data stops.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::wav_file::{WavFileError, WavFormat, format_of, open_wav, read_up_to};

/// Bytes read from the file per block.
const BLOCK_BYTES: usize = 1 << 16;

pub struct WavStream {
    path: PathBuf,
    format: WavFormat,
    source: Source,
}

enum Source {
    /// 16-bit PCM: decoded straight from byte blocks.
    Pcm16 {
        reader: BufReader<File>,
        /// Data bytes not yet read, per the header.
        remaining: u64,
        bytes: Vec<u8>,
        /// Bytes in `bytes` not yet decoded (a partial frame carried to the next read).
        carry: usize,
    },
    /// Every other format hound reads, sample by sample.
    General { reader: hound::WavReader<BufReader<File>>, frame: Vec<f32> },
}

impl WavStream {
    pub fn open(path: &Path) -> Result<Self, WavFileError> {
        let reader = open_wav(path)?;
        let format = format_of(&reader);
        let source = if !format.float && format.bits_per_sample == 16 {
            let remaining = u64::from(reader.len()) * 2;
            Source::Pcm16 { reader: reader.into_inner(), remaining, bytes: vec![0; BLOCK_BYTES], carry: 0 }
        } else {
            Source::General { reader, frame: vec![0.0; usize::from(format.channels)] }
        };
        Ok(WavStream { path: path.to_owned(), format, source })
    }

    pub fn format(&self) -> WavFormat {
        self.format
    }

    pub fn sample_rate(&self) -> u32 {
        self.format.sample_rate
    }

    /// Fill `out` with up to `out.len()` mono frames; returns how many. 0 means the end of the audio.
    pub fn read(&mut self, out: &mut [f32]) -> Result<usize, WavFileError> {
        let channels = usize::from(self.format.channels);
        match &mut self.source {
            Source::Pcm16 { reader, remaining, bytes, carry } => {
                let frame_bytes = 2 * channels;
                let want_frames = out.len().min(BLOCK_BYTES / frame_bytes);
                let want_bytes = (want_frames * frame_bytes).saturating_sub(*carry).min(*remaining as usize);
                let got = read_up_to(reader, &mut bytes[*carry..*carry + want_bytes])
                    .map_err(|source| WavFileError::Unreadable { path: self.path.clone(), source })?;
                *remaining -= got as u64;
                if got < want_bytes {
                    // The file ends before its header says (a take cut short by a crash): keep what is there.
                    *remaining = 0;
                }
                let available = *carry + got;
                let frames = available / frame_bytes;
                decode_pcm16(&bytes[..frames * frame_bytes], channels, &mut out[..frames]);
                let used = frames * frame_bytes;
                bytes.copy_within(used..available, 0);
                *carry = available - used;
                Ok(frames)
            }
            Source::General { reader, frame } => {
                let scale = match (self.format.float, self.format.bits_per_sample) {
                    (true, _) => 1.0,
                    (false, bits) => 1.0 / (1u64 << (bits.clamp(1, 32) - 1)) as f32,
                };
                let float = self.format.float;
                let mut written = 0;
                'frames: for o in out.iter_mut() {
                    for slot in frame.iter_mut() {
                        let next = if float {
                            reader.samples::<f32>().next()
                        } else {
                            reader.samples::<i32>().next().map(|r| r.map(|v| v as f32 * scale))
                        };
                        match next {
                            Some(Ok(v)) => *slot = v,
                            // The end, or data cut short: stop at the last whole frame.
                            None | Some(Err(hound::Error::IoError(_))) => break 'frames,
                            Some(Err(e)) => {
                                return Err(WavFileError::Damaged { path: self.path.clone(), reason: e.to_string() });
                            }
                        }
                    }
                    *o = frame.iter().sum::<f32>() / channels as f32;
                    written += 1;
                }
                Ok(written)
            }
        }
    }
}

/// Decode whole frames of little-endian 16-bit PCM into mono samples in [-1, 1].
fn decode_pcm16(bytes: &[u8], channels: usize, out: &mut [f32]) {
    if channels == 1 {
        for (o, b) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            *o = f32::from(i16::from_le_bytes([b[0], b[1]])) * (1.0 / 32768.0);
        }
        return;
    }
    let scale = 1.0 / (32768.0 * channels as f32);
    for (o, frame) in out.iter_mut().zip(bytes.chunks_exact(2 * channels)) {
        *o = frame.chunks_exact(2).map(|b| f32::from(i16::from_le_bytes([b[0], b[1]]))).sum::<f32>() * scale;
    }
}
