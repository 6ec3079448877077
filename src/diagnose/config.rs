//! Causes in the client's own configuration and command line.

use super::context::quote;
use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::grammar::primitives::unvis;
use crate::trace::Trace;

causes! {
    /// ssh stopped before connecting because an option in a config file or on
    /// the command line is not one it knows: a typo, or an option that is
    /// newer (or older) than this client.
    ///
    /// ## Why it happens
    /// - A misspelled keyword (`IdentitiyFile`, `StrictHostkeyCheking`).
    /// - A config copied from a machine with a newer OpenSSH (`ObscureKeystrokeTiming`
    ///   needs 9.5, `RequiredRSASize` 9.1, `EnableEscapeCommandline` 9.2) or a macOS-only
    ///   option (`UseKeychain`) on Linux.
    ///
    /// ## How to fix
    /// Correct the keyword at the line ssh names. For options that only some of your
    /// clients know, put `IgnoreUnknown OPTION` above them in `~/.ssh/config`.
    ///
    /// ## Evidence
    /// `/home/u/.ssh/config: line 2: Bad configuration option: identitiyfile`,
    /// `/home/u/.ssh/config: terminating, 1 bad configuration options`
    BAD_OPTION = "config.bad-option", Error, 96, "Unknown option in the ssh configuration", bad_option;

    /// ssh refuses to read your config file because other users could write to
    /// it: someone could redirect your connections, so ssh stops.
    ///
    /// ## Why it happens
    /// `~/.ssh/config` (or a file it includes) is group- or world-writable, or owned
    /// by another user (often after copying it with `sudo` or from Windows).
    ///
    /// ## How to fix
    /// `chmod 600 ~/.ssh/config` and `chown $USER ~/.ssh/config`; on Windows remove the
    /// extra accounts from the file's ACL with `icacls`.
    ///
    /// ## Evidence
    /// `Bad owner or permissions on /home/u/.ssh/config`
    BAD_PERMISSIONS = "config.bad-permissions", Error, 97, "Config file has unsafe permissions", bad_permissions;

    /// The key file named with `-i` or `IdentityFile` does not exist, so ssh
    /// could not use it.
    ///
    /// ## Why it happens
    /// A typo in the path, the key was never copied to this machine, it was saved
    /// under another name, or `~` was quoted so it did not expand.
    ///
    /// ## How to fix
    /// Check the path with `ls -l`, copy or generate the key, or fix the path.
    ///
    /// ## Evidence
    /// `no such identity: /home/u/.ssh/deploy_key: No such file or directory`,
    /// `Warning: Identity file /home/u/.ssh/k not accessible: No such file or directory.`
    IDENTITY_MISSING = "config.identity-missing", Error, 72, "The key file you named does not exist", identity_missing;

    /// ssh rejected a value on its command line before doing anything: a port
    /// that is not a number, a forwarding specification it cannot read.
    ///
    /// ## Why it happens
    /// A typo (`-p 22o1`), a missing part (`-L 5432` instead of
    /// `-L 5432:127.0.0.1:5432`), or a wrapper tool building the command wrongly.
    ///
    /// ## How to fix
    /// Correct the value; `man ssh` shows each option's format.
    ///
    /// ## Evidence
    /// `Bad port '22o1'`, `Bad local forwarding specification '5432'`
    BAD_ARGUMENT = "config.bad-argument", Error, 98, "Invalid value on the ssh command line", bad_argument;
}

/// Options added in recent OpenSSH releases, with the first version that has them.
const NEW_OPTIONS: [(&str, &str); 12] = [
    ("obscurekeystroketiming", "9.5"),
    ("channeltimeout", "9.2"),
    ("enableescapecommandline", "9.2"),
    ("requiredrsasize", "9.1"),
    ("pubkeyacceptedalgorithms", "8.5"),
    ("permitremoteopen", "8.7"),
    ("sessiontype", "8.7"),
    ("stdinnull", "8.7"),
    ("forkafterauthentication", "8.7"),
    ("tag", "9.8"),
    ("refuseconnection", "10.0"),
    ("warnweakcrypto", "10.1"),
];

