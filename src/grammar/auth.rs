//! User authentication: identities, the agent, key offers, passwords,
//! passphrases, the server's answers.

use super::primitives::{all, b, error_text, identity, list, port, single_quoted, uint, upto};
use crate::event::EventKind;
use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::Parser;

/// Authentication messages that start with a fixed word.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    let t = msg.trim_end();
    if let Ok((_, (_, host, _, p, _, user))) = (
        tag("Authenticating to "),
        upto(":"),
        tag(":"),
        port,
        tag(" as "),
        single_quoted,
    )
        .parse(t)
    {
        return Some(EventKind::AuthenticatingAs {
            host: b(host),
            port: p,
            user: b(user),
        });
    }
    if t.starts_with("SSH2_MSG_SERVICE_ACCEPT") || t.starts_with("SSH2_MSG_EXT_INFO") {
        return Some(EventKind::ServiceAccept {});
    }
    if let Some(m) = t.strip_prefix("Authentications that can continue: ") {
        return Some(EventKind::AuthsCanContinue { methods: list(m) });
    }
    if let Some(m) = t.strip_prefix("Next authentication method: ") {
        return Some(EventKind::NextAuthMethod { method: b(m) });
    }
    if let Some(id) = t.strip_prefix("Offering public key: ") {
        return Some(EventKind::OfferingKey {
            identity: identity(id),
        });
    }
    if let Some(rest) = t.strip_prefix("Offering ") {
        if let Some((key_type, path)) = rest.split_once(" public key: ") {
            let mut id = identity(path);
            id.key_type = Some(b(key_type));
            return Some(EventKind::OfferingKey { identity: id });
        }
        return None;
    }
    if let Some(rest) = t.strip_prefix("Server accepts key: ") {
        let id = (!rest.starts_with("pkalg ")).then(|| identity(rest));
        return Some(EventKind::ServerAcceptsKey { identity: id });
    }
    if let Some(path) = t.strip_prefix("Trying private key: ") {
        return Some(EventKind::TryingPrivateKey { path: b(path) });
    }
    if let Some(rest) = t.strip_prefix("Skipping ") {
        return skipping(rest);
    }
    if let Some(id) = t.strip_prefix("Will attempt key: ") {
        return Some(EventKind::WillAttemptKey {
            identity: identity(id),
        });
    }
    if t.starts_with("No more authentication methods to try") {
        return Some(EventKind::NoMoreAuthMethods {});
    }
    if t.starts_with("Permission denied, please try again") {
        return Some(EventKind::PasswordRetry {});
    }
    if let Some(rest) = t.strip_prefix("Permission denied (") {
        let methods = rest.split(')').next().unwrap_or("");
        return Some(EventKind::PermissionDenied {
            user: None,
            host: None,
            methods: list(methods),
        });
    }
    if let Some(rest) = t.strip_prefix("Permissions ") {
        return permissions(rest);
    }
    if let Some(rest) = t.strip_prefix("Authenticated ") {
        return authenticated(rest);
    }
    if let Some(rest) = t.strip_prefix("Authentication succeeded (") {
        return Some(EventKind::AuthSucceeded {
            method: b(rest.trim_end_matches(").").trim_end_matches(')')),
        });
    }
    if t.starts_with("identity file ") {
        return super::config::identity_file(t);
    }
    if let Some(rest) = t.strip_prefix("loaded pubkey from ") {
        let path = rest.split(": ").next().unwrap_or(rest);
        return Some(EventKind::LoadedPubkey { path: b(path) });
    }
    if let Some(path) = t
        .strip_prefix("no pubkey loaded from ")
        .or_else(|| t.strip_prefix("no identity pubkey loaded from "))
    {
        return Some(EventKind::NoPubkeyLoaded { path: b(path) });
    }
    // `load pubkey "PATH": ERR` (OpenSSH 8.3's ssh.c, loading the identity's
    // public half) and ssh-add's `Error loading key "PATH": ERR` (a CI job
    // loading its key into the agent) fail the same way for the same reasons.
    if let Ok((_, (head, path, _, reason))) = (
        alt((
            tag("Load key \""),
            tag("load pubkey \""),
            tag("Error loading key \""),
        )),
        upto("\": "),
        tag("\": "),
        all,
    )
        .parse(t)
    {
        return Some(EventKind::LoadKeyFailed {
            path: b(path),
            reason: b(reason),
            public: head.starts_with("load pubkey"),
        });
    }
    if let Ok((_, (_, path))) = (tag("Enter passphrase for key "), all).parse(t) {
        let path = path.trim_end_matches(':').trim_matches('\'');
        return Some(EventKind::PassphrasePrompt { path: b(path) });
    }
    if t.starts_with("Enter passphrase for ") {
        return Some(EventKind::PassphrasePrompt { path: b("") });
    }
    if t.starts_with("bad passphrase given") {
        return Some(EventKind::BadPassphrase {});
    }
    if let Some(rest) = t.strip_prefix("Received disconnect from ") {
        return received_disconnect(rest);
    }
    if let Some(rest) = t.strip_prefix("Disconnected from ") {
        let rest = rest.trim_start_matches("user ");
        let (address, p) = match rest.rsplit_once(" port ") {
            Some((a, p)) => (a.rsplit(' ').next().unwrap_or(a), p.parse().unwrap_or(0)),
            None => (rest, 0),
        };
        return Some(EventKind::Disconnected {
            address: b(address),
            port: p,
        });
    }
    if let Some(rest) = t.strip_prefix("Confirm user presence for key ") {
        let key_type = rest.split(' ').next().unwrap_or(rest);
        return Some(EventKind::ConfirmUserPresence {
            key_type: b(key_type),
        });
    }
    if t.starts_with("Unspecified GSS failure")
        || t.starts_with("No Kerberos credentials available")
        || t.starts_with("Server not found in Kerberos database")
        || t.starts_with("Miscellaneous failure")
        || t.starts_with("No credentials were supplied")
        || t.starts_with("An invalid name was supplied")
    {
        return Some(EventKind::GssapiFailure { text: b(t) });
    }
    if t.starts_with("Could not open a connection to your authentication agent")
        || t.starts_with("Could not get agent socket")
        || t.starts_with("Error connecting to agent")
    {
        return Some(EventKind::AgentUnavailable { error: b(t) });
    }
    // sshd's session child, to the client's terminal after the login.
    if let Some(rest) = t.strip_prefix("Could not chdir to home directory ") {
        let (path, error) = rest.rsplit_once(": ").unwrap_or((rest, ""));
        return Some(EventKind::HomeDirMissing {
            path: b(path),
            error: b(error),
        });
    }
    // PAM's account stage, passed on by sshd after the key or password
    // was right (pam_unix): the account, not the credential, is refused.
    if t.starts_with("Your account has expired; please contact your system administrator")
        || t.starts_with("Your account has been locked")
        // pam_nologin with systemd's /run/nologin, while booting or
        // shutting down (older systemd: `System is booting up. ...`).
        || t.starts_with("Unprivileged users are not permitted to log in")
        || t.starts_with("System is booting up. Unprivileged users")
        || t.starts_with("System is going down. Unprivileged users")
    {
        return Some(EventKind::AccountRefused { text: b(t) });
    }
    if t.starts_with("This private key will be ignored")
        || t.starts_with("It is required that your private key files are NOT accessible")
    {
        return Some(EventKind::UnprotectedKeyText { text: b(t) });
    }
    if let Some(rest) = t.strip_prefix("Bad permissions. Try removing permissions for user: ") {
        return windows_permissions(rest);
    }
    if let Some(rest) = t.strip_prefix("sign_and_send_pubkey: ") {
        return signing(rest);
    }
    None
}

