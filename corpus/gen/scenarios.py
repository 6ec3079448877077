"""scenarios.py -- the scenario table used by gen.py.

Each scenario is a dict:
  name, primary, secondary   labels, from the construction (not from the output)
  cmd        client command line (shlex-split; {v} becomes -v / -vv / -vvv)
  env        extra environment for the client ({v} substituted too)
  server     key into SERVERS (short + long description for the sidecar)
  expect     regex (re.M) the combined output must match, else the run is flagged, not saved
  levels     verbosity levels to produce (default ["v"])
  setup      bash, as root, after ~user was reset ($H $K $G $HK $GEN $NSX $UCLI available)
  post_setup bash, after the agent was started
  pre / post bash around the client run; hooks: [(seconds_after_start, bash)] ($CPID = client pid)
  agent      (["keyfile", ...], confirm)  start an ssh-agent for the run
  srvlog     (logname, regex): the server log written during the run must match too
  per        {client_tag: {field: value}} per-version overrides (labels, expect, cmd, skip)
  only       [client_tags]  run only with these clients
  label_by_output [(regex, primary)]  for the FIN/RST style races
  secondary_by_output [(regex, [secondary...])]  the same for the secondary labels
  timeout, rc, wrapper, confidence, note, how, timestamps, min_gap
"""

CT = "-o ConnectTimeout=5"
SSH = "ssh {v} " + CT
ASKPASS = {"SSH_ASKPASS": "/home/user/bin/askpass", "SSH_ASKPASS_REQUIRE": "force"}


def askpass(word):
    return f"printf '#!/bin/sh\\necho \"{word}\"\\n' > $H/bin/askpass; chmod 755 $H/bin/askpass; chown 2000:2000 $H/bin/askpass"


COMMON = ("common sshd_config lines: ListenAddress (the port below), PidFile none, UsePAM yes, "
          "KbdInteractiveAuthentication no, PrintMotd no, AcceptEnv LANG LC_*, LogLevel DEBUG1, "
          "Subsystem sftp; host keys ed25519+ecdsa+rsa shared by the whole fleet. Users: alice (client's "
          "id_ed25519.pub, id_rsa.pub and the passphrase/FIDO test keys authorized; password alice-pw-1), "
          "bob (password bob-pw-1, no authorized key), carol (certificates only), dave (authorized_keys mode "
          "0666), erin (shell /bin/false), svc (shell /usr/sbin/nologin).")
S92 = "OpenSSH 9.2p1 sshd (Debian 1:9.2p1-2+deb12u10) on 127.0.0.1:"

SERVERS = {
    "2201": ("OpenSSH_9.2p1 sshd, publickey+password",
             S92 + "2201, PasswordAuthentication yes; " + COMMON +
             " The same sshd serves gitolite 3.6.12 for account git and a bare repository ~alice/repos/project.git."),
    "2202": ("OpenSSH_9.2p1 sshd, PasswordAuthentication no", S92 + "2202, PasswordAuthentication no; " + COMMON),
    "2203": ("OpenSSH_9.2p1 sshd, PasswordAuthentication no, MaxAuthTries 3",
             S92 + "2203, PasswordAuthentication no, MaxAuthTries 3; " + COMMON),
    "2205": ("OpenSSH_9.2p1 sshd, AuthenticationMethods publickey,password",
             S92 + "2205, PasswordAuthentication yes, AuthenticationMethods publickey,password; " + COMMON),
    "2206": ("OpenSSH_9.2p1 sshd, TrustedUserCAKeys, AuthorizedKeysFile none",
             S92 + "2206, PasswordAuthentication no, TrustedUserCAKeys user_ca.pub, AuthorizedKeysFile none; " + COMMON),
    "2207": ("OpenSSH_9.2p1 sshd, KexAlgorithms diffie-hellman-group1-sha1",
             S92 + "2207, KexAlgorithms diffie-hellman-group1-sha1 (a legacy-only server); " + COMMON),
    "2208": ("OpenSSH_9.2p1 sshd, only ssh-dss host key",
             S92 + "2208, only HostKey ssh_host_dsa_key with HostKeyAlgorithms ssh-dss; " + COMMON),
    "2209": ("OpenSSH_9.2p1 sshd, Ciphers aes128-cbc,3des-cbc", S92 + "2209, Ciphers aes128-cbc,3des-cbc; " + COMMON),
    "2210": ("OpenSSH_9.2p1 sshd, Ciphers aes*-ctr, MACs hmac-md5,hmac-sha1-96",
             S92 + "2210, Ciphers aes128-ctr,aes256-ctr, MACs hmac-md5,hmac-sha1-96; " + COMMON),
    "2211": ("OpenSSH_9.2p1 sshd, MaxStartups 1 (slot occupied)",
             S92 + "2211, MaxStartups 1; one idle TCP connection (a harness process in the same namespace) holds "
             "the only unauthenticated slot; " + COMMON),
    "2212": ("OpenSSH_9.2p1 sshd, PermitTTY no", S92 + "2212, PermitTTY no; " + COMMON),
    "2213": ("OpenSSH_9.2p1 sshd, AllowTcpForwarding no, X11Forwarding no",
             S92 + "2213, AllowTcpForwarding no, X11Forwarding no; " + COMMON),
    "2214": ("OpenSSH_9.2p1 sshd, KexAlgorithms curve25519-sha256 only",
             S92 + "2214, KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org (no post-quantum kex); " + COMMON),
    "2215": ("OpenSSH_9.2p1 sshd, AuthenticationMethods keyboard-interactive",
             S92 + "2215, KbdInteractiveAuthentication yes, AuthenticationMethods keyboard-interactive (PAM); " + COMMON),
    "2216": ("OpenSSH_9.2p1 sshd, MaxSessions 0", S92 + "2216, MaxSessions 0 (no session channels allowed); " + COMMON),
    "2217": ("OpenSSH_9.2p1 sshd, ClientAliveInterval 1, ClientAliveCountMax 2",
             S92 + "2217, ClientAliveInterval 1, ClientAliveCountMax 2; " + COMMON),
    "2218": ("OpenSSH_9.2p1 sshd, only ssh-rsa (SHA-1) host key algorithm",
             S92 + "2218, only HostKey ssh_host_rsa_key with HostKeyAlgorithms ssh-rsa; " + COMMON),
    "2219": ("OpenSSH_9.2p1 sshd, ForceCommand echo",
             S92 + "2219, ForceCommand /bin/echo 'This service allows sftp connections only.'; " + COMMON),
    "2220": ("OpenSSH_9.2p1 sshd, publickey+password",
             S92 + "2220, PasswordAuthentication yes (the port the firewall/kill tricks act on); " + COMMON),
    "2242": ("OpenSSH_9.2p1 sshd, expired host certificate",
             S92 + "2242, HostKey ed25519 with HostCertificate signed by host_ca for principals "
             "127.0.0.1,[127.0.0.1]:2242, valid 2020-01-01..2020-02-01 (expired); " + COMMON),
    "s1": ("OpenSSH_9.2p1 sshd on 192.0.2.10:22 (server1.example.test)",
           "OpenSSH 9.2p1 sshd on 192.0.2.10:22 (an address on lo inside the network namespace); the in-namespace "
           "DNS stub maps server1.example.test to 192.0.2.10; " + COMMON),
    "usedns": ("OpenSSH_9.2p1 sshd on 192.0.2.11:22, UseDNS yes, resolver never answers PTR",
               "OpenSSH 9.2p1 sshd on 192.0.2.11:22 with UseDNS yes; its resolver is the in-namespace DNS stub, "
               "which answers A queries (slow.example.test -> 192.0.2.11) but never answers PTR queries, so the "
               "reverse lookup of the client address waits for the glibc resolver timeout; " + COMMON),
    "2240": ("OpenSSH_10.0p2 sshd, PubkeyAcceptedAlgorithms ssh-rsa",
             "OpenSSH 10.0p2 sshd (Debian trixie, run from a trixie chroot) on 127.0.0.1:2240, PasswordAuthentication no, "
             "PubkeyAcceptedAlgorithms ssh-rsa (it only accepts SHA-1 RSA signatures, like a pre-7.2 server, and "
             "filters server-sig-algs accordingly); " + COMMON),
    "2241": ("OpenSSH_10.0p2 sshd, KexAlgorithms mlkem768x25519-sha256 only",
             "OpenSSH 10.0p2 sshd (Debian trixie chroot) on 127.0.0.1:2241, PasswordAuthentication no, "
             "KexAlgorithms mlkem768x25519-sha256; " + COMMON),
    "2230": ("Dropbear 2022.83, publickey+password",
             "Dropbear 2022.83 (Debian bookworm) `dropbear -F -E -p 127.0.0.1:2230 -r <ed25519,rsa,ecdsa host keys>`; "
             "same users as the OpenSSH fleet (alice key authorized, bob password only)."),
    "2231": ("Dropbear 2022.83 -s (no password logins)",
             "Dropbear 2022.83 `dropbear -F -E -s -p 127.0.0.1:2231 -r <host keys>` (-s: password logins disabled)."),
    "closed": ("closed port", "Nothing listens on 127.0.0.1:2299 inside the network namespace."),
    "drop": ("firewall DROP on the port", "iptables inside the namespace: -A INPUT -p tcp --dport 2251 -j DROP."),
    "hostunreach": ("ICMP host-unreachable",
                    "iptables inside the namespace: -A INPUT -p tcp --dport 2252 -j REJECT --reject-with icmp-host-unreachable."),
    "netunreach": ("ICMP net-unreachable",
                   "iptables inside the namespace: -A INPUT -p tcp --dport 2253 -j REJECT --reject-with icmp-net-unreachable."),
    "nxdomain": ("DNS answers NXDOMAIN",
                 "The client's resolver is a DNS stub on 127.0.0.1:53 inside the namespace that answers NXDOMAIN for every unknown name."),
    "dnsdown": ("DNS server down",
                "The client's only nameserver (127.0.0.1:53 inside the namespace) is stopped, so queries get ICMP port unreachable."),
    "http": ("python3 http.server (HTTP)", "`python3 -m http.server` on 127.0.0.1:2263."),
    "mysql": ("MariaDB 10.11 on 3306", "MariaDB 10.11 (Debian bookworm) mariadbd on 127.0.0.1:3306 (the server speaks first, binary handshake with NUL bytes)."),
    "smtp": ("SMTP-speaking listener", "listener.py smtp on 127.0.0.1:2264: a 220 ESMTP greeting, 502 to every line, 221 and close."),
    "ssh1": ("SSH-1-only listener", "listener.py ssh1 on 127.0.0.1:2265: greets with `SSH-1.5-Cisco-1.25` (an SSH-1-only server), reads the client's banner, closes."),
    "reset": ("listener that resets (hosts.deny-like)",
              "listener.py reset on 127.0.0.1:2260: accepts, waits for the client's banner, closes with SO_LINGER 0 "
              "(TCP RST with unread data, like tcp-wrappers/hosts.deny or fail2ban's REJECT)."),
    "close": ("listener that closes (no backend)",
              "listener.py close on 127.0.0.1:2261: accepts, reads the client banner, closes (FIN), like a port forward with no backend."),
    "silent": ("silent listener", "listener.py silent on 127.0.0.1:2262: accepts and never sends anything."),
    "telnet": ("inetutils telnetd (telnet port)",
               "inetutils telnetd behind `socat TCP-LISTEN:2266,fork EXEC:/usr/sbin/telnetd` on 127.0.0.1:2266."),
    "corrupt": ("OpenSSH_9.2p1 sshd behind a bit-flipping relay",
                "corrupt.py on 127.0.0.1:2270 relays to the OpenSSH 9.2p1 sshd on 2201 and flips one bit (0x10) of the "
                "server->client byte stream at offset 3000 (after the key exchange). Server 2201: " + COMMON),
    "none": ("not reached", "No server is contacted (the client stops before connecting)."),
    "cloudflared": ("not reached (ProxyCommand missing)", "No server is contacted: the ProxyCommand program does not exist."),
    "bastion-down": ("bastion down (ProxyCommand ssh -W)",
                     "The bastion in the ProxyCommand (127.0.0.1:2299) has nothing listening; the target would be the 9.2p1 sshd on 2201."),
}

