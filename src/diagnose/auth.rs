//! User authentication: keys, agents, passwords, certificates, security keys.

use super::context::{home_tilde, path_arg, some_key_refused};
use super::platform::{on_drvfs, Server};
use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::grammar::primitives::unvis;
use crate::shell::sh;
use crate::tr;
use crate::trace::{Fate, KeyOffer, Noted, Trace};

causes! {
    /// ssh had no key to offer: none of the default key files exist and no
    /// agent holds a key, while the server accepts only key authentication.
    ///
    /// ## Why it happens
    /// No key pair was ever generated on this machine, or it is saved under a
    /// non-default name (`~/.ssh/mykey`) that ssh does not try unless told to.
    ///
    /// ## How to fix
    /// Generate one (`ssh-keygen -t ed25519`) and install its public half on
    /// the server, or point ssh at the existing key with `-i` / `IdentityFile`.
    ///
    /// ## Evidence
    /// every `identity file ... type -1`, no `Offering public key`, `Permission denied (publickey)`
    #[ja("提示できる鍵がない", r#"
        ssh には提示できる鍵がありませんでした。既定の鍵ファイルがどれも存在せず、
        エージェントにも鍵がない一方で、サーバーは鍵による認証しか受け付けません。

        ## なぜ起きるか
        このマシンで鍵ペアを作ったことがないか、ssh が指定なしでは試さない既定外の名前
        （`~/.ssh/mykey`）で保存されています。

        ## 直し方
        鍵を作り（`ssh-keygen -t ed25519`）、その公開鍵をサーバーに登録するか、
        `-i` / `IdentityFile` で既存の鍵を指定します。
    "#)]
    NO_IDENTITIES = "auth.no-identities", Error, 60, "No key to offer", no_identities;

    /// The server refused every key you offered: the public key is not in
    /// `~/.ssh/authorized_keys` of that user on that server, or the server
    /// ignores the file because of its permissions.
    ///
    /// ## Why it happens
    /// The key was never installed for this user (often: password login was
    /// switched off before the key was copied — the classic lock-out), it was
    /// installed for another user or another server, the wrong key is offered,
    /// or sshd's StrictModes rejects an `authorized_keys` / `~/.ssh` / home
    /// directory that others can write to.
    ///
    /// ## How to fix
    /// Install the public key with `ssh-copy-id` (needs password login, or use
    /// the server's console), then check permissions on the server:
    /// `chmod 700 ~/.ssh; chmod 600 ~/.ssh/authorized_keys`. The server's log
    /// (`journalctl -u ssh`) names the reason.
    ///
    /// ## Evidence
    /// `Offering public key: ...` followed by `Authentications that can continue: publickey`
    /// and finally `Permission denied (publickey)`
    #[ja("サーバーが鍵を拒否した", r#"
        提示したすべての鍵をサーバーが拒否しました。その公開鍵がサーバー上のそのユーザーの
        `~/.ssh/authorized_keys` にないか、パーミッションのためにサーバーがファイルを
        無視しています。

        ## なぜ起きるか
        このユーザーに鍵を登録していない（よくあるのは、鍵を写す前にパスワードログインを
        切ってしまった、という締め出し）、別のユーザーや別のサーバーに登録した、違う鍵を
        提示している、または sshd の StrictModes が、ほかの人が書き込める
        `authorized_keys` / `~/.ssh` / ホームディレクトリを拒んでいる、などです。

        ## 直し方
        `ssh-copy-id` で公開鍵を登録し（パスワードログインが必要。できなければサーバーの
        コンソールを使います）、サーバーでパーミッションを確かめます:
        `chmod 700 ~/.ssh; chmod 600 ~/.ssh/authorized_keys`。サーバーのログ
        （`journalctl -u ssh`）に理由が出ます。
    "#)]
    KEY_REJECTED = "auth.key-rejected", Error, 50, "The server refused your key", key_rejected;

    /// ssh ignored your private key because other users can read it.
    ///
    /// ## Why it happens
    /// The key file is group/world-readable (`0644`), often after copying it
    /// from another machine, a USB stick, or Windows; on Windows, the file
    /// inherits access for other accounts.
    ///
    /// ## How to fix
    /// `chmod 600 KEY` on Unix; on Windows remove inherited permissions with
    /// `icacls`.
    ///
    /// ## Evidence
    /// `WARNING: UNPROTECTED PRIVATE KEY FILE!`, `Permissions 0644 for '~/.ssh/id_ed25519' are too open.`,
    /// `Bad permissions. Try removing permissions for user: ...`
    #[ja("秘密鍵ファイルをほかの人が読める", r#"
        ほかのユーザーが読めるため、ssh は秘密鍵を無視しました。

        ## なぜ起きるか
        鍵ファイルがグループや全員から読める（`0644`）状態です。別のマシン、USB メモリ、
        Windows から写したときによく起きます。Windows では、ファイルがほかのアカウントの
        アクセス権を継承しています。

        ## 直し方
        Unix では `chmod 600 KEY`。Windows では `icacls` で継承したアクセス権を外します。
    "#)]
    KEY_UNPROTECTED = "auth.key-unprotected", Error, 80, "Private key file is readable by others", key_unprotected;

    /// ssh could not read the private key file: it is not an OpenSSH private
    /// key it can load.
    ///
    /// ## Why it happens
    /// Windows line endings (CRLF) after copying through an editor, a PuTTY
    /// `.ppk` file, a truncated copy-paste, or the `.pub` file given to `-i`.
    ///
    /// ## How to fix
    /// Convert or restore the key: `sed -i 's/\r$//' KEY` for CRLF,
    /// `puttygen KEY.ppk -O private-openssh -o KEY` for PuTTY keys; test with
    /// `ssh-keygen -y -f KEY`.
    ///
    /// ## Evidence
    /// `Load key "/home/u/.ssh/id_ed25519": invalid format`, `... error in libcrypto`
    #[ja("秘密鍵ファイルを読み込めない", r#"
        ssh は秘密鍵ファイルを読めませんでした。ssh が読み込める OpenSSH の秘密鍵では
        ありません。

        ## なぜ起きるか
        エディターを通して写したための Windows の改行（CRLF）、PuTTY の `.ppk` ファイル、
        途中で切れたコピー＆ペースト、`-i` に `.pub` ファイルを指定した、などです。

        ## 直し方
        鍵を変換するか元に戻します。CRLF なら `sed -i 's/\r$//' KEY`、PuTTY の鍵なら
        `puttygen KEY.ppk -O private-openssh -o KEY`。`ssh-keygen -y -f KEY` で確かめます。
    "#)]
    KEY_LOAD_FAILED = "auth.key-load-failed", Error, 75, "The private key file cannot be loaded", key_load_failed;

    /// The key is protected by a passphrase that ssh could not get: it was
    /// wrong, or there was no terminal to ask for it.
    ///
    /// ## Why it happens
    /// A mistyped passphrase; ssh run from cron, CI, an IDE or a git GUI
    /// (no terminal); `BatchMode=yes` forbids asking.
    ///
    /// ## How to fix
    /// Load the key into an agent once (`ssh-add KEY`), check the passphrase
    /// with `ssh-keygen -y -f KEY`, or use a dedicated unencrypted key in
    /// automation.
    ///
    /// ## Evidence
    /// `Load key "...": incorrect passphrase supplied to decrypt private key`,
    /// `read_passphrase: can't open /dev/tty`, `Server accepts key` with nothing after it
    #[ja("鍵のパスフレーズを渡せなかった", r#"
        鍵はパスフレーズで守られていますが、ssh はそれを得られませんでした。間違っていたか、
        尋ねる端末がありませんでした。

        ## なぜ起きるか
        パスフレーズの打ち間違い、cron・CI・IDE・git の GUI から ssh を実行した（端末が
        ない）、`BatchMode=yes` が尋ねることを禁じている、などです。

        ## 直し方
        一度エージェントに鍵を読み込ませる（`ssh-add KEY`）、`ssh-keygen -y -f KEY` で
        パスフレーズを確かめる、または自動化にはパスフレーズなしの専用鍵を使います。
    "#)]
    KEY_PASSPHRASE = "auth.key-passphrase", Error, 78, "The key's passphrase could not be supplied", key_passphrase;

    /// The server only accepts SHA-1 `ssh-rsa` signatures for your RSA key,
    /// which this client (OpenSSH 8.8 or later) no longer makes — so the two
    /// have no signature algorithm in common.
    ///
    /// ## Why it happens
    /// An old server (OpenSSH < 7.2, old Dropbear, appliances) with a modern
    /// client, or a client or server config that restricts algorithms.
    ///
    /// ## How to fix
    /// Use an Ed25519 key; or allow `ssh-rsa` for that host:
    /// `-o PubkeyAcceptedAlgorithms=+ssh-rsa`; the real fix is upgrading the server.
    ///
    /// ## Evidence
    /// `send_pubkey_test: no mutual signature algorithm`,
    /// `Skipping ssh-rsa key ... - corresponding algorithm not supported by server`
    #[ja("鍵に使える共通の署名方式がない", r#"
        サーバーはこの RSA 鍵について SHA-1 の `ssh-rsa` 署名しか受け付けませんが、この
        クライアント（OpenSSH 8.8 以降）はもうその署名を作りません。そのため両者に共通の
        署名方式がありません。

        ## なぜ起きるか
        古いサーバー（OpenSSH 7.2 未満、古い Dropbear、アプライアンス）に新しいクライアントで
        接続した、またはクライアントやサーバーの設定が方式を絞っている、などです。

        ## 直し方
        Ed25519 の鍵を使うか、そのホストに限って `ssh-rsa` を許可します:
        `-o PubkeyAcceptedAlgorithms=+ssh-rsa`。本当の解決はサーバーの更新です。
    "#)]
    NO_MUTUAL_SIGNATURE = "auth.no-mutual-signature", Error, 82, "No signature algorithm in common for your key", no_mutual_signature;

    /// The ssh agent holds the key but refused to sign with it.
    ///
    /// ## Why it happens
    /// The key was added with confirmation (`ssh-add -c`) and no confirmation
    /// dialog can appear, the agent is locked, or a hardware-backed key (gpg
    /// card, security key) was not unlocked or touched.
    ///
    /// ## How to fix
    /// `ssh-add -l` to list, `ssh-add -D` and add the key again (without `-c`),
    /// unlock the agent (`ssh-add -X`) or the token.
    ///
    /// ## Evidence
    /// `sign_and_send_pubkey: signing failed for ED25519 "..." from agent: agent refused operation`
    #[ja("エージェントが署名を拒否した", r#"
        ssh エージェントは鍵を持っていますが、その鍵での署名を拒否しました。

        ## なぜ起きるか
        鍵が確認付き（`ssh-add -c`）で追加されていて確認のダイアログを出せない、エージェントが
        ロックされている、ハードウェアの鍵（gpg カード、セキュリティキー）のロック解除や
        タッチがされていない、などです。

        ## 直し方
        `ssh-add -l` で一覧を見て、`ssh-add -D` の後に鍵を（`-c` なしで）追加し直すか、
        エージェント（`ssh-add -X`）やトークンのロックを解除します。
    "#)]
    AGENT_REFUSED = "auth.agent-refused", Error, 77, "The agent refused to sign", agent_refused;

    /// ssh was told to use an agent (SSH_AUTH_SOCK is set) but could not reach
    /// it, and the key you need lives only there.
    ///
    /// ## Why it happens
    /// A stale SSH_AUTH_SOCK from an old login or tmux/screen session, an agent
    /// that was stopped, a forwarded agent from a closed session.
    ///
    /// ## How to fix
    /// Start an agent and add the key (`eval "$(ssh-agent -s)"; ssh-add KEY`),
    /// or unset SSH_AUTH_SOCK and use the key file with `-i`.
    ///
    /// ## Evidence
    /// `get_agent_identities: ssh_get_authentication_socket: No such file or directory`,
    /// `Could not open a connection to your authentication agent.`
    #[ja("ssh エージェントに接続できない", r#"
        ssh はエージェントを使うよう指示されている（SSH_AUTH_SOCK が設定されている）のに
        接続できず、必要な鍵はそこにしかありません。

        ## なぜ起きるか
        古いログインや tmux/screen のセッションから残った SSH_AUTH_SOCK、停止した
        エージェント、閉じたセッションから転送されていたエージェント、などです。

        ## 直し方
        エージェントを起動して鍵を追加する（`eval "$(ssh-agent -s)"; ssh-add KEY`）か、
        SSH_AUTH_SOCK を消して `-i` で鍵ファイルを使います。
    "#)]
    AGENT_UNAVAILABLE = "auth.agent-unavailable", Error, 73, "The ssh agent cannot be reached", agent_unavailable;

    /// The server disconnected because the client tried more keys than it
    /// allows (MaxAuthTries, default 6) before getting to the right one.
    ///
    /// ## Why it happens
    /// An agent (or config) holding many keys: each offer counts as a failed
    /// attempt, and the right key comes too late.
    ///
    /// ## How to fix
    /// Offer only the right key: `-o IdentitiesOnly=yes -i KEY`, or
    /// `IdentitiesOnly yes` with `IdentityFile` in a `Host` block.
    ///
    /// ## Evidence
    /// `Received disconnect from 10.0.0.5 port 22:2: Too many authentication failures`
    #[ja("試した鍵が多すぎる", r#"
        正しい鍵にたどり着く前に、サーバーが許す回数（MaxAuthTries、既定 6）を超えて
        クライアントが鍵を試したため、サーバーが接続を切りました。

        ## なぜ起きるか
        エージェント（または設定）が多くの鍵を持っていると、提示するたびに失敗が一回と
        数えられ、正しい鍵の番が来る前に上限に達します。

        ## 直し方
        正しい鍵だけを提示します: `-o IdentitiesOnly=yes -i KEY`、または `Host` ブロックで
        `IdentityFile` と `IdentitiesOnly yes`。
    "#)]
    TOO_MANY_FAILURES = "auth.too-many-failures", Error, 85, "Too many keys tried", too_many_failures;

    /// The server rejected the password that was typed (or supplied by a
    /// tool such as sshpass): wrong password or user name, or an account the
    /// server will not let in with a password.
    ///
    /// ## Why it happens
    /// A wrong password or user name, a locked or expired account, PAM
    /// denying the login, or `PermitRootLogin prohibit-password` (Debian's
    /// default) rejecting even the right password for root.
    ///
    /// ## How to fix
    /// Check the user name and password; on the server check the account
    /// (`passwd -S USER`, `faillock --user USER`) and the log.
    ///
    /// ## Evidence
    /// `Permission denied, please try again.`
    #[ja("パスワードが拒否された", r#"
        入力した（または sshpass などのツールが渡した）パスワードをサーバーが拒否しました。
        パスワードかユーザー名が間違っているか、サーバーがそのアカウントのパスワード
        ログインを許していません。

        ## なぜ起きるか
        パスワードやユーザー名の間違い、ロックや期限切れのアカウント、PAM によるログイン
        拒否、あるいは `PermitRootLogin prohibit-password`（Debian の既定）が root については
        正しいパスワードでも拒否している、などです。

        ## 直し方
        ユーザー名とパスワードを確かめます。サーバーではアカウントの状態
        （`passwd -S USER`、`faillock --user USER`）とログを確かめます。
    "#)]
    PASSWORD_REJECTED = "auth.password-rejected", Error, 70, "Password rejected", password_rejected;

    /// The server allows only methods this client could not use: for example
    /// it takes only keys, and the client has no accepted key and may not fall
    /// back to a password.
    ///
    /// ## Why it happens
    /// `PasswordAuthentication no` on the server before a key was installed (the
    /// classic lock-out), `PreferredAuthentications` or `BatchMode` on the client
    /// excluding what the server wants, keyboard-interactive (2FA) with no
    /// terminal.
    ///
    /// ## How to fix
    /// Use a method the server allows, or (with console access) allow
    /// password login temporarily to install a key.
    ///
    /// ## Evidence
    /// `Authentications that can continue: publickey` followed by
    /// `No more authentication methods to try.`
    #[ja("使える認証方式がない", r#"
        サーバーが許すのは、このクライアントが使えなかった方式だけです。たとえばサーバーは
        鍵しか受け付けず、クライアントには受け入れられる鍵がなく、パスワードにも切り替え
        られません。

        ## なぜ起きるか
        鍵を登録する前にサーバーで `PasswordAuthentication no` にした（よくある締め出し）、
        クライアントの `PreferredAuthentications` や `BatchMode` がサーバーの求める方式を
        除いている、端末なしで keyboard-interactive（二要素認証）を求められた、などです。

        ## 直し方
        サーバーが許す方式を使うか、（コンソールに入れるなら）鍵を登録する間だけ
        パスワードログインを許可します。
    "#)]
    METHOD_UNAVAILABLE = "auth.method-unavailable", Error, 55, "No usable authentication method", method_unavailable;

    /// The first factor succeeded but the server requires another one
    /// (`AuthenticationMethods`), which did not succeed.
    ///
    /// ## Why it happens
    /// Multi-factor setups (`publickey,password`, `publickey,keyboard-interactive`
    /// for OTP): the second factor was wrong, or could not be asked (BatchMode,
    /// no terminal).
    ///
    /// ## How to fix
    /// Provide the second factor interactively, or change the requirement on
    /// the server.
    ///
    /// ## Evidence
    /// `Authenticated using "publickey" with partial success.`
    #[ja("二つ目の認証要素が足りない", r#"
        一つ目の要素は成功しましたが、サーバーはもう一つの要素を求めていて
        （`AuthenticationMethods`）、それが成功しませんでした。

        ## なぜ起きるか
        多要素の設定（`publickey,password`、OTP 用の `publickey,keyboard-interactive`）で、
        二つ目の要素が間違っていたか、尋ねられなかった（BatchMode、端末なし）場合です。

        ## 直し方
        二つ目の要素を対話的に入力するか、サーバー側の要件を変えます。
    "#)]
    PARTIAL_SUCCESS = "auth.partial-success", Error, 74, "Second authentication factor missing", partial_success;

    /// ssh needed to ask a question (password, passphrase, 2FA code, host key
    /// confirmation) but had no terminal to ask it on.
    ///
    /// ## Why it happens
    /// ssh runs under CI, cron, an IDE, a git GUI, Ansible or Salt without a
    /// terminal, and the setup relies on typing something.
    ///
    /// ## How to fix
    /// Use a key (agent or `-i`) instead of a password, pre-seed known_hosts, or
    /// provide an askpass program (`SSH_ASKPASS` with `SSH_ASKPASS_REQUIRE=force`).
    ///
    /// ## Evidence
    /// `read_passphrase: can't open /dev/tty: No such device or address`
    #[ja("ssh が尋ねたいのに端末がない", r#"
        ssh は質問（パスワード、パスフレーズ、二要素認証のコード、ホスト鍵の確認）をする
        必要がありましたが、尋ねる端末がありませんでした。

        ## なぜ起きるか
        ssh が CI、cron、IDE、git の GUI、Ansible や Salt の下で端末なしに動いているのに、
        何かを入力する前提の設定になっています。

        ## 直し方
        パスワードの代わりに鍵（エージェントか `-i`）を使う、known_hosts を前もって用意する、
        または askpass プログラムを渡します（`SSH_ASKPASS` と `SSH_ASKPASS_REQUIRE=force`）。
    "#)]
    NO_TTY = "auth.no-tty", Error, 76, "ssh needed to ask something but has no terminal", no_tty;

    /// The server refused your SSH user certificate. The client is not told
    /// why; the server's log names the reason (expired, wrong principal,
    /// unknown CA).
    ///
    /// ## Why it happens
    /// The certificate expired or is not valid yet, its principals do not
    /// include the user you log in as, or the server does not trust its CA
    /// (`TrustedUserCAKeys`).
    ///
    /// ## How to fix
    /// Inspect it with `ssh-keygen -Lf KEY-cert.pub` and have it re-issued.
    ///
    /// ## Evidence
    /// `Offering public key: ... ED25519-CERT ...` refused, or `Certificate invalid: expired`
    #[ja("SSH 証明書が拒否された", r#"
        サーバーがあなたの SSH ユーザー証明書を拒否しました。クライアントには理由が
        知らされません。理由（期限切れ、principal の不一致、未知の CA）はサーバーのログに
        出ます。

        ## なぜ起きるか
        証明書の期限が切れているかまだ有効でない、principals にログインするユーザーが
        含まれていない、サーバーがその CA を信頼していない（`TrustedUserCAKeys`）、などです。

        ## 直し方
        `ssh-keygen -Lf KEY-cert.pub` で中身を確かめ、発行し直してもらいます。
    "#)]
    CERTIFICATE_REJECTED = "auth.certificate-rejected", Error, 65, "Your SSH certificate was refused", certificate_rejected;

    /// Signing with a FIDO/U2F security key (`-sk` key) failed: the token is
    /// missing, was not touched, or needs a PIN.
    ///
    /// ## Why it happens
    /// The key is not plugged in (or not visible in WSL/VMs), the touch timed
    /// out, the PIN was not given, or libfido2 support is missing.
    ///
    /// ## How to fix
    /// Plug in the token, touch it when it blinks, check `fido2-token -L`.
    ///
    /// ## Evidence
    /// `sign_and_send_pubkey: signing failed for ECDSA-SK ...: device not found`, `Confirm user presence for key ...`
    #[ja("セキュリティキーでの署名に失敗した", r#"
        FIDO/U2F のセキュリティキー（`-sk` の鍵）での署名に失敗しました。トークンがない、
        タッチされなかった、または PIN が必要です。

        ## なぜ起きるか
        キーが挿さっていない（または WSL や VM から見えない）、タッチが時間切れになった、
        PIN を渡していない、libfido2 の対応がない、などです。

        ## 直し方
        トークンを挿し、点滅したらタッチします。`fido2-token -L` で確かめます。
    "#)]
    SECURITY_KEY = "auth.security-key", Error, 79, "Security key signing failed", security_key;

    /// The server refused authentication and the output does not show enough
    /// to say why.
    ///
    /// ## Why it happens
    /// Any of the `auth.*` causes; without `-v` ssh prints only the final
    /// `Permission denied (METHODS)` line.
    ///
    /// ## How to fix
    /// Re-run with `ssh -v` and run sshexplain on that output.
    ///
    /// ## Evidence
    /// `user@host: Permission denied (publickey).`
    #[ja("認証に失敗した", r#"
        サーバーが認証を拒否しましたが、出力からは理由を言えるだけのことが分かりません。

        ## なぜ起きるか
        `auth.*` のどの原因でもありえます。`-v` なしでは、ssh は最後の
        `Permission denied (METHODS)` の行しか出しません。

        ## 直し方
        `ssh -v` で実行し直し、その出力を sshexplain に渡します。
    "#)]
    FAILED = "auth.failed", Error, 1, "Authentication failed", failed;
}

