//! Reading a stream in batches of lines: each batch is parsed (on every
//! core, with the `parallel` feature) while the batch before it is folded
//! into attempts, in input order.
//!
//! Parsing a line needs nothing but the line ([`Parsed::new`]); folding
//! needs every line before it, so it stays on one thread. The result is the
//! same as pushing the lines one by one ([`Splitter::push_line`]).

use crate::attempts::{Parsed, Splitter};
use crate::input::{Decoder, LineReader, LineRef};
use std::io::{self, BufRead};
use std::ops::Range;

/// Text held by one batch of a reader's lines, in bytes (a batch ends at
/// the line that passes it): an input no larger is read on one thread.
pub const BATCH_BYTES: usize = 256 * 1024;
/// Lines held by one batch.
const BATCH_LINES: usize = 4096;
/// Lines parsed by one task of a batch.
#[cfg(feature = "parallel")]
const TASK_LINES: usize = 512;

/// Lines copied out of a [`LineReader`], so they outlive its next read.
#[derive(Debug, Default)]
struct Batch {
    /// Every line's text and tag, one after the other.
    text: String,
    lines: Vec<Slot>,
}

/// Where one line of a [`Batch`] stands in its text.
#[derive(Debug)]
struct Slot {
    number: usize,
    time_ms: Option<u64>,
    text: Range<usize>,
    tag: Option<Range<usize>>,
}

impl Batch {
    fn clear(&mut self) {
        self.text.clear();
        self.lines.clear();
    }

    /// Replaces the batch with the next lines; false when the input ended.
    fn fill<R: BufRead>(&mut self, lines: &mut LineReader<Decoder<R>>) -> io::Result<bool> {
        self.clear();
        while self.text.len() < BATCH_BYTES && self.lines.len() < BATCH_LINES {
            let Some(line) = lines.next_line() else {
                return Ok(false);
            };
            let line = line?;
            let text = self.take(line.text);
            let tag = line.tag.map(|t| self.take(t));
            self.lines.push(Slot {
                number: line.number,
                time_ms: line.time_ms,
                text,
                tag,
            });
        }
        Ok(true)
    }

    fn take(&mut self, s: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(s);
        start..self.text.len()
    }

    fn line(&self, slot: &Slot) -> LineRef<'_> {
        LineRef {
            number: slot.number,
            text: &self.text[slot.text.clone()],
            time_ms: slot.time_ms,
            tag: slot.tag.clone().map(|t| &self.text[t]),
        }
    }

    /// Every line parsed, in order: on every core when `wide` (a one-batch
    /// input stays on this thread, which starts no pool).
    fn parse(&self, all: bool, wide: bool) -> Vec<Parsed<'_>> {
        #[cfg(feature = "parallel")]
        if wide {
            use rayon::prelude::*;
            return self
                .lines
                .par_iter()
                .with_min_len(TASK_LINES)
                .map(|slot| Parsed::new(self.line(slot), all))
                .collect();
        }
        #[cfg(not(feature = "parallel"))]
        let _ = wide;
        self.lines
            .iter()
            .map(|slot| Parsed::new(self.line(slot), all))
            .collect()
    }
}

fn fold(s: &mut Splitter, parsed: Vec<Parsed<'_>>) {
    for p in parsed {
        s.push_parsed(p);
    }
}

/// One step of the pipeline: folds `parsed` into `s` and reads the batch
/// after next into `fill`, on this thread, while `next` is parsed on the
/// pool (with the `parallel` feature). What the trace keeps is allocated on
/// this thread alone, so memory freed by one attempt serves the next.
/// Returns `next` parsed.
fn step<'n, R: BufRead>(
    s: &mut Splitter,
    parsed: Vec<Parsed<'_>>,
    next: &'n Batch,
    fill: &mut Batch,
    lines: &mut Reader<R>,
) -> io::Result<Vec<Parsed<'n>>> {
    let all = s.all_server();
    #[cfg(feature = "parallel")]
    {
        let mut out = Vec::new();
        let read = rayon::in_place_scope(|scope| {
            scope.spawn(|_| out = next.parse(all, true));
            fold(s, parsed);
            lines.fill(fill)
        });
        read.map(|()| out)
    }
    #[cfg(not(feature = "parallel"))]
    {
        fold(s, parsed);
        lines.fill(fill)?;
        Ok(next.parse(all, false))
    }
}

/// A line reader that knows when its input ended.
struct Reader<R> {
    lines: LineReader<Decoder<R>>,
    ended: bool,
}

impl<R: BufRead> Reader<R> {
    /// Replaces `b` with the next lines (none once the input ended).
    fn fill(&mut self, b: &mut Batch) -> io::Result<()> {
        if self.ended {
            b.clear();
        } else {
            self.ended = !b.fill(&mut self.lines)?;
        }
        Ok(())
    }
}

/// Feeds a stream's lines to a splitter: batch by batch, each one parsed
/// while the one before it is folded and the one after it read.
pub fn read_into<R: BufRead>(s: &mut Splitter, reader: R) -> io::Result<()> {
    let mut lines = Reader {
        lines: LineReader::new(Decoder::new(reader)),
        ended: false,
    };
    let (mut a, mut b, mut c) = (Batch::default(), Batch::default(), Batch::default());
    lines.fill(&mut a)?;
    // A one-batch input is parsed on this thread alone.
    let mut pa = a.parse(s.all_server(), !lines.ended);
    lines.fill(&mut b)?;
    // Each step parses the batch after the one it folds; an empty batch
    // means every line before it is folded.
    loop {
        if b.lines.is_empty() {
            fold(s, pa);
            return Ok(());
        }
        let pb = step(s, pa, &b, &mut c, &mut lines)?;
        if c.lines.is_empty() {
            fold(s, pb);
            return Ok(());
        }
        let pc = step(s, pb, &c, &mut a, &mut lines)?;
        if a.lines.is_empty() {
            fold(s, pc);
            return Ok(());
        }
        pa = step(s, pc, &a, &mut b, &mut lines)?;
    }
}
