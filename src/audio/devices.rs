//! The machine's audio devices, in names a person recognises, and finding the one they asked for.

use cpal::traits::{DeviceTrait, HostTrait};

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("no audio system is available ({0}); on Linux, start PulseAudio or PipeWire, or check ALSA")]
    NoHost(String),
    #[error("no {0} device found: connect one, or pick one with --{0} NAME (list them with `ivr-designer devices`)")]
    NoDefault(&'static str),
    #[error("no {kind} device matches \"{name}\"; {kind} devices: {available}")]
    NoMatch { kind: &'static str, name: String, available: String },
    #[error("\"{name}\" matches several {kind} devices: {matches}; give more of the name")]
    Ambiguous { kind: &'static str, name: String, matches: String },
    #[error("{0}")]
    Audio(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceInfo {
    pub name: String,
    /// The system's identifier (what `--input`/`--output` also accept).
    pub id: String,
    pub is_default: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeviceList {
    pub inputs: Vec<DeviceInfo>,
    pub outputs: Vec<DeviceInfo>,
}

fn host() -> cpal::Host {
    // With the `pulseaudio` feature this is PulseAudio (or PipeWire's Pulse server) when one runs, ALSA otherwise.
    cpal::default_host()
}

fn info(d: &cpal::Device, default_id: Option<&str>) -> DeviceInfo {
    let id = d.id().map(|i| i.to_string()).unwrap_or_default();
    let name = d.description().map(|x| x.name().to_owned()).unwrap_or_else(|_| id.clone());
    DeviceInfo { is_default: default_id == Some(id.as_str()), name, id }
}

pub fn list_devices() -> Result<DeviceList, DeviceError> {
    let host = host();
    let default_in = host.default_input_device().and_then(|d| d.id().ok()).map(|i| i.to_string());
    let default_out = host.default_output_device().and_then(|d| d.id().ok()).map(|i| i.to_string());
    let inputs = host
        .input_devices()
        .map_err(|e| DeviceError::NoHost(e.to_string()))?
        .map(|d| info(&d, default_in.as_deref()))
        .collect();
    let outputs = host
        .output_devices()
        .map_err(|e| DeviceError::NoHost(e.to_string()))?
        .map(|d| info(&d, default_out.as_deref()))
        .collect();
    Ok(DeviceList { inputs, outputs })
}

/// The input device named `name` (exactly, or a unique case-insensitive part of its name or id), or the default.
pub fn find_input(name: Option<&str>) -> Result<cpal::Device, DeviceError> {
    let host = host();
    match name {
        None => host.default_input_device().ok_or(DeviceError::NoDefault("input")),
        Some(n) => pick("input", n, host.input_devices().map_err(|e| DeviceError::NoHost(e.to_string()))?.collect()),
    }
}

pub fn find_output(name: Option<&str>) -> Result<cpal::Device, DeviceError> {
    let host = host();
    match name {
        None => host.default_output_device().ok_or(DeviceError::NoDefault("output")),
        Some(n) => pick("output", n, host.output_devices().map_err(|e| DeviceError::NoHost(e.to_string()))?.collect()),
    }
}

fn pick(kind: &'static str, wanted: &str, devices: Vec<cpal::Device>) -> Result<cpal::Device, DeviceError> {
    let described: Vec<(DeviceInfo, cpal::Device)> = devices.into_iter().map(|d| (info(&d, None), d)).collect();
    if let Some(i) = described.iter().position(|(d, _)| d.name == wanted || d.id == wanted) {
        return Ok(described.into_iter().nth(i).map(|(_, d)| d).expect("the index was just found"));
    }
    let lower = wanted.to_lowercase();
    let mut matches: Vec<(DeviceInfo, cpal::Device)> = described
        .iter()
        .filter(|(d, _)| d.name.to_lowercase().contains(&lower) || d.id.to_lowercase().contains(&lower))
        .map(|(d, dev)| (d.clone(), dev.clone()))
        .collect();
    match matches.len() {
        1 => Ok(matches.remove(0).1),
        0 => Err(DeviceError::NoMatch {
            kind,
            name: wanted.to_owned(),
            available: names(described.iter().map(|(d, _)| d)),
        }),
        _ => Err(DeviceError::Ambiguous {
            kind,
            name: wanted.to_owned(),
            matches: names(matches.iter().map(|(d, _)| d)),
        }),
    }
}

fn names<'a>(devices: impl Iterator<Item = &'a DeviceInfo>) -> String {
    let v: Vec<String> = devices.map(|d| format!("\"{}\"", d.name)).collect();
    if v.is_empty() { "none".into() } else { v.join(", ") }
}