SC = []


def S(name, primary, cmd, expect, server, **kw):
    d = dict(name=name, primary=primary, cmd=cmd, expect=expect, server=server)
    d.update(kw)
    SC.append(d)


V3 = ["v", "vvv"]
V123 = ["v", "vv", "vvv"]
DENIED_PK = r"Permission denied \(publickey\)"
AUTH_OK = r"Authenticated to \S+ \("
PASS_KEY = "cp $K/id_ed25519_pass $H/.ssh/id_ed25519; cp $K/id_ed25519_pass.pub $H/.ssh/id_ed25519.pub; chmod 600 $H/.ssh/id_ed25519; chown 2000:2000 $H/.ssh/id_ed25519*"
RSA_ONLY = "rm -f $H/.ssh/id_ed25519 $H/.ssh/id_ed25519.pub; cp $K/id_rsa $K/id_rsa.pub $H/.ssh/; chmod 600 $H/.ssh/id_rsa; chown 2000:2000 $H/.ssh/id_rsa*"
CFG = lambda text: f"printf '{text}' > $H/.ssh/config; chmod 600 $H/.ssh/config; chown 2000:2000 $H/.ssh/config"
KH_CHANGED_2201 = ("grep -v '^\\[127.0.0.1\\]:2201 ' $H/.ssh/known_hosts > $H/.ssh/kh.tmp; "
                   "echo \"[127.0.0.1]:2201 $(cut -d' ' -f1,2 $HK/other_ed25519_key.pub)\" >> $H/.ssh/kh.tmp; "
                   "mv $H/.ssh/kh.tmp $H/.ssh/known_hosts; chown 2000:2000 $H/.ssh/known_hosts")
STALE_MASTER = ("CLI_NOSETSID=1 $UCLI ssh -o ConnectTimeout=5 -o BatchMode=yes -M -S '/home/user/.ssh/cm-%r@%h:%p' -N "
                "-p 2201 alice@127.0.0.1 >/dev/null 2>&1 & P=$!; sleep 1.5; kill -9 $P; sleep 0.3")
SRV_2220_CHILDREN = "for p in $(pgrep -P $(cat $G/run/sshd-2220.pid)); do echo $p; done"

# ---------------------------------------------------------------- success (ok.connected)
S("ok-publickey", "ok.connected", SSH + " -p 2201 alice@127.0.0.1 exit", AUTH_OK, "2201", levels=V123)
S("ok-password-askpass", "ok.connected", SSH + " -p 2201 bob@127.0.0.1 exit",
  r'(using "password"|Authentication succeeded \(password\))', "2201", env=ASKPASS, setup=askpass("bob-pw-1"), levels=V3,
  how="~/bin/askpass prints the correct password (bob-pw-1); the client first offers ~/.ssh/id_ed25519, which bob has not authorized, then falls back to password.")
S("ok-password-sshpass", "ok.connected", "sshpass -p bob-pw-1 " + SSH + " -p 2201 bob@127.0.0.1 exit",
  r'(using "password"|Authentication succeeded \(password\))', "2201", wrapper="sshpass",
  how="Password supplied by sshpass (the prompt goes to sshpass's pty, so it is not in the trace).")
S("ok-certificate", "ok.connected", SSH + " -p 2206 carol@127.0.0.1 exit", AUTH_OK, "2206",
  setup="cp $K/id_ed25519-cert-valid.pub $H/.ssh/id_ed25519-cert.pub; chown 2000:2000 $H/.ssh/id_ed25519-cert.pub",
  how="~/.ssh/id_ed25519-cert.pub is a valid user certificate (principal carol) signed by the CA the server trusts.")
S("ok-dropbear-publickey", "ok.connected", SSH + " -p 2230 alice@127.0.0.1 exit", AUTH_OK, "2230", levels=V3)
S("ok-dropbear-password", "ok.connected", SSH + " -p 2230 bob@127.0.0.1 exit",
  r'(using "password"|Authentication succeeded \(password\))', "2230", env=ASKPASS, setup=askpass("bob-pw-1"),
  how="~/bin/askpass prints the correct password; the key is tried first and refused.")
S("ok-agent", "ok.connected", SSH + " -p 2202 alice@127.0.0.1 exit", AUTH_OK, "2202",
  setup="rm -f $H/.ssh/id_ed25519", agent=(["id_ed25519"], False),
  how="The authorized key is only in ssh-agent; only ~/.ssh/id_ed25519.pub is on disk.")
S("ok-proxyjump", "ok.connected", SSH + " -J alice@127.0.0.1:2201 -p 2202 alice@127.0.0.1 exit",
  r"Authenticated to 127\.0\.0\.1 \(via proxy\)", "2202",
  how="Jump host alice@127.0.0.1:2201 (publickey+password server), target 127.0.0.1:2202; the same key works on both.")
S("ok-scp", "ok.connected", "scp {v} " + CT + " -P 2201 /etc/debian_version alice@127.0.0.1:upload.txt",
  AUTH_OK, "2201", wrapper="scp", rc=0, how="scp of a small file to alice's home directory.")
S("ok-rsync", "ok.connected", "rsync -e 'ssh {v} " + CT + " -p 2201' /etc/debian_version alice@127.0.0.1:upload-rsync.txt",
  AUTH_OK, "2201", wrapper="rsync", rc=0, how="rsync of a small file over ssh (rsync is installed on both ends).")
S("ok-git-clone", "ok.connected", "git clone ssh://alice@127.0.0.1:2201/~/repos/project.git /home/user/work/project",
  r"(?s)Cloning into.*" + AUTH_OK, "2201", env={"GIT_SSH_COMMAND": "ssh {v} " + CT}, wrapper="git", rc=0,
  how="git clone of an (empty) bare repository over ssh with GIT_SSH_COMMAND.")
S("kex-not-post-quantum", "ok.connected", SSH + " -p 2214 alice@127.0.0.1 exit", AUTH_OK, "2214",
  how="The server only offers curve25519-sha256 (no mlkem768x25519/sntrup761x25519); OpenSSH >= 10.1 clients warn about it, older ones do not.",
  note="kex.not-post-quantum is added as secondary only where the client printed the warning.")

# ---------------------------------------------------------------- auth
S("auth-key-rejected", "auth.key-rejected", SSH + " -p 2202 bob@127.0.0.1 exit", DENIED_PK, "2202",
  secondary=["auth.method-unavailable"], levels=V123,
  how="The classic lock-out: the client has ~/.ssh/id_ed25519 and offers it, but the key was never installed for bob and the server no longer accepts passwords.",
  srvlog=("sshd-2202", r"Failed publickey for bob"))
S("auth-key-rejected-batchmode", "auth.key-rejected", SSH + " -o BatchMode=yes -p 2201 bob@127.0.0.1 exit",
  r"Permission denied \(publickey,password\)", "2201",
  how="CI-style run: the key is not authorized for bob and BatchMode forbids the password prompt the server would allow.")
S("auth-key-rejected-other-key", "auth.key-rejected", SSH + " -i ~/.ssh/id_work -p 2202 alice@127.0.0.1 exit", DENIED_PK, "2202",
  setup="rm -f $H/.ssh/id_ed25519 $H/.ssh/id_ed25519.pub; cp $K/id_ed25519_other $H/.ssh/id_work; cp $K/id_ed25519_other.pub $H/.ssh/id_work.pub; chmod 600 $H/.ssh/id_work; chown 2000:2000 $H/.ssh/id_work*",
  how="~/.ssh holds only id_work (a different key pair than the one alice authorized).")
S("auth-key-rejected-dropbear", "auth.key-rejected", SSH + " -p 2231 bob@127.0.0.1 exit", DENIED_PK, "2231",
  secondary=["auth.method-unavailable"], levels=V3,
  how="The client's key is not authorized for bob on a Dropbear server that refuses password logins.")
S("auth-key-rejected-strictmodes", "auth.key-rejected", SSH + " -p 2202 dave@127.0.0.1 exit", DENIED_PK, "2202",
  srvlog=("sshd-2202", r"bad ownership or modes"),
  how="Server-side cause: dave's ~/.ssh/authorized_keys does contain the client's id_ed25519.pub but is mode 0666, so sshd (StrictModes yes, the default) ignores it (server log: `Authentication refused: bad ownership or modes for file /home/dave/.ssh/authorized_keys`).",
  note="Client-side the trace is indistinguishable from a key that is not installed; only the server log shows the StrictModes refusal.")
S("scp-key-rejected", "auth.key-rejected", "scp {v} " + CT + " -P 2202 /etc/debian_version bob@127.0.0.1:", DENIED_PK, "2202",
  secondary=["auth.method-unavailable"], wrapper="scp",
  how="scp upload as bob: the client's key is not authorized for bob and the server accepts only publickey.")
S("git-key-rejected", "auth.key-rejected", "git clone ssh://bob@127.0.0.1:2202/~/repos/project.git /home/user/work/project",
  DENIED_PK, "2202", secondary=["auth.method-unavailable"], env={"GIT_SSH_COMMAND": "ssh {v} " + CT}, wrapper="git",
  how="git clone with GIT_SSH_COMMAND as bob, whose account has no authorized key for this client; the server accepts only publickey.")
S("auth-no-identities", "auth.no-identities", SSH + " -p 2202 alice@127.0.0.1 exit", DENIED_PK, "2202",
  setup="rm -f $H/.ssh/id_*", levels=V123,
  how="~/.ssh contains only known_hosts: no key pair was ever generated on this client.")
S("auth-no-identities-nondefault-name", "auth.no-identities", SSH + " -p 2202 alice@127.0.0.1 exit", DENIED_PK, "2202",
  setup="mv $H/.ssh/id_ed25519 $H/.ssh/alice_laptop; mv $H/.ssh/id_ed25519.pub $H/.ssh/alice_laptop.pub",
  how="The authorized key exists but is saved as ~/.ssh/alice_laptop (non-default name, no -i, no IdentityFile, no agent).")
S("auth-method-unavailable", "auth.method-unavailable", SSH + " -o PreferredAuthentications=password -p 2202 alice@127.0.0.1 exit",
  DENIED_PK, "2202", how="The client only wants to use a password; the server accepts only publickey.")
S("auth-method-unavailable-kbdint", "auth.method-unavailable", SSH + " -o BatchMode=yes -p 2215 alice@127.0.0.1 exit",
  r"Permission denied \(keyboard-interactive\)", "2215",
  how="The server only offers keyboard-interactive; BatchMode forbids answering prompts.")
S("auth-key-unprotected", "auth.key-unprotected", SSH + " -p 2202 alice@127.0.0.1 exit", r"UNPROTECTED PRIVATE KEY FILE", "2202",
  post_setup="chmod 644 $H/.ssh/id_ed25519", levels=V123,
  how="`chmod 644 ~/.ssh/id_ed25519` (the key IS authorized for alice, but the client refuses to use it).")
