//! After authentication: the session itself and how it ended.

use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::{Errno, EventKind as K};
use crate::trace::{Noted, Trace};

causes! {
    /// Authentication worked, then the server ended the session at once:
    /// the account cannot run a shell or command.
    ///
    /// ## Why it happens
    /// The user's shell is `/usr/sbin/nologin` or `/bin/false`, a `ForceCommand`
    /// or authorized_keys `command=` that exits, a missing home directory or
    /// shell, a full disk.
    ///
    /// ## How to fix
    /// Check the account on the server: `getent passwd USER` (last field is the
    /// shell), `chsh -s /bin/bash USER`.
    ///
    /// ## Evidence
    /// `Authenticated to ...` then `This account is currently not available.` / `Exit status 1`
    CLOSED_AFTER_AUTH = "session.closed-after-auth", Error, 45, "Session closed right after login", closed_after_auth;

    /// The server refused to allocate a terminal for the session.
    ///
    /// ## Why it happens
    /// `PermitTTY no` on the server, a `no-pty` option on the key in
    /// authorized_keys, or the server ran out of pseudo-terminals.
    ///
    /// ## How to fix
    /// Run a command without a terminal (`ssh -T host cmd`) or ask for the
    /// server-side restriction to be lifted.
    ///
    /// ## Evidence
    /// `PTY allocation request failed on channel 0`
    PTY_FAILED = "session.pty-failed", Error, 47, "The server refused a terminal", pty_failed;

    /// Authentication worked, but the server refused to open the session
    /// channel that runs your shell or command, so nothing could run.
    ///
    /// ## Why it happens
    /// `MaxSessions` reached (or set to 0) — often through a ControlMaster
    /// connection carrying many sessions — a forced subsystem, resource limits.
    ///
    /// ## How to fix
    /// Close other sessions of the shared connection, or raise MaxSessions.
    ///
    /// ## Evidence
    /// `channel 0: open failed: ...` for the session channel, `Session open refused by peer`
    OPEN_REFUSED = "session.open-refused", Error, 46, "The server refused a session", open_refused;

    /// The connection broke while the session was running: ssh could not write
    /// to it any more.
    ///
    /// ## Why it happens
    /// An idle NAT or firewall forgot the connection, Wi-Fi/VPN changed, the
    /// laptop slept.
    ///
    /// ## How to fix
    /// Keep the connection alive: `ServerAliveInterval 30` in `~/.ssh/config`;
    /// for long jobs use tmux/screen on the server.
    ///
    /// ## Evidence
    /// `client_loop: send disconnect: Broken pipe`, `packet_write_wait: ... Broken pipe`
    BROKEN_PIPE = "session.broken-pipe", Error, 43, "Connection broke during the session", broken_pipe;

    /// The server stopped answering keepalives, so ssh gave up on the session.
    ///
    /// ## Why it happens
    /// The network went away (or a firewall started dropping packets) while
    /// ServerAliveInterval/ServerAliveCountMax were set.
    ///
    /// ## How to fix
    /// Check the network path; raise ServerAliveCountMax on unstable links.
    ///
    /// ## Evidence
    /// `Timeout, server 10.0.0.5 not responding.`
    TIMEOUT = "session.timeout", Error, 44, "The server stopped responding", timeout;

    /// The session was reset (TCP RST) by the server or something in between.
    ///
    /// ## Why it happens
    /// A network device dropping the connection, the server's sshd killed, a
    /// reboot.
    ///
    /// ## How to fix
    /// Check the server's log and uptime; use keepalives and tmux/screen.
    ///
    /// ## Evidence
    /// `Read from remote host 10.0.0.5: Connection reset by peer`
    RESET = "session.reset", Error, 44, "Connection reset during the session", reset;

    /// An established session was ended from the server's side (a clean
    /// close, not a network error): something on the server decided to end it.
    ///
    /// ## Why it happens
    /// The server's idle timeout (ClientAliveInterval/ClientAliveCountMax, shell
    /// TMOUT), a reboot or sshd restart, an admin killing the session.
    ///
    /// ## How to fix
    /// Check the server's log and uptime; set ServerAliveInterval on the client.
    ///
    /// ## Evidence
    /// `Connection to 10.0.0.5 closed by remote host.` after session activity
    CLOSED_BY_REMOTE = "session.closed-by-remote", Error, 42, "The server closed the session", closed_by_remote;

    /// Packets arrived damaged: the integrity check (MAC) failed, so ssh
    /// dropped the connection.
    ///
    /// ## Why it happens
    /// Faulty network hardware or NIC offloading, a middlebox rewriting
    /// packets, MTU problems, bad RAM, old cipher bugs.
    ///
    /// ## How to fix
    /// Try another cipher/MAC to narrow it down, disable NIC offloads
    /// (`ethtool -K eth0 tso off gso off`), test the path.
    ///
    /// ## Evidence
    /// `Corrupted MAC on input.`, `message authentication code incorrect`, `Bad packet length`
    CORRUPT = "transport.corrupt", Error, 86, "Data corrupted in transit", corrupt;
}