/// Common keywords, for "did you mean" suggestions.
const KNOWN: [&str; 40] = [
    "Host",
    "Match",
    "HostName",
    "User",
    "Port",
    "IdentityFile",
    "IdentitiesOnly",
    "ProxyJump",
    "ProxyCommand",
    "ForwardAgent",
    "LocalForward",
    "RemoteForward",
    "DynamicForward",
    "StrictHostKeyChecking",
    "UserKnownHostsFile",
    "ServerAliveInterval",
    "ServerAliveCountMax",
    "ConnectTimeout",
    "ControlMaster",
    "ControlPath",
    "ControlPersist",
    "PreferredAuthentications",
    "PubkeyAuthentication",
    "PasswordAuthentication",
    "KexAlgorithms",
    "HostKeyAlgorithms",
    "PubkeyAcceptedAlgorithms",
    "Ciphers",
    "MACs",
    "AddKeysToAgent",
    "UseKeychain",
    "IgnoreUnknown",
    "LogLevel",
    "Compression",
    "RequestTTY",
    "SendEnv",
    "SetEnv",
    "HashKnownHosts",
    "CertificateFile",
    "GSSAPIAuthentication",
];

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The known keyword closest to `option`, if it is close.
fn suggestion(option: &str) -> Option<&'static str> {
    let lower = option.to_ascii_lowercase();
    KNOWN
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d > 0 && *d <= 3)
        .min()
        .map(|(_, k)| k)
}

fn bad_option(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let bad = t.find(|k| matches!(k, K::BadOption { .. }))?;
    let K::BadOption {
        path,
        line_no,
        option,
        unsupported,
    } = bad.kind()
    else {
        return None;
    };
    let terminating = t.find(|k| matches!(k, K::ConfigTerminating { .. }));
    let fatal =
        terminating.is_some() || (!*unsupported && t.phase <= Some(crate::trace::Phase::Config));
    let lower = option.to_ascii_lowercase();
    let newer = NEW_OPTIONS.iter().find(|(o, _)| *o == lower);
    let version = t
        .client_version()
        .map(|v| v.value.clone())
        .unwrap_or_else(|| "this client".into());
    let where_ = if path.as_ref() == "command-line" {
        "on the command line (-o)".to_string()
    } else {
        format!("in {} line {line_no}", unvis(path))
    };
    let summary = match newer {
        Some((_, since)) => format!(
            "`{option}` {where_} is an option of OpenSSH {since} and later; {version} does not know it{}.",
            if fatal { ", so ssh stopped" } else { "" }
        ),
        None => format!(
            "ssh does not know the option `{option}` {where_}{}.",
            if fatal { " and stopped before connecting" } else { "" }
        ),
    };
    let mut steps = Vec::new();
    if let Some(s) = suggestion(option) {
        steps.push(Step::say(format!(
            "Did you mean `{s}`? Correct the keyword {where_}."
        )));
    } else {
        steps.push(Step::say(format!("Correct or remove `{option}` {where_}.")));
    }
    if path.as_ref() != "command-line" {
        steps.push(Step::run(
            "Look at the line:",
            format!("sed -n '{line_no}p' {}", quote(&unvis(path))),
        ));
    }
    if newer.is_some() || lower == "usekeychain" {
        steps.push(Step::say(format!(
            "If the same config is used by newer clients too, keep the option and tell older ones to skip it: add `IgnoreUnknown {option}` above it (inside the same Host block or at the top of the file)."
        )));
    }
    let mut f = Finding::new(&BAD_OPTION, summary, &[bad])
        .failing(fatal)
        .steps(steps);
    f.cite(t.all(|k| matches!(k, K::BadOption { .. })).take(5));
    f.cite(terminating);
    Some(f)
}

fn bad_permissions(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::BadConfigPermissions { .. }))?;
    let K::BadConfigPermissions { path } = n.kind() else {
        return None;
    };
    let path = unvis(path).into_owned();
    let win = t.find(|k| matches!(k, K::WindowsBadPermissions { .. }));
    let mut steps = Vec::new();
    if ctx.windows || win.is_some() {
        steps.extend(windows_acl_steps(&path, win.map(|n| n.kind())));
    } else {
        steps.push(Step::run(
            "Make the file yours and private:",
            format!("chmod 600 {p} && chown \"$USER\" {p}", p = quote(&path)),
        ));
        steps.push(Step::run(
            "Check the directory too:",
            "chmod 700 ~/.ssh && ls -ld ~/.ssh ~/.ssh/config",
        ));
    }
    let mut f = Finding::new(
        &BAD_PERMISSIONS,
        format!("ssh will not read {path} because other users can write to it (or it is not owned by you)."),
        &[n],
    )
    .steps(steps);
    f.cite(win);
    Some(f)
}

