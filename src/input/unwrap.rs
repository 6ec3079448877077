//! Unwrapping the containers real pastes come in.
//!
//! People rarely paste bare `ssh -v` output. It arrives with VS Code
//! Remote-SSH timestamps (`[12:34:56.789] > debug1: ...`), CI and journald
//! timestamps, GitHub Actions `##[error]` markers, forum `> ` quotes, or as a
//! JSON / Python string inside Ansible output, with `\r\n` escapes standing
//! for line ends. This module peels those layers off one line at a time and
//! keeps the time of day when a wrapper gives one.

use super::Line;
use std::collections::VecDeque;

/// Unwraps one cleaned physical line into one or more logical lines.
pub fn unwrap_line(number: usize, text: &str, out: &mut VecDeque<Line>) {
    unwrap_nested(number, text, out, 0);
}

/// [`unwrap_line`] for a line at `depth` levels of string literals (a log
/// inside Ansible's JSON inside another tool's JSON record).
fn unwrap_nested(number: usize, text: &str, out: &mut VecDeque<Line>, depth: usize) {
    if let Some(parts) = escaped_log(text) {
        for (part, is_payload) in parts {
            if is_payload && depth < 2 && escaped_log(&part).is_some() {
                unwrap_nested(number, &part, out, depth + 1);
                continue;
            }
            let (time_ms, tag, rest) = if is_payload {
                strip_tagged(&part)
            } else {
                (None, None, part.as_str())
            };
            out.push_back(Line {
                number,
                text: rest.to_string(),
                time_ms,
                tag: tag.map(str::to_string),
            });
        }
        return;
    }
    if let Some((tag, message)) = journal_record(text) {
        out.push_back(Line {
            number,
            text: message,
            time_ms: None,
            tag: Some(tag),
        });
        return;
    }
    let (time_ms, tag, rest) = strip_tagged(text);
    out.push_back(Line {
        number,
        text: rest.to_string(),
        time_ms,
        tag: tag.map(str::to_string),
    });
}

/// Strips timestamp, CI marker and quote prefixes; returns the time of day
/// (milliseconds) when one was found.
pub fn strip_prefixes(text: &str) -> (Option<u64>, &str) {
    let (time, _, rest) = strip_tagged(text);
    (time, rest)
}

/// [`strip_prefixes`], also returning the program tag of a syslog or
/// journal prefix (`sshd[811]`).
pub fn strip_tagged(mut text: &str) -> (Option<u64>, Option<&str>, &str) {
    let mut time = None;
    let mut tag = None;
    for _ in 0..6 {
        let before = text.len();
        if let Some((t, rest)) = bracket_clock(text) {
            time = time.or(Some(t));
            text = rest;
        } else if let Some((t, rest)) = iso_timestamp(text) {
            time = time.or(Some(t));
            text = rest;
            // RFC 3339 syslog and `journalctl -o short-iso`: `HOST TAG: `.
            if let Some((g, rest)) = host_tag(text).or_else(|| fail2ban_tag(text)) {
                tag = tag.or(Some(g));
                text = rest;
            }
        } else if let Some((t, g, rest)) = syslog_prefix(text).or_else(|| dropbear_prefix(text)) {
            time = time.or(Some(t));
            tag = tag.or(Some(g));
            text = rest;
        } else if let Some(rest) = process_tag(text).or_else(|| sshkit_prefix(text)) {
            text = rest;
        } else if let Some((g, rest)) = loose_tag(text) {
            time = time.or_else(|| clock_in(&text[..text.len() - rest.len()]));
            tag = tag.or(Some(g));
            text = rest;
        } else if let Some(rest) = actions_marker(text) {
            text = rest;
        } else if let Some(rest) = quote_marker(text) {
            text = rest;
        }
        if text.len() == before {
            break;
        }
    }
    (time, tag, text)
}

