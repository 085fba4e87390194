//! The call list: every row of the first reading, narrowed by the text typed after `/` and by
//! the command line's filters, sorted by any column. Only the state; drawing is elsewhere.

use std::cmp::Ordering;

use crate::correlate::{CallFilter, CallSummary};
use crate::view::CallRow;

/// A column of the list, in the order shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Column {
    /// The call's number.
    #[default]
    Number,
    /// call, registration...
    Kind,
    /// Start time.
    Start,
    /// From → To.
    FromTo,
    /// State.
    State,
    /// Final status.
    Final,
    /// Messages.
    Messages,
    /// Setup time.
    Setup,
    /// Duration.
    Duration,
    /// Problem codes.
    Diagnosis,
}

impl Column {
    /// Every column, left to right.
    pub const ALL: [Column; 10] = [
        Column::Number,
        Column::Kind,
        Column::Start,
        Column::FromTo,
        Column::State,
        Column::Final,
        Column::Messages,
        Column::Setup,
        Column::Duration,
        Column::Diagnosis,
    ];

    /// Its heading.
    pub fn title(self) -> &'static str {
        match self {
            Column::Number => "#",
            Column::Kind => "Kind",
            Column::Start => "Start",
            Column::FromTo => "From → To",
            Column::State => "State",
            Column::Final => "Final",
            Column::Messages => "Msgs",
            Column::Setup => "Setup",
            Column::Duration => "Duration",
            Column::Diagnosis => "Diagnosis",
        }
    }

    fn compare(self, a: &CallRow, b: &CallRow) -> Ordering {
        match self {
            Column::Number => a.id.cmp(&b.id),
            Column::Kind => a.kind.cmp(&b.kind),
            Column::Start => a.start.cmp(&b.start),
            Column::FromTo => (&a.from, &a.to).cmp(&(&b.from, &b.to)),
            Column::State => a.state.cmp(&b.state),
            Column::Final => a.status_code.cmp(&b.status_code),
            Column::Messages => a.messages.cmp(&b.messages),
            Column::Setup => a.setup_ms.cmp(&b.setup_ms),
            Column::Duration => a.duration_ms.cmp(&b.duration_ms),
            Column::Diagnosis => a.problems.cmp(&b.problems),
        }
    }

    /// The next column (`>`), or the previous one (`<`), wrapping around.
    pub fn step(self, forward: bool) -> Column {
        let n = Column::ALL.len();
        let at = Column::ALL.iter().position(|&c| c == self).unwrap_or(0);
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        Column::ALL.get(next).copied().unwrap_or(Column::Number)
    }
}

/// The list and where the reader is in it.
#[derive(Clone, Debug, Default)]
pub struct CallList {
    rows: Vec<CallRow>,
    summaries: Vec<CallSummary>,
    /// Indices of the rows shown, in the order shown.
    visible: Vec<usize>,
    /// Position of the selected row among those shown.
    selected: usize,
    /// The column sorted by, and whether the order is reversed.
    pub sort: (Column, bool),
    /// The text typed after `/`.
    pub quick: String,
    /// The command line's filters given with `F`, as typed.
    pub filter_text: String,
    filter: CallFilter,
    /// Each attack's exchanges as one row (until expanded).
    attacks: super::attacks::AttackRows,
}

impl CallList {
    /// The list of the calls of a reading (their diagnosis already described).
    pub fn new(summaries: Vec<CallSummary>) -> CallList {
        let rows = summaries
            .iter()
            .map(|c| CallRow::new(c, c.diagnosis.as_deref().unwrap_or_default()))
            .collect();
        let mut list = CallList {
            rows,
            summaries,
            ..CallList::default()
        };
        list.refresh();
        list
    }

    /// Shows the exchanges of each of `attacks` as one row, told in `lang`.
    pub fn with_attacks(
        mut self,
        attacks: &[crate::correlate::attack::AttackFinding],
        lang: crate::explain::Lang,
    ) -> CallList {
        self.attacks = super::attacks::AttackRows::new(attacks, &self.summaries, &self.rows, lang);
        self.refresh();
        self
    }

    /// Lists the exchanges of attacks one by one, or again as one row each (`a`).
    pub fn toggle_attacks(&mut self) {
        self.attacks.expanded = !self.attacks.expanded;
        self.refresh();
    }

