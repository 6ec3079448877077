//! Causes only the server's log names: sshd keeps its reasons to itself.
//!
//! The client sees `Permission denied (publickey)` or a closed connection;
//! sshd's log says why (a group-writable home, a user not in `AllowUsers`,
//! a key type it no longer accepts, a full `MaxStartups`, a ban). These
//! detectors read the server's events of a trace (a server log alone, or
//! joined to the client's attempt, see [`crate::server`]). Their fixes run
//! on the server. [`outcomes`] maps what a server log alone shows of the
//! client-side causes (a key refused, a password refused) to those causes,
//! at medium confidence at most: sshd's log shows the refusal, not the
//! client's side of it.

use super::{cause, causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::shell::sh;
use crate::tr;
use crate::trace::{Noted, Trace};

causes! {
    /// sshd refused the key because a directory or file on the way to
    /// `authorized_keys` is writable by others or owned by another user
    /// (`StrictModes yes`, the default).
    ///
    /// ## Why it happens
    /// A home directory made group-writable (`chmod 775 ~`, some NAS and
    /// shared-hosting setups), `~/.ssh` or `authorized_keys` created with
    /// loose modes or by root (`sudo nano ~/.ssh/authorized_keys`), files
    /// copied with another owner. The client only sees its key refused.
    ///
    /// ## How to fix
    /// On the server: `chmod go-w ~`, `chmod 700 ~/.ssh`, `chmod 600
    /// ~/.ssh/authorized_keys`, and `chown` them to the user.
    ///
    /// ## Evidence
    /// `Authentication refused: bad ownership or modes for directory /home/pi` (sshd)
    #[ja("サーバーがファイルの権限を理由に鍵を拒否した", r#"
        `authorized_keys` までのディレクトリかファイルが他人から書き込める、または別の
        ユーザーの所有になっているため、sshd が鍵を拒否しました（既定の `StrictModes yes`）。

        ## なぜ起きるか
        ホームディレクトリをグループ書き込み可にした（`chmod 775 ~`、一部の NAS や共有
        ホスティング）、`~/.ssh` や `authorized_keys` を緩い権限や root で作った
        （`sudo nano ~/.ssh/authorized_keys`）、別の所有者のままコピーした、などです。
        クライアントには鍵が拒否されたことしか見えません。

        ## 直し方
        サーバーで `chmod go-w ~`、`chmod 700 ~/.ssh`、`chmod 600 ~/.ssh/authorized_keys`
        とし、所有者をそのユーザーにします（`chown`）。
    "#)]
    STRICT_MODES = "auth.strict-modes", Error, 99, "The server refused the key: bad file permissions", strict_modes;

    /// sshd could not read the user's `authorized_keys` file, so no key can
    /// log in.
    ///
    /// ## Why it happens
    /// An SELinux label that sshd may not read (files moved in with `mv`,
    /// a home restored from backup), a home directory that is encrypted or
    /// not mounted until login, a file readable only by root, an
    /// `AuthorizedKeysFile` path that points somewhere else.
    ///
    /// ## How to fix
    /// On the server: give the file to the user with mode 600; on SELinux
    /// systems `restorecon -Rv ~/.ssh`; check `AuthorizedKeysFile`.
    ///
    /// ## Evidence
    /// `Could not open user 'pi' authorized keys '/home/pi/.ssh/authorized_keys': Permission denied` (sshd)
    #[ja("サーバーが authorized_keys を読めない", r#"
        sshd がユーザーの `authorized_keys` を読めないため、どの鍵でもログインできません。

        ## なぜ起きるか
        sshd が読めない SELinux ラベル（`mv` で持ち込んだファイル、バックアップから戻した
        ホーム）、ログインするまで暗号化されている・マウントされていないホーム、root しか
        読めないファイル、別の場所を指す `AuthorizedKeysFile`、などです。

        ## 直し方
        サーバーでファイルの所有者をそのユーザーにして権限を 600 にします。SELinux の
        システムでは `restorecon -Rv ~/.ssh` を実行し、`AuthorizedKeysFile` も確かめます。
    "#)]
    KEYS_UNREADABLE = "auth.authorized-keys-unreadable", Error, 99, "The server cannot read authorized_keys", keys_unreadable;

    /// sshd's `AllowUsers`, `DenyUsers`, `AllowGroups` or `DenyGroups`
    /// does not let this user in, whatever key or password is used.
    ///
    /// ## Why it happens
    /// An allow list that names other users (often set while hardening, or
    /// in a `Match` block or a file under `sshd_config.d/`), a user not in
    /// the allowed group, a deny rule.
    ///
    /// ## How to fix
    /// On the server: find the rule (`sshd -T -C user=U,host=H,addr=A`),
    /// add the user or group, check with `sshd -t`, reload sshd.
    ///
    /// ## Evidence
    /// `User bob from 10.0.0.2 not allowed because not listed in AllowUsers` (sshd)
    #[ja("サーバーの設定がこのユーザーを許可していない", r#"
        sshd の `AllowUsers`、`DenyUsers`、`AllowGroups`、`DenyGroups` が、このユーザーを
        （どの鍵やパスワードでも）通しません。

        ## なぜ起きるか
        許可リストがほかのユーザーだけを挙げている（堅牢化のときに設定した、`Match`
        ブロックや `sshd_config.d/` の中のファイルにある）、許可されたグループに入って
        いない、拒否ルールに当たる、などです。

        ## 直し方
        サーバーでルールを見つけ（`sshd -T -C user=U,host=H,addr=A`）、ユーザーかグループを
        加え、`sshd -t` で確かめてから sshd を再読み込みします。
    "#)]
    USER_NOT_ALLOWED = "auth.user-not-allowed", Error, 99, "The server does not allow this user", user_not_allowed;

    /// The user name does not exist on the server.
    ///
    /// ## Why it happens
    /// A typo, the local user name used by default (`ssh host` logs in as
    /// you), or the wrong default user of a cloud or device image
    /// (`ubuntu`, `ec2-user`, `admin`, `debian`, `pi`, `azureuser`).
    ///
    /// ## How to fix
    /// Log in with the right user name (`ssh USER@host`, or `User` in
    /// `~/.ssh/config`); on the server `getent passwd USER` tells.
    ///
    /// ## Evidence
    /// `Invalid user admin from 203.0.113.9 port 4242` (sshd)
    #[ja("そのユーザーはサーバーに存在しない", r#"
        指定したユーザー名がサーバーに存在しません。

        ## なぜ起きるか
        打ち間違い、ローカルのユーザー名がそのまま使われた（`ssh host` は自分の名前で
        ログインする）、クラウドや機器のイメージの既定ユーザーが違う（`ubuntu`、
        `ec2-user`、`admin`、`debian`、`pi`、`azureuser`）、などです。

        ## 直し方
        正しいユーザー名でログインします（`ssh USER@host`、または `~/.ssh/config` の
        `User`）。サーバーでは `getent passwd USER` で確かめられます。
    "#)]
    INVALID_USER = "auth.invalid-user", Error, 99, "No such user on the server", invalid_user;

    /// sshd does not let root log in (`PermitRootLogin no`), or only with a
    /// key (`prohibit-password`, the default) when a password was used.
    ///
    /// ## Why it happens
    /// Root logins are off by default on most systems; a password for root
    /// is refused even when it is right.
    ///
    /// ## How to fix
    /// Log in as a normal user and use `sudo`; or log in as root with a key
    /// (`prohibit-password` allows it).
    ///
    /// ## Evidence
    /// `ROOT LOGIN REFUSED FROM 10.0.0.2 port 50000`, `Failed password for root ...` (sshd)
    #[ja("サーバーが root のログインを許可していない", r#"
        sshd が root のログインを許可していません（`PermitRootLogin no`）。または鍵でしか
        許可していない（既定の `prohibit-password`）のにパスワードを使いました。

        ## なぜ起きるか
        たいていのシステムでは root のログインは既定で無効です。root のパスワードは、
        正しくても拒否されます。

        ## 直し方
        一般ユーザーでログインして `sudo` を使います。または root に鍵でログインします
        （`prohibit-password` なら許可されます）。
    "#)]
    ROOT_REFUSED = "auth.root-login-refused", Error, 99, "The server refuses root logins", root_refused;

    /// sshd does not accept this key's type or signature algorithm
    /// (`PubkeyAcceptedAlgorithms`, or the system's crypto policy).
    ///
    /// ## Why it happens
    /// OpenSSH 8.8+ servers refuse `ssh-rsa` (SHA-1) signatures, which old
    /// clients and libraries still make with RSA keys; DSA keys are gone; a
    /// crypto policy (RHEL `FUTURE`) or a hardened config may exclude ECDSA
    /// or RSA.
    ///
    /// ## How to fix
    /// Use an Ed25519 key (`ssh-keygen -t ed25519`) or a newer client; or,
    /// on the server, add the algorithm back with
    /// `PubkeyAcceptedAlgorithms +ALG` (weaker).
    ///
    /// ## Evidence
    /// `userauth_pubkey: key type ssh-rsa not in PubkeyAcceptedAlgorithms [preauth]` (sshd)
    #[ja("サーバーがこの鍵の種類を受け付けない", r#"
        sshd がこの鍵の種類または署名アルゴリズムを受け付けません（`PubkeyAcceptedAlgorithms`、
        またはシステムの暗号ポリシー）。

        ## なぜ起きるか
        OpenSSH 8.8 以降のサーバーは `ssh-rsa`（SHA-1）署名を拒否しますが、古いクライアントや
        ライブラリは RSA 鍵でまだそれを使います。DSA 鍵は廃止されました。暗号ポリシー
        （RHEL の `FUTURE`）や堅牢化した設定が ECDSA や RSA を外していることもあります。

        ## 直し方
        Ed25519 の鍵（`ssh-keygen -t ed25519`）か新しいクライアントを使います。または
        サーバーで `PubkeyAcceptedAlgorithms +ALG` としてアルゴリズムを戻します（弱くなります）。
    "#)]
    KEY_TYPE_REFUSED = "auth.key-type-refused", Error, 99, "The server does not accept this key type", key_type_refused;

    /// The account exists but cannot log in: its shell is missing, it is
    /// locked, it has expired, or `/etc/nologin` exists.
    ///
    /// ## Why it happens
    /// A shell that was uninstalled or mistyped (`/bin/zsh` without zsh),
    /// an account locked with `passwd -l` or created without a password
    /// (`!` in /etc/shadow, with `UsePAM no`), an expiry date, a system
    /// that is booting or shutting down (`/run/nologin`).
    ///
    /// ## How to fix
    /// On the server: `usermod -s /bin/bash U`, `usermod -U U` (or `usermod
    /// -p '*' U` for key-only accounts), `chage -E -1 U`.
    ///
    /// ## Evidence
    /// `User pi not allowed because shell /bin/zsh does not exist`, `... because account is locked` (sshd)
    #[ja("アカウントが使えない状態になっている", r#"
        アカウントは存在しますがログインできません。シェルがない、ロックされている、
        期限切れ、または `/etc/nologin` があります。

        ## なぜ起きるか
        シェルがアンインストールされた・打ち間違えた（zsh のない `/bin/zsh`）、`passwd -l`
        でロックした・パスワードなしで作った（`UsePAM no` で /etc/shadow に `!`）、
        有効期限がある、起動中・停止中のシステム（`/run/nologin`）、などです。

        ## 直し方
        サーバーで `usermod -s /bin/bash U`、`usermod -U U`（鍵だけのアカウントなら
        `usermod -p '*' U`）、`chage -E -1 U` を実行します。
    "#)]
    ACCOUNT_UNUSABLE = "auth.account-unusable", Error, 99, "The account cannot log in", account_unusable;

    /// sshd dropped the connection before the banner because too many
    /// connections were waiting to authenticate (`MaxStartups`).
    ///
    /// ## Why it happens
    /// Scanners hammering port 22, many parallel CI jobs or Ansible forks,
    /// a tool opening connections faster than they log in. The client sees
    /// the connection closed or reset before the banner; sshd 8.2 to 9.7
    /// first send it `Exceeded MaxStartups`, 9.8 and later `Not allowed at
    /// this time` (which a `PerSourcePenalties` ban sends too).
    ///
    /// ## How to fix
    /// Fewer parallel connections (Ansible `forks`, ControlMaster), or on
    /// the server a higher `MaxStartups` (e.g. `MaxStartups 50:30:100`), and
    /// blocking scanners.
    ///
    /// ## Evidence
    /// `drop connection #10 from [203.0.113.9]:4242 on [10.0.0.1]:22 past MaxStartups` (sshd),
    /// `kex_exchange_identification: banner line 0: Exceeded MaxStartups` (client)
    #[ja("同時接続数の上限でサーバーが接続を切った", r#"
        認証待ちの接続が多すぎるため（`MaxStartups`）、sshd がバナーの前に接続を切りました。

        ## なぜ起きるか
        ポート 22 を叩くスキャナー、多数の並列 CI ジョブや Ansible の fork、ログインより
        速く接続を開くツール、などです。クライアントには、バナーの前に接続が閉じられた・
        リセットされたことしか見えません。

        ## 直し方
        並列接続を減らす（Ansible の `forks`、ControlMaster）か、サーバーで `MaxStartups`
        を上げ（例: `MaxStartups 50:30:100`）、スキャナーを遮断します。
    "#)]
    MAX_STARTUPS = "banner.max-startups", Error, 99, "The server is at its connection limit", max_startups;

    /// sshd is not running because it cannot start: no host keys, its port
    /// taken, a bad line in `sshd_config`, a missing directory.
    ///
    /// ## Why it happens
    /// Host keys deleted (images cloned without them), another program on
    /// port 22 or a `ListenAddress` not on this machine, a config edit with
    /// a typo, `/run/sshd` missing in a container. The client sees
    /// `Connection refused`.
    ///
    /// ## How to fix
    /// On the server: `sudo sshd -t` names a config error; `ssh-keygen -A`
    /// creates missing host keys; then start sshd and read its status.
    ///
    /// ## Evidence
    /// `sshd: no hostkeys available -- exiting.`, `Bind to port 22 on 0.0.0.0 failed: Address already in use.` (sshd)
    #[ja("sshd が起動できない", r#"
        sshd が起動できないため動いていません。ホスト鍵がない、ポートが使われている、
        `sshd_config` に誤った行がある、必要なディレクトリがない、などです。

        ## なぜ起きるか
        ホスト鍵が消えた（鍵なしで複製したイメージ）、ポート 22 を別のプログラムが使って
        いる・このマシンにない `ListenAddress`、設定の打ち間違い、コンテナーに `/run/sshd`
        がない、などです。クライアントには `Connection refused` が見えます。

        ## 直し方
        サーバーで `sudo sshd -t` を実行すると設定の誤りがわかります。`ssh-keygen -A` で
        足りないホスト鍵を作り、sshd を起動して状態を確かめます。
    "#)]
    SSHD_FAILED = "connect.sshd-failed", Error, 99, "sshd cannot start", sshd_failed;

    /// The client's address is banned after failed attempts (fail2ban,
    /// sshguard, CrowdSec, sshd's own `PerSourcePenalties`, TCP wrappers).
    ///
    /// ## Why it happens
    /// A few wrong passwords or refused keys (a script retrying, several
    /// keys offered each time), a shared address (office NAT, VPN) that
    /// someone else got banned. The client sees a timeout, `Connection
    /// refused` or a reset before the banner.
    ///
    /// ## How to fix
    /// From another address, or after the ban time, on the server:
    /// `fail2ban-client set sshd unbanip A` (or the tool's own command),
    /// then stop what triggered it.
    ///
    /// ## Evidence
    /// `NOTICE [sshd] Ban 203.0.113.9` (fail2ban), `drop connection #0 from [A]:P on [B]:Q penalty: failed authentication` (sshd 9.8+)
    #[ja("接続元アドレスが遮断されている", r#"
        失敗が続いたため、接続元のアドレスが遮断されています（fail2ban、sshguard、CrowdSec、
        sshd 自身の `PerSourcePenalties`、TCP wrappers）。

        ## なぜ起きるか
        何度かのパスワード間違いや鍵の拒否（再試行するスクリプト、毎回いくつもの鍵を
        出している）、共有アドレス（社内 NAT、VPN）でほかの誰かが遮断された、などです。
        クライアントにはタイムアウト、`Connection refused`、バナー前のリセットが見えます。

        ## 直し方
        別のアドレスから、または遮断時間の後に、サーバーで
        `fail2ban-client set sshd unbanip A`（またはそのツールのコマンド）を実行し、
        原因になった動きを止めます。
    "#)]
    BANNED = "connect.banned", Error, 99, "Your address is banned", banned;
}

/// A user name from the log for a command: quoted, or `USER`.
fn user_word(user: &str) -> String {
    crate::shell::user(user).map_or_else(|| "USER".to_string(), sh)
}

/// An address from the log for a command, or `ADDRESS`.
fn addr_word(addr: &str) -> String {
    crate::shell::host(addr).map_or_else(|| "ADDRESS".to_string(), str::to_string)
}

/// The server's close of this connection, cited beside its cause.
fn close_of(t: &Trace) -> Option<&Noted> {
    t.server_find_last(|k| {
        matches!(
            k,
            K::SshdClosed { .. } | K::SshdMaxAuthTries { .. } | K::SshdAuth { .. }
        )
    })
}

fn strict_modes(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if let Some(n) = t.server_find_last(|k| matches!(k, K::WindowsBadPermissions { .. })) {
        return windows_strict_modes(t, ctx, n);
    }
    let n = t.server_find_last(|k| matches!(k, K::SshdStrictModes { .. }))?;
    let K::SshdStrictModes { path, what } = n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let (p, refused) = super::context::path_arg(path, l);
    let user = ctx.user.as_deref().map(user_word);
    let fix = if what == "file" {
        format!("sudo chmod 600 {p}")
    } else if path.ends_with("/.ssh") {
        format!("sudo chmod 700 {p}")
    } else {
        format!("sudo chmod go-w {p}")
    };
    let mut steps: Vec<Step> = refused.into_iter().collect();
    steps.push(
        Step::run(
            tr!(
                l,
                "See the owner and mode sshd objects to:",
                "sshd が問題にしている所有者と権限を見ます:"
            ),
            format!("ls -ld {p}"),
        )
        .on_server(),
    );
    steps.push(Step::run(
        tr!(
            l,
            "Take write access away from group and others (StrictModes wants the home, ~/.ssh and authorized_keys writable by the user only):",
            "グループと他人の書き込み権限を外します（StrictModes は、ホーム、~/.ssh、authorized_keys がそのユーザーだけ書き込めることを求めます）:"
        ),
        fix,
    ).on_server());
    if let Some(u) = user {
        steps.push(
            Step::run(
                tr!(
                    l,
                    "If another user owns it, give it back to the user:",
                    "別のユーザーの所有なら、そのユーザーに戻します:"
                ),
                format!("sudo chown {u} {p}"),
            )
            .on_server(),
        );
    }
    let mut f = Finding::new(
        &STRICT_MODES,
        tr!(
            l,
            "sshd refused the key because of the {what} {path}: it is writable by others or owned by another user (StrictModes).",
            "sshd は {what} {path} を理由に鍵を拒否しました。他人が書き込めるか、別のユーザーの所有です（StrictModes）。"
        ),
        &[n],
    )
    .steps(steps);
    f.cite(close_of(t));
    Some(f)
}

/// Win32-OpenSSH's sshd refusing an authorized_keys file that an account
/// other than SYSTEM, Administrators and its user may access.
fn windows_strict_modes(t: &Trace, ctx: &Ctx, n: &Noted) -> Option<Finding> {
    let K::WindowsBadPermissions { account, sid, path } = n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let named = crate::grammar::primitives::unvis(account);
    let admins = path.ends_with("administrators_authorized_keys");
    let mut steps = Vec::new();
    match super::config::powershell_path(path) {
        Some(p) => {
            steps.push(Step::run(tr!(l, "In an administrator PowerShell, stop the file inheriting its folder's permissions:", "管理者 PowerShell で、ファイルがフォルダーのアクセス権を継承しないようにします:"), format!("icacls {p} /inheritance:r")).on_server());
            let keep = if admins {
                format!("icacls {p} /grant:r \"SYSTEM:(F)\" /grant:r \"Administrators:(F)\"")
            } else {
                format!("icacls {p} /grant:r \"SYSTEM:(F)\" /grant:r \"${{env:USERNAME}}:(F)\"")
            };
            let why = if admins {
                tr!(
                    l,
                    "Leave access to SYSTEM and Administrators only:",
                    "SYSTEM と Administrators だけがアクセスできるようにします:"
                )
            } else {
                tr!(l, "Leave access to SYSTEM and the file's user only (run as that user, or put their name for $${{env:USERNAME}}):", "SYSTEM とファイルのユーザーだけがアクセスできるようにします（そのユーザーで実行するか、$${{env:USERNAME}} をその名前にします）:")
            };
            steps.push(Step::run(why, keep).on_server());
            if let Some(account) = super::config::acl_account(account, sid) {
                steps.push(
                    Step::run(
                        tr!(
                            l,
                            "Remove the account sshd named ({account}):",
                            "sshd が指摘したアカウント（{account}）を外します:"
                        ),
                        format!("icacls {p} /remove {}", crate::shell::ps(&account)),
                    )
                    .on_server(),
                );
            }
        }
        None => steps.push(super::context::refusal(
            super::context::Value::Path,
            path,
            l,
        )),
    }
    let mut f = Finding::new(
        &STRICT_MODES,
        tr!(
            l,
            "sshd refused the keys in {path}: another account ({named}) may access the file, and Windows' OpenSSH server then ignores it (its StrictModes).",
            "sshd は {path} の鍵を拒否しました。ほかのアカウント（{named}）がこのファイルにアクセスでき、その場合 Windows の OpenSSH サーバーはこのファイルを無視します（StrictModes）。"
        ),
        &[n],
    )
    .steps(steps);
    f.cite(close_of(t));
    Some(f)
}

fn keys_unreadable(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // A file that does not exist is not unreadable: no key is installed
    // where sshd looks (see `missing_keys_file`).
    let n = t.server_find_last(
        |k| matches!(k, K::SshdKeysUnreadable { error, .. } if !is_missing(error)),
    )?;
    let K::SshdKeysUnreadable { path, error, .. } = n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let (p, refused) = super::context::path_arg(path, l);
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let (d, _) = super::context::path_arg(dir, l);
    let mut steps: Vec<Step> = refused.into_iter().collect();
    steps.push(
        Step::run(
            tr!(
                l,
                "See the file's owner, mode and SELinux label:",
                "ファイルの所有者、権限、SELinux ラベルを見ます:"
            ),
            format!("sudo ls -lZ {p}"),
        )
        .on_server(),
    );
    if let Some(u) = ctx.user.as_deref().map(user_word) {
        steps.push(
            Step::run(
                tr!(
                    l,
                    "Give the file to the user, readable by the user only:",
                    "ファイルの所有者をユーザーにし、そのユーザーだけが読めるようにします:"
                ),
                format!("sudo chown {u} {p} && sudo chmod 600 {p}"),
            )
            .on_server(),
        );
    }
    steps.push(
        Step::run(
            tr!(
                l,
                "On SELinux systems (RHEL, Fedora, CentOS), restore the labels:",
                "SELinux のシステム（RHEL、Fedora、CentOS）では、ラベルを戻します:"
            ),
            format!("sudo restorecon -Rv {d}"),
        )
        .on_server(),
    );
    steps.push(
        Step::run(
            tr!(
                l,
                "Check which file sshd reads (AuthorizedKeysFile):",
                "sshd が読むファイル（AuthorizedKeysFile）を確かめます:"
            ),
            "sudo sshd -T | grep -i authorizedkeysfile",
        )
        .on_server(),
    );
    let mut f = Finding::new(
        &KEYS_UNREADABLE,
        tr!(
            l,
            "sshd could not open {path} ({error}), so no key can log this user in.",
            "sshd は {path} を開けませんでした（{error}）。そのため、どの鍵でもこのユーザーはログインできません。"
        ),
        &[n],
    )
    .steps(steps);
    f.cite(close_of(t));
    Some(f)
}

/// Whether an `open` error means the file is not there.
fn is_missing(error: &str) -> bool {
    error.contains("No such file") || error.contains("cannot find")
}

/// sshd found no authorized_keys file where it looks: no key can be
/// authorized, so the client's key is refused (`auth.key-rejected`). From
/// the server's log alone, at medium confidence: it shows where sshd
/// looked, not which key the client offered.
pub fn missing_keys_file(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.server_find_last(
        |k| matches!(k, K::SshdKeysUnreadable { error, .. } if is_missing(error)),
    )?;
    // A file sshd could open, or could not read, says more.
    if t.server_find(|k| {
        matches!(k, K::SshdKeysUnreadable { error, .. } if !is_missing(error))
            || matches!(k, K::SshdAuth { result, .. } if result == "Accepted")
    })
    .is_some()
    {
        return None;
    }
    let K::SshdKeysUnreadable { path, .. } = n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let (p, refused) = super::context::path_arg(path, l);
    let mut steps: Vec<Step> = refused.into_iter().collect();
    steps.push(
        Step::run(
            tr!(
            l,
            "See which files sshd reads (AuthorizedKeysFile; %h is the home, %u the user):",
            "sshd が読むファイルを確かめます（AuthorizedKeysFile。%h はホーム、%u はユーザー）:"
        ),
            "sudo sshd -T | grep -i authorizedkeysfile",
        )
        .on_server(),
    );
    steps.push(Step::say(tr!(
        l,
        "Put the client's public key (its .pub line) into {p} on the server, or make AuthorizedKeysFile name the file that holds it.",
        "クライアントの公開鍵（.pub の行）をサーバーの {p} に入れるか、それを持つファイルを AuthorizedKeysFile で指定します。"
    )).on_server());
    let c = super::cause("auth.key-rejected")?;
    let mut f = Finding::new(
        c,
        tr!(
            l,
            "sshd found no authorized_keys file at {path}, so it had no key to accept: the client's key was refused.",
            "sshd は {path} に authorized_keys ファイルを見つけられませんでした。受け入れる鍵がないため、クライアントの鍵は拒否されました。"
        ),
        &[n],
    )
    .confidence(Confidence::Medium)
    .steps(steps);
    f.cite(close_of(t));
    Some(f)
}

/// The `sshd -T -C` line that shows the rules that apply to this user.
pub(super) fn effective_config(ctx: &Ctx, t: &Trace, grep: &str) -> String {
    let s = t.server.as_ref();
    let user = ctx.user.as_deref().map_or_else(|| "USER".into(), user_word);
    let addr = s
        .and_then(|s| s.addr.as_deref())
        .map_or_else(|| "ADDRESS".into(), addr_word);
    format!("sudo sshd -T -C user={user},host={addr},addr={addr} | grep -Ei '{grep}'")
}

fn user_not_allowed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.server_find_last(|k| matches!(k, K::SshdNotAllowed { .. }))?;
    let K::SshdNotAllowed { user, rule, .. } = n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let mut f = Finding::new(
        &USER_NOT_ALLOWED,
        tr!(
            l,
            "sshd does not let {user} in: {rule}. No key or password can change that; the rule must.",
            "sshd は {user} を通しません: {rule}。鍵やパスワードでは変わりません。ルールを変える必要があります。"
        ),
        &[n],
    )
    .steps([
        Step::run(
            tr!(l, "See the rules that apply to this user and address (Match blocks included):", "このユーザーとアドレスに効いているルールを見ます（Match ブロックも含みます）:"),
            effective_config(ctx, t, "^(allow|deny)(users|groups)"),
        ).on_server(),
        Step::run(
            tr!(l, "Find the line that sets it (sshd_config or a file under sshd_config.d):", "それを設定している行を探します（sshd_config か sshd_config.d の中のファイル）:"),
            "sudo grep -rniE '^[[:space:]]*(AllowUsers|DenyUsers|AllowGroups|DenyGroups|Match)' /etc/ssh/sshd_config /etc/ssh/sshd_config.d/",
        ).on_server(),
        Step::say(tr!(l, "Add the user (or one of its groups) to the allow rule, or take it out of the deny rule.", "許可ルールにユーザー（またはそのグループ）を加えるか、拒否ルールから外します。")).on_server(),
        ctx.reload(),
    ]);
    f.cite(close_of(t));
    Some(f)
}

