//! Host key verification: known_hosts, the change and spoofing warnings,
//! first-contact prompts, host certificates.

use super::primitives::{all, b, path_line, single_quoted, upto};
use crate::event::EventKind;
use nom::bytes::complete::tag;
use nom::Parser;

/// The fixed sentences of ssh's warning blocks.
const BLOCK_SENTENCES: [&str; 6] = [
    "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!",
    "Someone could be eavesdropping on you right now (man-in-the-middle attack)!",
    "It is also possible that a host key has just been changed.",
    "Please contact your system administrator.",
    "This key is not known by any other names.",
    "This host key is known by the following other names/addresses:",
];

/// `load_hostkeys: fopen PATH: ERR`
pub fn load_hostkeys(msg: &str) -> Option<EventKind<'_>> {
    let rest = msg.strip_prefix("fopen ")?;
    let (path, _) = rest.rsplit_once(": ")?;
    Some(EventKind::KnownHostsMissing { path: b(path) })
}

/// Host key messages.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    let t = msg.trim();
    if t.starts_with('@') {
        return Some(frame(t));
    }
    if BLOCK_SENTENCES.contains(&t) {
        return Some(EventKind::WarningBlockText { text: b(t) });
    }
    if t.starts_with("SHA256:") || t.starts_with("MD5:") {
        return Some(EventKind::FingerprintLine {
            fingerprint: b(t.trim_end_matches('.')),
        });
    }
    if t == "remove with:" {
        return Some(EventKind::RemoveWith { command: None });
    }
    if t.starts_with("ssh-keygen ") && t.contains(" -R ") {
        return Some(EventKind::RemoveWith {
            command: Some(b(t)),
        });
    }
    if let Ok((_, (_, host, _, key_type))) = (
        tag("Host "),
        single_quoted,
        tag(" is known and matches the "),
        upto(" host"),
    )
        .parse(t)
    {
        return Some(EventKind::HostKeyKnown {
            host: b(host),
            key_type: b(key_type),
        });
    }
    if let Some(rest) = t
        .strip_prefix("Found key in ")
        .or_else(|| t.strip_prefix("Found CA key in "))
    {
        let (path, line_no) = path_line(rest)?;
        return Some(EventKind::HostKeyFoundIn {
            path: b(path),
            line_no,
        });
    }
    if t.starts_with("Host key verification failed") {
        return Some(EventKind::HostKeyVerificationFailed {});
    }
    if let Some(rest) = t.strip_prefix("Host key for ") {
        let host = rest.split(" has changed").next()?;
        return Some(EventKind::HostKeyChangedStrict { host: b(host) });
    }
    if let Ok((_, (_, key_type, _))) = (
        tag("The fingerprint for the "),
        upto(" key sent by the remote host is"),
        tag(" key sent"),
    )
        .parse(t)
    {
        return Some(EventKind::FingerprintIntro {
            key_type: b(key_type),
        });
    }
    if let Ok((_, (_, path, _))) = (
        tag("Add correct host key in "),
        upto(" to get rid"),
        tag(" to get rid"),
    )
        .parse(t)
    {
        return Some(EventKind::AddCorrectHostKey { path: b(path) });
    }
    if let Some(rest) = t.strip_prefix("Offending key for IP in ") {
        let (path, line_no) = path_line(rest)?;
        return Some(EventKind::OffendingIpKey {
            path: b(path),
            line_no,
        });
    }
    if let Ok((_, (_, key_type, _, loc))) =
        (tag("Offending "), upto(" key in "), tag(" key in "), all).parse(t)
    {
        let (path, line_no) = path_line(loc)?;
        return Some(EventKind::OffendingKey {
            key_type: b(key_type),
            path: b(path),
            line_no,
        });
    }
    if let Some(rest) = t.strip_prefix("Matching host key in ") {
        let (path, line_no) = path_line(rest)?;
        return Some(EventKind::MatchingHostKey {
            path: b(path),
            line_no,
        });
    }
    if let Ok((_, (_, key_type, _, host))) = (
        tag("No "),
        upto(" host key is known for "),
        tag(" host key is known for "),
        upto(" and you have requested"),
    )
        .parse(t)
    {
        return Some(EventKind::HostKeyUnknownStrict {
            key_type: b(key_type),
            host: b(host),
        });
    }
    if let Some(rest) = t.strip_prefix("The authenticity of host '") {
        let host = rest.split("' can't").next().unwrap_or(rest);
        let host = host.split(" (").next().unwrap_or(host);
        return Some(EventKind::HostAuthenticityUnknown { host: b(host) });
    }
    if t.starts_with("Are you sure you want to continue connecting") {
        let answer = t.rsplit_once('?').map_or("", |(_, a)| a.trim());
        return Some(EventKind::ContinueConnectingPrompt { answer: b(answer) });
    }
    if let Ok((_, (_, host, _, key_type))) = (
        tag("Warning: Permanently added "),
        single_quoted,
        tag(" ("),
        upto(")"),
    )
        .parse(t)
    {
        return Some(EventKind::PermanentlyAdded {
            host: b(host),
            key_type: b(key_type),
        });
    }
    if t.starts_with("Warning: Permanently added the ") {
        return Some(EventKind::PermanentlyAdded {
            host: b(""),
            key_type: b(""),
        });
    }
    if t.starts_with("Failed to add the ") {
        let path = t
            .rsplit_once(" (")
            .map(|(_, p)| p.trim_end_matches(").").trim_end_matches(')'))
            .unwrap_or("");
        return Some(EventKind::KnownHostsAddFailed { path: b(path) });
    }
    if let Some(rest) = t.strip_prefix("Could not create directory '") {
        let path = rest.split('\'').next().unwrap_or(rest);
        return Some(EventKind::KnownHostsAddFailed { path: b(path) });
    }
    if let Ok((_, (_, key_type, _, host, _, address))) = (
        tag("Warning: the "),
        upto(" host key for "),
        tag(" host key for "),
        single_quoted,
        tag(" differs from the key for the IP address "),
        single_quoted,
    )
        .parse(t)
    {
        return Some(EventKind::IpKeyDiffers {
            key_type: b(key_type),
            host: b(host),
            address: b(address),
        });
    }
    if t.starts_with("The server has updated its host keys")
        || t.starts_with("These changes were verified")
    {
        return Some(EventKind::HostkeysUpdate { text: b(t) });
    }
    if let Some(fp) = t.strip_prefix("Host key fingerprint is") {
        let fp = fp.trim_start_matches(':').trim();
        return Some(EventKind::KeyFingerprintIs {
            key_type: b(""),
            fingerprint: b(fp),
        });
    }
    if let Some(reason) = t.strip_prefix("Certificate invalid: ") {
        return Some(EventKind::CertificateInvalid { reason: b(reason) });
    }
    if t.starts_with("No matching CA found") {
        return Some(EventKind::NoMatchingCa {});
    }
    if t.ends_with("is disabled to avoid man-in-the-middle attacks.")
        || t.starts_with("UpdateHostkeys is disabled")
    {
        let feature = t.split(" is disabled").next().unwrap_or(t);
        return Some(EventKind::MitmFeatureDisabled {
            feature: b(feature),
        });
    }
    by_shape(t)
}

