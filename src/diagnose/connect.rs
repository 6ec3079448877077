//! Name resolution and TCP connection failures.

use super::context::host_arg;
use super::platform::Hosting;
use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::{Errno, EventKind as K};
use crate::tr;
use crate::trace::{Noted, Trace};

causes! {
    /// The host name could not be turned into an address: it does not exist in
    /// DNS, in `/etc/hosts`, or as a `Host` alias in your ssh config.
    ///
    /// ## Why it happens
    /// A typo; a name that only exists on another network (VPN, office DNS); a
    /// `.local` name without mDNS; a `Host` alias used on a machine whose
    /// config lacks it; `host:port` written as the destination (ssh wants `-p`).
    ///
    /// ## How to fix
    /// Check the spelling, look the name up (`getent hosts NAME`), use the IP
    /// address, or add a `Host` block with `HostName`.
    ///
    /// ## Evidence
    /// `ssh: Could not resolve hostname pi: Name or service not known`
    #[ja("ホスト名が見つからない", r#"
        ホスト名をアドレスに変換できませんでした。その名前は DNS にも `/etc/hosts` にも、
        ssh の設定の `Host` 別名にもありません。

        ## なぜ起きるか
        打ち間違い、別のネットワーク（VPN、社内 DNS）でしか引けない名前、mDNS のない
        環境での `.local` の名前、設定にその別名がないマシンで `Host` 別名を使った、
        接続先を `host:port` と書いた（ssh のポート指定は `-p`）、などです。

        ## 直し方
        綴りを確かめ、名前を引いてみる（`getent hosts NAME`）か、IP アドレスを使うか、
        `HostName` を持つ `Host` ブロックを書きます。
    "#)]
    UNKNOWN_HOST = "resolve.unknown-host", Error, 90, "Host name not found", unknown_host;

    /// The name lookup failed because no DNS server answered: the machine has
    /// no working network or resolver right now.
    ///
    /// ## Why it happens
    /// No network, a VPN that took over DNS, a broken `/etc/resolv.conf`, or a
    /// container without DNS.
    ///
    /// ## How to fix
    /// Check connectivity and the resolver (`getent hosts example.com`,
    /// `cat /etc/resolv.conf`), or connect by IP address.
    ///
    /// ## Evidence
    /// `ssh: Could not resolve hostname github.com: Temporary failure in name resolution`
    #[ja("DNS の問い合わせに失敗した", r#"
        DNS サーバーが応答しなかったため、名前を引けませんでした。このマシンは今、
        ネットワークかリゾルバーが使えない状態です。

        ## なぜ起きるか
        ネットワークにつながっていない、VPN が DNS を乗っ取った、`/etc/resolv.conf` が
        壊れている、DNS のないコンテナ、などです。

        ## 直し方
        接続とリゾルバーを確かめる（`getent hosts example.com`、`cat /etc/resolv.conf`）か、
        IP アドレスで接続します。
    "#)]
    DNS_FAILURE = "resolve.dns-failure", Error, 90, "DNS lookup failed", dns_failure;

    /// The server's machine answered, but nothing accepts connections on that
    /// port: sshd is not running there, listens on another port, or a firewall
    /// rejects the connection.
    ///
    /// ## Why it happens
    /// sshd stopped or not installed; the wrong port (`-p`); sshd listening only on
    /// another address; a firewall with REJECT; a freshly booted Raspberry Pi with
    /// SSH not enabled.
    ///
    /// ## How to fix
    /// On the server: `systemctl status ssh`, `ss -tlnp | grep sshd`. From here:
    /// `nc -vz HOST PORT`.
    ///
    /// ## Evidence
    /// `ssh: connect to host 10.0.0.5 port 22: Connection refused`
    #[ja("接続を拒否された", r#"
        サーバーのマシンは応答しましたが、そのポートで接続を受け付けるものがありません。
        sshd が動いていない、別のポートで待ち受けている、またはファイアウォールが接続を
        拒否しています。

        ## なぜ起きるか
        sshd が止まっているかインストールされていない、ポートの間違い（`-p`）、sshd が
        別のアドレスでだけ待ち受けている、REJECT するファイアウォール、SSH を有効にして
        いない起動したての Raspberry Pi、などです。

        ## 直し方
        サーバーで `systemctl status ssh`、`ss -tlnp | grep sshd`。手元からは
        `nc -vz HOST PORT`。
    "#)]
    REFUSED = "connect.refused", Error, 85, "Connection refused", refused;

    /// No answer at all came back: packets to the server are dropped somewhere,
    /// the address is wrong, or the machine is off.
    ///
    /// ## Why it happens
    /// A firewall that DROPs (cloud security groups, router), a wrong or stale IP
    /// address, the host is down, a network that blocks port 22, a too short
    /// `ConnectTimeout`.
    ///
    /// ## How to fix
    /// Check the address and that the host is up; test the port with
    /// `nc -vz -w 5 HOST PORT`; open the port in the firewall / security group.
    ///
    /// ## Evidence
    /// `ssh: connect to host 10.0.0.5 port 22: Connection timed out`
    #[ja("接続がタイムアウトした", r#"
        何の応答も返ってきませんでした。サーバーへのパケットがどこかで捨てられている、
        アドレスが間違っている、またはマシンの電源が切れています。

        ## なぜ起きるか
        DROP するファイアウォール（クラウドのセキュリティグループ、ルーター）、間違った
        または古い IP アドレス、ホストが止まっている、22 番ポートを遮断するネットワーク、
        短すぎる `ConnectTimeout`、などです。

        ## 直し方
        アドレスとホストが動いていることを確かめ、`nc -vz -w 5 HOST PORT` でポートを
        試し、ファイアウォールやセキュリティグループでポートを開けます。
    "#)]
    TIMEOUT = "connect.timeout", Error, 84, "Connection timed out", timeout;

    /// The network reported that the host cannot be reached: on the local
    /// network it did not answer ARP, or a router or firewall sent back "host
    /// unreachable".
    ///
    /// ## Why it happens
    /// The host is down or on another subnet; a firewall rejecting with
    /// host-unreachable; a wrong IP address.
    ///
    /// ## How to fix
    /// Check the address and that the machine is on; `ip route get ADDRESS` shows
    /// which way packets go.
    ///
    /// ## Evidence
    /// `ssh: connect to host 192.168.1.50 port 22: No route to host`
    #[ja("ホストへの経路がない", r#"
        ネットワークが、そのホストには届かないと報告しました。ローカルネットワーク上で
        ARP に応答がなかったか、ルーターやファイアウォールが「host unreachable」を
        返しています。

        ## なぜ起きるか
        ホストが止まっている、または別のサブネットにある、host-unreachable で拒否する
        ファイアウォール、IP アドレスの間違い、などです。

        ## 直し方
        アドレスとマシンの電源を確かめます。`ip route get ADDRESS` でパケットの行き先が
        分かります。
    "#)]
    NO_ROUTE = "connect.no-route", Error, 84, "No route to host", no_route;

    /// This machine has no route to that network at all, often an IPv6
    /// address on a machine without IPv6 connectivity.
    ///
    /// ## Why it happens
    /// No default route (network down), IPv6 address without IPv6, VPN
    /// disconnected.
    ///
    /// ## How to fix
    /// Check the network; for IPv6 addresses use `-4` to force IPv4.
    ///
    /// ## Evidence
    /// `ssh: connect to host 2001:db8::1 port 22: Network is unreachable`
    #[ja("ネットワークに到達できない", r#"
        このマシンには、そのネットワークへの経路がまったくありません。IPv6 接続のない
        マシンで IPv6 アドレスに接続しようとした場合によく起きます。

        ## なぜ起きるか
        デフォルトルートがない（ネットワークが落ちている）、IPv6 のない環境での IPv6
        アドレス、VPN が切れている、などです。

        ## 直し方
        ネットワークを確かめます。IPv6 アドレスなら `-4` で IPv4 を強制します。
    "#)]
    NETWORK_UNREACHABLE = "connect.network-unreachable", Error, 84, "Network is unreachable", network_unreachable;
}

