//! The server's side: one line of sshd's log (or Dropbear's, or a ban
//! tool's) in, one `Sshd*` event out.
//!
//! Lines reach this parser only when [`crate::sides`] has decided that the
//! server wrote them, so a message both sides print alike (`Unable to
//! negotiate with ...`, `Connection closed by ...`) is read as the server's
//! here and as the client's in the client grammar, never both. The line is
//! read as sshd's `log.c` writes it, after the syslog or journal prefix the
//! input stage removed: `[error: |fatal: |debugN: ][function: ]message[
//! [preauth]]`.

use super::primitives::{b, find};
use crate::event::{EventKind as K, Level, Text};

/// Parses the message of one server line. `program` is the syslog or
/// journal tag's program name when the line had one (`sshd`, `dropbear`,
/// `fail2ban.actions`, `systemd`).
pub fn parse<'a>(text: &'a str, program: Option<&'a str>) -> (Level, K<'a>) {
    let (level, body) = level(text);
    let (body, preauth) = strip_preauth(body);
    let mut kind = match program {
        Some(p) if p.starts_with("dropbear") => dropbear(body),
        Some(p) if p.starts_with("sshguard") || p.starts_with("fail2ban") => ban(body),
        Some("systemd") => systemd(body),
        _ => None,
    }
    .or_else(|| sshd(body))
    .or_else(|| ban(body))
    .unwrap_or_else(|| K::SshdOther {
        program: program.map(b),
        text: b(body),
    });
    if let K::SshdClosed { preauth: p, .. } = &mut kind {
        *p |= preauth;
    }
    (level, kind)
}

/// Whether an unprefixed line can only have come from a server's log: it
/// holds a message no client prints. `sides` uses it to tell an `sshd -E`
/// or `sshd -d` log from client output.
pub fn is_server_only(text: &str) -> bool {
    let (lvl, body) = level(text);
    // sshd's log writes a level word before its errors (`error: `,
    // `fatal: `: the prefixes `level` strips at Plain); ssh's stderr never
    // does (a wrapper's own `error: `/`fatal: ` lines hold other messages).
    let leveled = lvl == Level::Plain && body.len() < text.trim_start().len();
    if body.ends_with("[preauth]") {
        return true;
    }
    if server_only_opening(body) {
        return true;
    }
    match sshd(body) {
        // Both sides print these alike; behind a level word, sshd wrote them.
        Some(
            K::SshdClosed { user: None, .. }
            | K::SshdNegotiate { .. }
            | K::SshdBadBanner { .. }
            | K::SshdForwardRefused { .. },
        ) => leveled,
        // `bind [A]:P: Address already in use` before a refused forward.
        None => leveled && body.starts_with("bind"),
        // sshd's session child writes this to the client's terminal.
        Some(K::SshdSessionFailed { text }) if text.starts_with("Could not chdir") => false,
        Some(_) => true,
    }
}

/// Where a server-only message starts inside a line behind a prefix of
/// unknown shape (Windows' `PID DATE TIME `, a container tag), if one does.
pub fn find_server_only(text: &str) -> Option<usize> {
    static AUTOMATON: super::primitives::Warm = super::primitives::Warm::new(|kind| {
        aho_corasick::AhoCorasick::builder()
            .kind(kind)
            .build(SERVER_ONLY.iter().chain(ANYWHERE))
            .ok()
    });
    let ac = AUTOMATON.get()?;
    ac.find_iter(text).find_map(|m| {
        let mut start = m.start();
        // Back up over a level prefix right before the message.
        for p in ["debug1: ", "debug2: ", "debug3: ", "error: ", "fatal: "] {
            if text[..start].ends_with(p) {
                start -= p.len();
            }
        }
        is_server_only(&text[start..]).then_some(start)
    })
}

/// Whether `body` opens with one of [`SERVER_ONLY`]: only the openings
/// that share its first byte are compared.
fn server_only_opening(body: &str) -> bool {
    static BY_BYTE: std::sync::OnceLock<Vec<Vec<&'static str>>> = std::sync::OnceLock::new();
    let table = BY_BYTE.get_or_init(|| {
        let mut t = vec![Vec::new(); 256];
        for p in SERVER_ONLY {
            t[usize::from(p.as_bytes()[0])].push(*p);
        }
        t
    });
    body.as_bytes()
        .first()
        .is_some_and(|&c| table[usize::from(c)].iter().any(|p| body.starts_with(p)))
}

