//! After authentication: the session itself and how it ended.

use super::platform::Client;
use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::{Errno, EventKind as K};
use crate::tr;
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
    #[ja("ログイン直後にセッションが閉じた", r#"
        認証はできましたが、サーバーがすぐにセッションを終えました。そのアカウントでは
        シェルもコマンドも実行できません。

        ## なぜ起きるか
        ユーザーのシェルが `/usr/sbin/nologin` や `/bin/false`、すぐ終了する `ForceCommand`
        や authorized_keys の `command=`、ホームディレクトリやシェルがない、ディスクが
        いっぱい、などです。

        ## 直し方
        サーバーでアカウントを確かめます: `getent passwd USER`（最後の欄がシェル）、
        `chsh -s /bin/bash USER`。
    "#)]
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
    #[ja("サーバーが端末の割り当てを拒否した", r#"
        サーバーが、このセッションに端末を割り当てることを拒否しました。

        ## なぜ起きるか
        サーバーの `PermitTTY no`、authorized_keys の鍵に付いた `no-pty`、またはサーバーの
        疑似端末が尽きた、などです。

        ## 直し方
        端末なしでコマンドを実行する（`ssh -T host cmd`）か、サーバー側の制限を外して
        もらいます。
    "#)]
    PTY_FAILED = "session.pty-failed", Error, 47, "The server refused a terminal", pty_failed;

    /// `scp` (OpenSSH 9.0 and later) speaks SFTP by default, and this server
    /// has no SFTP subsystem.
    ///
    /// ## Why it happens
    /// Since OpenSSH 9.0, `scp` transfers over the SFTP protocol and asks the
    /// server for its `sftp` subsystem. Routers, NAS boxes, cameras,
    /// bastions and Dropbear without sftp-server have none, so the request
    /// fails and scp stops.
    ///
    /// ## How to fix
    /// Use the old scp protocol for this server: `scp -O ...`. Or enable SFTP
    /// on the server (`Subsystem sftp /usr/lib/openssh/sftp-server` or
    /// `internal-sftp` in sshd_config; install sftp-server next to Dropbear).
    ///
    /// ## Evidence
    /// `subsystem request failed on channel 0`, or the server's shell saying
    /// `sh: /usr/libexec/sftp-server: not found` (Dropbear), then `scp:
    /// Connection closed`
    #[ja("サーバーに SFTP がなく scp が使えない", r#"
        OpenSSH 9.0 以降の `scp` は既定で SFTP を使いますが、このサーバーには SFTP の
        サブシステムがありません。

        ## なぜ起きるか
        OpenSSH 9.0 から `scp` は SFTP プロトコルで転送し、サーバーに `sftp`
        サブシステムを求めます。ルーター、NAS、カメラ、踏み台、sftp-server のない
        Dropbear にはそれがないため、要求が失敗して scp が止まります。

        ## 直し方
        このサーバーには古い scp プロトコルを使います（`scp -O ...`）。または
        サーバーで SFTP を有効にします（sshd_config の `Subsystem sftp
        /usr/lib/openssh/sftp-server` か `internal-sftp`、Dropbear には sftp-server を
        入れます）。
    "#)]
    SFTP_UNAVAILABLE = "session.sftp-unavailable", Error, 48, "The server has no SFTP, which scp needs", sftp_unavailable;

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
    #[ja("サーバーがセッションを拒否した", r#"
        認証はできましたが、シェルやコマンドを動かすセッションチャネルを開くことを
        サーバーが拒否したため、何も実行できませんでした。

        ## なぜ起きるか
        `MaxSessions` に達した（または 0 に設定されている）場合です。多くのセッションを
        運ぶ ControlMaster 接続でよく起きます。ほかに、強制されたサブシステム、リソース
        制限などです。

        ## 直し方
        共有接続のほかのセッションを閉じるか、MaxSessions を上げます。
    "#)]
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
    #[ja("セッション中に接続が切れた", r#"
        セッションの実行中に接続が壊れ、ssh はもう書き込めなくなりました。

        ## なぜ起きるか
        アイドル状態の接続を NAT やファイアウォールが忘れた、Wi-Fi や VPN が切り替わった、
        ノート PC がスリープした、などです。

        ## 直し方
        接続を保ちます: `~/.ssh/config` に `ServerAliveInterval 30`。長い作業はサーバー上の
        tmux/screen で行います。
    "#)]
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
    #[ja("サーバーが応答しなくなった", r#"
        サーバーがキープアライブに答えなくなったため、ssh はセッションをあきらめました。

        ## なぜ起きるか
        ServerAliveInterval/ServerAliveCountMax を設定した状態で、ネットワークがなくなった
        （またはファイアウォールがパケットを捨て始めた）場合です。

        ## 直し方
        ネットワークの経路を確かめます。不安定な回線では ServerAliveCountMax を上げます。
    "#)]
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
    #[ja("セッション中に接続がリセットされた", r#"
        セッションが、サーバーか途中の何かによってリセット（TCP RST）されました。

        ## なぜ起きるか
        接続を落とすネットワーク機器、サーバーの sshd が強制終了された、再起動、などです。

        ## 直し方
        サーバーのログと稼働時間を確かめます。キープアライブと tmux/screen を使います。
    "#)]
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
    #[ja("サーバーがセッションを閉じた", r#"
        確立していたセッションが、サーバー側から終えられました（ネットワークのエラーでは
        なく、正常な切断です）。サーバーの何かがセッションを終わらせると決めています。

        ## なぜ起きるか
        サーバーのアイドルタイムアウト（ClientAliveInterval/ClientAliveCountMax、シェルの
        TMOUT）、再起動や sshd の再起動、管理者によるセッションの強制終了、などです。

        ## 直し方
        サーバーのログと稼働時間を確かめ、クライアントで ServerAliveInterval を設定します。
    "#)]
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
    #[ja("通信途中でデータが壊れた", r#"
        パケットが壊れて届きました。完全性の検査（MAC）に失敗したため、ssh は接続を
        切りました。

        ## なぜ起きるか
        故障したネットワーク機器や NIC のオフロード、パケットを書き換える中継機器、MTU の
        問題、メモリの故障、古い暗号実装のバグ、などです。

        ## 直し方
        別の暗号/MAC で試して絞り込み、NIC のオフロードを切り
        （`ethtool -K eth0 tso off gso off`）、経路を調べます。
    "#)]
    CORRUPT = "transport.corrupt", Error, 86, "Data corrupted in transit", corrupt;
}

