//! Other SSH clients' failure messages: PuTTY and plink, Go's
//! `golang.org/x/crypto/ssh`, Python's paramiko, Java's JSch, Node.js ssh2, Ruby net-ssh,
//! SSH.NET and Posh-SSH. They are named
//! for what they are (the diagnosis says which client printed them), so an
//! IDE, a CI action or a deploy tool built on them still gets an answer.

use super::primitives::b;
use crate::event::EventKind;

/// Each client's signature at the start of its message.
const CLIENTS: &[(&str, &str)] = &[
    ("FATAL ERROR: ", "PuTTY"),
    ("ssh: handshake failed: ", "Go x/crypto/ssh"),
    (
        "ssh: unable to authenticate, attempted methods ",
        "Go x/crypto/ssh",
    ),
    ("dial tcp ", "Go x/crypto/ssh"),
    ("paramiko.ssh_exception.", "paramiko"),
    ("paramiko.", "paramiko"),
    ("com.jcraft.jsch.JSchException: ", "JSch"),
    ("JSchException: ", "JSch"),
    // Python's asyncssh (netmiko, scrapli, hyperglass): its exception class.
    ("KeyExchangeFailed: ", "asyncssh"),
    // paramiko's NoValidConnectionsError, as tools print it.
    ("Unable to connect to port ", "paramiko"),
    // Node.js ssh2 (VS Code SFTP, deploy tools): its debug log's
    // negotiation failure and its errors.
    ("DEBUG: No matching ", "Node.js ssh2"),
    (
        "Error: All configured authentication methods failed",
        "Node.js ssh2",
    ),
    (
        "Error: Timed out while waiting for handshake",
        "Node.js ssh2",
    ),
    // libssh (ansible-pylibssh, multipass, cockpit): its negotiation failure.
    ("kex error : ", "libssh"),
    // Ruby net-ssh (Capistrano, Kamal, SSHKit) names its exception class,
    // often inside a tool's own words (`ERROR (Net::SSH::...): `).
    ("Net::SSH::", "Ruby net-ssh"),
    // cargo's git (libgit2) asks only the ssh agent; older cargo words it
    // `attempted ssh-agent authentication, but none of the usernames ...`,
    // newer ` * attempted ssh-agent authentication, but no usernames ...`.
    ("attempted ssh-agent authentication", "cargo (libgit2)"),
    // SSH.NET (.NET) and Posh-SSH, PowerShell's module built on it.
    ("Renci.SshNet.", "SSH.NET"),
    ("New-SSHSession : ", "Posh-SSH (SSH.NET)"),
    ("New-SFTPSession : ", "Posh-SSH (SSH.NET)"),
    ("Invoke-SSHCommand : ", "Posh-SSH (SSH.NET)"),
    // Vagrant (Ruby net-ssh) while it waits for a machine's sshd.
    ("Warning: Authentication failure. Retrying", "Vagrant"),
    ("Warning: Connection refused. Retrying", "Vagrant"),
    ("Warning: Connection timeout. Retrying", "Vagrant"),
    ("Warning: Connection reset. Retrying", "Vagrant"),
    ("Warning: Remote connection disconnect. Retrying", "Vagrant"),
];

/// The words of OpenSSH's failure messages, as a line retyped by hand
/// still has them (see [`normalize`]); [`retyped`] looks for them.
pub const RETYPED: &[&str] = &[
    "kex_exchange_identification",
    "ssh_exchange_identification",
    "connection refused",
    "connection timed out",
    "operation timed out",
    "no route to host",
    "network is unreachable",
    "could not resolve hostname",
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "broken pipe",
    "connection closed by remote host",
    "host key verification failed",
    "remote host identification has changed",
    "too many authentication failures",
    "permission denied",
    "no matching key exchange method",
    "no matching host key type",
    "no matching cipher",
    "no matching mac",
    "unprotected private key file",
    "corrupted mac",
    "message authentication code incorrect",
    "bad packet length",
    "address already in use",
    // Android's resolver (ConnectBot, Termux apps), glibc's EAI_NODATA.
    "no address associated with hostname",
];

