//! Host key verification: changed keys, unknown hosts, host certificates.

use super::context::{home_tilde, host_arg, refusal, Value};
use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::grammar::primitives::unvis;
use crate::shell::sh;
use crate::tr;
use crate::trace::Trace;

causes! {
    /// The server presented a different host key than the one recorded in your
    /// known_hosts file, so ssh refused to continue: either the server was
    /// reinstalled or re-keyed, its address now belongs to another machine, or
    /// someone is intercepting the connection.
    ///
    /// ## Why it happens
    /// OS reinstall (a new Raspberry Pi image), a rebuilt VM or container, a
    /// DHCP address given to another device, a load balancer with different
    /// keys behind it — or a real man-in-the-middle.
    ///
    /// ## How to fix
    /// Confirm the new fingerprint out of band (on the server's console:
    /// `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`). Only then remove the
    /// old entry with `ssh-keygen -R` and connect again.
    ///
    /// ## Evidence
    /// `@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @`,
    /// `Offending ECDSA key in /home/u/.ssh/known_hosts:12`, `Host key verification failed.`
    #[ja("サーバーのホスト鍵が変わった", r#"
        サーバーが、known_hosts に記録されているものとは違うホスト鍵を提示したため、
        ssh は先に進むのを拒みました。サーバーが再インストールされたか鍵を作り直した、
        そのアドレスが今は別のマシンのものになった、または誰かが通信に割り込んでいる、
        のいずれかです。

        ## なぜ起きるか
        OS の再インストール（Raspberry Pi のイメージの書き直し）、作り直した VM や
        コンテナ、DHCP で別の機器に渡ったアドレス、後ろに別の鍵を持つマシンがいる
        ロードバランサー、あるいは本物の中間者攻撃です。

        ## 直し方
        新しいフィンガープリントを別の経路で確かめます（サーバーのコンソールで
        `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`）。一致したときに限り、
        `ssh-keygen -R` で古い記録を消して接続し直します。
    "#)]
    CHANGED = "hostkey.changed", Error, 92, "The server's host key has changed", changed;

    /// ssh has no host key on record for this server and was told not to ask
    /// (StrictHostKeyChecking yes, BatchMode, or no terminal to ask on), so it
    /// refused to connect.
    ///
    /// ## Why it happens
    /// The first connection from a CI job, a cron job, an IDE or a fresh
    /// container, where no one can answer the yes/no question.
    ///
    /// ## How to fix
    /// Add the server's key to known_hosts after checking its fingerprint
    /// (`ssh-keyscan`), or use `StrictHostKeyChecking=accept-new` in automation.
    ///
    /// ## Evidence
    /// `No ED25519 host key is known for HOST and you have requested strict checking.`,
    /// `Host key verification failed.`
    #[ja("未知のホスト鍵で、ssh が確認できない", r#"
        ssh はこのサーバーのホスト鍵を記録しておらず、しかも尋ねることを禁じられていた
        （StrictHostKeyChecking yes、BatchMode、または尋ねる端末がない）ため、接続を
        拒みました。

        ## なぜ起きるか
        CI のジョブ、cron、IDE、作ったばかりのコンテナからの初回接続で、yes/no の質問に
        答える人がいない場合です。

        ## 直し方
        フィンガープリントを確かめてから、サーバーの鍵を known_hosts に加えます
        （`ssh-keyscan`）。自動化では `StrictHostKeyChecking=accept-new` も使えます。
    "#)]
    UNKNOWN = "hostkey.unknown", Error, 89, "Unknown host key, and ssh may not ask", unknown;

    /// ssh could not save the server's host key, so it will ask again next
    /// time (and a job without a terminal will fail then).
    ///
    /// ## Why it happens
    /// `~/.ssh` does not exist or belongs to another user (after `sudo`), the
    /// home directory is read-only (containers, CI), or `UserKnownHostsFile`
    /// points somewhere unwritable.
    ///
    /// ## How to fix
    /// `mkdir -p ~/.ssh && chmod 700 ~/.ssh`, fix ownership, or set
    /// `UserKnownHostsFile` to a writable path.
    ///
    /// ## Evidence
    /// `Failed to add the host to the list of known hosts (/home/u/.ssh/known_hosts).`
    #[ja("ホスト鍵を保存できなかった", r#"
        ssh はサーバーのホスト鍵を保存できませんでした。次回もまた尋ねられます（その
        とき端末のないジョブは失敗します）。

        ## なぜ起きるか
        `~/.ssh` が存在しないか別のユーザーの所有になっている（`sudo` の後など）、
        ホームディレクトリが読み取り専用（コンテナ、CI）、`UserKnownHostsFile` が書き
        込めない場所を指している、などです。

        ## 直し方
        `mkdir -p ~/.ssh && chmod 700 ~/.ssh` を実行し、所有者を直すか、
        `UserKnownHostsFile` を書き込める場所に向けます。
    "#)]
    KNOWN_HOSTS_UNWRITABLE = "hostkey.known-hosts-unwritable", Warning, 3, "Could not save the host key", known_hosts_unwritable;

    /// The server presented a host certificate that your known_hosts
    /// `@cert-authority` line does not accept (expired, wrong names, unknown CA),
    /// so ssh fell back to the plain host key.
    ///
    /// ## Why it happens
    /// The host certificate expired, was issued for other host names
    /// (principals), or is signed by a CA you do not trust.
    ///
    /// ## How to fix
    /// Re-issue the host certificate (`ssh-keygen -s CA -h -n NAMES -V +52w`),
    /// check the `@cert-authority` line in known_hosts.
    ///
    /// ## Evidence
    /// `Certificate invalid: expired`, `No matching CA found. Retry with plain key`
    #[ja("サーバーのホスト証明書が無効", r#"
        サーバーが提示したホスト証明書を、known_hosts の `@cert-authority` の行が受け
        付けませんでした（期限切れ、名前の不一致、未知の CA）。そのため ssh は素の
        ホスト鍵に切り替えました。

        ## なぜ起きるか
        ホスト証明書の期限が切れた、別のホスト名（principals）向けに発行された、
        信頼していない CA が署名した、などです。

        ## 直し方
        ホスト証明書を発行し直し（`ssh-keygen -s CA -h -n NAMES -V +52w`）、known_hosts の
        `@cert-authority` の行を確かめます。
    "#)]
    CERTIFICATE_INVALID = "hostkey.certificate-invalid", Error, 90, "The server's host certificate is not valid", certificate_invalid;

    /// The host name's key is known, but the address it resolves to is
    /// recorded with a different key: the address now belongs to another
    /// machine, or DNS points somewhere else.
    ///
    /// ## Why it happens
    /// DHCP gave the address to another device, DNS changed, two machines share
    /// a name — or DNS spoofing.
    ///
    /// ## How to fix
    /// Check which machine has that address; remove the stale IP entry with
    /// `ssh-keygen -R ADDRESS`.
    ///
    /// ## Evidence
    /// `Warning: the ED25519 host key for 'h' differs from the key for the IP address '192.0.2.10'`,
    /// `WARNING: POSSIBLE DNS SPOOFING DETECTED!`
    #[ja("そのアドレスは別のホスト鍵で記録されている", r#"
        ホスト名の鍵は分かっていますが、名前が指すアドレスは別の鍵で記録されています。
        そのアドレスが今は別のマシンのものか、DNS が別の場所を指しています。

        ## なぜ起きるか
        DHCP がアドレスを別の機器に渡した、DNS が変わった、二台のマシンが同じ名前を
        使っている、あるいは DNS の偽装です。

        ## 直し方
        そのアドレスを今どのマシンが持っているか確かめ、古い IP の記録を
        `ssh-keygen -R ADDRESS` で消します。
    "#)]
    IP_MISMATCH = "hostkey.ip-mismatch", Error, 93, "The address is known with another host key", ip_mismatch;
}

