//! In-order bytes from the segments of one direction: duplicates and overlaps dropped,
//! segments beyond a hole held until it fills or is given up as a gap.

use std::collections::BTreeMap;

use super::super::time::Timestamp;
use super::super::warning::WarningKind;
use super::{MAX_OUT_OF_ORDER_BYTES, MAX_OUT_OF_ORDER_SEGMENTS};

/// Receives in-order bytes: the bytes, and the frame and time of the segment that carried them.
pub type Deliver<'d> = dyn FnMut(&[u8], u64, Timestamp) + 'd;

#[derive(Debug)]
struct HeldSegment {
    data: Vec<u8>,
    frame: u64,
    ts: Timestamp,
}

/// What a segment was, seen from the sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// It carried no bytes.
    Empty,
    /// It arrived ahead of a hole and is held.
    Ahead,
    /// It repeated bytes already seen, in part (`fresh`) or entirely.
    Repeated {
        /// Some of its bytes were new.
        fresh: bool,
    },
    /// Its bytes continued the stream.
    InOrder,
}

/// The sequence state of one direction.
#[derive(Debug, Default)]
pub struct Sequencer {
    /// Next expected sequence number, once known.
    next_seq: Option<u32>,
    /// Segments beyond a hole, by sequence number.
    held: BTreeMap<u32, HeldSegment>,
    held_bytes: usize,
    /// When the oldest held segment arrived.
    held_since: Option<Timestamp>,
}

impl Sequencer {
    /// Takes one segment's payload; hands `deliver` the bytes that now continue the stream
    /// (its own fresh bytes and the held segments they unblock).
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        seq: u32,
        syn: bool,
        payload: &[u8],
        frame: u64,
        ts: Timestamp,
        deliver: &mut Deliver<'_>,
        on_warning: &mut dyn FnMut(WarningKind),
    ) -> Arrival {
        let data_seq = if syn { seq.wrapping_add(1) } else { seq };
        let next = *self.next_seq.get_or_insert(data_seq);
        if syn {
            self.next_seq = Some(data_seq);
        }
        if payload.is_empty() {
            return Arrival::Empty;
        }
        let ahead = data_seq.wrapping_sub(next) as i32;
        if ahead > 0 {
            self.hold(data_seq, payload, frame, ts, on_warning);
            return Arrival::Ahead;
        }
        let skip = ahead.unsigned_abs() as usize;
        if skip >= payload.len() {
            return Arrival::Repeated { fresh: false };
        }
        let fresh = payload.get(skip..).unwrap_or_default();
        self.deliver(fresh, frame, ts, deliver);
        self.drain(deliver);
        if skip > 0 {
            Arrival::Repeated { fresh: true }
        } else {
            Arrival::InOrder
        }
    }

    /// The next expected sequence number, once known.
    pub fn next_seq(&self) -> Option<u32> {
        self.next_seq
    }

    /// Segments are held beyond a hole.
    pub fn has_held(&self) -> bool {
        !self.held.is_empty()
    }

    /// Bytes held beyond a hole.
    pub fn held_bytes(&self) -> usize {
        self.held_bytes
    }

    /// The hole has been open longer than `limit` at `now`.
    pub fn hole_older_than(&self, now: Timestamp, limit: i64) -> bool {
        self.held_since.is_some_and(|t| now.nanos_since(t) > limit)
    }

    /// Lets go of every held segment (a cap was reached).
    pub fn drop_held(&mut self) {
        self.held.clear();
        self.held_bytes = 0;
        self.held_since = None;
    }

    /// Gives up the hole before the first held segment: returns its size and resumes the
    /// sequence after it. The caller resets its framing, then calls [`Sequencer::resume`].
    pub fn skip_hole(&mut self) -> Option<u64> {
        let next = self.next_seq?;
        let seq = self.first_held(next)?;
        self.next_seq = Some(seq);
        self.held_since = None;
        Some(u64::from(seq.wrapping_sub(next)))
    }

    /// Delivers the held segments that continue the stream after [`Sequencer::skip_hole`];
    /// a hole still open behind them dates from `now`.
    pub fn resume(&mut self, now: Timestamp, deliver: &mut Deliver<'_>) {
        self.drain(deliver);
        if !self.held.is_empty() {
            self.held_since = Some(now);
        }
    }

    fn deliver(&mut self, bytes: &[u8], frame: u64, ts: Timestamp, deliver: &mut Deliver<'_>) {
        deliver(bytes, frame, ts);
        if let Some(next) = self.next_seq.as_mut() {
            *next = next.wrapping_add(bytes.len() as u32);
        }
    }

    fn hold(
        &mut self,
        seq: u32,
        payload: &[u8],
        frame: u64,
        ts: Timestamp,
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        if self.held.contains_key(&seq) {
            return;
        }
        if self.held_bytes + payload.len() > MAX_OUT_OF_ORDER_BYTES
            || self.held.len() >= MAX_OUT_OF_ORDER_SEGMENTS
        {
            on_warning(WarningKind::LimitReached {
                detail: format!(
                    "more than {} KiB out of order on one TCP stream; the hole is treated as a gap",
                    MAX_OUT_OF_ORDER_BYTES / 1024
                ),
            });
            self.held_since = Some(Timestamp(i64::MIN));
        }
        self.held_bytes += payload.len();
        self.held.insert(
            seq,
            HeldSegment {
                data: payload.to_vec(),
                frame,
                ts,
            },
        );
        self.held_since.get_or_insert(ts);
    }

    /// The held segment closest after `next` in sequence space (wrapping).
    fn first_held(&self, next: u32) -> Option<u32> {
        self.held
            .keys()
            .copied()
            .min_by_key(|seq| seq.wrapping_sub(next))
    }

    /// Moves held segments that now continue the stream out to `deliver`.
    fn drain(&mut self, deliver: &mut Deliver<'_>) {
        while let Some(next) = self.next_seq {
            let Some(seq) = self.first_held(next) else {
                break;
            };
            let ahead = seq.wrapping_sub(next) as i32;
            if ahead > 0 {
                break;
            }
            let Some(held) = self.held.remove(&seq) else {
                break;
            };
            self.held_bytes -= held.data.len().min(self.held_bytes);
            let skip = ahead.unsigned_abs() as usize;
            if let Some(fresh) = held.data.get(skip..) {
                if !fresh.is_empty() {
                    self.deliver(fresh, held.frame, held.ts, deliver);
                }
            }
        }
        if self.held.is_empty() {
            self.held_since = None;
            self.held_bytes = 0;
        }
    }
}
