//! `stats` on the public corpus named by `SIPLADDER_CORPUS` (`.ci/run` sets it to
//! `../shared/captures`). A fresh clone has no corpus: the tests then say so and pass.
//!
//! Expected figures come from tshark (`tests/data/corpus_counts.json`, with the command and
//! decode-as hints used). Captures whose SIP travels in tunnels, SCTP or WebSocket belong to a
//! later layer; for them the test checks only that nothing is counted that tshark does not see.

use std::path::PathBuf;

use crate::common::{count_differences, expected, stats_json};

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("SIPLADDER_CORPUS")?);
    dir.is_dir().then_some(dir)
}

#[test]
fn direct_captures_count_like_tshark() {
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
        if want["scope"] == "direct" {
            compared += 1;
            failures.extend(
                count_differences(&got, want)
                    .into_iter()
                    .map(|d| format!("{name}: {d}")),
            );
        } else {
            let (g, w) = (got["sip_messages"].as_u64(), want["sip_messages"].as_u64());
            if g > w {
                failures.push(format!("{name}: {g:?} messages, more than tshark's {w:?}"));
            }
        }
    }
    assert!(compared >= 15, "only {compared} direct captures compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
