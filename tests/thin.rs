//! Thin evidence must not give a confident wrong answer.
//!
//! Every corpus trace is cut the way real pastes are: with its `debugN:`
//! lines removed (roughly what ssh prints without `-v`), and cut to its last
//! 1, 3, 5 and 10 lines. Each cut must get the trace's label or an answer at
//! low confidence (or `unknown`): never another cause at high confidence.
//! Wrong answers at medium confidence are counted and printed.

mod common;

fn label(log: &std::path::Path) -> Option<String> {
    let side: toml::Table = std::fs::read_to_string(log.with_extension("toml"))
        .ok()?
        .parse()
        .ok()?;
    side.get("primary")?.as_str().map(str::to_string)
}

fn without_debug(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|l| !l.trim_start().starts_with("debug"))
        .collect()
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    lines[lines.len().saturating_sub(n)..].concat()
}

#[test]
fn cut_traces_are_right_or_honestly_unsure() {
    let mut high = Vec::new();
    let mut medium = Vec::new();
    let mut cuts = 0;
    for log in common::corpus_logs() {
        let Some(want) = label(&log) else { continue };
        let text = String::from_utf8_lossy(&std::fs::read(&log).expect("read")).into_owned();
        let variants = [
            ("no -v".to_string(), without_debug(&text)),
            ("last 1".to_string(), tail(&text, 1)),
            ("last 3".to_string(), tail(&text, 3)),
            ("last 5".to_string(), tail(&text, 5)),
            ("last 10".to_string(), tail(&text, 10)),
        ];
        for (how, cut) in variants {
            if cut.trim().is_empty() || cut == text {
                continue;
            }
            cuts += 1;
            let d = sshexplain::diagnose(&cut);
            let got = d.primary.cause.id;
            if got == want || got == "unknown" {
                continue;
            }
            let line = format!("{} ({how}): {got} instead of {want}", log.display());
            match d.primary.confidence {
                sshexplain::Confidence::High => high.push(line),
                sshexplain::Confidence::Medium => medium.push(line),
                sshexplain::Confidence::Low => {}
            }
        }
    }
    println!(
        "{cuts} cut traces: {} wrong at high confidence, {} wrong at medium",
        high.len(),
        medium.len()
    );
    for m in &medium {
        println!("  medium: {m}");
    }
    assert!(
        high.is_empty(),
        "{} wrong at high confidence:\n{}",
        high.len(),
        high.join("\n")
    );
}
