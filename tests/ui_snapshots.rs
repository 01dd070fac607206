//! Snapshot images of the designer in both themes, rendered on the CPU (wgpu on Mesa's lavapipe) and compared with
//! the committed PNGs in tests/snapshots/. After an intended change of look: `UPDATE_SNAPSHOTS=1 cargo test --test
//! ui_snapshots`, look at the new images, and commit them.

mod common;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ivr_designer::ui::DesignerApp;

fn designer(dark: bool) -> Harness<'static, DesignerApp> {
    let mut app = DesignerApp::open(&common::repo().join("flows/voicemail.ron")).unwrap();
    app.dark = dark;
    let mut h = Harness::builder().with_size(egui::vec2(1280.0, 800.0)).wgpu().build_ui_state(
        |ui, app: &mut DesignerApp| {
            ui.ctx().set_visuals(if app.dark { egui::Visuals::dark() } else { egui::Visuals::light() });
            app.ui(ui)
        },
        app,
    );
    h.run();
    h
}

#[test]
fn the_dark_designer_looks_as_committed() {
    designer(true).snapshot("designer-dark");
}

#[test]
fn the_light_designer_looks_as_committed() {
    designer(false).snapshot("designer-light");
}

#[test]
fn a_timeout_error_looks_as_committed() {
    let mut h = designer(false);
    h.get_by_label("API profile").click();
    h.run();
    h.get_by_label("v1.0-recordResponse").click();
    h.run();
    h.get_by_label("Max silence timeout (s)").focus();
    h.run();
    h.key_press(egui::Key::Backspace);
    h.get_by_label("Max silence timeout (s)").type_text("200");
    h.run();
    h.get_by_label("⛔ Error:");
    h.snapshot("designer-light-v1-error");
}
