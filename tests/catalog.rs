//! The catalog is complete (in the spirit of rustc's `tidy` error-code
//! checks): every cause has a well-formed stable ID, a title, the documented
//! sections, and at least two real traces in the corpus labelled with it as
//! primary (`tests/corpus.rs` checks that each one is diagnosed so).

use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn every_cause_is_documented() {
    let mut seen = std::collections::BTreeSet::new();
    for c in sshexplain::diagnose::catalog() {
        assert!(seen.insert(c.id), "duplicate ID {}", c.id);
        let well_formed = c.id == "unknown"
            || c.id.split_once('.').is_some_and(|(phase, name)| {
                !phase.is_empty()
                    && !name.is_empty()
                    && c.id.chars().all(|ch| {
                        ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '.' || ch == '-'
                    })
            });
        assert!(well_formed, "malformed ID {}", c.id);
        assert!(!c.title.is_empty(), "{} has no title", c.id);
        let doc = c.doc_text();
        for section in ["## Why it happens", "## How to fix", "## Evidence"] {
            assert!(
                doc.contains(section),
                "{} lacks `{section}` in its doc",
                c.id
            );
        }
        assert!(
            c.explanation().len() > 40,
            "{} has no explanation paragraph",
            c.id
        );
    }
    assert!(seen.len() >= 62);
}

#[test]
fn every_cause_has_two_real_traces() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut primaries: BTreeMap<String, usize> = BTreeMap::new();
    for dir in std::fs::read_dir(&root).expect("corpus/").flatten() {
        for f in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let p = f.path();
            if p.extension().is_some_and(|e| e == "toml") && p.with_extension("log").exists() {
                let t: toml::Table = std::fs::read_to_string(&p)
                    .expect("sidecar")
                    .parse()
                    .expect("toml");
                if let Some(id) = t.get("primary").and_then(|v| v.as_str()) {
                    *primaries.entry(id.to_string()).or_default() += 1;
                }
            }
        }
    }
    let thin: Vec<String> = sshexplain::diagnose::catalog()
        .filter(|c| primaries.get(c.id).copied().unwrap_or(0) < 2)
        .map(|c| format!("{} ({})", c.id, primaries.get(c.id).copied().unwrap_or(0)))
        .collect();
    assert!(
        thin.is_empty(),
        "causes with fewer than 2 corpus traces: {}",
        thin.join(", ")
    );
    for id in primaries.keys() {
        assert!(
            sshexplain::diagnose::cause(id).is_some(),
            "corpus label {id} is not a cause"
        );
    }
}
