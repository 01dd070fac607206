//! The stop-tone receiver: DTMF keys `0-9 * # A-D`, to the AT&T/Bellcore and ITU-T Q.24 receiver limits.
//!
//! How it hears (all times at any sample rate that is a multiple of 200 Hz, in practice 8 and 16 kHz):
//! - Every 5 ms *sub-block*, the eight DTMF frequencies are correlated with the signal (complex sums, so phase is
//!   kept) and the sub-block's energy is summed. That is the only per-sample work.
//! - Every 5 ms, the last three sub-blocks are combined coherently into a 15 ms *window* (a 15 ms DFT at each
//!   frequency). A window is a valid key when one low and one high tone hold most of its power (`min_purity`),
//!   stand clear of their group's other tones, are loud enough, have a plausible twist, and the three sub-blocks
//!   carry similar energy (the key covers the whole window, which is what rejects short bursts).
//! - A key is accepted after `min_windows` valid windows (a key of 40 ms has at least five, one of 23 ms at most
//!   three). At that moment each tone's true frequency is measured from how its phase advances from window to
//!   window (15 ms windows alone cannot tell 1.5 % from 3.5 % in the low group), the amplitudes are corrected for
//!   that offset, and the frequency, level and twist limits are checked against the standard.
//! - A key ends after `end_after_windows` windows without it, which bridges the 10 ms gaps the standard says are
//!   inside one key and splits keys separated by 40 ms pauses.
//! - Onset and end are placed within a sub-block from how much of the edge sub-blocks' energy the tone fills.
//!
//! Real-time safe: all state is sized in `new`; `process` neither allocates nor locks.

use super::kernels::{CorrelateFn, EnergyFn, correlate_kernel, energy_kernel};
use super::signals::{HIGH_GROUP_HZ, KEYPAD, LOW_GROUP_HZ};

/// Thresholds, each named after the limit it implements.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DtmfSettings {
    /// Weakest accepted per-tone level, dBFS of the tone's peak. The standard accepts down to −25 dBm0
    /// (−28 dBFS) and rejects below −55 dBm0 (−58 dBFS); −40 sits between with room on both sides.
    pub min_level_dbfs: f64,
    /// Most the high group may be above the low group (reverse twist), dB. Standard: accept 4, so 5.
    pub max_reverse_twist_db: f64,
    /// Most the high group may be below the low group (normal twist), dB. Standard: accept 8, so 9.
    pub max_normal_twist_db: f64,
    /// Largest accepted frequency deviation of either tone. Standard: accept 1.5 %, reject 3.5 %, so 2.5 %.
    pub max_frequency_deviation: f64,
    /// Share of a window's power the two tones must hold to count as a key window (speech rarely puts this much
    /// in two bins).
    pub min_purity: f64,
    /// Share of the power the two tones must hold in *each* window before acceptance, once their amplitudes are
    /// corrected for their measured frequency: a true key at 15 dB SNR holds 0.97, a chord of three notes two of
    /// which match a key 0.67.
    pub min_key_purity: f64,
    /// A key must *begin*: at least one of its tones must be this many dB weaker in the 15 ms before its first
    /// valid window than in it. Music that holds two notes at a key's frequencies while other notes beat around
    /// them can look like a key for 30 ms, but it never starts like one.
    pub min_onset_rise_db: f64,
    /// Valid 15 ms windows (5 ms apart) before a key is accepted: 4 accepts 40 ms keys and rejects 23 ms ones.
    pub min_windows: u32,
    /// Windows without the key before it ends: 8 bridges 10 ms gaps and splits at 40 ms pauses.
    pub end_after_windows: u32,
}

impl Default for DtmfSettings {
    fn default() -> Self {
        DtmfSettings {
            min_level_dbfs: -40.0,
            max_reverse_twist_db: 5.0,
            max_normal_twist_db: 9.0,
            max_frequency_deviation: 0.025,
            min_purity: 0.6,
            min_key_purity: 0.8,
            min_onset_rise_db: 6.0,
            min_windows: 4,
            end_after_windows: 8,
        }
    }
}

