//! The catalog is complete (in the spirit of rustc's `tidy` error-code
//! checks): every cause has a well-formed stable ID, a title, the documented
//! sections, and at least two real traces in the corpus labelled with it as
//! primary (`tests/corpus.rs` checks that each one is diagnosed so).

use sshexplain::lang::{is_japanese, Lang};
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
        let doc = c.doc_text(Lang::En);
        for section in ["## Why it happens", "## How to fix", "## Evidence"] {
            assert!(
                doc.contains(section),
                "{} lacks `{section}` in its doc",
                c.id
            );
        }
        assert!(
            c.explanation(Lang::En).len() > 40,
            "{} has no explanation paragraph",
            c.id
        );
    }
    assert!(seen.len() >= 62);
}

/// Every cause speaks Japanese too: a title, the explanation paragraph and
/// the same sections as the English doc, written in Japanese.
#[test]
fn every_cause_is_documented_in_japanese() {
    let japanese = |s: &str| s.chars().filter(|c| is_japanese(*c)).count();
    for c in sshexplain::diagnose::catalog() {
        let title = c.title_in(Lang::Ja);
        assert!(
            japanese(title) >= 2,
            "{}: title not in Japanese: {title}",
            c.id
        );
        let explanation = c.explanation(Lang::Ja);
        assert!(
            japanese(&explanation) >= 20,
            "{}: explanation not in Japanese: {explanation}",
            c.id
        );
        let own = c.doc_ja;
        for section in ["## なぜ起きるか", "## 直し方"] {
            assert_eq!(
                own.matches(section).count(),
                1,
                "{} lacks `{section}`",
                c.id
            );
            let body = own.split(section).nth(1).unwrap_or("");
            let body = body.split("\n## ").next().unwrap_or("");
            assert!(
                japanese(body) >= 10,
                "{}: `{section}` has no Japanese text",
                c.id
            );
        }
        assert!(
            !own.contains("## Evidence") && !own.contains("## Why"),
            "{}",
            c.id
        );
        let doc = c.doc_text(Lang::Ja);
        assert!(
            doc.contains("## 証拠となる出力"),
            "{}: the evidence section is not appended",
            c.id
        );
        assert_ne!(c.title_in(Lang::Ja), c.title, "{}", c.id);
    }
}

#[test]
fn every_cause_has_two_real_traces() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut primaries: BTreeMap<String, usize> = BTreeMap::new();
    // Client traces in corpus/CAUSE/, and the server's side in
    // corpus/server/CAUSE/ (a pair: NAME.server.log beside NAME.toml).
    let server_dirs = std::fs::read_dir(root.join("server"))
        .expect("corpus/server/")
        .flatten();
    for dir in std::fs::read_dir(&root)
        .expect("corpus/")
        .flatten()
        .chain(server_dirs)
    {
        for f in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let p = f.path();
            let log = p.with_extension("log").exists() || p.with_extension("server.log").exists();
            if p.extension().is_some_and(|e| e == "toml") && log {
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
