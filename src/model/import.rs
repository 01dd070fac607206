//! A Graph record request body (JSON) becomes a record step and the prompts it plays.
//!
//! Nothing is dropped silently: every property the model does not carry is reported by name, and every
//! normalisation (a `playBeep` made explicit, a generated `resourceId`) is reported too.

use serde_json::{Map, Value};

use super::export::MEDIA_PROMPT_TYPE;
use super::flow::{FORMAT_VERSION, Flow, Prompt, RecordStep, Step};
use super::profile::ApiProfile;

/// Why a JSON document cannot be imported as a record request.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    NotJson { line: usize, column: usize, message: String },
    #[error("a Graph record request body is a JSON object, but this document is {0}")]
    NotAnObject(&'static str),
    #[error("\"{property}\" must be {expected}, but it is {found}")]
    WrongType { property: String, expected: &'static str, found: String },
}

/// Something the import changed or could not carry over; shown to the user, never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportNote(pub String);

impl std::fmt::Display for ImportNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedStep {
    pub step: RecordStep,
    /// Prompts to add to the flow's library (ids unique against `existing_prompt_ids` and each other).
    pub prompts: Vec<Prompt>,
    pub notes: Vec<ImportNote>,
}

const KNOWN: [&str; 9] = [
    "bargeInAllowed",
    "clientContext",
    "prompts",
    "maxRecordDurationInSeconds",
    "initialSilenceTimeoutInSeconds",
    "maxSilenceTimeoutInSeconds",
    "playBeep",
    "stopTones",
    "streamWhileRecording",
];

/// Import a request body as a record step named `step_name`.
pub fn import_request(
    json: &str,
    step_name: &str,
    existing_prompt_ids: &[String],
) -> Result<ImportedStep, ImportError> {
    let value: Value = serde_json::from_str(json).map_err(|e| ImportError::NotJson {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e),
    })?;
    import_request_value(&value, step_name, existing_prompt_ids)
}

fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Import a parsed request body. Also accepts the document `export --http` writes (it takes its request body).
pub fn import_request_value(
    value: &Value,
    step_name: &str,
    existing_prompt_ids: &[String],
) -> Result<ImportedStep, ImportError> {
    let object = value.as_object().ok_or(ImportError::NotAnObject(json_kind(value)))?;
    let mut notes = Vec::new();
    let object = match http_body(object) {
        Some(body) => {
            notes.push(ImportNote("took the request body from an HTTP exchange document".to_owned()));
            body
        }
        None => object,
    };

    let mut step = RecordStep::new(step_name);
    let mut prompts = Vec::new();
    let mut taken_ids: Vec<String> = existing_prompt_ids.to_vec();

    for (key, v) in object {
        if v.is_null() && KNOWN.contains(&key.as_str()) {
            notes.push(ImportNote(format!("\"{key}\" is null; treated as absent")));
            continue;
        }
        match key.as_str() {
            "bargeInAllowed" => step.barge_in_allowed = Some(boolean(key, v)?),
            "clientContext" => step.client_context = Some(string(key, v)?),
            "maxRecordDurationInSeconds" => step.max_record_duration_in_seconds = Some(seconds(key, v, &mut notes)?),
            "initialSilenceTimeoutInSeconds" => {
                step.initial_silence_timeout_in_seconds = Some(seconds(key, v, &mut notes)?)
            }
            "maxSilenceTimeoutInSeconds" => step.max_silence_timeout_in_seconds = Some(seconds(key, v, &mut notes)?),
            "playBeep" => step.play_beep = boolean(key, v)?,
            "streamWhileRecording" => step.stream_while_recording = Some(boolean(key, v)?),
            "stopTones" => {
                let items = v.as_array().ok_or_else(|| wrong(key, "an array of strings", v))?;
                let tones = items
                    .iter()
                    .enumerate()
                    .map(|(i, t)| string(&format!("stopTones[{i}]"), t))
                    .collect::<Result<Vec<_>, _>>()?;
                step.stop_tones = Some(tones);
            }
            "prompts" => {
                let items = v.as_array().ok_or_else(|| wrong(key, "an array of mediaPrompt objects", v))?;
                let mut ids = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let prompt = media_prompt(i, item, &taken_ids, &mut notes)?;
                    taken_ids.push(prompt.id.clone());
                    ids.push(prompt.id.clone());
                    prompts.push(prompt);
                }
                step.prompts = Some(ids);
            }
            "recordingFormat" => notes.push(ImportNote(
                "\"recordingFormat\" is not a Graph record parameter (it appeared in one old example); not imported"
                    .to_owned(),
            )),
            other => notes.push(unknown_property(other, "the request body")),
        }
    }
    if !object.contains_key("playBeep") {
        notes
            .push(ImportNote("\"playBeep\" is absent; the docs' default (true) is made explicit on export".to_owned()));
    }
    Ok(ImportedStep { step, prompts, notes })
}

