//! Typed events: what one line of OpenSSH client output means.
//!
//! The grammar turns every logical input line into one [`Event`]. Events
//! borrow from the line (`Cow::Borrowed`) while parsing and become owned
//! ([`Event::into_owned`]) only when the trace keeps them as evidence.
//! `Other` holds recognisable ssh output without a specific parser, `Text`
//! everything else: no line is ever dropped.

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use std::borrow::Cow;

/// A string field, borrowed from the input line while parsing.
pub type Text<'a> = Cow<'a, str>;

/// Conversion of an event field to its `'static` form.
pub trait IntoOwned {
    /// The owned type.
    type Owned;
    /// Converts, copying borrowed strings.
    fn into_owned(self) -> Self::Owned;
}

impl IntoOwned for Cow<'_, str> {
    type Owned = Cow<'static, str>;
    fn into_owned(self) -> Cow<'static, str> {
        Cow::Owned(Cow::into_owned(self))
    }
}

impl<T: IntoOwned> IntoOwned for Option<T> {
    type Owned = Option<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        self.map(IntoOwned::into_owned)
    }
}

macro_rules! copy_into_owned {
    ($($t:ty),*) => {$(
        impl IntoOwned for $t {
            type Owned = $t;
            fn into_owned(self) -> $t { self }
        }
    )*};
}
copy_into_owned!(u16, u32, u64, i32, bool, Level, Errno, KexItem, Side);

/// The log level a line was printed at, as far as the line shows it.
///
/// On stderr only debug levels carry a prefix; info, error and fatal lines
/// look alike and are all [`Level::Plain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Level {
    /// No level prefix (info, verbose, error, fatal, or not ssh at all).
    Plain,
    /// `debug1: `
    Debug1,
    /// `debug2: `
    Debug2,
    /// `debug3: `
    Debug3,
}

/// A comma-separated list (methods, algorithms), serialized as an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<'a>(pub Text<'a>);

impl List<'_> {
    /// The non-empty items.
    pub fn items(&self) -> impl Iterator<Item = &str> {
        self.0.split(',').map(str::trim).filter(|s| !s.is_empty())
    }

    /// Whether `item` is one of the items.
    pub fn contains(&self, item: &str) -> bool {
        self.items().any(|i| i == item)
    }
}

impl Serialize for List<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for item in self.items() {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

impl IntoOwned for List<'_> {
    type Owned = List<'static>;
    fn into_owned(self) -> List<'static> {
        List(IntoOwned::into_owned(self.0))
    }
}

/// A key as ssh describes it: `PATH TYPE SHA256:FP [explicit] [agent] ...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity<'a> {
    /// File path or agent comment.
    pub path: Text<'a>,
    /// `ED25519`, `RSA`, `ED25519-CERT`, `ECDSA-SK` ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_type: Option<Text<'a>>,
    /// `SHA256:...` or `MD5:...`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<Text<'a>>,
    /// The key came from the agent.
    pub agent: bool,
    /// Named explicitly (`-i` / `IdentityFile`).
    pub explicit: bool,
}

impl Identity<'_> {
    /// The bytes of text it holds.
    pub fn bytes(&self) -> usize {
        self.path.len()
            + self.key_type.as_ref().map_or(0, |t| t.len())
            + self.fingerprint.as_ref().map_or(0, |f| f.len())
    }

    /// Whether this is a certificate.
    pub fn is_certificate(&self) -> bool {
        self.key_type
            .as_deref()
            .is_some_and(|t| t.ends_with("-CERT"))
    }

    /// Whether this is a FIDO security key (`-SK`).
    pub fn is_security_key(&self) -> bool {
        self.key_type
            .as_deref()
            .is_some_and(|t| t.contains("-SK") || t.starts_with("SK-"))
    }
}

impl IntoOwned for Identity<'_> {
    type Owned = Identity<'static>;
    fn into_owned(self) -> Identity<'static> {
        Identity {
            path: IntoOwned::into_owned(self.path),
            key_type: self.key_type.into_owned(),
            fingerprint: self.fingerprint.into_owned(),
            agent: self.agent,
            explicit: self.explicit,
        }
    }
}

/// A system error text (`strerror`, `gai_strerror`, Windows texts) sorted
/// into the kinds a diagnosis cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Errno {
    /// `Connection refused`
    Refused,
    /// `Connection timed out`, `Operation timed out`
    TimedOut,
    /// `No route to host`
    NoRoute,
    /// `Network is unreachable`
    NetUnreachable,
    /// `Connection reset by peer`
    Reset,
    /// `Broken pipe`
    BrokenPipe,
    /// `Name or service not known` and its spellings on other systems
    UnknownHost,
    /// `Temporary failure in name resolution`
    DnsTemporary,
    /// `No such file or directory`
    NotFound,
    /// `Permission denied`
    PermissionDenied,
    /// `Address already in use`
    AddressInUse,
    /// `Not supported`, `Operation not supported`
    NotSupported,
    /// `Resource temporarily unavailable` (EAGAIN): WSL 1's word for a
    /// connect that got no answer.
    Again,
    /// Anything else
    Other,
}

impl Errno {
    /// Classifies an error text.
    pub fn classify(text: &str) -> Errno {
        if let Some((_, e)) = Self::STRERROR.iter().find(|(s, _)| *s == text) {
            return *e;
        }
        if let Some(e) = Self::localized(text) {
            return e;
        }
        Self::by_search(text)
    }

