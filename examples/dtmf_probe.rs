use ivr_designer::dsp::signals::*;
use ivr_designer::dsp::*;

fn main() {
    for rate in [8000u32, 16000] {
        for (label, tone, noise) in [
            ("nominal 50ms", DtmfTone::new('5', -10.0, 0.05), None),
            ("40ms", DtmfTone::new('1', -10.0, 0.04), None),
            ("23ms", DtmfTone::new('1', -10.0, 0.023), None),
            ("+1.5% both", DtmfTone { low_deviation: 0.015, high_deviation: 0.015, ..DtmfTone::new('1', -10.0, 0.05) }, None),
            ("-1.5% both", DtmfTone { low_deviation: -0.015, high_deviation: -0.015, ..DtmfTone::new('D', -10.0, 0.05) }, None),
            ("+3.5% low", DtmfTone { low_deviation: 0.035, ..DtmfTone::new('1', -10.0, 0.05) }, None),
            ("-3.5% high", DtmfTone { high_deviation: -0.035, ..DtmfTone::new('D', -10.0, 0.05) }, None),
            ("twist +4", DtmfTone { low_db: -14.0, high_db: -10.0, ..DtmfTone::new('1', -10.0, 0.05) }, None),
            ("twist -8", DtmfTone { low_db: -10.0, high_db: -18.0, ..DtmfTone::new('1', -10.0, 0.05) }, None),
            ("twist +6", DtmfTone { low_db: -16.0, high_db: -10.0, ..DtmfTone::new('1', -10.0, 0.05) }, None),
            ("twist -10", DtmfTone { low_db: -10.0, high_db: -20.0, ..DtmfTone::new('1', -10.0, 0.05) }, None),
            ("-28 dBFS", DtmfTone::new('9', -28.0, 0.05), None),
            ("-3 dBFS", DtmfTone::new('9', -3.0, 0.05), None),
            ("-58 dBFS", DtmfTone::new('9', -58.0, 0.05), None),
            ("snr15", DtmfTone::new('#', -20.0, 0.05), Some(15.0)),
        ] {
            let mut buf = vec![0f32; rate as usize / 2];
            let start = rate as usize / 10 + 7;
            tone.add_to(&mut buf, rate, start);
            if let Some(snr) = noise {
                let tone_power_db = 10.0 * ((db_to_amplitude(tone.low_db).powi(2) + db_to_amplitude(tone.high_db).powi(2)) / 2.0).log10();
                Noise::new(1).add_white(&mut buf, tone_power_db - snr);
            }
            let mut det = DtmfDetector::new(rate, DtmfSettings::default()).unwrap();
            let mut ev = vec![];
            det.process(&buf, &mut |e| ev.push(e));
            det.finish(&mut |e| ev.push(e));
            let ms = |s: u64| (s as f64 - start as f64) * 1000.0 / rate as f64;
            let desc: Vec<String> = ev.iter().map(|e| match e {
                DtmfEvent::KeyStarted { key, onset, decided } => format!("start {key} onset {:+.1} decided {:+.1}", ms(*onset), ms(*decided)),
                DtmfEvent::KeyEnded { key, end, .. } => format!("end {key} at {:+.1}", ms(*end)),
            }).collect();
            println!("{rate} {label:14} {desc:?}");
        }
    }
}
