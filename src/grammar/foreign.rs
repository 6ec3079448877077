//! Other SSH clients' failure messages: PuTTY and plink, Go's
//! `golang.org/x/crypto/ssh`, Python's paramiko, Java's JSch. They are named
//! for what they are (the diagnosis says which client printed them), so an
//! IDE, a CI action or a deploy tool built on them still gets an answer.

use super::primitives::b;
use crate::event::EventKind;

/// Each client's signature at the start of its message.
const CLIENTS: &[(&str, &str)] = &[
    ("FATAL ERROR: ", "PuTTY"),
    ("ssh: handshake failed: ", "Go x/crypto/ssh"),
    ("dial tcp ", "Go x/crypto/ssh"),
    ("paramiko.ssh_exception.", "paramiko"),
    ("paramiko.", "paramiko"),
    ("com.jcraft.jsch.JSchException: ", "JSch"),
    ("JSchException: ", "JSch"),
];

/// A failure line of another SSH client.
pub fn parse(text: &str) -> Option<EventKind<'_>> {
    let t = text.trim();
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
        ] {
            match parse(line) {
                Some(EventKind::ForeignFailure { client: c, .. }) => assert_eq!(c, client),
                other => panic!("{line}: {other:?}"),
            }
        }
        assert!(parse("dial tcp: some other thing").is_none());
    }
}
