//! The DTMF receiver against the AT&T/Bellcore and ITU-T Q.24 receiver matrix, at 8 and 16 kHz, at several
//! alignments of the key against the receiver's 5 ms grid, fed in irregular block sizes.

use ivr_designer::dsp::signals::{ALL_KEYS, DtmfTone, Noise, db_to_amplitude};
use ivr_designer::dsp::{DtmfDetector, DtmfEvent, DtmfSettings};

const RATES: [u32; 2] = [8_000, 16_000];

/// A key as heard, in ms on the signal's clock.
#[derive(Debug, Clone, Copy)]
struct Heard {
    key: char,
    onset_ms: f64,
    end_ms: f64,
    decided_ms: f64,
}

fn listen(rate: u32, signal: &[f32]) -> Vec<Heard> {
    let mut rx = DtmfDetector::new(rate, DtmfSettings::default()).unwrap();
    let mut events = Vec::new();
    // Irregular blocks: the receiver's results must not depend on how audio arrives.
    let sizes = [1usize, 7, 64, 160, 333, 13];
    let mut at = 0;
    let mut i = 0;
    while at < signal.len() {
        let n = sizes[i % sizes.len()].min(signal.len() - at);
        rx.process(&signal[at..at + n], &mut |e| events.push(e));
        at += n;
        i += 1;
    }
    rx.finish(&mut |e| events.push(e));
    let ms = |s: u64| s as f64 * 1000.0 / f64::from(rate);
    let mut heard: Vec<Heard> = Vec::new();
    for e in events {
        match e {
            DtmfEvent::KeyStarted { key, onset, decided } => {
                heard.push(Heard { key, onset_ms: ms(onset), end_ms: f64::NAN, decided_ms: ms(decided) })
            }
            DtmfEvent::KeyEnded { key, end, .. } => {
                let last = heard.last_mut().expect("an end follows its start");
                assert_eq!(last.key, key);
                assert!(last.end_ms.is_nan(), "one end per key");
                last.end_ms = ms(end);
            }
        }
    }
    heard
}

/// Alignments of the key's first sample against the 5 ms grid (in samples at `rate`).
fn alignments(rate: u32) -> Vec<usize> {
    let hop = (rate / 200) as usize;
    vec![0, 1, hop / 4, hop / 2, 3 * hop / 4, hop - 1]
}

/// Silence, then the tones one after another with the given pauses, then silence; returns the signal and the
/// start sample of each tone.
fn sequence(rate: u32, offset: usize, tones: &[DtmfTone], pause_s: f64) -> (Vec<f32>, Vec<usize>) {
    let fs = rate as f64;
    let total: f64 = tones.iter().map(|t| t.duration_s + pause_s).sum::<f64>() + 0.3;
    let mut signal = vec![0f32; (total * fs) as usize + offset];
    let mut starts = Vec::new();
    let mut at = (0.1 * fs) as usize + offset;
    for t in tones {
        t.add_to(&mut signal, rate, at);
        starts.push(at);
        at += ((t.duration_s + pause_s) * fs).round() as usize;
    }
    (signal, starts)
}

/// Run one tone at every rate and alignment; `check` sees what was heard and the tone's true onset in ms.
fn each_case(tone: DtmfTone, mut check: impl FnMut(u32, usize, &[Heard], f64)) {
    for rate in RATES {
        for offset in alignments(rate) {
            let (signal, starts) = sequence(rate, offset, &[tone], 0.0);
            let heard = listen(rate, &signal);
            check(rate, offset, &heard, starts[0] as f64 * 1000.0 / rate as f64);
        }
    }
}

fn accepted_once(tone: DtmfTone, row: &str) {
    each_case(tone, |rate, offset, heard, onset| {
        assert_eq!(heard.len(), 1, "{row}: {rate} Hz, offset {offset}: {heard:?}");
        let h = heard[0];
        assert_eq!(h.key, tone.key, "{row}");
        assert!((h.onset_ms - onset).abs() <= 3.0, "{row}: onset {} vs {onset}", h.onset_ms);
        let end = onset + tone.duration_s * 1000.0;
        assert!((h.end_ms - end).abs() <= 5.0, "{row}: end {} vs {end}", h.end_ms);
        assert!(h.decided_ms - onset <= 45.0, "{row}: decided {:.1} ms after onset", h.decided_ms - onset);
        assert!(h.decided_ms >= onset, "{row}: decided before the key began");
    });
}

