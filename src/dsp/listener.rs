//! The caller's side of the line, heard: stop tones and speech from one stream, with DTMF kept out of speech.

use super::dtmf::{DtmfDetector, DtmfEvent, DtmfSettings, UnsupportedRate};
use super::speech::{SpeechDetector, SpeechEvent, SpeechSettings};

/// What the listener heard. Times are sample indices at its rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Heard {
    Tone(DtmfEvent),
    Speech(SpeechEvent),
}

pub struct Listener {
    dtmf: DtmfDetector,
    speech: SpeechDetector,
    /// The speech detector's frame length: audio is handed on in pieces that end on its frame boundaries, so it
    /// always sees the DTMF receiver's verdict for exactly the audio it is looking at.
    frame_len: usize,
    position: u64,
}

impl Listener {
    pub fn new(sample_rate: u32, dtmf: DtmfSettings, speech: SpeechSettings) -> Result<Self, UnsupportedRate> {
        Ok(Listener {
            dtmf: DtmfDetector::new(sample_rate, dtmf)?,
            speech: SpeechDetector::new(sample_rate, speech),
            frame_len: (sample_rate / 100) as usize,
            position: 0,
        })
    }

    pub fn sample_rate(&self) -> u32 {
        self.dtmf.sample_rate()
    }

    pub fn dtmf(&self) -> &DtmfDetector {
        &self.dtmf
    }

    pub fn speech(&self) -> &SpeechDetector {
        &self.speech
    }

    /// Samples processed so far.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Feed samples (any block size); events come out in the order they were decided.
    pub fn process(&mut self, mut samples: &[f32], on: &mut impl FnMut(Heard)) {
        while !samples.is_empty() {
            let to_boundary = self.frame_len - (self.position % self.frame_len as u64) as usize;
            let (now, rest) = samples.split_at(to_boundary.min(samples.len()));
            self.dtmf.process(now, &mut |e| on(Heard::Tone(e)));
            self.speech.process(now, self.dtmf.tonal_until(), &mut |e| on(Heard::Speech(e)));
            self.position += now.len() as u64;
            samples = rest;
        }
    }

    /// End of stream: close a key or speech still going.
    pub fn finish(&mut self, on: &mut impl FnMut(Heard)) {
        self.dtmf.finish(&mut |e| on(Heard::Tone(e)));
        self.speech.finish(&mut |e| on(Heard::Speech(e)));
    }
}