/// Import a request body as a new one-step flow.
pub fn import_request_as_flow(
    json: &str,
    flow_name: &str,
    profile: ApiProfile,
) -> Result<(Flow, Vec<ImportNote>), ImportError> {
    let imported = import_request(json, "record-1", &[])?;
    let flow = Flow {
        format_version: FORMAT_VERSION,
        name: flow_name.to_owned(),
        profile,
        prompts: imported.prompts,
        steps: vec![Step::Record(imported.step)],
    };
    Ok((flow, imported.notes))
}

fn http_body(object: &Map<String, Value>) -> Option<&Map<String, Value>> {
    let request = object.get("request")?.as_object()?;
    request.get("method")?;
    request.get("body")?.as_object()
}

fn media_prompt(
    index: usize,
    item: &Value,
    taken_ids: &[String],
    notes: &mut Vec<ImportNote>,
) -> Result<Prompt, ImportError> {
    let at = format!("prompts[{index}]");
    let object = item.as_object().ok_or_else(|| wrong(&at, "a mediaPrompt object", item))?;
    let mut uri = None;
    let mut resource_id = None;
    match object.get("@odata.type") {
        Some(Value::String(t)) if t.eq_ignore_ascii_case(MEDIA_PROMPT_TYPE) => {}
        Some(other) => notes.push(ImportNote(format!(
            "{at}: \"@odata.type\" is {other}, not \"{MEDIA_PROMPT_TYPE}\"; export writes the right one"
        ))),
        None => notes.push(ImportNote(format!(
            "{at}: \"@odata.type\" is absent; export adds \"{MEDIA_PROMPT_TYPE}\" (Graph needs it)"
        ))),
    }
    for (key, v) in object {
        match key.as_str() {
            "@odata.type" => {}
            "mediaInfo" => {
                let info = v.as_object().ok_or_else(|| wrong(&format!("{at}.mediaInfo"), "an object", v))?;
                for (k, v) in info {
                    match k.as_str() {
                        "uri" => uri = Some(string(&format!("{at}.mediaInfo.uri"), v)?),
                        "resourceId" if v.is_null() => {}
                        "resourceId" => resource_id = Some(string(&format!("{at}.mediaInfo.resourceId"), v)?),
                        other => notes.push(unknown_property(other, &format!("{at}.mediaInfo"))),
                    }
                }
            }
            other => notes.push(unknown_property(other, &at)),
        }
    }
    let uri = uri.unwrap_or_default();
    if uri.is_empty() {
        notes.push(ImportNote(format!("{at}: mediaInfo.uri is missing; the prompt needs one before export")));
    }
    let prompt = Prompt { id: unique_id(&prompt_id_from_uri(&uri), taken_ids), file: None, uri, resource_id };
    if prompt.resource_id.is_none() {
        notes.push(ImportNote(format!(
            "{at}: mediaInfo.resourceId is absent; export will use {} (derived from the URI)",
            prompt.effective_resource_id()
        )));
    }
    Ok(prompt)
}

/// A readable library id from a URI: its file name without extension (`.../welcome.wav` → `welcome`).
fn prompt_id_from_uri(uri: &str) -> String {
    let path = uri.split(['?', '#']).next().unwrap_or("");
    let name = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("");
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    if stem.is_empty() || stem.contains(':') { "prompt".to_owned() } else { stem.to_owned() }
}

fn unique_id(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_owned();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|c| !taken.iter().any(|t| t == c)).expect("an unused suffix exists")
}

fn unknown_property(name: &str, within: &str) -> ImportNote {
    let hint = KNOWN
        .iter()
        .chain(["uri", "resourceId", "mediaInfo"].iter())
        .find(|k| k.eq_ignore_ascii_case(name))
        .map(|k| format!(" (did you mean \"{k}\"? property names are case-sensitive)"))
        .unwrap_or_default();
    ImportNote(format!("unknown property \"{name}\" in {within} is not a Graph record parameter; not imported{hint}"))
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong(property: &str, expected: &'static str, found: &Value) -> ImportError {
    let shown = found.to_string();
    let shown =
        if shown.chars().count() > 40 { format!("{}…", shown.chars().take(40).collect::<String>()) } else { shown };
    ImportError::WrongType { property: property.to_owned(), expected, found: format!("{} {shown}", json_kind(found)) }
}

fn boolean(key: &str, v: &Value) -> Result<bool, ImportError> {
    v.as_bool().ok_or_else(|| wrong(key, "true or false", v))
}

fn string(key: &str, v: &Value) -> Result<String, ImportError> {
    v.as_str().map(str::to_owned).ok_or_else(|| wrong(key, "a string", v))
}

fn seconds(key: &str, v: &Value, notes: &mut Vec<ImportNote>) -> Result<i64, ImportError> {
    if let Some(n) = v.as_i64() {
        return Ok(n);
    }
    match v.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            notes.push(ImportNote(format!("\"{key}\" is {v}; Graph's type is an integer, imported as {}", f as i64)));
            Ok(f as i64)
        }
        _ => Err(wrong(key, "a whole number of seconds", v)),
    }
}
