//! The report's dashboard: the figures of the whole capture that its charts draw (calls over
//! time, final statuses, delays, media quality, busiest hosts, diagnosis codes), gathered from
//! the calls listed as they go by, and drawn by [`crate::render::chart`].

use std::collections::BTreeMap;

use super::hosts::{HostSums, Sums};
use super::timeline::Timeline;

use crate::capture::Timestamp;
use crate::correlate::{CallSummary, MediaStream};
use crate::render::chart::{Bar, Point, histogram_of_counts, horizontal_bars, scatter};
use crate::render::html::ChartView;
use crate::sip::reason_phrase;

/// How many hosts the top-talker charts name.
const TOP_HOSTS: usize = 10;

/// What the charts need, gathered call by call as the calls go by: counts per time step,
/// status, delay, host and code, and a point per media stream, so that a report of millions
/// of calls does not hold them to draw its dashboard.
#[derive(Default)]
pub struct Dashboard {
    timeline: Timeline,
    statuses: BTreeMap<u16, u64>,
    post_dial_delay: BTreeMap<u64, u64>,
    setup: BTreeMap<u64, u64>,
    duration: BTreeMap<u64, u64>,
    points: Vec<Point>,
    /// SIP messages and failed calls per host (address without port).
    hosts: HostSums,
    codes: BTreeMap<String, u64>,
}

impl Dashboard {
    /// Counts a call listed, with its media streams and the codes of its problems
    /// (comma-separated, as the table's Diagnosis column).
    pub fn add(&mut self, call: &CallSummary, media: &[&MediaStream], problems: &str) {
        self.timeline.add(start_seconds(call), series_of(call));
        if let Some(code) = call.final_status {
            *self.statuses.entry(code).or_default() += 1;
        }
        if call.kind == "call" {
            for (values, delay) in [
                (&mut self.post_dial_delay, call.post_dial_delay_ms),
                (&mut self.setup, call.setup_ms),
                (&mut self.duration, call.duration_ms),
            ] {
                if let Some(ms) = delay {
                    *values.entry(ms).or_default() += 1;
                }
            }
        }
        self.points.extend(media.iter().map(|m| point(m)));
        self.add_hosts(call);
        for code in problems.split(", ").filter(|c| !c.is_empty()) {
            match self.codes.get_mut(code) {
                Some(n) => *n += 1,
                None => {
                    self.codes.insert(code.to_string(), 1);
                }
            }
        }
    }

    /// Adds the call's weights to each of its hosts, once per host.
    fn add_hosts(&mut self, call: &CallSummary) {
        let failed = u32::from(failed(call));
        if call.messages == 0 && failed == 0 {
            return;
        }
        let mut hosts: Vec<&str> = call
            .participants
            .iter()
            .map(|p| p.rsplit_once(':').map_or(p.as_str(), |(host, _)| host))
            .collect();
        hosts.sort_unstable();
        hosts.dedup();
        for host in hosts {
            self.hosts.add(host, call.messages, failed);
        }
    }

    /// The charts, in the page's order.
    pub fn charts(&self) -> Vec<ChartView> {
        vec![
            self.timeline.chart(),
            chart(
                "statuses",
                "Final status codes",
                "Final responses of the calls and registrations, by code; colours by class (2xx, 3xx, 4xx, 5xx, 6xx).",
                horizontal_bars("Final status codes", &statuses(&self.statuses)),
            ),
            chart(
                "post-dial-delay",
                "Post-dial delay",
                "From the INVITE to the first ringing or answer, per call.",
                histogram_of_counts("Post-dial delay", &self.post_dial_delay),
            ),
            chart(
                "setup",
                "Setup time",
                "From the INVITE to the final response, per call.",
                histogram_of_counts("Setup time", &self.setup),
            ),
            chart(
                "duration",
                "Call duration",
                "From the first message to the last, per call.",
                histogram_of_counts("Call duration", &self.duration),
            ),
            media_quality(&self.points),
            chart(
                "hosts-messages",
                "Busiest hosts",
                "SIP messages of the calls each host took part in (top 10).",
                horizontal_bars("Hosts by messages", &top_hosts(&self.hosts, |s| s.messages)),
            ),
            chart(
                "hosts-failed",
                "Hosts of failed calls",
                "Calls ended by a 4xx, 5xx or 6xx each host took part in (top 10).",
                horizontal_bars(
                    "Hosts by failed calls",
                    &top_hosts(&self.hosts, |s| s.failed),
                ),
            ),
            chart(
                "diagnosis",
                "Diagnosis",
                "Errors and warnings found, by code; select one to filter the table.",
                horizontal_bars("Diagnosis codes", &diagnosis_codes(&self.codes)),
            ),
        ]
    }
}

pub(super) fn chart(id: &str, title: &str, caption: &str, svg: String) -> ChartView {
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

/// Which series of the time chart a call counts in: answered, failed, cancelled, no answer,
/// registrations; none for other exchanges.
fn series_of(call: &CallSummary) -> Option<usize> {
    match (call.kind, call.final_status) {
        ("registration", _) => Some(4),
        ("call", Some(200..=299)) => Some(0),
        ("call", Some(487)) => Some(2),
        ("call", Some(_)) => Some(1),
        ("call", None) => Some(3),
        _ => None,
    }
}

/// Final statuses of every exchange, one bar per code in code order.
fn statuses(counts: &BTreeMap<u16, u64>) -> Vec<Bar> {
    counts
        .iter()
        .map(|(&code, &n)| (code, n))
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

/// A media stream as jitter against loss, coloured by MOS.
fn point(m: &MediaStream) -> Point {
    Point {
        x: m.jitter_ms,
        y: m.loss_percent,
        class: match m.mos {
            Some(v) if v >= 4.0 => "mos-good",
            Some(v) if v >= 3.6 => "mos-fair",
            Some(_) => "mos-poor",
            None => "mos-none",
        },
    }
}

/// Every media stream as jitter against loss, coloured by MOS.
fn media_quality(points: &[Point]) -> ChartView {
    chart(
        "rtp-quality",
        "RTP quality",
        &format!(
            "{} media streams by jitter and loss; MOS 4 and above in green, 3.6 to 4 in yellow, below in red.",
            points.len()
        ),
        scatter("RTP quality", "jitter (ms)", "loss (%)", points),
    )
}

/// The hosts (addresses without ports) with the largest sum of one of their weights.
fn top_hosts(hosts: &HostSums, weight: impl Fn(&Sums) -> u32) -> Vec<Bar> {
    hosts
        .top(TOP_HOSTS, weight)
        .into_iter()
        .map(|(host, n)| Bar {
            label: host,
            value: n as f64,
            class: "host",
            href: None,
        })
        .collect()
}

/// The codes of the calls' errors and warnings, most frequent first, each linking to the table
/// filtered on it.
fn diagnosis_codes(counts: &BTreeMap<String, u64>) -> Vec<Bar> {
    let mut ranked: Vec<(&str, u64)> = counts.iter().map(|(c, n)| (c.as_str(), *n)).collect();
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
