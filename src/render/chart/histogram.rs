//! A distribution of durations (post-dial delay, setup time, call duration) as a histogram
//! with its median and 95th percentile marked, the two figures people quote.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::frame::{WIDTH, close, duration, grid, nice_max, number, open};
use crate::render::svg::escape;

const HEIGHT: f64 = 200.0;
const LEFT: f64 = 44.0;
const TOP: f64 = 32.0;
const BOTTOM: f64 = HEIGHT - 24.0;
const BINS: usize = 24;

/// The value below which `share` of the values counted in `counts` lie (nearest rank).
fn percentile(counts: &BTreeMap<u64, u64>, share: f64) -> Option<u64> {
    let total: u64 = counts.values().sum();
    let rank = ((total as f64 * share).ceil() as u64).saturating_sub(1);
    let rank = rank.min(total.saturating_sub(1));
    let mut below = 0u64;
    for (value, n) in counts {
        below += n;
        if below > rank {
            return Some(*value);
        }
    }
    None
}

/// The histogram of `values_ms` (milliseconds) from 0 to a round value above the largest.
pub fn histogram(title: &str, values_ms: &[u64]) -> String {
    let mut counts: BTreeMap<u64, u64> = BTreeMap::new();
    for v in values_ms {
        *counts.entry(*v).or_default() += 1;
    }
    histogram_of_counts(title, &counts)
}

/// The histogram of the values counted in `counts` (milliseconds to how many times each was
/// seen): what a report gathers call by call without keeping every value.
pub fn histogram_of_counts(title: &str, counts: &BTreeMap<u64, u64>) -> String {
    let mut out = String::new();
    open(&mut out, title, HEIGHT);
    // At least 10 ms wide, so that bins of near-zero delays keep readable bounds.
    let top = nice_max(counts.keys().next_back().copied().unwrap_or(0).max(10) as f64);
    let width = top / BINS as f64;
    let mut bins = [0u64; BINS];
    for (v, n) in counts {
        let bin = ((*v as f64 / width) as usize).min(BINS - 1);
        if let Some(b) = bins.get_mut(bin) {
            *b += n;
        }
    }
    let max = nice_max(bins.iter().copied().max().unwrap_or(0) as f64);
    grid(&mut out, LEFT, WIDTH - 6.0, TOP, BOTTOM, max, number);
    let span = WIDTH - 6.0 - LEFT;
    let slot = span / BINS as f64;
    for (i, count) in bins.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let h = *count as f64 / max * (BOTTOM - TOP);
        let from = width * i as f64;
        let _ = write!(
            out,
            r#"<rect class="bin" x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}"><title>{} – {}: {count}</title></rect>"#,
            LEFT + slot * i as f64 + 1.0,
            BOTTOM - h,
            slot - 2.0,
            escape(&duration(from)),
            escape(&duration(from + width))
        );
    }
    for (step, anchor) in [(0.0, "start"), (0.5, "middle"), (1.0, "end")] {
        let _ = write!(
            out,
            r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
            LEFT + span * step,
            BOTTOM + 16.0,
            escape(&duration(top * step))
        );
    }
    let marks = [("median", 0.5, 11.0), ("p95", 0.95, 25.0)];
    for (name, share, y) in marks {
        let Some(v) = percentile(counts, share) else {
            continue;
        };
        let x = LEFT + span * (v as f64 / top).min(1.0);
        let _ = write!(
            out,
            r#"<line class="mark" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{BOTTOM}"/><text class="mark-label" x="{:.1}" y="{y}" text-anchor="{}">{name} {}</text>"#,
            y + 2.0,
            x,
            if x > WIDTH * 0.7 { "end" } else { "start" },
            escape(&duration(v as f64))
        );
    }
    close(&mut out, counts.is_empty(), HEIGHT);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p95_are_marked() {
        let values: Vec<u64> = (1..=100).map(|v| v * 10).collect();
        let counts: BTreeMap<u64, u64> = values.iter().map(|v| (*v, 1)).collect();
        assert_eq!(percentile(&counts, 0.5), Some(500));
        assert_eq!(percentile(&counts, 0.95), Some(950));
        let twice: BTreeMap<u64, u64> = [(10, 2), (20, 1), (30, 1)].into_iter().collect();
        assert_eq!(percentile(&twice, 0.5), Some(10));
        assert_eq!(percentile(&twice, 0.95), Some(30));
        let svg = histogram("Setup", &values);
        assert!(roxmltree::Document::parse(&svg).is_ok());
        assert!(
            svg.contains("median 500 ms") && svg.contains("p95 950 ms"),
            "{svg}"
        );
    }

    #[test]
    fn no_values_say_so() {
        let svg = histogram("Setup", &[]);
        assert!(svg.contains("nothing to show"));
        assert!(roxmltree::Document::parse(&svg).is_ok());
    }
}
