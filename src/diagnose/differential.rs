//! A differential for thin evidence.
//!
//! When the input shows only a final message that several causes end in
//! (`Permission denied (publickey).` without `-v`, a bare `Host key
//! verification failed.`), the report names the likely causes as a ranked
//! list, each with the one check that tells it apart, instead of only "run
//! with -v". The order is how often each cause explained that message in
//! the public pastes of the corpus (collected at natural frequency: the
//! `seen` counts below are recomputed from the corpus by
//! `tests/differential.rs`). The top hypothesis becomes the primary, at low
//! confidence.

use super::Ctx;
use crate::event::EventKind as K;
use crate::lang::Lang;
use crate::trace::Trace;

/// One likely cause of a symptom.
#[derive(Debug)]
pub struct Hypothesis {
    /// The cause.
    pub id: &'static str,
    /// Public pastes with this symptom that this cause explained.
    pub seen: u32,
    /// Why it would end this way (English, Japanese).
    pub why: (&'static str, &'static str),
    /// The check that tells it apart (English, Japanese).
    pub check: (&'static str, &'static str),
    /// The check's command, for this user and host.
    pub command: fn(&Ctx) -> Option<String>,
}

/// A final message that several causes end in.
#[derive(Debug)]
pub struct Symptom {
    /// Short name (for tests and JSON).
    pub name: &'static str,
    /// Whether a trace shows this symptom and nothing that tells more.
    pub matches: fn(&Trace) -> bool,
    /// The likely causes, most frequent first.
    pub hypotheses: &'static [Hypothesis],
    /// Why the input cannot tell them apart (English, Japanese).
    pub lead: (&'static str, &'static str),
}

/// The lead of a final refusal without `-v` lines.
const ONLY_THE_REFUSAL: (&str, &str) = (
    "Only the final refusal is shown (no -v lines), and several causes end this way.",
    "最後の拒否しか表示されておらず（-v の行がない）、いくつもの原因がこの形で終わります。",
);

/// Authentication methods a client uses without a password or prompt.
fn keyish(m: &str) -> bool {
    m == "publickey" || m == "hostbased" || m.starts_with("gssapi")
}

/// The final `Permission denied (...)`, when nothing before it shows how
/// authentication went (no `-v`: no key offered, no password retry).
fn thin_denial(t: &Trace) -> Option<Vec<String>> {
    if t.stats.max_debug > 0 || !t.offers.is_empty() || t.authenticated().is_some() {
        return None;
    }
    let n = t.find_last(|k| matches!(k, K::PermissionDenied { .. }))?;
    let K::PermissionDenied { methods, .. } = n.kind() else {
        return None;
    };
    Some(methods.items().map(str::to_string).collect())
}

fn keys_only(t: &Trace) -> bool {
    thin_denial(t).is_some_and(|m| !m.is_empty() && m.iter().all(|m| keyish(m)))
}

fn service_test(ctx: &Ctx) -> Option<String> {
    Some(format!("ssh -T {}{}", ctx.port_flag(), ctx.target()))
}

fn list_public_keys(ctx: &Ctx) -> Option<String> {
    Some(public_keys(ctx).to_string())
}

/// Lists the user's public key files (a glob, unquoted: no input in it).
pub fn public_keys(ctx: &Ctx) -> &'static str {
    if ctx.windows() {
        "Get-ChildItem $env:USERPROFILE\\.ssh\\*.pub"
    } else {
        "ls -l ~/.ssh/*.pub"
    }
}

fn agent_keys(_: &Ctx) -> Option<String> {
    Some("ssh-add -l".to_string())
}

fn add_key(_: &Ctx) -> Option<String> {
    Some("ssh-add".to_string())
}

fn verbose_run(ctx: &Ctx) -> Option<String> {
    Some(ctx.rerun_explained())
}

/// cargo's git (libgit2) gave up after asking the ssh agent, the only
/// thing it asks (`attempted ssh-agent authentication, but none of the
/// usernames `git` succeeded`).
fn agent_only(t: &Trace) -> bool {
    t.find_last(|k| matches!(k, K::ForeignFailure { .. }))
        .is_some_and(|n| match n.kind() {
            K::ForeignFailure { message, .. } => {
                crate::grammar::primitives::find(message, "attempted ssh-agent authentication")
                    .is_some()
            }
            _ => false,
        })
}

