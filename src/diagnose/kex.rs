//! Key exchange: algorithm negotiation and a stalled exchange.

use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::{EventKind as K, KexItem};
use crate::tr;
use crate::trace::Trace;

causes! {
    /// Client and server have no key exchange method in common: one side is
    /// too old (or too strict) for the other.
    ///
    /// ## Why it happens
    /// An old server, router or switch that only offers
    /// `diffie-hellman-group1-sha1` / `group14-sha1`, which modern clients
    /// disable; or a hardened server talking to an old client.
    ///
    /// ## How to fix
    /// The real fix is to upgrade the server. Meanwhile enable one of the
    /// server's methods for that host only: `-o KexAlgorithms=+METHOD`, or the
    /// same in a `Host` block.
    ///
    /// ## Evidence
    /// `Unable to negotiate with 10.0.0.1 port 22: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1`
    #[ja("共通の鍵交換方式がない", r#"
        クライアントとサーバーに共通の鍵交換方式がありません。どちらかが相手にとって
        古すぎる（または厳しすぎる）状態です。

        ## なぜ起きるか
        古いサーバー、ルーター、スイッチが、最近のクライアントでは無効になっている
        `diffie-hellman-group1-sha1` / `group14-sha1` しか提示しない、または強化した
        サーバーに古いクライアントで接続している、などです。

        ## 直し方
        本当の解決はサーバーの更新です。それまでは、そのホストに限ってサーバーの方式を
        一つ有効にします: `-o KexAlgorithms=+METHOD`、または `Host` ブロックに同じ設定。
    "#)]
    NO_COMMON_KEX = "kex.no-common-kex", Error, 91, "No common key exchange method", no_common_kex;

    /// The server only has host key types this client no longer accepts,
    /// typically SHA-1 RSA (`ssh-rsa`) or DSA (`ssh-dss`).
    ///
    /// ## Why it happens
    /// OpenSSH 8.8 disabled `ssh-rsa` signatures by default and 10.0 removed DSA;
    /// old servers, appliances and embedded devices still only offer those.
    ///
    /// ## How to fix
    /// Upgrade the server (or give it an ed25519 host key). Meanwhile:
    /// `-o HostKeyAlgorithms=+ssh-rsa -o PubkeyAcceptedAlgorithms=+ssh-rsa`.
    ///
    /// ## Evidence
    /// `Unable to negotiate with 10.0.0.1 port 22: no matching host key type found. Their offer: ssh-rsa,ssh-dss`
    #[ja("共通のホスト鍵の種類がない", r#"
        サーバーには、このクライアントがもう受け付けない種類のホスト鍵しかありません。
        たいていは SHA-1 の RSA（`ssh-rsa`）か DSA（`ssh-dss`）です。

        ## なぜ起きるか
        OpenSSH 8.8 で `ssh-rsa` 署名が既定で無効になり、10.0 で DSA が削除されました。
        古いサーバー、アプライアンス、組み込み機器はいまだにそれしか提示しません。

        ## 直し方
        サーバーを更新します（または ed25519 のホスト鍵を持たせます）。それまでは
        `-o HostKeyAlgorithms=+ssh-rsa -o PubkeyAcceptedAlgorithms=+ssh-rsa` を使います。
    "#)]
    NO_COMMON_HOSTKEY = "kex.no-common-hostkey", Error, 91, "No common host key type", no_common_hostkey;

    /// Client and server have no cipher in common, usually a legacy server
    /// that only offers CBC-mode ciphers.
    ///
    /// ## Why it happens
    /// Old servers and network devices offer only `aes128-cbc`, `3des-cbc`...
    /// which modern clients disable; or a client config that restricts ciphers.
    ///
    /// ## How to fix
    /// Upgrade the server; meanwhile `-o Ciphers=+aes128-cbc` for that host.
    ///
    /// ## Evidence
    /// `Unable to negotiate with 10.0.0.1 port 22: no matching cipher found. Their offer: aes128-cbc,3des-cbc`
    #[ja("共通の暗号方式がない", r#"
        クライアントとサーバーに共通の暗号方式がありません。たいていは CBC モードの
        暗号しか提示しない古いサーバーです。

        ## なぜ起きるか
        古いサーバーやネットワーク機器は、最近のクライアントでは無効の `aes128-cbc`、
        `3des-cbc` などしか提示しません。クライアントの設定が暗号を絞っている場合も
        あります。

        ## 直し方
        サーバーを更新します。それまでは、そのホストに `-o Ciphers=+aes128-cbc` を使います。
    "#)]
    NO_COMMON_CIPHER = "kex.no-common-cipher", Error, 91, "No common cipher", no_common_cipher;

    /// Client and server have no message authentication code in common.
    ///
    /// ## Why it happens
    /// A legacy server offering only `hmac-md5` / `hmac-sha1-96`, or a client
    /// config that restricts MACs.
    ///
    /// ## How to fix
    /// Upgrade the server; meanwhile `-o MACs=+hmac-sha1` for that host.
    ///
    /// ## Evidence
    /// `Unable to negotiate with 10.0.0.1 port 22: no matching MAC found. Their offer: hmac-md5,hmac-sha1-96`
    #[ja("共通の MAC がない", r#"
        クライアントとサーバーに共通のメッセージ認証コード（MAC）がありません。

        ## なぜ起きるか
        `hmac-md5` / `hmac-sha1-96` しか提示しない古いサーバー、または MAC を絞った
        クライアントの設定です。

        ## 直し方
        サーバーを更新します。それまでは、そのホストに `-o MACs=+hmac-sha1` を使います。
    "#)]
    NO_COMMON_MAC = "kex.no-common-mac", Error, 91, "No common MAC", no_common_mac;

    /// The key exchange started and then nothing more came back: the trace ends
    /// waiting for the server's reply, with no error.
    ///
    /// ## Why it happens
    /// The server's reply is the first large packet of the connection (more so
    /// with post-quantum key exchange); a path-MTU black hole, a VPN or a
    /// middlebox that drops large packets swallows it while small ones pass.
    ///
    /// ## How to fix
    /// Lower the MTU on the client's interface, or pick a key exchange with a
    /// smaller reply (`-o KexAlgorithms=curve25519-sha256`) to confirm.
    ///
    /// ## Evidence
    /// the last line is `debug1: expecting SSH2_MSG_KEX_ECDH_REPLY`
    #[ja("鍵交換が止まった", r#"
        鍵交換が始まった後、何も返ってこなくなりました。出力はエラーなしで、サーバーの
        返事を待ったまま終わっています。

        ## なぜ起きるか
        サーバーの返事は、その接続で最初の大きなパケットです（ポスト量子の鍵交換では
        さらに大きくなります）。経路 MTU のブラックホール、VPN、大きなパケットを捨てる
        中継機器が、小さなパケットは通しつつそれを飲み込んでいます。

        ## 直し方
        クライアントのインターフェースの MTU を下げるか、返事の小さい鍵交換
        （`-o KexAlgorithms=curve25519-sha256`）で確かめます。
    "#)]
    STALLED = "kex.stalled", Error, 40, "Key exchange stalled", stalled;

    /// The connection works but does not use a post-quantum key exchange, so
    /// recorded traffic could be decrypted by a future quantum computer.
    ///
    /// ## Why it happens
    /// The server is older than OpenSSH 9.0 (or is not OpenSSH) or is configured
    /// without `mlkem768x25519-sha256` / `sntrup761x25519-sha512`.
    ///
    /// ## How to fix
    /// Upgrade the server's SSH implementation; check `ssh -Q kex` on it.
    ///
    /// ## Evidence
    /// `** WARNING: connection is not using a post-quantum key exchange algorithm.`
    #[ja("ポスト量子の鍵交換ではない", r#"
        接続はできていますが、ポスト量子の鍵交換を使っていません。記録された通信が、
        将来の量子コンピューターで復号されるおそれがあります。

        ## なぜ起きるか
        サーバーが OpenSSH 9.0 より古い（または OpenSSH ではない）か、
        `mlkem768x25519-sha256` / `sntrup761x25519-sha512` なしで設定されています。

        ## 直し方
        サーバーの SSH 実装を更新します。サーバーで `ssh -Q kex` を確かめます。
    "#)]
    NOT_POST_QUANTUM = "kex.not-post-quantum", Warning, 5, "No post-quantum key exchange", not_post_quantum;
}

