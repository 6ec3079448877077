//! The differential's counts come from the corpus: for every public paste
//! with a confirmed or implied label (the tuned split of `corpus/wild/` and
//! the public pastes among the labelled traces; never the held-out split),
//! the symptom it shows and the cause its thread confirmed are tallied where
//! the symptom is all the input shows, and each hypothesis's `seen` must
//! equal its tally.

mod common;

use sshexplain::diagnose::differential::{symptom, SYMPTOMS};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn public_pastes() -> Vec<PathBuf> {
    let tuned = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/wild/tuned");
    let mut out: Vec<PathBuf> = std::fs::read_dir(tuned)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.extension().is_some_and(|e| e == "log"));
    out.extend(common::corpus_logs().into_iter().filter(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("public-"))
    }));
    out.sort();
    out
}

fn label(log: &Path) -> Option<String> {
    let side: toml::Table = std::fs::read_to_string(log.with_extension("toml"))
        .ok()?
        .parse()
        .ok()?;
    let sure = side
        .get("label_confidence")
        .or_else(|| side.get("confidence"))
        .and_then(|v| v.as_str())
        .unwrap_or("high");
    (sure != "low").then(|| side.get("primary")?.as_str().map(str::to_string))?
}

#[test]
fn hypothesis_counts_are_the_corpus_counts() {
    let mut tally: BTreeMap<&str, BTreeMap<String, u32>> = BTreeMap::new();
    for log in public_pastes() {
        let Some(want) = label(&log) else { continue };
        let text = String::from_utf8_lossy(&std::fs::read(&log).expect("read")).into_owned();
        let trace = sshexplain::trace(&text);
        // Only where the symptom is all the input shows (the diagnosis has
        // nothing better than a low-confidence answer), and only labels that
        // name a cause (`auth.failed` and `unknown` are what a thread without
        // a confirmed cause gets).
        let thin = sshexplain::diagnose::diagnose_trace(&trace)
            .primary
            .confidence
            == sshexplain::Confidence::Low;
        if want == "auth.failed" || want == "unknown" || !thin {
            continue;
        }
        if let Some(s) = symptom(&trace) {
            *tally.entry(s.name).or_default().entry(want).or_default() += 1;
        }
    }
    println!("{tally:#?}");
    for s in SYMPTOMS {
        let counts = tally.get(s.name).cloned().unwrap_or_default();
        for h in s.hypotheses {
            let n = counts.get(h.id).copied().unwrap_or(0);
            assert_eq!(
                h.seen, n,
                "{}: {} is seen {n} times in the corpus",
                s.name, h.id
            );
        }
        for id in counts.keys() {
            assert!(
                s.hypotheses.iter().any(|h| h.id == id),
                "{}: the corpus has {id} for this symptom, the differential does not",
                s.name
            );
        }
    }
}

/// A thin last attempt is read in the light of an earlier attempt of the
/// same paste to the same host (a real paste: ssh-copy-id refused for want
/// of a password method, then a plain ssh refused the same way).
#[test]
fn an_earlier_attempt_ranks_the_differential() {
    let log = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/wild/tuned/public-github-qt-devops-527-ssh-copy-id.log");
    let text = String::from_utf8_lossy(&std::fs::read(log).expect("read")).into_owned();
    let d = sshexplain::diagnose(&text);
    assert_eq!(d.primary.cause.id, "auth.method-unavailable");
    assert_eq!(d.primary.confidence, sshexplain::Confidence::Low);
    assert!(
        d.primary.summary.contains("earlier attempt"),
        "{}",
        d.primary.summary
    );
    // The last attempt alone has only the public pastes' frequencies.
    let last: String = text
        .lines()
        .skip_while(|l| !l.contains("$ ssh "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!last.is_empty());
    let alone = sshexplain::diagnose(&last);
    assert_eq!(alone.primary.cause.id, "auth.key-rejected");
}
