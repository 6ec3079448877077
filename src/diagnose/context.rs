//! What remediation text needs to know about *this* user: user, host, port,
//! key, platform — and helpers to write commands with them.

use super::platform::{Client, Server};
use super::Step;
use crate::event::EventKind;
use crate::grammar::primitives::unvis;
use crate::lang::Lang;
use crate::shell::{self, sh};
use crate::tr;
use crate::trace::{Fate, Trace};

/// Values for filling in remediation commands. Every value has been checked
/// for its shape ([`crate::shell`]); one that failed is in `refused` instead,
/// and commands use a placeholder for it.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Remote user, if known (a user-name shape; may still need quoting).
    pub user: Option<String>,
    /// Host as typed (or connected to), if known (a host shape: no quoting needed).
    pub host: Option<String>,
    /// Port, if known.
    pub port: Option<u16>,
    /// The client's platform.
    pub client: Client,
    /// The server's software.
    pub server: Server,
    /// The client's `~/.ssh` directory as the trace spells it.
    pub ssh_dir: Option<String>,
    /// `-i` files from the command line.
    pub identities: Vec<String>,
    /// The key that was offered last, or the first found on disk.
    pub key: Option<String>,
    /// Methods the server allowed in its last answer.
    pub allowed: Vec<String>,
    /// Methods the client tried (`Next authentication method`).
    pub tried: Vec<String>,
    /// The highest `-v` level seen (0: no debug output).
    pub verbosity: u8,
    /// Whether authentication to the final destination succeeded.
    pub authenticated: bool,
    /// The language to write summaries and steps in.
    pub lang: Lang,
    /// The user's ssh options and destination from a pasted command line,
    /// each quoted for the client's shell (`None` without one, or when a
    /// value in it has no safe shape).
    pub command: Option<Vec<String>>,
    /// Input values that do not have the shape they claim, as (what, value):
    /// shown in prose, replaced by a placeholder in commands.
    pub refused: Vec<(Value, String)>,
}

/// The kinds of value a command takes from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A user name (placeholder `USER`).
    User,
    /// A host name, alias or address (placeholder `HOST`).
    Host,
    /// A file path (the value is left out of commands).
    Path,
}

impl Value {
    /// The word commands use instead of a refused value.
    pub fn placeholder(self) -> &'static str {
        match self {
            Value::User => "USER",
            Value::Host => "HOST",
            Value::Path => "KEY_FILE",
        }
    }
}

