//! Version line, configuration files and command-line value errors.

use super::primitives::{all, b, error_text, int, single_quoted, uint, upto};
use crate::event::EventKind;
use nom::bytes::complete::tag;
use nom::Parser;

/// `OpenSSH_9.2p1 Debian-2, OpenSSL 3.0.11 19 Sep 2023`
pub fn version(t: &str) -> Option<EventKind<'_>> {
    let first = t.split([' ', ',']).next().unwrap_or("");
    let has_number = first.bytes().any(|c| c.is_ascii_digit());
    if !has_number || first.contains("SSH-2.0") {
        return None;
    }
    Some(match t.split_once(", ") {
        Some((v, crypto)) => EventKind::ClientVersion {
            version: b(v),
            crypto: Some(b(crypto)),
        },
        None => EventKind::ClientVersion {
            version: b(t),
            crypto: None,
        },
    })
}

/// Messages that start with a fixed word.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    if let Ok((_, (_, path))) = (tag("Reading configuration data "), all).parse(msg) {
        return Some(EventKind::ReadingConfig { path: b(path) });
    }
    if msg.starts_with("usage: ssh")
        || msg.starts_with("usage: scp")
        || msg.starts_with("usage: sftp")
    {
        return Some(EventKind::Usage {});
    }
    if let Ok((_, (_, path, _, err))) = (
        tag("Can't open user config file "),
        upto(": "),
        tag(": "),
        all,
    )
        .parse(msg)
    {
        let (error, errno) = error_text(err);
        return Some(EventKind::ConfigOpenFailed {
            path: b(path),
            error,
            errno,
        });
    }
    if let Ok((_, (_, path, _, err))) = (
        tag("Warning: Identity file "),
        upto(" not accessible: "),
        tag(" not accessible: "),
        all,
    )
        .parse(msg)
    {
        return Some(EventKind::IdentityNotAccessible {
            path: b(path),
            error: error_text(err).0,
        });
    }
    if let Ok((_, (_, path, _, err))) =
        (tag("no such identity: "), upto(": "), tag(": "), all).parse(msg)
    {
        return Some(EventKind::NoSuchIdentity {
            path: b(path),
            error: error_text(err).0,
        });
    }
    if let Ok((_, (_, path))) = (tag("Bad owner or permissions on "), all).parse(msg) {
        return Some(EventKind::BadConfigPermissions {
            path: b(path.trim_end()),
        });
    }
    if let Some(rest) = msg.strip_prefix("Bad ") {
        return bad_argument(rest);
    }
    for prog in ["scp: ", "sftp: ", "rsync: ", ""] {
        if let Some(value) = msg
            .strip_prefix(prog)
            .and_then(|r| r.strip_prefix("bad port "))
        {
            return Some(EventKind::BadArgument {
                what: b("port"),
                value: b(value.trim_matches('"')),
            });
        }
    }
    if msg == "Missing argument." || msg.starts_with("Missing argument") {
        return Some(EventKind::BadArgument {
            what: b("argument"),
            value: b(""),
        });
    }
    by_shape(msg)
}

/// `Bad port '22o1'`, `Bad local forwarding specification '5432'`,
/// `Bad escape character 'x'.`, `Bad stdio forwarding specification 'x'`.
fn bad_argument(rest: &str) -> Option<EventKind<'_>> {
    const WHATS: [&str; 8] = [
        "port",
        "local forwarding specification",
        "remote forwarding specification",
        "dynamic forwarding specification",
        "forwarding specification",
        "escape character",
        "stdio forwarding specification",
        "tunnel forwarding specification",
    ];
    for what in WHATS {
        if let Some(after) = rest.strip_prefix(what) {
            let after = after.trim_start();
            let value = single_quoted(after).map(|(_, v)| v).unwrap_or("");
            if after.is_empty() || after.starts_with('\'') || after.starts_with('.') {
                return Some(EventKind::BadArgument {
                    what: b(what),
                    value: b(value),
                });
            }
        }
    }
    None
}

/// Finds `PATH line N: ` or `PATH: line N: ` at the start of a message.
fn location(msg: &str) -> Option<(&str, u32, &str)> {
    let mut from = 0;
    while let Some(pos) = super::primitives::find(&msg[from..], " line ") {
        let at = from + pos;
        let after = &msg[at + 6..];
        if let Ok((rest, n)) = (uint, tag(": ")).parse(after).map(|(r, (n, _))| (r, n)) {
            let path = msg[..at].strip_suffix(':').unwrap_or(&msg[..at]);
            if !path.is_empty() {
                return Some((path, n, rest));
            }
        }
        from = at + 6;
    }
    None
}

/// Config-file located messages and `PATH: terminating, N bad configuration options`.
pub fn by_shape(msg: &str) -> Option<EventKind<'_>> {
    if let Some((path, line_no, rest)) = location(msg) {
        return located(path, line_no, rest);
    }
    if let Some(i) = super::primitives::find(msg, ": terminating, ") {
        let (path, tail) = (&msg[..i], &msg[i + ": terminating, ".len()..]);
        let count = uint(tail).map(|(_, n)| n).unwrap_or(1);
        return Some(EventKind::ConfigTerminating {
            path: b(path),
            count,
        });
    }
    None
}

