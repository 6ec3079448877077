//! The server's log, connection by connection.
//!
//! sshd's lines about one connection carry its process id (in a syslog or
//! journal tag) or the client's address and port; lines without either
//! (`Authentication refused: ...`) belong to the connection being logged
//! when they appear. The [`ServerLog`] folds server events into
//! [`Connection`]s in that way, keeping the last [`MAX_CONNECTIONS`] (a
//! public server's log is mostly scanners) and, per connection, its typed
//! events and the last few others, so memory stays bounded on any log.
//! [`Connection::matching`] then finds the one a client attempt made.

use crate::event::{Event, EventKind as K};
use crate::trace::{Noted, Trace};
use std::collections::VecDeque;

/// Connections kept; older ones are only counted.
pub const MAX_CONNECTIONS: usize = 512;
/// Events kept per connection.
const MAX_EVENTS: usize = 96;

/// One connection as the server logged it.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    /// The sshd process id, from the log's tags.
    pub pid: Option<u32>,
    /// Its children's process ids (`User child is on pid N`): the session's
    /// lines carry them.
    pub children: Vec<u32>,
    /// The client's address.
    pub addr: Option<String>,
    /// The client's source port.
    pub port: Option<u16>,
    /// The server's own address and port (`Connection from A port P on B port Q`).
    pub local: Option<(String, u16)>,
    /// The user the client asked for.
    pub user: Option<String>,
    /// Key fingerprints the server saw (`ED25519 SHA256:...`).
    pub keys: Vec<String>,
    /// The lines' events, in order.
    pub events: Vec<Noted>,
    /// First and last input line.
    pub lines: (usize, usize),
    /// The server logged its end.
    pub closed: bool,
    /// Events beyond [`MAX_EVENTS`], not kept.
    pub dropped: usize,
}

impl Connection {
    /// Whether the server logged a successful login in it.
    pub fn accepted(&self) -> bool {
        self.events
            .iter()
            .any(|n| matches!(n.kind(), K::SshdAuth { result, .. } if result == "Accepted"))
    }

    /// Whether the connection is a client's: the daemon's own lines
    /// (`Received signal 15; terminating.`) gather under its pid too.
    pub fn is_client(&self) -> bool {
        self.addr.is_some()
            || self.user.is_some()
            || self
                .events
                .iter()
                .any(|n| !matches!(n.kind(), K::SshdOther { .. }))
    }

    /// Whether the client's TCP connection reached sshd: anything but a
    /// ban or sshd's failure to start.
    pub fn connected(&self) -> bool {
        self.events.iter().any(|n| {
            !matches!(
                n.kind(),
                K::SshdBanned { .. } | K::SshdStartFailed { .. } | K::SshdOther { .. }
            )
        })
    }

    /// The address a ban in it names.
    pub fn banned(&self) -> Option<&str> {
        self.events.iter().find_map(|n| match n.kind() {
            K::SshdBanned { addr, .. } => Some(addr.as_ref()),
            _ => None,
        })
    }

    /// How much of a failure's reason the connection shows: 3 when sshd
    /// names a reason of its own (a refusal by its rules, a drop, a ban,
    /// a failure to start), 2 for an authentication failure or a failed
    /// negotiation, 1 for any other close, 0 for a login.
    pub fn weight(&self) -> u8 {
        if self.accepted() {
            return 0;
        }
        self.events
            .iter()
            .map(|n| match n.kind() {
                K::SshdStrictModes { .. }
                | K::SshdKeysUnreadable { .. }
                | K::SshdNotAllowed { .. }
                | K::SshdAccountUnusable { .. }
                | K::SshdRootRefused { .. }
                | K::SshdKeyTypeRefused { .. }
                | K::SshdDropped { .. }
                | K::SshdBanned { .. }
                | K::SshdStartFailed { .. }
                | K::SshdInvalidUser { .. } => 3,
                K::SshdAuth { .. } | K::SshdMaxAuthTries { .. } | K::SshdNegotiate { .. } => 2,
                K::SshdClosed { user: Some(_), .. } => 2,
                _ => 1,
            })
            .max()
            .unwrap_or(1)
    }

