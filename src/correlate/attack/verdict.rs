//! From the detector's counts to findings, and from findings to the exchanges they involve.
//!
//! The thresholds are the constants below, each well above what a working network shows: the
//! lab's authentication retries, a phone with a wrong password retried three times, a
//! registrar serving a few hundred phones and the public corpus all pass without a finding.

use std::collections::{BTreeMap, HashMap as StdHashMap};
use std::net::IpAddr;

use compact_str::CompactString;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;

use super::tally::{Table, Tally};
use crate::correlate::diagnosis::{Finding, Severity};
use crate::correlate::group::CallSummary;

/// Requests in one second from one source, for a flood: more than a phone sends in a day of
/// calls, and more than a proxy's refusals when nearly all are refused.
pub const FLOOD_PER_SECOND: u64 = 20;
/// Requests from one source, at least, for a flood (a burst of a few is not one).
pub const FLOOD_REQUESTS: u64 = 100;
/// Addresses probed by one source, for a sweep: a phone talks to its proxy or two.
pub const SWEEP_TARGETS: u64 = 30;
/// Users tried by one source, answered, for an enumeration.
pub const ENUMERATION_USERS: u64 = 30;
/// Numbered users tried in sequence (100, 101, 102...) by one source, for an enumeration.
pub const ENUMERATION_SEQUENCE: u64 = 20;
/// Sources of requests to one target, for a distributed scan.
pub const SCAN_SOURCES: u64 = 30;
/// Rounds of credentials for one address of record, for password guessing: a phone with a
/// wrong password gives up after a few (three in the diag-wrong-password sample).
pub const GUESSING_ROUNDS: u64 = 20;
/// Seconds per round at most, on average, for password guessing: a phone re-registering with
/// a wrong password waits a minute or more between attempts; a guesser does not wait.
pub const GUESSING_PACE_SECONDS: u64 = 10;
/// Values shown in each most-frequent list of a finding.
const SHOWN: usize = 5;

/// A value and how many times it was seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Named {
    /// An address, a user, a User-Agent.
    pub name: String,
    /// Requests.
    pub count: u64,
}

/// One attack found in the capture: what, from where, against what, how fast.
#[derive(Clone, Debug, Serialize)]
pub struct AttackFinding {
    /// 1-based, in the order of [`Verdict::findings`]; exchanges name it in their `attack`.
    pub number: usize,
    /// The diagnosis code its exchanges get: `scan` or `brute-force`.
    pub code: &'static str,
    /// flood, sweep, enumeration, distributed, scanner or guessing.
    pub shape: &'static str,
    /// The scanning tool its User-Agents name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<&'static str>,
    /// The address of record whose password is guessed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aor: Option<String>,
    /// Requests.
    pub attempts: u64,
    /// Requests of which only the start line could be read.
    #[serde(skip_serializing_if = "is_zero")]
    pub malformed: u64,
    /// Requests with credentials (Authorization or Proxy-Authorization).
    #[serde(skip_serializing_if = "is_zero")]
    pub credentials: u64,
    /// Requests per method.
    pub methods: BTreeMap<String, u64>,
    /// Responses per status code.
    pub answers: BTreeMap<String, u64>,
    /// Requests without a response.
    pub unanswered: u64,
    /// Distinct source addresses.
    pub sources: u64,
    /// The busiest sources.
    pub top_sources: Vec<Named>,
    /// Distinct target addresses.
    pub targets: u64,
    /// The most aimed at targets.
    pub top_targets: Vec<Named>,
    /// Distinct users aimed at (Request-URI, else To).
    pub users: u64,
    /// The most aimed at users.
    pub top_users: Vec<Named>,
    /// The counts of sources, targets or users are estimates (past 32 distinct values).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// The User-Agents seen, most frequent first.
    pub user_agents: Vec<Named>,
    /// First request (RFC 3339).
    pub start: String,
    /// Last request (RFC 3339).
    pub end: String,
    /// From the first request to the last.
    pub seconds: f64,
    /// Requests per second on average.
    pub rate: f64,
    /// Requests in the busiest second.
    pub peak_rate: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl AttackFinding {
    fn from_tally(code: &'static str, shape: &'static str, t: &Tally) -> AttackFinding {
        let first = t.first.unwrap_or(t.last);
        let seconds = t.last.nanos_since(first) as f64 / 1e9;
        let named = |v: Vec<(String, u64)>| {
            v.into_iter()
                .map(|(name, count)| Named { name, count })
                .collect()
        };
        let ips =
            |v: Vec<(IpAddr, u64)>| named(v.into_iter().map(|(a, n)| (a.to_string(), n)).collect());
        let strs = |v: Vec<(CompactString, u64)>| {
            named(v.into_iter().map(|(a, n)| (a.to_string(), n)).collect())
        };
        AttackFinding {
            number: 0,
            code,
            shape,
            tool: t.scanner,
            aor: None,
            attempts: t.requests,
            malformed: t.malformed,
            credentials: t.credentials,
            methods: t.methods.sorted().into_iter().collect(),
            answers: t.answers.sorted().into_iter().collect(),
            unanswered: t.unanswered(),
            sources: t.sources.count(),
            top_sources: ips(t.top_sources.top(SHOWN)),
            targets: t.targets.count(),
            top_targets: ips(t.top_targets.top(SHOWN)),
            users: t.users.count(),
            top_users: strs(t.top_users.top(SHOWN)),
            estimated: t.sources.estimated() || t.targets.estimated() || t.users.estimated(),
            user_agents: strs(t.agents.top(SHOWN)),
            start: first.to_string(),
            end: t.last.to_string(),
            seconds,
            rate: if seconds > 0.0 {
                (t.requests as f64 / seconds * 10.0).round() / 10.0
            } else {
                t.requests as f64
            },
            peak_rate: t.rate.peak,
        }
    }

    /// The facts of the sentence its exchanges' diagnosis tells (`explain::attack`).
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let one = |n: u64, top: &[Named]| match top {
            [only] if n == 1 => only.name.clone(),
            _ => String::new(),
        };
        let methods: Vec<&str> = self.methods.keys().map(String::as_str).collect();
        let mut answers: Vec<(&String, &u64)> = self.answers.iter().collect();
        answers.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let codes: Vec<String> = answers
            .iter()
            .map(|(c, n)| format!("{c} ×{}", thousands(**n)))
            .collect();
        vec![
            ("finding", self.number.to_string()),
            ("shape", self.shape.to_string()),
            ("tool", self.tool.unwrap_or_default().to_string()),
            ("aor", self.aor.clone().unwrap_or_default()),
            ("attempts", thousands(self.attempts)),
            ("methods", methods.join("/")),
            ("sources", thousands(self.sources)),
            ("source", one(self.sources, &self.top_sources)),
            ("targets", thousands(self.targets)),
            ("target", one(self.targets, &self.top_targets)),
            ("codes", codes.join(", ")),
            ("unanswered", thousands(self.unanswered)),
            (
                "all-unanswered",
                (self.unanswered >= self.attempts).to_string(),
            ),
        ]
    }
}

