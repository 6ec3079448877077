//! A paste is a sequence of attempts.
//!
//! People paste several tries at once (`$ ssh host` … `$ ssh -p 2222 host`
//! …). Folded into one trace, one attempt's cause hides the other's, or the
//! header comes from the wrong one. The [`Splitter`] starts a new attempt
//! where a new connection starts: a pasted command line that connects
//! somewhere (a shell prompt with ssh, scp, sftp, git or rsync, a
//! `GIT_SSH_COMMAND`, Ansible's `SSH: EXEC`), never ssh's own echo of its
//! command line, and where Ansible reports another unreachable host. (A
//! client version line alone does not split: tools such as VS Code print
//! the same attempt's output several times.) Each attempt is diagnosed on
//! its own; the report leads with the last one, the state the user is in
//! now, and lists the earlier ones (at most [`MAX_EARLIER`], one line each).

use crate::diagnose::{diagnose_trace_in, Confidence, Severity};
use crate::event::{Event, EventKind as K};
use crate::input::LineRef;
use crate::lang::Lang;
use crate::report::{Outcome, Report};
use crate::server::{Connection, ServerLog};
use crate::sides::{Said, Sider};
use crate::trace::{Destination, Phase, Trace};
use serde::Serialize;

/// Earlier attempts kept as summaries; more are only counted.
pub const MAX_EARLIER: usize = 64;

/// Earlier attempts kept whole when asked ([`Splitter::keeping`]); older
/// ones are only summarised. Each is bounded like any trace.
pub const MAX_KEPT: usize = 8;

/// An earlier attempt kept whole.
#[derive(Debug, Clone)]
pub struct KeptAttempt {
    /// Its first input line.
    pub first_line: usize,
    /// Its last input line.
    pub last_line: usize,
    /// The attempt.
    pub trace: Trace,
}

/// One earlier attempt, as the report lists it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct AttemptSummary {
    /// Its first input line.
    pub first_line: usize,
    /// Its last input line.
    pub last_line: usize,
    /// Where it was going.
    pub destination: Destination,
    /// How far it got.
    pub phase_reached: Option<Phase>,
    /// How it ended.
    pub outcome: Outcome,
    /// Its diagnoses, primary first.
    pub diagnoses: Vec<AttemptFinding>,
}

/// A diagnosis of an earlier attempt.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptFinding {
    /// Cause ID.
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Severity as reported.
    pub severity: Severity,
    /// Confidence.
    pub confidence: Confidence,
}

/// The causes earlier attempts to the last attempt's host showed at medium
/// or high confidence, latest first.
fn earlier_causes(earlier: &[AttemptSummary], last: &Trace) -> Vec<(&'static str, usize, usize)> {
    let Some(host) = last.destination().host else {
        return Vec::new();
    };
    earlier
        .iter()
        .rev()
        .filter(|a| {
            a.outcome == Outcome::Failed
                && a.destination
                    .host
                    .as_deref()
                    .is_some_and(|h| h.eq_ignore_ascii_case(&host))
        })
        .filter_map(|a| {
            let d = a.diagnoses.first()?;
            (d.confidence > Confidence::Low).then_some((d.id, a.first_line, a.last_line))
        })
        .collect()
}

/// The attempts of one input.
#[derive(Debug)]
#[non_exhaustive]
pub struct Split {
    /// The last attempt, whole.
    pub last: Trace,
    /// The earlier ones, summarised, in order.
    pub earlier: Vec<AttemptSummary>,
    /// Earlier attempts beyond [`MAX_EARLIER`].
    pub dropped: usize,
    /// Lines read in all attempts.
    pub lines: usize,
    /// The last [`MAX_KEPT`] earlier attempts whole, in order, when the
    /// splitter was asked to keep them.
    pub kept: Vec<KeptAttempt>,
}

impl Split {
    /// An input read as one attempt (live mode, `--redact`).
    pub fn single(last: Trace) -> Split {
        Split {
            lines: last.stats.lines,
            last,
            earlier: Vec::new(),
            dropped: 0,
            kept: Vec::new(),
        }
    }
}

