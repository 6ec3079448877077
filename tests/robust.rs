//! Hostile and broken input: never panic, never hang, never let input text
//! reach the terminal with its control characters intact.

use proptest::prelude::*;
use sshexplain::render::{self, TextOptions};

/// Parses, diagnoses and renders in every format; returns all outputs.
fn pipeline(bytes: &[u8]) -> Vec<String> {
    // Reading from memory fails only for input that is not text at all.
    let trace = match sshexplain::trace_reader(bytes) {
        Ok(t) => t,
        Err(e) => {
            assert_eq!(e.to_string(), sshexplain::input::BINARY);
            return Vec::new();
        }
    };
    let report = sshexplain::report(&trace);
    let mut out = vec![
        render::text(
            &report,
            TextOptions {
                color: false,
                quiet: false,
                width: 0,
            },
        ),
        render::text(
            &report,
            TextOptions {
                color: true,
                quiet: false,
                width: 0,
            },
        ),
        render::json(&report),
        render::markdown(&report),
    ];
    for line in sshexplain::input::lines(&String::from_utf8_lossy(bytes)) {
        out.push(render::json_event(&sshexplain::grammar::parse_line(
            line.view(),
        )));
    }
    out
}

/// Control characters the renderers must never pass through (ESC, C1 CSI, BEL, BS, CR).
fn has_raw_controls(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(
            c,
            '\u{1b}' | '\u{9b}' | '\u{7}' | '\u{8}' | '\r' | '\u{202e}'
        )
    })
}

/// Fragments of real ssh lines, to steer random input towards the grammar.
const FRAGMENTS: &[&str] = &[
    "debug1: ",
    "debug3: ",
    "Offering public key: ",
    "Authentications that can continue: ",
    "Permission denied (",
    "Connecting to ",
    " port ",
    "Unable to negotiate with ",
    ". Their offer: ",
    "kex_exchange_identification: ",
    "banner line ",
    "Received disconnect from ",
    ":2: ",
    "@@@@@@@",
    "Offending ED25519 key in ",
    ":99999999999999999999",
    "Authenticated to ",
    " ([",
    "]:",
    ") using \"",
    "channel ",
    ": open failed: ",
    "identity file ",
    " type -",
    "\\n",
    "\\r\\n",
    "via ssh: ",
    "\"msg\": \"",
    "[12:34:56.789] ",
    "Jan  2 03:04:05 host sshd[9]: ",
    "Dec9 03:04:05 h ssh: ",
    "fatal: [h]: UNREACHABLE! => ",
    "2024-01-02T03:04:05Z ",
    "##[error]",
    "{f45bed83-1234-5678-9abc-def012345678} stderr: ",
    "      01 ",
    "> ",
    "ssh -v -p ",
    "GIT_SSH_COMMAND=\"",
    "'",
    "\"",
    "\u{1b}[2J",
    "\u{1b}]0;title\u{7}",
    "\u{9b}",
    "\r",
    "\n",
    "\0",
    "\u{202e}",
    "é",
    "\u{ff}",
];

fn sshish() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(FRAGMENTS).prop_map(|s| s.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..12),
            "[a-zA-Z0-9@:./ -]{0,20}".prop_map(String::into_bytes),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// The streaming reader (blocks, cached searches, lines lent from a
    /// buffer) yields exactly what the whole-string path yields.
    #[test]
    fn stream_and_string_readers_agree(bytes in sshish(), capacity in 1usize..64) {
        let stream: Vec<_> = sshexplain::input::LineReader::new(std::io::BufReader::with_capacity(capacity, &bytes[..]))
            .collect::<std::io::Result<_>>()
            .expect("reading from memory cannot fail");
        let string: Vec<_> = sshexplain::input::lines(&String::from_utf8_lossy(&bytes)).collect();
        prop_assert_eq!(stream, string);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        pipeline(&bytes);
    }

    #[test]
    fn ssh_like_input_never_panics_and_never_leaks_controls(bytes in sshish()) {
        for (i, out) in pipeline(&bytes).iter().enumerate() {
            // Coloured text (i == 1) has our own SGR escapes; strip those first.
            let out = if i == 1 { strip_sgr(out) } else { out.clone() };
            prop_assert!(!has_raw_controls(&out), "raw control character in output {i}: {out:?}");
        }
    }
}

/// Removes `ESC [ ... m` colour sequences.
fn strip_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn hostile_banner_is_rendered_visibly() {
    // A server can send anything before its SSH banner; ssh prints it at -v.
    let log = "debug1: Connection established.\n\
               debug1: kex_exchange_identification: banner line 0: \u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mHTTP/1.1 400\u{9b}1A\n\
               kex_exchange_identification: Connection closed by remote host\n";
    for out in pipeline(log.as_bytes()) {
        assert!(!has_raw_controls(&strip_sgr(&out)), "{out:?}");
    }
    let d = sshexplain::diagnose(log);
    assert_eq!(d.primary.cause.id, "banner.not-ssh");
}

#[test]
fn empty_and_whitespace_input() {
    for input in ["", "\n", "\r\n\r\n", "   \t  "] {
        let trace = sshexplain::trace(input);
        assert!(!trace.has_ssh_output(), "{input:?}");
        pipeline(input.as_bytes());
    }
}

#[test]
fn a_100_mb_line_is_truncated_not_kept() {
    let mut input = Vec::with_capacity(100 * 1024 * 1024 + 100);
    input.extend_from_slice(b"debug1: Offering public key: ");
    input.resize(100 * 1024 * 1024, b'A');
    input.extend_from_slice(b"\nbob@h: Permission denied (publickey).\n");
    let trace = sshexplain::trace_reader(&input[..]).expect("memory");
    assert_eq!(trace.stats.lines, 2);
    let report = sshexplain::report(&trace);
    let text = render::text(&report, TextOptions::default());
    assert!(text.len() < 1_000_000, "report is {} bytes", text.len());
}

#[test]
fn huge_numbers_where_ports_and_lines_go() {
    let log = "debug1: Connecting to h [1.2.3.4] port 99999999999999999999.\n\
               Offending ED25519 key in /k:18446744073709551616\n\
               Received disconnect from 1.2.3.4 port 4294967296:99999999999: x\n\
               debug1: identity file /k type -99999999999999\n\
               channel 99999999999: open failed: x: y\n";
    pipeline(log.as_bytes());
}
