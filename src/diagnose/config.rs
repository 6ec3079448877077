//! Causes in the client's own configuration and command line.

use super::context::{path_arg, refusal, Value};
use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::grammar::primitives::unvis;
use crate::lang::Lang;
use crate::tr;
use crate::trace::Trace;

causes! {
    /// ssh stopped before connecting because an option in a config file or on
    /// the command line is not one it knows: a typo, or an option that is
    /// newer (or older) than this client.
    ///
    /// ## Why it happens
    /// - A misspelled keyword (`IdentitiyFile`, `StrictHostkeyCheking`).
    /// - A config copied from a machine with a newer OpenSSH (`ObscureKeystrokeTiming`
    ///   needs 9.5, `RequiredRSASize` 9.1, `EnableEscapeCommandline` 9.2) or a macOS-only
    ///   option (`UseKeychain`) on Linux.
    ///
    /// ## How to fix
    /// Correct the keyword at the line ssh names. For options that only some of your
    /// clients know, put `IgnoreUnknown OPTION` above them in `~/.ssh/config`.
    ///
    /// ## Evidence
    /// `/home/u/.ssh/config: line 2: Bad configuration option: identitiyfile`,
    /// `/home/u/.ssh/config: terminating, 1 bad configuration options`
    #[ja("ssh の設定に知らないオプションがある", r#"
        設定ファイルかコマンドラインに ssh の知らないオプションがあるため、接続の前に
        止まりました。打ち間違いか、このクライアントより新しい（または古い）オプションです。

        ## なぜ起きるか
        - キーワードの綴り間違い（`IdentitiyFile`、`StrictHostkeyCheking`）。
        - 新しい OpenSSH のマシンから写した設定（`ObscureKeystrokeTiming` は 9.5、
          `RequiredRSASize` は 9.1、`EnableEscapeCommandline` は 9.2 から）や、Linux 上の
          macOS 専用オプション（`UseKeychain`）。

        ## 直し方
        ssh が示した行のキーワードを直します。一部のクライアントしか知らないオプションは、
        `~/.ssh/config` のその上に `IgnoreUnknown OPTION` を書きます。
    "#)]
    BAD_OPTION = "config.bad-option", Error, 96, "Unknown option in the ssh configuration", bad_option;

    /// ssh refuses to read your config file because other users could write to
    /// it: someone could redirect your connections, so ssh stops.
    ///
    /// ## Why it happens
    /// `~/.ssh/config` (or a file it includes) is group- or world-writable, or owned
    /// by another user (often after copying it with `sudo` or from Windows).
    ///
    /// ## How to fix
    /// `chmod 600 ~/.ssh/config` and `chown $USER ~/.ssh/config`; on Windows remove the
    /// extra accounts from the file's ACL with `icacls`.
    ///
    /// ## Evidence
    /// `Bad owner or permissions on /home/u/.ssh/config`
    #[ja("設定ファイルのパーミッションが危険", r#"
        ほかのユーザーが書き込めるため、ssh は設定ファイルの読み込みを拒みました。
        誰かに接続先をすり替えられるおそれがあるので、ssh は止まります。

        ## なぜ起きるか
        `~/.ssh/config`（またはそれが読み込むファイル）がグループや全員から書き込み可能、
        または別のユーザーの所有です（`sudo` で写したときや Windows から写したときによく
        起きます）。

        ## 直し方
        `chmod 600 ~/.ssh/config` と `chown $USER ~/.ssh/config` を実行します。Windows では
        `icacls` でファイルの ACL から余分なアカウントを外します。
    "#)]
    BAD_PERMISSIONS = "config.bad-permissions", Error, 97, "Config file has unsafe permissions", bad_permissions;

    /// The key file named with `-i` or `IdentityFile` does not exist, so ssh
    /// could not use it.
    ///
    /// ## Why it happens
    /// A typo in the path, the key was never copied to this machine, it was saved
    /// under another name, or `~` was quoted so it did not expand.
    ///
    /// ## How to fix
    /// Check the path with `ls -l`, copy or generate the key, or fix the path.
    ///
    /// ## Evidence
    /// `no such identity: /home/u/.ssh/deploy_key: No such file or directory`,
    /// `Warning: Identity file /home/u/.ssh/k not accessible: No such file or directory.`
    #[ja("指定した鍵ファイルが存在しない", r#"
        `-i` や `IdentityFile` で指定した鍵ファイルが存在しないため、ssh はそれを使えません
        でした。

        ## なぜ起きるか
        パスの打ち間違い、鍵をこのマシンに写していない、別の名前で保存した、`~` を引用符で
        囲んだため展開されなかった、などです。

        ## 直し方
        `ls -l` でパスを確かめ、鍵を写すか作るか、パスを直します。
    "#)]
    IDENTITY_MISSING = "config.identity-missing", Error, 72, "The key file you named does not exist", identity_missing;

    /// ssh rejected a value on its command line before doing anything: a port
    /// that is not a number, a forwarding specification it cannot read.
    ///
    /// ## Why it happens
    /// A typo (`-p 22o1`), a missing part (`-L 5432` instead of
    /// `-L 5432:127.0.0.1:5432`), or a wrapper tool building the command wrongly.
    /// rsync's `-e ssh -p 22 -i KEY` unquoted is the same mistake one level up:
    /// rsync keeps `-p` and `-i` as its own options and ssh never sees them.
    ///
    /// ## How to fix
    /// Correct the value; `man ssh` shows each option's format.
    ///
    /// ## Evidence
    /// `Bad port '22o1'`, `Bad local forwarding specification '5432'`
    #[ja("ssh のコマンドラインの値が不正", r#"
        ssh は何かをする前に、コマンドラインの値を拒否しました。数字でないポート番号や、
        読み取れない転送指定などです。

        ## なぜ起きるか
        打ち間違い（`-p 22o1`）、指定の一部が欠けている（`-L 5432:127.0.0.1:5432` の
        つもりで `-L 5432`）、ラッパーツールがコマンドを誤って組み立てた、などです。
        rsync の `-e ssh -p 22 -i KEY` を引用符なしで書くのも同じ誤りです。`-p` と `-i` は
        rsync 自身のオプションになり、ssh には渡りません。

        ## 直し方
        値を直します。各オプションの書式は `man ssh` にあります。
    "#)]
    BAD_ARGUMENT = "config.bad-argument", Error, 98, "Invalid value on the ssh command line", bad_argument;
}

