//! `sshexplain init SHELL`: a shell function that wraps `ssh`, `scp` and
//! `sftp` so every failure is explained, and `sshexplain last`'s place for
//! the logs it keeps.
//!
//! The wrapper runs the real program with `-v`, its log going to a private
//! file (mode 600 in a 700 directory): `ssh -E FILE` (the remote command's
//! own output is untouched), `scp`/`sftp` through stderr. After it ends the
//! wrapper prints the log's lines that the program prints without `-v`, so
//! the terminal reads as usual. On failure it adds sshexplain's one-line
//! verdict and keeps the file for `sshexplain last`; on success it removes
//! the file.

use std::path::PathBuf;

/// The shells `init` writes a wrapper for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    /// bash (also sh-compatible shells with `local`).
    Bash,
    /// zsh.
    Zsh,
    /// fish.
    Fish,
    /// PowerShell (Windows PowerShell 5.1 and PowerShell 7).
    Powershell,
}

/// Lines `-v` adds that are not `debugN:` lines (the version banner and
/// the verbose-level notes), left out when the log is shown.
const VERBOSE_ONLY: &str = "^(debug[0-9]: |OpenSSH_|Authenticated to |Transferred: |Bytes per second|Executing: |Sending command: )";

const POSIX: &str = r#"# sshexplain: explain every failing ssh, scp and sftp.
# Set up with: eval "$(sshexplain init SHELL)"
__sshexplain_run() {
  local __se_prog __se_dir __se_log __se_rc
  __se_prog="$1"
  shift
  __se_dir="${XDG_STATE_HOME:-$HOME/.local/state}/sshexplain"
  if ! command -v sshexplain >/dev/null 2>&1 ||
    ! { mkdir -p "$__se_dir" && chmod 700 "$__se_dir"; } 2>/dev/null ||
    ! __se_log="$(mktemp "$__se_dir/$__se_prog.XXXXXX")"; then
    command "$__se_prog" "$@"
    return
  fi
  if [ "$__se_prog" = ssh ]; then
    command ssh -E "$__se_log" -v "$@"
  else
    command "$__se_prog" -v "$@" 2>"$__se_log"
  fi
  __se_rc=$?
  grep -Ev '@VERBOSE_ONLY@' "$__se_log" >&2
  if [ "$__se_rc" -eq 255 ] || { [ "$__se_prog" != ssh ] && [ "$__se_rc" -ne 0 ]; }; then
    sshexplain --quiet "$__se_log" >&2
    printf '%s\n' 'sshexplain: `sshexplain last` shows the whole report' >&2
  else
    rm -f "$__se_log"
  fi
  return "$__se_rc"
}
ssh() { __sshexplain_run ssh "$@"; }
scp() { __sshexplain_run scp "$@"; }
sftp() { __sshexplain_run sftp "$@"; }
"#;

const FISH: &str = r#"# sshexplain: explain every failing ssh, scp and sftp.
# Set up with: sshexplain init fish | source
function __sshexplain_run
    set -l prog $argv[1]
    set -e argv[1]
    set -l state $HOME/.local/state
    set -q XDG_STATE_HOME; and set state $XDG_STATE_HOME
    set -l dir $state/sshexplain
    if not command -q sshexplain; or not mkdir -p $dir; or not chmod 700 $dir
        command $prog $argv
        return $status
    end
    set -l log (mktemp $dir/$prog.XXXXXX)
    or begin
        command $prog $argv
        return $status
    end
    if test $prog = ssh
        command ssh -E $log -v $argv
    else
        command $prog -v $argv 2>$log
    end
    set -l rc $status
    grep -Ev '@VERBOSE_ONLY@' $log >&2
    if test $rc -eq 255; or begin; test $prog != ssh; and test $rc -ne 0; end
        sshexplain --quiet $log >&2
        echo 'sshexplain: `sshexplain last` shows the whole report' >&2
    else
        rm -f $log
    end
    return $rc
end
function ssh --wraps ssh
    __sshexplain_run ssh $argv
end
function scp --wraps scp
    __sshexplain_run scp $argv
end
function sftp --wraps sftp
    __sshexplain_run sftp $argv
end
"#;

const POWERSHELL: &str = r#"# sshexplain: explain every failing ssh, scp and sftp.
# Set up with (in $PROFILE): Invoke-Expression (& sshexplain init powershell | Out-String)
function global:__sshexplain_run([string]$Prog, [object[]]$Rest) {
    $exe = Get-Command -CommandType Application $Prog -ErrorAction SilentlyContinue | Select-Object -First 1
    $base = if ($env:LOCALAPPDATA) { $env:LOCALAPPDATA } elseif ($env:XDG_STATE_HOME) { $env:XDG_STATE_HOME } else { Join-Path $HOME '.local/state' }
    $dir = Join-Path $base 'sshexplain'
    if (-not (Get-Command sshexplain -ErrorAction SilentlyContinue)) { & $exe.Source @Rest; return }
    New-Item -ItemType Directory -Force $dir | Out-Null
    $log = Join-Path $dir ("$Prog." + [System.IO.Path]::GetRandomFileName())
    if ($Prog -eq 'ssh') { & $exe.Source -E $log -v @Rest } else { & $exe.Source -v @Rest 2> $log }
    $rc = $LASTEXITCODE
    Get-Content $log | Where-Object { $_ -notmatch '@VERBOSE_ONLY@' } | ForEach-Object { [Console]::Error.WriteLine($_) }
    if ($rc -eq 255 -or ($Prog -ne 'ssh' -and $rc -ne 0)) {
        sshexplain --quiet $log | ForEach-Object { [Console]::Error.WriteLine($_) }
        [Console]::Error.WriteLine('sshexplain: `sshexplain last` shows the whole report')
    } else {
        Remove-Item -Force $log
    }
    $global:LASTEXITCODE = $rc
}
function global:ssh { __sshexplain_run 'ssh' $args }
function global:scp { __sshexplain_run 'scp' $args }
function global:sftp { __sshexplain_run 'sftp' $args }
"#;

/// The wrapper script for `shell`.
pub fn script(shell: Shell) -> String {
    let template = match shell {
        Shell::Bash | Shell::Zsh => POSIX,
        Shell::Fish => FISH,
        Shell::Powershell => POWERSHELL,
    };
    template.replace("@VERBOSE_ONLY@", VERBOSE_ONLY)
}

/// Where the wrapper keeps the logs of failed connections: `%LOCALAPPDATA%`
/// on Windows, else `$XDG_STATE_HOME` or `~/.local/state`, then
/// `sshexplain/`.
pub fn state_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(windows) {
        var("LOCALAPPDATA")
    } else {
        var("XDG_STATE_HOME").or_else(|| var("HOME").map(|h| h.join(".local").join("state")))
    }?;
    Some(base.join("sshexplain"))
}

/// The newest log the wrapper kept, if any.
pub fn last_log() -> Option<PathBuf> {
    let dir = state_dir()?;
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_names_the_filter_and_the_three_programs() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Powershell] {
            let s = script(shell);
            assert!(!s.contains("@VERBOSE_ONLY@"));
            assert!(s.contains(VERBOSE_ONLY));
            for prog in ["ssh", "scp", "sftp"] {
                assert!(
                    s.contains(&format!("__sshexplain_run {prog}"))
                        || s.contains(&format!("__sshexplain_run '{prog}'")),
                    "{shell:?} {prog}"
                );
            }
        }
    }
}