S("auth-key-load-failed-crlf", "auth.key-load-failed", SSH + " -p 2202 alice@127.0.0.1 exit",
  r'Load key ".*id_ed25519": (invalid format|error in libcrypto)', "2202", setup="sed -i 's/$/\\r/' $H/.ssh/id_ed25519", levels=V3,
  how="~/.ssh/id_ed25519 was converted to CRLF line endings (`sed -i 's/$/\\r/'`, as after a copy through a Windows editor); the key is authorized for alice.")
S("auth-key-load-failed-ppk", "auth.key-load-failed", SSH + " -i ~/.ssh/id_ed25519.ppk -p 2202 alice@127.0.0.1 exit",
  r'Load key ".*id_ed25519\.ppk": (invalid format|error in libcrypto)', "2202",
  setup="rm -f $H/.ssh/id_ed25519 $H/.ssh/id_ed25519.pub; cp $K/id_ed25519.ppk $H/.ssh/id_ed25519.ppk; chmod 600 $H/.ssh/id_ed25519.ppk; chown 2000:2000 $H/.ssh/id_ed25519.ppk",
  how="The only copy of the (authorized) key is a PuTTY .ppk file made with `puttygen id_ed25519 -O private -o id_ed25519.ppk`.")
S("auth-key-load-failed-truncated", "auth.key-load-failed", SSH + " -p 2202 alice@127.0.0.1 exit",
  r'Load key ".*id_ed25519": (invalid format|error in libcrypto)', "2202",
  setup="head -n 4 $K/id_ed25519 > $H/.ssh/id_ed25519; chmod 600 $H/.ssh/id_ed25519; chown 2000:2000 $H/.ssh/id_ed25519",
  how="~/.ssh/id_ed25519 was copy-pasted incompletely (only its first 4 lines, no END line); the .pub file is intact and authorized.")
S("auth-key-passphrase-batchmode", "auth.key-passphrase", SSH + " -o BatchMode=yes -p 2202 alice@127.0.0.1 exit",
  r"(?s)Server accepts key.*" + DENIED_PK, "2202", setup=PASS_KEY, levels=V3,
  how="~/.ssh/id_ed25519 is passphrase-protected (and authorized for alice); BatchMode=yes, no agent, so the passphrase cannot be asked.",
  note="At -v the only client-side evidence is 'Server accepts key' for a key that is then never used.")
S("auth-key-passphrase-notty", "auth.key-passphrase", SSH + " -p 2202 alice@127.0.0.1 exit",
  r"read_passphrase: can't open /dev/tty", "2202", setup=PASS_KEY, secondary=["auth.no-tty"], levels=V3,
  how="~/.ssh/id_ed25519 is passphrase-protected (and authorized); ssh runs without a controlling terminal (new session, like from cron or a GUI tool) and without SSH_ASKPASS.")
S("auth-key-passphrase-wrong", "auth.key-passphrase", SSH + " -p 2202 alice@127.0.0.1 exit",
  r"(?s)Server accepts key.*" + DENIED_PK, "2202", env=ASKPASS, setup=PASS_KEY + "; " + askpass("wrong horse"), levels=V123,
  how="~/.ssh/id_ed25519 is passphrase-protected (and authorized for alice); ~/bin/askpass answers every prompt with a wrong passphrase.")
S("auth-password-rejected", "auth.password-rejected", SSH + " -p 2201 bob@127.0.0.1 exit",
  r"Permission denied, please try again", "2201", env=ASKPASS, setup=askpass("Summer2024!"), levels=V123,
  how="~/bin/askpass answers every password prompt with a wrong password; the client key is not authorized for bob.")
S("auth-password-rejected-sshpass", "auth.password-rejected", "sshpass -p Summer2024! " + SSH + " -p 2201 bob@127.0.0.1 exit",
  r"Permission denied, please try again", "2201", wrapper="sshpass",
  how="Wrong password given via sshpass. sshpass answers the first prompt (the prompt itself goes to sshpass's pty), then sees the prompt again and kills the session (sshpass exit status 5).",
  note="The trace has no final 'Permission denied (publickey,password).': sshpass stopped ssh after the first failed attempt.")
S("auth-password-rejected-dropbear", "auth.password-rejected", SSH + " -p 2230 bob@127.0.0.1 exit",
  r"Permission denied, please try again", "2230", env=ASKPASS, setup=askpass("Summer2024!"),
  how="~/bin/askpass answers every prompt with a wrong password.")
S("auth-too-many-failures", "auth.too-many-failures", SSH + " -p 2203 alice@127.0.0.1 exit",
  r"Too many authentication failures", "2203", agent=([f"agent{i}" for i in range(1, 8)], False), levels=V123,
  how="The agent's 7 unrelated ed25519 keys are offered before ~/.ssh/id_ed25519 (which alice did authorize); MaxAuthTries 3.")
S("auth-too-many-failures-default", "auth.too-many-failures", SSH + " -p 2202 alice@127.0.0.1 exit",
  r"Too many authentication failures", "2202", agent=([f"agent{i}" for i in range(1, 9)], False),
  how="The agent holds 8 unrelated ed25519 keys; the server has the default MaxAuthTries 6; ~/.ssh/id_ed25519 (authorized) would have been offered last.")
S("auth-no-mutual-signature", "auth.no-mutual-signature", SSH + " -p 2240 alice@127.0.0.1 exit",
  r"(no mutual signature|corresponding algorithm not supported by server)", "2240", setup=RSA_ONLY, levels=V3,
  how="The client's only key is ~/.ssh/id_rsa (RSA 3072, authorized for alice); OpenSSH >= 8.8 clients refuse ssh-rsa (SHA-1) signatures, the only kind this server accepts.",
  per={"8.4p1": dict(primary="ok.connected", expect=AUTH_OK,
                     note="OpenSSH 8.4 still allows ssh-rsa (SHA-1) signatures, so this client connects.")})
S("auth-no-mutual-signature-dropbear", "auth.no-mutual-signature", SSH + " -o PubkeyAcceptedAlgorithms=rsa-sha2-512 -p 2231 alice@127.0.0.1 exit",
  r"(no mutual signature|corresponding algorithm not supported by server)", "2231", setup=RSA_ONLY,
  how="Hardened client that only allows rsa-sha2-512 signatures, RSA key ~/.ssh/id_rsa; Dropbear 2022.83 only supports rsa-sha2-256 and ssh-rsa for RSA user keys.",
  per={"8.4p1": dict(cmd=SSH + " -o PubkeyAcceptedKeyTypes=rsa-sha2-512 -p 2231 alice@127.0.0.1 exit",
                     note="OpenSSH 8.4 spells the option PubkeyAcceptedKeyTypes.")})
S("auth-partial-success", "auth.partial-success", SSH + " -o BatchMode=yes -p 2205 alice@127.0.0.1 exit",
  r"partial success", "2205", levels=V123,
  how="The key is accepted as the first factor; BatchMode=yes means the required password (second factor) cannot be asked.")
S("auth-partial-success-wrong-password", "auth.partial-success", SSH + " -p 2205 alice@127.0.0.1 exit",
  r"(?s)partial success.*Permission denied", "2205", secondary=["auth.password-rejected"], env=ASKPASS,
  setup=askpass("not-alices-password"),
  how="The key is accepted as the first factor; ~/bin/askpass answers the password prompts (second factor) with a wrong password.")
for cert, why, log in [("expired", "valid only from 2020-01-01 to 2020-02-01 (expired)", r"Certificate invalid: expired"),
                       ("principal", "valid, but for principals root,admin, not carol", r"not a listed principal"),
                       ("untrusted-ca", "for principal carol and valid, but signed by a CA the server does not list in TrustedUserCAKeys", r"Failed publickey for carol .*ID carol-otherca")]:
    f = {"expired": "expired", "principal": "wrongprincipal", "untrusted-ca": "untrustedca"}[cert]
    S(f"auth-certificate-rejected-{cert}", "auth.certificate-rejected", SSH + " -p 2206 carol@127.0.0.1 exit",
      r"(?s)ED25519-CERT.*" + DENIED_PK, "2206", levels=V3 if cert == "expired" else ["v"],
      setup=f"cp $K/id_ed25519-cert-{f}.pub $H/.ssh/id_ed25519-cert.pub; chown 2000:2000 $H/.ssh/id_ed25519-cert.pub",
      srvlog=("sshd-2206", log),
      how=f"~/.ssh/id_ed25519-cert.pub is a user certificate {why}.",
      note="The client is not told why; the trace only shows the ED25519-CERT offered and refused. The reason is in the server log.")
S("auth-agent-refused", "auth.agent-refused", SSH + " -p 2202 alice@127.0.0.1 exit", r"agent refused operation", "2202",
  setup="rm -f $H/.ssh/id_ed25519", agent=(["id_ed25519"], True),
  how="The authorized key lives only in ssh-agent, added with `ssh-add -c` (confirm each use); no ssh-askpass is installed, so the agent refuses to sign. ~/.ssh/id_ed25519.pub is still on disk.")
S("auth-agent-unavailable", "auth.agent-unavailable", SSH + " -p 2202 alice@127.0.0.1 exit",
  r"(ssh_get_authentication_socket: No such file or directory|Could not open a connection to your authentication agent|communication with agent failed)",
  "2202", setup="rm -f $H/.ssh/id_ed25519", env={"SSH_AUTH_SOCK": "/tmp/ssh-XXXXdK3b9q/agent.1873"},
  how="The private key normally lives in an agent (only ~/.ssh/id_ed25519.pub is on disk); SSH_AUTH_SOCK is left over from an old login session and points to a socket that no longer exists.")
S("auth-security-key", "auth.security-key", SSH + " -p 2202 alice@127.0.0.1 exit",
  r"(?s)ED25519-SK.*(device not found|invalid format|signing failed|provider)", "2202", levels=V3,
  setup="rm -f $H/.ssh/id_ed25519 $H/.ssh/id_ed25519.pub; cp $K/id_ed25519_sk $K/id_ed25519_sk.pub $H/.ssh/; chmod 600 $H/.ssh/id_ed25519_sk; chown 2000:2000 $H/.ssh/id_ed25519_sk*",
  per={"8.4p1": dict(note="OpenSSH 8.4's libfido2 device enumeration fails here (`sk_probe: fido_dev_info_manifest failed: FIDO_ERR_INTERNAL` at -vvv; no FIDO device, no /sys in the chroot), so it reports 'signing failed for ED25519-SK ...: invalid format' instead of 'device not found'.")},
  how="The client's only key is ~/.ssh/id_ed25519_sk, a FIDO (sk-ssh-ed25519@openssh.com) key handle authorized for alice, but no FIDO authenticator is attached (the key file was created with `ssh-keygen -t ed25519-sk -w sk-dummy.so` from Debian's openssh-tests package; the client uses its normal built-in libfido2 provider).")
S("auth-no-tty-password", "auth.no-tty", SSH + " -p 2201 bob@127.0.0.1 exit", r"read_passphrase: can't open /dev/tty", "2201",
  levels=V3,
  how="bob has no authorized key, so ssh falls back to password authentication, but it runs without a controlling terminal (new session, like cron, an IDE or a git GUI) and without SSH_ASKPASS, so it cannot prompt.")
S("auth-no-tty-kbdint", "auth.no-tty", SSH + " -p 2215 alice@127.0.0.1 exit", r"read_passphrase: can't open /dev/tty", "2215",
  how="The server only offers keyboard-interactive (PAM password prompt); ssh runs without a controlling terminal and without SSH_ASKPASS.")