/// `Skipping TYPE key PATH - REASON` / `Skipping key PATH: ERR`.
fn skipping(rest: &str) -> Option<EventKind<'_>> {
    if let Some(r) = rest.strip_prefix("key ") {
        let (path, reason) = r.rsplit_once(": ").unwrap_or((r, ""));
        return Some(EventKind::SkippingKey {
            key_type: b(""),
            path: b(path),
            reason: b(reason),
        });
    }
    let (key_type, r) = rest.split_once(" key ")?;
    let (path, reason) = r
        .rsplit_once(" - ")
        .or_else(|| r.split_once(" for not in "))
        .unwrap_or((r, ""));
    Some(EventKind::SkippingKey {
        key_type: b(key_type),
        path: b(path),
        reason: b(reason),
    })
}

/// `Permissions 0644 for 'PATH' are too open.` (Windows: no mode).
fn permissions(rest: &str) -> Option<EventKind<'_>> {
    let (mode, after) = match rest.split_once(" for ") {
        Some((m, a)) if !m.is_empty() && m.bytes().all(|c| c.is_ascii_digit()) => (Some(b(m)), a),
        _ => (None, rest.strip_prefix("for ")?),
    };
    let path = after.strip_prefix('\'')?.rsplit_once("' are too open")?.0;
    Some(EventKind::KeyPermissionsTooOpen {
        mode,
        path: b(path),
    })
}

