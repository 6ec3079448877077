//! Folding events into facts.
//!
//! A [`Trace`] is what the diagnosis reads: the client and server versions,
//! where the connection was going, the command line if one was pasted, the
//! phase it reached, every key offered and what became of it, and the events
//! a detector may cite. Memory is bounded on any input: the trace keeps at
//! most [`PER_KIND_CAP`] events of each kind and at most [`KEPT_BUDGET`]
//! bytes of events and key offers in all (plus the last line of each kind
//! when it is at most [`LATEST_MAX`] bytes, and the last [`TAIL`] ssh lines),
//! never the whole input.

use crate::event::{Event, EventKind, Identity, Level};
use crate::grammar::primitives::unvis;
use serde::Serialize;
use std::collections::VecDeque;

/// Events of one kind kept from the start of the input.
pub const PER_KIND_CAP: usize = 512;
/// Recent ssh lines kept for the "last lines" of a report.
pub const TAIL: usize = 16;
/// Bytes of kept events and key offers, all kinds together (each counted as
/// its line twice, for the line and the event's fields, plus the fixed size
/// of an entry): 148 kinds × 512 events of 64 KiB lines would otherwise be
/// allowed.
pub const KEPT_BUDGET: usize = 8 << 20;
/// The longest line kept as the latest of its kind past the caps (real ssh
/// lines are far shorter; a longer one is not kept).
pub const LATEST_MAX: usize = 4096;

/// The key files in `~/.ssh` that ssh tries when no `-i` or `IdentityFile`
/// names one (OpenSSH's `_PATH_SSH_CLIENT_ID_*`).
pub const DEFAULT_IDENTITIES: [&str; 7] = [
    "id_rsa",
    "id_ecdsa",
    "id_ecdsa_sk",
    "id_ed25519",
    "id_ed25519_sk",
    "id_xmss",
    "id_dsa",
];
/// A pause longer than this between two timed lines is recorded.
pub const GAP_MS: u64 = 3_000;

/// The stages a connection goes through, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Phase {
    /// Reading options and config files.
    Config,
    /// Looking up the host name.
    Resolve,
    /// Opening the TCP connection.
    Connect,
    /// Exchanging version banners.
    Banner,
    /// Key exchange.
    Kex,
    /// Verifying the server's host key.
    HostKey,
    /// User authentication.
    Auth,
    /// The session after authentication.
    Session,
}

impl Phase {
    /// All phases in order.
    pub const ALL: [Phase; 8] = [
        Phase::Config,
        Phase::Resolve,
        Phase::Connect,
        Phase::Banner,
        Phase::Kex,
        Phase::HostKey,
        Phase::Auth,
        Phase::Session,
    ];

    /// Short human name.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Config => "config",
            Phase::Resolve => "resolve",
            Phase::Connect => "connect",
            Phase::Banner => "banner",
            Phase::Kex => "key exchange",
            Phase::HostKey => "host key",
            Phase::Auth => "auth",
            Phase::Session => "session",
        }
    }

    /// Short human name in `lang`.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match lang {
            crate::lang::Lang::En => self.name(),
            crate::lang::Lang::Ja => match self {
                Phase::Config => "設定",
                Phase::Resolve => "名前解決",
                Phase::Connect => "接続",
                Phase::Banner => "バナー",
                Phase::Kex => "鍵交換",
                Phase::HostKey => "ホスト鍵",
                Phase::Auth => "認証",
                Phase::Session => "セッション",
            },
        }
    }
}

/// The phase an event belongs to, if it marks progress.
pub fn phase_of(kind: &EventKind<'_>) -> Option<Phase> {
    use EventKind as K;
    Some(match kind {
        K::ReadingConfig { .. }
        | K::ApplyingOptions { .. }
        | K::BadOption { .. }
        | K::ConfigTerminating { .. }
        | K::BadConfigPermissions { .. }
        | K::BadArgument { .. }
        | K::BadConfigValue { .. }
        | K::Usage {} => Phase::Config,
        K::ResolveFailed { .. } | K::Canonicalize { .. } => Phase::Resolve,
        K::Connecting { .. }
        | K::ConnectAddressFailed { .. }
        | K::ConnectFailed { .. }
        | K::ProxyCommandExec { .. } => Phase::Connect,
        K::Connected {}
        | K::LocalVersion { .. }
        | K::IdentClosed { .. }
        | K::IdentReadFailed { .. }
        | K::IdentInvalid { .. }
        | K::ProtocolMismatch { .. }
        | K::BannerLine { .. }
        | K::BannerTimeout {} => Phase::Banner,
        K::RemoteVersion { .. }
        | K::CompatMatch { .. }
        | K::KexMessage { .. }
        | K::KexAlgorithm { .. }
        | K::KexCipher { .. }
        | K::NoMatchingAlgorithm { .. } => Phase::Kex,
        K::ServerHostKey { .. }
        | K::HostKeyKnown { .. }
        | K::HostKeyChangedBanner {}
        | K::HostKeyVerificationFailed {}
        | K::HostKeyUnknownStrict { .. }
        | K::HostAuthenticityUnknown { .. }
        | K::PermanentlyAdded { .. }
        | K::IpKeyDiffers { .. } => Phase::HostKey,
        K::ServiceAccept {}
        | K::AuthenticatingAs { .. }
        | K::AuthsCanContinue { .. }
        | K::OfferingKey { .. }
        | K::PermissionDenied { .. }
        | K::PasswordRetry {}
        | K::PasswordPrompt { .. }
        | K::ReceivedDisconnect { .. }
        | K::PartialSuccess { .. } => Phase::Auth,
        K::AuthenticatedTo { .. }
        | K::AuthSucceeded { .. }
        | K::ChannelNew { .. }
        | K::EnteringSession {}
        | K::ExitStatus { .. }
        | K::ServiceGreeting { .. }
        | K::TransferDone { .. }
        | K::ClosedByRemote { .. }
        | K::ConnectionClosed { .. } => Phase::Session,
        _ => return None,
    })
}

