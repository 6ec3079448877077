//! The report: what the renderers print, independent of format.
//!
//! Every string that can carry input text (evidence lines, summaries with
//! host names, commands) is made safe here, once, for every format: control
//! characters and bidirectional overrides become visible escapes, so a
//! hostile server banner cannot move the cursor or retitle the terminal.

use crate::diagnose::{Confidence, Diagnosis, Evidence, Finding, Severity, Step};
use crate::lang::Lang;
use crate::trace::{Destination, Phase, Trace};
use serde::Serialize;
use std::borrow::Cow;

/// The JSON schema version of [`Report`].
pub const SCHEMA: &str = "sshexplain/1";

/// How the connection ended, as far as the input shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// Authenticated and nothing failed.
    Connected,
    /// A failure was diagnosed.
    Failed,
    /// Only warnings: the connection itself is not shown to fail.
    Warning,
    /// Not enough to say.
    Unknown,
}

/// Where one phase stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PhaseStatus {
    /// Got through it.
    Passed,
    /// The failure happened here.
    Failed,
    /// Never got there.
    NotReached,
}

/// One step of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// The phase.
    pub phase: Phase,
    /// Its status.
    pub status: PhaseStatus,
    /// First input line of the phase, when seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// One diagnosis as reported.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ReportedFinding {
    /// Stable cause ID.
    pub id: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// `high`, `medium` or `low`.
    pub confidence: Confidence,
    /// The cause's title.
    pub title: &'static str,
    /// What happened in this trace.
    pub summary: String,
    /// Why it happens (the cause's explanation).
    pub explanation: String,
    /// What to do.
    pub remediation: Vec<Step>,
    /// Quoted input lines.
    pub evidence: Vec<Evidence>,
    /// The event this finding explains (one of its evidence lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explains: Option<Evidence>,
}

/// A likely cause of a thin trace.
#[derive(Debug, Clone, Serialize)]
pub struct ReportedHypothesis {
    /// Cause ID.
    pub id: &'static str,
    /// Why it would end this way.
    pub why: &'static str,
    /// The check that tells it apart.
    pub check: &'static str,
    /// Public pastes with this symptom that this cause explained.
    pub seen: u32,
}

/// Everything a renderer needs.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Schema version.
    pub schema: &'static str,
    /// The language of the human-readable fields (`en`, `ja`).
    pub lang: Lang,
    /// Input name (file path, `-` for stdin), when reporting several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Client version line.
    pub client: Option<String>,
    /// Server software.
    pub server: Option<String>,
    /// Where the connection was going.
    pub destination: Destination,
    /// Furthest phase reached.
    pub phase_reached: Option<Phase>,
    /// How it ended.
    pub outcome: Outcome,
    /// The phases, passed / failed / not reached.
    pub timeline: Vec<TimelineEntry>,
    /// Primary first.
    pub diagnoses: Vec<ReportedFinding>,
    /// Lines read, ssh lines recognised.
    pub lines: usize,
    /// Lines recognised as ssh output.
    pub ssh_lines: usize,
    /// Highest `-v` level seen (0 = none).
    pub verbosity: u8,
    /// The attempts before the last one, when several were pasted together
    /// (the report is about the last). Empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<crate::attempts::AttemptSummary>,
    /// When the evidence is thin: the likely causes, most frequent first,
    /// each with the check that tells it apart. Empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hypotheses: Vec<ReportedHypothesis>,
    /// Facts checked before connecting (`sshexplain run`): effective config,
    /// agent, identity files. Empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<String>,
    /// The connection of the server's log this report joins, when one was
    /// given (`--server`, or pasted with the client's output).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_log: Option<ServerLogMatch>,
}

/// What `--format json` prints for an input that gave no report: empty,
/// no ssh output, binary, unreadable.
#[derive(Debug, Clone, Serialize)]
pub struct Unreported {
    /// Schema version (as [`Report::schema`]).
    pub schema: &'static str,
    /// The language of `message`.
    pub lang: Lang,
    /// Input name, when several were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `no_ssh_output` or `error`.
    pub outcome: &'static str,
    /// Why there is no report.
    pub message: String,
}

/// Which connection of the server's log was read, and how it was matched
/// to the client's attempt.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ServerLogMatch {
    /// First and last line of the connection in the server's log.
    pub lines: (usize, usize),
    /// The client's address and source port as the server logged them.
    pub client: Option<String>,
    /// What matched the client's attempt (`key fingerprint`, `user`,
    /// `server address and port`); empty for a server log read alone.
    pub matched_by: Vec<&'static str>,
}

