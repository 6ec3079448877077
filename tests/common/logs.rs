//! Every log of the corpus, for the tests that read them all.

use std::path::{Path, PathBuf};

/// Every `.log` under `corpus/`, wild pastes and server logs included,
/// sorted.
pub fn all_logs() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "log") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        &mut out,
    );
    out.sort();
    out
}
