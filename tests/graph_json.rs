//! Graph JSON: export matches the docs, import reports what it cannot carry, and import → export is lossless.

mod common;

use common::graph_example;
use ivr_designer::model::export::{http_exchange, request_body, select_record_step};
use ivr_designer::model::import::{ImportError, import_request, import_request_as_flow};
use ivr_designer::model::{ApiProfile, Flow, Step, flow_to_ron, parse_flow};
use proptest::prelude::*;
use serde_json::{Value, json};

fn export_only_step(flow: &Flow) -> Value {
    request_body(flow, select_record_step(flow, None).unwrap()).unwrap()
}

/// import → RON text → parse → export: the whole path a request takes through a flow file.
fn through_a_flow_file(request: &str, profile: ApiProfile) -> Value {
    let (flow, _) = import_request_as_flow(request, "t", profile).unwrap();
    let flow = parse_flow(&flow_to_ron(&flow)).unwrap();
    export_only_step(&flow)
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn the_seed_request_round_trips_exactly_with_the_docs_key_order() {
    let seed = graph_example("seed-request.json");
    let expected: Value = serde_json::from_str(&seed).unwrap();
    let exported = through_a_flow_file(&seed, ApiProfile::BetaRecord);
    assert_eq!(exported, expected);
    assert_eq!(keys(&exported), keys(&expected));
    let (_, notes) = import_request_as_flow(&seed, "seed", ApiProfile::BetaRecord).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn the_shipped_seed_flow_exports_the_seed_request() {
    let flow = ivr_designer::model::load_flow(&common::repo().join("flows/seed-example.ron")).unwrap();
    let expected: Value = serde_json::from_str(&graph_example("seed-request.json")).unwrap();
    assert_eq!(export_only_step(&flow), expected);
}

#[test]
fn play_beep_is_always_explicit_and_prompts_carry_their_odata_type() {
    let (flow, notes) = import_request_as_flow(
        r##"{"prompts": [{"mediaInfo": {"uri": "https://x/a.wav", "resourceId": "1D6DE2D4-CD51-4309-8DAA-70768651088E"}}]}"##,
        "t",
        ApiProfile::BetaRecord,
    )
    .unwrap();
    let body = export_only_step(&flow);
    assert_eq!(body["playBeep"], json!(true));
    assert_eq!(body["prompts"][0]["@odata.type"], json!("#microsoft.graph.mediaPrompt"));
    let notes: Vec<String> = notes.iter().map(ToString::to_string).collect();
    assert!(notes.iter().any(|n| n.contains("playBeep")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("@odata.type")), "{notes:?}");
}

#[test]
fn a_missing_resource_id_gets_a_stable_guid_and_a_note() {
    let request = r##"{"prompts": [{"@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": {"uri": "https://x/a.wav"}}], "playBeep": false}"##;
    let (flow, notes) = import_request_as_flow(request, "t", ApiProfile::BetaRecord).unwrap();
    let first = export_only_step(&flow)["prompts"][0]["mediaInfo"]["resourceId"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&first).is_ok(), "{first}");
    assert!(notes.iter().any(|n| n.0.contains(&first)), "the note names the GUID: {notes:?}");
    let (again, _) = import_request_as_flow(request, "t", ApiProfile::BetaRecord).unwrap();
    assert_eq!(export_only_step(&again)["prompts"][0]["mediaInfo"]["resourceId"], json!(first), "stable");
}

#[test]
fn v1_exports_carry_no_beta_only_fields() {
    let request = r##"{"playBeep": true, "streamWhileRecording": true, "maxRecordDurationInSeconds": 30}"##;
    assert_eq!(through_a_flow_file(request, ApiProfile::BetaRecord)["streamWhileRecording"], json!(true));
    let v1 = through_a_flow_file(request, ApiProfile::V1RecordResponse);
    assert_eq!(v1, json!({"maxRecordDurationInSeconds": 30, "playBeep": true}));
}

#[test]
fn recording_format_is_reported_and_never_exported() {
    let request = r##"{"playBeep": true, "recordingFormat": "wav"}"##;
    let imported = import_request(request, "r", &[]).unwrap();
    assert!(imported.notes.iter().any(|n| n.0.contains("recordingFormat")), "{:?}", imported.notes);
    assert_eq!(through_a_flow_file(request, ApiProfile::BetaRecord), json!({"playBeep": true}));
}

#[test]
fn unknown_properties_are_reported_by_name() {
    let request = r##"{"playBeep": true, "maxSilenceTimeout": 3, "PlayBeep": false,
        "prompts": [{"@odata.type": "#microsoft.graph.mediaPrompt", "loop": 2,
                     "mediaInfo": {"uri": "https://x/a.wav", "resourceId": "1D6DE2D4-CD51-4309-8DAA-70768651088E", "etag": "1"}}]}"##;
    let notes: Vec<String> = import_request(request, "r", &[]).unwrap().notes.iter().map(ToString::to_string).collect();
    for name in ["\"maxSilenceTimeout\"", "\"loop\" in prompts[0]", "\"etag\" in prompts[0].mediaInfo"] {
        assert!(notes.iter().any(|n| n.contains(name)), "{name} in {notes:?}");
    }
    assert!(notes.iter().any(|n| n.contains("\"PlayBeep\"") && n.contains("did you mean \"playBeep\"")), "{notes:?}");
}

