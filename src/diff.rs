//! Comparing a working and a failing trace of the same destination:
//! "why does it work from here and not from there?".
//!
//! The two traces are compared at the level of facts (client version,
//! Host blocks applied, identity files, keys offered and their fate, the
//! agent, algorithms negotiated, methods the server allowed, known_hosts)
//! and of event sequences: `similar` aligns the two sequences of significant
//! events (with volatile values such as ports, fingerprints and timestamps
//! left out) and the first point where they part is reported. Conclusion
//! rules then name the difference that explains the failure, when one does.

use crate::event::EventKind as K;
use crate::grammar::primitives::unvis;
use crate::lang::Lang;
use crate::report::{visible, Report};
use crate::tr;
use crate::trace::{Fate, Trace};
use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

/// One compared fact.
#[derive(Debug, Clone, Serialize)]
pub struct FactRow {
    /// What is compared.
    pub fact: &'static str,
    /// On the working side.
    pub working: String,
    /// On the failing side.
    pub failing: String,
    /// Whether they differ.
    pub differs: bool,
}

/// Where the event sequences part.
#[derive(Debug, Clone, Serialize)]
pub struct Divergence {
    /// Line on the working side (0 when the working side has nothing there).
    pub working_line: usize,
    /// Its text.
    pub working_text: String,
    /// Line on the failing side (0 when the failing side has nothing there).
    pub failing_line: usize,
    /// Its text.
    pub failing_text: String,
}

/// The comparison.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// Schema version.
    pub schema: &'static str,
    /// The language of the conclusions and reports (`en`, `ja`).
    pub lang: Lang,
    /// Facts side by side.
    pub facts: Vec<FactRow>,
    /// The first divergence of the event sequences.
    pub divergence: Option<Divergence>,
    /// The differences that explain the failure, most telling first.
    pub conclusions: Vec<String>,
    /// The diagnosis of the failing side.
    pub failing: Report,
    /// The diagnosis of the working side.
    pub working: Report,
}

fn base(path: &str) -> String {
    let p = unvis(path);
    p.rsplit(['/', '\\']).next().unwrap_or(&p).to_string()
}

/// Host patterns applied from config files.
fn host_blocks(t: &Trace) -> Vec<String> {
    t.all(|k| matches!(k, K::ApplyingOptions { .. }))
        .filter_map(|n| match n.kind() {
            K::ApplyingOptions { pattern, .. } if pattern != "*" => Some(pattern.to_string()),
            _ => None,
        })
        .collect()
}

/// Key files ssh found (type >= 0, no certificates).
fn identity_files(t: &Trace) -> Vec<String> {
    let mut v: Vec<String> = t
        .all(|k| matches!(k, K::IdentityFile { key_type, path } if *key_type >= 0 && !path.ends_with("-cert")))
        .filter_map(|n| match n.kind() {
            K::IdentityFile { path, .. } => Some(base(path)),
            _ => None,
        })
        .collect();
    v.dedup();
    v
}

fn offers(t: &Trace) -> Vec<String> {
    t.offers
        .iter()
        .map(|o| {
            let fate = match o.fate {
                Fate::Used => "used",
                Fate::Accepted => "accepted, unused",
                Fate::Refused => "refused",
                Fate::RefusedAfterSigning => "accepted, then refused after signing",
                Fate::SigningFailed => "signing failed",
                Fate::Pending => "no answer",
            };
            let from = if o.identity.agent { " (agent)" } else { "" };
            format!("{}{from}: {fate}", base(&o.identity.path))
        })
        .collect()
}

fn agent(t: &Trace) -> String {
    if t.has(|k| matches!(k, K::AgentUnavailable { .. })) {
        return "not reachable".into();
    }
    let agent_offers = t.offers.iter().filter(|o| o.identity.agent).count();
    match t
        .find(|k| matches!(k, K::AgentKeys { .. }))
        .map(|n| n.kind())
    {
        Some(K::AgentKeys { count }) => format!("{count} key(s)"),
        _ if agent_offers > 0 => format!("{agent_offers} key(s) offered"),
        _ => "none seen".into(),
    }
}

