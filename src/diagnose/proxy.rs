//! ProxyCommand and ProxyJump hops.

use super::context::{refusal, Value};
use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::shell::sh;
use crate::tr;
use crate::trace::{Noted, Trace};

causes! {
    /// The ProxyCommand that should carry the connection failed: its program
    /// is missing, or it exited before an SSH server answered through it.
    ///
    /// ## Why it happens
    /// The proxy program is not installed or not on PATH (cloudflared, nc,
    /// connect-proxy, aws ssm), the bastion it uses is down, its own login
    /// failed.
    ///
    /// ## How to fix
    /// Run the ProxyCommand by hand with %h and %p filled in; install the
    /// program or fix the path.
    ///
    /// ## Evidence
    /// `/bin/bash: line 1: /usr/local/bin/cloudflared: No such file or directory`,
    /// `Connection closed by UNKNOWN port 65535`
    #[ja("ProxyCommand が失敗した", r#"
        接続を運ぶはずの ProxyCommand が失敗しました。プログラムが見つからないか、
        その先の SSH サーバーが応答する前に終了しています。

        ## なぜ起きるか
        プロキシのプログラム（cloudflared、nc、connect-proxy、aws ssm など）が
        インストールされていないか PATH にない、それが使う踏み台が止まっている、
        プロキシ自身のログインに失敗した、などです。

        ## 直し方
        %h と %p を埋めた ProxyCommand を手で実行してみます。プログラムを
        インストールするか、パスを直します。
    "#)]
    COMMAND_FAILED = "proxy.command-failed", Error, 93, "The ProxyCommand failed", command_failed;

    /// The jump host (ProxyJump / `-J`) could not take you to the target:
    /// either logging in to the jump host failed, or the jump host could not
    /// connect onwards.
    ///
    /// ## Why it happens
    /// The target name does not resolve or is unreachable *from the jump host*,
    /// the jump host forbids forwarding (`AllowTcpForwarding no`), or the login
    /// to the jump host itself failed. `user@host:port` as the destination is a
    /// classic mistake: ssh wants `-p`.
    ///
    /// ## How to fix
    /// Log in to the jump host alone and test the target from there.
    ///
    /// ## Evidence
    /// `channel 0: open failed: connect failed: ...`, `stdio forwarding failed`,
    /// `kex_exchange_identification: Connection closed by remote host`
    #[ja("踏み台ホストから接続先に届かない", r#"
        踏み台ホスト（ProxyJump / `-J`）を経由して接続先に行けませんでした。踏み台への
        ログインが失敗したか、踏み台から先へ接続できなかったかのどちらかです。

        ## なぜ起きるか
        接続先の名前が*踏み台から見て*解決できない・届かない、踏み台が転送を禁止して
        いる（`AllowTcpForwarding no`）、踏み台へのログイン自体が失敗した、などです。
        接続先を `user@host:port` と書くのはよくある間違いで、ssh のポート指定は `-p` です。

        ## 直し方
        踏み台だけにログインしてみて、そこから接続先を試します。
    "#)]
    JUMP_FAILED = "proxy.jump-failed", Error, 94, "The jump host could not reach the target", jump_failed;
}

/// `Bad stdio forwarding specification ''[server]:22''`: the `-W '[%h]:%p'`
/// that ProxyJump builds for the jump host, quoted twice (Win32-OpenSSH
/// 7.x). A `-W` typed by hand reaches ssh with the shell's quotes removed.
pub(super) fn jump_spec_quoted_twice(t: &Trace) -> Option<&Noted> {
    t.find(|k| matches!(k, K::BadArgument { what, .. } if what == "stdio forwarding specification"))
        .filter(|n| n.text.contains("''["))
}

fn is_jump(t: &Trace) -> bool {
    jump_spec_quoted_twice(t).is_some()
        || t.has(|k| matches!(k, K::ProxyJumpCommand { .. }))
        || t.command
            .as_ref()
            .is_some_and(|c| c.jump.is_some() || c.option("proxyjump").is_some())
}

/// Another program's failure printed on ssh's error output in the lines
/// right before the connection closed before any SSH exchange (ssh shares
/// its stderr with the ProxyCommand, and prints nothing of its own there
/// without -v): a sign of a ProxyCommand no other line shows. Up to three
/// adjacent lines count; a last line that ends with `:` introduces the
/// paste instead.
pub(super) fn printed_failure(t: &Trace) -> Option<Noted> {
    let closed = t.find_last(|k| matches!(k, K::IdentClosed { .. }))?;
    let lines = t.text_between(closed.line().saturating_sub(4), closed.line())?;
    // The block of text lines that ends right before the close.
    let mut next = closed.line();
    let mut block = Vec::new();
    for n in lines.into_iter().rev() {
        if n.line() + 1 != next {
            break;
        }
        next = n.line();
        block.push(n);
    }
    if block.first()?.text.trim_end().ends_with(':') {
        return None;
    }
    block
        .into_iter()
        .find(|n| super::context::reports_failure(&n.text))
}

