//! The grammar: one line of OpenSSH client output in, one typed event out.
//!
//! A line is read in three layers, as `log.c` writes it:
//! `[debugN: ][LogVerbose tag: ][function: ]message`. The level and the
//! function name are peeled off first; then a cheap dispatcher looks at the
//! function name or the message's first word and tries only the few nom
//! parsers of the phase module that can match. What no parser claims becomes
//! [`EventKind::Other`] (it had a level or function prefix) or
//! [`EventKind::Text`].

mod anchor;
mod auth;
mod banner;
mod channel;
mod command;
pub use command::PROMPT_ENDS;
pub use foreign::RETYPED as RETYPED_PHRASES;
mod config;
mod connect;
pub(crate) mod foreign;
mod forward;
mod hostkey;
mod kex;
mod mux;
pub mod primitives;
pub mod server;
mod service;

use crate::event::{Event, EventKind, Level};
use crate::input::LineRef;
use primitives::b;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// Parses one logical line. A message found behind a prefix nobody
/// listed takes its time of day from a clock in that prefix.
pub fn parse_line(line: LineRef<'_>) -> Event<'_> {
    let (level, kind, start, time) = parse_found(line.text);
    let time_ms = line
        .time_ms
        .or(time)
        .or_else(|| crate::input::unwrap::clock_in(&line.text[..start]));
    Event {
        line: line.number,
        time_ms,
        level,
        kind,
    }
}

/// Parses one line of an input that may hold either side: a line the
/// server wrote (as `sider` decides, see [`crate::sides`]) into its
/// `Sshd*` event, any other as the client's.
pub fn parse_either<'a>(line: LineRef<'a>, sider: &mut crate::sides::Sider) -> Event<'a> {
    match sider.server_line(line) {
        Some(at) => parse_server_line(line, at),
        None => parse_line(line),
    }
}

/// Parses one line the server wrote (see [`crate::sides`]) into its
/// `Sshd*` event.
pub fn parse_server_line<'a>(line: LineRef<'a>, at: crate::sides::ServerLine<'a>) -> Event<'a> {
    let text = line.text.get(at.start..).unwrap_or(line.text);
    let (level, kind) = server::parse(text, at.program);
    Event {
        line: line.number,
        time_ms: line.time_ms.or_else(|| {
            crate::input::unwrap::clock_in(&line.text[..at.start.min(line.text.len())])
        }),
        level,
        kind,
    }
}

/// Parses the text of one line into its level and meaning. A line that
/// does not parse from its start is tried again from each place a message
/// may start inside it (see [`anchor`]): indentation, unknown timestamps,
/// tags, quotes and prose before a message do not hide it.
pub fn parse_text(text: &str) -> (Level, EventKind<'_>) {
    let (level, kind, ..) = parse_found(text);
    (level, kind)
}

