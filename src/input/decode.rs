//! What the bytes are before they are lines: UTF-8 (with or without a byte
//! order mark), UTF-16 (PowerShell's `ssh -v host 2> log.txt` writes UTF-16
//! LE with a BOM), or not text at all.
//!
//! [`Decoder`] looks at the first block once: a BOM, or the NUL pattern of
//! UTF-16 (every other byte NUL), switches it to transcoding UTF-16 into
//! UTF-8 on the fly; NULs in any other pattern, or many control bytes, mean
//! a binary file, which reads as an error of kind `InvalidData` carrying
//! [`BINARY`]. Everything else passes through untouched (other encodings
//! degrade to lossy text in the line reader).

use std::io::{self, BufRead, Read};

/// The message of the error a binary input reads as.
pub const BINARY: &str = "this looks like a binary file, not the output of ssh";

/// How many bytes the first look takes.
const SNIFF: usize = 8192;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Unknown,
    Plain,
    Utf16 { little: bool },
    Binary,
}

/// A reader that hands out UTF-8 (or the input's own bytes) whatever the
/// input's encoding; see the module documentation.
pub struct Decoder<R> {
    inner: R,
    mode: Mode,
    /// Transcoded bytes not yet handed out.
    out: Vec<u8>,
    pos: usize,
    /// A byte of a UTF-16 unit split across reads.
    carry: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
}

impl<R: BufRead> Decoder<R> {
    /// Wraps a reader.
    pub fn new(inner: R) -> Self {
        Decoder {
            inner,
            mode: Mode::Unknown,
            out: Vec::new(),
            pos: 0,
            carry: None,
            high: None,
        }
    }

    fn sniff(&mut self) -> io::Result<()> {
        let head = self.inner.fill_buf()?;
        let head = &head[..head.len().min(SNIFF)];
        let (mode, skip) = classify(head);
        self.mode = mode;
        self.inner.consume(skip);
        Ok(())
    }

    /// Transcodes the next chunk of UTF-16 into `out`; `false` at the end.
    fn transcode(&mut self, little: bool) -> io::Result<bool> {
        let chunk = self.inner.fill_buf()?;
        if chunk.is_empty() {
            if self.carry.take().is_some() || self.high.take().is_some() {
                self.out.extend_from_slice("\u{fffd}".as_bytes());
                return Ok(true);
            }
            return Ok(false);
        }
        let mut bytes = Vec::with_capacity(chunk.len() + 1);
        bytes.extend(self.carry.take());
        bytes.extend_from_slice(chunk);
        let n = chunk.len();
        self.inner.consume(n);
        if bytes.len() % 2 == 1 {
            self.carry = bytes.pop();
        }
        self.out.clear();
        self.pos = 0;
        for pair in bytes.chunks_exact(2) {
            let unit = if little {
                u16::from_le_bytes([pair[0], pair[1]])
            } else {
                u16::from_be_bytes([pair[0], pair[1]])
            };
            let c = match (self.high.take(), unit) {
                (None, 0xD800..=0xDBFF) => {
                    self.high = Some(unit);
                    continue;
                }
                (Some(h), 0xDC00..=0xDFFF) => char::from_u32(
                    0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(unit) - 0xDC00),
                ),
                (Some(_), _) => {
                    // A lone high surrogate, then this unit on its own.
                    self.out.extend_from_slice("\u{fffd}".as_bytes());
                    char::from_u32(u32::from(unit)).filter(|_| !(0xD800..=0xDFFF).contains(&unit))
                }
                (None, _) => char::from_u32(u32::from(unit)),
            };
            let c = c.unwrap_or('\u{fffd}');
            let mut b = [0u8; 4];
            self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        }
        Ok(true)
    }
}

/// The encoding of a first block, and how many bytes of it to skip (a BOM).
fn classify(head: &[u8]) -> (Mode, usize) {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (Mode::Plain, 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return (Mode::Utf16 { little: true }, 2);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return (Mode::Utf16 { little: false }, 2);
    }
    if head.len() >= 4 {
        let pairs = head.len() / 2;
        let odd_nul = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        let even_nul = head.iter().step_by(2).filter(|b| **b == 0).count();
        if odd_nul * 10 >= pairs * 8 && even_nul * 10 <= pairs {
            return (Mode::Utf16 { little: true }, 0);
        }
        if even_nul * 10 >= pairs * 8 && odd_nul * 10 <= pairs {
            return (Mode::Utf16 { little: false }, 0);
        }
    }
    let nul = head.contains(&0);
    let control = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x1b | 0x0c | 0x08))
        .count();
    if nul || control * 10 > head.len() {
        return (Mode::Binary, 0);
    }
    (Mode::Plain, 0)
}

impl<R: BufRead> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Decoder<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.mode == Mode::Unknown {
            self.sniff()?;
        }
        match self.mode {
            Mode::Binary => Err(io::Error::new(io::ErrorKind::InvalidData, BINARY)),
            Mode::Utf16 { little } => {
                while self.pos >= self.out.len() {
                    if !self.transcode(little)? {
                        return Ok(&[]);
                    }
                }
                Ok(&self.out[self.pos..])
            }
            _ => self.inner.fill_buf(),
        }
    }

    fn consume(&mut self, amt: usize) {
        match self.mode {
            Mode::Utf16 { .. } => self.pos = (self.pos + amt).min(self.out.len()),
            _ => self.inner.consume(amt),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> io::Result<String> {
        let mut s = String::new();
        Decoder::new(bytes).read_to_string(&mut s)?;
        Ok(s)
    }

    fn utf16(s: &str, little: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for u in s.encode_utf16() {
            out.extend(if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn encodings() {
        let text = "debug1: Connecting to h [10.0.0.5] port 22.\r\nPermission denied (publickey). 日本 😀\r\n";
        for (little, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            assert_eq!(decode(&utf16(text, little, bom)).expect("utf-16"), text);
        }
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom8).expect("utf-8 bom"), text);
        assert_eq!(decode(b"plain\n").expect("plain"), "plain\n");
        let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00";
        let err = decode(elf).expect_err("binary");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("binary"));
    }

    #[test]
    fn utf16_split_across_tiny_reads() {
        let text = "OpenSSH_for_Windows_9.5p1, LibreSSL 3.8.2\r\n😀 end\n";
        let bytes = utf16(text, true, true);
        let r = io::BufReader::with_capacity(3, &bytes[..]);
        let mut s = String::new();
        Decoder::new(r).read_to_string(&mut s).expect("reads");
        assert_eq!(s, text);
    }
}
