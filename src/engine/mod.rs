//! The record engine: runs operations the way Graph's media platform would, on a sample clock, against a caller
//! line (a replayed WAV now, live devices later), and reports what the bot would receive and why.
//! See `shared/spec/record-engine.md`: it is the contract.

pub mod call;
pub mod flow_run;
pub mod graph_result;
pub mod line;
pub mod prompt;
pub mod replay;
pub mod session;
pub mod take;
pub mod takes_log;
pub mod timeline;

pub use call::{Call, EngineSettings, Operation, OperationKind, OperationReport, Outcome, PromptSource, Submission};
pub use flow_run::{RunError, RunReport, run_flow, run_flow_observed};
pub use line::{CallLine, CallerAudio, LineStats, PlaybackFailed};
pub use replay::{ReplayLine, ReplayScript};
pub use timeline::{EventKind, TimelineEvent};
