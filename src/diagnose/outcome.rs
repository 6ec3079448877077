//! Outcomes: success, slowness, and the fallback when nothing fits.

use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::tr;
use crate::trace::{phase_of, Fate, Phase, Trace};

causes! {
    /// One step of the connection took a long time. Only visible where the
    /// input has timings (timestamped logs, or lines read live from a pipe).
    ///
    /// ## Why it happens
    /// GSSAPI/Kerberos attempts with no KDC (`GSSAPIAuthentication yes`), the
    /// server's reverse DNS lookup of your address (`UseDNS yes`) or a slow PAM
    /// module before it answers the first auth request, slow DNS on the client.
    ///
    /// ## How to fix
    /// `GSSAPIAuthentication no` on the client; `UseDNS no` on the server; fix
    /// DNS.
    ///
    /// ## Evidence
    /// a pause of seconds between two timestamped lines
    #[ja("接続のある段階が遅い", r#"
        接続のある段階に長い時間がかかりました。時刻のある入力（タイムスタンプ付きの
        ログや、パイプからライブで読んだ行）でだけ分かります。

        ## なぜ起きるか
        KDC のない環境での GSSAPI/Kerberos の試行（`GSSAPIAuthentication yes`）、最初の
        認証要求に答える前にサーバーが行う接続元アドレスの逆引き（`UseDNS yes`）や遅い
        PAM モジュール、クライアント側の遅い DNS などです。

        ## 直し方
        クライアントで `GSSAPIAuthentication no`、サーバーで `UseDNS no` にし、DNS を直します。
    "#)]
    SLOW_STEP = "slow.step", Warning, 10, "A step was slow", slow_step;

    /// The connection worked: ssh authenticated to the server.
    ///
    /// ## Why it happens
    /// Everything went right; the report says which method and key worked.
    ///
    /// ## How to fix
    /// Nothing to fix.
    ///
    /// ## Evidence
    /// `Authenticated to HOST ([ADDR]:PORT) using "publickey".`
    #[ja("接続できた", r#"
        接続は成功しました。ssh はサーバーへの認証を済ませています。

        ## なぜ起きるか
        すべてうまくいきました。レポートには、どの方式とどの鍵で入れたかを示します。

        ## 直し方
        直すことはありません。
    "#)]
    CONNECTED = "ok.connected", Info, 2, "Connected", connected;

    /// None of the known failure patterns matches this output.
    ///
    /// ## Why it happens
    /// The output is cut off, from a rare failure, or not from an OpenSSH client.
    ///
    /// ## How to fix
    /// Re-run with `ssh -vvv` and keep the whole output.
    ///
    /// ## Evidence
    /// the last lines of the output
    #[ja("原因不明の失敗", r#"
        この出力には、既知の失敗パターンのどれも当てはまりません。

        ## なぜ起きるか
        出力が途中で切れている、まれな失敗である、または OpenSSH クライアントの出力では
        ない、などです。

        ## 直し方
        `ssh -vvv` で実行し直し、出力を丸ごと残します。
    "#)]
    UNKNOWN = "unknown", Info, 0, "Unknown failure", never;
}

fn never(_: &Trace, _: &Ctx) -> Option<Finding> {
    None
}