/// The last connection failure with the given classification.
fn connect_failure(t: &Trace, want: impl Fn(Errno) -> bool) -> Option<&Noted> {
    t.find_last(|k| connect_errno(k).is_some_and(&want))
}

/// The error of a failed connect (to the host, or to one of its addresses).
fn connect_errno(k: &K<'_>) -> Option<Errno> {
    match k {
        K::ConnectFailed { errno, .. } | K::ConnectAddressFailed { errno, .. } => Some(*errno),
        _ => None,
    }
}

/// Connection failures also matter only if no connection got through
/// later: ssh's own `Connection established.` (at -v), or, without -v, a
/// word only an SSH server that was reached makes ssh say (a retry loop
/// pasted whole: refused while sshd starts, then `Permission denied`).
fn connected_after(t: &Trace, line: usize) -> bool {
    t.find_last(|k| {
        matches!(
            k,
            K::Connected {}
                | K::RemoteVersion { .. }
                | K::ServerHostKey { .. }
                | K::HostAuthenticityUnknown { .. }
                | K::HostKeyChangedBanner {}
                | K::AuthsCanContinue { .. }
                | K::PasswordRetry {}
                | K::PermissionDenied { .. }
                | K::AuthenticatedTo { .. }
        )
    })
    .is_some_and(|n| n.line() > line)
}

