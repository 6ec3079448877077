//! Other SSH clients' failures, mapped to the cause they name.
//!
//! PuTTY, Go's x/crypto/ssh, paramiko, JSch, Node.js ssh2, Ruby net-ssh, SSH.NET and Vagrant word their failures their own
//! way. The common ones (refused, timed out, unknown name, host key, key
//! exchange, authentication) map to the same causes as OpenSSH's messages,
//! at medium confidence (the client's words, but none of OpenSSH's context),
//! and the summary says which client it was; a bare "authentication failed"
//! names only the symptom, so it is a low guess.

use super::{cause, Confidence, Ctx, Finding};
use crate::event::EventKind as K;
use crate::tr;
use crate::trace::Trace;

/// Words of a failure message (lower case) and the cause they name, most
/// specific first.
const WORDS: &[(&[&str], &str)] = &[
    (&["key mismatch"], "hostkey.changed"),
    (&["fingerprint mismatch"], "hostkey.changed"),
    (&["badhostkey"], "hostkey.changed"),
    (&["potential security breach"], "hostkey.changed"),
    (&["key is unknown"], "hostkey.unknown"),
    (&["unknownhostkey"], "hostkey.unknown"),
    (
        &["no common algorithm for key exchange"],
        "kex.no-common-kex",
    ),
    (&["no acceptable kex"], "kex.no-common-kex"),
    (&["couldn't agree a key exchange"], "kex.no-common-kex"),
    (
        &["no common algorithm for host key"],
        "kex.no-common-hostkey",
    ),
    (&["couldn't agree a host key"], "kex.no-common-hostkey"),
    (
        &["no common algorithm for", "cipher"],
        "kex.no-common-cipher",
    ),
    (&["couldn't agree a", "cipher"], "kex.no-common-cipher"),
    (&["no common algorithm for", "mac"], "kex.no-common-mac"),
    (&["algorithm negotiation fail"], "kex.no-common-kex"),
    (&["no matching key exchange"], "kex.no-common-kex"),
    // Tabby (russh): `Handshake failed: no matching C->S cipher`.
    (&["no matching c->s cipher"], "kex.no-common-cipher"),
    (&["no matching s->c cipher"], "kex.no-common-cipher"),
    (&["no matching c->s mac"], "kex.no-common-mac"),
    (&["no matching s->c mac"], "kex.no-common-mac"),
    // Windows socket errors as Python prints them (`[WinError 10060] ...`,
    // the text in the system's language), and the text of WSAECONNREFUSED.
    (&["[winerror 10060]"], "connect.timeout"),
    (&["[winerror 10061]"], "connect.refused"),
    (&["[winerror 10065]"], "connect.no-route"),
    (&["[winerror 10051]"], "connect.network-unreachable"),
    (&["target machine actively refused it"], "connect.refused"),
    // paramiko, given neither a key nor a password to try (and no agent
    // key): `SSHException: No authentication methods available`.
    (
        &["no authentication methods available"],
        "auth.no-identities",
    ),
    // paramiko (through the cryptography package): a key file it cannot use.
    (&["invalid private key"], "auth.key-load-failed"),
    // VS Code Remote-SSH's dialog when ssh warned that the key changed.
    (&["remote host key has changed"], "hostkey.changed"),
    (&["no common kex algorithm"], "kex.no-common-kex"),
    (&["no hostkey for host"], "hostkey.unknown"),
    (&["global req for tcpip-forward"], "forward.remote-failed"),
    (&["no matching host key format"], "kex.no-common-hostkey"),
    (&["no matching cipher"], "kex.no-common-cipher"),
    (&["no matching hmac"], "kex.no-common-mac"),
    // asyncssh: `No matching encryption algorithm found, sent ... and received ...`.
    (
        &["no matching encryption algorithm"],
        "kex.no-common-cipher",
    ),
    (&["no matching mac algorithm"], "kex.no-common-mac"),
    // libssh: `kex error : no match for method kex algos: server [...]`.
    (&["no match for method kex algos"], "kex.no-common-kex"),
    (
        &["no match for method server host key algo"],
        "kex.no-common-hostkey",
    ),
    (&["no match for method encryption"], "kex.no-common-cipher"),
    (&["no match for method mac algo"], "kex.no-common-mac"),
    // Vagrant logs in with its private key only.
    (&["authentication failure. retrying"], "auth.key-rejected"),
    (&["connection reset. retrying"], "banner.reset"),
    (&["remote connection disconnect. retrying"], "banner.closed"),
    (&["connection timeout. retrying"], "connect.timeout"),
    // Go: TCP connected, then the server's first bytes never came.
    (&["handshake failed", "i/o timeout"], "banner.timeout"),
    // ... or the server reset or closed it before its version line.
    (&["handshake failed", "connection reset"], "banner.reset"),
    (&["handshake failed: eof"], "banner.closed"),
    // Go read 255 bytes and found no version line: not an ssh server.
    (&["overflow reading version string"], "banner.not-ssh"),
    // Dropbear's client: `exited: REASON`.
    (&["exited: bad host key"], "hostkey.changed"),
    (&["exited: didn't validate host key"], "hostkey.unknown"),
    (&["no matching algo kex"], "kex.no-common-kex"),
    (&["no matching algo hostkey"], "kex.no-common-hostkey"),
    (&["no matching algo enc"], "kex.no-common-cipher"),
    (&["no matching algo mac"], "kex.no-common-mac"),
    (
        &["connection failed: connection time out"],
        "connect.timeout",
    ),
    (&["connection refused"], "connect.refused"),
    // Node.js's net errors (errno names).
    (&["connect econnrefused"], "connect.refused"),
    (&["connect etimedout"], "connect.timeout"),
    (&["connect ehostunreach"], "connect.no-route"),
    (&["getaddrinfo enotfound"], "resolve.unknown-host"),
    (&["unable to connect to port"], "connect.refused"),
    (&["timed out"], "connect.timeout"),
    // SSH.NET's connect timeout; net-ssh's exception class.
    (
        &["connection failed to establish within"],
        "connect.timeout",
    ),
    (&["connectiontimeout"], "connect.timeout"),
    (&["hostkeymismatch"], "hostkey.changed"),
    // Go's certificate checks of a host certificate (Teleport, Go tools).
    (
        &["not in the set of valid principals"],
        "hostkey.certificate-invalid",
    ),
    (&["ssh: cert has expired"], "hostkey.certificate-invalid"),
    (
        &["ssh: cert is not yet valid"],
        "hostkey.certificate-invalid",
    ),
    (&["hostkeyunknown"], "hostkey.unknown"),
    (&["i/o timeout"], "connect.timeout"),
    (&["socket is not established"], "connect.timeout"),
    (&["no such host"], "resolve.unknown-host"),
    (&["host does not exist"], "resolve.unknown-host"),
    // Go names the methods it tried: none at all means no key was given
    // to it; a key or a password tried and refused names that.
    (&["attempted methods [none],"], "auth.no-identities"),
    (
        &["attempted methods [none publickey],"],
        "auth.key-rejected",
    ),
    (
        &["attempted methods [none password],"],
        "auth.password-rejected",
    ),
    (&["unable to authenticate"], "auth.failed"),
    // cargo (libgit2) tried the agent only: which of the agent's troubles
    // is the differential's question.
    (&["attempted ssh-agent authentication"], "auth.failed"),
    (&["no supported authentication methods"], "auth.failed"),
    (&["authentication failed"], "auth.failed"),
    (
        &["all configured authentication methods failed"],
        "auth.failed",
    ),
    (&["no more auth methods available"], "auth.failed"),
    (&["authenticationexception"], "auth.failed"),
    // net-ssh's exception class, with only the user after it.
    (&["authenticationfailed"], "auth.failed"),
    (&["no suitable authentication method"], "auth.failed"),
    (&["auth fail"], "auth.failed"),
    (&["no auth methods could be used"], "auth.failed"),
];

