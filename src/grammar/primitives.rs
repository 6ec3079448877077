//! Parsers shared by the phase modules.

use crate::event::{Errno, Identity, List, Text};
use nom::bytes::complete::{tag, take_till};
use nom::character::complete::digit1;
use nom::combinator::{map_res, opt, rest};
use nom::{IResult, Parser};
use std::borrow::Cow;

/// Byte offset of `needle` in `hay`.
///
/// Lines are short and needles few, so setting up a substring searcher
/// (`str::find`, `memmem::find`) costs more than the search: this jumps
/// with memchr between occurrences of the needle's first non-space byte.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let k = n.iter().position(|&c| c != b' ').unwrap_or(0);
    let Some(&pivot) = n.get(k) else {
        return Some(0);
    };
    memchr::memchr_iter(pivot, h.get(k..)?).find(|&i| h[i..].starts_with(n))
}

/// A substring search whose finder is built once, on first use: for a
/// needle looked for in every line.
pub struct Needle {
    needle: &'static str,
    finder: std::sync::OnceLock<memchr::memmem::Finder<'static>>,
}

impl Needle {
    /// A needle (usable in a `static`).
    pub const fn new(needle: &'static str) -> Needle {
        Needle {
            needle,
            finder: std::sync::OnceLock::new(),
        }
    }

    /// Where it first stands in `hay`.
    pub fn find(&self, hay: &str) -> Option<usize> {
        self.finder
            .get_or_init(|| memchr::memmem::Finder::new(self.needle))
            .find(hay.as_bytes())
    }

    /// `hay` before and after its first occurrence.
    pub fn split<'a>(&self, hay: &'a str) -> Option<(&'a str, &'a str)> {
        let at = self.find(hay)?;
        Some((&hay[..at], &hay[at + self.needle.len()..]))
    }
}

/// An Aho-Corasick automaton over fixed patterns that starts as the
/// crate's own choice of kind (quick to build) and is built again as a DFA
/// (quicker to run, about a millisecond to build) once it has been used
/// [`WARM_USES`] times: a short input starts fast, a long one scans fast.
/// Both kinds find the same matches.
pub struct Warm {
    build: fn(Option<aho_corasick::AhoCorasickKind>) -> Option<aho_corasick::AhoCorasick>,
    quick: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    fast: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    uses: std::sync::atomic::AtomicUsize,
}

/// Uses of a [`Warm`] automaton before it is built as a DFA.
pub const WARM_USES: usize = 4096;

impl Warm {
    /// An automaton `build` makes with the kind it is given.
    pub const fn new(
        build: fn(Option<aho_corasick::AhoCorasickKind>) -> Option<aho_corasick::AhoCorasick>,
    ) -> Warm {
        Warm {
            build,
            quick: std::sync::OnceLock::new(),
            fast: std::sync::OnceLock::new(),
            uses: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The automaton; `None` if it could not be built.
    pub fn get(&self) -> Option<&aho_corasick::AhoCorasick> {
        if let Some(Some(fast)) = self.fast.get() {
            return Some(fast);
        }
        let quick = || self.quick.get_or_init(|| (self.build)(None)).as_ref();
        if self.uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < WARM_USES {
            return quick();
        }
        self.fast
            .get_or_init(|| (self.build)(Some(aho_corasick::AhoCorasickKind::DFA)))
            .as_ref()
            .or_else(quick)
    }
}

/// Borrows a string slice as an event field.
pub fn b(s: &str) -> Text<'_> {
    Cow::Borrowed(s)
}

/// An unsigned 16-bit number (a port).
pub fn port(i: &str) -> IResult<&str, u16> {
    map_res(digit1, str::parse::<u16>).parse(i)
}

/// An unsigned 32-bit number.
pub fn uint(i: &str) -> IResult<&str, u32> {
    map_res(digit1, str::parse::<u32>).parse(i)
}

/// A signed 32-bit number.
pub fn int(i: &str) -> IResult<&str, i32> {
    let (i, neg) = opt(tag("-")).parse(i)?;
    let (i, n) = map_res(digit1, str::parse::<i32>).parse(i)?;
    Ok((i, if neg.is_some() { -n } else { n }))
}

/// Everything up to (not including) `end` (nom's `take_until`, searching
/// with [`find`]).
pub fn upto<'a>(
    end: &'static str,
) -> impl Parser<&'a str, Output = &'a str, Error = nom::error::Error<&'a str>> {
    move |i: &'a str| match find(i, end) {
        Some(n) => Ok((&i[n..], &i[..n])),
        None => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::TakeUntil,
        ))),
    }
}

/// The rest of the input.
pub fn all(i: &str) -> IResult<&str, &str> {
    rest(i)
}

/// `'text'` — a single-quoted value.
pub fn single_quoted(i: &str) -> IResult<&str, &str> {
    let (i, _) = tag("'").parse(i)?;
    let (i, v) = take_till(|c| c == '\'').parse(i)?;
    let (i, _) = tag("'").parse(i)?;
    Ok((i, v))
}

/// An error text field with its classification.
pub fn error_text(s: &str) -> (Text<'_>, Errno) {
    let s = s.trim().trim_end_matches('.');
    (b(s), Errno::classify(s))
}

/// A list field.
pub fn list(s: &str) -> List<'_> {
    List(b(s.trim()))
}

