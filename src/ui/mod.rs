//! The designer window (eframe/egui): compose, tune, validate and export flows. One file per panel.

pub mod app;
pub mod autosave;
pub mod canvas;
pub mod commands;
pub mod dialogs;
pub mod document;
pub mod export_panel;
pub mod inspector;
pub mod prompt_studio;
pub mod prompts_panel;
pub mod result_panel;
pub mod run_panel;
pub mod run_state;
mod run_view;
pub mod steps_panel;
pub mod style;
pub mod takes_panel;
pub mod timeline_view;
mod window;

pub use app::DesignerApp;
pub use window::{WindowOptions, run_window};