/// The findings of another client's failure lines: the last one that names
/// a cause counts (a tool's recap after it, `+ CategoryInfo : ...`, names
/// none). A fallback cause ("authentication failed" alone) names only the
/// symptom, like a bare `Permission denied`: that is a low guess.
pub fn findings(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let (n, client, message, id, vague) = t
        .all(|k| matches!(k, K::ForeignFailure { .. }))
        .rev()
        .find_map(|n| match n.kind() {
            K::ForeignFailure { client, message } => {
                let lower = message.to_ascii_lowercase();
                let vague = VAGUE.iter().any(|w| lower.contains(w));
                named_by(WORDS, &lower).map(|id| (n, client, message, id, vague))
            }
            _ => None,
        })?;
    let l = ctx.lang;
    rerun_finding(
        id,
        tr!(
            l,
            "This is {client}'s output, not OpenSSH's: its message ({message}) is what OpenSSH calls {id}. Its wording carries less detail, so the checks below are OpenSSH's; run the same connection with `ssh -v` to confirm.",
            "これは OpenSSH ではなく {client} の出力です。そのメッセージ（{message}）は OpenSSH でいう {id} にあたります。詳しさが足りないため、以下は OpenSSH での確かめ方です。同じ接続を `ssh -v` で試して確かめます。"
        ),
        n,
        if cause(id)?.priority <= super::FALLBACK_PRIORITY || vague {
            Confidence::Low
        } else {
            Confidence::Medium
        },
        tr!(
            l,
            "Try the same connection with OpenSSH's client and give its output to sshexplain:",
            "同じ接続を OpenSSH のクライアントで試し、出力を sshexplain に渡します:"
        ),
        ctx,
    )
}