/// A known_hosts name (`host` or `[host]:port`) for a command, if it has
/// that shape.
fn known_hosts_arg(name: &str) -> Option<String> {
    let ok = match crate::trace::known_hosts_parts(name) {
        Some((h, Some(_))) => crate::shell::host(h).is_some(),
        Some((h, None)) => crate::shell::host(h) == Some(h),
        None => false,
    };
    ok.then(|| sh(name))
}

/// `ssh-keyscan [-p PORT ]HOST`: fetches the server's host keys.
fn keyscan(ctx: &Ctx) -> String {
    format!("ssh-keyscan {}{}", ctx.port_flag(), ctx.host())
}

fn changed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let banner = t.find(|k| matches!(k, K::HostKeyChangedBanner {}));
    let strict = t.find(|k| matches!(k, K::HostKeyChangedStrict { .. }));
    let offending = t.find(|k| matches!(k, K::OffendingKey { .. }));
    let Some(head) = banner.or(strict).or(offending) else {
        return frame_only(t, ctx);
    };
    let host = match strict.map(|n| n.kind()) {
        Some(K::HostKeyChangedStrict { host }) => host.to_string(),
        _ => ctx.known_hosts_name(),
    };
    let (file, line_no) = match offending.map(|n| n.kind()) {
        Some(K::OffendingKey { path, line_no, .. }) => {
            (Some(unvis(path).into_owned()), Some(*line_no))
        }
        _ => match t
            .find(|k| matches!(k, K::AddCorrectHostKey { .. }))
            .map(|n| n.kind())
        {
            Some(K::AddCorrectHostKey { path }) => (Some(unvis(path).into_owned()), None),
            _ => (None, None),
        },
    };
    let l = ctx.lang;
    let fingerprint = t.find(|k| matches!(k, K::FingerprintLine { .. }));
    let fp_text = match fingerprint.map(|n| n.kind()) {
        Some(K::FingerprintLine { fingerprint }) => tr!(
            l,
            " The server now presents {fingerprint}.",
            "サーバーが今提示しているのは {fingerprint} です。"
        ),
        _ => String::new(),
    };
    // ssh prints the command to run (`ssh-keygen -f "FILE" -R "NAME"`); it is
    // rebuilt from its parsed, checked values, never copied.
    let suggested = t
        .find(|k| matches!(k, K::RemoveWith { command: Some(_) }))
        .and_then(|n| match n.kind() {
            K::RemoveWith { command: Some(c) } => Some(crate::trace::shell_words(&unvis(c))),
            _ => None,
        })
        .unwrap_or_default();
    let flag = |f: &str| {
        suggested
            .iter()
            .position(|w| w == f)
            .and_then(|i| suggested.get(i + 1))
            .cloned()
    };
    let file = file.or_else(|| flag("-f"));
    let name = flag("-R").unwrap_or(host.clone());
    let mut steps = Vec::new();
    let name_arg = match known_hosts_arg(&name) {
        Some(a) => a,
        None => {
            steps.push(refusal(Value::Host, &name, l));
            sh(&ctx.known_hosts_name())
        }
    };
    let file_arg = match file.as_deref().map(|f| (f, crate::shell::path(f))) {
        Some((_, Some(f))) => Some(sh(&home_tilde(f))),
        Some((f, None)) => {
            steps.push(refusal(Value::Path, f, l));
            None
        }
        None => None,
    };
    let remove_cmd = match &file_arg {
        Some(f) => format!("ssh-keygen -f {f} -R {name_arg}"),
        None => format!("ssh-keygen -R {name_arg}"),
    };
    let located = match (&file, line_no) {
        (Some(f), Some(n)) => tr!(
            l,
            " The old key is line {n} of {f}.",
            "古い鍵は {f} の {n} 行目です。"
        ),
        (Some(f), None) => tr!(l, " The old key is in {f}.", "古い鍵は {f} にあります。"),
        _ => String::new(),
    };
    steps.extend([
        Step::run(
            tr!(l, "First confirm the new key is genuine, out of band: on the server's console (not over this network) print its fingerprint and compare.", "まず、新しい鍵が本物かを別の経路で確かめます。サーバーのコンソールで（このネットワーク越しではなく）フィンガープリントを表示して比べます。"),
            format!("ssh-keygen -lf {}", host_key_file(t)),
        ).on_server(),
        Step::run(tr!(l, "Only if it matches (or you know the server was reinstalled), remove the old entry:", "一致した場合（またはサーバーを再インストールしたと分かっている場合）に限り、古い記録を消します:"), remove_cmd),
    ]);
    if let (Some(f), Some(n)) = (&file_arg, line_no) {
        if let Some(cmd) = ctx.client.delete_line(n as usize, f) {
            steps.push(Step::run(
                tr!(
                    l,
                    "Or delete exactly that line:",
                    "または、その行だけを消します:"
                ),
                cmd,
            ));
        }
    }
    steps.push(Step::run(
        tr!(
            l,
            "Connect again and accept the new key after comparing its fingerprint:",
            "接続し直し、フィンガープリントを比べてから新しい鍵を受け入れます:"
        ),
        ctx.ssh(""),
    ));
    steps.push(Step::say(tr!(l, "If nothing changed on the server, do not connect: someone may be intercepting the connection.", "サーバー側で何も変えていないなら、接続してはいけません。誰かが通信に割り込んでいるおそれがあります。")));
    let mut f = Finding::new(&CHANGED, tr!(l, "The host key of {host} differs from the one recorded in known_hosts.{fp_text}{located}", "{host} のホスト鍵が、known_hosts に記録されているものと違います。{fp_text}{located}"), &[head]).steps(steps);
    f.cite(strict);
    f.cite(offending);
    f.cite(fingerprint);
    f.cite(t.find_last(|k| matches!(k, K::HostKeyVerificationFailed {})));
    Some(f)
}

