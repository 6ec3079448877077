//! JSON output: one object per report (schema `sshexplain/1`).

use crate::event::Event;
use crate::report::Report;

/// The report as one line of JSON.
pub fn json(report: &Report) -> String {
    serde_json::to_string(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// One event as a JSON Lines record (`sshexplain parse --format json`).
pub fn json_event(event: &Event<'_>) -> String {
    serde_json::to_string(event).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