/// The final refusal: `Permission denied (...)` or `No more authentication methods`.
fn denial(t: &Trace) -> Option<&Noted> {
    t.find_last(|k| matches!(k, K::PermissionDenied { .. }))
        .or_else(|| t.find_last(|k| matches!(k, K::NoMoreAuthMethods {})))
}

fn methods_text(ctx: &Ctx) -> String {
    if ctx.allowed.is_empty() {
        ctx.lang.pick("(not shown)", "（表示なし）").to_string()
    } else {
        ctx.allowed.join(", ")
    }
}

/// The lock-out remediation: how to get a public key into authorized_keys,
/// for this client's platform and this server's software. `fingerprint`
/// is the refused key's, when the trace shows it.
fn install_key_steps(ctx: &Ctx, t: &Trace, key: &str, fingerprint: Option<&str>) -> Vec<Step> {
    let l = ctx.lang;
    let pub_path = format!("{key}.pub");
    let (pubkey, refused) = ctx.client_path_arg(&pub_path);
    let (key_arg, _) = ctx.client_path_arg(key);
    let target = ctx.target();
    let port = ctx.port_flag();
    let server = ctx.server;
    let mut steps: Vec<Step> = refused.into_iter().collect();
    let show = if ctx.windows() {
        format!("Get-Content {pubkey}")
    } else {
        format!("cat {pubkey}")
    };
    steps.push(Step::run(
        tr!(l, "Make sure you have the key pair (this prints the public key; it is what the server must have):", "鍵ペアがあることを確かめます（公開鍵が表示されます。サーバーに置くべきなのはこれです）:"),
        show,
    ));
    if let Some(h) = server.hosting() {
        steps.push(Step::say(tr!(l, "Add that line to the {} account you push with: {}. The server's files and settings are not yours to change.", "その行を、使う {} アカウントに登録します: {}。サーバーのファイルや設定は変えられません。", h.name(), h.keys_page())));
        steps.push(Step::run(
            tr!(
                l,
                "Check which account the key logs in as:",
                "鍵がどのアカウントとしてログインするか確かめます:"
            ),
            format!("ssh -T {port}-i {key_arg} {}", ctx.target()),
        ));
        push_non_default_key(&mut steps, ctx, key);
        return steps;
    }
    let copy = if ctx.windows() {
        format!("Get-Content {pubkey} | ssh {port}{target} \"umask 077; mkdir -p .ssh; cat >> .ssh/authorized_keys\"")
    } else {
        format!("ssh-copy-id {port}-i {pubkey} {target}")
    };
    let root = ctx.user.as_deref() == Some("root");
    if ctx.server_allows_password() && server != Server::Windows {
        steps.push(Step::run(
            tr!(
                l,
                "The server still accepts passwords, so install the key with one:",
                "サーバーはまだパスワードを受け付けるので、パスワードで入って鍵を登録します:"
            ),
            copy,
        ));
    } else if server == Server::Windows {
        steps.push(Step::say(tr!(l, "Put the public key line in C:\\Users\\{0}\\.ssh\\authorized_keys, or, if {0} is an administrator, in C:\\ProgramData\\ssh\\administrators_authorized_keys (sshd for Windows reads only that file for administrators).", "公開鍵の行を C:\\Users\\{0}\\.ssh\\authorized_keys に置きます。{0} が管理者なら C:\\ProgramData\\ssh\\administrators_authorized_keys に置きます（Windows の sshd は管理者にはこのファイルしか読みません）。", ctx.user_or_placeholder())).on_server());
        steps.push(Step::run(
            tr!(l, "The administrators' file must be readable by Administrators and SYSTEM only (in an administrator PowerShell):", "管理者用のファイルは Administrators と SYSTEM だけが読めるようにします（管理者の PowerShell で）:"),
            "icacls C:\\ProgramData\\ssh\\administrators_authorized_keys /inheritance:r /grant \"Administrators:F\" /grant \"SYSTEM:F\"",
        ).on_server());
    } else {
        steps.push(Step::say(tr!(
            l,
            "The server accepts only keys, so ssh-copy-id (which logs in with a password) cannot work from here. Get in another way: the server's console (keyboard and screen, cloud console, a Raspberry Pi's SD card), or another machine whose key is already installed. On a cloud VM, add the key where the provider injects it (its console or the instance's metadata) and log in as the image's user ({}).",
            "サーバーは鍵しか受け付けないので、パスワードでログインする ssh-copy-id はここからは使えません。別の方法で入ります: サーバーのコンソール（キーボードと画面、クラウドのコンソール、Raspberry Pi なら SD カード）、またはすでに鍵が登録されている別のマシンです。クラウドの VM なら、事業者が鍵を入れる場所（コンソールかインスタンスのメタデータ）に鍵を追加し、イメージのユーザー（{}）でログインします。",
            super::server::DEFAULT_USERS
        )));
        if server == Server::Dropbear {
            steps.push(Step::run(
                tr!(l, "Allow password login for a moment instead: Dropbear refuses passwords when started with -s (everyone) or -g (root); take the flag out of DROPBEAR_EXTRA_ARGS in /etc/default/dropbear (OpenWrt: `uci set dropbear.@dropbear[0].PasswordAuth=on; uci commit dropbear`), then restart it:", "代わりに、一時的にパスワードログインを許可します。Dropbear は -s（全員）か -g（root）付きで起動するとパスワードを拒否します。/etc/default/dropbear の DROPBEAR_EXTRA_ARGS からそのフラグを外し（OpenWrt では `uci set dropbear.@dropbear[0].PasswordAuth=on; uci commit dropbear`）、再起動します:"),
                server.reload(),
            ).on_server());
        } else {
            steps.push(Step::run(
                tr!(l, "Allow password login for a moment instead (as root; it needs an account that has a password): set `PasswordAuthentication yes` in {0} and in any file under {0}.d/ that sets it, then reload{1}:", "代わりに、一時的にパスワードログインを許可します（root として。パスワードのあるアカウントが必要です）。{0} と、それを設定している {0}.d/ 以下のファイルで `PasswordAuthentication yes` にして、再読み込みします{1}:", server.config_file(), server.reload_note(l)),
                format!("sudo grep -rn PasswordAuthentication /etc/ssh/sshd_config /etc/ssh/sshd_config.d/\n{}", server.reload()),
            ).on_server());
            if root {
                steps.push(Step::say(tr!(l, "For root that is not enough: `PermitRootLogin prohibit-password` (the default) refuses root's password whatever PasswordAuthentication says. Install the key for an account that has a password and copy it to /root/.ssh/authorized_keys with sudo, or set `PermitRootLogin yes` for the moment too.", "root ではそれだけでは足りません。`PermitRootLogin prohibit-password`（既定）は、PasswordAuthentication に関係なく root のパスワードを拒否します。パスワードのあるアカウントに鍵を登録して sudo で /root/.ssh/authorized_keys に写すか、一時的に `PermitRootLogin yes` にもします。")).on_server());
            }
        }
        steps.push(Step::run(
            tr!(
                l,
                "From this machine, install the key:",
                "このマシンから鍵を登録します:"
            ),
            copy,
        ));
        let check = if ctx.windows() {
            format!("ssh {port}-o PasswordAuthentication=no -i {key_arg} {target} \"cat ~/.ssh/authorized_keys\"")
        } else {
            format!("ssh {port}-o PasswordAuthentication=no -i {key_arg} {target} 'cat ~/.ssh/authorized_keys'")
        };
        steps.push(Step::run(
            tr!(
                l,
                "Check it arrived: this logs in with the key alone and shows the installed keys:",
                "届いたか確かめます。鍵だけでログインし、登録された鍵を表示します:"
            ),
            check,
        ));
        steps.push(
            Step::run(
                tr!(
                    l,
                    "Turn password login off again the same way, then reload:",
                    "同じ方法でパスワードログインを元に戻し、再読み込みします:"
                ),
                server.reload(),
            )
            .on_server(),
        );
    }
    push_non_default_key(&mut steps, ctx, key);
    if server == Server::Windows {
        steps.push(ctx.server_log());
        return steps;
    }
    let perms = if server == Server::Dropbear {
        "chmod 700 ~/.ssh && chmod 600 ~/.ssh/authorized_keys && chmod go-w ~   # OpenWrt's root: /etc/dropbear/authorized_keys"
    } else {
        "chmod 700 ~/.ssh && chmod 600 ~/.ssh/authorized_keys && chmod go-w ~ && namei -l ~/.ssh/authorized_keys"
    };
    steps.push(Step::run(
        tr!(l, "If the key is installed and still refused, fix the permissions (as that user; sshd's StrictModes ignores files others can write):", "鍵を登録してもまだ拒否されるなら、パーミッションを直します（そのユーザーとして。sshd の StrictModes は、ほかの人が書き込めるファイルを無視します）:"),
        perms,
    ).on_server());
    let fp = fingerprint
        .map(|f| {
            tr!(
                l,
                " with the one ssh offered ({f})",
                "と、ssh が提示したもの（{f}）"
            )
        })
        .unwrap_or_default();
    // Dropbear's machines often have no ssh-keygen.
    if server != Server::Dropbear {
        steps.push(
            Step::run(
                tr!(
                    l,
                    "Compare the fingerprints of the installed keys{fp}:",
                    "登録された鍵のフィンガープリント{fp}を比べます:"
                ),
                "ssh-keygen -lf ~/.ssh/authorized_keys",
            )
            .on_server(),
        );
    }
    if server.unix_openssh() {
        steps.push(Step::run(
            tr!(l, "See what sshd applies to this login (ADDRESS: the address you connect from, as the server's log shows it):", "このログインに sshd が適用する設定を見ます（ADDRESS は接続元のアドレス。サーバーのログに出ます）:"),
            super::server::effective_config(ctx, t, "authorizedkeysfile|pubkeyauthentication|allowusers|denyusers|passwordauthentication|permitrootlogin"),
        ).on_server());
    }
    steps
}

