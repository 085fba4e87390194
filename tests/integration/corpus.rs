//! `stats` on the public corpus named by `SIPLADDER_CORPUS` (`.ci/run` sets it to
//! `../shared/captures`). A fresh clone has no corpus: the tests then say so and pass.
//!
//! Expected figures come from tshark (`tests/data/corpus_counts.json`, with the command and
//! decode-as hints used), for every capture: direct links, tunnels (ERSPAN, IP-in-IP, PPPoE),
//! SCTP and WebSocket alike.

use std::path::PathBuf;

use crate::common::{count_differences, expected, stats_json};

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("SIPLADDER_CORPUS")?);
    dir.is_dir().then_some(dir)
}

#[test]
fn every_capture_counts_like_tshark() {
    let Some(dir) = corpus() else {
        eprintln!("SIPLADDER_CORPUS is not set: corpus comparison skipped");
        return;
    };
    let want = expected("corpus_counts.json");
    let mut failures = Vec::new();
    let mut compared = 0;
    for (name, want) in want.as_object().expect("an object keyed by file") {
        let path = dir.join(name);
        if !path.exists() {
            failures.push(format!("{name}: missing from {dir:?}"));
            continue;
        }
        let (code, got) = stats_json(&[path]);
        if code != 0 {
            failures.push(format!("{name}: exit {code}"));
        }
        compared += 1;
        failures.extend(
            count_differences(&got, want)
                .into_iter()
                .map(|d| format!("{name}: {d}")),
        );
    }
    assert!(compared >= 28, "only {compared} captures compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