fn first<'a>(t: &'a Trace, f: impl Fn(&K<'static>) -> Option<String> + 'a) -> String {
    t.events()
        .iter()
        .find_map(|n| f(n.kind()))
        .unwrap_or_else(|| "—".into())
}

fn facts(w: &Trace, f: &Trace) -> Vec<FactRow> {
    let row = |fact: &'static str, a: String, b: String| FactRow {
        differs: a != b,
        fact,
        working: visible(&a).into_owned(),
        failing: visible(&b).into_owned(),
    };
    let list = |v: Vec<String>| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.join(", ")
        }
    };
    let dest = |t: &Trace| {
        let d = t.destination();
        format!(
            "{}@{}:{}",
            d.user.unwrap_or_default(),
            d.host.unwrap_or_default(),
            d.port.map(|p| p.to_string()).unwrap_or_default()
        )
    };
    let kex = |t: &Trace| {
        first(t, |k| {
            matches!(k, K::KexAlgorithm { .. }).then(|| {
                if let K::KexAlgorithm { name } = k {
                    name.to_string()
                } else {
                    String::new()
                }
            })
        })
    };
    let hostkey = |t: &Trace| {
        if t.has(|k| matches!(k, K::HostKeyKnown { .. })) {
            "known".to_string()
        } else if t.has(|k| {
            matches!(
                k,
                K::HostKeyChangedBanner {} | K::HostKeyChangedStrict { .. }
            )
        }) {
            "changed".to_string()
        } else if t.has(|k| {
            matches!(
                k,
                K::HostKeyUnknownStrict { .. } | K::HostAuthenticityUnknown { .. }
            )
        }) {
            "not in known_hosts".to_string()
        } else {
            "—".to_string()
        }
    };
    let methods = |t: &Trace| {
        first(t, |k| {
            if let K::AuthsCanContinue { methods } = k {
                Some(methods.items().collect::<Vec<_>>().join(","))
            } else {
                None
            }
        })
    };
    let phase = |t: &Trace| {
        t.phase
            .map(|p| p.name().to_string())
            .unwrap_or_else(|| "—".into())
    };
    vec![
        row(
            "client",
            w.client_version()
                .map(|v| v.value.clone())
                .unwrap_or_default(),
            f.client_version()
                .map(|v| v.value.clone())
                .unwrap_or_default(),
        ),
        row(
            "server",
            w.server_version
                .as_ref()
                .map(|v| v.value.clone())
                .unwrap_or_default(),
            f.server_version
                .as_ref()
                .map(|v| v.value.clone())
                .unwrap_or_default(),
        ),
        row("destination", dest(w), dest(f)),
        row(
            "Host blocks applied",
            list(host_blocks(w)),
            list(host_blocks(f)),
        ),
        row(
            "key files found",
            list(identity_files(w)),
            list(identity_files(f)),
        ),
        row("agent", agent(w), agent(f)),
        row("key exchange", kex(w), kex(f)),
        row("host key", hostkey(w), hostkey(f)),
        row("server allows", methods(w), methods(f)),
        row("keys offered", list(offers(w)), list(offers(f))),
        row("phase reached", phase(w), phase(f)),
    ]
}

/// A comparable signature of an event: its kind and the values that matter,
/// without volatile ones (ports, fingerprints, timings).
fn signature(k: &K<'_>) -> Option<String> {
    Some(match k {
        K::KnownHostsMissing { .. }
        | K::HostKeyLookup { .. }
        | K::SeqnrReset { .. }
        | K::ExtInfo { .. }
        | K::GlobalRequest { .. }
        | K::Pledge { .. }
        | K::HostkeysUpdate { .. }
        | K::SendingEnv { .. }
        | K::ConnectDetail { .. }
        | K::Rekey { .. }
        | K::Transferred { .. }
        | K::ChannelFree { .. }
        | K::ServerHostKey { .. }
        | K::HostKeyFoundIn { .. }
        | K::LocalVersion { .. }
        | K::RemoteVersion { .. }
        | K::CompatMatch { .. }
        | K::ClientVersion { .. }
        | K::RunningOn { .. }
        | K::Command { .. } => return None,
        K::IdentityFile { path, key_type } => {
            format!("identity_file {} {}", base(path), *key_type >= 0)
        }
        K::WillAttemptKey { identity } | K::OfferingKey { identity } => {
            format!("{} {}", k.name(), base(&identity.path))
        }
        K::ApplyingOptions { pattern, .. } => format!("applying {pattern}"),
        K::KexAlgorithm { name } => format!("kex {name}"),
        K::AuthsCanContinue { methods } => format!("auths {}", methods.0),
        K::NextAuthMethod { method } => format!("next {method}"),
        _ => k.name().to_string(),
    })
}