/// Options added in recent OpenSSH releases, with the first version that has them.
const NEW_OPTIONS: [(&str, &str); 12] = [
    ("obscurekeystroketiming", "9.5"),
    ("channeltimeout", "9.2"),
    ("enableescapecommandline", "9.2"),
    ("requiredrsasize", "9.1"),
    ("pubkeyacceptedalgorithms", "8.5"),
    ("permitremoteopen", "8.7"),
    ("sessiontype", "8.7"),
    ("stdinnull", "8.7"),
    ("forkafterauthentication", "8.7"),
    ("tag", "9.8"),
    ("refuseconnection", "10.0"),
    ("warnweakcrypto", "10.1"),
];

/// Common keywords, for "did you mean" suggestions.
pub(super) const KNOWN: [&str; 40] = [
    "Host",
    "Match",
    "HostName",
    "User",
    "Port",
    "IdentityFile",
    "IdentitiesOnly",
    "ProxyJump",
    "ProxyCommand",
    "ForwardAgent",
    "LocalForward",
    "RemoteForward",
    "DynamicForward",
    "StrictHostKeyChecking",
    "UserKnownHostsFile",
    "ServerAliveInterval",
    "ServerAliveCountMax",
    "ConnectTimeout",
    "ControlMaster",
    "ControlPath",
    "ControlPersist",
    "PreferredAuthentications",
    "PubkeyAuthentication",
    "PasswordAuthentication",
    "KexAlgorithms",
    "HostKeyAlgorithms",
    "PubkeyAcceptedAlgorithms",
    "Ciphers",
    "MACs",
    "AddKeysToAgent",
    "UseKeychain",
    "IgnoreUnknown",
    "LogLevel",
    "Compression",
    "RequestTTY",
    "SendEnv",
    "SetEnv",
    "HashKnownHosts",
    "CertificateFile",
    "GSSAPIAuthentication",
];

/// Levenshtein distance between two short strings ("did you mean").
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The known keyword closest to `option`, if it is close.
fn suggestion(option: &str) -> Option<&'static str> {
    let lower = option.to_ascii_lowercase();
    KNOWN
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d > 0 && *d <= 3)
        .min()
        .map(|(_, k)| k)
}

