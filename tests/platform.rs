//! Fix commands fit the machine they run on (#20): for every real trace in
//! the corpus, each remediation step says where it runs, a step for the
//! client uses only programs the client's platform has, and a step for the
//! server names the service and files of the server's software.

#[path = "common/logs.rs"]
mod logs;

use sshexplain::diagnose::platform::{Client, Server};
use sshexplain::diagnose::{Ctx, Step, Where};
use sshexplain::lang::Lang;
use std::collections::BTreeMap;

/// The command without its quoted text: that is an argument (a pattern,
/// or a command ssh runs on the server), not something run here.
fn unquoted(cmd: &str) -> String {
    let mut bare = String::new();
    let mut quote = None;
    for c in cmd.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) => bare.push(c),
            _ => {}
        }
    }
    bare
}

/// The program each part of a command line starts (after `sudo`).
fn programs(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in unquoted(cmd).lines() {
        let line = line.split("   #").next().unwrap_or("");
        for part in line.split(['|', ';', '&', '{', '}', '(', ')']) {
            let mut words = part
                .split_whitespace()
                .skip_while(|w| *w == "sudo" || w.contains('='));
            if let Some(w) = words.next() {
                out.push(w.to_string());
            }
        }
    }
    out
}

/// What a client platform lacks (programs and spellings).
fn client_lacks(client: Client, cmd: &str) -> Option<String> {
    let progs = programs(cmd);
    let missing: &[&str] = match client {
        Client::Windows => &[
            "ssh-copy-id",
            "chmod",
            "chown",
            "sed",
            "grep",
            "namei",
            "cat",
            "head",
            "tail",
            "file",
            "getent",
            "eval",
            "rm",
            "ls",
            "mkdir",
            "ss",
            "journalctl",
            "systemctl",
            "tee",
            "xargs",
            "test",
            "ip",
        ],
        Client::MacOs => &["namei", "getent", "ss", "ip", "journalctl", "systemctl"],
        _ => &[],
    };
    if let Some(p) = progs.iter().find(|p| missing.contains(&p.as_str())) {
        return Some(format!("`{p}`"));
    }
    // A redirection to /dev/null (ssh's own `-F /dev/null` or
    // `UserKnownHostsFile=/dev/null` from the user's command line is read by
    // ssh, which maps it to NUL on Windows, not by the shell).
    let bare = unquoted(cmd).replace(' ', "");
    if client == Client::Windows
        && (bare.contains(">>") || bare.contains(">/dev/null") || bare.contains("</dev/null"))
    {
        return Some("a POSIX redirection".into());
    }
    if client != Client::Unix && (cmd.contains("ping -M") || cmd.contains("ethtool")) {
        return Some("Linux's ping/ethtool options".into());
    }
    if client == Client::MacOs && cmd.contains("sed -i '") && !cmd.contains("sed -i '' ") {
        return Some("GNU `sed -i`".into());
    }
    None
}

/// What a server step must not say for this server software.
fn server_wrong(server: Server, step: &Step) -> Option<&'static str> {
    let text = format!("{} {}", step.text, step.command.as_deref().unwrap_or(""));
    let unit = |u: &str| {
        [
            "systemctl reload ",
            "systemctl restart ",
            "systemctl status ",
            "journalctl -u ",
        ]
        .iter()
        .any(|c| {
            text.contains(&format!("{c}{u} "))
                || text.ends_with(&format!("{c}{u}"))
                || text.contains(&format!("{c}{u}\n"))
        })
    };
    match server {
        Server::Debian if unit("sshd") => Some("unit sshd on Debian"),
        Server::Plain | Server::FreeBsd if unit("ssh") => Some("Debian's unit ssh"),
        Server::Dropbear
            if text.contains("sshd_config")
                || text.contains("sshd -")
                || unit("ssh")
                || unit("sshd") =>
        {
            Some("OpenSSH's sshd on Dropbear")
        }
        Server::Windows
            if text.contains("systemctl")
                || text.contains("journalctl")
                || text.contains("/etc/ssh") =>
        {
            Some("a Linux service on Windows")
        }
        Server::Hosting(_) => Some("a server step for a hosting service"),
        _ => None,
    }
}

/// A command that can only mean the server.
fn server_only(cmd: &str) -> bool {
    programs(cmd).iter().any(|p| {
        [
            "sshd",
            "systemctl",
            "journalctl",
            "fail2ban-client",
            "passwd",
            "chage",
            "usermod",
            "restorecon",
            "cscli",
        ]
        .contains(&p.as_str())
    }) || cmd.contains("/etc/ssh/sshd_config")
}

