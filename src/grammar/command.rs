//! Command lines and process output around ssh: a pasted `$ ssh -v ...`,
//! `Started with:` (10.0+), Ansible's `SSH: EXEC`, ProxyCommand and
//! ProxyJump commands, a shell's "not found" for a missing program.

use super::primitives::b;
use crate::event::EventKind;

/// Programs whose command lines carry ssh options.
const PROGRAMS: [&str; 10] = [
    "ssh",
    "scp",
    "sftp",
    "rsync",
    "git",
    "sshpass",
    "autossh",
    "ssh-copy-id",
    "sshfs",
    "mosh",
];

/// Ansible's result header for a host it could not reach: `HOST |
/// UNREACHABLE! => {` (the minimal and ad-hoc output) or `fatal: [HOST]:
/// UNREACHABLE! => ...` (a playbook's), anywhere in the line.
pub fn unreachable(text: &str) -> Option<EventKind<'_>> {
    static NEEDLE: super::primitives::Needle = super::primitives::Needle::new("UNREACHABLE! =>");
    let at = NEEDLE.find(text)?;
    let head = text[..at].trim_end();
    let host = if let Some(h) = head.strip_suffix(" |") {
        h.trim()
    } else {
        let h = head.strip_suffix(':')?.strip_suffix(']')?;
        &h[h.rfind(": [")
            .map(|i| i + 3)
            .or_else(|| h.rfind('[').map(|i| i + 1))?..]
    };
    (!host.is_empty()).then(|| EventKind::HostUnreachable { host: b(host) })
}

/// Command and process messages.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    let t = msg.trim();
    if let Some(cmd) = t
        .strip_prefix("Executing proxy command: ")
        .or_else(|| t.strip_prefix("Executing proxy dialer command: "))
    {
        return Some(EventKind::ProxyCommandExec {
            command: b(cmd.strip_prefix("exec ").unwrap_or(cmd)),
        });
    }
    if let Some(cmd) = t.strip_prefix("Setting implicit ProxyCommand from ProxyJump: ") {
        return Some(EventKind::ProxyJumpCommand { command: b(cmd) });
    }
    if let Some(args) = t.strip_prefix("Started with: ") {
        return split_program(args);
    }
    if let Some(system) = t.strip_prefix("Running on ") {
        return Some(EventKind::RunningOn { system: b(system) });
    }
    if let Some(err) = t
        .strip_prefix("posix_spawnp: ")
        .or_else(|| t.strip_prefix("posix_spawn: "))
    {
        return Some(EventKind::SpawnFailed { error: b(err) });
    }
    if t.starts_with("CreateProcessW failed") {
        return Some(EventKind::SpawnFailed { error: b(t) });
    }
    static EXEC: super::primitives::Needle = super::primitives::Needle::new("SSH: EXEC ");
    if let Some((_, cmd)) = EXEC.split(t) {
        return split_program(cmd);
    }
    // ssh's own `perror(shell)` when the shell that runs a ProxyCommand
    // ($SHELL) does not exist: `/bin/login_script.sh: No such file or directory`.
    if let Some(shell) = t.strip_suffix(": No such file or directory") {
        if shell.starts_with('/') && !shell.contains([' ', ':']) {
            return Some(EventKind::SpawnFailed { error: b(t) });
        }
    }
    shell_not_found(t).or_else(|| command_line(t))
}

/// `PROGRAM ARGS` → [`EventKind::Command`].
fn split_program(cmd: &str) -> Option<EventKind<'_>> {
    let cmd = cmd.trim();
    let (program, args) = cmd.split_once(' ').unwrap_or((cmd, ""));
    Some(EventKind::Command {
        program: b(program),
        args: b(args.trim()),
    })
}

/// scp's and sftp's progress meter at its end: `FILE 100% SIZE RATE
/// TIME`, the rate ending in `/s` and the time `MM:SS` or `HH:MM:SS`.
pub fn transfer_done(t: &str) -> Option<EventKind<'_>> {
    static NEEDLE: super::primitives::Needle = super::primitives::Needle::new(" 100% ");
    let (file, rest) = NEEDLE.split(t)?;
    let file = file.trim();
    let mut rest = rest.split_ascii_whitespace();
    let (size, rate, time) = (rest.next()?, rest.next()?, rest.next()?);
    let sized = size.starts_with(|c: char| c.is_ascii_digit());
    let timed = time
        .split(':')
        .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
        && time.contains(':');
    (!file.is_empty() && sized && rate.ends_with("/s") && timed)
        .then_some(EventKind::TransferDone { file: b(file) })
}

/// `/usr/bin/ssh-copy-id: INFO: Source of key(s) to be installed: ...`
pub fn copy_id(t: &str) -> Option<EventKind<'_>> {
    static NEEDLE: super::primitives::Needle = super::primitives::Needle::new("ssh-copy-id: ");
    let (head, text) = NEEDLE.split(t)?;
    (head.is_empty() || head.ends_with('/')).then_some(EventKind::CopyIdMessage { text: b(text) })
}

