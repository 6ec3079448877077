//! sshexplain: why did this SSH connection fail, and what to do about it.
//!
//! The library reads the output of the OpenSSH client (`ssh -v`, with or
//! without `-v`, pasted, piped, wrapped in other tools' output) and explains
//! the failure it shows, citing the input lines that prove it.
//!
//! ```text
//! bytes ──► input ──► grammar ──► trace ──► diagnose ──► report ──► render
//! ```
//!
//! ## The diagnosis so far, while lines still arrive
//!
//! A tool that shows live status feeds lines to a [`Trace`] as they come
//! and asks for the diagnosis whenever it redraws: [`Trace::finish`] makes
//! the latest lines visible to the detectors and may be called again after
//! more lines.
//!
//! ```
//! use sshexplain::{diagnose::diagnose_trace, grammar::parse_line, input, Trace};
//!
//! let output = "debug1: Connecting to h [10.0.0.1] port 22.\n\
//!               ssh: connect to host h port 22: Connection refused\n";
//! let mut trace = Trace::new();
//! let mut seen = Vec::new();
//! for line in input::lines(output) {
//!     trace.push(&parse_line(line.view()), &line.text);
//!     trace.finish();
//!     seen.push(diagnose_trace(&trace).primary.cause.id);
//! }
//! assert_eq!(seen.last(), Some(&"connect.refused"));
//! ```
//!
//! Without default features (`sshexplain = { version = "…",
//! default-features = false }`) the crate is this library alone: the
//! command line (clap, completions, man page, Ctrl-C and terminal handling)
//! is the `cli` feature.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod attempts;
mod batch;
pub use batch::BATCH_BYTES;
pub mod diagnose;
pub mod event;
pub mod grammar;
pub mod input;
pub mod lang;
pub mod server;
pub mod sides;
pub mod trace;

use std::io::{self, BufRead};

pub use diagnose::{Confidence, Diagnosis, Finding, Severity};
pub use event::{Event, EventKind};
pub use trace::Trace;

/// Parses a whole text into events (owned), one per logical line.
pub fn parse(text: &str) -> Vec<Event<'static>> {
    input::lines(text)
        .map(|line| grammar::parse_line(line.view()).into_owned())
        .collect()
}

/// Folds a whole text into a [`Trace`].
pub fn trace(text: &str) -> Trace {
    let mut t = Trace::new();
    for line in input::lines(text) {
        t.push(&grammar::parse_line(line.view()), &line.text);
    }
    t.finish();
    t
}

/// Reads a stream line by line (bounded memory) into a [`Trace`]. UTF-16
/// and a byte order mark are decoded; a binary stream is an error of kind
/// `InvalidData` ([`input::BINARY`]).
pub fn trace_reader<R: BufRead>(reader: R) -> io::Result<Trace> {
    let mut t = Trace::new();
    let mut lines = input::LineReader::new(input::Decoder::new(reader));
    while let Some(line) = lines.next_line() {
        let line = line?;
        t.push(&grammar::parse_line(line), line.text);
    }
    t.finish();
    Ok(t)
}

/// Splits a whole text into attempts (see [`attempts`]).
pub fn attempts(text: &str) -> attempts::Split {
    let mut s = attempts::Splitter::new(lang::Lang::En);
    for line in input::lines(text) {
        s.push_line(line.view());
    }
    s.finish()
}

/// Reads a stream (bounded memory) into attempts, summaries of the earlier
/// ones written in `lang`.
pub fn attempts_reader<R: BufRead>(reader: R, lang: lang::Lang) -> io::Result<attempts::Split> {
    let mut s = attempts::Splitter::new(lang);
    batch::read_into(&mut s, reader)?;
    Ok(s.finish())
}

/// [`attempts_reader`], keeping the last earlier attempts whole
/// ([`attempts::Split::kept`]).
pub fn attempts_reader_keeping<R: BufRead>(
    reader: R,
    lang: lang::Lang,
) -> io::Result<attempts::Split> {
    let mut s = attempts::Splitter::keeping(lang);
    batch::read_into(&mut s, reader)?;
    Ok(s.finish())
}

/// Reads a client's output and the server's log of the same connection
/// (`sshexplain --server SERVER.log CLIENT.log`) into attempts, the
/// server's matching connection joined to the last one.
pub fn attempts_with_server<R: BufRead, S: BufRead>(
    client: R,
    server: S,
    lang: lang::Lang,
) -> io::Result<attempts::Split> {
    let mut s = attempts::Splitter::new(lang);
    batch::read_into(&mut s, client)?;
    s.server_input();
    batch::read_into(&mut s, server)?;
    Ok(s.finish())
}

/// Joins the server's log to a trace already read (`sshexplain run
/// --server-log FILE`): the connection that matches it, as
/// [`attempts_with_server`] does.
pub fn join_server_log<S: BufRead>(trace: Trace, server: S, lang: lang::Lang) -> io::Result<Trace> {
    let mut s = attempts::Splitter::continuing(trace, lang);
    s.server_input();
    batch::read_into(&mut s, server)?;
    Ok(s.finish().last)
}

/// Diagnoses the output of an OpenSSH client: its last attempt when several
/// were pasted together (see [`attempts()`]).
///
/// ```
/// let d = sshexplain::diagnose("bob@203.0.113.5: Permission denied (publickey).\n");
/// assert_eq!(d.primary.cause.id, "auth.key-rejected");
/// assert_eq!(d.primary.confidence, sshexplain::Confidence::Low);
/// ```
pub fn diagnose(text: &str) -> Diagnosis {
    diagnose::diagnose_trace(&attempts(text).last)
}

/// [`diagnose`], with summaries and steps written in `lang`.
///
/// ```
/// use sshexplain::lang::Lang;
/// let d = sshexplain::diagnose_in("ssh: connect to host h port 22: Connection refused\n", Lang::Ja);
/// assert_eq!(d.primary.cause.id, "connect.refused");
/// assert!(d.primary.summary.contains("受け付けるものがない"));
/// ```
pub fn diagnose_in(text: &str, lang: lang::Lang) -> Diagnosis {
    diagnose::diagnose_trace_in(&attempts(text).last, lang)
}
pub mod render;
pub mod report;
pub mod shell;

/// Diagnoses a trace and builds its report (in English).
pub fn report(trace: &Trace) -> report::Report {
    report_in(trace, lang::Lang::En)
}

/// Diagnoses a trace and builds its report in `lang`.
pub fn report_in(trace: &Trace, lang: lang::Lang) -> report::Report {
    report::Report::new(trace, &diagnose::diagnose_trace_in(trace, lang))
}

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
pub mod diff;
pub mod redact;
