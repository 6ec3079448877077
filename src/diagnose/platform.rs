//! Which machines the fix commands run on: the client's platform (read from
//! its version line, paths and prompt) and the server's software (read from
//! its banner or host name), and the commands that differ between them.
//!
//! Nothing here assumes a family the input does not show: when the server
//! is unknown, the commands work on the common families or say which one to
//! pick.

use super::Step;
use crate::event::EventKind;
use crate::lang::Lang;
use crate::shell::{ps, sh};
use crate::tr;
use crate::trace::Trace;

/// The client's platform: which shell and programs its steps may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Client {
    /// Linux or another Unix with GNU tools (the default).
    Unix,
    /// macOS: BSD `sed`, no `namei`.
    MacOs,
    /// Windows (OpenSSH for Windows, PowerShell): no `ssh-copy-id`, `chmod`,
    /// `sed`, `grep` or `namei`.
    Windows,
}

impl Client {
    /// Reads the platform from the client's version line, its paths and
    /// the prompt of a pasted command.
    pub fn of(trace: &Trace) -> Client {
        let version = trace.client_versions.first().map(|v| v.value.as_str());
        if version.is_some_and(|v| v.contains("Windows")) {
            return Client::Windows;
        }
        // macOS builds its ssh against LibreSSL (so does Windows, seen above).
        let mut mac = trace
            .find(|k| matches!(k, EventKind::ClientVersion { crypto: Some(c), .. } if c.contains("LibreSSL")))
            .is_some();
        for n in trace.events().iter().take(400) {
            let path = match n.kind() {
                EventKind::IdentityFile { path, .. } | EventKind::ReadingConfig { path } => {
                    Some(&**path)
                }
                _ => None,
            };
            if let Some(p) = path {
                if windows_path(p) {
                    return Client::Windows;
                }
                mac |= p.starts_with("/Users/");
            }
            let t = n.text.trim_start();
            if t.starts_with("PS ") && t.get(4..6) == Some(":\\")
                || t.contains("%USERPROFILE%")
                || t.contains("$env:USERPROFILE")
            {
                return Client::Windows;
            }
        }
        if mac {
            Client::MacOs
        } else {
            Client::Unix
        }
    }
}

impl Client {
    /// Shows the route packets to `host` take (`host` already checked).
    pub fn route(self, host: &str) -> String {
        match self {
            Client::Unix => format!("ip route get {host}"),
            Client::MacOs => format!("route -n get {host}"),
            Client::Windows => format!("tracert -d -h 5 {host}"),
        }
    }

    /// Pings `host` with packets of `size` bytes that may not be fragmented.
    pub fn ping_unfragmented(self, host: &str, size: u16) -> String {
        match self {
            Client::Unix => format!("ping -M do -s {size} -c 3 {host}"),
            Client::MacOs => format!("ping -D -s {size} -c 3 {host}"),
            Client::Windows => format!("ping -f -l {size} -n 3 {host}"),
        }
    }

    /// `ssh -G host` filtered by a case-insensitive regex.
    pub fn ssh_g(self, host: &str, pattern: &str) -> String {
        match self {
            Client::Windows => format!("ssh -G {host} | Select-String -Pattern '{pattern}'"),
            _ => format!("ssh -G {host} | grep -Ei '{pattern}'"),
        }
    }

    /// Looks a name up the way the system resolver does.
    pub fn resolve(self, host: &str) -> String {
        match self {
            Client::Unix => format!("getent hosts {host}"),
            Client::MacOs => format!("dscacheutil -q host -a name {host}"),
            Client::Windows => format!("Resolve-DnsName {host}"),
        }
    }