/// Only the `@@@@` row that frames ssh's loudest warnings, as the last
/// thing shown: a tool that keeps the first line of ssh's error output
/// (PowerShell's remoting, some GUIs) cut the rest. ssh frames three
/// warnings so; a changed host key is by far the most common, and a
/// changed key is what stops a connection.
fn frame_only(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let last = t.last_significant()?;
    let K::WarningBlockText { text } = last.kind() else {
        return None;
    };
    let row = text.trim().trim_end_matches('.');
    if row.len() < 20 || !row.bytes().all(|c| c == b'@') {
        return None;
    }
    if t.has(|k| {
        matches!(k, K::WarningBlockText { text } if text.bytes().any(|c| c.is_ascii_alphabetic()))
            || matches!(k, K::UnprotectedKeyBanner {} | K::IpKeyDiffers { .. })
    }) {
        return None;
    }
    let l = ctx.lang;
    Some(
        Finding::new(&CHANGED, tr!(l, "Only the @@@ row that frames ssh's loudest warnings is shown: the tool that ran ssh kept the first line of its error output. ssh frames three warnings so: REMOTE HOST IDENTIFICATION HAS CHANGED (the host key of {} differs from known_hosts: the most common, and the one that stops a connection), POSSIBLE DNS SPOOFING DETECTED and UNPROTECTED PRIVATE KEY FILE.", "ssh の強い警告を囲む @@@ の行だけが表示されています。ssh を実行したツールがエラー出力の 1 行目だけを残しました。ssh がこう囲む警告は三つです: REMOTE HOST IDENTIFICATION HAS CHANGED（{} のホスト鍵が known_hosts と違う。最も多く、接続を止めるのはこれ）、POSSIBLE DNS SPOOFING DETECTED、UNPROTECTED PRIVATE KEY FILE。", ctx.known_hosts_name()), &[last])
            .confidence(Confidence::Low)
            .steps([Step::run(tr!(l, "Run ssh itself in a terminal to see the whole warning:", "端末で ssh そのものを実行して、警告の全体を見ます:"), ctx.ssh(""))]),
    )
}

