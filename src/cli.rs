//! Command-line definitions (clap) and what each command does.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use sshexplain::lang::Lang;
use sshexplain::render::{self, TextOptions};
use sshexplain::tr;

mod japanese;

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};

const INIT_HELP: &str = "\
Print a shell function that wraps ssh, scp and sftp so that every failure is
explained. Add to your shell's startup file:

  bash  (~/.bashrc)   eval \"$(sshexplain init bash)\"
  zsh   (~/.zshrc)    eval \"$(sshexplain init zsh)\"
  fish                sshexplain init fish | source
  PowerShell ($PROFILE)  Invoke-Expression (& sshexplain init powershell | Out-String)

The wrapper runs the real program with -v, its debug output going to a
private file (ssh -E), so the terminal looks as usual. When ssh fails (exit
255; scp and sftp: any failure) it prints sshexplain's verdict and keeps the
file: `sshexplain last` shows the whole report. On success the file is
removed. git runs ssh itself, so the wrapper does not see it; to keep git's
ssh log where `sshexplain last` finds it:
  export GIT_SSH_COMMAND='ssh -v -E ~/.local/state/sshexplain/git.log'";

const AFTER_HELP: &str = "\
Examples:
  ssh -v user@host exit 2>&1 | sshexplain explain a connection attempt
  sshexplain run user@host                connect, watch and explain
  eval \"$(sshexplain init bash)\"          explain every failing ssh from now on
  sshexplain                              paste a log, then Ctrl-D
  sshexplain trace.log other.log          explain saved logs
  sshexplain --format json trace.log      machine-readable report
  sshexplain explain auth.key-rejected    the long form of one cause
  sshexplain explain --list               every cause sshexplain knows

Exit codes:
  0  the connection succeeded (or only warnings were found)
  1  a failure was diagnosed (or the outcome is unknown)
  2  usage or I/O error
  3  the input holds no ssh output (or is not text: a binary file; or
     another client's message that names no known cause)
130  Ctrl-C ended live mode (the report of what arrived is printed first)";

const REDACT_HELP: &str = "\
Print the log with identifying values replaced by consistent pseudonyms: the
same value gets the same pseudonym everywhere, so the log stays readable and
`sshexplain` still gives the same diagnosis.

Redacted: user names (user1), host names (host1.example), IPv4 and IPv6
addresses (192.0.2.x and 2001:db8::x), ports other than 22 (10001...), home
directories and Windows profiles, key fingerprints (SHA256:REDACTED1), key
comments and e-mail addresses, hashed known_hosts entries, GSSAPI principals,
a shell prompt's user and host, Host aliases and patterns, a hosting
service's account and repository names, a ProxyJump hop's user and host,
Windows domains and account SIDs, and server banner text (a protocol status
line such as `HTTP/1.1 400` is kept). A first comment line counts what was
replaced by kind and says which addresses were private and which public.

Kept: loopback addresses and localhost, port 22, the generic accounts root,
git and user and cloud images' default users (ubuntu, ec2-user, pi...), key
file names (id_ed25519), algorithm and extension names
(curve25519-sha256@libssh.org), versions, and everything ssh itself says.
Values already hand-redacted (<host>, xxx, [REDACTED]) stay.";

/// Explains why an SSH connection failed, from the output of the OpenSSH client.
#[derive(Debug, Parser)]
#[command(name = "sshexplain", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Language of reports and messages [default: from LC_ALL / LC_MESSAGES
    /// / LANG, else English].
    #[arg(long, value_enum, global = true, value_name = "LANG")]
    pub lang: Option<LangArg>,
}

/// `--lang` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Japanese.
    Ja,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Ja => Lang::Ja,
        }
    }
}

/// The language asked for on the command line (`--lang ja`, `--lang=ja`),
/// read before clap parses so that `--help` itself can be translated.
pub fn lang_from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<Lang> {
    let mut args = args.into_iter().skip(1);
    while let Some(a) = args.next() {
        let a = a.to_string_lossy().into_owned();
        if a == "--" {
            break;
        }
        let value = match a.strip_prefix("--lang") {
            Some("") => args.next().map(|v| v.to_string_lossy().into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        if let Some(v) = value {
            return LangArg::from_str(&v, false).ok().map(Lang::from);
        }
    }
    None
}

/// The command-line definition with its help in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Ja => japanese::help(cmd),
    }
}