fn divergence(w: &Trace, f: &Trace) -> Option<Divergence> {
    let seq = |t: &Trace| -> Vec<(String, usize, String)> {
        t.events()
            .iter()
            .filter_map(|n| signature(n.kind()).map(|s| (s, n.line(), n.text.clone())))
            .collect()
    };
    let (a, b) = (seq(w), seq(f));
    let ka: Vec<&str> = a.iter().map(|x| x.0.as_str()).collect();
    let kb: Vec<&str> = b.iter().map(|x| x.0.as_str()).collect();
    let op = capture_diff_slices(Algorithm::Myers, &ka, &kb)
        .into_iter()
        .find(|op| !matches!(op, DiffOp::Equal { .. }))?;
    let (oi, ni) = match op {
        DiffOp::Delete {
            old_index,
            new_index,
            ..
        }
        | DiffOp::Insert {
            old_index,
            new_index,
            ..
        }
        | DiffOp::Replace {
            old_index,
            new_index,
            ..
        } => (old_index, new_index),
        DiffOp::Equal { .. } => return None,
    };
    let pick = |v: &Vec<(String, usize, String)>, i: usize, present: bool| {
        if present {
            v.get(i)
                .map(|x| (x.1, visible(&x.2).into_owned()))
                .unwrap_or((0, String::new()))
        } else {
            (0, String::new())
        }
    };
    let (w_present, f_present) = match op {
        DiffOp::Delete { .. } => (true, false),
        DiffOp::Insert { .. } => (false, true),
        _ => (true, true),
    };
    let (working_line, working_text) = pick(&a, oi, w_present);
    let (failing_line, failing_text) = pick(&b, ni, f_present);
    Some(Divergence {
        working_line,
        working_text,
        failing_line,
        failing_text,
    })
}