/// A key under a name ssh does not try by itself: name it in ~/.ssh/config.
fn push_non_default_key(steps: &mut Vec<Step>, ctx: &Ctx, key: &str) {
    let name = key.rsplit(['/', '\\']).next().unwrap_or(key);
    if crate::trace::DEFAULT_IDENTITIES.contains(&name) {
        return;
    }
    let l = ctx.lang;
    // Only a plain path: the snippet is for a file, but people paste it
    // into a shell too.
    if sh(key) != key {
        return;
    }
    let file = key;
    steps.push(Step::run(
        tr!(l, "ssh offers {name} only when told to (it is not a default key name): name it for this host in ~/.ssh/config, so no other key is tried first:", "{name} は既定の鍵の名前ではないので、指定しないと ssh は提示しません。~/.ssh/config でこのホストに指定し、ほかの鍵が先に試されないようにします:"),
        format!("Host {}\n    IdentityFile {file}\n    IdentitiesOnly yes", ctx.host()),
    ));
}

fn no_identities(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated || ctx.verbosity == 0 || !t.offers.is_empty() {
        return None;
    }
    let deny = denial(t)?;
    if !ctx.allowed.iter().any(|m| m == "publickey") {
        return None;
    }
    let files: Vec<&Noted> = t.all(|k| matches!(k, K::IdentityFile { .. })).collect();
    let any_key = files.iter().any(|n| matches!(n.kind(), K::IdentityFile { key_type, path } if *key_type >= 0 && !path.ends_with("-cert")));
    let agent_keys = t.find(|k| matches!(k, K::AgentKeys { count } if *count > 0));
    let explicit_missing = t.events().iter().any(|n| {
        matches!(n.kind(), K::NoSuchIdentity { .. }) && n.event.level == crate::event::Level::Plain
    });
    if any_key
        || agent_keys.is_some()
        || explicit_missing
        || t.has(|k| matches!(k, K::LoadKeyFailed { .. } | K::UnprotectedKeyBanner {}))
    {
        return None;
    }
    // Keys are offered right after `Next authentication method: publickey`:
    // without that line (or the identity files) in sight, the offers may
    // simply be above where the paste was cut.
    let tried_keys = t.has(|k| matches!(k, K::NextAuthMethod { method } if method == "publickey"));
    let confidence = if !files.is_empty() {
        Confidence::High
    } else if tried_keys {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    let dir = ctx
        .ssh_dir
        .as_deref()
        .map(home_tilde)
        .unwrap_or_else(|| "~/.ssh".into());
    let l = ctx.lang;
    let mut f = Finding::new(
        &NO_IDENTITIES,
        tr!(
            l,
            "ssh found no key to offer: none of the default key files in {dir} exist and no agent offered one, while the server accepts only: {}.",
            "ssh には提示できる鍵がありませんでした。{dir} に既定の鍵ファイルがどれもなく、エージェントも鍵を出しませんでした。一方サーバーが受け付けるのは {} だけです。",
            methods_text(ctx)
        ),
        &[deny],
    )
    .confidence(confidence)
    .steps([
        Step::run(tr!(l, "See what is in your ssh directory; a key saved under another name must be named with -i:", "ssh のディレクトリに何があるか見ます。別の名前で保存した鍵は -i で指定する必要があります:"), ctx.client.list(&[ctx.client.path(&format!("{dir}/"))])),
        Step::run(tr!(l, "If you have a key under another name, use it:", "別の名前の鍵があるなら、それを使います:"), ctx.ssh(&format!("-i {dir}/YOUR_KEY"))),
        Step::run(tr!(l, "If you have no key yet, generate one:", "まだ鍵がないなら作ります:"), "ssh-keygen -t ed25519"),
    ])
    .steps(install_key_steps(ctx, t, "~/.ssh/id_ed25519", None).into_iter().skip(1));
    f.cite(files.iter().copied().take(3));
    f.cite(t.find(|k| matches!(k, K::NextAuthMethod { method } if method == "publickey")));
    Some(f)
}

fn key_rejected(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let refused: Vec<_> = t
        .offers
        .iter()
        .filter(|o| o.fate == Fate::Refused)
        .collect();
    if refused.is_empty() {
        return refused_after_signing(t, ctx).or_else(|| named_key_then_password(t, ctx));
    }
    if refused.iter().any(|o| o.identity.is_certificate()) {
        return None;
    }
    let deny = denial(t).or_else(|| t.find_last(|k| matches!(k, K::ReceivedDisconnect { .. })))?;
    let names: Vec<String> = refused
        .iter()
        .take(4)
        .map(|o| super::context::key_label(&o.identity, ctx.lang))
        .collect();
    let l = ctx.lang;
    let more = if refused.len() > 4 {
        tr!(l, " and {} more", "ほか {} 個", refused.len() - 4)
    } else {
        String::new()
    };
    let key = refused
        .iter()
        .rev()
        .find(|o| !o.identity.agent)
        .map(|o| home_tilde(&unvis(&o.identity.path)))
        .unwrap_or_else(|| ctx.key());
    let user = ctx
        .user
        .as_deref()
        .unwrap_or(l.pick("the user", "そのユーザー"));
    let lockout = if !ctx.server_refuses_passwords() {
        String::new()
    } else {
        tr!(
            l,
            " The server accepts only keys, so there is no password login to fall back on.",
            "サーバーは鍵しか受け付けないので、パスワードログインに切り替えることもできません。"
        )
    };
    let summary = tr!(
        l,
        "The server at {} refused {}{more} for {user}: that public key is not in {user}'s ~/.ssh/authorized_keys there (or sshd ignores the file because of its permissions).{lockout}",
        "{} のサーバーは {user} の鍵 {}{more} を拒否しました。その公開鍵がサーバー上の {user} の ~/.ssh/authorized_keys にありません（または、パーミッションのために sshd がファイルを無視しています）。{lockout}",
        ctx.host(),
        names.join(", ")
    );
    let mut steps = Vec::new();
    if let Some(u) = &ctx.user {
        steps.push(Step::say(tr!(l, "Check the user name: the key must be installed for `{u}` on that server (`ssh -l NAME` or `NAME@host` to use another).", "ユーザー名を確かめます。鍵はそのサーバーの `{u}` に登録されている必要があります（別のユーザーなら `ssh -l NAME` か `NAME@host`）。")));
    }
    let fingerprint = refused
        .last()
        .and_then(|o| o.identity.fingerprint.as_deref());
    steps.extend(install_key_steps(ctx, t, &key, fingerprint));
    let mut f = Finding::new(&KEY_REJECTED, summary, &[deny]).steps(steps);
    for o in refused.iter().take(4) {
        if let Some(n) = t.events().iter().find(|n| n.line() == o.line) {
            f.cite([n]);
        }
        if let Some(l) = o.fate_line {
            if let Some(n) = t.events().iter().find(|n| n.line() == l) {
                f.cite([n]);
            }
        }
    }
    Some(f)
}

/// `ssh -i KEY ...` answered by a password prompt, where the output ends
/// (no -v): ssh asks for a password only once no key got it in, so the
/// key given was not accepted (or not usable; -v tells which).
fn named_key_then_password(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.verbosity > 0 {
        return None;
    }
    let key = t.command.as_ref()?.identities.last()?;
    let prompt = t.find_last(|k| matches!(k, K::PasswordPrompt { .. }))?;
    if t.last_significant()
        .is_some_and(|n| n.line() > prompt.line())
    {
        return None;
    }
    // Only when that is all the output shows: any other message of ssh's
    // is a better lead than this inference.
    let thin = t.events().iter().all(|n| {
        matches!(
            n.kind(),
            K::Command { .. }
                | K::PasswordPrompt { .. }
                | K::Text { .. }
                | K::HostAuthenticityUnknown { .. }
                | K::KeyFingerprintIs { .. }
                | K::WarningBlockText { .. }
                | K::ContinueConnectingPrompt { .. }
                | K::PermanentlyAdded { .. }
        )
    });
    if !thin {
        return None;
    }
    let l = ctx.lang;
    let arg = crate::shell::path(key).map_or_else(|| "KEY_FILE".to_string(), sh);
    let mut f = Finding::new(
            &KEY_REJECTED,
            tr!(l, "ssh was given the key {key} (-i) and still asked for a password: the server did not accept that key for {}.", "ssh に鍵 {key}（-i）を渡したのに、パスワードを尋ねられました。サーバーは {} にその鍵を受け入れませんでした。", ctx.user_or_placeholder()),
            &[prompt],
        )
        .confidence(Confidence::Medium)
        .steps([
            Step::run(tr!(l, "See whether ssh could use the key and what the server said to it:", "ssh がその鍵を使えたか、サーバーがどう答えたかを見ます:"), ctx.ssh(&format!("-v -i {arg}"))),
            Step::run(tr!(l, "Install its public key for this user (with the password, once):", "そのユーザーに公開鍵を登録します（一度だけパスワードを使います）:"), format!("ssh-copy-id -i {arg}.pub {}{}", ctx.port_flag(), ctx.target())),
        ]);
    f.cite(t.find_last(|k| matches!(k, K::Command { .. })));
    Some(f)
}

/// The server accepted a key (it is in authorized_keys), then refused the
/// request the key signed: a rule checked after the key refused the login.
fn refused_after_signing(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let o = t
        .offers
        .iter()
        .rfind(|o| o.fate == Fate::RefusedAfterSigning && !o.identity.is_certificate())?;
    let deny = denial(t)?;
    let l = ctx.lang;
    let key = super::context::key_label(&o.identity, l);
    let user = ctx
        .user
        .as_deref()
        .unwrap_or(l.pick("the user", "そのユーザー"));
    let root = ctx.user.as_deref() == Some("root");
    let likely = if root {
        l.pick(
            "For root it is most often PermitRootLogin (no, or forced-commands-only). ",
            "root ならたいていは PermitRootLogin（no か forced-commands-only）です。",
        )
    } else {
        ""
    };
    let summary = tr!(
        l,
        "The server accepted {key} for {user} (it is in authorized_keys), then refused the login the key signed: a rule sshd checks after the key refused it. {likely}Other candidates: a from= or principals restriction on the key's line in authorized_keys, an account that is locked or expired, a signature algorithm the server does not accept. The client is not told which; the server's log says.",
        "サーバーは {user} の鍵 {key} を受け入れました（authorized_keys にあります）が、その鍵で署名したログインは拒否しました。鍵の後に sshd が確かめる規則が拒否しています。{likely}ほかの候補: authorized_keys のその鍵の行にある from= や principals の制限、ロックされたか期限切れのアカウント、サーバーが受け付けない署名アルゴリズム。クライアントにはどれかは知らされません。サーバーのログに出ます。"
    );
    let mut steps = vec![ctx.server_log()];
    if root {
        steps.push(Step::run(
            tr!(
                l,
                "See PermitRootLogin (prohibit-password allows root with a key; no does not):",
                "PermitRootLogin を見ます（prohibit-password なら root は鍵で入れます。no なら入れません）:"
            ),
            "sudo sshd -T | grep -i permitrootlogin",
        ).on_server());
    }
    let mut f = Finding::new(&KEY_REJECTED, summary, &[deny])
        .confidence(Confidence::Medium)
        .steps(steps);
    f.cite(offer_lines(t, o));
    Some(f)
}

/// The events of an offer's line and of the line that decided its fate.
fn offer_lines<'a>(t: &'a Trace, o: &'a KeyOffer) -> impl Iterator<Item = &'a Noted> {
    t.events()
        .iter()
        .filter(move |n| n.line() == o.line || Some(n.line()) == o.fate_line)
}

fn key_unprotected(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let too_open = t.find(|k| matches!(k, K::KeyPermissionsTooOpen { .. }));
    let win =
        t.find(|k| matches!(k, K::WindowsBadPermissions { path, .. } if !super::config::is_config_file(path)));
    let banner = t.find(|k| matches!(k, K::UnprotectedKeyBanner {}));
    let head = banner.or(too_open).or(win)?;
    let (path, mode) = match too_open.map(|n| n.kind()) {
        Some(K::KeyPermissionsTooOpen { path, mode }) => (
            unvis(path).into_owned(),
            mode.as_ref().map(|m| m.to_string()),
        ),
        _ => match win.map(|n| n.kind()) {
            Some(K::WindowsBadPermissions { path, .. }) => (unvis(path).into_owned(), None),
            _ => (ctx.key(), None),
        },
    };
    let windows = ctx.windows() || win.is_some() || path.contains(":\\") || path.contains(":/");
    let l = ctx.lang;
    let steps = if windows {
        super::config::windows_acl_steps(&path, win.map(|n| n.kind()), l)
    } else if on_drvfs(&path) {
        drvfs_key_steps(ctx, &path)
    } else {
        let (p, refused) = path_arg(&path, l);
        refused
            .into_iter()
            .chain([
                Step::run(
                    tr!(
                        l,
                        "Make the key readable by you only:",
                        "鍵を自分だけが読めるようにします:"
                    ),
                    format!("chmod 600 {p}"),
                ),
                Step::run(
                    tr!(l, "And the directory:", "ディレクトリも:"),
                    "chmod 700 ~/.ssh",
                ),
            ])
            .collect()
    };
    let mode_text = mode
        .map(|m| tr!(l, " (mode {m})", "（モード {m}）"))
        .unwrap_or_default();
    let summary = if ctx.authenticated {
        tr!(l, "ssh ignored the private key {path}{mode_text} because other users can read it; you got in another way, but the key itself was skipped.", "ほかのユーザーが読めるため、ssh は秘密鍵 {path}{mode_text} を無視しました。ログインは別の方法でできましたが、この鍵は使われていません。")
    } else {
        tr!(l, "ssh ignored the private key {path}{mode_text} because other users can read it, so it was never offered.", "ほかのユーザーが読めるため、ssh は秘密鍵 {path}{mode_text} を無視し、一度も提示しませんでした。")
    };
    let mut f = Finding::new(&KEY_UNPROTECTED, summary, &[head])
        .failing(!ctx.authenticated)
        .steps(steps);
    f.cite(too_open);
    f.cite(win);
    f.cite(t.find(|k| matches!(k, K::UnprotectedKeyText { text } if text.contains("ignored"))));
    f.cite(denial(t));
    Some(f)
}

/// A key on a Windows drive inside WSL (`/mnt/c/...`): chmod does not
/// change its mode there, so it is copied into WSL's own ~/.ssh.
fn drvfs_key_steps(ctx: &Ctx, path: &str) -> Vec<Step> {
    let l = ctx.lang;
    let (p, refused) = path_arg(path, l);
    let name = path.rsplit('/').next().unwrap_or("key");
    let copy = format!("~/.ssh/{name}");
    let mut steps: Vec<Step> = refused.into_iter().collect();
    steps.push(Step::run(
        tr!(l, "The key is on a Windows drive, where chmod has no effect (WSL mounts it with fixed modes). Copy it into ~/.ssh inside WSL, then make the copy yours only:", "鍵は Windows のドライブ上にあり、そこでは chmod が効きません（WSL は決まったモードでマウントします）。WSL の中の ~/.ssh に写し、写しを自分だけのものにします:"),
        format!("mkdir -p ~/.ssh && cp {p} {c} && chmod 600 {c}", c = sh(&copy)),
    ));
    steps.push(Step::run(
        tr!(l, "Use the copy:", "写しを使います:"),
        ctx.ssh(&format!("-i {}", sh(&copy))),
    ));
    steps
}

fn key_load_failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // The private key's failure first; the public half's is a warning.
    let failed = |want_public: bool| {
        t.find(move |k| match k {
            K::LoadKeyFailed { reason, public, .. } if *public == want_public => {
                let r = reason.to_ascii_lowercase();
                !r.contains("passphrase") && !r.contains("bad permissions")
            }
            _ => false,
        })
    };
    let n = failed(false).or_else(|| failed(true))?;
    let K::LoadKeyFailed {
        path,
        reason,
        public,
    } = n.kind()
    else {
        return None;
    };
    let path = unvis(path).into_owned();
    let l = ctx.lang;
    // A public half ssh could not parse; one it could not open is the
    // same file (or its directory) the private key is read from.
    if *public && !reason.contains("Permission denied") && !reason.contains("No such file") {
        return Some(public_half(n, &path, reason, ctx));
    }
    let likely = if path.ends_with(".pub") {
        l.pick("the file is a public key; -i / IdentityFile must name the private key (the same name without .pub)", "このファイルは公開鍵です。-i / IdentityFile には秘密鍵（.pub を除いた同じ名前）を指定します")
    } else if path.ends_with(".ppk") {
        l.pick(
            "it is a PuTTY .ppk file, which OpenSSH cannot read",
            "OpenSSH が読めない PuTTY の .ppk ファイルです",
        )
    } else if reason.contains("No such file") {
        l.pick("the file does not exist", "ファイルが存在しません")
    } else if reason.contains("Permission denied") {
        l.pick("ssh may not read the file: its owner or mode, or a sandbox (a snap, a container) that cannot see it", "ssh がそのファイルを読めません。所有者や権限、またはファイルが見えないサンドボックス（snap、コンテナー）のためです")
    } else {
        l.pick("it is not a complete OpenSSH private key: usually Windows line endings (CRLF) after copying, a truncated copy-paste, or a key in another format", "完全な OpenSSH の秘密鍵ではありません。たいていは写したときの Windows の改行（CRLF）、途中で切れたコピー＆ペースト、または別の形式の鍵です")
    };
    if path == "(stdin)" {
        return Some(stdin_key_failed(n, reason, ctx));
    }
    let (p, refused) = ctx.client_path_arg(&path);
    let mut steps: Vec<Step> = refused.into_iter().collect();
    steps.extend([
        Step::run(tr!(l, "Test whether ssh can read it (prints the public key if so):", "ssh が読めるか試します（読めれば公開鍵が表示されます）:"), format!("ssh-keygen -y -f {p}")),
        Step::run(tr!(l, "A private key starts with -----BEGIN OPENSSH PRIVATE KEY----- (or BEGIN RSA/EC PRIVATE KEY) and ends with a matching END line; `file` shows CRLF:", "秘密鍵は -----BEGIN OPENSSH PRIVATE KEY-----（または BEGIN RSA/EC PRIVATE KEY）で始まり、対応する END の行で終わります。`file` で CRLF かどうか分かります:"), ctx.client.ends_of(&p)),
        Step::run(tr!(l, "Remove Windows line endings:", "Windows の改行を取り除きます:"), ctx.client.strip_crlf(&p)),
    ]);
    if path.ends_with(".ppk") {
        steps.insert(
            steps.len() - 3,
            Step::run(
                tr!(
                    l,
                    "Convert the PuTTY key to OpenSSH format:",
                    "PuTTY の鍵を OpenSSH の形式に変換します:"
                ),
                format!("puttygen {p} -O private-openssh -o ~/.ssh/id_from_putty"),
            ),
        );
    }
    Some(
        Finding::new(
            &KEY_LOAD_FAILED,
            tr!(
                l,
                "ssh could not load the private key {path} ({reason}): {likely}.",
                "ssh は秘密鍵 {path} を読み込めませんでした（{reason}）。{likely}。"
            ),
            &[n],
        )
        // A session that ended normally afterwards (`Connection to H
        // closed.`, printed only when a terminal session ends) logged in.
        .failing(
            !ctx.authenticated
                && t.find_last(|k| matches!(k, K::ConnectionClosed { .. }))
                    .is_none_or(|c| c.line() < n.line()),
        )
        .steps(steps),
    )
}

