//! Key exchange: proposals, the negotiated algorithms and negotiation failures.

use super::primitives::{all, b, list, port, upto};
use crate::event::{EventKind, KexItem, Side};
use nom::bytes::complete::tag;
use nom::Parser;

/// Key exchange messages without a function prefix.
pub fn parse(msg: &str) -> Option<EventKind<'_>> {
    if msg.starts_with("SSH2_MSG_") || msg.starts_with("expecting SSH2_MSG_") {
        return message(msg);
    }
    if let Some(rest) = msg.strip_prefix("kex: ") {
        return summary(rest);
    }
    if let Some(rest) = msg.strip_prefix("Unable to negotiate with ") {
        return unable(rest);
    }
    if let Some(rest) = msg.strip_prefix("no matching ") {
        return old_no_matching(rest);
    }
    if let Some(rest) = msg.strip_prefix("** ") {
        if rest.starts_with("WARNING: connection is not using a post-quantum") {
            return Some(EventKind::PostQuantumWarning {});
        }
        return Some(EventKind::PostQuantumDetail { text: b(rest) });
    }
    if msg == "local client KEXINIT proposal" {
        return Some(EventKind::KexProposalHeader { side: Side::Client });
    }
    if msg == "peer server KEXINIT proposal" {
        return Some(EventKind::KexProposalHeader { side: Side::Server });
    }
    if msg.starts_with("rekey ") {
        return Some(EventKind::Rekey { text: b(msg) });
    }
    if msg.starts_with("Corrupted MAC on input") {
        return Some(EventKind::CorruptedMac {});
    }
    if let Some(rest) = msg.strip_prefix("Bad packet length ") {
        return Some(EventKind::BadPacketLength {
            length: b(rest.trim_end_matches('.')),
        });
    }
    if let Some(rest) = msg.strip_prefix("Disconnecting") {
        let rest = rest.trim_start_matches(':').trim_start();
        let (peer, reason) = rest.split_once(": ").unwrap_or(("", rest));
        return Some(EventKind::Disconnecting {
            peer: b(peer),
            reason: b(reason),
        });
    }
    proposal(msg)
}

/// `SSH2_MSG_KEXINIT sent`, `expecting SSH2_MSG_KEX_ECDH_REPLY`, ...
fn message(msg: &str) -> Option<EventKind<'_>> {
    if let Some(m) = msg.strip_prefix("expecting ") {
        return Some(EventKind::KexMessage {
            message: b(m),
            expecting: true,
            sent: false,
        });
    }
    if msg.starts_with("SSH2_MSG_SERVICE_ACCEPT") || msg.starts_with("SSH2_MSG_EXT_INFO") {
        return Some(EventKind::ServiceAccept {});
    }
    let (m, dir) = msg.rsplit_once(' ')?;
    match dir {
        "sent" => Some(EventKind::KexMessage {
            message: b(m),
            expecting: false,
            sent: true,
        }),
        "received" => Some(EventKind::KexMessage {
            message: b(m),
            expecting: false,
            sent: false,
        }),
        _ => None,
    }
}

/// `kex: algorithm: X`, `kex: host key algorithm: X`,
/// `kex: server->client cipher: C MAC: M compression: Z` (and the 6.x form
/// `kex: server->client aes128-ctr hmac-md5 none`).
fn summary(rest: &str) -> Option<EventKind<'_>> {
    if let Some(name) = rest.strip_prefix("algorithm: ") {
        return Some(EventKind::KexAlgorithm { name: b(name) });
    }
    if let Some(name) = rest.strip_prefix("host key algorithm: ") {
        return Some(EventKind::KexHostKeyAlgorithm { name: b(name) });
    }
    let (direction, tail) = rest.split_once(' ')?;
    if !direction.contains("->") {
        return None;
    }
    if let Ok((_, (_, cipher, _, mac, _, compression))) = (
        tag("cipher: "),
        upto(" MAC: "),
        tag(" MAC: "),
        upto(" compression: "),
        tag(" compression: "),
        all,
    )
        .parse(tail)
    {
        return Some(EventKind::KexCipher {
            direction: b(direction),
            cipher: b(cipher),
            mac: b(mac),
            compression: b(compression),
        });
    }
    let mut parts = tail.split(' ');
    let (cipher, mac, compression) = (parts.next()?, parts.next()?, parts.next()?);
    Some(EventKind::KexCipher {
        direction: b(direction),
        cipher: b(cipher),
        mac: b(mac),
        compression: b(compression),
    })
}

/// `A port P: no matching X found. Their offer: LIST`
fn unable(rest: &str) -> Option<EventKind<'_>> {
    let (peer, tail) = rest.split_once(": ")?;
    let (address, p) = match peer.split_once(" port ") {
        Some((a, p)) => (a, port(p).map(|(_, p)| p).unwrap_or(0)),
        None => (peer, 0),
    };
    let (what, offer) = tail.split_once(". Their offer: ").unwrap_or((tail, ""));
    Some(EventKind::NoMatchingAlgorithm {
        address: b(address),
        port: p,
        item: kex_item(what)?,
        their_offer: list(offer),
    })
}

/// 6.x: `no matching cipher found: client LIST server LIST`
fn old_no_matching(rest: &str) -> Option<EventKind<'_>> {
    let (what, tail) = rest.split_once(" found")?;
    let offer = tail.split_once(" server ").map(|(_, s)| s).unwrap_or("");
    Some(EventKind::NoMatchingAlgorithm {
        address: b(""),
        port: 0,
        item: kex_item(&format!("no matching {what} found"))?,
        their_offer: list(offer),
    })
}

