//! Bounded memory: the binary streams 100 MB made of real corpus traces and
//! its peak resident memory (VmHWM) must stay under a fixed bound.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_sshexplain");
const INPUT_MB: usize = 100;
const BOUND_KB: u64 = 40 * 1024;

mod common;

fn corpus_bytes() -> Vec<u8> {
    common::corpus_logs()
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .flatten()
        .collect()
}

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[test]
fn peak_memory_stays_bounded_on_100_mb() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("SKIPPED peak_memory_stays_bounded_on_100_mb: no /proc on this system");
        return;
    }
    let chunk = corpus_bytes();
    assert!(!chunk.is_empty());
    let mut child = Command::new(BIN)
        .args(["--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let pid = child.id();
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let mut written = 0;
        while written < INPUT_MB << 20 {
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
    let written = writer.join().expect("writer");
    let out = child.wait_with_output().expect("finishes");
    assert!(written >= INPUT_MB << 20, "wrote only {written} bytes");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert!(
        v["lines"].as_u64().is_some_and(|n| n > 1_000_000),
        "{}",
        v["lines"]
    );
    println!(
        "peak RSS {:.1} MiB for {INPUT_MB} MB of input",
        peak as f64 / 1024.0
    );
    assert!(peak > 0, "could not read VmHWM");
    assert!(
        peak < BOUND_KB,
        "peak RSS {peak} KiB exceeds {BOUND_KB} KiB"
    );
}