/// More openings worth finding behind an unknown prefix.
const ANYWHERE: &[&str] = &["Connection closed by ", "Disconnected from ", "User "];

/// Opening words of messages only sshd writes.
const SERVER_ONLY: &[&str] = &[
    "sshd version OpenSSH_",
    "Server listening on ",
    "Server will not fork",
    "Received signal 15; terminating.",
    "Accepted publickey for ",
    "Accepted password for ",
    "Accepted keyboard-interactive",
    "Failed publickey for ",
    "Failed password for ",
    "Failed none for ",
    "Failed keyboard-interactive",
    "Invalid user ",
    "Authentication refused: ",
    "Could not open user '",
    "ROOT LOGIN REFUSED",
    "drop connection #",
    "beginning MaxStartups throttling",
    "exited MaxStartups throttling",
    "pam_unix(sshd:",
    "Starting session: ",
    "no hostkeys available",
    "sshd: no hostkeys available",
    "Missing privilege separation directory",
    "Cannot bind any address.",
    "User child is on pid ",
    "Access denied for user ",
    "pam_unix(sshd:account)",
    "Connection from ",
    "Timeout before authentication",
    "trying public key file ",
    "Could not open authorized keys '",
    "mm_answer_keyallowed: ",
    "userauth-request for user ",
    "userauth_pubkey: test whether ",
    "bad ownership or modes for chroot directory",
];

/// Peels `error: `, `fatal: `, `debugN: ` off (sshd writes them to its log
/// file and syslog).
fn level(text: &str) -> (Level, &str) {
    let t = text.trim_start();
    for (p, l) in [
        ("debug1: ", Level::Debug1),
        ("debug2: ", Level::Debug2),
        ("debug3: ", Level::Debug3),
        ("error: ", Level::Plain),
        ("fatal: ", Level::Plain),
    ] {
        if let Some(rest) = t.strip_prefix(p) {
            return (l, rest);
        }
    }
    (Level::Plain, t)
}

/// Removes the ` [preauth]` the monitor appends to its child's lines.
fn strip_preauth(body: &str) -> (&str, bool) {
    match body.trim_end().strip_suffix("[preauth]") {
        Some(rest) => (rest.trim_end(), true),
        None => (body.trim_end(), false),
    }
}

/// `function: message` (a C identifier before `: `).
fn split_function(body: &str) -> (Option<&str>, &str) {
    let n = body
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    match body.as_bytes().get(n..n + 2) {
        Some(b": ") if n > 0 => (Some(&body[..n]), &body[n + 2..]),
        _ => (None, body),
    }
}

/// `A port P` at the start of `s`: the address, the port, the rest.
fn addr_port(s: &str) -> Option<(&str, u16, &str)> {
    let (addr, rest) = s.split_once(" port ")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let port = rest.get(..digits)?.parse().ok()?;
    (!addr.is_empty() && !addr.contains(' ')).then(|| (addr, port, &rest[digits..]))
}

/// `[A]:P` (MaxStartups lines).
fn bracketed(s: &str) -> Option<(&str, u16, &str)> {
    let inner = s.strip_prefix('[')?;
    let (addr, rest) = inner.split_once("]:")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    Some((addr, rest.get(..digits)?.parse().ok()?, &rest[digits..]))
}

/// `A:P` (Dropbear writes addresses so).
fn colon_port(s: &str) -> Option<(&str, u16)> {
    let s = s.trim_matches(['<', '>']);
    let (addr, port) = s.rsplit_once(':')?;
    Some((addr, port.parse().ok()?))
}