/// Options of the default command (explain inputs).
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Log files to explain; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Print only the verdict line.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print every parsed event, and a paste's earlier attempts in full.
    #[arg(short, long)]
    pub verbose: bool,
    /// Report with pseudonyms instead of user names, hosts, addresses... (see `sshexplain redact --help`).
    #[arg(long)]
    pub redact: bool,
    /// Live mode (stdin a pipe, stderr a terminal): seconds without output
    /// before a hint about where the connection is stuck.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds)]
    pub stall: f64,
    /// The server's log of the same connection (`journalctl -u ssh`, auth.log, `sshd -d`), joined to the client's output in one report; `-` reads it from standard input.
    #[arg(long, value_name = "SERVER_LOG", conflicts_with = "redact")]
    pub server: Option<PathBuf>,
}

/// Output format and colour.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// When to use colours (NO_COLOR and CLICOLOR_FORCE are honoured in auto mode).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A report for the terminal.
    Text,
    /// JSON (schema sshexplain/1): one object, or an array of one per
    /// input when several are given.
    Json,
    /// JSON Lines: one object per input, one per line.
    Jsonl,
    /// Markdown, to paste into an issue.
    Markdown,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the long-form documentation of a cause, or list all causes.
    Explain {
        /// Cause ID, e.g. auth.key-rejected.
        #[arg(required_unless_present = "list", value_parser = CauseId, hide_possible_values = true)]
        id: Option<String>,
        /// List every cause with its title.
        #[arg(long)]
        list: bool,
        /// Output format of the page.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Connect with the system ssh (-v, BatchMode, ConnectTimeout, remote
    /// command `exit`), watch, and explain. Prints every command it runs.
    Run {
        /// Use -vvv instead of -v.
        #[arg(long)]
        deep: bool,
        /// Allow prompts (passwords, host key confirmation) on the terminal.
        #[arg(long)]
        interactive: bool,
        /// Also save the raw ssh output to this file.
        #[arg(long, value_name = "FILE")]
        save: Option<PathBuf>,
        /// After the attempt, read the server's log from this file (when
        /// you can read it from here) and join its connection to the report.
        #[arg(long, value_name = "FILE")]
        server_log: Option<PathBuf>,
        /// Seconds without output before a "stuck" hint (live display).
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds)]
        stall: f64,
        #[command(flatten)]
        output: OutputArgs,
        /// ssh options, the destination and an optional remote command.
        #[arg(
            required = true,
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "SSH_ARGS"
        )]
        ssh_args: Vec<String>,
    },
    /// Print the log with identifying values replaced by consistent
    /// pseudonyms, safe to paste in public and still diagnosable.
    #[command(long_about = REDACT_HELP)]
    Redact {
        /// Log files; `-` or nothing reads standard input. Several files
        /// share one table of pseudonyms (each printed under `==> NAME <==`).
        files: Vec<PathBuf>,
    },
    /// Compare a working and a failing log of the same destination: which
    /// difference explains the failure. With one file, compare its attempts:
    /// the last one that worked and the last one that failed.
    Diff {
        /// The log of a connection that works (or a paste of several attempts).
        working: PathBuf,
        /// The log of a connection that fails.
        failing: Option<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Print a shell function that wraps ssh, scp and sftp so that every
    /// failure is explained: `eval "$(sshexplain init bash)"` in ~/.bashrc.
    #[command(long_about = INIT_HELP)]
    Init {
        /// The shell.
        shell: crate::init::Shell,
    },
    /// Explain the latest failure the `init` wrapper kept.
    Last {
        /// Also print every parsed event.
        #[arg(short, long)]
        verbose: bool,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or one subcommand's; with --dir, write
    /// every page (sshexplain.1, sshexplain-run.1, ...) into DIR.
    Man {
        /// The subcommand whose page to print (sshexplain-SUBCOMMAND(1)).
        subcommand: Option<String>,
        /// Write all pages into this directory instead.
        #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
        dir: Option<PathBuf>,
    },
    /// Print the parsed events of a log (one per line; JSON Lines with --format json).
    Parse {
        /// Log file; `-` or nothing reads standard input.
        file: Option<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
    },
}

/// Exit codes.
pub mod exit {
    /// Connected, or only warnings.
    pub const OK: i32 = 0;
    /// A failure was diagnosed.
    pub const FAILURE: i32 = 1;
    /// Usage or I/O error.
    pub const ERROR: i32 = 2;
    /// No ssh output in the input.
    pub const NO_SSH: i32 = 3;
    /// Ctrl-C ended live mode (after the report of what arrived).
    pub const INTERRUPTED: i32 = 130;
}

/// Whether to colour output written to stdout.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                false
            } else if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
            {
                true
            } else {
                io::stdout().is_terminal()
            }
        }
    }
}

/// The terminal's width from `COLUMNS` (shells export it), 100 otherwise;
/// clamped so the side-by-side table stays readable.
/// The width text output wraps at: `COLUMNS`, else the terminal's width
/// when stdout is one, else 100; never below 40.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .or_else(|| terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| usize::from(w.0)))
        .unwrap_or(100)
        .clamp(40, 1000)
}