fn bad_option(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let bad = t.find(|k| matches!(k, K::BadOption { .. }))?;
    let K::BadOption {
        path,
        line_no,
        option,
        unsupported,
    } = bad.kind()
    else {
        return None;
    };
    let terminating = t.find(|k| matches!(k, K::ConfigTerminating { .. }));
    let fatal =
        terminating.is_some() || (!*unsupported && t.phase <= Some(crate::trace::Phase::Config));
    let lower = option.to_ascii_lowercase();
    let newer = NEW_OPTIONS.iter().find(|(o, _)| *o == lower);
    let version = t
        .client_version()
        .map(|v| v.value.clone())
        .unwrap_or_else(|| l.pick("this client", "このクライアント").into());
    let where_ = if path.as_ref() == "command-line" {
        tr!(l, "on the command line (-o)", "コマンドライン（-o）")
    } else {
        tr!(
            l,
            "in {} line {line_no}",
            "{} の {line_no} 行目",
            unvis(path)
        )
    };
    let summary = match (newer, fatal) {
        (Some((_, since)), true) => tr!(l, "`{option}` {where_} is an option of OpenSSH {since} and later; {version} does not know it, so ssh stopped.", "{where_}の `{option}` は OpenSSH {since} 以降のオプションで、{version} は知らないため、ssh は止まりました。"),
        (Some((_, since)), false) => tr!(l, "`{option}` {where_} is an option of OpenSSH {since} and later; {version} does not know it.", "{where_}の `{option}` は OpenSSH {since} 以降のオプションで、{version} は知りません。"),
        (None, true) => tr!(l, "ssh does not know the option `{option}` {where_} and stopped before connecting.", "ssh は{where_}のオプション `{option}` を知らないため、接続の前に止まりました。"),
        (None, false) => tr!(l, "ssh does not know the option `{option}` {where_}.", "ssh は{where_}のオプション `{option}` を知りません。"),
    };
    let mut steps = Vec::new();
    if let Some(s) = suggestion(option) {
        steps.push(Step::say(tr!(
            l,
            "Did you mean `{s}`? Correct the keyword {where_}.",
            "`{s}` の間違いではありませんか？ {where_}のキーワードを直します。"
        )));
    } else {
        steps.push(Step::say(tr!(
            l,
            "Correct or remove `{option}` {where_}.",
            "{where_}の `{option}` を直すか消します。"
        )));
    }
    if path.as_ref() != "command-line" {
        // sshd's own configuration is read on the server, in its shell.
        let server = path.contains("sshd_config");
        let (p, refused) = if server {
            path_arg(&unvis(path), l)
        } else {
            ctx.client_path_arg(&unvis(path))
        };
        steps.extend(refused);
        let look = Step::run(
            tr!(l, "Look at the line:", "その行を見ます:"),
            if ctx.windows() && !server {
                format!("(Get-Content {p})[{}]", line_no.saturating_sub(1))
            } else {
                format!("sed -n '{line_no}p' {p}")
            },
        );
        steps.push(if server { look.on_server() } else { look });
    }
    if newer.is_some() || lower == "usekeychain" {
        steps.push(Step::say(tr!(
            l,
            "If the same config is used by newer clients too, keep the option and tell older ones to skip it: add `IgnoreUnknown {option}` above it (inside the same Host block or at the top of the file).",
            "同じ設定を新しいクライアントでも使うなら、オプションは残し、古いクライアントには読み飛ばさせます。その上（同じ Host ブロックの中かファイルの先頭）に `IgnoreUnknown {option}` を書き足します。"
        )));
    }
    let mut f = Finding::new(&BAD_OPTION, summary, &[bad])
        .failing(fatal)
        .steps(steps);
    f.cite(t.all(|k| matches!(k, K::BadOption { .. })).take(5));
    f.cite(terminating);
    Some(f)
}

/// Whether a path names an ssh config file, not a key (`~/.ssh/config`,
/// `C:\ProgramData\ssh\ssh_config`, an Include'd `*.conf`).
pub(super) fn is_config_file(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name == "config" || name == "ssh_config" || name.ends_with(".conf") || name.ends_with(".config")
}

