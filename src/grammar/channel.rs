//! Channels and the session: PTY, remote command, exit, keepalives,
//! connection endings after authentication.

use super::primitives::{all, b, error_text, int, uint, upto};
use crate::event::EventKind;
use nom::bytes::complete::tag;
use nom::Parser;

/// Session and channel messages.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    let t = msg.trim_end();
    if let Some(rest) = t.strip_prefix("channel ") {
        return channel(rest);
    }
    if t == "Sending environment." {
        return Some(EventKind::SendingEnv { name: None });
    }
    if let Some(rest) = t.strip_prefix("Sending env ") {
        return Some(EventKind::SendingEnv {
            name: rest.split(' ').next().map(b),
        });
    }
    if t.starts_with("Warning: Remote host ") || t.starts_with("Remote host ") {
        let what = t.trim_start_matches("Warning: ").trim_end_matches('.');
        return Some(EventKind::RemoteRefused { what: b(what) });
    }
    if t.starts_with("Entering interactive session") {
        return Some(EventKind::EnteringSession {});
    }
    if let Some(cmd) = t.strip_prefix("Sending command: ") {
        return Some(EventKind::SendingCommand { command: b(cmd) });
    }
    if let Some(what) = t.strip_prefix("Requesting ") {
        return Some(EventKind::Requesting {
            what: b(what.trim_end_matches('.')),
        });
    }
    if let Ok((_, (_, code))) = (tag("Exit status "), int).parse(t) {
        return Some(EventKind::ExitStatus { code });
    }
    if t.starts_with("Transferred: ") || t.starts_with("Bytes per second: ") {
        return Some(EventKind::Transferred { text: b(t) });
    }
    if let Some(rest) = t.strip_prefix("Shared connection to ") {
        return Some(EventKind::SharedConnectionClosed {
            host: b(rest.trim_end_matches(" closed.")),
        });
    }
    if t.starts_with("This account is currently not available")
        || t.starts_with("This service allows sftp connections only")
    {
        return Some(EventKind::AccountRestricted { text: b(t) });
    }
    if let Ok((_, (_, channel))) = (tag("PTY allocation request failed on channel "), uint).parse(t)
    {
        return Some(EventKind::PtyFailed { channel });
    }
    if let Ok((_, (_, channel))) = (tag("subsystem request failed on channel "), uint).parse(t) {
        return Some(EventKind::SubsystemFailed { channel });
    }
    if t.starts_with("Pseudo-terminal will not be allocated") {
        return Some(EventKind::PtyNotAllocated {});
    }
    if t.starts_with("stdio forwarding failed") {
        return Some(EventKind::StdioForwardingFailed {});
    }
    // `shell request failed on channel 0` / `exec request failed on channel 0`
    // (clientloop.c `client_status_confirm`): the channel opened, but the
    // server refused to run anything in it.
    if t.starts_with("Session open refused by peer")
        || t.starts_with("session request failed")
        || t.starts_with("shell request failed")
        || t.starts_with("exec request failed")
        || t.starts_with("Master refused session request")
        || t.starts_with("Session open failed")
    {
        return Some(EventKind::SessionRefused { text: b(t) });
    }
    if let Ok((_, (_, host, _))) = (
        tag("Timeout, server "),
        upto(" not responding"),
        tag(" not responding"),
    )
        .parse(t)
    {
        return Some(EventKind::ServerNotResponding { host: b(host) });
    }
    if let Some(rest) = t.strip_prefix("Read from remote host ") {
        let (host, err) = rest.split_once(": ").unwrap_or((rest, ""));
        let (error, errno) = error_text(err);
        return Some(EventKind::ReadWriteFailed {
            host: Some(b(host)),
            error,
            errno,
        });
    }
    if let Some(err) = t.strip_prefix("Write failed: ") {
        let (error, errno) = error_text(err);
        return Some(EventKind::ReadWriteFailed {
            host: None,
            error,
            errno,
        });
    }
    if let Ok((_, (_, signal))) = (tag("Killed by signal "), uint).parse(t) {
        return Some(EventKind::KilledBySignal { signal });
    }
    if let Ok((_, (_, channel))) = (tag("X11 forwarding request failed on channel "), uint).parse(t)
    {
        return Some(EventKind::X11Failed { channel });
    }
    if t.starts_with("Warning: No xauth data") {
        return Some(EventKind::X11NoXauth {});
    }
    connection(t)
}

/// `Connection to H closed.` / `Connection to H closed by remote host.`
pub fn connection(msg: &str) -> Option<EventKind<'_>> {
    let rest = msg.strip_prefix("Connection to ")?;
    if let Some(host) = rest.strip_suffix(" closed by remote host.") {
        return Some(EventKind::ClosedByRemote { host: b(host) });
    }
    if let Some(host) = rest.strip_suffix(" closed.") {
        return Some(EventKind::ConnectionClosed { host: b(host) });
    }
    None
}

/// `channel N: new TYPE [NAME] ...`, `channel N: open failed: REASON: DETAIL`.
fn channel(rest: &str) -> Option<EventKind<'_>> {
    let (_, (channel, _, tail)) = (uint, tag(": "), all).parse(rest).ok()?;
    if let Some(what) = tail.strip_prefix("new ") {
        let channel_type = match what.split_once(" [") {
            Some((t, _)) => t,
            None => what
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or(what),
        };
        return Some(EventKind::ChannelNew {
            channel,
            channel_type: b(channel_type),
        });
    }
    if let Some(rest) = tail.strip_prefix("setting env ") {
        return Some(EventKind::SendingEnv {
            name: rest.split(' ').next().map(b),
        });
    }
    if tail.starts_with("free: ") {
        return Some(EventKind::ChannelFree { channel });
    }
    if let Some(why) = tail.strip_prefix("open failed: ") {
        let (reason, detail) = why.split_once(": ").unwrap_or((why, ""));
        return Some(EventKind::ChannelOpenFailed {
            channel,
            reason: b(reason),
            detail: b(detail),
        });
    }
    None
}

