//! User authentication: keys, agents, passwords, certificates, security keys.

use super::context::{home_tilde, quote, some_key_refused};
use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::grammar::primitives::unvis;
use crate::trace::{Fate, Noted, Trace};

causes! {
    /// ssh had no key to offer: none of the default key files exist and no
    /// agent holds a key, while the server accepts only key authentication.
    ///
    /// ## Why it happens
    /// No key pair was ever generated on this machine, or it is saved under a
    /// non-default name (`~/.ssh/mykey`) that ssh does not try unless told to.
    ///
    /// ## How to fix
    /// Generate one (`ssh-keygen -t ed25519`) and install its public half on
    /// the server, or point ssh at the existing key with `-i` / `IdentityFile`.
    ///
    /// ## Evidence
    /// every `identity file ... type -1`, no `Offering public key`, `Permission denied (publickey)`
    NO_IDENTITIES = "auth.no-identities", Error, 60, "No key to offer", no_identities;

    /// The server refused every key you offered: the public key is not in
    /// `~/.ssh/authorized_keys` of that user on that server, or the server
    /// ignores the file because of its permissions.
    ///
    /// ## Why it happens
    /// The key was never installed for this user (often: password login was
    /// switched off before the key was copied — the classic lock-out), it was
    /// installed for another user or another server, the wrong key is offered,
    /// or sshd's StrictModes rejects an `authorized_keys` / `~/.ssh` / home
    /// directory that others can write to.
    ///
    /// ## How to fix
    /// Install the public key with `ssh-copy-id` (needs password login, or use
    /// the server's console), then check permissions on the server:
    /// `chmod 700 ~/.ssh; chmod 600 ~/.ssh/authorized_keys`. The server's log
    /// (`journalctl -u ssh`) names the reason.
    ///
    /// ## Evidence
    /// `Offering public key: ...` followed by `Authentications that can continue: publickey`
    /// and finally `Permission denied (publickey)`
    KEY_REJECTED = "auth.key-rejected", Error, 50, "The server refused your key", key_rejected;

    /// ssh ignored your private key because other users can read it.
    ///
    /// ## Why it happens
    /// The key file is group/world-readable (`0644`), often after copying it
    /// from another machine, a USB stick, or Windows; on Windows, the file
    /// inherits access for other accounts.
    ///
    /// ## How to fix
    /// `chmod 600 KEY` on Unix; on Windows remove inherited permissions with
    /// `icacls`.
    ///
    /// ## Evidence
    /// `WARNING: UNPROTECTED PRIVATE KEY FILE!`, `Permissions 0644 for '~/.ssh/id_ed25519' are too open.`,
    /// `Bad permissions. Try removing permissions for user: ...`
    KEY_UNPROTECTED = "auth.key-unprotected", Error, 80, "Private key file is readable by others", key_unprotected;

    /// ssh could not read the private key file: it is not an OpenSSH private
    /// key it can load.
    ///
    /// ## Why it happens
    /// Windows line endings (CRLF) after copying through an editor, a PuTTY
    /// `.ppk` file, a truncated copy-paste, or the `.pub` file given to `-i`.
    ///
    /// ## How to fix
    /// Convert or restore the key: `sed -i 's/\r$//' KEY` for CRLF,
    /// `puttygen KEY.ppk -O private-openssh -o KEY` for PuTTY keys; test with
    /// `ssh-keygen -y -f KEY`.
    ///
    /// ## Evidence
    /// `Load key "/home/u/.ssh/id_ed25519": invalid format`, `... error in libcrypto`
    KEY_LOAD_FAILED = "auth.key-load-failed", Error, 75, "The private key file cannot be loaded", key_load_failed;

    /// The key is protected by a passphrase that ssh could not get: it was
    /// wrong, or there was no terminal to ask for it.
    ///
    /// ## Why it happens
    /// A mistyped passphrase; ssh run from cron, CI, an IDE or a git GUI
    /// (no terminal); `BatchMode=yes` forbids asking.
    ///
    /// ## How to fix
    /// Load the key into an agent once (`ssh-add KEY`), check the passphrase
    /// with `ssh-keygen -y -f KEY`, or use a dedicated unencrypted key in
    /// automation.
    ///
    /// ## Evidence
    /// `Load key "...": incorrect passphrase supplied to decrypt private key`,
    /// `read_passphrase: can't open /dev/tty`, `Server accepts key` with nothing after it
    KEY_PASSPHRASE = "auth.key-passphrase", Error, 78, "The key's passphrase could not be supplied", key_passphrase;

    /// The server only accepts SHA-1 `ssh-rsa` signatures for your RSA key,
    /// which this client (OpenSSH 8.8 or later) no longer makes — so the two
    /// have no signature algorithm in common.
    ///
    /// ## Why it happens
    /// An old server (OpenSSH < 7.2, old Dropbear, appliances) with a modern
    /// client, or a client or server config that restricts algorithms.
    ///
    /// ## How to fix
    /// Use an Ed25519 key; or allow `ssh-rsa` for that host:
    /// `-o PubkeyAcceptedAlgorithms=+ssh-rsa`; the real fix is upgrading the server.
    ///
    /// ## Evidence
    /// `send_pubkey_test: no mutual signature algorithm`,
    /// `Skipping ssh-rsa key ... - corresponding algorithm not supported by server`
    NO_MUTUAL_SIGNATURE = "auth.no-mutual-signature", Error, 82, "No signature algorithm in common for your key", no_mutual_signature;

    /// The ssh agent holds the key but refused to sign with it.
    ///
    /// ## Why it happens
    /// The key was added with confirmation (`ssh-add -c`) and no confirmation
    /// dialog can appear, the agent is locked, or a hardware-backed key (gpg
    /// card, security key) was not unlocked or touched.
    ///
    /// ## How to fix
    /// `ssh-add -l` to list, `ssh-add -D` and add the key again (without `-c`),
    /// unlock the agent (`ssh-add -X`) or the token.
    ///
    /// ## Evidence
    /// `sign_and_send_pubkey: signing failed for ED25519 "..." from agent: agent refused operation`
    AGENT_REFUSED = "auth.agent-refused", Error, 77, "The agent refused to sign", agent_refused;

    /// ssh was told to use an agent (SSH_AUTH_SOCK is set) but could not reach
    /// it, and the key you need lives only there.
    ///
    /// ## Why it happens
    /// A stale SSH_AUTH_SOCK from an old login or tmux/screen session, an agent
    /// that was stopped, a forwarded agent from a closed session.
    ///
    /// ## How to fix
    /// Start an agent and add the key (`eval "$(ssh-agent -s)"; ssh-add KEY`),
    /// or unset SSH_AUTH_SOCK and use the key file with `-i`.
    ///
    /// ## Evidence
    /// `get_agent_identities: ssh_get_authentication_socket: No such file or directory`,
    /// `Could not open a connection to your authentication agent.`
    AGENT_UNAVAILABLE = "auth.agent-unavailable", Error, 73, "The ssh agent cannot be reached", agent_unavailable;

    /// The server disconnected because the client tried more keys than it
    /// allows (MaxAuthTries, default 6) before getting to the right one.
    ///
    /// ## Why it happens
    /// An agent (or config) holding many keys: each offer counts as a failed
    /// attempt, and the right key comes too late.
    ///
    /// ## How to fix
    /// Offer only the right key: `-o IdentitiesOnly=yes -i KEY`, or
    /// `IdentitiesOnly yes` with `IdentityFile` in a `Host` block.
    ///
    /// ## Evidence
    /// `Received disconnect from 10.0.0.5 port 22:2: Too many authentication failures`
    TOO_MANY_FAILURES = "auth.too-many-failures", Error, 85, "Too many keys tried", too_many_failures;

    /// The server rejected the password that was typed (or supplied by a
    /// tool such as sshpass): wrong password or user name, or an account the
    /// server will not let in with a password.
    ///
    /// ## Why it happens
    /// A wrong password or user name, a locked or expired account, PAM
    /// denying the login, or `PermitRootLogin prohibit-password` (Debian's
    /// default) rejecting even the right password for root.
    ///
    /// ## How to fix
    /// Check the user name and password; on the server check the account
    /// (`passwd -S USER`, `faillock --user USER`) and the log.
    ///
    /// ## Evidence
    /// `Permission denied, please try again.`
    PASSWORD_REJECTED = "auth.password-rejected", Error, 70, "Password rejected", password_rejected;

    /// The server allows only methods this client could not use: for example
    /// it takes only keys, and the client has no accepted key and may not fall
    /// back to a password.
    ///
    /// ## Why it happens
    /// `PasswordAuthentication no` on the server before a key was installed (the
    /// classic lock-out), `PreferredAuthentications` or `BatchMode` on the client
    /// excluding what the server wants, keyboard-interactive (2FA) with no
    /// terminal.
    ///
    /// ## How to fix
    /// Use a method the server allows, or (with console access) allow
    /// password login temporarily to install a key.
    ///
    /// ## Evidence
    /// `Authentications that can continue: publickey` followed by
    /// `No more authentication methods to try.`
    METHOD_UNAVAILABLE = "auth.method-unavailable", Error, 55, "No usable authentication method", method_unavailable;

    /// The first factor succeeded but the server requires another one
    /// (`AuthenticationMethods`), which did not succeed.
    ///
    /// ## Why it happens
    /// Multi-factor setups (`publickey,password`, `publickey,keyboard-interactive`
    /// for OTP): the second factor was wrong, or could not be asked (BatchMode,
    /// no terminal).
    ///
    /// ## How to fix
    /// Provide the second factor interactively, or change the requirement on
    /// the server.
    ///
    /// ## Evidence
    /// `Authenticated using "publickey" with partial success.`
    PARTIAL_SUCCESS = "auth.partial-success", Error, 74, "Second authentication factor missing", partial_success;

    /// ssh needed to ask a question (password, passphrase, 2FA code, host key
    /// confirmation) but had no terminal to ask it on.
    ///
    /// ## Why it happens
    /// ssh runs under CI, cron, an IDE, a git GUI, Ansible or Salt without a
    /// terminal, and the setup relies on typing something.
    ///
    /// ## How to fix
    /// Use a key (agent or `-i`) instead of a password, pre-seed known_hosts, or
    /// provide an askpass program (`SSH_ASKPASS` with `SSH_ASKPASS_REQUIRE=force`).
    ///
    /// ## Evidence
    /// `read_passphrase: can't open /dev/tty: No such device or address`
    NO_TTY = "auth.no-tty", Error, 76, "ssh needed to ask something but has no terminal", no_tty;

    /// The server refused your SSH user certificate. The client is not told
    /// why; the server's log names the reason (expired, wrong principal,
    /// unknown CA).
    ///
    /// ## Why it happens
    /// The certificate expired or is not valid yet, its principals do not
    /// include the user you log in as, or the server does not trust its CA
    /// (`TrustedUserCAKeys`).
    ///
    /// ## How to fix
    /// Inspect it with `ssh-keygen -Lf KEY-cert.pub` and have it re-issued.
    ///
    /// ## Evidence
    /// `Offering public key: ... ED25519-CERT ...` refused, or `Certificate invalid: expired`
    CERTIFICATE_REJECTED = "auth.certificate-rejected", Error, 65, "Your SSH certificate was refused", certificate_rejected;

    /// Signing with a FIDO/U2F security key (`-sk` key) failed: the token is
    /// missing, was not touched, or needs a PIN.
    ///
    /// ## Why it happens
    /// The key is not plugged in (or not visible in WSL/VMs), the touch timed
    /// out, the PIN was not given, or libfido2 support is missing.
    ///
    /// ## How to fix
    /// Plug in the token, touch it when it blinks, check `fido2-token -L`.
    ///
    /// ## Evidence
    /// `sign_and_send_pubkey: signing failed for ECDSA-SK ...: device not found`, `Confirm user presence for key ...`
    SECURITY_KEY = "auth.security-key", Error, 79, "Security key signing failed", security_key;

    /// The server refused authentication and the output does not show enough
    /// to say why.
    ///
    /// ## Why it happens
    /// Any of the `auth.*` causes; without `-v` ssh prints only the final
    /// `Permission denied (METHODS)` line.
    ///
    /// ## How to fix
    /// Re-run with `ssh -v` and run sshexplain on that output.
    ///
    /// ## Evidence
    /// `user@host: Permission denied (publickey).`
    FAILED = "auth.failed", Error, 1, "Authentication failed", failed;
}