/// `OpenSSH_9.2p1 ...` → (9, 2).
pub fn client_version(t: &Trace) -> Option<(u32, u32)> {
    let v = &t.client_version()?.value;
    let digits = v
        .split('_')
        .find(|p| p.starts_with(|c: char| c.is_ascii_digit()))?;
    let mut parts = digits.split(|c: char| !c.is_ascii_digit());
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// Legacy algorithms a modern client can re-enable, best first.
fn legacy(item: KexItem) -> &'static [&'static str] {
    match item {
        KexItem::Kex => &[
            "diffie-hellman-group14-sha1",
            "diffie-hellman-group-exchange-sha1",
            "diffie-hellman-group1-sha1",
        ],
        KexItem::HostKey => &["ssh-rsa", "ssh-dss"],
        KexItem::Cipher => &["aes128-cbc", "aes256-cbc", "aes192-cbc", "3des-cbc"],
        KexItem::Mac => &["hmac-sha1", "hmac-sha1-96", "hmac-md5", "hmac-md5-96"],
        KexItem::Compression => &["zlib@openssh.com", "zlib", "none"],
    }
}

/// Algorithms current OpenSSH clients enable by default.
fn modern(item: KexItem) -> &'static [&'static str] {
    match item {
        KexItem::Kex => &[
            "mlkem768x25519-sha256",
            "sntrup761x25519-sha512",
            "sntrup761x25519-sha512@openssh.com",
            "curve25519-sha256",
            "curve25519-sha256@libssh.org",
            "ecdh-sha2-nistp256",
            "ecdh-sha2-nistp384",
            "ecdh-sha2-nistp521",
            "diffie-hellman-group-exchange-sha256",
            "diffie-hellman-group16-sha512",
            "diffie-hellman-group18-sha512",
            "diffie-hellman-group14-sha256",
        ],
        KexItem::HostKey => &[
            "ssh-ed25519",
            "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521",
            "rsa-sha2-512",
            "rsa-sha2-256",
            "ssh-ed25519-cert-v01@openssh.com",
        ],
        KexItem::Cipher => &[
            "chacha20-poly1305@openssh.com",
            "aes128-ctr",
            "aes192-ctr",
            "aes256-ctr",
            "aes128-gcm@openssh.com",
            "aes256-gcm@openssh.com",
        ],
        KexItem::Mac => &[
            "umac-64-etm@openssh.com",
            "umac-128-etm@openssh.com",
            "hmac-sha2-256-etm@openssh.com",
            "hmac-sha2-512-etm@openssh.com",
            "hmac-sha1-etm@openssh.com",
            "umac-64@openssh.com",
            "umac-128@openssh.com",
            "hmac-sha2-256",
            "hmac-sha2-512",
            "hmac-sha1",
        ],
        KexItem::Compression => &["none", "zlib@openssh.com"],
    }
}