fn authenticated_line(t: &Trace) -> Option<usize> {
    t.authenticated().map(Noted::line)
}

/// A shell's `bash: CMD: command not found` that came from the server:
/// after a login (or its password prompt), or just before the session's
/// close (`Connection to H closed.`, git's `The remote end hung up`); a
/// proxy command's shell is not the server's.
fn remote_command_missing(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| matches!(k, K::ShellNotFound { .. }))?;
    let K::ShellNotFound { program, error } = n.kind() else {
        return None;
    };
    let proxied = t.has(|k| matches!(k, K::ProxyCommandExec { .. }))
        || t.command.as_ref().is_some_and(|c| {
            c.option("proxycommand").is_some()
                || c.option("proxyjump").is_some()
                || c.jump.is_some()
        });
    let logged_in = authenticated_line(t).is_some_and(|a| a < n.line())
        || t.find(|k| matches!(k, K::PasswordPrompt { .. }))
            .is_some_and(|p| p.line() < n.line());
    let closed = t.events().iter().filter(|m| m.line() > n.line()).find(|m| {
        matches!(
            m.kind(),
            K::ConnectionClosed { .. } | K::ClosedByRemote { .. }
        ) || matches!(m.kind(), K::ExitStatus { code } if *code != 0)
            || matches!(m.kind(), K::GitMessage { text } if text.contains("remote end hung up"))
    });
    if proxied || !(logged_in || closed.is_some()) {
        return None;
    }
    let l = ctx.lang;
    let mut f = Finding::new(
        &CLOSED_AFTER_AUTH,
        tr!(l, "Login worked, but the program the server was to run, `{program}`, is not there ({error}): not installed, or not on the PATH a non-interactive shell gets, or a ForceCommand/command= naming a missing file.", "ログインはできましたが、サーバーで実行するはずのプログラム `{program}` がありません（{error}）。インストールされていないか、対話なしのシェルの PATH にないか、ForceCommand や command= が存在しないファイルを指しています。"),
        &[n],
    )
    .confidence(Confidence::Medium);
    f.cite(closed);
    // A plain name only (it goes inside single quotes, for sh and
    // PowerShell alike); anything else gets a placeholder.
    let name = crate::shell::path(program)
        .filter(|p| crate::shell::sh(p) == *p && !p.starts_with('~'))
        .unwrap_or("PROGRAM");
    f.steps = vec![
        Step::run(
            tr!(l, "See whether the server finds it, and the PATH a command gets there:", "サーバーでそれが見つかるか、コマンドが受け取る PATH を見ます:"),
            format!("ssh {}{} 'command -v {name}; echo \"$PATH\"'", ctx.port_flag(), ctx.target()),
        ),
        Step::say(tr!(l, "Install it on the server, or give its full path (many tools have an option for the remote program's path); a PATH set in ~/.bashrc after its interactive-only guard does not reach commands run over ssh.", "サーバーにインストールするか、フルパスで指定します（多くのツールにリモート側のプログラムのパスを指定するオプションがあります）。~/.bashrc の対話シェル専用の判定より後で設定した PATH は、ssh で実行するコマンドには届きません。")),
    ];
    Some(f)
}

