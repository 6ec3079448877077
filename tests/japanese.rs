//! Japanese reports: every corpus trace, reported in Japanese, has every
//! human-readable text in Japanese (no English sentence left behind), the
//! same diagnosis, evidence and commands as in English; and a few reports
//! are kept as snapshots (`tests/snapshots/japanese/`).

use sshexplain::lang::{is_japanese, Lang};
use sshexplain::render::{self, TextOptions};
use sshexplain::report::Report;
use std::fs;

mod common;
use std::path::Path;

fn reports(log: &Path) -> (Report, Report) {
    let bytes = fs::read(log).expect("log readable");
    let trace = sshexplain::trace(&String::from_utf8_lossy(&bytes));
    (
        sshexplain::report_in(&trace, Lang::En),
        sshexplain::report_in(&trace, Lang::Ja),
    )
}

/// Removes what is quoted rather than written: `code`, 「quotes」, "quotes",
/// 'quotes', and (parenthesised) ssh reasons copied from the log.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut close: Option<char> = None;
    for c in text.chars() {
        match close {
            Some(end) if c == end => close = None,
            Some(_) => {}
            None => match c {
                '`' => close = Some('`'),
                '「' => close = Some('」'),
                '"' => close = Some('"'),
                '（' => close = Some('）'),
                _ => out.push(c),
            },
        }
    }
    out
}

/// The longest run of consecutive English words (letters only, two or
/// more) in a text.
fn english_run(text: &str) -> usize {
    let (mut run, mut best) = (0, 0);
    for word in text.split(|c: char| c.is_whitespace() || is_japanese(c)) {
        let w = word.trim_matches(|c: char| ",.;:!?()".contains(c));
        if w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic()) {
            run += 1;
            best = best.max(run);
        } else if !w.is_empty() || word.is_empty() {
            run = 0;
        }
    }
    best
}

fn check_japanese(what: &str, text: &str, problems: &mut Vec<String>) {
    if !text.chars().any(is_japanese) {
        problems.push(format!("{what}: no Japanese: {text}"));
    } else if english_run(&prose(text)) >= 4 {
        problems.push(format!("{what}: English prose left: {text}"));
    }
}

#[test]
fn every_report_reads_in_japanese() {
    let mut problems = Vec::new();
    let logs = common::corpus_logs();
    assert!(logs.len() > 800);
    for log in &logs {
        let (en, ja) = reports(log);
        let name = log.display().to_string();
        assert_eq!(ja.lang, Lang::Ja);
        let ids = |r: &Report| r.diagnoses.iter().map(|d| d.id).collect::<Vec<_>>();
        assert_eq!(
            ids(&en),
            ids(&ja),
            "{name}: the language changed the diagnosis"
        );
        for (e, j) in en.diagnoses.iter().zip(&ja.diagnoses) {
            assert_eq!(e.evidence, j.evidence, "{name}: evidence differs");
            assert_eq!(e.confidence, j.confidence, "{name}");
            let commands = |d: &sshexplain::report::ReportedFinding| {
                d.remediation
                    .iter()
                    .map(|s| s.command.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(commands(e), commands(j), "{name}: commands differ");
            let at = format!("{name} {}", j.id);
            check_japanese(&format!("{at} title"), j.title, &mut problems);
            check_japanese(&format!("{at} summary"), &j.summary, &mut problems);
            check_japanese(&format!("{at} explanation"), &j.explanation, &mut problems);
            for s in &j.remediation {
                check_japanese(&format!("{at} step"), &s.text, &mut problems);
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} untranslated texts:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_english_prose_check_can_fail() {
    assert_eq!(english_run("鍵 `ssh -o Foo=bar host` を使います"), 0);
    assert!(english_run(&prose("Check the user name and the password。")) >= 4);
    assert_eq!(
        english_run(&prose("ログ（no matching host key type found）")),
        0
    );
}

/// A few reports in Japanese, whole, as the terminal shows them.
#[test]
fn japanese_text_reports_are_stable() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for rel in [
        "auth.key-rejected/auth-key-rejected-10.0p2-v1.log",
        "auth.failed/public-cloudtunes-46-mingw64-repeated.log",
        "hostkey.changed/hostkey-changed-10.0p2-v1.log",
        "kex.no-common-kex/kex-no-common-kex-10.0p2-v1.log",
        "auth.key-unprotected/public-d0bata-til-macos-pem-644-ja.log",
        "auth.key-unprotected/public-vscode-1619-windows-key-inherited-acl.log",
        "auth.no-mutual-signature/auth-no-mutual-signature-10.0p2-v1.log",
        "ok.connected/auth-no-mutual-signature-8.4p1-v1.log",
        "unknown/unknown-aborted-kbdint-prompt-10.0p2-v1.log",
    ] {
        let log = root.join(rel);
        if !log.exists() {
            panic!("snapshot input {rel} is missing");
        }
        let (_, ja) = reports(&log);
        let text = render::text(
            &ja,
            TextOptions {
                color: false,
                quiet: false,
                width: 0,
            },
        );
        let snap = Path::new(rel)
            .with_extension("")
            .display()
            .to_string()
            .replace('/', "__");
        insta::with_settings!({
            snapshot_path => "snapshots/japanese",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => rel,
        }, {
            insta::assert_snapshot!(snap, text);
        });
    }
}
