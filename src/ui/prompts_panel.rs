//! The prompt library: each prompt's local file with its format and length, the URI and resourceId it exports,
//! and a one-click conversion of a file that is not in Graph's format (16 kHz, mono, 16-bit).

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::commands::Command;
use super::document::Document;
use super::style::diagnostic_ui;
use crate::dsp::resample::StreamResampler;
use crate::media::WavStream;
use crate::model::Place;

/// One change to one prompt of the library.
#[derive(Clone, Debug, PartialEq)]
pub enum PromptEdit {
    Uri(String),
    ResourceId(Option<String>),
    File(Option<String>),
}

pub fn prompts_ui(ui: &mut Ui, doc: &Document, commands: &mut Vec<Command>) {
    let (flow, report) = (&doc.flow, &doc.report);
    ui.horizontal(|ui| {
        if ui.button("➕ Add WAV files…").on_hover_text("Or drop WAV files onto the window").clicked() {
            commands.push(Command::Dialog(super::dialogs::DialogKind::AddPrompts));
        }
        if ui.button("🎙 Record a prompt…").clicked() {
            commands.push(Command::Studio(super::prompt_studio::StudioCommand::Open));
        }
    });
    for (i, prompt) in flow.prompts.iter().enumerate() {
        ui.push_id(("prompt", i), |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&prompt.id).strong());
                if ui.small_button("▶ Play").on_hover_text(format!("Play prompt {}", prompt.id)).clicked() {
                    commands.push(Command::PlayPrompt(i));
                }
            });
            let file = prompt.file.as_deref().unwrap_or("(no local file)");
            let format = doc.prompt_formats.get(i).and_then(Option::as_ref);
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(file).monospace());
                if let Some(Ok(f)) = &format {
                    ui.label(RichText::new(f.to_string()).weak());
                    if !f.is_graph_format()
                        && ui
                            .button("Convert to 16 kHz mono 16-bit")
                            .on_hover_text("Writes a converted copy beside it")
                            .clicked()
                    {
                        commands.push(Command::ConvertPrompt(i));
                    }
                }
            });
            let mut uri = prompt.uri.clone();
            ui.horizontal(|ui| {
                let l = ui.label("Export URI");
                if ui.add(egui::TextEdit::singleline(&mut uri).desired_width(320.0)).labelled_by(l.id).changed() {
                    commands.push(Command::EditPrompt(i, PromptEdit::Uri(uri.clone())));
                }
            });
            let mut id = prompt.resource_id.clone().unwrap_or_default();
            ui.horizontal(|ui| {
                let l = ui.label("Resource id");
                let edit =
                    egui::TextEdit::singleline(&mut id).desired_width(320.0).hint_text(prompt.effective_resource_id());
                if ui.add(edit).labelled_by(l.id).changed() {
                    commands.push(Command::EditPrompt(i, PromptEdit::ResourceId((!id.is_empty()).then(|| id.clone()))));
                }
            });
            for d in report.about(&Place::Prompt(prompt.id.clone())) {
                diagnostic_ui(ui, d);
            }
            ui.separator();
        });
    }
}

/// Convert a prompt file to Graph's format, written beside it as `NAME-16k.wav`; returns the new file's path.
pub fn convert_to_graph_format(source: &Path) -> Result<PathBuf, String> {
    let mut wav = WavStream::open(source).map_err(|e| e.to_string())?;
    let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("prompt");
    let target = source.with_file_name(format!("{stem}-16k.wav"));
    let mut resampler = StreamResampler::new(wav.sample_rate(), 16_000).map_err(|e| e.to_string())?;
    let mut samples = Vec::new();
    let mut block = vec![0f32; 8192];
    loop {
        let n = wav.read(&mut block).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        resampler.process(&block[..n], &mut |b| samples.extend_from_slice(b));
    }
    resampler.finish(&mut |b| samples.extend_from_slice(b));
    crate::media::write_graph_wav(&target, &samples).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    Ok(target)
}

/// A library entry for a WAV file the user added: its id from the file name (unique in the library), its file
/// relative to the flow's folder when it lies inside it, and an export URI beside the library's other prompts.
pub fn new_prompt(flow: &crate::model::Flow, flow_dir: &Path, file: &Path) -> Result<crate::model::Prompt, String> {
    crate::media::inspect_wav(file).map_err(|e| format!("{} cannot be a prompt: {e}", file.display()))?;
    let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "prompt.wav".into());
    let stem: String = file
        .file_stem()
        .map(|s| s.to_string_lossy().chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect())
        .unwrap_or_else(|| "prompt".into());
    let taken = |id: &str| flow.prompts.iter().any(|p| p.id == id);
    let id = if taken(&stem) {
        (2..).map(|k| format!("{stem}-{k}")).find(|n| !taken(n)).expect("an unused id exists")
    } else {
        stem
    };
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let dir = std::path::absolute(flow_dir).unwrap_or_else(|_| flow_dir.to_owned());
    let local = match absolute.strip_prefix(&dir) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => absolute.to_string_lossy().into_owned(),
    };
    let uri = match flow.prompts.iter().find_map(|p| p.uri.rsplit_once('/').filter(|(base, _)| base.contains("://"))) {
        Some((base, _)) => format!("{base}/{file_name}"),
        None => format!("https://example.com/prompts/{file_name}"),
    };
    Ok(crate::model::Prompt { id, file: Some(local), uri, resource_id: None })
}