/// sshd's `Could not chdir to home directory D: ERR` on the client's
/// terminal: the login worked, and the session started without the home
/// directory (in `/`), where the shell's startup files, `~/.ssh` and any
/// tool's files are missing.
fn home_missing(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| matches!(k, K::HomeDirMissing { .. }))?;
    let K::HomeDirMissing { path, error } = n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let user = ctx.user_or_placeholder();
    let dir = crate::shell::sh(path);
    Some(
        Finding::new(
            &CLOSED_AFTER_AUTH,
            tr!(l, "Login as {user} worked, but the server could not enter the account's home directory {path} ({error}): the session starts in / without it, so the shell's startup files, ~/.ssh and whatever a program keeps there are missing.", "{user} としてのログインはできましたが、サーバーはアカウントのホームディレクトリ {path} に入れませんでした（{error}）。セッションはそれなしで / から始まるので、シェルの起動ファイル、~/.ssh、プログラムがそこに置くものがありません。"),
            &[n],
        )
        .confidence(Confidence::Medium)
        .steps([
            Step::run(tr!(l, "See the account's home directory (sixth field) and whether it exists:", "アカウントのホームディレクトリ（6 番目の欄）と、それがあるかを見ます:"), format!("getent passwd {}; ls -ld {dir}", ctx.user_arg())).on_server(),
            Step::run(tr!(l, "Create it, owned by the account (on a NAS, enable its user-home service instead):", "アカウントの持ち物として作ります（NAS ではユーザーのホームのサービスを有効にします）:"), format!("sudo mkdir -p {dir} && sudo chown {}: {dir}", ctx.user_arg())).on_server(),
        ]),
    )
}

/// `Connection to H closed.` (ssh prints it only when a session with a
/// terminal ends, so the login worked) right after a few lines of the
/// server's own text that report a failure, with nothing of ssh's and no
/// sign of an interactive shell between the login and the close: the
/// server's failing line and the close.
pub(super) fn failure_before_close(t: &Trace) -> Option<(Noted, &Noted)> {
    let close = t.last_significant()?;
    if !matches!(close.kind(), K::ConnectionClosed { .. }) {
        return None;
    }
    let (_, said) = t.text_since_ssh(close.line())?;
    let quiet_end = |n: &Noted| {
        let s = n.text.trim();
        s == "logout" || s == "exit" || s.ends_with('$') || s.ends_with('#') || s.ends_with('>')
    };
    if said.is_empty() || said.len() > 3 || said.iter().any(quiet_end) {
        return None;
    }
    let failing = said
        .into_iter()
        .find(|n| super::context::reports_failure(&n.text))?;
    Some((failing, close))
}

/// The program the server ran for this account failed at once (see
/// [`failure_before_close`]). A guess (low): the text is the server
/// program's, not ssh's.
fn failed_at_once(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let (failing, close) = failure_before_close(t)?;
    let line = failing.text.trim();
    let l = ctx.lang;
    let mut f = Finding::new(
        &CLOSED_AFTER_AUTH,
        tr!(l, "The login most likely worked (ssh prints `Connection to … closed.` when a session ends), but the session ended right after the server printed `{line}`: the program the server runs for this account (its login shell, a ForceCommand, or command= in authorized_keys) failed at once.", "ログインはおそらくできています（ssh はセッションが終わるときに `Connection to … closed.` と表示します）。しかしサーバーが `{line}` と表示した直後にセッションが終わりました。サーバーがこのアカウントに実行させるプログラム（ログインシェル、ForceCommand、authorized_keys の command=）がすぐに失敗しています。"),
        &[&failing, close],
    )
    .confidence(Confidence::Low);
    f.steps = vec![
        Step::run(tr!(l, "See the account's shell (last field):", "アカウントのシェル（最後の欄）を見ます:"), format!("getent passwd {}", ctx.user_arg())).on_server(),
        Step::say(tr!(l, "Check ForceCommand in sshd_config and a command=\"...\" before the key in ~/.ssh/authorized_keys; run that program by hand on the server to see it fail.", "sshd_config の ForceCommand と、~/.ssh/authorized_keys の鍵の前の command=\"...\" を確かめます。そのプログラムをサーバーで手で実行して、失敗するところを見ます。")).on_server(),
    ];
    Some(f)
}

