//! Reading input as a stream of logical lines.
//!
//! Bytes come in from a file, a pipe or a string; lines come out with their
//! 1-based physical line number, cleaned of line ends, invalid UTF-8 and ANSI
//! escapes, and unwrapped from the containers real pastes come in (see
//! [`unwrap`]). One physical line can yield several logical lines (an Ansible
//! JSON string holding a whole `ssh -vvv` log) and all of them carry the
//! physical line's number.

mod clean;
pub mod decode;
pub mod unwrap;

use std::collections::VecDeque;
use std::io::{self, BufRead};

pub use clean::clean;
pub use decode::{Decoder, BINARY};

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
    /// The program tag of a syslog or journal line (`sshd[811]`), which
    /// tells which side of a connection wrote it.
    pub tag: Option<String>,
}

impl Line {
    /// Borrows this line as a [`LineRef`].
    pub fn view(&self) -> LineRef<'_> {
        LineRef {
            number: self.number,
            text: &self.text,
            time_ms: self.time_ms,
            tag: self.tag.as_deref(),
        }
    }
}

/// One logical line, borrowed (from a [`LineReader`]'s block or a [`Line`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRef<'a> {
    /// 1-based number of the physical line in the input.
    pub number: usize,
    /// The text, cleaned and unwrapped.
    pub text: &'a str,
    /// Milliseconds since midnight, when a wrapper gave a time of day.
    pub time_ms: Option<u64>,
    /// The program tag of a syslog or journal line (see [`Line::tag`]).
    pub tag: Option<&'a str>,
}

impl LineRef<'_> {
    /// An owned copy.
    pub fn to_line(self) -> Line {
        Line {
            number: self.number,
            text: self.text.to_string(),
            time_ms: self.time_ms,
            tag: self.tag.map(str::to_string),
        }
    }
}

/// The read buffer's first size; it doubles only when a line does not fit.
const FIRST_BUFFER: usize = 64 * 1024;

/// Splits any [`BufRead`] into [`Line`]s with bounded memory.
///
/// Bytes are read in blocks; a block's complete lines are checked for UTF-8
/// once and kept as one string, so plain lines are handed out as slices of
/// it: no per-line copy or check. Lines longer than [`MAX_LINE_BYTES`] are
/// truncated and marked. The reader holds at most a read buffer of twice
/// [`MAX_LINE_BYTES`], the block of lines taken from it, and an overlong
/// line's first [`MAX_LINE_BYTES`].
pub struct LineReader<R> {
    reader: R,
    /// The read buffer: `raw[..filled]` are bytes read but not yet moved to
    /// `text`; the rest is zeroed room for the next read.
    raw: Vec<u8>,
    filled: usize,
    /// Complete lines, valid UTF-8, each ending in `\n`.
    text: String,
    /// Start of the next line in `text`.
    pos: usize,
    /// Where the next CR, ESC or backslash is in `text`.
    escapes: Ahead,
    /// Where the next double quote or C1 lead byte is in `text`.
    quotes: Ahead,
    /// Where the next [`unwrap::BARE_OPENER`] is in `text`.
    wrappers: Ahead,
    number: usize,
    pending: VecDeque<Line>,
    eof: bool,
    /// The line lent out from `pending`.
    current: Line,
}

/// A cached forward search in a block: the position of the next byte of a
/// set, valid for lines starting at `from` or later.
#[derive(Clone, Copy)]
struct Ahead {
    from: usize,
    at: Option<usize>,
}

impl Ahead {
    const STALE: Ahead = Ahead {
        from: usize::MAX,
        at: None,
    };

    /// Whether `text[s..e]` holds none of the bytes `find` looks for; searches
    /// (to the end of the block) only when the cached answer does not cover `s`.
    fn clear(&mut self, text: &[u8], s: usize, e: usize, find: fn(&[u8]) -> Option<usize>) -> bool {
        if self.from > s || self.at.is_some_and(|at| at < s) {
            *self = Ahead {
                from: s,
                at: find(&text[s..]).map(|i| s + i),
            };
        }
        self.at.is_none_or(|at| at >= e)
    }
}

impl<R: BufRead> LineReader<R> {
    /// Wraps a reader.
    pub fn new(reader: R) -> Self {
        LineReader {
            reader,
            raw: Vec::new(),
            filled: 0,
            text: String::new(),
            pos: 0,
            escapes: Ahead::STALE,
            quotes: Ahead::STALE,
            wrappers: Ahead::STALE,
            number: 0,
            pending: VecDeque::new(),
            eof: false,
            current: Line {
                number: 0,
                text: String::new(),
                time_ms: None,
                tag: None,
            },
        }
    }

