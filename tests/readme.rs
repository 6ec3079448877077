//! The README's causes table is generated from the catalog and must not drift.

fn table() -> String {
    let mut out = String::from("| ID | Severity | Title |\n|---|---|---|\n");
    for c in sshexplain::diagnose::catalog() {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.id,
            c.severity.name(),
            c.title
        ));
    }
    out
}

/// The README's text.
fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
}

/// The text of the fenced block that follows `marker` in the README.
fn block_after<'a>(readme: &'a str, marker: &str, what: &str) -> &'a str {
    let start = readme
        .find(marker)
        .unwrap_or_else(|| panic!("README.md has no {what}"))
        + marker.len();
    let end = start + readme[start..].find("```").expect("closing fence");
    &readme[start..end]
}

/// A report as the CLI prints it without colour.
fn plain(report: &sshexplain::report::Report) -> String {
    sshexplain::render::text(
        report,
        sshexplain::render::TextOptions {
            color: false,
            quiet: false,
            width: 100,
        },
    )
}

#[test]
fn readme_lists_every_cause() {
    let readme = readme();
    let expected = table();
    assert!(
        readme.contains(&expected),
        "README.md's causes table is out of date; it must contain exactly:\n\n{expected}"
    );
}

#[test]
fn every_id_in_shared_causes_is_in_the_catalog() {
    // The stable IDs live in ../shared/causes.md beside the project root.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/causes.md");
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("skipped: {path} is not present in this checkout");
        return;
    };
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .filter(|id| id.contains('.') || *id == "unknown")
        .collect();
    assert!(ids.len() >= 62, "found only {} IDs in causes.md", ids.len());
    for id in ids {
        assert!(
            sshexplain::diagnose::cause(id).is_some(),
            "cause {id} from causes.md is missing from the catalog"
        );
    }
}

/// Asserts that the README's text block after `marker` is what sshexplain
/// prints (exit code 1) for the corpus log at `path`; returns the log.
fn real_output(readme: &str, marker: &str, path: &str) -> String {
    let example = block_after(readme, marker, path);
    let log =
        std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect("log");
    let report = sshexplain::report(&sshexplain::trace(&log));
    let text = plain(&report);
    assert_eq!(
        example, text,
        "README's example for {path} is not what sshexplain prints now:\n{text}"
    );
    assert_eq!(report.exit_code(), 1);
    log
}

#[test]
fn readme_example_is_real_output() {
    let readme = readme();
    let log = real_output(
        &readme,
        "prints (exit code 1):\n\n```text\n",
        "corpus/auth.key-rejected/auth-key-rejected-9.2p1-v1.log",
    );
    let example = block_after(
        &readme,
        "in Japanese (`sshexplain --lang ja` on the same log), begins:\n\n```text\n",
        "Japanese example",
    );
    let ja = plain(&sshexplain::report_in(
        &sshexplain::trace(&log),
        sshexplain::lang::Lang::Ja,
    ));
    assert!(
        ja.starts_with(example),
        "README's Japanese example is not what sshexplain prints now:\n{ja}"
    );
}

#[test]
fn wrapper_example_is_real_output() {
    real_output(
        &readme(),
        "posted publicly, prints (exit code 1):\n\n```text\n",
        "corpus/wild/tuned/public-github-SamKirkland-web-deploy-10-1-rsync-e-password.log",
    );
}

#[test]
fn both_sides_example_is_real_output() {
    let readme = readme();
    let example = block_after(
        &readme,
        "-syslog.client.log` prints (exit code 1):\n\n```text\n",
        "Both sides example",
    );
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/server/auth.strict-modes/strict-modes-home-g+w-9.2p1-syslog"
    );
    let read = |ext: &str| std::fs::read(format!("{dir}.{ext}")).expect("pair");
    let split = sshexplain::attempts_with_server(
        std::io::Cursor::new(read("client.log")),
        std::io::Cursor::new(read("server.log")),
        sshexplain::lang::Lang::En,
    )
    .expect("in-memory read");
    let report = sshexplain::report(&split.last);
    assert_eq!(
        example,
        plain(&report),
        "README's Both sides example is not what sshexplain prints now"
    );
    assert_eq!(report.exit_code(), 1);
    assert!(report.server_log.is_some());
}

/// The wrapper example: ssh's own error line, then the verdict line
/// `sshexplain --quiet` prints for that failure, then the wrapper's hint
/// (the wrapper itself runs under bash and zsh in tests/live.rs).
#[test]
fn init_example_is_real_output() {
    let readme = readme();
    let example = block_after(
        &readme,
        "A refused connection then prints (the first line is ssh's own):\n\n```text\n",
        "init example",
    );
    let lines: Vec<&str> = example.lines().collect();
    assert_eq!(lines.len(), 3, "{example}");
    let report = sshexplain::report(&sshexplain::trace(&format!("{}\n", lines[0])));
    assert_eq!(sshexplain::render::verdict(&report, false), lines[1]);
    let script = std::process::Command::new(env!("CARGO_BIN_EXE_sshexplain"))
        .args(["init", "bash"])
        .output()
        .expect("sshexplain init");
    assert!(String::from_utf8_lossy(&script.stdout)
        .contains(lines[2].trim_start_matches("sshexplain: ")));
}