/// Lower case, every run of characters other than letters, digits, `_`
/// and `/` made one space: the form a retyped message and ssh's own line
/// share.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || c == '/' {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_string()
}

/// Whether a line holds a word of some retyped message, in any case: a
/// quick test that spares most lines the normalizing.
fn has_cue(text: &str) -> bool {
    // One word of each phrase of RETYPED that its punctuation cannot split.
    static CUES: super::primitives::Warm = super::primitives::Warm::new(|kind| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(kind)
            .build([
                "exchange_identification",
                "refused",
                "timed",
                "route",
                "unreachable",
                "resolve",
                "servname",
                "resolution",
                "broken",
                "closed",
                "verification",
                "identification",
                "failures",
                "denied",
                "matching",
                "unprotected",
                "corrupted",
                "incorrect",
                "length",
                "already",
                "service",
                "associated",
            ])
            .ok()
    });
    CUES.get().is_some_and(|ac| ac.is_match(text))
}

/// A line that holds one of OpenSSH's failure messages in other
/// punctuation or case than ssh writes it (a message retyped by hand, or
/// quoted inside prose), when nothing parsed it as it stands.
pub fn retyped(text: &str) -> Option<EventKind<'_>> {
    // A sentence about the error, not the error: keep to short lines.
    if text.len() > 200 || !has_cue(text) {
        return None;
    }
    let n = normalize(text);
    let hit = RETYPED.iter().any(|w| {
        let mut from = 0;
        while let Some(i) = super::primitives::find(&n[from..], w).map(|i| i + from) {
            let before = n[..i].chars().next_back();
            let after = n[i + w.len()..].chars().next();
            if before.is_none_or(|c| c == ' ') && after.is_none_or(|c| c == ' ') {
                return true;
            }
            // The phrase starts with an ASCII letter: the next byte starts a character.
            from = i + 1;
        }
        false
    });
    hit.then_some(EventKind::Retyped {
        message: std::borrow::Cow::Owned(n),
    })
}

/// A failure line of another SSH client.
pub fn parse(text: &str) -> Option<EventKind<'_>> {
    let t = text.trim();
    // A bullet before the message (cargo's list of what it tried).
    let t = t.strip_prefix("* ").unwrap_or(t);
    let (sig, client) = CLIENTS.iter().find(|(sig, _)| t.starts_with(sig))?;
    // `dial tcp` is Go's net package: only its connect failures.
    if *sig == "dial tcp "
        && !t.contains(": connect: ")
        && !t.contains("i/o timeout")
        && !t.contains("no such host")
    {
        return None;
    }
    Some(EventKind::ForeignFailure {
        client: b(client),
        message: b(t),
    })
}

/// Words only other SSH libraries use for a failure, found anywhere in a
/// line whose client has no signature (a terminal's or an IDE's own
/// client: Tabby's `Handshake failed: no matching key exchange algorithm`,
/// russh's `No common Kex algorithm`, pysftp's `No hostkey for host H
/// found.`, sshj's `Global request [global req for tcpip-forward] failed`,
/// Node.js's `Error: connect ECONNREFUSED A:P` in ssh2-based tools).
pub(crate) const LIBRARY_PHRASES: &[&str] = &[
    "no matching key exchange",
    "no matching c->s cipher",
    "no matching s->c cipher",
    "no matching c->s mac",
    "no matching s->c mac",
    "remote host key has changed",
    "[winerror 10060]",
    "[winerror 10061]",
    "[winerror 10065]",
    "[winerror 10051]",
    "target machine actively refused it",
    "no authentication methods available",
    "invalid private key",
    "no common kex algorithm",
    "no hostkey for host",
    "global req for tcpip-forward",
    "connect ECONNREFUSED ",
    "connect ETIMEDOUT ",
    "connect EHOSTUNREACH ",
    "getaddrinfo ENOTFOUND ",
];

