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
//!
//! ## Ranking
//! The primary is the failure that ended the attempt:
//! 1. Only failures compete (side notes, warnings and findings a detector
//!    marked as not failing never do); the input is already one attempt
//!    (see [`crate::attempts`]), so a failure of an earlier attempt cannot
//!    win.
//! 2. A finding about a step ssh carries on after (a refused terminal, one
//!    of several addresses refused, [`Finding::carries_on`]) is primary
//!    only when no failure cited after it exists: the later one ended the
//!    connection.
//! 3. Every finding records the event it explains ([`Finding::explains`],
//!    `explains` in JSON: the first line its detector cites). Detectors
//!    speak only for the event that ended the attempt or the one that made
//!    it happen: a finding about a recovered step (a host key question
//!    answered yes, a refused key before an accepted one, a login that
//!    then worked) is marked not failing by its detector.
//! 4. Confidence is capped first by what the input lets one see
//!    ([`calibrate`]); then a cause the input shows (medium or high)
//!    outranks a guess from thin evidence (low): an unreachable agent
//!    outranks a bare `Permission denied (publickey)` read without `-v`.
//! 5. Two findings that explain the same event are two accounts of it:
//!    the one at higher confidence (the server's own words, `Too many
//!    authentication failures`) outranks the one inferred from the
//!    sequence (a key refused before the disconnect).
//! 6. Priorities break the remaining ties: a cause that makes another
//!    happen outranks it (a changed host key disables password logins, so
//!    it outranks the `Permission denied` that follows).
//! 7. When the primary is low, the differential of the symptom takes over
//!    ([`differential`]).

mod auth;
mod banner;
mod config;
mod connect;
mod context;
pub mod differential;
mod foreign;
mod forward;
mod hostkey;
mod kex;
mod mux;
mod outcome;
pub mod page;
pub mod platform;
mod proxy;
mod server;
mod service;
mod session;
mod stall;

pub use config::edit_distance;
pub use context::Ctx;
pub use stall::stall_hint;

use crate::lang::Lang;
use crate::tr;
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

    /// Human name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::Error => lang.pick("error", "エラー"),
            Severity::Warning => lang.pick("warning", "警告"),
            Severity::Info => lang.pick("info", "情報"),
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

    /// Human name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Confidence::High => lang.pick("high", "高"),
            Confidence::Medium => lang.pick("medium", "中"),
            Confidence::Low => lang.pick("low", "低"),
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
    /// The title in Japanese.
    pub title_ja: &'static str,
    /// Severity when it explains a failure.
    pub severity: Severity,
    /// Ranking among failure findings: the highest is primary.
    pub priority: u16,
    /// Long-form documentation (Markdown); its first paragraph is the
    /// explanation shown in reports.
    pub doc: &'static str,
    /// The doc in Japanese, without the evidence section (the evidence is
    /// ssh's own output, the same in both languages).
    pub doc_ja: &'static str,
    /// The detector.
    pub detect: Detector,
}

impl Cause {
    /// The title in `lang`.
    pub fn title_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.title, self.title_ja)
    }

    /// The first paragraph of the doc: the explanation shown in reports.
    pub fn explanation(&self, lang: Lang) -> String {
        let doc = self.doc_text(lang);
        crate::lang::join_lines(doc.split("\n\n").next().unwrap_or(""))
    }

    /// The doc as Markdown, leading indentation removed; in Japanese with
    /// the (untranslated) evidence section of the English doc appended.
    pub fn doc_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        match lang {
            Lang::En => {
                for line in self.doc.lines() {
                    out.push_str(line.strip_prefix(' ').unwrap_or(line));
                    out.push('\n');
                }
            }
            Lang::Ja => {
                for line in self.doc_ja.lines() {
                    out.push_str(line.trim());
                    out.push('\n');
                }
                let en = self.doc_text(Lang::En);
                if let Some(ev) = en.find("## Evidence") {
                    out.push_str("\n## 証拠となる出力");
                    out.push_str(&en[ev + "## Evidence".len()..]);
                }
            }
        }
        out.trim().to_string()
    }
}