/// A name that cannot be a host name: `host:port` (ssh takes the port from
/// -p), so any resolver error about it means the name is wrong.
fn holds_port(host: &str) -> bool {
    host.rsplit_once(':')
        .is_some_and(|(h, p)| !h.is_empty() && !h.contains(':') && p.parse::<u16>().is_ok())
}

fn resolve(t: &Trace, want: Errno) -> Option<(&Noted, String)> {
    let n = t.find_last(|k| match k {
        K::ResolveFailed { errno, host, .. } => match want {
            Errno::UnknownHost => {
                (matches!(errno, Errno::UnknownHost | Errno::Other)
                    && !Hosting::is_public_name(host))
                    || holds_port(host)
            }
            // A hosting service's own name exists: failing to find it is
            // the resolver's failure, whatever words it used.
            _ => {
                (*errno == want
                    || matches!(errno, Errno::UnknownHost | Errno::Other)
                        && Hosting::is_public_name(host))
                    && !holds_port(host)
            }
        },
        _ => false,
    })?;
    let K::ResolveFailed { host, .. } = n.kind() else {
        return None;
    };
    Some((n, host.to_string()))
}

/// `Key=Value` where a host name stands: an `-o` option that a missing
/// value before it shifted into the destination (DNS names hold no `=`).
pub(super) fn option_as_host(host: &str) -> bool {
    host.contains('=')
}

fn unknown_host(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let (n, host) = resolve(t, Errno::UnknownHost)?;
    let mut steps = Vec::new();
    let (arg, refused) = host_arg(&host, l);
    steps.extend(refused);
    if let Some((h, p)) = host
        .rsplit_once(':')
        .filter(|(_, p)| p.parse::<u16>().is_ok())
        .and_then(|(h, p)| Some((crate::shell::host(h)?, p)))
    {
        steps.push(Step::run(
            tr!(
                l,
                "ssh does not read a port from `{host}`: give it with -p.",
                "ssh は `{host}` からポートを読み取りません。-p で指定します。"
            ),
            format!("ssh -p {p} {h}"),
        ));
    }
    steps.push(Step::run(
        tr!(
            l,
            "Look the name up the way ssh does:",
            "ssh と同じ方法で名前を引いてみます:"
        ),
        ctx.client.resolve(&arg),
    ));
    steps.push(Step::run(
        tr!(
            l,
            "If it is an alias, check what your ssh config makes of it:",
            "別名なら、ssh の設定でそれが何になるかを確かめます:"
        ),
        ctx.client.ssh_g(&arg, "^hostname"),
    ));
    // A reason in words this tool does not know (a system's language) may
    // be a resolver failure as well as an unknown name.
    let sure = matches!(
        n.kind(),
        K::ResolveFailed { errno, .. } if *errno == Errno::UnknownHost
    ) || holds_port(&host);
    if host.ends_with(".local") {
        steps.push(Step::say(tr!(l, "`.local` names need mDNS (avahi-daemon / Bonjour) on both machines; try the IP address instead.", "`.local` の名前には両方のマシンで mDNS（avahi-daemon / Bonjour）が必要です。代わりに IP アドレスを試します。")));
    }
    steps.push(Step::say(tr!(l, "Check the spelling, or connect with the IP address; names from a VPN or office network only resolve while connected to it.", "綴りを確かめるか、IP アドレスで接続します。VPN や社内ネットワークの名前は、そこにつながっている間しか引けません。")));
    Some(
        Finding::new(
            &UNKNOWN_HOST,
            tr!(
                l,
                "The name `{host}` could not be resolved to an address.",
                "名前 `{host}` をアドレスに解決できませんでした。"
            ),
            &[n],
        )
        .steps(steps)
        // `Key=Value` is an option, never a host: the command line shifted
        // (see config.bad-argument), the name is not the cause.
        .confidence(if option_as_host(&host) {
            Confidence::Low
        } else if sure {
            Confidence::High
        } else {
            Confidence::Medium
        }),
    )
}

