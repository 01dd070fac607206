//! How things look: validation messages with an icon *and* a colour (readable without colour vision), themes,
//! and JSON with syntax colours.

use egui::text::LayoutJob;
use egui::{Color32, FontId, RichText, TextFormat, Ui};

use crate::model::{Diagnostic, Severity};

pub fn error_colour(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(0xff, 0x80, 0x80) } else { Color32::from_rgb(0xc6, 0x28, 0x28) }
}

pub fn warning_colour(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(0xff, 0xc8, 0x57) } else { Color32::from_rgb(0x9a, 0x60, 0x00) }
}

/// One validation message: "⛔ error" or "⚠ warning", the field, and what to do.
pub fn diagnostic_ui(ui: &mut Ui, d: &Diagnostic) {
    let dark = ui.visuals().dark_mode;
    let (icon, word, colour) = match d.severity {
        Severity::Error => ("⛔", "Error", error_colour(dark)),
        Severity::Warning => ("⚠", "Warning", warning_colour(dark)),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{icon} {word}:")).color(colour).strong());
        ui.label(RichText::new(format!("{} = {}: {}", d.field, d.value, d.message)).color(colour));
    });
}

/// Pretty JSON with keys, strings, numbers and literals in different colours.
pub fn json_layout(text: &str, dark: bool, wrap_width: f32) -> LayoutJob {
    let font = FontId::monospace(12.5);
    let (key, string, number, plain) = if dark {
        (
            Color32::from_rgb(0x9c, 0xdc, 0xfe),
            Color32::from_rgb(0xce, 0x91, 0x78),
            Color32::from_rgb(0xb5, 0xce, 0xa8),
            Color32::from_gray(0xd0),
        )
    } else {
        (
            Color32::from_rgb(0x00, 0x45, 0x9e),
            Color32::from_rgb(0xa3, 0x15, 0x15),
            Color32::from_rgb(0x09, 0x86, 0x58),
            Color32::from_gray(0x30),
        )
    };
    let mut job = LayoutJob::default();
    job.wrap.max_width = wrap_width;
    let mut push =
        |s: &str, c: Color32| job.append(s, 0.0, TextFormat { font_id: font.clone(), color: c, ..Default::default() });
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            let s: String = chars[start..i].iter().collect();
            let is_key = chars[i..].iter().find(|c| !c.is_whitespace()) == Some(&':');
            push(&s, if is_key { key } else { string });
        } else if c.is_ascii_digit() || c == '-' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || ".-+".contains(chars[i])) {
                i += 1;
            }
            push(&chars[start..i].iter().collect::<String>(), number);
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            push(&chars[start..i].iter().collect::<String>(), number);
        } else {
            let start = i;
            while i < chars.len() && !(chars[i] == '"' || chars[i].is_alphanumeric() || chars[i] == '-') {
                i += 1;
            }
            push(&chars[start..i].iter().collect::<String>(), plain);
        }
    }
    job
}

/// JSON shown read-only with syntax colours, named for screen readers by the label `labelled_by`.
pub fn json_view(ui: &mut egui::Ui, json: &str, labelled_by: egui::Id) {
    let dark = ui.visuals().dark_mode;
    let mut shown = json;
    let mut layouter = |ui: &egui::Ui, text: &dyn egui::TextBuffer, wrap: f32| {
        ui.fonts_mut(|f| f.layout_job(json_layout(text.as_str(), dark, wrap)))
    };
    ui.add(egui::TextEdit::multiline(&mut shown).code_editor().desired_width(f32::INFINITY).layouter(&mut layouter))
        .labelled_by(labelled_by);
}