fn bad_permissions(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // `Bad owner or permissions on P`, or Windows' own line about the
    // config file alone (the other may be cut off the paste).
    let n = t
        .find(|k| matches!(k, K::BadConfigPermissions { .. }))
        .or_else(|| {
            t.find(|k| matches!(k, K::WindowsBadPermissions { path, .. } if is_config_file(path)))
        })?;
    let path = match n.kind() {
        K::BadConfigPermissions { path } | K::WindowsBadPermissions { path, .. } => {
            unvis(path).into_owned()
        }
        _ => return None,
    };
    let win = t.find(|k| matches!(k, K::WindowsBadPermissions { .. }));
    let l = ctx.lang;
    let mut steps = Vec::new();
    if ctx.windows() || win.is_some() {
        steps.extend(windows_acl_steps(&path, win.map(|n| n.kind()), l));
    } else {
        let (p, refused) = path_arg(&path, l);
        steps.extend(refused);
        steps.push(Step::run(
            tr!(
                l,
                "Make the file yours and private:",
                "ファイルを自分の所有にし、自分だけが読み書きできるようにします:"
            ),
            format!("chmod 600 {p} && chown \"$USER\" {p}"),
        ));
        steps.push(Step::run(
            tr!(l, "Check the directory too:", "ディレクトリも確かめます:"),
            "chmod 700 ~/.ssh && ls -ld ~/.ssh ~/.ssh/config",
        ));
    }
    let mut f = Finding::new(
        &BAD_PERMISSIONS,
        tr!(l, "ssh will not read {path} because other users can write to it (or it is not owned by you).", "{path} はほかのユーザーが書き込める（またはあなたの所有ではない）ため、ssh は読み込みません。"),
        &[n],
    )
    .steps(steps);
    f.cite(win);
    Some(f)
}

/// A Windows path as Win32-OpenSSH writes it (`C:/Users/...`) with
/// backslashes, quoted for PowerShell; `None` when it is no safe path.
pub fn powershell_path(path: &str) -> Option<String> {
    crate::shell::path(&path.replace('/', "\\")).map(crate::shell::ps)
}

/// The account a Win32-OpenSSH permissions line named, as icacls takes
/// it: one Windows cannot name (a deleted user: `UNKNOWN\UNKNOWN`) by its
/// SID (`*S-1-...`); `None` when it is empty or not printable.
pub fn acl_account(account: &str, sid: &str) -> Option<String> {
    let mut account = unvis(account).into_owned();
    let valid_sid = sid.starts_with("S-1-")
        && sid
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'-' || c == b'S');
    if account.to_ascii_uppercase().starts_with("UNKNOWN") && valid_sid {
        account = format!("*{sid}");
    }
    (!account.is_empty() && crate::shell::is_printable(&account)).then_some(account)
}

/// `icacls` steps for a file, naming the accounts from a
/// `Bad permissions. Try removing permissions for user: ...` line.
pub fn windows_acl_steps(path: &str, line: Option<&K<'static>>, l: Lang) -> Vec<Step> {
    let Some(p) = powershell_path(path) else {
        return vec![refusal(Value::Path, path, l)];
    };
    let mut steps = vec![
        Step::run(
            tr!(
                l,
                "In PowerShell, stop inheriting permissions from the folder:",
                "PowerShell で、フォルダーからのアクセス権の継承を止めます:"
            ),
            format!("icacls {p} /inheritance:r"),
        ),
        Step::run(
            tr!(
                l,
                "Give your own account read access only:",
                "自分のアカウントにだけ読み取り権限を与えます:"
            ),
            format!("icacls {p} /grant:r \"${{env:USERNAME}}:(R)\""),
        ),
    ];
    if let Some(K::WindowsBadPermissions { account, sid, .. }) = line {
        if let Some(account) = acl_account(account, sid) {
            steps.push(Step::run(
                tr!(
                    l,
                    "Remove the account ssh complained about ({account}):",
                    "ssh が指摘したアカウント（{account}）を外します:"
                ),
                format!("icacls {p} /remove {}", crate::shell::ps(&account)),
            ));
        }
    }
    steps.push(Step::run(
        tr!(
            l,
            "Check the result: only your account (and SYSTEM/Administrators) may remain.",
            "結果を確かめます。残ってよいのは自分のアカウント（と SYSTEM/Administrators）だけです。"
        ),
        format!("icacls {p}"),
    ));
    steps
}