/// [`parse_text`], where in the line the message's prefix ends, and the
/// time of day a known wrapper after that gave.
fn parse_found(text: &str) -> (Level, EventKind<'_>, usize, Option<u64>) {
    let (level, kind) = parse_start(text);
    if level == Level::Plain
        && matches!(kind, EventKind::Text { .. } | EventKind::GitMessage { .. })
    {
        if let Some(k) = command::unreachable(text) {
            return (level, k, 0, None);
        }
    }
    // A wrapper's own error line (`ERROR: `, `fatal: ` with no message git
    // itself writes): ssh's own message (or another client's) behind the
    // prefix (`error: Load key "k": error in libcrypto`), or an OpenSSH
    // failure repeated in the wrapper's own words.
    if matches!(kind, EventKind::GitMessage { .. }) {
        if let Some(i) = primitives::find(text, ": ") {
            let (l, k) = parse_start(&text[i + 2..]);
            if !matches!(
                k,
                EventKind::Text { .. } | EventKind::Other { .. } | EventKind::GitMessage { .. }
            ) {
                return (l, k, i + 2, None);
            }
        }
        // Another client's message further in (`error: NewFs: couldn't
        // connect SSH: ssh: handshake failed: ...`).
        for s in anchor::starts(text) {
            if let (l, k @ EventKind::ForeignFailure { .. }) = parse_start(&text[s..]) {
                return (l, k, s, None);
            }
        }
        if let Some(k) = foreign::retyped(text) {
            return (level, k, 0, None);
        }
    }
    if !matches!(kind, EventKind::Text { .. }) || text.len() < 8 {
        return (level, kind, 0, None);
    }
    // Another client's words without its signature, once per line (its
    // words anywhere: no anchor start is needed).
    if level == Level::Plain {
        if let Some(k) = foreign::unsigned(text) {
            return (level, k, 0, None);
        }
    }
    let mut tried = usize::MAX;
    for s in anchor::starts(text) {
        // A known wrapper may follow an unknown one (`web-1 | [12:00:01.5] ...`).
        let (time, rest) = crate::input::unwrap::strip_prefixes(&text[s..]);
        let s = text.len() - rest.len();
        // Two starts that strip to the same place read the same message.
        if s == tried {
            continue;
        }
        tried = s;
        let mut msg = rest;
        // `"Permission denied (publickey)."` or in backticks: drop the
        // closing quote that matches the opening one.
        if let Some(q) = text[..s]
            .chars()
            .last()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        {
            msg = msg.trim_end().strip_suffix(q).unwrap_or(msg);
        }
        let (l, k) = parse_start(msg);
        let typed = match k {
            EventKind::Text { .. } => false,
            EventKind::Other { .. } => l != Level::Plain,
            _ => true,
        };
        if typed {
            // A wrapper's error line found behind another prefix is read
            // as one (another client's message may be further in).
            if matches!(k, EventKind::GitMessage { .. }) {
                let (l, k, off, _) = parse_found(msg);
                return (l, k, s + off, time);
            }
            return (l, k, s, time);
        }
    }
    // The last resort: an OpenSSH failure message retyped by hand.
    if level == Level::Plain {
        if let Some(k) = foreign::retyped(text) {
            return (level, k, 0, None);
        }
    }
    (level, kind, 0, None)
}

/// The route tables' function names (for the anchors).
fn function_names() -> impl Iterator<Item = &'static str> {
    BY_FUNCTION
        .iter()
        .flat_map(|(_, names)| names.iter().copied())
}

/// The route tables' first words (for the anchors).
fn first_words() -> impl Iterator<Item = &'static str> {
    BY_WORD.iter().flat_map(|(_, words)| words.iter().copied())
}

/// [`parse_text`] without the anchors: the line read from its start.
fn parse_start(text: &str) -> (Level, EventKind<'_>) {
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
    if let Some(kind) = foreign::parse(text) {
        return (level, kind);
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
    // Most heads are function names without a dot: memchr rules them out.
    let bytes = head.as_bytes();
    let dot = memchr::memchr_iter(b'.', bytes).find(|&i| bytes[i + 1..].starts_with(b"c:"))?;
    let (file, rest) = (&head[..dot], &head[dot + 3..]);
    if file.contains(' ') {
        return None;
    }
    let (func, _) = rest.split_once("():")?;
    Some(func)
}

/// Which parsers a line goes to, from its function name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Func {
    SeqnrReset,
    GlobalRequest,
    HostkeysUpdateFn,
    HostKeyLookupFn,
    ExtInfo,
    NoPubkeyLoaded,
    Identification,
    Compat,
    LoadHostkeys,
    Agent,
    Signing,
    SecurityKeyHelper,
    ReadPassphrase,
    Askpass,
    ChannelRequest,
    FwdListener,
    ClientLoop,
    Canonicalize,
    ConnectFn,
    MuxClient,
    UnixSocket,
    SecurityKey,
    UserauthDetail,
    Stdio,
}

/// Which parsers a message goes to, from its first word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Word {
    Agent,
    Config,
    IdentityFile,
    Connect,
    KeyCandidate,
    ConnectDetail,
    Pledge,
    HostKeyLookup,
    HostkeysUpdate,
    Connection,
    Local,
    Remote,
    Auth,
    Kex,
    Server,
    HostKeyFamily,
    NoCap,
    Warning,
    AuthFamily,
    NoLower,
    Channel,
    Forward,
    Mux,
    Command,
    Packet,
    Service,
    RemoteLower,
    Ssh,
    Transfer,
    Banner,
}

