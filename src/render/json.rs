//! JSON output: one object per report (schema `sshexplain/1`).
//!
//! serde_json escapes C0 controls; DEL, C1 controls (`\u{9b}` is a CSI on
//! some terminals) and invisible characters (bidi controls, zero-width
//! characters, separators) are escaped here as `\uXXXX`
//! too, so the JSON is safe to print and still decodes to the exact text.

use crate::event::Event;
use crate::report::Report;
use serde::Serialize;

fn to_safe_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    if !json.chars().any(unsafe_char) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_char(c) {
            // Outside the BMP (tag characters) as a UTF-16 surrogate pair.
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters valid in JSON strings that a terminal may interpret.
fn unsafe_char(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}') || crate::report::is_invisible(c)
}

/// The report as one line of JSON.
pub fn json(report: &Report) -> String {
    to_safe_json(report)
}

/// A cause's page (`sshexplain explain --format json`).
pub fn json_page(page: &crate::diagnose::page::Page) -> String {
    to_safe_json(page)
}

/// The JSON object for an input without a report.
pub fn json_unreported(u: &crate::report::Unreported) -> String {
    to_safe_json(u)
}

/// One event as a JSON Lines record (`sshexplain parse --format json`).
pub fn json_event(event: &Event<'_>) -> String {
    to_safe_json(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_and_bidi_are_escaped_but_decode_back() {
        let s = to_safe_json(&"a\u{9b}b\u{202e}c");
        assert_eq!(s, "\"a\\u009bb\\u202ec\"");
        let back: String = serde_json::from_str(&s).expect("valid JSON");
        assert_eq!(back, "a\u{9b}b\u{202e}c");
        let s = to_safe_json(&"\u{200b}\u{e0041}");
        assert_eq!(s, "\"\\u200b\\udb40\\udc41\"");
        let back: String = serde_json::from_str(&s).expect("valid JSON");
        assert_eq!(back, "\u{200b}\u{e0041}");
    }
}