/// `HOST PROGRAM[PID]: ` after a timestamp: the host is one word, the tag a
/// program name with its process id in brackets.
fn host_tag(s: &str) -> Option<(&str, &str)> {
    let (host, rest) = s.split_once(' ')?;
    if host.is_empty() || host.contains(['[', ':']) {
        return None;
    }
    let colon = crate::grammar::primitives::find(rest, ": ")?;
    let tag = &rest[..colon];
    let (program, pid) = tag.strip_suffix(']')?.split_once('[')?;
    (!program.is_empty()
        && !program.contains(' ')
        && !pid.is_empty()
        && pid.bytes().all(|c| c.is_ascii_digit()))
    .then(|| (tag, &rest[colon + 2..]))
}

/// Server programs whose lines may stand behind their bare name.
const BARE_PROGRAMS: [&str; 3] = ["sshd: ", "sshd-session: ", "dropbear: "];

/// A syslog-style `PROGRAM[PID]: ` tag behind a prefix of any other shape
/// (a localized or missing date, no host, a facility like `auth.info`,
/// OpenWrt's `logread`, a collector's `LEVEL | `), or `sshd: ` /
/// `dropbear: ` at the start of a line: the tag and the message after it.
fn loose_tag(s: &str) -> Option<(&str, &str)> {
    for program in BARE_PROGRAMS {
        if let Some(rest) = s.strip_prefix(program) {
            return Some((&s[..program.len() - 2], rest));
        }
    }
    let mut cut = s.len().min(96);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &s[..cut];
    let mut from = 0;
    while let Some(i) = crate::grammar::primitives::find(&head[from..], "]: ") {
        let end = from + i;
        let open = head[..end].rfind('[')?;
        let name_start = head[..open]
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || "_.-@/".contains(c)))
            .map_or(0, |(j, c)| j + c.len_utf8());
        let (program, pid) = (&head[name_start..open], &head[open + 1..end]);
        if program.starts_with(|c: char| c.is_ascii_alphabetic())
            && !pid.is_empty()
            && pid.bytes().all(|c| c.is_ascii_digit())
        {
            return Some((&s[name_start..=end], &s[end + 3..]));
        }
        from = end + 3;
    }
    None
}

/// fail2ban's own log after its timestamp: `fail2ban.MODULE   [PID]: `
/// (the module name padded with spaces).
fn fail2ban_tag(s: &str) -> Option<(&str, &str)> {
    if !s.starts_with("fail2ban.") {
        return None;
    }
    let end = crate::grammar::primitives::find(s, "]: ")?;
    let tag = &s[..=end];
    let (program, pid) = tag.strip_suffix(']')?.split_once('[')?;
    (!program.trim_end().contains(' ') && pid.bytes().all(|c| c.is_ascii_digit()))
        .then(|| (tag, &s[end + 3..]))
}

/// A `journalctl -o json` record: its `MESSAGE`, tagged with
/// `SYSLOG_IDENTIFIER[_PID]`.
fn journal_record(s: &str) -> Option<(String, String)> {
    if !s.starts_with('{') || !s.contains("\"MESSAGE\":") {
        return None;
    }
    let record: serde_json::Map<String, serde_json::Value> = serde_json::from_str(s).ok()?;
    let field = |k: &str| record.get(k).and_then(serde_json::Value::as_str);
    let message = field("MESSAGE")?;
    let program = field("SYSLOG_IDENTIFIER").or_else(|| field("_COMM"))?;
    let tag = match field("_PID").or_else(|| field("SYSLOG_PID")) {
        Some(pid) => format!("{program}[{pid}]"),
        None => program.to_string(),
    };
    Some((tag, message.to_string()))
}

