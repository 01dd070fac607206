//! `ivr-designer analyze`: what it hears in files of any format, and a clear error for what is not a WAV.

mod common;

use std::path::Path;
use std::process::Command;

use common::{speech_fixture, speech_span_ms};
use ivr_designer::dsp::signals::DtmfTone;
use serde_json::Value;

fn analyze(path: &Path) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ivr-designer")).arg("analyze").arg(path).arg("--json").output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// Speech, then a '#' 800 ms after it, at 16 kHz.
fn caller() -> (Vec<f32>, f64, f64, f64) {
    let mut signal = speech_fixture("message-en.wav");
    let (start, end) = speech_span_ms(&signal, 16_000);
    let key_at = end + 800.0;
    let at = (key_at * 16.0) as usize;
    signal.resize(at + 16_000, 0.0);
    DtmfTone::new('#', -10.0, 0.12).add_to(&mut signal, 16_000, at);
    (signal, start, end, key_at)
}

fn write(path: &Path, signal: &[f32], rate: u32, channels: u16, bits: u16, float: bool) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float { hound::SampleFormat::Float } else { hound::SampleFormat::Int },
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for &s in signal {
        for _ in 0..channels {
            match (float, bits) {
                (true, _) => w.write_sample(s).unwrap(),
                (false, 16) => w.write_sample((s * 32767.0) as i16).unwrap(),
                (false, 24) => w.write_sample((s * 8_388_607.0) as i32).unwrap(),
                _ => unreachable!(),
            }
        }
    }
    w.finalize().unwrap();
}

fn resample(signal: &[f32], to: u32) -> Vec<f32> {
    let mut r = ivr_designer::dsp::resample::StreamResampler::new(16_000, to).unwrap();
    let mut out = Vec::new();
    r.process(signal, &mut |b| out.extend_from_slice(b));
    r.finish(&mut |b| out.extend_from_slice(b));
    out
}

fn check(doc: &Value, rate: u32, start: f64, end: f64, key_at: f64, what: &str) {
    assert_eq!(doc["sampleRate"], rate, "{what}");
    let tones = doc["tones"].as_array().unwrap();
    assert_eq!(tones.len(), 1, "{what}: {tones:?}");
    assert_eq!(tones[0]["tone"], "#");
    let onset = tones[0]["startMs"].as_f64().unwrap();
    assert!((onset - key_at).abs() <= 4.0, "{what}: key at {onset} vs {key_at}");
    assert!(tones[0]["decidedMs"].as_f64().unwrap() - key_at <= 45.0);
    assert!((tones[0]["endMs"].as_f64().unwrap() - (key_at + 120.0)).abs() <= 6.0);
    let speech = doc["speech"].as_array().unwrap();
    let first = speech[0]["startMs"].as_f64().unwrap();
    let last = speech[speech.len() - 1]["endMs"].as_f64().unwrap();
    assert!(
        (first - start).abs() <= 40.0 && (last - end).abs() <= 80.0,
        "{what}: speech {first}–{last} vs {start}–{end}"
    );
}

#[test]
fn hears_keys_and_speech_in_graph_format_files() {
    let dir = tempfile::tempdir().unwrap();
    let (signal, start, end, key_at) = caller();
    let path = dir.path().join("caller.wav");
    write(&path, &signal, 16_000, 1, 16, false);
    let (code, out, err) = analyze(&path);
    assert_eq!(code, Some(0), "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    check(&doc, 16_000, start, end, key_at, "16 kHz mono 16-bit");
    let duration = doc["durationMs"].as_f64().unwrap();
    assert!((duration - signal.len() as f64 / 16.0).abs() < 0.1);
}

#[test]
fn hears_the_same_in_other_rates_channels_and_sample_formats() {
    let dir = tempfile::tempdir().unwrap();
    let (signal, start, end, key_at) = caller();
    for (rate, channels, bits, float) in
        [(8_000, 1, 16, false), (44_100, 2, 24, false), (48_000, 1, 32, true), (22_050, 2, 16, false)]
    {
        let path = dir.path().join(format!("caller-{rate}-{channels}-{bits}.wav"));
        write(&path, &resample(&signal, rate), rate, channels, bits, float);
        let (code, out, err) = analyze(&path);
        assert_eq!(code, Some(0), "{err}");
        let doc: Value = serde_json::from_str(&out).unwrap();
        check(&doc, rate, start, end, key_at, &format!("{rate} Hz {channels} ch {bits}-bit"));
    }
}

#[test]
fn a_file_cut_short_is_read_up_to_where_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let (signal, ..) = caller();
    let path = dir.path().join("cut.wav");
    write(&path, &signal, 16_000, 1, 16, false);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let (code, out, err) = analyze(&path);
    assert_eq!(code, Some(0), "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let expected = (bytes.len() / 2 - 44) as f64 / 2.0 / 16.0;
    assert!((doc["durationMs"].as_f64().unwrap() - expected).abs() < 1.0, "{doc}");
}

#[test]
fn what_is_not_a_wav_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 3] = [
        ("song.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00", "is not a WAV file: it is an MP3 file"),
        ("notes.wav", b"hello there", "is not a WAV file: it is a text file"),
        ("broken.wav", b"RIFF\x10\x00\x00\x00WAVEfmt \x02\x00", "damaged or unsupported WAV"),
    ];
    for (name, bytes, says) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (code, out, err) = analyze(&path);
        assert_eq!(code, Some(2), "{name}");
        assert!(out.is_empty());
        assert!(err.contains(says) && err.contains(name), "{name}: {err}");
    }
    let (code, _, err) = analyze(&dir.path().join("missing.wav"));
    assert_eq!(code, Some(2));
    assert!(err.contains("does not exist"), "{err}");
}
