//! Live audio devices behind the engine's `CallLine` trait: the caller from a microphone, prompts and the beep to
//! a speaker, through cpal. The only layer that knows about cpal.

pub mod devices;
pub mod live;
pub mod realtime;
pub mod recorder;
pub mod speaker;

pub use devices::{DeviceError, DeviceInfo, DeviceList, list_devices};
pub use live::{LiveDevices, LiveLine};
pub use speaker::{Clip, Speaker, SpeakerFeed, SpeakerStatus};