/// The algorithms of an offer: `kex-strict-*` and `ext-info-*` are
/// protocol markers, not algorithms.
fn algorithms<'a>(offer: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    offer
        .filter(|a| !a.starts_with("kex-strict-") && !a.starts_with("ext-info-"))
        .collect()
}

/// The kind of algorithm a `no matching ...` line is about: the kind its
/// message names, unless every offered name is one of another kind.
fn meant<'a>(named: KexItem, offer: impl Iterator<Item = &'a str>) -> KexItem {
    let offer = algorithms(offer);
    let kinds = [
        KexItem::Kex,
        KexItem::HostKey,
        KexItem::Cipher,
        KexItem::Mac,
        KexItem::Compression,
    ];
    let of = |a: &str| -> Option<KexItem> {
        let base = a.strip_suffix("-cert-v01@openssh.com").unwrap_or(a);
        kinds
            .iter()
            .copied()
            .find(|k| legacy(*k).contains(&base) || modern(*k).contains(&base))
    };
    let mut found = offer.iter().map(|a| of(a));
    match found.next().flatten() {
        Some(first) if first != named && found.all(|k| k == Some(first)) => first,
        _ => named,
    }
}

/// The words of ssh's message for a kind of algorithm.
fn message_words(item: KexItem) -> &'static str {
    match item {
        KexItem::Kex => "key exchange method found",
        KexItem::HostKey => "host key type found",
        KexItem::Cipher => "cipher found",
        KexItem::Mac => "MAC found",
        KexItem::Compression => "compression method found",
    }
}