/// Default users of common cloud and device images.
pub(super) const DEFAULT_USERS: &str =
    "ubuntu, ec2-user, admin, debian, centos, rocky, azureuser, opc, pi";

fn invalid_user(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // sshd treats a user its rules refuse (not allowed, locked, no shell)
    // as invalid too: `input_userauth_request: invalid user U` follows
    // the real reason.
    if t.server_find(|k| matches!(k, K::SshdNotAllowed { .. } | K::SshdAccountUnusable { .. }))
        .is_some()
    {
        return None;
    }
    let n = t
        .server_find_last(|k| matches!(k, K::SshdInvalidUser { .. }))
        .or_else(|| t.server_find_last(|k| matches!(k, K::SshdAuth { invalid: true, .. })))?;
    let user = match n.kind() {
        K::SshdInvalidUser { user, .. } | K::SshdAuth { user, .. } if !user.is_empty() => {
            user.to_string()
        }
        // Dropbear does not name it: the client's user, when it is known.
        K::SshdInvalidUser { .. } => ctx.user_or_placeholder(),
        _ => return None,
    };
    let l = ctx.lang;
    let mut f = Finding::new(
        &INVALID_USER,
        tr!(
            l,
            "There is no user \"{user}\" on the server: sshd refuses every key and password for it.",
            "サーバーにユーザー「{user}」はいません。sshd はその名前へのどの鍵もパスワードも拒否します。"
        ),
        &[n],
    )
    .steps([
        Step::run(
            tr!(l, "Check that the user exists:", "ユーザーが存在するか確かめます:"),
            format!("getent passwd {}", user_word(&user)),
        ).on_server(),
        Step::run(
            tr!(
                l,
                "Log in with the right name (cloud and device images use their own: {DEFAULT_USERS}):",
                "正しい名前でログインします（クラウドや機器のイメージには独自の既定ユーザーがあります: {DEFAULT_USERS}）:"
            ),
            format!("ssh {}USER@{}", ctx.port_flag(), ctx.host()),
        ),
    ]);
    f.cite(close_of(t));
    Some(f)
}

