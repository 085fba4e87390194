//! Media: RTP streams matched to the SDP that announced them (the `c=` address and `m=` port a
//! party asked to receive on, or sends from with symmetric RTP), with the figures that tell
//! whether the media flowed well: packets, bytes, duration, loss from sequence gaps, jitter
//! (RFC 3550 §6.4.1) and the largest gap between packets. Streams nobody announced are
//! listed too, once they look like real RTP (a few packets of one SSRC).

use rustc_hash::FxHashMap as HashMap;
use std::io;
use std::net::SocketAddr;

use serde::Serialize;

use super::record::{Codec, MediaOffer, MessageRecord};
use super::spill::{StreamOrder, Streams};
use crate::capture::{RtpPacket, Timestamp};

/// Streams followed at once; more are counted but not tracked.
pub const MAX_STREAMS: usize = 100_000;
/// A stream without a packet for this long is over: its figures are set aside and its place
/// freed (a call on hold longer than this without any RTP resumes as a second stream).
pub const STREAM_IDLE_NANOS: i64 = 60_000_000_000;
/// A pause in a stream after which a new call's announcement of its addresses starts a new
/// stream: RTP comes every 20 to 60 ms; a longer pause (silence suppression, hold) keeps the
/// stream when no other call announced its addresses since.
const PAUSE_NANOS: i64 = 200_000_000;
/// How often, in capture time, streams are checked for idleness.
const STREAM_SWEEP_NANOS: i64 = 10_000_000_000;
/// Packets of one SSRC before an unannounced flow is believed to be RTP.
const MIN_UNANNOUNCED_PACKETS: u64 = 8;

#[derive(Clone, Debug)]
struct Announcement {
    /// Order of announcement, to forget the oldest first.
    seq: u64,
    group: usize,
    kind: String,
    codecs: Vec<Codec>,
}

/// What identifies and describes a stream: read at its end only, so kept apart from the
/// figures every packet updates (a smaller entry per stream keeps more streams in cache).
#[derive(Clone, Debug)]
struct StreamAbout {
    src: SocketAddr,
    dst: SocketAddr,
    ssrc: u32,
    kind: Option<String>,
    payload_type: u8,
    codec: Option<String>,
}

#[derive(Clone, Debug)]
struct StreamState {
    about: Box<StreamAbout>,
    group: Option<usize>,
    clock_rate: u32,
    packets: u64,
    bytes: u64,
    first: Timestamp,
    last: Timestamp,
    base_seq: u32,
    max_seq: u16,
    cycles: u32,
    jitter: f64,
    /// Arrival (in media clock units, relative to the first packet) and RTP timestamp of the
    /// previous packet.
    previous: Option<(f64, u32)>,
    max_delta_nanos: i64,
    duplicates: u64,
}

/// One RTP stream (one SSRC in one direction), as reported.
#[derive(Clone, Debug, Serialize)]
pub struct MediaStream {
    /// The call it belongs to (1-based id), when SDP announced it.
    pub call: Option<usize>,
    /// Sender.
    pub src: String,
    /// Receiver.
    pub dst: String,
    /// Synchronisation source, in hex.
    pub ssrc: String,
    /// `audio`, `video`... as announced.
    pub kind: Option<String>,
    /// RTP payload type of the first packet.
    pub payload_type: u8,
    /// Its encoding name, from the SDP (or the static table).
    pub codec: Option<String>,
    /// Packets received.
    pub packets: u64,
    /// UDP payload bytes.
    pub bytes: u64,
    /// Time of the first packet.
    pub start: String,
    /// First to last packet.
    pub duration_ms: u64,
    /// Packets missing from the sequence numbers (never negative).
    pub lost: u64,
    /// Lost over expected, in percent.
    pub loss_percent: f64,
    /// Interarrival jitter at the end, in milliseconds.
    pub jitter_ms: f64,
    /// Largest gap between two packets, in milliseconds.
    pub max_delta_ms: f64,
    /// R-factor estimated with the G.107 E-model (see [`super::quality`]).
    pub r_factor: f64,
    /// Mean opinion score estimated from the R-factor (1 to 4.5).
    pub mos: Option<f64>,
    /// Copies of a packet taken twice by the capture (a mirror port), not counted in
    /// `packets`.
    #[serde(skip_serializing_if = "is_zero")]
    pub duplicates: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Identifies a stream: sender, receiver, SSRC. IPv4 streams (nearly all of them) are packed
/// in two integers, which hash in a couple of instructions: this lookup runs for every RTP
/// packet, the bulk of a capture. Others are boxed, so that the key (and each entry of the
/// table, its cache lines read for every packet) stays small.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum StreamKey {
    V4(u64, u64),
    Other(Box<(SocketAddr, SocketAddr, u32)>),
}

