//! The device callbacks move samples and update counters, and do nothing else: no allocation, no free
//! (assert_no_alloc aborts the test binary if they do).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use assert_no_alloc::{AllocDisabler, assert_no_alloc};
use ivr_designer::audio::realtime::{InputSide, OutputSide, SharedStats};

#[global_allocator]
static ALLOCATOR: AllocDisabler = AllocDisabler;

#[test]
fn the_input_callback_downmixes_queues_and_counts_without_allocating() {
    let stats = Arc::new(SharedStats::default());
    let (producer, mut consumer) = rtrb::RingBuffer::new(64);
    let (arrivals, mut arrived) = rtrb::RingBuffer::new(8);
    let mut side = InputSide { samples: producer, arrivals, channels: 2, stats: stats.clone() };
    let stereo_i16: Vec<i16> = (0..100).flat_map(|i| [i * 100, -i * 100 + 50]).collect();
    let stereo_f32 = vec![0.5f32; 200];
    assert_no_alloc(|| {
        side.on_input(&stereo_i16); // 100 frames: more than the queue holds
        side.on_input(&stereo_f32);
    });
    assert_eq!(stats.input_frames.load(Ordering::Relaxed), 200);
    assert_eq!(stats.input_overruns.load(Ordering::Relaxed), 200 - 64, "every dropped sample is counted");
    assert!((consumer.pop().unwrap() - 25.0 / 32768.0).abs() < 1e-6, "the two channels are averaged");
    assert_eq!(arrived.pop().unwrap().0, 100);
    assert_eq!(arrived.pop().unwrap().0, 200);
    assert!((stats.peak() - 0.5).abs() < 1e-6);
}

#[test]
fn the_output_callback_plays_queued_audio_then_silence_and_counts_underruns_while_playing() {
    let stats = Arc::new(SharedStats::default());
    let (mut producer, consumer) = rtrb::RingBuffer::new(64);
    let mut side = OutputSide { samples: consumer, channels: 2, stats: stats.clone() };
    for _ in 0..10 {
        producer.push(0.25f32).unwrap();
    }
    let mut out = vec![1.0f32; 40];
    let mut out16 = vec![7i16; 8];
    stats.playing.store(true, Ordering::Relaxed);
    assert_no_alloc(|| {
        side.on_output(&mut out);
        side.on_output(&mut out16);
    });
    assert!(out[..20].iter().all(|&s| s == 0.25) && out[20..].iter().all(|&s| s == 0.0), "{out:?}");
    assert_eq!(out16, vec![0; 8]);
    assert_eq!(stats.output_underruns.load(Ordering::Relaxed), 2);
    stats.playing.store(false, Ordering::Relaxed);
    side.on_output(&mut out);
    assert_eq!(stats.output_underruns.load(Ordering::Relaxed), 2, "silence between prompts is not an underrun");
}