fn root_refused(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let mut f = match t.server_find_last(|k| matches!(k, K::SshdRootRefused { .. })) {
        Some(n) => Finding::new(
            &ROOT_REFUSED,
            tr!(
                l,
                "sshd refused a root login (PermitRootLogin): no password for root is accepted, whatever it is.",
                "sshd は root のログインを拒否しました（PermitRootLogin）。root のパスワードは、何であっても受け付けられません。"
            ),
            &[n],
        ),
        // sshd fails a root password silently when PermitRootLogin is not
        // `yes` (auth-passwd.c, auth-pam.c): the log shows only a failed
        // password, right or wrong.
        None => {
            let n = t.server_find_last(|k| {
                matches!(k, K::SshdAuth { result, method, user, .. }
                    if result == "Failed" && user == "root"
                        && (method == "password" || method == "keyboard-interactive/pam"))
            })?;
            Finding::new(
                &ROOT_REFUSED,
                tr!(
                    l,
                    "sshd refused a password for root. Unless PermitRootLogin is yes (the default since OpenSSH 7.0 is prohibit-password), sshd refuses every password for root, even the right one, and logs it only as a failed password; the PermitRootLogin check below tells.",
                    "sshd は root のパスワードを拒否しました。PermitRootLogin が yes でない限り（OpenSSH 7.0 以降の既定は prohibit-password）、sshd は root のパスワードを正しくてもすべて拒否し、失敗したパスワードとしか記録しません。下の PermitRootLogin の確認でわかります。"
                ),
                &[n],
            )
            .confidence(Confidence::Medium)
        }
    };
    f = f.steps([
        Step::run(
            tr!(
                l,
                "Log in as a normal user and use sudo:",
                "一般ユーザーでログインし、sudo を使います:"
            ),
            format!("ssh {}USER@{}", ctx.port_flag(), ctx.host()),
        ),
        Step::run(
            tr!(
                l,
                "See what PermitRootLogin is (prohibit-password lets root in with a key only):",
                "PermitRootLogin の値を見ます（prohibit-password なら root は鍵でだけ入れます）:"
            ),
            effective_config(ctx, t, "^permitrootlogin"),
        )
        .on_server(),
    ]);
    f.cite(close_of(t));
    Some(f)
}

