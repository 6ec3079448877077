//! On real traces, fewer than 2% of the ssh lines at debug1 and above may
//! fall back to `other`: the grammar must know the messages people see.

mod common;

#[test]
fn few_debug1_lines_fall_back_to_other() {
    let (mut lines, mut other) = (0usize, 0usize);
    let mut unknown: std::collections::BTreeMap<String, usize> = Default::default();
    for path in common::corpus_logs() {
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("readable")).into_owned();
        let t = sshexplain::trace(&text);
        lines += t.stats.ssh_lines_debug1;
        other += t.stats.other_debug1;
        for line in sshexplain::input::lines(&text) {
            let e = sshexplain::grammar::parse_line(line.view());
            if matches!(e.kind, sshexplain::EventKind::Other { .. })
                && e.level <= sshexplain::event::Level::Debug1
            {
                let shape: String = line
                    .text
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" ");
                *unknown.entry(shape).or_default() += 1;
            }
        }
    }
    let share = other as f64 / lines.max(1) as f64;
    println!(
        "{other} of {lines} ssh lines at debug1 and above are `other`: {:.2}%",
        share * 100.0
    );
    let mut top: Vec<_> = unknown.into_iter().collect();
    top.sort_by_key(|e| std::cmp::Reverse(e.1));
    for (shape, n) in top.iter().take(25) {
        println!("  {n:>5}  {shape}");
    }
    assert!(
        share < 0.02,
        "{:.2}% of debug1 lines are `other`",
        share * 100.0
    );
}
