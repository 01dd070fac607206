//! Listening in the app: prompts (with the beep after them) and takes played through an output device with rodio.
//!
//! The device is opened on the speaker's own thread the first time something is played, so the window never waits
//! for the audio system; the UI only sends requests and reads the status.

use std::num::NonZero;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::devices::find_output;

/// Mono audio to play.
#[derive(Clone, Debug)]
pub struct Clip {
    /// What is playing, in words ("prompt greeting + beep", a take's file name).
    pub label: String,
    pub samples: Arc<[f32]>,
    pub sample_rate: u32,
}

impl Clip {
    pub fn duration_ms(&self) -> f64 {
        self.samples.len() as f64 * 1000.0 / self.sample_rate as f64
    }
}

/// What the speaker is doing, for the UI.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpeakerStatus {
    /// The clip playing (its label), if one is.
    pub playing: Option<String>,
    /// Where in that clip, ms.
    pub position_ms: f64,
    /// The last problem (no device, device lost), in words with what to do.
    pub error: Option<String>,
}

enum Request {
    Play {
        clip: Clip,
        from_ms: f64,
    },
    /// The next piece of a call being listened to as it happens (16 kHz mono), queued after the last.
    Stream(Vec<f32>),
    Stop,
    UseDevice(Option<String>),
}

pub struct Speaker {
    requests: Sender<Request>,
    status: Arc<Mutex<SpeakerStatus>>,
}

impl Default for Speaker {
    fn default() -> Self {
        Self::new()
    }
}

impl Speaker {
    pub fn new() -> Self {
        let (requests, rx) = mpsc::channel();
        let status = Arc::new(Mutex::new(SpeakerStatus::default()));
        let shared = status.clone();
        let spawned = std::thread::Builder::new().name("speaker".into()).spawn(move || speaker_thread(rx, shared));
        if let Err(e) = spawned {
            status.lock().unwrap_or_else(|p| p.into_inner()).error = Some(format!("cannot start playback: {e}"));
        }
        Speaker { requests, status }
    }

    /// Play `clip` from `from_ms`, replacing whatever plays.
    pub fn play(&self, clip: Clip, from_ms: f64) {
        let _ = self.requests.send(Request::Play { clip, from_ms });
    }

    pub fn stop(&self) {
        let _ = self.requests.send(Request::Stop);
    }

    /// A handle that feeds a call's audio to this speaker as it happens (from the engine's thread).
    pub fn feed(&self) -> SpeakerFeed {
        SpeakerFeed(self.requests.clone())
    }

    /// Play through this output device from now on (`None`: the system's default).
    pub fn use_device(&self, name: Option<String>) {
        let _ = self.requests.send(Request::UseDevice(name));
    }

