//! The peer benchmark (run it with `benches/peer.sh`, which builds the reference harnesses first).
//!
//! On the same audio, our detectors and the references, side by side:
//! - DTMF: spandsp's `dtmf_rx` (C, realtime callback) on the receiver conformance matrix and the talk-off corpus
//!   at 8 kHz: keys detected / expected, false accepts on must-reject rows, false keys per hour of speech, decision
//!   latency, and the speed of one hour.
//! - Speech: WebRTC's VAD (every mode) on an hour-long-ish corpus, clean and at 20 dB SNR: agreement of 10 ms
//!   frames with the ground truth, and whether anything is reported in the leading silence.
//! - Speed: `ivr-designer analyze` (DTMF and speech, whole process, file in page cache) on one hour of 16 kHz
//!   audio against spandsp's DTMF receiver alone on the same hour at 8 kHz.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::talkoff::{music, resample, speech_8k, speech_clips};
use ivr_designer::dsp::signals::{ALL_KEYS, DtmfTone, Noise, db_to_amplitude, power_db};
use ivr_designer::dsp::{DtmfDetector, DtmfEvent, DtmfSettings, SpeechDetector, SpeechEvent, SpeechSettings};

const DTMF_RATE: u32 = 8_000;

fn main() {
    let dir = PathBuf::from(std::env::var("PEER_DIR").unwrap_or_else(|_| "target/peer".into()));
    std::fs::create_dir_all(&dir).expect("create the benchmark folder");
    let spandsp =
        PathBuf::from(std::env::var("PEER_SPANDSP").unwrap_or_else(|_| dir.join("spandsp_dtmf").display().to_string()));
    let python = std::env::var("PEER_PYTHON").unwrap_or_else(|_| "python3".into());
    if !spandsp.exists() {
        eprintln!("{} is missing: run benches/peer.sh", spandsp.display());
        std::process::exit(1);
    }
    println!("# Peer benchmark — ivr-designer vs spandsp dtmf_rx and WebRTC VAD\n");
    dtmf_accuracy(&dir, &spandsp);
    talk_off(&dir, &spandsp);
    vad(&dir, &python);
    speed(&dir, &spandsp, &python);
}

// ---------------------------------------------------------------------------------------------------------------
// DTMF: the receiver matrix

struct Row {
    category: &'static str,
    accept: bool,
    key: char,
    start: usize,
}

const SLOT: usize = DTMF_RATE as usize / 2;

