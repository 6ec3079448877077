//! `sshexplain run`: connect with the system ssh, watch, and explain.
//!
//! Runs `ssh -G` (the effective configuration), `ssh -V` and `ssh-add -l`
//! first, checks the identity files the configuration names, then the real
//! `ssh -v` with `BatchMode=yes`, a `ConnectTimeout` and a harmless remote
//! command, and explains its output. Every command it runs is printed on
//! stderr; nothing on the machine is changed.

use sshexplain::lang::Lang;
use sshexplain::report::visible;
use sshexplain::tr;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Options of `sshexplain run`.
pub struct RunOptions {
    /// `-vvv` instead of `-v`.
    pub deep: bool,
    /// Allow prompts (no BatchMode).
    pub interactive: bool,
    /// Keep the raw log here.
    pub save: Option<PathBuf>,
    /// Live-mode stall time.
    pub stall: Duration,
    /// Colours on stderr.
    pub color: bool,
    /// Language of the checks and messages.
    pub lang: Lang,
}

/// ssh options that take a value (as `ssh(1)` defines them).
const TAKES_VALUE: &str = "BbcDEeFIiJLlmOoPpQRSWw";

/// Splits ssh arguments into (options, destination, remote command).
pub fn split_args(args: &[String]) -> Option<(Vec<String>, String, Vec<String>)> {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        match a.strip_prefix('-') {
            Some(flags) if !flags.is_empty() => {
                let takes = flags
                    .char_indices()
                    .find(|(_, c)| TAKES_VALUE.contains(*c))
                    .is_some_and(|(pos, c)| pos + c.len_utf8() == flags.len());
                i += if takes { 2 } else { 1 };
            }
            _ => break,
        }
    }
    let opts = args
        .get(..i.min(args.len()))?
        .iter()
        .filter(|a| *a != "--")
        .cloned()
        .collect();
    let dest = args.get(i)?.clone();
    Some((opts, dest, args[i + 1..].to_vec()))
}

/// Copies everything read into a file as well (`--save`).
struct Tee<R> {
    inner: R,
    file: Option<File>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(f) = &mut self.file {
            f.write_all(&buf[..n])?;
        }
        Ok(n)
    }
}

fn announce(cmd: &Command, l: Lang) {
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    eprintln!(
        "sshexplain: {}: {} {}",
        l.pick("running", "実行"),
        cmd.get_program().to_string_lossy(),
        args.join(" ")
    );
}

/// `ssh -G`: the effective configuration, `key → values`, and the warnings
/// it printed (a missing `-i` file is dropped from the list with a warning).
fn effective_config(
    opts: &[String],
    dest: &str,
    warnings: &mut Vec<String>,
    l: Lang,
) -> Option<BTreeMap<String, Vec<String>>> {
    let mut cmd = Command::new("ssh");
    cmd.arg("-G").args(opts).arg(dest).stdin(Stdio::null());
    announce(&cmd, l);
    let out = cmd.output().ok()?;
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        if let (_, sshexplain::EventKind::IdentityNotAccessible { path, error }) =
            sshexplain::grammar::parse_text(line)
        {
            warnings.push(tr!(
                l,
                "IdentityFile {path} from your command line or configuration is not accessible: {error}",
                "コマンドラインか設定の IdentityFile {path} にアクセスできません: {error}"
            ));
        }
    }
    if !out.status.success() {
        return None;
    }
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some((k, v)) = line.split_once(' ') {
            map.entry(k.to_string()).or_default().push(v.to_string());
        }
    }
    Some(map)
}

fn home_path(p: &str) -> PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(p),
    }
}

/// The facts ssh's own output lacks.
fn checks(opts: &[String], dest: &str, l: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let mut version = Command::new("ssh");
    version.arg("-V").stdin(Stdio::null());
    announce(&version, l);
    if let Ok(v) = version.output() {
        let text = String::from_utf8_lossy(&v.stderr).trim().to_string();
        if !text.is_empty() {
            out.push(tr!(l, "client: {text}", "クライアント: {text}"));
        }
    }
    let mut warnings = Vec::new();
    let cfg = effective_config(opts, dest, &mut warnings, l);
    out.append(&mut warnings);
    if let Some(cfg) = cfg {
        let get = |k: &str| {
            cfg.get(k)
                .and_then(|v| v.first())
                .cloned()
                .unwrap_or_default()
        };
        out.push(tr!(
            l,
            "effective destination (ssh -G): {}@{} port {}",
            "実際の接続先（ssh -G）: {}@{} ポート {}",
            get("user"),
            get("hostname"),
            get("port")
        ));
        for id in cfg.get("identityfile").into_iter().flatten() {
            let path = home_path(id);
            let default = path.file_name().is_some_and(|n| {
                sshexplain::trace::DEFAULT_IDENTITIES.contains(&n.to_string_lossy().as_ref())
            });
            match std::fs::metadata(&path) {
                Ok(m) if open_mode(&m).is_some() => {
                    let mode = open_mode(&m).unwrap_or_default();
                    out.push(tr!(l, "identity file {id} exists but is readable by others (mode {mode:o}): ssh will ignore it; chmod 600 {id}", "鍵ファイル {id} はありますが、ほかの人が読めます（モード {mode:o}）。ssh はこれを無視します。chmod 600 {id}"))
                }
                Ok(_) => out.push(tr!(
                    l,
                    "identity file {id} exists",
                    "鍵ファイル {id} はあります"
                )),
                Err(_) if !default => out.push(tr!(
                    l,
                    "IdentityFile {id} from your configuration does not exist",
                    "設定の IdentityFile {id} は存在しません"
                )),
                Err(_) => {}
            }
        }
    } else {
        out.push(tr!(
            l,
            "ssh -G failed: the command line or configuration has an error (see below)",
            "ssh -G が失敗しました。コマンドラインか設定に誤りがあります（下を参照）"
        ));
    }
    let mut agent = Command::new("ssh-add");
    agent.arg("-l").stdin(Stdio::null()).stderr(Stdio::null());
    announce(&agent, l);
    match agent.output() {
        Ok(o) if o.status.code() == Some(0) => out.push(tr!(
            l,
            "agent: reachable, {} key(s)",
            "エージェント: 接続可、鍵 {} 個",
            String::from_utf8_lossy(&o.stdout).lines().count()
        )),
        Ok(o) if o.status.code() == Some(1) => out.push(tr!(
            l,
            "agent: reachable, holds no keys",
            "エージェント: 接続可、鍵なし"
        )),
        Ok(_) => out.push(tr!(
            l,
            "agent: not reachable (SSH_AUTH_SOCK unset or stale)",
            "エージェント: 接続不可（SSH_AUTH_SOCK が未設定か古い）"
        )),
        Err(_) => {}
    }
    out.into_iter().map(|c| visible(&c).into_owned()).collect()
}

