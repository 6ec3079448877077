//! Streaming into the real binary while watching its memory (shared by
//! `tests/memory.rs` and `benches/throughput.rs`).

use std::io::{self, Write};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

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

/// Runs `bin args`, writing whole copies of `chunk` to its stdin until at
/// least `bytes` are written while polling its peak resident memory
/// (VmHWM). Returns the peak in KiB (0 when unreadable), the bytes written
/// and the process's output.
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
    let writer = std::thread::spawn(move || {
        let mut written = 0;
        while written < bytes {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
            written += chunk.len();
        }
        written
    });
    let mut peak = 0;
    while !writer.is_finished() {
        peak = peak.max(vm_hwm_kb(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(20));
    }
    peak = peak.max(vm_hwm_kb(pid).unwrap_or(0));
    let written = writer.join().map_err(|_| io::ErrorKind::Other)?;
    Ok((peak, written, child.wait_with_output()?))
}