fn rejected(tone: DtmfTone, row: &str) {
    each_case(tone, |rate, offset, heard, _| {
        assert!(heard.is_empty(), "{row}: {rate} Hz, offset {offset}: must reject, heard {heard:?}");
    });
}

#[test]
fn every_key_is_heard_with_onset_end_and_a_decision_within_45_ms() {
    for key in ALL_KEYS {
        accepted_once(DtmfTone::new(key, -10.0, 0.05), &format!("key {key}"));
    }
}

#[test]
fn frequency_deviation_of_1_5_percent_is_accepted() {
    let d = 0.015;
    for key in ALL_KEYS {
        for (dl, dh) in [(d, d), (-d, -d), (d, -d), (-d, d), (d, 0.0), (0.0, -d)] {
            let tone = DtmfTone { low_deviation: dl, high_deviation: dh, ..DtmfTone::new(key, -10.0, 0.06) };
            accepted_once(tone, &format!("key {key} deviation {dl:+} / {dh:+}"));
        }
    }
}

#[test]
fn frequency_deviation_of_3_5_percent_is_rejected() {
    let d = 0.035;
    for key in ALL_KEYS {
        for (dl, dh) in [(d, 0.0), (-d, 0.0), (0.0, d), (0.0, -d), (d, d), (-d, -d)] {
            let tone = DtmfTone { low_deviation: dl, high_deviation: dh, ..DtmfTone::new(key, -10.0, 0.1) };
            rejected(tone, &format!("key {key} deviation {dl:+} / {dh:+}"));
        }
    }
}

#[test]
fn twist_from_4_db_reverse_to_8_db_normal_is_accepted() {
    for key in ALL_KEYS {
        for (low, high) in [(-14.0, -10.0), (-10.0, -18.0), (-20.0, -16.0), (-6.0, -14.0)] {
            let tone = DtmfTone { low_db: low, high_db: high, ..DtmfTone::new(key, -10.0, 0.06) };
            accepted_once(tone, &format!("key {key} low {low} high {high}"));
        }
    }
}

#[test]
fn twist_beyond_the_limits_is_rejected() {
    for key in ALL_KEYS {
        for (low, high) in [(-16.0, -10.0), (-10.0, -20.0), (-22.0, -14.0), (-6.0, -17.0)] {
            let tone = DtmfTone { low_db: low, high_db: high, ..DtmfTone::new(key, -10.0, 0.1) };
            rejected(tone, &format!("key {key} low {low} high {high}"));
        }
    }
}

#[test]
fn keys_of_40_ms_or_more_are_accepted() {
    for key in ALL_KEYS {
        for ms in [40.0, 45.0, 60.0, 100.0, 500.0] {
            accepted_once(DtmfTone::new(key, -10.0, ms / 1000.0), &format!("key {key} {ms} ms"));
        }
    }
}

#[test]
fn keys_of_23_ms_or_less_are_rejected() {
    for key in ALL_KEYS {
        for ms in [23.0, 20.0, 15.0, 10.0, 5.0] {
            rejected(DtmfTone::new(key, -10.0, ms / 1000.0), &format!("key {key} {ms} ms"));
        }
    }
}

#[test]
fn gaps_of_10_ms_or_less_inside_a_key_are_bridged() {
    for key in ALL_KEYS {
        for gap in [0.003, 0.005, 0.008, 0.010] {
            let half = DtmfTone::new(key, -10.0, 0.06);
            for rate in RATES {
                for offset in alignments(rate) {
                    let (signal, starts) = sequence(rate, offset, &[half, half], gap);
                    let heard = listen(rate, &signal);
                    assert_eq!(heard.len(), 1, "key {key}, gap {gap}, {rate} Hz, offset {offset}: {heard:?}");
                    let onset = starts[0] as f64 * 1000.0 / rate as f64;
                    let end = starts[1] as f64 * 1000.0 / rate as f64 + 60.0;
                    assert!((heard[0].onset_ms - onset).abs() <= 3.0 && (heard[0].end_ms - end).abs() <= 5.0);
                }
            }
        }
    }
}

