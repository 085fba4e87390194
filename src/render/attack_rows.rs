//! The exchanges of one attack shown as one line of the `calls` table, with their count: an
//! attack is hundreds or millions of exchanges alike, which hide the few that matter.
//! `calls --expand` lists them one by one, and `calls --json` always does.

use std::collections::BTreeMap;

use comfy_table::{Cell, CellAlignment};
use rustc_hash::FxHashMap as HashMap;

use crate::correlate::CallSummary;
use crate::correlate::attack::AttackFinding;
use crate::correlate::attack::verdict::thousands;
use crate::explain::Lang;

/// The exchanges of one attack.
pub struct Group<'a> {
    /// The attack.
    pub attack: &'a AttackFinding,
    /// Its exchanges, in order.
    pub calls: Vec<&'a CallSummary>,
}

/// A line of the table: an exchange alone, or all those of an attack.
pub enum Line<'a> {
    /// One exchange.
    Exchange(&'a CallSummary),
    /// The exchanges of an attack, where its first one would be.
    Attack(Group<'a>),
}

/// The lines of `calls`, the exchanges of each attack of `attacks` gathered in one.
pub fn lines<'a>(calls: &[&'a CallSummary], attacks: &'a [AttackFinding]) -> Vec<Line<'a>> {
    let by_number: HashMap<usize, &AttackFinding> = attacks.iter().map(|a| (a.number, a)).collect();
    let mut members: HashMap<usize, Vec<&CallSummary>> = HashMap::default();
    for c in calls {
        if let Some(n) = c.attack.filter(|n| by_number.contains_key(n)) {
            members.entry(n).or_default().push(c);
        }
    }
    // One exchange listed (a filter chose it) is shown as itself.
    members.retain(|_, calls| calls.len() > 1);
    let grouping: Vec<usize> = members.keys().copied().collect();
    let mut out = Vec::new();
    for c in calls {
        match c.attack.filter(|n| grouping.contains(n)) {
            None => out.push(Line::Exchange(c)),
            Some(n) => {
                let attack = by_number.get(&n);
                if let (Some(attack), Some(calls)) = (attack, members.remove(&n)) {
                    out.push(Line::Attack(Group { attack, calls }));
                }
            }
        }
    }
    out
}

/// How many of each value, most first: `failed ×480, timed-out ×20`.
fn tally<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let mut all: Vec<(&str, u64)> = counts.into_iter().collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    all.iter()
        .map(|(v, n)| format!("{v} ×{}", thousands(*n)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The table row of an attack's exchanges.
pub fn row(g: &Group<'_>, lang: Lang) -> Vec<Cell> {
    let (Some(first), Some(last)) = (g.calls.first(), g.calls.last()) else {
        return Vec::new();
    };
    let time = first.start.get(11..23).unwrap_or(&first.start);
    let end = g
        .calls
        .iter()
        .map(|c| c.end_ts)
        .max()
        .unwrap_or(first.end_ts);
    let span = u64::try_from(end.nanos_since(first.start_ts) / 1_000_000).ok();
    let finals: Vec<String> = g
        .calls
        .iter()
        .map(|c| c.final_status.map_or("-".to_string(), |s| s.to_string()))
        .collect();
    let codes = g.calls.iter().flat_map(|c| {
        c.diagnosis
            .iter()
            .flatten()
            .filter(|d| d.is_problem())
            .map(|d| d.code)
    });
    let text = format!(
        "{}\n{}",
        crate::explain::attack::line(g.attack, lang),
        crate::explain::attack::shape(g.attack, lang)
    );
    vec![
        Cell::new(format!("{}…{}", first.id, last.id)).set_alignment(CellAlignment::Right),
        Cell::new(tally(g.calls.iter().map(|c| c.kind))),
        Cell::new(time),
        Cell::new(text),
        Cell::new(tally(g.calls.iter().map(|c| c.state))),
        Cell::new(tally(finals.iter().map(String::as_str))),
        Cell::new(thousands(
            g.calls.iter().map(|c| u64::from(c.messages)).sum(),
        ))
        .set_alignment(CellAlignment::Right),
        Cell::new("-").set_alignment(CellAlignment::Right),
        Cell::new(super::table::duration(span)).set_alignment(CellAlignment::Right),
        Cell::new(format!("{} exchanges", thousands(g.calls.len() as u64))),
        Cell::new(tally(codes)),
    ]
}

/// The words under the table for an attack's line: its diagnosis once, for all its exchanges.
pub fn told(g: &Group<'_>, lang: Lang) -> String {
    let (Some(first), Some(last)) = (g.calls.first(), g.calls.last()) else {
        return String::new();
    };
    let text = first
        .diagnosis
        .iter()
        .flatten()
        .find(|d| d.code == g.attack.code)
        .map_or(String::new(), |d| d.text.clone());
    let n = thousands(g.calls.len() as u64);
    let note = match lang {
        Lang::Fr => format!(
            "{} échanges, --expand les liste un par un",
            n.replace(',', "\u{202f}")
        ),
        Lang::En => format!("{n} exchanges, --expand lists them one by one"),
    };
    format!(
        "#{}…#{} {} ({note}): {text}\n",
        first.id, last.id, g.attack.code
    )
}
