//! What several test files share.

use std::path::{Path, PathBuf};

/// Every real trace of the corpus (`corpus/<cause>/<name>.log`), sorted.
pub fn corpus_logs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).expect("corpus/").flatten() {
        if let Ok(files) = std::fs::read_dir(dir.path()) {
            out.extend(
                files
                    .flatten()
                    .map(|f| f.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "log")),
            );
        }
    }
    out.sort();
    out
}