/// What the receiver reports. Times are sample indices at the receiver's rate, counted from its first sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DtmfEvent {
    /// A key was recognised. `onset` is where it began; `decided` is the sample at which this was known.
    KeyStarted { key: char, onset: u64, decided: u64 },
    /// The key ended at `end` (its last sample + 1), known at `decided`.
    KeyEnded { key: char, onset: u64, end: u64, decided: u64 },
}

#[derive(Clone, Copy, Debug, Default)]
struct SubBlock {
    re: [f32; 8],
    im: [f32; 8],
    energy: f32,
}

/// Sub-blocks kept for placing onsets and ends (must exceed `end_after_windows` + 4).
const HISTORY: usize = 32;

#[derive(Clone, Copy, Debug)]
struct Track {
    low: usize,
    high: usize,
    onset: u64,
    last_valid_window: u64,
    valid_windows: u32,
    gap_windows: u32,
    reported: bool,
    rejected: bool,
    /// Whether one of the tones rose into the first valid window (see `min_onset_rise_db`).
    began: bool,
    /// The previous valid window's low and high DFT values, if it was the window just before.
    previous: Option<[(f64, f64); 2]>,
    /// Σ X(s)·conj(X(s−1)) per tone: its angle is the phase advance per window.
    advance: [(f64, f64); 2],
    /// Σ amplitude per tone over valid windows.
    amplitude_sum: [f64; 2],
    /// The first valid windows' tone amplitudes and mean power, for the purity check at acceptance.
    windows: [(f64, f64, f64); MAX_ACCEPT_WINDOWS],
}

/// Most valid windows looked at when accepting a key.
const MAX_ACCEPT_WINDOWS: usize = 8;

/// Per-window limits derived from the settings once, in the units the window analysis works in.
#[derive(Clone, Copy, Debug)]
struct Thresholds {
    /// |X|² of a tone at the loose per-window level limit.
    min_bin_power: f64,
    /// Mean power of a window holding two tones at that limit.
    min_window_power: f64,
    /// Purity above which a window is tonal (not speech), and below which nothing else is looked at.
    tonal_purity: f64,
    /// High/low power ratio limits, loosened by 3 dB each way (offsets cost up to ~2 dB before correction).
    max_twist_ratio: f64,
    min_twist_ratio: f64,
}

impl Thresholds {
    fn new(st: &DtmfSettings, window_samples: f64) -> Self {
        // Offsets up to the reject limit cost a 15 ms window up to ~2 dB, so the loose per-window limits allow 3 dB;
        // the exact limits are checked once the frequency is known.
        let loose_min = super::signals::db_to_amplitude(st.min_level_dbfs - 3.0);
        Thresholds {
            min_bin_power: (loose_min * window_samples / 2.0).powi(2),
            min_window_power: loose_min * loose_min,
            tonal_purity: st.min_purity * 0.8,
            max_twist_ratio: 10f64.powf((st.max_reverse_twist_db + 3.0) / 10.0),
            min_twist_ratio: 10f64.powf(-(st.max_normal_twist_db + 3.0) / 10.0),
        }
    }
}

pub struct DtmfDetector {
    settings: DtmfSettings,
    thresholds: Thresholds,
    sample_rate: u32,
    hop: usize,
    correlate: CorrelateFn,
    energy: EnergyFn,
    cos: Vec<[f32; 8]>,
    sin: Vec<[f32; 8]>,
    /// e^{-jωH} and e^{-j2ωH} per frequency: shift a sub-block's sum to its place in the window.
    rot1: [(f64, f64); 8],
    rot2: [(f64, f64); 8],
    /// The same rotations as lanes (re, im), for `window_powers`.
    rot1_f32: [[f32; 8]; 2],
    rot2_f32: [[f32; 8]; 2],
    current: SubBlock,
    filled: usize,
    history: [SubBlock; HISTORY],
    completed: u64,
    track: Option<Track>,
    /// The sample range of the last window that looked tonal (for the speech detector).
    tonal_until: u64,
}

