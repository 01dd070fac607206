//! The run view with real (virtual) devices: a private PulseAudio server's FIFO microphone and null-sink speaker.
//! One test in this binary: it points the whole process at that server.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::pulse::PulseServer;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ivr_designer::engine::EventKind;
use ivr_designer::ui::DesignerApp;
use ivr_designer::ui::commands::{Command, RunCommand};
use ivr_designer::ui::run_state::{CallerChoice, RunSettings};

fn step_until(h: &mut Harness<'static, DesignerApp>, what: &str, seconds: u64, done: impl Fn(&DesignerApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !done(h.state()) {
        assert!(Instant::now() < deadline, "waited {seconds} s for {what}");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_microphone_run_from_the_window_shows_the_caller_live_and_cancel_keeps_the_take() {
    let server = PulseServer::start();
    for (k, v) in server.env() {
        // SAFETY: this binary's only test sets these before any other thread reads the environment.
        unsafe { std::env::set_var(k, v) };
    }
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_flow("voicemail.ron", dir.path());

    // The caller waits for the greeting and the beep, then speaks (and keeps the line open).
    let mut voice = vec![0.0f32; 16_000 * 6];
    voice.extend(common::speech_fixture("message-en.wav"));
    let (go, stop) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
    let mic = {
        let (fifo, go, stop) = (server.fifo(), go.clone(), stop.clone());
        std::thread::spawn(move || common::pulse::speak_until(&fifo, &voice, &go, &stop))
    };

    let app = DesignerApp::open(&path).unwrap();
    let mut h = common::window(app);
    h.get_by_label("▶ Run & listen").click();
    h.run();
    h.state_mut().apply(Command::Run(RunCommand::Settings(RunSettings {
        caller: CallerChoice::Microphone,
        input_device: Some("ivr_mic".into()),
        output_device: Some("ivr_sink".into()),
        ..RunSettings::default()
    })));
    h.run();
    h.get_by_label("▶ Run").click();
    h.step();
    go.store(true, Ordering::Relaxed);

    // Live: the operation's phases appear as they happen, and the meter moves while the caller speaks.
    step_until(&mut h, "the recording to start", 20, |a| {
        a.run.operations.first().is_some_and(|o| o.event_time(&EventKind::RecordingStarted).is_some())
    });
    h.get_by_label_contains("record-message — Recording");
    let mut loudest = 0.0f32;
    step_until(&mut h, "the caller's speech", 20, |a| {
        a.run.operations.first().is_some_and(|o| o.event_time(&EventKind::SpeechStarted).is_some())
    });
    for _ in 0..50 {
        h.step();
        loudest = loudest.max(h.state().run.meter);
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(20.0 * loudest.log10() > -30.0, "the level meter shows the caller: {loudest}");
    assert!(h.state().run.is_running());

    h.get_by_label("⏹ Cancel").click();
    step_until(&mut h, "the run to finish", 20, |a| !a.run.is_running());
    stop.store(true, Ordering::Relaxed);
    mic.join().unwrap();
    h.run();

    let run = &h.state().run;
    assert_eq!(run.error, None);
    assert_eq!(run.operations[0].reason(), Some("operationCanceled"));
    assert_eq!(run.stopped.as_deref(), Some("cancelled"));
    let take = &run.takes.entries[0];
    assert_eq!(take.reason, "operationCanceled");
    assert!(take.speech_ms > 0.0 && dir.path().join("takes").join(&take.file).exists(), "the take so far is kept");
    h.get_by_label_contains("Completed: operationCanceled at");
}
