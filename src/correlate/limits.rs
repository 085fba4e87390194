//! Caps that keep correlation bounded on captures of any size or hostility.
//!
//! A leg (one Call-ID) is kept for the whole capture, because `calls` lists every call at the
//! end; what a capture of endless dialogs can grow is therefore capped in number, and what is
//! only needed while an exchange is live (transactions, requests in progress, the last message
//! on each path, media announcements) is forgotten when idle or when its cap is reached. Each
//! time something is dropped it is counted, and [`Dropped::warnings`] says so.

use crate::capture::{Warning, WarningKind};

/// Call-IDs followed (legs, about 1 KB each: about 1 GB at most). Messages of later Call-IDs
/// are counted but not correlated.
pub const MAX_LEGS: usize = 1_000_000;
/// Live legs beyond which legs that are over are summed up after
/// [`HURRIED_QUIET_NANOS`](super::store::HURRIED_QUIET_NANOS) of quiet instead of 32 or 64 s.
/// A scanner's flood (10,000 INVITEs a second, each its own Call-ID, never answered) then
/// holds about this many legs instead of 320,000; ordinary traffic stays below (the 32,000
/// calls of the 2 GB benchmark have at most 6,682 legs live at once).
pub const LEGS_AT_EASE: usize = 10_000;
/// Transactions followed at once (about 500 bytes each; the 2 GB benchmark peaks at 16,064;
/// a flood of messages without a Call-ID, all one exchange, reaches the cap).
/// Beyond, the least recently active sixteenth is forgotten (a later message of one of them
/// starts a new transaction).
pub const MAX_TRANSACTIONS: usize = 50_000;
/// An INVITE transaction answered provisionally and silent for this long is forgotten (it may
/// wait minutes for its final answer: RFC 3261 Timer C is more than 3 minutes); other
/// transactions without a final answer go after 32 s (Timers B and F).
pub const TRANSACTION_IDLE_NANOS: i64 = 300_000_000_000;
/// Message records kept for ladders and explanations (about 1.5 KB each). Later messages
/// are still correlated and counted, but their ladders miss them.
pub const MAX_KEPT_MESSAGES: usize = 1_000_000;
/// Bytes of raw messages kept for explanations; later records keep no raw bytes.
pub const MAX_KEPT_RAW_BYTES: usize = 512 << 20;
/// Hosts whose requests in progress are remembered (to join a proxy's re-issued request, or
/// a back-to-back agent's other leg, which follow within moments). An OPTIONS sweep across a
/// network makes every address a host served.
pub const MAX_OPEN_HOSTS: usize = 16_384;
/// (sender, receiver) paths whose last message is remembered (to tie ICMP errors to it), in
/// two generations of half as many (see `paths`).
pub const MAX_PATHS: usize = 65_536;
/// Media addresses announced in SDP remembered at once (to tie RTP streams to calls).
pub const MAX_ANNOUNCED: usize = 262_144;

/// The caps a [`Correlator`](super::Correlator) works under; the defaults are the constants
/// of this module (tests lower them to make a point with small inputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// See [`MAX_LEGS`].
    pub legs: usize,
    /// See [`LEGS_AT_EASE`].
    pub legs_at_ease: usize,
    /// See [`MAX_TRANSACTIONS`].
    pub transactions: usize,
    /// See [`TRANSACTION_IDLE_NANOS`].
    pub transaction_idle_nanos: i64,
    /// See [`MAX_KEPT_MESSAGES`].
    pub kept_messages: usize,
    /// See [`MAX_KEPT_RAW_BYTES`].
    pub kept_raw_bytes: usize,
    /// See [`MAX_OPEN_HOSTS`].
    pub open_hosts: usize,
    /// See [`MAX_PATHS`].
    pub paths: usize,
    /// See [`MAX_ANNOUNCED`].
    pub announced: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            legs: MAX_LEGS,
            legs_at_ease: LEGS_AT_EASE,
            transactions: MAX_TRANSACTIONS,
            transaction_idle_nanos: TRANSACTION_IDLE_NANOS,
            kept_messages: MAX_KEPT_MESSAGES,
            kept_raw_bytes: MAX_KEPT_RAW_BYTES,
            open_hosts: MAX_OPEN_HOSTS,
            paths: MAX_PATHS,
            announced: MAX_ANNOUNCED,
        }
    }
}

