//! Reading input as a stream of logical lines.
//!
//! Bytes come in from a file, a pipe or a string; lines come out with their
//! 1-based physical line number, cleaned of line ends, invalid UTF-8 and ANSI
//! escapes, and unwrapped from the containers real pastes come in (see
//! [`unwrap`]). One physical line can yield several logical lines (an Ansible
//! JSON string holding a whole `ssh -vvv` log) and all of them carry the
//! physical line's number.

mod clean;
pub mod unwrap;

use std::collections::VecDeque;
use std::io::{self, BufRead};

pub use clean::clean;

/// Longest physical line kept, in bytes; the rest is dropped with a marker.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// One logical line of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based number of the physical line in the input.
    pub number: usize,
    /// The text, cleaned and unwrapped.
    pub text: String,
    /// Milliseconds since midnight, when a wrapper gave a time of day.
    pub time_ms: Option<u64>,
}

/// Splits any [`BufRead`] into [`Line`]s with bounded memory.
///
/// Lines longer than [`MAX_LINE_BYTES`] are truncated and marked; the reader
/// never holds more than one physical line.
pub struct LineReader<R> {
    reader: R,
    raw: Vec<u8>,
    number: usize,
    pending: VecDeque<Line>,
    done: bool,
    /// The line lent out by [`LineReader::next_line`], its buffer reused.
    current: Line,
}

impl<R: BufRead> LineReader<R> {
    /// Wraps a reader.
    pub fn new(reader: R) -> Self {
        LineReader {
            reader,
            raw: Vec::new(),
            number: 0,
            pending: VecDeque::new(),
            done: false,
            current: Line {
                number: 0,
                text: String::new(),
                time_ms: None,
            },
        }
    }

    /// The next logical line, lent out: plain lines are copied into one
    /// reused buffer, so reading allocates nothing per line. (The
    /// [`Iterator`] impl hands out owned lines instead.)
    pub fn next_line(&mut self) -> Option<io::Result<&Line>> {
        loop {
            if let Some(line) = self.pending.pop_front() {
                self.current = line;
                return Some(Ok(&self.current));
            }
            if self.done {
                return None;
            }
            match self.read_physical() {
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Ok(Some(dropped)) => {
                    self.number += 1;
                    if dropped == 0 {
                        if let Ok(text) = std::str::from_utf8(&self.raw) {
                            if is_plain(text) {
                                self.current.number = self.number;
                                self.current.time_ms = None;
                                self.current.text.clear();
                                self.current.text.push_str(text.trim_end_matches('\r'));
                                return Some(Ok(&self.current));
                            }
                        }
                    }
                    self.split_raw(dropped);
                }
            }
        }
    }

    /// The full path for one physical line: decode, mark truncation, clean
    /// and unwrap into `pending`.
    fn split_raw(&mut self, dropped: usize) {
        let mut text = match std::str::from_utf8(&self.raw) {
            Ok(s) => s.to_owned(),
            Err(_) => String::from_utf8_lossy(&self.raw).into_owned(),
        };
        if dropped > 0 {
            text.push_str(&format!(" [… {dropped} bytes truncated]"));
        }
        split_physical(self.number, &text, &mut self.pending);
    }

    /// Reads one physical line into `self.raw`; returns the number of bytes
    /// dropped beyond the limit, or `None` at end of input.
    fn read_physical(&mut self) -> io::Result<Option<usize>> {
        self.raw.clear();
        let mut dropped = 0usize;
        let mut any = false;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(if any { Some(dropped) } else { None });
            }
            any = true;
            let (chunk, found) = match memchr::memchr(b'\n', buf) {
                Some(i) => (&buf[..i], Some(i + 1)),
                None => (buf, None),
            };
            let room = MAX_LINE_BYTES.saturating_sub(self.raw.len());
            if chunk.len() <= room {
                self.raw.extend_from_slice(chunk);
            } else {
                self.raw.extend_from_slice(&chunk[..room]);
                dropped += chunk.len() - room;
            }
            let consumed = found.unwrap_or(buf.len());
            self.reader.consume(consumed);
            if found.is_some() {
                return Ok(Some(dropped));
            }
        }
    }
}

