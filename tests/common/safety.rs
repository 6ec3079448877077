//! Checks that output is safe, shared by `tests/injection.rs` and the fuzz
//! target: where an input value may stand in a suggested command, and what
//! Markdown an input may produce.

/// The parts of a POSIX shell command outside single quotes: what a shell
/// would expand or interpret (double-quoted text is included, since `$(...)`
/// and backticks run there).
pub fn unquoted(cmd: &str) -> String {
    let mut out = String::new();
    let mut chars = cmd.chars();
    let mut single = false;
    while let Some(c) = chars.next() {
        match (single, c) {
            (true, '\'') => single = false,
            (true, _) => {}
            (false, '\'') => single = true,
            (false, '\\') => {
                // An escaped character is literal.
                chars.next();
                out.push(' ');
            }
            (false, c) => out.push(c),
        }
    }
    out
}

/// Whether `value` (an input value holding a shell metacharacter and a
/// word) stands in `cmd` where a shell would interpret it.
pub fn value_unquoted(cmd: &str, value: &str) -> bool {
    let value = value.trim();
    let meta = |c: char| "$`;|&<>()\n\"'\\*?[]{}!#".contains(c) || c.is_whitespace();
    // A bare `&&` or `|` is also the command's own syntax: a payload is
    // metacharacters with something to run.
    value.chars().any(meta)
        && value.chars().any(|c| c.is_ascii_alphanumeric())
        && value.len() >= 3
        && unquoted(cmd).contains(value)
}

/// Markdown lines outside fenced code blocks, with code spans removed.
pub fn markdown_prose(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<usize> = None;
    for line in md.lines() {
        let ticks = line.trim_start().bytes().take_while(|c| *c == b'`').count();
        match fence {
            Some(n) if ticks >= n && line.trim() == "`".repeat(ticks) => {
                fence = None;
                continue;
            }
            Some(_) => continue,
            None if ticks >= 3 => {
                fence = Some(ticks);
                continue;
            }
            None => {}
        }
        out.push(outside_code_spans(line));
    }
    out
}

/// The text of a Markdown line outside its code spans (a run of N backticks
/// up to the next run of exactly N, as CommonMark reads them).
pub fn outside_code_spans(line: &str) -> String {
    let b = line.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let run = |from: usize| b[from..].iter().take_while(|c| **c == b'`').count();
    while i < b.len() {
        if b[i] == b'`' && (i == 0 || b[i - 1] != b'\\') {
            let n = run(i);
            let mut j = i + n;
            let mut close = None;
            while j < b.len() {
                if b[j] == b'`' {
                    let m = run(j);
                    if m == n {
                        close = Some(j + m);
                        break;
                    }
                    j += m;
                } else {
                    j += 1;
                }
            }
            match close {
                Some(end) => i = end,
                None => {
                    out.push_str(&line[i..i + n]);
                    i += n;
                }
            }
        } else {
            let c = line[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// A link, an image or an HTML tag in Markdown prose: `](`, `<` before a
/// letter or `/`, each not escaped by a backslash.
pub fn markup_in(prose: &str) -> Option<String> {
    let b = prose.as_bytes();
    for i in 0..b.len() {
        let escaped = i > 0 && b[i - 1] == b'\\';
        if escaped {
            continue;
        }
        let next = b.get(i + 1).copied();
        if b[i] == b']' && next == Some(b'(') {
            return Some(prose.to_string());
        }
        if b[i] == b'<' && next.is_some_and(|c| c.is_ascii_alphabetic() || c == b'/') {
            return Some(prose.to_string());
        }
    }
    None
}