/// Declares the causes of a family module.
macro_rules! causes {
    ($(
        $(#[doc = $doc:literal])*
        #[ja($title_ja:literal, $doc_ja:literal $(,)?)]
        $name:ident = $id:literal, $sev:ident, $prio:literal, $title:literal, $detect:path;
    )*) => {
        $(
            $(#[doc = $doc])*
            pub static $name: $crate::diagnose::Cause = $crate::diagnose::Cause {
                id: $id,
                title: $title,
                title_ja: $title_ja,
                severity: $crate::diagnose::Severity::$sev,
                priority: $prio,
                doc: concat!($($doc, "\n"),*),
                doc_ja: $doc_ja,
                detect: $detect,
            };
        )*
        /// The causes of this family, in catalog order.
        pub static CAUSES: &[&$crate::diagnose::Cause] = &[$(&$name),*];
    };
}
pub(crate) use causes;

/// Where a remediation step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Where {
    /// On the machine that ran ssh.
    #[default]
    Client,
    /// On the server (its console, or a session that still works).
    Server,
}

impl Where {
    /// Lower-case name, as JSON writes it.
    pub fn name(self) -> &'static str {
        match self {
            Where::Client => "client",
            Where::Server => "server",
        }
    }
}

/// One remediation step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// What to do.
    pub text: String,
    /// Where to do it.
    #[serde(rename = "where")]
    pub place: Where,
    /// A command to copy, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

impl Step {
    /// A step on this machine without a command.
    pub fn say(text: impl Into<String>) -> Step {
        Step {
            text: text.into(),
            place: Where::Client,
            command: None,
        }
    }

    /// A step on this machine with a command.
    pub fn run(text: impl Into<String>, command: impl Into<String>) -> Step {
        Step {
            text: text.into(),
            place: Where::Client,
            command: Some(command.into()),
        }
    }

    /// The same step, done on the server.
    pub fn on_server(mut self) -> Step {
        self.place = Where::Server;
        self
    }
}

/// An input line quoted as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Who wrote it: the client or the server (its log).
    pub side: crate::event::Side,
    /// 1-based line in that side's input.
    pub line: usize,
    /// Its text.
    pub text: String,
}

impl Evidence {
    /// The evidence of one kept input line.
    pub fn of(n: &Noted) -> Evidence {
        Evidence {
            side: n.kind().side(),
            line: n.line(),
            text: n.text.clone(),
        }
    }

    /// Where the line is: its number, or `server:N` for a line of the
    /// server's log.
    pub fn place(&self) -> String {
        match self.side {
            crate::event::Side::Server => format!("server:{}", self.line),
            crate::event::Side::Client => self.line.to_string(),
        }
    }
}

/// A cause found in a trace.
#[derive(Debug, Clone)]
#[non_exhaustive]
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
    /// ssh carries on after the event this finding explains (a terminal
    /// refused, one address of several refused): it ends the attempt only
    /// when no later failure does (see [`diagnose_trace_in`]).
    pub carries_on: bool,
    /// The event it explains: the first line its detector gave (none for
    /// a finding about what the input lacks).
    pub explains: Option<Evidence>,
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
            carries_on: false,
            explains: evidence.first().map(|n| Evidence::of(n)),
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
                self.evidence.push(Evidence::of(n));
            }
        }
        self.evidence.sort_by_key(|e| (e.side, e.line));
        if self.evidence.len() > 12 {
            // Keep the explained event among the twelve quoted.
            let key = self.explains.as_ref().map(|e| (e.side, e.line));
            let keep = self
                .evidence
                .iter()
                .position(|e| Some((e.side, e.line)) == key)
                .filter(|&i| i >= 12);
            if let Some(i) = keep {
                self.evidence.swap(11, i);
            }
            self.evidence.truncate(12);
            self.evidence.sort_by_key(|e| (e.side, e.line));
        }
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

    /// Names the event it explains, when its first cited line is not it.
    pub fn explaining(mut self, n: Option<&Noted>) -> Self {
        if let Some(n) = n {
            self.explains = Some(Evidence::of(n));
            self.cite([n]);
        }
        self
    }

    /// Marks the event it explains as one ssh carries on after.
    pub fn carries_on(mut self) -> Self {
        self.carries_on = true;
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
        server::CAUSES,
        outcome::CAUSES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// Whether only the server's log can show a cause (the `Server-side
/// causes` of the catalog): the client's output never names it.
pub fn server_side(id: &str) -> bool {
    server::CAUSES.iter().any(|c| c.id == id)
}

/// Looks a cause up by ID.
pub fn cause(id: &str) -> Option<&'static Cause> {
    catalog().find(|c| c.id == id)
}