/// The phase a server's event shows the connection reached, if it marks
/// progress: a close before authentication is the banner or key exchange
/// phase, a refusal the auth phase, an accepted login the session.
pub fn server_phase(kind: &EventKind<'_>) -> Option<Phase> {
    use EventKind as K;
    Some(match kind {
        K::SshdStartFailed { .. } | K::SshdBanned { .. } | K::SshdConnection { .. } => {
            Phase::Connect
        }
        K::SshdDropped { .. } | K::SshdBadBanner { .. } => Phase::Banner,
        K::SshdNegotiate { .. } => Phase::Kex,
        K::SshdAuth { result, .. } if result == "Accepted" => Phase::Session,
        K::SshdSession { .. } => Phase::Session,
        K::SshdAuth { .. }
        | K::SshdInvalidUser { .. }
        | K::SshdNotAllowed { .. }
        | K::SshdAccountUnusable { .. }
        | K::SshdStrictModes { .. }
        | K::SshdKeysUnreadable { .. }
        | K::SshdRootRefused { .. }
        | K::SshdKeyTypeRefused { .. }
        | K::SshdMaxAuthTries { .. } => Phase::Auth,
        K::SshdClosed { user: Some(_), .. } => Phase::Auth,
        _ => return None,
    })
}

/// A value and the input line it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cited<T> {
    /// 1-based input line.
    pub line: usize,
    /// The value.
    pub value: T,
}

/// An event kept as possible evidence, with the text of its line.
#[derive(Debug, Clone)]
pub struct Noted {
    /// The event (owned).
    pub event: Event<'static>,
    /// The line's text as read (after unwrapping).
    pub text: String,
}

impl Noted {
    /// Keeps an event (owned) with its line's text.
    pub fn new(event: &Event<'_>, text: &str) -> Noted {
        Noted {
            event: event.clone().into_owned(),
            text: text.to_string(),
        }
    }

    /// Parses a line kept as raw text (tail ring, past-cap events).
    fn reparse(line: usize, time_ms: Option<u64>, text: &str) -> Noted {
        let (level, kind) = crate::grammar::parse_text(text);
        Noted {
            event: Event {
                line,
                time_ms,
                level,
                kind,
            }
            .into_owned(),
            text: text.to_string(),
        }
    }

    /// The event's line number.
    pub fn line(&self) -> usize {
        self.event.line
    }

    /// The event's meaning.
    pub fn kind(&self) -> &EventKind<'static> {
        &self.event.kind
    }
}

/// What happened to a key the client offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fate {
    /// No answer seen yet.
    Pending,
    /// The server answered `Authentications that can continue` again.
    Refused,
    /// `Server accepts key`, then nothing more.
    Accepted,
    /// `Server accepts key`, then `Authentications that can continue`
    /// straight after: the server refused the signed request (its rules
    /// after the key check, not authorized_keys).
    RefusedAfterSigning,
    /// Signing with it failed.
    SigningFailed,
    /// It authenticated the user.
    Used,
}

/// A key offered to the server.
#[derive(Debug, Clone, Serialize)]
pub struct KeyOffer {
    /// Line of the `Offering public key` message.
    pub line: usize,
    /// The key.
    pub identity: Identity<'static>,
    /// What happened next.
    pub fate: Fate,
    /// Line that decided the fate.
    pub fate_line: Option<usize>,
}

/// Facts from a pasted or logged command line (`$ ssh -i K -p 2222 u@h`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CommandLine {
    /// Line of the command.
    pub line: usize,
    /// `ssh`, `scp`, `git`, `GIT_SSH_COMMAND` ...
    pub program: String,
    /// `-i` files.
    pub identities: Vec<String>,
    /// `-p` / `-P` (scp).
    pub port: Option<u16>,
    /// `-l`.
    pub login: Option<String>,
    /// `-J`.
    pub jump: Option<String>,
    /// `-F`.
    pub config: Option<String>,
    /// `-o Key=Value`, key lowercased.
    pub options: Vec<(String, String)>,
    /// `user@host` or `host` (or an `ssh://` URL).
    pub destination: Option<String>,
    /// Number of `v` in `-v` flags.
    pub verbosity: u8,
    /// rsync's `-e ssh` unquoted, then ssh's options as separate words
    /// (`-e ssh -p 22 -i KEY`): those options (flag, value), which rsync
    /// took as its own.
    pub stray_ssh_options: Vec<(String, String)>,
}

impl CommandLine {
    /// Parses the arguments of an ssh-family command.
    pub fn parse(line: usize, program: &str, args: &str) -> CommandLine {
        let mut cmd = CommandLine {
            line,
            program: program.to_string(),
            ..CommandLine::default()
        };
        let words = shell_words(args);
        if program == "rsync" {
            return CommandLine::rsync(line, &words);
        }
        let mut words = words.iter().map(String::as_str).peekable();
        // GIT_SSH_COMMAND="ssh -v -i k" git clone URL: read the ssh part, then the URL.
        if program.starts_with("GIT_SSH") || program == "RSYNC_RSH" {
            if let Some(inner) = words.next() {
                let inner_words = shell_words(inner);
                let inner_args = inner_words.get(1..).unwrap_or(&[]).join(" ");
                let mut sub = CommandLine::parse(line, "ssh", &inner_args);
                sub.program = program.to_string();
                for w in words {
                    if let Some(dest) = url_destination(w) {
                        sub.destination = Some(dest);
                    }
                }
                return sub;
            }
            return cmd;
        }
        let takes_value = "BbcDEeFIiJLlmOoPpQRSWw";
        while let Some(w) = words.next() {
            // A long option of a tool around ssh (mosh's `--ssh="ssh -p
            // 2222"`, rsync's `--rsh=...`) is never the destination.
            if w.starts_with("--") {
                continue;
            }
            if let Some(flags) = w.strip_prefix('-').filter(|f| !f.is_empty()) {
                for (i, c) in flags.char_indices() {
                    if c == 'v' {
                        cmd.verbosity = cmd.verbosity.saturating_add(1);
                        continue;
                    }
                    if takes_value.contains(c) {
                        let inline = &flags[i + c.len_utf8()..];
                        let value = if inline.is_empty() {
                            words.next().unwrap_or("").to_string()
                        } else {
                            inline.to_string()
                        };
                        // mosh's -p is its UDP port, not ssh's.
                        if !(program == "mosh" && c == 'p') {
                            cmd.set(c, &value);
                        }
                        break;
                    }
                }
                continue;
            }
            if cmd.destination.is_none() {
                if program == "git" {
                    if let Some(dest) = url_destination(w) {
                        cmd.destination = Some(dest);
                    }
                    continue;
                }
                // sftp's one operand is `[user@]host[:path]`, colon or not.
                if program == "sftp" {
                    cmd.destination =
                        url_destination(w).or_else(|| w.split(':').next().map(str::to_string));
                    continue;
                }
                if matches!(program, "scp" | "rsync") {
                    if let Some(dest) = url_destination(w) {
                        cmd.destination = Some(dest);
                    }
                    continue;
                }
                cmd.destination = Some(w.to_string());
            }
        }
        cmd
    }

