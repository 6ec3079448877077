//! The version (banner) exchange and connection-level endings.

use super::primitives::{all, b, error_text, port, uint, upto};
use crate::event::EventKind;
use nom::bytes::complete::tag;
use nom::Parser;

/// `kex_exchange_identification: ...` (`ssh_exchange_identification` before 8.0).
pub fn identification(legacy: bool, msg: &str) -> Option<EventKind<'_>> {
    // Also cut short (`... closed by remote`): a line a server sent before
    // its banner would not read so.
    if msg.starts_with("Connection closed by remote") {
        return Some(EventKind::IdentClosed { legacy });
    }
    if let Some(err) = msg
        .strip_prefix("read: ")
        .or_else(|| msg.strip_prefix("write: "))
    {
        let (error, errno) = error_text(err);
        return Some(EventKind::IdentReadFailed {
            legacy,
            error,
            errno,
        });
    }
    if let Ok((_, (_, number, _, text))) = (tag("banner line "), uint, tag(": "), all).parse(msg) {
        return Some(EventKind::BannerLine {
            number,
            text: b(text),
        });
    }
    if msg.starts_with("Protocol major versions differ") {
        return Some(protocol_mismatch(msg));
    }
    if msg.starts_with("banner line contains invalid characters")
        || msg.starts_with("No banner received")
        || msg.starts_with("Bad remote protocol version identification")
        || msg.starts_with("banner line too long")
        || msg.starts_with("too many")
    {
        return Some(EventKind::IdentInvalid { detail: b(msg) });
    }
    if msg.starts_with("Connection timed out during banner exchange") {
        return Some(EventKind::BannerTimeout {});
    }
    // Before 7.5, each line the server sent before its banner was logged
    // as `ssh_exchange_identification: LINE` (no `banner line N: `).
    legacy.then(|| EventKind::BannerLine {
        number: 0,
        text: b(msg),
    })
}

/// `compat_banner: match: SOFTWARE pat P compat 0xN` (also without the
/// function prefix before 8.5).
pub fn compat(msg: &str) -> Option<EventKind<'_>> {
    // `no match: SOFTWARE`; after `match: `, ` pat ` always follows: without
    // it, `match: ` is someone else's word (`Segments not match: expect 16`).
    let software = match msg.strip_prefix("no match: ") {
        Some(rest) => rest,
        None => msg.strip_prefix("match: ")?.split_once(" pat ")?.0,
    };
    Some(EventKind::CompatMatch {
        software: b(software),
    })
}

/// `Local version string SSH-2.0-...`
pub fn local(msg: &str) -> Option<EventKind<'_>> {
    let v = msg.strip_prefix("Local version string ")?;
    Some(EventKind::LocalVersion { version: b(v) })
}

/// `Remote protocol version 2.0, remote software version X`
pub fn remote(msg: &str) -> Option<EventKind<'_>> {
    let (_, (_, protocol, _, software)) = (
        tag("Remote protocol version "),
        upto(", remote software version"),
        tag(", remote software version"),
        all,
    )
        .parse(msg)
        .ok()?;
    Some(EventKind::RemoteVersion {
        protocol: b(protocol),
        software: b(software.trim_start()),
    })
}

/// `Connection closed by A port P`, `Connection reset by A port P`,
/// `Connection to A port P timed out`, `Connection timed out during banner exchange`.
pub fn connection(msg: &str) -> Option<EventKind<'_>> {
    if msg.starts_with("Connection timed out during banner exchange") {
        return Some(EventKind::BannerTimeout {});
    }
    if let Some(rest) = msg.strip_prefix("Connection closed by ") {
        if rest.starts_with("remote host") {
            // ssh's own words always carry `kex_exchange_identification: `
            // (`ssh_exchange_identification: ` before 8.0); bare, they are
            // a wrapper's (borg's `Is borg working on the server?`), which
            // does not say where the connection ended.
            return None;
        }
        let (address, p) = addr_port(rest);
        return Some(EventKind::ConnectionClosedBy {
            address: b(address),
            port: p,
        });
    }
    if let Some(rest) = msg.strip_prefix("Connection reset by ") {
        if rest.starts_with("peer") {
            return None;
        }
        let (address, p) = addr_port(rest);
        return Some(EventKind::ConnectionResetBy {
            address: b(address),
            port: p,
        });
    }
    if let Ok((_, (_, address, _, p, _))) = (
        tag("Connection to "),
        upto(" port "),
        tag(" port "),
        port,
        tag(" timed out"),
    )
        .parse(msg)
    {
        return Some(EventKind::ConnectionTimedOutPkt {
            address: b(address),
            port: p,
        });
    }
    None
}

/// `A port P` → (A, P); a missing port is 0.
fn addr_port(s: &str) -> (&str, u16) {
    let s = s.trim_end_matches('.');
    match s.split_once(" port ") {
        Some((a, p)) => (a, p.trim().parse().unwrap_or(0)),
        None => (s, 0),
    }
}