# ---------------------------------------------------------------- host keys
S("hostkey-changed", "hostkey.changed", SSH + " -p 2201 alice@127.0.0.1 exit", r"REMOTE HOST IDENTIFICATION HAS CHANGED", "2201",
  setup=KH_CHANGED_2201, levels=V123,
  how="~/.ssh/known_hosts has a single entry for [127.0.0.1]:2201, an ssh-ed25519 key from before the server was 'reinstalled' (the server now has different host keys).")
S("rsync-hostkey-changed", "hostkey.changed", "rsync -e 'ssh {v} " + CT + " -p 2201' /etc/debian_version alice@127.0.0.1:upload-rsync.txt",
  r"REMOTE HOST IDENTIFICATION HAS CHANGED", "2201", setup=KH_CHANGED_2201, wrapper="rsync",
  how="rsync over ssh; ~/.ssh/known_hosts has a single, outdated ssh-ed25519 entry for [127.0.0.1]:2201 (server reinstalled).")
S("hostkey-changed-dropbear", "hostkey.changed", SSH + " -p 2230 alice@127.0.0.1 exit", r"REMOTE HOST IDENTIFICATION HAS CHANGED", "2230",
  setup="grep -v '^\\[127.0.0.1\\]:2230' $H/.ssh/known_hosts > $H/.ssh/kh.tmp; sed 's/:2201/:2230/' $G/kh-2201 >> $H/.ssh/kh.tmp; mv $H/.ssh/kh.tmp $H/.ssh/known_hosts; chown 2000:2000 $H/.ssh/known_hosts",
  how="~/.ssh/known_hosts still holds the host keys of the OpenSSH server that used to answer on this address; now Dropbear (different host keys) answers.")
S("hostkey-certificate-invalid", "hostkey.certificate-invalid", SSH + " -p 2242 alice@127.0.0.1 exit",
  r"Certificate invalid", "2242", levels=V3, secondary=["hostkey.unknown", "auth.no-tty"],
  setup="echo \"@cert-authority [127.0.0.1]:2242 $(cat $G/ca/host_ca.pub)\" >> $H/.ssh/known_hosts",
  how="~/.ssh/known_hosts trusts host_ca for [127.0.0.1]:2242 (`@cert-authority` line) and holds no plain key for it; the server presents an expired host certificate, so ssh falls back to an unknown-host prompt, which cannot be shown without a terminal.")
IPMM = ("echo \"server1.example.test $(cut -d' ' -f1,2 $HK/ssh_host_ed25519_key.pub)\" >> $H/.ssh/known_hosts; "
        "echo \"192.0.2.10 $(cut -d' ' -f1,2 $HK/other_ed25519_key.pub)\" >> $H/.ssh/known_hosts")
S("hostkey-ip-mismatch", "hostkey.ip-mismatch", SSH + " -o CheckHostIP=yes -o StrictHostKeyChecking=yes alice@server1.example.test exit",
  r"differs from the key for the IP address", "s1", setup=IPMM, levels=V3,
  how="~/.ssh/known_hosts knows server1.example.test with its real key, but the address 192.0.2.10 with the key of a machine that used that address before (DHCP reuse).")
S("hostkey-ip-mismatch-warning", "ok.connected", SSH + " -o CheckHostIP=yes -o StrictHostKeyChecking=no alice@server1.example.test exit",
  r"(?s)differs from the key for the IP address.*" + AUTH_OK, "s1", setup=IPMM, secondary=["hostkey.ip-mismatch"],
  how="Same known_hosts as hostkey-ip-mismatch, but StrictHostKeyChecking=no, so ssh only warns and connects.")
S("hostkey-dns-spoofing", "hostkey.ip-mismatch", SSH + " -o CheckHostIP=yes alice@server1.example.test exit",
  r"POSSIBLE DNS SPOOFING DETECTED", "s1", secondary=["hostkey.changed"],
  setup="echo \"server1.example.test $(cut -d' ' -f1,2 $HK/other_ed25519_key.pub)\" >> $H/.ssh/known_hosts; echo \"192.0.2.10 $(cut -d' ' -f1,2 $HK/ssh_host_ed25519_key.pub)\" >> $H/.ssh/known_hosts",
  how="~/.ssh/known_hosts knows server1.example.test with another machine's key but 192.0.2.10 with the key the server really has: the name now points to a different host (DNS change).")
S("hostkey-unknown-batchmode", "hostkey.unknown", SSH + " -o BatchMode=yes -p 2201 alice@127.0.0.1 exit",
  r"Host key verification failed", "2201", setup=": > $H/.ssh/known_hosts", levels=V3,
  how="Empty ~/.ssh/known_hosts (first connection from a CI job); BatchMode=yes so the client cannot ask.")
S("hostkey-unknown-strict", "hostkey.unknown", SSH + " -o StrictHostKeyChecking=yes -p 2201 alice@127.0.0.1 exit",
  r"Host key verification failed", "2201", setup=": > $H/.ssh/known_hosts",
  how="Empty ~/.ssh/known_hosts and StrictHostKeyChecking=yes.")
S("hostkey-unknown-notty", "hostkey.unknown", SSH + " -p 2201 alice@127.0.0.1 exit",
  r"(?s)can't open /dev/tty.*Host key verification failed", "2201", setup=": > $H/.ssh/known_hosts",
  secondary=["auth.no-tty"],
  how="Empty ~/.ssh/known_hosts, default StrictHostKeyChecking ask, and no controlling terminal (like an IDE or cron job): the yes/no question cannot be asked.")
S("git-hostkey-unknown", "hostkey.unknown", "git clone ssh://alice@127.0.0.1:2201/~/repos/project.git /home/user/work/project",
  r"Host key verification failed", "2201", setup=": > $H/.ssh/known_hosts", secondary=["auth.no-tty"],
  env={"GIT_SSH_COMMAND": "ssh {v} " + CT}, wrapper="git",
  how="git clone from a GUI-like context (no terminal) to a server that is not yet in ~/.ssh/known_hosts (empty file).")
S("sshpass-hostkey-unknown", "hostkey.unknown", "sshpass -p bob-pw-1 " + SSH + " -p 2201 bob@127.0.0.1 exit",
  r"(?s)Server host key:.*\Z", "2201", setup=": > $H/.ssh/known_hosts", wrapper="sshpass", rc=6,
  how="sshpass with a password, but the server is not yet in ~/.ssh/known_hosts (empty file): ssh asks the yes/no host key question on sshpass's pty, sshpass recognises it and gives up (exit status 6).",
  note="The host key question itself went to sshpass's pty, so it is not in the trace; the trace simply stops after the server host key line.")
S("hostkey-known-hosts-unwritable", "ok.connected", SSH + " -o StrictHostKeyChecking=accept-new -p 2201 alice@127.0.0.1 exit",
  r"(?s)Failed to add the host.*" + AUTH_OK, "2201", secondary=["hostkey.known-hosts-unwritable"],
  setup=": > $H/.ssh/known_hosts", post_setup="chown root:root $H/.ssh/known_hosts; chmod 644 $H/.ssh/known_hosts",
  how="~/.ssh/known_hosts is empty and owned by root (not writable by the user); StrictHostKeyChecking=accept-new.")

# ---------------------------------------------------------------- kex
S("kex-no-common-kex", "kex.no-common-kex", SSH + " -p 2207 alice@127.0.0.1 exit", r"no matching key exchange method found", "2207",
  levels=V123, how="Legacy server that only offers diffie-hellman-group1-sha1.")
S("kex-no-common-kex-dropbear-hardened", "kex.no-common-kex", SSH + " -o KexAlgorithms=diffie-hellman-group-exchange-sha256 -p 2230 alice@127.0.0.1 exit",
  r"no matching key exchange method found", "2230",
  how="Hardened client allowing only diffie-hellman-group-exchange-sha256, which Dropbear does not implement.")
S("kex-no-common-kex-pq-only-server", "kex.no-common-kex", SSH + " -p 2241 alice@127.0.0.1 exit",
  r"no matching key exchange method found", "2241",
  how="A new server hardened to post-quantum key exchange only; clients older than OpenSSH 9.9 do not implement mlkem768x25519-sha256.",
  per={t: dict(primary="ok.connected", expect=AUTH_OK, note="This client implements mlkem768x25519-sha256, so it connects.")
       for t in ("10.0p2", "10.6p1")})
S("kex-no-common-hostkey", "kex.no-common-hostkey", SSH + " -p 2208 alice@127.0.0.1 exit", r"no matching host key type found", "2208",
  levels=V3, how="The server's only host key is DSA (ssh-dss), disabled by default in clients since OpenSSH 7.0.")
S("kex-no-common-hostkey-rsa-sha1", "kex.no-common-hostkey", SSH + " -p 2218 alice@127.0.0.1 exit", r"no matching host key type found", "2218",
  how="The server only offers the ssh-rsa (SHA-1) host key algorithm, disabled by default in clients since OpenSSH 8.8.",
  per={"8.4p1": dict(primary="ok.connected", expect=AUTH_OK, note="OpenSSH 8.4 still accepts ssh-rsa host keys, so this client connects.")})
S("kex-no-common-cipher", "kex.no-common-cipher", SSH + " -p 2209 alice@127.0.0.1 exit", r"no matching cipher found", "2209", levels=V3,
  how="Legacy server that only offers CBC ciphers.")
S("kex-no-common-mac", "kex.no-common-mac", SSH + " -p 2210 alice@127.0.0.1 exit", r"no matching MAC found", "2210", levels=V3,
  how="Legacy server that only offers hmac-md5 and hmac-sha1-96 (with non-AEAD ciphers).")
STALL = "$NSX iptables -{op} INPUT -p tcp --sport 2220 -m length --length {n}:65535 -j DROP"
S("kex-stalled", "kex.stalled", SSH + " -p 2220 alice@127.0.0.1 exit", r"expecting SSH2_MSG_KEX_ECDH_REPLY\s*\Z", "2220",
  levels=V3, timeout=20, rc=-9, only=["9.2p1", "10.0p2", "10.6p1"],
  pre=STALL.format(op="I", n=1200), post=STALL.format(op="D", n=1200),
  how="Path-MTU black hole emulated inside the network namespace: `iptables -I INPUT -p tcp --sport 2220 -m length --length 1200:65535 -j DROP` silently drops every server packet of 1200 bytes or more, i.e. the large post-quantum KEX reply, while small packets pass. The client hangs; the harness killed it after 20 s.")
S("kex-stalled-kexinit", "kex.stalled", SSH + " -p 2220 alice@127.0.0.1 exit", r"SSH2_MSG_KEXINIT sent\s*\Z", "2220",
  timeout=20, rc=-9, pre=STALL.format(op="I", n=1000), post=STALL.format(op="D", n=1000),
  how="Path-MTU black hole emulated inside the network namespace: `iptables -I INPUT -p tcp --sport 2220 -m length --length 1000:65535 -j DROP` silently drops every server packet of 1000 bytes or more, here already the server's KEXINIT. The client hangs; the harness killed it after 20 s.")

# ---------------------------------------------------------------- connect / resolve
S("connect-refused", "connect.refused", SSH + " -p 2299 alice@127.0.0.1 exit", r"Connection refused", "closed", levels=V123)
S("scp-connect-refused", "connect.refused", "scp {v} " + CT + " -P 2299 /etc/debian_version alice@127.0.0.1:", r"Connection refused",
  "closed", wrapper="scp", how="scp to a port where no sshd listens.")
S("connect-timeout", "connect.timeout", "ssh {v} -o ConnectTimeout=3 -p 2251 alice@127.0.0.1 exit", r"Connection timed out", "drop",
  levels=V3)
