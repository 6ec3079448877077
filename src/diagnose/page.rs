//! What `sshexplain explain ID` shows beyond the cause's doc: a real
//! example (a corpus trace of that cause, diagnosed now, so the lines and
//! the report are what sshexplain really prints), the related causes of
//! its family, and the ssh_config / sshd_config options its doc involves.

use super::{Cause, Severity};
use crate::lang::Lang;
use serde::Serialize;

/// A cause's page.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Page {
    /// Stable ID.
    pub id: &'static str,
    /// Title in the page's language.
    pub title: &'static str,
    /// Severity when it explains a failure.
    pub severity: Severity,
    /// The doc (Markdown).
    pub doc: String,
    /// A real trace of this cause, when the corpus has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Example>,
    /// The other causes of its family: (ID, title).
    pub related: Vec<(&'static str, &'static str)>,
    /// ssh_config options the doc involves.
    pub ssh_config: Vec<&'static str>,
    /// sshd_config options the doc involves.
    pub sshd_config: Vec<&'static str>,
}

/// A corpus trace of the cause and what sshexplain reports on it.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// The corpus file (its `.toml` beside it says where it comes from).
    pub file: &'static str,
    /// The lines the report cites: (place, text).
    pub cited: Vec<(String, String)>,
    /// The report's verdict: ID, title and confidence.
    pub verdict: String,
    /// The report's summary.
    pub summary: String,
}

