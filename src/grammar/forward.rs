//! Port forwarding: local, remote and dynamic listeners and their failures.

use super::primitives::{all, b, error_text, port, upto};
use crate::event::EventKind;
use nom::bytes::complete::tag;
use nom::Parser;

/// Forwarding messages.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    let t = msg.trim_end();
    if let Ok((_, (_, listen, _, target))) = (
        tag("Local connections to "),
        upto(" forwarded to remote address "),
        tag(" forwarded to remote address "),
        all,
    )
        .parse(t)
    {
        return Some(EventKind::LocalForward {
            listen: b(listen),
            target: b(target),
        });
    }
    if let Ok((_, (_, listen, _, target))) = (
        tag("Remote connections from "),
        upto(" forwarded to local address "),
        tag(" forwarded to local address "),
        all,
    )
        .parse(t)
    {
        return Some(EventKind::RemoteForward {
            listen: b(listen),
            target: b(target),
        });
    }
    if let Ok((_, (_, address, _, p))) = (
        tag("Local forwarding listening on "),
        upto(" port "),
        tag(" port "),
        port,
    )
        .parse(t)
    {
        return Some(EventKind::ForwardListening {
            address: b(address),
            port: p,
        });
    }
    if let Some(rest) = t.strip_prefix("bind ") {
        let (where_, err) = rest.rsplit_once(": ")?;
        let (address, p) = match where_.rsplit_once("]:") {
            Some((a, p)) => (Some(b(a.trim_start_matches('['))), p.parse().ok()),
            None => (Some(b(where_)), None),
        };
        let (error, errno) = error_text(err);
        return Some(EventKind::BindFailed {
            address,
            port: p,
            error,
            errno,
        });
    }
    if let Some(err) = t.strip_prefix("bind: ") {
        let (error, errno) = error_text(err);
        return Some(EventKind::BindFailed {
            address: None,
            port: None,
            error,
            errno,
        });
    }
    if t.starts_with("Could not request local forwarding") {
        return Some(EventKind::LocalForwardingFailed {});
    }
    if t.starts_with("Could not request remote forwarding")
        || t.starts_with("Warning: Could not request remote forwarding")
    {
        return Some(EventKind::RemoteForwardingFailed {
            port: 0,
            fatal: t.starts_with("Could"),
        });
    }
    for (prefix, fatal) in [
        (
            "Warning: remote port forwarding failed for listen port",
            false,
        ),
        ("Error: remote port forwarding failed for listen port", true),
    ] {
        if let Some(p) = t.strip_prefix(prefix) {
            return Some(EventKind::RemoteForwardingFailed {
                port: p.trim().parse().unwrap_or(0),
                fatal,
            });
        }
    }
    if let Some(rest) = t.strip_prefix("remote forward failure for: ") {
        return Some(EventKind::RemoteForwardFailure { text: b(rest) });
    }
    connection(t)
}

/// `Connection to port P forwarding to H port P requested.`
pub fn connection(msg: &str) -> Option<EventKind<'_>> {
    msg.strip_prefix("Connection to port ")
        .map(|_| EventKind::ForwardConnectionRequested { text: b(msg) })
}

/// `channel_setup_fwd_listener_tcpip: cannot listen to port: P`
pub fn listener(msg: &str) -> Option<EventKind<'_>> {
    if let Some(p) = msg.strip_prefix("cannot listen to port: ") {
        return Some(EventKind::CannotListen {
            port: p.trim().parse().unwrap_or(0),
        });
    }
    parse(msg)
}

#[cfg(test)]
mod tests {
    use crate::event::{Errno, EventKind};
    use crate::grammar::parse_text;

    fn k(s: &str) -> EventKind<'_> {
        parse_text(s).1
    }

    #[test]
    fn forwarding() {
        match k("bind [127.0.0.1]:5432: Address already in use") {
            EventKind::BindFailed {
                address,
                port,
                errno,
                ..
            } => {
                assert_eq!(address.as_deref(), Some("127.0.0.1"));
                assert_eq!(port, Some(5432));
                assert_eq!(errno, Errno::AddressInUse);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            k("channel_setup_fwd_listener_tcpip: cannot listen to port: 5432"),
            EventKind::CannotListen { port: 5432 }
        ));
        assert_eq!(
            k("Could not request local forwarding."),
            EventKind::LocalForwardingFailed {}
        );
        assert!(matches!(
            k("Warning: remote port forwarding failed for listen port 5432"),
            EventKind::RemoteForwardingFailed {
                port: 5432,
                fatal: false
            }
        ));
        // A paste cut before the port.
        assert!(matches!(
            k("Warning: remote port forwarding failed for listen port"),
            EventKind::RemoteForwardingFailed { port: 0, .. }
        ));
        assert!(matches!(
            k("Error: remote port forwarding failed for listen port 8080"),
            EventKind::RemoteForwardingFailed { fatal: true, .. }
        ));
        assert!(matches!(
            k("debug1: Local connections to LOCALHOST:5432 forwarded to remote address 127.0.0.1:5432"),
            EventKind::LocalForward { .. }
        ));
        assert!(matches!(
            k("debug1: Connection to port 15432 forwarding to 127.0.0.1 port 5433 requested."),
            EventKind::ForwardConnectionRequested { .. }
        ));
        assert!(matches!(
            k("debug1: remote forward failure for: listen 5432, connect 127.0.0.1:8080"),
            EventKind::RemoteForwardFailure { .. }
        ));
    }
}
