#!/usr/bin/python3
"""server_pairs.py -- real (client output, server log) pairs for the server-side causes.

    python3 corpus/gen/server_pairs.py [--only GLOB[,GLOB...]] [--list] [--out DIR]

Run by hand as root on a Debian 12 host with openssh-server 9.2p1, rsyslog, fail2ban,
dropbear-bin, sshpass, netcat-openbsd and iptables installed (`--install` runs apt-get
for them). Python 3.11, stdlib only. Idempotent: users, keys and modes are (re)set on every
run, and every pair it writes replaces the files of the same name.

For each scenario the real `ssh -v` (as the unprivileged user sxclient, HOME a scratch dir,
stdin /dev/null, stdout+stderr into one file, 15 s timeout) connects to a real server on
127.0.0.1 that was configured to fail that way, in one or more server log formats:

  E        /usr/sbin/sshd -D -f CONFIG -E FILE, LogLevel VERBOSE         -> NAME-9.2p1-E
  syslog   sshd -D -f CONFIG (no -E) logging to /dev/log, read by a private rsyslogd writing
           the auth facility with RSYSLOG_TraditionalFileFormat and RSYSLOG_FileFormat
                                                    -> NAME-9.2p1-syslog and NAME-9.2p1-rfc3339
  sshd-d   /usr/sbin/sshd -d -p PORT -f CONFIG, its stderr               -> NAME-9.2p1-sshd-d
  sshd-t   /usr/sbin/sshd -t -f CONFIG, its stderr (config check)        -> NAME-9.2p1-sshd-t
  dropbear dropbear -F -E -p 127.0.0.1:PORT, its stderr                  -> NAME-9.2p1-dropbear
  fail2ban sshd + rsyslogd + fail2ban-server (iptables ban) inside the network namespace sxban
                                                    -> NAME-9.2p1-fail2ban(-rfc3339)

Each pair is checked: the server log must match the scenario's server marker and the client
output one of its client patterns; otherwise nothing is written and the run is kept in
/srv/sxgen/flagged/ and reported as PROBLEM. Labels (primary) come from the construction.
Output: corpus/server/<primary>/<name>.client.log / .server.log / .toml (one line printed per pair).
Only loopback and a private network namespace are used.
"""
import argparse
import fnmatch
import grp
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

GEN = Path(__file__).resolve().parent
REPO = GEN.parent.parent
BASE = Path("/srv/sxgen")            # scratch: must not be group/world-writable (StrictModes)
HOSTKEYS = BASE / "hostkeys"
CKEYS = BASE / "client" / "keys"
CHOME = BASE / "client" / "home"
RUNS = BASE / "runs"
FLAGGED = BASE / "flagged"
AUTHKEYS = BASE / "authkeys"          # AuthorizedKeysFile for the root scenarios
SSHD = "/usr/sbin/sshd"
NETNS = "sxban"
CLIENT_USER = "sxclient"
TIMEOUT = 15
PORT_BASE = 22100

STARTED = []                          # Popen objects of servers we started (stopped by pid)


# --------------------------------------------------------------------------- helpers

def run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)


def user_exists(u):
    return run(["getent", "passwd", u], check=False).returncode == 0


def group_exists(g):
    return run(["getent", "group", g], check=False).returncode == 0


def home(u):
    return Path("/home") / u


def pkgver(pkg):
    return run(["dpkg-query", "-W", "-f", "${Version}", pkg]).stdout.decode()


def server_version():
    v = pkgver("openssh-server")            # 1:9.2p1-2+deb12u10 -> OpenSSH_9.2p1 Debian-2+deb12u10
    up, deb = v.split(":", 1)[-1].split("-", 1)
    return f"OpenSSH_{up} Debian-{deb}"


def dropbear_version():
    return f"Dropbear v{pkgver('dropbear-bin').split('-')[0]} (Debian dropbear-bin {pkgver('dropbear-bin')})"


def client_version(log: bytes):
    m = re.search(rb"^(OpenSSH_[^,\r\n]+)", log, re.M)
    if m:
        return m.group(1).decode()
    out = run(["ssh", "-V"]).stdout.decode()
    return out.split(",")[0].strip()


def listening(port, ns=None):
    """True when something LISTENs on 127.0.0.1:port (read from /proc, no probe connection)."""
    if ns:
        txt = run(["ip", "netns", "exec", ns, "cat", "/proc/net/tcp"], check=False).stdout.decode()
    else:
        txt = Path("/proc/net/tcp").read_text()
    want = "0100007F:%04X" % port
    for line in txt.splitlines()[1:]:
        f = line.split()
        if len(f) > 3 and f[1] == want and f[3] == "0A":
            return True
    return False