fn unknown(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if t.has(|k| {
        matches!(
            k,
            K::HostKeyChangedBanner {}
                | K::HostKeyChangedStrict { .. }
                | K::IpKeyDiffers { .. }
                | K::DnsSpoofingBanner {}
        )
    }) {
        return None;
    }
    let strict = t.find(|k| matches!(k, K::HostKeyUnknownStrict { .. }));
    let failed = t.find_last(|k| matches!(k, K::HostKeyVerificationFailed {}));
    let Some(head) = strict.or(failed) else {
        return waiting_for_answer(t, ctx);
    };
    let asked = t.find(|k| matches!(k, K::HostAuthenticityUnknown { .. }));
    let no_tty = t.find(|k| matches!(k, K::NoTty { .. }));
    let l = ctx.lang;
    let why = if strict.is_some() {
        l.pick(
            "and StrictHostKeyChecking (or BatchMode) forbids adding it",
            "StrictHostKeyChecking（または BatchMode）が追加を禁じています",
        )
    } else if no_tty.is_some() {
        l.pick(
            "and there was no terminal to ask whether to trust it",
            "信頼するかどうかを尋ねる端末もありませんでした",
        )
    } else {
        l.pick("and it was not accepted", "鍵は受け入れられませんでした")
    };
    let name = ctx.known_hosts_name();
    let mut f = Finding::new(&UNKNOWN, tr!(l, "ssh has no host key on record for {name}, {why}.", "ssh には {name} のホスト鍵の記録がなく、{why}。"), &[head])
        // `Host key verification failed.` alone also ends a changed key or
        // an invalid host certificate whose warning is above the cut; with
        // the check in sight (`Server host key:`) and no such warning, the
        // key was unknown.
        .confidence(if strict.is_some() || asked.is_some() { Confidence::High } else if no_tty.is_some() || t.has(|k| matches!(k, K::ServerHostKey { .. })) { Confidence::Medium } else { Confidence::Low })
        .steps([
            Step::run(tr!(l, "Fetch the server's key and show its fingerprint; compare it with the server's own (`ssh-keygen -lf {}` on its console):", "サーバーの鍵を取得してフィンガープリントを表示し、サーバー自身のもの（そのコンソールで `ssh-keygen -lf {}`）と比べます:", host_key_file(t)), format!("{} | ssh-keygen -lf -", keyscan(ctx))),
            Step::run(tr!(l, "If it matches, record it:", "一致したら記録します:"), ctx.client.append_known_hosts(&keyscan(ctx))),
            Step::say(tr!(l, "In CI, store the known_hosts line as a secret/variable and write it before ssh runs; `-o StrictHostKeyChecking=accept-new` trusts the first key it sees (only on networks you trust).", "CI では known_hosts の行をシークレットや変数に保存し、ssh の実行前に書き出します。`-o StrictHostKeyChecking=accept-new` は最初に見た鍵を信頼します（信頼できるネットワークでだけ使います）。")),
        ]);
    f.cite(asked);
    f.cite(no_tty);
    f.cite(failed);
    Some(f)
}