impl StreamKey {
    fn of(p: &RtpPacket) -> StreamKey {
        match (p.src, p.dst) {
            (SocketAddr::V4(s), SocketAddr::V4(d)) => StreamKey::V4(
                u64::from(s.ip().to_bits()) << 32 | u64::from(d.ip().to_bits()),
                u64::from(s.port()) << 48 | u64::from(d.port()) << 32 | u64::from(p.ssrc),
            ),
            _ => StreamKey::Other(Box::new((p.src, p.dst, p.ssrc))),
        }
    }
}

/// Follows the RTP streams of a capture.
#[derive(Default)]
pub struct MediaTracker {
    announced: HashMap<SocketAddr, Announcement>,
    /// The addresses each call (group) announced, to forget them when it is over.
    announced_by: HashMap<usize, Vec<SocketAddr>>,
    streams: HashMap<StreamKey, StreamState>,
    /// Streams that went idle, set aside until the end.
    done: Vec<StreamState>,
    /// Streams that went idle, reported and written to the spill ([`MediaTracker::spill_idle`]).
    aside: Option<Streams>,
    last_sweep: Timestamp,
    /// Packets of streams beyond [`MAX_STREAMS`].
    pub untracked: u64,
    /// Announcements forgotten because the cap on them was reached.
    pub forgotten_announcements: u64,
    announcements: u64,
}

impl MediaTracker {
    /// Remembers the media a message's SDP announces, for the call (group) it belongs to;
    /// at most `cap` addresses, the oldest sixteenth forgotten when it is reached.
    pub fn announce(&mut self, record: &MessageRecord, group: usize, cap: usize) {
        for offer in &record.media {
            self.announce_offer(offer, group, cap);
        }
    }

    /// Remembers one announced stream address.
    fn announce_offer(&mut self, offer: &MediaOffer, group: usize, cap: usize) {
        let Some(address) = offer.address else {
            return;
        };
        if offer.port == 0 || address.is_unspecified() {
            return;
        }
        let at = SocketAddr::new(address, offer.port);
        if !self.announced.contains_key(&at) && self.announced.len() >= cap.max(1) {
            self.forget_oldest(cap.max(1));
        }
        self.announcements += 1;
        let addresses = self.announced_by.entry(group).or_default();
        if !addresses.contains(&at) {
            addresses.push(at);
        }
        self.announced.insert(
            at,
            Announcement {
                seq: self.announcements,
                group,
                kind: offer.kind.clone(),
                codecs: offer.codecs.clone(),
            },
        );
    }

    /// Forgets what the calls (groups) `groups` announced: they are over, and RTP that still
    /// comes to those addresses belongs to no call of theirs.
    pub fn forget_groups(&mut self, groups: &[usize]) {
        for group in groups {
            for at in self.announced_by.remove(group).unwrap_or_default() {
                if self
                    .announced
                    .get(&at)
                    .is_some_and(|a| groups.contains(&a.group))
                {
                    self.announced.remove(&at);
                }
            }
        }
    }

    /// Forgets the oldest sixteenth of the announcements (one pass for a batch).
    fn forget_oldest(&mut self, cap: usize) {
        let mut by_age: Vec<(u64, SocketAddr)> =
            self.announced.iter().map(|(k, a)| (a.seq, *k)).collect();
        let n = (cap / 16).clamp(1, by_age.len().max(1));
        if by_age.len() > n {
            by_age.select_nth_unstable(n);
        }
        by_age.truncate(n);
        for (_, key) in by_age {
            self.announced.remove(&key);
            self.forgotten_announcements += 1;
        }
    }