fn conclusions(w: &Trace, f: &Trace, failing_id: &str, l: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let (wv, fv) = (
        w.client_version().map(|v| v.value.clone()),
        f.client_version().map(|v| v.value.clone()),
    );
    if let (Some(wv), Some(fv)) = (&wv, &fv) {
        if wv != fv {
            let why = match failing_id {
                "auth.no-mutual-signature" => l.pick(" OpenSSH 8.8 and later refuse SHA-1 `ssh-rsa` signatures, which this server requires for the RSA key.", "OpenSSH 8.8 以降は、このサーバーが RSA の鍵に求める SHA-1 の `ssh-rsa` 署名を拒みます。"),
                "kex.no-common-hostkey" => l.pick(" OpenSSH 8.8 and later no longer accept the server's `ssh-rsa` (SHA-1) host key.", "OpenSSH 8.8 以降は、サーバーの `ssh-rsa`（SHA-1）のホスト鍵を受け付けません。"),
                "kex.no-common-kex" | "kex.no-common-cipher" | "kex.no-common-mac" => l.pick(" The two clients support different algorithms; the failing one has none in common with the server.", "二つのクライアントは対応する方式が違い、失敗する側にはサーバーと共通の方式がありません。"),
                "config.bad-option" => l.pick(" The failing client does not know an option the shared configuration uses.", "失敗する側のクライアントは、共有している設定が使うオプションを知りません。"),
                _ => "",
            };
            out.push(tr!(l, "The client versions differ: the working side runs {wv}, the failing side {fv}.{why}", "クライアントのバージョンが違います。うまくいく側は {wv}、失敗する側は {fv} です。{why}"));
        }
    }
    let (wb, fb) = (host_blocks(w), host_blocks(f));
    let block_missing = wb.iter().any(|p| !fb.contains(p));
    for pattern in wb.iter().filter(|p| !fb.contains(p)) {
        let (wd, fd) = (
            w.destination().host.unwrap_or_default(),
            f.destination().host.unwrap_or_default(),
        );
        out.push(tr!(
            l,
            "The failing side's configuration did not match `Host {pattern}`, which applied on the working side (destination `{wd}` vs `{fd}`): whatever that block sets (IdentityFile, User, Port...) was not used.",
            "うまくいく側で当てはまった `Host {pattern}` が、失敗する側の設定では当てはまりませんでした（接続先 `{wd}` と `{fd}`）。そのブロックの設定（IdentityFile、User、Port など）は使われていません。"
        ));
    }
    let used: Vec<_> = w
        .offers
        .iter()
        .filter(|o| matches!(o.fate, Fate::Used | Fate::Accepted))
        .collect();
    for o in used {
        let name = base(&o.identity.path);
        let offered_on_failing = f.offers.iter().any(|x| {
            base(&x.identity.path) == name
                || (x.identity.fingerprint.is_some()
                    && x.identity.fingerprint == o.identity.fingerprint)
        });
        if o.identity.agent && f.offers.iter().all(|x| !x.identity.agent) {
            let agent = agent(f);
            out.push(tr!(
                l,
                "On the working side the accepted key ({name}) came from the ssh agent; the failing side got no key from an agent (agent: {agent}). Start an agent with the key there, or give the key file with -i.",
                "うまくいく側で受け入れられた鍵（{name}）は ssh エージェントから来ていますが、失敗する側はエージェントから鍵を得ていません（エージェント: {agent}）。そちらでも鍵を持つエージェントを起動するか、-i で鍵ファイルを指定します。"
            ));
        } else if !offered_on_failing && f.phase >= Some(crate::trace::Phase::Auth) {
            let found = identity_files(f).contains(&name);
            let why = if found {
                ""
            } else if block_missing {
                l.pick(
                    ": the configuration block that names it did not apply there",
                    "。その鍵を指定する設定のブロックが、そちらでは当てはまりませんでした",
                )
            } else {
                l.pick(": that key file is not on the failing machine (or not where its configuration looks)", "。その鍵ファイルは失敗する側のマシンにありません（または設定が探す場所にありません）")
            };
            out.push(tr!(l, "The failing side never offered {name}, the key the server accepted on the working side{why}.", "うまくいく側でサーバーが受け入れた鍵 {name} を、失敗する側は一度も提示していません{why}。"));
        }
    }
    let known = |t: &Trace| t.has(|k| matches!(k, K::HostKeyKnown { .. }));
    if known(w) && !known(f) && failing_id.starts_with("hostkey.") {
        out.push(tr!(l, "The working side has the server's host key in known_hosts; the failing side does not (and, in BatchMode or without a terminal, may not ask).", "うまくいく側は known_hosts にサーバーのホスト鍵を持っていますが、失敗する側は持っていません（BatchMode や端末なしでは尋ねることもできません）。"));
    }
    out
}

/// Compares a working and a failing trace (in English).
pub fn diff(working: &Trace, failing: &Trace) -> DiffReport {
    diff_in(working, failing, Lang::En)
}

/// Compares a working and a failing trace, written in `lang`.
pub fn diff_in(working: &Trace, failing: &Trace, lang: Lang) -> DiffReport {
    let wr = crate::report_in(working, lang);
    let fr = crate::report_in(failing, lang);
    let mut conclusions = conclusions(working, failing, fr.primary().id, lang);
    conclusions
        .iter_mut()
        .for_each(|c| *c = visible(c).into_owned());
    DiffReport {
        schema: "sshexplain-diff/1",
        lang,
        facts: facts(working, failing),
        divergence: divergence(working, failing),
        conclusions,
        failing: fr,
        working: wr,
    }
}
