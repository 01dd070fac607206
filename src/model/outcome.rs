//! Graph's nine completion reasons, what each one reports, and the five outcome groups a flow branches on.

use std::fmt;
use std::str::FromStr;

/// `recordCompletionReason`: exactly the nine members of Graph's enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompletionReason {
    OperationCanceled,
    StopToneDetected,
    MaxRecordDurationReached,
    InitialSilenceTimeout,
    MaxSilenceTimeout,
    PlayPromptFailed,
    PlayBeepFailed,
    MediaReceiveTimeout,
    UnspecifiedError,
}

/// `recordOperation.status` once an operation has finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperationStatus {
    Completed,
    Failed,
}

impl OperationStatus {
    /// The wire spelling (camelCase).
    pub fn name(self) -> &'static str {
        match self {
            OperationStatus::Completed => "completed",
            OperationStatus::Failed => "failed",
        }
    }
}

/// What `resultInfo` carries for a finished operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResultInfo {
    pub code: u16,
    pub subcode: u16,
    pub message: &'static str,
}

impl CompletionReason {
    pub const ALL: [CompletionReason; 9] = [
        CompletionReason::OperationCanceled,
        CompletionReason::StopToneDetected,
        CompletionReason::MaxRecordDurationReached,
        CompletionReason::InitialSilenceTimeout,
        CompletionReason::MaxSilenceTimeout,
        CompletionReason::PlayPromptFailed,
        CompletionReason::PlayBeepFailed,
        CompletionReason::MediaReceiveTimeout,
        CompletionReason::UnspecifiedError,
    ];

    /// The wire spelling, e.g. `stopToneDetected`.
    pub fn name(self) -> &'static str {
        match self {
            CompletionReason::OperationCanceled => "operationCanceled",
            CompletionReason::StopToneDetected => "stopToneDetected",
            CompletionReason::MaxRecordDurationReached => "maxRecordDurationReached",
            CompletionReason::InitialSilenceTimeout => "initialSilenceTimeout",
            CompletionReason::MaxSilenceTimeout => "maxSilenceTimeout",
            CompletionReason::PlayPromptFailed => "playPromptFailed",
            CompletionReason::PlayBeepFailed => "playBeepFailed",
            CompletionReason::MediaReceiveTimeout => "mediaReceiveTimeout",
            CompletionReason::UnspecifiedError => "unspecifiedError",
        }
    }

    pub fn status(self) -> OperationStatus {
        match self {
            CompletionReason::StopToneDetected
            | CompletionReason::MaxRecordDurationReached
            | CompletionReason::MaxSilenceTimeout => OperationStatus::Completed,
            _ => OperationStatus::Failed,
        }
    }

    /// `resultInfo` per the spec's table. Only 8508 and 8515 are confirmed by Graph's pages; the rest come from
    /// the same media platform's public table. Messages are Graph's wording where published, ours otherwise.
    pub fn result_info(self) -> ResultInfo {
        let (code, subcode, message) = match self {
            CompletionReason::OperationCanceled => (400, 8508, "Action failed, the operation was cancelled."),
            CompletionReason::StopToneDetected => (200, 8514, "Action completed, stop tone detected."),
            CompletionReason::MaxRecordDurationReached => (200, 8515, "Action completed, max record duration reached."),
            CompletionReason::InitialSilenceTimeout => (400, 8510, "Action failed, initial silence timeout reached."),
            CompletionReason::MaxSilenceTimeout => (200, 8509, "Action completed, max silence timeout reached."),
            CompletionReason::PlayPromptFailed => (400, 8511, "Action failed, failed to play prompt."),
            CompletionReason::PlayBeepFailed => (400, 8512, "Action failed, failed to play beep."),
            CompletionReason::MediaReceiveTimeout => (400, 8513, "Action failed, media receive timeout."),
            CompletionReason::UnspecifiedError => (500, 0, "Action failed, unspecified error."),
        };
        ResultInfo { code, subcode, message }
    }

    /// The branch of a record step this reason takes.
    pub fn outcome(self) -> Outcome {
        match self {
            CompletionReason::InitialSilenceTimeout => Outcome::NoSpeech,
            CompletionReason::MaxSilenceTimeout => Outcome::EndOfSpeech,
            CompletionReason::MaxRecordDurationReached => Outcome::MaxDuration,
            CompletionReason::StopToneDetected => Outcome::StopTone,
            CompletionReason::OperationCanceled
            | CompletionReason::PlayPromptFailed
            | CompletionReason::PlayBeepFailed
            | CompletionReason::MediaReceiveTimeout
            | CompletionReason::UnspecifiedError => Outcome::Failure,
        }
    }
}

impl fmt::Display for CompletionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("\"{0}\" is not one of Graph's nine completion reasons")]
pub struct UnknownCompletionReason(pub String);

impl FromStr for CompletionReason {
    type Err = UnknownCompletionReason;

    /// Case-insensitive: Graph's schema spells enum members PascalCase, the wire camelCase.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CompletionReason::ALL
            .into_iter()
            .find(|r| r.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownCompletionReason(s.to_owned()))
    }
}

/// The outcomes a record step branches on: the nine reasons, grouped the way a flow designer thinks of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// `initialSilenceTimeout`: the caller never spoke.
    NoSpeech,
    /// `maxSilenceTimeout`: the caller spoke, then fell silent.
    EndOfSpeech,
    /// `maxRecordDurationReached`.
    MaxDuration,
    /// `stopToneDetected`.
    StopTone,
    /// Every failure but no speech: canceled, prompt/beep failed, media receive timeout, unspecified error.
    Failure,
}

impl Outcome {
    pub const ALL: [Outcome; 5] =
        [Outcome::NoSpeech, Outcome::EndOfSpeech, Outcome::MaxDuration, Outcome::StopTone, Outcome::Failure];

    /// The label a person reads on a branch.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::NoSpeech => "no speech",
            Outcome::EndOfSpeech => "end of speech",
            Outcome::MaxDuration => "max duration",
            Outcome::StopTone => "stop tone",
            Outcome::Failure => "failure",
        }
    }

    /// The field name of this branch in a flow file.
    pub fn field(self) -> &'static str {
        match self {
            Outcome::NoSpeech => "noSpeech",
            Outcome::EndOfSpeech => "endOfSpeech",
            Outcome::MaxDuration => "maxDuration",
            Outcome::StopTone => "stopTone",
            Outcome::Failure => "failure",
        }
    }
}