impl ServerLogMatch {
    /// One line for a reader: where the connection is and how it matched.
    pub fn describe(&self, lang: Lang) -> String {
        let who = self
            .client
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let how = if self.matched_by.is_empty() {
            String::new()
        } else {
            crate::tr!(
                lang,
                ", matched by {}",
                "、一致した項目: {}",
                self.matched_by.join(", ")
            )
        };
        crate::tr!(
            lang,
            "server's log: lines {}–{}{who}{how}",
            "サーバーのログ: {}–{} 行目{who}{how}",
            self.lines.0,
            self.lines.1
        )
    }
}

impl Report {
    /// Builds the report of a trace and its diagnosis.
    pub fn new(trace: &Trace, diagnosis: &Diagnosis) -> Report {
        let primary = &diagnosis.primary;
        let outcome = match (primary.cause.id, primary.severity()) {
            ("ok.connected", _) => Outcome::Connected,
            ("unknown", _) => Outcome::Unknown,
            (_, Severity::Error) => Outcome::Failed,
            _ => Outcome::Warning,
        };
        // Where it failed: the furthest phase the trace shows, or the phase
        // the cause belongs to when that is earlier (some lines, such as
        // `Authenticating to`, come before the key exchange that failed).
        let failed_at = if outcome == Outcome::Failed || outcome == Outcome::Unknown {
            // With no line that marks progress (a cut paste), the cause's
            // own phase tells how far it got.
            let cause = cause_phase(primary.cause.id);
            let shown = trace.phase.or(cause).unwrap_or(Phase::Config);
            Some(cause.map_or(shown, |c| c.min(shown)))
        } else {
            None
        };
        let timeline = Phase::ALL
            .iter()
            .filter(|p| **p != Phase::Config || failed_at == Some(Phase::Config))
            .map(|&phase| {
                let line = trace
                    .phase_lines
                    .iter()
                    .find(|(p, _)| *p == phase)
                    .map(|(_, l)| *l);
                let status = match (failed_at, trace.phase) {
                    (Some(f), _) if phase == f => PhaseStatus::Failed,
                    (Some(f), _) if phase < f => PhaseStatus::Passed,
                    (Some(_), _) => PhaseStatus::NotReached,
                    (None, Some(reached)) if phase <= reached => PhaseStatus::Passed,
                    (None, _) => PhaseStatus::NotReached,
                };
                TimelineEntry {
                    phase,
                    status,
                    line,
                }
            })
            .collect();
        let mut d = trace.destination();
        d.user = d.user.map(|u| visible(&u).into_owned());
        d.host = d.host.map(|h| visible(&h).into_owned());
        d.address = d.address.map(|a| visible(&a).into_owned());
        Report {
            schema: SCHEMA,
            lang: diagnosis.lang,
            source: None,
            client: trace
                .client_version()
                .map(|v| visible(&v.value).into_owned()),
            server: trace
                .server_version
                .as_ref()
                .map(|v| visible(&v.value).into_owned()),
            destination: d,
            phase_reached: trace.phase,
            outcome,
            timeline,
            diagnoses: std::iter::once(primary)
                .chain(&diagnosis.secondary)
                .map(|f| reported(f, diagnosis.lang))
                .collect(),
            lines: trace.stats.lines,
            ssh_lines: trace.stats.ssh_lines,
            verbosity: trace.stats.max_debug,
            attempts: Vec::new(),
            hypotheses: diagnosis
                .hypotheses
                .iter()
                .map(|h| {
                    let (why, check) = crate::diagnose::differential::text(h, diagnosis.lang);
                    ReportedHypothesis {
                        id: h.id,
                        why,
                        check,
                        seen: h.seen,
                    }
                })
                .collect(),
            checks: Vec::new(),
            server_log: trace.server.as_ref().map(|s| ServerLogMatch {
                lines: s.lines,
                client: s.addr.as_deref().map(|a| {
                    let a = visible(a);
                    // Port 0: one the poster replaced.
                    match s.port.filter(|p| *p != 0) {
                        Some(p) => format!("{a} port {p}"),
                        None => a.into_owned(),
                    }
                }),
                matched_by: s.matched_by.clone(),
            }),
        }
    }

    /// The report of a split input: its last attempt, with the earlier
    /// ones listed.
    pub fn of_attempts(split: &crate::attempts::Split, lang: Lang) -> Report {
        let mut r = Report::new(
            &split.last,
            &crate::diagnose::diagnose_trace_in(&split.last, lang),
        );
        r.attempts = split.earlier.clone();
        r.lines = r.lines.max(split.lines);
        r
    }

    /// The primary diagnosis.
    pub fn primary(&self) -> &ReportedFinding {
        &self.diagnoses[0]
    }

