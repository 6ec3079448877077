//! Host key verification: changed keys, unknown hosts, host certificates.

use super::context::quote;
use super::{causes, Confidence, Ctx, Finding, Step};
use crate::event::EventKind as K;
use crate::grammar::primitives::unvis;
use crate::trace::Trace;

causes! {
    /// The server presented a different host key than the one recorded in your
    /// known_hosts file, so ssh refused to continue: either the server was
    /// reinstalled or re-keyed, its address now belongs to another machine, or
    /// someone is intercepting the connection.
    ///
    /// ## Why it happens
    /// OS reinstall (a new Raspberry Pi image), a rebuilt VM or container, a
    /// DHCP address given to another device, a load balancer with different
    /// keys behind it — or a real man-in-the-middle.
    ///
    /// ## How to fix
    /// Confirm the new fingerprint out of band (on the server's console:
    /// `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`). Only then remove the
    /// old entry with `ssh-keygen -R` and connect again.
    ///
    /// ## Evidence
    /// `@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @`,
    /// `Offending ECDSA key in /home/u/.ssh/known_hosts:12`, `Host key verification failed.`
    CHANGED = "hostkey.changed", Error, 92, "The server's host key has changed", changed;

    /// ssh has no host key on record for this server and was told not to ask
    /// (StrictHostKeyChecking yes, BatchMode, or no terminal to ask on), so it
    /// refused to connect.
    ///
    /// ## Why it happens
    /// The first connection from a CI job, a cron job, an IDE or a fresh
    /// container, where no one can answer the yes/no question.
    ///
    /// ## How to fix
    /// Add the server's key to known_hosts after checking its fingerprint
    /// (`ssh-keyscan`), or use `StrictHostKeyChecking=accept-new` in automation.
    ///
    /// ## Evidence
    /// `No ED25519 host key is known for HOST and you have requested strict checking.`,
    /// `Host key verification failed.`
    UNKNOWN = "hostkey.unknown", Error, 89, "Unknown host key, and ssh may not ask", unknown;

    /// ssh could not save the server's host key, so it will ask again next
    /// time (and a job without a terminal will fail then).
    ///
    /// ## Why it happens
    /// `~/.ssh` does not exist or belongs to another user (after `sudo`), the
    /// home directory is read-only (containers, CI), or `UserKnownHostsFile`
    /// points somewhere unwritable.
    ///
    /// ## How to fix
    /// `mkdir -p ~/.ssh && chmod 700 ~/.ssh`, fix ownership, or set
    /// `UserKnownHostsFile` to a writable path.
    ///
    /// ## Evidence
    /// `Failed to add the host to the list of known hosts (/home/u/.ssh/known_hosts).`
    KNOWN_HOSTS_UNWRITABLE = "hostkey.known-hosts-unwritable", Warning, 3, "Could not save the host key", known_hosts_unwritable;

    /// The server presented a host certificate that your known_hosts
    /// `@cert-authority` line does not accept (expired, wrong names, unknown CA),
    /// so ssh fell back to the plain host key.
    ///
    /// ## Why it happens
    /// The host certificate expired, was issued for other host names
    /// (principals), or is signed by a CA you do not trust.
    ///
    /// ## How to fix
    /// Re-issue the host certificate (`ssh-keygen -s CA -h -n NAMES -V +52w`),
    /// check the `@cert-authority` line in known_hosts.
    ///
    /// ## Evidence
    /// `Certificate invalid: expired`, `No matching CA found. Retry with plain key`
    CERTIFICATE_INVALID = "hostkey.certificate-invalid", Error, 90, "The server's host certificate is not valid", certificate_invalid;

    /// The host name's key is known, but the address it resolves to is
    /// recorded with a different key: the address now belongs to another
    /// machine, or DNS points somewhere else.
    ///
    /// ## Why it happens
    /// DHCP gave the address to another device, DNS changed, two machines share
    /// a name — or DNS spoofing.
    ///
    /// ## How to fix
    /// Check which machine has that address; remove the stale IP entry with
    /// `ssh-keygen -R ADDRESS`.
    ///
    /// ## Evidence
    /// `Warning: the ED25519 host key for 'h' differs from the key for the IP address '192.0.2.10'`,
    /// `WARNING: POSSIBLE DNS SPOOFING DETECTED!`
    IP_MISMATCH = "hostkey.ip-mismatch", Error, 93, "The address is known with another host key", ip_mismatch;
}

