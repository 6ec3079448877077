//! Rendering a [`Report`](crate::report::Report) as text, JSON or Markdown.

mod diff;
mod json;
pub mod markdown;
mod text;

pub use diff::{diff_json, diff_markdown, diff_text};
pub use json::{json, json_event, json_page, json_unreported};
pub use markdown::markdown;
pub use text::{text, verdict, TextOptions};

/// `s` padded with spaces to `width` terminal columns (`{:<width}` counts
/// characters, but a Japanese character takes two columns).
pub fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}