/// The final refusal: `Permission denied (...)` or `No more authentication methods`.
fn denial(t: &Trace) -> Option<&Noted> {
    t.find_last(|k| matches!(k, K::PermissionDenied { .. }))
        .or_else(|| t.find_last(|k| matches!(k, K::NoMoreAuthMethods {})))
}

fn methods_text(ctx: &Ctx) -> String {
    if ctx.allowed.is_empty() {
        "(not shown)".to_string()
    } else {
        ctx.allowed.join(", ")
    }
}

/// The lock-out remediation: how to get a public key into authorized_keys.
fn install_key_steps(ctx: &Ctx, key: &str) -> Vec<Step> {
    let pubkey = format!("{key}.pub");
    let target = ctx.target();
    let port = ctx.port_flag();
    let mut steps = vec![Step::run(
        "Make sure you have the key pair (this prints the public key; it is what the server must have):",
        format!("cat {}", quote(&pubkey)),
    )];
    if ctx.server_allows_password() {
        steps.push(Step::run(
            "The server still accepts passwords, so install the key with one:",
            format!("ssh-copy-id {port}-i {} {target}", quote(&pubkey)),
        ));
    } else {
        steps.push(Step::say(
            "The server accepts only keys, so ssh-copy-id (which logs in with a password) cannot work from here. Get in another way: the server's console (keyboard and screen, cloud console, a Raspberry Pi's SD card), or another machine whose key is already installed.",
        ));
        steps.push(Step::run(
            "On the server (as root), allow password login for a moment: set `PasswordAuthentication yes` in /etc/ssh/sshd_config (and in any file under /etc/ssh/sshd_config.d/ that sets it), then reload:",
            "sudo grep -rn PasswordAuthentication /etc/ssh/sshd_config /etc/ssh/sshd_config.d/ ; sudo systemctl reload ssh",
        ));
        steps.push(Step::run(
            "From this machine, install the key:",
            format!("ssh-copy-id {port}-i {} {target}", quote(&pubkey)),
        ));
        steps.push(Step::run(
            "Check it arrived: this logs in with the key alone and shows the installed keys:",
            format!("ssh {port}-o PasswordAuthentication=no -i {} {target} 'cat ~/.ssh/authorized_keys'", quote(key)),
        ));
        steps.push(Step::run(
            "On the server, set `PasswordAuthentication no` again and reload sshd:",
            "sudo systemctl reload ssh",
        ));
    }
    steps.push(Step::run(
        "If the key is installed and still refused, fix permissions on the server (sshd's StrictModes ignores files others can write):",
        "chmod 700 ~/.ssh && chmod 600 ~/.ssh/authorized_keys && chmod go-w ~ && namei -l ~/.ssh/authorized_keys",
    ));
    steps.push(Step::run(
        "The server's log says why it refused (Debian 12 / Raspberry Pi OS Bookworm have no /var/log/auth.log; elsewhere see /var/log/auth.log or /var/log/secure):",
        Ctx::server_log(),
    ));
    steps
}