/// `hh:mm:ss[.fff]` at the start of `s`: (milliseconds, rest).
fn clock(s: &str) -> Option<(u64, &str)> {
    let b = s.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let num = |i: usize| -> Option<u64> {
        let (x, y) = (b[i], b[i + 1]);
        (x.is_ascii_digit() && y.is_ascii_digit()).then(|| u64::from((x - b'0') * 10 + (y - b'0')))
    };
    let (h, m, sec) = (num(0)?, num(3)?, num(6)?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let mut ms = ((h * 60 + m) * 60 + sec) * 1000;
    let mut rest = &s[8..];
    if let Some(frac) = rest.strip_prefix(['.', ',']) {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let mut scaled = 0u64;
        for (i, d) in frac
            .bytes()
            .take(3)
            .enumerate()
            .filter(|(i, _)| *i < digits)
        {
            scaled += u64::from(d - b'0') * [100, 10, 1][i];
        }
        ms += scaled;
        rest = &frac[digits..];
    }
    Some((ms, rest))
}

/// The first time of day (`hh:mm:ss[.fff]`) anywhere in `s`: a prefix of
/// unknown shape before a message may still carry one.
pub fn clock_in(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(7))
        .filter(|&i| b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()))
        .find_map(|i| clock(&s[i..]).map(|(ms, _)| ms))
}

/// VS Code's `[12:34:56.789] ` (optionally followed by `> `, handled by the
/// quote rule).
fn bracket_clock(s: &str) -> Option<(u64, &str)> {
    let inner = s.strip_prefix('[')?;
    let (ms, rest) = clock(inner)?;
    let rest = rest.strip_prefix(']')?;
    Some((ms, rest.strip_prefix(' ').unwrap_or(rest)))
}

/// `2024-01-02T03:04:05.678Z `, `2024-01-02 03:04:05,123 [info] `, with an
/// optional zone and an optional `[level]` tag after it.
fn iso_timestamp(s: &str) -> Option<(u64, &str)> {
    let b = s.as_bytes();
    if b.len() < 19
        || !b[..4].iter().all(u8::is_ascii_digit)
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ')
    {
        return None;
    }
    let (ms, mut rest) = clock(&s[11..])?;
    if let Some(r) = rest.strip_prefix('Z') {
        rest = r;
    } else if rest.starts_with(" +") || rest.starts_with(" -") {
        rest = &rest[1..];
    }
    if rest.starts_with(['+', '-']) && rest.len() >= 6 {
        let zone_len = rest[1..]
            .bytes()
            .take_while(|c| c.is_ascii_digit() || *c == b':')
            .count();
        rest = &rest[1 + zone_len..];
    }
    let rest = rest.strip_prefix(' ')?;
    let rest = match rest.strip_prefix('[') {
        Some(r) if r.find(']').is_some_and(|i| i <= 12) => {
            let i = r.find(']').unwrap_or(0);
            r[i + 1..].strip_prefix(' ').unwrap_or(&r[i + 1..])
        }
        _ => rest,
    };
    Some((ms, rest))
}

/// Month names as syslog writes them.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Whether [`strip_prefixes`] could find a prefix at the start of `line`: it
/// starts with something other than a letter (timestamps, brackets, braces,
/// `#`, `>`, spaces) or with a month name (syslog, the one letter-initial
/// prefix). A cheap test for the reader's fast path.
pub fn may_have_prefix(line: &[u8]) -> bool {
    match line.first() {
        Some(c) if c.is_ascii_alphabetic() => {
            (matches!(c, b'A' | b'D' | b'F' | b'J' | b'M' | b'N' | b'O' | b'S')
                && MONTHS.iter().any(|m| line.starts_with(m.as_bytes())))
                // A `PROGRAM[PID]: ` tag after a prefix of another shape
                // (a `]` then `: `, found without building a searcher per line).
                || {
                    let head = &line[..line.len().min(96)];
                    memchr::memchr_iter(b']', head).any(|i| head[i + 1..].starts_with(b": "))
                }
                || BARE_PROGRAMS.iter().any(|p| line.starts_with(p.as_bytes()))
        }
        _ => true,
    }
}

/// `Jan  2 03:04:05 host tag[pid]: ` (syslog and `journalctl` short format):
/// the time, the tag and the message.
fn syslog_prefix(s: &str) -> Option<(u64, &str, &str)> {
    let month = s.get(..3)?;
    if !MONTHS.contains(&month) {
        return None;
    }
    let rest = s[3..].trim_start_matches(' ');
    let day_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if day_len == 0 || day_len > 2 {
        return None;
    }
    let rest = rest[day_len..].strip_prefix(' ')?;
    let (ms, rest) = clock(rest)?;
    let rest = rest.strip_prefix(' ')?;
    let (_host, rest) = rest.split_once(' ')?;
    let colon = crate::grammar::primitives::find(rest, ": ")?;
    let tag = &rest[..colon];
    if tag.is_empty() || tag.contains(' ') {
        return None;
    }
    Some((ms, tag, &rest[colon + 2..]))
}

