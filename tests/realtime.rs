//! The DSP layer is real-time safe: once built, processing allocates nothing (assert_no_alloc aborts the test
//! binary on any allocation or free inside the guarded closure).

use assert_no_alloc::{AllocDisabler, assert_no_alloc};
use ivr_designer::dsp::resample::StreamResampler;
use ivr_designer::dsp::signals::{DtmfTone, Noise};
use ivr_designer::dsp::{
    Beep, BeepSettings, DtmfDetector, DtmfSettings, Heard, LevelMeter, Listener, SpeechDetector, SpeechSettings,
};

#[global_allocator]
static ALLOCATOR: AllocDisabler = AllocDisabler;

fn test_signal(rate: u32) -> Vec<f32> {
    let mut s = vec![0f32; rate as usize * 2];
    Noise::new(1).add_white(&mut s, -40.0);
    DtmfTone::new('#', -10.0, 0.1).add_to(&mut s, rate, rate as usize / 2);
    s
}

#[test]
fn detectors_process_without_allocating() {
    for rate in [8_000, 16_000] {
        let signal = test_signal(rate);
        let mut dtmf = DtmfDetector::new(rate, DtmfSettings::default()).unwrap();
        let mut speech = SpeechDetector::new(rate, SpeechSettings::default());
        let mut listener = Listener::new(rate, DtmfSettings::default(), SpeechSettings::default()).unwrap();
        let mut meter = LevelMeter::new();
        let mut keys = 0;
        let mut heard = 0;
        assert_no_alloc(|| {
            for block in signal.chunks(37) {
                dtmf.process(block, &mut |_| keys += 1);
                speech.process(block, dtmf.tonal_until(), &mut |_| {});
                listener.process(block, &mut |h: Heard| heard += matches!(h, Heard::Tone(_)) as usize);
                meter.process(block);
            }
            dtmf.finish(&mut |_| keys += 1);
            listener.finish(&mut |_| {});
        });
        assert_eq!(keys, 2, "the key was heard (start and end) at {rate} Hz");
        assert!(heard >= 1);
    }
}

#[test]
fn the_beep_and_the_resampler_run_without_allocating() {
    let mut beep = Beep::new(BeepSettings::default(), 16_000);
    let mut resampler = StreamResampler::new(44_100, 16_000).unwrap();
    let input = vec![0.1f32; 44_100];
    let mut out = [0f32; 256];
    let mut produced = 0;
    assert_no_alloc(|| {
        while beep.fill(&mut out) > 0 {}
        for block in input.chunks(441) {
            resampler.process(block, &mut |b| produced += b.len());
        }
    });
    assert!(beep.is_finished());
    assert!(produced > 15_000, "{produced}");
}