/// Passwords refused (`Permission denied, please try again.`) and nothing
/// else: sshd answers alike for a wrong password, a user that does not
/// exist and a root login it refuses, so that no one learns which.
fn password_denied(t: &Trace) -> bool {
    t.has(|k| matches!(k, K::PasswordRetry {}))
        && t.authenticated().is_none()
        && t.server_events().is_empty()
        && crate::diagnose::platform::Server::of(t, t.destination().host.as_deref())
            .hosting()
            .is_none()
}

fn no_command(_: &Ctx) -> Option<String> {
    None
}

fn start_agent(ctx: &Ctx) -> Option<String> {
    Some(if ctx.windows() {
        "Get-Service ssh-agent; ssh-add -l".to_string()
    } else {
        "ssh-add -l".to_string()
    })
}

/// The symptoms, each with its hypotheses most frequent first.
pub static SYMPTOMS: &[Symptom] = &[Symptom {
    name: "publickey-denied",
    matches: keys_only,
    lead: ONLY_THE_REFUSAL,
    hypotheses: &[
        Hypothesis {
            id: "auth.key-rejected",
            seen: 29,
            why: (
                "your public key is not installed for this user on the server (for GitHub/GitLab: not added to your account)",
                "公開鍵がサーバーのこのユーザーに登録されていない（GitHub/GitLab ならアカウントに追加されていない）",
            ),
            check: (
                "log in with your key alone and see which account it is (a hosting service names it)",
                "鍵だけでログインし、どのアカウントになるかを見る（ホスティングサービスなら名前が出る）",
            ),
            command: service_test,
        },
        Hypothesis {
            id: "auth.no-identities",
            seen: 12,
            why: (
                "you have no key pair at all on this machine",
                "このマシンに鍵ペアがそもそもない",
            ),
            check: (
                "list your public keys: nothing means run `ssh-keygen -t ed25519`",
                "公開鍵を一覧する。何もなければ `ssh-keygen -t ed25519` を実行する",
            ),
            command: list_public_keys,
        },
        Hypothesis {
            id: "auth.no-mutual-signature",
            seen: 4,
            why: (
                "an RSA key and a server that knows only SHA-1 signatures, which this client no longer sends",
                "RSA の鍵と、SHA-1 の署名しか知らないサーバーの組み合わせで、このクライアントはもうそれを送らない",
            ),
            check: (
                "run with -v and look for `no mutual signature algorithm`",
                "-v 付きで実行し、`no mutual signature algorithm` が出るか見る",
            ),
            command: verbose_run,
        },
        Hypothesis {
            id: "auth.method-unavailable",
            seen: 3,
            why: (
                "the server takes only keys and none of yours is installed, so a password cannot be used either",
                "サーバーは鍵しか受け付けず、あなたの鍵はどれも登録されていないので、パスワードも使えない",
            ),
            check: (
                "run with -v: it shows which keys were offered and that no password was asked",
                "-v 付きで実行する。どの鍵が提示され、パスワードが尋ねられなかったことが分かる",
            ),
            command: verbose_run,
        },
        Hypothesis {
            id: "auth.key-passphrase",
            seen: 3,
            why: (
                "your key has a passphrase and nothing could ask for it (a CI job, an IDE, a tool without a terminal)",
                "鍵にパスフレーズがあり、それを尋ねられるものがない（CI ジョブ、IDE、端末のないツール）",
            ),
            check: (
                "load the key into the agent in a terminal first, then try again",
                "先に端末で鍵をエージェントに読み込み、もう一度試す",
            ),
            command: add_key,
        },
        Hypothesis {
            id: "auth.agent-unavailable",
            seen: 2,
            why: (
                "the key exists but ssh does not use it (another file name, not loaded in the agent)",
                "鍵はあるが ssh が使っていない（別のファイル名、エージェントに読み込まれていない）",
            ),
            check: (
                "see what the agent offers; name the key with -i or IdentityFile",
                "エージェントが何を提示するか見る。鍵は -i か IdentityFile で指定する",
            ),
            command: agent_keys,
        },
        Hypothesis {
            id: "auth.invalid-user",
            seen: 1,
            why: (
                "the user name does not exist there (a cloud image's default user is ubuntu, ec2-user, admin, pi...)",
                "そのユーザー名がサーバーに存在しない（クラウドのイメージの既定ユーザーは ubuntu、ec2-user、admin、pi など）",
            ),
            check: (
                "run with -v and check the user ssh logs in as (`Authenticating to H as 'U'`)",
                "-v 付きで実行し、ssh がどのユーザーでログインしているか（`Authenticating to H as 'U'`）を確かめる",
            ),
            command: verbose_run,
        },
        Hypothesis {
            id: "auth.no-tty",
            seen: 1,
            why: (
                "a program ran ssh without a terminal (an editor, a GUI git client, a script), so ssh could not ask for your key's passphrase and went on without the key",
                "プログラムが端末なしで ssh を動かした（エディタ、GUI の git クライアント、スクリプト）ので、ssh は鍵のパスフレーズを尋ねられず、鍵なしで続けた",
            ),
            check: (
                "run the same command in a terminal: if it asks for a passphrase there, load the key into the agent so the program needs no prompt",
                "同じコマンドを端末で実行する。そこでパスフレーズを尋ねられるなら、鍵をエージェントに読み込ませ、プログラムが入力を求めずに済むようにする",
            ),
            command: add_key,
        },
        Hypothesis {
            id: "auth.root-login-refused",
            seen: 1,
            why: (
                "you log in as root and the server does not permit root logins (`PermitRootLogin no`)",
                "root でログインしようとしていて、サーバーが root のログインを許可していない（`PermitRootLogin no`）",
            ),
            check: (
                "log in as a normal user and use sudo; on the server, `sudo sshd -T | grep -i permitrootlogin` shows the setting",
                "一般ユーザーでログインして sudo を使う。サーバーで `sudo sshd -T | grep -i permitrootlogin` を実行すると設定が分かる",
            ),
            command: no_command,
        },
    ],
},
Symptom {
    name: "agent-only-denied",
    matches: agent_only,
    lead: ONLY_THE_REFUSAL,
    hypotheses: &[
        Hypothesis {
            id: "auth.agent-unavailable",
            seen: 3,
            why: (
                "no ssh agent is running where cargo runs, or it holds no key (cargo's own git asks only the agent, not your key files)",
                "cargo が動く所で ssh エージェントが動いていないか、鍵を持っていない（cargo 自身の git はエージェントにしか尋ねず、鍵ファイルは見ない）",
            ),
            check: (
                "list the agent's keys: `Could not open a connection` means start one (`eval \"$(ssh-agent -s)\"`), `no identities` means `ssh-add`; or let cargo use the git command line (`CARGO_NET_GIT_FETCH_WITH_CLI=true`)",
                "エージェントの鍵を一覧する。`Could not open a connection` ならエージェントを起動し（`eval \"$(ssh-agent -s)\"`）、`no identities` なら `ssh-add` する。または cargo に git コマンドを使わせる（`CARGO_NET_GIT_FETCH_WITH_CLI=true`）",
            ),
            command: start_agent,
        },
        Hypothesis {
            id: "auth.no-identities",
            seen: 2,
            why: (
                "you have no key pair at all on this machine",
                "このマシンに鍵ペアがそもそもない",
            ),
            check: (
                "list your public keys: nothing means run `ssh-keygen -t ed25519` and add the .pub to your account",
                "公開鍵を一覧する。何もなければ `ssh-keygen -t ed25519` を実行し、.pub をアカウントに追加する",
            ),
            command: list_public_keys,
        },
        Hypothesis {
            id: "auth.key-rejected",
            seen: 0,
            why: (
                "the agent's key is not added to your account on the git host",
                "エージェントの鍵が git ホストのアカウントに追加されていない",
            ),
            check: (
                "log in with the agent's key and see which account it is",
                "エージェントの鍵でログインし、どのアカウントになるか見る",
            ),
            command: service_test,
        },
    ],
},
Symptom {
    name: "password-denied",
    matches: password_denied,
    lead: (
        "The server refused the password, and sshd refuses alike a wrong password, a user that does not exist and a root login it does not permit (so that no one learns which); ssh's output, even with -v, cannot tell them apart.",
        "サーバーはパスワードを拒否しました。sshd は、誤ったパスワード、存在しないユーザー、許可していない root のログインを同じように拒否します（どれなのか誰にも分からないように）。ssh の出力は -v 付きでもこれらを見分けられません。",
    ),
    hypotheses: &[
        Hypothesis {
            id: "auth.password-rejected",
            seen: 10,
            why: (
                "the password is wrong for this user",
                "このユーザーのパスワードが違う",
            ),
            check: (
                "type it where you can see it (keyboard layout, Caps Lock); on the server, `sudo passwd -S USER` shows whether the account is locked",
                "見える所で入力してみる（キーボード配列、Caps Lock）。サーバーでは `sudo passwd -S USER` でアカウントがロックされていないか分かる",
            ),
            command: no_command,
        },
        Hypothesis {
            id: "auth.invalid-user",
            seen: 2,
            why: (
                "the user name does not exist there (a cloud image's default user is ubuntu, ec2-user, admin, pi...; a Windows domain user is written user@domain)",
                "そのユーザー名がそこに存在しない（クラウドイメージの既定ユーザーは ubuntu、ec2-user、admin、pi など。Windows のドメインユーザーは user@domain と書く）",
            ),
            check: (
                "on the server, `id USER` says whether the user exists; its log says `Invalid user`",
                "サーバーで `id USER` を実行すればユーザーがいるか分かる。サーバーのログには `Invalid user` と出る",
            ),
            command: no_command,
        },
        Hypothesis {
            id: "auth.key-rejected",
            seen: 2,
            why: (
                "a key was meant to log you in: ssh asked for a password only because no key of yours was accepted",
                "鍵でログインするはずだった。ssh がパスワードを尋ねたのは、あなたの鍵がどれも受け入れられなかったから",
            ),
            check: (
                "run with -v: it shows which keys were offered and refused",
                "-v 付きで実行する。どの鍵が提示され拒否されたかが分かる",
            ),
            command: verbose_run,
        },
        Hypothesis {
            id: "auth.root-login-refused",
            seen: 1,
            why: (
                "you log in as root and the server does not permit root passwords (Debian and Ubuntu: `PermitRootLogin prohibit-password` by default)",
                "root でログインしようとしていて、サーバーが root のパスワードを許可していない（Debian と Ubuntu の既定は `PermitRootLogin prohibit-password`）",
            ),
            check: (
                "log in as a normal user and use sudo; the server's log says `Failed password for root`",
                "一般ユーザーでログインして sudo を使う。サーバーのログには `Failed password for root` と出る",
            ),
            command: no_command,
        },
        Hypothesis {
            id: "auth.strict-modes",
            seen: 1,
            why: (
                "your key was refused because the server will not trust your home, ~/.ssh or authorized_keys there (writable by others, or owned by another user), so ssh fell back to a password",
                "サーバー側のホーム、~/.ssh、authorized_keys が他人に書き込めるか他のユーザーの持ち物なので鍵が拒否され、ssh がパスワードに切り替えた",
            ),
            check: (
                "on the server, `ls -ld ~ ~/.ssh ~/.ssh/authorized_keys` as that user: owned by the user, not writable by group or others; the server's log says `Authentication refused: bad ownership or modes`",
                "サーバーでそのユーザーとして `ls -ld ~ ~/.ssh ~/.ssh/authorized_keys` を実行する。本人の持ち物で、グループや他人が書き込めないこと。サーバーのログには `Authentication refused: bad ownership or modes` と出る",
            ),
            command: no_command,
        },
    ],
}];

/// The symptom a trace shows, if its evidence is this thin.
pub fn symptom(t: &Trace) -> Option<&'static Symptom> {
    SYMPTOMS.iter().find(|s| (s.matches)(t))
}

/// `why` and `check` in a language.
pub fn text(h: &Hypothesis, lang: Lang) -> (&'static str, &'static str) {
    (lang.pick(h.why.0, h.why.1), lang.pick(h.check.0, h.check.1))
}