/// `load pubkey "K": ERR`: OpenSSH 8.3 and later read each identity's
/// public half when they start (from K.pub, else from K itself) and warn
/// when they cannot; the private key is loaded only to sign, so the
/// warning alone fails nothing (a PEM key from a cloud console without its
/// .pub file, a file a sandbox cannot read). A bad private key says
/// `Load key` when it is used.
fn public_half(n: &Noted, path: &str, reason: &str, ctx: &Ctx) -> Finding {
    let l = ctx.lang;
    let (p, refused) = ctx.client_path_arg(path);
    let (pp, _) = ctx.client_path_arg(&format!("{path}.pub"));
    let public = format!("ssh-keygen -y -f {p}");
    let mut steps: Vec<Step> = refused.into_iter().collect();
    steps.extend([
        Step::run(
            tr!(
                l,
                "Test whether ssh can read the private key (prints its public half if so):",
                "ssh が秘密鍵を読めるか試します（読めれば公開鍵が表示されます）:"
            ),
            public.clone(),
        ),
        Step::run(
            tr!(
                l,
                "If it can, write the public half next to it; the warning goes away:",
                "読めるなら、公開鍵を隣に書き出します。警告は出なくなります:"
            ),
            ctx.client.write_output(&public, &pp),
        ),
    ]);
    Finding::new(
        &KEY_LOAD_FAILED,
        tr!(
            l,
            "ssh could not read the public half of {path} ({reason}). OpenSSH 8.3 and later warn so when a key has no .pub file beside it and is in an older format (a PEM key from a cloud console), then use the private key anyway: the warning alone fails nothing.",
            "ssh は {path} の公開鍵の部分を読めませんでした（{reason}）。OpenSSH 8.3 以降は、鍵の隣に .pub ファイルがなく古い形式（クラウドのコンソールで作った PEM の鍵など）のときにこう警告し、そのまま秘密鍵を使います。この警告だけでは何も失敗しません。"
        ),
        &[n],
    )
    .failing(false)
    .confidence(Confidence::Low)
    .steps(steps)
}

/// `ssh-add -` given a key on its standard input (a CI job feeding it a
/// secret) that is not a whole private key.
fn stdin_key_failed(n: &Noted, reason: &str, ctx: &Ctx) -> Finding {
    let l = ctx.lang;
    Finding::new(
        &KEY_LOAD_FAILED,
        tr!(
            l,
            "ssh-add could not load the private key it read from its standard input ({reason}): the text it was given (usually a CI secret or variable) is not a whole OpenSSH private key, so no key was used.",
            "ssh-add は標準入力から読んだ秘密鍵を読み込めませんでした（{reason}）。渡された文字列（たいていは CI のシークレットや変数）が完全な OpenSSH の秘密鍵ではないので、鍵は使われていません。"
        ),
        &[n],
    )
    .failing(!ctx.authenticated)
    .steps([
        Step::say(tr!(l, "Check the secret holds the whole private key: the -----BEGIN ... PRIVATE KEY----- line, every line after it with its line breaks, and the matching END line (a key pasted on one line, cut short, or with Windows line endings fails this way).", "シークレットに秘密鍵の全体が入っているか確かめます。-----BEGIN ... PRIVATE KEY----- の行、その後のすべての行（改行も含めて）、対応する END の行です（1 行に貼った鍵、途中で切れた鍵、Windows の改行の鍵はこうして失敗します）。")),
        Step::run(tr!(l, "Feed it with its line breaks kept and carriage returns removed (KEY_VARIABLE: the variable that holds it):", "改行を保ち、CR を取り除いて渡します（KEY_VARIABLE は鍵を入れた変数）:"), "printf '%s\\n' \"$KEY_VARIABLE\" | tr -d '\\r' | ssh-add -"),
    ])
}

