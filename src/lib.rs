//! ivr-designer: design, run and export Microsoft Graph record steps for voice bots.

pub mod audio;
pub mod cli;
pub mod dsp;
pub mod engine;
pub mod media;
pub mod model;
pub mod ui;
