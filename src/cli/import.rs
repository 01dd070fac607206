//! `ivr-designer import REQUEST.json [--profile P] [-o FLOW.ron]`

use std::io::{Read, Write};
use std::path::Path;

use super::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};
use crate::model::import::import_request_as_flow;
use crate::model::{ApiProfile, flow_to_ron, write_atomically};

pub fn run(request: &Path, profile: ApiProfile, output: Option<&Path>, force: bool, name: Option<&str>) -> u8 {
    let text = if request == Path::new("-") {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map(|_| s)
    } else {
        std::fs::read_to_string(request)
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", request.display());
            return EXIT_UNREADABLE;
        }
    };
    let default_name = request.file_stem().and_then(|s| s.to_str()).filter(|s| *s != "-").unwrap_or("imported");
    let (flow, notes) = match import_request_as_flow(&text, name.unwrap_or(default_name), profile) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {}: {e}", request.display());
            return EXIT_UNREADABLE;
        }
    };
    for note in &notes {
        eprintln!("note: {note}");
    }
    let ron = flow_to_ron(&flow);
    match output {
        None => {
            print!("{ron}");
            EXIT_OK
        }
        Some(out) => {
            if out.exists() && !force {
                eprintln!("error: {} already exists; pass --force to replace it", out.display());
                return EXIT_INVALID;
            }
            match write_atomically(out, |f| f.write_all(ron.as_bytes())) {
                Ok(()) => {
                    eprintln!("wrote {}", out.display());
                    EXIT_OK
                }
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", out.display());
                    EXIT_INVALID
                }
            }
        }
    }
}