fn kex_item(what: &str) -> Option<KexItem> {
    let w = what.to_ascii_lowercase();
    Some(if w.contains("key exchange") || w.contains("kex") {
        KexItem::Kex
    } else if w.contains("host key") {
        KexItem::HostKey
    } else if w.contains("cipher") {
        KexItem::Cipher
    } else if w.contains("mac") {
        KexItem::Mac
    } else if w.contains("comp") {
        KexItem::Compression
    } else {
        return None;
    })
}

/// debug2 proposal lines: `KEX algorithms: ...`, `ciphers ctos: ...`.
fn proposal(msg: &str) -> Option<EventKind<'_>> {
    const FIELDS: [&str; 11] = [
        "KEX algorithms",
        "host key algorithms",
        "ciphers ctos",
        "ciphers stoc",
        "MACs ctos",
        "MACs stoc",
        "compression ctos",
        "compression stoc",
        "languages ctos",
        "languages stoc",
        "first_kex_follows",
    ];
    for field in FIELDS {
        if let Some(rest) = msg.strip_prefix(field) {
            let value = rest.trim_start_matches(':').trim();
            return Some(EventKind::KexProposal {
                field: b(field),
                list: list(value),
            });
        }
    }
    if let Some(rest) = msg.strip_prefix("reserved ") {
        return Some(EventKind::KexProposal {
            field: b("reserved"),
            list: list(rest),
        });
    }
    None
}

/// `Server host key: TYPE FP`, `Server host certificate: ...`.
pub fn server(msg: &str) -> Option<EventKind<'_>> {
    if let Some(rest) = msg.strip_prefix("Server host key: ") {
        let (key_type, fp) = rest.split_once(' ').unwrap_or((rest, ""));
        return Some(EventKind::ServerHostKey {
            key_type: b(key_type),
            fingerprint: b(fp),
        });
    }
    if let Some(rest) = msg.strip_prefix("Server host certificate: ") {
        return Some(EventKind::ServerHostCertificate { text: b(rest) });
    }
    None
}

/// `kex_input_ext_info: server-sig-algs=<...>` and other extensions.
pub fn ext_info(msg: &str) -> Option<EventKind<'_>> {
    if let Some(name) = msg.strip_suffix(" (unrecognised)") {
        return Some(EventKind::ExtInfo {
            name: b(name),
            value: b(""),
        });
    }
    let (name, value) = msg.split_once('=')?;
    let value = value.trim_start_matches('<').trim_end_matches('>');
    if name == "server-sig-algs" {
        return Some(EventKind::ServerSigAlgs {
            algorithms: list(value),
        });
    }
    Some(EventKind::ExtInfo {
        name: b(name),
        value: b(value),
    })
}

#[cfg(test)]
mod tests {
    use crate::event::{EventKind, KexItem};
    use crate::grammar::parse_text;

    fn k(s: &str) -> EventKind<'_> {
        parse_text(s).1
    }

    #[test]
    fn negotiated() {
        assert!(matches!(
            k("debug1: SSH2_MSG_KEXINIT sent"),
            EventKind::KexMessage { sent: true, .. }
        ));
        assert!(matches!(
            k("debug1: expecting SSH2_MSG_KEX_ECDH_REPLY"),
            EventKind::KexMessage {
                expecting: true,
                ..
            }
        ));
        assert!(matches!(
            k("debug1: kex: algorithm: sntrup761x25519-sha512"),
            EventKind::KexAlgorithm { .. }
        ));
        assert!(matches!(
            k("debug1: kex: host key algorithm: ssh-ed25519"),
            EventKind::KexHostKeyAlgorithm { .. }
        ));
        assert!(matches!(
            k("debug1: kex: server->client cipher: chacha20-poly1305@openssh.com MAC: <implicit> compression: none"),
            EventKind::KexCipher { .. }
        ));
        assert!(matches!(
            k("debug1: kex: server->client aes128-ctr hmac-md5 none"),
            EventKind::KexCipher { .. }
        ));
        assert!(matches!(
            k("debug1: Server host key: ssh-ed25519 SHA256:abc"),
            EventKind::ServerHostKey { .. }
        ));
        assert!(matches!(
            k("debug2: KEX algorithms: curve25519-sha256,ext-info-c"),
            EventKind::KexProposal { .. }
        ));
    }

    #[test]
    fn negotiation_failures() {
        match k("Unable to negotiate with 127.0.0.1 port 2207: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1") {
            EventKind::NoMatchingAlgorithm { item, their_offer, port, .. } => {
                assert_eq!(item, KexItem::Kex);
                assert_eq!(port, 2207);
                assert!(their_offer.contains("diffie-hellman-group1-sha1"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            k("Unable to negotiate with 10.0.0.1 port 22: no matching host key type found. Their offer: ssh-rsa,ssh-dss"),
            EventKind::NoMatchingAlgorithm { item: KexItem::HostKey, .. }
        ));
        assert!(matches!(
            k("no matching cipher found: client aes128-ctr server aes128-cbc,3des-cbc"),
            EventKind::NoMatchingAlgorithm {
                item: KexItem::Cipher,
                ..
            }
        ));
        assert!(matches!(
            k("debug1: kex_input_ext_info: server-sig-algs=<ssh-ed25519,rsa-sha2-256>"),
            EventKind::ServerSigAlgs { .. }
        ));
        assert!(matches!(
            k("** WARNING: connection is not using a post-quantum key exchange algorithm."),
            EventKind::PostQuantumWarning {}
        ));
        assert_eq!(k("Corrupted MAC on input."), EventKind::CorruptedMac {});
        assert!(matches!(
            k("Bad packet length 1349676916."),
            EventKind::BadPacketLength { .. }
        ));
        assert!(matches!(
            k("Disconnecting 127.0.0.1 port 2270: Packet corrupt"),
            EventKind::Disconnecting { .. }
        ));
    }
}
