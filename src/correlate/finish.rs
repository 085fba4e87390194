//! The end of a correlation: the calls still live summed up, every call numbered in order of
//! its first message, and the media streams tied to those numbers; handed out all at once, or
//! one by one when they went to the spill.

use std::collections::HashSet;

use super::outcome::CallNumbers;
use super::{Calls, Correlation, Correlator, Leg, spill};

impl Correlator {
    /// Sums up the calls still live, and numbers every call in order of its first message.
    fn number_calls(&mut self, media_roots: &[u32]) -> (std::io::Result<Calls>, CallNumbers) {
        let end = self.capture_end;
        // The groups of the live legs, in order of their first leg.
        let mut roots = Vec::new();
        let mut seen = HashSet::new();
        for id in self.legs.live_ids() {
            let root = self.groups.find(id);
            if seen.insert(root) {
                roots.push(root);
            }
        }
        self.ended.calls.reserve(roots.len());
        for root in roots {
            let ids = self.groups.members(root);
            let legs: Vec<&Leg> = ids.iter().filter_map(|&id| self.legs.get(id)).collect();
            let joins = self.joins.remove(&root).unwrap_or_default();
            self.ended
                .add(&self.options, root, &legs, &joins, end, &mut self.pending);
        }
        let held = std::mem::take(&mut self.ended.calls)
            .into_iter()
            .map(|r| (r.first_index, r.root, r.summary, r.records))
            .collect();
        let groups = std::mem::take(&mut self.groups);
        let wanted = |root: usize| {
            u32::try_from(root).is_ok_and(|root| media_roots.binary_search(&root).is_ok())
        };
        match spill::number(held, self.ended.spill.take(), wanted) {
            Ok((calls, number)) => (Ok(calls), CallNumbers { groups, number }),
            Err(err) => (
                Err(err),
                CallNumbers {
                    groups,
                    number: spill::RootNumbers::default(),
                },
            ),
        }
    }

    /// Ends the capture and sums everything up.
    pub fn finish(self) -> Correlation {
        let (mut correlation, calls, streams) = self.finish_streaming();
        match streams.into_vec() {
            Ok(media) => correlation.media = media,
            Err(err) => correlation.warnings.push(spill_unreadable(&err)),
        }
        correlation.calls.reserve_exact(calls.len());
        for call in calls {
            match call {
                Ok(call) => correlation.calls.push(call),
                Err(err) => {
                    correlation.warnings.push(spill_unreadable(&err));
                    break;
                }
            }
        }
        correlation
    }

    /// Ends the capture and sums everything up, but for the calls and the media streams: they
    /// are handed out one by one in order, read back from the spill when
    /// [`super::Options::spill_after`] made one (the correlation's `calls` and `media` are empty).
    pub fn finish_streaming(mut self) -> (Correlation, Calls, spill::Streams) {
        let end = self.capture_end;
        let dropped = self.dropped();
        let mut warnings = dropped.warnings(&self.limits);
        warnings.extend(self.without_call_id.warning());
        // Streams are sorted and written out while the calls still live are summed up: on a
        // large capture each takes tens of milliseconds, on the critical path of every command.
        // The calls the streams will ask the number of.
        let mut media_roots: Vec<u32> = self
            .media
            .stream_groups()
            .filter_map(|g| u32::try_from(self.groups.root(g)).ok())
            .collect();
        media_roots.sort_unstable();
        media_roots.dedup();
        let media = std::mem::take(&mut self.media);
        let verdict = self.attacks.verdict();
        let attacks = verdict.findings.clone();
        let (calls, media) = std::thread::scope(|scope| {
            let streams = scope.spawn(move || media.end());
            let (calls, root_number) = self.number_calls(&media_roots);
            let streams = streams
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let media = streams.into_streams(|group| root_number.of(group));
            (calls, media)
        });
        let calls = calls
            .unwrap_or_else(|err| {
                warnings.push(spill_unreadable(&err));
                Calls::none()
            })
            .marked_by(verdict);
        let media = media.unwrap_or_else(|err| {
            warnings.push(spill_unreadable(&err));
            spill::Streams::default()
        });
        let correlation = Correlation {
            calls: Vec::new(),
            counted: self.ended.counted,
            messages: self.messages,
            media: Vec::new(),
            retransmissions: self.retransmissions,
            duplicates: self.duplicate_copies,
            unparsed: self.unparsed,
            orphan_icmp: self.orphan_icmp,
            capture_end: end,
            dropped,
            warnings,
            attacks,
        };
        (correlation, calls, media)
    }
}

/// The warning of calls lost with the spill that held them.
fn spill_unreadable(err: &std::io::Error) -> crate::capture::Warning {
    crate::capture::Warning {
        frame: None,
        kind: crate::capture::WarningKind::LimitReached {
            detail: format!(
                "the calls or streams written to a temporary file to keep memory bounded could not be read back ({err}); they are left out"
            ),
        },
    }
}