/// What the caps dropped over the capture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Dropped {
    /// Messages not correlated because their Call-ID came after [`Limits::legs`] others.
    pub messages_beyond_leg_cap: u64,
    /// Legs summed up after less quiet than their own because [`Limits::legs_at_ease`] were
    /// live at once.
    pub legs_hurried: u64,
    /// Transactions forgotten because [`Limits::transactions`] were live at once.
    pub transactions_evicted: u64,
    /// Transactions forgotten without a final answer after their client's wait (32 s, or
    /// [`Limits::transaction_idle_nanos`] for an INVITE answered provisionally).
    pub transactions_abandoned: u64,
    /// Message records not kept.
    pub records_not_kept: u64,
    /// Message records kept without their raw bytes.
    pub raw_not_kept: u64,
    /// Hosts whose requests in progress were forgotten.
    pub open_hosts_forgotten: u64,
    /// Times the older half of the per-path memory was forgotten.
    pub paths_reset: u64,
    /// Media announcements forgotten.
    pub announcements_forgotten: u64,
}

impl Dropped {
    /// One warning per cap that dropped something, saying what.
    pub fn warnings(&self, limits: &Limits) -> Vec<Warning> {
        let mut out = Vec::new();
        let mut say = |n: u64, detail: String| {
            if n > 0 {
                out.push(Warning {
                    frame: None,
                    kind: WarningKind::LimitReached { detail },
                });
            }
        };
        say(
            self.messages_beyond_leg_cap,
            format!(
                "more than {} Call-IDs; {} later messages of new Call-IDs were counted but not correlated into calls",
                limits.legs, self.messages_beyond_leg_cap
            ),
        );
        say(
            self.legs_hurried,
            format!(
                "more than {} exchanges live at once (a flood?); {} that were over were summed up after {} s of quiet instead of 32 or 64 s (a retransmission later than that shows as an exchange of its own)",
                limits.legs_at_ease,
                self.legs_hurried,
                super::store::HURRIED_QUIET_NANOS / 1_000_000_000
            ),
        );
        say(
            self.transactions_evicted,
            format!(
                "more than {} transactions at once; {} least recently active were forgotten (their later messages start new transactions)",
                limits.transactions, self.transactions_evicted
            ),
        );
        say(
            self.records_not_kept,
            format!(
                "more than {} messages; the records of {} later ones were not kept, so ladders miss them",
                limits.kept_messages, self.records_not_kept
            ),
        );
        say(
            self.raw_not_kept,
            format!(
                "more than {} MiB of raw messages; {} later records keep no raw bytes",
                limits.kept_raw_bytes >> 20,
                self.raw_not_kept
            ),
        );
        say(
            self.open_hosts_forgotten,
            format!(
                "more than {} hosts serving requests; {} forgotten (a proxy's re-issued request may not be joined to its call)",
                limits.open_hosts, self.open_hosts_forgotten
            ),
        );
        say(
            self.paths_reset,
            format!(
                "more than {} address pairs; the last messages of the older half were forgotten {} time(s) (an ICMP error may not be tied to its message)",
                limits.paths, self.paths_reset
            ),
        );
        say(
            self.announcements_forgotten,
            format!(
                "more than {} media addresses announced in SDP; {} oldest forgotten (their RTP streams show as unannounced)",
                limits.announced, self.announcements_forgotten
            ),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{Event, EventSink, SipPayload, Timestamp, Transport};
    use crate::correlate::{Correlator, Options};
    use crate::sip::framing;

    fn invite(n: u32) -> Vec<u8> {
        format!(
            "INVITE sip:bob@192.0.2.2 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK{n}\r\n\
             From: <sip:alice@192.0.2.1>;tag={n}\r\nTo: <sip:bob@192.0.2.2>\r\nCall-ID: {n}@x\r\n\
             CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: 56\r\n\r\n\
             v=0\r\nc=IN IP4 10.{}.{}.1\r\nm=audio 4000 RTP/AVP 0\r\ns=-\r\n\r\n",
            n >> 8 & 0xff,
            n & 0xff
        )
        .into_bytes()
    }

    fn feed(c: &mut Correlator, bytes: &[u8], n: u32, ts: Timestamp) {
        let framed = framing::frame_datagram(bytes).unwrap();
        c.frame(ts);
        c.event(Event::Sip(SipPayload {
            frame: u64::from(n),
            first_frame: u64::from(n),
            ts,
            src: ([192, 0, 2, 1], 5060).into(),
            dst: (std::net::Ipv4Addr::from(0x0a00_0000 + n), 5060).into(),
            transport: Transport::Udp,
            bytes,
            framed,
            outer: &[],
        }));
    }

    /// Dialogs that never end: legs stop at their cap, live state stays under its caps, and
    /// the warnings say what was dropped. (One million dialogs make the same point as the
    /// few thousand here, under caps lowered in proportion.)
    #[test]
    fn endless_dialogs_stay_under_every_cap() {
        let limits = Limits {
            legs: 1000,
            transactions: 256,
            kept_messages: 500,
            kept_raw_bytes: 100_000,
            open_hosts: 64,
            paths: 128,
            announced: 100,
            ..Limits::default()
        };
        let mut c = Correlator::with_limits(
            Options {
                keep_messages: true,
                keep_raw: true,
                only_call_ids: None,
                ..Options::default()
            },
            limits,
        );
        for n in 0..5000u32 {
            feed(&mut c, &invite(n), n, Timestamp(i64::from(n) * 1_000_000));
            assert!(c.legs() <= limits.legs);
            assert!(c.live_transactions() <= limits.transactions);
            assert!(c.kept_messages() <= limits.kept_messages);
            let (hosts, paths) = c.remembered_hosts_and_paths();
            assert!(hosts <= limits.open_hosts && paths <= limits.paths);
            assert!(c.announced_media() <= limits.announced);
        }
        let correlation = c.finish();
        assert_eq!(correlation.calls.len(), 1000);
        let d = correlation.dropped;
        assert_eq!(d.messages_beyond_leg_cap, 4000);
        assert!(d.transactions_evicted > 0 && d.records_not_kept > 0 && d.raw_not_kept > 0);
        assert!(d.open_hosts_forgotten > 0 && d.paths_reset > 0);
        assert!(d.announcements_forgotten > 0);
        let text: Vec<String> = correlation.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(text.len(), 7, "{text:#?}");
        assert!(text[0].contains("more than 1000 Call-IDs; 4000 later messages"));
    }

    /// INVITEs never answered: their transactions used to be kept for the whole capture. They
    /// are forgotten with their legs once these are quiet (RFC 3261 Timer B).
    #[test]
    fn unanswered_transactions_are_forgotten_with_their_legs() {
        let mut c = Correlator::new(Options::default());
        for n in 0..2000u32 {
            feed(&mut c, &invite(n), n, Timestamp(i64::from(n) * 1_000_000));
        }
        assert_eq!(c.live_transactions(), 2000);
        let later = Timestamp(super::super::store::LONE_QUIET_NANOS + 10_000_000_000);
        for n in 2000..3000u32 {
            feed(&mut c, &invite(n), n, later);
        }
        assert_eq!((c.legs(), c.live_transactions()), (1000, 1000));
        let d = c.dropped();
        assert_eq!((d.transactions_abandoned, d.legs_hurried), (0, 0));
        // Forgetting live state loses nothing from the summaries.
        assert_eq!(c.finish().calls.len(), 3000);
    }

    /// A scanner's flood: lone INVITEs, each under its own Call-ID, a thousand a second, ten
    /// times the legs allowed at ease. Live legs and transactions stay at that bound (the
    /// correlator's own peaks), every attempt is still summed up, the warning says why, and
    /// each step costs the same (no pass over the live legs).
    #[test]
    fn a_flood_of_lone_requests_stays_within_the_legs_at_ease() {
        let limits = Limits {
            legs_at_ease: 2_000,
            ..Limits::default()
        };
        let mut c = Correlator::with_limits(Options::default(), limits);
        let flood = 20_000u32;
        for n in 0..flood {
            feed(&mut c, &invite(n), n, Timestamp(i64::from(n) * 1_000_000));
            assert!(c.legs() <= limits.legs_at_ease + 1);
        }
        let (legs, transactions) = c.peaks();
        assert!(legs <= limits.legs_at_ease + 1, "{legs}");
        assert!(transactions <= limits.legs_at_ease + 1, "{transactions}");
        let hurried = c.dropped().legs_hurried;
        assert!(hurried >= u64::from(flood) - 2 * 2_000, "{hurried}");
        let correlation = c.finish();
        assert_eq!(correlation.calls.len(), flood as usize);
        assert!(correlation.calls.iter().all(|c| c.messages == 1));
        // Summed up early, they stand as they would have once quiet: timed out.
        let timed_out = correlation
            .calls
            .iter()
            .filter(|c| c.state == "timed-out")
            .count();
        assert!(timed_out as u64 >= hurried, "{timed_out} < {hurried}");
        let text: Vec<String> = correlation.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("more than 2000 exchanges live at once")),
            "{text:#?}"
        );
    }