/// Whether the person answered ssh's trust question with yes (or the key's
/// fingerprint): the connection then went on with the new key.
fn answered_yes(t: &Trace) -> bool {
    t.has(|k| match k {
        K::ContinueConnectingPrompt { answer } => {
            answer.eq_ignore_ascii_case("yes") || answer.starts_with("SHA256:")
        }
        K::PermanentlyAdded { .. } => true,
        _ => false,
    })
}

/// The output ends at ssh's trust question, unanswered (a CI job, an IDE, a
/// paste that stops there): ssh was waiting for a yes.
fn unanswered_question(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // The question itself, or the block that leads to it when the paste
    // joins or cuts its lines (nothing but the fingerprint after it).
    let q = t
        .find_last(|k| matches!(k, K::ContinueConnectingPrompt { answer } if answer.is_empty()))
        .or_else(|| t.find_last(|k| matches!(k, K::HostAuthenticityUnknown { .. })))?;
    let block = |k: &K| {
        matches!(
            k,
            K::KeyFingerprintIs { .. }
                | K::WarningBlockText { .. }
                | K::ContinueConnectingPrompt { .. }
        )
    };
    let after_q = t.events().iter().filter(|n| n.line() > q.line());
    if after_q.clone().any(|n| !block(n.kind()))
        || t.last_significant()
            .is_some_and(|n| n.line() > q.line() && !block(n.kind()))
        || answered_yes(t)
    {
        return None;
    }
    let l = ctx.lang;
    let scan = keyscan(ctx);
    let mut f = Finding::new(
        &UNKNOWN,
        tr!(l, "The output ends at ssh's question whether to trust the host key of {}: ssh was waiting for an answer that never came (no terminal, a job, or a paste that stops there).", "出力は、{} のホスト鍵を信頼するかという ssh の質問で終わっています。ssh は来ない答えを待っていました（端末がない、ジョブの中、あるいは貼り付けがそこで終わっている）。", ctx.known_hosts_name()),
        &[q],
    )
    .confidence(Confidence::Medium)
    .steps([
        Step::run(tr!(l, "Check the fingerprint and record the key before connecting non-interactively:", "対話なしで接続する前に、フィンガープリントを確かめて鍵を記録します:"), format!("{scan} | ssh-keygen -lf -")),
        Step::run(tr!(l, "If it matches the server's own, record it:", "サーバー自身のものと一致したら記録します:"), ctx.client.append_known_hosts(&scan)),
    ]);
    f.cite(t.find_last(|k| matches!(k, K::HostAuthenticityUnknown { .. })));
    Some(f)
}