/// Lines that start with a key type: `ED25519 key fingerprint is SHA256:x.`,
/// `ECDSA host key for H has changed and you have requested strict checking.`
pub fn by_shape(t: &str) -> Option<EventKind<'_>> {
    let (first, rest) = t.split_once(' ')?;
    if !super::primitives::looks_like_key_type(first) {
        return None;
    }
    if let Some(fp) = rest.strip_prefix("key fingerprint is") {
        let fp = fp.trim_start_matches(':').trim().trim_end_matches('.');
        return Some(EventKind::KeyFingerprintIs {
            key_type: b(first),
            fingerprint: b(fp),
        });
    }
    if let Some(host) = rest.strip_prefix("host key for ") {
        if let Some((host, _)) =
            host.split_once(" has changed and you have requested strict checking")
        {
            return Some(EventKind::HostKeyChangedStrict { host: b(host) });
        }
    }
    None
}

/// `@@@@` frames and the framed warning titles.
fn frame(t: &str) -> EventKind<'_> {
    let inner = t.trim_matches('@').trim();
    if inner.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") {
        EventKind::HostKeyChangedBanner {}
    } else if inner.contains("POSSIBLE DNS SPOOFING DETECTED") {
        EventKind::DnsSpoofingBanner {}
    } else if inner.contains("UNPROTECTED PRIVATE KEY FILE") {
        EventKind::UnprotectedKeyBanner {}
    } else {
        EventKind::WarningBlockText { text: b(t) }
    }
}