    /// rsync's own options are not ssh's (`-p` keeps permissions, `-i`
    /// itemizes changes): only the `-e`/`--rsh` command is ssh's.
    fn rsync(line: usize, words: &[String]) -> CommandLine {
        let mut rsh: Option<&str> = None;
        let mut destination = None;
        let mut stray = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let w = words[i].as_str();
            let value = if let Some(v) = w.strip_prefix("--rsh=") {
                Some(v)
            } else if w == "--rsh" {
                i += 1;
                words.get(i).map(String::as_str)
            } else if let Some(flags) = w.strip_prefix('-').filter(|f| !f.starts_with('-')) {
                // Short flags: `-e ssh`, `-avze ssh` (-e ends the bundle) or
                // `-essh` (its value joined).
                match flags.split_once('e') {
                    Some((before, v))
                        if !v.is_empty() && before.bytes().all(|c| c.is_ascii_alphabetic()) =>
                    {
                        Some(v)
                    }
                    _ if flags.ends_with('e') => {
                        i += 1;
                        words.get(i).map(String::as_str)
                    }
                    _ => None,
                }
            } else {
                None
            };
            if let Some(v) = value {
                rsh = Some(v);
                if !v.contains(' ') {
                    stray = stray_options(&words[i + 1..]);
                }
            } else if destination.is_none() && !w.starts_with('-') {
                destination = url_destination(w);
            }
            i += 1;
        }
        let mut cmd = match rsh {
            Some(r) => {
                let inner = shell_words(r);
                CommandLine::parse(line, "ssh", &inner.get(1..).unwrap_or(&[]).join(" "))
            }
            None => CommandLine::default(),
        };
        cmd.line = line;
        cmd.program = "rsync".to_string();
        cmd.destination = destination;
        cmd.stray_ssh_options = stray;
        cmd
    }

    fn set(&mut self, flag: char, value: &str) {
        match flag {
            'i' => self.identities.push(value.to_string()),
            'p' | 'P' => self.port = value.parse().ok(),
            'l' => self.login = Some(value.to_string()),
            'J' => self.jump = Some(value.to_string()),
            'F' => self.config = Some(value.to_string()),
            'o' => {
                let (k, v) = value
                    .split_once('=')
                    .or_else(|| value.split_once(' '))
                    .unwrap_or((value, ""));
                self.options
                    .push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
            _ => {}
        }
    }

    /// The value of `-o KEY=...` (case-insensitive key).
    pub fn option(&self, key: &str) -> Option<&str> {
        let key = key.to_ascii_lowercase();
        self.options
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// ssh's `-p PORT` and `-i KEY` standing as words of rsync's own command
/// line (rsync's `-p` and `-i` take no value), as the user typed them.
fn stray_options(words: &[String]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut k = 0;
    while k + 1 < words.len() {
        let (flag, value) = (words[k].as_str(), words[k + 1].as_str());
        let port = flag == "-p" && value.parse::<u16>().is_ok();
        let key = flag == "-i"
            && !value.starts_with('-')
            && (value.contains(".ssh") || value.ends_with(".pem") || value.contains("id_"));
        if port || key {
            found.push((flag.to_string(), value.to_string()));
            k += 2;
        } else if flag.starts_with('-') {
            k += 1;
        } else {
            break;
        }
    }
    found
}

/// `ssh://user@host:port/path`, `user@host:path` → `user@host`.
fn url_destination(w: &str) -> Option<String> {
    if let Some(rest) = w
        .strip_prefix("ssh://")
        .or_else(|| w.strip_prefix("git+ssh://"))
    {
        let authority = rest.split('/').next().unwrap_or(rest);
        let host = authority
            .rsplit_once(':')
            .map(|(h, _)| h)
            .unwrap_or(authority);
        return Some(host.to_string());
    }
    let (head, _) = w.split_once(':')?;
    (head.contains('@') && !head.contains('/')).then(|| head.to_string())
}

/// A known_hosts name's host and port: `[h]:p` → (`h`, `p`), `h` → (`h`,
/// none); `None` for a bracketed name whose port is not a port.
pub fn known_hosts_parts(name: &str) -> Option<(&str, Option<u16>)> {
    match name.strip_prefix('[').and_then(|r| r.split_once("]:")) {
        Some((h, p)) => p.parse().ok().map(|p| (h, Some(p))),
        None => Some((name, None)),
    }
}

/// The user and host of ssh's password prompt (`bob@h's password:`).
pub fn prompt_destination(prompt: &str) -> Option<(&str, &str)> {
    let (user, host) = prompt
        .trim()
        .strip_suffix("'s password:")?
        .split_once('@')?;
    let word = |w: &str| !w.is_empty() && !w.contains(char::is_whitespace);
    (word(user) && word(host)).then_some((user, host))
}

/// Splits a command line into words, honouring quotes and backslashes.
/// The command ends at an unquoted `|`, `;` or `&` (what follows is another
/// command: `ssh -v h 2>&1 | grep -i kex`), and redirections (`2>&1`,
/// `> log.txt`) are not its words.
pub fn shell_words(s: &str) -> Vec<String> {
    let mut words = Words::default();
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    words.cur.push(n);
                }
            }
            (Some(_), c) => words.cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                words.in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    words.cur.push(n);
                    words.in_word = true;
                }
            }
            (None, '|' | ';') => break,
            (None, '&') if !matches!(prev, '>' | '<') => break,
            (None, c) if c.is_whitespace() => words.end(),
            (None, c) => {
                if !words.in_word {
                    words.bare = true;
                }
                words.cur.push(c);
                words.in_word = true;
            }
        }
        prev = c;
    }
    words.end();
    words.done
}