/// Whether a command line was typed at a shell prompt (`$ ssh`, `% ssh`,
/// `# ssh`, `PS C:\> ssh`, `user@host:~$ ssh`), not echoed by a tool
/// (`Running ssh connection command: ssh`).
fn typed(text: &str, program: &str) -> bool {
    let word = text.match_indices(program).find(|(at, _)| {
        let end = at + program.len();
        text[..*at]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace)
            && text[end..].chars().next().is_none_or(char::is_whitespace)
    });
    word.is_some_and(|(at, _)| {
        let before = text[..at].trim_end();
        before.is_empty() || before.ends_with(crate::grammar::PROMPT_ENDS)
    })
}

/// One input line parsed before it reaches the [`Splitter`], which can
/// happen on another thread: parsed as the side the line alone says (the
/// client's when it does not say), which the splitter then checks against
/// the lines before it.
#[derive(Debug)]
pub struct Parsed<'a> {
    line: LineRef<'a>,
    said: Said<'a>,
    event: Event<'a>,
}

impl<'a> Parsed<'a> {
    /// Parses `line` of an input whose lines are all the server's (`all`,
    /// [`Splitter::all_server`]) or not.
    pub fn new(line: LineRef<'a>, all: bool) -> Parsed<'a> {
        let said = Said::of(line, all);
        let event = match said.server() {
            Some(at) => crate::grammar::parse_server_line(line, at),
            None => crate::grammar::parse_line(line),
        };
        Parsed { line, said, event }
    }
}

/// Folds events into attempts.
#[derive(Debug)]
pub struct Splitter {
    cur: Trace,
    first_line: usize,
    last_line: usize,
    /// The command lines seen in the current attempt (at most 8).
    commands: Vec<String>,
    earlier: Vec<AttemptSummary>,
    dropped: usize,
    lines: usize,
    /// Whether earlier attempts are kept whole, and those kept.
    keep: bool,
    kept: Vec<KeptAttempt>,
    /// The latest earlier attempt that failed with a named cause, whole.
    failed: Option<KeptAttempt>,
    lang: Lang,
    sider: Sider,
    server: ServerLog,
    /// The attempt a command line ended, until ssh output after that
    /// command confirms a new attempt (see [`Splitter::push`]).
    pending: Option<Pending>,
}

/// An attempt ended by a command line, and the lines after that command.
#[derive(Debug)]
struct Pending {
    trace: Trace,
    first_line: usize,
    last_line: usize,
    /// The new attempt's lines so far (none of them ssh's output), owned
    /// so they can go back to `trace`; at most [`MAX_HELD`].
    held: Vec<(Event<'static>, String)>,
}

/// Lines held while a new attempt has shown no ssh output: beyond that,
/// the new attempt stands.
const MAX_HELD: usize = 64;

impl Splitter {
    /// A splitter writing summaries in `lang`.
    pub fn new(lang: Lang) -> Splitter {
        Splitter {
            cur: Trace::new(),
            first_line: 1,
            last_line: 0,
            commands: Vec::new(),
            earlier: Vec::new(),
            dropped: 0,
            lines: 0,
            keep: false,
            kept: Vec::new(),
            failed: None,
            lang,
            sider: Sider::new(),
            server: ServerLog::new(),
            pending: None,
        }
    }

    /// A splitter that goes on from a trace already read (`sshexplain run`
    /// reads ssh's output itself), as its current attempt.
    pub fn continuing(trace: Trace, lang: Lang) -> Splitter {
        let mut s = Splitter::new(lang);
        s.cur = trace;
        s
    }

    /// A splitter that also keeps the last [`MAX_KEPT`] earlier attempts
    /// whole (`--verbose`, `diff FILE`).
    pub fn keeping(lang: Lang) -> Splitter {
        Splitter {
            keep: true,
            ..Splitter::new(lang)
        }
    }

    /// The lines from now on are the server's log (a second input).
    pub fn server_input(&mut self) {
        self.sider = Sider::server();
    }

    /// Adds one input line: the client's to the current attempt, the
    /// server's (see [`crate::sides`]) to the server's log.
    pub fn push_line(&mut self, line: LineRef<'_>) {
        if let Some(at) = self.sider.server_line(line) {
            let event = crate::grammar::parse_server_line(line, at);
            self.server.push(&event, line.text, at.pid);
            self.lines += 1;
            return;
        }
        self.push(&crate::grammar::parse_line(line), line.text);
    }