/// The trace ends right after the server's host key, with no known_hosts
/// match: ssh was asking whether to trust the key (the question goes to the
/// terminal, or to sshpass's pty, not into the log).
fn waiting_for_answer(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let Some(key) = t.find_last(|k| matches!(k, K::ServerHostKey { .. })) else {
        return unanswered_question(t, ctx);
    };
    let after = t
        .events()
        .iter()
        .filter(|n| n.line() > key.line())
        .all(|n| {
            matches!(
                n.kind(),
                K::KnownHostsMissing { .. } | K::HostKeyLookup { .. }
            )
        });
    if !after
        || t.has(|k| {
            matches!(
                k,
                K::HostKeyKnown { .. } | K::HostKeyFoundIn { .. } | K::PermanentlyAdded { .. }
            )
        })
    {
        return None;
    }
    let scan = keyscan(ctx);
    let l = ctx.lang;
    let mut f = Finding::new(
        &UNKNOWN,
        tr!(l, "The output ends right after {} presented its host key, which is not in known_hosts: ssh was asking whether to trust it, and the question went to a terminal (or a wrapper like sshpass) instead of being answered.", "出力は、{} が known_hosts にないホスト鍵を提示した直後で終わっています。ssh は信頼するかどうかを尋ねていましたが、その質問は端末（または sshpass のようなラッパー）に出たまま、答えられていません。", ctx.known_hosts_name()),
        &[key],
    )
    .confidence(Confidence::Medium);
    f.steps = vec![
        Step::run(
            tr!(
                l,
                "Check the fingerprint and record the key before connecting non-interactively:",
                "対話なしで接続する前に、フィンガープリントを確かめて鍵を記録します:"
            ),
            format!("{scan} | ssh-keygen -lf -"),
        ),
        Step::run(
            tr!(
                l,
                "If it matches the server's own, record it:",
                "サーバー自身のものと一致したら記録します:"
            ),
            ctx.client.append_known_hosts(&scan),
        ),
    ];
    Some(f)
}

fn known_hosts_unwritable(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let n = t.find(|k| matches!(k, K::KnownHostsAddFailed { .. }))?;
    let K::KnownHostsAddFailed { path } = n.kind() else {
        return None;
    };
    let path = unvis(path);
    Some(
        Finding::new(&KNOWN_HOSTS_UNWRITABLE, tr!(l, "ssh could not write {path}, so the host key was not saved.", "ssh は {path} に書き込めなかったため、ホスト鍵は保存されていません。"), &[n])
            .note()
            .steps([
                Step::run(tr!(l, "Create ~/.ssh with the right owner and mode:", "正しい所有者とモードで ~/.ssh を作ります:"), ctx.client.make_ssh_dir()),
                Step::say(tr!(l, "If the home directory is read-only (containers, CI), point UserKnownHostsFile to a writable file: `-o UserKnownHostsFile=/tmp/known_hosts`.", "ホームディレクトリが読み取り専用（コンテナ、CI）なら、UserKnownHostsFile を書き込めるファイルに向けます: `-o UserKnownHostsFile=/tmp/known_hosts`")),
            ]),
    )
}