    /// Requests answered at once, a thousand a second: each completed transaction waits 32 s
    /// for retransmissions, in a queue that followed the rate (a flood's 20,000 a second made
    /// 640,000) even when the transactions themselves were evicted. It stays at the cap.
    #[test]
    fn answered_requests_wait_in_a_queue_bounded_by_the_cap() {
        let limits = Limits {
            transactions: 256,
            ..Limits::default()
        };
        let mut c = Correlator::with_limits(Options::default(), limits);
        for n in 0..5_000u32 {
            let ts = Timestamp(i64::from(n) * 1_000_000);
            let via = format!("Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK{n}\r\n");
            let common = format!(
                "From: <sip:a@192.0.2.1>;tag={n}\r\nTo: <sip:b@192.0.2.2>\r\nCall-ID: o{n}@x\r\n\
                 CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
            );
            let request = format!("OPTIONS sip:b@192.0.2.2 SIP/2.0\r\n{via}{common}");
            let answer = format!("SIP/2.0 200 OK\r\n{via}{common}");
            feed(&mut c, request.as_bytes(), 2 * n, ts);
            feed(&mut c, answer.as_bytes(), 2 * n + 1, ts);
            assert!(c.completed_waiting() <= limits.transactions + 1);
        }
        assert!(c.dropped().transactions_evicted > 0);
        let correlation = c.finish();
        assert_eq!(correlation.calls.len(), 5_000);
        assert!(correlation.calls.iter().all(|c| c.messages == 2));
    }

    /// One call joined over many legs (each names the previous one's Call-ID, as a chain of
    /// back-to-back user agents would): summing it up compared every join with every leg and
    /// every participant with every other, quadratic in the legs.
    #[test]
    fn a_call_joined_over_many_legs_sums_up_in_linear_time() {
        let mut c = Correlator::new(Options::default());
        let legs = 10_000u32;
        for n in 0..legs {
            let mut m = String::from_utf8(invite(n)).unwrap();
            if n > 0 {
                m = m.replacen("CSeq:", &format!("X-Call-ID: {}@x\r\nCSeq:", n - 1), 1);
            }
            feed(&mut c, m.as_bytes(), n, Timestamp(i64::from(n) * 1_000_000));
        }
        let correlation = c.finish();
        assert_eq!(correlation.calls.len(), 1);
        let call = &correlation.calls[0];
        assert_eq!(call.legs.len(), legs as usize);
        assert_eq!(call.joined_by.len(), legs as usize - 1);
        assert_eq!(call.participants.len(), legs as usize + 1);
    }
}