fn closed_after_auth(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if let Some(f) = remote_command_missing(t, ctx)
        .or_else(|| home_missing(t, ctx))
        .or_else(|| failed_at_once(t, ctx))
    {
        return Some(f);
    }
    // The login shell's own words (`This account is currently not
    // available.`) say a login happened, even without -v.
    let auth = authenticated_line(t).or_else(|| {
        t.find(|k| matches!(k, K::AccountRestricted { .. }))
            .map(|n| n.line().saturating_sub(1))
    })?;
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
    let user = ctx.user_or_placeholder();
    let l = ctx.lang;
    let mut f = Finding::new(
        &CLOSED_AFTER_AUTH,
        if let Some(K::AccountRestricted { text }) = nologin.map(|n| n.kind()) {
            if text.contains("sftp") {
                tr!(l, "Login as {user} worked, but the server only allows sftp for this account (ForceCommand internal-sftp): no shell or commands.", "{user} としてのログインはできましたが、サーバーはこのアカウントに sftp しか許していません（ForceCommand internal-sftp）。シェルもコマンドも使えません。")
            } else {
                tr!(l, "Login as {user} worked, but the account's shell is nologin: it may not run a shell or commands.", "{user} としてのログインはできましたが、アカウントのシェルが nologin で、シェルもコマンドも実行できません。")
            }
        } else {
            tr!(l, "Login as {user} worked, but the session ended at once with a failure and no output — typically a login shell like /bin/false, a ForceCommand, or a missing home directory.", "{user} としてのログインはできましたが、セッションは出力なしに失敗してすぐ終わりました。/bin/false のようなログインシェル、ForceCommand、ホームディレクトリがない、などが典型です。")
        },
        &[head],
    )
    .confidence(confidence)
    .steps([
        Step::run(tr!(l, "See the account's shell (last field) and home:", "アカウントのシェル（最後の欄）とホームを見ます:"), format!("getent passwd {}", ctx.user_arg())).on_server(),
        Step::run(tr!(l, "Give it a real shell if it should have one:", "シェルを持つべきアカウントなら、本物のシェルを与えます:"), format!("sudo chsh -s /bin/bash {}", ctx.user_arg())),
        Step::say(tr!(l, "If it is a service account meant for sftp/git only, use that service (sftp, git) rather than a shell. Check ForceCommand in sshd_config and command= in authorized_keys.", "sftp や git 専用のサービスアカウントなら、シェルではなくそのサービス（sftp、git）を使います。sshd_config の ForceCommand と authorized_keys の command= を確かめます。")),
    ]);
    f.cite(t.authenticated());
    f.cite(exit);
    Some(f)
}

fn pty_failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let n = t.find(|k| matches!(k, K::PtyFailed { .. }))?;
    // GitHub and GitLab give no terminal by design: their greeting is the
    // answer the user wanted.
    let greeted = t.has(|k| matches!(k, K::ServiceGreeting { .. }));
    Some(
        Finding::new(&PTY_FAILED, tr!(l, "The server refused to allocate a terminal (PTY) for the session.", "サーバーが、このセッションに端末（PTY）を割り当てることを拒否しました。"), &[n]).steps([
            Step::say(tr!(l, "Run commands without a terminal: `ssh -T host command` (drop -t/-tt and RequestTTY).", "端末なしでコマンドを実行します: `ssh -T host command`（-t/-tt と RequestTTY を外します）。")),
            Step::say(tr!(l, "This comes from `PermitTTY no` (sshd_config, possibly in a Match block) or `no-pty` on the key in authorized_keys.", "サーバー側の原因は `PermitTTY no`（sshd_config、Match ブロックの中かもしれません）か、authorized_keys の鍵に付いた `no-pty` です。")).on_server(),
        ])
        .failing(!greeted)
        // ssh goes on without a terminal: a refused shell after it ends the session.
        .carries_on(),
    )
}