    /// Shows the resolver's configuration.
    pub fn resolver_config(self) -> &'static str {
        match self {
            Client::Unix => "cat /etc/resolv.conf",
            Client::MacOs => "scutil --dns | head -20",
            Client::Windows => "Get-DnsClientServerAddress",
        }
    }

    /// A client path as this platform's shell takes it (already checked).
    pub fn path(self, p: &str) -> String {
        match self {
            Client::Windows => ps_path(p),
            _ => sh(p),
        }
    }

    /// Lists files (paths already quoted with [`Client::path`]).
    pub fn list(self, paths: &[String]) -> String {
        match self {
            Client::Windows => format!("Get-ChildItem {}", paths.join(", ")),
            _ => format!("ls -l {}", paths.join(" ")),
        }
    }

    /// Shows the lines of the user's known_hosts that hold a literal word
    /// (not from the input: a fixed string of the caller's).
    pub fn grep_known_hosts(self, word: &'static str) -> String {
        match self {
            Client::Windows => {
                format!("Select-String -SimpleMatch '{word}' $env:USERPROFILE\\.ssh\\known_hosts")
            }
            _ => format!("grep -F -- '{word}' ~/.ssh/known_hosts /etc/ssh/ssh_known_hosts"),
        }
    }

    /// Removes a file (path already quoted).
    pub fn remove(self, path: &str) -> String {
        match self {
            Client::Windows => format!("Remove-Item -Force {path}"),
            _ => format!("rm -f {path}"),
        }
    }

    /// Shows which program listens on a local TCP port.
    pub fn listening(self, port: &str) -> String {
        match self {
            Client::Unix => format!("ss -ltnp 'sport = :{port}'"),
            Client::MacOs => format!("lsof -nP -iTCP:{port} -sTCP:LISTEN"),
            Client::Windows => format!("Get-NetTCPConnection -LocalPort {port} -State Listen"),
        }
    }

    /// Removes Windows line endings from a file (path already quoted).
    pub fn strip_crlf(self, path: &str) -> String {
        match self {
            Client::Unix => format!("sed -i 's/\\r$//' {path}"),
            Client::MacOs => format!("sed -i '' 's/\\r$//' {path}"),
            Client::Windows => format!("((Get-Content -Raw {path}) -replace \"`r`n\", \"`n\") | Set-Content -NoNewline {path}"),
        }
    }

    /// Shows a file's first and last line (path already quoted).
    pub fn ends_of(self, path: &str) -> String {
        match self {
            Client::Windows => {
                format!("Get-Content {path} -TotalCount 1; Get-Content {path} -Tail 1")
            }
            _ => format!("head -1 {path}; tail -1 {path}; file {path}"),
        }
    }

    /// Deletes line `n` of known_hosts; `None` where no one-liner is safe
    /// (`ssh-keygen -R` does it everywhere).
    pub fn delete_line(self, n: usize, file: &str) -> Option<String> {
        match self {
            Client::Unix => Some(format!("sed -i '{n}d' {file}")),
            Client::MacOs => Some(format!("sed -i '' '{n}d' {file}")),
            Client::Windows => None,
        }
    }

    /// Creates the user's ssh directory.
    pub fn make_ssh_dir(self) -> &'static str {
        match self {
            Client::Windows => "New-Item -ItemType Directory -Force $env:USERPROFILE\\.ssh",
            _ => "mkdir -p ~/.ssh && chmod 700 ~/.ssh && chown \"$USER\" ~/.ssh",
        }
    }

    /// Appends what `scan` prints to known_hosts, creating `~/.ssh` first.
    pub fn append_known_hosts(self, scan: &str) -> String {
        match self {
            Client::Windows => format!("New-Item -ItemType Directory -Force $env:USERPROFILE\\.ssh | Out-Null; {scan} | Out-File -Append -Encoding ascii $env:USERPROFILE\\.ssh\\known_hosts"),
            _ => format!("mkdir -p ~/.ssh && {scan} >> ~/.ssh/known_hosts"),
        }
    }

    /// Writes what `command` prints to `file` (already quoted): as ASCII
    /// on Windows, where PowerShell 5's `>` writes UTF-16 that ssh cannot
    /// read.
    pub fn write_output(self, command: &str, file: &str) -> String {
        match self {
            Client::Windows => format!("{command} | Out-File -Encoding ascii {file}"),
            _ => format!("{command} > {file}"),
        }
    }

    /// Starts an agent for this shell and adds `key` (already quoted).
    pub fn start_agent(self, key: &str) -> String {
        match self {
            Client::Windows => format!("Get-Service ssh-agent | Set-Service -StartupType Automatic; Start-Service ssh-agent; ssh-add {key}"),
            _ => format!("eval \"$(ssh-agent -s)\"; ssh-add {key}"),
        }
    }

    /// Sets an interface's MTU (the interface name is a placeholder).
    pub fn set_mtu(self, mtu: u16) -> String {
        match self {
            Client::Unix => format!("sudo ip link set dev eth0 mtu {mtu}"),
            Client::MacOs => format!("sudo ifconfig en0 mtu {mtu}"),
            Client::Windows => {
                format!("netsh interface ipv4 set subinterface \"Ethernet\" mtu={mtu} store=active")
            }
        }
    }
}

