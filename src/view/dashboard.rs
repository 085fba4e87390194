//! The report's dashboard: the figures of the whole capture that its charts draw (calls over
//! time, final statuses, delays, media quality, busiest hosts, diagnosis codes), computed from
//! the calls listed, and drawn by [`crate::render::chart`].

use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

use crate::capture::Timestamp;
use crate::correlate::{CallSummary, MediaStream};
use crate::render::chart::{
    Bar, Point, Series, histogram, horizontal_bars, scatter, stacked_columns,
};
use crate::render::html::{CallView, ChartView};
use crate::sip::reason_phrase;

/// A call and its media streams, as the dashboard reads them.
pub type CallMedia<'a> = (&'a CallSummary, &'a [&'a MediaStream]);

/// Bucket widths for the time chart, in seconds: the first that gives at most 48 buckets.
const BUCKETS: [i64; 12] = [
    1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10_800, 21_600, 86_400,
];

/// How many hosts the top-talker charts name.
const TOP_HOSTS: usize = 10;

/// The charts of the dashboard for `calls` (each with its media), whose pages are `views` in
/// the same order (their diagnosis codes are counted from there).
pub fn dashboard(calls: &[CallMedia<'_>], views: &[CallView]) -> Vec<ChartView> {
    let only_calls: Vec<&CallSummary> = calls
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| c.kind == "call")
        .collect();
    let delays = |f: fn(&CallSummary) -> Option<u64>| -> Vec<u64> {
        only_calls.iter().filter_map(|c| f(c)).collect()
    };
    vec![
        over_time(calls),
        chart(
            "statuses",
            "Final status codes",
            "Final responses of the calls and registrations, by code; colours by class (2xx, 3xx, 4xx, 5xx, 6xx).",
            horizontal_bars("Final status codes", &statuses(calls)),
        ),
        chart(
            "post-dial-delay",
            "Post-dial delay",
            "From the INVITE to the first ringing or answer, per call.",
            histogram("Post-dial delay", &delays(|c| c.post_dial_delay_ms)),
        ),
        chart(
            "setup",
            "Setup time",
            "From the INVITE to the final response, per call.",
            histogram("Setup time", &delays(|c| c.setup_ms)),
        ),
        chart(
            "duration",
            "Call duration",
            "From the first message to the last, per call.",
            histogram("Call duration", &delays(|c| c.duration_ms)),
        ),
        media_quality(calls),
        chart(
            "hosts-messages",
            "Busiest hosts",
            "SIP messages of the calls each host took part in (top 10).",
            horizontal_bars(
                "Hosts by messages",
                &top_hosts(calls, |c| u64::from(c.messages)),
            ),
        ),
        chart(
            "hosts-failed",
            "Hosts of failed calls",
            "Calls ended by a 4xx, 5xx or 6xx each host took part in (top 10).",
            horizontal_bars(
                "Hosts by failed calls",
                &top_hosts(calls, |c| u64::from(failed(c))),
            ),
        ),
        chart(
            "diagnosis",
            "Diagnosis",
            "Errors and warnings found, by code; select one to filter the table.",
            horizontal_bars("Diagnosis codes", &diagnosis_codes(views)),
        ),
    ]
}

fn chart(id: &str, title: &str, caption: &str, svg: String) -> ChartView {
    ChartView {
        id: format!("chart-{id}"),
        title: title.to_string(),
        caption: caption.to_string(),
        svg,
    }
}

/// A call that ended with an error response (but a CANCEL's 487, counted apart).
fn failed(call: &CallSummary) -> bool {
    call.final_status.is_some_and(|s| s >= 300 && s != 487)
}

/// When a call started, in whole seconds since the epoch.
fn start_seconds(call: &CallSummary) -> i64 {
    if call.start_ts.0 != 0 {
        return call.start_ts.seconds();
    }
    Timestamp::parse_rfc3339(&call.start).map_or(0, Timestamp::seconds)
}

