//! Port, stdio and X11 forwarding.

use super::{causes, Ctx, Finding, Step};
use crate::event::{Errno, EventKind as K};
use crate::lang::Lang;
use crate::tr;
use crate::trace::{Noted, Trace};

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
    #[ja("ローカル転送のポートが使用中", r#"
        転送を指定したローカルポートで ssh が待ち受けられませんでした。別のプログラムが
        そのポートをすでに使っています。

        ## なぜ起きるか
        そのポートを使うローカルのサービス（データベース、同じ `-L` でまだ動いている前の
        ssh）があるか、権限なしで 1024 未満のポートを指定しています。

        ## 直し方
        使っているプログラムを探す（`ss -ltnp 'sport = :PORT'`）か、別のローカルポートを
        選びます。
    "#)]
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
    #[ja("リモートポート転送が拒否された", r#"
        リモート転送（`-R`）のポートでの待ち受けを、サーバーが拒否しました。

        ## なぜ起きるか
        サーバー側でそのポートが使用中、`AllowTcpForwarding no`/`remote`、特権ポート、
        またはループバック以外のアドレスに `GatewayPorts` が必要、などです。

        ## 直し方
        別のポートを選ぶか、サーバーの転送設定を変えます。
    "#)]
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
    #[ja("転送した接続をサーバーが開けなかった", r#"
        転送した接続をサーバーが開けませんでした。サーバーで転送が禁止されているか、
        サーバーから転送先に届きません。

        ## なぜ起きるか
        サーバーの `AllowTcpForwarding no` や `PermitOpen`、*サーバーから見て*転送先で何も
        待ち受けていない、サーバー側のファイアウォール、などです。

        ## 直し方
        サーバー上で転送先に届くか（そこで `nc -vz TARGET PORT`）と、転送の設定を確かめます。
    "#)]
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
    #[ja("X11 転送が拒否された", r#"
        X11 転送（`-X`/`-Y`）を求めましたが、サーバーが拒否しました。このセッションで
        起動したグラフィカルなプログラムは、こちらにウィンドウを開けません。

        ## なぜ起きるか
        サーバーが `X11Forwarding no` か、サーバーに `xauth` がインストールされていません。

        ## 直し方
        サーバーに xauth をインストールし、`X11Forwarding yes` にします。
    "#)]
    X11_FAILED = "forward.x11-failed", Error, 54, "X11 forwarding refused", x11_failed;
}

/// `bind [::1]:P: Cannot assign requested address` (`Address not available`
/// with musl): a system without IPv6 loopback. ssh listens on the other
/// addresses of the name (127.0.0.1) and carries on; only
/// `Could not request local forwarding.` would say it listens nowhere.
fn no_ipv6_loopback(k: &K) -> bool {
    let K::BindFailed {
        address: Some(a),
        error,
        ..
    } = k
    else {
        return false;
    };
    let e = error.to_ascii_lowercase();
    a.contains(':')
        && (e.contains("assign requested address") || e.contains("address not available"))
}

/// ssh failing to listen for a local forward (not for want of IPv6 alone).
fn listen_failure(k: &K) -> bool {
    matches!(
        k,
        K::BindFailed { .. } | K::CannotListen { .. } | K::LocalForwardingFailed {}
    ) && !no_ipv6_loopback(k)
}

fn bind_failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let n = t.find(listen_failure)?;
    let port = t.all(listen_failure).find_map(|n| match n.kind() {
        K::BindFailed { port: Some(p), .. } | K::CannotListen { port: p } => Some(*p),
        _ => None,
    });
    let p = port.map(|p| p.to_string()).unwrap_or_else(|| "PORT".into());
    let summary = match n.kind() {
        K::BindFailed { errno: Errno::PermissionDenied, .. } => tr!(l, "ssh could not listen on local port {p}: ports below 1024 need root (forward from a port above 1024 instead).", "ssh はローカルポート {p} で待ち受けられませんでした。1024 未満のポートには root が必要です（1024 より上のポートから転送します）。"),
        K::BindFailed { errno: Errno::AddressInUse, .. } | K::CannotListen { .. } | K::LocalForwardingFailed {} => tr!(l, "ssh could not listen on local port {p}: another program already uses it.", "ssh はローカルポート {p} で待ち受けられませんでした。別のプログラムがすでに使っています。"),
        K::BindFailed { error, .. } => tr!(l, "ssh could not listen on local port {p} ({error}).", "ssh はローカルポート {p} で待ち受けられませんでした（{error}）。"),
        _ => return None,
    };
    let mut f = Finding::new(&BIND_FAILED, summary, &[n]).steps([
        Step::run(tr!(l, "See which program holds the port:", "どのプログラムがポートを使っているか調べます:"), ctx.client.listening(&p)),
        Step::say(tr!(l, "Stop it, or forward from another local port, e.g. `-L 1{p}:HOST:PORT`, and connect to that one.", "それを止めるか、別のローカルポート（例: `-L 1{p}:HOST:PORT`）から転送して、そちらに接続します。")),
    ]);
    f.cite(t.all(listen_failure).take(4));
    Some(f)
}

fn remote_failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
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
        })
        // The server's log names the port when the client's line does not.
        .or_else(|| refused_by_server(t).map(|(_, port)| port));
    let p = port.map(|p| p.to_string()).unwrap_or_else(|| "PORT".into());
    let mut f = Finding::new(
        &REMOTE_FAILED,
        tr!(
            l,
            "The server refused to listen on port {p} for the remote forward (-R).",
            "サーバーは、リモート転送（-R）のためにポート {p} で待ち受けることを拒否しました。"
        ),
        &[n],
    )
    .steps(remote_steps(l, &p));
    f.cite(
        t.all(|k| {
            matches!(
                k,
                K::RemoteForwardingFailed { .. } | K::RemoteForwardFailure { .. }
            )
        })
        .take(3),
    );
    f.cite(refused_by_server(t).map(|(n, _)| n));
    Some(f)
}

