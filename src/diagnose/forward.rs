//! Port, stdio and X11 forwarding.

use super::{causes, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::trace::Trace;

causes! {
    /// ssh could not listen on the local port you asked to forward: another
    /// program already uses it.
    ///
    /// ## Why it happens
    /// A local service on that port (a database, a previous ssh still running
    /// with the same `-L`), or a port below 1024 without privileges.
    ///
    /// ## How to fix
    /// Find the program (`ss -ltnp 'sport = :PORT'`) or pick another local port.
    ///
    /// ## Evidence
    /// `bind [127.0.0.1]:5432: Address already in use`, `Could not request local forwarding.`
    BIND_FAILED = "forward.bind-failed", Error, 57, "Local forwarding port already in use", bind_failed;

    /// The server refused to listen on the port of a remote forward (`-R`).
    ///
    /// ## Why it happens
    /// The port is taken on the server, `AllowTcpForwarding no`/`remote`,
    /// a privileged port, or `GatewayPorts` for non-loopback addresses.
    ///
    /// ## How to fix
    /// Choose another port, or change the server's forwarding settings.
    ///
    /// ## Evidence
    /// `Warning: remote port forwarding failed for listen port 8080`
    REMOTE_FAILED = "forward.remote-failed", Error, 56, "Remote port forwarding refused", remote_failed;

    /// A forwarded connection could not be opened by the server: forwarding
    /// is prohibited there, or the target is unreachable from the server.
    ///
    /// ## Why it happens
    /// `AllowTcpForwarding no` or `PermitOpen` on the server, nothing listening
    /// on the target as seen *from the server*, a firewall on its side.
    ///
    /// ## How to fix
    /// Check the target from the server (`nc -vz TARGET PORT` there) and its
    /// forwarding settings.
    ///
    /// ## Evidence
    /// `channel 2: open failed: administratively prohibited: open failed`,
    /// `channel 2: open failed: connect failed: Connection refused`
    OPEN_FAILED = "forward.open-failed", Error, 56, "Forwarded connection refused by the server", open_failed;

    /// You asked for X11 forwarding (`-X`/`-Y`), and the server refused it,
    /// so graphical programs started over this session cannot open windows
    /// here.
    ///
    /// ## Why it happens
    /// `X11Forwarding no` on the server, or `xauth` not installed there.
    ///
    /// ## How to fix
    /// Install xauth on the server and set `X11Forwarding yes`.
    ///
    /// ## Evidence
    /// `X11 forwarding request failed on channel 0`
    X11_FAILED = "forward.x11-failed", Error, 54, "X11 forwarding refused", x11_failed;
}

fn bind_failed(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| {
        matches!(
            k,
            K::BindFailed { .. } | K::CannotListen { .. } | K::LocalForwardingFailed {}
        )
    })?;
    let port = t
        .all(|k| matches!(k, K::BindFailed { .. } | K::CannotListen { .. }))
        .find_map(|n| match n.kind() {
            K::BindFailed { port: Some(p), .. } | K::CannotListen { port: p } => Some(*p),
            _ => None,
        });
    let p = port.map(|p| p.to_string()).unwrap_or_else(|| "PORT".into());
    let mut f = Finding::new(&BIND_FAILED, format!("ssh could not listen on local port {p}: another program already uses it."), &[n]).steps([
        Step::run("See which program holds the port:", format!("ss -ltnp 'sport = :{p}'")),
        Step::say(format!("Stop it, or forward from another local port, e.g. `-L 1{p}:HOST:PORT`, and connect to that one.")),
    ]);
    f.cite(
        t.all(|k| {
            matches!(
                k,
                K::BindFailed { .. } | K::CannotListen { .. } | K::LocalForwardingFailed {}
            )
        })
        .take(4),
    );
    Some(f)
}