/// Splits `path:LINE` at its last colon.
pub fn path_line(s: &str) -> Option<(&str, u32)> {
    let (path, n) = s.rsplit_once(':')?;
    let n = n.trim_end_matches('.').parse().ok()?;
    Some((path, n))
}

/// Parses ssh's `format_identity()` string:
/// `PATH TYPE SHA256:FP[ explicit][ token| authenticator][ agent]`.
///
/// The path may contain spaces (Windows profiles), so the string is read
/// from the fingerprint outwards.
pub fn identity(s: &str) -> Identity<'_> {
    let s = s.trim();
    let fp_at = [" SHA256:", " MD5:"]
        .iter()
        .filter_map(|m| find(s, m))
        .min();
    let Some(fp_at) = fp_at else {
        let (path, flags) = split_flags(s);
        return Identity {
            path: b(path),
            key_type: None,
            fingerprint: None,
            agent: flags.contains("agent"),
            explicit: flags.contains("explicit"),
        };
    };
    let head = &s[..fp_at];
    let tail = &s[fp_at + 1..];
    let (fingerprint, flags) = tail.split_once(' ').unwrap_or((tail, ""));
    let (path, key_type) = match head.rsplit_once(' ') {
        Some((p, t)) if looks_like_key_type(t) => (p, Some(b(t))),
        _ => (head, None),
    };
    Identity {
        path: b(path),
        key_type,
        fingerprint: Some(b(fingerprint)),
        agent: flags.split(' ').any(|f| f == "agent"),
        explicit: flags.split(' ').any(|f| f == "explicit"),
    }
}

/// Splits trailing ` explicit` / ` agent` flags off a path-only identity.
fn split_flags(s: &str) -> (&str, &str) {
    let mut path = s;
    let mut flags_start = s.len();
    while let Some((p, last)) = path.rsplit_once(' ') {
        if matches!(last, "explicit" | "agent" | "token" | "authenticator") {
            path = p;
            flags_start = p.len();
        } else {
            break;
        }
    }
    (path, &s[flags_start..])
}

/// `ED25519`, `RSA`, `ECDSA-SK`, `ED25519-CERT`, `ssh-rsa` ...
pub fn looks_like_key_type(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 40
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-@.".contains(c))
        && (t.chars().all(|c| !c.is_ascii_lowercase())
            || t.starts_with("ssh-")
            || t.starts_with("ecdsa-")
            || t.starts_with("sk-")
            || t.starts_with("rsa-"))
}

/// Decodes OpenSSH's `strnvis` encoding (`\\` → `\`, `\303\251` → `é`).
pub fn unvis(s: &str) -> Cow<'_, str> {
    if !s.contains('\\') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            if bytes[i + 1] == b'\\' {
                out.push(b'\\');
                i += 2;
                continue;
            }
            if i + 3 < bytes.len()
                && bytes[i + 1..i + 4]
                    .iter()
                    .all(|c| (b'0'..=b'7').contains(c))
            {
                let v = u32::from(bytes[i + 1] - b'0') * 64
                    + u32::from(bytes[i + 2] - b'0') * 8
                    + u32::from(bytes[i + 3] - b'0');
                if let Ok(byte) = u8::try_from(v) {
                    out.push(byte);
                    i += 4;
                    continue;
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn find_agrees_with_str_find(hay in "[ ab:é]{0,24}", needle in "[ ab:é]{0,4}") {
            prop_assert_eq!(find(&hay, &needle), hay.find(&needle));
        }
    }

    #[test]
    fn identity_full() {
        let id = identity("/home/u/.ssh/id_ed25519 ED25519 SHA256:abc/DEF+1 explicit agent");
        assert_eq!(id.path, "/home/u/.ssh/id_ed25519");
        assert_eq!(id.key_type.as_deref(), Some("ED25519"));
        assert_eq!(id.fingerprint.as_deref(), Some("SHA256:abc/DEF+1"));
        assert!(id.agent && id.explicit);
    }

    #[test]
    fn identity_with_spaces_and_cert() {
        let id = identity("C:\\\\Users\\\\John Smith/.ssh/id_rsa-cert RSA-CERT SHA256:x");
        assert_eq!(id.path, "C:\\\\Users\\\\John Smith/.ssh/id_rsa-cert");
        assert!(id.is_certificate());
        let agent = identity("user@laptop ED25519 SHA256:zz agent");
        assert_eq!(agent.path, "user@laptop");
        assert!(agent.agent);
    }

    #[test]
    fn identity_path_only() {
        let id = identity("/home/u/.ssh/id_rsa explicit");
        assert_eq!(id.path, "/home/u/.ssh/id_rsa");
        assert!(id.explicit);
        assert!(id.key_type.is_none());
    }

    #[test]
    fn unvis_decodes() {
        assert_eq!(unvis("C:\\\\Users\\\\me"), "C:\\Users\\me");
        assert_eq!(unvis("caf\\303\\251"), "café");
        assert_eq!(unvis("plain"), "plain");
        assert_eq!(unvis("trailing\\"), "trailing\\");
    }

    #[test]
    fn numbers() {
        assert_eq!(port("2222x"), Ok(("x", 2222)));
        assert!(port("99999").is_err());
        assert_eq!(int("-1"), Ok(("", -1)));
        assert_eq!(
            path_line("/h/.ssh/known_hosts:12"),
            Some(("/h/.ssh/known_hosts", 12))
        );
    }
}
