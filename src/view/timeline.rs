//! The dashboard's chart of calls and registrations over time, counted per second as the
//! calls go by: its buckets are chosen once the first and last starts are known.

use std::collections::BTreeMap;

use crate::render::chart::{Series, stacked_columns};
use crate::render::html::ChartView;

use super::dashboard::chart;

/// Bucket widths for the time chart, in seconds: the first that gives at most 48 buckets.
/// Each divides the next, so counts per one width add up exactly into any wider one.
const BUCKETS: [i64; 12] = [
    1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10_800, 21_600, 86_400,
];

/// Steps counted apart before counting per a wider one: 18 hours of distinct seconds. A
/// capture with more distinct seconds spans too long for buckets of a second anyway.
const MAX_STEPS: usize = 1 << 16;

/// The series of the chart, by the index [`Timeline::add`] takes.
const SERIES: [(&str, &str); 5] = [
    ("answered", "s-answered"),
    ("failed", "s-failed"),
    ("cancelled", "s-cancelled"),
    ("no answer", "s-other"),
    ("registrations", "s-registration"),
];

/// Calls started per step (a second, or wider on long captures), by series.
pub struct Timeline {
    /// The width counted apart, in seconds: a divisor of every bucket width drawn.
    step: i64,
    /// Per step (its start, a multiple of `step`), the calls of each series.
    counts: BTreeMap<i64, [u64; 5]>,
    /// The first and last start seen.
    span: Option<(i64, i64)>,
}

impl Default for Timeline {
    fn default() -> Timeline {
        Timeline {
            step: 1,
            counts: BTreeMap::new(),
            span: None,
        }
    }
}

impl Timeline {
    /// Counts an exchange started at `start` (seconds) in `series`; one in none still widens
    /// the span drawn.
    pub fn add(&mut self, start: i64, series: Option<usize>) {
        self.span = Some(match self.span {
            Some((first, last)) => (first.min(start), last.max(start)),
            None => (start, start),
        });
        let Some(series) = series else {
            return;
        };
        let key = start.div_euclid(self.step) * self.step;
        if let Some(n) = self.counts.entry(key).or_default().get_mut(series) {
            *n += 1;
        }
        if self.counts.len() > MAX_STEPS {
            self.widen();
        }
    }

    /// Counts per the next wider step.
    fn widen(&mut self) {
        let step = BUCKETS
            .into_iter()
            .find(|&w| w > self.step)
            .unwrap_or(self.step.saturating_mul(2));
        let mut wider: BTreeMap<i64, [u64; 5]> = BTreeMap::new();
        for (key, counts) in std::mem::take(&mut self.counts) {
            let sums = wider.entry(key.div_euclid(step) * step).or_default();
            for (sum, n) in sums.iter_mut().zip(counts) {
                *sum += n;
            }
        }
        self.step = step;
        self.counts = wider;
    }

    /// The chart: calls by outcome and registrations per bucket.
    pub fn chart(&self) -> ChartView {
        let (first, last) = self.span.unwrap_or((0, 0));
        let width = BUCKETS
            .into_iter()
            .find(|w| w % self.step == 0 && (last - first) / w < 48)
            // Damaged clocks can spread calls over centuries: still at most 48 buckets.
            .unwrap_or_else(|| {
                let width = (last - first) / 47 + 1;
                // Counted per day or wider: a whole number of steps.
                (width + self.step - 1) / self.step * self.step
            });
        let origin = first - first.rem_euclid(width);
        let count = usize::try_from((last - origin) / width + 1).unwrap_or(1);
        let mut series: Vec<Series> = SERIES
            .iter()
            .map(|(name, class)| Series {
                name: (*name).to_string(),
                class,
                values: vec![0; count],
            })
            .collect();
        for (start, counts) in &self.counts {
            let bucket = usize::try_from((start - origin) / width).unwrap_or(0);
            for (s, n) in series.iter_mut().zip(counts) {
                if let Some(v) = s.values.get_mut(bucket) {
                    *v += n;
                }
            }
        }
        let labels: Vec<String> = (0..count)
            .map(|i| {
                let t = (origin + width * i as i64).rem_euclid(86_400);
                let (h, m, s) = (t / 3600, t / 60 % 60, t % 60);
                if width < 60 {
                    format!("{h:02}:{m:02}:{s:02}")
                } else {
                    format!("{h:02}:{m:02}")
                }
            })
            .collect();
        let caption = format!(
            "Calls by outcome and registrations started per {} (UTC).",
            match width {
                w if w < 60 => format!("{w} s"),
                w if w < 3600 => format!("{} min", w / 60),
                w if w <= 86_400 => format!("{} h", w / 3600),
                w => format!("{} days", w / 86_400),
            }
        );
        chart(
            "over-time",
            "Calls and registrations over time",
            &caption,
            stacked_columns("Calls and registrations over time", &labels, &series),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A timeline counted per second however many seconds it spans, as the chart was drawn
    /// before it was gathered call by call.
    fn per_second(starts: &[(i64, usize)]) -> Timeline {
        let mut exact = Timeline::default();
        for &(start, series) in starts {
            exact.span = Some(match exact.span {
                Some((first, last)) => (first.min(start), last.max(start)),
                None => (start, start),
            });
            if let Some(n) = exact.counts.entry(start).or_default().get_mut(series) {
                *n += 1;
            }
        }
        exact
    }

    #[test]
    fn counting_per_wider_steps_draws_the_same_chart() {
        // A day and more of calls, one every 1.3 s: more distinct seconds than are counted
        // apart, so the steps widen as they come.
        let starts: Vec<(i64, usize)> = (0..70_000i64)
            .map(|i| (1_764_763_200 + i * 13 / 10, (i % 5) as usize))
            .collect();
        let mut streamed = Timeline::default();
        for &(start, series) in &starts {
            streamed.add(start, Some(series));
        }
        assert!(streamed.step > 1, "the steps widened");
        assert!(streamed.counts.len() <= MAX_STEPS);
        let exact = per_second(&starts);
        assert_eq!(streamed.chart().svg, exact.chart().svg);
        assert_eq!(streamed.chart().caption, exact.chart().caption);
    }

    #[test]
    fn a_short_capture_is_counted_per_second() {
        let mut timeline = Timeline::default();
        for start in [100, 101, 101, 130] {
            timeline.add(start, Some(0));
        }
        timeline.add(90, None);
        assert_eq!(timeline.step, 1);
        assert_eq!(timeline.span, Some((90, 130)));
        assert!(timeline.chart().caption.contains("per 1 s"));
    }
}