/// The server's log line saying it could not listen for a remote forward,
/// and its port.
pub fn refused_by_server(t: &Trace) -> Option<(&Noted, u16)> {
    let n = t.server_find_last(|k| matches!(k, K::SshdForwardRefused { .. }))?;
    match n.kind() {
        K::SshdForwardRefused { port } => Some((n, *port)),
        _ => None,
    }
}

/// What to check on the server when it refused a remote forward on port `p`.
pub fn remote_steps(l: Lang, p: &str) -> [Step; 2] {
    [
        Step::run(
            tr!(
                l,
                "See whether the port is taken:",
                "ポートが使用中か調べます:"
            ),
            format!("ss -ltnp 'sport = :{p}'"),
        )
        .on_server(),
        Step::run(
            tr!(
                l,
                "And whether forwarding is allowed:",
                "転送が許可されているかも確かめます:"
            ),
            "sudo sshd -T | grep -Ei 'allowtcpforwarding|gatewayports|permitlisten'",
        )
        .on_server(),
    ]
}

fn open_failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
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
    // SSH_OPEN_UNKNOWN_CHANNEL_TYPE: the server has no such channel at all.
    let unknown_type = reason.contains("unknown channel type");
    let summary = if unknown_type {
        tr!(l, "The server does not support this kind of forwarded connection (\"unknown channel type\"): its SSH server does not implement it, or has it turned off.", "サーバーはこの種類の転送接続に対応していません（\"unknown channel type\"）。その SSH サーバーが実装していないか、無効にしています。")
    } else if prohibited {
        tr!(l, "The server refused to open the forwarded connection: TCP forwarding is disabled there (AllowTcpForwarding / PermitOpen).", "サーバーは転送した接続を開くことを拒否しました。サーバーで TCP 転送が無効になっています（AllowTcpForwarding / PermitOpen）。")
    } else {
        tr!(l, "The server could not connect to the forwarding target ({reason}{}): it is unreachable or closed as seen from the server.", "サーバーは転送先に接続できませんでした（{reason}{}）。サーバーから見て、転送先に届かないか閉じています。", if detail.is_empty() { String::new() } else { format!(": {detail}") })
    };
    let mut f = Finding::new(&OPEN_FAILED, summary, &[n]).steps([
        Step::run(tr!(l, "Check the server's forwarding settings:", "サーバーの転送設定を確かめます:"), "sudo sshd -T | grep -Ei 'allowtcpforwarding|permitopen|disableforwarding'").on_server(),
        Step::say(tr!(l, "Test the target from the server itself (`nc -vz TARGET PORT` there): `-L` targets are resolved and connected by the server, not by you.", "サーバー自身の上で転送先を試します（そこで `nc -vz TARGET PORT`）。`-L` の転送先の名前解決と接続は、手元ではなくサーバーが行います。")),
    ]);
    f.cite(t.find(|k| matches!(k, K::StdioForwardingFailed {})));
    f.cite(t.find(|k| matches!(k, K::ForwardConnectionRequested { .. })));
    Some(f)
}

fn x11_failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let n = t.find(|k| matches!(k, K::X11Failed { .. })).or_else(|| {
        // The server's own reason, relayed as `Remote: No xauth program`.
        t.find(|k| matches!(k, K::AuthBanner { text } if text.contains("No xauth program")))
    })?;
    Some(
        Finding::new(&X11_FAILED, tr!(l, "The server refused X11 forwarding.", "サーバーが X11 転送を拒否しました。"), &[n]).steps([
            Step::run(tr!(l, "Install xauth and allow X11 forwarding (`X11Forwarding yes` in /etc/ssh/sshd_config), then reload:", "xauth をインストールし、X11 転送を許可して（/etc/ssh/sshd_config に `X11Forwarding yes`）、設定を再読み込みします:"), format!("{} && {}", ctx.server.install_xauth(), ctx.server.reload())).on_server(),
            Step::run(tr!(l, "Check the server's setting:", "サーバーの設定を確かめます:"), "sudo sshd -T | grep -i x11forwarding").on_server(),
        ])
        // ssh goes on without X11: a refused shell after it ends the session.
        .carries_on(),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn a_refused_shell_after_a_refused_x11_request_ends_the_session() {
        let d = diagnose("X11 forwarding request failed on channel 0\nPTY allocation request failed on channel 0\nshell request failed on channel 0\n");
        assert_eq!(d.primary.cause.id, "session.open-refused");
        assert!(d
            .secondary
            .iter()
            .any(|f| f.cause.id == "forward.x11-failed"));
    }

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

    #[test]
    fn an_ipv6_loopback_missing_is_not_a_port_in_use() {
        let ids = |log: &str| {
            let d = diagnose(log);
            let mut ids = vec![d.primary.cause.id];
            ids.extend(d.secondary.iter().map(|f| f.cause.id));
            ids
        };
        for e in ["Cannot assign requested address", "Address not available"] {
            let log = format!("debug1: Local forwarding listening on 127.0.0.1 port 8080.\nbind [::1]:8080: {e}\ndebug1: Entering interactive session.\n");
            assert!(!ids(&log).contains(&"forward.bind-failed"), "{e}");
        }
        // The IPv4 address refused the same way is a failure.
        let log = "bind [127.0.0.1]:8080: Cannot assign requested address\nCould not request local forwarding.\n";
        assert_eq!(ids(log)[0], "forward.bind-failed");
    }
}
