//! `src/sshexplain-1.schema.json` describes what `--format json` prints:
//! every corpus report, in both languages, and the objects for inputs
//! without a report, validate against it.

#[path = "common/logs.rs"]
mod logs;

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/sshexplain-1.schema.json"
    ))
    .expect("schema file");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_corpus_report_validates() {
    let v = validator();
    let all = logs::all_logs();
    assert!(all.len() > 900, "{} logs", all.len());
    let mut checked = 0;
    for (i, path) in all.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let split = sshexplain::attempts(&text);
        // Every trace in English; every fifth also in Japanese.
        let langs: &[sshexplain::lang::Lang] = if i % 5 == 0 {
            &[sshexplain::lang::Lang::En, sshexplain::lang::Lang::Ja]
        } else {
            &[sshexplain::lang::Lang::En]
        };
        for &lang in langs {
            let report = sshexplain::report::Report::of_attempts(&split, lang);
            let doc: serde_json::Value =
                serde_json::from_str(&sshexplain::render::json(&report)).expect("JSON");
            let e = errors(&v, &doc);
            assert!(e.is_empty(), "{}: {e:#?}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn several_inputs_give_one_array_and_every_input_an_object() {
    let v = validator();
    let dir = std::env::temp_dir().join(format!("sshexplain-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let empty = dir.join("empty.log");
    std::fs::write(&empty, "").expect("write");
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/auth.key-rejected/auth-key-rejected-9.2p1-v1.log"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sshexplain"))
        .args(["--format", "json", log])
        .arg(&empty)
        .arg(dir.join("missing.log"))
        .output()
        .expect("run");
    let docs: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let docs = docs.as_array().expect("an array");
    let outcomes: Vec<&str> = docs.iter().filter_map(|d| d["outcome"].as_str()).collect();
    assert_eq!(outcomes, ["failed", "no_ssh_output", "error"]);
    for d in docs {
        assert!(errors(&v, d).is_empty(), "{d}: {:#?}", errors(&v, d));
    }
    // JSON Lines: the same objects, one per line.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sshexplain"))
        .args(["--format", "jsonl", log])
        .arg(&empty)
        .output()
        .expect("run");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 2);
    // One input: one object, also when it holds no ssh output.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sshexplain"))
        .args(["--format", "json"])
        .arg(&empty)
        .output()
        .expect("run");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("an object");
    assert_eq!(doc["outcome"], "no_ssh_output");
    assert!(errors(&v, &doc).is_empty());
    assert_eq!(out.status.code(), Some(3));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_schema_rejects_what_it_does_not_describe() {
    let v = validator();
    let log = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/auth.key-rejected/auth-key-rejected-9.2p1-v1.log"
    ))
    .expect("log");
    let report = sshexplain::report(&sshexplain::trace(&log));
    let good: serde_json::Value =
        serde_json::from_str(&sshexplain::render::json(&report)).expect("JSON");
    assert!(errors(&v, &good).is_empty());
    let mut no_where = good.clone();
    no_where["diagnoses"][0]["remediation"][0]
        .as_object_mut()
        .expect("step")
        .remove("where");
    assert!(!errors(&v, &no_where).is_empty());
    let mut extra = good.clone();
    extra["surprise"] = serde_json::json!(1);
    assert!(!errors(&v, &extra).is_empty());
    let mut bad_outcome = good;
    bad_outcome["outcome"] = serde_json::json!("maybe");
    assert!(!errors(&v, &bad_outcome).is_empty());
}