impl Ctx {
    /// Gathers the values from a trace.
    pub fn new(trace: &Trace, lang: Lang) -> Ctx {
        let d = trace.destination();
        let client = Client::of(trace);
        let key = trace
            .offers
            .iter()
            .rev()
            .find(|o| !o.identity.agent)
            .map(|o| o.identity.path.to_string())
            .or_else(|| {
                trace.events().iter().find_map(|n| match n.kind() {
                    EventKind::IdentityFile { path, key_type }
                        if *key_type >= 0 && !path.ends_with("-cert") =>
                    {
                        Some(path.to_string())
                    }
                    _ => None,
                })
            })
            .map(|p| unvis(&p).into_owned());
        let mut refused = Vec::new();
        let mut checked = |what: Value, v: Option<String>, ok: fn(&str) -> bool| match v {
            // A value hidden by hand (`XXX.XXX.XXX.XXX`, `<host>`) is left
            // out even when it has a valid shape.
            Some(v) if hidden(&v) => None,
            Some(v) if ok(&v) => Some(v),
            Some(v) => {
                if !refused.iter().any(|(w, r)| *w == what && *r == v) {
                    refused.push((what, v));
                }
                None
            }
            None => None,
        };
        let key = checked(Value::Path, key, |p| shell::path(p).is_some());
        let user = checked(Value::User, d.user, |u| shell::user(u).is_some());
        let host = checked(
            Value::Host,
            d.host
                .map(|h| shell::host(&h).map_or(h.clone(), str::to_string)),
            |h| shell::host(h).is_some(),
        );
        let ssh_dir = checked(Value::Path, trace.ssh_dir(), |p| shell::path(p).is_some());
        let identities = trace
            .command
            .as_ref()
            .map(|c| c.identities.clone())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| checked(Value::Path, Some(i), |p| shell::path(p).is_some()))
            .collect();
        let last_allowed = trace.find_last(|k| {
            matches!(
                k,
                EventKind::AuthsCanContinue { .. } | EventKind::PermissionDenied { .. }
            )
        });
        let allowed = match last_allowed.map(|n| n.kind()) {
            Some(EventKind::AuthsCanContinue { methods })
            | Some(EventKind::PermissionDenied { methods, .. }) => {
                methods.items().map(str::to_string).collect()
            }
            _ => Vec::new(),
        };
        let mut tried: Vec<String> = Vec::new();
        for n in trace.all(|k| matches!(k, EventKind::NextAuthMethod { .. })) {
            if let EventKind::NextAuthMethod { method } = n.kind() {
                if !tried.iter().any(|t| t == method) {
                    tried.push(method.to_string());
                }
            }
        }
        // A partial paste may lack the `Next authentication method` lines;
        // what the client visibly did counts as tried too.
        if !trace.offers.is_empty() && !tried.iter().any(|m| m == "publickey") {
            tried.push("publickey".to_string());
        }
        if trace.has(|k| {
            matches!(
                k,
                EventKind::PasswordRetry {} | EventKind::PasswordPrompt { .. }
            )
        }) && !tried.iter().any(|m| m == "password")
        {
            tried.push("password".to_string());
        }
        let server = Server::of(trace, host.as_deref());
        let command = trace.command.as_ref().and_then(|c| user_args(c, client));
        Ctx {
            user,
            host,
            port: d.port,
            client,
            server,
            ssh_dir,
            identities,
            key,
            allowed,
            tried,
            verbosity: trace.stats.max_debug,
            authenticated: trace.authenticated().is_some(),
            lang,
            command,
            refused,
        }
    }

    /// `user@host` for a command, with placeholders for what is unknown.
    pub fn target(&self) -> String {
        format!("{}@{}", self.user_arg(), self.host())
    }

    /// The user name as the input gave it (for prose), `USER` when unknown.
    pub fn user_or_placeholder(&self) -> String {
        self.user.clone().unwrap_or_else(|| "USER".into())
    }

    /// The user for a command: quoted if it needs it, `USER` when unknown.
    pub fn user_arg(&self) -> String {
        self.user.as_deref().map_or("USER".to_string(), sh)
    }

    /// The host alone (placeholder when unknown).
    pub fn host(&self) -> &str {
        self.host.as_deref().unwrap_or("HOST")
    }

    /// `-p PORT ` when the port is not 22, else empty.
    pub fn port_flag(&self) -> String {
        match self.port {
            Some(p) if p != 22 => format!("-p {p} "),
            _ => String::new(),
        }
    }

    /// The port (22 when unknown).
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(22)
    }

    /// The host as known_hosts names it: `host` or `[host]:port`.
    pub fn known_hosts_name(&self) -> String {
        match self.port {
            Some(p) if p != 22 => format!("[{}]:{p}", self.host()),
            _ => self.host().to_string(),
        }
    }

    /// An ssh command line to this destination with extra options.
    pub fn ssh(&self, opts: &str) -> String {
        let opts = if opts.is_empty() {
            String::new()
        } else {
            format!("{opts} ")
        };
        format!("ssh {opts}{}{}", self.port_flag(), self.target())
    }

    /// The command that gets the evidence: the user's own ssh command line
    /// when the input shows it (its `-F`, `-J`, `-o`, `-i`, `-p`, `-l` and
    /// the destination as typed, alias included) run again with `-v`;
    /// else `sshexplain run` to the destination.
    pub fn rerun_explained(&self) -> String {
        self.rerun_at(false)
    }

    /// [`Ctx::rerun_explained`] with `-vvv` (`deep`) or `-v`.
    pub fn rerun_at(&self, deep: bool) -> String {
        match (&self.command, deep) {
            (Some(args), _) => format!(
                "ssh {} {} exit 2>&1 | sshexplain",
                if deep { "-vvv" } else { "-v" },
                args.join(" ")
            ),
            (None, false) => format!("sshexplain run {}{}", self.port_flag(), self.target()),
            (None, true) => format!(
                "sshexplain run --deep {}{}",
                self.port_flag(),
                self.target()
            ),
        }
    }

    /// The private key path to name in commands (`~` for the home
    /// directory), unquoted: commands pass it through [`sh`].
    pub fn key(&self) -> String {
        self.key
            .as_deref()
            .or(self.identities.first().map(String::as_str))
            .map(home_tilde)
            .unwrap_or_else(|| "~/.ssh/id_ed25519".to_string())
    }

    /// Whether the server offered a way in that does not need a key.
    pub fn server_allows_password(&self) -> bool {
        self.allowed
            .iter()
            .any(|m| m == "password" || m == "keyboard-interactive")
    }

    /// Whether the server's own list of methods (shown in the input) is
    /// `publickey` alone: unknown lists say nothing.
    pub fn server_takes_only_keys(&self) -> bool {
        !self.allowed.is_empty() && self.allowed.iter().all(|m| m == "publickey")
    }

    /// Whether the server's own list of methods (shown in the input) has
    /// no password method: unknown lists say nothing.
    pub fn server_refuses_passwords(&self) -> bool {
        !self.allowed.is_empty() && !self.server_allows_password()
    }

    /// Whether the client runs on Windows (PowerShell commands).
    pub fn windows(&self) -> bool {
        self.client == Client::Windows
    }

    /// A file path on this machine from the input, for a command in this
    /// machine's shell: checked like [`path_arg`], then quoted for
    /// PowerShell on Windows and for a POSIX shell elsewhere.
    pub fn client_path_arg(&self, value: &str) -> (String, Option<Step>) {
        match crate::shell::path(value) {
            Some(p) => (self.client.path(p), None),
            None => path_arg(value, self.lang),
        }
    }

    /// The step that watches the server's log while connecting.
    pub fn server_log(&self) -> Step {
        self.server.log_step(self.lang)
    }

    /// The step that reloads the server's configuration.
    pub fn reload(&self) -> Step {
        self.server.reload_step(self.lang)
    }
}

