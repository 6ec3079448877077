//! Failures while exchanging version banners, right after TCP connected.

use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::{Errno, EventKind as K};
use crate::trace::Trace;

causes! {
    /// The TCP connection was made, then the server side reset it before
    /// sending its SSH version: something in front of sshd, or sshd itself,
    /// rejected this client immediately.
    ///
    /// ## Why it happens
    /// TCP wrappers (`/etc/hosts.deny`), fail2ban or another blocker that
    /// banned your address, sshd's `MaxStartups` limit, an IPS or load balancer,
    /// a port forward to a machine where nothing listens.
    ///
    /// ## How to fix
    /// Look at the server's log at the moment you connect; check
    /// `fail2ban-client status sshd` and `/etc/hosts.deny`.
    ///
    /// ## Evidence
    /// `kex_exchange_identification: read: Connection reset by peer`,
    /// `Connection reset by 10.0.0.5 port 22`
    RESET = "banner.reset", Error, 83, "Connection reset before the SSH banner", reset;

    /// The server accepted the TCP connection and closed it again without
    /// sending an SSH version string: sshd (or a proxy in front of it)
    /// refused this connection before any SSH talk.
    ///
    /// ## Why it happens
    /// sshd's `MaxStartups` (too many unauthenticated connections, e.g. during
    /// a brute-force wave), a broken sshd (missing host keys, bad config: it
    /// accepts and dies), `DenyUsers`/TCP wrappers, a port forward or proxy with
    /// no backend, a jump host that could not reach the target.
    ///
    /// ## How to fix
    /// Read the server's log while you connect; run `sudo sshd -t` on the
    /// server to check its config and host keys.
    ///
    /// ## Evidence
    /// `kex_exchange_identification: Connection closed by remote host`,
    /// `Connection closed by 10.0.0.5 port 22`
    CLOSED = "banner.closed", Error, 82, "Connection closed before the SSH banner", closed;

    /// Something answers on that port, but it does not speak SSH: the first
    /// lines it sent are not an SSH version string.
    ///
    /// ## Why it happens
    /// The wrong port (a web server, mail server or database answers), a TLS or
    /// HTTP proxy in the way, a captive portal.
    ///
    /// ## How to fix
    /// Check the port sshd really listens on; connect with `-p` to that port.
    ///
    /// ## Evidence
    /// `kex_exchange_identification: banner line 0: HTTP/1.1 400 Bad Request`,
    /// `kex_exchange_identification: banner line contains invalid characters`
    NOT_SSH = "banner.not-ssh", Error, 86, "The port does not speak SSH", not_ssh;

    /// The TCP connection was made but no SSH version string arrived in time:
    /// the other end stays silent.
    ///
    /// ## Why it happens
    /// An overloaded server (sshd waiting on DNS or PAM before greeting), a
    /// middlebox that holds the connection, a service that waits for the
    /// client to speak first (TLS, telnet).
    ///
    /// ## How to fix
    /// Check the server's load and log; check what listens on the port.
    ///
    /// ## Evidence
    /// `Connection timed out during banner exchange`
    TIMEOUT = "banner.timeout", Error, 83, "No SSH banner received in time", timeout;
}

/// The connection reached the SSH protocol (so banner problems are over).
fn got_banner(t: &Trace) -> bool {
    t.has(|k| {
        matches!(
            k,
            K::RemoteVersion { .. } | K::KexMessage { .. } | K::ServerHostKey { .. }
        )
    })
}

fn server_log_step() -> Step {
    Step::run("Watch the server's log while you connect (Debian/Ubuntu/Raspberry Pi OS use the unit `ssh`, others `sshd`):", super::Ctx::server_log())
}

fn reset(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if got_banner(t) {
        return None;
    }
    let n = t.find_last(|k| {
        matches!(
            k,
            K::IdentReadFailed {
                errno: Errno::Reset,
                ..
            } | K::ConnectionResetBy { .. }
        )
    })?;
    let mut f = Finding::new(&RESET, format!("{} reset the connection before sending its SSH banner.", ctx.host()), &[n]).steps([
        server_log_step(),
        Step::run("If fail2ban runs on the server, see whether your address is banned:", "sudo fail2ban-client status sshd"),
        Step::run("Check TCP wrappers on the server:", "grep -v '^#' /etc/hosts.deny /etc/hosts.allow"),
        Step::say("If this is a port forward (router, cloud load balancer), check that it points at a machine where sshd runs."),
    ]);
    f.cite(
        t.all(|k| matches!(k, K::IdentReadFailed { .. } | K::ConnectionResetBy { .. }))
            .take(3),
    );
    Some(f)
}