    /// Media addresses remembered right now.
    pub fn announced(&self) -> usize {
        self.announced.len()
    }

    /// Sets aside the streams idle for [`STREAM_IDLE_NANOS`] at `now`, every
    /// [`STREAM_SWEEP_NANOS`] of capture time.
    fn sweep(&mut self, now: Timestamp) {
        if now.nanos_since(self.last_sweep) < STREAM_SWEEP_NANOS {
            return;
        }
        self.last_sweep = now;
        let idle: Vec<StreamKey> = self
            .streams
            .iter()
            .filter(|(_, s)| now.nanos_since(s.last) > STREAM_IDLE_NANOS)
            .map(|(key, _)| key.clone())
            .collect();
        for key in idle {
            self.set_aside(&key);
        }
    }

    /// Ends a stream: its figures wait in `done` for the end of the capture, or go to the
    /// spill.
    fn set_aside(&mut self, key: &StreamKey) {
        let Some(stream) = self.streams.remove(key) else {
            return;
        };
        match self.aside.as_mut() {
            Some(aside) => put_aside(aside, stream, true),
            None => self.done.push(stream),
        }
    }

    /// Writes the streams that are over to a temporary file once more than `held` are held,
    /// to be read back in order at the end ([`EndedStreams::into_streams`]).
    pub fn spill_idle(&mut self, held: usize) {
        self.aside
            .get_or_insert_with(|| Streams::spilling_after(held));
    }

    /// The announcement a stream from `src` to `dst` belongs to. The receiver announced where
    /// it wants the stream; with symmetric RTP the sender sends from the address it announced.
    /// When the two addresses were last announced by different calls (a replayed or synthetic
    /// capture reusing them while the calls overlap), the call that announced both wins: the
    /// newest call to offer the receiver's address has not answered from the sender's yet.
    fn announcer(&self, src: SocketAddr, dst: SocketAddr) -> Option<&Announcement> {
        let to = self.announced.get(&dst);
        let from = self.announced.get(&src);
        let announced_both = |a: &Announcement, other: &SocketAddr| {
            self.announced_by
                .get(&a.group)
                .is_some_and(|addresses| addresses.contains(other))
        };
        match (to, from) {
            (Some(t), Some(f)) if t.group != f.group && !announced_both(t, &src) => {
                Some(if announced_both(f, &dst) { f } else { t })
            }
            (Some(t), _) => Some(t),
            (None, f) => f,
        }
    }

    /// Takes one RTP packet.
    pub fn packet(&mut self, p: &RtpPacket) {
        self.sweep(p.ts);
        let key = StreamKey::of(p);
        if let Some(s) = self.streams.get_mut(&key) {
            if p.ts.nanos_since(s.last) <= PAUSE_NANOS {
                update(s, p);
                return;
            }
            // After a pause, media to an address another call has announced since: that call
            // reuses the addresses and SSRC (a phone that keeps its RTP port and SSRC from one
            // call to the next, a replayed capture), and this is its own stream, not more of
            // the old one.
            let group = s.group;
            let reused = self
                .announcer(p.src, p.dst)
                .is_some_and(|a| Some(a.group) != group);
            if !reused {
                if let Some(s) = self.streams.get_mut(&key) {
                    update(s, p);
                }
                return;
            }
            self.set_aside(&key);
        }
        if self.streams.len() >= MAX_STREAMS {
            self.untracked += 1;
            return;
        }
        let announcement = self.announcer(p.src, p.dst);
        let codec =
            announcement.and_then(|a| a.codecs.iter().find(|c| c.payload_type == p.payload_type));
        let mut state = StreamState {
            about: Box::new(StreamAbout {
                src: p.src,
                dst: p.dst,
                ssrc: p.ssrc,
                kind: announcement.map(|a| a.kind.clone()),
                payload_type: p.payload_type,
                codec: codec.map(|c| c.name.clone()),
            }),
            group: announcement.map(|a| a.group),
            clock_rate: codec.map_or(8000, |c| c.clock_rate.max(1)),
            packets: 0,
            bytes: 0,
            first: p.ts,
            last: p.ts,
            base_seq: u32::from(p.seq),
            max_seq: p.seq,
            cycles: 0,
            jitter: 0.0,
            previous: None,
            max_delta_nanos: 0,
            duplicates: 0,
        };
        update(&mut state, p);
        self.streams.insert(key, state);
    }

