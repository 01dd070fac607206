//! Talk-off: speech and music must not produce stop tones. Over an hour of speech in several voices and
//! languages, and twenty minutes of chords; the goal, and the assertion, is zero false keys.

mod common;

use common::talkoff::{Clip, music, speech_clips};
use ivr_designer::dsp::{DtmfDetector, DtmfEvent, DtmfSettings};

fn false_keys(clip: &Clip) -> Vec<(char, f64)> {
    let mut rx = DtmfDetector::new(clip.rate, DtmfSettings::default()).unwrap();
    let mut keys = Vec::new();
    let ms = |s: u64| s as f64 * 1000.0 / f64::from(clip.rate);
    rx.process(&clip.samples, &mut |e| {
        if let DtmfEvent::KeyStarted { key, onset, .. } = e {
            keys.push((key, ms(onset)));
        }
    });
    keys
}

#[test]
fn speech_and_music_produce_no_keys() {
    let mut clips = speech_clips();
    clips.push(music(8_000, 600.0, 1));
    clips.push(music(16_000, 600.0, 2));
    let mut report = Vec::new();
    let mut speech_seconds = 0.0;
    let mut total = 0;
    for clip in &clips {
        let keys = false_keys(clip);
        if clip.name.starts_with("speech") {
            speech_seconds += clip.seconds();
        }
        total += keys.len();
        report.push(format!("{:24} {:7.1} s  {} false keys {:?}", clip.name, clip.seconds(), keys.len(), keys));
    }
    println!("{}", report.join("\n"));
    println!(
        "speech: {:.1} min, false keys per hour: {:.2}",
        speech_seconds / 60.0,
        total as f64 * 3600.0 / speech_seconds
    );
    assert!(speech_seconds >= 20.0 * 60.0, "the corpus holds at least 20 minutes of speech");
    assert_eq!(total, 0, "false keys:\n{}", report.join("\n"));
}
