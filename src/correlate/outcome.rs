//! What correlation found: the calls summed up and numbered, their media streams, and the
//! figures of the capture; and, while it runs, the calls that will not change any more.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::group::{self, CallSummary};
use super::join::Join;
use super::leg::{Kind, Leg};
use super::limits::Dropped;
use super::media::MediaStream;
use super::record::MessageRecord;
use super::spill::CallSpill;
use crate::capture::{Timestamp, Warning};

/// A call summed up when it was over, before it gets its number.
#[derive(Debug)]
pub(super) struct Retired {
    /// Index of its first message (calls are numbered in that order).
    pub(super) first_index: usize,
    /// Its group (root leg), which media streams name.
    pub(super) root: usize,
    pub(super) summary: CallSummary,
    /// The records of its messages, encoded ([`super::Options::message_records`]).
    pub(super) records: Vec<u8>,
}

/// The calls that will not change any more: those over during the capture, then at its end
/// all the others.
#[derive(Debug, Default)]
pub(super) struct Ended {
    /// Summed up, numbered at the end.
    pub(super) calls: Vec<Retired>,
    /// Counted by kind ([`super::Options::count_only`]).
    pub(super) counted: BTreeMap<&'static str, u64>,
    /// Where the calls go once more than [`super::Options::spill_after`] are held.
    pub(super) spill: Option<CallSpill>,
    /// The spill could not be written: calls stay held.
    pub(super) spill_failed: bool,
    /// Bytes of the message records of the calls held.
    held_records: usize,
}

/// Bytes of message records held before the calls go to the spill (whatever their number):
/// the records of a call weigh several times its summary.
const SPILL_AFTER_RECORDS: usize = 4 << 20;

impl Ended {
    /// Adds the call of these legs (first leg first), group `root`, as it stands at `at`:
    /// only counted by kind when the options count only.
    /// With [`super::Options::message_records`], the records of its messages are taken out of
    /// `records` and go with it, encoded.
    pub(super) fn add(
        &mut self,
        options: &super::Options,
        root: usize,
        legs: &[&Leg],
        joins: &[Join],
        at: Timestamp,
        records: &mut super::spill::Waiting,
    ) {
        let Some(first) = legs.first() else {
            return;
        };
        let other = || {
            options.count_others
                && options
                    .only_call_ids
                    .as_ref()
                    .is_some_and(|ids| !legs.iter().any(|l| ids.contains(l.call_id.as_str())))
        };
        if options.count_only || other() {
            *self.counted.entry(first.kind.as_str()).or_default() += 1;
            return;
        }
        let joins: Vec<&Join> = joins.iter().collect();
        if let Some(summary) = group::summarize(0, legs, &joins, at, options.keep_messages) {
            let mut encoded = Vec::new();
            if options.message_records {
                for &i in &summary.message_indices {
                    records.take_into(i, &mut encoded);
                }
            }
            self.held_records += encoded.len();
            self.calls.push(Retired {
                first_index: first.first_index,
                root,
                summary,
                records: encoded,
            });
        }
        if options
            .spill_after
            .is_some_and(|held| self.calls.len() > held || self.held_records > SPILL_AFTER_RECORDS)
        {
            self.spill_held();
        }
    }

    /// Writes the calls held to the spill (opened on first use); they stay held when it
    /// cannot be written (memory then grows as without a spill).
    pub(super) fn spill_held(&mut self) {
        if self.spill_failed || self.calls.is_empty() {
            return;
        }
        let spill = match self.spill.as_mut() {
            Some(spill) => spill,
            None => match CallSpill::new() {
                Ok(spill) => self.spill.insert(spill),
                Err(_) => {
                    self.spill_failed = true;
                    return;
                }
            },
        };
        let mut written = 0;
        for r in &self.calls {
            if spill
                .push(r.first_index, r.root, &r.summary, &r.records)
                .is_err()
            {
                self.spill_failed = true;
                break;
            }
            written += 1;
        }
        self.calls.drain(..written);
        self.held_records = self.calls.iter().map(|r| r.records.len()).sum();
    }
}