fn dns_failure(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let (n, host) = resolve(t, Errno::DnsTemporary)?;
    let temporary =
        matches!(n.kind(), K::ResolveFailed { errno, .. } if *errno == Errno::DnsTemporary);
    let summary = if temporary {
        tr!(
            l,
            "Looking up `{host}` failed because no DNS server answered.",
            "DNS サーバーが応答しなかったため、`{host}` を引けませんでした。"
        )
    } else {
        tr!(l, "`{host}` exists, so failing to look it up means name resolution on this machine is not working (no network, an unreachable DNS server, a VPN or proxy in the way).", "`{host}` は実在するので、引けないのはこのマシンの名前解決が働いていないからです（ネットワークがない、DNS サーバーに届かない、VPN やプロキシが邪魔している）。")
    };
    Some(
        Finding::new(&DNS_FAILURE, summary, &[n]).confidence(if temporary { Confidence::High } else { Confidence::Medium }).steps([
            Step::run(tr!(l, "Check that name resolution works at all:", "そもそも名前解決ができるか確かめます:"), format!("{}; {}", ctx.client.resolve("example.com"), ctx.client.resolver_config())),
            Step::say(tr!(l, "Check the network connection (Wi-Fi, VPN, container network); then try again, or use the IP address.", "ネットワーク接続（Wi-Fi、VPN、コンテナのネットワーク）を確かめてから再度試すか、IP アドレスを使います。")),
        ]),
    )
}

/// The host (as the input says it) and port of a failed connect, and the
/// host's word for commands with the step that says why when it was refused.
/// A port the input names that is not a number (a service name, or worse)
/// is `PORT` in commands.
fn port_host(n: &Noted, ctx: &Ctx) -> (String, String, String, Option<Step>) {
    let (host, port) = match n.kind() {
        K::ConnectFailed { host, port, .. } => (host.to_string(), port.to_string()),
        K::ConnectAddressFailed { address, port, .. } => (address.to_string(), port.to_string()),
        _ => (ctx.host().to_string(), ctx.port().to_string()),
    };
    let (arg, refused) = host_arg(&host, ctx.lang);
    let port = if port.parse::<u16>().is_ok() {
        port
    } else {
        "PORT".to_string()
    };
    (host, port, arg, refused)
}

fn refused(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = connect_failure(t, |e| e == Errno::Refused)?;
    if connected_after(t, n.line()) {
        return None;
    }
    let (host, port, arg, refused) = port_host(n, ctx);
    let l = ctx.lang;
    Some(
        Finding::new(&REFUSED, tr!(l, "{host} answered that nothing accepts connections on port {port}.", "{host} は、ポート {port} で接続を受け付けるものがないと応答しました。"), &[n]).steps(refused).steps([
            Step::run(tr!(l, "Test the port from here:", "手元からポートを試します:"), format!("nc -vz {arg} {port}")),
            Step::run(tr!(l, "Check that sshd runs and on which port it listens:", "sshd が動いているか、どのポートで待ち受けているかを確かめます:"), format!("{}; sudo ss -tlnp | grep -i ssh", ctx.server.status())).on_server(),
            Step::say(tr!(l, "If sshd listens on another port, connect with `-p PORT`; if a firewall rejects {port}, open it (e.g. `sudo ufw allow {port}/tcp`).", "sshd が別のポートで待ち受けているなら `-p PORT` で接続します。ファイアウォールが {port} を拒否しているなら開けます（例: `sudo ufw allow {port}/tcp`）。")),
            Step::say(tr!(l, "On a fresh Raspberry Pi OS image SSH is off until enabled (Raspberry Pi Imager's settings, or `sudo raspi-config` → Interface Options → SSH).", "書き込んだばかりの Raspberry Pi OS では、有効にするまで SSH はオフです（Raspberry Pi Imager の設定、または `sudo raspi-config` → Interface Options → SSH）。")),
        ]),
    )
}

