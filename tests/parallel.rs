//! Reading in batches parsed on every core gives the same attempts as
//! pushing the lines one by one: on random concatenations of real traces
//! and server logs, large enough to span many batches.

use proptest::prelude::*;
use sshexplain::attempts::{Split, Splitter};
use sshexplain::input::{Decoder, LineReader};
use sshexplain::lang::Lang;
use std::path::Path;
use std::sync::OnceLock;

mod common;

/// Every real input: the corpus's traces, the wild pastes and the server logs.
fn inputs() -> &'static [Vec<u8>] {
    static ALL: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    ALL.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut paths = common::corpus_logs();
        for dir in ["wild/tuned", "server/*", "server-wild/tuned"] {
            let (base, nested) = dir
                .split_once("/*")
                .map_or((dir, false), |(b, _)| (b, true));
            let dirs: Vec<_> = if nested {
                std::fs::read_dir(root.join(base))
                    .map(|d| d.flatten().map(|e| e.path()).collect())
                    .unwrap_or_default()
            } else {
                vec![root.join(base)]
            };
            for d in dirs {
                if let Ok(files) = std::fs::read_dir(d) {
                    paths.extend(
                        files
                            .flatten()
                            .map(|f| f.path())
                            .filter(|p| p.extension().is_some_and(|e| e == "log")),
                    );
                }
            }
        }
        paths.sort();
        paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
    })
}

/// The reference: one line at a time, on this thread.
fn one_by_one(mut s: Splitter, client: &[u8], server: Option<&[u8]>) -> Split {
    let push = |s: &mut Splitter, bytes: &[u8]| {
        let mut lines = LineReader::new(Decoder::new(bytes));
        while let Some(line) = lines.next_line() {
            s.push_line(line.expect("in memory"));
        }
    };
    push(&mut s, client);
    if let Some(server) = server {
        s.server_input();
        push(&mut s, server);
    }
    s.finish()
}

/// At least `min` bytes of the chosen inputs, one after another.
fn concat(picks: &[prop::sample::Index], min: usize) -> Vec<u8> {
    let all = inputs();
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < min {
        out.extend_from_slice(&all[picks[i % picks.len()].index(all.len())]);
        i += 1;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn batches_give_the_attempts_lines_one_by_one_give(
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..40),
        min in 0usize..1_500_000,
    ) {
        let text = concat(&picks, min);
        let batched = sshexplain::attempts_reader_keeping(&text[..], Lang::En).expect("in memory");
        prop_assert_eq!(format!("{batched:?}"), format!("{:?}", one_by_one(Splitter::keeping(Lang::En), &text, None)));
    }

    #[test]
    fn batches_of_a_server_log_given_apart_agree_too(
        client in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
        server in prop::collection::vec(any::<prop::sample::Index>(), 1..40),
    ) {
        let (client, server) = (concat(&client, 0), concat(&server, 700_000));
        let batched = sshexplain::attempts_with_server(&client[..], &server[..], Lang::En).expect("in memory");
        let reference = one_by_one(Splitter::new(Lang::En), &client, Some(&server));
        prop_assert_eq!(format!("{batched:?}"), format!("{reference:?}"));
    }
}