fn changed(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let banner = t.find(|k| matches!(k, K::HostKeyChangedBanner {}));
    let strict = t.find(|k| matches!(k, K::HostKeyChangedStrict { .. }));
    let offending = t.find(|k| matches!(k, K::OffendingKey { .. }));
    let head = banner.or(strict).or(offending)?;
    let host = match strict.map(|n| n.kind()) {
        Some(K::HostKeyChangedStrict { host }) => host.to_string(),
        _ => ctx.known_hosts_name(),
    };
    let (file, line_no) = match offending.map(|n| n.kind()) {
        Some(K::OffendingKey { path, line_no, .. }) => {
            (Some(unvis(path).into_owned()), Some(*line_no))
        }
        _ => match t
            .find(|k| matches!(k, K::AddCorrectHostKey { .. }))
            .map(|n| n.kind())
        {
            Some(K::AddCorrectHostKey { path }) => (Some(unvis(path).into_owned()), None),
            _ => (None, None),
        },
    };
    let fingerprint = t.find(|k| matches!(k, K::FingerprintLine { .. }));
    let fp_text = match fingerprint.map(|n| n.kind()) {
        Some(K::FingerprintLine { fingerprint }) => {
            format!(" The server now presents {fingerprint}.")
        }
        _ => String::new(),
    };
    let remove = t.find(|k| matches!(k, K::RemoveWith { command: Some(_) }));
    let remove_cmd = match remove.map(|n| n.kind()) {
        Some(K::RemoveWith { command: Some(c) }) => unvis(c).trim().to_string(),
        _ => match &file {
            Some(f) => format!("ssh-keygen -f {} -R {}", quote(f), quote(&host)),
            None => format!("ssh-keygen -R {}", quote(&host)),
        },
    };
    let located = match (&file, line_no) {
        (Some(f), Some(n)) => format!(" The old key is line {n} of {f}."),
        (Some(f), None) => format!(" The old key is in {f}."),
        _ => String::new(),
    };
    let mut steps = vec![
        Step::run(
            "First confirm the new key is genuine, out of band: on the server's console (not over this network) print its fingerprint and compare.",
            "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub",
        ),
        Step::run("Only if it matches (or you know the server was reinstalled), remove the old entry:", remove_cmd),
    ];
    if let (Some(f), Some(n)) = (&file, line_no) {
        steps.push(Step::run(
            "Or delete exactly that line:",
            format!("sed -i '{n}d' {}", quote(f)),
        ));
    }
    steps.push(Step::run(
        "Connect again and accept the new key after comparing its fingerprint:",
        ctx.ssh(""),
    ));
    steps.push(Step::say("If nothing changed on the server, do not connect: someone may be intercepting the connection."));
    let mut f = Finding::new(&CHANGED, format!("The host key of {host} differs from the one recorded in known_hosts.{fp_text}{located}"), &[head]).steps(steps);
    f.cite(strict);
    f.cite(offending);
    f.cite(fingerprint);
    f.cite(t.find_last(|k| matches!(k, K::HostKeyVerificationFailed {})));
    Some(f)
}

