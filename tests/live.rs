//! Live tests: real `sshd`, real `ssh -v`, real failures, diagnosed.
//!
//! Every test here builds one failure for real on the loopback interface and
//! checks what [`sshexplain::diagnose`] makes of the client's output. The
//! "server" is one of:
//!
//! * an OpenSSH `sshd` started by the test (`/usr/sbin/sshd -D -e -f CONFIG`)
//!   on a free port of 127.0.0.1, with its own freshly generated host keys
//!   and its own `sshd_config`;
//! * a small TCP listener thread in the test that misbehaves on purpose
//!   (answers like an HTTP server, or closes the connection);
//! * nothing at all (a port nobody listens on, or a client that stops before
//!   connecting).
//!
//! The client is the real `ssh -v`, run with `-F /dev/null`, `BatchMode=yes`,
//! a known_hosts file of the test's own, no agent (`SSH_AUTH_SOCK` unset),
//! `HOME` set to a scratch directory, stdin `/dev/null`, stdout and stderr
//! captured together in order, and a hard timeout of 15 s. Before diagnosing,
//! each test checks that the failure it built really happened (a marker line
//! in the ssh output such as `Connection refused`), so that a broken setup is
//! reported as a broken setup and not as a wrong diagnosis. A failing
//! assertion prints the ssh command line, its whole output, the diagnosis and
//! the server's log.
//!
//! Requirements: `/usr/sbin/sshd` (Debian: `openssh-server`), `ssh` and
//! `ssh-keygen` (`openssh-client`). A test whose programs are missing prints
//! `SKIPPED live test NAME: WHY` to stderr (even when cargo captures output)
//! and returns. Run as root, the tests create sshd's privilege separation
//! directory `/run/sshd` when it is missing and set `PermitRootLogin yes`;
//! run as any other user, sshd can only log in that same user, which is the
//! user the tests log in as.
//!
//! Each test has its own scratch directory (under [`std::env::temp_dir`],
//! removed at the end) and its own ports, so the tests run in parallel.
//! Nothing leaves the machine: every address used is 127.0.0.1 or ::1.
//!
//! Environment knobs, for debugging: `SSHEXPLAIN_LIVE_KEEP=1` keeps the
//! scratch directories (configs, keys, the ssh output, the sshd log);
//! `SSHEXPLAIN_LIVE_SSHD=/ABSOLUTE/PATH` uses another sshd binary (a missing
//! one shows the skip messages).

