//! Outcomes: success, slowness, and the fallback when nothing fits.

use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::trace::{phase_of, Fate, Phase, Trace};

causes! {
    /// One step of the connection took a long time. Only visible where the
    /// input has timings (timestamped logs, or lines read live from a pipe).
    ///
    /// ## Why it happens
    /// GSSAPI/Kerberos attempts with no KDC (`GSSAPIAuthentication yes`), the
    /// server's reverse DNS lookup of your address (`UseDNS yes`) or a slow PAM
    /// module before it answers the first auth request, slow DNS on the client.
    ///
    /// ## How to fix
    /// `GSSAPIAuthentication no` on the client; `UseDNS no` on the server; fix
    /// DNS.
    ///
    /// ## Evidence
    /// a pause of seconds between two timestamped lines
    SLOW_STEP = "slow.step", Warning, 10, "A step was slow", slow_step;

    /// The connection worked: ssh authenticated to the server.
    ///
    /// ## Why it happens
    /// Everything went right; the report says which method and key worked.
    ///
    /// ## How to fix
    /// Nothing to fix.
    ///
    /// ## Evidence
    /// `Authenticated to HOST ([ADDR]:PORT) using "publickey".`
    CONNECTED = "ok.connected", Info, 2, "Connected", connected;

    /// None of the known failure patterns matches this output.
    ///
    /// ## Why it happens
    /// The output is cut off, from a rare failure, or not from an OpenSSH client.
    ///
    /// ## How to fix
    /// Re-run with `ssh -vvv` and keep the whole output.
    ///
    /// ## Evidence
    /// the last lines of the output
    UNKNOWN = "unknown", Info, 0, "Unknown failure", never;
}

fn never(_: &Trace, _: &Ctx) -> Option<Finding> {
    None
}

fn slow_step(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let session_start = t
        .find(|k| matches!(k, K::EnteringSession {} | K::AuthenticatedTo { .. }))
        .map(|n| n.line())
        .unwrap_or(usize::MAX);
    let tail = t.tail();
    let prompt_before = |line: usize| {
        tail.iter()
            .chain(t.events().iter())
            .filter(|n| n.line() == line)
            .any(|n| match n.kind() {
                K::NextAuthMethod { method } => {
                    method == "password" || method == "keyboard-interactive"
                }
                K::PasswordPrompt { .. }
                | K::PassphrasePrompt { .. }
                | K::ContinueConnectingPrompt {}
                | K::HostAuthenticityUnknown { .. }
                | K::KeyFingerprintIs { .. }
                | K::ConfirmUserPresence { .. }
                | K::ServerAcceptsKey { .. } => true,
                _ => false,
            })
    };
    let gap = t
        .gaps
        .iter()
        .find(|g| g.ms >= 5_000 && g.after <= session_start && !prompt_before(g.before))?;
    let at = |line: usize| {
        t.events()
            .iter()
            .chain(tail.iter())
            .find(|n| n.line() == line)
    };
    let before = at(gap.before);
    let after = at(gap.after);
    let gssapi = t.events().iter().any(|n| {
        n.line() <= gap.after
            && (matches!(n.kind(), K::GssapiFailure { .. })
                || matches!(n.kind(), K::NextAuthMethod { method } if method.starts_with("gssapi")))
    }) && t.events().iter().any(|n| {
        n.line() >= gap.before
            && n.line() <= gap.after + 2
            && (matches!(n.kind(), K::GssapiFailure { .. } | K::NextAuthMethod { .. }))
    });
    let phase = after
        .and_then(|n| phase_of(n.kind()))
        .or(before.and_then(|n| phase_of(n.kind())));
    let secs = gap.ms as f64 / 1000.0;
    let (what, steps) = if gssapi {
        (
            "trying GSSAPI (Kerberos) authentication",
            vec![
                Step::run(
                    "Skip GSSAPI when you do not use Kerberos:",
                    ctx.ssh("-o GSSAPIAuthentication=no"),
                ),
                Step::run(
                    "Permanently, in ~/.ssh/config:",
                    format!("Host {}\n    GSSAPIAuthentication no", ctx.host()),
                ),
            ],
        )
    } else {
        match phase {
            Some(Phase::Auth) | Some(Phase::Session) => (
                "waiting for the server during authentication",
                vec![Step::say("The server is slow to answer: usually its reverse DNS lookup of your address (`UseDNS yes`) or a slow PAM module. On the server set `UseDNS no` in sshd_config and check PAM."), Step::run("Watch the server's log while connecting:", Ctx::server_log())],
            ),
            Some(Phase::Connect) | Some(Phase::Resolve) | Some(Phase::Config) => (
                "resolving the name or opening the TCP connection",
                vec![Step::run("Time the name lookup:", format!("time getent hosts {}", ctx.host())), Step::say("Slow TCP connects point at packet loss or a firewall dropping the first attempts (e.g. IPv6 tried first: test with -4).")],
            ),
            _ => ("in the key exchange", vec![Step::say("A slow key exchange points at an overloaded server CPU or a lossy network path.")]),
        }
    };
    let cites: Vec<_> = before.into_iter().chain(after).collect();
    let f = Finding::new(
        &SLOW_STEP,
        format!(
            "The connection paused {secs:.1} s {what} (between lines {} and {}).",
            gap.before, gap.after
        ),
        &cites,
    )
    .failing(true)
    .confidence(Confidence::Medium)
    .steps(steps);
    Some(f)
}