/// The matrix as one 8 kHz stream, a row per 500 ms slot. Levels top out at −6 dBFS per tone so the pair fits in
/// 16 bits without clipping (the float-domain tests in tests/dtmf_conformance.rs go up to −3 dBFS).
fn matrix() -> (Vec<f32>, Vec<Row>) {
    let mut tones: Vec<(&'static str, bool, DtmfTone, Option<f64>)> = Vec::new();
    for key in ALL_KEYS {
        let base = DtmfTone::new(key, -10.0, 0.06);
        for _ in 0..3 {
            tones.push(("nominal", true, base, None));
        }
        let d = 0.015;
        for (dl, dh) in [(d, d), (-d, -d), (d, -d), (-d, d), (d, 0.0), (0.0, -d)] {
            tones.push(("frequency ±1.5 %", true, DtmfTone { low_deviation: dl, high_deviation: dh, ..base }, None));
        }
        let d = 0.035;
        for (dl, dh) in [(d, 0.0), (-d, 0.0), (0.0, d), (0.0, -d), (d, d), (-d, -d)] {
            tones.push(("frequency ±3.5 %", false, DtmfTone { low_deviation: dl, high_deviation: dh, ..base }, None));
        }
        for (low, high) in [(-14.0, -10.0), (-10.0, -18.0)] {
            tones.push(("twist +4 / −8 dB", true, DtmfTone { low_db: low, high_db: high, ..base }, None));
        }
        for (low, high) in [(-16.0, -10.0), (-10.0, -20.0), (-22.0, -14.0), (-6.0, -17.0)] {
            tones.push(("twist beyond", false, DtmfTone { low_db: low, high_db: high, ..base }, None));
        }
        for ms in [40.0, 45.0, 60.0] {
            tones.push(("duration ≥ 40 ms", true, DtmfTone::new(key, -10.0, ms / 1000.0), None));
        }
        for ms in [23.0, 20.0, 15.0, 10.0] {
            tones.push(("duration ≤ 23 ms", false, DtmfTone::new(key, -10.0, ms / 1000.0), None));
        }
        for db in [-6.0, -13.0, -20.0, -28.0] {
            tones.push(("level −6 … −28 dBFS", true, DtmfTone::new(key, db, 0.06), None));
        }
        for db in [-58.0, -65.0] {
            tones.push(("level ≤ −58 dBFS", false, DtmfTone::new(key, db, 0.06), None));
        }
        for db in [-10.0, -25.0] {
            tones.push(("15 dB SNR", true, DtmfTone::new(key, db, 0.06), Some(15.0)));
        }
    }
    let mut signal = vec![0f32; tones.len() * SLOT];
    let mut noise = Noise::new(42);
    let mut rows = Vec::new();
    for (i, (category, accept, tone, snr)) in tones.into_iter().enumerate() {
        let slot = i * SLOT;
        // A different alignment against any block grid in every row.
        let start = slot + 800 + (i * 7) % 41;
        tone.add_to(&mut signal, DTMF_RATE, start);
        if let Some(snr) = snr {
            let tone_power = (db_to_amplitude(tone.low_db).powi(2) + db_to_amplitude(tone.high_db).powi(2)) / 2.0;
            noise.add_white(&mut signal[slot..slot + SLOT], 10.0 * tone_power.log10() - snr);
        }
        rows.push(Row { category, accept, key: tone.key, start });
    }
    (quantise(&signal), rows)
}

/// What the 16-bit file holds, back as floats: both receivers hear exactly the same samples.
fn quantise(signal: &[f32]) -> Vec<f32> {
    signal.iter().map(|&s| f32::from(to_i16(s)) / 32768.0).collect()
}

fn to_i16(s: f32) -> i16 {
    (s * 32768.0).round().clamp(-32768.0, 32767.0) as i16
}

fn write_s16(path: &Path, signal: &[f32]) {
    let bytes: Vec<u8> = signal.iter().flat_map(|&s| to_i16(s).to_le_bytes()).collect();
    std::fs::write(path, bytes).expect("write raw audio");
}

/// A key as reported: (key, decided sample).
type Detection = (char, u64);

fn ours_dtmf(signal: &[f32], block: usize) -> (Vec<Detection>, f64) {
    let mut rx = DtmfDetector::new(DTMF_RATE, DtmfSettings::default()).expect("8 kHz is supported");
    let mut keys = Vec::new();
    let t = Instant::now();
    for b in signal.chunks(block) {
        rx.process(b, &mut |e| {
            if let DtmfEvent::KeyStarted { key, decided, .. } = e {
                keys.push((key, decided));
            }
        });
    }
    (keys, t.elapsed().as_secs_f64())
}

/// Run the spandsp harness; returns the keys and its own timing of the receiver.
fn spandsp_dtmf(spandsp: &Path, raw: &Path, block: usize) -> (Vec<Detection>, f64) {
    let out = Command::new(spandsp).arg(raw).arg(block.to_string()).output().expect("run the spandsp harness");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut keys = Vec::new();
    let mut seconds = f64::NAN;
    for line in text.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["key", k, _onset, decided] => keys.push((k.chars().next().unwrap_or('?'), decided.parse().unwrap_or(0))),
            ["seconds", s] => seconds = s.parse().unwrap_or(f64::NAN),
            _ => {}
        }
    }
    (keys, seconds)
}

#[derive(Default)]
struct Score {
    accept_rows: usize,
    detected: usize,
    reject_rows: usize,
    false_accepts: usize,
    wrong_or_extra: usize,
    latencies_ms: Vec<f64>,
}

fn score(rows: &[Row], keys: &[Detection]) -> BTreeMap<&'static str, Score> {
    let mut by_slot: BTreeMap<usize, Vec<Detection>> = BTreeMap::new();
    for &(k, decided) in keys {
        by_slot.entry(decided as usize / SLOT).or_default().push((k, decided));
    }
    let mut scores: BTreeMap<&'static str, Score> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let heard = by_slot.remove(&i).unwrap_or_default();
        let s = scores.entry(row.category).or_default();
        if row.accept {
            s.accept_rows += 1;
            if let Some(&(_, decided)) = heard.iter().find(|(k, _)| *k == row.key) {
                s.detected += 1;
                s.latencies_ms.push((decided as f64 - row.start as f64) * 1000.0 / f64::from(DTMF_RATE));
                s.wrong_or_extra += heard.len() - 1;
            } else {
                s.wrong_or_extra += heard.len();
            }
        } else {
            s.reject_rows += 1;
            if !heard.is_empty() {
                s.false_accepts += 1;
            }
        }
    }
    scores
}

