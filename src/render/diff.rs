//! Rendering a [`DiffReport`]: facts side by side, the first divergence,
//! the conclusions and the failing side's diagnosis.

use crate::diff::DiffReport;
use crate::lang::Lang;
use crate::render::markdown::escape;
use owo_colors::{OwoColorize, Style};
use std::fmt::Write;

fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The comparison for a terminal (`width` columns).
pub fn diff_text(d: &DiffReport, color: bool, width: usize) -> String {
    let paint = |s: &str, st: Style| {
        if color {
            s.style(st).to_string()
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let l = d.lang;
    let p = d.failing.primary();
    let _ = writeln!(
        out,
        "{}",
        paint(
            &format!(
                "{}: {} — {}",
                l.pick("failing side", "失敗する側"),
                p.id,
                p.title
            ),
            Style::new().red().bold()
        )
    );
    let _ = writeln!(out, "  {}\n", p.summary);
    if !d.conclusions.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint(l.pick("What differs", "違い"), Style::new().bold())
        );
        for c in &d.conclusions {
            let _ = writeln!(out, "  • {c}");
        }
        let _ = writeln!(out);
    }
    let col = width.saturating_sub(24).max(20) / 2;
    let _ = writeln!(
        out,
        "{}",
        paint(l.pick("Facts", "事実"), Style::new().bold())
    );
    let (working, failing) = (
        l.pick("working", "うまくいく側"),
        l.pick("failing", "失敗する側"),
    );
    let _ = writeln!(out, "  {:<20} {} {failing}", "", super::pad(working, col));
    for r in &d.facts {
        let line = format!(
            "  {:<20} {:<col$} {}",
            r.fact,
            cut(&r.working, col - 1),
            cut(&r.failing, col)
        );
        let _ = writeln!(
            out,
            "{}",
            if r.differs {
                paint(&line, Style::new().yellow())
            } else {
                line
            }
        );
    }
    if let Some(v) = &d.divergence {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                l.pick("First divergence", "最初の分かれ目"),
                Style::new().bold()
            )
        );
        let show = |n: usize, t: &str| {
            if n == 0 {
                l.pick("(nothing here)", "（ここには何もない）").to_string()
            } else {
                format!("{n:>5} │ {t}")
            }
        };
        let _ = writeln!(out, "  {working} {}", show(v.working_line, &v.working_text));
        let _ = writeln!(out, "  {failing} {}", show(v.failing_line, &v.failing_text));
    }
    if !p.remediation.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                l.pick("Fix (failing side)", "対処（失敗する側）"),
                Style::new().bold()
            )
        );
        for (i, s) in p.remediation.iter().enumerate().take(4) {
            let _ = writeln!(out, "  {:>2}. {}", i + 1, s.text);
            if let Some(c) = &s.command {
                for l in c.lines() {
                    let _ = writeln!(out, "      {}", paint(l, Style::new().cyan()));
                }
            }
        }
    }
    out
}

/// The comparison as JSON (schema `sshexplain-diff/1`).
pub fn diff_json(d: &DiffReport) -> String {
    serde_json::to_string(d).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The comparison as Markdown.
pub fn diff_markdown(d: &DiffReport) -> String {
    let mut out = String::new();
    let l = d.lang;
    let p = d.failing.primary();
    let _ = match l {
        Lang::En => writeln!(
            out,
            "## Working vs failing: `{}` on the failing side\n\n{}\n",
            p.id,
            escape(&p.summary)
        ),
        Lang::Ja => writeln!(
            out,
            "## うまくいく側と失敗する側: 失敗する側は `{}`\n\n{}\n",
            p.id,
            escape(&p.summary)
        ),
    };
    if !d.conclusions.is_empty() {
        let _ = writeln!(out, "### {}\n", l.pick("What differs", "違い"));
        for c in &d.conclusions {
            let _ = writeln!(out, "- {}", escape(c));
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} |\n|---|---|---|",
        l.pick("fact", "事実"),
        l.pick("working", "うまくいく側"),
        l.pick("failing", "失敗する側")
    );
    for r in &d.facts {
        let mark = if r.differs { " **≠**" } else { "" };
        let _ = writeln!(
            out,
            "| {}{mark} | {} | {} |",
            escape(r.fact),
            escape(&r.working),
            escape(&r.failing)
        );
    }
    out
}