    /// The next logical line, lent out: plain lines are slices of the
    /// current block, so reading allocates nothing per line. (The
    /// [`Iterator`] impl hands out owned lines instead.)
    pub fn next_line(&mut self) -> Option<io::Result<LineRef<'_>>> {
        loop {
            if let Some(line) = self.pending.pop_front() {
                self.current = line;
                return Some(Ok(self.current.view()));
            }
            let Some(nl) = memchr::memchr(b'\n', &self.text.as_bytes()[self.pos..]) else {
                match self.refill() {
                    Ok(true) => continue,
                    Ok(false) => return None,
                    Err(e) => return Some(Err(e)),
                }
            };
            let start = self.pos;
            let end = start + nl;
            self.pos = end + 1;
            self.number += 1;
            let bytes = self.text.as_bytes();
            let body = bytes[start..end]
                .strip_suffix(b"\r")
                .map_or(end, |b| start + b.len());
            // A line needs no cleaning or unwrapping when it is empty, or when
            // no wrapper prefix can start it and it holds no CR, ESC,
            // backslash escape, JSON quote, C1 control (lead byte C2) or bare
            // escaped-log opener.
            let plain = start == body
                || (end - start <= MAX_LINE_BYTES
                    && !unwrap::may_have_prefix(&bytes[start..body])
                    && self.escapes.clear(bytes, start, body, |t| {
                        memchr::memchr3(b'\r', 0x1b, b'\\', t)
                    })
                    && self
                        .quotes
                        .clear(bytes, start, body, |t| memchr::memchr2(b'"', 0xc2, t))
                    && self.wrappers.clear(bytes, start, body, |t| {
                        memchr::memmem::find(t, unwrap::BARE_OPENER.as_bytes())
                    }));
            if plain {
                return Some(Ok(LineRef {
                    number: self.number,
                    text: &self.text[start..body],
                    time_ms: None,
                    tag: None,
                }));
            }
            let line = &self.text[start..end];
            if line.len() > MAX_LINE_BYTES {
                split_physical(self.number, &truncate(line, 0), &mut self.pending);
            } else {
                split_physical(self.number, line, &mut self.pending);
            }
        }
    }

    /// Moves the next block of complete lines into `text` (or an overlong
    /// line into `pending`); `false` at the end of input.
    fn refill(&mut self) -> io::Result<bool> {
        self.text.clear();
        self.pos = 0;
        self.escapes = Ahead::STALE;
        self.quotes = Ahead::STALE;
        self.wrappers = Ahead::STALE;
        loop {
            let data = &self.raw[..self.filled];
            if memchr::memchr(b'\n', &data[..data.len().min(MAX_LINE_BYTES + 1)]).is_some() {
                let last = memchr::memrchr(b'\n', data).unwrap_or(0);
                self.take_lines(last + 1);
                return Ok(true);
            }
            if self.filled > MAX_LINE_BYTES {
                self.overlong()?;
                return Ok(true);
            }
            if self.eof {
                if self.filled == 0 {
                    return Ok(false);
                }
                self.room();
                self.raw[self.filled] = b'\n';
                self.filled += 1;
                continue;
            }
            self.read_more()?;
        }
    }

    /// Moves `raw[..n]` (complete lines) into `text`, decoding lossily only
    /// the lines that are not UTF-8.
    fn take_lines(&mut self, n: usize) {
        let mut done = 0;
        while done < n {
            match std::str::from_utf8(&self.raw[done..n]) {
                Ok(s) => {
                    self.text.push_str(s);
                    done = n;
                }
                Err(e) => {
                    // Decode lossily up to the end of the line holding the
                    // bad bytes, then check the rest again.
                    let bad = done + e.valid_up_to();
                    let end = memchr::memchr(b'\n', &self.raw[bad..n]).map_or(n, |i| bad + i + 1);
                    self.text
                        .push_str(&String::from_utf8_lossy(&self.raw[done..end]));
                    done = end;
                }
            }
        }
        self.consume(n);
    }

    /// Drops `raw[..n]`, moving the rest to the front.
    fn consume(&mut self, n: usize) {
        self.raw.copy_within(n..self.filled, 0);
        self.filled -= n;
    }

    /// Makes room after `filled`: the buffer doubles when full (zeroing is
    /// paid once per size, not per read).
    fn room(&mut self) {
        if self.filled == self.raw.len() {
            let size = (self.raw.len() * 2).max(FIRST_BUFFER);
            self.raw.resize(size, 0);
        }
    }

    /// Handles a line longer than [`MAX_LINE_BYTES`] at the start of `raw`:
    /// keeps its head, drops (and counts) the rest up to its line end.
    fn overlong(&mut self) -> io::Result<()> {
        let mut head = self.raw[..MAX_LINE_BYTES].to_vec();
        self.consume(MAX_LINE_BYTES);
        // A character cut in two at the limit is dropped whole.
        let mut dropped = match std::str::from_utf8(&head) {
            Err(e) if e.error_len().is_none() => head.len() - e.valid_up_to(),
            _ => 0,
        };
        head.truncate(head.len() - dropped);
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.raw[..self.filled]) {
                dropped += i;
                self.consume(i + 1);
                break;
            }
            dropped += self.filled;
            self.filled = 0;
            if self.eof {
                break;
            }
            self.read_more()?;
        }
        self.number += 1;
        let text = truncate(&String::from_utf8_lossy(&head), dropped);
        split_physical(self.number, &text, &mut self.pending);
        Ok(())
    }

    /// Appends one read's worth of bytes to `raw`; sets `eof` at the end.
    fn read_more(&mut self) -> io::Result<()> {
        self.room();
        let got = loop {
            match self.reader.read(&mut self.raw[self.filled..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.filled += got;
        self.eof = got == 0;
        Ok(())
    }
}

impl<R: BufRead> Iterator for LineReader<R> {
    type Item = io::Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_line().map(|line| line.map(LineRef::to_line))
    }
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

/// A line cut to at most [`MAX_LINE_BYTES`] (at a character boundary) and
/// marked with how many bytes were dropped (`more` of them already before).
fn truncate(line: &str, more: usize) -> String {
    let mut cut = line.len().min(MAX_LINE_BYTES);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let dropped = line.len() - cut + more;
    if dropped == 0 {
        return line.to_string();
    }
    format!("{} [… {dropped} bytes truncated]", &line[..cut])
}

/// Splits a whole string into logical lines (the non-streaming path).
pub fn lines(text: &str) -> impl Iterator<Item = Line> + '_ {
    let mut pending = VecDeque::new();
    let mut physical = text.split('\n').enumerate();
    // An empty text has no lines, as an empty stream has none.
    let ends_with_newline = text.is_empty() || text.ends_with('\n');
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
            split_physical(i + 1, &truncate(raw, 0), &mut pending);
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
    fn overlong_line_inside_a_block_and_cut_characters() {
        // The long line arrives in the same read as its neighbours.
        let mut input = b"first\n".to_vec();
        input.extend(std::iter::repeat_n(b'b', MAX_LINE_BYTES + 3));
        input.extend_from_slice(b"\nlast\n");
        let got = texts(&input);
        assert_eq!(got.len(), 3);
        assert!(
            got[1].1.ends_with("[… 3 bytes truncated]"),
            "{}",
            &got[1].1[MAX_LINE_BYTES - 5..]
        );
        assert_eq!(got[2], (3, "last".into()));
        // A character straddling the limit is dropped whole, by both paths.
        let mut long = "a".repeat(MAX_LINE_BYTES - 1);
        long.push('é');
        long.push_str("zz\nnext\n");
        let stream = texts(long.as_bytes());
        let string: Vec<_> = lines(&long).map(|l| (l.number, l.text)).collect();
        assert_eq!(stream, string);
        assert!(stream[0].1.ends_with("a [… 4 bytes truncated]"));
    }

    #[test]
    fn lines_split_across_reads_and_bad_bytes_mid_block() {
        /// Hands out its bytes a few at a time.
        struct Trickle<'a>(&'a [u8]);
        impl io::Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(3);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let input = b"debug1: one\r\ndebug1: t\xffwo\nthree \x1b[1mx\n\ndebug1: \"q\"\nlast";
        let trickled: Vec<_> = LineReader::new(io::BufReader::with_capacity(2, Trickle(input)))
            .map(|l| l.map(|l| (l.number, l.text)))
            .collect::<io::Result<_>>()
            .expect("memory");
        assert_eq!(trickled, texts(input));
        assert_eq!(
            trickled,
            vec![
                (1, "debug1: one".into()),
                (2, "debug1: t\u{fffd}wo".into()),
                (3, "three x".into()),
                (4, "".into()),
                (5, "debug1: \"q\"".into()),
                (6, "last".into()),
            ]
        );
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