/// The messages of OpenSSH's sshd.
fn sshd(body: &str) -> Option<K<'_>> {
    let (func, msg) = split_function(body);
    if let Some(k) = func.and_then(|f| by_function(f, msg)) {
        return Some(k);
    }
    let word = &body[..memchr::memchr(b' ', body.as_bytes()).unwrap_or(body.len())];
    match word {
        "Server" => {
            let rest = body.strip_prefix("Server listening on ")?;
            let (addr, port, _) = addr_port(rest)?;
            Some(K::SshdListening {
                addr: b(addr),
                port,
            })
        }
        "Connection" => connection(body),
        "Invalid" => {
            let rest = body.strip_prefix("Invalid user ")?;
            let i = rest.rfind(" from ")?;
            let (user, from) = (&rest[..i], &rest[i + 6..]);
            let (addr, port) = match addr_port(from) {
                Some((a, p, _)) => (a, Some(p)),
                None => (from.split(' ').next().unwrap_or(from), None),
            };
            Some(K::SshdInvalidUser {
                user: b(user),
                addr: b(addr),
                port,
            })
        }
        "Accepted" | "Failed" | "Partial" | "Postponed" => auth_result(word, body),
        "Disconnected" => {
            let rest = body.strip_prefix("Disconnected from ")?;
            closed("disconnected", rest, None)
        }
        "Received" => {
            let rest = body.strip_prefix("Received disconnect from ")?;
            let (addr, port, rest) = addr_port(rest)?;
            let reason = rest.trim_start_matches(':');
            let reason = reason.split_once(": ").map_or(reason, |(_, r)| r);
            Some(K::SshdClosed {
                how: b("received disconnect"),
                user: None,
                addr: b(addr),
                port,
                preauth: false,
                reason: Some(b(reason.trim())),
            })
        }
        "maximum" => {
            let rest = body.strip_prefix("maximum authentication attempts exceeded for ")?;
            let rest = rest.strip_prefix("invalid user ").unwrap_or(rest);
            let i = rest.rfind(" from ")?;
            let (addr, port, _) = addr_port(&rest[i + 6..])?;
            Some(K::SshdMaxAuthTries {
                user: b(&rest[..i]),
                addr: b(addr),
                port,
            })
        }
        // Win32-OpenSSH's StrictModes: `Bad permissions. Try removing
        // permissions for user: U on file F.` about an authorized_keys file
        // (ssh itself checks only private keys and its config).
        "Bad" if body.starts_with("Bad permissions. ") => {
            let rest = body.strip_prefix("Bad permissions. Try removing permissions for user: ")?;
            let k = super::auth::windows_permissions(rest.trim_end())?;
            let K::WindowsBadPermissions { path, .. } = &k else {
                return None;
            };
            let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
            matches!(file, "authorized_keys" | "administrators_authorized_keys").then_some(k)
        }
        "Authentication" => {
            let rest = body.strip_prefix("Authentication refused")?;
            // `Authentication refused: bad ownership or modes for directory D`
            // `Authentication refused for U: bad owner or modes for F`
            let (_, what) = rest.split_once(": ")?;
            let i = find(what, " for ")?;
            if !what.starts_with("bad own") {
                return None;
            }
            let target = &what[i + 5..];
            let (kind, path) = target
                .split_once(' ')
                .filter(|(k, _)| matches!(*k, "directory" | "file"))
                .unwrap_or(("path", target));
            Some(K::SshdStrictModes {
                path: b(path),
                what: b(kind),
            })
        }
        "Could" if body.starts_with("Could not chdir to home directory") => {
            Some(K::SshdSessionFailed { text: b(body) })
        }
        "Could" => {
            // `Could not open user 'U' authorized keys 'F': ERR`;
            // before 8.x: `Could not open authorized keys 'F': ERR`.
            let rest = body.strip_prefix("Could not open ")?;
            let (user, rest) = match rest.strip_prefix("user '") {
                Some(r) => {
                    let (u, r) = r.split_once("' ")?;
                    (Some(u), r)
                }
                None => (None, rest),
            };
            let rest = rest.strip_prefix("authorized ")?;
            let (_, quoted) = rest.split_once(" '")?;
            let (path, error) = quoted.rsplit_once("': ")?;
            Some(K::SshdKeysUnreadable {
                user: user.map(b),
                path: b(path),
                error: b(error),
            })
        }
        "User" => match body.strip_prefix("User child is on pid ") {
            Some(pid) => Some(K::SshdChild {
                pid: pid.trim().parse().ok()?,
            }),
            None => user_line(body),
        },
        "Account" => {
            let rest = body.strip_prefix("Account ")?;
            let user = rest.strip_suffix(" has expired")?;
            Some(K::SshdAccountUnusable {
                user: b(user),
                why: b("account has expired"),
            })
        }
        "ROOT" => {
            let rest = body.strip_prefix("ROOT LOGIN REFUSED")?;
            let addr = rest
                .trim_start()
                .strip_prefix("FROM ")
                .map(|r| r.split(' ').next().unwrap_or(r));
            Some(K::SshdRootRefused { addr: addr.map(b) })
        }
        "drop" => {
            let rest = body.strip_prefix("drop connection #")?;
            let (_, rest) = rest.split_once(" from ")?;
            let (addr, port, rest) = bracketed(rest)?;
            let reason = rest
                .trim_start()
                .strip_prefix("on ")
                .and_then(bracketed)
                .map_or(rest, |(_, _, r)| r)
                .trim();
            Some(K::SshdDropped {
                addr: Some(b(addr)),
                port: Some(port),
                reason: b(reason),
            })
        }
        "beginning" if body.starts_with("beginning MaxStartups throttling") => {
            Some(K::SshdDropped {
                addr: None,
                port: None,
                reason: b("MaxStartups throttling"),
            })
        }
        "Unable" => {
            let rest = body.strip_prefix("Unable to negotiate with ")?;
            // The address or port may have been replaced by the poster
            // ("client ip", `xxx.xxx.xxx.xxx port xxxxx :`): port 0 is unknown.
            let (peer, rest) = rest.split_once(": no matching ")?;
            let peer = peer.trim_end();
            let (addr, port) = match peer.rsplit_once(" port ") {
                Some((a, p)) => (a, p.parse().unwrap_or(0)),
                None => (peer, 0),
            };
            let (what, offer) = rest.split_once(" found.")?;
            let offer = offer.trim().strip_prefix("Their offer: ").unwrap_or("");
            Some(K::SshdNegotiate {
                addr: b(addr),
                port,
                what: b(what),
                offer: b(offer),
            })
        }
        "Bad" if body.starts_with("Bad protocol version identification") => {
            Some(K::SshdBadBanner { text: b(body) })
        }
        "Bind" if find(body, " failed: ").is_some() => Some(K::SshdStartFailed { text: b(body) }),
        "Cannot" if body.starts_with("Cannot bind any address") => {
            Some(K::SshdStartFailed { text: b(body) })
        }
        "Missing" if body.starts_with("Missing privilege separation directory") => {
            Some(K::SshdStartFailed { text: b(body) })
        }
        "no" if body.starts_with("no hostkeys available") => {
            Some(K::SshdStartFailed { text: b(body) })
        }
        // The login succeeded; sshd then could not set the session up.
        "bad" if body.starts_with("bad ownership or modes for chroot directory") => {
            Some(K::SshdSessionFailed { text: b(body) })
        }
        "subsystem" if body.contains("failed, subsystem not found") => {
            Some(K::SshdSessionFailed { text: b(body) })
        }
        "Starting" if body.starts_with("Starting session: ") => {
            Some(K::SshdSession { text: b(body) })
        }
        // PAM's account stage (`UsePAM yes`) after the key or password was
        // right: `pam_unix(sshd:account): account U has expired (account
        // expired)`, then sshd's `Access denied for user U by PAM account
        // configuration`.
        _ if word.starts_with("pam_") && word.ends_with("(sshd:account):") => {
            let rest = &body[word.len()..].trim_start();
            let user = rest
                .strip_prefix("account ")
                .or_else(|| rest.strip_prefix("expired password for user "))
                .map(|r| r.split(' ').next().unwrap_or(r))?;
            let why = rest
                .rsplit_once('(')
                .map_or(*rest, |(_, w)| w.trim_end_matches(')'));
            Some(K::SshdAccountUnusable {
                user: b(user),
                why: b(why),
            })
        }
        "Access" => {
            let rest = body.strip_prefix("Access denied for user ")?;
            let (user, why) = rest.split_once(" by ")?;
            Some(K::SshdAccountUnusable {
                user: b(user),
                why: b(why.trim_end_matches('.')),
            })
        }
        "refused" => {
            let rest = body.strip_prefix("refused connect from ")?;
            let addr = rest.split([' ', '(']).next().unwrap_or(rest);
            Some(K::SshdBanned {
                addr: b(addr),
                by: b("TCP wrappers"),
            })
        }
        _ => config_error(body),
    }
}