    /// The streams, each tied to a call id by `call_of(group)`.
    pub fn finish(self, call_of: impl Fn(usize) -> Option<usize>) -> Vec<MediaStream> {
        self.end().numbered(call_of)
    }

    /// The groups (calls not yet numbered) that streams belong to, each once or more: the
    /// only ones whose number the streams will ask for.
    pub fn stream_groups(&self) -> impl Iterator<Item = usize> + '_ {
        let followed = self.done.iter().chain(self.streams.values());
        let aside = self.aside.iter().flat_map(Streams::groups);
        followed.filter_map(|s| s.group).chain(aside)
    }

    /// The streams in the order they are reported (by start, then sender and SSRC), each
    /// with the call (group) it belongs to, to be numbered once the calls are.
    pub fn end(mut self) -> EndedStreams {
        // Those still followed join the ones set aside, to the spill too beyond what it holds.
        if let Some(mut aside) = self.aside.take() {
            for stream in self.done.into_iter().chain(self.streams.into_values()) {
                put_aside(&mut aside, stream, true);
            }
            return EndedStreams {
                streams: Vec::new(),
                groups: Vec::new(),
                aside: Some(aside),
            };
        }
        let mut kept = Vec::with_capacity(self.done.len() + self.streams.len());
        kept.extend(
            self.done
                .into_iter()
                .chain(self.streams.into_values())
                .filter(|s| s.group.is_some() || s.packets >= MIN_UNANNOUNCED_PACKETS),
        );
        // The order of the written start, sender and SSRC, compared before they are written
        // (tens of thousands of streams on a large capture): the start is written to the
        // microsecond and the SSRC in fixed-width hex, so only the sender needs its text, and
        // only between streams that start in the same microsecond.
        kept.sort_by(|a, b| order_of(a).compare(&order_of(b)));
        let groups = kept.iter().map(|s| s.group).collect();
        // Written out in two halves at once: the other core is idle by now.
        let second = kept.split_off(kept.len() / 2);
        let streams = std::thread::scope(|scope| {
            let second = scope.spawn(|| second.into_iter().map(report).collect::<Vec<_>>());
            let mut streams: Vec<MediaStream> = Vec::with_capacity(kept.len() * 2 + 1);
            streams.extend(kept.into_iter().map(report));
            let second = second
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            streams.extend(second);
            streams
        });
        EndedStreams {
            streams,
            groups,
            aside: None,
        }
    }
}

/// Sets a stream that is over aside in `aside` (written to the spill when `spill`), when it
/// is reported at all.
fn put_aside(aside: &mut Streams, s: StreamState, spill: bool) {
    if s.group.is_none() && s.packets < MIN_UNANNOUNCED_PACKETS {
        return;
    }
    let (order, group) = (order_of(&s), s.group);
    aside.add(order, group, report(s), spill);
}

/// What orders a stream among the reported ones.
fn order_of(s: &StreamState) -> StreamOrder {
    StreamOrder {
        micros: s.first.0.div_euclid(1000),
        src: s.about.src,
        ssrc: s.about.ssrc,
    }
}

/// The streams of a capture once it is read, before their calls are numbered.
pub struct EndedStreams {
    streams: Vec<MediaStream>,
    /// The call (group) of each stream.
    groups: Vec<Option<usize>>,
    /// The streams when they went to the spill.
    aside: Option<Streams>,
}

