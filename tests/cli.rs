//! End-to-end tests of the `sshexplain` binary: inputs, formats, colours,
//! exit codes, subcommands, a closed pipe, and the paste prompt on a terminal.

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_sshexplain");
const LOCKOUT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/corpus/auth.key-rejected/auth-key-rejected-9.2p1-v1.log"
);
const OK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/corpus/ok.connected/ok-publickey-9.2p1-v1.log"
);

/// The working and the failing log of a pair in `corpus/pairs/`.
fn pair_logs(pair: &str) -> (String, String) {
    let dir = format!("{}/corpus/pairs/{pair}", env!("CARGO_MANIFEST_DIR"));
    (format!("{dir}/working.log"), format!("{dir}/failing.log"))
}

fn run(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    // The report language follows the locale: tests ask for one explicitly.
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn pipe_explains_and_exits_1_on_failure() {
    let log = std::fs::read(LOCKOUT).expect("corpus file");
    let o = run(&[], &log, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("✗ auth.key-rejected"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("ssh-copy-id -p 2202 -i ~/.ssh/id_ed25519.pub bob@127.0.0.1"));
}

#[test]
fn success_exits_0() {
    let o = run(&[OK], b"", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("✓ ok.connected"));
}

#[test]
fn files_dash_and_several_inputs() {
    let log = std::fs::read(LOCKOUT).expect("corpus file");
    let o = run(&["-"], &log, &[]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&[OK, LOCKOUT], b"", &[]);
    assert_eq!(o.status.code(), Some(1), "a failure in any input is exit 1");
    let out = stdout(&o);
    assert!(
        out.contains(&format!("==> {OK} <==")) && out.contains(&format!("==> {LOCKOUT} <==")),
        "{out}"
    );
}

#[test]
fn no_ssh_output_exits_3_with_a_hint() {
    for input in [&b""[..], b"hello world\nthis is not ssh\n"] {
        let o = run(&[], input, &[]);
        assert_eq!(o.status.code(), Some(3));
        assert!(
            stderr(&o).contains("ssh -v user@host exit 2>&1 | sshexplain"),
            "{}",
            stderr(&o)
        );
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn io_errors_exit_2() {
    let o = run(&["/nonexistent/file.log"], b"", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/file.log"));
    let o = run(&[env!("CARGO_MANIFEST_DIR")], b"", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("directory"), "{}", stderr(&o));
    let o = run(&["--format", "yaml"], b"", &[]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn colours_follow_flags_and_environment() {
    let has_escape = |o: &Output| o.stdout.contains(&0x1b);
    assert!(has_escape(&run(&["--color", "always", LOCKOUT], b"", &[])));
    assert!(!has_escape(&run(
        &["--color", "never", LOCKOUT],
        b"",
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert!(
        !has_escape(&run(&[LOCKOUT], b"", &[])),
        "stdout is a pipe: no colour by default"
    );
    assert!(has_escape(&run(
        &[LOCKOUT],
        b"",
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert!(!has_escape(&run(
        &[LOCKOUT],
        b"",
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )));
}

#[test]
fn json_report_follows_the_schema() {
    let o = run(&["--format", "json", LOCKOUT], b"", &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["schema"], "sshexplain/1");
    assert_eq!(v["outcome"], "failed");
    assert_eq!(v["destination"]["user"], "bob");
    assert_eq!(v["destination"]["port"], 2202);
    assert_eq!(v["phase_reached"], "auth");
    let d = &v["diagnoses"][0];
    assert_eq!(d["id"], "auth.key-rejected");
    for field in [
        "severity",
        "confidence",
        "title",
        "summary",
        "explanation",
        "remediation",
        "evidence",
    ] {
        assert!(!d[field].is_null(), "missing {field}");
    }
    assert!(d["evidence"][0]["line"].as_u64().is_some());
    assert!(d["remediation"]
        .as_array()
        .is_some_and(|r| r.iter().any(|s| s["command"].is_string())));
}

#[test]
fn markdown_and_quiet() {
    let o = run(&["--format", "markdown", LOCKOUT], b"", &[]);
    assert!(
        stdout(&o).starts_with("## `auth.key-rejected`"),
        "{}",
        stdout(&o)
    );
    let o = run(&["--quiet", LOCKOUT], b"", &[]);
    assert_eq!(stdout(&o).lines().count(), 1);
}

#[test]
fn explain_and_list() {
    let o = run(&["explain", "auth.key-rejected"], b"", &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("## How to fix"));
    let o = run(&["explain", "--list"], b"", &[]);
    assert!(stdout(&o).lines().count() >= 62);
    let o = run(&["explain", "no.such-cause"], b"", &[]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn parse_prints_events_as_json_lines() {
    let o = run(&["parse", "--format", "json", LOCKOUT], b"", &[]);
    assert_eq!(o.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["kind"], "client_version");
    assert!(lines
        .iter()
        .any(|e| e["kind"] == "offering_key"
            && e["identity"]["path"] == "/home/user/.ssh/id_ed25519"));
    let o = run(&["parse", LOCKOUT], b"", &[]);
    assert!(stdout(&o).contains("permission_denied"));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run(&["completions", shell], b"", &[]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(stdout(&o).contains("sshexplain"), "{shell}");
    }
    let o = run(&["man"], b"", &[]);
    assert!(stdout(&o).contains(".TH sshexplain 1"));
    let o = run(&["--help"], b"", &[]);
    assert!(stdout(&o).contains("Exit codes:") && stdout(&o).contains("Examples:"));
    let o = run(&["--version"], b"", &[]);
    assert!(stdout(&o).starts_with("sshexplain "));
}

#[test]
fn closed_pipe_exits_quietly() {
    let mut child = Command::new(BIN)
        .args(["parse", LOCKOUT])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("finishes");
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(
        o.status.code() == Some(0) || o.status.code().is_none(),
        "{:?}",
        o.status
    );
}

#[test]
fn paste_prompt_on_a_terminal() {
    // `script` (util-linux) gives the binary a pseudo-terminal as stdin.
    let Ok(o) = Command::new("script")
        .args(["-qec", BIN, "/dev/null"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            let mut stdin = c.stdin.take().expect("stdin");
            stdin.write_all(b"pi@raspberrypi: Permission denied (publickey).\n\x04")?;
            drop(stdin);
            c.wait_with_output()
        })
    else {
        eprintln!("SKIPPED paste_prompt_on_a_terminal: `script` (util-linux) is not installed");
        return;
    };
    let out = stdout(&o);
    assert!(
        out.contains("Paste the output of `ssh -v user@host`, then press Ctrl-D"),
        "{out}"
    );
    assert!(
        out.contains("auth.key-rejected") && out.contains("low confidence"),
        "{out}"
    );
}

/// Types `chunks` into sshexplain's terminal, pausing between them so the
/// terminal hands each over on its own; returns what the terminal showed.
fn paste(chunks: &[&[u8]]) -> Option<String> {
    let mut c = Command::new("script")
        .args(["-qec", &format!("{BIN} --color never"), "/dev/null"])
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = c.stdin.take()?;
    for chunk in chunks {
        std::thread::sleep(std::time::Duration::from_millis(300));
        stdin.write_all(chunk).ok()?;
        stdin.flush().ok()?;
    }
    // Keep the terminal open until sshexplain is done with it.
    let done = std::time::Instant::now();
    while c.try_wait().ok()?.is_none() && done.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    drop(stdin);
    let o = c.wait_with_output().ok()?;
    Some(String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n"))
}

#[test]
fn paste_mode_ends_at_one_ctrl_d_after_a_partial_line() {
    // No newline after the last line, one Ctrl-D: the report comes at once,
    // below a separator, not glued to the pasted line.
    let Some(out) = paste(&[
        b"debug1: Authentications that can continue: publickey\n",
        b"pi@raspberrypi: Permission denied (publickey).",
        b"\x04",
    ]) else {
        eprintln!("SKIPPED paste_mode_ends_at_one_ctrl_d_after_a_partial_line: no `script`");
        return;
    };
    assert!(out.contains(&"─".repeat(40)), "{out}");
    assert!(
        out.contains(&format!("{}\n✗ auth.", "─".repeat(40))),
        "{out}"
    );
    assert!(!out.contains(".✗"), "{out}");
}

#[test]
fn paste_mode_undoes_the_doubled_lines_of_a_crlf_paste() {
    // The terminal turns each CR into a newline: a CRLF log arrives with
    // every line doubled. The evidence keeps the paste's own numbering.
    let Some(out) = paste(&[
        b"debug1: Connecting to h [10.0.0.1] port 22.\r\n",
        b"debug1: Connection established.\r\n",
        b"debug1: Authentications that can continue: publickey\r\n",
        b"bob@h: Permission denied (publickey).\r\n",
        b"\x04",
    ]) else {
        eprintln!("SKIPPED paste_mode_undoes_the_doubled_lines_of_a_crlf_paste: no `script`");
        return;
    };
    assert!(
        out.contains("auth.key-rejected") || out.contains("auth."),
        "{out}"
    );
    assert!(
        out.contains("      4 │ bob@h: Permission denied (publickey)."),
        "line 4, not 8: {out}"
    );
}

#[test]
fn paste_mode_says_when_nothing_was_pasted() {
    let Some(out) = paste(&[b"\x04"]) else {
        eprintln!("SKIPPED paste_mode_says_when_nothing_was_pasted: no `script`");
        return;
    };
    assert!(
        out.contains("Nothing arrived: the paste (or pipe) was empty."),
        "{out}"
    );
    assert!(!out.contains("- is empty"), "{out}");
}

#[test]
fn ctrl_c_in_live_mode_prints_the_report_of_what_arrived() {
    // A producer that never ends; Ctrl-C typed into the terminal reaches
    // the whole pipeline, as it does for `ssh -v host | sshexplain`. The
    // shell traps SIGINT so that it lives on to print the exit status
    // (a non-interactive bash whose child died of SIGINT may kill itself
    // the same way, and then `rc=` is never printed); its children get
    // the default SIGINT back when they start.
    let inner = format!(
        "bash -c \"trap true INT; (printf 'debug1: Connecting to h [10.0.0.1] port 22.\\\\n'; sleep 30) | {BIN} --color never --stall 5; echo rc=\\$?\""
    );
    let Ok(mut c) = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    else {
        eprintln!("SKIPPED ctrl_c_in_live_mode_prints_the_report_of_what_arrived: no `script`");
        return;
    };
    let mut stdin = c.stdin.take().expect("stdin");
    // Read the terminal's output as it comes: Ctrl-C goes once the live
    // progress shows the line arrived (a fixed sleep loses on a busy machine).
    let mut pipe = c.stdout.take().expect("stdout");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let reader = {
        let seen = seen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.lock().expect("lock").extend_from_slice(&buf[..n]);
            }
        })
    };
    let arrived = |what: &str| String::from_utf8_lossy(&seen.lock().expect("lock")).contains(what);
    let started = std::time::Instant::now();
    while !arrived("connect") && started.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    stdin.write_all(b"\x03").expect("Ctrl-C");
    stdin.flush().expect("flush");
    let started = std::time::Instant::now();
    while c.try_wait().expect("poll").is_none()
        && started.elapsed() < std::time::Duration::from_secs(10)
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    drop(stdin);
    let _ = c.wait();
    reader.join().expect("reader");
    let out = String::from_utf8_lossy(&seen.lock().expect("lock")).replace("\r\n", "\n");
    assert!(out.contains("interrupted (Ctrl-C)"), "{out}");
    assert!(
        out.contains("1 │ debug1: Connecting to h [10.0.0.1] port 22."),
        "{out}"
    );
    assert!(out.contains("rc=130"), "{out}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "not ended by Ctrl-C"
    );
}

#[test]
fn live_mode_shows_progress_and_a_stall_hint() {
    // stdin a pipe, stderr a terminal: `script` provides the terminal.
    let producer = "printf 'debug1: Connecting to h [10.0.0.1] port 22.\\n'; sleep 2; printf 'ssh: connect to host h port 22: Connection timed out\\n'";
    let inner = format!("({producer}) | {BIN} --stall 1 --color never");
    let Ok(o) = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .stdin(Stdio::null())
        .output()
    else {
        eprintln!("SKIPPED live_mode_shows_progress_and_a_stall_hint: `script` (util-linux) is not installed");
        return;
    };
    let out = stdout(&o);
    assert!(out.contains("sshexplain: connect…"), "{out}");
    assert!(out.contains("no output for 1 s: stuck connecting"), "{out}");
    assert!(out.contains("connect.timeout"), "{out}");
    // Piped to a file instead of a terminal, none of that appears.
    let log = b"debug1: Connecting to h [10.0.0.1] port 22.\nssh: connect to host h port 22: Connection timed out\n";
    let o = run(&["--stall", "1"], log, &[]);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}

#[test]
fn redact_and_redacted_report() {
    let log = b"debug1: Connecting to pi.example.net [203.0.113.7] port 2222.\n\
debug1: Authenticating to pi.example.net:2222 as 'alice'\n\
debug1: Authentications that can continue: publickey\n\
debug1: Offering public key: /home/alice/.ssh/id_ed25519 ED25519 SHA256:Kwxj+OplGH6h4zYV+XPLsCemlSJNG6EiMrScM7z5Ep0\n\
debug1: Authentications that can continue: publickey\n\
alice@pi.example.net: Permission denied (publickey).\n";
    let o = run(&["redact"], log, &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.starts_with("# sshexplain redact: replaced 1 user or account name, 1 host name, 1 address, 1 port, 1 fingerprint by pseudonyms (the same value, the same pseudonym); 192.0.2.1 = public\n"),
        "{out}"
    );
    let ja = stdout(&run(&["--lang", "ja", "redact"], log, &[]));
    assert!(
        ja.starts_with("# sshexplain redact: ユーザー名・アカウント名 1 件、"),
        "{ja}"
    );
    for secret in ["alice", "pi.example.net", "203.0.113.7", "2222", "Kwxj"] {
        assert!(!out.contains(secret), "{secret} in {out}");
    }
    let o = run(&["--redact"], log, &[]);
    assert_eq!(o.status.code(), Some(1));
    let report = stdout(&o);
    assert!(report.starts_with("✗ auth.key-rejected"), "{report}");
    assert!(
        !report.contains("alice") && report.contains("user1@host1.example"),
        "{report}"
    );
    let o = run(&["redact", "--help"], b"", &[]);
    assert!(stdout(&o).contains("Kept: loopback addresses"));
}

#[test]
fn diff_of_a_real_pair() {
    let (w, f) = pair_logs("client-version-rsa-sha1-signature");
    let o = run(&["diff", &w, &f], b"", &[]);
    assert_eq!(o.status.code(), Some(1), "the failing side failed");
    let out = stdout(&o);
    assert!(
        out.contains("failing side: auth.no-mutual-signature")
            && out.contains("client versions differ"),
        "{out}"
    );
    let o = run(&["diff", "--format", "json", &w, &f], b"", &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["schema"], "sshexplain-diff/1");
    assert_eq!(
        v["failing"]["diagnoses"][0]["id"],
        "auth.no-mutual-signature"
    );
    let o = run(&["diff", "--format", "markdown", &w, &f], b"", &[]);
    assert!(stdout(&o).contains("| client **≠** |"), "{}", stdout(&o));
}

#[test]
fn diff_fits_the_terminal_width() {
    let (w, f) = pair_logs("config-host-pattern-ip");
    let facts = |cols: &str| {
        let out = stdout(&run(&["diff", &w, &f], b"", &[("COLUMNS", cols)]));
        let start = out.find("Facts").expect("facts table");
        let table: Vec<usize> = out[start..]
            .lines()
            .skip(1)
            .take_while(|l| !l.is_empty())
            .map(|l| l.chars().count())
            .collect();
        table.into_iter().max().unwrap_or(0)
    };
    assert!(facts("60") <= 62, "{}", facts("60"));
    assert!(facts("160") > facts("60"));
}

fn japanese(s: &str) -> bool {
    s.chars().any(sshexplain::lang::is_japanese)
}

#[test]
fn language_from_flag_and_locale() {
    let ja = run(&["--lang", "ja", LOCKOUT], b"", &[]);
    assert_eq!(ja.status.code(), Some(1));
    let out = stdout(&ja);
    assert!(
        out.contains("auth.key-rejected")
            && out.contains("サーバーが鍵を拒否した")
            && out.contains("対処"),
        "{out}"
    );
    // The locale decides when there is no flag; LC_ALL outranks LANG.
    let by_locale = stdout(&run(&[LOCKOUT], b"", &[("LANG", "ja_JP.UTF-8")]));
    assert_eq!(by_locale, out);
    let c = stdout(&run(
        &[LOCKOUT],
        b"",
        &[("LANG", "ja_JP.UTF-8"), ("LC_ALL", "C")],
    ));
    assert!(
        c.contains("The server refused your key") && !japanese(&c),
        "{c}"
    );
    // The flag outranks the locale, in both directions, before or after
    // a subcommand.
    let en = stdout(&run(
        &["--lang=en", LOCKOUT],
        b"",
        &[("LANG", "ja_JP.UTF-8")],
    ));
    assert!(!japanese(&en), "{en}");
    let explain = stdout(&run(
        &["--lang", "ja", "explain", "auth.key-rejected"],
        b"",
        &[],
    ));
    assert!(
        explain.contains("## なぜ起きるか") && explain.contains("## 証拠となる出力"),
        "{explain}"
    );
    let explain = stdout(&run(&["explain", "--lang", "ja", "--list"], b"", &[]));
    assert!(
        explain.contains("auth.key-rejected") && explain.contains("エラー"),
        "{explain}"
    );
}

#[test]
fn japanese_json_keeps_ids_and_field_names() {
    let o = run(&["--lang", "ja", "--format", "json", LOCKOUT], b"", &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["lang"], "ja");
    assert_eq!(v["schema"], "sshexplain/1");
    assert_eq!(v["diagnoses"][0]["id"], "auth.key-rejected");
    assert_eq!(v["diagnoses"][0]["severity"], "error");
    assert_eq!(v["timeline"][0]["phase"], "resolve");
    let summary = v["diagnoses"][0]["summary"].as_str().unwrap_or("");
    assert!(japanese(summary), "{summary}");
    let english = run(&["--format", "json", LOCKOUT], b"", &[]);
    let e: serde_json::Value = serde_json::from_slice(&english.stdout).expect("JSON");
    assert_eq!(e["lang"], "en");
    assert_eq!(
        e["diagnoses"][0]["remediation"][2]["command"],
        v["diagnoses"][0]["remediation"][2]["command"]
    );
}

#[test]
fn japanese_messages_and_help() {
    let empty = run(&["--lang", "ja"], b"", &[]);
    assert_eq!(empty.status.code(), Some(3));
    assert!(stderr(&empty).contains("空です"), "{}", stderr(&empty));
    let unknown = run(&["--lang", "ja", "explain", "no.such"], b"", &[]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("という原因はありません"),
        "{}",
        stderr(&unknown)
    );
    let help = stdout(&run(&["--lang", "ja", "--help"], b"", &[]));
    assert!(
        help.contains("使い方:") && help.contains("終了コード:"),
        "{help}"
    );
    for sub in [
        "explain",
        "run",
        "redact",
        "diff",
        "completions",
        "man",
        "parse",
        "init",
        "last",
    ] {
        let h = stdout(&run(&["--lang", "ja", sub, "--help"], b"", &[]));
        for line in h.lines().filter(|l| l.trim_start().starts_with('-')) {
            // Every option line is followed by (or carries) Japanese help.
            let next = h.lines().skip_while(|l| *l != line).nth(1).unwrap_or("");
            assert!(japanese(line) || japanese(next), "{sub}: {line}\n{h}");
        }
        assert!(japanese(h.lines().next().unwrap_or("")), "{sub}: {h}");
    }
    let en = stdout(&run(&["--help"], b"", &[]));
    assert!(en.contains("Usage:") && !japanese(&en), "{en}");
    let (w, f) = pair_logs("agent-present-absent");
    let diff = stdout(&run(&["--lang", "ja", "diff", &w, &f], b"", &[]));
    assert!(
        diff.contains("失敗する側: auth.no-identities")
            && diff.contains("エージェントから来ています"),
        "{diff}"
    );
}

#[test]
fn hostile_names_and_numbers_are_refused_or_made_visible() {
    for bad in ["nan", "inf", "-1", "1e300", "0"] {
        let o = run(&["--stall", bad, "-"], b"", &[]);
        assert_eq!(o.status.code(), Some(2), "--stall {bad}: {}", stderr(&o));
        let o = run(&["run", "--stall", bad, "h"], b"", &[]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "run --stall {bad}: {}",
            stderr(&o)
        );
    }
    // A file name holding escapes: the error message shows them as ^[.
    let o = run(&["/nonexistent/x\x1b]0;t\x07\x1b[2J"], b"", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains('\x1b'), "{:?}", stderr(&o));
    assert!(stderr(&o).contains("x^[]0;t^G^[[2J"), "{:?}", stderr(&o));
    let o = run(&["explain", "a\x1b[2Jb\u{202e}"], b"", &[]);
    assert!(
        !stderr(&o).contains('\x1b') && !stderr(&o).contains('\u{202e}'),
        "{:?}",
        stderr(&o)
    );
    // Several inputs: the `==> name <==` headers are made visible too.
    let dir = std::env::temp_dir().join(format!("sshexplain-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let evil = dir.join("a\x1b[31m.log");
    std::fs::copy(LOCKOUT, &evil).expect("copy");
    let evil_s = evil.to_string_lossy().into_owned();
    for format in ["text", "markdown", "json"] {
        let o = run(&["--format", format, &evil_s, LOCKOUT], b"", &[]);
        assert!(!stdout(&o).contains('\x1b'), "{format}: {:?}", stdout(&o));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn redact_output_shows_escapes_instead_of_running_them() {
    let log = "debug1: Remote protocol version 2.0, remote software version \x1b]0;pwned\x07\x1b[2J\u{9b}x\u{202e}y\u{200b}\r\nbob@10.1.2.3: Permission denied (publickey).\n";
    let o = run(&["redact"], log.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for c in ['\x1b', '\x07', '\u{9b}', '\u{202e}', '\u{200b}'] {
        assert!(!out.contains(c), "{c:?} in {out:?}");
    }
    assert!(out.contains("^[]0;"), "{out:?}");
    assert!(out.contains("\r\n"), "line ends are kept: {out:?}");
}

#[test]
fn encodings_and_binary_input() {
    // PowerShell's `ssh -v host 2> log.txt`: UTF-16 LE with a BOM.
    let text = "debug1: Connecting to h [10.0.0.5] port 22.\r\nssh: connect to host h port 22: Connection refused\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let o = run(&["-q", "-"], &utf16, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("connect.refused"), "{}", stdout(&o));
    // A program is not a log: exit 3 and say so, no diagnosis.
    let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00Bad configuration option: x\n";
    let o = run(&["-"], elf, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("binary file"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}

#[test]
fn verbose_shows_earlier_attempts_in_full() {
    let mut paste = b"$ ssh -v alice@127.0.0.1\n".to_vec();
    paste.extend(std::fs::read(LOCKOUT).expect("corpus trace"));
    paste.extend(b"$ ssh -v -p 2201 alice@127.0.0.1\n");
    paste.extend(std::fs::read(OK).expect("corpus trace"));
    let quiet = run(&["--color", "never"], &paste, &[]);
    let verbose = run(&["--color", "never", "--verbose"], &paste, &[]);
    let (quiet, verbose) = (
        String::from_utf8_lossy(&quiet.stdout),
        String::from_utf8_lossy(&verbose.stdout),
    );
    assert!(!quiet.contains("Earlier attempt, lines"), "{quiet}");
    let earlier = verbose
        .split("── Earlier attempt, lines 1–")
        .nth(1)
        .unwrap_or_else(|| panic!("no earlier attempt in full:\n{verbose}"));
    // The earlier attempt's own report: its cause and its evidence.
    assert!(earlier.contains("✗ auth.key-rejected"), "{earlier}");
    assert!(
        earlier.contains("Permission denied (publickey)"),
        "{earlier}"
    );
}

#[test]
fn another_clients_unmapped_message_is_not_openssh_output() {
    // PuTTY's words for a failure sshexplain has no cause for: exit 3.
    let out = run(&["--color", "never"], b"FATAL ERROR: Out of memory\n", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("PuTTY's output, not OpenSSH's"), "{err}");
    // One it maps stays a diagnosis (exit 1).
    let out = run(
        &["--color", "never"],
        b"FATAL ERROR: Remote side sent disconnect message type 14 (no more auth methods available)\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn redacting_several_files_shares_one_table_of_pseudonyms() {
    let (w, f) = pair_logs("key-present-missing");
    let o = run(&["redact", &w, &f], b"", &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let sections: Vec<&str> = out.split("==> ").skip(1).collect();
    assert_eq!(sections.len(), 2, "{out}");
    for s in &sections {
        // The same user and port, the same pseudonyms, in both files.
        assert!(s.contains("as 'user1'"), "{s}");
        assert!(!s.contains("alice"), "{s}");
    }
    // The second file's header counts only what it added.
    assert!(
        !sections[1].contains("# sshexplain redact: replaced 1 user"),
        "{}",
        sections[1]
    );
}

#[test]
fn explain_suggests_the_id_that_was_meant() {
    for (typed, meant) in [
        ("auth.key-rejectd", "auth.key-rejected"),
        ("hostkey.chnged", "hostkey.changed"),
    ] {
        let o = run(&["explain", typed], b"", &[]);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("did you mean '{meant}'?")), "{err}");
    }
    let o = run(&["explain", "zzz"], b"", &[]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("did you mean"));
}

#[test]
fn explain_takes_an_id_in_any_case_or_by_its_name() {
    for typed in ["AUTH.KEY-REJECTED", "key-rejected", "Key-Rejected"] {
        let o = run(&["explain", typed], b"", &[]);
        assert_eq!(o.status.code(), Some(0), "{typed}");
        assert!(String::from_utf8_lossy(&o.stdout).starts_with("auth.key-rejected: "));
    }
    // A name two families share is not guessed: both are offered.
    let o = run(&["explain", "reset"], b"", &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("banner.reset, session.reset"), "{err}");
}

#[test]
fn a_mistyped_subcommand_is_not_read_as_a_missing_file() {
    let o = run(&["explian", "auth.key-rejected"], b"", &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean `sshexplain explain`?"), "{err}");
    assert_eq!(
        err.lines().count(),
        1,
        "one message, not one per argument: {err}"
    );
    // A real missing log keeps the plain message.
    let o = run(&["no-such.log"], b"", &[]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("did you mean"));
}

#[test]
fn completions_offer_cause_ids_after_explain() {
    let o = run(&["completions", "bash"], b"", &[]);
    let script = String::from_utf8_lossy(&o.stdout);
    assert!(script.contains("auth.key-rejected") && script.contains("hostkey.changed"));
}

/// Text output wraps its prose to `COLUMNS`; evidence lines, command lines
/// and a single word longer than the width (a fingerprint) stay whole.
#[test]
fn prose_wraps_to_the_terminal_width() {
    let root = env!("CARGO_MANIFEST_DIR");
    let logs = [
        LOCKOUT.to_string(),
        format!(
            "{root}/corpus/server/auth.strict-modes/strict-modes-home-g+w-9.2p1-syslog.client.log"
        ),
        format!("{root}/corpus/hostkey.changed/hostkey-changed-10.0p2-v1.log"),
        format!("{root}/corpus/auth.failed/public-cloudtunes-46-mingw64-repeated.log"),
    ];
    for log in &logs {
        for lang in ["en", "ja"] {
            let json = run(&["--format", "json", "--lang", lang, log], b"", &[]);
            let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
            let mut whole: Vec<String> = Vec::new();
            for d in report["diagnoses"].as_array().into_iter().flatten() {
                for s in d["remediation"].as_array().into_iter().flatten() {
                    whole.extend(
                        s["command"]
                            .as_str()
                            .unwrap_or("")
                            .lines()
                            .map(str::to_string),
                    );
                }
            }
            for columns in [60usize, 80, 120] {
                let o = run(
                    &["--color", "never", "--lang", lang, log],
                    b"",
                    &[("COLUMNS", &columns.to_string())],
                );
                let text = stdout(&o);
                for (i, line) in text.lines().enumerate() {
                    let w = unicode_width::UnicodeWidthStr::width(line);
                    let kept = i == 0 // the verdict: one line, for grep and --quiet
                        || line.contains(" │ ")
                        || whole.iter().any(|c| line.trim() == c.trim())
                        || !line.trim().contains(' ');
                    assert!(
                        w <= columns || kept,
                        "{log} {lang} at {columns}: {w} columns:\n{line}\n\n{text}"
                    );
                }
                // The wrapping really happens: nothing but kept lines is wider than 60.
                if columns == 60 {
                    assert!(text.lines().count() > 20, "{text}");
                }
            }
        }
    }
}

/// `man --dir` writes every page the pages refer to (sshexplain-run(1)...),
/// and `man SUBCOMMAND` prints one.
#[test]
fn man_writes_every_page_it_refers_to() {
    let dir = std::env::temp_dir().join(format!("sshexplain-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let o = run(&["man", "--dir", &dir.display().to_string()], b"", &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let pages: Vec<String> = std::fs::read_dir(&dir)
        .expect("pages")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(pages.contains(&"sshexplain.1".to_string()), "{pages:?}");
    let mut referenced = 0;
    for page in &pages {
        let roff = std::fs::read_to_string(dir.join(page)).expect("page");
        for part in roff.split("sshexplain\\-").skip(1) {
            if let Some(name) = part
                .split("(1)")
                .next()
                .filter(|n| n.chars().all(|c| c.is_ascii_lowercase()))
            {
                referenced += 1;
                assert!(
                    pages.contains(&format!("sshexplain-{name}.1")),
                    "{page} refers to sshexplain-{name}(1)"
                );
            }
        }
    }
    assert!(referenced >= 8, "{referenced}");
    let o = run(&["man", "run"], b"", &[]);
    assert!(
        stdout(&o).contains(".TH sshexplain-run 1"),
        "{}",
        stdout(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// An explain page carries a real example (a corpus trace of the cause,
/// diagnosed now), related causes and the options involved; also as JSON.
#[test]
fn explain_pages_have_a_real_example() {
    let o = run(
        &["explain", "--format", "json", "auth.strict-modes"],
        b"",
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    let page: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let file = page["example"]["file"].as_str().expect("an example");
    let log = std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR")))
        .expect("the corpus file");
    // Every cited line is a line of that file, at its number.
    let cited = page["example"]["cited"].as_array().expect("cited");
    assert!(!cited.is_empty());
    for c in cited {
        let place = c[0].as_str().expect("place");
        let n: usize = place
            .trim_start_matches("server:")
            .parse()
            .expect("a line number");
        assert_eq!(log.lines().nth(n - 1), c[1].as_str(), "{file}:{n}");
    }
    assert!(page["example"]["verdict"]
        .as_str()
        .unwrap_or("")
        .contains("auth.strict-modes"));
    assert!(page["sshd_config"]
        .as_array()
        .expect("options")
        .iter()
        .any(|o| o == "StrictModes"));
    assert!(!page["related"].as_array().expect("related").is_empty());
    let text = stdout(&run(&["explain", "auth.strict-modes"], b"", &[]));
    for section in ["## Example", "## Related", "## Options involved"] {
        assert!(text.contains(section), "{text}");
    }
}