impl<R: BufRead> Iterator for LineReader<R> {
    type Item = io::Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_line().map(|line| line.cloned())
    }
}

/// Whether a line needs no cleaning or unwrapping: no CR before its end, no
/// escape sequences, no escaped line ends, and a first byte no wrapper
/// prefix starts with.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let body = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    match body.first() {
        None => return true,
        Some(c) if !c.is_ascii_lowercase() || body.starts_with(b"fatal: [") => return false,
        Some(_) => {}
    }
    // CR, ESC, backslash escapes, JSON quotes (Ansible) and C1 controls
    // (UTF-8 lead byte C2) send a line to the full path; memchr scans with SIMD.
    memchr::memchr3(b'\r', 0x1b, b'\\', body).is_none()
        && memchr::memchr2(b'"', 0xc2, body).is_none()
}

/// Turns one physical line into logical lines: lone CRs split it, escapes
/// are cleaned, wrappers are unwrapped.
fn split_physical(number: usize, text: &str, out: &mut VecDeque<Line>) {
    let text = text.trim_end_matches('\r');
    for part in text.split('\r') {
        let cleaned = clean(part);
        unwrap::unwrap_line(number, &cleaned, out);
    }
}

/// Splits a whole string into logical lines (the non-streaming path).
pub fn lines(text: &str) -> impl Iterator<Item = Line> + '_ {
    let mut pending = VecDeque::new();
    let mut physical = text.split('\n').enumerate();
    let ends_with_newline = text.ends_with('\n');
    let count = text.split('\n').count();
    std::iter::from_fn(move || loop {
        if let Some(line) = pending.pop_front() {
            return Some(line);
        }
        let (i, raw) = physical.next()?;
        if ends_with_newline && i + 1 == count {
            return None;
        }
        if raw.len() > MAX_LINE_BYTES {
            let mut cut = MAX_LINE_BYTES;
            while !raw.is_char_boundary(cut) {
                cut -= 1;
            }
            let marked = format!("{} [… {} bytes truncated]", &raw[..cut], raw.len() - cut);
            split_physical(i + 1, &marked, &mut pending);
        } else {
            split_physical(i + 1, raw, &mut pending);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &[u8]) -> Vec<(usize, String)> {
        LineReader::new(input)
            .map(|l| l.map(|l| (l.number, l.text)))
            .collect::<io::Result<_>>()
            .expect("reading from memory cannot fail")
    }

    #[test]
    fn crlf_and_lone_cr_and_lf() {
        let got = texts(b"a\r\nb\nc\rd\r\n");
        assert_eq!(
            got,
            vec![
                (1, "a".into()),
                (2, "b".into()),
                (3, "c".into()),
                (3, "d".into())
            ]
        );
    }

    #[test]
    fn invalid_utf8_is_lossy() {
        let got = texts(b"debug1: \xff\xfe ok\n");
        assert_eq!(got[0].1, "debug1: \u{fffd}\u{fffd} ok");
    }

    #[test]
    fn no_trailing_newline() {
        assert_eq!(texts(b"x"), vec![(1, "x".into())]);
        assert!(texts(b"").is_empty());
    }

    #[test]
    fn overlong_line_is_truncated_with_marker() {
        let mut input = vec![b'a'; MAX_LINE_BYTES + 10];
        input.extend_from_slice(b"\nnext\n");
        let got = texts(&input);
        assert_eq!(got.len(), 2);
        assert!(got[0].1.ends_with("[… 10 bytes truncated]"));
        assert_eq!(got[1], (2, "next".into()));
    }

    #[test]
    fn string_and_stream_paths_agree() {
        let input = "OpenSSH_9.2p1\r\ndebug1: x\n\n\x1b[31mred\x1b[0m\rz";
        let a: Vec<_> = lines(input).collect();
        let b: Vec<_> = LineReader::new(input.as_bytes())
            .collect::<io::Result<_>>()
            .expect("memory");
        assert_eq!(a, b);
    }
}