    /// Whether its lines carry process id `pid`.
    fn has_pid(&self, pid: u32) -> bool {
        self.pid == Some(pid) || self.children.contains(&pid)
    }

    /// How well this connection matches a client attempt, and by what:
    /// the key fingerprints the client offered, its user, the address it
    /// connected to (which the server sees as its own), the port it used.
    /// `None` when they contradict (another user). The score counts the
    /// key and the user; the server's address is returned apart, as it
    /// tells apart only the connections of a log that holds several
    /// servers.
    pub fn matching(&self, t: &Trace) -> Option<Match> {
        let mut score = 0;
        let mut how = Vec::new();
        let offered: Vec<&str> = t
            .offers
            .iter()
            .filter_map(|k| k.identity.fingerprint.as_deref())
            .collect();
        if self
            .keys
            .iter()
            .any(|k| offered.iter().any(|f| k.ends_with(f)))
        {
            score += 4;
            how.push("key fingerprint");
        }
        let d = t.destination();
        if let (Some(u), Some(v)) = (&self.user, &d.user) {
            if u == v {
                score += 2;
                how.push("user");
            } else {
                return None;
            }
        }
        let mut local = false;
        if let (Some((addr, port)), Some(a)) = (&self.local, d.address.as_ref().or(d.host.as_ref()))
        {
            if addr == a && d.port.is_none_or(|p| p == *port) {
                local = true;
                how.push("server address and port");
            }
        }
        Some(Match { score, local, how })
    }
}

/// How a server connection matches a client attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// 4 for a key fingerprint the client offered, 2 for its user.
    pub score: u32,
    /// The server logged the address and port the client connected to.
    pub local: bool,
    /// What matched, for the report.
    pub how: Vec<&'static str>,
}

/// Folds server events into connections.
#[derive(Debug, Default)]
pub struct ServerLog {
    done: VecDeque<Connection>,
    open: Vec<Connection>,
    /// Connections beyond [`MAX_CONNECTIONS`], only counted.
    pub dropped: usize,
}

impl ServerLog {
    /// An empty log.
    pub fn new() -> ServerLog {
        ServerLog::default()
    }

    /// Whether no server line was read.
    pub fn is_empty(&self) -> bool {
        self.done.is_empty() && self.open.is_empty()
    }

