//! Which side wrote a line: the client (`ssh`) or the server (`sshd`'s log).
//!
//! People paste both sides together (`ssh -v` on the laptop, then `sudo
//! journalctl -u ssh` on the server), or the server's log alone. Several
//! messages read alike on both sides (`Connection closed by A port P`,
//! `Unable to negotiate with ...`), so a server line parsed as client output
//! gives a confident wrong answer. The [`Sider`] decides per line, before
//! any grammar sees it:
//! - a syslog or journal tag names the program (`sshd[811]`,
//!   `sshd-session[811]`, `dropbear[9]`, `fail2ban.actions`, `systemd[1]`):
//!   a server program's line is the server's; a tag of another program
//!   (`ssh`, `autossh`, a script) stays the client's;
//! - an untagged line holding a message only sshd writes (`Invalid user`,
//!   `Failed publickey for`, `... [preauth]`, `Server listening on`) is the
//!   server's, and starts a server block (`sshd -E`, `sshd -d`, `docker
//!   logs`): the untagged lines after it are the server's too, until a
//!   line only the client writes (its version line, `Reading configuration
//!   data`, `Connecting to`, `Permission denied (`, a pasted command).

use crate::input::LineRef;

/// Where a server line's message starts, and its program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLine<'a> {
    /// Byte offset of the message in the line's text.
    pub start: usize,
    /// The tag's program name (`sshd`), when the line had a tag.
    pub program: Option<&'a str>,
    /// The tag's process id.
    pub pid: Option<u32>,
}

/// Decides the side of each line of one input, in order.
#[derive(Debug, Default)]
pub struct Sider {
    /// Every line is the server's (`--server FILE`).
    all: bool,
    /// Inside a block of untagged server lines.
    block: bool,
}

impl Sider {
    /// A sider for a paste that may hold either side or both.
    pub fn new() -> Sider {
        Sider::default()
    }

    /// A sider for an input known to be the server's log.
    pub fn server() -> Sider {
        Sider {
            all: true,
            block: true,
        }
    }

    /// Whether every line is the server's (a sider for `--server FILE`).
    pub fn all(&self) -> bool {
        self.all
    }

    /// `Some` when the server wrote `line`.
    pub fn server_line<'a>(&mut self, line: LineRef<'a>) -> Option<ServerLine<'a>> {
        self.decide(Said::of(line, self.all), line.text)
    }

    /// The side of a line, from what the line alone says ([`Said::of`],
    /// with the same `all`) and the lines before it.
    pub fn decide<'a>(&mut self, said: Said<'a>, text: &str) -> Option<ServerLine<'a>> {
        match said {
            Said::Tagged(side) => side,
            Said::Server(at) => {
                self.block = true;
                Some(at)
            }
            Said::Open => {
                if self.block && !self.all && is_client_only(text) {
                    self.block = false;
                }
                (self.block || self.all).then_some(ServerLine {
                    start: 0,
                    program: None,
                    pid: None,
                })
            }
        }
    }
}