fn certificate_invalid(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let auth_started = t
        .find(|k| matches!(k, K::ServiceAccept {} | K::AuthsCanContinue { .. }))
        .map(|n| n.line());
    let before_auth = |n: &&crate::trace::Noted| auth_started.is_none_or(|a| n.line() < a);
    let retry = t
        .find(|k| matches!(k, K::NoMatchingCa {}))
        .filter(before_auth);
    let l = ctx.lang;
    let Some(n) = t
        .find(|k| matches!(k, K::CertificateInvalid { .. }))
        .filter(before_auth)
    else {
        // `No matching CA found. Retry with plain key` alone: the server
        // presented a host certificate (so its owners use a CA), but no
        // @cert-authority line matches it for this name; the plain key is
        // then checked and, unknown, refused.
        let retry = retry?;
        let failed = t
            .find_last(|k| matches!(k, K::HostKeyVerificationFailed {}))
            .filter(|f| f.line() > retry.line() && !ctx.authenticated)?;
        let mut f = Finding::new(&CERTIFICATE_INVALID, tr!(l, "The server presented a host certificate, but no @cert-authority line in your known_hosts matches its CA for {}; ssh fell back to the plain host key, which is not known either.", "サーバーはホスト証明書を出しましたが、known_hosts のどの @cert-authority の行も {} についてその CA に一致しません。ssh は素のホスト鍵に切り替えましたが、そちらも未知の鍵です。", ctx.known_hosts_name()), &[retry])
            .confidence(Confidence::Medium)
            .steps([
                Step::run(tr!(l, "See the @cert-authority lines you have, and the host names they cover:", "手元の @cert-authority の行と、それが対象とするホスト名を見ます:"), ctx.client.grep_known_hosts("@cert-authority")),
                Step::say(tr!(l, "The pattern must match the name you connect with ({}), and the key must be the CA's public key (the one that signed the server's certificate).", "パターンが接続に使う名前（{}）に一致し、鍵がサーバーの証明書に署名した CA の公開鍵である必要があります。", ctx.known_hosts_name())),
                Step::run(tr!(l, "Show which CA signed its certificate:", "証明書に署名した CA を表示します:"), "ssh-keygen -Lf /etc/ssh/ssh_host_ed25519_key-cert.pub").on_server(),
            ]);
        f.cite([failed]);
        return Some(f);
    };
    let K::CertificateInvalid { reason } = n.kind() else {
        return None;
    };
    let summary = if ctx.authenticated {
        tr!(l, "The host certificate of {} was rejected ({reason}); ssh fell back to the plain host key, which was accepted.", "{} のホスト証明書は拒否されました（{reason}）。ssh は素のホスト鍵に切り替え、そちらは受け入れられました。", ctx.host())
    } else {
        tr!(l, "The host certificate of {} was rejected ({reason}); ssh fell back to the plain host key, which is not known either.", "{} のホスト証明書は拒否されました（{reason}）。ssh は素のホスト鍵に切り替えましたが、そちらも未知の鍵です。", ctx.host())
    };
    let mut f = Finding::new(&CERTIFICATE_INVALID, summary, &[n])
    .failing(!ctx.authenticated)
    .steps([
        Step::run(tr!(l, "On the CA host, issue a new host certificate with the right names and validity:", "CA のホストで、正しい名前と有効期間のホスト証明書を発行し直します:"), format!("ssh-keygen -s host_ca -h -I {h} -n '{h},{n}' -V +52w /etc/ssh/ssh_host_ed25519_key.pub", h = ctx.host(), n = ctx.known_hosts_name())).on_server(),
        Step::run(tr!(l, "Show the certificate the server uses (validity, principals):", "サーバーが使っている証明書（有効期間、principals）を表示します:"), "ssh-keygen -Lf /etc/ssh/ssh_host_ed25519_key-cert.pub").on_server(),
        Step::say(tr!(l, "Check that your known_hosts has `@cert-authority` for {} with the CA's public key.", "known_hosts に、{} 向けの `@cert-authority` の行が CA の公開鍵付きであるか確かめます。", ctx.known_hosts_name())),
    ]);
    f.cite(retry);
    f.cite(t.find_last(|k| matches!(k, K::HostKeyVerificationFailed {})));
    Some(f)
}

fn ip_mismatch(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| {
        matches!(
            k,
            K::IpKeyDiffers { .. } | K::DnsSpoofingBanner {} | K::OffendingIpKey { .. }
        )
    })?;
    let address = t
        .find(|k| matches!(k, K::IpKeyDiffers { .. }))
        .and_then(|n| match n.kind() {
            K::IpKeyDiffers { address, .. } => Some(address.to_string()),
            _ => None,
        });
    let changed_too = t.has(|k| matches!(k, K::HostKeyChangedBanner {}));
    let addr = address.clone().unwrap_or_else(|| "ADDRESS".into());
    let (addr_arg, refused) = host_arg(&addr, ctx.lang);
    let l = ctx.lang;
    let mut f = Finding::new(
        &IP_MISMATCH,
        tr!(l, "The key recorded for the address {addr} differs from the one recorded for the name {}: the address may now belong to another machine.", "アドレス {addr} に記録された鍵が、名前 {} に記録された鍵と違います。そのアドレスは今、別のマシンのものかもしれません。", ctx.host()),
        &[n],
    )
        .failing(!ctx.authenticated && !answered_yes(t) && (!changed_too || t.has(|k| matches!(k, K::DnsSpoofingBanner {}))))
    .steps(refused)
    .steps([
        Step::say(tr!(l, "Find out which machine has {addr} now (DHCP leases, your router's client list).", "{addr} を今どのマシンが持っているか調べます（DHCP のリース、ルーターの接続機器一覧）。")),
        Step::run(tr!(l, "If the old entry for the address is stale, remove it:", "アドレスの古い記録が不要なら消します:"), format!("ssh-keygen -R {addr_arg}")),
    ]);
    f.cite(
        t.all(|k| matches!(k, K::OffendingIpKey { .. } | K::MatchingHostKey { .. }))
            .take(2),
    );
    if let Some(fail) = t.find_last(|k| matches!(k, K::HostKeyVerificationFailed {})) {
        f.cite([fail]);
    }
    Some(f)
}