/// `client_input_channel_req: channel N rtype TYPE reply R`
pub fn channel_request(msg: &str) -> Option<EventKind<'_>> {
    let (_, (_, channel, _, request)) = (tag("channel "), uint, tag(" rtype "), upto(" reply"))
        .parse(msg)
        .ok()?;
    Some(EventKind::ChannelRequest {
        channel,
        request: b(request),
    })
}

/// `client_loop: send disconnect: ERR`
pub fn client_loop(msg: &str) -> Option<EventKind<'_>> {
    let err = msg.strip_prefix("send disconnect: ")?;
    let (error, errno) = error_text(err);
    Some(EventKind::SendDisconnectFailed { error, errno })
}

/// `ssh_init_stdio_forwarding: stdio forwarding failed`
pub fn stdio(msg: &str) -> Option<EventKind<'_>> {
    msg.starts_with("stdio forwarding failed")
        .then_some(EventKind::StdioForwardingFailed {})
}

/// The server's shell reporting that its SFTP server cannot run (what
/// OpenSSH 9.0+ `scp`, `sftp` and sshfs see from a server without one):
/// `sh: /usr/libexec/sftp-server: not found`, `/usr/libexec/sftp-server:
/// error while loading shared libraries: libdl.so.2: ...`.
pub fn sftp_server(t: &str) -> Option<EventKind<'_>> {
    static NEEDLE: super::primitives::Needle = super::primitives::Needle::new("sftp-server: ");
    let (head, error) = NEEDLE.split(t)?;
    // A shell naming the program it could not run, in any language
    // (`bash: Zeile 1: /usr/lib/sftp-server: Datei oder Verzeichnis nicht gefunden`).
    let shell_said = super::primitives::find(head, "sh: ").is_some() && !error.trim().is_empty();
    (shell_said
        || [
            "not found",
            "No such file or directory",
            "error while loading shared libraries",
            "Permission denied",
            "cannot execute",
        ]
        .iter()
        .any(|e| error.starts_with(e)))
    .then(|| EventKind::SftpServerFailed {
        text: b(t.trim_end()),
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
    fn session_lines() {
        assert!(matches!(
            k("debug1: channel 0: new session [client-session] (inactive timeout: 0)"),
            EventKind::ChannelNew { channel: 0, .. }
        ));
        assert!(matches!(
            k("debug1: channel 0: new [client-session]"),
            EventKind::ChannelNew { .. }
        ));
        assert!(matches!(
            k("channel 0: open failed: administratively prohibited: open failed"),
            EventKind::ChannelOpenFailed { .. }
        ));
        assert!(matches!(
            k("channel 2: open failed: connect failed: Connection refused"),
            EventKind::ChannelOpenFailed { channel: 2, .. }
        ));
        assert_eq!(
            k("debug1: Exit status 1"),
            EventKind::ExitStatus { code: 1 }
        );
        assert!(matches!(
            k("Connection to 127.0.0.1 closed."),
            EventKind::ConnectionClosed { .. }
        ));
        assert!(matches!(
            k("Connection to 127.0.0.1 closed by remote host."),
            EventKind::ClosedByRemote { .. }
        ));
        assert!(matches!(
            k("This account is currently not available."),
            EventKind::AccountRestricted { .. }
        ));
        assert!(matches!(
            k("PTY allocation request failed on channel 0"),
            EventKind::PtyFailed { channel: 0 }
        ));
        assert!(matches!(
            k("debug1: client_input_channel_req: channel 0 rtype exit-status reply 0"),
            EventKind::ChannelRequest { .. }
        ));
        assert!(matches!(
            k("Timeout, server 10.0.0.1 not responding."),
            EventKind::ServerNotResponding { .. }
        ));
        assert!(matches!(
            k("client_loop: send disconnect: Broken pipe"),
            EventKind::SendDisconnectFailed {
                errno: Errno::BrokenPipe,
                ..
            }
        ));
        assert!(matches!(
            k("Read from remote host 127.0.0.1: Connection reset by peer"),
            EventKind::ReadWriteFailed {
                errno: Errno::Reset,
                ..
            }
        ));
        assert!(matches!(
            k("Write failed: Broken pipe"),
            EventKind::ReadWriteFailed { .. }
        ));
        assert!(matches!(
            k("stdio forwarding failed"),
            EventKind::StdioForwardingFailed {}
        ));
        assert!(matches!(
            k("X11 forwarding request failed on channel 0"),
            EventKind::X11Failed { .. }
        ));
        assert!(matches!(
            k("Killed by signal 1."),
            EventKind::KilledBySignal { signal: 1 }
        ));
        assert!(matches!(
            k("Transferred: sent 2752, received 2812 bytes, in 0.1 seconds"),
            EventKind::Transferred { .. }
        ));
    }

    #[test]
    fn sftp_server_failures() {
        for line in [
            "sh: /usr/libexec/sftp-server: not found",
            "ash: /usr/libexec/sftp-server: not found",
            "/usr/libexec/sftp-server: error while loading shared libraries: libdl.so.2: cannot open shared object file",
            "bash: Zeile 1: /usr/lib/sftp-server: Datei oder Verzeichnis nicht gefunden",
        ] {
            assert!(
                matches!(super::sftp_server(line), Some(EventKind::SftpServerFailed { .. })),
                "{line}"
            );
        }
        assert!(super::sftp_server("Subsystem sftp /usr/lib/openssh/sftp-server").is_none());
        assert!(super::sftp_server("sftp-server: started").is_none());
    }
}
