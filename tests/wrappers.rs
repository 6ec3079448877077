//! Real pastes come wrapped: whatever prefix a tool, a forum or a terminal
//! puts before every line (indentation, timestamps, tags, quote marks,
//! JSON records), the diagnosis of a corpus trace does not change.
//!
//! The prefixes are drawn from a general generator (runs of spaces and tabs,
//! digit groups with separators, bracketed or bare words with `:` or `|`,
//! quote marks, a JSON record with a random key): it names no tool's format.

mod common;

use proptest::prelude::*;
use std::sync::OnceLock;

/// Every corpus trace with its labelled primary diagnosis.
fn corpus() -> &'static Vec<(String, String, &'static str)> {
    static CELL: OnceLock<Vec<(String, String, &'static str)>> = OnceLock::new();
    CELL.get_or_init(|| {
        common::corpus_logs()
            .into_iter()
            .filter_map(|p| {
                let text = String::from_utf8_lossy(&std::fs::read(&p).ok()?).into_owned();
                let id = sshexplain::diagnose(&text).primary.cause.id;
                Some((p.display().to_string(), text, id))
            })
            .collect()
    })
}

/// One prefix atom: spaces, a clock-like or date-like digit group, a word
/// tag, a bracketed path, a pipe column.
fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ \t]{1,8}",
        "\\[?[0-9]{1,4}([-:/.T][0-9]{1,4}){1,5}(\\.[0-9]{1,6})?Z?\\]? ",
        "[a-z][a-z0-9-]{1,10}(: | +\\| )",
        "\\[[a-z][a-z0-9]{0,6}(/[a-z0-9-]{1,10}){0,2}\\] ",
        "[A-Z]{3,6} ",
    ]
}

/// A whole wrapper: up to three atoms, then optionally a quote around the
/// line or a JSON record around it.
#[derive(Debug, Clone)]
enum Wrap {
    Prefix(String),
    Quoted(String, char),
    Json(String, String),
}

fn wrap() -> impl Strategy<Value = Wrap> {
    let prefix = || prop::collection::vec(atom(), 1..=3).prop_map(|v| v.concat());
    prop_oneof![
        4 => prefix().prop_map(Wrap::Prefix),
        1 => (prefix(), prop::sample::select(vec!['"', '`'])).prop_map(|(p, q)| Wrap::Quoted(p, q)),
        1 => ("[a-z]{1,8}", "[a-z]{1,8}").prop_map(|(k, k2)| Wrap::Json(k, k2)),
    ]
}

fn apply(w: &Wrap, text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        match w {
            Wrap::Prefix(p) => out.push_str(&format!("{p}{line}")),
            Wrap::Quoted(p, q) => out.push_str(&format!("{p}{q}{line}{q}")),
            Wrap::Json(k, k2) => {
                let esc = serde_json::to_string(&format!("{line}\n")).expect("json string");
                out.push_str(&format!("{{\"{k}\":{esc},\"{k2}\":\"stderr\"}}"));
            }
        }
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]
    #[test]
    fn wrapped_corpus_traces_keep_their_diagnosis(i in any::<prop::sample::Index>(), w in wrap()) {
        let all = corpus();
        let (path, text, id) = &all[i.index(all.len())];
        let wrapped = apply(&w, text);
        let got = sshexplain::diagnose(&wrapped).primary.cause.id;
        prop_assert_eq!(got, *id, "{} wrapped as {:?}", path, w);
    }
}

/// Corpus traces with no pasted command line inside (so each is one attempt).
fn single_attempts() -> &'static Vec<(String, String, &'static str)> {
    static CELL: OnceLock<Vec<(String, String, &'static str)>> = OnceLock::new();
    CELL.get_or_init(|| {
        corpus()
            .iter()
            .filter(|(_, text, _)| {
                sshexplain::attempts(text).earlier.is_empty()
                    && !sshexplain::parse(text)
                        .iter()
                        .any(|e| matches!(e.kind, sshexplain::EventKind::Command { .. }))
            })
            .cloned()
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Two attempts pasted under prompt lines: the report is about the
    /// second (or the first's failure, when the second stops before any
    /// outcome), and the other's cause is listed.
    #[test]
    fn two_attempts_are_diagnosed_each_on_its_own(
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        prompt in prop::sample::select(vec!["$ ", "% ", "user@laptop:~$ ", "PS C:\\Users\\me> ", "C:\\Users\\me>"]),
    ) {
        let all = single_attempts();
        let (pa, ta, ia) = &all[a.index(all.len())];
        let (pb, tb, ib) = &all[b.index(all.len())];
        prop_assume!(ia != ib);
        let paste = format!("{prompt}ssh -v alice@first.example\n{ta}\n{prompt}ssh -v bob@second.example\n{tb}");
        let split = sshexplain::attempts(&paste);
        let last = sshexplain::diagnose::diagnose_trace(&split.last).primary.cause.id;
        // A second attempt that stops before any outcome gives way to the
        // first's failure (then listed itself, as `unknown`).
        let (want, listed) = if split.last.later_cut.is_some() {
            prop_assert_eq!(*ib, "unknown", "{} then {}", pa, pb);
            (*ia, *ib)
        } else {
            (*ib, *ia)
        };
        prop_assert_eq!(last, want, "{} then {}", pa, pb);
        prop_assert!(
            split.earlier.iter().any(|e| e.diagnoses.first().is_some_and(|d| d.id == listed)),
            "{} then {}: others {:?}", pa, pb, split.earlier.iter().map(|e| e.diagnoses.first().map(|d| d.id)).collect::<Vec<_>>()
        );
    }
}