S("connect-no-route", "connect.no-route", SSH + " -p 2252 alice@127.0.0.1 exit", r"No route to host", "hostunreach")
S("connect-network-unreachable", "connect.network-unreachable", SSH + " -p 2253 alice@127.0.0.1 exit", r"Network is unreachable", "netunreach")
S("resolve-unknown-host", "resolve.unknown-host", SSH + " alice@nonexistent.invalid exit", r"Could not resolve hostname", "nxdomain",
  levels=V3)
S("resolve-unknown-host-alias-typo", "resolve.unknown-host", SSH + " webservr exit", r"Could not resolve hostname webservr", "nxdomain",
  setup=CFG("Host webserver\\n    HostName 127.0.0.1\\n    Port 2201\\n    User alice\\n"),
  how="~/.ssh/config defines `Host webserver`; the user typed `webservr`, which matches no Host block and is then looked up in DNS.")
S("resolve-dns-failure", "resolve.dns-failure", SSH + " alice@build01.corp.example exit", r"Temporary failure in name resolution", "dnsdown",
  pre="kill $(cat $G/run/dns.pid); rm -f $G/run/dns.pid; sleep 0.3", post="bash $GEN/start-helpers.sh >/dev/null 2>&1")

# ---------------------------------------------------------------- banner
S("banner-not-ssh-http", "banner.not-ssh", SSH + " -p 2263 alice@127.0.0.1 exit", r"(HTTP/1\.[01] 400|Bad request|kex_exchange_identification)",
  "http", levels=V3, how="Wrong port: an HTTP server answers.")
S("banner-not-ssh-mysql", "banner.not-ssh", SSH + " -p 3306 alice@127.0.0.1 exit", r"(invalid characters|invalid format|Bad protocol)",
  "mysql", levels=V3, how="Wrong port: the user pointed ssh at the database port.")
S("banner-not-ssh-smtp", "banner.not-ssh", SSH + " -p 2264 alice@127.0.0.1 exit", r"(220 mail\.example\.test|502 5\.5\.2)", "smtp",
  how="Wrong port: a mail server answers.")
S("banner-protocol-ssh1", "banner.protocol-mismatch", SSH + " -p 2265 alice@127.0.0.1 exit", r"Protocol major versions differ", "ssh1",
  how="An old device that speaks only SSH protocol 1 (a Cisco switch left at `ip ssh version 1`).")
S("banner-closed-maxstartups", "banner.max-startups", SSH + " -p 2211 alice@127.0.0.1 exit",
  r"kex_exchange_identification: (Connection closed by remote host|read: Connection reset by peer)", "2211", levels=V3,
  pre="$NSX /usr/bin/python3 -c 'import socket,time; s=socket.create_connection((\"127.0.0.1\",2211)); time.sleep(60)' >/dev/null 2>&1 & echo $! > $G/run/hold2211.pid; sleep 1",
  post="kill $(cat $G/run/hold2211.pid) 2>/dev/null; rm -f $G/run/hold2211.pid; sleep 0.5",
  secondary=["banner.closed"],
  secondary_by_output=[(r"read: Connection reset by peer", ["banner.reset"])],
  how="sshd has MaxStartups 1 and another unauthenticated connection holds the only slot, so sshd drops this one right after accepting it.",
  note="sshd writes 'Exceeded MaxStartups' and drops the connection with a FIN (secondary banner.closed) or, in a race, an RST (secondary banner.reset); the secondary follows what this run saw.")
S("banner-closed-no-backend", "banner.closed", SSH + " -p 2261 alice@127.0.0.1 exit", r"Connection closed by remote host", "close",
  how="A TCP forwarder with no backend accepts and closes.")
S("banner-reset", "banner.reset", SSH + " -p 2260 alice@127.0.0.1 exit", r"Connection reset by peer", "reset", levels=V123,
  how="The server side resets the connection right after accepting it, the way tcp-wrappers/hosts.deny or a fail2ban REJECT does.")
S("banner-timeout", "banner.timeout", SSH + " -p 2262 alice@127.0.0.1 exit", r"timed out during banner exchange", "silent", levels=V3,
  how="The server accepts the TCP connection but never sends an SSH banner (overloaded server or middlebox); ConnectTimeout=5 fires.")
S("banner-timeout-telnet", "banner.timeout", SSH + " -p 2266 alice@127.0.0.1 exit", r"timed out during banner exchange", "telnet",
  how="Wrong port: a telnet server answers.",
  note="The port really speaks telnet (banner.not-ssh), but nothing in the client trace shows it: the telnet negotiation bytes contain no newline, so ssh never prints a banner line and just times out.")

# ---------------------------------------------------------------- config
S("config-bad-option", "config.bad-option", SSH + " -p 2201 alice@127.0.0.1 exit", r"Bad configuration option", "none", levels=V3,
  setup=CFG("Host *\\n    IdentitiyFile ~/.ssh/id_ed25519\\n    ServerAliveInterval 30\\n"),
  how="~/.ssh/config contains the typo `IdentitiyFile ~/.ssh/id_ed25519` on line 2.")
S("config-bad-option-too-new", "config.bad-option", SSH + " -p 2201 alice@127.0.0.1 exit", r"Bad configuration option", "2201",
  setup=CFG("Host *\\n    ObscureKeystrokeTiming no\\n"),
  how="~/.ssh/config (copied from a newer machine) sets `ObscureKeystrokeTiming no`, an option added in OpenSSH 9.5.",
  per={t: dict(primary="ok.connected", expect=AUTH_OK, note="This client knows ObscureKeystrokeTiming (added in 9.5), so it connects.")
       for t in ("10.0p2", "10.6p1")})
S("config-bad-option-cmdline", "config.bad-option", SSH + " -o StrictHostkeyCheking=no -p 2201 alice@127.0.0.1 exit",
  r"Bad configuration option", "none", how="Typo in a -o option on the command line.")
S("config-bad-argument-port", "config.bad-argument", SSH + " -p 22o1 alice@127.0.0.1 exit", r"Bad port", "none",
  how="Typo in the -p value (letter o instead of zero).")
S("config-bad-argument-forward", "config.bad-argument", SSH + " -L 5432 -p 2201 alice@127.0.0.1 exit",
  r"Bad local forwarding specification", "none",
  how="-L given only a port, without the destination (`-L 5432:127.0.0.1:5432` was meant).")
S("config-bad-argument-scp-port", "config.bad-argument", "scp {v} " + CT + " -P 22o1 /etc/debian_version alice@127.0.0.1:",
  r"(?i)bad port", "none", wrapper="scp", note="scp validates the port itself and stops before starting ssh, so the trace has no ssh output at all.", how="scp with a typo in the -P value (letter o instead of zero); scp passes it on to ssh.")
S("config-bad-permissions", "config.bad-permissions", SSH + " -p 2201 alice@127.0.0.1 exit", r"Bad owner or permissions", "none",
  levels=V3, setup=CFG("Host *\\n    ServerAliveInterval 30\\n"), post_setup="chmod 666 $H/.ssh/config",
  how="`chmod 666 ~/.ssh/config` (world-writable).")
S("config-identity-missing", "config.identity-missing", SSH + " -i ~/.ssh/deploy_key -p 2202 bob@127.0.0.1 exit",
  r"deploy_key.*(not accessible|No such file)|no such identity.*deploy_key", "2202", secondary=["auth.key-rejected"],
  how="`-i ~/.ssh/deploy_key` names a file that does not exist (the deploy key was never copied to this machine); ~/.ssh/id_ed25519 exists but is not authorized for bob.")
S("config-identity-missing-config", "config.identity-missing", SSH + " deploy exit", r"deploy_ed25519.*(not accessible|No such file)|no such identity.*deploy_ed25519",
  "2202", levels=V3,
  setup=CFG("Host deploy\\n    HostName 127.0.0.1\\n    Port 2202\\n    User bob\\n    IdentityFile ~/.ssh/deploy_ed25519\\n    IdentitiesOnly yes\\n"),
  how="~/.ssh/config `Host deploy` sets `IdentityFile ~/.ssh/deploy_ed25519` and `IdentitiesOnly yes`, but that file does not exist.")

# ---------------------------------------------------------------- session
S("session-closed-after-auth", "session.closed-after-auth", SSH + " -p 2201 svc@127.0.0.1 exit",
  r"This account is currently not available", "2201", levels=V123,
  how="svc's login shell is /usr/sbin/nologin; its authorized_keys holds the client key.")
S("session-closed-after-auth-false-shell", "session.closed-after-auth", SSH + " -p 2201 erin@127.0.0.1 exit",
  r"(?s)" + AUTH_OK + r".*[Ee]xit status 1", "2201", rc=1,
  how="erin's login shell is /bin/false (key authorized), so the session ends immediately with exit status 1 and no message.")
S("session-closed-after-auth-forcecommand", "session.closed-after-auth", SSH + " -p 2219 alice@127.0.0.1 'uptime'",
  r"This service allows sftp connections only", "2219",
  how="The server runs a ForceCommand that prints a message and exits instead of the requested command.")
S("session-pty-failed", "session.pty-failed", SSH + " -tt -p 2212 alice@127.0.0.1 exit", r"PTY allocation request failed", "2212",
  levels=V3, how="`-tt` forces a PTY request, which the server refuses.")
S("session-open-refused", "session.open-refused", SSH + " -p 2216 alice@127.0.0.1 exit",
  r"(open failed|Session open refused|session request failed)", "2216", levels=V3,
  how="Authentication succeeds, then the server refuses the session channel (MaxSessions 0).")
S("session-broken-pipe", "session.broken-pipe", SSH + " -o ServerAliveInterval=2 -p 2220 alice@127.0.0.1 'sleep 25'",
  r"(Broken pipe|Connection reset by peer)", "2220", levels=V3, timeout=40,
  hooks=[(4, "$NSX iptables -I INPUT -p tcp --dport 2220 -j REJECT --reject-with tcp-reset")],
  post="$NSX iptables -D INPUT -p tcp --dport 2220 -j REJECT --reject-with tcp-reset 2>/dev/null; true",
  label_by_output=[(r"^Read from remote host .*: Connection reset by peer", "session.reset")],
  how="4 s into the session a firewall rule inside the namespace (`iptables -I INPUT -p tcp --dport 2220 -j REJECT --reject-with tcp-reset`) answers the client's next packet (a ServerAlive probe) with a TCP RST, as a NAT box that forgot the connection does.",
  note="OpenSSH 10.x prints 'Read from remote host ...: Connection reset by peer' (labelled session.reset); 8.4/9.2 only print the follow-on Broken pipe.")
DROP2220 = "$NSX iptables -{op} INPUT -p tcp --dport 2220 -j DROP; $NSX iptables -{op} INPUT -p tcp --sport 2220 -j DROP"
S("session-timeout", "session.timeout", SSH + " -o ServerAliveInterval=1 -o ServerAliveCountMax=3 -p 2220 alice@127.0.0.1 'sleep 25'",
  r"Timeout, server .* not responding", "2220", levels=V3, timeout=40,
  hooks=[(3, DROP2220.format(op="I"))], post=DROP2220.format(op="D") + " 2>/dev/null; true",
  how="3 s into the session all packets of the connection are silently dropped inside the namespace (iptables DROP --dport/--sport 2220), as when the network goes away; ServerAliveInterval=1, ServerAliveCountMax=3.")
S("session-closed-by-server", "session.closed-by-remote", SSH + " -p 2220 alice@127.0.0.1 'sleep 25'",
  r"closed by remote host", "2220", timeout=40,
  hooks=[(3, f"for p in $({SRV_2220_CHILDREN}); do kill -TERM $p; done")],
  how="3 s into the session the server-side sshd process for this connection (child of the listening sshd) is sent SIGTERM, as by a server shutdown or an admin killing the session.")
