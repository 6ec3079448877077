#!/usr/bin/python3
"""gen.py -- run every scenario against every client version and save the real traces.

    python3 gen.py [OUT] [--only GLOB[,GLOB...]] [--versions TAG,...] [--levels v,vv,vvv]
                   [--list] [--keep-going]
    python3 gen.py --pairs [OUT] [--only GLOB[,GLOB...]] [--list]

--pairs runs the PAIRS of scenarios.py instead: for each pair a working and a failing run of the same
destination that differ in one thing (client version, ~/.ssh/config, key, agent, known_hosts), both at -v,
written to OUT/<pair>/{working,failing}.log + pair.toml (OUT defaults to corpus/pairs). A pair is written
only when both sides match their `expect`.

OUT defaults to the corpus directory (the parent of this script). Needs root, and
setup.sh + start-servers.sh + start-helpers.sh first. Scenarios run one after another
(they share the client home and some change firewall rules inside the netns).

For each run the harness: resets /home/user from client-base, applies the scenario's
setup, starts ssh (or a wrapper) in a new session without a terminal, stdout+stderr in one
pipe, stdin /dev/null, saves the bytes unmodified, checks them against the scenario's
`expect` regex and writes OUT/<primary>/<scenario>-<client>-v<N>.{log,toml}. Runs that do
not match `expect` are NOT written to OUT; they are kept in /srv/sshgen/flagged/ and
reported as PROBLEM.
"""
import fnmatch, json, os, re, signal, subprocess, sys, threading, time

from scenarios import PAIRS, SCENARIOS, SERVERS

GEN = os.path.dirname(os.path.abspath(__file__))
G = "/srv/sshgen"
H = "/home/user"
MAXLOG = 300 * 1024

CLIENTS = [  # (tag, root, platform)
    ("9.2p1", "/", "Linux, Debian 12 bookworm (host), Firecracker microVM sandbox"),
    ("8.4p1", "/srv/chroots/bullseye", "Linux, Debian 11 bullseye client chroot on a Debian 12 bookworm host, Firecracker microVM sandbox"),
    ("10.0p2", "/srv/chroots/trixie", "Linux, Debian 13 trixie client chroot on a Debian 12 bookworm host, Firecracker microVM sandbox"),
    ("10.6p1", "/srv/chroots/sid", "Linux, Debian sid client chroot on a Debian 12 bookworm host, Firecracker microVM sandbox"),
]
LEVELFLAG = {"v": "-v", "vv": "-vv", "vvv": "-vvv"}
LEVELNUM = {"v": 1, "vv": 2, "vvv": 3}
PQ_WARN = re.compile(r"WARNING: connection is not using a post-quantum key exchange")
KH_FAIL = re.compile(r"Failed to add the host")
AGENTS = []  # Popen objects of running ssh-agents (reaped after each run)