/// `C:\Users\...` or `C:/Users/...`: a Windows path (not MSYS's `/c/...`).
pub fn windows_path(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/')
}

/// A key on a Windows drive mounted into WSL (`/mnt/c/...`): `chmod` has
/// no effect there.
pub fn on_drvfs(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with("/mnt/") && b.len() > 6 && b[5].is_ascii_alphabetic() && b[6] == b'/'
}

/// A client path for PowerShell: `~/.ssh/k` → `$env:USERPROFILE\.ssh\k`,
/// other paths quoted with [`ps`].
pub fn ps_path(path: &str) -> String {
    match path.strip_prefix("~/") {
        Some(rest) => {
            let rest = rest.replace('/', "\\");
            if ps(&rest) == rest {
                format!("$env:USERPROFILE\\{rest}")
            } else {
                format!("(Join-Path $env:USERPROFILE {})", ps(&rest))
            }
        }
        None => ps(&path.replace('/', "\\")),
    }
}

/// The server's software, as far as the input shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Server {
    /// OpenSSH on Debian, Ubuntu or Raspberry Pi OS (unit `ssh`).
    Debian,
    /// OpenSSH on FreeBSD (`service sshd`).
    FreeBsd,
    /// OpenSSH whose banner names no distribution: RHEL, Fedora, Arch,
    /// SUSE, Alpine, macOS (unit `sshd` where systemd runs it).
    Plain,
    /// OpenSSH for Windows (`C:\ProgramData\ssh`, `Restart-Service sshd`).
    Windows,
    /// Dropbear: no sshd_config, options are command-line flags.
    Dropbear,
    /// A Git hosting service: keys are managed on its web page.
    Hosting(Hosting),
    /// Unknown (no banner in the input, or another implementation).
    Unknown,
}

/// A Git hosting service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hosting {
    /// github.com
    GitHub,
    /// gitlab.com or a GitLab instance
    GitLab,
    /// bitbucket.org
    Bitbucket,
    /// Azure DevOps (ssh.dev.azure.com)
    Azure,
}

impl Hosting {
    /// The service a host name belongs to (the service's own name or a
    /// subdomain of it).
    pub fn of_host(host: &str) -> Option<Hosting> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let under = |h: &str| host == h || host.ends_with(&format!(".{h}"));
        if under("github.com") {
            Some(Hosting::GitHub)
        } else if under("gitlab.com") {
            Some(Hosting::GitLab)
        } else if under("bitbucket.org") {
            Some(Hosting::Bitbucket)
        } else if under("dev.azure.com") || under("visualstudio.com") {
            Some(Hosting::Azure)
        } else {
            None
        }
    }

    /// Whether a host name is a hosting service's own ssh name
    /// (`github.com`, `ssh.github.com`, `ssh.dev.azure.com`...; not any
    /// subdomain): a name that certainly exists in public DNS and that
    /// identifies nobody.
    pub fn is_public_name(host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let own = |h: &str| {
            matches!(
                h,
                "github.com" | "gitlab.com" | "bitbucket.org" | "ssh.dev.azure.com"
            )
        };
        own(&host) || host.strip_prefix("ssh.").is_some_and(own)
    }

    /// The service's name.
    pub fn name(self) -> &'static str {
        match self {
            Hosting::GitHub => "GitHub",
            Hosting::GitLab => "GitLab",
            Hosting::Bitbucket => "Bitbucket",
            Hosting::Azure => "Azure DevOps",
        }
    }

    /// Where the account's SSH keys are managed.
    pub fn keys_page(self) -> &'static str {
        match self {
            Hosting::GitHub => "https://github.com/settings/keys",
            Hosting::GitLab => "https://gitlab.com/-/user_settings/ssh_keys (on your own instance: User settings → SSH Keys)",
            Hosting::Bitbucket => "https://bitbucket.org/account/settings/ssh-keys/",
            Hosting::Azure => "https://dev.azure.com → User settings → SSH public keys",
        }
    }
}

