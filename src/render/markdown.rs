//! Markdown output, ready to paste into an issue or a forum post.

use crate::lang::Lang;
use crate::report::{PhaseStatus, Report};
use std::fmt::Write;

/// A code fence longer than any run of backticks in `content`.
fn fence(content: &str) -> String {
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The report as Markdown.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let lang = report.lang;
    let p = report.primary();
    if let Some(src) = &report.source {
        let _ = writeln!(out, "### {src}\n");
    }
    let _ = writeln!(out, "## `{}` — {}\n", p.id, p.title);
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "**{}** (confidence: {})\n",
            p.summary,
            p.confidence.name()
        ),
        Lang::Ja => writeln!(
            out,
            "**{}**（確信度: {}）\n",
            p.summary,
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
        let _ = writeln!(out, "- {}: `{c}`", lang.pick("client", "クライアント"));
    }
    if let Some(s) = &report.server {
        let _ = writeln!(out, "- {}: `{s}`", lang.pick("server", "サーバー"));
    }
    let _ = writeln!(out);
    if !p.evidence.is_empty() {
        let body: String = p
            .evidence
            .iter()
            .map(|e| format!("{:>5} | {}\n", e.line, e.text))
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
            let _ = writeln!(out, "{}. {}", i + 1, s.text);
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
                d.summary
            );
        }
        let _ = writeln!(out);
    }
    out
}