    /// The row shown at index `i`: its own, or its attack's.
    fn row_at(&self, i: usize) -> Option<&CallRow> {
        let attack = self.summaries.get(i).and_then(|c| c.attack);
        self.attacks.row(attack).or_else(|| self.rows.get(i))
    }

    /// Adds calls read so far (not yet numbered) while the reading goes on.
    pub fn extend(&mut self, calls: Vec<CallSummary>) {
        self.rows.extend(
            calls
                .iter()
                .map(|c| CallRow::new(c, c.diagnosis.as_deref().unwrap_or_default())),
        );
        self.summaries.extend(calls);
        self.refresh();
    }

    /// The calls of the rows shown, in order.
    pub fn shown_calls(&self) -> impl Iterator<Item = &CallSummary> {
        self.visible.iter().filter_map(|&i| self.summaries.get(i))
    }

    /// Every row, shown or not.
    pub fn all(&self) -> &[CallRow] {
        &self.rows
    }

    /// The rows shown, in order.
    pub fn shown(&self) -> impl Iterator<Item = &CallRow> {
        self.visible.iter().filter_map(|&i| self.row_at(i))
    }

    /// How many rows are shown.
    pub fn len(&self) -> usize {
        self.visible.len()
    }

    /// Whether no row is shown.
    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    /// Position of the selected row among those shown.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected row.
    pub fn selected_row(&self) -> Option<&CallRow> {
        self.visible
            .get(self.selected)
            .and_then(|&i| self.row_at(i))
    }

    /// Moves the selection by `delta` rows, staying in the list.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Selects the first (`false`) or last (`true`) row.
    pub fn jump(&mut self, end: bool) {
        self.selected = if end {
            self.visible.len().saturating_sub(1)
        } else {
            0
        };
    }

    /// Narrows the list to rows containing `text` (number, kind, address, URI, Call-ID,
    /// state, code), case-insensitive.
    pub fn set_quick(&mut self, text: &str) {
        self.quick = text.to_string();
        self.refresh();
    }

    /// Applies the command line's filters (already checked), typed as `text`.
    pub fn set_filter(&mut self, text: &str, filter: CallFilter) {
        self.filter_text = text.to_string();
        self.filter = filter;
        self.refresh();
    }

    /// Sorts by `column`; the same column again reverses the order.
    pub fn sort_by(&mut self, column: Column, reversed: bool) {
        self.sort = (column, reversed);
        self.refresh();
    }

    /// Recomputes the rows shown, keeping the selected call selected when it still is.
    fn refresh(&mut self) {
        let keep = self.selected_row().map(|r| r.id);
        let needle = self.quick.to_lowercase();
        let mut visible: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let (Some(row), Some(call)) = (self.rows.get(i), self.summaries.get(i)) else {
                    return false;
                };
                self.filter.matches(call) && (needle.is_empty() || contains(row, &needle))
            })
            .collect();
        let (column, reversed) = self.sort;
        visible.sort_by(|&a, &b| {
            let (Some(a), Some(b)) = (self.rows.get(a), self.rows.get(b)) else {
                return Ordering::Equal;
            };
            // Rows not numbered yet (while reading) in the order they started.
            let order = column
                .compare(a, b)
                .then(a.id.cmp(&b.id))
                .then(a.start.cmp(&b.start));
            if reversed { order.reverse() } else { order }
        });
        // An attack's exchanges: the first one shown stands for them all.
        let mut seen = std::collections::HashSet::new();
        visible.retain(|&i| {
            let attack = self.summaries.get(i).and_then(|c| c.attack);
            self.attacks.row(attack).is_none() || seen.insert(attack)
        });
        self.visible = visible;
        self.selected = keep
            .and_then(|id| {
                self.visible
                    .iter()
                    .position(|&i| self.row_at(i).is_some_and(|r| r.id == id))
            })
            .unwrap_or(0);
    }
}

/// Whether a row shows `needle` (lower case) in a field a reader would type.
fn contains(row: &CallRow, needle: &str) -> bool {
    let number = row.id.to_string();
    [
        number.as_str(),
        &row.kind,
        &row.from,
        &row.to,
        &row.state,
        &row.status,
        &row.problems,
    ]
    .into_iter()
    .chain(row.call_ids.iter().map(String::as_str))
    .chain(row.participants.iter().map(String::as_str))
    .any(|field| field.to_lowercase().contains(needle))
}