mod harness {
    use std::collections::HashMap;
    use std::env;
    use std::fmt::Write as _;
    use std::fs::{self, File};
    use std::io::{self, ErrorKind, Read, Write};
    use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
    use std::os::unix::fs::PermissionsExt;
    use std::path::{Path, PathBuf};
    use std::process::{self, Child, Command, ExitStatus, Stdio};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, OnceLock};
    use std::thread::{self, JoinHandle};
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    /// The server binary (overridable with `SSHEXPLAIN_LIVE_SSHD`).
    const DEFAULT_SSHD: &str = "/usr/sbin/sshd";
    /// ssh gets killed after this long: every scenario ends well before.
    const SSH_HARD_TIMEOUT: Duration = Duration::from_secs(15);
    /// How long a freshly started sshd may take to accept connections.
    const SSHD_READY_TIMEOUT: Duration = Duration::from_secs(10);
    /// How long a fake server waits for its one client.
    const FAKE_SERVER_LIFETIME: Duration = Duration::from_secs(30);
    /// Read/write timeout of a fake server's connection.
    const FAKE_SERVER_IO_TIMEOUT: Duration = Duration::from_secs(10);
    /// Every address the tests use.
    pub const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

    /// Which programs a scenario needs.
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub enum Needs {
        /// `ssh` and `ssh-keygen` only.
        Client,
        /// `ssh`, `ssh-keygen` and sshd.
        Server,
    }

    struct Tools {
        ssh: Option<PathBuf>,
        keygen: Option<PathBuf>,
        sshd: PathBuf,
    }

    fn find_program(name: &str) -> Option<PathBuf> {
        let path = env::var_os("PATH").unwrap_or_default();
        env::split_paths(&path)
            .chain([PathBuf::from("/usr/bin"), PathBuf::from("/bin")])
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    }

    fn tools() -> &'static Tools {
        static TOOLS: OnceLock<Tools> = OnceLock::new();
        TOOLS.get_or_init(|| Tools {
            ssh: find_program("ssh"),
            keygen: find_program("ssh-keygen"),
            sshd: env::var_os("SSHEXPLAIN_LIVE_SSHD")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(DEFAULT_SSHD)),
        })
    }

    /// Prints a line that cargo's output capture does not swallow, so that a
    /// skipped test is visible in a plain `cargo test` run.
    pub fn say(line: &str) {
        let mut err = io::stderr().lock();
        // Nothing sensible to do if stderr itself is gone.
        let _ = writeln!(err, "{line}");
    }

    /// The account the tests run as, and log in as.
    struct Account {
        name: String,
        root: bool,
        /// The passwd home directory: ssh reads its default keys from there,
        /// whatever `HOME` says.
        home: Option<PathBuf>,
    }

    fn command_stdout(program: &str, args: &[&str]) -> Option<String> {
        let out = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        let text = text.trim();
        (out.status.success() && !text.is_empty()).then(|| text.to_string())
    }

    fn account() -> &'static Account {
        static ACCOUNT: OnceLock<Account> = OnceLock::new();
        ACCOUNT.get_or_init(|| {
            let non_empty = |v: String| (!v.is_empty()).then_some(v);
            let name = command_stdout("id", &["-un"])
                .or_else(|| env::var("USER").ok().and_then(non_empty))
                .or_else(|| env::var("LOGNAME").ok().and_then(non_empty))
                .expect("cannot tell the current user: `id -un` failed and USER/LOGNAME are unset");
            let root = match command_stdout("id", &["-u"]) {
                Some(uid) => uid == "0",
                None => name == "root",
            };
            let home = command_stdout("getent", &["passwd", &name])
                .and_then(|entry| entry.split(':').nth(5).map(PathBuf::from))
                .or_else(|| env::var_os("HOME").map(PathBuf::from));
            Account { name, root, home }
        })
    }

    /// A scratch directory, removed on drop.
    pub struct TempDir {
        path: PathBuf,
    }

    impl TempDir {
        fn new(test: &str) -> TempDir {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            loop {
                let n = COUNTER.fetch_add(1, Ordering::Relaxed);
                let path = env::temp_dir().join(format!(
                    "sshexplain-live-{test}-{}-{n}-{nanos:08x}",
                    process::id()
                ));
                match fs::create_dir(&path) {
                    Ok(()) => {
                        fs::set_permissions(&path, fs::Permissions::from_mode(0o700))
                            .unwrap_or_else(|e| panic!("chmod 700 {}: {e}", path.display()));
                        return TempDir { path };
                    }
                    Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                    Err(e) => panic!("cannot create scratch directory {}: {e}", path.display()),
                }
            }
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            if env::var_os("SSHEXPLAIN_LIVE_KEEP").is_some() {
                say(&format!("live test: kept {}", self.path.display()));
                return;
            }
            if let Err(e) = fs::remove_dir_all(&self.path) {
                say(&format!(
                    "live test: could not remove {}: {e}",
                    self.path.display()
                ));
            }
        }
    }

    /// A port of 127.0.0.1 that was free a moment ago.
    pub fn free_port() -> u16 {
        TcpListener::bind((LOOPBACK, 0))
            .and_then(|l| l.local_addr())
            .expect("bind 127.0.0.1:0 to find a free port")
            .port()
    }

    /// A loopback port the test keeps busy, on 127.0.0.1 and (when the
    /// machine has IPv6) on [::1]: ssh binds `localhost` forwards on both
    /// address families and succeeds if either works.
    pub struct HeldPort {
        pub port: u16,
        _v4: TcpListener,
        _v6: Option<TcpListener>,
    }

    pub fn hold_port() -> HeldPort {
        for _ in 0..20 {
            let v4 = TcpListener::bind((LOOPBACK, 0)).expect("bind 127.0.0.1:0 to hold a port");
            let port = v4
                .local_addr()
                .expect("local address of a bound listener")
                .port();
            match TcpListener::bind((Ipv6Addr::LOCALHOST, port)) {
                Ok(v6) => {
                    return HeldPort {
                        port,
                        _v4: v4,
                        _v6: Some(v6),
                    }
                }
                // Someone else has [::1]:port and may let it go: try another.
                Err(e) if e.kind() == ErrorKind::AddrInUse => continue,
                // No IPv6 loopback: ssh cannot bind there either.
                Err(_) => {
                    return HeldPort {
                        port,
                        _v4: v4,
                        _v6: None,
                    }
                }
            }
        }
        panic!("found no port free on both 127.0.0.1 and [::1] in 20 tries");
    }

    /// One test's world: its scratch directory, client key, known_hosts,
    /// authorized_keys.
    pub struct Scenario {
        name: &'static str,
        ssh: PathBuf,
        keygen: PathBuf,
        sshd: PathBuf,
        dir: TempDir,
        runs: AtomicUsize,
        /// The client's ed25519 key (authorized by default).
        pub key: PathBuf,
    }

    impl Scenario {
        /// Sets a scenario up, or prints why it is skipped and returns `None`.
        pub fn new(name: &'static str, needs: Needs) -> Option<Scenario> {
            let t = tools();
            let found = match (&t.ssh, &t.keygen) {
                (Some(ssh), Some(keygen)) if needs == Needs::Client || t.sshd.is_file() => {
                    Ok((ssh.clone(), keygen.clone()))
                }
                (None, _) => {
                    Err("ssh not found in PATH (apt-get install openssh-client)".to_string())
                }
                (_, None) => {
                    Err("ssh-keygen not found in PATH (apt-get install openssh-client)".to_string())
                }
                _ => Err(format!(
                    "{} not found (apt-get install openssh-server)",
                    t.sshd.display()
                )),
            };
            let (ssh, keygen) = match found {
                Ok(programs) => programs,
                Err(why) => {
                    say(&format!("SKIPPED live test {name}: {why}"));
                    return None;
                }
            };
            let dir = TempDir::new(name);
            let s = Scenario {
                name,
                ssh,
                keygen,
                sshd: t.sshd.clone(),
                key: dir.path.join("key"),
                dir,
                runs: AtomicUsize::new(0),
            };
            fs::create_dir(s.path("home")).expect("create the client's scratch HOME");
            s.keygen("ed25519", &s.key);
            s.authorize(&[&s.key]);
            s.write("known_hosts", "");
            Some(s)
        }

        /// The login user.
        pub fn user(&self) -> &'static str {
            &account().name
        }

        /// A path inside the scratch directory.
        pub fn path(&self, name: &str) -> PathBuf {
            self.dir.path.join(name)
        }

        /// Writes a file of the scratch directory.
        pub fn write(&self, name: &str, content: &str) {
            let path = self.path(name);
            fs::write(&path, content)
                .unwrap_or_else(|e| panic!("{}: write {}: {e}", self.name, path.display()));
        }

        /// Sets a file's mode.
        pub fn chmod(&self, path: &Path, mode: u32) {
            fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap_or_else(|e| {
                panic!("{}: chmod {mode:o} {}: {e}", self.name, path.display())
            });
        }

        /// Reads a file of the scratch directory.
        pub fn read(&self, path: &Path) -> String {
            fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("{}: read {}: {e}", self.name, path.display()))
        }

        /// `ssh-keygen -t KIND -f PATH` with an empty passphrase.
        fn keygen(&self, kind: &str, path: &Path) {
            let mut cmd = Command::new(&self.keygen);
            cmd.args(["-q", "-t", kind, "-N", "", "-C", "sshexplain-live"]);
            if kind == "rsa" {
                // Smaller than the default 3072 bits: quicker, still accepted.
                cmd.args(["-b", "2048"]);
            }
            let out = cmd
                .arg("-f")
                .arg(path)
                .stdin(Stdio::null())
                .output()
                .unwrap_or_else(|e| panic!("{}: cannot run ssh-keygen: {e}", self.name));
            assert!(
                out.status.success(),
                "{}: ssh-keygen -t {kind} -f {} failed ({}): {}",
                self.name,
                path.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }

        /// Generates another key pair (`NAME` and `NAME.pub`).
        pub fn new_key(&self, name: &str, kind: &str) -> PathBuf {
            let path = self.path(name);
            self.keygen(kind, &path);
            path
        }

        /// Signs `key.pub` with the CA key `ca`: `ssh-keygen -s`, giving `key-cert.pub`.
        pub fn sign_user_key(&self, ca: &Path, key: &Path, principal: &str, validity: &str) {
            let out = Command::new(&self.keygen)
                .args(["-q", "-s"])
                .arg(ca)
                .args(["-I", "sshexplain-live", "-n", principal, "-V", validity])
                .arg(pub_path(key))
                .stdin(Stdio::null())
                .output()
                .unwrap_or_else(|e| panic!("{}: cannot run ssh-keygen -s: {e}", self.name));
            assert!(
                out.status.success(),
                "{}: ssh-keygen -s failed ({}): {}",
                self.name,
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }

        /// Replaces the server's authorized_keys with these keys' public halves.
        pub fn authorize(&self, keys: &[&Path]) {
            let text: String = keys.iter().map(|k| self.read(&pub_path(k))).collect();
            self.write("authorized_keys", &text);
        }

        /// Writes known_hosts lines for `[127.0.0.1]:PORT` from public key files.
        pub fn known_hosts(&self, port: u16, host_keys: &[PathBuf]) {
            let mut text = String::new();
            for k in host_keys {
                let public = self.read(&pub_path(k));
                let fields: Vec<&str> = public.split_whitespace().take(2).collect();
                // Infallible: writing into a String.
                let _ = writeln!(text, "[{LOOPBACK}]:{port} {}", fields.join(" "));
            }
            self.write("known_hosts", &text);
        }

        /// Makes the client trust this server's real host keys.
        pub fn trust(&self, sshd: &Sshd) {
            self.known_hosts(sshd.port, &sshd.host_keys);
        }

        /// Starts sshd with ed25519 and RSA host keys; `extra` lines come
        /// first in its config (sshd keeps the first value it reads).
        pub fn sshd(&self, extra: &[&str]) -> Sshd {
            self.sshd_with_host_keys(&["ed25519", "rsa"], extra)
        }

        /// Starts sshd with host keys of the given types only.
        pub fn sshd_with_host_keys(&self, kinds: &[&str], extra: &[&str]) -> Sshd {
            let account = account();
            if account.root {
                fs::create_dir_all("/run/sshd")
                    .expect("create /run/sshd, sshd's privilege separation directory");
            }
            let mut host_keys = Vec::new();
            for kind in kinds {
                let path = self.path(&format!("host_{kind}"));
                if !path.exists() {
                    self.keygen(kind, &path);
                }
                host_keys.push(path);
            }
            let mut last_log = String::new();
            for _attempt in 0..3 {
                let port = free_port();
                let mut config = String::new();
                for line in extra {
                    let _ = writeln!(config, "{line}");
                }
                let _ = writeln!(config, "ListenAddress {LOOPBACK}:{port}");
                for k in &host_keys {
                    let _ = writeln!(config, "HostKey {}", k.display());
                }
                let _ = writeln!(
                    config,
                    "PidFile none\nUsePAM no\nStrictModes no\nAuthorizedKeysFile {}\n\
                     LogLevel DEBUG1\nKbdInteractiveAuthentication no\nPrintMotd no\nPrintLastLog no",
                    self.path("authorized_keys").display()
                );
                if account.root {
                    let _ = writeln!(config, "PermitRootLogin yes");
                }
                let config_path = self.path(&format!("sshd_config.{port}"));
                self.write(&format!("sshd_config.{port}"), &config);
                let log = self.path(&format!("sshd.{port}.log"));
                let out = File::create(&log).expect("create the sshd log file");
                let err = out.try_clone().expect("duplicate the sshd log file handle");
                let child = Command::new(&self.sshd)
                    .args(["-D", "-e", "-f"])
                    .arg(&config_path)
                    .stdin(Stdio::null())
                    .stdout(out)
                    .stderr(err)
                    .spawn()
                    .unwrap_or_else(|e| panic!("{}: cannot start sshd: {e}", self.name));
                let mut sshd = Sshd {
                    child,
                    port,
                    log,
                    host_keys: host_keys.clone(),
                };
                match sshd.wait_ready() {
                    Ok(()) => return sshd,
                    Err(why) => {
                        last_log = sshd.log();
                        // Another process took the port between our probe and sshd's bind.
                        if last_log.contains("Address already in use") {
                            continue;
                        }
                        panic!(
                            "{}: sshd on {LOOPBACK}:{port} {why}\n--- sshd_config ---\n{config}--- sshd log ---\n{last_log}",
                            self.name
                        );
                    }
                }
            }
            panic!(
                "{}: sshd found its port taken three times in a row\n--- sshd log ---\n{last_log}",
                self.name
            );
        }

        /// An ssh command line aimed at a test sshd.
        pub fn ssh_to(&self, sshd: &Sshd) -> Ssh<'_> {
            let mut ssh = self.ssh(sshd.port);
            ssh.server_log = Some(sshd.log.clone());
            ssh
        }

        /// An ssh command line aimed at `127.0.0.1:port`.
        pub fn ssh(&self, port: u16) -> Ssh<'_> {
            Ssh {
                scenario: self,
                port: port.to_string(),
                server_log: None,
                before: Vec::new(),
                identities: vec![self.key.clone()],
                command: vec!["true".to_string()],
            }
        }

        /// Whether ssh's default key files (`~/.ssh/id_*`) are absent. ssh
        /// reads them from the passwd home directory, which no environment
        /// variable redirects; when one exists, this says the test is skipped
        /// and returns false.
        pub fn default_keys_absent(&self) -> bool {
            let Some(home) = &account().home else {
                return true;
            };
            let found: Vec<PathBuf> = sshexplain::trace::DEFAULT_IDENTITIES
                .iter()
                .map(|n| home.join(".ssh").join(n))
                .filter(|p| p.exists())
                .collect();
            if found.is_empty() {
                return true;
            }
            say(&format!(
                "SKIPPED live test {}: needs a user without default keys, but {} exists \
                 (ssh always reads ~/.ssh/id_* from the passwd home directory)",
                self.name,
                found[0].display()
            ));
            false
        }
    }

    fn pub_path(key: &Path) -> PathBuf {
        let mut s = key.as_os_str().to_owned();
        s.push(".pub");
        PathBuf::from(s)
    }

    /// A running sshd; killed, with its children, on drop.
    pub struct Sshd {
        child: Child,
        pub port: u16,
        /// sshd's own log (`-e`, its stderr).
        pub log: PathBuf,
        host_keys: Vec<PathBuf>,
    }

    impl Sshd {
        fn wait_ready(&mut self) -> Result<(), String> {
            let addr = SocketAddr::from((LOOPBACK, self.port));
            let listening = format!("Server listening on {LOOPBACK} port {}", self.port);
            let deadline = Instant::now() + SSHD_READY_TIMEOUT;
            loop {
                match self.child.try_wait() {
                    Ok(Some(status)) => return Err(format!("exited at start ({status})")),
                    Ok(None) => {}
                    Err(e) => return Err(format!("could not be polled: {e}")),
                }
                if TcpStream::connect_timeout(&addr, Duration::from_millis(250)).is_ok()
                    && self.log().contains(&listening)
                {
                    return Ok(());
                }
                if Instant::now() >= deadline {
                    return Err(format!(
                        "did not accept connections within {} s",
                        SSHD_READY_TIMEOUT.as_secs()
                    ));
                }
                thread::sleep(Duration::from_millis(25));
            }
        }

        /// What sshd has logged so far.
        pub fn log(&self) -> String {
            read_lossy(&self.log)
        }
    }

    impl Drop for Sshd {
        fn drop(&mut self) {
            // Per-connection children call setsid(), so a process group kill
            // would miss them: find them through their parent ids first.
            let children = descendants(self.child.id());
            let _ = self.child.kill();
            let _ = self.child.wait();
            if !children.is_empty() {
                // std can only signal processes it spawned; kill(1) can.
                let _ = Command::new("kill")
                    .arg("-KILL")
                    .args(children.iter().map(u32::to_string))
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
            }
        }
    }

    /// Every descendant of `root`, from /proc (empty where there is none).
    fn descendants(root: u32) -> Vec<u32> {
        let Ok(entries) = fs::read_dir("/proc") else {
            return Vec::new();
        };
        let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
        for entry in entries.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
                continue;
            };
            let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses.
            let ppid = stat
                .rfind(')')
                .and_then(|i| stat[i + 1..].split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                children.entry(ppid).or_default().push(pid);
            }
        }
        let mut found = Vec::new();
        let mut stack = vec![root];
        while let Some(pid) = stack.pop() {
            for &child in children.get(&pid).into_iter().flatten() {
                found.push(child);
                stack.push(child);
            }
        }
        found
    }

    fn read_lossy(path: &Path) -> String {
        match fs::read(path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => format!("(cannot read {}: {e})", path.display()),
        }
    }

    /// An `ssh -v` command line being built.
    pub struct Ssh<'a> {
        scenario: &'a Scenario,
        port: String,
        server_log: Option<PathBuf>,
        before: Vec<String>,
        identities: Vec<PathBuf>,
        command: Vec<String>,
    }

    impl Ssh<'_> {
        /// Adds `-o OPTION` ahead of the defaults (ssh keeps the first value).
        pub fn option(mut self, option: &str) -> Self {
            self.before.push("-o".to_string());
            self.before.push(option.to_string());
            self
        }

        /// Adds raw arguments ahead of the defaults.
        pub fn args(mut self, args: &[&str]) -> Self {
            self.before.extend(args.iter().map(|a| a.to_string()));
            self
        }

        /// Replaces the `-i` keys.
        pub fn identities(mut self, keys: &[&Path]) -> Self {
            self.identities = keys.iter().map(|k| k.to_path_buf()).collect();
            self
        }

        /// Replaces the `-p` argument, even with something that is no port.
        pub fn port_arg(mut self, port: &str) -> Self {
            self.port = port.to_string();
            self
        }

        /// Replaces the remote command (empty: none).
        pub fn command(mut self, command: &[&str]) -> Self {
            self.command = command.iter().map(|a| a.to_string()).collect();
            self
        }

        fn argv(&self) -> Vec<String> {
            let s = self.scenario;
            let mut argv = vec!["-v".to_string()];
            argv.extend(self.before.iter().cloned());
            for option in [
                "-F",
                "/dev/null",
                "-o",
                "BatchMode=yes",
                "-o",
                "ConnectTimeout=5",
                "-o",
                &format!("UserKnownHostsFile={}", s.path("known_hosts").display()),
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "IdentitiesOnly=yes",
            ] {
                argv.push(option.to_string());
            }
            for key in &self.identities {
                argv.push("-i".to_string());
                argv.push(key.display().to_string());
            }
            argv.push("-p".to_string());
            argv.push(self.port.clone());
            argv.push(format!("{}@{LOOPBACK}", s.user()));
            argv.extend(self.command.iter().cloned());
            argv
        }

        /// Runs `sshexplain run EXTRA... ARGV` (this command line without its
        /// `-v`: `run` adds it) and returns its output.
        pub fn explain_run(self, extra: &[&str]) -> std::process::Output {
            let s = self.scenario;
            let argv = self.argv();
            Command::new(env!("CARGO_BIN_EXE_sshexplain"))
                .arg("run")
                .args(extra)
                .args(&argv[1..])
                .stdin(Stdio::null())
                .env("HOME", s.path("home"))
                .env_remove("SSH_AUTH_SOCK")
                .env_remove("SSH_ASKPASS")
                .env_remove("DISPLAY")
                .env("LC_ALL", "C")
                .output()
                .unwrap_or_else(|e| panic!("{}: cannot start sshexplain run: {e}", s.name))
        }

        /// Runs this ssh command line (without its `-v`: the wrapper adds
        /// it) in `shell` after `eval "$(sshexplain init SHELL)"`, then
        /// `sshexplain last`. With `pty`, the whole script runs under
        /// `script` (a terminal), with `-tt` added. HOME is the scenario's.
        pub fn wrapped(self, shell: &Path, pty: bool, wrapper: bool) -> Wrapped {
            let s = self.scenario;
            let mut argv = self.argv();
            argv.remove(0);
            if pty {
                argv.insert(0, "-tt".to_string());
            }
            let name = shell
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let line = argv
                .iter()
                .map(|a| shell_quote(a))
                .collect::<Vec<_>>()
                .join(" ");
            // Without the wrapper, `command ssh` runs ssh itself.
            let ssh = if wrapper { "ssh" } else { "command ssh" };
            let script = format!(
                "eval \"$(sshexplain init {name})\"\n{ssh} {line}\necho \"rc=$?\" >&2\nsshexplain last --color never\n"
            );
            let file = s.path(&format!("wrapped-{name}-{pty}-{wrapper}.sh"));
            fs::write(&file, &script).expect("write the wrapper script");
            let bin = PathBuf::from(env!("CARGO_BIN_EXE_sshexplain"));
            let path = format!(
                "{}:{}",
                bin.parent().expect("bin dir").display(),
                env::var("PATH").unwrap_or_default()
            );
            let mut cmd = if pty {
                let mut c = Command::new("script");
                c.args([
                    "-qec",
                    &format!("{} {}", shell.display(), file.display()),
                    "/dev/null",
                ]);
                c
            } else {
                let mut c = Command::new(shell);
                c.arg(&file);
                c
            };
            let out = cmd
                .stdin(Stdio::null())
                .env("HOME", s.path("home"))
                .env("PATH", path)
                .env_remove("XDG_STATE_HOME")
                .env_remove("SSH_AUTH_SOCK")
                .env_remove("DISPLAY")
                .env("LC_ALL", "C")
                .env("NO_COLOR", "1")
                .output()
                .unwrap_or_else(|e| panic!("{}: cannot run {}: {e}", s.name, shell.display()));
            let kept = fs::read_dir(s.path("home").join(".local/state/sshexplain"))
                .map(|d| d.flatten().count())
                .unwrap_or(0);
            Wrapped {
                stdout: String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"),
                stderr: String::from_utf8_lossy(&out.stderr).replace("\r\n", "\n"),
                kept,
            }
        }

        /// Runs ssh to the end (or to the hard timeout).
        pub fn run(self) -> Run {
            let s = self.scenario;
            let argv = self.argv();
            let n = s.runs.fetch_add(1, Ordering::Relaxed);
            let capture = s.path(&format!("ssh-output.{n}.txt"));
            // One open file for both streams: writes land in the order ssh made them.
            let out = File::create(&capture).expect("create the ssh output capture file");
            let err = out
                .try_clone()
                .expect("duplicate the ssh output capture file handle");
            let started = Instant::now();
            let mut child = Command::new(&s.ssh)
                .args(&argv)
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .env("HOME", s.path("home"))
                .env_remove("SSH_AUTH_SOCK")
                .env_remove("SSH_ASKPASS")
                .env_remove("SSH_ASKPASS_REQUIRE")
                .env_remove("DISPLAY")
                .spawn()
                .unwrap_or_else(|e| panic!("{}: cannot start ssh: {e}", s.name));
            let (status, timed_out) = loop {
                match child.try_wait() {
                    Ok(Some(status)) => break (Some(status), false),
                    Ok(None) => {}
                    Err(e) => panic!("{}: cannot poll ssh: {e}", s.name),
                }
                if started.elapsed() >= SSH_HARD_TIMEOUT {
                    let _ = child.kill();
                    break (child.wait().ok(), true);
                }
                thread::sleep(Duration::from_millis(10));
            };
            let command_line = std::iter::once(s.ssh.display().to_string())
                .chain(argv.iter().map(|a| shell_quote(a)))
                .collect::<Vec<_>>()
                .join(" ");
            Run {
                test: s.name,
                command_line,
                output: read_lossy(&capture),
                status,
                timed_out,
                elapsed: started.elapsed(),
                server_log: self.server_log,
            }
        }
    }

    fn shell_quote(arg: &str) -> String {
        if !arg.is_empty()
            && arg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_=./:@%+,".contains(c))
        {
            arg.to_string()
        } else {
            format!("'{}'", arg.replace('\'', r"'\''"))
        }
    }

    /// What a wrapped ssh printed, and how many logs the wrapper kept.
    #[derive(Debug)]
    pub struct Wrapped {
        /// Its stdout (CRLF from a terminal made LF).
        pub stdout: String,
        /// Its stderr.
        pub stderr: String,
        /// Files left in the wrapper's state directory.
        pub kept: usize,
    }

    /// A finished ssh run.
    pub struct Run {
        test: &'static str,
        command_line: String,
        /// stdout and stderr, interleaved as ssh wrote them.
        pub output: String,
        status: Option<ExitStatus>,
        timed_out: bool,
        elapsed: Duration,
        server_log: Option<PathBuf>,
    }

    impl Run {
        /// Everything needed to debug a mismatch.
        fn context(&self) -> String {
            let status = match (self.timed_out, self.status) {
                (true, _) => format!(
                    "killed after the {} s hard timeout",
                    SSH_HARD_TIMEOUT.as_secs()
                ),
                (false, Some(s)) => s.to_string(),
                (false, None) => "unknown".to_string(),
            };
            let mut text = format!(
                "\n--- command ---\n{}\n--- {status}, {:.1} s ---\n--- ssh output ---\n{}",
                self.command_line,
                self.elapsed.as_secs_f64(),
                self.output
            );
            if let Some(log) = &self.server_log {
                let _ = write!(text, "--- sshd log ---\n{}", read_lossy(log));
            }
            text
        }

        /// The diagnosis of the output joined with sshd's log of the run
        /// (`sshexplain --server`), when the run had a server.
        fn joined(&self) -> Option<sshexplain::Diagnosis> {
            let log = fs::read(self.server_log.as_ref()?).ok()?;
            let split = sshexplain::attempts_with_server(
                io::Cursor::new(self.output.as_bytes()),
                io::Cursor::new(log),
                sshexplain::lang::Lang::En,
            )
            .expect("in-memory read");
            Some(sshexplain::diagnose::diagnose_trace(&split.last))
        }

        /// Checks the cause named when sshd's log is joined to the output,
        /// and that the primary cites a line of that log, as it stands there.
        pub fn assert_joined(&self, primary: &str) -> &Self {
            let d = self.joined().expect("a run against a test sshd");
            let log = read_lossy(self.server_log.as_ref().expect("sshd log"));
            let server: Vec<_> = d
                .primary
                .evidence
                .iter()
                .filter(|e| e.side == sshexplain::event::Side::Server)
                .collect();
            assert!(
                d.primary.cause.id == primary && !server.is_empty(),
                "{}: with sshd's log joined, expected {primary} citing a server line, got {} {:?}{}",
                self.test,
                d.primary.cause.id,
                d.primary.evidence,
                self.context()
            );
            self.assert_cited(server, &log, "sshd's log", "");
            self
        }

        /// Checks that each evidence line is that line of `input` (the
        /// output, or sshd's log), as it stands there.
        fn assert_cited<'e>(
            &self,
            evidence: impl IntoIterator<Item = &'e sshexplain::diagnose::Evidence>,
            input: &str,
            name: &str,
            got: &str,
        ) {
            let lines: Vec<&str> = input.split('\n').collect();
            for ev in evidence {
                let cited = ev.line.checked_sub(1).and_then(|i| lines.get(i));
                assert!(
                    cited.is_some_and(|l| l.contains(ev.text.trim())),
                    "{}: evidence line {} {:?} is not that line of {name} ({:?})\n{got}{}",
                    self.test,
                    ev.line,
                    ev.text,
                    cited,
                    self.context()
                );
            }
        }

        /// Checks the exit status.
        pub fn assert_exit(&self, code: i32) -> &Self {
            assert!(
                !self.timed_out && self.status.and_then(|s| s.code()) == Some(code),
                "{}: expected ssh to exit with status {code}{}",
                self.test,
                self.context()
            );
            self
        }

        /// Proof that the scenario happened: ssh printed `marker`.
        pub fn assert_shows(&self, marker: &str) -> &Self {
            assert!(
                self.output.contains(marker),
                "{}: broken setup: the ssh output lacks {marker:?}, so the failure this \
                 test is about did not happen{}",
                self.test,
                self.context()
            );
            self
        }

        /// Diagnoses the output and checks the primary cause, the secondary
        /// causes that must be among the others, and that the primary cites
        /// real lines of the output.
        pub fn assert_diagnosis(&self, primary: &str, secondary: &[&str]) {
            let d = sshexplain::diagnose(&self.output);
            let others: Vec<&str> = d.secondary.iter().map(|f| f.cause.id).collect();
            let missing: Vec<&str> = secondary
                .iter()
                .copied()
                .filter(|id| !others.contains(id))
                .collect();
            let mut got = format!(
                "--- diagnosis ---\nprimary {} ({} confidence): {}\n",
                d.primary.cause.id,
                d.primary.confidence.name(),
                d.primary.summary
            );
            for ev in &d.primary.evidence {
                let _ = writeln!(got, "  evidence line {}: {}", ev.line, ev.text);
            }
            let _ = writeln!(got, "secondary {others:?}");
            assert!(
                d.primary.cause.id == primary && missing.is_empty(),
                "{}: expected primary {primary} with secondary {secondary:?}\n{got}{}",
                self.test,
                self.context()
            );
            // With the server's log joined, the answer is the same cause or
            // the server's own reason for it, never another client-side one.
            if let Some(joined) = self.joined() {
                let id = joined.primary.cause.id;
                assert!(
                    id == primary || sshexplain::diagnose::server_side(id),
                    "{}: with the server's log joined, the primary is {id}, not {primary} or a server-side cause{}",
                    self.test,
                    self.context()
                );
            }
            assert!(
                !d.primary.evidence.is_empty(),
                "{}: the {primary} diagnosis cites no evidence\n{got}{}",
                self.test,
                self.context()
            );
            self.assert_cited(&d.primary.evidence, &self.output, "the output", &got);
        }
    }

    /// How a fake server treats its one connection.
    #[derive(Clone, Copy)]
    pub enum Fake {
        /// Reads the client's identification line, answers like a web
        /// server (`HTTP/1.1 400 Bad Request`), and closes.
        Http400,
        /// Reads the client's identification line and closes (FIN), like a
        /// port forward with no backend.
        Close,
        /// A hostile server (or an on-path attacker rewriting the cleartext
        /// start of the connection): a version string carrying Markdown and
        /// backticks, then a KEXINIT whose every algorithm list is
        /// [`HOSTILE_ALGORITHM`].
        HostileKex,
    }

    /// What the hostile server offers as its only algorithm: printable, so
    /// ssh prints it unescaped in `Their offer:`.
    pub const HOSTILE_ALGORITHM: &str = "x$(touch${IFS}PWNED_KEX)`touch${IFS}PWNED_TICK`";
    /// The hostile server's software version.
    pub const HOSTILE_VERSION: &str =
        "x`a`[**Fix:_run_curl_evil|sh**](https://evil.example)<b>y</b>";

    /// An SSH binary packet (RFC 4253 §6) holding `payload`, unencrypted.
    fn packet(payload: &[u8]) -> Vec<u8> {
        let mut padding = 8 - (payload.len() + 5) % 8;
        if padding < 4 {
            padding += 8;
        }
        let len = (1 + payload.len() + padding) as u32;
        let mut p = len.to_be_bytes().to_vec();
        p.push(padding as u8);
        p.extend_from_slice(payload);
        p.extend(std::iter::repeat_n(0u8, padding));
        p
    }

    /// SSH_MSG_KEXINIT offering `alg` for every list but compression.
    fn kexinit(alg: &str) -> Vec<u8> {
        let mut m = vec![20u8];
        m.extend_from_slice(&[7u8; 16]);
        for i in 0..10 {
            let list: &[u8] = match i {
                6 | 7 => b"none",
                8 | 9 => b"",
                _ => alg.as_bytes(),
            };
            m.extend_from_slice(&(list.len() as u32).to_be_bytes());
            m.extend_from_slice(list);
        }
        m.push(0);
        m.extend_from_slice(&0u32.to_be_bytes());
        packet(&m)
    }

    /// A listener thread on a free 127.0.0.1 port serving one connection.
    pub struct FakeServer {
        pub port: u16,
        stop: Arc<AtomicBool>,
        thread: Option<JoinHandle<()>>,
    }

    impl FakeServer {
        pub fn start(behaviour: Fake) -> FakeServer {
            let listener =
                TcpListener::bind((LOOPBACK, 0)).expect("bind 127.0.0.1:0 for a fake server");
            let port = listener
                .local_addr()
                .expect("local address of a bound listener")
                .port();
            listener
                .set_nonblocking(true)
                .expect("make the fake server's listener non-blocking");
            let stop = Arc::new(AtomicBool::new(false));
            let stopped = Arc::clone(&stop);
            let thread = thread::spawn(move || {
                let deadline = Instant::now() + FAKE_SERVER_LIFETIME;
                while !stopped.load(Ordering::Relaxed) && Instant::now() < deadline {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            // A broken connection is visible in the ssh output.
                            let _ = serve(stream, behaviour);
                            return;
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => {
                            thread::sleep(Duration::from_millis(10));
                        }
                        Err(_) => return,
                    }
                }
            });
            FakeServer {
                port,
                stop,
                thread: Some(thread),
            }
        }
    }

    impl Drop for FakeServer {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::Relaxed);
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
        }
    }

    fn serve(mut stream: TcpStream, behaviour: Fake) -> io::Result<()> {
        stream.set_nonblocking(false)?;
        stream.set_read_timeout(Some(FAKE_SERVER_IO_TIMEOUT))?;
        stream.set_write_timeout(Some(FAKE_SERVER_IO_TIMEOUT))?;
        // Read what the client sends first (its identification line), as a
        // real server would: closing with unread data would send an RST
        // instead of the FIN these scenarios are about.
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while line.len() < 1024 && stream.read(&mut byte)? == 1 {
            line.push(byte[0]);
            if byte[0] == b'\n' {
                break;
            }
        }
        match behaviour {
            Fake::Http400 => stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n")?,
            Fake::HostileKex => {
                stream.write_all(format!("SSH-2.0-{HOSTILE_VERSION}\r\n").as_bytes())?;
                stream.write_all(&kexinit(HOSTILE_ALGORITHM))?;
                // Let the client read the offer and give up on its own.
                thread::sleep(Duration::from_millis(500));
            }
            Fake::Close => {}
        }
        stream.shutdown(Shutdown::Write)?;
        // Wait for the client to hang up, so nothing unread is left behind.
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink)? > 0 {}
        Ok(())
    }
}