/// `Authenticated to H ([A]:P) using "M".`, `Authenticated to H (via proxy).`,
/// `Authenticated using "M" with partial success.`, `Authenticated with partial success.`
fn authenticated(rest: &str) -> Option<EventKind<'_>> {
    if rest.starts_with("with partial success") {
        return Some(EventKind::PartialSuccess { method: None });
    }
    if let Some(r) = rest.strip_prefix("using \"") {
        let method = r.split('"').next().unwrap_or("");
        return Some(EventKind::PartialSuccess {
            method: Some(b(method)),
        });
    }
    let r = rest.strip_prefix("to ")?;
    let (host, tail) = r.split_once(" (")?;
    let method = tail
        .split_once("using \"")
        .map(|(_, m)| b(m.split('"').next().unwrap_or("")));
    if tail.starts_with("via proxy") {
        return Some(EventKind::AuthenticatedTo {
            host: b(host),
            address: None,
            port: None,
            method,
            via_proxy: true,
        });
    }
    let inner = tail.split(')').next().unwrap_or(tail);
    let (address, p) = match inner.rsplit_once("]:") {
        Some((a, p)) => (Some(b(a.trim_start_matches('['))), p.parse().ok()),
        None => (None, None),
    };
    Some(EventKind::AuthenticatedTo {
        host: b(host),
        address,
        port: p,
        method,
        via_proxy: false,
    })
}

/// `A port P:CODE: REASON` (7.2+) / `A: CODE: REASON` (older).
fn received_disconnect(rest: &str) -> Option<EventKind<'_>> {
    if let Ok((_, (address, _, p, _, code, _, reason))) = (
        upto(" port "),
        tag(" port "),
        port,
        tag(":"),
        uint,
        tag(": "),
        all,
    )
        .parse(rest)
    {
        return Some(EventKind::ReceivedDisconnect {
            address: b(address),
            port: p,
            code,
            reason: b(reason),
        });
    }
    let (address, tail) = rest.split_once(": ")?;
    let (code, reason) = match tail.split_once(": ") {
        Some((c, r)) if c.parse::<u32>().is_ok() => (c.parse().unwrap_or(0), r),
        _ => (0, tail),
    };
    let address = address.split(" port ").next().unwrap_or(address);
    Some(EventKind::ReceivedDisconnect {
        address: b(address),
        port: 0,
        code,
        reason: b(reason),
    })
}

