//! Every corpus trace gets the diagnosis its sidecar labels.
//!
//! `corpus/<cause>/<name>.log` holds a real trace; `<name>.toml` says how it
//! was produced (or where it was posted) and its expected `primary` and
//! `secondary` causes. Traces labelled from a thread's resolution rather than
//! the log itself (`confidence = "medium"`) must get either the label or an
//! honest low-confidence answer (the fallback, or the differential's top
//! hypothesis with the label among the hypotheses) — never a confident
//! wrong answer.

use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug)]
struct Case {
    log: PathBuf,
    primary: String,
    secondary: Vec<String>,
    label_confidence: String,
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(&root)
        .expect("corpus/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<_> = fs::read_dir(&dir)
            .expect("readable")
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for toml_path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        {
            let log = toml_path.with_extension("log");
            if !log.exists() {
                continue;
            }
            let text = fs::read_to_string(toml_path).expect("sidecar readable");
            let v: toml::Table = text
                .parse()
                .unwrap_or_else(|e| panic!("{}: {e}", toml_path.display()));
            let primary = v
                .get("primary")
                .and_then(|p| p.as_str())
                .unwrap_or_else(|| panic!("{}: no primary", toml_path.display()))
                .to_string();
            let secondary = v
                .get("secondary")
                .and_then(|s| s.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let label_confidence = v
                .get("confidence")
                .and_then(|c| c.as_str())
                .unwrap_or("high")
                .to_string();
            out.push(Case {
                log,
                primary,
                secondary,
                label_confidence,
            });
        }
    }
    out
}

fn name(p: &Path) -> String {
    p.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or(p)
        .display()
        .to_string()
}

#[test]
fn corpus_diagnoses_match_labels() {
    let cases = cases();
    assert!(
        cases.len() >= 200,
        "the corpus has only {} traces",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let bytes = fs::read(&case.log).expect("log readable");
        let text = String::from_utf8_lossy(&bytes);
        let d = sshexplain::diagnose(&text);
        let got = d.primary.cause.id;
        let secondary: Vec<&str> = d.secondary.iter().map(|f| f.cause.id).collect();
        // An honest answer to thin evidence: the fallback, or the
        // differential's top hypothesis when the label is among them (or is
        // the fallback itself), at low confidence.
        let differential = !d.hypotheses.is_empty()
            && (case.primary == "auth.failed" || d.hypotheses.iter().any(|h| h.id == case.primary));
        let low = d.primary.confidence == sshexplain::Confidence::Low;
        // `auth.failed` labels a paste too thin to name a cause: the
        // differential at low confidence is that answer in its new form.
        let primary_ok = got == case.primary
            || (case.primary == "auth.failed" && differential && low)
            || (case.label_confidence != "high"
                && (matches!(got, "auth.failed" | "unknown") || differential)
                && low);
        let missing: Vec<_> = case
            .secondary
            .iter()
            .filter(|s| !secondary.contains(&s.as_str()) && s.as_str() != got)
            .collect();
        if !primary_ok || !missing.is_empty() {
            failures.push(format!(
                "{}: expected {} {:?}, got {} ({}) {:?}",
                name(&case.log),
                case.primary,
                case.secondary,
                got,
                d.primary.confidence.name(),
                secondary
            ));
        }
    }
    println!(
        "{} of {} corpus traces diagnosed as labelled",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// One snapshot per trace of the plain-text report (`tests/snapshots/corpus/`).
#[test]
fn corpus_text_reports_are_stable() {
    for case in cases() {
        let bytes = fs::read(&case.log).expect("log readable");
        let trace = sshexplain::trace(&String::from_utf8_lossy(&bytes));
        let report = sshexplain::report(&trace);
        let text = sshexplain::render::text(
            &report,
            sshexplain::render::TextOptions {
                color: false,
                quiet: false,
                width: 0,
            },
        );
        let rel = case
            .log
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"))
            .expect("under corpus/");
        let snap = rel
            .with_extension("")
            .display()
            .to_string()
            .replace('/', "__");
        insta::with_settings!({
            snapshot_path => "snapshots/corpus",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => name(&case.log),
        }, {
            insta::assert_snapshot!(snap, text);
        });
    }
}

/// Every finding records the event it explains, and quotes it: on every
/// corpus trace and every public paste.
#[test]
fn findings_name_the_event_they_explain() {
    let wild = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/wild");
    let mut logs: Vec<PathBuf> = cases().into_iter().map(|c| c.log).collect();
    for split in ["tuned", "heldout"] {
        logs.extend(
            fs::read_dir(wild.join(split))
                .expect("corpus/wild")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "log")),
        );
    }
    let mut bad = Vec::new();
    let mut checked = 0;
    for log in &logs {
        let text = String::from_utf8_lossy(&fs::read(log).expect("read")).into_owned();
        let d = sshexplain::diagnose(&text);
        for f in std::iter::once(&d.primary).chain(&d.secondary) {
            if f.evidence.is_empty() {
                continue;
            }
            checked += 1;
            match &f.explains {
                None => bad.push(format!(
                    "{}: {} explains no event",
                    log.display(),
                    f.cause.id
                )),
                Some(e) if !f.evidence.contains(e) => bad.push(format!(
                    "{}: {} explains line {} but does not quote it",
                    log.display(),
                    f.cause.id,
                    e.line
                )),
                Some(_) => {}
            }
        }
    }
    assert!(checked > 1000, "only {checked} findings checked");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
