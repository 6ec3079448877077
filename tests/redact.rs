//! Redaction keeps every corpus trace diagnosable (the same causes, the
//! same cited lines) and leaks none of the identifiers the grammar extracted
//! from it, nor any planted where real output holds identifiers; the
//! protocol's own words stay.

use sshexplain::event::EventKind as K;
use std::collections::BTreeSet;

mod common;

/// Names that identify no one and stay: system accounts, loopback, hand
/// placeholders.
fn generic(s: &str) -> bool {
    matches!(
        s,
        "root" | "git" | "user" | "localhost" | "UNKNOWN" | "" | "ec2-user" | "ubuntu" | "pi"
    ) || s.starts_with("127.")
        || s == "::1"
        || sshexplain::redact::is_placeholder(s)
        || sshexplain::diagnose::platform::Hosting::is_public_name(s)
}

/// Identifiers the grammar extracted: users, hosts, addresses, non-22
/// ports, fingerprints, home-directory names.
fn identifiers(text: &str) -> BTreeSet<String> {
    let t = sshexplain::trace(text);
    let mut ids = BTreeSet::new();
    let d = t.destination();
    ids.extend(d.user);
    ids.extend(d.host.map(|h| {
        h.trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or("")
            .to_string()
    }));
    ids.extend(d.address);
    if let Some(p) = d.port.filter(|p| *p != 22) {
        ids.insert(p.to_string());
    }
    for n in t.events() {
        match n.kind() {
            K::Connecting { host, address, .. } => {
                ids.insert(host.to_string());
                ids.insert(address.to_string());
            }
            K::ServerHostKey { fingerprint, .. } | K::FingerprintLine { fingerprint } => {
                ids.insert(fingerprint.trim_end_matches('.').to_string());
            }
            K::OfferingKey { identity } | K::WillAttemptKey { identity } => {
                if let Some(fp) = &identity.fingerprint {
                    ids.insert(fp.to_string());
                }
            }
            K::IdentityFile { path, .. } | K::ReadingConfig { path } => {
                if let Some(rest) = path.strip_prefix("/home/") {
                    ids.insert(rest.split('/').next().unwrap_or("").to_string());
                }
            }
            _ => {}
        }
    }
    ids.retain(|s| !generic(s));
    ids
}

fn has_token(hay: &str, needle: &str) -> bool {
    let is_tok = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.');
    let b = hay.as_bytes();
    hay.match_indices(needle).any(|(i, _)| {
        let end = i + needle.len();
        let before = i == 0 || !is_tok(b[i - 1]);
        let after = end == b.len()
            || !is_tok(b[end])
            || (b[end] == b'.' && (end + 1 == b.len() || !is_tok(b[end + 1])));
        before && after
    })
}

#[test]
fn redacted_corpus_keeps_diagnoses_and_leaks_nothing() {
    let mut failures = Vec::new();
    let mut count = 0;
    for path in common::corpus_logs() {
        count += 1;
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("readable")).into_owned();
        let r = sshexplain::redact::redact(&text);
        let (a, b) = (sshexplain::diagnose(&text), sshexplain::diagnose(&r.text));
        // The causes, and the lines the primary cites.
        let ids = |d: &sshexplain::Diagnosis| {
            let mut s: Vec<&str> = d.secondary.iter().map(|f| f.cause.id).collect();
            s.sort();
            let lines: Vec<usize> = d.primary.evidence.iter().map(|e| e.line).collect();
            (d.primary.cause.id, s, lines)
        };
        if ids(&a) != ids(&b) {
            failures.push(format!(
                "{}: {:?} became {:?}",
                path.display(),
                ids(&a),
                ids(&b)
            ));
        }
        for id in identifiers(&text) {
            if has_token(&r.text, &id) {
                failures.push(format!(
                    "{}: `{id}` is still in the redacted text",
                    path.display()
                ));
            }
        }
    }
    println!("{count} traces redacted");
    assert!(count >= 200);
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The words of the SSH protocol that redaction must never touch: every
/// `name@openssh.com`-style algorithm or extension name, the client's and
/// the server's versions, and every line that lists algorithms (`KEX algorithms:`, `ciphers ctos:`, `Their offer:`,
/// `kex: algorithm:`, ...), stay as they were in every corpus trace.
#[test]
fn redaction_keeps_algorithms_and_extension_names() {
    let listing = [
        "algorithms: ",
        "ciphers ctos: ",
        "ciphers stoc: ",
        "MACs ctos: ",
        "MACs stoc: ",
        "compression ctos: ",
        "Their offer: ",
        "kex: algorithm: ",
        "kex: host key algorithm: ",
        "server-sig-algs=<",
    ];
    let mut failures = Vec::new();
    let mut names = 0;
    for path in common::corpus_logs() {
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("readable")).into_owned();
        let r = sshexplain::redact::redact(&text);
        for line in text.lines() {
            let protocol: Vec<&str> = line
                .split(|c: char| c.is_whitespace() || ",<>'\"()".contains(c))
                .filter(|t| t.ends_with("@openssh.com") || t.ends_with("@libssh.org"))
                .collect();
            names += protocol.len();
            for t in protocol {
                if !r.text.contains(t) {
                    failures.push(format!("{}: `{t}` was changed", path.display()));
                }
            }
            // Versions: the client's (`OpenSSH_9.2p1, OpenSSL ...`) and the
            // server's (`remote software version OpenSSH_9.2p1 Debian-2`).
            if line.starts_with("OpenSSH_") {
                let version = line.split([',', ' ']).next().unwrap_or("");
                if !r.text.contains(version) {
                    failures.push(format!("{}: `{version}` was changed", path.display()));
                }
            }
            if let Some((_, v)) = line.split_once("remote software version ") {
                if !r.text.contains(v.trim_end()) {
                    failures.push(format!("{}: `{v}` was changed", path.display()));
                }
            }
            if let Some(at) = listing
                .iter()
                .find_map(|l| line.find(l).map(|i| i + l.len()))
            {
                let list = line[at..].trim_end();
                if !list.is_empty() && !r.text.contains(list) {
                    failures.push(format!("{}: the list `{list}` was changed", path.display()));
                }
            }
        }
    }
    assert!(names > 1000, "only {names} protocol names in the corpus");
    failures.sort();
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
}

