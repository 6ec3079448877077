//! Failures while exchanging version banners, right after TCP connected.

use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::{Errno, EventKind as K};
use crate::tr;
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
    #[ja("SSH バナーの前に接続がリセットされた", r#"
        TCP 接続はできましたが、サーバー側が SSH のバージョンを送る前に接続をリセット
        しました。sshd の手前の何か、または sshd 自身が、このクライアントをすぐに
        拒否しています。

        ## なぜ起きるか
        TCP wrappers（`/etc/hosts.deny`）、あなたのアドレスを遮断した fail2ban などの
        ブロッカー、sshd の `MaxStartups` の上限、IPS やロードバランサー、何も待ち受けて
        いないマシンへのポート転送、などです。

        ## 直し方
        接続した瞬間のサーバーのログを見ます。`fail2ban-client status sshd` と
        `/etc/hosts.deny` を確かめます。
    "#)]
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
    #[ja("SSH バナーの前に接続が閉じられた", r#"
        サーバーは TCP 接続を受け付けた後、SSH のバージョン文字列を送らずに閉じました。
        sshd（またはその手前のプロキシ）が、SSH のやりとりの前にこの接続を拒否しています。

        ## なぜ起きるか
        sshd の `MaxStartups`（未認証の接続が多すぎる。総当たり攻撃の最中など）、壊れた
        sshd（ホスト鍵がない、設定の誤り: 受け付けてすぐ落ちる）、`DenyUsers` や
        TCP wrappers、転送先のないポート転送やプロキシ、接続先に届かなかった踏み台、
        などです。

        ## 直し方
        接続しながらサーバーのログを読みます。サーバーで `sudo sshd -t` を実行して、
        設定とホスト鍵を確かめます。
    "#)]
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
    #[ja("そのポートは SSH を話さない", r#"
        そのポートでは何かが応答していますが、SSH を話していません。最初に送られてきた
        行が SSH のバージョン文字列ではありません。

        ## なぜ起きるか
        ポートの間違い（Web サーバー、メールサーバー、データベースが応答している）、
        間に入った TLS や HTTP のプロキシ、キャプティブポータル、などです。

        ## 直し方
        sshd が実際に待ち受けているポートを確かめ、`-p` でそのポートに接続します。
    "#)]
    NOT_SSH = "banner.not-ssh", Error, 86, "The port does not speak SSH", not_ssh;

    /// The other end speaks SSH, but another major version of the protocol:
    /// an old device that offers only SSH protocol 1, or a client told to
    /// use protocol 1.
    ///
    /// ## Why it happens
    /// Old switches, routers and appliances ship with SSH-1 only or left at
    /// it (Cisco IOS `ip ssh version 1`). OpenSSH removed SSH-1 from its
    /// client in 7.6 and never offers it by default. The other way round
    /// (`1 vs. 2`), an old client was given `-1` or `Protocol 1`.
    ///
    /// ## How to fix
    /// Turn on SSH protocol 2 on the device (Cisco IOS: `crypto key generate
    /// rsa modulus 2048`, then `ip ssh version 2`), updating its firmware if it
    /// has no SSH-2. Remove `-1` and `Protocol 1` from the client's command and
    /// configuration.
    ///
    /// ## Evidence
    /// `Protocol major versions differ: 2 vs. 1`
    #[ja("相手が別の版の SSH プロトコルを話す", r#"
        相手は SSH を話していますが、プロトコルの主版が違います。SSH プロトコル 1 しか
        話さない古い機器か、プロトコル 1 を使うよう指定されたクライアントです。

        ## なぜ起きるか
        古いスイッチ、ルーター、アプライアンスは SSH-1 だけを持つか、SSH-1 のまま
        設定されています（Cisco IOS の `ip ssh version 1`）。OpenSSH のクライアントは
        7.6 で SSH-1 を削除し、既定で SSH-1 を使うことはありません。逆向き（`1 vs. 2`）
        は、古いクライアントに `-1` や `Protocol 1` が与えられています。

        ## 直し方
        機器で SSH プロトコル 2 を有効にします（Cisco IOS: `crypto key generate rsa
        modulus 2048` の後に `ip ssh version 2`）。SSH-2 がなければファームウェアを
        更新します。クライアントのコマンドと設定から `-1` と `Protocol 1` を外します。
    "#)]
    PROTOCOL_MISMATCH = "banner.protocol-mismatch", Error, 86, "The server speaks another version of the SSH protocol", protocol_mismatch;

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
    #[ja("時間内に SSH バナーが届かない", r#"
        TCP 接続はできましたが、SSH のバージョン文字列が時間内に届きませんでした。
        相手は黙ったままです。

        ## なぜ起きるか
        過負荷のサーバー（あいさつの前に sshd が DNS や PAM を待っている）、接続を
        抱え込む中継機器、クライアントが先に話すのを待つサービス（TLS、telnet）など
        です。

        ## 直し方
        サーバーの負荷とログを確かめ、そのポートで何が待ち受けているかを調べます。
    "#)]
    TIMEOUT = "banner.timeout", Error, 83, "No SSH banner received in time", timeout;
}

