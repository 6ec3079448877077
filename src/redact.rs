//! Redaction: make a log safe to paste in public and still diagnosable.
//!
//! Identifying values are replaced by consistent pseudonyms — the same value
//! gets the same pseudonym everywhere — so a reader can still follow the
//! connection: user names (`user1`), host names (`host1.example`), IPv4 and
//! IPv6 addresses (documentation ranges, with their private/public class in
//! a header line), ports other than 22, home directories and Windows
//! profiles, key fingerprints, key comments and e-mail addresses, hashed
//! known_hosts entries, and server banner text. Kept: loopback addresses,
//! `localhost`, port 22, the `root` and `git` accounts, key file names
//! (`id_ed25519`), algorithms, and everything ssh itself says.

use crate::event::EventKind;
use crate::grammar::parse_text;
use std::collections::HashMap;

/// The pseudonyms of one input.
#[derive(Debug, Default)]
struct Map {
    users: HashMap<String, String>,
    hosts: HashMap<String, String>,
    ipv4: HashMap<String, (String, bool)>,
    ipv6: HashMap<String, (String, bool)>,
    ports: HashMap<String, String>,
    fingerprints: HashMap<String, String>,
}

fn next_name(map: &HashMap<String, String>, make: impl Fn(usize) -> String) -> String {
    make(map.len() + 1)
}

impl Map {
    fn user(&mut self, u: &str) {
        let u = u.trim();
        if u.is_empty()
            || matches!(u, "root" | "git" | "USER" | "user")
            || is_placeholder(u)
            || self.users.contains_key(u)
        {
            return;
        }
        let name = next_name(&self.users, |n| format!("user{n}"));
        self.users.insert(u.to_string(), name);
    }

    fn host(&mut self, h: &str) {
        let h = strip_host(h);
        if h.is_empty() || is_loopback(h) || is_placeholder(h) || h == "UNKNOWN" || h == "HOST" {
            return;
        }
        if parse_v4(h).is_some() {
            self.ipv4_addr(h);
            return;
        }
        if is_v6(h) {
            self.ipv6_addr(h);
            return;
        }
        if !self.hosts.contains_key(h) && !h.contains(char::is_whitespace) {
            let name = next_name(&self.hosts, |n| format!("host{n}.example"));
            self.hosts.insert(h.to_string(), name);
        }
    }

    fn ipv4_addr(&mut self, a: &str) {
        let Some(octets) = parse_v4(a) else { return };
        if octets[0] == 127 || self.ipv4.contains_key(a) {
            return;
        }
        let private = matches!(octets, [10, ..] | [192, 168, ..] | [169, 254, ..])
            || (octets[0] == 172 && (16..32).contains(&octets[1]))
            || (octets[0] == 100 && (64..128).contains(&octets[1]));
        let n = self.ipv4.len() + 1;
        self.ipv4
            .insert(a.to_string(), (format!("192.0.2.{}", n.min(254)), private));
    }

    fn ipv6_addr(&mut self, a: &str) {
        if a == "::1" || self.ipv6.contains_key(a) {
            return;
        }
        let lower = a.to_ascii_lowercase();
        let private =
            lower.starts_with("fe80") || lower.starts_with("fc") || lower.starts_with("fd");
        let n = self.ipv6.len() + 1;
        self.ipv6
            .insert(a.to_string(), (format!("2001:db8::{n:x}"), private));
    }

    fn port(&mut self, p: &str) {
        if p.is_empty()
            || p == "22"
            || p == "0"
            || p == "65535"
            || !p.bytes().all(|c| c.is_ascii_digit())
            || self.ports.contains_key(p)
        {
            return;
        }
        let name = next_name(&self.ports, |n| format!("{}", 10000 + n));
        self.ports.insert(p.to_string(), name);
    }

    fn fingerprint(&mut self, f: &str) {
        let f = f.trim_end_matches('.');
        if f.len() < 20 || self.fingerprints.contains_key(f) {
            return;
        }
        let n = self.fingerprints.len() + 1;
        let kind = f.split(':').next().unwrap_or("SHA256");
        self.fingerprints
            .insert(f.to_string(), format!("{kind}:REDACTED{n}"));
    }
}

