//! Stacked columns over time: calls answered, failed or neither, and registrations, per time
//! bucket.

use std::fmt::Write;

use super::frame::{WIDTH, close, grid, nice_max, number, open};
use crate::render::svg::escape;

/// One stacked series: a name for the legend, a colour class and a value per bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    /// Its name in the legend.
    pub name: String,
    /// Its colour class.
    pub class: &'static str,
    /// One value per bucket.
    pub values: Vec<u64>,
}

const HEIGHT: f64 = 230.0;
const LEFT: f64 = 44.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = HEIGHT - 24.0;

/// Columns per bucket labelled by `labels`, the series stacked in order from the bottom.
pub fn stacked_columns(title: &str, labels: &[String], series: &[Series]) -> String {
    let mut out = String::new();
    open(&mut out, title, HEIGHT);
    let totals: Vec<u64> = (0..labels.len())
        .map(|i| series.iter().filter_map(|s| s.values.get(i)).sum())
        .collect();
    let max = nice_max(totals.iter().copied().max().unwrap_or(0) as f64);
    grid(&mut out, LEFT, WIDTH - 6.0, TOP, BOTTOM, max, number);
    let mut x = LEFT;
    for s in series {
        let _ = write!(
            out,
            r#"<rect class="{}" x="{x:.1}" y="6" width="10" height="10"/><text class="tick" x="{:.1}" y="15">{}</text>"#,
            s.class,
            x + 14.0,
            escape(&s.name)
        );
        x += 24.0 + 7.0 * s.name.chars().count() as f64;
    }
    let slot = (WIDTH - 6.0 - LEFT) / labels.len().max(1) as f64;
    let every = (labels.len() / 6).max(1);
    for (i, label) in labels.iter().enumerate() {
        let x = LEFT + slot * i as f64;
        let mut base = BOTTOM;
        for s in series {
            let value = s.values.get(i).copied().unwrap_or(0);
            if value == 0 {
                continue;
            }
            let h = value as f64 / max * (BOTTOM - TOP);
            base -= h;
            let _ = write!(
                out,
                r#"<rect class="{}" x="{:.1}" y="{base:.1}" width="{:.1}" height="{h:.1}"><title>{} {}: {value}</title></rect>"#,
                s.class,
                x + slot * 0.1,
                slot * 0.8,
                escape(label),
                escape(&s.name)
            );
        }
        if i % every == 0 {
            let _ = write!(
                out,
                r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + slot / 2.0,
                BOTTOM + 16.0,
                escape(label)
            );
        }
    }
    close(&mut out, totals.iter().all(|t| *t == 0), HEIGHT);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_stack_their_series() {
        let svg = stacked_columns(
            "Calls",
            &["10:00".into(), "10:01".into()],
            &[
                Series {
                    name: "answered".into(),
                    class: "s-answered",
                    values: vec![2, 0],
                },
                Series {
                    name: "failed".into(),
                    class: "s-failed",
                    values: vec![1, 3],
                },
            ],
        );
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let columns = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.children().any(|c| c.has_tag_name("title")))
            .count();
        assert_eq!(columns, 3);
    }
}