/// sftp (or scp) saying only `Connection closed`, with no error of ssh's
/// before it: most often the server could not start its SFTP server. A
/// guess (low); `-v` shows the refused subsystem.
fn transfer_closed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| matches!(k, K::TransferClosed { .. }))?;
    let program = match (n.kind(), t.command.as_ref()) {
        (K::TransferClosed { program }, _) if !program.is_empty() => program.to_string(),
        (_, Some(c)) if c.program == "sftp" || c.program == "scp" => c.program.clone(),
        _ => return None,
    };
    if ctx.verbosity > 0 {
        // With -v, ssh's own lines say why; the detectors read those.
        return None;
    }
    let l = ctx.lang;
    Some(
        Finding::new(
            &SFTP_UNAVAILABLE,
            tr!(l, "{program} reports the connection closed, and ssh printed no error before it. Most often the server could not start its SFTP server (no `Subsystem sftp` line, a missing sftp-server, a broken ChrootDirectory); -v tells.", "{program} は接続が閉じたと言うだけで、その前に ssh はエラーを出していません。多くの場合、サーバーが SFTP サーバーを起動できていません（`Subsystem sftp` の行がない、sftp-server がない、ChrootDirectory の不備）。-v で分かります。"),
            &[n],
        )
        .confidence(Confidence::Low)
        .steps([
            Step::run(tr!(l, "Ask for the SFTP subsystem with -v: `subsystem request failed` means the server has none (if it waits instead, the subsystem works: Ctrl-C):", "-v 付きで SFTP サブシステムを求めます。`subsystem request failed` ならサーバーにありません（待ち状態になるならサブシステムは動いています。Ctrl-C で終えます）:"), format!("{} sftp", ctx.ssh("-v -s"))),
            Step::run(tr!(l, "Check its Subsystem line and whether sftp-server exists:", "Subsystem の行と sftp-server があるかを確かめます:"), "sudo sshd -T | grep -i subsystem").on_server(),
            Step::say(tr!(l, "For scp (OpenSSH 9.0 and later speak SFTP), `scp -O` uses the old protocol, which needs no SFTP server.", "scp（OpenSSH 9.0 以降は SFTP を使います）なら、`scp -O` で SFTP サーバーの要らない古いプロトコルを使えます。")),
        ]),
    )
}

fn sftp_unavailable(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let Some(n) =
        t.find_last(|k| matches!(k, K::SubsystemFailed { .. } | K::SftpServerFailed { .. }))
    else {
        return transfer_closed(t, ctx);
    };
    let closed = t.find_last(|k| matches!(k, K::TransferClosed { .. }));
    let scp = closed.is_some() || t.command.as_ref().is_some_and(|c| c.program == "scp");
    let what = if scp {
        l.pick(
            "scp (OpenSSH 9.0 and later transfers over SFTP)",
            "scp（OpenSSH 9.0 以降は SFTP で転送します）",
        )
    } else {
        l.pick("the client", "クライアント")
    };
    let mut f = Finding::new(
        &SFTP_UNAVAILABLE,
        match n.kind() {
            K::SftpServerFailed { .. } => tr!(l, "The server could not start its SFTP server, which {what} needs.", "{what}に必要な SFTP サーバーを、サーバーが起動できませんでした。"),
            _ => tr!(l, "The server refused the subsystem {what} asked for: it has no SFTP.", "{what}が求めたサブシステムをサーバーが拒否しました。サーバーには SFTP がありません。"),
        },
        &[n],
    )
    .confidence(if scp { Confidence::High } else { Confidence::Medium })
    .steps([
        Step::say(tr!(l, "Use the old scp protocol for this server: add -O to the same scp command (`scp -O FILE {}:PATH`).", "このサーバーには古い scp プロトコルを使います。同じ scp コマンドに -O を付けます（`scp -O FILE {}:PATH`）。", ctx.target())),
        Step::run(tr!(l, "Or enable SFTP on the server (OpenSSH): check its Subsystem line, then reload sshd:", "または、サーバー（OpenSSH）で SFTP を有効にします。Subsystem の行を確かめてから sshd を再読み込みします:"), format!("sudo sshd -T | grep -i subsystem\n{}", ctx.server.reload())).on_server(),
    ]);
    f.cite(closed);
    Some(f)
}

fn session_channel(t: &Trace, channel: u32) -> bool {
    t.all(|k| matches!(k, K::ChannelNew { .. })).any(|n| matches!(n.kind(), K::ChannelNew { channel: c, channel_type } if *c == channel && (channel_type == "session" || channel_type == "client-session")))
}