/// The server's public host key file of the type it presented
/// (`Server host key: ecdsa-sha2-nistp256 ...` → `ssh_host_ecdsa_key.pub`).
fn host_key_file(t: &Trace) -> &'static str {
    let presented = t.events().iter().find_map(|n| match n.kind() {
        K::ServerHostKey { key_type, .. } | K::FingerprintIntro { key_type } => {
            Some(key_type.to_ascii_lowercase())
        }
        _ => None,
    });
    match presented.as_deref() {
        Some(k) if k.contains("ecdsa") => "/etc/ssh/ssh_host_ecdsa_key.pub",
        Some(k) if k.contains("rsa") => "/etc/ssh/ssh_host_rsa_key.pub",
        _ => "/etc/ssh/ssh_host_ed25519_key.pub",
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    const CHANGED: &str = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
The fingerprint for the ED25519 key sent by the remote host is
SHA256:newnewnew.
Add correct host key in /home/u/.ssh/known_hosts to get rid of this message.
Offending ED25519 key in /home/u/.ssh/known_hosts:4
  remove with:
  ssh-keygen -f '/home/u/.ssh/known_hosts' -R '[127.0.0.1]:2201'
Host key for [127.0.0.1]:2201 has changed and you have requested strict checking.
Host key verification failed.
";

    #[test]
    fn a_warning_frame_alone_is_most_likely_a_changed_key() {
        let frame = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";
        let d = crate::diagnose(&format!("error message: {frame}.\n"));
        assert_eq!(d.primary.cause.id, "hostkey.changed");
        assert_eq!(d.primary.confidence, crate::Confidence::Low);
        // The unprotected key's banner is its own cause.
        let d = crate::diagnose(&format!(
            "{frame}\n@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n{frame}\n"
        ));
        assert_ne!(d.primary.cause.id, "hostkey.changed");
    }

    #[test]
    fn a_host_certificate_no_ca_matches_is_the_cause() {
        let d = diagnose("debug1: No matching CA found. Retry with plain key\nNo ED25519 host key is known for [10.0.0.5]:2222 and you have requested strict checking.\nHost key verification failed.\n");
        assert_eq!(d.primary.cause.id, "hostkey.certificate-invalid");
        assert_eq!(d.primary.confidence, crate::diagnose::Confidence::Medium);
        // The host named in the strict-checking line, not a placeholder.
        assert!(
            d.primary.summary.contains("[10.0.0.5]:2222"),
            "{}",
            d.primary.summary
        );
        // Without the CA line it is an unknown host key.
        let d = diagnose("No ED25519 host key is known for h and you have requested strict checking.\nHost key verification failed.\n");
        assert_eq!(d.primary.cause.id, "hostkey.unknown");
    }

    #[test]
    fn changed_key_names_file_line_and_command() {
        let d = diagnose(CHANGED);
        assert_eq!(d.primary.cause.id, "hostkey.changed");
        assert!(
            d.primary
                .summary
                .contains("line 4 of /home/u/.ssh/known_hosts"),
            "{}",
            d.primary.summary
        );
        assert_eq!(
            d.primary.steps[1].command.as_deref(),
            Some("ssh-keygen -f ~/.ssh/known_hosts -R '[127.0.0.1]:2201'")
        );
        assert!(d.primary.evidence.iter().any(|e| e.line == 2));
    }

    #[test]
    fn unknown_key_in_batch_mode() {
        let d = diagnose("No ED25519 host key is known for [127.0.0.1]:2201 and you have requested strict checking.\nHost key verification failed.\n");
        assert_eq!(d.primary.cause.id, "hostkey.unknown");
    }

    #[test]
    fn host_key_verification_failed_alone_is_not_sure_of_unknown() {
        let d = crate::diagnose("Host key verification failed.\n");
        assert_eq!(d.primary.cause.id, "hostkey.unknown");
        assert_eq!(d.primary.confidence, crate::Confidence::Low);
        let checked =
            "debug1: Server host key: ssh-ed25519 SHA256:abc\nHost key verification failed.\n";
        assert_eq!(
            crate::diagnose(checked).primary.confidence,
            crate::Confidence::Medium
        );
    }
}