/// Whether to colour what goes to stderr (the live display).
fn stderr_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// A writer that ends the process quietly when the reader of stdout has
/// gone (`sshexplain ... | head`).
struct QuietPipe<W>(W);

impl<W: Write> Write for QuietPipe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.0.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(exit::OK),
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.0.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(exit::OK),
            other => other,
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) ends the program quietly.
fn emit(text: &str) -> io::Result<()> {
    let mut out = QuietPipe(io::stdout().lock());
    out.write_all(text.as_bytes()).and_then(|()| out.flush())
}

/// Opens an input: a file, or stdin for `-` / nothing (with a paste prompt
/// when stdin is a terminal).
fn open(path: Option<&PathBuf>, lang: Lang) -> io::Result<Box<dyn BufRead>> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            if p.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    lang.pick("is a directory", "ディレクトリです"),
                ));
            }
            Ok(Box::new(BufReader::with_capacity(
                64 * 1024,
                File::open(p)?,
            )))
        }
        _ => {
            let stdin = io::stdin();
            if stdin.is_terminal() {
                let eof = if cfg!(windows) {
                    lang.pick("Ctrl-Z then Enter", "Ctrl-Z の後に Enter")
                } else {
                    "Ctrl-D"
                };
                eprintln!(
                    "{}",
                    tr!(
                        lang,
                        "Paste the output of `ssh -v user@host`, then press {eof}:",
                        "`ssh -v user@host` の出力を貼り付けてから {eof} を押してください:"
                    )
                );
                let text = crate::paste::read(stdin.lock())?;
                // The report starts on a line of its own, below the paste.
                eprintln!("\n{}", "─".repeat(40));
                return Ok(Box::new(io::Cursor::new(text)));
            }
            Ok(Box::new(BufReader::with_capacity(64 * 1024, stdin)))
        }
    }
}

/// A number of seconds for `--stall`: finite, from 0.1 to one day (NaN,
/// infinities and absurd values are a usage error, not a panic).
fn seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|e| format!("{e}"))?;
    if v.is_finite() && (0.1..=86_400.0).contains(&v) {
        Ok(v)
    } else {
        Err("expected a number of seconds from 0.1 to 86400".into())
    }
}

/// A file name as messages and headers show it: control and invisible
/// characters made visible (a file name can hold an escape sequence).
fn display(path: Option<&PathBuf>) -> String {
    path.map(|p| shown(p)).unwrap_or_else(|| "-".into())
}

fn shown(p: &std::path::Path) -> String {
    sshexplain::report::visible(&p.display().to_string()).into_owned()
}

/// The last attempt of a paste that worked and the last one that failed
/// (`sshexplain diff FILE`).
fn two_attempts(
    path: &PathBuf,
    lang: Lang,
) -> io::Result<(sshexplain::trace::Trace, sshexplain::trace::Trace)> {
    let split =
        open(Some(path), lang).and_then(|r| sshexplain::attempts_reader_keeping(r, lang))?;
    let count = split.kept.len() + 1;
    let mut worked = None;
    let mut failed = None;
    for t in split
        .kept
        .into_iter()
        .map(|k| k.trace)
        .chain(std::iter::once(split.last))
    {
        if sshexplain::report_in(&t, lang).exit_code() == exit::OK {
            worked = Some(t);
        } else {
            failed = Some(t);
        }
    }
    match (worked, failed) {
        (Some(w), Some(f)) => Ok((w, f)),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            match lang {
                Lang::En => format!("diff with one file needs a paste of two attempts, one that worked and one that failed; this one holds {count} and not both kinds (or give two files: sshexplain diff WORKING FAILING)"),
                Lang::Ja => format!("ファイル一つの diff には、うまくいった試行と失敗した試行の二つを含む貼り付けが必要です。このファイルには試行が {count} 件あり、両方はそろっていません（または二つのファイルを渡します: sshexplain diff WORKING FAILING）"),
            },
        )),
    }
}

/// The cause ID meant by a mistyped one: the ID that ends with it
/// (`key-rejected`), or the closest by edit distance (at most 3 edits).
/// The JSON object for an input that gave no report (`outcome`:
/// `no_ssh_output` or `error`), so a script gets one object per input.
fn unreported(
    name: &str,
    several: bool,
    outcome: &'static str,
    message: &str,
    lang: Lang,
) -> String {
    render::json_unreported(&sshexplain::report::Unreported {
        schema: sshexplain::report::SCHEMA,
        lang,
        source: several.then(|| name.to_string()),
        outcome,
        message: message.to_string(),
    })
}

