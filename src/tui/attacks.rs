//! The exchanges of an attack as one row of the browser's list, as in `calls` and the report:
//! the row of its first exchange, retitled with the attack's line and counts; `a` lists them
//! one by one.

use rustc_hash::FxHashMap as HashMap;

use crate::correlate::CallSummary;
use crate::correlate::attack::AttackFinding;
use crate::correlate::attack::verdict::thousands;
use crate::explain::Lang;
use crate::render::html::clean;
use crate::view::CallRow;

/// The row standing for each attack's exchanges, by attack number.
#[derive(Clone, Debug, Default)]
pub(super) struct AttackRows {
    rows: HashMap<usize, CallRow>,
    /// Their exchanges are listed one by one instead.
    pub(super) expanded: bool,
}

impl AttackRows {
    /// The rows of `attacks`, from the exchanges of `calls` (and their rows, in the same order).
    pub(super) fn new(
        attacks: &[AttackFinding],
        calls: &[CallSummary],
        rows: &[CallRow],
        lang: Lang,
    ) -> AttackRows {
        let mut out = HashMap::default();
        for a in attacks {
            let members: Vec<(&CallSummary, &CallRow)> = calls
                .iter()
                .zip(rows)
                .filter(|(c, _)| c.attack == Some(a.number))
                .collect();
            // One exchange listed is shown as itself.
            let (Some((_, first)), true) = (members.first(), members.len() > 1) else {
                continue;
            };
            let mut row = (*first).clone();
            row.kind = format!("attack ×{}", thousands(members.len() as u64));
            row.from = clean(&format!(
                "{} — {}",
                crate::explain::attack::line(a, lang),
                crate::explain::attack::shape(a, lang)
            ));
            row.to = String::new();
            row.state = String::new();
            row.status = String::new();
            row.messages = members.iter().map(|(c, _)| c.messages).sum();
            row.setup = "-".to_string();
            let end = members.iter().map(|(c, _)| c.end_ts).max();
            let start = members.iter().map(|(c, _)| c.start_ts).min();
            row.duration_ms = start
                .zip(end)
                .and_then(|(s, e)| u64::try_from(e.nanos_since(s) / 1_000_000).ok());
            row.duration = crate::view::row::millis(row.duration_ms);
            row.setup_ms = None;
            row.problems = a.code.to_string();
            out.insert(a.number, row);
        }
        AttackRows {
            rows: out,
            expanded: false,
        }
    }

    /// The row shown for an exchange of attack `attack`, while they are not expanded.
    pub(super) fn row(&self, attack: Option<usize>) -> Option<&CallRow> {
        if self.expanded {
            return None;
        }
        self.rows.get(&attack?)
    }
}