def wait_for(pred, timeout=10.0, step=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


def start(cmd, **kw):
    p = subprocess.Popen(cmd, start_new_session=True, **kw)
    STARTED.append(p)
    return p


def stop(p, sig=signal.SIGTERM, timeout=10):
    """Stop one process we started, by its pid."""
    if p.poll() is None:
        try:
            os.kill(p.pid, sig)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
    if p in STARTED:
        STARTED.remove(p)


def toml_str(s):
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u%04X" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------- setup

PASSWORDS = {}   # user -> password (the right one)

SERVER_USERS = {
    # user: what is special about it (set up by setup_users, reset on every run)
    "sxpi": "normal user; the client's id_ed25519, id_ecdsa and id_rsa are in ~/.ssh/authorized_keys",
    "sxother": "normal user, member of group sxallowed",
    "sxsmhome": "home directory group sxallowed (which has another member), mode 0775 (group-writable)",
    "sxsmdir": "~/.ssh mode 0777",
    "sxsm666": "~/.ssh/authorized_keys mode 0666",
    "sxakroot": "~/.ssh/authorized_keys owned by root:root mode 0600",
    "sxaknotdir": "~/.ssh is a regular file, not a directory",
    "sxnosh": "login shell /nonexistent (usermod -s /nonexistent)",
    "sxlocked": "password locked (usermod -L: '!' prefix in /etc/shadow)",
    "sxexpired": "account expired (usermod -e 1)",
}


def keygen(path, typ, bits=None, comment=None):
    if path.exists():
        return
    cmd = ["ssh-keygen", "-q", "-t", typ, "-N", "", "-f", str(path)]
    if bits:
        cmd += ["-b", str(bits)]
    if comment:
        cmd += ["-C", comment]
    run(cmd)


def setup(install=False):
    if install:
        run(["apt-get", "update", "-q"])
        run(["apt-get", "install", "-y", "-q", "rsyslog", "fail2ban", "dropbear-bin", "sshpass",
             "netcat-openbsd", "iptables", "openssh-server", "openssh-client"],
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    for d in (BASE, HOSTKEYS, CKEYS.parent, RUNS, FLAGGED, AUTHKEYS):
        d.mkdir(parents=True, exist_ok=True)
        os.chown(d, 0, 0)
        os.chmod(d, 0o755)
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    # host keys (OpenSSH) and a Dropbear host key
    for t in ("ed25519", "ecdsa", "rsa"):
        keygen(HOSTKEYS / f"ssh_host_{t}_key", t, 3072 if t == "rsa" else None, f"sxgen-host-{t}")
    if not (HOSTKEYS / "dropbear_ed25519_host_key").exists():
        run(["dropbearkey", "-t", "ed25519", "-f", str(HOSTKEYS / "dropbear_ed25519_host_key")])
    # client user and keys
    if not group_exists("sxallowed"):
        run(["groupadd", "sxallowed"])
    if not user_exists(CLIENT_USER):
        run(["useradd", "-M", "-d", str(CHOME), "-s", "/bin/sh", CLIENT_USER])
    CHOME.mkdir(parents=True, exist_ok=True)
    CKEYS.mkdir(parents=True, exist_ok=True)
    for t, name in (("ed25519", "id_ed25519"), ("ecdsa", "id_ecdsa"), ("rsa", "id_rsa"),
                    ("ed25519", "other1_ed25519"), ("ed25519", "other2_ed25519"),
                    ("ed25519", "other3_ed25519")):
        keygen(CKEYS / name, t, 3072 if t == "rsa" else None, f"sxclient-{name}")
    run(["chown", "-R", f"{CLIENT_USER}:{CLIENT_USER}", str(CHOME), str(CKEYS)])
    os.chmod(CKEYS, 0o700)
    for f in CKEYS.iterdir():
        os.chmod(f, 0o600 if not f.name.endswith(".pub") else 0o644)
    shutil.rmtree(CHOME / ".ssh", ignore_errors=True)     # the client must not find default keys
    authorized = b"".join((CKEYS / f"{k}.pub").read_bytes() for k in ("id_ed25519", "id_ecdsa", "id_rsa"))
    # server users
    for u in SERVER_USERS:
        if not user_exists(u):
            run(["useradd", "-m", "-s", "/bin/bash", u])
        pw = f"{u}-pw-1"
        PASSWORDS[u] = pw
        run(["chpasswd"], input=f"{u}:{pw}\n".encode())
        run(["usermod", "-s", "/bin/bash", "-e", "", u])
        h = home(u)
        if (h / ".ssh").is_file() or (h / ".ssh").is_symlink():
            (h / ".ssh").unlink()
        (h / ".ssh").mkdir(exist_ok=True)
        (h / ".ssh" / "authorized_keys").write_bytes(authorized)
        run(["chown", "-R", f"{u}:{u}", str(h)])
        os.chmod(h, 0o750)
        os.chmod(h / ".ssh", 0o700)
        os.chmod(h / ".ssh" / "authorized_keys", 0o600)
    run(["usermod", "-a", "-G", "sxallowed", "sxother"])
    # the broken ones
    os.chown(home("sxsmhome"), -1, grp.getgrnam("sxallowed").gr_gid)   # a group with another member (sxother)
    os.chmod(home("sxsmhome"), 0o775)
    os.chmod(home("sxsmdir") / ".ssh", 0o777)
    os.chmod(home("sxsm666") / ".ssh" / "authorized_keys", 0o666)
    os.chown(home("sxakroot") / ".ssh" / "authorized_keys", 0, 0)
    shutil.rmtree(home("sxaknotdir") / ".ssh")
    (home("sxaknotdir") / ".ssh").write_bytes(authorized)
    run(["chown", "sxaknotdir:sxaknotdir", str(home("sxaknotdir") / ".ssh")])
    os.chmod(home("sxaknotdir") / ".ssh", 0o600)
    run(["usermod", "-s", "/nonexistent", "sxnosh"])
    run(["usermod", "-L", "sxlocked"])
    run(["usermod", "-e", "1", "sxexpired"])
    # root: key via a separate AuthorizedKeysFile (root's own ~/.ssh is not touched)
    (AUTHKEYS / "root").write_bytes((CKEYS / "id_ed25519.pub").read_bytes())
    os.chmod(AUTHKEYS / "root", 0o600)
    PASSWORDS["root"] = "sxroot-pw-1"


class TempRootPassword:
    """Give root a known password for one run and put the original /etc/shadow field back."""

    def __enter__(self):
        for line in Path("/etc/shadow").read_text().splitlines():
            f = line.split(":")
            if f[0] == "root":
                self.orig = f[1]
        run(["chpasswd"], input=f"root:{PASSWORDS['root']}\n".encode())
        return self

    def __exit__(self, *a):
        run(["usermod", "-p", self.orig, "root"])


# --------------------------------------------------------------------------- scenarios

KEYS_STD = ["id_ed25519"]

COMMON = {  # sshd_config lines shared by every OpenSSH server (a scenario may override any)
    "Port": None, "ListenAddress": "127.0.0.1",
    "HostKey": [str(HOSTKEYS / "ssh_host_ed25519_key"), str(HOSTKEYS / "ssh_host_ecdsa_key"),
                str(HOSTKEYS / "ssh_host_rsa_key")],
    "PidFile": None, "LogLevel": "VERBOSE", "UsePAM": "yes", "KbdInteractiveAuthentication": "no",
    "PasswordAuthentication": "no", "StrictModes": "yes", "PrintMotd": "no",
    "Subsystem": "sftp /usr/lib/openssh/sftp-server",
}

# client_alone: list of (regex on the client output, cause): the first that matches is the honest
# reading of the client output alone; no match -> the run is flagged.
KR = [(r"Permission denied \(publickey(,password)?\)", "auth.key-rejected")]   # Dropbear also offers password
PW = [(r"Permission denied, please try again", "auth.password-rejected")]
REFUSED = [(r"connect to host 127\.0\.0\.1 port \d+: Connection refused", "connect.refused")]
# sshd 8.2-9.7 tells the client why it drops it (`Exceeded MaxStartups`): its words reach the client.
MAXSTARTUPS = [(r"banner line \d+: Exceeded (PerSource)?MaxStartups", "banner.max-startups")]
CLOSED = [(r"kex_exchange_identification: read: Connection reset by peer", "banner.reset"),
          (r"kex_exchange_identification: Connection closed by remote host", "banner.closed")]

SCENARIOS = [
    # ---- auth.strict-modes
    dict(name="strict-modes-home-g+w", primary="auth.strict-modes", user="sxsmhome",
         formats=["E", "syslog", "sshd-d"], client=KR,
         server=r"Authentication refused: bad ownership or modes for directory /home/sxsmhome\b",
         setup="User sxsmhome (useradd -m) has the client's id_ed25519.pub in ~/.ssh/authorized_keys (0600, ~/.ssh 0700), "
               "but its home directory is group-writable: chgrp sxallowed ~ (a group that also has the member sxother) and "
               "chmod 775 ~; StrictModes yes.",
         note="Debian's openssh (user-group-modes patch) accepts a group-writable home when the group is the user's own "
              "private group with no other member, so a plain chmod g+w ~ on a useradd home logs in fine there; the home's "
              "group was changed to a shared group to make Debian's sshd refuse it."),
    dict(name="strict-modes-sshdir-777", primary="auth.strict-modes", user="sxsmdir",
         client=KR, server=r"Authentication refused: bad ownership or modes for directory /home/sxsmdir/\.ssh\b",
         setup="User sxsmdir has the client's key in ~/.ssh/authorized_keys (0600), home 0750, but ~/.ssh is mode 0777; StrictModes yes."),
    dict(name="strict-modes-authkeys-666", primary="auth.strict-modes", user="sxsm666",
         client=KR, server=r"Authentication refused: bad ownership or modes for file /home/sxsm666/\.ssh/authorized_keys",
         setup="User sxsm666 has the client's key in ~/.ssh/authorized_keys, but that file is mode 0666 (chmod 666); StrictModes yes."),
    # ---- auth.authorized-keys-unreadable
    dict(name="authkeys-root-owned", primary="auth.authorized-keys-unreadable", user="sxakroot",
         client=KR, server=r"Could not open user 'sxakroot' authorized keys '/home/sxakroot/\.ssh/authorized_keys': Permission denied",
         setup="User sxakroot: ~/.ssh/authorized_keys holds the client's key but is owned by root:root mode 0600, "
               "so sshd (reading it with the user's uid) cannot open it."),
    dict(name="authkeys-sshdir-not-dir", primary="auth.authorized-keys-unreadable", user="sxaknotdir",
         client=KR, server=r"Could not open user 'sxaknotdir' authorized keys '/home/sxaknotdir/\.ssh/authorized_keys': Not a directory",
         setup="User sxaknotdir: ~/.ssh is a regular file (holding the public keys) instead of a directory, so the path "
               "~/.ssh/authorized_keys has a component that is not a directory."),
    # ---- auth.user-not-allowed
    dict(name="user-not-allowed-allowusers", primary="auth.user-not-allowed", user="sxpi",
         formats=["E", "syslog", "sshd-d"], opts={"AllowUsers": "sxother"}, client=KR,
         server=r"User sxpi from 127\.0\.0\.1 not allowed because not listed in AllowUsers",
         setup="sshd_config has AllowUsers sxother; the client logs in as sxpi, whose authorized_keys holds the client's key."),
    dict(name="user-not-allowed-denyusers", primary="auth.user-not-allowed", user="sxpi",
         opts={"DenyUsers": "sxpi"}, client=KR,
         server=r"User sxpi from 127\.0\.0\.1 not allowed because listed in DenyUsers",
         setup="sshd_config has DenyUsers sxpi; the client logs in as sxpi with an authorized key."),
    dict(name="user-not-allowed-allowgroups", primary="auth.user-not-allowed", user="sxpi",
         opts={"AllowGroups": "sxallowed"}, client=KR,
         server=r"User sxpi from 127\.0\.0\.1 not allowed because none of user's groups are listed in AllowGroups",
         setup="sshd_config has AllowGroups sxallowed (only sxother is a member); the client logs in as sxpi with an authorized key."),
    # ---- auth.invalid-user
    dict(name="invalid-user-key", primary="auth.invalid-user", user="sxnosuchuser",
         client=KR, server=r"Invalid user sxnosuchuser from 127\.0\.0\.1 port \d+",
         setup="The client logs in as sxnosuchuser, a user that does not exist on the server, offering its id_ed25519."),
    dict(name="invalid-user-password", primary="auth.invalid-user", user="sxnosuchuser", password="sxpi-pw-1",
         opts={"PasswordAuthentication": "yes"}, client=PW,
         server=r"Invalid user sxnosuchuser from 127\.0\.0\.1 port \d+",
         setup="PasswordAuthentication yes; the client (through sshpass) logs in as sxnosuchuser, a user that does not exist, "
               "with a password (that of another account)."),
    # ---- auth.root-login-refused
    dict(name="root-login-no-key", primary="auth.root-login-refused", user="root",
         opts={"PermitRootLogin": "no", "AuthorizedKeysFile": str(AUTHKEYS / "%u")}, client=KR,
         server=r"ROOT LOGIN REFUSED FROM 127\.0\.0\.1 port \d+",
         setup=f"PermitRootLogin no; AuthorizedKeysFile {AUTHKEYS}/%u, and {AUTHKEYS}/root (root:root 0600) holds the "
               "client's id_ed25519.pub, so the key is valid for root but root may not log in."),
    dict(name="root-login-prohibit-password", primary="auth.root-login-refused", user="root", password="root",
         opts={"PermitRootLogin": "prohibit-password", "PasswordAuthentication": "yes",
               "AuthorizedKeysFile": str(AUTHKEYS / "%u")}, client=PW,
         server=r"Failed password for root from 127\.0\.0\.1 port \d+",
         setup="PermitRootLogin prohibit-password, PasswordAuthentication yes; during the run root was given a known password "
               "(chpasswd; the original /etc/shadow field was put back afterwards) and the client sent exactly that "
               "password through sshpass, so the password was right and only PermitRootLogin refused it."),
    # ---- auth.key-type-refused
    dict(name="key-type-refused-ecdsa", primary="auth.key-type-refused", user="sxpi", keys=["id_ecdsa"],
         formats=["E", "syslog", "sshd-d"], opts={"PubkeyAcceptedAlgorithms": "ssh-ed25519"},
         client=[(r"no mutual signature", "auth.no-mutual-signature")] + KR,
         server=r"not in PubkeyAcceptedAlgorithms",
         setup="sshd_config PubkeyAcceptedAlgorithms ssh-ed25519; the client offers its ECDSA (nistp256) key, which IS in "
               "sxpi's authorized_keys."),
    dict(name="key-type-refused-rsa", primary="auth.key-type-refused", user="sxpi", keys=["id_rsa"],
         opts={"PubkeyAcceptedAlgorithms": "ssh-ed25519"},
         client=[(r"no mutual signature", "auth.no-mutual-signature")] + KR,
         server=r"not in PubkeyAcceptedAlgorithms",
         setup="sshd_config PubkeyAcceptedAlgorithms ssh-ed25519; the client offers its RSA 3072 key, which IS in sxpi's authorized_keys."),
    # ---- auth.account-unusable
    dict(name="account-shell-missing", primary="auth.account-unusable", user="sxnosh",
         client=KR, server=r"User sxnosh not allowed because shell /nonexistent does not exist",
         setup="User sxnosh has the client's key authorized but its login shell is /nonexistent (usermod -s /nonexistent)."),
    dict(name="account-locked", primary="auth.account-unusable", user="sxlocked", opts={"UsePAM": "no"},
         client=KR, server=r"User sxlocked not allowed because account is locked",
         setup="User sxlocked has the client's key authorized but its password is locked (usermod -L); UsePAM no, so sshd "
               "itself checks the '!' in /etc/shadow."),
    dict(name="account-expired", primary="auth.account-unusable", user="sxexpired", opts={"UsePAM": "no"},
         client=KR, server=r"Account sxexpired has expired",
         setup="User sxexpired has the client's key authorized but the account expired (usermod -e 1: expiry date 1970-01-02); "
               "UsePAM no, so sshd itself checks the shadow expiry date."),
    dict(name="account-expired-pam", primary="auth.account-unusable", user="sxexpired",
         client=[(r"account has expired", "auth.account-unusable"), (r"Authenticated to", "session.closed-after-auth")] + KR,
         server=r"Access denied for user sxexpired by PAM account configuration",
         setup="User sxexpired has the client's key authorized but the account expired (usermod -e 1); UsePAM yes, so PAM's "
               "account stage (pam_unix) refuses it after the key was accepted."),
    # ---- banner.max-startups
    dict(name="max-startups-1", primary="banner.max-startups", user="sxpi", opts={"MaxStartups": "1"},
         hold=1, client=MAXSTARTUPS + CLOSED, server=r"drop connection #\d+ from \[127\.0\.0\.1\]:\d+ on \[127\.0\.0\.1\]:\d+ past MaxStartups",
         setup="MaxStartups 1. Before the client runs, one unauthenticated TCP connection (a Python socket that reads sshd's "
               "banner and then sends nothing) is held open to the same port; it is closed after the client exits."),
    dict(name="max-startups-per-source", primary="banner.max-startups", user="sxpi",
         opts={"MaxStartups": "10:30:100", "PerSourceMaxStartups": "1"},
         hold=1, client=MAXSTARTUPS + CLOSED, server=r"drop connection #\d+ from \[127\.0\.0\.1\]:\d+ on \[127\.0\.0\.1\]:\d+ past MaxStartups",
         setup="MaxStartups 10:30:100, PerSourceMaxStartups 1. One unauthenticated connection from 127.0.0.1 (a Python socket "
               "that reads the banner and sends nothing) is held open while the client connects from the same address."),
    # ---- connect.sshd-failed (sshd does not start; the client then finds nothing listening).
    # No syslog format for no-hostkeys / bad-option: sshd 9.2 writes those errors to stderr only
    # (before its syslog logging is set up); on a systemd host they reach the journal via stderr.
    dict(name="sshd-failed-no-hostkeys", primary="connect.sshd-failed", user="sxpi", kind="sshd-failed",
         formats=["E", "sshd-d"], opts={"HostKey": [str(HOSTKEYS / "missing_host_key")]},
         client=REFUSED, server=r"no hostkeys available -- exiting\.",
         setup=f"The only HostKey line names {HOSTKEYS}/missing_host_key, which does not exist, so sshd exits at start; the "
               "client is run after sshd exited, with nothing listening on the port."),
    dict(name="sshd-failed-port-in-use", primary="connect.sshd-failed", user="sxpi", kind="sshd-failed", blocker=True,
         client=REFUSED, server=r"Bind to port \d+ on 127\.0\.0\.1 failed: Address already in use\.",
         setup="Before sshd starts, a Python TCP socket is bound to 127.0.0.1:PORT (without SO_REUSEADDR, and never put in "
               "listen state), so sshd's bind fails and it exits; the client then connects to the port, where nothing listens "
               "(the socket stays bound until the client has exited)."),
    dict(name="sshd-failed-bad-option", primary="connect.sshd-failed", user="sxpi", kind="sshd-failed",
         formats=["E", "sshd-t"], extra=["PermitRootLogn no"],
         client=REFUSED, server=r"line \d+: Bad configuration option: PermitRootLogn",
         setup="The config has a typo line `PermitRootLogn no` (last line), so sshd refuses to start (and `sshd -t` reports it); "
               "the client is run afterwards, with nothing listening."),
    # ---- connect.banned (fail2ban, iptables, inside the network namespace sxban)
    dict(name="banned-fail2ban-reject", primary="connect.banned", user="sxpi", kind="banned", formats=["fail2ban"],
         blocktype="REJECT --reject-with icmp-port-unreachable", connect_timeout=5,
         client=REFUSED, server=r"NOTICE\s+\[sshd\] Ban 127\.0\.0\.1",
         setup="Network namespace sxban (only lo). Inside it: sshd (syslog), fail2ban-server with jail sshd (filter sshd, "
               "backend polling on the rsyslog traditional-format file, maxretry 2, findtime 600, bantime 600, "
               "ignoreself false, ignoreip empty, banaction iptables-multiport with blocktype "
               "`REJECT --reject-with icmp-port-unreachable`). rsyslogd runs outside the namespace (/dev/log is a filesystem "
               "socket). Three failed logins as the nonexistent user sxnosuchuser are made first; once fail2ban logged the ban, "
               "the client runs as sxpi with its authorized key, with -o ConnectTimeout=5."),
    dict(name="banned-fail2ban-drop", primary="connect.banned", user="sxpi", kind="banned", formats=["fail2ban"],
         blocktype="DROP", connect_timeout=5,
         client=[(r"connect to host 127\.0\.0\.1 port \d+: Connection timed out", "connect.timeout")],
         server=r"NOTICE\s+\[sshd\] Ban 127\.0\.0\.1",
         setup="As banned-fail2ban-reject, but with blocktype DROP, so the banned client's SYNs are silently dropped."),
    # ---- same-server outcomes of existing IDs
    dict(name="key-rejected", primary="auth.key-rejected", user="sxpi", keys=["other1_ed25519"], client=KR,
         server=r"Failed publickey for sxpi from 127\.0\.0\.1 port \d+ ssh2",
         setup="The client offers other1_ed25519, which is not in sxpi's authorized_keys."),
    dict(name="ok-connected", primary="ok.connected", user="sxpi",
         client=[(r"Authenticated to 127\.0\.0\.1 \(\[127\.0\.0\.1\]:\d+\) using \"publickey\"", "ok.connected")],
         server=r"Accepted publickey for sxpi from 127\.0\.0\.1 port \d+ ssh2",
         setup="The client offers id_ed25519, which is in sxpi's authorized_keys; the remote command `true` runs."),
    dict(name="password-rejected", primary="auth.password-rejected", user="sxpi", password="wrong-password",
         opts={"PasswordAuthentication": "yes"}, client=PW,
         server=r"Failed password for sxpi from 127\.0\.0\.1 port \d+ ssh2",
         setup="PasswordAuthentication yes; the client (through sshpass) sends a wrong password for sxpi."),
    dict(name="too-many-failures", primary="auth.too-many-failures", user="sxpi",
         keys=["other1_ed25519", "other2_ed25519", "other3_ed25519"], opts={"MaxAuthTries": "1"},
         client=[(r"Too many authentication failures", "auth.too-many-failures")] + KR,
         server=r"maximum authentication attempts exceeded for sxpi|Too many authentication failures",
         setup="MaxAuthTries 1; the client offers three keys (-i three times), none of them in sxpi's authorized_keys."),
    dict(name="kex-no-common-kex", primary="kex.no-common-kex", user="sxpi",
         opts={"KexAlgorithms": "diffie-hellman-group14-sha1"},
         client=[(r"no matching key exchange method found", "kex.no-common-kex")],
         server=r"Unable to negotiate with 127\.0\.0\.1 port \d+: no matching key exchange method found",
         setup="sshd_config KexAlgorithms diffie-hellman-group14-sha1 only; the client uses its default KexAlgorithms."),
    dict(name="not-ssh-http", primary="banner.not-ssh", user=None, kind="notssh",
         client=None, server=r"banner exchange: Connection from 127\.0\.0\.1 port \d+: invalid format",
         setup="Not an ssh client: `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -N -w 5 127.0.0.1 PORT` (netcat-openbsd, run as "
               "sxclient; its output is discarded). There is no client log."),
    # ---- Dropbear server
    dict(name="dropbear-invalid-user", primary="auth.invalid-user", user="sxnosuchuser", kind="dropbear", formats=["dropbear"],
         client=KR, server=r"[Ll]ogin attempt for nonexistent user",
         setup="Dropbear server; the client logs in as sxnosuchuser, which does not exist, offering id_ed25519."),
    dict(name="dropbear-key-rejected", primary="auth.key-rejected", user="sxpi", keys=["other1_ed25519"], kind="dropbear",
         formats=["dropbear"], client=KR, server=r"Exit before auth from <127\.0\.0\.1:\d+>: \(user 'sxpi', 0 fails\)",
         note="Dropbear 2022.83 at its default log level does not log a refused public key query; its log only shows the "
              "connection ending before authentication for user 'sxpi'.",
         setup="Dropbear server; the client offers other1_ed25519, which is not in sxpi's ~/.ssh/authorized_keys."),
    dict(name="dropbear-ok-connected", primary="ok.connected", user="sxpi", kind="dropbear", formats=["dropbear"],
         client=[(r"Authenticated to 127\.0\.0\.1", "ok.connected")], server=r"Pubkey auth succeeded for 'sxpi'",
         setup="Dropbear server; the client offers id_ed25519, which is in sxpi's ~/.ssh/authorized_keys."),
]

for _s in SCENARIOS:
    _s.setdefault("formats", ["E", "syslog"])
    _s.setdefault("kind", "openssh")
    _s.setdefault("keys", KEYS_STD)
    _s.setdefault("opts", {})
    _s.setdefault("extra", [])


# --------------------------------------------------------------------------- servers

def sshd_config(sc, port, pidfile):
    o = dict(COMMON)
    o["Port"] = str(port)
    o["PidFile"] = str(pidfile)
    o.update(sc["opts"])
    lines = []
    for k, v in o.items():
        for val in (v if isinstance(v, list) else [v]):
            lines.append(f"{k} {val}")
    lines += sc["extra"]
    return "\n".join(lines) + "\n"


RSYSLOG_CONF = """\
# private rsyslogd for server_pairs.py: the auth facility into two files
global(workDirectory="{work}")
module(load="imuxsock")
auth,authpriv.*  action(type="omfile" file="{trad}" template="RSYSLOG_TraditionalFileFormat")
auth,authpriv.*  action(type="omfile" file="{rfc}" template="RSYSLOG_FileFormat")
"""


class Rsyslog:
    """rsyslogd -n with a private config; owns /dev/log while it runs."""

    def __init__(self, rundir):
        self.dir = rundir / "rsyslog"
        self.trad = self.dir / "auth-traditional.log"
        self.rfc = self.dir / "auth-rfc3339.log"

    def __enter__(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        (self.dir / "work").mkdir(parents=True)
        conf = self.dir / "rsyslog.conf"
        conf.write_text(RSYSLOG_CONF.format(work=self.dir / "work", trad=self.trad, rfc=self.rfc))
        if os.path.exists("/dev/log"):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            try:
                s.connect("/dev/log")
                raise SystemExit("/dev/log is owned by another running syslog daemon; stop it first")
            except (ConnectionRefusedError, FileNotFoundError):
                os.unlink("/dev/log")       # stale socket of an earlier run
            finally:
                s.close()
        self.p = start(["/usr/sbin/rsyslogd", "-n", "-f", str(conf), "-i", str(self.dir / "rsyslogd.pid")],
                       stdout=subprocess.DEVNULL, stderr=open(self.dir / "rsyslogd.stderr", "wb"))
        if not wait_for(lambda: os.path.exists("/dev/log"), 10):
            raise SystemExit("rsyslogd did not create /dev/log")
        time.sleep(0.3)
        return self

    def __exit__(self, *a):
        stop(self.p)
        if os.path.exists("/dev/log"):
            os.unlink("/dev/log")

    def read(self):
        return (self.trad.read_bytes() if self.trad.exists() else b"",
                self.rfc.read_bytes() if self.rfc.exists() else b"")


class Holder:
    """n unauthenticated connections: connect, read the server banner, send nothing."""

    def __init__(self, port, n):
        self.port, self.n, self.socks = port, n, []

    def __enter__(self):
        for _ in range(self.n):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            s.recv(256)
            self.socks.append(s)
        time.sleep(0.3)
        return self

    def __exit__(self, *a):
        for s in self.socks:
            s.close()


def client_cmd(sc, port, kh, netns=False):
    user = sc["user"]
    opts = ["-F", "/dev/null"]
    if not sc.get("password"):
        opts += ["-o", "BatchMode=yes"]
    opts += ["-o", "StrictHostKeyChecking=accept-new", "-o", f"UserKnownHostsFile={kh}"]
    if sc.get("connect_timeout"):
        opts += ["-o", f"ConnectTimeout={sc['connect_timeout']}"]
    if not sc.get("password"):
        for k in sc["keys"]:
            opts += ["-i", str(CKEYS / k)]
    cmd = ["ssh", "-v"] + opts + ["-p", str(port), f"{user}@127.0.0.1", "true"]
    if sc.get("password"):
        pw = PASSWORDS.get(sc["password"], sc["password"])
        cmd = ["sshpass", "-p", pw] + cmd
    return cmd


def as_client(cmd, netns=None):
    full = ["setpriv", f"--reuid={CLIENT_USER}", f"--regid={CLIENT_USER}", "--clear-groups", "--"] + cmd
    if netns:
        full = ["ip", "netns", "exec", netns] + full
    return full


def run_client(cmd, outfile, netns=None, stdin=None):
    env = {"HOME": str(CHOME), "USER": CLIENT_USER, "LOGNAME": CLIENT_USER, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    with open(outfile, "wb") as out:
        p = subprocess.Popen(as_client(cmd, netns), env=env, cwd=str(CHOME), stdin=stdin or subprocess.DEVNULL,
                             stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            rc = p.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            rc = -9
    return rc


def fresh_rundir(name):
    d = RUNS / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    c = d / "client"
    c.mkdir()
    shutil.chown(c, CLIENT_USER, CLIENT_USER)
    return d, c / "known_hosts"


def describe_client(cmd, rc, netns=None):
    where = f" inside network namespace {netns} (ip netns exec {netns} ...)" if netns else ""
    return (f"Client (OpenSSH 9.2p1 of the host, run{where} as the unprivileged user {CLIENT_USER} via "
            f"`setpriv --reuid={CLIENT_USER} --regid={CLIENT_USER} --clear-groups`, HOME={CHOME} (no ~/.ssh), "
            f"stdin /dev/null, stdout+stderr into one file, {TIMEOUT} s timeout): `{shlex.join(cmd)}`; exit status {rc}.")


def conf_prose(conf):
    return "sshd_config: `" + "; ".join(conf.strip().splitlines()) + "`."


def run_openssh(sc, fmt, port):
    """One run of an OpenSSH sshd scenario. Returns dict(client=bytes|None, logs={suffix: (bytes, format)}, ...)."""
    name = f"{sc['name']}-{fmt}"
    d, kh = fresh_rundir(name)
    pidfile = d / "sshd.pid"
    conf = sshd_config(sc, port, pidfile)
    cf = d / "sshd_config"
    cf.write_text(conf)
    log = d / "server.log"
    res = {"how_server": "", "logs": {}}
    failed_kind = sc["kind"] == "sshd-failed"
    blocker = None
    if sc.get("blocker"):
        blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        blocker.bind(("127.0.0.1", port))
    rs = Rsyslog(d) if fmt == "syslog" else None
    try:
        if rs:
            rs.__enter__()
        if fmt == "E":
            argv = [SSHD, "-D", "-f", str(cf), "-E", str(log)]
            p = start(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(d / "sshd.stderr", "wb"))
        elif fmt == "syslog":
            argv = [SSHD, "-D", "-f", str(cf)]
            p = start(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(d / "sshd.stderr", "wb"))
        elif fmt == "sshd-d":
            argv = [SSHD, "-d", "-p", str(port), "-f", str(cf)]
            p = start(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(log, "wb"))
        elif fmt == "sshd-t":
            argv = [SSHD, "-t", "-f", str(cf)]
            p = start(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(log, "wb"))
        else:
            raise ValueError(fmt)
        if failed_kind:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                pass
            res["sshd_rc"] = p.poll()
        elif not wait_for(lambda: listening(port) or p.poll() is not None, 10) or p.poll() is not None:
            res["problem"] = f"sshd did not start listening (rc {p.poll()})"
        time.sleep(0.2)
        cmd = client_cmd(sc, port, kh)
        if sc["kind"] == "notssh":
            cmd = ["sh", "-c", f"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -N -w 5 127.0.0.1 {port}"]
            rc = run_client(cmd, d / "client.log")
        elif sc.get("hold"):
            with Holder(port, sc["hold"]):
                rc = run_client(cmd, d / "client.log")
                time.sleep(0.5)
        elif sc.get("password") == "root":
            with TempRootPassword():
                rc = run_client(cmd, d / "client.log")
        else:
            rc = run_client(cmd, d / "client.log")
        time.sleep(1.0)
        stop(p)
        time.sleep(0.2)
    finally:
        if blocker:
            blocker.close()
        if rs:
            rs.__exit__(None, None, None)
    res["rc"] = rc
    res["client"] = None if sc["kind"] == "notssh" else (d / "client.log").read_bytes()
    res["client_how"] = describe_client(cmd, rc)
    if sc["kind"] == "notssh":
        res["client_how"] = (f"Client: `{shlex.join(cmd)}` run as {CLIENT_USER} via setpriv, its output discarded "
                             f"(exit status {rc}).")
    pre = ""
    if sc.get("blocker"):
        pre = f"A Python socket was bound to 127.0.0.1:{port} (not listening) before sshd started. "
    if fmt == "E":
        res["logs"]["E"] = (log.read_bytes() if log.exists() else b"", "sshd -E")
        res["how_server"] = (f"{pre}Server: OpenSSH sshd (Debian openssh-server {pkgver('openssh-server')}) started as "
                             f"`{shlex.join(argv)}`; the server log is that -E file, exact bytes. {conf_prose(conf)}")
    elif fmt == "syslog":
        trad, rfc = rs.read()
        res["logs"]["syslog"] = (trad, "syslog traditional")
        res["logs"]["rfc3339"] = (rfc, "syslog rfc3339")
        res["how_server"] = (f"{pre}Server: OpenSSH sshd (Debian openssh-server {pkgver('openssh-server')}) started as "
                             f"`{shlex.join(argv)}` (no -E, so it logs to /dev/log). A private rsyslogd "
                             f"(rsyslog {pkgver('rsyslog')}, `rsyslogd -n -f CONF`, imuxsock on /dev/log, started fresh for "
                             "this run) wrote facility auth,authpriv.* to two files, one with template "
                             "RSYSLOG_TraditionalFileFormat (the -syslog pair) and one with RSYSLOG_FileFormat (the -rfc3339 "
                             "pair); the server log is that file, exact bytes. The same client run is stored in both pairs. "
                             f"{conf_prose(conf)}")
    elif fmt == "sshd-d":
        res["logs"]["sshd-d"] = (log.read_bytes(), "sshd -d")
        res["how_server"] = (f"{pre}Server: OpenSSH sshd (Debian openssh-server {pkgver('openssh-server')}) run in debug mode "
                             f"as `{shlex.join(argv)}` (one connection, then it exits); the server log is its stderr, exact "
                             f"bytes. {conf_prose(conf)}")
    elif fmt == "sshd-t":
        res["logs"]["sshd-t"] = (log.read_bytes(), "sshd -t")
        res["how_server"] = (f"Server: `{shlex.join(argv)}` (the config check an admin runs, e.g. before a restart); the "
                             f"server log is its stderr, exact bytes (exit status {res.get('sshd_rc')}). {conf_prose(conf)}")
    return res


def run_dropbear(sc, fmt, port):
    d, kh = fresh_rundir(f"{sc['name']}-{fmt}")
    log = d / "server.log"
    argv = ["/usr/sbin/dropbear", "-F", "-E", "-p", f"127.0.0.1:{port}", "-r",
            str(HOSTKEYS / "dropbear_ed25519_host_key"), "-P", str(d / "dropbear.pid")]
    p = start(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(log, "wb"))
    res = {"logs": {}}
    if not wait_for(lambda: listening(port) or p.poll() is not None, 10) or p.poll() is not None:
        res["problem"] = "dropbear did not start"
    time.sleep(0.2)
    cmd = client_cmd(sc, port, kh)
    rc = run_client(cmd, d / "client.log")
    time.sleep(1.0)
    stop(p)
    res.update(rc=rc, client=(d / "client.log").read_bytes(), client_how=describe_client(cmd, rc))
    res["logs"]["dropbear"] = (log.read_bytes(), "dropbear")
    res["how_server"] = (f"Server: Dropbear (Debian dropbear-bin {pkgver('dropbear-bin')}) started as `{shlex.join(argv)}`; "
                         "the server log is its stderr, exact bytes. Its users are the host's: sxpi has the client's "
                         "id_ed25519/id_ecdsa/id_rsa public keys in ~/.ssh/authorized_keys (0600, ~/.ssh 0700, home 0750).")
    res["server_version"] = dropbear_version()
    return res


F2B_LOCAL = """\
[Definition]
loglevel = INFO
logtarget = {log}
socket = {sock}
pidfile = {pid}
dbfile = :memory:
"""

JAIL_LOCAL = """\
[DEFAULT]
ignoreself = false
ignoreip =
bantime = 600
findtime = 600
maxretry = 2
backend = polling

[sshd]
enabled = true
port = {port}
filter = sshd
logpath = {logpath}
banaction = iptables-multiport[blocktype="{blocktype}"]
"""


def netns_create():
    if NETNS in run(["ip", "netns", "list"]).stdout.decode().split():
        run(["ip", "netns", "del", NETNS])
    run(["ip", "netns", "add", NETNS])
    run(["ip", "netns", "exec", NETNS, "ip", "link", "set", "lo", "up"])


def run_banned(sc, fmt, port):
    d, kh = fresh_rundir(f"{sc['name']}-{fmt}")
    pidfile = d / "sshd.pid"
    conf = sshd_config(sc, port, pidfile)
    cf = d / "sshd_config"
    cf.write_text(conf)
    f2b = d / "fail2ban"
    shutil.copytree("/etc/fail2ban", f2b / "conf")
    for f in (f2b / "conf" / "jail.d").iterdir():
        f.unlink()                                   # no Debian defaults (backend systemd)
    f2blog = f2b / "fail2ban.log"
    res = {"logs": {}}
    netns_create()
    rs = Rsyslog(d)
    f2bp = p = None
    try:
        rs.__enter__()
        (f2b / "conf" / "fail2ban.local").write_text(F2B_LOCAL.format(log=f2blog, sock=f2b / "f2b.sock", pid=f2b / "f2b.pid"))
        (f2b / "conf" / "jail.local").write_text(JAIL_LOCAL.format(port=port, logpath=rs.trad, blocktype=sc["blocktype"]))
        argv = ["ip", "netns", "exec", NETNS, SSHD, "-D", "-f", str(cf)]
        p = start(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(d / "sshd.stderr", "wb"))
        if not wait_for(lambda: listening(port, NETNS), 10):
            res["problem"] = "sshd did not start in the netns"
        wait_for(lambda: rs.trad.exists(), 5)
        f2bargv = ["ip", "netns", "exec", NETNS, "fail2ban-server", "-f", "-x", "-c", str(f2b / "conf")]
        f2bp = start(f2bargv, stdin=subprocess.DEVNULL, stdout=open(f2b / "stdout", "wb"), stderr=subprocess.STDOUT)
        if not wait_for(lambda: f2blog.exists() and b"Jail 'sshd' started" in f2blog.read_bytes(), 30):
            res["problem"] = "fail2ban jail did not start"
        time.sleep(1.0)
        bad = dict(sc, user="sxnosuchuser", connect_timeout=None)
        for i in range(3):
            run_client(client_cmd(bad, port, kh), d / f"attempt{i + 1}.log", netns=NETNS)
            time.sleep(1.0)
            if b"Ban 127.0.0.1" in f2blog.read_bytes():
                break
        if not wait_for(lambda: b"Ban 127.0.0.1" in f2blog.read_bytes(), 20):
            res["problem"] = "fail2ban did not ban 127.0.0.1"
        time.sleep(0.5)
        cmd = client_cmd(sc, port, kh)
        rc = run_client(cmd, d / "client.log", netns=NETNS)
        time.sleep(1.0)
        f2bsnap = f2blog.read_bytes()
        f2bsnap = f2bsnap[: f2bsnap.rfind(b"\n") + 1]
        rules = run(["ip", "netns", "exec", NETNS, "iptables", "-S"], check=False).stdout.decode()
    finally:
        if f2bp:
            stop(f2bp, timeout=20)
        if p:
            stop(p)
        rs.__exit__(None, None, None)
        run(["ip", "netns", "del", NETNS], check=False)
    trad, rfc = rs.read()
    res.update(rc=rc, client=(d / "client.log").read_bytes(), client_how=describe_client(cmd, rc, NETNS))
    res["logs"]["fail2ban"] = (f2bsnap + trad, "fail2ban")
    res["logs"]["fail2ban-rfc3339"] = (f2bsnap + rfc, "fail2ban")
    n_attempts = len(list(d.glob("attempt*.log")))
    res["how_server"] = (
        f"Server, all inside network namespace {NETNS} (created for the run, only lo up, deleted afterwards): OpenSSH sshd "
        f"(Debian openssh-server {pkgver('openssh-server')}) as `{shlex.join(argv)}` logging to /dev/log, read by a private "
        f"rsyslogd (RSYSLOG_TraditionalFileFormat and RSYSLOG_FileFormat files for auth,authpriv.*); fail2ban "
        f"{pkgver('fail2ban')} as `{shlex.join(f2bargv)}` with a copy of /etc/fail2ban (jail.d emptied) plus "
        f"fail2ban.local `loglevel INFO, logtarget FILE, dbfile :memory:` and jail.local `"
        + "; ".join(l for l in JAIL_LOCAL.format(port=port, logpath=rs.trad, blocktype=sc["blocktype"]).splitlines() if l)
        + f"`. Before the client run, {n_attempts} failed logins as the nonexistent user sxnosuchuser were made by the same "
        f"client command (user sxnosuchuser, no ConnectTimeout) until fail2ban banned 127.0.0.1. iptables -S inside the "
        f"namespace right after the client run: `" + "; ".join(rules.strip().splitlines()) + "`. " + conf_prose(conf))
    res["cut"] = ("The server log is fail2ban's log file from the start of fail2ban-server up to 1 s after the client's "
                  "run (the later shutdown/unban lines are not kept), followed by the whole rsyslog auth file of the same "
                  "run ({}), both exact bytes, whole lines.")
    return res


# --------------------------------------------------------------------------- writing

SUFFIX_NAME = {"E": "E", "syslog": "syslog", "rfc3339": "rfc3339", "sshd-d": "sshd-d", "sshd-t": "sshd-t",
               "dropbear": "dropbear", "fail2ban": "fail2ban", "fail2ban-rfc3339": "fail2ban-rfc3339"}


def pair_name(sc, suffix):
    return f"{sc['name']}-9.2p1-{SUFFIX_NAME[suffix]}"


def judge_client(sc, client):
    if sc["client"] is None:
        return "none"
    text = client.decode("utf-8", "replace")
    for rx, cause in sc["client"]:
        if re.search(rx, text):
            return cause
    return None


def write_pair(out, sc, suffix, res, server_bytes, fmt):
    name = pair_name(sc, suffix)
    cdir = out / sc["primary"]
    problems = []
    if res.get("problem"):
        problems.append(res["problem"])
    if not re.search(sc["server"].encode(), server_bytes):
        problems.append(f"server log lacks marker /{sc['server']}/")
    alone = judge_client(sc, res["client"]) if res.get("client") is not None or sc["client"] is None else None
    if alone is None:
        problems.append("client output matches none of " + ", ".join(c for _, c in sc["client"]))
    if problems:
        FLAGGED.mkdir(parents=True, exist_ok=True)
        (FLAGGED / f"{name}.server.log").write_bytes(server_bytes)
        if res.get("client") is not None:
            (FLAGGED / f"{name}.client.log").write_bytes(res["client"])
        print(f"PROBLEM {name}: {'; '.join(problems)} (kept in {FLAGGED})")
        return False
    cdir.mkdir(parents=True, exist_ok=True)
    for ext in (".client.log", ".server.log", ".toml"):
        (cdir / (name + ext)).unlink(missing_ok=True)
    if res.get("client") is not None:
        (cdir / f"{name}.client.log").write_bytes(res["client"])
    (cdir / f"{name}.server.log").write_bytes(server_bytes)
    cut = res.get("cut", "none")
    if "{}" in cut:
        cut = cut.format("traditional format" if suffix == "fail2ban" else "RFC 3339 format")
    notes = []
    if suffix in ("syslog", "rfc3339", "fail2ban", "fail2ban-rfc3339"):
        other = {"syslog": "rfc3339", "rfc3339": "syslog", "fail2ban": "fail2ban-rfc3339",
                 "fail2ban-rfc3339": "fail2ban"}[suffix]
        notes.append(f"The client log is a copy of the one in {pair_name(sc, other)} (same run; the server wrote both files).")
    if sc.get("note"):
        notes.append(sc["note"])
    if res.get("client") is None:
        notes.append("No ssh client was involved, so there is no .client.log; client_alone is \"none\".")
    if sc["primary"] != alone and alone != "none":
        notes.append(f"The client output alone shows only {alone}; the cause {sc['primary']} is visible in the server log.")
    how = " ".join(x for x in (f"Setup: {sc['setup']}", res["how_server"], res["client_how"]) if x)
    fields = [
        ("source", f"generated: real OpenSSH client against a real sshd on loopback (corpus/gen/server_pairs.py, scenario {sc['name']})"
         if fmt != "dropbear" else
         f"generated: real OpenSSH client against a real Dropbear server on loopback (corpus/gen/server_pairs.py, scenario {sc['name']})"),
        ("scenario", sc["name"]),
        ("primary", sc["primary"]),
        ("client_alone", alone),
        ("server_format", fmt),
        ("client_version", client_version(res["client"]) if res.get("client") is not None else client_version(b"")),
        ("server_version", res.get("server_version", server_version())),
        ("how", how),
        ("cut", cut),
    ]
    if notes:
        fields.append(("note", " ".join(notes)))
    text = "".join(f"{k} = {toml_str(v)}\n" for k, v in fields)
    tomllib.loads(text)
    (cdir / f"{name}.toml").write_text(text)
    print(f"wrote {sc['primary']}/{name} ({fmt})")
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help="comma-separated globs of scenario names")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--install", action="store_true", help="apt-get install the needed packages first")
    ap.add_argument("--out", default=str(REPO / "corpus" / "server"))
    a = ap.parse_args()
    if a.list:
        for sc in SCENARIOS:
            print(f"{sc['name']:32} {sc['primary']:34} {','.join(sc['formats'])}")
        return 0
    if os.geteuid() != 0:
        raise SystemExit("run as root")
    sel = SCENARIOS
    if a.only:
        globs = a.only.split(",")
        sel = [s for s in SCENARIOS if any(fnmatch.fnmatch(s["name"], g) for g in globs)]
    out = Path(a.out)
    if not a.only and out.is_dir():          # a full run replaces every pair
        for f in out.glob("*/*"):
            if f.name.endswith((".client.log", ".server.log", ".toml")):
                f.unlink()
        for dd in out.iterdir():
            if dd.is_dir() and not any(dd.iterdir()):
                dd.rmdir()
    setup(a.install)
    written = problems = 0
    try:
        for i, sc in enumerate(SCENARIOS):
            if sc not in sel:
                continue
            for j, fmt in enumerate(sc["formats"]):
                port = PORT_BASE + i * 4 + j
                runner = {"openssh": run_openssh, "sshd-failed": run_openssh, "notssh": run_openssh,
                          "dropbear": run_dropbear, "banned": run_banned}[sc["kind"]]
                res = runner(sc, fmt, port)
                for suffix, (data, sfmt) in res["logs"].items():
                    if write_pair(out, sc, suffix, res, data, sfmt):
                        written += 1
                    else:
                        problems += 1
    finally:
        for p in list(STARTED):
            stop(p)
    print(f"{written} pairs written, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