/// Dropbear's stderr (`dropbear -E`): `[PID] Mon DD hh:mm:ss MESSAGE`.
/// The tag is `[PID]`, which [`crate::sides`] reads as Dropbear's.
fn dropbear_prefix(s: &str) -> Option<(u64, &str, &str)> {
    let inner = s.strip_prefix('[')?;
    let end = crate::grammar::primitives::find(inner, "] ")?;
    if end == 0 || !inner[..end].bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let rest = &inner[end + 2..];
    if !MONTHS.contains(&rest.get(..3)?) || rest.as_bytes().get(3) != Some(&b' ') {
        return None;
    }
    let day = rest.get(4..6)?;
    if !day.trim_start().bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (ms, rest) = clock(rest.get(7..)?)?;
    Some((ms, &s[..end + 2], rest.strip_prefix(' ')?))
}

/// GitHub Actions / Azure Pipelines log commands: `##[error]text`.
fn actions_marker(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("##[")?;
    let end = rest.find(']')?;
    let tag = &rest[..end];
    matches!(tag, "error" | "warning" | "debug" | "notice" | "info").then(|| &rest[end + 1..])
}

/// Forum / e-mail quoting and VS Code's `> ` marker.
fn quote_marker(s: &str) -> Option<&str> {
    let rest = s.strip_prefix('>')?;
    if rest.starts_with(['=', '&']) {
        return None;
    }
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// Capistrano / SSHKit: `      01 TEXT` (six spaces, the host's number).
fn sshkit_prefix(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("      ")?;
    let b = rest.as_bytes();
    (b.len() >= 3 && b[0].is_ascii_digit() && b[1].is_ascii_digit() && b[2] == b' ')
        .then(|| &rest[3..])
}

/// SSHFS-Win's log: `{f45bed83-...} stderr: TEXT`.
fn process_tag(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('{')?;
    let end = crate::grammar::primitives::find(inner, "} ")?;
    if end < 8
        || !inner[..end]
            .bytes()
            .all(|c| c.is_ascii_hexdigit() || c == b'-')
    {
        return None;
    }
    let rest = &inner[end + 2..];
    ["stderr: ", "stdout: "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
}

/// The one escaped-log opener that needs no quote or backslash before it
/// (Ansible's message on a line of its own).
pub const BARE_OPENER: &str = "via ssh: ";

/// Where an escaped log starts in Ansible and similar output, and the quote
/// that ends its string literal.
const OPENERS: [(&str, char); 6] = [
    (BARE_OPENER, '"'),
    ("\"stderr\": \"", '"'),
    ("\"module_stderr\": \"", '"'),
    ("\"msg\": \"", '"'),
    ("b'", '\''),
    ("b\"", '"'),
];

/// Decodes a line holding a whole log inside a string literal with `\n`
/// escapes. Returns the pieces and whether each is decoded payload.
fn escaped_log(text: &str) -> Option<Vec<(String, bool)>> {
    let first_escape = match crate::grammar::primitives::find(text, "\\n") {
        Some(i) => i,
        None if text.contains(BARE_OPENER) => text.len(),
        None => return None,
    };
    let known = OPENERS
        .iter()
        .filter_map(|(o, q)| {
            let i = text[..first_escape].rfind(o)?;
            // `b'` / `b"` open a bytes literal only as a word of their own
            // (not the `b"` of a JSON key `"b":`).
            let glued = o.starts_with('b')
                && text[..i]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '"' || c == '_');
            (!glued).then_some((i + o.len(), *q))
        })
        .max_by_key(|(i, _)| *i);
    let generic = any_string_literal(text, first_escape);
    let (start, quote) = match (known, generic) {
        // A known opener inside another literal that escapes it a second
        // time (`\"msg\"`, `\\r\\n`: a tool's JSON record around Ansible's
        // output): the outer literal first, the inner one on the next level.
        (Some((k, _)), Some((g, q, end)))
            if g < k
                && k <= end
                && (text[g..end].contains(r"\\") || text[g..k].contains(r#"\""#)) =>
        {
            (g, q)
        }
        (Some(k), _) => k,
        (None, g) => g.map(|(g, q, _)| (g, q))?,
    };
    let mut parts = Vec::new();
    if start > 0 {
        parts.push((text[..start].to_string(), false));
    }
    let mut cur = String::new();
    let mut chars = text[start..].char_indices();
    let mut end = text.len();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            end = start + i;
            break;
        }
        if c != '\\' {
            cur.push(c);
            continue;
        }
        match chars.next() {
            Some((_, 'n')) => parts.push((std::mem::take(&mut cur), true)),
            Some((_, 'r')) => {}
            Some((_, 't')) => cur.push('\t'),
            Some((_, 'u')) => {
                let hex: String = chars.by_ref().take(4).map(|(_, c)| c).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => cur.push(ch),
                    None => cur.push('\u{fffd}'),
                }
            }
            Some((_, 'x')) => {
                let hex: String = chars.by_ref().take(2).map(|(_, c)| c).collect();
                match u8::from_str_radix(&hex, 16) {
                    Ok(byte) if byte.is_ascii() => cur.push(char::from(byte)),
                    _ => cur.push('\u{fffd}'),
                }
            }
            Some((_, other)) => cur.push(other),
            None => {}
        }
    }
    if !cur.is_empty() {
        parts.push((cur, true));
    }
    if end < text.len() {
        let tail = &text[end..];
        if tail.len() > 1 {
            parts.push((tail.to_string(), false));
        }
    }
    Some(parts)
}