/// `[host]:port` → `host`.
fn strip_host(h: &str) -> &str {
    let h = h.trim();
    match h.strip_prefix('[').and_then(|r| r.split_once(']')) {
        Some((inner, _)) => inner,
        None => h,
    }
}

fn is_loopback(h: &str) -> bool {
    h == "localhost" || h == "::1" || h.starts_with("127.") || h == "ip6-localhost"
}

/// Hand redactions people already made: `<host>`, `xxx`, `***`, `[REDACTED]`.
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with('<') && t.ends_with('>'))
        || (t.starts_with('[') && t.ends_with(']') && t.to_ascii_lowercase().contains("redact"))
        || (!t.is_empty() && t.chars().all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '#')))
}

fn parse_v4(s: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = s.split('.');
    for o in &mut out {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *o = p.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

fn is_v6(s: &str) -> bool {
    let colons = s.bytes().filter(|c| *c == b':').count();
    colons >= 2
        && s.bytes().all(|c| c.is_ascii_hexdigit() || c == b':')
        && (s.contains("::") || colons >= 5)
        && s.bytes().any(|c| c != b':')
}

fn is_token_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

/// Replaces `needle` where it stands as a whole token.
fn replace_token(hay: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() || !hay.contains(needle) {
        return hay.to_string();
    }
    let bytes = hay.as_bytes();
    let mut out = String::with_capacity(hay.len());
    let mut last = 0;
    for (i, _) in hay.match_indices(needle) {
        if i < last {
            continue;
        }
        let before_ok = i == 0
            || !is_token_byte(bytes[i - 1])
            || (bytes[i - 1] == b'.' && i >= 2 && !is_token_byte(bytes[i - 2]));
        let end = i + needle.len();
        // A trailing sentence dot is not part of the token.
        let after_ok = end == bytes.len()
            || !is_token_byte(bytes[end])
            || (bytes[end] == b'.' && (end + 1 == bytes.len() || !is_token_byte(bytes[end + 1])));
        if before_ok && after_ok {
            out.push_str(&hay[last..i]);
            out.push_str(with);
            last = end;
        }
    }
    out.push_str(&hay[last..]);
    out
}

/// Scans free text for addresses, fingerprints, e-mail-like names and home
/// directories.
fn scan(map: &mut Map, line: &str) {
    for token in line.split(|c: char| c.is_whitespace() || "()[]'\",;<>=".contains(c)) {
        let t = token.trim_end_matches(['.', ':']);
        if parse_v4(t).is_some() {
            map.ipv4_addr(t);
        } else if is_v6(t) {
            map.ipv6_addr(t);
        }
        if let Some(i) = t.find("SHA256:").or_else(|| t.find("MD5:")) {
            map.fingerprint(&t[i..]);
        }
        if let Some((local, domain)) = t.split_once('@') {
            if !local.is_empty() && domain.contains('.') && !local.contains('/') {
                map.user(local.rsplit(['/', '\\']).next().unwrap_or(local));
                map.host(domain);
            }
        }
    }
    for prefix in [
        "/home/",
        "/Users/",
        "\\Users\\",
        "/Users\\",
        ":/Users/",
        "/u/",
    ] {
        let mut from = 0;
        while let Some(i) = line[from..].find(prefix) {
            let start = from + i + prefix.len();
            let rest = line[start..].trim_start_matches('\\');
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || "._-".contains(*c))
                .collect();
            if !name.is_empty() && !matches!(name.as_str(), "Public" | "Default" | "All") {
                map.user(&name);
            }
            from = start;
        }
    }
}

/// Learns identifiers from one parsed line.
fn learn(map: &mut Map, kind: &EventKind<'_>) {
    use EventKind as K;
    match kind {
        K::AuthenticatingAs { host, port, user } => {
            map.host(host);
            map.port(&port.to_string());
            map.user(user);
        }
        K::Connecting {
            host,
            address,
            port,
        } => {
            map.host(host);
            map.host(address);
            map.port(&port.to_string());
        }
        K::PermissionDenied { user, host, .. } => {
            if let Some(u) = user {
                map.user(u);
            }
            if let Some(h) = host {
                map.host(h);
            }
        }
        K::ConnectFailed { host, port, .. } => {
            map.host(host);
            map.port(port);
        }
        K::ConnectAddressFailed { address, port, .. }
        | K::ConnectionClosedBy { address, port }
        | K::ConnectionResetBy { address, port }
        | K::ReceivedDisconnect { address, port, .. } => {
            map.host(address);
            map.port(&port.to_string());
        }
        K::AuthenticatedTo {
            host,
            address,
            port,
            ..
        } => {
            map.host(host);
            if let Some(a) = address {
                map.host(a);
            }
            if let Some(p) = port {
                map.port(&p.to_string());
            }
        }
        K::ResolveFailed { host, .. }
        | K::HostAuthenticityUnknown { host }
        | K::HostKeyUnknownStrict { host, .. }
        | K::HostKeyChangedStrict { host }
        | K::PermanentlyAdded { host, .. }
        | K::ClosedByRemote { host }
        | K::ConnectionClosed { host }
        | K::ServerNotResponding { host }
        | K::SharedConnectionClosed { host }
        | K::HostKeyKnown { host, .. }
        | K::Canonicalize { host } => {
            map.host(host);
            if let Some((_, p)) = host.rsplit_once("]:") {
                map.port(p);
            }
        }
        K::IpKeyDiffers { host, address, .. } => {
            map.host(host);
            map.host(address);
        }
        K::ServiceGreeting {
            account: Some(a), ..
        } => map.user(a),
        K::Command { program, args } => {
            let cmd = crate::trace::CommandLine::parse(0, program, args);
            if let Some(d) = &cmd.destination {
                match d.rsplit_once('@') {
                    Some((u, h)) => {
                        map.user(u);
                        map.host(h);
                    }
                    None => map.host(d),
                }
            }
            if let Some(l) = &cmd.login {
                map.user(l);
            }
            if let Some(p) = cmd.port {
                map.port(&p.to_string());
            }
            if let Some(j) = &cmd.jump {
                let j = j.rsplit_once('@').map_or(j.as_str(), |(u, h)| {
                    map.user(u);
                    h
                });
                let (h, p) = j.rsplit_once(':').unwrap_or((j, ""));
                map.host(h);
                map.port(p);
            }
        }
        _ => {}
    }
}

/// Banner lines from a server that is not SSH: redacted, except a protocol
/// status line (which is what the diagnosis needs).
fn redact_banner(line: &str) -> Option<String> {
    let i = line.find("banner line ")?;
    let (head, rest) = line.split_at(i);
    let (label, text) = rest.split_once(": ")?;
    let keep = text.starts_with("HTTP/")
        || text.starts_with("SSH-")
        || text.starts_with("+OK")
        || text.starts_with("* OK")
        || text.contains("MaxStartups");
    let kept = if keep {
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    } else if text.starts_with(|c: char| c.is_ascii_digit()) {
        text.split_whitespace().next().unwrap_or("").to_string() + " [banner text redacted]"
    } else {
        "[banner text redacted]".to_string()
    };
    Some(format!("{head}{label}: {kept}"))
}

/// A redacted text and the header that explains its address classes.
#[derive(Debug, Clone)]
pub struct Redacted {
    /// `# sshexplain redact: 192.0.2.1 = private-1, ...` (empty when no address was replaced).
    pub header: String,
    /// The redacted text.
    pub text: String,
}

/// Redacts a whole text (two passes: learn the identifiers, then replace).
pub fn redact(text: &str) -> Redacted {
    let mut map = Map::default();
    let lines: Vec<crate::input::Line> = crate::input::lines(text).collect();
    for line in &lines {
        let (_, kind) = parse_text(&line.text);
        learn(&mut map, &kind);
        scan(&mut map, &line.text);
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    pairs.extend(map.fingerprints.iter().map(|(k, v)| (k.clone(), v.clone())));
    pairs.extend(map.ipv6.iter().map(|(k, (v, _))| (k.clone(), v.clone())));
    pairs.extend(map.ipv4.iter().map(|(k, (v, _))| (k.clone(), v.clone())));
    pairs.extend(map.hosts.iter().map(|(k, v)| (k.clone(), v.clone())));
    pairs.extend(map.users.iter().map(|(k, v)| (k.clone(), v.clone())));
    pairs.extend(map.ports.iter().map(|(k, v)| (k.clone(), v.clone())));
    pairs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = split_end(line);
        let mut l = redact_banner(body).unwrap_or_else(|| body.to_string());
        l = redact_hashed_known_hosts(&l);
        for (from, to) in &pairs {
            l = replace_token(&l, from, to);
        }
        out.push_str(&l);
        out.push_str(end);
    }
    let mut classes: Vec<String> = map
        .ipv4
        .values()
        .chain(map.ipv6.values())
        .map(|(v, private)| (v.clone(), *private))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .map(|(v, private)| format!("{v} = {}", if private { "private" } else { "public" }))
        .collect();
    classes.sort();
    let header = if classes.is_empty() {
        String::new()
    } else {
        format!("# sshexplain redact: {}\n", classes.join(", "))
    };
    Redacted { header, text: out }
}

/// A redacted text ready for a terminal: each line's control and invisible
/// characters made visible (an ESC, OSC, C1 or bidi character in a pasted
/// log cannot retitle the terminal or hide text), line ends kept.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = split_end(line);
        out.push_str(&crate::report::visible(body));
        out.push_str(end);
    }
    out
}

