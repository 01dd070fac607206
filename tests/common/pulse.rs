//! A private, user-space PulseAudio server for live-audio tests: a null sink as the speaker and a FIFO as the
//! microphone (see shared/guide/testing.md, tier 3). Stopped and removed when dropped.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct PulseServer {
    pub dir: tempfile::TempDir,
    child: Child,
}

impl PulseServer {
    pub fn start() -> Self {
        let dir = tempfile::Builder::new().prefix("ivr-pulse").tempdir().expect("a temporary folder");
        let d = dir.path().display().to_string();
        let script = format!(
            "load-module module-native-protocol-unix auth-anonymous=1 socket={d}/native\n\
             load-module module-null-sink sink_name=ivr_sink rate=16000 channels=1 format=s16le\n\
             load-module module-pipe-source source_name=ivr_mic file={d}/mic.fifo format=s16le rate=16000 channels=1\n\
             set-default-sink ivr_sink\n\
             set-default-source ivr_mic\n"
        );
        std::fs::write(dir.path().join("test.pa"), script).expect("write test.pa");
        let mut cmd = Command::new("pulseaudio");
        cmd.args(["--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "-n", "-F"])
            .arg(dir.path().join("test.pa"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in env_for(&d) {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start pulseaudio (install it: apt-get install pulseaudio)");
        let server = PulseServer { dir, child };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !(server.dir.path().join("native").exists() && server.fifo().exists()) {
            assert!(Instant::now() < deadline, "pulseaudio did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// Environment that points a client at this server.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        env_for(&self.dir.path().display().to_string())
    }

    pub fn fifo(&self) -> PathBuf {
        self.dir.path().join("mic.fifo")
    }

    /// Run `pactl` against this server.
    pub fn pactl(&self, args: &[&str]) -> bool {
        let mut cmd = Command::new("pactl");
        cmd.args(args).stdout(Stdio::null()).stderr(Stdio::null());
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        cmd.status().is_ok_and(|s| s.success())
    }
}

/// What reaches the test speaker (the null sink), recorded from its monitor until `finish`.
pub struct SpeakerRecording {
    parec: Child,
    reader: std::thread::JoinHandle<Vec<u8>>,
}

impl PulseServer {
    /// Start recording the speaker (`parec` with 20 ms latency, so stopping it loses no tail).
    pub fn record_speaker(&self) -> SpeakerRecording {
        let mut cmd = Command::new("parec");
        cmd.args(["-d", "ivr_sink.monitor", "--raw", "--format=s16le", "--rate=16000", "--channels=1"])
            .arg("--latency-msec=20");
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        let mut parec = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("parec (pulseaudio-utils)");
        let mut out = parec.stdout.take().expect("parec's output");
        let reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = std::io::Read::read_to_end(&mut out, &mut bytes);
            bytes
        });
        SpeakerRecording { parec, reader }
    }
}

impl SpeakerRecording {
    /// Stop, and return what was heard (16 kHz mono).
    pub fn finish(mut self) -> Vec<f32> {
        let _ = self.parec.kill();
        let _ = self.parec.wait();
        let bytes = self.reader.join().expect("the parec reader");
        bytes.chunks_exact(2).map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0).collect()
    }
}

/// Power of `frequency` in a 16 kHz `frame` (Goertzel), relative to the frame's total power.
pub fn share_at(frame: &[f32], frequency: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * frequency / 16_000.0;
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &x in frame {
        let s = f64::from(x) + 2.0 * w.cos() * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    let power = s1 * s1 + s2 * s2 - 2.0 * w.cos() * s1 * s2;
    let total: f64 = frame.iter().map(|&x| f64::from(x) * f64::from(x)).sum();
    if total <= 1e-9 { 0.0 } else { 2.0 * power / (total * frame.len() as f64) }
}

/// A microphone: silence at real-time pace (a microphone always delivers) until `go` is set, then `samples`, then
/// silence again until `stop` is set. In 20 ms pieces.
pub fn speak_until(
    fifo: &std::path::Path,
    samples: &[f32],
    go: &std::sync::atomic::AtomicBool,
    stop: &std::sync::atomic::AtomicBool,
) {
    use std::sync::atomic::Ordering::Relaxed;
    let Ok(mut fifo) = std::fs::OpenOptions::new().write(true).open(fifo) else { return };
    let silence = [0f32; 320];
    let start = Instant::now();
    let mut at = 0;
    for i in 0.. {
        if stop.load(Relaxed) {
            return;
        }
        let chunk = if go.load(Relaxed) && at < samples.len() {
            let c = &samples[at..(at + 320).min(samples.len())];
            at += c.len();
            c
        } else {
            &silence[..]
        };
        let bytes: Vec<u8> = chunk.iter().flat_map(|&s| ((s * 32767.0) as i16).to_le_bytes()).collect();
        if fifo.write_all(&bytes).is_err() {
            return;
        }
        let due = start + Duration::from_secs_f64(f64::from(i + 1) * 0.02);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
    }
}

fn env_for(d: &str) -> Vec<(&'static str, String)> {
    vec![
        ("XDG_RUNTIME_DIR", d.to_owned()),
        ("PULSE_RUNTIME_PATH", d.to_owned()),
        ("HOME", d.to_owned()),
        ("PULSE_SERVER", format!("unix:{d}/native")),
    ]
}

impl Drop for PulseServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