fn timeout(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // `Connection to H port P timed out` is not one: ssh says it only of a
    // connection that was open (see the banner and kex timeouts).
    let n = connect_failure(t, |e| matches!(e, Errno::TimedOut | Errno::Again))?;
    if connected_after(t, n.line()) {
        return None;
    }
    let (host, port, arg, refused) = port_host(n, ctx);
    let l = ctx.lang;
    // EAGAIN names no timeout: WSL 1 reports an unanswered connect so.
    let again = connect_errno(n.kind()) == Some(Errno::Again);
    let summary = if again {
        tr!(l, "Connecting to {host} port {port} failed with \"Resource temporarily unavailable\": Windows' WSL 1 reports a connection that got no answer this way (a firewall dropping it, often Windows' own, or the host not there).", "{host} のポート {port} への接続が「Resource temporarily unavailable」で失敗しました。Windows の WSL 1 は、応答のない接続をこう報告します（ファイアウォール、多くは Windows 自身のものが捨てているか、ホストが存在しません）。")
    } else {
        tr!(l, "No answer came back from {host} port {port}: the packets are dropped on the way, or the host is not there.", "{host} のポート {port} から応答が返ってきませんでした。パケットが途中で捨てられているか、そのホストが存在しません。")
    };
    let mut f = Finding::new(&TIMEOUT, summary, &[n])
    .confidence(if again { super::Confidence::Medium } else { super::Confidence::High })
    .steps(refused)
    .steps([
        Step::run(tr!(l, "Test the port with a short timeout:", "短いタイムアウトでポートを試します:"), format!("nc -vz -w 5 {arg} {port}")),
        Step::say(tr!(l, "Check the address (DHCP may have given the server a new one) and that the machine is on.", "アドレス（DHCP でサーバーに新しいアドレスが割り当てられたかもしれません）と、マシンの電源が入っていることを確かめます。")),
        Step::say(tr!(l, "Open port {port}/tcp in the server's firewall and any cloud security group or router in between; some networks (guest Wi-Fi, corporate) block outgoing port 22.", "サーバーのファイアウォールと、間にあるクラウドのセキュリティグループやルーターで {port}/tcp を開けます。外向きの 22 番を遮断するネットワーク（ゲスト Wi-Fi、社内網）もあります。")),
    ]);
    f.cite(t.find(|k| matches!(k, K::Connecting { .. })));
    Some(f)
}

fn no_route(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = connect_failure(t, |e| e == Errno::NoRoute)?;
    if connected_after(t, n.line()) {
        return None;
    }
    let (host, port, arg, refused) = port_host(n, ctx);
    let l = ctx.lang;
    Some(
        Finding::new(&NO_ROUTE, tr!(l, "The network reports {host} unreachable (port {port}).", "ネットワークが {host} には届かないと報告しました（ポート {port}）。"), &[n]).steps(refused).steps([
            Step::run(tr!(l, "See which way packets to it would go:", "パケットがどの経路を通るか見ます:"), ctx.client.route(&arg)),
            Step::say(tr!(l, "Check that the host is on and has this address; a firewall may also answer with host-unreachable.", "ホストの電源が入っていて、このアドレスを持っているか確かめます。ファイアウォールが host-unreachable を返すこともあります。")),
        ]),
    )
}

