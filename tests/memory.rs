//! Bounded memory: the binary streams large inputs and its peak resident
//! memory (VmHWM) must stay under a fixed bound: 100 MB made of real corpus
//! traces (the test build), and adversarial inputs on the release binary,
//! each ≤ 32 MiB: every event kind at the longest line the reader keeps, a
//! million distinct identifiers, and an endless `debug1: x` stream, through
//! the report, `redact`, `parse` and `diff`.

const BIN: &str = env!("CARGO_BIN_EXE_sshexplain");
const INPUT_MB: usize = 100;
const BOUND_KB: u64 = 40 * 1024;
/// The documented bound for any input (README, Security).
const RELEASE_BOUND_KB: u64 = 32 * 1024;

mod common;
#[path = "common/stream.rs"]
mod stream;

use std::path::PathBuf;
use std::process::Command;

fn corpus_bytes() -> Vec<u8> {
    common::corpus_logs()
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .flatten()
        .collect()
}

fn has_proc() -> bool {
    std::path::Path::new("/proc/self/status").exists()
}

#[test]
fn peak_memory_stays_bounded_on_100_mb() {
    if !has_proc() {
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

/// The release binary, built by this test (the memory bound is stated for it).
fn release_bin() -> PathBuf {
    let root = env!("CARGO_MANIFEST_DIR");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "sshexplain"])
        .current_dir(root)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build --release failed");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(root).join("target"));
    target.join("release").join("sshexplain")
}

/// One real corpus line of every event kind the grammar knows, each padded
/// to just under the reader's 64 KiB line limit (the padding extends the
/// line's last field, so most still parse as their kind).
fn every_kind_at_max_length() -> Vec<u8> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for path in common::corpus_logs() {
        let text = String::from_utf8_lossy(&std::fs::read(path).expect("read")).into_owned();
        for (line, e) in text.lines().zip(sshexplain::parse(&text)) {
            let kind = e.kind.name();
            if matches!(kind, "Text" | "Other") || !seen.insert(kind) {
                continue;
            }
            out.extend_from_slice(line.as_bytes());
            out.extend(std::iter::repeat_n(
                b'x',
                64 * 1024 - 64 - line.len().min(60_000),
            ));
            out.push(b'\n');
        }
    }
    assert!(seen.len() > 100, "only {} kinds", seen.len());
    out
}

/// `count` lines, each naming a host, user, address and port never seen before.
fn distinct_identifiers(count: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(count * 90);
    for i in 0..count {
        let (a, b, c) = ((i >> 16) & 255, (i >> 8) & 255, i & 255);
        out.extend_from_slice(
            format!(
                "debug1: Connecting to h{i}.corp.example.net [10.{a}.{b}.{c}] port {}.\ndebug1: Authenticating to h{i}.corp.example.net:22 as 'u{i}'\n",
                1024 + i % 60_000
            )
            .as_bytes(),
        );
    }
    out
}

fn check(bin: &str, args: &[&str], chunk: Vec<u8>, bytes: usize, what: &str) {
    let (peak, written, out) = stream::stream(bin, args, chunk, bytes).expect("binary runs");
    assert!(written >= bytes, "{what}: wrote only {written} bytes");
    assert!(
        out.status.code().is_some(),
        "{what}: {:?} was killed: {}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{what} {args:?}: peak RSS {:.1} MiB", peak as f64 / 1024.0);
    assert!(peak > 0, "could not read VmHWM");
    assert!(
        peak < RELEASE_BOUND_KB,
        "{what} {args:?}: peak RSS {peak} KiB exceeds {RELEASE_BOUND_KB} KiB"
    );
}

#[test]
fn adversarial_inputs_stay_under_32_mib_on_the_release_binary() {
    if !has_proc() {
        eprintln!("SKIPPED adversarial memory test: no /proc on this system");
        return;
    }
    let bin = release_bin();
    let bin = bin.to_str().expect("utf-8 path");
    let every_kind = every_kind_at_max_length();
    let million = distinct_identifiers(1_000_000);
    let endless = b"debug1: x\n".repeat(100_000);
    for args in [
        &["--format", "json", "-"][..],
        &["redact", "-"][..],
        &["--redact", "-"][..],
        &["parse", "-"][..],
    ] {
        check(
            bin,
            args,
            every_kind.clone(),
            256 << 20,
            "every kind at 64 KiB",
        );
        check(bin, args, endless.clone(), 128 << 20, "endless debug1: x");
    }
    for args in [&["redact", "-"][..], &["--redact", "-"][..], &["-"][..]] {
        check(
            bin,
            args,
            million.clone(),
            million.len(),
            "1 M distinct identifiers",
        );
    }
    // diff reads two files: the adversarial input on both sides.
    let dir = std::env::temp_dir().join(format!("sshexplain-mem-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("every-kind.log");
    let mut big = Vec::new();
    while big.len() < 64 << 20 {
        big.extend_from_slice(&every_kind);
    }
    std::fs::write(&file, &big).expect("write");
    let f = file.to_str().expect("utf-8 path");
    check(
        bin,
        &["diff", f, f],
        Vec::new(),
        0,
        "diff of two 64 MB adversarial logs",
    );
    let _ = std::fs::remove_dir_all(&dir);
}