fn split_end(line: &str) -> (&str, &str) {
    match line.strip_suffix("\r\n") {
        Some(b) => (b, "\r\n"),
        None => match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        },
    }
}

/// `|1|salt|hash` (hashed known_hosts names) → `|1|REDACTED|REDACTED`.
fn redact_hashed_known_hosts(line: &str) -> String {
    let Some(i) = line.find("|1|") else {
        return line.to_string();
    };
    let rest = &line[i + 3..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == ',' || c == '\'')
        .unwrap_or(rest.len());
    format!("{}|1|REDACTED|REDACTED{}", &line[..i], &rest[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistent_pseudonyms() {
        let log = "debug1: Connecting to pi.example.net [203.0.113.7] port 2222.\n\
                   debug1: Authenticating to pi.example.net:2222 as 'alice'\n\
                   debug1: Offering public key: /home/alice/.ssh/id_ed25519 ED25519 SHA256:Kwxj+OplGH6h4zYV+XPLsCemlSJNG6EiMrScM7z5Ep0\n\
                   alice@pi.example.net: Permission denied (publickey).\n";
        let r = redact(log);
        for secret in ["pi.example.net", "203.0.113.7", "alice", "2222", "Kwxj+"] {
            assert!(!r.text.contains(secret), "{secret} leaked: {}", r.text);
        }
        assert!(
            r.text
                .contains("user1@host1.example: Permission denied (publickey)."),
            "{}",
            r.text
        );
        assert!(r.text.contains("/home/user1/.ssh/id_ed25519"), "{}", r.text);
        assert!(r.header.contains("192.0.2.1 = public"), "{}", r.header);
        assert_eq!(
            crate::diagnose(&r.text).primary.cause.id,
            crate::diagnose(log).primary.cause.id
        );
    }

    #[test]
    fn tokens_not_substrings() {
        assert_eq!(replace_token("pipe pi pi. api", "pi", "X"), "pipe X X. api");
        assert_eq!(
            replace_token("10.0.0.15 10.0.0.1", "10.0.0.1", "Y"),
            "10.0.0.15 Y"
        );
    }

    #[test]
    fn loopback_and_placeholders_stay() {
        let r = redact("debug1: Connecting to localhost [127.0.0.1] port 22.\nssh: connect to host <host> port 22: Connection refused\n");
        assert!(
            r.text.contains("127.0.0.1") && r.text.contains("<host>") && r.text.contains("port 22")
        );
        assert!(r.header.is_empty());
    }
}
