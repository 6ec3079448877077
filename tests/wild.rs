//! Accuracy on real public pastes, collected at natural frequency
//! (`corpus/wild/`, see corpus/README.md): `tuned/` is what diagnoses may
//! be tuned on, `heldout/` was set aside before any tuning and is only
//! measured. The test prints the figures of both splits and fails when they
//! fall below the floors (so a regression is caught); the goal on the
//! held-out split is 90% primary accuracy and no confident wrong answer.

use std::path::Path;

#[derive(Clone)]
struct Paste {
    name: String,
    text: String,
    primary: String,
    /// How sure the thread is of the label: `high`, `medium`, `low`.
    label: String,
    /// The collection batch (1: the first 372 pastes, 2: the fresh batch
    /// of 107 collected and split before the work of session 6, 3: the 164
    /// collected and split in session 8, 4: the 165 of session 9, 5: the
    /// 148 of session 10, 6 and 7: the 126 and 138 of session 11).
    batch: i64,
    /// Whether the page showed only part of the paste (a cut excerpt,
    /// often before ssh's error line).
    truncated: bool,
}

fn split(name: &str) -> Vec<Paste> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/wild")
        .join(name);
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for toml_path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let side: toml::Table = std::fs::read_to_string(toml_path)
            .expect("sidecar")
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", toml_path.display()));
        let log = std::fs::read(toml_path.with_extension("log")).expect("log beside its sidecar");
        let get = |k: &str| {
            side.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        out.push(Paste {
            name: toml_path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            text: String::from_utf8_lossy(&log).into_owned(),
            primary: get("primary"),
            label: get("label_confidence"),
            batch: side.get("batch").and_then(|v| v.as_integer()).unwrap_or(1),
            truncated: side
                .get("truncated")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        });
    }
    out
}

#[derive(Default, Debug)]
struct Figures {
    /// Pastes whose label the thread confirms or strongly implies.
    sure: usize,
    /// Of those, the primary diagnosis equals the label.
    right: usize,
    /// Of those, wrong but at low confidence (an honest "not sure").
    unsure: usize,
    /// Of those, wrong at medium confidence.
    wrong_medium: usize,
    /// Of all pastes, wrong at high confidence (whatever the label's confidence).
    wrong_high: Vec<String>,
    /// Pastes with a low-confidence label, and how many match it.
    weak: usize,
    weak_right: usize,
}

fn measure(pastes: &[Paste]) -> Figures {
    let mut f = Figures::default();
    for p in pastes {
        let d = sshexplain::diagnose(&p.text);
        let got = d.primary.cause.id;
        let right = got == p.primary;
        if p.label == "low" {
            f.weak += 1;
            f.weak_right += usize::from(right);
            continue;
        }
        f.sure += 1;
        match (right, d.primary.confidence) {
            (true, _) => f.right += 1,
            (false, sshexplain::Confidence::Low) => f.unsure += 1,
            (false, sshexplain::Confidence::Medium) => f.wrong_medium += 1,
            (false, sshexplain::Confidence::High) => f
                .wrong_high
                .push(format!("{}: {} (labelled {})", p.name, got, p.primary)),
        }
    }
    f
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn report(name: &str, f: &Figures, misses: bool) {
    println!(
        "{name}: {} pastes with a confirmed or implied label: {} right ({:.1}%), {} wrong at low confidence, {} wrong at medium ({:.1}%), {} wrong at high; {} more with a weak label, {} of them match it",
        f.sure,
        f.right,
        pct(f.right, f.sure),
        f.unsure,
        f.wrong_medium,
        pct(f.wrong_medium, f.sure),
        f.wrong_high.len(),
        f.weak,
        f.weak_right
    );
    if misses {
        for w in &f.wrong_high {
            println!("  wrong at high confidence: {w}");
        }
    }
}

/// The pastes that `keep` keeps.
fn only(pastes: &[Paste], keep: impl Fn(&Paste) -> bool) -> Vec<Paste> {
    pastes.iter().filter(|p| keep(p)).cloned().collect()
}

#[test]
fn accuracy_on_real_public_pastes() {
    let tuned = split("tuned");
    let heldout = split("heldout");
    assert!(
        tuned.len() >= 200 && heldout.len() >= 100,
        "the wild corpus is missing"
    );
    let of_batch = |pastes: &[Paste], batch: i64| only(pastes, |p| p.batch == batch);
    let (t, h) = (measure(&tuned), measure(&heldout));
    report("tuned", &t, true);
    for batch in BATCHES {
        report(
            &format!("tuned, batch {batch}"),
            &measure(&of_batch(&tuned, batch)),
            false,
        );
    }
    // The held-out split is measured, never read: only its counts are shown.
    report("held-out", &h, false);
    for batch in BATCHES {
        report(
            &format!("held-out, batch {batch}"),
            &measure(&of_batch(&heldout, batch)),
            false,
        );
    }
    // Pastes the page showed whole: what a cut excerpt lacks (often the
    // error line itself) no reading can supply.
    let whole = |pastes: &[Paste]| only(pastes, |p| !p.truncated);
    report("tuned, whole pastes", &measure(&whole(&tuned)), false);
    report("held-out, whole pastes", &measure(&whole(&heldout)), false);
    // Floors: the figures measured when the split was last tuned (see the
    // README's corpus section); raise them as the diagnosis improves.
    assert!(
        pct(t.right, t.sure) >= TUNED_FLOOR,
        "tuned accuracy fell: {t:?}"
    );
    // Counts only: the held-out pastes' names and labels are not shown even
    // when the floor fails.
    assert!(
        pct(h.right, h.sure) >= HELDOUT_FLOOR,
        "held-out accuracy fell: {} of {} right, {} wrong at medium, {} at high",
        h.right,
        h.sure,
        h.wrong_medium,
        h.wrong_high.len()
    );
}

/// The collection batches (see corpus/README.md).
const BATCHES: [i64; 13] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const TUNED_FLOOR: f64 = 79.5;
const HELDOUT_FLOOR: f64 = 73.0;
