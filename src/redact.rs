//! Redaction: make a log safe to paste in public and still diagnosable.
//!
//! Identifying values are replaced by consistent pseudonyms — the same value
//! gets the same pseudonym everywhere — so a reader can still follow the
//! connection: user names (`user1`), host names (`host1.example`), IPv4 and
//! IPv6 addresses (documentation ranges, with their private/public class in
//! a header line), ports other than 22, home directories and Windows
//! profiles, key fingerprints, key comments and e-mail addresses, hashed
//! known_hosts entries, and server banner text. Kept: loopback addresses,
//! `localhost`, the hosting services' own names (`github.com`), port 22,
//! the `root` and `git` accounts, key file names (`id_ed25519`),
//! algorithms, and everything ssh itself says.

use crate::diagnose::platform::Hosting;
use crate::event::EventKind;
use crate::grammar::parse_text;
use crate::trace::Trace;
use std::collections::{BTreeSet, HashMap};
use std::io::{self, BufRead, Write};

/// Pseudonyms remembered at most, all kinds together: beyond that (an
/// adversarial log with a million distinct host names) a new value is still
/// replaced on its own line, by a generic pseudonym, and then forgotten.
pub const MAX_NAMES: usize = 50_000;
/// The longest value remembered (longer ones get a generic pseudonym).
const MAX_KEY: usize = 512;

/// The pseudonyms of one input.
#[derive(Debug, Default)]
struct Map {
    users: HashMap<String, String>,
    hosts: HashMap<String, String>,
    ipv4: HashMap<String, (String, bool)>,
    ipv6: HashMap<String, (String, bool)>,
    ports: HashMap<String, String>,
    fingerprints: HashMap<String, String>,
    /// Users and hosts with characters the token scanner does not cover
    /// (`ACME\jdoe`): replaced by a search of their own (at most [`MAX_ODD`]).
    odd: Vec<(String, String)>,
    /// Values met once the table was full, for the current line only.
    spill: Vec<(String, String)>,
}

/// Odd-shaped values remembered at most (each costs a search per line).
const MAX_ODD: usize = 64;

/// The default accounts of cloud images and boards: the same for everyone,
/// and what a wrong-user diagnosis needs to see.
const GENERIC_USERS: &[&str] = &[
    "ec2-user",
    "ubuntu",
    "admin",
    "centos",
    "debian",
    "fedora",
    "azureuser",
    "opc",
    "pi",
    "vagrant",
    "core",
];

fn next_name(map: &HashMap<String, String>, make: impl Fn(usize) -> String) -> String {
    make(map.len() + 1)
}

impl Map {
    /// Values per kind: users, hosts, addresses, ports, fingerprints.
    fn sizes(&self) -> [usize; 5] {
        [
            self.users.len(),
            self.hosts.len(),
            self.ipv4.len() + self.ipv6.len(),
            self.ports.len(),
            self.fingerprints.len(),
        ]
    }

    fn len(&self) -> usize {
        self.users.len()
            + self.hosts.len()
            + self.ipv4.len()
            + self.ipv6.len()
            + self.ports.len()
            + self.fingerprints.len()
    }

    /// Whether `key` may be remembered; if not, it is replaced by `generic`
    /// in the current line.
    fn admit(&mut self, key: &str, generic: &str) -> bool {
        if key.len() <= MAX_KEY && self.len() < MAX_NAMES {
            return true;
        }
        if !self.spill.iter().any(|(k, _)| k == key) {
            self.spill.push((key.to_string(), generic.to_string()));
        }
        false
    }

    fn user(&mut self, u: &str) {
        let u = u.trim();
        if u.is_empty()
            || matches!(u, "root" | "git" | "USER" | "user")
            || GENERIC_USERS.contains(&u)
            || is_placeholder(u)
            || self.users.contains_key(u)
            || !self.admit(u, "user-x")
        {
            return;
        }
        let name = next_name(&self.users, |n| format!("user{n}"));
        self.remember_odd(u, &name);
        self.users.insert(u.to_string(), name);
    }