fn key_passphrase(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let wrong = t
        .find(|k| matches!(k, K::LoadKeyFailed { reason, .. } if reason.contains("passphrase")))
        .or_else(|| t.find(|k| matches!(k, K::BadPassphrase {})));
    let accepted = t
        .offers
        .iter()
        .find(|o| o.fate == Fate::Accepted && !o.identity.agent && !o.identity.is_security_key());
    let accepted_line = accepted.and_then(|o| o.fate_line).unwrap_or(usize::MAX);
    let no_tty = t.find(|k| matches!(k, K::NoTty { .. })).filter(|n| {
        n.line() > accepted_line
            || t.has(|k| matches!(k, K::PassphrasePrompt { .. }))
            || key_being_loaded(t, n).is_some()
    });
    let askpass = t
        .all(|k| matches!(k, K::AskpassRequested {}))
        .filter(|n| n.line() > accepted_line)
        .count();
    let deny = denial(t);
    let l = ctx.lang;
    let (head, confidence, why) = if let Some(n) = wrong {
        (
            n,
            Confidence::High,
            l.pick(
                "the passphrase given was wrong",
                "入力されたパスフレーズが間違っていました",
            ),
        )
    } else if let Some(n) = no_tty {
        (
            n,
            Confidence::High,
            l.pick(
                "there was no terminal to ask for it",
                "それを尋ねる端末がありませんでした",
            ),
        )
    } else if askpass > 0 && accepted.is_some() {
        (
            t.find(|k| matches!(k, K::AskpassRequested {}))?,
            Confidence::Medium,
            l.pick(
                "the askpass program's answers did not unlock it",
                "askpass プログラムの答えでは解錠できませんでした",
            ),
        )
    } else if accepted.is_some()
        && deny.is_some()
        && !t.has(|k| {
            matches!(
                k,
                K::SigningFailed { .. }
                    | K::NoMutualSignature {}
                    | K::LoadKeyFailed { .. }
                    | K::AgentUnavailable { .. }
                    | K::UnprotectedKeyBanner {}
            )
        })
    {
        // Only "accepted, then never used": the trace cannot tell a passphrase
        // ssh could not ask for from a private key that is not here at all.
        (deny?, Confidence::Low, "")
    } else {
        return None;
    };
    let loading = key_being_loaded(t, head).or_else(|| {
        t.find(|k| matches!(k, K::PassphrasePrompt { .. }))
            .and_then(|n| match n.kind() {
                K::PassphrasePrompt { path } => Some(&**path),
                _ => None,
            })
    });
    let key = accepted
        .map(|o| home_tilde(&unvis(&o.identity.path)))
        .or_else(|| loading.map(|p| home_tilde(&unvis(p))))
        .unwrap_or_else(|| ctx.key());
    let summary = if accepted.is_none() && !why.is_empty() {
        // No acceptance in sight: say only what the lines show.
        tr!(
            l,
            "ssh needed the passphrase of {key} to use it, and {why}.",
            "ssh が {key} を使うにはパスフレーズが必要でしたが、{why}。"
        )
    } else if why.is_empty() {
        tr!(
            l,
            "The server would accept {key}, but ssh never used it. Either the key is protected by a passphrase that ssh could not ask for (BatchMode, no terminal, no agent holding it), or only its public half is on this machine (the private key lived in an agent that is not reachable now). The trace does not say which.",
            "サーバーは {key} を受け入れるはずでしたが、ssh はそれを使いませんでした。鍵が、ssh が尋ねられなかったパスフレーズで守られている（BatchMode、端末なし、鍵を持つエージェントなし）か、このマシンには公開鍵の半分しかない（秘密鍵は今は届かないエージェントの中にあった）かのどちらかです。出力からはどちらか分かりません。"
        )
    } else {
        tr!(
            l,
            "The server would accept {key}, but the key is protected by a passphrase and {why}.",
            "サーバーは {key} を受け入れるはずでしたが、鍵はパスフレーズで守られていて、{why}。"
        )
    };
    let (k, refused) = ctx.client_path_arg(&key);
    let (k_pub, _) = ctx.client_path_arg(&format!("{key}.pub"));
    let mut f = Finding::new(&KEY_PASSPHRASE, summary, &[head])
    .confidence(confidence)
    .steps(refused)
    .steps([
        Step::run(tr!(l, "Check that the private key is here (not only KEY.pub):", "秘密鍵が（KEY.pub だけでなく）ここにあるか確かめます:"), ctx.client.list(&[k.clone(), k_pub])),
        Step::run(tr!(l, "Check the passphrase (prints the public key when it is right):", "パスフレーズを確かめます（正しければ公開鍵が表示されます）:"), format!("ssh-keygen -y -f {k}")),
        Step::run(tr!(l, "Unlock it once per session into an agent, so ssh does not need to ask:", "セッションごとに一度エージェントで解錠しておけば、ssh は尋ねずに済みます:"), ctx.client.start_agent(&k)),
        Step::say(tr!(l, "For CI or cron, load the key into an agent in the job, or use a dedicated deploy key without passphrase restricted on the server (`from=`, `command=` in authorized_keys).", "CI や cron では、ジョブの中で鍵をエージェントに読み込ませるか、パスフレーズなしの専用デプロイキーをサーバー側で制限して使います（authorized_keys の `from=`、`command=`）。")),
    ]);
    if let Some(o) = accepted {
        if let Some(n) = t.events().iter().find(|n| Some(n.line()) == o.fate_line) {
            f.cite([n]);
        }
    }
    f.cite(deny);
    Some(f)
}

fn no_mutual_signature(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let named = t.find(|k| matches!(k, K::NoMutualSignature {}))
        .or_else(|| t.find(|k| matches!(k, K::SkippingKey { reason, .. } if reason.contains("not supported by server"))));
    // `signing failed for RSA "K": error in libcrypto`: the system's crypto
    // policy (RHEL 9, Fedora, FIPS) would not make the SHA-1 `ssh-rsa`
    // signature this server needs (or refused a short RSA key): inferred.
    let policy = || {
        t.find(|k| {
            matches!(k, K::SigningFailed { key_type, from_agent: false, reason, .. }
                if key_type.as_deref() == Some("RSA") && reason.contains("libcrypto"))
        })
    };
    let (n, confidence) = match named {
        Some(n) => (n, Confidence::High),
        None => (policy()?, Confidence::Medium),
    };
    let sig_algs = t.find_last(|k| matches!(k, K::ServerSigAlgs { .. }));
    let server_sha1_only = match sig_algs.map(|n| n.kind()) {
        Some(K::ServerSigAlgs { algorithms }) => {
            algorithms.contains("ssh-rsa")
                && !algorithms.contains("rsa-sha2-256")
                && !algorithms.contains("rsa-sha2-512")
        }
        _ => false,
    };
    let client_restricted = t.command.as_ref().and_then(|c| {
        c.option("pubkeyacceptedalgorithms")
            .or(c.option("pubkeyacceptedkeytypes"))
            .map(str::to_string)
    });
    let key = match n.kind() {
        K::SigningFailed { key: Some(k), .. } => home_tilde(&unvis(k)),
        _ => ctx.key(),
    };
    let l = ctx.lang;
    let summary = match (&client_restricted, server_sha1_only) {
        _ if confidence == Confidence::Medium => tr!(l, "This system's crypto policy would not let ssh sign with the RSA key {key} (it refuses SHA-1 `ssh-rsa` signatures, which a server that knows no other needs, and RSA keys shorter than 2048 bits), so the key could not be used.", "このシステムの暗号ポリシーが RSA の鍵 {key} での署名を許しませんでした（SHA-1 の `ssh-rsa` 署名、つまりそれしか知らないサーバーが必要とする署名と、2048 ビット未満の RSA の鍵を拒みます）。そのため鍵は使えませんでした。"),
        (Some(list), _) => tr!(l, "For the key {key} the server and your PubkeyAcceptedAlgorithms={list} have no signature algorithm in common, so the key is never used.", "鍵 {key} について、サーバーとあなたの PubkeyAcceptedAlgorithms={list} に共通の署名方式がないため、この鍵は使われません。"),
        (None, true) => tr!(l, "The server only accepts SHA-1 `ssh-rsa` signatures, which this client no longer makes, so your RSA key {key} cannot be used.", "サーバーは SHA-1 の `ssh-rsa` 署名しか受け付けず、このクライアントはもうそれを作らないため、RSA の鍵 {key} は使えません。"),
        _ => tr!(l, "The server and this client have no signature algorithm in common for {key} (typically an RSA key and a server that only knows SHA-1 `ssh-rsa`).", "{key} について、サーバーとこのクライアントに共通の署名方式がありません（典型的には RSA の鍵と、SHA-1 の `ssh-rsa` しか知らないサーバーです）。"),
    };
    let best = Step::run(tr!(l, "Best: use an Ed25519 key, which every server since OpenSSH 6.5 accepts (then install it on the server):", "最善策: OpenSSH 6.5 以降のどのサーバーも受け付ける Ed25519 の鍵を使います（その後サーバーに登録します）:"), "ssh-keygen -t ed25519");
    let upgrade = Step::say(tr!(l, "The real fix is upgrading the server's SSH (OpenSSH 7.2+ supports rsa-sha2-256/512).", "本当の解決はサーバーの SSH の更新です（OpenSSH 7.2 以降は rsa-sha2-256/512 に対応しています）。"));
    let f = Finding::new(&NO_MUTUAL_SIGNATURE, summary, &[n]).confidence(confidence);
    let mut f = if confidence == Confidence::Medium {
        // ssh's own option cannot lift a policy libcrypto enforces.
        f.steps([
            best,
            Step::run(tr!(l, "Or, on RHEL 9 / Fedora, allow SHA-1 signatures again for the whole system (weaker for every program):", "または RHEL 9 / Fedora では、システム全体で SHA-1 署名を再び許可します（すべてのプログラムで弱くなります）:"), "sudo update-crypto-policies --set DEFAULT:SHA1"),
            upgrade,
        ])
    } else {
        f.steps([
            best,
            Step::run(tr!(l, "Workaround for this old server: allow SHA-1 RSA signatures for it only:", "この古いサーバー向けの回避策: このサーバーに限って SHA-1 の RSA 署名を許可します:"), ctx.ssh("-o PubkeyAcceptedAlgorithms=+ssh-rsa")),
            Step::run(tr!(l, "Make the workaround permanent in ~/.ssh/config:", "回避策を ~/.ssh/config で恒久的にします:"), format!("Host {}\n    PubkeyAcceptedAlgorithms +ssh-rsa", ctx.host())),
            upgrade,
        ])
    };
    f.cite(sig_algs);
    f.cite(denial(t));
    Some(f)
}

fn agent_refused(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::SigningFailed { reason, from_agent, .. } if *from_agent || reason.contains("agent refused")))?;
    let K::SigningFailed { key, reason, .. } = n.kind() else {
        return None;
    };
    if !reason.contains("refused") {
        return None;
    }
    let key = key
        .as_deref()
        .map(|k| home_tilde(&unvis(k)))
        .unwrap_or_else(|| ctx.key());
    let l = ctx.lang;
    let (k, refused) = path_arg(&key, l);
    let mut f = Finding::new(&AGENT_REFUSED, tr!(l, "The ssh agent holds {key} but refused to sign with it.", "ssh エージェントは {key} を持っていますが、それでの署名を拒否しました。"), &[n])
        .failing(!ctx.authenticated)
        .steps(refused)
        .steps([
            Step::run(tr!(l, "List what the agent holds:", "エージェントが持っている鍵を一覧します:"), "ssh-add -l"),
            Step::run(tr!(l, "If the key was added with confirmation (-c) and no confirmation dialog (ssh-askpass) is installed, re-add it without -c:", "鍵が確認付き（-c）で追加されていて、確認ダイアログ（ssh-askpass）がインストールされていないなら、-c なしで追加し直します:"), format!("ssh-add -d {k}; ssh-add {k}")),
            Step::run(tr!(l, "If the agent is locked, unlock it:", "エージェントがロックされているなら解除します:"), "ssh-add -X"),
            Step::say(tr!(l, "For keys on a smart card, gpg-agent or security key: unlock the card / enter the PIN / touch the token when asked.", "スマートカード、gpg-agent、セキュリティキーの鍵なら、求められたときにカードを解錠する、PIN を入れる、トークンにタッチする、のいずれかをします。")),
        ]);
    f.cite(denial(t));
    Some(f)
}

fn agent_unavailable(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let Some(n) = t.find(|k| matches!(k, K::AgentUnavailable { .. })) else {
        return agent_lost(t, ctx);
    };
    let accepted_unusable = t.offers.iter().any(|o| o.fate == Fate::Accepted);
    let missing_private = t.has(|k| {
        matches!(k, K::NoSuchIdentity { .. })
            || matches!(k, K::LoadKeyFailed { reason, .. } if reason.contains("No such file"))
    });
    // An agent that is there but does not answer (`communication with
    // agent failed`, not a missing socket), and no key offered at all: the
    // keys were in that agent.
    let broken = t.all(|k| matches!(k, K::AgentUnavailable { .. })).any(|n| {
        crate::grammar::primitives::find(&n.text, "communication with agent failed").is_some()
    });
    let only_source = broken && t.offers.is_empty();
    let needed = !ctx.authenticated
        && denial(t).is_some()
        && (accepted_unusable || missing_private || only_source);
    let l = ctx.lang;
    let mut f = Finding::new(
        &AGENT_UNAVAILABLE,
        if needed && only_source && !(accepted_unusable || missing_private) {
            tr!(l, "ssh found the agent but could not talk to it (\"communication with agent failed\": an agent of another version, or one that hung), so no key from it was offered, and no other key was.", "ssh はエージェントを見つけましたが、やり取りできませんでした（\"communication with agent failed\"。別のバージョンのエージェントか、固まったエージェント）。そのためそこにある鍵は提示されず、ほかの鍵も提示されていません。")
        } else if needed {
            tr!(l, "ssh could not reach the agent named by SSH_AUTH_SOCK, and the key the server would accept is only usable through it.", "ssh は SSH_AUTH_SOCK が指すエージェントに接続できず、サーバーが受け入れるはずの鍵はそのエージェント経由でしか使えません。")
        } else {
            tr!(l, "ssh could not reach the agent named by SSH_AUTH_SOCK (the socket is stale or the agent is not running); keys held there were not offered.", "ssh は SSH_AUTH_SOCK が指すエージェントに接続できませんでした（ソケットが古いか、エージェントが動いていません）。そこにある鍵は提示されていません。")
        },
        &[n],
    )
    .failing(needed)
    .confidence(if needed { Confidence::Medium } else { Confidence::High })
    .steps([
        Step::run(tr!(l, "Check the variable and the agent:", "変数とエージェントを確かめます:"), if ctx.windows() { "Get-Service ssh-agent; ssh-add -l" } else { "echo \"$SSH_AUTH_SOCK\"; ssh-add -l" }),
        Step::run(tr!(l, "Start a fresh agent in this shell and add your key:", "このシェルで新しいエージェントを起動し、鍵を追加します:"), ctx.client.start_agent(&ctx.client.path(&ctx.key()))),
        Step::say(tr!(l, "In tmux/screen, a session started from an older login keeps the old SSH_AUTH_SOCK: update it, or unset it and use -i KEY.", "tmux/screen では、前のログインから始めたセッションが古い SSH_AUTH_SOCK を持ち続けます。更新するか、消して -i KEY を使います。")),
    ]);
    f.cite(denial(t));
    Some(f)
}

/// `sign_and_send_pubkey: signing failed for K from agent: communication
/// with agent failed`: the agent went away in the middle of signing (it
/// crashed, or its device or forwarded socket is gone), so the key the
/// server would take was never used.
fn agent_lost(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| {
        matches!(k, K::SigningFailed { from_agent: true, reason, .. }
            if reason.contains("communication with agent failed"))
    })?;
    let K::SigningFailed { key, .. } = n.kind() else {
        return None;
    };
    let l = ctx.lang;
    let key = key.as_deref().map(unvis).unwrap_or_default();
    let mut f = Finding::new(
        &AGENT_UNAVAILABLE,
        tr!(l, "The agent stopped answering while it signed with {key} (it crashed, or its hardware key or forwarded socket went away), so that key was not used.", "エージェントは {key} で署名する途中で応答しなくなりました（落ちたか、ハードウェアキーや転送されたソケットがなくなった）。そのためその鍵は使われていません。"),
        &[n],
    )
    .failing(!ctx.authenticated)
    .confidence(Confidence::Medium)
    .steps([
        Step::run(tr!(l, "See whether the agent still answers:", "エージェントがまだ応答するか見ます:"), "ssh-add -l"),
        Step::say(tr!(l, "Restart the agent (for a hardware wallet or smart card agent: reconnect the device and restart its agent), then connect again.", "エージェントを再起動します（ハードウェアウォレットやスマートカードのエージェントなら、デバイスをつなぎ直してエージェントを再起動します）。それから接続し直します。")),
    ]);
    f.cite(denial(t));
    Some(f)
}

