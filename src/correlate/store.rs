//! Where legs live until their call is over. A leg's state is needed while messages may still
//! come for it; once every leg of a call is over and has been quiet long enough (see
//! [`Leg::quiet_needed`]: [`LONE_QUIET_NANOS`] for a lone request and its answer,
//! [`RETIRE_AFTER_NANOS`] for a dialog or a registration), the call is summed up and its legs
//! are dropped. Memory then follows the calls in progress, not the length of the capture.
//!
//! Under a flood of lone requests (a scanner sends thousands a second, each under its own
//! Call-ID, none answered), 32 s of them would still be hundreds of thousands of legs: beyond
//! [`Limits::legs_at_ease`](super::Limits::legs_at_ease) live legs, those that are over are
//! summed up after [`HURRIED_QUIET_NANOS`] of quiet instead (counted, and said in a warning).
//!
//! A Call-ID may hold several legs at once (a registration and a call, two calls one after
//! the other, see [`super::exchange`]), so legs are found by Call-ID as a short list.
//!
//! A message that comes for a retired Call-ID after that starts a new leg: a retransmission
//! two minutes late, or a Call-ID reused by a broken client, shows as an exchange of its own.

use std::collections::VecDeque;

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

use super::leg::Leg;
use super::transaction::LINGER_NANOS;
use crate::capture::Timestamp;

/// How long every leg of a call must have been quiet before the call is summed up: well
/// beyond the 32 s during which retransmissions and late answers still come (RFC 3261
/// Timer B, F, H), and beyond what joins a leg to another (a proxy re-issuing a request, a
/// back-to-back agent naming the other Call-ID, both within seconds).
pub const RETIRE_AFTER_NANOS: i64 = 64_000_000_000;
/// How long a leg that holds no dialog must have been quiet (a request and its final answer,
/// or a request never answered): its transaction is over by then (RFC 3261 Timers B, D, F,
/// J and K are 64 × T1 at most), and so are its retransmissions.
pub const LONE_QUIET_NANOS: i64 = LINGER_NANOS;
/// How long a leg that is over must have been quiet when too many legs are live: past the
/// first retransmissions (T1 = 500 ms, then 1 s) and the joins that follow within moments (a
/// proxy's relayed request, a back-to-back agent's other leg, a retry with credentials).
pub const HURRIED_QUIET_NANOS: i64 = 1_000_000_000;

/// The live legs of the capture by id (a map, not a slot per leg ever: a flood starts
/// millions of legs that are each live for a second).
#[derive(Default)]
pub struct LegStore {
    slots: HashMap<usize, Box<Leg>>,
    /// Legs ever started.
    started: usize,
    live: usize,
    /// The live legs of each Call-ID, oldest first (nearly always one).
    by_call_id: HashMap<String, SmallVec<[usize; 1]>>,
    /// (time of a message, its leg), oldest first: where quiet legs are looked for.
    activity: VecDeque<(Timestamp, usize)>,
    /// The same for legs quiet for [`LONE_QUIET_NANOS`] that must wait for
    /// [`RETIRE_AFTER_NANOS`] (dialogs, registrations), oldest first.
    waiting: VecDeque<(Timestamp, usize)>,
    /// The most legs live at once.
    peak: usize,
}

impl LegStore {
    /// Legs ever started (the next leg's id).
    pub fn started(&self) -> usize {
        self.started
    }

    /// Legs not retired.
    pub fn live(&self) -> usize {
        self.live
    }

    /// The most legs live at once so far.
    pub fn peak(&self) -> usize {
        self.peak
    }