fn located<'a>(path: &'a str, line_no: u32, rest: &'a str) -> Option<EventKind<'a>> {
    if let Some(pattern) = rest.strip_prefix("Applying options for ") {
        return Some(EventKind::ApplyingOptions {
            path: b(path),
            line_no,
            pattern: b(pattern),
        });
    }
    if let Ok((_, (_, pattern, _))) = (
        tag("include "),
        upto(" matched no files"),
        tag(" matched no files"),
    )
        .parse(rest)
    {
        return Some(EventKind::IncludeNoMatch {
            path: b(path),
            pattern: b(pattern),
        });
    }
    if let Some(option) = rest.strip_prefix("Bad configuration option: ") {
        return Some(EventKind::BadOption {
            path: b(path),
            line_no,
            option: b(option.trim()),
            unsupported: false,
        });
    }
    if let Ok((_, (_, option))) = (tag("Unsupported option "), all).parse(rest) {
        return Some(EventKind::BadOption {
            path: b(path),
            line_no,
            option: b(option.trim_matches('"')),
            unsupported: true,
        });
    }
    if let Ok((_, (_, option))) = (tag("Deprecated option "), all).parse(rest) {
        return Some(EventKind::DeprecatedOption {
            path: b(path),
            line_no,
            option: b(option.trim_matches('"')),
        });
    }
    let lower = rest.to_ascii_lowercase();
    let is_error = [
        "bad ",
        "missing argument",
        "garbage",
        "extra arguments",
        "invalid",
        "unknown",
        "unsupported",
        "too many",
        "must be",
        "not supported",
        "no argument",
    ]
    .iter()
    .any(|w| lower.contains(w));
    is_error.then(|| EventKind::BadConfigValue {
        path: b(path),
        line_no,
        message: b(rest),
    })
}

/// `identity file PATH type N` (kept here with the other file facts).
pub fn identity_file(msg: &str) -> Option<EventKind<'_>> {
    let (_, (_, path, _, key_type)) = (tag("identity file "), upto(" type "), tag(" type "), int)
        .parse(msg)
        .ok()?;
    Some(EventKind::IdentityFile {
        path: b(path),
        key_type,
    })
}

#[cfg(test)]
mod tests {
    use crate::event::EventKind;
    use crate::grammar::parse_text;

    fn k(s: &str) -> EventKind<'_> {
        parse_text(s).1
    }

    #[test]
    fn version_lines() {
        assert_eq!(
            k("OpenSSH_9.2p1 Debian-2+deb12u6, OpenSSL 3.0.19 27 Jan 2026"),
            EventKind::ClientVersion {
                version: "OpenSSH_9.2p1 Debian-2+deb12u6".into(),
                crypto: Some("OpenSSL 3.0.19 27 Jan 2026".into())
            }
        );
        assert!(matches!(
            k("debug1: OpenSSH_10.0p2 Debian-7, OpenSSL 3.5.1 1 Jul 2025"),
            EventKind::ClientVersion { .. }
        ));
        assert!(matches!(
            k("OpenSSH_for_Windows_9.5p1, LibreSSL 3.8.2"),
            EventKind::ClientVersion { .. }
        ));
    }

    #[test]
    fn config_locations() {
        assert_eq!(
            k("/home/u/.ssh/config: line 2: Bad configuration option: identitiyfile"),
            EventKind::BadOption {
                path: "/home/u/.ssh/config".into(),
                line_no: 2,
                option: "identitiyfile".into(),
                unsupported: false
            }
        );
        assert!(matches!(
            k("command-line: line 0: Bad configuration option: stricthostkeycheking"),
            EventKind::BadOption { line_no: 0, .. }
        ));
        assert!(matches!(
            k("/home/u/.ssh/config: terminating, 1 bad configuration options"),
            EventKind::ConfigTerminating { count: 1, .. }
        ));
        assert!(matches!(
            k("debug1: /etc/ssh/ssh_config line 19: Applying options for *"),
            EventKind::ApplyingOptions { line_no: 19, .. }
        ));
        assert!(matches!(
            k("debug1: /etc/ssh/ssh_config line 21: include /etc/ssh/ssh_config.d/*.conf matched no files"),
            EventKind::IncludeNoMatch { .. }
        ));
        assert!(matches!(
            k("/home/u/.ssh/config line 5: Unsupported option \"rsaauthentication\""),
            EventKind::BadOption {
                unsupported: true,
                ..
            }
        ));
        assert!(matches!(
            k("/home/u/.ssh/config line 3: Deprecated option \"useroaming\""),
            EventKind::DeprecatedOption { .. }
        ));
    }

    #[test]
    fn command_line_values() {
        assert_eq!(
            k("Bad port '22o1'"),
            EventKind::BadArgument {
                what: "port".into(),
                value: "22o1".into()
            }
        );
        assert!(matches!(
            k("Bad local forwarding specification '5432'"),
            EventKind::BadArgument { .. }
        ));
        assert!(matches!(
            k("Bad escape character 'xx'."),
            EventKind::BadArgument { .. }
        ));
        assert!(matches!(
            k("Bad owner or permissions on /home/u/.ssh/config"),
            EventKind::BadConfigPermissions { .. }
        ));
        assert!(matches!(
            k("no such identity: /home/u/.ssh/deploy_key: No such file or directory"),
            EventKind::NoSuchIdentity { .. }
        ));
        assert!(matches!(
            k("Warning: Identity file /x/key not accessible: No such file or directory."),
            EventKind::IdentityNotAccessible { .. }
        ));
        assert!(matches!(
            k("debug1: identity file /home/u/.ssh/id_rsa type -1"),
            EventKind::IdentityFile { key_type: -1, .. }
        ));
        assert!(matches!(
            k("usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]"),
            EventKind::Usage {}
        ));
    }
}
