//! Messages found anywhere in a line.
//!
//! Real pastes put ssh's messages behind prefixes nobody listed: indentation,
//! timestamps of every shape, container and pod tags, quotes, prose. When a
//! line does not parse from its start, the anchors say where a message may
//! start inside it: the `debugN: ` levels, every function name the grammar
//! routes on (`kex_exchange_identification: `), every distinctive first word
//! it routes on (`Permission`, `Offering`, `channel`: four letters or more), and the shapes without such a
//! word or with a short one (`ssh: `, `OpenSSH_`, `@@@`, `Load key `). All are found in one pass by one
//! Aho-Corasick automaton; the first few word starts of the line are tried
//! too (a message behind a short prefix of any shape); each match is backed up over a level and a
//! `name: ` prefix before it (`debug1: `, `git@github.com: `), and the line
//! is parsed again from there.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Anchors for the shapes that have no routed first word.
const SHAPES: &[&str] = &[
    "ssh: ",
    "OpenSSH_",
    "@@@@@@@",
    "ssh-keygen ",
    "Hi ",
    "ERROR: ",
    "FATAL: ",
    "fatal: ",
    "Load key ",
    "Host key ",
    "Bad owner ",
    "Bad configuration ",
    "Bad permissions",
    "Net::SSH::",
    "kex error : ",
    "Renci.SshNet.",
    // Exception classes printed inside a stack trace's own words
    // (`---> Tamir.SharpSsh.jsch.JSchException: Auth fail`).
    "JSchException: ",
    "KeyExchangeFailed: ",
];

/// The automaton over every anchor; `None` if it could not be built.
fn automaton() -> Option<&'static AhoCorasick> {
    static AUTOMATON: super::primitives::Warm = super::primitives::Warm::new(build);
    AUTOMATON.get()
}

/// The anchors' automaton, of the given kind.
fn build(kind: Option<AhoCorasickKind>) -> Option<AhoCorasick> {
    let mut patterns: Vec<String> = ["debug1: ", "debug2: ", "debug3: "]
        .iter()
        .chain(SHAPES)
        .map(|s| s.to_string())
        .collect();
    patterns.extend(super::function_names().map(|f| format!("{f}: ")));
    for w in super::first_words().filter(|w| distinctive(w)) {
        patterns.push(format!("{w} "));
        patterns.push(format!("{w}:"));
    }
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(kind)
        .build(patterns)
        .ok()
}

/// A first word that can start a message inside a line: four letters or
/// more, or three capitals (`PTY`, `X11`); shorter ones (`key`, `fd`, `R`)
/// are too common in other text.
fn distinctive(word: &str) -> bool {
    word.len() >= 4
        || (word.len() == 3
            && word
                .bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
}

/// Where messages may start in `text` after its first byte, in order: the
/// first few word starts, and each anchor's start backed up over a
/// `name: ` prefix and a `debugN: ` level as well as the anchor's own start
/// (a level is never backed up from).
pub fn starts(text: &str) -> Vec<usize> {
    let Some(ac) = automaton() else {
        return Vec::new();
    };
    let b = text.as_bytes();
    let mut out: Vec<usize> = Vec::new();
    // The first few words of the line: a prefix nobody listed (a tag, a
    // timestamp of any shape) ends where a word starts.
    let mut words = 0;
    for (i, w) in b.windows(2).enumerate() {
        if words == FIRST_WORDS {
            break;
        }
        if matches!(
            w[0],
            b' ' | b'\t' | b'|' | b']' | b')' | b'>' | b'"' | b'\'' | b'`' | b',' | b';' | b'}'
        ) && !w[1].is_ascii_whitespace()
        {
            words += 1;
            out.push(i + 1);
        }
    }
    for m in ac.find_iter(text) {
        let p = m.start();
        if p == 0 || b[p - 1].is_ascii_alphanumeric() || b[p - 1] == b'_' {
            continue;
        }
        let level = text[p..].starts_with("debug");
        for s in [if level { p } else { back_up(text, p) }, p] {
            if s > 0 {
                out.push(s);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// How many word starts at the front of a line are tried as message starts.
const FIRST_WORDS: usize = 6;

/// Backs up from an anchor over what belongs to the same message: a
/// `name: ` prefix that is a function (`sign_and_send_pubkey: `) or a
/// `user@host: `, then a `debugN: ` level (which always starts a message).
fn back_up(text: &str, mut p: usize) -> usize {
    for _ in 0..2 {
        let head = &text[..p];
        if let Some(rest) = ["debug1: ", "debug2: ", "debug3: "]
            .iter()
            .find_map(|l| head.strip_suffix(l))
        {
            return rest.len();
        }
        let Some(rest) = head.strip_suffix(": ") else {
            break;
        };
        let start = rest.len()
            - rest
                .bytes()
                .rev()
                .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'"' | b'\'' | b'`'))
                .count();
        let name = &rest[start..];
        if name.is_empty() || name.len() > 64 || !(name.contains('@') || name.contains('_')) {
            break;
        }
        p = start;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warm_automaton_finds_what_a_cold_one_finds() {
        // Built as a DFA after enough uses: the same matches as the first kind.
        let (Some(cold), Some(warm)) = (build(None), build(Some(AhoCorasickKind::DFA))) else {
            panic!("the anchors build");
        };
        for line in [
            "[pod/x/ssh] git@github.com: Permission denied (publickey).",
            "12:00:07 stderr: debug1: kex_exchange_identification: Connection closed by remote host",
            "plain prose, nothing to see",
        ] {
            let spans = |ac: &AhoCorasick| ac.find_iter(line).map(|m| m.span()).collect::<Vec<_>>();
            assert_eq!(spans(&cold), spans(&warm), "{line}");
        }
        let ac = super::super::primitives::Warm::new(build);
        for _ in 0..super::super::primitives::WARM_USES + 2 {
            assert!(ac.get().is_some());
        }
    }

    #[test]
    fn anchors_back_up_over_levels_and_prefixes() {
        let t = "   debug1: Offering public key: /k";
        assert_eq!(starts(t)[0], 3);
        let t = "[pod/x/ssh] git@github.com: Permission denied (publickey).";
        assert!(starts(t)
            .iter()
            .any(|&s| &t[s..] == "git@github.com: Permission denied (publickey)."));
        // Word starts are candidates too; a glued anchor is not.
        assert_eq!(starts("xOffering glued"), vec![10]);
    }

    #[test]
    fn messages_behind_unknown_prefixes_parse() {
        use crate::event::{EventKind as K, Level};
        let parse = crate::grammar::parse_text;
        let (level, kind) = parse("12:00:07 stderr: debug1: kex_exchange_identification: Connection closed by remote host");
        assert_eq!(level, Level::Debug1);
        assert!(matches!(kind, K::IdentClosed { .. }), "{kind:?}");
        let (_, kind) = parse("[pod/x/ssh] git@github.com: Permission denied (publickey).");
        assert!(
            matches!(kind, K::PermissionDenied { user: Some(ref u), .. } if u == "git"),
            "{kind:?}"
        );
        let (_, kind) = parse("I get \"Permission denied (publickey).\" every time");
        assert!(matches!(kind, K::PermissionDenied { .. }), "{kind:?}");
        assert!(matches!(
            parse("plain prose, nothing to see").1,
            K::Text { .. }
        ));
    }
}
