//! `cargo bench`: speed and memory of the whole pipeline on real traces.
//!
//! 1. Every corpus trace: parse + diagnose latency (small inputs).
//! 2. Two large inputs streamed from real traces: a real `scp -vvv` session
//!    log from `benches/gen-vvv.sh` (when present) repeated, and the corpus
//!    concatenated and repeated. For each, MB/s and lines/s of
//!    `trace_reader` + diagnosis, against a memchr line count of the same
//!    bytes in the same run (the physical limit of reading lines), as a ratio.
//! 3. The `sshexplain` binary streaming the same amount of corpus from a
//!    pipe: wall time and peak resident memory (VmHWM).
//!
//! 4. The binary on the same bytes as a file, against GNU `grep -c -F -f`
//!    of 21 common ssh error messages (what people use instead) and
//!    `wc -l`, in the same run: the two ratios.
//! 5. Many files: the corpus × 20 as separate files, `sshexplain --format
//!    jsonl FILE...` on 1 and on 2 threads (`RAYON_NUM_THREADS`).
//!
//! Size of the large input: `SSHEXPLAIN_BENCH_MB` (default 1024).

use std::io::{self, BufRead, Read};
use std::path::Path;
use std::time::Instant;

/// An endless reader cycling through a buffer, stopping after `limit` bytes.
struct Cycle<'a> {
    data: &'a [u8],
    pos: usize,
    left: usize,
}