/// Parses a cause ID as typed (any text: `explain` resolves near misses)
/// and offers the catalog's IDs to shell completion.
#[derive(Clone)]
struct CauseId;

impl clap::builder::TypedValueParser for CauseId {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            sshexplain::diagnose::catalog().map(|c| clap::builder::PossibleValue::new(c.id)),
        ))
    }
}

/// The causes `typed` names in any letter case: by their whole ID, or by
/// the name part of it alone (`key-rejected`; `reset` names two).
fn named_causes(typed: &str) -> Vec<&'static sshexplain::diagnose::Cause> {
    let typed = typed.trim().to_ascii_lowercase();
    sshexplain::diagnose::catalog()
        .filter(|c| c.id == typed || c.id.rsplit('.').next() == Some(typed.as_str()))
        .collect()
}

/// The subcommand a missing file's name was probably meant to be
/// (`explian` → `explain`).
fn nearest_subcommand(arg: &std::path::Path, lang: Lang) -> Option<String> {
    if arg.exists() || arg.components().count() != 1 {
        return None;
    }
    let typed = arg.to_str()?.to_ascii_lowercase();
    if typed.contains('.') {
        return None;
    }
    command(lang)
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .filter(|name| name != "help")
        .map(|name| (sshexplain::diagnose::edit_distance(&typed, &name), name))
        .filter(|(d, name)| *d <= 2 && *d < name.len() / 2 + 1)
        .min()
        .map(|(_, name)| name)
}

fn nearest_cause(typed: &str) -> Option<&'static str> {
    let typed = typed.trim().to_ascii_lowercase();
    if typed.is_empty() {
        return None;
    }
    sshexplain::diagnose::catalog()
        .map(|c| c.id)
        .map(|id| (sshexplain::diagnose::edit_distance(&typed, id), id))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, id)| id)
}