#[path = "common/bash.rs"]
mod bash;
#[path = "common/safety.rs"]
mod safety;

use harness::{free_port, hold_port, Fake, FakeServer, Needs, Scenario, HOSTILE_ALGORITHM};
use std::path::{Path, PathBuf};

/// The baseline: an authorized key, a trusted host key, a command that
/// succeeds.
#[test]
fn ok_connected() {
    let Some(s) = Scenario::new("ok_connected", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&[]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(0)
        .assert_shows("Authenticated to 127.0.0.1")
        .assert_diagnosis("ok.connected", &[]);
}

/// The classic lock-out: password logins switched off before the key was
/// installed.
#[test]
fn auth_key_rejected_lockout() {
    let Some(s) = Scenario::new("auth_key_rejected_lockout", Needs::Server) else {
        return;
    };
    s.authorize(&[]);
    let sshd = s.sshd(&["PasswordAuthentication no"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("Offering public key")
        .assert_shows("Permission denied (publickey)")
        .assert_diagnosis("auth.key-rejected", &["auth.method-unavailable"]);
}

/// sshd does not accept the key's type: the client sees its key refused,
/// sshd's log says why.
#[test]
fn auth_key_type_refused_both_sides() {
    let Some(s) = Scenario::new("auth_key_type_refused_both_sides", Needs::Server) else {
        return;
    };
    s.authorize(&[]);
    let sshd = s.sshd(&[
        "PasswordAuthentication no",
        "PubkeyAcceptedAlgorithms rsa-sha2-512",
    ]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("Permission denied (publickey)")
        .assert_joined("auth.key-type-refused")
        .assert_diagnosis("auth.key-rejected", &[]);
    // `sshexplain run --server-log` joins the same log after its own attempt.
    let out = s.ssh_to(&sshd).explain_run(&[
        "--server-log",
        &sshd.log.display().to_string(),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "run --server-log printed no JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(
        json["diagnoses"][0]["id"], "auth.key-type-refused",
        "run --server-log: {json}"
    );
    assert!(json["server_log"]["matched_by"].is_array(), "{json}");
}

/// known_hosts holds another ed25519 key for `[127.0.0.1]:PORT`.
#[test]
fn hostkey_changed() {
    let Some(s) = Scenario::new("hostkey_changed", Needs::Server) else {
        return;
    };
    let impostor = s.new_key("old_host_ed25519", "ed25519");
    let sshd = s.sshd(&[]);
    s.known_hosts(sshd.port, &[impostor]);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("REMOTE HOST IDENTIFICATION HAS CHANGED")
        .assert_diagnosis("hostkey.changed", &[]);
}

/// First connection in BatchMode: an empty known_hosts and strict checking.
#[test]
fn hostkey_unknown() {
    let Some(s) = Scenario::new("hostkey_unknown", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&[]);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("Host key verification failed.")
        .assert_diagnosis("hostkey.unknown", &[]);
}

/// A server that only offers SHA-1 Diffie-Hellman group 1.
#[test]
fn kex_no_common_kex() {
    let Some(s) = Scenario::new("kex_no_common_kex", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&["KexAlgorithms diffie-hellman-group1-sha1"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("no matching key exchange method found")
        .assert_diagnosis("kex.no-common-kex", &[]);
}

/// A legacy server that only offers a CBC cipher.
#[test]
fn kex_no_common_cipher() {
    let Some(s) = Scenario::new("kex_no_common_cipher", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&["Ciphers aes128-cbc"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("no matching cipher found")
        .assert_diagnosis("kex.no-common-cipher", &[]);
}

/// A legacy server that only offers MD5 MACs (with a non-AEAD cipher, so
/// that a MAC is negotiated at all).
#[test]
fn kex_no_common_mac() {
    let Some(s) = Scenario::new("kex_no_common_mac", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&["Ciphers aes128-ctr", "MACs hmac-md5"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("no matching MAC found")
        .assert_diagnosis("kex.no-common-mac", &[]);
}

/// A server whose only host key algorithm is ssh-rsa (SHA-1), which clients
/// refuse since OpenSSH 8.8.
#[test]
fn kex_no_common_hostkey() {
    let Some(s) = Scenario::new("kex_no_common_hostkey", Needs::Server) else {
        return;
    };
    let sshd = s.sshd_with_host_keys(&["rsa"], &["HostKeyAlgorithms ssh-rsa"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("no matching host key type found")
        .assert_diagnosis("kex.no-common-hostkey", &[]);
}

/// Nothing listens on the port.
#[test]
fn connect_refused() {
    let Some(s) = Scenario::new("connect_refused", Needs::Client) else {
        return;
    };
    let run = s.ssh(free_port()).run();
    run.assert_exit(255)
        .assert_shows("Connection refused")
        .assert_diagnosis("connect.refused", &[]);
}

/// The (authorized) private key is readable by everyone, so ssh ignores it.
#[test]
fn auth_key_unprotected() {
    let Some(s) = Scenario::new("auth_key_unprotected", Needs::Server) else {
        return;
    };
    s.chmod(&s.key, 0o644);
    let sshd = s.sshd(&["PasswordAuthentication no"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("UNPROTECTED PRIVATE KEY FILE")
        .assert_diagnosis("auth.key-unprotected", &[]);
}

/// The (authorized) private key file is truncated, as after an incomplete
/// copy and paste; its .pub file is intact.
#[test]
fn auth_key_load_failed() {
    let Some(s) = Scenario::new("auth_key_load_failed", Needs::Server) else {
        return;
    };
    let private = s.read(&s.key);
    let truncated: String = private.lines().take(4).map(|l| format!("{l}\n")).collect();
    s.write("key", &truncated);
    let sshd = s.sshd(&["PasswordAuthentication no"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("Load key")
        .assert_diagnosis("auth.key-load-failed", &[]);
}

/// No key at all on the client, and a server that only takes public keys.
#[test]
fn auth_no_identities() {
    let Some(s) = Scenario::new("auth_no_identities", Needs::Server) else {
        return;
    };
    if !s.default_keys_absent() {
        return;
    }
    let sshd = s.sshd(&["PasswordAuthentication no"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).identities(&[]).run();
    run.assert_exit(255)
        .assert_shows("Permission denied (publickey)")
        .assert_diagnosis("auth.no-identities", &[]);
}

/// The agent-style pile-up: three unrelated keys are offered before the
/// right one, and the server allows three attempts.
#[test]
fn auth_too_many_failures() {
    let Some(s) = Scenario::new("auth_too_many_failures", Needs::Server) else {
        return;
    };
    let others: Vec<_> = (1..=3)
        .map(|i| s.new_key(&format!("other{i}"), "ed25519"))
        .collect();
    let sshd = s.sshd(&["PasswordAuthentication no", "MaxAuthTries 3"]);
    s.trust(&sshd);
    let keys = [
        others[0].as_path(),
        others[1].as_path(),
        others[2].as_path(),
        s.key.as_path(),
    ];
    let run = s.ssh_to(&sshd).identities(&keys).run();
    run.assert_exit(255)
        .assert_shows("Too many authentication failures")
        .assert_diagnosis("auth.too-many-failures", &[]);
}

/// One key, not authorized, and a server that allows a single attempt
/// (`MaxAuthTries 1`): sshd answers the first refused key with
/// `Too many authentication failures`. Nothing was tried "too many" times:
/// the one key offered (already with IdentitiesOnly) is simply not
/// authorized, exactly as in the lock-out above.
#[test]
fn auth_key_rejected_max_auth_tries_1() {
    let Some(s) = Scenario::new("auth_key_rejected_max_auth_tries_1", Needs::Server) else {
        return;
    };
    s.authorize(&[]);
    let sshd = s.sshd(&["PasswordAuthentication no", "MaxAuthTries 1"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("Offering public key")
        .assert_shows("Too many authentication failures")
        .assert_diagnosis("auth.key-rejected", &[]);
}

/// The key is accepted as the first of two factors; BatchMode cannot give
/// the password the server wants next.
#[test]
fn auth_partial_success() {
    let Some(s) = Scenario::new("auth_partial_success", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&[
        "PasswordAuthentication yes",
        "AuthenticationMethods publickey,password",
    ]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("with partial success")
        .assert_diagnosis("auth.partial-success", &[]);
}

/// An expired user certificate, from a CA the server trusts; the plain key
/// is not authorized.
#[test]
fn auth_certificate_rejected() {
    let Some(s) = Scenario::new("auth_certificate_rejected", Needs::Server) else {
        return;
    };
    let ca = s.new_key("user_ca", "ed25519");
    s.sign_user_key(&ca, &s.key, s.user(), "20200101:20200201");
    s.authorize(&[]);
    let trusted_ca = format!("TrustedUserCAKeys {}.pub", ca.display());
    let sshd = s.sshd(&[&trusted_ca, "PasswordAuthentication no"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_exit(255)
        .assert_shows("ED25519-CERT")
        .assert_shows("Permission denied (publickey)")
        .assert_diagnosis("auth.certificate-rejected", &[]);
}

/// A typo'd option on the command line: ssh stops before connecting.
#[test]
fn config_bad_option() {
    let Some(s) = Scenario::new("config_bad_option", Needs::Client) else {
        return;
    };
    let run = s.ssh(free_port()).option("NoSuchOption=1").run();
    run.assert_exit(255)
        .assert_shows("Bad configuration option")
        .assert_diagnosis("config.bad-option", &[]);
}

/// A port that is not a number.
#[test]
fn config_bad_argument() {
    let Some(s) = Scenario::new("config_bad_argument", Needs::Client) else {
        return;
    };
    let run = s.ssh(free_port()).port_arg("22o1").run();
    run.assert_exit(255)
        .assert_shows("Bad port '22o1'")
        .assert_diagnosis("config.bad-argument", &[]);
}

/// `-i` names a key file that does not exist.
#[test]
fn config_identity_missing() {
    let Some(s) = Scenario::new("config_identity_missing", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&["PasswordAuthentication no"]);
    s.trust(&sshd);
    let missing = s.path("deploy_key");
    let run = s.ssh_to(&sshd).identities(&[&missing]).run();
    run.assert_exit(255)
        .assert_shows("deploy_key not accessible: No such file or directory")
        .assert_diagnosis("config.identity-missing", &[]);
}

/// `-tt` against a server with `PermitTTY no`.
#[test]
fn session_pty_failed() {
    let Some(s) = Scenario::new("session_pty_failed", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&["PermitTTY no"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).args(&["-tt"]).run();
    run.assert_shows("PTY allocation request failed")
        .assert_diagnosis("session.pty-failed", &[]);
}

/// The server refuses every session channel (`MaxSessions 0`).
#[test]
fn session_open_refused() {
    let Some(s) = Scenario::new("session_open_refused", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&["MaxSessions 0"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_shows("Authenticated to 127.0.0.1")
        .assert_shows("open failed")
        .assert_diagnosis("session.open-refused", &[]);
}

/// The account cannot log in: the server runs nologin instead of the
/// command (as for an account whose shell is /usr/sbin/nologin).
#[test]
fn session_closed_after_auth() {
    let Some(s) = Scenario::new("session_closed_after_auth", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&["ForceCommand /usr/sbin/nologin"]);
    s.trust(&sshd);
    let run = s.ssh_to(&sshd).run();
    run.assert_shows("Authenticated to 127.0.0.1")
        .assert_shows("This account is currently not available.")
        .assert_diagnosis("session.closed-after-auth", &[]);
}

/// `-L PORT:...` where the test itself holds PORT (on 127.0.0.1 and ::1),
/// with ExitOnForwardFailure.
#[test]
fn forward_bind_failed() {
    let Some(s) = Scenario::new("forward_bind_failed", Needs::Server) else {
        return;
    };
    let held = hold_port();
    let sshd = s.sshd(&[]);
    s.trust(&sshd);
    let forward = format!("{}:127.0.0.1:22", held.port);
    let run = s
        .ssh_to(&sshd)
        .option("ExitOnForwardFailure=yes")
        .args(&["-L", &forward])
        .run();
    run.assert_exit(255)
        .assert_shows("Address already in use")
        .assert_diagnosis("forward.bind-failed", &[]);
}

/// `-R PORT:...` where PORT is taken on the server (the test holds it:
/// server and test share the loopback interface).
#[test]
fn forward_remote_failed() {
    let Some(s) = Scenario::new("forward_remote_failed", Needs::Server) else {
        return;
    };
    let held = hold_port();
    let sshd = s.sshd(&[]);
    s.trust(&sshd);
    let forward = format!("{}:127.0.0.1:22", held.port);
    let run = s
        .ssh_to(&sshd)
        .option("ExitOnForwardFailure=yes")
        .args(&["-N", "-R", &forward])
        .command(&[])
        .run();
    run.assert_exit(255)
        .assert_shows("remote port forwarding failed")
        .assert_diagnosis("forward.remote-failed", &[]);
}

/// `-W` (stdio forwarding) through a server with `AllowTcpForwarding no`.
#[test]
fn forward_open_failed() {
    let Some(s) = Scenario::new("forward_open_failed", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&["AllowTcpForwarding no"]);
    s.trust(&sshd);
    let target = format!("127.0.0.1:{}", sshd.port);
    let run = s.ssh_to(&sshd).args(&["-W", &target]).command(&[]).run();
    run.assert_exit(255)
        .assert_shows("administratively prohibited")
        .assert_diagnosis("forward.open-failed", &[]);
}

/// The port answers like a web server.
#[test]
fn banner_not_ssh() {
    let Some(s) = Scenario::new("banner_not_ssh", Needs::Client) else {
        return;
    };
    let server = FakeServer::start(Fake::Http400);
    let run = s.ssh(server.port).run();
    run.assert_exit(255)
        .assert_shows("HTTP/1.1 400 Bad Request")
        .assert_diagnosis("banner.not-ssh", &[]);
}

/// The port accepts and closes without a word, like a forward with no
/// backend.
#[test]
fn banner_closed() {
    let Some(s) = Scenario::new("banner_closed", Needs::Client) else {
        return;
    };
    let server = FakeServer::start(Fake::Close);
    let run = s.ssh(server.port).run();
    run.assert_exit(255)
        .assert_shows("Connection closed by remote host")
        .assert_diagnosis("banner.closed", &[]);
}

/// A hostile server chooses what it offers and how it names itself: the
/// report names the failure, and no command it prints (text, Markdown, JSON;
/// English and Japanese) runs the server's payload when pasted into bash;
/// the Markdown shows the version string without links or tags.
#[test]
fn hostile_server_cannot_choose_a_command() {
    let Some(s) = Scenario::new("hostile_server_cannot_choose_a_command", Needs::Client) else {
        return;
    };
    let server = FakeServer::start(Fake::HostileKex);
    let run = s.ssh(server.port).run();
    run.assert_exit(255)
        .assert_shows(&format!("Their offer: {HOSTILE_ALGORITHM}"))
        .assert_diagnosis("kex.no-common-kex", &[]);
    let trace = sshexplain::trace(&run.output);
    let bash = bash::bash();
    let scratch = std::env::temp_dir().join(format!("sshexplain-hostile-{}", std::process::id()));
    for lang in [sshexplain::lang::Lang::En, sshexplain::lang::Lang::Ja] {
        let report = sshexplain::report_in(&trace, lang);
        let json: serde_json::Value =
            serde_json::from_str(&sshexplain::render::json(&report)).expect("JSON report");
        let md = sshexplain::render::markdown(&report);
        assert!(md.contains("evil.example"), "the version string is shown");
        for prose in safety::markdown_prose(&md) {
            assert!(safety::markup_in(&prose).is_none(), "markup in {prose}");
        }
        for c in json_commands(&json) {
            assert!(
                !safety::value_unquoted(c, HOSTILE_ALGORITHM) && !c.contains("touch"),
                "the server's text reached a command: {c}"
            );
            if let Some(bash) = &bash {
                let _ = std::fs::remove_dir_all(&scratch);
                std::fs::create_dir_all(&scratch).expect("scratch");
                let made = bash::run_in_bash(bash, &scratch, c);
                assert!(made.is_empty(), "{c} ran the payload");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Every `remediation[].command` of a JSON report.
fn json_commands(json: &serde_json::Value) -> Vec<&str> {
    json["diagnoses"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["remediation"].as_array().into_iter().flatten())
        .filter_map(|r| r["command"].as_str())
        .collect()
}

// ---- `sshexplain run`: the same servers, through the run subcommand ----

fn run_output(o: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn run_success_and_save() {
    let Some(s) = Scenario::new("run_success_and_save", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&[]);
    s.trust(&sshd);
    let saved = s.path("saved.log");
    let saved_arg = saved.display().to_string();
    let o = s.ssh_to(&sshd).explain_run(&["--save", &saved_arg]);
    let (out, err) = run_output(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(out.starts_with("✓ ok.connected"), "{out}\n{err}");
    assert!(
        out.contains("Checked before connecting") && out.contains("effective destination (ssh -G)"),
        "{out}"
    );
    assert!(
        err.contains("sshexplain: running: ssh -v"),
        "the commands run are printed: {err}"
    );
    let log = std::fs::read_to_string(&saved).expect("--save wrote the raw log");
    assert!(log.contains("Authenticated to 127.0.0.1"), "{log}");
}

#[test]
fn run_lockout() {
    let Some(s) = Scenario::new("run_lockout", Needs::Server) else {
        return;
    };
    s.authorize(&[]);
    let sshd = s.sshd(&["PasswordAuthentication no"]);
    s.trust(&sshd);
    let o = s.ssh_to(&sshd).explain_run(&[]);
    let (out, err) = run_output(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert!(out.starts_with("✗ auth.key-rejected"), "{out}\n{err}");
    assert!(out.contains("ssh-copy-id"), "{out}");
}

#[test]
fn run_host_key_changed() {
    let Some(s) = Scenario::new("run_host_key_changed", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&[]);
    let other = s.new_key("impostor", "ed25519");
    s.known_hosts(sshd.port, &[other]);
    let o = s.ssh_to(&sshd).explain_run(&[]);
    let (out, err) = run_output(&o);
    assert!(out.starts_with("✗ hostkey.changed"), "{out}\n{err}");
}

#[test]
fn run_refused_port() {
    let Some(s) = Scenario::new("run_refused_port", Needs::Client) else {
        return;
    };
    let port = free_port();
    let o = s.ssh(port).explain_run(&["--format", "json"]);
    let (out, err) = run_output(&o);
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    assert_eq!(v["diagnoses"][0]["id"], "connect.refused", "{out}");
    assert!(
        v["checks"].as_array().is_some_and(|c| !c.is_empty()),
        "{out}"
    );
}

#[test]
fn run_reports_missing_identity_file_from_config() {
    let Some(s) = Scenario::new(
        "run_reports_missing_identity_file_from_config",
        Needs::Server,
    ) else {
        return;
    };
    let sshd = s.sshd(&[]);
    s.trust(&sshd);
    let missing = s.path("work_ed25519");
    let missing_arg = missing.display().to_string();
    let o = s
        .ssh_to(&sshd)
        .identities(&[])
        .args(&["-i", &missing_arg])
        .explain_run(&[]);
    let (out, err) = run_output(&o);
    // The check's line may wrap: compare the words.
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(&format!(
            "IdentityFile {missing_arg} from your command line or configuration is not accessible"
        )),
        "{out}\n{err}"
    );
}

#[test]
fn run_algorithm_mismatch() {
    let Some(s) = Scenario::new("run_algorithm_mismatch", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&["KexAlgorithms diffie-hellman-group1-sha1"]);
    s.trust(&sshd);
    let o = s.ssh_to(&sshd).explain_run(&[]);
    let (out, err) = run_output(&o);
    assert!(out.starts_with("✗ kex.no-common-kex"), "{out}\n{err}");
    assert!(
        out.contains("KexAlgorithms=+diffie-hellman-group1-sha1"),
        "{out}"
    );
}

/// The hostile server through `sshexplain run --format json`: its offer
/// reaches no command.
#[test]
fn run_hostile_server() {
    let Some(s) = Scenario::new("run_hostile_server", Needs::Client) else {
        return;
    };
    let server = FakeServer::start(Fake::HostileKex);
    let o = s.ssh(server.port).explain_run(&["--format", "json"]);
    let (out, err) = run_output(&o);
    let json: serde_json::Value = serde_json::from_str(&out).expect("a JSON report");
    assert_eq!(
        json["diagnoses"][0]["id"], "kex.no-common-kex",
        "{out}\n{err}"
    );
    for c in json_commands(&json) {
        assert!(
            !c.contains("touch") && !safety::value_unquoted(c, HOSTILE_ALGORITHM),
            "{c}"
        );
    }
}

/// A namespace of its own where a firewall silently drops the port:
/// `sshexplain run` must report a connection timeout. Needs root, `ip` and
/// `iptables`; traffic never leaves the namespace's loopback.
#[test]
fn run_timeout_in_a_network_namespace() {
    let name = "run_timeout_in_a_network_namespace";
    let have = |tool: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !root || !have("ip") || !have("iptables") || !have("ssh") {
        eprintln!("SKIPPED live test {name}: needs root, ip (iproute2), iptables and ssh");
        return;
    }
    struct Netns(String);
    impl Drop for Netns {
        fn drop(&mut self) {
            let _ = std::process::Command::new("ip")
                .args(["netns", "del", &self.0])
                .status();
        }
    }
    let ns = Netns(format!("sxlive{}", std::process::id()));
    let sh = |cmd: &str| {
        std::process::Command::new("sh")
            .args(["-c", cmd])
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(sh(&format!("ip netns add {0} && ip netns exec {0} ip link set lo up && ip netns exec {0} iptables -A INPUT -p tcp --dport 2222 -j DROP", ns.0)), "could not set up the namespace");
    let o = std::process::Command::new("ip")
        .args([
            "netns",
            "exec",
            &ns.0,
            env!("CARGO_BIN_EXE_sshexplain"),
            "run",
            "-F",
            "/dev/null",
            "-o",
            "ConnectTimeout=2",
            "-p",
            "2222",
            "nobody@127.0.0.1",
        ])
        .env("LC_ALL", "C")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run sshexplain in the namespace");
    let (out, err) = run_output(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert!(out.starts_with("✗ connect.timeout"), "{out}\n{err}");
}

/// The `init` wrapper under bash and zsh: a success prints what plain ssh
/// prints and keeps nothing; a failure shows ssh's own lines (not its debug
/// lines), the verdict, and keeps the log for `last`.
#[test]
fn init_wrapper_explains_failures_and_stays_quiet_on_success() {
    let Some(s) = Scenario::new("init_wrapper", Needs::Server) else {
        return;
    };
    let shells: Vec<PathBuf> = ["/bin/bash", "/usr/bin/zsh"]
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .collect();
    if !shells.iter().any(|p| p.ends_with("zsh")) {
        harness::say("SKIPPED part of live test init_wrapper: no zsh (apt-get install zsh)");
    }
    let sshd = s.sshd(&["PasswordAuthentication no"]);
    s.trust(&sshd);
    for shell in &shells {
        let hello = ["echo", "hello-from-remote"];
        let w = s.ssh_to(&sshd).command(&hello).wrapped(shell, false, true);
        let plain = s.ssh_to(&sshd).command(&hello).wrapped(shell, false, false);
        assert!(w.stdout.starts_with("hello-from-remote\n"), "{w:#?}");
        assert_eq!(
            (&w.stdout, &w.stderr),
            (&plain.stdout, &plain.stderr),
            "{w:#?}"
        );
        assert!(w.stderr.contains("rc=0"), "{w:#?}");
        assert_eq!(w.kept, 0, "{w:#?}");
    }
    // No key installed: refused.
    s.authorize(&[]);
    for shell in &shells {
        let w = s.ssh_to(&sshd).wrapped(shell, false, true);
        assert!(w.stderr.contains("Permission denied (publickey)"), "{w:#?}");
        assert!(!w.stderr.contains("debug1:"), "{w:#?}");
        assert!(w.stderr.contains("rc=255"), "{w:#?}");
        assert!(w.stderr.contains("auth.key-rejected"), "{w:#?}");
        assert!(w.stderr.contains("sshexplain last"), "{w:#?}");
        assert!(
            w.stdout.contains("auth.key-rejected") && w.stdout.contains("Evidence"),
            "{w:#?}"
        );
        assert_eq!(w.kept, 1, "{w:#?}");
        std::fs::remove_dir_all(s.path("home").join(".local/state/sshexplain")).expect("clean");
    }
}

/// In a terminal (`script`), a login through the wrapper prints exactly
/// what plain ssh prints.
#[test]
fn init_wrapper_in_a_terminal_looks_like_plain_ssh() {
    let Some(s) = Scenario::new("init_wrapper_pty", Needs::Server) else {
        return;
    };
    if !Path::new("/usr/bin/script").exists() {
        harness::say("SKIPPED live test init_wrapper_pty: no script (util-linux)");
        return;
    }
    let sshd = s.sshd(&[]);
    s.trust(&sshd);
    let bash = Path::new("/bin/bash");
    let wrapped = s
        .ssh_to(&sshd)
        .command(&["echo", "hello"])
        .wrapped(bash, true, true);
    let plain = s
        .ssh_to(&sshd)
        .command(&["echo", "hello"])
        .wrapped(bash, true, false);
    // The test's sshd logs to its stderr at DEBUG1, and its session child
    // sends a line or two of that to the client; `script` echoes the NUL of
    // an empty stdin. Both arrive in racing order, so they are set aside.
    let seen = |out: &str| -> String {
        out.replace("^@", "")
            .lines()
            .filter(|l| !l.contains("permanently_set_uid") && !l.contains("SELinux support"))
            .map(|l| format!("{}\n", l.trim_end_matches('\r')))
            .collect()
    };
    assert!(plain.stdout.contains("hello\n"), "{plain:#?}");
    assert!(
        plain.stdout.contains("Connection to 127.0.0.1 closed."),
        "{plain:#?}"
    );
    assert_eq!(seen(&wrapped.stdout), seen(&plain.stdout), "{wrapped:#?}");
    assert_eq!(wrapped.kept, 0);
}

/// `sshexplain run` sets BatchMode, so an unknown host key cannot be
/// asked about: the report says that `run` did it and offers
/// `--interactive` with the same arguments.
#[test]
fn run_owns_its_batch_mode_on_an_unknown_host_key() {
    let Some(s) = Scenario::new("run_hostkey_unknown", Needs::Server) else {
        return;
    };
    let sshd = s.sshd(&[]);
    s.write("known_hosts", "");
    let out = s.ssh_to(&sshd).explain_run(&["--color", "never"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("✗ hostkey.unknown"), "{text}");
    let fix = text.split("\nFix\n").nth(1).unwrap_or_default();
    let first = fix.lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(
        first.contains("sshexplain run itself set BatchMode=yes"),
        "{text}"
    );
    assert!(
        text.contains("sshexplain run --interactive -F /dev/null")
            && text.contains(&format!("-p {}", sshd.port)),
        "{text}"
    );
}
