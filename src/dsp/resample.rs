//! Streaming sample-rate conversion to the rate the detectors and takes use (rubato's FFT resampler).

use audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

/// Frames per resampler chunk: large enough to be efficient, small enough to keep latency under ~100 ms.
const CHUNK: usize = 1024;

#[derive(Debug, thiserror::Error)]
#[error("cannot convert {from} Hz to {to} Hz: {reason}")]
pub struct ResampleError {
    pub from: u32,
    pub to: u32,
    pub reason: String,
}

/// Converts a mono stream from one rate to another, in blocks of any size. Equal rates pass straight through.
/// Buffers are sized in `new`; `process` does not allocate.
pub struct StreamResampler {
    from: u32,
    to: u32,
    inner: Option<Box<Fft<f32>>>,
    input: Vec<f32>,
    filled: usize,
    output: Vec<f32>,
    /// Output frames still to drop: the resampler's start-up delay, so output sample 0 lines up with input 0.
    skip: usize,
    /// Input frames fed and output frames emitted, to flush exactly the right length at the end.
    fed: u64,
    emitted: u64,
}

impl StreamResampler {
    pub fn new(from: u32, to: u32) -> Result<Self, ResampleError> {
        if from == 0 || to == 0 {
            return Err(ResampleError { from, to, reason: "a sample rate of 0 Hz".into() });
        }
        if from == to {
            return Ok(StreamResampler {
                from,
                to,
                inner: None,
                input: Vec::new(),
                filled: 0,
                output: Vec::new(),
                skip: 0,
                fed: 0,
                emitted: 0,
            });
        }
        let fft = Fft::<f32>::new(from as usize, to as usize, CHUNK, 1, FixedSync::Input)
            .map_err(|e| ResampleError { from, to, reason: e.to_string() })?;
        let output = vec![0.0; fft.output_frames_max()];
        let skip = fft.output_delay();
        Ok(StreamResampler {
            from,
            to,
            inner: Some(Box::new(fft)),
            input: vec![0.0; CHUNK],
            filled: 0,
            output,
            skip,
            fed: 0,
            emitted: 0,
        })
    }

    pub fn rates(&self) -> (u32, u32) {
        (self.from, self.to)
    }

    /// Convert `samples`, handing each converted block to `out`.
    pub fn process(&mut self, mut samples: &[f32], out: &mut impl FnMut(&[f32])) {
        if self.inner.is_none() {
            out(samples);
            return;
        }
        self.fed += samples.len() as u64;
        while !samples.is_empty() {
            let take = (CHUNK - self.filled).min(samples.len());
            self.input[self.filled..self.filled + take].copy_from_slice(&samples[..take]);
            self.filled += take;
            samples = &samples[take..];
            if self.filled == CHUNK {
                self.run_chunk(CHUNK, out);
            }
        }
    }

    /// Flush what is buffered (padding with silence) and emit exactly the converted length of all input.
    pub fn finish(&mut self, out: &mut impl FnMut(&[f32])) {
        if self.inner.is_none() {
            return;
        }
        let total = (self.fed as f64 * f64::from(self.to) / f64::from(self.from)).round() as u64;
        // Feed silence until the resampler has pushed out everything that belongs to real input.
        let mut guard = 0;
        while self.emitted < total && guard < 16 {
            let partial = self.filled;
            self.input[partial..].fill(0.0);
            self.filled = CHUNK;
            let remaining = total - self.emitted;
            self.run_chunk_limited(CHUNK, remaining, out);
            guard += 1;
        }
    }

    fn run_chunk(&mut self, frames: usize, out: &mut impl FnMut(&[f32])) {
        self.run_chunk_limited(frames, u64::MAX, out);
    }

    fn run_chunk_limited(&mut self, frames: usize, limit: u64, out: &mut impl FnMut(&[f32])) {
        let Some(fft) = self.inner.as_mut() else { return };
        self.filled = 0;
        let out_len = self.output.len();
        let (Ok(input), Ok(mut output)) = (
            InterleavedSlice::new(&self.input[..frames], 1, frames),
            InterleavedSlice::new_mut(&mut self.output[..], 1, out_len),
        ) else {
            return;
        };
        let Ok((_, produced)) = fft.process_into_buffer(&input, &mut output, None) else { return };
        let skip = self.skip.min(produced);
        self.skip -= skip;
        let available = (produced - skip) as u64;
        let n = available.min(limit) as usize;
        if n > 0 {
            out(&self.output[skip..skip + n]);
            self.emitted += n as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(from: u32, to: u32, input: &[f32], block: usize) -> Vec<f32> {
        let mut r = StreamResampler::new(from, to).unwrap();
        let mut out = Vec::new();
        for chunk in input.chunks(block) {
            r.process(chunk, &mut |b| out.extend_from_slice(b));
        }
        r.finish(&mut |b| out.extend_from_slice(b));
        out
    }

    #[test]
    fn a_tone_keeps_its_timing_and_length_across_rates() {
        for (from, to) in [(44_100, 16_000), (8_000, 16_000), (48_000, 16_000), (16_000, 8_000)] {
            // Silence, then a 1 kHz tone starting at exactly 0.25 s.
            let n = from as usize;
            let start = from as usize / 4;
            let input: Vec<f32> = (0..n)
                .map(|i| {
                    if i >= start {
                        (2.0 * std::f32::consts::PI * 1000.0 * (i - start) as f32 / from as f32).sin() * 0.5
                    } else {
                        0.0
                    }
                })
                .collect();
            let out = convert(from, to, &input, 333);
            assert_eq!(out.len(), to as usize, "{from}→{to}");
            let first = out.iter().position(|v| v.abs() > 0.1).unwrap();
            let expected = to as usize / 4;
            assert!((first as i64 - expected as i64).abs() <= 3, "{from}→{to}: onset at {first}, expected {expected}");
        }
    }
}