/// Function names and the route each takes.
const BY_FUNCTION: &[(Func, &[&str])] = &[
    (
        Func::SeqnrReset,
        &[
            "ssh_packet_read_poll2",
            "ssh_packet_send2_wrapped",
            "ssh_packet_send2",
        ],
    ),
    (Func::GlobalRequest, &["client_input_global_request"]),
    (
        Func::HostkeysUpdateFn,
        &[
            "client_input_hostkeys",
            "update_known_hosts",
            "client_global_hostkeys_prove_confirm",
        ],
    ),
    (
        Func::HostKeyLookupFn,
        &[
            "hostkeys_find_by_key_cb",
            "hostkeys_find_by_key_hostfile",
            "hostkeys_foreach",
        ],
    ),
    (
        Func::ExtInfo,
        &[
            "kex_ext_info_check_ver",
            "kex_input_ext_info",
            "kex_ext_info_client_parse",
        ],
    ),
    (
        Func::NoPubkeyLoaded,
        &["key_load_public", "sshkey_load_public"],
    ),
    (
        Func::Identification,
        &["kex_exchange_identification", "ssh_exchange_identification"],
    ),
    (Func::Compat, &["compat_banner"]),
    (Func::LoadHostkeys, &["load_hostkeys", "load_hostkeys_file"]),
    (
        Func::Agent,
        &[
            "get_agent_identities",
            "pubkey_prepare",
            "ssh_get_authentication_socket",
        ],
    ),
    (
        Func::Signing,
        &["send_pubkey_test", "sign_and_send_pubkey", "identity_sign"],
    ),
    (
        Func::SecurityKeyHelper,
        &["client_converse", "start_helper"],
    ),
    (Func::ReadPassphrase, &["read_passphrase"]),
    (Func::Askpass, &["ssh_askpass"]),
    (Func::ChannelRequest, &["client_input_channel_req"]),
    (
        Func::FwdListener,
        &[
            "channel_setup_fwd_listener_tcpip",
            "channel_setup_fwd_listener",
        ],
    ),
    (Func::ClientLoop, &["client_loop"]),
    (Func::Canonicalize, &["resolve_canonicalize"]),
    (
        Func::ConnectFn,
        &[
            "ssh_connect_direct",
            "ssh_create_socket",
            "connect_next",
            "ssh_connect",
        ],
    ),
    (
        Func::MuxClient,
        &[
            "muxclient",
            "mux_client_request_session",
            "mux_client_hello_exchange",
            "mux_client_request_stdio_fwd",
            "mux_client_request_alive",
            "mux_client_forward",
            "mux_client_read_packet",
            "mux_client_write_packet",
            "mux_client_request_forwards",
            "mux_client_request_check_alive",
        ],
    ),
    (
        Func::UnixSocket,
        &["unix_listener", "unix_listener_tmp", "get_sock_port"],
    ),
    (
        Func::SecurityKey,
        &[
            "ssh_sk_sign",
            "sshsk_sign",
            "sk_sign",
            "sshsk_open",
            "sk_probe",
            "ssh_sk_enroll",
            "sshsk_enroll",
        ],
    ),
    (
        Func::UserauthDetail,
        &["userauth_pubkey", "input_userauth_info_req"],
    ),
    (
        Func::Stdio,
        &["ssh_init_stdio_forwarding", "ssh_stdio_confirm"],
    ),
];

