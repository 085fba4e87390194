//! The calls summed up, held or written to the spill as they end, numbered at the end of the
//! capture in order of their first message and handed out one by one in that order.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use super::codec::{Damaged, Decoder, Encoder, Names, Spilled};
use super::{Place, READ_BUFFER};
use crate::correlate::attack::Verdict;
use crate::correlate::group::CallSummary;
use crate::correlate::record::MessageRecord;

/// Calls held before the others go to the spill, for a caller that takes them one by one: a
/// listing of a few thousand calls never touches the disk.
pub const SPILL_AFTER: usize = 4096;

/// A call written out (or held), with what numbering needs, in 24 bytes: a flood leaves
/// millions of them.
#[derive(Clone, Copy, Debug)]
struct Entry {
    first_index: u64,
    /// Its group (root leg); legs are counted from 0, and one past the 4,294,967,295th
    /// (a capture of terabytes) is saturated, its streams left without a call number.
    root: u32,
    len: u32,
    offset: u64,
}

impl Entry {
    fn new(first_index: usize, root: usize, place: Place) -> Entry {
        Entry {
            first_index: first_index as u64,
            root: u32::try_from(root).unwrap_or(u32::MAX),
            len: place.len,
            offset: place.offset,
        }
    }

    fn place(&self) -> Place {
        Place {
            offset: self.offset,
            len: self.len,
        }
    }
}

/// The temporary file of the calls that are over, and where each one lies in it.
#[derive(Debug)]
pub struct CallSpill {
    file: BufWriter<File>,
    written: u64,
    entries: Vec<Entry>,
    names: Names,
    record: Vec<u8>,
}

impl CallSpill {
    /// An anonymous temporary file (removed when closed, or by the system when the process
    /// ends).
    pub fn new() -> io::Result<CallSpill> {
        Ok(CallSpill {
            file: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            written: 0,
            entries: Vec::new(),
            names: Names::default(),
            record: Vec::new(),
        })
    }

    /// Writes out a call whose first message is `first_index`, of group `root`, with the JSON
    /// records of its messages, encoded (empty when they are not asked for).
    pub fn push(
        &mut self,
        first_index: usize,
        root: usize,
        call: &CallSummary,
        records: &[u8],
    ) -> io::Result<()> {
        self.record.clear();
        let mut e = Encoder::new(&mut self.record, &mut self.names);
        call.put(&mut e);
        e.raw(records);
        let place = Place::written(self.written, self.record.len())?;
        self.file.write_all(&self.record)?;
        self.entries.push(Entry::new(first_index, root, place));
        self.written += u64::from(place.len);
        Ok(())
    }

