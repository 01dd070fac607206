//! What the bot would receive: the finished `recordOperation` and the `commsNotifications` callback body.

use serde_json::{Map, Value, json};

use crate::model::export::RECORD_OPERATION_TYPE;
use crate::model::{ApiProfile, CompletionReason};

/// The ids and values that tie an operation's JSON together.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationIds {
    pub call_id: String,
    pub operation_id: String,
    pub client_context: Option<String>,
    /// The take's `file://` URI (Graph's `recordingLocation`), when there is a take.
    pub recording_location: Option<String>,
    /// Stands in for Graph's `recordingAccessToken`.
    pub recording_access_token: Option<String>,
}

/// The final `recordOperation` for the profile: beta carries `completionReason`; v1.0 has the reason only in
/// `resultInfo.subcode`.
pub fn record_operation(profile: ApiProfile, ids: &OperationIds, reason: CompletionReason) -> Value {
    let mut op = Map::new();
    op.insert("@odata.type".into(), RECORD_OPERATION_TYPE.into());
    fill(&mut op, profile, ids, reason);
    Value::Object(op)
}

/// The callback body: `changeType: "deleted"` for a finished operation.
pub fn notification(profile: ApiProfile, ids: &OperationIds, reason: CompletionReason) -> Value {
    let resource = format!("/communications/calls/{}/operations/{}", ids.call_id, ids.operation_id);
    let mut data = Map::new();
    data.insert("@odata.type".into(), RECORD_OPERATION_TYPE.into());
    data.insert("@odata.id".into(), resource.clone().into());
    fill(&mut data, profile, ids, reason);
    json!({
        "@odata.type": "#microsoft.graph.commsNotifications",
        "value": [{
            "@odata.type": "#microsoft.graph.commsNotification",
            "changeType": "deleted",
            "resourceUrl": resource,
            "resourceData": Value::Object(data),
        }],
    })
}

fn fill(op: &mut Map<String, Value>, profile: ApiProfile, ids: &OperationIds, reason: CompletionReason) {
    let info = reason.result_info();
    op.insert("id".into(), ids.operation_id.clone().into());
    if let Some(c) = &ids.client_context {
        op.insert("clientContext".into(), c.clone().into());
    }
    op.insert("status".into(), reason.status().name().into());
    if profile.operation_has_completion_reason() {
        op.insert("completionReason".into(), reason.name().into());
    }
    op.insert(
        "resultInfo".into(),
        json!({
            "@odata.type": "#microsoft.graph.resultInfo",
            "code": info.code,
            "subcode": info.subcode,
            "message": info.message,
        }),
    );
    op.insert("recordingLocation".into(), ids.recording_location.clone().map_or(Value::Null, Value::from));
    op.insert("recordingAccessToken".into(), ids.recording_access_token.clone().map_or(Value::Null, Value::from));
}
