//! The two Graph API profiles a flow can target (see `shared/spec/graph-record.md`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Which Graph endpoint a flow's record steps are exported for. Validation and export follow it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ApiProfile {
    /// `POST /beta/communications/calls/{id}/record` — timers 1–300 s, operations carry `completionReason`.
    #[default]
    BetaRecord,
    /// `POST /v1.0/communications/calls/{id}/recordResponse` — timers 1–120 s, reason only in `resultInfo`.
    V1RecordResponse,
}

impl ApiProfile {
    pub const ALL: [ApiProfile; 2] = [ApiProfile::BetaRecord, ApiProfile::V1RecordResponse];

    /// The name users and the CLI use: `beta-record` or `v1.0-recordResponse`.
    pub fn name(self) -> &'static str {
        match self {
            ApiProfile::BetaRecord => "beta-record",
            ApiProfile::V1RecordResponse => "v1.0-recordResponse",
        }
    }

    /// Inclusive range of every timer parameter, in seconds.
    pub fn timer_range(self) -> (i64, i64) {
        match self {
            ApiProfile::BetaRecord => (1, 300),
            ApiProfile::V1RecordResponse => (1, 120),
        }
    }

    /// Graph's version segment of the URL.
    pub fn api_version(self) -> &'static str {
        match self {
            ApiProfile::BetaRecord => "beta",
            ApiProfile::V1RecordResponse => "v1.0",
        }
    }

    /// The action's name in the request path.
    pub fn action(self) -> &'static str {
        match self {
            ApiProfile::BetaRecord => "record",
            ApiProfile::V1RecordResponse => "recordResponse",
        }
    }

    /// Whether the `recordOperation` schema of this profile has a `completionReason` property.
    pub fn operation_has_completion_reason(self) -> bool {
        matches!(self, ApiProfile::BetaRecord)
    }

    /// Whether `streamWhileRecording` exists in this profile.
    pub fn has_stream_while_recording(self) -> bool {
        matches!(self, ApiProfile::BetaRecord)
    }
}

impl fmt::Display for ApiProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown API profile \"{0}\": expected \"beta-record\" or \"v1.0-recordResponse\"")]
pub struct UnknownProfile(pub String);

impl FromStr for ApiProfile {
    type Err = UnknownProfile;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ApiProfile::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownProfile(s.to_owned()))
    }
}

impl TryFrom<String> for ApiProfile {
    type Error = UnknownProfile;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<ApiProfile> for String {
    fn from(p: ApiProfile) -> String {
        p.name().to_owned()
    }
}