/// First words of messages and the route each takes.
const BY_WORD: &[(Word, &[&str])] = &[
    (Word::Agent, &["Agent"]),
    (
        Word::Config,
        &["Reading", "Applying", "usage", "Can't", "Deprecated"],
    ),
    (Word::IdentityFile, &["identity"]),
    (Word::Connect, &["Connecting", "connect"]),
    (Word::KeyCandidate, &["key"]),
    (Word::ConnectDetail, &["fd", "getpeername"]),
    (Word::Pledge, &["pledge"]),
    (Word::HostKeyLookup, &["checking", "hostkeys_foreach"]),
    (Word::HostkeysUpdate, &["Learned", "Deprecating"]),
    (Word::Connection, &["Connection"]),
    (Word::Local, &["Local"]),
    (Word::Remote, &["Remote"]),
    (
        Word::Auth,
        &[
            "Authenticating",
            "SSH2_MSG_SERVICE_ACCEPT",
            "SSH2_MSG_EXT_INFO",
        ],
    ),
    (
        Word::Kex,
        &[
            "kex",
            "KEX",
            "expecting",
            "Unable",
            "ciphers",
            "MACs",
            "compression",
            "languages",
            "first_kex_follows",
            "reserved",
            "local",
            "peer",
            "rekey",
            "Corrupted",
            "Disconnecting",
            "**",
            "SSH2_MSG_KEXINIT",
            "SSH2_MSG_NEWKEYS",
            "SSH2_MSG_KEX_ECDH_REPLY",
            "SSH2_MSG_KEXDH_REPLY",
            "host",
        ],
    ),
    (Word::Server, &["Server"]),
    (
        Word::HostKeyFamily,
        &[
            "Host",
            "Found",
            "IT",
            "Someone",
            "It",
            "Please",
            "The",
            "Add",
            "Offending",
            "Matching",
            "remove",
            "Are",
            "Failed",
            "Certificate",
            "Password",
            "Keyboard-interactive",
            "Port",
            "X11",
            "To",
            "Update",
            "UpdateHostkeys",
            "These",
        ],
    ),
    (Word::NoCap, &["No"]),
    (Word::Warning, &["Warning"]),
    (
        Word::AuthFamily,
        &[
            "Authentications",
            "Next",
            "Offering",
            "Trying",
            "Skipping",
            "Will",
            "Permission",
            "Permissions",
            "Authenticated",
            "Authentication",
            "loaded",
            "Load",
            "load",
            "Enter",
            "bad",
            "Received",
            "Disconnected",
            "Confirm",
            "Unspecified",
            "Could",
            "This",
            "Your",
            "sign_and_send_pubkey",
            "Bad",
            "Unprivileged",
            "System",
        ],
    ),
    (Word::NoLower, &["no"]),
    (
        Word::Channel,
        &[
            "channel",
            "subsystem",
            "Entering",
            "Sending",
            "Requesting",
            "Exit",
            "Transferred",
            "Bytes",
            "Shared",
            "PTY",
            "Pseudo-terminal",
            "stdio",
            "Session",
            "Timeout,",
            "Timeout",
            "Read",
            "Write",
            "Killed",
            "session",
            "shell",
            "exec",
        ],
    ),
    (Word::Forward, &["bind", "Error"]),
    (
        Word::Mux,
        &[
            "Control",
            "ControlPath",
            "ControlSocket",
            "getsockname",
            "Master",
            "auto-mux",
            "mux_client_request_session",
        ],
    ),
    (
        Word::Command,
        &[
            "Executing",
            "Setting",
            "Started",
            "Running",
            "posix_spawnp",
            "posix_spawn",
            "CreateProcessW",
        ],
    ),
    (Word::Packet, &["Packet"]),
    (
        Word::Service,
        &[
            "Hi", "Welcome", "ERROR", "FATAL", "fatal", "error", "GitLab", "Gogs", "Gitea",
            "Forgejo", "R", "W",
        ],
    ),
    (Word::RemoteLower, &["remote"]),
    (Word::Ssh, &["ssh"]),
    (Word::Transfer, &["scp", "sftp", "rsync"]),
    (Word::Banner, &["banner", "match", "Protocol"]),
];

