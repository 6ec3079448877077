//! Live mode: `ssh -v ... 2>&1 | sshexplain` with a terminal on stderr.
//!
//! Lines are read on a thread and handed over as they arrive, each stamped
//! with its arrival time (which feeds the `slow.step` cause). stderr shows
//! the phase reached on one self-updating line; when nothing arrives for the
//! stall time, an interim hint says where the connection is stuck.

use sshexplain::input::{Line, LineReader};
use sshexplain::lang::Lang;
use sshexplain::trace::Trace;
use std::io::{self, BufRead, Write};
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Reads `reader` to the end, showing progress on stderr.
pub fn follow<R: BufRead + Send + 'static>(
    reader: R,
    stall: Duration,
    color: bool,
    lang: Lang,
) -> io::Result<Trace> {
    let (dim, warn, reset) = if color {
        ("\x1b[2m", "\x1b[33m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let start = Instant::now();
    // A few lines in flight: each can be 64 KiB, and memory stays bounded.
    let (tx, rx) = sync_channel::<io::Result<Line>>(32);
    std::thread::spawn(move || {
        for line in LineReader::new(sshexplain::input::Decoder::new(reader)) {
            let stamped = line.map(|mut l| {
                l.time_ms = Some(u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX));
                l
            });
            if tx.send(stamped).is_err() {
                break;
            }
        }
    });
    let mut trace = Trace::new();
    let mut err = io::stderr();
    let mut shown = None;
    let mut stalled_at = None;
    loop {
        match rx.recv_timeout(stall) {
            Ok(line) => {
                let line = line?;
                let event = sshexplain::grammar::parse_line(line.view());
                trace.push(&event, &line.text);
                stalled_at = None;
                if trace.phase != shown {
                    shown = trace.phase;
                    let phase = shown
                        .map(|p| p.label(lang))
                        .unwrap_or(lang.pick("starting", "開始"));
                    let _ = write!(err, "\r\x1b[2K{dim}sshexplain: {phase}…{reset}");
                    let _ = err.flush();
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                let last_line = trace.stats.lines;
                if stalled_at != Some(last_line) {
                    stalled_at = Some(last_line);
                    let waited = u64::try_from(stall.as_millis()).unwrap_or(u64::MAX);
                    let hint = sshexplain::diagnose::stall_hint(&trace, waited, lang);
                    let _ = writeln!(err, "\r\x1b[2K{warn}sshexplain: {hint}{reset}");
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    trace.finish();
    let _ = write!(err, "\r\x1b[2K");
    let _ = err.flush();
    Ok(trace)
}