impl Read for Cycle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 || self.data.is_empty() {
            return Ok(0);
        }
        let n = buf.len().min(self.data.len() - self.pos).min(self.left);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos = (self.pos + n) % self.data.len();
        self.left -= n;
        Ok(n)
    }
}

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/common/stream.rs"]
mod stream;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing useful: keep it quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let logs = common::corpus_logs();
    let texts: Vec<Vec<u8>> = logs.iter().filter_map(|p| std::fs::read(p).ok()).collect();

    // 1. Per-trace latency.
    let rounds = if quick { 1 } else { 20 };
    let mut worst = (0f64, String::new());
    let start = Instant::now();
    for _ in 0..rounds {
        for (bytes, path) in texts.iter().zip(&logs) {
            let t0 = Instant::now();
            let trace = sshexplain::trace_reader(&bytes[..]).expect("memory");
            let report = sshexplain::report(&trace);
            std::hint::black_box(&report);
            let us = t0.elapsed().as_secs_f64() * 1e6;
            if us > worst.0 {
                worst = (us, path.display().to_string());
            }
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / (rounds * texts.len()).max(1) as f64;
    let total_kb: usize = texts.iter().map(Vec::len).sum::<usize>() / 1024;
    println!("corpus: {} traces ({total_kb} KiB), parse+diagnose {per:.0} µs per trace on average, worst {:.0} µs ({})", texts.len(), worst.0, worst.1);

    // 2. Large inputs, each measured against a memchr line count of the same bytes.
    let mb: usize = std::env::var("SSHEXPLAIN_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 16 } else { 1024 });
    let vvv = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/scp-vvv.log");
    match std::fs::read(&vvv) {
        Ok(bytes) => large(
            &format!(
                "real scp -vvv session ({}, {} KiB) repeated",
                vvv.display(),
                bytes.len() >> 10
            ),
            &bytes,
            mb,
        ),
        Err(_) => println!(
            "(no {}: run benches/gen-vvv.sh for the long-session input)",
            vvv.display()
        ),
    }
    let corpus = texts.concat();
    large("corpus concatenated and repeated", &corpus, mb);

    // 3. The binary itself, streaming the corpus from a pipe.
    match binary(&corpus, mb) {
        Some((kb, s)) => println!(
            "sshexplain binary, {mb} MiB piped to stdin: {s:.1} s, peak RSS {:.1} MiB (goal <= 32 MiB on 1 GiB)",
            kb as f64 / 1024.0
        ),
        None => println!("sshexplain binary: peak RSS not measurable here (no /proc)"),
    }

    // 4. Against grep and wc on the same file.
    let dir = std::env::temp_dir().join(format!("sshexplain-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    against_grep(&dir, &corpus, mb);

    // 5. Many files, on one and on two threads.
    many_files(&dir, &texts, if quick { 2 } else { 20 });
    let _ = std::fs::remove_dir_all(&dir);
}

/// Error messages people grep ssh logs for.
const GREP_PATTERNS: [&str; 21] = [
    "Permission denied",
    "Connection refused",
    "Connection timed out",
    "No route to host",
    "Could not resolve hostname",
    "Host key verification failed",
    "REMOTE HOST IDENTIFICATION HAS CHANGED",
    "no matching key exchange method found",
    "no matching host key type found",
    "no matching cipher found",
    "no matching MAC found",
    "Connection closed by",
    "Connection reset by peer",
    "Too many authentication failures",
    "UNPROTECTED PRIVATE KEY FILE",
    "Broken pipe",
    "kex_exchange_identification",
    "Bad configuration option",
    "channel 0: open failed",
    "Received disconnect from",
    "Load key",
];

/// Wall time of a command (its output read and dropped); `None` when the
/// program is missing or fails.
fn timed(program: &str, args: &[&str], env: &[(&str, &str)]) -> Option<f64> {
    let t0 = Instant::now();
    // Output goes to a pipe that is read, not to /dev/null: GNU grep stops
    // at the first match when its output is /dev/null.
    let out = std::process::Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let status = out.status;
    // grep exits 1 when nothing matches; sshexplain 1 when a failure is found.
    (status.code().is_some_and(|c| c <= 1)).then(|| t0.elapsed().as_secs_f64())
}

fn against_grep(dir: &Path, data: &[u8], mb: usize) {
    let file = dir.join("big.log");
    let mut reader = Cycle {
        data,
        pos: 0,
        left: mb << 20,
    };
    let mut out = std::fs::File::create(&file).expect("big file");
    io::copy(&mut reader, &mut out).expect("write big file");
    let patterns = dir.join("patterns");
    std::fs::write(&patterns, GREP_PATTERNS.join("\n") + "\n").expect("patterns");
    let f = file.display().to_string();
    let p = patterns.display().to_string();
    let bin = env!("CARGO_BIN_EXE_sshexplain");
    let c = [("LC_ALL", "C")];
    let (Some(grep), Some(wc), Some(us)) = (
        timed("grep", &["-c", "-F", "-f", &p, &f], &c),
        timed("wc", &["-l", &f], &c),
        timed(bin, &["--format", "json", &f], &c),
    ) else {
        println!("grep/wc comparison: grep or wc missing");
        return;
    };
    let mbs = |s: f64| mb as f64 / s;
    println!("same {mb} MiB file: sshexplain {:.0} MiB/s, grep -c -F -f ({} messages) {:.0} MiB/s, wc -l {:.0} MiB/s", mbs(us), GREP_PATTERNS.len(), mbs(grep), mbs(wc));
    println!(
        "  ratios: {:.2}x grep (goal >= 1.0), {:.1}% of wc -l (goal >= 25%)",
        grep / us,
        100.0 * wc / us
    );
}

fn many_files(dir: &Path, texts: &[Vec<u8>], copies: usize) {
    let many = dir.join("many");
    std::fs::create_dir_all(&many).expect("dir");
    let mut names = Vec::new();
    let mut bytes = 0usize;
    for k in 0..copies {
        for (i, t) in texts.iter().enumerate() {
            let name = many.join(format!("{k}-{i}.log"));
            std::fs::write(&name, t).expect("write");
            names.push(name.display().to_string());
            bytes += t.len();
        }
    }
    let bin = env!("CARGO_BIN_EXE_sshexplain");
    let mut args = vec!["--format", "jsonl"];
    args.extend(names.iter().map(String::as_str));
    let one = timed(bin, &args, &[("RAYON_NUM_THREADS", "1")]);
    let two = timed(bin, &args, &[("RAYON_NUM_THREADS", "2")]);
    if let (Some(one), Some(two)) = (one, two) {
        let mbs = |s: f64| bytes as f64 / (1 << 20) as f64 / s;
        println!(
            "{} files ({} MiB): 1 thread {:.0} MiB/s, 2 threads {:.0} MiB/s: {:.2}x (goal >= 1.8x on 2 cores)",
            names.len(),
            bytes >> 20,
            mbs(one),
            mbs(two),
            one / two
        );
    }
}

/// Pipes `mb` MiB of `data`, repeated, into `sshexplain -` and returns its
/// peak resident memory (VmHWM, KiB, polled while it reads) and wall time.
fn binary(data: &[u8], mb: usize) -> Option<(u64, f64)> {
    let t0 = Instant::now();
    let bin = env!("CARGO_BIN_EXE_sshexplain");
    let (peak, _, _) = stream::stream(bin, &["-"], data.to_vec(), mb << 20).ok()?;
    (peak > 0).then(|| (peak, t0.elapsed().as_secs_f64()))
}

/// Streams `mb` MiB cycled from `data` through the pipeline and prints
/// MB/s, lines/s and the ratio to a memchr line count of the same bytes.
fn large(name: &str, data: &[u8], mb: usize) {
    let bytes = mb << 20;
    let reader = || {
        io::BufReader::with_capacity(
            64 * 1024,
            Cycle {
                data,
                pos: 0,
                left: bytes,
            },
        )
    };
    let t0 = Instant::now();
    let mut counting = reader();
    let mut lines = 0usize;
    loop {
        let buf = counting.fill_buf().expect("memory");
        if buf.is_empty() {
            break;
        }
        lines += memchr::memchr_iter(b'\n', buf).count();
        let n = buf.len();
        counting.consume(n);
    }
    let count_s = t0.elapsed().as_secs_f64();

    let t0 = Instant::now();
    let trace = sshexplain::trace_reader(reader()).expect("memory");
    let report = sshexplain::report(&trace);
    std::hint::black_box(&report);
    let parse_s = t0.elapsed().as_secs_f64();

    let mbs = |s: f64| bytes as f64 / (1 << 20) as f64 / s;
    println!("{name}: {mb} MiB, {lines} lines");
    println!("  memchr line count: {:.0} MiB/s", mbs(count_s));
    println!(
        "  parse + diagnose:  {:.0} MiB/s, {:.2} M lines/s, {:.0} ns per line",
        mbs(parse_s),
        lines as f64 / parse_s / 1e6,
        parse_s * 1e9 / lines.max(1) as f64
    );
    println!(
        "  ratio: {:.1}% of the line-count speed (goal >= 25%)",
        100.0 * count_s / parse_s
    );
}
