//! Media streams as points, jitter across and loss up, coloured by their MOS: the streams
//! people hear badly stand out at the top right.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::frame::{WIDTH, close, grid, nice_max, number, open};
use crate::render::svg::escape;

/// One media stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Across (jitter in ms).
    pub x: f64,
    /// Up (loss in percent).
    pub y: f64,
    /// Its colour class (`mos-good`, `mos-fair`, `mos-poor`, `mos-none`).
    pub class: &'static str,
}

const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = HEIGHT - 34.0;
/// Points closer than this (pixels) are drawn once, with their count, so that a capture of
/// 100,000 streams stays a small picture.
const CELL: f64 = 4.0;

/// Order of the classes when several fall in one cell: the worst is drawn.
fn rank(class: &str) -> u8 {
    match class {
        "mos-poor" => 3,
        "mos-fair" => 2,
        "mos-good" => 1,
        _ => 0,
    }
}

/// The points on axes named `x_label` and `y_label`.
pub fn scatter(title: &str, x_label: &str, y_label: &str, points: &[Point]) -> String {
    let mut out = String::new();
    open(&mut out, title, HEIGHT);
    let finite = |v: f64| if v.is_finite() { v.max(0.0) } else { 0.0 };
    let x_max = nice_max(points.iter().map(|p| finite(p.x)).fold(0.0, f64::max));
    let y_max = nice_max(points.iter().map(|p| finite(p.y)).fold(0.0, f64::max));
    let right = WIDTH - 10.0;
    grid(&mut out, LEFT, right, TOP, BOTTOM, y_max, number);
    let mut cells: BTreeMap<(i64, i64), (&'static str, u64)> = BTreeMap::new();
    for p in points {
        let x = LEFT + finite(p.x) / x_max * (right - LEFT);
        let y = BOTTOM - finite(p.y) / y_max * (BOTTOM - TOP);
        let key = ((x / CELL).round() as i64, (y / CELL).round() as i64);
        let cell = cells.entry(key).or_insert((p.class, 0));
        if rank(p.class) > rank(cell.0) {
            cell.0 = p.class;
        }
        cell.1 += 1;
    }
    for ((cx, cy), (class, count)) in &cells {
        let r = 3.0 + (*count as f64).log10().min(3.0);
        let _ = write!(
            out,
            r#"<circle class="{class}" cx="{:.1}" cy="{:.1}" r="{r:.1}"><title>{count} stream(s)</title></circle>"#,
            *cx as f64 * CELL,
            *cy as f64 * CELL
        );
    }
    for (step, anchor) in [(0.0, "start"), (0.5, "middle"), (1.0, "end")] {
        let _ = write!(
            out,
            r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
            LEFT + (right - LEFT) * step,
            BOTTOM + 14.0,
            number(x_max * step)
        );
    }
    let _ = write!(
        out,
        r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text><text class="tick" x="{LEFT}" y="{:.1}">↑ {}</text>"#,
        (LEFT + right) / 2.0,
        HEIGHT - 4.0,
        escape(x_label),
        TOP - 2.0,
        escape(y_label)
    );
    close(&mut out, points.is_empty(), HEIGHT);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_streams_make_few_points() {
        let points: Vec<Point> = (0..10_000)
            .map(|i| Point {
                x: f64::from(i % 7),
                y: 0.5,
                class: if i == 3 { "mos-poor" } else { "mos-good" },
            })
            .collect();
        let svg = scatter("RTP", "jitter ms", "loss %", &points);
        assert!(roxmltree::Document::parse(&svg).is_ok());
        assert_eq!(svg.matches("<circle").count(), 7);
        assert_eq!(svg.matches("mos-poor").count(), 1);
    }
}