/// The connection reached the SSH protocol (so banner problems are over).
/// Whether the connection got past the banner: the server's version or
/// key exchange, or anything that only an established connection prints
/// (`packet_write_wait: ... Broken pipe`, `Read from remote host`, a
/// session's close, a login).
fn got_banner(t: &Trace) -> bool {
    t.phase.is_some_and(|p| p > crate::trace::Phase::Banner)
        || t.has(|k| {
            matches!(
                k,
                K::RemoteVersion { .. }
                    | K::KexMessage { .. }
                    | K::ServerHostKey { .. }
                    | K::ReadWriteFailed { .. }
                    | K::SendDisconnectFailed { .. }
                    | K::SharedConnectionClosed { .. }
            ) || matches!(k, K::ConnectionError { tag, .. } if tag == "packet_write_wait")
        })
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
    let l = ctx.lang;
    let mut f = Finding::new(&RESET, tr!(l, "{} reset the connection before sending its SSH banner.", "{} は SSH のバナーを送る前に接続をリセットしました。", ctx.host()), &[n]).steps([
        ctx.server_log(),
        Step::run(tr!(l, "If fail2ban runs on the server, see whether your address is banned:", "fail2ban が動いているなら、あなたのアドレスが遮断されていないか調べます:"), "sudo fail2ban-client status sshd").on_server(),
        Step::run(tr!(l, "Check TCP wrappers on the server:", "サーバーの TCP wrappers を確かめます:"), "grep -v '^#' /etc/hosts.deny /etc/hosts.allow").on_server(),
        Step::say(tr!(l, "If this is a port forward (router, cloud load balancer), check that it points at a machine where sshd runs.", "ポート転送（ルーター、クラウドのロードバランサー）を通しているなら、転送先が sshd の動いているマシンか確かめます。")),
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
    let l = ctx.lang;
    let summary = tr!(
        l,
        "{} accepted the TCP connection and closed it before any SSH exchange.",
        "{} は TCP 接続を受け付けた後、SSH のやりとりの前に閉じました。",
        ctx.host()
    );
    let steps = vec![
        ctx.server_log(),
        Step::run(
            tr!(
                l,
                "Check sshd's configuration and host keys:",
                "sshd の設定とホスト鍵を確かめます:"
            ),
            format!("sudo sshd -t && {}", ctx.server.status()),
        )
        .on_server(),
        Step::say(tr!(l, "If you connect through a port forward, proxy or jump host, the hop behind it may be down.", "ポート転送、プロキシ、踏み台を通して接続しているなら、その先が止まっているのかもしれません。")),
    ];
    let mut f = Finding::new(&CLOSED, summary, &[n]).steps(steps);
    f.cite(t.find_last(|k| matches!(k, K::ConnectionClosedBy { .. })));
    // A ProxyCommand that only another program's words show: the close
    // may be the proxy's, not the server's.
    if super::proxy::unseen_proxy(t) {
        f = f.confidence(Confidence::Low);
    }
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
        .all(|k| matches!(k, K::BannerLine { text, .. } if !super::server::drop_notice(text)))
        .take(4)
        .collect();
    if invalid.is_none() && lines.is_empty() {
        return None;
    }
    let first = lines.first().and_then(|n| match n.kind() {
        K::BannerLine { text, .. } => Some(text.to_string()),
        _ => None,
    });
    let l = ctx.lang;
    let what = match first.as_deref() {
        Some(s) if s.starts_with("HTTP/") || s.starts_with("<") => {
            l.pick("a web server (HTTP)", "Web サーバー（HTTP）")
        }
        Some(s) if s.starts_with("220") || s.starts_with("554") => {
            l.pick("a mail server (SMTP)", "メールサーバー（SMTP）")
        }
        Some(s) if s.starts_with("+OK") => l.pick("a mail server (POP3)", "メールサーバー（POP3）"),
        Some(s) if s.starts_with("* OK") => {
            l.pick("a mail server (IMAP)", "メールサーバー（IMAP）")
        }
        _ if invalid.is_some() => l.pick(
            "a service that sends binary data (a database, TLS, or another protocol)",
            "バイナリを送ってくるサービス（データベース、TLS、または別のプロトコル）",
        ),
        _ => l.pick("a service that is not sshd", "sshd ではないサービス"),
    };
    let mut f = Finding::new(
        &NOT_SSH,
        tr!(l, "Port {} on {} is answered by {what}, not by an SSH server.", "{1} のポート {0} で応答しているのは SSH サーバーではなく、{what}です。", ctx.port(), ctx.host()),
        &lines,
    )
    .steps([
        Step::say(tr!(l, "Connect to the port sshd really listens on with `-p PORT`; on the server `sudo ss -tlnp | grep sshd` shows it.", "sshd が実際に待ち受けているポートに `-p PORT` で接続します。サーバーで `sudo ss -tlnp | grep sshd` を実行すると分かります。")),
        Step::run(tr!(l, "See what answers on this port:", "このポートで何が応答するか見ます:"), format!("nc -v {} {}", ctx.host(), ctx.port())),
    ]);
    if lines.is_empty() {
        f = f.explaining(invalid);
    }
    f.cite(invalid);
    Some(f)
}

fn protocol_mismatch(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // ssh's own words name both versions, the client's first.
    let n = t.find(|k| matches!(k, K::ProtocolMismatch { .. }))?;
    let K::ProtocolMismatch { local, remote } = *n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let server = ctx
        .host
        .clone()
        .unwrap_or_else(|| l.pick("the server", "サーバー").into());
    let (summary, steps) = if local == 1 {
        (
            tr!(l, "This ssh was told to speak SSH protocol 1 (`-1`, or `Protocol 1` in its configuration); {server} speaks protocol {remote}.", "この ssh は SSH プロトコル 1 を使うよう指定されています（`-1` か設定の `Protocol 1`）。{server} はプロトコル {remote} を話します。"),
            vec![Step::say(tr!(l, "Remove `-1` from the command, and a `Protocol 1` line from `~/.ssh/config` and the system's `ssh_config`.", "コマンドから `-1` を外し、`~/.ssh/config` とシステムの `ssh_config` から `Protocol 1` の行を外します。"))],
        )
    } else {
        (
            tr!(l, "{server} speaks only SSH protocol {remote}, which this ssh (protocol {local}) does not: an old device, or one left at SSH-1. OpenSSH removed SSH-1 from its client in 7.6.", "{server} は SSH プロトコル {remote} しか話さず、この ssh（プロトコル {local}）は話せません。古い機器か、SSH-1 のまま設定された機器です。OpenSSH は 7.6 でクライアントから SSH-1 を削除しました。"),
            vec![
                Step::say(tr!(l, "Turn on SSH protocol 2 on the device, from its console or web interface. On Cisco IOS: `crypto key generate rsa modulus 2048`, then `ip ssh version 2`.", "機器のコンソールか Web 画面から SSH プロトコル 2 を有効にします。Cisco IOS では `crypto key generate rsa modulus 2048` の後に `ip ssh version 2` です。")),
                Step::say(tr!(l, "If the device has no SSH-2 at all, update its firmware; SSH-1 is broken and no current client speaks it.", "機器に SSH-2 がまったくなければ、ファームウェアを更新します。SSH-1 は破られていて、今のクライアントは話しません。")),
            ],
        )
    };
    Some(
        Finding::new(&PROTOCOL_MISMATCH, summary, &[n])
            .confidence(Confidence::High)
            .steps(steps),
    )
}

fn timeout(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // `Connection timed out during banner exchange`, or the read of the
    // banner timing out (`kex_exchange_identification: read: Operation
    // timed out`, `banner exchange: Connection to A port P: ... timed out`).
    if got_banner(t) {
        return None;
    }
    let l = ctx.lang;
    let n = t.find_last(|k| {
        matches!(
            k,
            K::BannerTimeout {}
                | K::IdentReadFailed {
                    errno: Errno::TimedOut,
                    ..
                }
        ) || matches!(k, K::ConnectionError { tag, errno: Errno::TimedOut, .. } if tag == "banner exchange")
    });
    // `Connection to H port P timed out` alone: ssh says it of a connection
    // that was open when a read timed out (ConnectTimeout in the banner
    // exchange, ServerAliveInterval in the key exchange or login). With -v
    // and no banner received it was the banner; without -v, most likely.
    let (n, confidence, summary) = match n {
        Some(n) => (n, Confidence::High, tr!(l, "{} accepted the connection but sent no SSH banner before the timeout.", "{} は接続を受け付けましたが、タイムアウトまでに SSH のバナーを送ってきませんでした。", ctx.host())),
        None => {
            let n = t.find_last(|k| matches!(k, K::ConnectionTimedOutPkt { .. }))?;
            let shown = t.stats.max_debug > 0;
            let summary = if shown {
                tr!(l, "{} accepted the connection, but no SSH banner came back before ssh timed out.", "{} は接続を受け付けましたが、ssh がタイムアウトするまで SSH のバナーは返ってきませんでした。", ctx.host())
            } else {
                tr!(l, "The connection to {} was open, then ssh timed out waiting for the server: most likely for its SSH banner; without -v the output cannot show whether the key exchange had begun (then see kex.stalled).", "{} への接続は開いていましたが、ssh はサーバーを待ってタイムアウトしました。おそらく SSH のバナーを待っていました。-v なしでは鍵交換が始まっていたか（その場合は kex.stalled）は分かりません。", ctx.host())
            };
            (n, if shown { Confidence::Medium } else { Confidence::Low }, summary)
        }
    };
    Some(
        Finding::new(&TIMEOUT, summary, &[n])
            .confidence(confidence)
            .steps([
                ctx.server_log(),
                Step::run(tr!(l, "See what (if anything) the port sends:", "そのポートが何かを送ってくるか見ます:"), format!("nc -v {} {}", ctx.host(), ctx.port())),
                Step::say(tr!(l, "An overloaded server, or sshd waiting on a slow DNS (UseDNS) or PAM, can greet too late; a telnet or TLS service on this port never sends an SSH banner.", "過負荷のサーバーや、遅い DNS（UseDNS）や PAM を待つ sshd は、あいさつが間に合わないことがあります。このポートが telnet や TLS のサービスなら、SSH のバナーは決して届きません。")),
            ]),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn a_read_timeout_is_of_an_open_connection() {
        // ssh says `Connection to H port P timed out` only of a connection
        // that was open: never a connect timeout.
        let d = diagnose("Connection to 10.0.0.1 port 22 timed out\n");
        assert_eq!(d.primary.cause.id, "banner.timeout");
        assert_eq!(d.primary.confidence, crate::Confidence::Low);
        let v = "debug1: Connecting to h [10.0.0.1] port 22.\ndebug1: Connection established.\ndebug1: Local version string SSH-2.0-OpenSSH_9.6\nConnection to 10.0.0.1 port 22 timed out\n";
        let d = diagnose(v);
        assert_eq!(d.primary.cause.id, "banner.timeout");
        assert_eq!(d.primary.confidence, crate::Confidence::Medium);
        // After the banner, waiting for the key exchange's reply.
        let kex = v.replace(
            "Connection to",
            "debug1: Remote protocol version 2.0, remote software version OpenSSH_9.6\ndebug1: SSH2_MSG_KEXINIT sent\ndebug1: SSH2_MSG_KEXINIT received\ndebug1: kex: algorithm: curve25519-sha256\ndebug1: expecting SSH2_MSG_KEX_ECDH_REPLY\nConnection to",
        );
        let d = diagnose(&kex);
        assert_eq!(d.primary.cause.id, "kex.stalled");
        assert!(
            d.primary.summary.contains("timed out"),
            "{}",
            d.primary.summary
        );
    }

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