    /// The C library's own texts for the common cases, matched whole before
    /// any searching (they are most of what ssh prints).
    const STRERROR: &'static [(&'static str, Errno)] = &[
        ("No such file or directory", Errno::NotFound),
        ("Connection refused", Errno::Refused),
        ("Permission denied", Errno::PermissionDenied),
        ("Connection timed out", Errno::TimedOut),
        ("Operation timed out", Errno::TimedOut),
        ("No route to host", Errno::NoRoute),
        ("Network is unreachable", Errno::NetUnreachable),
        ("Connection reset by peer", Errno::Reset),
        ("Broken pipe", Errno::BrokenPipe),
        ("Name or service not known", Errno::UnknownHost),
        ("Temporary failure in name resolution", Errno::DnsTemporary),
        ("Address already in use", Errno::AddressInUse),
        ("Operation not supported", Errno::NotSupported),
        ("Resource temporarily unavailable", Errno::Again),
    ];

    /// Classifies by the words an error text contains, in any case.
    fn by_search(text: &str) -> Errno {
        let t = text.to_ascii_lowercase();
        let has = |s: &str| crate::grammar::primitives::find(&t, s).is_some();
        if has("refused") {
            Errno::Refused
        } else if has("timed out") || has("timeout") || has("did not properly respond") {
            Errno::TimedOut
        } else if has("no route") || has("host is down") || has("host is unreachable") {
            Errno::NoRoute
        } else if has("network is unreachable") || has("unreachable network") {
            Errno::NetUnreachable
        } else if has("reset by peer")
            || has("connection reset")
            || has("forcibly closed")
            // ECONNABORTED: `Connection aborted` (musl), `Software caused
            // connection abort` (glibc, BSD), Windows' `... was aborted`.
            || has("connection abort")
            || has("connection was aborted")
        {
            Errno::Reset
        } else if has("broken pipe") {
            Errno::BrokenPipe
        } else if has("temporary failure")
            || has("try again")
            || has("non-recoverable failure")
            // Windows' WSATRY_AGAIN, in English and (accents escaped by
            // ssh or not) in Spanish, Portuguese, French, German.
            || has("temporary error")
            || has("error temporal")
            || has("erro tempor")
            || has("erreur temporaire")
            || has("bergehender fehler")
        {
            Errno::DnsTemporary
        } else if has("not known")
            || has("no such host")
            || has("nodename nor servname")
            || has("no address associated")
            || has("host not found")
        {
            Errno::UnknownHost
        } else if has("no such file") || has("cannot find the file") {
            Errno::NotFound
        } else if has("permission denied") || has("access is denied") {
            Errno::PermissionDenied
        } else if has("address already in use") || has("only one usage of each socket") {
            Errno::AddressInUse
        } else if has("not supported") {
            Errno::NotSupported
        } else if has("temporarily unavailable") {
            Errno::Again
        } else {
            Errno::Other
        }
    }
}

impl Errno {
    /// Windows socket errors in the user's language (OpenSSH for Windows
    /// prints the system's message): Japanese, Chinese, Korean, German,
    /// French, Spanish texts of the common ones.
    fn localized(text: &str) -> Option<Errno> {
        const TABLE: &[(&str, Errno)] = &[
            ("拒否されたため", Errno::Refused),
            ("积极拒绝", Errno::Refused),
            ("積極拒絕", Errno::Refused),
            ("거부했으므로", Errno::Refused),
            ("Zielcomputer die Verbindung verweigerte", Errno::Refused),
            (
                "l’ordinateur cible l’a expressément refusée",
                Errno::Refused,
            ),
            ("el equipo de destino denegó", Errno::Refused),
            ("正しく応答しなかった", Errno::TimedOut),
            ("没有正确答复", Errno::TimedOut),
            ("沒有正確回應", Errno::TimedOut),
            ("올바르게 응답하지 않았거나", Errno::TimedOut),
            ("Zeitspanne nicht ordnungsgemäß reagiert", Errno::TimedOut),
            ("ホストは不明です", Errno::UnknownHost),
            ("不知道这样的主机", Errno::UnknownHost),
            ("不知道這樣的主機", Errno::UnknownHost),
            ("호스트를 알 수 없습니다", Errno::UnknownHost),
            ("Der angegebene Host ist unbekannt", Errno::UnknownHost),
            ("到達できないネットワーク", Errno::NetUnreachable),
            ("无法访问的网络", Errno::NetUnreachable),
            ("到達できないホスト", Errno::NoRoute),
            ("无法访问的主机", Errno::NoRoute),
            (
                "既存の接続はリモート ホストに強制的に切断されました",
                Errno::Reset,
            ),
            ("远程主机强迫关闭了一个现有的连接", Errno::Reset),
            ("ホスト名解決時に一時的", Errno::DnsTemporary),
            ("暂时错误", Errno::DnsTemporary),
            ("暫時錯誤", Errno::DnsTemporary),
        ];
        if text.is_ascii() {
            return None;
        }
        TABLE
            .iter()
            .find(|(needle, _)| text.contains(needle))
            .map(|(_, e)| *e)
    }
}

/// Which negotiation failed in `Unable to negotiate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KexItem {
    /// `no matching key exchange method found`
    Kex,
    /// `no matching host key type found`
    HostKey,
    /// `no matching cipher found`
    Cipher,
    /// `no matching MAC found`
    Mac,
    /// `no matching compression method found`
    Compression,
}

/// The side of a negotiation or a proposal, or who wrote a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Side {
    /// This client.
    Client,
    /// The server.
    Server,
}

