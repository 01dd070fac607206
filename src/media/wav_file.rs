//! What a prompt file is, in words a person can act on: Graph plays only 16 kHz, mono, 16-bit PCM WAV.

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

/// The format of a readable WAV file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WavFormat {
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
    pub float: bool,
    /// Frames (samples per channel).
    pub frames: u32,
}

impl WavFormat {
    pub const GRAPH_RATE: u32 = 16_000;

    /// Graph's prompt format: 16 kHz, mono, 16-bit PCM.
    pub fn is_graph_format(&self) -> bool {
        self.sample_rate == Self::GRAPH_RATE && self.channels == 1 && self.bits_per_sample == 16 && !self.float
    }

    pub fn duration_seconds(&self) -> f64 {
        if self.sample_rate == 0 { 0.0 } else { f64::from(self.frames) / f64::from(self.sample_rate) }
    }
}

impl fmt::Display for WavFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let channels = match self.channels {
            1 => "mono".to_owned(),
            2 => "stereo".to_owned(),
            n => format!("{n} channels"),
        };
        let kind = if self.float { "float" } else { "PCM" };
        write!(
            f,
            "{} Hz, {channels}, {}-bit {kind} WAV, {:.2} s",
            self.sample_rate,
            self.bits_per_sample,
            self.duration_seconds()
        )
    }
}

/// Why a file could not be read as a WAV.
#[derive(Debug, thiserror::Error)]
pub enum WavFileError {
    #[error("{} does not exist", path.display())]
    Missing { path: PathBuf },
    #[error("cannot read {}: {source}", path.display())]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("{} is not a WAV file: it is {what}", path.display())]
    NotWav { path: PathBuf, what: String },
    #[error("{} is a damaged or unsupported WAV file: {reason}", path.display())]
    Damaged { path: PathBuf, reason: String },
}

/// Read a WAV file's header and say what it is.
pub fn inspect_wav(path: &Path) -> Result<WavFormat, WavFileError> {
    let reader = open_wav(path)?;
    Ok(format_of(&reader))
}

/// Check the file exists, is readable and starts like a WAV file; say what it is otherwise.
fn sniff_wav(path: &Path) -> Result<(), WavFileError> {
    let file = File::open(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => WavFileError::Missing { path: path.to_owned() },
        _ => WavFileError::Unreadable { path: path.to_owned(), source },
    })?;
    let mut head = [0u8; 12];
    let mut reader = BufReader::new(file);
    let got = read_up_to(&mut reader, &mut head)
        .map_err(|source| WavFileError::Unreadable { path: path.to_owned(), source })?;
    if got < 12 || &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err(WavFileError::NotWav { path: path.to_owned(), what: sniff(&head[..got]) });
    }
    Ok(())
}

/// Open a WAV file for reading, with the same clear errors as `inspect_wav`.
pub fn open_wav(path: &Path) -> Result<hound::WavReader<BufReader<File>>, WavFileError> {
    sniff_wav(path)?;
    // Re-open so hound sees the whole file from its start.
    let reader = hound::WavReader::open(path)
        .map_err(|e| WavFileError::Damaged { path: path.to_owned(), reason: e.to_string() })?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        let reason = format!("{} channels at {} Hz", spec.channels, spec.sample_rate);
        return Err(WavFileError::Damaged { path: path.to_owned(), reason });
    }
    Ok(reader)
}

pub fn format_of<R: Read>(reader: &hound::WavReader<R>) -> WavFormat {
    let spec = reader.spec();
    WavFormat {
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        bits_per_sample: spec.bits_per_sample,
        float: spec.sample_format == hound::SampleFormat::Float,
        frames: reader.duration(),
    }
}

/// Read until `buf` is full or the reader ends; returns how much was read.
pub(crate) fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// A guess at what a non-WAV file is, from its first bytes.
fn sniff(head: &[u8]) -> String {
    let starts = |magic: &[u8]| head.starts_with(magic);
    let what = if head.is_empty() {
        "an empty file"
    } else if starts(b"ID3") || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) {
        "an MP3 file"
    } else if starts(b"OggS") {
        "an Ogg file"
    } else if starts(b"fLaC") {
        "a FLAC file"
    } else if starts(b"FORM") {
        "an AIFF file"
    } else if starts(b"RIFF") {
        "a RIFF file that is not WAVE (AVI or WebP?)"
    } else if starts(b"RF64") {
        "an RF64 (64-bit WAV) file"
    } else if head.len() >= 8 && &head[4..8] == b"ftyp" {
        "an MP4/M4A file"
    } else if head.iter().all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace()) {
        "a text file"
    } else {
        return format!("of unknown type (starts with bytes {})", hex(head));
    };
    what.to_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}
