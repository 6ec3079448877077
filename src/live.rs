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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Reads `reader` to the end, showing progress on stderr.
pub fn follow<R: BufRead + Send + 'static>(
    reader: R,
    stall: Duration,
    color: bool,
    lang: Lang,
) -> io::Result<Followed> {
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
    let interrupted = on_ctrl_c();
    // Short waits, so Ctrl-C is seen at once; the stall hint keeps its pace.
    let tick = stall.min(Duration::from_millis(100));
    let mut last_arrival = Instant::now();
    let mut stopped = false;
    loop {
        match rx.recv_timeout(tick) {
            Ok(line) => {
                let line = line?;
                let event = sshexplain::grammar::parse_line(line.view());
                trace.push(&event, &line.text);
                stalled_at = None;
                last_arrival = Instant::now();
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
                if interrupted.load(Ordering::SeqCst) {
                    stopped = true;
                    break;
                }
                let last_line = trace.stats.lines;
                if last_arrival.elapsed() >= stall && stalled_at != Some(last_line) {
                    stalled_at = Some(last_line);
                    let waited = u64::try_from(stall.as_millis()).unwrap_or(u64::MAX);
                    let hint = sshexplain::diagnose::stall_hint(&trace, waited, lang);
                    let _ = writeln!(err, "\r\x1b[2K{warn}sshexplain: {hint}{reset}");
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    // Ctrl-C also stops ssh, whose output then ends: that is an interrupt
    // too. The end of the output can arrive before the signal's handler
    // has run (it runs on its own thread): give it a moment.
    let ended = Instant::now();
    while !stopped
        && !interrupted.load(Ordering::SeqCst)
        && ended.elapsed() < Duration::from_millis(200)
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    stopped |= interrupted.load(Ordering::SeqCst);
    trace.finish();
    let _ = write!(err, "\r\x1b[2K");
    if stopped {
        let _ = writeln!(
            err,
            "{warn}sshexplain: {}{reset}",
            lang.pick(
                "interrupted (Ctrl-C): the report covers what arrived before it; Ctrl-C again quits at once.",
                "中断しました（Ctrl-C）。報告はそれまでに届いた分についてです。もう一度 Ctrl-C を押すとすぐ終了します。"
            )
        );
    }
    let _ = err.flush();
    Ok(Followed {
        trace,
        interrupted: stopped,
    })
}

/// What live mode read, and whether Ctrl-C ended it.
pub struct Followed {
    /// The trace of what arrived.
    pub trace: Trace,
    /// Ctrl-C was pressed: the exit code is 130, as for any interrupted
    /// program.
    pub interrupted: bool,
}

/// The flag Ctrl-C sets. The first Ctrl-C ends the reading (the report of
/// what arrived still prints); a second one quits at once with 130.
fn on_ctrl_c() -> &'static AtomicBool {
    static PRESSED: AtomicBool = AtomicBool::new(false);
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        // Without a handler (another one is set), Ctrl-C keeps its default.
        let _ = ctrlc::set_handler(|| {
            if PRESSED.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    });
    &PRESSED
}