fn key_type_refused(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.server_find_last(|k| matches!(k, K::SshdKeyTypeRefused { .. }))?;
    let K::SshdKeyTypeRefused { algorithm, option } = n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let alg = crate::shell::algorithm(algorithm).unwrap_or("ALGORITHM");
    if option == "CASignatureAlgorithms" {
        return Some(ca_signature_refused(t, ctx, n, algorithm, alg));
    }
    let mut f = Finding::new(
        &KEY_TYPE_REFUSED,
        tr!(
            l,
            "sshd does not accept {algorithm} (not in {option}), so your key was refused before it was even checked against authorized_keys.",
            "sshd は {algorithm} を受け付けません（{option} にない）。そのため鍵は、authorized_keys と照合される前に拒否されました。"
        ),
        &[n],
    )
    .steps([
        Step::run(
            tr!(l, "Make an Ed25519 key (every OpenSSH since 6.5 accepts it):", "Ed25519 の鍵を作ります（OpenSSH 6.5 以降ならどれも受け付けます）:"),
            "ssh-keygen -t ed25519",
        ),
        Step::say(tr!(
            l,
            "Add its .pub line to the server's ~/.ssh/authorized_keys (from a session that still works, or with the server's console). If {algorithm} is ssh-rsa and the key is RSA, a newer client (OpenSSH 7.2+ signs with rsa-sha2-256/512) also works with the same key.",
            "その .pub の行をサーバーの ~/.ssh/authorized_keys に加えます（まだ使えるセッションか、サーバーのコンソールから）。{algorithm} が ssh-rsa で鍵が RSA なら、新しいクライアント（OpenSSH 7.2 以降は rsa-sha2-256/512 で署名する）でも同じ鍵が使えます。"
        )).on_server(),
        Step::run(
            tr!(l, "Or see what the server accepts, and add the algorithm back (weaker; sshd_config or a file under sshd_config.d):", "またはサーバーが受け付けるものを見て、アルゴリズムを戻します（弱くなります。sshd_config か sshd_config.d の中のファイル）:"),
            format!("sudo sshd -T | grep -i pubkeyacceptedalgorithms   # then: PubkeyAcceptedAlgorithms +{alg}"),
        ).on_server(),
    ]);
    f.cite(close_of(t));
    Some(f)
}

