//! What every chart shares: the `<svg>` element, the value axis, numbers and durations as
//! labels.

use std::fmt::Write;

use crate::render::svg::escape;

/// Width of every chart (the page scales it to its column).
pub(super) const WIDTH: f64 = 560.0;

/// Opens the `<svg>` of a chart `height` high, described by `title` for screen readers
/// (inline in HTML: no namespace, so that the page names no network address).
pub(super) fn open(out: &mut String, title: &str, height: f64) {
    let _ = write!(
        out,
        r#"<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{}">"#,
        escape(title)
    );
}

/// Closes the chart, saying so when there was nothing to draw.
pub(super) fn close(out: &mut String, empty: bool, height: f64) {
    if empty {
        let _ = write!(
            out,
            r#"<text class="none" x="{}" y="{}" text-anchor="middle">nothing to show</text>"#,
            WIDTH / 2.0,
            height / 2.0
        );
    }
    out.push_str("</svg>");
}

/// A round value at or above `v` (1, 2 or 5 times a power of ten), for the top of an axis.
pub(super) fn nice_max(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|m| *m >= v)
        .unwrap_or(10.0 * power)
}

/// A count or measure as a short label: `12`, `1.5k`, `2.3M`, `0.25`.
pub(super) fn number(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if v >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else if v == v.trunc() {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Milliseconds as a duration label: `850 ms`, `2.5 s`, `3.2 min`.
pub(super) fn duration(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else if ms < 120_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{:.1} min", ms / 60_000.0)
    }
}

/// How many intervals divide an axis from 0 to `max` (a [`nice_max`]) into whole counts:
/// 1 to 5 below 5, else 5 for 1 and 5 times a power of ten, 4 for 2 times.
fn grid_steps(max: f64) -> u32 {
    if max <= 5.0 && max == max.trunc() {
        return (max as u32).max(1);
    }
    let leading = max / 10f64.powf(max.log10().floor());
    if (leading - 2.0).abs() < 1e-9 { 4 } else { 5 }
}

/// Horizontal grid lines with their values on the left of a plot from `top` to `bottom`
/// (pixels) for values from 0 to `max`, labelled by `label`.
pub(super) fn grid(
    out: &mut String,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    max: f64,
    label: impl Fn(f64) -> String,
) {
    let steps = grid_steps(max);
    for step in 0..=steps {
        let value = max * f64::from(step) / f64::from(steps);
        let y = bottom - (bottom - top) * f64::from(step) / f64::from(steps);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{left}" y1="{y:.1}" x2="{right}" y2="{y:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 4.0,
            y + 4.0,
            escape(&label(value))
        );
    }
}

/// Text cut to `width` characters, marking the cut, then escaped.
pub(super) fn short(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return escape(text);
    }
    let cut: String = text.chars().take(width.saturating_sub(1)).collect();
    escape(&format!("{cut}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_values() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(120.0), 200.0);
        assert_eq!(nice_max(5.0), 5.0);
        assert_eq!(
            [1.0, 2.0, 5.0, 10.0, 20.0, 500.0].map(grid_steps),
            [1, 2, 5, 5, 4, 5]
        );
        assert_eq!(number(1500.0), "1.5k");
        assert_eq!(duration(2500.0), "2.5 s");
    }

    #[test]
    fn labels_are_cut_and_escaped() {
        assert_eq!(short("<b>", 10), "&lt;b&gt;");
        assert_eq!(short("abcdef", 4), "abc…");
    }
}