/// A pasted ssh command line's options and destination, rebuilt and
/// quoted for the client's shell; `None` when any value has no safe shape
/// (then the command is not repeated at all).
fn user_args(c: &crate::trace::CommandLine, client: Client) -> Option<Vec<String>> {
    let quote = |v: &str| -> Option<String> {
        if v.is_empty() || v.starts_with('-') || !shell::is_printable(v) || hidden(v) {
            return None;
        }
        Some(match client {
            Client::Windows => shell::ps(v),
            _ => sh(v),
        })
    };
    let dest = c.destination.as_deref()?;
    let mut args = Vec::new();
    if let Some(f) = &c.config {
        args.extend(["-F".to_string(), quote(f)?]);
    }
    if let Some(j) = &c.jump {
        args.extend(["-J".to_string(), quote(j)?]);
    }
    for (k, v) in &c.options {
        args.extend(["-o".to_string(), quote(&format!("{k}={v}"))?]);
    }
    for i in &c.identities {
        args.extend(["-i".to_string(), quote(i)?]);
    }
    if let Some(p) = c.port {
        args.extend(["-p".to_string(), p.to_string()]);
    }
    if let Some(l) = &c.login {
        args.extend(["-l".to_string(), quote(l)?]);
    }
    args.push(quote(dest)?);
    Some(args)
}

/// A value left out or hidden by hand (`<host>`, `xxx`): a placeholder is
/// used without a warning.
fn hidden(value: &str) -> bool {
    value.trim().is_empty() || crate::redact::is_placeholder(value)
}