fn percentile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn dtmf_accuracy(dir: &Path, spandsp: &Path) {
    let (signal, rows) = matrix();
    let raw = dir.join("matrix-8k.s16");
    write_s16(&raw, &signal);
    // Small blocks so each receiver's decision time is known to 1 ms.
    let (ours, _) = ours_dtmf(&signal, 8);
    let (theirs, _) = spandsp_dtmf(spandsp, &raw, 8);
    let (a, b) = (score(&rows, &ours), score(&rows, &theirs));
    println!("## DTMF receiver matrix (8 kHz, {} rows, {:.0} s of audio)\n", rows.len(), signal.len() as f64 / 8000.0);
    println!("| row | expected | ivr-designer | spandsp |");
    println!("|---|---|---|---|");
    let mut totals = [[0usize; 5]; 2];
    for (category, sa) in &a {
        let sb = &b[category];
        let cell = |s: &Score| {
            if s.accept_rows > 0 {
                format!("{}/{} detected{}", s.detected, s.accept_rows, extra(s.wrong_or_extra))
            } else {
                format!("{} false accepts of {}", s.false_accepts, s.reject_rows)
            }
        };
        let expected = if sa.accept_rows > 0 { "accept" } else { "reject" };
        println!("| {category} | {expected} | {} | {} |", cell(sa), cell(sb));
        for (t, s) in [(0, sa), (1, sb)] {
            totals[t][0] += s.accept_rows;
            totals[t][1] += s.detected;
            totals[t][2] += s.reject_rows;
            totals[t][3] += s.false_accepts;
            totals[t][4] += s.wrong_or_extra;
        }
    }
    let lat = |s: &BTreeMap<&str, Score>| s.values().flat_map(|x| x.latencies_ms.iter().copied()).collect::<Vec<_>>();
    let (la, lb) = (lat(&a), lat(&b));
    println!(
        "| **all** | | **{}/{} detected, {} false accepts of {}**{} | **{}/{} detected, {} false accepts of {}**{} |",
        totals[0][1],
        totals[0][0],
        totals[0][3],
        totals[0][2],
        extra(totals[0][4]),
        totals[1][1],
        totals[1][0],
        totals[1][3],
        totals[1][2],
        extra(totals[1][4])
    );
    println!(
        "| decision latency from onset, median / worst | ≤ 45 ms | {:.1} / {:.1} ms | {:.1} / {:.1} ms |\n",
        percentile(&la, 0.5),
        percentile(&la, 1.0),
        percentile(&lb, 0.5),
        percentile(&lb, 1.0)
    );
}

fn extra(n: usize) -> String {
    if n == 0 { String::new() } else { format!(", {n} wrong/extra") }
}

// ---------------------------------------------------------------------------------------------------------------
// Talk-off

