//! The native window around the app: theme, title, persistence, and `--screenshot`.

use std::path::PathBuf;

use super::app::DesignerApp;

pub struct WindowOptions {
    /// The flow to show; `None`: the one open last time, else `flows/voicemail.ron`, else a new flow.
    pub app: Option<DesignerApp>,
    /// Render a few frames, save a PNG of the window there, and exit.
    pub screenshot: Option<PathBuf>,
    /// Dark (true) or light (false); `None`: as last time (dark the first time).
    pub dark: Option<bool>,
    /// Open the run view and run the flow with this caller WAV.
    pub run: Option<PathBuf>,
}

/// What the window remembers between sessions (eframe also keeps its size, position and panel sizes).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Remembered {
    last_flow: Option<PathBuf>,
    dark: Option<bool>,
    #[serde(default)]
    recent: Vec<PathBuf>,
    #[serde(default)]
    retention_days: Option<u32>,
}

const REMEMBERED: &str = "ivr-designer";

fn starting_app(remembered: &Remembered) -> DesignerApp {
    let candidates = remembered.last_flow.iter().cloned().chain(std::iter::once(PathBuf::from("flows/voicemail.ron")));
    for path in candidates {
        if let Ok(app) = DesignerApp::open(&path) {
            return app;
        }
    }
    DesignerApp::new(crate::model::Flow::new("Untitled", crate::model::ApiProfile::BetaRecord), None)
}

struct Window {
    app: DesignerApp,
    screenshot: Option<PathBuf>,
    frames: u32,
    requested: bool,
    /// The user asked to close with unsaved changes: ask what to do with them.
    asking_to_close: bool,
    may_close: bool,
}

impl eframe::App for Window {
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let last_flow = self.app.doc.path.as_ref().map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()));
        let remembered = Remembered {
            last_flow,
            dark: Some(self.app.dark),
            recent: self.app.recent.clone(),
            retention_days: Some(self.app.run.settings.retention_days),
        };
        eframe::set_value(storage, REMEMBERED, &remembered);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        ctx.set_visuals(if self.app.dark { egui::Visuals::dark() } else { egui::Visuals::light() });
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(self.app.doc.title()));
        self.app.ui(ui);
        self.close_ui(ui);
        if let Some(path) = self.screenshot.clone() {
            // A run shown in the screenshot is finished first.
            self.frames = if self.app.run.is_running() || self.app.run_pending() { 0 } else { self.frames + 1 };
            let shot = ctx.input(|i| {
                i.events.iter().find_map(|e| match e {
                    egui::Event::Screenshot { image, .. } => Some(image.clone()),
                    _ => None,
                })
            });
            if let Some(image) = shot {
                if let Err(e) = save_png(&path, &image) {
                    eprintln!("error: cannot save the screenshot to {}: {e}", path.display());
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            } else if self.frames >= 5 && !self.requested {
                self.requested = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(egui::UserData::default()));
            }
            ctx.request_repaint();
        }
    }
}

impl Window {
    /// Closing with unsaved changes asks first: save, discard, or keep working.
    fn close_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.viewport().close_requested()) && self.app.doc.is_dirty() && !self.may_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.asking_to_close = true;
        }
        if !self.asking_to_close {
            return;
        }
        let mut choice = None;
        egui::Modal::new(egui::Id::new("close")).show(&ctx, |ui| {
            ui.heading("Save the changes to this flow?");
            ui.label("Your changes are lost if you close without saving.");
            ui.horizontal(|ui| {
                if self.app.doc.path.is_some() && ui.button("Save").clicked() {
                    choice = Some("save");
                }
                if ui.button("Close without saving").clicked() {
                    choice = Some("discard");
                }
                if ui.button("Cancel").clicked() {
                    choice = Some("cancel");
                }
            });
        });
        match choice {
            Some("save") => {
                self.app.apply(super::commands::Command::Save);
                if !self.app.doc.is_dirty() {
                    self.may_close = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                self.asking_to_close = false;
            }
            Some("discard") => {
                super::autosave::remove(self.app.doc.path.as_deref());
                self.may_close = true;
                self.asking_to_close = false;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(_) => self.asking_to_close = false,
            None => {}
        }
    }
}

fn save_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(w as u32, h as u32, bytes).ok_or("the screenshot has a wrong size")?;
    buffer.save(path).map_err(|e| e.to_string())
}

/// Open the window and run until it closes.
pub fn run_window(options: WindowOptions) -> Result<(), String> {
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]).with_title("ivr-designer"),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "ivr-designer",
        native,
        Box::new(move |cc| {
            let remembered: Remembered = cc.storage.and_then(|s| eframe::get_value(s, REMEMBERED)).unwrap_or_default();
            let mut app = options.app.unwrap_or_else(|| starting_app(&remembered));
            app.dark = options.dark.or(remembered.dark).unwrap_or(true);
            app.recent = remembered.recent.into_iter().filter(|p| p.exists()).collect();
            if let Some(days) = remembered.retention_days {
                app.run.settings.retention_days = days;
            }
            if let Some(caller) = options.run {
                app.start_run_with(caller, options.screenshot.is_none());
            }
            Ok(Box::new(Window {
                app,
                screenshot: options.screenshot,
                frames: 0,
                requested: false,
                asking_to_close: false,
                may_close: false,
            }))
        }),
    )
    .map_err(|e| format!("{e}. The window needs a display: on a machine without one, run it under xvfb-run"))
}