/// What a line alone says about its side: the part of [`Sider`]'s decision
/// that needs no earlier line, so it can be worked out off the reading
/// thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said<'a> {
    /// A tagged line: its program decides (`None`: the client's).
    Tagged(Option<ServerLine<'a>>),
    /// An untagged line holding a message only sshd writes (or any line of
    /// an input that is all the server's): the server's, and it starts a
    /// server block.
    Server(ServerLine<'a>),
    /// Untagged, no server-only message: the block it stands in decides.
    Open,
}

impl<'a> Said<'a> {
    /// What `line` says, when every line is the server's (`all`) or not.
    pub fn of(line: LineRef<'a>, all: bool) -> Said<'a> {
        if let Some(tag) = line.tag {
            let (program, pid) = split_tag(tag);
            return Said::Tagged((all || is_server_program(program)).then_some(ServerLine {
                start: 0,
                program: Some(program),
                pid,
            }));
        }
        let text = line.text;
        let found = if crate::grammar::server::is_server_only(text) {
            Some(0)
        } else if let Some(i) = sshd_config_line(text) {
            // sshd refusing its configuration, glued to an init script's
            // words (`Starting ... server: sshd/etc/ssh/sshd_config line 88: ...`).
            Some(text[..i].rfind(' ').map_or(0, |j| j + 1))
        } else if text.starts_with(|c: char| !c.is_ascii_alphabetic()) {
            crate::grammar::server::find_server_only(text)
        } else {
            None
        };
        match found {
            Some(start) => Said::Server(ServerLine {
                start,
                program: None,
                pid: None,
            }),
            // The server's log given apart: every line is the server's.
            None if all => Said::Server(ServerLine {
                start: 0,
                program: None,
                pid: None,
            }),
            None => Said::Open,
        }
    }

    /// The server line this says it is, when the line alone decides so.
    pub fn server(self) -> Option<ServerLine<'a>> {
        match self {
            Said::Tagged(side) => side,
            Said::Server(at) => Some(at),
            Said::Open => None,
        }
    }
}

/// Where `sshd_config line ` stands in a line.
fn sshd_config_line(text: &str) -> Option<usize> {
    static NEEDLE: crate::grammar::primitives::Needle =
        crate::grammar::primitives::Needle::new("sshd_config line ");
    NEEDLE.find(text)
}

/// `sshd[811]` → (`sshd`, 811); Dropbear's stderr tag `[811]` →
/// (`dropbear`, 811).
fn split_tag(tag: &str) -> (&str, Option<u32>) {
    if let Some(pid) = tag.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return ("dropbear", pid.parse().ok());
    }
    match tag.strip_suffix(']').and_then(|t| t.split_once('[')) {
        Some((program, pid)) => (program.trim_end(), pid.parse().ok()),
        None => (tag.trim_end_matches(':'), None),
    }
}

/// Programs whose log lines belong to the server's side of a connection.
fn is_server_program(program: &str) -> bool {
    let p = program.trim_start_matches("/usr/sbin/");
    p == "sshd"
        || p.starts_with("sshd-")
        || p.starts_with("sshd@")
        || p.starts_with("sshd.")
        || p.starts_with("dropbear")
        || p.starts_with("fail2ban")
        || p.starts_with("sshguard")
        || p.starts_with("crowdsec")
        || p == "systemd"
        || p == "kernel"
}

/// Messages only the client writes: they end a block of server lines.
fn is_client_only(text: &str) -> bool {
    let t = text.trim_start();
    let body = ["debug1: ", "debug2: ", "debug3: "]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t);
    (t.starts_with("OpenSSH_") && (t.contains(", OpenSSL") || t.contains(", LibreSSL")))
        || [
            "Reading configuration data",
            "Connecting to ",
            "Authenticating to ",
            "Authenticated to ",
            "Permission denied (",
            "ssh: ",
            "Host key verification failed",
            "Offering public key",
            "Will attempt key",
            "Warning: Permanently added",
            "$ ssh",
            "$ git",
            "$ scp",
            "$ sftp",
        ]
        .iter()
        .any(|p| body.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(text: &str) -> Vec<bool> {
        let mut s = Sider::new();
        crate::input::lines(text)
            .map(|l| s.server_line(l.view()).is_some())
            .collect()
    }

    #[test]
    fn tagged_and_untagged() {
        let text = "OpenSSH_9.2p1 Debian-2, OpenSSL 3.0.11\n\
                    pi@10.0.0.5: Permission denied (publickey).\n\
                    Dec  4 06:00:01 pi sshd[811]: Connection closed by authenticating user pi 10.0.0.2 port 52144 [preauth]\n\
                    Dec  4 06:00:02 pi autossh[12]: Connection closed by 10.0.0.5 port 22\n";
        assert_eq!(sides(text), [false, false, true, false]);
        let block = "Server listening on 0.0.0.0 port 22.\n\
                     debug1: Local version string SSH-2.0-OpenSSH_9.2p1\n\
                     Connection closed by 10.0.0.2 port 5000\n\
                     OpenSSH_9.2p1 Debian-2, OpenSSL 3.0.11\n\
                     debug1: Local version string SSH-2.0-OpenSSH_9.2p1\n";
        assert_eq!(sides(block), [true, true, true, false, false]);
    }
}
