//! Rendering a [`Report`](crate::report::Report) as text, JSON or Markdown.

mod json;
mod markdown;
mod text;

pub use json::{json, json_event};
pub use markdown::markdown;
pub use text::{text, TextOptions};