fn authenticated_line(t: &Trace) -> Option<usize> {
    t.authenticated().map(Noted::line)
}

fn closed_after_auth(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let auth = authenticated_line(t)?;
    let nologin = t
        .find(|k| matches!(k, K::AccountRestricted { .. }))
        .filter(|n| n.line() > auth);
    let exit = t
        .find_last(|k| matches!(k, K::ExitStatus { code } if *code != 0))
        .filter(|n| n.line() > auth);
    let closed = t
        .find_last(|k| matches!(k, K::ClosedByRemote { .. }))
        .filter(|n| n.line() > auth);
    let session_output = t.stats.lines > 0 && t.find(|k| matches!(k, K::ChannelRequest { request, .. } if request != "exit-status" && request != "eow@openssh.com")).is_some();
    let command = t.find(|k| matches!(k, K::SendingCommand { .. }));
    let trivial = match command.map(|n| n.kind()) {
        Some(K::SendingCommand { command }) => {
            matches!(command.trim(), "exit" | "true" | "exit 0" | ":")
        }
        _ => true,
    };
    let (head, confidence) = if let Some(n) = nologin {
        (n, Confidence::High)
    } else if let (Some(n), true, false) = (exit, trivial, session_output) {
        (n, Confidence::Medium)
    } else if let (Some(n), None) = (closed, t.find(|k| matches!(k, K::EnteringSession {}))) {
        (n, Confidence::Medium)
    } else {
        return None;
    };
    let user = ctx.user.clone().unwrap_or_else(|| "USER".into());
    let mut f = Finding::new(
        &CLOSED_AFTER_AUTH,
        if let Some(K::AccountRestricted { text }) = nologin.map(|n| n.kind()) {
            if text.contains("sftp") {
                format!("Login as {user} worked, but the server only allows sftp for this account (ForceCommand internal-sftp): no shell or commands.")
            } else {
                format!("Login as {user} worked, but the account's shell is nologin: it may not run a shell or commands.")
            }
        } else {
            format!("Login as {user} worked, but the session ended at once with a failure and no output — typically a login shell like /bin/false, a ForceCommand, or a missing home directory.")
        },
        &[head],
    )
    .confidence(confidence)
    .steps([
        Step::run("On the server, see the account's shell (last field) and home:", format!("getent passwd {user}")),
        Step::run("Give it a real shell if it should have one:", format!("sudo chsh -s /bin/bash {user}")),
        Step::say("If it is a service account meant for sftp/git only, use that service (sftp, git) rather than a shell. Check ForceCommand in sshd_config and command= in authorized_keys."),
    ]);
    f.cite(t.authenticated());
    f.cite(exit);
    Some(f)
}

fn pty_failed(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::PtyFailed { .. }))?;
    Some(
        Finding::new(&PTY_FAILED, "The server refused to allocate a terminal (PTY) for the session.", &[n]).steps([
            Step::say("Run commands without a terminal: `ssh -T host command` (drop -t/-tt and RequestTTY)."),
            Step::say("On the server this comes from `PermitTTY no` (sshd_config, possibly in a Match block) or `no-pty` on the key in authorized_keys."),
        ]),
    )
}

fn session_channel(t: &Trace, channel: u32) -> bool {
    t.all(|k| matches!(k, K::ChannelNew { .. })).any(|n| matches!(n.kind(), K::ChannelNew { channel: c, channel_type } if *c == channel && (channel_type == "session" || channel_type == "client-session")))
}

fn open_refused(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::SessionRefused { .. }))
        .or_else(|| t.all(|k| matches!(k, K::ChannelOpenFailed { .. })).find(|n| matches!(n.kind(), K::ChannelOpenFailed { channel, .. } if session_channel(t, *channel))))?;
    Some(
        Finding::new(&OPEN_REFUSED, "The server refused to open a session channel.", &[n]).steps([
            Step::say("If you share one connection (ControlMaster), it may have reached the server's MaxSessions (default 10): close other sessions or use `-o ControlPath=none`."),
            Step::run("On the server, check session limits:", "sudo sshd -T | grep -Ei 'maxsessions|forcecommand|subsystem'"),
        ]),
    )
}

fn after_session(t: &Trace, n: &Noted) -> bool {
    authenticated_line(t).is_some_and(|a| n.line() > a)
        || t.has(|k| matches!(k, K::EnteringSession {}))
}

fn broken_pipe(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| match k {
        K::SendDisconnectFailed { errno, .. }
        | K::ReadWriteFailed { errno, .. }
        | K::ConnectionError { errno, .. } => *errno == Errno::BrokenPipe,
        _ => false,
    })?;
    if t.find(|k| {
        matches!(
            k,
            K::ReadWriteFailed {
                errno: Errno::Reset,
                ..
            }
        )
    })
    .is_some()
    {
        return None;
    }
    if ctx.verbosity > 0 && !after_session(t, n) {
        return None;
    }
    Some(
        Finding::new(&BROKEN_PIPE, "The connection broke while the session was open: ssh could no longer send to the server.", &[n]).steps([
            Step::run("Send keepalives so idle NAT/firewall entries stay open — add to ~/.ssh/config:", "Host *\n    ServerAliveInterval 30\n    ServerAliveCountMax 4"),
            Step::say("Run long jobs inside tmux or screen on the server, so they survive a dropped connection."),
        ]),
    )
}