    /// Whether every line is the server's from now on (what
    /// [`Parsed::new`] needs to know).
    pub fn all_server(&self) -> bool {
        self.sider.all()
    }

    /// Adds one input line parsed ahead (see [`Parsed`]): the same as
    /// [`Splitter::push_line`] of its line (`tests/parallel.rs` checks it).
    pub fn push_parsed(&mut self, parsed: Parsed<'_>) {
        let Parsed { line, said, event } = parsed;
        match self.sider.decide(said, line.text) {
            Some(at) => {
                // Parsed as the client's, but inside a block of server lines.
                let event = match said.server() {
                    Some(_) => event,
                    None => crate::grammar::parse_server_line(line, at),
                };
                self.server.push(&event, line.text, at.pid);
                self.lines += 1;
            }
            None => self.push(&event, line.text),
        }
    }

    /// Whether `event`, a command line `command`, starts a new attempt.
    fn starts_attempt(&self, event: &Event<'_>, text: &str, command: &str) -> bool {
        let K::Command { program, args } = &event.kind else {
            return false;
        };
        self.cur.has_client_output()
            // A pasted command, not ssh's own `debug1: Started with: ssh ...`
            // (OpenSSH 10, also a ProxyJump's helper) echoing the attempt
            // under way.
            && event.level == crate::event::Level::Plain
            // A tool echoing the command it ran (whole or cut off) is the
            // same attempt, unless that attempt has ended and the command
            // is typed again at a prompt: a retry.
            && ((self.ended() && typed(text, program))
                || !self
                    .commands
                    .iter()
                    .any(|c| c.starts_with(command) || command.starts_with(c.as_str())))
            // `ssh child died, shutting down` is a sentence, not a command.
            && !args.contains(", ")
            // One that connects somewhere (not `ssh -V`).
            && crate::trace::CommandLine::parse(event.line, program, args)
                .destination
                .is_some()
    }

    /// Whether the current attempt shows how it ended: a final refusal or
    /// failure of ssh's, or the session's exit status.
    fn ended(&self) -> bool {
        self.cur.has(|k| {
            matches!(
                k,
                K::ExitStatus { .. }
                    | K::PermissionDenied { .. }
                    | K::ConnectFailed { .. }
                    | K::ResolveFailed { .. }
                    | K::HostKeyVerificationFailed {}
                    | K::NoMatchingAlgorithm { .. }
                    | K::IdentClosed { .. }
                    | K::IdentReadFailed { .. }
                    | K::BannerTimeout {}
                    | K::ConnectionClosedBy { .. }
                    | K::ConnectionError { .. }
                    | K::ClosedByRemote { .. }
                    | K::KilledBySignal { .. }
                    | K::ConfigTerminating { .. }
                    | K::BadArgument { .. }
                    | K::Usage {}
            )
        })
    }

    /// Adds one parsed line.
    pub fn push(&mut self, event: &Event<'_>, text: &str) {
        // Ansible's result for one host: that host's attempt (its message
        // follows), after another host's or an earlier run's.
        let host_result =
            matches!(event.kind, K::HostUnreachable { .. }) && self.cur.has_client_output();
        let command = match &event.kind {
            K::Command { program, args } => Some(format!("{program} {args}")),
            _ => None,
        };
        let by_command = command
            .as_deref()
            .is_some_and(|c| self.starts_attempt(event, text, c));
        if host_result || by_command {
            self.split(event.line, by_command);
        }
        if let Some(command) = command {
            if self.commands.len() < 8 {
                self.commands.push(command);
            }
        }
        self.last_line = event.line;
        self.lines += 1;
        self.cur.push(event, text);
        self.confirm(event, text);
    }

    /// Ends the current attempt before `line`. One ended by a command line
    /// waits for ssh output after the command: a tool that repeats the
    /// command after ssh's output (VS Code's `Received install output:
    /// ... Running ssh connection command: ssh ...`, Node's `Command
    /// failed: ssh ...`) is still the same attempt.
    fn split(&mut self, line: usize, by_command: bool) {
        if let Some(p) = self.pending.take() {
            self.close(p.trace, p.first_line, p.last_line);
        }
        let done = std::mem::take(&mut self.cur);
        if by_command {
            self.pending = Some(Pending {
                trace: done,
                first_line: self.first_line,
                last_line: self.last_line,
                held: Vec::new(),
            });
        } else {
            self.close(done, self.first_line, self.last_line);
        }
        self.first_line = line;
        self.commands.clear();
    }