fn option_name(item: KexItem) -> &'static str {
    match item {
        KexItem::Kex => "KexAlgorithms",
        KexItem::HostKey => "HostKeyAlgorithms",
        KexItem::Cipher => "Ciphers",
        KexItem::Mac => "MACs",
        KexItem::Compression => "Compression",
    }
}

fn negotiation(
    t: &Trace,
    ctx: &Ctx,
    want: KexItem,
    cause: &'static super::Cause,
) -> Option<Finding> {
    let n = t.find_last(|k| match k {
        K::NoMatchingAlgorithm {
            item, their_offer, ..
        } => meant(*item, their_offer.items()) == want,
        _ => false,
    })?;
    let K::NoMatchingAlgorithm {
        their_offer, item, ..
    } = n.kind()
    else {
        return None;
    };
    // The message names one kind and the offer is all of another: the
    // offer is what was copied, the message what was retold.
    let retold = *item != want;
    let offer = algorithms(their_offer.items());
    let l = ctx.lang;
    let offer_text = if offer.is_empty() {
        l.pick("(not shown)", "（表示なし）").to_string()
    } else {
        offer.join(", ")
    };
    // The offer is the server's (or an on-path attacker's) text: only a name
    // with an algorithm's shape may go into a command.
    let pick = legacy(want)
        .iter()
        .find(|a| offer.contains(a))
        .copied()
        .or(offer.iter().find_map(|a| crate::shell::algorithm(a)));
    let malformed: Vec<&str> = offer
        .iter()
        .filter(|a| crate::shell::algorithm(a).is_none())
        .copied()
        .collect();
    let version = client_version(t);
    let opt = option_name(want);
    let mut steps = Vec::new();
    if !malformed.is_empty() {
        let names = malformed.join(", ");
        steps.push(Step::say(tr!(l, "The server's offer holds text that is not an algorithm name ({names}); no command uses it. A genuine server never sends that: suspect whatever answers on this port, or something on the path rewriting it.", "サーバーの提示には方式名ではない文字列（{names}）が含まれています。これを使うコマンドは示しません。本物のサーバーはこれを送りません。このポートで応答しているものか、途中で書き換えているものを疑います。")));
    }
    let dsa_gone = want == KexItem::HostKey
        && offer.iter().all(|a| a.contains("dss"))
        && version.is_some_and(|v| v >= (10, 0));
    let pq_only = offer
        .iter()
        .all(|a| a.starts_with("mlkem") || a.starts_with("sntrup"));
    // The server offers something every modern OpenSSH enables by default:
    // then it is this client's own list that excludes it.
    let restricted = !pq_only && offer.iter().any(|a| modern(want).contains(a));
    if restricted {
        steps.push(Step::run(
            tr!(l, "The server is fine: it offers algorithms OpenSSH enables by default. See what restricts this client's {opt}:", "サーバーに問題はありません。OpenSSH が既定で有効にしている方式を提示しています。このクライアントの {opt} を何が絞っているかを見ます:"),
            ctx.client.ssh_g(ctx.host(), &format!("^{}", opt.to_ascii_lowercase())),
        ));
        steps.push(Step::say(tr!(
            l,
            "Remove or widen `{opt}` in your command line (-o), ~/.ssh/config or /etc/ssh/ssh_config.d/; on RHEL/Fedora also check the system crypto policy (`update-crypto-policies --show`).",
            "コマンドライン（-o）、~/.ssh/config、/etc/ssh/ssh_config.d/ の `{opt}` を消すか広げます。RHEL/Fedora ではシステムの暗号ポリシー（`update-crypto-policies --show`）も確かめます。"
        )));
    } else if dsa_gone {
        steps.push(Step::say(tr!(l, "This client (OpenSSH 10.0 or later) no longer contains DSA at all, so no option can re-enable it: upgrade the server, or use an older ssh client for this one device.", "このクライアント（OpenSSH 10.0 以降）には DSA がまったく含まれていないため、どのオプションでも有効にできません。サーバーを更新するか、この機器にだけ古い ssh クライアントを使います。")));
    } else if pq_only && want == KexItem::Kex {
        steps.push(Step::say(tr!(l, "The server only offers post-quantum key exchange, which this client is too old to know: upgrade the client (OpenSSH 9.9 or later knows mlkem768x25519-sha256).", "サーバーはポスト量子の鍵交換しか提示していませんが、このクライアントは古くてそれを知りません。クライアントを更新します（OpenSSH 9.9 以降は mlkem768x25519-sha256 を知っています）。")));
    } else if let Some(alg) = pick {
        let mut opts = format!("-o {opt}=+{alg}");
        if want == KexItem::HostKey && alg == "ssh-rsa" {
            opts.push_str(" -o PubkeyAcceptedAlgorithms=+ssh-rsa");
        }
        steps.push(Step::run(
            tr!(
                l,
                "Allow the server's `{alg}` for this one connection to confirm:",
                "確かめるため、この接続に限ってサーバーの `{alg}` を許可します:"
            ),
            ctx.ssh(&opts),
        ));
        let mut block = format!("Host {}\n    {opt} +{alg}", ctx.host());
        if want == KexItem::HostKey && alg == "ssh-rsa" {
            block.push_str("\n    PubkeyAcceptedAlgorithms +ssh-rsa");
        }
        steps.push(Step::run(
            tr!(
                l,
                "Make it permanent for this host only, in ~/.ssh/config:",
                "このホストに限って恒久的にするには ~/.ssh/config に:"
            ),
            block,
        ));
    }
    if !(restricted || (pq_only && want == KexItem::Kex)) {
        steps.push(Step::say(tr!(
            l,
            "The real fix is on the server: {} is weak and was disabled for a reason. Upgrade its SSH server (or firmware), or configure a modern algorithm there.",
            "本当の解決はサーバー側にあります。{} は弱く、理由があって無効にされたものです。サーバーの SSH ソフトウェア（またはファームウェア）を更新するか、そこで新しい方式を設定します。",
            pick.unwrap_or(l.pick("what it offers", "提示されている方式"))
        )));
    }

    let what = match (want, l) {
        (KexItem::Kex, _) => l.pick("key exchange", "鍵交換"),
        (KexItem::HostKey, _) => l.pick("host keys", "ホスト鍵"),
        (KexItem::Cipher, _) => l.pick("ciphers", "暗号"),
        (KexItem::Mac, _) => l.pick("MACs", "MAC"),
        (KexItem::Compression, _) => l.pick("compression", "圧縮"),
    };
    let summary = if restricted {
        tr!(l, "The server at {} offers only {offer_text} for {what}; this client accepts none of them, because its own configuration restricts them.", "{} のサーバーは{what}に {offer_text} しか提示していません。このクライアントは自分の設定で方式を絞っているため、そのどれも受け付けません。", ctx.host())
    } else {
        tr!(l, "The server at {} offers only {offer_text} for {what}; this client accepts none of them.", "{} のサーバーは{what}に {offer_text} しか提示していませんが、このクライアントはそのどれも受け付けません。", ctx.host())
    };
    if retold {
        steps.insert(0, Step::say(tr!(l, "The message as pasted names another kind of algorithm, but every name in the offer is one of {what}: the offer is what counts (ssh's own message would say `no matching {}`).", "貼られたメッセージは別の種類の方式を名指ししていますが、提示の名前はすべて{what}のものです。判断は提示のほうに従います（ssh 自身のメッセージなら `no matching {}` となります）。", message_words(want))));
    }
    let mut f = Finding::new(cause, summary, &[n])
        .steps(steps)
        .confidence(if retold {
            super::Confidence::Medium
        } else {
            super::Confidence::High
        });
    f.cite(
        t.client_version()
            .and_then(|v| t.events().iter().find(|e| e.line() == v.line)),
    );
    Some(f)
}