impl Server {
    /// Reads the server from its banner (`remote software version`), or
    /// from the host name for the hosting services.
    pub fn of(trace: &Trace, host: Option<&str>) -> Server {
        if let Some(h) = host.and_then(Hosting::of_host) {
            return Server::Hosting(h);
        }
        let Some(v) = trace.server_version.as_ref().map(|v| v.value.as_str()) else {
            return Server::Unknown;
        };
        let lower = v.to_ascii_lowercase();
        if lower.starts_with("babeld") || lower.starts_with("github") {
            Server::Hosting(Hosting::GitHub)
        } else if lower.starts_with("gitlab") {
            Server::Hosting(Hosting::GitLab)
        } else if lower.starts_with("conker") {
            Server::Hosting(Hosting::Bitbucket)
        } else if lower.starts_with("dropbear") {
            Server::Dropbear
        } else if lower.starts_with("openssh_for_windows") {
            Server::Windows
        } else if lower.starts_with("openssh") {
            if ["debian", "ubuntu", "raspbian"]
                .iter()
                .any(|d| lower.contains(d))
            {
                Server::Debian
            } else if lower.contains("freebsd") {
                Server::FreeBsd
            } else if v.contains(' ') {
                Server::Unknown
            } else {
                Server::Plain
            }
        } else {
            Server::Unknown
        }
    }

    /// Whether it is OpenSSH on a Unix (sshd_config, `sshd -T` apply).
    pub fn unix_openssh(self) -> bool {
        matches!(
            self,
            Server::Debian | Server::FreeBsd | Server::Plain | Server::Unknown
        )
    }

    /// The hosting service, if it is one.
    pub fn hosting(self) -> Option<Hosting> {
        match self {
            Server::Hosting(h) => Some(h),
            _ => None,
        }
    }

