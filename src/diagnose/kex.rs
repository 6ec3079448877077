//! Key exchange: algorithm negotiation and a stalled exchange.

use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::{EventKind as K, KexItem};
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
    let n = t.find_last(|k| matches!(k, K::NoMatchingAlgorithm { item, .. } if *item == want))?;
    let K::NoMatchingAlgorithm { their_offer, .. } = n.kind() else {
        return None;
    };
    // `kex-strict-*` and `ext-info-*` are protocol markers, not algorithms.
    let offer: Vec<&str> = their_offer
        .items()
        .filter(|a| !a.starts_with("kex-strict-") && !a.starts_with("ext-info-"))
        .collect();
    let offer_text = if offer.is_empty() {
        "(not shown)".to_string()
    } else {
        offer.join(", ")
    };
    let pick = legacy(want)
        .iter()
        .find(|a| offer.contains(a))
        .copied()
        .or(offer.first().copied());
    let version = client_version(t);
    let opt = option_name(want);
    let mut steps = Vec::new();
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
            format!("The server is fine: it offers algorithms OpenSSH enables by default. See what restricts this client's {opt}:"),
            format!("ssh -G {} | grep -i '^{}'", ctx.host(), opt.to_ascii_lowercase()),
        ));
        steps.push(Step::say(format!(
            "Remove or widen `{opt}` in your command line (-o), ~/.ssh/config or /etc/ssh/ssh_config.d/; on RHEL/Fedora also check the system crypto policy (`update-crypto-policies --show`)."
        )));
    } else if dsa_gone {
        steps.push(Step::say("This client (OpenSSH 10.0 or later) no longer contains DSA at all, so no option can re-enable it: upgrade the server, or use an older ssh client for this one device."));
    } else if pq_only && want == KexItem::Kex {
        steps.push(Step::say("The server only offers post-quantum key exchange, which this client is too old to know: upgrade the client (OpenSSH 9.9 or later knows mlkem768x25519-sha256)."));
    } else if let Some(alg) = pick {
        let mut opts = format!("-o {opt}=+{alg}");
        if want == KexItem::HostKey && alg == "ssh-rsa" {
            opts.push_str(" -o PubkeyAcceptedAlgorithms=+ssh-rsa");
        }
        steps.push(Step::run(
            format!("Allow the server's `{alg}` for this one connection to confirm:"),
            ctx.ssh(&opts),
        ));
        let mut block = format!("Host {}\n    {opt} +{alg}", ctx.host());
        if want == KexItem::HostKey && alg == "ssh-rsa" {
            block.push_str("\n    PubkeyAcceptedAlgorithms +ssh-rsa");
        }
        steps.push(Step::run(
            "Make it permanent for this host only, in ~/.ssh/config:",
            block,
        ));
    }
    if !(restricted || (pq_only && want == KexItem::Kex)) {
        steps.push(Step::say(format!(
            "The real fix is on the server: {} is weak and was disabled for a reason. Upgrade its SSH server (or firmware), or configure a modern algorithm there.",
            pick.unwrap_or("what it offers")
        )));
    }

    let summary = format!(
        "The server at {} offers only {offer_text} for {}; this client accepts none of them{}.",
        ctx.host(),
        match want {
            KexItem::Kex => "key exchange",
            KexItem::HostKey => "host keys",
            KexItem::Cipher => "ciphers",
            KexItem::Mac => "MACs",
            KexItem::Compression => "compression",
        },
        if restricted {
            ", because its own configuration restricts them"
        } else {
            ""
        }
    );
    let mut f = Finding::new(cause, summary, &[n]).steps(steps);
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
    let last = t.last_significant()?;
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
        } if message.contains("KEXINIT") => "the server's SSH2_MSG_KEXINIT".to_string(),
        K::KexAlgorithm { .. }
        | K::KexCipher { .. }
        | K::KexProposal { .. }
        | K::KexProposalHeader { .. } => "the key exchange reply".to_string(),
        _ => return None,
    };
    let kex = t.find_last(|k| matches!(k, K::KexAlgorithm { .. }));
    let mut f = Finding::new(
        &STALLED,
        format!(
            "The trace ends while waiting for {waiting}, with no error: the server's reply never arrived. Large packets are probably being dropped on the way (if the paste was cut short here, re-run and keep the whole output)."
        ),
        &[last],
    )
    .confidence(Confidence::Medium)
    .steps([
        Step::run("Confirm with a key exchange whose reply is small:", ctx.ssh("-o KexAlgorithms=curve25519-sha256")),
        Step::run("Find the largest packet that passes (1472 = 1500 - headers):", format!("ping -M do -s 1472 -c 3 {}", ctx.host())),
        Step::run("Lower the MTU of your interface (replace eth0), or fix it on the VPN/tunnel:", "sudo ip link set dev eth0 mtu 1400"),
    ]);
    f.cite(kex);
    Some(f)
}

fn not_post_quantum(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::PostQuantumWarning {}))?;
    let kex = t.find_last(|k| matches!(k, K::KexAlgorithm { .. }));
    let name = match kex.map(|n| n.kind()) {
        Some(K::KexAlgorithm { name }) => format!(" (`{name}`)"),
        _ => String::new(),
    };
    let mut f = Finding::new(
        &NOT_POST_QUANTUM,
        format!("The connection to {} uses a key exchange{name} that is not post-quantum.", ctx.host()),
        &[n],
    )
    .note()
    .steps([
        Step::say("Upgrade the server to OpenSSH 9.0 or later (9.9+ for mlkem768x25519-sha256), or enable a post-quantum KexAlgorithms there."),
        Step::say("The warning is controlled by WarnWeakCrypto in ssh_config (OpenSSH 10.1+); see `man ssh_config`."),
    ]);
    f.cite(kex);
    f.cite(t.all(|k| matches!(k, K::PostQuantumDetail { .. })).take(2));
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

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