fn no_common_kex(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    negotiation(t, ctx, KexItem::Kex, &NO_COMMON_KEX)
}

fn no_common_hostkey(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    negotiation(t, ctx, KexItem::HostKey, &NO_COMMON_HOSTKEY)
}

fn no_common_cipher(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    negotiation(t, ctx, KexItem::Cipher, &NO_COMMON_CIPHER)
}

fn no_common_mac(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    negotiation(t, ctx, KexItem::Mac, &NO_COMMON_MAC)
        .or_else(|| negotiation(t, ctx, KexItem::Compression, &NO_COMMON_MAC))
}

fn stalled(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let mut last = t.last_significant()?;
    // ssh gave up waiting (ServerAliveInterval): `Connection to H port P
    // timed out` after the wait.
    let timed_out = matches!(last.kind(), K::ConnectionTimedOutPkt { .. }).then_some(last);
    if timed_out.is_some() {
        last = t.find_last(|k| !matches!(k, K::ConnectionTimedOutPkt { .. }))?;
    }
    let l = ctx.lang;
    let waiting = match last.kind() {
        K::KexMessage {
            expecting: true,
            message,
            ..
        } => message.to_string(),
        K::KexMessage {
            sent: true,
            message,
            ..
        } if message.contains("KEXINIT") => l
            .pick(
                "the server's SSH2_MSG_KEXINIT",
                "サーバーの SSH2_MSG_KEXINIT",
            )
            .to_string(),
        K::KexAlgorithm { .. }
        | K::KexCipher { .. }
        | K::KexProposal { .. }
        | K::KexProposalHeader { .. } => {
            l.pick("the key exchange reply", "鍵交換の返事").to_string()
        }
        _ => return None,
    };
    let kex = t.find_last(|k| matches!(k, K::KexAlgorithm { .. }));
    let summary = if timed_out.is_some() {
        tr!(
            l,
            "ssh waited for {waiting} until it timed out: the server's reply never arrived. Large packets are probably being dropped on the way.",
            "ssh は {waiting} をタイムアウトするまで待ちました。サーバーの返事は届きませんでした。途中で大きなパケットが捨てられている可能性が高いです。"
        )
    } else {
        tr!(
            l,
            "The trace ends while waiting for {waiting}, with no error: the server's reply never arrived. Large packets are probably being dropped on the way (if the paste was cut short here, re-run and keep the whole output).",
            "出力は {waiting} を待ったまま、エラーなしで終わっています。サーバーの返事は届きませんでした。途中で大きなパケットが捨てられている可能性が高いです（貼り付けをここで切った場合は、実行し直して出力を丸ごと残します）。"
        )
    };
    let mut f = Finding::new(&STALLED, summary, &[last])
    .confidence(Confidence::Medium)
    .steps([
        Step::run(tr!(l, "Confirm with a key exchange whose reply is small:", "返事の小さい鍵交換で確かめます:"), ctx.ssh("-o KexAlgorithms=curve25519-sha256")),
        Step::run(tr!(l, "Find the largest packet that passes (1472 = 1500 - headers):", "通る最大のパケットを探します（1472 = 1500 - ヘッダー）:"), ctx.client.ping_unfragmented(ctx.host(), 1472)),
        Step::run(tr!(l, "Lower the MTU of your interface (put in its name), or fix it on the VPN/tunnel:", "インターフェースの MTU を下げる（名前は置き換えます）か、VPN やトンネル側で直します:"), ctx.client.set_mtu(1400)),
    ]);
    f.cite(kex);
    f.cite(timed_out);
    Some(f)
}