fn timeout(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| matches!(k, K::ServerNotResponding { .. }))?;
    let K::ServerNotResponding { host } = n.kind() else {
        return None;
    };
    Some(
        Finding::new(&TIMEOUT, format!("{host} stopped answering keepalives, so ssh closed the session."), &[n]).steps([
            Step::say("The network path went away (Wi-Fi, VPN, firewall). Check it; on unstable links raise ServerAliveCountMax."),
            Step::say("Run long jobs inside tmux or screen on the server."),
        ]),
    )
}

fn reset(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| match k {
        K::ReadWriteFailed { errno, .. } => *errno == Errno::Reset,
        K::ConnectionResetBy { .. }
        | K::ConnectionError {
            errno: Errno::Reset,
            ..
        } => true,
        _ => false,
    })?;
    if !after_session(t, n) {
        return None;
    }
    let mut f = Finding::new(&RESET, "The connection was reset during the session (TCP RST from the server or a device in between).", &[n]).steps([
        Step::run("On the server, check whether sshd or the machine restarted:", "uptime; sudo journalctl -u ssh -u sshd --since '-1h'"),
        Step::run("Keep the connection alive through NAT/firewalls — ~/.ssh/config:", "Host *\n    ServerAliveInterval 30"),
    ]);
    f.cite(t.find_last(|k| matches!(k, K::SendDisconnectFailed { .. })));
    let _ = ctx;
    Some(f)
}

fn closed_by_remote(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| matches!(k, K::ClosedByRemote { .. }))?;
    // ssh prints this only for an established session; with -v, insist on
    // seeing the session start after authentication.
    let active = match authenticated_line(t) {
        Some(auth) => n.line() > auth && t.has(|k| matches!(k, K::EnteringSession {})),
        None => t.stats.max_debug == 0,
    };
    if !active || t.has(|k| matches!(k, K::AccountRestricted { .. })) {
        return None;
    }
    let K::ClosedByRemote { host } = n.kind() else {
        return None;
    };
    Some(
        Finding::new(&CLOSED_BY_REMOTE, format!("{host} closed the established session."), &[n])
            .confidence(Confidence::Medium)
            .steps([
                Step::run("On the server, look for the reason around that time (idle timeout, restart, killed session):", "sudo journalctl -u ssh -u sshd --since '-1h'; uptime"),
                Step::say("Idle sessions are closed by ClientAliveInterval/ClientAliveCountMax on the server or a shell TMOUT; ServerAliveInterval 30 on the client keeps them active."),
            ]),
    )
}

fn corrupt(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| match k {
        K::CorruptedMac {} | K::BadPacketLength { .. } => true,
        K::ConnectionError { error, .. } | K::TransportError { text: error } => {
            let e = error.to_ascii_lowercase();
            e.contains("message authentication code incorrect")
                || e.contains("packet corrupt")
                || e.contains("corrupted")
        }
        K::Disconnecting { reason, .. } => reason.to_ascii_lowercase().contains("corrupt"),
        _ => false,
    })?;
    let mut f = Finding::new(&CORRUPT, "Data arrived damaged (integrity check failed), so ssh dropped the connection.", &[n]).steps([
        Step::run("Narrow it down with another cipher and MAC:", "ssh -o Ciphers=aes128-ctr -o MACs=hmac-sha2-256 HOST"),
        Step::run("Disable NIC offloads on the client (and server), replacing eth0:", "sudo ethtool -K eth0 tso off gso off gro off"),
        Step::say("Check the path (Wi-Fi driver, VPN, middlebox), and the machines' RAM if it keeps happening."),
    ]);
    f.cite(
        t.all(|k| matches!(k, K::Disconnecting { .. } | K::ConnectionError { .. }))
            .take(2),
    );
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn session_endings() {
        let nologin = "Authenticated to h ([1.2.3.4]:22) using \"publickey\".\ndebug1: Entering interactive session.\nThis account is currently not available.\ndebug1: Exit status 1\n";
        assert_eq!(
            diagnose(nologin).primary.cause.id,
            "session.closed-after-auth"
        );
        assert_eq!(
            diagnose("PTY allocation request failed on channel 0\n")
                .primary
                .cause
                .id,
            "session.pty-failed"
        );
        assert_eq!(
            diagnose("client_loop: send disconnect: Broken pipe\n")
                .primary
                .cause
                .id,
            "session.broken-pipe"
        );
        assert_eq!(
            diagnose("Timeout, server 10.0.0.5 not responding.\n")
                .primary
                .cause
                .id,
            "session.timeout"
        );
        assert_eq!(
            diagnose("Corrupted MAC on input.\n").primary.cause.id,
            "transport.corrupt"
        );
    }
}
