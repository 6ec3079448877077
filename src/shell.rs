//! Values from the input inside suggested commands.
//!
//! Part of every log is written by the server (algorithm offers, banners,
//! host-key lines) or by whoever posted it, and people paste the commands
//! sshexplain prints straight into a shell. So every input value that goes
//! into a command passes through here: it is first checked for the shape of
//! what it claims to be ([`host`], [`user`], [`algorithm`], [`path`]; a value
//! that fails is shown in prose and the command gets a placeholder), then
//! quoted for the shell that runs the command ([`sh`] for POSIX shells,
//! [`ps`] for PowerShell, [`conf`] for an ssh_config line). Commands are
//! always rebuilt from parsed values, never copied from the input.

/// Quotes a word for a POSIX shell (sh, bash, zsh). Plain words stay as they
/// are (`bob@10.0.0.5`, `~/.ssh/id_ed25519`), anything else goes in single
/// quotes (`'it'\''s'`); a leading `~/` stays outside the quotes so the shell
/// still expands it (`~/'my keys/id rsa'`).
pub fn sh(s: &str) -> String {
    if let Some(rest) = s.strip_prefix("~/") {
        return if rest.is_empty() {
            "~/".to_string()
        } else {
            format!("~/{}", sh_word(rest))
        };
    }
    if s == "~" {
        return s.to_string();
    }
    sh_word(s)
}

fn sh_word(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with('=')
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-_./@%+=,:".contains(&c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Quotes a word for PowerShell: plain words stay, anything else goes in
/// single quotes with every single-quote character doubled (PowerShell also
/// takes `‘ ’ ‚ ‛` as single quotes). Nothing is expanded inside them.
pub fn ps(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-_./\\:".contains(&c))
        && !s.starts_with('-');
    if plain {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A value for an ssh_config line (`IdentityFile ~/my keys/k`): plain when
/// a shell would read it as one plain word too, else in double quotes;
/// `None` when it holds a character ssh_config cannot quote or a shell would
/// expand inside double quotes (`"`, `\`, `$`, a backtick, `!`), since such
/// snippets get pasted into a shell by mistake.
pub fn conf(s: &str) -> Option<String> {
    if s.is_empty() || s.contains(['"', '\\', '$', '`', '!']) || !is_printable(s) {
        return None;
    }
    let plain = s
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"-_./@%+=,:~".contains(&c));
    Some(if plain {
        s.to_string()
    } else {
        format!("\"{s}\"")
    })
}

/// `s` if it has the shape of a host name, alias or address (letters of
/// any script, digits, `. _ - : %`, not starting with `-`); brackets around
/// an IPv6 address are removed. None of these is special to a shell.
pub fn host(s: &str) -> Option<&str> {
    let s = s.trim();
    let s = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(s);
    let ok = (1..=253).contains(&s.len())
        && !s.starts_with(['-', '.'])
        && s.chars()
            .all(|c| c.is_alphanumeric() || "._-:%".contains(c));
    ok.then_some(s)
}

/// `s` if it has the shape of a user name (letters, digits, `. _ - @ \`,
/// not starting with `-`). It may still need [`sh`] (`DOMAIN\bob`).
pub fn user(s: &str) -> Option<&str> {
    let ok = (1..=64).contains(&s.chars().count())
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '\\'));
    ok.then_some(s)
}

/// `s` if it has the shape of an OpenSSH algorithm name
/// (`[A-Za-z0-9@._+-]`, not starting with `-`).
pub fn algorithm(s: &str) -> Option<&str> {
    let ok = (1..=128).contains(&s.len())
        && !s.starts_with('-')
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"@._+-".contains(&c));
    ok.then_some(s)
}

/// `s` if it can stand for a file path in a command: not empty, no control
/// or invisible characters, not starting with `-` (it would read as an
/// option). It still needs [`sh`] or [`ps`].
pub fn path(s: &str) -> Option<&str> {
    let ok = (1..=4096).contains(&s.len()) && !s.starts_with('-') && is_printable(s);
    ok.then_some(s)
}

/// No control characters and nothing that hides or reorders text.
pub fn is_printable(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() || crate::report::is_invisible(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posix_quoting() {
        assert_eq!(sh("bob@10.0.0.5"), "bob@10.0.0.5");
        assert_eq!(sh("~/.ssh/id_ed25519"), "~/.ssh/id_ed25519");
        assert_eq!(sh("~/my keys/id rsa"), "~/'my keys/id rsa'");
        assert_eq!(sh("~root/x"), "'~root/x'");
        assert_eq!(sh("[h]:22"), "'[h]:22'");
        assert_eq!(sh("it's"), "'it'\\''s'");
        assert_eq!(sh("$(id)"), "'$(id)'");
        assert_eq!(sh("=ls"), "'=ls'");
        assert_eq!(sh(""), "''");
    }

    #[test]
    fn powershell_quoting() {
        assert_eq!(
            ps("C:\\Users\\bob\\.ssh\\id_rsa"),
            "C:\\Users\\bob\\.ssh\\id_rsa"
        );
        assert_eq!(ps("C:\\a b\\config$(calc)"), "'C:\\a b\\config$(calc)'");
        assert_eq!(ps("it's"), "'it''s'");
        assert_eq!(ps("x\u{2019};calc"), "'x\u{2019}\u{2019};calc'");
        assert_eq!(ps("-x"), "'-x'");
    }

    #[test]
    fn config_values() {
        assert_eq!(conf("~/.ssh/k").as_deref(), Some("~/.ssh/k"));
        assert_eq!(conf("~/my keys/k").as_deref(), Some("\"~/my keys/k\""));
        assert_eq!(conf("~/k$(id)"), None);
        assert_eq!(conf("a\nb"), None);
        assert_eq!(conf("~/k>x").as_deref(), Some("\"~/k>x\""));
    }

    #[test]
    fn shapes() {
        assert_eq!(host("[::1]"), Some("::1"));
        assert_eq!(host("fe80::1%eth0"), Some("fe80::1%eth0"));
        assert_eq!(host("my_host.example"), Some("my_host.example"));
        assert_eq!(host("阿里云"), Some("阿里云"));
        assert_eq!(host("foo;id"), None);
        assert_eq!(host("h -oProxyCommand=x"), None);
        assert_eq!(host("-oProxyCommand=x"), None);
        assert_eq!(user("bob"), Some("bob"));
        assert_eq!(user("ACME\\jdoe"), Some("ACME\\jdoe"));
        assert_eq!(user("bob;id"), None);
        assert_eq!(user("-l"), None);
        assert_eq!(
            algorithm("curve25519-sha256@libssh.org"),
            Some("curve25519-sha256@libssh.org")
        );
        assert_eq!(algorithm("x$(touch${IFS}/tmp/p)"), None);
        assert_eq!(path("/home/u/.ssh/id rsa"), Some("/home/u/.ssh/id rsa"));
        assert_eq!(path("/tmp/a\nb"), None);
        assert_eq!(path("/tmp/a\u{202e}b"), None);
        assert_eq!(path("-oX"), None);
    }

    proptest::proptest! {
        /// Whatever the value, the shell reads back exactly one word, equal to it.
        #[test]
        fn sh_round_trips(s in "\\PC{0,24}") {
            proptest::prop_assert_eq!(crate::trace::shell_words(&sh(&s)), vec![s.clone()]);
        }
    }
}