fn no_identities(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated || ctx.verbosity == 0 || !t.offers.is_empty() {
        return None;
    }
    let deny = denial(t)?;
    if !ctx.allowed.iter().any(|m| m == "publickey") {
        return None;
    }
    let files: Vec<&Noted> = t.all(|k| matches!(k, K::IdentityFile { .. })).collect();
    let any_key = files.iter().any(|n| matches!(n.kind(), K::IdentityFile { key_type, path } if *key_type >= 0 && !path.ends_with("-cert")));
    let agent_keys = t.find(|k| matches!(k, K::AgentKeys { count } if *count > 0));
    let explicit_missing = t.events().iter().any(|n| {
        matches!(n.kind(), K::NoSuchIdentity { .. }) && n.event.level == crate::event::Level::Plain
    });
    if any_key
        || agent_keys.is_some()
        || explicit_missing
        || t.has(|k| matches!(k, K::LoadKeyFailed { .. } | K::UnprotectedKeyBanner {}))
    {
        return None;
    }
    let confidence = if files.is_empty() {
        Confidence::Medium
    } else {
        Confidence::High
    };
    let dir = ctx
        .ssh_dir
        .as_deref()
        .map(home_tilde)
        .unwrap_or_else(|| "~/.ssh".into());
    let mut f = Finding::new(
        &NO_IDENTITIES,
        format!(
            "ssh found no key to offer: none of the default key files in {dir} exist and no agent offered one, while the server accepts only: {}.",
            methods_text(ctx)
        ),
        &[deny],
    )
    .confidence(confidence)
    .steps([
        Step::run("See what is in your ssh directory; a key saved under another name must be named with -i:", format!("ls -l {dir}/")),
        Step::run("If you have a key under another name, use it:", ctx.ssh(&format!("-i {dir}/YOUR_KEY"))),
        Step::run("If you have no key yet, generate one:", "ssh-keygen -t ed25519"),
    ])
    .steps(install_key_steps(ctx, "~/.ssh/id_ed25519").into_iter().skip(1));
    f.cite(files.iter().copied().take(3));
    f.cite(t.find(|k| matches!(k, K::NextAuthMethod { method } if method == "publickey")));
    Some(f)
}