/// mosh runs ssh with its own ProxyCommand (`mosh --fake-proxy`): from
/// the pasted command, or mosh's own words after ssh failed.
fn mosh(t: &Trace) -> bool {
    t.command.as_ref().is_some_and(|c| c.program == "mosh")
        || t.text_between(0, usize::MAX).is_some_and(|lines| {
            lines
                .iter()
                .any(|n| n.text.contains("mosh: Did not find remote IP address"))
        })
}

/// A ProxyCommand that only a printed failure or mosh shows (see
/// [`printed_failure`]).
pub(super) fn unseen_proxy(t: &Trace) -> bool {
    printed_failure(t).is_some() || mosh(t)
}

fn hop_failure(t: &Trace) -> Option<&Noted> {
    t.find_last(|k| {
        matches!(
            k,
            K::ChannelOpenFailed { .. }
                | K::StdioForwardingFailed {}
                | K::ShellNotFound { .. }
                | K::SpawnFailed { .. }
                | K::IdentClosed { .. }
                | K::ConnectionClosedBy { .. }
                | K::ConnectFailed { .. }
                | K::ResolveFailed { .. }
                | K::PermissionDenied { .. }
        )
    })
}

fn command_failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated || is_jump(t) {
        return None;
    }
    let exec = t.find(|k| matches!(k, K::ProxyCommandExec { .. }));
    let configured = t
        .command
        .as_ref()
        .and_then(|c| c.option("proxycommand").map(str::to_string));
    // `Connection closed by UNKNOWN port 65535`: ssh's peer was a proxy command.
    let via_unknown = t.find_last(|k| match k {
        K::ConnectionClosedBy { address, .. } | K::ConnectionError { address, .. } => {
            address == "UNKNOWN"
        }
        _ => false,
    });
    // `None`: only `UNKNOWN port 65535` shows there was a proxy command.
    let known = match exec.map(|n| n.kind()) {
        Some(K::ProxyCommandExec { command }) => Some(command.to_string()),
        _ => configured,
    };
    // Or a program ssh could not start (`posix_spawnp: No such file or
    // directory`, Win32-OpenSSH's `CreateProcessW failed error:2`): what
    // ssh starts is a ProxyCommand most often (or ProxyJump's ssh). Or
    // another program's failure just before the close, or mosh.
    let guessed = known.is_none() && via_unknown.is_none();
    let printed = guessed.then(|| printed_failure(t)).flatten();
    let mosh = guessed && mosh(t);
    if guessed && !t.has(|k| matches!(k, K::SpawnFailed { .. })) && printed.is_none() && !mosh {
        return None;
    }
    let command = known.clone().unwrap_or_else(|| {
        ctx.lang
            .pick("(your ProxyCommand)", "（設定した ProxyCommand）")
            .to_string()
    });
    let missing = t.find(|k| matches!(k, K::ShellNotFound { .. } | K::SpawnFailed { .. }));
    let fail = missing.or_else(|| hop_failure(t))?;
    let l = ctx.lang;
    let summary = match missing.map(|n| n.kind()) {
        Some(K::ShellNotFound { program, .. }) => tr!(l, "The ProxyCommand's program `{program}` was not found, so no connection was made (ProxyCommand: {command}).", "ProxyCommand のプログラム `{program}` が見つからないため、接続できませんでした（ProxyCommand: {command}）。"),
        Some(K::SpawnFailed { error }) if guessed => tr!(l, "ssh could not start a program it runs ({error}): most often the ProxyCommand of your configuration (or ProxyJump's ssh), a program not found (on Windows, give its full path, such as C:\\Windows\\System32\\OpenSSH\\ssh.exe).", "ssh が実行するプログラムを起動できませんでした（{error}）。たいていは設定の ProxyCommand（または ProxyJump の ssh）で、プログラムが見つかりません（Windows では C:\\Windows\\System32\\OpenSSH\\ssh.exe のように完全なパスで指定します）。"),
        Some(K::SpawnFailed { error }) => tr!(l, "The ProxyCommand could not be started ({error}); ProxyCommand: {command}.", "ProxyCommand を起動できませんでした（{error}）。ProxyCommand: {command}"),
        _ if mosh => tr!(l, "mosh runs ssh through its own ProxyCommand (`mosh --fake-proxy`), and it ended before an SSH server answered: it resolves the host name itself, so a name only your ssh configuration knows (a Host alias, a name reached through another ProxyCommand) does not work with mosh.", "mosh は自分の ProxyCommand（`mosh --fake-proxy`）を通して ssh を動かし、それが SSH サーバーの応答前に終了しました。mosh はホスト名を自分で引くので、ssh の設定だけが知っている名前（Host の別名、別の ProxyCommand で届く名前）は mosh では使えません。"),
        _ if printed.is_some() => tr!(l, "Another program printed a failure on ssh's error output just before the connection closed, before any SSH exchange: most likely the ProxyCommand that carries this connection (cloudflared, a bastion or VPN tool) failed.", "接続が SSH のやりとりの前に閉じられる直前に、別のプログラムが ssh のエラー出力に失敗を表示しています。おそらくこの接続を運ぶ ProxyCommand（cloudflared、踏み台や VPN のツール）が失敗しています。"),
        _ => tr!(l, "The ProxyCommand `{command}` ended before an SSH server answered through it.", "ProxyCommand `{command}` は、その先の SSH サーバーが応答する前に終了しました。"),
    };
    let mut steps = Vec::new();
    // The ProxyCommand is the input's text: it is quoted in prose, never
    // offered as a command to run.
    if let Some(program) = known
        .as_deref()
        .and_then(|c| c.split_whitespace().find(|w| *w != "exec"))
        .and_then(crate::shell::path)
    {
        steps.push(Step::run(
            tr!(
                l,
                "Check that the program exists:",
                "プログラムがあるか確かめます:"
            ),
            format!("command -v {}", sh(program)),
        ));
    }
    steps.push(Step::run(
        tr!(l, "See which ProxyCommand (or ProxyJump) your configuration applies, then run it by hand with %h and %p filled in; it should print an SSH banner:", "設定で使われる ProxyCommand（または ProxyJump）を見て、%h と %p を埋めて手で実行します。SSH のバナー（SSH-2.0-...）が表示されるはずです:"),
        ctx.client.ssh_g(ctx.host(), "^(proxycommand|proxyjump)"),
    ));
    let mut f = Finding::new(
        &COMMAND_FAILED,
        summary,
        &[printed.as_ref().unwrap_or(fail)],
    )
    .confidence(if guessed {
        Confidence::Low
    } else if missing.is_some() {
        Confidence::High
    } else {
        Confidence::Medium
    })
    .steps(steps);
    f.cite(exec);
    f.cite(t.find_last(|k| matches!(k, K::ConnectionClosedBy { .. } | K::IdentClosed { .. })));
    // Known only from `UNKNOWN port 65535`: a concrete error printed by the
    // proxy's own ssh (negotiation, login) says more than "the proxy failed".
    let inferred = exec.is_none()
        && t.command
            .as_ref()
            .and_then(|c| c.option("proxycommand"))
            .is_none();
    let inner_error = t.has(|k| {
        matches!(
            k,
            K::NoMatchingAlgorithm { .. }
                | K::PermissionDenied { .. }
                | K::HostKeyVerificationFailed {}
                | K::ResolveFailed { .. }
        )
    });
    Some(f.failing(!(inferred && inner_error && missing.is_none())))
}

