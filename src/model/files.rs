//! Flow files: RON with a format version, read with line/column errors, written atomically.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use serde::Deserialize;

use super::flow::{FORMAT_VERSION, Flow};

/// Why a flow file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FlowFileError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax { path: PathBuf, line: usize, column: usize, message: String },
    #[error(
        "{}: flow format version {found} was written by a newer ivr-designer; this build reads version {FORMAT_VERSION}",
        path.display()
    )]
    NewerVersion { path: PathBuf, found: u32 },
}

/// A parse error in flow text, before it is tied to a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

fn ron_options() -> ron::Options {
    // `implicit_some` lets a file say `maxSilenceTimeoutInSeconds: 5` rather than `Some(5)`;
    // `unwrap_variant_newtypes` lets it say `Record(name: ...)` rather than `Record((name: ...))`.
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
        .with_recursion_limit(64)
}

fn parse_error(text: &str, e: ron::error::SpannedError) -> ParseError {
    let (line, column) = (e.span.start.line, e.span.start.col);
    let mut message = describe_ron_error(&e.code);
    let found = found_at(text, line, column);
    if !found.is_empty()
        && !matches!(e.code, ron::Error::NoSuchStructField { .. } | ron::Error::MissingStructField { .. })
    {
        message = format!("{message}, found `{found}`");
        if found.starts_with('.') && found[1..].starts_with(|c: char| c.is_ascii_digit()) {
            message.push_str(" (this number must be a whole number: Graph's timers are integers)");
        }
    }
    ParseError { line, column, message }
}

/// A short excerpt of the text at a 1-based line and column, to show what the parser tripped on.
fn found_at(text: &str, line: usize, column: usize) -> String {
    let Some(l) = text.lines().nth(line.saturating_sub(1)) else { return String::new() };
    l.chars().skip(column.saturating_sub(1)).take(24).collect::<String>().trim_end().to_owned()
}

/// ron's messages use Rust's vocabulary; say what a person editing the file needs.
fn describe_ron_error(code: &ron::Error) -> String {
    match code {
        ron::Error::NoSuchStructField { expected, found, outer } => {
            let within = outer.as_deref().map(|o| format!(" in {o}")).unwrap_or_default();
            format!("unknown field `{found}`{within}; expected one of: {}", expected.join(", "))
        }
        ron::Error::MissingStructField { field, outer } => {
            let within = outer.as_deref().map(|o| format!(" in {o}")).unwrap_or_default();
            format!("missing field `{field}`{within}")
        }
        other => other.to_string(),
    }
}

/// Only the version, read leniently, so a newer file is reported as newer rather than as a pile of unknown fields.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VersionProbe {
    format_version: Option<u32>,
}

/// Parse flow text.
pub fn parse_flow(text: &str) -> Result<Flow, ParseError> {
    ron_options().from_str::<Flow>(text).map_err(|e| parse_error(text, e))
}

/// Read a flow file.
pub fn load_flow(path: &Path) -> Result<Flow, FlowFileError> {
    let text = fs::read_to_string(path).map_err(|source| FlowFileError::Read { path: path.to_owned(), source })?;
    if let Ok(VersionProbe { format_version: Some(found) }) = ron_options().from_str::<VersionProbe>(&text)
        && found > FORMAT_VERSION
    {
        return Err(FlowFileError::NewerVersion { path: path.to_owned(), found });
    }
    parse_flow(&text).map_err(|e| FlowFileError::Syntax {
        path: path.to_owned(),
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// The flow as RON text, in the shape the shipped flows use.
pub fn flow_to_ron(flow: &Flow) -> String {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .extensions(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES);
    let body = ron::ser::to_string_pretty(flow, config)
        .expect("a flow holds only strings, numbers, bools, lists and maps, which RON always serialises");
    // The header makes the file readable by any RON tool, not only by ours (which enables these by default).
    format!("#![enable(implicit_some, unwrap_variant_newtypes)]\n{body}\n")
}

/// Save a flow atomically: the old file stays intact if anything fails.
pub fn save_flow(path: &Path, flow: &Flow) -> io::Result<()> {
    let text = flow_to_ron(flow);
    write_atomically(path, |file| file.write_all(text.as_bytes()))
}

/// Write a file by writing a temporary file beside it, syncing it, then renaming it over the target.
/// If `write` fails, the temporary file is removed and the target is untouched.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut fs::File) -> io::Result<()>) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".ivr-designer-").suffix(".tmp").tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