fn key_rejected(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let refused: Vec<_> = t
        .offers
        .iter()
        .filter(|o| o.fate == Fate::Refused)
        .collect();
    if refused.is_empty() || refused.iter().any(|o| o.identity.is_certificate()) {
        return None;
    }
    let deny = denial(t).or_else(|| t.find_last(|k| matches!(k, K::ReceivedDisconnect { .. })))?;
    let names: Vec<String> = refused
        .iter()
        .take(4)
        .map(|o| super::context::key_label(&o.identity))
        .collect();
    let more = if refused.len() > 4 {
        format!(" and {} more", refused.len() - 4)
    } else {
        String::new()
    };
    let key = refused
        .iter()
        .rev()
        .find(|o| !o.identity.agent)
        .map(|o| home_tilde(&unvis(&o.identity.path)))
        .unwrap_or_else(|| ctx.key());
    let user = ctx.user.as_deref().unwrap_or("the user");
    let lockout = if ctx.server_allows_password() {
        String::new()
    } else {
        " The server accepts only keys, so there is no password login to fall back on.".to_string()
    };
    let summary = format!(
        "The server at {} refused {}{more} for {user}: that public key is not in {user}'s ~/.ssh/authorized_keys there (or sshd ignores the file because of its permissions).{lockout}",
        ctx.host(),
        names.join(", ")
    );
    let mut steps = Vec::new();
    if let Some(u) = &ctx.user {
        steps.push(Step::say(format!("Check the user name: the key must be installed for `{u}` on that server (`ssh -l NAME` or `NAME@host` to use another).")));
    }
    steps.extend(install_key_steps(ctx, &key));
    let mut f = Finding::new(&KEY_REJECTED, summary, &[deny]).steps(steps);
    for o in refused.iter().take(4) {
        if let Some(n) = t.events().iter().find(|n| n.line() == o.line) {
            f.cite([n]);
        }
        if let Some(l) = o.fate_line {
            if let Some(n) = t.events().iter().find(|n| n.line() == l) {
                f.cite([n]);
            }
        }
    }
    Some(f)
}

fn key_unprotected(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let too_open = t.find(|k| matches!(k, K::KeyPermissionsTooOpen { .. }));
    let win =
        t.find(|k| matches!(k, K::WindowsBadPermissions { path, .. } if !path.ends_with("config")));
    let banner = t.find(|k| matches!(k, K::UnprotectedKeyBanner {}));
    let head = banner.or(too_open).or(win)?;
    let (path, mode) = match too_open.map(|n| n.kind()) {
        Some(K::KeyPermissionsTooOpen { path, mode }) => (
            unvis(path).into_owned(),
            mode.as_ref().map(|m| m.to_string()),
        ),
        _ => match win.map(|n| n.kind()) {
            Some(K::WindowsBadPermissions { path, .. }) => (unvis(path).into_owned(), None),
            _ => (ctx.key(), None),
        },
    };
    let windows = ctx.windows || win.is_some() || path.contains(":\\") || path.contains(":/");
    let steps = if windows {
        super::config::windows_acl_steps(&path, win.map(|n| n.kind()))
    } else {
        vec![
            Step::run(
                "Make the key readable by you only:",
                format!("chmod 600 {}", quote(&path)),
            ),
            Step::run("And the directory:", "chmod 700 ~/.ssh"),
        ]
    };
    let mode_text = mode.map(|m| format!(" (mode {m})")).unwrap_or_default();
    let mut f = Finding::new(
        &KEY_UNPROTECTED,
        format!(
            "ssh ignored the private key {path}{mode_text} because other users can read it{}.",
            if ctx.authenticated {
                "; you got in another way, but the key itself was skipped"
            } else {
                ", so it was never offered"
            }
        ),
        &[head],
    )
    .failing(!ctx.authenticated)
    .steps(steps);
    f.cite(too_open);
    f.cite(win);
    f.cite(t.find(|k| matches!(k, K::UnprotectedKeyText { text } if text.contains("ignored"))));
    f.cite(denial(t));
    Some(f)
}

fn key_load_failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| match k {
        K::LoadKeyFailed { reason, .. } => {
            let r = reason.to_ascii_lowercase();
            !r.contains("passphrase") && !r.contains("bad permissions")
        }
        _ => false,
    })?;
    let K::LoadKeyFailed { path, reason } = n.kind() else {
        return None;
    };
    let path = unvis(path).into_owned();
    let likely = if path.ends_with(".pub") {
        "the file is a public key; -i / IdentityFile must name the private key (the same name without .pub)"
    } else if path.ends_with(".ppk") {
        "it is a PuTTY .ppk file, which OpenSSH cannot read"
    } else if reason.contains("No such file") {
        "the file does not exist"
    } else {
        "it is not a complete OpenSSH private key: usually Windows line endings (CRLF) after copying, a truncated copy-paste, or a key in another format"
    };
    let mut steps = vec![
        Step::run("Test whether ssh can read it (prints the public key if so):", format!("ssh-keygen -y -f {}", quote(&path))),
        Step::run("A private key starts with -----BEGIN OPENSSH PRIVATE KEY----- (or BEGIN RSA/EC PRIVATE KEY) and ends with a matching END line; `file` shows CRLF:", format!("head -1 {p}; tail -1 {p}; file {p}", p = quote(&path))),
        Step::run("Remove Windows line endings:", format!("sed -i 's/\\r$//' {}", quote(&path))),
    ];
    if path.ends_with(".ppk") {
        steps.insert(
            0,
            Step::run(
                "Convert the PuTTY key to OpenSSH format:",
                format!(
                    "puttygen {} -O private-openssh -o ~/.ssh/id_from_putty",
                    quote(&path)
                ),
            ),
        );
    }
    Some(
        Finding::new(
            &KEY_LOAD_FAILED,
            format!("ssh could not load the private key {path} ({reason}): {likely}."),
            &[n],
        )
        .failing(!ctx.authenticated)
        .steps(steps),
    )
}