#[test]
fn json_that_is_not_a_request_says_why() {
    match import_request("{\"playBeep\": true,\n  \"stopTones\": [\"#\",]\n}", "r", &[]) {
        Err(ImportError::NotJson { line: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(
        import_request("[1, 2]", "r", &[]).unwrap_err().to_string(),
        "a Graph record request body is a JSON object, but this document is an array"
    );
    let cases = [
        (r##"{"playBeep": "yes"}"##, "\"playBeep\" must be true or false, but it is a string \"yes\""),
        (
            r##"{"maxRecordDurationInSeconds": 2.5}"##,
            "\"maxRecordDurationInSeconds\" must be a whole number of seconds",
        ),
        (r##"{"stopTones": "#"}"##, "\"stopTones\" must be an array of strings"),
        (r##"{"stopTones": [1]}"##, "\"stopTones[0]\" must be a string"),
        (r##"{"prompts": {"uri": "x"}}"##, "\"prompts\" must be an array of mediaPrompt objects"),
        (r##"{"prompts": [{"mediaInfo": "x"}]}"##, "\"prompts[0].mediaInfo\" must be an object"),
    ];
    for (json, says) in cases {
        let e = import_request(json, "r", &[]).unwrap_err().to_string();
        assert!(e.starts_with(says), "{json}: {e}");
    }
}

#[test]
fn out_of_range_values_import_and_then_fail_validation() {
    let (flow, _) = import_request_as_flow(
        r##"{"maxSilenceTimeoutInSeconds": 200, "playBeep": true}"##,
        "t",
        ApiProfile::V1RecordResponse,
    )
    .unwrap();
    let report = ivr_designer::model::validate(&flow, std::path::Path::new("."));
    assert!(report.has_errors());
    assert_eq!(export_only_step(&flow)["maxSilenceTimeoutInSeconds"], json!(200));
}

#[test]
fn the_http_exchange_follows_the_profile() {
    let seed = graph_example("seed-request.json");
    let (mut flow, _) = import_request_as_flow(&seed, "seed", ApiProfile::BetaRecord).unwrap();
    let step = select_record_step(&flow, None).unwrap().clone();
    let beta = http_exchange(&flow, &step).unwrap();
    assert_eq!(beta["request"]["method"], json!("POST"));
    assert_eq!(beta["request"]["url"], json!("https://graph.microsoft.com/beta/communications/calls/{callId}/record"));
    assert_eq!(beta["request"]["headers"]["Authorization"], json!("Bearer {token}"));
    assert_eq!(beta["request"]["body"], serde_json::from_str::<Value>(&seed).unwrap());
    assert_eq!(beta["response"]["status"], json!(200));
    assert_eq!(
        beta["response"]["headers"]["Location"],
        json!("/communications/calls/{callId}/operations/{operationId}")
    );
    // The running operation has the shape of the docs' response example.
    let example: Value = serde_json::from_str(&graph_example("seed-response.json")).unwrap();
    assert_eq!(keys(&beta["response"]["body"]), keys(&example));
    assert_eq!(beta["response"]["body"]["status"], json!("running"));
    assert_eq!(beta["response"]["body"]["clientContext"], example["clientContext"]);

    flow.profile = ApiProfile::V1RecordResponse;
    let v1 = http_exchange(&flow, &step).unwrap();
    assert_eq!(
        v1["request"]["url"],
        json!("https://graph.microsoft.com/v1.0/communications/calls/{callId}/recordResponse")
    );
    assert!(v1["response"]["body"].get("completionReason").is_none(), "v1.0's recordOperation has no completionReason");

    // The HTTP document imports back to the same body.
    let text = serde_json::to_string(&beta).unwrap();
    assert_eq!(through_a_flow_file(&text, ApiProfile::BetaRecord), beta["request"]["body"]);
}

#[test]
fn export_names_what_it_cannot_do() {
    let (mut flow, _) =
        import_request_as_flow(&graph_example("seed-request.json"), "s", ApiProfile::BetaRecord).unwrap();
    flow.prompts.clear();
    let step = select_record_step(&flow, None).unwrap();
    assert!(request_body(&flow, step).unwrap_err().to_string().contains("not in the flow's prompt library"));
    let two = Flow { steps: vec![flow.steps[0].clone(), flow.steps[0].clone()], ..flow.clone() };
    assert!(select_record_step(&two, None).unwrap_err().to_string().contains("--step"));
    assert!(select_record_step(&two, Some("nope")).unwrap_err().to_string().contains("no step named \"nope\""));
    let Step::Record(_) = &flow.steps[0] else { unreachable!() };
}

/// A random request body in Graph's shape, with playBeep and every prompt's resourceId present (import makes
/// those two explicit when absent, which is the only normalisation it does).
fn arb_request() -> impl Strategy<Value = Value> {
    let tone = prop::sample::select(vec!["0", "1", "5", "9", "*", "#", "A", "D", "x", "##", ""]);
    let prompt = ("[a-z]{1,8}", "[A-F0-9-]{1,36}").prop_map(|(name, id)| {
        json!({"@odata.type": "#microsoft.graph.mediaPrompt",
               "mediaInfo": {"uri": format!("https://cdn.contoso.com/{name}.wav"), "resourceId": id}})
    });
    (
        proptest::option::of(any::<bool>()),
        proptest::option::of(".{0,300}"),
        proptest::option::of(prop::collection::vec(prompt, 0..3)),
        proptest::option::of(-5i64..400),
        proptest::option::of(-5i64..400),
        proptest::option::of(-5i64..400),
        any::<bool>(),
        proptest::option::of(prop::collection::vec(tone, 0..5)),
        proptest::option::of(any::<bool>()),
        any::<u64>(),
    )
        .prop_map(|(barge, context, prompts, max_rec, initial, max_sil, beep, tones, stream, order)| {
            let mut fields: Vec<(&str, Value)> = Vec::new();
            if let Some(v) = barge {
                fields.push(("bargeInAllowed", json!(v)));
            }
            if let Some(v) = context {
                fields.push(("clientContext", json!(v)));
            }
            if let Some(v) = prompts {
                fields.push(("prompts", json!(v)));
            }
            if let Some(v) = max_rec {
                fields.push(("maxRecordDurationInSeconds", json!(v)));
            }
            if let Some(v) = initial {
                fields.push(("initialSilenceTimeoutInSeconds", json!(v)));
            }
            if let Some(v) = max_sil {
                fields.push(("maxSilenceTimeoutInSeconds", json!(v)));
            }
            fields.push(("playBeep", json!(beep)));
            if let Some(v) = tones {
                fields.push(("stopTones", json!(v)));
            }
            if let Some(v) = stream {
                fields.push(("streamWhileRecording", json!(v)));
            }
            // Shuffle the keys: the comparison is of JSON values, whatever order the bot wrote them in.
            let n = fields.len();
            for i in (1..n).rev() {
                fields.swap(i, (order as usize >> (i % 16)) % (i + 1));
            }
            Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
        })
}

proptest! {
    #[test]
    fn generated_requests_round_trip_through_a_flow_file(request in arb_request()) {
        let text = serde_json::to_string_pretty(&request).unwrap();
        let exported = through_a_flow_file(&text, ApiProfile::BetaRecord);
        prop_assert_eq!(&exported, &request);
        let imported = import_request(&text, "r", &[]).unwrap();
        prop_assert!(imported.notes.is_empty(), "{:?}", imported.notes);
    }
}