/// `1500000` as `1,500,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The findings, and which exchanges they involve.
#[derive(Clone, Debug, Default)]
pub struct Verdict {
    /// Every attack found, numbered from 1.
    pub findings: Vec<AttackFinding>,
    by_source: HashMap<IpAddr, usize>,
    by_target: HashMap<IpAddr, usize>,
    by_aor: StdHashMap<String, usize>,
    accepted: HashSet<IpAddr>,
}

/// The shape of one source's requests, when it is an attack's.
fn source_shape(t: &Tally) -> Option<&'static str> {
    let refused = t.refused();
    let answered = t.responses.saturating_mul(2) >= t.requests;
    if refused
        && (t.sequential >= ENUMERATION_SEQUENCE
            || (t.users.count() >= ENUMERATION_USERS && answered))
    {
        return Some("enumeration");
    }
    if refused && t.targets.count() >= SWEEP_TARGETS {
        return Some("sweep");
    }
    if refused && t.rate.peak >= FLOOD_PER_SECOND && t.requests >= FLOOD_REQUESTS {
        return Some("flood");
    }
    t.scanner.map(|_| "scanner")
}

/// Whether an address of record's rounds are password guessing.
fn guessed(t: &Tally) -> bool {
    let first = t.first.unwrap_or(t.last);
    let seconds = u64::try_from(t.last.nanos_since(first) / 1_000_000_000).unwrap_or(0);
    t.credentials >= GUESSING_ROUNDS
        && t.ok.saturating_mul(10) < t.credentials
        && t.credentials.saturating_mul(GUESSING_PACE_SECONDS) >= seconds
}