fn key_passphrase(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let wrong = t
        .find(|k| matches!(k, K::LoadKeyFailed { reason, .. } if reason.contains("passphrase")))
        .or_else(|| t.find(|k| matches!(k, K::BadPassphrase {})));
    let accepted = t
        .offers
        .iter()
        .find(|o| o.fate == Fate::Accepted && !o.identity.agent && !o.identity.is_security_key());
    let accepted_line = accepted.and_then(|o| o.fate_line).unwrap_or(usize::MAX);
    let no_tty = t
        .find(|k| matches!(k, K::NoTty { .. }))
        .filter(|n| n.line() > accepted_line || t.has(|k| matches!(k, K::PassphrasePrompt { .. })));
    let askpass = t
        .all(|k| matches!(k, K::AskpassRequested {}))
        .filter(|n| n.line() > accepted_line)
        .count();
    let deny = denial(t);
    let (head, confidence, why) = if let Some(n) = wrong {
        (n, Confidence::High, "the passphrase given was wrong")
    } else if let Some(n) = no_tty {
        (n, Confidence::High, "there was no terminal to ask for it")
    } else if askpass > 0 && accepted.is_some() {
        (
            t.find(|k| matches!(k, K::AskpassRequested {}))?,
            Confidence::Medium,
            "the askpass program's answers did not unlock it",
        )
    } else if accepted.is_some()
        && deny.is_some()
        && !t.has(|k| {
            matches!(
                k,
                K::SigningFailed { .. }
                    | K::NoMutualSignature {}
                    | K::LoadKeyFailed { .. }
                    | K::AgentUnavailable { .. }
                    | K::UnprotectedKeyBanner {}
            )
        })
    {
        // Only "accepted, then never used": the trace cannot tell a passphrase
        // ssh could not ask for from a private key that is not here at all.
        (deny?, Confidence::Low, "")
    } else {
        return None;
    };
    let key = accepted
        .map(|o| home_tilde(&unvis(&o.identity.path)))
        .unwrap_or_else(|| ctx.key());
    let summary = if why.is_empty() {
        format!(
            "The server would accept {key}, but ssh never used it. Either the key is protected by a passphrase that ssh could not ask for (BatchMode, no terminal, no agent holding it), or only its public half is on this machine (the private key lived in an agent that is not reachable now). The trace does not say which."
        )
    } else {
        format!(
            "The server would accept {key}, but the key is protected by a passphrase and {why}."
        )
    };
    let mut f = Finding::new(&KEY_PASSPHRASE, summary, &[head])
    .confidence(confidence)
    .steps([
        Step::run("Check that the private key is here (not only KEY.pub):", format!("ls -l {k} {k}.pub", k = quote(&key))),
        Step::run("Check the passphrase (prints the public key when it is right):", format!("ssh-keygen -y -f {}", quote(&key))),
        Step::run("Unlock it once per session into an agent, so ssh does not need to ask:", format!("eval \"$(ssh-agent -s)\"; ssh-add {}", quote(&key))),
        Step::say("For CI or cron, load the key into an agent in the job, or use a dedicated deploy key without passphrase restricted on the server (`from=`, `command=` in authorized_keys)."),
    ]);
    if let Some(o) = accepted {
        if let Some(n) = t.events().iter().find(|n| Some(n.line()) == o.fate_line) {
            f.cite([n]);
        }
    }
    f.cite(deny);
    Some(f)
}

fn no_mutual_signature(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let n = t.find(|k| matches!(k, K::NoMutualSignature {}))
        .or_else(|| t.find(|k| matches!(k, K::SkippingKey { reason, .. } if reason.contains("not supported by server"))))?;
    let sig_algs = t.find_last(|k| matches!(k, K::ServerSigAlgs { .. }));
    let server_sha1_only = match sig_algs.map(|n| n.kind()) {
        Some(K::ServerSigAlgs { algorithms }) => {
            algorithms.contains("ssh-rsa")
                && !algorithms.contains("rsa-sha2-256")
                && !algorithms.contains("rsa-sha2-512")
        }
        _ => false,
    };
    let client_restricted = t.command.as_ref().and_then(|c| {
        c.option("pubkeyacceptedalgorithms")
            .or(c.option("pubkeyacceptedkeytypes"))
            .map(str::to_string)
    });
    let key = ctx.key();
    let summary = match (&client_restricted, server_sha1_only) {
        (Some(list), _) => format!("For the key {key} the server and your PubkeyAcceptedAlgorithms={list} have no signature algorithm in common, so the key is never used."),
        (None, true) => format!("The server only accepts SHA-1 `ssh-rsa` signatures, which this client no longer makes, so your RSA key {key} cannot be used."),
        _ => format!("The server and this client have no signature algorithm in common for {key} (typically an RSA key and a server that only knows SHA-1 `ssh-rsa`)."),
    };
    let mut f = Finding::new(&NO_MUTUAL_SIGNATURE, summary, &[n]).steps([
        Step::run("Best: use an Ed25519 key, which every server since OpenSSH 6.5 accepts (then install it on the server):", "ssh-keygen -t ed25519"),
        Step::run("Workaround for this old server: allow SHA-1 RSA signatures for it only:", ctx.ssh("-o PubkeyAcceptedAlgorithms=+ssh-rsa")),
        Step::run("Make the workaround permanent in ~/.ssh/config:", format!("Host {}\n    PubkeyAcceptedAlgorithms +ssh-rsa", ctx.host())),
        Step::say("The real fix is upgrading the server's SSH (OpenSSH 7.2+ supports rsa-sha2-256/512)."),
    ]);
    f.cite(sig_algs);
    f.cite(denial(t));
    Some(f)
}

fn agent_refused(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::SigningFailed { reason, from_agent, .. } if *from_agent || reason.contains("agent refused")))?;
    let K::SigningFailed { key, reason, .. } = n.kind() else {
        return None;
    };
    if !reason.contains("refused") {
        return None;
    }
    let key = key
        .as_deref()
        .map(|k| home_tilde(&unvis(k)))
        .unwrap_or_else(|| ctx.key());
    let mut f = Finding::new(&AGENT_REFUSED, format!("The ssh agent holds {key} but refused to sign with it."), &[n])
        .failing(!ctx.authenticated)
        .steps([
            Step::run("List what the agent holds:", "ssh-add -l"),
            Step::run("If the key was added with confirmation (-c) and no confirmation dialog (ssh-askpass) is installed, re-add it without -c:", format!("ssh-add -d {k}; ssh-add {k}", k = quote(&key))),
            Step::run("If the agent is locked, unlock it:", "ssh-add -X"),
            Step::say("For keys on a smart card, gpg-agent or security key: unlock the card / enter the PIN / touch the token when asked."),
        ]);
    f.cite(denial(t));
    Some(f)
}

