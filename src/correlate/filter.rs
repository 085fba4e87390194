//! The call filters shared by the subcommands that list or draw calls and by the terminal
//! browser, validated once before any work starts.

use crate::capture::Timestamp;
use crate::correlate::{CallSummary, JoinPolicy};

/// A filter that cannot be applied: said as the command line names it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FilterError {
    /// `--since` or `--until` is not a time.
    #[error("--{flag} {value:?} is not an RFC 3339 time (e.g. 2026-11-25T19:11:10Z)")]
    Time {
        /// `since` or `until`.
        flag: &'static str,
        /// What was given.
        value: String,
    },
    /// `--status` is neither a code nor a class.
    #[error("--status {value:?} is neither a status code (486) nor a class (4xx)")]
    Status {
        /// What was given.
        value: String,
    },
    /// Nothing to draw or cut.
    #[error("no call matches (sipladder calls lists them)")]
    NoMatch,
    /// The capture holds no call at all (no SIP, or messages nothing ties together).
    #[error("the capture holds no call (sipladder stats says what it holds)")]
    NoCall,
}

/// Which calls to keep (clap arguments; each doc comment is its help text).
#[derive(Clone, Debug, Default, clap::Args)]
pub struct FilterArgs {
    /// Only this call: its number in `sipladder calls`, or a Call-ID of any of its legs.
    #[arg(long, value_name = "ID|N")]
    pub call: Option<String>,
    /// Only calls whose From URI contains this text (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub from: Option<String>,
    /// Only calls whose To URI contains this text (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub to: Option<String>,
    /// Only calls opened by this method (INVITE, REGISTER, OPTIONS...).
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,
    /// Only calls whose final status is this code (486) or in this class (4xx).
    #[arg(long, value_name = "CODE")]
    pub status: Option<String>,
    /// Only calls with a participant at this address (IP or IP:port).
    #[arg(long, value_name = "ADDRESS")]
    pub host: Option<String>,
    /// Only calls still going on at or after this time (RFC 3339, UTC unless an offset is given).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only calls started at or before this time (RFC 3339).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Which rules join legs of different Call-IDs into one call: `all` (headers, proxy
    /// re-issues, back-to-back agents), `headers` (a header naming the other Call-ID, a retry
    /// answering a challenge's nonce) or `none`.
    #[arg(long, value_enum, value_name = "RULES", default_value = "all")]
    pub join: JoinChoice,
}

/// The `--join` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum JoinChoice {
    /// Every rule.
    #[default]
    All,
    /// Evidence read in headers only.
    Headers,
    /// No join across Call-IDs.
    None,
}

impl From<JoinChoice> for JoinPolicy {
    fn from(choice: JoinChoice) -> JoinPolicy {
        match choice {
            JoinChoice::All => JoinPolicy::All,
            JoinChoice::Headers => JoinPolicy::Headers,
            JoinChoice::None => JoinPolicy::None,
        }
    }
}

/// How a status filter matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StatusFilter {
    Code(u16),
    Class(u16),
}

/// Validated filters.
#[derive(Clone, Debug, Default)]
pub struct CallFilter {
    call: Option<String>,
    from: Option<String>,
    to: Option<String>,
    method: Option<String>,
    status: Option<StatusFilter>,
    host: Option<String>,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    /// The joining rules the correlation applies (not a filter of calls, but chosen with
    /// them).
    pub join: JoinPolicy,
}

impl CallFilter {
    /// Checks the arguments; a bad time or status is a usage error.
    pub fn new(args: &FilterArgs) -> Result<CallFilter, FilterError> {
        let time = |flag: &'static str,
                    value: &Option<String>|
         -> Result<Option<Timestamp>, FilterError> {
            match value {
                None => Ok(None),
                Some(v) => match Timestamp::parse_rfc3339(v) {
                    Some(ts) => Ok(Some(ts)),
                    None => Err(FilterError::Time {
                        flag,
                        value: v.clone(),
                    }),
                },
            }
        };
        let status = match &args.status {
            None => None,
            Some(s) => {
                let lower = s.to_ascii_lowercase();
                let class = lower
                    .strip_suffix("xx")
                    .and_then(|d| d.parse::<u16>().ok())
                    .filter(|d| (1..=6).contains(d));
                match (class, s.parse::<u16>()) {
                    (Some(c), _) => Some(StatusFilter::Class(c)),
                    (None, Ok(code)) if (100..700).contains(&code) => {
                        Some(StatusFilter::Code(code))
                    }
                    _ => return Err(FilterError::Status { value: s.clone() }),
                }
            }
        };
        Ok(CallFilter {
            join: args.join.into(),
            call: args.call.clone(),
            from: args.from.as_ref().map(|s| s.to_lowercase()),
            to: args.to.as_ref().map(|s| s.to_lowercase()),
            method: args.method.as_ref().map(|s| s.to_ascii_uppercase()),
            status,
            host: args.host.clone(),
            since: time("since", &args.since)?,
            until: time("until", &args.until)?,
        })
    }

    /// Whether no filter was given (every call passes).
    pub fn is_empty(&self) -> bool {
        self.call.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && self.method.is_none()
            && self.status.is_none()
            && self.host.is_none()
            && self.since.is_none()
            && self.until.is_none()
    }

    /// The calls that pass, in order; an error when none does (nothing to draw or cut).
    pub fn select<'c>(
        &self,
        calls: &'c [CallSummary],
    ) -> Result<Vec<&'c CallSummary>, FilterError> {
        if calls.is_empty() {
            return Err(FilterError::NoCall);
        }
        let selected: Vec<&CallSummary> = calls.iter().filter(|c| self.matches(c)).collect();
        if selected.is_empty() {
            return Err(FilterError::NoMatch);
        }
        Ok(selected)
    }

    /// Whether a call passes every filter given.
    pub fn matches(&self, call: &CallSummary) -> bool {
        let call_ok = self.call.as_ref().is_none_or(|wanted| {
            wanted.parse::<usize>().ok() == Some(call.id)
                || call.call_ids.iter().any(|c| c == wanted)
        });
        let from_ok = self
            .from
            .as_ref()
            .is_none_or(|f| call.from.to_lowercase().contains(f));
        let to_ok = self
            .to
            .as_ref()
            .is_none_or(|t| call.to.to_lowercase().contains(t));
        let method_ok = self.method.as_ref().is_none_or(|m| call.method == *m);
        let status_ok = self.status.is_none_or(|s| match (s, call.final_status) {
            (StatusFilter::Code(c), Some(code)) => code == c,
            (StatusFilter::Class(c), Some(code)) => code / 100 == c,
            (_, None) => false,
        });
        let host_ok = self.host.as_ref().is_none_or(|h| {
            call.participants.iter().any(|p| {
                p == h
                    || p.rsplit_once(':').is_some_and(|(ip, _)| {
                        ip.trim_matches(['[', ']']) == h.trim_matches(['[', ']'])
                    })
            })
        });
        let since_ok = self.since.is_none_or(|t| call.end_ts >= t);
        let until_ok = self.until.is_none_or(|t| call.start_ts <= t);
        call_ok && from_ok && to_ok && method_ok && status_ok && host_ok && since_ok && until_ok
    }
}