/// Another client's failure without a signature at the start (Dropbear's
/// client, a library's words anywhere in the line): the last resort for a
/// line nothing else read, so it runs once per such line.
pub fn unsigned(text: &str) -> Option<EventKind<'_>> {
    let t = text.trim();
    dropbear(t).or_else(|| library_phrase(t))
}

fn library_phrase(t: &str) -> Option<EventKind<'_>> {
    static AC: super::primitives::Warm = super::primitives::Warm::new(|kind| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(kind)
            .build(LIBRARY_PHRASES)
            .ok()
    });
    AC.get()?.is_match(t).then_some(EventKind::ForeignFailure {
        client: b("another SSH client"),
        message: b(t),
    })
}

/// Dropbear's client (`dbclient`, routers' `ssh`) ends every failure
/// with `Connection to USER@HOST:PORT exited: REASON`.
fn dropbear(t: &str) -> Option<EventKind<'_>> {
    let (head, _) = t.split_once(" exited: ")?;
    let dest = head
        .rsplit_once(": ")
        .map_or(head, |(_, d)| d)
        .strip_prefix("Connection to ")?;
    (!dest.is_empty() && !dest.contains(' ')).then_some(EventKind::ForeignFailure {
        client: b("Dropbear (dbclient)"),
        message: b(t),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_named() {
        for (line, client) in [
            ("FATAL ERROR: Network error: Connection refused", "PuTTY"),
            ("ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain", "Go x/crypto/ssh"),
            ("dial tcp 10.0.0.5:22: connect: connection refused", "Go x/crypto/ssh"),
            ("paramiko.ssh_exception.AuthenticationException: Authentication failed.", "paramiko"),
            ("com.jcraft.jsch.JSchException: Auth fail", "JSch"),
            ("Warning: Authentication failure. Retrying...", "Vagrant"),
            ("Net::SSH::AuthenticationFailed: Authentication failed for user deploy@10.0.0.5", "Ruby net-ssh"),
            ("kex error : no match for method kex algos: server [diffie-hellman-group1-sha1], client [curve25519-sha256]", "libssh"),
            ("attempted ssh-agent authentication, but none of the usernames `git` succeeded", "cargo (libgit2)"),
            (" * attempted ssh-agent authentication, but no usernames succeeded: `git`", "cargo (libgit2)"),
            ("dbclient: Connection to root@192.168.1.1:22 exited: No auth methods could be used.", "Dropbear (dbclient)"),
            ("Connection to pi@h exited: Connection failed: Connection time out", "Dropbear (dbclient)"),
            (" X  Handshake failed: no matching key exchange algorithm", "another SSH client"),
            ("No hostkey for host ssh.example.org found.", "another SSH client"),
            ("Handshake failed: no matching C->S cipher", "another SSH client"),
            ("TimeoutError: [WinError 10060] A connection attempt failed", "another SSH client"),
            ("Could not establish connection to \"h\": Remote host key has changed, port forwarding is disabled.", "another SSH client"),
            ("New-SSHSession : Connection failed to establish within 10000 milliseconds.", "Posh-SSH (SSH.NET)"),
        ] {
            match parse(line).or_else(|| unsigned(line)) {
                Some(EventKind::ForeignFailure { client: c, .. }) => assert_eq!(c, client),
                other => panic!("{line}: {other:?}"),
            }
        }
        assert!(parse("dial tcp: some other thing").is_none());
    }

    #[test]
    fn retyped_messages_are_found() {
        for line in [
            "kex_exchange_identification read connection reset by peer ",
            "packet_write_wait connection to ... broken pipe",
            "ssh: connect to 127.0.0.1 port 2022: Connection refused",
            "Connection closed by remote host. Is borg working on the server?",
        ] {
            assert!(
                matches!(retyped(line), Some(EventKind::Retyped { .. })),
                "{line}"
            );
        }
        assert!(retyped("hello world").is_none());
        // Every phrase has its cue.
        for phrase in RETYPED {
            assert!(has_cue(phrase), "{phrase}");
        }
        // A word inside another word is not the message.
        assert!(retyped("unbroken pipeline").is_none());
    }
}
