//! Name resolution and the TCP connection.

use super::primitives::{all, b, error_text, port, upto};
use crate::event::EventKind;
use nom::bytes::complete::tag;
use nom::combinator::opt;
use nom::Parser;

/// `Connecting to ...`, `connect to address ...`, `ssh: connect to host ...`,
/// `ssh: Could not resolve hostname ...`.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    if let Ok((_, (_, host, _, address, _, p))) = (
        tag("Connecting to "),
        upto(" ["),
        tag(" ["),
        upto("] port "),
        tag("] port "),
        port,
    )
        .parse(msg)
    {
        return Some(EventKind::Connecting {
            host: b(host),
            address: b(address),
            port: p,
        });
    }
    if let Ok((_, (_, address, _, p, _, err))) = (
        tag("connect to address "),
        upto(" port "),
        tag(" port "),
        port,
        tag(": "),
        all,
    )
        .parse(msg)
    {
        let (error, errno) = error_text(err);
        return Some(EventKind::ConnectAddressFailed {
            address: b(address),
            port: p,
            error,
            errno,
        });
    }
    by_shape(msg)
}

/// `PROG: connect to host H port P: ERR` and `PROG: Could not resolve hostname H: ERR`.
pub fn by_shape(msg: &str) -> Option<EventKind<'_>> {
    let i = super::primitives::find(msg, ": ")?;
    let (prog, rest_msg) = (&msg[..i], &msg[i + 2..]);
    if prog.contains(' ') && !prog.ends_with("ssh") {
        return None;
    }
    if let Ok((_, (_, host, _, p, _, err))) = (
        tag("connect to host "),
        upto(" port "),
        tag(" port "),
        upto(": "),
        tag(": "),
        all,
    )
        .parse(rest_msg)
    {
        let (error, errno) = error_text(err);
        return Some(EventKind::ConnectFailed {
            host: b(host),
            port: b(p),
            error,
            errno,
        });
    }
    if let Ok((_, (_, host_and_err))) = (tag("Could not resolve hostname "), all).parse(rest_msg) {
        let (host, err) = host_and_err.split_once(": ").unwrap_or((host_and_err, ""));
        let (error, errno) = error_text(err);
        return Some(EventKind::ResolveFailed {
            host: b(host),
            error,
            errno,
        });
    }
    None
}

/// `Connection established.`
pub fn connection(msg: &str) -> Option<EventKind<'_>> {
    (msg == "Connection established." || msg == "Connection established")
        .then_some(EventKind::Connected {})
}

/// Connection bookkeeping lines with a function prefix.
pub fn detail(msg: &str) -> Option<EventKind<'_>> {
    if let Some(kind) = parse(msg) {
        return Some(kind);
    }
    Some(EventKind::ConnectDetail { text: b(msg) })
}

/// `TAG: Connection to ADDR port P: ERR` (ssh's `sshpkt_fatal`).
pub fn packet_fatal<'a>(tag_text: &'a str, msg: &'a str) -> Option<EventKind<'a>> {
    let (_, (_, address, p, _, err)) = (
        tag("Connection to "),
        nom::bytes::complete::take_till(|c| c == ' ' || c == ':'),
        opt((tag(" port "), port)),
        tag(": "),
        all,
    )
        .parse(msg)
        .ok()?;
    let (error, errno) = error_text(err);
    Some(EventKind::ConnectionError {
        tag: b(tag_text),
        address: b(address),
        port: p.map(|(_, p)| p).unwrap_or(0),
        error,
        errno,
    })
}

#[cfg(test)]
mod tests {
    use crate::event::{Errno, EventKind};
    use crate::grammar::parse_text;

    fn k(s: &str) -> EventKind<'_> {
        parse_text(s).1
    }

    #[test]
    fn connecting_and_failures() {
        assert_eq!(
            k("debug1: Connecting to 127.0.0.1 [127.0.0.1] port 2201."),
            EventKind::Connecting {
                host: "127.0.0.1".into(),
                address: "127.0.0.1".into(),
                port: 2201
            }
        );
        assert!(matches!(
            k("debug1: connect to address ::1 port 22: Connection refused"),
            EventKind::ConnectAddressFailed {
                errno: Errno::Refused,
                ..
            }
        ));
        assert!(matches!(
            k("ssh: connect to host 127.0.0.1 port 2299: Connection refused"),
            EventKind::ConnectFailed {
                errno: Errno::Refused,
                ..
            }
        ));
        assert!(matches!(
            k("ssh: connect to host pi.local port 22: Operation timed out"),
            EventKind::ConnectFailed {
                errno: Errno::TimedOut,
                ..
            }
        ));
        assert!(matches!(
            k("debug1: Connection established."),
            EventKind::Connected {}
        ));
    }

    #[test]
    fn resolution() {
        assert_eq!(
            k("ssh: Could not resolve hostname nosuch.example: Name or service not known"),
            EventKind::ResolveFailed {
                host: "nosuch.example".into(),
                error: "Name or service not known".into(),
                errno: Errno::UnknownHost
            }
        );
        assert!(matches!(
            k("ssh: Could not resolve hostname github.com: Temporary failure in name resolution"),
            EventKind::ResolveFailed {
                errno: Errno::DnsTemporary,
                ..
            }
        ));
        assert!(matches!(
            k("ssh: Could not resolve hostname pi: No such host is known. "),
            EventKind::ResolveFailed {
                errno: Errno::UnknownHost,
                ..
            }
        ));
    }

    #[test]
    fn packet_fatal_lines() {
        assert!(matches!(
            k("banner exchange: Connection to 127.0.0.1 port 2263: invalid format"),
            EventKind::ConnectionError { port: 2263, .. }
        ));
        assert!(matches!(
            k("ssh_dispatch_run_fatal: Connection to 127.0.0.1 port 2270: message authentication code incorrect"),
            EventKind::ConnectionError { .. }
        ));
        assert!(matches!(
            k("packet_write_wait: Connection to 1.2.3.4 port 22: Broken pipe"),
            EventKind::ConnectionError {
                errno: Errno::BrokenPipe,
                ..
            }
        ));
        assert!(matches!(
            k("packet_write_wait: Connection to 1.2.3.4: Broken pipe"),
            EventKind::ConnectionError { port: 0, .. }
        ));
    }
}
