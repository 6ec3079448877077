//! Running a suggested command as if pasted into bash, with an empty PATH
//! in a scratch HOME (shared by `tests/injection.rs` and `tests/live.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// bash's full path (the child gets an empty PATH, so it cannot be looked up there).
pub fn bash() -> Option<PathBuf> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join("bash"))
        .find(|p| p.is_file())
}

/// Runs one command as if pasted into bash; returns the marker files it made.
pub fn run_in_bash(bash: &Path, scratch: &Path, cmd: &str) -> Vec<String> {
    let script = scratch.join("cmd.sh");
    std::fs::write(&script, cmd).expect("write script");
    let mut child = Command::new(bash)
        .args(["--norc", "--noprofile"])
        .arg(&script)
        .env_clear()
        .env("PATH", "")
        .env("HOME", scratch)
        .current_dir(scratch)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("bash");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut hits = Vec::new();
    let mut dirs = vec![scratch.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.contains("PWNED") {
                hits.push(name);
            }
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                dirs.push(e.path());
            }
        }
    }
    hits
}
