//! Removing terminal escape sequences from a line.

/// Removes ANSI/VT escape sequences (CSI, OSC, DCS and two-byte escapes) and
/// keeps everything else, control characters included: the renderers make
/// those visible.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\u{1b}') && !text.contains('\u{9b}') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
                    skip_string(&mut chars)
                }
                Some(_) | None => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Skips a CSI sequence's parameters up to and including its final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// Skips an OSC/DCS string up to BEL or ST (`ESC \`).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        if c == '\u{7}' || c == '\u{9c}' {
            break;
        }
        if c == '\u{1b}' {
            if chars.peek() == Some(&'\\') {
                chars.next();
            }
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn strips_colors_title_and_cursor_moves() {
        assert_eq!(clean("\x1b[1;31mred\x1b[0m"), "red");
        assert_eq!(clean("a\x1b]0;pwned title\x07b"), "ab");
        assert_eq!(clean("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "alink");
        assert_eq!(clean("\x1b[2J\x1b[Hx"), "x");
        assert_eq!(clean("keep\ttab\x07bel"), "keep\ttab\x07bel");
    }

    #[test]
    fn unterminated_escape_does_not_loop() {
        assert_eq!(clean("x\x1b["), "x");
        assert_eq!(clean("x\x1b]title"), "x");
        assert_eq!(clean("x\x1b"), "x");
    }
}