fn open_refused(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let n = t.find(|k| matches!(k, K::SessionRefused { .. }))
        .or_else(|| t.all(|k| matches!(k, K::ChannelOpenFailed { .. })).find(|n| matches!(n.kind(), K::ChannelOpenFailed { channel, .. } if session_channel(t, *channel))))?;
    Some(
        Finding::new(&OPEN_REFUSED, tr!(l, "The server refused to open a session channel.", "サーバーがセッションチャネルを開くことを拒否しました。"), &[n]).steps([
            Step::say(tr!(l, "If you share one connection (ControlMaster), it may have reached the server's MaxSessions (default 10): close other sessions or use `-o ControlPath=none`.", "一つの接続を共有している（ControlMaster）なら、サーバーの MaxSessions（既定 10）に達したのかもしれません。ほかのセッションを閉じるか、`-o ControlPath=none` を使います。")),
            Step::run(tr!(l, "Check session limits:", "セッションの制限を確かめます:"), "sudo sshd -T | grep -Ei 'maxsessions|forcecommand|subsystem'").on_server(),
        ]),
    )
}

fn after_session(t: &Trace, n: &Noted) -> bool {
    authenticated_line(t).is_some_and(|a| n.line() > a)
        || t.has(|k| matches!(k, K::EnteringSession {}))
        // `Read from remote host H: ...` is printed by the session's packet
        // loop: without -v it is the evidence of a session.
        || (t.stats.max_debug == 0 && matches!(n.kind(), K::ReadWriteFailed { .. }))
}