fn network_unreachable(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = connect_failure(t, |e| e == Errno::NetUnreachable)?;
    if connected_after(t, n.line()) {
        return None;
    }
    let (host, ..) = port_host(n, ctx);
    let l = ctx.lang;
    let mut steps = vec![Step::say(tr!(
        l,
        "Check that this machine is online (and the VPN, if the host is behind one).",
        "このマシンがネットワークにつながっているか（ホストが VPN の向こうなら VPN も）確かめます。"
    ))];
    if host.contains(':') {
        steps.insert(
            0,
            Step::run(
                tr!(
                    l,
                    "This is an IPv6 address; if your network has no IPv6, force IPv4:",
                    "これは IPv6 アドレスです。ネットワークに IPv6 がないなら IPv4 を強制します:"
                ),
                ctx.ssh("-4"),
            ),
        );
    }
    Some(
        Finding::new(
            &NETWORK_UNREACHABLE,
            tr!(
                l,
                "This machine has no route to the network of {host}.",
                "このマシンには {host} のネットワークへの経路がありません。"
            ),
            &[n],
        )
        .steps(steps)
        .confidence(Confidence::High),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn eagain_is_an_unanswered_connect_at_medium() {
        // WSL 1 reports a dropped connect as EAGAIN: no timeout in its words.
        let d = diagnose(
            "debug1: connect to address 192.168.0.7 port 22: Resource temporarily unavailable\nssh: connect to host 192.168.0.7 port 22: Resource temporarily unavailable\n",
        );
        assert_eq!(d.primary.cause.id, "connect.timeout");
        assert_eq!(d.primary.confidence, crate::Confidence::Medium);
        assert!(d.primary.summary.contains("WSL 1"), "{}", d.primary.summary);
        let d = diagnose("ssh: connect to host h port 22: Connection timed out\n");
        assert_eq!(d.primary.confidence, crate::Confidence::High);
    }

    #[test]
    fn connect_errors() {
        assert_eq!(
            diagnose("ssh: connect to host 10.0.0.5 port 22: Connection refused\n")
                .primary
                .cause
                .id,
            "connect.refused"
        );
        assert_eq!(
            diagnose("ssh: connect to host h port 22: Operation timed out\n")
                .primary
                .cause
                .id,
            "connect.timeout"
        );
        assert_eq!(
            diagnose("ssh: connect to host h port 22: No route to host\n")
                .primary
                .cause
                .id,
            "connect.no-route"
        );
        assert_eq!(
            diagnose("ssh: connect to host ::1 port 22: Network is unreachable\n")
                .primary
                .cause
                .id,
            "connect.network-unreachable"
        );
    }

    #[test]
    fn refused_address_then_success_is_not_a_failure() {
        let log = "debug1: connect to address ::1 port 22: Connection refused\ndebug1: Connecting to localhost [127.0.0.1] port 22.\ndebug1: Connection established.\nAuthenticated to localhost ([127.0.0.1]:22) using \"publickey\".\n";
        assert_eq!(diagnose(log).primary.cause.id, "ok.connected");
    }

    #[test]
    fn a_retry_loop_that_got_further_is_not_a_connect_failure() {
        // A tool's retries pasted whole: refused while sshd started, then
        // refused keys; the refusal of the connection was recovered.
        let log = "ssh: connect to host a.b.c.d port 22: Connection refused\nWaiting for ssh\nssh: connect to host a.b.c.d port 22: Connection timed out\nWaiting for ssh\nls-user@a.b.c.d: Permission denied (publickey).\n";
        let d = diagnose(log);
        assert_eq!(d.primary.cause.id, "auth.key-rejected");
        assert!(d
            .secondary
            .iter()
            .all(|f| !f.cause.id.starts_with("connect.")));
        // The other order is a connect failure.
        let log = "ls-user@a.b.c.d: Permission denied (publickey).\nssh: connect to host a.b.c.d port 22: Connection refused\n";
        assert_eq!(diagnose(log).primary.cause.id, "connect.refused");
    }

    #[test]
    fn resolution_and_host_port_hint() {
        let d =
            diagnose("ssh: Could not resolve hostname 10.0.0.5:2222: Name or service not known\n");
        assert_eq!(d.primary.cause.id, "resolve.unknown-host");
        assert!(d.primary.steps[0].command.as_deref() == Some("ssh -p 2222 10.0.0.5"));
        assert_eq!(
            diagnose("ssh: Could not resolve hostname github.com: Temporary failure in name resolution\n").primary.cause.id,
            "resolve.dns-failure"
        );
    }
}
