//! Listening along to a replayed call: the prompt, the beep and the caller reach the speaker as the call happens.
//! One test in this binary: it points the whole process at a private PulseAudio server.

mod common;

use std::time::{Duration, Instant};

use common::pulse::{PulseServer, share_at};
use ivr_designer::ui::DesignerApp;
use ivr_designer::ui::commands::{Command, RunCommand};
use ivr_designer::ui::run_state::RunSettings;

#[test]
fn a_real_time_replay_plays_the_prompt_and_the_beep_on_the_speaker() {
    let server = PulseServer::start();
    for (k, v) in server.env() {
        // SAFETY: this binary's only test sets these before any other thread reads the environment.
        unsafe { std::env::set_var(k, v) };
    }
    let dir = tempfile::tempdir().unwrap();
    let app = DesignerApp::open(&common::copy_flow("voicemail.ron", dir.path())).unwrap();
    let mut h = common::window(app);

    let recording = server.record_speaker();

    // The caller says nothing and hangs up 7 s in: after the 5.3 s greeting and the beep.
    h.state_mut().apply(Command::Run(RunCommand::Settings(RunSettings {
        caller_wav: Some(common::repo().join("flows/callers/leaves-a-message.wav")),
        hang_up_at_s: Some(7.0),
        real_time: true,
        output_device: Some("ivr_sink".into()),
        ..RunSettings::default()
    })));
    h.state_mut().apply(Command::Run(RunCommand::Start));
    let deadline = Instant::now() + Duration::from_secs(30);
    h.step();
    while h.state().run.is_running() {
        assert!(Instant::now() < deadline, "the run did not finish");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    // The speaker is a head start and a device buffer behind the call.
    std::thread::sleep(Duration::from_millis(1000));
    let heard = recording.finish();
    let frames: Vec<&[f32]> = heard.chunks_exact(320).collect();

    let beep: Vec<usize> = (0..frames.len()).filter(|&i| share_at(frames[i], 1000.0) > 0.8).collect();
    assert!((12..=16).contains(&beep.len()), "the 0.3 s beep reached the speaker: {} frames", beep.len());
    // Before the beep, the greeting: ~5 s of voice.
    let loud = |f: &[f32]| f.iter().fold(0f32, |m, x| m.max(x.abs())) > 0.02;
    let voiced = frames[..beep[0]].iter().filter(|f| loud(f)).count();
    assert!(voiced * 20 > 3_000, "the greeting reached the speaker before the beep: {} ms of sound", voiced * 20);
}