macro_rules! event_kinds {
    ($(
        $(#[$vm:meta])*
        $name:ident { $( $(#[$fm:meta])* $field:ident : $ty:ty ),* $(,)? }
    ),* $(,)?) => {
        /// What a line means. The JSON `kind` is the snake_case variant name.
        // Fields are named after the message parts shown in each variant's doc.
        #[allow(missing_docs)]
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum EventKind<'a> {
            $( $(#[$vm])* $name { $( $(#[$fm])* $field: $ty ),* } ),*
        }

        impl<'a> EventKind<'a> {
            /// Copies borrowed strings so the event outlives its line.
            pub fn into_owned(self) -> EventKind<'static> {
                match self {
                    $( EventKind::$name { $($field),* } => EventKind::$name {
                        $( $field: IntoOwned::into_owned($field) ),*
                    } ),*
                }
            }

            /// Who wrote the line: `Sshd*` events are the server's log.
            pub fn side(&self) -> Side {
                if self.name().starts_with("Sshd") {
                    Side::Server
                } else {
                    Side::Client
                }
            }

            /// The variant's name in CamelCase.
            pub fn name(&self) -> &'static str {
                match self {
                    $( EventKind::$name { .. } => stringify!($name) ),*
                }
            }

            /// Every variant name, for documentation and coverage tests.
            pub const NAMES: &'static [&'static str] = &[$( stringify!($name) ),*];

            /// The variant's position in [`EventKind::NAMES`].
            pub fn index(&self) -> usize {
                #[allow(dead_code)]
                enum Index { $( $name ),* }
                match self {
                    $( EventKind::$name { .. } => Index::$name as usize ),*
                }
            }
        }
    };
}

event_kinds! {
    // ---- header, command line, config ----
    /// `OpenSSH_9.2p1 Debian-2, OpenSSL 3.0.11 19 Sep 2023` (the first `-v` line).
    ClientVersion { version: Text<'a>, crypto: Option<Text<'a>> },
    /// `debug3: Running on Linux 6.1 ...` (10.0+).
    RunningOn { system: Text<'a> },
    /// A command line: `$ ssh -v -p 2222 user@host`, `Started with: ...`,
    /// Ansible's `SSH: EXEC ssh ...`, `GIT_SSH_COMMAND=...`.
    Command { program: Text<'a>, args: Text<'a> },
    /// Ansible's result for one host whose connection failed: `HOST |
    /// UNREACHABLE! => {` or `fatal: [HOST]: UNREACHABLE! => {...}`. Each
    /// is an attempt of its own.
    HostUnreachable { host: Text<'a> },
    /// `Reading configuration data PATH`
    ReadingConfig { path: Text<'a> },
    /// `PATH line N: Applying options for PATTERN`
    ApplyingOptions { path: Text<'a>, line_no: u32, pattern: Text<'a> },
    /// `PATH line N: include PATTERN matched no files`
    IncludeNoMatch { path: Text<'a>, pattern: Text<'a> },
    /// `PATH line N: Bad configuration option: OPT` / `Unsupported option "OPT"`
    BadOption { path: Text<'a>, line_no: u32, option: Text<'a>, unsupported: bool },
    /// `PATH line N: Deprecated option "OPT"`
    DeprecatedOption { path: Text<'a>, line_no: u32, option: Text<'a> },
    /// `PATH: terminating, N bad configuration options`
    ConfigTerminating { path: Text<'a>, count: u32 },
    /// `PATH line N: keyword X extra arguments at end of line` and similar value errors.
    BadConfigValue { path: Text<'a>, line_no: u32, message: Text<'a> },
    /// `Bad owner or permissions on PATH`
    BadConfigPermissions { path: Text<'a> },
    /// `Can't open user config file PATH: ERR`
    ConfigOpenFailed { path: Text<'a>, error: Text<'a>, errno: Errno },
    /// `Bad port 'X'.`, `Bad local forwarding specification 'X'`, `Bad escape character 'X'.` ...
    BadArgument { what: Text<'a>, value: Text<'a> },
    /// `usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] ...`
    Usage {},
    /// `Warning: Identity file PATH not accessible: ERR.`
    IdentityNotAccessible { path: Text<'a>, error: Text<'a> },
    /// `no such identity: PATH: ERR`
    NoSuchIdentity { path: Text<'a>, error: Text<'a> },
    /// `identity file PATH type N`
    IdentityFile { path: Text<'a>, key_type: i32 },
    /// `loaded pubkey from PATH: TYPE FP` (10.x)
    LoadedPubkey { path: Text<'a> },
    /// `no pubkey loaded from PATH` (10.x)
    NoPubkeyLoaded { path: Text<'a> },
    /// `Will attempt key: IDENTITY`
    WillAttemptKey { identity: Identity<'a> },
    /// `key: PATH (0x55d0...)` / `key: PATH ((nil))`: a key candidate (debug2, before 7.9).
    KeyCandidate { path: Text<'a>, loaded: bool },
    /// `get_agent_identities: agent returned N keys`
    AgentKeys { count: u32 },
    /// The agent cannot be reached: `ssh_get_authentication_socket: ERR`,
    /// `Could not open a connection to your authentication agent.`,
    /// `communication with agent failed`, `error fetching identities`.
    AgentUnavailable { error: Text<'a> },
    /// `Setting implicit ProxyCommand from ProxyJump: CMD`
    ProxyJumpCommand { command: Text<'a> },
    /// `Executing proxy command: exec CMD` / `Executing proxy dialer command: ...`
    ProxyCommandExec { command: Text<'a> },
    /// A shell's `... : PROG: No such file or directory` / `command not found`
    /// (a ProxyCommand or remote command program missing).
    ShellNotFound { program: Text<'a>, error: Text<'a> },
    /// `posix_spawnp: ERR` / `CreateProcessW failed error:N` (Windows ProxyCommand).
    SpawnFailed { error: Text<'a> },
    /// `Authenticating to HOST:PORT as 'USER'`
    AuthenticatingAs { host: Text<'a>, port: u16, user: Text<'a> },
    /// `resolve_canonicalize: hostname H is address` and the like.
    Canonicalize { host: Text<'a> },
    // ---- resolve and connect ----
    /// `ssh: Could not resolve hostname H: ERR`
    ResolveFailed { host: Text<'a>, error: Text<'a>, errno: Errno },
    /// `Connecting to HOST [ADDR] port P.`
    Connecting { host: Text<'a>, address: Text<'a>, port: u16 },
    /// `connect to address A port P: ERR` (debug1, one per address tried)
    ConnectAddressFailed { address: Text<'a>, port: u16, error: Text<'a>, errno: Errno },
    /// `ssh: connect to host H port P: ERR` (final)
    ConnectFailed { host: Text<'a>, port: Text<'a>, error: Text<'a>, errno: Errno },
    /// `Connection established.`
    Connected {},
    /// `ssh_connect_direct` / `fd N clearing O_NONBLOCK` style connection bookkeeping.
    ConnectDetail { text: Text<'a> },
    /// `getaddrinfo ... : ERR` and `Connection timed out` printed by ConnectTimeout.
    ConnectTimeout { host: Text<'a> },
    // ---- banner / version exchange ----
    /// `Local version string SSH-2.0-...`
    LocalVersion { version: Text<'a> },
    /// `Remote protocol version 2.0, remote software version SOFTWARE`
    RemoteVersion { protocol: Text<'a>, software: Text<'a> },
    /// `compat_banner: match: SOFTWARE pat P compat 0xN` / `no match: ...`
    CompatMatch { software: Text<'a> },
    /// `kex_exchange_identification: banner line N: TEXT` (non-SSH lines before the banner)
    BannerLine { number: u32, text: Text<'a> },
    /// `kex_exchange_identification: Connection closed by remote host`
    /// (`ssh_exchange_identification` before 8.0)
    IdentClosed { legacy: bool },
    /// `kex_exchange_identification: read: ERR`
    IdentReadFailed { legacy: bool, error: Text<'a>, errno: Errno },
    /// `kex_exchange_identification: banner line contains invalid characters`,
    /// `No banner received`, `Bad protocol version identification`, ...
    IdentInvalid { detail: Text<'a> },
    /// `Protocol major versions differ: LOCAL vs. REMOTE`: the peer speaks
    /// another major version of the SSH protocol (SSH-1).
    ProtocolMismatch { local: u32, remote: u32 },
    /// `Connection timed out during banner exchange`
    BannerTimeout {},
    /// `TAG: Connection to ADDR port P: ERR` (`sshpkt_fatal`: `banner exchange`,
    /// `ssh_dispatch_run_fatal`, `packet_write_wait`, `send packet`, ...)
    ConnectionError { tag: Text<'a>, address: Text<'a>, port: u16, error: Text<'a>, errno: Errno },
    /// `Connection closed by ADDR port P` (also `UNKNOWN port 65535` behind a ProxyCommand)
    ConnectionClosedBy { address: Text<'a>, port: u16 },
    /// `Connection reset by ADDR port P`
    ConnectionResetBy { address: Text<'a>, port: u16 },
    /// `Connection to ADDR port P timed out`
    ConnectionTimedOutPkt { address: Text<'a>, port: u16 },
    // ---- key exchange ----
    /// `SSH2_MSG_KEXINIT sent` / `expecting SSH2_MSG_KEX_ECDH_REPLY` / `SSH2_MSG_NEWKEYS received` ...
    KexMessage { message: Text<'a>, expecting: bool, sent: bool },
    /// `kex: algorithm: NAME`
    KexAlgorithm { name: Text<'a> },
    /// `kex: host key algorithm: NAME`
    KexHostKeyAlgorithm { name: Text<'a> },
    /// `kex: server->client cipher: C MAC: M compression: Z`
    KexCipher { direction: Text<'a>, cipher: Text<'a>, mac: Text<'a>, compression: Text<'a> },
    /// `local client KEXINIT proposal` / `peer server KEXINIT proposal` headers (debug2)
    KexProposalHeader { side: Side },
    /// `KEX algorithms: LIST` and the other proposal lines (debug2)
    KexProposal { field: Text<'a>, list: List<'a> },
    /// `Unable to negotiate with ADDR port P: no matching X found. Their offer: LIST`
    NoMatchingAlgorithm { address: Text<'a>, port: u16, item: KexItem, their_offer: List<'a> },
    /// `kex_input_ext_info: server-sig-algs=<LIST>`
    ServerSigAlgs { algorithms: List<'a> },
    /// `kex_input_ext_info: NAME=<VALUE>` (other extensions)
    ExtInfo { name: Text<'a>, value: Text<'a> },
    /// `** WARNING: connection is not using a post-quantum key exchange algorithm.` (10.1+)
    PostQuantumWarning {},
    /// The two lines after the post-quantum warning.
    PostQuantumDetail { text: Text<'a> },
    /// `Server host key: TYPE FP`
    ServerHostKey { key_type: Text<'a>, fingerprint: Text<'a> },
    /// `Server host certificate: TYPE FP, serial N ID "X" CA TYPE FP valid from A to B`
    ServerHostCertificate { text: Text<'a> },
    /// `rekey out after N blocks` / `rekey in after ...`
    Rekey { text: Text<'a> },
    /// `Remote: Forced command.`-style text and other `Remote: ...` messages from the server.
    RemoteMessage { text: Text<'a> },
    /// `Corrupted MAC on input.`
    CorruptedMac {},
    /// `Bad packet length N.`
    BadPacketLength { length: Text<'a> },
    /// `Disconnecting ADDR port P: REASON`
    Disconnecting { peer: Text<'a>, reason: Text<'a> },
    /// `ssh_dispatch_run_fatal: ... message authentication code incorrect` and
    /// `ssh_packet_read: ...` transport errors without an address.
    TransportError { text: Text<'a> },
    // ---- host key ----
    /// `Host 'H' is known and matches the TYPE host key.`
    HostKeyKnown { host: Text<'a>, key_type: Text<'a> },
    /// `Found key in PATH:N`
    HostKeyFoundIn { path: Text<'a>, line_no: u32 },
    /// `load_hostkeys: fopen PATH: ERR`
    KnownHostsMissing { path: Text<'a> },
    /// `@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @`
    HostKeyChangedBanner {},
    /// `@       WARNING: POSSIBLE DNS SPOOFING DETECTED!          @`
    DnsSpoofingBanner {},
    /// `@@@@@@@@@@@@@@@@` frame lines and the fixed sentences of the warning blocks.
    WarningBlockText { text: Text<'a> },
    /// `The fingerprint for the TYPE key sent by the remote host is`
    FingerprintIntro { key_type: Text<'a> },
    /// A bare `SHA256:...` fingerprint line (continuation of the block above).
    FingerprintLine { fingerprint: Text<'a> },
    /// `Add correct host key in PATH to get rid of this message.`
    AddCorrectHostKey { path: Text<'a> },
    /// `Offending TYPE key in PATH:N`
    OffendingKey { key_type: Text<'a>, path: Text<'a>, line_no: u32 },
    /// `Offending key for IP in PATH:N`
    OffendingIpKey { path: Text<'a>, line_no: u32 },
    /// `Matching host key in PATH:N`
    MatchingHostKey { path: Text<'a>, line_no: u32 },
    /// `  remove with:` / `  ssh-keygen -f PATH -R HOST`
    RemoveWith { command: Option<Text<'a>> },
    /// `TYPE host key for H has changed and you have requested strict checking.`
    HostKeyChangedStrict { host: Text<'a> },
    /// `Password authentication is disabled to avoid man-in-the-middle attacks.` and the other disabled features.
    MitmFeatureDisabled { feature: Text<'a> },
    /// `Host key verification failed.`
    HostKeyVerificationFailed {},
    /// `No TYPE host key is known for H and you have requested strict checking.`
    HostKeyUnknownStrict { key_type: Text<'a>, host: Text<'a> },
    /// `The authenticity of host 'H (A)' can't be established.`
    HostAuthenticityUnknown { host: Text<'a> },
    /// `TYPE key fingerprint is FP.`
    KeyFingerprintIs { key_type: Text<'a>, fingerprint: Text<'a> },
    /// `Are you sure you want to continue connecting (yes/no/[fingerprint])?`,
    /// with the answer typed after it when the paste shows one (`yes`).
    ContinueConnectingPrompt { answer: Text<'a> },
    /// `Warning: Permanently added 'H' (TYPE) to the list of known hosts.`
    PermanentlyAdded { host: Text<'a>, key_type: Text<'a> },
    /// `Failed to add the host to the list of known hosts (PATH).`
    KnownHostsAddFailed { path: Text<'a> },
    /// `Warning: the TYPE host key for 'H' differs from the key for the IP address 'A'`
    IpKeyDiffers { key_type: Text<'a>, host: Text<'a>, address: Text<'a> },
    /// `Certificate invalid: REASON`
    CertificateInvalid { reason: Text<'a> },
    /// `No matching CA found. Retry with plain key`
    NoMatchingCa {},
    /// `read_passphrase: can't open /dev/tty: ERR`
    NoTty { error: Text<'a> },
    /// `read_passphrase: requested to askpass`
    AskpassRequested {},
    /// `ssh_askpass: exec(PATH): ERR`
    AskpassFailed { error: Text<'a> },
    // ---- authentication ----
    /// `SSH2_MSG_SERVICE_ACCEPT received`, `SSH2_MSG_EXT_INFO received`
    ServiceAccept {},
    /// `Authentications that can continue: LIST`
    AuthsCanContinue { methods: List<'a> },
    /// `Next authentication method: M`
    NextAuthMethod { method: Text<'a> },
    /// `Offering public key: IDENTITY` (`Offering RSA public key: PATH` before 7.6)
    OfferingKey { identity: Identity<'a> },
    /// `Server accepts key: IDENTITY`
    ServerAcceptsKey { identity: Option<Identity<'a>> },
    /// `Trying private key: PATH`
    TryingPrivateKey { path: Text<'a> },
    /// `Skipping TYPE key PATH - REASON`
    SkippingKey { key_type: Text<'a>, path: Text<'a>, reason: Text<'a> },
    /// `No more authentication methods to try.`
    NoMoreAuthMethods {},
    /// `USER@HOST: Permission denied (METHODS).`
    PermissionDenied { user: Option<Text<'a>>, host: Option<Text<'a>>, methods: List<'a> },
    /// `Permission denied, please try again.`
    PasswordRetry {},
    /// `USER@HOST's password:` and other prompts (`Password:`, `(USER@HOST) Password:`).
    PasswordPrompt { prompt: Text<'a> },
    /// `Enter passphrase for key 'PATH':`
    PassphrasePrompt { path: Text<'a> },
    /// `bad passphrase given, try again...`
    BadPassphrase {},
    /// `Authentication succeeded (METHOD).`
    AuthSucceeded { method: Text<'a> },
    /// `Authenticated to HOST ([ADDR]:PORT) using "METHOD".` (also `(via proxy)`)
    AuthenticatedTo { host: Text<'a>, address: Option<Text<'a>>, port: Option<u16>, method: Option<Text<'a>>, via_proxy: bool },
    /// `Authenticated using "METHOD" with partial success.`
    PartialSuccess { method: Option<Text<'a>> },
    /// `send_pubkey_test: no mutual signature algorithm` / `sign_and_send_pubkey: no mutual signature supported`
    NoMutualSignature {},
    /// `@ WARNING: UNPROTECTED PRIVATE KEY FILE! @`
    UnprotectedKeyBanner {},
    /// `Permissions 0644 for 'PATH' are too open.`
    KeyPermissionsTooOpen { mode: Option<Text<'a>>, path: Text<'a> },
    /// `It is required that your private key files are NOT accessible by others.` / `This private key will be ignored.`
    UnprotectedKeyText { text: Text<'a> },
    /// Windows: `Bad permissions. Try removing permissions for user: ACCOUNT (SID) on file PATH.`
    WindowsBadPermissions { account: Text<'a>, sid: Text<'a>, path: Text<'a> },
    /// `Load key "PATH": REASON`; `public`: `load pubkey "PATH": REASON`
    /// (OpenSSH 8.3+ reading the identity's public half at start, a warning)
    LoadKeyFailed { path: Text<'a>, reason: Text<'a>, public: bool },
    /// `sign_and_send_pubkey: signing failed for TYPE "ID" from agent: REASON`
    SigningFailed { key_type: Option<Text<'a>>, key: Option<Text<'a>>, from_agent: bool, reason: Text<'a> },
    /// `Confirm user presence for key TYPE FP`
    ConfirmUserPresence { key_type: Text<'a> },
    /// Security-key errors: `device not found`, `sk_sign failed`, `Key enrollment failed` ...
    SecurityKeyError { text: Text<'a> },
    /// `Received disconnect from ADDR port P:CODE: REASON`
    ReceivedDisconnect { address: Text<'a>, port: u16, code: u32, reason: Text<'a> },
    /// `Disconnected from ADDR port P`
    Disconnected { address: Text<'a>, port: u16 },
    /// GSSAPI noise: `Unspecified GSS failure`, `No Kerberos credentials available`, ...
    GssapiFailure { text: Text<'a> },
    /// `Server denied authentication request` style agent/host-based lines, and
    /// `userauth_pubkey: ...` refusals without a key.
    AuthRefusedDetail { text: Text<'a> },
    /// `Remote: ...` lines the server sends during auth (authorized_keys options, forced commands).
    AuthBanner { text: Text<'a> },
    // ---- session and channels ----
    /// `channel N: new TYPE [NAME]`
    ChannelNew { channel: u32, channel_type: Text<'a> },
    /// `Entering interactive session.`
    EnteringSession {},
    /// `Sending command: CMD`
    SendingCommand { command: Text<'a> },
    /// `Requesting X11 forwarding ...` / `Requesting authentication agent forwarding.`
    Requesting { what: Text<'a> },
    /// `client_input_channel_req: channel N rtype TYPE reply R`
    ChannelRequest { channel: u32, request: Text<'a> },
    /// `Exit status N`
    ExitStatus { code: i32 },
    /// `Transferred: sent N, received M bytes, in S seconds`
    Transferred { text: Text<'a> },
    /// `Connection to H closed.`
    ConnectionClosed { host: Text<'a> },
    /// `Connection to H closed by remote host.`
    ClosedByRemote { host: Text<'a> },
    /// `Shared connection to H closed.`
    SharedConnectionClosed { host: Text<'a> },
    /// `This account is currently not available.` (nologin), `This service
    /// allows sftp connections only.` (ForceCommand internal-sftp).
    AccountRestricted { text: Text<'a> },
    /// `Could not chdir to home directory D: ERR`: sshd's session, on the
    /// client's terminal after the login (the session goes on in `/`).
    HomeDirMissing { path: Text<'a>, error: Text<'a> },
    /// PAM's account check, relayed by the server: `Your account has expired; please contact
    /// your system administrator.`
    AccountRefused { text: Text<'a> },
    /// `PTY allocation request failed on channel N`
    PtyFailed { channel: u32 },
    /// `scp: Connection closed` / `sftp: Connection closed` (the transfer
    /// program's own last word)
    TransferClosed { program: Text<'a> },
    /// `subsystem request failed on channel N` (the server has no such
    /// subsystem: OpenSSH 9.0+ `scp` asks for `sftp`)
    SubsystemFailed { channel: u32 },
    /// The server's shell could not run its SFTP server: `sh:
    /// /usr/libexec/sftp-server: not found`, `/usr/libexec/sftp-server:
    /// error while loading shared libraries: ...`
    SftpServerFailed { text: Text<'a> },
    /// `Pseudo-terminal will not be allocated because stdin is not a terminal.`
    PtyNotAllocated {},
    /// `channel N: open failed: REASON: DETAIL`
    ChannelOpenFailed { channel: u32, reason: Text<'a>, detail: Text<'a> },
    /// `stdio forwarding failed`
    StdioForwardingFailed {},
    /// `Session open refused by peer` / `session request failed`
    SessionRefused { text: Text<'a> },
    /// `Timeout, server H not responding.`
    ServerNotResponding { host: Text<'a> },
    /// `client_loop: send disconnect: ERR`
    SendDisconnectFailed { error: Text<'a>, errno: Errno },
    /// `Read from remote host H: ERR` / `Write failed: ERR`
    ReadWriteFailed { host: Option<Text<'a>>, error: Text<'a>, errno: Errno },
    /// `Killed by signal N.`
    KilledBySignal { signal: u32 },
    /// `X11 forwarding request failed on channel N`
    X11Failed { channel: u32 },
    /// `Warning: No xauth data; using fake authentication data for X11 forwarding.`
    X11NoXauth {},
    // ---- forwarding ----
    /// `Local connections to LHOST:P forwarded to remote address H:P`
    LocalForward { listen: Text<'a>, target: Text<'a> },
    /// `Remote connections from LHOST:P forwarded to local address H:P`
    RemoteForward { listen: Text<'a>, target: Text<'a> },
    /// `Local forwarding listening on A port P.`
    ForwardListening { address: Text<'a>, port: u16 },
    /// `bind [ADDR]:PORT: ERR` / `bind: ERR`
    BindFailed { address: Option<Text<'a>>, port: Option<u16>, error: Text<'a>, errno: Errno },
    /// `channel_setup_fwd_listener_tcpip: cannot listen to port: P`
    CannotListen { port: u16 },
    /// `Could not request local forwarding.`
    LocalForwardingFailed {},
    /// `Warning: remote port forwarding failed for listen port P` / `Error: ...`
    RemoteForwardingFailed { port: u16, fatal: bool },
    /// `remote forward failure for: listen P, connect H:P`
    RemoteForwardFailure { text: Text<'a> },
    /// `Connection to port P forwarding to H port P requested.`
    ForwardConnectionRequested { text: Text<'a> },
    // ---- multiplexing ----
    /// `Control socket connect(PATH): ERR`
    ControlSocketConnect { path: Text<'a>, error: Text<'a>, errno: Errno },
    /// `ControlSocket PATH already exists, disabling multiplexing`
    ControlSocketExists { path: Text<'a> },
    /// `mux_client_request_session: read from master failed: ERR` and other mux client failures.
    MuxFailure { text: Text<'a> },
    /// `getsockname failed: Not supported`, `unix_listener: ...` (Unix sockets unusable).
    UnixSocketUnsupported { text: Text<'a> },
    /// `auto-mux: Trying existing master` / `Master running (pid=N)`
    MuxInfo { text: Text<'a> },
    // ---- services on top of ssh (git hosting) ----
    /// `Hi USER! You've successfully authenticated, but GitHub does not provide shell access.`
    ServiceGreeting { service: Text<'a>, account: Option<Text<'a>> },
    /// Another SSH client's failure line (PuTTY `FATAL ERROR: ...`, Go
    /// `ssh: handshake failed: ...`, paramiko, JSch), with the client named.
    ForeignFailure { client: Text<'a>, message: Text<'a> },
    /// scp's or sftp's progress meter at 100%: `FILE  100%  12KB  1.2MB/s
    /// 00:00` (a file went across).
    TransferDone { file: Text<'a> },
    /// `/usr/bin/ssh-copy-id: INFO: ...` / `ERROR: ...`: ssh-copy-id at
    /// work (it logs in with a password to install a key).
    CopyIdMessage { text: Text<'a> },
    /// One of OpenSSH's failure messages retyped or paraphrased by hand
    /// (`kex_exchange_identification read connection reset by peer`,
    /// `packet_write_wait connection to ... broken pipe`): its words,
    /// lower-cased, without the punctuation that ssh's own line has.
    Retyped { message: Text<'a> },
    /// `ERROR: Permission to OWNER/REPO denied to USER.`, gitolite `FATAL: ... DENIED`,
    /// `ERROR: We're doing an SSH key audit`, deploy key read-only.
    ServiceAccessDenied { text: Text<'a> },
    /// `ERROR: Repository not found.`, `does not appear to be a git repository`,
    /// GitLab `The project you were looking for could not be found`.
    ServiceNotFound { text: Text<'a> },
    /// `fatal: Could not read from remote repository.` and `Please make sure you have the correct access rights`.
    GitCouldNotRead {},
    /// `fatal: ...` and `error: ...` lines of git itself.
    GitMessage { text: Text<'a> },
    // ---- routine protocol bookkeeping ----
    /// `ssh_packet_send2_wrapped: resetting send seqnr N` (strict KEX, 9.6+ and backports).
    SeqnrReset { direction: Text<'a> },
    /// `client_input_global_request: rtype NAME want_reply N`
    GlobalRequest { request: Text<'a> },
    /// `Sending environment.`, `Sending env NAME = VALUE`, `channel N: setting env NAME = "VALUE"`
    SendingEnv { name: Option<Text<'a>> },
    /// `pledge: network` (the client's sandbox stage; marks an established session).
    Pledge { stage: Text<'a> },
    /// `channel N: free: NAME, nchannels M`
    ChannelFree { channel: u32 },
    /// UpdateHostkeys: `client_input_hostkeys: ...`, `hostkeys_find_by_key_cb: ...`,
    /// `Learned new hostkey: ...`, `The server has updated its host keys.`
    HostkeysUpdate { text: Text<'a> },
    /// `checking without port identifier` and other known_hosts lookup details.
    HostKeyLookup { text: Text<'a> },
    /// `get_agent_identities: bound agent to hostkey`
    AgentBound {},
    /// `Remote host denied X11 forwarding.`, `... failed or refused to allocate a pseudo tty.`,
    /// `... denied authentication agent forwarding.`
    RemoteRefused { what: Text<'a> },
    // ---- the server's log (sshd, Dropbear, ban tools; see grammar::server) ----
    /// `Server listening on A port P.`
    SshdListening { addr: Text<'a>, port: u16 },
    /// `Connection from A port P on B port Q` (VERBOSE), Dropbear's `Child connection from A:P`.
    SshdConnection { addr: Text<'a>, port: u16, local_addr: Option<Text<'a>>, local_port: Option<u16> },
    /// `Invalid user U from A port P`, Dropbear's `Login attempt for nonexistent user`.
    SshdInvalidUser { user: Text<'a>, addr: Text<'a>, port: Option<u16> },
    /// `Accepted|Failed|Partial|Postponed METHOD for [invalid user ]U from A port P ssh2[: KEY]`,
    /// Dropbear's `Bad password attempt for 'U' from A:P`.
    SshdAuth { result: Text<'a>, method: Text<'a>, invalid: bool, user: Text<'a>, addr: Text<'a>, port: u16, key: Option<Text<'a>> },
    /// `Connection closed by [authenticating|invalid ]user U A port P [preauth]`,
    /// `Disconnected from ...`, `Connection reset by ...`, `Received disconnect from A port P:N: TEXT`.
    SshdClosed { how: Text<'a>, user: Option<Text<'a>>, addr: Text<'a>, port: u16, preauth: bool, reason: Option<Text<'a>> },
    /// `maximum authentication attempts exceeded for [invalid user ]U from A port P ssh2`
    SshdMaxAuthTries { user: Text<'a>, addr: Text<'a>, port: u16 },
    /// `Authentication refused: bad ownership or modes for directory D` (or `for file F`).
    SshdStrictModes { path: Text<'a>, what: Text<'a> },
    /// `Could not open user 'U' authorized keys 'F': ERR`, `User 'U' authorized keys F is not a regular file`.
    SshdKeysUnreadable { user: Option<Text<'a>>, path: Text<'a>, error: Text<'a> },
    /// `User U from A not allowed because not listed in AllowUsers` (DenyUsers, AllowGroups, DenyGroups).
    SshdNotAllowed { user: Text<'a>, addr: Option<Text<'a>>, rule: Text<'a> },
    /// `User U not allowed because shell S does not exist` / `account is locked`, `Account U has expired`.
    SshdAccountUnusable { user: Text<'a>, why: Text<'a> },
    /// `ROOT LOGIN REFUSED FROM A port P`, Dropbear's `root login rejected`.
    SshdRootRefused { addr: Option<Text<'a>> },
    /// `userauth_pubkey: key type T not in PubkeyAcceptedAlgorithms` (`signature algorithm T`, `PubkeyAcceptedKeyTypes`).
    SshdKeyTypeRefused { algorithm: Text<'a>, option: Text<'a> },
    /// `drop connection #N from [A]:P on [B]:Q past MaxStartups` (or `penalty: REASON`),
    /// `beginning MaxStartups throttling`.
    SshdDropped { addr: Option<Text<'a>>, port: Option<u16>, reason: Text<'a> },
    /// `Unable to negotiate with A port P: no matching WHAT found. Their offer: X [preauth]`
    SshdNegotiate { addr: Text<'a>, port: u16, what: Text<'a>, offer: Text<'a> },
    /// `banner exchange: Connection from A port P: invalid format`,
    /// `Bad protocol version identification 'X' from A port P`.
    SshdBadBanner { text: Text<'a> },
    /// sshd cannot start: `no hostkeys available -- exiting.`, `Bind to port P on A failed: ...`,
    /// `Missing privilege separation directory: D`, `FILE line N: Bad configuration option: X`,
    /// systemd's `Failed to start ... OpenBSD Secure Shell server`.
    SshdStartFailed { text: Text<'a> },
    /// A ban: fail2ban `[sshd] Ban A`, sshguard `Blocking "A/32" ...`, TCP wrappers
    /// `refused connect from A`, CrowdSec `ban on Ip A`.
    SshdBanned { addr: Text<'a>, by: Text<'a> },
    /// `Starting session: ...`, `pam_unix(sshd:session): session opened for user U`
    SshdSession { text: Text<'a> },
    /// sshd could not set up the session after the login: `bad ownership or modes for chroot
    /// directory component "/"`, `Could not chdir to home directory D: ...`, `subsystem request
    /// for sftp by user U failed, subsystem not found`.
    SshdSessionFailed { text: Text<'a> },
    /// sshd could not listen on a remote forward's port (`-R`):
    /// `channel_setup_fwd_listener[_tcpip]: cannot listen to port: P`.
    SshdForwardRefused { port: u16 },
    /// `User child is on pid N`: the connection's lines go on under the child's pid.
    SshdChild { pid: u32 },
    /// Any other line of the server's log (sshd or another program in it).
    SshdOther { program: Option<Text<'a>>, text: Text<'a> },
    // ---- fallbacks ----
    /// ssh output without a specific parser (it had a level or function prefix).
    Other { function: Option<Text<'a>>, text: Text<'a> },
    /// A line that is not ssh output: remote output, wrapper text, notes.
    Text { text: Text<'a> },
}

/// One parsed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event<'a> {
    /// 1-based line number in the input.
    pub line: usize,
    /// Time of day in milliseconds, when the input had timestamps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<u64>,
    /// The log level prefix of the line.
    pub level: Level,
    /// What the line means.
    #[serde(flatten)]
    pub kind: EventKind<'a>,
}

impl Event<'_> {
    /// Copies borrowed strings so the event outlives its line.
    pub fn into_owned(self) -> Event<'static> {
        Event {
            line: self.line,
            time_ms: self.time_ms,
            level: self.level,
            kind: self.kind.into_owned(),
        }
    }

    /// Whether the line is ssh output (anything but [`EventKind::Text`]).
    pub fn is_ssh(&self) -> bool {
        !matches!(self.kind, EventKind::Text { .. })
    }
}

/// Converts `CamelCase` to `snake_case` (event kind names in text output).
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_strerror_texts_classify_as_the_search_would() {
        for (text, errno) in Errno::STRERROR {
            assert_eq!(Errno::by_search(text), *errno, "{text}");
        }
    }

    #[test]
    fn errno_classification() {
        assert_eq!(Errno::classify("Connection refused"), Errno::Refused);
        assert_eq!(Errno::classify("Operation timed out"), Errno::TimedOut);
        assert_eq!(
            Errno::classify("nodename nor servname provided, or not known"),
            Errno::UnknownHost
        );
        assert_eq!(
            Errno::classify("Temporary failure in name resolution"),
            Errno::DnsTemporary
        );
        assert_eq!(
            Errno::classify("No such host is known. "),
            Errno::UnknownHost
        );
        assert_eq!(Errno::classify("frobnicated"), Errno::Other);
        for aborted in [
            "Connection aborted",
            "Software caused connection abort",
            "An established connection was aborted by the software in your host machine.",
        ] {
            assert_eq!(Errno::classify(aborted), Errno::Reset, "{aborted}");
        }
        assert_eq!(
            Errno::classify("接続済みの呼び出し先が一定の時間を過ぎても正しく応答しなかったため、接続できませんでした。"),
            Errno::TimedOut
        );
        assert_eq!(
            Errno::classify("由于目标计算机积极拒绝，无法连接。"),
            Errno::Refused
        );
        assert_eq!(
            Errno::classify("そのようなホストは不明です。 "),
            Errno::UnknownHost
        );
    }

    #[test]
    fn json_shape_has_line_and_kind() {
        let e = Event {
            line: 3,
            time_ms: None,
            level: Level::Debug1,
            kind: EventKind::AuthsCanContinue {
                methods: List("publickey,password".into()),
            },
        };
        let v = serde_json::to_value(&e).expect("serializable");
        assert_eq!(v["line"], 3);
        assert_eq!(v["kind"], "auths_can_continue");
        assert_eq!(v["methods"][1], "password");
    }

    #[test]
    fn snake_case_names() {
        assert_eq!(snake_case("AuthsCanContinue"), "auths_can_continue");
        assert_eq!(snake_case("X11Failed"), "x11_failed");
    }
}