    /// Calls written out.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none was.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The calls of a correlation in number order (first message first), each numbered from 1 as
/// it is handed out: held in memory, or read back one by one from the spill.
#[derive(Debug)]
pub struct Calls {
    slots: std::vec::IntoIter<Place>,
    held: Vec<Option<(CallSummary, Vec<u8>)>>,
    spill: Option<Reader>,
    number: usize,
    /// The attacks found over the whole capture, whose codes each call gets as it is handed
    /// out (a source is known as a scanner only once the capture is read).
    verdict: Verdict,
}

/// The spill opened for reading.
#[derive(Debug)]
struct Reader {
    file: BufReader<File>,
    at: u64,
    names: Names,
    record: Vec<u8>,
}

impl Reader {
    fn read(&mut self, place: Place) -> io::Result<(CallSummary, Vec<u8>)> {
        if place.offset != self.at {
            super::seek_to(&mut self.file, self.at, place.offset)?;
        }
        self.record.resize(place.len as usize, 0);
        self.file.read_exact(&mut self.record)?;
        self.at = place.offset + u64::from(place.len);
        let mut d = Decoder::new(&self.record, &self.names);
        let damaged = |e: Damaged| io::Error::new(io::ErrorKind::InvalidData, e);
        let call = CallSummary::take(&mut d).map_err(damaged)?;
        let records = d.raw().map_err(damaged)?.to_vec();
        Ok((call, records))
    }
}

/// The call number of each group that has media streams, by its root leg: 8 bytes a group,
/// sorted and searched (in a hash map, 17 to 34 bytes a group).
#[derive(Debug, Default)]
pub struct RootNumbers(Vec<(u32, u32)>);

impl RootNumbers {
    /// The number of the call whose group's root leg is `root`.
    pub fn of(&self, root: usize) -> Option<usize> {
        let root = u32::try_from(root).ok()?;
        let at = self.0.binary_search_by_key(&root, |&(r, _)| r).ok()?;
        self.0.get(at).map(|&(_, n)| n as usize)
    }
}

/// Numbers the calls `held` (first index, group, summary, encoded records of its messages) and
/// those of `spill`, in order of their first message: the calls in that order, and the number
/// of each group that `wanted` asks for (those with media streams: a flood's million calls
/// have none, and a number for each would cost more than their index).
pub fn number(
    held: Vec<(usize, usize, CallSummary, Vec<u8>)>,
    spill: Option<CallSpill>,
    wanted: impl Fn(usize) -> bool,
) -> io::Result<(Calls, RootNumbers)> {
    // The spill's own entries are sorted in place, and become the slots in place: a flood's
    // million calls cost one index, not three at once.
    let (mut order, reader) = match spill {
        Some(spill) => {
            let mut file = spill.file.into_inner().map_err(|e| e.into_error())?;
            file.seek(SeekFrom::Start(0))?;
            let reader = Reader {
                file: BufReader::with_capacity(READ_BUFFER, file),
                at: 0,
                names: spill.names,
                record: Vec::new(),
            };
            (spill.entries, Some(reader))
        }
        None => (Vec::new(), None),
    };
    order.reserve_exact(held.len());
    let mut calls = Vec::with_capacity(held.len());
    for (i, (first_index, root, call, records)) in held.into_iter().enumerate() {
        order.push(Entry::new(first_index, root, Place::held(i)));
        calls.push(Some((call, records)));
    }
    order.sort_unstable_by_key(|e| e.first_index);
    let mut number: Vec<(u32, u32)> = order
        .iter()
        .enumerate()
        .filter(|(_, e)| e.root != u32::MAX && wanted(e.root as usize))
        .map(|(n, e)| (e.root, u32::try_from(n + 1).unwrap_or(u32::MAX)))
        .collect();
    number.sort_unstable();
    let number = RootNumbers(number);
    let slots: Vec<Place> = order.into_iter().map(|e| e.place()).collect();
    Ok((
        Calls {
            slots: slots.into_iter(),
            held: calls,
            spill: reader,
            number: 0,
            verdict: Verdict::default(),
        },
        number,
    ))
}

impl Calls {
    /// No call.
    pub fn none() -> Calls {
        Calls {
            slots: Vec::new().into_iter(),
            held: Vec::new(),
            spill: None,
            number: 0,
            verdict: Verdict::default(),
        }
    }

    /// The same calls, each marked with the attack it belongs to, if any.
    pub fn marked_by(self, verdict: Verdict) -> Calls {
        Calls { verdict, ..self }
    }

    /// Whether some calls come from the spill.
    pub fn spilled(&self) -> bool {
        self.spill.is_some()
    }
}

impl Calls {
    /// The next call with the records of its messages
    /// ([`crate::correlate::Options::message_records`]; none otherwise).
    pub fn next_with_records(&mut self) -> Option<io::Result<(CallSummary, Vec<MessageRecord>)>> {
        Some(self.next_encoded()?.and_then(|(call, encoded)| {
            let records = super::records::decode(&encoded)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            Ok((call, records))
        }))
    }

    /// The next call with the encoded records of its messages.
    fn next_encoded(&mut self) -> Option<io::Result<(CallSummary, Vec<u8>)>> {
        let place = self.slots.next()?;
        self.number += 1;
        let call = if place.is_held() {
            usize::try_from(place.offset)
                .ok()
                .and_then(|i| self.held.get_mut(i))
                .and_then(Option::take)
                .ok_or_else(|| io::Error::other("a call was handed out twice"))
        } else {
            match self.spill.as_mut() {
                Some(reader) => reader.read(place),
                None => Err(io::Error::other("no spill to read a call from")),
            }
        };
        Some(call.map(|(mut c, records)| {
            c.id = self.number;
            self.verdict.mark(&mut c);
            (c, records)
        }))
    }
}

impl Iterator for Calls {
    type Item = io::Result<CallSummary>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.next_encoded()?.map(|(call, _)| call))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.slots.size_hint()
    }
}

impl ExactSizeIterator for Calls {}
