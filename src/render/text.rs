//! The terminal report: verdict, timeline, evidence, why, fix, also noticed.

use crate::diagnose::Severity;
use crate::report::{PhaseStatus, Report};
use owo_colors::{OwoColorize, Style};
use std::fmt::Write;

/// How to render text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Only the verdict line.
    pub quiet: bool,
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, s: &str, style: Style) -> String {
        if self.color {
            s.style(style).to_string()
        } else {
            s.to_string()
        }
    }
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => Style::new().red().bold(),
        Severity::Warning => Style::new().yellow().bold(),
        Severity::Info => Style::new().green().bold(),
    }
}

fn mark(s: Severity, id: &str) -> &'static str {
    match (s, id) {
        (_, "ok.connected") => "✓",
        (Severity::Error, _) => "✗",
        (Severity::Warning, _) => "!",
        (Severity::Info, _) => "?",
    }
}

/// The one-line verdict.
pub fn verdict(report: &Report, color: bool) -> String {
    let p = Painter { color };
    let d = report.primary();
    let head = format!("{} {}", mark(d.severity, d.id), d.id);
    let src = report
        .source
        .as_deref()
        .map(|s| format!("{s}: "))
        .unwrap_or_default();
    format!(
        "{src}{}  {} {}",
        p.paint(&head, severity_style(d.severity)),
        d.title,
        p.paint(
            &format!("({} confidence)", d.confidence.name()),
            Style::new().dimmed()
        )
    )
}

/// The full text report.
pub fn text(report: &Report, opts: TextOptions) -> String {
    let p = Painter { color: opts.color };
    let mut out = String::new();
    let _ = writeln!(out, "{}", verdict(report, opts.color));
    if opts.quiet {
        return out;
    }
    let d = report.primary();
    let dest = &report.destination;
    let mut where_ = String::new();
    if let Some(h) = &dest.host {
        where_ = format!(
            "{}{h}",
            dest.user
                .as_deref()
                .map(|u| format!("{u}@"))
                .unwrap_or_default()
        );
        if let Some(port) = dest.port {
            where_.push_str(&format!(":{port}"));
        }
    }
    let versions = match (&report.client, &report.server) {
        (Some(c), Some(s)) => format!("{c} → {s}"),
        (Some(c), None) => c.clone(),
        (None, Some(s)) => format!("server {s}"),
        (None, None) => String::new(),
    };
    let context: Vec<&str> = [where_.as_str(), versions.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !context.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            p.paint(&context.join(" · "), Style::new().dimmed())
        );
    }
    let timeline: Vec<String> = report
        .timeline
        .iter()
        .map(|e| match e.status {
            PhaseStatus::Passed => p.paint(&format!("{} ✓", e.phase.name()), Style::new().green()),
            PhaseStatus::Failed => {
                p.paint(&format!("{} ✗", e.phase.name()), Style::new().red().bold())
            }
            PhaseStatus::NotReached => {
                p.paint(&format!("{} ·", e.phase.name()), Style::new().dimmed())
            }
        })
        .collect();
    let _ = writeln!(out, "\n  {}\n", timeline.join(" ─ "));
    let _ = writeln!(out, "  {}", d.summary);
    if !d.evidence.is_empty() {
        let _ = writeln!(out, "\n{}", p.paint("Evidence", Style::new().bold()));
        for e in &d.evidence {
            let _ = writeln!(
                out,
                "  {} {}",
                p.paint(&format!("{:>5} │", e.line), Style::new().dimmed()),
                e.text
            );
        }
    }
    let _ = writeln!(out, "\n{}", p.paint("Why", Style::new().bold()));
    let _ = writeln!(out, "{}", wrap(&d.explanation, 78, "  "));
    if !d.remediation.is_empty() {
        let _ = writeln!(out, "\n{}", p.paint("Fix", Style::new().bold()));
        for (i, s) in d.remediation.iter().enumerate() {
            let first = format!("{:>3}. ", i + 1);
            let _ = writeln!(
                out,
                "{}",
                wrap(&s.text, 78, "       ").replacen("       ", &format!("  {first}"), 1)
            );
            if let Some(cmd) = &s.command {
                for line in cmd.lines() {
                    let _ = writeln!(out, "       {}", p.paint(line, Style::new().cyan()));
                }
            }
        }
    }
    if report.diagnoses.len() > 1 {
        let _ = writeln!(out, "\n{}", p.paint("Also noticed", Style::new().bold()));
        for s in &report.diagnoses[1..] {
            let head = p.paint(
                &format!("{} {}", mark(s.severity, s.id), s.id),
                severity_style(s.severity),
            );
            let _ = writeln!(out, "  {head}  {}", s.summary);
            if let Some(e) = s.evidence.first() {
                let _ = writeln!(
                    out,
                    "    {} {}",
                    p.paint(&format!("{:>5} │", e.line), Style::new().dimmed()),
                    e.text
                );
            }
        }
    }
    if !report.checks.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint("Checked before connecting", Style::new().bold())
        );
        for c in &report.checks {
            let _ = writeln!(out, "  • {c}");
        }
    }
    if report.verbosity == 0 && d.id != "ok.connected" {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint("Note: the input has no `ssh -v` debug lines; run ssh with -v for a precise diagnosis.", Style::new().dimmed())
        );
    }
    out
}

/// Wraps text at `width` columns with an indent.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(indent);
    for word in text.split_whitespace() {
        if line.len() > indent.len() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(indent);
        }
        if line.len() > indent.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(line.trim_end());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping() {
        assert_eq!(wrap("a b c", 3, ""), "a b\nc");
        assert_eq!(wrap("", 10, "  "), "");
    }

    #[test]
    fn no_color_means_no_escapes() {
        let t = crate::trace("ssh: connect to host h port 22: Connection refused\n");
        let r = crate::report::Report::new(&t, &crate::diagnose::diagnose_trace(&t));
        let plain = text(
            &r,
            TextOptions {
                color: false,
                quiet: false,
            },
        );
        assert!(!plain.contains('\x1b'));
        let colored = text(
            &r,
            TextOptions {
                color: true,
                quiet: false,
            },
        );
        assert!(colored.contains('\x1b'));
    }
}