/// Lines routed by sshd's function prefix.
fn by_function<'a>(func: &str, msg: &'a str) -> Option<K<'a>> {
    match func {
        "sshd" if msg.starts_with("no hostkeys available") => {
            Some(K::SshdStartFailed { text: b(msg) })
        }
        "userauth_pubkey" => {
            // A user certificate whose CA signed it with an algorithm
            // CASignatureAlgorithms leaves out (ssh-rsa since 8.2):
            // `certificate signature algorithm ssh-rsa: signature algorithm not supported`.
            if let Some(rest) = msg.strip_prefix("certificate signature algorithm ") {
                let (alg, _) = rest.split_once(": ")?;
                return Some(K::SshdKeyTypeRefused {
                    algorithm: b(alg),
                    option: b("CASignatureAlgorithms"),
                });
            }
            // `key type T not in PubkeyAcceptedAlgorithms` (8.5+; `...KeyTypes`
            // before), `signature algorithm T not in ...` (9.x).
            let rest = msg
                .strip_prefix("key type ")
                .or_else(|| msg.strip_prefix("signature algorithm "))?;
            let (alg, option) = rest.split_once(" not in ")?;
            Some(K::SshdKeyTypeRefused {
                algorithm: b(alg),
                option: b(option.trim()),
            })
        }
        "input_userauth_request" => {
            let user = msg.strip_prefix("invalid user ")?;
            Some(K::SshdInvalidUser {
                user: b(user),
                addr: b(""),
                port: None,
            })
        }
        "channel_setup_fwd_listener" | "channel_setup_fwd_listener_tcpip" => {
            let port = msg.strip_prefix("cannot listen to port: ")?;
            Some(K::SshdForwardRefused {
                port: port.trim().parse().ok()?,
            })
        }
        "banner exchange" | "kex_exchange_identification" => {
            Some(K::SshdBadBanner { text: b(msg) })
        }
        _ => None,
    }
}