/// The page of `cause` in `lang`.
pub fn page(cause: &'static Cause, lang: Lang) -> Page {
    let doc = cause.doc_text(lang);
    let en = cause.doc_text(Lang::En);
    let related = related(cause)
        .into_iter()
        .map(|c| (c.id, c.title_in(lang)))
        .collect();
    let mentioned = |names: &[&'static str]| -> Vec<&'static str> {
        names.iter().copied().filter(|n| mentions(&en, n)).collect()
    };
    Page {
        id: cause.id,
        title: cause.title_in(lang),
        severity: cause.severity,
        doc,
        example: example(cause.id, lang),
        related,
        ssh_config: mentioned(&super::config::KNOWN),
        sshd_config: mentioned(&SSHD_OPTIONS),
    }
}

impl Page {
    /// The page as Markdown (also what the terminal shows).
    pub fn markdown(&self, lang: Lang) -> String {
        let mut out = format!("{}: {}\n\n{}\n", self.id, self.title, self.doc);
        if let Some(e) = &self.example {
            out.push_str(&crate::tr!(
                lang,
                "\n## Example\n\nIn `{}` sshexplain cites:\n\n",
                "\n## 例\n\n`{}` で sshexplain が引用する行:\n\n",
                e.file
            ));
            for (place, text) in &e.cited {
                out.push_str(&format!(
                    "    {place:>6} │ {}\n",
                    crate::report::visible(text)
                ));
            }
            out.push_str(lang.pick("\nand reports:\n\n", "\n報告:\n\n"));
            out.push_str(&format!(
                "    {}\n    {}\n",
                e.verdict,
                crate::report::visible(&e.summary)
            ));
        }
        if !self.related.is_empty() {
            out.push_str(lang.pick("\n## Related\n\n", "\n## 関連する原因\n\n"));
            for (id, title) in &self.related {
                out.push_str(&format!("- `{id}`: {title}\n"));
            }
        }
        if !self.ssh_config.is_empty() || !self.sshd_config.is_empty() {
            out.push_str(lang.pick("\n## Options involved\n\n", "\n## 関係する設定項目\n\n"));
            for (file, names) in [
                ("ssh_config", &self.ssh_config),
                ("sshd_config", &self.sshd_config),
            ] {
                if !names.is_empty() {
                    out.push_str(&format!("- {file}: {}\n", names.join(", ")));
                }
            }
        }
        out
    }
}

/// The causes that end the same way (the other hypotheses of a symptom
/// this cause is one of), else the nearest of its family by priority; at
/// most six.
fn related(cause: &'static Cause) -> Vec<&'static Cause> {
    let mut out: Vec<&'static Cause> = Vec::new();
    for s in super::differential::SYMPTOMS {
        if s.hypotheses.iter().any(|h| h.id == cause.id) {
            for h in s.hypotheses {
                if let Some(c) = super::cause(h.id).filter(|c| c.id != cause.id) {
                    if !out.iter().any(|o| o.id == c.id) {
                        out.push(c);
                    }
                }
            }
        }
    }
    if out.is_empty() {
        let family = cause.id.split('.').next();
        let mut same: Vec<&'static Cause> = super::catalog()
            .filter(|c| c.id != cause.id && c.id.split('.').next() == family)
            .collect();
        same.sort_by_key(|c| c.priority.abs_diff(cause.priority));
        out = same;
    }
    out.truncate(6);
    out
}

/// Whether `doc` names the option `name` as a word; a name that is also
/// an English word (`Host`, `Port`, `Ciphers`: one capital letter) only
/// inside backticks.
fn mentions(doc: &str, name: &str) -> bool {
    let camel = name.chars().filter(char::is_ascii_uppercase).count() > 1;
    doc.match_indices(name).any(|(i, _)| {
        let before = doc[..i].chars().next_back();
        let after = doc[i + name.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
            && (camel || before == Some('`'))
    })
}

/// The sshd_config keywords a cause's doc may involve.
const SSHD_OPTIONS: [&str; 44] = [
    "PasswordAuthentication",
    "PubkeyAuthentication",
    "KbdInteractiveAuthentication",
    "AuthenticationMethods",
    "PermitRootLogin",
    "AuthorizedKeysFile",
    "AuthorizedPrincipalsFile",
    "TrustedUserCAKeys",
    "AllowUsers",
    "DenyUsers",
    "AllowGroups",
    "DenyGroups",
    "MaxAuthTries",
    "MaxStartups",
    "MaxSessions",
    "LoginGraceTime",
    "PerSourcePenalties",
    "PerSourcePenaltyExemptList",
    "StrictModes",
    "UseDNS",
    "UsePAM",
    "X11Forwarding",
    "AllowTcpForwarding",
    "GatewayPorts",
    "PermitOpen",
    "PermitListen",
    "DisableForwarding",
    "PermitTTY",
    "ForceCommand",
    "Subsystem",
    "ClientAliveInterval",
    "ClientAliveCountMax",
    "KexAlgorithms",
    "Ciphers",
    "MACs",
    "HostKey",
    "HostKeyAlgorithms",
    "PubkeyAcceptedAlgorithms",
    "HostCertificate",
    "ListenAddress",
    "Port",
    "ChrootDirectory",
    "Match",
    "PrintMotd",
];

/// One corpus trace per cause (the smallest diagnosed as it at high or
/// medium confidence when the table was made; `examples_are_their_causes`
/// checks they still are).
macro_rules! ex {
    ($id:literal, $file:literal) => {
        ($id, $file, include_str!(concat!("../../", $file)))
    };
}

static EXAMPLES: &[(&str, &str, &str)] = &[
    ex!(
        "config.bad-option",
        "corpus/config.bad-option/config-bad-option-cmdline-8.4p1-v1.log"
    ),
    ex!(
        "config.bad-permissions",
        "corpus/config.bad-permissions/config-bad-permissions-10.6p1-v1.log"
    ),
    ex!(
        "config.identity-missing",
        "corpus/config.identity-missing/config-identity-missing-config-8.4p1-v1.log"
    ),
    ex!(
        "config.bad-argument",
        "corpus/config.bad-argument/config-bad-argument-port-10.6p1-v1.log"
    ),
    ex!(
        "resolve.unknown-host",
        "corpus/resolve.unknown-host/resolve-unknown-host-10.0p2-v1.log"
    ),
    ex!(
        "resolve.dns-failure",
        "corpus/resolve.dns-failure/resolve-dns-failure-10.0p2-v1.log"
    ),
    ex!(
        "connect.refused",
        "corpus/connect.refused/connect-refused-7.4p1-v1.log"
    ),
    ex!(
        "connect.timeout",
        "corpus/connect.timeout/connect-timeout-10.0p2-v1.log"
    ),
    ex!(
        "connect.no-route",
        "corpus/connect.no-route/connect-no-route-10.0p2-v1.log"
    ),
    ex!(
        "connect.network-unreachable",
        "corpus/connect.network-unreachable/connect-network-unreachable-10.0p2-v1.log"
    ),
    ex!(
        "banner.reset",
        "corpus/banner.reset/banner-reset-7.6p1-v1.log"
    ),
    ex!(
        "banner.closed",
        "corpus/banner.closed/banner-closed-7.6p1-v1.log"
    ),
    ex!(
        "banner.not-ssh",
        "corpus/banner.not-ssh/banner-not-ssh-mysql-10.0p2-v1.log"
    ),
    ex!(
        "banner.protocol-mismatch",
        "corpus/banner.protocol-mismatch/banner-protocol-ssh1-9.2p1-v1.log"
    ),
    ex!(
        "banner.timeout",
        "corpus/banner.timeout/banner-timeout-10.0p2-v1.log"
    ),
    ex!(
        "kex.no-common-kex",
        "corpus/kex.no-common-kex/kex-no-common-kex-7.6p1-v1.log"
    ),
    ex!(
        "kex.no-common-hostkey",
        "corpus/kex.no-common-hostkey/kex-no-common-hostkey-7.6p1-v1.log"
    ),
    ex!(
        "kex.no-common-cipher",
        "corpus/kex.no-common-cipher/kex-no-common-cipher-7.6p1-v1.log"
    ),
    ex!(
        "kex.no-common-mac",
        "corpus/kex.no-common-mac/kex-no-common-mac-8.4p1-v1.log"
    ),
    ex!(
        "kex.stalled",
        "corpus/kex.stalled/kex-stalled-kexinit-8.4p1-v1.log"
    ),
    ex!(
        "kex.not-post-quantum",
        "corpus/kex.not-post-quantum/public-wincent-164-macos-github-pq-warning.log"
    ),
    ex!(
        "hostkey.changed",
        "corpus/hostkey.changed/hostkey-changed-7.6p1-v1.log"
    ),
    ex!(
        "hostkey.unknown",
        "corpus/hostkey.unknown/hostkey-unknown-7.6p1-v1.log"
    ),
    ex!(
        "hostkey.known-hosts-unwritable",
        "corpus/hostkey.known-hosts-unwritable/hostkey-known-hosts-unwritable-9.2p1-plain.log"
    ),
    ex!(
        "hostkey.certificate-invalid",
        "corpus/hostkey.certificate-invalid/hostkey-certificate-invalid-8.4p1-v1.log"
    ),
    ex!(
        "hostkey.ip-mismatch",
        "corpus/hostkey.ip-mismatch/hostkey-ip-mismatch-8.4p1-v1.log"
    ),
    ex!(
        "auth.no-identities",
        "corpus/auth.no-identities/auth-no-identities-7.6p1-v1.log"
    ),
    ex!(
        "auth.key-rejected",
        "corpus/auth.key-rejected/auth-key-rejected-other-key-8.4p1-v1.log"
    ),
    ex!(
        "auth.key-unprotected",
        "corpus/auth.key-unprotected/auth-key-unprotected-8.4p1-v1.log"
    ),
    ex!(
        "auth.key-load-failed",
        "corpus/auth.key-load-failed/auth-key-load-failed-ppk-8.4p1-v1.log"
    ),
    ex!(
        "auth.key-passphrase",
        "corpus/auth.key-passphrase/auth-key-passphrase-notty-8.4p1-v1.log"
    ),
    ex!(
        "auth.no-mutual-signature",
        "corpus/auth.no-mutual-signature/auth-no-mutual-signature-dropbear-8.4p1-v1.log"
    ),
    ex!(
        "auth.agent-refused",
        "corpus/auth.agent-refused/auth-agent-refused-8.4p1-v1.log"
    ),
    ex!(
        "auth.agent-unavailable",
        "corpus/auth.agent-unavailable/auth-agent-unavailable-8.4p1-v1.log"
    ),
    ex!(
        "auth.too-many-failures",
        "corpus/auth.too-many-failures/auth-too-many-failures-7.4p1-v1.log"
    ),
    ex!(
        "auth.password-rejected",
        "corpus/auth.password-rejected/auth-password-rejected-sshpass-8.4p1-v1.log"
    ),
    ex!(
        "auth.method-unavailable",
        "corpus/auth.method-unavailable/auth-method-unavailable-8.4p1-v1.log"
    ),
    ex!(
        "auth.partial-success",
        "corpus/auth.partial-success/auth-partial-success-8.4p1-v1.log"
    ),
    ex!(
        "auth.no-tty",
        "corpus/auth.no-tty/auth-no-tty-kbdint-8.4p1-v1.log"
    ),
    ex!(
        "auth.certificate-rejected",
        "corpus/auth.certificate-rejected/auth-certificate-rejected-expired-8.4p1-v1.log"
    ),
    ex!(
        "auth.security-key",
        "corpus/auth.security-key/auth-security-key-8.4p1-v1.log"
    ),
    ex!(
        "session.closed-after-auth",
        "corpus/session.closed-after-auth/session-closed-after-auth-nologin-9.2p1-plain.log"
    ),
    ex!(
        "session.pty-failed",
        "corpus/session.pty-failed/session-pty-failed-8.4p1-v1.log"
    ),
    ex!(
        "session.sftp-unavailable",
        "corpus/session.sftp-unavailable/session-sftp-unavailable-9.2p1-plain.log"
    ),
    ex!(
        "session.open-refused",
        "corpus/session.open-refused/session-open-refused-8.4p1-v1.log"
    ),
    ex!(
        "session.broken-pipe",
        "corpus/session.broken-pipe/session-reset-server-killed-8.4p1-v1.log"
    ),
    ex!(
        "session.timeout",
        "corpus/session.timeout/session-timeout-8.4p1-v1.log"
    ),
    ex!(
        "session.reset",
        "corpus/session.reset/session-broken-pipe-10.0p2-v1.log"
    ),
    ex!(
        "session.closed-by-remote",
        "corpus/session.closed-by-remote/session-closed-by-server-8.4p1-v1.log"
    ),
    ex!(
        "transport.corrupt",
        "corpus/transport.corrupt/transport-corrupt-mac-10.0p2-v1.log"
    ),
    ex!(
        "forward.bind-failed",
        "corpus/forward.bind-failed/forward-bind-failed-8.4p1-v1.log"
    ),
    ex!(
        "forward.remote-failed",
        "corpus/forward.remote-failed/forward-remote-failed-8.4p1-v1.log"
    ),
    ex!(
        "forward.open-failed",
        "corpus/forward.open-failed/forward-open-failed-prohibited-8.4p1-v1.log"
    ),
    ex!(
        "forward.x11-failed",
        "corpus/forward.x11-failed/forward-x11-failed-8.4p1-v1.log"
    ),
    ex!(
        "proxy.command-failed",
        "corpus/proxy.command-failed/proxy-command-failed-nested-ssh-10.0p2-v1.log"
    ),
    ex!(
        "proxy.jump-failed",
        "corpus/proxy.jump-failed/proxy-jump-failed-jump-auth-8.4p1-v1.log"
    ),
    ex!(
        "mux.stale-socket",
        "corpus/mux.stale-socket/mux-stale-socket-check-10.6p1-v1.log"
    ),
    ex!(
        "mux.unsupported",
        "corpus/mux.unsupported/public-win32-openssh-463-controlmaster-bad-fd.log"
    ),
    ex!(
        "service.access-denied",
        "corpus/service.access-denied/service-access-denied-readonly-8.4p1-v1.log"
    ),
    ex!(
        "service.not-found",
        "corpus/service.not-found/service-not-found-git-8.4p1-v1.log"
    ),
    ex!(
        "auth.strict-modes",
        "corpus/server/auth.strict-modes/strict-modes-home-g+w-9.2p1-E.server.log"
    ),
    ex!(
        "auth.authorized-keys-unreadable",
        "corpus/server/auth.authorized-keys-unreadable/authkeys-root-owned-9.2p1-E.server.log"
    ),
    ex!(
        "auth.user-not-allowed",
        "corpus/server/auth.user-not-allowed/user-not-allowed-denyusers-9.2p1-E.server.log"
    ),
    ex!(
        "auth.invalid-user",
        "corpus/server/auth.invalid-user/invalid-user-key-9.2p1-E.server.log"
    ),
    ex!(
        "auth.root-login-refused",
        "corpus/server/auth.root-login-refused/root-login-prohibit-password-9.2p1-E.server.log"
    ),
    ex!(
        "auth.key-type-refused",
        "corpus/server/auth.key-type-refused/key-type-refused-rsa-9.2p1-E.server.log"
    ),
    ex!(
        "auth.account-unusable",
        "corpus/server/auth.account-unusable/account-locked-9.2p1-E.server.log"
    ),
    ex!(
        "banner.max-startups",
        "corpus/server/banner.max-startups/max-startups-1-9.2p1-E.server.log"
    ),
    ex!(
        "connect.sshd-failed",
        "corpus/server/connect.sshd-failed/sshd-failed-port-in-use-9.2p1-E.server.log"
    ),
    ex!(
        "connect.banned",
        "corpus/server/connect.banned/banned-fail2ban-drop-9.2p1-fail2ban.server.log"
    ),
    ex!(
        "slow.step",
        "corpus/slow.step/slow-step-usedns-8.4p1-v1.log"
    ),
    ex!(
        "ok.connected",
        "corpus/ok.connected/ok-connected-7.4p1-v1.log"
    ),
];

/// The example of cause `id`: its trace diagnosed now.
fn example(id: &str, lang: Lang) -> Option<Example> {
    let (_, file, text) = EXAMPLES.iter().find(|(i, _, _)| *i == id)?;
    let split = crate::attempts(text);
    let report = crate::report::Report::of_attempts(&split, lang);
    let d = report.primary();
    Some(Example {
        file,
        cited: d
            .evidence
            .iter()
            .map(|e| (e.place(), e.text.clone()))
            .collect(),
        verdict: crate::render::verdict(&report, false),
        summary: d.summary.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_are_their_causes() {
        for (id, file, text) in EXAMPLES {
            let report = crate::report::Report::of_attempts(&crate::attempts(text), Lang::En);
            assert_eq!(report.primary().id, *id, "{file}");
        }
        // Every cause but the fallbacks has one.
        for c in super::super::catalog() {
            assert!(
                EXAMPLES.iter().any(|(id, _, _)| *id == c.id)
                    || ["auth.failed", "unknown"].contains(&c.id),
                "{} has no example",
                c.id
            );
        }
    }

    #[test]
    fn options_are_read_from_the_doc_as_words() {
        assert!(mentions(
            "set `PasswordAuthentication no`",
            "PasswordAuthentication"
        ));
        assert!(!mentions("KbdInteractiveAuthentication", "Authentication"));
        assert!(!mentions("the Host key changed", "Host"));
        assert!(mentions("a `Host` block", "Host"));
        let p = page(
            super::super::cause("auth.key-rejected").expect("cause"),
            Lang::En,
        );
        assert!(p
            .related
            .iter()
            .any(|(id, _)| *id == "auth.method-unavailable"));
        assert!(p.example.is_some());
    }
}
