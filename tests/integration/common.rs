//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The project's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sample's path, relative to the root so that snapshots do not depend on the checkout.
pub fn sample(name: &str) -> PathBuf {
    Path::new("samples").join(name)
}

/// The binary, run from the project root, in English and without colours whatever the
/// environment of the test run (snapshots must not depend on it).
pub fn sipladder() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("sipladder");
    cmd.current_dir(root())
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("SSLKEYLOGFILE")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs a prepared command, checks that it succeeded (its standard error in the failure) and
/// returns its standard output.
pub fn stdout_of(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("the binary runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// [`stdout_of`], parsed as JSON.
pub fn json_of(cmd: &mut Command) -> Value {
    let stdout = stdout_of(cmd);
    serde_json::from_slice(&stdout).unwrap_or_else(|e| panic!("not JSON ({e})"))
}

/// Runs `sipladder stats --json` on files and returns the exit code and the parsed JSON.
pub fn stats_json(files: &[PathBuf]) -> (i32, Value) {
    stats_json_with(files, &[])
}

/// `stats --json` on `files` with more arguments (`--tls-keylog FILE`): exit code and JSON.
pub fn stats_json_with(files: &[PathBuf], args: &[&std::ffi::OsStr]) -> (i32, Value) {
    let out = sipladder()
        .arg("stats")
        .arg("--json")
        .args(args)
        .args(files)
        .output()
        .expect("the binary runs");
    let code = out.status.code().expect("exited, not killed by a signal");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stats --json on {files:?} did not print JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

/// Reads a JSON file of expected figures from `tests/data/`.
pub fn expected(name: &str) -> Value {
    let path = root().join("tests/data").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// Compares the per-method, per-status and per-transport counts of `stats --json` with expected
/// ones; returns a description of the differences (empty when equal).
pub fn count_differences(got: &Value, want: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    for section in ["requests", "responses"] {
        let empty = serde_json::Map::new();
        let g = got[section].as_object().unwrap_or(&empty);
        let w = want[section].as_object().unwrap_or(&empty);
        let keys: std::collections::BTreeSet<&String> = g.keys().chain(w.keys()).collect();
        for k in keys {
            let (a, b) = (
                g.get(k).and_then(Value::as_u64),
                w.get(k).and_then(Value::as_u64),
            );
            if a.unwrap_or(0) != b.unwrap_or(0) {
                diffs.push(format!("{section} {k}: got {a:?}, tshark {b:?}"));
            }
        }
    }
    if want
        .get("transports")
        .is_some_and(|t| t.as_object().is_some_and(|t| !t.is_empty()))
        && got["transports"] != want["transports"]
    {
        diffs.push(format!(
            "transports: got {}, tshark {}",
            got["transports"], want["transports"]
        ));
    }
    if got["sip_messages"] != want["sip_messages"] {
        diffs.push(format!(
            "sip_messages: got {}, tshark {}",
            got["sip_messages"], want["sip_messages"]
        ));
    }
    diffs
}

/// `--tls-keylog FILE` for a sample read with a key log (as `tests/data/sample_counts.json`
/// records it), else nothing; `relative` is the path from the project root.
pub fn keylog_args(relative: &str) -> Vec<String> {
    let name = relative.strip_prefix("samples/").unwrap_or(relative);
    match expected("sample_counts.json")[name]["tls_keylog"].as_str() {
        Some(keys) => vec![
            "--tls-keylog".to_string(),
            sample(keys).to_string_lossy().into_owned(),
        ],
        None => Vec::new(),
    }
}