/// The version line of OpenSSH for Windows and of macOS's ssh.
const WINDOWS: &str = "OpenSSH_for_Windows_9.5p1, LibreSSL 3.8.2";
const MACOS: &str = "OpenSSH_9.8p1, LibreSSL 3.3.6";

/// The trace as if another client had written it: its version line (or a
/// first line) says so. Only the platform the steps are written for
/// changes; the checks below do not depend on the cause found.
fn as_client(text: &str, version: &str) -> String {
    match text
        .lines()
        .position(|l| l.trim_start().starts_with("OpenSSH_"))
    {
        Some(i) => text
            .lines()
            .enumerate()
            .map(|(j, l)| if j == i { version } else { l })
            .collect::<Vec<_>>()
            .join("\n"),
        None => format!("{version}\n{text}"),
    }
}

#[test]
fn steps_fit_the_client_and_the_server() {
    let all = logs::all_logs();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut bad = Vec::new();
    for path in &all {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for (as_client, text) in [
            ("", text.clone()),
            (" as Windows", as_client(&text, WINDOWS)),
            (" as macOS", as_client(&text, MACOS)),
        ] {
            let trace = sshexplain::trace(&text);
            let ctx = Ctx::new(&trace, Lang::En);
            let drvfs = ctx
                .key
                .as_deref()
                .is_some_and(sshexplain::diagnose::platform::on_drvfs);
            let report = sshexplain::report(&trace);
            let json: serde_json::Value =
                serde_json::from_str(&serde_json::to_string(&report).expect("json"))
                    .expect("parse");
            let name = format!(
                "{}{as_client}",
                path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap_or(path)
                    .display()
            );
            let mut steps = 0;
            for (d, jd) in report
                .diagnoses
                .iter()
                .zip(json["diagnoses"].as_array().into_iter().flatten())
            {
                for (s, js) in d
                    .remediation
                    .iter()
                    .zip(jd["remediation"].as_array().into_iter().flatten())
                {
                    steps += 1;
                    if !matches!(js["where"].as_str(), Some("client" | "server")) {
                        bad.push(format!(
                            "{name}: {}: step without `where`: {}",
                            d.id, s.text
                        ));
                    }
                    let cmd = s.command.as_deref().unwrap_or("");
                    match s.place {
                        Where::Client => {
                            if let Some(what) = client_lacks(ctx.client, cmd) {
                                bad.push(format!(
                                    "{name}: {}: {:?} client has no {what}: {cmd}",
                                    d.id, ctx.client
                                ));
                            }
                            if drvfs
                                && programs(cmd).iter().any(|p| p == "chmod")
                                && cmd.contains("/mnt/")
                            {
                                bad.push(format!(
                                    "{name}: {}: chmod on a Windows drive: {cmd}",
                                    d.id
                                ));
                            }
                            if server_only(cmd) {
                                bad.push(format!(
                                    "{name}: {}: server command marked client: {cmd}",
                                    d.id
                                ));
                            }
                        }
                        Where::Server => {
                            if let Some(why) = server_wrong(ctx.server, s) {
                                bad.push(format!("{name}: {}: {why}: {} {cmd}", d.id, s.text));
                            }
                            if s.text.starts_with("On the server") {
                                bad.push(format!("{name}: {}: lead said twice: {}", d.id, s.text));
                            }
                        }
                    }
                }
            }
            if steps > 0 {
                let mut families = vec![
                    format!("client {:?}", ctx.client),
                    format!("server {:?}", ctx.server),
                ];
                if drvfs {
                    families.push("client WSL key on a Windows drive".into());
                }
                for f in families {
                    *seen.entry(format!("{f}{as_client}")).or_default() += 1;
                }
            }
        }
    }
    eprintln!("traces with steps, by platform: {seen:#?}");
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} steps do not fit their machine:\n{}",
        bad.len(),
        bad.join("\n")
    );
    for family in [
        "client Windows",
        "client MacOs",
        "client Unix",
        "server Debian",
        "server Plain",
        "server Dropbear",
    ] {
        assert!(
            seen.get(family).copied().unwrap_or(0) > 0,
            "no corpus trace of the family {family}"
        );
    }
    assert!(
        seen.keys().any(|k| k.starts_with("server Hosting")),
        "no hosting-service trace"
    );
}