fn closed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if got_banner(t) {
        return None;
    }
    let n = t
        .find_last(|k| matches!(k, K::IdentClosed { .. }))
        .or_else(|| {
            t.find_last(|k| matches!(k, K::ConnectionClosedBy { .. }))
                .filter(|_| t.has(|k| matches!(k, K::Connected {})))
        })?;
    let max_startups =
        t.find(|k| matches!(k, K::BannerLine { text, .. } if text.contains("MaxStartups")));
    let summary = if max_startups.is_some() {
        format!("{} refused the connection because it has too many unauthenticated connections open (MaxStartups).", ctx.host())
    } else {
        format!(
            "{} accepted the TCP connection and closed it before any SSH exchange.",
            ctx.host()
        )
    };
    let mut steps = vec![server_log_step()];
    if max_startups.is_some() {
        steps.push(Step::say("sshd drops new connections while MaxStartups (default 10:30:100) unauthenticated ones are pending: wait, find what opens so many connections (`ss -tn state established '( sport = :22 )'` on the server), or raise MaxStartups."));
    } else {
        steps.push(Step::run(
            "On the server, check sshd's configuration and host keys:",
            "sudo sshd -t && sudo systemctl status ssh",
        ));
        steps.push(Step::say("If you connect through a port forward, proxy or jump host, the hop behind it may be down."));
    }
    let mut f = Finding::new(&CLOSED, summary, &[n]).steps(steps);
    f.cite(max_startups);
    f.cite(t.find_last(|k| matches!(k, K::ConnectionClosedBy { .. })));
    Some(f)
}

fn not_ssh(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if got_banner(t) {
        return None;
    }
    let invalid = t.find(|k| matches!(k, K::IdentInvalid { .. })).or_else(|| {
        t.find(
            |k| matches!(k, K::ConnectionError { error, .. } if error.contains("invalid format")),
        )
    });
    let lines: Vec<_> = t
        .all(|k| matches!(k, K::BannerLine { text, .. } if !text.contains("MaxStartups")))
        .take(4)
        .collect();
    if invalid.is_none() && lines.is_empty() {
        return None;
    }
    let first = lines.first().and_then(|n| match n.kind() {
        K::BannerLine { text, .. } => Some(text.to_string()),
        _ => None,
    });
    let what = match first.as_deref() {
        Some(s) if s.starts_with("HTTP/") || s.starts_with("<") => "a web server (HTTP)",
        Some(s) if s.starts_with("220") || s.starts_with("554") => "a mail server (SMTP)",
        Some(s) if s.starts_with("+OK") => "a mail server (POP3)",
        Some(s) if s.starts_with("* OK") => "a mail server (IMAP)",
        _ if invalid.is_some() => {
            "a service that sends binary data (a database, TLS, or another protocol)"
        }
        _ => "a service that is not sshd",
    };
    let mut f = Finding::new(
        &NOT_SSH,
        format!("Port {} on {} is answered by {what}, not by an SSH server.", ctx.port(), ctx.host()),
        &lines,
    )
    .steps([
        Step::say("Connect to the port sshd really listens on with `-p PORT`; on the server `sudo ss -tlnp | grep sshd` shows it."),
        Step::run("See what answers on this port:", format!("nc -v {} {}", ctx.host(), ctx.port())),
    ]);
    f.cite(invalid);
    Some(f)
}

fn timeout(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| matches!(k, K::BannerTimeout {}))?;
    Some(
        Finding::new(&TIMEOUT, format!("{} accepted the connection but sent no SSH banner before the timeout.", ctx.host()), &[n])
            .confidence(Confidence::High)
            .steps([
                server_log_step(),
                Step::run("See what (if anything) the port sends:", format!("nc -v {} {}", ctx.host(), ctx.port())),
                Step::say("An overloaded server, or sshd waiting on a slow DNS (UseDNS) or PAM, can greet too late; a telnet or TLS service on this port never sends an SSH banner."),
            ]),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn banner_failures() {
        assert_eq!(
            diagnose("kex_exchange_identification: read: Connection reset by peer\n")
                .primary
                .cause
                .id,
            "banner.reset"
        );
        assert_eq!(
            diagnose("ssh_exchange_identification: Connection closed by remote host\n")
                .primary
                .cause
                .id,
            "banner.closed"
        );
        assert_eq!(
            diagnose("Connection timed out during banner exchange\n")
                .primary
                .cause
                .id,
            "banner.timeout"
        );
        let http = "debug1: Connection established.\ndebug1: kex_exchange_identification: banner line 0: HTTP/1.1 400 Bad Request\nkex_exchange_identification: Connection closed by remote host\n";
        let d = diagnose(http);
        assert_eq!(d.primary.cause.id, "banner.not-ssh");
        assert!(d.primary.summary.contains("HTTP"));
    }
}
