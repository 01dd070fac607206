//! The speech detector: onsets and ends where the speech is, on clean and noisy lines; nothing from silence,
//! steady noise, DTMF, the beep or clicks.

mod common;

use common::{speech_fixture, speech_span_ms};
use ivr_designer::dsp::signals::{DtmfTone, Noise, power_db};
use ivr_designer::dsp::{
    Beep, BeepSettings, DtmfSettings, Heard, Listener, SpeechDetector, SpeechEvent, SpeechSettings,
};

const RATE: u32 = 16_000;

/// Speech segments (start, end) in ms, heard through the listener (DTMF kept out), fed in irregular blocks.
fn segments_with(signal: &[f32], settings: SpeechSettings) -> Vec<(f64, f64)> {
    let mut listener = Listener::new(RATE, DtmfSettings::default(), settings).unwrap();
    let mut out: Vec<(f64, f64)> = Vec::new();
    let ms = |s: u64| s as f64 * 1000.0 / f64::from(RATE);
    let mut on = |h: Heard| match h {
        Heard::Speech(SpeechEvent::Started { at, decided }) => {
            assert!(decided >= at);
            out.push((ms(at), f64::NAN));
        }
        Heard::Speech(SpeechEvent::Ended { at, .. }) => out.last_mut().unwrap().1 = ms(at),
        Heard::Tone(_) => {}
    };
    for (i, chunk) in signal.chunks(97).enumerate() {
        // Irregular: alternate a whole chunk and a chunk split in two.
        if i % 2 == 0 {
            listener.process(chunk, &mut on);
        } else {
            let (a, b) = chunk.split_at(chunk.len() / 3);
            listener.process(a, &mut on);
            listener.process(b, &mut on);
        }
    }
    listener.finish(&mut on);
    out
}

fn segments(signal: &[f32]) -> Vec<(f64, f64)> {
    segments_with(signal, SpeechSettings::default())
}

/// White noise at `snr_db` below the speech's active level (the mean power of its voiced frames).
fn add_noise(signal: &mut [f32], snr_db: f64, seed: u64) {
    let active: Vec<f32> =
        signal.chunks(160).filter(|f| power_db(f) >= -45.0).flat_map(|f| f.iter().copied()).collect();
    Noise::new(seed).add_white(signal, power_db(&active) - snr_db);
}

#[test]
fn a_silent_or_steadily_noisy_start_is_not_speech() {
    for (label, level) in [
        ("digital silence", None),
        ("-70 dBFS noise", Some(-70.0)),
        ("-40 dBFS noise", Some(-40.0)),
        ("-25 dBFS noise", Some(-25.0)),
    ] {
        let mut signal = vec![0f32; RATE as usize * 5];
        if let Some(db) = level {
            Noise::new(3).add_white(&mut signal, db);
        }
        assert_eq!(segments(&signal), vec![], "{label}");
    }
}

#[test]
fn speech_onset_and_end_are_placed_where_the_speech_is() {
    for name in ["message-en.wav", "answer-de.wav", "short-yes.wav"] {
        let clean = speech_fixture(name);
        let (start, end) = speech_span_ms(&clean, RATE);
        let heard = segments(&clean);
        assert!(!heard.is_empty(), "{name}: no speech heard");
        let (first, last) = (heard[0].0, heard[heard.len() - 1].1);
        assert!((first - start).abs() <= 30.0, "{name}: onset {first} vs {start}");
        assert!((last - end).abs() <= 60.0, "{name}: end {last} vs {end}");
    }
}