fn too_many_failures(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| match k {
        K::ReceivedDisconnect { reason, .. } | K::Disconnecting { reason, .. } => reason
            .to_ascii_lowercase()
            .contains("too many authentication failures"),
        _ => false,
    })?;
    let offered = t.offers.len();
    // One refused key and a disconnect: MaxAuthTries is 1 and the key is
    // simply not authorized — auth.key-rejected says that; this is the how.
    let loaded = |n: &&crate::trace::Noted| match n.kind() {
        K::WillAttemptKey { identity } => identity.fingerprint.is_some(),
        K::KeyCandidate { loaded, .. } => *loaded,
        K::IdentityFile { key_type, path } => *key_type >= 0 && !path.ends_with("-cert"),
        _ => false,
    };
    let candidates = [
        t.all(|k| matches!(k, K::WillAttemptKey { .. }))
            .filter(loaded)
            .count(),
        t.all(|k| matches!(k, K::KeyCandidate { .. }))
            .filter(loaded)
            .count(),
        t.all(|k| matches!(k, K::IdentityFile { .. }))
            .filter(loaded)
            .count(),
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    // (Only a trace seen from its start shows every offer.)
    let single = offered <= 1 && candidates <= 1 && ctx.verbosity > 0 && t.from_start();
    let from_agent = t.offers.iter().filter(|o| o.identity.agent).count();
    let key = ctx.key();
    let l = ctx.lang;
    let summary = if t.from_start() {
        tr!(
            l,
            "The server disconnected after {offered} key offers ({from_agent} from the agent): every offer counts against its MaxAuthTries limit, and the right key (if any) came too late.",
            "鍵を {offered} 個（うちエージェントから {from_agent} 個）提示した後、サーバーが接続を切りました。提示するたびに MaxAuthTries の回数に数えられ、正しい鍵（あったとしても）の番は間に合いませんでした。"
        )
    } else {
        // A cut paste shows only the last offers: say nothing of how many.
        tr!(
            l,
            "The server disconnected with \"Too many authentication failures\": every key offered counts against its MaxAuthTries limit, and the right key (if any) came too late.",
            "サーバーが \"Too many authentication failures\" で接続を切りました。提示した鍵はすべて MaxAuthTries の回数に数えられ、正しい鍵（あったとしても）の番は間に合いませんでした。"
        )
    };
    let mut f = Finding::new(&TOO_MANY_FAILURES, summary, &[n]).steps([
        Step::run(
            tr!(
                l,
                "Offer only the key meant for this server:",
                "このサーバー用の鍵だけを提示します:"
            ),
            ctx.ssh(&format!("-o IdentitiesOnly=yes -i {}", sh(&key))),
        ),
        Step::run(
            tr!(
                l,
                "Make it permanent in ~/.ssh/config:",
                "~/.ssh/config で恒久的にします:"
            ),
            format!(
                "Host {}\n    IdentityFile {}\n    IdentitiesOnly yes",
                ctx.host(),
                crate::shell::conf(&key).unwrap_or_else(|| "KEY_FILE".into())
            ),
        ),
        Step::run(
            tr!(
                l,
                "See how many keys your agent offers:",
                "エージェントが何個の鍵を提示するか見ます:"
            ),
            "ssh-add -l",
        ),
    ]);
    f.cite(t.all(|k| matches!(k, K::OfferingKey { .. })).take(3));
    // Passwords refused before the disconnect and no key offer shown: the
    // last failures were passwords (a password is asked only once the keys
    // are done), so the refused password says more than the count.
    let passwords = offered == 0 && t.has(|k| matches!(k, K::PasswordRetry {}));
    Some(if single || passwords { f.note() } else { f })
}

fn password_rejected(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let tries: Vec<&Noted> = t.all(|k| matches!(k, K::PasswordRetry {})).collect();
    tries.first()?;
    let user = ctx.user_or_placeholder();
    let l = ctx.lang;
    // A hosting service takes only keys for git: its password prompt comes
    // because no key of yours was accepted, and no password can pass it.
    if let Some(h) = ctx.server.hosting() {
        let mut f = Finding::new(
            &KEY_REJECTED,
            tr!(l, "{} accepts only SSH keys for git: it asked for a password because no key of yours was accepted, and no password will get through.", "{} は git に SSH 鍵しか受け付けません。パスワードを尋ねたのはあなたの鍵がどれも受け入れられなかったからで、どんなパスワードも通りません。", h.name()),
            &tries,
        )
        .confidence(Confidence::Medium)
        .steps([
            Step::run(tr!(l, "See which keys you have and which the agent offers:", "手元の鍵と、エージェントが提示する鍵を見ます:"), format!("{}\nssh-add -l", super::differential::public_keys(ctx))),
            Step::run(tr!(l, "Add the public key to your account ({}), then test:", "公開鍵をアカウント（{}）に追加してから試します:", h.keys_page()), ctx.ssh("-T")),
        ]);
        f.cite(denial(t));
        return Some(f);
    }
    let mut steps = vec![Step::say(tr!(
        l,
        "Check the user name ({user}) and the password (keyboard layout, Caps Lock).",
        "ユーザー名（{user}）とパスワード（キーボード配列、Caps Lock）を確かめます。"
    ))];
    if user == "root" {
        steps.push(Step::say(tr!(l, "Debian and Ubuntu refuse password logins for root by default (`PermitRootLogin prohibit-password`), even with the right password: log in as a normal user and use sudo.", "Debian と Ubuntu は既定で root のパスワードログインを、正しいパスワードでも拒否します（`PermitRootLogin prohibit-password`）。一般ユーザーでログインして sudo を使います。")));
    }
    steps.push(
        Step::run(
            tr!(
                l,
                "Check whether the account is locked or expired:",
                "アカウントがロックされていないか、期限切れでないかを確かめます:"
            ),
            format!(
                "sudo passwd -S {u}; sudo faillock --user {u}",
                u = ctx.user_arg()
            ),
        )
        .on_server(),
    );
    steps.push(ctx.server_log());
    let n = tries.len();
    let confirmed = password_confirmed(t);
    let mut f = Finding::new(
        &PASSWORD_REJECTED,
        match (l, n) {
            (crate::lang::Lang::En, 1) => {
                format!("The server rejected the password for {user} (1 attempt).")
            }
            _ => tr!(
                l,
                "The server rejected the password for {user} ({n} attempts).",
                "サーバーが {user} のパスワードを拒否しました（{n} 回）。"
            ),
        },
        &tries,
    )
    .confidence(confirmed.map_or(Confidence::Medium, |_| Confidence::High))
    .steps(steps);
    f.cite(confirmed);
    f.cite(denial(t));
    Some(f)
}

/// sshd's own line saying a password was wrong: it refuses a wrong
/// password, an unknown user and a refused root login alike, so only
/// `Failed password for U` (a valid user, not root) names the password
/// (see `guess_password`).
pub(super) fn password_confirmed(t: &Trace) -> Option<&Noted> {
    t.server_find_last(|k| {
        matches!(k, K::SshdAuth { result, method, invalid: false, user, .. }
            if result == "Failed" && method == "password" && user != "root")
    })
}

fn method_unavailable(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated || ctx.allowed.is_empty() {
        return None;
    }
    if let Some(f) = copy_id_locked_out(t, ctx) {
        return Some(f);
    }
    if ctx.verbosity == 0 {
        return None;
    }
    let deny = denial(t)?;
    let usable = ctx.tried.iter().any(|m| ctx.allowed.contains(m));
    if !usable {
        let l = ctx.lang;
        let mut f = Finding::new(
            &METHOD_UNAVAILABLE,
            if ctx.tried.is_empty() {
                tr!(l, "The server allows only {}; this client tried no method at all — nothing the server accepts.", "サーバーが許すのは {} だけですが、このクライアントはどの方式も試していません。サーバーが受け付ける方式は一つも使われませんでした。", methods_text(ctx))
            } else {
                tr!(l, "The server allows only {}; this client tried {} — nothing the server accepts.", "サーバーが許すのは {} だけですが、このクライアントが試したのは {} で、サーバーが受け付けるものはありません。", methods_text(ctx), ctx.tried.join(", "))
            },
            &[deny],
        )
        .steps([
            Step::say(tr!(l, "Check PreferredAuthentications / BatchMode / PasswordAuthentication in your command line and ~/.ssh/config: they may exclude what the server wants.", "コマンドラインと ~/.ssh/config の PreferredAuthentications / BatchMode / PasswordAuthentication を確かめます。サーバーの求める方式を除いているかもしれません。")),
            Step::run(tr!(l, "See the options ssh really applies:", "ssh が実際に使うオプションを見ます:"), ctx.client.ssh_g(ctx.host(), "preferredauthentications|batchmode|passwordauthentication|kbdinteractive|pubkeyauthentication")),
            Step::say(tr!(l, "If the server wants keyboard-interactive (a 2FA code or a password prompt), run ssh in a terminal without BatchMode.", "サーバーが keyboard-interactive（二要素認証のコードやパスワードの入力）を求めているなら、BatchMode なしで端末から ssh を実行します。")),
        ]);
        f.cite(t.find_last(|k| matches!(k, K::AuthsCanContinue { .. })));
        return Some(f);
    }
    if some_key_refused(t) && ctx.server_refuses_passwords() {
        let l = ctx.lang;
        let f = Finding::new(
            &METHOD_UNAVAILABLE,
            tr!(l, "The server accepts only {}: with the key refused there is no password login to fall back on, so ssh-copy-id cannot install a key from here.", "サーバーが受け付けるのは {} だけです。鍵が拒否された以上、切り替えられるパスワードログインもなく、ここから ssh-copy-id で鍵を登録することはできません。", methods_text(ctx)),
            &[deny],
        )
        .note()
        .steps([Step::say(tr!(l, "See the steps of the primary finding: get in through the console, or allow PasswordAuthentication for a moment.", "主な診断の手順を見てください。コンソールから入るか、一時的に PasswordAuthentication を許可します。"))]);
        return Some(f);
    }
    None
}

/// ssh-copy-id logs in with a password to install a key; a server that
/// allows no password (its own list of methods says so) refuses it: the
/// Raspberry Pi that got `PasswordAuthentication no` before its key.
fn copy_id_locked_out(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let copying = t.find(|k| matches!(k, K::CopyIdMessage { .. })).or_else(|| {
        t.find(|k| matches!(k, K::Command { program, .. } if program.rsplit('/').next() == Some("ssh-copy-id")))
    })?;
    let deny = denial(t).filter(|d| d.line() > copying.line())?;
    if !ctx.server_refuses_passwords() {
        return None;
    }
    let l = ctx.lang;
    // The key ssh-copy-id was installing: `Source of key(s) to be
    // installed: "/home/u/.ssh/id_rsa.pub"`.
    let source = t
        .all(|k| matches!(k, K::CopyIdMessage { .. }))
        .find_map(|n| match n.kind() {
            K::CopyIdMessage { text } => text
                .strip_prefix("INFO: Source of key(s) to be installed: ")
                .map(|p| {
                    p.trim()
                        .trim_matches('"')
                        .trim_end_matches(".pub")
                        .to_string()
                }),
            _ => None,
        });
    let key = source.unwrap_or_else(|| ctx.key());
    let mut f = Finding::new(
        &METHOD_UNAVAILABLE,
        tr!(l, "ssh-copy-id needs a password login to install your key, and the server accepts only {}: no key can be installed this way.", "ssh-copy-id は鍵を登録するためにパスワードでログインしますが、サーバーが受け付けるのは {} だけです。この方法では鍵を登録できません。", methods_text(ctx)),
        &[deny],
    )
    .steps(install_key_steps(ctx, t, &key, None));
    f.cite([copying]);
    Some(f)
}

fn partial_success(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let n = t.find(|k| matches!(k, K::PartialSuccess { .. }))?;
    let next = t
        .all(|k| matches!(k, K::AuthsCanContinue { .. }))
        .find(|m| m.line() > n.line());
    let needed = match next.map(|n| n.kind()) {
        Some(K::AuthsCanContinue { methods }) => methods.items().collect::<Vec<_>>().join(", "),
        _ => methods_text(ctx),
    };
    let l = ctx.lang;
    let first = match n.kind() {
        K::PartialSuccess { method: Some(m) } => m.to_string(),
        _ => l.pick("the first method", "一つ目の方式").into(),
    };
    let batch = t
        .command
        .as_ref()
        .and_then(|c| c.option("batchmode"))
        .is_some_and(|v| v.eq_ignore_ascii_case("yes"));
    let mut f = Finding::new(
        &PARTIAL_SUCCESS,
        tr!(l, "{first} succeeded, but the server requires a second factor ({needed}), which did not succeed.", "{first} は成功しましたが、サーバーは二つ目の要素（{needed}）を求めていて、それが成功しませんでした。"),
        &[n],
    )
    .steps([
        Step::say(if batch {
            tr!(l, "The server's AuthenticationMethods requires {first} and then {needed}: supply it when asked (BatchMode=yes forbids asking: run without it, in a terminal).", "サーバーの AuthenticationMethods は {first} の後に {needed} を求めています。尋ねられたら入力します（BatchMode=yes は尋ねることを禁じるので、外して端末から実行します）。")
        } else {
            tr!(l, "The server's AuthenticationMethods requires {first} and then {needed}: supply it when asked.", "サーバーの AuthenticationMethods は {first} の後に {needed} を求めています。尋ねられたら入力します。")
        }),
        Step::run(tr!(l, "Run interactively to be asked for it:", "尋ねてもらえるよう、対話的に実行します:"), ctx.ssh("")),
        Step::say(tr!(l, "In automation, ask the server's admin for an account or key that needs only one factor (e.g. a Match block for that key).", "自動化では、一要素だけで済むアカウントや鍵（たとえばその鍵用の Match ブロック）をサーバーの管理者に用意してもらいます。")),
    ]);
    f.cite(next);
    f.cite(t.all(|k| matches!(k, K::PasswordRetry {})).take(2));
    f.cite(denial(t));
    Some(f)
}

/// The key file of `Trying private key: P` right before `n` (a prompt that
/// could not be asked): ssh was loading that key file, so what it needed
/// was the key's passphrase.
fn key_being_loaded<'t>(t: &'t Trace, n: &crate::trace::Noted) -> Option<&'t str> {
    let m = t.events().iter().rev().find(|m| m.line() < n.line())?;
    match m.kind() {
        K::TryingPrivateKey { path } if m.line() + 1 == n.line() => Some(path),
        _ => None,
    }
}

