//! The records of the calls in progress ([`crate::correlate::Options::message_records`]),
//! waiting for their call to end: encoded and appended to an anonymous temporary file as they
//! come, with only their place kept in memory. A call is summed up 64 s after its last
//! message, so at 100 calls a second some 90,000 records wait at any time: 40 MB held as
//! bytes, 2 MB as places. The records of a call that just ended were written a minute ago at
//! most, and are read back from the page cache.

use std::fs::File;
use std::io::{self, Write};

use rustc_hash::FxHashMap as HashMap;

use super::{Place, records};
use crate::correlate::MessageRecord;

/// Bytes gathered before they are written to the file.
const BUFFER: usize = 64 << 10;

/// The records waiting for their call, by message index.
#[derive(Debug, Default)]
pub struct Waiting {
    places: HashMap<usize, Place>,
    /// The file, opened with the first record; none when it could not be (the records are
    /// then held in `held`, and memory grows as it would without the file).
    file: Option<File>,
    failed: bool,
    held: HashMap<usize, Box<[u8]>>,
    /// Bytes not yet written: those from `flushed` on.
    buffer: Vec<u8>,
    flushed: u64,
}

impl Waiting {
    /// Sets the record of message `index` aside.
    pub fn insert(&mut self, index: usize, record: &MessageRecord) {
        if self.failed {
            self.held.insert(index, records::encode_one(record));
            return;
        }
        let start = self.buffer.len();
        records::encode(std::iter::once(record), &mut self.buffer);
        let offset = self.flushed + start as u64;
        let Ok(place) = Place::written(offset, self.buffer.len() - start) else {
            self.buffer.truncate(start);
            self.held.insert(index, records::encode_one(record));
            return;
        };
        self.places.insert(index, place);
        if self.buffer.len() >= BUFFER {
            self.write_out();
        }
    }

    /// Writes the gathered bytes to the file; on failure, takes every record back into
    /// memory and holds the next ones there.
    fn write_out(&mut self) {
        let written = match &mut self.file {
            Some(file) => file.write_all(&self.buffer),
            None => tempfile::tempfile().and_then(|mut file| {
                file.write_all(&self.buffer)?;
                self.file = Some(file);
                Ok(())
            }),
        };
        match written {
            Ok(()) => {
                self.flushed += self.buffer.len() as u64;
                self.buffer.clear();
            }
            Err(_) => self.hold_all(),
        }
    }

    /// Reads every record back into memory, for good.
    fn hold_all(&mut self) {
        let places: Vec<(usize, Place)> = self.places.drain().collect();
        for (index, place) in places {
            let mut bytes = Vec::new();
            if self.read(place, &mut bytes).is_ok() {
                self.held.insert(index, bytes.into_boxed_slice());
            }
        }
        self.failed = true;
        self.buffer = Vec::new();
    }

    /// Appends the bytes of the record at `place` to `out`.
    fn read(&self, place: Place, out: &mut Vec<u8>) -> io::Result<()> {
        let len = place.len as usize;
        if let Some(at) = place.offset.checked_sub(self.flushed) {
            let at = usize::try_from(at).map_err(io::Error::other)?;
            let bytes = self
                .buffer
                .get(at..at + len)
                .ok_or_else(|| io::Error::other("a waiting record is missing"))?;
            out.extend_from_slice(bytes);
            return Ok(());
        }
        let file = self
            .file
            .as_ref()
            .ok_or_else(|| io::Error::other("no file of waiting records"))?;
        let start = out.len();
        out.resize(start + len, 0);
        let read = read_at(file, &mut out[start..], place.offset);
        if read.is_err() {
            out.truncate(start);
        }
        read
    }

    /// Appends the encoded record of message `index` to `out` and forgets it: whether it was
    /// there (and could be read).
    pub fn take_into(&mut self, index: usize, out: &mut Vec<u8>) -> bool {
        if let Some(bytes) = self.held.remove(&index) {
            out.extend_from_slice(&bytes);
            return true;
        }
        match self.places.remove(&index) {
            Some(place) => self.read(place, out).is_ok(),
            None => false,
        }
    }

    /// Changes the record of message `index`, if it waits (rare: an ICMP error quoting it);
    /// the changed record is set aside anew. Whether it waited.
    pub fn update(&mut self, index: usize, change: impl FnOnce(&mut MessageRecord)) -> bool {
        let mut bytes = Vec::new();
        if !self.take_into(index, &mut bytes) {
            return false;
        }
        if let Some(mut record) = records::decode(&bytes).ok().and_then(|mut r| r.pop()) {
            change(&mut record);
            self.insert(index, &record);
        }
        true
    }

    /// Records waiting.
    pub fn len(&self) -> usize {
        self.places.len() + self.held.len()
    }

    /// Whether none does.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correlate::{Correlator, Options};
    use crate::reading;

    fn sample_records() -> Vec<MessageRecord> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/lab-b2bua.pcap");
        let mut merged = reading::open(&[path]).unwrap();
        let mut correlator = Correlator::new(Options {
            keep_messages: true,
            ..Options::default()
        });
        reading::read_into(&mut merged, &mut correlator, None);
        correlator.finish().messages
    }

    /// Records come back as they went in, from the buffer or the file, in any order, after
    /// many buffers' worth were written; one changed comes back changed.
    #[test]
    fn records_come_back_from_buffer_and_file() {
        let records = sample_records();
        assert!(!records.is_empty());
        let mut waiting = Waiting::default();
        let rounds = 2 * BUFFER / 200 / records.len() + 2;
        let mut index = 0;
        for _ in 0..rounds {
            for r in &records {
                waiting.insert(index, r);
                index += 1;
            }
        }
        assert!(waiting.flushed > 0, "some records went to the file");
        assert_eq!(waiting.len(), index);
        waiting.update(1, |r| r.icmp = Some("port unreachable".into()));
        for i in (0..index).rev() {
            let mut out = Vec::new();
            assert!(waiting.take_into(i, &mut out), "record {i}");
            let back = records::decode(&out).unwrap();
            let mut expected = records[i % records.len()].clone();
            if i == 1 {
                expected.icmp = Some("port unreachable".into());
            }
            assert_eq!(format!("{back:?}"), format!("{:?}", vec![expected]));
        }
        assert!(waiting.is_empty());
        assert!(!waiting.take_into(0, &mut Vec::new()));
    }
}