S("session-closed-by-remote-clientalive", "session.closed-by-remote", SSH + " -p 2217 alice@127.0.0.1 'sleep 25'",
  r"closed by remote host", "2217", timeout=40,
  hooks=[(2, "kill -STOP $CPID"), (8, "kill -CONT $CPID")],
  srvlog=("sshd-2217", r"Timeout, client not responding"),
  how="2 s into the session the client process is frozen (SIGSTOP, like a suspended laptop) for 6 s; the server's ClientAliveInterval 1 / ClientAliveCountMax 2 gives up on it and closes the connection; when the client resumes (SIGCONT) it finds the connection closed.")
S("session-reset-server-killed", "session.reset", SSH + " -o ServerAliveInterval=1 -p 2220 alice@127.0.0.1 'sleep 25'",
  r"(Connection reset by peer|Broken pipe)", "2220", timeout=40,
  hooks=[(3, f"for p in $({SRV_2220_CHILDREN}); do kill -STOP $p; for c in $(pgrep -P $p); do kill -STOP $c; done; done"),
         (6, f"for p in $({SRV_2220_CHILDREN}); do for c in $(pgrep -P $p); do kill -KILL $c; done; kill -KILL $p; done")],
  label_by_output=[(r"\A(?!(?s:.*)Read from remote host)(?s:.*)Broken pipe", "session.broken-pipe")],
  how="3 s into the session the server-side sshd processes of this connection are frozen (SIGSTOP) while the client keeps sending ServerAlive probes (ServerAliveInterval=1), which pile up unread; 3 s later they are killed (SIGKILL), so the server kernel answers with a TCP RST, as when a server process crashes.",
  note="If the client only reports the follow-on Broken pipe, the run is labelled session.broken-pipe.")

# ---------------------------------------------------------------- transport
S("transport-corrupt", "transport.corrupt", SSH + " -p 2270 alice@127.0.0.1 exit",
  r"(message authentication code incorrect|Corrupted MAC|Bad packet length|incorrect)", "corrupt", levels=V3,
  how="Default ciphers (chacha20-poly1305); one bit of the encrypted server->client stream is flipped in transit.")
S("transport-corrupt-mac", "transport.corrupt", SSH + " -o Ciphers=aes128-ctr -o MACs=hmac-sha2-256 -p 2270 alice@127.0.0.1 exit",
  r"(Corrupted MAC|message authentication code incorrect|Bad packet length)", "corrupt",
  how="Client limited to aes128-ctr + hmac-sha2-256 (encrypt-and-MAC, as with older servers); one bit of the encrypted server->client stream is flipped in transit.")

# ---------------------------------------------------------------- service (git)
GIT = {"GIT_SSH_COMMAND": "ssh {v} " + CT}
S("service-not-found-git", "service.not-found", "git clone ssh://alice@127.0.0.1:2201/~/repos/projet.git /home/user/work/projet",
  r"does not appear to be a git repository", "2201", env=GIT, wrapper="git", levels=V3,
  how="git clone over ssh with a typo in the repository path (the server has ~alice/repos/project.git, the user typed projet.git); plain git-upload-pack on the server.",
  note="A git wrapper trace: git's own messages (Cloning into..., fatal:) are interleaved with ssh's -v output.")
S("service-access-denied-gitolite", "service.access-denied", "git clone ssh://git@127.0.0.1:2201/payroll /home/user/work/payroll",
  r"DENIED", "2201", env=GIT, wrapper="git", levels=V3,
  how="git clone of a gitolite repository the key's gitolite user (alice) has no right to read (payroll: RW+ carol only).")
S("service-access-denied-readonly", "service.access-denied", "git -C /home/user/work/website push origin HEAD:master",
  r"DENIED", "2201", env=GIT, wrapper="git",
  setup="mkdir -p $H/work/website && cd $H/work/website && git init -q && git config user.email user@example.test && git config user.name user && echo hi > index.html && git add index.html && git commit -qm init && git remote add origin ssh://git@127.0.0.1:2201/website && chown -R 2000:2000 $H/work",
  how="git push from a local repository to a gitolite repository where the key (gitolite user alice) only has read access.")

# ---------------------------------------------------------------- forwarding
S("forward-bind-failed", "forward.bind-failed", SSH + " -o ExitOnForwardFailure=yes -L 5432:127.0.0.1:5432 -p 2201 alice@127.0.0.1 exit",
  r"Address already in use", "2201", levels=V3,
  how="A local service already listens on 127.0.0.1:5432 and [::1]:5432 (like a local PostgreSQL); ExitOnForwardFailure=yes.")
S("forward-bind-failed-warning", "forward.bind-failed", SSH + " -L 5432:127.0.0.1:5432 -p 2201 alice@127.0.0.1 exit",
  r"Address already in use", "2201",
  how="A local service already listens on 127.0.0.1:5432 and [::1]:5432; without ExitOnForwardFailure ssh only warns and runs the command.",
  note="The session itself succeeds; the forward is the failure the user will notice.")
S("forward-remote-failed", "forward.remote-failed", SSH + " -N -o ExitOnForwardFailure=yes -R 5432:127.0.0.1:8080 -p 2201 alice@127.0.0.1",
  r"remote port forwarding failed for listen port 5432", "2201", levels=V3, timeout=20,
  how="`-R 5432:...` asks the server to listen on its loopback port 5432 (127.0.0.1 and ::1), where a service already listens.")
S("forward-remote-failed-prohibited", "forward.remote-failed", SSH + " -o ExitOnForwardFailure=yes -R 8080:127.0.0.1:80 -p 2213 alice@127.0.0.1 'sleep 2'",
  r"remote port forwarding failed for listen port 8080", "2213", timeout=20,
  how="Remote forward requested from a server with AllowTcpForwarding no.")
S("forward-open-failed-prohibited", "forward.open-failed", SSH + " -W 127.0.0.1:2201 -p 2213 alice@127.0.0.1",
  r"open failed: administratively prohibited", "2213", levels=V3, timeout=20,
  how="`-W` (stdio forwarding) through a server with AllowTcpForwarding no.")
S("forward-open-failed-connect", "forward.open-failed", SSH + " -L 15432:127.0.0.1:5433 -p 2201 alice@127.0.0.1 'sleep 4'",
  r"open failed: connect failed", "2201", timeout=20, hooks=[(2, "$NSX nc -z -w 2 127.0.0.1 15432")],
  how="Local forward to 127.0.0.1:5433 as seen from the server, where nothing listens; 2 s after login a local client connects to 127.0.0.1:15432 (`nc -z`), so the server's connect fails.")
S("forward-x11-failed", "forward.x11-failed", SSH + " -X -p 2213 alice@127.0.0.1 exit", r"X11 forwarding request failed", "2213",
  env={"DISPLAY": ":0"}, how="DISPLAY=:0 (no xauth installed on the client) and `-X` to a server with X11Forwarding no.")

# ---------------------------------------------------------------- proxy
S("proxy-command-failed", "proxy.command-failed", SSH + " -o 'ProxyCommand=/usr/local/bin/cloudflared access ssh --hostname %h' alice@ssh.internal.example exit",
  r"cloudflared.*No such file or directory", "cloudflared", levels=V3,
  how="The ProxyCommand names a program that is not installed on this machine (a Cloudflare Access setup copied from another machine).")
S("proxy-command-failed-nested-ssh", "proxy.command-failed", SSH + " -o 'ProxyCommand=ssh -W %h:%p -p 2299 alice@127.0.0.1' -p 2201 alice@127.0.0.1 exit",
  r"Connection refused", "bastion-down", secondary=["connect.refused"],
  how="The ProxyCommand is `ssh -W %h:%p` through a bastion (127.0.0.1:2299) that is down.")
S("proxy-jump-failed", "proxy.jump-failed", SSH + " -J alice@127.0.0.1:2201 -p 2299 alice@127.0.0.1 exit",
  r"(open failed: connect failed|stdio forwarding failed)", "2201", secondary=["forward.open-failed"], levels=V123,
  how="Jump host 127.0.0.1:2201 works; the target 127.0.0.1:2299 (seen from the jump host) has nothing listening.")
S("proxy-jump-failed-hostport-syntax", "proxy.jump-failed", SSH + " -J alice@127.0.0.1:2201 alice@127.0.0.1:2202 exit",
  r"(open failed|stdio forwarding failed)", "2201", secondary=["forward.open-failed"],
  how="The user wrote the target as alice@127.0.0.1:2202 (host:port); ssh does not parse a port there (only -p or an ssh:// URI), so the jump host is asked to connect to a host literally named '127.0.0.1:2202', port 22, and cannot resolve it.",
  note="Real user mistake: host:port syntax works for -J but not for the destination.")
S("proxy-jump-failed-unresolvable", "proxy.jump-failed", SSH + " -J alice@127.0.0.1:2201 alice@db01.internal exit",
  r"(open failed|stdio forwarding failed)", "2201", secondary=["forward.open-failed"],
  how="Jump host works, but it cannot resolve the target name db01.internal: the jump host's resolver has no reachable DNS server, so its lookup fails with 'Temporary failure in name resolution'.")
S("proxy-jump-failed-jump-auth", "proxy.jump-failed", SSH + " -J bob@127.0.0.1:2202 -p 2201 alice@127.0.0.1 exit",
  DENIED_PK, "2202", secondary=["auth.key-rejected"],
  how="The jump host (127.0.0.1:2202, PasswordAuthentication no) refuses the client key for bob, so the hop to the target never happens.")
S("proxy-jump-failed-prohibited", "proxy.jump-failed", SSH + " -J alice@127.0.0.1:2213 -p 2201 alice@127.0.0.1 exit",
  r"(administratively prohibited|stdio forwarding failed)", "2213", secondary=["forward.open-failed"],
  how="The jump host (127.0.0.1:2213) has AllowTcpForwarding no.")

# ---------------------------------------------------------------- mux
CP = "-o 'ControlPath=~/.ssh/cm-%r@%h:%p'"
S("mux-stale-socket-check", "mux.stale-socket", SSH + " -O check " + CP + " -p 2201 alice@127.0.0.1",
  r"Control socket connect.*Connection refused", "2201", levels=V3, pre=STALE_MASTER,
  how="A real ControlMaster (`ssh -M -S ~/.ssh/cm-%r@%h:%p -N ...`) was started and killed with SIGKILL, leaving its socket file behind; then `ssh -O check`.")
S("mux-master-died-network-down", "connect.timeout", SSH + " " + CP + " -p 2220 alice@127.0.0.1 exit",
  r"(?s)(read from master failed|mux_client).*Connection timed out", "2220", secondary=["mux.stale-socket"], levels=V3, timeout=40,
  pre=("CLI_NOSETSID=1 $UCLI ssh -o ConnectTimeout=5 -o BatchMode=yes -o ServerAliveInterval=1 -o ServerAliveCountMax=4 -M "
       "-S '/home/user/.ssh/cm-%r@%h:%p' -N -p 2220 alice@127.0.0.1 >/dev/null 2>&1 & echo $! > $G/run/master.pid; sleep 1.5; "
       + DROP2220.format(op="I")),
  post=DROP2220.format(op="D") + " 2>/dev/null; kill -9 $(cat $G/run/master.pid) 2>/dev/null; rm -f $G/run/master.pid",
  how="A ControlMaster for alice@127.0.0.1:2220 (ServerAliveInterval=1, ServerAliveCountMax=4) is running; then its TCP connection is silently cut (iptables DROP both directions inside the namespace). The new client reuses the master's socket, and the master dies of its keepalive timeout while the client waits for its session; the client then falls back to a direct connection, which times out because the network is still down.")