    /// Settles a pending split with the line just added: ssh output
    /// confirms the new attempt; other lines are held, up to [`MAX_HELD`].
    fn confirm(&mut self, event: &Event<'_>, text: &str) {
        let Some(p) = self.pending.as_mut() else {
            return;
        };
        let output = event.is_ssh()
            && !matches!(event.kind, K::Command { .. })
            && !(matches!(event.kind, K::Other { .. })
                && event.level == crate::event::Level::Plain);
        if output || p.held.len() == MAX_HELD {
            if let Some(p) = self.pending.take() {
                self.close(p.trace, p.first_line, p.last_line);
            }
        } else {
            p.held.push((event.clone().into_owned(), text.to_string()));
        }
    }

    fn close(&mut self, mut t: Trace, first_line: usize, last_line: usize) {
        t.finish();
        let named = self.summarise(&t, first_line, last_line);
        let kept = KeptAttempt {
            first_line,
            last_line,
            trace: t,
        };
        // Only the attempt right before the current one counts.
        if self.keep {
            self.failed = named.then(|| kept.clone());
            self.keep_whole(kept);
        } else {
            self.failed = named.then_some(kept);
        }
    }

    fn keep_whole(&mut self, kept: KeptAttempt) {
        if self.kept.len() == MAX_KEPT {
            self.kept.remove(0);
        }
        self.kept.push(kept);
    }

    /// When the last attempt stops before any outcome (a paste cut off
    /// inside it, or a working attempt cut short) and an earlier one failed
    /// with a named cause, that failure is what the paste shows: it leads,
    /// and the cut attempt is listed with the others.
    fn lead_with_failure(&mut self) {
        if self.failed.is_none() || !self.cur.has_client_output() {
            return;
        }
        let d = diagnose_trace_in(&self.cur, self.lang);
        if d.primary.cause.id != "unknown" || Report::new(&self.cur, &d).outcome != Outcome::Unknown
        {
            return;
        }
        let Some(f) = self.failed.take() else {
            return;
        };
        let cut = std::mem::replace(&mut self.cur, f.trace);
        self.earlier.retain(|a| a.first_line != f.first_line);
        self.summarise(&cut, self.first_line, self.last_line);
        self.cur.later_cut = Some((self.first_line, self.last_line));
        if self.keep {
            // The failure is the last attempt now; the cut one is kept.
            self.kept.retain(|k| k.first_line != f.first_line);
            self.keep_whole(KeptAttempt {
                first_line: self.first_line,
                last_line: self.last_line,
                trace: cut,
            });
        }
        self.first_line = f.first_line;
        self.last_line = f.last_line;
    }

    /// Lists an earlier attempt; true when it failed with a named cause.
    fn summarise(&mut self, t: &Trace, first_line: usize, last_line: usize) -> bool {
        if self.earlier.len() == MAX_EARLIER {
            self.dropped += 1;
            return false;
        }
        let d = diagnose_trace_in(t, self.lang);
        let r = Report::new(t, &d);
        let named = r.outcome == Outcome::Failed && d.primary.cause.id != "unknown";
        self.earlier.push(AttemptSummary {
            first_line,
            last_line,
            destination: r.destination.clone(),
            phase_reached: r.phase_reached,
            outcome: r.outcome,
            diagnoses: r
                .diagnoses
                .iter()
                .map(|f| AttemptFinding {
                    id: f.id,
                    title: f.title,
                    severity: f.severity,
                    confidence: f.confidence,
                })
                .collect(),
        });
        named
    }

