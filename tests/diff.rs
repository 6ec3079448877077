//! `diff` on real working/failing pairs (`corpus/pairs/`): the failing side
//! gets its labelled diagnosis, and the conclusion names the difference the
//! pair was built with.

use std::path::Path;

/// Pair → a phrase the conclusions must contain.
const EXPECT: &[(&str, &str)] = &[
    ("agent-present-absent", "came from the ssh agent"),
    (
        "agent-present-absent-pubkey-on-disk",
        "came from the ssh agent",
    ),
    (
        "client-version-config-option-too-new",
        "client versions differ",
    ),
    ("client-version-mlkem-only-server", "client versions differ"),
    (
        "client-version-rsa-sha1-hostkey",
        "`ssh-rsa` (SHA-1) host key",
    ),
    (
        "client-version-rsa-sha1-signature",
        "refuse SHA-1 `ssh-rsa` signatures",
    ),
    ("config-host-alias-ip", "did not match `Host deploy-target`"),
    (
        "config-host-pattern-ip",
        "did not match `Host *.example.test`",
    ),
    ("key-present-missing", "never offered id_ed25519"),
    ("known-hosts-present-empty", "host key in known_hosts"),
];

/// The failing trace of this pair shows only "key accepted, then never
/// used", which alone cannot tell a missing private key from an unaskable
/// passphrase (auth.key-passphrase, low confidence); the pair's working side
/// is what shows the agent — asserted through the conclusion above.
const SINGLE_TRACE_AMBIGUOUS: &[&str] = &["agent-present-absent-pubkey-on-disk"];

#[test]
fn pairs_are_explained() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pairs");
    let mut seen = 0;
    for (pair, phrase) in EXPECT {
        let dir = root.join(pair);
        let load = |name: &str| {
            sshexplain::trace(&String::from_utf8_lossy(
                &std::fs::read(dir.join(name)).expect("pair log"),
            ))
        };
        let meta: toml::Table = std::fs::read_to_string(dir.join("pair.toml"))
            .expect("pair.toml")
            .parse()
            .expect("toml");
        let d = sshexplain::diff::diff(&load("working.log"), &load("failing.log"));
        assert_eq!(d.working.primary().id, "ok.connected", "{pair}");
        let label = meta
            .get("failing_primary")
            .and_then(|v| v.as_str())
            .expect("failing_primary");
        if !SINGLE_TRACE_AMBIGUOUS.contains(pair) {
            assert_eq!(d.failing.primary().id, label, "{pair}");
        }
        assert!(
            d.conclusions.iter().any(|c| c.contains(phrase)),
            "{pair}: {:#?}",
            d.conclusions
        );
        assert!(d.facts.iter().any(|f| f.differs), "{pair}: no fact differs");
        assert!(d.divergence.is_some(), "{pair}: no divergence found");
        seen += 1;
    }
    let dirs = std::fs::read_dir(&root).expect("corpus/pairs").count();
    assert_eq!(seen, dirs, "every pair in corpus/pairs has an expectation");
}

#[test]
fn identical_traces_have_no_conclusion() {
    let log = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/ok.connected/ok-publickey-9.2p1-v1.log"
    ))
    .expect("log");
    let t = sshexplain::trace(&log);
    let d = sshexplain::diff::diff(&t, &t);
    assert!(
        d.conclusions.is_empty() && d.divergence.is_none() && d.facts.iter().all(|f| !f.differs)
    );
}

/// `diff FILE` on a paste of two attempts (each under a prompt line with
/// its command, in either order) finds the failing side's cause and the
/// difference `diff WORKING FAILING` finds; a paste without both kinds of
/// attempt is refused with exit code 2.
#[test]
fn one_paste_of_two_attempts_is_compared_like_two_files() {
    let bin = env!("CARGO_BIN_EXE_sshexplain");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pairs");
    let scratch = std::env::temp_dir().join(format!("sshexplain-diff-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let json = |args: &[&Path]| -> (Option<i32>, serde_json::Value) {
        let out = std::process::Command::new(bin)
            .args(["diff", "--format", "json"])
            .args(args)
            .output()
            .expect("run sshexplain");
        let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        (out.status.code(), v)
    };
    for (pair, phrase) in EXPECT {
        let dir = root.join(pair);
        let (working, failing) = (dir.join("working.log"), dir.join("failing.log"));
        let (code, two) = json(&[&working, &failing]);
        // Each side under the prompt line of its own command (from `how`).
        let meta = std::fs::read_to_string(dir.join("pair.toml")).expect("pair.toml");
        let commands: Vec<&str> = meta
            .split('`')
            .filter(|c| c.starts_with("ssh ") || c.starts_with("scp "))
            .collect();
        let command = |i: usize| {
            commands
                .get(i)
                .or(commands.first())
                .copied()
                .unwrap_or("ssh h")
        };
        let sides = [(&working, command(0)), (&failing, command(1))];
        for order in [[sides[0], sides[1]], [sides[1], sides[0]]] {
            let mut paste = Vec::new();
            for (log, command) in order {
                paste.extend(format!("$ {command}\n").into_bytes());
                paste.extend(std::fs::read(log).expect("pair log"));
            }
            let file = scratch.join("paste.log");
            std::fs::write(&file, &paste).expect("write paste");
            let (one_code, one) = json(&[&file]);
            assert_eq!(one_code, code, "{pair}");
            // The pasted command lines may tell more (the destination as
            // typed), so the conclusions name the same difference.
            let concluded = one["conclusions"].as_array().is_some_and(|c| {
                c.iter()
                    .any(|c| c.as_str().is_some_and(|c| c.contains(phrase)))
            });
            assert!(concluded, "{pair}: {}", one["conclusions"]);
            assert_eq!(
                one["failing"]["diagnoses"][0]["id"], two["failing"]["diagnoses"][0]["id"],
                "{pair}"
            );
        }
    }
    let (code, _) = json(&[&root.join("key-present-missing/failing.log")]);
    assert_eq!(code, Some(2));
    let _ = std::fs::remove_dir_all(&scratch);
}
