//! The terminal report: verdict, timeline, evidence, why, fix, also noticed.

use crate::diagnose::Severity;
use crate::lang::Lang;
use crate::report::{PhaseStatus, Report};
use owo_colors::{OwoColorize, Style};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// How to render text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Only the verdict line.
    pub quiet: bool,
    /// Display columns prose wraps at (0: 80; never below 40). Evidence
    /// and command lines are never broken.
    pub width: usize,
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
            &match report.lang {
                Lang::En => format!("({} confidence)", d.confidence.name()),
                Lang::Ja => format!("（確信度: {}）", d.confidence.label(Lang::Ja)),
            },
            Style::new().dimmed()
        )
    )
}

/// The full text report.
pub fn text(report: &Report, opts: TextOptions) -> String {
    let p = Painter { color: opts.color };
    let lang = report.lang;
    let mut out = String::new();
    let _ = writeln!(out, "{}", verdict(report, opts.color));
    if opts.quiet {
        return out;
    }
    let width = match opts.width {
        0 => 80,
        w => w.max(40),
    };
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
            "{}",
            p.paint(
                &wrap(&context.join(" · "), width, "  "),
                Style::new().dimmed()
            )
        );
    }
    // Each phase with its mark, unbroken; lines break between phases.
    let timeline: Vec<(String, usize)> = report
        .timeline
        .iter()
        .map(|e| {
            let (text, style) = match e.status {
                PhaseStatus::Passed => (format!("{} ✓", e.phase.label(lang)), Style::new().green()),
                PhaseStatus::Failed => (
                    format!("{} ✗", e.phase.label(lang)),
                    Style::new().red().bold(),
                ),
                PhaseStatus::NotReached => {
                    (format!("{} ·", e.phase.label(lang)), Style::new().dimmed())
                }
            };
            let w = text.width();
            (p.paint(&text, style), w)
        })
        .collect();
    if let Some(m) = &report.server_log {
        let _ = writeln!(
            out,
            "  {}",
            p.paint(&m.describe(lang), Style::new().dimmed())
        );
    }
    let _ = writeln!(out, "\n{}\n", join_wrapped(&timeline, " ─ ", width, "  "));
    let _ = writeln!(out, "{}", wrap(&d.summary, width, "  "));
    if !d.evidence.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(lang.pick("Evidence", "証拠"), Style::new().bold())
        );
        let width = d
            .evidence
            .iter()
            .map(|e| e.place().len())
            .max()
            .unwrap_or(0)
            .max(5);
        for e in &d.evidence {
            let _ = writeln!(
                out,
                "  {} {}",
                p.paint(&format!("{:>width$} │", e.place()), Style::new().dimmed()),
                e.text
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        p.paint(lang.pick("Why", "説明"), Style::new().bold())
    );
    let _ = writeln!(out, "{}", wrap(&d.explanation, width, "  "));
    if !d.remediation.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(lang.pick("Fix", "対処"), Style::new().bold())
        );
        for (i, s) in d.remediation.iter().enumerate() {
            let first = format!("{:>3}. ", i + 1);
            let lead = where_lead(s.place, lang);
            let text = wrap(&format!("{lead}{}", s.text), width, "       ").replacen(
                "       ",
                &format!("  {first}"),
                1,
            );
            let text = match lead {
                "" => text,
                _ => text.replacen(
                    lead.trim_end(),
                    &p.paint(lead.trim_end(), Style::new().yellow().bold()),
                    1,
                ),
            };
            let _ = writeln!(out, "{text}");
            if let Some(cmd) = &s.command {
                for line in cmd.lines() {
                    let _ = writeln!(out, "       {}", p.paint(line, Style::new().cyan()));
                }
            }
        }
    }
    if report.diagnoses.len() > 1 {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(
                lang.pick("Also noticed", "ほかに気づいたこと"),
                Style::new().bold()
            )
        );
        for s in &report.diagnoses[1..] {
            let head = format!("{} {}", mark(s.severity, s.id), s.id);
            let prefix = format!("  {}  ", p.paint(&head, severity_style(s.severity)));
            let text = hang(&prefix, head.width() + 4, &s.summary, width, "    ");
            let _ = writeln!(out, "{text}");
            if let Some(e) = s.evidence.first() {
                let _ = writeln!(
                    out,
                    "    {} {}",
                    p.paint(&format!("{:>5} │", e.place()), Style::new().dimmed()),
                    e.text
                );
            }
        }
    }
    if !report.attempts.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(
                lang.pick("Other attempts in this input", "この入力にある他の試行"),
                Style::new().bold()
            )
        );
        for a in &report.attempts {
            let lines = match lang {
                crate::lang::Lang::En => format!("lines {}–{}", a.first_line, a.last_line),
                crate::lang::Lang::Ja => format!("{}–{} 行目", a.first_line, a.last_line),
            };
            match a.diagnoses.first() {
                Some(d) => {
                    let head = format!("{} {}", mark(d.severity, d.id), d.id);
                    let prefix = format!(
                        "  {lines}  {}  ",
                        p.paint(&head, severity_style(d.severity))
                    );
                    let text = hang(
                        &prefix,
                        lines.width() + head.width() + 6,
                        d.title,
                        width,
                        "    ",
                    );
                    let _ = writeln!(out, "{text}");
                }
                None => {
                    let _ = writeln!(out, "  {lines}");
                }
            }
        }
    }
    if !report.checks.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(
                lang.pick("Checked before connecting", "接続前に確認したこと"),
                Style::new().bold()
            )
        );
        for c in &report.checks {
            let _ = writeln!(out, "{}", hang("  • ", 4, c, width, "    "));
        }
    }
    if report.verbosity == 0 && d.id != "ok.connected" {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(
                &wrap(lang.pick(
                    "Note: the input has no `ssh -v` debug lines; run ssh with -v for a precise diagnosis.",
                    "注: 入力に `ssh -v` のデバッグ行がありません。正確に診断するには ssh を -v 付きで実行してください。"
                ), width, ""),
                Style::new().dimmed()
            )
        );
    }
    out
}