/// The ranked findings of a trace.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Diagnosis {
    /// Why the connection failed (or that it worked).
    pub primary: Finding,
    /// Everything else worth knowing.
    pub secondary: Vec<Finding>,
    /// When the evidence is thin: the likely causes, most frequent first
    /// (see [`differential`]); the primary is the first of them.
    pub hypotheses: Vec<&'static differential::Hypothesis>,
    /// The language of the summaries and steps.
    pub lang: Lang,
}

/// Runs every detector and ranks the findings (in English).
pub fn diagnose_trace(trace: &Trace) -> Diagnosis {
    diagnose_trace_in(trace, Lang::En)
}

/// Runs every detector and ranks the findings, written in `lang`.
pub fn diagnose_trace_in(trace: &Trace, lang: Lang) -> Diagnosis {
    let ctx = Ctx::new(trace, lang);
    let mut findings: Vec<(usize, Finding)> = catalog()
        .enumerate()
        .filter(|(_, c)| c.priority > 0)
        .filter_map(|(i, c)| (c.detect)(trace, &ctx).map(|f| (i, f)))
        .collect();
    // Another client's failure, or what a server's log alone shows,
    // mapped to the cause it names (unless the detectors already found
    // that cause).
    for f in [
        foreign::findings(trace, &ctx),
        server::outcomes(trace, &ctx),
        server::missing_keys_file(trace, &ctx),
    ]
    .into_iter()
    .flatten()
    {
        if !findings.iter().any(|(_, g)| g.cause.id == f.cause.id) {
            findings.push(in_catalog(f));
        }
    }
    // A retyped message speaks only when nothing else names a failure.
    if !findings.iter().any(|(_, f)| f.failure) {
        findings.extend(foreign::retyped(trace, &ctx).map(in_catalog));
    }
    for (_, f) in &mut findings {
        calibrate(f, trace);
    }
    let ended: Vec<bool> = findings
        .iter()
        .map(|(_, f)| !superseded(f, findings.iter().map(|(_, g)| g)))
        .collect();
    // A specific cause the input shows outranks a guess from thin evidence.
    let sure = |f: &Finding| f.cause.priority > FALLBACK_PRIORITY && f.confidence > Confidence::Low;
    // Two accounts of the same event: the one ssh's (or sshd's) own words
    // name outranks the one inferred.
    let outvoted: Vec<bool> = findings
        .iter()
        .map(|(_, f)| {
            findings.iter().any(|(_, g)| {
                g.failure
                    && sure(g)
                    && g.confidence > f.confidence
                    && g.explains.is_some()
                    && g.explains == f.explains
            })
        })
        .collect();
    let best = findings
        .iter()
        .enumerate()
        .filter(|(_, (_, f))| f.failure)
        .max_by(|(pa, (ia, a)), (pb, (ib, b))| {
            ended[*pa]
                .cmp(&ended[*pb])
                .then(sure(a).cmp(&sure(b)))
                .then(outvoted[*pb].cmp(&outvoted[*pa]))
                .then(a.cause.priority.cmp(&b.cause.priority))
                .then(ib.cmp(ia))
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
                Some(pos) => {
                    let mut f = findings.remove(pos).1;
                    // A -v trace that shows neither a failure nor a success
                    // was cut off (or is still running): its warning is a
                    // fact, not what the attempt ended in.
                    if trace.stats.max_debug > 0 {
                        f.confidence = f.confidence.min(Confidence::Low);
                    }
                    f
                }
                None => outcome::fallback(trace, &ctx),
            },
        },
    };
    // Fallback causes (auth.failed) only speak when nothing more specific does.
    let mut secondary: Vec<Finding> = findings
        .into_iter()
        .map(|(_, f)| f)
        .filter(|f| {
            f.cause.id != primary.cause.id
                && f.cause.id != "ok.connected"
                && f.cause.priority > FALLBACK_PRIORITY
        })
        .collect();
    let mut primary = primary;
    for f in std::iter::once(&mut primary).chain(&mut secondary) {
        server::corroborate(f, trace);
    }
    guess_password(&mut primary, trace);
    let mut hypotheses = Vec::new();
    if primary.confidence == Confidence::Low {
        if let Some(s) = differential::symptom(trace) {
            hypotheses = s.hypotheses.iter().collect();
            // An earlier attempt of the same paste, to the same host, that
            // showed one of the candidates ranks it first.
            let shown = |id: &str| trace.earlier_causes.iter().find(|(c, ..)| *c == id);
            hypotheses.sort_by_key(|h| (shown(h.id).is_none(), std::cmp::Reverse(h.seen)));
            let earlier = hypotheses.first().and_then(|h| shown(h.id)).copied();
            if let Some(f) = differential_finding(&primary, s, &hypotheses, earlier, &ctx) {
                primary = f;
            }
        }
    }
    if let Some((from, to)) = trace.later_cut {
        // The user's state now is the cut attempt's, which shows nothing.
        primary.confidence = primary.confidence.min(Confidence::Medium);
        primary.summary = tr!(
            lang,
            "{} (This is the attempt before the last one: the last attempt, lines {from}–{to}, stops before any outcome.)",
            "{}（これは最後の一つ前の試行です。最後の試行（{from}–{to} 行）は結果が出る前に終わっています。）",
            primary.summary
        );
    }
    server::ask_for_log(&mut primary, trace, &ctx);
    for f in std::iter::once(&mut primary).chain(&mut secondary) {
        hosted(f, &ctx);
        explain_placeholders(f, &ctx);
    }
    Diagnosis {
        primary,
        secondary,
        hypotheses,
        lang,
    }
}

