//! Rendering a [`Report`](crate::report::Report) as text, JSON or Markdown.

mod diff;
mod json;
mod markdown;
mod text;

pub use diff::{diff_json, diff_markdown, diff_text};
pub use json::{json, json_event};
pub use markdown::markdown;
pub use text::{text, TextOptions};
