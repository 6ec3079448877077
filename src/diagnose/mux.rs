//! Connection multiplexing (ControlMaster).

use super::context::path_arg;
use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::grammar::primitives::unvis;
use crate::tr;
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
    #[ja("ControlMaster のソケットが古いまま残っている", r#"
        すでに存在しない（または終わりかけの）マスター接続の ControlMaster ソケットが
        残っていて、ssh がそれを使えません。

        ## なぜ起きるか
        マスター接続が強制終了された、またはそのネットワークが切れました。ソケット
        ファイルは消されるまで `ControlPath` に残ります。

        ## 直し方
        ソケットファイルを消す（`rm PATH`）か `ssh -O exit HOST` を実行します。すると ssh は
        直接接続するか、新しいマスターを起動します。
    "#)]
    STALE_SOCKET = "mux.stale-socket", Error, 30, "Stale ControlMaster socket", stale_socket;

    /// Connection sharing (ControlMaster) needs a Unix domain socket at the
    /// `ControlPath`, and ssh cannot make one there.
    ///
    /// ## Why it happens
    /// Windows' OpenSSH, a `ControlPath` on a WSL `/mnt/c` (drvfs) or network
    /// filesystem, or a `ControlPath` longer than a socket's path may be (108
    /// bytes on Linux, 104 on macOS: Ansible's default under a long home).
    ///
    /// ## How to fix
    /// Disable it (`ControlMaster no`, `ControlPath none`), put `ControlPath`
    /// on a Linux filesystem such as `/tmp` in WSL, or shorten it with `%C`
    /// (`ControlPath ~/.ssh/cm-%C`).
    ///
    /// ## Evidence
    /// `getsockname failed: Not supported`, `unix_listener: cannot bind to path ...`,
    /// `ControlPath too long ('P' >= 108 bytes)`
    #[ja("ここでは接続の共有が使えない", r#"
        接続の共有（ControlMaster）には `ControlPath` に Unix ドメインソケットが
        必要ですが、ssh はそこにソケットを作れません。

        ## なぜ起きるか
        Windows の OpenSSH を使っている、`ControlPath` が WSL の `/mnt/c`（drvfs）や
        ネットワークファイルシステム上にある、`ControlPath` がソケットのパスの上限
        （Linux で 108 バイト、macOS で 104 バイト）より長い、などです。

        ## 直し方
        共有を無効にする（`ControlMaster no`、`ControlPath none`）か、WSL なら `/tmp` の
        ような Linux のファイルシステムに `ControlPath` を置くか、`%C` で短くします
        （`ControlPath ~/.ssh/cm-%C`）。
    "#)]
    UNSUPPORTED = "mux.unsupported", Error, 89, "Connection sharing is not supported here", unsupported;
}