/// A route table, hashed once on first use.
fn table<T: Copy>(
    cell: &'static OnceLock<FxHashMap<&'static str, T>>,
    routes: &'static [(T, &'static [&'static str])],
) -> &'static FxHashMap<&'static str, T> {
    cell.get_or_init(|| {
        let mut map = FxHashMap::default();
        for (route, words) in routes {
            for word in *words {
                map.insert(*word, *route);
            }
        }
        map
    })
}

/// Dispatch on the function name.
fn by_function<'a>(func: &'a str, msg: &'a str) -> Option<EventKind<'a>> {
    static TABLE: OnceLock<FxHashMap<&'static str, Func>> = OnceLock::new();
    if msg.starts_with("Connection to ") && msg.contains(": ") {
        if let Some(kind) = connect::packet_fatal(func, msg) {
            return Some(kind);
        }
    }
    match *table(&TABLE, BY_FUNCTION).get(func)? {
        Func::SeqnrReset => {
            let direction = if msg.contains("send") { "send" } else { "read" };
            msg.starts_with("resetting").then(|| EventKind::SeqnrReset {
                direction: b(direction),
            })
        }
        Func::GlobalRequest => {
            let request = msg
                .strip_prefix("rtype ")
                .map(|r| r.split(' ').next().unwrap_or(r))
                .unwrap_or(msg);
            Some(EventKind::GlobalRequest {
                request: b(request),
            })
        }
        Func::HostkeysUpdateFn => Some(EventKind::HostkeysUpdate { text: b(msg) }),
        Func::HostKeyLookupFn => Some(EventKind::HostKeyLookup { text: b(msg) }),
        Func::ExtInfo => kex::ext_info(msg),
        // Before 8.0, `key_load_public: No such file or directory` names no path.
        Func::NoPubkeyLoaded => {
            (!msg.starts_with("No such file")).then(|| EventKind::NoPubkeyLoaded { path: b(msg) })
        }
        Func::Identification => banner::identification(func == "ssh_exchange_identification", msg),
        Func::Compat => banner::compat(msg),
        Func::LoadHostkeys => hostkey::load_hostkeys(msg),
        Func::Agent => {
            if msg.starts_with("bound agent") {
                return Some(EventKind::AgentBound {});
            }
            auth::agent(msg)
        }
        Func::Signing => auth::signing(msg).or_else(|| {
            (msg.starts_with("sshkey_sign: ") || msg.contains("device not found"))
                .then(|| EventKind::SecurityKeyError { text: b(msg) })
        }),
        Func::SecurityKeyHelper => (msg.contains("failed") || msg.contains("not found"))
            .then(|| EventKind::SecurityKeyError { text: b(msg) }),
        Func::ReadPassphrase => auth::read_passphrase(msg),
        Func::Askpass => Some(EventKind::AskpassFailed { error: b(msg) }),
        Func::ChannelRequest => channel::channel_request(msg),
        Func::FwdListener => forward::listener(msg),
        Func::ClientLoop => channel::client_loop(msg),
        Func::Canonicalize => Some(EventKind::Canonicalize { host: b(msg) }),
        Func::ConnectFn => connect::detail(msg),
        Func::MuxClient => mux::client_in(func, msg),
        Func::UnixSocket => mux::unix_socket(msg),
        Func::SecurityKey => Some(EventKind::SecurityKeyError { text: b(msg) }),
        Func::UserauthDetail => auth::userauth_detail(msg),
        Func::Stdio => channel::stdio(msg),
    }
}

/// Dispatch on the message's first word.
fn by_message(msg: &str, plain: bool, shapes: bool) -> Option<EventKind<'_>> {
    static TABLE: OnceLock<FxHashMap<&'static str, Word>> = OnceLock::new();
    let end = msg
        .bytes()
        .position(|c| c == b' ' || c == b':')
        .unwrap_or(msg.len());
    let first = &msg[..end];
    let Some(route) = table(&TABLE, BY_WORD).get(first) else {
        if first.starts_with("SSH2_MSG_") {
            return kex::parse(msg);
        }
        return if shapes { by_shape(msg, plain) } else { None };
    };
    match route {
        Word::Agent if msg.starts_with("Agent admitted failure") => {
            Some(EventKind::SigningFailed {
                key_type: None,
                key: None,
                from_agent: true,
                reason: b("agent refused operation (agent admitted failure to sign)"),
            })
        }
        Word::Agent | Word::HostKeyFamily => hostkey::parse(msg)
            .or_else(|| auth::parse(msg))
            .or_else(|| channel::parse(msg))
            .or_else(|| auth::by_shape(msg))
            .or_else(|| service::parse(msg)),
        Word::Config => config::parse(msg),
        Word::IdentityFile => config::identity_file(msg),
        Word::Connect => connect::parse(msg),
        Word::KeyCandidate => {
            let rest = msg.strip_prefix("key: ")?;
            let (path, tail) = rest.rsplit_once(" (")?;
            Some(EventKind::KeyCandidate {
                path: b(path),
                loaded: !tail.starts_with("(nil)"),
            })
        }
        // Debug-only details: a plain line starting with the word is
        // something else (`fd: ` is a prefix, not ssh's message).
        Word::ConnectDetail | Word::Pledge if plain => None,
        Word::ConnectDetail => Some(EventKind::ConnectDetail { text: b(msg) }),
        Word::Pledge => Some(EventKind::Pledge {
            stage: b(msg.trim_start_matches("pledge: ")),
        }),
        Word::HostKeyLookup => Some(EventKind::HostKeyLookup { text: b(msg) }),
        Word::HostkeysUpdate => Some(EventKind::HostkeysUpdate { text: b(msg) }),
        Word::Connection => connect::connection(msg)
            .or_else(|| banner::connection(msg))
            .or_else(|| channel::connection(msg))
            .or_else(|| forward::connection(msg))
            // sftp's own last words when its ssh went away (ssh's say
            // `Connection closed by H` or `Connection to H closed`).
            .or_else(|| {
                matches!(msg.trim_end(), "Connection closed" | "Connection closed.")
                    .then(|| EventKind::TransferClosed { program: b("") })
            }),
        Word::Local => banner::local(msg).or_else(|| forward::parse(msg)),
        // ssh prints `Remote: ` (the server's debug messages) only at
        // debug level: without one it is a wrapper's prefix (borg), and
        // the message after it is what counts.
        Word::Remote => msg
            .strip_prefix("Remote: ")
            .filter(|_| plain)
            .and_then(|inner| match parse_start(inner).1 {
                EventKind::Text { .. } | EventKind::Other { .. } => None,
                k => Some(k),
            })
            .or_else(|| banner::remote(msg))
            .or_else(|| forward::parse(msg))
            .or_else(|| auth::remote(msg))
            .or_else(|| channel::parse(msg)),
        Word::Auth => auth::parse(msg),
        Word::Kex => kex::parse(msg),
        Word::Server => kex::server(msg).or_else(|| auth::parse(msg)),
        Word::NoCap => hostkey::parse(msg)
            .or_else(|| auth::parse(msg))
            .or_else(|| channel::parse(msg)),
        Word::Warning => hostkey::parse(msg)
            .or_else(|| config::parse(msg))
            .or_else(|| forward::parse(msg))
            .or_else(|| channel::parse(msg)),
        Word::AuthFamily => auth::parse(msg)
            .or_else(|| config::parse(msg))
            .or_else(|| kex::parse(msg))
            .or_else(|| banner::parse(msg))
            .or_else(|| forward::parse(msg))
            .or_else(|| channel::parse(msg))
            .or_else(|| hostkey::parse(msg)),
        Word::NoLower => banner::parse(msg)
            .or_else(|| config::parse(msg))
            .or_else(|| kex::parse(msg))
            .or_else(|| auth::parse(msg)),
        Word::Channel => channel::parse(msg),
        Word::Forward => forward::parse(msg).or_else(|| auth::parse(msg)),
        Word::Mux => mux::parse(msg),
        Word::Command => config::parse(msg).or_else(|| command::parse(msg)),
        Word::Packet => Some(EventKind::TransportError { text: b(msg) }),
        Word::Service => service::parse(msg),
        Word::RemoteLower => forward::parse(msg).or_else(|| service::parse(msg)),
        Word::Ssh => connect::by_shape(msg).or_else(|| command::parse(msg)),
        Word::Transfer => match msg.split_once(": Connection closed") {
            Some((program, "")) => Some(EventKind::TransferClosed {
                program: b(program),
            }),
            _ => config::parse(msg)
                .or_else(|| connect::by_shape(msg))
                .or_else(|| command::parse(msg)),
        },
        Word::Banner => banner::parse(msg),
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
        .or_else(|| channel::sftp_server(t))
        .or_else(|| command::copy_id(t))
        .or_else(|| command::transfer_done(t))
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
    fn every_route_word_is_listed_once() {
        fn check<T>(routes: &[(T, &[&str])]) {
            let mut seen = std::collections::HashSet::new();
            for word in routes.iter().flat_map(|(_, words)| words.iter()) {
                assert!(seen.insert(word), "{word} is listed twice");
            }
        }
        check(BY_FUNCTION);
        check(BY_WORD);
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

    #[test]
    fn a_plain_remote_prefix_is_a_wrappers() {
        // borg prefixes ssh's stderr with `Remote: `.
        assert!(matches!(
            kind("Remote: u@h: Permission denied (publickey)."),
            EventKind::PermissionDenied { .. }
        ));
        // ssh's own relayed server messages stay what they are.
        assert!(matches!(
            kind("debug1: Remote: Agent forwarding disabled"),
            EventKind::AuthBanner { .. }
        ));
        assert!(matches!(
            kind("Remote: Welcome to the box"),
            EventKind::AuthBanner { .. }
        ));
    }
}