/// Names the attacks in the counts. Password guessing first (its sources are not listed
/// again), then distributed scans (sources known only by their tool fold into them), then
/// each source, then the remaining scanners' sources, one finding per tool.
pub(super) fn judge(
    sources: &Table<IpAddr>,
    targets: &Table<IpAddr>,
    aors: &Table<CompactString>,
    accepted: &HashSet<IpAddr>,
) -> Verdict {
    let mut v = Verdict {
        accepted: accepted.clone(),
        ..Verdict::default()
    };
    let push = |v: &mut Verdict, f: AttackFinding| {
        let number = v.findings.len() + 1;
        v.findings.push(AttackFinding { number, ..f });
        number
    };
    let mut aor_list: Vec<(&CompactString, &Tally)> =
        aors.iter().filter(|(_, t)| guessed(t)).collect();
    aor_list.sort_by_key(|(k, t)| (t.first, (*k).clone()));
    let mut guessers: HashSet<IpAddr> = HashSet::default();
    for (aor, t) in aor_list {
        let mut f = AttackFinding::from_tally("brute-force", "guessing", t);
        f.aor = Some(aor.to_string());
        let n = push(&mut v, f);
        v.by_aor.insert(aor.to_string(), n);
        guessers.extend(t.top_sources.top(usize::MAX).into_iter().map(|(a, _)| a));
    }
    let mut target_list: Vec<(&IpAddr, &Tally)> = targets
        .iter()
        .filter(|(_, t)| t.refused() && t.sources.count() >= SCAN_SOURCES)
        .collect();
    target_list.sort_by_key(|(k, t)| (t.first, **k));
    for (target, t) in target_list {
        let n = push(&mut v, AttackFinding::from_tally("scan", "distributed", t));
        v.by_target.insert(*target, n);
    }
    let mut source_list: Vec<(&IpAddr, &Tally, &'static str)> = sources
        .iter()
        .filter_map(|(k, t)| Some((k, t, source_shape(t)?)))
        .collect();
    source_list.sort_by_key(|(k, t, _)| (t.first, **k));
    let mut by_tool: BTreeMap<&'static str, Vec<(&IpAddr, &Tally)>> = BTreeMap::new();
    for (source, t, shape) in source_list {
        // A guesser's requests are its guesses: named once, as password guessing.
        if guessers.contains(source) && t.credentials.saturating_mul(3) >= t.requests {
            continue;
        }
        if shape == "scanner" {
            let folded = t
                .top_targets
                .first()
                .and_then(|target| v.by_target.get(&target).copied());
            match folded {
                Some(n) => {
                    v.by_source.insert(*source, n);
                }
                None => by_tool
                    .entry(t.scanner.unwrap_or_default())
                    .or_default()
                    .push((source, t)),
            }
            continue;
        }
        let n = push(&mut v, AttackFinding::from_tally("scan", shape, t));
        v.by_source.insert(*source, n);
    }
    for (_, group) in by_tool {
        let Some(f) = scanners_finding(&group) else {
            continue;
        };
        let n = push(&mut v, f);
        for (source, _) in group {
            v.by_source.insert(*source, n);
        }
    }
    v
}

/// One finding for the sources a tool's User-Agent names, each too quiet to be named alone.
fn scanners_finding(group: &[(&IpAddr, &Tally)]) -> Option<AttackFinding> {
    let (_, busiest) = group
        .iter()
        .max_by_key(|(k, t)| (t.requests, std::cmp::Reverse(**k)))?;
    let mut f = AttackFinding::from_tally("scan", "scanner", busiest);
    let sum = |get: fn(&Tally) -> u64| group.iter().map(|(_, t)| get(t)).sum::<u64>();
    f.attempts = sum(|t| t.requests);
    f.unanswered = sum(|t| t.unanswered());
    f.malformed = sum(|t| t.malformed);
    f.credentials = sum(|t| t.credentials);
    f.sources = group.len() as u64;
    let mut sources: Vec<Named> = group
        .iter()
        .map(|(k, t)| Named {
            name: k.to_string(),
            count: t.requests,
        })
        .collect();
    sources.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    sources.truncate(SHOWN);
    f.top_sources = sources;
    let mut methods = BTreeMap::new();
    let mut answers = BTreeMap::new();
    for (_, t) in group {
        for (m, n) in t.methods.sorted() {
            *methods.entry(m).or_insert(0) += n;
        }
        for (c, n) in t.answers.sorted() {
            *answers.entry(c).or_insert(0) += n;
        }
    }
    f.methods = methods;
    f.answers = answers;
    let first = group.iter().filter_map(|(_, t)| t.first).min();
    let last = group.iter().map(|(_, t)| t.last).max();
    if let (Some(first), Some(last)) = (first, last) {
        f.start = first.to_string();
        f.end = last.to_string();
        f.seconds = last.nanos_since(first) as f64 / 1e9;
    }
    f.peak_rate = group.iter().map(|(_, t)| t.rate.peak).max().unwrap_or(0);
    Some(f)
}

impl Verdict {
    /// Gives an exchange the code of the attack it is part of, if any: password guessing on
    /// its From address of record when it was challenged or refused, else the attack of its
    /// source, else a distributed scan of its target when nothing accepted it (nor its
    /// source, ever) and it did not send credentials that were refused (a scan does not
    /// authenticate; a person with a wrong password among the scanners does).
    pub fn mark(&self, summary: &mut CallSummary) {
        if self.findings.is_empty() {
            return;
        }
        let refused = !summary
            .final_status
            .is_some_and(|c| (200..300).contains(&c));
        let ip = |at: usize| -> Option<IpAddr> {
            let text = summary.participants.get(at)?;
            text.parse::<std::net::SocketAddr>().ok().map(|a| a.ip())
        };
        let (src, dst) = (ip(0), ip(1));
        let number = self
            .by_aor
            .get(super::cut_aor(&summary.from))
            .filter(|_| refused || summary.challenges > 0)
            .or_else(|| self.by_source.get(&src?))
            .or_else(|| {
                let n = self.by_target.get(&dst?)?;
                let authenticated = summary.findings.iter().any(|f| f.code == "auth-failed");
                (refused && !authenticated && !self.accepted.contains(&src?)).then_some(n)
            })
            .copied();
        let Some(f) = number.and_then(|n| self.findings.get(n - 1)) else {
            return;
        };
        summary.attack = Some(f.number);
        let mut finding = Finding::new(f.code, Severity::Warning);
        finding.facts = f.facts();
        summary.findings.push(finding);
        summary.findings.sort_by_key(|f| f.severity);
    }
}