/// `Connection from ...`, `Connection closed by ...`, `Connection reset by ...`.
fn connection(body: &str) -> Option<K<'_>> {
    if let Some(rest) = body.strip_prefix("Connection from ") {
        let (addr, port, rest) = addr_port(rest)?;
        let local = rest.trim_start().strip_prefix("on ").and_then(addr_port);
        return Some(K::SshdConnection {
            addr: b(addr),
            port,
            local_addr: local.map(|(a, _, _)| b(a)),
            local_port: local.map(|(_, p, _)| p),
        });
    }
    if let Some(rest) = body.strip_prefix("Connection closed by ") {
        return closed("closed", rest, None);
    }
    if let Some(rest) = body.strip_prefix("Connection reset by ") {
        return closed("reset", rest, None);
    }
    None
}

/// `[authenticating |invalid ]user U A port P` or `A port P` after the
/// verb of a close.
fn closed<'a>(how: &'a str, rest: &'a str, reason: Option<Text<'a>>) -> Option<K<'a>> {
    let rest = rest
        .strip_prefix("authenticating ")
        .or_else(|| rest.strip_prefix("invalid "))
        .unwrap_or(rest);
    let (user, rest) = match rest.strip_prefix("user ") {
        // The user name may hold spaces: the address is the word before ` port `.
        Some(r) => {
            let p = find(r, " port ")?;
            let a = r[..p].rfind(' ')?;
            (Some(&r[..a]), &r[a + 1..])
        }
        None => (None, rest),
    };
    let (addr, port, tail) = addr_port(rest)?;
    Some(K::SshdClosed {
        how: b(how),
        user: user.map(b),
        addr: b(addr),
        port,
        preauth: tail.contains("[preauth]"),
        reason,
    })
}