/// Everything correlation found.
#[derive(Debug, Default)]
pub struct Correlation {
    /// Calls, registrations and other exchanges, in order of first message (without those
    /// only counted, see [`Correlation::count`]).
    pub calls: Vec<CallSummary>,
    /// Exchanges that are over, counted by kind and not summed up ([`super::Options::count_only`]).
    pub counted: BTreeMap<&'static str, u64>,
    /// Message records by index (empty unless kept).
    pub messages: Vec<MessageRecord>,
    /// Media streams (RTP), announced or not.
    pub media: Vec<MediaStream>,
    /// Retransmissions over the capture.
    pub retransmissions: u64,
    /// Copies of messages taken twice by the capture (a mirror port, two capture points).
    pub duplicates: u64,
    /// Messages whose start line could not be parsed (counted, not correlated).
    pub unparsed: u64,
    /// ICMP errors quoting SIP that matched no message.
    pub orphan_icmp: u64,
    /// Time of the last frame.
    pub capture_end: Timestamp,
    /// What the caps dropped.
    pub dropped: Dropped,
    /// What the caps dropped, as sentences (empty when nothing was).
    pub warnings: Vec<Warning>,
    /// The scans, floods and password guessing found ([`super::attack`]).
    pub attacks: Vec<super::attack::AttackFinding>,
}

impl Correlation {
    /// The streams listed with `calls`: theirs, and the unannounced ones too when `calls` are
    /// all of the capture's (what `calls --json` and the Parquet tables show).
    pub fn media_listed_with(&self, calls: &[&CallSummary]) -> Vec<&MediaStream> {
        let ids: Vec<usize> = calls.iter().map(|c| c.id).collect();
        self.media_listed(&ids, calls.len() == self.calls.len())
    }

    /// The streams listed with the calls numbered `ids`: theirs, or every stream when `every`
    /// call is listed (the unannounced ones too).
    pub fn media_listed(&self, ids: &[usize], every: bool) -> Vec<&MediaStream> {
        if every {
            return self.media.iter().collect();
        }
        // Calls are numbered from 1 without gaps: a flag per number.
        let mut listed = vec![false; ids.iter().max().map_or(1, |n| n + 1)];
        for &id in ids {
            if let Some(flag) = listed.get_mut(id) {
                *flag = true;
            }
        }
        self.media
            .iter()
            .filter(|m| m.call.is_some_and(|id| listed.get(id) == Some(&true)))
            .collect()
    }

    /// Exchanges of one kind, listed or only counted.
    pub fn count(&self, kind: Kind) -> u64 {
        let listed = self
            .calls
            .iter()
            .filter(|c| c.kind == kind.as_str())
            .count() as u64;
        listed + self.counted.get(kind.as_str()).copied().unwrap_or(0)
    }

    /// The kept records of a call's messages, in capture order.
    pub fn messages_of(&self, call: &CallSummary) -> Vec<&MessageRecord> {
        call.message_indices
            .iter()
            .filter_map(|i| {
                let at = self.messages.binary_search_by_key(i, |m| m.index).ok()?;
                self.messages.get(at)
            })
            .collect()
    }

    /// The media streams announced for a call (a pass over every stream: for many calls,
    /// see [`Correlation::media_by_call`]).
    pub fn media_of(&self, call: &CallSummary) -> Vec<&MediaStream> {
        self.media
            .iter()
            .filter(|m| m.call == Some(call.id))
            .collect()
    }

    /// The media streams of every call, gathered in one pass.
    pub fn media_by_call(&self) -> MediaByCall<'_> {
        MediaByCall::gather(&self.media)
    }
}

/// The media streams of each call (see [`Correlation::media_by_call`]).
pub struct MediaByCall<'a>(HashMap<usize, Vec<&'a MediaStream>>);

impl<'a> MediaByCall<'a> {
    /// The streams of `media` gathered by call, in one pass.
    pub fn gather(media: &'a [MediaStream]) -> MediaByCall<'a> {
        let mut by_call: HashMap<usize, Vec<&MediaStream>> = HashMap::default();
        for stream in media {
            if let Some(call) = stream.call {
                by_call.entry(call).or_default().push(stream);
            }
        }
        MediaByCall(by_call)
    }

    /// The streams of a call, in the order of [`Correlation::media`].
    pub fn of(&self, call: &CallSummary) -> &[&'a MediaStream] {
        self.0.get(&call.id).map_or(&[], Vec::as_slice)
    }
}

/// The call number of each group of legs, once the calls are numbered.
pub(super) struct CallNumbers {
    /// The groups of legs, to find a leg's root.
    pub(super) groups: group::Groups,
    /// Call number by group root.
    pub(super) number: super::spill::RootNumbers,
}

impl CallNumbers {
    pub(super) fn of(&self, group: usize) -> Option<usize> {
        self.number.of(self.groups.root(group))
    }
}