/// sshd refusing a user certificate for the algorithm its CA signed it
/// with (CASignatureAlgorithms: no SHA-1 `ssh-rsa` since OpenSSH 8.2).
fn ca_signature_refused(t: &Trace, ctx: &Ctx, n: &Noted, algorithm: &str, alg: &str) -> Finding {
    let l = ctx.lang;
    let mut f = Finding::new(
        &super::auth::CERTIFICATE_REJECTED,
        tr!(
            l,
            "sshd refused your certificate: its CA signed it with {algorithm}, which the server's CASignatureAlgorithms leaves out (OpenSSH 8.2 and later refuse SHA-1 `ssh-rsa`).",
            "sshd はあなたの証明書を拒否しました。CA がそれを {algorithm} で署名しており、サーバーの CASignatureAlgorithms にそれが含まれません（OpenSSH 8.2 以降は SHA-1 の `ssh-rsa` を拒否します）。"
        ),
        &[n],
    )
    .steps([
        Step::say(tr!(
            l,
            "Have the certificate signed again with a SHA-2 algorithm (with an RSA CA key: `ssh-keygen -s CA -t rsa-sha2-512 -I ID -n USER KEY.pub`; Vault: its signing algorithm option).",
            "SHA-2 の方式で証明書を署名し直してもらいます（RSA の CA 鍵なら `ssh-keygen -s CA -t rsa-sha2-512 -I ID -n USER KEY.pub`、Vault なら署名方式の設定）。"
        )),
        Step::run(
            tr!(l, "Or see what the server accepts, and add the algorithm back (weaker; sshd_config or a file under sshd_config.d):", "またはサーバーが受け付けるものを見て、アルゴリズムを戻します（弱くなります。sshd_config か sshd_config.d の中のファイル）:"),
            format!("sudo sshd -T | grep -i casignaturealgorithms   # then: CASignatureAlgorithms +{alg}"),
        ).on_server(),
    ]);
    f.cite(close_of(t));
    f
}

fn account_unusable(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // The server's reason, or PAM's message it relayed to the client.
    let (n, user, why) = match t.server_find_last(|k| matches!(k, K::SshdAccountUnusable { .. })) {
        Some(n) => match n.kind() {
            K::SshdAccountUnusable { user, why } => (n, user.to_string(), why.to_string()),
            _ => return None,
        },
        None => {
            let n = t.find_last(|k| matches!(k, K::AccountRefused { .. }))?;
            let K::AccountRefused { text } = n.kind() else {
                return None;
            };
            let user = ctx.user_or_placeholder();
            (n, user, text.trim_end_matches('.').to_string())
        }
    };
    let l = ctx.lang;
    let u = user_word(&user);
    let fix = if why.contains("shell") {
        Step::run(
            tr!(
                l,
                "Give the user a shell that exists:",
                "存在するシェルをユーザーに設定します:"
            ),
            format!("getent passwd {u}; sudo usermod -s /bin/bash {u}"),
        )
        .on_server()
    } else if why.contains("locked") {
        Step::run(
            tr!(l, "Unlock the account (or, for a key-only account, set its password field to '*'):", "アカウントのロックを外します（鍵だけのアカウントなら、パスワード欄を '*' にします）:"),
            format!("sudo passwd -S {u}; sudo usermod -U {u}   # key only: sudo usermod -p '*' {u}"),
        ).on_server()
    } else if why.contains("expired") {
        Step::run(
            tr!(
                l,
                "See and remove the expiry date:",
                "有効期限を見て、外します:"
            ),
            format!("sudo chage -l {u}; sudo chage -E -1 {u}"),
        )
        .on_server()
    } else {
        Step::run(
            tr!(
                l,
                "See whether a nologin file blocks logins (it is removed when booting ends):",
                "nologin ファイルがログインを止めていないか見ます（起動が終わると消えます）:"
            ),
            "ls -l /etc/nologin /run/nologin",
        )
        .on_server()
    };
    // The boot's /run/nologin left behind (systemd-user-sessions did not
    // run to its end) blocks every account but root's.
    let stale = why.contains("Unprivileged users").then(|| {
        Step::run(
            tr!(l, "If the server finished booting long ago, the file was left behind: log in as root (or at the console) and remove it:", "サーバーの起動がとうに終わっているなら、ファイルが残っています。root で（またはコンソールで）ログインして消します:"),
            "sudo rm /run/nologin",
        )
        .on_server()
    });
    let mut f = Finding::new(
        &ACCOUNT_UNUSABLE,
        tr!(
            l,
            "sshd does not let {user} log in: {why}.",
            "sshd は {user} のログインを許しません: {why}。"
        ),
        &[n],
    )
    .steps([fix])
    .steps(stale);
    f.cite(close_of(t));
    Some(f)
}