    /// The process exit code for this report: 0 connected (or only
    /// warnings), 1 a failure (or an unknown outcome).
    pub fn exit_code(&self) -> i32 {
        match self.outcome {
            Outcome::Connected | Outcome::Warning => 0,
            Outcome::Failed | Outcome::Unknown => 1,
        }
    }
}

/// The phase that a cause's family stops the connection in. Causes that
/// let it go on (a missing `-i` key surfaces in authentication) or that
/// may strike in any phase (a corrupt transport, a forward) have none.
fn cause_phase(id: &str) -> Option<Phase> {
    Some(match id.split('.').next()? {
        "resolve" => Phase::Resolve,
        // A jump host or proxy command that fails leaves the target unconnected.
        "connect" | "proxy" => Phase::Connect,
        "banner" => Phase::Banner,
        "kex" => Phase::Kex,
        "hostkey" => Phase::HostKey,
        "auth" => Phase::Auth,
        "session" | "service" => Phase::Session,
        _ => return None,
    })
}

fn reported(f: &Finding, lang: Lang) -> ReportedFinding {
    ReportedFinding {
        id: f.cause.id,
        severity: f.severity(),
        confidence: f.confidence,
        title: f.cause.title_in(lang),
        summary: visible(&f.summary).into_owned(),
        explanation: f.cause.explanation(lang),
        remediation: f
            .steps
            .iter()
            .map(|s| Step {
                text: visible(&s.text).into_owned(),
                place: s.place,
                command: s.command.as_deref().map(visible_keep_newlines),
            })
            .collect(),
        evidence: f
            .evidence
            .iter()
            .map(|e| Evidence {
                side: e.side,
                line: e.line,
                text: visible(&e.text).into_owned(),
            })
            .collect(),
        explains: f.explains.as_ref().map(|e| Evidence {
            side: e.side,
            line: e.line,
            text: visible(&e.text).into_owned(),
        }),
    }
}

/// Makes control characters and bidi overrides visible (`ESC` → `^[`,
/// `DEL` → `^?`, C1 controls and bidi controls → `<U+XXXX>`).
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// Like [`visible`], but keeps newlines (multi-line config snippets).
fn visible_keep_newlines(s: &str) -> String {
    s.split('\n')
        .map(|l| visible(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t') || is_invisible(c)
}

/// Characters that hide or reorder text without showing themselves:
/// bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E,
/// U+200F, U+202A–U+202E, U+2066–U+2069), zero-width characters (U+200B–U+200D,
/// U+2060–U+2064, U+FEFF, U+180E), the soft hyphen, line and paragraph
/// separators (U+2028, U+2029), Hangul fillers and tag characters.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

fn push_visible(out: &mut String, c: char) {
    match c {
        c if !needs_escape(c) => out.push(c),
        '\u{7f}' => out.push_str("^?"),
        c if (c as u32) < 0x20 => {
            out.push('^');
            out.push(char::from(b'@' + c as u8));
        }
        c => out.push_str(&format!("<U+{:04X}>", c as u32)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_made_visible() {
        assert_eq!(visible("a\x1b]0;title\x07b"), "a^[]0;title^Gb");
        assert_eq!(visible("\u{9b}2J"), "<U+009B>2J");
        assert_eq!(visible("x\u{202e}y"), "x<U+202E>y");
        assert_eq!(visible("tab\tok"), "tab\tok");
        assert_eq!(visible("\x7f"), "^?");
        for c in [
            '\u{61c}',
            '\u{200b}',
            '\u{200d}',
            '\u{feff}',
            '\u{2028}',
            '\u{e0041}',
        ] {
            assert_eq!(
                visible(&format!("a{c}b")),
                format!("a<U+{:04X}>b", c as u32)
            );
        }
    }

    #[test]
    fn report_of_a_lockout() {
        let text = "debug1: Connecting to h [10.0.0.5] port 22.\ndebug1: Connection established.\ndebug1: Authentications that can continue: publickey\ndebug1: Offering public key: /home/u/.ssh/id_ed25519 ED25519 SHA256:x\ndebug1: Authentications that can continue: publickey\nu@h: Permission denied (publickey).\n";
        let t = crate::trace(text);
        let r = Report::new(&t, &crate::diagnose::diagnose_trace(&t));
        assert_eq!(r.outcome, Outcome::Failed);
        assert_eq!(r.exit_code(), 1);
        let auth = r
            .timeline
            .iter()
            .find(|e| e.phase == Phase::Auth)
            .map(|e| e.status);
        assert_eq!(auth, Some(PhaseStatus::Failed));
        let connect = r
            .timeline
            .iter()
            .find(|e| e.phase == Phase::Connect)
            .map(|e| e.status);
        assert_eq!(connect, Some(PhaseStatus::Passed));
    }
}