    pub fn status(&self) -> SpeakerStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Feeds audio to a speaker piece by piece (listening to a replayed call in real time).
#[derive(Clone)]
pub struct SpeakerFeed(Sender<Request>);

impl SpeakerFeed {
    pub fn send(&self, samples: Vec<f32>) {
        let _ = self.0.send(Request::Stream(samples));
    }
}

struct Output {
    // Kept for as long as the speaker lives: the device stream plays the player's mix.
    _sink: rodio::MixerDeviceSink,
    player: rodio::Player,
}

fn open(device: Option<&str>) -> Result<Output, String> {
    let device = find_output(device).map_err(|e| e.to_string())?;
    let mut sink = rodio::DeviceSinkBuilder::from_device(device)
        .and_then(|b| b.open_stream())
        .map_err(|e| format!("cannot open the output device: {e}"))?;
    sink.log_on_drop(false);
    let player = rodio::Player::connect_new(sink.mixer());
    Ok(Output { _sink: sink, player })
}

/// What the speaker says it plays while a call is fed to it.
pub const LIVE_LABEL: &str = "the call, as it happens";

fn speaker_thread(requests: Receiver<Request>, status: Arc<Mutex<SpeakerStatus>>) {
    let mut device: Option<String> = None;
    let mut output: Option<Output> = None;
    let mut current: Option<(String, f64)> = None;
    let mut feeding: Option<rtrb::Producer<f32>> = None;
    let set = |f: &mut dyn FnMut(&mut SpeakerStatus)| f(&mut status.lock().unwrap_or_else(|p| p.into_inner()));
    loop {
        let request = requests.recv_timeout(Duration::from_millis(30));
        // The device is opened when there is first something to play (and again after a change of device).
        if matches!(request, Ok(Request::Play { .. } | Request::Stream(_))) && output.is_none() {
            match open(device.as_deref()) {
                Ok(o) => output = Some(o),
                Err(e) => {
                    set(&mut |s| s.error = Some(e.clone()));
                    continue;
                }
            }
        }
        match request {
            Ok(Request::Play { clip, from_ms }) => {
                feeding = None;
                let Some(out) = &output else { continue };
                out.player.stop();
                let start = ((from_ms.max(0.0) / 1000.0 * clip.sample_rate as f64) as usize).min(clip.samples.len());
                let (Some(channels), Some(rate)) = (NonZero::new(1u16), NonZero::new(clip.sample_rate)) else {
                    continue;
                };
                out.player.append(rodio::buffer::SamplesBuffer::new(channels, rate, clip.samples[start..].to_vec()));
                out.player.play();
                current = Some((clip.label.clone(), start as f64 * 1000.0 / clip.sample_rate as f64));
                set(&mut |s| s.error = None);
            }
            Ok(Request::Stream(samples)) => {
                let Some(out) = &output else { continue };
                // One source for the whole call, fed through a queue: pieces appended as separate sources would
                // each restart rodio's conversion and click at every joint.
                if current.as_ref().is_none_or(|(label, _)| label != LIVE_LABEL) || feeding.is_none() {
                    out.player.stop();
                    let (producer, source) = StreamSource::new();
                    out.player.append(source);
                    out.player.play();
                    feeding = Some(producer);
                    current = Some((LIVE_LABEL.to_owned(), 0.0));
                }
                if let Some(producer) = feeding.as_mut() {
                    for x in samples {
                        // A full queue (over 10 s behind) drops the newest audio rather than block the call.
                        let _ = producer.push(x);
                    }
                }
            }
            Ok(Request::Stop) => {
                feeding = None;
                if let Some(out) = &output {
                    out.player.stop();
                }
                current = None;
            }
            Ok(Request::UseDevice(name)) => {
                if name != device {
                    device = name;
                    // cpal's PulseAudio streams can hang when dropped: leave the old one to the process's end.
                    if let Some(old) = output.take() {
                        old.player.stop();
                        std::mem::forget(old);
                    }
                    current = None;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                if let Some(out) = output.take() {
                    out.player.stop();
                    std::mem::forget(out);
                }
                return;
            }
        }
        let playing = match (&output, &current) {
            (Some(out), Some((label, from))) if !out.player.empty() => {
                Some((label.clone(), from + out.player.get_pos().as_secs_f64() * 1000.0))
            }
            _ => None,
        };
        if playing.is_none() {
            current = None;
        }
        set(&mut |s| {
            s.playing = playing.as_ref().map(|(l, _)| l.clone());
            s.position_ms = playing.as_ref().map_or(0.0, |(_, p)| *p);
        });
    }
}

/// A call being listened to as it happens: samples come through a lock-free queue; silence while it is empty; the
/// source ends once its feeder is gone and the queue is played out.
struct StreamSource {
    queue: rtrb::Consumer<f32>,
}

impl StreamSource {
    fn new() -> (rtrb::Producer<f32>, StreamSource) {
        let (producer, queue) = rtrb::RingBuffer::new(16_000 * 10);
        (producer, StreamSource { queue })
    }
}

impl Iterator for StreamSource {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        match self.queue.pop() {
            Ok(x) => Some(x),
            Err(_) if self.queue.is_abandoned() => None,
            Err(_) => Some(0.0),
        }
    }
}

impl rodio::Source for StreamSource {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        NonZero::new(1).expect("one channel")
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        NonZero::new(16_000).expect("16 kHz")
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}
