//! The whole pipeline on arbitrary bytes: parse → diagnose → render every
//! format. Must never panic, and rendered output must never carry raw
//! terminal control characters from the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sshexplain::render::{self, TextOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(trace) = sshexplain::trace_reader(data) else { return };
    let report = sshexplain::report(&trace);
    let outputs = [
        render::text(&report, TextOptions { color: false, quiet: false }),
        render::json(&report),
        render::markdown(&report),
    ];
    for out in &outputs {
        assert!(!out.contains('\u{1b}') && !out.contains('\u{9b}'), "raw escape in output");
    }
    for line in sshexplain::input::lines(&String::from_utf8_lossy(data)) {
        let event = sshexplain::grammar::parse_line(line.view());
        let _ = render::json_event(&event);
    }
});
