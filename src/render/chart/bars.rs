//! Horizontal bars: counts by label (status codes, hosts, diagnosis codes), and a call's media
//! streams side by side (jitter and loss).

use std::fmt::Write;

use super::frame::{WIDTH, close, duration, nice_max, number, open, short};
use crate::render::svg::escape;

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// What it counts (from the capture for hosts: escaped when drawn).
    pub label: String,
    /// How many.
    pub value: f64,
    /// Its colour class (`s-4xx`, `bad`...).
    pub class: &'static str,
    /// Where selecting it leads (a fragment of the page), if anywhere.
    pub href: Option<String>,
}

const ROW: f64 = 20.0;
const LABEL: f64 = 170.0;

/// Bars one under the other, longest value at full width, the value written after each.
pub fn horizontal_bars(title: &str, bars: &[Bar]) -> String {
    let height = 12.0 + ROW * bars.len().max(1) as f64;
    let mut out = String::new();
    open(&mut out, title, height);
    let max = nice_max(bars.iter().map(|b| b.value).fold(0.0, f64::max));
    let span = WIDTH - LABEL - 60.0;
    for (i, bar) in bars.iter().enumerate() {
        let y = 6.0 + ROW * i as f64;
        let w = (bar.value / max * span).max(1.0);
        let mut item = String::new();
        let _ = write!(
            item,
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="{}" x="{LABEL}" y="{y:.1}" width="{w:.1}" height="{:.1}"><title>{}: {}</title></rect><text class="value" x="{:.1}" y="{:.1}">{}</text>"#,
            LABEL - 6.0,
            y + 13.0,
            short(&bar.label, 24),
            bar.class,
            ROW - 4.0,
            escape(&bar.label),
            number(bar.value),
            LABEL + w + 4.0,
            y + 13.0,
            number(bar.value)
        );
        match &bar.href {
            Some(href) => {
                let _ = write!(out, r#"<a href="{}">{item}</a>"#, escape(href));
            }
            None => out.push_str(&item),
        }
    }
    close(&mut out, bars.is_empty(), height);
    out
}

/// What a call's chart shows of one media stream.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamQuality {
    /// `src → dst` and codec (from the capture: escaped when drawn).
    pub label: String,
    /// Interarrival jitter in ms.
    pub jitter_ms: f64,
    /// Lost packets in percent.
    pub loss_percent: f64,
    /// Estimated MOS, if any.
    pub mos: Option<f64>,
}

/// A call's streams, each named on a line above its bars: jitter against 30 ms and loss
/// against 5 %, the levels beyond which calls are heard to suffer (bars past them are drawn in
/// the error colour), and the MOS on the right.
pub fn stream_quality(streams: &[StreamQuality]) -> String {
    const STREAM: f64 = 40.0;
    const SPAN: f64 = 160.0;
    let height = 24.0 + STREAM * streams.len().max(1) as f64;
    let mut out = String::new();
    open(&mut out, "Jitter and loss per media stream", height);
    let (jitter_at, loss_at) = (4.0, 280.0);
    let _ = write!(
        out,
        r#"<text class="tick" x="{jitter_at}" y="14">jitter (scale 30 ms)</text><text class="tick" x="{loss_at}" y="14">loss (scale 5 %)</text>"#
    );
    let jitter_max = streams.iter().map(|s| s.jitter_ms).fold(30.0, f64::max);
    let loss_max = streams.iter().map(|s| s.loss_percent).fold(5.0, f64::max);
    for (i, s) in streams.iter().enumerate() {
        let y = 22.0 + STREAM * i as f64;
        let class = |bad: bool| if bad { "bad" } else { "good" };
        let _ = write!(
            out,
            r#"<text class="label" x="4" y="{:.1}">{}</text>"#,
            y + 12.0,
            short(&s.label, 80)
        );
        for (x, value, max, limit, text) in [
            (
                jitter_at,
                s.jitter_ms,
                jitter_max,
                30.0,
                duration(s.jitter_ms),
            ),
            (
                loss_at,
                s.loss_percent,
                loss_max,
                5.0,
                format!("{:.2} %", s.loss_percent),
            ),
        ] {
            let w = (value / max * SPAN).max(1.0);
            let _ = write!(
                out,
                r#"<rect class="{}" x="{x:.1}" y="{:.1}" width="{w:.1}" height="14"/><text class="value" x="{:.1}" y="{:.1}">{}</text>"#,
                class(value > limit),
                y + 18.0,
                x + w + 4.0,
                y + 30.0,
                escape(&text)
            );
        }
        if let Some(mos) = s.mos {
            let _ = write!(
                out,
                r#"<text class="value" x="{:.1}" y="{:.1}" text-anchor="end">MOS {mos:.2}</text>"#,
                WIDTH - 2.0,
                y + 30.0
            );
        }
    }
    close(&mut out, streams.is_empty(), height);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_labels_stay_text() {
        let svg = horizontal_bars(
            "Hosts",
            &[Bar {
                label: "<script>alert(1)</script>".into(),
                value: 3.0,
                class: "bad",
                href: Some("#q=\"><x".into()),
            }],
        );
        assert!(roxmltree::Document::parse(&svg).is_ok(), "{svg}");
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;"));
    }

    #[test]
    fn streams_beyond_the_limits_are_marked() {
        let svg = stream_quality(&[StreamQuality {
            label: "a → b PCMU".into(),
            jitter_ms: 45.0,
            loss_percent: 1.0,
            mos: Some(3.9),
        }]);
        assert!(roxmltree::Document::parse(&svg).is_ok(), "{svg}");
        assert!(svg.contains(r#"class="bad""#) && svg.contains(r#"class="good""#));
        assert!(svg.contains("MOS 3.90"));
    }
}
