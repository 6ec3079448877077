//! The server's side (`corpus/server/`, `corpus/server-wild/`, see
//! corpus/README.md).
//!
//! `corpus/server/CAUSE/NAME.{client,server}.log` are real pairs: one run of
//! the real `ssh` against a real `sshd` on loopback, the client's output and
//! the server's log of it (as `sshd -E`, classic syslog, RFC 3339 syslog or
//! Dropbear's syslog wrote it). Each pair is read the three ways people
//! have it: the server log pasted alone, both pasted together, and
//! `--server SERVER.log CLIENT.log`; all three must name the sidecar's
//! `primary`. The client's output alone must never name a cause only the
//! server's log can show, unless the server's own words reached the client
//! (the sidecar's `client_alone` says so).
//!
//! `corpus/server-wild/{tuned,heldout}` are server logs people posted
//! publicly (collected at natural frequency; `heldout/` set aside before
//! any tuning and only measured). The test prints both splits' figures and
//! fails below the floors or on a confident wrong answer in either.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use sshexplain::{Confidence, Diagnosis};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn sidecar(path: &Path) -> toml::Table {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn get(t: &toml::Table, k: &str) -> String {
    t.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string()
}

fn read(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// `NAME.toml` → (`NAME.server.log` or `NAME.log`, `NAME.client.log`).
fn logs(toml: &Path) -> (Option<String>, Option<String>) {
    let stem = toml.with_extension("");
    let with = |ext: &str| PathBuf::from(format!("{}.{ext}", stem.display()));
    let server = read(&with("server.log")).or_else(|| read(&with("log")));
    (server, read(&with("client.log")))
}

fn sidecars(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Diagnoses `--server SERVER CLIENT`.
fn with_server(client: &str, server: &str) -> Diagnosis {
    let split = sshexplain::attempts_with_server(
        Cursor::new(client.as_bytes()),
        Cursor::new(server.as_bytes()),
        sshexplain::lang::Lang::En,
    )
    .expect("in-memory read");
    sshexplain::diagnose::diagnose_trace(&split.last)
}

fn server_only_cause(id: &str) -> bool {
    sshexplain::diagnose::server_side(id)
}

/// A server's log alone shows the server's side of a client-side cause
/// (a refusal, not why the client made it): never at high confidence.
fn client_cause_at_high(d: &Diagnosis) -> Option<String> {
    std::iter::once(&d.primary)
        .chain(&d.secondary)
        .find(|f| !server_only_cause(f.cause.id) && f.confidence == Confidence::High)
        .map(|f| {
            format!(
                "{} at high confidence from the server's log alone",
                f.cause.id
            )
        })
}

fn show(d: &Diagnosis) -> String {
    format!("{} ({:?})", d.primary.cause.id, d.primary.confidence)
}

#[test]
fn generated_pairs_name_the_servers_reason() {
    let files = sidecars(&root().join("server"));
    assert!(
        files.len() >= 40,
        "corpus/server holds {} pairs",
        files.len()
    );
    let mut bad = Vec::new();
    for toml in &files {
        let side = sidecar(toml);
        let want = get(&side, "primary");
        let name = toml.display().to_string();
        let (Some(server), client) = logs(toml) else {
            panic!("{name}: no server log beside the sidecar");
        };
        let alone = sshexplain::diagnose(&server);
        if alone.primary.cause.id != want {
            bad.push(format!("{name}: server log alone → {}", show(&alone)));
        }
        if let Some(why) = client_cause_at_high(&alone) {
            bad.push(format!("{name}: server log alone → {why}"));
        }
        let Some(client) = client else { continue };
        let joined = with_server(&client, &server);
        if joined.primary.cause.id != want {
            bad.push(format!("{name}: --server → {}", show(&joined)));
        }
        // The server's lines must be cited next to the client's.
        if server_only_cause(&want)
            && !joined
                .primary
                .evidence
                .iter()
                .any(|e| e.side == sshexplain::event::Side::Server)
        {
            bad.push(format!("{name}: --server cites no server line"));
        }
        let pasted = sshexplain::diagnose(&format!("{client}\n{server}"));
        if pasted.primary.cause.id != want {
            bad.push(format!(
                "{name}: client and server pasted together → {}",
                show(&pasted)
            ));
        }
        let client_alone = sshexplain::diagnose(&client);
        let id = client_alone.primary.cause.id;
        let expect = get(&side, "client_alone");
        // Unless the server's words reached the client (PAM's `Your account
        // has expired`), only the server's log names a server-side cause.
        if server_only_cause(id) && id != expect {
            bad.push(format!("{name}: the client's output alone → {id}"));
        }
        if !expect.is_empty() && id != expect {
            bad.push(format!(
                "{name}: the client's output alone → {} (sidecar: {expect})",
                show(&client_alone)
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[derive(Default, Debug)]
struct Figures {
    total: usize,
    right: usize,
    wrong_high: Vec<String>,
    wrong: Vec<String>,
    /// Server logs alone that gave a client-side cause at high confidence.
    client_at_high: Vec<String>,
}

fn measure(split: &str) -> Figures {
    let mut f = Figures::default();
    for toml in sidecars(&root().join("server-wild").join(split)) {
        let side = sidecar(&toml);
        let want = get(&side, "label");
        let (Some(server), client) = logs(&toml) else {
            panic!("{}: no log beside the sidecar", toml.display());
        };
        let d = match client {
            Some(c) => with_server(&c, &server),
            None => {
                let d = sshexplain::diagnose(&server);
                if let Some(why) = client_cause_at_high(&d) {
                    f.client_at_high.push(format!("{}: {why}", toml.display()));
                }
                d
            }
        };
        f.total += 1;
        let got = d.primary.cause.id;
        let name = toml
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if got == want {
            f.right += 1;
        } else if d.primary.confidence == Confidence::High {
            f.wrong_high
                .push(format!("{name}: {} (want {want})", show(&d)));
        } else {
            f.wrong.push(format!("{name}: {} (want {want})", show(&d)));
        }
    }
    f
}

fn percent(f: &Figures) -> f64 {
    100.0 * f.right as f64 / f.total.max(1) as f64
}

#[test]
fn public_server_logs() {
    let tuned = measure("tuned");
    let heldout = measure("heldout");
    for (name, f) in [("tuned", &tuned), ("heldout", &heldout)] {
        eprintln!(
            "server-wild/{name}: {}/{} right ({:.1}%), {} wrong at high confidence",
            f.right,
            f.total,
            percent(f),
            f.wrong_high.len()
        );
        // The held-out split is only measured: its misses are not listed,
        // so nobody tunes on them (its confident wrong answers still fail
        // the test below, by name).
        if name == "tuned" {
            for w in f.wrong_high.iter().chain(&f.wrong) {
                eprintln!("  {w}");
            }
        }
    }
    assert!(tuned.total >= 30 && heldout.total >= 15);
    // Floors at the figures measured when the server's side landed
    // (tuned 37 of 37, held-out 14 of 19; before any server-side tuning
    // they were 21 of 37 and 9 of 19).
    assert!(percent(&tuned) >= 97.0, "tuned: {tuned:?}");
    assert!(
        percent(&heldout) >= 73.0,
        "heldout: {} of {}",
        heldout.right,
        heldout.total
    );
    assert!(
        tuned.client_at_high.is_empty() && heldout.client_at_high.is_empty(),
        "{:?} {:?}",
        tuned.client_at_high,
        heldout.client_at_high
    );
    assert!(
        tuned.wrong_high.is_empty() && heldout.wrong_high.is_empty(),
        "confident wrong answers: {:?} {:?}",
        tuned.wrong_high,
        heldout.wrong_high
    );
}