/// Whether a line sent before the banner is sshd's notice that it drops
/// the connection: OpenSSH 8.2 to 9.7 name the limit (`Exceeded
/// MaxStartups`, `Exceeded PerSourceMaxStartups`); 9.8 and later say `Not
/// allowed at this time` for the limit and for a `PerSourcePenalties` ban
/// alike.
pub(super) fn drop_notice(text: &str) -> bool {
    text.contains("MaxStartups") || text.trim_end() == "Not allowed at this time"
}

/// The last drop notice, and whether it names the limit.
fn dropped_notice(t: &Trace) -> Option<(&Noted, bool)> {
    let n = t.find_last(|k| matches!(k, K::BannerLine { text, .. } if drop_notice(text)))?;
    let named = matches!(n.kind(), K::BannerLine { text, .. } if text.contains("MaxStartups"));
    Some((n, named))
}

fn max_startups(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let logged = t.server_find_last(|k| {
        matches!(k, K::SshdDropped { reason, .. } if reason.to_ascii_lowercase().contains("maxstartups"))
    });
    let (n, named) = match logged {
        Some(n) => (n, true),
        None => dropped_notice(t)?,
    };
    let summary = if logged.is_some() {
        tr!(
            l,
            "sshd dropped the connection before its banner: too many connections were waiting to log in (MaxStartups).",
            "認証待ちの接続が多すぎたため（MaxStartups）、sshd はバナーの前に接続を切りました。"
        )
    } else if named {
        tr!(
            l,
            "{} sent \"Exceeded MaxStartups\" and closed: too many connections were waiting to log in.",
            "{} は「Exceeded MaxStartups」と送って接続を切りました。認証待ちの接続が多すぎます。",
            ctx.host()
        )
    } else {
        tr!(
            l,
            "{} sent \"Not allowed at this time\" and closed: sshd (9.8 or later) is at its MaxStartups limit, or it penalises your address for earlier failed logins (PerSourcePenalties).",
            "{} は「Not allowed at this time」と送って接続を切りました。sshd（9.8 以降）が MaxStartups の上限に達しているか、以前の失敗したログインのためにあなたのアドレスを一時的に締め出しています（PerSourcePenalties）。",
            ctx.host()
        )
    };
    let mut f = Finding::new(&MAX_STARTUPS, summary, &[n]);
    if !named {
        // sshd's words fit two causes: the server's log tells them apart.
        f = f.confidence(Confidence::Medium);
    }
    Some(
        f.steps([
            Step::run(
                tr!(l, "See the limit and who holds the waiting connections:", "上限と、待っている接続の相手を見ます:"),
                "sudo sshd -T | grep -i maxstartups; sudo ss -tn state established '( sport = :22 )'",
            ).on_server(),
            Step::say(tr!(l, "Open fewer connections at once (Ansible forks, parallel CI jobs; ControlMaster reuses one), or raise the limit in sshd_config (e.g. MaxStartups 50:30:100) and block scanners (fail2ban).", "同時に開く接続を減らす（Ansible の forks、並列 CI ジョブ。ControlMaster なら一つを使い回せます）か、sshd_config で上限を上げ（例: MaxStartups 50:30:100）、スキャナーを遮断します（fail2ban）。")),
            ctx.reload(),
        ])
        .steps((!named).then(|| {
            Step::run(
                tr!(l, "If sshd penalises your address instead (its log says `drop connection ... penalty`), see the penalty settings; the ban ends by itself after a while:", "代わりに sshd があなたのアドレスを締め出している（ログに `drop connection ... penalty` とある）なら、その設定を見ます。締め出しはしばらくすると自然に解けます:"),
                "sudo sshd -T | grep -i persourcepenalt",
            )
            .on_server()
        })),
    )
}

fn sshd_failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // sshd's own reason, before systemd's report that the unit failed.
    let own = |k: &K<'static>| {
        matches!(k, K::SshdStartFailed { text }
            if !text.contains(".service") && !text.starts_with("Failed to start"))
    };
    let n = t
        .server_find_last(own)
        .or_else(|| t.server_find_last(|k| matches!(k, K::SshdStartFailed { .. })))?;
    let K::SshdStartFailed { text } = n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let mut steps = vec![Step::run(
        tr!(
            l,
            "Check the configuration (it names a bad line):",
            "設定を確かめます（誤った行が示されます）:"
        ),
        "sudo sshd -t",
    )
    .on_server()
    .on_server()];
    if text.contains("hostkeys") || text.contains("host key") {
        steps.push(
            Step::run(
                tr!(
                    l,
                    "Create the missing host keys:",
                    "足りないホスト鍵を作ります:"
                ),
                "sudo ssh-keygen -A",
            )
            .on_server(),
        );
    } else if text.contains("Bind to port") || text.contains("bind any address") {
        steps.push(Step::run(
            tr!(l, "See what holds the port (or whether ListenAddress names an address this machine does not have):", "ポートを使っているものを見ます（または ListenAddress がこのマシンにないアドレスを指していないか）:"),
            "sudo ss -ltnp | grep -w ':22'",
        ).on_server());
    } else if text.contains("privilege separation directory") {
        steps.push(
            Step::run(
                tr!(
                    l,
                    "Create sshd's privilege separation directory:",
                    "sshd の特権分離用ディレクトリを作ります:"
                ),
                "sudo mkdir -p /run/sshd && sudo chmod 0755 /run/sshd",
            )
            .on_server(),
        );
    }
    steps.push(
        Step::run(
            tr!(
                l,
                "Start it and read why it stops{}:",
                "起動し、止まる理由を読みます{}:",
                ctx.server.reload_note(l)
            ),
            ctx.server.restart(),
        )
        .on_server(),
    );
    Some(
        Finding::new(
            &SSHD_FAILED,
            tr!(
                l,
                "sshd is not running: it could not start (\"{text}\"), so nothing answers on its port.",
                "sshd が動いていません。起動できなかったため（「{text}」）、そのポートで応答するものがありません。"
            ),
            &[n],
        )
        .steps(steps),
    )
}