/// The step that says why a command uses a placeholder instead of a value
/// from the input (the value itself is made visible by the report).
pub fn refusal(what: Value, value: &str, lang: Lang) -> Step {
    let p = what.placeholder();
    let (en, ja) = match what {
        Value::User => ("user name", "ユーザー名"),
        Value::Host => ("host name", "ホスト名"),
        Value::Path => ("file name", "ファイル名"),
    };
    Step::say(tr!(
        lang,
        "The input's {en} `{value}` does not look like one (it may be crafted to run a command when pasted), so the commands below say {p} instead: put the real value in.",
        "入力の{ja} `{value}` はそれらしい形をしていません（貼り付けるとコマンドが実行されるよう細工されているかもしれません）。そのため以下のコマンドでは代わりに {p} と書いています。本当の値に置き換えてください。"
    ))
}

/// A host from the input for a command: itself when it has a host's shape,
/// else `HOST` and the step that says why.
pub fn host_arg(value: &str, lang: Lang) -> (String, Option<Step>) {
    match crate::shell::host(value) {
        Some(h) => (h.to_string(), None),
        None if hidden(value) => (Value::Host.placeholder().to_string(), None),
        None => (
            Value::Host.placeholder().to_string(),
            Some(refusal(Value::Host, value, lang)),
        ),
    }
}

/// A file path from the input for a POSIX shell command: quoted, or
/// `KEY_FILE` and the step that says why.
pub fn path_arg(value: &str, lang: Lang) -> (String, Option<Step>) {
    match crate::shell::path(value) {
        Some(p) => (sh(p), None),
        None if value.is_empty() => (Value::Path.placeholder().to_string(), None),
        None => (
            Value::Path.placeholder().to_string(),
            Some(refusal(Value::Path, value, lang)),
        ),
    }
}

/// `/home/u/.ssh/k` → `~/.ssh/k` (also macOS and Windows profiles).
pub fn home_tilde(path: &str) -> String {
    let p = path.replace('\\', "/");
    for prefix in ["/home/", "/Users/", "C:/Users/", "c:/Users/", "/root"] {
        if let Some(rest) = p.strip_prefix(prefix) {
            if prefix == "/root" {
                return format!("~{rest}");
            }
            if let Some(i) = rest.find('/') {
                return format!("~{}", &rest[i..]);
            }
        }
    }
    path.to_string()
}

/// `~/.ssh/id_ed25519 SHA256:... (from the agent)`: a key as reports name it.
pub fn key_label(identity: &crate::event::Identity<'_>, lang: Lang) -> String {
    let fp = identity
        .fingerprint
        .as_deref()
        .map(|f| format!(" {f}"))
        .unwrap_or_default();
    let from = if identity.agent {
        lang.pick(" (from the agent)", "（エージェントの鍵）")
    } else {
        ""
    };
    format!("{}{fp}{from}", home_tilde(&unvis(&identity.path)))
}

/// Whether a line of another program's own text (the server's, a proxy's)
/// reports a failure in its words.
pub fn reports_failure(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "error",
        "not found",
        "no such file",
        "denied",
        "failed",
        "cannot",
        "can't",
        "could not",
        "unable",
        "fatal",
        "invalid",
    ];
    let lower = text.to_ascii_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
}

/// Whether any offered key was refused by the server.
pub fn some_key_refused(trace: &Trace) -> bool {
    trace.offers.iter().any(|o| o.fate == Fate::Refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde() {
        assert_eq!(home_tilde("/home/bob/.ssh/id_ed25519"), "~/.ssh/id_ed25519");
        assert_eq!(home_tilde("C:\\Users\\me\\.ssh\\id_rsa"), "~/.ssh/id_rsa");
        assert_eq!(home_tilde("/etc/ssh/key"), "/etc/ssh/key");
    }

    #[test]
    fn hostile_destination_becomes_placeholders() {
        let log = "debug1: Authenticating to foo;id:22 as 'bob;id'\nbob;id@foo;id: Permission denied (publickey).\n";
        let ctx = Ctx::new(&crate::trace(log), Lang::En);
        assert_eq!(ctx.target(), "USER@HOST");
        assert!(ctx
            .refused
            .iter()
            .any(|(w, v)| *w == Value::Host && v == "foo;id"));
        assert!(ctx
            .refused
            .iter()
            .any(|(w, v)| *w == Value::User && v == "bob;id"));
    }
}