/// Windows: `ACCOUNT (SID) on file PATH.`
pub(super) fn windows_permissions(rest: &str) -> Option<EventKind<'_>> {
    let (who, path) = rest.rsplit_once(" on file ")?;
    let (account, sid) = match who.rsplit_once(" (") {
        Some((a, s)) => (a, s.trim_end_matches(')')),
        None => (who, ""),
    };
    Some(EventKind::WindowsBadPermissions {
        account: b(account),
        sid: b(sid),
        path: b(path.trim_end_matches('.')),
    })
}

/// `get_agent_identities: ...`
pub fn agent(msg: &str) -> Option<EventKind<'_>> {
    if let Ok((_, (_, count))) = (tag("agent returned "), uint).parse(msg) {
        return Some(EventKind::AgentKeys { count });
    }
    if let Some(err) = msg
        .strip_prefix("ssh_get_authentication_socket: ")
        .or_else(|| msg.strip_prefix("ssh_fetch_identitylist: "))
        .or_else(|| msg.strip_prefix("ssh_agent_bind_hostkey: communication with agent failed"))
    {
        return Some(EventKind::AgentUnavailable {
            error: error_text(err).0,
        });
    }
    if msg.starts_with("communication with agent failed")
        || msg.starts_with("error fetching identities")
    {
        return Some(EventKind::AgentUnavailable { error: b(msg) });
    }
    None
}

/// `send_pubkey_test: ...` / `sign_and_send_pubkey: ...` / `identity_sign: ...`
pub fn signing(msg: &str) -> Option<EventKind<'_>> {
    if msg.starts_with("no mutual signature") {
        return Some(EventKind::NoMutualSignature {});
    }
    let rest = msg.strip_prefix("signing failed")?;
    if let Some(r) = rest.strip_prefix(": ") {
        return Some(EventKind::SigningFailed {
            key_type: None,
            key: None,
            from_agent: false,
            reason: b(r),
        });
    }
    let r = rest.strip_prefix(" for ")?;
    let (key_type, after) = r.split_once(" \"")?;
    let (key, tail) = after.split_once('"')?;
    let from_agent = tail.starts_with(" from agent");
    let reason = tail.split_once(": ").map(|(_, r)| r).unwrap_or("");
    Some(EventKind::SigningFailed {
        key_type: Some(b(key_type)),
        key: Some(b(key)),
        from_agent,
        reason: b(reason),
    })
}

/// `read_passphrase: can't open /dev/tty: ERR` / `requested to askpass`
pub fn read_passphrase(msg: &str) -> Option<EventKind<'_>> {
    if let Some(err) = msg.strip_prefix("can't open /dev/tty: ") {
        return Some(EventKind::NoTty { error: b(err) });
    }
    if msg.starts_with("can't open /dev/tty") {
        return Some(EventKind::NoTty { error: b("") });
    }
    msg.starts_with("requested to askpass")
        .then_some(EventKind::AskpassRequested {})
}

/// `Remote: TEXT` (server messages relayed during authentication).
pub fn remote(msg: &str) -> Option<EventKind<'_>> {
    let text = msg.strip_prefix("Remote: ")?;
    Some(EventKind::AuthBanner { text: b(text) })
}

/// `userauth_pubkey: ...` details.
pub fn userauth_detail(msg: &str) -> Option<EventKind<'_>> {
    if let Some(k) = parse(msg) {
        return Some(k);
    }
    Some(EventKind::AuthRefusedDetail { text: b(msg) })
}

