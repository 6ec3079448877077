//! The grammar: one line of OpenSSH client output in, one typed event out.
//!
//! A line is read in three layers, as `log.c` writes it:
//! `[debugN: ][LogVerbose tag: ][function: ]message`. The level and the
//! function name are peeled off first; then a cheap dispatcher looks at the
//! function name or the message's first word and tries only the few nom
//! parsers of the phase module that can match. What no parser claims becomes
//! [`EventKind::Other`] (it had a level or function prefix) or
//! [`EventKind::Text`].

mod auth;
mod banner;
mod channel;
mod command;
mod config;
mod connect;
mod forward;
mod hostkey;
mod kex;
mod mux;
pub mod primitives;
mod service;

use crate::event::{Event, EventKind, Level};
use crate::input::LineRef;
use primitives::b;

/// Parses one logical line.
pub fn parse_line(line: LineRef<'_>) -> Event<'_> {
    let (level, kind) = parse_text(line.text);
    Event {
        line: line.number,
        time_ms: line.time_ms,
        level,
        kind,
    }
}

/// Parses the text of one line into its level and meaning.
pub fn parse_text(text: &str) -> (Level, EventKind<'_>) {
    let (level, body) = split_level(text);
    let (func, msg) = split_function(body);
    if let Some(kind) = func.and_then(|f| by_function(f, msg)) {
        return (level, kind);
    }
    // Debug lines never need the catch-all shape matchers for pasted
    // prompts, command lines and services: that keeps -vvv logs fast.
    let plain = level == Level::Plain;
    let shapes = level <= Level::Debug1;
    if let Some(kind) = by_message(msg, plain, shapes) {
        return (level, kind);
    }
    if func.is_some() {
        if let Some(kind) = by_message(body, plain, shapes) {
            return (level, kind);
        }
    }
    if level != Level::Plain || func.is_some() {
        return (
            level,
            EventKind::Other {
                function: func.map(b),
                text: b(msg),
            },
        );
    }
    (level, EventKind::Text { text: b(text) })
}

/// Splits off `debug1: ` / `debug2: ` / `debug3: `.
fn split_level(text: &str) -> (Level, &str) {
    let t = text.trim_end();
    // scp and sftp (8.8+) prefix their own log lines with the program name.
    let t = match t.strip_prefix("scp: ").or_else(|| t.strip_prefix("sftp: ")) {
        Some(rest) if rest.starts_with("debug") => rest,
        _ => t,
    };
    if let Some(rest) = t.strip_prefix("debug") {
        let level = match rest.as_bytes().first() {
            Some(b'1') => Level::Debug1,
            Some(b'2') => Level::Debug2,
            Some(b'3') => Level::Debug3,
            _ => return (Level::Plain, t),
        };
        if let Some(body) = rest[1..].strip_prefix(": ") {
            return (level, body);
        }
        if rest[1..] == *":" {
            return (level, "");
        }
    }
    (Level::Plain, t)
}

/// Splits off a C function name prefix (`kex_exchange_identification: `)
/// or a LogVerbose tag (`sshconnect2.c:userauth_pubkey():2051 (pid=1): `).
fn split_function(body: &str) -> (Option<&str>, &str) {
    let bytes = body.as_bytes();
    let colon = memchr::memchr_iter(b':', bytes).find(|&i| bytes.get(i + 1) == Some(&b' '));
    let Some(colon) = colon else {
        return (None, body);
    };
    let head = &body[..colon];
    let rest = &body[colon + 2..];
    if let Some(func) = log_verbose_tag(head) {
        return (Some(func), rest);
    }
    let is_ident = !head.is_empty()
        && head.len() <= 48
        && head.contains('_')
        && head
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        && head.as_bytes()[0].is_ascii_lowercase();
    if is_ident || matches!(head, "muxclient" | "sshkey_load_public") {
        (Some(head), rest)
    } else {
        (None, body)
    }
}

/// `file.c:func():123 (bin=ssh, pid=99)` → `func`.
fn log_verbose_tag(head: &str) -> Option<&str> {
    let (file, rest) = head.split_once(".c:")?;
    if file.contains(' ') {
        return None;
    }
    let (func, _) = rest.split_once("():")?;
    Some(func)
}

/// Dispatch on the function name.
fn by_function<'a>(func: &'a str, msg: &'a str) -> Option<EventKind<'a>> {
    if msg.starts_with("Connection to ") && msg.contains(": ") {
        if let Some(kind) = connect::packet_fatal(func, msg) {
            return Some(kind);
        }
    }
    match func {
        "ssh_packet_read_poll2" | "ssh_packet_send2_wrapped" | "ssh_packet_send2" => {
            let direction = if msg.contains("send") { "send" } else { "read" };
            msg.starts_with("resetting").then(|| EventKind::SeqnrReset {
                direction: b(direction),
            })
        }
        "client_input_global_request" => {
            let request = msg
                .strip_prefix("rtype ")
                .map(|r| r.split(' ').next().unwrap_or(r))
                .unwrap_or(msg);
            Some(EventKind::GlobalRequest {
                request: b(request),
            })
        }
        "client_input_hostkeys" | "update_known_hosts" | "client_global_hostkeys_prove_confirm" => {
            Some(EventKind::HostkeysUpdate { text: b(msg) })
        }
        "hostkeys_find_by_key_cb" | "hostkeys_find_by_key_hostfile" | "hostkeys_foreach" => {
            Some(EventKind::HostKeyLookup { text: b(msg) })
        }
        "kex_ext_info_check_ver" => kex::ext_info(msg),
        "key_load_public" | "sshkey_load_public" => {
            Some(EventKind::NoPubkeyLoaded { path: b(msg) })
        }
        "kex_exchange_identification" | "ssh_exchange_identification" => {
            banner::identification(func == "ssh_exchange_identification", msg)
        }
        "compat_banner" => banner::compat(msg),
        "load_hostkeys" | "load_hostkeys_file" => hostkey::load_hostkeys(msg),
        "get_agent_identities" | "pubkey_prepare" | "ssh_get_authentication_socket" => {
            if msg.starts_with("bound agent") {
                return Some(EventKind::AgentBound {});
            }
            auth::agent(msg)
        }
        "send_pubkey_test" | "sign_and_send_pubkey" | "identity_sign" => auth::signing(msg)
            .or_else(|| {
                (msg.starts_with("sshkey_sign: ") || msg.contains("device not found"))
                    .then(|| EventKind::SecurityKeyError { text: b(msg) })
            }),
        "client_converse" | "start_helper" => (msg.contains("failed") || msg.contains("not found"))
            .then(|| EventKind::SecurityKeyError { text: b(msg) }),
        "read_passphrase" => auth::read_passphrase(msg),
        "ssh_askpass" => Some(EventKind::AskpassFailed { error: b(msg) }),
        "kex_input_ext_info" | "kex_ext_info_client_parse" => kex::ext_info(msg),
        "client_input_channel_req" => channel::channel_request(msg),
        "channel_setup_fwd_listener_tcpip" | "channel_setup_fwd_listener" => forward::listener(msg),
        "client_loop" => channel::client_loop(msg),
        "resolve_canonicalize" => Some(EventKind::Canonicalize { host: b(msg) }),
        "ssh_connect_direct" | "ssh_create_socket" | "connect_next" | "ssh_connect" => {
            connect::detail(msg)
        }
        "muxclient"
        | "mux_client_request_session"
        | "mux_client_hello_exchange"
        | "mux_client_request_stdio_fwd"
        | "mux_client_request_alive"
        | "mux_client_forward"
        | "mux_client_read_packet"
        | "mux_client_write_packet"
        | "mux_client_request_forwards"
        | "mux_client_request_check_alive" => mux::client(msg),
        "unix_listener" | "unix_listener_tmp" | "get_sock_port" => mux::unix_socket(msg),
        "ssh_sk_sign" | "sshsk_sign" | "sk_sign" | "sshsk_open" | "sk_probe" | "ssh_sk_enroll"
        | "sshsk_enroll" => Some(EventKind::SecurityKeyError { text: b(msg) }),
        "userauth_pubkey" | "input_userauth_info_req" => auth::userauth_detail(msg),
        "ssh_init_stdio_forwarding" | "ssh_stdio_confirm" => channel::stdio(msg),
        _ => None,
    }
}

/// Dispatch on the message's first word.
fn by_message(msg: &str, plain: bool, shapes: bool) -> Option<EventKind<'_>> {
    let first = msg.split([' ', ':']).next().unwrap_or("");
    match first {
        "Agent" if msg.starts_with("Agent admitted failure") => Some(EventKind::SigningFailed {
            key_type: None,
            key: None,
            from_agent: true,
            reason: b("agent refused operation (agent admitted failure to sign)"),
        }),
        "Reading" | "Applying" | "usage" | "Can't" | "Deprecated" => config::parse(msg),
        "identity" => config::identity_file(msg),
        "Connecting" | "connect" => connect::parse(msg),
        "key" => {
            let rest = msg.strip_prefix("key: ")?;
            let (path, tail) = rest.rsplit_once(" (")?;
            Some(EventKind::KeyCandidate {
                path: b(path),
                loaded: !tail.starts_with("(nil)"),
            })
        }
        "fd" | "getpeername" => Some(EventKind::ConnectDetail { text: b(msg) }),
        "pledge" => Some(EventKind::Pledge {
            stage: b(msg.trim_start_matches("pledge: ")),
        }),
        "checking" | "hostkeys_foreach" => Some(EventKind::HostKeyLookup { text: b(msg) }),
        "Learned" | "Deprecating" => Some(EventKind::HostkeysUpdate { text: b(msg) }),
        "Connection" => connect::connection(msg)
            .or_else(|| banner::connection(msg))
            .or_else(|| channel::connection(msg))
            .or_else(|| forward::connection(msg)),
        "Local" => banner::local(msg).or_else(|| forward::parse(msg)),
        "Remote" => banner::remote(msg)
            .or_else(|| forward::parse(msg))
            .or_else(|| auth::remote(msg))
            .or_else(|| channel::parse(msg)),
        "Authenticating" => auth::parse(msg),
        "kex"
        | "KEX"
        | "expecting"
        | "Unable"
        | "ciphers"
        | "MACs"
        | "compression"
        | "languages"
        | "first_kex_follows"
        | "reserved"
        | "local"
        | "peer"
        | "rekey"
        | "Corrupted"
        | "Disconnecting"
        | "**"
        | "SSH2_MSG_KEXINIT"
        | "SSH2_MSG_NEWKEYS"
        | "SSH2_MSG_KEX_ECDH_REPLY"
        | "SSH2_MSG_KEXDH_REPLY" => kex::parse(msg),
        "SSH2_MSG_SERVICE_ACCEPT" | "SSH2_MSG_EXT_INFO" => auth::parse(msg),
        "host" => kex::parse(msg),
        "Server" => kex::server(msg).or_else(|| auth::parse(msg)),
        "Host"
        | "Found"
        | "IT"
        | "Someone"
        | "It"
        | "Please"
        | "The"
        | "Add"
        | "Offending"
        | "Matching"
        | "remove"
        | "Are"
        | "Failed"
        | "Certificate"
        | "Password"
        | "Agent"
        | "Keyboard-interactive"
        | "Port"
        | "X11"
        | "To"
        | "Update"
        | "UpdateHostkeys"
        | "These" => hostkey::parse(msg)
            .or_else(|| auth::parse(msg))
            .or_else(|| channel::parse(msg))
            .or_else(|| auth::by_shape(msg))
            .or_else(|| service::parse(msg)),
        "No" => hostkey::parse(msg)
            .or_else(|| auth::parse(msg))
            .or_else(|| channel::parse(msg)),
        "Warning" => hostkey::parse(msg)
            .or_else(|| config::parse(msg))
            .or_else(|| forward::parse(msg))
            .or_else(|| channel::parse(msg)),
        "Authentications"
        | "Next"
        | "Offering"
        | "Trying"
        | "Skipping"
        | "Will"
        | "Permission"
        | "Permissions"
        | "Authenticated"
        | "Authentication"
        | "loaded"
        | "Load"
        | "Enter"
        | "bad"
        | "Received"
        | "Disconnected"
        | "Confirm"
        | "Unspecified"
        | "Could"
        | "This"
        | "sign_and_send_pubkey"
        | "Bad" => auth::parse(msg)
            .or_else(|| config::parse(msg))
            .or_else(|| kex::parse(msg))
            .or_else(|| banner::parse(msg))
            .or_else(|| forward::parse(msg))
            .or_else(|| channel::parse(msg))
            .or_else(|| hostkey::parse(msg)),
        "no" => banner::parse(msg)
            .or_else(|| config::parse(msg))
            .or_else(|| kex::parse(msg))
            .or_else(|| auth::parse(msg)),
        "channel" | "Entering" | "Sending" | "Requesting" | "Exit" | "Transferred" | "Bytes"
        | "Shared" | "PTY" | "Pseudo-terminal" | "stdio" | "Session" | "Timeout," | "Timeout"
        | "Read" | "Write" | "Killed" | "session" => channel::parse(msg),
        "bind" | "Error" => forward::parse(msg),
        "Control"
        | "ControlSocket"
        | "getsockname"
        | "Master"
        | "auto-mux"
        | "mux_client_request_session" => mux::parse(msg),
        "Executing" | "Setting" | "Started" | "Running" | "posix_spawnp" | "posix_spawn"
        | "CreateProcessW" => config::parse(msg).or_else(|| command::parse(msg)),
        "Packet" => Some(EventKind::TransportError { text: b(msg) }),
        "Hi" | "Welcome" | "ERROR" | "FATAL" | "fatal" | "error" | "GitLab" | "R" | "W" => {
            service::parse(msg)
        }
        "remote" => forward::parse(msg).or_else(|| service::parse(msg)),
        "ssh" => connect::by_shape(msg).or_else(|| command::parse(msg)),
        "scp" | "sftp" | "rsync" => config::parse(msg).or_else(|| connect::by_shape(msg)),
        "banner" | "match" | "Protocol" => banner::parse(msg),
        f if f.starts_with("SSH2_MSG_") => kex::parse(msg),
        _ if shapes => by_shape(msg, plain),
        _ => None,
    }
}