/// A `-J` value (`[user@]host[:port]`, comma-separated) for a command, if
/// every hop has that shape.
fn jump_spec(jump: &str) -> Option<String> {
    let ok = jump.split(',').all(|hop| {
        let (user, rest) = hop
            .rsplit_once('@')
            .map_or((None, hop), |(u, h)| (Some(u), h));
        let host = match rest.rsplit_once(':') {
            Some((h, p)) if p.parse::<u16>().is_ok() && !h.contains(':') => h,
            _ => rest,
        };
        user.is_none_or(|u| crate::shell::user(u).is_some()) && crate::shell::host(host).is_some()
    });
    ok.then(|| sh(jump))
}

fn jump_failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // `stdio forwarding failed` is what a ProxyJump hop (or a plain -W)
    // prints: without the jump itself in sight, it is the likely reading.
    let stdio_only = !is_jump(t) && t.has(|k| matches!(k, K::StdioForwardingFailed {}));
    if ctx.authenticated || !(is_jump(t) || stdio_only) {
        return None;
    }
    if let Some(n) = jump_spec_quoted_twice(t) {
        return Some(quoted_twice(n, ctx));
    }
    let fail = hop_failure(t)?;
    let jump_login = t.find(|k| {
        matches!(
            k,
            K::AuthenticatedTo {
                via_proxy: false,
                ..
            }
        )
    });
    let open_failed =
        t.find(|k| matches!(k, K::ChannelOpenFailed { .. } | K::StdioForwardingFailed {}));
    let jump = t.command.as_ref().and_then(|c| c.jump.clone()).or_else(|| {
        t.find(|k| matches!(k, K::ProxyJumpCommand { .. }))
            .and_then(|n| match n.kind() {
                K::ProxyJumpCommand { command } => {
                    command.split_whitespace().last().map(str::to_string)
                }
                _ => None,
            })
    });
    let l = ctx.lang;
    let jump_arg = jump.as_deref().map(|j| jump_spec(j).ok_or(j));
    let jump = jump
        .clone()
        .unwrap_or_else(|| l.pick("the jump host", "踏み台ホスト").into());
    let detail = match open_failed.map(|n| n.kind()) {
        Some(K::ChannelOpenFailed { reason, detail, .. }) => {
            let detail = if detail.is_empty() {
                String::new()
            } else {
                format!(": {detail}")
            };
            tr!(l, " ({reason}{detail})", "（{reason}{detail}）")
        }
        _ => String::new(),
    };
    let host_port_mistake = ctx
        .host()
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok());
    let summary = if stdio_only {
        // Only `stdio forwarding failed` is in sight: no jump host to name.
        tr!(
            l,
            "ssh's stdio forwarding (what a ProxyJump hop, or -W, uses) failed{detail}: the server ssh logged in to did not open the connection on to the target.",
            "ssh の標準入出力の転送（ProxyJump の中継や -W が使うもの）が失敗しました{detail}。ssh がログインしたサーバーは、その先の接続先への接続を開きませんでした。"
        )
    } else if jump_login.is_some() {
        tr!(
            l,
            "Login to the jump host {jump} worked, but it could not connect on to {}{detail}.",
            "踏み台ホスト {jump} へのログインはできましたが、そこから {} へ接続できませんでした{detail}。",
            ctx.host()
        )
    } else {
        tr!(l, "The hop through the jump host {jump} failed before the target was reached: the jump host's own connection or login failed.", "踏み台ホスト {jump} を経由する段階で、接続先に届く前に失敗しました。踏み台への接続かログインそのものが失敗しています。")
    };
    let mut steps = Vec::new();
    let jump_arg = match jump_arg {
        Some(Ok(j)) => j,
        Some(Err(raw)) => {
            steps.push(refusal(Value::Host, raw, l));
            "JUMP_HOST".to_string()
        }
        None => "JUMP_HOST".to_string(),
    };
    if host_port_mistake {
        steps.push(Step::say(tr!(l, "`user@host:port` is not read as a port by ssh: write the destination as `-p PORT user@host` (only -J and ssh:// URLs take host:port).", "ssh は `user@host:port` の `:port` をポートとして読みません。接続先は `-p PORT user@host` と書きます（host:port が使えるのは -J と ssh:// URL だけです）。")));
    }
    steps.push(Step::run(
        tr!(
            l,
            "Log in to the jump host alone:",
            "踏み台ホストだけにログインしてみます:"
        ),
        format!("ssh -v {jump_arg}"),
    ));
    steps.push(Step::run(
        tr!(
            l,
            "From the jump host, test the target:",
            "踏み台ホスト上で、接続先に届くか試します:"
        ),
        format!("nc -vz {} {}", ctx.host(), ctx.port()),
    ));
    steps.push(Step::say(tr!(l, "`administratively prohibited` means the jump host has AllowTcpForwarding no; `connect failed` means the target is unreachable from the jump host.", "`administratively prohibited` なら踏み台が AllowTcpForwarding no です。`connect failed` なら踏み台から接続先に届いていません。")));
    let mut f = Finding::new(&JUMP_FAILED, summary, &[fail])
        .steps(steps)
        .confidence(if stdio_only {
            Confidence::Medium
        } else {
            Confidence::High
        });
    f.cite(open_failed);
    f.cite(t.find(|k| matches!(k, K::ProxyJumpCommand { .. })));
    Some(f)
}