impl EndedStreams {
    /// The streams, each tied to a call id by `call_of(group)`.
    pub fn numbered(mut self, call_of: impl Fn(usize) -> Option<usize>) -> Vec<MediaStream> {
        for (stream, group) in self.streams.iter_mut().zip(self.groups) {
            stream.call = group.and_then(&call_of);
        }
        self.streams
    }

    /// The streams, each tied to a call id by `call_of(group)`, to be read one by one (from
    /// the spill when they went there).
    pub fn into_streams(self, call_of: impl Fn(usize) -> Option<usize>) -> io::Result<Streams> {
        match self.aside {
            Some(aside) => aside.numbered(call_of),
            None => Ok(Streams::from_reported(self.numbered(call_of))),
        }
    }
}

/// A stream's figures as reported (its call not yet numbered).
fn report(s: StreamState) -> MediaStream {
    let extended = s.cycles + u32::from(s.max_seq);
    let expected = u64::from(extended.saturating_sub(s.base_seq)) + 1;
    let lost = expected.saturating_sub(s.packets);
    let about = *s.about;
    let loss_percent = round2(lost as f64 * 100.0 / expected.max(1) as f64);
    let jitter_ms = round2(s.jitter * 1000.0 / f64::from(s.clock_rate));
    let (r, mos) = super::quality::estimate(
        about.codec.as_deref().unwrap_or(""),
        loss_percent,
        jitter_ms,
    );
    MediaStream {
        call: None,
        src: text(about.src, 21),
        dst: text(about.dst, 21),
        ssrc: text(format_args!("0x{:08X}", about.ssrc), 10),
        kind: about.kind,
        payload_type: about.payload_type,
        codec: about.codec,
        packets: s.packets,
        bytes: s.bytes,
        start: text(s.first, 27),
        duration_ms: u64::try_from(s.last.nanos_since(s.first) / 1_000_000).unwrap_or(0),
        lost,
        loss_percent,
        jitter_ms,
        r_factor: round2(r),
        mos: Some(round2(mos)),
        max_delta_ms: round2(s.max_delta_nanos as f64 / 1e6),
        duplicates: s.duplicates,
    }
}