/// `USER@HOST: Permission denied (M).`, `USER@HOST's password:`, `Password:`.
pub fn by_shape(msg: &str) -> Option<EventKind<'_>> {
    static DENIED: super::primitives::Needle =
        super::primitives::Needle::new(": Permission denied (");
    let t = msg.trim_end();
    if let Some((who, rest)) = DENIED.split(t) {
        let methods = rest.split(')').next().unwrap_or("");
        // `user@host` is one word: what stands before it is a prefix.
        let who = who.rsplit([' ', '\t']).next().unwrap_or(who);
        let (user, host) = match who.rsplit_once('@') {
            Some((u, h)) => (Some(b(u)), Some(b(h))),
            None => (None, Some(b(who))),
        };
        return Some(EventKind::PermissionDenied {
            user,
            host,
            methods: list(methods),
        });
    }
    let ends = |suffix: &str| {
        t.len() >= suffix.len()
            && t.is_char_boundary(t.len() - suffix.len())
            && t[t.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    let starts = |prefix: &str| {
        t.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    if ends("'s password:")
        || t.eq_ignore_ascii_case("password:")
        || ends(") password:")
        || (starts("password for ") && t.ends_with(':'))
        || ends("verification code:")
    {
        return Some(EventKind::PasswordPrompt { prompt: b(t) });
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::event::EventKind;
    use crate::grammar::parse_text;

    fn k(s: &str) -> EventKind<'_> {
        parse_text(s).1
    }

    #[test]
    fn offers_and_answers() {
        match k("debug1: Offering public key: /home/u/.ssh/id_ed25519 ED25519 SHA256:abc explicit")
        {
            EventKind::OfferingKey { identity } => {
                assert_eq!(identity.path, "/home/u/.ssh/id_ed25519");
                assert!(identity.explicit);
            }
            other => panic!("{other:?}"),
        }
        match k("debug1: Offering RSA public key: /home/u/.ssh/id_rsa") {
            EventKind::OfferingKey { identity } => {
                assert_eq!(identity.key_type.as_deref(), Some("RSA"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            k("debug1: Server accepts key: /home/u/.ssh/id_ed25519 ED25519 SHA256:abc"),
            EventKind::ServerAcceptsKey { identity: Some(_) }
        ));
        assert!(matches!(
            k("debug1: Server accepts key: pkalg rsa-sha2-512 blen 279"),
            EventKind::ServerAcceptsKey { identity: None }
        ));
        assert!(matches!(
            k("debug1: Authentications that can continue: publickey,password"),
            EventKind::AuthsCanContinue { .. }
        ));
        assert!(matches!(
            k("debug1: Next authentication method: publickey"),
            EventKind::NextAuthMethod { .. }
        ));
        assert!(matches!(
            k("debug1: Trying private key: /home/u/.ssh/id_rsa"),
            EventKind::TryingPrivateKey { .. }
        ));
        assert!(matches!(
            k("debug1: Skipping ssh-rsa key /home/u/.ssh/id_rsa - corresponding algorithm not supported by server"),
            EventKind::SkippingKey { .. }
        ));
        assert!(matches!(
            k("debug1: Will attempt key: /home/u/.ssh/id_rsa "),
            EventKind::WillAttemptKey { .. }
        ));
        assert!(matches!(
            k("debug1: Authenticating to 127.0.0.1:2202 as 'bob'"),
            EventKind::AuthenticatingAs { port: 2202, .. }
        ));
    }

    #[test]
    fn denials_and_success() {
        match k("bob@127.0.0.1: Permission denied (publickey).") {
            EventKind::PermissionDenied {
                user,
                host,
                methods,
            } => {
                assert_eq!(user.as_deref(), Some("bob"));
                assert_eq!(host.as_deref(), Some("127.0.0.1"));
                assert!(methods.contains("publickey"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            k("Permission denied (publickey,password)."),
            EventKind::PermissionDenied { user: None, .. }
        ));
        assert_eq!(
            k("Permission denied, please try again."),
            EventKind::PasswordRetry {}
        );
        match k("Authenticated to 127.0.0.1 ([127.0.0.1]:2201) using \"publickey\".") {
            EventKind::AuthenticatedTo { port, method, .. } => {
                assert_eq!(port, Some(2201));
                assert_eq!(method.as_deref(), Some("publickey"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            k("Authenticated to 127.0.0.1 (via proxy) using \"publickey\"."),
            EventKind::AuthenticatedTo {
                via_proxy: true,
                ..
            }
        ));
        assert!(matches!(
            k("Authenticated to h ([1.2.3.4]:22)."),
            EventKind::AuthenticatedTo { method: None, .. }
        ));
        assert!(matches!(
            k("Authenticated using \"publickey\" with partial success."),
            EventKind::PartialSuccess { method: Some(_) }
        ));
        assert!(matches!(
            k("debug1: Authentication succeeded (publickey)."),
            EventKind::AuthSucceeded { .. }
        ));
        assert!(matches!(
            k("bob@127.0.0.1's password: "),
            EventKind::PasswordPrompt { .. }
        ));
    }

    #[test]
    fn key_problems() {
        assert!(matches!(
            k("@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @"),
            EventKind::UnprotectedKeyBanner {}
        ));
        assert!(matches!(
            k("Permissions 0644 for '/home/u/.ssh/id_ed25519' are too open."),
            EventKind::KeyPermissionsTooOpen { mode: Some(_), .. }
        ));
        assert!(matches!(
            k("Permissions for 'C:\\\\Users\\\\me/.ssh/id_rsa' are too open."),
            EventKind::KeyPermissionsTooOpen { mode: None, .. }
        ));
        match k("Bad permissions. Try removing permissions for user: NT AUTHORITY\\\\Authenticated Users (S-1-5-11) on file C:/Users/me/.ssh/id_ed25519.") {
            EventKind::WindowsBadPermissions { account, sid, path } => {
                assert_eq!(account, "NT AUTHORITY\\\\Authenticated Users");
                assert_eq!(sid, "S-1-5-11");
                assert_eq!(path, "C:/Users/me/.ssh/id_ed25519");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            k("Load key \"/home/u/.ssh/id_ed25519\": invalid format"),
            EventKind::LoadKeyFailed { public: false, .. }
        ));
        assert!(matches!(
            k("load pubkey \"/github/home/.ssh/deploy_key\": invalid format"),
            EventKind::LoadKeyFailed { public: true, .. }
        ));
        assert!(matches!(
            k("Error loading key \"(stdin)\": invalid format"),
            EventKind::LoadKeyFailed { .. }
        ));
        assert!(matches!(
            k("Unprivileged users are not permitted to log in yet. Please come back later. For technical details, see pam_nologin(8)."),
            EventKind::AccountRefused { .. }
        ));
        assert!(matches!(
            k("Could not chdir to home directory /home/u: No such file or directory"),
            EventKind::HomeDirMissing { path, .. } if path == "/home/u"
        ));
        assert!(matches!(
            k("Enter passphrase for key '/home/u/.ssh/id_ed25519': "),
            EventKind::PassphrasePrompt { .. }
        ));
        assert!(matches!(
            k("read_passphrase: can't open /dev/tty: No such device or address"),
            EventKind::NoTty { .. }
        ));
        assert_eq!(
            k("debug1: send_pubkey_test: no mutual signature algorithm"),
            EventKind::NoMutualSignature {}
        );
        assert!(matches!(
            k("sign_and_send_pubkey: signing failed for ED25519 \"/home/u/.ssh/id_ed25519\" from agent: agent refused operation"),
            EventKind::SigningFailed { from_agent: true, .. }
        ));
        assert!(matches!(
            k("Received disconnect from 127.0.0.1 port 2203:2: Too many authentication failures"),
            EventKind::ReceivedDisconnect { code: 2, .. }
        ));
        assert!(matches!(
            k("Received disconnect from 10.0.0.1: 2: Too many authentication failures for root"),
            EventKind::ReceivedDisconnect { code: 2, .. }
        ));
        assert!(matches!(
            k("debug1: get_agent_identities: ssh_get_authentication_socket: No such file or directory"),
            EventKind::AgentUnavailable { .. }
        ));
        assert!(matches!(
            k("debug1: get_agent_identities: agent returned 8 keys"),
            EventKind::AgentKeys { count: 8 }
        ));
        assert!(matches!(
            k("Could not open a connection to your authentication agent."),
            EventKind::AgentUnavailable { .. }
        ));
    }
}