/// Runs the CLI; returns the exit code.
pub fn run(cli: Cli) -> i32 {
    let lang = cli.lang.map(Lang::from).unwrap_or_else(Lang::from_env);
    match cli.command {
        Some(Command::Explain { id, list, format }) => explain(id.as_deref(), list, format, lang),
        Some(Command::Parse { file, output }) => parse(file.as_ref(), &output, lang),
        Some(Command::Diff {
            working,
            failing,
            output,
        }) => {
            let load = |p: &PathBuf| open(Some(p), lang).and_then(sshexplain::trace_reader);
            let pair = match &failing {
                Some(failing) => (
                    load(&working).map_err(|e| (working.to_path_buf(), e)),
                    load(failing).map_err(|e| (failing.to_path_buf(), e)),
                ),
                None => match two_attempts(&working, lang) {
                    Ok((w, f)) => (Ok(w), Ok(f)),
                    Err(e) => {
                        eprintln!("sshexplain: {}: {e}", shown(&working));
                        return exit::ERROR;
                    }
                },
            };
            match pair {
                (Ok(w), Ok(f)) => {
                    let d = sshexplain::diff::diff_in(&w, &f, lang);
                    let text = match output.format {
                        Format::Text => {
                            render::diff_text(&d, use_color(output.color), terminal_width())
                        }
                        Format::Json | Format::Jsonl => render::diff_json(&d) + "\n",
                        Format::Markdown => render::diff_markdown(&d),
                    };
                    emit(&text)
                        .map(|()| d.failing.exit_code())
                        .unwrap_or(exit::ERROR)
                }
                (Err((path, e)), _) | (_, Err((path, e))) => {
                    eprintln!("sshexplain: {}: {e}", shown(&path));
                    exit::ERROR
                }
            }
        }
        Some(Command::Redact { files }) => {
            let mut out = io::BufWriter::new(QuietPipe(io::stdout().lock()));
            let mut session = sshexplain::redact::Session::new(lang);
            let inputs: Vec<Option<&PathBuf>> = if files.is_empty() {
                vec![None]
            } else {
                files.iter().map(Some).collect()
            };
            let several = inputs.len() > 1;
            for (i, file) in inputs.into_iter().enumerate() {
                let heading = if several {
                    let gap = if i > 0 { "\n" } else { "" };
                    format!("{gap}==> {} <==\n", display(file))
                } else {
                    String::new()
                };
                let done = out
                    .write_all(heading.as_bytes())
                    .and_then(|()| open(file, lang))
                    .and_then(|r| session.redact(r, &mut out))
                    .and_then(|()| out.flush());
                if let Err(e) = done {
                    eprintln!("sshexplain: {}: {e}", display(file));
                    return exit::ERROR;
                }
            }
            exit::OK
        }
        Some(Command::Run {
            deep,
            interactive,
            save,
            server_log,
            stall,
            output,
            ssh_args,
        }) => {
            let opts = crate::run::RunOptions {
                deep,
                interactive,
                save,
                stall: std::time::Duration::from_secs_f64(stall),
                color: stderr_color(output.color),
                lang,
            };
            let joined = crate::run::run(&ssh_args, &opts).and_then(|(trace, checks)| {
                let Some(path) = &server_log else {
                    return Ok((trace, checks));
                };
                let file = std::fs::File::open(path).map_err(|e| {
                    std::io::Error::new(e.kind(), format!("{}: {e}", display(Some(path))))
                })?;
                let trace =
                    sshexplain::join_server_log(trace, std::io::BufReader::new(file), lang)?;
                Ok((trace, checks))
            });
            match joined {
                Ok((trace, checks)) => {
                    let mut r = sshexplain::report_in(&trace, lang);
                    r.checks = checks;
                    if !interactive {
                        crate::run::own_batch_mode(&mut r, &ssh_args, lang);
                    }
                    let text = match output.format {
                        Format::Text => render::text(
                            &r,
                            TextOptions {
                                color: use_color(output.color),
                                quiet: false,
                                width: terminal_width(),
                            },
                        ),
                        Format::Json | Format::Jsonl => render::json(&r) + "\n",
                        Format::Markdown => render::markdown(&r),
                    };
                    match emit(&text) {
                        Ok(()) if trace.has_ssh_output() => r.exit_code(),
                        Ok(()) => exit::NO_SSH,
                        Err(_) => exit::ERROR,
                    }
                }
                Err(e) => {
                    eprintln!("sshexplain: run: {e}");
                    exit::ERROR
                }
            }
        }
        Some(Command::Init { shell }) => emit(&crate::init::script(shell))
            .map(|()| exit::OK)
            .unwrap_or(exit::ERROR),
        Some(Command::Last { verbose, output }) => match crate::init::last_log() {
            Some(path) => report(
                &ReportArgs {
                    files: vec![path],
                    output,
                    quiet: false,
                    verbose,
                    redact: false,
                    stall: 10.0,
                    server: None,
                },
                lang,
            ),
            None => {
                eprintln!(
                    "sshexplain: {}",
                    lang.pick(
                        "no failed connection kept yet. Set up the wrapper first: eval \"$(sshexplain init bash)\" (or zsh, fish, powershell).",
                        "記録された失敗した接続はまだありません。先にラッパーを設定します: eval \"$(sshexplain init bash)\"（または zsh、fish、powershell）。"
                    )
                );
                exit::ERROR
            }
        },
        Some(Command::Completions { shell }) => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut command(lang), "sshexplain", &mut buf);
            emit(&String::from_utf8_lossy(&buf))
                .map(|()| exit::OK)
                .unwrap_or(exit::ERROR)
        }
        Some(Command::Man { subcommand, dir }) => {
            let cmd = command(lang).disable_help_subcommand(true);
            if let Some(dir) = dir {
                return match clap_mangen::generate_to(cmd, &dir) {
                    Ok(()) => exit::OK,
                    Err(e) => {
                        eprintln!("sshexplain: {}: {e}", shown(&dir));
                        exit::ERROR
                    }
                };
            }
            let page = match subcommand.as_deref() {
                None => cmd,
                Some(name) => {
                    let mut cmd = cmd;
                    cmd.build();
                    match cmd.find_subcommand(name) {
                        Some(sub) => sub.clone(),
                        None => {
                            eprintln!(
                                "sshexplain: {}",
                                tr!(
                                    lang,
                                    "no subcommand named '{}'",
                                    "'{}' というサブコマンドはありません",
                                    sshexplain::report::visible(name)
                                )
                            );
                            return exit::ERROR;
                        }
                    }
                }
            };
            let mut buf = Vec::new();
            match clap_mangen::Man::new(page).render(&mut buf) {
                Ok(()) => emit(&String::from_utf8_lossy(&buf))
                    .map(|()| exit::OK)
                    .unwrap_or(exit::ERROR),
                Err(e) => {
                    eprintln!("sshexplain: {e}");
                    exit::ERROR
                }
            }
        }
        None => report(&cli.report, lang),
    }
}

