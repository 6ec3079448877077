//! Connection multiplexing (ControlMaster).

use super::context::quote;
use super::{causes, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::grammar::primitives::unvis;
use crate::trace::Trace;

causes! {
    /// A ControlMaster socket was left behind by a master connection that is
    /// gone (or dying), so ssh cannot use it.
    ///
    /// ## Why it happens
    /// The master was killed or its network died; the socket file stays in
    /// `ControlPath` until removed.
    ///
    /// ## How to fix
    /// Remove the socket file (`rm PATH`) or `ssh -O exit HOST`; ssh then
    /// connects directly or starts a new master.
    ///
    /// ## Evidence
    /// `Control socket connect(PATH): Connection refused`,
    /// `ControlSocket PATH already exists, disabling multiplexing`,
    /// `mux_client_request_session: read from master failed: Broken pipe`
    STALE_SOCKET = "mux.stale-socket", Error, 30, "Stale ControlMaster socket", stale_socket;

    /// Connection sharing (ControlMaster) needs Unix domain sockets, which this
    /// system or filesystem does not provide.
    ///
    /// ## Why it happens
    /// Windows' OpenSSH, a `ControlPath` on a WSL `/mnt/c` (drvfs) or network
    /// filesystem.
    ///
    /// ## How to fix
    /// Disable it (`ControlMaster no`, `ControlPath none`), or put `ControlPath`
    /// on a Linux filesystem such as `/tmp` in WSL.
    ///
    /// ## Evidence
    /// `getsockname failed: Not supported`, `unix_listener: cannot bind to path ...`
    UNSUPPORTED = "mux.unsupported", Error, 89, "Connection sharing is not supported here", unsupported;
}

fn stale_socket(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| {
        matches!(
            k,
            K::ControlSocketConnect { .. } | K::ControlSocketExists { .. }
        ) || matches!(k, K::MuxFailure { text } if text.contains("master"))
    })?;
    let path = match n.kind() {
        K::ControlSocketConnect { path, .. } | K::ControlSocketExists { path } => {
            Some(unvis(path).into_owned())
        }
        _ => None,
    };
    let mut steps = Vec::new();
    match &path {
        Some(p) => steps.push(Step::run(
            "Remove the leftover socket:",
            format!("rm -f {}", quote(p)),
        )),
        None => steps.push(Step::run(
            "Stop the dying master (or remove its socket):",
            format!("ssh -O exit {}", ctx.host()),
        )),
    }
    steps.push(Step::say(
        "Then connect again; with ControlMaster auto ssh starts a fresh master.",
    ));
    Some(
        Finding::new(
            &STALE_SOCKET,
            format!(
                "A ControlMaster socket{} belongs to a master connection that is gone.",
                path.map(|p| format!(" ({p})")).unwrap_or_default()
            ),
            &[n],
        )
        .failing(!ctx.authenticated)
        .steps(steps),
    )
}

fn unsupported(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::UnixSocketUnsupported { .. }))?;
    let steps = if ctx.windows {
        vec![Step::run(
            "Windows' OpenSSH cannot share connections; disable it for this host in ~/.ssh/config:",
            format!(
                "Host {}\n    ControlMaster no\n    ControlPath none",
                ctx.host()
            ),
        )]
    } else {
        vec![
            Step::run("Put the socket on a filesystem that supports Unix sockets (not /mnt/c in WSL, not a network share):", "ControlPath /tmp/ssh-%C"),
            Step::run("Or disable sharing for this connection:", ctx.ssh("-o ControlMaster=no -o ControlPath=none")),
        ]
    };
    Some(
        Finding::new(&UNSUPPORTED, "Connection sharing (ControlMaster) needs Unix domain sockets, which are not available here.", &[n])
            .failing(!ctx.authenticated)
            .steps(steps),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn mux_failures() {
        assert_eq!(
            diagnose("Control socket connect(/home/u/.ssh/cm-a@h:22): Connection refused\n")
                .primary
                .cause
                .id,
            "mux.stale-socket"
        );
        assert_eq!(
            diagnose("getsockname failed: Not supported\n")
                .primary
                .cause
                .id,
            "mux.unsupported"
        );
    }
}