fn broken_pipe(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| match k {
        K::SendDisconnectFailed { errno, .. } | K::ReadWriteFailed { errno, .. } => {
            *errno == Errno::BrokenPipe
        }
        // `banner exchange: Connection to H port P: Broken pipe` is no session.
        K::ConnectionError { errno, tag, .. } => {
            *errno == Errno::BrokenPipe && tag != "banner exchange"
        }
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
    // Without -v, right after the password or the host-key answer and no
    // word of a session between: nothing shows a session was open, and a
    // server that closed it at login reads the same.
    let at_login = ctx.verbosity == 0
        && t.find_last(|k| {
            matches!(
                k,
                K::PasswordPrompt { .. }
                    | K::ContinueConnectingPrompt { .. }
                    | K::PermanentlyAdded { .. }
            )
        })
        .is_some_and(|q| {
            t.text_since_ssh(n.line())
                .is_some_and(|(before, said)| before == q.line() && said.is_empty())
        });
    let l = ctx.lang;
    let f = Finding::new(&BROKEN_PIPE, tr!(l, "The connection broke while the session was open: ssh could no longer send to the server.", "セッションを開いている間に接続が壊れ、ssh はサーバーに送れなくなりました。"), &[n]).steps([
        Step::run(tr!(l, "Send keepalives so idle NAT/firewall entries stay open — add to ~/.ssh/config:", "アイドル中も NAT やファイアウォールの記録が消えないよう、キープアライブを送ります。~/.ssh/config に追加:"), "Host *\n    ServerAliveInterval 30\n    ServerAliveCountMax 4"),
        Step::say(tr!(l, "Run long jobs inside tmux or screen on the server, so they survive a dropped connection.", "長い作業はサーバー上の tmux や screen の中で実行し、接続が切れても続くようにします。")),
    ]);
    Some(if at_login {
        f.confidence(Confidence::Low)
    } else {
        f
    })
}

fn timeout(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let n = t.find_last(|k| matches!(k, K::ServerNotResponding { .. }))?;
    let K::ServerNotResponding { host } = n.kind() else {
        return None;
    };
    Some(
        Finding::new(&TIMEOUT, tr!(l, "{host} stopped answering keepalives, so ssh closed the session.", "{host} がキープアライブに答えなくなったため、ssh はセッションを閉じました。"), &[n]).steps([
            Step::say(tr!(l, "The network path went away (Wi-Fi, VPN, firewall). Check it; on unstable links raise ServerAliveCountMax.", "ネットワークの経路がなくなりました（Wi-Fi、VPN、ファイアウォール）。経路を確かめ、不安定な回線では ServerAliveCountMax を上げます。")),
            Step::say(tr!(l, "Run long jobs inside tmux or screen on the server.", "長い作業はサーバー上の tmux か screen の中で実行します。")),
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
    let l = ctx.lang;
    let mut f = Finding::new(&RESET, tr!(l, "The connection was reset during the session (TCP RST from the server or a device in between).", "セッション中に接続がリセットされました（サーバーか途中の機器からの TCP RST）。"), &[n]).steps([
        Step::run(tr!(l, "Check whether sshd or the machine restarted:", "sshd やマシンが再起動していないか確かめます:"), format!("uptime; {}", ctx.server.recent_log("-1h"))).on_server(),
        Step::run(tr!(l, "Keep the connection alive through NAT/firewalls — ~/.ssh/config:", "NAT やファイアウォールを越えて接続を保ちます。~/.ssh/config に:"), "Host *\n    ServerAliveInterval 30"),
    ]);
    f.cite(t.find_last(|k| matches!(k, K::SendDisconnectFailed { .. })));
    Some(f)
}

fn closed_by_remote(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
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
    // Without -v nothing shows how long the session ran: a server that
    // ends every login at once (a nologin shell, a broken jail or
    // ForceCommand) prints the same line.
    let thin = t.stats.max_debug == 0;
    let mut f = Finding::new(
        &CLOSED_BY_REMOTE,
        tr!(
            l,
            "{host} closed the established session.",
            "{host} が確立済みのセッションを閉じました。"
        ),
        &[n],
    )
    .confidence(if thin {
        Confidence::Low
    } else {
        Confidence::Medium
    });
    if thin {
        f = f.steps([Step::say(tr!(l, "If it closed right after you logged in, every time, the server ends the login itself (session.closed-after-auth: a nologin shell, a ForceCommand, a broken chroot): `sshexplain explain session.closed-after-auth`.", "ログインした直後に毎回閉じるなら、サーバー自身がログインを終わらせています（session.closed-after-auth: nologin のシェル、ForceCommand、壊れた chroot）。`sshexplain explain session.closed-after-auth` を見てください。"))]);
    }
    Some(
        f.steps([
                Step::run(tr!(l, "Look for the reason around that time (idle timeout, restart, killed session):", "その時刻ごろの理由（アイドルタイムアウト、再起動、強制終了）を探します:"), format!("{}; uptime", ctx.server.recent_log("-1h"))).on_server(),
                Step::say(tr!(l, "Idle sessions are closed by ClientAliveInterval/ClientAliveCountMax on the server or a shell TMOUT; ServerAliveInterval 30 on the client keeps them active.", "アイドル中のセッションは、サーバーの ClientAliveInterval/ClientAliveCountMax やシェルの TMOUT で閉じられます。クライアントで ServerAliveInterval 30 にすると保たれます。")),
            ]),
    )
}

fn corrupt(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let n = t.find(|k| match k {
        K::CorruptedMac {} | K::BadPacketLength { .. } => true,
        K::ReceivedDisconnect { reason, .. } => {
            let r = reason.to_ascii_lowercase();
            r.contains("corrupted mac")
                || r.contains("bad packet length")
                || r.contains("message authentication code incorrect")
        }
        K::ConnectionError { error, .. } | K::TransportError { text: error } => {
            let e = error.to_ascii_lowercase();
            e.contains("message authentication code incorrect")
                || e.contains("packet corrupt")
                || e.contains("corrupted")
        }
        K::Disconnecting { reason, .. } => reason.to_ascii_lowercase().contains("corrupt"),
        _ => false,
    })?;
    let mut f = Finding::new(&CORRUPT, tr!(l, "Data arrived damaged (integrity check failed), so ssh dropped the connection.", "データが壊れて届いた（完全性の検査に失敗した）ため、ssh は接続を切りました。"), &[n]).steps([
        Step::run(tr!(l, "Narrow it down with another cipher and MAC:", "別の暗号と MAC で試して絞り込みます:"), ctx.ssh("-o Ciphers=aes128-ctr -o MACs=hmac-sha2-256")),
        if ctx.client == Client::Unix {
            Step::run(tr!(l, "Disable NIC offloads on the client (and server), replacing eth0:", "クライアント（とサーバー）で NIC のオフロードを切ります（eth0 は置き換えます）:"), "sudo ethtool -K eth0 tso off gso off gro off")
        } else {
            Step::say(tr!(l, "Turn off the network adapter's offloads (TSO/LSO, checksum offload) in its driver settings, on the client and the server.", "クライアントとサーバーで、ネットワークアダプターのオフロード（TSO/LSO、チェックサムのオフロード）をドライバーの設定で切ります。"))
        },
        Step::say(tr!(l, "Check the path (Wi-Fi driver, VPN, middlebox), and the machines' RAM if it keeps happening.", "経路（Wi-Fi のドライバー、VPN、中継機器）を調べ、繰り返すならマシンのメモリも調べます。")),
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
    fn a_broken_pipe_right_after_the_password_is_not_sure_of_a_session() {
        let prompt = "bob@192.0.2.9's password: \n";
        let pipe = "client_loop: send disconnect: Broken pipe\n";
        let d = diagnose(&format!("{prompt}{pipe}"));
        assert_eq!(d.primary.cause.id, "session.broken-pipe");
        assert_eq!(d.primary.confidence, crate::Confidence::Low);
        // The session's own words between: it was open.
        let d = diagnose(&format!(
            "{prompt}Last login: Mon Dec  7 10:00:01 2026\n{pipe}"
        ));
        assert_eq!(d.primary.cause.id, "session.broken-pipe");
        assert_ne!(d.primary.confidence, crate::Confidence::Low);
    }

    #[test]
    fn a_terminal_session_that_ended_is_a_login_that_worked() {
        for log in [
            "Connection to h closed.\n",
            "Last login: Mon Dec  7 10:00:00 2026\n$ ls\nnotes.txt\n$ exit\nlogout\nConnection to h closed.\n",
        ] {
            let d = diagnose(log);
            assert_eq!(d.primary.cause.id, "ok.connected", "{log}");
            assert_eq!(d.primary.confidence, crate::diagnose::Confidence::Medium);
        }
        // The server's words of a failure right before it: its program
        // failed at once (a guess).
        for log in [
            "ssh u@h\nEnter passphrase for key 'id_ed25519':\n\nError: Unable to get host list\nConnection to h closed.\n",
            ": No such file or directory\nConnection to h closed.\n",
        ] {
            let d = diagnose(log);
            assert_eq!(d.primary.cause.id, "session.closed-after-auth", "{log}");
            assert_eq!(d.primary.confidence, crate::diagnose::Confidence::Low);
        }
        // Not when a shell was in use, or the failure is far from the end.
        for log in [
            "$ cat missing\ncat: missing: No such file or directory\n$ exit\nlogout\nConnection to h closed.\n",
            "error one\nline\nline\nline\nline\nConnection to h closed.\n",
        ] {
            assert_eq!(diagnose(log).primary.cause.id, "ok.connected", "{log}");
        }
    }

    #[test]
    fn sftp_closing_without_an_error_of_ssh_is_a_low_guess() {
        let d = diagnose("sftp -P 2200 bob@192.168.0.93\nConnection closed\n");
        assert_eq!(d.primary.cause.id, "session.sftp-unavailable");
        assert_eq!(d.primary.confidence, crate::diagnose::Confidence::Low);
        // The check asks for the subsystem at the same place, port included.
        assert!(d.primary.steps.iter().any(|s| s
            .command
            .as_deref()
            .is_some_and(|c| c.contains("-p 2200 bob@192.168.0.93 sftp"))));
        // Without a transfer program, a bare close is not sftp's.
        assert_ne!(
            diagnose("Connection closed\n").primary.cause.id,
            "session.sftp-unavailable"
        );
        // ssh's own error before it speaks instead.
        assert_eq!(
            diagnose("sftp bob@h\nbob@h: Permission denied (publickey).\nConnection closed\n")
                .primary
                .cause
                .id,
            "auth.key-rejected"
        );
    }

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

    #[test]
    fn a_refused_shell_after_a_refused_terminal_ended_the_session() {
        // ssh carries on without a terminal; the refused shell ends it.
        let d = diagnose(
            "PTY allocation request failed on channel 0\nshell request failed on channel 0\n",
        );
        assert_eq!(d.primary.cause.id, "session.open-refused");
        assert!(d
            .secondary
            .iter()
            .any(|f| f.cause.id == "session.pty-failed"));
        // A terminal refused after the shell's refusal explains nothing later.
        let d = diagnose(
            "exec request failed on channel 0\nPTY allocation request failed on channel 1\n",
        );
        assert_eq!(d.primary.cause.id, "session.pty-failed");
    }

    #[test]
    fn a_broken_pipe_in_the_banner_exchange_is_no_session() {
        let d = diagnose("banner exchange: Connection to 10.0.0.5 port 22: Broken pipe\n");
        assert_ne!(d.primary.cause.id, "session.broken-pipe");
    }
}
