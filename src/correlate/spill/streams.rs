//! The media streams that are over, written to the spill as they go idle (each with what orders
//! it: its start to the microsecond, sender and SSRC) and handed back at the end in the order
//! streams are reported, or call by call for the diagnosis of each.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::net::SocketAddr;

use super::Place;
use super::codec::{Damaged, Decoder, Encoder, Names, Spilled};
use crate::correlate::media::MediaStream;

/// What orders a stream among the others: its start to the microsecond, then its sender (as
/// written), then its SSRC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamOrder {
    /// Start, in microseconds.
    pub micros: i64,
    /// Sender.
    pub src: SocketAddr,
    /// Synchronisation source.
    pub ssrc: u32,
}

impl StreamOrder {
    /// The order streams are reported in (the sender's text is compared only between streams
    /// that start in the same microsecond).
    pub fn compare(&self, other: &StreamOrder) -> std::cmp::Ordering {
        self.micros
            .cmp(&other.micros)
            .then_with(|| self.src.to_string().cmp(&other.src.to_string()))
            .then(self.ssrc.cmp(&other.ssrc))
    }
}

/// The call number (or group) of a stream that has none.
const NO_CALL: u32 = u32::MAX;

/// A stream, ordered, with its call (group until numbered, then call number), in 40 bytes:
/// one is kept per stream of the capture (on the 8 GB benchmark, 256,000). Its sender is
/// packed when it is IPv4 (nearly always), else an index into the other senders.
#[derive(Clone, Copy, Debug)]
struct Entry {
    micros: i64,
    offset: u64,
    len: u32,
    /// The sender's IPv4 address, or its index among [`Streams::other_senders`].
    sender: u32,
    ssrc: u32,
    /// Its rank among the streams set aside, which orders streams that compare equal.
    added: u32,
    call: u32,
    port: u16,
    v4: bool,
}

const _: () = assert!(std::mem::size_of::<Entry>() == 40);

impl Entry {
    fn place(&self) -> Place {
        Place {
            offset: self.offset,
            len: self.len,
        }
    }

    fn call(&self) -> Option<usize> {
        (self.call != NO_CALL).then_some(self.call as usize)
    }

    /// Its order, the sender read from `others` when it is not IPv4.
    fn order(&self, others: &[SocketAddr]) -> StreamOrder {
        let src = match self.v4 {
            true => SocketAddr::from((std::net::Ipv4Addr::from(self.sender), self.port)),
            false => others
                .get(self.sender as usize)
                .copied()
                .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], 0))),
        };
        StreamOrder {
            micros: self.micros,
            src,
            ssrc: self.ssrc,
        }
    }
}

/// The streams of a capture: set aside in memory or written to the spill, then ordered and
/// numbered.
#[derive(Debug, Default)]
pub struct Streams {
    entries: Vec<Entry>,
    /// Senders that are not IPv4, by [`Entry::sender`].
    other_senders: Vec<SocketAddr>,
    held: Vec<Option<MediaStream>>,
    writer: Option<BufWriter<File>>,
    reader: Option<BufReader<File>>,
    at: u64,
    written: u64,
    names: Names,
    record: Vec<u8>,
    /// The spill could not be written: streams stay held.
    failed: bool,
    /// Streams held before the others go to the spill.
    spill_after: usize,
    /// Entries by call number, in order ([`Streams::of_call`]).
    by_call: Vec<u32>,
    next_of_call: usize,
}

impl Streams {
    /// Streams to be set aside, held until more than `held` are, then written to the spill.
    pub fn spilling_after(held: usize) -> Streams {
        Streams {
            spill_after: held,
            ..Streams::default()
        }
    }