fn no_tty(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    // `ssh_askpass: exec(PATH): ERR`: with no terminal ssh turned to an
    // askpass program, and that could not run either.
    let n = t.find(|k| matches!(k, K::NoTty { .. } | K::AskpassFailed { .. }))?;
    let askpass = matches!(n.kind(), K::AskpassFailed { .. });
    let before =
        |f: &dyn Fn(&K<'static>) -> bool| t.find(|k| f(k)).is_some_and(|m| m.line() < n.line());
    // An askpass that failed where the server takes only keys was asked
    // for a key's passphrase (a host-key question ends in a verification
    // failure, not a refusal).
    let keys_only = denial(t).is_some_and(|d| matches!(d.kind(), K::PermissionDenied { .. }))
        && ctx.server_takes_only_keys();
    let asked_for_key =
        before(&|k| matches!(k, K::ServerAcceptsKey { .. } | K::PassphrasePrompt { .. }))
            || key_being_loaded(t, n).is_some();
    let passphrase = asked_for_key || (askpass && keys_only);
    // The host-key question comes before any login: a verification that
    // failed after the prompt could not be shown, with no login begun.
    let host_question = before(&|k| {
        matches!(
            k,
            K::HostAuthenticityUnknown { .. } | K::IpKeyDiffers { .. }
        )
    }) || (t
        .find_last(|k| matches!(k, K::HostKeyVerificationFailed {}))
        .is_some_and(|h| h.line() > n.line())
        && !t.has(|k| matches!(k, K::ServiceAccept {} | K::AuthsCanContinue { .. })));
    let password = before(&|k| matches!(k, K::PasswordPrompt { .. }))
        || ctx.tried.iter().any(|m| m == "password")
        || ctx.allowed.iter().any(|m| m == "password");
    let keyboard = ctx.tried.iter().any(|m| m == "keyboard-interactive");
    let l = ctx.lang;
    let what = if passphrase {
        l.pick("for the key's passphrase", "鍵のパスフレーズ")
    } else if host_question {
        l.pick(
            "whether to trust the server's host key",
            "サーバーのホスト鍵を信頼するかどうか",
        )
    } else if keyboard {
        l.pick(
            "for a keyboard-interactive answer (password or one-time code)",
            "keyboard-interactive の答え（パスワードやワンタイムコード）",
        )
    } else if password {
        l.pick("for a password", "パスワード")
    } else {
        l.pick(
            "something (a password, a key's passphrase, or whether to trust the server's host key: the output does not show which)",
            "何か（パスワード、鍵のパスフレーズ、サーバーのホスト鍵を信頼するか。出力からはどれか分かりません）",
        )
    };
    let shown = passphrase || host_question || keyboard || password;
    let summary = if askpass {
        tr!(l, "ssh needed to ask {what}, but it runs without a terminal (CI, cron, an IDE or a GUI), and the askpass program it turned to could not run.", "ssh は{what}を尋ねる必要がありましたが、端末なし（CI、cron、IDE、GUI）で動いていて、代わりに使おうとした askpass プログラムも動きませんでした。")
    } else {
        tr!(l, "ssh needed to ask {what}, but it runs without a terminal (CI, cron, an IDE or a GUI).", "ssh は{what}を尋ねる必要がありましたが、端末なし（CI、cron、IDE、GUI）で動いています。")
    };
    let mut f = Finding::new(&NO_TTY, summary, &[n]).steps([
        Step::run(tr!(l, "Use a key instead of a password: load it into an agent in the job, or name it:", "パスワードの代わりに鍵を使います。ジョブの中でエージェントに読み込ませるか、鍵を指定します:"), ctx.ssh(&format!("-o BatchMode=yes -i {}", sh(&ctx.key())))),
        Step::say(tr!(l, "Pre-seed known_hosts in the job (ssh-keyscan, after checking the fingerprint) so the host key question never comes up.", "ジョブの中で known_hosts を前もって用意し（フィンガープリントを確かめてから ssh-keyscan）、ホスト鍵の質問が出ないようにします。")),
        Step::say(tr!(l, "If a prompt is unavoidable, give ssh an askpass program: SSH_ASKPASS=/path/to/helper SSH_ASKPASS_REQUIRE=force.", "どうしても入力が必要なら、ssh に askpass プログラムを渡します: SSH_ASKPASS=/path/to/helper SSH_ASKPASS_REQUIRE=force")),
    ]);
    f.cite(denial(t).or_else(|| t.find_last(|k| matches!(k, K::HostKeyVerificationFailed {}))));
    if !shown {
        f = f.confidence(Confidence::Low);
    } else if askpass {
        // ssh's words say the helper failed, not that a prompt was needed
        // (SSH_ASKPASS_REQUIRE=force runs it with a terminal too).
        f = f.confidence(Confidence::Medium);
    }
    // With a passphrase asked for a key seen, auth.key-passphrase explains
    // the failure, with the host-key question hostkey.unknown does; this is
    // the why.
    Some(if asked_for_key || host_question {
        f.note()
    } else {
        f
    })
}

fn certificate_rejected(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let auth_start = t
        .find(|k| matches!(k, K::ServiceAccept {} | K::AuthsCanContinue { .. }))
        .map(|n| n.line());
    let invalid = t
        .find(|k| matches!(k, K::CertificateInvalid { .. }))
        .filter(|n| auth_start.is_some_and(|a| n.line() > a));
    let refused = t
        .offers
        .iter()
        .find(|o| o.identity.is_certificate() && o.fate == Fate::Refused);
    if invalid.is_none() && refused.is_none() {
        return None;
    }
    let cert = refused
        .map(|o| home_tilde(&unvis(&o.identity.path)))
        .unwrap_or_else(|| format!("{}-cert.pub", ctx.key()));
    let cert_file = if cert.ends_with("-cert.pub") {
        cert.clone()
    } else {
        format!("{cert}.pub")
    };
    let l = ctx.lang;
    let reason = match invalid.map(|n| n.kind()) {
        Some(K::CertificateInvalid { reason }) => tr!(l, " ({reason})", "（{reason}）"),
        _ => tr!(l, " (the client is not told why: expired, wrong principal or untrusted CA — the server's log says which)", "（クライアントには理由が知らされません。期限切れ、principal の不一致、信頼されていない CA のどれかは、サーバーのログに出ます）"),
    };
    let user = ctx.user_or_placeholder();
    let mut f = Finding::new(&CERTIFICATE_REJECTED, tr!(l, "The server refused your certificate {cert}{reason}.", "サーバーがあなたの証明書 {cert} を拒否しました{reason}。"), &[])
        .confidence(if invalid.is_some() { Confidence::High } else { Confidence::Medium })
        .steps([
            Step::run(tr!(l, "Check its validity and principals; `{user}` must be among the principals:", "有効期間と principals を確かめます。principals に `{user}` が含まれている必要があります:"), format!("ssh-keygen -Lf {}", path_arg(&cert_file, l).0)),
            Step::say(tr!(l, "Ask your CA to re-issue it (e.g. `ssh-keygen -s ca -I id -n USER -V +1d key.pub`) and make sure the server trusts that CA (TrustedUserCAKeys).", "CA に発行し直してもらい（例: `ssh-keygen -s ca -I id -n USER -V +1d key.pub`）、サーバーがその CA を信頼している（TrustedUserCAKeys）ことを確かめます。")),
            ctx.server_log(),
        ]);
    let refusal = refused.and_then(|o| offer_lines(t, o).last());
    f = f.explaining(invalid.or(refusal));
    if let Some(o) = refused {
        f.cite(offer_lines(t, o));
    }
    f.cite(denial(t));
    Some(f)
}

fn security_key(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| match k {
        K::SecurityKeyError { .. } => true,
        K::SigningFailed {
            key_type, reason, ..
        } => {
            key_type.as_deref().is_some_and(|k| k.contains("-SK"))
                || reason.contains("device not found")
        }
        _ => false,
    })?;
    if ctx.authenticated {
        return None;
    }
    let presence = t.find(|k| matches!(k, K::ConfirmUserPresence { .. }));
    let l = ctx.lang;
    let mut f = Finding::new(&SECURITY_KEY, tr!(l, "Signing with your FIDO security key failed: the token was not found, not touched, or needs a PIN.", "FIDO セキュリティキーでの署名に失敗しました。トークンが見つからないか、タッチされなかったか、PIN が必要です。"), &[n]).steps([
        Step::say(tr!(l, "Plug the security key in (in WSL or a VM, pass the USB device through) and touch it when it blinks.", "セキュリティキーを挿し（WSL や VM では USB デバイスを渡します）、点滅したらタッチします。")),
        Step::run(tr!(l, "Check that the token is visible (libfido2 tools):", "トークンが見えるか確かめます（libfido2 のツール）:"), "fido2-token -L"),
        Step::run(tr!(l, "For a resident key, re-create the key handle from the token:", "常駐鍵（resident key）なら、トークンから鍵のハンドルを作り直します:"), "ssh-keygen -K"),
    ]);
    f.cite(presence);
    f.cite(denial(t));
    Some(f)
}