fn explain(id: Option<&str>, list: bool, format: Format, lang: Lang) -> i32 {
    if list {
        let mut out = String::new();
        for c in sshexplain::diagnose::catalog() {
            out.push_str(&format!(
                "{:<34} {} {}\n",
                c.id,
                render::pad(c.severity.label(lang), 8),
                c.title_in(lang)
            ));
        }
        return emit(&out).map(|()| exit::OK).unwrap_or(exit::ERROR);
    }
    let id = id.unwrap_or_default();
    let shown_id = sshexplain::report::visible(id);
    let named = named_causes(id);
    let unique = match named.as_slice() {
        [c] => Some(*c),
        _ => None,
    };
    match sshexplain::diagnose::cause(id).or(unique) {
        Some(c) => {
            let page = sshexplain::diagnose::page::page(c, lang);
            let text = match format {
                Format::Json | Format::Jsonl => render::json_page(&page) + "\n",
                Format::Text | Format::Markdown => page.markdown(lang),
            };
            emit(&text).map(|()| exit::OK).unwrap_or(exit::ERROR)
        }
        None => {
            let hint = match nearest_cause(id) {
                _ if named.len() > 1 => tr!(
                    lang,
                    "; did you mean one of: {}?",
                    "。もしかして次のどれかですか: {}",
                    named.iter().map(|c| c.id).collect::<Vec<_>>().join(", ")
                ),
                Some(near) => tr!(
                    lang,
                    "; did you mean '{near}'?",
                    "。もしかして '{near}' ですか?"
                ),
                None => String::new(),
            };
            eprintln!(
                "sshexplain: {}{hint}",
                tr!(
                    lang,
                    "no cause named '{shown_id}'; `sshexplain explain --list` lists them",
                    "'{shown_id}' という原因はありません。`sshexplain explain --list` で一覧が出ます"
                )
            );
            exit::ERROR
        }
    }
}

fn parse(file: Option<&PathBuf>, output: &OutputArgs, lang: Lang) -> i32 {
    let reader = match open(file, lang) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sshexplain: {}: {e}", display(file));
            return exit::ERROR;
        }
    };
    let mut sider = sshexplain::sides::Sider::new();
    for line in sshexplain::input::LineReader::new(sshexplain::input::Decoder::new(reader)) {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("sshexplain: {}: {e}", display(file));
                return exit::ERROR;
            }
        };
        let event = sshexplain::grammar::parse_either(line.view(), &mut sider);
        let text = match output.format {
            Format::Json | Format::Jsonl => render::json_event(&event),
            _ => {
                let fields = serde_json::to_value(&event.kind).ok();
                let fields = fields
                    .as_ref()
                    .and_then(|v| v.as_object())
                    .map(|o| {
                        o.iter()
                            .filter(|(k, _)| *k != "kind")
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default();
                let text = format!(
                    "{:>6} {:<28} {}",
                    event.line,
                    sshexplain::event::snake_case(event.kind.name()),
                    fields
                );
                sshexplain::report::visible(&text).into_owned()
            }
        };
        if emit(&(text + "\n")).is_err() {
            return exit::ERROR;
        }
    }
    exit::OK
}

/// How one input ended, for the exit code.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// Connected, or only warnings.
    Fine,
    /// A failure was diagnosed.
    Failure,
    /// No ssh output.
    NoSsh,
    /// It could not be read.
    Error,
}

/// What one input gives: its report (text, or a JSON document), or the
/// message saying why there is none.
struct One {
    /// Text for stdout.
    out: String,
    /// The JSON document (`--format json|jsonl`).
    doc: Option<String>,
    /// A message for stderr.
    err: Option<String>,
    ended: Ended,
    /// Ctrl-C ended live mode.
    interrupted: bool,
}

impl One {
    fn skipped(err: String, doc: Option<String>, ended: Ended) -> One {
        One {
            out: String::new(),
            doc,
            err: Some(err),
            ended,
            interrupted: false,
        }
    }
}

/// How text reports look: worked out once for all inputs.
#[derive(Clone, Copy)]
struct Look {
    color: bool,
    width: usize,
}

/// Whether a file is larger than one batch of the library's reading.
fn large(path: &Path) -> bool {
    std::fs::metadata(path).map_or(true, |m| m.len() > sshexplain::BATCH_BYTES as u64)
}

/// Makes this thread one of the global pool's, once, before an input that
/// may be large is read: it folds what the pool's other threads parse, and
/// helps them while it waits (see the library's batch reading). A small
/// file starts no thread.
fn join_pool() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Fails when a pool already runs (several inputs): that one serves.
        let _ = rayon::ThreadPoolBuilder::new()
            .use_current_thread()
            .build_global();
    });
}