/// A finding with its cause's place in the catalog (the last tie-break).
fn in_catalog(f: Finding) -> (usize, Finding) {
    (catalog().position(|c| c.id == f.cause.id).unwrap_or(0), f)
}

/// A hosting service's server (GitHub, GitLab...) is not the user's to
/// configure: its server steps give way to one step that says so.
fn hosted(f: &mut Finding, ctx: &Ctx) {
    let Some(h) = ctx.server.hosting() else {
        return;
    };
    let before = f.steps.len();
    f.steps.retain(|s| s.place == Where::Client);
    if f.steps.len() < before {
        f.steps.push(Step::say(tr!(
            ctx.lang,
            "The server is {}'s: its settings and logs are not yours to change. What you control is this machine, the network between, and the keys on your account ({}).",
            "サーバーは {} のものです。その設定やログは変えられません。変えられるのは、このマシン、途中のネットワーク、アカウントの鍵（{}）です。",
            h.name(),
            h.keys_page()
        )));
    }
}

/// Whether a later failure took over from this finding: ssh carried on
/// after the event it explains, and another failure's evidence comes after
/// it (a refused terminal, then a refused shell: the shell ended it).
fn superseded<'a>(f: &Finding, others: impl Iterator<Item = &'a Finding>) -> bool {
    /// The client's lines a finding cites (a server log numbers its own).
    fn lines(f: &Finding) -> impl Iterator<Item = usize> + '_ {
        f.evidence
            .iter()
            .filter(|e| e.side == crate::event::Side::Client)
            .map(|e| e.line)
    }
    let explained = f
        .explains
        .as_ref()
        .filter(|e| e.side == crate::event::Side::Client)
        .map(|e| e.line);
    let Some(first) = explained
        .or_else(|| lines(f).min())
        .filter(|_| f.carries_on)
    else {
        return false;
    };
    others
        .filter(|g| g.failure && !g.carries_on && !std::ptr::eq(f, *g))
        .any(|g| lines(g).max().is_some_and(|last| last > first))
}