fn failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let deny = t.find_last(|k| matches!(k, K::PermissionDenied { .. }))?;
    let thin = ctx.verbosity == 0;
    let l = ctx.lang;
    let summary = match (thin, ctx.user.as_deref()) {
        (true, Some(u)) => tr!(l, "The server refused authentication for {u}; it accepts: {}. This output has no -v lines, so it does not show which keys or passwords were tried — the evidence is thin.", "サーバーは {u} の認証を拒否しました。受け付けるのは {} です。この出力には -v の行がないため、どの鍵やパスワードを試したかが分からず、根拠は薄いです。", methods_text(ctx)),
        (true, None) => tr!(l, "The server refused authentication; it accepts: {}. This output has no -v lines, so it does not show which keys or passwords were tried — the evidence is thin.", "サーバーは認証を拒否しました。受け付けるのは {} です。この出力には -v の行がないため、どの鍵やパスワードを試したかが分からず、根拠は薄いです。", methods_text(ctx)),
        (false, _) => tr!(l, "The server refused authentication; it accepts: {}. The trace does not show which step failed.", "サーバーは認証を拒否しました。受け付けるのは {} です。出力からは、どの段階で失敗したかが分かりません。", methods_text(ctx)),
    };
    let mut steps = vec![Step::run(
        tr!(
            l,
            "Run ssh again with -v and give the whole output to sshexplain:",
            "ssh を -v 付きで実行し直し、出力を丸ごと sshexplain に渡します:"
        ),
        ctx.rerun_explained(),
    )];
    if ctx.server_takes_only_keys() {
        steps.push(Step::say(tr!(l, "The server accepts only keys. The most common reason is that your public key is not in ~/.ssh/authorized_keys of that user on the server; -v will show whether a key was offered at all.", "サーバーは鍵しか受け付けません。いちばん多い原因は、公開鍵がサーバー上のそのユーザーの ~/.ssh/authorized_keys にないことです。-v を付ければ、そもそも鍵が提示されたかどうかが分かります。")));
    }
    Some(
        Finding::new(&FAILED, summary, &[deny])
            .confidence(if thin {
                Confidence::Low
            } else {
                Confidence::Medium
            })
            .steps(steps),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose;
    use crate::diagnose::Confidence;

    /// The primary finding's commands, in step order.
    fn commands(d: &crate::Diagnosis) -> Vec<&str> {
        d.primary
            .steps
            .iter()
            .filter_map(|s| s.command.as_deref())
            .collect()
    }

    const LOCKOUT: &str = "debug1: Authenticating to 127.0.0.1:2202 as 'bob'
debug1: Authentications that can continue: publickey
debug1: Next authentication method: publickey
debug1: Offering public key: /home/user/.ssh/id_ed25519 ED25519 SHA256:Kwxj
debug1: Authentications that can continue: publickey
debug1: No more authentication methods to try.
bob@127.0.0.1: Permission denied (publickey).
";

    #[test]
    fn a_key_load_failure_before_a_normal_session_end_is_a_warning() {
        // The session that ended is the outcome; the warning is noticed.
        let d = crate::diagnose("load pubkey \"/home/u/.ssh/id_rsa\": Permission denied\nConnection to 10.0.0.6 closed.\n");
        assert_eq!(d.primary.cause.id, "ok.connected");
        let warning = d
            .secondary
            .iter()
            .find(|f| f.cause.id == "auth.key-load-failed")
            .expect("the warning");
        assert!(!warning.failure);
        assert!(
            warning.summary.contains("may not read"),
            "{}",
            warning.summary
        );
        let d = crate::diagnose("load pubkey \"/home/u/.ssh/id_rsa\": Permission denied\nu@h: Permission denied (publickey).\n");
        assert!(d.primary.failure);
    }

    #[test]
    fn the_lockout() {
        let d = diagnose(LOCKOUT);
        assert_eq!(d.primary.cause.id, "auth.key-rejected");
        assert!(
            d.primary.summary.contains("no password login"),
            "{}",
            d.primary.summary
        );
        let cmds = commands(&d);
        assert!(
            cmds.iter()
                .any(|c| c.contains("ssh-copy-id -p 2202 -i ~/.ssh/id_ed25519.pub bob@127.0.0.1")),
            "{cmds:?}"
        );
        assert!(cmds.iter().any(|c| c.contains("journalctl -u ssh")));
        assert!(cmds.iter().any(|c| c.contains("namei -l")));
        assert!(d
            .secondary
            .iter()
            .any(|f| f.cause.id == "auth.method-unavailable"));
        assert_eq!(
            d.primary
                .evidence
                .iter()
                .map(|e| e.line)
                .collect::<Vec<_>>(),
            vec![4, 5, 7]
        );
    }

    #[test]
    fn an_agent_that_does_not_answer_when_no_key_was_offered_is_the_cause() {
        let broken = "debug1: Authenticating to github.com:22 as 'git'\n\
            debug1: get_agent_identities: ssh_fetch_identitylist: communication with agent failed\n\
            debug1: Authentications that can continue: publickey\n\
            git@github.com: Permission denied (publickey).\n";
        let d = diagnose(broken);
        assert_eq!(d.primary.cause.id, "auth.agent-unavailable");
        assert_eq!(d.primary.confidence, Confidence::Medium);
        // No agent at all (no socket) is not an agent that holds the keys.
        let none = broken.replace(
            "ssh_fetch_identitylist: communication with agent failed",
            "ssh_get_authentication_socket: No such file or directory",
        );
        assert_ne!(diagnose(&none).primary.cause.id, "auth.agent-unavailable");
        // A key offered and refused: the agent was not the only way in.
        let offered = broken.replace(
            "debug1: Authentications that can continue: publickey\n",
            "debug1: Offering public key: /home/u/.ssh/id_ed25519 ED25519 SHA256:abc explicit\n\
             debug1: Authentications that can continue: publickey\n",
        );
        assert_ne!(
            diagnose(&offered).primary.cause.id,
            "auth.agent-unavailable"
        );
    }

    #[test]
    fn an_askpass_that_could_not_run_is_why_nothing_was_asked() {
        let exec = "ssh_askpass: exec(/usr/libexec/ssh-askpass): No such file or directory\n";
        // Keys only: it was asked for a key's passphrase.
        let d = diagnose(&format!(
            "{exec}git@github.com: Permission denied (publickey).\n"
        ));
        assert_eq!(d.primary.cause.id, "auth.no-tty");
        assert_eq!(d.primary.confidence, Confidence::Medium);
        assert!(
            d.primary.summary.contains("passphrase"),
            "{}",
            d.primary.summary
        );
        // Passwords, until the server's limit: the count is not the cause.
        let d = diagnose(&format!(
            "{exec}Permission denied, please try again.\n{exec}\
             Received disconnect from 192.0.2.7 port 22:2: Too many authentication failures\n"
        ));
        assert_eq!(d.primary.cause.id, "auth.no-tty");
        assert!(
            d.primary.summary.contains("password"),
            "{}",
            d.primary.summary
        );
    }

    #[test]
    fn passwords_refused_up_to_the_limit_are_refused_passwords() {
        let tries = "Permission denied, please try again.\n\
            Received disconnect from 192.0.2.7 port 22:2: Too many authentication failures\n";
        let d = diagnose(tries);
        assert_eq!(d.primary.cause.id, "auth.password-rejected");
        assert!(d
            .secondary
            .iter()
            .any(|f| f.cause.id == "auth.too-many-failures"));
        // Keys offered before the disconnect: the count of keys is the cause.
        let keys = "debug1: Offering public key: /home/u/.ssh/id_rsa RSA SHA256:a\n\
            debug1: Offering public key: /home/u/.ssh/id_ed25519 ED25519 SHA256:b\n\
            debug1: Offering public key: /home/u/.ssh/work ED25519 SHA256:c\n\
            Received disconnect from 192.0.2.7 port 22:2: Too many authentication failures\n";
        assert_eq!(diagnose(keys).primary.cause.id, "auth.too-many-failures");
    }

    #[test]
    fn no_verbose_output_is_thin_evidence() {
        let d = diagnose("pi@raspberrypi.local: Permission denied (publickey).\n");
        // The most likely cause, at low confidence, with the differential.
        assert_eq!(d.primary.cause.id, "auth.key-rejected");
        assert_eq!(d.primary.confidence, Confidence::Low);
        assert!(d.hypotheses.len() >= 3);
        assert_eq!(
            d.primary.steps[0].command.as_deref(),
            Some("ssh -T pi@raspberrypi.local")
        );
        assert!(d
            .primary
            .steps
            .iter()
            .any(|s| s.command.as_deref() == Some("sshexplain run pi@raspberrypi.local")));
        // With a password allowed too, there is no differential yet.
        let d = diagnose("pi@raspberrypi.local: Permission denied (publickey,password).\n");
        assert_eq!(d.primary.cause.id, "auth.failed");
        assert!(d.hypotheses.is_empty());
    }

    #[test]
    fn password_and_too_many() {
        assert_eq!(diagnose("Permission denied, please try again.\nPermission denied, please try again.\nbob@h: Permission denied (publickey,password).\n").primary.cause.id, "auth.password-rejected");
        assert_eq!(diagnose("Received disconnect from 10.0.0.1 port 22:2: Too many authentication failures\nDisconnected from 10.0.0.1 port 22\n").primary.cause.id, "auth.too-many-failures");
    }

    #[test]
    fn a_hosting_services_password_prompt_means_no_key_was_accepted() {
        let d = diagnose("git@ssh.dev.azure.com's password:\nPermission denied, please try again.\ngit@ssh.dev.azure.com's password:\n");
        assert_eq!(d.primary.cause.id, "auth.key-rejected");
        assert!(
            d.primary.summary.contains("Azure DevOps"),
            "{}",
            d.primary.summary
        );
        // The prompt names the destination.
        assert!(d
            .primary
            .steps
            .iter()
            .any(|s| s.command.as_deref() == Some("ssh -T git@ssh.dev.azure.com")));
        // Elsewhere a password prompt is a password.
        let d = diagnose("bob@h's password:\nPermission denied, please try again.\n");
        assert_eq!(d.primary.cause.id, "auth.password-rejected");
        assert_eq!(d.primary.confidence, Confidence::Low);
    }

    #[test]
    fn the_servers_words_outrank_an_inference_about_the_same_line() {
        // The tail of a -v log: one offer visible, then sshd's reason. The
        // refused key explains the same disconnect at medium; the reason
        // names it, and a cut paste says nothing of how many keys went.
        let d = diagnose("debug1: Offering public key: agentkey3 ED25519 SHA256:H0EXIUhcLs7WgQ agent\nReceived disconnect from 127.0.0.1 port 2203:2: Too many authentication failures\nDisconnected from 127.0.0.1 port 2203\n");
        assert_eq!(d.primary.cause.id, "auth.too-many-failures");
        assert_eq!(d.primary.confidence, crate::diagnose::Confidence::High);
        assert!(
            !d.primary.summary.contains("1 key offers"),
            "{}",
            d.primary.summary
        );
        assert!(d
            .secondary
            .iter()
            .all(|f| !f.summary.contains("accepts only keys")));
    }

    #[test]
    fn unprotected_key_unix() {
        let d = diagnose("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\nPermissions 0644 for '/home/u/.ssh/id_ed25519' are too open.\nIt is required that your private key files are NOT accessible by others.\nThis private key will be ignored.\nLoad key \"/home/u/.ssh/id_ed25519\": bad permissions\nu@h: Permission denied (publickey).\n");
        assert_eq!(d.primary.cause.id, "auth.key-unprotected");
        assert_eq!(
            d.primary.steps[0].command.as_deref(),
            Some("chmod 600 /home/u/.ssh/id_ed25519")
        );
    }

    #[test]
    fn unprotected_key_windows_names_the_account() {
        let d = diagnose("OpenSSH_for_Windows_8.6p1, LibreSSL 3.4.3\nBad permissions. Try removing permissions for user: BUILTIN\\\\Users (S-1-5-32-545) on file C:/Users/me/.ssh/id_ed25519.\nme@h: Permission denied (publickey).\n");
        assert_eq!(d.primary.cause.id, "auth.key-unprotected");
        assert!(d.primary.steps.iter().any(|s| s.command.as_deref()
            == Some("icacls C:\\Users\\me\\.ssh\\id_ed25519 /remove BUILTIN\\Users")));
    }

    #[test]
    fn unprotected_key_on_a_windows_drive_in_wsl_is_copied() {
        let d = diagnose("Permissions 0777 for '/mnt/c/Users/me/keys/vm.pem' are too open.\nThis private key will be ignored.\nLoad key \"/mnt/c/Users/me/keys/vm.pem\": bad permissions\nubuntu@h: Permission denied (publickey).\n");
        assert_eq!(d.primary.cause.id, "auth.key-unprotected");
        let cmds = commands(&d);
        assert_eq!(cmds[0], "mkdir -p ~/.ssh && cp /mnt/c/Users/me/keys/vm.pem ~/.ssh/vm.pem && chmod 600 ~/.ssh/vm.pem");
        assert!(cmds[1].contains("-i ~/.ssh/vm.pem"));
        assert!(!cmds.iter().any(|c| c.starts_with("chmod 600 /mnt/")));
    }

    #[test]
    fn lockout_for_root_names_permit_root_login() {
        let d = diagnose("debug1: Authenticating to pi.example:22 as 'root'\ndebug1: Authentications that can continue: publickey\ndebug1: Offering public key: /home/u/.ssh/id_ed25519 ED25519 SHA256:abc explicit\ndebug1: Authentications that can continue: publickey\nroot@pi.example: Permission denied (publickey).\n");
        assert_eq!(d.primary.cause.id, "auth.key-rejected");
        let text: Vec<&str> = d.primary.steps.iter().map(|s| s.text.as_str()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("PermitRootLogin prohibit-password")),
            "{text:#?}"
        );
        assert!(text.iter().any(|t| t.contains("SHA256:abc")), "{text:#?}");
        assert!(d
            .primary
            .steps
            .iter()
            .any(|s| s.place == crate::diagnose::Where::Server));
    }

    #[test]
    fn rerun_keeps_the_users_own_options() {
        let d = diagnose("$ ssh -i ~/.ssh/work -p 2222 -o 'User=al' myalias\nmyalias: Permission denied (publickey).\n");
        let cmds = commands(&d);
        assert!(
            cmds.contains(
                &"ssh -v -o user=al -i ~/.ssh/work -p 2222 myalias exit 2>&1 | sshexplain"
            ),
            "{cmds:#?}"
        );
        let d = diagnose("bob@h.example: Permission denied (publickey).\n");
        let cmds = commands(&d);
        assert!(cmds.contains(&"sshexplain run bob@h.example"), "{cmds:#?}");
    }

    #[test]
    fn no_key_offered_is_only_sure_when_the_offering_step_is_in_sight() {
        let cut = "debug1: Authentications that can continue: publickey\nbob@h: Permission denied (publickey).\n";
        let d = diagnose(cut);
        assert!(
            d.primary.confidence == Confidence::Low,
            "{:?} {:?}",
            d.primary.cause.id,
            d.primary.confidence
        );
        let seen = "debug1: Authentications that can continue: publickey\ndebug1: Next authentication method: publickey\ndebug1: No more authentication methods to try.\nbob@h: Permission denied (publickey).\n";
        let d = diagnose(seen);
        assert_eq!(d.primary.cause.id, "auth.no-identities");
        assert_eq!(d.primary.confidence, Confidence::Medium);
    }

    #[test]
    fn a_crypto_policy_refusing_to_sign_with_an_rsa_key() {
        let d = diagnose("sign_and_send_pubkey: signing failed for RSA \"/home/u/.ssh/id_rsa\": error in libcrypto\nu@h: Permission denied (publickey).\n");
        assert_eq!(d.primary.cause.id, "auth.no-mutual-signature");
        assert_eq!(d.primary.confidence, Confidence::Medium);
        assert!(
            d.primary.summary.contains("~/.ssh/id_rsa"),
            "{}",
            d.primary.summary
        );
        // ssh's -o cannot lift the policy: no such step.
        assert!(d.primary.steps.iter().all(|s| !s
            .command
            .as_deref()
            .unwrap_or("")
            .contains("PubkeyAcceptedAlgorithms")));
        // The agent refusing is another cause.
        let d = diagnose("sign_and_send_pubkey: signing failed for RSA \"/home/u/.ssh/id_rsa\" from agent: agent refused operation\nu@h: Permission denied (publickey).\n");
        assert_eq!(d.primary.cause.id, "auth.agent-refused");
    }

    #[test]
    fn a_prompt_without_a_terminal_names_only_what_the_output_shows() {
        let tty = "debug1: read_passphrase: can't open /dev/tty: No such device or address\n";
        let d = diagnose(tty);
        assert_eq!(d.primary.cause.id, "auth.no-tty");
        assert_eq!(d.primary.confidence, Confidence::Low);
        assert!(
            !d.primary.summary.contains("for a password"),
            "{}",
            d.primary.summary
        );
        // The host-key question that could not be asked (no login begun).
        let d = diagnose(&format!("{tty}Host key verification failed.\n"));
        assert_eq!(d.primary.cause.id, "hostkey.unknown");
        assert!(d
            .secondary
            .iter()
            .any(|f| f.cause.id == "auth.no-tty" && f.summary.contains("host key")));
    }

    #[test]
    fn an_unreadable_public_half_is_a_warning() {
        let warn = "load pubkey \"/home/u/k.pem\": invalid format\n";
        let d = diagnose(warn);
        assert_eq!(d.primary.cause.id, "auth.key-load-failed");
        assert_eq!(d.primary.confidence, Confidence::Low);
        assert!(
            d.primary.summary.contains("fails nothing"),
            "{}",
            d.primary.summary
        );
        // On Windows the .pub file is written as ASCII, not PowerShell 5's UTF-16.
        let d = diagnose("OpenSSH_for_Windows_8.1p1, LibreSSL 3.0.2\nload pubkey \"C:\\\\Users\\\\u/.ssh/id_rsa\": invalid format\n");
        assert!(
            d.primary
                .steps
                .iter()
                .filter_map(|s| s.command.as_deref())
                .any(|c| c.contains("| Out-File -Encoding ascii")),
            "{:?}",
            d.primary.steps
        );
        // The private key's own failure is the one that counts.
        let d = diagnose(&format!("{warn}Load key \"/home/u/k.pem\": invalid format\nu@h: Permission denied (publickey).\n"));
        assert_eq!(d.primary.cause.id, "auth.key-load-failed");
        assert!(
            d.primary.summary.contains("private key"),
            "{}",
            d.primary.summary
        );
        // Before a refusal, the warning is not why it failed.
        let d = diagnose(&format!("{warn}u@h: Permission denied (publickey).\n"));
        assert_ne!(d.primary.cause.id, "auth.key-load-failed");
    }

    #[test]
    fn a_refused_password_is_a_guess_until_the_server_says() {
        let client = "bob@h's password: \nPermission denied, please try again.\nbob@h: Permission denied (publickey,password).\n";
        let d = diagnose(client);
        assert_eq!(d.primary.cause.id, "auth.password-rejected");
        assert_eq!(d.primary.confidence, Confidence::Low);
        let ids: Vec<&str> = d.hypotheses.iter().map(|h| h.id).collect();
        assert!(
            ids.contains(&"auth.invalid-user") && ids.contains(&"auth.root-login-refused"),
            "{ids:?}"
        );
        // The client's output with a server's log joined to it.
        let joined = |server: &str| {
            let split = crate::attempts_with_server(
                client.as_bytes(),
                server.as_bytes(),
                crate::lang::Lang::En,
            )
            .expect("read");
            crate::diagnose::diagnose_trace(&split.last)
        };
        // sshd's own words settle it (without -v, medium at most: see `calibrate`).
        let d = joined("sshd[9]: Failed password for bob from 10.0.0.2 port 50000 ssh2\n");
        assert_eq!(d.primary.cause.id, "auth.password-rejected");
        assert_eq!(d.primary.confidence, Confidence::Medium);
        assert!(d.hypotheses.is_empty());
        // Another server line (the close) does not settle it.
        let d = joined(
            "sshd[9]: Connection closed by authenticating user bob 10.0.0.2 port 50000 [preauth]\n",
        );
        assert_eq!(d.primary.cause.id, "auth.password-rejected");
        assert_eq!(d.primary.confidence, Confidence::Low);
    }
}