/// `icacls` steps for a file, naming the accounts from a
/// `Bad permissions. Try removing permissions for user: ...` line.
pub fn windows_acl_steps(path: &str, line: Option<&K<'static>>) -> Vec<Step> {
    let win_path = path.replace('/', "\\");
    let mut steps = vec![
        Step::run(
            "Stop inheriting permissions from the folder (PowerShell or cmd):",
            format!("icacls \"{win_path}\" /inheritance:r"),
        ),
        Step::run(
            "Give your own account read access only:",
            format!("icacls \"{win_path}\" /grant:r \"%USERNAME%\":\"(R)\""),
        ),
    ];
    if let Some(K::WindowsBadPermissions { account, .. }) = line {
        let account = unvis(account);
        steps.push(Step::run(
            format!("Remove the account ssh complained about ({account}):"),
            format!("icacls \"{win_path}\" /remove \"{account}\""),
        ));
    }
    steps.push(Step::run(
        "Check the result: only your account (and SYSTEM/Administrators) may remain.",
        format!("icacls \"{win_path}\""),
    ));
    steps
}

fn identity_missing(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    // At debug3 ssh also says "no such identity" for every default key file
    // that does not exist; only the plain-level message is about a key you named.
    let n = t.events().iter().find(|n| match n.kind() {
        K::NoSuchIdentity { .. } => n.event.level == crate::event::Level::Plain,
        K::IdentityNotAccessible { .. } => true,
        _ => false,
    })?;
    let path = match n.kind() {
        K::NoSuchIdentity { path, .. } | K::IdentityNotAccessible { path, .. } => {
            unvis(path).into_owned()
        }
        _ => return None,
    };
    let f = Finding::new(
        &IDENTITY_MISSING,
        format!(
            "The key {path} was named with -i or IdentityFile but does not exist{}.",
            if ctx.authenticated { "; another key got you in" } else { ", so ssh could not offer it" }
        ),
        &[n],
    )
    .failing(!ctx.authenticated)
    .steps([
        Step::run("Check the path and what keys you have:", format!("ls -l {} ; ls -l ~/.ssh/", quote(&path))),
        Step::say("If the key lives on another machine, copy both halves (KEY and KEY.pub) here with permissions 600; if it was never made, generate it:"),
        Step::run("Generate a new key at that path (then install its .pub on the server):", format!("ssh-keygen -t ed25519 -f {}", quote(&path))),
        Step::run("See which IdentityFile your config really applies:", format!("ssh -G {} | grep -i identityfile", ctx.host())),
    ]);
    Some(f)
}

fn bad_argument(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::BadArgument { .. } | K::Usage {}))?;
    let summary = match n.kind() {
        K::BadArgument { what, value } if !value.is_empty() => {
            format!("ssh rejected the {what} `{value}` on its command line and did not connect.")
        }
        K::BadArgument { what, .. } => {
            format!("ssh rejected a {what} on its command line and did not connect.")
        }
        _ => "ssh printed its usage text: the command line has an option it does not accept."
            .to_string(),
    };
    let hint = match n.kind() {
        K::BadArgument { what, .. } if what == "port" => Step::say("A port is a number from 1 to 65535: `-p 2201`."),
        K::BadArgument { what, .. } if what.contains("forwarding") => Step::say(
            "Forwarding takes `[bind_address:]port:host:hostport`, e.g. `-L 5432:127.0.0.1:5432` (local port 5432 to port 5432 as seen from the server).",
        ),
        _ => Step::run("Check the option's format:", "man ssh"),
    };
    Some(
        Finding::new(&BAD_ARGUMENT, summary, &[n])
            .confidence(Confidence::High)
            .steps([hint]),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    fn primary(log: &str) -> &'static str {
        diagnose(log).primary.cause.id
    }

    #[test]
    fn typo_is_found_with_suggestion() {
        let d = diagnose("/home/u/.ssh/config: line 2: Bad configuration option: identitiyfile\n/home/u/.ssh/config: terminating, 1 bad configuration options\n");
        assert_eq!(d.primary.cause.id, "config.bad-option");
        assert!(d
            .primary
            .steps
            .iter()
            .any(|s| s.text.contains("IdentityFile")));
        assert_eq!(d.primary.evidence.len(), 2);
    }

    #[test]
    fn newer_option_is_named_as_such() {
        let d = diagnose("OpenSSH_9.2p1 Debian-2, OpenSSL 3.0.11\n/home/u/.ssh/config: line 2: Bad configuration option: obscurekeystroketiming\n/home/u/.ssh/config: terminating, 1 bad configuration options\n");
        assert!(d.primary.summary.contains("9.5"), "{}", d.primary.summary);
    }

    #[test]
    fn other_config_causes() {
        assert_eq!(
            primary("Bad owner or permissions on /home/u/.ssh/config\n"),
            "config.bad-permissions"
        );
        assert_eq!(primary("Bad port '22o1'\n"), "config.bad-argument");
        assert_eq!(
            primary("no such identity: /home/u/.ssh/deploy_key: No such file or directory\nbob@h: Permission denied (publickey).\n"),
            "config.identity-missing"
        );
    }
}