fn identity_missing(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // At debug3 ssh also says "no such identity" for every default key file
    // that does not exist; only the plain-level message is about a key you named.
    let n = t.events().iter().find(|n| match n.kind() {
        K::NoSuchIdentity { .. } => n.event.level == crate::event::Level::Plain,
        K::IdentityNotAccessible { .. } => true,
        _ => false,
    })?;
    let path = match n.kind() {
        K::NoSuchIdentity { path, .. } | K::IdentityNotAccessible { path, .. } => {
            unvis(path).into_owned()
        }
        _ => return None,
    };
    let l = ctx.lang;
    let summary = if ctx.authenticated {
        tr!(l, "The key {path} was named with -i or IdentityFile but does not exist; another key got you in.", "鍵 {path} は -i か IdentityFile で指定されていますが、存在しません。ログインは別の鍵でできています。")
    } else {
        tr!(l, "The key {path} was named with -i or IdentityFile but does not exist, so ssh could not offer it.", "鍵 {path} は -i か IdentityFile で指定されていますが、存在しないため、ssh はそれを提示できませんでした。")
    };
    let (p, refused) = ctx.client_path_arg(&path);
    let f = Finding::new(&IDENTITY_MISSING, summary, &[n])
    .failing(!ctx.authenticated)
    .steps(refused)
    .steps([
        Step::run(tr!(l, "Check the path and what keys you have:", "パスと、手元にある鍵を確かめます:"), if ctx.windows() { ctx.client.list(&[p.clone(), ctx.client.path("~/.ssh")]) } else { format!("ls -l {p} ; ls -l ~/.ssh/") }),
        Step::say(tr!(l, "If the key lives on another machine, copy both halves (KEY and KEY.pub) here with permissions 600; if it was never made, generate it:", "鍵が別のマシンにあるなら、両方（KEY と KEY.pub）をここに写し、パーミッションを 600 にします。まだ作っていないなら作ります:")),
        Step::run(tr!(l, "Generate a new key at that path (then install its .pub on the server):", "そのパスに新しい鍵を作ります（その後 .pub をサーバーに登録します）:"), format!("ssh-keygen -t ed25519 -f {p}")),
        Step::run(tr!(l, "See which IdentityFile your config really applies:", "設定で実際にどの IdentityFile が使われるか見ます:"), ctx.client.ssh_g(ctx.host(), "^identityfile")),
    ]);
    Some(f)
}

fn bad_argument(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let Some(n) = t.find(|k| matches!(k, K::BadArgument { .. } | K::Usage {})) else {
        return rsync_split_rsh(t, ctx).or_else(|| shifted_words(t, ctx));
    };
    if super::proxy::jump_spec_quoted_twice(t).is_some() {
        return None;
    }
    let summary = match n.kind() {
        K::BadArgument { what, value } if !value.is_empty() => tr!(
            l,
            "ssh rejected the {what} `{value}` on its command line and did not connect.",
            "ssh はコマンドラインの {what}（`{value}`）を受け付けず、接続しませんでした。"
        ),
        K::BadArgument { what, .. } => tr!(
            l,
            "ssh rejected a {what} on its command line and did not connect.",
            "ssh はコマンドラインの {what} を受け付けず、接続しませんでした。"
        ),
        _ => tr!(
            l,
            "ssh printed its usage text: the command line has an option it does not accept.",
            "ssh が使い方（usage）を表示しました。コマンドラインに受け付けないオプションがあります。"
        ),
    };
    let hint = match n.kind() {
        K::BadArgument { what, .. } if what == "port" => Step::say(tr!(
            l,
            "A port is a number from 1 to 65535: `-p 2201`.",
            "ポートは 1 から 65535 の数字です: `-p 2201`"
        )),
        K::BadArgument { what, .. } if what.contains("forwarding") => Step::say(tr!(
            l,
            "Forwarding takes `[bind_address:]port:host:hostport`, e.g. `-L 5432:127.0.0.1:5432` (local port 5432 to port 5432 as seen from the server).",
            "転送の書式は `[bind_address:]port:host:hostport` です。例: `-L 5432:127.0.0.1:5432`（ローカルの 5432 番から、サーバーから見た 5432 番へ）。"
        )),
        _ => Step::run(
            tr!(l, "Check the option's format:", "オプションの書式を確かめます:"),
            "man ssh",
        ),
    };
    Some(
        Finding::new(&BAD_ARGUMENT, summary, &[n])
            .confidence(Confidence::High)
            .steps([hint]),
    )
}