fn remote_failed(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| {
        matches!(
            k,
            K::RemoteForwardingFailed { .. } | K::RemoteForwardFailure { .. }
        )
    })?;
    let port = t
        .all(|k| matches!(k, K::RemoteForwardingFailed { .. }))
        .find_map(|n| match n.kind() {
            K::RemoteForwardingFailed { port, .. } if *port > 0 => Some(*port),
            _ => None,
        });
    let p = port.map(|p| p.to_string()).unwrap_or_else(|| "PORT".into());
    let mut f = Finding::new(
        &REMOTE_FAILED,
        format!("The server refused to listen on port {p} for the remote forward (-R)."),
        &[n],
    )
    .steps([
        Step::run(
            "On the server, see whether the port is taken:",
            format!("ss -ltnp 'sport = :{p}'"),
        ),
        Step::run(
            "And whether forwarding is allowed:",
            "sudo sshd -T | grep -Ei 'allowtcpforwarding|gatewayports|permitlisten'",
        ),
    ]);
    f.cite(
        t.all(|k| {
            matches!(
                k,
                K::RemoteForwardingFailed { .. } | K::RemoteForwardFailure { .. }
            )
        })
        .take(3),
    );
    Some(f)
}

fn open_failed(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.all(|k| matches!(k, K::ChannelOpenFailed { .. }))
        .find(|n| match n.kind() {
            K::ChannelOpenFailed { channel, .. } => !t.all(|k| matches!(k, K::ChannelNew { channel_type, .. } if channel_type == "session" || channel_type == "client-session")).any(|s| matches!(s.kind(), K::ChannelNew { channel: c, .. } if c == channel)),
            _ => false,
        })
        .or_else(|| t.find(|k| matches!(k, K::StdioForwardingFailed {})))?;
    let (reason, detail) = match n.kind() {
        K::ChannelOpenFailed { reason, detail, .. } => (reason.to_string(), detail.to_string()),
        _ => ("stdio forwarding failed".into(), String::new()),
    };
    let prohibited = reason.contains("prohibited");
    let summary = if prohibited {
        "The server refused to open the forwarded connection: TCP forwarding is disabled there (AllowTcpForwarding / PermitOpen).".to_string()
    } else {
        format!("The server could not connect to the forwarding target ({reason}{}): it is unreachable or closed as seen from the server.", if detail.is_empty() { String::new() } else { format!(": {detail}") })
    };
    let mut f = Finding::new(&OPEN_FAILED, summary, &[n]).steps([
        Step::run("Check the server's forwarding settings:", "sudo sshd -T | grep -Ei 'allowtcpforwarding|permitopen|disableforwarding'"),
        Step::say("Test the target from the server itself (`nc -vz TARGET PORT` there): `-L` targets are resolved and connected by the server, not by you."),
    ]);
    f.cite(t.find(|k| matches!(k, K::StdioForwardingFailed {})));
    f.cite(t.find(|k| matches!(k, K::ForwardConnectionRequested { .. })));
    Some(f)
}

fn x11_failed(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::X11Failed { .. }))?;
    Some(
        Finding::new(&X11_FAILED, "The server refused X11 forwarding.", &[n]).steps([
            Step::run("On the server: install xauth and allow X11 forwarding (`X11Forwarding yes` in /etc/ssh/sshd_config), then reload:", "sudo apt-get install -y xauth && sudo systemctl reload ssh"),
            Step::run("Check the server's setting:", "sudo sshd -T | grep -i x11forwarding"),
        ]),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn forwarding_failures() {
        assert_eq!(diagnose("bind [127.0.0.1]:5432: Address already in use\nchannel_setup_fwd_listener_tcpip: cannot listen to port: 5432\nCould not request local forwarding.\n").primary.cause.id, "forward.bind-failed");
        assert_eq!(
            diagnose("Warning: remote port forwarding failed for listen port 8080\n")
                .primary
                .cause
                .id,
            "forward.remote-failed"
        );
        assert_eq!(
            diagnose("channel 2: open failed: administratively prohibited: open failed\n")
                .primary
                .cause
                .id,
            "forward.open-failed"
        );
        assert_eq!(
            diagnose("X11 forwarding request failed on channel 0\n")
                .primary
                .cause
                .id,
            "forward.x11-failed"
        );
    }
}