/// A value written into a string allocated once at the expected size (`to_string` grows it
/// piece by piece: tens of thousands of streams are written out at the end of a capture).
fn text(value: impl std::fmt::Display, capacity: usize) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(capacity);
    // Writing into a String cannot fail.
    let _ = write!(s, "{value}");
    s
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Sequence, loss and jitter bookkeeping of RFC 3550 appendix A.1 and A.8.
fn update(s: &mut StreamState, p: &RtpPacket) {
    let copy = s.packets > 0
        && p.seq == s.max_seq
        && s.previous.is_some_and(|(_, rtp_ts)| rtp_ts == p.rtp_ts)
        && p.ts.nanos_since(s.last) <= super::duplicate::WINDOW_NANOS;
    if copy {
        // The latest packet again within milliseconds: the capture took it twice.
        s.duplicates += 1;
        return;
    }
    if s.packets > 0 {
        s.max_delta_nanos = s.max_delta_nanos.max(p.ts.nanos_since(s.last));
        let ahead = p.seq.wrapping_sub(s.max_seq);
        if ahead != 0 && ahead < 0x8000 {
            if p.seq < s.max_seq {
                s.cycles += 1 << 16;
            }
            s.max_seq = p.seq;
        }
    }
    s.packets += 1;
    s.bytes += p.len as u64;
    s.last = s.last.max(p.ts);
    // D(i-1, i): the change in transit time, in media clock units (RTP timestamps wrap).
    let arrival = p.ts.nanos_since(s.first) as f64 * (f64::from(s.clock_rate) * 1e-9);
    if let Some((last_arrival, last_rtp)) = s.previous {
        let media_step = f64::from(p.rtp_ts.wrapping_sub(last_rtp) as i32);
        let d = ((arrival - last_arrival) - media_step).abs();
        s.jitter += (d - s.jitter) / 16.0;
    }
    s.previous = Some((arrival, p.rtp_ts));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 20 ms G.711 packet: `slot` counts packetisation intervals since the first.
    fn pkt(seq: u16, ms: i64) -> RtpPacket {
        let slot = u32::from(seq.wrapping_sub(65533));
        RtpPacket {
            frame: 1,
            ts: Timestamp(ms * 1_000_000),
            src: "192.0.2.1:7000".parse().unwrap(),
            dst: "192.0.2.2:6000".parse().unwrap(),
            ssrc: 7,
            seq,
            rtp_ts: (u32::MAX - 320).wrapping_add(slot * 160),
            payload_type: 8,
            marker: false,
            len: 172,
        }
    }

    #[test]
    fn loss_jitter_and_gaps() {
        let mut m = MediaTracker::default();
        // 20 ms packetisation, one packet lost (seq 3), one late by 10 ms, sequence wraps.
        let seqs = [65533u16, 65534, 65535, 0, 1, 2, 4, 5, 6, 7];
        for seq in &seqs {
            let late = if *seq == 5 { 10 } else { 0 };
            let slot = i64::from(seq.wrapping_sub(65533));
            m.packet(&pkt(*seq, slot * 20 + late));
        }
        let streams = m.finish(|_| None);
        assert_eq!(streams.len(), 1);
        let s = &streams[0];
        assert_eq!(s.packets, 10);
        assert_eq!(s.lost, 1);
        assert!(s.jitter_ms > 0.0 && s.jitter_ms < 5.0, "{}", s.jitter_ms);
        assert_eq!(
            s.max_delta_ms, 40.0,
            "seq 3 missing: 40 ms between seq 2 and seq 4"
        );
    }

    /// Calls reusing the same media addresses while they overlap (a replayed capture): the
    /// newest call has offered the caller's address but not answered yet, so the callee's
    /// stream back to the caller still belongs to the call that announced both.
    #[test]
    fn a_stream_goes_to_the_call_that_announced_both_ends() {
        let (caller, callee) = ("10.0.0.1:7000", "10.0.0.2:6000");
        let announce = |m: &mut MediaTracker, group, at: &str| {
            let at: SocketAddr = at.parse().unwrap();
            let offer = MediaOffer {
                kind: "audio".into(),
                address: Some(at.ip()),
                port: at.port(),
                codecs: Vec::new(),
                direction: "sendrecv",
            };
            m.announce_offer(&offer, group, 1000);
        };
        let packet = |from: &str, to: &str, ssrc, ms: i64| RtpPacket {
            src: from.parse().unwrap(),
            dst: to.parse().unwrap(),
            ssrc,
            ..pkt(u16::try_from(ms / 20).unwrap(), ms)
        };
        let mut m = MediaTracker::default();
        announce(&mut m, 1, caller); // call 1's offer
        announce(&mut m, 1, callee); // call 1's answer
        announce(&mut m, 2, caller); // call 2's offer, same address
        for ms in (0..200).step_by(20) {
            m.packet(&packet(caller, callee, 5, ms));
            m.packet(&packet(callee, caller, 5, ms));
        }
        announce(&mut m, 2, callee); // call 2's answer
        for ms in (200..400).step_by(20) {
            m.packet(&packet(caller, callee, 6, ms));
            m.packet(&packet(callee, caller, 6, ms));
        }
        let calls: Vec<_> = m
            .finish(Some)
            .iter()
            .map(|s| (s.ssrc.clone(), s.src.clone(), s.call))
            .collect();
        assert_eq!(
            calls,
            [
                ("0x00000005".to_string(), caller.to_string(), Some(1)),
                ("0x00000005".to_string(), callee.to_string(), Some(1)),
                ("0x00000006".to_string(), caller.to_string(), Some(2)),
                ("0x00000006".to_string(), callee.to_string(), Some(2)),
            ]
        );
    }

    #[test]
    fn a_few_stray_packets_are_not_a_stream() {
        let mut m = MediaTracker::default();
        m.packet(&pkt(1, 0));
        m.packet(&pkt(2, 20));
        assert!(m.finish(|_| None).is_empty());
    }
}