fn banned(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.server_find_last(|k| {
        matches!(k, K::SshdBanned { .. })
            || matches!(k, K::SshdDropped { reason, .. } if reason.starts_with("penalty"))
    })?;
    let l = ctx.lang;
    let (addr, by) = match n.kind() {
        K::SshdBanned { addr, by } => (addr.to_string(), by.to_string()),
        K::SshdDropped { addr, .. } => (
            addr.as_deref().unwrap_or("").to_string(),
            "sshd PerSourcePenalties".to_string(),
        ),
        _ => return None,
    };
    let a = addr_word(&addr);
    let unban = match by.as_str() {
        "fail2ban" => Step::run(
            tr!(l, "Lift the ban:", "（別のアドレスかコンソールから）遮断を解きます:"),
            format!("sudo fail2ban-client status sshd; sudo fail2ban-client set sshd unbanip {a}"),
        ).on_server(),
        "CrowdSec" => Step::run(
            tr!(l, "Lift the ban:", "遮断を解きます:"),
            format!("sudo cscli decisions delete --ip {a}"),
        ).on_server(),
        "TCP wrappers" => Step::say(tr!(l, "See /etc/hosts.deny and /etc/hosts.allow: an entry for sshd denies {addr}.", "サーバーの /etc/hosts.deny と /etc/hosts.allow を見ます。sshd の項目が {addr} を拒否しています。")).on_server(),
        "sshguard" => Step::say(tr!(l, "sshguard lifts its block after the block time (longer for repeat offenders); to never block an address, add it to sshguard's whitelist (/etc/sshguard/whitelist).", "sshguard は遮断時間が過ぎると遮断を解きます（繰り返すと長くなります）。遮断しないアドレスは sshguard のホワイトリスト（/etc/sshguard/whitelist）に加えます。")).on_server(),
        _ => Step::run(
            tr!(l, "sshd (9.8+) penalises addresses whose connections fail; wait for the penalty to end, or exempt trusted addresses in sshd_config:", "sshd（9.8 以降）は、接続が失敗するアドレスにペナルティを科します。ペナルティが終わるのを待つか、信頼できるアドレスを sshd_config で除外します:"),
            format!("sudo sshd -T | grep -i persourcepenalt   # then: PerSourcePenaltyExemptList {a}"),
        ).on_server(),
    };
    Some(
        Finding::new(
            &BANNED,
            tr!(
                l,
                "The address {addr} is banned ({by}), so the server does not let it connect.",
                "アドレス {addr} は遮断されています（{by}）。そのためサーバーは接続させません。"
            ),
            &[n],
        )
        .steps([
            unban,
            Step::say(tr!(l, "Then stop what triggered it: a script retrying a wrong password, or many keys offered on each connection (use IdentitiesOnly yes with the one key).", "次に、原因になった動きを止めます。間違ったパスワードで再試行するスクリプトや、接続ごとに多くの鍵を出すこと（使う鍵一つと IdentitiesOnly yes にします）です。")),
        ]),
    )
}

/// What a server's log shows of client-side causes, when it is read
/// alone: the cause the server's words point to, at medium confidence (a
/// refusal, not why the client's side made it) or low (a close only).
pub fn outcomes(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if t.has_client_output() {
        return None;
    }
    let l = ctx.lang;
    let last = t.server_find_last(|k| {
        matches!(
            k,
            K::SshdAuth { .. }
                | K::SshdMaxAuthTries { .. }
                | K::SshdNegotiate { .. }
                | K::SshdBadBanner { .. }
                | K::SshdClosed { .. }
                | K::SshdForwardRefused { .. }
        )
    })?;
    let forward = super::forward::refused_by_server(t);
    let accepted =
        t.server_find_last(|k| matches!(k, K::SshdAuth { result, .. } if result == "Accepted"));
    let session_failed = accepted.and_then(|a| {
        t.server_find_last(|k| matches!(k, K::SshdSessionFailed { .. }))
            .filter(|n| n.line() > a.line())
    });
    let (id, summary, confidence) = match (forward, accepted, last.kind()) {
        (Some((_, port)), _, _) => (
            "forward.remote-failed",
            tr!(l, "The server could not listen on port {port} for a remote forward (-R): the port is taken there, or forwarding is not allowed.", "サーバーはリモート転送（-R）のためにポート {port} で待ち受けられませんでした。そのポートが使用中か、転送が許されていません。"),
            Confidence::Medium,
        ),
        (_, Some(_), _) if session_failed.is_some() => {
            let text = match session_failed.map(|n| n.kind()) {
                Some(K::SshdSessionFailed { text }) => text.to_string(),
                _ => String::new(),
            };
            let sftp = text.contains("subsystem request for sftp");
            (
                if sftp { "session.sftp-unavailable" } else { "session.closed-after-auth" },
                tr!(l, "The login succeeded, then sshd could not set up the session (\"{text}\") and closed it.", "ログインは成功しましたが、その後 sshd はセッションを用意できず（「{text}」）、閉じました。"),
                Confidence::Medium,
            )
        }
        (_, Some(_), _) => (
            "ok.connected",
            tr!(l, "The server logged a successful login.", "サーバーはログインの成功を記録しています。"),
            Confidence::Medium,
        ),
        (_, _, K::SshdMaxAuthTries { .. }) => (
            "auth.too-many-failures",
            tr!(l, "The server cut the client off after too many failed authentication attempts (MaxAuthTries): usually many keys offered one after another.", "認証の失敗が多すぎたため（MaxAuthTries）、サーバーはクライアントを切りました。たいていは、鍵を次々に出したためです。"),
            Confidence::Medium,
        ),
        (_, _, K::SshdNegotiate { what, .. }) => {
            let id = if what.contains("key exchange") {
                "kex.no-common-kex"
            } else if what.contains("host key") {
                "kex.no-common-hostkey"
            } else if what.contains("cipher") {
                "kex.no-common-cipher"
            } else {
                "kex.no-common-mac"
            };
            (
                id,
                tr!(l, "The server found no {what} in common with the client.", "サーバーはクライアントと共通の {what} を見つけられませんでした。"),
                Confidence::Medium,
            )
        }
        (_, _, K::SshdBadBanner { .. }) => (
            "banner.not-ssh",
            tr!(l, "Something that does not speak SSH connected to the server (a browser, a scanner, a client aimed at the wrong port).", "SSH を話さないもの（ブラウザー、スキャナー、違うポートに向けたクライアント）がサーバーに接続しました。"),
            Confidence::Medium,
        ),
        _ => {
            let failed = t.server_find_last(|k| matches!(k, K::SshdAuth { result, .. } if result == "Failed"));
            match failed.map(|n| n.kind()) {
                Some(K::SshdAuth { method, .. }) if method == "publickey" => (
                    "auth.key-rejected",
                    tr!(l, "The server refused the key the client offered: it is not in the user's authorized_keys.", "サーバーはクライアントが出した鍵を拒否しました。ユーザーの authorized_keys にありません。"),
                    Confidence::Medium,
                ),
                Some(K::SshdAuth { method, .. }) if method != "none" => (
                    "auth.password-rejected",
                    tr!(l, "The server refused the password.", "サーバーはパスワードを拒否しました。"),
                    Confidence::Medium,
                ),
                _ if matches!(last.kind(), K::SshdClosed { user: Some(_), .. }) => (
                    "auth.key-rejected",
                    tr!(l, "The client gave up while logging in: the server refused what it offered (its keys, most often), or the person cancelled. At the default LogLevel the server does not say which; LogLevel VERBOSE shows each key.", "クライアントはログインの途中であきらめました。サーバーが出されたもの（たいていは鍵）を拒否したか、人が取り消しました。既定の LogLevel ではサーバーはどちらか記録しません。LogLevel VERBOSE なら鍵ごとに記録されます。"),
                    Confidence::Low,
                ),
                _ => return None,
            }
        }
    };
    let c = cause(id)?;
    let head = session_failed.or(forward.map(|(n, _)| n)).unwrap_or(last);
    let mut f = Finding::new(c, summary, &[head]).confidence(confidence);
    f.cite(t.server_find_last(|k| matches!(k, K::SshdAuth { .. })));
    if let Some((_, port)) = forward {
        f = f.steps(super::forward::remote_steps(l, &port.to_string()));
    }
    if id == "auth.key-rejected" {
        f = f.steps([
            Step::say(tr!(l, "Compare the fingerprint in the server's line with your key's (`ssh-keygen -lf ~/.ssh/id_ed25519.pub`); add the right .pub line to the user's ~/.ssh/authorized_keys on the server.", "サーバーの行の指紋を自分の鍵のもの（`ssh-keygen -lf ~/.ssh/id_ed25519.pub`）と比べ、正しい .pub の行をサーバーのユーザーの ~/.ssh/authorized_keys に加えます。")),
            Step::run(tr!(l, "For the client's side, run it with -v and give both to sshexplain:", "クライアント側は -v で実行し、両方を sshexplain に渡します:"), format!("ssh -v {}{} exit 2> client.log; sshexplain --server server.log client.log", ctx.port_flag(), ctx.target())),
        ]);
    }
    Some(f)
}