/// `Accepted publickey for U from A port P ssh2: ED25519 SHA256:...`
fn auth_result<'a>(word: &'a str, body: &'a str) -> Option<K<'a>> {
    let rest = body[word.len()..].strip_prefix(' ')?;
    let (method, rest) = rest.split_once(" for ")?;
    let (invalid, rest) = match rest.strip_prefix("invalid user ") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let i = rest.rfind(" from ")?;
    let (addr, port, tail) = addr_port(&rest[i + 6..])?;
    let key = tail
        .trim_start()
        .strip_prefix("ssh2")
        .and_then(|t| t.strip_prefix(": "))
        .map(str::trim);
    Some(K::SshdAuth {
        result: b(word),
        method: b(method),
        invalid,
        user: b(&rest[..i]),
        addr: b(addr),
        port,
        key: key.map(b),
    })
}

/// `User U from A not allowed because ...`, `User U not allowed because ...`.
fn user_line(body: &str) -> Option<K<'_>> {
    let rest = body.strip_prefix("User ")?;
    let i = find(rest, " not allowed because ")?;
    let (who, why) = (&rest[..i], &rest[i + 21..]);
    let (user, addr) = match who.rsplit_once(" from ") {
        Some((u, a)) => (u, Some(a)),
        None => (who, None),
    };
    let rule = why.trim_end_matches('.');
    if rule.contains("listed in") || rule.contains("any group") {
        return Some(K::SshdNotAllowed {
            user: b(user),
            addr: addr.map(b),
            rule: b(rule),
        });
    }
    Some(K::SshdAccountUnusable {
        user: b(user),
        why: b(rule),
    })
}

/// `/etc/ssh/sshd_config line 12: Bad configuration option: X` and sshd's
/// other refusals to start from its configuration.
fn config_error(body: &str) -> Option<K<'_>> {
    let bad = [
        // `Bad configuration option: `, `Bad yes/no argument`, `Bad number`...
        ": Bad ",
        ": unsupported ",
        ": Unsupported option ",
        ": terminating, ",
        ": Deprecated option ",
        ": missing argument.",
    ];
    static SSHD_CONFIG: super::primitives::Needle = super::primitives::Needle::new("sshd_config");
    (SSHD_CONFIG.find(body).is_some() && bad.iter().any(|p| find(body, p).is_some()))
        .then(|| K::SshdStartFailed { text: b(body) })
}

/// Dropbear's syslog and stderr messages (the input stage has taken its
/// stderr prefix, `[PID] Mon DD hh:mm:ss `, off as the line's tag).
fn dropbear(body: &str) -> Option<K<'_>> {
    if let Some(rest) = body.strip_prefix("Child connection from ") {
        let (addr, port) = colon_port(rest.trim())?;
        return Some(K::SshdConnection {
            addr: b(addr),
            port,
            local_addr: None,
            local_port: None,
        });
    }
    if let Some(rest) = body.strip_prefix("Login attempt for nonexistent user") {
        let from = rest.rsplit_once(" from ").map_or("", |(_, a)| a);
        let (addr, port) = colon_port(from.trim()).unzip();
        let user = rest
            .trim_start()
            .strip_prefix('\'')
            .and_then(|r| r.split_once('\''))
            .map_or("", |(u, _)| u);
        return Some(K::SshdInvalidUser {
            user: b(user),
            addr: b(addr.unwrap_or("")),
            port,
        });
    }
    for (opening, result, method) in [
        ("Bad password attempt for '", "Failed", "password"),
        ("Password auth succeeded for '", "Accepted", "password"),
        ("Pubkey auth succeeded for '", "Accepted", "publickey"),
    ] {
        if let Some(rest) = body.strip_prefix(opening) {
            let (user, rest) = rest.split_once('\'')?;
            let from = rest.rsplit_once(" from ").map_or("", |(_, a)| a);
            let (addr, port) = colon_port(from.trim())?;
            return Some(K::SshdAuth {
                result: b(result),
                method: b(method),
                invalid: false,
                user: b(user),
                addr: b(addr),
                port,
                key: None,
            });
        }
    }
    // `F must be owned by user or root, and not writable by [group or ]others`
    if let Some(i) = find(body, " must be owned by user or root") {
        return Some(K::SshdStrictModes {
            path: b(&body[..i]),
            what: b("path"),
        });
    }
    // An algorithm this Dropbear does not know (old builds and rsa-sha2 or
    // ed25519 signatures).
    if body.starts_with("Pubkey auth attempt with unknown algo") {
        return Some(K::SshdKeyTypeRefused {
            algorithm: b("the key's signature algorithm"),
            option: b("the algorithms this Dropbear knows"),
        });
    }
    if body.contains("root login rejected") {
        return Some(K::SshdRootRefused { addr: None });
    }
    if let Some(rest) = body.strip_prefix("User '") {
        let (user, why) = rest.split_once("' ")?;
        if why.contains("invalid shell") || why.contains("is locked") {
            return Some(K::SshdAccountUnusable {
                user: b(user),
                why: b(why),
            });
        }
    }
    if let Some(rest) = body.strip_prefix("Exit before auth") {
        // `from <A:P>: ` (older builds and syslog), or nothing.
        let (endpoint, reason) = match rest.strip_prefix(" from <") {
            Some(inner) => {
                let (ap, reason) = inner.split_once(">: ")?;
                (colon_port(ap), reason)
            }
            None => (None, rest.trim_start().trim_start_matches(':').trim_start()),
        };
        let (addr, port) = endpoint.unwrap_or(("", 0));
        // `(user 'U', N fails): REASON` once a user was named.
        let (user, reason) = match reason
            .strip_prefix("(user '")
            .and_then(|r| r.split_once("', "))
        {
            Some((user, r)) => (Some(user), r.split_once("): ").map_or(r, |(_, r)| r)),
            None => (None, reason),
        };
        return Some(K::SshdClosed {
            how: b("exit before auth"),
            user: user.map(b),
            addr: b(addr),
            port,
            preauth: true,
            reason: Some(b(reason)),
        });
    }
    None
}