/// The places identifiers stand in real output, each a line with slots:
/// `{u}` a user, `{h}` a host, `{r}` a repository, `{o}` an account.
const PLACES: &[&str] = &[
    "{u}@{h}:~$ ssh {u}@{h}",
    "debug1: Authenticating to {h}:22 as '{u}'",
    "debug1: /home/{u}/.ssh/config line 4: Applying options for {h}",
    "ERROR: Permission to {o}/{r}.git denied to {u}.",
    "Cloning into '{r}'...",
    "debug1: Setting implicit ProxyCommand from ProxyJump: ssh -l {u} -W '[%h]:%p' {h}",
    "debug1: Offering public key: {u}@{h} ED25519 SHA256:AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl agent",
    "Bad permissions. Try removing permissions for user: {o}\\{u} (S-1-5-21-11-22-33-1001) on file C:/Users/{u}/.ssh/id_ed25519.",
    "{u}@{h}: Permission denied (publickey).",
    "debug1: auto-mux: Trying existing master at '/home/{u}/.ssh/cm-{o}@{h}:22'",
    "debug1: Remote: Forced command from {h}",
    "debug1: Executing proxy command: exec ssh -W %h:%p {u}@{h}",
    "debug1: identity file C:\\Users\\{u} {o}\\.ssh\\id_rsa type 0",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Identifiers planted at the places above, inside a corpus trace, are
    /// all replaced, wherever else they reappear.
    #[test]
    fn planted_identifiers_are_all_replaced(
        trace in 0usize..10_000,
        place in proptest::sample::subsequence((0..PLACES.len()).collect::<Vec<_>>(), 1..=PLACES.len()),
        at in 0usize..10_000,
        ids in proptest::array::uniform4("[a-z][a-z0-9]{3,8}(-[a-z0-9]{2,5})?"),
    ) {
        let logs = common::corpus_logs();
        let path = &logs[trace % logs.len()];
        let text = String::from_utf8_lossy(&std::fs::read(path).expect("readable")).into_owned();
        // Made unlike any word of ssh's: a prefix no message has.
        let [u, h, r, o] = ids.map(|s| format!("zq{s}"));
        let h = format!("{h}.example-corp.net");
        let planted: Vec<String> = place
            .iter()
            .map(|&i| {
                PLACES[i]
                    .replace("{u}", &u)
                    .replace("{h}", &h)
                    .replace("{r}", &r)
                    .replace("{o}", &o)
            })
            .collect();
        let mut lines: Vec<&str> = text.lines().collect();
        let at = at % (lines.len() + 1);
        for (k, p) in planted.iter().enumerate() {
            lines.insert(at + k, p);
        }
        let out = sshexplain::redact::redact(&lines.join("\n")).text;
        for secret in [&u, &h, &r, &o] {
            let used = planted.iter().any(|p| p.contains(secret.as_str()));
            proptest::prop_assert!(
                !used || !out.contains(secret.as_str()),
                "{secret} survives in {}:\n{}",
                path.display(),
                out.lines().filter(|l| l.contains(secret.as_str())).collect::<Vec<_>>().join("\n")
            );
        }
    }
}
