//! Streaming into the real binary while watching its memory (shared by
//! `tests/memory.rs` and `benches/throughput.rs`).

use std::io::{self, Read, Write};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// How much of the binary's stdout and stderr is kept (the rest is read and
/// dropped, so a large output never blocks the binary nor fills the test).
const KEEP: usize = 16 << 20;

/// A process's peak resident memory in KiB, from `/proc/PID/status`.
pub fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn drain<R: Read + Send + 'static>(mut r: R) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = vec![0; 64 * 1024];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            let room = KEEP.saturating_sub(kept.len());
            kept.extend_from_slice(&buf[..n.min(room)]);
        }
        kept
    })
}

/// Runs `bin args`, writing whole copies of `chunk` to its stdin until at
/// least `bytes` are written, while polling its peak resident memory
/// (VmHWM) until it exits. Returns the peak in KiB (0 when unreadable), the
/// bytes written and the process's output (the first 16 MiB of each stream).
pub fn stream(
    bin: &str,
    args: &[&str],
    chunk: Vec<u8>,
    bytes: usize,
) -> io::Result<(u64, usize, Output)> {
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    let mut stdin = child.stdin.take().ok_or(io::ErrorKind::BrokenPipe)?;
    let stdout = drain(child.stdout.take().ok_or(io::ErrorKind::BrokenPipe)?);
    let stderr = drain(child.stderr.take().ok_or(io::ErrorKind::BrokenPipe)?);
    let writer = std::thread::spawn(move || {
        let mut written = 0;
        while written < bytes && !chunk.is_empty() {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
            written += chunk.len();
        }
        written
    });
    let mut peak = 0;
    let status = loop {
        peak = peak.max(vm_hwm_kb(pid).unwrap_or(0));
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let written = writer.join().map_err(|_| io::ErrorKind::Other)?;
    let stdout = stdout.join().map_err(|_| io::ErrorKind::Other)?;
    let stderr = stderr.join().map_err(|_| io::ErrorKind::Other)?;
    Ok((
        peak,
        written,
        Output {
            status,
            stdout,
            stderr,
        },
    ))
}