fn agent_unavailable(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::AgentUnavailable { .. }))?;
    let accepted_unusable = t.offers.iter().any(|o| o.fate == Fate::Accepted);
    let missing_private = t.has(|k| {
        matches!(k, K::NoSuchIdentity { .. })
            || matches!(k, K::LoadKeyFailed { reason, .. } if reason.contains("No such file"))
    });
    let needed =
        !ctx.authenticated && denial(t).is_some() && (accepted_unusable || missing_private);
    let mut f = Finding::new(
        &AGENT_UNAVAILABLE,
        if needed {
            "ssh could not reach the agent named by SSH_AUTH_SOCK, and the key the server would accept is only usable through it.".to_string()
        } else {
            "ssh could not reach the agent named by SSH_AUTH_SOCK (the socket is stale or the agent is not running); keys held there were not offered.".to_string()
        },
        &[n],
    )
    .failing(needed)
    .confidence(if needed { Confidence::Medium } else { Confidence::High })
    .steps([
        Step::run("Check the variable and the agent:", "echo \"$SSH_AUTH_SOCK\"; ssh-add -l"),
        Step::run("Start a fresh agent in this shell and add your key:", format!("eval \"$(ssh-agent -s)\"; ssh-add {}", quote(&ctx.key()))),
        Step::say("In tmux/screen, a session started from an older login keeps the old SSH_AUTH_SOCK: update it, or unset it and use -i KEY."),
    ]);
    f.cite(denial(t));
    Some(f)
}

