//! The exchanges of one attack shown as one line of the `calls` table, with their count: an
//! attack is hundreds or millions of exchanges alike, which hide the few that matter.
//! `calls --expand` lists them one by one, and `calls --json` always does.

use std::collections::BTreeMap;

use comfy_table::{Cell, CellAlignment};
use rustc_hash::FxHashMap as HashMap;

use crate::capture::Timestamp;
use crate::correlate::CallSummary;
use crate::correlate::attack::AttackFinding;
use crate::correlate::attack::verdict::thousands;
use crate::explain::Lang;

/// The exchanges of one attack, summed up as they go by: a flood's millions of exchanges
/// cost one line, not one summary each.
pub struct Group<'a> {
    /// The attack.
    pub attack: &'a AttackFinding,
    /// Its first exchange.
    first: CallSummary,
    /// What all its exchanges, the first included, add up to.
    sum: Sum,
}

/// The figures of an attack's exchanges.
struct Sum {
    /// The number of the last exchange.
    last_id: usize,
    /// Exchanges.
    count: u64,
    /// The end of the latest one.
    end: Timestamp,
    kinds: BTreeMap<&'static str, u64>,
    states: BTreeMap<&'static str, u64>,
    finals: BTreeMap<String, u64>,
    messages: u64,
    codes: BTreeMap<&'static str, u64>,
}

impl<'a> Group<'a> {
    fn new(attack: &'a AttackFinding, first: CallSummary) -> Group<'a> {
        let mut sum = Sum {
            last_id: first.id,
            count: 0,
            end: first.end_ts,
            kinds: BTreeMap::new(),
            states: BTreeMap::new(),
            finals: BTreeMap::new(),
            messages: 0,
            codes: BTreeMap::new(),
        };
        sum.add(&first);
        Group { attack, first, sum }
    }
}

impl Sum {
    fn add(&mut self, c: &CallSummary) {
        self.count += 1;
        self.last_id = c.id;
        self.end = self.end.max(c.end_ts);
        *self.kinds.entry(c.kind).or_default() += 1;
        *self.states.entry(c.state).or_default() += 1;
        let fin = c.final_status.map_or("-".to_string(), |s| s.to_string());
        *self.finals.entry(fin).or_default() += 1;
        self.messages += u64::from(c.messages);
        for d in c.diagnosis.iter().flatten().filter(|d| d.is_problem()) {
            *self.codes.entry(d.code).or_default() += 1;
        }
    }
}

/// A line of the table: an exchange alone, or all those of an attack.
pub enum Line<'a> {
    /// One exchange.
    Exchange(CallSummary),
    /// The exchanges of an attack, where its first one would be.
    Attack(Group<'a>),
}

/// The lines of `calls`, taking the exchanges one by one in order: those of each attack of
/// `attacks` gathered in one line.
pub struct Lines<'a> {
    by_number: HashMap<usize, &'a AttackFinding>,
    lines: Vec<Line<'a>>,
    /// Where each attack's line is.
    at: HashMap<usize, usize>,
}

impl<'a> Lines<'a> {
    /// No line yet.
    pub fn new(attacks: &'a [AttackFinding]) -> Lines<'a> {
        Lines {
            by_number: attacks.iter().map(|a| (a.number, a)).collect(),
            lines: Vec::new(),
            at: HashMap::default(),
        }
    }

    /// Takes the next exchange.
    pub fn push(&mut self, c: CallSummary) {
        let attack = c.attack.and_then(|n| Some((n, *self.by_number.get(&n)?)));
        let Some((n, attack)) = attack else {
            self.lines.push(Line::Exchange(c));
            return;
        };
        match self.at.get(&n).and_then(|&i| self.lines.get_mut(i)) {
            Some(Line::Attack(group)) => group.sum.add(&c),
            _ => {
                self.at.insert(n, self.lines.len());
                self.lines.push(Line::Attack(Group::new(attack, c)));
            }
        }
    }

    /// The lines; an attack of which one exchange was listed (a filter chose it) is shown as
    /// that exchange.
    pub fn finish(self) -> Vec<Line<'a>> {
        self.lines
            .into_iter()
            .map(|line| match line {
                Line::Attack(g) if g.sum.count == 1 => Line::Exchange(g.first),
                line => line,
            })
            .collect()
    }
}

/// How many of each value, most first: `failed ×480, timed-out ×20`.
fn tally<K: AsRef<str> + Ord>(counts: &BTreeMap<K, u64>) -> String {
    let mut all: Vec<(&str, u64)> = counts.iter().map(|(v, n)| (v.as_ref(), *n)).collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    all.iter()
        .map(|(v, n)| format!("{v} ×{}", thousands(*n)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The table row of an attack's exchanges.
pub fn row(g: &Group<'_>, lang: Lang) -> Vec<Cell> {
    let first = &g.first;
    let time = first.start.get(11..23).unwrap_or(&first.start);
    let span = u64::try_from(g.sum.end.nanos_since(first.start_ts) / 1_000_000).ok();
    let text = format!(
        "{}\n{}",
        crate::explain::attack::line(g.attack, lang),
        crate::explain::attack::shape(g.attack, lang)
    );
    vec![
        Cell::new(format!("{}…{}", first.id, g.sum.last_id)).set_alignment(CellAlignment::Right),
        Cell::new(tally(&g.sum.kinds)),
        Cell::new(time),
        Cell::new(text),
        Cell::new(tally(&g.sum.states)),
        Cell::new(tally(&g.sum.finals)),
        Cell::new(thousands(g.sum.messages)).set_alignment(CellAlignment::Right),
        Cell::new("-").set_alignment(CellAlignment::Right),
        Cell::new(super::table::duration(span)).set_alignment(CellAlignment::Right),
        Cell::new(format!("{} exchanges", thousands(g.sum.count))),
        Cell::new(tally(&g.sum.codes)),
    ]
}

/// The words under the table for an attack's line: its diagnosis once, for all its exchanges.
pub fn told(g: &Group<'_>, lang: Lang) -> String {
    let first = &g.first;
    let text = first
        .diagnosis
        .iter()
        .flatten()
        .find(|d| d.code == g.attack.code)
        .map_or(String::new(), |d| d.text.clone());
    let n = thousands(g.sum.count);
    let note = match lang {
        Lang::Fr => format!(
            "{} échanges, --expand les liste un par un",
            n.replace(',', "\u{202f}")
        ),
        Lang::En => format!("{n} exchanges, --expand lists them one by one"),
    };
    format!(
        "#{}…#{} {} ({note}): {text}\n",
        first.id, g.sum.last_id, g.attack.code
    )
}