    /// Sets a stream aside (`group`: its call, to be numbered), to the spill when `spill` and
    /// enough are held.
    pub fn add(
        &mut self,
        order: StreamOrder,
        group: Option<usize>,
        stream: MediaStream,
        spill: bool,
    ) {
        let place = match spill && !self.failed && self.held.len() >= self.spill_after {
            true => match self.write(&stream) {
                Ok(place) => place,
                Err(_) => {
                    self.failed = true;
                    self.hold(stream)
                }
            },
            false => self.hold(stream),
        };
        let (Ok(added), Ok(call)) = (
            u32::try_from(self.entries.len()),
            group.map_or(Ok(NO_CALL), u32::try_from),
        ) else {
            return; // four billion streams, or legs
        };
        let (sender, v4) = match order.src {
            SocketAddr::V4(v4) => (u32::from(*v4.ip()), true),
            other => {
                self.other_senders.push(other);
                (
                    u32::try_from(self.other_senders.len() - 1).unwrap_or(u32::MAX),
                    false,
                )
            }
        };
        self.entries.push(Entry {
            micros: order.micros,
            offset: place.offset,
            len: place.len,
            sender,
            ssrc: order.ssrc,
            added,
            call,
            port: order.src.port(),
            v4,
        });
    }

    /// The groups (calls not yet numbered) the streams set aside belong to.
    pub fn groups(&self) -> impl Iterator<Item = usize> + '_ {
        self.entries.iter().filter_map(Entry::call)
    }

    fn hold(&mut self, stream: MediaStream) -> Place {
        self.held.push(Some(stream));
        Place::held(self.held.len() - 1)
    }

    fn write(&mut self, stream: &MediaStream) -> io::Result<Place> {
        let writer = match self.writer.as_mut() {
            Some(w) => w,
            None => self
                .writer
                .insert(BufWriter::with_capacity(1 << 16, tempfile::tempfile()?)),
        };
        self.record.clear();
        stream.put(&mut Encoder::new(&mut self.record, &mut self.names));
        let place = Place::written(self.written, self.record.len())?;
        writer.write_all(&self.record)?;
        self.written += u64::from(place.len);
        Ok(place)
    }

    /// Whether some streams come from the spill.
    pub fn spilled(&self) -> bool {
        self.reader.is_some()
    }

    /// Streams set aside.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none was.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Puts the streams in the order they are reported and ties each to its call number by
    /// `call_of(group)`; the spill is then read, not written.
    pub fn numbered(mut self, call_of: impl Fn(usize) -> Option<usize>) -> io::Result<Streams> {
        let others = std::mem::take(&mut self.other_senders);
        self.entries.sort_unstable_by(|a, b| {
            a.micros
                .cmp(&b.micros)
                .then_with(|| a.order(&others).compare(&b.order(&others)))
                .then(a.added.cmp(&b.added))
        });
        for e in &mut self.entries {
            e.call = e
                .call()
                .and_then(&call_of)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(NO_CALL);
        }
        if let Some(writer) = self.writer.take() {
            let mut file = writer.into_inner().map_err(|e| e.into_error())?;
            file.seek(SeekFrom::Start(0))?;
            self.reader = Some(BufReader::with_capacity(super::READ_BUFFER, file));
        }
        Ok(self)
    }

    fn read(&mut self, place: Place) -> io::Result<MediaStream> {
        let Place { offset, len } = place;
        if place.is_held() {
            return self
                .held
                .get(offset as usize)
                .and_then(Option::clone)
                .ok_or_else(|| io::Error::other("no such stream"));
        }
        let reader = self
            .reader
            .as_mut()
            .ok_or_else(|| io::Error::other("no spill to read a stream from"))?;
        if offset != self.at {
            super::seek_to(reader, self.at, offset)?;
        }
        self.record.resize(len as usize, 0);
        reader.read_exact(&mut self.record)?;
        self.at = offset + u64::from(len);
        let mut d = Decoder::new(&self.record, &self.names);
        MediaStream::take(&mut d)
            .map_err(|e: Damaged| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// The stream at `position` in the order they are reported, with its call number.
    pub fn get(&mut self, position: usize) -> io::Result<MediaStream> {
        let (place, call) = self
            .entries
            .get(position)
            .map(|e| (e.place(), e.call()))
            .ok_or_else(|| io::Error::other("no such stream"))?;
        let mut stream = self.read(place)?;
        stream.call = call;
        Ok(stream)
    }

    /// The call number of the stream at `position`.
    pub fn call_at(&self, position: usize) -> Option<usize> {
        self.entries.get(position).and_then(Entry::call)
    }

    /// The streams of call `call`, in the order they are reported; calls must be asked for in
    /// increasing number (as they are listed).
    pub fn of_call(&mut self, call: usize) -> io::Result<Vec<MediaStream>> {
        if self.by_call.is_empty() && !self.entries.is_empty() {
            let mut by_call: Vec<u32> = (0..self.entries.len())
                .filter(|&i| self.call_at(i).is_some())
                .filter_map(|i| u32::try_from(i).ok())
                .collect();
            by_call.sort_by_key(|&i| self.call_at(i as usize));
            self.by_call = by_call;
        }
        let mut streams = Vec::new();
        while let Some(&i) = self.by_call.get(self.next_of_call) {
            match self.call_at(i as usize) {
                Some(c) if c < call => self.next_of_call += 1,
                Some(c) if c == call => {
                    streams.push(self.get(i as usize)?);
                    self.next_of_call += 1;
                }
                _ => break,
            }
        }
        Ok(streams)
    }

    /// Every stream in the order they are reported, with its call number.
    pub fn into_vec(mut self) -> io::Result<Vec<MediaStream>> {
        let entries = std::mem::take(&mut self.entries);
        entries
            .into_iter()
            .map(|e| {
                let place = e.place();
                let mut stream = match place.is_held() {
                    true => self
                        .held
                        .get_mut(place.offset as usize)
                        .and_then(Option::take)
                        .ok_or_else(|| io::Error::other("no such stream"))?,
                    false => self.read(place)?,
                };
                stream.call = e.call();
                Ok(stream)
            })
            .collect()
    }

    /// Streams already reported in order and numbered, held.
    pub fn from_reported(streams: Vec<MediaStream>) -> Streams {
        let mut held = Streams::default();
        for s in streams {
            // Already in order and numbered: never sorted again.
            let order = StreamOrder {
                micros: 0,
                src: SocketAddr::from(([0, 0, 0, 0], 0)),
                ssrc: 0,
            };
            let call = s.call;
            held.add(order, call, s, false);
        }
        held
    }
}

impl Spilled for f64 {
    fn put(&self, e: &mut Encoder<'_>) {
        self.to_bits().put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(f64::from_bits(u64::take(d)?))
    }
}

impl Spilled for MediaStream {
    fn put(&self, e: &mut Encoder<'_>) {
        let MediaStream {
            call,
            src,
            dst,
            ssrc,
            kind,
            payload_type,
            codec,
            packets,
            bytes,
            start,
            duration_ms,
            lost,
            loss_percent,
            jitter_ms,
            max_delta_ms,
            r_factor,
            mos,
            duplicates,
        } = self;
        call.put(e);
        src.put(e);
        dst.put(e);
        ssrc.put(e);
        kind.put(e);
        payload_type.put(e);
        codec.put(e);
        packets.put(e);
        bytes.put(e);
        start.put(e);
        duration_ms.put(e);
        lost.put(e);
        loss_percent.put(e);
        jitter_ms.put(e);
        max_delta_ms.put(e);
        r_factor.put(e);
        mos.put(e);
        duplicates.put(e);
    }

    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(MediaStream {
            call: Spilled::take(d)?,
            src: Spilled::take(d)?,
            dst: Spilled::take(d)?,
            ssrc: Spilled::take(d)?,
            kind: Spilled::take(d)?,
            payload_type: Spilled::take(d)?,
            codec: Spilled::take(d)?,
            packets: Spilled::take(d)?,
            bytes: Spilled::take(d)?,
            start: Spilled::take(d)?,
            duration_ms: Spilled::take(d)?,
            lost: Spilled::take(d)?,
            loss_percent: Spilled::take(d)?,
            jitter_ms: Spilled::take(d)?,
            max_delta_ms: Spilled::take(d)?,
            r_factor: Spilled::take(d)?,
            mos: Spilled::take(d)?,
            duplicates: Spilled::take(d)?,
        })
    }
}