S("mux-stale-socket-master", "ok.connected", SSH + " -o ControlMaster=yes " + CP + " -p 2201 alice@127.0.0.1 exit",
  r"(?s)" + AUTH_OK + r".*already exists, disabling multiplexing", "2201", secondary=["mux.stale-socket"], pre=STALE_MASTER,
  how="Stale ControlMaster socket left by a SIGKILLed master; the new connection with ControlMaster=yes works but cannot become a master.")
S("mux-stale-socket-client", "ok.connected", SSH + " " + CP + " -p 2201 alice@127.0.0.1 exit",
  r"(?s)Control socket connect.*" + AUTH_OK, "2201", secondary=["mux.stale-socket"], pre=STALE_MASTER,
  how="Stale ControlMaster socket left by a SIGKILLed master; ControlPath is set (ControlMaster defaults to no), so ssh reports the dead socket and connects directly.")

# ---------------------------------------------------------------- slow.step (timestamped)
SLOWKH = ("echo \"slow.example.test $(cut -d' ' -f1,2 $HK/ssh_host_ed25519_key.pub)\" >> $H/.ssh/known_hosts; "
          "echo \"slow.example.test $(cut -d' ' -f1,2 $HK/ssh_host_ecdsa_key.pub)\" >> $H/.ssh/known_hosts; "
          "echo \"192.0.2.11 $(cut -d' ' -f1,2 $HK/ssh_host_ed25519_key.pub)\" >> $H/.ssh/known_hosts; "
          "echo \"192.0.2.11 $(cut -d' ' -f1,2 $HK/ssh_host_ecdsa_key.pub)\" >> $H/.ssh/known_hosts")
S("slow-step-usedns", "slow.step", SSH + " alice@slow.example.test exit", AUTH_OK, "usedns", timestamps=True, min_gap=4,
  wrapper="timestamped", setup=SLOWKH, secondary=[], timeout=90,
  how="The server has UseDNS yes and its resolver never answers the reverse (PTR) lookup of the client address, so the server stalls for the resolver timeout before it answers the first authentication request; the connection finally succeeds.",
  note="The connection succeeds; the finding is the long gap before the server's answer (visible only through the per-line timestamps).")

SLOWDNSKH = ("echo \"slowdns.example.test $(cut -d' ' -f1,2 $HK/ssh_host_ed25519_key.pub)\" >> $H/.ssh/known_hosts; "
             "echo \"slowdns.example.test $(cut -d' ' -f1,2 $HK/ssh_host_ecdsa_key.pub)\" >> $H/.ssh/known_hosts; "
             "echo \"192.0.2.10 $(cut -d' ' -f1,2 $HK/ssh_host_ed25519_key.pub)\" >> $H/.ssh/known_hosts; "
             "echo \"192.0.2.10 $(cut -d' ' -f1,2 $HK/ssh_host_ecdsa_key.pub)\" >> $H/.ssh/known_hosts")
SERVERS["slowdns"] = ("OpenSSH_9.2p1 sshd on 192.0.2.10:22; client DNS never answers AAAA",
                      "OpenSSH 9.2p1 sshd on 192.0.2.10:22. The client's resolver (the in-namespace DNS stub) answers the A "
                      "query for slowdns.example.test (192.0.2.10) at once but never answers the AAAA query, so glibc's "
                      "getaddrinfo waits for its timeout before returning the A record (a classic broken-resolver/AAAA "
                      "problem); " + COMMON)
S("slow-step-client-dns", "slow.step", SSH + " alice@slowdns.example.test exit", AUTH_OK, "slowdns", timestamps=True, min_gap=4,
  wrapper="timestamped", setup=SLOWDNSKH, timeout=90,
  how="The client's own name lookup of slowdns.example.test stalls: its DNS server answers the A query but silently drops the AAAA query, so getaddrinfo only returns after the resolver timeout; then the connection proceeds normally and succeeds.",
  note="The connection succeeds; the finding is the long gap before 'Connecting to' (visible only through the per-line timestamps).")

# ---------------------------------------------------------------- unknown (interrupted at a prompt)
ASKPASS_HANG = ("printf '#!/bin/sh\\nsleep 600\\n' > $H/bin/askpass; chmod 755 $H/bin/askpass; "
                "chown 2000:2000 $H/bin/askpass")
UNKNOWN_NOTE = ("Labelled unknown on purpose: nothing in the catalog failed. The connection, key exchange and host key "
                "check succeeded and the server was waiting for an answer, but the user never gave one and the run was "
                "interrupted (SIGKILL) at the prompt, so the trace just stops; the last phase reached is authentication, "
                "at the {m} prompt. There is no error message, no Permission denied and no timeout message.")
S("unknown-aborted-password-prompt", "unknown", SSH + " -p 2201 bob@127.0.0.1 exit",
  r"Next authentication method: password\r?\ndebug1: read_passphrase: requested to askpass\s*\Z", "2201", env=ASKPASS, setup=ASKPASS_HANG, timeout=3, rc=-9,
  how="~/bin/askpass (forced by SSH_ASKPASS_REQUIRE=force) only runs `sleep 600`, like a person who never answers the password prompt; the client key is not authorized for bob, so after the publickey refusal ssh asks askpass for bob's password (`read_passphrase: requested to askpass`) and waits. The harness killed the process group (SIGKILL) 3 s after start; the server log shows the refused key and then only `Connection closed by authenticating user bob` (no password attempt).",
  srvlog=("sshd-2201", r"\A(?!(?s:.*)Failed password)(?s:.*)Connection closed by authenticating user bob"),
  note=UNKNOWN_NOTE.format(m="password") + " The refused publickey offer before it is the normal first step of a "
  "password login for a user without an authorized key (the same as in ok-password-askpass), not the failure.")
S("unknown-aborted-kbdint-prompt", "unknown", SSH + " -p 2215 alice@127.0.0.1 exit",
  r"Next authentication method: keyboard-interactive\r?\ndebug1: read_passphrase: requested to askpass\s*\Z", "2215", env=ASKPASS, setup=ASKPASS_HANG, timeout=3, rc=-9,
  how="No BatchMode; ~/bin/askpass (forced by SSH_ASKPASS_REQUIRE=force) only runs `sleep 600`, like a person who never answers the prompt; the server only offers keyboard-interactive, so ssh asks askpass for the answer to the PAM `Password:` prompt (`read_passphrase: requested to askpass`) and waits. The harness killed the process group (SIGKILL) 3 s after start; the server log shows `Postponed keyboard-interactive for alice` (the PAM prompt was sent) and then `Connection closed by authenticating user alice`.",
  srvlog=("sshd-2215", r"\A(?!(?s:.*)Failed keyboard-interactive)(?s:.*)Postponed keyboard-interactive for alice(?s:.*)Connection closed by authenticating user alice"),
  note=UNKNOWN_NOTE.format(m="keyboard-interactive"))

SCENARIOS = SC

# ================================================================ pairs (gen.py --pairs)
# "It works from here and not from there": the same destination reached twice, a working and a failing run that
# differ in one thing, as constructed (client version, ~/.ssh/config, a key file, the agent, known_hosts).
# Each pair: name, primary (of the failing side; the working side is ok.connected), server, difference,
# explanation (what a diff tool should conclude), working / failing: {client, cmd, expect, + any scenario field:
# setup, env, agent, how, ...}; both sides run at -v. Output: corpus/pairs/<name>/{working,failing}.log, pair.toml.
PR = []


def P(name, primary, server, difference, explanation, working, failing, **kw):
    d = dict(name=name, primary=primary, server=server, difference=difference, explanation=explanation,
             working=working, failing=failing)
    d.update(kw)
    PR.append(d)


DEPLOY_KEY = ("cp $K/deploy_key $K/deploy_key.pub $H/.ssh/; chmod 600 $H/.ssh/deploy_key; "
              "chown 2000:2000 $H/.ssh/deploy_key*")
S1KH = ("for n in server1.example.test 192.0.2.10; do for t in ed25519 ecdsa rsa; do "
        "echo \"$n $(cut -d' ' -f1,2 $HK/ssh_host_${t}_key.pub)\" >> $H/.ssh/known_hosts; done; done")
DEPLOY_USER = ("Server account deploy (uid 2008, no password) has only the client's ~/.ssh/deploy_key.pub "
               "(ed25519, comment deploy@ci) in its authorized_keys; the client's default ~/.ssh/id_ed25519 "
               "is not authorized for it.")

P("client-version-rsa-sha1-signature", "auth.no-mutual-signature", "2240",
  "Only the client version differs: OpenSSH 8.4p1 (working) vs 9.2p1 (failing), same RSA key ~/.ssh/id_rsa, same command, "
  "same server that accepts only ssh-rsa (SHA-1) signatures.",
  "The failing client is OpenSSH 8.8 or newer, which no longer signs with ssh-rsa (SHA-1); the server only accepts "
  "ssh-rsa for RSA keys (its server-sig-algs lists only ssh-rsa), so the RSA key is skipped (no mutual signature "
  "algorithm) where the older client simply used it. Fix: a non-RSA key (ed25519), or upgrade the server, or "
  "`PubkeyAcceptedAlgorithms +ssh-rsa` for this host on the new client.",
  dict(client="8.4p1", cmd=SSH + " -p 2240 alice@127.0.0.1 exit", expect=r"(?s)Offering public key: \S*id_rsa RSA.*" + AUTH_OK,
       setup=RSA_ONLY, how="The client's only key is ~/.ssh/id_rsa (RSA 3072, authorized for alice)."),
  dict(client="9.2p1", cmd=SSH + " -p 2240 alice@127.0.0.1 exit",
       expect=r"(?s)(no mutual signature|corresponding algorithm not supported by server).*" + DENIED_PK,
       setup=RSA_ONLY, how="The same: the client's only key is ~/.ssh/id_rsa (RSA 3072, authorized for alice)."))

P("config-host-pattern-ip", "auth.key-rejected", "s1",
  "Only the destination name differs: the working run uses server1.example.test, which matches the `Host *.example.test` "
  "block of ~/.ssh/config (IdentityFile ~/.ssh/deploy_key, IdentitiesOnly yes); the failing run uses its IP address "
  "192.0.2.10, which matches no Host block, so the deploy key is never offered.",
  "Same machine, same ~/.ssh/config, same server; the failing run's destination (an IP address) does not match the "
  "Host pattern that sets IdentityFile ~/.ssh/deploy_key, so ssh offers only the default keys, which the deploy "
  "account does not authorize. Fix: use the name the Host pattern matches, or add the address to the Host line, "
  "or pass -i ~/.ssh/deploy_key.",
  dict(client="9.2p1", cmd=SSH + " -o BatchMode=yes deploy@server1.example.test exit",
       expect=r"(?s)Offering public key: \S*deploy_key .*" + AUTH_OK,
       setup=DEPLOY_KEY + "; " + S1KH + "; " + CFG("Host *.example.test\\n    IdentityFile ~/.ssh/deploy_key\\n    IdentitiesOnly yes\\n"),
       how="~/.ssh/config: `Host *.example.test` / `IdentityFile ~/.ssh/deploy_key` / `IdentitiesOnly yes`; ~/.ssh holds "
           "id_ed25519 (the user's own key) and deploy_key; known_hosts also holds the server's keys under "
           "server1.example.test and 192.0.2.10 (server1.example.test resolves to 192.0.2.10 through the in-namespace DNS stub)."),
  dict(client="9.2p1", cmd=SSH + " -o BatchMode=yes deploy@192.0.2.10 exit",
       expect=r"(?s)\A(?!(?s:.*)deploy_key)(?s:.*)Offering public key: \S*id_ed25519 .*Permission denied \(publickey,password\)",
       setup=DEPLOY_KEY + "; " + S1KH + "; " + CFG("Host *.example.test\\n    IdentityFile ~/.ssh/deploy_key\\n    IdentitiesOnly yes\\n"),
       how="Same files (~/.ssh/config, id_ed25519, deploy_key, known_hosts) as the working side; only the destination is the IP address."),
  how=DEPLOY_USER + " BatchMode=yes on both sides (a deploy script), so the server's password method is not tried.")