    /// Adds one server line: its event, its text and the sshd pid its tag gave.
    pub fn push(&mut self, event: &Event<'_>, text: &str, pid: Option<u32>) {
        let k = &event.kind;
        if matches!(k, K::SshdListening { .. }) {
            return;
        }
        let (addr, port) = match endpoint(k) {
            (Some(""), _) => (None, None),
            e => e,
        };
        // A connection of its own: a drop, a ban, sshd failing to start.
        let alone = matches!(
            k,
            K::SshdDropped { .. } | K::SshdBanned { .. } | K::SshdStartFailed { .. }
        );
        let i = if alone || (matches!(k, K::SshdConnection { .. }) && pid.is_none()) {
            None
        } else if let Some(pid) = pid {
            self.open.iter().rposition(|c| c.has_pid(pid))
        } else if let (Some(a), Some(p)) = (addr, port) {
            self.open
                .iter()
                .rposition(|c| c.addr.as_deref() == Some(a) && c.port == Some(p))
                .or_else(|| self.open.iter().rposition(|c| c.port.is_none()))
        } else {
            self.open.len().checked_sub(1)
        };
        // A close is often followed by more of the same connection
        // (`Received disconnect ...` then `Disconnected from user ...`).
        let i = i.or_else(|| {
            if alone || matches!(k, K::SshdConnection { .. }) {
                return None;
            }
            let back = self.done.iter().rev().take(4).position(|c| {
                pid.map_or(
                    addr.is_some() && c.addr.as_deref() == addr && c.port == port,
                    |p| c.has_pid(p),
                )
            })?;
            let c = self.done.remove(self.done.len() - 1 - back)?;
            self.open.push(c);
            Some(self.open.len() - 1)
        });
        let i = match i {
            Some(i) => i,
            None => {
                self.open.push(Connection {
                    pid,
                    lines: (event.line, event.line),
                    ..Connection::default()
                });
                self.open.len() - 1
            }
        };
        let c = &mut self.open[i];
        c.lines.1 = event.line;
        if c.addr.is_none() {
            c.addr = addr.map(str::to_string);
        }
        if c.port.is_none() {
            c.port = port;
        }
        match k {
            K::SshdConnection {
                local_addr: Some(a),
                local_port: Some(p),
                ..
            } => c.local = Some((a.to_string(), *p)),
            K::SshdAuth { user, key, .. } => {
                c.user.get_or_insert_with(|| user.to_string());
                if let Some(key) = key {
                    if c.keys.len() < 16 && !c.keys.iter().any(|k| k == key) {
                        c.keys.push(key.to_string());
                    }
                }
            }
            K::SshdInvalidUser { user, .. }
            | K::SshdNotAllowed { user, .. }
            | K::SshdAccountUnusable { user, .. }
            | K::SshdMaxAuthTries { user, .. }
                // Dropbear's `Login attempt for nonexistent user` names none.
                if !user.is_empty() =>
            {
                c.user.get_or_insert_with(|| user.to_string());
            }
            K::SshdClosed {
                user: Some(user), ..
            } => {
                c.user.get_or_insert_with(|| user.to_string());
            }
            K::SshdChild { pid } if c.children.len() < 8 => c.children.push(*pid),
            _ => {}
        }
        let typed = !matches!(k, K::SshdOther { .. });
        if c.events.len() < MAX_EVENTS || typed {
            if c.events.len() >= MAX_EVENTS {
                // Make room for a typed event: drop the oldest untyped one.
                match c
                    .events
                    .iter()
                    .position(|n| matches!(n.kind(), K::SshdOther { .. }))
                {
                    Some(j) => {
                        c.events.remove(j);
                    }
                    None => {
                        c.events.remove(1);
                    }
                }
                c.dropped += 1;
            }
            c.events.push(Noted::new(event, text));
        } else {
            c.dropped += 1;
        }
        let ends = alone
            || matches!(
                k,
                K::SshdClosed { .. }
                    | K::SshdMaxAuthTries { .. }
                    | K::SshdNegotiate { .. }
                    | K::SshdBadBanner { .. }
            );
        if ends {
            c.closed = true;
            let c = self.open.remove(i);
            self.keep(c);
        }
        // Connections left open by a log that never closes them (INFO-level
        // logs of successful logins) are closed when too many pile up.
        if self.open.len() > 64 {
            let c = self.open.remove(0);
            self.keep(c);
        }
    }

    fn keep(&mut self, c: Connection) {
        if self.done.len() == MAX_CONNECTIONS {
            self.done.pop_front();
            self.dropped += 1;
        }
        self.done.push_back(c);
    }

    /// The connections, in the order their last lines appear.
    pub fn finish(mut self) -> (Vec<Connection>, usize) {
        for c in std::mem::take(&mut self.open) {
            self.keep(c);
        }
        let mut all: Vec<Connection> = self.done.into();
        all.sort_by_key(|c| c.lines.1);
        (all, self.dropped)
    }
}

/// The client address and port an event names.
fn endpoint<'a>(k: &'a K<'_>) -> (Option<&'a str>, Option<u16>) {
    match k {
        K::SshdConnection { addr, port, .. }
        | K::SshdAuth { addr, port, .. }
        | K::SshdClosed { addr, port, .. }
        | K::SshdMaxAuthTries { addr, port, .. }
        | K::SshdNegotiate { addr, port, .. } => (Some(addr), Some(*port)),
        K::SshdInvalidUser { addr, port, .. } if !addr.is_empty() => (Some(addr), *port),
        K::SshdDropped { addr, port, .. } => (addr.as_deref(), *port),
        K::SshdBanned { addr, .. } => (Some(addr), None),
        K::SshdNotAllowed {
            addr: Some(addr), ..
        } => (Some(addr), None),
        _ => (None, None),
    }
}