fn slow_step(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let session_start = t
        .find(|k| matches!(k, K::EnteringSession {} | K::AuthenticatedTo { .. }))
        .map(|n| n.line())
        .unwrap_or(usize::MAX);
    let tail = t.tail();
    let prompt_before = |line: usize| {
        tail.iter()
            .chain(t.events().iter())
            .filter(|n| n.line() == line)
            .any(|n| match n.kind() {
                K::NextAuthMethod { method } => {
                    method == "password" || method == "keyboard-interactive"
                }
                K::PasswordPrompt { .. }
                | K::PassphrasePrompt { .. }
                | K::ContinueConnectingPrompt { .. }
                | K::HostAuthenticityUnknown { .. }
                | K::KeyFingerprintIs { .. }
                | K::ConfirmUserPresence { .. }
                | K::ServerAcceptsKey { .. } => true,
                _ => false,
            })
    };
    let gap = t
        .gaps
        .iter()
        .find(|g| g.ms >= 5_000 && g.after <= session_start && !prompt_before(g.before))?;
    let at = |line: usize| {
        t.events()
            .iter()
            .chain(tail.iter())
            .find(|n| n.line() == line)
    };
    let before = at(gap.before);
    let after = at(gap.after);
    let gssapi = t.events().iter().any(|n| {
        n.line() <= gap.after
            && (matches!(n.kind(), K::GssapiFailure { .. })
                || matches!(n.kind(), K::NextAuthMethod { method } if method.starts_with("gssapi")))
    }) && t.events().iter().any(|n| {
        n.line() >= gap.before
            && n.line() <= gap.after + 2
            && (matches!(n.kind(), K::GssapiFailure { .. } | K::NextAuthMethod { .. }))
    });
    let phase = after
        .and_then(|n| phase_of(n.kind()))
        .or(before.and_then(|n| phase_of(n.kind())));
    let secs = gap.ms as f64 / 1000.0;
    let l = ctx.lang;
    let (what, steps) = if gssapi {
        (
            l.pick(
                "trying GSSAPI (Kerberos) authentication",
                "GSSAPI（Kerberos）認証を試している間に",
            ),
            vec![
                Step::run(
                    tr!(
                        l,
                        "Skip GSSAPI when you do not use Kerberos:",
                        "Kerberos を使っていないなら GSSAPI を飛ばします:"
                    ),
                    ctx.ssh("-o GSSAPIAuthentication=no"),
                ),
                Step::run(
                    tr!(
                        l,
                        "Permanently, in ~/.ssh/config:",
                        "恒久的には ~/.ssh/config に:"
                    ),
                    format!("Host {}\n    GSSAPIAuthentication no", ctx.host()),
                ),
            ],
        )
    } else {
        match phase {
            Some(Phase::Auth) | Some(Phase::Session) => (
                l.pick("waiting for the server during authentication", "認証中にサーバーを待って"),
                vec![Step::say(tr!(l, "The server is slow to answer: usually its reverse DNS lookup of your address (`UseDNS yes`) or a slow PAM module. On the server set `UseDNS no` in sshd_config and check PAM.", "サーバーの応答が遅れています。たいていは接続元アドレスの逆引き（`UseDNS yes`）か遅い PAM モジュールが原因です。サーバーの sshd_config で `UseDNS no` にし、PAM を確かめます。")), ctx.server_log()],
            ),
            Some(Phase::Connect) | Some(Phase::Resolve) | Some(Phase::Config) => (
                l.pick("resolving the name or opening the TCP connection", "名前解決か TCP 接続の確立で"),
                vec![Step::run(tr!(l, "Time the name lookup:", "名前解決にかかる時間を測ります:"), match ctx.client {
                    super::platform::Client::Windows => format!("Measure-Command {{ {} }}", ctx.client.resolve(ctx.host())),
                    c => format!("time {}", c.resolve(ctx.host())),
                }), Step::say(tr!(l, "Slow TCP connects point at packet loss or a firewall dropping the first attempts (e.g. IPv6 tried first: test with -4).", "TCP 接続が遅いのは、パケットロスか、最初の試行を捨てるファイアウォールのしるしです（例: IPv6 が先に試されている。-4 で試します）。"))],
            ),
            _ => (l.pick("in the key exchange", "鍵交換で"), vec![Step::say(tr!(l, "A slow key exchange points at an overloaded server CPU or a lossy network path.", "鍵交換が遅いのは、サーバーの CPU の過負荷か、パケットを落とす経路のしるしです。"))]),
        }
    };
    let cites: Vec<_> = before.into_iter().chain(after).collect();
    let f = Finding::new(
        &SLOW_STEP,
        tr!(
            l,
            "The connection paused {secs:.1} s {what} (between lines {} and {}).",
            "{what}接続が {secs:.1} 秒止まりました（{} 行目と {} 行目の間）。",
            gap.before,
            gap.after
        ),
        &cites,
    )
    .failing(true)
    .confidence(Confidence::Medium)
    .steps(steps);
    Some(f)
}