/// A refused password leads at low confidence unless the server's log
/// says so too: sshd refuses a wrong password, a user that does not exist
/// and a root login it does not permit alike, so that no one learns which.
/// (Only after ranking: the refusal still ends the attempt.)
/// Any other server line (a close, an unknown user's refusal) is not that
/// confirmation.
fn guess_password(f: &mut Finding, t: &Trace) {
    if f.cause.id == "auth.password-rejected" && auth::password_confirmed(t).is_none() {
        f.confidence = Confidence::Low;
    }
}

/// The primary of a thin trace: its most likely cause at low confidence,
/// the likely causes as steps, each with the check that tells it apart.
fn differential_finding(
    thin: &Finding,
    symptom: &differential::Symptom,
    hypotheses: &[&differential::Hypothesis],
    earlier: Option<(&'static str, usize, usize)>,
    ctx: &Ctx,
) -> Option<Finding> {
    let l = ctx.lang;
    let top = hypotheses.first()?;
    let cause = self::cause(top.id)?;
    let total: u32 = hypotheses.iter().map(|h| h.seen).sum();
    let (why, _) = differential::text(top, l);
    let mut steps: Vec<Step> = hypotheses
        .iter()
        .filter_map(|h| {
            let c = self::cause(h.id)?;
            let (why, check) = differential::text(h, l);
            let text = if h.seen > 0 {
                tr!(
                    l,
                    "If {why} ({}; {} of {total} public pastes with this message). Check: {check}.",
                    "{why}場合（{}。この出力の公開事例 {total} 件中 {} 件）。確かめ方: {check}。",
                    c.id,
                    h.seen
                )
            } else {
                tr!(
                    l,
                    "If {why} ({}). Check: {check}.",
                    "{why}場合（{}）。確かめ方: {check}。",
                    c.id
                )
            };
            Some(match (h.command)(ctx) {
                Some(cmd) => Step::run(text, cmd),
                None => Step::say(text),
            })
        })
        .collect();
    steps.extend(
        thin.steps
            .iter()
            .filter(|s| {
                s.command
                    .as_deref()
                    .is_some_and(|c| c.contains("| sshexplain"))
            })
            .cloned(),
    );
    steps.dedup();
    let lead = l.pick(symptom.lead.0, symptom.lead.1);
    let summary = match earlier {
        Some((_, first, last)) => tr!(
            l,
            "{lead} Most likely: {why}, which the earlier attempt to the same server in this paste (lines {first}–{last}) showed. The checks below tell the causes apart.",
            "{lead}最もありそうなのは: {why}。この貼り付けの、同じサーバーへの前の試行（{first}–{last} 行目）がそれを示しています。以下の確かめ方で原因を見分けられます。"
        ),
        None => tr!(
            l,
            "{lead} Most likely, as in {} of {total} public pastes with this message: {why}. The checks below tell the causes apart.",
            "{lead}この出力の公開事例 {total} 件中 {} 件と同じく、最もありそうなのは: {why}。以下の確かめ方で原因を見分けられます。",
            top.seen
        ),
    };
    let mut f = Finding::new(cause, summary, &[])
        .confidence(Confidence::Low)
        .steps(steps);
    f.evidence = thin.evidence.clone();
    f.explains = thin.explains.clone();
    Some(f)
}

/// Caps a finding's confidence by what the input lets one see.
///
/// `high` means ssh's own words name the cause. Several causes are instead
/// concluded from what is *not* there (no key accepted, no method left, no
/// banner line before the close), and that absence means something only
/// when the input shows the step from its start, at `-v`: a paste cut to its
/// last lines, or printed without `-v`, shows the same final message for
/// several causes. Such a finding is then `medium` at most:
/// - authentication concluded from the sequence (a refused key, no method
///   left, no key, a second factor, a prompt that could not be shown, a
///   session that ended at once) needs the attempt's start and `-v`;
/// - a close, reset or timeout before the banner needs `-v`, which shows
///   what the server sent (a web server's reply is not shown without it);
/// - a refused channel needs the line that opened it (session or forward);
/// - a broken or reset session needs the attempt's start and `-v`;
/// - a changed host key needs ssh's warning banner or the attempt's start;
/// - a timeout is a connect timeout for sure only with the connect line or
///   the attempt's start (`Connection to H port P timed out` also ends a
///   banner exchange);
/// - a password refused without `-v` may be no password at all (no terminal);
/// - a login is a working connection for sure only with the session's
///   start, exit status 0 or a service's greeting;
/// - a stale control socket needs ssh's words about the socket itself.
fn calibrate(f: &mut Finding, t: &Trace) {
    use crate::event::EventKind as K;
    let verbose = t.stats.max_debug > 0;
    let start = t.from_start();
    let seen = match f.cause.id {
        "auth.key-rejected"
        | "auth.method-unavailable"
        | "auth.no-identities"
        | "auth.partial-success"
        | "auth.no-tty"
        | "auth.key-passphrase"
        | "auth.password-rejected"
        // The named key is missing (ssh says so), but whether no other key
        // was offered only a -v trace from its start shows.
        | "config.identity-missing"
        | "session.closed-after-auth" => start && verbose,
        // `Connection to H port P timed out` also ends a banner exchange.
        "connect.timeout" => {
            start
                || t.has(|k| matches!(k, K::ConnectFailed { .. } | K::ConnectAddressFailed { .. }))
        }
        // A master that fails its hello is not yet a stale socket.
        "mux.stale-socket" => t.has(|k| {
            matches!(
                k,
                K::ControlSocketConnect { .. } | K::ControlSocketExists { .. }
            )
        }),
        // A login is shown, but not how the session went.
        "ok.connected" => t.has(|k| {
            matches!(
                k,
                K::ExitStatus { code: 0 } | K::EnteringSession {} | K::ServiceGreeting { .. }
            )
        }),
        "banner.closed" | "banner.timeout" | "banner.reset" => verbose,
        "forward.open-failed" | "session.open-refused" => {
            t.has(|k| matches!(k, K::ChannelNew { .. }))
        }
        // Without -v nothing shows whether a session ran at all before it
        // broke (a server that drops the login at once looks the same).
        "session.broken-pipe" | "session.reset" => start && verbose,
        "hostkey.changed" => start || t.has(|k| matches!(k, K::HostKeyChangedBanner {})),
        _ => true,
    };
    if !seen && f.confidence == Confidence::High {
        f.confidence = Confidence::Medium;
    }
    // "Nothing the server accepts was tried" needs every try in sight: a
    // paste cut after its start may have lost them.
    if f.cause.id == "auth.method-unavailable" && !start {
        f.confidence = Confidence::Low;
    }
}

/// Says why a finding's commands use a placeholder for a value the input
/// held but that did not have the shape it claims (see [`crate::shell`]).
fn explain_placeholders(f: &mut Finding, ctx: &Ctx) {
    let mut notes = Vec::new();
    for (what, value) in &ctx.refused {
        let p = what.placeholder();
        let used = f.steps.iter().any(|s| {
            s.command.as_deref().is_some_and(|c| {
                c.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .any(|w| w == p)
            })
        });
        let note = context::refusal(*what, value, ctx.lang);
        if used && !f.steps.contains(&note) {
            notes.push(note);
        }
    }
    f.steps.splice(0..0, notes);
}

/// The priority of catch-all causes such as `auth.failed`.
const FALLBACK_PRIORITY: u16 = 1;
