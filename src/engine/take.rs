//! Takes: the caller's recording, a 16 kHz mono 16-bit WAV written while it records.
//!
//! The header is rewritten with the true length after every second of audio, so a run that crashes leaves a
//! file any WAV reader opens, holding everything up to the last second. When the operation ends the file is cut
//! to the exact end (a stop tone's onset, say) and synced to disk.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub const TAKE_RATE: u32 = 16_000;
const HEADER_BYTES: u64 = 44;

pub struct TakeWriter {
    path: PathBuf,
    out: BufWriter<File>,
    /// Samples written so far.
    written: u64,
    /// Samples written when the header was last brought up to date.
    header_at: u64,
}

impl TakeWriter {
    /// Create the file (failing if it exists: takes are never overwritten).
    pub fn create(path: &Path) -> io::Result<Self> {
        let file = OpenOptions::new().write(true).create_new(true).open(path)?;
        let mut out = BufWriter::with_capacity(64 * 1024, file);
        out.write_all(&header(0))?;
        out.flush()?;
        Ok(TakeWriter { path: path.to_owned(), out, written: 0, header_at: 0 })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn samples(&self) -> u64 {
        self.written
    }

    /// Append samples (clipped to 16 bits).
    pub fn write(&mut self, samples: &[f32]) -> io::Result<()> {
        for &s in samples {
            let v = (s * 32768.0).round().clamp(-32768.0, 32767.0) as i16;
            self.out.write_all(&v.to_le_bytes())?;
        }
        self.written += samples.len() as u64;
        if self.written - self.header_at >= u64::from(TAKE_RATE) {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Push what is buffered to the file and make the header describe it.
    fn checkpoint(&mut self) -> io::Result<()> {
        self.out.flush()?;
        let file = self.out.get_mut();
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header(self.written))?;
        file.seek(SeekFrom::End(0))?;
        self.header_at = self.written;
        Ok(())
    }

    /// Finish the take with exactly `keep` samples (fewer than written when the end came inside the last block),
    /// and sync it to disk. Returns the number of samples kept.
    pub fn finish(mut self, keep: u64) -> io::Result<u64> {
        let keep = keep.min(self.written);
        self.out.flush()?;
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.set_len(HEADER_BYTES + keep * 2)?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header(keep))?;
        file.sync_all()?;
        Ok(keep)
    }
}

/// A canonical 44-byte PCM WAV header for `samples` mono 16-bit samples at 16 kHz.
fn header(samples: u64) -> [u8; 44] {
    let data = u32::try_from(samples * 2).unwrap_or(u32::MAX - 36);
    let mut h = [0u8; 44];
    h[0..4].copy_from_slice(b"RIFF");
    h[4..8].copy_from_slice(&(36 + data).to_le_bytes());
    h[8..12].copy_from_slice(b"WAVE");
    h[12..16].copy_from_slice(b"fmt ");
    h[16..20].copy_from_slice(&16u32.to_le_bytes());
    h[20..22].copy_from_slice(&1u16.to_le_bytes()); // PCM
    h[22..24].copy_from_slice(&1u16.to_le_bytes()); // mono
    h[24..28].copy_from_slice(&TAKE_RATE.to_le_bytes());
    h[28..32].copy_from_slice(&(TAKE_RATE * 2).to_le_bytes());
    h[32..34].copy_from_slice(&2u16.to_le_bytes());
    h[34..36].copy_from_slice(&16u16.to_le_bytes());
    h[36..40].copy_from_slice(b"data");
    h[40..44].copy_from_slice(&data.to_le_bytes());
    h
}

/// A take's file name: sorts by time and says which flow and step it came from,
/// e.g. `20261127-053012.345-voicemail-record-message.wav`.
pub fn take_file_name(utc_millis: u128, flow: &str, step: &str) -> String {
    let secs = (utc_millis / 1000) as i64;
    let ms = (utc_millis % 1000) as u32;
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}{mo:02}{d:02}-{:02}{:02}{:02}.{ms:03}-{}-{}.wav",
        t / 3600,
        t / 60 % 60,
        t % 60,
        slug(flow),
        slug(step)
    )
}

/// A UTC time as people read it, e.g. `2026-11-27 05:30:12`.
pub fn utc_time(utc_millis: u128) -> String {
    let secs = (utc_millis / 1000) as i64;
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

/// Lower-case letters, digits and dashes only: safe in a file name on every system.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() { "untitled".into() } else { out }
}

/// Days since 1970-01-01 to a (year, month, day) date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_time_and_name_the_flow_and_step() {
        // 2026-11-27 05:30:12.345 UTC
        let t = 1_795_757_412_345u128;
        assert_eq!(
            take_file_name(t, "Voicemail", "record message"),
            "20261127-053012.345-voicemail-record-message.wav"
        );
        assert!(take_file_name(t, "a", "b") < take_file_name(t + 1, "a", "b"));
        assert_eq!(slug("  Über ### Flow!  "), "ber-flow");
        assert_eq!(slug("***"), "untitled");
    }

    #[test]
    fn a_finished_take_is_a_graph_format_wav_cut_to_length() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.wav");
        let mut w = TakeWriter::create(&path).unwrap();
        w.write(&vec![0.25; 40_000]).unwrap();
        assert_eq!(w.finish(33_333).unwrap(), 33_333);
        let r = hound::WavReader::open(&path).unwrap();
        assert_eq!((r.spec().sample_rate, r.spec().channels, r.spec().bits_per_sample), (16_000, 1, 16));
        assert_eq!(r.duration(), 33_333);
        assert!(TakeWriter::create(&path).is_err(), "never overwrites a take");
    }
}