fn not_post_quantum(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::PostQuantumWarning {}))?;
    let kex = t.find_last(|k| matches!(k, K::KexAlgorithm { .. }));
    let name = match kex.map(|n| n.kind()) {
        Some(K::KexAlgorithm { name }) => format!(" (`{name}`)"),
        _ => String::new(),
    };
    let l = ctx.lang;
    let mut f = Finding::new(
        &NOT_POST_QUANTUM,
        tr!(l, "The connection to {} uses a key exchange{name} that is not post-quantum.", "{} への接続は、ポスト量子ではない鍵交換{name}を使っています。", ctx.host()),
        &[n],
    )
    .note()
    .steps([
        Step::say(tr!(l, "Upgrade the server to OpenSSH 9.0 or later (9.9+ for mlkem768x25519-sha256), or enable a post-quantum KexAlgorithms there.", "サーバーを OpenSSH 9.0 以降（mlkem768x25519-sha256 なら 9.9 以降）に更新するか、そこでポスト量子の KexAlgorithms を有効にします。")),
        Step::say(tr!(l, "The warning is controlled by WarnWeakCrypto in ssh_config (OpenSSH 10.1+); see `man ssh_config`.", "この警告は ssh_config の WarnWeakCrypto（OpenSSH 10.1 以降）で制御できます。`man ssh_config` を参照してください。")),
    ]);
    f.cite(kex);
    f.cite(t.all(|k| matches!(k, K::PostQuantumDetail { .. })).take(2));
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn a_retold_message_is_read_by_its_offer() {
        // The offer lists only host key types: the message was retold.
        let d = diagnose("Unable to negotiate with 10.0.0.1 port 22: no matching key exchange method found. Their offer: ssh-rsa,ssh-dss\n");
        assert_eq!(d.primary.cause.id, "kex.no-common-hostkey");
        assert_eq!(d.primary.confidence, crate::Confidence::Medium);
        // A mixed or unknown offer keeps the message's own kind.
        let d = diagnose("Unable to negotiate with 10.0.0.1 port 22: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1,ssh-rsa\n");
        assert_eq!(d.primary.cause.id, "kex.no-common-kex");
        assert_eq!(d.primary.confidence, crate::Confidence::High);
    }

    #[test]
    fn negotiation_failures_give_exact_options() {
        let d = diagnose("Unable to negotiate with 10.0.0.1 port 22: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1\n");
        assert_eq!(d.primary.cause.id, "kex.no-common-kex");
        assert!(d.primary.steps[0]
            .command
            .as_deref()
            .is_some_and(|c| c.contains("KexAlgorithms=+diffie-hellman-group1-sha1")));
        let d = diagnose("Unable to negotiate with 10.0.0.1 port 2218: no matching host key type found. Their offer: ssh-rsa\n");
        assert_eq!(d.primary.cause.id, "kex.no-common-hostkey");
        assert!(d.primary.steps[0]
            .command
            .as_deref()
            .is_some_and(|c| c.contains("PubkeyAcceptedAlgorithms=+ssh-rsa")));
        assert_eq!(
            diagnose("Unable to negotiate with 10.0.0.1 port 22: no matching cipher found. Their offer: aes128-cbc\n").primary.cause.id,
            "kex.no-common-cipher"
        );
        assert_eq!(
            diagnose("Unable to negotiate with 10.0.0.1 port 22: no matching MAC found. Their offer: hmac-md5\n").primary.cause.id,
            "kex.no-common-mac"
        );
    }

    #[test]
    fn a_restricted_client_is_told_so() {
        let d = diagnose("Unable to negotiate with 127.0.0.1 port 2230: no matching key exchange method found. Their offer: curve25519-sha256,diffie-hellman-group14-sha1\n");
        assert!(
            d.primary
                .summary
                .contains("its own configuration restricts them"),
            "{}",
            d.primary.summary
        );
        assert!(d
            .primary
            .steps
            .iter()
            .all(|s| !s.command.as_deref().unwrap_or("").contains("=+")));
    }

    #[test]
    fn dsa_on_a_10_client_cannot_be_reenabled() {
        let d = diagnose("OpenSSH_10.0p2 Debian-7, OpenSSL 3.5.1\nUnable to negotiate with 10.0.0.1 port 22: no matching host key type found. Their offer: ssh-dss\n");
        assert!(d.primary.steps[0].text.contains("no longer contains DSA"));
    }

    #[test]
    fn stall_is_medium_confidence() {
        let d = diagnose("debug1: SSH2_MSG_KEXINIT sent\ndebug1: SSH2_MSG_KEXINIT received\ndebug1: kex: algorithm: sntrup761x25519-sha512\ndebug1: expecting SSH2_MSG_KEX_ECDH_REPLY\n");
        assert_eq!(d.primary.cause.id, "kex.stalled");
        assert_eq!(d.primary.confidence, crate::diagnose::Confidence::Medium);
    }
}
