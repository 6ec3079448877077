//! The cause catalog: from a [`Trace`] to findings with evidence and fixes.
//!
//! Causes are grouped by family, one module each (`auth`, `hostkey`, ...).
//! Every cause is declared with [`causes!`]: a stable ID (see
//! `shared/causes.md`), a title, a severity, a ranking priority, a doc comment
//! that is both its rustdoc and its `sshexplain explain` page (first
//! paragraph = the explanation shown in reports), and a detector: a small
//! function over the trace that returns a [`Finding`] when the cause applies.
//!
//! [`diagnose_trace`] runs every detector and ranks the findings: the
//! *primary* one explains why the connection failed (or `ok.connected`), the
//! others are secondary.

mod auth;
mod banner;
mod config;
mod connect;
mod context;
mod forward;
mod hostkey;
mod kex;
mod mux;
mod outcome;
mod proxy;
mod service;
mod session;
mod stall;

pub use context::Ctx;
pub use stall::stall_hint;

use crate::trace::{Noted, Trace};
use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The connection (or what the user asked for) failed because of it.
    Error,
    /// Worth fixing, but not what stopped the connection.
    Warning,
    /// Neutral information (success, unknown).
    Info,
}

impl Severity {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// How sure the diagnosis is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// A guess from thin evidence: the report says what to run next.
    Low,
    /// Inferred from the sequence of events, not stated by ssh.
    Medium,
    /// ssh's own words say so.
    High,
}

impl Confidence {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// A detector: looks at the trace, returns a finding if its cause applies.
pub type Detector = fn(&Trace, &Ctx) -> Option<Finding>;

/// One entry of the catalog.
#[derive(Debug)]
pub struct Cause {
    /// Stable ID, `phase.name`.
    pub id: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// Severity when it explains a failure.
    pub severity: Severity,
    /// Ranking among failure findings: the highest is primary.
    pub priority: u16,
    /// Long-form documentation (Markdown); its first paragraph is the
    /// explanation shown in reports.
    pub doc: &'static str,
    /// The detector.
    pub detect: Detector,
}

impl Cause {
    /// The first paragraph of the doc.
    pub fn explanation(&self) -> String {
        self.doc_text()
            .split("\n\n")
            .next()
            .unwrap_or("")
            .replace('\n', " ")
            .trim()
            .to_string()
    }

    /// The doc with rustdoc's leading spaces removed.
    pub fn doc_text(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string()
    }
}

/// Declares the causes of a family module.
macro_rules! causes {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident = $id:literal, $sev:ident, $prio:literal, $title:literal, $detect:path;
    )*) => {
        $(
            $(#[doc = $doc])*
            pub static $name: $crate::diagnose::Cause = $crate::diagnose::Cause {
                id: $id,
                title: $title,
                severity: $crate::diagnose::Severity::$sev,
                priority: $prio,
                doc: concat!($($doc, "\n"),*),
                detect: $detect,
            };
        )*
        /// The causes of this family, in catalog order.
        pub static CAUSES: &[&$crate::diagnose::Cause] = &[$(&$name),*];
    };
}
pub(crate) use causes;

/// One remediation step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// What to do.
    pub text: String,
    /// A command to copy, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

impl Step {
    /// A step without a command.
    pub fn say(text: impl Into<String>) -> Step {
        Step {
            text: text.into(),
            command: None,
        }
    }

    /// A step with a command.
    pub fn run(text: impl Into<String>, command: impl Into<String>) -> Step {
        Step {
            text: text.into(),
            command: Some(command.into()),
        }
    }
}

/// An input line quoted as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// 1-based input line.
    pub line: usize,
    /// Its text.
    pub text: String,
}

/// A cause found in a trace.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The cause.
    pub cause: &'static Cause,
    /// How sure.
    pub confidence: Confidence,
    /// Whether it explains a failure (candidate for primary) or is a side note.
    pub failure: bool,
    /// One or two sentences about *this* trace.
    pub summary: String,
    /// Quoted input lines.
    pub evidence: Vec<Evidence>,
    /// What to do, filled in with this user's values.
    pub steps: Vec<Step>,
}

