#!/usr/bin/python3
"""tally.py [CORPUS] [--catalog] -- count the generated traces (not public-*) per client version and per cause ID."""
import collections, os, re, sys, tomllib

args = [a for a in sys.argv[1:] if not a.startswith("--")]
root = args[0] if args else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
causes = re.findall(r"^\| `([a-z]+(?:\.[a-z0-9-]+)?)` \|", open("/work/shared/causes.md").read(), re.M) \
    if os.path.exists("/work/shared/causes.md") else []
per_ver, prim, sec, scen = collections.Counter(), collections.Counter(), collections.Counter(), set()
wr = collections.Counter()
n = 0
for d in sorted(os.listdir(root)):
    p = os.path.join(root, d)
    if not os.path.isdir(p) or d == "gen":
        continue
    for f in os.listdir(p):
        if not f.endswith(".toml") or f.startswith("public-"):
            continue
        t = tomllib.load(open(os.path.join(p, f), "rb"))
        if not t.get("source", "").startswith("generated:"):
            continue
        n += 1
        per_ver[t["client_version"]] += 1
        prim[t["primary"]] += 1
        wr[t["wrapper"]] += 1
        scen.add(t["scenario"])
        for s in t.get("secondary", []):
            sec[s] += 1
print(f"{n} generated traces, {len(scen)} scenarios\n")
print("| client_version | traces |\n|---|---|")
for k, v in sorted(per_ver.items()):
    print(f"| `{k}` | {v} |")
print("\n| wrapper | traces |\n|---|---|")
for k, v in sorted(wr.items()):
    print(f"| {k} | {v} |")
print("\n| cause | primary | secondary |\n|---|---|---|")
for c in causes or sorted(set(prim) | set(sec)):
    print(f"| `{c}` | {prim.get(c, 0)} | {sec.get(c, 0)} |")
extra = (set(prim) | set(sec)) - set(causes)
if causes and extra:
    print("\nlabels not in causes.md:", sorted(extra))

if "--catalog" in sys.argv:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from scenarios import SCENARIOS, SERVERS
    print("\n| scenario | primary (secondary) | levels | server | clients | wrapper |\n|---|---|---|---|---|---|")
    for s in SCENARIOS:
        sec = ", ".join(f"`{x}`" for x in s.get("secondary", []))
        cl = ",".join(s["only"]) if "only" in s else "all"
        ov = "; ".join(f"{t}: `{o['primary']}`" for t, o in s.get("per", {}).items() if "primary" in o)
        print(f"| {s['name']} | `{s['primary']}`{' (' + sec + ')' if sec else ''}{' — ' + ov if ov else ''} | "
              f"{','.join(s.get('levels', ['v']))} | {SERVERS[s['server']][0]} | {cl} | {s.get('wrapper', 'plain')} |")
