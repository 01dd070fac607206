//! Nothing panics on any input: random bytes and mutated valid files go through every parser.

mod common;

use ivr_designer::model::export::{http_exchange, request_body};
use ivr_designer::model::import::import_request;
use ivr_designer::model::{Step, flow_to_ron, parse_flow, validate};
use proptest::prelude::*;

fn shipped_texts() -> Vec<String> {
    ["voicemail.ron", "seed-example.ron", "survey.ron"]
        .iter()
        .map(|f| std::fs::read_to_string(common::repo().join("flows").join(f)).unwrap())
        .collect()
}

/// Everything the app does with a flow it has just read.
fn use_flow(text: &str) {
    if let Ok(flow) = parse_flow(text) {
        let _ = validate(&flow, &common::repo().join("flows"));
        let _ = parse_flow(&flow_to_ron(&flow));
        for step in &flow.steps {
            if let Step::Record(r) = step {
                let _ = request_body(&flow, r);
                let _ = http_exchange(&flow, r);
            }
        }
    }
}

fn mutate(text: &str, edits: &[(usize, u8, u8)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(at, kind, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        match kind % 4 {
            0 => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            2 => {
                bytes.remove(at);
            }
            _ => bytes.truncate(at),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        use_flow(&text);
        let _ = import_request(&text, "r", &[]);
    }

    #[test]
    fn mutated_flow_files_never_panic(which in 0usize..3, edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6)) {
        let texts = shipped_texts();
        use_flow(&mutate(&texts[which], &edits));
    }

    #[test]
    fn mutated_requests_never_panic(edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6)) {
        let seed = common::graph_example("seed-request.json");
        let _ = import_request(&mutate(&seed, &edits), "r", &[]);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_flow(&deep).is_err());
    assert!(import_request(&deep, "r", &[]).is_err());
    let deep_struct = format!("(formatVersion: 1, name: {}", "(".repeat(100_000));
    assert!(parse_flow(&deep_struct).is_err());
}