P("config-host-alias-ip", "auth.no-identities", "2202",
  "Only the destination differs: the working run uses the ~/.ssh/config alias `deploy-target` (HostName 127.0.0.1, "
  "Port 2202, User deploy, IdentityFile ~/.ssh/deploy_key, IdentitiesOnly yes); the failing run spells the same "
  "destination out (`-p 2202 deploy@127.0.0.1`), which matches no Host block, so the deploy key is never loaded.",
  "Same machine, same ~/.ssh/config, same server, user and port; the failing run bypasses the Host alias that names "
  "the key, and the machine has no key under a default name (only ~/.ssh/deploy_key), so ssh has no identity to "
  "offer. Fix: use the alias, or -i ~/.ssh/deploy_key.",
  dict(client="10.6p1", cmd=SSH + " deploy-target exit", expect=r"(?s)Offering public key: \S*deploy_key .*" + AUTH_OK,
       setup="rm -f $H/.ssh/id_ed25519 $H/.ssh/id_ed25519.pub; " + DEPLOY_KEY + "; " +
             CFG("Host deploy-target\\n    HostName 127.0.0.1\\n    Port 2202\\n    User deploy\\n    IdentityFile ~/.ssh/deploy_key\\n    IdentitiesOnly yes\\n"),
       how="~/.ssh/config: `Host deploy-target` / `HostName 127.0.0.1` / `Port 2202` / `User deploy` / `IdentityFile "
           "~/.ssh/deploy_key` / `IdentitiesOnly yes`; ~/.ssh holds only deploy_key (+ .pub), config and known_hosts "
           "(a build machine with just the deploy key)."),
  dict(client="10.6p1", cmd=SSH + " -p 2202 deploy@127.0.0.1 exit",
       expect=r"(?s)\A(?!(?s:.*)Offering public key)(?s:.*)" + DENIED_PK,
       setup="rm -f $H/.ssh/id_ed25519 $H/.ssh/id_ed25519.pub; " + DEPLOY_KEY + "; " +
             CFG("Host deploy-target\\n    HostName 127.0.0.1\\n    Port 2202\\n    User deploy\\n    IdentityFile ~/.ssh/deploy_key\\n    IdentitiesOnly yes\\n"),
       how="Same files as the working side; the destination is written out instead of using the alias."),
  how=DEPLOY_USER)

P("key-present-missing", "auth.no-identities", "2202",
  "Only the client's ~/.ssh differs: the working machine has the authorized key ~/.ssh/id_ed25519, the failing "
  "machine has no key pair at all (only known_hosts); same client version, command and server.",
  "The failing machine has no private key to offer (every default identity file is missing, nothing is offered) and "
  "the server accepts only publickey. Fix: copy the key to that machine or generate one and authorize it.",
  dict(client="10.0p2", cmd=SSH + " -p 2202 alice@127.0.0.1 exit", expect=r"(?s)Offering public key: \S*id_ed25519 .*" + AUTH_OK,
       how="~/.ssh holds id_ed25519 (+ .pub, authorized for alice) and known_hosts."),
  dict(client="10.0p2", cmd=SSH + " -p 2202 alice@127.0.0.1 exit",
       expect=r"(?s)\A(?!(?s:.*)Offering public key)(?s:.*)" + DENIED_PK, setup="rm -f $H/.ssh/id_*",
       how="~/.ssh holds only known_hosts (the key was never copied to this machine)."))

P("agent-present-absent", "auth.no-identities", "2202",
  "Only SSH_AUTH_SOCK differs: the working run has an ssh-agent holding the authorized key, the failing run (a CI "
  "job) has no SSH_AUTH_SOCK; neither machine has a key file in ~/.ssh.",
  "The key lives only in the agent; the failing run has no agent (SSH_AUTH_SOCK unset, as in a CI job or a cron/"
  "systemd context that does not inherit the desktop session's agent), so ssh has no identity at all. Fix: make the "
  "agent available (SSH_AUTH_SOCK, agent forwarding, ssh-agent + ssh-add in the job) or give the job a key file.",
  dict(client="9.2p1", cmd=SSH + " -p 2202 alice@127.0.0.1 exit", expect=r"(?s)Offering public key: .*agent.*" + AUTH_OK,
       setup="rm -f $H/.ssh/id_ed25519 $H/.ssh/id_ed25519.pub", agent=(["id_ed25519"], False),
       how="~/.ssh holds only known_hosts; the authorized key (id_ed25519, authorized for alice) is loaded in the agent."),
  dict(client="9.2p1", cmd=SSH + " -p 2202 alice@127.0.0.1 exit",
       expect=r"(?s)\A(?!(?s:.*)Offering public key)(?s:.*)" + DENIED_PK,
       setup="rm -f $H/.ssh/id_ed25519 $H/.ssh/id_ed25519.pub",
       how="~/.ssh holds only known_hosts; SSH_AUTH_SOCK is not set (no agent)."))

P("agent-present-absent-pubkey-on-disk", "auth.agent-unavailable", "2202",
  "Only SSH_AUTH_SOCK differs: the working run has an ssh-agent holding the authorized key, the failing run has no "
  "SSH_AUTH_SOCK; on both machines ~/.ssh holds only the public half id_ed25519.pub.",
  "The private key lives only in the agent (only id_ed25519.pub is on disk); without SSH_AUTH_SOCK ssh still offers "
  "the public key and the server accepts it, but there is no private key to sign with. Fix: start/forward the "
  "agent (SSH_AUTH_SOCK) in the failing environment.",
  dict(client="10.6p1", cmd=SSH + " -p 2202 alice@127.0.0.1 exit", expect=r"(?s)Offering public key: .*agent.*" + AUTH_OK,
       setup="rm -f $H/.ssh/id_ed25519", agent=(["id_ed25519"], False),
       how="~/.ssh holds id_ed25519.pub and known_hosts; the private key (authorized for alice) is only in the agent."),
  dict(client="10.6p1", cmd=SSH + " -p 2202 alice@127.0.0.1 exit", expect=DENIED_PK,
       setup="rm -f $H/.ssh/id_ed25519",
       how="~/.ssh holds id_ed25519.pub and known_hosts; SSH_AUTH_SOCK is not set (no agent)."),
  note="With SSH_AUTH_SOCK unset, ssh -v prints no agent error at all; the failing trace's only evidence is the "
       "public key id_ed25519 being offered and accepted (`Server accepts key`) and then never used, because there is no "
       "private key on disk and no agent to sign with. The working trace shows the same key offered with the `agent` tag. Read alone, the failing trace "
       "looks like a passphrase-protected key in BatchMode (auth.key-passphrase); the working side is what tells them apart.")

P("known-hosts-present-empty", "hostkey.unknown", "2201",
  "Only ~/.ssh/known_hosts differs: the working machine has the server's host keys, the failing machine (a fresh CI "
  "runner) has an empty known_hosts; both run with BatchMode=yes.",
  "The failing machine has never seen this server's host key and BatchMode (or StrictHostKeyChecking=yes) forbids "
  "asking, so host key verification fails before authentication. Fix: pre-seed known_hosts with the verified key "
  "(ssh-keyscan + fingerprint check), not StrictHostKeyChecking=no.",
  dict(client="10.0p2", cmd=SSH + " -o BatchMode=yes -p 2201 alice@127.0.0.1 exit",
       expect=r"(?s)is known and matches.*" + AUTH_OK, how="~/.ssh/known_hosts holds the server's real host keys."),
  dict(client="10.0p2", cmd=SSH + " -o BatchMode=yes -p 2201 alice@127.0.0.1 exit",
       expect=r"Host key verification failed", setup=": > $H/.ssh/known_hosts",
       how="~/.ssh/known_hosts is empty (first connection from a CI runner)."))

P("client-version-mlkem-only-server", "kex.no-common-kex", "2241",
  "Only the client version differs: OpenSSH 10.6p1 (working) vs 9.2p1 (failing), same command, same server that "
  "offers only the mlkem768x25519-sha256 key exchange.",
  "The server was hardened to post-quantum key exchange only (mlkem768x25519-sha256); the failing client is older "
  "than OpenSSH 9.9 and does not implement it, so key exchange fails before authentication. Fix: upgrade the "
  "client, or let the server also offer sntrup761x25519-sha512/curve25519-sha256.",
  dict(client="10.6p1", cmd=SSH + " -p 2241 alice@127.0.0.1 exit", expect=r"(?s)kex: algorithm: mlkem768x25519-sha256.*" + AUTH_OK),
  dict(client="9.2p1", cmd=SSH + " -p 2241 alice@127.0.0.1 exit", expect=r"no matching key exchange method found"))

P("client-version-rsa-sha1-hostkey", "kex.no-common-hostkey", "2218",
  "Only the client version differs: OpenSSH 8.4p1 (working) vs 10.0p2 (failing), same command, same server whose "
  "only host key algorithm is ssh-rsa (SHA-1).",
  "The failing client is OpenSSH 8.8 or newer, which disables the ssh-rsa (SHA-1) host key algorithm by default; "
  "the server offers no other, so key exchange fails before authentication (the old client still accepts it). Fix: "
  "give the server an ed25519/ECDSA host key or rsa-sha2-* host key algorithms, or `HostKeyAlgorithms +ssh-rsa` "
  "for this host on the new client.",
  dict(client="8.4p1", cmd=SSH + " -p 2218 alice@127.0.0.1 exit", expect=r"(?s)Server host key: ssh-rsa .*" + AUTH_OK),
  dict(client="10.0p2", cmd=SSH + " -p 2218 alice@127.0.0.1 exit", expect=r"no matching host key type found"))

P("client-version-config-option-too-new", "config.bad-option", "2201",
  "Only the client version differs: OpenSSH 10.0p2 (working) vs 9.2p1 (failing), same ~/.ssh/config with "
  "`ObscureKeystrokeTiming no`, same command and server.",
  "The shared ~/.ssh/config uses an option the failing client is too old to know (ObscureKeystrokeTiming, added in "
  "OpenSSH 9.5), so it refuses the whole config file and never connects. Fix: guard the line with `Match version`/"
  "`IgnoreUnknown ObscureKeystrokeTiming`, or drop it on the old machine.",
  dict(client="10.0p2", cmd=SSH + " -p 2201 alice@127.0.0.1 exit", expect=AUTH_OK,
       setup=CFG("Host *\\n    ObscureKeystrokeTiming no\\n"),
       how="~/.ssh/config: `Host *` / `ObscureKeystrokeTiming no` (a dotfiles repository shared between machines)."),
  dict(client="9.2p1", cmd=SSH + " -p 2201 alice@127.0.0.1 exit", expect=r"Bad configuration option: obscurekeystroketiming",
       setup=CFG("Host *\\n    ObscureKeystrokeTiming no\\n"), how="The same ~/.ssh/config."))

PAIRS = PR