fn talk_off(dir: &Path, spandsp: &Path) {
    let clips = speech_clips();
    let at_8k: Vec<f32> =
        quantise(&clips.iter().filter(|c| c.rate == 8_000).flat_map(|c| c.samples.iter().copied()).collect::<Vec<_>>());
    let raw = dir.join("talkoff-8k.s16");
    write_s16(&raw, &at_8k);
    let hours = at_8k.len() as f64 / 8000.0 / 3600.0;
    let (ours, _) = ours_dtmf(&at_8k, 160);
    let (theirs, _) = spandsp_dtmf(spandsp, &raw, 160);
    let wide = clips.iter().find(|c| c.rate == 16_000).expect("the corpus has a 16 kHz copy");
    let mut rx16 = DtmfDetector::new(16_000, DtmfSettings::default()).expect("16 kHz");
    let mut ours16 = 0;
    rx16.process(&wide.samples, &mut |e| ours16 += matches!(e, DtmfEvent::KeyStarted { .. }) as usize);
    println!("## Talk-off (espeak-ng speech, 9 languages, 5 pitch variants, 8 kHz: {:.1} min)\n", hours * 60.0);
    println!("| | ivr-designer | spandsp |");
    println!("|---|---|---|");
    println!("| false keys | {} | {} |", ours.len(), theirs.len());
    println!(
        "| false keys per hour of speech | {:.1} | {:.1} |",
        ours.len() as f64 / hours,
        theirs.len() as f64 / hours
    );
    println!("| (ours on the 16 kHz copy, {:.1} min) | {} false keys | — |", wide.seconds() / 60.0, ours16);
    // Music: chords of 3–4 distinct pure tones, a quarter of them holding F5 + F#6 (within 0.2 % of key 3).
    let chords = quantise(&music(8_000, 1200.0, 11).samples);
    let raw = dir.join("music-8k.s16");
    write_s16(&raw, &chords);
    let (ours, _) = ours_dtmf(&chords, 160);
    let (theirs, _) = spandsp_dtmf(spandsp, &raw, 160);
    println!("| false keys in 20 min of chords | {} | {} |\n", ours.len(), theirs.len());
}

// ---------------------------------------------------------------------------------------------------------------
// Speech detection vs WebRTC VAD

const LEAD_S: f64 = 2.0;