    fn host(&mut self, h: &str) {
        let h = strip_host(h);
        if h.is_empty()
            || is_loopback(h)
            || is_placeholder(h)
            || h == "UNKNOWN"
            || h == "HOST"
            || Hosting::is_public_name(h)
        {
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
        if !self.hosts.contains_key(h)
            && !h.contains(char::is_whitespace)
            && self.admit(h, "host-x.example")
        {
            let name = next_name(&self.hosts, |n| format!("host{n}.example"));
            self.remember_odd(h, &name);
            self.hosts.insert(h.to_string(), name);
        }
    }

    /// A value the token scanner cannot find is kept for a search of its own.
    fn remember_odd(&mut self, key: &str, name: &str) {
        if !key.bytes().all(is_token_byte) && self.odd.len() < MAX_ODD {
            self.odd.push((key.to_string(), name.to_string()));
            // Longest first, as one value may hold another.
            self.odd
                .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
    }

    fn ipv4_addr(&mut self, a: &str) {
        let Some(octets) = parse_v4(a) else { return };
        if octets[0] == 127 || self.ipv4.contains_key(a) || !self.admit(a, "192.0.2.255") {
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
        if a == "::1" || self.ipv6.contains_key(a) || !self.admit(a, "2001:db8::ffff") {
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
            || !self.admit(p, "10000")
        {
            return;
        }
        let name = next_name(&self.ports, |n| format!("{}", 10000 + n));
        self.ports.insert(p.to_string(), name);
    }

    fn fingerprint(&mut self, f: &str) {
        let f = f.trim_end_matches('.');
        let kind = f.split(':').next().unwrap_or("SHA256");
        if f.len() < 20
            || self.fingerprints.contains_key(f)
            || !self.admit(f, &format!("{kind}:REDACTED"))
        {
            return;
        }
        let n = self.fingerprints.len() + 1;
        self.fingerprints
            .insert(f.to_string(), format!("{kind}:REDACTED{n}"));
    }

    /// A value spilled from the full table in the current line.
    fn spilled(&self, key: &str) -> Option<&str> {
        self.spill
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The pseudonym of a whole token (address, host, user or port).
    fn token(&self, t: &str) -> Option<&str> {
        self.ipv4
            .get(t)
            .map(|v| v.0.as_str())
            .or_else(|| self.hosts.get(t).map(String::as_str))
            .or_else(|| self.users.get(t).map(String::as_str))
            .or_else(|| self.ports.get(t).map(String::as_str))
            .or_else(|| self.spilled(t))
    }

    /// Replaces every known value in a line, in time linear in its length:
    /// fingerprints where `SHA256:`/`MD5:` starts, IPv6 addresses among runs
    /// of hex digits and colons, then every other value as a whole token.
    fn replace_line(&self, line: &str) -> String {
        let mut l = self.replace_fingerprints(line);
        // Odd values first: they are longer than the tokens inside them.
        for (k, v) in &self.odd {
            if l.contains(k.as_str()) {
                l = replace_token(&l, k, v);
            }
        }
        if !self.ipv6.is_empty() || !self.spill.is_empty() {
            l = replace_runs(
                &l,
                |c| c.is_ascii_hexdigit() || c == b':',
                |run| {
                    // `fe80::1:` or `2001:db8::5:22`: also try the run cut at a colon.
                    let mut cut = run;
                    for _ in 0..8 {
                        if let Some(v) = self
                            .ipv6
                            .get(cut)
                            .map(|v| v.0.as_str())
                            .or_else(|| self.spilled(cut))
                        {
                            return Some((cut.len(), v));
                        }
                        cut = &cut[..cut.rfind(':')?];
                    }
                    None
                },
            );
        }
        l = replace_runs(&l, is_token_byte, |run| {
            // A sentence's dot is not part of the token.
            let t = run.strip_suffix('.').unwrap_or(run);
            self.token(t).map(|v| (t.len(), v))
        });
        l
    }

    fn replace_fingerprints(&self, line: &str) -> String {
        if self.fingerprints.is_empty() && self.spill.is_empty() {
            return line.to_string();
        }
        let fp_byte = |c: u8| c.is_ascii_alphanumeric() || b"+/=:".contains(&c);
        let mut out = String::with_capacity(line.len());
        let mut last = 0;
        let mut from = 0;
        while let Some(i) = next_fingerprint(&line[from..]).map(|i| from + i) {
            let end = i + line[i..].bytes().take_while(|c| fp_byte(*c)).count();
            let fp = line[i..end].trim_end_matches([':', '.']);
            let known = self
                .fingerprints
                .get(fp)
                .map(String::as_str)
                .or_else(|| self.spilled(fp));
            if let Some(v) = known {
                out.push_str(&line[last..i]);
                out.push_str(v);
                last = i + fp.len();
            }
            from = end.max(i + 1);
        }
        out.push_str(&line[last..]);
        out
    }
}

/// Where the next `SHA256:` or `MD5:` starts.
fn next_fingerprint(s: &str) -> Option<usize> {
    match (s.find("SHA256:"), s.find("MD5:")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Replaces, in one pass, maximal runs of `class` bytes that stand as whole
/// tokens (no token byte just before; a leading dot is not part of them):
/// `lookup` gets the run and answers with how many of its bytes to replace
/// and by what.
fn replace_runs<'m>(
    line: &str,
    class: impl Fn(u8) -> bool,
    lookup: impl Fn(&str) -> Option<(usize, &'m str)>,
) -> String {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if !class(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && class(b[i]) {
            i += 1;
        }
        // A token byte right before the run (outside the class) joins it to
        // a longer word: not a token of its own.
        if start > 0 && is_token_byte(b[start - 1]) && !class(b[start - 1]) {
            continue;
        }
        let (s, run) = match line[start..i].strip_prefix('.') {
            Some(r) => (start + 1, r),
            None => (start, &line[start..i]),
        };
        if let Some((n, with)) = lookup(run) {
            let end = s + n;
            // The match must end the token too.
            let after_ok = end == b.len()
                || !is_token_byte(b[end])
                || b[end] == b'.' && !b.get(end + 1).is_some_and(|c| is_token_byte(*c));
            if after_ok {
                out.push_str(&line[last..s]);
                out.push_str(with);
                last = end;
            }
        }
    }
    out.push_str(&line[last..]);
    out
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

/// Whether a parsed line lists algorithms or extensions: every `name@domain`
/// in it is a protocol name (Dropbear's `kexguess2@matt.ucc.asn.au`), not an
/// address.
fn lists_algorithms(kind: &EventKind<'_>) -> bool {
    use EventKind as K;
    matches!(
        kind,
        K::KexAlgorithm { .. }
            | K::KexCipher { .. }
            | K::KexProposal { .. }
            | K::NoMatchingAlgorithm { .. }
            | K::ServerSigAlgs { .. }
    )
}

/// Ends of file names, which have the shape of a domain name.
const FILE_ENDINGS: &[&str] = &[
    ".pub", ".conf", ".config", ".log", ".sh", ".py", ".pem", ".key", ".crt", ".txt", ".json",
    ".yml", ".yaml", ".toml", ".so", ".exe", ".dll", ".c",
];

/// Whether `d` has the shape of a domain name (`example.com`), not of a
/// version (`remote-ssh@0.51.0`): dotted, with an alphabetic last label.
fn is_domain(d: &str) -> bool {
    d.rsplit_once('.').is_some_and(|(head, tld)| {
        !head.is_empty() && tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic())
    })
}

/// Whether `name@DOMAIN` is an SSH protocol name rather than a person's
/// address: algorithms, extensions and requests that implementations name
/// after their own domain (RFC 4250 4.6.1: `curve25519-sha256@libssh.org`,
/// `chacha20-poly1305@openssh.com`, `no-more-sessions@openssh.com`).
fn protocol_name(domain: &str) -> bool {
    matches!(
        domain.to_ascii_lowercase().as_str(),
        "openssh.com"
            | "libssh.org"
            | "ssh.com"
            | "putty.projects.tartarus.org"
            | "tartarus.org"
            | "lysator.liu.se"
            | "trilead.com"
            | "bitvise.com"
            | "cryptlib.com"
    )
}

/// Scans free text for addresses, fingerprints, e-mail-like names and home
/// directories.
fn scan(map: &mut Map, line: &str, names: bool) {
    // A shell prompt before a command: `jdoe@jdoe-thinkpad:~$ ssh ...`.
    if let Some((prompt, _)) = line.split_once(|c: char| c.is_whitespace()) {
        if let Some((user, rest)) = prompt.split_once('@') {
            if let Some((host, path)) = rest.split_once(':') {
                let word = |w: &str| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|c| c.is_ascii_alphanumeric() || b"._-".contains(&c))
                };
                if word(user) && word(host) && (path.ends_with('$') || path.ends_with('#')) {
                    map.user(user);
                    map.host(host);
                }
            }
        }
    }
    // git's `Cloning into 'REPO'...`: the repository's name.
    if let Some((_, rest)) = line.split_once("Cloning into '") {
        if let Some((repo, _)) = rest.split_once('\'') {
            map.user(repo.rsplit(['/', '\\']).next().unwrap_or(repo));
        }
    }
    // A Kerberos realm (`Cannot find KDC for realm "CORP.ACME.COM"`) and a
    // forwarding target (`forwarding to db-7.internal port 5432`).
    for (lead, ends) in [
        ("for realm ", &[' ', '"', '\''][..]),
        (" forwarding to ", &[' '][..]),
        ("forwarded to remote address ", &[' ', ':'][..]),
    ] {
        if let Some((_, rest)) = line.split_once(lead) {
            let rest = rest.trim_start_matches(['"', '\'']);
            let name = rest.split(ends).next().unwrap_or("");
            if !name.is_empty() && name != "localhost" {
                map.host(name);
            }
        }
    }
    let server_words = line.contains("Remote: ");
    for token in line.split(|c: char| c.is_whitespace() || "()[]'\",;<>=".contains(c)) {
        let t = token.trim_end_matches(['.', ':']);
        if parse_v4(t).is_some() {
            map.ipv4_addr(t);
        } else if let Some(v4) = t
            .strip_prefix("::ffff:")
            .filter(|v4| parse_v4(v4).is_some())
        {
            // An IPv4-mapped IPv6 address: its IPv4 part.
            map.ipv4_addr(v4);
        } else if is_v6(t) {
            map.ipv6_addr(t);
        }
        // A control socket named `%r@%h:%p` (`cm-jdoe@prod-web-02:22`).
        if let Some((local, rest)) = t.split_once('@').filter(|_| names) {
            if let Some((host, port)) = rest.rsplit_once(':') {
                let local = local.rsplit(['/', '\\']).next().unwrap_or(local);
                if !local.is_empty()
                    && !host.is_empty()
                    && !port.is_empty()
                    && port.bytes().all(|c| c.is_ascii_digit())
                    && !protocol_name(host)
                {
                    map.user(local);
                    map.host(host);
                }
            }
        }
        // A server's own words (`Remote: ...`) naming a machine.
        if server_words
            && is_domain(t)
            && !t.contains('/')
            && !FILE_ENDINGS.iter().any(|e| t.ends_with(e))
        {
            map.host(t);
        }
        if let Some(i) = t.find("SHA256:").or_else(|| t.find("MD5:")) {
            map.fingerprint(&t[i..]);
        }
        if let Some((local, domain)) = t.split_once('@').filter(|_| names) {
            if !local.is_empty()
                && is_domain(domain)
                && !protocol_name(domain)
                && !local.contains('/')
            {
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
            // A Windows profile may hold spaces (`C:\Users\John Smith\.ssh`).
            let name = match rest.split_once('\\') {
                Some((whole, _)) if prefix.contains('\\') && whole.contains(' ') => {
                    whole.to_string()
                }
                _ => name,
            };
            // `/home/u/.ssh`: a dot file is no user name.
            if !name.is_empty()
                && !name.starts_with('.')
                && !matches!(name.as_str(), "Public" | "Default" | "All")
            {
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
        K::PasswordPrompt { prompt } => {
            if let Some((user, host)) = crate::trace::prompt_destination(prompt) {
                map.user(user);
                map.host(host);
            }
        }
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
        // `user@host: Permission denied`; a lone word before it is a tool's
        // prefix (`err: Permission denied`), not a host.
        K::PermissionDenied {
            user: Some(u),
            host,
            ..
        } => {
            map.user(u);
            if let Some(h) = host {
                map.host(h);
            }
        }
        K::ConnectFailed { host, port, .. } => {
            map.host(host);
            map.port(port);
        }
        K::ConnectAddressFailed { address, port, .. }
        | K::NoMatchingAlgorithm { address, port, .. }
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
        // `Permission to OWNER/REPO.git denied to USER.`: a hosting
        // service's account and repository names.
        K::ServiceAccessDenied { text } => {
            if let Some((_, rest)) = text.split_once("Permission to ") {
                if let Some((repo, who)) = rest.split_once(" denied to ") {
                    for part in repo.split('/') {
                        map.user(part);
                        map.user(part.trim_end_matches(".git"));
                    }
                    map.user(who.trim().trim_end_matches('.'));
                }
            }
        }
        // An agent key's comment (`jdoe@laptop-7`, `John's work key`); a
        // file's path is read by the home-directory scan.
        K::OfferingKey { identity }
        | K::WillAttemptKey { identity }
        | K::ServerAcceptsKey {
            identity: Some(identity),
        } if identity.agent
            && !identity.path.starts_with(['/', '~'])
            && !identity.path.contains('\\') =>
        {
            match identity.path.rsplit_once('@') {
                Some((u, h)) if !u.contains(' ') && !h.contains(' ') => {
                    map.user(u);
                    map.host(h);
                }
                _ => map.user(&identity.path),
            }
        }
        // The hop ssh runs for ProxyJump: `ssh -l USER -p P -W ... HOST`.
        // A ProxyCommand that runs ssh (`exec ssh -W %h:%p jdoe@bastion`).
        K::ProxyCommandExec { command } if command.starts_with("ssh ") => {
            let args = command.trim_start_matches("ssh ");
            learn_command(map, &crate::trace::CommandLine::parse(0, "ssh", args));
        }
        K::ProxyJumpCommand { command } => {
            let (program, args) = command.split_once(' ').unwrap_or((command, ""));
            learn_command(map, &crate::trace::CommandLine::parse(0, program, args));
        }
        // Windows: `DOMAIN\name` and a machine or domain account's SID
        // (well-known SIDs such as S-1-5-11 name no one).
        K::WindowsBadPermissions { account, sid, .. } => {
            if let Some((domain, name)) = account.split_once('\\') {
                if !matches!(domain, "NT AUTHORITY" | "BUILTIN" | "NT SERVICE") {
                    map.host(domain);
                    map.user(name);
                }
            }
            if sid.starts_with("S-1-5-21-") {
                map.user(sid);
            }
        }
        // `Applying options for ALIAS` / `for *.acme-corp.io`: a Host line's
        // names (not `*` alone, nor a pattern's wildcards).
        K::ApplyingOptions { pattern, .. } => {
            for p in pattern.split([' ', ',']) {
                let p = p.trim_start_matches('!').trim_start_matches("*.");
                if !p.is_empty() && !p.contains(['*', '?']) {
                    map.host(p);
                }
            }
        }
        // `ssh child died, shutting down` is a sentence, not a command.
        K::Command { program, args } if !args.contains(", ") => {
            learn_command(map, &crate::trace::CommandLine::parse(0, program, args));
        }
        _ => {}
    }
}

/// Learns a command line's destination, login, port and jump host.
fn learn_command(map: &mut Map, cmd: &crate::trace::CommandLine) {
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
    /// `# sshexplain redact: replaced 1 user or account name, ... by
    /// pseudonyms ...; 192.0.2.1 = private, ...` (empty when nothing was replaced).
    pub header: String,
    /// The redacted text.
    pub text: String,
}

/// Redacts a whole text.
pub fn redact(text: &str) -> Redacted {
    let mut r = Redactor::new(crate::lang::Lang::En);
    let mut out = Redacted {
        header: String::new(),
        text: String::with_capacity(text.len()),
    };
    let take = |r: &mut Redactor, out: &mut Redacted| {
        for piece in r.drain() {
            match piece {
                Piece::Comment(c) if out.text.is_empty() => out.header.push_str(&c),
                Piece::Comment(c) => out.text.push_str(&c),
                Piece::Line(l, end) => {
                    out.text.push_str(&l);
                    out.text.push_str(end);
                }
            }
        }
    };
    for line in text.split_inclusive('\n') {
        let (body, end) = split_end(line);
        r.feed(body, end);
        take(&mut r, &mut out);
    }
    r.finish();
    take(&mut r, &mut out);
    out
}

/// Redacts a stream into `out` with bounded memory: the first
/// [`WINDOW_BYTES`] of lines are read before any is written, so a value is
/// replaced even where it appears before the line that identifies it; after
/// that, each line is learned from and replaced as it comes. Lines longer
/// than [`crate::input::MAX_LINE_BYTES`] are cut with a marker.
pub fn redact_stream<R: BufRead, W: Write>(reader: R, out: &mut W) -> io::Result<()> {
    redact_stream_in(reader, out, crate::lang::Lang::En)
}

/// [`redact_stream`], its header comment written in `lang`.
pub fn redact_stream_in<R: BufRead, W: Write>(
    reader: R,
    out: &mut W,
    lang: crate::lang::Lang,
) -> io::Result<()> {
    Session::new(lang).redact(reader, out)
}

/// Several logs redacted with one table of pseudonyms (`sshexplain redact
/// A B`): the same value gets the same pseudonym in every file, so two
/// redacted logs can still be compared (`sshexplain diff`). Each file is
/// redacted as [`redact_stream`] does; its header counts the values it
/// added to the table.
pub struct Session {
    r: Redactor,
}

impl Session {
    /// A session whose headers are written in `lang`.
    pub fn new(lang: crate::lang::Lang) -> Session {
        Session {
            r: Redactor::new(lang),
        }
    }

    /// Redacts one file into `out`.
    pub fn redact<R: BufRead, W: Write>(&mut self, reader: R, out: &mut W) -> io::Result<()> {
        self.r.next_file();
        let mut reader = crate::input::Decoder::new(reader);
        let mut buf = Vec::new();
        while let Some(end) = read_physical(&mut reader, &mut buf)? {
            self.r.feed(&String::from_utf8_lossy(&buf), end);
            write_pieces(&mut self.r, out)?;
        }
        self.r.finish();
        write_pieces(&mut self.r, out)
    }
}

fn write_pieces<W: Write>(r: &mut Redactor, out: &mut W) -> io::Result<()> {
    for piece in r.drain() {
        match piece {
            Piece::Comment(c) => out.write_all(c.as_bytes())?,
            Piece::Line(l, end) => {
                out.write_all(crate::report::visible(&l).as_bytes())?;
                out.write_all(end.as_bytes())?;
            }
        }
    }
    Ok(())
}

/// Reads a stream into a [`Trace`] of its redacted text (`--redact`), with
/// bounded memory.
pub fn redacted_trace<R: BufRead>(reader: R) -> io::Result<Trace> {
    let mut reader = crate::input::Decoder::new(reader);
    let mut r = Redactor::new(crate::lang::Lang::En);
    let mut t = Trace::new();
    let mut number = 0;
    let mut buf = Vec::new();
    let mut push = |r: &mut Redactor, t: &mut Trace| {
        for piece in r.drain() {
            if let Piece::Line(l, _) = piece {
                number += 1;
                for mut line in crate::input::lines(&l) {
                    line.number = number;
                    t.push(&crate::grammar::parse_line(line.view()), &line.text);
                }
            }
        }
    };
    while read_physical(&mut reader, &mut buf)?.is_some() {
        r.feed(&String::from_utf8_lossy(&buf), "\n");
        push(&mut r, &mut t);
    }
    r.finish();
    push(&mut r, &mut t);
    t.finish();
    Ok(t)
}

/// Reads one physical line into `buf` (without its end, at most
/// [`crate::input::MAX_LINE_BYTES`] of it); returns its line end, or `None`
/// at the end of the stream.
fn read_physical<R: BufRead>(r: &mut R, buf: &mut Vec<u8>) -> io::Result<Option<&'static str>> {
    buf.clear();
    let mut any = false;
    let mut cut = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        let room = crate::input::MAX_LINE_BYTES.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..take.min(room)]);
        cut |= take > room;
        r.consume(if done { take + 1 } else { take });
        if done {
            let crlf = buf.last() == Some(&b'\r');
            if crlf {
                buf.pop();
            }
            if cut {
                buf.extend_from_slice(b" [line cut]");
            }
            return Ok(Some(if crlf { "\r\n" } else { "\n" }));
        }
    }
    if cut {
        buf.extend_from_slice(b" [line cut]");
    }
    Ok(any.then_some(""))
}

/// Lines held before the first is written, in bytes (each line also
/// counts [`LINE_OVERHEAD`]).
pub const WINDOW_BYTES: usize = 2 << 20;
/// What holding one line costs beyond its text (its `String`, allocation).
const LINE_OVERHEAD: usize = 64;

/// What a [`Redactor`] hands out.
enum Piece {
    /// A `# sshexplain redact: ...` line (with its newline).
    Comment(String),
    /// A redacted line and its line end.
    Line(String, &'static str),
}

/// Redaction as a stream: lines are fed one by one, pieces drained.
struct Redactor {
    /// The language of the header comment.
    lang: crate::lang::Lang,
    /// The table's sizes when the current file started.
    base: [usize; 5],
    map: Map,
    window: Vec<(String, &'static str)>,
    window_bytes: usize,
    flushed: bool,
    /// Address pseudonyms the header already explained.
    announced: BTreeSet<String>,
    ready: Vec<Piece>,
}

impl Redactor {
    fn new(lang: crate::lang::Lang) -> Redactor {
        Redactor {
            lang,
            base: [0; 5],
            map: Map::default(),
            window: Vec::new(),
            window_bytes: 0,
            flushed: false,
            announced: BTreeSet::new(),
            ready: Vec::new(),
        }
    }

    fn feed(&mut self, line: &str, end: &'static str) {
        self.map.spill.clear();
        for l in crate::input::lines(line) {
            let (_, kind) = parse_text(&l.text);
            learn(&mut self.map, &kind);
            scan(&mut self.map, &l.text, !lists_algorithms(&kind));
        }
        if self.flushed {
            let r = self.redact_line(line);
            self.ready.push(Piece::Line(r, end));
            return;
        }
        self.window.push((line.to_string(), end));
        self.window_bytes += line.len() + LINE_OVERHEAD;
        // Once the table spills, the line's generic pseudonyms must be used now.
        if self.window_bytes >= WINDOW_BYTES || !self.map.spill.is_empty() {
            self.flush();
        }
    }

    fn redact_line(&self, line: &str) -> String {
        let l = redact_banner(line).unwrap_or_else(|| line.to_string());
        let l = redact_hashed_known_hosts(&l);
        self.map.replace_line(&l)
    }

    fn flush(&mut self) {
        self.flushed = true;
        let counts = self.counts();
        let classes = self.classes("");
        let header = match (counts, classes) {
            (Some(n), Some(c)) => Some(format!("{n}; {}", c.trim_end())),
            (n, c) => n.or(c.map(|c| c.trim_end().to_string())),
        };
        if let Some(h) = header {
            self.ready
                .push(Piece::Comment(format!("# sshexplain redact: {h}\n")));
        }
        for (line, end) in std::mem::take(&mut self.window) {
            let r = self.redact_line(&line);
            self.ready.push(Piece::Line(r, end));
        }
    }

    /// Starts another file: its own window and header, the same table.
    fn next_file(&mut self) {
        self.flushed = false;
        self.window.clear();
        self.window_bytes = 0;
        self.base = self.map.sizes();
    }

    fn finish(&mut self) {
        if !self.flushed {
            self.flush();
        } else if let Some(c) =
            self.classes("# sshexplain redact (addresses after the first lines): ")
        {
            self.ready.push(Piece::Comment(c));
        }
    }

    /// What was replaced, by kind and count, in the header's language.
    fn counts(&self) -> Option<String> {
        use crate::lang::Lang;
        let now = self.map.sizes();
        let names = [
            (
                ("user or account name", "user or account names"),
                "ユーザー名・アカウント名",
            ),
            (("host name", "host names"), "ホスト名"),
            (("address", "addresses"), "アドレス"),
            (("port", "ports"), "ポート"),
            (("fingerprint", "fingerprints"), "指紋"),
        ];
        let kinds: Vec<(usize, (&str, &str), &str)> = names
            .iter()
            .enumerate()
            .map(|(i, (en, ja))| (now[i].saturating_sub(self.base[i]), *en, *ja))
            .collect();
        let parts: Vec<String> = kinds
            .iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, (one, many), ja)| match self.lang {
                Lang::En => format!("{n} {}", if *n == 1 { one } else { many }),
                Lang::Ja => format!("{ja} {n} 件"),
            })
            .collect();
        if parts.is_empty() {
            return None;
        }
        Some(match self.lang {
            Lang::En => format!(
                "replaced {} by pseudonyms (the same value, the same pseudonym)",
                parts.join(", ")
            ),
            Lang::Ja => format!(
                "{}を仮名に置き換えました（同じ値は同じ仮名）",
                parts.join("、")
            ),
        })
    }

    /// The address classes not yet announced, as a comment line.
    fn classes(&mut self, lead: &str) -> Option<String> {
        let classes: std::collections::BTreeMap<&String, bool> = self
            .map
            .ipv4
            .values()
            .chain(self.map.ipv6.values())
            .filter(|(v, _)| !self.announced.contains(v))
            .map(|(v, private)| (v, *private))
            .collect();
        if classes.is_empty() {
            return None;
        }
        let mut list: Vec<String> = classes
            .iter()
            .map(|(v, private)| format!("{v} = {}", if *private { "private" } else { "public" }))
            .collect();
        list.sort();
        let names: Vec<String> = classes.keys().map(|v| v.to_string()).collect();
        self.announced.extend(names);
        Some(format!("{lead}{}\n", list.join(", ")))
    }

    fn drain(&mut self) -> std::vec::Drain<'_, Piece> {
        self.ready.drain(..)
    }
}

fn split_end(line: &str) -> (&str, &'static str) {
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
    fn hosting_service_names_are_kept_and_look_alikes_are_not() {
        let log = "ssh: Could not resolve hostname github.com: Temporary failure in name resolution\n\
                   ssh: Could not resolve hostname github.com.evil.example: Name or service not known\n";
        let r = redact(log);
        assert!(
            r.text.contains("hostname github.com: Temporary"),
            "{}",
            r.text
        );
        assert!(!r.text.contains("evil"), "{}", r.text);
    }

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
    fn protocol_names_versions_and_dot_files_are_no_one() {
        let text = "debug1: kex: algorithm: curve25519-sha256@libssh.org\n\
                    debug1: Requesting no-more-sessions@openssh.com\n\
                    [info] Using remote-ssh@0.51.0\n\
                    debug1: Reading configuration data /home/u/.ssh/config\n\
                    ec2-user@203.0.113.7: Permission denied (publickey).\n\
                    jdoe@jdoe-thinkpad:~$ ssh web\n\
                    err: Permission denied (publickey).\n\
                    local-server-3> ssh child died, shutting down\n\
                    Cannot find KDC for realm \"CORP.ACME.COM\"\n\
                    debug1: Connection to port 5432 forwarding to db-prod-7.internal port 5432 requested.\n\
                    debug1: auto-mux: Trying existing master at '/tmp/cm-jdoe3@prod-web-02:22'\n\
                    debug1: Remote: Forced command from ip-10-0-1-23.ec2.internal\n\
                    debug1: Connecting to ::ffff:198.51.100.23 port 22.\n\
                    debug1: identity file C:\\Users\\John Smith\\.ssh\\id_rsa type 0\n\
                    ERROR: Permission to acme/payments.git denied to jdoe2.\n\
                    Cloning into 'secret-repo'...\n\
                    debug1: Setting implicit ProxyCommand from ProxyJump: ssh -l jumpuser -W '[%h]:%p' bastion.acme.io\n\
                    Bad permissions. Try removing permissions for user: ACME\\jsmith (S-1-5-21-1111-2222-3333-1001) on file C:/Users/x/.ssh/id_ed25519.\n\
                    debug1: /home/x/.ssh/config line 4: Applying options for web\n\
                    debug1: /home/x/.ssh/config line 9: Applying options for *.internal-corp.net\n\
                    Contact jdoe@acme-corp.io for access\n";
        let r = redact(text).text;
        for kept in [
            "err: Permission denied",
            "ssh child died",
            "curve25519-sha256@libssh.org",
            "no-more-sessions@openssh.com",
            "remote-ssh@0.51.0",
            "/.ssh/config",
            "ec2-user@",
        ] {
            assert!(r.contains(kept), "{kept} lost:\n{r}");
        }
        for gone in [
            "jdoe",
            "acme-corp.io",
            "203.0.113.7",
            "thinkpad",
            " web",
            "internal-corp",
            "acme",
            "payments",
            "jdoe2",
            "secret-repo",
            "jumpuser",
            "bastion",
            "jsmith",
            "S-1-5-21",
            "jdoe3",
            "prod-web",
            "ip-10-0-1-23",
            "198.51.100.23",
            "John",
            "ACME.COM",
            "db-prod",
        ] {
            assert!(!r.contains(gone), "{gone} kept:\n{r}");
        }
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