/// [`shell_words`]' state.
#[derive(Default)]
struct Words {
    done: Vec<String>,
    cur: String,
    in_word: bool,
    /// The current word starts unquoted.
    bare: bool,
    /// The next word is a redirection's target (after a bare `>`).
    target: bool,
}

impl Words {
    fn end(&mut self) {
        if !self.in_word {
            return;
        }
        let w = std::mem::take(&mut self.cur);
        // `2>&1`, `>log`, `< in` (not a placeholder such as `<IP>`); a bare
        // `>` or `2>` takes the next word along.
        let op = w.trim_start_matches(|c: char| c.is_ascii_digit());
        let redirect = std::mem::take(&mut self.bare)
            && (op.starts_with('>')
                || op.starts_with("&>")
                || (op.starts_with('<') && !op.ends_with('>')));
        if redirect {
            self.target = matches!(op, ">" | ">>" | "<" | "&>");
        } else if !std::mem::take(&mut self.target) {
            self.done.push(w);
        }
        self.in_word = false;
    }
}

/// Where the connection was going, as far as the input shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Destination {
    /// Remote user name.
    pub user: Option<String>,
    /// Host as the user typed it (alias), or as ssh connected to it.
    pub host: Option<String>,
    /// Resolved address.
    pub address: Option<String>,
    /// Port.
    pub port: Option<u16>,
}

/// A pause between two timed lines.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    /// Last line before the pause.
    pub before: usize,
    /// First line after it.
    pub after: usize,
    /// Length in milliseconds.
    pub ms: u64,
}

/// Counts of lines, for coverage figures and the "no ssh output" check.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct Stats {
    /// Logical lines read.
    pub lines: usize,
    /// Lines recognised as ssh output (anything but `text`).
    pub ssh_lines: usize,
    /// ssh lines at debug1 or plain level.
    pub ssh_lines_debug1: usize,
    /// Of those, how many fell back to `other`.
    pub other_debug1: usize,
    /// Highest debug level seen (0 = no `-v` output).
    pub max_debug: u8,
    /// Lines that carried a timestamp.
    pub timed_lines: usize,
}

/// The facts of one input.
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct Trace {
    events: Vec<Noted>,
    /// Count of events seen per kind (indexed by `EventKind::index`).
    per_kind: Vec<usize>,
    /// The most recent event of each kind that was past its cap, as
    /// (kind index, line, time, text): copied into a reused buffer while
    /// reading, parsed by [`Trace::finish`]. Few kinds ever pass their cap,
    /// so a short list (not one slot per kind) keeps a trace cheap to make.
    latest_raw: Vec<(usize, usize, Option<u64>, String)>,
    /// `latest_raw`, parsed.
    latest: Vec<Noted>,
    /// The last ssh lines: (line, time, text), re-parsed when asked for.
    tail: VecDeque<(usize, Option<u64>, String)>,
    /// Line counts.
    pub stats: Stats,
    /// `OpenSSH_...` version line(s): the first is the client, later ones
    /// belong to a ProxyJump / ProxyCommand helper ssh.
    pub client_versions: Vec<Cited<String>>,
    /// Server software from the banner exchange (last seen).
    pub server_version: Option<Cited<String>>,
    /// The pasted or logged command line, if any.
    pub command: Option<CommandLine>,
    /// Furthest phase reached.
    pub phase: Option<Phase>,
    /// First line of each phase.
    pub phase_lines: Vec<(Phase, usize)>,
    /// Keys offered, in order (capped).
    pub offers: Vec<KeyOffer>,
    /// Pauses between timed lines, longest first (capped).
    pub gaps: Vec<Gap>,
    last_time: Option<(usize, u64)>,
    /// Bytes counted against [`KEPT_BUDGET`].
    kept_bytes: usize,
    /// The server accepted the last key offered, and no other method or
    /// key came after it yet: ssh is signing with it.
    signing: bool,
    /// The server's log of this connection, when it was given.
    pub server: Option<ServerSide>,
    /// Causes that earlier attempts of the same paste, to the same host,
    /// showed at medium or high confidence, with their first and last line
    /// (see [`crate::attempts`]): what a thin last attempt may be read by.
    pub earlier_causes: Vec<(&'static str, usize, usize)>,
    /// A later attempt of the same paste that stops before any outcome
    /// (its first and last line): this attempt's failure is reported in
    /// its place (see [`crate::attempts`]).
    pub later_cut: Option<(usize, usize)>,
    /// The last [`RECENT_TEXT`] lines that were not ssh's and not blank
    /// (the server's or a program's own output): (line, text).
    recent_text: VecDeque<(usize, String)>,
}

/// How many of the last lines that are not ssh's a trace keeps.
pub const RECENT_TEXT: usize = 4;

/// The slot for a ring's next entry: its oldest one (buffers and all) once
/// the ring holds `cap`, else a new one.
fn recycle<T: Default>(ring: &mut VecDeque<T>, cap: usize) -> T {
    if ring.len() == cap {
        ring.pop_front().unwrap_or_default()
    } else {
        T::default()
    }
}

/// The server's side of a trace: one connection from sshd's log.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ServerSide {
    /// The client's address as the server saw it.
    pub addr: Option<String>,
    /// The client's source port.
    pub port: Option<u16>,
    /// The user the client asked for.
    pub user: Option<String>,
    /// The server's address and port, when it logged them.
    pub local: Option<(String, u16)>,
    /// First and last line of the connection in the server's log.
    pub lines: (usize, usize),
    /// How the connection was matched to the client's attempt (empty when
    /// the server's log was read alone).
    pub matched_by: Vec<&'static str>,
    /// The connection's events.
    #[serde(skip)]
    pub events: Vec<Noted>,
}

impl Trace {
    /// An empty trace.
    pub fn new() -> Trace {
        Trace::default()
    }