    /// The ids of the live legs, in order.
    pub fn live_ids(&self) -> Vec<usize> {
        let mut ids: Vec<usize> = self.slots.keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// A live leg.
    pub fn get(&self, id: usize) -> Option<&Leg> {
        self.slots.get(&id).map(|leg| &**leg)
    }

    /// A live leg, to update.
    pub fn get_mut(&mut self, id: usize) -> Option<&mut Leg> {
        self.slots.get_mut(&id).map(|leg| &mut **leg)
    }

    /// The live legs of a Call-ID, oldest first.
    pub fn of_call_id(&self, call_id: &str) -> &[usize] {
        self.by_call_id
            .get(call_id)
            .map_or(&[], |legs| legs.as_slice())
    }

    /// Adds a leg; its id must be [`LegStore::started`].
    pub fn push(&mut self, leg: Leg) {
        match self.by_call_id.get_mut(leg.call_id.as_str()) {
            Some(legs) => legs.push(leg.id),
            None => {
                self.by_call_id
                    .insert(leg.call_id.clone(), SmallVec::from_elem(leg.id, 1));
            }
        }
        self.started = self.started.max(leg.id + 1);
        self.slots.insert(leg.id, Box::new(leg));
        self.live += 1;
        self.peak = self.peak.max(self.live);
    }

    /// Notes that a message of a leg was seen at `ts`.
    pub fn touch(&mut self, leg: usize, ts: Timestamp) {
        self.activity.push_back((ts, leg));
    }

    /// Legs that may be summed up at `now`, each once, in order of their last message: those
    /// quiet for their [`Leg::quiet_needed`], and, while more than `at_ease` legs are live,
    /// those quiet for [`HURRIED_QUIET_NANOS`] that are over. Work is constant per message:
    /// each one's entry moves along two queues at most.
    pub fn quiet(&mut self, now: Timestamp, at_ease: usize) -> Vec<usize> {
        let mut found = Vec::new();
        while let Some(&(at, id)) = self.activity.front() {
            let age = now.nanos_since(at);
            let hurried =
                age > HURRIED_QUIET_NANOS && self.live.saturating_sub(found.len()) > at_ease;
            if age <= LONE_QUIET_NANOS && !hurried {
                break;
            }
            self.activity.pop_front();
            // A later message of the leg has its own entry further on.
            let Some(leg) = self.get(id).filter(|l| l.end <= at) else {
                continue;
            };
            if age > leg.quiet_needed() || (hurried && leg.may_hurry()) {
                found.push(id);
            } else if age > LONE_QUIET_NANOS {
                self.waiting.push_back((at, id));
            }
            // Else a leg not over, taken early: the message that changes that comes later.
        }
        while let Some(&(at, id)) = self.waiting.front() {
            if now.nanos_since(at) <= RETIRE_AFTER_NANOS {
                break;
            }
            self.waiting.pop_front();
            if self.get(id).is_some_and(|l| l.end <= at) {
                found.push(id);
            }
        }
        found
    }

    /// Takes a leg out; its slot stays empty.
    pub fn retire(&mut self, id: usize) -> Option<Leg> {
        let leg = self.slots.remove(&id)?;
        self.live -= 1;
        if let Some(legs) = self.by_call_id.get_mut(leg.call_id.as_str()) {
            legs.retain(|l| *l != id);
            if legs.is_empty() {
                self.by_call_id.remove(leg.call_id.as_str());
            }
        }
        Some(*leg)
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use crate::capture::{RtpPacket, Timestamp};
    use crate::correlate::test_feed;
    use crate::correlate::{Correlation, Kind, Options};

    const ALICE: ([u8; 4], u16) = ([192, 0, 2, 1], 5060);
    const BOB: ([u8; 4], u16) = ([192, 0, 2, 2], 5060);

    fn message(
        first: &str,
        call: u32,
        from_tag: &str,
        to_tag: &str,
        cseq: &str,
        sdp: bool,
    ) -> Vec<u8> {
        let body = if sdp {
            format!(
                "v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio {} RTP/AVP 0\r\n",
                4000 + (call % 100) * 2
            )
        } else {
            String::new()
        };
        let to_tag = if to_tag.is_empty() {
            String::new()
        } else {
            format!(";tag={to_tag}")
        };
        format!(
            "{first}\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK{call}{cseq}\r\n\
             From: <sip:alice@x>;tag={from_tag}\r\nTo: <sip:bob@x>{to_tag}\r\nCall-ID: {call}@x\r\n\
             CSeq: {cseq}\r\n{}Content-Length: {}\r\n\r\n{body}",
            if sdp {
                "Content-Type: application/sdp\r\n"
            } else {
                ""
            },
            body.len()
        )
        .into_bytes()
    }

    struct Feed(test_feed::Feed);

    impl Feed {
        fn sip(&mut self, bytes: &[u8], at_ms: i64, forward: bool) {
            let (src, dst): (SocketAddr, SocketAddr) = if forward {
                (ALICE.into(), BOB.into())
            } else {
                (BOB.into(), ALICE.into())
            };
            self.0.send(bytes, src, dst, at_ms);
        }

        /// A whole call from `at_ms`: INVITE, 200, ACK, BYE after `talk_ms` (none when 0), 200.
        fn call(&mut self, n: u32, at_ms: i64, talk_ms: i64) {
            let invite = "INVITE sip:bob@x SIP/2.0";
            self.sip(&message(invite, n, "a", "", "1 INVITE", true), at_ms, true);
            self.sip(
                &message("SIP/2.0 200 OK", n, "a", "b", "1 INVITE", true),
                at_ms + 100,
                false,
            );
            self.sip(
                &message("ACK sip:bob@x SIP/2.0", n, "a", "b", "1 ACK", false),
                at_ms + 110,
                true,
            );
            if talk_ms > 0 {
                let bye = message("BYE sip:bob@x SIP/2.0", n, "a", "b", "2 BYE", false);
                self.sip(&bye, at_ms + 110 + talk_ms, true);
                let ok = message("SIP/2.0 200 OK", n, "a", "b", "2 BYE", false);
                self.sip(&ok, at_ms + 120 + talk_ms, false);
            }
        }

        fn rtp(&mut self, n: u32, seq: u16, at_ms: i64) {
            self.0.rtp(RtpPacket {
                frame: 0,
                ts: Timestamp(at_ms * 1_000_000),
                src: ([192, 0, 2, 2], 6000).into(),
                dst: ([192, 0, 2, 1], 4000 + (n % 100) as u16 * 2).into(),
                ssrc: n % 100,
                seq,
                rtp_ts: u32::from(seq) * 160,
                payload_type: 0,
                marker: false,
                len: 172,
            });
        }
    }

    /// Calls two minutes apart: each is summed up and dropped while the next goes on, an
    /// established call and a registration stay, and the summaries and their numbers are
    /// those of a correlation that kept everything.
    fn run(options: Options) -> (Correlation, Vec<usize>) {
        let mut f = Feed(test_feed::Feed::with(options));
        let mut live = Vec::new();
        let register = message("REGISTER sip:x SIP/2.0", 99, "r", "", "1 REGISTER", false);
        f.sip(&register, 0, true);
        f.sip(
            &message("SIP/2.0 200 OK", 99, "r", "s", "1 REGISTER", false),
            10,
            false,
        );
        f.call(100, 50, 0); // answered, never hung up
        for n in 0..5 {
            let start = 1_000 + i64::from(n) * 200_000;
            f.call(n, start, 2_000);
            for seq in 0..50 {
                f.rtp(n, seq, start + 200 + i64::from(seq) * 20);
            }
            live.push(f.0.correlator().legs());
        }
        (f.0.finish(), live)
    }

    #[test]
    fn calls_that_are_over_are_summed_up_and_dropped() {
        let (correlation, live) = run(Options::default());
        // The registration, the established call and the call in progress; the calls before
        // are dropped.
        assert_eq!(live, [3, 3, 3, 3, 3]);
        let calls = &correlation.calls;
        assert_eq!(calls.len(), 7);
        let ids: Vec<usize> = calls.iter().map(|c| c.id).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(calls[0].kind, "registration");
        assert_eq!(
            (calls[1].call_id.as_str(), calls[1].state),
            ("100@x", "established")
        );
        for (n, call) in calls[2..].iter().enumerate() {
            assert_eq!(call.call_id, format!("{n}@x"));
            assert_eq!((call.state, call.messages), ("completed", 5));
            assert_eq!((call.setup_ms, call.talk_ms), (Some(100), Some(2_000)));
        }
        // Each call's stream is still tied to it, though the call was over long before.
        assert_eq!(correlation.media.len(), 5);
        for (n, stream) in correlation.media.iter().enumerate() {
            assert_eq!(
                (stream.call, stream.packets, stream.lost),
                (Some(n + 3), 50, 0)
            );
        }
    }

    #[test]
    fn counting_only_keeps_no_summary() {
        let (correlation, _) = run(Options {
            count_only: true,
            skip_media: true,
            ..Options::default()
        });
        assert!(correlation.calls.is_empty());
        assert!(correlation.media.is_empty());
        assert_eq!(correlation.count(Kind::Call), 6);
        assert_eq!(correlation.count(Kind::Registration), 1);
    }

    /// How long each kind of leg waits, quiet, before it is summed up: a lone unanswered
    /// INVITE and a refused registration go after their transaction's 32 s; an INVITE that
    /// rings waits for its answer (a callee may stay silent for a minute); an accepted
    /// registration stays for its refresh.
    #[test]
    fn each_leg_waits_as_long_as_its_kind_needs() {
        let mut f = Feed(test_feed::Feed::new());
        let invite = "INVITE sip:bob@x SIP/2.0";
        f.sip(&message(invite, 1, "a", "", "1 INVITE", false), 0, true);
        f.sip(&message(invite, 2, "a", "", "1 INVITE", false), 0, true);
        let ringing = message("SIP/2.0 180 Ringing", 2, "a", "b", "1 INVITE", false);
        f.sip(&ringing, 100, false);
        let register = "REGISTER sip:x SIP/2.0";
        f.sip(&message(register, 3, "r", "", "1 REGISTER", false), 0, true);
        let forbidden = message("SIP/2.0 403 Forbidden", 3, "r", "s", "1 REGISTER", false);
        f.sip(&forbidden, 10, false);
        f.sip(&message(register, 4, "r", "", "1 REGISTER", false), 0, true);
        let ok = message("SIP/2.0 200 OK", 4, "r", "s", "1 REGISTER", false);
        f.sip(&ok, 10, false);
        // 40 s later: the lone INVITE is summed up; the one ringing and both registrations
        // wait (a refused one may be retried under its Call-ID).
        f.sip(
            &message(invite, 9, "z", "", "1 INVITE", false),
            40_000,
            true,
        );
        assert_eq!(f.0.correlator().legs(), 4);
        // The callee answers after 50 s of ringing: the same call.
        let answer = message("SIP/2.0 200 OK", 2, "a", "b", "1 INVITE", false);
        f.sip(&answer, 50_000, false);
        // 75 s: the refused registration (64 s) and the second lone INVITE (35 s) are summed
        // up too; the call and the accepted registration stay.
        f.sip(
            &message(invite, 10, "z", "", "1 INVITE", false),
            75_000,
            true,
        );
        assert_eq!(f.0.correlator().legs(), 3);
        let calls = f.0.finish().calls;
        let states: Vec<(&str, &str)> = calls
            .iter()
            .map(|c| (c.call_id.as_str(), c.state))
            .collect();
        assert_eq!(
            states,
            [
                ("1@x", "timed-out"),
                ("2@x", "established"),
                ("3@x", "failed"),
                ("4@x", "registered"),
                ("9@x", "timed-out"),
                ("10@x", "trying")
            ]
        );
    }

    /// A later call that announces the same media address and sends with the same SSRC (a
    /// replayed capture) gets a stream of its own, not the rest of the first call's.
    #[test]
    fn a_call_reusing_addresses_and_ssrc_gets_its_own_stream() {
        let mut f = Feed(test_feed::Feed::new());
        for (n, start) in [(1, 0), (101, 20_000)] {
            f.call(n, start, 2_000);
            for seq in 0..50 {
                f.rtp(n, seq, start + 200 + i64::from(seq) * 20);
            }
        }
        let correlation = f.0.finish();
        let streams: Vec<(Option<usize>, u64)> = correlation
            .media
            .iter()
            .map(|m| (m.call, m.packets))
            .collect();
        assert_eq!(streams, [(Some(1), 50), (Some(2), 50)]);
    }
}