/// Any other string literal (a JSON value, a Python or bytes literal)
/// holding the `\n` escape at `escape` (its start, quote and end): it is a log when it holds two line
/// escapes, or ends with one (Docker's json-file `{"log":"...\n",...}`), so a
/// lone `\n` in a Windows path (`"C:\new\k"`) is left alone.
fn any_string_literal(text: &str, escape: usize) -> Option<(usize, char, usize)> {
    // Walk the literals from the start of the line to the one holding the escape.
    let mut open: Option<(usize, char)> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match open {
            Some((start, q)) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    if start <= escape && escape < i {
                        let literal = &text[start..i];
                        let log = literal.matches("\\n").count() >= 2 || literal.ends_with("\\n");
                        return log.then_some((start, q, i));
                    }
                    open = None;
                }
            }
            None if c == '"' || c == '\'' => {
                if i > escape {
                    return None;
                }
                open = Some((i + 1, c));
            }
            None => {}
        }
    }
    // An unclosed literal (the line was cut) holding the escape.
    let (start, q) = open?;
    (start <= escape && text[start..].matches("\\n").count() >= 2).then_some((start, q, text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> (Option<u64>, String) {
        let (t, r) = strip_prefixes(s);
        (t, r.to_string())
    }

    #[test]
    fn loose_tags() {
        let t = |s| strip_tagged(s).1.map(str::to_string);
        assert_eq!(
            t("janv. 29 20:44:09 sshd[1891]: x").as_deref(),
            Some("sshd[1891]")
        );
        assert_eq!(t("auth.info sshd[37]: x").as_deref(), Some("sshd[37]"));
        assert_eq!(t("!INFO    | sshd[3531]: x").as_deref(), Some("sshd[3531]"));
        assert_eq!(t("[17990] Dec 06 22:24:09 x").as_deref(), Some("[17990]"));
        // A multi-byte character right before the program name.
        assert_eq!(t("\u{FFFD}sshd[1]: x").as_deref(), Some("sshd[1]"));
        assert_eq!(t("~ \u{FFFD}R[12]: x").as_deref(), Some("R[12]"));
        assert_eq!(t("[12]: x"), None);
    }

    #[test]
    fn vscode_prefix() {
        assert_eq!(
            one("[12:34:56.789] > debug1: Connecting to x"),
            (Some(45_296_789), "debug1: Connecting to x".into())
        );
        assert_eq!(
            one("[08:00:01.002] Running script"),
            (Some(28_801_002), "Running script".into())
        );
    }

    #[test]
    fn iso_and_vscode_output_channel() {
        assert_eq!(one("2024-01-02T03:04:05.1234567Z debug1: x").1, "debug1: x");
        assert_eq!(
            one("2025-03-01 10:00:00.500 [info] [10:00:00.499] > debug1: y"),
            (Some(36_000_500), "debug1: y".into())
        );
        assert_eq!(one("2024-01-02 03:04:05,123 +0100 z").1, "z");
    }

    #[test]
    fn syslog_and_journald() {
        assert_eq!(
            one("Jan  2 03:04:05 pi sshd[811]: Connection closed").1,
            "Connection closed"
        );
        assert_eq!(one("Jan 2 03:04 not a clock").1, "Jan 2 03:04 not a clock");
    }

    #[test]
    fn actions_and_quotes() {
        assert_eq!(
            one("##[error]Permission denied (publickey).").1,
            "Permission denied (publickey)."
        );
        assert_eq!(one("> > debug1: quoted").1, "debug1: quoted");
        assert_eq!(one("##[group]Run ssh").1, "##[group]Run ssh");
        assert_eq!(one("->arrow").1, "->arrow");
    }

    #[test]
    fn ansible_json_string() {
        let line = r#"fatal: [pi]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: OpenSSH_8.9p1 Ubuntu-3, OpenSSL 3.0.2 15 Mar 2022\r\ndebug1: Reading configuration data /etc/ssh/ssh_config\r\npi@10.0.0.5: Permission denied (publickey).", "unreachable": true}"#;
        let mut out = VecDeque::new();
        unwrap_line(7, line, &mut out);
        let texts: Vec<_> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                r#"fatal: [pi]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: "#,
                "OpenSSH_8.9p1 Ubuntu-3, OpenSSL 3.0.2 15 Mar 2022",
                "debug1: Reading configuration data /etc/ssh/ssh_config",
                "pi@10.0.0.5: Permission denied (publickey).",
                r#"", "unreachable": true}"#,
            ]
        );
        assert!(out.iter().all(|l| l.number == 7));
    }

    #[test]
    fn ansible_single_line_message() {
        let line = r#"fatal: [h]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: ssh: connect to host 10.0.0.5 port 22: Connection timed out", "unreachable": true}"#;
        let mut out = VecDeque::new();
        unwrap_line(1, line, &mut out);
        assert_eq!(
            out[1].text,
            "ssh: connect to host 10.0.0.5 port 22: Connection timed out"
        );
    }

    #[test]
    fn sshfs_win_and_nested_quotes() {
        assert_eq!(
            one("{f45bed83-1b03-4719-a385-f9a2a9f547ca} stderr: Bad owner or permissions on /x").1,
            "Bad owner or permissions on /x"
        );
        assert_eq!(
            one(">> getsockname failed: Not a socket").1,
            "getsockname failed: Not a socket"
        );
        assert_eq!(one(">= 3").1, ">= 3");
        assert_eq!(
            one("      01 ERROR: Repository not found.").1,
            "ERROR: Repository not found."
        );
        assert_eq!(one("      1 item").1, "      1 item");
    }

    #[test]
    fn ansible_python_bytes() {
        let line = r"<10.0.0.5> (255, b'', b'OpenSSH_8.2p1, OpenSSL 1.1.1f\r\ndebug1: x \\ y\r\n')";
        let mut out = VecDeque::new();
        unwrap_line(1, line, &mut out);
        let texts: Vec<_> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "<10.0.0.5> (255, b'', b'",
                "OpenSSH_8.2p1, OpenSSL 1.1.1f",
                "debug1: x \\ y",
                "')"
            ]
        );
    }
}