/// The jump host's `-W` argument, quoted twice by the client.
fn quoted_twice(n: &Noted, ctx: &Ctx) -> Finding {
    let l = ctx.lang;
    Finding::new(&JUMP_FAILED, tr!(l, "ssh rejected the `-W` argument that ProxyJump builds for the jump host: it arrived quoted twice, a bug of OpenSSH for Windows 7.x, so the hop never started.", "ProxyJump が踏み台ホスト用に組み立てた `-W` の引数を ssh が受け付けませんでした。引数が二重に引用されており（OpenSSH for Windows 7.x の不具合）、踏み台への接続は始まっていません。"), &[n])
        .confidence(Confidence::Medium)
        .steps([
            Step::run(tr!(l, "See which ssh runs and its version (the bug is in OpenSSH for Windows 7.x):", "どの ssh が動いているかとその版を確かめます（不具合は OpenSSH for Windows 7.x にあります）:"), "ssh -V"),
            Step::say(tr!(l, "Update OpenSSH for Windows, or replace ProxyJump with `ProxyCommand ssh -W %h:%p JUMP_HOST` in your ssh config.", "OpenSSH for Windows を更新するか、ssh の設定で ProxyJump を `ProxyCommand ssh -W %h:%p JUMP_HOST` に置き換えます。")),
        ])
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn another_programs_failure_before_an_early_close_is_most_likely_its_proxy() {
        const CLOSED: &str = "kex_exchange_identification: Connection closed by remote host\n";
        for log in [
            format!("2021-10-10T00:36:45Z ERR failed to connect to origin\nwebsocket: bad handshake\n{CLOSED}"),
            format!("$ mosh server\n{CLOSED}"),
            format!("{CLOSED}/usr/bin/mosh: Did not find remote IP address (is SSH ProxyCommand disabled?).\n"),
        ] {
            let d = crate::diagnose(&log);
            assert_eq!(d.primary.cause.id, "proxy.command-failed", "{log}");
            assert_eq!(d.primary.confidence, crate::Confidence::Low, "{log}");
        }
        // Prose that introduces the paste, a failure further up, or a
        // line that reports nothing: the server closed it, as far as
        // anyone can tell.
        for log in [
            format!("I get this error when I connect:\n{CLOSED}"),
            format!("Error: something else\n\n{CLOSED}"),
            format!("Cloning into 'repo'...\n{CLOSED}"),
        ] {
            let d = crate::diagnose(&log);
            assert_eq!(d.primary.cause.id, "banner.closed", "{log}");
        }
    }

    #[test]
    fn a_program_ssh_could_not_start_is_most_likely_its_proxy() {
        for log in [
            "CreateProcessW failed error:2  posix_spawn: No such file or directory\n",
            "$ vagrant ssh\nposix_spawnp: No such file or directory\n",
        ] {
            let d = crate::diagnose(log);
            assert_eq!(d.primary.cause.id, "proxy.command-failed", "{log}");
            assert_eq!(d.primary.confidence, crate::Confidence::Low, "{log}");
        }
    }

    #[test]
    fn a_jump_spec_quoted_twice_is_the_jump_not_the_user() {
        let d = diagnose("Bad stdio forwarding specification ''[server]:22''\nssh_exchange_identification: Connection closed by remote host\n");
        assert_eq!(d.primary.cause.id, "proxy.jump-failed");
        // A -W the user typed wrong stays a bad argument.
        let d = diagnose("Bad stdio forwarding specification 'server'\n");
        assert_eq!(d.primary.cause.id, "config.bad-argument");
    }

    #[test]
    fn proxy_failures() {
        let cmd = "debug1: Executing proxy command: exec /usr/local/bin/cloudflared access ssh --hostname h\n/bin/bash: line 1: /usr/local/bin/cloudflared: No such file or directory\nkex_exchange_identification: Connection closed by remote host\nConnection closed by UNKNOWN port 65535\n";
        assert_eq!(diagnose(cmd).primary.cause.id, "proxy.command-failed");
        let jump = "debug1: Setting implicit ProxyCommand from ProxyJump: ssh -l alice -p 2201 -v -W '[%h]:%p' 127.0.0.1\nAuthenticated to 127.0.0.1 ([127.0.0.1]:2201) using \"publickey\".\nchannel 0: open failed: connect failed: Connection refused\nstdio forwarding failed\nkex_exchange_identification: Connection closed by remote host\n";
        let d = diagnose(jump);
        assert_eq!(d.primary.cause.id, "proxy.jump-failed");
        assert!(d
            .secondary
            .iter()
            .any(|f| f.cause.id == "forward.open-failed"));
    }
}
