//! Bounded memory: the binary streams 100 MB made of real corpus traces and
//! its peak resident memory (VmHWM) must stay under a fixed bound.

const BIN: &str = env!("CARGO_BIN_EXE_sshexplain");
const INPUT_MB: usize = 100;
const BOUND_KB: u64 = 40 * 1024;

mod common;
#[path = "common/stream.rs"]
mod stream;

fn corpus_bytes() -> Vec<u8> {
    common::corpus_logs()
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .flatten()
        .collect()
}

#[test]
fn peak_memory_stays_bounded_on_100_mb() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("SKIPPED peak_memory_stays_bounded_on_100_mb: no /proc on this system");
        return;
    }
    let chunk = corpus_bytes();
    assert!(!chunk.is_empty());
    let (peak, written, out) =
        stream::stream(BIN, &["--format", "json", "-"], chunk, INPUT_MB << 20)
            .expect("binary runs");
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