fn connected(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    let Some(n) = t.authenticated() else {
        return output_after_login(t, ctx);
    };
    let method = match n.kind() {
        K::AuthenticatedTo {
            method: Some(m), ..
        }
        | K::AuthSucceeded { method: m } => Some(m.to_string()),
        _ => t
            .find_last(|k| matches!(k, K::AuthSucceeded { .. }))
            .and_then(|n| match n.kind() {
                K::AuthSucceeded { method } => Some(method.to_string()),
                _ => None,
            }),
    };
    let key = t
        .offers
        .iter()
        .rev()
        .find(|o| o.fate == Fate::Used || o.fate == Fate::Accepted)
        .map(|o| super::context::key_label(&o.identity, l));
    let host = match n.kind() {
        K::AuthenticatedTo { host, .. } => host.to_string(),
        _ => t
            .destination()
            .host
            .unwrap_or_else(|| l.pick("the server", "サーバー").into()),
    };
    let summary = match (l, method.as_deref(), key) {
        (_, None, _) => tr!(l, "Connected to {host}.", "{host} に接続できました。"),
        (_, Some("publickey"), Some(key)) => tr!(
            l,
            "Connected to {host} using publickey with key {key}.",
            "{host} に publickey（鍵 {key}）で接続できました。"
        ),
        (_, Some(m), _) => tr!(
            l,
            "Connected to {host} using {m}.",
            "{host} に {m} で接続できました。"
        ),
    };
    Some(Finding::new(&CONNECTED, summary, &[n]).note())
}

/// Without -v, a login shows only as what the server printed: the host key
/// question answered yes (or a password prompt), then the server's own
/// lines, and no word from ssh after them.
fn output_after_login(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let l = ctx.lang;
    // A file that went across all the way: the connection worked.
    if let Some(n) = t.find_last(|k| matches!(k, K::TransferDone { .. })) {
        let K::TransferDone { file } = n.kind() else {
            return None;
        };
        return Some(
            Finding::new(
                &CONNECTED,
                tr!(
                    l,
                    "The transfer of {file} reached 100%: the connection and the login worked.",
                    "{file} の転送が 100% に達しました。接続もログインもできています。"
                ),
                &[n],
            )
            .confidence(Confidence::Medium),
        );
    }
    let last = t.last_significant()?;
    // ssh prints `Connection to H closed.` only when a session with a
    // terminal ends; unless the server's text before it reports a failure.
    if matches!(last.kind(), K::ConnectionClosed { .. })
        && super::session::failure_before_close(t).is_none()
    {
        return Some(
            Finding::new(&CONNECTED, tr!(l, "ssh says `{}`, which it prints when a session with a terminal ends: the login worked and the session ended.", "ssh は `{}` と表示しています。これは端末つきのセッションが終わったときの表示で、ログインはでき、セッションは終わっています。", last.text.trim()), &[last])
                .confidence(Confidence::Medium),
        );
    }
    let answered = match last.kind() {
        K::ContinueConnectingPrompt { answer } => answer.eq_ignore_ascii_case("yes"),
        K::PermanentlyAdded { .. } | K::PasswordPrompt { .. } => true,
        _ => false,
    };
    if !answered || !t.text_after(last.line()) {
        return None;
    }
    Some(
        Finding::new(&CONNECTED, tr!(l, "The server's own text follows ssh's last question, and ssh reports no error after it: the login most likely worked.", "ssh の最後の問いのあとにサーバー自身の出力が続き、そのあと ssh はエラーを出していません。ログインはおそらくできています。"), &[last])
            .confidence(Confidence::Medium)
            .note(),
    )
}