impl Finding {
    /// A failure finding with high confidence and the given evidence.
    pub fn new(cause: &'static Cause, summary: impl Into<String>, evidence: &[&Noted]) -> Finding {
        let mut f = Finding {
            cause,
            confidence: Confidence::High,
            failure: cause.severity == Severity::Error,
            summary: summary.into(),
            evidence: Vec::new(),
            steps: Vec::new(),
        };
        f.cite(evidence.iter().copied());
        f
    }

    /// Adds evidence lines (deduplicated, in line order).
    pub fn cite<'a>(&mut self, notes: impl IntoIterator<Item = &'a Noted>) -> &mut Self {
        for n in notes {
            if !self
                .evidence
                .iter()
                .any(|e| e.line == n.line() && e.text == n.text)
            {
                self.evidence.push(Evidence {
                    line: n.line(),
                    text: n.text.clone(),
                });
            }
        }
        self.evidence.sort_by_key(|e| e.line);
        self.evidence.truncate(12);
        self
    }

    /// Sets the confidence.
    pub fn confidence(mut self, c: Confidence) -> Self {
        self.confidence = c;
        self
    }

    /// Marks it as a side note (not a candidate for primary).
    pub fn note(mut self) -> Self {
        self.failure = false;
        self
    }

    /// Sets whether it is a failure.
    pub fn failing(mut self, failure: bool) -> Self {
        self.failure = failure;
        self
    }

    /// Appends steps.
    pub fn steps(mut self, steps: impl IntoIterator<Item = Step>) -> Self {
        self.steps.extend(steps);
        self
    }

    /// The severity as reported: a side note of an error cause is a warning.
    pub fn severity(&self) -> Severity {
        if !self.failure && self.cause.severity == Severity::Error {
            Severity::Warning
        } else {
            self.cause.severity
        }
    }
}

/// Every cause in catalog order.
pub fn catalog() -> impl Iterator<Item = &'static Cause> {
    [
        config::CAUSES,
        connect::CAUSES,
        banner::CAUSES,
        kex::CAUSES,
        hostkey::CAUSES,
        auth::CAUSES,
        session::CAUSES,
        forward::CAUSES,
        proxy::CAUSES,
        mux::CAUSES,
        service::CAUSES,
        outcome::CAUSES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// Looks a cause up by ID.
pub fn cause(id: &str) -> Option<&'static Cause> {
    catalog().find(|c| c.id == id)
}

/// The ranked findings of a trace.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// Why the connection failed (or that it worked).
    pub primary: Finding,
    /// Everything else worth knowing.
    pub secondary: Vec<Finding>,
}

/// Runs every detector and ranks the findings.
pub fn diagnose_trace(trace: &Trace) -> Diagnosis {
    let ctx = Ctx::new(trace);
    let mut findings: Vec<(usize, Finding)> = catalog()
        .enumerate()
        .filter(|(_, c)| c.priority > 0)
        .filter_map(|(i, c)| (c.detect)(trace, &ctx).map(|f| (i, f)))
        .collect();
    let best = findings
        .iter()
        .enumerate()
        .filter(|(_, (_, f))| f.failure)
        .max_by(|(_, (ia, a)), (_, (ib, b))| {
            a.cause.priority.cmp(&b.cause.priority).then(ib.cmp(ia))
        })
        .map(|(pos, _)| pos);
    let primary = match best {
        Some(pos) => findings.remove(pos).1,
        None => match findings
            .iter()
            .position(|(_, f)| f.cause.id == "ok.connected")
        {
            Some(pos) => findings.remove(pos).1,
            // Nothing failed and no success is shown: if the output holds only
            // a warning (say, the post-quantum notice), that is what it means.
            None => match findings
                .iter()
                .enumerate()
                .max_by(|(_, (ia, a)), (_, (ib, b))| {
                    a.cause.priority.cmp(&b.cause.priority).then(ib.cmp(ia))
                })
                .map(|(pos, _)| pos)
            {
                Some(pos) => findings.remove(pos).1,
                None => outcome::fallback(trace, &ctx),
            },
        },
    };
    // Fallback causes (auth.failed) only speak when nothing more specific does.
    let secondary = findings
        .into_iter()
        .map(|(_, f)| f)
        .filter(|f| {
            f.cause.id != primary.cause.id
                && f.cause.id != "ok.connected"
                && f.cause.priority > FALLBACK_PRIORITY
        })
        .collect();
    Diagnosis { primary, secondary }
}

/// The priority of catch-all causes such as `auth.failed`.
const FALLBACK_PRIORITY: u16 = 1;