/// Lines whose first word varies: versions, `user@host:` prefixes, config
/// file paths, fingerprints, warning frames, command lines.
fn by_shape(msg: &str, plain: bool) -> Option<EventKind<'_>> {
    let t = msg.trim_start();
    if t.len() != msg.len() && !t.is_empty() {
        return by_message(t, plain, true);
    }
    if t.starts_with("OpenSSH") || t.starts_with("Sun_SSH") {
        return config::version(t);
    }
    if t.starts_with('@') {
        return hostkey::parse(t);
    }
    if t.starts_with("SHA256:") || t.starts_with("MD5:") {
        return hostkey::parse(t);
    }
    if t.starts_with("ssh-keygen ") {
        return hostkey::parse(t);
    }
    if let Some(i) = primitives::find(t, " failed") {
        let start = t[..i].rfind(' ').map_or(0, |s| s + 1);
        if matches!(&t[start..i], "getpeereid" | "getsockname") {
            return mux::parse(&t[start..]);
        }
    }
    if !plain {
        return config::by_shape(msg);
    }
    auth::by_shape(msg)
        .or_else(|| hostkey::by_shape(t))
        .or_else(|| config::by_shape(msg))
        .or_else(|| connect::by_shape(msg))
        .or_else(|| command::parse(msg))
        .or_else(|| service::parse(msg))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> EventKind<'_> {
        parse_text(text).1
    }

    #[test]
    fn levels_and_prefixes() {
        assert_eq!(split_level("debug1: x"), (Level::Debug1, "x"));
        assert_eq!(split_level("debug3: x"), (Level::Debug3, "x"));
        assert_eq!(split_level("debugger: x"), (Level::Plain, "debugger: x"));
        assert_eq!(split_level("scp: debug3: x"), (Level::Debug3, "x"));
        assert_eq!(
            split_function("load_hostkeys: fopen x"),
            (Some("load_hostkeys"), "fopen x")
        );
        assert_eq!(split_function("Warning: x"), (None, "Warning: x"));
        assert_eq!(
            split_function("sshconnect2.c:userauth_pubkey():2051 (bin=ssh, pid=9): x"),
            (Some("userauth_pubkey"), "x")
        );
    }

    #[test]
    fn fallbacks() {
        assert!(matches!(
            kind("debug3: send packet: type 5"),
            EventKind::Other { .. }
        ));
        assert!(matches!(
            kind("debug1: some_function: unknown words"),
            EventKind::Other {
                function: Some(_),
                ..
            }
        ));
        assert!(matches!(kind("hello world"), EventKind::Text { .. }));
        assert!(matches!(kind(""), EventKind::Text { .. }));
        assert!(matches!(kind("debug1:"), EventKind::Other { .. }));
    }
}