fn unknown(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    if t.has(|k| {
        matches!(
            k,
            K::HostKeyChangedBanner {}
                | K::HostKeyChangedStrict { .. }
                | K::IpKeyDiffers { .. }
                | K::DnsSpoofingBanner {}
        )
    }) {
        return None;
    }
    let strict = t.find(|k| matches!(k, K::HostKeyUnknownStrict { .. }));
    let failed = t.find_last(|k| matches!(k, K::HostKeyVerificationFailed {}));
    let Some(head) = strict.or(failed) else {
        return waiting_for_answer(t, ctx);
    };
    let asked = t.find(|k| matches!(k, K::HostAuthenticityUnknown { .. }));
    let no_tty = t.find(|k| matches!(k, K::NoTty { .. }));
    let why = if strict.is_some() {
        "and StrictHostKeyChecking (or BatchMode) forbids adding it"
    } else if no_tty.is_some() {
        "and there was no terminal to ask whether to trust it"
    } else {
        "and it was not accepted"
    };
    let name = ctx.known_hosts_name();
    let mut f = Finding::new(&UNKNOWN, format!("ssh has no host key on record for {name}, {why}."), &[head])
        .confidence(if strict.is_some() || asked.is_some() { Confidence::High } else { Confidence::Medium })
        .steps([
            Step::run("Fetch the server's key and show its fingerprint; compare it with the server's own (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on its console):", format!("ssh-keyscan {}{} | ssh-keygen -lf -", if ctx.port() != 22 { format!("-p {} ", ctx.port()) } else { String::new() }, ctx.host())),
            Step::run("If it matches, record it:", format!("ssh-keyscan {}{} >> ~/.ssh/known_hosts", if ctx.port() != 22 { format!("-p {} ", ctx.port()) } else { String::new() }, ctx.host())),
            Step::say("In CI, store the known_hosts line as a secret/variable and write it before ssh runs; `-o StrictHostKeyChecking=accept-new` trusts the first key it sees (only on networks you trust)."),
        ]);
    f.cite(asked);
    f.cite(no_tty);
    f.cite(failed);
    Some(f)
}

/// The trace ends right after the server's host key, with no known_hosts
/// match: ssh was asking whether to trust the key (the question goes to the
/// terminal, or to sshpass's pty, not into the log).
fn waiting_for_answer(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let key = t.find_last(|k| matches!(k, K::ServerHostKey { .. }))?;
    let after = t
        .events()
        .iter()
        .filter(|n| n.line() > key.line())
        .all(|n| {
            matches!(
                n.kind(),
                K::KnownHostsMissing { .. } | K::HostKeyLookup { .. }
            )
        });
    if !after
        || t.has(|k| {
            matches!(
                k,
                K::HostKeyKnown { .. } | K::HostKeyFoundIn { .. } | K::PermanentlyAdded { .. }
            )
        })
    {
        return None;
    }
    let scan = format!(
        "ssh-keyscan {}{}",
        if ctx.port() != 22 {
            format!("-p {} ", ctx.port())
        } else {
            String::new()
        },
        ctx.host()
    );
    let mut f = Finding::new(
        &UNKNOWN,
        format!("The output ends right after {} presented its host key, which is not in known_hosts: ssh was asking whether to trust it, and the question went to a terminal (or a wrapper like sshpass) instead of being answered.", ctx.known_hosts_name()),
        &[key],
    )
    .confidence(Confidence::Medium);
    f.steps = vec![
        Step::run(
            "Check the fingerprint and record the key before connecting non-interactively:",
            format!("{scan} | ssh-keygen -lf -"),
        ),
        Step::run(
            "If it matches the server's own, record it:",
            format!("{scan} >> ~/.ssh/known_hosts"),
        ),
    ];
    Some(f)
}

fn known_hosts_unwritable(t: &Trace, _ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| matches!(k, K::KnownHostsAddFailed { .. }))?;
    let K::KnownHostsAddFailed { path } = n.kind() else {
        return None;
    };
    let path = unvis(path);
    Some(
        Finding::new(&KNOWN_HOSTS_UNWRITABLE, format!("ssh could not write {path}, so the host key was not saved."), &[n])
            .note()
            .steps([
                Step::run("Create ~/.ssh with the right owner and mode:", "mkdir -p ~/.ssh && chmod 700 ~/.ssh && chown \"$USER\" ~/.ssh"),
                Step::say("If the home directory is read-only (containers, CI), point UserKnownHostsFile to a writable file: `-o UserKnownHostsFile=/tmp/known_hosts`."),
            ]),
    )
}