/// Joins painted pieces (each with its display width) with `sep`, breaking
/// lines between pieces at `width` columns.
fn join_wrapped(pieces: &[(String, usize)], sep: &str, width: usize, indent: &str) -> String {
    let mut out = String::from(indent);
    let mut col = indent.width();
    for (i, (piece, w)) in pieces.iter().enumerate() {
        if i > 0 {
            if col + sep.width() + w > width {
                out.push_str(sep.trim_end());
                out.push('\n');
                out.push_str(indent);
                col = indent.width();
            } else {
                out.push_str(sep);
                col += sep.width();
            }
        }
        out.push_str(piece);
        col += w;
    }
    out
}

/// Wraps text at `width` display columns with an indent: between words, and
/// between Japanese characters (never before closing punctuation).
fn wrap(text: &str, width: usize, indent: &str) -> String {
    hang(indent, indent.width(), text, width, indent)
}

/// Wraps `text` after `prefix` (which may hold colour codes; `prefix_width`
/// is what it shows), continuation lines starting with `indent`.
fn hang(prefix: &str, prefix_width: usize, text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(prefix);
    let mut start = prefix_width;
    let mut line_width = start;
    for (space, unit) in units(text) {
        let w = unit.width() + usize::from(space);
        if line_width > start && line_width + w > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(indent);
            start = indent.width();
            line_width = start;
        } else if space && line_width > start {
            line.push(' ');
            line_width += 1;
        }
        line.push_str(unit);
        line_width += unit.width();
    }
    out.push_str(line.trim_end());
    out
}

/// Splits text into unbreakable units, each with whether a space preceded
/// it: Latin words, and single Japanese characters with the punctuation that
/// must not start a line attached (and opening brackets, which must not end
/// one, attached to what follows them).
fn units(text: &str) -> Vec<(bool, &str)> {
    let mut units: Vec<(bool, &str)> = Vec::new();
    let mut start: Option<usize> = None;
    let mut opening: Option<usize> = None;
    let mut space = false;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                units.push((space, &text[s..i]));
            }
            space = true;
            continue;
        }
        if "（「『【〔".contains(c) {
            if let Some(s) = start.take() {
                units.push((space, &text[s..i]));
                space = false;
            }
            opening.get_or_insert(i);
            continue;
        }
        if crate::lang::is_japanese(c) {
            if let Some(s) = start.take() {
                units.push((space, &text[s..i]));
                space = false;
            }
            let first = opening.take().unwrap_or(i);
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = iter.peek() {
                if !"、。，．・：；？！）」』】〕ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ"
                    .contains(n)
                {
                    break;
                }
                end = j + n.len_utf8();
                iter.next();
            }
            units.push((space, &text[first..end]));
            space = false;
        } else if start.is_none() {
            start = Some(opening.take().unwrap_or(i));
        }
    }
    if let Some(s) = start.or(opening) {
        units.push((space, &text[s..]));
    }
    units
}

/// The words put before a step done on the server (empty for this machine).
pub(crate) fn where_lead(place: crate::diagnose::Where, lang: Lang) -> &'static str {
    match place {
        crate::diagnose::Where::Client => "",
        crate::diagnose::Where::Server => lang.pick("On the server: ", "サーバーで: "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping() {
        assert_eq!(wrap("a b c", 3, ""), "a b\nc");
        assert_eq!(wrap("", 10, "  "), "");
        assert_eq!(wrap("鍵がない。鍵", 6, ""), "鍵がな\nい。鍵");
        assert_eq!(wrap("`ssh -v` を実行", 10, ""), "`ssh -v`\nを実行");
        assert_eq!(wrap("ああ（いう", 6, ""), "ああ\n（いう");
        assert_eq!(wrap("（", 6, ""), "（");
    }

    proptest::proptest! {
        /// Wrapping never panics on any text (slicing at the right char
        /// boundaries) and never loses or reorders a visible character.
        #[test]
        fn wrapping_keeps_every_character(text in "(\\PC|[（「、。 a]){0,80}", width in 1usize..40) {
            let wrapped = wrap(&text, width, "  ");
            let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            proptest::prop_assert_eq!(visible(&wrapped), visible(&text));
        }
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
                width: 0,
            },
        );
        assert!(!plain.contains('\x1b'));
        let colored = text(
            &r,
            TextOptions {
                color: true,
                quiet: false,
                width: 0,
            },
        );
        assert!(colored.contains('\x1b'));
    }
}
