//! The whole surface on arbitrary bytes: parse → diagnose → render every
//! format (English and Japanese), `parse`, `redact` (whole and streamed),
//! `--redact` and `diff`. Must never panic; rendered output never carries
//! raw terminal control characters; Markdown prose holds no link or tag.
//!
//! The first byte also picks a real message shape and puts the rest of the
//! input in its value slot (host, user, path, algorithm offer, ...): then no
//! suggested command may hold that value where a shell would interpret it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sshexplain::lang::Lang;
use sshexplain::render::{self, TextOptions};

#[path = "../../tests/common/safety.rs"]
mod safety;

const TEMPLATES: &[&str] = &[
    "Unable to negotiate with 10.0.0.5 port 22: no matching host key type found. Their offer: {V}\n",
    "ssh: Could not resolve hostname {V}: Name or service not known\n",
    "ssh: connect to host {V} port 22: Connection refused\n",
    "debug1: Authenticating to h:22 as '{V}'\nPermission denied, please try again.\nPermission denied, please try again.\n{V}@h: Permission denied (password).\n",
    "Load key \"{V}\": invalid format\nu@h: Permission denied (publickey).\n",
    "OpenSSH_for_Windows_8.6p1, LibreSSL 3.4.3\nBad permissions. Try removing permissions for user: {V} (S-1-5-32-545) on file C:/Users/me/.ssh/config.\n",
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nOffending ECDSA key in {V}:3\n  remove with:\n  ssh-keygen -f \"{V}\" -R \"{V}\"\nHost key verification failed.\n",
    "debug1: Executing proxy command: exec {V}\n/bin/bash: line 1: {V}: No such file or directory\nkex_exchange_identification: Connection closed by remote host\n",
    "debug1: Remote protocol version 2.0, remote software version {V}\nConnection closed by 10.0.0.5 port 22\n",
];

fn commands(report: &sshexplain::report::Report) -> Vec<String> {
    report
        .diagnoses
        .iter()
        .flat_map(|d| d.remediation.iter())
        .filter_map(|s| s.command.clone())
        .collect()
}

fn check_report(report: &sshexplain::report::Report, value: Option<&str>) {
    let outputs = [
        render::text(&report, TextOptions { color: false, quiet: false }),
        render::json(&report),
        render::markdown(&report),
    ];
    for out in &outputs {
        assert!(!out.contains('\u{1b}') && !out.contains('\u{9b}'), "raw escape in output");
        assert!(!out.contains('\u{202e}') && !out.contains('\u{200b}'), "invisible character in output");
    }
    for prose in safety::markdown_prose(&outputs[2]) {
        assert!(safety::markup_in(&prose).is_none(), "markup from input: {prose}");
    }
    if let Some(v) = value {
        for c in commands(report) {
            assert!(!safety::value_unquoted(&c, v), "{v:?} unquoted in {c:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(trace) = sshexplain::trace_reader(data) else { return };
    for lang in [Lang::En, Lang::Ja] {
        check_report(&sshexplain::report_in(&trace, lang), None);
    }
    for line in sshexplain::input::lines(&text) {
        let event = sshexplain::grammar::parse_line(line.view());
        let _ = render::json_event(&event);
    }
    let whole = sshexplain::redact::redact(&text);
    let mut streamed = Vec::new();
    let _ = sshexplain::redact::redact_stream(data, &mut streamed);
    assert!(!streamed.contains(&0x1b), "raw escape in redact output");
    if let Ok(t) = sshexplain::redact::redacted_trace(data) {
        check_report(&sshexplain::report(&t), None);
    }
    let _ = sshexplain::trace(&whole.text);
    let mid = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let half = sshexplain::trace(&text[..mid]);
    let _ = render::diff_markdown(&sshexplain::diff::diff(&half, &trace));
    if let Some((&pick, rest)) = data.split_first() {
        let value = String::from_utf8_lossy(rest);
        if !value.contains('\n') {
            let log = TEMPLATES[pick as usize % TEMPLATES.len()].replace("{V}", &value);
            check_report(&sshexplain::report(&sshexplain::trace(&log)), Some(&value));
        }
    }
});
