//! The Graph JSON a record step becomes: the request body, the whole HTTP exchange, and the running operation.
//!
//! Key order follows the docs' example (shared/spec/examples/seed-request.json) so a person can diff the export
//! against the docs; `serde_json`'s `preserve_order` keeps it.

use serde_json::{Map, Value, json};

use super::flow::{Flow, RecordStep};
use super::profile::ApiProfile;

pub const MEDIA_PROMPT_TYPE: &str = "#microsoft.graph.mediaPrompt";
pub const RECORD_OPERATION_TYPE: &str = "#microsoft.graph.recordOperation";

/// Placeholders a bot developer replaces with real values.
pub const CALL_ID: &str = "{callId}";
pub const OPERATION_ID: &str = "{operationId}";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExportError {
    #[error("step \"{step}\" plays prompt \"{prompt}\", which is not in the flow's prompt library")]
    UnknownPrompt { step: String, prompt: String },
    #[error("the flow has no step named \"{0}\"")]
    NoSuchStep(String),
    #[error("step \"{0}\" plays a prompt; only record steps export a Graph record request")]
    NotARecordStep(String),
    #[error("the flow has no record step to export")]
    NoRecordStep,
    #[error("the flow has {} record steps ({}); choose one with --step NAME", .0.len(), .0.join(", "))]
    SeveralRecordSteps(Vec<String>),
}

/// Pick the record step to export: the named one, or the only one.
pub fn select_record_step<'a>(flow: &'a Flow, name: Option<&str>) -> Result<&'a RecordStep, ExportError> {
    match name {
        Some(name) => match flow.step(name) {
            Some(super::flow::Step::Record(r)) => Ok(r),
            Some(_) => Err(ExportError::NotARecordStep(name.to_owned())),
            None => Err(ExportError::NoSuchStep(name.to_owned())),
        },
        None => {
            let steps: Vec<&RecordStep> = flow.record_steps().collect();
            match steps.as_slice() {
                [] => Err(ExportError::NoRecordStep),
                [only] => Ok(only),
                many => Err(ExportError::SeveralRecordSteps(many.iter().map(|s| s.name.clone()).collect())),
            }
        }
    }
}

/// The request body Graph wants for this step under the flow's profile.
pub fn request_body(flow: &Flow, step: &RecordStep) -> Result<Value, ExportError> {
    let mut body = Map::new();
    if let Some(v) = step.barge_in_allowed {
        body.insert("bargeInAllowed".into(), v.into());
    }
    if let Some(v) = &step.client_context {
        body.insert("clientContext".into(), v.clone().into());
    }
    if let Some(ids) = &step.prompts {
        let mut prompts = Vec::with_capacity(ids.len());
        for id in ids {
            let prompt = flow
                .prompt(id)
                .ok_or_else(|| ExportError::UnknownPrompt { step: step.name.clone(), prompt: id.clone() })?;
            prompts.push(json!({
                "@odata.type": MEDIA_PROMPT_TYPE,
                "mediaInfo": { "uri": prompt.uri, "resourceId": prompt.effective_resource_id() },
            }));
        }
        body.insert("prompts".into(), Value::Array(prompts));
    }
    if let Some(v) = step.max_record_duration_in_seconds {
        body.insert("maxRecordDurationInSeconds".into(), v.into());
    }
    if let Some(v) = step.initial_silence_timeout_in_seconds {
        body.insert("initialSilenceTimeoutInSeconds".into(), v.into());
    }
    if let Some(v) = step.max_silence_timeout_in_seconds {
        body.insert("maxSilenceTimeoutInSeconds".into(), v.into());
    }
    // Always explicit: the docs say the default is true, the generated OpenAPI says false.
    body.insert("playBeep".into(), step.play_beep.into());
    if let Some(tones) = &step.stop_tones {
        body.insert("stopTones".into(), tones.clone().into());
    }
    if let (Some(v), true) = (step.stream_while_recording, flow.profile.has_stream_while_recording()) {
        body.insert("streamWhileRecording".into(), v.into());
    }
    Ok(Value::Object(body))
}

/// The request's path for a profile, e.g. `/communications/calls/{callId}/record`.
pub fn request_path(profile: ApiProfile) -> String {
    format!("/communications/calls/{CALL_ID}/{}", profile.action())
}

/// The `recordOperation` Graph answers with right away (`status: "running"`), in the docs' key order.
pub fn running_operation(profile: ApiProfile, client_context: Option<&str>) -> Value {
    let mut op = Map::new();
    op.insert("@odata.type".into(), RECORD_OPERATION_TYPE.into());
    op.insert("id".into(), OPERATION_ID.into());
    op.insert("status".into(), "running".into());
    if profile.operation_has_completion_reason() {
        op.insert("completionReason".into(), Value::Null);
    }
    op.insert("resultInfo".into(), Value::Null);
    op.insert("recordingLocation".into(), Value::Null);
    if let Some(context) = client_context {
        op.insert("clientContext".into(), context.into());
    }
    Value::Object(op)
}

/// The whole exchange: the HTTP request (method, URL for the profile, headers, body) and the expected
/// `200 OK` response with its `Location` header.
pub fn http_exchange(flow: &Flow, step: &RecordStep) -> Result<Value, ExportError> {
    let profile = flow.profile;
    let body = request_body(flow, step)?;
    let path = request_path(profile);
    Ok(json!({
        "request": {
            "method": "POST",
            "url": format!("https://graph.microsoft.com/{}{path}", profile.api_version()),
            "headers": {
                "Authorization": "Bearer {token}",
                "Content-Type": "application/json",
            },
            "body": body,
        },
        "response": {
            "status": 200,
            "statusText": "OK",
            "headers": {
                "Location": format!("/communications/calls/{CALL_ID}/operations/{OPERATION_ID}"),
                "Content-Type": "application/json",
            },
            "body": running_operation(profile, step.client_context.as_deref()),
        },
    }))
}