fn stale_socket(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| {
        matches!(
            k,
            K::ControlSocketConnect { .. } | K::ControlSocketExists { .. }
        ) || matches!(k, K::MuxFailure { text } if text.contains("master"))
    })?;
    // A master that cannot use its socket at all (mux.unsupported) fails
    // the hello exchange too: that is not a stale socket.
    if matches!(n.kind(), K::MuxFailure { .. })
        && t.find(|k| matches!(k, K::UnixSocketUnsupported { .. }))
            .is_some_and(|u| u.line() < n.line())
    {
        return None;
    }
    let path = match n.kind() {
        K::ControlSocketConnect { path, .. } | K::ControlSocketExists { path } => {
            Some(unvis(path).into_owned())
        }
        _ => None,
    };
    let l = ctx.lang;
    let mut steps = Vec::new();
    match &path {
        Some(p) => {
            let (p, refused) = path_arg(p, l);
            steps.extend(refused);
            steps.push(Step::run(
                tr!(
                    l,
                    "Remove the leftover socket:",
                    "残っているソケットを消します:"
                ),
                ctx.client.remove(&p),
            ))
        }
        None => steps.push(Step::run(
            tr!(
                l,
                "Stop the dying master (or remove its socket):",
                "終わりかけのマスターを止めます（またはそのソケットを消します）:"
            ),
            format!("ssh -O exit {}", ctx.host()),
        )),
    }
    steps.push(Step::say(tr!(
        l,
        "Then connect again; with ControlMaster auto ssh starts a fresh master.",
        "それから接続し直します。ControlMaster auto なら ssh が新しいマスターを起動します。"
    )));
    Some(
        Finding::new(
            &STALE_SOCKET,
            tr!(
                l,
                "A ControlMaster socket{} belongs to a master connection that is gone.",
                "ControlMaster のソケット{}の持ち主のマスター接続は、もう存在しません。",
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
    let l = ctx.lang;
    let too_long =
        matches!(n.kind(), K::UnixSocketUnsupported { text } if text.contains("too long"));
    let disable = || {
        Step::run(
            tr!(
                l,
                "Or disable sharing for this connection:",
                "または、この接続では共有を無効にします:"
            ),
            ctx.ssh("-o ControlMaster=no -o ControlPath=none"),
        )
    };
    let (summary, steps) = if too_long {
        (
            tr!(l, "The ControlPath is longer than a Unix socket's path may be (108 bytes on Linux, 104 on macOS), so ssh cannot make the socket that connection sharing needs.", "ControlPath が Unix ソケットのパスの上限（Linux で 108 バイト、macOS で 104 バイト）より長いため、接続の共有に必要なソケットを ssh が作れません。"),
            vec![
                Step::run(tr!(l, "Use a short ControlPath: %C is a hash of the connection's host, port and user (in ~/.ssh/config, or Ansible's control_path in ansible.cfg):", "短い ControlPath を使います。%C は接続先ホスト・ポート・ユーザーのハッシュです（~/.ssh/config、または ansible.cfg の control_path）:"), "ControlPath ~/.ssh/cm-%C"),
                disable(),
            ],
        )
    } else {
        let steps = if ctx.windows() {
            vec![Step::run(
                tr!(l, "Windows' OpenSSH cannot share connections; disable it for this host in ~/.ssh/config:", "Windows の OpenSSH は接続を共有できません。~/.ssh/config でこのホストについて無効にします:"),
                format!(
                    "Host {}\n    ControlMaster no\n    ControlPath none",
                    ctx.host()
                ),
            )]
        } else {
            vec![
                Step::run(tr!(l, "Put the socket on a filesystem that supports Unix sockets (not /mnt/c in WSL, not a network share):", "Unix ソケットが使えるファイルシステムにソケットを置きます（WSL の /mnt/c やネットワーク共有は不可）:"), "ControlPath /tmp/ssh-%C"),
                disable(),
            ]
        };
        (
            tr!(l, "Connection sharing (ControlMaster) needs Unix domain sockets, which are not available here.", "接続の共有（ControlMaster）には Unix ドメインソケットが必要ですが、ここでは使えません。"),
            steps,
        )
    };
    // `getsockname failed` alone does not say which socket: a ControlMaster
    // one most often, a -D/-L listener on Windows too.
    let named = too_long
        || matches!(n.kind(), K::UnixSocketUnsupported { text } if text.contains("unix_listener"))
        || t.has(|k| {
            matches!(
                k,
                K::ControlSocketConnect { .. }
                    | K::ControlSocketExists { .. }
                    | K::MuxFailure { .. }
                    | K::MuxInfo { .. }
            )
        })
        || t.command.as_ref().is_some_and(|c| {
            c.option("controlmaster").is_some() || c.option("controlpath").is_some()
        });
    let mut f = Finding::new(&UNSUPPORTED, summary, &[n])
        .failing(!ctx.authenticated)
        .confidence(if named {
            Confidence::High
        } else {
            Confidence::Medium
        })
        .steps(steps);
    // ssh carries on after a socket it could not use (a failure after it,
    // a forwarding channel the server refused, is what ended the attempt);
    // `ControlPath too long` is a fatal() of ssh's own.
    f.carries_on = !too_long;
    Some(f)
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