def sh(cmd, env=None, check=False, timeout=60):
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run(["/bin/bash", "-c", cmd], env=e, check=check, timeout=timeout,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def ns_user_pids():
    out = subprocess.run(["ip", "netns", "pids", "sshgen"], stdout=subprocess.PIPE, text=True).stdout.split()
    pids = []
    for p in out:
        try:
            if os.stat(f"/proc/{p}").st_uid == 2000:
                pids.append(int(p))
        except OSError:
            pass
    return pids


def kill_leftovers():
    """Kill client-side processes (uid 2000) the previous run left in the netns, by PID."""
    for p in ns_user_pids():
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    agent = f"{G}/run/agent.pid"
    if os.path.exists(agent):
        try:  # the agent runs under runuser in its own session: kill the whole group
            os.killpg(int(open(agent).read()), signal.SIGKILL)
        except (OSError, ValueError):
            pass
        for ap in AGENTS:
            ap.wait()
        AGENTS.clear()
        os.unlink(agent)


def reset_home():
    kill_leftovers()
    sh(f"cd {H} && rm -rf .ssh bin work agent.sock .ak .gitconfig .cache && cp -a {G}/client-base/. {H}/ "
       f"&& chown -R 2000:2000 {H}", check=True)


def start_agent(keys, confirm):
    sock = f"{H}/agent.sock"
    p = subprocess.Popen(["/usr/bin/ssh-agent", "-D", "-a", sock], user=2000, group=2000, extra_groups=[],
                         env={"HOME": H, "PATH": "/usr/bin:/bin"}, cwd=H,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    AGENTS.append(p)
    open(f"{G}/run/agent.pid", "w").write(str(p.pid))
    for _ in range(50):
        if os.path.exists(sock):
            break
        time.sleep(0.1)
    sh(f"mkdir -p {H}/.ak && cp {' '.join(G + '/keys/' + k for k in keys)} {H}/.ak/ && chown -R 2000:2000 {H}/.ak "
       f"&& chmod 600 {H}/.ak/*", check=True)
    add = ["runuser", "-u", "user", "--", "env", f"SSH_AUTH_SOCK={sock}", "/usr/bin/ssh-add", "-q"]
    if confirm:
        add.append("-c")
    r = subprocess.run(add + [f"{H}/.ak/{k}" for k in keys], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sh(f"rm -rf {H}/.ak")
    if r.returncode != 0:
        raise RuntimeError("ssh-add failed: " + r.stdout.decode())
    return sock


def ts_prefix(t):
    lt = time.localtime(t)
    return "[%02d:%02d:%02d.%03d] " % (lt.tm_hour, lt.tm_min, lt.tm_sec, int((t % 1) * 1000))


def run_client(root, argv, env, timeout, hooks, hook_env, timestamps):
    cmd = [f"{GEN}/cli.sh", root] + [f"{k}={v}" for k, v in env.items()] + ["--"] + argv
    t0 = time.time()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    he = dict(hook_env, CPID=str(p.pid))
    threads = []
    for delay, hcmd in hooks:
        def fire(d=delay, c=hcmd):
            time.sleep(max(0, t0 + d - time.time()))
            if p.poll() is None:
                sh(c, env=he)
        t = threading.Thread(target=fire, daemon=True)
        t.start()
        threads.append(t)
    chunks, lines_ts = [], []
    killed = False

    def reader():
        buf = b""
        while True:
            b = os.read(p.stdout.fileno(), 65536)
            if not b:
                break
            chunks.append(b)
            if timestamps:
                now = time.time()
                buf += b
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    lines_ts.append((now, line + b"\n"))
        if timestamps and buf:
            lines_ts.append((time.time(), buf))

    rt = threading.Thread(target=reader, daemon=True)
    rt.start()
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        killed = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        p.wait()
    rt.join(5)
    for t in threads:
        t.join(0.1)
    rc = -9 if killed else p.returncode
    data = b"".join(chunks)
    if timestamps:
        data = b"".join(ts_prefix(t).encode() + l for t, l in lines_ts)
    return data, rc, time.time() - t0, lines_ts


def client_version(root):
    r = subprocess.run(["chroot", root, "ssh", "-V"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    m = re.search(r"(OpenSSH_\S+ [^,]+),", r.stdout) or re.search(r"(OpenSSH_[^,]+),", r.stdout)
    return m.group(1) if m else r.stdout.strip()


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def write_sidecar(path, d, keys=None):
    keys = keys or ["source", "scenario", "primary", "secondary", "client_version", "server", "how", "verbosity",
            "platform", "wrapper", "confidence", "exit_status", "note"]
    out = []
    for k in keys:
        if k not in d or d[k] is None or d[k] == "":
            continue
        v = d[k]
        if isinstance(v, list):
            out.append(f"{k} = [" + ", ".join(toml_str(x) for x in v) + "]")
        elif isinstance(v, int):
            out.append(f"{k} = {v}")
        else:
            out.append(f"{k} = {toml_str(v)}")
    open(path, "w").write("\n".join(out) + "\n")


def resolve(sc, tag):
    """Apply per-version overrides."""
    d = dict(sc)
    for k, v in sc.get("per", {}).get(tag, {}).items():
        d[k] = v
    return d


def main():
    args = sys.argv[1:]
    out = os.path.dirname(GEN)
    only, versions, levels, listing, pairs = None, None, None, False, False
    i = 0
    pos = []
    while i < len(args):
        a = args[i]
        if a == "--only":
            only = args[i + 1].split(","); i += 2
        elif a == "--versions":
            versions = args[i + 1].split(","); i += 2
        elif a == "--levels":
            levels = args[i + 1].split(","); i += 2
        elif a == "--list":
            listing = True; i += 1
        elif a == "--pairs":
            pairs = True; i += 1
        else:
            pos.append(a); i += 1
    if pos:
        out = pos[0]
    elif pairs:
        out = os.path.join(out, "pairs")
    if pairs:
        return main_pairs(out, only, listing)
    scs = [s for s in SCENARIOS if not only or any(fnmatch.fnmatch(s["name"], g) for g in only)]
    if listing:
        for s in scs:
            print(s["name"], s["primary"], ",".join(s.get("levels", ["v"])))
        return
    os.makedirs(f"{G}/flagged", exist_ok=True)
    os.makedirs(out, exist_ok=True)
    report = open(f"{G}/gen-report.jsonl", "a")
    problems = 0
    done = 0
    for tag, root, platform in CLIENTS:
        if versions and tag not in versions:
            continue
        if not os.path.exists(root + "/usr/bin/ssh"):
            print(f"SKIP client {tag}: {root} missing")
            continue
        cver = client_version(root)
        for sc0 in scs:
            sc = resolve(sc0, tag)
            if sc.get("skip"):
                continue
            if "only" in sc0 and tag not in sc0["only"]:
                continue
            for lv in sc.get("levels", ["v"]):
                if levels and lv not in levels:
                    continue
                r = run_one(sc, tag, root, platform, cver, lv, out)
                done += 1
                report.write(json.dumps(r) + "\n"); report.flush()
                flag = "ok " if r["ok"] else "PROBLEM"
                if not r["ok"]:
                    problems += 1
                print(f"{flag} {tag:7} {sc['name']:42} {lv:3} rc={r['rc']:<4} {r['secs']:5.1f}s {r.get('primary','')}"
                      f"{' ' + r['why'] if not r['ok'] else ''}", flush=True)
    print(f"done: {done} runs, {problems} problems")


def main_pairs(out, only, listing):
    ps = [p for p in PAIRS if not only or any(fnmatch.fnmatch(p["name"], g) for g in only)]
    if listing:
        for p in ps:
            print(p["name"], p["working"]["client"], "ok.connected", "|", p["failing"]["client"], p["primary"])
        return
    os.makedirs(f"{G}/flagged", exist_ok=True)
    os.makedirs(out, exist_ok=True)
    report = open(f"{G}/gen-report.jsonl", "a")
    problems = 0
    for p in ps:
        r = run_pair(p, out)
        report.write(json.dumps(r) + "\n"); report.flush()
        if not r["ok"]:
            problems += 1
        sides = "  ".join(f"{k}={v['client']} rc={v['rc']} {v['secs']:.1f}s {v['primary']}"
                          + (f" [{v['why']}]" if v.get("why") else "") for k, v in r["sides"].items())
        print(f"{'ok ' if r['ok'] else 'PROBLEM'} {p['name']:34} {sides}{' ' + r['why'] if r.get('why') else ''}",
              flush=True)
    print(f"done: {len(ps)} pairs, {problems} problems")


def fmt_cmd(argv, env, agent=False):
    import shlex
    pre = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if not (agent and k == "SSH_AUTH_SOCK"))
    c = " ".join(shlex.quote(a) if a != "~" else a for a in argv)
    return (pre + " " + c).strip()


def execute(sc, root, lv):
    """One client run of a scenario (or of one side of a pair): reset ~user, apply the setup, run the client,
    label it (construction + the output-dependent adjustments) and check it against `expect` etc.
    Returns a dict; `why` is set when the run does not match."""
    import shlex
    vflag = LEVELFLAG[lv]
    cmd = sc["cmd"].replace("{v}", vflag)
    argv = shlex.split(cmd)
    env = {k: v.replace("{v}", vflag) for k, v in sc.get("env", {}).items()}
    hook_env = {"H": H, "G": G, "K": f"{G}/keys", "HK": f"{G}/hostkeys", "GEN": GEN,
                "NSX": "ip netns exec sshgen", "UCLI": f"{GEN}/cli.sh {root} --", "CROOT": root,
                "CLI_NOSETSID": "1"}
    reset_home()
    srvlog = sc.get("srvlog")
    if srvlog:
        lp = f"{G}/log/{srvlog[0]}.log"
        loff = os.path.getsize(lp) if os.path.exists(lp) else 0
    try:
        if sc.get("setup"):
            r = sh(sc["setup"], env=hook_env)
            if r.returncode != 0:
                raise RuntimeError("setup failed: " + r.stdout.decode()[-300:])
        if sc.get("agent"):
            keys, confirm = sc["agent"]
            env["SSH_AUTH_SOCK"] = start_agent(keys, confirm)
        if sc.get("post_setup"):
            sh(sc["post_setup"], env=hook_env, check=True)
        if sc.get("pre"):
            sh(sc["pre"], env=hook_env, timeout=60)
        data, rc, secs, lines_ts = run_client(root, argv, env, sc.get("timeout", 30), sc.get("hooks", []),
                                              hook_env, sc.get("timestamps", False))
    finally:
        if sc.get("post"):
            sh(sc["post"], env=hook_env, timeout=60)
        kill_leftovers()
    text = data.decode("utf-8", "replace")
    # labels from construction, then the three output-dependent adjustments
    primary = sc["primary"]
    secondary = list(sc.get("secondary", []))
    for rx, lab in sc.get("label_by_output", []):
        if re.search(rx, text, re.M):
            primary = lab
            break
    for rx, labs in sc.get("secondary_by_output", []):
        if re.search(rx, text, re.M):
            secondary = list(labs)
            break
    if PQ_WARN.search(text) and "kex.not-post-quantum" not in secondary and primary != "kex.not-post-quantum":
        secondary.append("kex.not-post-quantum")
    if KH_FAIL.search(text) and "hostkey.known-hosts-unwritable" not in secondary:
        secondary.append("hostkey.known-hosts-unwritable")
    secondary = [s for s in secondary if s != primary]
    m = re.search(r"(OpenSSH_\S+ [^,\r\n]+),", text)
    trace_ver = m.group(1) if m else None
    why = None
    exp = sc["expect"]
    if srvlog:
        time.sleep(0.3)
        with open(lp, "rb") as f:
            f.seek(loff)
            slog = f.read().decode("utf-8", "replace")
    if not re.search(exp, text, re.M):
        why = f"expect /{exp}/ not matched"
    elif srvlog and not re.search(srvlog[1], slog):
        why = f"server log {srvlog[0]} lacks /{srvlog[1]}/"
    elif len(data) > MAXLOG:
        why = f"log too large ({len(data)} bytes)"
    elif sc.get("rc") is not None and rc not in (sc["rc"] if isinstance(sc["rc"], (list, tuple)) else [sc["rc"]]):
        why = f"exit status {rc} not in {sc['rc']}"
    elif sc.get("min_gap"):
        gaps = [b[0] - a[0] for a, b in zip(lines_ts, lines_ts[1:])]
        if not gaps or max(gaps) < sc["min_gap"]:
            why = f"no gap >= {sc['min_gap']}s (max {max(gaps) if gaps else 0:.1f}s)"
    return dict(data=data, rc=rc, secs=secs, argv=argv, env=env, primary=primary, secondary=secondary,
                trace_ver=trace_ver, why=why)


def client_how(root, x, sc):
    """The `Client command (...)` sentence of a sidecar's how, with the agent remark."""
    how = f"Client command ({'host /usr/bin/ssh' if root == '/' else 'chroot ' + root}, run as user uid 2000 " \
          f"inside network namespace sshgen, new session without a controlling terminal, stdin /dev/null, " \
          f"stdout+stderr into one pipe): `{fmt_cmd(x['argv'], x['env'], bool(sc.get('agent')))}`."
    if sc.get("agent"):
        keys, confirm = sc["agent"]
        how += f" SSH_AUTH_SOCK points to an ssh-agent holding {len(keys)} key(s)" + \
               (" added with `ssh-add -c` (confirm each use)." if confirm else ".")
    return how


def run_one(sc, tag, root, platform, cver, lv, out):
    name = sc["name"]
    res = {"scenario": name, "client": tag, "level": lv, "ok": False, "rc": None, "secs": 0.0}
    x = execute(sc, root, lv)
    data, rc, primary, secondary, trace_ver, why = (x["data"], x["rc"], x["primary"], x["secondary"],
                                                    x["trace_ver"], x["why"])
    res.update(rc=rc, secs=round(x["secs"], 2), primary=primary)
    base = f"{name}-{tag}-v{LEVELNUM[lv]}"
    if why:
        res["why"] = why
        open(f"{G}/flagged/{base}.log", "wb").write(data)
        return res
    # remove an older copy of this run filed under another primary
    for d in os.listdir(out):
        for ext in (".log", ".toml"):
            f = os.path.join(out, d, base + ext)
            if os.path.isfile(f):
                os.unlink(f)
    os.makedirs(os.path.join(out, primary), exist_ok=True)
    open(os.path.join(out, primary, base + ".log"), "wb").write(data)
    srv_short, srv_long = SERVERS[sc["server"]]
    how = client_how(root, x, sc)
    how += " " + sc.get("how", "").strip()
    how += " Server side: " + srv_long
    note = sc.get("note", "")
    if not trace_ver:
        trace_ver = cver
        note = (note + " " if note else "") + "The trace has no OpenSSH version line (ssh stopped before printing " \
               "it); client_version comes from `ssh -V` of the same binary."
    if sc.get("timestamps"):
        note = (note + " " if note else "") + "Each line is prefixed with its arrival time on the pipe " \
               "([hh:mm:ss.mmm], local time, as VS Code Remote-SSH prints it); the line bytes themselves are unmodified."
    side = {
        "source": f"generated: real OpenSSH client against a real server on loopback (corpus/gen, scenario {name})",
        "scenario": name, "primary": primary, "secondary": secondary, "client_version": trace_ver,
        "server": srv_short, "how": how.strip(), "verbosity": lv, "platform": platform,
        "wrapper": sc.get("wrapper", "plain"), "confidence": sc.get("confidence", "high"),
        "exit_status": rc, "note": note,
    }
    write_sidecar(os.path.join(out, primary, base + ".toml"), side)
    res["ok"] = True
    return res


PAIR_KEYS = ["source", "pair", "working_client_version", "failing_client_version", "working_primary", "failing_primary",
             "failing_secondary", "difference", "explanation", "server", "how", "verbosity", "working_platform",
             "failing_platform", "working_exit_status", "failing_exit_status", "confidence", "note"]


def run_pair(p, out):
    """Run both sides of a pair (same destination, one difference) at -v; write OUT/<pair>/{working,failing}.log
    and pair.toml only when both sides match their `expect`."""
    name = p["name"]
    clients = {c[0]: c for c in CLIENTS}
    res = {"pair": name, "ok": True, "sides": {}}
    runs = {}
    for side in ("working", "failing"):
        sc = dict(p[side], name=f"{name}-{side}", server=p["server"],
                  primary="ok.connected" if side == "working" else p["primary"])
        tag, root, platform = clients[sc["client"]]
        if not os.path.exists(root + "/usr/bin/ssh"):
            res.update(ok=False, why=f"client {tag}: {root} missing")
            return res
        x = execute(sc, root, "v")
        x.update(tag=tag, root=root, platform=platform, sc=sc)
        if not x["trace_ver"]:
            x["trace_ver"] = client_version(root)
            x["note"] = f"The {side} trace has no OpenSSH version line (ssh stopped before printing it); " \
                        f"{side}_client_version comes from `ssh -V` of the same binary."
        runs[side] = x
        res["sides"][side] = {"client": tag, "rc": x["rc"], "secs": round(x["secs"], 2), "primary": x["primary"]}
        if x["why"]:
            res["ok"] = False
            res["sides"][side]["why"] = x["why"]
            open(f"{G}/flagged/pair-{name}-{side}.log", "wb").write(x["data"])
    if not res["ok"]:
        return res
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    for side, x in runs.items():
        open(os.path.join(d, side + ".log"), "wb").write(x["data"])
    w, f = runs["working"], runs["failing"]
    srv_short, srv_long = SERVERS[p["server"]]
    how = " ".join(part for part in [
        "Working side: " + client_how(w["root"], w, w["sc"]), w["sc"].get("how", "").strip(),
        "Failing side: " + client_how(f["root"], f, f["sc"]), f["sc"].get("how", "").strip(),
        "Before each side ~user is reset from client-base (~/.ssh/id_ed25519 + known_hosts of every test port).",
        p.get("how", "").strip(), "Server side: " + srv_long] if part)
    notes = [x["note"] for x in (w, f) if x.get("note")] + ([p["note"]] if p.get("note") else [])
    side = {
        "source": f"generated: real OpenSSH clients against a real server on loopback (corpus/gen --pairs, pair {name})",
        "pair": name, "working_client_version": w["trace_ver"], "failing_client_version": f["trace_ver"],
        "working_primary": w["primary"], "failing_primary": f["primary"], "failing_secondary": f["secondary"],
        "difference": p["difference"], "explanation": p["explanation"], "server": srv_short,
        "how": how, "verbosity": "v", "working_platform": w["platform"],
        "failing_platform": f["platform"], "working_exit_status": w["rc"], "failing_exit_status": f["rc"],
        "confidence": "high", "note": " ".join(notes),
    }
    write_sidecar(os.path.join(d, "pair.toml"), side, PAIR_KEYS)
    return res


if __name__ == "__main__":
    main()