/// `bash: line 1: /usr/bin/x: No such file or directory`,
/// `/bin/sh: 1: exec: x: not found`, `zsh:1: command not found: x`,
/// `bash: x: command not found`.
fn shell_not_found(t: &str) -> Option<EventKind<'_>> {
    let (shell, rest) = t.split_once(':')?;
    let shell_name = shell.rsplit('/').next().unwrap_or(shell);
    if !matches!(shell_name, "bash" | "sh" | "zsh" | "dash" | "ksh" | "fish")
        && !shell_name.starts_with("zsh")
    {
        return None;
    }
    for ending in [
        ": No such file or directory",
        ": not found",
        ": command not found",
        ": Permission denied",
    ] {
        if let Some(head) = rest.strip_suffix(ending) {
            let program = head.rsplit(": ").next().unwrap_or(head).trim();
            return Some(EventKind::ShellNotFound {
                program: b(program),
                error: b(ending.trim_start_matches(": ")),
            });
        }
    }
    if let Some((_, program)) = rest.split_once("command not found: ") {
        return Some(EventKind::ShellNotFound {
            program: b(program),
            error: b("command not found"),
        });
    }
    None
}

/// The characters a shell prompt ends with (`$ `, `# `, `% `, `C:\> `).
pub const PROMPT_ENDS: [char; 4] = ['$', '#', '%', '>'];

/// A shell prompt and an ssh-family command: `$ ssh -v user@host`,
/// `pi@raspberrypi:~ $ ssh ...`, `PS C:\Users\me> ssh ...`,
/// `GIT_SSH_COMMAND="ssh -v" git push`.
fn command_line(t: &str) -> Option<EventKind<'_>> {
    let mut offset = 0;
    let mut prefix_ok = true;
    for token in t.split(' ') {
        let start = offset;
        offset += token.len() + 1;
        if token.is_empty() {
            continue;
        }
        let base = token.rsplit(['/', '\\']).next().unwrap_or(token);
        let base = base.strip_suffix(".exe").unwrap_or(base);
        let is_env = token.starts_with("GIT_SSH_COMMAND=")
            || token.starts_with("GIT_SSH=")
            || token.starts_with("RSYNC_RSH=");
        if PROGRAMS.contains(&base) || is_env {
            if !prefix_ok {
                return None;
            }
            let args = t.get(start + token.len()..).unwrap_or("").trim();
            // A tool's label naming the program before the command itself
            // (`Running ssh connection command: ssh -v host`).
            if let Some(i) = (!is_env)
                .then(|| args.find(": "))
                .flatten()
                .filter(|i| args[..*i].split(' ').count() <= 3)
            {
                if let Some(EventKind::Command { program, args }) = command_line(&args[i + 2..]) {
                    return Some(EventKind::Command { program, args });
                }
            }
            if !plausible_args(base, args, start > 0 || is_env) {
                return None;
            }
            let program = if is_env {
                token.split('=').next().unwrap_or(token)
            } else {
                token
            };
            let args = if is_env {
                &t[start + program.len() + 1..]
            } else {
                args
            };
            return Some(EventKind::Command {
                program: b(program),
                args: b(args),
            });
        }
        let prompt_like = token.ends_with(PROMPT_ENDS)
            || token == "sudo"
            || token == "PS"
            || token.starts_with("C:")
            || (start == 0 && (token.contains('@') && token.contains(':')))
            || token.contains('=');
        prefix_ok &= prompt_like || (start > 0 && t[..start].trim_end().ends_with(PROMPT_ENDS));
        // Once the words before are not a prompt, no program can follow.
        if !prefix_ok || start > 80 {
            return None;
        }
    }
    None
}