/// fail2ban, sshguard and CrowdSec bans.
fn ban(body: &str) -> Option<K<'_>> {
    // fail2ban: `NOTICE  [sshd] Ban 203.0.113.9`
    if let Some(i) = find(body, "] Ban ") {
        if body[..i].contains('[') {
            let addr = body[i + 6..].split_whitespace().next()?;
            return Some(K::SshdBanned {
                addr: b(addr),
                by: b("fail2ban"),
            });
        }
    }
    // sshguard: `Blocking "203.0.113.9/32" for 120 secs ...` / `Blocking 203.0.113.9:4 for ...`
    if let Some(rest) = body.strip_prefix("Blocking ") {
        let addr = rest
            .trim_start_matches('"')
            .split(['/', ':', '"', ' '])
            .next()?;
        return Some(K::SshdBanned {
            addr: b(addr),
            by: b("sshguard"),
        });
    }
    // CrowdSec: `... performed 'crowdsecurity/ssh-bf' ... ban on Ip 203.0.113.9`
    if let Some(i) = find(body, "ban on Ip ") {
        let addr = body[i + 10..].split_whitespace().next()?;
        return Some(K::SshdBanned {
            addr: b(addr),
            by: b("CrowdSec"),
        });
    }
    None
}

/// systemd's lines about the ssh unit.
fn systemd(body: &str) -> Option<K<'_>> {
    let unit = [
        "ssh.service",
        "sshd.service",
        "OpenBSD Secure Shell",
        "OpenSSH",
    ];
    let failed = body.starts_with("Failed to start")
        || find(body, "Main process exited, code=exited").is_some()
        || find(body, "Start request repeated too quickly").is_some()
        || find(body, "Failed with result").is_some();
    (failed && unit.iter().any(|u| find(body, u).is_some()))
        .then(|| K::SshdStartFailed { text: b(body) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> K<'_> {
        parse(text, Some("sshd")).1
    }

    #[test]
    fn a_redacted_negotiation_failure() {
        // `port xxxxx :` as a poster redacted it, with sshd's [preauth].
        let k = kind("Unable to negotiate with xxx.xxx.xxx.xxx port xxxxx : no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]");
        assert!(
            matches!(&k, K::SshdNegotiate { addr, port: 0, what, .. } if addr == "xxx.xxx.xxx.xxx" && what == "key exchange method"),
            "{k:?}"
        );
    }

    #[test]
    fn auth_lines() {
        assert!(matches!(
            kind("Failed publickey for pi from 192.168.1.20 port 52144 ssh2: ED25519 SHA256:abc"),
            K::SshdAuth { ref result, ref user, port: 52144, key: Some(ref k), .. }
                if result == "Failed" && user == "pi" && k == "ED25519 SHA256:abc"
        ));
        assert!(matches!(
            kind("Connection closed by authenticating user pi 192.168.1.20 port 52144 [preauth]"),
            K::SshdClosed { user: Some(ref u), preauth: true, port: 52144, .. } if u == "pi"
        ));
        assert!(matches!(
            kind("Invalid user admin from 203.0.113.9 port 4242"),
            K::SshdInvalidUser { ref user, port: Some(4242), .. } if user == "admin"
        ));
        assert!(matches!(
            kind("Authentication refused: bad ownership or modes for directory /home/pi"),
            K::SshdStrictModes { ref path, ref what } if path == "/home/pi" && what == "directory"
        ));
        assert!(matches!(
            kind("userauth_pubkey: key type ssh-rsa not in PubkeyAcceptedAlgorithms [preauth]"),
            K::SshdKeyTypeRefused { ref algorithm, .. } if algorithm == "ssh-rsa"
        ));
        assert!(matches!(
            kind("User bob from 10.0.0.2 not allowed because not listed in AllowUsers"),
            K::SshdNotAllowed { ref user, .. } if user == "bob"
        ));
        assert!(matches!(
            kind("User bob not allowed because shell /bin/nosh does not exist"),
            K::SshdAccountUnusable { .. }
        ));
        assert!(matches!(
            kind("Could not open user 'pi' authorized keys '/home/pi/.ssh/authorized_keys': Permission denied"),
            K::SshdKeysUnreadable { ref path, .. } if path == "/home/pi/.ssh/authorized_keys"
        ));
        assert!(matches!(
            kind("drop connection #10 from [203.0.113.9]:4242 on [10.0.0.1]:22 past MaxStartups"),
            K::SshdDropped { ref reason, .. } if reason == "past MaxStartups"
        ));
    }

    #[test]
    fn other_programs() {
        assert!(matches!(
            parse("NOTICE  [sshd] Ban 203.0.113.9", Some("fail2ban.actions")).1,
            K::SshdBanned { ref addr, .. } if addr == "203.0.113.9"
        ));
        assert!(matches!(
            parse(
                "Failed to start ssh.service - OpenBSD Secure Shell server.",
                Some("systemd")
            )
            .1,
            K::SshdStartFailed { .. }
        ));
        assert!(matches!(
            parse("Bad password attempt for 'root' from 10.0.0.2:50000", Some("dropbear")).1,
            K::SshdAuth { ref method, .. } if method == "password"
        ));
    }

    #[test]
    fn server_only_shapes() {
        assert!(is_server_only(
            "Invalid user admin from 203.0.113.9 port 4242"
        ));
        assert!(is_server_only(
            "Connection closed by 127.0.0.1 port 5000 [preauth]"
        ));
        assert!(!is_server_only("Connection closed by 127.0.0.1 port 22"));
        // A level word is sshd's: the same message without it is ssh's.
        assert!(is_server_only("error: bind: Address already in use"));
        assert!(is_server_only(
            "error: channel_setup_fwd_listener_tcpip: cannot listen to port: 8080"
        ));
        assert!(is_server_only(
            "error: kex_exchange_identification: Connection closed by remote host"
        ));
        assert!(!is_server_only(
            "bind [127.0.0.1]:8080: Address already in use"
        ));
        assert!(!is_server_only(
            "channel_setup_fwd_listener_tcpip: cannot listen to port: 8080"
        ));
        assert!(!is_server_only(
            "kex_exchange_identification: Connection closed by remote host"
        ));
        // A wrapper's own `error: ` before ssh's client-only message.
        assert!(!is_server_only("error: Load key \"k\": error in libcrypto"));
        assert!(!is_server_only(
            "fatal: Could not read from remote repository."
        ));
        assert!(!is_server_only("Unable to negotiate with 10.0.0.1 port 22: no matching host key type found. Their offer: ssh-rsa"));
        assert!(!is_server_only("Permission denied (publickey)."));
    }
}