/// Calls (answered, failed, cancelled, unanswered) and registrations per time bucket.
fn over_time(calls: &[CallMedia<'_>]) -> ChartView {
    let starts: Vec<i64> = calls.iter().map(|(c, _)| start_seconds(c)).collect();
    let first = starts.iter().copied().min().unwrap_or(0);
    let last = starts.iter().copied().max().unwrap_or(0);
    let width = BUCKETS
        .into_iter()
        .find(|w| (last - first) / w < 48)
        // Damaged clocks can spread calls over centuries: still at most 48 buckets.
        .unwrap_or((last - first) / 47 + 1);
    let origin = first - first.rem_euclid(width);
    let count = usize::try_from((last - origin) / width + 1).unwrap_or(1);
    let names = [
        ("answered", "s-answered"),
        ("failed", "s-failed"),
        ("cancelled", "s-cancelled"),
        ("no answer", "s-other"),
        ("registrations", "s-registration"),
    ];
    let mut series: Vec<Series> = names
        .iter()
        .map(|(name, class)| Series {
            name: (*name).to_string(),
            class,
            values: vec![0; count],
        })
        .collect();
    for ((call, _), start) in calls.iter().zip(&starts) {
        let which = match (call.kind, call.final_status) {
            ("registration", _) => 4,
            ("call", Some(200..=299)) => 0,
            ("call", Some(487)) => 2,
            ("call", Some(_)) => 1,
            ("call", None) => 3,
            _ => continue,
        };
        let bucket = usize::try_from((start - origin) / width).unwrap_or(0);
        if let Some(v) = series.get_mut(which).and_then(|s| s.values.get_mut(bucket)) {
            *v += 1;
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

/// Final statuses of every exchange, one bar per code in code order.
fn statuses(calls: &[CallMedia<'_>]) -> Vec<Bar> {
    let mut counts: BTreeMap<u16, u64> = BTreeMap::new();
    for (call, _) in calls {
        if let Some(code) = call.final_status {
            *counts.entry(code).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|(code, n)| Bar {
            label: match reason_phrase(code) {
                Some(r) => format!("{code} {r}"),
                None => code.to_string(),
            },
            value: n as f64,
            class: match code {
                100..=199 => "s-1xx",
                200..=299 => "s-2xx",
                300..=399 => "s-3xx",
                400..=499 => "s-4xx",
                500..=599 => "s-5xx",
                _ => "s-6xx",
            },
            href: None,
        })
        .collect()
}

/// Every media stream as jitter against loss, coloured by MOS.
fn media_quality(calls: &[CallMedia<'_>]) -> ChartView {
    let points: Vec<Point> = calls
        .iter()
        .flat_map(|(_, media)| media.iter())
        .map(|m| Point {
            x: m.jitter_ms,
            y: m.loss_percent,
            class: match m.mos {
                Some(v) if v >= 4.0 => "mos-good",
                Some(v) if v >= 3.6 => "mos-fair",
                Some(_) => "mos-poor",
                None => "mos-none",
            },
        })
        .collect();
    chart(
        "rtp-quality",
        "RTP quality",
        &format!(
            "{} media streams by jitter and loss; MOS 4 and above in green, 3.6 to 4 in yellow, below in red.",
            points.len()
        ),
        scatter("RTP quality", "jitter (ms)", "loss (%)", &points),
    )
}

/// The hosts (addresses without ports) with the largest sum of `weight` over their calls.
fn top_hosts(calls: &[CallMedia<'_>], weight: impl Fn(&CallSummary) -> u64) -> Vec<Bar> {
    let mut by_host: HashMap<&str, u64> = HashMap::default();
    for (call, _) in calls {
        let w = weight(call);
        if w == 0 {
            continue;
        }
        let mut hosts: Vec<&str> = call
            .participants
            .iter()
            .map(|p| p.rsplit_once(':').map_or(p.as_str(), |(host, _)| host))
            .collect();
        hosts.sort_unstable();
        hosts.dedup();
        for host in hosts {
            *by_host.entry(host).or_default() += w;
        }
    }
    let mut ranked: Vec<(&str, u64)> = by_host.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
        .into_iter()
        .take(TOP_HOSTS)
        .map(|(host, n)| Bar {
            label: host.to_string(),
            value: n as f64,
            class: "host",
            href: None,
        })
        .collect()
}

/// The codes of the calls' errors and warnings, most frequent first, each linking to the table
/// filtered on it.
fn diagnosis_codes(views: &[CallView]) -> Vec<Bar> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for view in views {
        for code in view.problems.split(", ").filter(|c| !c.is_empty()) {
            *counts.entry(code).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
        .into_iter()
        .map(|(code, n)| Bar {
            label: code.to_string(),
            value: n as f64,
            class: "bad",
            href: Some(format!("#q={code}")),
        })
        .collect()
}