/// The corpus with every utterance brought to −20 dBFS active level (so "20 dB SNR" holds for each one), after
/// two seconds of lead-in; and the ground truth per 10 ms frame from the clean signal.
fn vad_corpus(rate: u32) -> (Vec<f32>, Vec<bool>) {
    let base = speech_8k();
    let mut clean = if rate == 8_000 { base } else { resample(&base, 8_000, rate) };
    let frame = (rate / 100) as usize;
    let loud: Vec<bool> = clean.chunks(frame).map(|f| power_db(f) >= -50.0).collect();
    // Utterances: loud frames joined across gaps shorter than 300 ms.
    let mut start = None;
    let mut last = 0;
    let mut utterances = Vec::new();
    for (i, &l) in loud.iter().enumerate() {
        if l {
            if start.is_none() {
                start = Some(i);
            } else if i - last > 30 {
                utterances.push((start.unwrap_or(i), last + 1));
                start = Some(i);
            }
            last = i;
        }
    }
    if let Some(s) = start {
        utterances.push((s, last + 1));
    }
    for (s, e) in utterances {
        let end = (e * frame).min(clean.len());
        let samples = &mut clean[s * frame..end];
        let active: Vec<f32> = samples.chunks(frame).filter(|f| power_db(f) >= -50.0).flatten().copied().collect();
        let gain = db_to_amplitude(-20.0 - power_db(&active)) as f32;
        samples.iter_mut().for_each(|v| *v *= gain);
    }
    let mut signal = vec![0f32; (LEAD_S * f64::from(rate)) as usize];
    signal.extend_from_slice(&clean);
    let signal = quantise(&signal);
    // Ground truth: frames of the clean signal above −50 dBFS, with gaps under 100 ms counted as speech.
    let mut truth: Vec<bool> = signal.chunks_exact(frame).map(|f| power_db(f) >= -50.0).collect();
    let mut i = 0;
    while i < truth.len() {
        if !truth[i] {
            let j = (i..truth.len()).find(|&j| truth[j]).unwrap_or(truth.len());
            if i > 0 && j < truth.len() && j - i < 10 {
                truth[i..j].iter_mut().for_each(|t| *t = true);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    (signal, truth)
}

/// Our frame decisions: inside a speech segment or not.
fn ours_vad(signal: &[f32], rate: u32) -> (Vec<bool>, f64) {
    let frame = (rate / 100) as usize;
    let mut detector = SpeechDetector::new(rate, SpeechSettings::default());
    let mut segments = Vec::new();
    let t = Instant::now();
    for b in signal.chunks(frame * 8) {
        detector.process(b, 0, &mut |e| segments.push(e));
    }
    detector.finish(&mut |e| segments.push(e));
    let seconds = t.elapsed().as_secs_f64();
    let mut frames = vec![false; signal.len() / frame];
    let mut open = None;
    for e in segments {
        match e {
            SpeechEvent::Started { at, .. } => open = Some(at as usize / frame),
            SpeechEvent::Ended { at, .. } => {
                if let Some(s) = open.take() {
                    let end = (at as usize).div_ceil(frame).min(frames.len());
                    frames[s.min(end)..end].iter_mut().for_each(|f| *f = true);
                }
            }
        }
    }
    (frames, seconds)
}

struct Agreement {
    agreement: f64,
    missed: f64,
    false_speech: f64,
    lead_false_onset: bool,
}

fn agreement(decisions: &[bool], truth: &[bool]) -> Agreement {
    let n = decisions.len().min(truth.len());
    let (mut same, mut speech, mut silence, mut missed, mut false_speech) = (0, 0, 0, 0, 0);
    for i in 0..n {
        same += usize::from(decisions[i] == truth[i]);
        if truth[i] {
            speech += 1;
            missed += usize::from(!decisions[i]);
        } else {
            silence += 1;
            false_speech += usize::from(decisions[i]);
        }
    }
    let lead = ((LEAD_S - 0.1) * 100.0) as usize;
    Agreement {
        agreement: same as f64 / n as f64,
        missed: missed as f64 / speech.max(1) as f64,
        false_speech: false_speech as f64 / silence.max(1) as f64,
        lead_false_onset: decisions[..lead.min(n)].iter().any(|&d| d),
    }
}

fn webrtc(python: &str, raw: &Path, rate: u32) -> Option<(Vec<Vec<bool>>, Vec<f64>)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peer/webrtc_vad.py");
    let out = Command::new(python).arg(script).arg(raw).arg(rate.to_string()).output().ok()?;
    if !out.status.success() {
        eprintln!("webrtc_vad.py failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let modes = (0..4)
        .map(|m| doc["modes"][m.to_string()].as_str().unwrap_or("").chars().map(|c| c == '1').collect())
        .collect();
    let seconds = (0..4).map(|m| doc["seconds"][m.to_string()].as_f64().unwrap_or(f64::NAN)).collect();
    Some((modes, seconds))
}

fn vad(dir: &Path, python: &str) {
    println!("## Speech detection vs WebRTC VAD (10 ms frames against the clean signal's ground truth)\n");
    println!("Corpus: the talk-off speech with each utterance at −20 dBFS active level, after {LEAD_S} s of lead-in.");
    println!("Agreement = share of frames matching the truth (missed speech / false speech in brackets).\n");
    println!("| rate | line | ivr-designer | WebRTC mode 0 | mode 1 | mode 2 | mode 3 |");
    println!("|---|---|---|---|---|---|---|");
    for rate in [16_000u32, 8_000] {
        let (clean, truth) = vad_corpus(rate);
        for (line, snr) in [("clean", None), ("20 dB SNR", Some(20.0))] {
            let mut signal = clean.clone();
            if let Some(snr) = snr {
                // Noise over everything, lead-in included: −20 dBFS active speech, so noise at −40 dBFS.
                Noise::new(7).add_white(&mut signal, -20.0 - snr);
                signal = quantise(&signal);
            }
            let raw = dir.join(format!("vad-{rate}-{}.s16", line.replace(' ', "")));
            write_s16(&raw, &signal);
            let (ours, _) = ours_vad(&signal, rate);
            let cell = |a: Agreement| {
                format!(
                    "{:.1} % ({:.1} / {:.1}){}",
                    a.agreement * 100.0,
                    a.missed * 100.0,
                    a.false_speech * 100.0,
                    if a.lead_false_onset { ", **false onset in lead-in**" } else { "" }
                )
            };
            let mut row = format!("| {} kHz | {line} | {} |", rate / 1000, cell(agreement(&ours, &truth)));
            match webrtc(python, &raw, rate) {
                Some((modes, _)) => {
                    for m in modes {
                        row.push_str(&format!(" {} |", cell(agreement(&m, &truth))));
                    }
                }
                None => row.push_str(" (webrtcvad unavailable) | | | |"),
            }
            println!("{row}");
        }
    }
    println!();
}

// ---------------------------------------------------------------------------------------------------------------
// Speed

fn speed(dir: &Path, spandsp: &Path, python: &str) {
    // One hour: the talk-off corpus (8 kHz) repeated, with a key every 30 s.
    let base = speech_8k();
    let hour_samples = 3600 * 8_000;
    let mut hour8: Vec<f32> = base.iter().copied().cycle().take(hour_samples).collect();
    for (i, at) in (8_000 * 15..hour_samples).step_by(8_000 * 30).enumerate() {
        DtmfTone::new(ALL_KEYS[i % 16], -10.0, 0.08).add_to(&mut hour8, 8_000, at);
    }
    let hour8 = quantise(&hour8);
    let raw8 = dir.join("hour-8k.s16");
    write_s16(&raw8, &hour8);
    let hour16 = quantise(&resample(&hour8, 8_000, 16_000));
    let wav16 = dir.join("hour-16k.wav");
    write_wav16(&wav16, &hour16);

    let best = |f: &mut dyn FnMut() -> f64| (0..3).map(|_| f()).fold(f64::INFINITY, f64::min);
    let spandsp_s = best(&mut || spandsp_dtmf(spandsp, &raw8, 160).1);
    let spandsp_keys = spandsp_dtmf(spandsp, &raw8, 160).0.len();
    let ours_dtmf8_s = best(&mut || ours_dtmf(&hour8, 160).1);
    let exe = env!("CARGO_BIN_EXE_ivr-designer");
    // Warm the page cache, then time the whole process three times.
    let _ = std::fs::read(&wav16);
    let mut peak = String::from("?");
    let mut keys = 0;
    let analyze_s = best(&mut || {
        let t = Instant::now();
        let out =
            Command::new(exe).arg("analyze").arg(&wav16).arg("--json").arg("--stats").output().expect("run analyze");
        let s = t.elapsed().as_secs_f64();
        let err = String::from_utf8_lossy(&out.stderr);
        if let Some(m) = err.split("peak memory ").nth(1) {
            peak = m.trim().to_owned();
        }
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        keys = doc["tones"].as_array().map_or(0, Vec::len);
        s
    });
    // Speech detectors on the 16 kHz hour's first ten minutes (WebRTC is called from Python, once per frame).
    let ten = &hour16[..16_000 * 600];
    let raw16 = dir.join("ten-16k.s16");
    write_s16(&raw16, ten);
    let ours_vad_s = best(&mut || ours_vad(ten, 16_000).1);
    let webrtc_s = webrtc(python, &raw16, 16_000).map(|(_, s)| s.iter().copied().fold(f64::INFINITY, f64::min));

    let x = |audio_s: f64, s: f64| format!("{:.0}×", audio_s / s);
    println!("## Speed (best of 3; one hour = 3600 s of audio)\n");
    println!("| task | time | real time |");
    println!("|---|---|---|");
    println!("| spandsp dtmf_rx, 1 h at 8 kHz (receiver only) | {spandsp_s:.3} s | {} |", x(3600.0, spandsp_s));
    println!(
        "| ivr-designer DTMF receiver, 1 h at 8 kHz (receiver only) | {ours_dtmf8_s:.3} s | {} |",
        x(3600.0, ours_dtmf8_s)
    );
    println!(
        "| **`ivr-designer analyze`, 1 h at 16 kHz: DTMF + speech, whole process** | **{analyze_s:.3} s** | **{}** |",
        x(3600.0, analyze_s)
    );
    println!("| ivr-designer speech detector, 10 min at 16 kHz | {ours_vad_s:.4} s | {} |", x(600.0, ours_vad_s));
    match webrtc_s {
        Some(s) => println!(
            "| WebRTC VAD (fastest mode, called from Python per frame), 10 min at 16 kHz | {s:.3} s | {} |",
            x(600.0, s)
        ),
        None => println!("| WebRTC VAD | unavailable | |"),
    }
    println!(
        "\nKeys heard of the 120 in the hour (−10 dBFS per tone, laid over the speech wherever it falls, some of it"
    );
    println!("as loud as the key): analyze {keys}, spandsp {spandsp_keys}. Peak memory of analyze: {peak}.");
    let verdict = if analyze_s < spandsp_s { "faster than" } else { "NOT faster than" };
    println!(
        "The whole analysis at 16 kHz is {verdict} spandsp's DTMF receiver alone at 8 kHz ({:.2}×).",
        spandsp_s / analyze_s
    );
}

fn write_wav16(path: &Path, signal: &[f32]) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("create the hour file");
    for &s in signal {
        w.write_sample(to_i16(s)).expect("write the hour file");
    }
    w.finalize().expect("finish the hour file");
}