/// The finding when nothing explains the outcome.
pub fn fallback(t: &Trace, ctx: &Ctx) -> Finding {
    let l = ctx.lang;
    let phase = t.phase.map(|p| p.label(l));
    let tail = t.tail();
    let last: Vec<&crate::trace::Noted> = tail[tail.len().saturating_sub(5)..].iter().collect();
    let stopped = super::stall::stopped_at(t, l);
    let mut f = Finding::new(
        &UNKNOWN,
        format!(
            "{}{}{}",
            match phase {
                Some(phase) => tr!(l, "No known failure pattern matches. The connection reached the {phase} phase; the last lines are quoted below", "既知の失敗パターンに当てはまりません。接続は「{phase}」の段階まで進んでいます。最後の数行を下に引用します"),
                None => tr!(l, "No known failure pattern matches, and the output shows no connection phase; the last lines are quoted below", "既知の失敗パターンに当てはまらず、出力からは接続のどの段階かも分かりません。最後の数行を下に引用します"),
            },
            match (ctx.verbosity, l) {
                (0, _) => tr!(l, " (the output has no -v lines).", "（出力に -v の行がありません）。"),
                (_, crate::lang::Lang::En) => ".".to_string(),
                (_, crate::lang::Lang::Ja) => "。".to_string(),
            },
            stopped.map(|s| tr!(l, " Where the output stops: {s}", "出力が止まった所: {s}")).unwrap_or_default()
        ),
        &last,
    )
    .confidence(Confidence::Low)
    .note();
    f.steps.push(Step::run(
        tr!(
            l,
            "Re-run with more detail and give the whole output to sshexplain:",
            "より詳しい出力で実行し直し、出力を丸ごと sshexplain に渡します:"
        ),
        ctx.rerun_at(true),
    ));
    f
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn only_words_after_a_password_prompt_show_a_login() {
        let prompt = "bob@192.0.2.9's password: \n";
        let d = diagnose(&format!("{prompt}Welcome to Ubuntu 24.04 LTS\n"));
        assert_eq!(d.primary.cause.id, "ok.connected");
        // A poster's dots for "and so on" are not the server's text.
        let d = diagnose(&format!("{prompt}{prompt}......................\n"));
        assert_ne!(d.primary.cause.id, "ok.connected");
    }

    #[test]
    fn success_names_method_and_key() {
        let d = diagnose("debug1: Offering public key: /home/u/.ssh/id_ed25519 ED25519 SHA256:abc\ndebug1: Server accepts key: /home/u/.ssh/id_ed25519 ED25519 SHA256:abc\nAuthenticated to h ([1.2.3.4]:22) using \"publickey\".\n");
        assert_eq!(d.primary.cause.id, "ok.connected");
        assert!(
            d.primary.summary.contains("~/.ssh/id_ed25519 SHA256:abc"),
            "{}",
            d.primary.summary
        );
    }

    #[test]
    fn the_servers_text_after_the_last_question_is_a_login() {
        let d = diagnose(
            "Are you sure you want to continue connecting (yes/no)? yes\nWelcome to Ubuntu 22.04\n",
        );
        assert_eq!(d.primary.cause.id, "ok.connected");
        assert_eq!(d.primary.confidence, crate::diagnose::Confidence::Medium);
        // The question alone, or answered no, is no login.
        for log in [
            "Are you sure you want to continue connecting (yes/no)? yes\n\n",
            "Are you sure you want to continue connecting (yes/no)? no\nWelcome\n",
        ] {
            assert_ne!(diagnose(log).primary.cause.id, "ok.connected", "{log}");
        }
    }

    #[test]
    fn nothing_known_is_unknown_with_low_confidence() {
        let d = diagnose("debug1: something we never saw\n");
        assert_eq!(d.primary.cause.id, "unknown");
        assert_eq!(d.primary.confidence, crate::diagnose::Confidence::Low);
    }

    #[test]
    fn gssapi_pause_is_a_slow_step() {
        let log = "[10:00:00.000] debug1: Next authentication method: gssapi-with-mic\n[10:00:12.000] debug1: Unspecified GSS failure.  Minor code may provide more information\n[10:00:12.100] debug1: Next authentication method: publickey\n[10:00:12.200] Authenticated to h ([1.2.3.4]:22) using \"publickey\".\n";
        let d = diagnose(log);
        assert_eq!(d.primary.cause.id, "slow.step");
        assert!(
            d.primary.summary.contains("GSSAPI"),
            "{}",
            d.primary.summary
        );
    }

    #[test]
    fn pause_at_a_password_prompt_is_the_user_typing() {
        let log = "[10:00:00.000] debug1: Next authentication method: password\n[10:00:09.000] Authenticated to h ([1.2.3.4]:22) using \"password\".\n";
        assert_eq!(diagnose(log).primary.cause.id, "ok.connected");
    }
}