/// Whether what follows a program name looks like its arguments, not prose.
fn plausible_args(program: &str, args: &str, after_prompt: bool) -> bool {
    let first = args.split(' ').next().unwrap_or("");
    if first.is_empty() {
        return false;
    }
    match program {
        "git" => matches!(
            first,
            "clone"
                | "push"
                | "pull"
                | "fetch"
                | "ls-remote"
                | "submodule"
                | "remote"
                | "-c"
                | "-C"
        ),
        _ => {
            first.starts_with('-') || first.contains('@') || (after_prompt && !first.ends_with('.'))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::event::EventKind;
    use crate::grammar::parse_text;

    fn cmd(s: &str) -> Option<(String, String)> {
        match parse_text(s).1 {
            EventKind::Command { program, args } => Some((program.into_owned(), args.into_owned())),
            _ => None,
        }
    }

    #[test]
    fn a_label_before_the_command_is_not_its_arguments() {
        assert_eq!(
            cmd("local-server-3> Running ssh connection command: ssh -v -T -D 61469 h.local"),
            Some(("ssh".into(), "-v -T -D 61469 h.local".into()))
        );
    }

    #[test]
    fn ansible_unreachable_hosts() {
        let host = |s: &str| match parse_text(s).1 {
            EventKind::HostUnreachable { host } => Some(host.into_owned()),
            _ => None,
        };
        assert_eq!(host("web-1 | UNREACHABLE! => {").as_deref(), Some("web-1"));
        assert_eq!(
            host(r#"fatal: [pi]: UNREACHABLE! => {"changed": false, "unreachable": true}"#)
                .as_deref(),
            Some("pi")
        );
        assert_eq!(
            host("fatal: [g | default([])]: UNREACHABLE! => {").as_deref(),
            Some("g | default([])")
        );
        assert_eq!(host("UNREACHABLE! => {"), None);
        assert_eq!(host("the host was UNREACHABLE! => retry"), None);
    }

    #[test]
    fn prompts_and_commands() {
        assert_eq!(
            cmd("$ ssh -v pi@raspberrypi.local"),
            Some(("ssh".into(), "-v pi@raspberrypi.local".into()))
        );
        assert_eq!(
            cmd("pi@host:~ $ ssh -i ~/.ssh/k -p 2222 me@h").map(|c| c.0),
            Some("ssh".into())
        );
        assert_eq!(
            cmd("PS C:\\Users\\me> ssh -v me@10.0.0.5").map(|c| c.0),
            Some("ssh".into())
        );
        // A cmd.exe prompt: the anchors find the command behind it.
        assert_eq!(
            cmd("C:\\Users\\me>ssh.exe -v me@h"),
            Some(("ssh.exe".into(), "-v me@h".into()))
        );
        assert_eq!(
            cmd("ssh -vvv user@example.com").map(|c| c.1),
            Some("-vvv user@example.com".into())
        );
        assert_eq!(
            cmd("GIT_SSH_COMMAND=\"ssh -v\" git push origin main").map(|c| c.0),
            Some("GIT_SSH_COMMAND".into())
        );
        assert_eq!(cmd("ssh is not working for me."), None);
        assert_eq!(cmd("I tried to use git with ssh."), None);
        assert_eq!(
            cmd("debug3: Started with: ssh -vvv -p 2201 alice@127.0.0.1").map(|c| c.0),
            Some("ssh".into())
        );
        assert_eq!(
            cmd("<192.168.1.5> SSH: EXEC ssh -vvv -C -o ControlMaster=auto 192.168.1.5 '/bin/sh -c '\"'\"'echo ~'\"'\"''").map(|c| c.0),
            Some("ssh".into())
        );
    }

    #[test]
    fn proxies_and_shells() {
        assert!(matches!(
            parse_text("debug1: Executing proxy command: exec /usr/local/bin/cloudflared access ssh --hostname h").1,
            EventKind::ProxyCommandExec { .. }
        ));
        assert!(matches!(
            parse_text("debug1: Setting implicit ProxyCommand from ProxyJump: ssh -l alice -p 2201 -v -W '[%h]:%p' 127.0.0.1").1,
            EventKind::ProxyJumpCommand { .. }
        ));
        match parse_text("/bin/bash: line 1: /usr/local/bin/cloudflared: No such file or directory")
            .1
        {
            EventKind::ShellNotFound { program, .. } => {
                assert_eq!(program, "/usr/local/bin/cloudflared")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_text("bash: nc: command not found").1,
            EventKind::ShellNotFound { .. }
        ));
        assert!(matches!(
            parse_text("zsh:1: command not found: cloudflared").1,
            EventKind::ShellNotFound { .. }
        ));
        assert!(matches!(
            parse_text("posix_spawnp: No such file or directory").1,
            EventKind::SpawnFailed { .. }
        ));
        assert!(matches!(
            parse_text("/bin/login_script.sh: No such file or directory").1,
            EventKind::SpawnFailed { .. }
        ));
        assert!(!matches!(
            parse_text("/home/u/my file: No such file or directory").1,
            EventKind::SpawnFailed { .. }
        ));
    }

    #[test]
    fn ssh_copy_id_messages() {
        for line in [
            "/usr/bin/ssh-copy-id: INFO: Source of key(s) to be installed: \"/home/u/.ssh/id_rsa.pub\"",
            "ssh-copy-id: ERROR: failed to open ID file '/x': No such file",
        ] {
            assert!(
                matches!(super::copy_id(line), Some(EventKind::CopyIdMessage { .. })),
                "{line}"
            );
        }
        // A command line naming it is not its message.
        assert!(super::copy_id("$ ssh-copy-id: what is this").is_none());
    }

    #[test]
    fn transfer_progress_at_its_end() {
        for line in [
            "README.md                                                    100%    0     0.0KB/s   00:00 ",
            "backup.tar.gz 100% 1024MB 110.2MB/s 00:09",
        ] {
            assert!(
                matches!(super::transfer_done(line), Some(EventKind::TransferDone { .. })),
                "{line}"
            );
        }
        assert!(super::transfer_done("backup.tar.gz  42% 430MB 110.2MB/s 00:05 ETA").is_none());
        assert!(super::transfer_done("progress: 100% done").is_none());
    }
}
