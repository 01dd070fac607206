//! Flows, steps and record settings; their files, validation, and Graph JSON. Pure data: no audio, no UI.

pub mod export;
pub mod files;
pub mod flow;
pub mod import;
pub mod outcome;
pub mod profile;
pub mod validate;

pub use files::{FlowFileError, ParseError, flow_to_ron, load_flow, parse_flow, save_flow, write_atomically};
pub use flow::{Branches, Flow, PlayPromptStep, Prompt, RecordStep, Step, Target};
pub use outcome::{CompletionReason, OperationStatus, Outcome};
pub use profile::ApiProfile;
pub use validate::{Diagnostic, Place, Report, Rule, Severity, validate};