    /// The attempts, the last one whole. With a server's log, the
    /// connection that matches the last attempt best is joined to it (see
    /// [`Connection::matching`]; a client that never opened its TCP
    /// connection can only meet a ban or a server that did not start, and
    /// connections the client's facts cannot tell apart are ranked by
    /// [`Connection::weight`]). A server's log alone is read as one attempt
    /// per connection, the one that shows most of a failure's reason whole
    /// (the last of those), or the ban of its address when there is one.
    pub fn finish(mut self) -> Split {
        // A command line that no ssh output followed: the attempt before it
        // goes on through it.
        if let Some(p) = self.pending.take() {
            self.cur = p.trace;
            self.first_line = p.first_line;
            for (event, text) in p.held {
                // The command itself is a tool's recap of the attempt
                // already shown, not where it went (it may be cut off).
                let event = match event.kind {
                    K::Command { .. } => crate::event::Event {
                        kind: K::Text {
                            text: std::borrow::Cow::Owned(text.clone()),
                        },
                        ..event
                    },
                    _ => event,
                };
                self.cur.push(&event, &text);
            }
        }
        self.cur.finish();
        let (mut conns, dropped) = std::mem::take(&mut self.server).finish();
        if conns.is_empty() {
            self.lead_with_failure();
        }
        self.cur.earlier_causes = earlier_causes(&self.earlier, &self.cur);
        self.dropped += dropped;
        if conns.iter().any(Connection::is_client) {
            conns.retain(Connection::is_client);
        }
        if !conns.is_empty() && self.cur.has_client_output() {
            let never_connected = self.cur.phase.is_some_and(|p| p <= Phase::Connect);
            let best = conns
                .iter()
                .enumerate()
                .filter(|(_, c)| !(never_connected && c.connected()))
                .filter_map(|(i, c)| {
                    c.matching(&self.cur)
                        .map(|m| ((m.score, c.weight(), m.local, i), m.how))
                })
                .max_by_key(|(rank, _)| *rank);
            if let Some(((_, _, _, i), how)) = best {
                let c = conns.swap_remove(i);
                self.cur.join(c, how);
            }
        } else if !conns.is_empty() {
            let mut chosen = conns
                .iter()
                .enumerate()
                .max_by_key(|(i, c)| (c.weight(), *i))
                .map_or(0, |(i, _)| i);
            // A ban of the address explains its failures from then on.
            if !conns[chosen].accepted() {
                if let Some(b) = conns.iter().rposition(|c| {
                    c.banned()
                        .is_some_and(|a| Some(a) == conns[chosen].addr.as_deref())
                }) {
                    chosen = b;
                }
            }
            let chosen = conns.remove(chosen);
            for c in conns {
                let lines = c.lines;
                let mut t = Trace::new();
                t.join(c, Vec::new());
                self.summarise(&t, lines.0, lines.1);
            }
            self.earlier.sort_by_key(|a| a.last_line);
            self.cur.join(chosen, Vec::new());
        }
        Split {
            last: self.cur,
            earlier: self.earlier,
            dropped: self.dropped,
            lines: self.lines,
            kept: self.kept,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_cut_last_attempt_gives_way_to_the_failure_before_it() {
        let failed = "$ ssh -v root@10.0.0.7\nOpenSSH_9.6p1, OpenSSL 3.0.13\ndebug1: Connecting to 10.0.0.7 [10.0.0.7] port 22.\nssh: connect to host 10.0.0.7 port 22: Connection refused\n";
        let cut = "$ ssh -v root@10.0.0.8\nOpenSSH_9.6p1, OpenSSL 3.0.13\ndebug1: Connecting to 10.0.0.8 [10.0.0.8] port 22.\ndebug1: Connection established.\ndebug1: identity file /root/.ssh/id_rsa type -1\n";
        let split = crate::attempts(&format!("{failed}{cut}"));
        assert_eq!(split.last.later_cut, Some((5, 9)));
        let d = crate::diagnose::diagnose_trace(&split.last);
        assert_eq!(d.primary.cause.id, "connect.refused");
        assert_eq!(d.primary.confidence, crate::Confidence::Medium);
        assert_eq!(split.earlier.len(), 1);
        assert_eq!(split.earlier[0].first_line, 5);
        // A last attempt that ends in a failure of its own, or in a login,
        // stays the one reported.
        let denied = format!("{cut}root@10.0.0.8: Permission denied (publickey).\n");
        let split = crate::attempts(&format!("{failed}{denied}"));
        assert_eq!(split.last.later_cut, None);
        let d = crate::diagnose::diagnose_trace(&split.last);
        assert_ne!(d.primary.cause.id, "connect.refused");
        // Kept whole (`--verbose`, `diff FILE`): the cut attempt, not the failure twice.
        let both = format!("{failed}{cut}");
        let split = crate::attempts_reader_keeping(both.as_bytes(), crate::lang::Lang::En)
            .expect("reads from memory");
        assert_eq!(
            split.kept.iter().map(|a| a.first_line).collect::<Vec<_>>(),
            vec![5]
        );
        // Only the attempt right before counts.
        let noise = "$ ssh root@10.0.0.9\nWelcome!\nroot@h:~# exit\n";
        let split = crate::attempts(&format!("{failed}{noise}{cut}"));
        assert_eq!(split.last.later_cut, None, "{:?}", split.earlier);
    }

    #[test]
    fn two_attempts_pasted_together() {
        let text = "$ ssh pi@raspberry.local\nssh: Could not resolve hostname raspberry.local: Name or service not known\n$ ssh -p 2222 pi@10.0.0.5\nssh: connect to host 10.0.0.5 port 2222: Connection refused\n";
        let split = crate::attempts(text);
        assert_eq!(split.earlier.len(), 1);
        assert_eq!(split.earlier[0].diagnoses[0].id, "resolve.unknown-host");
        assert_eq!(
            (split.earlier[0].first_line, split.earlier[0].last_line),
            (1, 2)
        );
        let d = crate::diagnose::diagnose_trace(&split.last);
        assert_eq!(d.primary.cause.id, "connect.refused");
        // The same command typed again after the attempt ended is a retry;
        // a tool echoing it is not.
        let retry = "$ ssh pi@10.0.0.5\nssh: connect to host 10.0.0.5 port 22: Connection refused\n$ ssh pi@10.0.0.5\npi@10.0.0.5: Permission denied (publickey).\n";
        assert_eq!(crate::attempts(retry).earlier.len(), 1);
        let echo = "Running ssh connection command: ssh pi@10.0.0.5\nssh: connect to host 10.0.0.5 port 22: No route to host\nReceived install output: Running ssh connection command: ssh pi@10.0.0.5\n";
        assert!(crate::attempts(echo).earlier.is_empty());
        assert!(super::typed("PS C:\\Users\\sshuser> ssh pi@h", "ssh"));
        assert!(!super::typed(
            "Running ssh connection command: ssh pi@h",
            "ssh"
        ));
        // A ProxyJump's second version line is not a new attempt.
        let jump = "OpenSSH_9.2p1 Debian-2, OpenSSL 3.0.11\ndebug1: Setting implicit ProxyCommand from ProxyJump: ssh -W '[%h]:%p' j\nOpenSSH_9.2p1 Debian-2, OpenSSL 3.0.11\nchannel 0: open failed: connect failed: Connection refused\nstdio forwarding failed\n";
        assert!(crate::attempts(jump).earlier.is_empty());
    }

    /// A command a tool repeats after ssh's output (whole or cut off), with
    /// no ssh output after it, is the same attempt; one that ssh output
    /// follows starts a new one.
    #[test]
    fn a_command_recap_after_the_output_is_the_same_attempt() {
        let recap = "debug1: Connecting to h.local [192.0.2.4] port 22.\nssh: connect to host h.local port 22: No route to host\nlocal-server> ssh child died, shutting down\nReceived install output: local-server> Running ssh connection command: ssh -v -T -D 61469 -o ConnectTimeout=15 de\n";
        let split = crate::attempts(recap);
        assert!(split.earlier.is_empty());
        assert_eq!(split.last.destination().host.as_deref(), Some("h.local"));
        assert_eq!(
            crate::diagnose::diagnose_trace(&split.last)
                .primary
                .cause
                .id,
            "connect.no-route"
        );
        let retry = format!("{recap}ssh: connect to host de port 22: Connection refused\n");
        let split = crate::attempts(&retry);
        assert_eq!(split.earlier.len(), 1);
        assert_eq!(split.earlier[0].diagnoses[0].id, "connect.no-route");
        assert_eq!(
            crate::diagnose::diagnose_trace(&split.last)
                .primary
                .cause
                .id,
            "connect.refused"
        );
    }
}