/// `Protocol major versions differ: 2 vs. 1` (the client's major version
/// first); without the two numbers it is only an invalid identification.
fn protocol_mismatch(msg: &str) -> EventKind<'_> {
    let versions = (
        tag("Protocol major versions differ: "),
        uint,
        tag(" vs. "),
        uint,
    )
        .parse(msg);
    match versions {
        Ok((_, (_, local, _, remote))) => EventKind::ProtocolMismatch { local, remote },
        Err(_) => EventKind::IdentInvalid { detail: b(msg) },
    }
}

/// `banner exchange: Connection to ...`, `match: ...`, `Protocol major versions differ`.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    if let Some(rest) = msg.strip_prefix("banner exchange: ") {
        return super::connect::packet_fatal("banner exchange", rest);
    }
    if msg.starts_with("match: ") || msg.starts_with("no match: ") {
        return compat(msg);
    }
    if msg.starts_with("Protocol major versions differ") {
        return Some(protocol_mismatch(msg));
    }
    if msg.starts_with("Bad protocol version identification") {
        return Some(EventKind::IdentInvalid { detail: b(msg) });
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::event::{Errno, EventKind};
    use crate::grammar::parse_text;

    fn k(s: &str) -> EventKind<'_> {
        parse_text(s).1
    }

    #[test]
    fn identification_endings() {
        assert_eq!(
            k("kex_exchange_identification: Connection closed by remote host"),
            EventKind::IdentClosed { legacy: false }
        );
        assert_eq!(
            k("ssh_exchange_identification: Connection closed by remote host"),
            EventKind::IdentClosed { legacy: true }
        );
        assert_eq!(
            k("ssh_exchange_identification: Connection closed by remote "),
            EventKind::IdentClosed { legacy: true }
        );
        assert!(matches!(
            k("kex_exchange_identification: read: Connection reset by peer"),
            EventKind::IdentReadFailed {
                errno: Errno::Reset,
                ..
            }
        ));
        assert!(matches!(
            k("debug1: kex_exchange_identification: banner line 0: HTTP/1.1 400 Bad Request"),
            EventKind::BannerLine { number: 0, .. }
        ));
        assert!(matches!(
            k("debug1: ssh_exchange_identification: <!DOCTYPE HTML>"),
            EventKind::BannerLine { .. }
        ));
        assert!(matches!(
            k("kex_exchange_identification: banner line contains invalid characters"),
            EventKind::IdentInvalid { .. }
        ));
        assert_eq!(
            k("Connection timed out during banner exchange"),
            EventKind::BannerTimeout {}
        );
        assert_eq!(
            k("Protocol major versions differ: 2 vs. 1"),
            EventKind::ProtocolMismatch {
                local: 2,
                remote: 1
            }
        );
        assert_eq!(
            k("ssh_exchange_identification: Protocol major versions differ: 1 vs. 2"),
            EventKind::ProtocolMismatch {
                local: 1,
                remote: 2
            }
        );
        assert!(matches!(
            k("Protocol major versions differ."),
            EventKind::IdentInvalid { .. }
        ));
    }

    #[test]
    fn versions_and_closings() {
        assert!(matches!(
            k("debug1: Remote protocol version 2.0, remote software version OpenSSH_9.2p1 Debian-2"),
            EventKind::RemoteVersion { .. }
        ));
        assert!(matches!(
            k("debug1: compat_banner: match: OpenSSH_9.2p1 Debian-2 pat OpenSSH* compat 0x04000000"),
            EventKind::CompatMatch { .. }
        ));
        assert!(matches!(
            k("debug1: match: OpenSSH_8.4p1 pat OpenSSH* compat 0x04000000"),
            EventKind::CompatMatch { .. }
        ));
        assert!(!matches!(
            k("      Segments not match: expect 16, got 1, raw:"),
            EventKind::CompatMatch { .. }
        ));
        assert!(matches!(
            k("debug1: Local version string SSH-2.0-OpenSSH_9.2p1 Debian-2"),
            EventKind::LocalVersion { .. }
        ));
        assert_eq!(
            k("Connection closed by 127.0.0.1 port 2262"),
            EventKind::ConnectionClosedBy {
                address: "127.0.0.1".into(),
                port: 2262
            }
        );
        assert_eq!(
            k("Connection closed by UNKNOWN port 65535"),
            EventKind::ConnectionClosedBy {
                address: "UNKNOWN".into(),
                port: 65535
            }
        );
        assert!(matches!(
            k("Connection reset by 10.0.0.1 port 22"),
            EventKind::ConnectionResetBy { .. }
        ));
        assert!(matches!(
            k("Connection to 10.0.0.1 port 22 timed out"),
            EventKind::ConnectionTimedOutPkt { .. }
        ));
    }
}
