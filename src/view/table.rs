//! The call table as data for the page's script: one compact JSON array per call, hosts
//! numbered once, so that a report of 100,000 calls stays small and its table is drawn a page
//! at a time instead of as 100,000 rows of HTML.

use rustc_hash::FxHashMap as HashMap;
use serde_json::{Value, json};

use crate::render::html::{AttackView, CallView, script_json};

/// The order of the values in each row, written in the JSON for the script to read.
const COLUMNS: [&str; 16] = [
    "id",
    "kind",
    "start",
    "from",
    "to",
    "state",
    "status_code",
    "status",
    "messages",
    "retransmissions",
    "duplicates",
    "setup_ms",
    "duration_ms",
    "participants",
    "problems",
    "attack",
];

/// `{"columns":[…],"hosts":[…],"rows":[[…],…]}` for `calls`, safe inside `<script>`;
/// `participants` holds indices into `hosts`, the section of a detailed call is `call-{id}`.
/// `attacks` are given as `{"number","code","line","shape","exchanges"}`: the script shows the
/// rows of each as one until asked for them one by one.
pub fn rows_json(calls: &[CallView], attacks: &[AttackView]) -> String {
    let mut hosts: Vec<&str> = Vec::new();
    let mut numbers: HashMap<&str, usize> = HashMap::default();
    let rows: Vec<Value> = calls
        .iter()
        .map(|c| {
            let participants: Vec<usize> = c
                .participants
                .split(", ")
                .filter(|p| !p.is_empty())
                .map(|p| {
                    *numbers.entry(p).or_insert_with(|| {
                        hosts.push(p);
                        hosts.len() - 1
                    })
                })
                .collect();
            json!([
                c.id,
                c.kind,
                c.start,
                c.from,
                c.to,
                c.state,
                c.status_code,
                c.status,
                c.messages,
                c.retransmissions,
                c.duplicates,
                c.setup_ms,
                (c.duration != "-").then_some(c.duration_ms),
                participants,
                c.problems,
                c.attack,
            ])
        })
        .collect();
    let page = json!({ "columns": COLUMNS, "hosts": hosts, "rows": rows, "attacks": attacks });
    script_json(&page.to_string())
}