#[test]
fn speech_is_heard_at_20_db_snr_with_its_end_within_150_ms() {
    for (seed, name) in ["message-en.wav", "answer-de.wav", "short-yes.wav"].iter().enumerate() {
        let clean = speech_fixture(name);
        let (start, end) = speech_span_ms(&clean, RATE);
        let mut noisy = clean.clone();
        add_noise(&mut noisy, 20.0, seed as u64 + 10);
        let heard = segments(&noisy);
        assert!(!heard.is_empty(), "{name}");
        let (first, last) = (heard[0].0, heard[heard.len() - 1].1);
        assert!((first - start).abs() <= 60.0, "{name}: onset {first} vs {start}");
        assert!((last - end).abs() <= 150.0, "{name}: end {last} vs {end}");
        // Nothing heard in the noise before or after the speech.
        assert!(first >= start - 60.0 && last <= end + 150.0, "{heard:?}");
    }
}

#[test]
fn dtmf_keys_the_beep_and_clicks_are_not_speech() {
    let mut signal = vec![0f32; RATE as usize * 6];
    // A dialled number: 100 ms keys, 80 ms apart, loud.
    for (i, key) in "0123456789*#ABCD".chars().enumerate() {
        DtmfTone::new(key, -8.0, 0.1).add_to(&mut signal, RATE, 8_000 + i * 2_900);
    }
    // The beep.
    let mut beep = Beep::new(BeepSettings::default(), RATE);
    let at = 4 * RATE as usize;
    beep.fill(&mut signal[at..at + 8_000]);
    // Clicks: 1 ms pulses every 150 ms.
    for k in 0..6 {
        let at = (RATE as f64 * (5.0 + k as f64 * 0.15)) as usize;
        signal[at..at + 16].iter_mut().for_each(|s| *s += 0.5);
    }
    Noise::new(5).add_white(&mut signal, -60.0);
    assert_eq!(segments(&signal), vec![]);
}

#[test]
fn speech_with_a_key_in_it_is_still_speech() {
    let mut signal = speech_fixture("message-en.wav");
    let (start, _) = speech_span_ms(&signal, RATE);
    let at = ((start + 1500.0) / 1000.0 * RATE as f64) as usize;
    DtmfTone::new('#', -12.0, 0.08).add_to(&mut signal, RATE, at);
    let heard = segments(&signal);
    assert!((heard[0].0 - start).abs() <= 30.0, "{heard:?}");
}

#[test]
fn threshold_and_hangover_are_settings() {
    // Two words with a 400 ms pause: split by the default hangover, joined by a 600 ms one.
    let word = speech_fixture("short-yes.wav");
    let (s, e) = speech_span_ms(&word, RATE);
    let yes = &word[(s * 16.0) as usize..(e * 16.0) as usize];
    let mut signal = vec![0f32; RATE as usize];
    signal.extend_from_slice(yes);
    signal.extend(std::iter::repeat_n(0.0, (0.4 * RATE as f64) as usize));
    signal.extend_from_slice(yes);
    signal.extend(std::iter::repeat_n(0.0, RATE as usize));
    assert_eq!(segments(&signal).len(), 2);
    let long = SpeechSettings { hangover_ms: 600.0, ..SpeechSettings::default() };
    assert_eq!(segments_with(&signal, long).len(), 1);
    // A threshold above the speech's level hears nothing.
    let deaf = SpeechSettings { threshold_db: 80.0, ..SpeechSettings::default() };
    assert_eq!(segments_with(&signal, deaf), vec![]);
}

#[test]
fn the_noise_floor_follows_the_line() {
    let mut detector = SpeechDetector::new(RATE, SpeechSettings::default());
    let mut signal = vec![0f32; RATE as usize * 3];
    Noise::new(9).add_white(&mut signal, -50.0);
    detector.process(&signal, 0, &mut |_| {});
    let floor = detector.noise_floor_db().unwrap();
    assert!((-53.0..=-49.0).contains(&floor), "{floor}");
    // The line gets noisier: within the floor's window, the floor follows it up.
    let mut louder = vec![0f32; RATE as usize * 3];
    Noise::new(10).add_white(&mut louder, -35.0);
    detector.process(&louder, 0, &mut |_| {});
    let floor = detector.noise_floor_db().unwrap();
    assert!((-38.0..=-34.0).contains(&floor), "{floor}");
}