#[cfg(test)]
mod tests {
    use crate::event::EventKind;
    use crate::grammar::parse_text;

    fn k(s: &str) -> EventKind<'_> {
        parse_text(s).1
    }

    #[test]
    fn known_hosts() {
        assert!(matches!(
            k("debug1: Host '[127.0.0.1]:2201' is known and matches the ED25519 host key."),
            EventKind::HostKeyKnown { .. }
        ));
        assert_eq!(
            k("debug1: Found key in /home/u/.ssh/known_hosts:3"),
            EventKind::HostKeyFoundIn {
                path: "/home/u/.ssh/known_hosts".into(),
                line_no: 3
            }
        );
        assert!(matches!(
            k("debug1: load_hostkeys: fopen /home/u/.ssh/known_hosts2: No such file or directory"),
            EventKind::KnownHostsMissing { .. }
        ));
    }

    #[test]
    fn changed_block() {
        assert_eq!(
            k("@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @"),
            EventKind::HostKeyChangedBanner {}
        );
        assert!(matches!(
            k("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"),
            EventKind::WarningBlockText { .. }
        ));
        assert!(matches!(
            k("The fingerprint for the ED25519 key sent by the remote host is"),
            EventKind::FingerprintIntro { .. }
        ));
        assert!(matches!(
            k("SHA256:AbCd/ef+g."),
            EventKind::FingerprintLine { .. }
        ));
        assert_eq!(
            k("Offending ECDSA key in /home/u/.ssh/known_hosts:12"),
            EventKind::OffendingKey {
                key_type: "ECDSA".into(),
                path: "/home/u/.ssh/known_hosts".into(),
                line_no: 12
            }
        );
        assert!(matches!(
            k("  ssh-keygen -f '/home/u/.ssh/known_hosts' -R '[127.0.0.1]:2201'"),
            EventKind::RemoveWith { command: Some(_) }
        ));
        assert!(matches!(
            k("Host key for [127.0.0.1]:2201 has changed and you have requested strict checking."),
            EventKind::HostKeyChangedStrict { .. }
        ));
        assert!(matches!(
            k("ED25519 host key for [127.0.0.1]:2201 has changed and you have requested strict checking."),
            EventKind::HostKeyChangedStrict { .. }
        ));
        assert_eq!(
            k("Host key verification failed."),
            EventKind::HostKeyVerificationFailed {}
        );
        assert!(matches!(
            k("Add correct host key in /home/u/.ssh/known_hosts to get rid of this message."),
            EventKind::AddCorrectHostKey { .. }
        ));
        assert!(matches!(
            k("Password authentication is disabled to avoid man-in-the-middle attacks."),
            EventKind::MitmFeatureDisabled { .. }
        ));
    }

    #[test]
    fn first_contact_and_ip() {
        assert!(matches!(
            k("No ED25519 host key is known for [127.0.0.1]:2201 and you have requested strict checking."),
            EventKind::HostKeyUnknownStrict { .. }
        ));
        assert!(matches!(
            k("The authenticity of host 'pi.local (192.168.1.5)' can't be established."),
            EventKind::HostAuthenticityUnknown { .. }
        ));
        assert!(matches!(
            k("ED25519 key fingerprint is SHA256:abc."),
            EventKind::KeyFingerprintIs { .. }
        ));
        assert!(matches!(
            k("Warning: Permanently added '[127.0.0.1]:2201' (ED25519) to the list of known hosts."),
            EventKind::PermanentlyAdded { .. }
        ));
        assert!(matches!(
            k("Failed to add the host to the list of known hosts (/home/u/.ssh/known_hosts)."),
            EventKind::KnownHostsAddFailed { .. }
        ));
        assert!(matches!(
            k("Warning: the ED25519 host key for 'server1.example.test' differs from the key for the IP address '192.0.2.10'"),
            EventKind::IpKeyDiffers { .. }
        ));
        assert!(matches!(
            k("Offending key for IP in /h/known_hosts:5"),
            EventKind::OffendingIpKey { .. }
        ));
        assert_eq!(
            k("@       WARNING: POSSIBLE DNS SPOOFING DETECTED!          @"),
            EventKind::DnsSpoofingBanner {}
        );
        assert!(matches!(
            k("Certificate invalid: expired"),
            EventKind::CertificateInvalid { .. }
        ));
        assert_eq!(
            k("debug1: No matching CA found. Retry with plain key"),
            EventKind::NoMatchingCa {}
        );
    }
}