/// Why a sample rate cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the DTMF receiver needs a sample rate that is a multiple of 200 Hz (8000 or 16000); got {0} Hz")]
pub struct UnsupportedRate(pub u32);

impl DtmfDetector {
    pub fn new(sample_rate: u32, settings: DtmfSettings) -> Result<Self, UnsupportedRate> {
        if sample_rate == 0 || !sample_rate.is_multiple_of(200) || sample_rate > 192_000 {
            return Err(UnsupportedRate(sample_rate));
        }
        let hop = (sample_rate / 200) as usize;
        let fs = f64::from(sample_rate);
        let freqs: [f64; 8] = std::array::from_fn(|k| if k < 4 { LOW_GROUP_HZ[k] } else { HIGH_GROUP_HZ[k - 4] });
        let w = freqs.map(|f| 2.0 * std::f64::consts::PI * f / fs);
        let cos = (0..hop).map(|n| std::array::from_fn(|k| (w[k] * n as f64).cos() as f32)).collect();
        // Negative sine: the sums are Σ x·e^{-jωn}.
        let sin = (0..hop).map(|n| std::array::from_fn(|k| -(w[k] * n as f64).sin() as f32)).collect();
        let rot = |m: f64| w.map(|wk| ((wk * m * hop as f64).cos(), -(wk * m * hop as f64).sin()));
        let lanes = |r: [(f64, f64); 8]| [r.map(|(re, _)| re as f32), r.map(|(_, im)| im as f32)];
        Ok(DtmfDetector {
            settings,
            thresholds: Thresholds::new(&settings, (3 * hop) as f64),
            sample_rate,
            hop,
            correlate: correlate_kernel(),
            energy: energy_kernel(),
            cos,
            sin,
            rot1: rot(1.0),
            rot2: rot(2.0),
            rot1_f32: lanes(rot(1.0)),
            rot2_f32: lanes(rot(2.0)),
            current: SubBlock::default(),
            filled: 0,
            history: [SubBlock::default(); HISTORY],
            completed: 0,
            track: None,
            tonal_until: 0,
        })
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    pub fn settings(&self) -> &DtmfSettings {
        &self.settings
    }

    /// Samples processed so far.
    pub fn position(&self) -> u64 {
        self.completed * self.hop as u64 + self.filled as u64
    }

    /// The end (sample index) of the last window in which DTMF-like tones held most of the power, even if no key
    /// was accepted: audio before this is not speech.
    pub fn tonal_until(&self) -> u64 {
        self.tonal_until
    }

    /// The key being heard right now, if one has been accepted and has not ended.
    pub fn current_key(&self) -> Option<char> {
        self.track.filter(|t| t.reported).map(|t| KEYPAD[t.low][t.high - 4])
    }

    /// Feed samples (any block size) and report each event through `on_event`, in order.
    pub fn process(&mut self, mut samples: &[f32], on_event: &mut impl FnMut(DtmfEvent)) {
        while !samples.is_empty() {
            let take = (self.hop - self.filled).min(samples.len());
            let (now, rest) = samples.split_at(take);
            let at = self.filled;
            (self.correlate)(
                now,
                &self.cos[at..at + take],
                &self.sin[at..at + take],
                &mut self.current.re,
                &mut self.current.im,
            );
            self.current.energy += (self.energy)(now).0;
            self.filled += take;
            samples = rest;
            if self.filled == self.hop {
                self.history[(self.completed % HISTORY as u64) as usize] = self.current;
                self.current = SubBlock::default();
                self.filled = 0;
                self.completed += 1;
                if self.completed >= 3 {
                    self.analyse_window(self.completed - 3, on_event);
                }
            }
        }
    }

    /// Flush at the end of a stream: a key still sounding ends at the last sample.
    pub fn finish(&mut self, on_event: &mut impl FnMut(DtmfEvent)) {
        if let Some(track) = self.track.take()
            && track.reported
        {
            let end = self.end_of(&track).min(self.position());
            let key = KEYPAD[track.low][track.high - 4];
            on_event(DtmfEvent::KeyEnded { key, onset: track.onset, end, decided: self.position() });
        }
    }

    fn sub(&self, index: u64) -> &SubBlock {
        &self.history[(index % HISTORY as u64) as usize]
    }

    /// |X|² of the 15 ms DFT at all eight frequencies of the window starting at sub-block `s`, in single precision
    /// (written lane by lane so it vectorises: this runs every 5 ms, for every window).
    fn window_powers(&self, s: u64) -> [f64; 8] {
        let (a, b, c) = (self.sub(s), self.sub(s + 1), self.sub(s + 2));
        let (r1, i1, r2, i2) = (&self.rot1_f32[0], &self.rot1_f32[1], &self.rot2_f32[0], &self.rot2_f32[1]);
        let mut p = [0f64; 8];
        for k in 0..8 {
            let re = a.re[k] + b.re[k] * r1[k] - b.im[k] * i1[k] + c.re[k] * r2[k] - c.im[k] * i2[k];
            let im = a.im[k] + b.re[k] * i1[k] + b.im[k] * r1[k] + c.re[k] * i2[k] + c.im[k] * r2[k];
            p[k] = f64::from(re * re + im * im);
        }
        p
    }

    /// The 15 ms DFT at frequency `k` of the window made of sub-blocks `s`, `s+1`, `s+2`: their sums, each
    /// rotated to its place in the window.
    fn window_dft(&self, s: u64, k: usize) -> (f64, f64) {
        let (a, b, c) = (self.sub(s), self.sub(s + 1), self.sub(s + 2));
        let (r1, i1) = self.rot1[k];
        let (r2, i2) = self.rot2[k];
        let (br, bi, cr, ci) = (f64::from(b.re[k]), f64::from(b.im[k]), f64::from(c.re[k]), f64::from(c.im[k]));
        (
            f64::from(a.re[k]) + br * r1 - bi * i1 + cr * r2 - ci * i2,
            f64::from(a.im[k]) + br * i1 + bi * r1 + cr * i2 + ci * r2,
        )
    }

    /// Analyse the 15 ms window made of sub-blocks `s`, `s+1`, `s+2` (just completed).
    fn analyse_window(&mut self, s: u64, on_event: &mut impl FnMut(DtmfEvent)) {
        let decided = self.completed * self.hop as u64;
        let (a, b, c) = (self.sub(s), self.sub(s + 1), self.sub(s + 2));
        let energies = [a.energy, b.energy, c.energy];
        let n = (3 * self.hop) as f64;
        let window_power = f64::from(energies.iter().sum::<f32>()) / n;
        // Too quiet to hold two tones at the level limit (most of a call): nothing more to look at.
        if window_power < self.thresholds.min_window_power {
            self.no_key_window(decided, on_event);
            return;
        }
        let p = self.window_powers(s);
        let low = argmax(&p[0..4]);
        let high = 4 + argmax(&p[4..8]);
        // (al² + ah²) / 2 with a = 2|X|/N, without square roots: most windows are not keys and stop here.
        let tone_power = 2.0 * (p[low] + p[high]) / (n * n);
        let purity = if window_power > 0.0 { tone_power / window_power } else { 0.0 };
        let t = self.thresholds;
        let loud = p[low] >= t.min_bin_power && p[high] >= t.min_bin_power;
        if !loud || purity < t.tonal_purity {
            self.no_key_window(decided, on_event);
            return;
        }
        self.tonal_until = decided;
        let twist = p[high] / p[low];
        let clear =
            |best: usize, range: std::ops::Range<usize>| range.clone().all(|j| j == best || p[j] <= p[best] * 0.16);
        let (emin, emax) = energies.iter().fold((f32::MAX, 0f32), |(lo, hi), &e| (lo.min(e), hi.max(e)));
        let valid = purity >= self.settings.min_purity
            && clear(low, 0..4)
            && clear(high, 4..8)
            && twist <= t.max_twist_ratio
            && twist >= t.min_twist_ratio
            && emin >= 0.6 * emax;
        if !valid {
            self.no_key_window(decided, on_event);
            return;
        }
        let (al, ah) = (2.0 * p[low].sqrt() / n, 2.0 * p[high].sqrt() / n);
        let st = self.settings;

        {
            let same = self.track.as_ref().is_some_and(|t| t.low == low && t.high == high);
            if !same {
                self.end_track(decided, on_event);
                let onset = self.onset_of(s);
                let began = self.tones_rose(s, low, high, al, ah);
                self.track = Some(Track {
                    low,
                    high,
                    onset,
                    last_valid_window: s,
                    valid_windows: 0,
                    gap_windows: 0,
                    reported: false,
                    rejected: false,
                    began,
                    previous: None,
                    advance: [(0.0, 0.0); 2],
                    amplitude_sum: [0.0; 2],
                    windows: [(0.0, 0.0, 0.0); MAX_ACCEPT_WINDOWS],
                });
            }
            let now = [self.window_dft(s, low), self.window_dft(s, high)];
            let Some(track) = self.track.as_mut() else { return };
            if let Some(prev) = track.previous.filter(|_| track.last_valid_window + 1 == s) {
                for t in 0..2 {
                    let (re, im) = now[t];
                    let (pr, pi) = prev[t];
                    track.advance[t].0 += re * pr + im * pi;
                    track.advance[t].1 += im * pr - re * pi;
                }
            }
            track.previous = Some(now);
            track.last_valid_window = s;
            track.valid_windows += 1;
            track.gap_windows = 0;
            track.amplitude_sum[0] += al;
            track.amplitude_sum[1] += ah;
            if let Some(slot) = track.windows.get_mut(track.valid_windows as usize - 1) {
                *slot = (al, ah, window_power);
            }
            if !track.reported && !track.rejected && track.valid_windows >= st.min_windows {
                let track_copy = *track;
                if self.accepts(&track_copy) {
                    let key = KEYPAD[low][high - 4];
                    let onset = track_copy.onset;
                    if let Some(t) = self.track.as_mut() {
                        t.reported = true;
                    }
                    on_event(DtmfEvent::KeyStarted { key, onset, decided });
                } else if let Some(t) = self.track.as_mut() {
                    t.rejected = true;
                }
            }
        }
    }

    /// A window without a key in it: the current key, if any, is one window further from its last sighting.
    fn no_key_window(&mut self, decided: u64, on_event: &mut impl FnMut(DtmfEvent)) {
        if let Some(track) = self.track.as_mut() {
            track.gap_windows += 1;
            track.previous = None;
            if track.gap_windows >= self.settings.end_after_windows {
                self.end_track(decided, on_event);
            }
        }
    }

    /// The standard's limits, on the tones' measured frequency and offset-corrected amplitudes.
    fn accepts(&self, track: &Track) -> bool {
        let st = &self.settings;
        let fs = f64::from(self.sample_rate);
        let n = (3 * self.hop) as f64;
        let mut corrected = [0f64; 2];
        let mut gains = [1f64; 2];
        for (t, &k) in [track.low, track.high].iter().enumerate() {
            let f = if k < 4 { LOW_GROUP_HZ[k] } else { HIGH_GROUP_HZ[k - 4] };
            let (zr, zi) = track.advance[t];
            // The phase advance beyond the nominal frequency's, per 5 ms hop.
            let (r1, i1) = self.rot1[k];
            let (dr, di) = (zr * r1 - zi * i1, zr * i1 + zi * r1);
            if dr == 0.0 && di == 0.0 {
                return false;
            }
            let offset_hz = di.atan2(dr) * fs / (2.0 * std::f64::consts::PI * self.hop as f64);
            if (offset_hz / f).abs() > st.max_frequency_deviation {
                return false;
            }
            let mean = track.amplitude_sum[t] / f64::from(track.valid_windows);
            gains[t] = window_gain(offset_hz, n, fs);
            corrected[t] = mean / gains[t];
        }
        let min = super::signals::db_to_amplitude(st.min_level_dbfs);
        let twist_db = 20.0 * (corrected[1] / corrected[0]).log10();
        // The first valid window may be only partly covered by the key (which lowers its purity): skip it.
        let seen = (track.valid_windows as usize).min(MAX_ACCEPT_WINDOWS);
        let pure = track.windows[1..seen].iter().all(|&(al, ah, power)| {
            ((al / gains[0]).powi(2) + (ah / gains[1]).powi(2)) / 2.0 >= st.min_key_purity * power
        });
        track.began
            && pure
            && corrected[0] >= min
            && corrected[1] >= min
            && twist_db <= st.max_reverse_twist_db
            && twist_db >= -st.max_normal_twist_db
    }

    fn end_track(&mut self, decided: u64, on_event: &mut impl FnMut(DtmfEvent)) {
        if let Some(track) = self.track.take()
            && track.reported
        {
            let key = KEYPAD[track.low][track.high - 4];
            on_event(DtmfEvent::KeyEnded { key, onset: track.onset, end: self.end_of(&track), decided });
        }
    }

    /// Whether the low or the high tone is at least `min_onset_rise_db` weaker in the window just before window
    /// `s` (sub-blocks s−3 … s−1) than the amplitudes `al`, `ah` measured in window `s`.
    fn tones_rose(&self, s: u64, low: usize, high: usize, al: f64, ah: f64) -> bool {
        if s < 3 {
            return true;
        }
        let n = (3 * self.hop) as f64;
        let before = |k: usize| {
            let (re, im) = self.window_dft(s - 3, k);
            2.0 * (re * re + im * im).sqrt() / n
        };
        let rise = super::signals::db_to_amplitude(-self.settings.min_onset_rise_db);
        before(low) <= al * rise || before(high) <= ah * rise
    }

    /// Where a key whose first valid window starts at sub-block `s` began: inside `s` or `s−1`, by how much of
    /// their energy the tone fills.
    fn onset_of(&self, s: u64) -> u64 {
        let hop = self.hop as f64;
        let reference = (0..3).map(|i| self.sub(s + i).energy).fold(0f32, f32::max);
        if reference <= 0.0 {
            return s * self.hop as u64;
        }
        let share = |i: u64| f64::from((self.sub(i).energy / reference).clamp(0.0, 1.0));
        let before = if s >= 1 { share(s - 1) } else { 0.0 };
        let at = (s as f64 + 1.0 - share(s) - before) * hop;
        at.max(0.0).round() as u64
    }

    /// Where a key ended: inside the last sub-block of its last valid window, or the one after.
    fn end_of(&self, track: &Track) -> u64 {
        let s = track.last_valid_window;
        let hop = self.hop as f64;
        let reference = (0..3).map(|i| self.sub(s + i).energy).fold(0f32, f32::max);
        let last = s + 2;
        if reference <= 0.0 {
            return (last + 1) * self.hop as u64;
        }
        let share = |i: u64| f64::from((self.sub(i).energy / reference).clamp(0.0, 1.0));
        let after = if last + 1 < self.completed { share(last + 1) } else { 0.0 };
        ((last as f64 + share(last) + after) * hop).round() as u64
    }
}

fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Magnitude response of an `n`-sample rectangular DFT to a tone `offset_hz` away from its bin.
fn window_gain(offset_hz: f64, n: f64, fs: f64) -> f64 {
    let x = std::f64::consts::PI * offset_hz / fs;
    if x.abs() < 1e-12 { 1.0 } else { ((n * x).sin() / (n * x.sin())).abs().max(1e-6) }
}