    /// Joins one connection of the server's log to this trace.
    pub fn join(&mut self, c: crate::server::Connection, matched_by: Vec<&'static str>) {
        // A server's log alone: its events tell how far the connection got.
        if self.phase.is_none() {
            for n in &c.events {
                if let Some(p) = server_phase(n.kind()) {
                    if self.phase.is_none_or(|cur| p > cur) {
                        self.phase = Some(p);
                        self.phase_lines.push((p, n.line()));
                    }
                }
            }
        }
        self.server = Some(ServerSide {
            addr: c.addr,
            port: c.port,
            user: c.user,
            local: c.local,
            lines: c.lines,
            matched_by,
            events: c.events,
        });
    }

    /// The server's events (none when no server log was joined).
    pub fn server_events(&self) -> &[Noted] {
        self.server.as_ref().map_or(&[], |s| &s.events)
    }

    /// The first server event matching `f`.
    pub fn server_find(&self, f: impl Fn(&EventKind<'static>) -> bool) -> Option<&Noted> {
        self.server_events().iter().find(|n| f(n.kind()))
    }

    /// The last server event matching `f`.
    pub fn server_find_last(&self, f: impl Fn(&EventKind<'static>) -> bool) -> Option<&Noted> {
        self.server_events().iter().rev().find(|n| f(n.kind()))
    }

    /// Adds one parsed line.
    pub fn push(&mut self, event: &Event<'_>, text: &str) {
        self.stats.lines += 1;
        let is_ssh = event.is_ssh();
        if is_ssh {
            self.stats.ssh_lines += 1;
            let debug = match event.level {
                Level::Plain => 0,
                Level::Debug1 => 1,
                Level::Debug2 => 2,
                Level::Debug3 => 3,
            };
            self.stats.max_debug = self.stats.max_debug.max(debug);
            if debug <= 1 {
                self.stats.ssh_lines_debug1 += 1;
                if matches!(event.kind, EventKind::Other { .. }) {
                    self.stats.other_debug1 += 1;
                }
            }
        }
        if let Some(t) = event.time_ms {
            self.timing(event.line, t);
        }
        if let Some(p) = phase_of(&event.kind) {
            if self.phase.is_none_or(|cur| p > cur) {
                self.phase = Some(p);
                self.phase_lines.push((p, event.line));
            }
        }
        self.facts(event);
        if is_ssh {
            self.remember_tail(event, text);
        }
        if let EventKind::Text { text } = &event.kind {
            if !text.trim().is_empty() {
                let mut slot = recycle(&mut self.recent_text, RECENT_TEXT);
                slot.0 = event.line;
                slot.1.clear();
                slot.1.push_str(text);
                self.recent_text.push_back(slot);
            }
        }
        if matches!(event.kind, EventKind::Text { .. } | EventKind::Other { .. }) {
            return;
        }
        if self.per_kind.is_empty() {
            self.per_kind = vec![0; EventKind::NAMES.len()];
        }
        let index = event.kind.index();
        self.per_kind[index] += 1;
        let cost = Self::cost::<Noted>(2 * text.len());
        if self.per_kind[index] <= PER_KIND_CAP && self.kept_bytes + cost <= KEPT_BUDGET {
            self.kept_bytes += cost;
            self.events.push(Noted {
                event: event.clone().into_owned(),
                text: text.to_string(),
            });
        } else if text.len() <= LATEST_MAX {
            let at = match self.latest_raw.iter().position(|l| l.0 == index) {
                Some(at) => at,
                None => {
                    self.latest_raw.push((index, 0, None, String::new()));
                    self.latest_raw.len() - 1
                }
            };
            let slot = &mut self.latest_raw[at];
            slot.1 = event.line;
            slot.2 = event.time_ms;
            slot.3.clear();
            slot.3.push_str(text);
        } else {
            // Too long to keep: an older latest line would be stale.
            self.latest_raw.retain(|l| l.0 != index);
        }
    }

    /// What keeping an entry of type `T` holding `bytes` of text costs
    /// against the budget.
    fn cost<T>(bytes: usize) -> usize {
        bytes + std::mem::size_of::<T>()
    }

    /// Keeps the line in the tail ring, reusing the oldest slot's buffer.
    fn remember_tail(&mut self, event: &Event<'_>, text: &str) {
        let mut slot = recycle(&mut self.tail, TAIL);
        slot.0 = event.line;
        slot.1 = event.time_ms;
        slot.2.clear();
        slot.2.push_str(text);
        self.tail.push_back(slot);
    }

    fn timing(&mut self, line: usize, t: u64) {
        self.stats.timed_lines += 1;
        if let Some((prev_line, prev)) = self.last_time {
            const DAY: u64 = 24 * 3_600_000;
            let ms = if t >= prev { t - prev } else { t + DAY - prev };
            if (GAP_MS..DAY / 2).contains(&ms) {
                self.gaps.push(Gap {
                    before: prev_line,
                    after: line,
                    ms,
                });
                self.gaps
                    .sort_by(|a, b| b.ms.cmp(&a.ms).then(a.before.cmp(&b.before)));
                self.gaps.truncate(8);
            }
        }
        self.last_time = Some((line, t));
    }

    fn facts(&mut self, event: &Event<'_>) {
        use EventKind as K;
        match &event.kind {
            K::ClientVersion { version, .. } if self.client_versions.len() < 8 => {
                self.client_versions.push(Cited {
                    line: event.line,
                    value: version.to_string(),
                });
            }
            K::RemoteVersion { software, .. } => {
                self.server_version = Some(Cited {
                    line: event.line,
                    value: software.to_string(),
                });
            }
            // `ssh child died, shutting down` is a sentence, not a command.
            K::Command { program, args } if self.command.is_none() && !args.contains(", ") => {
                let cmd = CommandLine::parse(event.line, program, args);
                if cmd.destination.is_some() || !cmd.identities.is_empty() {
                    self.command = Some(cmd);
                }
            }
            K::OfferingKey { identity }
                if self.offers.len() < PER_KIND_CAP
                    && self.kept_bytes + Self::cost::<KeyOffer>(identity.bytes())
                        <= KEPT_BUDGET =>
            {
                self.kept_bytes += Self::cost::<KeyOffer>(identity.bytes());
                self.signing = false;
                self.settle_pending(Fate::Refused, None);
                self.offers.push(KeyOffer {
                    line: event.line,
                    identity: crate::event::IntoOwned::into_owned(identity.clone()),
                    fate: Fate::Pending,
                    fate_line: None,
                });
            }
            K::ServerAcceptsKey { .. } => {
                self.settle_last(Fate::Accepted, event.line);
                self.signing = true;
            }
            K::NextAuthMethod { .. } | K::TryingPrivateKey { .. } => self.signing = false,
            K::AuthsCanContinue { .. } if self.signing => {
                self.signing = false;
                self.settle_last(Fate::RefusedAfterSigning, event.line);
            }
            K::AuthsCanContinue { .. }
            | K::PermissionDenied { .. }
            | K::NoMoreAuthMethods {}
            | K::ReceivedDisconnect { .. } => self.settle_pending(Fate::Refused, Some(event.line)),
            K::SigningFailed { .. } | K::NoMutualSignature {} => {
                self.settle_last(Fate::SigningFailed, event.line)
            }
            K::AuthenticatedTo { method, .. } | K::PartialSuccess { method }
                if method.as_deref().is_none_or(|m| m == "publickey") =>
            {
                if let Some(o) = self.offers.last_mut() {
                    if matches!(o.fate, Fate::Pending | Fate::Accepted) {
                        o.fate = Fate::Used;
                        o.fate_line = Some(event.line);
                    }
                }
            }
            _ => {}
        }
    }

    fn settle_pending(&mut self, fate: Fate, line: Option<usize>) {
        if let Some(o) = self.offers.last_mut() {
            if o.fate == Fate::Pending {
                o.fate = fate;
                o.fate_line = line;
            }
        }
    }

    fn settle_last(&mut self, fate: Fate, line: usize) {
        if let Some(o) = self.offers.last_mut() {
            if matches!(o.fate, Fate::Pending | Fate::Accepted) {
                o.fate = fate;
                o.fate_line = Some(line);
            }
        }
    }

    /// Completes the trace after the last line: parses the most recent
    /// event of each kind that was past its cap, so `find_last` and
    /// `last_significant` see it. [`crate::trace`] and
    /// [`crate::trace_reader`] call it; call it yourself after feeding
    /// lines with [`Trace::push`].
    pub fn finish(&mut self) {
        // In kind order, as one slot per kind would give them.
        self.latest_raw.sort_unstable_by_key(|l| l.0);
        self.latest = self
            .latest_raw
            .iter()
            .map(|(_, line, time_ms, text)| Noted::reparse(*line, *time_ms, text))
            .collect();
    }

    /// Every kept event, in input order.
    pub fn events(&self) -> &[Noted] {
        &self.events
    }

    /// The first event matching `f`.
    pub fn find(&self, f: impl Fn(&EventKind<'static>) -> bool) -> Option<&Noted> {
        self.events.iter().find(|n| f(n.kind()))
    }

    /// The last event matching `f` (also past the per-kind cap).
    pub fn find_last(&self, f: impl Fn(&EventKind<'static>) -> bool) -> Option<&Noted> {
        let kept = self.events.iter().rev().find(|n| f(n.kind()));
        let latest = self
            .latest
            .iter()
            .filter(|n| f(n.kind()))
            .max_by_key(|n| n.line());
        match (kept, latest) {
            (Some(a), Some(b)) => Some(if b.line() > a.line() { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// All kept events matching `f`.
    pub fn all(
        &self,
        f: impl Fn(&EventKind<'static>) -> bool,
    ) -> impl DoubleEndedIterator<Item = &Noted> {
        self.events.iter().filter(move |n| f(n.kind()))
    }

    /// Whether any event matches `f`.
    pub fn has(&self, f: impl Fn(&EventKind<'static>) -> bool) -> bool {
        self.find(f).is_some()
    }

    /// How many events of a kind (by variant name) were seen in all.
    pub fn count(&self, name: &str) -> usize {
        EventKind::NAMES
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.per_kind.get(i).copied())
            .unwrap_or(0)
    }

    /// The last ssh lines (most recent last).
    pub fn tail(&self) -> Vec<Noted> {
        self.tail
            .iter()
            .map(|(line, time_ms, text)| Noted::reparse(*line, *time_ms, text))
            .collect()
    }

    /// The other client (PuTTY, paramiko, Go, JSch...) whose failure is the
    /// only client output here, if the input holds no OpenSSH message.
    pub fn foreign_only(&self) -> Option<&Noted> {
        let mut foreign = None;
        for n in &self.events {
            match n.kind() {
                EventKind::ForeignFailure { .. } => foreign = foreign.or(Some(n)),
                EventKind::Command { .. } => {}
                _ if n.kind().side() == crate::event::Side::Server => {}
                _ => return None,
            }
        }
        foreign
    }

    /// Whether words other than ssh's (a server's greeting, a program's
    /// output) follow input line `line`: a line of dots (a poster's "and so
    /// on") is not output.
    pub fn text_after(&self, line: usize) -> bool {
        self.recent_text
            .iter()
            .any(|(at, text)| *at > line && text.chars().any(char::is_alphanumeric))
    }

    /// The ssh line before ssh's line `line` (0 when there is none) and the
    /// lines that are not ssh's and not blank between the two, if the trace
    /// still holds all of them.
    pub fn text_since_ssh(&self, line: usize) -> Option<(usize, Vec<Noted>)> {
        let at = self.tail.iter().position(|(l, _, _)| *l == line)?;
        let before = match at.checked_sub(1) {
            Some(i) => self.tail[i].0,
            None if self.tail.len() < TAIL => 0,
            None => return None,
        };
        Some((before, self.text_between(before, line)?))
    }

    /// The lines that are not ssh's and not blank after line `after` and
    /// before line `before`, when the trace still holds all of them.
    pub fn text_between(&self, after: usize, before: usize) -> Option<Vec<Noted>> {
        let full = self.recent_text.len() == RECENT_TEXT;
        let oldest = self.recent_text.front().map_or(0, |(line, _)| *line);
        if full && oldest > after + 1 {
            return None;
        }
        Some(
            self.recent_text
                .iter()
                .filter(|(line, _)| *line > after && *line < before)
                .map(|(line, text)| Noted::reparse(*line, None, text))
                .collect(),
        )
    }

    /// The last significant event (not `other`/`text`).
    pub fn last_significant(&self) -> Option<&Noted> {
        let kept = self.events.last();
        let past_cap = self.latest.iter().max_by_key(|n| n.line());
        match (kept, past_cap) {
            (Some(a), Some(b)) => Some(if b.line() > a.line() { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// Whether the input holds any ssh output: the client's, or a server's
    /// log joined to it.
    pub fn has_ssh_output(&self) -> bool {
        self.has_client_output() || self.server.is_some()
    }

    /// Whether the input holds output of the client.
    pub fn has_client_output(&self) -> bool {
        self.stats.ssh_lines > 0 && !(self.events.is_empty() && self.stats.max_debug == 0)
    }

    /// The client version string (first version line).
    pub fn client_version(&self) -> Option<&Cited<String>> {
        self.client_versions.first()
    }

    /// Whether the trace shows a ProxyJump / ProxyCommand hop.
    pub fn via_proxy(&self) -> bool {
        self.has(|k| {
            matches!(
                k,
                EventKind::ProxyJumpCommand { .. } | EventKind::ProxyCommandExec { .. }
            )
        }) || self.command.as_ref().is_some_and(|c| {
            c.jump.is_some()
                || c.option("proxycommand").is_some()
                || c.option("proxyjump").is_some()
        })
    }

    /// Whether authentication succeeded for the final destination (through
    /// a proxy, only the outer ssh's `(via proxy)` success counts).
    pub fn authenticated(&self) -> Option<&Noted> {
        let proxied = self.via_proxy();
        self.find_last(|k| match k {
            EventKind::AuthenticatedTo { via_proxy, .. } => !proxied || *via_proxy,
            EventKind::AuthSucceeded { .. } => !proxied,
            _ => false,
        })
        // Without -v: a hosting service greets only a logged-in user
        // (`Hi USER! You've successfully authenticated`).
        .or_else(|| self.find_last(|k| matches!(k, EventKind::ServiceGreeting { .. })))
    }

    /// Whether the input shows the attempt from its start (the client's
    /// version line, the pasted command, the config being read or the
    /// connection being opened): only then does the absence of a message
    /// mean that ssh did not print it.
    pub fn from_start(&self) -> bool {
        !self.client_versions.is_empty()
            || self.command.is_some()
            || self.has(|k| {
                matches!(
                    k,
                    EventKind::Connecting { .. } | EventKind::ReadingConfig { .. }
                )
            })
    }

    /// Where the connection was going.
    pub fn destination(&self) -> Destination {
        let mut d = Destination::default();
        if let Some(n) = self.find_last(|k| matches!(k, EventKind::AuthenticatingAs { .. })) {
            if let EventKind::AuthenticatingAs { host, port, user } = n.kind() {
                d.user = Some(user.to_string());
                d.host = Some(host.to_string());
                d.port = Some(*port);
            }
        }
        if let Some(n) = self.find_last(|k| matches!(k, EventKind::Connecting { .. })) {
            if let EventKind::Connecting {
                host,
                address,
                port,
            } = n.kind()
            {
                d.host.get_or_insert_with(|| host.to_string());
                d.address = Some(address.to_string());
                d.port.get_or_insert(*port);
            }
        }
        if let Some(cmd) = &self.command {
            if let Some(dest) = &cmd.destination {
                let (user, host) = match dest.rsplit_once('@') {
                    Some((u, h)) => (Some(u.to_string()), h.to_string()),
                    None => (cmd.login.clone(), dest.clone()),
                };
                let host = host.trim_start_matches("ssh://").to_string();
                if d.user.is_none() {
                    d.user = user;
                }
                if d.host.is_none() || !self.via_proxy() {
                    d.host = Some(host);
                }
            }
            if d.port.is_none() {
                d.port = cmd.port;
            }
        }
        if d.user.is_none() || d.host.is_none() {
            if let Some(n) = self.find_last(|k| matches!(k, EventKind::PermissionDenied { .. })) {
                // `user@host: Permission denied`; a lone word before it is a
                // tool's prefix (`err: Permission denied`), not a host.
                if let EventKind::PermissionDenied {
                    user: Some(user),
                    host,
                    ..
                } = n.kind()
                {
                    if d.user.is_none() {
                        d.user = Some(user.to_string());
                    }
                    if d.host.is_none() {
                        d.host = host.as_ref().map(|h| h.to_string());
                    }
                }
            }
        }
        if d.host.is_none() {
            if let Some(n) = self.find_last(|k| {
                matches!(
                    k,
                    EventKind::ConnectFailed { .. }
                        | EventKind::ResolveFailed { .. }
                        | EventKind::NoMatchingAlgorithm { .. }
                )
            }) {
                match n.kind() {
                    EventKind::ConnectFailed { host, port, .. } => {
                        d.host = Some(host.to_string());
                        d.port = d.port.or_else(|| port.parse().ok());
                    }
                    EventKind::ResolveFailed { host, .. } => d.host = Some(host.to_string()),
                    // `Unable to negotiate with ADDR port P: ...`
                    EventKind::NoMatchingAlgorithm { address, port, .. } => {
                        d.host = Some(address.to_string());
                        // 0: a port the poster replaced (`port xxxxx`).
                        d.port = d.port.or(Some(*port).filter(|p| *p != 0));
                    }
                    _ => {}
                }
            }
        }
        // Where the connection ended names the peer too (`Connection reset
        // by A port P`, `Connection to H closed.`); through a proxy it is
        // `UNKNOWN`, not a host.
        if d.host.is_none() {
            let peer = self.events.iter().rev().find_map(|n| match n.kind() {
                EventKind::ConnectionClosedBy { address, port }
                | EventKind::ConnectionResetBy { address, port }
                | EventKind::ConnectionTimedOutPkt { address, port }
                | EventKind::ConnectionError { address, port, .. }
                | EventKind::ReceivedDisconnect { address, port, .. }
                | EventKind::Disconnected { address, port } => Some((&**address, Some(*port))),
                EventKind::ConnectTimeout { host }
                | EventKind::ConnectionClosed { host }
                | EventKind::ClosedByRemote { host }
                | EventKind::ServerNotResponding { host } => Some((&**host, None)),
                // `No ED25519 host key is known for [H]:P and ...`
                EventKind::HostKeyUnknownStrict { host, .. }
                | EventKind::HostAuthenticityUnknown { host } => known_hosts_parts(host),
                _ => None,
            });
            if let Some((host, port)) = peer.filter(|(h, _)| !h.is_empty() && *h != "UNKNOWN") {
                d.host = Some(host.to_string());
                d.port = d.port.or(port);
            }
        }
        // ssh's password prompt names both: `bob@h's password:`.
        if d.user.is_none() || d.host.is_none() {
            let prompt = self.events.iter().find_map(|n| match n.kind() {
                EventKind::PasswordPrompt { prompt } => prompt_destination(prompt),
                _ => None,
            });
            if let Some((user, host)) = prompt {
                d.user.get_or_insert_with(|| user.to_string());
                d.host.get_or_insert_with(|| host.to_string());
            }
        }
        // The server's log names the user and its own address.
        if let Some(s) = &self.server {
            if d.user.is_none() {
                d.user.clone_from(&s.user);
            }
            if let Some((addr, port)) = &s.local {
                if d.host.is_none() {
                    d.host = Some(addr.clone());
                }
                d.port.get_or_insert(*port);
            }
        }
        d
    }

    /// The home directory seen in paths (`/home/u/.ssh/...`), decoded.
    pub fn ssh_dir(&self) -> Option<String> {
        let path = self.events.iter().find_map(|n| match n.kind() {
            EventKind::IdentityFile { path, .. } | EventKind::ReadingConfig { path } => {
                let p = unvis(path);
                let i = p.find(".ssh/").or_else(|| p.find(".ssh\\"))?;
                Some(p[..i + 4].to_string())
            }
            _ => None,
        })?;
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_facts() {
        let c = CommandLine::parse(1, "ssh", "-vvv -i ~/.ssh/id_ed25519 -p2222 -o 'StrictHostKeyChecking=no' -J bastion pi@raspberrypi.local uptime");
        assert_eq!(c.verbosity, 3);
        assert_eq!(c.identities, vec!["~/.ssh/id_ed25519"]);
        assert_eq!(c.port, Some(2222));
        assert_eq!(c.jump.as_deref(), Some("bastion"));
        assert_eq!(c.option("StrictHostKeyChecking"), Some("no"));
        assert_eq!(c.destination.as_deref(), Some("pi@raspberrypi.local"));
    }

    #[test]
    fn git_command_lines() {
        let c = CommandLine::parse(
            1,
            "GIT_SSH_COMMAND",
            "\"ssh -v -i ~/.ssh/deploy\" git clone git@github.com:o/r.git",
        );
        assert_eq!(c.identities, vec!["~/.ssh/deploy"]);
        assert_eq!(c.destination.as_deref(), Some("git@github.com"));
        let g = CommandLine::parse(1, "git", "clone ssh://alice@127.0.0.1:2201/~/repos/p.git");
        assert_eq!(g.destination.as_deref(), Some("alice@127.0.0.1"));
    }

    #[test]
    fn wrapper_options_are_not_the_destination() {
        let m = CommandLine::parse(1, "mosh", "-p 60000 --ssh=\"ssh -p 2222\" nikola@192.0.2.7");
        assert_eq!(m.destination.as_deref(), Some("nikola@192.0.2.7"));
        assert_eq!(m.port, None);
        let r = CommandLine::parse(1, "rsync", "-av --rsh=ssh ./d u@h:/srv");
        assert!(r
            .destination
            .as_deref()
            .is_none_or(|d| !d.starts_with("--")));
    }

    #[test]
    fn rsync_options_are_its_own_and_its_rsh_is_ssh() {
        let r = CommandLine::parse(1, "rsync", "-avz -e 'ssh -p 2222 -i ~/.ssh/k' ./d u@h:/srv");
        assert_eq!(r.port, Some(2222));
        assert_eq!(r.identities, ["~/.ssh/k"]);
        assert_eq!(r.destination.as_deref(), Some("u@h"));
        assert!(r.stray_ssh_options.is_empty());
        let r = CommandLine::parse(1, "rsync", "-avze \"ssh -p 2201\" ./d u@h:/srv");
        assert_eq!(r.port, Some(2201));
        // -p and -i are rsync's own flags here, not ssh's.
        let r = CommandLine::parse(1, "rsync", "-p -i -a ./d u@h:/srv");
        assert_eq!((r.port, r.identities.len()), (None, 0));
        // `-e ssh` unquoted: what follows is rsync's, and is named.
        let r = CommandLine::parse(
            1,
            "rsync",
            "-e ssh -p 22 -i ~/.ssh/deploy_key -o X=no --archive ./b/ u@h:/var/",
        );
        assert_eq!((r.port, r.identities.len()), (None, 0));
        let stray: Vec<String> = r
            .stray_ssh_options
            .iter()
            .map(|(f, v)| format!("{f} {v}"))
            .collect();
        assert_eq!(stray, ["-p 22", "-i ~/.ssh/deploy_key"]);
        assert_eq!(r.destination.as_deref(), Some("u@h"));
    }

    #[test]
    fn shell_word_splitting() {
        assert_eq!(
            shell_words(r#"a 'b c' "d \" e" f\ g"#),
            vec!["a", "b c", "d \" e", "f g"]
        );
        assert!(shell_words("").is_empty());
        // Another command after a pipe, and redirections, are not ssh's.
        assert_eq!(
            shell_words("-v u@h 2>&1 | grep -i 'kex: algorithm'"),
            vec!["-v", "u@h"]
        );
        assert_eq!(shell_words("-v h 2> log.txt; echo done"), vec!["-v", "h"]);
        assert_eq!(shell_words("-v h >out 2>&1 && ls"), vec!["-v", "h"]);
        assert_eq!(
            shell_words("-o 'ProxyCommand=a | b' h"),
            vec!["-o", "ProxyCommand=a | b", "h"]
        );
        // A placeholder is a word; a quoted `>` too.
        assert_eq!(
            shell_words("-p 22 <user>@<IP> '>x'"),
            vec!["-p", "22", "<user>@<IP>", ">x"]
        );
        assert_eq!(shell_words("<IP>"), vec!["<IP>"]);
    }
}