    /// The server's configuration file.
    pub fn config_file(self) -> &'static str {
        match self {
            Server::Windows => "C:\\ProgramData\\ssh\\sshd_config",
            Server::Dropbear => "/etc/default/dropbear",
            _ => "/etc/ssh/sshd_config",
        }
    }

    /// The command that makes sshd read its configuration again (checked
    /// first where sshd can check it).
    pub fn reload(self) -> &'static str {
        match self {
            Server::Debian => "sudo sshd -t && sudo systemctl reload ssh",
            Server::Plain => "sudo sshd -t && sudo systemctl reload sshd",
            Server::FreeBsd => "sudo sshd -t && sudo service sshd reload",
            Server::Windows => "sshd -t; Restart-Service sshd",
            Server::Dropbear => "sudo systemctl restart dropbear || sudo /etc/init.d/dropbear restart",
            Server::Hosting(_) | Server::Unknown => {
                "sudo sshd -t && { sudo systemctl reload ssh 2>/dev/null || sudo systemctl reload sshd; }"
            }
        }
    }

    /// Words after "reload": which command fits which system, when the
    /// command alone does not say it.
    pub fn reload_note(self, l: Lang) -> String {
        match self {
            Server::Plain => tr!(l, " (systemd: RHEL, Fedora, Arch, SUSE; on macOS `sudo launchctl kickstart -k system/com.openssh.sshd`, on Alpine `sudo rc-service sshd reload`)", "（systemd の RHEL、Fedora、Arch、SUSE。macOS では `sudo launchctl kickstart -k system/com.openssh.sshd`、Alpine では `sudo rc-service sshd reload`）"),
            Server::Unknown | Server::Hosting(_) => tr!(l, " (the unit is `ssh` on Debian, Ubuntu and Raspberry Pi OS, `sshd` elsewhere; FreeBSD: `sudo service sshd reload`; macOS: `sudo launchctl kickstart -k system/com.openssh.sshd`)", "（ユニット名は Debian、Ubuntu、Raspberry Pi OS では `ssh`、ほかは `sshd`。FreeBSD は `sudo service sshd reload`、macOS は `sudo launchctl kickstart -k system/com.openssh.sshd`）"),
            Server::Windows => tr!(l, " (in an administrator PowerShell)", "（管理者の PowerShell で）"),
            _ => String::new(),
        }
    }

    /// The command that shows whether sshd runs.
    pub fn status(self) -> &'static str {
        match self {
            Server::Debian => "sudo systemctl status ssh",
            Server::Plain => "sudo systemctl status sshd",
            Server::FreeBsd => "sudo service sshd status",
            Server::Windows => "Get-Service sshd",
            Server::Dropbear => "sudo systemctl status dropbear",
            Server::Hosting(_) | Server::Unknown => "sudo systemctl status ssh sshd",
        }
    }

    /// The command that shows sshd's log since `since` (journalctl's
    /// `--since` value, or `-b` for this boot).
    pub fn recent_log(self, since: &str) -> String {
        let since = if since == "-b" {
            since.to_string()
        } else {
            format!("--since '{since}'")
        };
        match self {
            Server::Debian => format!("sudo journalctl -u ssh {since}"),
            Server::Plain => format!("sudo journalctl -u sshd {since}"),
            Server::Dropbear => format!("sudo journalctl -u dropbear {since}"),
            Server::FreeBsd => "sudo tail -n 200 /var/log/auth.log".into(),
            Server::Windows => "Get-WinEvent -LogName OpenSSH/Operational -MaxEvents 200".into(),
            Server::Hosting(_) | Server::Unknown => {
                format!("sudo journalctl -u ssh -u sshd {since}")
            }
        }
    }

    /// The command that saves sshd's recent log to `server.log`, when
    /// sshexplain can read that log.
    pub fn save_log(self, since: &str) -> Option<String> {
        match self {
            Server::Windows | Server::Hosting(_) => None,
            _ => Some(format!("{} > server.log", self.recent_log(since))),
        }
    }

    /// The command that restarts sshd and shows whether it stays up.
    pub fn restart(self) -> String {
        match self {
            Server::Debian => "sudo systemctl restart ssh; sudo systemctl status ssh --no-pager -l".into(),
            Server::Plain => "sudo systemctl restart sshd; sudo systemctl status sshd --no-pager -l".into(),
            Server::FreeBsd => "sudo service sshd restart; sudo service sshd status".into(),
            Server::Windows => "Restart-Service sshd; Get-Service sshd".into(),
            Server::Dropbear => "sudo systemctl restart dropbear; sudo systemctl status dropbear --no-pager -l".into(),
            Server::Hosting(_) | Server::Unknown => "{ sudo systemctl restart ssh 2>/dev/null || sudo systemctl restart sshd; }; sudo systemctl status ssh sshd --no-pager -l".into(),
        }
    }

    /// The command that installs xauth.
    pub fn install_xauth(self) -> &'static str {
        match self {
            Server::Debian => "sudo apt-get install -y xauth",
            Server::Plain => "sudo dnf install -y xorg-x11-xauth",
            Server::FreeBsd => "sudo pkg install -y xauth",
            _ => "sudo apt-get install -y xauth || sudo dnf install -y xorg-x11-xauth",
        }
    }

    /// The command that follows the server's log while you connect.
    pub fn log(self) -> &'static str {
        match self {
            Server::Debian => "sudo journalctl -u ssh -f",
            Server::Plain => "sudo journalctl -u sshd -f",
            Server::FreeBsd => "sudo tail -f /var/log/auth.log",
            Server::Windows => "Get-WinEvent -LogName OpenSSH/Operational -MaxEvents 20",
            Server::Dropbear => "sudo journalctl -u dropbear -f || logread -f",
            Server::Hosting(_) | Server::Unknown => "sudo journalctl -u ssh -u sshd -f",
        }
    }

    /// Words after the log command, when it does not fit every system.
    pub fn log_note(self, l: Lang) -> String {
        match self {
            Server::Plain => tr!(
                l,
                " (macOS: `log stream --predicate 'process == \"sshd\"'`)",
                "（macOS では `log stream --predicate 'process == \"sshd\"'`）"
            ),
            Server::Unknown | Server::Hosting(_) => tr!(
                l,
                " (systemd; without it see /var/log/auth.log or /var/log/secure)",
                "（systemd の場合。なければ /var/log/auth.log か /var/log/secure）"
            ),
            _ => String::new(),
        }
    }

    /// The step that watches the server's log, or for a hosting service
    /// the step that says its log is not yours to read.
    pub fn log_step(self, l: Lang) -> Step {
        if let Some(h) = self.hosting() {
            return Step::say(tr!(l, "{} keeps its log to itself: what you can check is which account your key belongs to (`ssh -T git@HOST` names it) and the keys listed on {}.", "{} のログは見られません。確かめられるのは、鍵がどのアカウントのものか（`ssh -T git@HOST` が名前を出します）と {} に登録された鍵です。", h.name(), h.keys_page()));
        }
        Step::run(
            tr!(
                l,
                "Watch the server's log while you connect{}:",
                "接続しながらサーバーのログを見ます{}:",
                self.log_note(l)
            ),
            self.log(),
        )
        .on_server()
    }

    /// The step that reloads sshd after a configuration change.
    pub fn reload_step(self, l: Lang) -> Step {
        if self == Server::Dropbear {
            return Step::run(
                tr!(
                    l,
                    "Restart Dropbear so it reads its options again:",
                    "Dropbear を再起動してオプションを読み直させます:"
                ),
                self.reload(),
            )
            .on_server();
        }
        Step::run(
            tr!(
                l,
                "Check the configuration, then reload sshd{}:",
                "設定を確かめてから sshd を再読み込みします{}:",
                self.reload_note(l)
            ),
            self.reload(),
        )
        .on_server()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(banner: &str) -> Server {
        let log =
            format!("debug1: Remote protocol version 2.0, remote software version {banner}\n");
        Server::of(&crate::trace(&log), Some("example.net"))
    }

    #[test]
    fn servers_from_banners() {
        assert_eq!(server("OpenSSH_9.2p1 Debian-2+deb12u3"), Server::Debian);
        assert_eq!(server("OpenSSH_8.9p1 Ubuntu-3ubuntu0.6"), Server::Debian);
        assert_eq!(server("OpenSSH_8.7"), Server::Plain);
        assert_eq!(server("OpenSSH_9.3 FreeBSD-20230316"), Server::FreeBsd);
        assert_eq!(server("OpenSSH_for_Windows_8.1"), Server::Windows);
        assert_eq!(server("dropbear_2022.83"), Server::Dropbear);
        assert_eq!(server("babeld-8f2fe4ed"), Server::Hosting(Hosting::GitHub));
        assert_eq!(server("libssh_0.9.0"), Server::Unknown);
        let t = crate::trace("");
        assert_eq!(
            Server::of(&t, Some("github.com")),
            Server::Hosting(Hosting::GitHub)
        );
        assert_eq!(Server::of(&t, Some("gitlab.example.com")), Server::Unknown);
    }

    #[test]
    fn clients() {
        let t = crate::trace("OpenSSH_for_Windows_9.5p1, LibreSSL 3.8.2\n");
        assert_eq!(Client::of(&t), Client::Windows);
        let t = crate::trace("OpenSSH_9.8p1, LibreSSL 3.3.6\n");
        assert_eq!(Client::of(&t), Client::MacOs);
        let t = crate::trace("OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.15 3 Sep 2024\n");
        assert_eq!(Client::of(&t), Client::Unix);
        assert!(on_drvfs("/mnt/c/Users/me/key.pem"));
        assert!(!on_drvfs("/mnt/data/key.pem"));
    }

    #[test]
    fn powershell_paths() {
        assert_eq!(
            ps_path("~/.ssh/id_ed25519.pub"),
            "$env:USERPROFILE\\.ssh\\id_ed25519.pub"
        );
        assert_eq!(
            ps_path("~/.ssh/my key"),
            "(Join-Path $env:USERPROFILE '.ssh\\my key')"
        );
        assert_eq!(ps_path("C:/keys/k"), "C:\\keys\\k");
    }
}
