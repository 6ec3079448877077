//! Paste mode: the log typed or pasted into a terminal, read until Ctrl-D.
//!
//! A terminal in canonical mode hands over a line at its newline, or at
//! Ctrl-D: Ctrl-D on an empty line is the end of input, and Ctrl-D after
//! text without a newline hands that text over without one. People paste
//! a log without its last newline and press Ctrl-D once, so a read that
//! ends without a newline is taken as the end. The terminal also turns
//! each CR into a newline, so a CRLF log comes out with every line doubled
//! by an empty one; such a paste gets its empty lines back out.

use std::io::{self, Read};

/// The most a paste may hold: more than anyone pastes, and a bound.
const MAX: usize = 64 << 20;
/// What a terminal hands over at most in one read of one line (Linux
/// `N_TTY_BUF_SIZE` less one): a read this long may stop mid-line.
const TTY_LINE: usize = 4095;

/// Reads a paste from a terminal to its end (see the module docs).
pub fn read(mut input: impl Read) -> io::Result<Vec<u8>> {
    let mut text = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            break;
        }
        text.extend_from_slice(&buf[..n]);
        if text.len() >= MAX {
            text.truncate(MAX);
            break;
        }
        // Ctrl-D after a partial line: that line was the last.
        if buf[n - 1] != b'\n' && n < TTY_LINE {
            text.push(b'\n');
            break;
        }
    }
    Ok(undouble(text))
}

/// A CRLF paste turned into `line\n\nline\n\n` by the terminal: every
/// other line empty. Such a text loses its empty lines; any other keeps
/// them.
fn undouble(text: Vec<u8>) -> Vec<u8> {
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    // The text ends with a newline: the last piece is empty.
    let body = match lines.split_last() {
        Some((&[], body)) => body,
        _ => &lines[..],
    };
    let doubled = body.len() >= 4
        && body.chunks(2).all(|pair| match pair {
            [line, empty] => !line.is_empty() && empty.is_empty(),
            [line] => !line.is_empty(),
            _ => false,
        });
    if !doubled {
        return text;
    }
    let mut out = Vec::with_capacity(text.len() / 2 + 1);
    for line in body.iter().filter(|l| !l.is_empty()) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands over the given chunks one read at a time, as a
    /// terminal does.
    struct Chunks(Vec<&'static [u8]>);

    impl Read for Chunks {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            let c = self.0.remove(0);
            buf[..c.len()].copy_from_slice(c);
            Ok(c.len())
        }
    }

    #[test]
    fn a_partial_last_line_ends_the_paste() {
        let got = read(Chunks(vec![b"one\n", b"two (publickey)."])).expect("read");
        assert_eq!(got, b"one\ntwo (publickey).\n");
    }

    #[test]
    fn a_doubled_crlf_paste_is_undone_and_blank_lines_elsewhere_stay() {
        let got = read(Chunks(vec![
            b"a\n", b"\n", b"b\n", b"\n", b"c\n", b"\n", b"d\n", b"\n",
        ]))
        .expect("read");
        assert_eq!(got, b"a\nb\nc\nd\n");
        let kept = read(Chunks(vec![b"a\n", b"\n", b"b\n", b"c\n", b"\n", b"d\n"])).expect("read");
        assert_eq!(kept, b"a\n\nb\nc\n\nd\n");
    }
}
