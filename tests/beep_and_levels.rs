//! The beep is a clean sine that starts and stops without a click; levels read as a sound engineer expects.

use ivr_designer::dsp::level::{SILENCE_DBFS, measure};
use ivr_designer::dsp::{Beep, BeepSettings, LevelMeter};

const RATE: u32 = 16_000;

fn render(settings: BeepSettings) -> Vec<f32> {
    let mut beep = Beep::new(settings, RATE);
    let mut out = vec![0f32; beep.len()];
    // In uneven blocks, as a device callback would ask for it.
    let mut at = 0;
    for n in [1usize, 100, 333, 7].iter().cycle() {
        if at == out.len() {
            break;
        }
        let end = (at + n).min(out.len());
        assert_eq!(beep.fill(&mut out[at..end]), end - at);
        at = end;
    }
    assert!(beep.is_finished());
    out
}

/// Magnitude of the DFT of `x` at `hz`, relative to the amplitude of a full sine.
fn magnitude(x: &[f32], hz: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * hz / f64::from(RATE);
    let (mut re, mut im) = (0.0, 0.0);
    for (n, &v) in x.iter().enumerate() {
        re += f64::from(v) * (w * n as f64).cos();
        im -= f64::from(v) * (w * n as f64).sin();
    }
    2.0 * (re * re + im * im).sqrt() / x.len() as f64
}

/// The strongest component away from the beep's frequency, in dB below it.
fn splatter_db(x: &[f32], hz: f64) -> f64 {
    let main = magnitude(x, hz);
    let worst = (6..=30)
        .map(|k| f64::from(k) * 250.0 + 77.0)
        .filter(|f| (f - hz).abs() >= 500.0)
        .map(|f| magnitude(x, f))
        .fold(0.0, f64::max);
    20.0 * (main / worst).log10()
}

#[test]
fn the_beep_has_the_set_length_level_and_frequency() {
    let beep = render(BeepSettings::default());
    assert_eq!(beep.len(), 4_800, "300 ms at 16 kHz");
    let peak = beep.iter().fold(0f32, |m, s| m.max(s.abs()));
    assert!((20.0 * f64::from(peak).log10() + 12.0).abs() < 0.05, "peak {peak}");
    let steady = &beep[800..4_000];
    assert!((magnitude(steady, 1000.0) - 10f64.powf(-12.0 / 20.0)).abs() < 0.01);
}

#[test]
fn the_beep_starts_and_ends_without_a_click() {
    let beep = render(BeepSettings::default());
    let amplitude = 10f32.powf(-12.0 / 20.0);
    assert!(beep[0].abs() < 1e-3 * amplitude && beep[beep.len() - 1].abs() < 2e-3 * amplitude);
    // No step bigger than a sine's own steepest slope.
    let max_step = 2.0 * std::f32::consts::PI * 1000.0 / RATE as f32 * amplitude;
    assert!(beep.windows(2).all(|w| (w[1] - w[0]).abs() <= max_step * 1.01));
    // Padded with silence as it is heard: the faded beep keeps its energy near its frequency; a hard-gated one
    // (here one that stops mid-cycle) splatters.
    let padded = |settings: BeepSettings| {
        let mut heard = vec![0f32; 1_600];
        heard.extend(render(settings));
        heard.extend(std::iter::repeat_n(0.0, 1_600));
        heard
    };
    let odd = BeepSettings { frequency_hz: 1030.0, duration_ms: 287.0, ..BeepSettings::default() };
    let clean = splatter_db(&padded(BeepSettings::default()), 1000.0).min(splatter_db(&padded(odd), 1030.0));
    let hard = splatter_db(&padded(BeepSettings { fade_ms: 0.0, ..odd }), 1030.0);
    assert!(clean >= 60.0, "faded beep: splatter only {clean:.1} dB down");
    assert!(hard < clean - 20.0, "the test tells them apart: gated {hard:.1} dB vs faded {clean:.1} dB");
}

#[test]
fn levels_are_in_dbfs() {
    let full: Vec<f32> =
        (0..1600).map(|n| (2.0 * std::f32::consts::PI * 1000.0 * n as f32 / RATE as f32).sin()).collect();
    let l = measure(&full);
    assert!(l.peak_dbfs.abs() < 0.01 && (l.rms_dbfs + 3.01).abs() < 0.02, "{l:?}");
    let half: Vec<f32> = full.iter().map(|s| s * 0.5).collect();
    let mut meter = LevelMeter::new();
    let l = meter.process(&half);
    assert!((l.peak_dbfs + 6.02).abs() < 0.02 && (l.rms_dbfs + 9.03).abs() < 0.03, "{l:?}");
    assert_eq!(meter.last(), Some(l));
    let silent = measure(&[0.0; 160]);
    assert_eq!((silent.peak_dbfs, silent.rms_dbfs), (SILENCE_DBFS, SILENCE_DBFS));
    assert_eq!(measure(&[]).peak_dbfs, SILENCE_DBFS);
}