/// Runs ssh and returns (the trace, the checks).
pub fn run(ssh_args: &[String], o: &RunOptions) -> io::Result<(sshexplain::Trace, Vec<String>)> {
    let Some((opts, dest, command)) = split_args(ssh_args) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            o.lang.pick(
                "no destination given (sshexplain run [SSH OPTIONS] DESTINATION [COMMAND])",
                "接続先がありません（sshexplain run [SSH のオプション] 接続先 [コマンド]）",
            ),
        ));
    };
    let checks = checks(&opts, &dest, o.lang);
    let mut cmd = Command::new("ssh");
    cmd.arg(if o.deep { "-vvv" } else { "-v" }).args(&opts);
    if !o.interactive {
        cmd.args(["-o", "BatchMode=yes"]);
    }
    cmd.args(["-o", "ConnectTimeout=10"]).arg(&dest);
    if command.is_empty() {
        cmd.arg("exit");
    } else {
        cmd.args(&command);
    }
    let (reader, writer) = io::pipe()?;
    cmd.stdout(writer.try_clone()?).stderr(writer);
    cmd.stdin(if o.interactive {
        Stdio::inherit()
    } else {
        Stdio::null()
    });
    announce(&cmd, o.lang);
    let mut child = cmd.spawn()?;
    drop(cmd);
    let file = match &o.save {
        Some(p) => Some(File::create(p)?),
        None => None,
    };
    let tee = BufReader::new(Tee {
        inner: reader,
        file,
    });
    let trace = if io::stderr().is_terminal() {
        crate::live::follow(tee, o.stall, o.color, o.lang)?.trace
    } else {
        sshexplain::trace_reader(tee)?
    };
    let _ = child.wait();
    Ok((trace, checks))
}

/// When ssh stopped at a host key it could not ask about, the question
/// was not asked because `run` set BatchMode: the report says so first and
/// offers `--interactive`.
pub fn own_batch_mode(r: &mut sshexplain::report::Report, ssh_args: &[String], lang: Lang) {
    let Some(d) = r
        .diagnoses
        .first_mut()
        .filter(|d| d.id == "hostkey.unknown")
    else {
        return;
    };
    let args: Vec<String> = ssh_args.iter().map(|a| sshexplain::shell::sh(a)).collect();
    d.remediation.insert(
        0,
        sshexplain::diagnose::Step::run(
            tr!(lang, "sshexplain run itself set BatchMode=yes, so ssh could not ask whether to trust this host key. To answer the question yourself (compare the fingerprint with the server's own first), run it interactively:", "BatchMode=yes を設定したのは sshexplain run 自身なので、ssh はこのホスト鍵を信頼するか尋ねられませんでした。自分で答えるには（先にサーバー自身のフィンガープリントと比べて）、対話モードで実行します:"),
            format!("sshexplain run --interactive {}", args.join(" ")),
        ),
    );
}

/// A file's mode when others may read or write it (Unix). Elsewhere ssh
/// checks ACLs, which a mode cannot show: `None`.
#[cfg(unix)]
fn open_mode(m: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = m.permissions().mode();
    (mode & 0o077 != 0).then_some(mode & 0o777)
}

#[cfg(not(unix))]
fn open_mode(_: &std::fs::Metadata) -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::split_args;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn splits_options_destination_and_command() {
        let (o, d, c) =
            split_args(&s(&["-p", "2222", "-i", "k", "-A", "u@h", "ls", "-l"])).expect("dest");
        assert_eq!(o, s(&["-p", "2222", "-i", "k", "-A"]));
        assert_eq!(d, "u@h");
        assert_eq!(c, s(&["ls", "-l"]));
        let (o, d, _) = split_args(&s(&["-p2222", "-oBatchMode=no", "h"])).expect("dest");
        assert_eq!((o.len(), d.as_str()), (2, "h"));
        assert!(split_args(&s(&["-p", "22"])).is_none());
    }
}