#[test]
fn keys_separated_by_40_ms_pauses_are_split() {
    // Every key, then every key repeated: 40 ms on, 40 ms off, which is the fastest dialling the standard allows.
    let mut keys: Vec<char> = ALL_KEYS.to_vec();
    keys.extend(ALL_KEYS.iter().flat_map(|&k| [k, k]));
    let tones: Vec<DtmfTone> = keys.iter().map(|&k| DtmfTone::new(k, -10.0, 0.04)).collect();
    for rate in RATES {
        for offset in alignments(rate) {
            let (signal, starts) = sequence(rate, offset, &tones, 0.04);
            let heard = listen(rate, &signal);
            let got: String = heard.iter().map(|h| h.key).collect();
            assert_eq!(got, keys.iter().collect::<String>(), "{rate} Hz, offset {offset}");
            for (h, &s) in heard.iter().zip(&starts) {
                let onset = s as f64 * 1000.0 / rate as f64;
                assert!((h.onset_ms - onset).abs() <= 3.0, "{h:?} vs {onset}");
                assert!(h.decided_ms - onset <= 45.0);
            }
        }
    }
}

#[test]
fn levels_from_0_to_minus_25_dbm0_are_accepted() {
    // 0 dBm0 ≈ −3 dBFS per tone (the pair then peaks above full scale; the receiver works on floats).
    for key in ALL_KEYS {
        for db in [-3.0, -8.0, -13.0, -18.0, -23.0, -28.0] {
            accepted_once(DtmfTone::new(key, db, 0.06), &format!("key {key} at {db} dBFS"));
        }
    }
}

#[test]
fn levels_below_minus_55_dbm0_are_rejected() {
    for key in ALL_KEYS {
        for db in [-58.0, -65.0, -80.0] {
            rejected(DtmfTone::new(key, db, 0.1), &format!("key {key} at {db} dBFS"));
        }
    }
}

#[test]
fn keys_are_heard_at_15_db_signal_to_noise() {
    let mut seed = 1;
    for key in ALL_KEYS {
        for (level, twist) in [(-10.0, 0.0), (-25.0, 0.0), (-12.0, -6.0), (-14.0, 3.0)] {
            let tone = DtmfTone { low_db: level, high_db: level + twist, ..DtmfTone::new(key, level, 0.06) };
            let tone_power = (db_to_amplitude(tone.low_db).powi(2) + db_to_amplitude(tone.high_db).powi(2)) / 2.0;
            let noise_db = 10.0 * tone_power.log10() - 15.0;
            for rate in RATES {
                for offset in alignments(rate) {
                    let (mut signal, starts) = sequence(rate, offset, &[tone], 0.0);
                    seed += 1;
                    Noise::new(seed).add_white(&mut signal, noise_db);
                    let heard = listen(rate, &signal);
                    assert_eq!(heard.len(), 1, "key {key} level {level} twist {twist} {rate} Hz: {heard:?}");
                    assert_eq!(heard[0].key, key);
                    let onset = starts[0] as f64 * 1000.0 / rate as f64;
                    assert!((heard[0].onset_ms - onset).abs() <= 4.0, "{:?} vs {onset}", heard[0]);
                    assert!(heard[0].decided_ms - onset <= 45.0);
                }
            }
        }
    }
}

#[test]
fn noise_alone_produces_no_keys() {
    for rate in RATES {
        for (seed, db) in [(7, -10.0), (8, -30.0), (9, -50.0)] {
            let mut signal = vec![0f32; rate as usize * 20];
            Noise::new(seed).add_white(&mut signal, db);
            assert!(listen(rate, &signal).is_empty(), "{rate} Hz noise at {db} dBFS");
        }
    }
}

#[test]
fn unsupported_rates_are_refused_with_a_reason() {
    let e = DtmfDetector::new(44_100, DtmfSettings::default()).err().unwrap();
    assert!(e.to_string().contains("44100"));
    assert!(DtmfDetector::new(0, DtmfSettings::default()).is_err());
}