/// `rsync -e ssh -p 22 -i KEY ...`: rsync's `-e` takes one word, so ssh
/// never got the port or the key (rsync's own `-p` keeps permissions, its
/// `-i` itemizes changes). Inferred from the command line: medium.
fn rsync_split_rsh(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let cmd = t.command.as_ref()?;
    if cmd.stray_ssh_options.is_empty() || ctx.authenticated {
        return None;
    }
    let n = t
        .all(|k| matches!(k, K::Command { .. }))
        .find(|n| n.line() == cmd.line)?;
    // What that command ended in: its last sign of ssh before any next
    // command (a password prompt, a refusal).
    let ended = t
        .events()
        .iter()
        .skip_while(|e| e.line() <= cmd.line)
        .take_while(|e| !matches!(e.kind(), K::Command { .. }))
        .filter(|e| !matches!(e.kind(), K::Text { .. }))
        .last();
    let l = ctx.lang;
    let typed = cmd
        .stray_ssh_options
        .iter()
        .map(|(f, v)| format!("{f} {v}"))
        .collect::<Vec<_>>()
        .join(" ");
    // Rebuilt from checked values: a port that parsed, a key path that
    // needs no quoting (rsync splits `-e` at spaces itself).
    let mut inner = String::from("ssh");
    for (flag, value) in &cmd.stray_ssh_options {
        let value = match flag.as_str() {
            "-p" => value.parse::<u16>().ok().map(|p| p.to_string()),
            _ => crate::shell::path(value)
                .filter(|v| crate::shell::sh(v) == *v)
                .map(str::to_string),
        }
        .unwrap_or_else(|| "VALUE".to_string());
        inner.push_str(&format!(" {flag} {value}"));
    }
    let f = Finding::new(
        &BAD_ARGUMENT,
        tr!(
            l,
            "rsync's -e took only `ssh`: the words after it ({typed}) became rsync's own options (its -p keeps permissions, its -i itemizes changes), so ssh never got them.",
            "rsync の -e は `ssh` だけを受け取りました。続く語（{typed}）は rsync 自身のオプション（-p はパーミッションの保持、-i は変更の一覧）になり、ssh には渡っていません。"
        ),
        &[n],
    )
    .confidence(Confidence::Medium)
    .explaining(ended)
    .steps([Step::say(tr!(
        l,
        "Quote the whole ssh command after -e: `-e {}` (keep the rest of the rsync command as it was).",
        "-e の後の ssh コマンド全体を引用符で囲みます: `-e {}`（rsync コマンドの残りはそのままにします）。",
        crate::shell::sh(&inner)
    ))]);
    Some(f)
}