fn too_many_failures(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find_last(|k| match k {
        K::ReceivedDisconnect { reason, .. } | K::Disconnecting { reason, .. } => reason
            .to_ascii_lowercase()
            .contains("too many authentication failures"),
        _ => false,
    })?;
    let offered = t.offers.len();
    // One refused key and a disconnect: MaxAuthTries is 1 and the key is
    // simply not authorized — auth.key-rejected says that; this is the how.
    let loaded = |n: &&crate::trace::Noted| match n.kind() {
        K::WillAttemptKey { identity } => identity.fingerprint.is_some(),
        K::KeyCandidate { loaded, .. } => *loaded,
        K::IdentityFile { key_type, path } => *key_type >= 0 && !path.ends_with("-cert"),
        _ => false,
    };
    let candidates = [
        t.all(|k| matches!(k, K::WillAttemptKey { .. }))
            .filter(loaded)
            .count(),
        t.all(|k| matches!(k, K::KeyCandidate { .. }))
            .filter(loaded)
            .count(),
        t.all(|k| matches!(k, K::IdentityFile { .. }))
            .filter(loaded)
            .count(),
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    let single = offered <= 1 && candidates <= 1 && ctx.verbosity > 0;
    let from_agent = t.offers.iter().filter(|o| o.identity.agent).count();
    let key = ctx.key();
    let mut f = Finding::new(
        &TOO_MANY_FAILURES,
        format!(
            "The server disconnected after {offered} key offers ({from_agent} from the agent): every offer counts against its MaxAuthTries limit, and the right key (if any) came too late."
        ),
        &[n],
    )
    .steps([
        Step::run("Offer only the key meant for this server:", ctx.ssh(&format!("-o IdentitiesOnly=yes -i {}", quote(&key)))),
        Step::run("Make it permanent in ~/.ssh/config:", format!("Host {}\n    IdentityFile {key}\n    IdentitiesOnly yes", ctx.host())),
        Step::run("See how many keys your agent offers:", "ssh-add -l"),
    ]);
    f.cite(t.all(|k| matches!(k, K::OfferingKey { .. })).take(3));
    Some(if single { f.note() } else { f })
}

fn password_rejected(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let tries: Vec<&Noted> = t.all(|k| matches!(k, K::PasswordRetry {})).collect();
    tries.first()?;
    let user = ctx.user.clone().unwrap_or_else(|| "USER".into());
    let mut steps = vec![Step::say(format!(
        "Check the user name ({user}) and the password (keyboard layout, Caps Lock)."
    ))];
    if user == "root" {
        steps.push(Step::say("Debian and Ubuntu refuse password logins for root by default (`PermitRootLogin prohibit-password`), even with the right password: log in as a normal user and use sudo."));
    }
    steps.push(Step::run(
        "On the server, check whether the account is locked or expired:",
        format!("sudo passwd -S {user}; sudo faillock --user {user}"),
    ));
    steps.push(Step::run("The server's log says why:", Ctx::server_log()));
    let mut f = Finding::new(
        &PASSWORD_REJECTED,
        format!(
            "The server rejected the password for {user} ({} attempt{}).",
            tries.len(),
            if tries.len() == 1 { "" } else { "s" }
        ),
        &tries,
    )
    .steps(steps);
    f.cite(denial(t));
    Some(f)
}

fn method_unavailable(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated || ctx.verbosity == 0 || ctx.allowed.is_empty() {
        return None;
    }
    let deny = denial(t)?;
    let usable = ctx.tried.iter().any(|m| ctx.allowed.contains(m));
    if !usable {
        let mut f = Finding::new(
            &METHOD_UNAVAILABLE,
            format!(
                "The server allows only {}; this client tried {} — nothing the server accepts.",
                methods_text(ctx),
                if ctx.tried.is_empty() { "no method at all".to_string() } else { ctx.tried.join(", ") }
            ),
            &[deny],
        )
        .steps([
            Step::say("Check PreferredAuthentications / BatchMode / PasswordAuthentication in your command line and ~/.ssh/config: they may exclude what the server wants."),
            Step::run("See the options ssh really applies:", format!("ssh -G {} | grep -Ei 'preferredauthentications|batchmode|passwordauthentication|kbdinteractive|pubkeyauthentication'", ctx.host())),
            Step::say("If the server wants keyboard-interactive (a 2FA code or a password prompt), run ssh in a terminal without BatchMode."),
        ]);
        f.cite(t.find_last(|k| matches!(k, K::AuthsCanContinue { .. })));
        return Some(f);
    }
    if some_key_refused(t) && !ctx.server_allows_password() {
        let f = Finding::new(
            &METHOD_UNAVAILABLE,
            format!("The server accepts only {}: with the key refused there is no password login to fall back on, so ssh-copy-id cannot install a key from here.", methods_text(ctx)),
            &[deny],
        )
        .note()
        .steps([Step::say("See the steps of the primary finding: get in through the console, or allow PasswordAuthentication for a moment.")]);
        return Some(f);
    }
    None
}

fn partial_success(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let n = t.find(|k| matches!(k, K::PartialSuccess { .. }))?;
    let next = t
        .all(|k| matches!(k, K::AuthsCanContinue { .. }))
        .find(|m| m.line() > n.line());
    let needed = match next.map(|n| n.kind()) {
        Some(K::AuthsCanContinue { methods }) => methods.items().collect::<Vec<_>>().join(", "),
        _ => methods_text(ctx),
    };
    let first = match n.kind() {
        K::PartialSuccess { method: Some(m) } => m.to_string(),
        _ => "the first method".into(),
    };
    let batch = t
        .command
        .as_ref()
        .and_then(|c| c.option("batchmode"))
        .is_some_and(|v| v.eq_ignore_ascii_case("yes"));
    let mut f = Finding::new(
        &PARTIAL_SUCCESS,
        format!("{first} succeeded, but the server requires a second factor ({needed}), which did not succeed."),
        &[n],
    )
    .steps([
        Step::say(format!("The server's AuthenticationMethods requires {first} and then {needed}: supply it when asked{}.", if batch { " (BatchMode=yes forbids asking: run without it, in a terminal)" } else { "" })),
        Step::run("Run interactively to be asked for it:", ctx.ssh("")),
        Step::say("In automation, ask the server's admin for an account or key that needs only one factor (e.g. a Match block for that key)."),
    ]);
    f.cite(next);
    f.cite(t.all(|k| matches!(k, K::PasswordRetry {})).take(2));
    f.cite(denial(t));
    Some(f)
}

fn no_tty(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let n = t.find(|k| matches!(k, K::NoTty { .. }))?;
    let before =
        |f: &dyn Fn(&K<'static>) -> bool| t.find(|k| f(k)).is_some_and(|m| m.line() < n.line());
    let passphrase =
        before(&|k| matches!(k, K::ServerAcceptsKey { .. } | K::PassphrasePrompt { .. }));
    let host_question = before(&|k| {
        matches!(
            k,
            K::HostAuthenticityUnknown { .. } | K::IpKeyDiffers { .. }
        )
    });
    let what = if passphrase {
        "for the key's passphrase"
    } else if host_question {
        "whether to trust the server's host key"
    } else if ctx.tried.iter().any(|m| m == "keyboard-interactive") {
        "for a keyboard-interactive answer (password or one-time code)"
    } else {
        "for a password"
    };
    let mut f = Finding::new(&NO_TTY, format!("ssh needed to ask {what}, but it runs without a terminal (CI, cron, an IDE or a GUI)."), &[n]).steps([
        Step::run("Use a key instead of a password: load it into an agent in the job, or name it:", ctx.ssh(&format!("-o BatchMode=yes -i {}", quote(&ctx.key())))),
        Step::say("Pre-seed known_hosts in the job (ssh-keyscan, after checking the fingerprint) so the host key question never comes up."),
        Step::say("If a prompt is unavoidable, give ssh an askpass program: SSH_ASKPASS=/path/to/helper SSH_ASKPASS_REQUIRE=force."),
    ]);
    f.cite(denial(t).or_else(|| t.find_last(|k| matches!(k, K::HostKeyVerificationFailed {}))));
    // With a passphrase, auth.key-passphrase explains the failure; this is the why.
    Some(if passphrase { f.note() } else { f })
}

fn certificate_rejected(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let auth_start = t
        .find(|k| matches!(k, K::ServiceAccept {} | K::AuthsCanContinue { .. }))
        .map(|n| n.line());
    let invalid = t
        .find(|k| matches!(k, K::CertificateInvalid { .. }))
        .filter(|n| auth_start.is_some_and(|a| n.line() > a));
    let refused = t
        .offers
        .iter()
        .find(|o| o.identity.is_certificate() && o.fate == Fate::Refused);
    if invalid.is_none() && refused.is_none() {
        return None;
    }
    let cert = refused
        .map(|o| home_tilde(&unvis(&o.identity.path)))
        .unwrap_or_else(|| format!("{}-cert.pub", ctx.key()));
    let cert_file = if cert.ends_with("-cert.pub") {
        cert.clone()
    } else {
        format!("{cert}.pub")
    };
    let reason = match invalid.map(|n| n.kind()) {
        Some(K::CertificateInvalid { reason }) => format!(" ({reason})"),
        _ => " (the client is not told why: expired, wrong principal or untrusted CA — the server's log says which)".to_string(),
    };
    let user = ctx.user.clone().unwrap_or_else(|| "USER".into());
    let mut f = Finding::new(&CERTIFICATE_REJECTED, format!("The server refused your certificate {cert}{reason}."), &[])
        .confidence(if invalid.is_some() { Confidence::High } else { Confidence::Medium })
        .steps([
            Step::run(format!("Check its validity and principals; `{user}` must be among the principals:"), format!("ssh-keygen -Lf {}", quote(&cert_file))),
            Step::say("Ask your CA to re-issue it (e.g. `ssh-keygen -s ca -I id -n USER -V +1d key.pub`) and make sure the server trusts that CA (TrustedUserCAKeys)."),
            Step::run("The server's log names the reason:", Ctx::server_log()),
        ]);
    f.cite(invalid);
    if let Some(o) = refused {
        f.cite(
            t.events()
                .iter()
                .filter(|n| n.line() == o.line || Some(n.line()) == o.fate_line),
        );
    }
    f.cite(denial(t));
    Some(f)
}

fn security_key(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| match k {
        K::SecurityKeyError { .. } => true,
        K::SigningFailed {
            key_type, reason, ..
        } => {
            key_type.as_deref().is_some_and(|k| k.contains("-SK"))
                || reason.contains("device not found")
        }
        _ => false,
    })?;
    if ctx.authenticated {
        return None;
    }
    let presence = t.find(|k| matches!(k, K::ConfirmUserPresence { .. }));
    let mut f = Finding::new(&SECURITY_KEY, "Signing with your FIDO security key failed: the token was not found, not touched, or needs a PIN.", &[n]).steps([
        Step::say("Plug the security key in (in WSL or a VM, pass the USB device through) and touch it when it blinks."),
        Step::run("Check that the token is visible (libfido2 tools):", "fido2-token -L"),
        Step::run("For a resident key, re-create the key handle from the token:", "ssh-keygen -K"),
    ]);
    f.cite(presence);
    f.cite(denial(t));
    Some(f)
}

fn failed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if ctx.authenticated {
        return None;
    }
    let deny = t.find_last(|k| matches!(k, K::PermissionDenied { .. }))?;
    let thin = ctx.verbosity == 0;
    let summary = if thin {
        format!(
            "The server refused authentication{}; it accepts: {}. This output has no -v lines, so it does not show which keys or passwords were tried — the evidence is thin.",
            ctx.user.as_deref().map(|u| format!(" for {u}")).unwrap_or_default(),
            methods_text(ctx)
        )
    } else {
        format!("The server refused authentication; it accepts: {}. The trace does not show which step failed.", methods_text(ctx))
    };
    let mut steps = vec![Step::run(
        "Run ssh again with -v and give the whole output to sshexplain:",
        format!("{} 2>&1 | sshexplain", ctx.rerun()),
    )];
    if ctx.allowed.iter().all(|m| m == "publickey") && !ctx.allowed.is_empty() {
        steps.push(Step::say("The server accepts only keys. The most common reason is that your public key is not in ~/.ssh/authorized_keys of that user on the server; -v will show whether a key was offered at all."));
    }
    Some(
        Finding::new(&FAILED, summary, &[deny])
            .confidence(if thin {
                Confidence::Low
            } else {
                Confidence::Medium
            })
            .steps(steps),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose;
    use crate::diagnose::Confidence;

    const LOCKOUT: &str = "debug1: Authenticating to 127.0.0.1:2202 as 'bob'
debug1: Authentications that can continue: publickey
debug1: Next authentication method: publickey
debug1: Offering public key: /home/user/.ssh/id_ed25519 ED25519 SHA256:Kwxj
debug1: Authentications that can continue: publickey
debug1: No more authentication methods to try.
bob@127.0.0.1: Permission denied (publickey).
";

    #[test]
    fn the_lockout() {
        let d = diagnose(LOCKOUT);
        assert_eq!(d.primary.cause.id, "auth.key-rejected");
        assert!(
            d.primary.summary.contains("no password login"),
            "{}",
            d.primary.summary
        );
        let cmds: Vec<_> = d
            .primary
            .steps
            .iter()
            .filter_map(|s| s.command.as_deref())
            .collect();
        assert!(
            cmds.iter()
                .any(|c| c.contains("ssh-copy-id -p 2202 -i ~/.ssh/id_ed25519.pub bob@127.0.0.1")),
            "{cmds:?}"
        );
        assert!(cmds.iter().any(|c| c.contains("journalctl -u ssh")));
        assert!(cmds.iter().any(|c| c.contains("namei -l")));
        assert!(d
            .secondary
            .iter()
            .any(|f| f.cause.id == "auth.method-unavailable"));
        assert_eq!(
            d.primary
                .evidence
                .iter()
                .map(|e| e.line)
                .collect::<Vec<_>>(),
            vec![4, 5, 7]
        );
    }

    #[test]
    fn no_verbose_output_is_thin_evidence() {
        let d = diagnose("pi@raspberrypi.local: Permission denied (publickey).\n");
        assert_eq!(d.primary.cause.id, "auth.failed");
        assert_eq!(d.primary.confidence, Confidence::Low);
        assert_eq!(
            d.primary.steps[0].command.as_deref(),
            Some("ssh -v pi@raspberrypi.local 2>&1 | sshexplain")
        );
    }

    #[test]
    fn password_and_too_many() {
        assert_eq!(diagnose("Permission denied, please try again.\nPermission denied, please try again.\nbob@h: Permission denied (publickey,password).\n").primary.cause.id, "auth.password-rejected");
        assert_eq!(diagnose("Received disconnect from 10.0.0.1 port 22:2: Too many authentication failures\nDisconnected from 10.0.0.1 port 22\n").primary.cause.id, "auth.too-many-failures");
    }

    #[test]
    fn unprotected_key_unix() {
        let d = diagnose("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\nPermissions 0644 for '/home/u/.ssh/id_ed25519' are too open.\nIt is required that your private key files are NOT accessible by others.\nThis private key will be ignored.\nLoad key \"/home/u/.ssh/id_ed25519\": bad permissions\nu@h: Permission denied (publickey).\n");
        assert_eq!(d.primary.cause.id, "auth.key-unprotected");
        assert_eq!(
            d.primary.steps[0].command.as_deref(),
            Some("chmod 600 /home/u/.ssh/id_ed25519")
        );
    }

    #[test]
    fn unprotected_key_windows_names_the_account() {
        let d = diagnose("OpenSSH_for_Windows_8.6p1, LibreSSL 3.4.3\nBad permissions. Try removing permissions for user: BUILTIN\\\\Users (S-1-5-32-545) on file C:/Users/me/.ssh/id_ed25519.\nme@h: Permission denied (publickey).\n");
        assert_eq!(d.primary.cause.id, "auth.key-unprotected");
        assert!(d.primary.steps.iter().any(|s| s.command.as_deref()
            == Some("icacls \"C:\\Users\\me\\.ssh\\id_ed25519\" /remove \"BUILTIN\\Users\"")));
    }
}