fn connected(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.authenticated()?;
    let method = match n.kind() {
        K::AuthenticatedTo {
            method: Some(m), ..
        }
        | K::AuthSucceeded { method: m } => Some(m.to_string()),
        _ => t
            .find_last(|k| matches!(k, K::AuthSucceeded { .. }))
            .and_then(|n| match n.kind() {
                K::AuthSucceeded { method } => Some(method.to_string()),
                _ => None,
            }),
    };
    let key = t
        .offers
        .iter()
        .rev()
        .find(|o| o.fate == Fate::Used || o.fate == Fate::Accepted)
        .map(|o| format!(" with key {}", super::context::key_label(&o.identity)));
    let host = match n.kind() {
        K::AuthenticatedTo { host, .. } => host.to_string(),
        _ => t.destination().host.unwrap_or_else(|| "the server".into()),
    };
    let how = match method.as_deref() {
        Some("publickey") => format!("using publickey{}", key.unwrap_or_default()),
        Some(m) => format!("using {m}"),
        None => String::new(),
    };
    Some(
        Finding::new(
            &CONNECTED,
            format!("Connected to {host} {how}.")
                .replace("  ", " ")
                .replace(" .", "."),
            &[n],
        )
        .note(),
    )
}

/// The finding when nothing explains the outcome.
pub fn fallback(t: &Trace, ctx: &Ctx) -> Finding {
    let phase = t.phase.map(Phase::name).unwrap_or("none");
    let tail = t.tail();
    let last: Vec<&crate::trace::Noted> = tail[tail.len().saturating_sub(5)..].iter().collect();
    let stopped = super::stall::stopped_at(t);
    let mut f = Finding::new(
        &UNKNOWN,
        format!(
            "No known failure pattern matches. The connection reached the {phase} phase; the last lines are quoted below{}.{}",
            if ctx.verbosity == 0 { " (the output has no -v lines)" } else { "" },
            stopped.map(|s| format!(" Where the output stops: {s}")).unwrap_or_default()
        ),
        &last,
    )
    .confidence(Confidence::Low)
    .note();
    f.steps.push(Step::run(
        "Re-run with more detail and give the whole output to sshexplain:",
        format!("{} 2>&1 | sshexplain", ctx.ssh("-vvv")),
    ));
    f
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn success_names_method_and_key() {
        let d = diagnose("debug1: Offering public key: /home/u/.ssh/id_ed25519 ED25519 SHA256:abc\ndebug1: Server accepts key: /home/u/.ssh/id_ed25519 ED25519 SHA256:abc\nAuthenticated to h ([1.2.3.4]:22) using \"publickey\".\n");
        assert_eq!(d.primary.cause.id, "ok.connected");
        assert!(
            d.primary.summary.contains("~/.ssh/id_ed25519 SHA256:abc"),
            "{}",
            d.primary.summary
        );
    }

    #[test]
    fn nothing_known_is_unknown_with_low_confidence() {
        let d = diagnose("debug1: something we never saw\n");
        assert_eq!(d.primary.cause.id, "unknown");
        assert_eq!(d.primary.confidence, crate::diagnose::Confidence::Low);
    }

    #[test]
    fn gssapi_pause_is_a_slow_step() {
        let log = "[10:00:00.000] debug1: Next authentication method: gssapi-with-mic\n[10:00:12.000] debug1: Unspecified GSS failure.  Minor code may provide more information\n[10:00:12.100] debug1: Next authentication method: publickey\n[10:00:12.200] Authenticated to h ([1.2.3.4]:22) using \"publickey\".\n";
        let d = diagnose(log);
        assert_eq!(d.primary.cause.id, "slow.step");
        assert!(
            d.primary.summary.contains("GSSAPI"),
            "{}",
            d.primary.summary
        );
    }

    #[test]
    fn pause_at_a_password_prompt_is_the_user_typing() {
        let log = "[10:00:00.000] debug1: Next authentication method: password\n[10:00:09.000] Authenticated to h ([1.2.3.4]:22) using \"password\".\n";
        assert_eq!(diagnose(log).primary.cause.id, "ok.connected");
    }
}