fn certificate_invalid(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let auth_started = t
        .find(|k| matches!(k, K::ServiceAccept {} | K::AuthsCanContinue { .. }))
        .map(|n| n.line());
    let n = t
        .find(|k| matches!(k, K::CertificateInvalid { .. }))
        .filter(|n| auth_started.is_none_or(|a| n.line() < a))?;
    let K::CertificateInvalid { reason } = n.kind() else {
        return None;
    };
    let retry = t.find(|k| matches!(k, K::NoMatchingCa {}));
    let mut f = Finding::new(
        &CERTIFICATE_INVALID,
        format!("The host certificate of {} was rejected ({reason}); ssh fell back to the plain host key{}.", ctx.host(), if ctx.authenticated { ", which was accepted" } else { ", which is not known either" }),
        &[n],
    )
    .failing(!ctx.authenticated)
    .steps([
        Step::run("On the CA host, issue a new host certificate with the right names and validity:", format!("ssh-keygen -s host_ca -h -I {h} -n '{h},{n}' -V +52w /etc/ssh/ssh_host_ed25519_key.pub", h = ctx.host(), n = ctx.known_hosts_name())),
        Step::run("Show the certificate the server uses (validity, principals):", "ssh-keygen -Lf /etc/ssh/ssh_host_ed25519_key-cert.pub"),
        Step::say(format!("Check that your known_hosts has `@cert-authority` for {} with the CA's public key.", ctx.known_hosts_name())),
    ]);
    f.cite(retry);
    f.cite(t.find_last(|k| matches!(k, K::HostKeyVerificationFailed {})));
    Some(f)
}

fn ip_mismatch(t: &Trace, ctx: &Ctx) -> Option<Finding> {
    let n = t.find(|k| {
        matches!(
            k,
            K::IpKeyDiffers { .. } | K::DnsSpoofingBanner {} | K::OffendingIpKey { .. }
        )
    })?;
    let address = t
        .find(|k| matches!(k, K::IpKeyDiffers { .. }))
        .and_then(|n| match n.kind() {
            K::IpKeyDiffers { address, .. } => Some(address.to_string()),
            _ => None,
        });
    let changed_too = t.has(|k| matches!(k, K::HostKeyChangedBanner {}));
    let addr = address.clone().unwrap_or_else(|| "ADDRESS".into());
    let mut f = Finding::new(
        &IP_MISMATCH,
        format!("The key recorded for the address {addr} differs from the one recorded for the name {}: the address may now belong to another machine.", ctx.host()),
        &[n],
    )
        .failing(!ctx.authenticated && (!changed_too || t.has(|k| matches!(k, K::DnsSpoofingBanner {}))))
    .steps([
        Step::say(format!("Find out which machine has {addr} now (DHCP leases, your router's client list).")),
        Step::run("If the old entry for the address is stale, remove it:", format!("ssh-keygen -R {addr}")),
    ]);
    f.cite(
        t.all(|k| matches!(k, K::OffendingIpKey { .. } | K::MatchingHostKey { .. }))
            .take(2),
    );
    if let Some(fail) = t.find_last(|k| matches!(k, K::HostKeyVerificationFailed {})) {
        f.cite([fail]);
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    const CHANGED: &str = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
The fingerprint for the ED25519 key sent by the remote host is
SHA256:newnewnew.
Add correct host key in /home/u/.ssh/known_hosts to get rid of this message.
Offending ED25519 key in /home/u/.ssh/known_hosts:4
  remove with:
  ssh-keygen -f '/home/u/.ssh/known_hosts' -R '[127.0.0.1]:2201'
Host key for [127.0.0.1]:2201 has changed and you have requested strict checking.
Host key verification failed.
";

    #[test]
    fn changed_key_names_file_line_and_command() {
        let d = diagnose(CHANGED);
        assert_eq!(d.primary.cause.id, "hostkey.changed");
        assert!(
            d.primary
                .summary
                .contains("line 4 of /home/u/.ssh/known_hosts"),
            "{}",
            d.primary.summary
        );
        assert_eq!(
            d.primary.steps[1].command.as_deref(),
            Some("ssh-keygen -f '/home/u/.ssh/known_hosts' -R '[127.0.0.1]:2201'")
        );
        assert!(d.primary.evidence.iter().any(|e| e.line == 2));
    }

    #[test]
    fn unknown_key_in_batch_mode() {
        let d = diagnose("No ED25519 host key is known for [127.0.0.1]:2201 and you have requested strict checking.\nHost key verification failed.\n");
        assert_eq!(d.primary.cause.id, "hostkey.unknown");
    }
}