/// Explains one input (a file, or stdin: live, pasted or piped).
fn explain_input(
    path: Option<&PathBuf>,
    args: &ReportArgs,
    lang: Lang,
    several: bool,
    look: Look,
) -> One {
    let Look { color, width } = look;
    let json = matches!(args.output.format, Format::Json | Format::Jsonl);
    let mut interrupted = false;
    let name = display(path);
    let live = !args.redact
        && args.server.is_none()
        && path.is_none_or(|p| p.as_os_str() == "-")
        && !io::stdin().is_terminal()
        && io::stderr().is_terminal();
    if !live && path.is_none_or(|p| p.as_os_str() == "-" || large(p)) {
        join_pool();
    }
    let read = if args.redact {
        open(path, lang)
            .and_then(sshexplain::redact::redacted_trace)
            .map(sshexplain::attempts::Split::single)
    } else if live {
        let stall = std::time::Duration::from_secs_f64(args.stall);
        crate::live::follow(
            BufReader::new(io::stdin()),
            stall,
            stderr_color(args.output.color),
            lang,
        )
        .map(|f| {
            interrupted |= f.interrupted;
            sshexplain::attempts::Split::single(f.trace)
        })
    } else if let Some(server) = &args.server {
        open(path, lang).and_then(|client| {
            let server = open(Some(server), lang)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", display(Some(server)))))?;
            sshexplain::attempts_with_server(client, server, lang)
        })
    } else if args.verbose {
        open(path, lang).and_then(|r| sshexplain::attempts_reader_keeping(r, lang))
    } else {
        open(path, lang).and_then(|r| sshexplain::attempts_reader(r, lang))
    };
    let split = match read {
        Ok(t) => t,
        // Not text at all (a program, an image): no ssh output, exit 3.
        Err(e)
            if e.kind() == io::ErrorKind::InvalidData
                && e.to_string() == sshexplain::input::BINARY =>
        {
            let message = lang.pick(
                "this looks like a binary file, not the output of ssh. Give it what ssh printed, for example:",
                "バイナリファイルのようで、ssh の出力ではありません。ssh が表示したものを渡してください。例:",
            );
            return One::skipped(
                format!(
                    "sshexplain: {name}: {message}\n    ssh -v user@host exit 2>&1 | sshexplain"
                ),
                json.then(|| unreported(&name, several, "no_ssh_output", message, lang)),
                Ended::NoSsh,
            );
        }
        Err(e) => {
            return One::skipped(
                format!("sshexplain: {name}: {e}"),
                json.then(|| unreported(&name, several, "error", &e.to_string(), lang)),
                Ended::Error,
            );
        }
    };
    let trace = &split.last;
    if !trace.has_ssh_output() {
        let message = match (trace.stats.lines, lang) {
            (0, Lang::En) if name == "-" => {
                "Nothing arrived: the paste (or pipe) was empty. Give it the output of ssh with -v, for example:".to_string()
            }
            (0, Lang::Ja) if name == "-" => {
                "何も届きませんでした。貼り付け（またはパイプ）が空です。-v を付けた ssh の出力を渡してください。例:".to_string()
            }
            (0, Lang::En) => {
                format!("{name} is empty. Give it the output of ssh with -v, for example:")
            }
            (_, Lang::En) => format!(
                "{name} holds no ssh output. Give it the output of ssh with -v, for example:"
            ),
            (0, Lang::Ja) => {
                format!("{name} は空です。-v を付けた ssh の出力を渡してください。例:")
            }
            (_, Lang::Ja) => format!(
                "{name} に ssh の出力がありません。-v を付けた ssh の出力を渡してください。例:"
            ),
        };
        return One::skipped(
            format!("sshexplain: {message}\n    ssh -v user@host exit 2>&1 | sshexplain"),
            json.then(|| unreported(&name, several, "no_ssh_output", &message, lang)),
            Ended::NoSsh,
        );
    }
    let mut r = sshexplain::report::Report::of_attempts(&split, lang);
    // Another client's message that maps to no cause: not ours to read.
    if let Some(n) = trace.foreign_only().filter(|_| r.primary().id == "unknown") {
        let client = match n.kind() {
            sshexplain::event::EventKind::ForeignFailure { client, .. } => client.to_string(),
            _ => String::new(),
        };
        let client = sshexplain::report::visible(&client).into_owned();
        let message = match lang {
            Lang::En => format!("this is {client}'s output, not OpenSSH's, and its message names no cause sshexplain knows. Try the same connection with OpenSSH's client and give it its output, for example:"),
            Lang::Ja => format!("これは OpenSSH ではなく {client} の出力で、そのメッセージは sshexplain の知る原因に当たりません。同じ接続を OpenSSH のクライアントで試し、その出力を渡してください。例:"),
        };
        return One::skipped(
            format!("sshexplain: {name}: {message}\n    ssh -v user@host exit 2>&1 | sshexplain"),
            json.then(|| unreported(&name, several, "no_ssh_output", &message, lang)),
            Ended::NoSsh,
        );
    }
    if several {
        r.source = Some(name.clone());
    }
    let ended = if r.exit_code() == exit::FAILURE {
        Ended::Failure
    } else {
        Ended::Fine
    };
    let mut text = match args.output.format {
        Format::Text => render::text(
            &r,
            TextOptions {
                color,
                quiet: args.quiet,
                width,
            },
        ),
        Format::Json | Format::Jsonl => {
            return One {
                out: String::new(),
                doc: Some(render::json(&r)),
                err: None,
                ended,
                interrupted,
            };
        }
        Format::Markdown => render::markdown(&r),
    };
    if several && args.output.format == Format::Text && !args.quiet {
        text = format!("==> {name} <==\n{text}\n");
    }
    if args.verbose && args.output.format == Format::Text {
        text.push_str(lang.pick("\nEvents\n", "\nイベント\n"));
        for n in trace.events() {
            text.push_str(&format!(
                "  {:>5} │ {}\n",
                n.line(),
                sshexplain::report::visible(&n.text)
            ));
        }
        // The earlier attempts in full, oldest first.
        for k in &split.kept {
            text.push_str(&match lang {
                Lang::En => format!(
                    "\n── Earlier attempt, lines {}–{} ──\n",
                    k.first_line, k.last_line
                ),
                Lang::Ja => format!(
                    "\n── 前の試行（{}–{} 行目） ──\n",
                    k.first_line, k.last_line
                ),
            });
            let r = sshexplain::report_in(&k.trace, lang);
            text.push_str(&render::text(
                &r,
                TextOptions {
                    color,
                    quiet: false,
                    width,
                },
            ));
        }
    }
    One {
        out: text,
        doc: None,
        err: None,
        ended,
        interrupted,
    }
}