/// Server lines that back a client-side finding: the server's refusal or
/// close of the same connection.
pub fn corroborate(f: &mut Finding, t: &Trace) {
    if t.server.is_none() {
        return;
    }
    // A cause the server named: the client's last word is the symptom.
    if CAUSES.iter().any(|c| c.id == f.cause.id) {
        f.cite(t.last_significant());
        return;
    }
    if !f.cause.id.starts_with("auth.") {
        return;
    }
    let lines: Vec<&Noted> = t
        .server_events()
        .iter()
        .filter(|n| {
            matches!(
                n.kind(),
                K::SshdAuth { .. } | K::SshdClosed { .. } | K::SshdMaxAuthTries { .. }
            )
        })
        .rev()
        .take(3)
        .collect();
    f.cite(lines);
}

/// Client-side causes whose reason only the server's log holds.
const SERVER_SETTLES: &[&str] = &[
    "auth.key-rejected",
    "auth.password-rejected",
    "auth.failed",
    "banner.closed",
    "banner.reset",
    "connect.refused",
];

/// For a client-side finding only the server can settle, the step that
/// gets the server's lines of this attempt and joins them to it.
pub fn ask_for_log(f: &mut Finding, t: &Trace, ctx: &Ctx) {
    if t.server.is_some() || !SERVER_SETTLES.contains(&f.cause.id) {
        return;
    }
    // Refused: sshd may not have run for a while; its failure to start is
    // in this boot's log.
    let since = if f.cause.id == "connect.refused" {
        "-b"
    } else {
        "10 min ago"
    };
    let Some(save) = ctx.server.save_log(since) else {
        return;
    };
    let l = ctx.lang;
    f.steps.push(
        Step::run(
            tr!(
                l,
                "Save its log (without journald: /var/log/auth.log, or /var/log/secure on RHEL-family systems):",
                "そのログを保存します（journald がなければ /var/log/auth.log、RHEL 系では /var/log/secure）:"
            ),
            save,
        )
        .on_server(),
    );
    f.steps.push(Step::say(tr!(
        l,
        "Copy server.log here and run `sshexplain --server server.log client.log` (client.log: this output): the report then names the server's reason, citing both sides.",
        "server.log をこちらにコピーし、`sshexplain --server server.log client.log` を実行します（client.log はこの出力）。サーバーの理由が、両側の行を引用して示されます。"
    )));
}

#[cfg(test)]
mod tests {
    use crate::Confidence;

    fn primary(text: &str) -> (&'static str, Confidence) {
        let d = crate::diagnose(text);
        (d.primary.cause.id, d.primary.confidence)
    }

    #[test]
    fn the_client_sees_sshds_drop_notice() {
        // sshd 8.2 to 9.7 name the limit: its own words, high.
        assert_eq!(
            primary("kex_exchange_identification: banner line 0: Exceeded MaxStartups\r\nkex_exchange_identification: Connection closed by remote host\r\n"),
            ("banner.max-startups", Confidence::High)
        );
        // 9.8 and later say the same for a PerSourcePenalties ban: medium.
        assert_eq!(
            primary("kex_exchange_identification: banner line 0: Not allowed at this time\r\nkex_exchange_identification: Connection closed by remote host\r\n"),
            ("banner.max-startups", Confidence::Medium)
        );
    }

    #[test]
    fn a_forward_the_server_could_not_listen_for() {
        // sshd's journal alone (`journalctl -o cat`): the level word marks
        // the shared message as the server's.
        let server = "error: bind: Address already in use\nerror: channel_setup_fwd_listener: cannot listen to port: 52698\n";
        assert_eq!(
            primary(server),
            ("forward.remote-failed", Confidence::Medium)
        );
        // ssh's own lines, same words without the level: a local forward.
        assert_eq!(
            primary("bind [127.0.0.1]:8080: Address already in use\nchannel_setup_fwd_listener_tcpip: cannot listen to port: 8080\nCould not request local forwarding.\n").0,
            "forward.bind-failed"
        );
        // The client's warning without a port takes it from the server's line.
        let d = crate::diagnose(&format!(
            "Warning: remote port forwarding failed for listen port\n{server}"
        ));
        assert_eq!(d.primary.cause.id, "forward.remote-failed");
        assert!(d.primary.summary.contains("52698"), "{}", d.primary.summary);
    }

    #[test]
    fn windows_sshd_refusing_an_authorized_keys_file() {
        // Win32-OpenSSH's sshd log: its StrictModes, with icacls steps on the server.
        let log = "Bad permissions. Try removing permissions for user: NT SERVICE\\sshd (S-1-5-80-1) on file C:/ProgramData/ssh/administrators_authorized_keys.\nAuthentication refused.\n";
        let d = crate::diagnose(log);
        assert_eq!(d.primary.cause.id, "auth.strict-modes");
        let cmds: Vec<&str> = d
            .primary
            .steps
            .iter()
            .filter_map(|s| s.command.as_deref())
            .collect();
        assert!(
            cmds.iter()
                .any(|c| c.contains("/grant:r \"Administrators:(F)\"")),
            "{cmds:?}"
        );
        assert!(
            cmds.iter()
                .any(|c| c.ends_with("/remove 'NT SERVICE\\sshd'")),
            "{cmds:?}"
        );
        // An account Windows cannot name is removed by its SID, as on the client.
        let d = crate::diagnose(&log.replace(
            "NT SERVICE\\sshd (S-1-5-80-1)",
            "UNKNOWN\\UNKNOWN (S-1-5-21-7-1001)",
        ));
        assert!(
            d.primary
                .steps
                .iter()
                .filter_map(|s| s.command.as_deref())
                .any(|c| c.ends_with("/remove '*S-1-5-21-7-1001'")),
            "{:?}",
            d.primary.steps
        );
        // The same words about a private key are ssh's own: the key is ignored.
        let client = "Bad permissions. Try removing permissions for user: BUILTIN\\Users (S-1-5-32-545) on file C:/Users/bob/.ssh/id_ed25519.\n";
        assert_eq!(
            crate::diagnose(client).primary.cause.id,
            "auth.key-unprotected"
        );
    }

    #[test]
    fn a_certificate_signed_with_sha1_rsa() {
        let log = "sshd[77]: userauth_pubkey: certificate signature algorithm ssh-rsa: signature algorithm not supported [preauth]\n";
        let d = crate::diagnose(log);
        assert_eq!(d.primary.cause.id, "auth.certificate-rejected");
        assert!(d.primary.steps.iter().any(|s| s
            .command
            .as_deref()
            .is_some_and(|c| c.ends_with("CASignatureAlgorithms +ssh-rsa"))));
        // The key's own type left out is another cause.
        let log = "sshd[77]: userauth_pubkey: key type ssh-rsa not in PubkeyAcceptedAlgorithms [preauth]\n";
        assert_eq!(
            crate::diagnose(log).primary.cause.id,
            "auth.key-type-refused"
        );
    }
}