/// An option missing its value takes the next word: `ssh -i -o
/// 'StrictHostKeyChecking=no' host` reads `-o` as the key file and the
/// `Key=Value` after it as the host. ssh's own words show both; that they
/// come from one missing value is inferred: medium.
fn shifted_words(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let resolve = t.find(
        |k| matches!(k, K::ResolveFailed { host, .. } if super::connect::option_as_host(host)),
    );
    let identity =
        t.find(|k| matches!(k, K::IdentityNotAccessible { path, .. } if path.starts_with('-')));
    let l = ctx.lang;
    let summary = match (identity.map(|n| n.kind()), resolve.map(|n| n.kind())) {
        (Some(K::IdentityNotAccessible { path, .. }), Some(K::ResolveFailed { host, .. })) => tr!(
            l,
            "ssh took the option `{path}` as the key file of -i, so the words after it shifted and `{host}` became the host name: -i is missing its file.",
            "ssh はオプション `{path}` を -i の鍵ファイルとして読んだため、後ろの語がずれて `{host}` が接続先になりました。-i に鍵ファイルが指定されていません。"
        ),
        (Some(K::IdentityNotAccessible { path, .. }), None) => tr!(
            l,
            "ssh took the option `{path}` as the key file of -i: -i is missing its file.",
            "ssh はオプション `{path}` を -i の鍵ファイルとして読みました。-i に鍵ファイルが指定されていません。"
        ),
        (None, Some(K::ResolveFailed { host, .. })) => tr!(
            l,
            "The host name ssh tried, `{host}`, is an option (`Key=Value`), not a host: an option before it is missing its value (or `-o` is missing), so the words shifted.",
            "ssh が接続しようとした名前 `{host}` はホストではなくオプション（`Key=Value`）です。その前のオプションに値がない（または `-o` がない）ため、語がずれています。"
        ),
        _ => return None,
    };
    let first = identity.or(resolve)?;
    let mut f = Finding::new(&BAD_ARGUMENT, summary, &[first])
        .confidence(Confidence::Medium)
        .explaining(resolve)
        .steps([Step::say(tr!(
            l,
            "Give each option its value: `-i` takes a key file and `-o` a `Key=Value` (`ssh -i ~/.ssh/KEY -o StrictHostKeyChecking=accept-new USER@HOST`), or drop the option.",
            "各オプションに値を渡します。`-i` には鍵ファイル、`-o` には `Key=Value` です（`ssh -i ~/.ssh/KEY -o StrictHostKeyChecking=accept-new USER@HOST`）。または、そのオプションを外します。"
        ))]);
    f.cite(resolve);
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn an_option_missing_its_value_shifts_the_words() {
        let d = diagnose("Warning: Identity file -o not accessible: No such file or directory.\nssh: Could not resolve hostname stricthostkeychecking=no: Name or service not known\n");
        assert_eq!(d.primary.cause.id, "config.bad-argument");
        assert_eq!(d.primary.confidence, crate::Confidence::Medium);
        assert!(
            d.primary.summary.contains("-i is missing its file"),
            "{}",
            d.primary.summary
        );
        // A real unknown name stays what it is.
        let d = diagnose("ssh: Could not resolve hostname nosuchhost: Name or service not known\n");
        assert_eq!(d.primary.cause.id, "resolve.unknown-host");
    }

    fn primary(log: &str) -> &'static str {
        diagnose(log).primary.cause.id
    }

    #[test]
    fn rsync_e_ssh_unquoted_is_named() {
        let d = diagnose(
            "$ rsync -e ssh -p 2222 -i ~/.ssh/deploy_key -a ./b/ u@h:/srv/\nu@h's password:\n",
        );
        assert_eq!(d.primary.cause.id, "config.bad-argument");
        assert_eq!(d.primary.confidence, crate::Confidence::Medium);
        let says: String = d.primary.steps.iter().map(|s| s.text.clone()).collect();
        assert!(
            says.contains("-e 'ssh -p 2222 -i ~/.ssh/deploy_key'"),
            "{says}"
        );
        // Quoted, ssh got them: nothing to say about rsync's words.
        let d = diagnose("$ rsync -e 'ssh -p 2222' -a ./b/ u@h:/srv/\nu@h's password:\n");
        assert_ne!(d.primary.cause.id, "config.bad-argument");
        // A key path that is not plain text gets a placeholder, never the value.
        let d = diagnose("$ rsync -e ssh -i '~/.ssh/k;id' -a ./b/ u@h:/srv/\nu@h's password:\n");
        let says: String = d.primary.steps.iter().map(|s| s.text.clone()).collect();
        assert!(says.contains("-i VALUE") && !says.contains(";id"), "{says}");
    }

    #[test]
    fn typo_is_found_with_suggestion() {
        let d = diagnose("/home/u/.ssh/config: line 2: Bad configuration option: identitiyfile\n/home/u/.ssh/config: terminating, 1 bad configuration options\n");
        assert_eq!(d.primary.cause.id, "config.bad-option");
        assert!(d
            .primary
            .steps
            .iter()
            .any(|s| s.text.contains("IdentityFile")));
        assert_eq!(d.primary.evidence.len(), 2);
    }

    #[test]
    fn newer_option_is_named_as_such() {
        let d = diagnose("OpenSSH_9.2p1 Debian-2, OpenSSL 3.0.11\n/home/u/.ssh/config: line 2: Bad configuration option: obscurekeystroketiming\n/home/u/.ssh/config: terminating, 1 bad configuration options\n");
        assert!(d.primary.summary.contains("9.5"), "{}", d.primary.summary);
    }

    #[test]
    fn other_config_causes() {
        assert_eq!(
            primary("Bad owner or permissions on /home/u/.ssh/config\n"),
            "config.bad-permissions"
        );
        assert_eq!(primary("Bad port '22o1'\n"), "config.bad-argument");
        assert_eq!(
            primary("no such identity: /home/u/.ssh/deploy_key: No such file or directory\nbob@h: Permission denied (publickey).\n"),
            "config.identity-missing"
        );
    }
}
