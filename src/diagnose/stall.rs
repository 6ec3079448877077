//! Where a connection is stuck when its output stops: the interim finding
//! shown while `ssh -v ... | sshexplain` waits for the next line.

use crate::event::EventKind as K;
use crate::trace::{Phase, Trace};

/// A short explanation of what a pause at this point usually means, with
/// the thing to try.
pub fn stall_hint(trace: &Trace, waited_ms: u64) -> String {
    let secs = waited_ms / 1000;
    let what = stopped_at(trace).unwrap_or(match trace.phase {
        Some(Phase::Session) => "the session is open; no output is normal while a command runs.",
        _ => "no new output.",
    });
    format!("no output for {secs} s: {what}")
}

/// What it usually means when the output stops after the trace's last
/// significant line, if that position says anything.
pub fn stopped_at(trace: &Trace) -> Option<&'static str> {
    let last = trace.last_significant();
    Some(match last.map(|n| n.kind()) {
        Some(K::KexMessage { expecting: true, .. }) | Some(K::KexMessage { sent: true, .. }) => {
            "stuck in the key exchange, waiting for the server's reply: large packets are probably dropped on the way (path MTU, VPN). Try `-o KexAlgorithms=curve25519-sha256`, or lower the interface MTU."
        }
        Some(K::Connecting { .. }) | Some(K::ConnectAddressFailed { .. }) => {
            "stuck connecting: no answer to the TCP connection, so a firewall is probably dropping packets, or the address is wrong. Add `-o ConnectTimeout=10` to fail fast."
        }
        Some(K::NextAuthMethod { method }) if method.starts_with("gssapi") => {
            "stuck in GSSAPI (Kerberos) authentication: without a reachable KDC this waits for timeouts. Use `-o GSSAPIAuthentication=no`."
        }
        Some(K::NextAuthMethod { method }) if method == "password" || method == "keyboard-interactive" => {
            "ssh is waiting for you to answer a prompt (password or code) on the terminal."
        }
        Some(K::ServiceAccept {}) | Some(K::AuthenticatingAs { .. }) | Some(K::KexMessage { .. }) => {
            "stuck after the first authentication request: the server is slow to answer, usually its reverse DNS lookup of your address (`UseDNS yes`) or a slow PAM module."
        }
        Some(K::HostAuthenticityUnknown { .. }) | Some(K::KeyFingerprintIs { .. }) | Some(K::ServerHostKey { .. }) => {
            "ssh is asking whether to trust the server's host key (answer on the terminal)."
        }
        Some(K::ServerAcceptsKey { .. }) => "ssh is waiting for the key's passphrase (or a security key touch).",
        Some(K::AskpassRequested {}) | Some(K::PasswordPrompt { .. }) | Some(K::PassphrasePrompt { .. }) => {
            "ssh asked for a password, passphrase or code and is waiting for the answer (from you, or from its askpass program)."
        }
        Some(K::Connected {}) | Some(K::LocalVersion { .. }) => {
            "connected, but the server has not sent its SSH banner: an overloaded sshd, a middlebox holding the connection, or a service that is not SSH."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::stall_hint;

    #[test]
    fn hints_by_position() {
        let t = crate::trace(
            "debug1: SSH2_MSG_KEXINIT sent\ndebug1: expecting SSH2_MSG_KEX_ECDH_REPLY\n",
        );
        assert!(stall_hint(&t, 10_000).contains("MTU"));
        let t = crate::trace("debug1: Connecting to h [10.0.0.1] port 22.\n");
        assert!(stall_hint(&t, 10_000).contains("firewall"));
        let t = crate::trace("debug1: Next authentication method: gssapi-with-mic\n");
        assert!(stall_hint(&t, 12_000).contains("GSSAPIAuthentication=no"));
        let t = crate::trace("debug1: SSH2_MSG_SERVICE_ACCEPT received\n");
        assert!(stall_hint(&t, 12_000).contains("UseDNS"));
    }
}