/// Words that span several of OpenSSH's stages, so the cause they map to
/// is only the likeliest: Node.js ssh2's `Timed out while waiting for
/// handshake` is its readyTimeout, which covers the TCP connect, the
/// banner, the key exchange and the login alike.
const VAGUE: &[&str] = &["while waiting for handshake"];

/// The cause the first row whose words all stand in `text` names.
fn named_by(table: &[(&[&str], &'static str)], text: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(words, _)| words.iter().all(|w| text.contains(w)))
        .map(|(_, id)| *id)
}

/// A finding of `id` read from a line that is not OpenSSH's own, with the
/// step that runs the connection again to get OpenSSH's words.
fn rerun_finding(
    id: &str,
    summary: String,
    n: &crate::trace::Noted,
    confidence: Confidence,
    rerun: String,
    ctx: &Ctx,
) -> Option<Finding> {
    let mut f = Finding::new(cause(id)?, summary, &[n]).confidence(confidence);
    f.steps.push(super::Step::run(rerun, ctx.rerun_explained()));
    Some(f)
}

/// The words of a retyped OpenSSH message (normalized, see
/// [`crate::grammar`]'s `RETYPED`) and the cause they name, most specific
/// first.
const RETYPED: &[(&[&str], &str)] = &[
    (&["exchange_identification", "reset"], "banner.reset"),
    (&["exchange_identification", "closed"], "banner.closed"),
    (&["exchange_identification", "timed out"], "banner.timeout"),
    (&["connection refused"], "connect.refused"),
    (&["connection timed out"], "connect.timeout"),
    (&["operation timed out"], "connect.timeout"),
    (&["no route to host"], "connect.no-route"),
    (&["network is unreachable"], "connect.network-unreachable"),
    (
        &["temporary failure in name resolution"],
        "resolve.dns-failure",
    ),
    (&["could not resolve hostname"], "resolve.unknown-host"),
    (
        &["no address associated with hostname"],
        "resolve.unknown-host",
    ),
    (&["name or service not known"], "resolve.unknown-host"),
    (&["nodename nor servname"], "resolve.unknown-host"),
    (&["broken pipe"], "session.broken-pipe"),
    // Bare (ssh's own has `kex_exchange_identification: ` before it): a
    // wrapper's words after its ssh ended (borg), the phase unknown.
    (
        &["connection closed by remote host"],
        "session.closed-by-remote",
    ),
    (
        &["remote host identification has changed"],
        "hostkey.changed",
    ),
    (&["host key verification failed"], "hostkey.unknown"),
    (
        &["too many authentication failures"],
        "auth.too-many-failures",
    ),
    (
        &["permission denied please try again"],
        "auth.password-rejected",
    ),
    (&["permission denied", "publickey"], "auth.key-rejected"),
    (&["no matching key exchange method"], "kex.no-common-kex"),
    (&["no matching host key type"], "kex.no-common-hostkey"),
    (&["no matching cipher"], "kex.no-common-cipher"),
    (&["no matching mac"], "kex.no-common-mac"),
    (&["unprotected private key file"], "auth.key-unprotected"),
    (&["corrupted mac"], "transport.corrupt"),
    (
        &["message authentication code incorrect"],
        "transport.corrupt",
    ),
    (&["bad packet length"], "transport.corrupt"),
    (&["address already in use"], "forward.bind-failed"),
];

/// The finding of a retyped OpenSSH message (the last one counts), for an
/// input where nothing else names a failure: low confidence, since a
/// retyped line has lost what ssh's own line would show.
pub fn retyped(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let (n, id) = t
        .all(|k| matches!(k, K::Retyped { .. }))
        .rev()
        .find_map(|n| match n.kind() {
            K::Retyped { message } => named_by(RETYPED, message).map(|id| (n, id)),
            _ => None,
        })?;
    let l = ctx.lang;
    rerun_finding(
        id,
        tr!(
            l,
            "This line reads like OpenSSH's message for {id}, retyped or quoted in other words; such a line has lost what ssh's own output shows, so this is a guess. Paste ssh's exact output, with -v.",
            "この行は OpenSSH の {id} のメッセージを打ち直したか、別の言葉で引用したもののようです。ssh 自身の出力にある情報が失われているので、これは推測です。ssh の出力をそのまま（-v 付きで）貼ってください。"
        ),
        n,
        Confidence::Low,
        tr!(
            l,
            "Run the connection again with -v and give its output to sshexplain:",
            "-v を付けて接続し直し、出力を sshexplain に渡します:"
        ),
        ctx,
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn every_phrase_the_grammar_reads_names_a_cause() {
        // A library's words the grammar keeps as a failure must map to a
        // cause here, or the line is read and then not explained.
        for phrase in crate::grammar::foreign::LIBRARY_PHRASES {
            assert!(
                super::named_by(super::WORDS, &phrase.to_ascii_lowercase()).is_some(),
                "{phrase}"
            );
        }
    }

    #[test]
    fn other_clients_map_to_causes() {
        for (log, id) in [
            ("FATAL ERROR: Network error: Connection refused\n", "connect.refused"),
            ("FATAL ERROR: Network error: Connection timed out\n", "connect.timeout"),
            ("ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain\n", "auth.key-rejected"),
            ("ssh: handshake failed: ssh: unable to authenticate, attempted methods [none], no supported methods remain\n", "auth.no-identities"),
            ("ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey password], no supported methods remain\n", "auth.failed"),
            ("install: failed to connect to host (ssh: handshake failed: ssh: no common algorithm for client to server cipher; client offered: [aes128-ctr], server offered: [aes256-cbc 3des-cbc])\n", "kex.no-common-cipher"),
            ("paramiko.ssh_exception.AuthenticationException: Authentication failed.\n", "auth.failed"),
            ("\"paramiko.ssh_exception.SSHException: No authentication methods available\"\n", "auth.no-identities"),
            ("Exception: ('Invalid private key', [_OpenSSLErrorWithText(code=67764350)])\n", "auth.key-load-failed"),
            ("com.jcraft.jsch.JSchException: UnknownHostKey: 10.0.0.5. RSA key fingerprint is 1f:2e\n", "hostkey.unknown"),
            ("DEBUG: No matching key exchange algorithm\n", "kex.no-common-kex"),
            ("Error: All configured authentication methods failed\n", "auth.failed"),
            ("Error: Timed out while waiting for handshake\n", "connect.timeout"),
            ("ssh: handshake failed: read tcp 127.0.0.1:53990->127.0.0.1:2223: read: connection reset by peer\n", "banner.reset"),
            ("ssh: handshake failed: EOF\n", "banner.closed"),
            ("dbclient: Connection to root@192.168.1.1:22 exited: No matching algo kex\n", "kex.no-common-kex"),
            ("[connection failed: cannot reach 10.0.0.5:22: No common Kex algorithm - ours: [\"curve25519-sha256\"], theirs: [\"diffie-hellman-group1-sha1\"]]\n", "kex.no-common-kex"),
            (" X  Handshake failed: no matching key exchange algorithm\n", "kex.no-common-kex"),
            ("No hostkey for host ssh.example.org found.\n", "hostkey.unknown"),
            ("Connection to pi@h:22 exited: Connection failed: Connection refused\n", "connect.refused"),
            ("ssh: Connection to root@10.0.0.1:22 exited: Bad host key\n", "hostkey.changed"),
            ("error copy file to dest: *.*.*.*, error message: ssh: handshake failed: ssh: overflow reading version string\n", "banner.not-ssh"),
            ("FATA[0000] rpc error: code = Unknown desc = error testing repository connectivity: ssh: handshake failed: knownhosts: key is unknown\n", "hostkey.unknown"),
            ("rclone    | 2021/05/30 16:16:39 ERROR : rc: \"operations/list\": error: NewFs: couldn't connect SSH: ssh: handshake failed: ssh: unable to authenticate, attempted methods [none password], no supported methods remain\n", "auth.password-rejected"),
            ("error: ssh: handshake failed: ssh: principal \"proxy.example\" not in the set of valid principals for given certificate: [\"node\"]\n", "hostkey.certificate-invalid"),
            ("handshake failed: ssh: unable to authenticate, attempted methods [none], no supported methods remain\n", "auth.no-identities"),
            ("{\"msg\": \"ssh connection failed: ssh connect failed: kex error : no match for method server host key algo: server [ssh-rsa], client [ssh-ed25519]\"}\n", "kex.no-common-hostkey"),
            // asyncssh's exception, indented by a tool; JSch's (a .NET port's)
            // at the end of a stack trace's line; net-ssh's class alone.
            ("    KeyExchangeFailed: No matching encryption algorithm found, sent aes128-ctr and received aes128-cbc\n", "kex.no-common-cipher"),
            ("Error: System.Exception: listing failed: Auth fail ---> Tamir.SharpSsh.jsch.JSchException: Auth fail\n", "auth.failed"),
            ("Net::SSH::AuthenticationFailed: root\n", "auth.failed"),
            // Node.js's net errors inside an ssh2-based tool's log.
            ("[Error  - 16:28:25.736] Error resolving authority\nError: connect ECONNREFUSED 10.0.0.7:22\n", "connect.refused"),
            ("Error: getaddrinfo ENOTFOUND build-box\n", "resolve.unknown-host"),
        ] {
            let d = diagnose(log);
            assert_eq!(d.primary.cause.id, id, "{log}");
            // A refused password is a guess from the client's side (see
            // `guess_password`).
            let sure = if id == "auth.failed"
                || id == "auth.password-rejected"
                || log.contains("waiting for handshake")
            {
                crate::Confidence::Low
            } else {
                crate::Confidence::Medium
            };
            assert_eq!(d.primary.confidence, sure, "{log}");
            assert!(d.primary.summary.contains("not OpenSSH's"), "{}", d.primary.summary);
        }
    }

    #[test]
    fn cargo_asks_only_the_agent() {
        // Older and newer cargo wording; the differential ranks the causes.
        for log in [
            "error: failed to load source for a dependency on `rand`\n\nCaused by:\n  failed to authenticate when downloading repository\nattempted ssh-agent authentication, but none of the usernames `git` succeeded\n",
            "  failed to authenticate when downloading repository: git@github.com:o/r.git\n\n  * attempted ssh-agent authentication, but no usernames succeeded: `git`\n",
        ] {
            let d = diagnose(log);
            assert_eq!(d.primary.confidence, crate::Confidence::Low, "{log}");
            let ids: Vec<&str> = d.hypotheses.iter().map(|h| h.id).collect();
            assert_eq!(ids.first(), Some(&"auth.agent-unavailable"), "{log}");
            assert!(ids.contains(&"auth.no-identities"), "{log}");
            assert_eq!(d.primary.cause.id, "auth.agent-unavailable");
        }
    }

    #[test]
    fn class_names_are_found_inside_a_tools_words() {
        let d = diagnose("  ERROR (Net::SSH::AuthenticationFailed): Authentication failed for user root@10.0.0.5\n");
        assert_eq!(d.primary.cause.id, "auth.failed");
        assert!(
            d.primary.summary.contains("Ruby net-ssh"),
            "{}",
            d.primary.summary
        );
        // The recap after the message names no cause; the message counts.
        let d = diagnose("New-SSHSession : Connection failed to establish within 10000 milliseconds.\n    + CategoryInfo          : OperationTimeout: (Renci.SshNet.SshClient:SshClient) [New-SSHSession], SshOperationTimeoutException\n");
        assert_eq!(d.primary.cause.id, "connect.timeout");
        assert_eq!(d.primary.confidence, crate::Confidence::Medium);
    }

    #[test]
    fn retyped_messages_are_low_guesses() {
        for (log, id) in [
            (
                "kex_exchange_identification read connection reset by peer\n",
                "banner.reset",
            ),
            (
                "packet_write_wait connection to ... broken pipe\n",
                "session.broken-pipe",
            ),
            // Android's resolver (ConnectBot).
            (
                "Unable to resolve host \"raspberrypi.local\": No address associated with hostname\n",
                "resolve.unknown-host",
            ),
        ] {
            let d = diagnose(log);
            assert_eq!(d.primary.cause.id, id, "{log}");
            assert_eq!(d.primary.confidence, crate::Confidence::Low, "{log}");
        }
        // ssh's own line, typed, is not a retyped one.
        let d = diagnose("kex_exchange_identification: read: Connection reset by peer\n");
        assert_eq!(d.primary.cause.id, "banner.reset");
        assert!(
            !d.primary.summary.contains("retyped"),
            "{}",
            d.primary.summary
        );
    }

    #[test]
    fn every_retyped_phrase_names_a_cause() {
        for phrase in crate::grammar::RETYPED_PHRASES {
            assert!(
                super::RETYPED.iter().any(|(words, _)| words
                    .iter()
                    .any(|w| phrase.contains(w) || w.contains(phrase))),
                "{phrase}"
            );
        }
    }
}
