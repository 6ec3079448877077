//! Connection multiplexing (ControlMaster / ControlPath).

use super::primitives::{all, b, error_text, upto};
use crate::event::EventKind;
use nom::bytes::complete::tag;
use nom::Parser;

/// Multiplexing messages without a function prefix.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    let t = msg.trim_end();
    if let Ok((_, (_, path, _, err))) =
        (tag("Control socket connect("), upto("): "), tag("): "), all).parse(t)
    {
        let (error, errno) = error_text(err);
        return Some(EventKind::ControlSocketConnect {
            path: b(path),
            error,
            errno,
        });
    }
    if let Ok((_, (_, path, _))) = (
        tag("ControlSocket "),
        upto(" already exists"),
        tag(" already exists"),
    )
        .parse(t)
    {
        return Some(EventKind::ControlSocketExists { path: b(path) });
    }
    // `ControlPath too long ('P' >= 108 bytes)` (7.4+), `ControlPath "P" too
    // long for Unix domain socket` (6.x): the socket cannot be made there.
    if unsupported_socket(t) || (t.starts_with("ControlPath ") && t.contains(" too long")) {
        return Some(EventKind::UnixSocketUnsupported { text: b(t) });
    }
    if t.starts_with("Control master terminated unexpectedly") {
        return Some(EventKind::MuxFailure { text: b(t) });
    }
    if t.starts_with("Master running")
        || t.starts_with("auto-mux: ")
        || t.starts_with("Control socket \"")
    {
        return Some(EventKind::MuxInfo { text: b(t) });
    }
    if let Some(rest) = t.strip_prefix("mux_client_request_session: ") {
        return client(rest);
    }
    None
}

/// A mux client function's message: in the hello exchange (the first
/// words with the master), a failed read or write means the socket's
/// master is not answering (`mux_client_hello_exchange: write packet:
/// Broken pipe`), which is a failure of the master.
pub fn client_in<'a>(func: &str, msg: &'a str) -> Option<EventKind<'a>> {
    let lower = msg.to_ascii_lowercase();
    let talking = match func {
        "mux_client_hello_exchange" => {
            lower.starts_with("write packet") || lower.starts_with("read packet")
        }
        // The master's socket failing under a session already under way.
        "mux_client_read_packet" | "mux_client_write_packet" => lower.contains("failed"),
        _ => false,
    };
    if talking {
        return Some(EventKind::MuxFailure {
            text: std::borrow::Cow::Owned(format!("master {func}: {}", msg.trim_end())),
        });
    }
    client(msg)
}

/// `mux_client_request_session: read from master failed: Broken pipe` and
/// the other mux client failures.
pub fn client(msg: &str) -> Option<EventKind<'_>> {
    if let Some(k) = parse(msg) {
        return Some(k);
    }
    // The server refusing the session the master asked for on the client's
    // behalf (`session request failed: Session open refused by peer`).
    if let Some(k @ EventKind::SessionRefused { .. }) = super::channel::parse(msg) {
        return Some(k);
    }
    let lower = msg.to_ascii_lowercase();
    if lower.contains("not supported") || lower.contains("getpeereid") {
        return Some(EventKind::UnixSocketUnsupported { text: b(msg) });
    }
    if lower.contains("failed") || lower.contains("refused") || lower.contains("error") {
        return Some(EventKind::MuxFailure { text: b(msg) });
    }
    Some(EventKind::MuxInfo { text: b(msg) })
}

/// `unix_listener: cannot bind to path P: ERR` / `get_sock_port: getsockname failed: ...`
pub fn unix_socket(msg: &str) -> Option<EventKind<'_>> {
    Some(EventKind::UnixSocketUnsupported { text: b(msg) })
}

/// `getsockname failed: ...` (Windows' OpenSSH asked for a ControlMaster
/// socket, or set up a listener) or `getpeereid failed`.
fn unsupported_socket(t: &str) -> bool {
    t.starts_with("getpeereid failed") || t.starts_with("getsockname failed")
}

#[cfg(test)]
mod tests {
    use crate::event::{Errno, EventKind};
    use crate::grammar::parse_text;

    fn k(s: &str) -> EventKind<'_> {
        parse_text(s).1
    }

    #[test]
    fn mux() {
        assert!(matches!(
            k("Control socket connect(/home/u/.ssh/cm-alice@127.0.0.1:2201): Connection refused"),
            EventKind::ControlSocketConnect {
                errno: Errno::Refused,
                ..
            }
        ));
        assert!(matches!(
            k("ControlSocket /home/u/.ssh/cm-x already exists, disabling multiplexing"),
            EventKind::ControlSocketExists { .. }
        ));
        assert!(matches!(
            k("mux_client_request_session: read from master failed: Broken pipe"),
            EventKind::MuxFailure { .. }
        ));
        assert!(matches!(
            k("mux_client_request_session: session request failed: Session open refused by peer"),
            EventKind::SessionRefused { .. }
        ));
        assert!(matches!(
            k("mux_client_hello_exchange: write packet: Broken pipe"),
            EventKind::MuxFailure { ref text } if text.contains("master")
        ));
        assert!(matches!(
            k("debug3: mux_client_read_packet: read header failed: Broken pipe"),
            EventKind::MuxFailure { ref text } if text.contains("master")
        ));
        assert!(matches!(
            k("debug2: Control master terminated unexpectedly"),
            EventKind::MuxFailure { .. }
        ));
        assert!(matches!(
            k("debug1: mux_client_hello_exchange: read packet failed"),
            EventKind::MuxFailure { .. }
        ));
        for long in [
            "ControlPath too long ('/home/u/.ansible/cp/x' >= 108 bytes)",
            "ControlPath \"/tmp/x\" too long for Unix domain socket",
            "unix_listener: path \"/tmp/x\" too long for Unix domain socket",
        ] {
            assert!(
                matches!(k(long), EventKind::UnixSocketUnsupported { .. }),
                "{long}"
            );
        }
        assert!(matches!(
            k("getsockname failed: Not supported"),
            EventKind::UnixSocketUnsupported { .. }
        ));
        assert!(matches!(
            k("debug1: auto-mux: Trying existing master"),
            EventKind::MuxInfo { .. }
        ));
    }
}