fn report(args: &ReportArgs, lang: Lang) -> i32 {
    if let Some(name) = args.files.first().and_then(|f| nearest_subcommand(f, lang)) {
        let typed = shown(&args.files[0]);
        eprintln!(
            "sshexplain: {}",
            tr!(
                lang,
                "{typed}: no such file; did you mean `sshexplain {name}`?",
                "{typed}: そのようなファイルはありません。もしかして `sshexplain {name}` ですか?"
            )
        );
        return exit::ERROR;
    }
    let inputs: Vec<Option<&PathBuf>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files.iter().map(Some).collect()
    };
    let several = inputs.len() > 1;
    if args.server.is_some() && several {
        eprintln!(
            "sshexplain: {}",
            lang.pick(
                "--server joins one server log to one client log: give one FILE.",
                "--server は一つのサーバーログを一つのクライアントのログに結び付けます。FILE は一つにしてください。"
            )
        );
        return exit::ERROR;
    }
    // Files are explained on every core, a batch at a time (memory stays
    // bounded), and printed in input order; stdin is read on its own.
    let parallel = several
        && inputs
            .iter()
            .all(|p| p.is_some_and(|p| p.as_os_str() != "-"));
    let look = Look {
        color: use_color(args.output.color),
        width: terminal_width(),
    };
    let (mut any_failure, mut any_no_ssh, mut any_error) = (false, false, false);
    let mut interrupted = false;
    // `--format json` with several inputs: one array, streamed.
    let array = args.output.format == Format::Json && several;
    let mut docs = 0usize;
    for batch in inputs.chunks(if parallel { 64 } else { 1 }) {
        let results: Vec<One> = if parallel {
            use rayon::prelude::*;
            batch
                .par_iter()
                .map(|p| explain_input(*p, args, lang, several, look))
                .collect()
        } else {
            batch
                .iter()
                .map(|p| explain_input(*p, args, lang, several, look))
                .collect()
        };
        for one in results {
            if let Some(err) = &one.err {
                eprintln!("{err}");
            }
            if let Some(doc) = &one.doc {
                let sep = match (array, docs) {
                    (true, 0) => "[\n",
                    (true, _) => ",\n",
                    (false, _) => "",
                };
                let end = if array { "" } else { "\n" };
                docs += 1;
                if emit(&format!("{sep}{doc}{end}")).is_err() {
                    return exit::ERROR;
                }
            }
            interrupted |= one.interrupted;
            match one.ended {
                Ended::Failure => any_failure = true,
                Ended::NoSsh => any_no_ssh = true,
                Ended::Error => any_error = true,
                Ended::Fine => {}
            }
            if !one.out.is_empty() && emit(&one.out).is_err() {
                return exit::ERROR;
            }
        }
    }
    if array && emit(if docs == 0 { "[\n]\n" } else { "\n]\n" }).is_err() {
        return exit::ERROR;
    }
    if interrupted {
        exit::INTERRUPTED
    } else if any_error {
        exit::ERROR
    } else if any_failure {
        exit::FAILURE
    } else if any_no_ssh {
        exit::NO_SSH
    } else {
        exit::OK
    }
}
